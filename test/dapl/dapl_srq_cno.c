// SPDX-License-Identifier: BSD-3-Clause OR GPL-2.0-only
/*
 * dapl_srq_cno - conformance of our provider's SRQ and CNO calls, run in
 * the guest through libdat2 (test/vm/cases/dapl_srq_cno.sh).
 *
 *   dapl_srq_cno IA_NAME rxe|siw
 *
 * Every call is made with NULL, wrong-type and freed handles, with each
 * bad parameter, and in the states where DAT says it must refuse (SRQ and
 * CNO in use); then it does its work and the result is checked (receives
 * posted up to the size the SRQ reports and not one more, the watermark
 * and size seen by dat_srq_query, the EVD a CNO wait returns, the fd of a
 * CNO made by dat_cno_fd_create).  The CNO is fed by software events
 * (dat_evd_post_se), so no connection is needed.  One line per check;
 * exit 0 and "PASS dapl_srq_cno" only if all pass.
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dat2/udat.h>
#include <dat2/udat_redirection.h>

DAT_RETURN DAT_API dats_get_ia_handle(DAT_IA_HANDLE handle, DAT_IA_HANDLE *out);

static int checks, failures;
static const char *transport;

static const char *ret_str(DAT_RETURN r, char *buf, size_t len)
{
	const char *major = "", *minor = "";

	dat_strerror(r, &major, &minor);
	snprintf(buf, len, "0x%08x %s%s%s", (unsigned int)r, major,
		 minor && *minor ? " " : "", minor ? minor : "");
	return buf;
}

/* @got must be @want exactly (type and subtype). */
static void expect(DAT_RETURN got, DAT_RETURN want, const char *what)
{
	char g[160], w[160];

	checks++;
	if (got == want) {
		printf("ok %d - %s\n", checks, what);
		return;
	}
	failures++;
	printf("not ok %d - %s: got %s, want %s\n", checks, what,
	       ret_str(got, g, sizeof(g)), ret_str(want, w, sizeof(w)));
}

/* Only the type of @got matters (libdat2 may answer for the registry). */
static void expect_type(DAT_RETURN got, DAT_RETURN type, const char *what)
{
	expect(DAT_GET_TYPE(got) == type ? type : got, type, what);
}

static void expect_true(int cond, const char *what)
{
	checks++;
	if (cond) {
		printf("ok %d - %s\n", checks, what);
		return;
	}
	failures++;
	printf("not ok %d - %s\n", checks, what);
}

static void must(DAT_RETURN r, const char *what)
{
	char b[160];

	if (r == DAT_SUCCESS)
		return;
	printf("Bail out! %s: %s\n", what, ret_str(r, b, sizeof(b)));
	exit(1);
}

#define ERR(t, s)	((DAT_RETURN)(DAT_CLASS_ERROR | (t) | (s)))
#define BADH(s)		ERR(DAT_INVALID_HANDLE, s)
#define BADP(a)		ERR(DAT_INVALID_PARAMETER, a)

struct env {
	DAT_IA_HANDLE ia;
	DAT_EVD_HANDLE async;
	DAT_PZ_HANDLE pz;
	DAT_LMR_HANDLE lmr;
	DAT_LMR_CONTEXT lkey;
	char *buf;
	DAT_PZ_HANDLE freed_pz;		/* a freed PZ handle */
	DAT_EVD_HANDLE evd;		/* a software EVD: a wrong-type handle */
};

#define BUF_SIZE	(64 * 1024)
#define SEG		256

static DAT_LMR_TRIPLET seg(struct env *e, int i)
{
	DAT_LMR_TRIPLET t = {
		.virtual_address = (DAT_VADDR)(uintptr_t)(e->buf + (i % 200) * SEG),
		.segment_length = SEG,
		.lmr_context = e->lkey,
	};
	return t;
}

static DAT_DTO_COOKIE cookie(uint64_t v)
{
	DAT_DTO_COOKIE c;

	c.as_64 = v;
	return c;
}

/* ---- SRQ -------------------------------------------------------------- */

