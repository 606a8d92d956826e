// SPDX-License-Identifier: BSD-3-Clause OR GPL-2.0-only
/*
 * A fake DAT provider for the registry tests.  It implements just enough
 * of the dispatch table to check routing through libdat2: objects start
 * with the provider pointer like real ones, calls are recorded in
 * fake_provider_state for the test to inspect, and dat_provider_fini
 * leaves a note in the environment (FAKE_PROVIDER_FINI) because the
 * module is unloaded right after it.
 *
 * The first word of ia_params selects how dat_provider_init behaves:
 *   "ok"     register the IA once (normal provider)
 *   "noreg"  return without registering (like libdaplofa with a bad param)
 *   "twice"  register, then register again and record the second result
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dat2/udat.h>
#include <dat2/dat_registry.h>
#include <dat2/dat_ib_extensions.h>

#include "fake_provider.h"

DAT_RETURN dats_get_ia_handle(DAT_IA_HANDLE handle, DAT_IA_HANDLE *out);

struct fake_state fake_provider_state;

struct fake_object {
	DAT_PROVIDER		*provider;	/* must be first */
	DAT_HANDLE_TYPE		type;
	struct fake_object	*ia;
	DAT_CONTEXT		context;
};

#define MAX_IAS	8

struct fake_ia {
	DAT_PROVIDER		table;
	DAT_PROVIDER_INFO	info;
	bool			registered;
};

static struct fake_ia ias[MAX_IAS];

static struct fake_object *new_object(DAT_PROVIDER *provider,
				      DAT_HANDLE_TYPE type,
				      struct fake_object *ia)
{
	struct fake_object *obj = calloc(1, sizeof(*obj));

	if (obj) {
		obj->provider = provider;
		obj->type = type;
		obj->ia = ia;
	}
	return obj;
}

static DAT_PROVIDER *table_for(const char *name)
{
	int i;

	for (i = 0; i < MAX_IAS; i++)
		if (ias[i].registered && !strcmp(ias[i].info.ia_name, name))
			return &ias[i].table;
	return NULL;
}

static DAT_RETURN fake_ia_open(const DAT_NAME_PTR name, DAT_COUNT qlen,
			       DAT_EVD_HANDLE *async_evd, DAT_IA_HANDLE *ia)
{
	DAT_PROVIDER *table = table_for(name);
	struct fake_object *obj;

	if (!table)
		return DAT_INTERNAL_ERROR;
	obj = new_object(table, DAT_HANDLE_TYPE_IA, NULL);
	if (!obj)
		return DAT_INSUFFICIENT_RESOURCES;
	obj->ia = obj;
	*ia = obj;
	fake_provider_state.ia_opens++;
	return DAT_SUCCESS;
}

static DAT_RETURN fake_ia_close(DAT_IA_HANDLE ia, DAT_CLOSE_FLAGS flags)
{
	fake_provider_state.ia_closes++;
	free(ia);
	return DAT_SUCCESS;
}

static DAT_RETURN fake_ia_query(DAT_IA_HANDLE ia, DAT_EVD_HANDLE *async_evd,
				DAT_IA_ATTR_MASK ia_mask, DAT_IA_ATTR *ia_attr,
				DAT_PROVIDER_ATTR_MASK p_mask,
				DAT_PROVIDER_ATTR *p_attr)
{
	struct fake_object *obj = ia;

	if (obj->type != DAT_HANDLE_TYPE_IA)
		return DAT_INVALID_HANDLE;
	fake_provider_state.last_query_ia = ia;
	if (ia_attr) {
		strcpy(ia_attr->adapter_name, "fake adapter");
		ia_attr->extension_supported = DAT_EXTENSION_IB;
		ia_attr->extension_version = DAT_IB_EXTENSION_VERSION;
	}
	if (async_evd)
		*async_evd = NULL;
	return DAT_SUCCESS;
}

static DAT_RETURN fake_set_context(DAT_HANDLE handle, DAT_CONTEXT context)
{
	((struct fake_object *)handle)->context = context;
	return DAT_SUCCESS;
}

static DAT_RETURN fake_get_context(DAT_HANDLE handle, DAT_CONTEXT *context)
{
	*context = ((struct fake_object *)handle)->context;
	return DAT_SUCCESS;
}

static DAT_RETURN fake_get_handle_type(DAT_HANDLE handle, DAT_HANDLE_TYPE *type)
{
	*type = ((struct fake_object *)handle)->type;
	return DAT_SUCCESS;
}

static DAT_RETURN fake_pz_create(DAT_IA_HANDLE ia, DAT_PZ_HANDLE *pz)
{
	struct fake_object *owner = ia;

	*pz = new_object(owner->provider, DAT_HANDLE_TYPE_PZ, owner);
	return *pz ? DAT_SUCCESS : DAT_INSUFFICIENT_RESOURCES;
}

static DAT_RETURN fake_free(DAT_HANDLE handle)
{
	free(handle);
	return DAT_SUCCESS;
}

