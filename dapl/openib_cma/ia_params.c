// SPDX-License-Identifier: BSD-3-Clause OR GPL-2.0-only
/*
 * ia_params, the 7th field of a dat.conf line, as an access-layer device
 * spec.  Kept apart from provider.c (no verbs or registry calls) so that
 * the host unit tests compile it directly.
 *
 * Accepted: what OFA's dat.conf files hold ("ib0 0", "eth2 0": a netdev
 * and a port word OFA ignores), an IPv4/IPv6 address or host name with a
 * port word, an RDMA device with its port ("rxe0 1"), or one of those
 * words alone.  The port word selects a port only for an RDMA device;
 * for a netdev, address or host the address already names the port.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../common/dapl.h"

#define IB_CLASS_DIR "/sys/class/infiniband"

static bool is_rdma_device(const char *class_dir, const char *name)
{
	char path[512];

	if (!*name || strchr(name, '/') || strlen(name) > 64 ||
	    !strcmp(name, ".") || !strcmp(name, ".."))
		return false;
	snprintf(path, sizeof(path), "%s/%s", class_dir, name);
	return access(path, F_OK) == 0;
}

/* The port word: a decimal number 0..255, nothing else. */
static int parse_port(const char *word, long *port)
{
	char *end;

	if (!*word || *word == '-' || *word == '+')
		return -EINVAL;
	errno = 0;
	*port = strtol(word, &end, 10);
	if (*end || errno || *port > 255)
		return -EINVAL;
	return 0;
}

int dapl_ia_params_parse(const char *ia_params, const char *class_dir,
			 char *spec, size_t len)
{
	char name[256], port[32] = "", extra[2];
	long p = 0;
	int n;

	if (!ia_params || !spec || !len)
		return -EINVAL;
	if (strlen(ia_params) >= sizeof(name))
		return -ENAMETOOLONG;
	n = sscanf(ia_params, " %255s %31s %1s", name, port, extra);
	if (n < 1 || n > 2)
		return -EINVAL;
	if (n == 2 && parse_port(port, &p))
		return -EINVAL;
	if (p > 0 && is_rdma_device(class_dir, name)) {
		if ((size_t)snprintf(spec, len, "%s:%ld", name, p) >= len)
			return -ENAMETOOLONG;
		return 0;
	}
	if ((size_t)snprintf(spec, len, "%s", name) >= len)
		return -ENAMETOOLONG;
	return 0;
}

int dapl_ia_params_to_spec(const char *ia_params, char *spec, size_t len)
{
	return dapl_ia_params_parse(ia_params, IB_CLASS_DIR, spec, len);
}
