// SPDX-License-Identifier: BSD-3-Clause OR GPL-2.0-only
/*
 * Calls whose object family has not landed yet: each returns
 * DAT_NOT_IMPLEMENTED and logs its name once, so a consumer learns which
 * call is missing instead of crashing on an empty dispatch slot.  A
 * family that lands removes its calls from here; the file goes when the
 * last one has.
 */
#include <errno.h>
#include <stdlib.h>

#include "dapl.h"

static pthread_mutex_t said_lock = PTHREAD_MUTEX_INITIALIZER;
static const char *said[128];

DAT_RETURN dapl_pending(const char *call)
{
	unsigned int i;
	bool first = true;

	pthread_mutex_lock(&said_lock);
	for (i = 0; i < sizeof(said) / sizeof(said[0]) && said[i]; i++)
		if (said[i] == call)
			first = false;
	if (first && i < sizeof(said) / sizeof(said[0]))
		said[i] = call;
	pthread_mutex_unlock(&said_lock);
	if (first)
		dapl_log(DAPL_DBG_WARN, "%s is not implemented by this provider yet",
			 call);
	return DAT_ERROR(DAT_NOT_IMPLEMENTED, DAT_NO_SUBTYPE);
}

DAT_RETURN dapl_evd_create_async(struct dapl_ia *ia, DAT_COUNT qlen,
				 struct dapl_evd **evd)
{
	(void)ia;
	(void)qlen;
	*evd = NULL;
	return DAT_ERROR(DAT_NOT_IMPLEMENTED, DAT_NO_SUBTYPE);
}

void dapl_evd_free_async(struct dapl_evd *evd)
{
	(void)evd;
}

DAT_RETURN dapl_extensions(DAT_HANDLE h, DAT_EXTENDED_OP op, va_list args)
{
	(void)h;
	(void)op;
	(void)args;
	return dapl_pending("dat_extension_op");
}

static void dapl_temporary_ops(DAT_PROVIDER *p);

static DAT_RETURN DAT_API pending_cr_query(DAT_CR_HANDLE a0,
		DAT_CR_PARAM_MASK a1, DAT_CR_PARAM *a2)
{
	(void)a0;
	(void)a1;
	(void)a2;
	return dapl_pending("dat_cr_query");
}

static DAT_RETURN DAT_API pending_cr_accept(DAT_CR_HANDLE a0, DAT_EP_HANDLE a1,
		DAT_COUNT a2, const DAT_PVOID a3)
{
	(void)a0;
	(void)a1;
	(void)a2;
	(void)a3;
	return dapl_pending("dat_cr_accept");
}

static DAT_RETURN DAT_API pending_cr_reject(DAT_CR_HANDLE a0, DAT_COUNT a1,
		const DAT_PVOID a2)
{
	(void)a0;
	(void)a1;
	(void)a2;
	return dapl_pending("dat_cr_reject");
}

static DAT_RETURN DAT_API pending_cr_handoff(DAT_CR_HANDLE a0, DAT_CONN_QUAL a1)
{
	(void)a0;
	(void)a1;
	return dapl_pending("dat_cr_handoff");
}

static DAT_RETURN DAT_API pending_evd_create(DAT_IA_HANDLE a0, DAT_COUNT a1,
		DAT_CNO_HANDLE a2, DAT_EVD_FLAGS a3, DAT_EVD_HANDLE *a4)
{
	(void)a0;
	(void)a1;
	(void)a2;
	(void)a3;
	(void)a4;
	return dapl_pending("dat_evd_create");
}

static DAT_RETURN DAT_API pending_evd_query(DAT_EVD_HANDLE a0,
		DAT_EVD_PARAM_MASK a1, DAT_EVD_PARAM *a2)
{
	(void)a0;
	(void)a1;
	(void)a2;
	return dapl_pending("dat_evd_query");
}

static DAT_RETURN DAT_API pending_evd_modify_cno(DAT_EVD_HANDLE a0,
		DAT_CNO_HANDLE a1)
{
	(void)a0;
	(void)a1;
	return dapl_pending("dat_evd_modify_cno");
}

