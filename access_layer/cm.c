// SPDX-License-Identifier: BSD-2-Clause
/*
 * cm.c - connections over rdma_cm: connect, accept, reject, disconnect,
 * and the execution of the state machine's decisions (conn_state.c).
 *
 * Every function here that touches an endpoint's cm id runs under the
 * progress lock of the endpoint's event queue, so CM events, timers and
 * consumer calls never race on one connection.
 */
#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ual_internal.h"

struct cm_input {
	enum ual_conn_input in;
	int status;
	const struct rdma_cm_event *cm;	/* NULL for synthetic inputs */
	const char *step;		/* failing call for the error */
	enum ibv_event_type qp_event;	/* UAL_IN_QP_FATAL: what verbs said */
};

static void ep_apply(struct ual_ep *ep, const struct cm_input *ci);

/* Private data must be there if it has a length. */
static int pdata_check(const void *pdata, uint32_t len, const char *step,
		       struct ual_error *err)
{
	if (len && !pdata)
		return ual_err_set(err, EINVAL, step,
				   "private data is NULL but its length is %u", len);
	return 0;
}

static uint32_t resolve_ms(const struct ual_ep *ep)
{
	return ep->opts.resolve_timeout_ms ? ep->opts.resolve_timeout_ms
					   : UAL_DEFAULT_RESOLVE_MS;
}

static void apply_sync_failure(struct ual_ep *ep, enum ual_conn_input in,
			       int errnum, const char *step)
{
	struct cm_input ci = { .in = in, .status = -errnum, .step = step };

	ep_apply(ep, &ci);
}

static void start_resolve(struct ual_ep *ep)
{
	if (rdma_resolve_addr(ep->id, NULL, (struct sockaddr *)&ep->remote,
			      (int)resolve_ms(ep)))
		apply_sync_failure(ep, UAL_IN_ADDR_ERROR, errno,
				   "rdma_resolve_addr");
}

static void do_resolve_route(struct ual_ep *ep)
{
	if (rdma_resolve_route(ep->id, (int)resolve_ms(ep)))
		apply_sync_failure(ep, UAL_IN_ROUTE_ERROR, errno,
				   "rdma_resolve_route");
}

static void do_connect(struct ual_ep *ep)
{
	struct rdma_conn_param p = { 0 };
	int errnum;

	if (ep->opts.ack_timeout)
		rdma_set_option(ep->id, RDMA_OPTION_ID,
				RDMA_OPTION_ID_ACK_TIMEOUT,
				&ep->opts.ack_timeout,
				sizeof(ep->opts.ack_timeout));
	p.private_data = ep->pdata_len ? ep->pdata : NULL;
	p.private_data_len = (uint8_t)ep->pdata_len;	/* checked <= limit */
	/* The endpoint's depths, already capped to the device (OFA does so). */
	p.responder_resources = ep->want_in;
	p.initiator_depth = ep->want_out;
	p.flow_control = 1;
	p.retry_count = ep->opts.transport_retries ? ep->opts.transport_retries : 7;
	p.rnr_retry_count = ep->opts.rnr_retries ? ep->opts.rnr_retries : 7;
	if (p.retry_count > 7)
		p.retry_count = 7;
	if (p.rnr_retry_count > 7)
		p.rnr_retry_count = 7;
	ep->connect_sent = true;
	if (!rdma_connect(ep->id, &p))
		return;
	errnum = errno;
	apply_sync_failure(ep, errnum == ECONNREFUSED ? UAL_IN_CONNECT_REFUSED
						      : UAL_IN_CONNECT_ERROR,
			   errnum, "rdma_connect");
}

/* Gives the endpoint a fresh, bound cm id (the old attempt is abandoned). */
static int ep_replace_id(struct ual_ep *ep, struct ual_error *err)
{
	struct rdma_cm_id *fresh, *old = ep->id;
	int ret;

	ret = ual_ep_bind_id(ep, &fresh, err);
	if (ret)
		return ret;
	if (old)
		old->qp = NULL;
	ret = ual_ep_reset_qp(ep, fresh);
	if (old)
		rdma_destroy_id(old);
	ep->id = fresh;
	if (ret)
		return ual_err_set(err, ret, "ibv_modify_qp",
				   "resetting the QP for a new attempt");
	return 0;
}

void ual_ep_retry_fire(struct ual_timer *t)
{
	struct ual_ep *ep = ual_container_of(t, struct ual_ep, retry_timer);
	struct cm_input ci = { .in = UAL_IN_RETRY_TIMER };

	ep_apply(ep, &ci);
}

/*
 * Gives up the cm id without touching the QP: an abandoned attempt or a
 * disconnect the peer never answered.  The fresh id keeps the endpoint
 * bound (and its QP lent) for a later reset; if none can be had the
 * endpoint simply has no id, which destroy and reset accept.
 */
static void ep_abandon_id(struct ual_ep *ep)
{
	struct rdma_cm_id *fresh = NULL, *old = ep->id;

	if (ual_ep_bind_id(ep, &fresh, NULL))
		fresh = NULL;
	if (old) {
		old->qp = NULL;
		rdma_destroy_id(old);
	}
	if (fresh)
		fresh->qp = ep->qp;
	ep->id = fresh;
}

