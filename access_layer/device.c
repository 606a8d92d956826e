// SPDX-License-Identifier: BSD-2-Clause
/*
 * device.c - finding, opening and sharing RDMA devices.
 *
 * Two levels.  struct ual_hca is the device as this process holds it:
 * the verbs context librdmacm opened (rdma_get_devices, so that QPs, CQs
 * and PDs are usable with every rdma_cm_id the layer creates), its async
 * fd, the removal watch and the QP-number table; one per device per
 * process, shared by the uDAPL and IT-API shims.  struct ual_device is
 * one consumer's scope on it (an IA): every ual_device_open makes a new
 * one with its own port, address, attributes, protection domain and
 * async destinations, so a second opener never inherits the first's.
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
	snprintf(a->name, sizeof(a->name), "%s", dev->hca->name);
	a->port_num = port;
	a->transport = port_transport(dev->verbs, port, &pa);
	a->caps = ual_transport_caps(a->transport, da.atomic_cap);
	if (!da.max_srq)
		a->caps &= ~UAL_CAP_SRQ;
	a->caps |= ual_devcap_caps(da.device_cap_flags, da.max_mw);
	a->max_mw = a->caps & (UAL_CAP_MW_TYPE1 | UAL_CAP_MW_TYPE2) ?
		    (uint32_t)da.max_mw : 0;
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
	a->max_srq_sge = da.max_srq_sge;
	a->max_pd = da.max_pd;
	a->max_ah = da.max_ah;
	a->max_rd_atomic = da.max_qp_init_rd_atom;
	a->max_dest_rd_atomic = da.max_qp_rd_atom;
	a->max_msg_size = pa.max_msg_sz;
	a->active_mtu = 128u << pa.active_mtu;
	a->vendor_id = da.vendor_id;
	a->vendor_part_id = da.vendor_part_id;
	a->hw_ver = da.hw_ver;
	snprintf(a->fw_ver, sizeof(a->fw_ver), "%s", da.fw_ver);
	a->node_guid = da.node_guid;
	a->sys_image_guid = da.sys_image_guid;
	a->num_ports = da.phys_port_cnt;
	ual_pdata_limits(a->transport, &a->pdata);
	a->max_inline = dev->hca->max_inline;
}

enum ual_memlock_rules ual_device_memlock_rules(const struct ual_device *dev)
{
	return dev->siw ? UAL_MEMLOCK_SIW : UAL_MEMLOCK_CORE;
}

void ual_device_queue_memlock(struct ual_device *dev, int errnum,
			      const char *what, uint32_t entries,
			      struct ual_error *err)
{
	char desc[64];

	/* rxe and siw queues are kernel memory the limit does not count. */
	if (dev->siw || ual_device_is_rxe(dev))
		return;
	snprintf(desc, sizeof(desc), "%s of %u entries", what, entries);
	ual_memlock_blame(err, errnum,
			  ual_memlock_queue_bytes(entries, dev->page_size),
			  true, desc, ual_device_memlock_rules(dev));
}

void ual_device_siw_account(struct ual_device *dev, bool qp, int pages)
{
	struct ual_hca *hca = dev->hca;

	if (!hca->siw || !pages)
		return;
	pthread_mutex_lock(&hca->lock);
	if (qp)
		hca->siw_qp_pages += (uint32_t)pages;
	else
		hca->siw_other_pages += (uint32_t)pages;
	pthread_mutex_unlock(&hca->lock);
}

int ual_device_no_errno(struct ual_device *dev, const char *step,
			const char *what, uint32_t sq, uint32_t rq,
			struct ual_error *err)
{
	struct ual_hca *hca = dev->hca;
	uint32_t used, other, fit = 0;
	char why[UAL_ERROR_TEXT_MAX];

	if (!hca->siw || !(sq + rq)) {
		ual_err_set(err, EIO, step,
			    "the verbs provider of %s failed without giving a reason (errno 0)",
			    hca->name);
		ual_err_context(err, hca->name, NULL);
		return -EIO;
	}
	/*
	 * libsiw fails exactly this way, and only this way, when the kernel
	 * placed the new queue beyond the mmap offsets it accepts.
	 */
	pthread_mutex_lock(&hca->lock);
	used = hca->siw_qp_pages + hca->siw_other_pages;
	other = hca->siw_other_pages;
	pthread_mutex_unlock(&hca->lock);
	if (!strcmp(what, "QP"))
		fit = ual_siw_qps_that_fit(sq, rq, other, hca->page_size);
	ual_siw_explain(why, sizeof(why), hca->name, what, sq + rq, used,
			fit, hca->page_size);
	ual_err_set(err, ENOSPC, step, "%s", why);
	ual_err_context(err, hca->name, NULL);
	return -ENOSPC;
}

