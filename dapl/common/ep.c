// SPDX-License-Identifier: BSD-3-Clause OR GPL-2.0-only
/*
 * EP: a layer endpoint (RC QP + its rdma_cm identity) in the PZ's
 * protection domain.  Its send CQ is the request EVD's, its receive CQ
 * the receive EVD's, its event queue the connect EVD's; a missing EVD is
 * replaced by a private one-entry CQ or queue, as OFA uses an empty CQ.
 * The DAT state is read from the layer (ual_ep_get_state): no state
 * machine here, only the RSP reservation and the DTO counts that
 * dat_ep_get_status reports.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <string.h>

#include "dapl.h"

DAT_RETURN DAT_API dats_get_ia_handle(DAT_IA_HANDLE handle, DAT_IA_HANDLE *out);

/* Retries of a connect refused because nothing listens yet (see connect). */
#define EP_CONNECT_RETRIES 4

struct ep_priv {
	struct dapl_ep		pub;
	struct ual_cq		*own_cq;	/* for a missing DTO EVD */
	struct ual_eq		*own_eq;	/* for a missing connect EVD */
	bool			reserved;	/* by an RSP */
	int			recv_posted;	/* receives not completed */
	int			req_posted;	/* signalled requests not completed */
	struct sockaddr_storage	remote;		/* last connect's peer */
	DAT_CONN_QUAL		remote_qual;
	uint8_t			pdata[UAL_PDATA_MAX];
};

static struct ep_priv *priv_of(struct dapl_ep *ep)
{
	return (struct ep_priv *)ep;
}

DAT_EP_STATE dapl_ep_state(struct dapl_ep *ep)
{
	if (!ep->ep)
		return DAT_EP_STATE_UNCONFIGURED_UNCONNECTED;
	switch (ual_ep_get_state(ep->ep)) {
	case UAL_EP_IDLE:
		return priv_of(ep)->reserved ? DAT_EP_STATE_RESERVED :
		       DAT_EP_STATE_UNCONNECTED;
	case UAL_EP_ADDR_QUERY:
	case UAL_EP_ROUTE_QUERY:
	case UAL_EP_CONNECTING:
	case UAL_EP_RETRY_WAIT:
		return DAT_EP_STATE_ACTIVE_CONNECTION_PENDING;
	case UAL_EP_ACCEPTING:
		return DAT_EP_STATE_COMPLETION_PENDING;
	case UAL_EP_CONNECTED:
		return DAT_EP_STATE_CONNECTED;
	case UAL_EP_DISCONNECTING:
		return DAT_EP_STATE_DISCONNECT_PENDING;
	default:	/* DISCONNECTED, FAILED */
		return DAT_EP_STATE_DISCONNECTED;
	}
}

void *dapl_ep_keep_pdata(struct dapl_ep *ep, const void *data, uint32_t len)
{
	struct ep_priv *p = priv_of(ep);

	if (len > sizeof(p->pdata))
		len = sizeof(p->pdata);
	memcpy(p->pdata, data, len);
	return p->pdata;
}

void dapl_ep_set_reserved(struct dapl_ep *ep, bool reserved)
{
	priv_of(ep)->reserved = reserved;
}

void dapl_ep_dto_posted(struct dapl_ep *ep, bool recv)
{
	__atomic_add_fetch(recv ? &priv_of(ep)->recv_posted :
			   &priv_of(ep)->req_posted, 1, __ATOMIC_RELAXED);
}

void dapl_ep_dto_done(struct dapl_ep *ep, bool recv)
{
	int *n = recv ? &priv_of(ep)->recv_posted : &priv_of(ep)->req_posted;

	if (__atomic_load_n(n, __ATOMIC_RELAXED) > 0)
		__atomic_sub_fetch(n, 1, __ATOMIC_RELAXED);
}

/* ---- attributes ----------------------------------------------------- */

static DAT_COUNT cap(DAT_COUNT want, uint32_t max)
{
	return (uint32_t)want > max ? (DAT_COUNT)max : want;
}

