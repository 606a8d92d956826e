// SPDX-License-Identifier: BSD-2-Clause
/*
 * check_ual_policy2.c - host unit tests of the connection policy of issue
 * 7: resolution retries on a budget of their own, the consumer's timeout
 * and the disconnect bound as flagged events, and the RDMA read depths an
 * endpoint asks for and an accept grants.  No RDMA device is needed.
 */
#include <config.h>

#include <check.h>
#include <stdint.h>
#include <stdlib.h>

#include "../../access_layer/ual_internal.h"

static struct ual_conn_step run(enum ual_ep_state s, enum ual_conn_input in,
				enum ual_reject_reason why, unsigned int budget)
{
	struct ual_conn_step st;

	ual_conn_step(s, in, why, budget, &st);
	return st;
}

START_TEST(resolve_errors_spend_their_own_budget)
{
	struct ual_conn_step st;

	st = run(UAL_EP_ADDR_QUERY, UAL_IN_ADDR_ERROR, 0, UAL_MAY_RERESOLVE);
	ck_assert_int_eq(st.next, UAL_EP_ADDR_QUERY);
	ck_assert_int_eq(st.action, UAL_ACT_RESOLVE_ADDR);
	ck_assert_int_eq(st.deliver, UAL_EVENT_NONE);
	ck_assert(!st.recycle);
	st = run(UAL_EP_ROUTE_QUERY, UAL_IN_ROUTE_ERROR, 0, UAL_MAY_RERESOLVE);
	ck_assert_int_eq(st.next, UAL_EP_ROUTE_QUERY);
	ck_assert_int_eq(st.action, UAL_ACT_RESOLVE_ROUTE);
	/* Connect retries left do not buy resolution retries. */
	st = run(UAL_EP_ADDR_QUERY, UAL_IN_ADDR_ERROR, 0, UAL_MAY_RETRY);
	ck_assert_int_eq(st.next, UAL_EP_FAILED);
	ck_assert_int_eq(st.action, UAL_ACT_CANCEL);
	ck_assert_int_eq(st.deliver, UAL_EVENT_CONN_UNREACHABLE);
	ck_assert_uint_eq(st.flags, 0);
	st = run(UAL_EP_ROUTE_QUERY, UAL_IN_ROUTE_ERROR, 0, 0);
	ck_assert_int_eq(st.deliver, UAL_EVENT_CONN_UNREACHABLE);
	/* A late resolution error in another state changes nothing. */
	st = run(UAL_EP_CONNECTING, UAL_IN_ADDR_ERROR, 0, UAL_MAY_RERESOLVE);
	ck_assert_int_eq(st.next, UAL_EP_CONNECTING);
	ck_assert_int_eq(st.action, UAL_ACT_NONE);
}
END_TEST

START_TEST(connect_failures_spend_connect_retries_only)
{
	struct ual_conn_step st;

	st = run(UAL_EP_CONNECTING, UAL_IN_REJECTED, UAL_REJECT_NO_LISTENER,
		 UAL_MAY_RERESOLVE);
	ck_assert_int_eq(st.next, UAL_EP_FAILED);
	ck_assert_int_eq(st.deliver, UAL_EVENT_CONN_REJECTED);
	st = run(UAL_EP_CONNECTING, UAL_IN_UNREACHABLE, 0,
		 UAL_MAY_RETRY | UAL_MAY_RERESOLVE);
	ck_assert_int_eq(st.next, UAL_EP_RETRY_WAIT);
	ck_assert_int_eq(st.action, UAL_ACT_RETRY_LATER);
	/* recycle: cm.c flushes the QP before the back-off */
	ck_assert(st.recycle);
	/* "true" still means a connect retry, as before */
	st = run(UAL_EP_CONNECTING, UAL_IN_CONNECT_REFUSED, 0, true);
	ck_assert_int_eq(st.next, UAL_EP_RETRY_WAIT);
}
END_TEST

