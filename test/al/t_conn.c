// SPDX-License-Identifier: BSD-2-Clause
/*
 * t_conn.c - connection handling found wrong in review (issue 7, item 12),
 * endpoint reset and request handoff, over a real (soft) device:
 *
 *   lsdestroy  the server destroys its listener while holding one
 *              delivered request and one still queued: the queued one is
 *              rejected at once (the peer sees REJECTED, not a timeout),
 *              the delivered one is accepted afterwards and carries data
 *   nullargs   NULL where the header allows or forbids it: private data
 *              NULL with a length is refused with EINVAL, not a crash
 *   acceptdisc the server disconnects right after accepting, before the
 *              client has let its connection become established: both
 *              sides still end DISCONNECTED
 *   reset      one endpoint per side for four connections: exchange,
 *              disconnect, ual_ep_reset, again; the third attempt is
 *              rejected (FAILED) and reset too; resets refused while
 *              connecting or connected
 *   handoff    the server hands the request from its first listener to a
 *              second one on another event queue and accepts it there
 *   crossed    two server threads accept at the same moment with crossed
 *              queues (request on A, endpoint on B and the reverse), for
 *              --count rounds: no deadlock
 */
#define _GNU_SOURCE	/* pthread_timedjoin_np */
#include "al_common.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define CONN_WAIT_MS 20000

/* The next event of @type within @ms, or a failure naming @what. */
static struct ual_event expect_within(struct side *s, enum ual_event_type type,
				      int ms, const char *what)
{
	struct ual_event ev;
	char buf[512];
	int n = ual_eq_wait(s->eq, &ev, 1, ms);

	if (n < 0)
		die("ual_eq_wait: %s", strerror(-n));
	if (n == 0)
		die("%s: no '%s' within %d ms", what, ual_event_name(type), ms);
	if (ev.type != type)
		die("%s: expected '%s', got '%s': %s", what, ual_event_name(type),
		    ual_event_name(ev.type), ual_strerror(&ev.error, buf, sizeof(buf)));
	return ev;
}

static void start_connect(struct side *s, struct ual_ep *ep, int port)
{
	struct sockaddr_storage dst;
	struct ual_error e;

	resolve(s->o.addr, port, &dst);
	check(ual_ep_connect(ep, (struct sockaddr *)&dst, "conn", 4, NULL, &e),
	      &e, "ual_ep_connect");
}

/* ---- lsdestroy ------------------------------------------------------------ */

static void wait_go_file(void)
{
	const char *go = getenv("CONN_GO_FILE");
	uint64_t t0 = now_ms();

	while (go && access(go, F_OK)) {
		if (now_ms() - t0 > TIMEOUT_MS)
			die("%s never appeared", go);
		usleep(10 * 1000);
	}
	sleep(1);
}

/* Progress until @ep has sent its request (nothing else may happen). */
static void wait_request_sent(struct side *s, struct ual_ep *ep)
{
	struct ual_event ev;

	while (ual_ep_get_state(ep) != UAL_EP_CONNECTING) {
		if (ual_eq_poll(s->eq, &ev, 1))
			die("unexpected '%s' while connecting", ual_event_name(ev.type));
		usleep(1000);
	}
}

int run_server_lsdestroy(struct side *s)
{
	struct ual_listener *ls = start_listen(s, UAL_EP_RC);
	struct ual_conn_req *req;
	struct ual_event ev;

	/*
	 * Both requests reach the kernel before the queue is read once: the
	 * case creates $CONN_GO_FILE when the client has sent both.
	 */
	wait_go_file();
	ev = expect(s, UAL_EVENT_CONN_REQUEST);
	req = ev.req;
	say("holding one request; destroying the listener");
	ual_listener_destroy(ls);
	/* The delivered request outlives its listener. */
	server_accept(s, req);
	expect(s, UAL_EVENT_CONN_ESTABLISHED);
	say("accepted after the listener was destroyed");
	expect_msg(s, "hello");
	send_msg(s, "bye");
	finish_disconnect(s, false);
	return 0;
}

