// SPDX-License-Identifier: BSD-3-Clause OR GPL-2.0-only
/*
 * Calls whose object family has not landed yet: each returns
 * DAT_NOT_IMPLEMENTED and logs its name once, so a consumer learns which
 * call is missing instead of crashing on an empty dispatch slot.  A
 * family that lands removes its calls from here; the file goes when the
 * last one has.
 */
#include <stdio.h>
#include <string.h>

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

DAT_RETURN dapl_extensions(DAT_HANDLE h, DAT_EXTENDED_OP op, va_list args)
{
	(void)h;
	(void)op;
	(void)args;
	return dapl_pending("dat_extension_op");
}

/*
 * INTERIM, for the communication families' guest runs only: the IA and
 * provider attributes dtest and dapltest read.  dat_ia_query belongs to
 * the attributes work (wt-dres), which replaces this function whole.
 */
DAT_RETURN DAT_API dats_get_ia_handle(DAT_IA_HANDLE handle, DAT_IA_HANDLE *out);

static void interim_ia_attr(struct dapl_ia *ia, DAT_IA_ATTR *a)
{
	const struct ual_device_attr *d = &ia->attr;

	memset(a, 0, sizeof(*a));
	snprintf(a->adapter_name, sizeof(a->adapter_name), "%s", d->name);
	a->hardware_version_major = d->hw_ver;
	a->ia_address_ptr = (DAT_IA_ADDRESS_PTR)&ia->local;
	a->max_eps = d->max_qp;
	a->max_dto_per_ep = d->max_qp_wr;
	a->max_rdma_read_per_ep_in = d->max_dest_rd_atomic;
	a->max_rdma_read_per_ep_out = d->max_rd_atomic;
	a->max_evds = d->max_cq;
	a->max_evd_qlen = d->max_cqe;
	a->max_iov_segments_per_dto = d->max_sge;
	a->max_lmrs = d->max_mr;
	a->max_lmr_block_size = d->max_mr_size > 0xffffffffu ? 0xffffffffu : d->max_mr_size;
	a->max_lmr_virtual_address = d->max_mr_size;
	a->max_pzs = d->max_pd;
	a->max_message_size = d->max_msg_size;
	a->max_rdma_size = d->max_msg_size;
	a->max_rmrs = d->max_mw;
	a->max_rmr_target_address = d->max_mr_size;
	a->max_iov_segments_per_rdma_read = d->max_sge_rd;
	a->max_iov_segments_per_rdma_write = d->max_sge;
	a->max_rdma_read_in = d->max_dest_rd_atomic;
	a->max_rdma_read_out = d->max_rd_atomic;
	a->max_rdma_read_per_ep_in_guaranteed = DAT_TRUE;
	a->max_rdma_read_per_ep_out_guaranteed = DAT_TRUE;
	a->extension_supported = DAT_EXTENSION_NONE;
}

/* dtest reads RDMA only if this says TRUE (dapl.md 5.3). */
static DAT_NAMED_ATTR interim_named[] = {
	{ "DAT_IB_RDMA_READ", "TRUE" },
};

static void interim_provider_attr(struct dapl_ia *ia, DAT_PROVIDER_ATTR *a)
{
	memset(a, 0, sizeof(*a));
	snprintf(a->provider_name, sizeof(a->provider_name), "%s",
		 ia->hdr.provider->device_name);
	a->provider_version_major = 2;
	a->dapl_version_major = 2;
	a->lmr_mem_types_supported = DAT_MEM_TYPE_VIRTUAL | DAT_MEM_TYPE_LMR;
	a->max_private_data_size = ia->attr.pdata.connect;
	a->optimal_buffer_alignment = 256;
	a->num_provider_specific_attr = 1;
	a->provider_specific_attr = interim_named;
}

static DAT_RETURN DAT_API pending_ia_query(DAT_IA_HANDLE a0, DAT_EVD_HANDLE *a1, DAT_IA_ATTR_MASK a2, DAT_IA_ATTR *a3, DAT_PROVIDER_ATTR_MASK a4, DAT_PROVIDER_ATTR *a5)
{
	struct dapl_ia *ia = dapl_obj_get(a0, DAT_HANDLE_TYPE_IA);

	(void)a2;
	(void)a4;
	if (!ia)
		return dapl_bad_handle(DAT_HANDLE_TYPE_IA);
	if (a1)
		*a1 = ia->async_evd;
	if (a3)
		interim_ia_attr(ia, a3);
	if (a5)
		interim_provider_attr(ia, a5);
	return DAT_SUCCESS;
}

