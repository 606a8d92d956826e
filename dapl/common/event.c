// SPDX-License-Identifier: BSD-3-Clause OR GPL-2.0-only
/*
 * Layer events and completions as DAT events.  Every ual_event type and
 * every ual_wc status has a defined DAT counterpart (tables below); the
 * mapping follows OFA's where it has one (dapl.md 3.3-3.5) and
 * doc/access_layer.md "Completion status mapping" for completions.
 */
#include <string.h>

#include "dapl.h"

/* ual_wc_status -> DAT_DTO_COMPLETION_STATUS (many-to-one). */
static const DAT_DTO_COMPLETION_STATUS wc_status[UAL_WC_STATUS_COUNT] = {
	[UAL_WC_SUCCESS]		= DAT_DTO_SUCCESS,
	[UAL_WC_LOCAL_LENGTH]		= DAT_DTO_ERR_LOCAL_LENGTH,
	[UAL_WC_LOCAL_PROTECTION]	= DAT_DTO_ERR_LOCAL_PROTECTION,
	[UAL_WC_FLUSHED]		= DAT_DTO_ERR_FLUSHED,
	[UAL_WC_REMOTE_ACCESS]		= DAT_DTO_ERR_REMOTE_ACCESS,
	[UAL_WC_REMOTE_OPERATION]	= DAT_DTO_ERR_REMOTE_RESPONDER,
	[UAL_WC_TRANSPORT_RETRY_EXCEEDED] = DAT_DTO_ERR_TRANSPORT,
	[UAL_WC_RNR_RETRY_EXCEEDED]	= DAT_DTO_ERR_RECEIVER_NOT_READY,
	[UAL_WC_BAD_RESPONSE]		= DAT_DTO_ERR_BAD_RESPONSE,
	[UAL_WC_OTHER]			= DAT_DTO_ERR_TRANSPORT,
	[UAL_WC_LOCAL_QP_OPERATION]	= DAT_DTO_ERR_LOCAL_EP,
	[UAL_WC_MW_BIND]		= DAT_RMR_OPERATION_FAILED,
};

/* ual_wc_opcode -> DAT_DTOS of a successful completion. */
static const DAT_DTOS wc_op[] = {
	[UAL_WC_SEND]			= DAT_DTO_SEND,
	[UAL_WC_RDMA_WRITE]		= DAT_DTO_RDMA_WRITE,
	[UAL_WC_RDMA_READ]		= DAT_DTO_RDMA_READ,
	[UAL_WC_CMP_SWAP]		= DAT_DTO_EXTENSION_BASE,
	[UAL_WC_FETCH_ADD]		= DAT_DTO_EXTENSION_BASE,
	[UAL_WC_RECV]			= DAT_DTO_RECEIVE,
	[UAL_WC_RECV_RDMA_WITH_IMM]	= DAT_DTO_EXTENSION_BASE,
	[UAL_WC_UNKNOWN]		= DAT_DTO_SEND,
	[UAL_WC_BIND_MW]		= DAT_DTO_BIND_MW,
	[UAL_WC_LOCAL_INV]		= DAT_DTO_LMR_INVALIDATE,
};

