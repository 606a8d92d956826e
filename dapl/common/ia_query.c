// SPDX-License-Identifier: BSD-3-Clause OR GPL-2.0-only
/*
 * dat_ia_query: DAT_IA_ATTR and DAT_PROVIDER_ATTR from the device and
 * transport the IA's scope runs on (ual_device_query at open, GIDs and
 * port state at query time) and from what this provider really does.
 *
 * Every field is written whenever the caller asks for any field of the
 * structure (OFA leaves many untouched, dapl.md 5.1): the masks only say
 * which ones the caller wants, and each is cheap.  Mask bits no field
 * has are ignored (old consumers pass ~0).  Limits the provider
 * does not offer are 0, never the device's number: no memory windows,
 * no RMRs; no IB extensions yet, extension_supported NONE.
 */
#include <endian.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dapl.h"

DAT_RETURN DAT_API dats_get_ia_handle(DAT_IA_HANDLE handle, DAT_IA_HANDLE *out);

/* The provider's own version (dat.conf's "dapl.2.0"). */
#define PROVIDER_VERSION_MAJOR	2
#define PROVIDER_VERSION_MINOR	0

/* Named attributes, in OFA's order (dapl.md 5.3), then ours. */
enum {
	NA_PROVIDER_NAME, NA_DEVICE_NAME, NA_CONNECTIVITY, NA_RDMA_READ,
	NA_NODE_GUID, NA_GID, NA_MTU, NA_PORT_STATUS, NA_PORT_NUMBER,
	NA_EXTENSION, NA_FETCH_ADD, NA_CMP_SWAP, NA_IMMED, NA_TRANSPORT,
	NA_COUNT
};

struct dapl_ia_named {
	DAT_NAMED_ATTR	attr[NA_COUNT];
	char		device[UAL_NAME_MAX];
	char		guid[24];
	char		gid[48];
	char		mtu[12];
	char		port[8];
};

/*
 * Which streams one EVD may carry (rows and columns: software, CR, DTO,
 * connection, RMR bind, async).  DTO and RMR-bind streams live on a CQ,
 * the others on an event queue; an EVD has one of each at most, so any
 * mix works except DTO with connection events, which OFA refuses too
 * (dapl.md 5.1), and async events, which have the IA's own EVD.
 */
const DAT_BOOLEAN dapl_evd_stream_merging[6][6] = {
	{ DAT_TRUE,  DAT_TRUE,  DAT_TRUE,  DAT_TRUE,  DAT_TRUE,  DAT_FALSE },
	{ DAT_TRUE,  DAT_TRUE,  DAT_TRUE,  DAT_TRUE,  DAT_TRUE,  DAT_FALSE },
	{ DAT_TRUE,  DAT_TRUE,  DAT_TRUE,  DAT_FALSE, DAT_TRUE,  DAT_FALSE },
	{ DAT_TRUE,  DAT_TRUE,  DAT_FALSE, DAT_TRUE,  DAT_TRUE,  DAT_FALSE },
	{ DAT_TRUE,  DAT_TRUE,  DAT_TRUE,  DAT_TRUE,  DAT_TRUE,  DAT_FALSE },
	{ DAT_FALSE, DAT_FALSE, DAT_FALSE, DAT_FALSE, DAT_FALSE, DAT_FALSE },
};

static bool is_iwarp(const struct ual_device_attr *a)
{
	return a->transport == UAL_TRANSPORT_IWARP;
}

static DAT_COUNT count_of(uint64_t v)
{
	return v > INT32_MAX ? INT32_MAX : (DAT_COUNT)v;
}

/* DAT_SEG_LENGTH is 32 bits: a larger device limit is reported as its cap. */
static DAT_SEG_LENGTH seg_of(uint64_t v)
{
	return v > UINT32_MAX ? UINT32_MAX : (DAT_SEG_LENGTH)v;
}

/* "2.7.1000" -> 2, 7; what is not a number stays 0. */
static void fw_version(const char *fw, DAT_UINT32 *major, DAT_UINT32 *minor)
{
	unsigned int ma = 0, mi = 0;

	if (sscanf(fw, "%u.%u", &ma, &mi) < 1)
		ma = mi = 0;
	*major = ma;
	*minor = mi;
}

