/* SPDX-License-Identifier: BSD-3-Clause OR GPL-2.0-only */
/*
 * dat_internal.h - declarations shared by the files of libdat2.
 *
 * Nothing here is exported: the version script libdat2.map keeps every
 * symbol not listed there local to the library.
 */
#ifndef DAT_INTERNAL_H
#define DAT_INTERNAL_H

#include <stdbool.h>
#include <stdio.h>
#include <dat2/udat.h>
#include <dat2/dat_registry.h>

#define DAT_ERROR(type, subtype) \
	((DAT_RETURN)(DAT_CLASS_ERROR | (type) | (subtype)))

/* Registry key of dat_ia_open(): name, API version and thread safety. */
#define DAT_IA_OPEN_API_MAJOR	2
#define DAT_IA_OPEN_API_MINOR	0

/* ---- debug.c: DAT_DBG_TYPE / DAT_DBG_DEST ---- */
enum dat_dbg_type {
	DAT_DBG_ERROR		= 0x01,
	DAT_DBG_GENERIC		= 0x02,
	DAT_DBG_SR		= 0x04,
	DAT_DBG_DR		= 0x08,
	DAT_DBG_PROVIDER_API	= 0x10,
	DAT_DBG_CONSUMER_API	= 0x20,
	DAT_DBG_ALL		= 0xff
};

enum dat_dbg_dest {
	DAT_DBG_DEST_STDERR	= 0x01,
	DAT_DBG_DEST_SYSLOG	= 0x02
};

/* Longest message before escaping; longer ones are cut. */
#define DAT_LOG_MAX	1024

void dat_debug_init(void);
void dat_log(enum dat_dbg_type type, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* ---- printable.c: untrusted text made safe for a one-line message ---- */
/*
 * Copies at most len bytes of in (stopping at a NUL) to out, writing
 * control characters and bytes that are not well-formed UTF-8 as \xHH.
 * out always ends in a NUL; returns its length.
 */
size_t dat_printable(char *out, size_t size, const char *in, size_t len);

/* ---- strerror.c ---- */
/* "TYPE" or "TYPE/SUBTYPE" as dat_strerror() names them, in buf. */
const char *dat_status_name(DAT_RETURN status, char *buf, size_t len);

/* ---- init.c: one-time lazy initialisation of the registry ---- */
void dat_registry_init(void);

/* ---- conf_parse.c: the dat.conf grammar ---- */
struct dat_conf_entry {
	const char	*ia_name;
	char		api_type;		/* 'u' or 'k' */
	DAT_UINT32	api_major;
	DAT_UINT32	api_minor;
	DAT_BOOLEAN	thread_safe;
	DAT_BOOLEAN	is_default;
	const char	*lib_path;
	const char	*provider_id;
	DAT_UINT32	provider_major;
	DAT_UINT32	provider_minor;
	const char	*ia_params;
	const char	*platform_params;
	unsigned int	line;
};

struct dat_conf_ops {
	/* Called for every well-formed entry, in file order. */
	void (*entry)(const struct dat_conf_entry *entry, void *ctx);
	/* Called for every rejected line with a complete sentence. */
	void (*error)(const char *file, unsigned int line, const char *msg,
		      void *ctx);
};

/* Returns the number of rejected lines, or -1 if reading failed. */
int dat_conf_parse(FILE *stream, const char *file_name,
		   const struct dat_conf_ops *ops, void *ctx);

/* ---- conf_search.c: which dat.conf is read ---- */
struct dat_conf_choice {
	char	path[512];	/* the file opened, "" if none */
	char	failure[1280];	/* why no file could be opened */
	char	unread[768];	/* a dat.conf that exists but was passed over */
};

/* Opens the dat.conf to read, or returns NULL; fills *choice either way. */
FILE *dat_conf_open(struct dat_conf_choice *choice);

/* ---- nearest_name.c: suggestions for a misspelt name ---- */
/*
 * Edit distance (insertions, deletions, substitutions, swaps of two
 * neighbours; letters compared without case) between a and b, or
 * limit + 1 if it is larger than limit.
 */
unsigned int dat_name_distance(const char *a, const char *b,
			       unsigned int limit);

/* ---- static_registry.c: entries read from dat.conf ---- */
void dat_sr_init(void);
void dat_sr_fini(void);
DAT_RETURN dat_sr_provider_open(const DAT_PROVIDER_INFO *info);
void dat_sr_provider_close(const DAT_PROVIDER_INFO *info);
void dat_sr_explain_missing(const DAT_PROVIDER_INFO *info);
DAT_RETURN dat_sr_list(DAT_COUNT max_to_return, DAT_COUNT *entries_returned,
		       DAT_PROVIDER_INFO *list[]);

/* ---- dynamic_registry.c: providers that called add_provider ---- */
struct dat_dr_binding {
	DAT_IA_OPEN_FUNC		ia_open;
	DAT_HANDLE_EXTENDEDOP_FUNC	extension;
};

DAT_RETURN dat_dr_insert(const DAT_PROVIDER *provider,
			 const DAT_PROVIDER_INFO *info);
DAT_RETURN dat_dr_remove(const DAT_PROVIDER *provider,
			 const DAT_PROVIDER_INFO *info);
DAT_RETURN dat_dr_provider_open(const DAT_PROVIDER_INFO *info,
				struct dat_dr_binding *binding);
void dat_dr_provider_close(const DAT_PROVIDER_INFO *info);
bool dat_dr_is_registered(const DAT_PROVIDER_INFO *info);
void dat_dr_fini(void);

bool dat_info_equal(const DAT_PROVIDER_INFO *a, const DAT_PROVIDER_INFO *b);
void dat_info_make(DAT_PROVIDER_INFO *info, const char *name,
		   DAT_UINT32 major, DAT_UINT32 minor, DAT_BOOLEAN thread_safe);
const char *dat_info_describe(const DAT_PROVIDER_INFO *info, char *buf,
			      size_t len);

/* ---- ia_handles.c: consumer IA handles are slot numbers ---- */
struct dat_ia_slot {
	DAT_IA_HANDLE		provider_ia;	/* provider's IA object */
	DAT_PROVIDER_INFO	key;		/* registry key it was opened with */
	bool			sr_held;	/* holds a static registry reference */
};

DAT_RETURN dats_handle_insert(const struct dat_ia_slot *slot,
			      DAT_IA_HANDLE *index);
DAT_RETURN dats_handle_claim(DAT_IA_HANDLE index, struct dat_ia_slot *slot);
void dats_handle_unclaim(DAT_IA_HANDLE index);
void dats_handle_release(DAT_IA_HANDLE index);
DAT_RETURN dats_ia_resolve(DAT_IA_HANDLE index, DAT_IA_HANDLE *provider_ia);
bool dats_is_ia_handle(DAT_HANDLE handle);
void dats_handle_fini(void);

/* Exported for providers (no public header declares it). */
DAT_RETURN dats_get_ia_handle(DAT_IA_HANDLE handle, DAT_IA_HANDLE *out);

/* ---- ia_open.c ---- */
void dat_note_extensions(DAT_IA_HANDLE provider_ia);
bool dat_extensions_seen(void);

#endif /* DAT_INTERNAL_H */
