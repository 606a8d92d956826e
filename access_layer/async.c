// SPDX-License-Identifier: BSD-2-Clause
/*
 * async.c - routing of asynchronous device events to their owners.
 *
 * The device's async fd is non-blocking and sits in the epoll set of every
 * event queue attached to the device (created for one of its scopes, or
 * holding one of its objects); whichever queue makes progress first
 * reads the events (under the device's async lock) and hands each one to
 * its destination: the scope's affiliated or unaffiliated queue when the
 * consumer set one (ual_device_set_async), else the object's own queue.
 * No thread is needed.
 *
 * A fatal QP error must also move the endpoint's state machine, which
 * belongs to the endpoint's own queue: the endpoint is parked on that
 * queue's "fatal" list and the queue finishes the job in its progress.
 *
 * The device's removal watch (device.c) is drained here too, so that a
 * removal reaches every queue of the device even when no endpoint or
 * listener of the consumer is there to hear rdma_cm's event.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "ual_internal.h"

static struct ual_event_node *async_event(enum ual_event_type type,
					  const struct ibv_async_event *ae,
					  void *context)
{
	struct ual_event_node *n = ual_event_alloc(type);

	if (n) {
		n->ev.status = ae->event_type;
		n->ev.context = context;
	}
	return n;
}

/* Queues an affiliated event of @dev's object on its destination. */
static void push_affiliated(struct ual_device *dev, struct ual_eq *own,
			    struct ual_event_node *n)
{
	struct ual_eq *eq;

	pthread_mutex_lock(&dev->hca->lock);
	eq = ual_scope_affiliated_eq(dev, own);
	if (eq)
		ual_eq_push(eq, n);
	else
		free(n);	/* the consumer made no queue at all */
	pthread_mutex_unlock(&dev->hca->lock);
}

struct port_note {
	const struct ibv_async_event *ae;
	enum ual_event_type type;
};

static bool on_port(const struct ual_device *dev, const void *arg)
{
	const struct port_note *pn = arg;

	return dev->attr.port_num == pn->ae->element.port_num;
}

static struct ual_event_node *port_event(struct ual_eq *eq, const void *arg)
{
	const struct port_note *pn = arg;
	struct ual_event_node *n = async_event(pn->type, pn->ae, eq->context);

	if (n)
		n->ev.port_num = (uint8_t)pn->ae->element.port_num;
	return n;
}

static void route_port_event(struct ual_hca *hca, enum ual_event_type type,
			     const struct ibv_async_event *ae)
{
	struct port_note pn = { ae, type };

	pthread_mutex_lock(&hca->lock);
	ual_scopes_broadcast(hca, on_port, port_event, &pn);
	pthread_mutex_unlock(&hca->lock);
}

static bool qp_event_is_fatal(enum ibv_event_type t)
{
	return t == IBV_EVENT_QP_FATAL || t == IBV_EVENT_QP_REQ_ERR ||
	       t == IBV_EVENT_QP_ACCESS_ERR;
}

static void push_ep_event(struct ual_ep *ep, enum ual_event_type type,
			  const struct ibv_async_event *ae)
{
	struct ual_event_node *n = async_event(type, ae, ep->context);

	if (n) {
		n->ev.ep = ep;
		push_affiliated(ep->dev, ep->eq, n);
	}
}

/*
 * EP_LAST_WQE, once per connection of an endpoint on an SRQ: a QP on an
 * SRQ that went to the error state (a disconnect as well as a failure)
 * takes no more receives from it, and consumers wait for that before
 * they free the endpoint.  Hardware reports verbs' LAST_WQE_REACHED; rxe
 * and siw (Linux 6.1) never do, so cm.c also tells it when a connection
 * ends.  Whichever comes first is queued; the other is dropped.
 */
void ual_ep_tell_last_wqe(struct ual_ep *ep)
{
	struct ual_event_node *n;

	if (__atomic_exchange_n(&ep->last_wqe_told, true, __ATOMIC_ACQ_REL))
		return;
	n = ual_event_alloc(UAL_EVENT_EP_LAST_WQE);
	if (!n)
		return;
	n->ev.status = IBV_EVENT_QP_LAST_WQE_REACHED;
	n->ev.context = ep->context;
	n->ev.ep = ep;
	push_affiliated(ep->dev, ep->eq, n);
}

/*
 * The consumer hears of the error on the affiliated destination; the
 * endpoint's own queue, which owns its state machine, turns it into
 * CONN_BROKEN.  LAST_WQE_REACHED moves nothing: it is only passed on.
 */
