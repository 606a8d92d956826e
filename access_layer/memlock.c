// SPDX-License-Identifier: BSD-2-Clause
/*
 * memlock.c - the locked-memory limit (RLIMIT_MEMLOCK): raising it where
 * that helps, and saying so when it is what refused a region or a queue.
 *
 * The layer never refuses to open a device because of the limit: rping
 * and OFA's dtest run under Debian's default of 8 MiB, and only the
 * consumer knows how much it will register.  What the kernel enforces,
 * and therefore what a failure is checked against:
 *
 *  - every device but siw pins user memory through the RDMA core
 *    (ib_umem_get): the pages already pinned by the process (VmPin) plus
 *    the new ones must stay within the soft limit, else ENOMEM; a
 *    process with CAP_IPC_LOCK is exempt;
 *  - siw checks by itself: mlock()ed (VmLck) plus new pages, then pinned
 *    plus new pages, against the limit, CAP_IPC_LOCK or not; with a limit
 *    of 0 and no CAP_IPC_LOCK it refuses with EPERM.
 *
 * Queues count only on devices that keep them in user memory (hardware);
 * rxe and siw map kernel memory, which the limit does not cover.
 */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "ual_internal.h"

#define CAP_IPC_LOCK_BIT 14	/* linux/capability.h */
#define QUEUE_ENTRY_BYTES 64	/* a CQE or basic WQE of pinning hardware */

static const char memlock_fix[] =
	"raise it: ulimit -l, memlock in /etc/security/limits.conf, "
	"systemd LimitMEMLOCK=, the batch system's setting";

static uint64_t from_rlim(rlim_t v)
{
	return v == RLIM_INFINITY ? UAL_MEMLOCK_UNLIMITED : (uint64_t)v;
}

/*
 * "8192 KiB" (the unit of ulimit -l and limits.conf) or "unlimited".
 * Limits are rounded down, as ulimit shows them; amounts asked up.
 */
static const char *kib_str(uint64_t bytes, bool round_up, char *buf,
			   size_t len)
{
	unsigned long long kib = bytes / 1024;

	if (round_up && bytes % 1024)
		kib++;
	if (bytes == UAL_MEMLOCK_UNLIMITED)
		snprintf(buf, len, "unlimited");
	else
		snprintf(buf, len, "%llu KiB", kib);
	return buf;
}

/* A "Vm...:   123 kB" line's amount in bytes, or UAL_MEMLOCK_UNKNOWN. */
static uint64_t status_kb(const char *value)
{
	unsigned long long kb;
	char *end;

	errno = 0;
	kb = strtoull(value, &end, 10);
	if (errno || end == value || kb > UINT64_MAX / 1024)
		return UAL_MEMLOCK_UNKNOWN;
	return (uint64_t)kb * 1024;
}

void ual_memlock_parse_status(FILE *f, struct ual_memlock *m)
{
	unsigned long long caps;
	char line[256];
	char *end;

	m->locked = UAL_MEMLOCK_UNKNOWN;
	m->pinned = UAL_MEMLOCK_UNKNOWN;
	m->cap_ipc_lock = false;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "VmLck:", 6)) {
			m->locked = status_kb(line + 6);
		} else if (!strncmp(line, "VmPin:", 6)) {
			m->pinned = status_kb(line + 6);
		} else if (!strncmp(line, "CapEff:", 7)) {
			errno = 0;
			caps = strtoull(line + 7, &end, 16);
			if (!errno && end != line + 7)
				m->cap_ipc_lock = caps >> CAP_IPC_LOCK_BIT & 1;
		}
	}
}

void ual_memlock_read(struct ual_memlock *m)
{
	struct rlimit rl;
	FILE *f;

	if (getrlimit(RLIMIT_MEMLOCK, &rl))
		rl.rlim_cur = rl.rlim_max = RLIM_INFINITY;	/* nothing to blame */
	m->soft = from_rlim(rl.rlim_cur);
	m->hard = from_rlim(rl.rlim_max);
	f = fopen("/proc/self/status", "re");
	if (!f) {
		m->locked = m->pinned = UAL_MEMLOCK_UNKNOWN;
		m->cap_ipc_lock = false;
		return;
	}
	ual_memlock_parse_status(f, m);
	fclose(f);
}

