// SPDX-License-Identifier: BSD-3-Clause OR GPL-2.0-only
/* One message, one line: control characters from files or providers. */
#include "dapl_info.h"

void sanitize_line(char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			*s = '?';
}
