// SPDX-License-Identifier: BSD-3-Clause OR GPL-2.0-only
/*
 * Connection management: service points (PSP, RSP, CSP) are layer
 * listeners on the IA's address; a connection request is a CR object
 * around the layer's ual_conn_req.  On the wire we behave as OFA's
 * openib_cma (dapl.md 3.2-3.6) so that either side may be OFA's:
 *  - conn_qual -> port: quals above 0xffff fold to (q % 32001) + 33534;
 *  - connect and accept private data are the consumer's bytes, raw;
 *  - reject private data is a 4-byte header 02 00 02 00 (DAT 2.0,
 *    provider 2.0) followed by the consumer's bytes.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <string.h>

#include "dapl.h"

DAT_RETURN DAT_API dats_get_ia_handle(DAT_IA_HANDLE handle, DAT_IA_HANDLE *out);

static const uint8_t reject_hdr[DAPL_REJECT_HDR_LEN] = { 2, 0, 2, 0 };

/* One struct for the three kinds of service point (hdr.type says which). */
struct dapl_sp {
	struct dapl_hdr		hdr;
	struct ual_listener	*lis;
	struct dapl_evd		*evd;
	DAT_CONN_QUAL		qual;
	DAT_PSP_FLAGS		flags;
	struct dapl_ep		*ep;		/* RSP: the reserved EP */
	DAT_COMM		*comm;		/* CSP */
	struct sockaddr_storage	addr;		/* CSP: where it listens */
};

struct dapl_cr {
	struct dapl_hdr		hdr;
	struct ual_conn_req	*req;
	struct dapl_sp		*sp;
	DAT_HANDLE_TYPE		sp_type;
	DAT_CONN_QUAL		qual;
	struct sockaddr_storage	remote;
	uint32_t		pdata_len;
	uint8_t			pdata[UAL_PDATA_MAX];
};

uint16_t dapl_conn_qual_to_port(DAT_CONN_QUAL qual)
{
	if (qual > 0xffff)
		return (uint16_t)(qual % 32001 + 33534);
	return (uint16_t)qual;
}

static uint16_t port_of(const struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET6)
		return ntohs(((const struct sockaddr_in6 *)ss)->sin6_port);
	return ntohs(((const struct sockaddr_in *)ss)->sin_port);
}

static void set_port(struct sockaddr_storage *ss, uint16_t port)
{
	if (ss->ss_family == AF_INET6)
		((struct sockaddr_in6 *)ss)->sin6_port = htons(port);
	else
		((struct sockaddr_in *)ss)->sin_port = htons(port);
}

static struct dapl_sp *sp_get(DAT_HANDLE h, DAT_HANDLE_TYPE type)
{
	return dapl_obj_get(h, type);
}

/* ---- service points ------------------------------------------------- */

static DAT_RETURN listen_on(struct dapl_ia *ia, struct dapl_sp *sp,
			    const struct sockaddr_storage *addr, const char *call)
{
	struct ual_error err = { 0 };
	int rc;

	rc = ual_listen(ia->dev, sp->evd->eq, (const struct sockaddr *)addr,
			UAL_EP_RC, 0, sp, &sp->lis, &err);
	if (rc == -EADDRINUSE || rc == -EBUSY) {
		dapl_log(DAPL_DBG_WARN, "%s: port %u is in use", call, port_of(addr));
		return DAT_ERROR(DAT_CONN_QUAL_IN_USE, DAT_NO_SUBTYPE);
	}
	if (rc)
		return dapl_status_log(call, rc, &err);
	__atomic_add_fetch(&sp->evd->refs, 1, __ATOMIC_ACQ_REL);
	return DAT_SUCCESS;
}

static DAT_RETURN sp_create(struct dapl_ia *ia, DAT_HANDLE_TYPE type,
			    DAT_CONN_QUAL qual, const struct sockaddr_storage *addr,
			    struct dapl_evd *evd, const char *call,
			    struct dapl_sp **out)
{
	struct dapl_sp *sp;
	DAT_RETURN ret;

	sp = dapl_obj_alloc(ia->hdr.provider, type, sizeof(*sp), ia);
	if (!sp)
		return DAT_ERROR(DAT_INSUFFICIENT_RESOURCES, DAT_RESOURCE_MEMORY);
	sp->evd = evd;
	sp->qual = qual;
	sp->addr = *addr;
	ret = listen_on(ia, sp, addr, call);
	if (ret != DAT_SUCCESS) {
		dapl_obj_free(sp);
		return ret;
	}
	*out = sp;
	return DAT_SUCCESS;
}

