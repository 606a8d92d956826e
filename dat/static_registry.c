// SPDX-License-Identifier: BSD-3-Clause OR GPL-2.0-only
/*
 * The static registry: the interface adapters listed in dat.conf.
 *
 * Only user-level ("u") entries marked "default" are registered.  Entries
 * with the same key (name, API version, thread safety) form a fallback
 * chain tried in file order.  Opening an entry loads its library
 * (dlopen RTLD_NOW|RTLD_GLOBAL, so the provider can call back into
 * libdat2) and runs dat_provider_init(), which must register the IA in the
 * dynamic registry.  The library stays loaded while any IA of the entry is
 * open; the last close runs dat_provider_fini() and unloads it.
 */
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dat_internal.h"

struct sr_library {
	char		*lib_path;
	char		*ia_params;
	unsigned int	line;
};

struct sr_entry {
	DAT_PROVIDER_INFO	info;
	struct sr_library	*libs;		/* fallback chain, file order */
	size_t			nlibs;
	size_t			libs_capacity;
	/* While refcount > 0: the library that is loaded. */
	unsigned int		refcount;
	void			*dl_handle;
	DAT_PROVIDER_FINI_FUNC	fini;
	struct sr_entry		*next;		/* file order */
	struct sr_entry		*hash_next;	/* same hash bucket */
};

static pthread_mutex_t sr_lock;
static struct sr_entry *sr_head;
static struct sr_entry **sr_tail = &sr_head;
/* Which file was read, or why none could be; used in error messages. */
static struct dat_conf_choice sr_choice;

/*
 * Lookups by key go through a hash table so that reading a dat.conf is
 * linear in its entries: a list walk per entry made 16,000 entries take
 * seconds.  The table doubles when it is as full as it has buckets.
 */
static struct sr_entry **sr_buckets;
static size_t sr_nbuckets;
static size_t sr_count;

static size_t sr_hash(const DAT_PROVIDER_INFO *info)
{
	const unsigned char *p = (const unsigned char *)info->ia_name;
	uint64_t h = 0xcbf29ce484222325ULL;	/* FNV-1a */

	while (*p) {
		h ^= *p++;
		h *= 0x100000001b3ULL;
	}
	h ^= info->dapl_version_major * 31u + info->dapl_version_minor;
	h ^= (uint64_t)(info->is_thread_safe != DAT_FALSE) << 40;
	h *= 0x100000001b3ULL;
	return (size_t)(h ^ (h >> 29));
}

static struct sr_entry *sr_find(const DAT_PROVIDER_INFO *info)
{
	struct sr_entry *e;

	if (!sr_nbuckets)
		return NULL;
	e = sr_buckets[sr_hash(info) & (sr_nbuckets - 1)];
	for (; e; e = e->hash_next)
		if (dat_info_equal(&e->info, info))
			return e;
	return NULL;
}

static void sr_hash_link(struct sr_entry *e)
{
	struct sr_entry **bucket;

	bucket = &sr_buckets[sr_hash(&e->info) & (sr_nbuckets - 1)];
	e->hash_next = *bucket;
	*bucket = e;
}

/* Make room for one more entry; false if memory ran out. */
static bool sr_hash_reserve(void)
{
	size_t n = sr_nbuckets ? sr_nbuckets * 2 : 64;
	struct sr_entry **buckets, *e;

	if (sr_count < sr_nbuckets)
		return true;
	buckets = calloc(n, sizeof(*buckets));
	if (!buckets)
		return sr_nbuckets != 0;	/* longer chains, still correct */
	free(sr_buckets);
	sr_buckets = buckets;
	sr_nbuckets = n;
	for (e = sr_head; e; e = e->next)
		sr_hash_link(e);
	return true;
}

static void sr_hash_rebuild(void)
{
	struct sr_entry *e;

	sr_count = 0;
	if (sr_nbuckets)
		memset(sr_buckets, 0, sr_nbuckets * sizeof(*sr_buckets));
	for (e = sr_head; e; e = e->next) {
		sr_hash_link(e);
		sr_count++;
	}
}

