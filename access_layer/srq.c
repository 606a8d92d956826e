// SPDX-License-Identifier: BSD-2-Clause
/*
 * srq.c - shared receive queues.
 */
#include <config.h>

#include <errno.h>
#include <stdlib.h>

#include "ual_internal.h"

int ual_srq_create(struct ual_device *dev, struct ual_eq *eq, uint32_t max_wr,
		   uint32_t max_sge, uint32_t limit, void *context,
		   struct ual_srq **out, struct ual_error *err)
{
	struct ibv_srq_init_attr ia = { 0 };
	struct ual_srq *srq;
	int errnum;

	if (!(dev->attr.caps & UAL_CAP_SRQ))
		return ual_err_set(err, EOPNOTSUPP, "ibv_create_srq",
				   "shared receive queues are not supported by device %s (%s)",
				   dev->attr.name,
				   ual_transport_name(dev->attr.transport));
	if (eq && ual_eq_attach(eq, dev->hca))
		return ual_err_set(err, ENOMEM, "ual_eq_attach",
				   "adding the async fd of %s to the SRQ's queue",
				   dev->attr.name);
	srq = calloc(1, sizeof(*srq));
	if (!srq)
		return ual_err_set(err, ENOMEM, "calloc", NULL);
	srq->dev = dev;
	srq->eq = eq;
	srq->context = context;
	ia.srq_context = srq;
	ia.attr.max_wr = max_wr ? max_wr : 1;
	ia.attr.max_sge = max_sge ? max_sge : 1;
	ia.attr.srq_limit = limit;
	if (dev->siw)
		srq->siw_pages = ual_siw_rq_pages(ia.attr.max_wr, dev->page_size);
	errno = 0;	/* libsiw may fail without setting it */
	srq->srq = ibv_create_srq(dev->pd, &ia);
	if (!srq->srq && !errno) {
		errnum = -ual_device_no_errno(dev, "ibv_create_srq", "SRQ",
					      srq->siw_pages, 0, err);
		free(srq);
		return -errnum;
	}
	if (!srq->srq) {
		errnum = errno;
		free(srq);
		ual_err_set(err, errnum, "ibv_create_srq",
			    "%u WRs x %u SGEs (device maximum %u WRs)", max_wr,
			    max_sge, dev->attr.max_srq_wr);
		ual_device_queue_memlock(dev, errnum, "an SRQ", ia.attr.max_wr, err);
		ual_err_context(err, dev->attr.name, NULL);
		return -errnum;
	}
	ual_device_siw_account(dev, false, (int)srq->siw_pages);
	ual_device_get(dev);
	/* The provider may round up: what it created is in ia.attr. */
	srq->cached.max_wr = ia.attr.max_wr;
	srq->cached.max_sge = ia.attr.max_sge;
	srq->cached.limit = limit;
	*out = srq;
	return 0;
}

int ual_srq_destroy(struct ual_srq *srq, struct ual_error *err)
{
	int ret;

	if (!srq)
		return 0;
	ret = ibv_destroy_srq(srq->srq);
	if (ret)
		return ual_err_set(err, ret, "ibv_destroy_srq",
				   "endpoints still use this SRQ; destroy them first");
	ual_device_siw_account(srq->dev, false, -(int)srq->siw_pages);
	if (srq->eq)
		ual_eq_forget(srq->eq, srq);
	ual_device_put(srq->dev);
	free(srq);
	return 0;
}

int ual_srq_set_limit(struct ual_srq *srq, uint32_t limit,
		      struct ual_error *err)
{
	struct ibv_srq_attr a = { .srq_limit = limit };
	int ret = ibv_modify_srq(srq->srq, &a, IBV_SRQ_LIMIT);

	if (ret)
		return ual_err_set(err, ret, "ibv_modify_srq", NULL);
	srq->cached.limit = limit;
	return 0;
}

int ual_srq_query(struct ual_srq *srq, struct ual_srq_attr *attr,
		  struct ual_error *err)
{
	struct ibv_srq_attr a = { 0 };
	int ret = ibv_query_srq(srq->srq, &a);

	if (ret == EOPNOTSUPP || ret == ENOSYS) {
		/* libsiw has no query: what was created and last set. */
		*attr = srq->cached;
		return 0;
	}
	if (ret)
		return ual_err_set(err, ret, "ibv_query_srq", NULL);
	attr->max_wr = a.max_wr;
	attr->max_sge = a.max_sge;
	attr->limit = a.srq_limit;
	return 0;
}

int ual_srq_resize(struct ual_srq *srq, uint32_t max_wr,
		   struct ual_error *err)
{
	struct ual_device *dev = srq->dev;
	struct ibv_srq_attr a = { .max_wr = max_wr };
	int ret;

	if (!(dev->attr.caps & UAL_CAP_SRQ_RESIZE))
		return ual_err_set(err, EOPNOTSUPP, "ibv_modify_srq",
				   "device %s (%s) cannot resize a shared receive queue: create a larger SRQ for new endpoints",
				   dev->attr.name,
				   ual_transport_name(dev->attr.transport));
	if (!max_wr || max_wr > dev->attr.max_srq_wr)
		return ual_err_set(err, EINVAL, "ibv_modify_srq",
				   "%u receives asked; the device allows 1 to %u",
				   max_wr, dev->attr.max_srq_wr);
	ret = ibv_modify_srq(srq->srq, &a, IBV_SRQ_MAX_WR);
	if (ret == EOPNOTSUPP)
		return ual_err_set(err, ret, "ibv_modify_srq",
				   "device %s refused to resize the SRQ",
				   dev->attr.name);
	if (ret) {
		ual_err_set(err, ret, "ibv_modify_srq",
			    "%u receives (now %u; fewer than the receives still posted is refused)",
			    max_wr, srq->cached.max_wr);
		ual_device_queue_memlock(dev, ret, "an SRQ", max_wr, err);
		return -ret;
	}
	srq->cached.max_wr = max_wr;
	return 0;
}
