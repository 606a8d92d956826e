// SPDX-License-Identifier: BSD-3-Clause OR GPL-2.0-only
/*
 * The DAT calls that libdat2 only forwards to the provider.
 *
 * Each wrapper rejects a NULL handle with the DAT_INVALID_HANDLE subtype
 * OFA's libdat2 returns for it, maps an IA slot number back to the
 * provider's IA where the first argument is an IA handle, and jumps
 * through the provider's dispatch table (the DAT_xxx() macros of
 * dat_redirection.h).  Nothing else happens here on purpose: these are
 * the data path calls.
 */
#include <stdint.h>

#include "dat_internal.h"

#define BAD_HANDLE(subtype)	DAT_ERROR(DAT_INVALID_HANDLE, (subtype))

/*
 * Handles of one object type are provider pointers; no object lives in
 * the lowest 64 KiB (Linux's default vm.mmap_min_addr), where NULL and
 * the consumer's IA slot numbers are.  One compare keeps an IA handle
 * passed where another type is expected from being dereferenced.
 */
#define NOT_AN_OBJECT(handle)	((uintptr_t)(handle) < 0x10000)

#define CHECK_HANDLE(handle, subtype)				\
	do {							\
		if (NOT_AN_OBJECT(handle))			\
			return BAD_HANDLE(subtype);		\
	} while (0)

/* Handles of any type (IA slot numbers included): only NULL is refused. */
#define CHECK_ANY_HANDLE(handle, subtype)			\
	do {							\
		if ((handle) == DAT_HANDLE_NULL)		\
			return BAD_HANDLE(subtype);		\
	} while (0)

/* Replace the consumer's slot number by the provider's IA pointer. */
#define RESOLVE_IA(ia)						\
	do {							\
		if (dats_ia_resolve((ia), &(ia)) != DAT_SUCCESS) \
			return BAD_HANDLE(DAT_INVALID_HANDLE_IA); \
	} while (0)

/* Handles of any kind: translate only if it is a live IA slot number. */
static DAT_HANDLE any_handle(DAT_HANDLE handle)
{
	DAT_IA_HANDLE provider_ia;

	if (dats_is_ia_handle(handle) &&
	    dats_ia_resolve(handle, &provider_ia) == DAT_SUCCESS)
		return provider_ia;
	return handle;
}

/* ---- IA ---- */

DAT_RETURN DAT_API dat_ia_query(DAT_IA_HANDLE ia, DAT_EVD_HANDLE *async_evd,
				DAT_IA_ATTR_MASK ia_mask, DAT_IA_ATTR *ia_attr,
				DAT_PROVIDER_ATTR_MASK provider_mask,
				DAT_PROVIDER_ATTR *provider_attr)
{
	RESOLVE_IA(ia);
	return DAT_IA_QUERY(ia, async_evd, ia_mask, ia_attr, provider_mask,
			    provider_attr);
}

DAT_RETURN DAT_API dat_set_consumer_context(DAT_HANDLE handle,
					    DAT_CONTEXT context)
{
	CHECK_ANY_HANDLE(handle, DAT_INVALID_HANDLE1);
	handle = any_handle(handle);
	return DAT_SET_CONSUMER_CONTEXT(handle, context);
}

DAT_RETURN DAT_API dat_get_consumer_context(DAT_HANDLE handle,
					    DAT_CONTEXT *context)
{
	CHECK_ANY_HANDLE(handle, DAT_INVALID_HANDLE1);
	handle = any_handle(handle);
	return DAT_GET_CONSUMER_CONTEXT(handle, context);
}

DAT_RETURN DAT_API dat_get_handle_type(DAT_HANDLE handle,
				       DAT_HANDLE_TYPE *type)
{
	CHECK_ANY_HANDLE(handle, DAT_INVALID_HANDLE1);
	handle = any_handle(handle);
	return DAT_GET_HANDLE_TYPE(handle, type);
}

/* ---- CR ---- */

DAT_RETURN DAT_API dat_cr_query(DAT_CR_HANDLE cr, DAT_CR_PARAM_MASK mask,
				DAT_CR_PARAM *param)
{
	CHECK_HANDLE(cr, DAT_INVALID_HANDLE_CR);
	return DAT_CR_QUERY(cr, mask, param);
}

