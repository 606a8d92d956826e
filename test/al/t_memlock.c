// SPDX-License-Identifier: BSD-2-Clause
/*
 * t_memlock.c - running under a low locked-memory limit (ual_test --test
 * memlock).  The case starts both sides with a finite RLIMIT_MEMLOCK
 * (Debian's default, 8 MiB) and without CAP_IPC_LOCK, which would exempt
 * this process from the limit on every device but siw.
 *
 * The server, before it listens:
 *   raise      its soft limit, started below the hard one, was raised to
 *              the hard one by ual_device_open, and the device's
 *              memlock_limit attribute says so
 *   over       a region larger than the limit is refused with ENOMEM and
 *              a text naming the limit, the size asked and the fixes
 *   together   a region that fits alone but not with what is already
 *              pinned is refused the same way, naming what is pinned;
 *              once the first region is gone, it registers
 *   unmapped   a region over unmapped memory fails, and is not called a
 *              memlock problem; nor is a device spec nobody owns
 * Then both sides connect, the client writes a region into the server's
 * memory with RDMA and the server checks it: opening a device, a
 * connection and a transfer all work under the limit.
 */
#include "al_common.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>

#define KIB 1024ULL
#define PATTERN 53

static const char *const fix_words[] = {
	"ulimit -l", "/etc/security/limits.conf", "LimitMEMLOCK=",
	"batch system",
};

/* Whether CAP_IPC_LOCK (bit 14) is in this process's effective set. */
static bool has_cap_ipc_lock(void)
{
	unsigned long long caps = 0;
	char line[256];
	FILE *f = fopen("/proc/self/status", "r");

	if (!f)
		die("cannot read /proc/self/status");
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "CapEff:", 7))
			caps = strtoull(line + 7, NULL, 16);
	fclose(f);
	return caps >> 14 & 1;
}

/* The soft limit, after checking the run is what the case promised. */
static uint64_t finite_limit(struct side *s)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_MEMLOCK, &rl))
		die("getrlimit: %s", strerror(errno));
	if (rl.rlim_cur == RLIM_INFINITY)
		die("RLIMIT_MEMLOCK is unlimited: run under 'ulimit -l 8192'");
	if (has_cap_ipc_lock())
		die("CAP_IPC_LOCK is effective: the limit would not apply (drop it with setpriv)");
	say("RLIMIT_MEMLOCK soft %llu KiB, hard %llu KiB; device memlock_limit %llu KiB",
	    (unsigned long long)rl.rlim_cur / KIB,
	    (unsigned long long)rl.rlim_max / KIB,
	    (unsigned long long)s->attr.memlock_limit / KIB);
	return rl.rlim_cur;
}

static void check_raised(struct side *s, uint64_t soft)
{
	struct rlimit rl;

	getrlimit(RLIMIT_MEMLOCK, &rl);
	if (rl.rlim_cur != rl.rlim_max)
		die("soft limit %llu KiB left below the hard limit %llu KiB",
		    (unsigned long long)rl.rlim_cur / KIB,
		    (unsigned long long)rl.rlim_max / KIB);
	if (s->attr.memlock_limit != soft)
		die("device memlock_limit %llu, the soft limit is %llu",
		    (unsigned long long)s->attr.memlock_limit,
		    (unsigned long long)soft);
	say("raise: soft limit equals the hard limit");
}

/* Registers @len bytes of fresh memory; returns the rc, the region or the error. */
static int reg(struct side *s, size_t len, uint8_t **buf, struct ual_mr **mr,
	       struct ual_error *e)
{
	int rc;

	*buf = aligned_alloc(4096, len);
	if (!*buf)
		die("out of memory for %zu bytes", len);
	rc = ual_mr_reg(s->dev, *buf, len, UAL_ACCESS_LOCAL_WRITE, mr, e);
	if (rc) {
		free(*buf);
		*buf = NULL;
	}
	return rc;
}

static void unreg(struct ual_mr *mr, uint8_t *buf)
{
	struct ual_error e;

	check(ual_mr_dereg(mr, &e), &e, "ual_mr_dereg");
	free(buf);
}

