// SPDX-License-Identifier: BSD-2-Clause
/*
 * ud.c - UD service resolution without an endpoint, and address handles
 * made from attributes.
 *
 * IT-API resolves a remote UD service with a request handle that has no
 * endpoint (it_ud_service_request_handle_create, it_ud_service_request)
 * and builds address handles later from the path the reply gave.  A
 * SIDR request needs no QP of ours, so a query is just a UDP-space cm id
 * driven through address, route and SIDR on the caller's event queue.
 * Everything here runs under the queue's progress lock, like cm.c.
 */
#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ual_internal.h"

void ual_ah_attr_from_ibv(struct ual_ah_attr *out, const struct ibv_ah_attr *in)
{
	memset(out, 0, sizeof(*out));
	out->dlid = in->dlid;
	out->sl = in->sl;
	out->src_path_bits = in->src_path_bits;
	out->static_rate = in->static_rate;
	out->port_num = in->port_num;
	out->is_global = in->is_global;
	if (!in->is_global)
		return;
	memcpy(out->dgid, in->grh.dgid.raw, sizeof(out->dgid));
	out->flow_label = in->grh.flow_label;
	out->sgid_index = in->grh.sgid_index;
	out->hop_limit = in->grh.hop_limit;
	out->traffic_class = in->grh.traffic_class;
}

static void ah_attr_to_ibv(const struct ual_ah_attr *in, struct ibv_ah_attr *out)
{
	memset(out, 0, sizeof(*out));
	out->dlid = in->dlid;
	out->sl = in->sl;
	out->src_path_bits = in->src_path_bits;
	out->static_rate = in->static_rate;
	out->port_num = in->port_num;
	out->is_global = in->is_global;
	if (!in->is_global)
		return;
	memcpy(out->grh.dgid.raw, in->dgid, sizeof(in->dgid));
	out->grh.flow_label = in->flow_label;
	out->grh.sgid_index = in->sgid_index;
	out->grh.hop_limit = in->hop_limit;
	out->grh.traffic_class = in->traffic_class;
}

static int no_ud(struct ual_device *dev, const char *step,
		 struct ual_error *err)
{
	ual_err_set(err, EOPNOTSUPP, step,
		    "UD is not supported by device %s (%s)", dev->attr.name,
		    ual_transport_name(dev->attr.transport));
	ual_err_context(err, dev->attr.name, NULL);
	return -EOPNOTSUPP;
}

int ual_ah_create(struct ual_device *dev, const struct ual_ah_attr *attr,
		  struct ual_ah **out, struct ual_error *err)
{
	struct ibv_ah_attr a;
	struct ual_ah *ah;
	int errnum;

	if (!(dev->attr.caps & UAL_CAP_UD))
		return no_ud(dev, "ual_ah_create", err);
	ah = calloc(1, sizeof(*ah));
	if (!ah)
		return ual_err_set(err, ENOMEM, "calloc", NULL);
	ah_attr_to_ibv(attr, &a);
	if (!a.port_num)
		a.port_num = dev->attr.port_num;
	errno = 0;
	ah->ah = ibv_create_ah(dev->pd, &a);
	if (!ah->ah) {
		errnum = errno;
		free(ah);
		if (!errnum)
			return ual_device_no_errno(dev, "ibv_create_ah", "AH", 0, 0,
						   err);
		ual_err_set(err, errnum, "ibv_create_ah", NULL);
		ual_err_context(err, dev->attr.name, NULL);
		return -errnum;
	}
	*out = ah;
	return 0;
}

/* ---- the query ---------------------------------------------------------- */

static void query_deadline_fire(struct ual_timer *t);

int ual_ud_query_create(struct ual_device *dev, struct ual_eq *eq,
			void *context, struct ual_ud_query **out,
			struct ual_error *err)
{
	struct ual_ud_query *q;

	if (!(dev->attr.caps & UAL_CAP_UD))
		return no_ud(dev, "ual_ud_query_create", err);
	q = calloc(1, sizeof(*q));
	if (!q)
		return ual_err_set(err, ENOMEM, "calloc", NULL);
	q->kind = UAL_OWNER_UDQ;
	q->dev = dev;
	q->eq = eq;
	q->context = context;
	ual_list_init(&q->deadline.link);
	q->deadline.fire = query_deadline_fire;
	*out = q;
	return 0;
}

static struct ual_event_node *query_event(struct ual_ud_query *q,
					  enum ual_event_type type, int status)
{
	struct ual_event_node *n = ual_event_alloc(type);

	if (!n)
		return NULL;
	n->ev.ud_query = q;
	n->ev.context = q->context;
	n->ev.status = status;
	memcpy(&n->ev.remote_addr, &q->remote, sizeof(q->remote));
	return n;
}