/* OFA's defaults (16 DTOs, 4 IOVs, 4 reads each way), capped by the device. */
static void default_attr(const struct dapl_ia *ia, DAT_EP_ATTR *a)
{
	const struct ual_device_attr *d = &ia->attr;

	memset(a, 0, sizeof(*a));
	a->service_type = DAT_SERVICE_TYPE_RC;
	a->max_message_size = d->max_msg_size;
	a->max_rdma_size = d->max_msg_size;
	a->qos = DAT_QOS_BEST_EFFORT;
	a->recv_completion_flags = DAT_COMPLETION_EVD_THRESHOLD_FLAG;
	a->request_completion_flags = DAT_COMPLETION_EVD_THRESHOLD_FLAG;
	a->max_recv_dtos = cap(16, d->max_qp_wr);
	a->max_request_dtos = cap(16, d->max_qp_wr);
	a->max_recv_iov = cap(4, d->max_sge);
	a->max_request_iov = cap(4, d->max_sge);
	a->max_rdma_read_in = cap(UAL_EP_DEFAULT_READ_DEPTH, d->max_dest_rd_atomic);
	a->max_rdma_read_out = cap(UAL_EP_DEFAULT_READ_DEPTH, d->max_rd_atomic);
	a->srq_soft_hw = DAT_HW_DEFAULT;
	a->max_rdma_read_iov = d->max_sge_rd;
	a->max_rdma_write_iov = d->max_sge;
}

static DAT_RETURN check_attr(const struct dapl_ia *ia, const DAT_EP_ATTR *a,
			     DAT_RETURN arg)
{
	const struct ual_device_attr *d = &ia->attr;

	if (a->service_type != DAT_SERVICE_TYPE_RC || a->qos != DAT_QOS_BEST_EFFORT)
		return DAT_ERROR(DAT_MODEL_NOT_SUPPORTED, DAT_NO_SUBTYPE);
	if (a->max_recv_dtos < 0 || a->max_request_dtos < 0 ||
	    a->max_recv_iov < 0 || a->max_request_iov < 0 ||
	    a->max_rdma_read_in < 0 || a->max_rdma_read_out < 0 ||
	    (uint32_t)a->max_recv_dtos > d->max_qp_wr ||
	    (uint32_t)a->max_request_dtos > d->max_qp_wr ||
	    (uint32_t)a->max_recv_iov > d->max_sge ||
	    (uint32_t)a->max_request_iov > d->max_sge) {
		dapl_log(DAPL_DBG_ERR,
			 "dat_ep_create: attributes beyond %s's limits (DTOs %d/%d of %u, IOVs %d/%d of %u)",
			 d->name, a->max_recv_dtos, a->max_request_dtos, d->max_qp_wr,
			 a->max_recv_iov, a->max_request_iov, d->max_sge);
		return DAT_ERROR(DAT_INVALID_PARAMETER, arg);
	}
	return DAT_SUCCESS;
}

/*
 * DAT_EP_ATTR -> ual_ep_attr.  A read depth of 0 takes the layer's
 * default (OFA's 4), because OFA hands 0 to rdma_cm, whose devices then
 * still serve reads; refusing them here would break consumers that work
 * with OFA.  Depths above the device's are capped by the layer.
 */
static void to_ual_attr(struct dapl_ep *ep, struct ual_cq *send_cq,
			struct ual_cq *recv_cq, struct ual_ep_attr *u)
{
	const DAT_EP_ATTR *a = &ep->attr;

	memset(u, 0, sizeof(*u));
	u->type = UAL_EP_RC;
	u->send_cq = send_cq;
	u->recv_cq = recv_cq;
	u->srq = ep->srq ? ep->srq->srq : NULL;
	u->max_send_wr = a->max_request_dtos;
	u->max_recv_wr = a->max_recv_dtos;
	u->max_send_sge = a->max_request_iov;
	u->max_recv_sge = a->max_recv_iov;
	u->max_rdma_read_out = a->max_rdma_read_out > 255 ? 255 : a->max_rdma_read_out;
	u->max_rdma_read_in = a->max_rdma_read_in > 255 ? 255 : a->max_rdma_read_in;
	if (!a->max_recv_dtos && !ep->srq)
		u->flags |= UAL_EP_ZERO_RECV;
}

/* Creates the layer endpoint of @ep (its PZ, EVDs and attributes set). */
static DAT_RETURN ual_ep_make(struct dapl_ep *ep)
{
	struct ep_priv *p = priv_of(ep);
	struct ual_error err = { 0 };
	struct ual_cq *scq, *rcq;
	struct ual_ep_attr ua;
	struct ual_eq *eq;
	int rc = 0;

	if ((!ep->request_evd || !ep->recv_evd) && !p->own_cq)
		rc = ual_cq_create(ep->pz->pd, 1, ep, &p->own_cq, &err);
	if (!rc && !ep->connect_evd && !p->own_eq) {
		rc = ual_eq_create(NULL, ep, &p->own_eq, &err);
		if (!rc)
			rc = ual_eq_set_auto_progress(p->own_eq, 1, &err);
	}
	if (rc)
		return dapl_status_log("dat_ep_create", rc, &err);
	scq = ep->request_evd ? ep->request_evd->cq : p->own_cq;
	rcq = ep->recv_evd ? ep->recv_evd->cq : p->own_cq;
	eq = ep->connect_evd ? ep->connect_evd->eq : p->own_eq;
	to_ual_attr(ep, scq, rcq, &ua);
	rc = ual_ep_create(ep->pz->pd, eq, &ua, ep, &ep->ep, &err);
	if (rc)
		return dapl_status_log("dat_ep_create", rc, &err);
	return DAT_SUCCESS;
}

