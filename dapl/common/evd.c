// SPDX-License-Identifier: BSD-3-Clause OR GPL-2.0-only
/*
 * EVD: an event dispatcher.  The DTO and RMR-bind streams come from a
 * layer CQ, the connection, CR, async and software streams from a layer
 * event queue; an EVD has whichever its flags need.  DTO and CONNECTION
 * in one EVD are refused (DAT_INVALID_PARAMETER, as OFA: its
 * evd_stream_merging_supported[DTO][CONNECTION] is false).
 *
 * Events are converted (event.c) into a ring of DAT_EVENTs of the EVD's
 * qlen as they are read, so that dat_evd_wait can count them against its
 * threshold and report how many more are queued.  Queues carrying
 * connection or CR events run on the layer's automatic progress, so a
 * connection is established or torn down while the consumer waits on a
 * DTO EVD only.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include "dapl.h"

DAT_RETURN DAT_API dats_get_ia_handle(DAT_IA_HANDLE handle, DAT_IA_HANDLE *out);

#define EVD_STREAMS (DAT_EVD_SOFTWARE_FLAG | DAT_EVD_CR_FLAG | \
		     DAT_EVD_DTO_FLAG | DAT_EVD_CONNECTION_FLAG | \
		     DAT_EVD_RMR_BIND_FLAG | DAT_EVD_ASYNC_FLAG)
#define EVD_CQ_STREAMS (DAT_EVD_DTO_FLAG | DAT_EVD_RMR_BIND_FLAG)
#define EVD_EQ_STREAMS (DAT_EVD_SOFTWARE_FLAG | DAT_EVD_CR_FLAG | \
			DAT_EVD_CONNECTION_FLAG | DAT_EVD_ASYNC_FLAG)
#define EVD_EP_CACHE 8		/* QP number -> EP lookups remembered */
#define EVD_POLL_BATCH 16

struct evd {
	struct dapl_evd		pub;
	pthread_mutex_t		lock;		/* ring, cache, states */
	DAT_EVENT		*ring;
	unsigned int		head, count, size;
	bool			enabled;
	bool			waitable;
	int			waiters;
	int			wake_fd;	/* eventfd: set_unwaitable */
	struct {
		uint32_t	qpn;
		struct dapl_ep	*ep;
	} ep_cache[EVD_EP_CACHE];
	unsigned int		ep_cache_next;
};

static struct evd *evd_of(struct dapl_evd *e)
{
	return (struct evd *)e;
}

/* ---- the ring ------------------------------------------------------- */

static DAT_EVENT *ring_slot(struct evd *e)
{
	return &e->ring[(e->head + e->count) % e->size];
}

static void ring_pop(struct evd *e, DAT_EVENT *out)
{
	*out = e->ring[e->head];
	e->head = (e->head + 1) % e->size;
	e->count--;
}

/* The endpoint of a completion: remembered, else looked up in the IA. */
static struct dapl_ep *ep_of_qpn(struct evd *e, uint32_t qpn)
{
	struct dapl_ia *ia = e->pub.hdr.ia;
	struct dapl_ep *ep = NULL;
	struct dapl_hdr *h;
	unsigned int i;

	for (i = 0; i < EVD_EP_CACHE; i++) {
		ep = e->ep_cache[i].ep;
		if (ep && e->ep_cache[i].qpn == qpn &&
		    dapl_obj_get(ep, DAT_HANDLE_TYPE_EP) == ep && ep->ep &&
		    ual_ep_qp_num(ep->ep) == qpn)
			return ep;
	}
	ep = NULL;
	pthread_mutex_lock(&ia->lock);
	for (h = ia->objects.next; h != &ia->objects; h = h->next) {
		struct dapl_ep *cand = (struct dapl_ep *)h;

		if (h->type == DAT_HANDLE_TYPE_EP && cand->ep &&
		    ual_ep_qp_num(cand->ep) == qpn) {
			ep = cand;
			break;
		}
	}
	pthread_mutex_unlock(&ia->lock);
	if (ep) {
		i = e->ep_cache_next++ % EVD_EP_CACHE;
		e->ep_cache[i].qpn = qpn;
		e->ep_cache[i].ep = ep;
	}
	return ep;
}

/*
 * Reads what the layer has into the ring (under e->lock); returns how
 * many events arrived, for the CNO notification the caller makes after
 * unlocking.
 */