/* The IA, CR EVD and listen address checks every SP create shares. */
static DAT_RETURN sp_args(DAT_IA_HANDLE ia_handle, DAT_EVD_HANDLE evd_handle,
			  struct dapl_ia **ia, struct dapl_evd **evd)
{
	*ia = dapl_obj_get(ia_handle, DAT_HANDLE_TYPE_IA);
	if (!*ia)
		return dapl_bad_handle(DAT_HANDLE_TYPE_IA);
	*evd = dapl_obj_get(evd_handle, DAT_HANDLE_TYPE_EVD);
	if (!*evd || (*evd)->hdr.ia != *ia || !((*evd)->flags & DAT_EVD_CR_FLAG))
		return DAT_ERROR(DAT_INVALID_HANDLE, DAT_INVALID_HANDLE_EVD_CR);
	return DAT_SUCCESS;
}

static DAT_RETURN psp_flags_ok(DAT_PSP_FLAGS flags)
{
	if (flags == DAT_PSP_CONSUMER_FLAG)
		return DAT_SUCCESS;
	if (flags == DAT_PSP_PROVIDER_FLAG) {
		dapl_log(DAPL_DBG_WARN,
			 "dat_psp_create: DAT_PSP_PROVIDER_FLAG is not supported (ep_creator is DAT_PSP_CREATES_EP_NEVER); create the EP and accept with it");
		return DAT_ERROR(DAT_MODEL_NOT_SUPPORTED, DAT_NO_SUBTYPE);
	}
	return DAT_ERROR(DAT_INVALID_PARAMETER, DAT_INVALID_ARG4);
}

static DAT_RETURN DAT_API psp_create(DAT_IA_HANDLE ia_handle, DAT_CONN_QUAL qual,
				     DAT_EVD_HANDLE evd_handle, DAT_PSP_FLAGS flags,
				     DAT_PSP_HANDLE *out)
{
	struct sockaddr_storage addr;
	struct dapl_evd *evd;
	struct dapl_ia *ia;
	struct dapl_sp *sp;
	DAT_RETURN ret;

	ret = sp_args(ia_handle, evd_handle, &ia, &evd);
	if (ret != DAT_SUCCESS)
		return ret;
	ret = psp_flags_ok(flags);
	if (ret != DAT_SUCCESS)
		return ret;
	if (!out)
		return DAT_ERROR(DAT_INVALID_PARAMETER, DAT_INVALID_ARG5);
	addr = ia->local;
	set_port(&addr, dapl_conn_qual_to_port(qual));
	ret = sp_create(ia, DAT_HANDLE_TYPE_PSP, qual, &addr, evd,
			"dat_psp_create", &sp);
	if (ret != DAT_SUCCESS)
		return ret;
	sp->flags = flags;
	*out = sp;
	return DAT_SUCCESS;
}

/*
 * The kernel picks a free port (OFA counts up from 1024 instead); the
 * qualifier reported is that port, which maps to itself on either side.
 */
static DAT_RETURN DAT_API psp_create_any(DAT_IA_HANDLE ia_handle, DAT_CONN_QUAL *qual,
					 DAT_EVD_HANDLE evd_handle, DAT_PSP_FLAGS flags,
					 DAT_PSP_HANDLE *out)
{
	struct sockaddr_storage addr;
	struct dapl_evd *evd;
	struct dapl_ia *ia;
	struct dapl_sp *sp;
	DAT_RETURN ret;

	ret = sp_args(ia_handle, evd_handle, &ia, &evd);
	if (ret != DAT_SUCCESS)
		return ret;
	if (!qual)
		return DAT_ERROR(DAT_INVALID_PARAMETER, DAT_INVALID_ARG2);
	ret = psp_flags_ok(flags);
	if (ret != DAT_SUCCESS)
		return ret;
	if (!out)
		return DAT_ERROR(DAT_INVALID_PARAMETER, DAT_INVALID_ARG5);
	addr = ia->local;
	set_port(&addr, 0);
	ret = sp_create(ia, DAT_HANDLE_TYPE_PSP, 0, &addr, evd,
			"dat_psp_create_any", &sp);
	if (ret != DAT_SUCCESS)
		return ret;
	sp->qual = ual_listener_port(sp->lis);
	sp->flags = flags;
	*qual = sp->qual;
	*out = sp;
	return DAT_SUCCESS;
}