static void fill_ia_attr(struct dapl_ia *ia, DAT_IA_ATTR *a)
{
	const struct ual_device_attr *d = &ia->attr;
	bool mw = dapl_ia_has_windows(ia);
	bool srq = d->caps & UAL_CAP_SRQ;

	memset(a, 0, sizeof(*a));
	snprintf(a->adapter_name, sizeof(a->adapter_name), "%s", d->name);
	snprintf(a->vendor_name, sizeof(a->vendor_name),
		 "vendor 0x%06x part 0x%x (%s)", d->vendor_id,
		 d->vendor_part_id, ual_transport_name(d->transport));
	a->hardware_version_major = d->hw_ver;
	a->hardware_version_minor = 0;		/* verbs has one number */
	fw_version(d->fw_ver, &a->firmware_version_major,
		   &a->firmware_version_minor);
	a->ia_address_ptr = (DAT_IA_ADDRESS_PTR)&ia->local;
	a->max_eps = count_of(d->max_qp);
	a->max_dto_per_ep = count_of(d->max_qp_wr);
	a->max_rdma_read_per_ep_in = count_of(d->max_dest_rd_atomic);
	a->max_rdma_read_per_ep_out = count_of(d->max_rd_atomic);
	a->max_evds = count_of(d->max_cq);
	a->max_evd_qlen = count_of(d->max_cqe);
	a->max_iov_segments_per_dto = count_of(d->max_sge);
	a->max_lmrs = count_of(d->max_mr);
	a->max_lmr_block_size = seg_of(d->max_mr_size);
	/* Any address of the process can be registered. */
	a->max_lmr_virtual_address = (DAT_VADDR)UINTPTR_MAX;
	a->max_pzs = count_of(d->max_pd);
	a->max_message_size = d->max_msg_size;
	a->max_rdma_size = d->max_msg_size;
	a->max_rmrs = mw ? count_of(d->max_mw) : 0;
	a->max_rmr_target_address = mw ? (DAT_VADDR)UINTPTR_MAX : 0;
	a->max_srqs = srq ? count_of(d->max_srq) : 0;
	a->max_ep_per_srq = srq ? count_of(d->max_qp) : 0;
	a->max_recv_per_srq = srq ? count_of(d->max_srq_wr) : 0;
	a->max_iov_segments_per_rdma_read = count_of(d->max_sge_rd);
	a->max_iov_segments_per_rdma_write = count_of(d->max_sge);
	/* verbs gives per-QP read depths only; the IA-wide ones are those. */
	a->max_rdma_read_in = a->max_rdma_read_per_ep_in;
	a->max_rdma_read_out = a->max_rdma_read_per_ep_out;
	a->max_rdma_read_per_ep_in_guaranteed = DAT_TRUE;
	a->max_rdma_read_per_ep_out_guaranteed = DAT_TRUE;
	a->zb_supported = DAT_FALSE;		/* lmr_create refuses ZB */
	a->extension_supported = DAT_EXTENSION_NONE;
	a->extension_version = 0;
	a->num_transport_attr = 0;
	a->transport_attr = NULL;
	a->num_vendor_attr = 0;
	a->vendor_attr = NULL;
}

static const char *port_state(struct dapl_ia *ia)
{
	struct ual_device_info *list = NULL;
	const char *state = "UNKNOWN";
	int i, j, n = 0;

	if (ual_device_list(&list, &n, NULL))
		return state;
	for (i = 0; i < n; i++) {
		if (strcmp(list[i].name, ia->attr.name))
			continue;
		for (j = 0; j < list[i].num_ports && j < 4; j++)
			if (list[i].ports[j].port_num == ia->attr.port_num)
				state = list[i].ports[j].active ? "ACTIVE" : "DOWN";
	}
	free(list);
	return state;
}

static void format_gid(struct dapl_ia *ia, char *buf, size_t len)
{
	struct ual_gid gid;
	const uint8_t *g = gid.raw;

	if (ual_device_gids(ia->dev, 0, &gid, 1) != 1) {
		snprintf(buf, len, "UNKNOWN");
		return;
	}
	snprintf(buf, len, "%02x%02x:%02x%02x:%02x%02x:%02x%02x:"
		 "%02x%02x:%02x%02x:%02x%02x:%02x%02x",
		 g[0], g[1], g[2], g[3], g[4], g[5], g[6], g[7],
		 g[8], g[9], g[10], g[11], g[12], g[13], g[14], g[15]);
}

static void set_named(struct dapl_ia_named *n, int i, const char *name,
		      const char *value)
{
	n->attr[i].name = name;
	n->attr[i].value = value;
}

