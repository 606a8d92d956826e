// SPDX-License-Identifier: BSD-3-Clause OR GPL-2.0-only
/*
 * dat_extension_op(): the single entry point of every DAT extension call.
 *
 * Ordinary ops go to the extension dispatcher of the provider that owns
 * the handle.  Ops with DAT_OPEN_EXTENSION_BASE set carry an IA *name*
 * instead of a handle (dat_ib_open_query()): the registry loads that
 * provider as dat_ia_open() would and routes the call by name; the
 * matching DAT_CLOSE_EXTENSION_BASE op drops those references again.
 */
#include <stdarg.h>
#include <string.h>

#include "dat_internal.h"

static DAT_RETURN open_by_name(DAT_EXTENDED_OP op, va_list args)
{
	const char *name = va_arg(args, const char *);
	struct dat_dr_binding binding;
	DAT_PROVIDER_INFO info;
	bool sr_held;
	DAT_RETURN ret;

	if (!name || strnlen(name, DAT_NAME_MAX_LENGTH) >= DAT_NAME_MAX_LENGTH)
		return DAT_ERROR(DAT_INVALID_PARAMETER, DAT_INVALID_ARG3);
	dat_registry_init();
	dat_info_make(&info, name, DAT_IA_OPEN_API_MAJOR,
		      DAT_IA_OPEN_API_MINOR, DAT_FALSE);

	sr_held = dat_sr_provider_open(&info) == DAT_SUCCESS;
	ret = dat_dr_provider_open(&info, &binding);
	if (ret) {
		dat_sr_explain_missing(&info);
		goto release_sr;
	}
	if (!binding.extension) {
		ret = DAT_ERROR(DAT_NOT_IMPLEMENTED, 0);
		goto release_dr;
	}
	/* As in OFA: the name stands in for the handle, args follow it. */
	ret = binding.extension((DAT_HANDLE)name, op, args);
	if (ret == DAT_SUCCESS)
		return ret;
release_dr:
	dat_dr_provider_close(&info);
release_sr:
	if (sr_held)
		dat_sr_provider_close(&info);
	return ret;
}

static DAT_RETURN close_by_handle(DAT_HANDLE handle, DAT_EXTENDED_OP op,
				  va_list args)
{
	DAT_PROVIDER *provider = DAT_HANDLE_TO_PROVIDER(handle);
	DAT_PROVIDER_INFO info;
	DAT_RETURN ret;

	if (!provider->handle_extendedop_func)
		return DAT_ERROR(DAT_NOT_IMPLEMENTED, 0);
	ret = provider->handle_extendedop_func(handle, op, args);
	if (ret)
		return ret;
	/* Same key open_by_name() used; device_name is the IA name. */
	dat_info_make(&info, provider->device_name, DAT_IA_OPEN_API_MAJOR,
		      DAT_IA_OPEN_API_MINOR, DAT_FALSE);
	dat_dr_provider_close(&info);
	dat_sr_provider_close(&info);
	return DAT_SUCCESS;
}

DAT_RETURN DAT_API dat_extension_op(DAT_HANDLE handle, DAT_EXTENDED_OP op, ...)
{
	DAT_IA_HANDLE provider_ia;
	DAT_PROVIDER *provider;
	DAT_RETURN ret;
	va_list args;

	va_start(args, op);
	if (op & DAT_OPEN_EXTENSION_BASE) {
		/* Skip the handle: the IA name follows op. */
		ret = open_by_name(op, args);
		goto out;
	}
	if (!handle) {
		ret = DAT_ERROR(DAT_INVALID_HANDLE, DAT_INVALID_HANDLE1);
		goto out;
	}
	if (dats_is_ia_handle(handle) &&
	    dats_ia_resolve(handle, &provider_ia) == DAT_SUCCESS)
		handle = provider_ia;
	if (op & DAT_CLOSE_EXTENSION_BASE) {
		ret = close_by_handle(handle, op, args);
		goto out;
	}
	provider = DAT_HANDLE_TO_PROVIDER(handle);
	if (!dat_extensions_seen() || !provider->handle_extendedop_func) {
		ret = DAT_ERROR(DAT_NOT_IMPLEMENTED, 0);
		goto out;
	}
	ret = provider->handle_extendedop_func(handle, op, args);
out:
	va_end(args);
	return ret;
}
