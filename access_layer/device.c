// SPDX-License-Identifier: BSD-2-Clause
/*
 * device.c - finding, opening and sharing RDMA devices.
 *
 * The verbs context is the one librdmacm opened (rdma_get_devices), so
 * that QPs, CQs and the PD are usable with every rdma_cm_id the layer
 * creates.  One struct ual_device per context per process, reference
 * counted, so the uDAPL and IT-API shims in one process share it.
 *
 * A spec is resolved the way rdma_cm itself routes: bind an rdma_cm_id to
 * the address and read which device and port it landed on.  That works
 * for RoCE, iWARP and IB alike, and inside network namespaces.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "ual_internal.h"

static pthread_mutex_t devices_lock = PTHREAD_MUTEX_INITIALIZER;
static struct ual_list devices = { &devices, &devices };

struct probe_result {
	struct ibv_context *verbs;
	uint8_t port;
	struct sockaddr_storage addr;
};

/* Binds a throw-away cm id to @sa to learn its device and port. */
static int probe_address(const struct sockaddr *sa, struct probe_result *r)
{
	struct rdma_cm_id *id;
	int ret;

	if (rdma_create_id(NULL, &id, NULL, RDMA_PS_TCP))
		return -errno;
	ret = rdma_bind_addr(id, (struct sockaddr *)sa) ? -errno : 0;
	if (!ret && !id->verbs)
		ret = -ENODEV;
	if (!ret) {
		r->verbs = id->verbs;
		r->port = id->port_num;
		memset(&r->addr, 0, sizeof(r->addr));
		memcpy(&r->addr, sa, ual_sockaddr_len(sa));
		ual_sockaddr_set_port((struct sockaddr *)&r->addr, 0);
	}
	rdma_destroy_id(id);
	return ret;
}

static bool usable_ifaddr(const struct ifaddrs *ifa)
{
	return ifa->ifa_addr && (ifa->ifa_addr->sa_family == AF_INET ||
				 ifa->ifa_addr->sa_family == AF_INET6);
}

/*
 * Walks local addresses (IPv4 before IPv6) and keeps the first one that
 * matches: on interface @ifname, or on verbs device @dev (and @port).
 */
static int probe_ifaddrs(const char *ifname, const char *dev, uint8_t port,
			 struct probe_result *r)
{
	struct ifaddrs *list, *ifa;
	int family, ret = -ENODEV;

	if (getifaddrs(&list))
		return -errno;
	for (family = AF_INET; ret && family; family = family == AF_INET ? AF_INET6 : 0) {
		for (ifa = list; ifa && ret; ifa = ifa->ifa_next) {
			if (!usable_ifaddr(ifa) || ifa->ifa_addr->sa_family != family)
				continue;
			if (ifname && strcmp(ifa->ifa_name, ifname))
				continue;
			if (probe_address(ifa->ifa_addr, r))
				continue;
			if (dev && (strcmp(ibv_get_device_name(r->verbs->device), dev) ||
				    (port && r->port != port)))
				continue;
			ret = 0;
		}
	}
	freeifaddrs(list);
	return ret;
}

static int probe_hostname(const char *name, struct probe_result *r)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM };
	struct addrinfo *res, *ai;
	int ret = -ENODEV;

	if (getaddrinfo(name, NULL, &hints, &res))
		return -ENOENT;
	for (ai = res; ai && ret; ai = ai->ai_next)
		ret = probe_address(ai->ai_addr, r);
	freeaddrinfo(res);
	return ret;
}

static bool is_rdma_device(const char *name)
{
	struct ibv_context **list;
	bool found = false;
	int i, n;

	list = rdma_get_devices(&n);
	if (!list)
		return false;
	for (i = 0; i < n && !found; i++)
		found = !strcmp(ibv_get_device_name(list[i]->device), name);
	rdma_free_devices(list);
	return found;
}

static int resolve_spec(const char *text, struct probe_result *r,
			struct ual_error *err)
{
	struct ual_spec spec;
	int ret;

