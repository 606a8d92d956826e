// SPDX-License-Identifier: BSD-3-Clause OR GPL-2.0-only
/*
 * check_dat_messages - whatever a dat.conf holds, every message libdat2
 * prints is one line of printable text.
 *
 * Fuzz-style but deterministic: each round writes a dat.conf of hostile
 * lines from a fixed seed (control characters, escape sequences, CR,
 * NUL, broken and C1 UTF-8, quotes and backslashes, lines of 70,000
 * bytes, random binary), plus entries that parse but carry such bytes in
 * their name, library path and parameters.  The registry then reads it,
 * lists it, and opens registered, misspelt and hostile names with every
 * debug message enabled (DAT_DBG_TYPE=0xff).  The captured stderr must
 * consist of lines that start with "libdat2: " and hold only well-formed
 * UTF-8 without control characters.
 *
 * libdat2 reads DAT_DBG_TYPE in its constructor, so each forked test sets
 * it first and then dlopen()s the library from the build tree.
 */
#include <dlfcn.h>
#include <fcntl.h>
#include <locale.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>
#include <wctype.h>
#include <check.h>

#include <dat2/udat.h>

#ifndef LIBDAT2_PATH
#error "LIBDAT2_PATH must name the libdat2.so.2 of the build tree"
#endif

static char conf_path[] = "/tmp/dat-messages-conf-XXXXXX";
static char log_path[] = "/tmp/dat-messages-log-XXXXXX";

static uint64_t rng;

static unsigned int rnd(unsigned int n)
{
	rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
	return (unsigned int)(rng >> 33) % n;
}

/* Byte strings that have broken messages or terminals before. */
static const char *const nasty[] = {
	"\n", "\r", "\r\n", "\t", "\x1b[2J", "\x1b]0;owned\x07", "\x7f",
	"\x01", "\x08\x08\x08", "\"", "\\", "\\\"", "#", "\xc3", "\xe2\x80",
	"\xc2\x85", "\xc2\x9b" "31m", "\xed\xa0\x80", "\xf5\x80\x80\x80",
	"\xc0\xaf", "\xff\xfe", "\xe2\x80\xae", "caf\xc3\xa9", "%s%n%x",
	"u2.0", "threadsafe", "default", "dapl.2.0", "", " ", "\v\f",
};

static void put_nasty(FILE *f)
{
	fputs(nasty[rnd(sizeof(nasty) / sizeof(nasty[0]))], f);
}

/* A field: plain, quoted or mutated, with hostile bytes mixed in. */
static void put_field(FILE *f, const char *base)
{
	int quoted = rnd(3) == 0, i, n = (int)rnd(3);

	if (quoted)
		fputc('"', f);
	fputs(base, f);
	for (i = 0; i < n; i++)
		put_nasty(f);
	if (quoted && rnd(4))
		fputc('"', f);
}

static void put_entry_like(FILE *f)
{
	static const char *const base[] = {
		"ofa-v2-ib0", "u2.0", "nonthreadsafe", "default",
		"/nonexistent/libx.so", "dapl.2.0", "ib0 0", "",
	};
	int fields = 8 + (int)rnd(3) - 1, i;

	for (i = 0; i < fields; i++) {
		if (i)
			fputc(rnd(8) ? ' ' : '\t', f);
		put_field(f, base[i % 8]);
	}
	fputc('\n', f);
}

/* Parses and registers, with hostile bytes where the grammar allows. */
static void put_registered(FILE *f, int k)
{
	fprintf(f, "bad%d\x1b[31m\x01%s u2.0 nonthreadsafe default \"/nonexistent/lib\\\"\x1b]0;t\x07%d\r.so\" dapl.2.0 \"ib0\n\x7f 0\" \"\xc2\x85\"\n",
		k, k % 2 ? "\xff" : "\xc3\xa9", k);
	fprintf(f, "ok-name-%d u2.0 nonthreadsafe default /nonexistent/libok%d.so dapl.2.0 \"ib0 0\" \"\"\n",
		k, k);
}

static void put_random_bytes(FILE *f, size_t len)
{
	while (len--)
		fputc((int)rnd(256), f);
	fputc('\n', f);
}

static void put_long_line(FILE *f)
{
	size_t i;

	fputs("long u2.0 nonthreadsafe default ", f);
	for (i = 0; i < 70000; i++) {
		if (rnd(50) == 0)
			put_nasty(f);
		else
			fputc('a' + (int)rnd(26), f);
	}
	fputs(" dapl.2.0 x y\n", f);
}

static void write_hostile_conf(unsigned int seed)
{
	int fd = mkstemp(conf_path), i;
	FILE *f;

	ck_assert_int_ge(fd, 0);
	f = fdopen(fd, "w");
	ck_assert_ptr_nonnull(f);
	rng = seed * 0x9e3779b97f4a7c15ULL + 1;
	for (i = 0; i < 300; i++) {
		switch (rnd(8)) {
		case 0:
			put_random_bytes(f, rnd(200));
			break;
		case 1:
			if (rnd(10) == 0)
				put_long_line(f);
			else
				put_registered(f, i);
			break;
		default:
			put_entry_like(f);
			break;
		}
	}
	put_random_bytes(f, 64);	/* and no final newline after it */
	ck_assert_int_eq(fclose(f), 0);
}

