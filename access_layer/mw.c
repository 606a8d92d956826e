// SPDX-License-Identifier: BSD-2-Clause
/*
 * mw.c - memory windows.
 *
 * A region's own rkey grants the whole region with all its remote rights
 * until it is deregistered.  A window grants a sub-range with a subset of
 * the rights and can be revoked: type 1 by binding it to nothing, type 2
 * by a local invalidate or the peer's send with invalidate.
 *
 * rxe (Linux 6.1, rxe_resp.c check_rkey) checks a window's key, state,
 * PD, owning QP (type 2) and rights, but checks the address only against
 * the region the window is bound to, not against the window's own range.
 * On such a device a peer could reach the whole region through a window
 * of one page.  The layer closes that hole: it binds every window to a
 * region of its own that covers exactly the bound range (local rights
 * only, so its own key grants nothing remotely).  That costs one
 * registration per bind, on rxe only.
 */
#include <config.h>

#include <errno.h>
#include <stdlib.h>

#include "ual_internal.h"

#define RXE_VENDOR_ID 0xffffff	/* rxe_param.h RXE_VENDOR_ID */

bool ual_device_is_rxe(struct ual_device *dev)
{
	return dev->attr.vendor_id == RXE_VENDOR_ID;
}

int ual_mw_alloc(struct ual_device *dev, enum ual_mw_type type,
		 struct ual_mw **out, struct ual_error *err)
{
	uint32_t cap = type == UAL_MW_TYPE1 ? UAL_CAP_MW_TYPE1 :
		       type == UAL_MW_TYPE2 ? UAL_CAP_MW_TYPE2 : 0;
	struct ual_mw *mw;
	int errnum;

	if (!cap)
		return ual_err_set(err, EINVAL, "ibv_alloc_mw",
				   "window type %d (1 or 2)", (int)type);
	if (!(dev->attr.caps & cap)) {
		ual_err_set(err, EOPNOTSUPP, "ibv_alloc_mw",
			    "memory windows of type %d are not supported by device %s (%s): remote access can only use a region's own key",
			    (int)type, dev->attr.name,
			    ual_transport_name(dev->attr.transport));
		ual_err_context(err, dev->attr.name, NULL);
		return -EOPNOTSUPP;
	}
	mw = calloc(1, sizeof(*mw));
	if (!mw)
		return ual_err_set(err, ENOMEM, "calloc", NULL);
	mw->dev = dev;
	mw->type = type;
	mw->range_by_mr = ual_device_is_rxe(dev);
	errno = 0;
	mw->mw = ibv_alloc_mw(dev->pd, type == UAL_MW_TYPE1 ? IBV_MW_TYPE_1 :
						       IBV_MW_TYPE_2);
	if (!mw->mw) {
		errnum = errno ? errno : EIO;
		free(mw);
		ual_err_set(err, errnum, "ibv_alloc_mw",
			    "type %d window (device maximum %u windows)",
			    (int)type, dev->attr.max_mw);
		ual_err_context(err, dev->attr.name, NULL);
		return -errnum;
	}
	*out = mw;
	return 0;
}

/* Deregisters the layer's range regions the device no longer holds. */
static void reap_retired(struct ual_mw *mw)
{
	int i;

	for (i = 0; i < UAL_MW_RETIRED_MAX; i++)
		if (mw->retired[i] && !ibv_dereg_mr(mw->retired[i]))
			mw->retired[i] = NULL;
}

/* The current range region is replaced or revoked: free it when it can. */
static int retire_range(struct ual_mw *mw)
{
	int i;

	if (!mw->range)
		return 0;
	for (i = 0; i < UAL_MW_RETIRED_MAX; i++) {
		if (!mw->retired[i]) {
			mw->retired[i] = mw->range;
			mw->range = NULL;
			return 0;
		}
	}
	return -EBUSY;
}

int ual_mw_dealloc(struct ual_mw *mw, struct ual_error *err)
{
	int ret, i;

	if (!mw)
		return 0;
	ret = ibv_dealloc_mw(mw->mw);
	if (ret)
		return ual_err_set(err, ret, "ibv_dealloc_mw", NULL);
	/* The window is gone, so the device holds none of its regions. */
	if (mw->range)
		ibv_dereg_mr(mw->range);
	for (i = 0; i < UAL_MW_RETIRED_MAX; i++)
		if (mw->retired[i])
			ibv_dereg_mr(mw->retired[i]);
	free(mw);
	return 0;
}