	ret = ual_spec_parse(text, is_rdma_device, &spec);
	if (ret)
		return ual_err_set(err, ret, "parse device spec",
				   "'%s' is not 'device[:port]', an interface, an address or a host name",
				   text ? text : "(null)");
	switch (spec.kind) {
	case UAL_SPEC_ADDRESS:
		ret = probe_address((struct sockaddr *)&spec.addr, r);
		if (ret)
			return ual_err_set(err, ret, "rdma_bind_addr",
					   "no RDMA device owns address %s (is rdma_rxe/siw/IPoIB configured on its interface?)",
					   spec.name);
		return 0;
	case UAL_SPEC_DEVICE:
		ret = probe_ifaddrs(NULL, spec.name, spec.port, r);
		if (ret)
			return ual_err_set(err, ret, "find device address",
					   "device %s%s has no usable IP address; rdma_cm needs one on its network interface",
					   spec.name, spec.port ? " (port given)" : "");
		return 0;
	default:
		if (if_nametoindex(spec.name)) {
			ret = probe_ifaddrs(spec.name, NULL, 0, r);
			if (ret)
				return ual_err_set(err, ret, "rdma_bind_addr",
						   "interface %s has no address owned by an RDMA device (add one with 'rdma link add NAME type rxe|siw netdev %s')",
						   spec.name, spec.name);
			return 0;
		}
		ret = probe_hostname(spec.name, r);
		if (ret)
			return ual_err_set(err, ret, "resolve host name",
					   "'%s' is neither an RDMA device, an interface, nor a host name with an RDMA-capable local address",
					   spec.name);
		return 0;
	}
}

static uint64_t memlock_threshold(void)
{
	const char *env = getenv("UAL_MEMLOCK_MIN");

	if (env && *env)
		return strtoull(env, NULL, 0);
	return UAL_DEFAULT_MEMLOCK_MIN;
}

/*
 * Raise the soft limit to the hard one ourselves (batch systems often
 * leave them apart); if it is still small, refuse now with a message
 * that names the fix, instead of failing later in "ibv_create_cq".
 */
static int check_memlock(struct ual_error *err, uint64_t *limit)
{
	struct rlimit rl;
	uint64_t need = memlock_threshold();

	if (getrlimit(RLIMIT_MEMLOCK, &rl))
		return 0;
	if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_MEMLOCK, &rl);
		getrlimit(RLIMIT_MEMLOCK, &rl);
	}
	*limit = rl.rlim_cur == RLIM_INFINITY ? ~0ULL : rl.rlim_cur;
	if (!need || rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur >= need)
		return 0;
	ual_err_set(err, ENOMEM, "RLIMIT_MEMLOCK check", NULL);
	if (err)
		ual_memlock_hint(err->detail, sizeof(err->detail),
				 (unsigned long long)rl.rlim_cur);
	return -ENOMEM;
}

static enum ual_transport port_transport(struct ibv_context *verbs,
					 uint8_t port,
					 const struct ibv_port_attr *pa)
{
	struct ibv_gid_entry entry;
	int i;

	if (verbs->device->transport_type == IBV_TRANSPORT_IWARP)
		return UAL_TRANSPORT_IWARP;
	if (pa->link_layer != IBV_LINK_LAYER_ETHERNET)
		return UAL_TRANSPORT_IB;
	/* rdma_cm prefers RoCE v2 whenever the port has v2 GIDs. */
	for (i = 0; i < pa->gid_tbl_len && i < 16; i++) {
		if (ibv_query_gid_ex(verbs, port, i, &entry, 0))
			continue;
		if (entry.gid_type == IBV_GID_TYPE_ROCE_V2)
			return UAL_TRANSPORT_ROCE_V2;
	}
	return UAL_TRANSPORT_ROCE_V1;
}

/* Largest inline payload an RC QP on this device accepts. */
static uint32_t probe_inline(struct ual_device *dev)
{
	struct ibv_qp_init_attr qa;
	struct ibv_cq *cq;
	struct ibv_qp *qp;
	uint32_t want, got = 0;

	cq = ibv_create_cq(dev->verbs, 1, NULL, NULL, 0);
	if (!cq)
		return 0;
	for (want = 512; want >= 16 && !got; want /= 2) {
		memset(&qa, 0, sizeof(qa));
		qa.send_cq = qa.recv_cq = cq;
		qa.qp_type = IBV_QPT_RC;
		qa.cap.max_send_wr = qa.cap.max_recv_wr = 1;
		qa.cap.max_send_sge = qa.cap.max_recv_sge = 1;
		qa.cap.max_inline_data = want;
		qp = ibv_create_qp(dev->pd, &qa);
		if (!qp)
			continue;
		got = qa.cap.max_inline_data;
		ibv_destroy_qp(qp);
	}
	ibv_destroy_cq(cq);
	return got;
}

