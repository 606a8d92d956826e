// SPDX-License-Identifier: BSD-3-Clause OR GPL-2.0-only
/*
 * Logging: DAPL_DBG_TYPE selects the classes (OFA's bits, default errors
 * and warnings), DAPL_DBG_DEST the destination (1 stderr, 2 syslog).
 * OFA prints to stdout; errors on stdout get mixed into a tool's own
 * output and lost in pipes, so ours go to stderr.  One line per message.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "dapl.h"

#define DEST_STDERR	1
#define DEST_SYSLOG	2

static unsigned int log_mask = DAPL_DBG_ERR | DAPL_DBG_WARN;
static unsigned int log_dest = DEST_STDERR;
static pthread_once_t log_once = PTHREAD_ONCE_INIT;

static unsigned int env_uint(const char *name, unsigned int dflt)
{
	const char *v = getenv(name);
	char *end;
	unsigned long n;

	if (!v || !*v)
		return dflt;
	n = strtoul(v, &end, 0);
	return *end ? dflt : (unsigned int)n;
}

static void log_init(void)
{
	log_mask = env_uint("DAPL_DBG_TYPE", log_mask) |
		   env_uint("DAPL_DBG_LEVEL", 0);
	log_dest = env_uint("DAPL_DBG_DEST", DEST_STDERR);
	if (log_dest & DEST_SYSLOG)
		openlog("libdaplofa", LOG_PID, LOG_USER);
}

bool dapl_log_on(unsigned int cls)
{
	pthread_once(&log_once, log_init);
	return log_mask & cls;
}

/* Replaces control characters so that one message stays one line. */
static void flatten(char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			*s = ' ';
}

void dapl_log(unsigned int cls, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	if (!dapl_log_on(cls))
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	flatten(msg);
	if (log_dest & DEST_SYSLOG)
		syslog(cls & DAPL_DBG_ERR ? LOG_ERR : LOG_WARNING, "%s", msg);
	if (!(log_dest & DEST_SYSLOG) || (log_dest & DEST_STDERR))
		fprintf(stderr, "libdaplofa[%d]: %s\n", (int)getpid(), msg);
}
