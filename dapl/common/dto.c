// SPDX-License-Identifier: BSD-3-Clause OR GPL-2.0-only
/*
 * DTOs: sends, receives and RDMA on an EP.  A DAT_LMR_TRIPLET has the
 * layout of a ual_sge (and of an ibv_sge), so the consumer's IOV goes to
 * the layer without a copy; the DTO cookie is the post's context.
 *
 * Sends and RDMA are refused with DAT_INVALID_STATE unless the EP is
 * connected: over siw, work posted to a QP whose stream has failed never
 * completes (doc/access_layer.md, "siw: work posted to a failed QP").
 */
#include <errno.h>
#include <stddef.h>

#include "dapl.h"

_Static_assert(sizeof(DAT_LMR_TRIPLET) == sizeof(struct ual_sge) &&
	       offsetof(DAT_LMR_TRIPLET, virtual_address) == offsetof(struct ual_sge, addr) &&
	       offsetof(DAT_LMR_TRIPLET, segment_length) == offsetof(struct ual_sge, length) &&
	       offsetof(DAT_LMR_TRIPLET, lmr_context) == offsetof(struct ual_sge, lkey),
	       "DAT_LMR_TRIPLET must have the layout of struct ual_sge");

#define COMPLETION_FLAGS (DAT_COMPLETION_SUPPRESS_FLAG | \
			  DAT_COMPLETION_SOLICITED_WAIT_FLAG | \
			  DAT_COMPLETION_UNSIGNALLED_FLAG | \
			  DAT_COMPLETION_BARRIER_FENCE_FLAG | \
			  DAT_COMPLETION_EVD_THRESHOLD_FLAG)

/*
 * SUPPRESS: no completion on success (an unsignalled work request);
 * UNSIGNALLED only spares the EVD's notification, the completion is
 * still queued; SOLICITED_WAIT wakes a solicited-only waiter at the peer;
 * BARRIER_FENCE waits for earlier RDMA reads.
 */
static unsigned int ual_flags(DAT_COMPLETION_FLAGS f)
{
	unsigned int u = 0;

	if (!(f & DAT_COMPLETION_SUPPRESS_FLAG))
		u |= UAL_POST_SIGNALED;
	if (f & DAT_COMPLETION_SOLICITED_WAIT_FLAG)
		u |= UAL_POST_SOLICITED;
	if (f & DAT_COMPLETION_BARRIER_FENCE_FLAG)
		u |= UAL_POST_FENCE;
	return u;
}

/* An RDMA IOV limit of 0 (a DAT 1.x style attribute) means the device's. */
static DAT_COUNT iov_max(DAT_COUNT attr, uint32_t dev)
{
	return attr ? attr : (DAT_COUNT)dev;
}

/*
 * Checks shared by every post: handle (@ep is the caller's one lookup,
 * NULL for a bad handle), IOV count and array, flags, state.
 */
static DAT_RETURN post_checks(struct dapl_ep *ep, DAT_COUNT n,
			      const DAT_LMR_TRIPLET *iov, DAT_COUNT max_iov,
			      DAT_COMPLETION_FLAGS flags, DAT_RETURN flags_arg,
			      bool recv)
{
	enum ual_ep_state st;

	if (!ep)
		return dapl_bad_handle(DAT_HANDLE_TYPE_EP);
	if (n < 0 || n > max_iov)
		return DAT_ERROR(DAT_INVALID_PARAMETER, DAT_INVALID_ARG2);
	if (n && !iov)
		return DAT_ERROR(DAT_INVALID_PARAMETER, DAT_INVALID_ARG3);
	if (flags & ~COMPLETION_FLAGS)
		return DAT_ERROR(DAT_INVALID_PARAMETER, flags_arg);
	if (!ep->ep)
		return DAT_ERROR(DAT_INVALID_STATE, DAT_INVALID_STATE_EP_UNCONFIGURED);
	st = ual_ep_get_state(ep->ep);
	if (recv) {
		/* Receives may be posted before the connection, not after it. */
		if (st == UAL_EP_DISCONNECTING || st == UAL_EP_DISCONNECTED ||
		    st == UAL_EP_FAILED)
			return DAT_ERROR(DAT_INVALID_STATE, DAT_INVALID_STATE_EP_DISCONNECTED);
		if (ep->srq)
			return DAT_ERROR(DAT_INVALID_STATE, DAT_INVALID_STATE_EP_NOTREADY);
	} else if (st != UAL_EP_CONNECTED) {
		dapl_log(DAPL_DBG_EP, "EP %p: not posting: the endpoint is %s",
			 (void *)ep, ual_ep_state_name(st));
		return DAT_ERROR(DAT_INVALID_STATE, st == UAL_EP_IDLE ?
				 DAT_INVALID_STATE_EP_UNCONNECTED :
				 DAT_INVALID_STATE_EP_DISCONNECTED);
	}
	return DAT_SUCCESS;
}

