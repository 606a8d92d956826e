// SPDX-License-Identifier: BSD-3-Clause OR GPL-2.0-only
/*
 * check_dapl_cno.c - the provider's CNO (dapl/common/cno.c) on the host,
 * against fake EVDs that keep the evd.c contract of dapl.h: each has one
 * eventfd standing for its CQ fd and a count of queued events.  Covers
 * the wait's outcomes (timeout 0, a finite timeout, an event on either of
 * two EVDs, a wake-up from another thread), spurious fd wake-ups, stale
 * notifications, the proxy agent, detaching, the CNO fd with trigger,
 * and the in-use and freed-handle refusals.
 */
#include <config.h>

#include <check.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "../../dapl/common/dapl.h"

/* ---- what cno.c needs from the rest of the provider ------------------- */

void dapl_ia_link(struct dapl_ia *ia, struct dapl_hdr *h)
{
	(void)ia;
	(void)h;
}

void dapl_ia_unlink(struct dapl_ia *ia, struct dapl_hdr *h)
{
	(void)ia;
	(void)h;
}

void dapl_register_destructor(DAT_HANDLE_TYPE type,
			      void (*fn)(struct dapl_hdr *))
{
	(void)type;
	(void)fn;
}

DAT_RETURN DAT_API dats_get_ia_handle(DAT_IA_HANDLE handle, DAT_IA_HANDLE *out);

DAT_RETURN DAT_API dats_get_ia_handle(DAT_IA_HANDLE handle, DAT_IA_HANDLE *out)
{
	*out = handle;
	return DAT_SUCCESS;
}

struct fake {
	int fd;		/* the "CQ fd": readable while written, not acked */
	int queued;	/* events dequeue would return */
	int arms, acks;
};

int dapl_evd_arm_fds(struct dapl_evd *evd, int *fds, int max)
{
	struct fake *f = evd->priv;

	ck_assert_int_ge(max, 1);
	__atomic_add_fetch(&f->arms, 1, __ATOMIC_RELAXED);
	fds[0] = f->fd;
	return 1;
}

bool dapl_evd_ready(struct dapl_evd *evd)
{
	struct fake *f = evd->priv;

	return __atomic_load_n(&f->queued, __ATOMIC_ACQUIRE) > 0;
}

void dapl_evd_ack(struct dapl_evd *evd)
{
	struct fake *f = evd->priv;
	uint64_t v;

	if (read(f->fd, &v, sizeof(v)) == sizeof(v))
		__atomic_add_fetch(&f->acks, 1, __ATOMIC_RELAXED);
}

/* ---- fixtures --------------------------------------------------------- */

static DAT_PROVIDER table;
static struct dapl_ia *ia;
static struct dapl_evd *evd_a, *evd_b;

#define ERR(t, s)	((DAT_RETURN)(DAT_CLASS_ERROR | (t) | (s)))
#define TIMED_OUT	ERR(DAT_TIMEOUT_EXPIRED, DAT_NO_SUBTYPE)
#define BAD_CNO		ERR(DAT_INVALID_HANDLE, DAT_INVALID_HANDLE_CNO)
#define IN_USE		ERR(DAT_INVALID_STATE, DAT_INVALID_STATE_CNO_IN_USE)

static struct dapl_evd *fake_evd(void)
{
	struct dapl_evd *evd = dapl_obj_alloc(&table, DAT_HANDLE_TYPE_EVD,
					      sizeof(*evd), ia);
	struct fake *f = calloc(1, sizeof(*f));

	ck_assert_ptr_nonnull(evd);
	ck_assert_ptr_nonnull(f);
	f->fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	ck_assert_int_ge(f->fd, 0);
	evd->priv = f;
	return evd;
}

static void fake_free(struct dapl_evd *evd)
{
	struct fake *f = evd->priv;

	close(f->fd);
	free(f);
	dapl_obj_free(evd);
}

static struct fake *fk(struct dapl_evd *evd)
{
	return evd->priv;
}

/* An event arrives: queued, and the "CQ fd" wakes. */
static void arrive(struct dapl_evd *evd)
{
	uint64_t one = 1;

	__atomic_add_fetch(&fk(evd)->queued, 1, __ATOMIC_RELEASE);
	ck_assert_int_eq(write(fk(evd)->fd, &one, sizeof(one)), sizeof(one));
}

static void take(struct dapl_evd *evd)
{
	__atomic_sub_fetch(&fk(evd)->queued, 1, __ATOMIC_RELEASE);
}

static void setup(void)
{
	memset(&table, 0, sizeof(table));
	dapl_cno_ops(&table);
	ia = dapl_obj_alloc(&table, DAT_HANDLE_TYPE_IA, sizeof(*ia), NULL);
	ck_assert_ptr_nonnull(ia);
	ia->hdr.ia = ia;
	evd_a = fake_evd();
	evd_b = fake_evd();
}

