// SPDX-License-Identifier: BSD-3-Clause OR GPL-2.0-only
/*
 * bench_dat_conf - how long libdat2 takes to read a large dat.conf.
 *
 * Not a test: it prints numbers and never fails on them.  It writes a
 * dat.conf of N entries (default 100,000; every tenth a fallback line for
 * the entry before it, every hundredth line a comment), points
 * DAT_OVERRIDE at it and times the first registry call, which parses the
 * file and builds the registry.  It also times a failed dat_ia_open() of a
 * misspelt name, which compares the name with every registered one.
 *
 *   build/test/unit/bench_dat_conf [ENTRIES]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <dat2/udat.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Returns the number of distinct registry keys written. */
static long write_conf(FILE *f, long entries)
{
	long i, keys = 0;

	for (i = 0; i < entries; i++) {
		if (i % 100 == 99) {
			fprintf(f, "# comment line %ld\n", i);
			continue;
		}
		if (i % 10 == 9) {	/* fallback for the previous key */
			fprintf(f, "bench-ia-%ld u2.0 nonthreadsafe default /opt/alt/libdaplofa.so.2 dapl.2.0 \"ib%ld 1\" \"\"\n",
				i - 1, (i - 1) % 4);
			continue;
		}
		fprintf(f, "bench-ia-%ld u2.0 nonthreadsafe default libdaplofa.so.2 dapl.2.0 \"ib%ld 1\" \"\"\n",
			i, i % 4);
		keys++;
	}
	return keys;
}

int main(int argc, char **argv)
{
	char path[] = "/tmp/bench-dat-conf-XXXXXX";
	long entries = argc > 1 ? atol(argv[1]) : 100000, keys;
	DAT_IA_HANDLE ia;
	DAT_COUNT listed = 0;
	double t0, parse, miss;
	FILE *f;
	int fd;

	if (entries <= 0) {
		fprintf(stderr, "usage: %s [ENTRIES > 0]\n", argv[0]);
		return 2;
	}
	fd = mkstemp(path);
	if (fd < 0 || !(f = fdopen(fd, "w"))) {
		perror(path);
		return 1;
	}
	keys = write_conf(f, entries);
	if (fclose(f)) {
		perror(path);
		unlink(path);
		return 1;
	}
	setenv("DAT_OVERRIDE", path, 1);

	t0 = now();
	dat_registry_list_providers(0, &listed, NULL);
	parse = now() - t0;

	t0 = now();
	dat_ia_open("bench-ia-7x", 8, NULL, &ia);
	miss = now() - t0;
	unlink(path);

	printf("dat.conf lines: %ld, registered IAs: %d (expected %ld)\n",
	       entries, (int)listed, keys);
	printf("parse and register: %.3f s\n", parse);
	printf("open of a misspelt name (suggestions over all IAs): %.3f s\n",
	       miss);
	return listed == keys ? 0 : 1;
}
