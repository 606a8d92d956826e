// SPDX-License-Identifier: BSD-3-Clause OR GPL-2.0-only
/*
 * Opening and closing interface adapters, and listing the registry.
 *
 * dat_ia_openv() looks the key up in the static registry (loading the
 * provider library if needed), finds the IA open entry point the provider
 * registered, opens the IA and hands the consumer a slot number.  Every
 * failure is logged with its cause before the DAT code is returned.
 */
#include <stdatomic.h>
#include <string.h>

#include "dat_internal.h"

/* Set once any IA reports extension support; gates dat_extension_op(). */
static atomic_bool extensions_seen;

bool dat_extensions_seen(void)
{
	return atomic_load(&extensions_seen);
}

void dat_note_extensions(DAT_IA_HANDLE provider_ia)
{
	DAT_PROVIDER_ATTR provider_attr;
	DAT_EVD_HANDLE async_evd;
	DAT_IA_ATTR attr;

	/* Real buffers everywhere: some providers ignore the masks. */
	memset(&attr, 0, sizeof(attr));
	memset(&provider_attr, 0, sizeof(provider_attr));
	if (DAT_IA_QUERY(provider_ia, &async_evd,
			 DAT_IA_FIELD_IA_EXTENSIONS_SUPPORTED, &attr,
			 DAT_PROVIDER_FIELD_NONE, &provider_attr) != DAT_SUCCESS)
		return;
	if (attr.extension_supported != DAT_EXTENSION_NONE)
		atomic_store(&extensions_seen, true);
}

static DAT_RETURN check_open_args(const DAT_NAME_PTR name,
				  const DAT_IA_HANDLE *ia_handle)
{
	if (!name || strnlen(name, DAT_NAME_MAX_LENGTH) >= DAT_NAME_MAX_LENGTH)
		return DAT_ERROR(DAT_INVALID_PARAMETER, DAT_INVALID_ARG1);
	if (!ia_handle)
		return DAT_ERROR(DAT_INVALID_HANDLE, DAT_INVALID_HANDLE_IA);
	return DAT_SUCCESS;
}

DAT_RETURN DAT_API dat_ia_openv(const DAT_NAME_PTR name,
				DAT_COUNT async_evd_qlen,
				DAT_EVD_HANDLE *async_evd_handle,
				DAT_IA_HANDLE *ia_handle,
				DAT_UINT32 dapl_major, DAT_UINT32 dapl_minor,
				DAT_BOOLEAN thread_safety)
{
	struct dat_dr_binding binding;
	struct dat_ia_slot slot = { 0 };
	char key[320], status[96];
	DAT_RETURN ret;

	ret = check_open_args(name, ia_handle);
	if (ret)
		return ret;
	dat_registry_init();

	dat_info_make(&slot.key, name, dapl_major, dapl_minor, thread_safety);
	dat_info_describe(&slot.key, key, sizeof(key));

	/*
	 * A provider may also have registered itself without dat.conf, so a
	 * static registry miss is only fatal if the dynamic one misses too.
	 */
	slot.sr_held = dat_sr_provider_open(&slot.key) == DAT_SUCCESS;
	ret = dat_dr_provider_open(&slot.key, &binding);
	if (ret) {
		dat_sr_explain_missing(&slot.key);
		goto release_sr;
	}

	ret = binding.ia_open(name, async_evd_qlen, async_evd_handle,
			      &slot.provider_ia);
	if (ret) {
		dat_log(DAT_DBG_ERROR, "IA %s: the provider failed to open it: %s; run dapl-info to see the devices and dat.conf entries",
			key, dat_status_name(ret, status, sizeof(status)));
		goto release_dr;
	}

	ret = dats_handle_insert(&slot, ia_handle);
	if (ret) {
		DAT_HANDLE_TO_PROVIDER(slot.provider_ia)->ia_close_func(
			slot.provider_ia, DAT_CLOSE_ABRUPT_FLAG);
		goto release_dr;
	}
	dat_note_extensions(slot.provider_ia);
	dat_log(DAT_DBG_GENERIC, "IA %s opened as handle %p", key, *ia_handle);
	return DAT_SUCCESS;

release_dr:
	dat_dr_provider_close(&slot.key);
release_sr:
	if (slot.sr_held)
		dat_sr_provider_close(&slot.key);
	return ret;
}

DAT_RETURN DAT_API dat_ia_close(DAT_IA_HANDLE ia_handle,
				DAT_CLOSE_FLAGS close_flags)
{
	struct dat_ia_slot slot;
	DAT_PROVIDER *provider;
	DAT_RETURN ret;

	ret = dats_handle_claim(ia_handle, &slot);
	if (ret)
		return ret;

	provider = DAT_HANDLE_TO_PROVIDER(slot.provider_ia);
	ret = provider->ia_close_func(slot.provider_ia, close_flags);
	if (ret) {
		dats_handle_unclaim(ia_handle);
		return ret;
	}
	dats_handle_release(ia_handle);

	/* Release with the key used to open: fixes OFA's threadsafe leak. */
	dat_dr_provider_close(&slot.key);
	if (slot.sr_held)
		dat_sr_provider_close(&slot.key);
	return DAT_SUCCESS;
}

DAT_RETURN DAT_API dat_registry_list_providers(DAT_COUNT max_to_return,
					       DAT_COUNT *entries_returned,
					       DAT_PROVIDER_INFO *list[])
{
	if (max_to_return < 0)
		return DAT_ERROR(DAT_INVALID_PARAMETER, DAT_INVALID_ARG1);
	if (!entries_returned)
		return DAT_ERROR(DAT_INVALID_PARAMETER, DAT_INVALID_ARG2);
	if (max_to_return > 0 && !list)
		return DAT_ERROR(DAT_INVALID_PARAMETER, DAT_INVALID_ARG3);

	dat_registry_init();
	return dat_sr_list(max_to_return, entries_returned, list);
}