static int sr_add_library(struct sr_entry *e, const struct dat_conf_entry *c)
{
	struct sr_library *libs, *lib;
	size_t capacity;

	if (e->nlibs == e->libs_capacity) {
		capacity = e->libs_capacity ? e->libs_capacity * 2 : 1;
		libs = realloc(e->libs, capacity * sizeof(*libs));
		if (!libs)
			return -ENOMEM;
		e->libs = libs;
		e->libs_capacity = capacity;
	}
	lib = &e->libs[e->nlibs];
	lib->lib_path = strdup(c->lib_path);
	lib->ia_params = strdup(c->ia_params);
	lib->line = c->line;
	if (!lib->lib_path || !lib->ia_params) {
		free(lib->lib_path);
		free(lib->ia_params);
		return -ENOMEM;
	}
	e->nlibs++;
	return 0;
}

static void sr_conf_entry(const struct dat_conf_entry *c, void *ctx)
{
	const char *file = ctx;
	DAT_PROVIDER_INFO info;
	struct sr_entry *e;
	bool is_new = false;

	if (c->api_type != 'u' || !c->is_default) {
		dat_log(DAT_DBG_SR, "%s:%u: \"%s\" skipped (%s entry)", file,
			c->line, c->ia_name,
			c->api_type != 'u' ? "kernel" : "nondefault");
		return;
	}
	dat_info_make(&info, c->ia_name, c->api_major, c->api_minor,
		      c->thread_safe);
	e = sr_find(&info);
	if (!e) {
		if (!sr_hash_reserve())
			goto nomem;
		e = calloc(1, sizeof(*e));
		if (!e)
			goto nomem;
		e->info = info;
		is_new = true;
	}
	if (sr_add_library(e, c)) {
		if (is_new)
			free(e);
		goto nomem;
	}
	if (is_new) {
		*sr_tail = e;
		sr_tail = &e->next;
		sr_hash_link(e);
		sr_count++;
	}
	dat_log(DAT_DBG_SR, "%s:%u: registered \"%s\" -> %s \"%s\"%s", file,
		c->line, c->ia_name, c->lib_path, c->ia_params,
		is_new ? "" : " (fallback)");
	return;
nomem:
	dat_log(DAT_DBG_ERROR, "%s:%u: out of memory; \"%s\" not registered",
		file, c->line, c->ia_name);
}

static void sr_conf_error(const char *file, unsigned int line,
			  const char *msg, void *ctx)
{
	dat_log(DAT_DBG_ERROR, "%s:%u: %s; line ignored", file, line, msg);
}

static void sr_load(void)
{
	static const struct dat_conf_ops ops = {
		.entry = sr_conf_entry,
		.error = sr_conf_error,
	};
	const char *path = sr_choice.path;
	FILE *stream;
	int rejected;

	stream = dat_conf_open(&sr_choice);
	if (!stream)
		return;
	rejected = dat_conf_parse(stream, path, &ops, (void *)path);
	if (rejected < 0)
		dat_log(DAT_DBG_ERROR, "%s: read error: %s; entries after it are missing",
			path, strerror(errno));
	fclose(stream);
}

void dat_sr_init(void)
{
	pthread_mutexattr_t attr;

	/*
	 * Recursive: a provider's init runs with the lock held and might
	 * legitimately call back into the static registry.
	 */
	pthread_mutexattr_init(&attr);
	pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE);
	pthread_mutex_init(&sr_lock, &attr);
	pthread_mutexattr_destroy(&attr);
	sr_load();
}

static void sr_free_entry(struct sr_entry *e)
{
	size_t i;

	for (i = 0; i < e->nlibs; i++) {
		free(e->libs[i].lib_path);
		free(e->libs[i].ia_params);
	}
	free(e->libs);
	free(e);
}

void dat_sr_fini(void)
{
	struct sr_entry **link = &sr_head, *e;

	/* Loaded providers may still serve open IAs: keep those entries. */
	pthread_mutex_lock(&sr_lock);
	while ((e = *link)) {
		if (e->refcount) {
			link = &e->next;
			continue;
		}
		*link = e->next;
		sr_free_entry(e);
	}
	sr_tail = link;
	sr_hash_rebuild();
	if (!sr_count) {
		free(sr_buckets);
		sr_buckets = NULL;
		sr_nbuckets = 0;
	}
	pthread_mutex_unlock(&sr_lock);
}

/*
 * Load one library of the chain and let it register.  Returns true with
 * the library loaded and registered, or false after explaining why not.
 */