static DAT_RETURN DAT_API pending_evd_enable(DAT_EVD_HANDLE a0)
{
	(void)a0;
	return dapl_pending("dat_evd_enable");
}

static DAT_RETURN DAT_API pending_evd_disable(DAT_EVD_HANDLE a0)
{
	(void)a0;
	return dapl_pending("dat_evd_disable");
}

static DAT_RETURN DAT_API pending_evd_wait(DAT_EVD_HANDLE a0, DAT_TIMEOUT a1,
		DAT_COUNT a2, DAT_EVENT *a3, DAT_COUNT *a4)
{
	(void)a0;
	(void)a1;
	(void)a2;
	(void)a3;
	(void)a4;
	return dapl_pending("dat_evd_wait");
}

static DAT_RETURN DAT_API pending_evd_resize(DAT_EVD_HANDLE a0, DAT_COUNT a1)
{
	(void)a0;
	(void)a1;
	return dapl_pending("dat_evd_resize");
}

static DAT_RETURN DAT_API pending_evd_post_se(DAT_EVD_HANDLE a0,
		const DAT_EVENT *a1)
{
	(void)a0;
	(void)a1;
	return dapl_pending("dat_evd_post_se");
}

static DAT_RETURN DAT_API pending_evd_dequeue(DAT_EVD_HANDLE a0, DAT_EVENT *a1)
{
	(void)a0;
	(void)a1;
	return dapl_pending("dat_evd_dequeue");
}

static DAT_RETURN DAT_API pending_evd_free(DAT_EVD_HANDLE a0)
{
	(void)a0;
	return dapl_pending("dat_evd_free");
}

static DAT_RETURN DAT_API pending_ep_create(DAT_IA_HANDLE a0, DAT_PZ_HANDLE a1,
		DAT_EVD_HANDLE a2, DAT_EVD_HANDLE a3, DAT_EVD_HANDLE a4,
		const DAT_EP_ATTR *a5, DAT_EP_HANDLE *a6)
{
	(void)a0;
	(void)a1;
	(void)a2;
	(void)a3;
	(void)a4;
	(void)a5;
	(void)a6;
	return dapl_pending("dat_ep_create");
}

static DAT_RETURN DAT_API pending_ep_query(DAT_EP_HANDLE a0,
		DAT_EP_PARAM_MASK a1, DAT_EP_PARAM *a2)
{
	(void)a0;
	(void)a1;
	(void)a2;
	return dapl_pending("dat_ep_query");
}

static DAT_RETURN DAT_API pending_ep_modify(DAT_EP_HANDLE a0,
		DAT_EP_PARAM_MASK a1, const DAT_EP_PARAM *a2)
{
	(void)a0;
	(void)a1;
	(void)a2;
	return dapl_pending("dat_ep_modify");
}

static DAT_RETURN DAT_API pending_ep_connect(DAT_EP_HANDLE a0,
		DAT_IA_ADDRESS_PTR a1, DAT_CONN_QUAL a2, DAT_TIMEOUT a3,
		DAT_COUNT a4, const DAT_PVOID a5, DAT_QOS a6,
		DAT_CONNECT_FLAGS a7)
{
	(void)a0;
	(void)a1;
	(void)a2;
	(void)a3;
	(void)a4;
	(void)a5;
	(void)a6;
	(void)a7;
	return dapl_pending("dat_ep_connect");
}

static DAT_RETURN DAT_API pending_ep_dup_connect(DAT_EP_HANDLE a0,
		DAT_EP_HANDLE a1, DAT_TIMEOUT a2, DAT_COUNT a3,
		const DAT_PVOID a4, DAT_QOS a5)
{
	(void)a0;
	(void)a1;
	(void)a2;
	(void)a3;
	(void)a4;
	(void)a5;
	return dapl_pending("dat_ep_dup_connect");
}