static void ref(struct dapl_evd *evd, int d)
{
	if (evd)
		__atomic_add_fetch(&evd->refs, d, __ATOMIC_ACQ_REL);
}

static void take_refs(struct dapl_ep *ep, int d)
{
	ref(ep->recv_evd, d);
	ref(ep->request_evd, d);
	ref(ep->connect_evd, d);
	if (ep->pz)
		__atomic_add_fetch(&ep->pz->refs, d, __ATOMIC_ACQ_REL);
	if (ep->srq)
		__atomic_add_fetch(&ep->srq->refs, d, __ATOMIC_ACQ_REL);
}

static DAT_RETURN check_evds(struct dapl_ia *ia, struct dapl_evd *recv,
			     struct dapl_evd *req, struct dapl_evd *conn)
{
	if (recv && (recv->hdr.ia != ia || !(recv->flags & DAT_EVD_DTO_FLAG)))
		return DAT_ERROR(DAT_INVALID_HANDLE, DAT_INVALID_HANDLE_EVD_RECV);
	if (req && (req->hdr.ia != ia || !(req->flags & DAT_EVD_DTO_FLAG)))
		return DAT_ERROR(DAT_INVALID_HANDLE, DAT_INVALID_HANDLE_EVD_REQUEST);
	if (conn && (conn->hdr.ia != ia || !(conn->flags & DAT_EVD_CONNECTION_FLAG)))
		return DAT_ERROR(DAT_INVALID_HANDLE, DAT_INVALID_HANDLE_EVD_CONN);
	return DAT_SUCCESS;
}

DAT_RETURN dapl_ep_create_common(struct dapl_ia *ia, struct dapl_pz *pz,
				 struct dapl_evd *recv_evd,
				 struct dapl_evd *request_evd,
				 struct dapl_evd *connect_evd,
				 struct dapl_srq *srq, const DAT_EP_ATTR *attr,
				 DAT_RETURN attr_arg, struct dapl_ep **out)
{
	struct dapl_ep *ep;
	DAT_RETURN ret;

	ret = check_evds(ia, recv_evd, request_evd, connect_evd);
	if (ret != DAT_SUCCESS)
		return ret;
	if (attr) {
		ret = check_attr(ia, attr, attr_arg);
		if (ret != DAT_SUCCESS)
			return ret;
	}
	ep = dapl_obj_alloc(ia->hdr.provider, DAT_HANDLE_TYPE_EP,
			    sizeof(struct ep_priv), ia);
	if (!ep)
		return DAT_ERROR(DAT_INSUFFICIENT_RESOURCES, DAT_RESOURCE_MEMORY);
	if (attr)
		ep->attr = *attr;
	else
		default_attr(ia, &ep->attr);
	ep->pz = pz;
	ep->recv_evd = recv_evd;
	ep->request_evd = request_evd;
	ep->connect_evd = connect_evd;
	ep->srq = srq;
	if (pz) {
		ret = ual_ep_make(ep);
		if (ret != DAT_SUCCESS) {
			ual_cq_destroy(priv_of(ep)->own_cq, NULL);
			ual_eq_destroy(priv_of(ep)->own_eq);
			dapl_obj_free(ep);
			return ret;
		}
	}
	take_refs(ep, 1);
	*out = ep;
	return DAT_SUCCESS;
}

