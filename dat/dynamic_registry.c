// SPDX-License-Identifier: BSD-3-Clause OR GPL-2.0-only
/*
 * The dynamic registry: providers that announced themselves with
 * dat_registry_add_provider(), usually from their dat_provider_init().
 *
 * Each record keeps the entry points the registry itself needs (IA open
 * and the extension dispatcher) and counts the IAs opened through it, so
 * that a provider cannot be removed while in use.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "dat_internal.h"

struct dr_record {
	DAT_PROVIDER_INFO	info;
	struct dat_dr_binding	binding;
	const DAT_PROVIDER	*provider;
	unsigned int		refcount;
	struct dr_record	*next;
};

static pthread_mutex_t dr_lock = PTHREAD_MUTEX_INITIALIZER;
static struct dr_record *dr_list;

bool dat_info_equal(const DAT_PROVIDER_INFO *a, const DAT_PROVIDER_INFO *b)
{
	return strcmp(a->ia_name, b->ia_name) == 0 &&
	       a->dapl_version_major == b->dapl_version_major &&
	       a->dapl_version_minor == b->dapl_version_minor &&
	       a->is_thread_safe == b->is_thread_safe;
}

void dat_info_make(DAT_PROVIDER_INFO *info, const char *name,
		   DAT_UINT32 major, DAT_UINT32 minor, DAT_BOOLEAN thread_safe)
{
	memset(info, 0, sizeof(*info));
	strncpy(info->ia_name, name, DAT_NAME_MAX_LENGTH - 1);
	info->dapl_version_major = major;
	info->dapl_version_minor = minor;
	info->is_thread_safe = thread_safe;
}

const char *dat_info_describe(const DAT_PROVIDER_INFO *info, char *buf,
			      size_t len)
{
	snprintf(buf, len, "\"%.*s\" (u%u.%u %s)", DAT_NAME_MAX_LENGTH,
		 info->ia_name, info->dapl_version_major,
		 info->dapl_version_minor,
		 info->is_thread_safe ? "threadsafe" : "nonthreadsafe");
	return buf;
}

/* Caller holds dr_lock. */
static struct dr_record **dr_find(const DAT_PROVIDER_INFO *info)
{
	struct dr_record **link;

	for (link = &dr_list; *link; link = &(*link)->next)
		if (dat_info_equal(&(*link)->info, info))
			return link;
	return NULL;
}

/* The key must be a proper C string of legal length. */
static bool info_is_valid(const DAT_PROVIDER_INFO *info)
{
	return memchr(info->ia_name, '\0', DAT_NAME_MAX_LENGTH) != NULL;
}

DAT_RETURN dat_dr_insert(const DAT_PROVIDER *provider,
			 const DAT_PROVIDER_INFO *info)
{
	struct dr_record *rec;
	DAT_RETURN ret = DAT_SUCCESS;
	char key[320];

	if (!provider || !provider->ia_open_func)
		return DAT_ERROR(DAT_INVALID_PARAMETER, DAT_INVALID_ARG1);
	if (!info || !info_is_valid(info))
		return DAT_ERROR(DAT_INVALID_PARAMETER, DAT_INVALID_ARG2);

	rec = calloc(1, sizeof(*rec));
	if (!rec)
		return DAT_ERROR(DAT_INSUFFICIENT_RESOURCES, DAT_RESOURCE_MEMORY);
	rec->info = *info;
	rec->provider = provider;
	rec->binding.ia_open = provider->ia_open_func;
	rec->binding.extension = provider->handle_extendedop_func;

	pthread_mutex_lock(&dr_lock);
	if (dr_find(info)) {
		ret = DAT_ERROR(DAT_PROVIDER_ALREADY_REGISTERED, 0);
	} else {
		rec->next = dr_list;
		dr_list = rec;
	}
	pthread_mutex_unlock(&dr_lock);

	dat_log(DAT_DBG_DR, "add provider %s: %s",
		dat_info_describe(info, key, sizeof(key)),
		ret ? "already registered" : "ok");
	if (ret)
		free(rec);
	return ret;
}

DAT_RETURN dat_dr_remove(const DAT_PROVIDER *provider,
			 const DAT_PROVIDER_INFO *info)
{
	struct dr_record **link, *rec = NULL;
	DAT_RETURN ret = DAT_SUCCESS;
	char key[320], status[96];

	if (!provider)
		return DAT_ERROR(DAT_INVALID_PARAMETER, DAT_INVALID_ARG1);
	if (!info || !info_is_valid(info))
		return DAT_ERROR(DAT_INVALID_PARAMETER, DAT_INVALID_ARG2);

	pthread_mutex_lock(&dr_lock);
	link = dr_find(info);
	if (!link) {
		ret = DAT_ERROR(DAT_PROVIDER_NOT_FOUND, DAT_NAME_NOT_REGISTERED);
	} else if ((*link)->refcount) {
		ret = DAT_ERROR(DAT_PROVIDER_IN_USE, 0);
	} else {
		rec = *link;
		*link = rec->next;
	}
	pthread_mutex_unlock(&dr_lock);

	dat_log(DAT_DBG_DR, "remove provider %s: %s",
		dat_info_describe(info, key, sizeof(key)),
		ret ? dat_status_name(ret, status, sizeof(status)) : "ok");
	free(rec);
	return ret;
}

DAT_RETURN dat_dr_provider_open(const DAT_PROVIDER_INFO *info,
				struct dat_dr_binding *binding)
{
	struct dr_record **link;
	DAT_RETURN ret = DAT_SUCCESS;

	pthread_mutex_lock(&dr_lock);
	link = dr_find(info);
	if (link) {
		(*link)->refcount++;
		*binding = (*link)->binding;
	} else {
		ret = DAT_ERROR(DAT_PROVIDER_NOT_FOUND, DAT_NAME_NOT_REGISTERED);
	}
	pthread_mutex_unlock(&dr_lock);
	return ret;
}

void dat_dr_provider_close(const DAT_PROVIDER_INFO *info)
{
	struct dr_record **link;

	pthread_mutex_lock(&dr_lock);
	link = dr_find(info);
	if (link && (*link)->refcount)
		(*link)->refcount--;
	pthread_mutex_unlock(&dr_lock);
}

bool dat_dr_is_registered(const DAT_PROVIDER_INFO *info)
{
	bool found;

	pthread_mutex_lock(&dr_lock);
	found = dr_find(info) != NULL;
	pthread_mutex_unlock(&dr_lock);
	return found;
}

void dat_dr_fini(void)
{
	struct dr_record **link, *rec;

	/* Records still in use belong to loaded providers: leave them. */
	pthread_mutex_lock(&dr_lock);
	link = &dr_list;
	while ((rec = *link)) {
		if (rec->refcount) {
			link = &rec->next;
			continue;
		}
		*link = rec->next;
		free(rec);
	}
	pthread_mutex_unlock(&dr_lock);
}

DAT_RETURN DAT_API dat_registry_add_provider(const DAT_PROVIDER *provider,
					     const DAT_PROVIDER_INFO *info)
{
	dat_registry_init();
	return dat_dr_insert(provider, info);
}

DAT_RETURN DAT_API dat_registry_remove_provider(const DAT_PROVIDER *provider,
						const DAT_PROVIDER_INFO *info)
{
	dat_registry_init();
	return dat_dr_remove(provider, info);
}
