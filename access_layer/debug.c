// SPDX-License-Identifier: BSD-2-Clause
/*
 * debug.c - the layer's debug lines.
 *
 * Off unless UAL_DEBUG is set to anything but "" or "0"; then each line
 * goes to stderr as "libual: ...".  For what the layer decided on its
 * own (a raised limit, for one) and a user may want to see, never for
 * errors: those travel in struct ual_error to the caller.
 */
#include <config.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ual_internal.h"

static pthread_once_t debug_once = PTHREAD_ONCE_INIT;
static bool debug_on;

static void debug_read_env(void)
{
	const char *v = getenv("UAL_DEBUG");

	debug_on = v && *v && strcmp(v, "0");
}

bool ual_debug_enabled(void)
{
	pthread_once(&debug_once, debug_read_env);
	return debug_on;
}

void ual_debug(const char *fmt, ...)
{
	va_list ap;

	if (!ual_debug_enabled())
		return;
	va_start(ap, fmt);
	flockfile(stderr);
	fputs("libual: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	funlockfile(stderr);
	va_end(ap);
}