static bool sr_try_library(struct sr_entry *e, const struct sr_library *lib)
{
	DAT_PROVIDER_INIT_FUNC init;
	void *dl;

	dlerror();
	dl = dlopen(lib->lib_path, RTLD_NOW | RTLD_GLOBAL);
	if (!dl) {
		dat_log(DAT_DBG_ERROR, "IA \"%s\" (%s line %u): cannot load provider library: %s",
			e->info.ia_name, sr_choice.path, lib->line, dlerror());
		return false;
	}
	*(void **)&init = dlsym(dl, DAT_PROVIDER_INIT_FUNC_STR);
	if (!init) {
		dat_log(DAT_DBG_ERROR, "IA \"%s\": %s is not a DAT provider: it does not export %s",
			e->info.ia_name, lib->lib_path,
			DAT_PROVIDER_INIT_FUNC_STR);
		goto unload;
	}
	*(void **)&e->fini = dlsym(dl, DAT_PROVIDER_FINI_FUNC_STR);
	if (!dlsym(dl, "dapl_extensions"))
		dat_log(DAT_DBG_SR, "%s has no dapl_extensions", lib->lib_path);

	dat_log(DAT_DBG_SR, "IA \"%s\": calling %s(\"%s\") in %s",
		e->info.ia_name, DAT_PROVIDER_INIT_FUNC_STR, lib->ia_params,
		lib->lib_path);
	init(&e->info, lib->ia_params);
	if (!dat_dr_is_registered(&e->info)) {
		dat_log(DAT_DBG_ERROR, "IA \"%s\": %s in %s did not register the IA (ia_params \"%s\" rejected? see the provider's messages; run dapl-info to see the devices and dat.conf entries)",
			e->info.ia_name, DAT_PROVIDER_INIT_FUNC_STR,
			lib->lib_path, lib->ia_params);
		/*
		 * Without a registration there is nothing for fini to undo;
		 * unloading is all the cleanup we can do.
		 */
		goto unload;
	}
	e->dl_handle = dl;
	return true;
unload:
	e->fini = NULL;
	dlclose(dl);
	return false;
}

DAT_RETURN dat_sr_provider_open(const DAT_PROVIDER_INFO *info)
{
	DAT_RETURN ret = DAT_SUCCESS;
	struct sr_entry *e;
	size_t i;

	pthread_mutex_lock(&sr_lock);
	e = sr_find(info);
	if (!e) {
		ret = DAT_ERROR(DAT_PROVIDER_NOT_FOUND, DAT_NAME_NOT_REGISTERED);
		goto out;
	}
	if (e->refcount) {
		e->refcount++;
		goto out;
	}
	for (i = 0; i < e->nlibs; i++)
		if (sr_try_library(e, &e->libs[i]))
			break;
	if (i == e->nlibs) {
		ret = DAT_ERROR(DAT_PROVIDER_NOT_FOUND, DAT_NAME_NOT_REGISTERED);
		goto out;
	}
	e->refcount = 1;
out:
	pthread_mutex_unlock(&sr_lock);
	return ret;
}

void dat_sr_provider_close(const DAT_PROVIDER_INFO *info)
{
	struct sr_entry *e;

	pthread_mutex_lock(&sr_lock);
	e = sr_find(info);
	if (!e || !e->refcount || --e->refcount)
		goto out;
	if (e->fini)
		e->fini(&e->info);
	dlclose(e->dl_handle);
	e->dl_handle = NULL;
	e->fini = NULL;
out:
	pthread_mutex_unlock(&sr_lock);
}

/* How many suggestions and listed names a "not found" message carries. */
#define SUGGEST_MAX	3
#define LIST_MAX	8

/*
 * Caller holds sr_lock.  Up to SUGGEST_MAX distinct names at the smallest
 * distance from want found within a limit that grows with its length.
 */
static size_t sr_nearest(const char *want, const char *found[SUGGEST_MAX])
{
	unsigned int dist[SUGGEST_MAX], limit, d;
	size_t n = 0, i, k;
	struct sr_entry *e;

	limit = (unsigned int)strlen(want) / 3;
	limit = limit < 1 ? 1 : limit > 4 ? 4 : limit;
	for (e = sr_head; e; e = e->next) {
		d = dat_name_distance(want, e->info.ia_name, limit);
		if (d > limit)
			continue;
		for (i = 0; i < n; i++)
			if (!strcmp(found[i], e->info.ia_name))
				break;
		if (i < n)
			continue;
		for (i = n; i > 0 && dist[i - 1] > d; i--)
			;
		if (i == SUGGEST_MAX)
			continue;
		if (n < SUGGEST_MAX)
			n++;
		for (k = n - 1; k > i; k--) {
			found[k] = found[k - 1];
			dist[k] = dist[k - 1];
		}
		found[i] = e->info.ia_name;
		dist[i] = d;
	}
	/* Only the nearest: "ib0" is no help to someone who meant "iwarp". */
	for (i = 1; i < n && dist[i] == dist[0]; i++)
		;
	return n ? i : 0;
}

