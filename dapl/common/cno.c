// SPDX-License-Identifier: BSD-3-Clause OR GPL-2.0-only
/*
 * CNO: one wait over several EVDs.  The layer has no object for it: a CNO
 * is an epoll set holding the fds of the EVDs that feed it (their CQ fds,
 * armed, and their event-queue fds, see dapl_evd_arm_fds) plus an eventfd
 * that dapl_cno_notify writes for events those fds do not show.
 *
 * dat_cno_fd_create hands out the epoll fd itself: it polls readable when
 * an attached EVD's fd does or the CNO was notified; dat_cno_trigger then
 * says which EVD, acknowledges the wake-ups and re-arms, so that the fd
 * goes quiet until the next event.
 *
 * There is no provider thread: a proxy agent is called by
 * dapl_cno_notify, in the thread that caused the event, when nobody waits
 * on the CNO.
 *
 * Locking: cno.c never calls into evd.c with cno->lock held, so evd.c may
 * call dapl_cno_notify from anywhere, dapl_evd_ready included.  A waiter
 * works on a snapshot of the attached EVDs and counts itself in @busy
 * meanwhile; dapl_cno_detach wakes it and waits until no waiter holds a
 * snapshot, so an EVD is never used by a wait after its detach returned.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include "dapl.h"

DAT_RETURN DAT_API dats_get_ia_handle(DAT_IA_HANDLE handle, DAT_IA_HANDLE *out);

#define EVD_FDS_MAX	2	/* dapl_evd_arm_fds: CQ fd, queue fd */
#define EVENTS_MAX	16	/* epoll events taken per wake-up */

struct cno_feed {
	struct dapl_evd		*evd;
	int			fds[EVD_FDS_MAX];	/* in the epoll set */
	int			nfds;
};

struct dapl_cno {
	struct dapl_hdr		hdr;
	pthread_mutex_t		lock;
	pthread_cond_t		idle;		/* busy dropped to 0 */
	DAT_OS_WAIT_PROXY_AGENT	agent;
	bool			fd_proxy;	/* dat_cno_fd_create */
	int			epfd;		/* EVD fds + wake_fd */
	int			wake_fd;	/* eventfd: dapl_cno_notify */
	struct cno_feed		*feeds;		/* attached EVDs */
	int			nfeeds, cap;
	struct dapl_evd		*triggered;	/* notified, not yet reported */
	int			waiters;	/* threads in dat_cno_wait */
	int			busy;		/* snapshots in use */
	int			detaching;	/* detaches waiting for busy 0 */
};

/* The EVDs a waiter works on, outside cno->lock. */
struct snapshot {
	struct dapl_evd		*small[16];
	struct dapl_evd		**evds;
	int			n;
};

/* ---- creation and the fds --------------------------------------------- */

static DAT_RETURN fd_error(const char *call, const char *what)
{
	int e = errno;

	if (e == EMFILE || e == ENFILE)
		dapl_log(DAPL_DBG_ERR,
			 "%s: %s: %s (the process's file limit RLIMIT_NOFILE is reached: raise it with ulimit -n or LimitNOFILE=)",
			 call, what, strerror(e));
	else
		dapl_log(DAPL_DBG_ERR, "%s: %s: %s", call, what, strerror(e));
	return DAT_ERROR(DAT_INSUFFICIENT_RESOURCES, DAT_NO_SUBTYPE);
}

static DAT_RETURN cno_new(const char *call, DAT_IA_HANDLE ia_handle,
			  DAT_OS_WAIT_PROXY_AGENT agent, bool fd_proxy,
			  struct dapl_cno **out)
{
	struct dapl_ia *ia = dapl_obj_get(ia_handle, DAT_HANDLE_TYPE_IA);
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = NULL };
	struct dapl_cno *cno;
	DAT_RETURN ret;

	if (!ia)
		return dapl_bad_handle(DAT_HANDLE_TYPE_IA);
	cno = dapl_obj_alloc(ia->hdr.provider, DAT_HANDLE_TYPE_CNO,
			     sizeof(*cno), ia);
	if (!cno)
		return DAT_ERROR(DAT_INSUFFICIENT_RESOURCES, DAT_RESOURCE_MEMORY);
	cno->epfd = cno->wake_fd = -1;
	cno->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (cno->epfd < 0) {
		ret = fd_error(call, "epoll_create1");
		goto fail;
	}
	cno->wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (cno->wake_fd < 0) {
		ret = fd_error(call, "eventfd");
		goto fail;
	}
	/* data.ptr NULL marks the wake fd; EVD fds carry their EVD. */
	if (epoll_ctl(cno->epfd, EPOLL_CTL_ADD, cno->wake_fd, &ev)) {
		ret = fd_error(call, "epoll_ctl");
		goto fail;
	}
	pthread_mutex_init(&cno->lock, NULL);
	pthread_cond_init(&cno->idle, NULL);
	cno->agent = agent;
	cno->fd_proxy = fd_proxy;
	*out = cno;
	return DAT_SUCCESS;