static DAT_RETURN DAT_API pending_ep_disconnect(DAT_EP_HANDLE a0,
		DAT_CLOSE_FLAGS a1)
{
	(void)a0;
	(void)a1;
	return dapl_pending("dat_ep_disconnect");
}

static DAT_RETURN DAT_API pending_ep_post_send(DAT_EP_HANDLE a0, DAT_COUNT a1,
		DAT_LMR_TRIPLET *a2, DAT_DTO_COOKIE a3, DAT_COMPLETION_FLAGS a4)
{
	(void)a0;
	(void)a1;
	(void)a2;
	(void)a3;
	(void)a4;
	return dapl_pending("dat_ep_post_send");
}

static DAT_RETURN DAT_API pending_ep_post_recv(DAT_EP_HANDLE a0, DAT_COUNT a1,
		DAT_LMR_TRIPLET *a2, DAT_DTO_COOKIE a3, DAT_COMPLETION_FLAGS a4)
{
	(void)a0;
	(void)a1;
	(void)a2;
	(void)a3;
	(void)a4;
	return dapl_pending("dat_ep_post_recv");
}

static DAT_RETURN DAT_API pending_ep_post_rdma_read(DAT_EP_HANDLE a0,
		DAT_COUNT a1, DAT_LMR_TRIPLET *a2, DAT_DTO_COOKIE a3,
		const DAT_RMR_TRIPLET *a4, DAT_COMPLETION_FLAGS a5)
{
	(void)a0;
	(void)a1;
	(void)a2;
	(void)a3;
	(void)a4;
	(void)a5;
	return dapl_pending("dat_ep_post_rdma_read");
}

static DAT_RETURN DAT_API pending_ep_post_rdma_write(DAT_EP_HANDLE a0,
		DAT_COUNT a1, DAT_LMR_TRIPLET *a2, DAT_DTO_COOKIE a3,
		const DAT_RMR_TRIPLET *a4, DAT_COMPLETION_FLAGS a5)
{
	(void)a0;
	(void)a1;
	(void)a2;
	(void)a3;
	(void)a4;
	(void)a5;
	return dapl_pending("dat_ep_post_rdma_write");
}

static DAT_RETURN DAT_API pending_ep_get_status(DAT_EP_HANDLE a0,
		DAT_EP_STATE *a1, DAT_BOOLEAN *a2, DAT_BOOLEAN *a3)
{
	(void)a0;
	(void)a1;
	(void)a2;
	(void)a3;
	return dapl_pending("dat_ep_get_status");
}

static DAT_RETURN DAT_API pending_ep_free(DAT_EP_HANDLE a0)
{
	(void)a0;
	return dapl_pending("dat_ep_free");
}

static DAT_RETURN DAT_API pending_psp_create(DAT_IA_HANDLE a0, DAT_CONN_QUAL a1,
		DAT_EVD_HANDLE a2, DAT_PSP_FLAGS a3, DAT_PSP_HANDLE *a4)
{
	(void)a0;
	(void)a1;
	(void)a2;
	(void)a3;
	(void)a4;
	return dapl_pending("dat_psp_create");
}

static DAT_RETURN DAT_API pending_psp_query(DAT_PSP_HANDLE a0,
		DAT_PSP_PARAM_MASK a1, DAT_PSP_PARAM *a2)
{
	(void)a0;
	(void)a1;
	(void)a2;
	return dapl_pending("dat_psp_query");
}

static DAT_RETURN DAT_API pending_psp_free(DAT_PSP_HANDLE a0)
{
	(void)a0;
	return dapl_pending("dat_psp_free");
}

static DAT_RETURN DAT_API pending_rsp_create(DAT_IA_HANDLE a0, DAT_CONN_QUAL a1,
		DAT_EP_HANDLE a2, DAT_EVD_HANDLE a3, DAT_RSP_HANDLE *a4)
{
	(void)a0;
	(void)a1;
	(void)a2;
	(void)a3;
	(void)a4;
	return dapl_pending("dat_rsp_create");
}

