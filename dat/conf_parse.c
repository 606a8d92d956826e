// SPDX-License-Identifier: BSD-3-Clause OR GPL-2.0-only
/*
 * The dat.conf grammar.  Pure: reads a stream, reports entries and errors
 * through callbacks, keeps no state and knows nothing about the registry.
 *
 * One entry per line, eight fields separated by blanks:
 *
 *   ia_name api_version thread_safety default lib_path provider_version
 *   ia_params platform_params
 *
 * A field is either a run of non-blank characters or a double-quoted
 * string in which a backslash makes the next character literal.  "#" at
 * the start of a field starts a comment that runs to the end of the line.
 *
 * Compared with OFA's parser this one accepts CRLF line endings, handles
 * lines of any length, rejects a quote left open at the end of a line
 * cleanly (the reference corrupts its heap) and matches keywords exactly
 * (the reference accepts anything that starts with a keyword, so a typo
 * such as "nonthreadsafe_" silently registered).  Every rejected line is
 * reported with its number and the field at fault, in one line of
 * printable text whatever bytes the line holds.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dat_internal.h"

enum conf_field {
	FIELD_IA_NAME,
	FIELD_API_VERSION,
	FIELD_THREAD_SAFETY,
	FIELD_DEFAULT,
	FIELD_LIB_PATH,
	FIELD_PROVIDER_VERSION,
	FIELD_IA_PARAMS,
	FIELD_PLATFORM_PARAMS,
	FIELD_COUNT
};

static const char *const field_names[FIELD_COUNT] = {
	"ia_name", "api_version", "thread_safety", "default", "lib_path",
	"provider_version", "ia_params", "platform_params",
};

/* How much of an offending token to quote in a message. */
#define QUOTE_MAX	48

struct conf_line {
	const char		*file;
	unsigned int		number;
	const struct dat_conf_ops *ops;
	void			*ctx;
	char			*fields[FIELD_COUNT];
};

