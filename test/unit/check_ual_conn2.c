// SPDX-License-Identifier: BSD-2-Clause
/*
 * check_ual_conn2.c - review bugs of the connection code (issue 7, item
 * 12) and the endpoint reset rule, tested without a device: error text of
 * unterminated errors, the order of two queues' locks, a local disconnect
 * while accepting, and which states ual_ep_reset accepts.
 */
#include <config.h>

#include <check.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../../access_layer/ual_internal.h"

static struct ual_conn_step run(enum ual_ep_state s, enum ual_conn_input in)
{
	struct ual_conn_step st;

	ual_conn_step(s, in, UAL_REJECT_NONE, false, &st);
	return st;
}

/* ---- ual_strerror ------------------------------------------------------ */

/*
 * Every string field filled to its last byte, no terminator anywhere: the
 * text may show each field cut to its size but nothing of its neighbour.
 */
START_TEST(strerror_unterminated_fields)
{
	struct ual_error *e = malloc(sizeof(*e));
	char buf[2048], *d;
	size_t i;

	ck_assert_ptr_nonnull(e);
	memset(e, 0, sizeof(*e));
	e->errnum = EIO;
	e->step = "rdma_connect";
	memset(e->device, 'D', sizeof(e->device));
	memset(e->address, 'A', sizeof(e->address));
	memset(e->detail, 'T', sizeof(e->detail));
	ual_strerror(e, buf, sizeof(buf));
	d = strchr(buf, 'D');
	ck_assert_ptr_nonnull(d);
	for (i = 0; d[i] == 'D'; i++)
		;
	ck_assert_uint_le(i, sizeof(e->device));
	ck_assert_int_ne(d[i], 'A');
	ck_assert_ptr_null(strstr(buf, "DA"));
	ck_assert_ptr_null(strstr(buf, "AT"));
	ck_assert_ptr_nonnull(strstr(buf, "Input/output error"));
	/* The detail is the last field: it ends where the struct ends. */
	ck_assert_uint_le(strlen(strchr(buf, 'T')), sizeof(e->detail));
	free(e);
}
END_TEST

START_TEST(strerror_null_arguments)
{
	char buf[64];

	ck_assert_str_eq(ual_strerror(NULL, buf, sizeof(buf)), "no error");
	ck_assert_str_eq(ual_strerror(NULL, NULL, 0), "");
}
END_TEST

/* ---- the order of two queues' progress locks ----------------------------- */

struct pair_arg {
	struct ual_eq *a, *b;
	volatile int done;
};

static void *lock_crossed(void *p)
{
	struct pair_arg *arg = p;

	ual_eq_lock_pair(arg->b, arg->a);
	ual_eq_unlock_pair(arg->b, arg->a);
	arg->done = 1;
	return NULL;
}

/*
 * Thread 1 is half way through ual_eq_lock_pair(a, b): it holds the lock
 * that pair takes first.  Thread 2 then calls ual_eq_lock_pair(b, a), the
 * crossed pair (an accept whose request and endpoint queues are the other
 * way round).  Thread 1 must still get its second lock: with argument
 * order it would wait for thread 2 while thread 2 waits for it.
 */
static void crossed_pairs(struct ual_eq *a, struct ual_eq *b)
{
	struct ual_eq *first = ual_eq_pair_first(a, b);
	struct ual_eq *second = first == a ? b : a;
	struct pair_arg arg = { .a = a, .b = b };
	struct timespec ts;
	pthread_t t;
	int ret;

	pthread_mutex_lock(&first->progress);
	ck_assert_int_eq(pthread_create(&t, NULL, lock_crossed, &arg), 0);
	usleep(200 * 1000);	/* thread 2 blocks inside its pair */
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += 2;
	ret = pthread_mutex_timedlock(&second->progress, &ts);
	if (ret) {
		/* Deadlocked: let thread 2 go before failing. */
		pthread_mutex_unlock(&first->progress);
		pthread_join(t, NULL);
		ck_abort_msg("crossed lock pairs deadlock");
	}
	ck_assert_int_eq(arg.done, 0);
	pthread_mutex_unlock(&second->progress);
	pthread_mutex_unlock(&first->progress);
	pthread_join(t, NULL);
	ck_assert_int_eq(arg.done, 1);
	ck_assert_ptr_eq(ual_eq_pair_first(b, a), first);
}

START_TEST(lock_pair_crossed_queues)
{
	struct ual_eq *q = calloc(2, sizeof(*q));

	ck_assert_ptr_nonnull(q);
	pthread_mutex_init(&q[0].progress, NULL);
	pthread_mutex_init(&q[1].progress, NULL);
	/* Both argument orders, so the test does not depend on addresses. */
	crossed_pairs(&q[0], &q[1]);
	crossed_pairs(&q[1], &q[0]);
	/* One queue for both: locked once. */
	ual_eq_lock_pair(&q[0], &q[0]);
	ck_assert_int_eq(pthread_mutex_trylock(&q[0].progress), EBUSY);
	ual_eq_unlock_pair(&q[0], &q[0]);
	ck_assert_int_eq(pthread_mutex_trylock(&q[0].progress), 0);
	pthread_mutex_unlock(&q[0].progress);
	pthread_mutex_destroy(&q[0].progress);
	pthread_mutex_destroy(&q[1].progress);
	free(q);
}
END_TEST

/* ---- local disconnect while accepting -------------------------------------- */

