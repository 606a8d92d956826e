// SPDX-License-Identifier: BSD-3-Clause OR GPL-2.0-only
/*
 * --generate: a dat.conf for the RDMA ports of this machine.
 *
 * One entry per active port and interface that reaches it, in OFA's
 * format for its rdma_cm provider libdaplofa.so.2: "ofa-v2-<netdev>"
 * with ia_params "<netdev> <port>" (the provider resolves the interface
 * to its IPv4 address), and "ofa-v2-<netdev>-ipv6" with the interface's
 * first global IPv6 address, since an interface name alone always means
 * IPv4 to that provider.  Link-local IPv6 addresses are left out: they
 * need a scope that the entry cannot carry.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>

#include "dapl_info.h"

#define PROVIDER_LIB	"libdaplofa.so.2"

struct gen_ctx {
	FILE *out;
	char (*names)[128];
	size_t nnames, cap;
	int written;
};

static bool name_taken(const struct gen_ctx *g, const char *name)
{
	size_t i;

	for (i = 0; i < g->nnames; i++)
		if (!strcmp(g->names[i], name))
			return true;
	return false;
}

static int emit(struct gen_ctx *g, const struct port_view *pv,
		const char *netdev, const char *ia_params, bool ipv6)
{
	char name[128], line[1024];
	struct conf_line cl = {
		.api_version = "u2.0", .thread_safe = false,
		.is_default = true, .lib_path = PROVIDER_LIB,
		.provider_version = "dapl.2.0", .ia_params = ia_params,
		.platform_params = "", .ia_name = name,
	};
	int n;

	conf_ia_name(netdev, ipv6, name, sizeof(name));
	if (name_taken(g, name)) {
		/* Two ports behind one interface: the port tells them apart. */
		size_t used = strlen(name);

		snprintf(name + used, sizeof(name) - used, "-%.32s-%u",
			 pv->dev, pv->port);
	}
	if (g->nnames == g->cap) {
		void *grown = realloc(g->names, (g->cap + 8) * sizeof(*g->names));

		if (!grown)
			return -1;
		g->names = grown;
		g->cap += 8;
	}
	snprintf(g->names[g->nnames++], sizeof(g->names[0]), "%s", name);
	n = conf_render_line(&cl, line, sizeof(line));
	if (n < 0 || (size_t)n >= sizeof(line)) {
		fprintf(stderr, "dapl-info: interface %s: its name cannot be written into dat.conf; skipped\n",
			netdev);
		return 0;
	}
	fputs(line, g->out);
	g->written++;
	return 0;
}

static bool usable_ipv6(const struct sockaddr_storage *ss)
{
	const struct in6_addr *a = &((const struct sockaddr_in6 *)ss)->sin6_addr;

	return ss->ss_family == AF_INET6 && !IN6_IS_ADDR_LINKLOCAL(a) &&
	       !IN6_IS_ADDR_LOOPBACK(a);
}

/* First address of @family (IPv6: usable) on @netdev, or -1. */
static int find_addr(const struct port_view *pv, const char *netdev,
		     int family)
{
	int i;

	for (i = 0; i < pv->naddrs; i++) {
		const struct port_addr *pa = &pv->addrs[i];

		if (strcmp(pa->netdev, netdev) || pa->addr.ss_family != family)
			continue;
		if (family == AF_INET6 && !usable_ipv6(&pa->addr))
			continue;
		return i;
	}
	return -1;
}

static bool netdev_done(const struct port_view *pv, int upto)
{
	int i;

	for (i = 0; i < upto; i++)
		if (!strcmp(pv->addrs[i].netdev, pv->addrs[upto].netdev))
			return true;
	return false;
}

static int generate_port(struct gen_ctx *g, const struct port_view *pv)
{
	char params[INET6_ADDRSTRLEN + IF_NAMESIZE + 8], addr[INET6_ADDRSTRLEN];
	const char *netdev;
	int i, a;

	for (i = 0; i < pv->naddrs; i++) {
		netdev = pv->addrs[i].netdev;
		if (!*netdev || netdev_done(pv, i))
			continue;
		if (find_addr(pv, netdev, AF_INET) >= 0) {
			snprintf(params, sizeof(params), "%s %u", netdev, pv->port);
			if (emit(g, pv, netdev, params, false))
				return -1;
		}
		a = find_addr(pv, netdev, AF_INET6);
		if (a >= 0) {
			snprintf(params, sizeof(params), "%s %u",
				 addr_string(&pv->addrs[a].addr, addr, sizeof(addr)),
				 pv->port);
			if (emit(g, pv, netdev, params, true))
				return -1;
		}
	}
	return 0;
}

int generate_conf(FILE *out)
{
	struct gen_ctx g = { .out = out };
	struct port_view *ports;
	struct ual_error err = { 0 };
	char msg[UAL_ERROR_TEXT_MAX + 128], host[256] = "";
	int n, i, ret = 0;

	if (ports_collect(&ports, &n, &err)) {
		fprintf(stderr, "dapl-info: cannot list RDMA devices: %s\n",
			ual_strerror(&err, msg, sizeof(msg)));
		return -1;
	}
	gethostname(host, sizeof(host) - 1);
	sanitize_line(host);
	fprintf(out, "# dat.conf for %s, written by dapl-info --generate.\n", host);
	fprintf(out, "# One entry per active RDMA port and interface (see dapl-info(1));\n");
	fprintf(out, "# the -ipv6 entries name the interface's IPv6 address.\n");
	fprintf(out, "#\n# <ia_name> <api_version> <threadsafety> <default> <lib_path> <provider_version> <ia_params> <platform_params>\n");
	for (i = 0; i < n && !ret; i++) {
		if (!ports[i].active)
			continue;
		ret = generate_port(&g, &ports[i]);
	}
	free(ports);
	free(g.names);
	if (ret)
		return -1;
	if (!g.written) {
		fprintf(stderr, "dapl-info: no active RDMA port is reached through an interface with an address: nothing to generate (run dapl-info to see the devices)\n");
		return -1;
	}
	return 0;
}
