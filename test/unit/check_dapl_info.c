// SPDX-License-Identifier: BSD-3-Clause OR GPL-2.0-only
/*
 * check_dapl_info - the pure parts of dapl-info: dat.conf lines it
 * writes (each one read back with the registry's own parser), the IA
 * names of --generate, the misspelling suggestion and the dat.conf
 * search order.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <check.h>

#include "dat_internal.h"
#include "dapl_info.h"

/* ---- rendering, read back by dat/conf_parse.c ---------------------- */

struct parsed {
	int entries, errors;
	char name[256], lib[256], params[256], platform[256];
	struct dat_conf_entry e;
};

static void on_entry(const struct dat_conf_entry *e, void *ctx)
{
	struct parsed *p = ctx;

	p->entries++;
	p->e = *e;
	snprintf(p->name, sizeof(p->name), "%s", e->ia_name);
	snprintf(p->lib, sizeof(p->lib), "%s", e->lib_path);
	snprintf(p->params, sizeof(p->params), "%s", e->ia_params);
	snprintf(p->platform, sizeof(p->platform), "%s", e->platform_params);
}

static void on_error(const char *file, unsigned int line, const char *msg,
		     void *ctx)
{
	struct parsed *p = ctx;

	(void)file;
	(void)line;
	(void)msg;
	p->errors++;
}

static void parse_back(const char *text, struct parsed *p)
{
	static const struct dat_conf_ops ops = { on_entry, on_error };
	FILE *f = fmemopen((void *)text, strlen(text), "r");

	ck_assert_ptr_nonnull(f);
	memset(p, 0, sizeof(*p));
	ck_assert_int_ge(dat_conf_parse(f, "test", &ops, p), 0);
	fclose(f);
}

static struct conf_line ofa_line(const char *name, const char *params)
{
	return (struct conf_line){
		.ia_name = name, .api_version = "u2.0", .thread_safe = false,
		.is_default = true, .lib_path = "libdaplofa.so.2",
		.provider_version = "dapl.2.0", .ia_params = params,
		.platform_params = "",
	};
}

START_TEST(render_ofa_format)
{
	struct conf_line cl = ofa_line("ofa-v2-rxe_veth", "rxe_veth 1");
	char buf[256];

	ck_assert_int_eq(conf_render_line(&cl, buf, sizeof(buf)),
			 (int)strlen(buf));
	ck_assert_str_eq(buf,
		"ofa-v2-rxe_veth u2.0 nonthreadsafe default libdaplofa.so.2 dapl.2.0 \"rxe_veth 1\" \"\"\n");
}
END_TEST

START_TEST(render_reads_back)
{
	struct conf_line cl = ofa_line("ofa-v2-eth0-ipv6", "fd00:77::1 1");
	struct parsed p;
	char buf[256];

	cl.thread_safe = true;
	ck_assert_int_gt(conf_render_line(&cl, buf, sizeof(buf)), 0);
	parse_back(buf, &p);
	ck_assert_int_eq(p.entries, 1);
	ck_assert_int_eq(p.errors, 0);
	ck_assert_str_eq(p.name, "ofa-v2-eth0-ipv6");
	ck_assert_str_eq(p.lib, "libdaplofa.so.2");
	ck_assert_str_eq(p.params, "fd00:77::1 1");
	ck_assert_str_eq(p.platform, "");
	ck_assert_int_eq(p.e.api_type, 'u');
	ck_assert_int_eq(p.e.api_major, 2);
	ck_assert_int_eq(p.e.api_minor, 0);
	ck_assert(p.e.thread_safe);
	ck_assert(p.e.is_default);
	ck_assert_int_eq(p.e.provider_major, 2);
}
END_TEST

/* Interface names may hold '#', '"' and '\': the line must still load. */
START_TEST(render_quotes_what_needs_it)
{
	static const char *const names[] = {
		"#eth", "a\"b", "back\\slash", "sp ace", "",
	};
	struct parsed p;
	char buf[512];
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		struct conf_line cl = ofa_line(names[i], names[i]);

		cl.lib_path = names[i][0] ? names[i] : "x";
		ck_assert_int_gt(conf_render_line(&cl, buf, sizeof(buf)), 0);
		parse_back(buf, &p);
		if (!names[i][0]) {
			/* An empty IA name is rejected by the registry. */
			ck_assert_int_eq(p.entries + p.errors, 1);
			continue;
		}
		ck_assert_msg(p.entries == 1, "%s did not read back", buf);
		ck_assert_str_eq(p.name, names[i]);
		ck_assert_str_eq(p.lib, names[i]);
		ck_assert_str_eq(p.params, names[i]);
	}
}
END_TEST

