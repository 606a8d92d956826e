// SPDX-License-Identifier: BSD-2-Clause
/*
 * retry.c - back-off policy for transient connection failures.
 *
 * A server that is a few seconds late, an ARP entry not yet learned or a
 * route not yet known are normal on real clusters (and in slow emulated
 * guests); the consumer chooses how many retries and the layer spaces them
 * out exponentially so a crowd of clients does not hammer the peer.
 * Address and route resolution has a budget of its own (OFA's policy).
 * Also here: the other numbers a connection negotiates (read depths).
 */
#include <config.h>

#include "ual_internal.h"

void ual_retry_init(struct ual_retry *r, const struct ual_connect_opts *o)
{
	r->left = o->retries;
	if (o->resolve_retries == UAL_NO_RETRIES)
		r->resolve_left = 0;
	else if (!o->resolve_retries)
		r->resolve_left = UAL_DEFAULT_RESOLVE_RETRIES;
	else
		r->resolve_left = o->resolve_retries;
	r->next_delay_ms = o->backoff_initial_ms ? o->backoff_initial_ms
						 : UAL_DEFAULT_BACKOFF_MS;
	r->max_delay_ms = o->backoff_max_ms ? o->backoff_max_ms
					    : UAL_DEFAULT_BACKOFF_MAX_MS;
	if (r->next_delay_ms > r->max_delay_ms)
		r->next_delay_ms = r->max_delay_ms;
}

int ual_retry_next(struct ual_retry *r)
{
	uint32_t delay;

	if (!r->left)
		return -1;
	r->left--;
	delay = r->next_delay_ms;
	if (r->next_delay_ms > r->max_delay_ms / 2)
		r->next_delay_ms = r->max_delay_ms;
	else
		r->next_delay_ms *= 2;
	return (int)delay;
}

/*
 * Resolution is retried at once: each try already waited its full
 * resolve_timeout_ms (ARP, path query), so a back-off would only add to
 * what OFA's 4000 ms x 15 already spends.
 */
bool ual_retry_resolve(struct ual_retry *r)
{
	if (!r->resolve_left)
		return false;
	r->resolve_left--;
	return true;
}

unsigned int ual_retry_budget(const struct ual_retry *r)
{
	return (r->left ? UAL_MAY_RETRY : 0) |
	       (r->resolve_left ? UAL_MAY_RERESOLVE : 0);
}

uint32_t ual_disconnect_ms(const struct ual_connect_opts *o)
{
	return o->disconnect_timeout_ms ? o->disconnect_timeout_ms
					: UAL_DEFAULT_DISCONNECT_MS;
}

/*
 * An attribute of 0 means the default depth unless the consumer said
 * "zero"; the device caps it (and 255 is what rdma_cm can carry).
 */
uint8_t ual_read_depth_want(uint8_t attr, bool zero, uint32_t dev_max)
{
	uint32_t want = attr ? attr : UAL_EP_DEFAULT_READ_DEPTH;

	if (zero)
		return 0;
	if (want > dev_max)
		want = dev_max;
	return want > 255 ? 255 : (uint8_t)want;
}

/* An accept grants the smaller of what the peer asked and what we allow. */
uint8_t ual_read_depth_grant(uint8_t peer, uint8_t ours)
{
	return peer < ours ? peer : ours;
}