void ual_ep_disc_fire(struct ual_timer *t)
{
	struct ual_ep *ep = ual_container_of(t, struct ual_ep, disc_timer);
	struct cm_input ci = { .in = UAL_IN_DISCONNECT_TIMER,
			       .status = -ETIMEDOUT,
			       .step = "disconnect (no answer from the peer)" };

	ep_apply(ep, &ci);
}

void ual_ep_deadline_fire(struct ual_timer *t)
{
	struct ual_ep *ep = ual_container_of(t, struct ual_ep, deadline);
	struct cm_input ci = { .in = UAL_IN_TIMEOUT, .status = -ETIMEDOUT,
			       .step = "connect (consumer timeout)" };

	ep_apply(ep, &ci);
}

static void copy_addr(struct sockaddr_storage *dst, const struct sockaddr *sa)
{
	memset(dst, 0, sizeof(*dst));
	if (sa && (sa->sa_family == AF_INET || sa->sa_family == AF_INET6))
		memcpy(dst, sa, ual_sockaddr_len(sa));
}

static void copy_pdata(struct ual_event *ev, const void *data, uint32_t len)
{
	if (!data)
		len = 0;
	if (len > UAL_PDATA_MAX)
		len = UAL_PDATA_MAX;
	ev->private_data_len = len;
	if (len)
		memcpy(ev->private_data, data, len);
}

static void fill_error(struct ual_ep *ep, const struct cm_input *ci,
		       struct ual_event *ev)
{
	int errnum = ci->status < 0 ? -ci->status : EIO;

	switch (ev->type) {
	case UAL_EVENT_CONN_REJECTED:
		errnum = ECONNREFUSED;
		ual_err_set(&ev->error, errnum, ci->step ? ci->step : "rdma_connect",
			    ev->reject_reason == UAL_REJECT_NO_LISTENER
				    ? "nothing listens on that port"
				    : ev->reject_reason == UAL_REJECT_CONSUMER
					      ? "the peer application rejected the connection"
					      : "the peer's connection manager rejected the request");
		break;
	case UAL_EVENT_CONN_UNREACHABLE:
		if (ev->flags & UAL_EVFLAG_TIMED_OUT) {
			ual_err_set(&ev->error, ETIMEDOUT, ci->step,
				    "the consumer's timeout of %u ms expired",
				    ep->opts.timeout_ms);
			break;
		}
		ual_err_set(&ev->error, errnum,
			    ci->step ? ci->step : "connection establishment",
			    "no route, no answer or retries exhausted (%u retries configured)",
			    ep->opts.retries);
		break;
	case UAL_EVENT_CONN_DISCONNECTED:
		if (!(ev->flags & UAL_EVFLAG_TIMED_OUT))
			return;
		ual_err_set(&ev->error, ETIMEDOUT, ci->step,
			    "no answer within %u ms; finished locally, posted work flushed",
			    ual_disconnect_ms(&ep->opts));
		break;
	case UAL_EVENT_CONN_BROKEN:
		if (ci->in == UAL_IN_DEVICE_REMOVAL) {
			enum ual_dev_loss loss = ual_device_loss(ep->dev);

			ual_dev_loss_error(&ev->error,
					   loss ? loss : UAL_LOSS_REMOVED,
					   ep->dev->attr.name, "endpoint");
			break;
		}
		ual_err_set(&ev->error, errnum ? errnum : EIO,
			    "QP fatal async event",
			    "the QP reported '%s' (a receive or RDMA target outside what its memory regions allow, or a transport failure); the connection is lost; destroy the endpoint",
			    ibv_event_type_str(ci->qp_event));
		break;
	default:
		return;
	}
	ev->error.status = ci->status;
	ual_err_context(&ev->error, ep->dev->attr.name,
			(struct sockaddr *)&ep->remote);
}

static struct ual_ah *ud_make_ah(struct ual_ep *ep, const struct rdma_cm_event *cm)
{
	struct ual_ah *ah = calloc(1, sizeof(*ah));
	struct ibv_ah_attr attr = cm->param.ud.ah_attr;

	if (!ah)
		return NULL;
	ah->ah = ibv_create_ah(ep->dev->pd, &attr);
	if (!ah->ah) {
		free(ah);
		return NULL;
	}
	return ah;
}

/*
 * The read depths the QP runs with.  The passive side granted them in
 * ual_accept.  The active side asked for its own; the peer may have
 * granted less: on IB the QP was set from the REP, so ask the QP.  On
 * iWARP the connect reply reports this side's IRD as initiator_depth and
 * its ORD as responder_resources (iw_cm's ird/ord, unswapped); siw does
 * not lower the ORD to the peer's IRD, so the peer's grant is unknown
 * here: measured, see doc/access_layer.md, "Endpoint depths".
 */
