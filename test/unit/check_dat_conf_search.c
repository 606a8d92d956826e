// SPDX-License-Identifier: BSD-3-Clause OR GPL-2.0-only
/*
 * check_dat_conf_search - which dat.conf the registry reads
 * (dat/conf_search.c): DAT_OVERRIDE, else the configured file, else the
 * system file, and the DAT_DBG_SR messages that say why.
 *
 * The file is compiled here with both paths pointing into a scratch
 * directory of the build tree (CONF_TEST_DIR), so the test never depends
 * on what /etc holds.  Each test is forked and starts from an empty
 * directory.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <check.h>

#include "dat_internal.h"

#define CONFIGURED	CONF_TEST_DIR "/etc/dat.conf"
#define SYSTEM		CONF_TEST_DIR "/system/dat.conf"

static char log_path[] = "/tmp/dat-search-log-XXXXXX";

static void put(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	ck_assert_int_eq(fclose(f), 0);
}

static void setup(void)
{
	int fd;

	mkdir(CONF_TEST_DIR, 0755);
	mkdir(CONF_TEST_DIR "/etc", 0755);
	mkdir(CONF_TEST_DIR "/system", 0755);
	unlink(CONFIGURED);
	unlink(SYSTEM);
	unsetenv("DAT_OVERRIDE");
	setenv("DAT_DBG_TYPE", "0x4", 1);
	dat_debug_init();
	fd = mkstemp(log_path);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_ge(dup2(fd, STDERR_FILENO), 0);
	close(fd);
}

static void teardown(void)
{
	unlink(log_path);
	unlink(CONFIGURED);
	unlink(SYSTEM);
	rmdir(CONF_TEST_DIR "/etc");
	rmdir(CONF_TEST_DIR "/system");
	rmdir(CONF_TEST_DIR);
}

static const char *logged(void)
{
	static char buf[8192];
	int fd = open(log_path, O_RDONLY);
	ssize_t n;

	ck_assert_int_ge(fd, 0);
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	return buf;
}

#define ck_assert_logged(text)						\
	do {								\
		const char *log_ = logged();				\
		if (!strstr(log_, (text)))				\
			ck_abort_msg("expected \"%s\" in log:\n%s", (text), log_); \
	} while (0)

/* Opens, checks the first line of the file opened, closes. */
static void expect_read(const char *path, const char *first_line)
{
	struct dat_conf_choice choice;
	char line[128] = "";
	FILE *f = dat_conf_open(&choice);

	ck_assert_ptr_nonnull(f);
	ck_assert_str_eq(choice.path, path);
	ck_assert_ptr_nonnull(fgets(line, sizeof(line), f));
	ck_assert_str_eq(line, first_line);
	fclose(f);
}

START_TEST(configured_file_first)
{
	struct dat_conf_choice choice;
	FILE *f;

	put(CONFIGURED, "configured\n");
	put(SYSTEM, "system\n");
	expect_read(CONFIGURED, "configured\n");
	ck_assert_logged("libdat2: reading " CONFIGURED ", the configured file (DAT_OVERRIDE is not set; "
			 SYSTEM " exists but was not read: " CONFIGURED " comes first (DAT_OVERRIDE="
			 SYSTEM " selects it))\n");
	/* The error messages of a failed open repeat why. */
	f = dat_conf_open(&choice);
	fclose(f);
	ck_assert_ptr_nonnull(strstr(choice.unread, SYSTEM " exists but was not read"));
}
END_TEST

START_TEST(configured_alone)
{
	struct dat_conf_choice choice;
	FILE *f;

	put(CONFIGURED, "configured\n");
	f = dat_conf_open(&choice);
	ck_assert_ptr_nonnull(f);
	fclose(f);
	ck_assert_str_eq(choice.unread, "");
	ck_assert_logged("reading " CONFIGURED ", the configured file (DAT_OVERRIDE is not set)\n");
}
END_TEST

