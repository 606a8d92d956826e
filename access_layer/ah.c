// SPDX-License-Identifier: BSD-2-Clause
/*
 * ah.c - address handles for unreliable datagrams.
 *
 * Handles toward a resolved peer come from ual_ud_resolve (rdma_cm's
 * SIDR exchange); handles for answering a sender come from its receive.
 */
#include <config.h>

#include <errno.h>
#include <stdlib.h>

#include "ual_internal.h"

int ual_ah_create_from_wc(struct ual_ep *ep, const struct ual_wc *wc,
			  const void *grh, struct ual_ah **out,
			  struct ual_error *err)
{
	struct ibv_wc raw = { 0 };
	struct ual_ah *ah;

	if (ep->type != UAL_EP_UD)
		return ual_err_set(err, EINVAL, "ual_ah_create_from_wc",
				   "address handles belong to UD endpoints");
	ah = calloc(1, sizeof(*ah));
	if (!ah)
		return ual_err_set(err, ENOMEM, "calloc", NULL);
	raw.status = IBV_WC_SUCCESS;
	raw.qp_num = wc->qp_num;
	raw.src_qp = wc->src_qp;
	raw.wc_flags = (wc->flags & UAL_WC_WITH_GRH) ? IBV_WC_GRH : 0;
	errno = 0;
	ah->ah = ibv_create_ah_from_wc(ep->dev->pd, &raw,
				       (struct ibv_grh *)grh,
				       ep->dev->attr.port_num);
	if (!ah->ah) {
		free(ah);
		if (!errno)
			return ual_device_no_errno(ep->dev, "ibv_create_ah_from_wc",
						   "AH", 0, 0, err);
		return ual_err_set(err, errno, "ibv_create_ah_from_wc", NULL);
	}
	*out = ah;
	return 0;
}

int ual_ah_destroy(struct ual_ah *ah)
{
	int ret;

	if (!ah)
		return 0;
	ret = ibv_destroy_ah(ah->ah);
	free(ah);
	return -ret;
}