static void ep_negotiated(struct ual_ep *ep, const struct rdma_cm_event *cm)
{
	struct ibv_qp_init_attr init;
	struct ibv_qp_attr a;

	if (ep->state != UAL_EP_CONNECTED || ep->accepted)
		return;
	if (ep->dev->attr.transport != UAL_TRANSPORT_IWARP &&
	    !ibv_query_qp(ep->qp, &a, IBV_QP_MAX_QP_RD_ATOMIC |
			  IBV_QP_MAX_DEST_RD_ATOMIC, &init)) {
		ep->read_out = a.max_rd_atomic;
		ep->read_in = a.max_dest_rd_atomic;
		return;
	}
	ep->read_out = ep->want_out;
	ep->read_in = ep->want_in;
	if (cm) {
		ep->read_out = ual_read_depth_grant(cm->param.conn.responder_resources,
						    ep->want_out);
		ep->read_in = ual_read_depth_grant(cm->param.conn.initiator_depth,
						   ep->want_in);
	}
}

static void deliver(struct ual_ep *ep, const struct cm_input *ci,
		    const struct ual_conn_step *st)
{
	struct ual_event_node *n = ual_event_alloc(st->deliver);
	struct ual_event *ev;

	if (!n)
		return;
	ev = &n->ev;
	ev->ep = ep;
	ev->context = ep->context;
	ev->status = ci->status;
	ev->reject_reason = st->reason;
	ev->flags = st->flags;
	if (ci->cm) {
		copy_pdata(ev, ci->cm->param.conn.private_data,
			   ci->cm->param.conn.private_data_len);
		if (ep->id) {
			copy_addr(&ev->local_addr, rdma_get_local_addr(ep->id));
			copy_addr(&ev->remote_addr, rdma_get_peer_addr(ep->id));
		}
	}
	if (ev->type == UAL_EVENT_CONN_ESTABLISHED &&
	    ep->dev->attr.transport == UAL_TRANSPORT_IWARP)
		ev->flags |= UAL_EVFLAG_ACTIVE_SENDS_FIRST;
	if (ev->type == UAL_EVENT_CONN_ESTABLISHED && ep->type == UAL_EP_RC) {
		ep_negotiated(ep, ci->cm);
		ev->initiator_depth = ep->read_out;
		ev->responder_resources = ep->read_in;
	}
	if (ev->type == UAL_EVENT_CONN_ESTABLISHED && ep->type == UAL_EP_UD) {
		ev->type = UAL_EVENT_UD_RESOLVED;
		copy_pdata(ev, ci->cm->param.ud.private_data,
			   ci->cm->param.ud.private_data_len);
		ev->ah = ud_make_ah(ep, ci->cm);
		ual_ah_attr_from_ibv(&ev->ah_attr, &ci->cm->param.ud.ah_attr);
		ev->remote_qpn = ci->cm->param.ud.qp_num;
		ev->remote_qkey = ci->cm->param.ud.qkey;
		ep->state = UAL_EP_IDLE;	/* ready for another peer */
	}
	fill_error(ep, ci, ev);
	ual_eq_push(ep->eq, n);
}

/*
 * The device is gone: nothing will ever complete the work posted to the
 * QP (soft devices keep the QP alive until user space lets go, but its
 * peer and its cm id are gone).  In the error state the provider flushes
 * what is queued and what is posted later, so no consumer waits forever.
 */
static void ep_flush_qp(struct ual_ep *ep)
{
	struct ibv_qp_attr a = { .qp_state = IBV_QPS_ERR };

	ibv_modify_qp(ep->qp, &a, IBV_QP_STATE);
}

/*
 * A failed RC attempt: the QP goes to the error state so that receives
 * posted before the connect complete FLUSHED before any reset (rdma_cm
 * does this itself only on an IB reject; a reset of a QP in INIT
 * discards them silently on rxe).  connect_sent tells the next reset
 * that the QP left its initial state.
 */
static void ep_fail_qp(struct ual_ep *ep)
{
	if (ep->type != UAL_EP_RC)
		return;
	ep_flush_qp(ep);
	ep->connect_sent = true;
}

/*
 * Before a retry.  iWARP is different: a retried attempt never reached
 * the QP (nothing listening is a refused TCP connect), the QP is still
 * idle with its receives, and siw has no way back from the error state,
 * so the QP is left alone and the receives are kept.
 */
static void ep_retry_qp(struct ual_ep *ep)
{
	if (ep->dev->attr.transport != UAL_TRANSPORT_IWARP)
		ep_fail_qp(ep);
}