int run_client_lsdestroy(struct side *s)
{
	struct ual_ep *ep[2], *won = NULL;
	bool rejected = false;
	struct ual_event ev;
	uint64_t t0;
	int i;

	ep[0] = make_ep(s, UAL_EP_RC, 16);
	ep[1] = make_ep(s, UAL_EP_RC, 16);
	start_connect(s, ep[0], s->o.port);
	start_connect(s, ep[1], s->o.port);
	wait_request_sent(s, ep[0]);
	wait_request_sent(s, ep[1]);
	say("both requests sent");
	t0 = now_ms();
	for (i = 0; i < 2; i++) {
		ev = next_event(s, CONN_WAIT_MS);
		if (ev.type == UAL_EVENT_CONN_ESTABLISHED && !won) {
			won = ev.ep;
		} else if (ev.type == UAL_EVENT_CONN_REJECTED && !rejected) {
			rejected = true;
			say("the queued request was rejected %llu ms after connecting",
			    (unsigned long long)(now_ms() - t0));
		} else {
			die("unexpected '%s' (status %d)", ual_event_name(ev.type),
			    ev.status);
		}
	}
	s->ep = won;
	for (i = 0; i < RECV_SLOTS; i++)
		post_recv_slot(s, i);
	send_msg(s, "hello");
	expect_msg(s, "bye");
	finish_disconnect(s, true);
	check(ual_ep_destroy(ep[won == ep[0]], NULL), NULL, "ual_ep_destroy");
	return 0;
}

/* ---- nullargs ------------------------------------------------------------- */

/* The destroy and close calls take NULL; err may be NULL everywhere. */
static void null_destroys(void)
{
	char buf[64];

	if (ual_ep_destroy(NULL, NULL) || ual_cq_destroy(NULL, NULL) ||
	    ual_srq_destroy(NULL, NULL) || ual_mr_dereg(NULL, NULL) ||
	    ual_listener_destroy(NULL) || ual_ah_destroy(NULL))
		die("a destroy call refused NULL");
	ual_eq_destroy(NULL);
	ual_device_close(NULL);
	if (strcmp(ual_strerror(NULL, buf, sizeof(buf)), "no error"))
		die("ual_strerror(NULL) is '%s'", buf);
}

int run_server_nullargs(struct side *s)
{
	struct ual_listener *ls = start_listen(s, UAL_EP_RC);
	struct ual_event ev;
	struct ual_error e;
	int rc;

	null_destroys();
	ev = expect(s, UAL_EVENT_CONN_REQUEST);
	s->ep = make_ep(s, UAL_EP_RC, 16);
	rc = ual_accept(ev.req, s->ep, NULL, 8, &e);
	if (rc != -EINVAL)
		die("ual_accept with NULL private data of 8 bytes: %d", rc);
	say("accept with NULL private data: EINVAL (%s)", e.detail);
	ev = expect(s, UAL_EVENT_CONN_REQUEST);
	rc = ual_reject(ev.req, NULL, 8, NULL);
	if (rc != -EINVAL)
		die("ual_reject with NULL private data of 8 bytes: %d", rc);
	say("reject with NULL private data: EINVAL, rejected without");
	ual_listener_destroy(ls);
	return 0;
}

int run_client_nullargs(struct side *s)
{
	struct ual_device *dev;
	struct sockaddr_storage dst;
	struct ual_error e;
	struct ual_ep *ep;
	int i, rc;

	null_destroys();
	rc = ual_device_open(NULL, &dev, NULL, &e);
	if (rc != -EINVAL)
		die("ual_device_open(NULL): %d", rc);
	ep = make_ep(s, UAL_EP_RC, 16);
	resolve(s->o.addr, s->o.port, &dst);
	rc = ual_ep_connect(ep, (struct sockaddr *)&dst, NULL, 8, NULL, &e);
	if (rc != -EINVAL)
		die("ual_ep_connect with NULL private data of 8 bytes: %d", rc);
	say("connect with NULL private data: EINVAL (%s)", e.detail);
	check(ual_ep_destroy(ep, NULL), NULL, "ual_ep_destroy");
	/* Once refused by a bad accept, once by a bad reject. */
	for (i = 0; i < 2; i++) {
		ep = make_ep(s, UAL_EP_RC, 16);
		start_connect(s, ep, s->o.port);
		expect_within(s, UAL_EVENT_CONN_REJECTED, CONN_WAIT_MS, "bad answer");
		check(ual_ep_destroy(ep, NULL), NULL, "ual_ep_destroy");
	}
	say("both requests refused");
	return 0;
}

