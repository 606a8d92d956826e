// SPDX-License-Identifier: BSD-2-Clause
/*
 * check_ual_memlock.c - host unit tests of the locked-memory policy
 * (access_layer/memlock.c): reading the process's use, when a failure is
 * blamed on RLIMIT_MEMLOCK, the message, and raising the soft limit at
 * open (with its debug line).  Tests that change limits or the
 * environment do it in a child of their own, so that they leave this
 * process as it was whatever Check's fork mode.
 */
#include <config.h>

#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../access_layer/ual_internal.h"

#define KiB 1024ULL
#define MiB (1024 * KiB)

static const char *const fixes[] = {
	"ulimit -l", "/etc/security/limits.conf", "memlock",
	"LimitMEMLOCK=", "batch system",
};

static void assert_names_fixes(const char *text)
{
	size_t i;

	for (i = 0; i < sizeof(fixes) / sizeof(fixes[0]); i++)
		ck_assert_msg(strstr(text, fixes[i]), "'%s' missing in: %s",
			      fixes[i], text);
}

static struct ual_memlock limits(uint64_t soft, uint64_t hard,
				 uint64_t pinned, uint64_t locked)
{
	struct ual_memlock m = {
		.soft = soft, .hard = hard, .pinned = pinned, .locked = locked,
	};

	return m;
}

static void parse_text(const char *text, struct ual_memlock *m)
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");

	ck_assert_ptr_nonnull(f);
	ual_memlock_parse_status(f, m);
	fclose(f);
}

START_TEST(status_amounts_and_capability)
{
	struct ual_memlock m;

	parse_text("Name:\tdtest\nVmPeak:\t  9000 kB\nVmLck:\t       8 kB\n"
		   "VmPin:\t    1024 kB\nCapInh:\t0000000000004000\n"
		   "CapEff:\t000001ffffffffff\n", &m);
	ck_assert_uint_eq(m.locked, 8 * KiB);
	ck_assert_uint_eq(m.pinned, MiB);
	ck_assert(m.cap_ipc_lock);

	/* CAP_IPC_LOCK is bit 14; the inheritable set does not count. */
	parse_text("CapInh:\t0000000000004000\nCapEff:\t0000000000000000\n", &m);
	ck_assert(!m.cap_ipc_lock);
	parse_text("CapEff:\t0000000000004000\n", &m);
	ck_assert(m.cap_ipc_lock);
	parse_text("CapEff:\t000001ffffffbfff\n", &m);
	ck_assert(!m.cap_ipc_lock);
}
END_TEST

START_TEST(status_missing_or_garbled_is_unknown)
{
	struct ual_memlock m;

	parse_text("Name:\tx\n", &m);
	ck_assert_uint_eq(m.locked, UAL_MEMLOCK_UNKNOWN);
	ck_assert_uint_eq(m.pinned, UAL_MEMLOCK_UNKNOWN);
	ck_assert(!m.cap_ipc_lock);
	parse_text("VmPin:\tlots\nVmLck:\t99999999999999999999999 kB\nCapEff:\tzz\n", &m);
	ck_assert_uint_eq(m.pinned, UAL_MEMLOCK_UNKNOWN);
	ck_assert_uint_eq(m.locked, UAL_MEMLOCK_UNKNOWN);
	ck_assert(!m.cap_ipc_lock);
}
END_TEST

START_TEST(status_of_this_process)
{
	struct ual_memlock m;
	struct rlimit rl;

	ual_memlock_read(&m);
	ck_assert_int_eq(getrlimit(RLIMIT_MEMLOCK, &rl), 0);
	ck_assert_uint_eq(m.soft, rl.rlim_cur == RLIM_INFINITY ?
				  UAL_MEMLOCK_UNLIMITED : rl.rlim_cur);
	ck_assert_uint_eq(m.hard, rl.rlim_max == RLIM_INFINITY ?
				  UAL_MEMLOCK_UNLIMITED : rl.rlim_max);
	/* Linux has both lines; this process pins nothing. */
	ck_assert_uint_eq(m.pinned, 0);
	ck_assert_uint_ne(m.locked, UAL_MEMLOCK_UNKNOWN);
}
END_TEST