static void sp_destroy(struct dapl_sp *sp)
{
	ual_listener_destroy(sp->lis);
	__atomic_sub_fetch(&sp->evd->refs, 1, __ATOMIC_ACQ_REL);
	if (sp->ep && dapl_obj_get(sp->ep, DAT_HANDLE_TYPE_EP) == sp->ep)
		dapl_ep_set_reserved(sp->ep, false);
	dapl_obj_free(sp);
}

static void sp_destructor(struct dapl_hdr *h)
{
	sp_destroy((struct dapl_sp *)h);
}

static DAT_RETURN sp_free(DAT_HANDLE h, DAT_HANDLE_TYPE type)
{
	struct dapl_sp *sp = sp_get(h, type);

	if (!sp)
		return dapl_bad_handle(type);
	sp_destroy(sp);
	return DAT_SUCCESS;
}

static DAT_RETURN DAT_API psp_free(DAT_PSP_HANDLE h)
{
	return sp_free(h, DAT_HANDLE_TYPE_PSP);
}

static DAT_RETURN DAT_API rsp_free(DAT_RSP_HANDLE h)
{
	return sp_free(h, DAT_HANDLE_TYPE_RSP);
}

static DAT_RETURN DAT_API csp_free(DAT_CSP_HANDLE h)
{
	return sp_free(h, DAT_HANDLE_TYPE_CSP);
}

static DAT_RETURN DAT_API psp_query(DAT_PSP_HANDLE h, DAT_PSP_PARAM_MASK mask,
				    DAT_PSP_PARAM *param)
{
	struct dapl_sp *sp = sp_get(h, DAT_HANDLE_TYPE_PSP);

	if (!sp)
		return dapl_bad_handle(DAT_HANDLE_TYPE_PSP);
	if (!param)
		return DAT_ERROR(DAT_INVALID_PARAMETER, DAT_INVALID_ARG3);
	(void)mask;
	dats_get_ia_handle(sp->hdr.ia, &param->ia_handle);
	param->conn_qual = sp->qual;
	param->evd_handle = sp->evd;
	param->psp_flags = sp->flags;
	return DAT_SUCCESS;
}

static DAT_RETURN DAT_API rsp_create(DAT_IA_HANDLE ia_handle, DAT_CONN_QUAL qual,
				     DAT_EP_HANDLE ep_handle, DAT_EVD_HANDLE evd_handle,
				     DAT_RSP_HANDLE *out)
{
	struct sockaddr_storage addr;
	struct dapl_evd *evd;
	struct dapl_ep *ep;
	struct dapl_ia *ia;
	struct dapl_sp *sp;
	DAT_RETURN ret;

	ret = sp_args(ia_handle, evd_handle, &ia, &evd);
	if (ret != DAT_SUCCESS)
		return ret;
	ep = dapl_obj_get(ep_handle, DAT_HANDLE_TYPE_EP);
	if (!ep || ep->hdr.ia != ia)
		return dapl_bad_handle(DAT_HANDLE_TYPE_EP);
	if (dapl_ep_state(ep) != DAT_EP_STATE_UNCONNECTED)
		return DAT_ERROR(DAT_INVALID_STATE, DAT_INVALID_STATE_EP_NOTREADY);
	if (!out)
		return DAT_ERROR(DAT_INVALID_PARAMETER, DAT_INVALID_ARG5);
	addr = ia->local;
	set_port(&addr, dapl_conn_qual_to_port(qual));
	ret = sp_create(ia, DAT_HANDLE_TYPE_RSP, qual, &addr, evd,
			"dat_rsp_create", &sp);
	if (ret != DAT_SUCCESS)
		return ret;
	sp->ep = ep;
	dapl_ep_set_reserved(ep, true);
	*out = sp;
	return DAT_SUCCESS;
}

static DAT_RETURN DAT_API rsp_query(DAT_RSP_HANDLE h, DAT_RSP_PARAM_MASK mask,
				    DAT_RSP_PARAM *param)
{
	struct dapl_sp *sp = sp_get(h, DAT_HANDLE_TYPE_RSP);

	if (!sp)
		return dapl_bad_handle(DAT_HANDLE_TYPE_RSP);
	if (!param)
		return DAT_ERROR(DAT_INVALID_PARAMETER, DAT_INVALID_ARG3);
	(void)mask;
	dats_get_ia_handle(sp->hdr.ia, &param->ia_handle);
	param->conn_qual = sp->qual;
	param->evd_handle = sp->evd;
	param->ep_handle = sp->ep;
	return DAT_SUCCESS;
}

