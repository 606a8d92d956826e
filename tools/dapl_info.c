// SPDX-License-Identifier: BSD-3-Clause OR GPL-2.0-only
/*
 * dapl-info: what the DAPL stack sees on this machine, and a dat.conf
 * that matches it.  See dapl-info(1).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "dapl_info.h"

#ifndef SYSCONFDIR
#error "SYSCONFDIR must name the directory that holds dat.conf"
#endif
#define CONF_CONFIGURED	SYSCONFDIR "/dat.conf"
#define CONF_FALLBACK	"/etc/dat.conf"

enum {
	SHOW_DEVICES = 1 << 0,
	SHOW_CONF = 1 << 1,
	SHOW_ENV = 1 << 2,
	SHOW_ALL = SHOW_DEVICES | SHOW_CONF | SHOW_ENV,
};

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: dapl-info [--devices] [--conf] [--env]\n"
		"       dapl-info --generate [FILE] [--force]\n"
		"Shows the RDMA devices, the dat.conf in use with each entry opened, and the\n"
		"environment variables of the DAPL stack; --generate writes a dat.conf for\n"
		"this machine to FILE (default: standard output).  See dapl-info(1).\n");
}

static FILE *open_output(const char *path, bool force)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC |
		      (force ? O_TRUNC : O_EXCL), 0644);
	FILE *f;

	if (fd < 0) {
		if (errno == EEXIST)
			fprintf(stderr, "dapl-info: %s exists; it is left alone (use --force to replace it)\n",
				path);
		else
			fprintf(stderr, "dapl-info: cannot create %s: %s\n", path,
				strerror(errno));
		return NULL;
	}
	f = fdopen(fd, "w");
	if (!f)
		close(fd);
	return f;
}

static int run_generate(const char *path, bool force)
{
	FILE *out = stdout;
	int ret;

	if (path && strcmp(path, "-")) {
		out = open_output(path, force);
		if (!out)
			return 1;
	}
	ret = generate_conf(out);
	if (fflush(out) || ferror(out)) {
		fprintf(stderr, "dapl-info: writing %s failed: %s\n",
			path ? path : "standard output", strerror(errno));
		ret = -1;
	}
	if (out != stdout)
		fclose(out);
	if (ret && path && strcmp(path, "-"))
		unlink(path);
	return ret ? 1 : 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "devices", no_argument, NULL, 'd' },
		{ "conf", no_argument, NULL, 'c' },
		{ "env", no_argument, NULL, 'e' },
		{ "generate", no_argument, NULL, 'g' },
		{ "force", no_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct conf_choice choice;
	bool generate = false, force = false;
	unsigned int show = 0;
	int opt, ret = 0;

	while ((opt = getopt_long(argc, argv, "dcegfhV", opts, NULL)) != -1) {
		switch (opt) {
		case 'd': show |= SHOW_DEVICES; break;
		case 'c': show |= SHOW_CONF; break;
		case 'e': show |= SHOW_ENV; break;
		case 'g': generate = true; break;
		case 'f': force = true; break;
		case 'h': usage(stdout); return 0;
		case 'V': printf("dapl-info %s\n", PACKAGE_VERSION); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (generate) {
		if (show || argc - optind > 1) {
			usage(stderr);
			return 2;
		}
		return run_generate(optind < argc ? argv[optind] : NULL, force);
	}
	if (optind < argc || force) {
		usage(stderr);
		return 2;
	}
	if (!show)
		show = SHOW_ALL;
	/* The environment first: the sections below set variables. */
	if (show & SHOW_ENV) {
		env_report(stdout);
		fputc('\n', stdout);
	}
	if ((show & SHOW_DEVICES) && devices_report(stdout))
		ret = 1;
	if (show & SHOW_CONF) {
		if (show & SHOW_DEVICES)
			fputc('\n', stdout);
		conf_choose(secure_getenv("DAT_OVERRIDE"), CONF_CONFIGURED,
			    CONF_FALLBACK, &choice);
		if (conf_report(stdout, &choice))
			ret = 1;
	}
	return ret;
}
