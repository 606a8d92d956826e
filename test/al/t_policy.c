// SPDX-License-Identifier: BSD-2-Clause
/*
 * t_policy.c - guest tests of the connection policy: per-endpoint RDMA
 * read depths and their negotiation, "zero" attributes, receives posted
 * before a connect that is retried, the consumer's timeout as a flag of
 * its own, and the bound on a disconnect the peer never answers.
 *
 *   depths    client ORD 3 / IRD 1, server ORD 8 / IRD 2: both sides must
 *             see the negotiated values (client 2/1, server 1/2) in
 *             ESTABLISHED, and two reads in flight must work
 *   depth0    the server serves no reads (IRD 0): the client's read depth
 *             is negotiated to 0 and its read is refused with -EPERM; the
 *             server still reads from the client.  An endpoint asked with
 *             ORD 0, inline 0 and no receive queue shows those zeros.
 *   lateretry the client posts receives, then connects before anything
 *             listens; after the retries it must get every one of them
 *             back as a FLUSHED completion (IB/RoCE), or find them all
 *             still posted (iWARP), and never lose one
 *   timeout   connect to an address nobody answers, timeout_ms set: an
 *             UNREACHABLE with UAL_EVFLAG_TIMED_OUT, in time
 *   vanish    the case stops the server process; the client's disconnect
 *             and destroy must end within their bounds
 */
#include "al_common.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define LATE_FRESH 100		/* contexts of receives posted after connect */
#define VANISH_BOUND_MS 2000

static struct ual_ep *policy_ep(struct side *s, uint8_t out, uint8_t in,
				uint32_t flags)
{
	struct ual_ep_attr a = {
		.type = UAL_EP_RC, .send_cq = s->scq, .recv_cq = s->rcq,
		.max_send_wr = 16, .max_recv_wr = RECV_SLOTS,
		.max_send_sge = 1, .max_recv_sge = 1,
		.max_rdma_read_out = out, .max_rdma_read_in = in,
		.local_addr = (struct sockaddr *)&s->local, .flags = flags,
	};
	struct ual_error e;
	struct ual_ep *ep;

	check(ual_ep_create(s->dev, s->eq, &a, s, &ep, &e), &e, "ual_ep_create");
	return ep;
}

static void post_all_recvs(struct side *s)
{
	int i;

	for (i = 0; i < RECV_SLOTS; i++)
		post_recv_slot(s, i);
}

/* Accepts with an endpoint of the given depths; returns the request. */
static struct ual_event policy_accept(struct side *s, uint8_t out, uint8_t in,
				      uint32_t flags)
{
	struct advert adv = {
		.addr = (uintptr_t)s->buf, .rkey = ual_mr_rkey(s->mr),
		.len = BUF_LEN, .tag = "ual-test-server",
	};
	struct ual_event req = expect(s, UAL_EVENT_CONN_REQUEST);
	struct ual_error e;

	say("request: peer serves %u reads for us, wants %u at us",
	    req.initiator_depth, req.responder_resources);
	s->ep = policy_ep(s, out, in, flags);
	post_all_recvs(s);
	check(ual_accept(req.req, s->ep, &adv, sizeof(adv), &e), &e, "ual_accept");
	return req;
}

static struct ual_event policy_connect(struct side *s,
				       const struct ual_connect_opts *co)
{
	struct sockaddr_storage dst;
	struct ual_event ev;
	struct ual_error e;

	resolve(s->o.addr, s->o.port, &dst);
	check(ual_ep_connect(s->ep, (struct sockaddr *)&dst, NULL, 0, co, &e), &e,
	      "ual_ep_connect");
	ev = expect(s, UAL_EVENT_CONN_ESTABLISHED);
	if (ev.private_data_len < sizeof(s->peer))
		die("accept private data too short: %u", ev.private_data_len);
	memcpy(&s->peer, ev.private_data, sizeof(s->peer));
	return ev;
}

