// SPDX-License-Identifier: BSD-3-Clause OR GPL-2.0-only
/*
 * What the access layer sees of each port: state, transport, GIDs, the
 * local addresses through which rdma_cm reaches it and the interfaces
 * that hold those addresses.
 *
 * The access layer has the device list, transports, GIDs and addresses;
 * the port state name (DOWN, INIT, ARMED, ACTIVE) and the netdev of an
 * address are not in its contract, so they come from libibverbs and
 * getifaddrs.  Device opens for inspection lock almost no memory, so the
 * layer's RLIMIT_MEMLOCK floor is lifted for them: the tool must still
 * describe a machine whose limit is what the user came to find out.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <ifaddrs.h>
#include <stdlib.h>
#include <string.h>
#include <infiniband/verbs.h>
#include <netinet/in.h>

#include "dapl_info.h"

const char *addr_string(const struct sockaddr_storage *ss, char *buf,
			size_t len)
{
	const void *a = NULL;

	if (ss->ss_family == AF_INET)
		a = &((const struct sockaddr_in *)ss)->sin_addr;
	else if (ss->ss_family == AF_INET6)
		a = &((const struct sockaddr_in6 *)ss)->sin6_addr;
	if (!a || !inet_ntop(ss->ss_family, a, buf, len))
		snprintf(buf, len, "(address family %d)", ss->ss_family);
	return buf;
}

static bool same_addr(const struct sockaddr *a, const struct sockaddr_storage *b)
{
	if (a->sa_family != b->ss_family)
		return false;
	if (a->sa_family == AF_INET)
		return !memcmp(&((const struct sockaddr_in *)a)->sin_addr,
			       &((const struct sockaddr_in *)b)->sin_addr,
			       sizeof(struct in_addr));
	if (a->sa_family == AF_INET6)
		return !memcmp(&((const struct sockaddr_in6 *)a)->sin6_addr,
			       &((const struct sockaddr_in6 *)b)->sin6_addr,
			       sizeof(struct in6_addr));
	return false;
}

static void name_netdevs(struct port_view *pv, struct ifaddrs *ifs)
{
	struct ifaddrs *ifa;
	int i;

	for (i = 0; i < pv->naddrs; i++)
		for (ifa = ifs; ifa; ifa = ifa->ifa_next)
			if (ifa->ifa_addr &&
			    same_addr(ifa->ifa_addr, &pv->addrs[i].addr)) {
				snprintf(pv->addrs[i].netdev,
					 sizeof(pv->addrs[i].netdev), "%s",
					 ifa->ifa_name);
				break;
			}
}

static void port_state(struct port_view *pv)
{
	struct ibv_device **list;
	struct ibv_context *ctx = NULL;
	struct ibv_port_attr pa;
	int i, n;

	snprintf(pv->state, sizeof(pv->state), "%s",
		 pv->active ? "ACTIVE" : "not active");
	list = ibv_get_device_list(&n);
	if (!list)
		return;
	for (i = 0; i < n && !ctx; i++)
		if (!strcmp(ibv_get_device_name(list[i]), pv->dev))
			ctx = ibv_open_device(list[i]);
	ibv_free_device_list(list);
	if (!ctx)
		return;
	if (!ibv_query_port(ctx, pv->port, &pa)) {
		/* Upper case, as ibv_devinfo and sysfs show it. */
		snprintf(pv->state, sizeof(pv->state), "%s",
			 ibv_port_state_str(pa.state));
		for (i = 0; pv->state[i]; i++)
			pv->state[i] = toupper((unsigned char)pv->state[i]);
	}
	ibv_close_device(ctx);
}

static void port_addresses(struct port_view *pv)
{
	struct sockaddr_storage addrs[PORT_ADDRS_MAX];
	struct ual_device *dev;
	struct ual_error err = { 0 };
	char spec[UAL_NAME_MAX + 8], msg[UAL_ERROR_TEXT_MAX + 128];
	int i, n;

	snprintf(spec, sizeof(spec), "%s:%u", pv->dev, pv->port);
	if (ual_device_open(spec, &dev, NULL, &err)) {
		snprintf(pv->error, sizeof(pv->error), "%s",
			 ual_strerror(&err, msg, sizeof(msg)));
		return;
	}
	n = ual_device_gids(dev, pv->port, pv->gids, PORT_GIDS_MAX);
	pv->ngids = n < 0 ? 0 : n;
	n = ual_device_port_addrs(dev, pv->port, addrs, PORT_ADDRS_MAX);
	if (n < 0)
		snprintf(pv->error, sizeof(pv->error),
			 "ual_device_port_addrs: %s", strerror(-n));
	for (i = 0; i < n; i++)
		pv->addrs[i].addr = addrs[i];
	pv->naddrs = n < 0 ? 0 : n;
	ual_device_close(dev);
}

int ports_collect(struct port_view **out, int *count, struct ual_error *err)
{
	struct ual_device_info *devs;
	struct port_view *ports, *pv;
	struct ifaddrs *ifs = NULL;
	int ndevs, nports = 0, d, p, ret;

	ret = ual_device_list(&devs, &ndevs, err);
	if (ret)
		return ret;
	for (d = 0; d < ndevs; d++)
		nports += devs[d].num_ports;
	ports = calloc(nports ? nports : 1, sizeof(*ports));
	if (!ports) {
		free(devs);
		return -ENOMEM;
	}
	if (getifaddrs(&ifs))
		ifs = NULL;
	pv = ports;
	for (d = 0; d < ndevs; d++)
		for (p = 0; p < devs[d].num_ports && p < 4; p++, pv++) {
			const struct ual_port_info *pi = &devs[d].ports[p];

			snprintf(pv->dev, sizeof(pv->dev), "%s", devs[d].name);
			pv->port = pi->port_num;
			pv->active = pi->active;
			pv->transport = pi->transport;
			pv->mtu = pi->active_mtu;
			port_state(pv);
			port_addresses(pv);
			name_netdevs(pv, ifs);
		}
	if (ifs)
		freeifaddrs(ifs);
	*count = (int)(pv - ports);
	*out = ports;
	free(devs);
	return 0;
}
