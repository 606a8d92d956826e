/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ual.h - the user access layer: one RDMA engine under the uDAPL provider
 * and the IT-API library.
 *
 * The layer owns every verbs and rdma_cm resource, the connection state
 * machine and the routing of events to their owner.  The API shims on top
 * only translate names, handles and status codes.  See doc/access_layer.md.
 *
 * Conventions:
 *  - Functions that can fail return 0 or a negative errno and, when the
 *    caller passes a non-NULL struct ual_error, fill it with the failing
 *    step and context.  ual_strerror() turns it into an actionable message.
 *  - Objects are opaque; their creator passes a void *context that comes
 *    back in every event about the object.
 *  - Posting and polling never take a lock of the layer and never block.
 *
 * NULL and handles:
 *  - Handles (struct ual_device, ual_eq, ual_ep, ual_listener,
 *    ual_conn_req, ual_cq, ual_srq, ual_mr, ual_ah) are trusted, as in
 *    verbs: passing NULL or a freed handle where one is required is
 *    undefined.  The API shims validate the handles of their consumers.
 *  - Every destroy/close call (ual_*_destroy, ual_mr_dereg,
 *    ual_device_close) accepts NULL and does nothing.
 *  - Every struct ual_error *err may be NULL: the errno is still returned.
 *  - Output pointers (the object a create call returns) are required.
 *  - Pointers that may be NULL, besides those: @local of ual_device_open,
 *    @dev of ual_eq_create, @addr of ual_listen, @srq and @local_addr of
 *    struct ual_ep_attr, @opts of ual_ep_connect and ual_ud_resolve,
 *    @local/@remote of ual_ep_addresses, @err of ual_strerror (formats
 *    "no error"), @context wherever taken, and private data whose length
 *    is 0.  Private data that is NULL with a non-zero length is refused
 *    with -EINVAL (ual_accept and ual_reject then reject without it).
 *  - ual_device_open refuses a NULL @spec with -EINVAL.
 */
#ifndef UAL_UAL_H
#define UAL_UAL_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------ */
/* Errors                                                              */
/* ------------------------------------------------------------------ */

#define UAL_ERROR_TEXT_MAX 256

struct ual_error {
	int errnum;		/* positive errno; 0 means "no error" */
	int status;		/* CM event status, reject reason or WC status */
	const char *step;	/* failing call, e.g. "rdma_resolve_route" */
	char device[32];	/* verbs device involved, "" if none */
	char address[64];	/* address involved ("ip:port"), "" if none */
	char detail[UAL_ERROR_TEXT_MAX]; /* cause and what to do about it */
};

/* Formats @err into @buf ("step failed on dev (addr): strerror; detail"). */
const char *ual_strerror(const struct ual_error *err, char *buf, size_t len);

/* ------------------------------------------------------------------ */
/* Devices                                                             */
/* ------------------------------------------------------------------ */

enum ual_transport {
	UAL_TRANSPORT_UNKNOWN = 0,
	UAL_TRANSPORT_IB,	/* InfiniBand link layer */
	UAL_TRANSPORT_ROCE_V1,	/* IB transport over Ethernet, GRH/L2 */
	UAL_TRANSPORT_ROCE_V2,	/* IB transport over UDP/IP */
	UAL_TRANSPORT_IWARP,	/* RDMAP/DDP/MPA over TCP */
};

const char *ual_transport_name(enum ual_transport t);

/* Capability bits in ual_device_attr.caps. */
enum {
	UAL_CAP_ATOMICS = 1 << 0,	 /* cmp&swap and fetch&add work */
	UAL_CAP_UD = 1 << 1,		 /* unreliable datagram QPs */
	UAL_CAP_SRQ = 1 << 2,		 /* shared receive queues */
	UAL_CAP_IMMEDIATE = 1 << 3,	 /* send/write with immediate */
	UAL_CAP_ACTIVE_SENDS_FIRST = 1 << 4, /* iWARP MPA: see ual_ep_connect */
	UAL_CAP_READ_SINK_NEEDS_REMOTE_WRITE = 1 << 5, /* iWARP rule, handled */
};

/* Private data limits (bytes the consumer may pass) per CM message. */
struct ual_pdata_limits {
	uint32_t connect;
	uint32_t accept;
	uint32_t reject;
};