static void expect_depths(const struct ual_event *ev, unsigned int out,
			  unsigned int in)
{
	say("established: read depth out %u in %u (want %u/%u)",
	    ev->initiator_depth, ev->responder_resources, out, in);
	if (ev->initiator_depth != out || ev->responder_resources != in)
		die("negotiated read depths %u/%u, want %u/%u",
		    ev->initiator_depth, ev->responder_resources, out, in);
}

/* Two reads of the peer's source region in flight at once. */
static void two_reads(struct side *s)
{
	struct ual_sge a = sge_at(s, R_TARGET * REGION, REGION / 2);
	struct ual_sge b = sge_at(s, R_TARGET * REGION + REGION / 2, REGION / 2);
	uint64_t src = s->peer.addr + R_SOURCE * REGION;
	int rc;

	rc = ual_post_read(s->ep, &a, 1, src, s->peer.rkey, 1, UAL_POST_SIGNALED);
	if (!rc)
		rc = ual_post_read(s->ep, &b, 1, src + REGION / 2, s->peer.rkey, 2,
				   UAL_POST_SIGNALED);
	if (rc)
		die("post read: %s", strerror(-rc));
	wait_wc(s->scq);
	wait_wc(s->scq);
	if (!verify(s->buf + R_TARGET * REGION, REGION, 17))
		die("RDMA read data wrong");
}

static void expect_read_refused(struct side *s, struct ual_ep *ep,
				const char *why)
{
	struct ual_sge sge = sge_at(s, R_TARGET * REGION, 64);
	char buf[200];
	int rc;

	rc = ual_post_read(ep, &sge, 1, s->peer.addr, s->peer.rkey, 7,
			   UAL_POST_SIGNALED);
	if (rc != -EPERM)
		die("read with depth 0 gave %d, want -EPERM", rc);
	ual_post_strerror(rc, ep, buf, sizeof(buf));
	if (!strstr(buf, why))
		die("unclear refusal: %s", buf);
	say("read refused: %s", buf);
}

static void disconnect_both(struct side *s, bool initiator)
{
	finish_disconnect(s, initiator);
}

/* Waits for the end of a connection that may end either way. */
static void any_end(struct side *s)
{
	struct ual_event ev;

	for (;;) {
		ev = next_event(s, TIMEOUT_MS);
		if (ev.type != UAL_EVENT_EP_ERROR)
			break;
		/* siw reports the peer's close as a QP error at times */
		say("endpoint error first (async event %d)", ev.status);
	}
	if (ev.type != UAL_EVENT_CONN_DISCONNECTED &&
	    ev.type != UAL_EVENT_CONN_BROKEN)
		die("unexpected event '%s'", ual_event_name(ev.type));
	say("connection ended: %s", ual_event_name(ev.type));
}

static bool iwarp(const struct side *s)
{
	return s->attr.transport == UAL_TRANSPORT_IWARP;
}

/*
 * iWARP: the active side cannot learn the peer's IRD (siw reports its
 * own ORD in the connect reply), so a read toward a peer that serves
 * none reaches the device: report what the device does with it.
 */
static void read_at_ird0(struct side *s)
{
	struct ual_sge sge = sge_at(s, R_TARGET * REGION, 64);
	struct ual_error e;
	struct ual_wc wc;
	int rc;

	rc = ual_post_read(s->ep, &sge, 1, s->peer.addr + R_SOURCE * REGION,
			   s->peer.rkey, 8, UAL_POST_SIGNALED);
	if (rc)
		die("post read: %s", strerror(-rc));
	rc = ual_cq_wait(s->scq, &wc, 1, 10000);
	if (rc < 0)
		die("ual_cq_wait: %s", strerror(-rc));
	if (rc == 0)
		say("read toward IRD 0: no completion within 10 s");
	else
		say("read toward IRD 0: completion %s (vendor %u)",
		    ual_wc_status_str(wc.status), wc.vendor_status);
	if (ual_ep_disconnect(s->ep, &e) == 0 || ual_ep_get_state(s->ep) != UAL_EP_FAILED)
		any_end(s);
}