START_TEST(span_counts_whole_pages)
{
	ck_assert_uint_eq(ual_memlock_span(0x1000, 0x1000, 4096), 4096);
	ck_assert_uint_eq(ual_memlock_span(0x1001, 1, 4096), 4096);
	ck_assert_uint_eq(ual_memlock_span(0x1fff, 2, 4096), 8192);
	ck_assert_uint_eq(ual_memlock_span(0x1000, 8 * MiB + 1, 4096),
			  8 * MiB + 4096);
	ck_assert_uint_eq(ual_memlock_span(0x1000, 0, 4096), 0);
	ck_assert_uint_eq(ual_memlock_span(UINTPTR_MAX - 10, 100, 4096),
			  UAL_MEMLOCK_UNLIMITED);
	ck_assert_uint_eq(ual_memlock_queue_bytes(4096, 4096), 256 * KiB);
	ck_assert_uint_eq(ual_memlock_queue_bytes(1, 4096), 4096);
	ck_assert_uint_eq(ual_memlock_queue_bytes(0, 4096), 4096);
}
END_TEST

/* Over the limit, with what is pinned already or on its own. */
START_TEST(suspect_when_the_numbers_exceed_the_limit)
{
	struct ual_memlock m = limits(8 * MiB, 8 * MiB, 64 * KiB, 0);

	ck_assert(ual_memlock_suspect(&m, ENOMEM, 16 * MiB, UAL_MEMLOCK_CORE));
	ck_assert(ual_memlock_suspect(&m, -ENOMEM, 16 * MiB, UAL_MEMLOCK_CORE));
	ck_assert(ual_memlock_suspect(&m, EAGAIN, 16 * MiB, UAL_MEMLOCK_CORE));
	ck_assert(ual_memlock_suspect(&m, EFAULT, 16 * MiB, UAL_MEMLOCK_SIW));
	/* Fits alone, not with what is pinned. */
	m.pinned = 6 * MiB;
	ck_assert(ual_memlock_suspect(&m, ENOMEM, 4 * MiB, UAL_MEMLOCK_CORE));
	/* Up to the limit exactly is allowed by the kernel. */
	ck_assert(!ual_memlock_suspect(&m, ENOMEM, 2 * MiB, UAL_MEMLOCK_CORE));
	ck_assert(ual_memlock_suspect(&m, ENOMEM, 2 * MiB + 4096,
				      UAL_MEMLOCK_CORE));
	/* Unknown use: only what is asked can tell. */
	m.pinned = UAL_MEMLOCK_UNKNOWN;
	ck_assert(ual_memlock_suspect(&m, ENOMEM, 9 * MiB, UAL_MEMLOCK_CORE));
	ck_assert(!ual_memlock_suspect(&m, ENOMEM, 4 * MiB, UAL_MEMLOCK_CORE));
	/* Absurd sizes do not wrap around. */
	ck_assert(ual_memlock_suspect(&m, ENOMEM, UAL_MEMLOCK_UNLIMITED,
				      UAL_MEMLOCK_CORE));
	m.pinned = UINT64_MAX - 1;
	ck_assert(ual_memlock_suspect(&m, ENOMEM, 4096, UAL_MEMLOCK_CORE));
}
END_TEST

