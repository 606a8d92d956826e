// SPDX-License-Identifier: BSD-2-Clause
/*
 * ep.c - endpoints: a QP together with the rdma_cm_id that names it.
 *
 * The QP is created with plain verbs and lent to a cm id (id->qp), the way
 * librdmacm expects it, so that the same QP can move to another id: onto
 * the request's id when accepting, or onto a fresh id when a connect is
 * retried.  The endpoint's own id is bound to a local address at creation
 * so the device (and the QP's port and P_Key) are fixed from the start.
 */
#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ual_internal.h"

#define EP_DEFAULT_WR 16
#define EP_DEFAULT_SGE 4

static uint32_t cap(uint32_t want, uint32_t dflt, uint32_t max)
{
	if (!want)
		want = dflt;
	return want > max ? max : want;
}

int ual_ep_bind_id(struct ual_ep *ep, struct rdma_cm_id **out,
		   struct ual_error *err)
{
	enum rdma_port_space ps = ep->type == UAL_EP_UD ? RDMA_PS_UDP
							: RDMA_PS_TCP;
	struct sockaddr *local = (struct sockaddr *)&ep->local;
	struct rdma_cm_id *id;
	int errnum;

	if (rdma_create_id(ep->eq->channel, &id, ep, ps))
		return ual_err_set(err, errno, "rdma_create_id", NULL);
	ual_sockaddr_set_port(local, 0);
	if (rdma_bind_addr(id, local)) {
		errnum = errno;
		rdma_destroy_id(id);
		ual_err_set(err, errnum, "rdma_bind_addr", NULL);
		ual_err_context(err, ep->dev->attr.name, local);
		return -errnum;
	}
	if (id->verbs != ep->dev->verbs) {
		rdma_destroy_id(id);
		ual_err_set(err, EXDEV, "rdma_bind_addr",
			    "the local address belongs to another RDMA device than %s",
			    ep->dev->attr.name);
		ual_err_context(err, ep->dev->attr.name, local);
		return -EXDEV;
	}
	*out = id;
	return 0;
}

static int qp_to_init(struct ibv_qp *qp, struct rdma_cm_id *id)
{
	struct ibv_qp_attr a;
	int mask;

	memset(&a, 0, sizeof(a));
	a.qp_state = IBV_QPS_INIT;
	if (rdma_init_qp_attr(id, &a, &mask))
		return -errno;
	return -ibv_modify_qp(qp, &a, mask);
}

/* UD QPs need no peer: bring them all the way to RTS now. */
static int ud_qp_to_rts(struct ibv_qp *qp, struct rdma_cm_id *id)
{
	struct ibv_qp_attr a;
	int ret = qp_to_init(qp, id);

	if (ret)
		return ret;
	memset(&a, 0, sizeof(a));
	a.qp_state = IBV_QPS_RTR;
	ret = ibv_modify_qp(qp, &a, IBV_QP_STATE);
	if (ret)
		return -ret;
	a.qp_state = IBV_QPS_RTS;
	a.sq_psn = 0;
	return -ibv_modify_qp(qp, &a, IBV_QP_STATE | IBV_QP_SQ_PSN);
}

/* Moves the QP onto @id: after a failed attempt the QP is reset first. */
int ual_ep_reset_qp(struct ual_ep *ep, struct rdma_cm_id *id)
{
	struct ibv_qp_attr a = { .qp_state = IBV_QPS_RESET };

	if (ep->connect_sent && ibv_modify_qp(ep->qp, &a, IBV_QP_STATE))
		return -errno;
	id->qp = ep->qp;
	if (!ep->connect_sent)
		return 0;
	ep->connect_sent = false;
	return qp_to_init(ep->qp, id);
}

static void fill_qp_attr(struct ual_ep *ep, const struct ual_ep_attr *attr)
{
	const struct ual_device_attr *da = &ep->dev->attr;
	struct ibv_qp_init_attr *qa = &ep->qp_attr;

	memset(qa, 0, sizeof(*qa));
	qa->qp_context = ep;
	qa->send_cq = attr->send_cq->cq;
	qa->recv_cq = attr->recv_cq->cq;
	qa->srq = attr->srq ? attr->srq->srq : NULL;
	qa->qp_type = attr->type == UAL_EP_UD ? IBV_QPT_UD : IBV_QPT_RC;
	qa->cap.max_send_wr = cap(attr->max_send_wr, EP_DEFAULT_WR, da->max_qp_wr);
	qa->cap.max_send_sge = cap(attr->max_send_sge, EP_DEFAULT_SGE, da->max_sge);
	/* With an SRQ the QP has no receive queue of its own: depth 0. */
	if (!attr->srq && !(attr->flags & UAL_EP_ZERO_RECV)) {
		qa->cap.max_recv_wr = cap(attr->max_recv_wr, EP_DEFAULT_WR, da->max_qp_wr);
		qa->cap.max_recv_sge = cap(attr->max_recv_sge, EP_DEFAULT_SGE, da->max_sge);
	}
	ep->inline_off = attr->flags & UAL_EP_ZERO_INLINE;
	if (!ep->inline_off)
		qa->cap.max_inline_data = cap(attr->max_inline, da->max_inline,
					      da->max_inline);
	/* UD has no RDMA reads. */
	if (attr->type == UAL_EP_RC) {
		ep->want_out = ual_read_depth_want(attr->max_rdma_read_out,
						   attr->flags & UAL_EP_ZERO_READ_OUT,
						   da->max_rd_atomic);
		ep->want_in = ual_read_depth_want(attr->max_rdma_read_in,
						  attr->flags & UAL_EP_ZERO_READ_IN,
						  da->max_dest_rd_atomic);
	}
	ep->read_out = ep->want_out;
	ep->read_in = ep->want_in;
}

