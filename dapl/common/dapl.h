/* SPDX-License-Identifier: BSD-3-Clause OR GPL-2.0-only */
/*
 * dapl.h - the uDAPL provider's private header: the object header every
 * DAT handle starts with, handle validation, status conversion and the
 * objects the families share.
 *
 * The provider is a shim over the access layer (include/ual/ual.h): it
 * translates names, handles, attributes, events and status codes, and
 * keeps no connection state machine of its own.  It is split by DAT
 * object family (ia, pz, lmr, rmr, evd, cno, ep, cm, srq, dto); each
 * family file fills its slots of the dispatch table with dapl_<family>_ops().
 */
#ifndef DAPL_DAPL_H
#define DAPL_DAPL_H

#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>

#include <dat2/udat.h>
#include <dat2/udat_redirection.h>
#include <ual/ual.h>

/* An error return: the error class bit with @type and @subtype. */
#define DAT_ERROR(type, subtype) \
	((DAT_RETURN)(DAT_CLASS_ERROR | (DAT_UINT32)(type) | (DAT_UINT32)(subtype)))

/*
 * Every object begins with this header.  libdat2 dispatches through the
 * first word (DAT_HANDLE_TO_PROVIDER), so @provider must stay first and
 * stays valid after the object is freed: object memory is type-stable
 * (handle.c), so a freed handle reads a FREED magic, never unmapped memory.
 */
struct dapl_hdr {
	DAT_PROVIDER		*provider;	/* must be first */
	uint32_t		magic;		/* the type's magic while live */
	DAT_HANDLE_TYPE		type;
	struct dapl_ia		*ia;		/* owner; the IA itself for an IA */
	DAT_CONTEXT		context;	/* dat_set_consumer_context */
	struct dapl_hdr		*prev, *next;	/* in the owner's object list */
	struct dapl_hdr		*free_next;	/* in the type's free queue */
};

/* Magic numbers of live objects (OFA's values, handy in a debugger). */
enum dapl_magic {
	DAPL_MAGIC_IA	= 0xCafeF00d,
	DAPL_MAGIC_EVD	= 0xFeedFace,
	DAPL_MAGIC_EP	= 0xDeadBabe,
	DAPL_MAGIC_LMR	= 0xBeefCafe,
	DAPL_MAGIC_RMR	= 0xABadCafe,
	DAPL_MAGIC_PZ	= 0xDeafBeef,
	DAPL_MAGIC_PSP	= 0xBeadeD0c,
	DAPL_MAGIC_RSP	= 0xFab4Feed,
	DAPL_MAGIC_SRQ	= 0xC001Babe,
	DAPL_MAGIC_CR	= 0xBe12Cee1,
	DAPL_MAGIC_CNO	= 0xDeadF00d,
	DAPL_MAGIC_CSP	= 0xC5B0C5B0,
	DAPL_MAGIC_FREED = 0xFFFFFFFF,
};

/* ---- handle.c: type-stable objects and handle checks ------------------ */

/*
 * Allocates a zeroed object of @size bytes (the same size for every call
 * with one @type) with its header filled, linked into @ia's object list
 * (unless @ia is NULL: the IA itself links nothing).  NULL on ENOMEM.
 */
void *dapl_obj_alloc(DAT_PROVIDER *provider, DAT_HANDLE_TYPE type,
		     size_t size, struct dapl_ia *ia);
/* Marks @obj freed, unlinks it from its IA and queues it for reuse. */
void dapl_obj_free(void *obj);
/*
 * The object behind @h when it is a live object of @type, else NULL.
 * Safe for NULL, freed and wrong-type handles of this provider.
 */
void *dapl_obj_get(DAT_HANDLE h, DAT_HANDLE_TYPE type);
/*
 * True when @addr is where an object of @type's pool begins (live or
 * freed), decided from the pool's address ranges without reading @addr:
 * for contexts that may be an object's address or a consumer's value.
 */