uint32_t ual_mw_rkey(const struct ual_mw *mw)
{
	return mw->rkey;
}

enum ual_mw_type ual_mw_type(const struct ual_mw *mw)
{
	return mw->type;
}

static int window_rights(unsigned int access)
{
	return ual_access_to_ibv(access & (UAL_ACCESS_REMOTE_READ |
					   UAL_ACCESS_REMOTE_WRITE |
					   UAL_ACCESS_REMOTE_ATOMIC));
}

/* The checks verbs leaves to the device's bind, made up front. */
static bool bind_fits(const struct ual_mw *mw, const struct ual_mr *mr,
		      uint64_t addr, uint64_t len, unsigned int access)
{
	uint64_t start = (uint64_t)(uintptr_t)mr->mr->addr;

	if (mr->dev != mw->dev || !(mr->access & UAL_ACCESS_MW_BIND))
		return false;
	if (!len || addr < start || len > mr->mr->length ||
	    addr - start > mr->mr->length - len)
		return false;
	if ((access & (UAL_ACCESS_REMOTE_WRITE | UAL_ACCESS_REMOTE_ATOMIC)) &&
	    !(mr->access & UAL_ACCESS_LOCAL_WRITE))
		return false;
	return true;
}

/* On rxe: a region of exactly [addr, addr + len) to bind the window to. */
static struct ibv_mr *range_region(struct ual_mw *mw, uint64_t addr,
				   uint64_t len, unsigned int access)
{
	int flags = IBV_ACCESS_MW_BIND;

	if (access & (UAL_ACCESS_REMOTE_WRITE | UAL_ACCESS_REMOTE_ATOMIC))
		flags |= IBV_ACCESS_LOCAL_WRITE;
	return ibv_reg_mr(mw->dev->pd, (void *)(uintptr_t)addr, len, flags);
}

int ual_mw_bind(struct ual_ep *ep, struct ual_mw *mw, struct ual_mr *mr,
		uint64_t addr, uint64_t len, unsigned int access,
		uint64_t context, unsigned int flags, uint32_t *rkey)
{
	struct ibv_mw_bind_info info = {
		.mr = mr->mr,
		.addr = addr,
		.length = len,
		.mw_access_flags = window_rights(access),
	};
	struct ibv_mr *range = NULL;
	uint32_t next;
	int ret;

	if (!bind_fits(mw, mr, addr, len, access))
		return ual_post_refuse(ep, POST_BAD_BIND);
	if (mw->range_by_mr) {
		reap_retired(mw);
		if (retire_range(mw))
			return -EBUSY;
		errno = 0;
		range = range_region(mw, addr, len, access);
		if (!range)
			return errno ? -errno : -EIO;
		info.mr = range;
	}
	if (mw->type == UAL_MW_TYPE1) {
		ret = ual_post_bind_mw_call(ep, mw->mw, &info, context, flags);
		next = mw->mw->rkey;	/* the provider advanced it */
	} else {
		next = ibv_inc_rkey(mw->mw->rkey);
		ret = ual_post_bind_mw(ep, mw->mw, next, &info, context, flags);
		/* Later binds and invalidations name the window by this key. */
		if (!ret)
			mw->mw->rkey = next;
	}
	if (ret) {
		if (range)
			ibv_dereg_mr(range);
		return ret;
	}
	mw->range = range;
	mw->bound = info.mr;
	mw->rkey = next;
	ep->last_post_error = POST_OK;
	if (rkey)
		*rkey = next;
	return 0;
}

int ual_mw_unbind(struct ual_ep *ep, struct ual_mw *mw, uint64_t context,
		  unsigned int flags)
{
	/*
	 * A type 1 unbind is a bind of length 0.  rxe's provider reads the
	 * region's key even then (a NULL region crashes it), so the region
	 * of the last bind is named; the device ignores it for length 0.
	 */
	struct ibv_mw_bind_info none = { .mr = mw->bound };
	int ret;

	if (!mw->bound)
		return 0;	/* never bound, or already unbound */
	if (mw->type == UAL_MW_TYPE1)
		ret = ual_post_bind_mw_call(ep, mw->mw, &none, context, flags);
	else
		ret = ual_post_local_inv(ep, mw->mw->rkey, context, flags);
	if (ret)
		return ret;
	mw->bound = NULL;
	if (mw->type == UAL_MW_TYPE1)
		mw->rkey = mw->mw->rkey;
	if (mw->range_by_mr) {
		reap_retired(mw);
		retire_range(mw);	/* full: freed with the window */
	}
	return 0;
}