static void srq_create_args(struct env *e)
{
	DAT_SRQ_ATTR a = { .max_recv_dtos = 64, .max_recv_iov = 2 };
	DAT_SRQ_HANDLE srq;
	DAT_SRQ_ATTR bad;

	expect_type(dat_srq_create(NULL, e->pz, &a, &srq), DAT_INVALID_HANDLE,
		    "srq_create: NULL IA");
	expect(dat_srq_create(e->ia, NULL, &a, &srq),
	       BADH(DAT_INVALID_HANDLE_PZ), "srq_create: NULL PZ");
	expect(dat_srq_create(e->ia, e->evd, &a, &srq),
	       BADH(DAT_INVALID_HANDLE_PZ), "srq_create: an EVD as PZ");
	expect(dat_srq_create(e->ia, e->freed_pz, &a, &srq),
	       BADH(DAT_INVALID_HANDLE_PZ), "srq_create: freed PZ");
	expect(dat_srq_create(e->ia, e->pz, NULL, &srq), BADP(DAT_INVALID_ARG3),
	       "srq_create: NULL attr");
	expect(dat_srq_create(e->ia, e->pz, &a, NULL), BADP(DAT_INVALID_ARG4),
	       "srq_create: NULL handle out");
	bad = a, bad.max_recv_dtos = 0;
	expect(dat_srq_create(e->ia, e->pz, &bad, &srq), BADP(DAT_INVALID_ARG3),
	       "srq_create: max_recv_dtos 0");
	bad = a, bad.max_recv_dtos = -1;
	expect(dat_srq_create(e->ia, e->pz, &bad, &srq), BADP(DAT_INVALID_ARG3),
	       "srq_create: max_recv_dtos -1");
	bad = a, bad.max_recv_dtos = 0x7fffffff;
	expect(dat_srq_create(e->ia, e->pz, &bad, &srq), BADP(DAT_INVALID_ARG3),
	       "srq_create: max_recv_dtos above the device's");
	bad = a, bad.max_recv_iov = -1;
	expect(dat_srq_create(e->ia, e->pz, &bad, &srq), BADP(DAT_INVALID_ARG3),
	       "srq_create: max_recv_iov -1");
	bad = a, bad.max_recv_iov = 100000;
	expect(dat_srq_create(e->ia, e->pz, &bad, &srq), BADP(DAT_INVALID_ARG3),
	       "srq_create: max_recv_iov above the device's");
	bad = a, bad.low_watermark = 65;
	expect(dat_srq_create(e->ia, e->pz, &bad, &srq), BADP(DAT_INVALID_ARG3),
	       "srq_create: low_watermark above max_recv_dtos");
	bad = a, bad.low_watermark = -1;
	expect(dat_srq_create(e->ia, e->pz, &bad, &srq), BADP(DAT_INVALID_ARG3),
	       "srq_create: low_watermark -1");
}

static void srq_query_check(struct env *e, DAT_SRQ_HANDLE srq,
			    DAT_SRQ_PARAM *p)
{
	must(dat_srq_query(srq, DAT_SRQ_FIELD_ALL, p), "dat_srq_query");
	printf("# srq: state %d max_recv_dtos %d max_recv_iov %d low_watermark %d\n",
	       p->srq_state, p->max_recv_dtos, p->max_recv_iov, p->low_watermark);
	expect_true(p->ia_handle == e->ia, "srq_query: ia_handle is the IA");
	expect_true(p->pz_handle == e->pz, "srq_query: pz_handle is the PZ");
	expect_true(p->srq_state == DAT_SRQ_STATE_OPERATIONAL,
		    "srq_query: state OPERATIONAL");
	expect_true(p->available_dto_count == DAT_VALUE_UNKNOWN &&
		    p->outstanding_dto_count == DAT_VALUE_UNKNOWN,
		    "srq_query: DTO counts are DAT_VALUE_UNKNOWN (not guessed)");
}

/* Posts until the SRQ refuses: exactly as many as dat_srq_query reports. */
static void srq_fill(struct env *e, DAT_SRQ_HANDLE srq, int size)
{
	DAT_LMR_TRIPLET t[2];
	DAT_RETURN r = DAT_SUCCESS;
	int i;
	char what[128];

	for (i = 0; i < size && r == DAT_SUCCESS; i++) {
		t[0] = seg(e, i);
		t[1] = seg(e, i + 1);
		r = dat_srq_post_recv(srq, 1 + i % 2, t, cookie(i));
	}
	snprintf(what, sizeof(what), "srq_post_recv: %d receives fit (the size query reports)",
		 size);
	expect(r, DAT_SUCCESS, what);
	t[0] = seg(e, 0);
	expect(dat_srq_post_recv(srq, 1, t, cookie(999)),
	       ERR(DAT_INSUFFICIENT_RESOURCES, DAT_RESOURCE_SRQ),
	       "srq_post_recv: one more than the size is refused");
}