bool dapl_obj_addr_valid(uintptr_t addr, DAT_HANDLE_TYPE type);
/* The header of any live object of this provider, else NULL. */
struct dapl_hdr *dapl_hdr_get(DAT_HANDLE h);
/* DAT_INVALID_HANDLE with the subtype naming @type (DAT_INVALID_HANDLE_EP...). */
DAT_RETURN dapl_bad_handle(DAT_HANDLE_TYPE type);
/* "EP", "LMR", ... for messages. */
const char *dapl_type_name(DAT_HANDLE_TYPE type);
/* Slots: set/get_consumer_context, get_handle_type. */
void dapl_handle_ops(DAT_PROVIDER *p);

/* ---- status.c: access-layer errors as DAT return codes ---------------- */

/* A negative errno from the layer as a DAT_RETURN (see doc/dapl.md). */
DAT_RETURN dapl_status_from_errno(int neg_errno);
/* Logs @err (one line, DAPL_DBG_TYPE error class) and converts it. */
DAT_RETURN dapl_status_log(const char *call, int neg_errno,
			   const struct ual_error *err);

/* ---- log.c: DAPL_DBG_TYPE / DAPL_DBG_DEST ----------------------------- */

enum dapl_dbg {				/* OFA's bits, dapl.md section 4 */
	DAPL_DBG_ERR		= 0x0001,
	DAPL_DBG_WARN		= 0x0002,
	DAPL_DBG_EVD		= 0x0004,
	DAPL_DBG_CM		= 0x0008,
	DAPL_DBG_EP		= 0x0010,
	DAPL_DBG_UTIL		= 0x0020,
	DAPL_DBG_CALLBACK	= 0x0040,
	DAPL_DBG_DTO_COMP_ERR	= 0x0080,
	DAPL_DBG_API		= 0x0100,
	DAPL_DBG_RTN		= 0x0200,
	DAPL_DBG_EXCEPTION	= 0x0400,
	DAPL_DBG_SRQ		= 0x0800,
};

