// SPDX-License-Identifier: BSD-2-Clause
/*
 * ual_test.c - guest functional test of the access layer over a real
 * (soft) RDMA device.  One program, a server and a client role, one test
 * per run (--test):
 *
 *   basic     connect with private data both ways, send/recv, RDMA write,
 *             RDMA read, write with immediate and atomics (or a clean
 *             "not supported" on iWARP), disconnect by --disconnect side
 *   srq       basic, the server receiving through a shared receive queue;
 *             one EP_LAST_WQE after its DISCONNECTED
 *   reject    the server rejects with private data
 *   retry     the client starts before the server and retries
 *   kill      the client transfers until killed; the server must see the
 *             connection go and free everything
 *   killserver  the client transfers until the server is killed; the
 *             client must see the connection go and free everything
 *   many      --count RC connections between the two processes; with
 *             --fill the client stops where the device refuses the next
 *             endpoint and shows why (siw: its mapping window)
 *   qpfill    one process creates endpoints until the device refuses one
 *   ud        datagram exchange after SIDR resolution
 *   portdown  waits for a port-down event (the case takes the link down)
 *   devremove a connected pair on a device the case then deletes: both
 *             sides must see the removal as events, get errors (not a
 *             crash) from posts and polls, and free everything so that
 *             the kernel can finish removing the device
 *
 * Prints "ready port N" when listening and "PASS ..." at the end; any
 * failure prints "FAIL: ..." and exits 1.
 */
#include <config.h>

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <ual/ual.h>
#include "al_common.h"

static void server_check_request(const struct ual_event *ev)
{
	if (ev->private_data_len < 40 ||
	    memcmp(ev->private_data, "ual-test-client", 16))
		die("request private data wrong (%u bytes)", ev->private_data_len);
	if (!verify(ev->private_data + 16, 24, 3))
		die("request private data pattern wrong");
	say("request with %u bytes of private data", ev->private_data_len);
}

static void server_handle(struct side *s, const char *msg, const struct ual_wc *wc)
{
	uint64_t *counter = (uint64_t *)(s->buf + ATOMIC_OFF);

	if (!strcmp(msg, "ping")) {
		send_msg(s, "pong");
	} else if (!strcmp(msg, "wrote")) {
		if (!verify(s->buf + R_TARGET * REGION, REGION, 11))
			die("RDMA write data wrong");
		send_msg(s, "ok:write");
	} else if (wc->opcode == UAL_WC_RECV_RDMA_WITH_IMM) {
		if (!(wc->flags & UAL_WC_WITH_IMM) || wc->imm_data != 0x1234abcd)
			die("immediate data wrong: 0x%x", wc->imm_data);
		if (!verify(s->buf + R_TARGET * REGION, 256, 21))
			die("write-with-immediate data wrong");
		send_msg(s, "ok:imm");
	} else if (!strcmp(msg, "atomics")) {
		if (*counter != 7)
			die("atomic result wrong: %llu", (unsigned long long)*counter);
		send_msg(s, "ok:atomics");
	} else if (!strcmp(msg, "done")) {
		send_msg(s, "bye");
	} else {
		die("unexpected message '%s'", msg);
	}
}

/*
 * An endpoint on an SRQ hears EP_LAST_WQE once when its connection ends
 * (the layer tells it where the device does not: rxe, siw); with no
 * affiliated queue set it comes on the endpoint's own queue, after the
 * DISCONNECTED.
 */
static void expect_last_wqe(struct side *s)
{
	struct ual_event ev = expect(s, UAL_EVENT_EP_LAST_WQE);

	if (ev.ep != s->ep)
		die("EP_LAST_WQE names another endpoint");
	if (ual_eq_poll(s->eq, &ev, 1) == 1)
		die("after EP_LAST_WQE: '%s'", ual_event_name(ev.type));
	say("last SRQ receive taken");
}

static int run_server_basic(struct side *s, bool use_srq)
{
	uint64_t *counter = (uint64_t *)(s->buf + ATOMIC_OFF);
	struct ual_listener *ls;
	struct ual_event ev;
	struct ual_error e;
	struct ual_wc wc;
	const char *msg;

	if (use_srq)
		check(ual_srq_create(s->dev, s->eq, 64, 1, 0, NULL, &s->srq, &e),
		      &e, "ual_srq_create");
	fill(s->buf + R_SOURCE * REGION, REGION, 17);
	*counter = 100;
	ls = start_listen(s, UAL_EP_RC);
	ev = expect(s, UAL_EVENT_CONN_REQUEST);
	server_check_request(&ev);
	server_accept(s, ev.req);
	expect(s, UAL_EVENT_CONN_ESTABLISHED);
	say("established");
	do {
		msg = recv_msg(s, &wc);
		server_handle(s, msg, &wc);
	} while (strcmp(msg, "done"));
	finish_disconnect(s, !strcmp(s->o.disconnect, "server"));
	if (use_srq)
		expect_last_wqe(s);
	ual_listener_destroy(ls);
	return 0;
}

static void server_reject(struct side *s)
{
	static const char nope[] = "ual-test-go-away";
	struct ual_listener *ls = start_listen(s, UAL_EP_RC);
	struct ual_event ev = expect(s, UAL_EVENT_CONN_REQUEST);
	struct ual_error e;

	server_check_request(&ev);
	check(ual_reject(ev.req, nope, sizeof(nope), &e), &e, "ual_reject");
	say("rejected");
	ual_listener_destroy(ls);
}

/* ---- basic / srq / retry: client ------------------------------------- */

