// SPDX-License-Identifier: BSD-3-Clause OR GPL-2.0-only
/*
 * Library setup and teardown.
 *
 * The constructor only reads the debug variables.  The registry itself is
 * built on first use (any call that needs dat.conf or the dynamic
 * registry), once, under pthread_once(): programs that merely link
 * libdat2 pay nothing and see no configuration messages, and concurrent
 * first calls from several threads are safe.
 */
#include <pthread.h>
#include <stdatomic.h>

#include "dat_internal.h"

static pthread_once_t registry_once = PTHREAD_ONCE_INIT;
static atomic_bool registry_ready;

static void registry_setup(void)
{
	dat_sr_init();
	atomic_store(&registry_ready, true);
}

void dat_registry_init(void)
{
	pthread_once(&registry_once, registry_setup);
}

__attribute__((constructor))
static void dat_library_init(void)
{
	dat_debug_init();
}

__attribute__((destructor))
static void dat_library_fini(void)
{
	if (!atomic_load(&registry_ready))
		return;
	dat_sr_fini();
	dat_dr_fini();
	dats_handle_fini();
}
