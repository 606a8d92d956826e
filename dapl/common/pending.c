// SPDX-License-Identifier: BSD-3-Clause OR GPL-2.0-only
/*
 * Calls whose object family has not landed yet: each returns
 * DAT_NOT_IMPLEMENTED and logs its name once, so a consumer learns which
 * call is missing instead of crashing on an empty dispatch slot.  A
 * family that lands removes its calls from here; the file goes when the
 * last one has.
 */
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

static DAT_RETURN DAT_API pending_cno_create(DAT_IA_HANDLE a0, DAT_OS_WAIT_PROXY_AGENT a1, DAT_CNO_HANDLE *a2)
{
	(void)a0;
	(void)a1;
	(void)a2;
	return dapl_pending("dat_cno_create");
}

static DAT_RETURN DAT_API pending_cno_modify_agent(DAT_CNO_HANDLE a0, DAT_OS_WAIT_PROXY_AGENT a1)
{
	(void)a0;
	(void)a1;
	return dapl_pending("dat_cno_modify_agent");
}

static DAT_RETURN DAT_API pending_cno_query(DAT_CNO_HANDLE a0, DAT_CNO_PARAM_MASK a1, DAT_CNO_PARAM *a2)
{
	(void)a0;
	(void)a1;
	(void)a2;
	return dapl_pending("dat_cno_query");
}

static DAT_RETURN DAT_API pending_cno_free(DAT_CNO_HANDLE a0)
{
	(void)a0;
	return dapl_pending("dat_cno_free");
}

static DAT_RETURN DAT_API pending_cno_wait(DAT_CNO_HANDLE a0, DAT_TIMEOUT a1, DAT_EVD_HANDLE *a2)
{
	(void)a0;
	(void)a1;
	(void)a2;
	return dapl_pending("dat_cno_wait");
}

static DAT_RETURN DAT_API pending_cr_query(DAT_CR_HANDLE a0, DAT_CR_PARAM_MASK a1, DAT_CR_PARAM *a2)
{
	(void)a0;
	(void)a1;
	(void)a2;
	return dapl_pending("dat_cr_query");
}

static DAT_RETURN DAT_API pending_cr_accept(DAT_CR_HANDLE a0, DAT_EP_HANDLE a1, DAT_COUNT a2, const DAT_PVOID a3)
{
	(void)a0;
	(void)a1;
	(void)a2;
	(void)a3;
	return dapl_pending("dat_cr_accept");
}

static DAT_RETURN DAT_API pending_cr_reject(DAT_CR_HANDLE a0, DAT_COUNT a1, const DAT_PVOID a2)
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

static DAT_RETURN DAT_API pending_evd_create(DAT_IA_HANDLE a0, DAT_COUNT a1, DAT_CNO_HANDLE a2, DAT_EVD_FLAGS a3, DAT_EVD_HANDLE *a4)
{
	(void)a0;
	(void)a1;
	(void)a2;
	(void)a3;
	(void)a4;
	return dapl_pending("dat_evd_create");
}

static DAT_RETURN DAT_API pending_evd_query(DAT_EVD_HANDLE a0, DAT_EVD_PARAM_MASK a1, DAT_EVD_PARAM *a2)
{
	(void)a0;
	(void)a1;
	(void)a2;
	return dapl_pending("dat_evd_query");
}

static DAT_RETURN DAT_API pending_evd_modify_cno(DAT_EVD_HANDLE a0, DAT_CNO_HANDLE a1)
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

static DAT_RETURN DAT_API pending_evd_wait(DAT_EVD_HANDLE a0, DAT_TIMEOUT a1, DAT_COUNT a2, DAT_EVENT *a3, DAT_COUNT *a4)
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

static DAT_RETURN DAT_API pending_evd_post_se(DAT_EVD_HANDLE a0, const DAT_EVENT *a1)
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

static DAT_RETURN DAT_API pending_ep_create(DAT_IA_HANDLE a0, DAT_PZ_HANDLE a1, DAT_EVD_HANDLE a2, DAT_EVD_HANDLE a3, DAT_EVD_HANDLE a4, const DAT_EP_ATTR *a5, DAT_EP_HANDLE *a6)
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