/*
 * STUB until cno.c lands (wt-dsrq): evd.c tells the CNO of new events;
 * without CNOs (dat_cno_create is pending) no EVD has one.
 */
void dapl_cno_notify(struct dapl_cno *cno, struct dapl_evd *evd)
{
	(void)cno;
	(void)evd;
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

static DAT_RETURN DAT_API pending_rmr_create(DAT_PZ_HANDLE a0, DAT_RMR_HANDLE *a1)
{
	(void)a0;
	(void)a1;
	return dapl_pending("dat_rmr_create");
}

static DAT_RETURN DAT_API pending_rmr_query(DAT_RMR_HANDLE a0, DAT_RMR_PARAM_MASK a1, DAT_RMR_PARAM *a2)
{
	(void)a0;
	(void)a1;
	(void)a2;
	return dapl_pending("dat_rmr_query");
}

static DAT_RETURN DAT_API pending_rmr_bind(DAT_RMR_HANDLE a0, DAT_LMR_HANDLE a1, const DAT_LMR_TRIPLET *a2, DAT_MEM_PRIV_FLAGS a3, DAT_VA_TYPE a4, DAT_EP_HANDLE a5, DAT_RMR_COOKIE a6, DAT_COMPLETION_FLAGS a7, DAT_RMR_CONTEXT *a8)
{
	(void)a0;
	(void)a1;
	(void)a2;
	(void)a3;
	(void)a4;
	(void)a5;
	(void)a6;
	(void)a7;
	(void)a8;
	return dapl_pending("dat_rmr_bind");
}

static DAT_RETURN DAT_API pending_rmr_free(DAT_RMR_HANDLE a0)
{
	(void)a0;
	return dapl_pending("dat_rmr_free");
}

static DAT_RETURN DAT_API pending_lmr_sync_rdma_read(DAT_IA_HANDLE a0, const DAT_LMR_TRIPLET *a1, DAT_VLEN a2)
{
	(void)a0;
	(void)a1;
	(void)a2;
	return dapl_pending("dat_lmr_sync_rdma_read");
}

static DAT_RETURN DAT_API pending_lmr_sync_rdma_write(DAT_IA_HANDLE a0, const DAT_LMR_TRIPLET *a1, DAT_VLEN a2)
{
	(void)a0;
	(void)a1;
	(void)a2;
	return dapl_pending("dat_lmr_sync_rdma_write");
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

static DAT_RETURN DAT_API pending_rmr_create_for_ep(DAT_PZ_HANDLE a0, DAT_RMR_HANDLE *a1)
{
	(void)a0;
	(void)a1;
	return dapl_pending("dat_rmr_create_for_ep");
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
	p->ia_query_func = pending_ia_query;
	p->cno_create_func = pending_cno_create;
	p->cno_modify_agent_func = pending_cno_modify_agent;
	p->cno_query_func = pending_cno_query;
	p->cno_free_func = pending_cno_free;
	p->cno_wait_func = pending_cno_wait;
	p->rmr_create_func = pending_rmr_create;
	p->rmr_query_func = pending_rmr_query;
	p->rmr_bind_func = pending_rmr_bind;
	p->rmr_free_func = pending_rmr_free;
	p->lmr_sync_rdma_read_func = pending_lmr_sync_rdma_read;
	p->lmr_sync_rdma_write_func = pending_lmr_sync_rdma_write;
	p->ep_create_with_srq_func = pending_ep_create_with_srq;
	p->srq_create_func = pending_srq_create;
	p->srq_free_func = pending_srq_free;
	p->srq_post_recv_func = pending_srq_post_recv;
	p->srq_query_func = pending_srq_query;
	p->srq_resize_func = pending_srq_resize;
	p->srq_set_lw_func = pending_srq_set_lw;
	p->rmr_create_for_ep_func = pending_rmr_create_for_ep;
	p->cno_fd_create_func = pending_cno_fd_create;
	p->cno_trigger_func = pending_cno_trigger;
	p->ia_ha_related_func = pending_ia_ha_related;
}