/* The IA's named attributes; built once, the port state refreshed. */
static struct dapl_ia_named *named_attrs(struct dapl_ia *ia)
{
	const struct ual_device_attr *d = &ia->attr;
	struct dapl_ia_named *n;
	uint64_t guid = be64toh(d->node_guid);
	const char *state = port_state(ia);

	pthread_mutex_lock(&ia->lock);
	n = ia->named;
	if (n)
		goto out;
	n = calloc(1, sizeof(*n));
	if (!n)
		goto out;
	snprintf(n->device, sizeof(n->device), "%s", d->name);
	snprintf(n->guid, sizeof(n->guid), "%04x:%04x:%04x:%04x",
		 (unsigned int)(guid >> 48) & 0xffff,
		 (unsigned int)(guid >> 32) & 0xffff,
		 (unsigned int)(guid >> 16) & 0xffff,
		 (unsigned int)guid & 0xffff);
	format_gid(ia, n->gid, sizeof(n->gid));
	snprintf(n->mtu, sizeof(n->mtu), "%u", d->active_mtu);
	snprintf(n->port, sizeof(n->port), "%u", d->port_num);
	set_named(n, NA_PROVIDER_NAME, "DAT_IB_PROVIDER_NAME", "CMA");
	set_named(n, NA_DEVICE_NAME, "DAT_IB_DEVICE_NAME", n->device);
	set_named(n, NA_CONNECTIVITY, "DAT_IB_CONNECTIVITY_MODE", "DIRECT");
	set_named(n, NA_RDMA_READ, "DAT_IB_RDMA_READ", "TRUE");
	set_named(n, NA_NODE_GUID, "DAT_IB_NODE_GUID", n->guid);
	set_named(n, NA_GID, "DAT_IB_GID", n->gid);
	set_named(n, NA_MTU, "DAT_IB_TRANSPORT_MTU", n->mtu);
	set_named(n, NA_PORT_STATUS, "DAT_IB_PORT_STATUS", state);
	set_named(n, NA_PORT_NUMBER, "DAT_IB_PORT_NUMBER", n->port);
	/* No IB extension operation works yet (dat_extension_op). */
	set_named(n, NA_EXTENSION, "DAT_EXTENSION_INTERFACE", "FALSE");
	set_named(n, NA_FETCH_ADD, "DAT_IB_FETCH_AND_ADD", "FALSE");
	set_named(n, NA_CMP_SWAP, "DAT_IB_CMP_AND_SWAP", "FALSE");
	set_named(n, NA_IMMED, "DAT_IB_IMMED_DATA", "FALSE");
	set_named(n, NA_TRANSPORT, "DAPL_TRANSPORT",
		  ual_transport_name(d->transport));
	ia->named = n;
out:
	/* A static string: a concurrent reader sees the old or the new one. */
	if (n)
		__atomic_store_n(&n->attr[NA_PORT_STATUS].value, state,
				 __ATOMIC_RELAXED);
	pthread_mutex_unlock(&ia->lock);
	return n;
}

void dapl_ia_query_release(struct dapl_ia *ia)
{
	free(ia->named);
	ia->named = NULL;
}

/* Private data a consumer may pass in every CM message we send. */
static DAT_COUNT pdata_max(const struct ual_pdata_limits *l)
{
	uint32_t m = l->connect;

	if (l->accept < m)
		m = l->accept;
	/* A reject carries OFA's 4-byte header before the consumer's bytes. */
	if (l->reject >= 4 && l->reject - 4 < m)
		m = l->reject - 4;
	return count_of(m);
}