/* The checks, with an implementation of UTF-8 independent of libdat2's. */
static void check_line(const char *line, size_t len, unsigned int number)
{
	mbstate_t state;
	size_t i = 0, n;
	wchar_t wc;

	if (len < 9 || memcmp(line, "libdat2: ", 9))
		ck_abort_msg("line %u does not start a message: \"%.*s\"",
			     number, (int)(len < 80 ? len : 80), line);
	memset(&state, 0, sizeof(state));
	while (i < len) {
		n = mbrtowc(&wc, line + i, len - i, &state);
		if (n == (size_t)-1 || n == (size_t)-2 || n == 0)
			ck_abort_msg("line %u: byte %zu (0x%02x) is not UTF-8 text",
				     number, i, (unsigned char)line[i]);
		if (iswcntrl((wint_t)wc))
			ck_abort_msg("line %u: control character U+%04X at byte %zu",
				     number, (unsigned int)wc, i);
		i += n;
	}
}

/* Returns the number of messages after checking every one of them. */
static unsigned int check_log(void)
{
	static char buf[1 << 22];
	unsigned int lines = 0;
	size_t len = 0;
	char *p, *nl;
	ssize_t n;
	int fd;

	fd = open(log_path, O_RDONLY);
	ck_assert_int_ge(fd, 0);
	while ((n = read(fd, buf + len, sizeof(buf) - 1 - len)) > 0)
		len += (size_t)n;
	close(fd);
	ck_assert_uint_lt(len, sizeof(buf) - 1);
	ck_assert_msg(len > 0 && buf[len - 1] == '\n',
		      "the log does not end with a complete line");
	for (p = buf; p < buf + len; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(buf + len - p));
		check_line(p, (size_t)(nl - p), ++lines);
	}
	return lines;
}

static void *open_libdat2(void)
{
	int fd = mkstemp(log_path);
	void *lib;

	ck_assert_int_ge(fd, 0);
	ck_assert_int_ge(dup2(fd, STDERR_FILENO), 0);
	close(fd);
	ck_assert_ptr_nonnull(setlocale(LC_CTYPE, "C.UTF-8"));
	setenv("DAT_DBG_TYPE", "0xff", 1);
	setenv("DAT_DBG_DEST", "0x1", 1);
	setenv("DAT_OVERRIDE", conf_path, 1);
	lib = dlopen(LIBDAT2_PATH, RTLD_NOW | RTLD_GLOBAL);
	ck_assert_msg(lib != NULL, "%s", dlerror());
	return lib;
}

typedef __typeof__(dat_ia_openv) ia_openv_fn;
typedef __typeof__(dat_registry_list_providers) list_fn;

static void exercise(void *lib)
{
	static char *const names[] = {
		"ok-name-1", "ok-name-", "OK-NAME-13", "bad3", "bad3\x1b[31m",
		"\x1b[2J\r\n", "\xc3(\xff", "ofa-v2-ib0", "long", "",
	};
	ia_openv_fn *ia_openv = (ia_openv_fn *)dlsym(lib, "dat_ia_openv");
	list_fn *list = (list_fn *)dlsym(lib, "dat_registry_list_providers");
	DAT_PROVIDER_INFO info[64], *ptrs[64];
	DAT_COUNT n = 0;
	DAT_IA_HANDLE ia;
	size_t i;

	ck_assert_ptr_nonnull(ia_openv);
	ck_assert_ptr_nonnull(list);
	for (i = 0; i < 64; i++)
		ptrs[i] = &info[i];
	list(64, &n, ptrs);
	/* Open what is registered too: the loader's messages quote paths. */
	for (i = 0; i < (size_t)n && i < 64; i++)
		ia_openv(info[i].ia_name, 4, NULL, &ia, 2, 0, DAT_FALSE);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		ia_openv(names[i], 4, NULL, &ia, 2, 0, DAT_FALSE);
		ia_openv(names[i], 4, NULL, &ia, 2, 0, DAT_TRUE);
	}
}

START_TEST(hostile_conf)
{
	unsigned int lines;
	void *lib;

	write_hostile_conf((unsigned int)_i);
	lib = open_libdat2();
	exercise(lib);
	lines = check_log();
	/* Rejected lines, registrations, failed loads and opens: many. */
	ck_assert_uint_gt(lines, 100);
	unlink(conf_path);
	unlink(log_path);
}
END_TEST

/* The path itself is hostile and cannot be opened. */
START_TEST(hostile_override_path)
{
	void *lib;

	strcpy(conf_path, "/nonexistent/\x1b[2J\r\n\xc2\x85.conf");
	lib = open_libdat2();
	exercise(lib);
	ck_assert_uint_gt(check_log(), 10);
	unlink(log_path);
}
END_TEST

int main(void)
{
	Suite *suite = suite_create("dat_messages");
	TCase *tc = tcase_create("messages");
	SRunner *runner;
	int failed;

	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, hostile_conf, 0, 12);
	tcase_add_test(tc, hostile_override_path);
	suite_add_tcase(suite, tc);
	runner = srunner_create(suite);
	srunner_set_fork_status(runner, CK_FORK);
	srunner_run_all(runner, CK_NORMAL);
	failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
