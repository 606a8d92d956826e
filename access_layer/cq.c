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
		ual_device_queue_memlock(dev, errnum, "a CQ", (uint32_t)depth, err);
		goto err_channel;
	}
	ual_device_siw_account(dev, false, (int)cq->siw_pages);
	ual_device_get(dev);
	cq->flag_map = ual_device_is_rxe(dev) ? ual_wc_flag_map_rxe :
						ual_wc_flag_map;
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
	/* No waiter may run now (contract), so a plain read is enough. */
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

int ual_cq_poll(struct ual_cq *cq, struct ual_wc *wc, int max)
{
	struct ibv_wc raw[CQ_POLL_BATCH];
	const uint8_t *flag_map = cq->flag_map;
	int n, i, total = 0;

	while (total < max) {
		int want = max - total < CQ_POLL_BATCH ? max - total : CQ_POLL_BATCH;

		n = ibv_poll_cq(cq->cq, want, raw);
		if (n < 0)
			return total ? total : -EIO;
		for (i = 0; i < n; i++)
			ual_wc_from_ibv(&raw[i], &wc[total + i], flag_map);
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

/*
 * Counts one wake-up read from the channel and acknowledges a batch.
 * Several threads may wait on one CQ, so the count is atomic: with a
 * plain ++ two threads could both read 5 and store 6, one event would
 * never be acknowledged and ibv_destroy_cq would wait for it forever.
 * The thread whose increment reaches the batch takes the whole batch
 * away with a compare-and-swap, so no event is acknowledged twice.
 */
static void ack_one(struct ual_cq *cq)
{
	unsigned int n = __atomic_add_fetch(&cq->unacked, 1, __ATOMIC_RELAXED);

	while (n >= CQ_ACK_BATCH) {
		if (__atomic_compare_exchange_n(&cq->unacked, &n, 0, false,
						__ATOMIC_RELAXED,
						__ATOMIC_RELAXED)) {
			ibv_ack_cq_events(cq->cq, n);
			return;
		}
	}
}

int ual_cq_ack_wakeup(struct ual_cq *cq)
{
	struct ibv_cq *ev_cq;
	void *ctx;
	int got = 0;

	while (!ibv_get_cq_event(cq->channel, &ev_cq, &ctx)) {
		got++;
		ack_one(cq);
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

int ual_cq_depth(const struct ual_cq *cq)
{
	return cq->cq->cqe;
}

int ual_cq_resize(struct ual_cq *cq, int depth, struct ual_error *err)
{
	struct ual_device *dev = cq->dev;
	int ret;

	if (depth < 1 || (uint32_t)depth > dev->attr.max_cqe)
		return ual_err_set(err, EINVAL, "ibv_resize_cq",
				   "%d entries asked; the device allows 1 to %u",
				   depth, dev->attr.max_cqe);
	ret = ibv_resize_cq(cq->cq, depth);
	if (ret == EOPNOTSUPP || ret == ENOSYS) {
		ual_err_set(err, EOPNOTSUPP, "ibv_resize_cq",
			    "device %s (%s) cannot resize a completion queue: create a new CQ of %d entries for new endpoints",
			    dev->attr.name, ual_transport_name(dev->attr.transport),
			    depth);
		return -EOPNOTSUPP;
	}
	if (ret) {
		ual_err_set(err, ret, "ibv_resize_cq",
			    "%d entries (now %d; fewer than the completions still queued is refused)",
			    depth, cq->cq->cqe);
		ual_device_queue_memlock(dev, ret, "a CQ", (uint32_t)depth, err);
		ual_err_context(err, dev->attr.name, NULL);
		return -ret;
	}
	return 0;
}