static void route_qp_event(const struct ibv_async_event *ae)
{
	struct ual_ep *ep = ae->element.qp->qp_context;
	struct ual_eq *eq;

	if (!ep)
		return;
	if (ae->event_type == IBV_EVENT_QP_LAST_WQE_REACHED) {
		ual_ep_tell_last_wqe(ep);
		return;
	}
	if (!qp_event_is_fatal(ae->event_type))
		return;	/* COMM_EST, SQ_DRAINED, path migration: nothing owed */
	push_ep_event(ep, UAL_EVENT_EP_ERROR, ae);
	eq = ep->eq;
	pthread_mutex_lock(&eq->lock);
	if (ual_list_empty(&ep->fatal_link)) {
		ep->fatal_what = ae->event_type;
		ual_list_add(&eq->fatal, &ep->fatal_link);
	}
	pthread_mutex_unlock(&eq->lock);
	ual_eq_wake(eq);
}

static void route_srq_event(const struct ibv_async_event *ae)
{
	struct ual_srq *srq = ae->element.srq->srq_context;
	enum ual_event_type type = ae->event_type == IBV_EVENT_SRQ_LIMIT_REACHED
					   ? UAL_EVENT_SRQ_LIMIT
					   : UAL_EVENT_SRQ_ERROR;
	struct ual_event_node *n;

	if (!srq)
		return;
	n = async_event(type, ae, srq->context);
	if (!n)
		return;
	n->ev.srq = srq;
	push_affiliated(srq->dev, srq->eq, n);
}

static void route_cq_event(const struct ibv_async_event *ae)
{
	struct ual_cq *cq = ae->element.cq->cq_context;
	struct ual_event_node *n;

	if (!cq)
		return;
	n = async_event(UAL_EVENT_CQ_ERROR, ae, cq->context);
	if (!n)
		return;
	n->ev.cq = cq;
	push_affiliated(cq->dev, NULL, n);
}

static void route(struct ual_hca *hca, const struct ibv_async_event *ae)
{
	switch (ae->event_type) {
	case IBV_EVENT_QP_FATAL:
	case IBV_EVENT_QP_REQ_ERR:
	case IBV_EVENT_QP_ACCESS_ERR:
	case IBV_EVENT_COMM_EST:
	case IBV_EVENT_SQ_DRAINED:
	case IBV_EVENT_PATH_MIG:
	case IBV_EVENT_PATH_MIG_ERR:
	case IBV_EVENT_QP_LAST_WQE_REACHED:
		route_qp_event(ae);
		break;
	case IBV_EVENT_CQ_ERR:
		route_cq_event(ae);
		break;
	case IBV_EVENT_SRQ_ERR:
	case IBV_EVENT_SRQ_LIMIT_REACHED:
		route_srq_event(ae);
		break;
	case IBV_EVENT_PORT_ERR:
		route_port_event(hca, UAL_EVENT_PORT_DOWN, ae);
		break;
	case IBV_EVENT_PORT_ACTIVE:
		route_port_event(hca, UAL_EVENT_PORT_UP, ae);
		break;
	case IBV_EVENT_DEVICE_FATAL:
		ual_device_lost(hca, ual_dev_loss_from_async(ae->event_type));
		break;
	default:
		break;	/* LID/PKEY/GID/SM changes: not the consumer's business */
	}
}

void ual_async_drain(struct ual_hca *hca)
{
	struct ibv_async_event ae;
	struct rdma_cm_event *cm;
	enum ual_dev_loss loss;

	if (pthread_mutex_trylock(&hca->async_lock))
		return;	/* another queue is on it */
	while (!ibv_get_async_event(hca->verbs, &ae)) {
		route(hca, &ae);
		ibv_ack_async_event(&ae);
	}
	while (!rdma_get_cm_event(hca->watch_channel, &cm)) {
		loss = ual_dev_loss_from_cm(cm->event);
		rdma_ack_cm_event(cm);
		if (loss != UAL_LOSS_NONE)
			ual_device_lost(hca, loss);
	}
	pthread_mutex_unlock(&hca->async_lock);
}

void ual_eq_run_fatal(struct ual_eq *eq)
{
	struct ual_ep *ep;

	for (;;) {
		pthread_mutex_lock(&eq->lock);
		if (ual_list_empty(&eq->fatal)) {
			pthread_mutex_unlock(&eq->lock);
			return;
		}
		ep = ual_container_of(eq->fatal.next, struct ual_ep, fatal_link);
		ual_list_del(&ep->fatal_link);
		pthread_mutex_unlock(&eq->lock);
		ual_ep_qp_fatal(ep, ep->fatal_what);
	}
}