START_TEST(render_refuses_control_characters)
{
	struct conf_line cl = ofa_line("ofa-v2-x", "eth0\n0");
	char buf[256];

	ck_assert_int_eq(conf_render_line(&cl, buf, sizeof(buf)), -1);
	cl = ofa_line("ofa-v2-x\r", "eth0 0");
	ck_assert_int_eq(conf_render_line(&cl, buf, sizeof(buf)), -1);
	cl = ofa_line(NULL, "eth0 0");
	ck_assert_int_eq(conf_render_line(&cl, buf, sizeof(buf)), -1);
}
END_TEST

START_TEST(render_truncates_like_snprintf)
{
	struct conf_line cl = ofa_line("ofa-v2-rxe_veth", "rxe_veth 1");
	char full[256], small[16];
	int need = conf_render_line(&cl, full, sizeof(full));

	ck_assert_int_eq(conf_render_line(&cl, small, sizeof(small)), need);
	ck_assert_uint_eq(strlen(small), sizeof(small) - 1);
	ck_assert(!strncmp(small, full, sizeof(small) - 1));
}
END_TEST

START_TEST(ia_names)
{
	char buf[64];

	conf_ia_name("rxe_veth", false, buf, sizeof(buf));
	ck_assert_str_eq(buf, "ofa-v2-rxe_veth");
	conf_ia_name("siw_veth", true, buf, sizeof(buf));
	ck_assert_str_eq(buf, "ofa-v2-siw_veth-ipv6");
}
END_TEST

/* ---- misspellings -------------------------------------------------- */

static const char *const known[] = {
	"DAT_OVERRIDE", "DAT_DBG_TYPE", "DAT_DBG_DEST", "DAPL_DBG_TYPE",
	"DAPL_MAX_INLINE", "UAL_DEBUG",
};
#define NKNOWN (sizeof(known) / sizeof(known[0]))

START_TEST(distance_counts_edits)
{
	ck_assert_uint_eq(suggest_distance("DAT_OVERRIDE", "DAT_OVERRIDE"), 0);
	ck_assert_uint_eq(suggest_distance("DAT_OVERIDE", "DAT_OVERRIDE"), 1);
	ck_assert_uint_eq(suggest_distance("DAT_OVERRDIE", "DAT_OVERRIDE"), 1);
	ck_assert_uint_eq(suggest_distance("dat_override", "DAT_OVERRIDE"), 0);
	ck_assert_uint_eq(suggest_distance("", "abc"), 3);
	ck_assert_uint_eq(suggest_distance("abc", ""), 3);
	ck_assert_uint_eq(suggest_distance("kitten", "sitting"), 3);
}
END_TEST

START_TEST(suggest_typical_slips)
{
	ck_assert_str_eq(suggest_nearest("DAT_OVERIDE", known, NKNOWN),
			 "DAT_OVERRIDE");
	ck_assert_str_eq(suggest_nearest("DAT_DBG_TPYE", known, NKNOWN),
			 "DAT_DBG_TYPE");
	ck_assert_str_eq(suggest_nearest("DAPL_DBG_TYP", known, NKNOWN),
			 "DAPL_DBG_TYPE");
	ck_assert_str_eq(suggest_nearest("DAPL_MAX_INLNE", known, NKNOWN),
			 "DAPL_MAX_INLINE");
	ck_assert_str_eq(suggest_nearest("Dat_Override", known, NKNOWN),
			 "DAT_OVERRIDE");
	ck_assert_str_eq(suggest_nearest("UAL_DEBGU", known, NKNOWN),
			 "UAL_DEBUG");
}
END_TEST

START_TEST(suggest_nothing_for_strangers)
{
	ck_assert_ptr_null(suggest_nearest("DAT_OVERRIDE", known, NKNOWN));
	ck_assert_ptr_null(suggest_nearest("DAPL_PROVIDER", known, NKNOWN));
	ck_assert_ptr_null(suggest_nearest("UAL_X", known, NKNOWN));
	ck_assert_ptr_null(suggest_nearest("DAT_FOO", known, 0));
}
END_TEST

