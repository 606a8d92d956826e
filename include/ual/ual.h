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
	UAL_CAP_MW_TYPE1 = 1 << 6,	 /* memory windows bound by a call */
	UAL_CAP_MW_TYPE2 = 1 << 7,	 /* memory windows bound by a post */
	UAL_CAP_SRQ_RESIZE = 1 << 8,	 /* ual_srq_resize can work */
};

/* Private data limits (bytes the consumer may pass) per CM message. */
struct ual_pdata_limits {
	uint32_t connect;
	uint32_t accept;
	uint32_t reject;
	/*
	 * UD service resolution (IB SIDR): ual_ud_resolve may carry 180
	 * bytes (a SIDR REQ holds 216, rdma_cm's addressing header takes
	 * 36), the UD accept 136 (a SIDR REP's area).  0 without UD (iWARP).
	 */
	uint32_t ud_resolve;
	uint32_t ud_reply;
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
	uint32_t max_mw;		/* memory windows; 0 = none */
	uint32_t max_inline;		/* probed: largest inline send */
	uint32_t max_rd_atomic;		/* ORD: outstanding reads we issue */
	uint32_t max_dest_rd_atomic;	/* IRD: reads we serve */
	uint32_t max_msg_size;
	uint32_t active_mtu;
	struct ual_pdata_limits pdata;	/* usable private data per message */
	uint64_t memlock_limit;		/* RLIMIT_MEMLOCK soft after open, bytes; ~0 = unlimited */
	/* Identity, for DAT's IA/provider attributes and IT-API's it_ia_info. */
	uint32_t vendor_id;
	uint32_t vendor_part_id;
	uint32_t hw_ver;
	char fw_ver[64];
	uint64_t node_guid;		/* network byte order, as verbs reports it */
	uint64_t sys_image_guid;	/* network byte order */
	uint8_t num_ports;
	uint32_t max_pd;
	uint32_t max_ah;
	uint32_t max_srq_sge;
};

enum ual_gid_type {
	UAL_GID_IB = 0,
	UAL_GID_ROCE_V1,
	UAL_GID_ROCE_V2,
	UAL_GID_IWARP,		/* the MAC-derived GID iWARP devices report */
};