static DAT_RETURN DAT_API pending_rsp_query(DAT_RSP_HANDLE a0,
		DAT_RSP_PARAM_MASK a1, DAT_RSP_PARAM *a2)
{
	(void)a0;
	(void)a1;
	(void)a2;
	return dapl_pending("dat_rsp_query");
}

static DAT_RETURN DAT_API pending_rsp_free(DAT_RSP_HANDLE a0)
{
	(void)a0;
	return dapl_pending("dat_rsp_free");
}

static DAT_RETURN DAT_API pending_psp_create_any(DAT_IA_HANDLE a0,
		DAT_CONN_QUAL *a1, DAT_EVD_HANDLE a2, DAT_PSP_FLAGS a3,
		DAT_PSP_HANDLE *a4)
{
	(void)a0;
	(void)a1;
	(void)a2;
	(void)a3;
	(void)a4;
	return dapl_pending("dat_psp_create_any");
}

static DAT_RETURN DAT_API pending_ep_reset(DAT_EP_HANDLE a0)
{
	(void)a0;
	return dapl_pending("dat_ep_reset");
}

static DAT_RETURN DAT_API pending_evd_set_unwaitable(DAT_EVD_HANDLE a0)
{
	(void)a0;
	return dapl_pending("dat_evd_set_unwaitable");
}

static DAT_RETURN DAT_API pending_evd_clear_unwaitable(DAT_EVD_HANDLE a0)
{
	(void)a0;
	return dapl_pending("dat_evd_clear_unwaitable");
}

static DAT_RETURN DAT_API pending_ep_recv_query(DAT_EP_HANDLE a0, DAT_COUNT *a1,
		DAT_COUNT *a2)
{
	(void)a0;
	(void)a1;
	(void)a2;
	return dapl_pending("dat_ep_recv_query");
}

static DAT_RETURN DAT_API pending_ep_set_watermark(DAT_EP_HANDLE a0,
		DAT_COUNT a1, DAT_COUNT a2)
{
	(void)a0;
	(void)a1;
	(void)a2;
	return dapl_pending("dat_ep_set_watermark");
}

static DAT_RETURN DAT_API pending_csp_create(DAT_IA_HANDLE a0, DAT_COMM *a1,
		DAT_IA_ADDRESS_PTR a2, DAT_EVD_HANDLE a3, DAT_CSP_HANDLE *a4)
{
	(void)a0;
	(void)a1;
	(void)a2;
	(void)a3;
	(void)a4;
	return dapl_pending("dat_csp_create");
}

static DAT_RETURN DAT_API pending_csp_query(DAT_CSP_HANDLE a0,
		DAT_CSP_PARAM_MASK a1, DAT_CSP_PARAM *a2)
{
	(void)a0;
	(void)a1;
	(void)a2;
	return dapl_pending("dat_csp_query");
}

static DAT_RETURN DAT_API pending_csp_free(DAT_CSP_HANDLE a0)
{
	(void)a0;
	return dapl_pending("dat_csp_free");
}

static DAT_RETURN DAT_API pending_ep_common_connect(DAT_EP_HANDLE a0,
		DAT_IA_ADDRESS_PTR a1, DAT_TIMEOUT a2, DAT_COUNT a3,
		const DAT_PVOID a4)
{
	(void)a0;
	(void)a1;
	(void)a2;
	(void)a3;
	(void)a4;
	return dapl_pending("dat_ep_common_connect");
}

static DAT_RETURN DAT_API pending_ep_post_send_with_invalidate(DAT_EP_HANDLE a0,
		DAT_COUNT a1, DAT_LMR_TRIPLET *a2, DAT_DTO_COOKIE a3,
		DAT_COMPLETION_FLAGS a4, DAT_BOOLEAN a5, DAT_RMR_CONTEXT a6)
{
	(void)a0;
	(void)a1;
	(void)a2;
	(void)a3;
	(void)a4;
	(void)a5;
	(void)a6;
	return dapl_pending("dat_ep_post_send_with_invalidate");
}

