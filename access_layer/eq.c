// SPDX-License-Identifier: BSD-2-Clause
/*
 * eq.c - event queues: the consumer's inbox for connection and async
 * events.
 *
 * An event queue owns an rdma_cm event channel, so the CM events of one
 * consumer never pass through another's hands.  Its fd is an epoll set
 * over that channel, a timerfd (retry back-off, connect deadlines), an
 * eventfd (events handed over by other queues or threads) and the async fd
 * of its device.  Progress happens in the caller's thread; the optional
 * callback thread is just a caller that never stops.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "ual_internal.h"

uint64_t ual_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void set_nonblock(int fd)
{
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
}

static int epoll_add(int epfd, int fd)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.fd = fd };

	return epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) ? -errno : 0;
}

static int eq_open_fds(struct ual_eq *eq, struct ual_error *err)
{
	eq->channel = rdma_create_event_channel();
	if (!eq->channel)
		return ual_err_set(err, errno ? errno : ENODEV,
				   "rdma_create_event_channel",
				   "is the rdma_ucm module loaded and /dev/infiniband/rdma_cm accessible?");
	set_nonblock(eq->channel->fd);
	eq->epfd = epoll_create1(EPOLL_CLOEXEC);
	eq->srcfd = epoll_create1(EPOLL_CLOEXEC);
	eq->timerfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	eq->wakefd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (eq->epfd < 0 || eq->srcfd < 0 || eq->timerfd < 0 || eq->wakefd < 0)
		return ual_err_set(err, errno, "epoll_create1/timerfd/eventfd", NULL);
	if (epoll_add(eq->srcfd, eq->channel->fd) ||
	    epoll_add(eq->srcfd, eq->timerfd) ||
	    epoll_add(eq->epfd, eq->srcfd) || epoll_add(eq->epfd, eq->wakefd))
		return ual_err_set(err, errno, "epoll_ctl", NULL);
	if (eq->dev) {
		int ret = ual_eq_attach(eq, eq->dev->hca);

		if (ret)
			return ual_err_set(err, ret, "epoll_ctl",
					   "the async fd of %s", eq->dev->attr.name);
	}
	return 0;
}

static void eq_close_fds(struct ual_eq *eq)
{
	int i;

	for (i = 0; i < eq->nhcas; i++) {
		ual_hca_forget_eq(eq->hcas[i], eq);
		ual_hca_put(eq->hcas[i]);
	}
	free(eq->hcas);
	if (eq->wakefd >= 0)
		close(eq->wakefd);
	if (eq->timerfd >= 0)
		close(eq->timerfd);
	if (eq->srcfd >= 0)
		close(eq->srcfd);
	if (eq->epfd >= 0)
		close(eq->epfd);
	if (eq->channel)
		rdma_destroy_event_channel(eq->channel);
}

/*
 * Makes the queue read @hca's async events and removal watch: every queue
 * that holds an object of a device must, or an affiliated error of that
 * object could wait for some other queue's progress.
 */
int ual_eq_attach(struct ual_eq *eq, struct ual_hca *hca)
{
	struct ual_hca **more;
	int i, ret = 0;

	pthread_mutex_lock(&eq->progress);
	for (i = 0; i < eq->nhcas; i++)
		if (eq->hcas[i] == hca)
			goto out;
	more = realloc(eq->hcas, (size_t)(eq->nhcas + 1) * sizeof(*more));
	if (!more) {
		ret = -ENOMEM;
		goto out;
	}
	eq->hcas = more;
	set_nonblock(hca->verbs->async_fd);
	ret = epoll_add(eq->srcfd, hca->verbs->async_fd);
	if (!ret)
		ret = epoll_add(eq->srcfd, hca->watch_channel->fd);
	if (ret) {
		epoll_ctl(eq->srcfd, EPOLL_CTL_DEL, hca->verbs->async_fd, NULL);
		goto out;
	}
	ual_hca_get(hca);
	eq->hcas[eq->nhcas++] = hca;
out:
	pthread_mutex_unlock(&eq->progress);
	return ret;
}