static DAT_RETURN fake_ep_create(DAT_IA_HANDLE ia, DAT_PZ_HANDLE pz,
				 DAT_EVD_HANDLE recv_evd,
				 DAT_EVD_HANDLE request_evd,
				 DAT_EVD_HANDLE connect_evd,
				 const DAT_EP_ATTR *attr, DAT_EP_HANDLE *ep)
{
	struct fake_object *owner = ia;

	*ep = new_object(owner->provider, DAT_HANDLE_TYPE_EP, owner);
	return *ep ? DAT_SUCCESS : DAT_INSUFFICIENT_RESOURCES;
}

/* Reports the owning IA the way OFA's provider does: as a slot number. */
static DAT_RETURN fake_ep_query(DAT_EP_HANDLE ep, DAT_EP_PARAM_MASK mask,
				DAT_EP_PARAM *param)
{
	struct fake_object *obj = ep;

	return dats_get_ia_handle(obj->ia, &param->ia_handle);
}

static DAT_RETURN fake_ep_connect(DAT_EP_HANDLE ep, DAT_IA_ADDRESS_PTR addr,
				  DAT_CONN_QUAL qual, DAT_TIMEOUT timeout,
				  DAT_COUNT psize, const DAT_PVOID pdata,
				  DAT_QOS qos, DAT_CONNECT_FLAGS flags)
{
	fake_provider_state.last_conn_qual = qual;
	fake_provider_state.last_timeout = timeout;
	return DAT_SUCCESS;
}

static DAT_RETURN fake_extension(DAT_HANDLE handle, DAT_EXTENDED_OP op,
				 va_list args)
{
	fake_provider_state.last_ext_op = op;
	fake_provider_state.last_ext_handle = handle;
	switch (op) {
	case DAT_IB_FETCH_AND_ADD_OP:
		fake_provider_state.last_ext_u64 = va_arg(args, DAT_UINT64);
		return DAT_SUCCESS;
	case DAT_IB_OPEN_QUERY_OP: {
		DAT_HANDLE *ia_out = va_arg(args, DAT_HANDLE *);

		return fake_ia_open((DAT_NAME_PTR)handle, 0, NULL, ia_out);
	}
	case DAT_IB_CLOSE_QUERY_OP:
		return fake_ia_close(handle, DAT_CLOSE_ABRUPT_FLAG);
	default:
		return DAT_NOT_IMPLEMENTED;
	}
}

static const DAT_PROVIDER fake_template = {
	.ia_open_func = fake_ia_open,
	.ia_query_func = fake_ia_query,
	.ia_close_func = fake_ia_close,
	.set_consumer_context_func = fake_set_context,
	.get_consumer_context_func = fake_get_context,
	.get_handle_type_func = fake_get_handle_type,
	.pz_create_func = fake_pz_create,
	.pz_free_func = fake_free,
	.ep_create_func = fake_ep_create,
	.ep_query_func = fake_ep_query,
	.ep_connect_func = fake_ep_connect,
	.ep_free_func = fake_free,
	.handle_extendedop_func = fake_extension,
};

void dat_provider_init(const DAT_PROVIDER_INFO *info, const char *ia_params);
void dat_provider_fini(const DAT_PROVIDER_INFO *info);

void dat_provider_init(const DAT_PROVIDER_INFO *info, const char *ia_params)
{
	struct fake_ia *slot = NULL;
	int i;

	fake_provider_state.init_calls++;
	strncpy(fake_provider_state.last_params, ia_params,
		sizeof(fake_provider_state.last_params) - 1);
	if (!strncmp(ia_params, "noreg", 5))
		return;
	for (i = 0; i < MAX_IAS && !slot; i++)
		if (!ias[i].registered)
			slot = &ias[i];
	if (!slot)
		return;
	slot->table = fake_template;
	slot->info = *info;
	slot->table.device_name = slot->info.ia_name;
	if (dat_registry_add_provider(&slot->table, info) != DAT_SUCCESS)
		return;
	slot->registered = true;
	if (!strncmp(ia_params, "twice", 5))
		fake_provider_state.second_register =
			dat_registry_add_provider(&slot->table, info);
}

void dat_provider_fini(const DAT_PROVIDER_INFO *info)
{
	char note[32];
	int i;

	fake_provider_state.fini_calls++;
	for (i = 0; i < MAX_IAS; i++) {
		if (!ias[i].registered ||
		    strcmp(ias[i].info.ia_name, info->ia_name))
			continue;
		fake_provider_state.remove_result =
			dat_registry_remove_provider(&ias[i].table, info);
		ias[i].registered = false;
	}
	/* The environment outlives this module once the registry unloads it. */
	snprintf(note, sizeof(note), "%d 0x%x", fake_provider_state.fini_calls,
		 fake_provider_state.remove_result);
	setenv("FAKE_PROVIDER_FINI", note, 1);
}