#define UAL_NAME_MAX 64

struct ual_port_info {
	uint8_t port_num;
	uint8_t active;			/* 1 if the port state is ACTIVE */
	enum ual_transport transport;
	uint32_t active_mtu;		/* bytes */
	uint32_t max_msg_size;
};

struct ual_device_attr {
	char name[UAL_NAME_MAX];	/* e.g. "rxe0", "siwA" */
	enum ual_transport transport;	/* of the port in use */
	uint8_t port_num;		/* port selected by the address */
	uint32_t caps;			/* UAL_CAP_* */
	uint32_t max_qp;
	uint32_t max_qp_wr;
	uint32_t max_sge;
	uint32_t max_sge_rd;		/* SGEs per RDMA read (1 on iWARP) */
	uint32_t max_cq;
	uint32_t max_cqe;
	uint32_t max_mr;
	uint64_t max_mr_size;
	uint32_t max_srq;
	uint32_t max_srq_wr;
	uint32_t max_inline;		/* probed: largest inline send */
	uint32_t max_rd_atomic;		/* ORD: outstanding reads we issue */
	uint32_t max_dest_rd_atomic;	/* IRD: reads we serve */
	uint32_t max_msg_size;
	uint32_t active_mtu;
	struct ual_pdata_limits pdata;	/* usable private data per message */
	uint64_t memlock_limit;		/* RLIMIT_MEMLOCK soft, bytes; ~0 = unlimited */
};

struct ual_device_info {
	char name[UAL_NAME_MAX];
	uint8_t num_ports;
	struct ual_port_info ports[4];
};

/* Lists the RDMA devices visible to this process. Free with free(). */
int ual_device_list(struct ual_device_info **list, int *count,
		    struct ual_error *err);

struct ual_device;

/*
 * Opens (or takes another reference on) the device selected by @spec:
 *  - "rxe0" or "rxe0:1"      a verbs device, optionally with port
 *  - "rxe_veth"              a network interface name
 *  - "192.168.77.1", "fd00:77::1", "[fd00:77::1]"  a local address
 *  - "myhost"                a host name resolving to a local address
 * One verbs context and one protection domain exist per device per
 * process; every open returns the same struct ual_device.  If @local is
 * non-NULL it receives the local IP address the spec selected (port 0),
 * which is the address endpoints and listeners bind to by default.
 */
int ual_device_open(const char *spec, struct ual_device **dev,
		    struct sockaddr_storage *local, struct ual_error *err);
void ual_device_close(struct ual_device *dev);
void ual_device_query(struct ual_device *dev, struct ual_device_attr *attr);
const char *ual_device_name(const struct ual_device *dev);
enum ual_transport ual_device_transport(const struct ual_device *dev);

/* ------------------------------------------------------------------ */
/* Memory                                                              */
/* ------------------------------------------------------------------ */

enum {
	UAL_ACCESS_LOCAL_WRITE = 1 << 0,  /* receives and RDMA read sinks */
	UAL_ACCESS_REMOTE_WRITE = 1 << 1,
	UAL_ACCESS_REMOTE_READ = 1 << 2,
	UAL_ACCESS_REMOTE_ATOMIC = 1 << 3,
};

struct ual_mr;

/*
 * Registers [addr, addr+len).  On iWARP a region with LOCAL_WRITE also
 * gets remote write rights, because an RDMA read sink must have them there;
 * ual_mr_access() reports what was really granted.
 */
int ual_mr_reg(struct ual_device *dev, void *addr, size_t len,
	       unsigned int access, struct ual_mr **mr, struct ual_error *err);
int ual_mr_dereg(struct ual_mr *mr, struct ual_error *err);
uint32_t ual_mr_lkey(const struct ual_mr *mr);
uint32_t ual_mr_rkey(const struct ual_mr *mr);
unsigned int ual_mr_access(const struct ual_mr *mr);

/* ------------------------------------------------------------------ */
/* Event queues: where CM and asynchronous events go                   */
/* ------------------------------------------------------------------ */

