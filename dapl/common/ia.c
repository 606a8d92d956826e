// SPDX-License-Identifier: BSD-3-Clause OR GPL-2.0-only
/*
 * IA: one access-layer scope (ual_device_open) per dat_ia_open, with the
 * list of every object created under it, so that an abrupt close frees
 * what the consumer left behind and a graceful close can refuse while
 * objects remain (DAT 2.0, dat_ia_close).
 */
#include <errno.h>
#include <string.h>

#include "dapl.h"

/* Destructors the families register, called by an abrupt close. */
static void (*destructor[DAT_HANDLE_TYPE_EXTENSION_BASE])(struct dapl_hdr *);

/* The order an abrupt close frees in: users before what they use. */
static const DAT_HANDLE_TYPE close_order[] = {
	DAT_HANDLE_TYPE_CR, DAT_HANDLE_TYPE_EP, DAT_HANDLE_TYPE_PSP,
	DAT_HANDLE_TYPE_RSP, DAT_HANDLE_TYPE_CSP, DAT_HANDLE_TYPE_RMR,
	DAT_HANDLE_TYPE_SRQ, DAT_HANDLE_TYPE_LMR, DAT_HANDLE_TYPE_PZ,
	DAT_HANDLE_TYPE_EVD, DAT_HANDLE_TYPE_CNO,
};

void dapl_register_destructor(DAT_HANDLE_TYPE type,
			      void (*fn)(struct dapl_hdr *))
{
	destructor[type] = fn;
}

void dapl_ia_link(struct dapl_ia *ia, struct dapl_hdr *h)
{
	pthread_mutex_lock(&ia->lock);
	h->next = ia->objects.next;
	h->prev = &ia->objects;
	ia->objects.next->prev = h;
	ia->objects.next = h;
	pthread_mutex_unlock(&ia->lock);
}

void dapl_ia_unlink(struct dapl_ia *ia, struct dapl_hdr *h)
{
	pthread_mutex_lock(&ia->lock);
	if (h->next) {
		h->next->prev = h->prev;
		h->prev->next = h->next;
		h->next = h->prev = NULL;
	}
	pthread_mutex_unlock(&ia->lock);
}

/* The first object of @type still in @ia's list, or NULL. */
static struct dapl_hdr *first_of(struct dapl_ia *ia, DAT_HANDLE_TYPE type)
{
	struct dapl_hdr *h, *found = NULL;

	pthread_mutex_lock(&ia->lock);
	for (h = ia->objects.next; h != &ia->objects; h = h->next)
		if (h->type == type &&
		    !(type == DAT_HANDLE_TYPE_EVD && &ia->async_evd->hdr == h &&
		      ia->async_evd_ours)) {
			found = h;
			break;
		}
	pthread_mutex_unlock(&ia->lock);
	return found;
}

static bool has_objects(struct dapl_ia *ia)
{
	unsigned int i;

	for (i = 0; i < sizeof(close_order) / sizeof(close_order[0]); i++)
		if (first_of(ia, close_order[i]))
			return true;
	return false;
}

static DAT_RETURN free_leftovers(struct dapl_ia *ia)
{
	struct dapl_hdr *h;
	unsigned int i;

	for (i = 0; i < sizeof(close_order) / sizeof(close_order[0]); i++) {
		DAT_HANDLE_TYPE t = close_order[i];

		while ((h = first_of(ia, t))) {
			if (!destructor[t]) {
				dapl_log(DAPL_DBG_ERR,
					 "dat_ia_close: no way to free a leftover %s",
					 dapl_type_name(t));
				return DAT_ERROR(DAT_INTERNAL_ERROR, DAT_NO_SUBTYPE);
			}
			dapl_log(DAPL_DBG_WARN,
				 "dat_ia_close: freeing a %s the consumer left",
				 dapl_type_name(t));
			destructor[t](h);
		}
	}
	return DAT_SUCCESS;
}

static void ia_release(struct dapl_ia *ia)
{
	if (ia->async_evd && ia->async_evd_ours)
		dapl_evd_free_async(ia->async_evd);
	ual_device_close(ia->dev);
	dapl_ia_query_release(ia);
	pthread_mutex_destroy(&ia->lock);
	dapl_obj_free(ia);
}