START_TEST(consumer_timeout_is_flagged)
{
	static const enum ual_ep_state pending[] = {
		UAL_EP_ADDR_QUERY, UAL_EP_ROUTE_QUERY, UAL_EP_CONNECTING,
		UAL_EP_RETRY_WAIT,
	};
	struct ual_conn_step st;
	size_t i;

	for (i = 0; i < sizeof(pending) / sizeof(pending[0]); i++) {
		st = run(pending[i], UAL_IN_TIMEOUT, 0, UAL_MAY_RETRY);
		ck_assert_int_eq(st.next, UAL_EP_FAILED);
		ck_assert_int_eq(st.action, UAL_ACT_CANCEL);
		ck_assert_int_eq(st.deliver, UAL_EVENT_CONN_UNREACHABLE);
		ck_assert_uint_eq(st.flags, UAL_EVFLAG_TIMED_OUT);
	}
	/* the transport's own "unreachable" carries no flag */
	st = run(UAL_EP_CONNECTING, UAL_IN_UNREACHABLE, 0, 0);
	ck_assert_int_eq(st.deliver, UAL_EVENT_CONN_UNREACHABLE);
	ck_assert_uint_eq(st.flags, 0);
	/* a deadline after the connection is up is ignored */
	st = run(UAL_EP_CONNECTED, UAL_IN_TIMEOUT, 0, 0);
	ck_assert_int_eq(st.next, UAL_EP_CONNECTED);
	ck_assert_int_eq(st.deliver, UAL_EVENT_NONE);
	ck_assert_uint_eq(st.flags, 0);
}
END_TEST

START_TEST(disconnect_is_bounded)
{
	struct ual_conn_step st;

	st = run(UAL_EP_CONNECTED, UAL_IN_LOCAL_DISCONNECT, 0, 0);
	ck_assert_int_eq(st.next, UAL_EP_DISCONNECTING);
	ck_assert_int_eq(st.action, UAL_ACT_DISCONNECT);
	st = run(UAL_EP_DISCONNECTING, UAL_IN_DISCONNECT_TIMER, 0, 0);
	ck_assert_int_eq(st.next, UAL_EP_DISCONNECTED);
	ck_assert_int_eq(st.action, UAL_ACT_CANCEL);
	ck_assert_int_eq(st.deliver, UAL_EVENT_CONN_DISCONNECTED);
	ck_assert_uint_eq(st.flags, UAL_EVFLAG_TIMED_OUT);
	/* the peer's answer first: an ordinary DISCONNECTED, no flag */
	st = run(UAL_EP_DISCONNECTING, UAL_IN_DISCONNECTED, 0, 0);
	ck_assert_int_eq(st.next, UAL_EP_DISCONNECTED);
	ck_assert_uint_eq(st.flags, 0);
	/* a stale timer after that changes nothing */
	st = run(UAL_EP_DISCONNECTED, UAL_IN_DISCONNECT_TIMER, 0, 0);
	ck_assert_int_eq(st.next, UAL_EP_DISCONNECTED);
	ck_assert_int_eq(st.deliver, UAL_EVENT_NONE);
	st = run(UAL_EP_CONNECTED, UAL_IN_DISCONNECT_TIMER, 0, 0);
	ck_assert_int_eq(st.next, UAL_EP_CONNECTED);
}
END_TEST

START_TEST(retry_budgets)
{
	struct ual_connect_opts o = { 0 };
	struct ual_retry r;
	int i;

	ual_retry_init(&r, &o);
	ck_assert_uint_eq(r.resolve_left, UAL_DEFAULT_RESOLVE_RETRIES);
	ck_assert_uint_eq(ual_retry_budget(&r), UAL_MAY_RERESOLVE);
	for (i = 0; i < UAL_DEFAULT_RESOLVE_RETRIES; i++)
		ck_assert(ual_retry_resolve(&r));
	ck_assert(!ual_retry_resolve(&r));
	ck_assert_uint_eq(ual_retry_budget(&r), 0);

	o.resolve_retries = UAL_NO_RETRIES;
	o.retries = 2;
	ual_retry_init(&r, &o);
	ck_assert_uint_eq(ual_retry_budget(&r), UAL_MAY_RETRY);
	ck_assert(!ual_retry_resolve(&r));
	o.resolve_retries = 3;
	ual_retry_init(&r, &o);
	ck_assert_uint_eq(r.resolve_left, 3);
	ck_assert_uint_eq(ual_retry_budget(&r), UAL_MAY_RETRY | UAL_MAY_RERESOLVE);
	/* connect retries do not touch the resolution budget */
	ck_assert_int_ge(ual_retry_next(&r), 0);
	ck_assert_uint_eq(r.resolve_left, 3);
}
END_TEST