enum ual_event_type {
	UAL_EVENT_NONE = 0,
	UAL_EVENT_CONN_REQUEST,		/* listener: .req is valid */
	UAL_EVENT_CONN_ESTABLISHED,	/* ep */
	UAL_EVENT_CONN_REJECTED,	/* ep (active): .reject_reason */
	UAL_EVENT_CONN_UNREACHABLE,	/* ep: retries exhausted / timeout */
	UAL_EVENT_CONN_DISCONNECTED,	/* ep: orderly disconnect */
	UAL_EVENT_CONN_BROKEN,		/* ep: QP fatal, device removal */
	UAL_EVENT_UD_RESOLVED,		/* ep (UD): .ah, .remote_qpn/qkey */
	UAL_EVENT_UD_REQUEST,		/* listener (UD): .req is valid */
	UAL_EVENT_EP_ERROR,		/* ep: affiliated async QP error */
	UAL_EVENT_CQ_ERROR,		/* cq overrun or CQ failure */
	UAL_EVENT_SRQ_LIMIT,		/* srq: fell below its limit */
	UAL_EVENT_SRQ_ERROR,
	UAL_EVENT_PORT_DOWN,		/* device: .port_num */
	UAL_EVENT_PORT_UP,
	UAL_EVENT_DEVICE_FATAL,		/* device is unusable: free its objects */
	UAL_EVENT_DEVICE_REMOVED,	/* device is gone: free its objects,
					 * the kernel waits for that */
	UAL_EVENT_LISTEN_ERROR,		/* listener died (device removal) */
	UAL_EVENT_SOFTWARE,		/* ual_eq_post_software() */
	UAL_EVENT_TYPE_COUNT
};

const char *ual_event_name(enum ual_event_type type);

enum ual_reject_reason {
	UAL_REJECT_NONE = 0,
	UAL_REJECT_CONSUMER,	/* the peer application rejected */
	UAL_REJECT_NO_LISTENER,	/* nothing listens on that port */
	UAL_REJECT_OTHER,	/* CM/transport reason, see .status */
};

/* Raw private data may be up to this long in any transport. */
#define UAL_PDATA_MAX 256

/* Event flags */
enum {
	/* iWARP: the active side must post the first send or write. */
	UAL_EVFLAG_ACTIVE_SENDS_FIRST = 1 << 0,
};

struct ual_ep;
struct ual_listener;
struct ual_conn_req;
struct ual_cq;
struct ual_srq;
struct ual_ah;
struct ual_eq;

struct ual_event {
	enum ual_event_type type;
	uint32_t flags;			/* UAL_EVFLAG_* */
	void *context;			/* context of the object concerned */
	struct ual_ep *ep;
	struct ual_listener *listener;
	struct ual_conn_req *req;	/* CONN_REQUEST/UD_REQUEST */
	struct ual_cq *cq;
	struct ual_srq *srq;
	struct ual_ah *ah;		/* UD_RESOLVED: owned by the consumer */
	int status;			/* raw CM status / verbs event */
	enum ual_reject_reason reject_reason;
	uint8_t port_num;
	uint8_t initiator_depth;	/* CONN_REQUEST: reads peer may issue */
	uint8_t responder_resources;	/* CONN_REQUEST: reads we may issue */
	uint32_t remote_qpn;		/* UD_RESOLVED */
	uint32_t remote_qkey;		/* UD_RESOLVED */
	uint64_t software;		/* SOFTWARE: the posted value */
	struct sockaddr_storage local_addr;
	struct sockaddr_storage remote_addr;
	/*
	 * Private data exactly as rdma_cm delivered it.  On IB and RoCE the
	 * kernel zero-pads to the message's capacity (56 bytes in a request,
	 * 196 in a reply, 148 in a reject): the shim's own header must carry
	 * the real length if it needs one.
	 */
	uint32_t private_data_len;
	uint8_t private_data[UAL_PDATA_MAX];
	struct ual_error error;		/* why, for failures */
};

typedef void (*ual_event_handler)(struct ual_eq *eq,
				  const struct ual_event *ev, void *arg);

/*
 * Creates an event queue.  If @dev is non-NULL, the queue also receives
 * that device's unaffiliated events (port up/down, device fatal, device
 * removed: see doc/access_layer.md, "Device removal").
 * Affiliated events go to the queue of the object they concern.
 */
int ual_eq_create(struct ual_device *dev, void *context, struct ual_eq **eq,
		  struct ual_error *err);