void ual_device_fill_attr(struct ual_device *dev, uint8_t port)
{
	struct ual_device_attr *a = &dev->attr;
	struct ibv_device_attr da;
	struct ibv_port_attr pa;

	memset(&da, 0, sizeof(da));
	memset(&pa, 0, sizeof(pa));
	ibv_query_device(dev->verbs, &da);
	ibv_query_port(dev->verbs, port, &pa);
	snprintf(a->name, sizeof(a->name), "%s",
		 ibv_get_device_name(dev->verbs->device));
	a->port_num = port;
	a->transport = port_transport(dev->verbs, port, &pa);
	a->caps = ual_transport_caps(a->transport, da.atomic_cap);
	if (!da.max_srq)
		a->caps &= ~UAL_CAP_SRQ;
	a->max_qp = da.max_qp;
	a->max_qp_wr = da.max_qp_wr;
	a->max_sge = da.max_sge;
	a->max_sge_rd = da.max_sge_rd ? da.max_sge_rd : 1;
	if (a->transport == UAL_TRANSPORT_IWARP)
		a->max_sge_rd = 1;
	a->max_cq = da.max_cq;
	a->max_cqe = da.max_cqe;
	a->max_mr = da.max_mr;
	a->max_mr_size = da.max_mr_size;
	a->max_srq = da.max_srq;
	a->max_srq_wr = da.max_srq_wr;
	a->max_rd_atomic = da.max_qp_init_rd_atom;
	a->max_dest_rd_atomic = da.max_qp_rd_atom;
	a->max_msg_size = pa.max_msg_sz;
	a->active_mtu = 128u << pa.active_mtu;
	ual_pdata_limits(a->transport, &a->pdata);
	/* The name is the administrator's choice; the vendor id is siw's. */
	dev->siw = da.vendor_id == UAL_SIW_VENDOR_ID;
	dev->page_size = (uint32_t)sysconf(_SC_PAGESIZE);
	a->max_inline = probe_inline(dev);
}

void ual_device_siw_account(struct ual_device *dev, bool qp, int pages)
{
	if (!dev->siw || !pages)
		return;
	pthread_mutex_lock(&dev->lock);
	if (qp)
		dev->siw_qp_pages += (uint32_t)pages;
	else
		dev->siw_other_pages += (uint32_t)pages;
	pthread_mutex_unlock(&dev->lock);
}

int ual_device_no_errno(struct ual_device *dev, const char *step,
			const char *what, uint32_t sq, uint32_t rq,
			struct ual_error *err)
{
	uint32_t used, other, fit = 0;
	char why[UAL_ERROR_TEXT_MAX];

	if (!dev->siw || !(sq + rq)) {
		ual_err_set(err, EIO, step,
			    "the verbs provider of %s failed without giving a reason (errno 0)",
			    dev->attr.name);
		ual_err_context(err, dev->attr.name, NULL);
		return -EIO;
	}
	/*
	 * libsiw fails exactly this way, and only this way, when the kernel
	 * placed the new queue beyond the mmap offsets it accepts.
	 */
	pthread_mutex_lock(&dev->lock);
	used = dev->siw_qp_pages + dev->siw_other_pages;
	other = dev->siw_other_pages;
	pthread_mutex_unlock(&dev->lock);
	if (!strcmp(what, "QP"))
		fit = ual_siw_qps_that_fit(sq, rq, other, dev->page_size);
	ual_siw_explain(why, sizeof(why), dev->attr.name, what, sq + rq, used,
			fit, dev->page_size);
	ual_err_set(err, ENOSPC, step, "%s", why);
	ual_err_context(err, dev->attr.name, NULL);
	return -ENOSPC;
}

/*
 * Opens the removal watch (see struct ual_device): a cm id bound to the
 * device's address on a channel of its own.
 */
static int watch_open(struct ual_device *dev, const struct sockaddr *addr,
		      struct ual_error *err)
{
	int errnum;

	dev->watch_channel = rdma_create_event_channel();
	if (!dev->watch_channel)
		return ual_err_set(err, errno ? errno : ENODEV,
				   "rdma_create_event_channel",
				   "the removal watch of %s", dev->attr.name);
	fcntl(dev->watch_channel->fd, F_SETFL,
	      fcntl(dev->watch_channel->fd, F_GETFL) | O_NONBLOCK);
	if (rdma_create_id(dev->watch_channel, &dev->watch_id, dev,
			   RDMA_PS_TCP))
		return ual_err_set(err, errno, "rdma_create_id",
				   "the removal watch of %s", dev->attr.name);
	if (rdma_bind_addr(dev->watch_id, (struct sockaddr *)addr)) {
		errnum = errno;
		ual_err_set(err, errnum, "rdma_bind_addr",
			    "the removal watch of %s", dev->attr.name);
		ual_err_context(err, dev->attr.name, addr);
		return -errnum;
	}
	if (dev->watch_id->verbs != dev->verbs) {
		ual_err_set(err, EXDEV, "rdma_bind_addr",
			    "the address moved to another device while %s was being opened",
			    dev->attr.name);
		ual_err_context(err, dev->attr.name, addr);
		return -EXDEV;
	}
	return 0;
}