static void reject(const struct conf_line *line, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* The message quotes the line: escape what is not printable text. */
static void reject(const struct conf_line *line, const char *fmt, ...)
{
	char raw[512], msg[4 * sizeof(raw)];
	va_list args;

	va_start(args, fmt);
	vsnprintf(raw, sizeof(raw), fmt, args);
	va_end(args);
	dat_printable(msg, sizeof(msg), raw, sizeof(raw));
	if (line->ops->error)
		line->ops->error(line->file, line->number, msg, line->ctx);
}

static bool is_blank(char c)
{
	/* CR counts as blank so that CRLF files parse like LF files. */
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static char *skip_blanks(char *p)
{
	while (is_blank(*p))
		p++;
	return p;
}

/*
 * Cut the next field out of the line, in place.  Quoted fields are
 * unescaped where they stand (the result is never longer than the source).
 * Returns 1 and sets *field, 0 at end of line, -1 on a malformed field.
 */
static int next_field(const struct conf_line *line, char **cursor,
		      char **field, int index)
{
	char *p = skip_blanks(*cursor);
	char *out;

	if (*p == '\0' || *p == '#')
		return 0;

	if (*p != '"') {
		*field = p;
		while (*p && !is_blank(*p))
			p++;
		if (*p)
			*p++ = '\0';
		*cursor = p;
		return 1;
	}

	*field = out = ++p;
	for (;;) {
		if (*p == '\\' && p[1] != '\0' && p[1] != '\n')
			p++;
		else if (*p == '"')
			break;
		else if (*p == '\0' || *p == '\n') {
			reject(line, "%s: quote opened in field %d (%s) is not closed before the end of the line",
			       "unterminated string", index + 1,
			       index < FIELD_COUNT ? field_names[index] : "extra");
			return -1;
		}
		*out++ = *p++;
	}
	*out = '\0';
	p++;
	if (*p && !is_blank(*p)) {
		reject(line, "field %d (%s): unexpected \"%.*s\" right after the closing quote; separate fields with blanks",
		       index + 1,
		       index < FIELD_COUNT ? field_names[index] : "extra",
		       QUOTE_MAX, p);
		return -1;
	}
	*cursor = p;
	return 1;
}

/* Decimal number that fits in 32 bits; advances *p past it. */
static bool parse_u32(const char **p, DAT_UINT32 *value)
{
	unsigned long long v = 0;
	const char *s = *p;

	if (*s < '0' || *s > '9')
		return false;
	while (*s >= '0' && *s <= '9') {
		v = v * 10 + (unsigned long long)(*s++ - '0');
		if (v > 0xffffffffULL)
			return false;
	}
	*value = (DAT_UINT32)v;
	*p = s;
	return true;
}

/* "<major>.<minor>" and nothing after it. */
static bool parse_major_minor(const char *s, DAT_UINT32 *major,
			      DAT_UINT32 *minor)
{
	if (!parse_u32(&s, major) || *s++ != '.')
		return false;
	return parse_u32(&s, minor) && *s == '\0';
}

static bool parse_api_version(const char *s, struct dat_conf_entry *e)
{
	if (*s != 'u' && *s != 'k')
		return false;
	e->api_type = *s;
	return parse_major_minor(s + 1, &e->api_major, &e->api_minor);
}

/* "<id>.<major>.<minor>"; the id ends at the first dot. */
static bool parse_provider_version(char *s, struct dat_conf_entry *e)
{
	char *dot = strchr(s, '.');

	if (!dot || dot == s)
		return false;
	*dot = '\0';
	e->provider_id = s;
	return parse_major_minor(dot + 1, &e->provider_major,
				 &e->provider_minor);
}

static bool parse_keyword(const char *s, const char *yes, const char *no,
			  DAT_BOOLEAN *value)
{
	if (strcmp(s, yes) == 0)
		*value = DAT_TRUE;
	else if (strcmp(s, no) == 0)
		*value = DAT_FALSE;
	else
		return false;
	return true;
}

static bool check_fields(const struct conf_line *line,
			 struct dat_conf_entry *e)
{
	char *const *f = line->fields;
	size_t name_len = strlen(f[FIELD_IA_NAME]);

	e->ia_name = f[FIELD_IA_NAME];
	if (name_len == 0) {
		reject(line, "field 1 (ia_name) is empty");
		return false;
	}
	if (name_len >= DAT_NAME_MAX_LENGTH) {
		reject(line, "field 1 (ia_name) is %zu characters long; the limit is %d",
		       name_len, DAT_NAME_MAX_LENGTH - 1);
		return false;
	}
	if (!parse_api_version(f[FIELD_API_VERSION], e)) {
		reject(line, "field 2 (api_version) is \"%.*s\"; expected u<major>.<minor> or k<major>.<minor>, e.g. u2.0",
		       QUOTE_MAX, f[FIELD_API_VERSION]);
		return false;
	}
	if (!parse_keyword(f[FIELD_THREAD_SAFETY], "threadsafe",
			   "nonthreadsafe", &e->thread_safe)) {
		reject(line, "field 3 (thread_safety) is \"%.*s\"; expected threadsafe or nonthreadsafe",
		       QUOTE_MAX, f[FIELD_THREAD_SAFETY]);
		return false;
	}
	if (!parse_keyword(f[FIELD_DEFAULT], "default", "nondefault",
			   &e->is_default)) {
		reject(line, "field 4 (default) is \"%.*s\"; expected default or nondefault",
		       QUOTE_MAX, f[FIELD_DEFAULT]);
		return false;
	}
	e->lib_path = f[FIELD_LIB_PATH];
	if (!*e->lib_path) {
		reject(line, "field 5 (lib_path) is empty");
		return false;
	}
	if (!parse_provider_version(f[FIELD_PROVIDER_VERSION], e)) {
		reject(line, "field 6 (provider_version) is \"%.*s\"; expected <id>.<major>.<minor>, e.g. dapl.2.0",
		       QUOTE_MAX, f[FIELD_PROVIDER_VERSION]);
		return false;
	}
	e->ia_params = f[FIELD_IA_PARAMS];
	e->platform_params = f[FIELD_PLATFORM_PARAMS];
	return true;
}

/* Returns true if the line was rejected. */
static bool parse_line(struct conf_line *line, char *text)
{
	struct dat_conf_entry entry = { .line = line->number };
	char *cursor = text, *extra;
	int n, rc;

	for (n = 0; n < FIELD_COUNT; n++) {
		rc = next_field(line, &cursor, &line->fields[n], n);
		if (rc < 0)
			return true;
		if (rc == 0)
			break;
	}
	if (n == 0)
		return false;		/* blank or comment line */
	if (n < FIELD_COUNT) {
		reject(line, "only %d of the 8 fields are present; field %d (%s) is missing",
		       n, n + 1, field_names[n]);
		return true;
	}
	rc = next_field(line, &cursor, &extra, FIELD_COUNT);
	if (rc < 0)
		return true;
	if (rc > 0) {
		reject(line, "unexpected \"%.*s\" after field 8 (platform_params); quote fields that contain blanks",
		       QUOTE_MAX, extra);
		return true;
	}
	if (!check_fields(line, &entry))
		return true;
	if (line->ops->entry)
		line->ops->entry(&entry, line->ctx);
	return false;
}

int dat_conf_parse(FILE *stream, const char *file_name,
		   const struct dat_conf_ops *ops, void *ctx)
{
	struct conf_line line = {
		.file = file_name, .ops = ops, .ctx = ctx,
	};
	char *text = NULL;
	size_t capacity = 0;
	ssize_t len;
	int rejected = 0;

	while ((len = getline(&text, &capacity, stream)) >= 0) {
		line.number++;
		if (memchr(text, '\0', (size_t)len)) {
			reject(&line, "the line contains a NUL byte");
			rejected++;
			continue;
		}
		/* The terminator is not part of the line (nor of a message). */
		if (len && text[len - 1] == '\n')
			text[--len] = '\0';
		if (len && text[len - 1] == '\r')
			text[--len] = '\0';
		if (parse_line(&line, text))
			rejected++;
	}
	free(text);
	if (ferror(stream))
		return -1;
	return rejected;
}
