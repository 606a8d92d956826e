// SPDX-License-Identifier: BSD-3-Clause OR GPL-2.0-only
/*
 * The "Devices" section: every RDMA device, its ports with state,
 * transport and MTU, the interfaces and addresses rdma_cm reaches each
 * port through, and its GIDs; then the locked-memory limit every RDMA
 * program on the machine lives with.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "dapl_info.h"

static const char *gid_type_name(uint8_t type)
{
	switch (type) {
	case UAL_GID_IB:
		return "IB";
	case UAL_GID_ROCE_V1:
		return "RoCE v1";
	case UAL_GID_ROCE_V2:
		return "RoCE v2";
	case UAL_GID_IWARP:
		return "iWARP";
	default:
		return "unknown";
	}
}

static void report_port(FILE *out, const struct port_view *pv)
{
	char buf[INET6_ADDRSTRLEN + 32];
	int i;

	fprintf(out, "  port %u: %s, transport %s, MTU %u\n", pv->port,
		pv->state, ual_transport_name(pv->transport), pv->mtu);
	for (i = 0; i < pv->naddrs; i++)
		fprintf(out, "    address %s  netdev %s\n",
			addr_string(&pv->addrs[i].addr, buf, sizeof(buf)),
			pv->addrs[i].netdev[0] ? pv->addrs[i].netdev
					       : "(none in this namespace)");
	if (!pv->naddrs)
		fprintf(out, "    no address reaches this port%s%s\n",
			pv->error[0] ? ": " : " (dat_ia_open and rdma_cm cannot use it)",
			pv->error);
	for (i = 0; i < pv->ngids; i++)
		fprintf(out, "    gid %-3u %s  (%s)\n", pv->gids[i].index,
			inet_ntop(AF_INET6, pv->gids[i].raw, buf, sizeof(buf)),
			gid_type_name(pv->gids[i].type));
}

static void report_memlock(FILE *out)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_MEMLOCK, &rl))
		return;
	fprintf(out, "Locked memory (RLIMIT_MEMLOCK): soft ");
	if (rl.rlim_cur == RLIM_INFINITY)
		fprintf(out, "unlimited");
	else
		fprintf(out, "%llu KiB", (unsigned long long)rl.rlim_cur >> 10);
	fprintf(out, ", hard ");
	if (rl.rlim_max == RLIM_INFINITY)
		fprintf(out, "unlimited\n");
	else
		fprintf(out, "%llu KiB\n", (unsigned long long)rl.rlim_max >> 10);
}

int devices_report(FILE *out)
{
	struct port_view *ports;
	struct ual_error err = { 0 };
	char msg[UAL_ERROR_TEXT_MAX + 128];
	const char *dev = "";
	int n, i;

	fprintf(out, "Devices:\n");
	if (ports_collect(&ports, &n, &err)) {
		fprintf(out, "  cannot list RDMA devices: %s\n",
			ual_strerror(&err, msg, sizeof(msg)));
		report_memlock(out);
		return -1;
	}
	if (!n)
		fprintf(out, "  no RDMA devices on this host (for software RDMA: rdma link add NAME type rxe|siw netdev IFACE)\n");
	for (i = 0; i < n; i++) {
		if (strcmp(dev, ports[i].dev)) {
			dev = ports[i].dev;
			fprintf(out, "device %s\n", dev);
		}
		report_port(out, &ports[i]);
	}
	report_memlock(out);
	free(ports);
	return n ? 0 : -1;
}