static void watch_close(struct ual_device *dev)
{
	if (dev->watch_id)
		rdma_destroy_id(dev->watch_id);
	if (dev->watch_channel)
		rdma_destroy_event_channel(dev->watch_channel);
	dev->watch_id = NULL;
	dev->watch_channel = NULL;
}

/*
 * librdmacm keeps one verbs context per device open for as long as it
 * believes the device exists, and it notices that a device is gone only
 * when it rescans the device list.  Once this process holds no cm id and
 * no verbs object of a removed device any more, a rescan lets librdmacm
 * close that context: the last reference the kernel waits for before
 * "rdma link delete" (or a hot unplug) can finish.
 */
static void rdma_cm_forget_removed(void)
{
	struct ibv_context **list;
	int n;

	list = rdma_get_devices(&n);
	if (list)
		rdma_free_devices(list);
}

static void device_free(struct ual_device *dev)
{
	bool removed = dev->lost == UAL_LOSS_REMOVED;

	if (dev->pd)
		ibv_dealloc_pd(dev->pd);
	watch_close(dev);
	free(dev->qp_table);
	pthread_mutex_destroy(&dev->lock);
	pthread_mutex_destroy(&dev->async_lock);
	free(dev);
	if (removed)
		rdma_cm_forget_removed();
}

static struct ual_device *device_create(const struct probe_result *r,
					struct ual_error *err)
{
	struct ual_device *dev = calloc(1, sizeof(*dev));

	if (!dev) {
		ual_err_set(err, ENOMEM, "calloc", NULL);
		return NULL;
	}
	dev->verbs = r->verbs;
	dev->addr = r->addr;
	dev->refs = 1;
	pthread_mutex_init(&dev->lock, NULL);
	pthread_mutex_init(&dev->async_lock, NULL);
	ual_list_init(&dev->eqs);
	dev->pd = ibv_alloc_pd(r->verbs);
	if (!dev->pd) {
		ual_err_set(err, errno ? errno : ENOMEM, "ibv_alloc_pd", NULL);
		ual_err_context(err, ibv_get_device_name(r->verbs->device), NULL);
		device_free(dev);
		return NULL;
	}
	ual_device_fill_attr(dev, r->port ? r->port : 1);
	if (watch_open(dev, (struct sockaddr *)&r->addr, err)) {
		device_free(dev);
		return NULL;
	}
	return dev;
}

struct ual_device *ual_device_get_by_verbs(struct ibv_context *verbs,
					   struct ual_error *err)
{
	struct ual_device *dev = NULL;
	struct ual_list *l;

	pthread_mutex_lock(&devices_lock);
	for (l = devices.next; l != &devices; l = l->next) {
		struct ual_device *d = ual_container_of(l, struct ual_device, link);

		if (d->verbs == verbs) {
			d->refs++;
			dev = d;
			break;
		}
	}
	pthread_mutex_unlock(&devices_lock);
	if (!dev)
		ual_err_set(err, ENODEV, "find device",
			    "the request arrived on device %s, which this process has not opened",
			    ibv_get_device_name(verbs->device));
	return dev;
}

static struct ual_device *device_get_or_create(const struct probe_result *r,
					       struct ual_error *err)
{
	struct ual_device *dev;
	struct ual_list *l;

	pthread_mutex_lock(&devices_lock);
	for (l = devices.next; l != &devices; l = l->next) {
		dev = ual_container_of(l, struct ual_device, link);
		if (dev->verbs == r->verbs) {
			dev->refs++;
			pthread_mutex_unlock(&devices_lock);
			return dev;
		}
	}
	dev = device_create(r, err);
	if (dev)
		ual_list_add(&devices, &dev->link);
	pthread_mutex_unlock(&devices_lock);
	return dev;
}

int ual_device_open(const char *spec, struct ual_device **out,
		    struct sockaddr_storage *local, struct ual_error *err)
{
	struct probe_result r;
	struct ual_device *dev;
	uint64_t limit = ~0ULL;
	int ret;

