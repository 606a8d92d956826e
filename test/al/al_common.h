/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * al_common.h - shared scaffolding of the access layer's guest test
 * programs (test/al).  A test is a pair of functions, one per role, listed
 * in ual_test.c's table; each topic of tests lives in its own file.
 *
 * Every helper that fails prints "FAIL: <role>: ..." and exits 1, so a
 * test reads as the sequence of what must happen.
 */
#ifndef AL_COMMON_H
#define AL_COMMON_H

#include <config.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include <ual/ual.h>


#define TIMEOUT_MS 60000
#define REGION 4096
#define RECV_SLOTS 16
#define MSG_LEN 64
#define UD_SLOT (UAL_UD_GRH_LEN + MSG_LEN)
#define ATOMIC_OFF (15 * REGION)
#define BUF_LEN (16 * REGION)
#define UDP_QKEY 0x01234567	/* rdma_cm's qkey for RDMA_PS_UDP */

/* Buffer map: 0 receives, 1 sends, 2 RDMA target, 3 RDMA source. */
enum { R_RECV = 0, R_SEND = 1, R_TARGET = 2, R_SOURCE = 3 };

struct advert {		/* server -> client in the accept private data */
	uint64_t addr;
	uint32_t rkey;
	uint32_t len;
	char tag[16];
};

struct opts {
	bool server;
	const char *dev;
	const char *addr;
	const char *test;
	const char *disconnect;
	int port;
	int count;
	int wr;		/* --wr: WRs per queue of each endpoint (0: layer default) */
	bool srq;	/* --srq: endpoints receive through a shared queue */
	bool fill;	/* --fill: many/qpfill stop at the device's limit */
};

struct side {
	struct opts o;
	struct ual_device *dev;
	struct ual_device_attr attr;
	struct sockaddr_storage local;
	struct ual_eq *eq;
	struct ual_cq *scq, *rcq;
	struct ual_srq *srq;
	struct ual_ep *ep;
	struct ual_mr *mr;
	uint8_t *buf;
	struct advert peer;
};
/* One test: what the server and the client run (NULL: role unused). */
struct al_test {
	const char *name;
	int (*server)(struct side *s);
	int (*client)(struct side *s);
	bool client_needs_addr;
};

extern const char *role;	/* "server" or "client", for messages */

void die(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
void check(int rc, const struct ual_error *e, const char *what);
void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
uint64_t now_ms(void);
struct ual_event next_event(struct side *s, int timeout_ms);
struct ual_event expect(struct side *s, enum ual_event_type type);
struct ual_wc wait_wc(struct ual_cq *cq);
struct ual_sge sge_at(struct side *s, size_t off, uint32_t len);
void resolve(const char *text, int port, struct sockaddr_storage *ss);
void open_side(struct side *s);
void close_side(struct side *s);
int try_make_ep(struct side *s, enum ual_ep_type type, uint32_t wr,
		struct ual_ep **ep, struct ual_error *e);
struct ual_ep *make_ep(struct side *s, enum ual_ep_type type, uint32_t wr);
void post_recv_slot(struct side *s, int slot);
void send_msg(struct side *s, const char *text);
const char *recv_msg(struct side *s, struct ual_wc *out);
void fill(uint8_t *p, size_t len, uint8_t seed);
bool verify(const uint8_t *p, size_t len, uint8_t seed);
struct sockaddr_storage listen_addr(struct side *s);
struct ual_listener *start_listen(struct side *s, enum ual_ep_type type);
void server_accept(struct side *s, struct ual_conn_req *req);
void finish_disconnect(struct side *s, bool initiator);
void client_connect(struct side *s, uint32_t retries);
void expect_msg(struct side *s, const char *want);
void ud_post_recvs(struct side *s);
void ud_send(struct side *s, struct ual_ah *ah, uint32_t qpn, uint32_t qkey,
	     const char *text);
/* Waits for a datagram; returns its payload (after the GRH slot). */
const char *ud_recv(struct side *s, struct ual_wc *wc);
void ud_answer_ping(struct side *s);
/* Open fds of this process whose target contains @needle ("uverbs"). */
int count_fds(const char *needle);
/* Verbs contexts (open /dev/infiniband/uverbsN) of device @ibdev. */
int count_verbs_contexts(const char *ibdev);

/* t_scope.c */
int run_server_scopes(struct side *s);
int run_client_scopes(struct side *s);
int run_server_progress(struct side *s);
int run_client_progress(struct side *s);

/* t_policy.c: read depths, zeros, retries, timeouts, disconnect bound */
int policy_server_depths(struct side *s);
int policy_client_depths(struct side *s);
int policy_server_depth0(struct side *s);
int policy_client_depth0(struct side *s);
int policy_server_lateretry(struct side *s);
int policy_client_lateretry(struct side *s);
int policy_client_timeout(struct side *s);
int policy_server_vanish(struct side *s);
int policy_client_vanish(struct side *s);
int policy_server_udsvc(struct side *s);
int policy_client_udsvc(struct side *s);

/* t_mw.c: memory windows */
int run_server_mw(struct side *s);
int run_client_mw(struct side *s);

/* t_resize.c: CQ and SRQ resize/query, CQ wake-ups from two threads */
int run_resize(struct side *s);
int run_server_cqwake(struct side *s);
int run_client_cqwake(struct side *s);

/* t_conn.c: review bugs (listener destroy, NULL, disconnect while accepting), reset, handoff */
int run_server_lsdestroy(struct side *s);
int run_client_lsdestroy(struct side *s);
int run_server_nullargs(struct side *s);
int run_client_nullargs(struct side *s);
int run_server_acceptdisc(struct side *s);
int run_client_acceptdisc(struct side *s);
int run_server_reset(struct side *s);
int run_client_reset(struct side *s);
int run_server_handoff(struct side *s);
int run_client_handoff(struct side *s);
int run_server_crossed(struct side *s);
int run_client_crossed(struct side *s);

/* t_memlock.c: under a low RLIMIT_MEMLOCK */
int run_server_memlock(struct side *s);
int run_client_memlock(struct side *s);

#endif /* AL_COMMON_H */
