// SPDX-License-Identifier: BSD-2-Clause
/*
 * ual_bench.c - latency and bandwidth through the access layer, measured
 * the way perftest measures raw verbs, so that the two can be compared in
 * one guest run (see bench.sh):
 *
 *   send_lat   ping-pong of sends, one-way latency = RTT/2 (ib_send_lat)
 *   write_lat  ping-pong of RDMA writes, each side polling the last byte
 *              of its buffer (ib_write_lat)
 *   write_bw   stream of RDMA writes, up to the TX depth in flight, one
 *              completion every cq-mod posts (ib_write_bw)
 *
 * Defaults follow perftest 4.5: 2 bytes x 1000 iterations for latency,
 * 65536 bytes x 5000 iterations for bandwidth, TX depth 1 (latency) or
 * 128, 512 receives for the send test.  perftest picks its inline size
 * and CQ moderation per device and prints them; --inline and --cq-mod
 * take those values (bench.sh passes them), so that both tools post the
 * same work requests.  Without --inline the layer decides (it inlines
 * whatever fits the endpoint).  Completions are polled (busy), as
 * perftest does.  Latency is reported as perftest reports it: half of the
 * gap between consecutive posts, t_min and t_typical (median).
 * Bandwidth is in MB/s with MB = 2^20 bytes, perftest's unit.  Output:
 * one "RESULT" line.
 */
#include <config.h>

#include <errno.h>
#include <getopt.h>
#include <netdb.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <ual/ual.h>

/* perftest 4.5 defaults; bench.sh passes the values perftest printed. */
#define LAT_TX_DEPTH 1
#define BW_TX_DEPTH 128
#define RX_DEPTH 512
#define BW_CQ_MOD 100
#define POLL_BATCH 16	/* perftest's CTX_POLL_BATCH */
#define TIMEOUT_MS 60000

enum { OPT_TX_DEPTH = 256 };	/* long options without a short form */

struct peer_buf {
	uint64_t addr;
	uint32_t rkey;
	uint32_t pad;
};

struct bench {
	bool server;
	const char *dev, *addr, *test;
	int port, iters;
	int tx_depth, rx_depth, cq_mod;
	int inline_max;		/* payloads up to this go inline; -1: the layer decides */
	unsigned int post_flags;
	uint32_t size;
	struct ual_device *d;
	struct sockaddr_storage local;
	struct ual_eq *eq;
	struct ual_cq *scq, *rcq;
	struct ual_ep *ep;
	struct ual_mr *mr;
	uint8_t *buf;	/* [0,size): send/write source, [size,2size): target */
	struct peer_buf peer;
};

static void die(const char *what, const struct ual_error *e)
{
	char buf[512];

	fprintf(stderr, "ual_bench: %s: %s\n", what,
		e ? ual_strerror(e, buf, sizeof(buf)) : "failed");
	exit(1);
}

