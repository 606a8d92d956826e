// SPDX-License-Identifier: BSD-2-Clause
/*
 * t_scope.c - scopes, async destinations and automatic progress.
 *
 *   scopes    the server opens a second scope on its device: one verbs
 *             context for both, attributes and identity of its own, its
 *             own async destinations, and protection domains of its own
 *             (its objects live in a second PD, ual_pd_open, and still
 *             report to the scope's queues).  Every queue of the second
 *             scope is created without a device.  The SRQ limit event of its SRQ arrives on the
 *             affiliated queue it named and on no other queue of either
 *             scope.  A receive posted in the first scope's memory fails
 *             (another protection domain); on siw that is a fatal QP
 *             error, which must reach the affiliated queue as EP_ERROR
 *             and the endpoint's queue as CONN_BROKEN
 *   progress  the client's queue is in automatic progress mode; the
 *             client waits only on its receive CQ (on iWARP, where it
 *             must send first, it also watches the endpoint's state),
 *             never reads its event queue until the server has
 *             disconnected, and then finds ESTABLISHED and DISCONNECTED
 *             queued in that order
 */
#include "al_common.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SCOPE_SRQ_WR 8
#define SCOPE_SRQ_LIMIT 4
#define SCOPE_MSGS 6

/* ---- scopes: the server ------------------------------------------------ */

struct scope2 {
	struct ual_device *dev;
	struct ual_device *pz;		/* another protection domain of dev */
	struct ual_device_attr attr;
	struct ual_eq *eq, *aff, *unaff;
	struct ual_cq *cq;
	struct ual_srq *srq;
	struct ual_mr *mr;
	struct ual_ep *ep;
	uint8_t *buf;
};

static bool same_ip(const struct sockaddr_storage *a,
		    const struct sockaddr_storage *b)
{
	if (a->ss_family != b->ss_family)
		return false;
	if (a->ss_family == AF_INET)
		return ((const struct sockaddr_in *)a)->sin_addr.s_addr ==
		       ((const struct sockaddr_in *)b)->sin_addr.s_addr;
	return !memcmp(&((const struct sockaddr_in6 *)a)->sin6_addr,
		       &((const struct sockaddr_in6 *)b)->sin6_addr, 16);
}

static void check_identity(struct side *s, struct scope2 *t)
{
	struct sockaddr_storage addrs[16];
	struct ual_gid gids[16];
	int i, n, found = 0;

	ual_device_query(t->dev, &t->attr);
	if (strcmp(t->attr.name, s->attr.name))
		die("second scope is on %s, not %s", t->attr.name, s->attr.name);
	if (!t->attr.max_pd || !t->attr.num_ports || !t->attr.node_guid)
		die("identity missing: max_pd %u ports %u guid %llx", t->attr.max_pd,
		    t->attr.num_ports, (unsigned long long)t->attr.node_guid);
	n = ual_device_gids(t->dev, 0, gids, 16);
	if (n < 1)
		die("no GID on port %u (%d)", t->attr.port_num, n);
	n = ual_device_port_addrs(t->dev, 0, addrs, 16);
	for (i = 0; i < n; i++)
		found += same_ip(&addrs[i], &s->local);
	if (!found)
		die("the scope's own address is not among its port's %d addresses", n);
	say("scope 2: vendor 0x%x part %u hw %u fw '%s' guid %016llx max_pd %u max_srq_sge %u, %d GIDs (first type %u), %d addresses",
	    t->attr.vendor_id, t->attr.vendor_part_id, t->attr.hw_ver,
	    t->attr.fw_ver, (unsigned long long)t->attr.node_guid, t->attr.max_pd,
	    t->attr.max_srq_sge, ual_device_gids(t->dev, 0, gids, 16), gids[0].type, n);
}