static DAT_RETURN DAT_API ia_open(const DAT_NAME_PTR name, DAT_COUNT qlen,
				  DAT_EVD_HANDLE *async_evd, DAT_IA_HANDLE *ia_out)
{
	struct dapl_provider *prov;
	struct ual_error err = { 0 };
	struct dapl_ia *ia;
	DAT_RETURN ret;
	int rc;

	if (!name)
		return DAT_ERROR(DAT_INVALID_PARAMETER, DAT_INVALID_ARG1);
	if (qlen < 0)
		return DAT_ERROR(DAT_INVALID_PARAMETER, DAT_INVALID_ARG2);
	if (!async_evd)
		return DAT_ERROR(DAT_INVALID_PARAMETER, DAT_INVALID_ARG3);
	if (!ia_out)
		return DAT_ERROR(DAT_INVALID_PARAMETER, DAT_INVALID_ARG4);
	if (*async_evd != DAT_HANDLE_NULL)
		return DAT_ERROR(DAT_INVALID_HANDLE, DAT_INVALID_HANDLE_EVD_ASYNC);
	prov = dapl_provider_find(name);
	if (!prov)
		return DAT_ERROR(DAT_PROVIDER_NOT_FOUND, DAT_NAME_NOT_REGISTERED);

	ia = dapl_obj_alloc(&prov->table, DAT_HANDLE_TYPE_IA, sizeof(*ia), NULL);
	if (!ia)
		return DAT_ERROR(DAT_INSUFFICIENT_RESOURCES, DAT_RESOURCE_MEMORY);
	ia->hdr.ia = ia;
	pthread_mutex_init(&ia->lock, NULL);
	ia->objects.next = ia->objects.prev = &ia->objects;

	rc = ual_device_open(prov->spec, &ia->dev, &ia->local, &err);
	if (rc) {
		char buf[512];

		dapl_log(DAPL_DBG_ERR, "dat_ia_open %s (ia_params \"%s\"): %s",
			 name, prov->ia_params, ual_strerror(&err, buf, sizeof(buf)));
		pthread_mutex_destroy(&ia->lock);
		dapl_obj_free(ia);
		if (rc == -ENODEV || rc == -EADDRNOTAVAIL || rc == -ENOENT)
			return DAT_ERROR(DAT_INVALID_ADDRESS, DAT_INVALID_ADDRESS_UNREACHABLE);
		return dapl_status_from_errno(rc);
	}
	ual_device_query(ia->dev, &ia->attr);

	ret = dapl_evd_create_async(ia, qlen ? qlen : 8, &ia->async_evd);
	if (ret == DAT_SUCCESS) {
		ia->async_evd_ours = true;
	} else if (DAT_GET_TYPE(ret) != DAT_NOT_IMPLEMENTED) {
		ia_release(ia);
		return ret;
	}
	*async_evd = ia->async_evd;
	*ia_out = ia;
	dapl_log(DAPL_DBG_UTIL, "IA %s open on %s port %u (%s)", name,
		 ia->attr.name, ia->attr.port_num,
		 ual_transport_name(ia->attr.transport));
	return DAT_SUCCESS;
}

static DAT_RETURN DAT_API ia_close(DAT_IA_HANDLE handle, DAT_CLOSE_FLAGS flags)
{
	struct dapl_ia *ia = dapl_obj_get(handle, DAT_HANDLE_TYPE_IA);
	DAT_RETURN ret;

	if (!ia)
		return dapl_bad_handle(DAT_HANDLE_TYPE_IA);
	if (flags != DAT_CLOSE_ABRUPT_FLAG && flags != DAT_CLOSE_GRACEFUL_FLAG)
		return DAT_ERROR(DAT_INVALID_PARAMETER, DAT_INVALID_ARG2);
	if (flags == DAT_CLOSE_GRACEFUL_FLAG) {
		if (has_objects(ia))
			return DAT_ERROR(DAT_INVALID_STATE, DAT_INVALID_STATE_IA_IN_USE);
	} else {
		ret = free_leftovers(ia);
		if (ret != DAT_SUCCESS)
			return ret;
	}
	ia_release(ia);
	return DAT_SUCCESS;
}

/*
 * DAT 2.0's high-availability relation between IAs: no provider
 * implements HA here (OFA's registry does not even export the call).
 */
static DAT_RETURN DAT_API ia_ha_related(DAT_IA_HANDLE handle,
					const DAT_NAME_PTR name, DAT_BOOLEAN *related)
{
	(void)name;
	(void)related;
	if (!dapl_obj_get(handle, DAT_HANDLE_TYPE_IA))
		return dapl_bad_handle(DAT_HANDLE_TYPE_IA);
	return DAT_ERROR(DAT_NOT_IMPLEMENTED, DAT_NO_SUBTYPE);
}

void dapl_ia_ops(DAT_PROVIDER *p)
{
	p->ia_ha_related_func = ia_ha_related;
	p->ia_open_func = ia_open;
	p->ia_close_func = ia_close;
}
