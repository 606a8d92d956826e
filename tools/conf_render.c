// SPDX-License-Identifier: BSD-3-Clause OR GPL-2.0-only
/*
 * Rendering dat.conf lines.
 *
 * The output must parse identically with OFA's libdat2 and with ours
 * (dat/conf_parse.c): eight blank-separated fields, a field quoted when
 * it is empty, holds a blank, starts with '#' or holds a quote or a
 * backslash (both escaped with a backslash inside the quotes).  ia_params
 * and platform_params are always quoted, as every OFA dat.conf writes
 * them.  Control characters have no representation: OFA's tokenizer
 * treats a CR as text and a newline ends the entry, so such a field is
 * refused rather than written into a file that would not load.
 */
#include <stdarg.h>
#include <string.h>

#include "dapl_info.h"

struct out_buf {
	char *buf;
	size_t len;
	size_t used;		/* what the whole line needs, as snprintf */
};

static void put_char(struct out_buf *o, char c)
{
	if (o->len && o->used < o->len - 1)
		o->buf[o->used] = c;
	o->used++;
}

static bool has_control(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return true;
	return false;
}

static bool needs_quotes(const char *s)
{
	if (!*s || *s == '#')
		return true;
	return strpbrk(s, " \t\"\\") != NULL;
}

static void put_field(struct out_buf *o, const char *s, bool always_quote)
{
	bool quote = always_quote || needs_quotes(s);

	if (o->used)
		put_char(o, ' ');
	if (!quote) {
		while (*s)
			put_char(o, *s++);
		return;
	}
	put_char(o, '"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			put_char(o, '\\');
		put_char(o, *s);
	}
	put_char(o, '"');
}

int conf_render_line(const struct conf_line *line, char *buf, size_t len)
{
	const char *fields[] = {
		line->ia_name, line->api_version,
		line->thread_safe ? "threadsafe" : "nonthreadsafe",
		line->is_default ? "default" : "nondefault",
		line->lib_path, line->provider_version,
		line->ia_params, line->platform_params,
	};
	struct out_buf o = { .buf = buf, .len = len };
	size_t i;

	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		if (!fields[i] || has_control(fields[i]))
			return -1;
	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		put_field(&o, fields[i], i >= 6);
	put_char(&o, '\n');
	if (len)
		buf[o.used < len ? o.used : len - 1] = '\0';
	return (int)o.used;
}

int conf_ia_name(const char *netdev, bool ipv6, char *buf, size_t len)
{
	return snprintf(buf, len, "ofa-v2-%s%s", netdev, ipv6 ? "-ipv6" : "");
}