static void scope2_open(struct side *s, struct scope2 *t)
{
	int fds = count_verbs_contexts(s->attr.name);
	struct ual_error e;
	int i;

	check(ual_device_open(s->attr.name, &t->dev, NULL, &e), &e, "second ual_device_open");
	if (t->dev == s->dev)
		die("the second open returned the first scope");
	if (fds != 1 || count_verbs_contexts(s->attr.name) != fds)
		die("%s: %d verbs context(s) before the second scope, %d after",
		    s->attr.name, fds, count_verbs_contexts(s->attr.name));
	check_identity(s, t);
	check(ual_eq_create(NULL, t, &t->eq, &e), &e, "scope 2 eq");
	check(ual_eq_create(NULL, t, &t->aff, &e), &e, "affiliated eq");
	check(ual_eq_create(NULL, t, &t->unaff, &e), &e, "unaffiliated eq");
	check(ual_device_set_async(t->dev, t->aff, t->unaff, &e), &e, "ual_device_set_async");
	/* Everything that touches memory lives in a second PD of the scope. */
	check(ual_pd_open(t->dev, &t->pz, &e), &e, "ual_pd_open");
	check(ual_cq_create(t->pz, 64, NULL, &t->cq, &e), &e, "scope 2 cq");
	t->buf = calloc(1, BUF_LEN);
	if (!t->buf)
		die("out of memory");
	check(ual_mr_reg(t->pz, t->buf, BUF_LEN, UAL_ACCESS_LOCAL_WRITE, &t->mr, &e),
	      &e, "scope 2 mr");
	check(ual_srq_create(t->pz, NULL, SCOPE_SRQ_WR, 1, 0, t, &t->srq, &e), &e,
	      "scope 2 srq");
	for (i = 0; i < SCOPE_SRQ_WR; i++) {
		struct ual_sge sge = { (uintptr_t)(t->buf + i * MSG_LEN), MSG_LEN,
				       ual_mr_lkey(t->mr) };

		if (ual_srq_post_recv(t->srq, &sge, 1, (uint64_t)i))
			die("srq post");
	}
	check(ual_srq_set_limit(t->srq, SCOPE_SRQ_LIMIT, &e), &e, "ual_srq_set_limit");
	say("second scope open: one verbs context of %s for both", s->attr.name);
}

static void scope2_accept(struct side *s, struct scope2 *t)
{
	struct sockaddr_storage ss = listen_addr(s);
	struct ual_ep_attr a = {
		.type = UAL_EP_RC, .send_cq = t->cq, .recv_cq = t->cq, .srq = t->srq,
		.max_send_wr = 16, .max_send_sge = 1,
	};
	struct advert adv = { .tag = "ual-test-server" };
	struct ual_listener *ls;
	struct ual_event ev;
	struct ual_error e;

	check(ual_listen(t->dev, t->eq, (struct sockaddr *)&ss, UAL_EP_RC, 8, t, &ls, &e),
	      &e, "ual_listen");
	say("ready port %u", ual_listener_port(ls));
	if (ual_eq_wait(t->eq, &ev, 1, TIMEOUT_MS) != 1 || ev.type != UAL_EVENT_CONN_REQUEST)
		die("no connection request on the second scope's queue");
	check(ual_ep_create(t->pz, t->eq, &a, t, &t->ep, &e), &e, "scope 2 ep");
	check(ual_accept(ev.req, t->ep, &adv, sizeof(adv), &e), &e, "ual_accept");
	if (ual_eq_wait(t->eq, &ev, 1, TIMEOUT_MS) != 1 ||
	    ev.type != UAL_EVENT_CONN_ESTABLISHED)
		die("not established: %s", ual_event_name(ev.type));
	ual_listener_destroy(ls);
}

static struct ual_wc scope2_wc(struct scope2 *t)
{
	struct ual_wc wc;

	if (ual_cq_wait(t->cq, &wc, 1, TIMEOUT_MS) != 1)
		die("no completion on the second scope's CQ");
	return wc;
}

/* No event of @type may be queued on @eq (one poll, no waiting). */
static void expect_none(struct ual_eq *eq, const char *name)
{
	struct ual_event ev;

	while (ual_eq_poll(eq, &ev, 1) == 1)
		if (ev.type == UAL_EVENT_SRQ_LIMIT || ev.type == UAL_EVENT_EP_ERROR)
			die("%s got '%s', which belongs elsewhere", name,
			    ual_event_name(ev.type));
}

