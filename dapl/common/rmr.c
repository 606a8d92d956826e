// SPDX-License-Identifier: BSD-3-Clause OR GPL-2.0-only
/*
 * RMR: a memory window of the access layer (ual_mw).  dat_rmr_create
 * allocates a type 1 window (bound by a call, usable through any EP of
 * its PZ: scope PZ), dat_rmr_create_for_ep a type 2 window (bound by a
 * work request, usable only through the EP that bound it: scope EP).
 * dat_rmr_bind grants the peer exactly the bound range with exactly the
 * rights asked; a bind with segment_length 0 unbinds, which revokes.
 *
 * Where the device has no memory windows (siw) the IA attributes say
 * max_rmrs 0 and every call that would need one returns
 * DAT_NOT_IMPLEMENTED: an LMR's own rmr_context cannot be narrowed or
 * revoked, so handing it out as an RMR would be a fake.
 *
 * Binds are posted on the EP's send queue and complete there; evd.c
 * hands those completions back through dapl_rmr_bind_event (dapl.h).
 */
#include <errno.h>
#include <string.h>

#include "dapl.h"

DAT_RETURN DAT_API dats_get_ia_handle(DAT_IA_HANDLE handle, DAT_IA_HANDLE *out);

/* The context's tag: bit 0 set, bits 1-2 the slot. */
#define TAG_MASK	((uintptr_t)7)

/* Remote rights a window may grant (0x40: the IB extension's atomics). */
#define RMR_PRIV (DAT_MEM_PRIV_REMOTE_READ_FLAG | DAT_MEM_PRIV_REMOTE_WRITE_FLAG | \
		  DAT_MEM_PRIV_EXTENSION_BASE)
#define RMR_FLAGS (DAT_COMPLETION_SUPPRESS_FLAG | DAT_COMPLETION_UNSIGNALLED_FLAG | \
		   DAT_COMPLETION_BARRIER_FENCE_FLAG)

_Static_assert(sizeof(struct dapl_rmr) % 8 == 0,
	       "RMR addresses must leave 3 low bits for the context tag");

static DAT_RETURN rmr_create(DAT_PZ_HANDLE pz_handle, DAT_RMR_HANDLE *out,
			     enum ual_mw_type type, const char *call)
{
	struct dapl_pz *pz = dapl_obj_get(pz_handle, DAT_HANDLE_TYPE_PZ);
	struct ual_error err = { 0 };
	struct dapl_rmr *rmr;
	int rc;

	if (!pz)
		return dapl_bad_handle(DAT_HANDLE_TYPE_PZ);
	if (!out)
		return DAT_ERROR(DAT_INVALID_PARAMETER, DAT_INVALID_ARG2);
	if (!dapl_ia_has_windows(pz->hdr.ia)) {
		dapl_log(DAPL_DBG_WARN,
			 "%s: device %s (%s) has no memory windows: no RMRs (the IA attributes say max_rmrs 0)",
			 call, pz->hdr.ia->attr.name,
			 ual_transport_name(pz->hdr.ia->attr.transport));
		return DAT_ERROR(DAT_NOT_IMPLEMENTED, DAT_NO_SUBTYPE);
	}
	rmr = dapl_obj_alloc(pz->hdr.provider, DAT_HANDLE_TYPE_RMR,
			     sizeof(*rmr), pz->hdr.ia);
	if (!rmr)
		return DAT_ERROR(DAT_INSUFFICIENT_RESOURCES, DAT_RESOURCE_MEMORY);
	rc = ual_mw_alloc(pz->pd, type, &rmr->mw, &err);
	if (rc) {
		dapl_obj_free(rmr);
		return dapl_status_log(call, rc, &err);
	}
	pthread_mutex_init(&rmr->lock, NULL);
	rmr->pz = pz;
	__atomic_add_fetch(&pz->refs, 1, __ATOMIC_ACQ_REL);
	*out = rmr;
	return DAT_SUCCESS;
}

static DAT_RETURN DAT_API rmr_create_pz(DAT_PZ_HANDLE pz, DAT_RMR_HANDLE *out)
{
	return rmr_create(pz, out, UAL_MW_TYPE1, "dat_rmr_create");
}

