// SPDX-License-Identifier: BSD-3-Clause OR GPL-2.0-only
/*
 * PZ: a protection domain of the IA's scope (ual_pd_open).  A PZ in use by
 * an LMR, RMR, EP or SRQ cannot be freed (DAT_INVALID_STATE).
 */
#include "dapl.h"

DAT_RETURN DAT_API dats_get_ia_handle(DAT_IA_HANDLE handle, DAT_IA_HANDLE *out);

static DAT_RETURN DAT_API pz_create(DAT_IA_HANDLE ia_handle, DAT_PZ_HANDLE *out)
{
	struct dapl_ia *ia = dapl_obj_get(ia_handle, DAT_HANDLE_TYPE_IA);
	struct ual_error err = { 0 };
	struct dapl_pz *pz;
	int rc;

	if (!ia)
		return dapl_bad_handle(DAT_HANDLE_TYPE_IA);
	if (!out)
		return DAT_ERROR(DAT_INVALID_PARAMETER, DAT_INVALID_ARG2);
	pz = dapl_obj_alloc(ia->hdr.provider, DAT_HANDLE_TYPE_PZ, sizeof(*pz), ia);
	if (!pz)
		return DAT_ERROR(DAT_INSUFFICIENT_RESOURCES, DAT_RESOURCE_MEMORY);
	rc = ual_pd_open(ia->dev, &pz->pd, &err);
	if (rc) {
		dapl_obj_free(pz);
		return dapl_status_log("dat_pz_create", rc, &err);
	}
	*out = pz;
	return DAT_SUCCESS;
}

static void pz_destroy(struct dapl_pz *pz)
{
	ual_device_close(pz->pd);
	dapl_obj_free(pz);
}

static void pz_destructor(struct dapl_hdr *h)
{
	pz_destroy((struct dapl_pz *)h);
}

static DAT_RETURN DAT_API pz_free(DAT_PZ_HANDLE handle)
{
	struct dapl_pz *pz = dapl_obj_get(handle, DAT_HANDLE_TYPE_PZ);

	if (!pz)
		return dapl_bad_handle(DAT_HANDLE_TYPE_PZ);
	if (__atomic_load_n(&pz->refs, __ATOMIC_ACQUIRE))
		return DAT_ERROR(DAT_INVALID_STATE, DAT_INVALID_STATE_PZ_IN_USE);
	pz_destroy(pz);
	return DAT_SUCCESS;
}

static DAT_RETURN DAT_API pz_query(DAT_PZ_HANDLE handle, DAT_PZ_PARAM_MASK mask,
				   DAT_PZ_PARAM *param)
{
	struct dapl_pz *pz = dapl_obj_get(handle, DAT_HANDLE_TYPE_PZ);

	if (!pz)
		return dapl_bad_handle(DAT_HANDLE_TYPE_PZ);
	if (!param)
		return DAT_ERROR(DAT_INVALID_PARAMETER, DAT_INVALID_ARG3);
	if (mask & DAT_PZ_FIELD_IA_HANDLE)
		dats_get_ia_handle(pz->hdr.ia, &param->ia_handle);
	return DAT_SUCCESS;
}

void dapl_pz_ops(DAT_PROVIDER *p)
{
	p->pz_create_func = pz_create;
	p->pz_query_func = pz_query;
	p->pz_free_func = pz_free;
	dapl_register_destructor(DAT_HANDLE_TYPE_PZ, pz_destructor);
}