static void scope2_send(struct scope2 *t, const char *text)
{
	uint8_t *buf = t->buf + BUF_LEN - MSG_LEN;
	struct ual_sge sge = { (uintptr_t)buf, MSG_LEN, ual_mr_lkey(t->mr) };
	struct ual_wc wc;

	snprintf((char *)buf, MSG_LEN, "%s", text);
	if (ual_post_send(t->ep, &sge, 1, 77, UAL_POST_SIGNALED | UAL_POST_NO_INLINE))
		die("post send");
	wc = scope2_wc(t);
	if (wc.status != UAL_WC_SUCCESS)
		die("send: %s", ual_wc_status_str(wc.status));
}

/*
 * A receive in the first scope's memory: the third message the client
 * sends lands there (two receives of the SRQ are left before it).
 */
static void scope2_foreign_receive(struct side *s, struct scope2 *t)
{
	struct ual_sge sge = { (uintptr_t)s->buf, MSG_LEN, ual_mr_lkey(s->mr) };
	struct ual_event ev;
	struct ual_wc wc;
	int i, n;

	if (ual_srq_post_recv(t->srq, &sge, 1, 99))
		die("srq post");
	scope2_send(t, "go");
	for (i = 0; i < 2; i++)
		if (scope2_wc(t).status != UAL_WC_SUCCESS)
			die("receive into the scope's own memory failed");
	wc = scope2_wc(t);
	if (wc.status == UAL_WC_SUCCESS)
		die("a receive into the other scope's memory succeeded");
	say("receive into the other scope's memory: %s (vendor %u)",
	    ual_wc_status_str(wc.status), wc.vendor_status);
	n = ual_eq_wait(t->aff, &ev, 1, s->attr.transport == UAL_TRANSPORT_IWARP
					      ? TIMEOUT_MS : 3000);
	if (n == 1 && (ev.type != UAL_EVENT_EP_ERROR || ev.ep != t->ep))
		die("the affiliated queue got '%s'", ual_event_name(ev.type));
	if (n != 1) {
		if (s->attr.transport == UAL_TRANSPORT_IWARP)
			die("no EP_ERROR on the affiliated queue");
		say("no fatal QP event from %s for it (an error completion only)",
		    s->attr.name);
		return;
	}
	say("EP_ERROR (verbs event %d) on the affiliated queue", ev.status);
	if (ual_eq_wait(t->eq, &ev, 1, TIMEOUT_MS) != 1)
		die("nothing on the endpoint's queue (a queue without device)");
	if (ev.type != UAL_EVENT_CONN_BROKEN)
		die("the endpoint's queue got '%s', not CONN_BROKEN",
		    ual_event_name(ev.type));
	say("CONN_BROKEN on the endpoint's queue: %s",
	    ual_strerror(&ev.error, (char[256]){ 0 }, 256));
}

int run_server_scopes(struct side *s)
{
	struct scope2 t = { 0 };
	struct ual_event ev;
	struct ual_error e;
	struct ual_wc wc;
	int i, n;

	scope2_open(s, &t);
	scope2_accept(s, &t);
	for (i = 0; i < SCOPE_MSGS; i++) {
		wc = scope2_wc(&t);
		if (wc.status != UAL_WC_SUCCESS || wc.opcode != UAL_WC_RECV)
			die("receive %d: %s", i, ual_wc_status_str(wc.status));
	}
	n = ual_eq_wait(t.aff, &ev, 1, TIMEOUT_MS);
	if (n != 1 || ev.type != UAL_EVENT_SRQ_LIMIT || ev.srq != t.srq || ev.context != &t)
		die("the affiliated queue did not get the SRQ limit event (%d, '%s')", n,
		    n == 1 ? ual_event_name(ev.type) : "-");
	say("SRQ limit event on the affiliated queue (a queue without device)");
	expect_none(t.eq, "the second scope's own queue");
	expect_none(t.unaff, "the unaffiliated queue");
	expect_none(s->eq, "the first scope's queue");
	scope2_foreign_receive(s, &t);
	check(ual_ep_destroy(t.ep, &e), &e, "ep destroy");
	check(ual_srq_destroy(t.srq, &e), &e, "srq destroy");
	/* The scope and its PD may close before their last objects go. */
	ual_device_close(t.pz);
	ual_device_close(t.dev);
	check(ual_mr_dereg(t.mr, &e), &e, "mr dereg");
	check(ual_cq_destroy(t.cq, &e), &e, "cq destroy");
	ual_eq_destroy(t.eq);
	ual_eq_destroy(t.aff);
	ual_eq_destroy(t.unaff);
	free(t.buf);
	return 0;
}

