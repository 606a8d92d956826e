// SPDX-License-Identifier: BSD-2-Clause
/*
 * limits.c - what each transport can carry and do.
 *
 * IB CM messages have fixed private data areas (REQ 92, REP 196, REJ 148
 * bytes); rdma_cm puts a 36-byte addressing header into the REQ, leaving
 * 56.  UD resolution uses SIDR: REQ 216 (180 after the header), REP 136.  iWARP's MPA allows 512 bytes, but rdma_cm's user ABI carries the
 * length in 8 bits, so 255 is the real limit there.
 */
#include <config.h>

#include <stdio.h>
#include <rdma/siw-abi.h>

#include "ual_internal.h"

#define IB_REQ_PDATA 92
#define IB_REP_PDATA 196
#define IB_REJ_PDATA 148
#define RDMA_CM_IB_HDR 36
#define IB_SIDR_REQ_PDATA 216
#define IB_SIDR_REP_PDATA 136
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
		l->ud_resolve = IB_SIDR_REQ_PDATA - RDMA_CM_IB_HDR;
		l->ud_reply = IB_SIDR_REP_PDATA;
		break;
	case UAL_TRANSPORT_IWARP:
		l->connect = RDMA_CM_U8_MAX;
		l->accept = RDMA_CM_U8_MAX;
		l->reject = RDMA_CM_U8_MAX;
		l->ud_resolve = 0;	/* no UD on iWARP */
		l->ud_reply = 0;
		break;
	default:
		/* Unknown transports get the smallest common denominator. */
		l->connect = IB_REQ_PDATA - RDMA_CM_IB_HDR;
		l->accept = IB_REQ_PDATA - RDMA_CM_IB_HDR;
		l->reject = IB_REQ_PDATA - RDMA_CM_IB_HDR;
		l->ud_resolve = IB_REQ_PDATA - RDMA_CM_IB_HDR;
		l->ud_reply = IB_REQ_PDATA - RDMA_CM_IB_HDR;
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

/*
 * Memory windows and SRQ resizing, from what the device says it can do.
 * The flags decide, not max_mw: siw reports a max_mw but implements no
 * window verbs (no MEM_WINDOW flag, no alloc_mw in libsiw).  Type 2A and
 * 2B differ only in how a window is tied to its QP; the layer offers both
 * as type 2.
 */
uint32_t ual_devcap_caps(unsigned int flags, int max_mw)
{
	uint32_t caps = 0;

	if (max_mw > 0 && (flags & IBV_DEVICE_MEM_WINDOW))
		caps |= UAL_CAP_MW_TYPE1;
	if (max_mw > 0 && (flags & (IBV_DEVICE_MEM_WINDOW_TYPE_2A |
				    IBV_DEVICE_MEM_WINDOW_TYPE_2B)))
		caps |= UAL_CAP_MW_TYPE2;
	if (flags & IBV_DEVICE_SRQ_RESIZE)
		caps |= UAL_CAP_SRQ_RESIZE;
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

/*
 * siw (soft-iWARP) shares every send queue, receive queue, SRQ and CQ
 * with user space through mmap.  The kernel hands out one mmap offset per
 * queue from a per-context range that starts at 0 and advances by whole
 * pages, but the user-space provider (libsiw) only accepts offsets up to
 * SIW_UOBJ_MAX_KEY: with 4 KiB pages that is a window of 144 pages per
 * opened device per process.  A queue whose offset falls beyond it is
 * refused by libsiw, which destroys the new object and returns NULL
 * without setting errno.  These helpers do the kernel's arithmetic so the
 * layer can say how much of the window is used and what would fit.
 */
static uint32_t pow2_ceil(uint32_t v)
{
	uint32_t p = 1;

	while (p < v && p < (1u << 31))
		p <<= 1;
	return p;
}

static uint32_t pages_for(uint64_t bytes, uint32_t page_size)
{
	return (uint32_t)((bytes + page_size - 1) / page_size);
}

uint32_t ual_siw_window_pages(uint32_t page_size)
{
	return (uint32_t)((SIW_UOBJ_MAX_KEY + 1ULL) / page_size);
}

/* The kernel rounds queue sizes to a power of two (siw_create_qp). */
uint32_t ual_siw_sq_pages(uint32_t wr, uint32_t page_size)
{
	return pages_for((uint64_t)pow2_ceil(wr ? wr : 1) *
			 sizeof(struct siw_sqe), page_size);
}

/* 0 receive WRs (a QP on an SRQ) means no receive queue mapping at all. */
uint32_t ual_siw_rq_pages(uint32_t wr, uint32_t page_size)
{
	if (!wr)
		return 0;
	return pages_for((uint64_t)pow2_ceil(wr) * sizeof(struct siw_rqe),
			 page_size);
}

/* The CQ mapping also carries the arming word behind the entries. */
uint32_t ual_siw_cq_pages(uint32_t cqe, uint32_t page_size)
{
	return pages_for((uint64_t)pow2_ceil(cqe ? cqe : 1) *
			 sizeof(struct siw_cqe) + sizeof(struct siw_cq_ctrl),
			 page_size);
}

/*
 * How many QPs of @sq + @rq pages fit after @other pages of CQs and SRQs,
 * assuming the window is used front to back: a QP fits while the offset
 * of its last queue is still inside the window.
 */
uint32_t ual_siw_qps_that_fit(uint32_t sq, uint32_t rq, uint32_t other,
			      uint32_t page_size)
{
	uint32_t window = ual_siw_window_pages(page_size);
	uint32_t last_start = rq ? sq : 0;

	if (!sq || other + last_start >= window)
		return 0;
	return (window - 1 - other - last_start) / (sq + rq) + 1;
}

void ual_siw_explain(char *buf, size_t len, const char *device,
		     const char *what, uint32_t need, uint32_t used,
		     uint32_t fit, uint32_t page_size)
{
	int n;

	n = snprintf(buf, len,
		     "%s maps each queue into a %u-page window per process (libsiw SIW_UOBJ_MAX_KEY); %u pages in use, this %s needs %u",
		     device, ual_siw_window_pages(page_size), used, what, need);
	if (n < 0 || (size_t)n >= len)
		return;
	if (fit)
		n += snprintf(buf + n, len - (size_t)n, " (~%u such QPs per process)",
			      fit);
	if ((size_t)n < len)
		snprintf(buf + n, len - (size_t)n,
			 ". Use fewer endpoints per process, <=32 WRs per queue, or an SRQ");
}