/* A post's negative errno as a DAT code, with the layer's words logged. */
static DAT_RETURN post_error(struct dapl_ep *ep, const char *call, int rc)
{
	char buf[256];

	dapl_log(DAPL_DBG_ERR, "%s: %s", call,
		 ual_post_strerror(rc, ep->ep, buf, sizeof(buf)));
	switch (-rc) {
	case ENOMEM:
		return DAT_ERROR(DAT_INSUFFICIENT_RESOURCES, DAT_RESOURCE_TEP);
	case EPERM:	/* RDMA read depth 0 */
		return DAT_ERROR(DAT_INVALID_STATE, DAT_NO_SUBTYPE);
	default:
		return dapl_status_from_errno(rc);
	}
}

static DAT_RETURN posted(struct dapl_ep *ep, const char *call, int rc,
			 bool recv, unsigned int uf)
{
	if (rc)
		return post_error(ep, call, rc);
	if (recv || (uf & UAL_POST_SIGNALED))
		dapl_ep_dto_posted(ep, recv);
	return DAT_SUCCESS;
}

static DAT_RETURN DAT_API post_send(DAT_EP_HANDLE handle, DAT_COUNT n,
				    DAT_LMR_TRIPLET *iov, DAT_DTO_COOKIE cookie,
				    DAT_COMPLETION_FLAGS flags)
{
	struct dapl_ep *ep = dapl_obj_get(handle, DAT_HANDLE_TYPE_EP);
	DAT_RETURN ret;
	unsigned int uf;

	ret = post_checks(ep, n, iov, ep ? ep->attr.max_request_iov : 0,
			  flags, DAT_INVALID_ARG5, false);
	if (ret != DAT_SUCCESS)
		return ret;
	uf = ual_flags(flags);
	return posted(ep, "dat_ep_post_send",
		      ual_post_send(ep->ep, (const struct ual_sge *)iov, n,
				    cookie.as_64, uf), false, uf);
}

static DAT_RETURN DAT_API post_send_inv(DAT_EP_HANDLE handle, DAT_COUNT n,
					DAT_LMR_TRIPLET *iov, DAT_DTO_COOKIE cookie,
					DAT_COMPLETION_FLAGS flags,
					DAT_BOOLEAN invalidate, DAT_RMR_CONTEXT rmr)
{
	struct dapl_ep *ep = dapl_obj_get(handle, DAT_HANDLE_TYPE_EP);
	DAT_RETURN ret;
	unsigned int uf;

	ret = post_checks(ep, n, iov, ep ? ep->attr.max_request_iov : 0,
			  flags, DAT_INVALID_ARG5, false);
	if (ret != DAT_SUCCESS)
		return ret;
	if (invalidate != DAT_TRUE && invalidate != DAT_FALSE)
		return DAT_ERROR(DAT_INVALID_PARAMETER, DAT_INVALID_ARG6);
	uf = ual_flags(flags);
	if (invalidate == DAT_FALSE)
		return posted(ep, "dat_ep_post_send_with_invalidate",
			      ual_post_send(ep->ep, (const struct ual_sge *)iov, n,
					    cookie.as_64, uf), false, uf);
	return posted(ep, "dat_ep_post_send_with_invalidate",
		      ual_post_send_inv(ep->ep, (const struct ual_sge *)iov, n,
					rmr, cookie.as_64, uf), false, uf);
}

static DAT_RETURN DAT_API post_recv(DAT_EP_HANDLE handle, DAT_COUNT n,
				    DAT_LMR_TRIPLET *iov, DAT_DTO_COOKIE cookie,
				    DAT_COMPLETION_FLAGS flags)
{
	struct dapl_ep *ep = dapl_obj_get(handle, DAT_HANDLE_TYPE_EP);
	DAT_RETURN ret;

	ret = post_checks(ep, n, iov, ep ? ep->attr.max_recv_iov : 0,
			  flags, DAT_INVALID_ARG5, true);
	if (ret != DAT_SUCCESS)
		return ret;
	return posted(ep, "dat_ep_post_recv",
		      ual_post_recv(ep->ep, (const struct ual_sge *)iov, n,
				    cookie.as_64), true, 0);
}