DAT_RETURN DAT_API dat_cr_accept(DAT_CR_HANDLE cr, DAT_EP_HANDLE ep,
				 DAT_COUNT size, const DAT_PVOID pdata)
{
	CHECK_HANDLE(cr, DAT_INVALID_HANDLE_CR);
	return DAT_CR_ACCEPT(cr, ep, size, pdata);
}

DAT_RETURN DAT_API dat_cr_reject(DAT_CR_HANDLE cr, DAT_COUNT size,
				 const DAT_PVOID pdata)
{
	CHECK_HANDLE(cr, DAT_INVALID_HANDLE_CR);
	return DAT_CR_REJECT(cr, size, pdata);
}

DAT_RETURN DAT_API dat_cr_handoff(DAT_CR_HANDLE cr, DAT_CONN_QUAL qual)
{
	CHECK_HANDLE(cr, DAT_INVALID_HANDLE_CR);
	return DAT_CR_HANDOFF(cr, qual);
}

/* ---- EVD ---- */

DAT_RETURN DAT_API dat_evd_create(DAT_IA_HANDLE ia, DAT_COUNT qlen,
				  DAT_CNO_HANDLE cno, DAT_EVD_FLAGS flags,
				  DAT_EVD_HANDLE *evd)
{
	RESOLVE_IA(ia);
	return DAT_EVD_CREATE(ia, qlen, cno, flags, evd);
}

DAT_RETURN DAT_API dat_evd_query(DAT_EVD_HANDLE evd, DAT_EVD_PARAM_MASK mask,
				 DAT_EVD_PARAM *param)
{
	CHECK_HANDLE(evd, DAT_INVALID_HANDLE_EVD_REQUEST);
	return DAT_EVD_QUERY(evd, mask, param);
}

DAT_RETURN DAT_API dat_evd_modify_cno(DAT_EVD_HANDLE evd, DAT_CNO_HANDLE cno)
{
	CHECK_HANDLE(evd, DAT_INVALID_HANDLE_EVD_REQUEST);
	return DAT_EVD_MODIFY_CNO(evd, cno);
}

DAT_RETURN DAT_API dat_evd_enable(DAT_EVD_HANDLE evd)
{
	CHECK_HANDLE(evd, DAT_INVALID_HANDLE_EVD_REQUEST);
	return DAT_EVD_ENABLE(evd);
}

DAT_RETURN DAT_API dat_evd_disable(DAT_EVD_HANDLE evd)
{
	CHECK_HANDLE(evd, DAT_INVALID_HANDLE_EVD_REQUEST);
	return DAT_EVD_DISABLE(evd);
}

DAT_RETURN DAT_API dat_evd_wait(DAT_EVD_HANDLE evd, DAT_TIMEOUT timeout,
				DAT_COUNT threshold, DAT_EVENT *event,
				DAT_COUNT *nmore)
{
	CHECK_HANDLE(evd, DAT_INVALID_HANDLE_EVD_REQUEST);
	return DAT_EVD_WAIT(evd, timeout, threshold, event, nmore);
}

DAT_RETURN DAT_API dat_evd_resize(DAT_EVD_HANDLE evd, DAT_COUNT qlen)
{
	CHECK_HANDLE(evd, DAT_INVALID_HANDLE_EVD_REQUEST);
	return DAT_EVD_RESIZE(evd, qlen);
}

DAT_RETURN DAT_API dat_evd_post_se(DAT_EVD_HANDLE evd, const DAT_EVENT *event)
{
	CHECK_HANDLE(evd, DAT_INVALID_HANDLE_EVD_REQUEST);
	return DAT_EVD_POST_SE(evd, event);
}

DAT_RETURN DAT_API dat_evd_dequeue(DAT_EVD_HANDLE evd, DAT_EVENT *event)
{
	CHECK_HANDLE(evd, DAT_INVALID_HANDLE_EVD_REQUEST);
	return DAT_EVD_DEQUEUE(evd, event);
}

DAT_RETURN DAT_API dat_evd_free(DAT_EVD_HANDLE evd)
{
	CHECK_HANDLE(evd, DAT_INVALID_HANDLE_EVD_REQUEST);
	return DAT_EVD_FREE(evd);
}

DAT_RETURN DAT_API dat_evd_set_unwaitable(DAT_EVD_HANDLE evd)
{
	CHECK_HANDLE(evd, DAT_INVALID_HANDLE_EVD_REQUEST);
	return DAT_EVD_SET_UNWAITABLE(evd);
}

