// SPDX-License-Identifier: BSD-2-Clause
/*
 * conn_state.c - the connection state machine of an endpoint.
 *
 * Pure logic: given the endpoint's state and what happened (an rdma_cm
 * event, a timer, a fatal QP event, a local call), decide the next state,
 * the rdma_cm action to take and the event owed to the consumer.  cm.c
 * executes the decision; the unit tests drive this function directly.
 * Keeping the whole policy here is what lets both API shims stay thin.
 */
#include <config.h>

#include <errno.h>
#include <string.h>

#include "ual_internal.h"

enum ual_conn_input ual_conn_input_from_cm(enum rdma_cm_event_type ev)
{
	switch (ev) {
	case RDMA_CM_EVENT_ADDR_RESOLVED:
		return UAL_IN_ADDR_RESOLVED;
	case RDMA_CM_EVENT_ADDR_ERROR:
		return UAL_IN_ADDR_ERROR;
	case RDMA_CM_EVENT_ROUTE_RESOLVED:
		return UAL_IN_ROUTE_RESOLVED;
	case RDMA_CM_EVENT_ROUTE_ERROR:
		return UAL_IN_ROUTE_ERROR;
	case RDMA_CM_EVENT_ESTABLISHED:
		return UAL_IN_ESTABLISHED;
	case RDMA_CM_EVENT_REJECTED:
		return UAL_IN_REJECTED;
	case RDMA_CM_EVENT_UNREACHABLE:
		return UAL_IN_UNREACHABLE;
	case RDMA_CM_EVENT_CONNECT_ERROR:
		return UAL_IN_CONNECT_ERROR;
	case RDMA_CM_EVENT_DISCONNECTED:
		return UAL_IN_DISCONNECTED;
	case RDMA_CM_EVENT_DEVICE_REMOVAL:
		return UAL_IN_DEVICE_REMOVAL;
	default:
		return UAL_IN_IGNORED;
	}
}

/*
 * IB CM: reason 8 (invalid service ID) means nobody listens, 28 is a
 * consumer reject.  iWARP: "nobody listens" is a refused TCP connect,
 * reported synchronously by rdma_connect (UAL_IN_CONNECT_REFUSED), so a
 * REJECTED event can only come from the peer's MPA reject; its status
 * (-ECONNREFUSED or -ECONNRESET) depends on the driver.
 */
enum ual_reject_reason ual_reject_classify(enum ual_transport t, int status,
					   uint32_t pdata_len)
{
	(void)pdata_len;
	if (t == UAL_TRANSPORT_IWARP)
		return UAL_REJECT_CONSUMER;
	if (status == UAL_IB_REJ_INVALID_SERVICE_ID)
		return UAL_REJECT_NO_LISTENER;
	if (status == UAL_IB_REJ_CONSUMER_DEFINED)
		return UAL_REJECT_CONSUMER;
	return UAL_REJECT_OTHER;
}

static void set(struct ual_conn_step *o, enum ual_ep_state next,
		enum ual_conn_action act, enum ual_event_type ev)
{
	o->next = next;
	o->action = act;
	o->deliver = ev;
}

/* A failure that may go away by itself: retry, or give up with @final. */
static void transient(struct ual_conn_step *o, bool may_retry, bool recycle,
		      enum ual_event_type final, enum ual_reject_reason why)
{
	o->recycle = recycle;
	if (may_retry) {
		set(o, UAL_EP_RETRY_WAIT, UAL_ACT_RETRY_LATER, UAL_EVENT_NONE);
		return;
	}
	set(o, UAL_EP_FAILED, UAL_ACT_CANCEL, final);
	o->reason = why;
}

static bool active_pending(enum ual_ep_state s)
{
	return s == UAL_EP_ADDR_QUERY || s == UAL_EP_ROUTE_QUERY ||
	       s == UAL_EP_CONNECTING || s == UAL_EP_RETRY_WAIT;
}

