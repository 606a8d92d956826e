// SPDX-License-Identifier: BSD-3-Clause OR GPL-2.0-only
/*
 * SRQ: a shared receive queue of the layer (ual_srq) in a PZ, and the EPs
 * created on one (dat_ep_create_with_srq; the endpoint itself is ep.c's).
 *
 * The low watermark is the device's SRQ limit: it fires once when an EP
 * takes a receive and fewer than the watermark remain, and is re-armed by
 * dat_srq_set_lw.  The device does not fire it at set time when fewer are
 * posted already, so neither does this provider.  The event reaches the
 * IA's async EVD (the SRQ is created with that EVD's queue) and is
 * converted by dapl_srq_async_event.
 *
 * OFA's provider answers set_lw with DAT_MODEL_NOT_SUPPORTED and leaves
 * resize unimplemented; here both go to the device, and a device that
 * cannot resize (siw) says so with DAT_NOT_IMPLEMENTED.  How many receives
 * are posted or outstanding is not known to the provider (completions go
 * to the EPs' recv EVDs), so dat_srq_query reports DAT_VALUE_UNKNOWN for
 * both counts rather than a guess.
 */
#include <errno.h>
#include <stddef.h>

#include "dapl.h"

DAT_RETURN DAT_API dats_get_ia_handle(DAT_IA_HANDLE handle, DAT_IA_HANDLE *out);

/* A DAT_LMR_TRIPLET is posted as a ual_sge as it is: same layout. */
_Static_assert(sizeof(DAT_LMR_TRIPLET) == sizeof(struct ual_sge),
	       "DAT_LMR_TRIPLET and struct ual_sge differ in size");
_Static_assert(offsetof(DAT_LMR_TRIPLET, virtual_address) ==
	       offsetof(struct ual_sge, addr) &&
	       offsetof(DAT_LMR_TRIPLET, segment_length) ==
	       offsetof(struct ual_sge, length) &&
	       offsetof(DAT_LMR_TRIPLET, lmr_context) ==
	       offsetof(struct ual_sge, lkey),
	       "DAT_LMR_TRIPLET and struct ual_sge differ in layout");

#define BAD_PARAM(arg)	DAT_ERROR(DAT_INVALID_PARAMETER, (arg))

static DAT_RETURN srq_attr_check(const struct dapl_ia *ia,
				 const DAT_SRQ_ATTR *a)
{
	if (a->max_recv_dtos <= 0 ||
	    (uint32_t)a->max_recv_dtos > ia->attr.max_srq_wr) {
		dapl_log(DAPL_DBG_WARN,
			 "dat_srq_create: max_recv_dtos %d; device %s allows 1 to %u",
			 a->max_recv_dtos, ia->attr.name, ia->attr.max_srq_wr);
		return BAD_PARAM(DAT_INVALID_ARG3);
	}
	if (a->max_recv_iov < 0 ||
	    (uint32_t)a->max_recv_iov > ia->attr.max_srq_sge) {
		dapl_log(DAPL_DBG_WARN,
			 "dat_srq_create: max_recv_iov %d; device %s allows 0 to %u",
			 a->max_recv_iov, ia->attr.name, ia->attr.max_srq_sge);
		return BAD_PARAM(DAT_INVALID_ARG3);
	}
	if (a->low_watermark < 0 || a->low_watermark > a->max_recv_dtos) {
		dapl_log(DAPL_DBG_WARN,
			 "dat_srq_create: low_watermark %d is not within 0..max_recv_dtos (%d)",
			 a->low_watermark, a->max_recv_dtos);
		return BAD_PARAM(DAT_INVALID_ARG3);
	}
	return DAT_SUCCESS;
}

/*
 * The armed low watermark: what the device reports, or 0 once the limit
 * event was converted (siw's cached limit stays as set after it fired).
 */
static uint32_t armed_lw(struct dapl_srq *srq, const struct ual_srq_attr *a)
{
	uint32_t ours = (uint32_t)__atomic_load_n(&srq->attr.low_watermark,
						  __ATOMIC_RELAXED);

	return a->limit < ours ? a->limit : ours;
}