static DAT_RETURN DAT_API pending_ep_post_rdma_read_to_rmr(DAT_EP_HANDLE a0,
		const DAT_RMR_TRIPLET *a1, DAT_DTO_COOKIE a2,
		const DAT_RMR_TRIPLET *a3, DAT_COMPLETION_FLAGS a4)
{
	(void)a0;
	(void)a1;
	(void)a2;
	(void)a3;
	(void)a4;
	return dapl_pending("dat_ep_post_rdma_read_to_rmr");
}

static DAT_RETURN DAT_API pending_ia_ha_related(DAT_IA_HANDLE a0,
		const DAT_NAME_PTR a1, DAT_BOOLEAN *a2)
{
	(void)a0;
	(void)a1;
	(void)a2;
	return dapl_pending("dat_ia_ha_related");
}

void dapl_pending_ops(DAT_PROVIDER *p)
{
	p->cr_query_func = pending_cr_query;
	p->cr_accept_func = pending_cr_accept;
	p->cr_reject_func = pending_cr_reject;
	p->cr_handoff_func = pending_cr_handoff;
	p->evd_create_func = pending_evd_create;
	p->evd_query_func = pending_evd_query;
	p->evd_modify_cno_func = pending_evd_modify_cno;
	p->evd_enable_func = pending_evd_enable;
	p->evd_disable_func = pending_evd_disable;
	p->evd_wait_func = pending_evd_wait;
	p->evd_resize_func = pending_evd_resize;
	p->evd_post_se_func = pending_evd_post_se;
	p->evd_dequeue_func = pending_evd_dequeue;
	p->evd_free_func = pending_evd_free;
	p->ep_create_func = pending_ep_create;
	p->ep_query_func = pending_ep_query;
	p->ep_modify_func = pending_ep_modify;
	p->ep_connect_func = pending_ep_connect;
	p->ep_dup_connect_func = pending_ep_dup_connect;
	p->ep_disconnect_func = pending_ep_disconnect;
	p->ep_post_send_func = pending_ep_post_send;
	p->ep_post_recv_func = pending_ep_post_recv;
	p->ep_post_rdma_read_func = pending_ep_post_rdma_read;
	p->ep_post_rdma_write_func = pending_ep_post_rdma_write;
	p->ep_get_status_func = pending_ep_get_status;
	p->ep_free_func = pending_ep_free;
	p->psp_create_func = pending_psp_create;
	p->psp_query_func = pending_psp_query;
	p->psp_free_func = pending_psp_free;
	p->rsp_create_func = pending_rsp_create;
	p->rsp_query_func = pending_rsp_query;
	p->rsp_free_func = pending_rsp_free;
	p->psp_create_any_func = pending_psp_create_any;
	p->ep_reset_func = pending_ep_reset;
	p->evd_set_unwaitable_func = pending_evd_set_unwaitable;
	p->evd_clear_unwaitable_func = pending_evd_clear_unwaitable;
	p->ep_recv_query_func = pending_ep_recv_query;
	p->ep_set_watermark_func = pending_ep_set_watermark;
	p->csp_create_func = pending_csp_create;
	p->csp_query_func = pending_csp_query;
	p->csp_free_func = pending_csp_free;
	p->ep_common_connect_func = pending_ep_common_connect;
	p->ep_post_send_with_invalidate_func = pending_ep_post_send_with_invalidate;
	p->ep_post_rdma_read_to_rmr_func = pending_ep_post_rdma_read_to_rmr;
	p->ia_ha_related_func = pending_ia_ha_related;
	dapl_temporary_ops(p);	/* TEMPORARY (wt-dsrq): see the block below */
}

/* ======================================================================
 * TEMPORARY (wt-dsrq), to be dropped at merge in favour of evd.c and ep.c:
 * a software-events-only EVD on a ual_eq (dat_evd_create with
 * DAT_EVD_SOFTWARE_FLAG, post_se, dequeue, modify_cno, free, and the
 * dapl_evd_arm_fds/ready/ack contract) and an EP creation on an SRQ
 * (dapl_ep_create_common, dat_ep_free) with a private CQ and queue, so
 * that cno.c and srq.c can be tested before their neighbours land.
 * ====================================================================== */