	if (err)
		memset(err, 0, sizeof(*err));
	if (!spec || !out)
		return ual_err_set(err, EINVAL, "ual_device_open",
				   "a device spec and a place for the device are required");
	ret = check_memlock(err, &limit);
	if (ret)
		return ret;
	ret = resolve_spec(spec, &r, err);
	if (ret)
		return ret;
	dev = device_get_or_create(&r, err);
	if (!dev)
		return err ? -err->errnum : -ENOMEM;
	dev->attr.memlock_limit = limit;
	if (local)
		*local = r.addr;
	*out = dev;
	return 0;
}

void ual_device_put(struct ual_device *dev)
{
	bool last;

	pthread_mutex_lock(&devices_lock);
	last = --dev->refs == 0;
	if (last)
		ual_list_del(&dev->link);
	pthread_mutex_unlock(&devices_lock);
	if (last)
		device_free(dev);
}

void ual_device_close(struct ual_device *dev)
{
	if (dev)
		ual_device_put(dev);
}

void ual_device_query(struct ual_device *dev, struct ual_device_attr *attr)
{
	*attr = dev->attr;
}

const char *ual_device_name(const struct ual_device *dev)
{
	return dev->attr.name;
}

enum ual_transport ual_device_transport(const struct ual_device *dev)
{
	return dev->attr.transport;
}

static void fill_info(struct ibv_context *verbs, struct ual_device_info *info)
{
	struct ibv_device_attr da;
	struct ibv_port_attr pa;
	uint8_t p;

	memset(info, 0, sizeof(*info));
	snprintf(info->name, sizeof(info->name), "%s",
		 ibv_get_device_name(verbs->device));
	if (ibv_query_device(verbs, &da))
		return;
	for (p = 1; p <= da.phys_port_cnt && info->num_ports < 4; p++) {
		struct ual_port_info *pi = &info->ports[info->num_ports];

		if (ibv_query_port(verbs, p, &pa))
			continue;
		pi->port_num = p;
		pi->active = pa.state == IBV_PORT_ACTIVE;
		pi->transport = port_transport(verbs, p, &pa);
		pi->active_mtu = 128u << pa.active_mtu;
		pi->max_msg_size = pa.max_msg_sz;
		info->num_ports++;
	}
}

int ual_device_list(struct ual_device_info **out, int *count,
		    struct ual_error *err)
{
	struct ibv_context **list;
	struct ual_device_info *info;
	int i, n = 0;

	list = rdma_get_devices(&n);
	if (!list)
		return ual_err_set(err, errno ? errno : ENODEV,
				   "rdma_get_devices",
				   "is the rdma_ucm module loaded and /dev/infiniband/rdma_cm accessible?");
	info = calloc(n ? n : 1, sizeof(*info));
	if (!info) {
		rdma_free_devices(list);
		return ual_err_set(err, ENOMEM, "calloc", NULL);
	}
	for (i = 0; i < n; i++)
		fill_info(list[i], &info[i]);
	rdma_free_devices(list);
	*out = info;
	*count = n;
	return 0;
}

/* ---- losing the device ------------------------------------------------ */

enum ual_dev_loss ual_device_loss(struct ual_device *dev)
{
	enum ual_dev_loss loss;

	pthread_mutex_lock(&dev->lock);
	loss = dev->lost;
	pthread_mutex_unlock(&dev->lock);
	return loss;
}

/* Called with dev->lock held. */
static void tell_queues(struct ual_device *dev, enum ual_dev_loss loss)
{
	struct ual_list *l;

	for (l = dev->eqs.next; l != &dev->eqs; l = l->next) {
		struct ual_eq *eq = ual_container_of(l, struct ual_eq, dev_link);
		struct ual_event_node *n = ual_event_alloc(ual_dev_loss_event(loss));

		if (!n)
			continue;
		n->ev.context = eq->context;
		n->ev.status = loss == UAL_LOSS_FATAL ? IBV_EVENT_DEVICE_FATAL
						      : RDMA_CM_EVENT_DEVICE_REMOVAL;
		ual_dev_loss_error(&n->ev.error, loss, dev->attr.name,
				   "event queue");
		ual_eq_push(eq, n);
	}
}

/*
 * Called with dev->lock held.  Every endpoint's state machine belongs to
 * its own queue, so the endpoint is parked there like one hit by a fatal
 * QP error; its queue reports CONN_BROKEN unless its own cm id's removal
 * event got there first.
 */