uint64_t ual_memlock_raise(void)
{
	struct rlimit rl;
	char from[32], to[32];
	rlim_t old;

	if (getrlimit(RLIMIT_MEMLOCK, &rl)) {
		ual_debug("RLIMIT_MEMLOCK: getrlimit failed: %s", strerror(errno));
		return UAL_MEMLOCK_UNLIMITED;
	}
	kib_str(from_rlim(rl.rlim_cur), false, from, sizeof(from));
	if (rl.rlim_cur == RLIM_INFINITY) {
		ual_debug("RLIMIT_MEMLOCK is unlimited");
		return UAL_MEMLOCK_UNLIMITED;
	}
	if (rl.rlim_cur >= rl.rlim_max) {
		ual_debug("RLIMIT_MEMLOCK soft limit %s is the hard limit: left as it is; registrations beyond it will fail",
			  from);
		return rl.rlim_cur;
	}
	old = rl.rlim_cur;
	rl.rlim_cur = rl.rlim_max;
	kib_str(from_rlim(rl.rlim_max), false, to, sizeof(to));
	if (setrlimit(RLIMIT_MEMLOCK, &rl)) {
		ual_debug("RLIMIT_MEMLOCK soft limit %s not raised to the hard limit %s: %s",
			  from, to, strerror(errno));
		return old;
	}
	ual_debug("RLIMIT_MEMLOCK soft limit raised from %s to %s (the hard limit)",
		  from, to);
	return from_rlim(rl.rlim_max);
}

uint64_t ual_memlock_span(uintptr_t addr, uint64_t len, uint32_t page_size)
{
	uint64_t first = addr & ~((uint64_t)page_size - 1);
	uint64_t end;

	if (!len)
		return 0;
	if (len > UINT64_MAX - addr ||
	    addr + len > UINT64_MAX - (page_size - 1))
		return UAL_MEMLOCK_UNLIMITED;
	end = (addr + len + page_size - 1) & ~((uint64_t)page_size - 1);
	return end - first;
}

uint64_t ual_memlock_queue_bytes(uint32_t entries, uint32_t page_size)
{
	uint64_t bytes = (uint64_t)entries * QUEUE_ENTRY_BYTES;

	return ual_memlock_span(0, bytes ? bytes : 1, page_size);
}

/* What the kernel adds the new pages to before comparing with the limit. */
static uint64_t already_held(const struct ual_memlock *m,
			     enum ual_memlock_rules rules)
{
	uint64_t pinned = m->pinned == UAL_MEMLOCK_UNKNOWN ? 0 : m->pinned;
	uint64_t locked = m->locked == UAL_MEMLOCK_UNKNOWN ? 0 : m->locked;

	if (rules == UAL_MEMLOCK_SIW && locked > pinned)
		return locked;
	return pinned;
}

bool ual_memlock_suspect(const struct ual_memlock *m, int errnum,
			 uint64_t asked, enum ual_memlock_rules rules)
{
	uint64_t held;

	if (errnum < 0)
		errnum = -errnum;
	if (m->soft == UAL_MEMLOCK_UNLIMITED)
		return false;
	if (m->cap_ipc_lock && rules == UAL_MEMLOCK_CORE)
		return false;
	switch (errnum) {
	case EPERM:	/* siw: no mlock at all (limit 0) */
		return m->soft == 0 && !m->cap_ipc_lock;
	case ENOMEM:
	case EAGAIN:
	case EFAULT:
		break;
	default:
		return false;
	}
	held = already_held(m, rules);
	return asked > m->soft || held > m->soft - asked;
}

void ual_memlock_explain(char *buf, size_t len, const struct ual_memlock *m,
			 uint64_t asked, bool estimated, const char *what)
{
	char soft[32], hard[32], ask[32], pin[48] = "", lck[48] = "";
	size_t room, n;
	int ret;

	if (!buf || !len)
		return;
	if (m->pinned != UAL_MEMLOCK_UNKNOWN)
		snprintf(pin, sizeof(pin), ", already %llu KiB pinned",
			 (unsigned long long)(m->pinned / 1024));
	if (m->locked != UAL_MEMLOCK_UNKNOWN && m->locked)
		snprintf(lck, sizeof(lck), ", %llu KiB mlocked",
			 (unsigned long long)(m->locked / 1024));
	/* The facts may be cut short, the fix never: keep room for it. */
	room = len > sizeof(memlock_fix) + 2 ? len - sizeof(memlock_fix) - 2 : len;
	ret = snprintf(buf, room,
		       "locked-memory limit (RLIMIT_MEMLOCK) soft %s, hard %s; asked %s%s for %s%s%s",
		       kib_str(m->soft, false, soft, sizeof(soft)),
		       kib_str(m->hard, false, hard, sizeof(hard)),
		       estimated ? "~" : "",
		       kib_str(asked, true, ask, sizeof(ask)),
		       what ? what : "memory", pin, lck);
	if (ret < 0 || room == len)
		return;
	n = (size_t)ret < room ? (size_t)ret : room - 1;
	snprintf(buf + n, len - n, "; %s", memlock_fix);
}

bool ual_memlock_blame(struct ual_error *err, int errnum, uint64_t asked,
		       bool estimated, const char *what,
		       enum ual_memlock_rules rules)
{
	struct ual_memlock m;

	if (!err)
		return false;
	ual_memlock_read(&m);
	if (!ual_memlock_suspect(&m, errnum, asked, rules))
		return false;
	ual_memlock_explain(err->detail, sizeof(err->detail), &m, asked,
			    estimated, what);
	return true;
}