static void client_rdma(struct side *s)
{
	struct ual_sge sge = sge_at(s, R_SOURCE * REGION, REGION);
	int rc;

	fill(s->buf + R_SOURCE * REGION, REGION, 11);
	rc = ual_post_write(s->ep, &sge, 1, s->peer.addr + R_TARGET * REGION,
			    s->peer.rkey, 2, UAL_POST_SIGNALED);
	if (rc)
		die("post write: %s", strerror(-rc));
	wait_wc(s->scq);
	send_msg(s, "wrote");
	expect_msg(s, "ok:write");
	say("RDMA write ok");

	sge = sge_at(s, R_TARGET * REGION, REGION);
	rc = ual_post_read(s->ep, &sge, 1, s->peer.addr + R_SOURCE * REGION,
			   s->peer.rkey, 3, UAL_POST_SIGNALED);
	if (rc)
		die("post read: %s", strerror(-rc));
	wait_wc(s->scq);
	if (!verify(s->buf + R_TARGET * REGION, REGION, 17))
		die("RDMA read data wrong");
	say("RDMA read ok");
}

static void client_imm(struct side *s)
{
	struct ual_sge sge = sge_at(s, R_SOURCE * REGION, 256);
	char why[160];
	int rc;

	fill(s->buf + R_SOURCE * REGION, 256, 21);
	rc = ual_post_write_imm(s->ep, &sge, 1, s->peer.addr + R_TARGET * REGION,
				s->peer.rkey, 0x1234abcd, 4, UAL_POST_SIGNALED);
	if (rc == -EOPNOTSUPP && !(s->attr.caps & UAL_CAP_IMMEDIATE)) {
		say("immediate data: %s", ual_post_strerror(rc, s->ep, why, sizeof(why)));
		return;
	}
	if (rc)
		die("post write imm: %s", ual_post_strerror(rc, s->ep, why, sizeof(why)));
	wait_wc(s->scq);
	expect_msg(s, "ok:imm");
	say("write with immediate ok");
}

static void client_atomics(struct side *s)
{
	uint64_t *result = (uint64_t *)(s->buf + ATOMIC_OFF);
	struct ual_sge sge = sge_at(s, ATOMIC_OFF, 8);
	char why[160];
	int rc;

	rc = ual_post_fetch_add(s->ep, &sge, s->peer.addr + ATOMIC_OFF,
				s->peer.rkey, 5, 5, UAL_POST_SIGNALED);
	if (rc == -EOPNOTSUPP && !(s->attr.caps & UAL_CAP_ATOMICS)) {
		ual_post_strerror(rc, s->ep, why, sizeof(why));
		if (!strstr(why, "not supported by device"))
			die("unclear atomics refusal: %s", why);
		say("atomics: %s", why);
		return;
	}
	if (rc)
		die("post fetch_add: %s", ual_post_strerror(rc, s->ep, why, sizeof(why)));
	wait_wc(s->scq);
	if (*result != 100)
		die("fetch_add returned %llu, want 100", (unsigned long long)*result);
	rc = ual_post_cmp_swap(s->ep, &sge, s->peer.addr + ATOMIC_OFF,
			       s->peer.rkey, 105, 7, 6, UAL_POST_SIGNALED);
	if (rc)
		die("post cmp_swap: %s", strerror(-rc));
	wait_wc(s->scq);
	if (*result != 105)
		die("cmp_swap returned %llu, want 105", (unsigned long long)*result);
	send_msg(s, "atomics");
	expect_msg(s, "ok:atomics");
	say("atomics ok");
}

static int run_client_basic(struct side *s, uint32_t retries)
{
	client_connect(s, retries);
	send_msg(s, "ping");		/* iWARP: the active side speaks first */
	expect_msg(s, "pong");
	say("send/recv ok");
	client_rdma(s);
	client_imm(s);
	client_atomics(s);
	send_msg(s, "done");
	expect_msg(s, "bye");
	finish_disconnect(s, !strcmp(s->o.disconnect, "client"));
	return 0;
}

static void client_rejected(struct side *s)
{
	struct sockaddr_storage dst;
	struct ual_event ev;
	struct ual_error e;
	uint8_t pdata[40];

	resolve(s->o.addr, s->o.port, &dst);
	s->ep = make_ep(s, UAL_EP_RC, 16);
	memcpy(pdata, "ual-test-client", 16);
	fill(pdata + 16, 24, 3);
	check(ual_ep_connect(s->ep, (struct sockaddr *)&dst, pdata, sizeof(pdata), NULL, &e),
	      &e, "ual_ep_connect");
	ev = expect(s, UAL_EVENT_CONN_REJECTED);
	if (ev.reject_reason != UAL_REJECT_CONSUMER)
		die("reject reason %d, want consumer", ev.reject_reason);
	if (ev.private_data_len && memcmp(ev.private_data, "ual-test-go-away", 17))
		die("reject private data wrong");
	say("rejected by the peer, %u bytes of private data%s", ev.private_data_len,
	    ev.private_data_len ? " (verified)" : " (transport dropped it)");
	if (ual_ep_get_state(s->ep) != UAL_EP_FAILED)
		die("state after reject is %s", ual_ep_state_name(ual_ep_get_state(s->ep)));
}

/* ---- kill ---------------------------------------------------------------- */

