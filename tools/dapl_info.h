/* SPDX-License-Identifier: BSD-3-Clause OR GPL-2.0-only */
/*
 * dapl_info.h - declarations shared by the files of the dapl-info tool.
 *
 * The pure parts (line rendering, name suggestion, the dat.conf search
 * order) have no side effects besides what their arguments name, so the
 * host unit tests link them without an RDMA device.
 */
#ifndef DAPL_INFO_H
#define DAPL_INFO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <net/if.h>
#include <sys/socket.h>
#include <ual/ual.h>

/* ---- conf_render.c: one dat.conf line, as OFA's parser reads it ---- */
struct conf_line {
	const char *ia_name;
	const char *api_version;	/* "u2.0" */
	bool thread_safe;
	bool is_default;
	const char *lib_path;
	const char *provider_version;	/* "dapl.2.0" */
	const char *ia_params;
	const char *platform_params;
};

/*
 * Writes @line as one dat.conf line with its newline into @buf; fields
 * that need it are quoted.  Returns the length it needs (as snprintf),
 * or -1 if a field holds a character no dat.conf can carry (a newline
 * or another control character).
 */
int conf_render_line(const struct conf_line *line, char *buf, size_t len);

/* The IA names --generate gives a port: "ofa-v2-<netdev>", "...-ipv6". */
int conf_ia_name(const char *netdev, bool ipv6, char *buf, size_t len);

/* ---- suggest.c: nearest known name for a misspelt one ---- */
/* Edit distance (insert, delete, substitute, swap two), ignoring case. */
unsigned int suggest_distance(const char *a, const char *b);
/*
 * The entry of @known (@n names) nearest to @name, if it is close enough
 * to be a plausible misspelling; NULL otherwise or when @name is known.
 */
const char *suggest_nearest(const char *name, const char *const *known,
			    size_t n);

/* ---- conf_choice.c: which dat.conf the registry reads ---- */
struct conf_choice {
	char path[4096];
	char reason[4096];	/* a sentence: why this file */
	bool readable;		/* false: the registry reads no file */
};

/*
 * Applies the registry's search order: @override (the value of
 * DAT_OVERRIDE, or NULL) alone when set, else @configured, else
 * @fallback.  Fills @choice; never fails.
 */
void conf_choose(const char *override, const char *configured,
		 const char *fallback, struct conf_choice *choice);

/* ---- env.c: the variables the stack reads ---- */
int env_report(FILE *out);

/* ---- ports.c: what the access layer sees of each port ---- */
#define PORT_ADDRS_MAX	16
#define PORT_GIDS_MAX	16

struct port_addr {
	struct sockaddr_storage addr;
	char netdev[IF_NAMESIZE];	/* "" if no interface holds it */
};

struct port_view {
	char dev[UAL_NAME_MAX];
	uint8_t port;
	bool active;
	char state[32];			/* "ACTIVE", "DOWN", ... */
	enum ual_transport transport;
	uint32_t mtu;
	int naddrs;
	struct port_addr addrs[PORT_ADDRS_MAX];
	int ngids;
	struct ual_gid gids[PORT_GIDS_MAX];
	char error[UAL_ERROR_TEXT_MAX + 256];	/* why addrs/gids are missing */
};

/*
 * Every port of every RDMA device visible here; free with free().
 * Returns 0, or a negative errno with @err filled in.
 */
int ports_collect(struct port_view **ports, int *count, struct ual_error *err);
/* "192.168.77.1" or "fd00:77::1" */
const char *addr_string(const struct sockaddr_storage *ss, char *buf,
			size_t len);

/* ---- devices.c ---- */
int devices_report(FILE *out);

/* ---- conf_probe.c ---- */
int conf_report(FILE *out, const struct conf_choice *choice);

/* ---- generate.c ---- */
int generate_conf(FILE *out);

/* Replaces control characters so that a message stays on one line. */
void sanitize_line(char *s);

#endif
