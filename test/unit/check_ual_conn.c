// SPDX-License-Identifier: BSD-2-Clause
/*
 * check_ual_conn.c - the connection state machine, driven with synthetic
 * CM events through ual_conn_step().
 */
#include <config.h>

#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../../access_layer/ual_internal.h"

static struct ual_conn_step run(enum ual_ep_state s, enum ual_conn_input in,
				enum ual_reject_reason why, bool retry)
{
	struct ual_conn_step st;

	ual_conn_step(s, in, why, retry, &st);
	return st;
}

START_TEST(active_happy_path)
{
	struct ual_conn_step st;

	st = run(UAL_EP_ADDR_QUERY, UAL_IN_ADDR_RESOLVED, 0, false);
	ck_assert_int_eq(st.next, UAL_EP_ROUTE_QUERY);
	ck_assert_int_eq(st.action, UAL_ACT_RESOLVE_ROUTE);
	st = run(UAL_EP_ROUTE_QUERY, UAL_IN_ROUTE_RESOLVED, 0, false);
	ck_assert_int_eq(st.next, UAL_EP_CONNECTING);
	ck_assert_int_eq(st.action, UAL_ACT_CONNECT);
	st = run(UAL_EP_CONNECTING, UAL_IN_ESTABLISHED, 0, false);
	ck_assert_int_eq(st.next, UAL_EP_CONNECTED);
	ck_assert_int_eq(st.deliver, UAL_EVENT_CONN_ESTABLISHED);
}
END_TEST

START_TEST(cm_event_mapping)
{
	ck_assert_int_eq(ual_conn_input_from_cm(RDMA_CM_EVENT_ADDR_ERROR), UAL_IN_ADDR_ERROR);
	ck_assert_int_eq(ual_conn_input_from_cm(RDMA_CM_EVENT_DISCONNECTED), UAL_IN_DISCONNECTED);
	ck_assert_int_eq(ual_conn_input_from_cm(RDMA_CM_EVENT_DEVICE_REMOVAL), UAL_IN_DEVICE_REMOVAL);
	ck_assert_int_eq(ual_conn_input_from_cm(RDMA_CM_EVENT_TIMEWAIT_EXIT), UAL_IN_IGNORED);
	ck_assert_int_eq(ual_conn_input_from_cm(RDMA_CM_EVENT_CONNECT_RESPONSE), UAL_IN_IGNORED);
}
END_TEST

START_TEST(transient_errors_retry)
{
	struct ual_conn_step st;

	/* resolution errors have a budget of their own: check_ual_policy2 */
	st = run(UAL_EP_CONNECTING, UAL_IN_UNREACHABLE, 0, true);
	ck_assert_int_eq(st.next, UAL_EP_RETRY_WAIT);
	ck_assert(st.recycle);
	st = run(UAL_EP_CONNECTING, UAL_IN_REJECTED, UAL_REJECT_NO_LISTENER, true);
	ck_assert_int_eq(st.next, UAL_EP_RETRY_WAIT);
	ck_assert(st.recycle);
	st = run(UAL_EP_CONNECTING, UAL_IN_CONNECT_REFUSED, 0, true);
	ck_assert_int_eq(st.next, UAL_EP_RETRY_WAIT);
	st = run(UAL_EP_RETRY_WAIT, UAL_IN_RETRY_TIMER, 0, true);
	ck_assert_int_eq(st.next, UAL_EP_ADDR_QUERY);
	ck_assert_int_eq(st.action, UAL_ACT_RESTART);
}
END_TEST

START_TEST(transient_errors_exhausted)
{
	struct ual_conn_step st;

	st = run(UAL_EP_ADDR_QUERY, UAL_IN_ADDR_ERROR, 0, false);
	ck_assert_int_eq(st.next, UAL_EP_FAILED);
	ck_assert_int_eq(st.deliver, UAL_EVENT_CONN_UNREACHABLE);
	st = run(UAL_EP_CONNECTING, UAL_IN_REJECTED, UAL_REJECT_NO_LISTENER, false);
	ck_assert_int_eq(st.next, UAL_EP_FAILED);
	ck_assert_int_eq(st.deliver, UAL_EVENT_CONN_REJECTED);
	ck_assert_int_eq(st.reason, UAL_REJECT_NO_LISTENER);
	st = run(UAL_EP_CONNECTING, UAL_IN_CONNECT_REFUSED, 0, false);
	ck_assert_int_eq(st.deliver, UAL_EVENT_CONN_REJECTED);
	ck_assert_int_eq(st.reason, UAL_REJECT_NO_LISTENER);
}
END_TEST

