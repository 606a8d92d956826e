// SPDX-License-Identifier: BSD-2-Clause
/*
 * mr.c - memory registration.
 */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "ual_internal.h"

/*
 * Says why ibv_reg_mr refused [addr, addr + len): the locked-memory limit
 * when the errno and the numbers make that plausible, else what is known.
 */
static void explain_reg_failure(struct ual_device *dev, int errnum,
				void *addr, size_t len, struct ual_error *err)
{
	uint64_t span = ual_memlock_span((uintptr_t)addr, len, dev->page_size);

	if (!err)
		return;
	if (ual_memlock_blame(err, errnum, span, false, "a region",
			      ual_device_memlock_rules(dev)))
		return;
	if (len > dev->attr.max_mr_size)
		snprintf(err->detail, sizeof(err->detail),
			 "%zu bytes exceed the device's largest region (%llu)",
			 len, (unsigned long long)dev->attr.max_mr_size);
	else if (errnum == EFAULT)
		snprintf(err->detail, sizeof(err->detail),
			 "%zu bytes at %p: part of the range is not mapped in this process",
			 len, addr);
	else
		snprintf(err->detail, sizeof(err->detail), "%zu bytes at %p",
			 len, addr);
}

int ual_mr_reg(struct ual_device *dev, void *addr, size_t len,
	       unsigned int access, struct ual_mr **out, struct ual_error *err)
{
	struct ual_mr *mr;
	int errnum;

	if ((access & UAL_ACCESS_MW_BIND) &&
	    !(dev->attr.caps & (UAL_CAP_MW_TYPE1 | UAL_CAP_MW_TYPE2))) {
		ual_err_set(err, EOPNOTSUPP, "ibv_reg_mr",
			    "UAL_ACCESS_MW_BIND: device %s (%s) has no memory windows",
			    dev->attr.name,
			    ual_transport_name(dev->attr.transport));
		ual_err_context(err, dev->attr.name, NULL);
		return -EOPNOTSUPP;
	}
	mr = calloc(1, sizeof(*mr));
	if (!mr)
		return ual_err_set(err, ENOMEM, "calloc", NULL);
	mr->dev = dev;
	mr->access = ual_access_effective(access, dev->attr.transport);
	errno = 0;
	mr->mr = ibv_reg_mr(dev->pd, addr, len, ual_access_to_ibv(mr->access));
	if (!mr->mr && !errno) {
		free(mr);
		return ual_device_no_errno(dev, "ibv_reg_mr", "MR", 0, 0, err);
	}
	if (!mr->mr) {
		errnum = errno;
		free(mr);
		ual_err_set(err, errnum, "ibv_reg_mr", NULL);
		ual_err_context(err, dev->attr.name, NULL);
		explain_reg_failure(dev, errnum, addr, len, err);
		return -errnum;
	}
	ual_device_get(dev);
	*out = mr;
	return 0;
}

int ual_mr_dereg(struct ual_mr *mr, struct ual_error *err)
{
	int ret;

	if (!mr)
		return 0;
	ret = ibv_dereg_mr(mr->mr);
	if (ret)
		return ual_err_set(err, ret, "ibv_dereg_mr",
				   "the region is still in use (bound memory window?)");
	ual_device_put(mr->dev);
	free(mr);
	return 0;
}

uint32_t ual_mr_lkey(const struct ual_mr *mr)
{
	return mr->mr->lkey;
}

uint32_t ual_mr_rkey(const struct ual_mr *mr)
{
	return mr->mr->rkey;
}

unsigned int ual_mr_access(const struct ual_mr *mr)
{
	return mr->access;
}