static DAT_RETURN DAT_API csp_create(DAT_IA_HANDLE ia_handle, DAT_COMM *comm,
				     DAT_IA_ADDRESS_PTR address,
				     DAT_EVD_HANDLE evd_handle, DAT_CSP_HANDLE *out)
{
	struct sockaddr_storage addr = { 0 };
	struct dapl_evd *evd;
	struct dapl_ia *ia;
	struct dapl_sp *sp;
	DAT_RETURN ret;

	ret = sp_args(ia_handle, evd_handle, &ia, &evd);
	if (ret != DAT_SUCCESS)
		return ret;
	if (!address || (address->sa_family != AF_INET &&
			 address->sa_family != AF_INET6))
		return DAT_ERROR(DAT_INVALID_PARAMETER, DAT_INVALID_ARG3);
	if (!out)
		return DAT_ERROR(DAT_INVALID_PARAMETER, DAT_INVALID_ARG5);
	memcpy(&addr, address, address->sa_family == AF_INET ?
	       sizeof(struct sockaddr_in) : sizeof(struct sockaddr_in6));
	ret = sp_create(ia, DAT_HANDLE_TYPE_CSP, port_of(&addr), &addr, evd,
			"dat_csp_create", &sp);
	if (ret != DAT_SUCCESS)
		return ret;
	sp->comm = comm;
	*out = sp;
	return DAT_SUCCESS;
}

static DAT_RETURN DAT_API csp_query(DAT_CSP_HANDLE h, DAT_CSP_PARAM_MASK mask,
				    DAT_CSP_PARAM *param)
{
	struct dapl_sp *sp = sp_get(h, DAT_HANDLE_TYPE_CSP);

	if (!sp)
		return dapl_bad_handle(DAT_HANDLE_TYPE_CSP);
	if (!param)
		return DAT_ERROR(DAT_INVALID_PARAMETER, DAT_INVALID_ARG3);
	(void)mask;
	dats_get_ia_handle(sp->hdr.ia, &param->ia_handle);
	param->comm = sp->comm;
	param->address_ptr = (DAT_IA_ADDRESS_PTR)&sp->addr;
	param->evd_handle = sp->evd;
	return DAT_SUCCESS;
}

/* ---- connection requests -------------------------------------------- */

static void reject_raw(struct ual_conn_req *req, const void *pdata, uint32_t len)
{
	uint8_t buf[UAL_PDATA_MAX];

	memcpy(buf, reject_hdr, DAPL_REJECT_HDR_LEN);
	if (len)
		memcpy(buf + DAPL_REJECT_HDR_LEN, pdata, len);
	ual_reject(req, buf, DAPL_REJECT_HDR_LEN + len, NULL);
}

bool dapl_cr_from_event(struct dapl_evd *evd, const struct ual_event *ev,
			DAT_CR_ARRIVAL_EVENT_DATA *out)
{
	struct dapl_hdr *h = dapl_hdr_get(ev->context);
	struct dapl_ia *ia = evd->hdr.ia;
	struct dapl_cr *cr;

	if (!h || (h->type != DAT_HANDLE_TYPE_PSP && h->type != DAT_HANDLE_TYPE_RSP &&
		   h->type != DAT_HANDLE_TYPE_CSP)) {
		/* Its service point was freed: tell the peer at once. */
		reject_raw(ev->req, NULL, 0);
		return false;
	}
	cr = dapl_obj_alloc(ia->hdr.provider, DAT_HANDLE_TYPE_CR, sizeof(*cr), ia);
	if (!cr) {
		dapl_log(DAPL_DBG_ERR, "connection request: out of memory; rejected");
		reject_raw(ev->req, NULL, 0);
		return false;
	}
	cr->req = ev->req;
	cr->sp = (struct dapl_sp *)h;
	cr->sp_type = h->type;
	cr->qual = cr->sp->qual;
	cr->remote = ev->remote_addr;
	cr->pdata_len = ev->private_data_len;
	memcpy(cr->pdata, ev->private_data, ev->private_data_len);
	out->sp_handle.psp_handle = h;
	out->local_ia_address_ptr = (DAT_IA_ADDRESS_PTR)&ia->local;
	out->conn_qual = cr->qual;
	out->cr_handle = cr;
	out->truncate_flag = DAT_FALSE;
	return true;
}

