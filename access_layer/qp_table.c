// SPDX-License-Identifier: BSD-2-Clause
/*
 * qp_table.c - QP number -> endpoint, per device, read without a lock.
 *
 * A completion names its QP only by number; a shim that shares one CQ
 * between endpoints finds the endpoint here on the data path, so the
 * lookup must not take the device mutex the connection machinery holds.
 * Open addressing with linear probing; writers (endpoint create and
 * destroy) hold hca->lock.  A reader sees either the old or the new
 * state of a slot: a key is published after its endpoint, a deleted key
 * becomes a tombstone (entries never move), and a bigger table replaces
 * the old one with one atomic store.  Replaced tables are kept until the
 * device is freed, since a reader may still be walking one; tables only
 * double, so that costs at most the size of the last table.
 */
#include <config.h>

#include <errno.h>
#include <stdlib.h>

#include "ual_internal.h"

#define QPT_MIN 256

static struct ual_qp_table *qpt_alloc(uint32_t size)
{
	struct ual_qp_table *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->size = size;
	t->keys = calloc(size, sizeof(*t->keys));
	t->eps = calloc(size, sizeof(*t->eps));
	if (!t->keys || !t->eps) {
		free(t->keys);
		free(t->eps);
		free(t);
		return NULL;
	}
	return t;
}

static void qpt_put(struct ual_qp_table *t, uint32_t key, struct ual_ep *ep)
{
	uint32_t mask = t->size - 1, j;

	for (j = key & mask; t->keys[j] != UAL_QPT_EMPTY &&
			     t->keys[j] != UAL_QPT_TOMB; j = (j + 1) & mask)
		;
	if (t->keys[j] == UAL_QPT_EMPTY)
		t->used++;
	__atomic_store_n(&t->eps[j], ep, __ATOMIC_RELAXED);
	__atomic_store_n(&t->keys[j], key, __ATOMIC_RELEASE);
}

/* Called with hca->lock held: a table without tombstones, room for one more. */
static int qpt_make_room(struct ual_hca *hca, uint32_t live)
{
	struct ual_qp_table *old = hca->qpt, *t;
	uint32_t size = QPT_MIN, i;

	if (old && (old->used + 1) * 2 <= old->size)
		return 0;
	while ((live + 1) * 2 > size)
		size *= 2;
	t = qpt_alloc(size);
	if (!t)
		return -ENOMEM;
	for (i = 0; old && i < old->size; i++)
		if (old->keys[i] != UAL_QPT_EMPTY && old->keys[i] != UAL_QPT_TOMB)
			qpt_put(t, old->keys[i], old->eps[i]);
	t->retired = old;
	__atomic_store_n(&hca->qpt, t, __ATOMIC_RELEASE);
	return 0;
}

static uint32_t qpt_live(const struct ual_qp_table *t)
{
	uint32_t i, n = 0;

	for (i = 0; t && i < t->size; i++)
		n += t->keys[i] != UAL_QPT_EMPTY && t->keys[i] != UAL_QPT_TOMB;
	return n;
}

int ual_device_qp_insert(struct ual_device *dev, struct ual_ep *ep)
{
	struct ual_hca *hca = dev->hca;
	int ret;

	pthread_mutex_lock(&hca->lock);
	ret = qpt_make_room(hca, qpt_live(hca->qpt));
	if (!ret)
		qpt_put(hca->qpt, ep->qp->qp_num, ep);
	pthread_mutex_unlock(&hca->lock);
	return ret;
}

void ual_device_qp_remove(struct ual_device *dev, struct ual_ep *ep)
{
	struct ual_hca *hca = dev->hca;
	struct ual_qp_table *t;
	uint32_t j, mask;

	pthread_mutex_lock(&hca->lock);
	t = hca->qpt;
	mask = t ? t->size - 1 : 0;
	for (j = ep->qp->qp_num & mask; t && t->keys[j] != UAL_QPT_EMPTY;
	     j = (j + 1) & mask) {
		if (t->eps[j] == ep && t->keys[j] == ep->qp->qp_num) {
			__atomic_store_n(&t->keys[j], UAL_QPT_TOMB, __ATOMIC_RELEASE);
			__atomic_store_n(&t->eps[j], NULL, __ATOMIC_RELAXED);
			break;
		}
	}
	pthread_mutex_unlock(&hca->lock);
}

/* Calls @fn for every endpoint of the device; hca->lock must be held. */
void ual_device_qp_for_each(struct ual_hca *hca,
			    void (*fn)(struct ual_ep *ep, void *arg), void *arg)
{
	struct ual_qp_table *t = hca->qpt;
	uint32_t i;

	for (i = 0; t && i < t->size; i++)
		if (t->keys[i] != UAL_QPT_EMPTY && t->keys[i] != UAL_QPT_TOMB)
			fn(t->eps[i], arg);
}

void ual_qp_table_free(struct ual_hca *hca)
{
	struct ual_qp_table *t = hca->qpt, *older;

	for (; t; t = older) {
		older = t->retired;
		free(t->keys);
		free(t->eps);
		free(t);
	}
	hca->qpt = NULL;
}

struct ual_ep *ual_ep_from_qp_num(struct ual_device *dev, uint32_t qp_num)
{
	struct ual_qp_table *t = __atomic_load_n(&dev->hca->qpt, __ATOMIC_ACQUIRE);
	struct ual_ep *ep;
	uint32_t j, mask, key;

	if (!t || qp_num == UAL_QPT_EMPTY || qp_num == UAL_QPT_TOMB)
		return NULL;
	mask = t->size - 1;
	for (j = qp_num & mask;; j = (j + 1) & mask) {
		key = __atomic_load_n(&t->keys[j], __ATOMIC_ACQUIRE);
		if (key == UAL_QPT_EMPTY)
			return NULL;
		if (key != qp_num)
			continue;
		ep = __atomic_load_n(&t->eps[j], __ATOMIC_RELAXED);
		/* Another scope's endpoint is not this consumer's business. */
		return ep && ep->dev == dev ? ep : NULL;
	}
}