static DAT_RETURN DAT_API rmr_create_for_ep(DAT_PZ_HANDLE pz, DAT_RMR_HANDLE *out)
{
	return rmr_create(pz, out, UAL_MW_TYPE2, "dat_rmr_create_for_ep");
}

/* Drops the bound LMR's reference (under rmr->lock). */
static void forget_binding(struct dapl_rmr *rmr)
{
	if (rmr->lmr)
		__atomic_sub_fetch(&rmr->lmr->refs, 1, __ATOMIC_ACQ_REL);
	rmr->lmr = NULL;
	memset(&rmr->triplet, 0, sizeof(rmr->triplet));
	rmr->priv = DAT_MEM_PRIV_NONE_FLAG;
}

static void rmr_destroy(struct dapl_rmr *rmr)
{
	struct ual_error err = { 0 };
	int rc;

	pthread_mutex_lock(&rmr->lock);
	forget_binding(rmr);
	pthread_mutex_unlock(&rmr->lock);
	rc = ual_mw_dealloc(rmr->mw, &err);
	if (rc)
		dapl_status_log("dat_rmr_free", rc, &err);
	__atomic_sub_fetch(&rmr->pz->refs, 1, __ATOMIC_ACQ_REL);
	pthread_mutex_destroy(&rmr->lock);
	dapl_obj_free(rmr);
}

static void rmr_destructor(struct dapl_hdr *h)
{
	rmr_destroy((struct dapl_rmr *)h);
}

static DAT_RETURN DAT_API rmr_free(DAT_RMR_HANDLE handle)
{
	struct dapl_rmr *rmr = dapl_obj_get(handle, DAT_HANDLE_TYPE_RMR);

	if (!rmr)
		return dapl_bad_handle(DAT_HANDLE_TYPE_RMR);
	rmr_destroy(rmr);
	return DAT_SUCCESS;
}

static DAT_RETURN DAT_API rmr_query(DAT_RMR_HANDLE handle, DAT_RMR_PARAM_MASK mask,
				    DAT_RMR_PARAM *param)
{
	struct dapl_rmr *rmr = dapl_obj_get(handle, DAT_HANDLE_TYPE_RMR);

	if (!rmr)
		return dapl_bad_handle(DAT_HANDLE_TYPE_RMR);
	if (!param)
		return DAT_ERROR(DAT_INVALID_PARAMETER, DAT_INVALID_ARG3);
	(void)mask;	/* every field is cheap: fill them all */
	dats_get_ia_handle(rmr->hdr.ia, &param->ia_handle);
	param->pz_handle = rmr->pz;
	pthread_mutex_lock(&rmr->lock);
	param->lmr_triplet = rmr->triplet;
	param->mem_priv = rmr->priv;
	param->rmr_context = rmr->lmr ? ual_mw_rkey(rmr->mw) : 0;
	param->va_type = rmr->va_type;
	pthread_mutex_unlock(&rmr->lock);
	param->rmr_scope = ual_mw_type(rmr->mw) == UAL_MW_TYPE1 ?
			   DAT_RMR_SCOPE_PZ : DAT_RMR_SCOPE_EP;
	return DAT_SUCCESS;
}

static unsigned int window_access(DAT_MEM_PRIV_FLAGS priv)
{
	unsigned int a = 0;

	if (priv & DAT_MEM_PRIV_REMOTE_READ_FLAG)
		a |= UAL_ACCESS_REMOTE_READ;
	if (priv & DAT_MEM_PRIV_REMOTE_WRITE_FLAG)
		a |= UAL_ACCESS_REMOTE_WRITE;
	if (priv & DAT_MEM_PRIV_EXTENSION_BASE)
		a |= UAL_ACCESS_REMOTE_ATOMIC;
	return a;
}

static unsigned int post_flags(DAT_COMPLETION_FLAGS flags)
{
	unsigned int f = UAL_POST_SIGNALED;

	if (flags & (DAT_COMPLETION_SUPPRESS_FLAG | DAT_COMPLETION_UNSIGNALLED_FLAG))
		f = 0;
	if (flags & DAT_COMPLETION_BARRIER_FENCE_FLAG)
		f |= UAL_POST_FENCE;
	return f;
}

