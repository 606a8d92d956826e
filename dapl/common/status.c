// SPDX-License-Identifier: BSD-3-Clause OR GPL-2.0-only
/*
 * Status codes: a negative errno from the access layer as a DAT_RETURN.
 * OFA's table (dapl.md section 1.7) is followed where it names an errno,
 * always with the error class bit set (OFA sometimes drops it).
 */
#include <errno.h>
#include <string.h>

#include "dapl.h"

DAT_RETURN dapl_status_from_errno(int neg_errno)
{
	switch (-neg_errno) {
	case 0:
		return DAT_SUCCESS;
	case EOVERFLOW:
	case EMSGSIZE:
		return DAT_ERROR(DAT_LENGTH_ERROR, DAT_NO_SUBTYPE);
	case EACCES:
		return DAT_ERROR(DAT_PRIVILEGES_VIOLATION, DAT_NO_SUBTYPE);
	case EPERM:
		return DAT_ERROR(DAT_PROTECTION_VIOLATION, DAT_NO_SUBTYPE);
	case EINVAL:
		return DAT_ERROR(DAT_INVALID_PARAMETER, DAT_NO_SUBTYPE);
	case EISCONN:
		return DAT_ERROR(DAT_INVALID_STATE, DAT_INVALID_STATE_EP_CONNECTED);
	case ENOTCONN:
		return DAT_ERROR(DAT_INVALID_STATE, DAT_INVALID_STATE_EP_DISCONNECTED);
	case ECONNREFUSED:
		return DAT_ERROR(DAT_INVALID_STATE, DAT_INVALID_STATE_EP_NOTREADY);
	case ETIMEDOUT:
		return DAT_ERROR(DAT_TIMEOUT_EXPIRED, DAT_NO_SUBTYPE);
	case ENETUNREACH:
	case EHOSTUNREACH:
		return DAT_ERROR(DAT_INVALID_ADDRESS, DAT_INVALID_ADDRESS_UNREACHABLE);
	case EADDRINUSE:
		return DAT_ERROR(DAT_CONN_QUAL_IN_USE, DAT_NO_SUBTYPE);
	case EALREADY:
		return DAT_ERROR(DAT_INVALID_STATE, DAT_INVALID_STATE_EP_ACTCONNPENDING);
	case ENOMEM:
	case ENOSPC:
		return DAT_ERROR(DAT_INSUFFICIENT_RESOURCES, DAT_NO_SUBTYPE);
	case EAGAIN:
		return DAT_ERROR(DAT_QUEUE_EMPTY, DAT_NO_SUBTYPE);
	case EINTR:
		return DAT_ERROR(DAT_INTERRUPTED_CALL, DAT_NO_SUBTYPE);
	case EAFNOSUPPORT:
	case EADDRNOTAVAIL:
		return DAT_ERROR(DAT_INVALID_ADDRESS, DAT_INVALID_ADDRESS_MALFORMED);
	case EOPNOTSUPP:
		return DAT_ERROR(DAT_NOT_IMPLEMENTED, DAT_NO_SUBTYPE);
	case ENODEV:
	case ENXIO:
		return DAT_ERROR(DAT_PROVIDER_NOT_FOUND, DAT_NO_SUBTYPE);
	default:
		return DAT_ERROR(DAT_INTERNAL_ERROR, DAT_NO_SUBTYPE);
	}
}

DAT_RETURN dapl_status_log(const char *call, int neg_errno,
			   const struct ual_error *err)
{
	char buf[512];

	if (err && err->errnum)
		dapl_log(DAPL_DBG_ERR, "%s: %s", call,
			 ual_strerror(err, buf, sizeof(buf)));
	else if (neg_errno)
		dapl_log(DAPL_DBG_ERR, "%s: %s", call, strerror(-neg_errno));
	return dapl_status_from_errno(neg_errno);
}