void dapl_log(unsigned int cls, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
bool dapl_log_on(unsigned int cls);

/* ---- provider.c ------------------------------------------------------ */

/*
 * One registered IA name (one dat.conf line): its dispatch table and how
 * to open its device.  Never freed while the library is loaded, because
 * stale handles still point at the table.
 */
struct dapl_provider {
	DAT_PROVIDER		table;		/* must be first */
	DAT_PROVIDER_INFO	info;
	char			spec[256];	/* ual_device_open spec */
	char			ia_params[256];	/* as in dat.conf */
	bool			registered;
};

/* The dapl_provider a table belongs to. */
static inline struct dapl_provider *dapl_provider_of(DAT_PROVIDER *t)
{
	return (struct dapl_provider *)t;
}

/*
 * Turns dat.conf ia_params ("netdev port", "rxe0 1", an address, a host
 * name) into a ual_device_open spec; -EINVAL for what cannot be one.
 */
int dapl_ia_params_to_spec(const char *ia_params, char *spec, size_t len);
/*
 * The same with the directory that lists RDMA devices named (normally
 * /sys/class/infiniband; the unit tests pass their own).  -ENAMETOOLONG
 * when ia_params or the spec does not fit 255 bytes.
 */
int dapl_ia_params_parse(const char *ia_params, const char *class_dir,
			 char *spec, size_t len);
/*
 * The registered provider of IA name @name (the registry calls
 * ia_open_func without its table, so ia_open looks it up), or NULL.
 */
struct dapl_provider *dapl_provider_find(const char *name);

/* The entry points the registry dlsym()s (exported, DAPL_CMA_2.0). */
void DAT_API dat_provider_init(const DAT_PROVIDER_INFO *info,
			       const char *ia_params);
void DAT_API dat_provider_fini(const DAT_PROVIDER_INFO *info);

/* ---- ia.c ------------------------------------------------------------- */

struct dapl_ia {
	struct dapl_hdr		hdr;
	struct ual_device	*dev;
	struct sockaddr_storage	local;		/* the IA address */
	struct ual_device_attr	attr;
	struct dapl_evd		*async_evd;
	bool			async_evd_ours;	/* created by dat_ia_open */
	pthread_mutex_t		lock;		/* the object list */
	struct dapl_hdr		objects;	/* list head (not an object) */
	struct dapl_ia_named	*named;		/* ia_query.c's, NULL until asked */
};

/* Links/unlinks an object into its IA's list (under ia->lock). */
void dapl_ia_link(struct dapl_ia *ia, struct dapl_hdr *h);
void dapl_ia_unlink(struct dapl_ia *ia, struct dapl_hdr *h);
void dapl_ia_ops(DAT_PROVIDER *p);

/*
 * True when the IA's device has memory windows (rxe): RMRs exist.  Not
 * max_mw alone: siw reports 1000 windows it has no verbs for.
 */
static inline bool dapl_ia_has_windows(const struct dapl_ia *ia)
{
	return ia->attr.max_mw &&
	       (ia->attr.caps & (UAL_CAP_MW_TYPE1 | UAL_CAP_MW_TYPE2));
}

/* ---- ia_query.c -------------------------------------------------------- */

/*
 * Named attributes (DAT_PROVIDER_ATTR.provider_specific_attr) live with
 * their IA, not in one static table every query rewrites (as OFA's):
 * built by the first dat_ia_query, freed by ia.c when the IA goes.
 */
struct dapl_ia_named;
void dapl_ia_query_ops(DAT_PROVIDER *p);
void dapl_ia_query_release(struct dapl_ia *ia);

/*
 * What the provider reports as DAT_PROVIDER_ATTR.completion_flags_supported:
 * the flags dto.c honours on posts and rmr.c on binds.  A family that
 * honours fewer must change this (one place, so the attribute stays true).
 */
#define DAPL_COMPLETION_FLAGS_SUPPORTED					\
	(DAT_COMPLETION_SUPPRESS_FLAG | DAT_COMPLETION_SOLICITED_WAIT_FLAG | \
	 DAT_COMPLETION_UNSIGNALLED_FLAG | DAT_COMPLETION_BARRIER_FENCE_FLAG | \
	 DAT_COMPLETION_EVD_THRESHOLD_FLAG)
/*
 * DAT_PROVIDER_ATTR.evd_stream_merging_supported, indexed by stream
 * (0 software, 1 CR, 2 DTO, 3 connection, 4 RMR bind, 5 async): what
 * dat_evd_create accepts in one EVD.  Defined in ia_query.c; evd.c must
 * refuse exactly the pairs this says FALSE for.
 */
extern const DAT_BOOLEAN dapl_evd_stream_merging[6][6];
/*
 * Each family registers how to free one of its objects; an abrupt
 * dat_ia_close frees what the consumer left, users before what they use
 * (CR, EP, PSP, RSP, CSP, RMR, SRQ, LMR, PZ, EVD, CNO).
 */
void dapl_register_destructor(DAT_HANDLE_TYPE type,
			      void (*fn)(struct dapl_hdr *));

/* ---- pz.c ------------------------------------------------------------- */

struct dapl_pz {
	struct dapl_hdr		hdr;
	struct ual_device	*pd;		/* a further PD of the IA's scope */
	int			refs;		/* LMRs, RMRs, EPs, SRQs using it */
};

void dapl_pz_ops(DAT_PROVIDER *p);

/* ---- lmr.c ------------------------------------------------------------ */

struct dapl_lmr {
	struct dapl_hdr		hdr;
	struct dapl_pz		*pz;
	struct ual_mr		*mr;
	DAT_MEM_TYPE		mem_type;
	DAT_REGION_DESCRIPTION	region;		/* as the consumer gave it */
	void			*addr;		/* start of the registered range */
	DAT_VLEN		length;
	DAT_MEM_PRIV_FLAGS	priv;
	DAT_VA_TYPE		va_type;
	int			refs;		/* RMR binds using it */
};

void dapl_lmr_ops(DAT_PROVIDER *p);

/* ---- rmr.c (contract with evd.c) --------------------------------------- */

/*
 * dat_rmr_bind posts a window bind or unbind on the EP's send queue, so
 * its completion is reaped from the CQ of the EP's request EVD, among the
 * DTO completions.  The post's ual context is made by rmr.c: an RMR
 * object's address plus a tag in its low 3 bits (1, 3, 5 or 7: always
 * odd).  evd.c offers each completion it reaps to dapl_rmr_bind_event
 * first: true means it was a bind's, and @ev then holds the
 * DAT_RMR_BIND_COMPLETION_EVENT (rmr_handle, user_cookie, status) with
 * everything but evd_handle, which evd.c sets.  A failed bind also
 * leaves the RMR unbound.  The call reads nothing behind a context that
 * is not an RMR's (dapl_obj_addr_valid), so any DTO context is safe;
 * dto.c keeps its contexts even to stay off this path altogether.
 */
bool dapl_rmr_bind_event(const struct ual_wc *wc, DAT_EVENT *ev);

/* Binds in flight on one RMR whose cookies are kept apart. */
#define DAPL_RMR_SLOTS	4

/* A bind or unbind in flight: what its completion reports. */
struct dapl_rmr_slot {
	DAT_RMR_COOKIE		cookie;
	bool			unbind;
};

struct dapl_rmr {
	struct dapl_hdr		hdr;
	struct dapl_pz		*pz;
	struct ual_mw		*mw;
	pthread_mutex_t		lock;		/* the fields below */
	struct dapl_lmr		*lmr;		/* bound to (holds a ref), or NULL */
	DAT_LMR_TRIPLET		triplet;	/* the bound range */
	DAT_MEM_PRIV_FLAGS	priv;
	DAT_VA_TYPE		va_type;
	struct dapl_ep		*ep;		/* type 2: the EP that bound it */
	unsigned int		posts;		/* binds and unbinds posted */
	struct dapl_rmr_slot	slot[DAPL_RMR_SLOTS];
};

void dapl_rmr_ops(DAT_PROVIDER *p);

/* ---- evd.c (shared contract: EP, CM, DTO, CNO and SRQ code use these) -- */

/*
 * An EVD is backed by a layer CQ (DTO and RMR-bind streams) or a layer
 * event queue (connection, CR, async and software streams); a DTO EVD
 * that also takes software events has both.  @cq/@eq are NULL when
 * absent.  Fields after @priv belong to evd.c.
 */
struct dapl_evd {
	struct dapl_hdr		hdr;
	DAT_EVD_FLAGS		flags;
	DAT_COUNT		qlen;
	struct ual_cq		*cq;
	struct ual_eq		*eq;
	struct dapl_cno		*cno;		/* set by dat_evd_create/modify_cno */
	int			refs;		/* EPs, PSPs, RSPs, SRQs using it */
	void			*priv;
};

/*
 * For the CNO (cno.c): the fds that poll readable when @evd may have an
 * event (at most 2: its CQ fd, its queue fd), after arming the CQ so the
 * next completion wakes it; returns how many were written to @fds.
 */
int dapl_evd_arm_fds(struct dapl_evd *evd, int *fds, int max);
/* True when @evd has an event ready (a completion or a queued event). */
bool dapl_evd_ready(struct dapl_evd *evd);
/* Acknowledges a wake-up of @evd's CQ fd (after poll said readable). */
void dapl_evd_ack(struct dapl_evd *evd);
/* Slots of every dat_evd_* call. */
void dapl_evd_ops(DAT_PROVIDER *p);

/* ---- event.c: layer events and completions as DAT events ------------- */

struct dapl_ep;

/*
 * Converts @ev, read from @evd's event queue, into @out.  Returns false
 * when the event concerns nothing the consumer still has (an endpoint or
 * listener freed meanwhile): it is then dropped.  A CONN_REQUEST creates
 * the CR object (cm.c) the event names.
 */
bool dapl_event_from_ual(struct dapl_evd *evd, const struct ual_event *ev,
			 DAT_EVENT *out);
/*
 * Converts a completion polled from @evd's CQ; @ep is the endpoint whose
 * QP produced it (NULL if freed since).
 */
void dapl_event_from_wc(struct dapl_evd *evd, struct dapl_ep *ep,
			const struct ual_wc *wc, DAT_EVENT *out);
/* ---- ep.c (shared contract: CM, DTO, RMR and SRQ code use these) ------ */

struct dapl_ep {
	struct dapl_hdr		hdr;
	struct ual_ep		*ep;		/* NULL while no PZ is set */
	struct dapl_pz		*pz;
	struct dapl_evd		*recv_evd, *request_evd, *connect_evd;
	struct dapl_srq		*srq;
	DAT_EP_ATTR		attr;
	void			*priv;		/* ep.c's */
};

/*
 * Creates an EP (dat_ep_create, and dat_ep_create_with_srq from srq.c
 * with a non-NULL @srq): validates the EVDs (recv/request need the DTO
 * stream, connect the CONNECTION stream) and @attr (NULL: defaults capped
 * by the device), creates the layer endpoint in @pz's protection domain
 * (none while @pz is NULL) and takes a reference on @pz, every EVD and
 * @srq.  Handles are already checked for type by the caller; the return
 * is a DAT code naming the bad argument (EVDs are ARG3..5, @attr is the
 * caller's @attr_arg).
 * With an SRQ its max_recv_dtos/max_recv_iov are ignored; freeing the EP
 * drops the SRQ reference after ual_ep_destroy.
 */
DAT_RETURN dapl_ep_create_common(struct dapl_ia *ia, struct dapl_pz *pz,
				 struct dapl_evd *recv_evd,
				 struct dapl_evd *request_evd,
				 struct dapl_evd *connect_evd,
				 struct dapl_srq *srq, const DAT_EP_ATTR *attr,
				 DAT_RETURN attr_arg, struct dapl_ep **out);
/* The DAT state of @ep, from the layer's state (no state kept here). */
DAT_EP_STATE dapl_ep_state(struct dapl_ep *ep);
/*
 * Keeps a copy of connection private data in @ep (valid until the next
 * connection event of @ep or its free) and returns it.
 */
void *dapl_ep_keep_pdata(struct dapl_ep *ep, const void *data, uint32_t len);
/* Marks @ep reserved by an RSP (true) or released (false). */
void dapl_ep_set_reserved(struct dapl_ep *ep, bool reserved);
/* Counts a completed receive (@recv) or signalled request of @ep. */
void dapl_ep_dto_done(struct dapl_ep *ep, bool recv);
/* Counts a posted receive or signalled request (dto.c). */
void dapl_ep_dto_posted(struct dapl_ep *ep, bool recv);
void dapl_ep_ops(DAT_PROVIDER *p);

/* ---- cm.c: service points and connection requests -------------------- */

/* DAT connection qualifier <-> rdma_cm port (host order), as OFA. */
uint16_t dapl_conn_qual_to_port(DAT_CONN_QUAL qual);
/*
 * Makes the CR object for a CONN_REQUEST read from @evd and fills the
 * CR arrival event data; false if its service point is gone (the request
 * is then rejected).
 */
bool dapl_cr_from_event(struct dapl_evd *evd, const struct ual_event *ev,
			DAT_CR_ARRIVAL_EVENT_DATA *out);
/* The 4-byte header OFA puts before reject private data (dapl.md 3.5). */
#define DAPL_REJECT_HDR_LEN 4
void dapl_cm_ops(DAT_PROVIDER *p);

/* ---- dto.c ------------------------------------------------------------ */

void dapl_dto_ops(DAT_PROVIDER *p);

/* ---- srq.c (shared contract) ------------------------------------------ */

/*
 * Receives posted to an SRQ carry the consumer's cookie (DAT_DTO_COOKIE
 * .as_64) as their layer context, unchanged; their completions arrive on
 * the recv EVD of whichever EP took them (ual_ep_from_qp_num(wc.qp_num)
 * names it).
 */
struct dapl_srq {
	struct dapl_hdr		hdr;
	struct ual_srq		*srq;
	struct dapl_pz		*pz;
	DAT_SRQ_ATTR		attr;		/* as asked and last set */
	DAT_SRQ_STATE		state;		/* ERROR after UAL_EVENT_SRQ_ERROR */
	int			refs;		/* EPs using it */
	void			*priv;		/* srq.c's */
};

/*
 * For evd.c: an SRQ's UAL_EVENT_SRQ_LIMIT or UAL_EVENT_SRQ_ERROR (on the
 * IA's async EVD: the SRQ is created with that EVD's queue; ev->context is
 * the struct dapl_srq) as the DAT event the consumer dequeues.  DAT 2.0
 * has no event number of its own for an SRQ: both are
 * DAT_ASYNC_ERROR_PROVIDER_INTERNAL_ERROR with asynch_error_event_data
 * .dat_handle = the SRQ and .reason DAT_SRQ_LOW_WATERMARK_EVENT (limit
 * reached) or DAT_SRQ_TRANSFER_TO_ERROR (the SRQ failed).  Also disarms
 * the SRQ's low watermark as the device did.  @out->evd_handle is left
 * for the caller.
 */
void dapl_srq_async_event(const struct ual_event *ev, DAT_EVENT *out);
void dapl_srq_ops(DAT_PROVIDER *p);

/* ---- cno.c ------------------------------------------------------------ */

struct dapl_cno;
/*
 * evd.c: @evd starts feeding @cno (dat_evd_create with a CNO,
 * dat_evd_modify_cno to it), before evd->cno is set; the CNO then polls
 * the fds of dapl_evd_arm_fds(@evd), which must be valid from now on.
 * DAT_INSUFFICIENT_RESOURCES if the CNO cannot take it (then leave
 * evd->cno as it was).  A CNO with EVDs attached cannot be freed
 * (DAT_INVALID_STATE_CNO_IN_USE).
 */
DAT_RETURN dapl_cno_attach(struct dapl_cno *cno, struct dapl_evd *evd);
/*
 * evd.c: @evd stops feeding @cno (dat_evd_modify_cno away from it, and
 * dat_evd_free before the EVD's CQ and queue are destroyed).
 */
void dapl_cno_detach(struct dapl_cno *cno, struct dapl_evd *evd);
/*
 * Wakes the CNO's waiter because @evd got an event that its fds may not
 * show (evd.c calls it: dat_evd_post_se, events it moved into its own
 * buffer); without a waiter the CNO stays triggered for the next
 * dat_cno_wait and calls the consumer's proxy agent, if any.
 */
void dapl_cno_notify(struct dapl_cno *cno, struct dapl_evd *evd);
void dapl_cno_ops(DAT_PROVIDER *p);

/*
 * The IA's async EVD when the consumer passed none to dat_ia_open (evd.c):
 * an EVD of @qlen async events that is freed with the IA.
 */
DAT_RETURN dapl_evd_create_async(struct dapl_ia *ia, DAT_COUNT qlen,
				 struct dapl_evd **evd);
/* Frees an EVD created by dapl_evd_create_async. */
void dapl_evd_free_async(struct dapl_evd *evd);

/* ---- extensions.c ---------------------------------------------------- */

/* The IB extension entry point (dapl_extensions, exported). */
DAT_RETURN dapl_extensions(DAT_HANDLE h, DAT_EXTENDED_OP op, va_list args);

#endif /* DAPL_DAPL_H */