/*
 * Frees the queue and the events still queued on it.  A connection or UD
 * request still queued (not yet delivered) is rejected, so its peer sees
 * REJECTED at once.  Requests already delivered must be accepted, rejected
 * or handed off before their queue is destroyed; endpoints and listeners
 * using the queue must be destroyed first.
 */
void ual_eq_destroy(struct ual_eq *eq);
/* A file descriptor that polls readable whenever ual_eq_poll has work. */
int ual_eq_fd(const struct ual_eq *eq);
/* Makes progress without blocking; returns the number of events (>= 0). */
int ual_eq_poll(struct ual_eq *eq, struct ual_event *ev, int max);
/* Like ual_eq_poll, sleeping on the fd up to @timeout_ms (-1 = forever). */
int ual_eq_wait(struct ual_eq *eq, struct ual_event *ev, int max,
		int timeout_ms);
/* Queues a software event (wakes waiters); safe from any thread. */
int ual_eq_post_software(struct ual_eq *eq, uint64_t value, void *context);
/*
 * Callback interface: starts one thread that waits on the queue and calls
 * @fn for every event.  ual_eq_destroy stops it.
 */
int ual_eq_start_thread(struct ual_eq *eq, ual_event_handler fn, void *arg,
			struct ual_error *err);

/* ------------------------------------------------------------------ */
/* Completion queues                                                   */
/* ------------------------------------------------------------------ */

enum ual_wc_status {
	UAL_WC_SUCCESS = 0,
	UAL_WC_LOCAL_LENGTH,
	UAL_WC_LOCAL_PROTECTION,
	UAL_WC_FLUSHED,
	UAL_WC_REMOTE_ACCESS,
	UAL_WC_REMOTE_OPERATION,
	UAL_WC_TRANSPORT_RETRY_EXCEEDED,
	UAL_WC_RNR_RETRY_EXCEEDED,
	UAL_WC_BAD_RESPONSE,
	UAL_WC_OTHER,
	UAL_WC_STATUS_COUNT
};

const char *ual_wc_status_str(enum ual_wc_status status);

enum ual_wc_opcode {
	UAL_WC_SEND,
	UAL_WC_RDMA_WRITE,
	UAL_WC_RDMA_READ,
	UAL_WC_CMP_SWAP,
	UAL_WC_FETCH_ADD,
	UAL_WC_RECV,
	UAL_WC_RECV_RDMA_WITH_IMM,
	UAL_WC_UNKNOWN,		/* error completions carry no opcode */
};

enum {
	UAL_WC_WITH_IMM = 1 << 0,	/* .imm_data is valid */
	UAL_WC_WITH_GRH = 1 << 1,	/* UD receive carried a GRH */
};

struct ual_wc {
	uint64_t context;		/* the post's context */
	enum ual_wc_status status;
	enum ual_wc_opcode opcode;
	uint32_t byte_len;
	uint32_t imm_data;		/* host order, as posted */
	uint32_t qp_num;		/* local QP: see ual_ep_from_qp_num */
	uint32_t src_qp;		/* UD receives */
	uint32_t flags;			/* UAL_WC_* */
	uint32_t vendor_status;		/* raw ibv_wc_status */
};

/* Creates a CQ of at least @depth entries with its own wake-up fd. */
int ual_cq_create(struct ual_device *dev, int depth, void *context,
		  struct ual_cq **cq, struct ual_error *err);
int ual_cq_destroy(struct ual_cq *cq, struct ual_error *err);
/* Non-blocking; returns the number of completions or a negative errno. */
int ual_cq_poll(struct ual_cq *cq, struct ual_wc *wc, int max);
/* Polls; if empty, sleeps on the CQ fd up to @timeout_ms (-1 forever). */
int ual_cq_wait(struct ual_cq *cq, struct ual_wc *wc, int max,
		int timeout_ms);
/* For epoll users: the fd, arming, and consuming a wake-up. */
int ual_cq_fd(const struct ual_cq *cq);
int ual_cq_arm(struct ual_cq *cq, int solicited_only);
int ual_cq_ack_wakeup(struct ual_cq *cq);

/* ------------------------------------------------------------------ */
/* Shared receive queues                                               */
/* ------------------------------------------------------------------ */

