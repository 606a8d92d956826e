// SPDX-License-Identifier: BSD-3-Clause OR GPL-2.0-only
/*
 * check_dat_conf - the dat.conf grammar (dat/conf_parse.c), fed from
 * memory: good lines, every kind of bad line, and the edge cases OFA's
 * parser gets wrong (CRLF, dangling quotes, prefix keywords, long lines).
 */
#include <stdlib.h>
#include <string.h>
#include <check.h>

#include "dat_internal.h"

#define MAX_SEEN	16

struct seen {
	int		entries;
	int		errors;
	char		*name[MAX_SEEN];
	char		*params[MAX_SEEN];
	char		*platform[MAX_SEEN];
	char		*lib[MAX_SEEN];
	struct dat_conf_entry entry[MAX_SEEN];
	unsigned int	error_line[MAX_SEEN];
	char		*error_msg[MAX_SEEN];
};

/*
 * Every string a test keeps is also recorded here and freed after the
 * test (fixture teardown), so a leak checker sees the parser's leaks only.
 */
static char **kept;
static size_t nkept;

static char *keep(const char *text)
{
	char **more = realloc(kept, (nkept + 1) * sizeof(*kept));
	char *copy = strdup(text);

	ck_assert_ptr_nonnull(more);
	ck_assert_ptr_nonnull(copy);
	kept = more;
	kept[nkept++] = copy;
	return copy;
}

static void free_kept(void)
{
	while (nkept)
		free(kept[--nkept]);
	free(kept);
	kept = NULL;
}

static void on_entry(const struct dat_conf_entry *e, void *ctx)
{
	struct seen *s = ctx;
	int i = s->entries++;

	if (i >= MAX_SEEN)
		return;
	s->entry[i] = *e;
	s->name[i] = keep(e->ia_name);
	s->params[i] = keep(e->ia_params);
	s->platform[i] = keep(e->platform_params);
	s->lib[i] = keep(e->lib_path);
}

static void on_error(const char *file, unsigned int line, const char *msg,
		     void *ctx)
{
	struct seen *s = ctx;
	int i = s->errors++;

	ck_assert_str_eq(file, "test.conf");
	if (i >= MAX_SEEN)
		return;
	s->error_line[i] = line;
	s->error_msg[i] = keep(msg);
}

static const struct dat_conf_ops ops = { .entry = on_entry, .error = on_error };

/* The parser never sees the file system here; each test is forked. */
static int parse_len(const char *text, size_t len, struct seen *s)
{
	FILE *f = fmemopen((void *)text, len, "r");
	int rejected;

	ck_assert_ptr_nonnull(f);
	memset(s, 0, sizeof(*s));
	rejected = dat_conf_parse(f, "test.conf", &ops, s);
	fclose(f);
	ck_assert_int_eq(rejected, s->errors);
	return rejected;
}

static int parse(const char *text, struct seen *s)
{
	return parse_len(text, strlen(text), s);
}

#define GOOD "ofa-v2-ib0 u2.0 nonthreadsafe default libdaplofa.so.2 dapl.2.0 \"ib0 0\" \"\""

START_TEST(good_line)
{
	struct seen s;

	ck_assert_int_eq(parse(GOOD "\n", &s), 0);
	ck_assert_int_eq(s.entries, 1);
	ck_assert_str_eq(s.name[0], "ofa-v2-ib0");
	ck_assert_int_eq(s.entry[0].api_type, 'u');
	ck_assert_uint_eq(s.entry[0].api_major, 2);
	ck_assert_uint_eq(s.entry[0].api_minor, 0);
	ck_assert_int_eq(s.entry[0].thread_safe, DAT_FALSE);
	ck_assert_int_eq(s.entry[0].is_default, DAT_TRUE);
	ck_assert_str_eq(s.lib[0], "libdaplofa.so.2");
	ck_assert_uint_eq(s.entry[0].provider_major, 2);
	ck_assert_str_eq(s.params[0], "ib0 0");
	ck_assert_str_eq(s.platform[0], "");
	ck_assert_uint_eq(s.entry[0].line, 1);
}
END_TEST

