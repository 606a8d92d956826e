// SPDX-License-Identifier: BSD-3-Clause OR GPL-2.0-only
/*
 * Registry diagnostics.
 *
 * DAT_DBG_TYPE selects which messages are printed (bitmask, default 0x1:
 * errors only) and DAT_DBG_DEST where they go (0x1 the console, 0x2
 * syslog, 0x3 both).  The variables mean what they mean in OFA's libdat2,
 * with one deliberate difference: "console" is stderr, not stdout, so
 * that configuration errors never end up mixed into a program's output.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <syslog.h>

#include "dat_internal.h"

static unsigned long dbg_type = DAT_DBG_ERROR;
static unsigned long dbg_dest = DAT_DBG_DEST_STDERR;

static void read_mask(const char *var, unsigned long *mask)
{
	const char *value = getenv(var);
	unsigned long parsed;
	char *end;

	if (!value || !*value)
		return;
	parsed = strtoul(value, &end, 0);
	if (*end) {
		fprintf(stderr, "libdat2: ignoring %s=\"%s\": not a number\n",
			var, value);
		return;
	}
	*mask = parsed;
}

void dat_debug_init(void)
{
	read_mask("DAT_DBG_TYPE", &dbg_type);
	read_mask("DAT_DBG_DEST", &dbg_dest);
}

void dat_log(enum dat_dbg_type type, const char *fmt, ...)
{
	va_list args;

	if (!(dbg_type & type))
		return;

	if (dbg_dest & DAT_DBG_DEST_STDERR) {
		/* One fprintf per part; stderr is unbuffered anyway. */
		va_start(args, fmt);
		flockfile(stderr);
		fputs("libdat2: ", stderr);
		vfprintf(stderr, fmt, args);
		fputc('\n', stderr);
		funlockfile(stderr);
		va_end(args);
	}
	if (dbg_dest & DAT_DBG_DEST_SYSLOG) {
		va_start(args, fmt);
		vsyslog(LOG_USER | (type == DAT_DBG_ERROR ? LOG_ERR : LOG_DEBUG),
			fmt, args);
		va_end(args);
	}
}
