// SPDX-License-Identifier: BSD-2-Clause
/*
 * t_resize.c - resizing and querying CQs and SRQs (ual_test --test
 * resize), and CQ wake-ups consumed by two threads at once (--test
 * cqwake).
 *
 * resize runs alone (no peer): where the device can resize, the new
 * sizes are seen by ual_cq_depth / ual_srq_query and receives posted
 * before a resize stay posted; where it cannot, the call fails with
 * -EOPNOTSUPP and says so, and the queue still works.
 *
 * cqwake: the server receives --count messages while two threads consume
 * the receive CQ's wake-ups; the run ends with ual_cq_destroy, which
 * waits forever if a count was lost.  The case runs it under helgrind,
 * which reports an unsynchronised access to the count whatever the
 * timing.
 */
#include "al_common.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void cq_resize(struct side *s)
{
	struct ual_error e;
	char buf[512];
	int before = ual_cq_depth(s->scq);
	int rc;

	rc = ual_cq_resize(s->scq, 0, &e);
	if (rc != -EINVAL)
		die("resize to 0 gave %d", rc);
	rc = ual_cq_resize(s->scq, (int)s->attr.max_cqe + 1, &e);
	if (rc != -EINVAL)
		die("resize above max_cqe gave %d", rc);
	rc = ual_cq_resize(s->scq, 1000, &e);
	if (rc == -EOPNOTSUPP) {
		say("cq resize refused: %s", ual_strerror(&e, buf, sizeof(buf)));
		if (ual_cq_depth(s->scq) != before)
			die("refused resize changed the depth");
		return;
	}
	check(rc, &e, "ual_cq_resize 1000");
	if (ual_cq_depth(s->scq) < 1000)
		die("depth %d after resize to 1000", ual_cq_depth(s->scq));
	say("cq depth %d -> %d (asked 1000)", before, ual_cq_depth(s->scq));
	check(ual_cq_resize(s->scq, 100, &e), &e, "ual_cq_resize 100");
	if (ual_cq_depth(s->scq) < 100)
		die("depth %d after resize to 100", ual_cq_depth(s->scq));
	say("cq depth -> %d (asked 100)", ual_cq_depth(s->scq));
}

static void srq_show(struct ual_srq *srq, const char *when,
		     struct ual_srq_attr *a)
{
	struct ual_error e;

	check(ual_srq_query(srq, a, &e), &e, "ual_srq_query");
	say("srq %s: max_wr %u max_sge %u limit %u", when, a->max_wr,
	    a->max_sge, a->limit);
}

static void srq_resize(struct side *s)
{
	struct ual_srq_attr a;
	struct ual_error e;
	struct ual_sge sge;
	char buf[512];
	int i, rc;

	check(ual_srq_create(s->dev, s->eq, 64, 1, 0, NULL, &s->srq, &e), &e,
	      "ual_srq_create");
	srq_show(s->srq, "created 64x1", &a);
	if (a.max_wr < 64 || a.max_sge < 1 || a.limit)
		die("query does not match what was created");
	check(ual_srq_set_limit(s->srq, 10, &e), &e, "ual_srq_set_limit");
	srq_show(s->srq, "limit 10", &a);
	if (a.limit != 10)
		die("limit %u after setting 10", a.limit);
	for (i = 0; i < 48; i++) {
		sge = sge_at(s, (size_t)(i % RECV_SLOTS) * MSG_LEN, MSG_LEN);
		if (ual_srq_post_recv(s->srq, &sge, 1, (uint64_t)i))
			die("srq post %d", i);
	}
	rc = ual_srq_resize(s->srq, 256, &e);
	if (rc == -EOPNOTSUPP) {
		say("srq resize refused: %s", ual_strerror(&e, buf, sizeof(buf)));
		srq_show(s->srq, "after refusal", &a);
		if (a.max_wr < 64 || a.limit != 10)
			die("refused resize changed the SRQ");
		return;
	}
	check(rc, &e, "ual_srq_resize 256");
	srq_show(s->srq, "resized to 256 with 48 posted", &a);
	if (a.max_wr < 256)
		die("max_wr %u after resize to 256", a.max_wr);
	/* 48 receives are posted: 256 more must not fit, 208 must. */
	for (i = 0; i < 208; i++) {
		sge = sge_at(s, (size_t)(i % RECV_SLOTS) * MSG_LEN, MSG_LEN);
		rc = ual_srq_post_recv(s->srq, &sge, 1, (uint64_t)i);
		if (rc)
			die("srq post %d after resize: %s (receives posted before the resize lost?)",
			    i, strerror(-rc));
	}
	say("srq holds 48 + 208 receives after the resize");
	rc = ual_srq_resize(s->srq, 16, &e);
	if (!rc)
		die("shrinking below the posted receives was accepted");
	say("srq shrink below posted refused: %s", ual_strerror(&e, buf, sizeof(buf)));
}