/* DAT_INVALID_STATE with the EP's state, unless it is connected. */
static DAT_RETURN ep_ready(struct dapl_ep *ep)
{
	switch (ual_ep_get_state(ep->ep)) {
	case UAL_EP_CONNECTED:
		return DAT_SUCCESS;
	case UAL_EP_IDLE:
		return DAT_ERROR(DAT_INVALID_STATE, DAT_INVALID_STATE_EP_UNCONNECTED);
	case UAL_EP_ADDR_QUERY:
	case UAL_EP_ROUTE_QUERY:
	case UAL_EP_CONNECTING:
	case UAL_EP_RETRY_WAIT:
		return DAT_ERROR(DAT_INVALID_STATE, DAT_INVALID_STATE_EP_ACTCONNPENDING);
	case UAL_EP_ACCEPTING:
		return DAT_ERROR(DAT_INVALID_STATE, DAT_INVALID_STATE_EP_COMPLPENDING);
	case UAL_EP_DISCONNECTING:
		return DAT_ERROR(DAT_INVALID_STATE, DAT_INVALID_STATE_EP_DISCPENDING);
	default:
		return DAT_ERROR(DAT_INVALID_STATE, DAT_INVALID_STATE_EP_DISCONNECTED);
	}
}

/* The next post's ual context: the RMR's address tagged with its slot. */
static uint64_t next_context(struct dapl_rmr *rmr, DAT_RMR_COOKIE cookie,
			     bool unbind)
{
	unsigned int s = rmr->posts++ % DAPL_RMR_SLOTS;

	rmr->slot[s].cookie = cookie;
	rmr->slot[s].unbind = unbind;
	return (uintptr_t)rmr | (s << 1) | 1;
}

static DAT_RETURN post_failed(struct dapl_rmr *rmr, struct dapl_ep *ep,
			      const char *what, int rc)
{
	char buf[256];

	rmr->posts--;	/* the slot was not used */
	dapl_log(DAPL_DBG_ERR, "dat_rmr_bind: %s: %s", what,
		 ual_post_strerror(rc, ep->ep, buf, sizeof(buf)));
	if (rc == -EINVAL)
		return DAT_ERROR(DAT_INVALID_PARAMETER, DAT_INVALID_ARG3);
	return dapl_status_from_errno(rc);
}

static DAT_RETURN do_unbind(struct dapl_rmr *rmr, struct dapl_ep *ep,
			 DAT_RMR_COOKIE cookie, DAT_COMPLETION_FLAGS flags)
{
	int rc;

	if (!rmr->lmr)
		return DAT_SUCCESS;	/* not bound: nothing to revoke */
	if (rmr->ep && rmr->ep != ep)
		return DAT_ERROR(DAT_INVALID_PARAMETER, DAT_INVALID_ARG6);
	rc = ual_mw_unbind(ep->ep, rmr->mw, next_context(rmr, cookie, true),
			   post_flags(flags));
	if (rc)
		return post_failed(rmr, ep, "unbind", rc);
	forget_binding(rmr);
	rmr->ep = NULL;
	return DAT_SUCCESS;
}

/* The checks of a bind against its LMR; DAT_SUCCESS if it may go. */
static DAT_RETURN bind_checks(struct dapl_rmr *rmr, struct dapl_lmr *lmr,
			      const DAT_LMR_TRIPLET *t, DAT_MEM_PRIV_FLAGS priv,
			      struct dapl_ep *ep)
{
	uint64_t base = (uintptr_t)lmr->addr;

	if (lmr->pz != rmr->pz || ep->pz != rmr->pz)
		return DAT_ERROR(DAT_PROTECTION_VIOLATION, DAT_NO_SUBTYPE);
	if (t->lmr_context != ual_mr_lkey(lmr->mr) ||
	    t->virtual_address < base ||
	    t->virtual_address - base > lmr->length ||
	    t->segment_length > lmr->length - (t->virtual_address - base))
		return DAT_ERROR(DAT_INVALID_PARAMETER, DAT_INVALID_ARG3);
	/* A peer's write lands through the region: it must be writable. */
	if ((priv & (DAT_MEM_PRIV_REMOTE_WRITE_FLAG | DAT_MEM_PRIV_EXTENSION_BASE)) &&
	    !(ual_mr_access(lmr->mr) & UAL_ACCESS_LOCAL_WRITE))
		return DAT_ERROR(DAT_PRIVILEGES_VIOLATION, DAT_PRIVILEGES_RDMA_WRITE);
	if (rmr->ep && rmr->ep != ep)
		return DAT_ERROR(DAT_INVALID_PARAMETER, DAT_INVALID_ARG6);
	return DAT_SUCCESS;
}