int ual_srq_create(struct ual_device *dev, struct ual_eq *eq, uint32_t max_wr,
		   uint32_t max_sge, uint32_t limit, void *context,
		   struct ual_srq **srq, struct ual_error *err);
int ual_srq_destroy(struct ual_srq *srq, struct ual_error *err);
/* Re-arms the low-watermark event (UAL_EVENT_SRQ_LIMIT). */
int ual_srq_set_limit(struct ual_srq *srq, uint32_t limit,
		      struct ual_error *err);

/* ------------------------------------------------------------------ */
/* Endpoints (QP + its rdma_cm identity)                               */
/* ------------------------------------------------------------------ */

enum ual_ep_type {
	UAL_EP_RC = 0,
	UAL_EP_UD,
};

enum ual_ep_state {
	UAL_EP_IDLE = 0,		/* created, never connected */
	UAL_EP_ADDR_QUERY,		/* active: resolving the address */
	UAL_EP_ROUTE_QUERY,		/* active: resolving the route */
	UAL_EP_CONNECTING,		/* active: request sent */
	UAL_EP_RETRY_WAIT,		/* active: backing off before retry */
	UAL_EP_ACCEPTING,		/* passive: reply sent */
	UAL_EP_CONNECTED,
	UAL_EP_DISCONNECTING,		/* local disconnect, waiting */
	UAL_EP_DISCONNECTED,
	UAL_EP_FAILED,			/* rejected, unreachable or broken */
	UAL_EP_STATE_COUNT
};

const char *ual_ep_state_name(enum ual_ep_state state);

struct ual_ep_attr {
	enum ual_ep_type type;
	struct ual_cq *send_cq;
	struct ual_cq *recv_cq;
	struct ual_srq *srq;		/* NULL: own receive queue */
	uint32_t max_send_wr;
	uint32_t max_recv_wr;
	uint32_t max_send_sge;
	uint32_t max_recv_sge;
	uint32_t max_inline;		/* wanted; capped to the device */
	uint8_t max_rdma_read_out;	/* ORD (initiator depth) */
	uint8_t max_rdma_read_in;	/* IRD (responder resources) */
	/* Local address to bind; NULL = the address the device was opened by. */
	const struct sockaddr *local_addr;
};

/* Connection policy.  Zero fields take the defaults in brackets. */
struct ual_connect_opts {
	uint32_t resolve_timeout_ms;	/* per address/route try [2000] */
	uint32_t retries;		/* transient failures retried [0] */
	uint32_t backoff_initial_ms;	/* first retry delay [100] */
	uint32_t backoff_max_ms;	/* delay cap, doubles until [2000] */
	uint32_t timeout_ms;		/* whole attempt, 0 = none */
	uint8_t transport_retries;	/* RC retry_cnt [7] */
	uint8_t rnr_retries;		/* RC rnr_retry [7 = infinite] */
	uint8_t ack_timeout;		/* IB ack timeout exponent, 0 = CM's */
};

int ual_ep_create(struct ual_device *dev, struct ual_eq *eq,
		  const struct ual_ep_attr *attr, void *context,
		  struct ual_ep **ep, struct ual_error *err);
/*
 * Frees the endpoint.  A connected endpoint is disconnected first; queued
 * events that name it are dropped, so the caller may free right after
 * seeing DISCONNECTED, BROKEN or any failure.
 */
int ual_ep_destroy(struct ual_ep *ep, struct ual_error *err);
enum ual_ep_state ual_ep_get_state(const struct ual_ep *ep);
void *ual_ep_context(const struct ual_ep *ep);
uint32_t ual_ep_qp_num(const struct ual_ep *ep);
uint32_t ual_ep_max_inline(const struct ual_ep *ep);
struct ual_ep *ual_ep_from_qp_num(struct ual_device *dev, uint32_t qp_num);
/* Addresses of a connected endpoint (port included). */
int ual_ep_addresses(const struct ual_ep *ep, struct sockaddr_storage *local,
		     struct sockaddr_storage *remote);

/*
 * Active connect to @dst (port taken from @dst).  Progress is reported on
 * the endpoint's event queue: ESTABLISHED (with the peer's accept private
 * data), REJECTED, UNREACHABLE (after @opts->retries), or BROKEN.
 *
 * iWARP: MPA requires the active side to send the first message.  The
 * ESTABLISHED event carries UAL_EVFLAG_ACTIVE_SENDS_FIRST; the passive
 * side must not post sends before it has received something.
 */
