// SPDX-License-Identifier: BSD-3-Clause OR GPL-2.0-only
/*
 * Making untrusted text safe to print on one line.
 *
 * Registry messages quote dat.conf lines, IA names from consumers, paths
 * from the environment and dlerror() text.  Any of them may hold a
 * newline (which would split a message in two), a CR or an escape
 * sequence (which would rewrite the terminal) or bytes that are not text
 * at all.  Everything that is not printable ASCII or well-formed UTF-8
 * outside the C0/C1 control ranges (and the Unicode line separators and
 * bidirectional overrides, which reorder or break a line just as well) is
 * written as \xHH instead.
 */
#include <string.h>

#include "dat_internal.h"

/* Length of the well-formed, non-control UTF-8 sequence at s, or 0. */
static size_t utf8_length(const unsigned char *s, size_t avail)
{
	size_t len, i;

	if (s[0] < 0xc2 || s[0] > 0xf4)
		return 0;	/* continuation, overlong lead or beyond U+10FFFF */
	len = s[0] < 0xe0 ? 2 : s[0] < 0xf0 ? 3 : 4;
	if (len > avail)
		return 0;
	for (i = 1; i < len; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	if (s[0] == 0xc2 && s[1] < 0xa0)
		return 0;	/* U+0080..U+009F: C1 controls */
	if ((s[0] == 0xe0 && s[1] < 0xa0) || (s[0] == 0xf0 && s[1] < 0x90))
		return 0;	/* overlong */
	if ((s[0] == 0xed && s[1] >= 0xa0) || (s[0] == 0xf4 && s[1] >= 0x90))
		return 0;	/* surrogate, or beyond U+10FFFF */
	if (s[0] == 0xe2 && s[1] == 0x80 && s[2] >= 0xa8 && s[2] <= 0xae)
		return 0;	/* U+2028/2029 line breaks, U+202A..E bidi */
	if (s[0] == 0xe2 && s[1] == 0x81 && s[2] >= 0xa6 && s[2] <= 0xa9)
		return 0;	/* U+2066..2069 bidi isolates */
	return len;
}

size_t dat_printable(char *out, size_t size, const char *in, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *s = (const unsigned char *)in;
	size_t o = 0, i = 0, n;

	if (!size)
		return 0;
	while (i < len && s[i]) {
		if (s[i] >= 0x20 && s[i] < 0x7f) {
			n = 1;
		} else {
			n = s[i] >= 0x80 ? utf8_length(s + i, len - i) : 0;
			if (!n) {
				if (o + 4 >= size)
					break;
				out[o++] = '\\';
				out[o++] = 'x';
				out[o++] = hex[s[i] >> 4];
				out[o++] = hex[s[i] & 0xf];
				i++;
				continue;
			}
		}
		if (o + n >= size)
			break;
		memcpy(out + o, s + i, n);
		o += n;
		i += n;
	}
	out[o] = '\0';
	return o;
}