int ual_eq_create(struct ual_device *dev, void *context, struct ual_eq **out,
		  struct ual_error *err)
{
	struct ual_eq *eq = calloc(1, sizeof(*eq));
	int ret;

	if (!eq)
		return ual_err_set(err, ENOMEM, "calloc", NULL);
	eq->dev = dev;
	eq->context = context;
	eq->epfd = eq->srcfd = eq->timerfd = eq->wakefd = -1;
	ual_list_init(&eq->ready);
	ual_list_init(&eq->timers);
	ual_list_init(&eq->fatal);
	ual_list_init(&eq->dev_link);
	ual_list_init(&eq->auto_link);
	pthread_mutex_init(&eq->lock, NULL);
	pthread_mutex_init(&eq->progress, NULL);
	ret = eq_open_fds(eq, err);
	if (ret) {
		eq_close_fds(eq);
		pthread_mutex_destroy(&eq->lock);
		pthread_mutex_destroy(&eq->progress);
		free(eq);
		return ret;
	}
	if (dev) {
		ual_device_get(dev);
		pthread_mutex_lock(&dev->hca->lock);
		ual_list_add(&dev->eqs, &eq->dev_link);
		pthread_mutex_unlock(&dev->hca->lock);
	}
	*out = eq;
	return 0;
}

static void eq_stop_thread(struct ual_eq *eq)
{
	uint64_t one = 1;

	if (!eq->thread_running)
		return;
	eq->stopping = true;
	if (write(eq->wakefd, &one, sizeof(one)) < 0)
		return;
	if (!pthread_equal(pthread_self(), eq->thread))
		pthread_join(eq->thread, NULL);
	else
		pthread_detach(eq->thread);
	eq->thread_running = false;
}

/*
 * Frees a queued event that will never be delivered.  A connection
 * request in it is rejected, so the peer learns at once instead of
 * waiting for its CM to time out, and its cm id and device go with it.
 */
static void event_free(struct ual_event_node *n)
{
	if (n->ev.req && (n->ev.type == UAL_EVENT_CONN_REQUEST ||
			  n->ev.type == UAL_EVENT_UD_REQUEST))
		ual_conn_req_drop(n->ev.req);
	free(n);
}

void ual_eq_destroy(struct ual_eq *eq)
{
	struct ual_list *l;

	if (!eq)
		return;
	eq_stop_thread(eq);
	ual_progress_remove(eq);
	if (eq->dev) {
		pthread_mutex_lock(&eq->dev->hca->lock);
		ual_list_del(&eq->dev_link);
		pthread_mutex_unlock(&eq->dev->hca->lock);
	}
	while (!ual_list_empty(&eq->ready)) {
		l = eq->ready.next;
		ual_list_del(l);
		event_free(ual_container_of(l, struct ual_event_node, link));
	}
	eq_close_fds(eq);
	if (eq->dev)
		ual_device_put(eq->dev);
	pthread_mutex_destroy(&eq->lock);
	pthread_mutex_destroy(&eq->progress);
	free(eq);
}

int ual_eq_fd(const struct ual_eq *eq)
{
	return eq->epfd;
}

struct ual_event_node *ual_event_alloc(enum ual_event_type type)
{
	struct ual_event_node *n = calloc(1, sizeof(*n));

	if (n)
		n->ev.type = type;
	return n;
}

void ual_eq_push_locked(struct ual_eq *eq, struct ual_event_node *n)
{
	ual_list_add(&eq->ready, &n->link);
}

/* Makes the queue's fd readable so that its next progress runs. */
void ual_eq_wake(struct ual_eq *eq)
{
	uint64_t one = 1;

	if (write(eq->wakefd, &one, sizeof(one)) < 0)
		return;	/* counter saturated: the fd is readable anyway */
}

/* Queues @n and wakes whoever sleeps on the queue's fd. */
void ual_eq_push(struct ual_eq *eq, struct ual_event_node *n)
{
	pthread_mutex_lock(&eq->lock);
	ual_eq_push_locked(eq, n);
	pthread_mutex_unlock(&eq->lock);
	ual_eq_wake(eq);
}