static int run_server_kill(struct side *s)
{
	struct ual_listener *ls = start_listen(s, UAL_EP_RC);
	struct ual_event ev = expect(s, UAL_EVENT_CONN_REQUEST);
	char buf[512];
	uint64_t t0;

	server_accept(s, ev.req);
	expect(s, UAL_EVENT_CONN_ESTABLISHED);
	say("established");
	ev = next_event(s, 10 * TIMEOUT_MS);
	t0 = now_ms();
	if (ev.type == UAL_EVENT_EP_ERROR)	/* may precede the CM event */
		ev = next_event(s, TIMEOUT_MS);
	if (ev.type != UAL_EVENT_CONN_DISCONNECTED && ev.type != UAL_EVENT_CONN_BROKEN)
		die("unexpected event '%s'", ual_event_name(ev.type));
	say("LOSS detected: %s %s", ual_event_name(ev.type),
	    ev.error.errnum ? ual_strerror(&ev.error, buf, sizeof(buf)) : "");
	ual_listener_destroy(ls);
	close_side(s);
	say("freed everything %llu ms after the event", (unsigned long long)(now_ms() - t0));
	return 0;
}

static int run_client_kill(struct side *s)
{
	struct ual_sge sge = sge_at(s, R_SOURCE * REGION, REGION);
	unsigned long n;
	int rc;

	client_connect(s, 0);
	for (n = 0;; n++) {
		rc = ual_post_write(s->ep, &sge, 1, s->peer.addr + R_TARGET * REGION,
				    s->peer.rkey, n, UAL_POST_SIGNALED);
		if (rc)
			die("post write: %s", strerror(-rc));
		wait_wc(s->scq);
		if (n == 10)
			say("transferring (pid %d)", (int)getpid());
	}
}

/* ---- killserver: the server dies, the client must notice ---------------- */

static int run_server_killed(struct side *s)
{
	struct ual_listener *ls = start_listen(s, UAL_EP_RC);
	struct ual_event ev = expect(s, UAL_EVENT_CONN_REQUEST);

	server_accept(s, ev.req);
	expect(s, UAL_EVENT_CONN_ESTABLISHED);
	say("established (pid %d)", (int)getpid());
	ev = next_event(s, 10 * TIMEOUT_MS);
	(void)ls;	/* the case kills this process before it could free */
	die("still alive, got '%s'", ual_event_name(ev.type));
}

/* True when @ev says the connection is gone. */
static bool is_loss(const struct ual_event *ev)
{
	if (ev->type == UAL_EVENT_CONN_DISCONNECTED || ev->type == UAL_EVENT_CONN_BROKEN)
		return true;
	if (ev->type != UAL_EVENT_EP_ERROR)
		die("unexpected event '%s'", ual_event_name(ev->type));
	return false;
}

/*
 * Waits for the write's completion or a connection event, whichever comes
 * first: returns 1 with @wc, 2 with @ev.  Both fds are watched because on
 * siw a write posted after the kernel failed the QP is never completed (see
 * doc/access_layer.md, "siw: work posted to a failed QP"); the connection
 * event is then the only sign.
 */
static int wait_wc_or_event(struct side *s, struct ual_wc *wc, struct ual_event *ev)
{
	struct pollfd pfd[2] = {
		{ .fd = ual_cq_fd(s->scq), .events = POLLIN },
		{ .fd = ual_eq_fd(s->eq), .events = POLLIN },
	};
	uint64_t deadline = now_ms() + TIMEOUT_MS;
	int rc;

	while (now_ms() < deadline) {
		if (ual_cq_poll(s->scq, wc, 1) == 1)
			return 1;
		if (ual_eq_poll(s->eq, ev, 1) == 1)
			return 2;
		rc = ual_cq_arm(s->scq, 0);
		if (rc)
			die("ual_cq_arm: %s", strerror(-rc));
		if (ual_cq_poll(s->scq, wc, 1) == 1)
			return 1;
		if (poll(pfd, 2, (int)(deadline - now_ms())) < 0 && errno != EINTR)
			die("poll: %s", strerror(errno));
		if (pfd[0].revents)
			ual_cq_ack_wakeup(s->scq);
	}
	die("no completion and no event within %d ms", TIMEOUT_MS);
}

static int run_client_server_killed(struct side *s)
{
	struct ual_sge sge = sge_at(s, R_SOURCE * REGION, REGION);
	const char *sign = NULL;
	char why[64];
	bool have_event = false;
	struct ual_event ev;
	struct ual_wc wc;
	unsigned long n;
	char buf[512];
	uint64_t t0;
	int rc;

	client_connect(s, 0);
	/* Write until the first sign of loss: a failed post or completion, or an event. */
	for (n = 0; !sign; n++) {
		rc = ual_post_write(s->ep, &sge, 1, s->peer.addr + R_TARGET * REGION,
				    s->peer.rkey, n, UAL_POST_SIGNALED);
		if (rc) {
			sign = "post refused";
			break;
		}
		if (wait_wc_or_event(s, &wc, &ev) == 2) {
			have_event = is_loss(&ev);
			if (have_event)
				sign = ual_event_name(ev.type);
		} else if (wc.status != UAL_WC_SUCCESS) {
			snprintf(why, sizeof(why), "write completion: %s (vendor status %u)",
				 ual_wc_status_str(wc.status), wc.vendor_status);
			sign = why;
		}
		if (n == 10)
			say("transferring");
	}
	t0 = now_ms();
	say("LOSS detected after %lu writes: %s", n, sign);
	/* The connection event follows (or came first); then free it all. */
	while (!have_event) {
		ev = next_event(s, TIMEOUT_MS);
		have_event = is_loss(&ev);
	}
	say("connection event: %s %s", ual_event_name(ev.type),
	    ev.error.errnum ? ual_strerror(&ev.error, buf, sizeof(buf)) : "");
	close_side(s);
	say("freed everything %llu ms after the first sign",
	    (unsigned long long)(now_ms() - t0));
	return 0;
}

