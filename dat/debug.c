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
#include <string.h>
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
		dat_log(DAT_DBG_ERROR, "ignoring %s=\"%s\": not a number",
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

/*
 * Every message is one line of printable text: the parts that come from
 * files, the environment or consumers are escaped here, once, so that no
 * caller can forget it.  Overlong messages are cut and end in "...".
 */
void dat_log(enum dat_dbg_type type, const char *fmt, ...)
{
	char raw[DAT_LOG_MAX], text[4 * DAT_LOG_MAX];
	va_list args;
	int len;

	if (!(dbg_type & type))
		return;

	va_start(args, fmt);
	len = vsnprintf(raw, sizeof(raw), fmt, args);
	va_end(args);
	if (len < 0)
		return;
	if ((size_t)len >= sizeof(raw))
		memcpy(raw + sizeof(raw) - 4, "...", 4);
	dat_printable(text, sizeof(text), raw, sizeof(raw));

	if (dbg_dest & DAT_DBG_DEST_STDERR)
		fprintf(stderr, "libdat2: %s\n", text);
	if (dbg_dest & DAT_DBG_DEST_SYSLOG)
		syslog(LOG_USER | (type == DAT_DBG_ERROR ? LOG_ERR : LOG_DEBUG),
		       "%s", text);
}