fail:
	if (cno->wake_fd >= 0)
		close(cno->wake_fd);
	if (cno->epfd >= 0)
		close(cno->epfd);
	dapl_obj_free(cno);
	return ret;
}

static DAT_RETURN DAT_API cno_create(DAT_IA_HANDLE ia_handle,
				     DAT_OS_WAIT_PROXY_AGENT agent,
				     DAT_CNO_HANDLE *out)
{
	struct dapl_cno *cno;
	DAT_RETURN ret;

	if (!dapl_obj_get(ia_handle, DAT_HANDLE_TYPE_IA))
		return dapl_bad_handle(DAT_HANDLE_TYPE_IA);
	if (!out)
		return DAT_ERROR(DAT_INVALID_PARAMETER, DAT_INVALID_ARG3);
	ret = cno_new("dat_cno_create", ia_handle, agent, false, &cno);
	if (ret == DAT_SUCCESS)
		*out = cno;
	return ret;
}

static DAT_RETURN DAT_API cno_fd_create(DAT_IA_HANDLE ia_handle, DAT_FD *fd,
					DAT_CNO_HANDLE *out)
{
	struct dapl_cno *cno;
	DAT_RETURN ret;

	if (!dapl_obj_get(ia_handle, DAT_HANDLE_TYPE_IA))
		return dapl_bad_handle(DAT_HANDLE_TYPE_IA);
	if (!fd)
		return DAT_ERROR(DAT_INVALID_PARAMETER, DAT_INVALID_ARG2);
	if (!out)
		return DAT_ERROR(DAT_INVALID_PARAMETER, DAT_INVALID_ARG3);
	ret = cno_new("dat_cno_fd_create", ia_handle, DAT_OS_WAIT_PROXY_AGENT_NULL,
		      true, &cno);
	if (ret != DAT_SUCCESS)
		return ret;
	*fd = cno->epfd;
	*out = cno;
	return DAT_SUCCESS;
}

static void cno_destroy(struct dapl_cno *cno)
{
	close(cno->wake_fd);
	close(cno->epfd);
	free(cno->feeds);
	cno->feeds = NULL;
	cno->nfeeds = cno->cap = 0;
	pthread_cond_destroy(&cno->idle);
	pthread_mutex_destroy(&cno->lock);
	dapl_obj_free(cno);
}

static void cno_destructor(struct dapl_hdr *h)
{
	cno_destroy((struct dapl_cno *)h);
}

static DAT_RETURN DAT_API cno_free(DAT_CNO_HANDLE handle)
{
	struct dapl_cno *cno = dapl_obj_get(handle, DAT_HANDLE_TYPE_CNO);
	bool busy;

	if (!cno)
		return dapl_bad_handle(DAT_HANDLE_TYPE_CNO);
	pthread_mutex_lock(&cno->lock);
	busy = cno->nfeeds || cno->waiters;
	pthread_mutex_unlock(&cno->lock);
	if (busy)
		return DAT_ERROR(DAT_INVALID_STATE, DAT_INVALID_STATE_CNO_IN_USE);
	cno_destroy(cno);
	return DAT_SUCCESS;
}

/* ---- the EVD side ----------------------------------------------------- */

static int feed_index(struct dapl_cno *cno, struct dapl_evd *evd)
{
	int i;

	for (i = 0; i < cno->nfeeds; i++)
		if (cno->feeds[i].evd == evd)
			return i;
	return -1;
}

DAT_RETURN dapl_cno_attach(struct dapl_cno *cno, struct dapl_evd *evd)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = evd };
	struct cno_feed f = { .evd = evd };
	DAT_RETURN ret = DAT_SUCCESS;
	int i;

	/* Outside the lock: evd.c may notify from here. */
	f.nfds = dapl_evd_arm_fds(evd, f.fds, EVD_FDS_MAX);
	pthread_mutex_lock(&cno->lock);
	if (feed_index(cno, evd) >= 0)
		goto out;
	if (cno->nfeeds == cno->cap) {
		int cap = cno->cap ? cno->cap * 2 : 4;
		struct cno_feed *a = realloc(cno->feeds, cap * sizeof(*a));

		if (!a) {
			ret = DAT_ERROR(DAT_INSUFFICIENT_RESOURCES, DAT_RESOURCE_MEMORY);
			goto out;
		}
		cno->feeds = a;
		cno->cap = cap;
	}
	for (i = 0; i < f.nfds; i++)
		if (epoll_ctl(cno->epfd, EPOLL_CTL_ADD, f.fds[i], &ev)) {
			ret = fd_error("dat_evd_modify_cno", "epoll_ctl");
			while (i--)
				epoll_ctl(cno->epfd, EPOLL_CTL_DEL, f.fds[i], NULL);
			goto out;
		}
	cno->feeds[cno->nfeeds++] = f;