START_TEST(other_keywords_and_versions)
{
	struct seen s;

	ck_assert_int_eq(parse("a k1.2 threadsafe nondefault /l.so x.10.20 p q\n", &s), 0);
	ck_assert_int_eq(s.entries, 1);
	ck_assert_int_eq(s.entry[0].api_type, 'k');
	ck_assert_uint_eq(s.entry[0].api_minor, 2);
	ck_assert_int_eq(s.entry[0].thread_safe, DAT_TRUE);
	ck_assert_int_eq(s.entry[0].is_default, DAT_FALSE);
	ck_assert_uint_eq(s.entry[0].provider_major, 10);
	ck_assert_uint_eq(s.entry[0].provider_minor, 20);
}
END_TEST

START_TEST(comments_and_blank_lines)
{
	struct seen s;

	ck_assert_int_eq(parse("# comment\n\n   \t\n" GOOD " # trailing\n"
			       "name#x u2.0 nonthreadsafe default l d.1.2 \"ib#0 0\" \"\"\n",
			       &s), 0);
	ck_assert_int_eq(s.entries, 2);
	ck_assert_uint_eq(s.entry[0].line, 4);
	/* "#" inside a field is ordinary text. */
	ck_assert_str_eq(s.name[1], "name#x");
	ck_assert_str_eq(s.params[1], "ib#0 0");
}
END_TEST

START_TEST(quotes_and_escapes)
{
	struct seen s;

	ck_assert_int_eq(parse("\"my ia\" u2.0 nonthreadsafe default l d.1.2 "
			       "\"ib0 \\\"0\\\" \\\\x\" a\\b\n", &s), 0);
	ck_assert_int_eq(s.entries, 1);
	ck_assert_str_eq(s.name[0], "my ia");
	ck_assert_str_eq(s.params[0], "ib0 \"0\" \\x");
	/* Backslashes outside quotes are kept literally. */
	ck_assert_str_eq(s.platform[0], "a\\b");
}
END_TEST

START_TEST(crlf_lines)
{
	struct seen s;

	ck_assert_int_eq(parse(GOOD "\r\n# c\r\n\r\n" GOOD "\r\n", &s), 0);
	ck_assert_int_eq(s.entries, 2);
	ck_assert_str_eq(s.platform[0], "");
	ck_assert_uint_eq(s.entry[1].line, 4);
}
END_TEST

START_TEST(no_final_newline)
{
	struct seen s;

	ck_assert_int_eq(parse(GOOD, &s), 0);
	ck_assert_int_eq(s.entries, 1);
}
END_TEST

START_TEST(missing_field)
{
	struct seen s;

	ck_assert_int_eq(parse("a u2.0 nonthreadsafe default l d.1.2 \"x 0\"\n" GOOD "\n",
			       &s), 1);
	ck_assert_int_eq(s.entries, 1);
	ck_assert_uint_eq(s.error_line[0], 1);
	ck_assert_ptr_nonnull(strstr(s.error_msg[0], "field 8 (platform_params) is missing"));
}
END_TEST

START_TEST(extra_field)
{
	struct seen s;

	ck_assert_int_eq(parse(GOOD " junk\n", &s), 1);
	ck_assert_int_eq(s.entries, 0);
	ck_assert_ptr_nonnull(strstr(s.error_msg[0], "\"junk\" after field 8"));
}
END_TEST

static void expect_rejected(const char *line, const char *words)
{
	struct seen s;

	ck_assert_int_eq(parse(line, &s), 1);
	ck_assert_int_eq(s.entries, 0);
	if (!strstr(s.error_msg[0], words))
		ck_abort_msg("\"%s\" not in \"%s\"", words, s.error_msg[0]);
}

