// SPDX-License-Identifier: BSD-3-Clause OR GPL-2.0-only
/*
 * Handles: type-stable object memory and the checks every call makes.
 *
 * OFA's provider frees object memory and then reads a magic through the
 * consumer's stale pointer, so any call with a freed handle may crash.
 * Here an object's memory is never returned to the system while the
 * library is loaded: a freed object keeps its provider pointer (libdat2
 * dispatches through it) and gets the FREED magic, and it is reused only
 * for an object of the same type, oldest first, so a stale handle stays
 * detectable for as long as possible.
 */
#include <stdlib.h>
#include <string.h>

#include "dapl.h"

#define TYPES	DAT_HANDLE_TYPE_EXTENSION_BASE
#define CHUNK	32		/* objects allocated at once per type */

/* One calloc() of CHUNK objects; chunks are never freed or unlinked. */
struct chunk {
	char			*mem;
	struct chunk		*next;
};

struct type_pool {
	size_t			size;
	struct dapl_hdr		*head, *tail;	/* freed, reused oldest first */
	struct chunk		*chunks;	/* published with release order */
};

static struct type_pool pools[TYPES];
static pthread_mutex_t pool_lock = PTHREAD_MUTEX_INITIALIZER;

static const uint32_t magic_of[TYPES] = {
	[DAT_HANDLE_TYPE_CR]	= DAPL_MAGIC_CR,
	[DAT_HANDLE_TYPE_EP]	= DAPL_MAGIC_EP,
	[DAT_HANDLE_TYPE_EVD]	= DAPL_MAGIC_EVD,
	[DAT_HANDLE_TYPE_IA]	= DAPL_MAGIC_IA,
	[DAT_HANDLE_TYPE_LMR]	= DAPL_MAGIC_LMR,
	[DAT_HANDLE_TYPE_PSP]	= DAPL_MAGIC_PSP,
	[DAT_HANDLE_TYPE_PZ]	= DAPL_MAGIC_PZ,
	[DAT_HANDLE_TYPE_RMR]	= DAPL_MAGIC_RMR,
	[DAT_HANDLE_TYPE_RSP]	= DAPL_MAGIC_RSP,
	[DAT_HANDLE_TYPE_CNO]	= DAPL_MAGIC_CNO,
	[DAT_HANDLE_TYPE_SRQ]	= DAPL_MAGIC_SRQ,
	[DAT_HANDLE_TYPE_CSP]	= DAPL_MAGIC_CSP,
};

static const DAT_RETURN_SUBTYPE bad_subtype[TYPES] = {
	[DAT_HANDLE_TYPE_CR]	= DAT_INVALID_HANDLE_CR,
	[DAT_HANDLE_TYPE_EP]	= DAT_INVALID_HANDLE_EP,
	[DAT_HANDLE_TYPE_EVD]	= DAT_INVALID_HANDLE_EVD_CONN,
	[DAT_HANDLE_TYPE_IA]	= DAT_INVALID_HANDLE_IA,
	[DAT_HANDLE_TYPE_LMR]	= DAT_INVALID_HANDLE_LMR,
	[DAT_HANDLE_TYPE_PSP]	= DAT_INVALID_HANDLE_PSP,
	[DAT_HANDLE_TYPE_PZ]	= DAT_INVALID_HANDLE_PZ,
	[DAT_HANDLE_TYPE_RMR]	= DAT_INVALID_HANDLE_RMR,
	[DAT_HANDLE_TYPE_RSP]	= DAT_INVALID_HANDLE_RSP,
	[DAT_HANDLE_TYPE_CNO]	= DAT_INVALID_HANDLE_CNO,
	[DAT_HANDLE_TYPE_SRQ]	= DAT_INVALID_HANDLE_SRQ,
	[DAT_HANDLE_TYPE_CSP]	= DAT_INVALID_HANDLE_CSP,
};

static const char *const type_name[TYPES] = {
	[DAT_HANDLE_TYPE_CR] = "CR",	[DAT_HANDLE_TYPE_EP] = "EP",
	[DAT_HANDLE_TYPE_EVD] = "EVD",	[DAT_HANDLE_TYPE_IA] = "IA",
	[DAT_HANDLE_TYPE_LMR] = "LMR",	[DAT_HANDLE_TYPE_PSP] = "PSP",
	[DAT_HANDLE_TYPE_PZ] = "PZ",	[DAT_HANDLE_TYPE_RMR] = "RMR",
	[DAT_HANDLE_TYPE_RSP] = "RSP",	[DAT_HANDLE_TYPE_CNO] = "CNO",
	[DAT_HANDLE_TYPE_SRQ] = "SRQ",	[DAT_HANDLE_TYPE_CSP] = "CSP",
};

const char *dapl_type_name(DAT_HANDLE_TYPE type)
{
	return (unsigned int)type < TYPES ? type_name[type] : "unknown";
}

