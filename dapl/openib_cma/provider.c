// SPDX-License-Identifier: BSD-3-Clause OR GPL-2.0-only
/*
 * The provider's entry points: dat_provider_init registers one IA name
 * (one dat.conf line) with the registry, dat_provider_fini removes it.
 *
 * ia_params is turned into a device spec by ia_params.c.  OFA silently
 * registers nothing for a one-word ia_params; here a word alone is
 * accepted and a malformed line is logged with its reason.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../common/dapl.h"

#include <dat2/dat_registry.h>

/* Registered IA names; never freed while loaded (handles point here). */
struct provider_node {
	struct dapl_provider	prov;
	struct provider_node	*next;
};

static struct provider_node *providers;
static pthread_mutex_t providers_lock = PTHREAD_MUTEX_INITIALIZER;

static void fill_table(struct dapl_provider *prov)
{
	DAT_PROVIDER *p = &prov->table;

	memset(p, 0, sizeof(*p));
	p->device_name = prov->info.ia_name;
	p->extension = prov;
	dapl_handle_ops(p);
	dapl_ia_ops(p);
	dapl_pz_ops(p);
	dapl_lmr_ops(p);
	dapl_ia_query_ops(p);
	dapl_rmr_ops(p);
	dapl_cno_ops(p);
	dapl_srq_ops(p);
	dapl_evd_ops(p);
	dapl_ep_ops(p);
	dapl_cm_ops(p);
	dapl_dto_ops(p);
	p->handle_extendedop_func = dapl_extensions;
}

/* The node for @info's IA name, created if new (under providers_lock). */
static struct provider_node *node_for(const DAT_PROVIDER_INFO *info)
{
	struct provider_node *n;

	for (n = providers; n; n = n->next)
		if (!strcmp(n->prov.info.ia_name, info->ia_name) &&
		    n->prov.info.dapl_version_major == info->dapl_version_major &&
		    n->prov.info.dapl_version_minor == info->dapl_version_minor &&
		    n->prov.info.is_thread_safe == info->is_thread_safe)
			return n;
	n = calloc(1, sizeof(*n));
	if (!n)
		return NULL;
	n->prov.info = *info;
	n->next = providers;
	providers = n;
	return n;
}

struct dapl_provider *dapl_provider_find(const char *name)
{
	struct provider_node *n;

	pthread_mutex_lock(&providers_lock);
	for (n = providers; n; n = n->next)
		if (n->prov.registered && !strcmp(n->prov.info.ia_name, name))
			break;
	pthread_mutex_unlock(&providers_lock);
	return n ? &n->prov : NULL;
}

void DAT_API dat_provider_init(const DAT_PROVIDER_INFO *info,
			       const char *ia_params)
{
	struct provider_node *n;
	DAT_RETURN ret;
	char spec[256];
	int rc;

	if (!info)
		return;
	rc = dapl_ia_params_to_spec(ia_params, spec, sizeof(spec));
	if (rc) {
		dapl_log(DAPL_DBG_ERR,
			 "IA %s: ia_params \"%s\" is not \"<netdev|address|host|rdma device> [port]\"; not registered",
			 info->ia_name, ia_params ? ia_params : "(none)");
		return;
	}
	pthread_mutex_lock(&providers_lock);
	n = node_for(info);
	if (!n || n->prov.registered) {
		pthread_mutex_unlock(&providers_lock);
		if (!n)
			dapl_log(DAPL_DBG_ERR, "IA %s: out of memory", info->ia_name);
		return;
	}
	snprintf(n->prov.spec, sizeof(n->prov.spec), "%s", spec);
	snprintf(n->prov.ia_params, sizeof(n->prov.ia_params), "%s", ia_params);
	fill_table(&n->prov);
	ret = dat_registry_add_provider(&n->prov.table, info);
	n->prov.registered = ret == DAT_SUCCESS;
	pthread_mutex_unlock(&providers_lock);
	if (ret != DAT_SUCCESS) {
		const char *major = "", *minor = "";

		dat_strerror(ret, &major, &minor);
		dapl_log(DAPL_DBG_ERR, "IA %s: the registry refused it: %s%s%s",
			 info->ia_name, major, minor && *minor ? " " : "",
			 minor ? minor : "");
	}
	else
		dapl_log(DAPL_DBG_UTIL, "IA %s registered on \"%s\"",
			 info->ia_name, spec);
}

void DAT_API dat_provider_fini(const DAT_PROVIDER_INFO *info)
{
	struct provider_node *n;

	if (!info)
		return;
	pthread_mutex_lock(&providers_lock);
	for (n = providers; n; n = n->next)
		if (n->prov.registered && !strcmp(n->prov.info.ia_name, info->ia_name) &&
		    n->prov.info.is_thread_safe == info->is_thread_safe) {
			dat_registry_remove_provider(&n->prov.table, info);
			n->prov.registered = false;
		}
	pthread_mutex_unlock(&providers_lock);
}