static void step_rejected(enum ual_ep_state s, enum ual_reject_reason why,
			  bool may_retry, struct ual_conn_step *o)
{
	if (s == UAL_EP_CONNECTING && why == UAL_REJECT_NO_LISTENER) {
		transient(o, may_retry, true, UAL_EVENT_CONN_REJECTED, why);
		return;
	}
	if (s == UAL_EP_CONNECTING || s == UAL_EP_ACCEPTING) {
		set(o, UAL_EP_FAILED, UAL_ACT_CANCEL, UAL_EVENT_CONN_REJECTED);
		o->reason = s == UAL_EP_ACCEPTING ? UAL_REJECT_OTHER : why;
	}
}

static void step_disconnected(enum ual_ep_state s, struct ual_conn_step *o)
{
	switch (s) {
	case UAL_EP_CONNECTED:
		/* The peer's DREQ needs our DREP. */
		set(o, UAL_EP_DISCONNECTED, UAL_ACT_DISCONNECT,
		    UAL_EVENT_CONN_DISCONNECTED);
		break;
	case UAL_EP_DISCONNECTING:
		set(o, UAL_EP_DISCONNECTED, UAL_ACT_NONE,
		    UAL_EVENT_CONN_DISCONNECTED);
		break;
	case UAL_EP_ACCEPTING:
	case UAL_EP_CONNECTING:
		set(o, UAL_EP_FAILED, UAL_ACT_CANCEL,
		    UAL_EVENT_CONN_UNREACHABLE);
		break;
	default:
		break;
	}
}

static void step_fatal(enum ual_ep_state s, struct ual_conn_step *o)
{
	if (s == UAL_EP_CONNECTED || s == UAL_EP_ACCEPTING)
		set(o, UAL_EP_FAILED, UAL_ACT_DISCONNECT, UAL_EVENT_CONN_BROKEN);
	else if (active_pending(s))
		set(o, UAL_EP_FAILED, UAL_ACT_CANCEL, UAL_EVENT_CONN_BROKEN);
}

/*
 * DISCONNECTING after a disconnect while ACCEPTING: on IB the CM sends no
 * DREQ for a connection that is not established yet (no RTU), so no
 * DISCONNECTED comes by itself.  ESTABLISHED (the RTU came after all)
 * means the disconnect can go out now; a failure (the REP timed out, a
 * reject) means there is nothing left to disconnect.
 */
static void step_disconnecting(enum ual_conn_input in,
			       struct ual_conn_step *o)
{
	switch (in) {
	case UAL_IN_ESTABLISHED:
		set(o, UAL_EP_DISCONNECTING, UAL_ACT_DISCONNECT,
		    UAL_EVENT_NONE);
		break;
	case UAL_IN_UNREACHABLE:
	case UAL_IN_CONNECT_ERROR:
	case UAL_IN_REJECTED:
		set(o, UAL_EP_DISCONNECTED, UAL_ACT_NONE,
		    UAL_EVENT_CONN_DISCONNECTED);
		break;
	default:
		break;
	}
}

static void step_local_disconnect(enum ual_ep_state s,
				  struct ual_conn_step *o)
{
	if (s == UAL_EP_CONNECTED || s == UAL_EP_ACCEPTING)
		set(o, UAL_EP_DISCONNECTING, UAL_ACT_DISCONNECT, UAL_EVENT_NONE);
	else if (active_pending(s))
		set(o, UAL_EP_DISCONNECTED, UAL_ACT_CANCEL,
		    UAL_EVENT_CONN_DISCONNECTED);
}

/*
 * Resolution failures spend their own budget and try again at once on
 * the same cm id (rdma_cm returns it to the state before the query).
 */
static void step_resolve_error(enum ual_ep_state s, enum ual_conn_input in,
			       unsigned int budget, struct ual_conn_step *o)
{
	bool addr = in == UAL_IN_ADDR_ERROR;

	if (s != UAL_EP_ADDR_QUERY && s != UAL_EP_ROUTE_QUERY)
		return;
	if (!(budget & UAL_MAY_RERESOLVE)) {
		set(o, UAL_EP_FAILED, UAL_ACT_CANCEL, UAL_EVENT_CONN_UNREACHABLE);
		return;
	}
	if (addr)
		set(o, UAL_EP_ADDR_QUERY, UAL_ACT_RESOLVE_ADDR, UAL_EVENT_NONE);
	else
		set(o, UAL_EP_ROUTE_QUERY, UAL_ACT_RESOLVE_ROUTE, UAL_EVENT_NONE);
}

