// SPDX-License-Identifier: BSD-2-Clause
/*
 * addr.c - parsing of device specifications and socket address helpers.
 *
 * A spec names a device the way users think of it: a verbs device with an
 * optional port, a network interface, an address or a host name.  Only the
 * syntax is decided here; resolution to a device needs rdma_cm (device.c).
 */
#include <config.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ual_internal.h"

static int parse_numeric(const char *text, struct ual_spec *spec)
{
	struct sockaddr_in *in4 = (struct sockaddr_in *)&spec->addr;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&spec->addr;
	char buf[INET6_ADDRSTRLEN + 2];
	size_t len = strlen(text);

	memset(&spec->addr, 0, sizeof(spec->addr));
	if (inet_pton(AF_INET, text, &in4->sin_addr) == 1) {
		in4->sin_family = AF_INET;
		return 0;
	}
	/* "[fd00::1]" is the usual way to write IPv6 next to a port. */
	if (text[0] == '[' && len > 2 && text[len - 1] == ']' &&
	    len - 2 < sizeof(buf)) {
		memcpy(buf, text + 1, len - 2);
		buf[len - 2] = '\0';
		text = buf;
	}
	if (inet_pton(AF_INET6, text, &in6->sin6_addr) == 1) {
		in6->sin6_family = AF_INET6;
		return 0;
	}
	return -EINVAL;
}

/* "name:N" with a device name and a port number 1..255. */
static bool split_device_port(const char *text, char *name, size_t len,
			      uint8_t *port)
{
	const char *colon = strrchr(text, ':');
	unsigned long p;
	char *end;

	if (!colon || colon == text || strchr(text, ':') != colon)
		return false;
	if ((size_t)(colon - text) >= len)
		return false;
	p = strtoul(colon + 1, &end, 10);
	if (*end || colon[1] == '\0' || p < 1 || p > 255)
		return false;
	memcpy(name, text, (size_t)(colon - text));
	name[colon - text] = '\0';
	*port = (uint8_t)p;
	return true;
}

int ual_spec_parse(const char *text, bool (*is_device)(const char *name),
		   struct ual_spec *spec)
{
	char name[UAL_NAME_MAX];
	uint8_t port;

	memset(spec, 0, sizeof(*spec));
	if (!text || !*text || strlen(text) >= UAL_NAME_MAX)
		return -EINVAL;
	if (split_device_port(text, name, sizeof(name), &port)) {
		if (is_device && !is_device(name))
			return -ENODEV;
		spec->kind = UAL_SPEC_DEVICE;
		spec->port = port;
		snprintf(spec->name, sizeof(spec->name), "%s", name);
		return 0;
	}
	if (!parse_numeric(text, spec)) {
		spec->kind = UAL_SPEC_ADDRESS;
		snprintf(spec->name, sizeof(spec->name), "%s", text);
		return 0;
	}
	if (strchr(text, ' ') || strchr(text, '/'))
		return -EINVAL;
	snprintf(spec->name, sizeof(spec->name), "%s", text);
	spec->kind = (is_device && is_device(text)) ? UAL_SPEC_DEVICE
						     : UAL_SPEC_NAME;
	return 0;
}

socklen_t ual_sockaddr_len(const struct sockaddr *sa)
{
	if (sa->sa_family == AF_INET6)
		return sizeof(struct sockaddr_in6);
	return sizeof(struct sockaddr_in);
}

uint16_t ual_sockaddr_port(const struct sockaddr *sa)
{
	if (sa->sa_family == AF_INET6)
		return ntohs(((const struct sockaddr_in6 *)sa)->sin6_port);
	return ntohs(((const struct sockaddr_in *)sa)->sin_port);
}

void ual_sockaddr_set_port(struct sockaddr *sa, uint16_t port)
{
	if (sa->sa_family == AF_INET6)
		((struct sockaddr_in6 *)sa)->sin6_port = htons(port);
	else
		((struct sockaddr_in *)sa)->sin_port = htons(port);
}

bool ual_sockaddr_is_any(const struct sockaddr *sa)
{
	if (sa->sa_family == AF_INET6)
		return IN6_IS_ADDR_UNSPECIFIED(
			&((const struct sockaddr_in6 *)sa)->sin6_addr);
	return ((const struct sockaddr_in *)sa)->sin_addr.s_addr ==
	       htonl(INADDR_ANY);
}

const char *ual_sockaddr_str(const struct sockaddr *sa, char *buf,
			     size_t len)
{
	char ip[INET6_ADDRSTRLEN];
	const void *src;

	if (!sa || (sa->sa_family != AF_INET && sa->sa_family != AF_INET6)) {
		snprintf(buf, len, "?");
		return buf;
	}
	src = sa->sa_family == AF_INET6
		      ? (const void *)&((const struct sockaddr_in6 *)sa)->sin6_addr
		      : (const void *)&((const struct sockaddr_in *)sa)->sin_addr;
	inet_ntop(sa->sa_family, src, ip, sizeof(ip));
	if (sa->sa_family == AF_INET6)
		snprintf(buf, len, "[%s]:%u", ip, ual_sockaddr_port(sa));
	else
		snprintf(buf, len, "%s:%u", ip, ual_sockaddr_port(sa));
	return buf;
}