static DAT_RETURN DAT_API srq_create(DAT_IA_HANDLE ia_handle,
				     DAT_PZ_HANDLE pz_handle,
				     DAT_SRQ_ATTR *attr, DAT_SRQ_HANDLE *out)
{
	struct dapl_ia *ia = dapl_obj_get(ia_handle, DAT_HANDLE_TYPE_IA);
	struct dapl_pz *pz = dapl_obj_get(pz_handle, DAT_HANDLE_TYPE_PZ);
	struct ual_error err = { 0 };
	struct ual_eq *async_eq;
	struct dapl_srq *srq;
	DAT_RETURN ret;
	int rc;

	if (!ia)
		return dapl_bad_handle(DAT_HANDLE_TYPE_IA);
	if (!pz || pz->hdr.ia != ia)
		return dapl_bad_handle(DAT_HANDLE_TYPE_PZ);
	if (!attr)
		return BAD_PARAM(DAT_INVALID_ARG3);
	if (!out)
		return BAD_PARAM(DAT_INVALID_ARG4);
	if (!(ia->attr.caps & UAL_CAP_SRQ)) {
		dapl_log(DAPL_DBG_WARN,
			 "dat_srq_create: device %s (%s) has no shared receive queues",
			 ia->attr.name, ual_transport_name(ia->attr.transport));
		return DAT_ERROR(DAT_NOT_IMPLEMENTED, DAT_NO_SUBTYPE);
	}
	ret = srq_attr_check(ia, attr);
	if (ret != DAT_SUCCESS)
		return ret;

	srq = dapl_obj_alloc(ia->hdr.provider, DAT_HANDLE_TYPE_SRQ,
			     sizeof(*srq), ia);
	if (!srq)
		return DAT_ERROR(DAT_INSUFFICIENT_RESOURCES, DAT_RESOURCE_MEMORY);
	/* Limit events go to the IA's async EVD (none: the layer drops them). */
	async_eq = ia->async_evd ? ia->async_evd->eq : NULL;
	rc = ual_srq_create(pz->pd, async_eq, (uint32_t)attr->max_recv_dtos,
			    (uint32_t)attr->max_recv_iov, 0, srq, &srq->srq,
			    &err);
	if (rc) {
		dapl_obj_free(srq);
		return dapl_status_log("dat_srq_create", rc, &err);
	}
	/* verbs ignores the limit at creation: arm it now. */
	if (attr->low_watermark) {
		rc = ual_srq_set_limit(srq->srq, (uint32_t)attr->low_watermark,
				       &err);
		if (rc) {
			ual_srq_destroy(srq->srq, NULL);
			dapl_obj_free(srq);
			return dapl_status_log("dat_srq_create (low watermark)",
					       rc, &err);
		}
	}
	srq->pz = pz;
	__atomic_add_fetch(&pz->refs, 1, __ATOMIC_ACQ_REL);
	srq->attr = *attr;
	srq->state = DAT_SRQ_STATE_OPERATIONAL;
	*out = srq;
	dapl_log(DAPL_DBG_SRQ, "SRQ %p: %d receives of %d segments, low watermark %d",
		 (void *)srq, attr->max_recv_dtos, attr->max_recv_iov,
		 attr->low_watermark);
	return DAT_SUCCESS;
}

static void srq_destroy(struct dapl_srq *srq)
{
	ual_srq_destroy(srq->srq, NULL);
	__atomic_sub_fetch(&srq->pz->refs, 1, __ATOMIC_ACQ_REL);
	dapl_obj_free(srq);
}

static void srq_destructor(struct dapl_hdr *h)
{
	srq_destroy((struct dapl_srq *)h);
}

static DAT_RETURN DAT_API srq_free(DAT_SRQ_HANDLE handle)
{
	struct dapl_srq *srq = dapl_obj_get(handle, DAT_HANDLE_TYPE_SRQ);
	struct ual_error err = { 0 };
	int rc;

	if (!srq)
		return dapl_bad_handle(DAT_HANDLE_TYPE_SRQ);
	if (__atomic_load_n(&srq->refs, __ATOMIC_ACQUIRE))
		return DAT_ERROR(DAT_INVALID_STATE, DAT_INVALID_STATE_SRQ_IN_USE);
	rc = ual_srq_destroy(srq->srq, &err);
	if (rc) {
		dapl_status_log("dat_srq_free", rc, &err);
		return DAT_ERROR(DAT_INVALID_STATE, DAT_INVALID_STATE_SRQ_IN_USE);
	}
	srq->srq = NULL;
	srq_destroy(srq);
	return DAT_SUCCESS;
}

static DAT_RETURN DAT_API srq_post_recv(DAT_SRQ_HANDLE handle,
					DAT_COUNT num_segments,
					DAT_LMR_TRIPLET *iov,
					DAT_DTO_COOKIE cookie)
{
	struct dapl_srq *srq = dapl_obj_get(handle, DAT_HANDLE_TYPE_SRQ);
	int rc;

	if (!srq)
		return dapl_bad_handle(DAT_HANDLE_TYPE_SRQ);
	if (num_segments < 0 || num_segments > srq->attr.max_recv_iov)
		return BAD_PARAM(DAT_INVALID_ARG2);
	if (!iov && num_segments)
		return BAD_PARAM(DAT_INVALID_ARG3);
	if (srq->state == DAT_SRQ_STATE_ERROR)
		return DAT_ERROR(DAT_INVALID_STATE, DAT_INVALID_STATE_SRQ_ERROR);
	rc = ual_srq_post_recv(srq->srq, (const struct ual_sge *)iov,
			       num_segments, cookie.as_64);
	if (rc == -ENOMEM)	/* the queue is full */
		return DAT_ERROR(DAT_INSUFFICIENT_RESOURCES, DAT_RESOURCE_SRQ);
	return dapl_status_from_errno(rc);
}