/* The layer's queue fd may read readable after its last event is taken:
 * an event is moved here to learn whether one is really there. */
struct tmp_evd {
	pthread_mutex_t lock;
	bool have;
	struct ual_event ev;
};

/* Takes the next event into the EVD's buffer if there is none (locked). */
static bool tmp_evd_fill(struct dapl_evd *evd)
{
	struct tmp_evd *t = evd->priv;

	if (!t->have)
		t->have = ual_eq_poll(evd->eq, &t->ev, 1) == 1;
	return t->have;
}

static DAT_RETURN DAT_API tmp_evd_create(DAT_IA_HANDLE ia_handle, DAT_COUNT qlen,
					 DAT_CNO_HANDLE cno_handle,
					 DAT_EVD_FLAGS flags, DAT_EVD_HANDLE *out)
{
	struct dapl_ia *ia = dapl_obj_get(ia_handle, DAT_HANDLE_TYPE_IA);
	struct dapl_cno *cno = dapl_obj_get(cno_handle, DAT_HANDLE_TYPE_CNO);
	struct dapl_evd *evd;

	if (!ia)
		return dapl_bad_handle(DAT_HANDLE_TYPE_IA);
	if (flags != DAT_EVD_SOFTWARE_FLAG)
		return dapl_pending("dat_evd_create");
	if (cno_handle && !cno)
		return dapl_bad_handle(DAT_HANDLE_TYPE_CNO);
	if (!out)
		return DAT_ERROR(DAT_INVALID_PARAMETER, DAT_INVALID_ARG5);
	evd = dapl_obj_alloc(ia->hdr.provider, DAT_HANDLE_TYPE_EVD, sizeof(*evd), ia);
	if (!evd)
		return DAT_ERROR(DAT_INSUFFICIENT_RESOURCES, DAT_RESOURCE_MEMORY);
	evd->priv = calloc(1, sizeof(struct tmp_evd));
	if (!evd->priv || ual_eq_create(NULL, evd, &evd->eq, NULL)) {
		free(evd->priv);
		dapl_obj_free(evd);
		return DAT_ERROR(DAT_INSUFFICIENT_RESOURCES, DAT_NO_SUBTYPE);
	}
	pthread_mutex_init(&((struct tmp_evd *)evd->priv)->lock, NULL);
	evd->flags = flags;
	evd->qlen = qlen;
	if (cno && dapl_cno_attach(cno, evd) != DAT_SUCCESS) {
		ual_eq_destroy(evd->eq);
		free(evd->priv);
		dapl_obj_free(evd);
		return DAT_ERROR(DAT_INSUFFICIENT_RESOURCES, DAT_NO_SUBTYPE);
	}
	evd->cno = cno;
	*out = evd;
	return DAT_SUCCESS;
}

static void tmp_evd_destroy(struct dapl_evd *evd)
{
	if (evd->cno)
		dapl_cno_detach(evd->cno, evd);
	ual_eq_destroy(evd->eq);
	free(evd->priv);
	dapl_obj_free(evd);
}

static void tmp_evd_destructor(struct dapl_hdr *h)
{
	tmp_evd_destroy((struct dapl_evd *)h);
}

static DAT_RETURN DAT_API tmp_evd_free(DAT_EVD_HANDLE handle)
{
	struct dapl_evd *evd = dapl_obj_get(handle, DAT_HANDLE_TYPE_EVD);

	if (!evd)
		return dapl_bad_handle(DAT_HANDLE_TYPE_EVD);
	tmp_evd_destroy(evd);
	return DAT_SUCCESS;
}

