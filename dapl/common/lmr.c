// SPDX-License-Identifier: BSD-3-Clause OR GPL-2.0-only
/*
 * LMR: a registered region (ual_mr_reg) in a PZ.  DAT_MEM_TYPE_VIRTUAL
 * registers the consumer's range; DAT_MEM_TYPE_LMR registers the range of
 * an existing LMR of the same IA again (possibly in another PZ).  The
 * lmr_context is the local key, the rmr_context the remote key.  Where the
 * device has memory windows every LMR allows binding them, so that any
 * LMR can carry RMRs.  While an RMR is bound to an LMR the LMR cannot be
 * freed (DAT_INVALID_STATE_LMR_IN_USE).
 *
 * dat_lmr_sync_rdma_read/write: DMA is cache-coherent on every host
 * verbs runs on (lmr_sync_req is FALSE), so they only check that each
 * segment lies in a live LMR of the IA.
 */
#include <errno.h>

#include "dapl.h"

DAT_RETURN DAT_API dats_get_ia_handle(DAT_IA_HANDLE handle, DAT_IA_HANDLE *out);

/* The privileges an LMR may ask for (0x40: the IB extension's atomics). */
#define PRIV_KNOWN (DAT_MEM_PRIV_ALL_FLAG | DAT_MEM_PRIV_EXTENSION_BASE)
#define PRIV_REMOTE_ATOMIC DAT_MEM_PRIV_EXTENSION_BASE

static unsigned int access_of(const struct dapl_ia *ia, DAT_MEM_PRIV_FLAGS priv)
{
	unsigned int a = 0;

	if (dapl_ia_has_windows(ia))
		a |= UAL_ACCESS_MW_BIND;
	if (priv & PRIV_REMOTE_ATOMIC)
		a |= UAL_ACCESS_REMOTE_ATOMIC | UAL_ACCESS_LOCAL_WRITE;

	if (priv & DAT_MEM_PRIV_LOCAL_WRITE_FLAG)
		a |= UAL_ACCESS_LOCAL_WRITE;
	if (priv & DAT_MEM_PRIV_REMOTE_WRITE_FLAG)
		a |= UAL_ACCESS_REMOTE_WRITE | UAL_ACCESS_LOCAL_WRITE;
	if (priv & DAT_MEM_PRIV_REMOTE_READ_FLAG)
		a |= UAL_ACCESS_REMOTE_READ;
	return a;
}

/* The range to register for @type/@region, or an error. */
static DAT_RETURN region_range(struct dapl_ia *ia, DAT_MEM_TYPE type,
			       DAT_REGION_DESCRIPTION region,
			       DAT_VLEN *len, void **addr)
{
	struct dapl_lmr *src;

	switch (type) {
	case DAT_MEM_TYPE_VIRTUAL:
		*addr = region.for_va;
		if (!*addr)
			return DAT_ERROR(DAT_INVALID_PARAMETER, DAT_INVALID_ARG3);
		return DAT_SUCCESS;
	case DAT_MEM_TYPE_LMR:
		src = dapl_obj_get(region.for_lmr_handle, DAT_HANDLE_TYPE_LMR);
		if (!src || src->hdr.ia != ia)
			return dapl_bad_handle(DAT_HANDLE_TYPE_LMR);
		*addr = src->addr;
		*len = src->length;
		return DAT_SUCCESS;
	case DAT_MEM_TYPE_SHARED_VIRTUAL:
		dapl_log(DAPL_DBG_WARN,
			 "dat_lmr_create: DAT_MEM_TYPE_SHARED_VIRTUAL is not supported (no cross-process region sharing on Linux verbs)");
		return DAT_ERROR(DAT_NOT_IMPLEMENTED, DAT_NO_SUBTYPE);
	default:
		return DAT_ERROR(DAT_INVALID_PARAMETER, DAT_INVALID_ARG2);
	}
}