/* ---- acceptdisc ----------------------------------------------------------- */

int run_server_acceptdisc(struct side *s)
{
	struct ual_listener *ls = start_listen(s, UAL_EP_RC);
	struct ual_event ev;
	struct ual_error e;
	uint64_t t0;

	ev = expect(s, UAL_EVENT_CONN_REQUEST);
	server_accept(s, ev.req);
	check(ual_ep_disconnect(s->ep, &e), &e, "ual_ep_disconnect");
	t0 = now_ms();
	say("disconnected while %s", ual_ep_state_name(ual_ep_get_state(s->ep)));
	for (;;) {
		ev = next_event(s, 30000);
		if (ev.type == UAL_EVENT_CONN_DISCONNECTED)
			break;
		say("event '%s' while disconnecting", ual_event_name(ev.type));
	}
	say("DISCONNECTED %llu ms after the disconnect",
	    (unsigned long long)(now_ms() - t0));
	ual_listener_destroy(ls);
	return 0;
}

int run_client_acceptdisc(struct side *s)
{
	struct ual_event ev;

	bool have = false;
	enum ual_ep_state st;

	s->ep = make_ep(s, UAL_EP_RC, 16);
	start_connect(s, s->ep, s->o.port);
	/*
	 * Progress up to the request only: no RTU goes out while we sleep.
	 * (iWARP needs no RTU: there the same poll may already bring
	 * ESTABLISHED, and the race is not ours to stage.)
	 */
	for (;;) {
		st = ual_ep_get_state(s->ep);
		if (st != UAL_EP_ADDR_QUERY && st != UAL_EP_ROUTE_QUERY)
			break;
		if (ual_eq_poll(s->eq, &ev, 1)) {
			have = true;
			break;
		}
		usleep(1000);
	}
	say("request sent; not reading events for 4 s");
	sleep(4);
	if (!have)
		ev = next_event(s, 30000);
	say("then: %s", ual_event_name(ev.type));
	if (ev.type == UAL_EVENT_CONN_ESTABLISHED)
		ev = next_event(s, 30000);
	if (ev.type != UAL_EVENT_CONN_DISCONNECTED &&
	    ev.type != UAL_EVENT_CONN_REJECTED &&
	    ev.type != UAL_EVENT_CONN_UNREACHABLE)
		die("connection did not end: '%s'", ual_event_name(ev.type));
	say("ended with %s", ual_event_name(ev.type));
	return 0;
}

/* ---- reset ----------------------------------------------------------------- */

#define RESET_ROUNDS 4
#define REJECT_ROUND 2	/* 0-based: the third attempt is rejected */

/*
 * Completions the last connection left in @cq: after DISCONNECTED or a
 * failure the QP is in error and what was posted completes flushed.
 * Collects them for up to @ms; returns how many there were.
 */
static int reap_flushed(struct ual_cq *cq, int ms)
{
	uint64_t end = now_ms() + (uint64_t)ms;
	struct ual_wc wc[16];
	int n, i, got = 0;

	while (now_ms() < end) {
		n = ual_cq_poll(cq, wc, 16);
		if (n < 0)
			die("ual_cq_poll: %s", strerror(-n));
		for (i = 0; i < n; i++)
			if (wc[i].status != UAL_WC_FLUSHED)
				die("left-over completion %llu: %s",
				    (unsigned long long)wc[i].context,
				    ual_wc_status_str(wc[i].status));
		got += n;
		if (!n)
			usleep(20 * 1000);
	}
	return got;
}