int run_resize(struct side *s)
{
	say("caps%s", (s->attr.caps & UAL_CAP_SRQ_RESIZE) ? " SRQ_RESIZE" : "");
	cq_resize(s);
	srq_resize(s);
	say("PASS resize");
	return 0;
}

/* ---- cqwake ----------------------------------------------------- */

/*
 * Two threads do nothing but sleep on the CQ's fd and consume wake-ups,
 * sharing no variable and no lock of their own, so nothing but the layer
 * orders their updates of the CQ's wake-up count: a plain ++ there is a
 * race helgrind reports.  The main thread arms the CQ before every
 * message (one wake-up each), polls, re-posts and answers; a pipe ends
 * the two threads.
 */
struct waker {
	struct ual_cq *cq;
	int stop_fd;
	long wakeups;
};

static void *wake_thread(void *arg)
{
	struct waker *w = arg;
	struct pollfd p[2] = {
		{ .fd = ual_cq_fd(w->cq), .events = POLLIN },
		{ .fd = w->stop_fd, .events = POLLIN },
	};

	for (;;) {
		if (poll(p, 2, 1000) < 0 && errno != EINTR)
			die("poll: %s", strerror(errno));
		if (p[1].revents)
			break;
		if (p[0].revents)
			w->wakeups += ual_cq_ack_wakeup(w->cq);
	}
	return NULL;
}

int run_server_cqwake(struct side *s)
{
	struct waker w[2];
	struct ual_listener *ls;
	struct ual_event ev;
	struct ual_wc wc;
	pthread_t t[2];
	int stop[2], i, got = 0, n;

	if (s->o.count < 1)
		s->o.count = 200;
	if (pipe(stop))
		die("pipe: %s", strerror(errno));
	ls = start_listen(s, UAL_EP_RC);
	ev = expect(s, UAL_EVENT_CONN_REQUEST);
	server_accept(s, ev.req);
	expect(s, UAL_EVENT_CONN_ESTABLISHED);
	for (i = 0; i < 2; i++) {
		w[i] = (struct waker){ .cq = s->rcq, .stop_fd = stop[0] };
		if (pthread_create(&t[i], NULL, wake_thread, &w[i]))
			die("pthread_create");
	}
	/*
	 * Ping-pong: the CQ is armed before the answer goes out, so every
	 * next message completes on an armed CQ and makes one wake-up.
	 */
	if (ual_cq_arm(s->rcq, 0))
		die("ual_cq_arm");
	while (got < s->o.count) {
		do
			n = ual_cq_poll(s->rcq, &wc, 1);
		while (n == 0);
		if (n < 0 || wc.status != UAL_WC_SUCCESS)
			die("receive %d failed", got);
		post_recv_slot(s, (int)wc.context);
		got++;
		if (ual_cq_arm(s->rcq, 0))
			die("ual_cq_arm");
		send_msg(s, "a");
	}
	/* let the last wake-ups arrive, then stop the threads */
	usleep(200000);
	if (write(stop[1], "x", 1) != 1)
		die("write: %s", strerror(errno));
	for (i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	say("%d messages, wake-ups consumed by thread 0: %ld, thread 1: %ld",
	    got, w[0].wakeups, w[1].wakeups);
	/*
	 * The server closes.  On siw under load, the completion of "done"
	 * was once seen in error (LOC_QP_OP_ERR) although the client had
	 * received it and already closed: the side whose last completion
	 * is checked must not be the one waiting for the other's close.
	 */
	send_msg(s, "done");
	finish_disconnect(s, true);
	ual_listener_destroy(ls);
	close(stop[0]);
	close(stop[1]);
	/* close_side destroys the CQs: hangs if a wake-up went unacked */
	say("PASS cqwake (destroying the CQs next)");
	return 0;
}

int run_client_cqwake(struct side *s)
{
	int i;

	if (s->o.count < 1)
		s->o.count = 200;
	client_connect(s, 0);
	for (i = 0; i < s->o.count; i++) {
		send_msg(s, "tick");
		expect_msg(s, "a");
	}
	expect_msg(s, "done");
	finish_disconnect(s, false);
	say("PASS cqwake");
	return 0;
}