static DAT_RETURN DAT_API pending_ep_query(DAT_EP_HANDLE a0, DAT_EP_PARAM_MASK a1, DAT_EP_PARAM *a2)
{
	(void)a0;
	(void)a1;
	(void)a2;
	return dapl_pending("dat_ep_query");
}

static DAT_RETURN DAT_API pending_ep_modify(DAT_EP_HANDLE a0, DAT_EP_PARAM_MASK a1, const DAT_EP_PARAM *a2)
{
	(void)a0;
	(void)a1;
	(void)a2;
	return dapl_pending("dat_ep_modify");
}

static DAT_RETURN DAT_API pending_ep_connect(DAT_EP_HANDLE a0, DAT_IA_ADDRESS_PTR a1, DAT_CONN_QUAL a2, DAT_TIMEOUT a3, DAT_COUNT a4, const DAT_PVOID a5, DAT_QOS a6, DAT_CONNECT_FLAGS a7)
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

static DAT_RETURN DAT_API pending_ep_dup_connect(DAT_EP_HANDLE a0, DAT_EP_HANDLE a1, DAT_TIMEOUT a2, DAT_COUNT a3, const DAT_PVOID a4, DAT_QOS a5)
{
	(void)a0;
	(void)a1;
	(void)a2;
	(void)a3;
	(void)a4;
	(void)a5;
	return dapl_pending("dat_ep_dup_connect");
}

static DAT_RETURN DAT_API pending_ep_disconnect(DAT_EP_HANDLE a0, DAT_CLOSE_FLAGS a1)
{
	(void)a0;
	(void)a1;
	return dapl_pending("dat_ep_disconnect");
}

static DAT_RETURN DAT_API pending_ep_post_send(DAT_EP_HANDLE a0, DAT_COUNT a1, DAT_LMR_TRIPLET *a2, DAT_DTO_COOKIE a3, DAT_COMPLETION_FLAGS a4)
{
	(void)a0;
	(void)a1;
	(void)a2;
	(void)a3;
	(void)a4;
	return dapl_pending("dat_ep_post_send");
}

static DAT_RETURN DAT_API pending_ep_post_recv(DAT_EP_HANDLE a0, DAT_COUNT a1, DAT_LMR_TRIPLET *a2, DAT_DTO_COOKIE a3, DAT_COMPLETION_FLAGS a4)
{
	(void)a0;
	(void)a1;
	(void)a2;
	(void)a3;
	(void)a4;
	return dapl_pending("dat_ep_post_recv");
}

static DAT_RETURN DAT_API pending_ep_post_rdma_read(DAT_EP_HANDLE a0, DAT_COUNT a1, DAT_LMR_TRIPLET *a2, DAT_DTO_COOKIE a3, const DAT_RMR_TRIPLET *a4, DAT_COMPLETION_FLAGS a5)
{
	(void)a0;
	(void)a1;
	(void)a2;
	(void)a3;
	(void)a4;
	(void)a5;
	return dapl_pending("dat_ep_post_rdma_read");
}

static DAT_RETURN DAT_API pending_ep_post_rdma_write(DAT_EP_HANDLE a0, DAT_COUNT a1, DAT_LMR_TRIPLET *a2, DAT_DTO_COOKIE a3, const DAT_RMR_TRIPLET *a4, DAT_COMPLETION_FLAGS a5)
{
	(void)a0;
	(void)a1;
	(void)a2;
	(void)a3;
	(void)a4;
	(void)a5;
	return dapl_pending("dat_ep_post_rdma_write");
}

static DAT_RETURN DAT_API pending_ep_get_status(DAT_EP_HANDLE a0, DAT_EP_STATE *a1, DAT_BOOLEAN *a2, DAT_BOOLEAN *a3)
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

static DAT_RETURN DAT_API pending_psp_create(DAT_IA_HANDLE a0, DAT_CONN_QUAL a1, DAT_EVD_HANDLE a2, DAT_PSP_FLAGS a3, DAT_PSP_HANDLE *a4)
{
	(void)a0;
	(void)a1;
	(void)a2;
	(void)a3;
	(void)a4;
	return dapl_pending("dat_psp_create");
}