out:
	pthread_mutex_unlock(&cno->lock);
	return ret;
}

void dapl_cno_detach(struct dapl_cno *cno, struct dapl_evd *evd)
{
	uint64_t one = 1;
	int i;

	pthread_mutex_lock(&cno->lock);
	i = feed_index(cno, evd);
	if (i < 0) {
		pthread_mutex_unlock(&cno->lock);
		return;
	}
	while (cno->feeds[i].nfds--)
		epoll_ctl(cno->epfd, EPOLL_CTL_DEL,
			  cno->feeds[i].fds[cno->feeds[i].nfds], NULL);
	cno->feeds[i] = cno->feeds[--cno->nfeeds];
	if (cno->triggered == evd)
		cno->triggered = NULL;
	/* A waiter may hold @evd in its snapshot: wake it, let it drop it. */
	cno->detaching++;
	while (cno->busy) {
		if (write(cno->wake_fd, &one, sizeof(one)) < 0)
			dapl_log(DAPL_DBG_EVD, "CNO %p: wake-up write: %s",
				 (void *)cno, strerror(errno));
		pthread_cond_wait(&cno->idle, &cno->lock);
	}
	cno->detaching--;
	pthread_cond_broadcast(&cno->idle);
	pthread_mutex_unlock(&cno->lock);
}

void dapl_cno_notify(struct dapl_cno *cno, struct dapl_evd *evd)
{
	DAT_OS_WAIT_PROXY_AGENT agent;
	uint64_t one = 1;
	bool call_agent;

	pthread_mutex_lock(&cno->lock);
	if (feed_index(cno, evd) < 0) {
		pthread_mutex_unlock(&cno->lock);	/* not (or no longer) ours */
		return;
	}
	if (!cno->triggered)
		cno->triggered = evd;
	agent = cno->agent;
	call_agent = !cno->waiters && agent.proxy_agent_func;
	pthread_mutex_unlock(&cno->lock);
	/* Cannot fail but by overflow, which still leaves it readable. */
	if (write(cno->wake_fd, &one, sizeof(one)) < 0)
		dapl_log(DAPL_DBG_EVD, "CNO %p: wake-up write: %s",
			 (void *)cno, strerror(errno));
	if (call_agent)
		agent.proxy_agent_func(agent.instance_data, evd);
}

/* ---- waiting ---------------------------------------------------------- */

/* Takes a snapshot of the attached EVDs and counts it busy (locked). */
static bool snapshot_take(struct dapl_cno *cno, struct snapshot *snap)
{
	int i;

	while (cno->detaching)
		pthread_cond_wait(&cno->idle, &cno->lock);
	snap->evds = snap->small;
	if (cno->nfeeds > (int)(sizeof(snap->small) / sizeof(snap->small[0]))) {
		snap->evds = malloc(cno->nfeeds * sizeof(*snap->evds));
		if (!snap->evds)
			return false;
	}
	for (i = 0; i < cno->nfeeds; i++)
		snap->evds[i] = cno->feeds[i].evd;
	snap->n = cno->nfeeds;
	cno->busy++;
	return true;
}

/* Gives the snapshot back (locked). */
static void snapshot_drop(struct dapl_cno *cno, struct snapshot *snap)
{
	if (snap->evds != snap->small)
		free(snap->evds);
	if (!--cno->busy && cno->detaching)
		pthread_cond_broadcast(&cno->idle);
}

static bool in_snapshot(const struct snapshot *snap, const struct dapl_evd *evd)
{
	int i;

	for (i = 0; i < snap->n; i++)
		if (snap->evds[i] == evd)
			return true;
	return false;
}

/*
 * An EVD of @snap to report, the notified one first; NULL if none.  A
 * notification whose events were dequeued meanwhile is dropped: an EVD is
 * reported only while it has an event.  Called unlocked.
 */
static struct dapl_evd *find_ready(struct dapl_cno *cno, struct snapshot *snap)
{
	struct dapl_evd *evd;
	int i;