static void cr_destructor(struct dapl_hdr *h)
{
	struct dapl_cr *cr = (struct dapl_cr *)h;

	reject_raw(cr->req, NULL, 0);
	dapl_obj_free(cr);
}

/* The RSP's EP, if @cr came through an RSP that still has it. */
static struct dapl_ep *rsp_ep(struct dapl_cr *cr)
{
	if (cr->sp_type != DAT_HANDLE_TYPE_RSP ||
	    dapl_obj_get(cr->sp, DAT_HANDLE_TYPE_RSP) != cr->sp)
		return NULL;
	return dapl_obj_get(cr->sp->ep, DAT_HANDLE_TYPE_EP);
}

static DAT_RETURN accept_checks(struct dapl_cr *cr, struct dapl_ep *ep,
				DAT_COUNT size, const DAT_PVOID pdata)
{
	DAT_EP_STATE st;

	if (!ep || ep->hdr.ia != cr->hdr.ia)
		return dapl_bad_handle(DAT_HANDLE_TYPE_EP);
	if (size < 0)
		return DAT_ERROR(DAT_INVALID_PARAMETER, DAT_INVALID_ARG3);
	if (size && !pdata)
		return DAT_ERROR(DAT_INVALID_PARAMETER, DAT_INVALID_ARG4);
	if ((uint32_t)size > cr->hdr.ia->attr.pdata.accept) {
		dapl_log(DAPL_DBG_ERR,
			 "dat_cr_accept: %d bytes of private data, %s carries at most %u",
			 size, cr->hdr.ia->attr.name, cr->hdr.ia->attr.pdata.accept);
		return DAT_ERROR(DAT_LENGTH_ERROR, DAT_NO_SUBTYPE);
	}
	if (!ep->ep)
		return DAT_ERROR(DAT_INVALID_STATE, DAT_INVALID_STATE_EP_UNCONFIGURED);
	if (!ep->connect_evd)
		return DAT_ERROR(DAT_INVALID_STATE, DAT_INVALID_STATE_EP_EVD_CONNECT);
	st = dapl_ep_state(ep);
	if (st != DAT_EP_STATE_UNCONNECTED && st != DAT_EP_STATE_RESERVED)
		return DAT_ERROR(DAT_INVALID_STATE, DAT_INVALID_STATE_EP_NOTREADY);
	return DAT_SUCCESS;
}

static DAT_RETURN DAT_API cr_accept(DAT_CR_HANDLE cr_handle, DAT_EP_HANDLE ep_handle,
				    DAT_COUNT size, const DAT_PVOID pdata)
{
	struct dapl_cr *cr = dapl_obj_get(cr_handle, DAT_HANDLE_TYPE_CR);
	struct ual_error err = { 0 };
	struct dapl_ep *ep;
	DAT_RETURN ret;
	int rc;

	if (!cr)
		return dapl_bad_handle(DAT_HANDLE_TYPE_CR);
	ep = ep_handle ? dapl_obj_get(ep_handle, DAT_HANDLE_TYPE_EP) : rsp_ep(cr);
	ret = accept_checks(cr, ep, size, pdata);
	if (ret != DAT_SUCCESS)
		return ret;
	rc = ual_accept(cr->req, ep->ep, pdata, size, &err);
	/* The request is consumed whatever the outcome (ual.h). */
	if (cr->sp_type == DAT_HANDLE_TYPE_RSP)
		dapl_ep_set_reserved(ep, false);
	dapl_obj_free(cr);
	if (rc)
		return dapl_status_log("dat_cr_accept", rc, &err);
	return DAT_SUCCESS;
}