static void srq_post_args(struct env *e, DAT_SRQ_HANDLE srq)
{
	DAT_LMR_TRIPLET t[3] = { seg(e, 0), seg(e, 1), seg(e, 2) };

	expect(dat_srq_post_recv(NULL, 1, t, cookie(1)),
	       BADH(DAT_INVALID_HANDLE_SRQ), "srq_post_recv: NULL SRQ");
	expect(dat_srq_post_recv(e->pz, 1, t, cookie(1)),
	       BADH(DAT_INVALID_HANDLE_SRQ), "srq_post_recv: a PZ as SRQ");
	expect(dat_srq_post_recv(srq, 3, t, cookie(1)), BADP(DAT_INVALID_ARG2),
	       "srq_post_recv: more segments than max_recv_iov");
	expect(dat_srq_post_recv(srq, -1, t, cookie(1)), BADP(DAT_INVALID_ARG2),
	       "srq_post_recv: -1 segments");
	expect(dat_srq_post_recv(srq, 1, NULL, cookie(1)), BADP(DAT_INVALID_ARG3),
	       "srq_post_recv: NULL iov");
}

static void srq_lw_resize(struct env *e, DAT_SRQ_HANDLE srq, int size)
{
	DAT_SRQ_PARAM p;
	DAT_RETURN r;

	(void)e;
	expect(dat_srq_set_lw(NULL, 1), BADH(DAT_INVALID_HANDLE_SRQ),
	       "srq_set_lw: NULL SRQ");
	expect(dat_srq_set_lw(srq, -1), BADP(DAT_INVALID_ARG2),
	       "srq_set_lw: -1");
	expect(dat_srq_set_lw(srq, size + 1), BADP(DAT_INVALID_ARG2),
	       "srq_set_lw: above the SRQ's size");
	expect(dat_srq_set_lw(srq, 10), DAT_SUCCESS, "srq_set_lw: 10");
	must(dat_srq_query(srq, DAT_SRQ_FIELD_LOW_WATERMARK, &p), "dat_srq_query");
	expect_true(p.low_watermark == 10, "srq_query: low_watermark 10 after set_lw");

	expect(dat_srq_resize(NULL, 128), BADH(DAT_INVALID_HANDLE_SRQ),
	       "srq_resize: NULL SRQ");
	expect(dat_srq_resize(srq, 0), BADP(DAT_INVALID_ARG2), "srq_resize: 0");
	expect(dat_srq_resize(srq, -5), BADP(DAT_INVALID_ARG2), "srq_resize: -5");
	expect(dat_srq_resize(srq, 0x7fffffff), BADP(DAT_INVALID_ARG2),
	       "srq_resize: above the device's maximum");
	expect_type(dat_srq_resize(srq, 5), DAT_INVALID_STATE,
		    "srq_resize: below the low watermark");
	expect(dat_srq_set_lw(srq, DAT_SRQ_LW_DEFAULT), DAT_SUCCESS,
	       "srq_set_lw: 0 disarms");
	must(dat_srq_query(srq, DAT_SRQ_FIELD_LOW_WATERMARK, &p), "dat_srq_query");
	expect_true(p.low_watermark == 0, "srq_query: low_watermark 0 after disarming");

	r = dat_srq_resize(srq, size * 2);
	if (!strcmp(transport, "siw")) {
		/* siw cannot resize an SRQ (no IBV_DEVICE_SRQ_RESIZE). */
		expect(r, ERR(DAT_NOT_IMPLEMENTED, DAT_NO_SUBTYPE),
		       "srq_resize: siw says it cannot");
		return;
	}
	expect(r, DAT_SUCCESS, "srq_resize: twice the size");
	must(dat_srq_query(srq, DAT_SRQ_FIELD_MAX_RECV_DTO, &p), "dat_srq_query");
	printf("# srq resized to %d: query says %d\n", size * 2, p.max_recv_dtos);
	expect_true(p.max_recv_dtos >= size * 2, "srq_query: the new size");
	/* size receives are posted: growing keeps them, shrinking below fails */
	expect_type(dat_srq_resize(srq, size / 2), DAT_INVALID_STATE,
		    "srq_resize: below the posted receives");
	srq_fill(e, srq, p.max_recv_dtos - size);
}

