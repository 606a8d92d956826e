// SPDX-License-Identifier: BSD-2-Clause
/*
 * dev_loss.c - what losing a device means for the objects on it (policy,
 * no verbs calls).
 *
 * A device can be lost two ways: rdma_cm reports its removal
 * (RDMA_CM_EVENT_DEVICE_REMOVAL, e.g. "rdma link delete" or a hot unplug),
 * or the driver reports it fatal (IBV_EVENT_DEVICE_FATAL on the async fd;
 * drivers that can disassociate send it when they tear user space off the
 * hardware).  Either way every event queue of the device hears of it once
 * per cause, every endpoint breaks once, and each event says what the
 * consumer must do: free the objects, because the kernel does not finish
 * a removal while a process still holds the device open.
 */
#include <config.h>

#include <errno.h>
#include <stdio.h>

#include "ual_internal.h"

enum ual_dev_loss ual_dev_loss_from_cm(enum rdma_cm_event_type ev)
{
	return ev == RDMA_CM_EVENT_DEVICE_REMOVAL ? UAL_LOSS_REMOVED
						  : UAL_LOSS_NONE;
}

enum ual_dev_loss ual_dev_loss_from_async(enum ibv_event_type ev)
{
	return ev == IBV_EVENT_DEVICE_FATAL ? UAL_LOSS_FATAL : UAL_LOSS_NONE;
}

/*
 * A removal tells more than a fatal error (the device is gone for good,
 * not just broken), so it is reported even after a fatal error; anything
 * else that follows a loss is old news.
 */
bool ual_dev_loss_escalates(enum ual_dev_loss before, enum ual_dev_loss now)
{
	if (now == UAL_LOSS_NONE || now == before)
		return false;
	return before == UAL_LOSS_NONE || now == UAL_LOSS_REMOVED;
}

enum ual_event_type ual_dev_loss_event(enum ual_dev_loss loss)
{
	switch (loss) {
	case UAL_LOSS_REMOVED:
		return UAL_EVENT_DEVICE_REMOVED;
	case UAL_LOSS_FATAL:
		return UAL_EVENT_DEVICE_FATAL;
	default:
		return UAL_EVENT_NONE;
	}
}

static const char *loss_step(enum ual_dev_loss loss)
{
	return loss == UAL_LOSS_FATAL ? "IBV_EVENT_DEVICE_FATAL"
				      : "RDMA_CM_EVENT_DEVICE_REMOVAL";
}

void ual_dev_loss_error(struct ual_error *err, enum ual_dev_loss loss,
			const char *device, const char *object)
{
	if (loss == UAL_LOSS_FATAL)
		ual_err_set(err, EIO, loss_step(loss),
			    "device %s failed (fatal error); destroy the %s and every other object of the device, then close it",
			    device, object);
	else
		ual_err_set(err, ENODEV, loss_step(loss),
			    "device %s was removed; destroy the %s and every other object of the device, then close it: the kernel waits for that to finish the removal",
			    device, object);
	ual_err_context(err, device, NULL);
}