static DAT_RETURN do_bind(struct dapl_rmr *rmr, struct dapl_lmr *lmr,
		       const DAT_LMR_TRIPLET *t, DAT_MEM_PRIV_FLAGS priv,
		       DAT_VA_TYPE va_type, struct dapl_ep *ep,
		       DAT_RMR_COOKIE cookie, DAT_COMPLETION_FLAGS flags,
		       DAT_RMR_CONTEXT *rmr_context)
{
	bool type2 = ual_mw_type(rmr->mw) == UAL_MW_TYPE2;
	DAT_RETURN ret = bind_checks(rmr, lmr, t, priv, ep);
	uint32_t rkey = 0;
	int rc;

	if (ret != DAT_SUCCESS)
		return ret;
	/* A bound type 2 window must be invalidated before it binds again. */
	if (type2 && rmr->lmr) {
		rc = ual_mw_unbind(ep->ep, rmr->mw,
				   next_context(rmr, cookie, true), 0);
		if (rc)
			return post_failed(rmr, ep, "invalidate before rebind", rc);
		forget_binding(rmr);
	}
	rc = ual_mw_bind(ep->ep, rmr->mw, lmr->mr, t->virtual_address,
			 t->segment_length, window_access(priv),
			 next_context(rmr, cookie, false), post_flags(flags),
			 &rkey);
	if (rc)
		return post_failed(rmr, ep, "bind", rc);
	forget_binding(rmr);
	rmr->lmr = lmr;
	__atomic_add_fetch(&lmr->refs, 1, __ATOMIC_ACQ_REL);
	rmr->triplet = *t;
	rmr->priv = priv;
	rmr->va_type = va_type;
	rmr->ep = type2 ? ep : NULL;
	*rmr_context = rkey;
	return DAT_SUCCESS;
}

static DAT_RETURN DAT_API rmr_bind(DAT_RMR_HANDLE rmr_handle,
				   DAT_LMR_HANDLE lmr_handle,
				   const DAT_LMR_TRIPLET *triplet,
				   DAT_MEM_PRIV_FLAGS priv, DAT_VA_TYPE va_type,
				   DAT_EP_HANDLE ep_handle, DAT_RMR_COOKIE cookie,
				   DAT_COMPLETION_FLAGS flags,
				   DAT_RMR_CONTEXT *rmr_context)
{
	struct dapl_rmr *rmr = dapl_obj_get(rmr_handle, DAT_HANDLE_TYPE_RMR);
	struct dapl_ep *ep = dapl_obj_get(ep_handle, DAT_HANDLE_TYPE_EP);
	struct dapl_lmr *lmr = NULL;
	bool is_unbind;
	DAT_RETURN ret;

	if (!rmr)
		return dapl_bad_handle(DAT_HANDLE_TYPE_RMR);
	if (!triplet)
		return DAT_ERROR(DAT_INVALID_PARAMETER, DAT_INVALID_ARG3);
	is_unbind = triplet->segment_length == 0;
	/* An unbind needs no LMR; a bind needs one of the RMR's IA. */
	if (!is_unbind || lmr_handle) {
		lmr = dapl_obj_get(lmr_handle, DAT_HANDLE_TYPE_LMR);
		if (!lmr || lmr->hdr.ia != rmr->hdr.ia)
			return dapl_bad_handle(DAT_HANDLE_TYPE_LMR);
	}
	if (!is_unbind && (priv & ~RMR_PRIV))
		return DAT_ERROR(DAT_INVALID_PARAMETER, DAT_INVALID_ARG4);
	if (va_type != DAT_VA_TYPE_VA && va_type != DAT_VA_TYPE_ZB)
		return DAT_ERROR(DAT_INVALID_PARAMETER, DAT_INVALID_ARG5);
	if (!ep || ep->hdr.ia != rmr->hdr.ia)
		return dapl_bad_handle(DAT_HANDLE_TYPE_EP);
	if (flags & ~RMR_FLAGS)
		return DAT_ERROR(DAT_INVALID_PARAMETER, DAT_INVALID_ARG8);
	if (!is_unbind && !rmr_context)
		return DAT_ERROR(DAT_INVALID_PARAMETER, DAT_INVALID_ARG9);
	if (!is_unbind && va_type == DAT_VA_TYPE_ZB) {
		dapl_log(DAPL_DBG_WARN,
			 "dat_rmr_bind: zero-based addressing (DAT_VA_TYPE_ZB) is not supported");
		return DAT_ERROR(DAT_NOT_IMPLEMENTED, DAT_NO_SUBTYPE);
	}
	ret = ep_ready(ep);
	if (ret != DAT_SUCCESS)
		return ret;

	pthread_mutex_lock(&rmr->lock);
	if (is_unbind)
		ret = do_unbind(rmr, ep, cookie, flags);
	else
		ret = do_bind(rmr, lmr, triplet, priv, va_type, ep, cookie,
			      flags, rmr_context);
	pthread_mutex_unlock(&rmr->lock);
	return ret;
}