static DAT_RETURN DAT_API ep_create(DAT_IA_HANDLE ia_handle, DAT_PZ_HANDLE pz_handle,
				    DAT_EVD_HANDLE recv_h, DAT_EVD_HANDLE req_h,
				    DAT_EVD_HANDLE conn_h, const DAT_EP_ATTR *attr,
				    DAT_EP_HANDLE *out)
{
	struct dapl_ia *ia = dapl_obj_get(ia_handle, DAT_HANDLE_TYPE_IA);
	struct dapl_evd *recv = NULL, *req = NULL, *conn = NULL;
	struct dapl_pz *pz = NULL;
	struct dapl_ep *ep;
	DAT_RETURN ret;

	if (!ia)
		return dapl_bad_handle(DAT_HANDLE_TYPE_IA);
	if (pz_handle && (!(pz = dapl_obj_get(pz_handle, DAT_HANDLE_TYPE_PZ)) ||
			  pz->hdr.ia != ia))
		return dapl_bad_handle(DAT_HANDLE_TYPE_PZ);
	if (recv_h && !(recv = dapl_obj_get(recv_h, DAT_HANDLE_TYPE_EVD)))
		return DAT_ERROR(DAT_INVALID_HANDLE, DAT_INVALID_HANDLE_EVD_RECV);
	if (req_h && !(req = dapl_obj_get(req_h, DAT_HANDLE_TYPE_EVD)))
		return DAT_ERROR(DAT_INVALID_HANDLE, DAT_INVALID_HANDLE_EVD_REQUEST);
	if (conn_h && !(conn = dapl_obj_get(conn_h, DAT_HANDLE_TYPE_EVD)))
		return DAT_ERROR(DAT_INVALID_HANDLE, DAT_INVALID_HANDLE_EVD_CONN);
	if (!out)
		return DAT_ERROR(DAT_INVALID_PARAMETER, DAT_INVALID_ARG7);
	ret = dapl_ep_create_common(ia, pz, recv, req, conn, NULL, attr,
				    DAT_INVALID_ARG6, &ep);
	if (ret == DAT_SUCCESS)
		*out = ep;
	return ret;
}

static void ep_destroy(struct dapl_ep *ep)
{
	struct ep_priv *p = priv_of(ep);

	ual_ep_destroy(ep->ep, NULL);
	ep->ep = NULL;
	ual_cq_destroy(p->own_cq, NULL);
	ual_eq_destroy(p->own_eq);
	take_refs(ep, -1);
	dapl_obj_free(ep);
}

static void ep_destructor(struct dapl_hdr *h)
{
	ep_destroy((struct dapl_ep *)h);
}

static DAT_RETURN DAT_API ep_free(DAT_EP_HANDLE handle)
{
	struct dapl_ep *ep = dapl_obj_get(handle, DAT_HANDLE_TYPE_EP);

	if (!ep)
		return dapl_bad_handle(DAT_HANDLE_TYPE_EP);
	/* Connected: the layer disconnects first (DAT: an abrupt close). */
	ep_destroy(ep);
	return DAT_SUCCESS;
}

/* ---- connecting ----------------------------------------------------- */

/* DAT_INVALID_STATE with the subtype of @ep's current state. */
static DAT_RETURN bad_state(struct dapl_ep *ep)
{
	static const DAT_RETURN sub[] = {
		[DAT_EP_STATE_UNCONNECTED] = DAT_INVALID_STATE_EP_UNCONNECTED,
		[DAT_EP_STATE_UNCONFIGURED_UNCONNECTED] = DAT_INVALID_STATE_EP_UNCONFIGURED,
		[DAT_EP_STATE_RESERVED] = DAT_INVALID_STATE_EP_RESERVED,
		[DAT_EP_STATE_ACTIVE_CONNECTION_PENDING] = DAT_INVALID_STATE_EP_ACTCONNPENDING,
		[DAT_EP_STATE_CONNECTED] = DAT_INVALID_STATE_EP_CONNECTED,
		[DAT_EP_STATE_DISCONNECT_PENDING] = DAT_INVALID_STATE_EP_DISCPENDING,
		[DAT_EP_STATE_DISCONNECTED] = DAT_INVALID_STATE_EP_DISCONNECTED,
		[DAT_EP_STATE_COMPLETION_PENDING] = DAT_INVALID_STATE_EP_COMPLPENDING,
	};
	DAT_EP_STATE st = dapl_ep_state(ep);

	return DAT_ERROR(DAT_INVALID_STATE,
			 st < sizeof(sub) / sizeof(sub[0]) ? sub[st] : DAT_NO_SUBTYPE);
}

