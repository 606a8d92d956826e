// SPDX-License-Identifier: BSD-3-Clause OR GPL-2.0-only
/*
 * check_dapl_policy.c - the uDAPL provider's pure functions: ia_params
 * (dat.conf field 7) to an access-layer device spec, and the errno to
 * DAT_RETURN conversion every call's failure goes through.
 */
#include <config.h>

#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../dapl/common/dapl.h"

/* A fake /sys/class/infiniband listing one device, "rxe0". */
static char class_dir[64];

static void make_class_dir(void)
{
	char path[128];

	snprintf(class_dir, sizeof(class_dir), "/tmp/check_dapl_XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(class_dir));
	snprintf(path, sizeof(path), "%s/rxe0", class_dir);
	ck_assert_int_eq(mkdir(path, 0700), 0);
}

static void remove_class_dir(void)
{
	char path[128];

	snprintf(path, sizeof(path), "%s/rxe0", class_dir);
	rmdir(path);
	rmdir(class_dir);
}

static const struct {
	const char *params;
	int rc;
	const char *spec;
} params_cases[] = {
	/* OFA's forms: a netdev with a port word it ignores */
	{ "ib0 0", 0, "ib0" },
	{ "rxe_veth 0", 0, "rxe_veth" },
	{ "eth2 1", 0, "eth2" },		/* not an RDMA device: port unused */
	/* an RDMA device with its port */
	{ "rxe0 1", 0, "rxe0:1" },
	{ "rxe0 2", 0, "rxe0:2" },
	{ "rxe0 0", 0, "rxe0" },		/* port 0: the address decides */
	{ "rxe0", 0, "rxe0" },
	/* addresses and host names */
	{ "192.168.77.1 0", 0, "192.168.77.1" },
	{ "fd00:77::1 0", 0, "fd00:77::1" },
	{ "[fd00:78::2]", 0, "[fd00:78::2]" },
	{ "myhost.example 0", 0, "myhost.example" },
	/* blanks around and between the words */
	{ "  ib0\t 0 ", 0, "ib0" },
	{ "ib0 255", 0, "ib0" },
	/* malformed */
	{ "", -EINVAL, NULL },
	{ "   ", -EINVAL, NULL },
	{ "ib0 0 extra", -EINVAL, NULL },
	{ "ib0 x", -EINVAL, NULL },
	{ "ib0 1x", -EINVAL, NULL },
	{ "ib0 -1", -EINVAL, NULL },
	{ "ib0 +1", -EINVAL, NULL },
	{ "ib0 256", -EINVAL, NULL },
	{ "ib0 99999999999999999999", -EINVAL, NULL },
	/* path tricks never name a device */
	{ "../rxe0 1", 0, "../rxe0" },
	{ ". 1", 0, "." },
};

START_TEST(test_ia_params)
{
	const char *in = params_cases[_i].params;
	char spec[256];
	int rc;

	memset(spec, 'X', sizeof(spec));
	rc = dapl_ia_params_parse(in, class_dir, spec, sizeof(spec));
	ck_assert_msg(rc == params_cases[_i].rc, "\"%s\": rc %d, expected %d",
		      in, rc, params_cases[_i].rc);
	if (!rc)
		ck_assert_str_eq(spec, params_cases[_i].spec);
}
END_TEST

START_TEST(test_ia_params_limits)
{
	char longp[300], spec[256], tiny[4];

	ck_assert_int_eq(dapl_ia_params_parse(NULL, class_dir, spec, sizeof(spec)), -EINVAL);
	ck_assert_int_eq(dapl_ia_params_to_spec(NULL, spec, sizeof(spec)), -EINVAL);
	ck_assert_int_eq(dapl_ia_params_parse("ib0 0", class_dir, NULL, 8), -EINVAL);
	ck_assert_int_eq(dapl_ia_params_parse("ib0 0", class_dir, spec, 0), -EINVAL);
	/* 255 characters fit, 256 do not (dat.conf's own limit) */
	memset(longp, 'a', sizeof(longp));
	longp[255] = 0;
	ck_assert_int_eq(dapl_ia_params_parse(longp, class_dir, spec, sizeof(spec)), 0);
	ck_assert_uint_eq(strlen(spec), 255);
	longp[255] = 'a';
	longp[256] = 0;
	ck_assert_int_eq(dapl_ia_params_parse(longp, class_dir, spec, sizeof(spec)),
			 -ENAMETOOLONG);
	/* a spec buffer too small is refused, not truncated */
	ck_assert_int_eq(dapl_ia_params_parse("rxe0 1", class_dir, tiny, sizeof(tiny)),
			 -ENAMETOOLONG);
	ck_assert_int_eq(dapl_ia_params_parse("ib0 0", class_dir, tiny, sizeof(tiny)), 0);
	ck_assert_str_eq(tiny, "ib0");
}
END_TEST

#define E(t, s) DAT_ERROR(t, s)

static const struct {
	int err;
	DAT_RETURN ret;
} errno_cases[] = {
	{ 0, DAT_SUCCESS },
	{ EOVERFLOW, E(DAT_LENGTH_ERROR, DAT_NO_SUBTYPE) },
	{ EMSGSIZE, E(DAT_LENGTH_ERROR, DAT_NO_SUBTYPE) },
	{ EACCES, E(DAT_PRIVILEGES_VIOLATION, DAT_NO_SUBTYPE) },
	{ EPERM, E(DAT_PROTECTION_VIOLATION, DAT_NO_SUBTYPE) },
	{ EINVAL, E(DAT_INVALID_PARAMETER, DAT_NO_SUBTYPE) },
	{ EISCONN, E(DAT_INVALID_STATE, DAT_INVALID_STATE_EP_CONNECTED) },
	{ ENOTCONN, E(DAT_INVALID_STATE, DAT_INVALID_STATE_EP_DISCONNECTED) },
	{ ECONNREFUSED, E(DAT_INVALID_STATE, DAT_INVALID_STATE_EP_NOTREADY) },
	{ ETIMEDOUT, E(DAT_TIMEOUT_EXPIRED, DAT_NO_SUBTYPE) },
	{ ENETUNREACH, E(DAT_INVALID_ADDRESS, DAT_INVALID_ADDRESS_UNREACHABLE) },
	{ EHOSTUNREACH, E(DAT_INVALID_ADDRESS, DAT_INVALID_ADDRESS_UNREACHABLE) },
	{ EADDRINUSE, E(DAT_CONN_QUAL_IN_USE, DAT_NO_SUBTYPE) },
	{ EALREADY, E(DAT_INVALID_STATE, DAT_INVALID_STATE_EP_ACTCONNPENDING) },
	{ ENOMEM, E(DAT_INSUFFICIENT_RESOURCES, DAT_NO_SUBTYPE) },
	{ ENOSPC, E(DAT_INSUFFICIENT_RESOURCES, DAT_NO_SUBTYPE) },
	{ EAGAIN, E(DAT_QUEUE_EMPTY, DAT_NO_SUBTYPE) },
	{ EINTR, E(DAT_INTERRUPTED_CALL, DAT_NO_SUBTYPE) },
	{ EAFNOSUPPORT, E(DAT_INVALID_ADDRESS, DAT_INVALID_ADDRESS_MALFORMED) },
	{ EADDRNOTAVAIL, E(DAT_INVALID_ADDRESS, DAT_INVALID_ADDRESS_MALFORMED) },
	{ EOPNOTSUPP, E(DAT_NOT_IMPLEMENTED, DAT_NO_SUBTYPE) },
	{ ENODEV, E(DAT_PROVIDER_NOT_FOUND, DAT_NO_SUBTYPE) },
	{ ENXIO, E(DAT_PROVIDER_NOT_FOUND, DAT_NO_SUBTYPE) },
	/* anything else is an internal error, never success */
	{ EIO, E(DAT_INTERNAL_ERROR, DAT_NO_SUBTYPE) },
	{ EBUSY, E(DAT_INTERNAL_ERROR, DAT_NO_SUBTYPE) },
	{ 4095, E(DAT_INTERNAL_ERROR, DAT_NO_SUBTYPE) },
};

START_TEST(test_errno)
{
	int e = errno_cases[_i].err;
	DAT_RETURN got = dapl_status_from_errno(-e);

	ck_assert_msg(got == errno_cases[_i].ret, "errno %d: 0x%08x, expected 0x%08x",
		      e, (unsigned int)got, (unsigned int)errno_cases[_i].ret);
	/* OFA drops the class bit on some errors (dapl.md 1.7); we never do */
	if (e)
		ck_assert((got & DAT_CLASS_ERROR) == DAT_CLASS_ERROR);
}
END_TEST

START_TEST(test_status_log)
{
	struct ual_error err = { .errnum = ENOMEM, .step = "ibv_reg_mr" };

	/* logging (to stderr) does not change the conversion */
	ck_assert_uint_eq(dapl_status_log("t", -ENOMEM, &err),
			  dapl_status_from_errno(-ENOMEM));
	ck_assert_uint_eq(dapl_status_log("t", -EACCES, NULL),
			  dapl_status_from_errno(-EACCES));
	ck_assert_uint_eq(dapl_status_log("t", 0, NULL), DAT_SUCCESS);
}
END_TEST

static Suite *dapl_suite(void)
{
	Suite *s = suite_create("dapl_policy");
	TCase *tc = tcase_create("ia_params");

	tcase_add_unchecked_fixture(tc, make_class_dir, remove_class_dir);
	tcase_add_loop_test(tc, test_ia_params, 0,
			    sizeof(params_cases) / sizeof(params_cases[0]));
	tcase_add_test(tc, test_ia_params_limits);
	suite_add_tcase(s, tc);
	tc = tcase_create("status");
	tcase_add_loop_test(tc, test_errno, 0,
			    sizeof(errno_cases) / sizeof(errno_cases[0]));
	tcase_add_test(tc, test_status_log);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(dapl_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