int ual_ep_connect(struct ual_ep *ep, const struct sockaddr *dst,
		   const void *pdata, uint32_t pdata_len,
		   const struct ual_connect_opts *opts, struct ual_error *err);
/*
 * Sends a disconnect; DISCONNECTED follows on the event queue.  While
 * accepting (before ESTABLISHED) the disconnect goes out as soon as the
 * connection is established, or DISCONNECTED comes when the attempt fails
 * instead; either way the endpoint ends DISCONNECTED.
 */
int ual_ep_disconnect(struct ual_ep *ep, struct ual_error *err);

/*
 * Makes a DISCONNECTED or FAILED endpoint IDLE again, reusable for one
 * more ual_ep_connect or ual_accept (DAT dat_ep_reset, IT-API
 * it_ep_reset).  An RC endpoint gets a fresh cm id bound to its local
 * address and its QP goes through RESET back to INIT; its QP number,
 * CQs, SRQ and context stay.  On iWARP a QP cannot carry a second
 * connection (siw refuses the next accept), so the endpoint gets a new
 * QP with the same attributes instead: ual_ep_qp_num() changes.  A UD
 * endpoint keeps its QP in RTS.  Connect timers are cancelled and events
 * still queued about the endpoint (the old connection's) are dropped.
 * Work requests still on the QP are discarded without completions: after
 * DISCONNECTED or a failure the QP is in the error state and what was
 * posted completes as UAL_WC_FLUSHED, so reap the CQs before resetting.
 * IDLE: nothing to do, returns 0.
 * Errors: -EISCONN (CONNECTED: disconnect first), -EBUSY (connecting,
 * accepting or disconnecting: wait for the outcome), -ENODEV (the device
 * is lost), or the failing verbs/rdma_cm call (the endpoint then stays
 * as it was; destroy it).  Not concurrently with other calls on @ep.
 */
int ual_ep_reset(struct ual_ep *ep, struct ual_error *err);

/* ------------------------------------------------------------------ */
/* Listening and incoming requests                                     */
/* ------------------------------------------------------------------ */

/*
 * Listens on @addr (its port; port 0 picks a free one, see
 * ual_listener_port).  A NULL @addr, or a wildcard address, listens on
 * every address; @type selects RC or UD (service ID resolution).
 */
int ual_listen(struct ual_device *dev, struct ual_eq *eq,
	       const struct sockaddr *addr, enum ual_ep_type type, int backlog,
	       void *context, struct ual_listener **listener,
	       struct ual_error *err);
/*
 * Stops listening and frees the listener.  Requests still queued on its
 * event queue (not yet delivered) are rejected and dropped; the peer sees
 * REJECTED at once.  A request already delivered does not depend on its
 * listener: it stays valid for exactly one ual_accept, ual_reject or
 * ual_conn_req_handoff (the .listener pointer of its event does not).
 */
int ual_listener_destroy(struct ual_listener *listener);
uint16_t ual_listener_port(const struct ual_listener *listener);

/*
 * Accepts a request with endpoint @ep (same device, IDLE) and raw private
 * data.  @req is consumed whatever the outcome (a failed accept rejects).
 */
int ual_accept(struct ual_conn_req *req, struct ual_ep *ep, const void *pdata,
	       uint32_t pdata_len, struct ual_error *err);
/* Rejects with raw private data (the active side sees CONSUMER). */
int ual_reject(struct ual_conn_req *req, const void *pdata,
	       uint32_t pdata_len, struct ual_error *err);
struct ual_device *ual_conn_req_device(const struct ual_conn_req *req);

/*
 * Hands a delivered request over to listener @to (DAT dat_cr_handoff to
 * the PSP of another connection qualifier, IT-API it_handoff): its cm id
 * moves to @to's event queue (rdma_migrate_id) and a new CONN_REQUEST
 * (UD_REQUEST) is queued there, naming @to with @to's context and
 * carrying the same addresses, private data and read depths.  On success
 * the caller's handle is consumed: answer the request through the new
 * event's .req (which may be the same pointer).  The request's peer is
 * not told anything; its CM timeout keeps running.
 * Errors, @req untouched (still to be answered): -EXDEV (@to is on
 * another device), -EINVAL (RC request to a UD listener or the reverse),
 * -ECONNABORTED (the peer already gave up: reject it to free it),
 * -ENOMEM, or rdma_migrate_id's errno.
 */