/*
 * Opens the removal watch (see struct ual_hca): a cm id bound to the
 * device's address on a channel of its own.
 */
static int watch_open(struct ual_hca *hca, const struct sockaddr *addr,
		      struct ual_error *err)
{
	int errnum;

	hca->watch_channel = rdma_create_event_channel();
	if (!hca->watch_channel)
		return ual_err_set(err, errno ? errno : ENODEV,
				   "rdma_create_event_channel",
				   "the removal watch of %s", hca->name);
	fcntl(hca->watch_channel->fd, F_SETFL,
	      fcntl(hca->watch_channel->fd, F_GETFL) | O_NONBLOCK);
	if (rdma_create_id(hca->watch_channel, &hca->watch_id, hca,
			   RDMA_PS_TCP))
		return ual_err_set(err, errno, "rdma_create_id",
				   "the removal watch of %s", hca->name);
	if (rdma_bind_addr(hca->watch_id, (struct sockaddr *)addr)) {
		errnum = errno;
		ual_err_set(err, errnum, "rdma_bind_addr",
			    "the removal watch of %s", hca->name);
		ual_err_context(err, hca->name, addr);
		return -errnum;
	}
	if (hca->watch_id->verbs != hca->verbs) {
		ual_err_set(err, EXDEV, "rdma_bind_addr",
			    "the address moved to another device while %s was being opened",
			    hca->name);
		ual_err_context(err, hca->name, addr);
		return -EXDEV;
	}
	return 0;
}