/* ---- depths ------------------------------------------------------------ */

int policy_server_depths(struct side *s)
{
	struct ual_listener *ls = start_listen(s, UAL_EP_RC);
	struct ual_event req, ev;

	fill(s->buf + R_SOURCE * REGION, REGION, 17);
	req = policy_accept(s, 8, 2, 0);
	/* The client asked ORD 3, IRD 1: seen from here, 1 for us, 3 at us. */
	if (req.initiator_depth != 1 || req.responder_resources != 3)
		die("request depths %u/%u, want 1/3", req.initiator_depth,
		    req.responder_resources);
	ev = expect(s, UAL_EVENT_CONN_ESTABLISHED);
	expect_depths(&ev, 1, 2);
	expect_msg(s, "ping");
	send_msg(s, "pong");
	expect_msg(s, "done");
	if (iwarp(s))
		any_end(s);
	else
		disconnect_both(s, false);
	ual_listener_destroy(ls);
	return 0;
}

int policy_client_depths(struct side *s)
{
	struct ual_event ev;

	s->ep = policy_ep(s, 3, 1, 0);
	post_all_recvs(s);
	ev = policy_connect(s, NULL);
	/* iWARP: ORD stays as asked, see read_at_ird0 */
	expect_depths(&ev, iwarp(s) ? 3 : 2, 1);
	send_msg(s, "ping");
	expect_msg(s, "pong");
	two_reads(s);
	say("two RDMA reads in flight ok");
	send_msg(s, "done");
	disconnect_both(s, true);
	return 0;
}

/* ---- depth0 ------------------------------------------------------------ */

int policy_server_depth0(struct side *s)
{
	struct ual_listener *ls = start_listen(s, UAL_EP_RC);
	struct ual_event req, ev;

	req = policy_accept(s, 0, 0, UAL_EP_ZERO_READ_IN);
	if (req.private_data_len < sizeof(s->peer))
		die("no advert in the request");
	memcpy(&s->peer, req.private_data, sizeof(s->peer));
	ev = expect(s, UAL_EVENT_CONN_ESTABLISHED);
	expect_depths(&ev, UAL_EP_DEFAULT_READ_DEPTH, 0);
	expect_msg(s, "ping");
	two_reads(s);
	say("reads toward the client still work");
	send_msg(s, "pong");
	if (iwarp(s))
		any_end(s);	/* the client tries a read at us first */
	else
		disconnect_both(s, false);
	ual_listener_destroy(ls);
	return 0;
}

/*
 * An endpoint asked for zeros: no reads, no inline, no receive queue.
 * A device may refuse a QP without any receive queue (siw): then it must
 * say so, and the other zeros are checked without that one.
 */
static void zeros_asked(struct side *s)
{
	uint32_t zeros = UAL_EP_ZERO_READ_OUT | UAL_EP_ZERO_READ_IN |
			 UAL_EP_ZERO_INLINE;
	struct ual_ep_attr a = {
		.type = UAL_EP_RC, .send_cq = s->scq, .recv_cq = s->rcq,
		.max_send_wr = 16, .max_send_sge = 1,
		.local_addr = (struct sockaddr *)&s->local,
		.flags = zeros | UAL_EP_ZERO_RECV,
	};
	struct ual_sge sge = sge_at(s, 0, MSG_LEN);
	struct ual_error e;
	struct ual_ep *ep;
	char buf[512];
	int rc;

	rc = ual_ep_create(s->dev, s->eq, &a, s, &ep, &e);
	if (rc) {
		ual_strerror(&e, buf, sizeof(buf));
		if (!strstr(buf, "without a receive queue"))
			die("unclear refusal of a QP without receive queue: %s", buf);
		say("no receive queue: %s", buf);
		ep = policy_ep(s, 0, 0, zeros);
		a.flags = zeros;
	}
	if (ual_ep_max_inline(ep))
		die("inline %u with UAL_EP_ZERO_INLINE", ual_ep_max_inline(ep));
	expect_read_refused(s, ep, "asked for");
	if (a.flags & UAL_EP_ZERO_RECV) {
		rc = ual_post_recv(ep, &sge, 1, 1);
		if (!rc)
			die("a receive was accepted by a QP without receive queue");
		say("zeros: inline 0, reads refused, receive refused (%s)",
		    strerror(rc < 0 ? -rc : rc));
	} else {
		say("zeros: inline 0, reads refused");
	}
	check(ual_ep_destroy(ep, &e), &e, "ual_ep_destroy");
}

