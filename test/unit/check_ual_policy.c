// SPDX-License-Identifier: BSD-2-Clause
/*
 * check_ual_policy.c - host unit tests of the access layer's pure policy:
 * access rights, completion status, errors, device specs, private-data
 * limits and retry back-off.  No RDMA device is needed.
 */
#include <config.h>

#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../../access_layer/ual_internal.h"

START_TEST(access_ib_keeps_rights)
{
	unsigned int a = ual_access_effective(UAL_ACCESS_LOCAL_WRITE,
					      UAL_TRANSPORT_ROCE_V2);

	ck_assert_uint_eq(a, UAL_ACCESS_LOCAL_WRITE);
	ck_assert_int_eq(ual_access_to_ibv(a), IBV_ACCESS_LOCAL_WRITE);
}
END_TEST

START_TEST(access_iwarp_read_sink_gets_remote_write)
{
	unsigned int a = ual_access_effective(UAL_ACCESS_LOCAL_WRITE,
					      UAL_TRANSPORT_IWARP);

	ck_assert(a & UAL_ACCESS_REMOTE_WRITE);
	ck_assert_int_eq(ual_access_to_ibv(a),
			 IBV_ACCESS_LOCAL_WRITE | IBV_ACCESS_REMOTE_WRITE);
	/* read-only source regions stay read-only */
	a = ual_access_effective(UAL_ACCESS_REMOTE_READ, UAL_TRANSPORT_IWARP);
	ck_assert_uint_eq(a, UAL_ACCESS_REMOTE_READ);
}
END_TEST

START_TEST(access_remote_write_implies_local_write)
{
	unsigned int a = ual_access_effective(UAL_ACCESS_REMOTE_ATOMIC,
					      UAL_TRANSPORT_IB);

	ck_assert(a & UAL_ACCESS_LOCAL_WRITE);
	ck_assert(ual_access_to_ibv(a) & IBV_ACCESS_REMOTE_ATOMIC);
}
END_TEST

START_TEST(wc_status_mapping)
{
	static const struct {
		enum ibv_wc_status in;
		enum ual_wc_status out;
	} map[] = {
		{ IBV_WC_SUCCESS, UAL_WC_SUCCESS },
		{ IBV_WC_LOC_LEN_ERR, UAL_WC_LOCAL_LENGTH },
		{ IBV_WC_LOC_PROT_ERR, UAL_WC_LOCAL_PROTECTION },
		{ IBV_WC_WR_FLUSH_ERR, UAL_WC_FLUSHED },
		{ IBV_WC_REM_ACCESS_ERR, UAL_WC_REMOTE_ACCESS },
		{ IBV_WC_REM_OP_ERR, UAL_WC_REMOTE_OPERATION },
		{ IBV_WC_REM_INV_REQ_ERR, UAL_WC_REMOTE_OPERATION },
		{ IBV_WC_RETRY_EXC_ERR, UAL_WC_TRANSPORT_RETRY_EXCEEDED },
		{ IBV_WC_RNR_RETRY_EXC_ERR, UAL_WC_RNR_RETRY_EXCEEDED },
		{ IBV_WC_BAD_RESP_ERR, UAL_WC_BAD_RESPONSE },
		{ IBV_WC_LOC_QP_OP_ERR, UAL_WC_LOCAL_QP_OPERATION },
		{ IBV_WC_GENERAL_ERR, UAL_WC_OTHER },
	};
	size_t i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		ck_assert_int_eq(ual_wc_status_from_ibv(map[i].in), map[i].out);
}
END_TEST

START_TEST(wc_status_strings)
{
	int s;

	for (s = 0; s < UAL_WC_STATUS_COUNT; s++) {
		ck_assert_ptr_nonnull(ual_wc_status_str(s));
		ck_assert_int_gt(strlen(ual_wc_status_str(s)), 5);
	}
	ck_assert_str_eq(ual_wc_status_str(UAL_WC_STATUS_COUNT),
			 "invalid completion status");
	ck_assert_int_eq(ual_wc_opcode_from_ibv(IBV_WC_RECV_RDMA_WITH_IMM),
			 UAL_WC_RECV_RDMA_WITH_IMM);
}
END_TEST