/* Adds CHUNK fresh objects to @pool's free queue; false on ENOMEM. */
static bool pool_grow(struct type_pool *pool)
{
	struct chunk *c = malloc(sizeof(*c));
	char *mem = calloc(CHUNK, pool->size);
	int i;

	if (!mem || !c) {
		free(mem);
		free(c);
		return false;
	}
	c->mem = mem;
	c->next = pool->chunks;
	__atomic_store_n(&pool->chunks, c, __ATOMIC_RELEASE);
	for (i = 0; i < CHUNK; i++) {
		struct dapl_hdr *h = (struct dapl_hdr *)(mem + i * pool->size);

		h->magic = DAPL_MAGIC_FREED;
		if (pool->tail)
			pool->tail->free_next = h;
		else
			pool->head = h;
		pool->tail = h;
	}
	return true;
}

void *dapl_obj_alloc(DAT_PROVIDER *provider, DAT_HANDLE_TYPE type,
		     size_t size, struct dapl_ia *ia)
{
	struct type_pool *pool = &pools[type];
	struct dapl_hdr *h;

	pthread_mutex_lock(&pool_lock);
	if (!pool->size)
		pool->size = size;
	if (!pool->head && !pool_grow(pool)) {
		pthread_mutex_unlock(&pool_lock);
		return NULL;
	}
	h = pool->head;
	pool->head = h->free_next;
	if (!pool->head)
		pool->tail = NULL;
	pthread_mutex_unlock(&pool_lock);

	memset(h, 0, size);
	h->provider = provider;
	h->type = type;
	h->ia = ia;
	if (ia)
		dapl_ia_link(ia, h);
	__atomic_store_n(&h->magic, magic_of[type], __ATOMIC_RELEASE);
	return h;
}

void dapl_obj_free(void *obj)
{
	struct dapl_hdr *h = obj;
	struct type_pool *pool = &pools[h->type];

	__atomic_store_n(&h->magic, DAPL_MAGIC_FREED, __ATOMIC_RELEASE);
	if (h->ia && h->type != DAT_HANDLE_TYPE_IA)
		dapl_ia_unlink(h->ia, h);
	h->context.as_ptr = NULL;
	pthread_mutex_lock(&pool_lock);
	h->free_next = NULL;
	if (pool->tail)
		pool->tail->free_next = h;
	else
		pool->head = h;
	pool->tail = h;
	pthread_mutex_unlock(&pool_lock);
}

bool dapl_obj_addr_valid(uintptr_t addr, DAT_HANDLE_TYPE type)
{
	const struct type_pool *pool;
	const struct chunk *c;

	if ((unsigned int)type >= TYPES)
		return false;
	pool = &pools[type];
	for (c = __atomic_load_n(&pool->chunks, __ATOMIC_ACQUIRE); c; c = c->next) {
		uintptr_t base = (uintptr_t)c->mem;

		if (addr >= base && addr < base + CHUNK * pool->size)
			return (addr - base) % pool->size == 0;
	}
	return false;
}

struct dapl_hdr *dapl_hdr_get(DAT_HANDLE handle)
{
	struct dapl_hdr *h = handle;
	uint32_t magic;

	if (!h)
		return NULL;
	magic = __atomic_load_n(&h->magic, __ATOMIC_ACQUIRE);
	if ((unsigned int)h->type >= TYPES || magic != magic_of[h->type])
		return NULL;
	return h;
}

void *dapl_obj_get(DAT_HANDLE handle, DAT_HANDLE_TYPE type)
{
	struct dapl_hdr *h = dapl_hdr_get(handle);

	return h && h->type == type ? h : NULL;
}

DAT_RETURN dapl_bad_handle(DAT_HANDLE_TYPE type)
{
	if ((unsigned int)type >= TYPES)
		return DAT_ERROR(DAT_INVALID_HANDLE, DAT_NO_SUBTYPE);
	return DAT_ERROR(DAT_INVALID_HANDLE, bad_subtype[type]);
}

static DAT_RETURN DAT_API set_consumer_context(DAT_HANDLE handle,
					       DAT_CONTEXT context)
{
	struct dapl_hdr *h = dapl_hdr_get(handle);

	if (!h)
		return DAT_ERROR(DAT_INVALID_HANDLE, DAT_INVALID_HANDLE1);
	h->context = context;
	return DAT_SUCCESS;
}

static DAT_RETURN DAT_API get_consumer_context(DAT_HANDLE handle,
					       DAT_CONTEXT *context)
{
	struct dapl_hdr *h = dapl_hdr_get(handle);

	if (!h)
		return DAT_ERROR(DAT_INVALID_HANDLE, DAT_INVALID_HANDLE1);
	if (!context)
		return DAT_ERROR(DAT_INVALID_PARAMETER, DAT_INVALID_ARG2);
	*context = h->context;
	return DAT_SUCCESS;
}

static DAT_RETURN DAT_API get_handle_type(DAT_HANDLE handle,
					  DAT_HANDLE_TYPE *type)
{
	struct dapl_hdr *h = dapl_hdr_get(handle);

	if (!h)
		return DAT_ERROR(DAT_INVALID_HANDLE, DAT_INVALID_HANDLE1);
	if (!type)
		return DAT_ERROR(DAT_INVALID_PARAMETER, DAT_INVALID_ARG2);
	*type = h->type;
	return DAT_SUCCESS;
}

void dapl_handle_ops(DAT_PROVIDER *p)
{
	p->set_consumer_context_func = set_consumer_context;
	p->get_consumer_context_func = get_consumer_context;
	p->get_handle_type_func = get_handle_type;
}