/* A typo, a bad address or a device limit is not a memlock problem. */
START_TEST(no_suspect_for_other_failures)
{
	struct ual_memlock m = limits(8 * MiB, 8 * MiB, 64 * KiB, 0);

	ck_assert(!ual_memlock_suspect(&m, EINVAL, 16 * MiB, UAL_MEMLOCK_CORE));
	ck_assert(!ual_memlock_suspect(&m, ENODEV, 16 * MiB, UAL_MEMLOCK_CORE));
	ck_assert(!ual_memlock_suspect(&m, ENOSPC, 16 * MiB, UAL_MEMLOCK_CORE));
	/* Small region well within the limit: some other shortage. */
	ck_assert(!ual_memlock_suspect(&m, ENOMEM, 4096, UAL_MEMLOCK_CORE));
	ck_assert(!ual_memlock_suspect(&m, EFAULT, 64 * KiB, UAL_MEMLOCK_CORE));
	/* No limit, no blame. */
	m = limits(UAL_MEMLOCK_UNLIMITED, UAL_MEMLOCK_UNLIMITED, 0, 0);
	ck_assert(!ual_memlock_suspect(&m, ENOMEM, UAL_MEMLOCK_UNLIMITED,
				       UAL_MEMLOCK_CORE));
	/* EPERM only means "no locking at all" with a limit of 0. */
	m = limits(8 * MiB, 8 * MiB, 0, 0);
	ck_assert(!ual_memlock_suspect(&m, EPERM, 16 * MiB, UAL_MEMLOCK_SIW));
	m = limits(0, 0, 0, 0);
	ck_assert(ual_memlock_suspect(&m, EPERM, 4096, UAL_MEMLOCK_SIW));
	ck_assert(ual_memlock_suspect(&m, ENOMEM, 4096, UAL_MEMLOCK_CORE));
}
END_TEST

/* Who the limit binds: CAP_IPC_LOCK and mlock()ed memory per driver. */
START_TEST(suspect_follows_the_driver_rules)
{
	struct ual_memlock m = limits(8 * MiB, 8 * MiB, 0, 6 * MiB);

	/* mlock()ed memory counts for siw only. */
	ck_assert(ual_memlock_suspect(&m, ENOMEM, 4 * MiB, UAL_MEMLOCK_SIW));
	ck_assert(!ual_memlock_suspect(&m, ENOMEM, 4 * MiB, UAL_MEMLOCK_CORE));
	/* CAP_IPC_LOCK lifts the core's check, not siw's. */
	m = limits(8 * MiB, 8 * MiB, 0, 0);
	m.cap_ipc_lock = true;
	ck_assert(!ual_memlock_suspect(&m, ENOMEM, 16 * MiB, UAL_MEMLOCK_CORE));
	ck_assert(ual_memlock_suspect(&m, ENOMEM, 16 * MiB, UAL_MEMLOCK_SIW));
	m.soft = 0;
	ck_assert(!ual_memlock_suspect(&m, EPERM, 4096, UAL_MEMLOCK_SIW));
}
END_TEST

START_TEST(explain_names_limit_size_use_and_fix)
{
	struct ual_memlock m = limits(8 * MiB, 8 * MiB, 64 * KiB, 0);
	char buf[UAL_ERROR_TEXT_MAX];

	ual_memlock_explain(buf, sizeof(buf), &m, 16 * MiB + 4096, false,
			    "a region");
	ck_assert_str_eq(buf,
		"locked-memory limit (RLIMIT_MEMLOCK) soft 8192 KiB, hard 8192 KiB; "
		"asked 16388 KiB for a region, already 64 KiB pinned; raise it: "
		"ulimit -l, memlock in /etc/security/limits.conf, systemd "
		"LimitMEMLOCK=, the batch system's setting");
	assert_names_fixes(buf);
}
END_TEST

START_TEST(explain_unlimited_estimated_unknown_and_mlocked)
{
	struct ual_memlock m = limits(4 * MiB, UAL_MEMLOCK_UNLIMITED,
				      UAL_MEMLOCK_UNKNOWN, UAL_MEMLOCK_UNKNOWN);
	char buf[UAL_ERROR_TEXT_MAX];

	ual_memlock_explain(buf, sizeof(buf), &m, 256 * KiB, true,
			    "a CQ of 4096 entries");
	ck_assert_ptr_nonnull(strstr(buf, "soft 4096 KiB, hard unlimited;"));
	ck_assert_ptr_nonnull(strstr(buf, "asked ~256 KiB for a CQ of 4096 entries;"));
	ck_assert_ptr_null(strstr(buf, "pinned"));
	assert_names_fixes(buf);

	/* Amounts round up: one byte over is not "0 KiB". */
	m = limits(4 * MiB, 4 * MiB, 3 * MiB, 2 * MiB);
	ual_memlock_explain(buf, sizeof(buf), &m, 1, false, "a region");
	ck_assert_ptr_nonnull(strstr(buf, "asked 1 KiB for a region, already 3072 KiB pinned, 2048 KiB mlocked;"));
}
END_TEST