START_TEST(system_file_when_configured_missing)
{
	put(SYSTEM, "system\n");
	expect_read(SYSTEM, "system\n");
	ck_assert_logged("libdat2: reading " SYSTEM ": the configured file " CONFIGURED
			 " cannot be opened (No such file or directory) and DAT_OVERRIDE is not set\n");
}
END_TEST

/* Any failure to open, not only a missing file (root opens anything). */
START_TEST(system_file_when_configured_unreadable)
{
	put(SYSTEM, "system\n");
	ck_assert_int_eq(rmdir(CONF_TEST_DIR "/etc"), 0);
	put(CONF_TEST_DIR "/etc", "a file where the directory should be\n");
	expect_read(SYSTEM, "system\n");
	ck_assert_logged("cannot be opened (Not a directory)");
	unlink(CONF_TEST_DIR "/etc");
}
END_TEST

START_TEST(neither_file)
{
	struct dat_conf_choice choice;

	ck_assert_ptr_null(dat_conf_open(&choice));
	ck_assert_str_eq(choice.path, "");
	ck_assert_str_eq(choice.failure, "no configuration was read: cannot open " CONFIGURED
			 ": No such file or directory, nor " SYSTEM
			 ": No such file or directory (DAT_OVERRIDE is not set)");
	ck_assert_logged(choice.failure);
}
END_TEST

START_TEST(override_wins)
{
	char path[] = "/tmp/dat-search-override-XXXXXX";
	int fd = mkstemp(path);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, "override\n", 9), 9);
	close(fd);
	put(CONFIGURED, "configured\n");
	put(SYSTEM, "system\n");
	setenv("DAT_OVERRIDE", path, 1);
	expect_read(path, "override\n");
	ck_assert_logged(", named by DAT_OVERRIDE (" CONFIGURED " and " SYSTEM " not read)\n");
	unlink(path);
}
END_TEST

START_TEST(override_never_falls_back)
{
	struct dat_conf_choice choice;

	put(CONFIGURED, "configured\n");
	put(SYSTEM, "system\n");
	setenv("DAT_OVERRIDE", CONF_TEST_DIR "/missing.conf", 1);
	ck_assert_ptr_null(dat_conf_open(&choice));
	ck_assert_str_eq(choice.failure, "no configuration was read: cannot open DAT_OVERRIDE "
			 CONF_TEST_DIR "/missing.conf: No such file or directory (when DAT_OVERRIDE is set, "
			 CONFIGURED " is not tried)");
}
END_TEST

START_TEST(empty_override_ignored)
{
	put(CONFIGURED, "configured\n");
	setenv("DAT_OVERRIDE", "", 1);
	expect_read(CONFIGURED, "configured\n");
	ck_assert_logged("libdat2: DAT_OVERRIDE is set but empty: ignored\n");
}
END_TEST

START_TEST(quiet_without_debug)
{
	put(CONFIGURED, "configured\n");
	setenv("DAT_DBG_TYPE", "0x1", 1);
	dat_debug_init();
	expect_read(CONFIGURED, "configured\n");
	ck_assert_str_eq(logged(), "");
}
END_TEST

int main(void)
{
	Suite *suite = suite_create("dat_conf_search");
	TCase *tc = tcase_create("search");
	SRunner *runner;
	int failed;

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, configured_file_first);
	tcase_add_test(tc, configured_alone);
	tcase_add_test(tc, system_file_when_configured_missing);
	tcase_add_test(tc, system_file_when_configured_unreadable);
	tcase_add_test(tc, neither_file);
	tcase_add_test(tc, override_wins);
	tcase_add_test(tc, override_never_falls_back);
	tcase_add_test(tc, empty_override_ignored);
	tcase_add_test(tc, quiet_without_debug);
	suite_add_tcase(suite, tc);
	runner = srunner_create(suite);
	srunner_set_fork_status(runner, CK_FORK);
	srunner_run_all(runner, CK_NORMAL);
	failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
