// SPDX-License-Identifier: BSD-3-Clause OR GPL-2.0-only
/*
 * Which dat.conf the registry reads.
 *
 *   1. $DAT_OVERRIDE, if set and not empty (ignored in set-user-ID and
 *      set-group-ID programs).  An explicit choice: if it cannot be
 *      opened, nothing else is tried and no IA is registered.
 *   2. The configured file, $sysconfdir/dat.conf.
 *   3. If that cannot be opened: /etc/dat.conf, the file distributions
 *      and OFA's library use, so that a build installed under /usr/local
 *      still serves the machine's registry.
 *
 * The choice and the reasons for it are logged at DAT_DBG_SR level; the
 * reasons are also kept for the error messages of a failed dat_ia_open().
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dat_internal.h"

#ifndef SYSCONFDIR
#error "SYSCONFDIR must name the directory that holds dat.conf"
#endif
#ifndef DAT_CONF_CONFIGURED
#define DAT_CONF_CONFIGURED	SYSCONFDIR "/dat.conf"
#endif
#ifndef DAT_CONF_SYSTEM
#define DAT_CONF_SYSTEM		"/etc/dat.conf"
#endif

static FILE *try_open(const char *path, int *err)
{
	FILE *stream = fopen(path, "re");

	*err = stream ? 0 : errno;
	return stream;
}

static FILE *open_override(const char *path, struct dat_conf_choice *c)
{
	FILE *stream;
	int err;

	stream = try_open(path, &err);
	if (!stream) {
		snprintf(c->failure, sizeof(c->failure),
			 "no configuration was read: cannot open DAT_OVERRIDE %s: %s (when DAT_OVERRIDE is set, %s is not tried)",
			 path, strerror(err), DAT_CONF_CONFIGURED);
		dat_log(DAT_DBG_SR, "%s", c->failure);
		return NULL;
	}
	snprintf(c->path, sizeof(c->path), "%s", path);
	dat_log(DAT_DBG_SR, "reading %s, named by DAT_OVERRIDE (%s%s%s not read)",
		path, DAT_CONF_CONFIGURED,
		strcmp(DAT_CONF_CONFIGURED, DAT_CONF_SYSTEM) ? " and " : "",
		strcmp(DAT_CONF_CONFIGURED, DAT_CONF_SYSTEM) ? DAT_CONF_SYSTEM : "");
	return stream;
}

/* The configured file was read: say whether the system one was passed over. */
static void note_system_unread(struct dat_conf_choice *c)
{
	if (!strcmp(DAT_CONF_CONFIGURED, DAT_CONF_SYSTEM) ||
	    access(DAT_CONF_SYSTEM, F_OK))
		return;
	snprintf(c->unread, sizeof(c->unread),
		 "%s exists but was not read: %s comes first (DAT_OVERRIDE=%s selects it)",
		 DAT_CONF_SYSTEM, DAT_CONF_CONFIGURED, DAT_CONF_SYSTEM);
}

static FILE *open_defaults(struct dat_conf_choice *c)
{
	FILE *stream;
	int err, err2;

	stream = try_open(DAT_CONF_CONFIGURED, &err);
	if (stream) {
		snprintf(c->path, sizeof(c->path), "%s", DAT_CONF_CONFIGURED);
		note_system_unread(c);
		dat_log(DAT_DBG_SR, "reading %s, the configured file (DAT_OVERRIDE is not set%s%s)",
			c->path, *c->unread ? "; " : "", c->unread);
		return stream;
	}
	if (!strcmp(DAT_CONF_CONFIGURED, DAT_CONF_SYSTEM)) {
		snprintf(c->failure, sizeof(c->failure),
			 "no configuration was read: cannot open %s: %s (DAT_OVERRIDE is not set)",
			 DAT_CONF_CONFIGURED, strerror(err));
		dat_log(DAT_DBG_SR, "%s", c->failure);
		return NULL;
	}
	stream = try_open(DAT_CONF_SYSTEM, &err2);
	if (!stream) {
		snprintf(c->failure, sizeof(c->failure),
			 "no configuration was read: cannot open %s: %s, nor %s: %s (DAT_OVERRIDE is not set)",
			 DAT_CONF_CONFIGURED, strerror(err), DAT_CONF_SYSTEM,
			 strerror(err2));
		dat_log(DAT_DBG_SR, "%s", c->failure);
		return NULL;
	}
	snprintf(c->path, sizeof(c->path), "%s", DAT_CONF_SYSTEM);
	dat_log(DAT_DBG_SR, "reading %s: the configured file %s cannot be opened (%s) and DAT_OVERRIDE is not set",
		c->path, DAT_CONF_CONFIGURED, strerror(err));
	return stream;
}

FILE *dat_conf_open(struct dat_conf_choice *c)
{
	const char *override = secure_getenv("DAT_OVERRIDE");
	const char *raw = getenv("DAT_OVERRIDE");

	memset(c, 0, sizeof(*c));
	if (override && *override)
		return open_override(override, c);
	if (raw && *raw)
		dat_log(DAT_DBG_SR, "DAT_OVERRIDE=%s ignored: this is a set-user-ID or set-group-ID program",
			raw);
	else if (raw)
		dat_log(DAT_DBG_SR, "DAT_OVERRIDE is set but empty: ignored");
	return open_defaults(c);
}
