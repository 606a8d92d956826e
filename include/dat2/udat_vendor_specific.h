/* SPDX-License-Identifier: BSD-3-Clause OR GPL-2.0-only */
/*
 * udat_vendor_specific.h - place for vendor additions to the user-level
 * API.  Empty; kept because udat.h and existing code include it by name.
 */
#ifndef _UDAT_VENDOR_SPECIFIC_H_
#define _UDAT_VENDOR_SPECIFIC_H_

#include <dat2/dat_vendor_specific.h>

#endif /* _UDAT_VENDOR_SPECIFIC_H_ */
