// SPDX-License-Identifier: BSD-2-Clause
/*
 * al_common.c - what every guest test program of the access layer shares:
 * reporting, waiting for events and completions, one "side" (device,
 * queues, a registered buffer) and the connect/accept/message helpers.
 */
#include "al_common.h"

#include <netdb.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <time.h>
#include <unistd.h>

const char *role = "?";

void die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stdout, "FAIL: %s: ", role);
	va_start(ap, fmt);
	vfprintf(stdout, fmt, ap);
	va_end(ap);
	fputc('\n', stdout);
	fflush(stdout);
	exit(1);
}

void check(int rc, const struct ual_error *e, const char *what)
{
	char buf[512];

	if (rc)
		die("%s: %s", what, ual_strerror(e, buf, sizeof(buf)));
}

void say(const char *fmt, ...)
{
	va_list ap;

	printf("%s: ", role);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

struct ual_event next_event(struct side *s, int timeout_ms)
{
	struct ual_event ev;
	int n = ual_eq_wait(s->eq, &ev, 1, timeout_ms);

	if (n < 0)
		die("ual_eq_wait: %s", strerror(-n));
	if (n == 0)
		die("no event within %d ms", timeout_ms);
	return ev;
}

struct ual_event expect(struct side *s, enum ual_event_type type)
{
	struct ual_event ev = next_event(s, TIMEOUT_MS);
	char buf[512];

	if (ev.type != type)
		die("expected '%s', got '%s' (status %d): %s", ual_event_name(type),
		    ual_event_name(ev.type), ev.status,
		    ual_strerror(&ev.error, buf, sizeof(buf)));
	return ev;
}

struct ual_wc wait_wc(struct ual_cq *cq)
{
	struct ual_wc wc;
	int n = ual_cq_wait(cq, &wc, 1, TIMEOUT_MS);

	if (n < 0)
		die("ual_cq_wait: %s", strerror(-n));
	if (n == 0)
		die("no completion within %d ms", TIMEOUT_MS);
	if (wc.status != UAL_WC_SUCCESS)
		die("completion of %llu failed: %s (vendor %u)",
		    (unsigned long long)wc.context, ual_wc_status_str(wc.status),
		    wc.vendor_status);
	return wc;
}

struct ual_sge sge_at(struct side *s, size_t off, uint32_t len)
{
	struct ual_sge sge = { (uintptr_t)(s->buf + off), len, ual_mr_lkey(s->mr) };

	return sge;
}

void resolve(const char *text, int port, struct sockaddr_storage *ss)
{
	struct addrinfo hints = { .ai_flags = AI_NUMERICSERV }, *res;
	char svc[16];

	snprintf(svc, sizeof(svc), "%d", port);
	if (getaddrinfo(text, svc, &hints, &res))
		die("cannot resolve %s", text);
	memset(ss, 0, sizeof(*ss));
	memcpy(ss, res->ai_addr, res->ai_addrlen);
	freeaddrinfo(res);
}

/* ---- setup and teardown ----------------------------------------------- */

void open_side(struct side *s)
{
	struct ual_error e;

	check(ual_device_open(s->o.dev, &s->dev, &s->local, &e), &e, "ual_device_open");
	ual_device_query(s->dev, &s->attr);
	say("device %s port %u transport %s inline %u pdata connect/accept/reject %u/%u/%u",
	    s->attr.name, s->attr.port_num, ual_transport_name(s->attr.transport),
	    s->attr.max_inline, s->attr.pdata.connect, s->attr.pdata.accept,
	    s->attr.pdata.reject);
	check(ual_eq_create(s->dev, s, &s->eq, &e), &e, "ual_eq_create");
	check(ual_cq_create(s->dev, 256, NULL, &s->scq, &e), &e, "send cq");
	check(ual_cq_create(s->dev, 256, NULL, &s->rcq, &e), &e, "recv cq");
	s->buf = aligned_alloc(4096, BUF_LEN);
	if (!s->buf)
		die("out of memory");
	memset(s->buf, 0, BUF_LEN);
	check(ual_mr_reg(s->dev, s->buf, BUF_LEN,
			 UAL_ACCESS_LOCAL_WRITE | UAL_ACCESS_REMOTE_WRITE |
			 UAL_ACCESS_REMOTE_READ |
			 ((s->attr.caps & UAL_CAP_ATOMICS) ? UAL_ACCESS_REMOTE_ATOMIC : 0),
			 &s->mr, &e), &e, "ual_mr_reg");
}

void close_side(struct side *s)
{
	struct ual_error e;

	if (s->ep)
		check(ual_ep_destroy(s->ep, &e), &e, "ual_ep_destroy");
	if (s->srq)
		check(ual_srq_destroy(s->srq, &e), &e, "ual_srq_destroy");
	check(ual_mr_dereg(s->mr, &e), &e, "ual_mr_dereg");
	check(ual_cq_destroy(s->scq, &e), &e, "ual_cq_destroy");
	check(ual_cq_destroy(s->rcq, &e), &e, "ual_cq_destroy");
	ual_eq_destroy(s->eq);
	ual_device_close(s->dev);
	free(s->buf);
	s->dev = NULL;
	s->ep = NULL;
	s->srq = NULL;
}

int try_make_ep(struct side *s, enum ual_ep_type type, uint32_t wr,
		       struct ual_ep **ep, struct ual_error *e)
{
	struct ual_ep_attr a = {
		.type = type, .send_cq = s->scq, .recv_cq = s->rcq,
		.srq = s->srq, .max_send_wr = wr, .max_recv_wr = wr,
		.max_send_sge = 1, .max_recv_sge = 1,
		.max_rdma_read_in = 4, .max_rdma_read_out = 4,
		.local_addr = (struct sockaddr *)&s->local,
	};

	return ual_ep_create(s->dev, s->eq, &a, s, ep, e);
}

struct ual_ep *make_ep(struct side *s, enum ual_ep_type type,
			      uint32_t wr)
{
	struct ual_ep *ep;
	struct ual_error e;

	check(try_make_ep(s, type, wr, &ep, &e), &e, "ual_ep_create");
	return ep;
}

void post_recv_slot(struct side *s, int slot)
{
	struct ual_sge sge = sge_at(s, (size_t)slot * MSG_LEN, MSG_LEN);
	int rc = s->srq ? ual_srq_post_recv(s->srq, &sge, 1, (uint64_t)slot)
			: ual_post_recv(s->ep, &sge, 1, (uint64_t)slot);

	if (rc)
		die("post recv: %s", strerror(-rc));
}

void send_msg(struct side *s, const char *text)
{
	struct ual_sge sge = sge_at(s, R_SEND * REGION, MSG_LEN);
	int rc;

	snprintf((char *)s->buf + R_SEND * REGION, MSG_LEN, "%s", text);
	rc = ual_post_send(s->ep, &sge, 1, 1000, UAL_POST_SIGNALED);
	if (rc)
		die("post send: %s", strerror(-rc));
	wait_wc(s->scq);
}

/* Waits for one message; returns it, the receive slot re-posted. */
const char *recv_msg(struct side *s, struct ual_wc *out)
{
	static char text[MSG_LEN];
	struct ual_wc wc = wait_wc(s->rcq);
	int slot = (int)wc.context;

	memcpy(text, s->buf + (size_t)slot * MSG_LEN, MSG_LEN);
	text[MSG_LEN - 1] = '\0';
	post_recv_slot(s, slot);
	if (out)
		*out = wc;
	return text;
}

void fill(uint8_t *p, size_t len, uint8_t seed)
{
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = (uint8_t)(seed + i * 7);
}

bool verify(const uint8_t *p, size_t len, uint8_t seed)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i] != (uint8_t)(seed + i * 7))
			return false;
	return true;
}

