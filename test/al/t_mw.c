// SPDX-License-Identifier: BSD-2-Clause
/*
 * t_mw.c - memory windows (ual_test --test mw).
 *
 * The server owns a 4-page region registered with local write and MW-bind
 * access only, so its own key grants nothing remotely; every remote access
 * goes through a window over its second page.  Each step is one connection,
 * because a remote access error moves both QPs to the error state:
 *
 *   inside     type 1, read+write: a write and a read inside work
 *   below      a write just below the window fails, memory unchanged
 *   beyond     a write across the window's end fails, memory unchanged
 *   rights     read-only window: a read works, a write fails
 *   unbind1    type 1: a write works; after ual_mw_unbind it fails
 *   inv2       type 2: a write works; after a local invalidate it fails
 *   sendinv    type 2: the client's send with invalidate revokes it
 *              (the server's receive has WITH_INV and the key); then a
 *              write fails
 *   binderr    binding a bound type 2 window again completes with
 *              UAL_WC_MW_BIND
 *
 * "Fails" means the client's completion is UAL_WC_REMOTE_ACCESS and the
 * server's region still holds its pattern.  On a device without windows
 * (siw) the server alone checks that every window call is refused with
 * -EOPNOTSUPP and a text.
 */
#include "al_common.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WIN_REGION (4 * REGION)
#define WIN_OFF REGION
#define WIN_LEN REGION
#define PATTERN 41
#define PROBE 64

enum step { INSIDE, BELOW, BEYOND, RIGHTS, UNBIND1, INV2, SENDINV, BINDERR,
	    STEPS };

static const char *const step_name[STEPS] = {
	"inside", "below", "beyond", "rights", "unbind1", "inv2", "sendinv",
	"binderr",
};

struct wside {
	struct side *s;
	uint8_t *wbuf;
	struct ual_mr *wmr;
	struct ual_mw *mw1;
};

/* ---- helpers ---------------------------------------------------- */

static struct ual_wc wait_any(struct ual_cq *cq)
{
	struct ual_wc wc;
	int n = ual_cq_wait(cq, &wc, 1, TIMEOUT_MS);

	if (n <= 0)
		die("no completion (%d)", n);
	return wc;
}

static void drain(struct side *s)
{
	struct ual_wc wc[16];

	while (ual_cq_poll(s->scq, wc, 16) > 0)
		;
	while (ual_cq_poll(s->rcq, wc, 16) > 0)
		;
}

/* Ends a connection whatever state its QP is in. */
static void end_conn(struct side *s, bool initiator)
{
	struct ual_event ev;
	struct ual_error e;

	if (initiator)
		check(ual_ep_disconnect(s->ep, &e), &e, "ual_ep_disconnect");
	for (;;) {
		ev = next_event(s, TIMEOUT_MS);
		if (ev.type == UAL_EVENT_CONN_DISCONNECTED ||
		    ev.type == UAL_EVENT_CONN_BROKEN)
			break;
		say("event %s while ending", ual_event_name(ev.type));
	}
	check(ual_ep_destroy(s->ep, &e), &e, "ual_ep_destroy");
	s->ep = NULL;
	drain(s);
}

/* ---- server ----------------------------------------------------- */

static void bind_ok(struct wside *w, struct ual_mw *mw, unsigned int rights,
		    uint32_t *rkey)
{
	struct side *s = w->s;
	char why[256];
	struct ual_wc wc;
	int rc;

	rc = ual_mw_bind(s->ep, mw, w->wmr, (uintptr_t)(w->wbuf + WIN_OFF),
			 WIN_LEN, rights, 7, UAL_POST_SIGNALED, rkey);
	if (rc)
		die("ual_mw_bind: %s", ual_post_strerror(rc, s->ep, why, sizeof(why)));
	wc = wait_wc(s->scq);
	if (wc.opcode != UAL_WC_BIND_MW || wc.context != 7)
		die("bind completion opcode %d context %" PRIu64, wc.opcode,
		    wc.context);
}