DAT_RETURN DAT_API dat_evd_clear_unwaitable(DAT_EVD_HANDLE evd)
{
	CHECK_HANDLE(evd, DAT_INVALID_HANDLE_EVD_REQUEST);
	return DAT_EVD_CLEAR_UNWAITABLE(evd);
}

/* ---- CNO ---- */

DAT_RETURN DAT_API dat_cno_create(DAT_IA_HANDLE ia,
				  DAT_OS_WAIT_PROXY_AGENT agent,
				  DAT_CNO_HANDLE *cno)
{
	RESOLVE_IA(ia);
	return DAT_CNO_CREATE(ia, agent, cno);
}

DAT_RETURN DAT_API dat_cno_modify_agent(DAT_CNO_HANDLE cno,
					DAT_OS_WAIT_PROXY_AGENT agent)
{
	CHECK_HANDLE(cno, DAT_INVALID_HANDLE_CNO);
	return DAT_CNO_MODIFY_AGENT(cno, agent);
}

DAT_RETURN DAT_API dat_cno_query(DAT_CNO_HANDLE cno, DAT_CNO_PARAM_MASK mask,
				 DAT_CNO_PARAM *param)
{
	CHECK_HANDLE(cno, DAT_INVALID_HANDLE_CNO);
	return DAT_CNO_QUERY(cno, mask, param);
}

DAT_RETURN DAT_API dat_cno_free(DAT_CNO_HANDLE cno)
{
	CHECK_HANDLE(cno, DAT_INVALID_HANDLE_CNO);
	return DAT_CNO_FREE(cno);
}

DAT_RETURN DAT_API dat_cno_wait(DAT_CNO_HANDLE cno, DAT_TIMEOUT timeout,
				DAT_EVD_HANDLE *evd)
{
	CHECK_HANDLE(cno, DAT_INVALID_HANDLE_CNO);
	return DAT_CNO_WAIT(cno, timeout, evd);
}

/* ---- EP ---- */

DAT_RETURN DAT_API dat_ep_create(DAT_IA_HANDLE ia, DAT_PZ_HANDLE pz,
				 DAT_EVD_HANDLE recv_evd,
				 DAT_EVD_HANDLE request_evd,
				 DAT_EVD_HANDLE connect_evd,
				 const DAT_EP_ATTR *attr, DAT_EP_HANDLE *ep)
{
	RESOLVE_IA(ia);
	return DAT_EP_CREATE(ia, pz, recv_evd, request_evd, connect_evd,
			     attr, ep);
}

DAT_RETURN DAT_API dat_ep_create_with_srq(DAT_IA_HANDLE ia, DAT_PZ_HANDLE pz,
					  DAT_EVD_HANDLE recv_evd,
					  DAT_EVD_HANDLE request_evd,
					  DAT_EVD_HANDLE connect_evd,
					  DAT_SRQ_HANDLE srq,
					  const DAT_EP_ATTR *attr,
					  DAT_EP_HANDLE *ep)
{
	RESOLVE_IA(ia);
	return DAT_EP_CREATE_WITH_SRQ(ia, pz, recv_evd, request_evd,
				      connect_evd, srq, attr, ep);
}

DAT_RETURN DAT_API dat_ep_query(DAT_EP_HANDLE ep, DAT_EP_PARAM_MASK mask,
				DAT_EP_PARAM *param)
{
	CHECK_HANDLE(ep, DAT_INVALID_HANDLE_EP);
	return DAT_EP_QUERY(ep, mask, param);
}

DAT_RETURN DAT_API dat_ep_modify(DAT_EP_HANDLE ep, DAT_EP_PARAM_MASK mask,
				 const DAT_EP_PARAM *param)
{
	CHECK_HANDLE(ep, DAT_INVALID_HANDLE_EP);
	return DAT_EP_MODIFY(ep, mask, param);
}

DAT_RETURN DAT_API dat_ep_connect(DAT_EP_HANDLE ep, DAT_IA_ADDRESS_PTR addr,
				  DAT_CONN_QUAL qual, DAT_TIMEOUT timeout,
				  DAT_COUNT psize, const DAT_PVOID pdata,
				  DAT_QOS qos, DAT_CONNECT_FLAGS flags)
{
	CHECK_HANDLE(ep, DAT_INVALID_HANDLE_EP);
	return DAT_EP_CONNECT(ep, addr, qual, timeout, psize, pdata, qos,
			      flags);
}