static void srq_ep(struct env *e, DAT_SRQ_HANDLE srq)
{
	DAT_EVD_HANDLE recv = NULL, req = NULL, conn = NULL;
	DAT_EP_HANDLE ep;
	DAT_RETURN r;

	r = dat_evd_create(e->ia, 16, NULL, DAT_EVD_DTO_FLAG, &recv);
	if (DAT_GET_TYPE(r) == DAT_NOT_IMPLEMENTED) {
		printf("# DTO EVDs not available yet: EP with no EVDs\n");
		recv = NULL;
	} else {
		must(r, "dat_evd_create DTO");
		must(dat_evd_create(e->ia, 16, NULL, DAT_EVD_DTO_FLAG, &req),
		     "dat_evd_create DTO");
		must(dat_evd_create(e->ia, 16, NULL, DAT_EVD_CONNECTION_FLAG, &conn),
		     "dat_evd_create CONNECTION");
	}
	expect_type(dat_ep_create_with_srq(NULL, e->pz, recv, req, conn, srq, NULL, &ep),
		    DAT_INVALID_HANDLE, "ep_create_with_srq: NULL IA");
	expect(dat_ep_create_with_srq(e->ia, e->freed_pz, recv, req, conn, srq, NULL, &ep),
	       BADH(DAT_INVALID_HANDLE_PZ), "ep_create_with_srq: freed PZ");
	expect(dat_ep_create_with_srq(e->ia, e->evd, recv, req, conn, srq, NULL, &ep),
	       BADH(DAT_INVALID_HANDLE_PZ), "ep_create_with_srq: an EVD as PZ");
	expect(dat_ep_create_with_srq(e->ia, e->pz, e->pz, req, conn, srq, NULL, &ep),
	       BADH(DAT_INVALID_HANDLE_EVD_RECV), "ep_create_with_srq: a PZ as recv EVD");
	expect(dat_ep_create_with_srq(e->ia, e->pz, recv, e->pz, conn, srq, NULL, &ep),
	       BADH(DAT_INVALID_HANDLE_EVD_REQUEST), "ep_create_with_srq: a PZ as request EVD");
	expect(dat_ep_create_with_srq(e->ia, e->pz, recv, req, e->pz, srq, NULL, &ep),
	       BADH(DAT_INVALID_HANDLE_EVD_CONN), "ep_create_with_srq: a PZ as connect EVD");
	expect(dat_ep_create_with_srq(e->ia, e->pz, recv, req, conn, NULL, NULL, &ep),
	       BADH(DAT_INVALID_HANDLE_SRQ), "ep_create_with_srq: NULL SRQ");
	expect(dat_ep_create_with_srq(e->ia, e->pz, recv, req, conn, e->pz, NULL, &ep),
	       BADH(DAT_INVALID_HANDLE_SRQ), "ep_create_with_srq: a PZ as SRQ");
	expect(dat_ep_create_with_srq(e->ia, e->pz, recv, req, conn, srq, NULL, NULL),
	       BADP(DAT_INVALID_ARG8), "ep_create_with_srq: NULL handle out");
	expect(dat_ep_create_with_srq(e->ia, e->pz, recv, req, conn, srq, NULL, &ep),
	       DAT_SUCCESS, "ep_create_with_srq");
	expect(dat_srq_free(srq), ERR(DAT_INVALID_STATE, DAT_INVALID_STATE_SRQ_IN_USE),
	       "srq_free: refused while an EP uses it");
	expect(dat_ep_free(ep), DAT_SUCCESS, "ep_free");
	if (recv) {
		must(dat_evd_free(recv), "dat_evd_free");
		must(dat_evd_free(req), "dat_evd_free");
		must(dat_evd_free(conn), "dat_evd_free");
	}
}

static void srq_tests(struct env *e)
{
	DAT_SRQ_ATTR a = { .max_recv_dtos = 64, .max_recv_iov = 2 };
	DAT_LMR_TRIPLET t = seg(e, 0);
	DAT_SRQ_HANDLE srq;
	DAT_SRQ_PARAM p;

	srq_create_args(e);
	expect(dat_srq_create(e->ia, e->pz, &a, &srq), DAT_SUCCESS, "srq_create 64x2");
	expect(dat_srq_query(NULL, DAT_SRQ_FIELD_ALL, &p), BADH(DAT_INVALID_HANDLE_SRQ),
	       "srq_query: NULL SRQ");
	expect(dat_srq_query(srq, 0x100, &p), BADP(DAT_INVALID_ARG2),
	       "srq_query: unknown mask bit");
	expect(dat_srq_query(srq, DAT_SRQ_FIELD_ALL, NULL), BADP(DAT_INVALID_ARG3),
	       "srq_query: NULL param");
	srq_query_check(e, srq, &p);
	expect_true(p.max_recv_dtos >= 64 && p.max_recv_iov >= 2,
		    "srq_query: at least the size asked");
	expect_true(p.low_watermark == 0, "srq_query: no watermark armed");
	expect(dat_pz_free(e->pz), ERR(DAT_INVALID_STATE, DAT_INVALID_STATE_PZ_IN_USE),
	       "pz_free: refused while an SRQ uses it");
	srq_post_args(e, srq);
	srq_fill(e, srq, p.max_recv_dtos);
	srq_lw_resize(e, srq, p.max_recv_dtos);
	srq_ep(e, srq);
	expect(dat_srq_free(NULL), BADH(DAT_INVALID_HANDLE_SRQ), "srq_free: NULL");
	expect(dat_srq_free(e->pz), BADH(DAT_INVALID_HANDLE_SRQ), "srq_free: a PZ");
	expect(dat_srq_free(srq), DAT_SUCCESS, "srq_free (with receives posted)");
	expect(dat_srq_free(srq), BADH(DAT_INVALID_HANDLE_SRQ), "srq_free: freed SRQ");
	expect(dat_srq_post_recv(srq, 1, &t, cookie(1)), BADH(DAT_INVALID_HANDLE_SRQ),
	       "srq_post_recv: freed SRQ");
	expect(dat_srq_query(srq, DAT_SRQ_FIELD_ALL, &p), BADH(DAT_INVALID_HANDLE_SRQ),
	       "srq_query: freed SRQ");
	expect(dat_srq_resize(srq, 8), BADH(DAT_INVALID_HANDLE_SRQ),
	       "srq_resize: freed SRQ");
	expect(dat_srq_set_lw(srq, 1), BADH(DAT_INVALID_HANDLE_SRQ),
	       "srq_set_lw: freed SRQ");
	expect(dat_ep_create_with_srq(e->ia, e->pz, NULL, NULL, NULL, srq, NULL, &srq),
	       BADH(DAT_INVALID_HANDLE_SRQ), "ep_create_with_srq: freed SRQ");
}

