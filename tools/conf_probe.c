// SPDX-License-Identifier: BSD-3-Clause OR GPL-2.0-only
/*
 * The "dat.conf" section: every line of the file the registry reads,
 * whether the registry accepts it, and whether it opens.
 *
 * Opening is real: a child process points libdat2 (DAT_OVERRIDE) at a
 * copy of the file that holds this one entry on its own line number,
 * then calls dat_ia_openv with the entry's own key and dat_ia_close.  A
 * child per entry means a duplicate name is tested as written (not the
 * first entry of its fallback chain), a provider that crashes or prints
 * takes nothing down with it, and no provider stays loaded in the tool.
 * Nothing here waits on the network: rdma_cm providers resolve only a
 * local address when an IA opens.
 *
 * When an entry does not open, the reason is put in words from what the
 * tool can check itself: the library loads or not (dlerror), the first
 * word of ia_params names an interface, address or device of this host
 * or not, an RDMA port is reached through it or not, and the locked
 * memory limit.
 */
#include <arpa/inet.h>
#include <dlfcn.h>
#include <errno.h>
#include <ifaddrs.h>
#include <netdb.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <dat2/udat.h>

#include "dat_internal.h"
#include "dapl_info.h"

#define LIB_ERROR_MAX	512
#define PROVIDER_OUTPUT_LINES	6

/* What a probing child reports back, in a shared mapping. */
struct probe_result {
	bool lib_loaded;
	char lib_error[LIB_ERROR_MAX];
	char setup_error[128];
	bool opened;
	DAT_RETURN open_status;
	DAT_RETURN close_status;
	char ia_address[INET6_ADDRSTRLEN];
};

struct seen_key {
	char *ia_name;
	DAT_UINT32 major, minor;
	DAT_BOOLEAN thread_safe;
	unsigned int line;
};

struct probe_ctx {
	FILE *out;
	struct port_view *ports;
	int nports;
	struct seen_key *seen;
	size_t nseen;
	unsigned int entries, opened;
};

static const char *status_words(DAT_RETURN status, char *buf, size_t len)
{
	const char *major = NULL, *minor = NULL;

	if (dat_strerror(status, &major, &minor) != DAT_SUCCESS || !major)
		snprintf(buf, len, "0x%08x", (unsigned int)status);
	else if (minor && *minor && strcmp(minor, "DAT_NO_SUBTYPE"))
		snprintf(buf, len, "%s %s", major, minor);
	else
		snprintf(buf, len, "%s", major);
	return buf;
}

/* ---- the child ---------------------------------------------------- */

static int entry_memfd(const struct dat_conf_entry *e)
{
	char api[32], prov[256], line[8192];
	struct conf_line cl = {
		.ia_name = e->ia_name, .api_version = api,
		.thread_safe = e->thread_safe, .is_default = e->is_default,
		.lib_path = e->lib_path, .provider_version = prov,
		.ia_params = e->ia_params, .platform_params = e->platform_params,
	};
	unsigned int i;
	int fd, n;

	snprintf(api, sizeof(api), "%c%u.%u", e->api_type, e->api_major,
		 e->api_minor);
	snprintf(prov, sizeof(prov), "%s.%u.%u", e->provider_id,
		 e->provider_major, e->provider_minor);
	n = conf_render_line(&cl, line, sizeof(line));
	if (n < 0 || (size_t)n >= sizeof(line))
		return -1;
	fd = memfd_create("dat.conf", 0);
	if (fd < 0)
		return -1;
	/* Blank lines first, so that registry messages name the real line. */
	for (i = 1; i < e->line; i++)
		if (write(fd, "\n", 1) != 1)
			goto fail;
	if (write(fd, line, n) != n)
		goto fail;
	return fd;
fail:
	close(fd);
	return -1;
}

static void child_query_address(DAT_IA_HANDLE ia, struct probe_result *r)
{
	DAT_IA_ATTR attr;
	DAT_EVD_HANDLE evd;
	struct sockaddr_storage ss = { 0 };

	/* Not every provider fills what it was not asked for. */
	memset(&attr, 0, sizeof(attr));
	if (dat_ia_query(ia, &evd, DAT_IA_FIELD_IA_ADDRESS_PTR, &attr, 0,
			 NULL) != DAT_SUCCESS || !attr.ia_address_ptr)
		return;
	memcpy(&ss, attr.ia_address_ptr,
	       attr.ia_address_ptr->sa_family == AF_INET6 ?
	       sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in));
	addr_string(&ss, r->ia_address, sizeof(r->ia_address));
}

