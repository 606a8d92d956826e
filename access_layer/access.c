// SPDX-License-Identifier: BSD-2-Clause
/*
 * access.c - memory access rights, per transport.
 *
 * iWARP (RDMAP) writes RDMA read responses into the sink with the sink's
 * STag as if it were a remote write, so a sink registered without remote
 * write fails with a protection error.  Consumers written for IB do not
 * know this; the layer grants it on their behalf.
 */
#include <config.h>

#include "ual_internal.h"

unsigned int ual_access_effective(unsigned int access, enum ual_transport t)
{
	if (t == UAL_TRANSPORT_IWARP && (access & UAL_ACCESS_LOCAL_WRITE))
		access |= UAL_ACCESS_REMOTE_WRITE;
	/* Verbs refuses remote write or atomic without local write. */
	if (access & (UAL_ACCESS_REMOTE_WRITE | UAL_ACCESS_REMOTE_ATOMIC))
		access |= UAL_ACCESS_LOCAL_WRITE;
	return access;
}

int ual_access_to_ibv(unsigned int access)
{
	int flags = 0;

	if (access & UAL_ACCESS_LOCAL_WRITE)
		flags |= IBV_ACCESS_LOCAL_WRITE;
	if (access & UAL_ACCESS_REMOTE_WRITE)
		flags |= IBV_ACCESS_REMOTE_WRITE;
	if (access & UAL_ACCESS_REMOTE_READ)
		flags |= IBV_ACCESS_REMOTE_READ;
	if (access & UAL_ACCESS_REMOTE_ATOMIC)
		flags |= IBV_ACCESS_REMOTE_ATOMIC;
	if (access & UAL_ACCESS_MW_BIND)
		flags |= IBV_ACCESS_MW_BIND;
	return flags;
}