static void break_endpoints(struct ual_device *dev)
{
	struct ual_ep *ep;
	uint32_t i;

	for (i = 0; i < dev->qp_table_size; i++) {
		ep = dev->qp_table[i];
		if (!ep)
			continue;
		__atomic_store_n(&ep->device_lost, true, __ATOMIC_RELAXED);
		pthread_mutex_lock(&ep->eq->lock);
		if (ual_list_empty(&ep->fatal_link)) {
			ep->fatal_what = IBV_EVENT_DEVICE_FATAL;
			ual_list_add(&ep->eq->fatal, &ep->fatal_link);
		}
		pthread_mutex_unlock(&ep->eq->lock);
		ual_eq_wake(ep->eq);
	}
}

void ual_device_lost(struct ual_device *dev, enum ual_dev_loss loss)
{
	bool first;

	pthread_mutex_lock(&dev->lock);
	if (!ual_dev_loss_escalates(dev->lost, loss)) {
		pthread_mutex_unlock(&dev->lock);
		return;
	}
	first = dev->lost == UAL_LOSS_NONE;
	dev->lost = loss;
	tell_queues(dev, loss);
	if (first)
		break_endpoints(dev);
	pthread_mutex_unlock(&dev->lock);
}

/* ---- QP number → endpoint (open addressing, linear probing) ---- */

static int qp_table_grow(struct ual_device *dev)
{
	uint32_t size = dev->qp_table_size ? dev->qp_table_size * 2 : 256;
	struct ual_ep **t = calloc(size, sizeof(*t));
	uint32_t i, j;

	if (!t)
		return -ENOMEM;
	for (i = 0; i < dev->qp_table_size; i++) {
		struct ual_ep *ep = dev->qp_table[i];

		if (!ep)
			continue;
		for (j = ep->qp->qp_num & (size - 1); t[j]; j = (j + 1) & (size - 1))
			;
		t[j] = ep;
	}
	free(dev->qp_table);
	dev->qp_table = t;
	dev->qp_table_size = size;
	return 0;
}

int ual_device_qp_insert(struct ual_device *dev, struct ual_ep *ep)
{
	uint32_t j, mask;
	int ret = 0;

	pthread_mutex_lock(&dev->lock);
	if ((dev->qp_count + 1) * 2 > dev->qp_table_size)
		ret = qp_table_grow(dev);
	if (!ret) {
		mask = dev->qp_table_size - 1;
		for (j = ep->qp->qp_num & mask; dev->qp_table[j]; j = (j + 1) & mask)
			;
		dev->qp_table[j] = ep;
		dev->qp_count++;
	}
	pthread_mutex_unlock(&dev->lock);
	return ret;
}

static void qp_table_reinsert_after(struct ual_device *dev, uint32_t hole)
{
	uint32_t mask = dev->qp_table_size - 1, j = (hole + 1) & mask, k;
	struct ual_ep *ep;

	for (; (ep = dev->qp_table[j]); j = (j + 1) & mask) {
		dev->qp_table[j] = NULL;
		for (k = ep->qp->qp_num & mask; dev->qp_table[k]; k = (k + 1) & mask)
			;
		dev->qp_table[k] = ep;
	}
}

void ual_device_qp_remove(struct ual_device *dev, struct ual_ep *ep)
{
	uint32_t j, mask;

	pthread_mutex_lock(&dev->lock);
	if (dev->qp_table_size) {
		mask = dev->qp_table_size - 1;
		for (j = ep->qp->qp_num & mask; dev->qp_table[j]; j = (j + 1) & mask) {
			if (dev->qp_table[j] == ep) {
				dev->qp_table[j] = NULL;
				dev->qp_count--;
				qp_table_reinsert_after(dev, j);
				break;
			}
		}
	}
	pthread_mutex_unlock(&dev->lock);
}

struct ual_ep *ual_ep_from_qp_num(struct ual_device *dev, uint32_t qp_num)
{
	struct ual_ep *found = NULL, *ep;
	uint32_t j, mask;

	pthread_mutex_lock(&dev->lock);
	if (dev->qp_table_size) {
		mask = dev->qp_table_size - 1;
		for (j = qp_num & mask; (ep = dev->qp_table[j]); j = (j + 1) & mask) {
			if (ep->qp->qp_num == qp_num) {
				found = ep;
				break;
			}
		}
	}
	pthread_mutex_unlock(&dev->lock);
	return found;
}