static void unbind_ok(struct wside *w, struct ual_mw *mw)
{
	struct side *s = w->s;
	enum ual_wc_opcode want = ual_mw_type(mw) == UAL_MW_TYPE1 ?
				  UAL_WC_BIND_MW : UAL_WC_LOCAL_INV;
	char why[256];
	struct ual_wc wc;
	int rc;

	rc = ual_mw_unbind(s->ep, mw, 8, UAL_POST_SIGNALED);
	if (rc)
		die("ual_mw_unbind: %s", ual_post_strerror(rc, s->ep, why, sizeof(why)));
	wc = wait_wc(s->scq);
	if (wc.opcode != want)
		die("unbind completion opcode %d, want %d", wc.opcode, want);
}

static void advertise(struct wside *w, uint32_t rkey)
{
	char msg[MSG_LEN];

	snprintf(msg, sizeof(msg), "W %x %" PRIx64 " %x", rkey,
		 (uint64_t)(uintptr_t)(w->wbuf + WIN_OFF), WIN_LEN);
	send_msg(w->s, msg);
}

static void region_intact(struct wside *w, const char *when)
{
	if (!verify(w->wbuf, WIN_REGION, PATTERN))
		die("%s: the region changed", when);
	say("%s: region unchanged", when);
}

/* Calls refused before anything reaches the device. */
static void server_refusals(struct wside *w)
{
	struct side *s = w->s;
	struct ual_mr *plain;
	struct ual_error e;
	char why[256];
	uint32_t rkey;
	int rc;

	rc = ual_mw_bind(s->ep, w->mw1, s->mr, (uintptr_t)s->buf, 64,
			 UAL_ACCESS_REMOTE_READ, 0, 0, &rkey);
	if (rc != -EINVAL)
		die("bind to a region without MW-bind access gave %d", rc);
	say("refused: %s", ual_post_strerror(rc, s->ep, why, sizeof(why)));
	rc = ual_mw_bind(s->ep, w->mw1, w->wmr,
			 (uintptr_t)(w->wbuf + WIN_REGION - 64), 128,
			 UAL_ACCESS_REMOTE_READ, 0, 0, &rkey);
	if (rc != -EINVAL)
		die("bind past the region's end gave %d", rc);
	check(ual_mr_reg(s->dev, w->wbuf, WIN_REGION,
			 UAL_ACCESS_REMOTE_READ | UAL_ACCESS_MW_BIND, &plain, &e),
	      &e, "ual_mr_reg read-only");
	rc = ual_mw_bind(s->ep, w->mw1, plain, (uintptr_t)w->wbuf, 64,
			 UAL_ACCESS_REMOTE_WRITE, 0, 0, &rkey);
	if (rc != -EINVAL)
		die("writable window on a region without local write gave %d", rc);
	check(ual_mr_dereg(plain, &e), &e, "ual_mr_dereg");
	say("refused up front: no MW-bind access, past the end, writable on read-only");
}