static unsigned int fill(struct evd *e)
{
	struct ual_wc wc[EVD_POLL_BATCH];
	unsigned int before = e->count;
	struct ual_event ev;
	int n, i;

	while (e->pub.eq && e->count < e->size &&
	       ual_eq_poll(e->pub.eq, &ev, 1) == 1) {
		DAT_EVENT *slot = ring_slot(e);

		if (dapl_event_from_ual(&e->pub, &ev, slot))
			e->count++;
	}
	while (e->pub.cq && e->count < e->size) {
		unsigned int room = e->size - e->count;

		n = ual_cq_poll(e->pub.cq, wc,
				room < EVD_POLL_BATCH ? (int)room : EVD_POLL_BATCH);
		if (n <= 0) {
			if (n < 0)
				dapl_log(DAPL_DBG_ERR, "EVD %p: polling its CQ failed: %s",
					 (void *)e, strerror(-n));
			break;
		}
		for (i = 0; i < n; i++) {
			DAT_EVENT *slot = ring_slot(e);

			dapl_event_from_wc(&e->pub, ep_of_qpn(e, wc[i].qp_num),
					   &wc[i], slot);
			e->count++;
		}
		if (n < EVD_POLL_BATCH)
			break;
	}
	return e->count - before;
}

/* Tells the EVD's CNO, if any, that events arrived (e->lock not held). */
static void notify(struct evd *e, unsigned int arrived)
{
	struct dapl_cno *cno = __atomic_load_n(&e->pub.cno, __ATOMIC_ACQUIRE);

	if (arrived && cno && e->enabled)
		dapl_cno_notify(cno, &e->pub);
}

/* ---- creation and freeing ------------------------------------------- */

static DAT_RETURN check_flags(DAT_EVD_FLAGS flags)
{
	if (!flags || (flags & ~EVD_STREAMS))
		return DAT_ERROR(DAT_INVALID_PARAMETER, DAT_INVALID_ARG4);
	if ((flags & DAT_EVD_DTO_FLAG) && (flags & DAT_EVD_CONNECTION_FLAG)) {
		dapl_log(DAPL_DBG_WARN,
			 "dat_evd_create: DTO and CONNECTION streams cannot share an EVD (flags 0x%x); create one EVD for each",
			 (unsigned int)flags);
		return DAT_ERROR(DAT_INVALID_PARAMETER, DAT_INVALID_ARG4);
	}
	return DAT_SUCCESS;
}

static void evd_release(struct evd *e)
{
	if (e->pub.cno)
		dapl_cno_detach(e->pub.cno, &e->pub);
	ual_cq_destroy(e->pub.cq, NULL);
	ual_eq_destroy(e->pub.eq);
	if (e->wake_fd >= 0)
		close(e->wake_fd);
	free(e->ring);
	pthread_mutex_destroy(&e->lock);
	dapl_obj_free(e);
}

static DAT_RETURN evd_create(struct dapl_ia *ia, DAT_COUNT qlen,
			     DAT_EVD_FLAGS flags, struct evd **out)
{
	struct ual_error err = { 0 };
	struct evd *e;
	int rc = 0;

	e = dapl_obj_alloc(ia->hdr.provider, DAT_HANDLE_TYPE_EVD, sizeof(*e), ia);
	if (!e)
		return DAT_ERROR(DAT_INSUFFICIENT_RESOURCES, DAT_RESOURCE_MEMORY);
	pthread_mutex_init(&e->lock, NULL);
	e->pub.flags = flags;
	e->pub.qlen = qlen;
	e->size = qlen;
	e->enabled = e->waitable = true;
	e->wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	e->ring = calloc(qlen, sizeof(*e->ring));
	if (!e->ring || e->wake_fd < 0) {
		evd_release(e);
		return DAT_ERROR(DAT_INSUFFICIENT_RESOURCES, DAT_RESOURCE_MEMORY);
	}
	if (flags & EVD_CQ_STREAMS)
		rc = ual_cq_create(ia->dev, qlen, e, &e->pub.cq, &err);
	if (!rc && (flags & EVD_EQ_STREAMS))
		rc = ual_eq_create(ia->dev, e, &e->pub.eq, &err);
	/* Connections progress while the consumer waits on DTO EVDs only. */
	if (!rc && (flags & (DAT_EVD_CONNECTION_FLAG | DAT_EVD_CR_FLAG)))
		rc = ual_eq_set_auto_progress(e->pub.eq, 1, &err);
	if (rc) {
		evd_release(e);
		return dapl_status_log("dat_evd_create", rc, &err);
	}
	*out = e;
	return DAT_SUCCESS;
}