/* Whatever the numbers, the message fits and the fix survives. */
START_TEST(explain_worst_case_keeps_the_fix)
{
	struct ual_memlock m = limits(UINT64_MAX - 1, UINT64_MAX - 1,
				      UINT64_MAX - 1, UINT64_MAX - 1);
	char buf[UAL_ERROR_TEXT_MAX], small[24];
	const char *tail = "systemd LimitMEMLOCK=, the batch system's setting";
	size_t n;

	memset(buf, 'x', sizeof(buf));
	ual_memlock_explain(buf, sizeof(buf), &m, UINT64_MAX - 1, true,
			    "a QP of 4294967295 entries");
	n = strlen(buf);
	ck_assert_uint_lt(n, sizeof(buf));
	ck_assert_str_eq(buf + n - strlen(tail), tail);
	ck_assert_ptr_nonnull(strstr(buf, "locked-memory limit (RLIMIT_MEMLOCK)"));
	assert_names_fixes(buf);

	memset(small, 'x', sizeof(small));
	ual_memlock_explain(small, sizeof(small), &m, 4096, false, "a region");
	ck_assert_uint_eq(strlen(small), sizeof(small) - 1);
	ual_memlock_explain(NULL, 0, &m, 4096, false, "a region");
}
END_TEST

/* Runs @fn in a child with stderr captured; returns its output. */
static char *in_child(void (*fn)(void), int *status)
{
	static char out[4096];
	ssize_t n, got = 0;
	int fd[2];
	pid_t pid;

	ck_assert_int_eq(pipe(fd), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (!pid) {
		close(fd[0]);
		dup2(fd[1], STDERR_FILENO);
		fn();
		_exit(0);
	}
	close(fd[1]);
	while ((n = read(fd[0], out + got, sizeof(out) - 1 - (size_t)got)) > 0)
		got += n;
	out[got] = '\0';
	close(fd[0]);
	ck_assert_int_eq(waitpid(pid, status, 0), pid);
	return out;
}

static void lower_soft(rlim_t soft)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_MEMLOCK, &rl))
		_exit(10);
	rl.rlim_cur = soft;
	if (setrlimit(RLIMIT_MEMLOCK, &rl))
		_exit(11);
}

static void raise_with_debug(void)
{
	struct rlimit rl;
	uint64_t got;

	setenv("UAL_DEBUG", "1", 1);
	lower_soft(64 * KiB);
	got = ual_memlock_raise();
	getrlimit(RLIMIT_MEMLOCK, &rl);
	if (rl.rlim_cur != rl.rlim_max)
		_exit(12);
	if (got != (rl.rlim_max == RLIM_INFINITY ? UAL_MEMLOCK_UNLIMITED : rl.rlim_max))
		_exit(13);
	/* Now soft = hard: nothing to do, and it says so. */
	ual_memlock_raise();
}