static void server_step(struct wside *w, enum step st)
{
	struct side *s = w->s;
	unsigned int rw = UAL_ACCESS_REMOTE_READ | UAL_ACCESS_REMOTE_WRITE;
	struct ual_mw *mw2 = NULL;
	struct ual_error e;
	struct ual_wc wc;
	const char *msg;
	uint32_t rkey;
	int rc;

	switch (st) {
	case INSIDE:
		server_refusals(w);
		bind_ok(w, w->mw1, rw, &rkey);
		advertise(w, rkey);
		expect_msg(s, "ok");
		if (!verify(w->wbuf + WIN_OFF, PROBE, 99) ||
		    !verify(w->wbuf, WIN_OFF, PATTERN) ||
		    !verify(w->wbuf + WIN_OFF + PROBE, WIN_REGION - WIN_OFF - PROBE,
			    (uint8_t)(PATTERN + (WIN_OFF + PROBE) * 7)))
			die("inside: write through the window landed wrong");
		say("inside: the write landed in the window and nowhere else");
		break;
	case BELOW:
	case BEYOND:
		bind_ok(w, w->mw1, rw, &rkey);
		advertise(w, rkey);
		break;
	case RIGHTS:
		bind_ok(w, w->mw1, UAL_ACCESS_REMOTE_READ, &rkey);
		advertise(w, rkey);
		break;
	case UNBIND1:
		bind_ok(w, w->mw1, rw, &rkey);
		advertise(w, rkey);
		expect_msg(s, "ok");
		unbind_ok(w, w->mw1);
		fill(w->wbuf, WIN_REGION, PATTERN);
		send_msg(s, "gone");
		break;
	case INV2:
	case SENDINV:
		check(ual_mw_alloc(s->dev, UAL_MW_TYPE2, &mw2, &e), &e,
		      "ual_mw_alloc type 2");
		bind_ok(w, mw2, rw, &rkey);
		advertise(w, rkey);
		if (st == INV2) {
			expect_msg(s, "ok");
			unbind_ok(w, mw2);
		} else {
			msg = recv_msg(s, &wc);
			if (strcmp(msg, "inv") || !(wc.flags & UAL_WC_WITH_INV) ||
			    wc.invalidated_rkey != rkey)
				die("sendinv: got '%s' flags %#x rkey %#x (window %#x)",
				    msg, wc.flags, wc.invalidated_rkey, rkey);
			say("sendinv: receive has WITH_INV and the window's key %#x",
			    rkey);
		}
		fill(w->wbuf, WIN_REGION, PATTERN);
		send_msg(s, "gone");
		break;
	case BINDERR:
		check(ual_mw_alloc(s->dev, UAL_MW_TYPE2, &mw2, &e), &e,
		      "ual_mw_alloc type 2");
		send_msg(s, "bye");
		bind_ok(w, mw2, rw, &rkey);
		rc = ual_mw_bind(s->ep, mw2, w->wmr, (uintptr_t)(w->wbuf + WIN_OFF),
				 WIN_LEN, rw, 9, UAL_POST_SIGNALED, &rkey);
		if (rc)
			die("second bind refused at post: %d", rc);
		wc = wait_any(s->scq);
		if (wc.status != UAL_WC_MW_BIND)
			die("second bind: status '%s' (vendor %u), want MW bind error",
			    ual_wc_status_str(wc.status), wc.vendor_status);
		say("binderr: bound type 2 window bound again -> '%s' (vendor %u)",
		    ual_wc_status_str(wc.status), wc.vendor_status);
		break;
	default:
		break;
	}
	/* binderr: our QP is in error and the peer waits for our disconnect */
	end_conn(s, st == BINDERR);
	if (st != INSIDE)
		region_intact(w, step_name[st]);
	if (mw2)
		check(ual_mw_dealloc(mw2, &e), &e, "ual_mw_dealloc");
	say("step %s done", step_name[st]);
}