static DAT_DTO_COMPLETION_STATUS bind_status(enum ual_wc_status s)
{
	switch (s) {
	case UAL_WC_SUCCESS:
		return DAT_RMR_BIND_SUCCESS;
	case UAL_WC_FLUSHED:
		return DAT_DTO_ERR_FLUSHED;
	case UAL_WC_LOCAL_PROTECTION:
		return DAT_DTO_ERR_LOCAL_PROTECTION;
	case UAL_WC_LOCAL_QP_OPERATION:
		return DAT_DTO_ERR_LOCAL_EP;
	default:
		return DAT_RMR_OPERATION_FAILED;
	}
}

bool dapl_rmr_bind_event(const struct ual_wc *wc, DAT_EVENT *ev)
{
	uintptr_t ctx = (uintptr_t)wc->context;
	struct dapl_rmr *rmr = (struct dapl_rmr *)(ctx & ~TAG_MASK);
	unsigned int s = (ctx & TAG_MASK) >> 1;

	if (!(ctx & 1) || !dapl_obj_addr_valid((uintptr_t)rmr, DAT_HANDLE_TYPE_RMR))
		return false;
	memset(&ev->event_data, 0, sizeof(ev->event_data));
	ev->event_number = DAT_RMR_BIND_COMPLETION_EVENT;
	ev->event_data.rmr_completion_event_data.rmr_handle = rmr;
	ev->event_data.rmr_completion_event_data.status = bind_status(wc->status);
	if (!dapl_obj_get(rmr, DAT_HANDLE_TYPE_RMR))
		return true;	/* freed meanwhile: its cookie is gone too */
	pthread_mutex_lock(&rmr->lock);
	ev->event_data.rmr_completion_event_data.user_cookie = rmr->slot[s].cookie;
	/* The last bind failed: the window grants nothing. */
	if (wc->status != UAL_WC_SUCCESS && !rmr->slot[s].unbind &&
	    (rmr->posts - 1) % DAPL_RMR_SLOTS == s) {
		dapl_log(DAPL_DBG_WARN, "RMR bind failed on the device: %s",
			 ual_wc_status_str(wc->status));
		forget_binding(rmr);
		rmr->ep = NULL;
	}
	pthread_mutex_unlock(&rmr->lock);
	return true;
}

void dapl_rmr_ops(DAT_PROVIDER *p)
{
	p->rmr_create_func = rmr_create_pz;
	p->rmr_create_for_ep_func = rmr_create_for_ep;
	p->rmr_query_func = rmr_query;
	p->rmr_bind_func = rmr_bind;
	p->rmr_free_func = rmr_free;
	dapl_register_destructor(DAT_HANDLE_TYPE_RMR, rmr_destructor);
}