/* @rc and @e must be a memlock refusal naming @soft, @asked KiB and the fixes. */
static void expect_memlock_text(const char *step, int rc, const struct ual_error *e,
				uint64_t soft, uint64_t asked_kib)
{
	char text[512], want[64];
	size_t i;

	if (!rc)
		die("%s: registered, the limit should have refused it", step);
	ual_strerror(e, text, sizeof(text));
	say("%s: %s", step, text);
	if (rc != -ENOMEM)
		die("%s: error %d, not -ENOMEM", step, rc);
	snprintf(want, sizeof(want), "soft %llu KiB", (unsigned long long)soft / KIB);
	if (!strstr(text, "RLIMIT_MEMLOCK") || !strstr(text, want))
		die("%s: the text does not name the limit (%s)", step, want);
	snprintf(want, sizeof(want), "asked %llu KiB", (unsigned long long)asked_kib);
	if (!strstr(text, want))
		die("%s: the text does not name the size asked (%s)", step, want);
	for (i = 0; i < sizeof(fix_words) / sizeof(fix_words[0]); i++)
		if (!strstr(text, fix_words[i]))
			die("%s: the text does not name the fix '%s'", step, fix_words[i]);
}

static void over_the_limit(struct side *s, uint64_t soft)
{
	size_t len = (size_t)soft + 1024 * KIB;
	struct ual_error e;
	struct ual_mr *mr;
	uint8_t *buf;

	expect_memlock_text("over", reg(s, len, &buf, &mr, &e), &e, soft,
			    len / KIB);
}

static void together_over_the_limit(struct side *s, uint64_t soft)
{
	size_t half = (size_t)soft / 2;
	struct ual_mr *first, *second;
	uint8_t *fbuf, *sbuf;
	struct ual_error e;
	char text[512];
	const char *p;

	check(reg(s, half, &fbuf, &first, &e), &e, "a region of half the limit");
	expect_memlock_text("together", reg(s, half, &sbuf, &second, &e), &e,
			    soft, half / KIB);
	ual_strerror(&e, text, sizeof(text));
	p = strstr(text, "already ");
	if (!p || strtoull(p + 8, NULL, 10) < half / KIB)
		die("together: the text does not name the %llu KiB already pinned",
		    (unsigned long long)half / KIB);
	unreg(first, fbuf);
	check(reg(s, half, &sbuf, &second, &e), &e,
	      "the same region once the first is gone");
	unreg(second, sbuf);
	say("together: refused with the first region, registered without it");
}

static void not_memlock(const char *step, int rc, const struct ual_error *e)
{
	char text[512];

	if (!rc)
		die("%s: succeeded", step);
	ual_strerror(e, text, sizeof(text));
	say("%s: %s", step, text);
	if (strstr(text, "MEMLOCK") || strstr(text, "memlock") ||
	    strstr(text, "ulimit"))
		die("%s: called a memlock problem", step);
}

static void other_failures(struct side *s)
{
	size_t len = 64 * KIB;
	struct ual_device *dev;
	struct ual_error e;
	struct ual_mr *mr;
	void *hole;

	hole = mmap(NULL, len, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (hole == MAP_FAILED)
		die("mmap: %s", strerror(errno));
	munmap(hole, len);
	not_memlock("unmapped", ual_mr_reg(s->dev, hole, len,
					   UAL_ACCESS_LOCAL_WRITE, &mr, &e), &e);
	/* TEST-NET-1: an address no device here owns, as a typo would give. */
	not_memlock("typo", ual_device_open("192.0.2.1", &dev, NULL, &e), &e);
}

int run_server_memlock(struct side *s)
{
	uint64_t soft = finite_limit(s);
	struct ual_listener *ls;
	struct ual_event ev;

	check_raised(s, soft);
	over_the_limit(s, soft);
	together_over_the_limit(s, soft);
	other_failures(s);

	fill(s->buf + R_TARGET * REGION, REGION, 0);
	ls = start_listen(s, UAL_EP_RC);
	ev = expect(s, UAL_EVENT_CONN_REQUEST);
	server_accept(s, ev.req);
	expect(s, UAL_EVENT_CONN_ESTABLISHED);
	expect_msg(s, "wrote");
	if (!verify(s->buf + R_TARGET * REGION, REGION, PATTERN))
		die("RDMA write data wrong");
	send_msg(s, "ok:write");
	say("transfer: %u bytes written by the peer arrived", REGION);
	finish_disconnect(s, false);
	ual_listener_destroy(ls);
	return 0;
}

int run_client_memlock(struct side *s)
{
	struct ual_sge sge = sge_at(s, R_SOURCE * REGION, REGION);
	int rc;

	finite_limit(s);
	client_connect(s, 0);
	fill(s->buf + R_SOURCE * REGION, REGION, PATTERN);
	rc = ual_post_write(s->ep, &sge, 1, s->peer.addr + R_TARGET * REGION,
			    s->peer.rkey, 2, UAL_POST_SIGNALED);
	if (rc)
		die("post write: %s", strerror(-rc));
	wait_wc(s->scq);
	send_msg(s, "wrote");
	expect_msg(s, "ok:write");
	say("transfer: RDMA write of %u bytes acknowledged", REGION);
	finish_disconnect(s, true);
	return 0;
}