int policy_client_depth0(struct side *s)
{
	struct advert adv = {
		.addr = (uintptr_t)s->buf, .rkey = ual_mr_rkey(s->mr),
		.len = BUF_LEN, .tag = "ual-test-client",
	};
	struct sockaddr_storage dst;
	struct ual_event ev;
	struct ual_error e;

	fill(s->buf + R_SOURCE * REGION, REGION, 17);
	zeros_asked(s);
	s->ep = policy_ep(s, 0, 0, 0);
	post_all_recvs(s);
	resolve(s->o.addr, s->o.port, &dst);
	check(ual_ep_connect(s->ep, (struct sockaddr *)&dst, &adv, sizeof(adv),
			     NULL, &e), &e, "ual_ep_connect");
	ev = expect(s, UAL_EVENT_CONN_ESTABLISHED);
	memcpy(&s->peer, ev.private_data, sizeof(s->peer));
	if (iwarp(s)) {
		expect_depths(&ev, UAL_EP_DEFAULT_READ_DEPTH, UAL_EP_DEFAULT_READ_DEPTH);
	} else {
		expect_depths(&ev, 0, UAL_EP_DEFAULT_READ_DEPTH);
		expect_read_refused(s, s->ep, "negotiated");
	}
	send_msg(s, "ping");
	expect_msg(s, "pong");
	if (iwarp(s))
		read_at_ird0(s);
	else
		disconnect_both(s, true);
	return 0;
}

/* ---- lateretry --------------------------------------------------------- */

int policy_server_lateretry(struct side *s)
{
	struct ual_listener *ls = start_listen(s, UAL_EP_RC);

	policy_accept(s, 0, 0, 0);
	expect(s, UAL_EVENT_CONN_ESTABLISHED);
	expect_msg(s, "ping");
	send_msg(s, "pong");
	disconnect_both(s, false);
	ual_listener_destroy(ls);
	return 0;
}

/* What came back of the receives posted before the connect. */
static int late_collect(struct side *s)
{
	uint64_t end = now_ms() + 2000;
	int flushed = 0, n;
	struct ual_wc wc;

	while (now_ms() < end && flushed < RECV_SLOTS) {
		n = ual_cq_poll(s->rcq, &wc, 1);
		if (n < 0)
			die("ual_cq_poll: %s", strerror(-n));
		if (!n) {
			usleep(10000);
			continue;
		}
		if (wc.status != UAL_WC_FLUSHED || wc.context >= RECV_SLOTS)
			die("receive %llu completed with %s before anything was sent",
			    (unsigned long long)wc.context, ual_wc_status_str(wc.status));
		flushed++;
	}
	return flushed;
}