static DAT_RETURN DAT_API cr_reject(DAT_CR_HANDLE cr_handle, DAT_COUNT size,
				    const DAT_PVOID pdata)
{
	struct dapl_cr *cr = dapl_obj_get(cr_handle, DAT_HANDLE_TYPE_CR);
	uint32_t max;

	if (!cr)
		return dapl_bad_handle(DAT_HANDLE_TYPE_CR);
	if (size < 0)
		return DAT_ERROR(DAT_INVALID_PARAMETER, DAT_INVALID_ARG2);
	if (size && !pdata)
		return DAT_ERROR(DAT_INVALID_PARAMETER, DAT_INVALID_ARG3);
	max = cr->hdr.ia->attr.pdata.reject;
	max = max > DAPL_REJECT_HDR_LEN ? max - DAPL_REJECT_HDR_LEN : 0;
	if ((uint32_t)size > max) {
		dapl_log(DAPL_DBG_ERR,
			 "dat_cr_reject: %d bytes of private data, %s carries at most %u after the 4-byte DAPL header",
			 size, cr->hdr.ia->attr.name, max);
		return DAT_ERROR(DAT_LENGTH_ERROR, DAT_NO_SUBTYPE);
	}
	reject_raw(cr->req, pdata, size);
	dapl_obj_free(cr);
	return DAT_SUCCESS;
}

/* The live PSP of @ia listening on @qual, or NULL. */
static struct dapl_sp *psp_of_qual(struct dapl_ia *ia, DAT_CONN_QUAL qual)
{
	struct dapl_sp *found = NULL;
	struct dapl_hdr *h;

	pthread_mutex_lock(&ia->lock);
	for (h = ia->objects.next; h != &ia->objects; h = h->next)
		if (h->type == DAT_HANDLE_TYPE_PSP &&
		    ((struct dapl_sp *)h)->qual == qual) {
			found = (struct dapl_sp *)h;
			break;
		}
	pthread_mutex_unlock(&ia->lock);
	return found;
}

static DAT_RETURN DAT_API cr_handoff(DAT_CR_HANDLE cr_handle, DAT_CONN_QUAL qual)
{
	struct dapl_cr *cr = dapl_obj_get(cr_handle, DAT_HANDLE_TYPE_CR);
	struct ual_error err = { 0 };
	struct dapl_sp *to;
	int rc;

	if (!cr)
		return dapl_bad_handle(DAT_HANDLE_TYPE_CR);
	to = psp_of_qual(cr->hdr.ia, qual);
	if (!to) {
		dapl_log(DAPL_DBG_ERR,
			 "dat_cr_handoff: no PSP of this IA listens on connection qualifier %llu",
			 (unsigned long long)qual);
		return DAT_ERROR(DAT_INVALID_PARAMETER, DAT_INVALID_ARG2);
	}
	rc = ual_conn_req_handoff(cr->req, to->lis, &err);
	if (rc)
		return dapl_status_log("dat_cr_handoff", rc, &err);
	dapl_obj_free(cr);
	return DAT_SUCCESS;
}

static DAT_RETURN DAT_API cr_query(DAT_CR_HANDLE cr_handle, DAT_CR_PARAM_MASK mask,
				   DAT_CR_PARAM *param)
{
	struct dapl_cr *cr = dapl_obj_get(cr_handle, DAT_HANDLE_TYPE_CR);

	if (!cr)
		return dapl_bad_handle(DAT_HANDLE_TYPE_CR);
	if (!param)
		return DAT_ERROR(DAT_INVALID_PARAMETER, DAT_INVALID_ARG3);
	(void)mask;
	param->remote_ia_address_ptr = (DAT_IA_ADDRESS_PTR)&cr->remote;
	param->remote_port_qual = port_of(&cr->remote);
	param->private_data_size = cr->pdata_len;
	param->private_data = cr->pdata_len ? cr->pdata : NULL;
	param->local_ep_handle = rsp_ep(cr);
	return DAT_SUCCESS;
}

void dapl_cm_ops(DAT_PROVIDER *p)
{
	p->psp_create_func = psp_create;
	p->psp_create_any_func = psp_create_any;
	p->psp_query_func = psp_query;
	p->psp_free_func = psp_free;
	p->rsp_create_func = rsp_create;
	p->rsp_query_func = rsp_query;
	p->rsp_free_func = rsp_free;
	p->csp_create_func = csp_create;
	p->csp_query_func = csp_query;
	p->csp_free_func = csp_free;
	p->cr_query_func = cr_query;
	p->cr_accept_func = cr_accept;
	p->cr_reject_func = cr_reject;
	p->cr_handoff_func = cr_handoff;
	dapl_register_destructor(DAT_HANDLE_TYPE_CR, cr_destructor);
	dapl_register_destructor(DAT_HANDLE_TYPE_PSP, sp_destructor);
	dapl_register_destructor(DAT_HANDLE_TYPE_RSP, sp_destructor);
	dapl_register_destructor(DAT_HANDLE_TYPE_CSP, sp_destructor);
}