START_TEST(bad_api_version)
{
	expect_rejected("a U2.0 nonthreadsafe default l d.1.2 p q", "field 2 (api_version) is \"U2.0\"");
	expect_rejected("a u2 nonthreadsafe default l d.1.2 p q", "field 2");
	expect_rejected("a u2.0.1 nonthreadsafe default l d.1.2 p q", "field 2");
	expect_rejected("a u.0 nonthreadsafe default l d.1.2 p q", "field 2");
	expect_rejected("a u99999999999.0 nonthreadsafe default l d.1.2 p q", "field 2");
}
END_TEST

START_TEST(keywords_are_exact)
{
	expect_rejected("a u2.0 nonthreadsafeXYZ default l d.1.2 p q",
			"field 3 (thread_safety) is \"nonthreadsafeXYZ\"");
	expect_rejected("a u2.0 threadsave default l d.1.2 p q", "field 3");
	expect_rejected("a u2.0 threadsafe defaultx l d.1.2 p q",
			"field 4 (default) is \"defaultx\"");
	expect_rejected("a u2.0 threadsafe Default l d.1.2 p q", "field 4");
}
END_TEST

START_TEST(bad_provider_version)
{
	expect_rejected("a u2.0 threadsafe default l dapl2.0 p q", "field 6 (provider_version)");
	expect_rejected("a u2.0 threadsafe default l dapl.2 p q", "field 6");
	expect_rejected("a u2.0 threadsafe default l .2.0 p q", "field 6");
	expect_rejected("a u2.0 threadsafe default l dapl.2.x p q", "field 6");
}
END_TEST

START_TEST(empty_fields)
{
	expect_rejected("\"\" u2.0 threadsafe default l d.1.2 p q", "field 1 (ia_name) is empty");
	expect_rejected("a u2.0 threadsafe default \"\" d.1.2 p q", "field 5 (lib_path) is empty");
}
END_TEST

START_TEST(dangling_quote)
{
	struct seen s;

	/* OFA's parser corrupts its heap on this line. */
	ck_assert_int_eq(parse("a u2.0 nonthreadsafe default l d.1.2 \"x 0\" \"\n"
			       GOOD "\n", &s), 1);
	ck_assert_int_eq(s.entries, 1);
	ck_assert_uint_eq(s.error_line[0], 1);
	ck_assert_ptr_nonnull(strstr(s.error_msg[0], "field 8 (platform_params) is not closed"));
	ck_assert_uint_eq(s.entry[0].line, 2);

	ck_assert_int_eq(parse("\"", &s), 1);
	ck_assert_int_eq(parse("a \"b\\", &s), 1);
	expect_rejected("a u2.0 nonthreadsafe default l d.1.2 \"x\"y q", "after the closing quote");
}
END_TEST

START_TEST(long_lines)
{
	size_t len = 200000;
	char *text = malloc(len + 200);
	struct seen s;

	ck_assert_ptr_nonnull(text);
	strcpy(text, "big u2.0 nonthreadsafe default l d.1.2 \"");
	memset(text + strlen(text), 'x', len);
	strcpy(text + strlen("big u2.0 nonthreadsafe default l d.1.2 \"") + len,
	       "\" \"\"\n");
	ck_assert_int_eq(parse(text, &s), 0);
	ck_assert_int_eq(s.entries, 1);
	ck_assert_uint_eq(strlen(s.params[0]), len);
	free(text);
}
END_TEST

START_TEST(name_length_limit)
{
	char line[600];
	struct seen s;

	memset(line, 'n', 255);
	strcpy(line + 255, " u2.0 threadsafe default l d.1.2 p q\n");
	ck_assert_int_eq(parse(line, &s), 0);
	ck_assert_uint_eq(strlen(s.name[0]), 255);

	memset(line, 'n', 256);
	strcpy(line + 256, " u2.0 threadsafe default l d.1.2 p q\n");
	ck_assert_int_eq(parse(line, &s), 1);
	ck_assert_ptr_nonnull(strstr(s.error_msg[0], "256 characters long; the limit is 255"));
}
END_TEST