int run_client_scopes(struct side *s)
{
	struct ual_sge sge = sge_at(s, R_SEND * REGION, MSG_LEN);
	struct ual_event ev;
	struct ual_wc wc;
	char text[16];
	int i;

	client_connect(s, 0);
	for (i = 0; i < SCOPE_MSGS; i++) {
		snprintf(text, sizeof(text), "m%d", i);
		send_msg(s, text);
	}
	expect_msg(s, "go");
	send_msg(s, "x0");
	send_msg(s, "x1");
	/* The server receives this one into memory it may not use. */
	if (ual_post_send(s->ep, &sge, 1, 2, UAL_POST_SIGNALED))
		die("post send");
	if (ual_cq_wait(s->scq, &wc, 1, TIMEOUT_MS) != 1)
		die("no completion for the last send");
	say("last send: %s", ual_wc_status_str(wc.status));
	ev = next_event(s, TIMEOUT_MS);
	if (ev.type != UAL_EVENT_CONN_DISCONNECTED && ev.type != UAL_EVENT_CONN_BROKEN)
		die("expected the server to go, got '%s'", ual_event_name(ev.type));
	say("server went: %s", ual_event_name(ev.type));
	return 0;
}

/* ---- progress ------------------------------------------------------------ */

int run_server_progress(struct side *s)
{
	struct ual_listener *ls = start_listen(s, UAL_EP_RC);
	struct ual_event ev = expect(s, UAL_EVENT_CONN_REQUEST);
	uint64_t t0;

	server_accept(s, ev.req);
	/* Without the client's progress on IB/RoCE no RTU: no ESTABLISHED. */
	ev = expect(s, UAL_EVENT_CONN_ESTABLISHED);
	say("established");
	if (ev.flags & UAL_EVFLAG_ACTIVE_SENDS_FIRST)
		expect_msg(s, "hi");
	send_msg(s, "hello");
	expect_msg(s, "thanks");
	t0 = now_ms();
	finish_disconnect(s, true);
	say("disconnect answered after %llu ms", (unsigned long long)(now_ms() - t0));
	ual_listener_destroy(ls);
	return 0;
}

/* Waits, without touching the event queue, for the state the thread sets. */
static void wait_state(struct side *s, enum ual_ep_state want)
{
	struct timespec ms = { 0, 1000000 };
	uint64_t end = now_ms() + TIMEOUT_MS;

	while (ual_ep_get_state(s->ep) != want) {
		if (now_ms() > end)
			die("endpoint still '%s', not '%s'",
			    ual_ep_state_name(ual_ep_get_state(s->ep)),
			    ual_ep_state_name(want));
		nanosleep(&ms, NULL);
	}
}

int run_client_progress(struct side *s)
{
	struct sockaddr_storage dst;
	struct ual_event ev[4];
	struct ual_error e;
	int i, n;

	check(ual_eq_set_auto_progress(s->eq, 1, &e), &e, "ual_eq_set_auto_progress");
	resolve(s->o.addr, s->o.port, &dst);
	s->ep = make_ep(s, UAL_EP_RC, 16);
	for (i = 0; i < RECV_SLOTS; i++)
		post_recv_slot(s, i);
	check(ual_ep_connect(s->ep, (struct sockaddr *)&dst, NULL, 0, NULL, &e), &e,
	      "ual_ep_connect");
	if (s->attr.caps & UAL_CAP_ACTIVE_SENDS_FIRST) {
		wait_state(s, UAL_EP_CONNECTED);
		send_msg(s, "hi");
	}
	expect_msg(s, "hello");
	send_msg(s, "thanks");
	wait_state(s, UAL_EP_DISCONNECTED);
	n = ual_eq_poll(s->eq, ev, 4);
	if (n != 2 || ev[0].type != UAL_EVENT_CONN_ESTABLISHED ||
	    ev[1].type != UAL_EVENT_CONN_DISCONNECTED)
		die("queued events: %d (%s, %s), expected established, disconnected", n,
		    n > 0 ? ual_event_name(ev[0].type) : "-",
		    n > 1 ? ual_event_name(ev[1].type) : "-");
	say("found established and disconnected queued, in order");
	return 0;
}