/* ---- many ---------------------------------------------------------------- */

/*
 * The server receives every connection's message through one SRQ: on siw
 * its endpoints then map only a send queue, so it holds more connections
 * than the client it serves (see doc/access_layer.md, "siw limits").
 */
#define MANY_SRQ_WR 64
#define MANY_RECV_SLOTS 48	/* > MANY_BATCH messages in flight */
#define MANY_BATCH 32
#define MANY_WINDOW 4
#define MANY_DEFAULT_WR 16

static uint32_t many_wr(const struct side *s)
{
	return s->o.wr < 0 ? MANY_DEFAULT_WR : (uint32_t)s->o.wr;
}

static void many_srq_post(struct side *s, int slot)
{
	struct ual_sge sge = sge_at(s, (size_t)slot * MSG_LEN, MSG_LEN);
	int rc = ual_srq_post_recv(s->srq, &sge, 1, (uint64_t)slot);

	if (rc)
		die("post SRQ recv: %s", strerror(-rc));
}

/* Answers one message: "ack" on the connection it came in on. */
static void many_answer(struct side *s, const struct ual_wc *wc)
{
	struct ual_sge sge = sge_at(s, R_SEND * REGION, MSG_LEN);
	struct ual_ep *ep = ual_ep_from_qp_num(s->dev, wc->qp_num);
	int slot = (int)wc->context, rc;

	if (wc->status != UAL_WC_SUCCESS)
		die("receive failed: %s", ual_wc_status_str(wc->status));
	if (!ep)
		die("no endpoint for QP %u", wc->qp_num);
	if (strncmp((char *)s->buf + (size_t)slot * MSG_LEN, "many", 4))
		die("unexpected message on QP %u", wc->qp_num);
	many_srq_post(s, slot);
	rc = ual_post_send(ep, &sge, 1, 1, UAL_POST_SIGNALED);
	if (rc)
		die("post ack: %s", strerror(-rc));
}

static void many_reap_acks(struct side *s)
{
	struct ual_wc wc[16];
	int n, i;

	while ((n = ual_cq_poll(s->scq, wc, 16)) > 0)
		for (i = 0; i < n; i++)
			if (wc[i].status != UAL_WC_SUCCESS)
				die("ack failed: %s", ual_wc_status_str(wc[i].status));
}

static int run_server_many(struct side *s)
{
	int accepted = 0, established = 0, closed = 0, answered = 0, cap = 64;
	int last_wqe = 0;
	struct ual_ep **eps = calloc((size_t)cap, sizeof(*eps));
	struct pollfd pfd[2];
	struct ual_listener *ls;
	struct ual_event ev;
	struct ual_error e;
	struct ual_wc wc[16];
	bool armed = false, progress;
	int n, i;

	check(ual_srq_create(s->dev, s->eq, MANY_SRQ_WR, 1, 0, NULL, &s->srq, &e),
	      &e, "ual_srq_create");
	strcpy((char *)s->buf + R_SEND * REGION, "ack");
	for (i = 0; i < MANY_RECV_SLOTS; i++)
		many_srq_post(s, i);
	ls = start_listen(s, UAL_EP_RC);
	pfd[0] = (struct pollfd){ .fd = ual_eq_fd(s->eq), .events = POLLIN };
	pfd[1] = (struct pollfd){ .fd = ual_cq_fd(s->rcq), .events = POLLIN };
	/* Done when every connection the client made is closed again. */
	while (!accepted || closed < accepted ||
	       (!s->o.fill && closed < s->o.count)) {
		progress = false;
		while (ual_eq_poll(s->eq, &ev, 1) == 1) {
			progress = true;
			switch (ev.type) {
			case UAL_EVENT_CONN_REQUEST:
				if (accepted == cap) {
					cap *= 2;
					eps = realloc(eps, (size_t)cap * sizeof(*eps));
					if (!eps)
						die("out of memory");
				}
				eps[accepted] = make_ep(s, UAL_EP_RC, many_wr(s));
				check(ual_accept(ev.req, eps[accepted], NULL, 0, &e), &e,
				      "ual_accept");
				accepted++;
				break;
			case UAL_EVENT_CONN_ESTABLISHED:
				if (++established == s->o.count)
					say("all %d connections established", established);
				break;
			case UAL_EVENT_CONN_DISCONNECTED:
				closed++;
				break;
			case UAL_EVENT_EP_LAST_WQE:	/* one per ended SRQ connection */
				last_wqe++;
				break;
			default:
				die("unexpected event '%s'", ual_event_name(ev.type));
			}
		}
		while ((n = ual_cq_poll(s->rcq, wc, 16)) > 0) {
			progress = true;
			for (i = 0; i < n; i++)
				many_answer(s, &wc[i]);
			answered += n;
			/*
			 * Reap the acks of this batch before the next one: a
			 * client that keeps sending would otherwise keep this
			 * loop going until the send CQ overruns.
			 */
			many_reap_acks(s);
		}
		many_reap_acks(s);
		if (progress)
			continue;
		/* Arm, then look once more before sleeping: nothing is lost. */
		if (!armed) {
			if (ual_cq_arm(s->rcq, 0))
				die("ual_cq_arm failed");
			armed = true;
			continue;
		}
		if (poll(pfd, 2, 5 * TIMEOUT_MS) == 0)
			die("nothing happened for %d ms", 5 * TIMEOUT_MS);
		ual_cq_ack_wakeup(s->rcq);
		armed = false;
	}
	say("%d connections established, %d answered", established, answered);
	if (answered != accepted)
		die("%d connections but %d messages", accepted, answered);
	/* Each ended connection on the SRQ says so once, after its DISCONNECTED. */
	while (last_wqe < closed) {
		ev = next_event(s, TIMEOUT_MS);
		if (ev.type != UAL_EVENT_EP_LAST_WQE)
			die("unexpected event '%s'", ual_event_name(ev.type));
		last_wqe++;
	}
	if (ual_eq_poll(s->eq, &ev, 1) == 1)
		die("unexpected event '%s' after the last one", ual_event_name(ev.type));
	say("%d 'last SRQ receive taken' events, one per connection", last_wqe);
	for (i = 0; i < accepted; i++)
		check(ual_ep_destroy(eps[i], &e), &e, "ual_ep_destroy");
	free(eps);
	ual_listener_destroy(ls);
	say("%d connections closed and freed", closed);
	return 0;
}