static DAT_RETURN DAT_API evd_create_call(DAT_IA_HANDLE ia_handle, DAT_COUNT qlen,
					  DAT_CNO_HANDLE cno_handle,
					  DAT_EVD_FLAGS flags, DAT_EVD_HANDLE *out)
{
	struct dapl_ia *ia = dapl_obj_get(ia_handle, DAT_HANDLE_TYPE_IA);
	struct dapl_cno *cno = NULL;
	struct evd *e;
	DAT_RETURN ret;

	if (!ia)
		return dapl_bad_handle(DAT_HANDLE_TYPE_IA);
	if (qlen <= 0 || (uint32_t)qlen > ia->attr.max_cqe)
		return DAT_ERROR(DAT_INVALID_PARAMETER, DAT_INVALID_ARG2);
	if (cno_handle != DAT_HANDLE_NULL) {
		cno = dapl_obj_get(cno_handle, DAT_HANDLE_TYPE_CNO);
		if (!cno)
			return dapl_bad_handle(DAT_HANDLE_TYPE_CNO);
	}
	ret = check_flags(flags);
	if (ret != DAT_SUCCESS)
		return ret;
	if (!out)
		return DAT_ERROR(DAT_INVALID_PARAMETER, DAT_INVALID_ARG5);
	ret = evd_create(ia, qlen, flags, &e);
	if (ret != DAT_SUCCESS)
		return ret;
	if (cno) {
		ret = dapl_cno_attach(cno, &e->pub);
		if (ret != DAT_SUCCESS) {
			evd_release(e);
			return ret;
		}
	}
	e->pub.cno = cno;
	*out = e;
	return DAT_SUCCESS;
}

DAT_RETURN dapl_evd_create_async(struct dapl_ia *ia, DAT_COUNT qlen,
				 struct dapl_evd **evd)
{
	struct ual_error err = { 0 };
	struct evd *e;
	DAT_RETURN ret;
	int rc;

	ret = evd_create(ia, qlen, DAT_EVD_ASYNC_FLAG, &e);
	if (ret != DAT_SUCCESS)
		return ret;
	rc = ual_device_set_async(ia->dev, e->pub.eq, e->pub.eq, &err);
	if (rc) {
		evd_release(e);
		return dapl_status_log("dat_ia_open (async EVD)", rc, &err);
	}
	*evd = &e->pub;
	return DAT_SUCCESS;
}

void dapl_evd_free_async(struct dapl_evd *evd)
{
	if (!evd)
		return;
	ual_device_set_async(evd->hdr.ia->dev, NULL, NULL, NULL);
	evd_release(evd_of(evd));
}

static void evd_destructor(struct dapl_hdr *h)
{
	struct dapl_evd *evd = (struct dapl_evd *)h;

	if (evd == evd->hdr.ia->async_evd)
		ual_device_set_async(evd->hdr.ia->dev, NULL, NULL, NULL);
	evd_release(evd_of(evd));
}

static DAT_RETURN DAT_API evd_free(DAT_EVD_HANDLE handle)
{
	struct dapl_evd *evd = dapl_obj_get(handle, DAT_HANDLE_TYPE_EVD);

	if (!evd)
		return dapl_bad_handle(DAT_HANDLE_TYPE_EVD);
	if (__atomic_load_n(&evd->refs, __ATOMIC_ACQUIRE) ||
	    evd == evd->hdr.ia->async_evd)
		return DAT_ERROR(DAT_INVALID_STATE, DAT_INVALID_STATE_EVD_IN_USE);
	if (evd_of(evd)->waiters)
		return DAT_ERROR(DAT_INVALID_STATE, DAT_INVALID_STATE_EVD_WAITER);
	evd_release(evd_of(evd));
	return DAT_SUCCESS;
}

/* ---- dequeue and wait ----------------------------------------------- */

static DAT_RETURN DAT_API evd_dequeue(DAT_EVD_HANDLE handle, DAT_EVENT *event)
{
	struct dapl_evd *evd = dapl_obj_get(handle, DAT_HANDLE_TYPE_EVD);
	DAT_RETURN ret = DAT_SUCCESS;
	unsigned int arrived = 0;
	struct evd *e;

	if (!evd)
		return dapl_bad_handle(DAT_HANDLE_TYPE_EVD);
	if (!event)
		return DAT_ERROR(DAT_INVALID_PARAMETER, DAT_INVALID_ARG2);
	e = evd_of(evd);
	pthread_mutex_lock(&e->lock);
	if (!e->count)
		arrived = fill(e);
	if (e->count)
		ring_pop(e, event);
	else
		ret = DAT_ERROR(DAT_QUEUE_EMPTY, DAT_NO_SUBTYPE);
	pthread_mutex_unlock(&e->lock);
	notify(e, arrived && e->count);
	return ret;
}