/* ---- CNO -------------------------------------------------------------- */

struct agent_log {
	pthread_mutex_t lock;
	int calls;
	DAT_EVD_HANDLE evd;
};

static void DAT_API agent_fn(DAT_PVOID data, DAT_EVD_HANDLE evd)
{
	struct agent_log *log = data;

	pthread_mutex_lock(&log->lock);
	log->calls++;
	log->evd = evd;
	pthread_mutex_unlock(&log->lock);
}

static void post_se(DAT_EVD_HANDLE evd, void *ptr)
{
	DAT_EVENT ev;

	memset(&ev, 0, sizeof(ev));
	ev.event_number = DAT_SOFTWARE_EVENT;
	ev.event_data.software_event_data.pointer = ptr;
	must(dat_evd_post_se(evd, &ev), "dat_evd_post_se");
}

static void *dequeue_ptr(DAT_EVD_HANDLE evd)
{
	DAT_EVENT ev;

	if (dat_evd_dequeue(evd, &ev) != DAT_SUCCESS ||
	    ev.event_number != DAT_SOFTWARE_EVENT)
		return NULL;
	return ev.event_data.software_event_data.pointer;
}

struct poster {
	DAT_EVD_HANDLE evd;
	void *ptr;
};

static void *poster_main(void *arg)
{
	struct poster *p = arg;

	post_se(p->evd, p->ptr);
	return NULL;
}

struct waiter {
	DAT_CNO_HANDLE cno;
	DAT_RETURN ret;
	DAT_EVD_HANDLE got;
};

static void *waiter_main(void *arg)
{
	struct waiter *w = arg;

	w->ret = dat_cno_wait(w->cno, DAT_TIMEOUT_INFINITE, &w->got);
	return NULL;
}

/*
 * An EVD leaves the CNO while another thread waits on it: the waiter
 * keeps waiting (on the other EVD only) and the detached EVD no longer
 * triggers the CNO.
 */
static void cno_detach_while_waiting(DAT_CNO_HANDLE cno, DAT_EVD_HANDLE a,
				     DAT_EVD_HANDLE b)
{
	struct waiter w = { .cno = cno };
	DAT_EVD_HANDLE got;
	pthread_t t;

	if (pthread_create(&t, NULL, waiter_main, &w)) {
		printf("Bail out! pthread_create\n");
		exit(1);
	}
	expect(dat_evd_modify_cno(a, NULL), DAT_SUCCESS,
	       "evd_modify_cno: detach while another thread waits on the CNO");
	post_se(a, (void *)0xa5);
	post_se(b, (void *)0xb5);
	pthread_join(t, NULL);
	expect(w.ret, DAT_SUCCESS, "cno_wait: the waiter returns");
	expect_true(w.got == b, "cno_wait: names the EVD still attached");
	expect_true(dequeue_ptr(b) == (void *)0xb5, "evd_dequeue: its event");
	expect(dat_cno_wait(cno, 0, &got), ERR(DAT_TIMEOUT_EXPIRED, DAT_NO_SUBTYPE),
	       "cno_wait: the detached EVD's event does not trigger the CNO");
	expect_true(dequeue_ptr(a) == (void *)0xa5, "evd_dequeue: detached EVD's event");
	must(dat_evd_modify_cno(a, cno), "dat_evd_modify_cno A again");
}