START_TEST(consumer_reject_is_final)
{
	struct ual_conn_step st;

	st = run(UAL_EP_CONNECTING, UAL_IN_REJECTED, UAL_REJECT_CONSUMER, true);
	ck_assert_int_eq(st.next, UAL_EP_FAILED);
	ck_assert_int_eq(st.deliver, UAL_EVENT_CONN_REJECTED);
	ck_assert_int_eq(st.reason, UAL_REJECT_CONSUMER);
}
END_TEST

START_TEST(reject_classification)
{
	ck_assert_int_eq(ual_reject_classify(UAL_TRANSPORT_ROCE_V2, 8, 148), UAL_REJECT_NO_LISTENER);
	ck_assert_int_eq(ual_reject_classify(UAL_TRANSPORT_IB, 28, 148), UAL_REJECT_CONSUMER);
	ck_assert_int_eq(ual_reject_classify(UAL_TRANSPORT_IB, 5, 148), UAL_REJECT_OTHER);
	ck_assert_int_eq(ual_reject_classify(UAL_TRANSPORT_IWARP, -ECONNREFUSED, 0), UAL_REJECT_CONSUMER);
	ck_assert_int_eq(ual_reject_classify(UAL_TRANSPORT_IWARP, -ECONNRESET, 0), UAL_REJECT_CONSUMER);
}
END_TEST

START_TEST(disconnect_from_either_side)
{
	struct ual_conn_step st;

	/* peer first: we owe a DREP */
	st = run(UAL_EP_CONNECTED, UAL_IN_DISCONNECTED, 0, false);
	ck_assert_int_eq(st.next, UAL_EP_DISCONNECTED);
	ck_assert_int_eq(st.action, UAL_ACT_DISCONNECT);
	ck_assert_int_eq(st.deliver, UAL_EVENT_CONN_DISCONNECTED);
	/* we first */
	st = run(UAL_EP_CONNECTED, UAL_IN_LOCAL_DISCONNECT, 0, false);
	ck_assert_int_eq(st.next, UAL_EP_DISCONNECTING);
	ck_assert_int_eq(st.action, UAL_ACT_DISCONNECT);
	ck_assert_int_eq(st.deliver, UAL_EVENT_NONE);
	st = run(UAL_EP_DISCONNECTING, UAL_IN_DISCONNECTED, 0, false);
	ck_assert_int_eq(st.next, UAL_EP_DISCONNECTED);
	ck_assert_int_eq(st.action, UAL_ACT_NONE);
	ck_assert_int_eq(st.deliver, UAL_EVENT_CONN_DISCONNECTED);
	/* a late duplicate is dropped */
	st = run(UAL_EP_DISCONNECTED, UAL_IN_DISCONNECTED, 0, false);
	ck_assert_int_eq(st.next, UAL_EP_DISCONNECTED);
	ck_assert_int_eq(st.deliver, UAL_EVENT_NONE);
}
END_TEST

START_TEST(disconnect_while_pending_cancels)
{
	struct ual_conn_step st;

	st = run(UAL_EP_ROUTE_QUERY, UAL_IN_LOCAL_DISCONNECT, 0, false);
	ck_assert_int_eq(st.next, UAL_EP_DISCONNECTED);
	ck_assert_int_eq(st.action, UAL_ACT_CANCEL);
	ck_assert_int_eq(st.deliver, UAL_EVENT_CONN_DISCONNECTED);
	st = run(UAL_EP_IDLE, UAL_IN_LOCAL_DISCONNECT, 0, false);
	ck_assert_int_eq(st.next, UAL_EP_IDLE);
	ck_assert_int_eq(st.action, UAL_ACT_NONE);
}
END_TEST

START_TEST(connection_loss)
{
	struct ual_conn_step st;

	st = run(UAL_EP_CONNECTED, UAL_IN_QP_FATAL, 0, false);
	ck_assert_int_eq(st.next, UAL_EP_FAILED);
	ck_assert_int_eq(st.deliver, UAL_EVENT_CONN_BROKEN);
	ck_assert_int_eq(st.action, UAL_ACT_DISCONNECT);
	st = run(UAL_EP_CONNECTED, UAL_IN_DEVICE_REMOVAL, 0, false);
	ck_assert_int_eq(st.deliver, UAL_EVENT_CONN_BROKEN);
	st = run(UAL_EP_IDLE, UAL_IN_DEVICE_REMOVAL, 0, false);
	ck_assert_int_eq(st.next, UAL_EP_FAILED);
	st = run(UAL_EP_FAILED, UAL_IN_DEVICE_REMOVAL, 0, false);
	ck_assert_int_eq(st.deliver, UAL_EVENT_NONE);
	st = run(UAL_EP_DISCONNECTED, UAL_IN_QP_FATAL, 0, false);
	ck_assert_int_eq(st.deliver, UAL_EVENT_NONE);
}
END_TEST

