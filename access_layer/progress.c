// SPDX-License-Identifier: BSD-2-Clause
/*
 * progress.c - automatic progress: one thread that keeps connections
 * moving for consumers that do not read their event queue.
 *
 * librdmacm sends an active connect's RTU, and the layer answers a
 * peer's disconnect, only when someone reads the CM channel.  A DAT or
 * IT-API consumer may wait on a DTO queue only (OFA's uDAPL runs a CM
 * thread for this).  A queue in automatic mode hands its sources (epoll
 * set srcfd: CM channel, timers, device async fds) to this thread, which
 * runs the queue's progress whenever one of them is readable; the events
 * that result stay queued for the consumer.
 *
 * One thread per process, started with the first automatic queue and
 * stopped with the last.  Its epoll set holds the queues' srcfds; a
 * queue leaving the set may still be named by an epoll_wait result that
 * was returned before, so the thread checks membership under
 * auto_lock before touching a queue, and a queue leaves under that lock.
 */
#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "ual_internal.h"

#define PROGRESS_BATCH 16

static pthread_mutex_t life_lock = PTHREAD_MUTEX_INITIALIZER; /* start/stop */
static pthread_mutex_t auto_lock = PTHREAD_MUTEX_INITIALIZER; /* the set */
static struct ual_list auto_eqs = { &auto_eqs, &auto_eqs };
static int auto_count;
static int prog_epfd = -1;
static int prog_stopfd = -1;
static bool prog_stop;
static bool prog_running;
static pthread_t prog_thread;

static bool is_member(const struct ual_eq *eq)
{
	const struct ual_list *l;

	for (l = auto_eqs.next; l != &auto_eqs; l = l->next)
		if (ual_container_of(l, struct ual_eq, auto_link) == eq)
			return true;
	return false;
}

static void *progress_main(void *arg)
{
	struct epoll_event evs[PROGRESS_BATCH];
	bool stop = false;
	int i, n;

	(void)arg;
	while (!stop) {
		n = epoll_wait(prog_epfd, evs, PROGRESS_BATCH, -1);
		if (n < 0 && errno != EINTR)
			break;
		pthread_mutex_lock(&auto_lock);
		stop = prog_stop;
		for (i = 0; i < n && !stop; i++) {
			struct ual_eq *eq = evs[i].data.ptr;

			if (eq && is_member(eq))
				ual_eq_progress(eq, false);
		}
		pthread_mutex_unlock(&auto_lock);
	}
	return NULL;
}

/* Called with life_lock held. */
static int progress_start(struct ual_error *err)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = NULL };
	int ret;

	if (prog_running)
		return 0;
	prog_epfd = epoll_create1(EPOLL_CLOEXEC);
	prog_stopfd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (prog_epfd < 0 || prog_stopfd < 0 ||
	    epoll_ctl(prog_epfd, EPOLL_CTL_ADD, prog_stopfd, &ev)) {
		ret = ual_err_set(err, errno, "epoll_create1/eventfd",
				  "the progress thread's wake-up");
		goto err_close;
	}
	prog_stop = false;
	ret = pthread_create(&prog_thread, NULL, progress_main, NULL);
	if (ret) {
		ret = ual_err_set(err, ret, "pthread_create",
				  "the progress thread");
		goto err_close;
	}
	prog_running = true;
	return 0;

err_close:
	if (prog_stopfd >= 0)
		close(prog_stopfd);
	if (prog_epfd >= 0)
		close(prog_epfd);
	prog_stopfd = prog_epfd = -1;
	return ret;
}

/* Called with life_lock held, auto_lock not. */
static void progress_stop(void)
{
	uint64_t one = 1;

	pthread_mutex_lock(&auto_lock);
	prog_stop = true;
	pthread_mutex_unlock(&auto_lock);
	if (write(prog_stopfd, &one, sizeof(one)) < 0)
		return;	/* cannot fail on a fresh eventfd; keep the thread */
	pthread_join(prog_thread, NULL);
	close(prog_stopfd);
	close(prog_epfd);
	prog_stopfd = prog_epfd = -1;
	prog_running = false;
}

static int progress_add(struct ual_eq *eq, struct ual_error *err)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = eq };
	int ret = 0;

	pthread_mutex_lock(&auto_lock);
	if (eq->auto_progress)
		goto out;
	if (epoll_ctl(prog_epfd, EPOLL_CTL_ADD, eq->srcfd, &ev)) {
		ret = ual_err_set(err, errno, "epoll_ctl", "the progress thread's set");
		goto out;
	}
	/* From now on the consumer's fd wakes for queued events only. */
	epoll_ctl(eq->epfd, EPOLL_CTL_DEL, eq->srcfd, NULL);
	ual_list_add(&auto_eqs, &eq->auto_link);
	eq->auto_progress = true;
	auto_count++;
out:
	pthread_mutex_unlock(&auto_lock);
	return ret;
}

/* Takes @eq out of the thread's set; returns true if it was in. */
static bool progress_del(struct ual_eq *eq)
{
	bool was;

	pthread_mutex_lock(&auto_lock);
	was = eq->auto_progress;
	if (was) {
		epoll_ctl(prog_epfd, EPOLL_CTL_DEL, eq->srcfd, NULL);
		ual_list_del(&eq->auto_link);
		eq->auto_progress = false;
		auto_count--;
	}
	pthread_mutex_unlock(&auto_lock);
	return was;
}

void ual_progress_remove(struct ual_eq *eq)
{
	pthread_mutex_lock(&life_lock);
	if (progress_del(eq) && !auto_count)
		progress_stop();
	pthread_mutex_unlock(&life_lock);
}

int ual_eq_set_auto_progress(struct ual_eq *eq, int on, struct ual_error *err)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.fd = eq->srcfd };
	int ret = 0;

	pthread_mutex_lock(&life_lock);
	if (on) {
		ret = progress_start(err);
		if (!ret)
			ret = progress_add(eq, err);
		if (ret && !auto_count && prog_running)
			progress_stop();
	} else if (progress_del(eq)) {
		if (epoll_ctl(eq->epfd, EPOLL_CTL_ADD, eq->srcfd, &ev))
			ret = ual_err_set(err, errno, "epoll_ctl",
					  "giving the queue's sources back to its fd");
		if (!auto_count)
			progress_stop();
	}
	pthread_mutex_unlock(&life_lock);
	/* Work that arrived while nobody watched is picked up now. */
	ual_eq_wake(eq);
	return ret;
}