DAT_RETURN DAT_API dat_ep_dup_connect(DAT_EP_HANDLE ep, DAT_EP_HANDLE dup,
				      DAT_TIMEOUT timeout, DAT_COUNT psize,
				      const DAT_PVOID pdata, DAT_QOS qos)
{
	CHECK_HANDLE(ep, DAT_INVALID_HANDLE_EP);
	return DAT_EP_DUP_CONNECT(ep, dup, timeout, psize, pdata, qos);
}

DAT_RETURN DAT_API dat_ep_disconnect(DAT_EP_HANDLE ep, DAT_CLOSE_FLAGS flags)
{
	CHECK_HANDLE(ep, DAT_INVALID_HANDLE_EP);
	return DAT_EP_DISCONNECT(ep, flags);
}

DAT_RETURN DAT_API dat_ep_post_send(DAT_EP_HANDLE ep, DAT_COUNT nseg,
				    DAT_LMR_TRIPLET *iov, DAT_DTO_COOKIE cookie,
				    DAT_COMPLETION_FLAGS flags)
{
	CHECK_HANDLE(ep, DAT_INVALID_HANDLE_EP);
	return DAT_EP_POST_SEND(ep, nseg, iov, cookie, flags);
}

DAT_RETURN DAT_API dat_ep_post_recv(DAT_EP_HANDLE ep, DAT_COUNT nseg,
				    DAT_LMR_TRIPLET *iov, DAT_DTO_COOKIE cookie,
				    DAT_COMPLETION_FLAGS flags)
{
	CHECK_HANDLE(ep, DAT_INVALID_HANDLE_EP);
	return DAT_EP_POST_RECV(ep, nseg, iov, cookie, flags);
}

DAT_RETURN DAT_API dat_ep_post_rdma_read(DAT_EP_HANDLE ep, DAT_COUNT nseg,
					 DAT_LMR_TRIPLET *iov,
					 DAT_DTO_COOKIE cookie,
					 const DAT_RMR_TRIPLET *remote,
					 DAT_COMPLETION_FLAGS flags)
{
	CHECK_HANDLE(ep, DAT_INVALID_HANDLE_EP);
	return DAT_EP_POST_RDMA_READ(ep, nseg, iov, cookie, remote, flags);
}

DAT_RETURN DAT_API dat_ep_post_rdma_write(DAT_EP_HANDLE ep, DAT_COUNT nseg,
					  DAT_LMR_TRIPLET *iov,
					  DAT_DTO_COOKIE cookie,
					  const DAT_RMR_TRIPLET *remote,
					  DAT_COMPLETION_FLAGS flags)
{
	CHECK_HANDLE(ep, DAT_INVALID_HANDLE_EP);
	return DAT_EP_POST_RDMA_WRITE(ep, nseg, iov, cookie, remote, flags);
}

DAT_RETURN DAT_API dat_ep_get_status(DAT_EP_HANDLE ep, DAT_EP_STATE *state,
				     DAT_BOOLEAN *recv_idle,
				     DAT_BOOLEAN *request_idle)
{
	CHECK_HANDLE(ep, DAT_INVALID_HANDLE_EP);
	return DAT_EP_GET_STATUS(ep, state, recv_idle, request_idle);
}

DAT_RETURN DAT_API dat_ep_free(DAT_EP_HANDLE ep)
{
	CHECK_HANDLE(ep, DAT_INVALID_HANDLE_EP);
	return DAT_EP_FREE(ep);
}

DAT_RETURN DAT_API dat_ep_reset(DAT_EP_HANDLE ep)
{
	CHECK_HANDLE(ep, DAT_INVALID_HANDLE_EP);
	return DAT_EP_RESET(ep);
}

DAT_RETURN DAT_API dat_ep_recv_query(DAT_EP_HANDLE ep, DAT_COUNT *nbufs,
				     DAT_COUNT *span)
{
	CHECK_HANDLE(ep, DAT_INVALID_HANDLE_EP);
	return DAT_EP_RECV_QUERY(ep, nbufs, span);
}

DAT_RETURN DAT_API dat_ep_set_watermark(DAT_EP_HANDLE ep, DAT_COUNT soft_hw,
					DAT_COUNT hard_hw)
{
	CHECK_HANDLE(ep, DAT_INVALID_HANDLE_EP);
	return DAT_EP_SET_WATERMARK(ep, soft_hw, hard_hw);
}

/* ---- LMR / RMR ---- */