int ual_conn_req_handoff(struct ual_conn_req *req, struct ual_listener *to,
			 struct ual_error *err);

/* ------------------------------------------------------------------ */
/* Unreliable datagrams                                                */
/* ------------------------------------------------------------------ */

/* Bytes in front of every UD receive buffer where a GRH may land. */
#define UAL_UD_GRH_LEN 40

/* Resolves a UD peer listening at @dst; UD_RESOLVED carries the AH. */
int ual_ud_resolve(struct ual_ep *ep, const struct sockaddr *dst,
		   const void *pdata, uint32_t pdata_len,
		   const struct ual_connect_opts *opts, struct ual_error *err);
/* Builds an address handle to answer the sender of a UD receive. */
int ual_ah_create_from_wc(struct ual_ep *ep, const struct ual_wc *wc,
			  const void *grh, struct ual_ah **ah,
			  struct ual_error *err);
int ual_ah_destroy(struct ual_ah *ah);

/* ------------------------------------------------------------------ */
/* Posting work                                                        */
/* ------------------------------------------------------------------ */

/* Same layout as struct ibv_sge, so posts need no copy. */
struct ual_sge {
	uint64_t addr;
	uint32_t length;
	uint32_t lkey;
};

enum {
	UAL_POST_SIGNALED = 1 << 0,	/* completion on success too */
	UAL_POST_SOLICITED = 1 << 1,	/* wake a solicited-only waiter */
	UAL_POST_FENCE = 1 << 2,	/* wait for earlier RDMA reads */
	UAL_POST_NO_INLINE = 1 << 3,	/* never copy the payload inline */
};

int ual_post_recv(struct ual_ep *ep, const struct ual_sge *sge, int nsge,
		  uint64_t context);
int ual_srq_post_recv(struct ual_srq *srq, const struct ual_sge *sge,
		      int nsge, uint64_t context);
int ual_post_send(struct ual_ep *ep, const struct ual_sge *sge, int nsge,
		  uint64_t context, unsigned int flags);
int ual_post_send_imm(struct ual_ep *ep, const struct ual_sge *sge, int nsge,
		      uint32_t imm, uint64_t context, unsigned int flags);
int ual_post_write(struct ual_ep *ep, const struct ual_sge *sge, int nsge,
		   uint64_t raddr, uint32_t rkey, uint64_t context,
		   unsigned int flags);
int ual_post_write_imm(struct ual_ep *ep, const struct ual_sge *sge, int nsge,
		       uint64_t raddr, uint32_t rkey, uint32_t imm,
		       uint64_t context, unsigned int flags);
int ual_post_read(struct ual_ep *ep, const struct ual_sge *sge, int nsge,
		  uint64_t raddr, uint32_t rkey, uint64_t context,
		  unsigned int flags);
/* 8-byte atomics; the original remote value lands in @sge. */
int ual_post_cmp_swap(struct ual_ep *ep, const struct ual_sge *sge,
		      uint64_t raddr, uint32_t rkey, uint64_t compare,
		      uint64_t swap, uint64_t context, unsigned int flags);
int ual_post_fetch_add(struct ual_ep *ep, const struct ual_sge *sge,
		       uint64_t raddr, uint32_t rkey, uint64_t add,
		       uint64_t context, unsigned int flags);
int ual_post_send_ud(struct ual_ep *ep, const struct ual_sge *sge, int nsge,
		     struct ual_ah *ah, uint32_t remote_qpn,
		     uint32_t remote_qkey, uint64_t context,
		     unsigned int flags);
/*
 * The last post error of @ep in words (for example "atomic operations are
 * not supported by device siwA (iWARP)").  Posts return only an errno so
 * that the fast path stays free of string work.
 */
const char *ual_post_strerror(int rc, const struct ual_ep *ep, char *buf,
			      size_t len);

#ifdef __cplusplus
}
#endif

#endif /* UAL_UAL_H */
