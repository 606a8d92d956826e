/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ual_internal.h - objects and helpers shared inside the access layer.
 *
 * The first half is pure policy (no verbs calls) so that host unit tests
 * can link it without RDMA hardware.
 */
#ifndef UAL_INTERNAL_H
#define UAL_INTERNAL_H

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <infiniband/verbs.h>
#include <rdma/rdma_cma.h>

#include <ual/ual.h>

#define UAL_DEFAULT_RESOLVE_MS 4000	/* OFA uDAPL: 4000 ms x 15 tries */
#define UAL_DEFAULT_RESOLVE_RETRIES 14
#define UAL_DEFAULT_DISCONNECT_MS 2000
#define UAL_DEFAULT_BACKOFF_MS 100
#define UAL_DEFAULT_BACKOFF_MAX_MS 2000

/* IB CM reject reasons rdma_cm reports as the REJECTED status. */
#define UAL_IB_REJ_INVALID_SERVICE_ID 8
#define UAL_IB_REJ_CONSUMER_DEFINED 28

/* ---- error.c ------------------------------------------------------ */
int ual_err_set(struct ual_error *err, int errnum, const char *step,
		const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void ual_err_context(struct ual_error *err, const char *device,
		     const struct sockaddr *addr);

/* ---- debug.c ------------------------------------------------------ */
/* A line on stderr when UAL_DEBUG is set (not "" or "0"). */
void ual_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
bool ual_debug_enabled(void);

/* ---- memlock.c ---------------------------------------------------- */
#define UAL_MEMLOCK_UNLIMITED UINT64_MAX	/* a limit: RLIM_INFINITY */
#define UAL_MEMLOCK_UNKNOWN UINT64_MAX		/* an amount not known */

/* The process's locked-memory limit and use, in bytes. */
struct ual_memlock {
	uint64_t soft, hard;		/* RLIMIT_MEMLOCK */
	uint64_t locked;		/* VmLck: mlock()ed */
	uint64_t pinned;		/* VmPin: pinned by registrations */
	bool cap_ipc_lock;		/* effective CAP_IPC_LOCK */
};

/* How a device's kernel driver applies the limit (see memlock.c). */
enum ual_memlock_rules {
	UAL_MEMLOCK_CORE,	/* ib_umem_get: pinned; CAP_IPC_LOCK exempts */
	UAL_MEMLOCK_SIW,	/* siw: mlocked or pinned; no exemption */
};

/* Reads VmLck, VmPin and CapEff from /proc/<pid>/status text. */
void ual_memlock_parse_status(FILE *f, struct ual_memlock *m);
void ual_memlock_read(struct ual_memlock *m);
/* Raises the soft limit to the hard one if below; returns the soft limit. */
uint64_t ual_memlock_raise(void);
/* Bytes of whole pages [addr, addr + len) covers: what the kernel counts. */
uint64_t ual_memlock_span(uintptr_t addr, uint64_t len, uint32_t page_size);
/* Estimated memory a queue of @entries pins on hardware that pins it. */
uint64_t ual_memlock_queue_bytes(uint32_t entries, uint32_t page_size);
/* Whether @errnum for @asked more bytes is plausibly the limit's doing. */
bool ual_memlock_suspect(const struct ual_memlock *m, int errnum,
			 uint64_t asked, enum ual_memlock_rules rules);
/* The limit, what was asked (for @what, "a region"), what is held, the fix. */
void ual_memlock_explain(char *buf, size_t len, const struct ual_memlock *m,
			 uint64_t asked, bool estimated, const char *what);
/* Both: if suspect, @err's detail becomes the explanation; returns that. */
bool ual_memlock_blame(struct ual_error *err, int errnum, uint64_t asked,
		       bool estimated, const char *what,
		       enum ual_memlock_rules rules);

/* ---- addr.c ------------------------------------------------------- */
enum ual_spec_kind {
	UAL_SPEC_DEVICE,	/* "rxe0" or "rxe0:1" (only if such a device) */
	UAL_SPEC_ADDRESS,	/* numeric IPv4 / IPv6 */
	UAL_SPEC_NAME,		/* netdev or host name: resolved later */
};

struct ual_spec {
	enum ual_spec_kind kind;
	char name[UAL_NAME_MAX];
	uint8_t port;			/* 0 = any */
	struct sockaddr_storage addr;
};

/* Parses @text; @is_device tells whether a word names a verbs device. */
int ual_spec_parse(const char *text, bool (*is_device)(const char *name),
		   struct ual_spec *spec);
socklen_t ual_sockaddr_len(const struct sockaddr *sa);
uint16_t ual_sockaddr_port(const struct sockaddr *sa);
void ual_sockaddr_set_port(struct sockaddr *sa, uint16_t port);
bool ual_sockaddr_is_any(const struct sockaddr *sa);
const char *ual_sockaddr_str(const struct sockaddr *sa, char *buf,
			     size_t len);

/* ---- access.c ----------------------------------------------------- */
unsigned int ual_access_effective(unsigned int access,
				  enum ual_transport t);
int ual_access_to_ibv(unsigned int access);

/* ---- limits.c ----------------------------------------------------- */
void ual_pdata_limits(enum ual_transport t, struct ual_pdata_limits *l);
uint32_t ual_transport_caps(enum ual_transport t, int atomic_cap);
/* UAL_CAP_MW_* and UAL_CAP_SRQ_RESIZE from ibv_device_attr. */
uint32_t ual_devcap_caps(unsigned int device_cap_flags, int max_mw);
/* siw's window of queue mappings (see limits.c); sizes in pages. */
#define UAL_SIW_VENDOR_ID 0x626d74	/* what siw reports as vendor_id */
uint32_t ual_siw_window_pages(uint32_t page_size);
uint32_t ual_siw_sq_pages(uint32_t wr, uint32_t page_size);
uint32_t ual_siw_rq_pages(uint32_t wr, uint32_t page_size);
uint32_t ual_siw_cq_pages(uint32_t cqe, uint32_t page_size);
uint32_t ual_siw_qps_that_fit(uint32_t sq, uint32_t rq, uint32_t other,
			      uint32_t page_size);
void ual_siw_explain(char *buf, size_t len, const char *device,
		     const char *what, uint32_t need, uint32_t used,
		     uint32_t fit, uint32_t page_size);

/* ---- wc_status.c -------------------------------------------------- */
#define UAL_IBV_WC_STATUS_MAX (IBV_WC_TM_RNDV_INCOMPLETE + 1)
#define UAL_IBV_WC_OPCODE_SLOTS 256	/* verbs opcodes are below 256 */
extern const uint8_t ual_wc_status_table[UAL_IBV_WC_STATUS_MAX];
extern const uint8_t ual_wc_opcode_table[UAL_IBV_WC_OPCODE_SLOTS];
/*
 * wc_flags & 15 -> UAL_WC_* flags.  Two maps, because rxe (Linux 6.1,
 * rxe_resp.c do_complete) writes the kernel's IB_WC_WITH_INVALIDATE
 * (1 << 2) into the user CQ, where verbs reads it as IBV_WC_IP_CSUM_OK;
 * rxe sets no checksum flag of its own, so on rxe that bit means
 * invalidate.  Each CQ points at its map: the quirk costs nothing.
 */
extern const uint8_t ual_wc_flag_map[16];
extern const uint8_t ual_wc_flag_map_rxe[16];

enum ual_wc_status ual_wc_status_from_ibv(enum ibv_wc_status s);
enum ual_wc_opcode ual_wc_opcode_from_ibv(enum ibv_wc_opcode op);

static inline enum ual_wc_status ual_wc_status_index(enum ibv_wc_status s)
{
	if ((unsigned int)s >= UAL_IBV_WC_STATUS_MAX)
		return UAL_WC_OTHER;
	return (enum ual_wc_status)ual_wc_status_table[s];
}

static inline enum ual_wc_opcode ual_wc_opcode_index(enum ibv_wc_opcode op)
{
	if ((unsigned int)op >= UAL_IBV_WC_OPCODE_SLOTS)
		return UAL_WC_UNKNOWN;
	return (enum ual_wc_opcode)ual_wc_opcode_table[op];
}

/*
 * One verbs completion into a ual_wc, the layer's whole share of every
 * completion: three table loads and stores.  Every field is written, so
 * an array the consumer reuses never shows a previous completion's
 * values: verbs defines only wr_id, status, qp_num and vendor_err on an
 * error, so an error wc carries those and zeros.  Inline, so ual_cq_poll
 * converts without a call; the host unit test drives it directly.
 */
static inline void ual_wc_from_ibv(const struct ibv_wc *in, struct ual_wc *out,
				   const uint8_t *flag_map)
{
	uint32_t uf;

	out->context = in->wr_id;
	out->status = ual_wc_status_index(in->status);
	out->vendor_status = in->status;
	out->qp_num = in->qp_num;
	if (__builtin_expect(in->status != IBV_WC_SUCCESS, 0)) {
		out->opcode = UAL_WC_UNKNOWN;
		out->byte_len = 0;
		out->imm_data = 0;
		out->src_qp = 0;
		out->flags = 0;
		__builtin_memset(&out->slid, 0, 4);
		return;
	}
	out->opcode = ual_wc_opcode_index(in->opcode);
	out->byte_len = in->byte_len;
	out->src_qp = in->src_qp;
	/* slid, sl, dlid_path_bits: one 4-byte copy, same layout as verbs */
	__builtin_memcpy(&out->slid, &in->slid, 4);
	uf = flag_map[in->wc_flags & 15];
	out->flags = uf;
	/* ibv_wc's imm_data and invalidated_rkey share one word, as ours. */
	out->imm_data = (uf & (UAL_WC_WITH_IMM | UAL_WC_WITH_INV)) ?
			in->invalidated_rkey : 0;
}

/* ---- retry.c ------------------------------------------------------ */
struct ual_retry {
	uint32_t left;
	uint32_t resolve_left;		/* address/route tries still allowed */
	uint32_t next_delay_ms;
	uint32_t max_delay_ms;
};

void ual_retry_init(struct ual_retry *r, const struct ual_connect_opts *o);
/* Consumes one retry; returns its delay or -1 when none is left. */
int ual_retry_next(struct ual_retry *r);
/* Consumes one resolution retry; false when none is left. */
bool ual_retry_resolve(struct ual_retry *r);
/* The budget bits ual_conn_step takes, from what is left in @r. */
unsigned int ual_retry_budget(const struct ual_retry *r);
/* A disconnect's bound in ms for @o (zero fields: defaults). */
uint32_t ual_disconnect_ms(const struct ual_connect_opts *o);

/* ---- conn_state.c: the connection state machine -------------------- */
enum ual_conn_input {
	UAL_IN_ADDR_RESOLVED,
	UAL_IN_ADDR_ERROR,
	UAL_IN_ROUTE_RESOLVED,
	UAL_IN_ROUTE_ERROR,
	UAL_IN_CONNECT_REFUSED,		/* rdma_connect: ECONNREFUSED */
	UAL_IN_ESTABLISHED,
	UAL_IN_REJECTED,
	UAL_IN_UNREACHABLE,
	UAL_IN_CONNECT_ERROR,
	UAL_IN_DISCONNECTED,
	UAL_IN_DEVICE_REMOVAL,
	UAL_IN_QP_FATAL,		/* affiliated async error */
	UAL_IN_TIMEOUT,			/* consumer deadline passed */
	UAL_IN_RETRY_TIMER,		/* back-off elapsed */
	UAL_IN_LOCAL_DISCONNECT,	/* ual_ep_disconnect */
	UAL_IN_DISCONNECT_TIMER,	/* peer did not answer a disconnect */
	UAL_IN_IGNORED,			/* TIMEWAIT_EXIT, ADDR_CHANGE ... */
	UAL_IN_COUNT
};

enum ual_conn_action {
	UAL_ACT_NONE,
	UAL_ACT_RESOLVE_ADDR,		/* try the address again */
	UAL_ACT_RESOLVE_ROUTE,
	UAL_ACT_CONNECT,
	UAL_ACT_RETRY_LATER,		/* arm the back-off timer */
	UAL_ACT_RESTART,		/* back-off elapsed: start again */
	UAL_ACT_DISCONNECT,		/* send DREQ / DREP */
	UAL_ACT_CANCEL,			/* abandon the cm id */
};

/* What is left to spend: the may_retry argument of ual_conn_step. */
enum {
	UAL_MAY_RETRY = 1 << 0,		/* a connect retry (back-off) */
	UAL_MAY_RERESOLVE = 1 << 1,	/* another address/route try */
};

struct ual_conn_step {
	enum ual_ep_state next;
	enum ual_conn_action action;
	enum ual_event_type deliver;	/* UAL_EVENT_NONE: nothing */
	enum ual_reject_reason reason;
	bool recycle;			/* retry needs a fresh cm id + QP reset */
	uint32_t flags;			/* UAL_EVFLAG_* for the event */
};

enum ual_conn_input ual_conn_input_from_cm(enum rdma_cm_event_type ev);
enum ual_reject_reason ual_reject_classify(enum ual_transport t, int status,
					   uint32_t pdata_len);
/* @budget: UAL_MAY_* bits (true means UAL_MAY_RETRY alone). */
void ual_conn_step(enum ual_ep_state state, enum ual_conn_input in,
		   enum ual_reject_reason reason, unsigned int budget,
		   struct ual_conn_step *out);
/* Read depths: what an endpoint asks for, and what an accept grants. */
uint8_t ual_read_depth_want(uint8_t attr, bool zero, uint32_t dev_max);
uint8_t ual_read_depth_grant(uint8_t peer, uint8_t ours);
/* ual_ep_reset in @state: 0 (allowed), -EISCONN or -EBUSY, and why. */
int ual_conn_reset_rule(enum ual_ep_state state, const char **why);

/* ---- dev_loss.c: a device removed or failed ------------------------- */
enum ual_dev_loss {
	UAL_LOSS_NONE = 0,
	UAL_LOSS_FATAL,			/* IBV_EVENT_DEVICE_FATAL */
	UAL_LOSS_REMOVED,		/* RDMA_CM_EVENT_DEVICE_REMOVAL */
};

enum ual_dev_loss ual_dev_loss_from_cm(enum rdma_cm_event_type ev);
enum ual_dev_loss ual_dev_loss_from_async(enum ibv_event_type ev);
/* True when @now must be reported although @before already was. */
bool ual_dev_loss_escalates(enum ual_dev_loss before, enum ual_dev_loss now);
/* The event every queue of the device gets for @loss. */
enum ual_event_type ual_dev_loss_event(enum ual_dev_loss loss);
/* Fills @err for @object ("endpoint", "listener", ...) of @device. */
void ual_dev_loss_error(struct ual_error *err, enum ual_dev_loss loss,
			const char *device, const char *object);

/* ================================================================== */
/* Objects (verbs-dependent part)                                     */
/* ================================================================== */

struct ual_list {
	struct ual_list *next, *prev;
};

static inline void ual_list_init(struct ual_list *l)
{
	l->next = l->prev = l;
}

static inline void ual_list_add(struct ual_list *l, struct ual_list *n)
{
	n->prev = l->prev;
	n->next = l;
	l->prev->next = n;
	l->prev = n;
}

static inline void ual_list_del(struct ual_list *n)
{
	n->prev->next = n->next;
	n->next->prev = n->prev;
	ual_list_init(n);
}

static inline bool ual_list_empty(const struct ual_list *l)
{
	return l->next == l;
}

#define ual_container_of(p, type, member) \
	((type *)((char *)(p) - offsetof(type, member)))

/*
 * The QP number -> endpoint table of a device.  Readers take no lock (the
 * data path looks endpoints up by a completion's qp_num): keys and
 * endpoints are read with atomic loads, a deleted slot becomes a
 * tombstone so that no entry ever moves under a reader, and a grown
 * table is published by one atomic pointer store.  Old tables stay
 * allocated until the device goes, because a reader may still walk them.
 */
#define UAL_QPT_EMPTY 0u		/* never a QP number we create */
#define UAL_QPT_TOMB 0xffffffffu	/* QP numbers have 24 bits */

struct ual_qp_table {
	struct ual_qp_table *retired;	/* older tables, freed with the device */
	uint32_t size;			/* power of two */
	uint32_t used;			/* live + tombstones */
	uint32_t *keys;
	struct ual_ep **eps;
};

/*
 * One per verbs device per process, shared by every scope (every
 * ual_device_open) on it: the verbs context, its async fd, the removal
 * watch, the QP-number table and the siw window accounting.
 */
struct ual_hca {
	struct ual_list link;		/* in the global device list */
	int refs;			/* scopes + event queues attached */
	struct ibv_context *verbs;	/* librdmacm's context */
	char name[UAL_NAME_MAX];
	uint32_t max_inline;		/* probed once */
	pthread_mutex_t lock;		/* scopes, qp table writers, siw, lost */
	struct ual_list scopes;
	pthread_mutex_t async_lock;	/* one reader of the async fd */
	struct ual_qp_table *qpt;	/* readers: atomic load, no lock */
	/*
	 * siw only: pages of the per-context mapping window held by this
	 * process's queues (under lock), so a refused queue can be explained.
	 */
	bool siw;
	uint32_t page_size;
	uint32_t siw_qp_pages;
	uint32_t siw_other_pages;
	/*
	 * The removal watch: a cm id of the layer's own, bound to the
	 * device, on a channel every event queue of the device polls.  It
	 * hears RDMA_CM_EVENT_DEVICE_REMOVAL even when the consumer has no
	 * endpoint or listener, and while it exists librdmacm keeps its
	 * verbs context open.  It goes with the last reference.
	 */
	struct rdma_event_channel *watch_channel;
	struct rdma_cm_id *watch_id;
	enum ual_dev_loss lost;		/* under lock; set once per cause */
	bool forget_on_free;		/* removed: have librdmacm rescan */
};

/*
 * A consumer's scope on a device: what one ual_device_open returns (a
 * DAT IA, an IT-API IA).  Its own port, local address, attributes,
 * protection domain and async destinations; everything else is the
 * shared struct ual_hca.  verbs, siw and page_size are copies of the
 * hca's, kept here because every object reaches its device this way.
 */
struct ual_device {
	struct ual_list hca_link;	/* in hca->scopes */
	struct ual_hca *hca;
	int refs;			/* the open + pending requests */
	struct ibv_context *verbs;
	struct ibv_pd *pd;
	struct ual_device_attr attr;
	struct sockaddr_storage addr;	/* the address this scope opened */
	bool siw;
	uint32_t page_size;
	/*
	 * A protection domain of another scope (ual_pd_open) shares its
	 * port, address, attributes and async destinations: @root is that
	 * scope (or this one), whose async_* fields count.
	 */
	struct ual_device *root;
	/* under hca->lock */
	struct ual_list eqs;		/* queues created for this scope */
	struct ual_eq *async_aff;	/* ual_device_set_async(), or NULL */
	struct ual_eq *async_unaff;
};

struct ual_event_node {
	struct ual_list link;
	struct ual_event ev;
};

struct ual_timer {
	struct ual_list link;		/* in eq->timers when armed */
	uint64_t due_ms;		/* CLOCK_MONOTONIC */
	void (*fire)(struct ual_timer *t);
};

/*
 * An event queue.  Its sources (its rdma_cm channel, its timerfd and the
 * async fd and removal watch of every device attached to it) sit in
 * srcfd; the fd the consumer sleeps on (epfd) holds srcfd and wakefd, so
 * a consumer that makes progress itself wakes for either.  In automatic
 * progress mode srcfd leaves epfd and joins the layer's progress thread
 * (progress.c) instead: the consumer then wakes only for queued events.
 */
struct ual_eq {
	struct ual_list dev_link;	/* in dev->eqs */
	struct ual_device *dev;
	void *context;
	struct rdma_event_channel *channel;
	int epfd;
	int srcfd;
	int timerfd;
	int wakefd;			/* eventfd: events queued / work handed over */
	pthread_mutex_t lock;		/* ready, timers */
	pthread_mutex_t progress;	/* one thread makes progress */
	struct ual_list ready;
	struct ual_list timers;
	struct ual_list fatal;		/* endpoints hit by QP fatal */
	struct ual_hca **hcas;		/* attached devices (under progress) */
	int nhcas;
	bool auto_progress;		/* under the progress thread's lock */
	struct ual_list auto_link;
	pthread_t thread;
	bool thread_running;
	volatile bool stopping;
	ual_event_handler handler;
	void *handler_arg;
};

/* Every rdma_cm_id->context points to one of these tags. */
enum ual_owner_kind {
	UAL_OWNER_EP = 0x45500001,
	UAL_OWNER_LISTENER,
	UAL_OWNER_REQ,
	UAL_OWNER_UDQ,			/* struct ual_ud_query */
};

struct ual_cq {
	struct ual_device *dev;
	struct ibv_cq *cq;
	struct ibv_comp_channel *channel;
	void *context;
	/*
	 * Wake-ups read but not yet acknowledged: only touched by
	 * ual_cq_ack_wakeup (atomically: several threads may wait on one
	 * CQ) and by ual_cq_destroy.  Never on the poll path.
	 */
	unsigned int unacked;
	uint32_t siw_pages;		/* see struct ual_device */
	const uint8_t *flag_map;	/* ual_wc_flag_map(_rxe) */
};

struct ual_srq {
	struct ual_device *dev;
	struct ual_eq *eq;
	struct ibv_srq *srq;
	void *context;
	uint32_t siw_pages;
	/* What was asked and last set, for devices that cannot be queried. */
	struct ual_srq_attr cached;
};

struct ual_mr {
	struct ual_device *dev;
	struct ibv_mr *mr;
	unsigned int access;
};

/*
 * A memory window.  On devices that do not check a window's own range
 * (rxe checks only the region's; see mr.c), every bind goes to a region
 * the layer registers over exactly the bound range: @range holds the
 * current one, @retired the ones of earlier binds that the device still
 * held when they were replaced (deregistered at the next bind or unbind,
 * or with the window).
 */
#define UAL_MW_RETIRED_MAX 4
struct ual_mw {
	struct ual_device *dev;
	struct ibv_mw *mw;
	enum ual_mw_type type;
	uint32_t rkey;
	bool range_by_mr;
	struct ibv_mr *bound;		/* region of the last bind, NULL unbound */
	struct ibv_mr *range;
	struct ibv_mr *retired[UAL_MW_RETIRED_MAX];
};

struct ual_ah {
	struct ibv_ah *ah;
};

struct ual_ep {
	enum ual_owner_kind kind;	/* first: cm id context tag */
	struct ual_device *dev;
	struct ual_eq *eq;
	void *context;
	enum ual_ep_type type;
	struct rdma_cm_id *id;
	struct ibv_qp *qp;
	struct ibv_qp_init_attr qp_attr;
	uint32_t max_inline;
	enum ual_ep_state state;
	struct sockaddr_storage local;
	struct sockaddr_storage remote;
	/* active connect */
	struct ual_connect_opts opts;
	struct ual_retry retry;
	struct ual_timer retry_timer;
	struct ual_timer deadline;
	struct ual_timer disc_timer;	/* bounds a local disconnect */
	/*
	 * RDMA read depths: wanted (capped to the device) and, once
	 * established, negotiated.  read_out is what the data path checks:
	 * the wanted ORD until ESTABLISHED, then the negotiated one.
	 */
	uint8_t want_out, want_in;
	uint8_t read_out, read_in;
	bool accepted;			/* passive: depths set by ual_accept */
	bool inline_off;		/* UAL_EP_ZERO_INLINE */
	uint8_t pdata[UAL_PDATA_MAX];
	uint32_t pdata_len;
	bool connect_sent;
	struct ual_list fatal_link;	/* in eq->fatal */
	enum ibv_event_type fatal_what;	/* DEVICE_FATAL: the device is lost */
	bool ud_resolve;
	/*
	 * EP_LAST_WQE of this connection was queued (from the device or
	 * made by the layer, whichever came first; see async.c).
	 */
	bool last_wqe_told;
	int last_post_error;
	uint32_t siw_pages;
	/*
	 * Set (relaxed atomic) when the device is lost, so the data path
	 * refuses new work with -ENODEV instead of queueing it on a QP that
	 * may never complete it (siw accepts posts after removal).
	 */
	bool device_lost;
};

struct ual_listener {
	enum ual_owner_kind kind;
	struct ual_device *dev;
	struct ual_eq *eq;
	void *context;
	enum ual_ep_type type;
	struct rdma_cm_id *id;
	uint16_t port;
};

/*
 * A request keeps what answering it needs, so that it outlives its
 * listener: the queue whose channel carries its cm id (the listener's,
 * or the target's after a handoff), the type and the device.  The
 * private data is kept for a handoff, which queues the request again.
 */
struct ual_conn_req {
	enum ual_owner_kind kind;
	struct ual_eq *eq;		/* progress lock and channel of @id */
	enum ual_ep_type type;		/* of the listener it arrived on */
	struct rdma_cm_id *id;
	struct ual_device *dev;		/* device the request arrived on */
	uint8_t initiator_depth;
	uint8_t responder_resources;
	uint8_t retry_count;
	uint8_t rnr_retry_count;
	bool dead;			/* peer gave up before we answered */
	uint32_t pdata_len;
	uint8_t pdata[UAL_PDATA_MAX];
};

struct ual_ud_query {
	enum ual_owner_kind kind;	/* first: cm id context tag */
	struct ual_device *dev;
	struct ual_eq *eq;
	void *context;
	struct rdma_cm_id *id;		/* of the running or last resolution */
	bool busy;
	uint32_t resolve_ms;
	uint32_t timeout_ms;
	struct ual_timer deadline;
	struct sockaddr_storage remote;
	uint8_t pdata[UAL_PDATA_MAX];
	uint32_t pdata_len;
};

/* device.c */
void ual_hca_get(struct ual_hca *hca);
void ual_hca_put(struct ual_hca *hca);
void ual_device_get(struct ual_device *dev);
void ual_device_put(struct ual_device *dev);
void ual_device_fill_attr(struct ual_device *dev, uint8_t port);
/*
 * A verbs create call returned NULL without setting errno: fills @err
 * with what is known (on siw: the mapping window, for a queue needing
 * @pages, a QP's being @sq + @rq) and returns the negative errno used.
 */
int ual_device_no_errno(struct ual_device *dev, const char *step,
			const char *what, uint32_t sq, uint32_t rq,
			struct ual_error *err);
void ual_device_siw_account(struct ual_device *dev, bool qp, int pages);
enum ual_memlock_rules ual_device_memlock_rules(const struct ual_device *dev);
/*
 * Creating @what ("a CQ") of @entries failed with @errnum: where the
 * locked-memory limit plausibly did it, @err's detail says so.
 */
void ual_device_queue_memlock(struct ual_device *dev, int errnum,
			      const char *what, uint32_t entries,
			      struct ual_error *err);
/* The device is lost: tell every queue, break every endpoint (once). */
void ual_device_lost(struct ual_hca *hca, enum ual_dev_loss loss);
enum ual_dev_loss ual_device_loss(struct ual_device *dev);
void ual_hca_forget_eq(struct ual_hca *hca, struct ual_eq *eq);
struct ual_eq *ual_scope_affiliated_eq(struct ual_device *dev,
				       struct ual_eq *fallback);
void ual_scopes_broadcast(struct ual_hca *hca,
			  bool (*match)(const struct ual_device *dev, const void *arg),
			  struct ual_event_node *(*make)(struct ual_eq *eq, const void *arg),
			  const void *arg);

/* qp_table.c */
int ual_device_qp_insert(struct ual_device *dev, struct ual_ep *ep);
void ual_device_qp_remove(struct ual_device *dev, struct ual_ep *ep);
void ual_device_qp_for_each(struct ual_hca *hca,
			    void (*fn)(struct ual_ep *ep, void *arg), void *arg);
void ual_qp_table_free(struct ual_hca *hca);

/* progress.c */
void ual_progress_remove(struct ual_eq *eq);

/* async.c */
void ual_async_drain(struct ual_hca *hca);
void ual_ep_tell_last_wqe(struct ual_ep *ep);

/* eq.c */
struct ual_event_node *ual_event_alloc(enum ual_event_type type);
void ual_eq_push(struct ual_eq *eq, struct ual_event_node *n);
void ual_eq_push_locked(struct ual_eq *eq, struct ual_event_node *n);
void ual_eq_wake(struct ual_eq *eq);
void ual_eq_forget(struct ual_eq *eq, const void *object);
int ual_eq_attach(struct ual_eq *eq, struct ual_hca *hca);
void ual_eq_progress(struct ual_eq *eq, bool consume_wake);
void ual_timer_arm(struct ual_eq *eq, struct ual_timer *t, uint32_t ms);
void ual_timer_cancel(struct ual_eq *eq, struct ual_timer *t);
uint64_t ual_now_ms(void);

/* async.c */
void ual_eq_run_fatal(struct ual_eq *eq);

/*
 * Two queues' progress locks (a request's queue and an endpoint's) are
 * taken in one global order, so threads working crossed pairs of queues
 * cannot deadlock.  ual_eq_pair_first() says which of the two goes first.
 */
static inline struct ual_eq *ual_eq_pair_first(struct ual_eq *a,
						 struct ual_eq *b)
{
	return (uintptr_t)a <= (uintptr_t)b ? a : b;
}

static inline void ual_eq_lock_pair(struct ual_eq *a, struct ual_eq *b)
{
	struct ual_eq *first = ual_eq_pair_first(a, b);
	struct ual_eq *second = first == a ? b : a;

	pthread_mutex_lock(&first->progress);
	if (second != first)
		pthread_mutex_lock(&second->progress);
}

static inline void ual_eq_unlock_pair(struct ual_eq *a, struct ual_eq *b)
{
	pthread_mutex_unlock(&a->progress);
	if (b != a)
		pthread_mutex_unlock(&b->progress);
}

/* cm.c */
void ual_cm_handle_event(struct ual_eq *eq, struct rdma_cm_event *ev);
void ual_ep_qp_fatal(struct ual_ep *ep, enum ibv_event_type what);
/* A request nobody will answer: reject it, free its cm id and device. */
void ual_conn_req_drop(struct ual_conn_req *req);
void ual_ep_retry_fire(struct ual_timer *t);
void ual_ep_deadline_fire(struct ual_timer *t);
void ual_ep_disc_fire(struct ual_timer *t);

/* ud.c */
void ual_ud_query_event(struct ual_ud_query *q, struct rdma_cm_event *cm);
void ual_ah_attr_from_ibv(struct ual_ah_attr *out, const struct ibv_ah_attr *in);

/* post.c: why a post was refused up front (ep->last_post_error). */
enum ual_post_refusal {
	POST_OK,
	POST_NO_ATOMICS,
	POST_NO_IMMEDIATE,
	POST_WRONG_EP_TYPE,
	POST_DEVICE_LOST,
	POST_NO_MW,		/* -EOPNOTSUPP: no windows of that type */
	POST_BAD_BIND,		/* -EINVAL: range, region or rights */
	POST_NO_READ_DEPTH,	/* -EPERM: read depth 0 */
};

int ual_post_refuse(struct ual_ep *ep, enum ual_post_refusal why);
/* mw.c: rxe, whose quirks the layer works around (by vendor id). */
bool ual_device_is_rxe(struct ual_device *dev);
int ual_post_bind_mw(struct ual_ep *ep, struct ibv_mw *mw, uint32_t rkey,
		     const struct ibv_mw_bind_info *info, uint64_t context,
		     unsigned int flags);
int ual_post_bind_mw_call(struct ual_ep *ep, struct ibv_mw *mw,
			  const struct ibv_mw_bind_info *info,
			  uint64_t context, unsigned int flags);

/* ep.c */
int ual_ep_bind_id(struct ual_ep *ep, struct rdma_cm_id **out,
		   struct ual_error *err);
int ual_ep_reset_qp(struct ual_ep *ep, struct rdma_cm_id *id);
int ual_ep_renew_qp(struct ual_ep *ep, struct rdma_cm_id *id,
		    struct ual_error *err);

#endif /* UAL_INTERNAL_H */