struct sockaddr_storage listen_addr(struct side *s)
{
	struct sockaddr_storage ss;

	if (s->o.addr)
		resolve(s->o.addr, s->o.port, &ss);
	else
		resolve("::", s->o.port, &ss);
	return ss;
}

struct ual_listener *start_listen(struct side *s, enum ual_ep_type type)
{
	struct sockaddr_storage ss = listen_addr(s);
	struct ual_listener *ls;
	struct ual_error e;

	check(ual_listen(s->dev, s->eq, (struct sockaddr *)&ss, type, 1024, s, &ls, &e),
	      &e, "ual_listen");
	say("ready port %u", ual_listener_port(ls));
	return ls;
}

/* ---- basic / srq / retry: server ------------------------------------- */

void server_accept(struct side *s, struct ual_conn_req *req)
{
	struct advert adv = {
		.addr = (uintptr_t)s->buf, .rkey = ual_mr_rkey(s->mr),
		.len = BUF_LEN, .tag = "ual-test-server",
	};
	struct ual_error e;
	int i;

	s->ep = make_ep(s, UAL_EP_RC, 64);
	for (i = 0; i < RECV_SLOTS; i++)
		post_recv_slot(s, i);
	check(ual_accept(req, s->ep, &adv, sizeof(adv), &e), &e, "ual_accept");
}

void finish_disconnect(struct side *s, bool initiator)
{
	struct ual_error e;

	if (initiator) {
		check(ual_ep_disconnect(s->ep, &e), &e, "ual_ep_disconnect");
		say("disconnect sent");
	}
	expect(s, UAL_EVENT_CONN_DISCONNECTED);
	say("disconnected (%s)", initiator ? "local" : "by peer");
}

