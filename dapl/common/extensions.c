// SPDX-License-Identifier: BSD-3-Clause OR GPL-2.0-only
/*
 * dat_extension_op: the IB extensions of dat_ib_extensions.h (immediate
 * data, atomics, UD, counters) are not offered yet.  dat_ia_query says so
 * (extension_supported DAT_EXTENSION_NONE, DAT_EXTENSION_INTERFACE
 * "FALSE"), and every extended operation returns DAT_NOT_IMPLEMENTED
 * after one log line naming the operation, rather than pretending.
 */
#include "dapl.h"

DAT_RETURN dapl_extensions(DAT_HANDLE h, DAT_EXTENDED_OP op, va_list args)
{
	(void)args;
	if (!dapl_hdr_get(h))
		return DAT_ERROR(DAT_INVALID_HANDLE, DAT_INVALID_HANDLE1);
	dapl_log(DAPL_DBG_WARN,
		 "dat_extension_op: operation %d: this provider offers no IB extensions (see dat_ia_query)",
		 (int)op);
	return DAT_ERROR(DAT_NOT_IMPLEMENTED, DAT_NO_SUBTYPE);
}