static void ep_act(struct ual_ep *ep, const struct cm_input *ci,
		   const struct ual_conn_step *st)
{
	int delay;

	switch (st->action) {
	case UAL_ACT_RESOLVE_ADDR:
		ual_retry_resolve(&ep->retry);
		start_resolve(ep);
		break;
	case UAL_ACT_RESOLVE_ROUTE:
		if (ci->in == UAL_IN_ROUTE_ERROR)
			ual_retry_resolve(&ep->retry);
		do_resolve_route(ep);
		break;
	case UAL_ACT_CONNECT:
		do_connect(ep);
		break;
	case UAL_ACT_RETRY_LATER:
		if (st->recycle)
			ep_retry_qp(ep);
		delay = ual_retry_next(&ep->retry);
		ual_timer_arm(ep->eq, &ep->retry_timer, delay < 0 ? 0 : (uint32_t)delay);
		break;
	case UAL_ACT_RESTART:
		if (ep_replace_id(ep, NULL))
			apply_sync_failure(ep, UAL_IN_ADDR_ERROR, EIO, "rdma_bind_addr");
		else
			start_resolve(ep);
		break;
	case UAL_ACT_DISCONNECT:
		if (ep->id)
			rdma_disconnect(ep->id);
		/* Ours: bound the wait for the peer's answer. */
		if (st->next == UAL_EP_DISCONNECTING)
			ual_timer_arm(ep->eq, &ep->disc_timer,
				      ual_disconnect_ms(&ep->opts));
		break;
	case UAL_ACT_CANCEL:
		/*
		 * A consumer timeout, disconnect or an unanswered disconnect
		 * really stops the attempt; every failure flushes the QP.
		 */
		if (ci->in == UAL_IN_DEVICE_REMOVAL) {
			ep_flush_qp(ep);
			break;
		}
		ep_fail_qp(ep);
		if (ci->in == UAL_IN_TIMEOUT ||
		    ci->in == UAL_IN_LOCAL_DISCONNECT ||
		    ci->in == UAL_IN_DISCONNECT_TIMER)
			ep_abandon_id(ep);
		break;
	default:
		break;
	}
}

/*
 * An established connection of an endpoint on an SRQ ended: its QP is in
 * the error state (rdma_cm's disconnect on IB, the fatal error, the
 * cancel of an unanswered disconnect) or closed (iWARP), so it takes no
 * more receives from the SRQ: EP_LAST_WQE (async.c) follows the
 * connection event.
 */
static void ep_note_end(struct ual_ep *ep, enum ual_ep_state before,
			enum ual_ep_state after)
{
	if (ep->type != UAL_EP_RC || !ep->qp_attr.srq)
		return;
	if (after == UAL_EP_CONNECTED && before != UAL_EP_CONNECTED)
		__atomic_store_n(&ep->last_wqe_told, false, __ATOMIC_RELEASE);
	if ((before == UAL_EP_CONNECTED || before == UAL_EP_DISCONNECTING) &&
	    (after == UAL_EP_DISCONNECTED || after == UAL_EP_FAILED))
		ual_ep_tell_last_wqe(ep);
}

static void ep_apply(struct ual_ep *ep, const struct cm_input *ci)
{
	enum ual_reject_reason why = UAL_REJECT_NONE;
	enum ual_ep_state before = ep->state;
	struct ual_conn_step st;
	uint32_t len = 0;

	if (ci->in == UAL_IN_REJECTED) {
		if (ci->cm)
			len = ci->cm->param.conn.private_data_len;
		why = ual_reject_classify(ep->dev->attr.transport, ci->status, len);
	}
	ual_conn_step(ep->state, ci->in, why, ual_retry_budget(&ep->retry), &st);
	/* Read without a lock by ual_ep_get_state in any thread. */
	__atomic_store_n(&ep->state, st.next, __ATOMIC_RELEASE);
	if (st.next == UAL_EP_CONNECTED || st.next == UAL_EP_FAILED ||
	    st.next == UAL_EP_DISCONNECTED)
		ual_timer_cancel(ep->eq, &ep->deadline);
	if (st.next == UAL_EP_FAILED || st.next == UAL_EP_DISCONNECTED)
		ual_timer_cancel(ep->eq, &ep->disc_timer);
	if (st.deliver != UAL_EVENT_NONE)
		deliver(ep, ci, &st);
	ep_act(ep, ci, &st);
	ep_note_end(ep, before, st.next);
}

void ual_ep_qp_fatal(struct ual_ep *ep, enum ibv_event_type what)
{
	struct cm_input ci = { .in = UAL_IN_QP_FATAL, .status = -EIO,
			       .qp_event = what };

	/* ual_device_lost() parks every endpoint of a lost device here. */
	if (what == IBV_EVENT_DEVICE_FATAL) {
		ci.in = UAL_IN_DEVICE_REMOVAL;
		ci.status = -ENODEV;
	}
	ep_apply(ep, &ci);
}

static int start_active(struct ual_ep *ep, const struct sockaddr *dst,
			const void *pdata, uint32_t len,
			const struct ual_connect_opts *opts, struct ual_error *err)
{
	uint32_t limit = ep->type == UAL_EP_UD ? ep->dev->attr.pdata.ud_resolve
					       : ep->dev->attr.pdata.connect;

	if (pdata_check(pdata, len, "ual_ep_connect", err))
		return -EINVAL;
	if (!dst || (dst->sa_family != AF_INET && dst->sa_family != AF_INET6))
		return ual_err_set(err, EAFNOSUPPORT, "ual_ep_connect",
				   "the destination must be IPv4 or IPv6");
	if (len > limit)
		return ual_err_set(err, EMSGSIZE, "ual_ep_connect",
				   "%u bytes of private data exceed the %s limit of %u for a connect request",
				   len, ual_transport_name(ep->dev->attr.transport), limit);
	if (ep->state != UAL_EP_IDLE)
		return ual_err_set(err, EISCONN, "ual_ep_connect",
				   "the endpoint is %s, not idle",
				   ual_ep_state_name(ep->state));
	memset(&ep->opts, 0, sizeof(ep->opts));
	if (opts)
		ep->opts = *opts;
	ual_retry_init(&ep->retry, &ep->opts);
	ep->accepted = false;
	ep->read_out = ep->want_out;
	ep->read_in = ep->want_in;
	copy_addr(&ep->remote, dst);
	ep->pdata_len = len;
	if (len)
		memcpy(ep->pdata, pdata, len);
	ep->state = UAL_EP_ADDR_QUERY;
	if (ep->opts.timeout_ms)
		ual_timer_arm(ep->eq, &ep->deadline, ep->opts.timeout_ms);
	start_resolve(ep);
	return 0;
}