static void cno_args(struct env *e, DAT_CNO_HANDLE cno)
{
	DAT_OS_WAIT_PROXY_AGENT none = DAT_OS_WAIT_PROXY_AGENT_NULL;
	DAT_EVD_HANDLE evd;
	DAT_CNO_HANDLE c;
	DAT_CNO_PARAM p;

	expect_type(dat_cno_create(NULL, none, &c), DAT_INVALID_HANDLE,
		    "cno_create: NULL IA");
	expect(dat_cno_create(e->ia, none, NULL), BADP(DAT_INVALID_ARG3),
	       "cno_create: NULL handle out");
	expect(dat_cno_wait(NULL, 0, &evd), BADH(DAT_INVALID_HANDLE_CNO),
	       "cno_wait: NULL CNO");
	expect(dat_cno_wait(e->pz, 0, &evd), BADH(DAT_INVALID_HANDLE_CNO),
	       "cno_wait: a PZ as CNO");
	expect(dat_cno_wait(cno, 0, NULL), BADP(DAT_INVALID_ARG3),
	       "cno_wait: NULL EVD out");
	expect(dat_cno_query(NULL, DAT_CNO_FIELD_ALL, &p), BADH(DAT_INVALID_HANDLE_CNO),
	       "cno_query: NULL CNO");
	expect(dat_cno_query(cno, DAT_CNO_FIELD_ALL, NULL), BADP(DAT_INVALID_ARG3),
	       "cno_query: NULL param");
	expect(dat_cno_modify_agent(NULL, none), BADH(DAT_INVALID_HANDLE_CNO),
	       "cno_modify_agent: NULL CNO");
	expect(dat_cno_free(NULL), BADH(DAT_INVALID_HANDLE_CNO), "cno_free: NULL");
	expect(dat_cno_free(e->pz), BADH(DAT_INVALID_HANDLE_CNO), "cno_free: a PZ");
}

static void cno_wait_tests(DAT_CNO_HANDLE cno, DAT_EVD_HANDLE a, DAT_EVD_HANDLE b)
{
	struct poster pb = { .evd = b, .ptr = (void *)0xb0b };
	DAT_EVD_HANDLE got = NULL;
	pthread_t t;

	expect(dat_cno_wait(cno, 0, &got), ERR(DAT_TIMEOUT_EXPIRED, DAT_NO_SUBTYPE),
	       "cno_wait: timeout 0 with nothing queued");
	expect(dat_cno_wait(cno, 20000, &got), ERR(DAT_TIMEOUT_EXPIRED, DAT_NO_SUBTYPE),
	       "cno_wait: 20 ms with nothing queued");

	post_se(b, (void *)0xb1);
	got = NULL;
	expect(dat_cno_wait(cno, DAT_TIMEOUT_INFINITE, &got), DAT_SUCCESS,
	       "cno_wait: an event queued on the second EVD");
	expect_true(got == b, "cno_wait: names the second EVD");
	expect_true(dequeue_ptr(b) == (void *)0xb1, "evd_dequeue: the posted event");
	expect(dat_cno_wait(cno, 0, &got), ERR(DAT_TIMEOUT_EXPIRED, DAT_NO_SUBTYPE),
	       "cno_wait: nothing left after the dequeue");

	post_se(a, (void *)0xa1);
	got = NULL;
	expect(dat_cno_wait(cno, 1000000, &got), DAT_SUCCESS,
	       "cno_wait: an event on the first EVD");
	expect_true(got == a, "cno_wait: names the first EVD");
	expect_true(dequeue_ptr(a) == (void *)0xa1, "evd_dequeue: the posted event");

	/* Woken while sleeping (or finding it at once): either way, B. */
	if (pthread_create(&t, NULL, poster_main, &pb)) {
		printf("Bail out! pthread_create\n");
		exit(1);
	}
	got = NULL;
	expect(dat_cno_wait(cno, DAT_TIMEOUT_INFINITE, &got), DAT_SUCCESS,
	       "cno_wait: woken by another thread's dat_evd_post_se");
	pthread_join(t, NULL);
	expect_true(got == b, "cno_wait: names the EVD the thread posted to");
	expect_true(dequeue_ptr(b) == (void *)0xb0b, "evd_dequeue: the thread's event");
}

static void cno_agent_tests(struct env *e, DAT_CNO_HANDLE cno, DAT_EVD_HANDLE a,
			    struct agent_log *log)
{
	DAT_OS_WAIT_PROXY_AGENT none = DAT_OS_WAIT_PROXY_AGENT_NULL;
	DAT_EVD_HANDLE got;
	DAT_CNO_PARAM p;