DAT_RETURN DAT_API dat_lmr_create(DAT_IA_HANDLE ia, DAT_MEM_TYPE type,
				  DAT_REGION_DESCRIPTION region, DAT_VLEN len,
				  DAT_PZ_HANDLE pz, DAT_MEM_PRIV_FLAGS priv,
				  DAT_VA_TYPE va_type, DAT_LMR_HANDLE *lmr,
				  DAT_LMR_CONTEXT *lmr_context,
				  DAT_RMR_CONTEXT *rmr_context,
				  DAT_VLEN *reg_len, DAT_VADDR *reg_addr)
{
	RESOLVE_IA(ia);
	return DAT_LMR_CREATE(ia, type, region, len, pz, priv, va_type, lmr,
			      lmr_context, rmr_context, reg_len, reg_addr);
}

DAT_RETURN DAT_API dat_lmr_query(DAT_LMR_HANDLE lmr, DAT_LMR_PARAM_MASK mask,
				 DAT_LMR_PARAM *param)
{
	CHECK_HANDLE(lmr, DAT_INVALID_HANDLE_LMR);
	return DAT_LMR_QUERY(lmr, mask, param);
}

DAT_RETURN DAT_API dat_lmr_free(DAT_LMR_HANDLE lmr)
{
	CHECK_HANDLE(lmr, DAT_INVALID_HANDLE_LMR);
	return DAT_LMR_FREE(lmr);
}

DAT_RETURN DAT_API dat_lmr_sync_rdma_read(DAT_IA_HANDLE ia,
					  const DAT_LMR_TRIPLET *iov,
					  DAT_VLEN nseg)
{
	RESOLVE_IA(ia);
	return DAT_LMR_SYNC_RDMA_READ(ia, iov, nseg);
}

DAT_RETURN DAT_API dat_lmr_sync_rdma_write(DAT_IA_HANDLE ia,
					   const DAT_LMR_TRIPLET *iov,
					   DAT_VLEN nseg)
{
	RESOLVE_IA(ia);
	return DAT_LMR_SYNC_RDMA_WRITE(ia, iov, nseg);
}

DAT_RETURN DAT_API dat_rmr_create(DAT_PZ_HANDLE pz, DAT_RMR_HANDLE *rmr)
{
	CHECK_HANDLE(pz, DAT_INVALID_HANDLE_PZ);
	return DAT_RMR_CREATE(pz, rmr);
}

DAT_RETURN DAT_API dat_rmr_query(DAT_RMR_HANDLE rmr, DAT_RMR_PARAM_MASK mask,
				 DAT_RMR_PARAM *param)
{
	CHECK_HANDLE(rmr, DAT_INVALID_HANDLE_RMR);
	return DAT_RMR_QUERY(rmr, mask, param);
}

DAT_RETURN DAT_API dat_rmr_bind(DAT_RMR_HANDLE rmr, DAT_LMR_HANDLE lmr,
				const DAT_LMR_TRIPLET *triplet,
				DAT_MEM_PRIV_FLAGS priv, DAT_VA_TYPE va_type,
				DAT_EP_HANDLE ep, DAT_RMR_COOKIE cookie,
				DAT_COMPLETION_FLAGS flags,
				DAT_RMR_CONTEXT *context)
{
	CHECK_HANDLE(rmr, DAT_INVALID_HANDLE_RMR);
	return DAT_RMR_BIND(rmr, lmr, triplet, priv, va_type, ep, cookie,
			    flags, context);
}

DAT_RETURN DAT_API dat_rmr_free(DAT_RMR_HANDLE rmr)
{
	CHECK_HANDLE(rmr, DAT_INVALID_HANDLE_RMR);
	return DAT_RMR_FREE(rmr);
}

/* ---- PSP / RSP ---- */

DAT_RETURN DAT_API dat_psp_create(DAT_IA_HANDLE ia, DAT_CONN_QUAL qual,
				  DAT_EVD_HANDLE evd, DAT_PSP_FLAGS flags,
				  DAT_PSP_HANDLE *psp)
{
	RESOLVE_IA(ia);
	return DAT_PSP_CREATE(ia, qual, evd, flags, psp);
}

DAT_RETURN DAT_API dat_psp_create_any(DAT_IA_HANDLE ia, DAT_CONN_QUAL *qual,
				      DAT_EVD_HANDLE evd, DAT_PSP_FLAGS flags,
				      DAT_PSP_HANDLE *psp)
{
	RESOLVE_IA(ia);
	return DAT_PSP_CREATE_ANY(ia, qual, evd, flags, psp);
}