void dapl_event_from_wc(struct dapl_evd *evd, struct dapl_ep *ep,
			const struct ual_wc *wc, DAT_EVENT *out)
{
	DAT_DTO_COMPLETION_EVENT_DATA *d = &out->event_data.dto_completion_event_data;
	DAT_DTO_COMPLETION_STATUS st = DAT_DTO_ERR_TRANSPORT;
	bool recv = wc->opcode == UAL_WC_RECV ||
		    wc->opcode == UAL_WC_RECV_RDMA_WITH_IMM;

	if ((unsigned int)wc->status < UAL_WC_STATUS_COUNT)
		st = wc_status[wc->status];
	if (st != DAT_DTO_SUCCESS)
		dapl_log(DAPL_DBG_DTO_COMP_ERR,
			 "EVD %p: completion of cookie 0x%llx on QP %u: %s (verbs status %u)",
			 (void *)evd, (unsigned long long)wc->context, wc->qp_num,
			 ual_wc_status_str(wc->status), wc->vendor_status);
	memset(out, 0, sizeof(*out));
	out->evd_handle = evd;
	/*
	 * Window binds and unbinds are rmr.c's (tagged contexts); an error
	 * completion carries no opcode, so rmr.c looks at those too.
	 */
	if ((wc->opcode == UAL_WC_BIND_MW || wc->opcode == UAL_WC_LOCAL_INV ||
	     wc->status != UAL_WC_SUCCESS) && dapl_rmr_bind_event(wc, out)) {
		out->evd_handle = evd;
		return;
	}
	out->event_number = DAT_DTO_COMPLETION_EVENT;
	d->ep_handle = ep;
	d->user_cookie.as_64 = wc->context;
	d->status = st;
	d->transfered_length = wc->byte_len;
	d->operation = (unsigned int)wc->opcode < sizeof(wc_op) / sizeof(wc_op[0]) ?
		       wc_op[wc->opcode] : DAT_DTO_EXTENSION_BASE;
	if (wc->flags & UAL_WC_WITH_INV) {
		d->operation = DAT_DTO_RECEIVE_WITH_INVALIDATE;
		d->rmr_context = wc->invalidated_rkey;
	}
	/*
	 * Error completions carry no opcode: counting them as receives or
	 * requests is the EP's business only for idle tracking, which treats
	 * an unknown one as a request.
	 */
	if (ep)
		dapl_ep_dto_done(ep, recv);
}

/* A live EP named by a layer event, or NULL (freed meanwhile). */
static struct dapl_ep *ep_of(const struct ual_event *ev)
{
	return dapl_obj_get(ev->context, DAT_HANDLE_TYPE_EP);
}

static bool connection_event(const struct ual_event *ev, DAT_EVENT *out)
{
	DAT_CONNECTION_EVENT_DATA *c = &out->event_data.connect_event_data;
	struct dapl_ep *ep = ep_of(ev);
	const uint8_t *pd = ev->private_data;
	uint32_t len = ev->private_data_len;

	if (!ep)
		return false;
	c->ep_handle = ep;
	switch (ev->type) {
	case UAL_EVENT_CONN_ESTABLISHED:
		out->event_number = DAT_CONNECTION_EVENT_ESTABLISHED;
		break;
	case UAL_EVENT_CONN_REJECTED:
		if (ev->reject_reason != UAL_REJECT_CONSUMER) {
			out->event_number = DAT_CONNECTION_EVENT_NON_PEER_REJECTED;
			len = 0;
			break;
		}
		/* A DAPL peer puts its 4-byte header first (dapl.md 3.5). */
		out->event_number = DAT_CONNECTION_EVENT_PEER_REJECTED;
		if (len >= DAPL_REJECT_HDR_LEN) {
			pd += DAPL_REJECT_HDR_LEN;
			len -= DAPL_REJECT_HDR_LEN;
		} else {
			len = 0;
		}
		break;
	case UAL_EVENT_CONN_UNREACHABLE:
		out->event_number = ev->flags & UAL_EVFLAG_TIMED_OUT ?
				    DAT_CONNECTION_EVENT_TIMED_OUT :
				    DAT_CONNECTION_EVENT_UNREACHABLE;
		len = 0;
		break;
	case UAL_EVENT_CONN_DISCONNECTED:
		out->event_number = DAT_CONNECTION_EVENT_DISCONNECTED;
		len = 0;
		break;
	default:	/* CONN_BROKEN */
		out->event_number = DAT_CONNECTION_EVENT_BROKEN;
		len = 0;
		break;
	}
	if (out->event_number != DAT_CONNECTION_EVENT_ESTABLISHED) {
		char buf[512];

		dapl_log(DAPL_DBG_CM, "EP %p: %s%s: %s", (void *)ep,
			 ual_event_name(ev->type),
			 ev->flags & UAL_EVFLAG_TIMED_OUT ? " (timed out)" : "",
			 ual_strerror(&ev->error, buf, sizeof(buf)));
	}
	c->private_data_size = len;
	c->private_data = len ? dapl_ep_keep_pdata(ep, pd, len) : NULL;
	return true;
}