int ual_ep_connect(struct ual_ep *ep, const struct sockaddr *dst,
		   const void *pdata, uint32_t len,
		   const struct ual_connect_opts *opts, struct ual_error *err)
{
	int ret;

	if (ep->type != UAL_EP_RC)
		return ual_err_set(err, EINVAL, "ual_ep_connect",
				   "UD endpoints use ual_ud_resolve");
	pthread_mutex_lock(&ep->eq->progress);
	ret = start_active(ep, dst, pdata, len, opts, err);
	pthread_mutex_unlock(&ep->eq->progress);
	return ret;
}

int ual_ud_resolve(struct ual_ep *ep, const struct sockaddr *dst,
		   const void *pdata, uint32_t len,
		   const struct ual_connect_opts *opts, struct ual_error *err)
{
	int ret = 0;

	if (ep->type != UAL_EP_UD)
		return ual_err_set(err, EINVAL, "ual_ud_resolve",
				   "RC endpoints use ual_ep_connect");
	pthread_mutex_lock(&ep->eq->progress);
	/* Each resolution needs its own cm id; the UD QP does not care. */
	if (ep->connect_sent || ep->state != UAL_EP_IDLE) {
		ep->connect_sent = false;
		ep->state = UAL_EP_IDLE;
		ret = ep_replace_id(ep, err);
	}
	if (!ret)
		ret = start_active(ep, dst, pdata, len, opts, err);
	pthread_mutex_unlock(&ep->eq->progress);
	return ret;
}

int ual_ep_disconnect(struct ual_ep *ep, struct ual_error *err)
{
	struct cm_input ci = { .in = UAL_IN_LOCAL_DISCONNECT };
	enum ual_ep_state before;

	pthread_mutex_lock(&ep->eq->progress);
	before = ep->state;
	ep_apply(ep, &ci);
	pthread_mutex_unlock(&ep->eq->progress);
	if (before == ep->state && before != UAL_EP_DISCONNECTING)
		return ual_err_set(err, ENOTCONN, "ual_ep_disconnect",
				   "the endpoint is %s", ual_ep_state_name(before));
	return 0;
}

/* iWARP reset: a fresh bound cm id and a new QP on it (see ep.c). */
static int ep_renew_qp(struct ual_ep *ep, struct ual_error *err)
{
	struct rdma_cm_id *fresh, *old = ep->id;
	int ret;

	ret = ual_ep_bind_id(ep, &fresh, err);
	if (ret)
		return ret;
	ret = ual_ep_renew_qp(ep, fresh, err);
	if (ret) {
		rdma_destroy_id(fresh);
		return ret;
	}
	rdma_destroy_id(old);
	return 0;
}

/*
 * Drops what the last connection left: timers, a parked QP fatal event,
 * the note that its EP_LAST_WQE was told.
 */
static void ep_forget_connection(struct ual_ep *ep)
{
	ual_timer_cancel(ep->eq, &ep->retry_timer);
	ual_timer_cancel(ep->eq, &ep->deadline);
	pthread_mutex_lock(&ep->eq->lock);
	if (!ual_list_empty(&ep->fatal_link))
		ual_list_del(&ep->fatal_link);
	pthread_mutex_unlock(&ep->eq->lock);
	memset(&ep->remote, 0, sizeof(ep->remote));
	memset(&ep->opts, 0, sizeof(ep->opts));
	ep->pdata_len = 0;
	__atomic_store_n(&ep->last_wqe_told, false, __ATOMIC_RELEASE);
}

/*
 * An RC endpoint gets a fresh bound cm id and its QP goes RESET -> INIT
 * through it, as for a retried connect.  A UD endpoint keeps its QP in
 * RTS; ual_ud_resolve replaces its id anyway.  Returns 1 for an IDLE
 * endpoint, which is left alone.
 */
static int ep_reset_locked(struct ual_ep *ep, struct ual_error *err)
{
	const char *why;
	int ret;

	ret = ual_conn_reset_rule(ep->state, &why);
	if (ret)
		return ual_err_set(err, ret, "ual_ep_reset", "the endpoint is %s; %s",
				   ual_ep_state_name(ep->state), why);
	if (ep->device_lost)
		return ual_err_set(err, ENODEV, "ual_ep_reset",
				   "the device %s is lost; destroy the endpoint",
				   ep->dev->attr.name);
	if (ep->state == UAL_EP_IDLE)
		return 1;	/* nothing to reset, nothing to forget */
	ep_forget_connection(ep);
	if (ep->type == UAL_EP_RC) {
		if (ep->dev->attr.transport == UAL_TRANSPORT_IWARP) {
			ret = ep_renew_qp(ep, err);
		} else {
			ep->connect_sent = true;	/* forces the QP reset */
			ret = ep_replace_id(ep, err);
		}
		if (ret)
			return ret;
	}
	ep->state = UAL_EP_IDLE;
	return 0;
}