DAT_RETURN DAT_API dat_psp_query(DAT_PSP_HANDLE psp, DAT_PSP_PARAM_MASK mask,
				 DAT_PSP_PARAM *param)
{
	CHECK_HANDLE(psp, DAT_INVALID_HANDLE_PSP);
	return DAT_PSP_QUERY(psp, mask, param);
}

DAT_RETURN DAT_API dat_psp_free(DAT_PSP_HANDLE psp)
{
	CHECK_HANDLE(psp, DAT_INVALID_HANDLE_PSP);
	return DAT_PSP_FREE(psp);
}

DAT_RETURN DAT_API dat_rsp_create(DAT_IA_HANDLE ia, DAT_CONN_QUAL qual,
				  DAT_EP_HANDLE ep, DAT_EVD_HANDLE evd,
				  DAT_RSP_HANDLE *rsp)
{
	RESOLVE_IA(ia);
	return DAT_RSP_CREATE(ia, qual, ep, evd, rsp);
}

DAT_RETURN DAT_API dat_rsp_query(DAT_RSP_HANDLE rsp, DAT_RSP_PARAM_MASK mask,
				 DAT_RSP_PARAM *param)
{
	CHECK_HANDLE(rsp, DAT_INVALID_HANDLE_RSP);
	return DAT_RSP_QUERY(rsp, mask, param);
}

DAT_RETURN DAT_API dat_rsp_free(DAT_RSP_HANDLE rsp)
{
	CHECK_HANDLE(rsp, DAT_INVALID_HANDLE_RSP);
	return DAT_RSP_FREE(rsp);
}

/* ---- PZ ---- */

DAT_RETURN DAT_API dat_pz_create(DAT_IA_HANDLE ia, DAT_PZ_HANDLE *pz)
{
	RESOLVE_IA(ia);
	return DAT_PZ_CREATE(ia, pz);
}

DAT_RETURN DAT_API dat_pz_query(DAT_PZ_HANDLE pz, DAT_PZ_PARAM_MASK mask,
				DAT_PZ_PARAM *param)
{
	CHECK_HANDLE(pz, DAT_INVALID_HANDLE_PZ);
	return DAT_PZ_QUERY(pz, mask, param);
}

DAT_RETURN DAT_API dat_pz_free(DAT_PZ_HANDLE pz)
{
	CHECK_HANDLE(pz, DAT_INVALID_HANDLE_PZ);
	return DAT_PZ_FREE(pz);
}

/* ---- SRQ ---- */

DAT_RETURN DAT_API dat_srq_create(DAT_IA_HANDLE ia, DAT_PZ_HANDLE pz,
				  DAT_SRQ_ATTR *attr, DAT_SRQ_HANDLE *srq)
{
	RESOLVE_IA(ia);
	return DAT_SRQ_CREATE(ia, pz, attr, srq);
}

DAT_RETURN DAT_API dat_srq_free(DAT_SRQ_HANDLE srq)
{
	CHECK_HANDLE(srq, DAT_INVALID_HANDLE_SRQ);
	return DAT_SRQ_FREE(srq);
}

DAT_RETURN DAT_API dat_srq_post_recv(DAT_SRQ_HANDLE srq, DAT_COUNT nseg,
				     DAT_LMR_TRIPLET *iov,
				     DAT_DTO_COOKIE cookie)
{
	CHECK_HANDLE(srq, DAT_INVALID_HANDLE_SRQ);
	return DAT_SRQ_POST_RECV(srq, nseg, iov, cookie);
}

DAT_RETURN DAT_API dat_srq_query(DAT_SRQ_HANDLE srq, DAT_SRQ_PARAM_MASK mask,
				 DAT_SRQ_PARAM *param)
{
	CHECK_HANDLE(srq, DAT_INVALID_HANDLE_SRQ);
	return DAT_SRQ_QUERY(srq, mask, param);
}

DAT_RETURN DAT_API dat_srq_resize(DAT_SRQ_HANDLE srq, DAT_COUNT qlen)
{
	CHECK_HANDLE(srq, DAT_INVALID_HANDLE_SRQ);
	return DAT_SRQ_RESIZE(srq, qlen);
}

DAT_RETURN DAT_API dat_srq_set_lw(DAT_SRQ_HANDLE srq, DAT_COUNT low_watermark)
{
	CHECK_HANDLE(srq, DAT_INVALID_HANDLE_SRQ);
	return DAT_SRQ_SET_LW(srq, low_watermark);
}