static int server_no_windows(struct side *s)
{
	struct ual_mr *mr;
	struct ual_mw *mw;
	struct ual_error e;
	struct ual_sge sge = sge_at(s, 0, 8);
	char buf[512];
	int rc, t;

	if (s->attr.max_mw)
		die("no window caps but max_mw %u", s->attr.max_mw);
	for (t = UAL_MW_TYPE1; t <= UAL_MW_TYPE2; t++) {
		rc = ual_mw_alloc(s->dev, t, &mw, &e);
		if (rc != -EOPNOTSUPP)
			die("ual_mw_alloc type %d gave %d", t, rc);
		say("ual_mw_alloc type %d: %s", t, ual_strerror(&e, buf, sizeof(buf)));
	}
	rc = ual_mr_reg(s->dev, s->buf, REGION,
			UAL_ACCESS_LOCAL_WRITE | UAL_ACCESS_MW_BIND, &mr, &e);
	if (rc != -EOPNOTSUPP)
		die("ual_mr_reg with MW_BIND gave %d", rc);
	say("ual_mr_reg MW_BIND: %s", ual_strerror(&e, buf, sizeof(buf)));
	s->ep = make_ep(s, UAL_EP_RC, 16);
	rc = ual_post_local_inv(s->ep, 0x1234, 0, 0);
	if (rc != -EOPNOTSUPP)
		die("ual_post_local_inv gave %d", rc);
	say("ual_post_local_inv: %s", ual_post_strerror(rc, s->ep, buf, sizeof(buf)));
	rc = ual_post_send_inv(s->ep, &sge, 1, 0x1234, 0, 0);
	if (rc != -EOPNOTSUPP)
		die("ual_post_send_inv gave %d", rc);
	say("ual_post_send_inv: %s", ual_post_strerror(rc, s->ep, buf, sizeof(buf)));
	if (!strstr(buf, "not supported"))
		die("refusal text does not say why");
	check(ual_ep_destroy(s->ep, &e), &e, "ual_ep_destroy");
	s->ep = NULL;
	say("PASS mw (no windows on %s: every call refused)", s->attr.name);
	return 0;
}

int run_server_mw(struct side *s)
{
	struct ual_listener *ls;
	struct ual_event ev;
	struct ual_error e;
	struct wside w = { .s = s };
	int st;

	say("caps%s%s max_mw %u",
	    (s->attr.caps & UAL_CAP_MW_TYPE1) ? " MW_TYPE1" : "",
	    (s->attr.caps & UAL_CAP_MW_TYPE2) ? " MW_TYPE2" : "", s->attr.max_mw);
	if (!(s->attr.caps & (UAL_CAP_MW_TYPE1 | UAL_CAP_MW_TYPE2)))
		return server_no_windows(s);
	if ((s->attr.caps & (UAL_CAP_MW_TYPE1 | UAL_CAP_MW_TYPE2)) !=
	    (UAL_CAP_MW_TYPE1 | UAL_CAP_MW_TYPE2))
		die("this test needs both window types");
	w.wbuf = aligned_alloc(4096, WIN_REGION);
	if (!w.wbuf)
		die("out of memory");
	fill(w.wbuf, WIN_REGION, PATTERN);
	check(ual_mr_reg(s->dev, w.wbuf, WIN_REGION,
			 UAL_ACCESS_LOCAL_WRITE | UAL_ACCESS_MW_BIND, &w.wmr, &e),
	      &e, "ual_mr_reg MW_BIND");
	check(ual_mw_alloc(s->dev, UAL_MW_TYPE1, &w.mw1, &e), &e,
	      "ual_mw_alloc type 1");
	ls = start_listen(s, UAL_EP_RC);
	for (st = 0; st < STEPS; st++) {
		ev = expect(s, UAL_EVENT_CONN_REQUEST);
		server_accept(s, ev.req);
		expect(s, UAL_EVENT_CONN_ESTABLISHED);
		fill(w.wbuf, WIN_REGION, PATTERN);
		server_step(&w, st);
	}
	ual_listener_destroy(ls);
	check(ual_mw_dealloc(w.mw1, &e), &e, "ual_mw_dealloc");
	check(ual_mr_dereg(w.wmr, &e), &e, "ual_mr_dereg");
	free(w.wbuf);
	say("PASS mw");
	return 0;
}

/* ---- client ----------------------------------------------------- */

struct window {
	uint32_t rkey;
	uint64_t addr;
	uint32_t len;
};

static struct window get_window(struct side *s)
{
	const char *msg = recv_msg(s, NULL);
	struct window w;

	if (sscanf(msg, "W %x %" SCNx64 " %x", &w.rkey, &w.addr, &w.len) != 3)
		die("expected a window, got '%s'", msg);
	return w;
}