static DAT_RETURN fill_provider_attr(struct dapl_ia *ia, DAT_PROVIDER_ATTR *a)
{
	const struct dapl_provider *prov = dapl_provider_of(ia->hdr.provider);
	const struct ual_device_attr *d = &ia->attr;
	bool srq = d->caps & UAL_CAP_SRQ;
	struct dapl_ia_named *named = named_attrs(ia);
	long page = sysconf(_SC_PAGESIZE);

	if (!named)
		return DAT_ERROR(DAT_INSUFFICIENT_RESOURCES, DAT_RESOURCE_MEMORY);
	memset(a, 0, sizeof(*a));
	snprintf(a->provider_name, sizeof(a->provider_name), "%s",
		 prov->info.ia_name);
	a->provider_version_major = PROVIDER_VERSION_MAJOR;
	a->provider_version_minor = PROVIDER_VERSION_MINOR;
	a->dapl_version_major = prov->info.dapl_version_major;
	a->dapl_version_minor = prov->info.dapl_version_minor;
	/* DAT_MEM_TYPE_VIRTUAL is 0: the bits are LMR only (no SHARED). */
	a->lmr_mem_types_supported = DAT_MEM_TYPE_VIRTUAL | DAT_MEM_TYPE_LMR;
	a->iov_ownership_on_return = DAT_IOV_CONSUMER;
	a->dat_qos_supported = DAT_QOS_BEST_EFFORT;
	a->completion_flags_supported = DAPL_COMPLETION_FLAGS_SUPPORTED;
	a->is_thread_safe = prov->info.is_thread_safe;
	a->max_private_data_size = pdata_max(&d->pdata);
	a->supports_multipath = DAT_FALSE;
	a->ep_creator = DAT_PSP_CREATES_EP_NEVER;
	a->pz_support = DAT_PZ_UNIQUE;
	/* Registration pins whole pages: page-aligned buffers pin no extra. */
	a->optimal_buffer_alignment = page > 0 ? (DAT_UINT32)page : 4096;
	memcpy((void *)a->evd_stream_merging_supported,
	       dapl_evd_stream_merging, sizeof(dapl_evd_stream_merging));
	a->srq_supported = srq ? DAT_TRUE : DAT_FALSE;
	a->srq_watermarks_supported = srq ? 1 : 0;	/* the low watermark */
	/* verbs allows an SRQ and its QPs in different PDs. */
	a->srq_ep_pz_difference_supported = srq ? DAT_TRUE : DAT_FALSE;
	a->srq_info_supported = 0;		/* no fill level in verbs */
	a->ep_recv_info_supported = 0;		/* dat_ep_recv_query: none */
	a->lmr_sync_req = DAT_FALSE;		/* cache-coherent DMA */
	a->dto_async_return_guaranteed = DAT_TRUE; /* posts never wait */
	/*
	 * iWARP wants remote write on an RDMA read sink; the access layer
	 * grants it to every LMR with local write, so consumers need not.
	 */
	a->rdma_write_for_rdma_read_req = DAT_FALSE;
	/* iWARP's read request carries the sink's STag to the peer. */
	a->rdma_read_lmr_rmr_context_exposure =
		is_iwarp(d) ? DAT_TRUE : DAT_FALSE;
	a->rmr_scope_supported = (dapl_ia_has_windows(ia) &&
				  (d->caps & UAL_CAP_MW_TYPE1)) ?
				 DAT_RMR_SCOPE_PZ : DAT_RMR_SCOPE_EP;
	a->is_signal_safe = DAT_FALSE;
	a->ha_supported = DAT_FALSE;
	a->ha_loadbalancing = DAT_HA_LB_NONE;
	a->num_provider_specific_attr = NA_COUNT;
	a->provider_specific_attr = named->attr;
	return DAT_SUCCESS;
}

static DAT_RETURN DAT_API ia_query(DAT_IA_HANDLE handle, DAT_EVD_HANDLE *async_evd,
				   DAT_IA_ATTR_MASK ia_mask, DAT_IA_ATTR *ia_attr,
				   DAT_PROVIDER_ATTR_MASK provider_mask,
				   DAT_PROVIDER_ATTR *provider_attr)
{
	struct dapl_ia *ia = dapl_obj_get(handle, DAT_HANDLE_TYPE_IA);

	if (!ia)
		return dapl_bad_handle(DAT_HANDLE_TYPE_IA);
	if (ia_mask && !ia_attr)
		return DAT_ERROR(DAT_INVALID_PARAMETER, DAT_INVALID_ARG4);
	if (provider_mask && !provider_attr)
		return DAT_ERROR(DAT_INVALID_PARAMETER, DAT_INVALID_ARG6);
	if (provider_mask) {
		DAT_RETURN ret = fill_provider_attr(ia, provider_attr);

		if (ret != DAT_SUCCESS)
			return ret;
	}
	if (ia_mask)
		fill_ia_attr(ia, ia_attr);
	if (async_evd)
		*async_evd = ia->async_evd;
	return DAT_SUCCESS;
}

void dapl_ia_query_ops(DAT_PROVIDER *p)
{
	p->ia_query_func = ia_query;
}