/* ---- the search order ---------------------------------------------- */

static char dir[] = "/tmp/check_dapl_info.XXXXXX";
static char file_a[64], file_b[64], missing[64];

static void make_files(void)
{
	FILE *f;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(file_a, sizeof(file_a), "%s/a.conf", dir);
	snprintf(file_b, sizeof(file_b), "%s/b.conf", dir);
	snprintf(missing, sizeof(missing), "%s/missing.conf", dir);
	f = fopen(file_a, "w");
	ck_assert_ptr_nonnull(f);
	fclose(f);
	f = fopen(file_b, "w");
	ck_assert_ptr_nonnull(f);
	fclose(f);
}

static void remove_files(void)
{
	unlink(file_a);
	unlink(file_b);
	rmdir(dir);
}

START_TEST(choice_override_wins)
{
	struct conf_choice c;

	conf_choose(file_a, file_b, file_b, &c);
	ck_assert_str_eq(c.path, file_a);
	ck_assert(c.readable);
	ck_assert_ptr_nonnull(strstr(c.reason, "DAT_OVERRIDE is set"));
}
END_TEST

START_TEST(choice_override_never_falls_back)
{
	struct conf_choice c;

	conf_choose(missing, file_a, file_b, &c);
	ck_assert_str_eq(c.path, missing);
	ck_assert(!c.readable);
	ck_assert_ptr_nonnull(strstr(c.reason, strerror(ENOENT)));
	ck_assert_ptr_nonnull(strstr(c.reason, "does not fall back"));
}
END_TEST

START_TEST(choice_configured_then_fallback)
{
	struct conf_choice c;

	conf_choose(NULL, file_a, file_b, &c);
	ck_assert_str_eq(c.path, file_a);
	ck_assert(c.readable);
	conf_choose("", missing, file_b, &c);
	ck_assert_str_eq(c.path, file_b);
	ck_assert(c.readable);
	ck_assert_ptr_nonnull(strstr(c.reason, missing));
	ck_assert_ptr_nonnull(strstr(c.reason, "falls back"));
}
END_TEST

START_TEST(choice_nothing_readable)
{
	struct conf_choice c;

	conf_choose(NULL, missing, missing, &c);
	ck_assert(!c.readable);
	ck_assert_ptr_nonnull(strstr(c.reason, "reads no file"));
	conf_choose(NULL, missing, dir, &c);
	ck_assert_str_eq(c.path, dir);
}
END_TEST

START_TEST(sanitize_keeps_one_line)
{
	char text[] = "bad\nline\r\tend\x7f";

	sanitize_line(text);
	ck_assert_str_eq(text, "bad?line??end?");
}
END_TEST

int main(void)
{
	Suite *suite = suite_create("dapl-info");
	TCase *render = tcase_create("render");
	TCase *suggest = tcase_create("suggest");
	TCase *choice = tcase_create("choice");
	SRunner *runner;
	int failed;

	tcase_add_test(render, render_ofa_format);
	tcase_add_test(render, render_reads_back);
	tcase_add_test(render, render_quotes_what_needs_it);
	tcase_add_test(render, render_refuses_control_characters);
	tcase_add_test(render, render_truncates_like_snprintf);
	tcase_add_test(render, ia_names);
	tcase_add_test(render, sanitize_keeps_one_line);
	suite_add_tcase(suite, render);
	tcase_add_test(suggest, distance_counts_edits);
	tcase_add_test(suggest, suggest_typical_slips);
	tcase_add_test(suggest, suggest_nothing_for_strangers);
	suite_add_tcase(suite, suggest);
	tcase_add_unchecked_fixture(choice, make_files, remove_files);
	tcase_add_test(choice, choice_override_wins);
	tcase_add_test(choice, choice_override_never_falls_back);
	tcase_add_test(choice, choice_configured_then_fallback);
	tcase_add_test(choice, choice_nothing_readable);
	suite_add_tcase(suite, choice);
	runner = srunner_create(suite);
	srunner_run_all(runner, CK_NORMAL);
	failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