int ual_ep_reset(struct ual_ep *ep, struct ual_error *err)
{
	int ret;

	pthread_mutex_lock(&ep->eq->progress);
	ret = ep_reset_locked(ep, err);
	pthread_mutex_unlock(&ep->eq->progress);
	if (ret > 0)
		return 0;
	/* The old cm id is gone: nothing more can be queued about it. */
	if (!ret)
		ual_eq_forget(ep->eq, ep);
	return ret;
}

/* ---- passive side --------------------------------------------------- */

static void request_arrived(struct ual_eq *eq, struct rdma_cm_event *cm)
{
	struct ual_listener *ls = cm->listen_id->context;
	struct ual_event_node *n;
	struct ual_conn_req *req;
	struct ual_device *dev;

	/* A wildcard listener hears requests for devices of other scopes. */
	dev = cm->id->verbs == ls->dev->verbs ? ls->dev : NULL;
	if (dev)
		ual_device_get(dev);
	req = calloc(1, sizeof(*req));
	n = ual_event_alloc(ls->type == UAL_EP_UD ? UAL_EVENT_UD_REQUEST
						  : UAL_EVENT_CONN_REQUEST);
	if (!dev || !req || !n) {
		/* Not this scope's device, or no memory. */
		rdma_reject(cm->id, NULL, 0);
		rdma_destroy_id(cm->id);
		if (dev)
			ual_device_put(dev);
		free(req);
		free(n);
		return;
	}
	req->kind = UAL_OWNER_REQ;
	req->id = cm->id;
	req->eq = eq;
	req->type = ls->type;
	req->dev = dev;
	cm->id->context = req;
	n->ev.listener = ls;
	n->ev.req = req;
	n->ev.context = ls->context;
	copy_addr(&n->ev.local_addr, rdma_get_local_addr(cm->id));
	copy_addr(&n->ev.remote_addr, rdma_get_peer_addr(cm->id));
	if (ls->type == UAL_EP_UD) {
		copy_pdata(&n->ev, cm->param.ud.private_data,
			   cm->param.ud.private_data_len);
	} else {
		req->initiator_depth = cm->param.conn.initiator_depth;
		req->responder_resources = cm->param.conn.responder_resources;
		req->retry_count = cm->param.conn.retry_count;
		req->rnr_retry_count = cm->param.conn.rnr_retry_count;
		n->ev.initiator_depth = req->initiator_depth;
		n->ev.responder_resources = req->responder_resources;
		copy_pdata(&n->ev, cm->param.conn.private_data,
			   cm->param.conn.private_data_len);
	}
	req->pdata_len = n->ev.private_data_len;
	memcpy(req->pdata, n->ev.private_data, req->pdata_len);
	ual_eq_push(eq, n);
}

static void listener_event(struct ual_eq *eq, struct ual_listener *ls,
			   struct rdma_cm_event *cm)
{
	struct ual_event_node *n;

	if (cm->event != RDMA_CM_EVENT_DEVICE_REMOVAL)
		return;
	n = ual_event_alloc(UAL_EVENT_LISTEN_ERROR);
	if (!n)
		return;
	n->ev.listener = ls;
	n->ev.context = ls->context;
	n->ev.status = cm->event;
	ual_dev_loss_error(&n->ev.error, UAL_LOSS_REMOVED, ls->dev->attr.name,
			   "listener");
	ual_eq_push(eq, n);
}

/* The device under the cm id of @kind, whatever owns the id. */
static struct ual_device *owner_device(enum ual_owner_kind *kind)
{
	switch (kind ? *kind : 0) {
	case UAL_OWNER_EP:
		return ((struct ual_ep *)kind)->dev;
	case UAL_OWNER_LISTENER:
		return ((struct ual_listener *)kind)->dev;
	case UAL_OWNER_REQ:
		return ((struct ual_conn_req *)kind)->dev;
	case UAL_OWNER_UDQ:
		return ((struct ual_ud_query *)kind)->dev;
	default:
		return NULL;
	}
}