START_TEST(raise_soft_to_hard_and_log_it)
{
	struct rlimit rl;
	char want[96];
	int status;
	const char *out = in_child(raise_with_debug, &status);

	ck_assert_msg(WIFEXITED(status) && !WEXITSTATUS(status),
		      "child status %d: %s", status, out);
	ck_assert_int_eq(getrlimit(RLIMIT_MEMLOCK, &rl), 0);
	if (rl.rlim_max == RLIM_INFINITY)
		snprintf(want, sizeof(want), "libual: RLIMIT_MEMLOCK soft limit raised from 64 KiB to unlimited (the hard limit)\n");
	else
		snprintf(want, sizeof(want), "libual: RLIMIT_MEMLOCK soft limit raised from 64 KiB to %llu KiB (the hard limit)\n",
			 (unsigned long long)rl.rlim_max / 1024);
	ck_assert_msg(strstr(out, want), "no '%s' in: %s", want, out);
	ck_assert_msg(strstr(out, rl.rlim_max == RLIM_INFINITY ?
				  "libual: RLIMIT_MEMLOCK is unlimited" :
				  "is the hard limit: left as it is"),
		      "second raise: %s", out);
}
END_TEST

static void raise_quietly(void)
{
	unsetenv("UAL_DEBUG");
	lower_soft(64 * KiB);
	ual_memlock_raise();
	setenv("UAL_DEBUG", "0", 1);	/* read once: stays off */
	ual_debug("must not appear");
}

START_TEST(debug_is_off_by_default)
{
	int status;
	const char *out = in_child(raise_quietly, &status);

	ck_assert(WIFEXITED(status) && !WEXITSTATUS(status));
	ck_assert_str_eq(out, "");
}
END_TEST

/* Blame with this process's real state, under a low soft limit. */
static void blame_under_low_limit(void)
{
	struct ual_error e;
	struct ual_memlock m;

	lower_soft(64 * KiB);
	ual_memlock_read(&m);
	memset(&e, 0, sizeof(e));
	strcpy(e.detail, "untouched");
	if (ual_memlock_blame(&e, EINVAL, MiB, false, "a region", UAL_MEMLOCK_SIW) ||
	    strcmp(e.detail, "untouched"))
		_exit(20);
	if (ual_memlock_blame(&e, ENOMEM, 4096, false, "a region", UAL_MEMLOCK_SIW))
		_exit(21);
	if (!ual_memlock_blame(&e, ENOMEM, MiB, false, "a region", UAL_MEMLOCK_SIW))
		_exit(22);
	if (!strstr(e.detail, "soft 64 KiB") || !strstr(e.detail, "asked 1024 KiB") ||
	    !strstr(e.detail, "ulimit -l"))
		_exit(23);
	/* The core's rule depends on this process's CAP_IPC_LOCK. */
	if (ual_memlock_blame(&e, ENOMEM, MiB, false, "a region",
			      UAL_MEMLOCK_CORE) == m.cap_ipc_lock)
		_exit(24);
	if (ual_memlock_blame(NULL, ENOMEM, MiB, false, "a region", UAL_MEMLOCK_SIW))
		_exit(25);
}

START_TEST(blame_fills_detail_only_when_plausible)
{
	int status;
	const char *out = in_child(blame_under_low_limit, &status);

	ck_assert_msg(WIFEXITED(status) && !WEXITSTATUS(status),
		      "child exit %d: %s", WEXITSTATUS(status), out);
}
END_TEST

static Suite *memlock_suite(void)
{
	Suite *s = suite_create("ual_memlock");
	TCase *t = tcase_create("memlock");

	tcase_add_test(t, status_amounts_and_capability);
	tcase_add_test(t, status_missing_or_garbled_is_unknown);
	tcase_add_test(t, status_of_this_process);
	tcase_add_test(t, span_counts_whole_pages);
	tcase_add_test(t, suspect_when_the_numbers_exceed_the_limit);
	tcase_add_test(t, no_suspect_for_other_failures);
	tcase_add_test(t, suspect_follows_the_driver_rules);
	tcase_add_test(t, explain_names_limit_size_use_and_fix);
	tcase_add_test(t, explain_unlimited_estimated_unknown_and_mlocked);
	tcase_add_test(t, explain_worst_case_keeps_the_fix);
	tcase_add_test(t, raise_soft_to_hard_and_log_it);
	tcase_add_test(t, debug_is_off_by_default);
	tcase_add_test(t, blame_fills_detail_only_when_plausible);
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(memlock_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