static void child_probe(const struct dat_conf_entry *e,
			struct probe_result *r, int out_fd)
{
	DAT_EVD_HANDLE evd = DAT_HANDLE_NULL;
	DAT_IA_HANDLE ia;
	char path[64];
	void *lib;
	int fd;

	dup2(out_fd, STDOUT_FILENO);
	dup2(out_fd, STDERR_FILENO);
	/* The registry would say only "not found": keep dlopen's reason. */
	lib = dlopen(e->lib_path, RTLD_NOW | RTLD_LOCAL);
	if (lib)
		r->lib_loaded = true;
	else
		snprintf(r->lib_error, sizeof(r->lib_error), "%s", dlerror());
	fd = entry_memfd(e);
	if (fd < 0) {
		r->open_status = DAT_INTERNAL_ERROR;
		snprintf(r->setup_error, sizeof(r->setup_error),
			 "cannot copy the entry for the test: %s",
			 strerror(errno));
		return;
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	setenv("DAT_OVERRIDE", path, 1);
	r->open_status = dat_ia_openv((DAT_NAME_PTR)e->ia_name, 8, &evd, &ia,
				      e->api_major, e->api_minor,
				      e->thread_safe);
	if (r->open_status != DAT_SUCCESS)
		return;
	r->opened = true;
	child_query_address(ia, r);
	r->close_status = dat_ia_close(ia, DAT_CLOSE_GRACEFUL_FLAG);
	if (r->close_status != DAT_SUCCESS)
		dat_ia_close(ia, DAT_CLOSE_ABRUPT_FLAG);
}

/* ---- the reason, in words ---------------------------------------- */

static bool local_addr(const struct sockaddr *sa)
{
	struct ifaddrs *ifs, *ifa;
	struct sockaddr_storage ss = { 0 };
	bool found = false;

	memcpy(&ss, sa, sa->sa_family == AF_INET6 ?
	       sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in));
	if (getifaddrs(&ifs))
		return false;
	for (ifa = ifs; ifa && !found; ifa = ifa->ifa_next) {
		char a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN];

		if (!ifa->ifa_addr || ifa->ifa_addr->sa_family != sa->sa_family)
			continue;
		addr_string((struct sockaddr_storage *)ifa->ifa_addr, a,
			    sizeof(a));
		addr_string(&ss, b, sizeof(b));
		found = !strcmp(a, b);
	}
	freeifaddrs(ifs);
	return found;
}

static bool netdev_has_ipv4(const char *netdev)
{
	struct ifaddrs *ifs, *ifa;
	bool found = false;

	if (getifaddrs(&ifs))
		return false;
	for (ifa = ifs; ifa; ifa = ifa->ifa_next)
		if (ifa->ifa_addr && ifa->ifa_addr->sa_family == AF_INET &&
		    !strcmp(ifa->ifa_name, netdev))
			found = true;
	freeifaddrs(ifs);
	return found;
}

static bool port_reached_by(const struct probe_ctx *c, const char *netdev,
			    const char *addr)
{
	char buf[INET6_ADDRSTRLEN];
	int p, i;

	for (p = 0; p < c->nports; p++)
		for (i = 0; i < c->ports[p].naddrs; i++) {
			const struct port_addr *pa = &c->ports[p].addrs[i];

			if (netdev && !strcmp(pa->netdev, netdev))
				return true;
			if (addr && !strcmp(addr_string(&pa->addr, buf,
							sizeof(buf)), addr))
				return true;
		}
	return false;
}

static bool is_rdma_device(const struct probe_ctx *c, const char *name)
{
	int p;

	for (p = 0; p < c->nports; p++)
		if (!strcmp(c->ports[p].dev, name))
			return true;
	return false;
}