	pthread_mutex_lock(&cno->lock);
	evd = cno->triggered;
	cno->triggered = NULL;
	pthread_mutex_unlock(&cno->lock);
	if (evd && in_snapshot(snap, evd) && dapl_evd_ready(evd))
		return evd;
	for (i = 0; i < snap->n; i++)
		if (dapl_evd_ready(snap->evds[i]))
			return snap->evds[i];
	return NULL;
}

/* Consumes what woke the epoll set: the eventfd, the EVDs' CQ wake-ups. */
static void consume(struct dapl_cno *cno, const struct snapshot *snap,
		    const struct epoll_event *ev, int n)
{
	uint64_t v;
	int i;

	for (i = 0; i < n; i++) {
		struct dapl_evd *evd = ev[i].data.ptr;

		if (!evd) {
			if (read(cno->wake_fd, &v, sizeof(v)) < 0 && errno != EAGAIN)
				dapl_log(DAPL_DBG_EVD, "CNO %p: wake-up read: %s",
					 (void *)cno, strerror(errno));
		} else if (in_snapshot(snap, evd)) {
			/* Not in it: attached since, the next round sees it. */
			dapl_evd_ack(evd);
		}
	}
}

/* One look without sleeping: the EVD to report, or NULL (unlocked). */
static struct dapl_evd *poll_once(struct dapl_cno *cno, struct snapshot *snap)
{
	struct epoll_event ev[EVENTS_MAX];
	struct dapl_evd *evd;
	int fds[EVD_FDS_MAX], n, i;

	n = epoll_wait(cno->epfd, ev, EVENTS_MAX, 0);
	if (n > 0)
		consume(cno, snap, ev, n);
	evd = find_ready(cno, snap);
	if (evd)
		return evd;
	/* Arm every CQ so that its next completion wakes the epoll set... */
	for (i = 0; i < snap->n; i++)
		dapl_evd_arm_fds(snap->evds[i], fds, EVD_FDS_MAX);
	/* ...and look again: an event may have come before the arming. */
	return find_ready(cno, snap);
}

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Milliseconds left until @deadline (ns), rounded up; -1 for none. */
static int ms_left(int64_t deadline)
{
	int64_t left;

	if (deadline < 0)
		return -1;
	left = deadline - now_ns();
	if (left <= 0)
		return 0;
	left = (left + 999999) / 1000000;
	return left > 0x7fffffff ? 0x7fffffff : (int)left;
}

/*
 * One round of a wait: look, and sleep up to @ms if nothing is there.
 * DAT_SUCCESS with *@evd_out, DAT_QUEUE_EMPTY to go round again, or an
 * error.
 */
static DAT_RETURN wait_round(struct dapl_cno *cno, int ms,
			     struct dapl_evd **evd_out)
{
	struct epoll_event ev[EVENTS_MAX];
	struct snapshot snap;
	DAT_RETURN ret = DAT_ERROR(DAT_QUEUE_EMPTY, DAT_NO_SUBTYPE);
	int n;

	pthread_mutex_lock(&cno->lock);
	if (!snapshot_take(cno, &snap)) {
		pthread_mutex_unlock(&cno->lock);
		return DAT_ERROR(DAT_INSUFFICIENT_RESOURCES, DAT_RESOURCE_MEMORY);
	}
	pthread_mutex_unlock(&cno->lock);

	*evd_out = poll_once(cno, &snap);
	if (*evd_out) {
		ret = DAT_SUCCESS;
	} else if (ms) {
		n = epoll_wait(cno->epfd, ev, EVENTS_MAX, ms);
		if (n > 0) {
			consume(cno, &snap, ev, n);
		} else if (n < 0 && errno == EINTR) {
			ret = DAT_ERROR(DAT_INTERRUPTED_CALL, DAT_NO_SUBTYPE);
		} else if (n < 0) {
			dapl_log(DAPL_DBG_ERR, "dat_cno_wait: epoll_wait: %s",
				 strerror(errno));
			ret = DAT_ERROR(DAT_INTERNAL_ERROR, DAT_NO_SUBTYPE);
		}
	}
	pthread_mutex_lock(&cno->lock);
	snapshot_drop(cno, &snap);
	pthread_mutex_unlock(&cno->lock);
	return ret;
}