int policy_client_lateretry(struct side *s)
{
	struct ual_connect_opts co = { .retries = 40, .backoff_initial_ms = 200,
				       .backoff_max_ms = 1000 };
	bool measure = s->o.count == 1;
	struct ual_sge sge;
	struct ual_wc wc;
	int flushed, i, rc;
	uint64_t t0;
	bool kept;

	s->ep = policy_ep(s, 0, 0, 0);
	post_all_recvs(s);
	t0 = now_ms();
	policy_connect(s, &co);
	say("established after %llu ms of retries", (unsigned long long)(now_ms() - t0));
	flushed = late_collect(s);
	say("%d pre-posted receives came back flushed", flushed);
	for (i = 0; i < RECV_SLOTS; i++) {
		sge = sge_at(s, (size_t)i * MSG_LEN, MSG_LEN);
		rc = ual_post_recv(s->ep, &sge, 1, LATE_FRESH + (uint64_t)i);
		/* libsiw returns -ENOMEM, which the layer passes as +ENOMEM */
		if (rc == -ENOMEM || rc == ENOMEM)
			break;	/* the queue still holds old ones */
		if (rc)
			die("post recv after connect: %s", strerror(-rc));
	}
	say("%d fresh receives posted", i);
	send_msg(s, "ping");
	wc = wait_wc(s->rcq);
	kept = wc.context < RECV_SLOTS;
	if (strcmp((char *)s->buf + (wc.context % LATE_FRESH) * MSG_LEN, "pong"))
		die("expected 'pong'");
	say("receives posted before the connect: %d of %d flushed, %s, the reply landed in a %s receive",
	    flushed, RECV_SLOTS,
	    kept ? "the rest kept" : flushed == RECV_SLOTS ? "none lost" : "the rest LOST silently",
	    kept ? "pre-posted" : "fresh");
	if (measure)
		;
	else if (s->attr.transport == UAL_TRANSPORT_IWARP && (flushed || !kept))
		die("iWARP: want the pre-posted receives kept");
	else if (s->attr.transport != UAL_TRANSPORT_IWARP &&
		 (flushed != RECV_SLOTS || kept))
		die("want every pre-posted receive back FLUSHED");
	disconnect_both(s, true);
	return 0;
}

/* ---- timeout ------------------------------------------------------------ */

/* One connect to the dead address; returns its final event and time. */
static struct ual_event dead_connect(struct side *s,
				     const struct ual_connect_opts *co,
				     uint64_t *ms)
{
	struct sockaddr_storage dst;
	struct ual_event ev;
	struct ual_error e;
	uint64_t t0 = now_ms();
	char buf[512];

	s->ep = policy_ep(s, 0, 0, 0);
	resolve(s->o.addr, s->o.port, &dst);
	check(ual_ep_connect(s->ep, (struct sockaddr *)&dst, NULL, 0, co, &e), &e,
	      "ual_ep_connect");
	ev = next_event(s, TIMEOUT_MS);
	*ms = now_ms() - t0;
	say("%s after %llu ms, flags 0x%x: %s", ual_event_name(ev.type),
	    (unsigned long long)*ms, ev.flags,
	    ual_strerror(&ev.error, buf, sizeof(buf)));
	if (ev.type != UAL_EVENT_CONN_UNREACHABLE)
		die("want unreachable");
	check(ual_ep_destroy(s->ep, &e), &e, "ual_ep_destroy");
	s->ep = NULL;
	return ev;
}

int policy_client_timeout(struct side *s)
{
	struct ual_connect_opts co = { .timeout_ms = 2000, .retries = 5 };
	struct ual_event ev;
	uint64_t ms;

	/* Resolution alone would take 15 x 4000 ms: the consumer's 2 s win. */
	ev = dead_connect(s, &co, &ms);
	if (!(ev.flags & UAL_EVFLAG_TIMED_OUT) || ev.error.errnum != ETIMEDOUT)
		die("the consumer's timeout must carry UAL_EVFLAG_TIMED_OUT and ETIMEDOUT");
	if (ms < 1900 || ms > 6000)
		die("timeout of 2000 ms took %llu ms", (unsigned long long)ms);
	/* Resolution's own budget, no consumer timeout: no flag. */
	co = (struct ual_connect_opts){ .resolve_timeout_ms = 500,
					.resolve_retries = 2 };
	ev = dead_connect(s, &co, &ms);
	if (ev.flags & UAL_EVFLAG_TIMED_OUT)
		die("a resolution failure must not look like the consumer's timeout");
	say("PASS-detail: 3 resolution tries of 500 ms gave up after %llu ms",
	    (unsigned long long)ms);
	return 0;
}

