// SPDX-License-Identifier: BSD-2-Clause
/*
 * post.c - posting work requests: the data path.
 *
 * No lock, no allocation, no copy of the scatter list (struct ual_sge has
 * the layout of struct ibv_sge).  Payloads up to the endpoint's inline
 * limit are sent inline, which is what makes small messages fast.
 * Operations the device cannot do fail up front with -EOPNOTSUPP, and
 * ual_post_strerror() says why, instead of the QP dying later.  Once the
 * device is lost every post fails with -ENODEV.
 */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ual_internal.h"

_Static_assert(sizeof(struct ual_sge) == sizeof(struct ibv_sge),
	       "ual_sge must match ibv_sge");
_Static_assert(offsetof(struct ual_sge, lkey) == offsetof(struct ibv_sge, lkey),
	       "ual_sge must match ibv_sge");

/*
 * Verbs posts return a positive errno, but libsiw returns a negative one:
 * either way the caller gets a negative errno.
 */
static inline int neg_errno(int ret)
{
	return ret > 0 ? -ret : ret;
}

static int refuse(struct ual_ep *ep, enum ual_post_refusal why)
{
	ep->last_post_error = why;
	return why == POST_BAD_BIND ? -EINVAL : -EOPNOTSUPP;
}

int ual_post_refuse(struct ual_ep *ep, enum ual_post_refusal why)
{
	return refuse(ep, why);
}

static unsigned int send_flags(const struct ual_ep *ep,
			       const struct ual_sge *sge, int nsge,
			       unsigned int flags, bool may_inline)
{
	unsigned int f = 0;
	uint32_t total = 0;
	int i;

	if (flags & UAL_POST_SIGNALED)
		f |= IBV_SEND_SIGNALED;
	if (flags & UAL_POST_SOLICITED)
		f |= IBV_SEND_SOLICITED;
	if (flags & UAL_POST_FENCE)
		f |= IBV_SEND_FENCE;
	if (!may_inline || (flags & UAL_POST_NO_INLINE) || !ep->max_inline)
		return f;
	for (i = 0; i < nsge; i++)
		total += sge[i].length;
	if (total <= ep->max_inline)
		f |= IBV_SEND_INLINE;
	return f;
}

static bool ep_device_lost(struct ual_ep *ep)
{
	if (!__atomic_load_n(&ep->device_lost, __ATOMIC_RELAXED))
		return false;
	ep->last_post_error = POST_DEVICE_LOST;
	return true;
}

static int post(struct ual_ep *ep, struct ibv_send_wr *wr)
{
	struct ibv_send_wr *bad;

	if (ep_device_lost(ep))
		return -ENODEV;
	return neg_errno(ibv_post_send(ep->qp, wr, &bad));
}

static void wr_init(struct ibv_send_wr *wr, enum ibv_wr_opcode op,
		    const struct ual_sge *sge, int nsge, uint64_t context)
{
	memset(wr, 0, sizeof(*wr));
	wr->wr_id = context;
	wr->opcode = op;
	wr->sg_list = (struct ibv_sge *)sge;
	wr->num_sge = nsge;
}

int ual_post_recv(struct ual_ep *ep, const struct ual_sge *sge, int nsge,
		  uint64_t context)
{
	struct ibv_recv_wr wr = {
		.wr_id = context,
		.sg_list = (struct ibv_sge *)sge,
		.num_sge = nsge,
	}, *bad;

	if (ep_device_lost(ep))
		return -ENODEV;
	return neg_errno(ibv_post_recv(ep->qp, &wr, &bad));
}

int ual_srq_post_recv(struct ual_srq *srq, const struct ual_sge *sge,
		      int nsge, uint64_t context)
{
	struct ibv_recv_wr wr = {
		.wr_id = context,
		.sg_list = (struct ibv_sge *)sge,
		.num_sge = nsge,
	}, *bad;

	if (__atomic_load_n(&srq->dev->hca->lost, __ATOMIC_RELAXED) != UAL_LOSS_NONE)
		return -ENODEV;
	return neg_errno(ibv_post_srq_recv(srq->srq, &wr, &bad));
}

int ual_post_send(struct ual_ep *ep, const struct ual_sge *sge, int nsge,
		  uint64_t context, unsigned int flags)
{
	struct ibv_send_wr wr;

	if (ep->type != UAL_EP_RC)
		return refuse(ep, POST_WRONG_EP_TYPE);
	wr_init(&wr, IBV_WR_SEND, sge, nsge, context);
	wr.send_flags = send_flags(ep, sge, nsge, flags, true);
	return post(ep, &wr);
}

