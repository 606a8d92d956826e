// SPDX-License-Identifier: BSD-2-Clause
/*
 * check_ual_qptable.c - the QP number -> endpoint table (qp_table.c):
 * lookups, growth, tombstones, scope filtering, and lookups racing
 * inserts and removals in another thread.
 */
#include <config.h>

#include <check.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "../../access_layer/ual_internal.h"

#define MANY 3000

struct fixture {
	struct ual_hca hca;
	struct ual_device a, b;		/* two scopes on the device */
	struct ibv_qp qps[MANY];
	struct ual_ep eps[MANY];
};

static struct fixture *fx;

static void setup(void)
{
	int i;

	fx = calloc(1, sizeof(*fx));
	ck_assert_ptr_nonnull(fx);
	pthread_mutex_init(&fx->hca.lock, NULL);
	fx->a.hca = fx->b.hca = &fx->hca;
	for (i = 0; i < MANY; i++) {
		/* Spread like real QP numbers, with runs that collide. */
		fx->qps[i].qp_num = 0x11 + (uint32_t)i * 7 + (i % 3 ? 0 : 0x100000);
		fx->eps[i].qp = &fx->qps[i];
		fx->eps[i].dev = i % 2 ? &fx->b : &fx->a;
	}
}

static void teardown(void)
{
	ual_qp_table_free(&fx->hca);
	pthread_mutex_destroy(&fx->hca.lock);
	free(fx);
}

static struct ual_ep *find(int i)
{
	return ual_ep_from_qp_num(fx->eps[i].dev, fx->qps[i].qp_num);
}

START_TEST(insert_lookup_grow)
{
	int i;

	ck_assert_ptr_null(ual_ep_from_qp_num(&fx->a, 0x11));
	for (i = 0; i < MANY; i++)
		ck_assert_int_eq(ual_device_qp_insert(fx->eps[i].dev, &fx->eps[i]), 0);
	for (i = 0; i < MANY; i++)
		ck_assert_ptr_eq(find(i), &fx->eps[i]);
	ck_assert_ptr_null(ual_ep_from_qp_num(&fx->a, 0x10));
	ck_assert_ptr_null(ual_ep_from_qp_num(&fx->a, UAL_QPT_TOMB));
	ck_assert_uint_ge(fx->hca.qpt->size, 2 * MANY);
	ck_assert_ptr_nonnull(fx->hca.qpt->retired);	/* it grew */
}
END_TEST

START_TEST(other_scope_is_invisible)
{
	ck_assert_int_eq(ual_device_qp_insert(&fx->b, &fx->eps[1]), 0);
	ck_assert_ptr_eq(ual_ep_from_qp_num(&fx->b, fx->qps[1].qp_num), &fx->eps[1]);
	ck_assert_ptr_null(ual_ep_from_qp_num(&fx->a, fx->qps[1].qp_num));
}
END_TEST

START_TEST(remove_leaves_others_reachable)
{
	int i;

	for (i = 0; i < MANY; i++)
		ual_device_qp_insert(fx->eps[i].dev, &fx->eps[i]);
	for (i = 0; i < MANY; i += 2)
		ual_device_qp_remove(fx->eps[i].dev, &fx->eps[i]);
	for (i = 0; i < MANY; i++)
		ck_assert_ptr_eq(find(i), i % 2 ? &fx->eps[i] : NULL);
	/* Tombstones are reused and never exceed the table. */
	for (i = 0; i < MANY; i += 2)
		ck_assert_int_eq(ual_device_qp_insert(fx->eps[i].dev, &fx->eps[i]), 0);
	for (i = 0; i < MANY; i++)
		ck_assert_ptr_eq(find(i), &fx->eps[i]);
	ck_assert_uint_le(fx->hca.qpt->used * 2, fx->hca.qpt->size);
}
END_TEST

START_TEST(churn_rehashes_tombstones)
{
	int round, i;

	/* Endpoints come and go for a long time: the table must not fill up. */
	for (round = 0; round < 50; round++) {
		for (i = 0; i < 200; i++)
			ual_device_qp_insert(fx->eps[round * 50 + i].dev,
					     &fx->eps[round * 50 + i]);
		for (i = 0; i < 200; i++)
			ual_device_qp_remove(fx->eps[round * 50 + i].dev,
					     &fx->eps[round * 50 + i]);
	}
	ck_assert_uint_le(fx->hca.qpt->size, 1024);
	for (i = 0; i < MANY; i++)
		ck_assert_ptr_null(find(i));
}
END_TEST

static volatile int stop_readers;

static void *reader(void *arg)
{
	long bad = 0;
	int i;

	(void)arg;
	while (!stop_readers) {
		for (i = 0; i < 512; i++) {
			struct ual_ep *ep = find(i);

			/* Absent is fine while a writer works; wrong never is. */
			if (ep && ep != &fx->eps[i])
				bad++;
			if (i < 64 && ep != &fx->eps[i])
				bad++;	/* never removed: always found */
		}
	}
	return (void *)bad;
}

START_TEST(lookups_race_writers)
{
	pthread_t t;
	void *bad;
	int round, i;

	for (i = 0; i < 64; i++)
		ual_device_qp_insert(fx->eps[i].dev, &fx->eps[i]);
	stop_readers = 0;
	ck_assert_int_eq(pthread_create(&t, NULL, reader, NULL), 0);
	for (round = 0; round < 200; round++) {
		for (i = 64; i < 512; i++)
			ual_device_qp_insert(fx->eps[i].dev, &fx->eps[i]);
		for (i = 64; i < 512; i++)
			ual_device_qp_remove(fx->eps[i].dev, &fx->eps[i]);
	}
	stop_readers = 1;
	pthread_join(t, &bad);
	ck_assert_ptr_null(bad);
}
END_TEST

static Suite *qptable_suite(void)
{
	Suite *s = suite_create("ual_qptable");
	TCase *t = tcase_create("qp_table");

	tcase_add_checked_fixture(t, setup, teardown);
	tcase_set_timeout(t, 60);
	tcase_add_test(t, insert_lookup_grow);
	tcase_add_test(t, other_scope_is_invisible);
	tcase_add_test(t, remove_leaves_others_reachable);
	tcase_add_test(t, churn_rehashes_tombstones);
	tcase_add_test(t, lookups_race_writers);
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(qptable_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