static int64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* Milliseconds to sleep until @deadline (µs, -1 = never), rounded up. */
static int ms_left(int64_t deadline)
{
	int64_t left;

	if (deadline < 0)
		return -1;
	left = deadline - now_us();
	if (left <= 0)
		return 0;
	return left / 1000 + 1 > 60000 ? 60000 : (int)(left / 1000 + 1);
}

/* Sleeps until the CQ, the queue or the wake-up fd may have news. */
static void sleep_on(struct evd *e, int ms)
{
	struct pollfd pfd[3];
	int n = 0, cq_idx = -1;
	uint64_t v;

	if (e->pub.cq) {
		cq_idx = n;
		pfd[n].fd = ual_cq_fd(e->pub.cq);
		pfd[n++].events = POLLIN;
	}
	if (e->pub.eq) {
		pfd[n].fd = ual_eq_fd(e->pub.eq);
		pfd[n++].events = POLLIN;
	}
	pfd[n].fd = e->wake_fd;
	pfd[n++].events = POLLIN;
	if (poll(pfd, n, ms) <= 0)
		return;
	if (cq_idx >= 0 && (pfd[cq_idx].revents & POLLIN))
		ual_cq_ack_wakeup(e->pub.cq);
	if ((pfd[n - 1].revents & POLLIN) &&
	    read(e->wake_fd, &v, sizeof(v)) < 0 && errno != EAGAIN)
		dapl_log(DAPL_DBG_WARN, "EVD %p: reading its wake-up fd: %s",
			 (void *)e, strerror(errno));
}

static DAT_RETURN wait_checks(struct evd *e, DAT_COUNT threshold)
{
	if (threshold <= 0 || threshold > e->pub.qlen)
		return DAT_ERROR(DAT_INVALID_PARAMETER, DAT_INVALID_ARG3);
	if (!e->waitable)
		return DAT_ERROR(DAT_INVALID_STATE, DAT_INVALID_STATE_EVD_UNWAITABLE);
	if (e->waiters)
		return DAT_ERROR(DAT_INVALID_STATE, DAT_INVALID_STATE_EVD_IN_USE);
	return DAT_SUCCESS;
}

static DAT_RETURN DAT_API evd_wait(DAT_EVD_HANDLE handle, DAT_TIMEOUT timeout,
				   DAT_COUNT threshold, DAT_EVENT *event,
				   DAT_COUNT *nmore)
{
	struct dapl_evd *evd = dapl_obj_get(handle, DAT_HANDLE_TYPE_EVD);
	unsigned int arrived = 0;
	int64_t deadline = -1;
	DAT_RETURN ret;
	struct evd *e;
	int ms;

	if (!evd)
		return dapl_bad_handle(DAT_HANDLE_TYPE_EVD);
	if (!event)
		return DAT_ERROR(DAT_INVALID_PARAMETER, DAT_INVALID_ARG4);
	e = evd_of(evd);
	if (timeout != DAT_TIMEOUT_INFINITE)
		deadline = now_us() + timeout;
	pthread_mutex_lock(&e->lock);
	ret = wait_checks(e, threshold);
	if (ret != DAT_SUCCESS) {
		pthread_mutex_unlock(&e->lock);
		return ret;
	}
	e->waiters++;
	for (;;) {
		arrived += fill(e);
		if (e->count >= (unsigned int)threshold) {
			ring_pop(e, event);
			break;
		}
		if (!e->waitable) {
			ret = DAT_ERROR(DAT_INVALID_STATE, DAT_INVALID_STATE_EVD_UNWAITABLE);
			break;
		}
		ms = ms_left(deadline);
		if (!ms) {
			ret = DAT_ERROR(DAT_TIMEOUT_EXPIRED, DAT_NO_SUBTYPE);
			break;
		}
		/* Arm, then look again: a completion in between is not lost. */
		if (e->pub.cq)
			ual_cq_arm(e->pub.cq, 0);
		arrived += fill(e);
		if (e->count >= (unsigned int)threshold)
			continue;
		pthread_mutex_unlock(&e->lock);
		sleep_on(e, ms);
		pthread_mutex_lock(&e->lock);
	}
	e->waiters--;
	if (nmore)
		*nmore = e->count;
	pthread_mutex_unlock(&e->lock);
	notify(e, arrived && nmore && *nmore);
	return ret;
}

