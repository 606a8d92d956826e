/* SPDX-License-Identifier: BSD-3-Clause OR GPL-2.0-only */
/*
 * dat_registry.h - the interface between libdat2 and provider libraries.
 *
 * The registry dlopen()s the library named in dat.conf and calls its
 * dat_provider_init(info, ia_params).  The provider answers by calling
 * dat_registry_add_provider() with its dispatch table; the registry then
 * opens IAs through that table.  Before dlclose() the registry calls
 * dat_provider_fini(info), which calls dat_registry_remove_provider().
 */
#ifndef _DAT_REGISTRY_H_
#define _DAT_REGISTRY_H_

#ifndef _UDAT_H_
#error "include <dat2/udat.h> before <dat2/dat_registry.h>"
#endif

#include <dat2/udat_redirection.h>

#ifdef __cplusplus
extern "C" {
#endif

extern DAT_RETURN DAT_API dat_registry_add_provider(
	IN const DAT_PROVIDER		*provider,
	IN const DAT_PROVIDER_INFO	*provider_info);

extern DAT_RETURN DAT_API dat_registry_remove_provider(
	IN const DAT_PROVIDER		*provider,
	IN const DAT_PROVIDER_INFO	*provider_info);

/* Entry points a provider library must export, and their dlsym() names. */
#define DAT_PROVIDER_INIT_FUNC_NAME	dat_provider_init
#define DAT_PROVIDER_FINI_FUNC_NAME	dat_provider_fini

#define DAT_PROVIDER_INIT_FUNC_STR	"dat_provider_init"
#define DAT_PROVIDER_FINI_FUNC_STR	"dat_provider_fini"

/* ia_params is the 7th dat.conf field of the entry, quotes removed. */
typedef void (DAT_API *DAT_PROVIDER_INIT_FUNC)(
	IN const DAT_PROVIDER_INFO	*provider_info,
	IN const char			*ia_params);

typedef void (DAT_API *DAT_PROVIDER_FINI_FUNC)(
	IN const DAT_PROVIDER_INFO	*provider_info);

typedef enum dat_ha_relationship {
	DAT_HA_FALSE,
	DAT_HA_TRUE,
	DAT_HA_UNKNOWN,
	DAT_HA_CONFLICTING,
	DAT_HA_EXTENSION_BASE
} DAT_HA_RELATIONSHIP;

/* Declared by DAT 2.0 but implemented by no registry. */
extern DAT_RETURN DAT_API dat_registry_providers_related(
	IN const DAT_NAME_PTR		provider_name_1,
	IN const DAT_NAME_PTR		provider_name_2,
	OUT DAT_HA_RELATIONSHIP		*relationship);

#ifdef __cplusplus
}
#endif

#endif /* _DAT_REGISTRY_H_ */
