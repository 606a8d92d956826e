// SPDX-License-Identifier: BSD-2-Clause
/*
 * async.c - routing of asynchronous device events to their owners.
 *
 * The device's async fd is non-blocking and sits in the epoll set of every
 * event queue of the device; whichever queue makes progress first reads
 * the events (under the device's async lock) and hands each one to the
 * queue of the object it concerns.  No thread is needed.
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

#include <string.h>

#include "ual_internal.h"

static void push_to(struct ual_eq *eq, enum ual_event_type type,
		    const struct ibv_async_event *ae, void *context,
		    struct ual_ep *ep, struct ual_srq *srq)
{
	struct ual_event_node *n = ual_event_alloc(type);

	if (!n)
		return;
	n->ev.status = ae->event_type;
	n->ev.context = context;
	n->ev.ep = ep;
	n->ev.srq = srq;
	ual_eq_push(eq, n);
}

static void broadcast(struct ual_device *dev, enum ual_event_type type,
		      const struct ibv_async_event *ae)
{
	struct ual_list *l;

	pthread_mutex_lock(&dev->lock);
	for (l = dev->eqs.next; l != &dev->eqs; l = l->next) {
		struct ual_eq *eq = ual_container_of(l, struct ual_eq, dev_link);
		struct ual_event_node *n = ual_event_alloc(type);

		if (!n)
			continue;
		n->ev.status = ae->event_type;
		n->ev.context = eq->context;
		if (type == UAL_EVENT_PORT_DOWN || type == UAL_EVENT_PORT_UP)
			n->ev.port_num = (uint8_t)ae->element.port_num;
		ual_eq_push(eq, n);
	}
	pthread_mutex_unlock(&dev->lock);
}

static bool qp_event_is_fatal(enum ibv_event_type t)
{
	return t == IBV_EVENT_QP_FATAL || t == IBV_EVENT_QP_REQ_ERR ||
	       t == IBV_EVENT_QP_ACCESS_ERR;
}

static void route_qp_event(const struct ibv_async_event *ae)
{
	struct ual_ep *ep = ae->element.qp->qp_context;
	struct ual_eq *eq;

	if (!ep || !qp_event_is_fatal(ae->event_type))
		return;	/* COMM_EST, LAST_WQE, SQ_DRAINED: nothing owed */
	eq = ep->eq;
	push_to(eq, UAL_EVENT_EP_ERROR, ae, ep->context, ep, NULL);
	pthread_mutex_lock(&eq->lock);
	if (ual_list_empty(&ep->fatal_link)) {
		ep->fatal_what = ae->event_type;
		ual_list_add(&eq->fatal, &ep->fatal_link);
	}
	pthread_mutex_unlock(&eq->lock);
}

static void route_srq_event(struct ual_device *dev,
			    const struct ibv_async_event *ae)
{
	struct ual_srq *srq = ae->element.srq->srq_context;
	enum ual_event_type type = ae->event_type == IBV_EVENT_SRQ_LIMIT_REACHED
					   ? UAL_EVENT_SRQ_LIMIT
					   : UAL_EVENT_SRQ_ERROR;

	if (!srq || !srq->eq)
		return;
	push_to(srq->eq, type, ae, srq->context, NULL, srq);
	(void)dev;
}

static void route_cq_event(struct ual_device *dev,
			   const struct ibv_async_event *ae)
{
	struct ual_cq *cq = ae->element.cq->cq_context;
	struct ual_event_node *n;
	struct ual_eq *eq;

	/* A CQ has no queue of its own: tell the device's first queue. */
	pthread_mutex_lock(&dev->lock);
	if (!ual_list_empty(&dev->eqs)) {
		eq = ual_container_of(dev->eqs.next, struct ual_eq, dev_link);
		n = ual_event_alloc(UAL_EVENT_CQ_ERROR);
		if (n) {
			n->ev.cq = cq;
			n->ev.context = cq ? cq->context : NULL;
			n->ev.status = ae->event_type;
			ual_eq_push(eq, n);
		}
	}
	pthread_mutex_unlock(&dev->lock);
}

static void route(struct ual_device *dev, const struct ibv_async_event *ae)
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
		route_cq_event(dev, ae);
		break;
	case IBV_EVENT_SRQ_ERR:
	case IBV_EVENT_SRQ_LIMIT_REACHED:
		route_srq_event(dev, ae);
		break;
	case IBV_EVENT_PORT_ERR:
		broadcast(dev, UAL_EVENT_PORT_DOWN, ae);
		break;
	case IBV_EVENT_PORT_ACTIVE:
		broadcast(dev, UAL_EVENT_PORT_UP, ae);
		break;
	case IBV_EVENT_DEVICE_FATAL:
		ual_device_lost(dev, ual_dev_loss_from_async(ae->event_type));
		break;
	default:
		break;	/* LID/PKEY/GID/SM changes: not the consumer's business */
	}
}

void ual_async_drain(struct ual_device *dev)
{
	struct ibv_async_event ae;
	struct rdma_cm_event *cm;
	enum ual_dev_loss loss;

	if (pthread_mutex_trylock(&dev->async_lock))
		return;	/* another queue is on it */
	while (!ibv_get_async_event(dev->verbs, &ae)) {
		route(dev, &ae);
		ibv_ack_async_event(&ae);
	}
	while (!rdma_get_cm_event(dev->watch_channel, &cm)) {
		loss = ual_dev_loss_from_cm(cm->event);
		rdma_ack_cm_event(cm);
		if (loss != UAL_LOSS_NONE)
			ual_device_lost(dev, loss);
	}
	pthread_mutex_unlock(&dev->async_lock);
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
