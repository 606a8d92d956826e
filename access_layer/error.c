// SPDX-License-Identifier: BSD-2-Clause
/*
 * error.c - the layer's one error type and its human-readable form.
 *
 * A bare "Couldn't create CQ" is what users of the old stack hated most;
 * every failure here records which call failed, on which device and
 * address, and what to do about it.
 */
#include <config.h>

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ual_internal.h"

int ual_err_set(struct ual_error *err, int errnum, const char *step,
		const char *fmt, ...)
{
	va_list ap;

	if (errnum < 0)
		errnum = -errnum;
	if (!err)
		return -errnum;
	err->errnum = errnum;
	err->step = step;
	err->status = 0;
	err->device[0] = '\0';
	err->address[0] = '\0';
	err->detail[0] = '\0';
	if (fmt) {
		va_start(ap, fmt);
		vsnprintf(err->detail, sizeof(err->detail), fmt, ap);
		va_end(ap);
	}
	return -errnum;
}

void ual_err_context(struct ual_error *err, const char *device,
		     const struct sockaddr *addr)
{
	if (!err)
		return;
	if (device)
		snprintf(err->device, sizeof(err->device), "%s", device);
	if (addr)
		ual_sockaddr_str(addr, err->address, sizeof(err->address));
}

/*
 * The string fields are printed with a precision of their size: a struct
 * filled by hand (or by a buggy caller) without a terminator must not
 * make us read past the field.
 */
const char *ual_strerror(const struct ual_error *err, char *buf, size_t len)
{
	size_t n;

	if (!buf || !len)
		return "";
	if (!err || !err->errnum) {
		snprintf(buf, len, "no error");
		return buf;
	}
	n = (size_t)snprintf(buf, len, "%s failed", err->step ? err->step : "operation");
	if (n < len && err->device[0])
		n += (size_t)snprintf(buf + n, len - n, " on %.*s",
				      (int)sizeof(err->device), err->device);
	if (n < len && err->address[0])
		n += (size_t)snprintf(buf + n, len - n, " (%.*s)",
				      (int)sizeof(err->address), err->address);
	if (n < len)
		n += (size_t)snprintf(buf + n, len - n, ": %s", strerror(err->errnum));
	if (n < len && err->status)
		n += (size_t)snprintf(buf + n, len - n, " [status %d]", err->status);
	if (n < len && err->detail[0])
		snprintf(buf + n, len - n, "; %.*s", (int)sizeof(err->detail),
			 err->detail);
	return buf;
}