static struct ual_wc rdma(struct side *s, bool write, uint64_t raddr,
			  uint32_t rkey)
{
	size_t off = write ? R_SOURCE * REGION : R_TARGET * REGION;
	struct ual_sge sge = sge_at(s, off, PROBE);
	int rc;

	memset(s->buf + R_TARGET * REGION, 0, PROBE);
	rc = write ? ual_post_write(s->ep, &sge, 1, raddr, rkey, 5, UAL_POST_SIGNALED)
		   : ual_post_read(s->ep, &sge, 1, raddr, rkey, 5, UAL_POST_SIGNALED);
	if (rc)
		die("post %s: %s", write ? "write" : "read", strerror(-rc));
	return wait_any(s->scq);
}

static void must_work(struct side *s, bool write, uint64_t raddr,
		      uint32_t rkey, const char *what)
{
	struct ual_wc wc = rdma(s, write, raddr, rkey);

	if (wc.status != UAL_WC_SUCCESS)
		die("%s: %s failed: %s", what, write ? "write" : "read",
		    ual_wc_status_str(wc.status));
	say("%s: %s inside the window works", what, write ? "write" : "read");
}

static void must_fail(struct side *s, bool write, uint64_t raddr,
		      uint32_t rkey, const char *what)
{
	struct ual_wc wc = rdma(s, write, raddr, rkey);

	if (wc.status != UAL_WC_REMOTE_ACCESS)
		die("%s: %s gave '%s' (vendor %u), want remote access error",
		    what, write ? "write" : "read", ual_wc_status_str(wc.status),
		    wc.vendor_status);
	say("%s: %s refused: %s", what, write ? "write" : "read",
	    ual_wc_status_str(wc.status));
}

static void client_step(struct side *s, enum step st)
{
	const char *what = step_name[st];
	struct ual_sge sge = sge_at(s, R_SEND * REGION, MSG_LEN);
	struct window w;
	int rc;

	if (st == BINDERR) {
		expect_msg(s, "bye");
		return;
	}
	w = get_window(s);
	switch (st) {
	case INSIDE:
		must_work(s, true, w.addr, w.rkey, what);
		must_work(s, false, w.addr, w.rkey, what);
		if (!verify(s->buf + R_TARGET * REGION, PROBE, 99))
			die("inside: read back wrong data");
		send_msg(s, "ok");
		break;
	case BELOW:
		must_fail(s, true, w.addr - PROBE, w.rkey, what);
		break;
	case BEYOND:
		must_fail(s, true, w.addr + w.len - PROBE / 2, w.rkey, what);
		break;
	case RIGHTS:
		must_work(s, false, w.addr, w.rkey, what);
		must_fail(s, true, w.addr, w.rkey, what);
		break;
	case UNBIND1:
	case INV2:
		must_work(s, true, w.addr, w.rkey, what);
		send_msg(s, "ok");
		expect_msg(s, "gone");
		must_fail(s, true, w.addr, w.rkey, what);
		break;
	case SENDINV:
		must_work(s, true, w.addr, w.rkey, what);
		snprintf((char *)s->buf + R_SEND * REGION, MSG_LEN, "inv");
		rc = ual_post_send_inv(s->ep, &sge, 1, w.rkey, 1000,
				       UAL_POST_SIGNALED);
		if (rc)
			die("ual_post_send_inv: %s", strerror(-rc));
		wait_wc(s->scq);
		expect_msg(s, "gone");
		must_fail(s, true, w.addr, w.rkey, what);
		break;
	default:
		break;
	}
}

int run_client_mw(struct side *s)
{
	int st;

	fill(s->buf + R_SOURCE * REGION, PROBE, 99);
	for (st = 0; st < STEPS; st++) {
		client_connect(s, 0);
		client_step(s, st);
		end_conn(s, st != BINDERR);
		say("step %s done", step_name[st]);
	}
	say("PASS mw");
	return 0;
}
