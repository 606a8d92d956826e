// SPDX-License-Identifier: BSD-3-Clause OR GPL-2.0-only
/*
 * Which dat.conf the registry reads, in the registry's own order:
 * $DAT_OVERRIDE alone when it is set (an explicit choice never falls
 * back, as in OFA's libdat2), else the file configured at build time
 * ($sysconfdir/dat.conf), else /etc/dat.conf, where distributions keep
 * theirs.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "dapl_info.h"

void conf_choose(const char *override, const char *configured,
		 const char *fallback, struct conf_choice *c)
{
	int configured_errno;

	if (override && *override) {
		snprintf(c->path, sizeof(c->path), "%s", override);
		c->readable = !access(override, R_OK);
		if (c->readable)
			snprintf(c->reason, sizeof(c->reason),
				 "DAT_OVERRIDE is set");
		else
			snprintf(c->reason, sizeof(c->reason),
				 "DAT_OVERRIDE is set, but the file cannot be read (%s); the registry does not fall back to another file",
				 strerror(errno));
		return;
	}
	if (!access(configured, R_OK)) {
		snprintf(c->path, sizeof(c->path), "%s", configured);
		c->readable = true;
		snprintf(c->reason, sizeof(c->reason),
			 "DAT_OVERRIDE is not set; this is the file configured at build time");
		return;
	}
	configured_errno = errno;
	snprintf(c->path, sizeof(c->path), "%s", fallback);
	c->readable = strcmp(configured, fallback) && !access(fallback, R_OK);
	if (c->readable)
		snprintf(c->reason, sizeof(c->reason),
			 "DAT_OVERRIDE is not set and the configured file %s cannot be read (%s), so the registry falls back to %s",
			 configured, strerror(configured_errno), fallback);
	else if (!strcmp(configured, fallback))
		snprintf(c->reason, sizeof(c->reason),
			 "DAT_OVERRIDE is not set and the configured file cannot be read (%s); the registry reads no file",
			 strerror(configured_errno));
	else
		snprintf(c->reason, sizeof(c->reason),
			 "DAT_OVERRIDE is not set, the configured file %s cannot be read (%s) and neither can %s (%s); the registry reads no file",
			 configured, strerror(configured_errno), fallback,
			 strerror(errno));
}