/*
 * On IB the passive side's disconnect before the RTU sends nothing (the
 * CM has no DREQ for an unestablished connection), so no DISCONNECTED
 * follows by itself.  What does arrive is ESTABLISHED (the RTU came after
 * all: now the disconnect can go out) or a failure (the REP timed out, or
 * the peer rejected): either must end in DISCONNECTED.
 */
START_TEST(accepting_local_disconnect_ends)
{
	struct ual_conn_step st;

	st = run(UAL_EP_ACCEPTING, UAL_IN_LOCAL_DISCONNECT);
	ck_assert_int_eq(st.next, UAL_EP_DISCONNECTING);
	ck_assert_int_eq(st.action, UAL_ACT_DISCONNECT);
	ck_assert_int_eq(st.deliver, UAL_EVENT_NONE);

	st = run(UAL_EP_DISCONNECTING, UAL_IN_ESTABLISHED);
	ck_assert_int_eq(st.next, UAL_EP_DISCONNECTING);
	ck_assert_int_eq(st.action, UAL_ACT_DISCONNECT);
	ck_assert_int_eq(st.deliver, UAL_EVENT_NONE);

	st = run(UAL_EP_DISCONNECTING, UAL_IN_DISCONNECTED);
	ck_assert_int_eq(st.next, UAL_EP_DISCONNECTED);
	ck_assert_int_eq(st.deliver, UAL_EVENT_CONN_DISCONNECTED);

	st = run(UAL_EP_DISCONNECTING, UAL_IN_UNREACHABLE);
	ck_assert_int_eq(st.next, UAL_EP_DISCONNECTED);
	ck_assert_int_eq(st.deliver, UAL_EVENT_CONN_DISCONNECTED);

	st = run(UAL_EP_DISCONNECTING, UAL_IN_CONNECT_ERROR);
	ck_assert_int_eq(st.next, UAL_EP_DISCONNECTED);
	ck_assert_int_eq(st.deliver, UAL_EVENT_CONN_DISCONNECTED);

	st = run(UAL_EP_DISCONNECTING, UAL_IN_REJECTED);
	ck_assert_int_eq(st.next, UAL_EP_DISCONNECTED);
	ck_assert_int_eq(st.deliver, UAL_EVENT_CONN_DISCONNECTED);

	/* A second local disconnect changes nothing and says nothing. */
	st = run(UAL_EP_DISCONNECTING, UAL_IN_LOCAL_DISCONNECT);
	ck_assert_int_eq(st.next, UAL_EP_DISCONNECTING);
	ck_assert_int_eq(st.action, UAL_ACT_NONE);
	ck_assert_int_eq(st.deliver, UAL_EVENT_NONE);
}
END_TEST

/* ---- ual_ep_reset --------------------------------------------------------- */

START_TEST(reset_rule)
{
	const char *why;
	int s;

	for (s = 0; s < UAL_EP_STATE_COUNT; s++) {
		int ret = ual_conn_reset_rule((enum ual_ep_state)s, &why);

		switch (s) {
		case UAL_EP_IDLE:
		case UAL_EP_DISCONNECTED:
		case UAL_EP_FAILED:
			ck_assert_int_eq(ret, 0);
			ck_assert_ptr_null(why);
			break;
		case UAL_EP_CONNECTED:
			ck_assert_int_eq(ret, -EISCONN);
			ck_assert_ptr_nonnull(strstr(why, "disconnect"));
			break;
		default:
			ck_assert_msg(ret == -EBUSY, "state %s: %d",
				      ual_ep_state_name((enum ual_ep_state)s), ret);
			ck_assert_ptr_nonnull(why);
			break;
		}
	}
	ck_assert_int_eq(ual_conn_reset_rule(UAL_EP_FAILED, NULL), 0);
}
END_TEST

/* After a reset the endpoint starts over: connect or accept from IDLE. */
START_TEST(reset_then_connect_again)
{
	struct ual_conn_step st;

	st = run(UAL_EP_CONNECTED, UAL_IN_DISCONNECTED);
	ck_assert_int_eq(st.next, UAL_EP_DISCONNECTED);
	ck_assert_int_eq(ual_conn_reset_rule(st.next, NULL), 0);
	/* IDLE ignores everything the old connection might still say. */
	st = run(UAL_EP_IDLE, UAL_IN_DISCONNECTED);
	ck_assert_int_eq(st.next, UAL_EP_IDLE);
	ck_assert_int_eq(st.deliver, UAL_EVENT_NONE);
	st = run(UAL_EP_IDLE, UAL_IN_ESTABLISHED);
	ck_assert_int_eq(st.next, UAL_EP_IDLE);
	ck_assert_int_eq(st.deliver, UAL_EVENT_NONE);
	st = run(UAL_EP_IDLE, UAL_IN_RETRY_TIMER);
	ck_assert_int_eq(st.next, UAL_EP_IDLE);
	ck_assert_int_eq(st.action, UAL_ACT_NONE);
	st = run(UAL_EP_IDLE, UAL_IN_TIMEOUT);
	ck_assert_int_eq(st.next, UAL_EP_IDLE);
	ck_assert_int_eq(st.deliver, UAL_EVENT_NONE);
}
END_TEST

static Suite *conn2_suite(void)
{
	Suite *s = suite_create("ual_conn2");
	TCase *t = tcase_create("review");

	tcase_add_test(t, strerror_unterminated_fields);
	tcase_add_test(t, strerror_null_arguments);
	tcase_add_test(t, lock_pair_crossed_queues);
	tcase_add_test(t, accepting_local_disconnect_ends);
	tcase_add_test(t, reset_rule);
	tcase_add_test(t, reset_then_connect_again);
	tcase_set_timeout(t, 20);
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(conn2_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
