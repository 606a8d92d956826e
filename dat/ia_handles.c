// SPDX-License-Identifier: BSD-3-Clause OR GPL-2.0-only
/*
 * IA handle virtualisation.
 *
 * Consumers never see a provider's IA pointer: dat_ia_openv() stores it in
 * a slot and returns the slot number (1, 2, ...; 0 is never used), and
 * every call that takes an IA handle maps it back.  Providers map in the
 * other direction with dats_get_ia_handle() when they report an owning
 * IA in a *_query() result, so both directions must keep working exactly
 * as in OFA's libdat2 for its providers to run under this registry.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>

#include "dat_internal.h"

/* The vector grows in steps of this many slots. */
#define SLOT_STEP	64

struct slot_state {
	struct dat_ia_slot	slot;
	bool			used;
	/* Being closed: lookups fail, a second close cannot start. */
	bool			claimed;
};

static pthread_mutex_t slot_lock = PTHREAD_MUTEX_INITIALIZER;
static struct slot_state *slots;
static uintptr_t slot_count;

static uintptr_t to_index(DAT_HANDLE handle)
{
	return (uintptr_t)handle;
}

static bool index_live(uintptr_t i)
{
	return i > 0 && i < slot_count && slots[i].used && !slots[i].claimed;
}

DAT_RETURN dats_handle_insert(const struct dat_ia_slot *slot,
			      DAT_IA_HANDLE *index)
{
	struct slot_state *grown;
	uintptr_t i;

	pthread_mutex_lock(&slot_lock);
	for (i = 1; i < slot_count; i++)
		if (!slots[i].used)
			break;
	if (i >= slot_count) {
		grown = realloc(slots, (slot_count + SLOT_STEP) * sizeof(*slots));
		if (!grown) {
			pthread_mutex_unlock(&slot_lock);
			return DAT_ERROR(DAT_INSUFFICIENT_RESOURCES,
					 DAT_RESOURCE_MEMORY);
		}
		slots = grown;
		for (i = slot_count; i < slot_count + SLOT_STEP; i++)
			slots[i] = (struct slot_state){ 0 };
		i = slot_count ? slot_count : 1;
		slot_count += SLOT_STEP;
	}
	slots[i].slot = *slot;
	slots[i].used = true;
	*index = (DAT_IA_HANDLE)i;
	pthread_mutex_unlock(&slot_lock);
	return DAT_SUCCESS;
}

/* Take a slot out of service while its IA is being closed. */
DAT_RETURN dats_handle_claim(DAT_IA_HANDLE index, struct dat_ia_slot *slot)
{
	uintptr_t i = to_index(index);
	DAT_RETURN ret = DAT_SUCCESS;

	pthread_mutex_lock(&slot_lock);
	if (index_live(i)) {
		slots[i].claimed = true;
		*slot = slots[i].slot;
	} else {
		ret = DAT_ERROR(DAT_INVALID_HANDLE, DAT_INVALID_HANDLE_IA);
	}
	pthread_mutex_unlock(&slot_lock);
	return ret;
}

/* The close failed: the IA is still open, put the slot back. */
void dats_handle_unclaim(DAT_IA_HANDLE index)
{
	uintptr_t i = to_index(index);

	pthread_mutex_lock(&slot_lock);
	if (i < slot_count)
		slots[i].claimed = false;
	pthread_mutex_unlock(&slot_lock);
}

void dats_handle_release(DAT_IA_HANDLE index)
{
	uintptr_t i = to_index(index);

	pthread_mutex_lock(&slot_lock);
	if (i < slot_count)
		slots[i] = (struct slot_state){ 0 };
	pthread_mutex_unlock(&slot_lock);
}

/* Slot number to provider IA, and only that direction. */
DAT_RETURN dats_ia_resolve(DAT_IA_HANDLE index, DAT_IA_HANDLE *provider_ia)
{
	uintptr_t i = to_index(index);
	DAT_RETURN ret = DAT_SUCCESS;

	pthread_mutex_lock(&slot_lock);
	if (index_live(i))
		*provider_ia = slots[i].slot.provider_ia;
	else
		ret = DAT_ERROR(DAT_INVALID_HANDLE, DAT_INVALID_HANDLE_IA);
	pthread_mutex_unlock(&slot_lock);
	return ret;
}

bool dats_is_ia_handle(DAT_HANDLE handle)
{
	bool live;

	pthread_mutex_lock(&slot_lock);
	live = index_live(to_index(handle));
	pthread_mutex_unlock(&slot_lock);
	return live;
}

/*
 * A value below the number of slots is a slot number and yields the
 * provider's IA; anything else is taken to be a provider IA pointer and
 * yields its slot number.
 */
DAT_RETURN DAT_API dats_get_ia_handle(DAT_IA_HANDLE handle, DAT_IA_HANDLE *out)
{
	const DAT_RETURN invalid = DAT_ERROR(DAT_INVALID_HANDLE,
					     DAT_INVALID_HANDLE_IA);
	uintptr_t i = to_index(handle);
	DAT_RETURN ret = invalid;

	if (!handle || !out)
		return invalid;

	pthread_mutex_lock(&slot_lock);
	if (i < slot_count) {
		if (index_live(i)) {
			*out = slots[i].slot.provider_ia;
			ret = DAT_SUCCESS;
		}
		goto out;
	}
	for (i = 1; i < slot_count; i++) {
		if (slots[i].used && slots[i].slot.provider_ia == handle) {
			*out = (DAT_IA_HANDLE)i;
			ret = DAT_SUCCESS;
			break;
		}
	}
out:
	pthread_mutex_unlock(&slot_lock);
	return ret;
}

void dats_handle_fini(void)
{
	uintptr_t i;

	pthread_mutex_lock(&slot_lock);
	/* IAs left open at exit: providers may still translate handles. */
	for (i = 1; i < slot_count; i++) {
		if (slots[i].used) {
			pthread_mutex_unlock(&slot_lock);
			return;
		}
	}
	free(slots);
	slots = NULL;
	slot_count = 0;
	pthread_mutex_unlock(&slot_lock);
}