static DAT_RETURN DAT_API srq_query(DAT_SRQ_HANDLE handle,
				    DAT_SRQ_PARAM_MASK mask,
				    DAT_SRQ_PARAM *param)
{
	struct dapl_srq *srq = dapl_obj_get(handle, DAT_HANDLE_TYPE_SRQ);
	struct ual_error err = { 0 };
	struct ual_srq_attr a;
	int rc;

	if (!srq)
		return dapl_bad_handle(DAT_HANDLE_TYPE_SRQ);
	if (mask & ~DAT_SRQ_FIELD_ALL)
		return BAD_PARAM(DAT_INVALID_ARG2);
	if (!param)
		return BAD_PARAM(DAT_INVALID_ARG3);
	rc = ual_srq_query(srq->srq, &a, &err);
	if (rc)
		return dapl_status_log("dat_srq_query", rc, &err);
	/* Every field is cheap: fill them all, whatever the mask. */
	dats_get_ia_handle(srq->hdr.ia, &param->ia_handle);
	param->srq_state = srq->state;
	param->pz_handle = srq->pz;
	/* What the device really holds (it may round up what was asked). */
	param->max_recv_dtos = (DAT_COUNT)a.max_wr;
	param->max_recv_iov = (DAT_COUNT)a.max_sge;
	/* The armed watermark; 0 once the event fired and disarmed it. */
	param->low_watermark = (DAT_COUNT)armed_lw(srq, &a);
	param->available_dto_count = DAT_VALUE_UNKNOWN;
	param->outstanding_dto_count = DAT_VALUE_UNKNOWN;
	return DAT_SUCCESS;
}

static DAT_RETURN DAT_API srq_resize(DAT_SRQ_HANDLE handle, DAT_COUNT max)
{
	struct dapl_srq *srq = dapl_obj_get(handle, DAT_HANDLE_TYPE_SRQ);
	struct ual_error err = { 0 };
	struct ual_srq_attr a;
	int rc;

	if (!srq)
		return dapl_bad_handle(DAT_HANDLE_TYPE_SRQ);
	if (max <= 0 || (uint32_t)max > srq->hdr.ia->attr.max_srq_wr) {
		dapl_log(DAPL_DBG_WARN,
			 "dat_srq_resize: %d receives asked; device %s allows 1 to %u",
			 max, srq->hdr.ia->attr.name,
			 srq->hdr.ia->attr.max_srq_wr);
		return BAD_PARAM(DAT_INVALID_ARG2);
	}
	rc = ual_srq_query(srq->srq, &a, &err);
	if (rc)
		return dapl_status_log("dat_srq_resize", rc, &err);
	if ((uint32_t)max < armed_lw(srq, &a)) {
		dapl_log(DAPL_DBG_WARN,
			 "dat_srq_resize: %d receives is below the armed low watermark %u",
			 max, armed_lw(srq, &a));
		return DAT_ERROR(DAT_INVALID_STATE, DAT_INVALID_STATE_SRQ_IN_USE);
	}
	rc = ual_srq_resize(srq->srq, (uint32_t)max, &err);
	if (rc == -EINVAL) {
		/* In range, so the device refused to drop posted receives. */
		dapl_status_log("dat_srq_resize", rc, &err);
		return DAT_ERROR(DAT_INVALID_STATE, DAT_INVALID_STATE_SRQ_IN_USE);
	}
	if (rc)
		return dapl_status_log("dat_srq_resize", rc, &err);
	srq->attr.max_recv_dtos = max;
	return DAT_SUCCESS;
}

static DAT_RETURN DAT_API srq_set_lw(DAT_SRQ_HANDLE handle, DAT_COUNT lw)
{
	struct dapl_srq *srq = dapl_obj_get(handle, DAT_HANDLE_TYPE_SRQ);
	struct ual_error err = { 0 };
	struct ual_srq_attr a;
	int rc;

	if (!srq)
		return dapl_bad_handle(DAT_HANDLE_TYPE_SRQ);
	rc = ual_srq_query(srq->srq, &a, &err);
	if (rc)
		return dapl_status_log("dat_srq_set_lw", rc, &err);
	if (lw < 0 || (uint32_t)lw > a.max_wr) {
		dapl_log(DAPL_DBG_WARN,
			 "dat_srq_set_lw: low watermark %d is not within 0..%u (the SRQ's size)",
			 lw, a.max_wr);
		return BAD_PARAM(DAT_INVALID_ARG2);
	}
	rc = ual_srq_set_limit(srq->srq, (uint32_t)lw, &err);
	if (rc)
		return dapl_status_log("dat_srq_set_lw", rc, &err);
	__atomic_store_n(&srq->attr.low_watermark, lw, __ATOMIC_RELAXED);
	return DAT_SUCCESS;
}