START_TEST(timeout_cancels_pending_only)
{
	struct ual_conn_step st;

	st = run(UAL_EP_CONNECTING, UAL_IN_TIMEOUT, 0, true);
	ck_assert_int_eq(st.next, UAL_EP_FAILED);
	ck_assert_int_eq(st.action, UAL_ACT_CANCEL);
	ck_assert_int_eq(st.deliver, UAL_EVENT_CONN_UNREACHABLE);
	st = run(UAL_EP_RETRY_WAIT, UAL_IN_TIMEOUT, 0, true);
	ck_assert_int_eq(st.next, UAL_EP_FAILED);
	st = run(UAL_EP_CONNECTED, UAL_IN_TIMEOUT, 0, true);
	ck_assert_int_eq(st.next, UAL_EP_CONNECTED);
	ck_assert_int_eq(st.deliver, UAL_EVENT_NONE);
}
END_TEST

START_TEST(passive_side)
{
	struct ual_conn_step st;

	st = run(UAL_EP_ACCEPTING, UAL_IN_ESTABLISHED, 0, false);
	ck_assert_int_eq(st.next, UAL_EP_CONNECTED);
	ck_assert_int_eq(st.deliver, UAL_EVENT_CONN_ESTABLISHED);
	st = run(UAL_EP_ACCEPTING, UAL_IN_REJECTED, UAL_REJECT_CONSUMER, true);
	ck_assert_int_eq(st.next, UAL_EP_FAILED);
	ck_assert_int_eq(st.reason, UAL_REJECT_OTHER);
	st = run(UAL_EP_ACCEPTING, UAL_IN_UNREACHABLE, 0, true);
	ck_assert_int_eq(st.next, UAL_EP_FAILED);
	ck_assert_int_eq(st.deliver, UAL_EVENT_CONN_UNREACHABLE);
}
END_TEST

START_TEST(unexpected_events_are_ignored)
{
	struct ual_conn_step st;
	int s, in;

	/* Nothing may crash or invent an event out of thin air. */
	for (s = 0; s < UAL_EP_STATE_COUNT; s++) {
		for (in = 0; in < UAL_IN_COUNT; in++) {
			st = run(s, in, UAL_REJECT_OTHER, s & 1);
			ck_assert_int_lt(st.next, UAL_EP_STATE_COUNT);
		}
	}
	st = run(UAL_EP_IDLE, UAL_IN_ESTABLISHED, 0, false);
	ck_assert_int_eq(st.next, UAL_EP_IDLE);
	ck_assert_int_eq(st.deliver, UAL_EVENT_NONE);
	st = run(UAL_EP_CONNECTED, UAL_IN_ADDR_RESOLVED, 0, false);
	ck_assert_int_eq(st.action, UAL_ACT_NONE);
	ck_assert_str_eq(ual_ep_state_name(UAL_EP_CONNECTED), "connected");
	ck_assert_str_eq(ual_event_name(UAL_EVENT_PORT_DOWN), "port down");
	/* Every event type has a name of its own. */
	for (in = 0; in < UAL_EVENT_TYPE_COUNT; in++)
		ck_assert_str_ne(ual_event_name(in), "invalid");
	ck_assert_str_eq(ual_event_name(UAL_EVENT_TYPE_COUNT), "invalid");
}
END_TEST

/* ---- device loss (dev_loss.c) ---------------------------------------- */

START_TEST(device_loss_mapping)
{
	ck_assert_int_eq(ual_dev_loss_from_cm(RDMA_CM_EVENT_DEVICE_REMOVAL), UAL_LOSS_REMOVED);
	ck_assert_int_eq(ual_dev_loss_from_cm(RDMA_CM_EVENT_DISCONNECTED), UAL_LOSS_NONE);
	ck_assert_int_eq(ual_dev_loss_from_cm(RDMA_CM_EVENT_ADDR_CHANGE), UAL_LOSS_NONE);
	ck_assert_int_eq(ual_dev_loss_from_async(IBV_EVENT_DEVICE_FATAL), UAL_LOSS_FATAL);
	ck_assert_int_eq(ual_dev_loss_from_async(IBV_EVENT_PORT_ERR), UAL_LOSS_NONE);
	ck_assert_int_eq(ual_dev_loss_from_async(IBV_EVENT_QP_FATAL), UAL_LOSS_NONE);
	ck_assert_int_eq(ual_dev_loss_event(UAL_LOSS_REMOVED), UAL_EVENT_DEVICE_REMOVED);
	ck_assert_int_eq(ual_dev_loss_event(UAL_LOSS_FATAL), UAL_EVENT_DEVICE_FATAL);
	ck_assert_int_eq(ual_dev_loss_event(UAL_LOSS_NONE), UAL_EVENT_NONE);
	ck_assert_str_eq(ual_event_name(UAL_EVENT_DEVICE_REMOVED), "device removed");
}
END_TEST

