// SPDX-License-Identifier: BSD-3-Clause OR GPL-2.0-only
/*
 * How far apart two IA names are, for "did you mean" suggestions.
 *
 * Optimal string alignment distance: each insertion, deletion,
 * substitution or swap of two neighbouring characters costs one, and
 * letters compare without case, so "OFA-V2-IB0", "ofa-v2-ib" and
 * "ofa-v2-bi0" are all close to "ofa-v2-ib0".  Names are shorter than
 * DAT_NAME_MAX_LENGTH, so three rows of that size are all the memory the
 * computation needs; a row whose smallest value exceeds the limit ends it
 * early, which keeps a comparison against a long registry cheap.
 */
#include <ctype.h>
#include <string.h>

#include "dat_internal.h"

#define ROW	(DAT_NAME_MAX_LENGTH + 1)

static unsigned int min3(unsigned int a, unsigned int b, unsigned int c)
{
	unsigned int m = a < b ? a : b;

	return m < c ? m : c;
}

static bool same(char a, char b)
{
	return tolower((unsigned char)a) == tolower((unsigned char)b);
}

unsigned int dat_name_distance(const char *a, const char *b,
			       unsigned int limit)
{
	unsigned int rows[3][ROW], *prev2 = rows[0], *prev = rows[1],
		     *cur = rows[2], *spare, best, cost;
	size_t la = strnlen(a, ROW - 1), lb = strnlen(b, ROW - 1), i, j;

	if ((la > lb ? la - lb : lb - la) > limit)
		return limit + 1;
	for (j = 0; j <= lb; j++)
		prev[j] = (unsigned int)j;
	for (i = 1; i <= la; i++) {
		cur[0] = (unsigned int)i;
		best = cur[0];
		for (j = 1; j <= lb; j++) {
			cost = same(a[i - 1], b[j - 1]) ? 0 : 1;
			cur[j] = min3(prev[j] + 1, cur[j - 1] + 1,
				      prev[j - 1] + cost);
			if (i > 1 && j > 1 && same(a[i - 1], b[j - 2]) &&
			    same(a[i - 2], b[j - 1]) && prev2[j - 2] + 1 < cur[j])
				cur[j] = prev2[j - 2] + 1;
			if (cur[j] < best)
				best = cur[j];
		}
		if (best > limit)
			return limit + 1;
		spare = prev2;
		prev2 = prev;
		prev = cur;
		cur = spare;
	}
	return prev[lb] > limit ? limit + 1 : prev[lb];
}