START_TEST(nul_byte)
{
	static const char text[] = "a u2.0 threadsafe default l\0x d.1.2 p q\n" GOOD "\n";
	struct seen s;

	ck_assert_int_eq(parse_len(text, sizeof(text) - 1, &s), 1);
	ck_assert_int_eq(s.entries, 1);
	ck_assert_ptr_nonnull(strstr(s.error_msg[0], "NUL byte"));
}
END_TEST

START_TEST(line_numbers_and_duplicates)
{
	struct seen s;

	ck_assert_int_eq(parse(GOOD "\nbad\n" GOOD "\n\nalso bad\n", &s), 2);
	ck_assert_int_eq(s.entries, 2);
	ck_assert_uint_eq(s.error_line[0], 2);
	ck_assert_uint_eq(s.error_line[1], 5);
	ck_assert_uint_eq(s.entry[1].line, 3);
	ck_assert_ptr_nonnull(strstr(s.error_msg[0], "only 1 of the 8 fields"));
}
END_TEST

/*
 * A rejected line's message is one line of text: the line terminator is
 * not quoted, and control characters or broken UTF-8 in the quoted part
 * are escaped.
 */
START_TEST(messages_are_one_line)
{
	static const char *const lines[] = {
		"a u2.0 nonthreadsafe default l d.1.2 \"p\"x\r\n",
		"a u2.0 nonthreadsafe default l d.1.2 \"p\"\x1b[2J q\n",
		"a u2.0 threadsave\x07\x7f default l d.1.2 p q\r\n",
		"a u2.0 nonthreadsafe default l d.1.2 p q extra\xc3\n",
	};
	static const char *const expected[] = {
		"unexpected \"x\" right after the closing quote",
		"unexpected \"\\x1b[2J q\" right after the closing quote",
		"is \"threadsave\\x07\\x7f\"; expected",
		"unexpected \"extra\\xc3\" after field 8",
	};
	const unsigned char *p;
	struct seen s;
	size_t i;

	for (i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		ck_assert_int_eq(parse(lines[i], &s), 1);
		if (!strstr(s.error_msg[0], expected[i]))
			ck_abort_msg("\"%s\" not in \"%s\"", expected[i],
				     s.error_msg[0]);
		for (p = (const unsigned char *)s.error_msg[0]; *p; p++)
			ck_assert_msg(*p >= 0x20 && *p < 0x7f,
				      "byte 0x%02x in \"%s\"", *p, s.error_msg[0]);
	}
}
END_TEST

int main(void)
{
	Suite *suite = suite_create("dat_conf");
	TCase *tc = tcase_create("grammar");
	SRunner *runner;
	int failed;

	tcase_add_checked_fixture(tc, NULL, free_kept);

	tcase_add_test(tc, good_line);
	tcase_add_test(tc, other_keywords_and_versions);
	tcase_add_test(tc, comments_and_blank_lines);
	tcase_add_test(tc, quotes_and_escapes);
	tcase_add_test(tc, crlf_lines);
	tcase_add_test(tc, no_final_newline);
	tcase_add_test(tc, missing_field);
	tcase_add_test(tc, extra_field);
	tcase_add_test(tc, bad_api_version);
	tcase_add_test(tc, keywords_are_exact);
	tcase_add_test(tc, bad_provider_version);
	tcase_add_test(tc, empty_fields);
	tcase_add_test(tc, dangling_quote);
	tcase_add_test(tc, long_lines);
	tcase_add_test(tc, name_length_limit);
	tcase_add_test(tc, nul_byte);
	tcase_add_test(tc, line_numbers_and_duplicates);
	tcase_add_test(tc, messages_are_one_line);
	suite_add_tcase(suite, tc);
	runner = srunner_create(suite);
	srunner_run_all(runner, CK_NORMAL);
	failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