static DAT_RETURN DAT_API pending_psp_query(DAT_PSP_HANDLE a0, DAT_PSP_PARAM_MASK a1, DAT_PSP_PARAM *a2)
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

static DAT_RETURN DAT_API pending_rsp_create(DAT_IA_HANDLE a0, DAT_CONN_QUAL a1, DAT_EP_HANDLE a2, DAT_EVD_HANDLE a3, DAT_RSP_HANDLE *a4)
{
	(void)a0;
	(void)a1;
	(void)a2;
	(void)a3;
	(void)a4;
	return dapl_pending("dat_rsp_create");
}

static DAT_RETURN DAT_API pending_rsp_query(DAT_RSP_HANDLE a0, DAT_RSP_PARAM_MASK a1, DAT_RSP_PARAM *a2)
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

static DAT_RETURN DAT_API pending_psp_create_any(DAT_IA_HANDLE a0, DAT_CONN_QUAL *a1, DAT_EVD_HANDLE a2, DAT_PSP_FLAGS a3, DAT_PSP_HANDLE *a4)
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

static DAT_RETURN DAT_API pending_ep_create_with_srq(DAT_IA_HANDLE a0, DAT_PZ_HANDLE a1, DAT_EVD_HANDLE a2, DAT_EVD_HANDLE a3, DAT_EVD_HANDLE a4, DAT_SRQ_HANDLE a5, const DAT_EP_ATTR *a6, DAT_EP_HANDLE *a7)
{
	(void)a0;
	(void)a1;
	(void)a2;
	(void)a3;
	(void)a4;
	(void)a5;
	(void)a6;
	(void)a7;
	return dapl_pending("dat_ep_create_with_srq");
}

static DAT_RETURN DAT_API pending_ep_recv_query(DAT_EP_HANDLE a0, DAT_COUNT *a1, DAT_COUNT *a2)
{
	(void)a0;
	(void)a1;
	(void)a2;
	return dapl_pending("dat_ep_recv_query");
}

static DAT_RETURN DAT_API pending_ep_set_watermark(DAT_EP_HANDLE a0, DAT_COUNT a1, DAT_COUNT a2)
{
	(void)a0;
	(void)a1;
	(void)a2;
	return dapl_pending("dat_ep_set_watermark");
}

static DAT_RETURN DAT_API pending_srq_create(DAT_IA_HANDLE a0, DAT_PZ_HANDLE a1, DAT_SRQ_ATTR *a2, DAT_SRQ_HANDLE *a3)
{
	(void)a0;
	(void)a1;
	(void)a2;
	(void)a3;
	return dapl_pending("dat_srq_create");
}

static DAT_RETURN DAT_API pending_srq_free(DAT_SRQ_HANDLE a0)
{
	(void)a0;
	return dapl_pending("dat_srq_free");
}

static DAT_RETURN DAT_API pending_srq_post_recv(DAT_SRQ_HANDLE a0, DAT_COUNT a1, DAT_LMR_TRIPLET *a2, DAT_DTO_COOKIE a3)
{
	(void)a0;
	(void)a1;
	(void)a2;
	(void)a3;
	return dapl_pending("dat_srq_post_recv");
}

static DAT_RETURN DAT_API pending_srq_query(DAT_SRQ_HANDLE a0, DAT_SRQ_PARAM_MASK a1, DAT_SRQ_PARAM *a2)
{
	(void)a0;
	(void)a1;
	(void)a2;
	return dapl_pending("dat_srq_query");
}

static DAT_RETURN DAT_API pending_srq_resize(DAT_SRQ_HANDLE a0, DAT_COUNT a1)
{
	(void)a0;
	(void)a1;
	return dapl_pending("dat_srq_resize");
}

static DAT_RETURN DAT_API pending_srq_set_lw(DAT_SRQ_HANDLE a0, DAT_COUNT a1)
{
	(void)a0;
	(void)a1;
	return dapl_pending("dat_srq_set_lw");
}