void client_connect(struct side *s, uint32_t retries)
{
	struct ual_connect_opts co = { .retries = retries, .backoff_initial_ms = 200,
				       .backoff_max_ms = 2000 };
	struct sockaddr_storage dst;
	uint8_t pdata[40];
	struct ual_event ev;
	struct ual_error e;
	int i;

	resolve(s->o.addr, s->o.port, &dst);
	s->ep = make_ep(s, UAL_EP_RC, 64);
	/*
	 * A retried connect resets the QP (flushing posted receives), so a
	 * retrying client posts its receives once connected; it speaks
	 * first anyway, so nothing can arrive before.
	 */
	for (i = 0; !retries && i < RECV_SLOTS; i++)
		post_recv_slot(s, i);
	memcpy(pdata, "ual-test-client", 16);
	fill(pdata + 16, 24, 3);
	check(ual_ep_connect(s->ep, (struct sockaddr *)&dst, pdata, sizeof(pdata), &co, &e),
	      &e, "ual_ep_connect");
	ev = expect(s, UAL_EVENT_CONN_ESTABLISHED);
	for (i = 0; retries && i < RECV_SLOTS; i++)
		post_recv_slot(s, i);
	if (ev.private_data_len < sizeof(s->peer))
		die("accept private data too short: %u", ev.private_data_len);
	memcpy(&s->peer, ev.private_data, sizeof(s->peer));
	if (strcmp(s->peer.tag, "ual-test-server"))
		die("accept private data tag wrong");
	say("established, %u bytes of accept private data%s", ev.private_data_len,
	    (ev.flags & UAL_EVFLAG_ACTIVE_SENDS_FIRST) ? ", active sends first" : "");
}

void expect_msg(struct side *s, const char *want)
{
	const char *got = recv_msg(s, NULL);

	if (strcmp(got, want))
		die("expected '%s', got '%s'", want, got);
}


/* Whether /dev/infiniband/uverbsN (@target) is a context of device @ibdev. */
static bool uverbs_of(const char *target, const char *ibdev)
{
	const char *node = strstr(target, "uverbs");
	char path[128], name[64] = "";
	FILE *f;

	if (!node || strncmp(target, "/dev/infiniband/", 16))
		return false;
	snprintf(path, sizeof(path), "/sys/class/infiniband_verbs/%s/ibdev", node);
	f = fopen(path, "r");
	if (!f)
		return false;
	if (!fgets(name, sizeof(name), f))
		name[0] = '\0';
	fclose(f);
	name[strcspn(name, "\n")] = '\0';
	return !strcmp(name, ibdev);
}

/* Open fds of this process whose link target @match accepts. */
static int count_open_fds(bool (*match)(const char *target, const char *arg),
			  const char *arg)
{
	char path[300], target[256];
	struct dirent *d;
	int count = 0;
	ssize_t len;
	DIR *dir;

	dir = opendir("/proc/self/fd");
	if (!dir)
		return -1;
	while ((d = readdir(dir))) {
		snprintf(path, sizeof(path), "/proc/self/fd/%s", d->d_name);
		len = readlink(path, target, sizeof(target) - 1);
		if (len <= 0)
			continue;
		target[len] = '\0';
		count += match(target, arg);
	}
	closedir(dir);
	return count;
}

static bool contains(const char *target, const char *needle)
{
	return strstr(target, needle) != NULL;
}

int count_fds(const char *needle)
{
	return count_open_fds(contains, needle);
}

int count_verbs_contexts(const char *ibdev)
{
	return count_open_fds(uverbs_of, ibdev);
}

/* ---- unreliable datagrams: receives behind a GRH slot --------------- */

void ud_post_recvs(struct side *s)
{
	int i;

	for (i = 0; i < RECV_SLOTS; i++) {
		struct ual_sge sge = sge_at(s, (size_t)i * UD_SLOT, UD_SLOT);

		if (ual_post_recv(s->ep, &sge, 1, (uint64_t)i))
			die("post UD recv");
	}
}

void ud_send(struct side *s, struct ual_ah *ah, uint32_t qpn, uint32_t qkey,
	     const char *text)
{
	struct ual_sge sge = sge_at(s, R_SEND * REGION, MSG_LEN);
	int rc;

	snprintf((char *)s->buf + R_SEND * REGION, MSG_LEN, "%s", text);
	rc = ual_post_send_ud(s->ep, &sge, 1, ah, qpn, qkey, 9, UAL_POST_SIGNALED);
	if (rc)
		die("post UD send: %s", strerror(-rc));
	wait_wc(s->scq);
}

const char *ud_recv(struct side *s, struct ual_wc *wc)
{
	*wc = wait_wc(s->rcq);
	say("UD receive: src_qp %u slid %u sl %u%s", wc->src_qp, wc->slid, wc->sl,
	    (wc->flags & UAL_WC_WITH_GRH) ? ", GRH" : "");
	return (const char *)s->buf + wc->context * UD_SLOT + UAL_UD_GRH_LEN;
}

/* Waits for "ud-ping" and answers its sender through an AH made from it. */
void ud_answer_ping(struct side *s)
{
	struct ual_error e;
	struct ual_ah *ah;
	struct ual_wc wc;
	const char *msg = ud_recv(s, &wc);

	if (strcmp(msg, "ud-ping"))
		die("UD message '%s'", msg);
	check(ual_ah_create_from_wc(s->ep, &wc, s->buf + wc.context * UD_SLOT, &ah, &e),
	      &e, "ual_ah_create_from_wc");
	ud_send(s, ah, wc.src_qp, UDP_QKEY, "ud-pong");
	say("UD ping answered");
	ual_ah_destroy(ah);
}