static void teardown(void)
{
	fake_free(evd_a);
	fake_free(evd_b);
	dapl_obj_free(ia);
}

static DAT_CNO_HANDLE new_cno(DAT_OS_WAIT_PROXY_AGENT agent)
{
	DAT_CNO_HANDLE cno = NULL;

	ck_assert_uint_eq(table.cno_create_func(ia, agent, &cno), DAT_SUCCESS);
	return cno;
}

static DAT_RETURN wait_on(DAT_CNO_HANDLE cno, DAT_TIMEOUT t, DAT_EVD_HANDLE *got)
{
	*got = NULL;
	return table.cno_wait_func(cno, t, got);
}

/* ---- tests ------------------------------------------------------------ */

START_TEST(wait_times_out)
{
	DAT_CNO_HANDLE cno = new_cno(DAT_OS_WAIT_PROXY_AGENT_NULL);
	DAT_EVD_HANDLE got;

	ck_assert_uint_eq(wait_on(cno, 0, &got), TIMED_OUT);
	ck_assert_uint_eq(dapl_cno_attach(cno, evd_a), DAT_SUCCESS);
	ck_assert_uint_eq(wait_on(cno, 0, &got), TIMED_OUT);
	ck_assert_uint_eq(wait_on(cno, 1, &got), TIMED_OUT);
	ck_assert_uint_eq(wait_on(cno, 5000, &got), TIMED_OUT);
	ck_assert_ptr_null(got);
	/* Before sleeping the wait armed the EVD's CQ. */
	ck_assert_int_gt(fk(evd_a)->arms, 1);
	dapl_cno_detach(cno, evd_a);
	ck_assert_uint_eq(table.cno_free_func(cno), DAT_SUCCESS);
}
END_TEST

START_TEST(wait_names_the_evd)
{
	DAT_CNO_HANDLE cno = new_cno(DAT_OS_WAIT_PROXY_AGENT_NULL);
	DAT_EVD_HANDLE got;

	ck_assert_uint_eq(dapl_cno_attach(cno, evd_a), DAT_SUCCESS);
	ck_assert_uint_eq(dapl_cno_attach(cno, evd_b), DAT_SUCCESS);
	arrive(evd_b);
	ck_assert_uint_eq(wait_on(cno, DAT_TIMEOUT_INFINITE, &got), DAT_SUCCESS);
	ck_assert_ptr_eq(got, evd_b);
	/* Not dequeued yet: the CNO reports it again. */
	ck_assert_uint_eq(wait_on(cno, 0, &got), DAT_SUCCESS);
	ck_assert_ptr_eq(got, evd_b);
	take(evd_b);
	ck_assert_uint_eq(wait_on(cno, 0, &got), TIMED_OUT);
	/* The wake-up of B's fd was acknowledged on the way. */
	ck_assert_int_eq(fk(evd_b)->acks, 1);
	arrive(evd_a);
	ck_assert_uint_eq(wait_on(cno, 1000000, &got), DAT_SUCCESS);
	ck_assert_ptr_eq(got, evd_a);
	take(evd_a);
	ck_assert_uint_eq(table.cno_free_func(cno), IN_USE);
	dapl_cno_detach(cno, evd_a);
	ck_assert_uint_eq(table.cno_free_func(cno), IN_USE);
	dapl_cno_detach(cno, evd_b);
	ck_assert_uint_eq(table.cno_free_func(cno), DAT_SUCCESS);
	ck_assert_uint_eq(table.cno_free_func(cno), BAD_CNO);
	ck_assert_uint_eq(wait_on(cno, 0, &got), BAD_CNO);
}
END_TEST

START_TEST(spurious_wakeup_is_not_an_event)
{
	DAT_CNO_HANDLE cno = new_cno(DAT_OS_WAIT_PROXY_AGENT_NULL);
	DAT_EVD_HANDLE got;
	uint64_t one = 1;

	ck_assert_uint_eq(dapl_cno_attach(cno, evd_a), DAT_SUCCESS);
	/* The fd wakes, but nothing is queued. */
	ck_assert_int_eq(write(fk(evd_a)->fd, &one, sizeof(one)), sizeof(one));
	ck_assert_uint_eq(wait_on(cno, 2000, &got), TIMED_OUT);
	ck_assert_int_eq(fk(evd_a)->acks, 1);
	dapl_cno_detach(cno, evd_a);
	ck_assert_uint_eq(table.cno_free_func(cno), DAT_SUCCESS);
}
END_TEST

struct agent_log {
	int calls;
	DAT_EVD_HANDLE evd;
};

