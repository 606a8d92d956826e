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
#include <infiniband/verbs.h>
#include <rdma/rdma_cma.h>

#include <ual/ual.h>

#define UAL_DEFAULT_RESOLVE_MS 2000
#define UAL_DEFAULT_BACKOFF_MS 100
#define UAL_DEFAULT_BACKOFF_MAX_MS 2000
#define UAL_DEFAULT_MEMLOCK_MIN (64ULL << 20)

/* IB CM reject reasons rdma_cm reports as the REJECTED status. */
#define UAL_IB_REJ_INVALID_SERVICE_ID 8
#define UAL_IB_REJ_CONSUMER_DEFINED 28

/* ---- error.c ------------------------------------------------------ */
int ual_err_set(struct ual_error *err, int errnum, const char *step,
		const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void ual_err_context(struct ual_error *err, const char *device,
		     const struct sockaddr *addr);
void ual_memlock_hint(char *buf, size_t len, unsigned long long limit);

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
enum ual_wc_status ual_wc_status_from_ibv(enum ibv_wc_status s);
enum ual_wc_opcode ual_wc_opcode_from_ibv(enum ibv_wc_opcode op);

/* ---- retry.c ------------------------------------------------------ */
struct ual_retry {
	uint32_t left;
	uint32_t next_delay_ms;
	uint32_t max_delay_ms;
};

void ual_retry_init(struct ual_retry *r, const struct ual_connect_opts *o);
/* Consumes one retry; returns its delay or -1 when none is left. */
int ual_retry_next(struct ual_retry *r);

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
	UAL_IN_IGNORED,			/* TIMEWAIT_EXIT, ADDR_CHANGE ... */
	UAL_IN_COUNT
};

enum ual_conn_action {
	UAL_ACT_NONE,
	UAL_ACT_RESOLVE_ROUTE,
	UAL_ACT_CONNECT,
	UAL_ACT_RETRY_LATER,		/* arm the back-off timer */
	UAL_ACT_RESTART,		/* back-off elapsed: start again */
	UAL_ACT_DISCONNECT,		/* send DREQ / DREP */
	UAL_ACT_CANCEL,			/* abandon the cm id */
};

struct ual_conn_step {
	enum ual_ep_state next;
	enum ual_conn_action action;
	enum ual_event_type deliver;	/* UAL_EVENT_NONE: nothing */
	enum ual_reject_reason reason;
	bool recycle;			/* retry needs a fresh cm id + QP reset */
};

enum ual_conn_input ual_conn_input_from_cm(enum rdma_cm_event_type ev);
enum ual_reject_reason ual_reject_classify(enum ual_transport t, int status,
					   uint32_t pdata_len);
void ual_conn_step(enum ual_ep_state state, enum ual_conn_input in,
		   enum ual_reject_reason reason, bool may_retry,
		   struct ual_conn_step *out);
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

struct ual_device {
	struct ual_list link;		/* in the global device list */
	int refs;
	struct ibv_context *verbs;	/* librdmacm's context */
	struct ibv_pd *pd;
	struct ual_device_attr attr;
	struct sockaddr_storage addr;	/* address of the first open */
	pthread_mutex_t lock;		/* eqs, qp table */
	struct ual_list eqs;
	pthread_mutex_t async_lock;	/* one reader of the async fd */
	struct ual_ep **qp_table;	/* open-addressed by qp_num */
	uint32_t qp_table_size;
	uint32_t qp_count;
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
	 * verbs context (under our PD) open.  It goes with the last put.
	 */
	struct rdma_event_channel *watch_channel;
	struct rdma_cm_id *watch_id;
	enum ual_dev_loss lost;		/* under lock; set once per cause */
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

struct ual_eq {
	struct ual_list dev_link;	/* in dev->eqs */
	struct ual_device *dev;
	void *context;
	struct rdma_event_channel *channel;
	int epfd;
	int timerfd;
	int wakefd;			/* eventfd */
	pthread_mutex_t lock;		/* ready, timers */
	pthread_mutex_t progress;	/* one thread makes progress */
	struct ual_list ready;
	struct ual_list timers;
	struct ual_list fatal;		/* endpoints hit by QP fatal */
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
};

struct ual_cq {
	struct ual_device *dev;
	struct ibv_cq *cq;
	struct ibv_comp_channel *channel;
	void *context;
	unsigned int unacked;
	uint32_t siw_pages;		/* see struct ual_device */
};

struct ual_srq {
	struct ual_device *dev;
	struct ual_eq *eq;
	struct ibv_srq *srq;
	void *context;
	uint32_t siw_pages;
};

struct ual_mr {
	struct ual_device *dev;
	struct ibv_mr *mr;
	unsigned int access;
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
	uint8_t pdata[UAL_PDATA_MAX];
	uint32_t pdata_len;
	bool connect_sent;
	struct ual_list fatal_link;	/* in eq->fatal */
	enum ibv_event_type fatal_what;	/* DEVICE_FATAL: the device is lost */
	bool ud_resolve;
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

/* device.c */
struct ual_device *ual_device_get_by_verbs(struct ibv_context *verbs,
					   struct ual_error *err);
void ual_device_put(struct ual_device *dev);
int ual_device_qp_insert(struct ual_device *dev, struct ual_ep *ep);
void ual_device_qp_remove(struct ual_device *dev, struct ual_ep *ep);
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
/* The device is lost: tell every queue, break every endpoint (once). */
void ual_device_lost(struct ual_device *dev, enum ual_dev_loss loss);
enum ual_dev_loss ual_device_loss(struct ual_device *dev);

/* async.c */
void ual_async_drain(struct ual_device *dev);

/* eq.c */
struct ual_event_node *ual_event_alloc(enum ual_event_type type);
void ual_eq_push(struct ual_eq *eq, struct ual_event_node *n);
void ual_eq_push_locked(struct ual_eq *eq, struct ual_event_node *n);
void ual_eq_wake(struct ual_eq *eq);
void ual_eq_forget(struct ual_eq *eq, const void *object);
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

/* ep.c */
int ual_ep_bind_id(struct ual_ep *ep, struct rdma_cm_id **out,
		   struct ual_error *err);
int ual_ep_reset_qp(struct ual_ep *ep, struct rdma_cm_id *id);
int ual_ep_renew_qp(struct ual_ep *ep, struct rdma_cm_id *id,
		    struct ual_error *err);

#endif /* UAL_INTERNAL_H */