/* ---- vanish ------------------------------------------------------------- */

int policy_server_vanish(struct side *s)
{
	struct ual_listener *ls = start_listen(s, UAL_EP_RC);
	struct ual_event ev;

	policy_accept(s, 0, 0, 0);
	expect(s, UAL_EVENT_CONN_ESTABLISHED);
	say("established (pid %d)", (int)getpid());
	ev = next_event(s, 10 * TIMEOUT_MS);
	say("after being stopped: %s", ual_event_name(ev.type));
	ual_listener_destroy(ls);
	return 0;
}

int policy_client_vanish(struct side *s)
{
	struct ual_connect_opts co = { .disconnect_timeout_ms = VANISH_BOUND_MS };
	struct ual_event ev;
	struct ual_error e;
	uint64_t t0, ms;
	char buf[512];

	s->ep = policy_ep(s, 0, 0, 0);
	post_all_recvs(s);
	policy_connect(s, &co);
	say("established; waiting for the case to stop the server");
	sleep(4);
	t0 = now_ms();
	check(ual_ep_disconnect(s->ep, &e), &e, "ual_ep_disconnect");
	ev = next_event(s, TIMEOUT_MS);
	ms = now_ms() - t0;
	if (ev.type != UAL_EVENT_CONN_DISCONNECTED)
		die("expected disconnected, got %s", ual_event_name(ev.type));
	say("disconnect against a stopped peer ended after %llu ms%s%s",
	    (unsigned long long)ms,
	    (ev.flags & UAL_EVFLAG_TIMED_OUT) ? ", timed out: " : " (peer's kernel answered)",
	    (ev.flags & UAL_EVFLAG_TIMED_OUT) ? ual_strerror(&ev.error, buf, sizeof(buf)) : "");
	if (ms > VANISH_BOUND_MS + 2000)
		die("disconnect took %llu ms, bound %d", (unsigned long long)ms,
		    VANISH_BOUND_MS);
	t0 = now_ms();
	check(ual_ep_destroy(s->ep, &e), &e, "ual_ep_destroy");
	s->ep = NULL;
	say("destroy took %llu ms", (unsigned long long)(now_ms() - t0));
	if (now_ms() - t0 > 2000)
		die("destroy took too long");
	return 0;
}

/* ---- udsvc: UD service request without an endpoint ----------------------- */




int policy_server_udsvc(struct side *s)
{
	uint8_t reply[136];
	struct ual_listener *ls;
	struct ual_event ev;
	struct ual_error e;

	s->ep = make_ep(s, UAL_EP_UD, 16);
	ud_post_recvs(s);
	ls = start_listen(s, UAL_EP_UD);
	ev = expect(s, UAL_EVENT_UD_REQUEST);
	if (ev.private_data_len < s->attr.pdata.ud_resolve ||
	    !verify(ev.private_data, s->attr.pdata.ud_resolve, 5))
		die("SIDR request private data wrong (%u bytes)", ev.private_data_len);
	say("SIDR request with %u bytes of private data (verified)",
	    s->attr.pdata.ud_resolve);
	if (s->attr.pdata.ud_reply != sizeof(reply))
		die("ud_reply limit %u", s->attr.pdata.ud_reply);
	fill(reply, sizeof(reply), 6);
	check(ual_accept(ev.req, s->ep, reply, sizeof(reply), &e), &e, "ual_accept (UD)");
	ud_answer_ping(s);
	ual_listener_destroy(ls);
	return 0;
}