START_TEST(error_format_full)
{
	struct ual_error e;
	struct sockaddr_in sin = { .sin_family = AF_INET,
				   .sin_port = htons(7471) };
	char buf[512];

	memset(&e, 0, sizeof(e));
	inet_pton(AF_INET, "192.168.77.1", &sin.sin_addr);
	ck_assert_int_eq(ual_err_set(&e, ETIMEDOUT, "rdma_resolve_route",
				     "retried %d times", 3), -ETIMEDOUT);
	ual_err_context(&e, "rxe0", (struct sockaddr *)&sin);
	e.status = -110;
	ual_strerror(&e, buf, sizeof(buf));
	ck_assert_str_eq(buf, "rdma_resolve_route failed on rxe0 (192.168.77.1:7471): "
			      "Connection timed out [status -110]; retried 3 times");
}
END_TEST

START_TEST(error_format_none_and_truncation)
{
	struct ual_error e;
	char small[16];

	memset(&e, 0, sizeof(e));
	ck_assert_str_eq(ual_strerror(&e, small, sizeof(small)), "no error");
	ual_err_set(&e, -EPERM, "ibv_reg_mr", NULL);
	ck_assert_int_eq(e.errnum, EPERM);
	ual_strerror(&e, small, sizeof(small));
	ck_assert_int_eq(strlen(small), sizeof(small) - 1);
	ck_assert_int_eq(ual_err_set(NULL, ENOMEM, "x", NULL), -ENOMEM);
}
END_TEST

static bool fake_is_device(const char *name)
{
	return !strcmp(name, "rxe0") || !strcmp(name, "siwA");
}

START_TEST(spec_device_port)
{
	struct ual_spec s;

	ck_assert_int_eq(ual_spec_parse("rxe0:1", fake_is_device, &s), 0);
	ck_assert_int_eq(s.kind, UAL_SPEC_DEVICE);
	ck_assert_str_eq(s.name, "rxe0");
	ck_assert_uint_eq(s.port, 1);
	ck_assert_int_eq(ual_spec_parse("siwA", fake_is_device, &s), 0);
	ck_assert_int_eq(s.kind, UAL_SPEC_DEVICE);
	ck_assert_uint_eq(s.port, 0);
	ck_assert_int_eq(ual_spec_parse("mlx5_9:1", fake_is_device, &s), -ENODEV);
	ck_assert_int_eq(ual_spec_parse("rxe0:0", fake_is_device, &s), 0);
	ck_assert_int_eq(s.kind, UAL_SPEC_NAME);	/* port 0 is no port */
}
END_TEST

START_TEST(spec_addresses)
{
	struct ual_spec s;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&s.addr;

	ck_assert_int_eq(ual_spec_parse("192.168.77.1", fake_is_device, &s), 0);
	ck_assert_int_eq(s.kind, UAL_SPEC_ADDRESS);
	ck_assert_int_eq(s.addr.ss_family, AF_INET);
	ck_assert_int_eq(ual_spec_parse("fd00:78::2", fake_is_device, &s), 0);
	ck_assert_int_eq(s.kind, UAL_SPEC_ADDRESS);
	ck_assert_int_eq(s.addr.ss_family, AF_INET6);
	ck_assert_int_eq(in6->sin6_addr.s6_addr[15], 2);
	ck_assert_int_eq(ual_spec_parse("[fd00:77::1]", fake_is_device, &s), 0);
	ck_assert_int_eq(s.addr.ss_family, AF_INET6);
	ck_assert_int_eq(ual_spec_parse("::1", NULL, &s), 0);
	ck_assert_int_eq(s.kind, UAL_SPEC_ADDRESS);
}
END_TEST