/* Explains what the first word of ia_params names on this host. */
static void explain_params(const struct probe_ctx *c,
			   const struct dat_conf_entry *e)
{
	struct addrinfo hints = { .ai_flags = AI_NUMERICHOST }, *ai;
	char word[256], host[256], canon[INET6_ADDRSTRLEN];
	size_t n = strcspn(e->ia_params, " \t");

	snprintf(word, sizeof(word), "%.*s", (int)n, e->ia_params);
	if (!*word) {
		fprintf(c->out, "      address: ia_params is empty; the provider needs \"<netdev|address> <port>\"\n");
		return;
	}
	if (if_nametoindex(word)) {
		if (!netdev_has_ipv4(word))
			fprintf(c->out, "      address: interface %s has no IPv4 address (the rdma_cm provider finds an interface's address through IPv4)\n",
				word);
		else if (!port_reached_by(c, word, NULL))
			fprintf(c->out, "      device: no RDMA device is reached through interface %s (software RDMA: rdma link add NAME type rxe|siw netdev %s)\n",
				word, word);
		return;
	}
	if (!getaddrinfo(word, NULL, &hints, &ai)) {
		addr_string((struct sockaddr_storage *)ai->ai_addr, canon,
			    sizeof(canon));
		if (!local_addr(ai->ai_addr))
			fprintf(c->out, "      address: %s is not an address of this host\n",
				word);
		else if (!port_reached_by(c, NULL, canon))
			fprintf(c->out, "      device: no RDMA device is reached through address %s\n",
				word);
		freeaddrinfo(ai);
		return;
	}
	if (is_rdma_device(c, word))
		return;
	if (!gethostname(host, sizeof(host)) && !strcmp(host, word))
		return;
	fprintf(c->out, "      device: %s is no interface, address, RDMA device or host name of this host (see \"Devices\" above)\n",
		word);
}

static void explain_memlock(FILE *out)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_MEMLOCK, &rl) || rl.rlim_cur == RLIM_INFINITY)
		return;
	fprintf(out, "      memlock: RLIMIT_MEMLOCK is %llu KiB; raise it (ulimit -l, memlock in /etc/security/limits.conf, LimitMEMLOCK= for systemd services)\n",
		(unsigned long long)rl.rlim_cur >> 10);
}

static void show_output(FILE *out, int fd)
{
	char buf[4096], *line, *save = NULL;
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);
	int shown = 0;

	if (n <= 0)
		return;
	buf[n] = '\0';
	for (line = strtok_r(buf, "\n", &save); line && shown < PROVIDER_OUTPUT_LINES;
	     line = strtok_r(NULL, "\n", &save), shown++) {
		sanitize_line(line);
		fprintf(out, "      said: %s\n", line);
	}
}

static void report_result(struct probe_ctx *c, const struct dat_conf_entry *e,
			  const struct probe_result *r)
{
	DAT_UINT32 type = DAT_GET_TYPE(r->open_status);
	char words[160];

	if (r->opened) {
		c->opened++;
		fprintf(c->out, "    opens%s%s", r->ia_address[0] ? ": IA address " : "",
			r->ia_address);
		if (r->close_status != DAT_SUCCESS)
			fprintf(c->out, " (dat_ia_close: %s)",
				status_words(r->close_status, words, sizeof(words)));
		fputc('\n', c->out);
		return;
	}
	fprintf(c->out, "    does not open: dat_ia_open: %s\n",
		status_words(r->open_status, words, sizeof(words)));
	if (r->setup_error[0]) {
		fprintf(c->out, "      not tested: %s\n", r->setup_error);
		return;
	}
	if (!r->lib_loaded) {
		sanitize_line((char *)r->lib_error);
		fprintf(c->out, "      library: %s\n", r->lib_error);
		return;
	}
	explain_params(c, e);
	if (type == DAT_INSUFFICIENT_RESOURCES)
		explain_memlock(c->out);
	if (type == DAT_INTERNAL_ERROR && access("/dev/infiniband/rdma_cm", R_OK | W_OK))
		fprintf(c->out, "      device: /dev/infiniband/rdma_cm is missing or not accessible (load the rdma_ucm module)\n");
}