static DAT_RETURN DAT_API cno_wait(DAT_CNO_HANDLE handle, DAT_TIMEOUT timeout,
				   DAT_EVD_HANDLE *evd_out)
{
	struct dapl_cno *cno = dapl_obj_get(handle, DAT_HANDLE_TYPE_CNO);
	int64_t deadline = -1;
	struct dapl_evd *evd;
	DAT_RETURN ret;
	int ms;

	if (!cno)
		return dapl_bad_handle(DAT_HANDLE_TYPE_CNO);
	if (!evd_out)
		return DAT_ERROR(DAT_INVALID_PARAMETER, DAT_INVALID_ARG3);
	if (timeout != DAT_TIMEOUT_INFINITE)
		deadline = now_ns() + (int64_t)timeout * 1000;

	pthread_mutex_lock(&cno->lock);
	cno->waiters++;
	pthread_mutex_unlock(&cno->lock);
	do {
		ms = ms_left(deadline);
		ret = wait_round(cno, ms, &evd);
		if (ret == DAT_ERROR(DAT_QUEUE_EMPTY, DAT_NO_SUBTYPE) && !ms)
			ret = DAT_ERROR(DAT_TIMEOUT_EXPIRED, DAT_NO_SUBTYPE);
	} while (ret == DAT_ERROR(DAT_QUEUE_EMPTY, DAT_NO_SUBTYPE));
	pthread_mutex_lock(&cno->lock);
	cno->waiters--;
	pthread_mutex_unlock(&cno->lock);
	if (ret == DAT_SUCCESS)
		*evd_out = evd;
	return ret;
}

static DAT_RETURN DAT_API cno_trigger(DAT_CNO_HANDLE handle,
				      DAT_EVD_HANDLE *evd_out)
{
	struct dapl_cno *cno = dapl_obj_get(handle, DAT_HANDLE_TYPE_CNO);
	struct dapl_evd *evd;
	DAT_RETURN ret;

	if (!cno)
		return dapl_bad_handle(DAT_HANDLE_TYPE_CNO);
	if (!evd_out)
		return DAT_ERROR(DAT_INVALID_PARAMETER, DAT_INVALID_ARG2);
	ret = wait_round(cno, 0, &evd);
	if (ret == DAT_SUCCESS)
		*evd_out = evd;
	return ret;
}

/* ---- agent and query -------------------------------------------------- */

static DAT_RETURN DAT_API cno_modify_agent(DAT_CNO_HANDLE handle,
					   DAT_OS_WAIT_PROXY_AGENT agent)
{
	struct dapl_cno *cno = dapl_obj_get(handle, DAT_HANDLE_TYPE_CNO);

	if (!cno)
		return dapl_bad_handle(DAT_HANDLE_TYPE_CNO);
	pthread_mutex_lock(&cno->lock);
	cno->agent = agent;
	pthread_mutex_unlock(&cno->lock);
	return DAT_SUCCESS;
}

static DAT_RETURN DAT_API cno_query(DAT_CNO_HANDLE handle,
				    DAT_CNO_PARAM_MASK mask,
				    DAT_CNO_PARAM *param)
{
	struct dapl_cno *cno = dapl_obj_get(handle, DAT_HANDLE_TYPE_CNO);

	if (!cno)
		return dapl_bad_handle(DAT_HANDLE_TYPE_CNO);
	/* The ABI's mask values are 1..4, not bits: accept any of them. */
	if ((unsigned int)mask > (DAT_CNO_FIELD_ALL | DAT_CNO_FIELD_PROXY))
		return DAT_ERROR(DAT_INVALID_PARAMETER, DAT_INVALID_ARG2);
	if (!param)
		return DAT_ERROR(DAT_INVALID_PARAMETER, DAT_INVALID_ARG3);
	dats_get_ia_handle(cno->hdr.ia, &param->ia_handle);
	pthread_mutex_lock(&cno->lock);
	if (cno->fd_proxy) {
		param->proxy_type = DAT_PROXY_TYPE_FD;
		param->proxy.fd = cno->epfd;
	} else if (cno->agent.proxy_agent_func) {
		param->proxy_type = DAT_PROXY_TYPE_AGENT;
		param->proxy.agent = cno->agent;
	} else {
		param->proxy_type = DAT_PROXY_TYPE_NONE;
		param->proxy.agent = cno->agent;
	}
	pthread_mutex_unlock(&cno->lock);
	return DAT_SUCCESS;
}

void dapl_cno_ops(DAT_PROVIDER *p)
{
	p->cno_create_func = cno_create;
	p->cno_modify_agent_func = cno_modify_agent;
	p->cno_query_func = cno_query;
	p->cno_free_func = cno_free;
	p->cno_wait_func = cno_wait;
	p->cno_fd_create_func = cno_fd_create;
	p->cno_trigger_func = cno_trigger;
	dapl_register_destructor(DAT_HANDLE_TYPE_CNO, cno_destructor);
}