/* One message and its answer on every connection, MANY_BATCH at a time. */
static void many_exchange(struct side *s, struct ual_ep **eps, int count)
{
	struct ual_sge tx = sge_at(s, R_SEND * REGION, MSG_LEN);
	int first, i, rc, sent, got;
	struct ual_wc wc;

	strcpy((char *)s->buf + R_SEND * REGION, "many");
	for (first = 0; first < count; first += MANY_BATCH) {
		int last = first + MANY_BATCH < count ? first + MANY_BATCH : count;

		for (i = first; i < last; i++) {
			struct ual_sge rx = sge_at(s, (size_t)(i - first) * MSG_LEN, MSG_LEN);

			memset(s->buf + (size_t)(i - first) * MSG_LEN, 0, MSG_LEN);
			rc = ual_post_recv(eps[i], &rx, 1, (uint64_t)i);
			if (!rc)
				rc = ual_post_send(eps[i], &tx, 1, (uint64_t)i,
						   UAL_POST_SIGNALED);
			if (rc)
				die("connection %d: post: %s", i, strerror(-rc));
		}
		for (sent = first; sent < last; sent++)
			wait_wc(s->scq);
		for (got = first; got < last; got++) {
			wc = wait_wc(s->rcq);
			i = (int)wc.context;
			if (i < first || i >= last ||
			    strcmp((char *)s->buf + (size_t)(i - first) * MSG_LEN, "ack"))
				die("wrong answer for connection %d", i);
		}
	}
	say("all %d connections exchanged a message", count);
}

static int run_client_many(struct side *s)
{
	struct ual_connect_opts co = { .retries = 5, .backoff_initial_ms = 200 };
	struct ual_ep **eps = calloc((size_t)s->o.count, sizeof(*eps));
	int started = 0, established = 0, closed = 0, i, rc;
	struct sockaddr_storage dst;
	struct ual_error e, full;
	bool limit = false;
	uint64_t t0 = now_ms();
	char buf[512];

	resolve(s->o.addr, s->o.port, &dst);
	while (established < s->o.count) {
		while (!limit && started < s->o.count &&
		       started - established < MANY_WINDOW) {
			if (started % 100 == 0)
				say("creating endpoint %d", started);
			rc = try_make_ep(s, UAL_EP_RC, many_wr(s), &eps[started], &full);
			if (rc && s->o.fill) {
				limit = true;
				break;
			}
			check(rc, &full, "ual_ep_create");
			check(ual_ep_connect(eps[started], (struct sockaddr *)&dst, NULL, 0, &co, &e),
			      &e, "ual_ep_connect");
			started++;
		}
		if (established == started)
			break;
		expect(s, UAL_EVENT_CONN_ESTABLISHED);
		established++;
	}
	say("all %d connections established in %llu ms", established,
	    (unsigned long long)(now_ms() - t0));
	if (limit)
		say("endpoint limit reached after %d endpoints: %s", started,
		    ual_strerror(&full, buf, sizeof(buf)));
	else if (s->o.fill)
		die("--fill: %d endpoints and still no limit", started);
	many_exchange(s, eps, established);
	for (i = 0; i < established; i++)
		check(ual_ep_disconnect(eps[i], &e), &e, "ual_ep_disconnect");
	while (closed < established) {
		expect(s, UAL_EVENT_CONN_DISCONNECTED);
		closed++;
	}
	for (i = 0; i < established; i++)
		check(ual_ep_destroy(eps[i], &e), &e, "ual_ep_destroy");
	free(eps);
	say("%d connections closed and freed", closed);
	if (limit) {
		/* Freed endpoints give their share of the window back. */
		struct ual_ep *again = make_ep(s, UAL_EP_RC, many_wr(s));

		check(ual_ep_destroy(again, &e), &e, "ual_ep_destroy");
		say("an endpoint can be created again after freeing");
	}
	return 0;
}

/*
 * Creates endpoints (no connections) until the device refuses one; prints
 * how many fit with these queue sizes and why the next one did not.
 */