/* The resolution ended without an answer: tell the consumer why. */
static void query_fail(struct ual_ud_query *q, enum ual_event_type type,
		       int status, const char *step, uint32_t flags)
{
	struct ual_event_node *n;
	int errnum = status < 0 ? -status : EIO;

	q->busy = false;
	ual_timer_cancel(q->eq, &q->deadline);
	n = query_event(q, type, status);
	if (!n)
		return;
	n->ev.flags = flags;
	if (type == UAL_EVENT_CONN_REJECTED) {
		n->ev.reject_reason = ual_reject_classify(q->dev->attr.transport,
							  status, 0);
		ual_err_set(&n->ev.error, ECONNREFUSED, step,
			    n->ev.reject_reason == UAL_REJECT_NO_LISTENER
				    ? "no UD service listens on that port"
				    : "the peer refused the UD service request");
	} else if (flags & UAL_EVFLAG_TIMED_OUT) {
		ual_err_set(&n->ev.error, ETIMEDOUT, step,
			    "the consumer's timeout of %u ms expired",
			    q->timeout_ms);
	} else {
		ual_err_set(&n->ev.error, errnum, step,
			    "no route to the UD service or no answer");
	}
	n->ev.error.status = status;
	ual_err_context(&n->ev.error, q->dev->attr.name,
			(struct sockaddr *)&q->remote);
	ual_eq_push(q->eq, n);
}

static void query_resolved(struct ual_ud_query *q,
			   const struct rdma_cm_event *cm)
{
	const struct rdma_ud_param *ud = &cm->param.ud;
	struct ual_event_node *n;
	uint32_t len = ud->private_data ? ud->private_data_len : 0;
	struct sockaddr *sa;

	q->busy = false;
	ual_timer_cancel(q->eq, &q->deadline);
	n = query_event(q, UAL_EVENT_UD_RESOLVED, cm->status);
	if (!n)
		return;
	n->ev.remote_qpn = ud->qp_num;
	n->ev.remote_qkey = ud->qkey;
	ual_ah_attr_from_ibv(&n->ev.ah_attr, &ud->ah_attr);
	if (len > UAL_PDATA_MAX)
		len = UAL_PDATA_MAX;
	n->ev.private_data_len = len;
	if (len)
		memcpy(n->ev.private_data, ud->private_data, len);
	sa = rdma_get_local_addr(q->id);
	if (sa->sa_family == AF_INET || sa->sa_family == AF_INET6)
		memcpy(&n->ev.local_addr, sa, ual_sockaddr_len(sa));
	ual_eq_push(q->eq, n);
}

static void query_connect(struct ual_ud_query *q)
{
	struct rdma_conn_param p = { 0 };

	p.private_data = q->pdata_len ? q->pdata : NULL;
	p.private_data_len = (uint8_t)q->pdata_len;	/* checked */
	if (rdma_connect(q->id, &p))
		query_fail(q, UAL_EVENT_CONN_UNREACHABLE, -errno, "rdma_connect",
			   0);
}

void ual_ud_query_event(struct ual_ud_query *q, struct rdma_cm_event *cm)
{
	if (!q->busy || cm->id != q->id)
		return;
	switch (cm->event) {
	case RDMA_CM_EVENT_ADDR_RESOLVED:
		if (rdma_resolve_route(q->id, (int)q->resolve_ms))
			query_fail(q, UAL_EVENT_CONN_UNREACHABLE, -errno,
				   "rdma_resolve_route", 0);
		break;
	case RDMA_CM_EVENT_ROUTE_RESOLVED:
		query_connect(q);
		break;
	case RDMA_CM_EVENT_ESTABLISHED:
		query_resolved(q, cm);
		break;
	case RDMA_CM_EVENT_ADDR_ERROR:
		query_fail(q, UAL_EVENT_CONN_UNREACHABLE, cm->status,
			   "rdma_resolve_addr", 0);
		break;
	case RDMA_CM_EVENT_ROUTE_ERROR:
		query_fail(q, UAL_EVENT_CONN_UNREACHABLE, cm->status,
			   "rdma_resolve_route", 0);
		break;
	case RDMA_CM_EVENT_REJECTED:
		query_fail(q, UAL_EVENT_CONN_REJECTED, cm->status,
			   "SIDR request", 0);
		break;
	case RDMA_CM_EVENT_UNREACHABLE:
	case RDMA_CM_EVENT_CONNECT_ERROR:
		query_fail(q, UAL_EVENT_CONN_UNREACHABLE, cm->status,
			   "SIDR request", 0);
		break;
	default:
		break;
	}
}