/* ---- the CNO's view (see dapl.h) ------------------------------------ */

int dapl_evd_arm_fds(struct dapl_evd *evd, int *fds, int max)
{
	int n = 0;

	if (evd->cq && n < max) {
		ual_cq_arm(evd->cq, 0);
		fds[n++] = ual_cq_fd(evd->cq);
	}
	if (evd->eq && n < max)
		fds[n++] = ual_eq_fd(evd->eq);
	return n;
}

bool dapl_evd_ready(struct dapl_evd *evd)
{
	struct evd *e = evd_of(evd);
	bool ready;

	pthread_mutex_lock(&e->lock);
	if (!e->count)
		fill(e);
	ready = e->count > 0 && e->enabled;
	pthread_mutex_unlock(&e->lock);
	return ready;
}

void dapl_evd_ack(struct dapl_evd *evd)
{
	if (evd->cq)
		ual_cq_ack_wakeup(evd->cq);
}

/* ---- the other calls ------------------------------------------------ */

static DAT_RETURN DAT_API evd_post_se(DAT_EVD_HANDLE handle, const DAT_EVENT *event)
{
	struct dapl_evd *evd = dapl_obj_get(handle, DAT_HANDLE_TYPE_EVD);
	int rc;

	if (!evd)
		return dapl_bad_handle(DAT_HANDLE_TYPE_EVD);
	if (!event || event->event_number != DAT_SOFTWARE_EVENT)
		return DAT_ERROR(DAT_INVALID_PARAMETER, DAT_INVALID_ARG2);
	if (!(evd->flags & DAT_EVD_SOFTWARE_FLAG))
		return DAT_ERROR(DAT_INVALID_PARAMETER, DAT_INVALID_ARG1);
	rc = ual_eq_post_software(evd->eq,
				  (uint64_t)(uintptr_t)event->event_data.software_event_data.pointer,
				  evd);
	if (rc)
		return dapl_status_log("dat_evd_post_se", rc, NULL);
	notify(evd_of(evd), 1);
	return DAT_SUCCESS;
}

static DAT_RETURN DAT_API evd_resize(DAT_EVD_HANDLE handle, DAT_COUNT qlen)
{
	struct dapl_evd *evd = dapl_obj_get(handle, DAT_HANDLE_TYPE_EVD);
	struct ual_error err = { 0 };
	DAT_EVENT *ring;
	struct evd *e;
	unsigned int i;
	int rc;

	if (!evd)
		return dapl_bad_handle(DAT_HANDLE_TYPE_EVD);
	e = evd_of(evd);
	if (qlen <= 0 || (uint32_t)qlen > evd->hdr.ia->attr.max_cqe)
		return DAT_ERROR(DAT_INVALID_PARAMETER, DAT_INVALID_ARG2);
	pthread_mutex_lock(&e->lock);
	if (e->waiters || e->count > (unsigned int)qlen) {
		pthread_mutex_unlock(&e->lock);
		return DAT_ERROR(DAT_INVALID_STATE, DAT_INVALID_STATE_EVD_IN_USE);
	}
	ring = calloc(qlen, sizeof(*ring));
	if (!ring) {
		pthread_mutex_unlock(&e->lock);
		return DAT_ERROR(DAT_INSUFFICIENT_RESOURCES, DAT_RESOURCE_MEMORY);
	}
	rc = evd->cq ? ual_cq_resize(evd->cq, qlen, &err) : 0;
	if (rc) {
		pthread_mutex_unlock(&e->lock);
		free(ring);
		return dapl_status_log("dat_evd_resize", rc, &err);
	}
	for (i = 0; i < e->count; i++)
		ring[i] = e->ring[(e->head + i) % e->size];
	free(e->ring);
	e->ring = ring;
	e->head = 0;
	e->size = qlen;
	evd->qlen = qlen;
	pthread_mutex_unlock(&e->lock);
	return DAT_SUCCESS;
}