void ual_cm_handle_event(struct ual_eq *eq, struct rdma_cm_event *cm)
{
	enum ual_owner_kind *kind = cm->id->context;
	struct cm_input ci = { .cm = cm, .status = cm->status };
	struct ual_device *dev;

	/*
	 * The first cm id to hear of a removal tells the whole device, so
	 * that DEVICE_REMOVED is queued before this object's own event.
	 */
	dev = owner_device(kind);
	if (dev && ual_dev_loss_from_cm(cm->event) != UAL_LOSS_NONE)
		ual_device_lost(dev->hca, ual_dev_loss_from_cm(cm->event));
	if (cm->event == RDMA_CM_EVENT_CONNECT_REQUEST) {
		request_arrived(eq, cm);
	} else if (kind && *kind == UAL_OWNER_EP) {
		ci.in = ual_conn_input_from_cm(cm->event);
		if (ci.in != UAL_IN_IGNORED)
			ep_apply((struct ual_ep *)kind, &ci);
	} else if (kind && *kind == UAL_OWNER_UDQ) {
		ual_ud_query_event((struct ual_ud_query *)kind, cm);
	} else if (kind && *kind == UAL_OWNER_LISTENER) {
		listener_event(eq, (struct ual_listener *)kind, cm);
	} else if (kind && *kind == UAL_OWNER_REQ) {
		/* The peer gave up before the consumer answered. */
		if (cm->event != RDMA_CM_EVENT_TIMEWAIT_EXIT)
			((struct ual_conn_req *)kind)->dead = true;
	}
	rdma_ack_cm_event(cm);
}

static void req_free(struct ual_conn_req *req, bool destroy_id)
{
	if (destroy_id)
		rdma_destroy_id(req->id);
	ual_device_put(req->dev);
	free(req);
}

/*
 * Under the progress lock of the request's queue, like every use of its
 * cm id: another thread draining that channel must not see the id go
 * while it handles one of its events.
 */
void ual_conn_req_drop(struct ual_conn_req *req)
{
	pthread_mutex_lock(&req->eq->progress);
	rdma_reject(req->id, NULL, 0);
	rdma_destroy_id(req->id);
	pthread_mutex_unlock(&req->eq->progress);
	req_free(req, false);
}

static int accept_check(struct ual_conn_req *req, struct ual_ep *ep,
			const void *pdata, uint32_t len, struct ual_error *err)
{
	uint32_t limit = ep->type == UAL_EP_UD ? ep->dev->attr.pdata.ud_reply
					       : ep->dev->attr.pdata.accept;

	if (pdata_check(pdata, len, "ual_accept", err))
		return -EINVAL;
	if (req->dead)
		return ual_err_set(err, ECONNABORTED, "ual_accept",
				   "the peer abandoned the request");
	if (req->dev->hca != ep->dev->hca)
		return ual_err_set(err, EXDEV, "ual_accept",
				   "the request arrived on %s but the endpoint is on %s",
				   req->dev->attr.name, ep->dev->attr.name);
	if (ep->state != UAL_EP_IDLE)
		return ual_err_set(err, EISCONN, "ual_accept",
				   "the endpoint is %s, not idle",
				   ual_ep_state_name(ep->state));
	if (ep->type != req->type)
		return ual_err_set(err, EINVAL, "ual_accept",
				   "RC requests need RC endpoints, UD requests UD endpoints");
	if (len > limit)
		return ual_err_set(err, EMSGSIZE, "ual_accept",
				   "%u bytes of private data exceed the %s limit of %u for an accept",
				   len, ual_transport_name(ep->dev->attr.transport), limit);
	return 0;
}

static int accept_ud(struct ual_conn_req *req, struct ual_ep *ep,
		     struct rdma_conn_param *p, struct ual_error *err)
{
	int ret;

	p->qp_num = ep->qp->qp_num;
	ret = rdma_accept(req->id, p) ? -errno : 0;
	rdma_destroy_id(req->id);
	if (ret)
		return ual_err_set(err, ret, "rdma_accept", "UD service reply");
	return 0;
}

/* Moves the request's cm id onto the endpoint and lends it the QP. */
static int adopt_request_id(struct ual_conn_req *req, struct ual_ep *ep,
			    struct ual_error *err)
{
	struct rdma_cm_id *old = ep->id;

	if (req->id->port_num != old->port_num)
		return ual_err_set(err, EXDEV, "ual_accept",
				   "request arrived on port %u, endpoint is on port %u",
				   req->id->port_num, old->port_num);
	if (req->eq != ep->eq &&
	    rdma_migrate_id(req->id, ep->eq->channel))
		return ual_err_set(err, errno, "rdma_migrate_id", NULL);
	req->id->context = ep;
	old->qp = NULL;
	rdma_destroy_id(old);
	ep->id = req->id;
	ep->id->qp = ep->qp;
	return 0;
}

static int accept_rc(struct ual_conn_req *req, struct ual_ep *ep,
		     struct rdma_conn_param *p, struct ual_error *err)
{
	const struct ual_device_attr *a = &ep->dev->attr;
	int ret;

	ret = adopt_request_id(req, ep, err);
	if (ret) {
		rdma_reject(req->id, NULL, 0);
		rdma_destroy_id(req->id);
		return ret;
	}
	/* The request's depths are already from our side (see ual.h). */
	p->responder_resources = ual_read_depth_grant(req->responder_resources,
						      ep->want_in);
	p->initiator_depth = ual_read_depth_grant(req->initiator_depth,
						  ep->want_out);
	ep->read_in = p->responder_resources;
	ep->read_out = p->initiator_depth;
	ep->accepted = true;
	p->retry_count = req->retry_count;
	p->rnr_retry_count = req->rnr_retry_count;
	p->flow_control = 1;
	ep->state = UAL_EP_ACCEPTING;
	ep->connect_sent = true;
	if (rdma_accept(ep->id, p)) {
		ret = errno;
		rdma_reject(ep->id, NULL, 0);
		ep->state = UAL_EP_FAILED;
		ual_err_set(err, ret, "rdma_accept", NULL);
		ual_err_context(err, a->name, rdma_get_peer_addr(ep->id));
		return -ret;
	}
	copy_addr(&ep->remote, rdma_get_peer_addr(ep->id));
	return 0;
}