/* IB keeps the QP (RESET -> INIT); iWARP gets a new one (see ual.h). */
static void reset_ep(struct side *s, uint32_t *qpn)
{
	bool iwarp = s->attr.transport == UAL_TRANSPORT_IWARP;
	int flushed = reap_flushed(s->rcq, 1500);
	struct ual_error e;

	check(ual_ep_reset(s->ep, &e), &e, "ual_ep_reset");
	if (ual_ep_get_state(s->ep) != UAL_EP_IDLE)
		die("state after reset: %s", ual_ep_state_name(ual_ep_get_state(s->ep)));
	if ((ual_ep_qp_num(s->ep) != *qpn) != iwarp)
		die("QP %u after the reset, was %u", ual_ep_qp_num(s->ep), *qpn);
	say("reset: QP %u -> %u (%d receives had completed flushed; %d more after the reset)",
	    *qpn, ual_ep_qp_num(s->ep), flushed, reap_flushed(s->rcq, 500));
	*qpn = ual_ep_qp_num(s->ep);
}

static void expect_refused(struct side *s, int want)
{
	struct ual_error e;
	char buf[512];
	int rc = ual_ep_reset(s->ep, &e);

	if (rc != want)
		die("reset while %s: %d, want %d",
		    ual_ep_state_name(ual_ep_get_state(s->ep)), rc, want);
	say("reset refused: %s", ual_strerror(&e, buf, sizeof(buf)));
}

static void post_all_recvs(struct side *s)
{
	int i;

	for (i = 0; i < RECV_SLOTS; i++)
		post_recv_slot(s, i);
}

int run_server_reset(struct side *s)
{
	struct advert adv = {
		.addr = (uintptr_t)s->buf, .rkey = ual_mr_rkey(s->mr),
		.len = BUF_LEN, .tag = "ual-test-server",
	};
	struct ual_listener *ls = start_listen(s, UAL_EP_RC);
	struct ual_event ev;
	struct ual_error e;
	char text[32];
	uint32_t qpn;
	int r;

	s->ep = make_ep(s, UAL_EP_RC, 64);
	qpn = ual_ep_qp_num(s->ep);
	/* IDLE: nothing to do, nothing changes. */
	check(ual_ep_reset(s->ep, &e), &e, "ual_ep_reset (idle)");
	if (ual_ep_qp_num(s->ep) != qpn || ual_ep_get_state(s->ep) != UAL_EP_IDLE)
		die("reset of an idle endpoint changed it");
	for (r = 0; r < RESET_ROUNDS; r++) {
		ev = expect(s, UAL_EVENT_CONN_REQUEST);
		if (r == REJECT_ROUND) {
			check(ual_reject(ev.req, NULL, 0, &e), &e, "ual_reject");
			say("round %d: rejected", r);
			continue;
		}
		post_all_recvs(s);
		check(ual_accept(ev.req, s->ep, &adv, sizeof(adv), &e), &e, "ual_accept");
		if (r == 0)
			expect_refused(s, -EBUSY);
		expect(s, UAL_EVENT_CONN_ESTABLISHED);
		if (r == 0)
			expect_refused(s, -EISCONN);
		snprintf(text, sizeof(text), "hello %d", r);
		expect_msg(s, text);
		snprintf(text, sizeof(text), "bye %d", r);
		send_msg(s, text);
		finish_disconnect(s, false);
		say("round %d: exchanged on QP %u", r, qpn);
		if (r < RESET_ROUNDS - 1)
			reset_ep(s, &qpn);
	}
	ual_listener_destroy(ls);
	return 0;
}

int run_client_reset(struct side *s)
{
	struct sockaddr_storage dst;
	struct ual_event ev;
	struct ual_error e;
	char text[32];
	uint32_t qpn;
	int r;

	resolve(s->o.addr, s->o.port, &dst);
	s->ep = make_ep(s, UAL_EP_RC, 64);
	qpn = ual_ep_qp_num(s->ep);
	for (r = 0; r < RESET_ROUNDS; r++) {
		post_all_recvs(s);
		check(ual_ep_connect(s->ep, (struct sockaddr *)&dst, "conn", 4,
				     NULL, &e), &e, "ual_ep_connect");
		if (r == 0)
			expect_refused(s, -EBUSY);
		if (r == REJECT_ROUND) {
			expect(s, UAL_EVENT_CONN_REJECTED);
			if (ual_ep_get_state(s->ep) != UAL_EP_FAILED)
				die("state after reject: %s",
				    ual_ep_state_name(ual_ep_get_state(s->ep)));
			say("round %d: rejected, endpoint failed", r);
			reset_ep(s, &qpn);
			continue;
		}
		ev = expect(s, UAL_EVENT_CONN_ESTABLISHED);
		if (ev.private_data_len < sizeof(s->peer) ||
		    memcmp(((struct advert *)ev.private_data)->tag, "ual-test-server", 16))
			die("accept private data wrong");
		if (r == 0)
			expect_refused(s, -EISCONN);
		snprintf(text, sizeof(text), "hello %d", r);
		send_msg(s, text);
		snprintf(text, sizeof(text), "bye %d", r);
		expect_msg(s, text);
		finish_disconnect(s, true);
		say("round %d: exchanged on QP %u", r, qpn);
		if (r < RESET_ROUNDS - 1)
			reset_ep(s, &qpn);
	}
	return 0;
}