static int check_attr(struct ual_device *dev, const struct ual_ep_attr *attr,
		      struct ual_error *err)
{
	if (!attr || !attr->send_cq || !attr->recv_cq)
		return ual_err_set(err, EINVAL, "ual_ep_create",
				   "an endpoint needs a send CQ and a receive CQ");
	if (attr->type == UAL_EP_UD && !(dev->attr.caps & UAL_CAP_UD))
		return ual_err_set(err, EOPNOTSUPP, "ual_ep_create",
				   "UD endpoints are not supported by device %s (%s)",
				   dev->attr.name,
				   ual_transport_name(dev->attr.transport));
	return 0;
}

static int ep_create_qp(struct ual_ep *ep, struct ual_error *err)
{
	struct ibv_qp_cap *c = &ep->qp_attr.cap;
	uint32_t sq = 0, rq = 0;
	int ret;

	if (ep->dev->siw) {
		sq = ual_siw_sq_pages(c->max_send_wr, ep->dev->page_size);
		rq = ual_siw_rq_pages(c->max_recv_wr, ep->dev->page_size);
	}
	/* Some providers (libsiw) fail without touching errno. */
	errno = 0;
	ep->qp = ibv_create_qp(ep->dev->pd, &ep->qp_attr);
	if (!ep->qp) {
		if (!errno)
			return ual_device_no_errno(ep->dev, "ibv_create_qp", "QP",
						   sq, rq, err);
		ret = errno;
		/* siw, for one, wants a receive queue or an SRQ. */
		if (!ep->qp_attr.srq && !c->max_recv_wr) {
			ual_err_set(err, ret, "ibv_create_qp",
				    "device %s refused a QP without a receive queue (UAL_EP_ZERO_RECV and no SRQ): give the endpoint an SRQ or a receive depth",
				    ep->dev->attr.name);
			ual_err_context(err, ep->dev->attr.name, NULL);
			return -ret;
		}
		ual_err_set(err, ret, "ibv_create_qp",
			    "send %u x %u SGE, recv %u x %u SGE, inline %u (device max %u WRs, %u SGEs)",
			    c->max_send_wr, c->max_send_sge, c->max_recv_wr,
			    c->max_recv_sge, c->max_inline_data,
			    ep->dev->attr.max_qp_wr, ep->dev->attr.max_sge);
		ual_device_queue_memlock(ep->dev, ret, "a QP",
					 c->max_send_wr + c->max_recv_wr, err);
		ual_err_context(err, ep->dev->attr.name, NULL);
		return -ret;
	}
	ep->siw_pages = sq + rq;
	ual_device_siw_account(ep->dev, true, (int)ep->siw_pages);
	/* Providers may round 0 up (rxe: 16); "off" means off. */
	ep->max_inline = ep->inline_off ? 0 : ep->qp_attr.cap.max_inline_data;
	ep->id->qp = ep->qp;
	ret = ep->type == UAL_EP_UD ? ud_qp_to_rts(ep->qp, ep->id)
				    : qp_to_init(ep->qp, ep->id);
	if (ret)
		return ual_err_set(err, ret, "ibv_modify_qp",
				   "moving the new QP to its initial state");
	return ual_device_qp_insert(ep->dev, ep);
}

/*
 * iWARP: a QP that has carried a connection cannot carry another (siw
 * refuses the next accept with EINVAL after RESET -> INIT), so a reset
 * gives the endpoint a new QP with the same attributes, at INIT on @id.
 * The old QP goes only once the new one exists: on failure nothing has
 * changed.  The caller destroys the old cm id.
 */
int ual_ep_renew_qp(struct ual_ep *ep, struct rdma_cm_id *id,
		    struct ual_error *err)
{
	struct rdma_cm_id *old_id = ep->id;
	struct ibv_qp *old_qp = ep->qp;
	uint32_t old_pages = ep->siw_pages;
	int ret;

	ual_device_qp_remove(ep->dev, ep);
	ep->id = id;
	ret = ep_create_qp(ep, err);
	if (ret) {
		if (ep->qp && ep->qp != old_qp && !ibv_destroy_qp(ep->qp))
			ual_device_siw_account(ep->dev, true, -(int)ep->siw_pages);
		id->qp = NULL;
		ep->id = old_id;
		ep->qp = old_qp;
		ep->siw_pages = old_pages;
		ep->max_inline = ep->qp_attr.cap.max_inline_data;
		ual_device_qp_insert(ep->dev, ep);
		return ret;
	}
	old_id->qp = NULL;
	if (!ibv_destroy_qp(old_qp))
		ual_device_siw_account(ep->dev, true, -(int)old_pages);
	ep->connect_sent = false;
	return 0;
}