/* Connects @ep to @dst (port set) with the checks every connect shares. */
static DAT_RETURN connect_to(struct dapl_ep *ep, const struct sockaddr_storage *dst,
			     DAT_TIMEOUT timeout, DAT_COUNT size,
			     const DAT_PVOID pdata, const char *call)
{
	struct ual_connect_opts opts = { 0 };
	struct dapl_ia *ia = ep->hdr.ia;
	struct ual_error err = { 0 };
	int rc;

	if (!timeout)
		return DAT_ERROR(DAT_INVALID_PARAMETER, DAT_INVALID_ARG4);
	if (size < 0)
		return DAT_ERROR(DAT_INVALID_PARAMETER, DAT_INVALID_ARG5);
	if (size && !pdata)
		return DAT_ERROR(DAT_INVALID_PARAMETER, DAT_INVALID_ARG6);
	if ((uint32_t)size > ia->attr.pdata.connect) {
		dapl_log(DAPL_DBG_ERR, "%s: %d bytes of private data, %s carries at most %u",
			 call, size, ia->attr.name, ia->attr.pdata.connect);
		return DAT_ERROR(DAT_LENGTH_ERROR, DAT_NO_SUBTYPE);
	}
	if (!ep->ep || !ep->connect_evd ||
	    dapl_ep_state(ep) != DAT_EP_STATE_UNCONNECTED)
		return ep->ep && !ep->connect_evd ?
		       DAT_ERROR(DAT_INVALID_STATE, DAT_INVALID_STATE_EP_EVD_CONNECT) :
		       bad_state(ep);
	if (timeout != DAT_TIMEOUT_INFINITE)
		opts.timeout_ms = timeout / 1000 + (timeout % 1000 != 0);
	/*
	 * A peer that creates its PSP just after telling us to connect
	 * (dtest does, dapl.md 7.42) would otherwise cost the consumer a
	 * NON_PEER_REJECTED: a refused connect is retried a few times.
	 */
	opts.retries = EP_CONNECT_RETRIES;
	priv_of(ep)->remote = *dst;
	rc = ual_ep_connect(ep->ep, (const struct sockaddr *)dst, pdata, size,
			    &opts, &err);
	if (rc)
		return dapl_status_log(call, rc, &err);
	return DAT_SUCCESS;
}

static DAT_RETURN copy_addr(DAT_IA_ADDRESS_PTR a, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (!a)
		return DAT_ERROR(DAT_INVALID_PARAMETER, DAT_INVALID_ARG2);
	if (a->sa_family == AF_INET)
		memcpy(ss, a, sizeof(struct sockaddr_in));
	else if (a->sa_family == AF_INET6)
		memcpy(ss, a, sizeof(struct sockaddr_in6));
	else
		return DAT_ERROR(DAT_INVALID_ADDRESS, DAT_INVALID_ADDRESS_UNSUPPORTED);
	return DAT_SUCCESS;
}

static void set_port(struct sockaddr_storage *ss, uint16_t port)
{
	if (ss->ss_family == AF_INET6)
		((struct sockaddr_in6 *)ss)->sin6_port = htons(port);
	else
		((struct sockaddr_in *)ss)->sin_port = htons(port);
}

static uint16_t get_port(const struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET6)
		return ntohs(((const struct sockaddr_in6 *)ss)->sin6_port);
	return ntohs(((const struct sockaddr_in *)ss)->sin_port);
}

static DAT_RETURN DAT_API ep_connect(DAT_EP_HANDLE handle, DAT_IA_ADDRESS_PTR addr,
				     DAT_CONN_QUAL qual, DAT_TIMEOUT timeout,
				     DAT_COUNT size, const DAT_PVOID pdata,
				     DAT_QOS qos, DAT_CONNECT_FLAGS flags)
{
	struct dapl_ep *ep = dapl_obj_get(handle, DAT_HANDLE_TYPE_EP);
	struct sockaddr_storage dst;
	DAT_RETURN ret;

	if (!ep)
		return dapl_bad_handle(DAT_HANDLE_TYPE_EP);
	ret = copy_addr(addr, &dst);
	if (ret != DAT_SUCCESS)
		return ret;
	if (qos != DAT_QOS_BEST_EFFORT || flags != DAT_CONNECT_DEFAULT_FLAG)
		return DAT_ERROR(DAT_MODEL_NOT_SUPPORTED, DAT_NO_SUBTYPE);
	set_port(&dst, dapl_conn_qual_to_port(qual));
	priv_of(ep)->remote_qual = qual;
	return connect_to(ep, &dst, timeout, size, pdata, "dat_ep_connect");
}

static DAT_RETURN DAT_API ep_common_connect(DAT_EP_HANDLE handle,
					    DAT_IA_ADDRESS_PTR addr,
					    DAT_TIMEOUT timeout, DAT_COUNT size,
					    const DAT_PVOID pdata)
{
	struct dapl_ep *ep = dapl_obj_get(handle, DAT_HANDLE_TYPE_EP);
	struct sockaddr_storage dst;
	DAT_RETURN ret;

	if (!ep)
		return dapl_bad_handle(DAT_HANDLE_TYPE_EP);
	ret = copy_addr(addr, &dst);
	if (ret != DAT_SUCCESS)
		return ret;
	/* The address carries the port: the qualifier is that port. */
	priv_of(ep)->remote_qual = get_port(&dst);
	/* Arguments shift by one against dat_ep_connect: renumber ARG4..6. */
	ret = connect_to(ep, &dst, timeout, size, pdata, "dat_ep_common_connect");
	if (DAT_GET_TYPE(ret) == DAT_INVALID_PARAMETER &&
	    DAT_GET_SUBTYPE(ret) >= DAT_INVALID_ARG4)
		ret = DAT_ERROR(DAT_INVALID_PARAMETER, DAT_GET_SUBTYPE(ret) - 1);
	return ret;
}