static void probe(struct probe_ctx *c, const struct dat_conf_entry *e)
{
	struct probe_result *r;
	int out_fd, status;
	pid_t pid;

	r = mmap(NULL, sizeof(*r), PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	out_fd = memfd_create("provider-output", 0);
	if (r == MAP_FAILED || out_fd < 0) {
		fprintf(c->out, "    not tested: %s\n", strerror(errno));
		goto out;
	}
	memset(r, 0, sizeof(*r));
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		fprintf(c->out, "    not tested: fork: %s\n", strerror(errno));
		goto out;
	}
	if (!pid) {
		child_probe(e, r, out_fd);
		fflush(NULL);
		_exit(0);
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (WIFSIGNALED(status))
		fprintf(c->out, "    does not open: the test process was killed by signal %d (%s) inside the provider\n",
			WTERMSIG(status), strsignal(WTERMSIG(status)));
	else
		report_result(c, e, r);
	show_output(c->out, out_fd);
out:
	if (out_fd >= 0)
		close(out_fd);
	if (r != MAP_FAILED)
		munmap(r, sizeof(*r));
}

/* ---- walking the file --------------------------------------------- */

static const struct seen_key *find_seen(const struct probe_ctx *c,
					const struct dat_conf_entry *e)
{
	size_t i;

	for (i = 0; i < c->nseen; i++)
		if (!strcmp(c->seen[i].ia_name, e->ia_name) &&
		    c->seen[i].major == e->api_major &&
		    c->seen[i].minor == e->api_minor &&
		    c->seen[i].thread_safe == e->thread_safe)
			return &c->seen[i];
	return NULL;
}

static void remember(struct probe_ctx *c, const struct dat_conf_entry *e)
{
	struct seen_key *grown;

	grown = realloc(c->seen, (c->nseen + 1) * sizeof(*grown));
	if (!grown)
		return;
	c->seen = grown;
	grown[c->nseen] = (struct seen_key){
		.ia_name = strdup(e->ia_name), .major = e->api_major,
		.minor = e->api_minor, .thread_safe = e->thread_safe,
		.line = e->line,
	};
	if (grown[c->nseen].ia_name)
		c->nseen++;
}

static void on_entry(const struct dat_conf_entry *e, void *ctx)
{
	struct probe_ctx *c = ctx;
	const struct seen_key *first;
	char name[256], params[256], lib[256];

	c->entries++;
	snprintf(name, sizeof(name), "%s", e->ia_name);
	snprintf(params, sizeof(params), "%s", e->ia_params);
	snprintf(lib, sizeof(lib), "%s", e->lib_path);
	sanitize_line(name);
	sanitize_line(params);
	sanitize_line(lib);
	fprintf(c->out, "  line %u: %s  %s  \"%s\"\n", e->line, name, lib,
		params);
	if (e->api_type != 'u') {
		fprintf(c->out, "    not registered: a kernel (k) entry, not for programs\n");
		return;
	}
	if (!e->is_default) {
		fprintf(c->out, "    not registered: marked nondefault\n");
		return;
	}
	first = find_seen(c, e);
	if (first)
		fprintf(c->out, "    fallback for line %u: used only if that line's library cannot be loaded\n",
			first->line);
	else
		remember(c, e);
	probe(c, e);
}

static void on_error(const char *file, unsigned int line, const char *msg,
		     void *ctx)
{
	struct probe_ctx *c = ctx;
	char text[600];

	(void)file;
	snprintf(text, sizeof(text), "%s", msg);
	sanitize_line(text);
	fprintf(c->out, "  line %u: rejected by the registry: %s\n", line, text);
}

int conf_report(FILE *out, const struct conf_choice *choice)
{
	static const struct dat_conf_ops ops = {
		.entry = on_entry,
		.error = on_error,
	};
	struct probe_ctx c = { .out = out };
	struct ual_error err = { 0 };
	FILE *stream;
	size_t i;
	int rejected;

	fprintf(out, "dat.conf: %s\n  chosen because %s.\n", choice->path,
		choice->reason);
	if (!choice->readable)
		return -1;
	stream = fopen(choice->path, "re");
	if (!stream) {
		fprintf(out, "  cannot open it: %s\n", strerror(errno));
		return -1;
	}
	if (ports_collect(&c.ports, &c.nports, &err))
		c.nports = 0;
	rejected = dat_conf_parse(stream, choice->path, &ops, &c);
	fclose(stream);
	if (rejected < 0)
		fprintf(out, "  reading stopped: %s\n", strerror(errno));
	fprintf(out, "  %u entries, %u open, %d rejected line%s\n", c.entries,
		c.opened, rejected < 0 ? 0 : rejected, rejected == 1 ? "" : "s");
	for (i = 0; i < c.nseen; i++)
		free(c.seen[i].ia_name);
	free(c.seen);
	free(c.ports);
	return rejected < 0 ? -1 : 0;
}