	must(dat_cno_query(cno, DAT_CNO_FIELD_ALL, &p), "dat_cno_query");
	expect_true(p.ia_handle == e->ia, "cno_query: ia_handle is the IA");
	expect_true(p.proxy_type == DAT_PROXY_TYPE_AGENT &&
		    p.proxy.agent.proxy_agent_func == agent_fn &&
		    p.proxy.agent.instance_data == log,
		    "cno_query: the agent given at creation");
	/* Nobody waits: the agent hears of the event, the CNO stays triggered. */
	post_se(a, (void *)0xa2);
	expect_true(log->calls == 1 && log->evd == a,
		    "proxy agent: called once with the EVD");
	expect(dat_cno_wait(cno, 0, &got), DAT_SUCCESS,
	       "cno_wait: triggered before the wait");
	expect_true(got == a && dequeue_ptr(a) == (void *)0xa2,
		    "cno_wait: the EVD the agent was told of");

	expect(dat_cno_modify_agent(cno, none), DAT_SUCCESS, "cno_modify_agent: none");
	must(dat_cno_query(cno, DAT_CNO_FIELD_ALL, &p), "dat_cno_query");
	expect_true(p.proxy_type == DAT_PROXY_TYPE_NONE, "cno_query: no agent now");
	post_se(a, (void *)0xa3);
	expect_true(log->calls == 1, "proxy agent: not called once removed");
	expect_true(dequeue_ptr(a) == (void *)0xa3, "evd_dequeue: the event");
}

/* dat_cno_fd_create / dat_cno_trigger: not exported, reached by the table. */
static void cno_fd_tests(struct env *e, DAT_EVD_HANDLE a)
{
	DAT_PROVIDER *prov = DAT_HANDLE_TO_PROVIDER(e->pz);
	struct pollfd pfd = { .events = POLLIN };
	DAT_IA_HANDLE ia;
	DAT_CNO_HANDLE cno;
	DAT_EVD_HANDLE got;
	DAT_CNO_PARAM p;
	DAT_FD fd = -1;

	must(dats_get_ia_handle(e->ia, &ia), "dats_get_ia_handle");
	expect(prov->cno_fd_create_func(NULL, &fd, &cno), BADH(DAT_INVALID_HANDLE_IA),
	       "cno_fd_create: NULL IA");
	expect(prov->cno_fd_create_func(ia, NULL, &cno), BADP(DAT_INVALID_ARG2),
	       "cno_fd_create: NULL fd out");
	expect(prov->cno_fd_create_func(ia, &fd, NULL), BADP(DAT_INVALID_ARG3),
	       "cno_fd_create: NULL handle out");
	expect(prov->cno_fd_create_func(ia, &fd, &cno), DAT_SUCCESS, "cno_fd_create");
	must(dat_cno_query(cno, DAT_CNO_FIELD_ALL, &p), "dat_cno_query");
	expect_true(p.proxy_type == DAT_PROXY_TYPE_FD && p.proxy.fd == fd,
		    "cno_query: proxy is the fd");
	must(dat_evd_modify_cno(a, cno), "dat_evd_modify_cno");
	pfd.fd = fd;
	expect_true(poll(&pfd, 1, 0) == 0, "cno fd: quiet with nothing queued");
	expect(prov->cno_trigger_func(NULL, &got), BADH(DAT_INVALID_HANDLE_CNO),
	       "cno_trigger: NULL CNO");
	expect(prov->cno_trigger_func(cno, NULL), BADP(DAT_INVALID_ARG2),
	       "cno_trigger: NULL EVD out");
	expect(prov->cno_trigger_func(cno, &got), ERR(DAT_QUEUE_EMPTY, DAT_NO_SUBTYPE),
	       "cno_trigger: nothing queued");
	post_se(a, (void *)0xa4);
	expect_true(poll(&pfd, 1, -1) == 1 && (pfd.revents & POLLIN),
		    "cno fd: readable after an event");
	got = NULL;
	expect(prov->cno_trigger_func(cno, &got), DAT_SUCCESS, "cno_trigger: an event");
	expect_true(got == a && dequeue_ptr(a) == (void *)0xa4,
		    "cno_trigger: names the EVD");
	expect(prov->cno_trigger_func(cno, &got), ERR(DAT_QUEUE_EMPTY, DAT_NO_SUBTYPE),
	       "cno_trigger: nothing after the dequeue");
	expect_true(poll(&pfd, 1, 0) == 0, "cno fd: quiet again");
	expect(dat_cno_free(cno), ERR(DAT_INVALID_STATE, DAT_INVALID_STATE_CNO_IN_USE),
	       "cno_free: fd CNO refused while an EVD feeds it");
	must(dat_evd_modify_cno(a, NULL), "dat_evd_modify_cno NULL");
	expect(dat_cno_free(cno), DAT_SUCCESS, "cno_free: fd CNO");
	expect(prov->cno_trigger_func(cno, &got), BADH(DAT_INVALID_HANDLE_CNO),
	       "cno_trigger: freed CNO");
}