static bool names(const struct ual_event *ev, const void *object)
{
	return ev->ep == object || ev->listener == object ||
	       ev->req == object || ev->srq == object || ev->cq == object ||
	       ev->ud_query == object;
}

/* Drops queued events about an object that is being destroyed. */
void ual_eq_forget(struct ual_eq *eq, const void *object)
{
	struct ual_list *l, *next, gone;

	/* Requests are rejected outside the queue lock (they take progress). */
	ual_list_init(&gone);
	pthread_mutex_lock(&eq->lock);
	for (l = eq->ready.next; l != &eq->ready; l = next) {
		struct ual_event_node *n = ual_container_of(l, struct ual_event_node, link);

		next = l->next;
		if (names(&n->ev, object)) {
			ual_list_del(l);
			ual_list_add(&gone, l);
		}
	}
	pthread_mutex_unlock(&eq->lock);
	while (!ual_list_empty(&gone)) {
		l = gone.next;
		ual_list_del(l);
		event_free(ual_container_of(l, struct ual_event_node, link));
	}
}

int ual_eq_post_software(struct ual_eq *eq, uint64_t value, void *context)
{
	struct ual_event_node *n = ual_event_alloc(UAL_EVENT_SOFTWARE);

	if (!n)
		return -ENOMEM;
	n->ev.software = value;
	n->ev.context = context;
	ual_eq_push(eq, n);
	return 0;
}

/* ---- timers --------------------------------------------------------- */

static void timer_rearm_locked(struct ual_eq *eq)
{
	struct itimerspec its = { { 0, 0 }, { 0, 0 } };
	uint64_t first = UINT64_MAX, now = ual_now_ms(), wait;
	struct ual_list *l;

	for (l = eq->timers.next; l != &eq->timers; l = l->next) {
		struct ual_timer *t = ual_container_of(l, struct ual_timer, link);

		if (t->due_ms < first)
			first = t->due_ms;
	}
	if (first != UINT64_MAX) {
		wait = first > now ? first - now : 1;
		its.it_value.tv_sec = (time_t)(wait / 1000);
		its.it_value.tv_nsec = (long)(wait % 1000) * 1000000;
	}
	timerfd_settime(eq->timerfd, 0, &its, NULL);
}

void ual_timer_arm(struct ual_eq *eq, struct ual_timer *t, uint32_t ms)
{
	pthread_mutex_lock(&eq->lock);
	if (t->link.next && t->link.next != &t->link)
		ual_list_del(&t->link);
	t->due_ms = ual_now_ms() + ms;
	ual_list_add(&eq->timers, &t->link);
	timer_rearm_locked(eq);
	pthread_mutex_unlock(&eq->lock);
}

void ual_timer_cancel(struct ual_eq *eq, struct ual_timer *t)
{
	pthread_mutex_lock(&eq->lock);
	if (t->link.next && t->link.next != &t->link)
		ual_list_del(&t->link);
	pthread_mutex_unlock(&eq->lock);
}

static void run_timers(struct ual_eq *eq)
{
	uint64_t now = ual_now_ms(), expirations;
	struct ual_timer *due;
	struct ual_list *l;

	if (read(eq->timerfd, &expirations, sizeof(expirations)) < 0 &&
	    errno != EAGAIN)
		return;
	for (;;) {
		due = NULL;
		pthread_mutex_lock(&eq->lock);
		for (l = eq->timers.next; l != &eq->timers; l = l->next) {
			struct ual_timer *t = ual_container_of(l, struct ual_timer, link);

			if (t->due_ms <= now) {
				due = t;
				ual_list_del(l);
				break;
			}
		}
		if (!due)
			timer_rearm_locked(eq);
		pthread_mutex_unlock(&eq->lock);
		if (!due)
			return;
		due->fire(due);
	}
}

/* ---- progress -------------------------------------------------------- */