static DAT_RETURN DAT_API ep_dup_connect(DAT_EP_HANDLE handle, DAT_EP_HANDLE dup_handle,
					 DAT_TIMEOUT timeout, DAT_COUNT size,
					 const DAT_PVOID pdata, DAT_QOS qos)
{
	struct dapl_ep *ep = dapl_obj_get(handle, DAT_HANDLE_TYPE_EP);
	struct dapl_ep *dup = dapl_obj_get(dup_handle, DAT_HANDLE_TYPE_EP);
	struct sockaddr_storage dst;
	DAT_RETURN ret;

	if (!ep)
		return dapl_bad_handle(DAT_HANDLE_TYPE_EP);
	if (!dup || dup->hdr.ia != ep->hdr.ia)
		return dapl_bad_handle(DAT_HANDLE_TYPE_EP);
	if (qos != DAT_QOS_BEST_EFFORT)
		return DAT_ERROR(DAT_MODEL_NOT_SUPPORTED, DAT_NO_SUBTYPE);
	if (!dup->ep || dapl_ep_state(dup) != DAT_EP_STATE_CONNECTED ||
	    ual_ep_addresses(dup->ep, NULL, &dst))
		return DAT_ERROR(DAT_INVALID_STATE, DAT_INVALID_STATE_EP_DISCONNECTED);
	priv_of(ep)->remote_qual = priv_of(dup)->remote_qual;
	/*
	 * The passive side's port is the listener's; an accepted dup EP
	 * reports the peer's own port, which nothing listens on.
	 */
	if (priv_of(dup)->remote.ss_family)
		set_port(&dst, get_port(&priv_of(dup)->remote));
	ret = connect_to(ep, &dst, timeout, size, pdata, "dat_ep_dup_connect");
	if (DAT_GET_TYPE(ret) == DAT_INVALID_PARAMETER &&
	    DAT_GET_SUBTYPE(ret) >= DAT_INVALID_ARG4)
		ret = DAT_ERROR(DAT_INVALID_PARAMETER, DAT_GET_SUBTYPE(ret) - 1);
	return ret;
}

static DAT_RETURN DAT_API ep_disconnect(DAT_EP_HANDLE handle, DAT_CLOSE_FLAGS flags)
{
	struct dapl_ep *ep = dapl_obj_get(handle, DAT_HANDLE_TYPE_EP);
	struct ual_error err = { 0 };
	DAT_EP_STATE st;
	int rc;

	if (!ep)
		return dapl_bad_handle(DAT_HANDLE_TYPE_EP);
	if (flags != DAT_CLOSE_ABRUPT_FLAG && flags != DAT_CLOSE_GRACEFUL_FLAG)
		return DAT_ERROR(DAT_INVALID_PARAMETER, DAT_INVALID_ARG2);
	st = dapl_ep_state(ep);
	/* Already down (the peer disconnected first): nothing to do, as OFA. */
	if (st == DAT_EP_STATE_DISCONNECTED || st == DAT_EP_STATE_DISCONNECT_PENDING)
		return DAT_SUCCESS;
	if (!ep->ep || st == DAT_EP_STATE_UNCONNECTED || st == DAT_EP_STATE_RESERVED)
		return bad_state(ep);
	rc = ual_ep_disconnect(ep->ep, &err);
	if (rc == -ENOTCONN)	/* it went down meanwhile */
		return DAT_SUCCESS;
	if (rc)
		return dapl_status_log("dat_ep_disconnect", rc, &err);
	return DAT_SUCCESS;
}

static DAT_RETURN DAT_API ep_reset(DAT_EP_HANDLE handle)
{
	struct dapl_ep *ep = dapl_obj_get(handle, DAT_HANDLE_TYPE_EP);
	struct ual_error err = { 0 };
	int rc;

	if (!ep)
		return dapl_bad_handle(DAT_HANDLE_TYPE_EP);
	if (!ep->ep)
		return DAT_SUCCESS;
	rc = ual_ep_reset(ep->ep, &err);
	if (rc == -EISCONN || rc == -EBUSY)
		return bad_state(ep);
	if (rc)
		return dapl_status_log("dat_ep_reset", rc, &err);
	/* What was posted is gone without completions (ual.h). */
	priv_of(ep)->recv_posted = priv_of(ep)->req_posted = 0;
	return DAT_SUCCESS;
}