static void cno_tests(struct env *e)
{
	static struct agent_log log = { .lock = PTHREAD_MUTEX_INITIALIZER };
	DAT_OS_WAIT_PROXY_AGENT agent = { &log, agent_fn };
	DAT_EVD_HANDLE a, b, got;
	DAT_CNO_HANDLE cno;
	DAT_CNO_PARAM p;

	expect(dat_cno_create(e->ia, agent, &cno), DAT_SUCCESS, "cno_create");
	cno_args(e, cno);
	must(dat_evd_create(e->ia, 8, cno, DAT_EVD_SOFTWARE_FLAG, &a), "evd_create A");
	must(dat_evd_create(e->ia, 8, NULL, DAT_EVD_SOFTWARE_FLAG, &b), "evd_create B");
	must(dat_evd_modify_cno(b, cno), "dat_evd_modify_cno B");
	expect(dat_cno_wait(a, 0, &got), BADH(DAT_INVALID_HANDLE_CNO),
	       "cno_wait: an EVD as CNO");
	cno_agent_tests(e, cno, a, &log);
	cno_wait_tests(cno, a, b);
	cno_detach_while_waiting(cno, a, b);

	expect(dat_cno_free(cno), ERR(DAT_INVALID_STATE, DAT_INVALID_STATE_CNO_IN_USE),
	       "cno_free: refused while two EVDs feed it");
	must(dat_evd_modify_cno(a, NULL), "dat_evd_modify_cno A NULL");
	expect(dat_cno_free(cno), ERR(DAT_INVALID_STATE, DAT_INVALID_STATE_CNO_IN_USE),
	       "cno_free: refused while one EVD feeds it");
	must(dat_evd_free(b), "dat_evd_free B");
	expect(dat_cno_free(cno), DAT_SUCCESS, "cno_free: once no EVD feeds it");
	expect(dat_cno_free(cno), BADH(DAT_INVALID_HANDLE_CNO), "cno_free: freed CNO");
	expect(dat_cno_wait(cno, 0, &got), BADH(DAT_INVALID_HANDLE_CNO),
	       "cno_wait: freed CNO");
	expect(dat_cno_query(cno, DAT_CNO_FIELD_ALL, &p), BADH(DAT_INVALID_HANDLE_CNO),
	       "cno_query: freed CNO");
	expect(dat_cno_modify_agent(cno, agent), BADH(DAT_INVALID_HANDLE_CNO),
	       "cno_modify_agent: freed CNO");
	cno_fd_tests(e, a);
	must(dat_evd_free(a), "dat_evd_free A");
}

int main(int argc, char **argv)
{
	DAT_REGION_DESCRIPTION region;
	DAT_RMR_CONTEXT rkey;
	DAT_VLEN reg_len;
	DAT_VADDR reg_addr;
	struct env e = { 0 };

	if (argc != 3) {
		fprintf(stderr, "usage: %s IA_NAME rxe|siw\n", argv[0]);
		return 2;
	}
	transport = argv[2];
	setvbuf(stdout, NULL, _IOLBF, 0);
	e.async = DAT_HANDLE_NULL;
	must(dat_ia_open(argv[1], 8, &e.async, &e.ia), "dat_ia_open");
	must(dat_pz_create(e.ia, &e.freed_pz), "dat_pz_create");
	must(dat_pz_free(e.freed_pz), "dat_pz_free");
	must(dat_pz_create(e.ia, &e.pz), "dat_pz_create");
	must(dat_evd_create(e.ia, 4, NULL, DAT_EVD_SOFTWARE_FLAG, &e.evd),
	     "dat_evd_create software");
	e.buf = calloc(1, BUF_SIZE);
	if (!e.buf)
		return 1;
	region.for_va = e.buf;
	must(dat_lmr_create(e.ia, DAT_MEM_TYPE_VIRTUAL, region, BUF_SIZE, e.pz,
			    DAT_MEM_PRIV_ALL_FLAG, DAT_VA_TYPE_VA, &e.lmr, &e.lkey,
			    &rkey, &reg_len, &reg_addr), "dat_lmr_create");
	srq_tests(&e);
	cno_tests(&e);
	must(dat_evd_free(e.evd), "dat_evd_free");
	must(dat_lmr_free(e.lmr), "dat_lmr_free");
	must(dat_pz_free(e.pz), "dat_pz_free");
	must(dat_ia_close(e.ia, DAT_CLOSE_GRACEFUL_FLAG), "dat_ia_close graceful");
	free(e.buf);
	printf("1..%d\n", checks);
	if (failures) {
		printf("FAIL dapl_srq_cno: %d of %d checks failed\n", failures, checks);
		return 1;
	}
	printf("PASS dapl_srq_cno (%d checks)\n", checks);
	return 0;
}