static void watch_close(struct ual_hca *hca)
{
	if (hca->watch_id)
		rdma_destroy_id(hca->watch_id);
	if (hca->watch_channel)
		rdma_destroy_event_channel(hca->watch_channel);
	hca->watch_id = NULL;
	hca->watch_channel = NULL;
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

static void hca_free(struct ual_hca *hca)
{
	bool removed = hca->lost == UAL_LOSS_REMOVED;

	watch_close(hca);
	ual_qp_table_free(hca);
	pthread_mutex_destroy(&hca->lock);
	pthread_mutex_destroy(&hca->async_lock);
	free(hca);
	if (removed)
		rdma_cm_forget_removed();
}

static struct ual_hca *hca_create(const struct probe_result *r,
				  struct ual_error *err)
{
	struct ual_hca *hca = calloc(1, sizeof(*hca));
	struct ibv_device_attr da;

	if (!hca) {
		ual_err_set(err, ENOMEM, "calloc", NULL);
		return NULL;
	}
	hca->verbs = r->verbs;
	hca->refs = 1;
	snprintf(hca->name, sizeof(hca->name), "%s",
		 ibv_get_device_name(r->verbs->device));
	pthread_mutex_init(&hca->lock, NULL);
	pthread_mutex_init(&hca->async_lock, NULL);
	ual_list_init(&hca->scopes);
	memset(&da, 0, sizeof(da));
	ibv_query_device(r->verbs, &da);
	/* The name is the administrator's choice; the vendor id is siw's. */
	hca->siw = da.vendor_id == UAL_SIW_VENDOR_ID;
	hca->page_size = (uint32_t)sysconf(_SC_PAGESIZE);
	hca->max_inline = UINT32_MAX;	/* probed by the first scope */
	if (watch_open(hca, (struct sockaddr *)&r->addr, err)) {
		hca_free(hca);
		return NULL;
	}
	return hca;
}

static struct ual_hca *hca_get_or_create(const struct probe_result *r,
					 struct ual_error *err)
{
	struct ual_hca *hca;
	struct ual_list *l;

	pthread_mutex_lock(&devices_lock);
	for (l = devices.next; l != &devices; l = l->next) {
		hca = ual_container_of(l, struct ual_hca, link);
		if (hca->verbs == r->verbs) {
			hca->refs++;
			pthread_mutex_unlock(&devices_lock);
			return hca;
		}
	}
	hca = hca_create(r, err);
	if (hca)
		ual_list_add(&devices, &hca->link);
	pthread_mutex_unlock(&devices_lock);
	return hca;
}

void ual_hca_get(struct ual_hca *hca)
{
	pthread_mutex_lock(&devices_lock);
	hca->refs++;
	pthread_mutex_unlock(&devices_lock);
}

void ual_hca_put(struct ual_hca *hca)
{
	bool last;

	pthread_mutex_lock(&devices_lock);
	last = --hca->refs == 0;
	if (last)
		ual_list_del(&hca->link);
	pthread_mutex_unlock(&devices_lock);
	if (last)
		hca_free(hca);
}

static struct ual_device *scope_create(struct ual_hca *hca,
				       const struct probe_result *r,
				       struct ual_error *err)
{
	struct ual_device *dev = calloc(1, sizeof(*dev));

	if (!dev) {
		ual_err_set(err, ENOMEM, "calloc", NULL);
		return NULL;
	}
	dev->hca = hca;
	dev->root = dev;
	dev->refs = 1;
	dev->verbs = hca->verbs;
	dev->siw = hca->siw;
	dev->page_size = hca->page_size;
	dev->addr = r->addr;
	ual_list_init(&dev->eqs);
	errno = 0;
	dev->pd = ibv_alloc_pd(hca->verbs);
	if (!dev->pd) {
		ual_err_set(err, errno ? errno : ENOMEM, "ibv_alloc_pd", NULL);
		ual_err_context(err, hca->name, NULL);
		free(dev);
		return NULL;
	}
	if (__atomic_load_n(&hca->max_inline, __ATOMIC_RELAXED) == UINT32_MAX)
		__atomic_store_n(&hca->max_inline, probe_inline(dev),
				 __ATOMIC_RELAXED);
	ual_device_fill_attr(dev, r->port ? r->port : 1);
	pthread_mutex_lock(&hca->lock);
	ual_list_add(&hca->scopes, &dev->hca_link);
	pthread_mutex_unlock(&hca->lock);
	return dev;
}

int ual_device_open(const char *spec, struct ual_device **out,
		    struct sockaddr_storage *local, struct ual_error *err)
{
	struct probe_result r;
	struct ual_device *dev;
	struct ual_hca *hca;
	uint64_t limit;
	int ret;

	if (err)
		memset(err, 0, sizeof(*err));
	if (!spec || !out)
		return ual_err_set(err, EINVAL, "ual_device_open",
				   "a device spec and a place for the device are required");
	/*
	 * Never a reason to refuse: how much the consumer will register is
	 * unknown here.  A registration the limit refuses says so itself.
	 */
	limit = ual_memlock_raise();
	ret = resolve_spec(spec, &r, err);
	if (ret)
		return ret;
	hca = hca_get_or_create(&r, err);
	if (!hca)
		return err ? -err->errnum : -ENOMEM;
	dev = scope_create(hca, &r, err);
	if (!dev) {
		ual_hca_put(hca);
		return err ? -err->errnum : -ENOMEM;
	}
	dev->attr.memlock_limit = limit;
	if (local)
		*local = r.addr;
	*out = dev;
	return 0;
}

void ual_device_get(struct ual_device *dev)
{
	__atomic_add_fetch(&dev->refs, 1, __ATOMIC_RELAXED);
}

void ual_device_put(struct ual_device *dev)
{
	struct ual_hca *hca = dev->hca;

	if (__atomic_sub_fetch(&dev->refs, 1, __ATOMIC_ACQ_REL))
		return;
	pthread_mutex_lock(&hca->lock);
	ual_list_del(&dev->hca_link);
	pthread_mutex_unlock(&hca->lock);
	if (dev->pd)
		ibv_dealloc_pd(dev->pd);
	if (dev->root != dev)
		ual_device_put(dev->root);
	free(dev);
	ual_hca_put(hca);
}

int ual_pd_open(struct ual_device *parent, struct ual_device **out,
		struct ual_error *err)
{
	struct ual_hca *hca = parent->hca;
	struct ual_device *dev = calloc(1, sizeof(*dev));

	if (!dev)
		return ual_err_set(err, ENOMEM, "calloc", NULL);
	*dev = *parent;
	dev->root = parent->root;
	dev->refs = 1;
	dev->async_aff = dev->async_unaff = NULL;
	ual_list_init(&dev->eqs);
	errno = 0;
	dev->pd = ibv_alloc_pd(hca->verbs);
	if (!dev->pd) {
		int errnum = errno ? errno : ENOMEM;

		free(dev);
		ual_err_set(err, errnum, "ibv_alloc_pd",
			    "device maximum %u protection domains", parent->attr.max_pd);
		ual_err_context(err, hca->name, NULL);
		return -errnum;
	}
	ual_device_get(dev->root);
	ual_hca_get(hca);
	pthread_mutex_lock(&hca->lock);
	ual_list_add(&hca->scopes, &dev->hca_link);
	pthread_mutex_unlock(&hca->lock);
	*out = dev;
	return 0;
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

static int ensure_attached(struct ual_eq *eq, struct ual_device *dev,
			   struct ual_error *err)
{
	int ret = eq ? ual_eq_attach(eq, dev->hca) : 0;

	if (ret)
		return ual_err_set(err, ret, "epoll_ctl",
				   "adding the async fd of %s to an event queue",
				   dev->attr.name);
	return 0;
}

int ual_device_set_async(struct ual_device *dev, struct ual_eq *affiliated,
			 struct ual_eq *unaffiliated, struct ual_error *err)
{
	int ret;

	dev = dev->root;	/* a protection domain shares its scope's */
	ret = ensure_attached(affiliated, dev, err);
	if (!ret)
		ret = ensure_attached(unaffiliated, dev, err);
	if (ret)
		return ret;
	pthread_mutex_lock(&dev->hca->lock);
	dev->async_aff = affiliated;
	dev->async_unaff = unaffiliated;
	pthread_mutex_unlock(&dev->hca->lock);
	return 0;
}

/* A queue that goes away stops being any scope's async destination. */
void ual_hca_forget_eq(struct ual_hca *hca, struct ual_eq *eq)
{
	struct ual_list *l;

	pthread_mutex_lock(&hca->lock);
	for (l = hca->scopes.next; l != &hca->scopes; l = l->next) {
		struct ual_device *dev = ual_container_of(l, struct ual_device, hca_link);

		if (dev->async_aff == eq)
			dev->async_aff = NULL;
		if (dev->async_unaff == eq)
			dev->async_unaff = NULL;
	}
	pthread_mutex_unlock(&hca->lock);
}

/* ---- where a scope's asynchronous events go --------------------------- */

/*
 * Called with hca->lock held.  Affiliated events (about one object) go to
 * the scope's affiliated queue when the consumer set one, else to
 * @fallback (the object's own queue), else to the scope's first queue.
 */
struct ual_eq *ual_scope_affiliated_eq(struct ual_device *dev,
				       struct ual_eq *fallback)
{
	if (dev->root->async_aff)
		return dev->root->async_aff;
	if (fallback)
		return fallback;
	if (!ual_list_empty(&dev->eqs))
		return ual_container_of(dev->eqs.next, struct ual_eq, dev_link);
	return NULL;
}

/*
 * Called with hca->lock held.  Pushes one event made by @make to every
 * unaffiliated destination of every scope @match accepts: the scope's
 * unaffiliated queue if set, else every queue created for the scope.
 */
void ual_scopes_broadcast(struct ual_hca *hca,
			  bool (*match)(const struct ual_device *dev, const void *arg),
			  struct ual_event_node *(*make)(struct ual_eq *eq, const void *arg),
			  const void *arg)
{
	struct ual_list *s, *q;

	for (s = hca->scopes.next; s != &hca->scopes; s = s->next) {
		struct ual_device *dev = ual_container_of(s, struct ual_device, hca_link);
		struct ual_event_node *n;

		if (match && !match(dev, arg))
			continue;
		if (dev->root->async_unaff) {
			/* Once per scope, not once per protection domain. */
			if (dev->root != dev)
				continue;
			n = make(dev->async_unaff, arg);
			if (n)
				ual_eq_push(dev->async_unaff, n);
			continue;
		}
		for (q = dev->eqs.next; q != &dev->eqs; q = q->next) {
			struct ual_eq *eq = ual_container_of(q, struct ual_eq, dev_link);

			n = make(eq, arg);
			if (n)
				ual_eq_push(eq, n);
		}
	}
}

/* ---- identity: GIDs and addresses ------------------------------------- */

static uint8_t gid_type(struct ibv_context *verbs, const struct ibv_gid_entry *e)
{
	if (verbs->device->transport_type == IBV_TRANSPORT_IWARP)
		return UAL_GID_IWARP;
	switch (e->gid_type) {
	case IBV_GID_TYPE_ROCE_V1:
		return UAL_GID_ROCE_V1;
	case IBV_GID_TYPE_ROCE_V2:
		return UAL_GID_ROCE_V2;
	default:
		return UAL_GID_IB;
	}
}

static const uint8_t zero_gid[16];

int ual_device_gids(struct ual_device *dev, uint8_t port, struct ual_gid *gids,
		    int max)
{
	struct ibv_port_attr pa;
	struct ibv_gid_entry e;
	int i, n = 0;

	if (!port)
		port = dev->attr.port_num;
	if (ibv_query_port(dev->verbs, port, &pa))
		return -EINVAL;
	for (i = 0; i < pa.gid_tbl_len && n < max; i++) {
		if (ibv_query_gid_ex(dev->verbs, port, (uint32_t)i, &e, 0))
			continue;	/* an empty slot */
		if (!memcmp(e.gid.raw, zero_gid, sizeof(zero_gid)))
			continue;
		memcpy(gids[n].raw, e.gid.raw, sizeof(gids[n].raw));
		gids[n].index = (uint16_t)i;
		gids[n].type = gid_type(dev->verbs, &e);
		n++;
	}
	return n;
}

int ual_device_port_addrs(struct ual_device *dev, uint8_t port,
			  struct sockaddr_storage *addrs, int max)
{
	struct ifaddrs *list, *ifa;
	struct probe_result r;
	int n = 0;

	if (!port)
		port = dev->attr.port_num;
	if (getifaddrs(&list))
		return -errno;
	for (ifa = list; ifa && n < max; ifa = ifa->ifa_next) {
		if (!usable_ifaddr(ifa) || probe_address(ifa->ifa_addr, &r))
			continue;
		if (r.verbs != dev->verbs || (r.port && r.port != port))
			continue;
		addrs[n++] = r.addr;
	}
	freeifaddrs(list);
	return n;
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
	struct ual_hca *hca = dev->hca;
	enum ual_dev_loss loss;

	pthread_mutex_lock(&hca->lock);
	loss = hca->lost;
	pthread_mutex_unlock(&hca->lock);
	return loss;
}

struct loss_note {
	struct ual_hca *hca;
	enum ual_dev_loss loss;
};

static struct ual_event_node *loss_event(struct ual_eq *eq, const void *arg)
{
	const struct loss_note *ln = arg;
	struct ual_event_node *n = ual_event_alloc(ual_dev_loss_event(ln->loss));

	if (!n)
		return NULL;
	n->ev.context = eq->context;
	n->ev.status = ln->loss == UAL_LOSS_FATAL ? IBV_EVENT_DEVICE_FATAL
						  : RDMA_CM_EVENT_DEVICE_REMOVAL;
	ual_dev_loss_error(&n->ev.error, ln->loss, ln->hca->name,
			   "event queue");
	return n;
}

/*
 * Every endpoint's state machine belongs to its own queue, so the
 * endpoint is parked there like one hit by a fatal QP error; its queue
 * reports CONN_BROKEN unless its own cm id's removal event got there
 * first.
 */
static void break_endpoint(struct ual_ep *ep, void *arg)
{
	(void)arg;
	__atomic_store_n(&ep->device_lost, true, __ATOMIC_RELAXED);
	pthread_mutex_lock(&ep->eq->lock);
	if (ual_list_empty(&ep->fatal_link)) {
		ep->fatal_what = IBV_EVENT_DEVICE_FATAL;
		ual_list_add(&ep->eq->fatal, &ep->fatal_link);
	}
	pthread_mutex_unlock(&ep->eq->lock);
	ual_eq_wake(ep->eq);
}

void ual_device_lost(struct ual_hca *hca, enum ual_dev_loss loss)
{
	struct loss_note ln = { hca, loss };
	bool first;

	pthread_mutex_lock(&hca->lock);
	if (!ual_dev_loss_escalates(hca->lost, loss)) {
		pthread_mutex_unlock(&hca->lock);
		return;
	}
	first = hca->lost == UAL_LOSS_NONE;
	__atomic_store_n(&hca->lost, loss, __ATOMIC_RELAXED);
	ual_scopes_broadcast(hca, NULL, loss_event, &ln);
	if (first)
		ual_device_qp_for_each(hca, break_endpoint, NULL);
	pthread_mutex_unlock(&hca->lock);
}