/* A fresh UDP-space id bound to the device's address. */
static int query_new_id(struct ual_ud_query *q, struct ual_error *err)
{
	struct sockaddr_storage local = q->dev->addr;
	struct rdma_cm_id *id;
	int errnum;

	if (rdma_create_id(q->eq->channel, &id, q, RDMA_PS_UDP))
		return ual_err_set(err, errno, "rdma_create_id", NULL);
	ual_sockaddr_set_port((struct sockaddr *)&local, 0);
	if (rdma_bind_addr(id, (struct sockaddr *)&local)) {
		errnum = errno;
		rdma_destroy_id(id);
		ual_err_set(err, errnum, "rdma_bind_addr", NULL);
		ual_err_context(err, q->dev->attr.name, (struct sockaddr *)&local);
		return -errnum;
	}
	if (id->verbs != q->dev->verbs) {
		rdma_destroy_id(id);
		return ual_err_set(err, EXDEV, "rdma_bind_addr",
				   "the device's address belongs to another RDMA device than %s",
				   q->dev->attr.name);
	}
	q->id = id;
	return 0;
}

static int query_check(struct ual_ud_query *q, const struct sockaddr *dst,
		       uint32_t len, struct ual_error *err)
{
	uint32_t limit = q->dev->attr.pdata.ud_resolve;

	if (q->busy)
		return ual_err_set(err, EBUSY, "ual_ud_query_start",
				   "a resolution of this query is still running");
	if (!dst || (dst->sa_family != AF_INET && dst->sa_family != AF_INET6))
		return ual_err_set(err, EAFNOSUPPORT, "ual_ud_query_start",
				   "the destination must be IPv4 or IPv6");
	if (len > limit)
		return ual_err_set(err, EMSGSIZE, "ual_ud_query_start",
				   "%u bytes of private data exceed the SIDR limit of %u",
				   len, limit);
	return 0;
}

static int query_start_locked(struct ual_ud_query *q, const struct sockaddr *dst,
			      const void *pdata, uint32_t len,
			      const struct ual_connect_opts *opts,
			      struct ual_error *err)
{
	int ret = query_check(q, dst, len, err);

	if (ret)
		return ret;
	/* Each resolution needs an id of its own. */
	if (q->id) {
		rdma_destroy_id(q->id);
		q->id = NULL;
	}
	ret = query_new_id(q, err);
	if (ret)
		return ret;
	memset(&q->remote, 0, sizeof(q->remote));
	memcpy(&q->remote, dst, ual_sockaddr_len(dst));
	q->pdata_len = len;
	if (len)
		memcpy(q->pdata, pdata, len);
	q->resolve_ms = opts && opts->resolve_timeout_ms ? opts->resolve_timeout_ms
							 : UAL_DEFAULT_RESOLVE_MS;
	q->timeout_ms = opts ? opts->timeout_ms : 0;
	if (rdma_resolve_addr(q->id, NULL, (struct sockaddr *)&q->remote,
			      (int)q->resolve_ms)) {
		ret = ual_err_set(err, errno, "rdma_resolve_addr", NULL);
		ual_err_context(err, q->dev->attr.name, dst);
		return ret;
	}
	q->busy = true;
	if (q->timeout_ms)
		ual_timer_arm(q->eq, &q->deadline, q->timeout_ms);
	return 0;
}

int ual_ud_query_start(struct ual_ud_query *q, const struct sockaddr *dst,
		       const void *pdata, uint32_t len,
		       const struct ual_connect_opts *opts,
		       struct ual_error *err)
{
	int ret;

	pthread_mutex_lock(&q->eq->progress);
	ret = query_start_locked(q, dst, pdata, len, opts, err);
	pthread_mutex_unlock(&q->eq->progress);
	return ret;
}

/* The consumer's deadline: stop the attempt for real. */
static void query_deadline_fire(struct ual_timer *t)
{
	struct ual_ud_query *q = ual_container_of(t, struct ual_ud_query,
						  deadline);

	if (!q->busy)
		return;
	rdma_destroy_id(q->id);
	q->id = NULL;
	query_fail(q, UAL_EVENT_CONN_UNREACHABLE, -ETIMEDOUT,
		   "UD query (consumer timeout)", UAL_EVFLAG_TIMED_OUT);
}

void ual_ud_query_destroy(struct ual_ud_query *q)
{
	struct ual_eq *eq;

	if (!q)
		return;
	eq = q->eq;
	pthread_mutex_lock(&eq->progress);
	ual_timer_cancel(eq, &q->deadline);
	if (q->id)
		rdma_destroy_id(q->id);
	pthread_mutex_unlock(&eq->progress);
	ual_eq_forget(eq, q);
	free(q);
}