struct ual_gid {
	uint8_t raw[16];
	uint16_t index;		/* in the port's GID table */
	uint8_t type;		/* enum ual_gid_type */
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
struct ual_eq;

/*
 * Opens a scope on the device selected by @spec:
 *  - "rxe0" or "rxe0:1"      a verbs device, optionally with port
 *  - "rxe_veth"              a network interface name
 *  - "192.168.77.1", "fd00:77::1", "[fd00:77::1]"  a local address
 *  - "myhost"                a host name resolving to a local address
 * Every call returns a new scope (a DAT or IT-API IA): its own port,
 * local address, attributes (ual_device_query), protection domain and
 * async destinations (ual_device_set_async).  The verbs context, its
 * async events, the removal watch and the connection machinery are
 * shared by all scopes on one device in the process.  Objects belong to
 * the scope they were created with; memory registered in one scope is
 * not usable by another's endpoints (separate protection domains).
 * If @local is non-NULL it receives the local IP address the spec
 * selected (port 0), which endpoints and listeners bind to by default.
 * Each object created with the scope holds a reference to it, so
 * ual_device_close may come before the last object is destroyed; the
 * scope goes with its last object.
 * RLIMIT_MEMLOCK is never a reason to refuse: the soft limit is raised to
 * the hard one, and a registration or queue the limit refuses says so
 * (doc/access_layer.md, "Memory lock limit").
 */
int ual_device_open(const char *spec, struct ual_device **dev,
		    struct sockaddr_storage *local, struct ual_error *err);
void ual_device_close(struct ual_device *dev);
void ual_device_query(struct ual_device *dev, struct ual_device_attr *attr);
const char *ual_device_name(const struct ual_device *dev);
enum ual_transport ual_device_transport(const struct ual_device *dev);
/*
 * Opens another protection domain of scope @dev (a DAT or IT-API PZ):
 * @pd is a scope that shares @dev's port, address, attributes and async
 * destinations but has a protection domain of its own.  Objects are
 * created with it like with any scope; memory registered in one
 * protection domain is not usable by endpoints, SRQs or memory windows
 * of another.  An accept may use an endpoint of any protection domain of
 * the listener's device.  Close it with ual_device_close.
 */
int ual_pd_open(struct ual_device *dev, struct ual_device **pd,
		struct ual_error *err);
/*
 * The non-empty GIDs of @port (0: the scope's port), at most @max;
 * returns how many were stored or -EINVAL for a bad port.
 */
int ual_device_gids(struct ual_device *dev, uint8_t port, struct ual_gid *gids,
		    int max);
/*
 * The local IP addresses (IPv4 first as the system lists them, then
 * IPv6) through which rdma_cm reaches @port (0: the scope's port) of the
 * device, in the caller's network namespace; at most @max, port 0 in each.
 * Returns how many were stored or a negative errno.
 */
int ual_device_port_addrs(struct ual_device *dev, uint8_t port,
			  struct sockaddr_storage *addrs, int max);
/*
 * Where the scope's asynchronous events go (see "Async events" in
 * doc/access_layer.md).  @affiliated receives EP_ERROR, CQ_ERROR,
 * SRQ_LIMIT and SRQ_ERROR of the scope's objects; @unaffiliated receives
 * PORT_UP/PORT_DOWN of the scope's port, DEVICE_FATAL and DEVICE_REMOVED.
 * NULL restores the default: affiliated events to the object's own queue
 * (an endpoint's queue, the queue an SRQ was created with, for a CQ the
 * scope's first queue), unaffiliated ones to every queue created with
 * the scope.  Either queue may belong to any scope or none; it is
 * attached to the device so that its progress reads the device's async
 * events.  A connection's own consequences (CONN_BROKEN after a fatal QP
 * error) always go to the endpoint's queue.
 */
int ual_device_set_async(struct ual_device *dev, struct ual_eq *affiliated,
			 struct ual_eq *unaffiliated, struct ual_error *err);

/* ------------------------------------------------------------------ */
/* Memory                                                              */
/* ------------------------------------------------------------------ */

enum {
	UAL_ACCESS_LOCAL_WRITE = 1 << 0,  /* receives and RDMA read sinks */
	UAL_ACCESS_REMOTE_WRITE = 1 << 1,
	UAL_ACCESS_REMOTE_READ = 1 << 2,
	UAL_ACCESS_REMOTE_ATOMIC = 1 << 3,
	/*
	 * Memory windows may be bound to the region (ual_mw_bind).  Refused
	 * with -EOPNOTSUPP by ual_mr_reg where the device has no windows.
	 */
	UAL_ACCESS_MW_BIND = 1 << 4,
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

/*
 * Memory windows: a remote key for a sub-range of a region with a subset
 * of its rights, that can be revoked.  See doc/access_layer.md, "Memory
 * windows".  Devices without windows (siw, for example) report neither
 * UAL_CAP_MW_TYPE1 nor UAL_CAP_MW_TYPE2 and max_mw 0; every call below
 * then fails with -EOPNOTSUPP (ual_mw_alloc fills @err; the posts give
 * their text through ual_post_strerror).
 *
 * Type 1 windows are bound and unbound by a call on an endpoint and can
 * be used through any endpoint of the device.  Type 2 windows are bound
 * by a work request and are usable only through the endpoint that bound
 * them; they are revoked by ual_post_local_inv or by the peer's
 * ual_post_send_inv.  Binds and invalidations are ordered with the
 * endpoint's other sends and complete on its send CQ (UAL_WC_BIND_MW,
 * UAL_WC_LOCAL_INV; a refused bind gives UAL_WC_MW_BIND).
 */
enum ual_mw_type {
	UAL_MW_TYPE1 = 1,
	UAL_MW_TYPE2 = 2,
};

struct ual_mw;
struct ual_ep;

/* Allocates an unbound window.  -EOPNOTSUPP where the type is missing. */
int ual_mw_alloc(struct ual_device *dev, enum ual_mw_type type,
		 struct ual_mw **mw, struct ual_error *err);
/* Frees the window (revoking it if bound).  Not while a bind is posted. */
int ual_mw_dealloc(struct ual_mw *mw, struct ual_error *err);
/* The window's remote key as of the last bind posted (0 before any). */
uint32_t ual_mw_rkey(const struct ual_mw *mw);
enum ual_mw_type ual_mw_type(const struct ual_mw *mw);

/*
 * Binds @mw to [@addr, @addr + @len) of @mr, which must lie inside @mr and
 * have been registered with UAL_ACCESS_MW_BIND, with the remote rights
 * in @access (UAL_ACCESS_REMOTE_READ/WRITE/ATOMIC; writable windows need
 * a region with local write, which ual_mr_reg grants with remote write).
 * The post goes on @ep's send queue: a completion with @context arrives
 * on its send CQ if @flags has UAL_POST_SIGNALED or the bind fails.
 * *@rkey receives the window's new key, valid for the peer once the
 * bind has executed (ordered before any later send of @ep).  Returns 0 or
 * a negative errno like the posts (-EOPNOTSUPP, -EINVAL for a range
 * outside @mr or a region without MW-bind access, -ENOMEM ...).
 * On devices that do not check a window's range themselves (rxe; see
 * doc/access_layer.md) the layer registers the bound range as a region
 * of its own, so this call then costs a registration.
 * Data path rules: no lock of the layer; one window is bound by one
 * thread at a time.
 */
int ual_mw_bind(struct ual_ep *ep, struct ual_mw *mw, struct ual_mr *mr,
		uint64_t addr, uint64_t len, unsigned int access,
		uint64_t context, unsigned int flags, uint32_t *rkey);
/*
 * Revokes a bound window: type 1 by binding it to nothing, type 2 by a
 * local invalidate of its current key.  Completes like ual_mw_bind
 * (UAL_WC_BIND_MW or UAL_WC_LOCAL_INV).  A window that is not bound (never
 * bound, or unbound already) is left alone: 0, and no completion.  A type
 * 2 window the peer invalidated (UAL_WC_WITH_INV on its send) counts as
 * bound here; unbinding it posts an invalidate that completes in error.
 */
int ual_mw_unbind(struct ual_ep *ep, struct ual_mw *mw, uint64_t context,
		  unsigned int flags);

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
	UAL_EVENT_EP_LAST_WQE,		/* ep on an SRQ: its QP is in error
					 * and takes no more SRQ receives */
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
	/*
	 * UNREACHABLE: the consumer's ual_connect_opts.timeout_ms expired
	 * (error.errnum ETIMEDOUT).  DISCONNECTED: the peer did not answer
	 * the disconnect within the disconnect bound; the layer finished
	 * it locally.  Without the flag the event has its transport cause.
	 */
	UAL_EVFLAG_TIMED_OUT = 1 << 1,
};

struct ual_ep;
struct ual_listener;
struct ual_conn_req;
struct ual_cq;
struct ual_srq;
struct ual_ah;
struct ual_ud_query;

/*
 * Address handle attributes: verbs' ibv_ah_attr, flattened.  UD_RESOLVED
 * carries them so that a consumer can make handles later (ual_ah_create),
 * as IT-API's UD service request reply does with its path.
 */
struct ual_ah_attr {
	uint16_t dlid;			/* IB; 0 on RoCE */
	uint8_t sl;
	uint8_t src_path_bits;
	uint8_t static_rate;
	uint8_t port_num;
	uint8_t is_global;		/* 1: the GRH fields are valid (RoCE) */
	uint8_t sgid_index;
	uint8_t hop_limit;
	uint8_t traffic_class;
	uint32_t flow_label;
	uint8_t dgid[16];
};

struct ual_event {
	enum ual_event_type type;
	uint32_t flags;			/* UAL_EVFLAG_* */
	void *context;			/* context of the object concerned */
	struct ual_ep *ep;
	struct ual_listener *listener;
	struct ual_conn_req *req;	/* CONN_REQUEST/UD_REQUEST */
	struct ual_cq *cq;
	struct ual_srq *srq;
	struct ual_ah *ah;		/* UD_RESOLVED by an ep: owned by the
					 * consumer; NULL for a ual_ud_query */
	struct ual_ud_query *ud_query;	/* UD_RESOLVED etc. of a query */
	struct ual_ah_attr ah_attr;	/* UD_RESOLVED: the path to the peer */
	int status;			/* raw CM status / verbs event */
	enum ual_reject_reason reject_reason;
	uint8_t port_num;
	/*
	 * RDMA read depths, always from this side's point of view.
	 * CONN_REQUEST: initiator_depth is how many reads the peer will
	 * serve for us (its responder resources), responder_resources how
	 * many it wants to have outstanding at us (its initiator depth);
	 * ual_accept caps both by the endpoint's attributes.
	 * CONN_ESTABLISHED (both sides): the negotiated values the QP runs
	 * with: initiator_depth = reads this endpoint may have outstanding
	 * (QP max_rd_atomic), responder_resources = reads it serves at once
	 * (QP max_dest_rd_atomic).  0 means none: see ual_post_read.
	 */
	uint8_t initiator_depth;
	uint8_t responder_resources;
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
 * Creates an event queue.  If @dev is non-NULL, the queue belongs to that
 * scope: it receives the scope's unaffiliated events (port up/down,
 * device fatal, device removed: see doc/access_layer.md, "Device
 * removal") unless ual_device_set_async names another destination.
 * Affiliated events go to the queue of the object they concern (or the
 * scope's affiliated queue).  Whatever @dev, a queue that holds an
 * endpoint, listener or SRQ of a device also reads that device's async
 * events, so a fatal QP error reaches its endpoint without help.
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
 * Automatic progress (opt-in): the layer's progress thread (one per
 * process, started with the first such queue) reads the queue's CM
 * channel, timers and device events as they arrive, so connections move
 * forward although the consumer waits only on a CQ or not at all:
 * librdmacm sends the RTU of an active connect, a peer's disconnect is
 * answered, retries and deadlines fire.  The resulting events stay
 * queued for ual_eq_poll/ual_eq_wait, in order; the queue's fd then
 * polls readable only while events are queued.  @on = 0 returns to
 * consumer-driven progress.  Returns 0 or a negative errno.
 */
int ual_eq_set_auto_progress(struct ual_eq *eq, int on, struct ual_error *err);
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
	UAL_WC_LOCAL_QP_OPERATION,	/* malformed WR or QP state (siw) */
	UAL_WC_MW_BIND,			/* window bind refused: range/rights */
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
	UAL_WC_BIND_MW,		/* ual_mw_bind, type 1 ual_mw_unbind */
	UAL_WC_LOCAL_INV,	/* ual_post_local_inv, type 2 unbind */
};

enum {
	UAL_WC_WITH_IMM = 1 << 0,	/* .imm_data is valid */
	UAL_WC_WITH_GRH = 1 << 1,	/* UD receive carried a GRH */
	UAL_WC_WITH_INV = 1 << 2,	/* .invalidated_rkey is valid */
};

struct ual_wc {
	uint64_t context;		/* the post's context */
	enum ual_wc_status status;
	enum ual_wc_opcode opcode;
	uint32_t byte_len;
	union {
		uint32_t imm_data;	/* WITH_IMM: host order, as posted */
		uint32_t invalidated_rkey; /* WITH_INV: the peer revoked it */
	};
	uint32_t qp_num;		/* local QP: see ual_ep_from_qp_num */
	uint32_t src_qp;		/* UD receives */
	uint32_t flags;			/* UAL_WC_* */
	uint32_t vendor_status;		/* raw ibv_wc_status */
	/*
	 * Successful receives: the sender's LID and service level (IB; on
	 * RoCE the LID is 0 and the sender is named by the GRH).  With
	 * src_qp they are what an IT-API UD receive reports.
	 */
	uint16_t slid;
	uint8_t sl;
	uint8_t dlid_path_bits;		/* IB: low DLID bits of the receive */
};
/*
 * An error completion (status != UAL_WC_SUCCESS) carries only context,
 * status, vendor_status and qp_num; opcode is UAL_WC_UNKNOWN and every
 * other field is 0.  A success has imm_data/invalidated_rkey 0 unless a
 * flag says otherwise, and src_qp 0 where the device gives none.
 */

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
/*
 * Consumes the wake-ups pending on the fd.  Safe to call from several
 * threads at once (wake-up acknowledgement is counted atomically), so
 * ual_cq_destroy never waits on a lost count.
 */
int ual_cq_ack_wakeup(struct ual_cq *cq);
/*
 * Changes the CQ to at least @depth entries (ibv_resize_cq).  Completions
 * already queued stay.  -EINVAL if @depth is below the number of queued
 * completions or above max_cqe; -EOPNOTSUPP, with a text in @err, where
 * the device cannot resize (siw: verbs offers no flag saying so, the
 * call is the test).  No poll or
 * wait may run on the CQ meanwhile.
 */
int ual_cq_resize(struct ual_cq *cq, int depth, struct ual_error *err);
/* Entries the CQ really has (may exceed what was asked). */
int ual_cq_depth(const struct ual_cq *cq);

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

struct ual_srq_attr {
	uint32_t max_wr;	/* receives the SRQ can hold */
	uint32_t max_sge;	/* SGEs per receive */
	uint32_t limit;		/* armed low watermark, 0 = not armed */
};

/*
 * The SRQ's sizes and limit.  Where the device cannot be asked (libsiw
 * has no query), the values the layer created or last set are returned;
 * there the limit stays as last set, while a device that is asked reports
 * 0 once the limit event has fired (verbs disarms it).  -errno + @err
 * only if the device fails the query.
 */
int ual_srq_query(struct ual_srq *srq, struct ual_srq_attr *attr,
		  struct ual_error *err);
/*
 * Grows the SRQ to at least @max_wr receives (ibv_modify_srq MAX_WR);
 * posted receives stay.  -EOPNOTSUPP, with a text in @err, where the
 * device cannot (UAL_CAP_SRQ_RESIZE not set); -EINVAL for a size the
 * device refuses (smaller than what is posted, above max_srq_wr).
 */
int ual_srq_resize(struct ual_srq *srq, uint32_t max_wr,
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

/*
 * "Zero" flags for struct ual_ep_attr.  A zero field means "the layer's
 * default"; to ask for a real zero, set the field's flag (the field's
 * value is then ignored).  See doc/access_layer.md, "Endpoint depths".
 */
enum {
	UAL_EP_ZERO_READ_OUT = 1 << 0,	/* issue no RDMA reads/atomics */
	UAL_EP_ZERO_READ_IN = 1 << 1,	/* serve no RDMA reads/atomics */
	UAL_EP_ZERO_INLINE = 1 << 2,	/* never send inline */
	UAL_EP_ZERO_RECV = 1 << 3,	/* no receive queue (send-only QP);
					 * with an SRQ there is none anyway */
};

/* Default RDMA read depth (each way) when the attribute is 0, as OFA. */
#define UAL_EP_DEFAULT_READ_DEPTH 4

struct ual_ep_attr {
	enum ual_ep_type type;
	struct ual_cq *send_cq;
	struct ual_cq *recv_cq;
	struct ual_srq *srq;		/* NULL: own receive queue */
	uint32_t max_send_wr;
	uint32_t max_recv_wr;
	uint32_t max_send_sge;
	uint32_t max_recv_sge;
	uint32_t max_inline;		/* wanted; capped to the device;
					 * 0 = device's probed maximum */
	/*
	 * RDMA read depths: ORD (reads/atomics this endpoint may have
	 * outstanding) and IRD (those it serves at once).  0 = default
	 * UAL_EP_DEFAULT_READ_DEPTH; capped to the device at creation, sent
	 * in the connect request, capped against the peer's request on
	 * accept; the negotiated values come in CONN_ESTABLISHED.
	 */
	uint8_t max_rdma_read_out;	/* ORD (initiator depth) */
	uint8_t max_rdma_read_in;	/* IRD (responder resources) */
	/* Local address to bind; NULL = the address the device was opened by. */
	const struct sockaddr *local_addr;
	uint32_t flags;			/* UAL_EP_ZERO_* */
};

/*
 * Connection policy.  Zero fields take the defaults in brackets.
 *
 * Two separate budgets: address and route resolution is tried
 * resolve_retries + 1 times, each try bounded by resolve_timeout_ms and
 * retried at once (OFA uDAPL: 4000 ms x 15 tries); a connect that is
 * refused because nothing listens, or that gets no answer, is retried
 * @retries times after an exponential back-off.  Every retry after a
 * request was sent first flushes the QP: receives posted before the
 * connect complete with UAL_WC_FLUSHED (see doc/access_layer.md,
 * "Connection policy").  timeout_ms bounds everything and is reported
 * as UNREACHABLE with UAL_EVFLAG_TIMED_OUT.
 */
struct ual_connect_opts {
	uint32_t resolve_timeout_ms;	/* per address/route try [4000] */
	uint32_t retries;		/* refused/unanswered connects retried [0] */
	uint32_t backoff_initial_ms;	/* first retry delay [100] */
	uint32_t backoff_max_ms;	/* delay cap, doubles until [2000] */
	uint32_t timeout_ms;		/* whole attempt, 0 = none */
	uint8_t transport_retries;	/* RC retry_cnt [7] */
	uint8_t rnr_retries;		/* RC rnr_retry [7 = infinite] */
	uint8_t ack_timeout;		/* IB ack timeout exponent, 0 = CM's */
	uint32_t resolve_retries;	/* extra resolution tries [14];
					 * UAL_NO_RETRIES for none */
	uint32_t disconnect_timeout_ms;	/* bound of a disconnect [2000] */
};

/* A "zero" that is not "default" for ual_connect_opts.resolve_retries. */
#define UAL_NO_RETRIES UINT32_MAX

int ual_ep_create(struct ual_device *dev, struct ual_eq *eq,
		  const struct ual_ep_attr *attr, void *context,
		  struct ual_ep **ep, struct ual_error *err);
/*
 * Frees the endpoint.  A connected endpoint is disconnected first (without
 * waiting for the peer: the cm id is destroyed at once, which the kernel
 * does not block on); queued events that name it are dropped, so the
 * caller may free right after seeing DISCONNECTED, BROKEN or any failure.
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
 * instead; either way the endpoint ends DISCONNECTED.  If the peer does
 * not answer within the disconnect bound (the connect's
 * disconnect_timeout_ms, 2000 ms by default and for accepted endpoints),
 * the layer moves the QP to the error state (posted work completes
 * FLUSHED), abandons the cm id and reports DISCONNECTED with
 * UAL_EVFLAG_TIMED_OUT.
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

/*
 * Resolves a UD peer listening at @dst; UD_RESOLVED carries the AH and the
 * path (.ah_attr).  @pdata_len is limited by ual_pdata_limits.ud_resolve
 * (-EMSGSIZE above); the UD ual_accept by .ud_reply.  Q_Key: rdma_cm's
 * 0x01234567 on both sides, reported as .remote_qkey; send with it.
 */
int ual_ud_resolve(struct ual_ep *ep, const struct sockaddr *dst,
		   const void *pdata, uint32_t pdata_len,
		   const struct ual_connect_opts *opts, struct ual_error *err);
/*
 * UD service resolution without an endpoint (IT-API's UD service request
 * handle): a query object on @eq resolves @dst's UD listener by SIDR and
 * reports UD_RESOLVED with .ud_query, .context, .remote_qpn, .remote_qkey,
 * .ah_attr and the reply's private data (no .ep, no .ah: make handles with
 * ual_ah_create).  Failures: UNREACHABLE (resolution or no answer; with
 * UAL_EVFLAG_TIMED_OUT when @opts->timeout_ms expired) or REJECTED.
 * Only resolve_timeout_ms and timeout_ms of @opts are used: a query is
 * tried once; start it again to retry (also to resolve another peer).
 * -EOPNOTSUPP on a device without UD (iWARP); -EBUSY while a resolution
 * runs; -EMSGSIZE above ual_pdata_limits.ud_resolve.  Calls on one query
 * must not race; destroy drops its queued events.
 */
int ual_ud_query_create(struct ual_device *dev, struct ual_eq *eq,
			void *context, struct ual_ud_query **query,
			struct ual_error *err);
int ual_ud_query_start(struct ual_ud_query *query, const struct sockaddr *dst,
		       const void *pdata, uint32_t pdata_len,
		       const struct ual_connect_opts *opts,
		       struct ual_error *err);
void ual_ud_query_destroy(struct ual_ud_query *query);
/*
 * Makes an address handle on @dev from attributes (a UD_RESOLVED's
 * .ah_attr).  -EOPNOTSUPP without UD; the verbs errno otherwise.
 */
int ual_ah_create(struct ual_device *dev, const struct ual_ah_attr *attr,
		  struct ual_ah **ah, struct ual_error *err);
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
/*
 * Reads and atomics fail with -EPERM (nothing posted) on an endpoint whose
 * read depth is 0: asked with UAL_EP_ZERO_READ_OUT, or negotiated down to
 * 0 by a peer that serves no reads.  ual_post_strerror says which.
 */
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
/*
 * Send that also revokes the peer's type 2 window (or region) @rkey; the
 * peer's receive completion has UAL_WC_WITH_INV and .invalidated_rkey.
 * -EOPNOTSUPP where the device has no type 2 windows.
 */
int ual_post_send_inv(struct ual_ep *ep, const struct ual_sge *sge, int nsge,
		      uint32_t rkey, uint64_t context, unsigned int flags);
/* Revokes the local type 2 window @rkey after earlier sends (LOCAL_INV). */
int ual_post_local_inv(struct ual_ep *ep, uint32_t rkey, uint64_t context,
		       unsigned int flags);
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