void dapl_srq_async_event(const struct ual_event *ev, DAT_EVENT *out)
{
	struct dapl_srq *srq = ev->context;
	DAT_ASYNCH_ERROR_EVENT_DATA *d = &out->event_data.asynch_error_event_data;

	out->event_number = DAT_ASYNC_ERROR_PROVIDER_INTERNAL_ERROR;
	d->dat_handle = srq;
	if (ev->type == UAL_EVENT_SRQ_LIMIT) {
		d->reason = DAT_SRQ_LOW_WATERMARK_EVENT;
		__atomic_store_n(&srq->attr.low_watermark, DAT_SRQ_LW_DEFAULT,
				 __ATOMIC_RELAXED);
		dapl_log(DAPL_DBG_SRQ, "SRQ %p: low watermark reached",
			 (void *)srq);
	} else {
		d->reason = DAT_SRQ_TRANSFER_TO_ERROR;
		srq->state = DAT_SRQ_STATE_ERROR;
		dapl_log(DAPL_DBG_ERR,
			 "SRQ %p: the device put the shared receive queue in error (%s)",
			 (void *)srq, ual_event_name(ev->type));
	}
}

static DAT_RETURN DAT_API ep_create_with_srq(DAT_IA_HANDLE ia_handle,
					     DAT_PZ_HANDLE pz_handle,
					     DAT_EVD_HANDLE recv_handle,
					     DAT_EVD_HANDLE request_handle,
					     DAT_EVD_HANDLE connect_handle,
					     DAT_SRQ_HANDLE srq_handle,
					     const DAT_EP_ATTR *attr,
					     DAT_EP_HANDLE *out)
{
	struct dapl_ia *ia = dapl_obj_get(ia_handle, DAT_HANDLE_TYPE_IA);
	struct dapl_pz *pz = dapl_obj_get(pz_handle, DAT_HANDLE_TYPE_PZ);
	struct dapl_evd *recv = dapl_obj_get(recv_handle, DAT_HANDLE_TYPE_EVD);
	struct dapl_evd *req = dapl_obj_get(request_handle, DAT_HANDLE_TYPE_EVD);
	struct dapl_evd *conn = dapl_obj_get(connect_handle, DAT_HANDLE_TYPE_EVD);
	struct dapl_srq *srq = dapl_obj_get(srq_handle, DAT_HANDLE_TYPE_SRQ);
	struct dapl_ep *ep;
	DAT_RETURN ret;

	if (!ia)
		return dapl_bad_handle(DAT_HANDLE_TYPE_IA);
	/* As for dat_ep_create, an EP may start without a PZ. */
	if ((pz_handle && !pz) || (pz && pz->hdr.ia != ia))
		return dapl_bad_handle(DAT_HANDLE_TYPE_PZ);
	if ((recv_handle && !recv) || (recv && recv->hdr.ia != ia))
		return DAT_ERROR(DAT_INVALID_HANDLE, DAT_INVALID_HANDLE_EVD_RECV);
	if ((request_handle && !req) || (req && req->hdr.ia != ia))
		return DAT_ERROR(DAT_INVALID_HANDLE, DAT_INVALID_HANDLE_EVD_REQUEST);
	if ((connect_handle && !conn) || (conn && conn->hdr.ia != ia))
		return DAT_ERROR(DAT_INVALID_HANDLE, DAT_INVALID_HANDLE_EVD_CONN);
	if (!srq || srq->hdr.ia != ia)
		return dapl_bad_handle(DAT_HANDLE_TYPE_SRQ);
	if (!out)
		return BAD_PARAM(DAT_INVALID_ARG8);
	if (srq->state == DAT_SRQ_STATE_ERROR)
		return DAT_ERROR(DAT_INVALID_STATE, DAT_INVALID_STATE_SRQ_ERROR);
	ret = dapl_ep_create_common(ia, pz, recv, req, conn, srq, attr,
				    DAT_INVALID_ARG7, &ep);
	if (ret != DAT_SUCCESS)
		return ret;
	*out = ep;
	return DAT_SUCCESS;
}

void dapl_srq_ops(DAT_PROVIDER *p)
{
	p->srq_create_func = srq_create;
	p->srq_free_func = srq_free;
	p->srq_post_recv_func = srq_post_recv;
	p->srq_query_func = srq_query;
	p->srq_resize_func = srq_resize;
	p->srq_set_lw_func = srq_set_lw;
	p->ep_create_with_srq_func = ep_create_with_srq;
	dapl_register_destructor(DAT_HANDLE_TYPE_SRQ, srq_destructor);
}