/* siw: every UD entry point refuses cleanly. */
static int udsvc_refused(struct side *s)
{
	struct ual_ah_attr attr = { .port_num = 1 };
	struct ual_ud_query *q;
	struct ual_error e;
	struct ual_ah *ah;
	char buf[512];
	int rc;

	rc = ual_ud_query_create(s->dev, s->eq, NULL, &q, &e);
	if (rc != -EOPNOTSUPP)
		die("UD query on a device without UD gave %d", rc);
	ual_strerror(&e, buf, sizeof(buf));
	if (!strstr(buf, "not supported by device"))
		die("unclear refusal: %s", buf);
	say("UD query: %s", buf);
	rc = ual_ah_create(s->dev, &attr, &ah, &e);
	if (rc != -EOPNOTSUPP)
		die("AH on a device without UD gave %d", rc);
	say("AH: %s", ual_strerror(&e, buf, sizeof(buf)));
	if (s->attr.pdata.ud_resolve || s->attr.pdata.ud_reply)
		die("SIDR limits %u/%u on a device without UD",
		    s->attr.pdata.ud_resolve, s->attr.pdata.ud_reply);
	return 0;
}

static struct ual_event udsvc_resolve(struct side *s, struct ual_ud_query *q)
{
	uint8_t pdata[UAL_PDATA_MAX];
	uint32_t limit = s->attr.pdata.ud_resolve;
	struct sockaddr_storage dst;
	struct ual_event ev;
	struct ual_error e;
	char gid[40];
	int rc, i;

	resolve(s->o.addr, s->o.port, &dst);
	fill(pdata, sizeof(pdata), 5);
	rc = ual_ud_query_start(q, (struct sockaddr *)&dst, pdata, limit + 1, NULL, &e);
	if (rc != -EMSGSIZE)
		die("%u bytes of SIDR private data gave %d", limit + 1, rc);
	check(ual_ud_query_start(q, (struct sockaddr *)&dst, pdata, limit, NULL, &e),
	      &e, "ual_ud_query_start");
	ev = expect(s, UAL_EVENT_UD_RESOLVED);
	if (ev.ud_query != q || ev.ep || ev.ah || ev.context != s)
		die("UD_RESOLVED does not name the query alone");
	if (ev.private_data_len < 136 || !verify(ev.private_data, 136, 6))
		die("SIDR reply private data wrong (%u bytes)", ev.private_data_len);
	if (ev.remote_qkey != UDP_QKEY)
		die("Q_Key 0x%x, rdma_cm's rule says 0x%x", ev.remote_qkey, UDP_QKEY);
	for (i = 0; i < 16; i++)
		snprintf(gid + 2 * i, 3, "%02x", ev.ah_attr.dgid[i]);
	say("resolved without an endpoint: qpn %u qkey 0x%x, path: dlid %u sl %u port %u global %u dgid %s sgid_index %u hop_limit %u",
	    ev.remote_qpn, ev.remote_qkey, ev.ah_attr.dlid, ev.ah_attr.sl,
	    ev.ah_attr.port_num, ev.ah_attr.is_global, gid,
	    ev.ah_attr.sgid_index, ev.ah_attr.hop_limit);
	return ev;
}

int policy_client_udsvc(struct side *s)
{
	struct ual_ud_query *q;
	struct ual_event ev;
	struct ual_error e;
	struct ual_ah *ah;
	struct ual_wc wc;

	if (!(s->attr.caps & UAL_CAP_UD))
		return udsvc_refused(s);
	check(ual_ud_query_create(s->dev, s->eq, s, &q, &e), &e, "ual_ud_query_create");
	ev = udsvc_resolve(s, q);
	check(ual_ah_create(s->dev, &ev.ah_attr, &ah, &e), &e, "ual_ah_create");
	s->ep = make_ep(s, UAL_EP_UD, 16);
	ud_post_recvs(s);
	ud_send(s, ah, ev.remote_qpn, ev.remote_qkey, "ud-ping");
	if (strcmp(ud_recv(s, &wc), "ud-pong"))
		die("UD reply wrong");
	say("UD exchange through an AH made from the resolved attributes ok");
	ual_ah_destroy(ah);
	ual_ud_query_destroy(q);
	return 0;
}