static int run_qpfill(struct side *s)
{
	int count = 0, cap = 256, i, rc;
	struct ual_ep **eps = calloc((size_t)cap, sizeof(*eps));
	struct ual_error e;
	char buf[512];

	if (s->o.srq)
		check(ual_srq_create(s->dev, s->eq, MANY_SRQ_WR, 1, 0, NULL, &s->srq, &e),
		      &e, "ual_srq_create");
	for (;;) {
		if (count == cap) {
			if (cap >= s->o.count)
				die("%d endpoints and no limit", count);
			cap *= 2;
			eps = realloc(eps, (size_t)cap * sizeof(*eps));
			if (!eps)
				die("out of memory");
		}
		rc = try_make_ep(s, UAL_EP_RC, many_wr(s), &eps[count], &e);
		if (rc)
			break;
		count++;
	}
	say("qpfill: %d endpoints fit (%u WRs per queue, %s); the next: %s", count,
	    many_wr(s), s->srq ? "receiving through an SRQ" : "own receive queues",
	    ual_strerror(&e, buf, sizeof(buf)));
	for (i = 0; i < count; i++)
		check(ual_ep_destroy(eps[i], &e), &e, "ual_ep_destroy");
	free(eps);
	eps = NULL;
	s->ep = make_ep(s, UAL_EP_RC, many_wr(s));
	say("an endpoint can be created again after freeing");
	return 0;
}

/* ---- ud ------------------------------------------------------------------ */

static bool ud_unsupported(struct side *s)
{
	struct ual_ep_attr a = { .type = UAL_EP_UD, .send_cq = s->scq, .recv_cq = s->rcq };
	struct ual_ep *ep;
	struct ual_error e;
	char buf[512];
	int rc;

	if (s->attr.caps & UAL_CAP_UD)
		return false;
	rc = ual_ep_create(s->dev, s->eq, &a, NULL, &ep, &e);
	if (rc != -EOPNOTSUPP)
		die("UD on a device without UD gave %d", rc);
	ual_strerror(&e, buf, sizeof(buf));
	if (!strstr(buf, "not supported by device"))
		die("unclear UD refusal: %s", buf);
	say("UD: %s", buf);
	return true;
}

static int run_server_ud(struct side *s)
{
	struct ual_listener *ls;
	struct ual_event ev;
	struct ual_error e;

	if (ud_unsupported(s))
		return 0;
	s->ep = make_ep(s, UAL_EP_UD, 16);
	ud_post_recvs(s);
	ls = start_listen(s, UAL_EP_UD);
	ev = expect(s, UAL_EVENT_UD_REQUEST);
	check(ual_accept(ev.req, s->ep, NULL, 0, &e), &e, "ual_accept (UD)");
	ud_answer_ping(s);
	ual_listener_destroy(ls);
	return 0;
}

static int run_client_ud(struct side *s)
{
	struct sockaddr_storage dst;
	struct ual_event ev;
	struct ual_error e;
	struct ual_wc wc;
	const char *msg;

	if (ud_unsupported(s))
		return 0;
	resolve(s->o.addr, s->o.port, &dst);
	s->ep = make_ep(s, UAL_EP_UD, 16);
	ud_post_recvs(s);
	check(ual_ud_resolve(s->ep, (struct sockaddr *)&dst, NULL, 0, NULL, &e), &e,
	      "ual_ud_resolve");
	ev = expect(s, UAL_EVENT_UD_RESOLVED);
	if (!ev.ah)
		die("UD resolution gave no address handle");
	ud_send(s, ev.ah, ev.remote_qpn, ev.remote_qkey, "ud-ping");
	msg = ud_recv(s, &wc);
	if (strcmp(msg, "ud-pong"))
		die("UD reply '%s'", msg);
	say("UD exchange ok (remote qpn %u)", ev.remote_qpn);
	ual_ah_destroy(ev.ah);
	return 0;
}

/* ---- port down ---------------------------------------------------------- */

/*
 * A second scope on the device names its own unaffiliated queue (created
 * without a device): the port events reach the first scope's queue (its
 * default) and that queue, never the second scope's own queue.
 */
static int run_portdown(struct side *s)
{
	struct ual_eq *eq2, *unaff;
	struct ual_device *dev2;
	struct ual_event ev;
	struct ual_error e;

	check(ual_device_open(s->o.dev, &dev2, NULL, &e), &e, "second scope");
	check(ual_eq_create(dev2, NULL, &eq2, &e), &e, "second scope's queue");
	check(ual_eq_create(NULL, NULL, &unaff, &e), &e, "unaffiliated queue");
	check(ual_device_set_async(dev2, NULL, unaff, &e), &e, "ual_device_set_async");
	say("ready to see port events");
	do {
		ev = next_event(s, 5 * TIMEOUT_MS);
	} while (ev.type != UAL_EVENT_PORT_DOWN);
	say("PORT_DOWN event, port %u", ev.port_num);
	if (ual_eq_wait(unaff, &ev, 1, TIMEOUT_MS) != 1 || ev.type != UAL_EVENT_PORT_DOWN)
		die("the second scope's unaffiliated queue did not get PORT_DOWN");
	if (ual_eq_poll(eq2, &ev, 1))
		die("the second scope's own queue got '%s'", ual_event_name(ev.type));
	say("PORT_DOWN on the second scope's unaffiliated queue only");
	ev = next_event(s, 2 * TIMEOUT_MS);
	say("then: %s", ual_event_name(ev.type));
	ual_eq_destroy(eq2);
	ual_eq_destroy(unaff);
	ual_device_close(dev2);
	return 0;
}

/* ---- device removal ------------------------------------------------------ */

/* What one side saw of the removal, in the order it arrived. */
struct removal {
	bool device;		/* DEVICE_REMOVED (or DEVICE_FATAL) on the queue */
	bool ep;		/* CONN_BROKEN on the endpoint */
	bool listener;		/* LISTEN_ERROR on the listener (server) */
	uint64_t t0;
};

/* Open descriptors of verbs devices: what the kernel waits for. */
static int uverbs_fds(void)
{
	return count_fds("uverbs") + count_fds("[infinibandevent]");
}

static bool removal_done(const struct side *s, const struct removal *r)
{
	return r->device && r->ep && (!s->o.server || r->listener);
}