int ual_accept(struct ual_conn_req *req, struct ual_ep *ep, const void *pdata,
	       uint32_t len, struct ual_error *err)
{
	struct ual_eq *leq = req->eq;
	struct rdma_conn_param p = { 0 };
	int ret;

	ual_eq_lock_pair(leq, ep->eq);
	ret = accept_check(req, ep, pdata, len, err);
	if (ret) {
		rdma_reject(req->id, NULL, 0);
		ual_eq_unlock_pair(leq, ep->eq);
		req_free(req, true);
		return ret;
	}
	p.private_data = len ? pdata : NULL;
	p.private_data_len = (uint8_t)len;
	if (ep->type == UAL_EP_UD)
		ret = accept_ud(req, ep, &p, err);
	else
		ret = accept_rc(req, ep, &p, err);
	ual_eq_unlock_pair(leq, ep->eq);
	req_free(req, false);
	return ret;
}

int ual_reject(struct ual_conn_req *req, const void *pdata, uint32_t len,
	       struct ual_error *err)
{
	struct ual_eq *leq = req->eq;
	uint32_t limit = req->dev->attr.pdata.reject;
	int ret = 0;

	if (pdata_check(pdata, len, "ual_reject", err)) {
		ret = -EINVAL;
		len = 0;
	} else if (len > limit) {
		ret = ual_err_set(err, EMSGSIZE, "ual_reject",
				  "%u bytes of private data exceed the %s limit of %u for a reject; rejected without",
				  len, ual_transport_name(req->dev->attr.transport), limit);
		len = 0;
	}
	pthread_mutex_lock(&leq->progress);
	if (rdma_reject(req->id, len ? pdata : NULL, (uint8_t)len) && !ret)
		ret = ual_err_set(err, errno, "rdma_reject", NULL);
	rdma_destroy_id(req->id);
	pthread_mutex_unlock(&leq->progress);
	req_free(req, false);
	return ret;
}

static int handoff_check(const struct ual_conn_req *req,
			 const struct ual_listener *to, struct ual_error *err)
{
	if (req->dead)
		return ual_err_set(err, ECONNABORTED, "ual_conn_req_handoff",
				   "the peer abandoned the request; reject it to free it");
	if (to->dev != req->dev)
		return ual_err_set(err, EXDEV, "ual_conn_req_handoff",
				   "the request arrived on %s but the listener is on %s",
				   req->dev->attr.name, to->dev->attr.name);
	if (to->type != req->type)
		return ual_err_set(err, EINVAL, "ual_conn_req_handoff",
				   "an %s request cannot go to a %s listener",
				   req->type == UAL_EP_UD ? "UD" : "RC",
				   to->type == UAL_EP_UD ? "UD" : "RC");
	return 0;
}

/* The request again, as @to's own: what request_arrived queued. */
static void handoff_event(struct ual_conn_req *req, struct ual_listener *to,
			  struct ual_event_node *n)
{
	n->ev.listener = to;
	n->ev.req = req;
	n->ev.context = to->context;
	copy_addr(&n->ev.local_addr, rdma_get_local_addr(req->id));
	copy_addr(&n->ev.remote_addr, rdma_get_peer_addr(req->id));
	n->ev.initiator_depth = req->initiator_depth;
	n->ev.responder_resources = req->responder_resources;
	n->ev.private_data_len = req->pdata_len;
	memcpy(n->ev.private_data, req->pdata, req->pdata_len);
}

int ual_conn_req_handoff(struct ual_conn_req *req, struct ual_listener *to,
			 struct ual_error *err)
{
	struct ual_eq *from = req->eq, *dst = to->eq;
	struct ual_event_node *n;
	int ret;

	n = ual_event_alloc(to->type == UAL_EP_UD ? UAL_EVENT_UD_REQUEST
						  : UAL_EVENT_CONN_REQUEST);
	if (!n)
		return ual_err_set(err, ENOMEM, "calloc", NULL);
	ual_eq_lock_pair(from, dst);
	ret = handoff_check(req, to, err);
	if (!ret && from != dst && rdma_migrate_id(req->id, dst->channel))
		ret = ual_err_set(err, errno, "rdma_migrate_id",
				  "moving the request to the listener's event queue");
	if (!ret) {
		req->eq = dst;
		handoff_event(req, to, n);
		ual_eq_push(dst, n);
	}
	ual_eq_unlock_pair(from, dst);
	if (ret)
		free(n);
	return ret;
}

struct ual_device *ual_conn_req_device(const struct ual_conn_req *req)
{
	return req->dev;
}
