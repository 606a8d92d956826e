// SPDX-License-Identifier: BSD-3-Clause OR GPL-2.0-only
/*
 * "Did you mean": the nearest known name to a misspelt one.
 *
 * Distance is the optimal string alignment distance (insertions,
 * deletions, substitutions and swaps of neighbours each cost one),
 * case-insensitive, because the usual slips in a variable name are a
 * dropped or doubled letter, two swapped letters or the wrong case.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "dapl_info.h"

#define NAME_MAX_LEN 128

static unsigned int min3(unsigned int a, unsigned int b, unsigned int c)
{
	unsigned int m = a < b ? a : b;

	return m < c ? m : c;
}

static bool same(char a, char b)
{
	return tolower((unsigned char)a) == tolower((unsigned char)b);
}

unsigned int suggest_distance(const char *a, const char *b)
{
	/* Three rolling rows of the DP matrix: enough for the swap rule. */
	unsigned int rows[3][NAME_MAX_LEN + 1];
	size_t la = strnlen(a, NAME_MAX_LEN), lb = strnlen(b, NAME_MAX_LEN);
	unsigned int *prev2 = rows[0], *prev = rows[1], *cur = rows[2], *t;
	size_t i, j;

	for (j = 0; j <= lb; j++)
		prev[j] = j;
	for (i = 1; i <= la; i++) {
		cur[0] = i;
		for (j = 1; j <= lb; j++) {
			unsigned int cost = same(a[i - 1], b[j - 1]) ? 0 : 1;

			cur[j] = min3(prev[j] + 1, cur[j - 1] + 1,
				      prev[j - 1] + cost);
			if (i > 1 && j > 1 && same(a[i - 1], b[j - 2]) &&
			    same(a[i - 2], b[j - 1]) && prev2[j - 2] + 1 < cur[j])
				cur[j] = prev2[j - 2] + 1;
		}
		t = prev2;
		prev2 = prev;
		prev = cur;
		cur = t;
	}
	return prev[lb];
}

/* Close enough: at most two edits, and fewer than a third of the name. */
static bool plausible(unsigned int d, size_t len)
{
	return d <= 2 && d * 3 <= len;
}

const char *suggest_nearest(const char *name, const char *const *known,
			    size_t n)
{
	const char *best = NULL;
	unsigned int best_d = ~0u, d;
	size_t i;

	for (i = 0; i < n; i++) {
		if (!strcmp(name, known[i]))
			return NULL;
		d = suggest_distance(name, known[i]);
		if (d < best_d) {
			best_d = d;
			best = known[i];
		}
	}
	if (!best || !plausible(best_d, strlen(best)))
		return NULL;
	return best;
}