static void DAT_API agent_fn(DAT_PVOID data, DAT_EVD_HANDLE evd)
{
	struct agent_log *log = data;

	log->calls++;
	log->evd = evd;
}

START_TEST(notify_agent_and_stale_trigger)
{
	struct agent_log log = { 0 };
	DAT_OS_WAIT_PROXY_AGENT agent = { &log, agent_fn };
	DAT_CNO_HANDLE cno = new_cno(agent);
	DAT_EVD_HANDLE got;
	DAT_CNO_PARAM p;

	ck_assert_uint_eq(dapl_cno_attach(cno, evd_a), DAT_SUCCESS);
	/* An event the fds do not show, told by evd.c. */
	__atomic_add_fetch(&fk(evd_a)->queued, 1, __ATOMIC_RELEASE);
	dapl_cno_notify(cno, evd_a);
	ck_assert_int_eq(log.calls, 1);
	ck_assert_ptr_eq(log.evd, evd_a);
	ck_assert_uint_eq(wait_on(cno, 0, &got), DAT_SUCCESS);
	ck_assert_ptr_eq(got, evd_a);
	/* A notification whose event was dequeued before the wait. */
	dapl_cno_notify(cno, evd_a);
	take(evd_a);
	ck_assert_uint_eq(wait_on(cno, 0, &got), TIMED_OUT);
	/* Not attached: no trigger, no agent call. */
	dapl_cno_notify(cno, evd_b);
	ck_assert_int_eq(log.calls, 2);
	ck_assert_uint_eq(table.cno_query_func(cno, DAT_CNO_FIELD_ALL, &p), DAT_SUCCESS);
	ck_assert_int_eq(p.proxy_type, DAT_PROXY_TYPE_AGENT);
	ck_assert_ptr_eq(p.proxy.agent.instance_data, &log);
	ck_assert_uint_eq(table.cno_modify_agent_func(cno, DAT_OS_WAIT_PROXY_AGENT_NULL),
			  DAT_SUCCESS);
	dapl_cno_notify(cno, evd_a);
	ck_assert_int_eq(log.calls, 2);
	ck_assert_uint_eq(table.cno_query_func(cno, DAT_CNO_FIELD_ALL, &p), DAT_SUCCESS);
	ck_assert_int_eq(p.proxy_type, DAT_PROXY_TYPE_NONE);
	ck_assert_uint_eq(table.cno_query_func(cno, 0x100, &p),
			  ERR(DAT_INVALID_PARAMETER, DAT_INVALID_ARG2));
	ck_assert_uint_eq(table.cno_query_func(cno, DAT_CNO_FIELD_ALL, NULL),
			  ERR(DAT_INVALID_PARAMETER, DAT_INVALID_ARG3));
	dapl_cno_detach(cno, evd_a);
	ck_assert_uint_eq(table.cno_free_func(cno), DAT_SUCCESS);
}
END_TEST

struct waiter {
	DAT_CNO_HANDLE cno;
	DAT_RETURN ret;
	DAT_EVD_HANDLE got;
};

static void *waiter_main(void *arg)
{
	struct waiter *w = arg;

	w->ret = table.cno_wait_func(w->cno, DAT_TIMEOUT_INFINITE, &w->got);
	return NULL;
}

START_TEST(detach_and_wake_while_waiting)
{
	DAT_CNO_HANDLE cno = new_cno(DAT_OS_WAIT_PROXY_AGENT_NULL);
	struct waiter w = { .cno = cno };
	DAT_EVD_HANDLE got;
	pthread_t t;
	int i;

	ck_assert_uint_eq(dapl_cno_attach(cno, evd_a), DAT_SUCCESS);
	ck_assert_uint_eq(dapl_cno_attach(cno, evd_b), DAT_SUCCESS);
	ck_assert_int_eq(pthread_create(&t, NULL, waiter_main, &w), 0);
	/* Let the waiter go to sleep: it has armed B at least twice then. */
	for (i = 0; i < 100000 && __atomic_load_n(&fk(evd_b)->arms, __ATOMIC_RELAXED) < 2; i++)
		usleep(100);
	ck_assert_uint_eq(table.cno_free_func(cno), IN_USE);
	dapl_cno_detach(cno, evd_a);	/* waits for the waiter's snapshot */
	arrive(evd_a);			/* detached: must not wake it */
	arrive(evd_b);
	pthread_join(t, NULL);
	ck_assert_uint_eq(w.ret, DAT_SUCCESS);
	ck_assert_ptr_eq(w.got, evd_b);
	take(evd_b);
	ck_assert_uint_eq(wait_on(cno, 0, &got), TIMED_OUT);
	take(evd_a);
	dapl_cno_detach(cno, evd_b);
	ck_assert_uint_eq(table.cno_free_func(cno), DAT_SUCCESS);
}
END_TEST

