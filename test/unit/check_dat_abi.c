// SPDX-License-Identifier: BSD-3-Clause OR GPL-2.0-only
/*
 * check_dat_abi - our public headers against the reference DAT 2.0 ABI.
 *
 * dat_abi_table.h was generated (gen_dat_abi_table.py) from the OFA
 * headers and lists every constant, size, member offset and signature
 * they define, with the value the reference compiler computed.  Here the
 * same expressions are evaluated against include/dat2: a name we lack
 * breaks the build, a different value or type fails the test.
 */
#include <stddef.h>
#include <stdio.h>
#include <check.h>

#include <dat2/udat.h>
#include <dat2/dat_registry.h>
#include <dat2/dat_ib_extensions.h>

#include "dat_abi_table.h"

struct abi_value {
	const char	*expr;
	long long	ours;
	long long	reference;
};

struct abi_type {
	const char	*what;
	int		compatible;
};

#define ABI_VALUE(expr, ref, text)	{ text, (long long)(expr), ref },
static const struct abi_value abi_values[] = { DAT_ABI_VALUES };
#undef ABI_VALUE

#define ABI_TYPE(expr, type, text) \
	{ text, __builtin_types_compatible_p(__typeof__(expr), type) },
static const struct abi_type abi_types[] = { DAT_ABI_TYPES };
#undef ABI_TYPE

START_TEST(values_match_reference)
{
	size_t i, bad = 0;

	for (i = 0; i < sizeof(abi_values) / sizeof(abi_values[0]); i++) {
		const struct abi_value *v = &abi_values[i];

		if (v->ours == v->reference)
			continue;
		fprintf(stderr, "%s: ours %lld, reference %lld\n",
			v->expr, v->ours, v->reference);
		bad++;
	}
	ck_assert_uint_eq(bad, 0);
	/* Guard against an empty or truncated table. */
	ck_assert_uint_gt(i, 1000);
}
END_TEST

START_TEST(types_match_reference)
{
	size_t i, bad = 0;

	for (i = 0; i < sizeof(abi_types) / sizeof(abi_types[0]); i++) {
		if (abi_types[i].compatible)
			continue;
		fprintf(stderr, "%s: type differs\n", abi_types[i].what);
		bad++;
	}
	ck_assert_uint_eq(bad, 0);
	ck_assert_uint_gt(i, 500);
}
END_TEST

START_TEST(provider_table_layout)
{
	/* The offsets the registry itself relies on, stated explicitly. */
	ck_assert_uint_eq(sizeof(struct dat_provider), 81 * sizeof(void *));
	ck_assert_uint_eq(offsetof(struct dat_provider, ia_open_func), 16);
	ck_assert_uint_eq(offsetof(struct dat_provider, ia_close_func), 32);
	ck_assert_uint_eq(offsetof(struct dat_provider, ep_connect_func), 240);
	ck_assert_uint_eq(offsetof(struct dat_provider,
				   handle_extendedop_func), 640);
	ck_assert_uint_eq(sizeof(DAT_PROVIDER_INFO), 268);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("dat_abi");
	TCase *tc = tcase_create("abi");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, values_match_reference);
	tcase_add_test(tc, types_match_reference);
	tcase_add_test(tc, provider_table_layout);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