START_TEST(spec_names_and_garbage)
{
	struct ual_spec s;
	char longname[100];

	ck_assert_int_eq(ual_spec_parse("rxe_veth", fake_is_device, &s), 0);
	ck_assert_int_eq(s.kind, UAL_SPEC_NAME);
	ck_assert_int_eq(ual_spec_parse("node17.cluster", fake_is_device, &s), 0);
	ck_assert_int_eq(s.kind, UAL_SPEC_NAME);
	ck_assert_int_eq(ual_spec_parse("", fake_is_device, &s), -EINVAL);
	ck_assert_int_eq(ual_spec_parse(NULL, fake_is_device, &s), -EINVAL);
	ck_assert_int_eq(ual_spec_parse("veth0 0", fake_is_device, &s), -EINVAL);
	memset(longname, 'x', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	ck_assert_int_eq(ual_spec_parse(longname, fake_is_device, &s), -EINVAL);
}
END_TEST

START_TEST(sockaddr_helpers)
{
	struct sockaddr_storage ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&ss;
	char buf[64];

	memset(&ss, 0, sizeof(ss));
	in6->sin6_family = AF_INET6;
	ck_assert(ual_sockaddr_is_any((struct sockaddr *)&ss));
	inet_pton(AF_INET6, "fd00:77::1", &in6->sin6_addr);
	ual_sockaddr_set_port((struct sockaddr *)&ss, 4791);
	ck_assert_uint_eq(ual_sockaddr_port((struct sockaddr *)&ss), 4791);
	ck_assert_str_eq(ual_sockaddr_str((struct sockaddr *)&ss, buf, sizeof(buf)),
			 "[fd00:77::1]:4791");
	ck_assert_int_eq(ual_sockaddr_len((struct sockaddr *)&ss),
			 sizeof(struct sockaddr_in6));
}
END_TEST

START_TEST(pdata_limits_per_transport)
{
	struct ual_pdata_limits l;

	ual_pdata_limits(UAL_TRANSPORT_IB, &l);
	ck_assert_uint_eq(l.connect, 56);
	ck_assert_uint_eq(l.accept, 196);
	ck_assert_uint_eq(l.reject, 148);
	ual_pdata_limits(UAL_TRANSPORT_ROCE_V2, &l);
	ck_assert_uint_eq(l.connect, 56);
	ual_pdata_limits(UAL_TRANSPORT_IWARP, &l);
	/* MPA allows 512, but rdma_cm's length field is a u8 */
	ck_assert_uint_eq(l.connect, 255);
	ck_assert_uint_eq(l.accept, 255);
	ck_assert_uint_eq(l.reject, 255);
	ck_assert_uint_le(l.connect, UAL_PDATA_MAX);
}
END_TEST

START_TEST(transport_caps)
{
	uint32_t c = ual_transport_caps(UAL_TRANSPORT_IWARP, IBV_ATOMIC_HCA);

	ck_assert(!(c & UAL_CAP_ATOMICS));
	ck_assert(!(c & UAL_CAP_UD));
	ck_assert(c & UAL_CAP_ACTIVE_SENDS_FIRST);
	c = ual_transport_caps(UAL_TRANSPORT_ROCE_V2, IBV_ATOMIC_HCA);
	ck_assert(c & UAL_CAP_ATOMICS);
	ck_assert(c & UAL_CAP_IMMEDIATE);
	c = ual_transport_caps(UAL_TRANSPORT_ROCE_V2, IBV_ATOMIC_NONE);
	ck_assert(!(c & UAL_CAP_ATOMICS));
	ck_assert_str_eq(ual_transport_name(UAL_TRANSPORT_IWARP), "iWARP");
}
END_TEST

/*
 * The siw window arithmetic, checked against what was measured in the
 * guest (doc/access_layer.md): 144 pages of 4 KiB; 120-byte SQ entries,
 * 112-byte RQ entries, 32-byte CQ entries plus an 8-byte arming word.
 */
START_TEST(siw_window_pages)
{
	ck_assert_uint_eq(ual_siw_window_pages(4096), 144);
	ck_assert_uint_eq(ual_siw_sq_pages(16, 4096), 1);
	ck_assert_uint_eq(ual_siw_sq_pages(32, 4096), 1);
	ck_assert_uint_eq(ual_siw_sq_pages(33, 4096), 2);	/* 64 x 120 */
	ck_assert_uint_eq(ual_siw_sq_pages(64, 4096), 2);
	ck_assert_uint_eq(ual_siw_rq_pages(0, 4096), 0);	/* on an SRQ */
	ck_assert_uint_eq(ual_siw_rq_pages(32, 4096), 1);
	ck_assert_uint_eq(ual_siw_rq_pages(64, 4096), 2);
	ck_assert_uint_eq(ual_siw_cq_pages(64, 4096), 1);
	ck_assert_uint_eq(ual_siw_cq_pages(128, 4096), 2);	/* 4096 + 8 */
	ck_assert_uint_eq(ual_siw_cq_pages(256, 4096), 3);
}
END_TEST

START_TEST(siw_qps_that_fit)
{
	/* two 256-entry CQs (6 pages), then QPs front to back */
	ck_assert_uint_eq(ual_siw_qps_that_fit(2, 2, 6, 4096), 34);
	ck_assert_uint_eq(ual_siw_qps_that_fit(1, 1, 6, 4096), 69);
	/* on an SRQ of 1024 entries (28 pages) only the SQ is mapped */
	ck_assert_uint_eq(ual_siw_qps_that_fit(1, 0, 34, 4096), 110);
	ck_assert_uint_eq(ual_siw_qps_that_fit(1, 1, 144, 4096), 0);
	ck_assert_uint_eq(ual_siw_qps_that_fit(0, 1, 0, 4096), 0);
}
END_TEST

START_TEST(siw_explain_fits_and_says_what_to_do)
{
	struct ual_error e;
	char buf[UAL_ERROR_TEXT_MAX];

	ual_siw_explain(buf, sizeof(buf), "siwB", "QP", 4, 138, 34, 4096);
	ck_assert_ptr_nonnull(strstr(buf, "144-page window per process"));
	ck_assert_ptr_nonnull(strstr(buf, "138 pages in use, this QP needs 4"));
	ck_assert_ptr_nonnull(strstr(buf, "~34 such QPs"));
	ck_assert_ptr_nonnull(strstr(buf, "or an SRQ"));
	/* the whole advice must survive in struct ual_error */
	ual_err_set(&e, ENOSPC, "ibv_create_qp", "%s", buf);
	ck_assert_str_eq(e.detail, buf);
	ck_assert_uint_lt(strlen(buf), sizeof(e.detail) - 1);
	ual_siw_explain(buf, sizeof(buf), "siwB", "CQ", 3, 143, 0, 4096);
	ck_assert_ptr_null(strstr(buf, "such QPs"));
	ual_siw_explain(buf, 20, "siwB", "QP", 4, 138, 34, 4096);
	ck_assert_uint_eq(strlen(buf), 19);
}
END_TEST

START_TEST(retry_backoff_doubles_and_caps)
{
	struct ual_connect_opts o = { .retries = 5, .backoff_initial_ms = 100,
				      .backoff_max_ms = 500 };
	struct ual_retry r;

	ual_retry_init(&r, &o);
	ck_assert_int_eq(ual_retry_next(&r), 100);
	ck_assert_int_eq(ual_retry_next(&r), 200);
	ck_assert_int_eq(ual_retry_next(&r), 400);
	ck_assert_int_eq(ual_retry_next(&r), 500);
	ck_assert_int_eq(ual_retry_next(&r), 500);
	ck_assert_int_eq(ual_retry_next(&r), -1);
}
END_TEST

START_TEST(retry_defaults_and_none)
{
	struct ual_connect_opts o = { .retries = 1 };
	struct ual_retry r;

	ual_retry_init(&r, &o);
	ck_assert_int_eq(ual_retry_next(&r), UAL_DEFAULT_BACKOFF_MS);
	ck_assert_int_eq(ual_retry_next(&r), -1);
	o.retries = 0;
	ual_retry_init(&r, &o);
	ck_assert_int_eq(ual_retry_next(&r), -1);
	o = (struct ual_connect_opts){ .retries = 2, .backoff_initial_ms = 9000,
				       .backoff_max_ms = 1000 };
	ual_retry_init(&r, &o);
	ck_assert_int_eq(ual_retry_next(&r), 1000);
}
END_TEST

static Suite *policy_suite(void)
{
	Suite *s = suite_create("ual_policy");
	TCase *t = tcase_create("policy");

	tcase_add_test(t, access_ib_keeps_rights);
	tcase_add_test(t, access_iwarp_read_sink_gets_remote_write);
	tcase_add_test(t, access_remote_write_implies_local_write);
	tcase_add_test(t, wc_status_mapping);
	tcase_add_test(t, wc_status_strings);
	tcase_add_test(t, error_format_full);
	tcase_add_test(t, error_format_none_and_truncation);
	tcase_add_test(t, spec_device_port);
	tcase_add_test(t, spec_addresses);
	tcase_add_test(t, spec_names_and_garbage);
	tcase_add_test(t, sockaddr_helpers);
	tcase_add_test(t, pdata_limits_per_transport);
	tcase_add_test(t, transport_caps);
	tcase_add_test(t, siw_window_pages);
	tcase_add_test(t, siw_qps_that_fit);
	tcase_add_test(t, siw_explain_fits_and_says_what_to_do);
	tcase_add_test(t, retry_backoff_doubles_and_caps);
	tcase_add_test(t, retry_defaults_and_none);
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(policy_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
