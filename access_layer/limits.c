// SPDX-License-Identifier: BSD-2-Clause
/*
 * limits.c - what each transport can carry and do.
 *
 * IB CM messages have fixed private data areas (REQ 92, REP 196, REJ 148
 * bytes); rdma_cm puts a 36-byte addressing header into the REQ, leaving
 * 56.  iWARP's MPA allows 512 bytes, but rdma_cm's user ABI carries the
 * length in 8 bits, so 255 is the real limit there.
 */
#include <config.h>

#include "ual_internal.h"

#define IB_REQ_PDATA 92
#define IB_REP_PDATA 196
#define IB_REJ_PDATA 148
#define RDMA_CM_IB_HDR 36
#define RDMA_CM_U8_MAX 255

void ual_pdata_limits(enum ual_transport t, struct ual_pdata_limits *l)
{
	switch (t) {
	case UAL_TRANSPORT_IB:
	case UAL_TRANSPORT_ROCE_V1:
	case UAL_TRANSPORT_ROCE_V2:
		l->connect = IB_REQ_PDATA - RDMA_CM_IB_HDR;
		l->accept = IB_REP_PDATA;
		l->reject = IB_REJ_PDATA;
		break;
	case UAL_TRANSPORT_IWARP:
		l->connect = RDMA_CM_U8_MAX;
		l->accept = RDMA_CM_U8_MAX;
		l->reject = RDMA_CM_U8_MAX;
		break;
	default:
		/* Unknown transports get the smallest common denominator. */
		l->connect = IB_REQ_PDATA - RDMA_CM_IB_HDR;
		l->accept = IB_REQ_PDATA - RDMA_CM_IB_HDR;
		l->reject = IB_REQ_PDATA - RDMA_CM_IB_HDR;
		break;
	}
}

uint32_t ual_transport_caps(enum ual_transport t, int atomic_cap)
{
	uint32_t caps = UAL_CAP_SRQ;

	if (t == UAL_TRANSPORT_IWARP)
		return caps | UAL_CAP_ACTIVE_SENDS_FIRST |
		       UAL_CAP_READ_SINK_NEEDS_REMOTE_WRITE;
	caps |= UAL_CAP_UD | UAL_CAP_IMMEDIATE;
	if (atomic_cap != IBV_ATOMIC_NONE)
		caps |= UAL_CAP_ATOMICS;
	return caps;
}

const char *ual_transport_name(enum ual_transport t)
{
	switch (t) {
	case UAL_TRANSPORT_IB:
		return "InfiniBand";
	case UAL_TRANSPORT_ROCE_V1:
		return "RoCE v1";
	case UAL_TRANSPORT_ROCE_V2:
		return "RoCE v2";
	case UAL_TRANSPORT_IWARP:
		return "iWARP";
	default:
		return "unknown";
	}
}
