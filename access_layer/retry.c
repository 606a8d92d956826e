// SPDX-License-Identifier: BSD-2-Clause
/*
 * retry.c - back-off policy for transient connection failures.
 *
 * A server that is a few seconds late, an ARP entry not yet learned or a
 * route not yet known are normal on real clusters (and in slow emulated
 * guests); the consumer chooses how many retries and the layer spaces them
 * out exponentially so a crowd of clients does not hammer the peer.
 */
#include <config.h>

#include "ual_internal.h"

void ual_retry_init(struct ual_retry *r, const struct ual_connect_opts *o)
{
	r->left = o->retries;
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