/* The consumer's deadline, or a peer that never answers a disconnect. */
static void step_timer(enum ual_ep_state s, enum ual_conn_input in,
		       struct ual_conn_step *o)
{
	if (in == UAL_IN_TIMEOUT && active_pending(s))
		set(o, UAL_EP_FAILED, UAL_ACT_CANCEL, UAL_EVENT_CONN_UNREACHABLE);
	else if (in == UAL_IN_DISCONNECT_TIMER && s == UAL_EP_DISCONNECTING)
		set(o, UAL_EP_DISCONNECTED, UAL_ACT_CANCEL,
		    UAL_EVENT_CONN_DISCONNECTED);
	else
		return;
	o->flags |= UAL_EVFLAG_TIMED_OUT;
}

void ual_conn_step(enum ual_ep_state s, enum ual_conn_input in,
		   enum ual_reject_reason why, unsigned int budget,
		   struct ual_conn_step *o)
{
	bool may_retry = budget & UAL_MAY_RETRY;

	memset(o, 0, sizeof(*o));
	set(o, s, UAL_ACT_NONE, UAL_EVENT_NONE);
	if (s == UAL_EP_DISCONNECTING) {
		step_disconnecting(in, o);
		if (o->action != UAL_ACT_NONE || o->next != s)
			return;
	}

	switch (in) {
	case UAL_IN_ADDR_RESOLVED:
		if (s == UAL_EP_ADDR_QUERY)
			set(o, UAL_EP_ROUTE_QUERY, UAL_ACT_RESOLVE_ROUTE,
			    UAL_EVENT_NONE);
		break;
	case UAL_IN_ROUTE_RESOLVED:
		if (s == UAL_EP_ROUTE_QUERY)
			set(o, UAL_EP_CONNECTING, UAL_ACT_CONNECT,
			    UAL_EVENT_NONE);
		break;
	case UAL_IN_ADDR_ERROR:
	case UAL_IN_ROUTE_ERROR:
		step_resolve_error(s, in, budget, o);
		break;
	case UAL_IN_CONNECT_REFUSED:
		if (s == UAL_EP_CONNECTING)
			transient(o, may_retry, true, UAL_EVENT_CONN_REJECTED,
				  UAL_REJECT_NO_LISTENER);
		break;
	case UAL_IN_UNREACHABLE:
	case UAL_IN_CONNECT_ERROR:
		if (s == UAL_EP_CONNECTING)
			transient(o, may_retry, true,
				  UAL_EVENT_CONN_UNREACHABLE, UAL_REJECT_NONE);
		else if (s == UAL_EP_ACCEPTING)
			set(o, UAL_EP_FAILED, UAL_ACT_CANCEL,
			    UAL_EVENT_CONN_UNREACHABLE);
		break;
	case UAL_IN_REJECTED:
		step_rejected(s, why, may_retry, o);
		break;
	case UAL_IN_ESTABLISHED:
		if (s == UAL_EP_CONNECTING || s == UAL_EP_ACCEPTING)
			set(o, UAL_EP_CONNECTED, UAL_ACT_NONE,
			    UAL_EVENT_CONN_ESTABLISHED);
		break;
	case UAL_IN_DISCONNECTED:
		step_disconnected(s, o);
		break;
	case UAL_IN_DEVICE_REMOVAL:
		if (s != UAL_EP_FAILED)
			set(o, UAL_EP_FAILED, UAL_ACT_CANCEL,
			    UAL_EVENT_CONN_BROKEN);
		break;
	case UAL_IN_QP_FATAL:
		step_fatal(s, o);
		break;
	case UAL_IN_TIMEOUT:
	case UAL_IN_DISCONNECT_TIMER:
		step_timer(s, in, o);
		break;
	case UAL_IN_RETRY_TIMER:
		if (s == UAL_EP_RETRY_WAIT)
			set(o, UAL_EP_ADDR_QUERY, UAL_ACT_RESTART,
			    UAL_EVENT_NONE);
		break;
	case UAL_IN_LOCAL_DISCONNECT:
		step_local_disconnect(s, o);
		break;
	default:
		break;
	}
}