START_TEST(disconnect_bound_default)
{
	struct ual_connect_opts o = { 0 };

	ck_assert_uint_eq(ual_disconnect_ms(&o), UAL_DEFAULT_DISCONNECT_MS);
	o.disconnect_timeout_ms = 150;
	ck_assert_uint_eq(ual_disconnect_ms(&o), 150);
}
END_TEST

START_TEST(read_depths)
{
	/* 0 = the default 4, capped to the device */
	ck_assert_uint_eq(ual_read_depth_want(0, false, 128), UAL_EP_DEFAULT_READ_DEPTH);
	ck_assert_uint_eq(ual_read_depth_want(0, false, 2), 2);
	ck_assert_uint_eq(ual_read_depth_want(16, false, 128), 16);
	ck_assert_uint_eq(ual_read_depth_want(200, false, 16), 16);
	ck_assert_uint_eq(ual_read_depth_want(255, false, 100000), 255);
	/* "zero" wins over any value */
	ck_assert_uint_eq(ual_read_depth_want(0, true, 128), 0);
	ck_assert_uint_eq(ual_read_depth_want(9, true, 128), 0);
	/* a device without reads */
	ck_assert_uint_eq(ual_read_depth_want(4, false, 0), 0);
	/* an accept grants the smaller */
	ck_assert_uint_eq(ual_read_depth_grant(3, 2), 2);
	ck_assert_uint_eq(ual_read_depth_grant(1, 8), 1);
	ck_assert_uint_eq(ual_read_depth_grant(0, 8), 0);
	ck_assert_uint_eq(ual_read_depth_grant(8, 0), 0);
}
END_TEST

START_TEST(sidr_pdata_limits)
{
	struct ual_pdata_limits l;

	/* SIDR REQ 216 minus rdma_cm's 36-byte header; SIDR REP 136 */
	ual_pdata_limits(UAL_TRANSPORT_IB, &l);
	ck_assert_uint_eq(l.ud_resolve, 180);
	ck_assert_uint_eq(l.ud_reply, 136);
	ual_pdata_limits(UAL_TRANSPORT_ROCE_V2, &l);
	ck_assert_uint_eq(l.ud_resolve, 180);
	ck_assert_uint_eq(l.ud_reply, 136);
	ck_assert_uint_le(l.ud_resolve, UAL_PDATA_MAX);
	/* iWARP has no UD */
	ual_pdata_limits(UAL_TRANSPORT_IWARP, &l);
	ck_assert_uint_eq(l.ud_resolve, 0);
	ck_assert_uint_eq(l.ud_reply, 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("ual_policy2");
	TCase *t = tcase_create("policy");
	SRunner *r;
	int failed;

	tcase_add_test(t, resolve_errors_spend_their_own_budget);
	tcase_add_test(t, connect_failures_spend_connect_retries_only);
	tcase_add_test(t, consumer_timeout_is_flagged);
	tcase_add_test(t, disconnect_is_bounded);
	tcase_add_test(t, retry_budgets);
	tcase_add_test(t, disconnect_bound_default);
	tcase_add_test(t, read_depths);
	tcase_add_test(t, sidr_pdata_limits);
	suite_add_tcase(s, t);
	r = srunner_create(s);
	srunner_run_all(r, CK_NORMAL);
	failed = srunner_ntests_failed(r);
	srunner_free(r);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