static DAT_RETURN DAT_API tmp_evd_modify_cno(DAT_EVD_HANDLE handle,
					     DAT_CNO_HANDLE cno_handle)
{
	struct dapl_evd *evd = dapl_obj_get(handle, DAT_HANDLE_TYPE_EVD);
	struct dapl_cno *cno = dapl_obj_get(cno_handle, DAT_HANDLE_TYPE_CNO);

	if (!evd)
		return dapl_bad_handle(DAT_HANDLE_TYPE_EVD);
	if (cno_handle && !cno)
		return dapl_bad_handle(DAT_HANDLE_TYPE_CNO);
	if (cno && dapl_cno_attach(cno, evd) != DAT_SUCCESS)
		return DAT_ERROR(DAT_INSUFFICIENT_RESOURCES, DAT_NO_SUBTYPE);
	if (evd->cno && evd->cno != cno)
		dapl_cno_detach(evd->cno, evd);
	evd->cno = cno;
	return DAT_SUCCESS;
}

static DAT_RETURN DAT_API tmp_evd_post_se(DAT_EVD_HANDLE handle,
					  const DAT_EVENT *event)
{
	struct dapl_evd *evd = dapl_obj_get(handle, DAT_HANDLE_TYPE_EVD);

	if (!evd)
		return dapl_bad_handle(DAT_HANDLE_TYPE_EVD);
	if (!event || event->event_number != DAT_SOFTWARE_EVENT)
		return DAT_ERROR(DAT_INVALID_PARAMETER, DAT_INVALID_ARG2);
	if (ual_eq_post_software(evd->eq, (uintptr_t)
				 event->event_data.software_event_data.pointer,
				 NULL))
		return DAT_ERROR(DAT_INSUFFICIENT_RESOURCES, DAT_NO_SUBTYPE);
	if (evd->cno)
		dapl_cno_notify(evd->cno, evd);
	return DAT_SUCCESS;
}

static DAT_RETURN DAT_API tmp_evd_dequeue(DAT_EVD_HANDLE handle, DAT_EVENT *event)
{
	struct dapl_evd *evd = dapl_obj_get(handle, DAT_HANDLE_TYPE_EVD);
	struct ual_event ev;

	if (!evd)
		return dapl_bad_handle(DAT_HANDLE_TYPE_EVD);
	if (!event)
		return DAT_ERROR(DAT_INVALID_PARAMETER, DAT_INVALID_ARG2);
	pthread_mutex_lock(&((struct tmp_evd *)evd->priv)->lock);
	if (!tmp_evd_fill(evd)) {
		pthread_mutex_unlock(&((struct tmp_evd *)evd->priv)->lock);
		return DAT_ERROR(DAT_QUEUE_EMPTY, DAT_NO_SUBTYPE);
	}
	ev = ((struct tmp_evd *)evd->priv)->ev;
	((struct tmp_evd *)evd->priv)->have = false;
	pthread_mutex_unlock(&((struct tmp_evd *)evd->priv)->lock);
	event->event_number = DAT_SOFTWARE_EVENT;
	event->evd_handle = evd;
	event->event_data.software_event_data.pointer =
		(DAT_PVOID)(uintptr_t)ev.software;
	return DAT_SUCCESS;
}

int dapl_evd_arm_fds(struct dapl_evd *evd, int *fds, int max)
{
	if (max < 1)
		return 0;
	dapl_evd_ready(evd);	/* leaves the fd quiet if nothing is queued */
	fds[0] = ual_eq_fd(evd->eq);
	return 1;
}

bool dapl_evd_ready(struct dapl_evd *evd)
{
	struct tmp_evd *t = evd->priv;
	bool ready;

	pthread_mutex_lock(&t->lock);
	ready = tmp_evd_fill(evd);
	pthread_mutex_unlock(&t->lock);
	return ready;
}

void dapl_evd_ack(struct dapl_evd *evd)
{
	(void)evd;
}

struct tmp_ep {
	struct ual_cq *cq;
	struct ual_eq *eq;
};