START_TEST(fd_and_trigger)
{
	struct pollfd pfd = { .events = POLLIN };
	DAT_CNO_HANDLE cno = NULL;
	DAT_EVD_HANDLE got;
	DAT_CNO_PARAM p;
	DAT_FD fd = -1;

	ck_assert_uint_eq(table.cno_fd_create_func(ia, &fd, &cno), DAT_SUCCESS);
	ck_assert_uint_eq(table.cno_query_func(cno, DAT_CNO_FIELD_ALL, &p), DAT_SUCCESS);
	ck_assert_int_eq(p.proxy_type, DAT_PROXY_TYPE_FD);
	ck_assert_int_eq(p.proxy.fd, fd);
	ck_assert_uint_eq(dapl_cno_attach(cno, evd_a), DAT_SUCCESS);
	pfd.fd = fd;
	ck_assert_int_eq(poll(&pfd, 1, 0), 0);
	ck_assert_uint_eq(table.cno_trigger_func(cno, &got),
			  ERR(DAT_QUEUE_EMPTY, DAT_NO_SUBTYPE));
	arrive(evd_a);
	ck_assert_int_eq(poll(&pfd, 1, 0), 1);
	ck_assert_uint_eq(table.cno_trigger_func(cno, &got), DAT_SUCCESS);
	ck_assert_ptr_eq(got, evd_a);
	take(evd_a);
	/* The trigger acknowledged the wake-up: the fd is quiet again. */
	ck_assert_int_eq(poll(&pfd, 1, 0), 0);
	ck_assert_uint_eq(table.cno_trigger_func(cno, NULL),
			  ERR(DAT_INVALID_PARAMETER, DAT_INVALID_ARG2));
	dapl_cno_detach(cno, evd_a);
	ck_assert_uint_eq(table.cno_free_func(cno), DAT_SUCCESS);
	ck_assert_uint_eq(table.cno_trigger_func(cno, &got), BAD_CNO);
}
END_TEST

START_TEST(bad_handles_and_args)
{
	DAT_CNO_HANDLE cno = NULL;
	DAT_EVD_HANDLE got;
	DAT_FD fd;

	ck_assert_uint_eq(table.cno_create_func(NULL, DAT_OS_WAIT_PROXY_AGENT_NULL, &cno),
			  ERR(DAT_INVALID_HANDLE, DAT_INVALID_HANDLE_IA));
	ck_assert_uint_eq(table.cno_create_func(evd_a, DAT_OS_WAIT_PROXY_AGENT_NULL, &cno),
			  ERR(DAT_INVALID_HANDLE, DAT_INVALID_HANDLE_IA));
	ck_assert_uint_eq(table.cno_create_func(ia, DAT_OS_WAIT_PROXY_AGENT_NULL, NULL),
			  ERR(DAT_INVALID_PARAMETER, DAT_INVALID_ARG3));
	ck_assert_uint_eq(table.cno_fd_create_func(ia, NULL, &cno),
			  ERR(DAT_INVALID_PARAMETER, DAT_INVALID_ARG2));
	ck_assert_uint_eq(table.cno_fd_create_func(ia, &fd, NULL),
			  ERR(DAT_INVALID_PARAMETER, DAT_INVALID_ARG3));
	ck_assert_uint_eq(wait_on(NULL, 0, &got), BAD_CNO);
	ck_assert_uint_eq(wait_on(evd_a, 0, &got), BAD_CNO);
	cno = new_cno(DAT_OS_WAIT_PROXY_AGENT_NULL);
	ck_assert_uint_eq(table.cno_wait_func(cno, 0, NULL),
			  ERR(DAT_INVALID_PARAMETER, DAT_INVALID_ARG3));
	ck_assert_uint_eq(table.cno_modify_agent_func(evd_a, DAT_OS_WAIT_PROXY_AGENT_NULL),
			  BAD_CNO);
	ck_assert_uint_eq(table.cno_free_func(cno), DAT_SUCCESS);
	ck_assert_uint_eq(table.cno_modify_agent_func(cno, DAT_OS_WAIT_PROXY_AGENT_NULL),
			  BAD_CNO);
}
END_TEST

static Suite *cno_suite(void)
{
	Suite *s = suite_create("dapl_cno");
	TCase *tc = tcase_create("cno");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, wait_times_out);
	tcase_add_test(tc, wait_names_the_evd);
	tcase_add_test(tc, spurious_wakeup_is_not_an_event);
	tcase_add_test(tc, notify_agent_and_stale_trigger);
	tcase_add_test(tc, detach_and_wake_while_waiting);
	tcase_add_test(tc, fd_and_trigger);
	tcase_add_test(tc, bad_handles_and_args);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(cno_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
