/* SPDX-License-Identifier: BSD-3-Clause OR GPL-2.0-only */
/*
 * udat_config.h - compile-time configuration of the user-level DAT API.
 *
 * dat_ia_open() asks the registry for an interface of this API version and
 * thread-safety level.  DAT_THREADSAFE is DAT_FALSE so that dat_ia_open()
 * finds the "nonthreadsafe" dat.conf entries that every provider ships.
 * The IB/iWARP extension API is always part of this implementation.
 */
#ifndef _UDAT_CONFIG_H_
#define _UDAT_CONFIG_H_

#define DAT_VERSION_MAJOR	2
#define DAT_VERSION_MINOR	0

#define DAT_THREADSAFE		DAT_FALSE

#ifndef DAT_EXTENSIONS
#define DAT_EXTENSIONS		1
#endif

#endif /* _UDAT_CONFIG_H_ */