/* ---- status and attributes ------------------------------------------ */

static DAT_RETURN DAT_API ep_get_status(DAT_EP_HANDLE handle, DAT_EP_STATE *state,
					DAT_BOOLEAN *in_idle, DAT_BOOLEAN *out_idle)
{
	struct dapl_ep *ep = dapl_obj_get(handle, DAT_HANDLE_TYPE_EP);

	if (!ep)
		return dapl_bad_handle(DAT_HANDLE_TYPE_EP);
	if (state)
		*state = dapl_ep_state(ep);
	if (in_idle)
		*in_idle = __atomic_load_n(&priv_of(ep)->recv_posted,
					   __ATOMIC_RELAXED) ? DAT_FALSE : DAT_TRUE;
	if (out_idle)
		*out_idle = __atomic_load_n(&priv_of(ep)->req_posted,
					    __ATOMIC_RELAXED) ? DAT_FALSE : DAT_TRUE;
	return DAT_SUCCESS;
}

static DAT_RETURN DAT_API ep_query(DAT_EP_HANDLE handle, DAT_EP_PARAM_MASK mask,
				   DAT_EP_PARAM *param)
{
	struct dapl_ep *ep = dapl_obj_get(handle, DAT_HANDLE_TYPE_EP);
	struct ep_priv *p;
	struct sockaddr_storage local = { 0 }, remote = { 0 };

	if (!ep)
		return dapl_bad_handle(DAT_HANDLE_TYPE_EP);
	if (!param)
		return DAT_ERROR(DAT_INVALID_PARAMETER, DAT_INVALID_ARG3);
	(void)mask;	/* every field is cheap: fill them all */
	p = priv_of(ep);
	memset(param, 0, sizeof(*param));
	dats_get_ia_handle(ep->hdr.ia, &param->ia_handle);
	param->ep_state = dapl_ep_state(ep);
	param->local_ia_address_ptr = (DAT_IA_ADDRESS_PTR)&ep->hdr.ia->local;
	param->remote_ia_address_ptr = (DAT_IA_ADDRESS_PTR)&p->remote;
	param->remote_port_qual = p->remote_qual;
	if (ep->ep && ual_ep_addresses(ep->ep, &local, &remote) == 0) {
		param->local_port_qual = get_port(&local);
		if (remote.ss_family) {
			/* The peer's address; the qualifier stays what we dialled. */
			p->remote = remote;
			if (!p->remote_qual)
				param->remote_port_qual = get_port(&remote);
		}
	}
	param->pz_handle = ep->pz;
	param->recv_evd_handle = ep->recv_evd;
	param->request_evd_handle = ep->request_evd;
	param->connect_evd_handle = ep->connect_evd;
	param->srq_handle = ep->srq;
	param->ep_attr = ep->attr;
	return DAT_SUCCESS;
}

/* The fields dat_ep_modify may change, and only while unconnected. */
#define EP_MODIFIABLE (DAT_EP_FIELD_PZ_HANDLE | DAT_EP_FIELD_RECV_EVD_HANDLE | \
		       DAT_EP_FIELD_REQUEST_EVD_HANDLE | \
		       DAT_EP_FIELD_CONNECT_EVD_HANDLE | DAT_EP_FIELD_EP_ATTR_ALL)