static DAT_RETURN DAT_API pending_csp_create(DAT_IA_HANDLE a0, DAT_COMM *a1, DAT_IA_ADDRESS_PTR a2, DAT_EVD_HANDLE a3, DAT_CSP_HANDLE *a4)
{
	(void)a0;
	(void)a1;
	(void)a2;
	(void)a3;
	(void)a4;
	return dapl_pending("dat_csp_create");
}

static DAT_RETURN DAT_API pending_csp_query(DAT_CSP_HANDLE a0, DAT_CSP_PARAM_MASK a1, DAT_CSP_PARAM *a2)
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

static DAT_RETURN DAT_API pending_ep_common_connect(DAT_EP_HANDLE a0, DAT_IA_ADDRESS_PTR a1, DAT_TIMEOUT a2, DAT_COUNT a3, const DAT_PVOID a4)
{
	(void)a0;
	(void)a1;
	(void)a2;
	(void)a3;
	(void)a4;
	return dapl_pending("dat_ep_common_connect");
}

static DAT_RETURN DAT_API pending_ep_post_send_with_invalidate(DAT_EP_HANDLE a0, DAT_COUNT a1, DAT_LMR_TRIPLET *a2, DAT_DTO_COOKIE a3, DAT_COMPLETION_FLAGS a4, DAT_BOOLEAN a5, DAT_RMR_CONTEXT a6)
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

static DAT_RETURN DAT_API pending_ep_post_rdma_read_to_rmr(DAT_EP_HANDLE a0, const DAT_RMR_TRIPLET *a1, DAT_DTO_COOKIE a2, const DAT_RMR_TRIPLET *a3, DAT_COMPLETION_FLAGS a4)
{
	(void)a0;
	(void)a1;
	(void)a2;
	(void)a3;
	(void)a4;
	return dapl_pending("dat_ep_post_rdma_read_to_rmr");
}

static DAT_RETURN DAT_API pending_cno_fd_create(DAT_IA_HANDLE a0, DAT_FD *a1, DAT_CNO_HANDLE *a2)
{
	(void)a0;
	(void)a1;
	(void)a2;
	return dapl_pending("dat_cno_fd_create");
}

static DAT_RETURN DAT_API pending_cno_trigger(DAT_CNO_HANDLE a0, DAT_EVD_HANDLE *a1)
{
	(void)a0;
	(void)a1;
	return dapl_pending("dat_cno_trigger");
}

static DAT_RETURN DAT_API pending_ia_ha_related(DAT_IA_HANDLE a0, const DAT_NAME_PTR a1, DAT_BOOLEAN *a2)
{
	(void)a0;
	(void)a1;
	(void)a2;
	return dapl_pending("dat_ia_ha_related");
}

void dapl_pending_ops(DAT_PROVIDER *p)
{
	p->cno_create_func = pending_cno_create;
	p->cno_modify_agent_func = pending_cno_modify_agent;
	p->cno_query_func = pending_cno_query;
	p->cno_free_func = pending_cno_free;
	p->cno_wait_func = pending_cno_wait;
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
	p->ep_create_with_srq_func = pending_ep_create_with_srq;
	p->ep_recv_query_func = pending_ep_recv_query;
	p->ep_set_watermark_func = pending_ep_set_watermark;
	p->srq_create_func = pending_srq_create;
	p->srq_free_func = pending_srq_free;
	p->srq_post_recv_func = pending_srq_post_recv;
	p->srq_query_func = pending_srq_query;
	p->srq_resize_func = pending_srq_resize;
	p->srq_set_lw_func = pending_srq_set_lw;
	p->csp_create_func = pending_csp_create;
	p->csp_query_func = pending_csp_query;
	p->csp_free_func = pending_csp_free;
	p->ep_common_connect_func = pending_ep_common_connect;
	p->ep_post_send_with_invalidate_func = pending_ep_post_send_with_invalidate;
	p->ep_post_rdma_read_to_rmr_func = pending_ep_post_rdma_read_to_rmr;
	p->cno_fd_create_func = pending_cno_fd_create;
	p->cno_trigger_func = pending_cno_trigger;
	p->ia_ha_related_func = pending_ia_ha_related;
}