/* ---- handoff --------------------------------------------------------------- */

static struct ual_listener *listen_any_port(struct side *s, struct ual_eq *eq,
					    enum ual_ep_type type, void *ctx)
{
	struct sockaddr_storage ss;
	struct ual_listener *ls;
	struct ual_error e;

	resolve(s->o.addr ? s->o.addr : "::", 0, &ss);
	check(ual_listen(s->dev, eq, (struct sockaddr *)&ss, type, 16, ctx, &ls, &e),
	      &e, "ual_listen");
	return ls;
}

static int second_ctx, ud_ctx;

int run_server_handoff(struct side *s)
{
	struct ual_listener *ls = start_listen(s, UAL_EP_RC), *ls2, *ud = NULL;
	struct ual_event ev, ev2;
	struct ual_error e;
	struct ual_eq *eq2;
	char buf[512];
	uint64_t t0;
	int rc;

	check(ual_eq_create(s->dev, NULL, &eq2, &e), &e, "ual_eq_create");
	ls2 = listen_any_port(s, eq2, UAL_EP_RC, &second_ctx);
	if (s->attr.caps & UAL_CAP_UD)
		ud = listen_any_port(s, s->eq, UAL_EP_UD, &ud_ctx);
	ev = expect(s, UAL_EVENT_CONN_REQUEST);
	if (ud) {
		rc = ual_conn_req_handoff(ev.req, ud, &e);
		if (rc != -EINVAL)
			die("handoff of an RC request to a UD listener: %d", rc);
		say("handoff to a UD listener refused: %s", ual_strerror(&e, buf, sizeof(buf)));
	}
	t0 = now_ms();
	check(ual_conn_req_handoff(ev.req, ls2, &e), &e, "ual_conn_req_handoff");
	{
		struct side s2 = *s;

		s2.eq = eq2;
		ev2 = expect(&s2, UAL_EVENT_CONN_REQUEST);
	}
	say("request handed to port %u, queued there after %llu ms",
	    ual_listener_port(ls2), (unsigned long long)(now_ms() - t0));
	if (ev2.listener != ls2 || ev2.context != &second_ctx)
		die("the handed-off request does not name the second listener");
	if (ev2.private_data_len != ev.private_data_len ||
	    memcmp(ev2.private_data, ev.private_data, ev.private_data_len) ||
	    memcmp(&ev2.remote_addr, &ev.remote_addr, sizeof(ev.remote_addr)) ||
	    ev2.initiator_depth != ev.initiator_depth ||
	    ev2.responder_resources != ev.responder_resources)
		die("the handed-off request differs from the original");
	say("same private data (%u bytes), peer address and depths", ev2.private_data_len);
	/* Accepted from the second queue with an endpoint of the first. */
	server_accept(s, ev2.req);
	expect(s, UAL_EVENT_CONN_ESTABLISHED);
	expect_msg(s, "hello");
	send_msg(s, "bye");
	finish_disconnect(s, false);
	ual_listener_destroy(ud);
	ual_listener_destroy(ls2);
	ual_listener_destroy(ls);
	ual_eq_destroy(eq2);
	return 0;
}

int run_client_handoff(struct side *s)
{
	client_connect(s, 0);
	send_msg(s, "hello");
	expect_msg(s, "bye");
	finish_disconnect(s, true);
	return 0;
}

/* ---- crossed ---------------------------------------------------------------- */

struct crossed_job {
	pthread_barrier_t *go;
	struct ual_conn_req *req;
	struct ual_ep *ep;
	int rc;
	struct ual_error e;
};