int ual_ep_create(struct ual_device *dev, struct ual_eq *eq,
		  const struct ual_ep_attr *attr, void *context,
		  struct ual_ep **out, struct ual_error *err)
{
	struct ual_ep *ep;
	int ret;

	ret = check_attr(dev, attr, err);
	if (!ret && ual_eq_attach(eq, dev->hca))
		ret = ual_err_set(err, ENOMEM, "ual_eq_attach",
				  "adding the async fd of %s to the endpoint's queue",
				  dev->attr.name);
	if (ret)
		return ret;
	ep = calloc(1, sizeof(*ep));
	if (!ep)
		return ual_err_set(err, ENOMEM, "calloc", NULL);
	ep->kind = UAL_OWNER_EP;
	ep->dev = dev;
	ep->eq = eq;
	ep->context = context;
	ep->type = attr->type;
	ual_list_init(&ep->fatal_link);
	ual_list_init(&ep->retry_timer.link);
	ual_list_init(&ep->deadline.link);
	ual_list_init(&ep->disc_timer.link);
	ep->retry_timer.fire = ual_ep_retry_fire;
	ep->deadline.fire = ual_ep_deadline_fire;
	ep->disc_timer.fire = ual_ep_disc_fire;
	if (attr->local_addr)
		memcpy(&ep->local, attr->local_addr,
		       ual_sockaddr_len(attr->local_addr));
	else
		ep->local = dev->addr;
	fill_qp_attr(ep, attr);
	ret = ual_ep_bind_id(ep, &ep->id, err);
	if (ret)
		goto err_free;
	ret = ep_create_qp(ep, err);
	if (ret)
		goto err_id;
	ual_device_get(dev);
	*out = ep;
	return 0;

err_id:
	if (ep->qp && !ibv_destroy_qp(ep->qp))
		ual_device_siw_account(dev, true, -(int)ep->siw_pages);
	ep->id->qp = NULL;
	rdma_destroy_id(ep->id);
err_free:
	free(ep);
	return ret;
}

int ual_ep_destroy(struct ual_ep *ep, struct ual_error *err)
{
	struct ual_eq *eq;
	int ret;

	if (!ep)
		return 0;
	eq = ep->eq;
	pthread_mutex_lock(&eq->progress);
	if (ep->id && (ep->state == UAL_EP_CONNECTED ||
		       ep->state == UAL_EP_ACCEPTING))
		rdma_disconnect(ep->id);
	ual_timer_cancel(eq, &ep->retry_timer);
	ual_timer_cancel(eq, &ep->deadline);
	ual_timer_cancel(eq, &ep->disc_timer);
	/*
	 * Out of the QP table first: a device loss parks the endpoints it
	 * finds there on their queue's fatal list, which is emptied next.
	 */
	ual_device_qp_remove(ep->dev, ep);
	pthread_mutex_lock(&eq->lock);
	if (!ual_list_empty(&ep->fatal_link))
		ual_list_del(&ep->fatal_link);
	pthread_mutex_unlock(&eq->lock);
	if (ep->id) {
		ep->id->qp = NULL;
		rdma_destroy_id(ep->id);
	}
	pthread_mutex_unlock(&eq->progress);
	ret = ibv_destroy_qp(ep->qp);
	if (!ret)
		ual_device_siw_account(ep->dev, true, -(int)ep->siw_pages);
	ual_eq_forget(eq, ep);
	ual_device_put(ep->dev);
	free(ep);
	if (ret)
		return ual_err_set(err, ret, "ibv_destroy_qp", NULL);
	return 0;
}

enum ual_ep_state ual_ep_get_state(const struct ual_ep *ep)
{
	return __atomic_load_n(&ep->state, __ATOMIC_ACQUIRE);
}

void *ual_ep_context(const struct ual_ep *ep)
{
	return ep->context;
}

uint32_t ual_ep_qp_num(const struct ual_ep *ep)
{
	return ep->qp->qp_num;
}

uint32_t ual_ep_max_inline(const struct ual_ep *ep)
{
	return ep->max_inline;
}

int ual_ep_addresses(const struct ual_ep *ep, struct sockaddr_storage *local,
		     struct sockaddr_storage *remote)
{
	struct sockaddr *sa;

	if (!ep->id)
		return -ENOTCONN;
	if (local) {
		sa = rdma_get_local_addr(ep->id);
		memset(local, 0, sizeof(*local));
		memcpy(local, sa, ual_sockaddr_len(sa));
	}
	if (remote) {
		sa = rdma_get_peer_addr(ep->id);
		memset(remote, 0, sizeof(*remote));
		memcpy(remote, sa, ual_sockaddr_len(sa));
	}
	return 0;
}