int ual_post_send_imm(struct ual_ep *ep, const struct ual_sge *sge, int nsge,
		      uint32_t imm, uint64_t context, unsigned int flags)
{
	struct ibv_send_wr wr;

	if (!(ep->dev->attr.caps & UAL_CAP_IMMEDIATE))
		return refuse(ep, POST_NO_IMMEDIATE);
	wr_init(&wr, IBV_WR_SEND_WITH_IMM, sge, nsge, context);
	wr.send_flags = send_flags(ep, sge, nsge, flags, true);
	wr.imm_data = imm;	/* host order, like OFA uDAPL */
	return post(ep, &wr);
}

int ual_post_write(struct ual_ep *ep, const struct ual_sge *sge, int nsge,
		   uint64_t raddr, uint32_t rkey, uint64_t context,
		   unsigned int flags)
{
	struct ibv_send_wr wr;

	wr_init(&wr, IBV_WR_RDMA_WRITE, sge, nsge, context);
	wr.send_flags = send_flags(ep, sge, nsge, flags, true);
	wr.wr.rdma.remote_addr = raddr;
	wr.wr.rdma.rkey = rkey;
	return post(ep, &wr);
}

int ual_post_write_imm(struct ual_ep *ep, const struct ual_sge *sge, int nsge,
		       uint64_t raddr, uint32_t rkey, uint32_t imm,
		       uint64_t context, unsigned int flags)
{
	struct ibv_send_wr wr;

	if (!(ep->dev->attr.caps & UAL_CAP_IMMEDIATE))
		return refuse(ep, POST_NO_IMMEDIATE);
	wr_init(&wr, IBV_WR_RDMA_WRITE_WITH_IMM, sge, nsge, context);
	wr.send_flags = send_flags(ep, sge, nsge, flags, true);
	wr.wr.rdma.remote_addr = raddr;
	wr.wr.rdma.rkey = rkey;
	wr.imm_data = imm;
	return post(ep, &wr);
}

/*
 * An endpoint whose read depth (ORD) is 0 may not issue reads or atomics:
 * rxe would queue such a request forever waiting for a read credit.
 */
static int no_read_depth(struct ual_ep *ep)
{
	ep->last_post_error = POST_NO_READ_DEPTH;
	return -EPERM;
}

int ual_post_read(struct ual_ep *ep, const struct ual_sge *sge, int nsge,
		  uint64_t raddr, uint32_t rkey, uint64_t context,
		  unsigned int flags)
{
	struct ibv_send_wr wr;

	if (!ep->read_out)
		return no_read_depth(ep);

	wr_init(&wr, IBV_WR_RDMA_READ, sge, nsge, context);
	wr.send_flags = send_flags(ep, sge, nsge, flags, false);
	wr.wr.rdma.remote_addr = raddr;
	wr.wr.rdma.rkey = rkey;
	return post(ep, &wr);
}

static int post_atomic(struct ual_ep *ep, enum ibv_wr_opcode op,
		       const struct ual_sge *sge, uint64_t raddr,
		       uint32_t rkey, uint64_t a, uint64_t b,
		       uint64_t context, unsigned int flags)
{
	struct ibv_send_wr wr;

	if (!(ep->dev->attr.caps & UAL_CAP_ATOMICS))
		return refuse(ep, POST_NO_ATOMICS);
	if (!ep->read_out)
		return no_read_depth(ep);
	wr_init(&wr, op, sge, 1, context);
	wr.send_flags = send_flags(ep, sge, 1, flags, false);
	wr.wr.atomic.remote_addr = raddr;
	wr.wr.atomic.rkey = rkey;
	wr.wr.atomic.compare_add = a;
	wr.wr.atomic.swap = b;
	return post(ep, &wr);
}

int ual_post_cmp_swap(struct ual_ep *ep, const struct ual_sge *sge,
		      uint64_t raddr, uint32_t rkey, uint64_t compare,
		      uint64_t swap, uint64_t context, unsigned int flags)
{
	return post_atomic(ep, IBV_WR_ATOMIC_CMP_AND_SWP, sge, raddr, rkey,
			   compare, swap, context, flags);
}

int ual_post_fetch_add(struct ual_ep *ep, const struct ual_sge *sge,
		       uint64_t raddr, uint32_t rkey, uint64_t add,
		       uint64_t context, unsigned int flags)
{
	return post_atomic(ep, IBV_WR_ATOMIC_FETCH_AND_ADD, sge, raddr, rkey,
			   add, 0, context, flags);
}

int ual_post_send_inv(struct ual_ep *ep, const struct ual_sge *sge, int nsge,
		      uint32_t rkey, uint64_t context, unsigned int flags)
{
	struct ibv_send_wr wr;

	if (!(ep->dev->attr.caps & UAL_CAP_MW_TYPE2))
		return refuse(ep, POST_NO_MW);
	if (ep->type != UAL_EP_RC)
		return refuse(ep, POST_WRONG_EP_TYPE);
	wr_init(&wr, IBV_WR_SEND_WITH_INV, sge, nsge, context);
	wr.send_flags = send_flags(ep, sge, nsge, flags, true);
	wr.invalidate_rkey = rkey;
	return post(ep, &wr);
}

