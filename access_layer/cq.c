// SPDX-License-Identifier: BSD-2-Clause
/*
 * cq.c - completion queues.
 *
 * Each CQ has its own completion channel, so a blocking wait sleeps on
 * that CQ's fd alone and pure polling needs no thread at all.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "ual_internal.h"

_Static_assert(offsetof(struct ibv_wc, sl) == offsetof(struct ibv_wc, slid) + 2 &&
	       offsetof(struct ibv_wc, dlid_path_bits) == offsetof(struct ibv_wc, slid) + 3 &&
	       offsetof(struct ual_wc, sl) == offsetof(struct ual_wc, slid) + 2 &&
	       offsetof(struct ual_wc, dlid_path_bits) == offsetof(struct ual_wc, slid) + 3,
	       "slid, sl and dlid_path_bits are copied as one word");

#define CQ_POLL_BATCH 16
/* Acknowledging wake-ups takes a lock in libibverbs: do it in batches. */
#define CQ_ACK_BATCH 64

int ual_cq_create(struct ual_device *dev, int depth, void *context,
		  struct ual_cq **out, struct ual_error *err)
{
	struct ual_cq *cq = calloc(1, sizeof(*cq));
	int errnum;

	if (!cq)
		return ual_err_set(err, ENOMEM, "calloc", NULL);
	cq->dev = dev;
	cq->context = context;
	cq->channel = ibv_create_comp_channel(dev->verbs);
	if (!cq->channel) {
		errnum = errno;
		ual_err_set(err, errnum, "ibv_create_comp_channel", NULL);
		goto err_free;
	}
	fcntl(cq->channel->fd, F_SETFL,
	      fcntl(cq->channel->fd, F_GETFL) | O_NONBLOCK);
	if (depth < 1)
		depth = 1;
	if ((uint32_t)depth > dev->attr.max_cqe)
		depth = (int)dev->attr.max_cqe;
	if (dev->siw)
		cq->siw_pages = ual_siw_cq_pages((uint32_t)depth, dev->page_size);
	errno = 0;	/* libsiw may fail without setting it */
	cq->cq = ibv_create_cq(dev->verbs, depth, cq, cq->channel, 0);
	if (!cq->cq && !errno) {
		errnum = -ual_device_no_errno(dev, "ibv_create_cq", "CQ",
					      cq->siw_pages, 0, err);
		ibv_destroy_comp_channel(cq->channel);
		free(cq);
		return -errnum;
	}
	if (!cq->cq) {
		errnum = errno;
		ual_err_set(err, errnum, "ibv_create_cq",
			    "%d entries (device maximum %u)", depth,
			    dev->attr.max_cqe);
		goto err_channel;
	}
	ual_device_siw_account(dev, false, (int)cq->siw_pages);
	ual_device_get(dev);
	*out = cq;
	return 0;

err_channel:
	ibv_destroy_comp_channel(cq->channel);
err_free:
	ual_err_context(err, dev->attr.name, NULL);
	free(cq);
	return -errnum;
}

int ual_cq_destroy(struct ual_cq *cq, struct ual_error *err)
{
	int ret;

	if (!cq)
		return 0;
	if (cq->unacked)
		ibv_ack_cq_events(cq->cq, cq->unacked);
	ret = ibv_destroy_cq(cq->cq);
	if (ret)
		return ual_err_set(err, ret, "ibv_destroy_cq",
				   "endpoints still use this CQ; destroy them first");
	ual_device_siw_account(cq->dev, false, -(int)cq->siw_pages);
	ibv_destroy_comp_channel(cq->channel);
	ual_device_put(cq->dev);
	free(cq);
	return 0;
}

static void convert(const struct ibv_wc *in, struct ual_wc *out)
{
	out->context = in->wr_id;
	out->status = ual_wc_status_from_ibv(in->status);
	out->vendor_status = in->status;
	out->qp_num = in->qp_num;
	out->flags = 0;
	if (in->status != IBV_WC_SUCCESS) {
		/* verbs leaves opcode and lengths undefined on errors */
		out->opcode = UAL_WC_UNKNOWN;
		out->byte_len = 0;
		return;
	}
	out->opcode = ual_wc_opcode_from_ibv(in->opcode);
	out->byte_len = in->byte_len;
	out->src_qp = in->src_qp;
	/* slid, sl, dlid_path_bits: one 4-byte copy, same layout as verbs */
	memcpy(&out->slid, &in->slid, 4);
	if (in->wc_flags & IBV_WC_WITH_IMM) {
		out->flags |= UAL_WC_WITH_IMM;
		out->imm_data = in->imm_data;	/* host order, as posted */
	}
	if (in->wc_flags & IBV_WC_GRH)
		out->flags |= UAL_WC_WITH_GRH;
}

int ual_cq_poll(struct ual_cq *cq, struct ual_wc *wc, int max)
{
	struct ibv_wc raw[CQ_POLL_BATCH];
	int n, i, total = 0;

	while (total < max) {
		int want = max - total < CQ_POLL_BATCH ? max - total : CQ_POLL_BATCH;

		n = ibv_poll_cq(cq->cq, want, raw);
		if (n < 0)
			return total ? total : -EIO;
		for (i = 0; i < n; i++)
			convert(&raw[i], &wc[total + i]);
		total += n;
		if (n < want)
			break;
	}
	return total;
}

int ual_cq_fd(const struct ual_cq *cq)
{
	return cq->channel->fd;
}

int ual_cq_arm(struct ual_cq *cq, int solicited_only)
{
	return -ibv_req_notify_cq(cq->cq, solicited_only);
}

int ual_cq_ack_wakeup(struct ual_cq *cq)
{
	struct ibv_cq *ev_cq;
	void *ctx;
	int got = 0;

	while (!ibv_get_cq_event(cq->channel, &ev_cq, &ctx)) {
		got++;
		if (++cq->unacked >= CQ_ACK_BATCH) {
			ibv_ack_cq_events(cq->cq, cq->unacked);
			cq->unacked = 0;
		}
	}
	return got;
}

int ual_cq_wait(struct ual_cq *cq, struct ual_wc *wc, int max, int timeout_ms)
{
	struct pollfd pfd = { .fd = cq->channel->fd, .events = POLLIN };
	int n, ret;

	for (;;) {
		n = ual_cq_poll(cq, wc, max);
		if (n)
			return n;
		ret = ual_cq_arm(cq, 0);
		if (ret)
			return ret;
		/* A completion may have slipped in before the arm. */
		n = ual_cq_poll(cq, wc, max);
		if (n)
			return n;
		ret = poll(&pfd, 1, timeout_ms);
		if (ret < 0 && errno != EINTR)
			return -errno;
		if (ret == 0)
			return 0;
		ual_cq_ack_wakeup(cq);
	}
}