/* "; did you mean "a", "b" or "c"?" or "" (caller holds sr_lock). */
static const char *sr_suggest(const char *want, char *buf, size_t len)
{
	const char *found[SUGGEST_MAX];
	size_t n = sr_nearest(want, found), i, used;

	*buf = '\0';
	if (!n)
		return buf;
	used = (size_t)snprintf(buf, len, "; did you mean");
	for (i = 0; i < n && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s\"%s\"",
					 i == 0 ? " " : i + 1 < n ? ", " : " or ",
					 found[i]);
	if (used < len)
		snprintf(buf + used, len - used, "?");
	return buf;
}

/* The names registered, as one message (caller holds sr_lock). */
static void sr_log_registered(void)
{
	char names[640];
	size_t count = 0, used = 0;
	struct sr_entry *e;

	names[0] = '\0';
	for (e = sr_head; e; e = e->next, count++)
		if (count < LIST_MAX && used < sizeof(names))
			used += (size_t)snprintf(names + used,
						 sizeof(names) - used,
						 "%s\"%s\"", count ? ", " : "",
						 e->info.ia_name);
	if (!count) {
		dat_log(DAT_DBG_ERROR, "%s registers no IA (no \"u\" \"default\" line); run dapl-info to see the devices and dat.conf entries",
			sr_choice.path);
		return;
	}
	if (count > LIST_MAX)
		dat_log(DAT_DBG_ERROR, "%s registers %zu IAs: %s and %zu more; run dapl-info to see the devices and dat.conf entries",
			sr_choice.path, count, names, count - LIST_MAX);
	else
		dat_log(DAT_DBG_ERROR, "%s registers %zu IA%s: %s; run dapl-info to see the devices and dat.conf entries",
			sr_choice.path, count, count == 1 ? "" : "s", names);
}

/* Log why an IA that nobody registered could not be found. */
void dat_sr_explain_missing(const DAT_PROVIDER_INFO *info)
{
	char want[320], have[320], hint[900];
	const char *unread = sr_choice.unread;
	struct sr_entry *e;
	bool named = false;

	pthread_mutex_lock(&sr_lock);
	/* Listed with this exact key: the load failure was reported already. */
	if (sr_find(info))
		goto out;
	dat_info_describe(info, want, sizeof(want));
	if (!*sr_choice.path) {
		dat_log(DAT_DBG_ERROR, "IA %s not found: %s; run dapl-info to see the devices and dat.conf entries",
			want, sr_choice.failure);
		goto out;
	}
	for (e = sr_head; e; e = e->next) {
		if (strcmp(e->info.ia_name, info->ia_name))
			continue;
		named = true;
		dat_log(DAT_DBG_ERROR, "IA %s not found: %s lists it only as %s",
			want, sr_choice.path,
			dat_info_describe(&e->info, have, sizeof(have)));
	}
	if (named)
		goto out;
	dat_log(DAT_DBG_ERROR, "IA %s not found: no \"u\" \"default\" entry with that name in %s%s%s%s",
		want, sr_choice.path,
		sr_suggest(info->ia_name, hint, sizeof(hint)),
		*unread ? "; " : "", unread);
	sr_log_registered();
out:
	pthread_mutex_unlock(&sr_lock);
}

DAT_RETURN dat_sr_list(DAT_COUNT max_to_return, DAT_COUNT *entries_returned,
		       DAT_PROVIDER_INFO *list[])
{
	struct sr_entry *e;
	DAT_COUNT n = 0;

	pthread_mutex_lock(&sr_lock);
	if (max_to_return == 0) {
		for (e = sr_head; e; e = e->next)
			n++;
		*entries_returned = n;
		pthread_mutex_unlock(&sr_lock);
		/* The DAT spec asks for the count and this error together. */
		return DAT_ERROR(DAT_INVALID_PARAMETER, DAT_INVALID_ARG1);
	}
	for (e = sr_head; e && n < max_to_return; e = e->next) {
		if (!list[n]) {
			pthread_mutex_unlock(&sr_lock);
			return DAT_ERROR(DAT_INVALID_PARAMETER, DAT_INVALID_ARG3);
		}
		*list[n++] = e->info;
	}
	*entries_returned = n;
	pthread_mutex_unlock(&sr_lock);
	return DAT_SUCCESS;
}