int ual_post_local_inv(struct ual_ep *ep, uint32_t rkey, uint64_t context,
		       unsigned int flags)
{
	struct ibv_send_wr wr;

	if (!(ep->dev->attr.caps & UAL_CAP_MW_TYPE2))
		return refuse(ep, POST_NO_MW);
	wr_init(&wr, IBV_WR_LOCAL_INV, NULL, 0, context);
	wr.send_flags = send_flags(ep, NULL, 0, flags, false);
	wr.invalidate_rkey = rkey;
	return post(ep, &wr);
}

/* A type 2 bind: a work request that carries the window's next key. */
int ual_post_bind_mw(struct ual_ep *ep, struct ibv_mw *mw, uint32_t rkey,
		     const struct ibv_mw_bind_info *info, uint64_t context,
		     unsigned int flags)
{
	struct ibv_send_wr wr;

	wr_init(&wr, IBV_WR_BIND_MW, NULL, 0, context);
	wr.send_flags = send_flags(ep, NULL, 0, flags, false);
	wr.bind_mw.mw = mw;
	wr.bind_mw.rkey = rkey;
	wr.bind_mw.bind_info = *info;
	return post(ep, &wr);
}

/* A type 1 bind or unbind: ibv_bind_mw, which the provider posts. */
int ual_post_bind_mw_call(struct ual_ep *ep, struct ibv_mw *mw,
			  const struct ibv_mw_bind_info *info,
			  uint64_t context, unsigned int flags)
{
	struct ibv_mw_bind b = {
		.wr_id = context,
		.send_flags = send_flags(ep, NULL, 0, flags, false),
		.bind_info = *info,
	};

	if (ep_device_lost(ep))
		return -ENODEV;
	return -ibv_bind_mw(ep->qp, mw, &b);
}

int ual_post_send_ud(struct ual_ep *ep, const struct ual_sge *sge, int nsge,
		     struct ual_ah *ah, uint32_t remote_qpn,
		     uint32_t remote_qkey, uint64_t context,
		     unsigned int flags)
{
	struct ibv_send_wr wr;

	if (ep->type != UAL_EP_UD)
		return refuse(ep, POST_WRONG_EP_TYPE);
	wr_init(&wr, IBV_WR_SEND, sge, nsge, context);
	wr.send_flags = send_flags(ep, sge, nsge, flags, true);
	wr.wr.ud.ah = ah->ah;
	wr.wr.ud.remote_qpn = remote_qpn;
	wr.wr.ud.remote_qkey = remote_qkey;
	return post(ep, &wr);
}

const char *ual_post_strerror(int rc, const struct ual_ep *ep, char *buf,
			      size_t len)
{
	const struct ual_device_attr *a = &ep->dev->attr;
	const char *what = NULL;

	if (rc == -EOPNOTSUPP) {
		switch (ep->last_post_error) {
		case POST_NO_ATOMICS:
			what = "atomic operations are";
			break;
		case POST_NO_IMMEDIATE:
			what = "immediate data is";
			break;
		case POST_NO_MW:
			what = "memory windows (of this type) are";
			break;
		case POST_WRONG_EP_TYPE:
			snprintf(buf, len, "operation does not fit a %s endpoint",
				 ep->type == UAL_EP_UD ? "UD" : "RC");
			return buf;
		default:
			break;
		}
	}
	if (rc == -EPERM && ep->last_post_error == POST_NO_READ_DEPTH) {
		snprintf(buf, len, "this endpoint may have no RDMA read or atomic outstanding (read depth 0%s)",
			 ep->want_out ? " negotiated with the peer" : " asked for");
		return buf;
	}
	if (rc == -EINVAL && ep->last_post_error == POST_BAD_BIND) {
		snprintf(buf, len, "memory window bind refused: the range must lie inside a region registered with UAL_ACCESS_MW_BIND (and local write for remote write or atomic rights), and the window must belong to device %s",
			 a->name);
		return buf;
	}
	if (rc == -ENODEV) {
		snprintf(buf, len, "device %s was lost (removed or failed): destroy this endpoint and the device's other objects, then close the device",
			 a->name);
		return buf;
	}
	if (what) {
		snprintf(buf, len, "%s not supported by device %s (%s)", what,
			 a->name, ual_transport_name(a->transport));
		return buf;
	}
	if (rc == -ENOMEM)
		snprintf(buf, len, "work queue full on device %s (post fewer or enlarge the queue)",
			 a->name);
	else if (rc == -EINVAL)
		snprintf(buf, len, "invalid work request for device %s (too many SGEs, bad opcode or QP state)",
			 a->name);
	else
		snprintf(buf, len, "post failed on device %s: %s", a->name,
			 strerror(-rc));
	return buf;
}