static DAT_RETURN modify_get(DAT_EP_PARAM_MASK mask, const DAT_EP_PARAM *param,
			     struct dapl_ep *ep, struct dapl_ep *n)
{
	*n = *ep;
	if (mask & DAT_EP_FIELD_PZ_HANDLE) {
		n->pz = dapl_obj_get(param->pz_handle, DAT_HANDLE_TYPE_PZ);
		if (!n->pz)
			return dapl_bad_handle(DAT_HANDLE_TYPE_PZ);
	}
#define EVD_FIELD(bit, field, sub) \
	if (mask & (bit)) { \
		n->field = param->field##_handle ? \
			dapl_obj_get(param->field##_handle, DAT_HANDLE_TYPE_EVD) : NULL; \
		if (param->field##_handle && !n->field) \
			return DAT_ERROR(DAT_INVALID_HANDLE, sub); \
	}
	EVD_FIELD(DAT_EP_FIELD_RECV_EVD_HANDLE, recv_evd, DAT_INVALID_HANDLE_EVD_RECV)
	EVD_FIELD(DAT_EP_FIELD_REQUEST_EVD_HANDLE, request_evd, DAT_INVALID_HANDLE_EVD_REQUEST)
	EVD_FIELD(DAT_EP_FIELD_CONNECT_EVD_HANDLE, connect_evd, DAT_INVALID_HANDLE_EVD_CONN)
#undef EVD_FIELD
	if (mask & DAT_EP_FIELD_EP_ATTR_ALL)
		n->attr = param->ep_attr;	/* modify sets all or nothing */
	return DAT_SUCCESS;
}

static DAT_RETURN DAT_API ep_modify(DAT_EP_HANDLE handle, DAT_EP_PARAM_MASK mask,
				    const DAT_EP_PARAM *param)
{
	struct dapl_ep *ep = dapl_obj_get(handle, DAT_HANDLE_TYPE_EP);
	struct dapl_ep n, saved;
	struct ual_ep *old;
	DAT_EP_STATE st;
	DAT_RETURN ret;

	if (!ep)
		return dapl_bad_handle(DAT_HANDLE_TYPE_EP);
	if (!mask || (mask & ~EP_MODIFIABLE))
		return DAT_ERROR(DAT_INVALID_PARAMETER, DAT_INVALID_ARG2);
	if (!param)
		return DAT_ERROR(DAT_INVALID_PARAMETER, DAT_INVALID_ARG3);
	st = dapl_ep_state(ep);
	if (st != DAT_EP_STATE_UNCONNECTED && st != DAT_EP_STATE_UNCONFIGURED_UNCONNECTED)
		return bad_state(ep);
	ret = modify_get(mask, param, ep, &n);
	if (ret == DAT_SUCCESS)
		ret = check_evds(ep->hdr.ia, n.recv_evd, n.request_evd, n.connect_evd);
	if (ret == DAT_SUCCESS)
		ret = check_attr(ep->hdr.ia, &n.attr, DAT_INVALID_ARG3);
	if (ret != DAT_SUCCESS)
		return ret;
	/* Verbs cannot change a QP's sizes or CQs: make a new endpoint. */
	old = ep->ep;
	saved = *ep;
	take_refs(ep, -1);
	ep->pz = n.pz;
	ep->recv_evd = n.recv_evd;
	ep->request_evd = n.request_evd;
	ep->connect_evd = n.connect_evd;
	ep->attr = n.attr;
	ep->ep = NULL;
	ret = ep->pz ? ual_ep_make(ep) : DAT_SUCCESS;
	if (ret != DAT_SUCCESS) {
		/* Keep the old endpoint and its settings. */
		ep->ep = old;
		ep->pz = saved.pz;
		ep->recv_evd = saved.recv_evd;
		ep->request_evd = saved.request_evd;
		ep->connect_evd = saved.connect_evd;
		ep->attr = saved.attr;
		take_refs(ep, 1);
		return ret;
	}
	take_refs(ep, 1);
	ual_ep_destroy(old, NULL);
	return DAT_SUCCESS;
}

static DAT_RETURN DAT_API ep_recv_query(DAT_EP_HANDLE handle, DAT_COUNT *nbufs,
					DAT_COUNT *bufs_alloc)
{
	(void)nbufs;
	(void)bufs_alloc;
	if (!dapl_obj_get(handle, DAT_HANDLE_TYPE_EP))
		return dapl_bad_handle(DAT_HANDLE_TYPE_EP);
	/* As OFA: verbs has no query of a receive queue's fill. */
	return DAT_ERROR(DAT_NOT_IMPLEMENTED, DAT_NO_SUBTYPE);
}

static DAT_RETURN DAT_API ep_set_watermark(DAT_EP_HANDLE handle, DAT_COUNT soft_hw,
					   DAT_COUNT hard_hw)
{
	(void)soft_hw;
	(void)hard_hw;
	if (!dapl_obj_get(handle, DAT_HANDLE_TYPE_EP))
		return dapl_bad_handle(DAT_HANDLE_TYPE_EP);
	return DAT_ERROR(DAT_NOT_IMPLEMENTED, DAT_NO_SUBTYPE);
}

void dapl_ep_ops(DAT_PROVIDER *p)
{
	p->ep_create_func = ep_create;
	p->ep_query_func = ep_query;
	p->ep_modify_func = ep_modify;
	p->ep_connect_func = ep_connect;
	p->ep_dup_connect_func = ep_dup_connect;
	p->ep_common_connect_func = ep_common_connect;
	p->ep_disconnect_func = ep_disconnect;
	p->ep_get_status_func = ep_get_status;
	p->ep_free_func = ep_free;
	p->ep_reset_func = ep_reset;
	p->ep_recv_query_func = ep_recv_query;
	p->ep_set_watermark_func = ep_set_watermark;
	dapl_register_destructor(DAT_HANDLE_TYPE_EP, ep_destructor);
}
