/* SPDX-License-Identifier: BSD-3-Clause OR GPL-2.0-only */
/*
 * dat_vendor_specific.h - place for vendor additions shared by uDAT and
 * kDAT.  No vendor defines anything here; the header exists because
 * consumers and providers written for DAT 2.0 include it by name.
 */
#ifndef _DAT_VENDOR_SPECIFIC_H_
#define _DAT_VENDOR_SPECIFIC_H_

#endif /* _DAT_VENDOR_SPECIFIC_H_ */