/*
 * Only an endpoint whose connection is over (or never began) goes back to
 * IDLE: resetting one that is connected or on its way would pull the QP
 * from under a live connection, and its outcome event would name a
 * connection that no longer exists.
 */
int ual_conn_reset_rule(enum ual_ep_state s, const char **why)
{
	const char *text = NULL;
	int ret = 0;

	switch (s) {
	case UAL_EP_IDLE:
	case UAL_EP_DISCONNECTED:
	case UAL_EP_FAILED:
		break;
	case UAL_EP_CONNECTED:
		ret = -EISCONN;
		text = "disconnect it first and wait for DISCONNECTED";
		break;
	case UAL_EP_DISCONNECTING:
		ret = -EBUSY;
		text = "wait for DISCONNECTED";
		break;
	default:
		ret = -EBUSY;
		text = "a connection attempt is under way; wait for its outcome or disconnect";
		break;
	}
	if (why)
		*why = text;
	return ret;
}

static const char *const state_names[UAL_EP_STATE_COUNT] = {
	[UAL_EP_IDLE] = "idle",
	[UAL_EP_ADDR_QUERY] = "resolving address",
	[UAL_EP_ROUTE_QUERY] = "resolving route",
	[UAL_EP_CONNECTING] = "connecting",
	[UAL_EP_RETRY_WAIT] = "waiting to retry",
	[UAL_EP_ACCEPTING] = "accepting",
	[UAL_EP_CONNECTED] = "connected",
	[UAL_EP_DISCONNECTING] = "disconnecting",
	[UAL_EP_DISCONNECTED] = "disconnected",
	[UAL_EP_FAILED] = "failed",
};

const char *ual_ep_state_name(enum ual_ep_state state)
{
	if ((unsigned int)state >= UAL_EP_STATE_COUNT)
		return "invalid";
	return state_names[state];
}

static const char *const event_names[UAL_EVENT_TYPE_COUNT] = {
	[UAL_EVENT_NONE] = "none",
	[UAL_EVENT_CONN_REQUEST] = "connection request",
	[UAL_EVENT_CONN_ESTABLISHED] = "connection established",
	[UAL_EVENT_CONN_REJECTED] = "connection rejected",
	[UAL_EVENT_CONN_UNREACHABLE] = "peer unreachable",
	[UAL_EVENT_CONN_DISCONNECTED] = "disconnected",
	[UAL_EVENT_CONN_BROKEN] = "connection broken",
	[UAL_EVENT_UD_RESOLVED] = "UD peer resolved",
	[UAL_EVENT_UD_REQUEST] = "UD resolution request",
	[UAL_EVENT_EP_ERROR] = "endpoint error",
	[UAL_EVENT_CQ_ERROR] = "completion queue error",
	[UAL_EVENT_SRQ_LIMIT] = "SRQ limit reached",
	[UAL_EVENT_SRQ_ERROR] = "SRQ error",
	[UAL_EVENT_PORT_DOWN] = "port down",
	[UAL_EVENT_PORT_UP] = "port up",
	[UAL_EVENT_DEVICE_FATAL] = "device fatal error",
	[UAL_EVENT_DEVICE_REMOVED] = "device removed",
	[UAL_EVENT_LISTEN_ERROR] = "listener error",
	[UAL_EVENT_SOFTWARE] = "software event",
	[UAL_EVENT_EP_LAST_WQE] = "last SRQ receive taken",
};

const char *ual_event_name(enum ual_event_type type)
{
	if ((unsigned int)type >= UAL_EVENT_TYPE_COUNT)
		return "invalid";
	return event_names[type];
}