/* Each queue hears once per cause; a removal after a fatal error counts. */
START_TEST(device_loss_reported_once)
{
	ck_assert(ual_dev_loss_escalates(UAL_LOSS_NONE, UAL_LOSS_REMOVED));
	ck_assert(ual_dev_loss_escalates(UAL_LOSS_NONE, UAL_LOSS_FATAL));
	ck_assert(ual_dev_loss_escalates(UAL_LOSS_FATAL, UAL_LOSS_REMOVED));
	ck_assert(!ual_dev_loss_escalates(UAL_LOSS_REMOVED, UAL_LOSS_REMOVED));
	ck_assert(!ual_dev_loss_escalates(UAL_LOSS_REMOVED, UAL_LOSS_FATAL));
	ck_assert(!ual_dev_loss_escalates(UAL_LOSS_FATAL, UAL_LOSS_FATAL));
	ck_assert(!ual_dev_loss_escalates(UAL_LOSS_NONE, UAL_LOSS_NONE));
	ck_assert(!ual_dev_loss_escalates(UAL_LOSS_FATAL, UAL_LOSS_NONE));
}
END_TEST

START_TEST(device_loss_error_says_what_to_do)
{
	struct ual_error e;
	char buf[512];

	ual_dev_loss_error(&e, UAL_LOSS_REMOVED, "dr_rxe", "endpoint");
	ck_assert_int_eq(e.errnum, ENODEV);
	ck_assert_str_eq(e.step, "RDMA_CM_EVENT_DEVICE_REMOVAL");
	ck_assert_str_eq(e.device, "dr_rxe");
	ck_assert_ptr_nonnull(strstr(e.detail, "dr_rxe was removed"));
	ck_assert_ptr_nonnull(strstr(e.detail, "destroy the endpoint"));
	ck_assert_ptr_nonnull(strstr(e.detail, "the kernel waits"));
	ual_strerror(&e, buf, sizeof(buf));
	ck_assert_ptr_nonnull(strstr(buf, "No such device"));

	ual_dev_loss_error(&e, UAL_LOSS_FATAL, "mlx5_0", "listener");
	ck_assert_int_eq(e.errnum, EIO);
	ck_assert_str_eq(e.step, "IBV_EVENT_DEVICE_FATAL");
	ck_assert_ptr_nonnull(strstr(e.detail, "mlx5_0 failed"));
	ck_assert_ptr_nonnull(strstr(e.detail, "destroy the listener"));
}
END_TEST

/* Whatever state an endpoint is in, a lost device breaks it exactly once. */
START_TEST(device_loss_breaks_every_endpoint_once)
{
	struct ual_conn_step st;
	int s;

	for (s = UAL_EP_IDLE; s < UAL_EP_STATE_COUNT; s++) {
		st = run((enum ual_ep_state)s, UAL_IN_DEVICE_REMOVAL, 0, true);
		if (s == UAL_EP_FAILED) {
			ck_assert_int_eq(st.deliver, UAL_EVENT_NONE);
			continue;
		}
		ck_assert_int_eq(st.next, UAL_EP_FAILED);
		ck_assert_int_eq(st.deliver, UAL_EVENT_CONN_BROKEN);
		/* Cancel (QP to error), never a retry on a device that is gone. */
		ck_assert_int_eq(st.action, UAL_ACT_CANCEL);
		st = run(st.next, UAL_IN_DEVICE_REMOVAL, 0, true);
		ck_assert_int_eq(st.deliver, UAL_EVENT_NONE);
	}
}
END_TEST

static Suite *conn_suite(void)
{
	Suite *s = suite_create("ual_conn");
	TCase *t = tcase_create("state_machine");

	tcase_add_test(t, active_happy_path);
	tcase_add_test(t, cm_event_mapping);
	tcase_add_test(t, transient_errors_retry);
	tcase_add_test(t, transient_errors_exhausted);
	tcase_add_test(t, consumer_reject_is_final);
	tcase_add_test(t, reject_classification);
	tcase_add_test(t, disconnect_from_either_side);
	tcase_add_test(t, disconnect_while_pending_cancels);
	tcase_add_test(t, connection_loss);
	tcase_add_test(t, timeout_cancels_pending_only);
	tcase_add_test(t, passive_side);
	tcase_add_test(t, unexpected_events_are_ignored);
	suite_add_tcase(s, t);
	t = tcase_create("device_loss");
	tcase_add_test(t, device_loss_mapping);
	tcase_add_test(t, device_loss_reported_once);
	tcase_add_test(t, device_loss_error_says_what_to_do);
	tcase_add_test(t, device_loss_breaks_every_endpoint_once);
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(conn_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
