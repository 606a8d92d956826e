// SPDX-License-Identifier: BSD-3-Clause OR GPL-2.0-only
/*
 * libFuzzer target: any byte string as a dat.conf.  The parser must never
 * crash, read out of bounds or hand out an entry that breaks its promises
 * (non-empty name shorter than DAT_NAME_MAX_LENGTH, known keywords) or
 * an error message that is not a single line of printable text.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dat_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_entry(const struct dat_conf_entry *e, void *ctx)
{
	size_t len = strlen(e->ia_name);

	if (len == 0 || len >= DAT_NAME_MAX_LENGTH)
		abort();
	if (e->api_type != 'u' && e->api_type != 'k')
		abort();
	if (!*e->lib_path || !*e->provider_id)
		abort();
	/* Touch every string so the sanitizer checks its bounds. */
	(*(size_t *)ctx) += strlen(e->ia_params) + strlen(e->platform_params);
}

/* A message is one line of text: no control character, whatever the input. */
static void check_error(const char *file, unsigned int line, const char *msg,
			void *ctx)
{
	const unsigned char *p = (const unsigned char *)msg;

	if (line == 0 || !*msg)
		abort();
	for (; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct dat_conf_ops ops = {
		.entry = check_entry,
		.error = check_error,
	};
	size_t total = 0;
	FILE *stream;

	if (size == 0)
		return 0;
	stream = fmemopen((void *)data, size, "r");
	if (!stream)
		return 0;
	dat_conf_parse(stream, "fuzz.conf", &ops, &total);
	fclose(stream);
	return 0;
}