static DAT_RETURN DAT_API lmr_create(DAT_IA_HANDLE ia_handle, DAT_MEM_TYPE type,
				     DAT_REGION_DESCRIPTION region, DAT_VLEN len,
				     DAT_PZ_HANDLE pz_handle, DAT_MEM_PRIV_FLAGS priv,
				     DAT_VA_TYPE va_type, DAT_LMR_HANDLE *out,
				     DAT_LMR_CONTEXT *lmr_context,
				     DAT_RMR_CONTEXT *rmr_context,
				     DAT_VLEN *reg_len, DAT_VADDR *reg_addr)
{
	struct dapl_ia *ia = dapl_obj_get(ia_handle, DAT_HANDLE_TYPE_IA);
	struct dapl_pz *pz = dapl_obj_get(pz_handle, DAT_HANDLE_TYPE_PZ);
	struct ual_error err = { 0 };
	struct dapl_lmr *lmr;
	DAT_RETURN ret;
	void *addr = NULL;
	int rc;

	if (!ia)
		return dapl_bad_handle(DAT_HANDLE_TYPE_IA);
	if (!pz || pz->hdr.ia != ia)
		return dapl_bad_handle(DAT_HANDLE_TYPE_PZ);
	if (!out)
		return DAT_ERROR(DAT_INVALID_PARAMETER, DAT_INVALID_ARG8);
	if (priv & ~PRIV_KNOWN)
		return DAT_ERROR(DAT_INVALID_PARAMETER, DAT_INVALID_ARG6);
	if (va_type != DAT_VA_TYPE_VA && va_type != DAT_VA_TYPE_ZB)
		return DAT_ERROR(DAT_INVALID_PARAMETER, DAT_INVALID_ARG7);
	if (va_type != DAT_VA_TYPE_VA) {
		dapl_log(DAPL_DBG_WARN,
			 "dat_lmr_create: zero-based addressing (DAT_VA_TYPE_ZB) is not supported");
		return DAT_ERROR(DAT_NOT_IMPLEMENTED, DAT_NO_SUBTYPE);
	}
	ret = region_range(ia, type, region, &len, &addr);
	if (ret != DAT_SUCCESS)
		return ret;
	if (!len)
		return DAT_ERROR(DAT_INVALID_PARAMETER, DAT_INVALID_ARG4);

	lmr = dapl_obj_alloc(ia->hdr.provider, DAT_HANDLE_TYPE_LMR, sizeof(*lmr), ia);
	if (!lmr)
		return DAT_ERROR(DAT_INSUFFICIENT_RESOURCES, DAT_RESOURCE_MEMORY);
	rc = ual_mr_reg(pz->pd, addr, len, access_of(ia, priv), &lmr->mr, &err);
	if (rc) {
		dapl_obj_free(lmr);
		return dapl_status_log("dat_lmr_create", rc, &err);
	}
	lmr->pz = pz;
	__atomic_add_fetch(&pz->refs, 1, __ATOMIC_ACQ_REL);
	lmr->mem_type = type;
	lmr->region = region;
	lmr->addr = addr;
	lmr->length = len;
	lmr->priv = priv;
	lmr->va_type = va_type;
	*out = lmr;
	if (lmr_context)
		*lmr_context = ual_mr_lkey(lmr->mr);
	if (rmr_context)
		*rmr_context = ual_mr_rkey(lmr->mr);
	if (reg_len)
		*reg_len = len;
	if (reg_addr)
		*reg_addr = (DAT_VADDR)(uintptr_t)addr;
	return DAT_SUCCESS;
}

static void lmr_destroy(struct dapl_lmr *lmr)
{
	ual_mr_dereg(lmr->mr, NULL);
	__atomic_sub_fetch(&lmr->pz->refs, 1, __ATOMIC_ACQ_REL);
	dapl_obj_free(lmr);
}

static void lmr_destructor(struct dapl_hdr *h)
{
	lmr_destroy((struct dapl_lmr *)h);
}

static DAT_RETURN DAT_API lmr_free(DAT_LMR_HANDLE handle)
{
	struct dapl_lmr *lmr = dapl_obj_get(handle, DAT_HANDLE_TYPE_LMR);

	if (!lmr)
		return dapl_bad_handle(DAT_HANDLE_TYPE_LMR);
	if (__atomic_load_n(&lmr->refs, __ATOMIC_ACQUIRE))
		return DAT_ERROR(DAT_INVALID_STATE, DAT_INVALID_STATE_LMR_IN_USE);
	lmr_destroy(lmr);
	return DAT_SUCCESS;
}