/* RDMA read (@read) or write: the IOV limit, the post and the call name differ. */
static DAT_RETURN post_rdma(DAT_EP_HANDLE handle, DAT_COUNT n,
			    DAT_LMR_TRIPLET *iov, DAT_DTO_COOKIE cookie,
			    const DAT_RMR_TRIPLET *remote,
			    DAT_COMPLETION_FLAGS flags, bool read)
{
	struct dapl_ep *ep = dapl_obj_get(handle, DAT_HANDLE_TYPE_EP);
	const struct ual_sge *sge = (const struct ual_sge *)iov;
	DAT_COUNT max_iov = 0;
	DAT_RETURN ret;
	unsigned int uf;
	int rc;

	if (ep)
		max_iov = read ? iov_max(ep->attr.max_rdma_read_iov, ep->hdr.ia->attr.max_sge_rd) :
				 iov_max(ep->attr.max_rdma_write_iov, ep->hdr.ia->attr.max_sge);
	ret = post_checks(ep, n, iov, max_iov, flags, DAT_INVALID_ARG6, false);
	if (ret != DAT_SUCCESS)
		return ret;
	if (!remote)
		return DAT_ERROR(DAT_INVALID_PARAMETER, DAT_INVALID_ARG5);
	uf = ual_flags(flags);
	if (read)
		rc = ual_post_read(ep->ep, sge, n, remote->virtual_address,
				   remote->rmr_context, cookie.as_64, uf);
	else
		rc = ual_post_write(ep->ep, sge, n, remote->virtual_address,
				    remote->rmr_context, cookie.as_64, uf);
	return posted(ep, read ? "dat_ep_post_rdma_read" : "dat_ep_post_rdma_write",
		      rc, false, uf);
}

static DAT_RETURN DAT_API post_rdma_read(DAT_EP_HANDLE handle, DAT_COUNT n,
					 DAT_LMR_TRIPLET *iov, DAT_DTO_COOKIE cookie,
					 const DAT_RMR_TRIPLET *remote,
					 DAT_COMPLETION_FLAGS flags)
{
	return post_rdma(handle, n, iov, cookie, remote, flags, true);
}

static DAT_RETURN DAT_API post_rdma_write(DAT_EP_HANDLE handle, DAT_COUNT n,
					  DAT_LMR_TRIPLET *iov, DAT_DTO_COOKIE cookie,
					  const DAT_RMR_TRIPLET *remote,
					  DAT_COMPLETION_FLAGS flags)
{
	return post_rdma(handle, n, iov, cookie, remote, flags, false);
}

static DAT_RETURN DAT_API post_rdma_read_to_rmr(DAT_EP_HANDLE handle,
						const DAT_RMR_TRIPLET *local,
						DAT_DTO_COOKIE cookie,
						const DAT_RMR_TRIPLET *remote,
						DAT_COMPLETION_FLAGS flags)
{
	(void)cookie;
	(void)flags;
	if (!dapl_obj_get(handle, DAT_HANDLE_TYPE_EP))
		return dapl_bad_handle(DAT_HANDLE_TYPE_EP);
	if (!local)
		return DAT_ERROR(DAT_INVALID_PARAMETER, DAT_INVALID_ARG2);
	if (!remote)
		return DAT_ERROR(DAT_INVALID_PARAMETER, DAT_INVALID_ARG4);
	/* Verbs has no RDMA read into a memory window (OFA neither). */
	return DAT_ERROR(DAT_NOT_IMPLEMENTED, DAT_NO_SUBTYPE);
}

void dapl_dto_ops(DAT_PROVIDER *p)
{
	p->ep_post_send_func = post_send;
	p->ep_post_send_with_invalidate_func = post_send_inv;
	p->ep_post_recv_func = post_recv;
	p->ep_post_rdma_read_func = post_rdma_read;
	p->ep_post_rdma_write_func = post_rdma_write;
	p->ep_post_rdma_read_to_rmr_func = post_rdma_read_to_rmr;
}