static double now_us_clock(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

#if defined(__x86_64__) || defined(__i386__)
/*
 * perftest stamps posts with the TSC (get_cycles).  clock_gettime can be
 * a real system call in the guest (no stable TSC clocksource under TCG)
 * and would add microseconds to every measured round trip; read the TSC
 * too, scaled by a rate measured against the monotonic clock.
 */
static double tsc_per_us;

static void clock_init(void)
{
	double t0 = now_us_clock(), t1;
	uint64_t c0 = __builtin_ia32_rdtsc(), c1;

	do {
		t1 = now_us_clock();
	} while (t1 - t0 < 200000);
	c1 = __builtin_ia32_rdtsc();
	tsc_per_us = (double)(c1 - c0) / (t1 - t0);
}

static double now_us(void)
{
	return (double)__builtin_ia32_rdtsc() / tsc_per_us;
}
#else
static const double tsc_per_us;

static void clock_init(void)
{
}

static double now_us(void)
{
	return now_us_clock();
}
#endif

static struct ual_event expect(struct bench *b, enum ual_event_type t)
{
	struct ual_event ev;

	if (ual_eq_wait(b->eq, &ev, 1, TIMEOUT_MS) != 1 || ev.type != t) {
		fprintf(stderr, "ual_bench: expected %s\n", ual_event_name(t));
		exit(1);
	}
	return ev;
}

static void poll_one(struct ual_cq *cq)
{
	struct ual_wc wc;
	int n;

	while ((n = ual_cq_poll(cq, &wc, 1)) == 0)
		;
	if (n < 0 || wc.status != UAL_WC_SUCCESS) {
		fprintf(stderr, "ual_bench: completion failed: %s\n",
			n < 0 ? "poll error" : ual_wc_status_str(wc.status));
		exit(1);
	}
}

static void setup(struct bench *b)
{
	struct ual_ep_attr a = { .type = UAL_EP_RC,
				 .max_send_wr = (uint32_t)b->tx_depth,
				 .max_recv_wr = (uint32_t)b->rx_depth,
				 .max_send_sge = 1, .max_recv_sge = 1 };
	size_t len = 2 * (size_t)b->size + 64;
	struct ual_error e;

	if (ual_device_open(b->dev, &b->d, &b->local, &e))
		die("ual_device_open", &e);
	if (ual_eq_create(b->d, NULL, &b->eq, &e) ||
	    ual_cq_create(b->d, b->tx_depth, NULL, &b->scq, &e) ||
	    ual_cq_create(b->d, b->rx_depth, NULL, &b->rcq, &e))
		die("queues", &e);
	b->buf = aligned_alloc(4096, (len + 4095) & ~(size_t)4095);
	memset(b->buf, 0, len);
	if (ual_mr_reg(b->d, b->buf, len, UAL_ACCESS_LOCAL_WRITE |
		       UAL_ACCESS_REMOTE_WRITE | UAL_ACCESS_REMOTE_READ, &b->mr, &e))
		die("ual_mr_reg", &e);
	a.send_cq = b->scq;
	a.recv_cq = b->rcq;
	a.local_addr = (struct sockaddr *)&b->local;
	/*
	 * A QP asked for no inline room gets the provider's minimum: with
	 * 512 bytes of inline room, every rxe send WQE carries 512 bytes.
	 */
	if (b->inline_max >= 0)
		a.max_inline = b->inline_max ? (uint32_t)b->inline_max : 1;
	b->post_flags = b->inline_max >= 0 && b->size > (uint32_t)b->inline_max ?
			UAL_POST_NO_INLINE : 0;
	if (ual_ep_create(b->d, b->eq, &a, NULL, &b->ep, &e))
		die("ual_ep_create", &e);
}

static struct ual_sge src_sge(struct bench *b)
{
	struct ual_sge s = { (uintptr_t)b->buf, b->size, ual_mr_lkey(b->mr) };

	return s;
}

static struct ual_sge dst_sge(struct bench *b)
{
	struct ual_sge s = { (uintptr_t)b->buf + b->size, b->size, ual_mr_lkey(b->mr) };

	return s;
}

static void post_recv(struct bench *b)
{
	struct ual_sge s = dst_sge(b);

	if (ual_post_recv(b->ep, &s, 1, 0))
		die("post recv", NULL);
}

static void resolve(struct bench *b, struct sockaddr_storage *ss)
{
	struct addrinfo hints = { .ai_flags = AI_NUMERICSERV }, *res;
	char svc[16];

	snprintf(svc, sizeof(svc), "%d", b->port);
	if (getaddrinfo(b->addr ? b->addr : "::", svc, &hints, &res))
		die("getaddrinfo", NULL);
	memset(ss, 0, sizeof(*ss));
	memcpy(ss, res->ai_addr, res->ai_addrlen);
	freeaddrinfo(res);
}

static void connect_pair(struct bench *b)
{
	struct peer_buf mine = { (uintptr_t)b->buf + b->size, ual_mr_rkey(b->mr), 0 };
	struct sockaddr_storage ss;
	struct ual_listener *ls;
	struct ual_event ev;
	struct ual_error e;
	int i;

	/* perftest posts its whole receive queue up front, sends or not. */
	for (i = 0; i < b->rx_depth; i++)
		post_recv(b);
	resolve(b, &ss);
	if (b->server) {
		if (ual_listen(b->d, b->eq, (struct sockaddr *)&ss, UAL_EP_RC, 8, NULL, &ls, &e))
			die("ual_listen", &e);
		printf("ready port %u\n", ual_listener_port(ls));
		fflush(stdout);
		ev = expect(b, UAL_EVENT_CONN_REQUEST);
		memcpy(&b->peer, ev.private_data, sizeof(b->peer));
		if (ual_accept(ev.req, b->ep, &mine, sizeof(mine), &e))
			die("ual_accept", &e);
		expect(b, UAL_EVENT_CONN_ESTABLISHED);
		ual_listener_destroy(ls);
		return;
	}
	if (ual_ep_connect(b->ep, (struct sockaddr *)&ss, &mine, sizeof(mine), NULL, &e))
		die("ual_ep_connect", &e);
	ev = expect(b, UAL_EVENT_CONN_ESTABLISHED);
	memcpy(&b->peer, ev.private_data, sizeof(b->peer));
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/*
 * perftest's report (print_report_lat): the gaps between consecutive
 * posts are round trips; sorted, halved, min is the smallest, typical
 * the median, as "t_min" and "t_typical".
 */
static void report_lat(struct bench *b, const double *posted)
{
	int n = b->iters - 1, i;
	double *gap = calloc((size_t)n, sizeof(*gap)), sum = 0, median;

	if (!gap)
		die("out of memory", NULL);
	for (i = 0; i < n; i++) {
		gap[i] = posted[i + 1] - posted[i];
		sum += gap[i];
	}
	qsort(gap, (size_t)n, sizeof(*gap), cmp_double);
	median = n % 2 ? gap[n / 2] : (gap[n / 2] + gap[n / 2 - 1]) / 2;
	printf("RESULT %s bytes=%u iters=%d t_min_us=%.2f t_typical_us=%.2f t_avg_us=%.2f tsc_mhz=%.1f\n",
	       b->test, b->size, b->iters, gap[0] / 2, median / 2, sum / n / 2,
	       tsc_per_us);
	free(gap);
}

static double *posted_times(struct bench *b)
{
	double *t = calloc((size_t)b->iters, sizeof(*t));

	if (!t)
		die("out of memory", NULL);
	return t;
}

/*
 * ib_send_lat's loop (run_iter_lat_send): receive (the client skips this
 * before its first send), re-post the receive only while the receives
 * still to come exceed what is posted, then send and wait for the send's
 * completion.  Every send is signaled: perftest's latency tests have a
 * TX depth of 1.  iWARP: the client sends first, as MPA wants.
 */
static void send_lat(struct bench *b)
{
	struct ual_sge s = src_sge(b);
	double *posted = posted_times(b);
	int scnt = 0, rcnt = 0;

	while (scnt < b->iters || rcnt < b->iters) {
		if (rcnt < b->iters && !(scnt < 1 && !b->server)) {
			poll_one(b->rcq);
			rcnt++;
			if (rcnt + b->rx_depth <= b->iters)
				post_recv(b);
		}
		if (scnt < b->iters) {
			posted[scnt++] = now_us();
			if (ual_post_send(b->ep, &s, 1, 1,
					  UAL_POST_SIGNALED | b->post_flags))
				die("post send", NULL);
			poll_one(b->scq);
		}
	}
	if (!b->server)
		report_lat(b, posted);
	free(posted);
}

/*
 * ib_write_lat's loop (run_iter_lat_write): wait until the peer's write
 * has changed the last byte of our buffer to its count, write our count
 * into the last byte of the peer's, then reap that write's completion.
 * The peer's write produces no completion here; only the poll on memory
 * sees it.
 */
static void write_lat(struct bench *b)
{
	volatile uint8_t *poll_buf = b->buf + 2 * (size_t)b->size - 1;
	volatile uint8_t *post_buf = b->buf + b->size - 1;
	struct ual_sge s = src_sge(b);
	double *posted = posted_times(b);
	int scnt = 0, rcnt = 0, ccnt = 0;

	while (scnt < b->iters || ccnt < b->iters || rcnt < b->iters) {
		if (rcnt < b->iters && !(scnt < 1 && !b->server)) {
			rcnt++;
			while (*poll_buf != (uint8_t)rcnt)
				;
		}
		if (scnt < b->iters) {
			posted[scnt] = now_us();
			*post_buf = (uint8_t)++scnt;
			if (ual_post_write(b->ep, &s, 1, b->peer.addr, b->peer.rkey,
					   (uint64_t)scnt,
					   UAL_POST_SIGNALED | b->post_flags))
				die("post write", NULL);
		}
		if (ccnt < b->iters) {
			poll_one(b->scq);
			ccnt++;
		}
	}
	if (!b->server)
		report_lat(b, posted);
	free(posted);
}

/*
 * ib_write_bw's loop (run_iter_bw): keep up to the TX depth of writes in
 * flight, signal every cq_mod-th and the last, reap up to 16 completions
 * per poll.  Completions come in order, so a signaled one covers every
 * write up to its own.
 */
static void write_bw(struct bench *b)
{
	struct ual_sge s = src_sge(b);
	struct ual_wc wc[POLL_BATCH];
	int posted = 0, done = 0, n, i;
	double t0, us;

	if (b->server)
		return;
	t0 = now_us();
	while (done < b->iters) {
		while (posted < b->iters && posted - done < b->tx_depth) {
			unsigned int f = b->post_flags;

			if (posted % b->cq_mod == b->cq_mod - 1 ||
			    posted == b->iters - 1)
				f |= UAL_POST_SIGNALED;
			if (ual_post_write(b->ep, &s, 1, b->peer.addr, b->peer.rkey,
					   (uint64_t)posted, f))
				die("post write", NULL);
			posted++;
		}
		n = ual_cq_poll(b->scq, wc, POLL_BATCH);
		if (n < 0)
			die("poll", NULL);
		for (i = 0; i < n; i++) {
			if (wc[i].status != UAL_WC_SUCCESS) {
				fprintf(stderr, "ual_bench: write completion: %s\n",
					ual_wc_status_str(wc[i].status));
				exit(1);
			}
			done = (int)wc[i].context + 1;
		}
	}
	us = now_us() - t0;
	printf("RESULT write_bw bytes=%u iters=%d bw_MBps=%.2f\n", b->size, b->iters,
	       (double)b->size * b->iters / us * 1e6 / 1048576.0);
}

static void finish(struct bench *b)
{
	struct ual_error e;

	if (!b->server) {
		if (ual_ep_disconnect(b->ep, &e))
			die("ual_ep_disconnect", &e);
	}
	expect(b, UAL_EVENT_CONN_DISCONNECTED);
	ual_ep_destroy(b->ep, NULL);
	ual_mr_dereg(b->mr, NULL);
	ual_cq_destroy(b->scq, NULL);
	ual_cq_destroy(b->rcq, NULL);
	ual_eq_destroy(b->eq);
	ual_device_close(b->d);
	free(b->buf);
}

int main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "server", no_argument, NULL, 'S' }, { "client", no_argument, NULL, 'C' },
		{ "dev", required_argument, NULL, 'd' }, { "addr", required_argument, NULL, 'a' },
		{ "port", required_argument, NULL, 'p' }, { "test", required_argument, NULL, 't' },
		{ "size", required_argument, NULL, 's' }, { "iters", required_argument, NULL, 'n' },
		{ "tx-depth", required_argument, NULL, OPT_TX_DEPTH },
		{ "rx-depth", required_argument, NULL, 'r' },
		{ "cq-mod", required_argument, NULL, 'Q' },
		{ "inline", required_argument, NULL, 'I' },
		{ NULL, 0, NULL, 0 },
	};
	struct bench b = { .test = "send_lat", .port = 18515, .rx_depth = RX_DEPTH,
			   .inline_max = -1 };
	int c;

	while ((c = getopt_long(argc, argv, "s:n:r:Q:I:", lo, NULL)) != -1) {
		switch (c) {
		case 'S': b.server = true; break;
		case 'C': b.server = false; break;
		case 'd': b.dev = optarg; break;
		case 'a': b.addr = optarg; break;
		case 'p': b.port = atoi(optarg); break;
		case 't': b.test = optarg; break;
		case 's': b.size = (uint32_t)atoi(optarg); break;
		case 'n': b.iters = atoi(optarg); break;
		case OPT_TX_DEPTH: b.tx_depth = atoi(optarg); break;
		case 'r': b.rx_depth = atoi(optarg); break;
		case 'Q': b.cq_mod = atoi(optarg); break;
		case 'I': b.inline_max = atoi(optarg); break;
		default: return 2;
		}
	}
	if (!b.dev || (!b.server && !b.addr)) {
		fprintf(stderr, "usage: ual_bench --server|--client --dev SPEC [--addr A] [--port P]\n"
				"       [--test send_lat|write_lat|write_bw] [-s BYTES] [-n ITERS]\n"
				"       [--tx-depth N] [--rx-depth N] [--cq-mod N] [--inline BYTES]\n");
		return 2;
	}
	bool bw = !strcmp(b.test, "write_bw");

	if (!b.size)
		b.size = bw ? 65536 : 2;
	if (!b.iters)
		b.iters = bw ? 5000 : 1000;
	if (b.tx_depth < 1)
		b.tx_depth = bw ? BW_TX_DEPTH : LAT_TX_DEPTH;
	if (b.cq_mod < 1)
		b.cq_mod = bw ? BW_CQ_MOD : 1;
	/* perftest only posts receives for the send test. */
	if (strcmp(b.test, "send_lat"))
		b.rx_depth = 1;
	else if (b.rx_depth < 1 || b.rx_depth > b.iters)
		b.rx_depth = b.rx_depth < 1 ? RX_DEPTH : b.iters;
	clock_init();
	setup(&b);
	connect_pair(&b);
	if (!strcmp(b.test, "send_lat"))
		send_lat(&b);
	else if (!strcmp(b.test, "write_lat"))
		write_lat(&b);
	else
		write_bw(&b);
	finish(&b);
	return 0;
}
