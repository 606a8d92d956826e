// SPDX-License-Identifier: BSD-2-Clause
/*
 * listen.c - listening for connection (RC) and service (UD) requests.
 */
#include <config.h>

#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "ual_internal.h"

static void wildcard(struct sockaddr_storage *ss)
{
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	in6->sin6_family = AF_INET6;
	in6->sin6_addr = in6addr_any;
}

static int bind_failed(struct ual_listener *ls, const struct sockaddr *sa,
		       int errnum, struct ual_error *err)
{
	if (errnum == EADDRINUSE || errnum == EBUSY)
		ual_err_set(err, errnum, "rdma_bind_addr",
			    "port %u is already in use (another listener or a connection in TIME_WAIT); pick another port or 0",
			    ual_sockaddr_port(sa));
	else if (errnum == EADDRNOTAVAIL || errnum == ENODEV)
		ual_err_set(err, errnum, "rdma_bind_addr",
			    "the address is not local or no RDMA device owns it");
	else
		ual_err_set(err, errnum, "rdma_bind_addr", NULL);
	ual_err_context(err, ls->dev->attr.name, sa);
	return -errnum;
}

int ual_listen(struct ual_device *dev, struct ual_eq *eq,
	       const struct sockaddr *addr, enum ual_ep_type type, int backlog,
	       void *context, struct ual_listener **out, struct ual_error *err)
{
	struct ual_listener *ls;
	struct sockaddr_storage ss;
	int ret;

	ret = ual_eq_attach(eq, dev->hca);
	if (ret)
		return ual_err_set(err, ret, "ual_eq_attach",
				   "adding the async fd of %s to the listener's queue",
				   dev->attr.name);
	ls = calloc(1, sizeof(*ls));
	if (!ls)
		return ual_err_set(err, ENOMEM, "calloc", NULL);
	ls->kind = UAL_OWNER_LISTENER;
	ls->dev = dev;
	ls->eq = eq;
	ls->context = context;
	ls->type = type;
	if (addr)
		memcpy(&ss, addr, ual_sockaddr_len(addr));
	else
		wildcard(&ss);
	if (rdma_create_id(eq->channel, &ls->id, ls,
			   type == UAL_EP_UD ? RDMA_PS_UDP : RDMA_PS_TCP)) {
		ret = ual_err_set(err, errno, "rdma_create_id", NULL);
		goto err_free;
	}
	if (rdma_bind_addr(ls->id, (struct sockaddr *)&ss)) {
		ret = bind_failed(ls, (struct sockaddr *)&ss, errno, err);
		goto err_id;
	}
	if (rdma_listen(ls->id, backlog)) {
		ret = ual_err_set(err, errno, "rdma_listen", NULL);
		ual_err_context(err, dev->attr.name, (struct sockaddr *)&ss);
		goto err_id;
	}
	ls->port = ual_sockaddr_port(rdma_get_local_addr(ls->id));
	ual_device_get(dev);
	*out = ls;
	return 0;

err_id:
	rdma_destroy_id(ls->id);
err_free:
	free(ls);
	return ret;
}

int ual_listener_destroy(struct ual_listener *ls)
{
	struct ual_eq *eq;

	if (!ls)
		return 0;
	eq = ls->eq;
	pthread_mutex_lock(&eq->progress);
	rdma_destroy_id(ls->id);
	pthread_mutex_unlock(&eq->progress);
	ual_eq_forget(eq, ls);
	ual_device_put(ls->dev);
	free(ls);
	return 0;
}

uint16_t ual_listener_port(const struct ual_listener *ls)
{
	return ls->port;
}