static void drain_cm(struct ual_eq *eq)
{
	struct rdma_cm_event *ev;

	while (!rdma_get_cm_event(eq->channel, &ev))
		ual_cm_handle_event(eq, ev);
}

/*
 * Reads every source of the queue.  The consumer's own progress also
 * consumes the wake-up count (it dequeues next and re-arms the fd if
 * events remain); the progress thread leaves it, since it is the
 * consumer's signal that events are queued.
 */
void ual_eq_progress(struct ual_eq *eq, bool consume_wake)
{
	uint64_t count;
	int i;

	pthread_mutex_lock(&eq->progress);
	if (consume_wake && read(eq->wakefd, &count, sizeof(count)) < 0 &&
	    errno != EAGAIN)
		count = 0;
	for (i = 0; i < eq->nhcas; i++)
		ual_async_drain(eq->hcas[i]);
	/*
	 * A fatal QP error read before now happened before the CM events
	 * still in the channel (a peer's reaction to it, for one): the
	 * endpoint breaks first.
	 */
	ual_eq_run_fatal(eq);
	drain_cm(eq);
	run_timers(eq);
	pthread_mutex_unlock(&eq->progress);
}

static int eq_dequeue(struct ual_eq *eq, struct ual_event *ev, int max)
{
	struct ual_event_node *n;
	bool more;
	int got = 0;

	pthread_mutex_lock(&eq->lock);
	while (got < max && !ual_list_empty(&eq->ready)) {
		n = ual_container_of(eq->ready.next, struct ual_event_node, link);
		ual_list_del(&n->link);
		ev[got++] = n->ev;
		free(n);
	}
	more = !ual_list_empty(&eq->ready);
	pthread_mutex_unlock(&eq->lock);
	/* Events left behind keep the fd readable for the next wait. */
	if (got && more)
		ual_eq_wake(eq);
	return got;
}

int ual_eq_poll(struct ual_eq *eq, struct ual_event *ev, int max)
{
	int got = eq_dequeue(eq, ev, max);

	if (got == max)
		return got;
	ual_eq_progress(eq, true);
	return got + eq_dequeue(eq, ev + got, max - got);
}

int ual_eq_wait(struct ual_eq *eq, struct ual_event *ev, int max,
		int timeout_ms)
{
	struct pollfd pfd = { .fd = eq->epfd, .events = POLLIN };
	uint64_t deadline = timeout_ms < 0 ? UINT64_MAX
					   : ual_now_ms() + (uint64_t)timeout_ms;
	int got, left, ret;

	for (;;) {
		got = ual_eq_poll(eq, ev, max);
		if (got || eq->stopping)
			return got;
		if (timeout_ms < 0) {
			left = -1;
		} else {
			uint64_t now = ual_now_ms();

			if (now >= deadline)
				return 0;
			left = (int)(deadline - now);
		}
		ret = poll(&pfd, 1, left);
		if (ret < 0 && errno != EINTR)
			return -errno;
	}
}

/* ---- callback thread ------------------------------------------------- */

#define EQ_THREAD_BATCH 8

static void *eq_thread_main(void *arg)
{
	struct ual_event ev[EQ_THREAD_BATCH];
	struct ual_eq *eq = arg;
	int i, n;

	while (!eq->stopping) {
		n = ual_eq_wait(eq, ev, EQ_THREAD_BATCH, -1);
		for (i = 0; i < n && !eq->stopping; i++)
			eq->handler(eq, &ev[i], eq->handler_arg);
	}
	return NULL;
}

int ual_eq_start_thread(struct ual_eq *eq, ual_event_handler fn, void *arg,
			struct ual_error *err)
{
	int ret;

	if (eq->thread_running)
		return ual_err_set(err, EBUSY, "ual_eq_start_thread",
				   "the queue already has a thread");
	eq->handler = fn;
	eq->handler_arg = arg;
	eq->stopping = false;
	ret = pthread_create(&eq->thread, NULL, eq_thread_main, eq);
	if (ret)
		return ual_err_set(err, ret, "pthread_create", NULL);
	eq->thread_running = true;
	return 0;
}