static void async_event(const struct ual_event *ev, DAT_EVENT *out)
{
	DAT_ASYNCH_ERROR_EVENT_DATA *a = &out->event_data.asynch_error_event_data;

	switch (ev->type) {
	case UAL_EVENT_EP_ERROR:
		out->event_number = DAT_ASYNC_ERROR_EP_BROKEN;
		a->dat_handle = ep_of(ev);
		a->reason = DAT_EP_OTHER_ERROR;
		break;
	case UAL_EVENT_EP_LAST_WQE:
		/*
		 * As OFA: verbs' LAST_WQE_REACHED of an EP on an SRQ is
		 * DAT_ASYNC_ERROR_EP_BROKEN naming the EP; it comes after
		 * every disconnect of such an EP, and consumers (dtestsrq)
		 * wait for it before they free the EP.
		 */
		out->event_number = DAT_ASYNC_ERROR_EP_BROKEN;
		a->dat_handle = ep_of(ev);
		a->reason = DAT_EP_OTHER_ERROR;
		break;
	case UAL_EVENT_CQ_ERROR:
		out->event_number = DAT_ASYNC_ERROR_EVD_OVERFLOW;
		a->dat_handle = dapl_obj_get(ev->context, DAT_HANDLE_TYPE_EVD);
		a->reason = DAT_EVD_OVERFLOW_ERROR;
		break;
	case UAL_EVENT_SRQ_LIMIT:
	case UAL_EVENT_SRQ_ERROR:
		/* srq.c's: it also updates the SRQ's watermark and state. */
		if (dapl_obj_get(ev->context, DAT_HANDLE_TYPE_SRQ)) {
			dapl_srq_async_event(ev, out);
			break;
		}
		out->event_number = DAT_ASYNC_ERROR_PROVIDER_INTERNAL_ERROR;
		a->reason = DAT_SRQ_OTHER_ERROR;	/* about a freed SRQ */
		break;
	case UAL_EVENT_DEVICE_FATAL:
	case UAL_EVENT_DEVICE_REMOVED:
		out->event_number = DAT_ASYNC_ERROR_IA_CATASTROPHIC;
		a->reason = DAT_IA_CATASTROPHIC_ERROR;
		break;
	default:
		/*
		 * PORT_DOWN/UP, LISTEN_ERROR and UD events (no UD in DAT's
		 * core): DAT has no event for them; the IA learns of them
		 * as a provider internal error naming what happened.
		 */
		out->event_number = DAT_ASYNC_ERROR_PROVIDER_INTERNAL_ERROR;
		a->reason = DAT_IA_OTHER_ERROR;
		break;
	}
	/* LAST_WQE follows every orderly disconnect: no warning. */
	dapl_log(ev->type == UAL_EVENT_EP_LAST_WQE ? DAPL_DBG_SRQ : DAPL_DBG_WARN,
		 "async event %s (port %u)", ual_event_name(ev->type),
		 ev->port_num);
}

bool dapl_event_from_ual(struct dapl_evd *evd, const struct ual_event *ev,
			 DAT_EVENT *out)
{
	memset(out, 0, sizeof(*out));
	out->evd_handle = evd;
	switch (ev->type) {
	case UAL_EVENT_CONN_ESTABLISHED:
	case UAL_EVENT_CONN_REJECTED:
	case UAL_EVENT_CONN_UNREACHABLE:
	case UAL_EVENT_CONN_DISCONNECTED:
	case UAL_EVENT_CONN_BROKEN:
		return connection_event(ev, out);
	case UAL_EVENT_CONN_REQUEST:
		out->event_number = DAT_CONNECTION_REQUEST_EVENT;
		return dapl_cr_from_event(evd, ev, &out->event_data.cr_arrival_event_data);
	case UAL_EVENT_SOFTWARE:
		out->event_number = DAT_SOFTWARE_EVENT;
		out->event_data.software_event_data.pointer =
			(DAT_PVOID)(uintptr_t)ev->software;
		return true;
	case UAL_EVENT_NONE:
		return false;
	default:
		async_event(ev, out);
		return true;
	}
}