static DAT_RETURN set_state(DAT_EVD_HANDLE handle, bool *(*field)(struct evd *),
			    bool value)
{
	struct dapl_evd *evd = dapl_obj_get(handle, DAT_HANDLE_TYPE_EVD);
	struct evd *e;
	uint64_t one = 1;

	if (!evd)
		return dapl_bad_handle(DAT_HANDLE_TYPE_EVD);
	e = evd_of(evd);
	pthread_mutex_lock(&e->lock);
	*field(e) = value;
	pthread_mutex_unlock(&e->lock);
	/* A waiter re-checks its state: set_unwaitable ends its wait. */
	if (write(e->wake_fd, &one, sizeof(one)) < 0 && errno != EAGAIN)
		dapl_log(DAPL_DBG_WARN, "EVD %p: waking its waiter failed: %s",
			 (void *)e, strerror(errno));
	return DAT_SUCCESS;
}

static bool *enabled_of(struct evd *e)
{
	return &e->enabled;
}

static bool *waitable_of(struct evd *e)
{
	return &e->waitable;
}

static DAT_RETURN DAT_API evd_enable(DAT_EVD_HANDLE h)
{
	return set_state(h, enabled_of, true);
}

static DAT_RETURN DAT_API evd_disable(DAT_EVD_HANDLE h)
{
	return set_state(h, enabled_of, false);
}

static DAT_RETURN DAT_API evd_set_unwaitable(DAT_EVD_HANDLE h)
{
	return set_state(h, waitable_of, false);
}

static DAT_RETURN DAT_API evd_clear_unwaitable(DAT_EVD_HANDLE h)
{
	return set_state(h, waitable_of, true);
}

static DAT_RETURN DAT_API evd_modify_cno(DAT_EVD_HANDLE handle, DAT_CNO_HANDLE cno_handle)
{
	struct dapl_evd *evd = dapl_obj_get(handle, DAT_HANDLE_TYPE_EVD);
	struct dapl_cno *cno = NULL;
	struct evd *e;

	if (!evd)
		return dapl_bad_handle(DAT_HANDLE_TYPE_EVD);
	if (cno_handle != DAT_HANDLE_NULL) {
		cno = dapl_obj_get(cno_handle, DAT_HANDLE_TYPE_CNO);
		if (!cno)
			return dapl_bad_handle(DAT_HANDLE_TYPE_CNO);
	}
	e = evd_of(evd);
	if (cno && cno != evd->cno) {
		DAT_RETURN ret = dapl_cno_attach(cno, evd);

		if (ret != DAT_SUCCESS)
			return ret;
	}
	if (evd->cno && evd->cno != cno)
		dapl_cno_detach(evd->cno, evd);
	pthread_mutex_lock(&e->lock);
	evd->cno = cno;
	pthread_mutex_unlock(&e->lock);
	return DAT_SUCCESS;
}

static DAT_RETURN DAT_API evd_query(DAT_EVD_HANDLE handle, DAT_EVD_PARAM_MASK mask,
				    DAT_EVD_PARAM *param)
{
	struct dapl_evd *evd = dapl_obj_get(handle, DAT_HANDLE_TYPE_EVD);
	struct evd *e;

	if (!evd)
		return dapl_bad_handle(DAT_HANDLE_TYPE_EVD);
	if (!param)
		return DAT_ERROR(DAT_INVALID_PARAMETER, DAT_INVALID_ARG3);
	(void)mask;	/* every field is cheap: fill them all */
	e = evd_of(evd);
	dats_get_ia_handle(evd->hdr.ia, &param->ia_handle);
	pthread_mutex_lock(&e->lock);
	param->evd_qlen = evd->qlen;
	param->evd_state = (e->enabled ? DAT_EVD_STATE_ENABLED : DAT_EVD_STATE_DISABLED) |
			   (e->waitable ? DAT_EVD_STATE_WAITABLE : DAT_EVD_STATE_UNWAITABLE);
	param->cno_handle = evd->cno;
	param->evd_flags = evd->flags;
	pthread_mutex_unlock(&e->lock);
	return DAT_SUCCESS;
}

void dapl_evd_ops(DAT_PROVIDER *p)
{
	p->evd_create_func = evd_create_call;
	p->evd_query_func = evd_query;
	p->evd_modify_cno_func = evd_modify_cno;
	p->evd_enable_func = evd_enable;
	p->evd_disable_func = evd_disable;
	p->evd_wait_func = evd_wait;
	p->evd_resize_func = evd_resize;
	p->evd_post_se_func = evd_post_se;
	p->evd_dequeue_func = evd_dequeue;
	p->evd_free_func = evd_free;
	p->evd_set_unwaitable_func = evd_set_unwaitable;
	p->evd_clear_unwaitable_func = evd_clear_unwaitable;
	dapl_register_destructor(DAT_HANDLE_TYPE_EVD, evd_destructor);
}