DAT_RETURN dapl_ep_create_common(struct dapl_ia *ia, struct dapl_pz *pz,
				 struct dapl_evd *recv_evd,
				 struct dapl_evd *request_evd,
				 struct dapl_evd *connect_evd,
				 struct dapl_srq *srq, const DAT_EP_ATTR *attr,
				 DAT_RETURN attr_arg, struct dapl_ep **out)
{
	struct ual_ep_attr a = { .type = UAL_EP_RC };
	struct ual_error err = { 0 };
	struct dapl_ep *ep;
	struct tmp_ep *t;
	int rc;

	(void)attr;
	(void)attr_arg;
	if (!pz)
		return dapl_pending("dat_ep_create without a PZ");
	ep = dapl_obj_alloc(ia->hdr.provider, DAT_HANDLE_TYPE_EP, sizeof(*ep), ia);
	t = calloc(1, sizeof(*t));
	if (!ep || !t)
		goto nomem;
	if (ual_cq_create(pz->pd, 16, NULL, &t->cq, &err) ||
	    ual_eq_create(NULL, ep, &t->eq, &err))
		goto fail;
	a.send_cq = a.recv_cq = t->cq;
	a.srq = srq ? srq->srq : NULL;
	rc = ual_ep_create(pz->pd, t->eq, &a, ep, &ep->ep, &err);
	if (rc)
		goto fail;
	ep->pz = pz;
	ep->recv_evd = recv_evd;
	ep->request_evd = request_evd;
	ep->connect_evd = connect_evd;
	ep->srq = srq;
	ep->priv = t;
	__atomic_add_fetch(&pz->refs, 1, __ATOMIC_ACQ_REL);
	if (srq)
		__atomic_add_fetch(&srq->refs, 1, __ATOMIC_ACQ_REL);
	*out = ep;
	return DAT_SUCCESS;
fail:
	rc = err.errnum ? -err.errnum : -ENOMEM;
	ual_eq_destroy(t->eq);
	ual_cq_destroy(t->cq, NULL);
	free(t);
	dapl_obj_free(ep);
	return dapl_status_log("dat_ep_create (temporary)", rc, &err);
nomem:
	free(t);
	if (ep)
		dapl_obj_free(ep);
	return DAT_ERROR(DAT_INSUFFICIENT_RESOURCES, DAT_RESOURCE_MEMORY);
}

static void tmp_ep_destroy(struct dapl_ep *ep)
{
	struct tmp_ep *t = ep->priv;

	ual_ep_destroy(ep->ep, NULL);
	ual_eq_destroy(t->eq);
	ual_cq_destroy(t->cq, NULL);
	free(t);
	__atomic_sub_fetch(&ep->pz->refs, 1, __ATOMIC_ACQ_REL);
	if (ep->srq)
		__atomic_sub_fetch(&ep->srq->refs, 1, __ATOMIC_ACQ_REL);
	dapl_obj_free(ep);
}

static void tmp_ep_destructor(struct dapl_hdr *h)
{
	tmp_ep_destroy((struct dapl_ep *)h);
}

static DAT_RETURN DAT_API tmp_ep_free(DAT_EP_HANDLE handle)
{
	struct dapl_ep *ep = dapl_obj_get(handle, DAT_HANDLE_TYPE_EP);

	if (!ep)
		return dapl_bad_handle(DAT_HANDLE_TYPE_EP);
	tmp_ep_destroy(ep);
	return DAT_SUCCESS;
}

static void dapl_temporary_ops(DAT_PROVIDER *p)
{
	p->evd_create_func = tmp_evd_create;
	p->evd_free_func = tmp_evd_free;
	p->evd_modify_cno_func = tmp_evd_modify_cno;
	p->evd_post_se_func = tmp_evd_post_se;
	p->evd_dequeue_func = tmp_evd_dequeue;
	p->ep_free_func = tmp_ep_free;
	dapl_register_destructor(DAT_HANDLE_TYPE_EVD, tmp_evd_destructor);
	dapl_register_destructor(DAT_HANDLE_TYPE_EP, tmp_ep_destructor);
}
/* ====================== end of TEMPORARY (wt-dsrq) ===================== */
