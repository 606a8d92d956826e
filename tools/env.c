// SPDX-License-Identifier: BSD-3-Clause OR GPL-2.0-only
/*
 * The environment variables the stack reads, their current and default
 * values, and a warning for every DAT_*, DAPL_* or UAL_* variable in the
 * environment that nothing reads (with the nearest known name, since
 * such a variable is almost always a misspelling that silently does
 * nothing).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dapl_info.h"

extern char **environ;

struct env_var {
	const char *name;
	const char *dflt;
	const char *reader;
	const char *meaning;
};

static const struct env_var env_vars[] = {
	{ "DAT_OVERRIDE", "unset", "libdat2", "dat.conf to read instead of the configured one" },
	{ "DAT_DBG_TYPE", "0x1", "libdat2", "registry message mask: 0x1 errors, 0x2 generic, 0x4 dat.conf, 0x8 dynamic registry" },
	{ "DAT_DBG_DEST", "0x1", "libdat2", "registry messages to 0x1 stderr, 0x2 syslog" },
	{ "DAPL_DBG_TYPE", "0x3", "provider", "provider message mask (0x1 errors, 0x2 warnings, ...)" },
	{ "DAPL_DBG_LEVEL", "0", "provider", "extra bits ORed into DAPL_DBG_TYPE" },
	{ "DAPL_DBG_DEST", "1", "provider", "provider messages to 1 stdout, 2 syslog" },
	{ "DAPL_DBG_SYS_MEM", "5", "provider", "low-memory warning threshold in % (counter builds only)" },
	{ "DAPL_LOOPBACK", "unset", "provider", "read, no effect" },
	{ "DAPL_CM_ARP_TIMEOUT_MS", "4000", "provider", "address resolution timeout per try (ms)" },
	{ "DAPL_CM_ARP_RETRY_COUNT", "15", "provider", "address resolution tries" },
	{ "DAPL_CM_ROUTE_TIMEOUT_MS", "4000", "provider", "route resolution timeout per try (ms)" },
	{ "DAPL_CM_ROUTE_RETRY_COUNT", "15", "provider", "route resolution tries" },
	{ "DAPL_CM_TOS", "0", "provider", "type of service of outgoing connections (0: off)" },
	{ "DAPL_MAX_INLINE", "64", "provider", "inline data bytes per send" },
	{ "DAPL_MAX_CM_RESPONSE_TIME", "23", "provider", "read, no effect with rdma_cm" },
	{ "DAPL_MAX_CM_RETRIES", "15", "provider", "read, no effect with rdma_cm" },
	{ "DAPL_WR_MAX", "device max_qp_wr", "provider", "caps the work requests per queue reported" },
	{ "DAPL_IB_MTU", "active MTU", "provider", "MTU reported in the transport attributes" },
	{ "DAPL_IB_PKEY", "0", "provider", "InfiniBand partition key (unused with rdma_cm)" },
	{ "DAPL_IB_SL", "0", "provider", "InfiniBand service level (unused with rdma_cm)" },
	{ "DAPL_SCM_NETDEV", "unset", "provider", "netdev of the socket CM providers (unused with rdma_cm)" },
	{ "UAL_DEBUG", "0", "libual", "print the layer's debug lines on stderr (anything but empty or 0)" },
};

/*
 * Names that are spelt right but read by nothing in this stack: OFA's
 * scripts and its other providers (ucm, scm, mcm) use them.  No "did you
 * mean" for these; a note says they have no effect.
 */
static const char *const env_foreign[] = {
	"DAT_DBG_LEVEL", "DAT_OS_DBG_TYPE", "DAPL_ACK_TIMER", "DAPL_ACK_RETRY",
	"DAPL_RNR_TIMER", "DAPL_RNR_RETRY", "DAPL_GLOBAL_ROUTING",
	"DAPL_HOP_LIMIT", "DAPL_TCLASS",
};

static const char *const env_foreign_prefixes[] = {
	"DAPL_UCM_", "DAPL_NETWORK_", "DAPL_MCM_",
};

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static bool is_stack_name(const char *name, size_t len)
{
	static const char *const prefixes[] = { "DAT_", "DAPL_", "UAL_" };
	size_t i, plen;

	for (i = 0; i < ARRAY_SIZE(prefixes); i++) {
		plen = strlen(prefixes[i]);
		if (len > plen && !strncasecmp(name, prefixes[i], plen))
			return true;
	}
	return false;
}

static bool is_foreign(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(env_foreign); i++)
		if (!strcmp(name, env_foreign[i]))
			return true;
	for (i = 0; i < ARRAY_SIZE(env_foreign_prefixes); i++)
		if (!strncmp(name, env_foreign_prefixes[i],
			     strlen(env_foreign_prefixes[i])))
			return true;
	return false;
}

static bool is_known(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(env_vars); i++)
		if (!strcmp(name, env_vars[i].name))
			return true;
	return false;
}

static void warn_unknown(FILE *out, const char *name)
{
	const char *known[ARRAY_SIZE(env_vars)];
	const char *near;
	size_t i;

	if (is_foreign(name)) {
		fprintf(out, "  note: %s is read by OFA's other providers or scripts, not by this stack: it has no effect\n",
			name);
		return;
	}
	for (i = 0; i < ARRAY_SIZE(env_vars); i++)
		known[i] = env_vars[i].name;
	near = suggest_nearest(name, known, ARRAY_SIZE(known));
	if (near)
		fprintf(out, "  warning: %s is not read by anything; did you mean %s?\n",
			name, near);
	else
		fprintf(out, "  warning: %s is not read by anything (see dapl-info(1) for the names the stack reads)\n",
			name);
}

int env_report(FILE *out)
{
	char name[128], value[256];
	const char *set, *eq;
	size_t i, len;
	int unknown = 0;

	fprintf(out, "Environment (read by libdat2, the provider libdaplofa, libual):\n");
	for (i = 0; i < ARRAY_SIZE(env_vars); i++) {
		set = getenv(env_vars[i].name);
		snprintf(value, sizeof(value), "%s", set ? set : "(unset)");
		sanitize_line(value);
		fprintf(out, "  %-26s %-10s default %-17s %s: %s\n",
			env_vars[i].name, value,
			env_vars[i].dflt, env_vars[i].reader,
			env_vars[i].meaning);
	}
	for (i = 0; environ && environ[i]; i++) {
		eq = strchr(environ[i], '=');
		len = eq ? (size_t)(eq - environ[i]) : strlen(environ[i]);
		if (len >= sizeof(name) || !is_stack_name(environ[i], len))
			continue;
		memcpy(name, environ[i], len);
		name[len] = '\0';
		if (is_known(name))
			continue;
		sanitize_line(name);
		warn_unknown(out, name);
		unknown++;
	}
	return unknown;
}