static void *crossed_accept(void *p)
{
	struct crossed_job *j = p;

	pthread_barrier_wait(j->go);
	j->rc = ual_accept(j->req, j->ep, NULL, 0, &j->e);
	return NULL;
}

static void crossed_join(pthread_t t, struct crossed_job *j)
{
	struct timespec ts;
	char buf[512];

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += 20;
	if (pthread_timedjoin_np(t, NULL, &ts))
		die("crossed accepts deadlocked (no return within 20 s)");
	if (j->rc)
		die("ual_accept: %s", ual_strerror(&j->e, buf, sizeof(buf)));
}

static struct ual_ep *ep_on(struct side *s, struct ual_eq *eq)
{
	struct side other = *s;

	other.eq = eq;
	return make_ep(&other, UAL_EP_RC, 16);
}

static struct ual_event expect_on(struct side *s, struct ual_eq *eq,
				  enum ual_event_type type)
{
	struct side other = *s;

	other.eq = eq;
	return expect(&other, type);
}

int run_server_crossed(struct side *s)
{
	struct sockaddr_storage ss;
	struct ual_listener *la, *lb;
	struct crossed_job ja, jb;
	pthread_barrier_t go;
	struct ual_eq *eqb;
	struct ual_error e;
	pthread_t ta, tb;
	int r;

	check(ual_eq_create(s->dev, NULL, &eqb, &e), &e, "ual_eq_create");
	resolve(s->o.addr, s->o.port + 1, &ss);
	check(ual_listen(s->dev, eqb, (struct sockaddr *)&ss, UAL_EP_RC, 16, NULL,
			 &lb, &e), &e, "ual_listen B");
	la = start_listen(s, UAL_EP_RC);
	pthread_barrier_init(&go, NULL, 2);
	for (r = 0; r < s->o.count; r++) {
		ja = (struct crossed_job){ .go = &go };
		jb = (struct crossed_job){ .go = &go };
		ja.req = expect(s, UAL_EVENT_CONN_REQUEST).req;
		jb.req = expect_on(s, eqb, UAL_EVENT_CONN_REQUEST).req;
		ja.ep = ep_on(s, eqb);		/* request on A, endpoint on B */
		jb.ep = ep_on(s, s->eq);	/* request on B, endpoint on A */
		pthread_create(&ta, NULL, crossed_accept, &ja);
		pthread_create(&tb, NULL, crossed_accept, &jb);
		crossed_join(ta, &ja);
		crossed_join(tb, &jb);
		expect_on(s, eqb, UAL_EVENT_CONN_ESTABLISHED);
		expect(s, UAL_EVENT_CONN_ESTABLISHED);
		check(ual_ep_destroy(ja.ep, &e), &e, "ual_ep_destroy");
		check(ual_ep_destroy(jb.ep, &e), &e, "ual_ep_destroy");
	}
	say("%d rounds of crossed accepts", r);
	pthread_barrier_destroy(&go);
	ual_listener_destroy(la);
	ual_listener_destroy(lb);
	ual_eq_destroy(eqb);
	return 0;
}

int run_client_crossed(struct side *s)
{
	struct ual_event ev;
	struct ual_ep *ep[2];
	int r, i, est, disc;

	for (r = 0; r < s->o.count; r++) {
		ep[0] = make_ep(s, UAL_EP_RC, 16);
		ep[1] = make_ep(s, UAL_EP_RC, 16);
		start_connect(s, ep[0], s->o.port);
		start_connect(s, ep[1], s->o.port + 1);
		for (est = disc = 0; disc < 2;) {
			ev = next_event(s, CONN_WAIT_MS);
			if (ev.type == UAL_EVENT_CONN_ESTABLISHED)
				est++;
			else if (ev.type == UAL_EVENT_CONN_DISCONNECTED)
				disc++;
			else
				die("round %d: unexpected '%s'", r, ual_event_name(ev.type));
		}
		if (est != 2)
			die("round %d: %d established", r, est);
		for (i = 0; i < 2; i++)
			check(ual_ep_destroy(ep[i], NULL), NULL, "ual_ep_destroy");
	}
	say("%d rounds connected and disconnected", r);
	return 0;
}