static void removal_note(struct side *s, struct removal *r,
			 const struct ual_event *ev, struct ual_listener *ls)
{
	char buf[512];

	if (!r->t0)
		r->t0 = now_ms();
	say("event after %llu ms: %s%s%s",
	    (unsigned long long)(now_ms() - r->t0), ual_event_name(ev->type),
	    ev->error.errnum ? ": " : "",
	    ev->error.errnum ? ual_strerror(&ev->error, buf, sizeof(buf)) : "");
	switch (ev->type) {
	case UAL_EVENT_DEVICE_REMOVED:
	case UAL_EVENT_DEVICE_FATAL:
		if (ev->context != s)
			die("device event carries context %p, not the queue's", ev->context);
		if (ev->type == UAL_EVENT_DEVICE_REMOVED &&
		    (ev->error.errnum != ENODEV || !strstr(ev->error.detail, "removed")))
			die("DEVICE_REMOVED does not say what happened: %s",
			    ual_strerror(&ev->error, buf, sizeof(buf)));
		r->device = true;
		break;
	case UAL_EVENT_CONN_BROKEN:
		if (ev->ep != s->ep)
			die("CONN_BROKEN for an endpoint that is not ours");
		if (ev->error.errnum != ENODEV || !strstr(ev->error.detail, "removed"))
			die("CONN_BROKEN does not name the device removal: %s",
			    ual_strerror(&ev->error, buf, sizeof(buf)));
		r->ep = true;
		break;
	case UAL_EVENT_LISTEN_ERROR:
		if (!ls || ev->listener != ls)
			die("LISTEN_ERROR for a listener that is not ours");
		r->listener = true;
		break;
	case UAL_EVENT_EP_ERROR:
	case UAL_EVENT_PORT_DOWN:
	case UAL_EVENT_CONN_DISCONNECTED:
		break;	/* may come first, depending on the driver */
	default:
		die("unexpected event '%s'", ual_event_name(ev->type));
	}
}

/* After the removal: posts are refused (-ENODEV); polls report flushes. */
static void removal_probe_data_path(struct side *s)
{
	struct ual_sge sge = sge_at(s, R_SEND * REGION, MSG_LEN);
	struct ual_wc wc[8];
	char why[160];
	int rc, n, i;

	rc = ual_post_send(s->ep, &sge, 1, 77, UAL_POST_SIGNALED);
	if (rc != -ENODEV)
		die("post after removal gave %d, not -ENODEV", rc);
	say("post after removal refused: %s", ual_post_strerror(rc, s->ep, why, sizeof(why)));
	rc = ual_post_recv(s->ep, &sge, 1, 78);
	if (rc != -ENODEV)
		die("receive post after removal gave %d, not -ENODEV", rc);
	for (i = 0; i < 2; i++) {
		struct ual_cq *cq = i ? s->rcq : s->scq;

		while ((n = ual_cq_poll(cq, wc, 8)) > 0)
			say("%s CQ after removal: %d completion(s), first %s",
			    i ? "receive" : "send", n, ual_wc_status_str(wc[0].status));
		if (n < 0)
			say("%s CQ poll after removal: %s", i ? "receive" : "send",
			    strerror(-n));
	}
	say("endpoint state after removal: %s", ual_ep_state_name(ual_ep_get_state(s->ep)));
}

static int run_devremove(struct side *s)
{
	char name[UAL_NAME_MAX], path[UAL_NAME_MAX + 32];
	struct ual_listener *ls = NULL;
	struct removal r = { 0 };
	uint64_t deadline, freed;
	struct ual_event ev;
	int n;

	if (s->o.server) {
		ls = start_listen(s, UAL_EP_RC);
		ev = expect(s, UAL_EVENT_CONN_REQUEST);
		server_accept(s, ev.req);
		expect(s, UAL_EVENT_CONN_ESTABLISHED);
		expect_msg(s, "ping");
	} else {
		client_connect(s, 0);
		send_msg(s, "ping");
	}
	say("connected, uverbs fds %d; ready for removal", uverbs_fds());
	/* The case deletes the device now; nothing here knows when. */
	deadline = now_ms() + 5 * TIMEOUT_MS;
	while (!removal_done(s, &r)) {
		if (now_ms() >= deadline)
			break;
		n = ual_eq_wait(s->eq, &ev, 1, (int)(deadline - now_ms()));
		if (n < 0)
			die("ual_eq_wait: %s", strerror(-n));
		if (n == 1)
			removal_note(s, &r, &ev, ls);
	}
	if (!removal_done(s, &r))
		say("missing after %d ms:%s%s%s", 5 * TIMEOUT_MS,
		    r.device ? "" : " DEVICE_REMOVED", r.ep ? "" : " CONN_BROKEN",
		    !s->o.server || r.listener ? "" : " LISTEN_ERROR");
	removal_probe_data_path(s);
	if (ls)
		ual_listener_destroy(ls);
	snprintf(name, sizeof(name), "%s", s->attr.name);
	close_side(s);
	freed = now_ms();
	say("freed everything %llu ms after the first event; uverbs fds %d",
	    (unsigned long long)(freed - r.t0), uverbs_fds());
	if (!removal_done(s, &r))
		die("the removal was not reported completely");
	/*
	 * Still running: the kernel can finish the removal only if nothing
	 * of the device is held open by this process any more.
	 */
	snprintf(path, sizeof(path), "/sys/class/infiniband/%s", name);
	while (access(path, F_OK) == 0) {
		if (now_ms() - freed > TIMEOUT_MS)
			die("%s still exists %d ms after everything was freed (uverbs fds %d): the process keeps it open",
			    name, TIMEOUT_MS, uverbs_fds());
		usleep(50 * 1000);
	}
	say("the kernel finished removing %s %llu ms after everything was freed, this process still running",
	    name, (unsigned long long)(now_ms() - freed));
	return 0;
}