static DAT_RETURN DAT_API lmr_query(DAT_LMR_HANDLE handle, DAT_LMR_PARAM_MASK mask,
				    DAT_LMR_PARAM *param)
{
	struct dapl_lmr *lmr = dapl_obj_get(handle, DAT_HANDLE_TYPE_LMR);

	if (!lmr)
		return dapl_bad_handle(DAT_HANDLE_TYPE_LMR);
	if (!param)
		return DAT_ERROR(DAT_INVALID_PARAMETER, DAT_INVALID_ARG3);
	(void)mask;	/* every field is cheap: fill them all */
	dats_get_ia_handle(lmr->hdr.ia, &param->ia_handle);
	param->mem_type = lmr->mem_type;
	param->region_desc = lmr->region;
	param->length = lmr->length;
	param->pz_handle = lmr->pz;
	/* What was granted: iWARP adds remote write to local write. */
	param->mem_priv = lmr->priv;
	if (ual_mr_access(lmr->mr) & UAL_ACCESS_REMOTE_WRITE)
		param->mem_priv |= DAT_MEM_PRIV_REMOTE_WRITE_FLAG;
	param->va_type = lmr->va_type;
	param->lmr_context = ual_mr_lkey(lmr->mr);
	param->rmr_context = ual_mr_rkey(lmr->mr);
	param->registered_size = lmr->length;
	param->registered_address = (DAT_VADDR)(uintptr_t)lmr->addr;
	return DAT_SUCCESS;
}

/* True when @seg lies inside a live LMR of @ia with its lmr_context. */
static bool segment_in_lmr(struct dapl_ia *ia, const DAT_LMR_TRIPLET *seg)
{
	uint64_t start = seg->virtual_address, end = start + seg->segment_length;
	struct dapl_hdr *h;
	bool found = false;

	if (end < start)
		return false;
	pthread_mutex_lock(&ia->lock);
	for (h = ia->objects.next; h != &ia->objects && !found; h = h->next) {
		struct dapl_lmr *lmr = (struct dapl_lmr *)h;
		uint64_t base;

		if (h->type != DAT_HANDLE_TYPE_LMR ||
		    ual_mr_lkey(lmr->mr) != seg->lmr_context)
			continue;
		base = (uintptr_t)lmr->addr;
		found = start >= base && end <= base + lmr->length;
	}
	pthread_mutex_unlock(&ia->lock);
	return found;
}

static DAT_RETURN lmr_sync(const char *call, DAT_IA_HANDLE ia_handle,
			   const DAT_LMR_TRIPLET *segs, DAT_VLEN n)
{
	struct dapl_ia *ia = dapl_obj_get(ia_handle, DAT_HANDLE_TYPE_IA);
	DAT_VLEN i;

	if (!ia)
		return dapl_bad_handle(DAT_HANDLE_TYPE_IA);
	if (n && !segs)
		return DAT_ERROR(DAT_INVALID_PARAMETER, DAT_INVALID_ARG2);
	for (i = 0; i < n; i++) {
		if (!segment_in_lmr(ia, &segs[i])) {
			dapl_log(DAPL_DBG_WARN,
				 "%s: segment %llu (address 0x%llx, %u bytes, lmr_context 0x%x) is not inside an LMR of this IA",
				 call, (unsigned long long)i,
				 (unsigned long long)segs[i].virtual_address,
				 segs[i].segment_length, segs[i].lmr_context);
			return DAT_ERROR(DAT_INVALID_PARAMETER, DAT_INVALID_ARG2);
		}
	}
	return DAT_SUCCESS;
}

static DAT_RETURN DAT_API lmr_sync_rdma_read(DAT_IA_HANDLE ia,
					     const DAT_LMR_TRIPLET *segs,
					     DAT_VLEN n)
{
	return lmr_sync("dat_lmr_sync_rdma_read", ia, segs, n);
}

static DAT_RETURN DAT_API lmr_sync_rdma_write(DAT_IA_HANDLE ia,
					      const DAT_LMR_TRIPLET *segs,
					      DAT_VLEN n)
{
	return lmr_sync("dat_lmr_sync_rdma_write", ia, segs, n);
}

void dapl_lmr_ops(DAT_PROVIDER *p)
{
	p->lmr_create_func = lmr_create;
	p->lmr_query_func = lmr_query;
	p->lmr_free_func = lmr_free;
	p->lmr_sync_rdma_read_func = lmr_sync_rdma_read;
	p->lmr_sync_rdma_write_func = lmr_sync_rdma_write;
	dapl_register_destructor(DAT_HANDLE_TYPE_LMR, lmr_destructor);
}