/* ---- main ---------------------------------------------------------------- */

static void usage(void)
{
	fprintf(stderr,
		"usage: ual_test --server|--client --dev SPEC [--addr ADDR] [--port N]\n"
		"                [--test basic|srq|reject|retry|kill|killserver|many|qpfill|ud|portdown|devremove|scopes|progress]\n"
		"                [--test basic|srq|reject|retry|kill|killserver|many|qpfill|ud|portdown|devremove|mw|resize|cqwake|memlock]\n"
		"                [--disconnect client|server] [--count N] [--wr N] [--srq] [--fill]\n");
	exit(2);
}

static void parse(int argc, char **argv, struct opts *o)
{
	static const struct option lo[] = {
		{ "server", no_argument, NULL, 's' },
		{ "client", no_argument, NULL, 'c' },
		{ "dev", required_argument, NULL, 'd' },
		{ "addr", required_argument, NULL, 'a' },
		{ "port", required_argument, NULL, 'p' },
		{ "test", required_argument, NULL, 't' },
		{ "disconnect", required_argument, NULL, 'x' },
		{ "count", required_argument, NULL, 'n' },
		{ "wr", required_argument, NULL, 'w' },
		{ "srq", no_argument, NULL, 'q' },
		{ "fill", no_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	*o = (struct opts){ .test = "basic", .disconnect = "client",
			    .port = 7471, .count = 1000, .wr = -1 };
	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (c) {
		case 's': o->server = true; break;
		case 'c': o->server = false; break;
		case 'd': o->dev = optarg; break;
		case 'a': o->addr = optarg; break;
		case 'p': o->port = atoi(optarg); break;
		case 't': o->test = optarg; break;
		case 'x': o->disconnect = optarg; break;
		case 'n': o->count = atoi(optarg); break;
		case 'w': o->wr = atoi(optarg); break;
		case 'q': o->srq = true; break;
		case 'f': o->fill = true; break;
		default: usage();
		}
	}
	if (!o->dev)
		usage();
}

static int server_basic(struct side *s) { return run_server_basic(s, false); }
static int server_srq(struct side *s) { return run_server_basic(s, true); }
static int client_basic(struct side *s) { return run_client_basic(s, 0); }
static int client_retry(struct side *s) { return run_client_basic(s, 60); }
static int server_rejects(struct side *s) { server_reject(s); return 0; }
static int client_is_rejected(struct side *s) { client_rejected(s); return 0; }

/*
 * Every test, by --test name.  Topics with several tests of their own
 * live in their own file and add their rows here.
 */
static const struct al_test tests[] = {
	{ "basic", server_basic, client_basic, true },
	{ "srq", server_srq, client_basic, true },
	{ "retry", server_basic, client_retry, true },
	{ "reject", server_rejects, client_is_rejected, true },
	{ "kill", run_server_kill, run_client_kill, true },
	{ "killserver", run_server_killed, run_client_server_killed, true },
	{ "many", run_server_many, run_client_many, true },
	{ "qpfill", run_qpfill, run_qpfill, false },
	{ "ud", run_server_ud, run_client_ud, false },
	{ "portdown", run_portdown, run_portdown, false },
	{ "devremove", run_devremove, run_devremove, true },
	{ "scopes", run_server_scopes, run_client_scopes, true },
	{ "progress", run_server_progress, run_client_progress, true },
	{ "depths", policy_server_depths, policy_client_depths, true },
	{ "depth0", policy_server_depth0, policy_client_depth0, true },
	{ "lateretry", policy_server_lateretry, policy_client_lateretry, true },
	{ "timeout", NULL, policy_client_timeout, true },
	{ "vanish", policy_server_vanish, policy_client_vanish, true },
	{ "udsvc", policy_server_udsvc, policy_client_udsvc, false },
	{ "mw", run_server_mw, run_client_mw, true },
	{ "resize", run_resize, NULL, false },
	{ "cqwake", run_server_cqwake, run_client_cqwake, true },
	{ "lsdestroy", run_server_lsdestroy, run_client_lsdestroy, true },
	{ "nullargs", run_server_nullargs, run_client_nullargs, true },
	{ "acceptdisc", run_server_acceptdisc, run_client_acceptdisc, true },
	{ "reset", run_server_reset, run_client_reset, true },
	{ "handoff", run_server_handoff, run_client_handoff, true },
	{ "crossed", run_server_crossed, run_client_crossed, true },
	{ "memlock", run_server_memlock, run_client_memlock, true },
};

static const struct al_test *find_test(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(tests) / sizeof(tests[0]); i++)
		if (!strcmp(tests[i].name, name))
			return &tests[i];
	return NULL;
}

int main(int argc, char **argv)
{
	const struct al_test *t;
	struct side s;

	memset(&s, 0, sizeof(s));
	parse(argc, argv, &s.o);
	role = s.o.server ? "server" : "client";
	t = find_test(s.o.test);
	if (!t || !(s.o.server ? t->server : t->client))
		usage();
	if (!s.o.server && !s.o.addr && t->client_needs_addr)
		usage();
	open_side(&s);
	(s.o.server ? t->server : t->client)(&s);
	if (s.dev)
		close_side(&s);
	say("PASS %s", s.o.test);
	return 0;
}
