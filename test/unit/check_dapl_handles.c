// SPDX-License-Identifier: BSD-3-Clause OR GPL-2.0-only
/*
 * check_dapl_handles.c - the provider's handle checks (type-stable
 * objects: live, freed and wrong-type handles, the address test of
 * contexts) and the RMR side of the contract with evd.c: which
 * completions dapl_rmr_bind_event claims, and what it reports.
 * No device: objects are made with the allocator directly.
 */
#include <config.h>

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "../../dapl/common/dapl.h"

/* What handle.c and rmr.c need from ia.c and libdat2, unused here. */
void dapl_ia_link(struct dapl_ia *ia, struct dapl_hdr *h)
{
	(void)ia;
	(void)h;
	abort();
}

void dapl_ia_unlink(struct dapl_ia *ia, struct dapl_hdr *h)
{
	(void)ia;
	(void)h;
	abort();
}

void dapl_register_destructor(DAT_HANDLE_TYPE type, void (*fn)(struct dapl_hdr *))
{
	(void)type;
	(void)fn;
}

DAT_RETURN DAT_API dats_get_ia_handle(DAT_IA_HANDLE handle, DAT_IA_HANDLE *out);
DAT_RETURN DAT_API dats_get_ia_handle(DAT_IA_HANDLE handle, DAT_IA_HANDLE *out)
{
	*out = handle;
	return DAT_SUCCESS;
}

static DAT_PROVIDER provider;

START_TEST(test_handles)
{
	struct dapl_pz *pz = dapl_obj_alloc(&provider, DAT_HANDLE_TYPE_PZ,
					    sizeof(*pz), NULL);
	struct dapl_lmr *lmr = dapl_obj_alloc(&provider, DAT_HANDLE_TYPE_LMR,
					      sizeof(*lmr), NULL);

	ck_assert_ptr_nonnull(pz);
	ck_assert_ptr_nonnull(lmr);
	ck_assert_ptr_eq(*(DAT_PROVIDER **)pz, &provider);
	ck_assert_ptr_eq(dapl_obj_get(pz, DAT_HANDLE_TYPE_PZ), pz);
	ck_assert_ptr_null(dapl_obj_get(pz, DAT_HANDLE_TYPE_LMR));
	ck_assert_ptr_null(dapl_obj_get(NULL, DAT_HANDLE_TYPE_PZ));
	ck_assert_ptr_eq(dapl_hdr_get(lmr), &lmr->hdr);
	dapl_obj_free(pz);
	/* freed: unknown to every check, but still dispatchable */
	ck_assert_ptr_null(dapl_obj_get(pz, DAT_HANDLE_TYPE_PZ));
	ck_assert_ptr_null(dapl_hdr_get(pz));
	ck_assert_ptr_eq(*(DAT_PROVIDER **)pz, &provider);
	ck_assert_uint_eq(dapl_bad_handle(DAT_HANDLE_TYPE_PZ),
			  DAT_CLASS_ERROR | DAT_INVALID_HANDLE | DAT_INVALID_HANDLE_PZ);
	ck_assert_uint_eq(dapl_bad_handle(DAT_HANDLE_TYPE_RMR),
			  DAT_CLASS_ERROR | DAT_INVALID_HANDLE | DAT_INVALID_HANDLE_RMR);
	dapl_obj_free(lmr);
}
END_TEST

START_TEST(test_addr_valid)
{
	struct dapl_pz *a = dapl_obj_alloc(&provider, DAT_HANDLE_TYPE_PZ,
					   sizeof(*a), NULL);
	struct dapl_pz *b = dapl_obj_alloc(&provider, DAT_HANDLE_TYPE_PZ,
					   sizeof(*b), NULL);
	int on_stack;

	ck_assert(dapl_obj_addr_valid((uintptr_t)a, DAT_HANDLE_TYPE_PZ));
	ck_assert(dapl_obj_addr_valid((uintptr_t)b, DAT_HANDLE_TYPE_PZ));
	ck_assert(!dapl_obj_addr_valid((uintptr_t)a + 1, DAT_HANDLE_TYPE_PZ));
	ck_assert(!dapl_obj_addr_valid((uintptr_t)a + 8, DAT_HANDLE_TYPE_PZ));
	ck_assert(!dapl_obj_addr_valid((uintptr_t)a, DAT_HANDLE_TYPE_CNO));
	ck_assert(!dapl_obj_addr_valid((uintptr_t)&on_stack, DAT_HANDLE_TYPE_PZ));
	ck_assert(!dapl_obj_addr_valid(0, DAT_HANDLE_TYPE_PZ));
	ck_assert(!dapl_obj_addr_valid((uintptr_t)a, DAT_HANDLE_TYPE_EXTENSION_BASE));
	dapl_obj_free(a);
	/* a freed object's slot is still the pool's */
	ck_assert(dapl_obj_addr_valid((uintptr_t)a, DAT_HANDLE_TYPE_PZ));
	dapl_obj_free(b);
}
END_TEST

/* An RMR bound to an LMR with one bind posted in slot 0. */
static struct dapl_rmr *bound_rmr(struct dapl_lmr **lmr_out)
{
	struct dapl_rmr *rmr = dapl_obj_alloc(&provider, DAT_HANDLE_TYPE_RMR,
					      sizeof(*rmr), NULL);
	struct dapl_lmr *lmr = dapl_obj_alloc(&provider, DAT_HANDLE_TYPE_LMR,
					      sizeof(*lmr), NULL);

	pthread_mutex_init(&rmr->lock, NULL);
	lmr->refs = 1;
	rmr->lmr = lmr;
	rmr->triplet.segment_length = 4096;
	rmr->priv = DAT_MEM_PRIV_REMOTE_READ_FLAG;
	rmr->posts = 1;
	rmr->slot[0].cookie.as_64 = 0x1111;
	rmr->slot[1].cookie.as_64 = 0x2222;
	*lmr_out = lmr;
	return rmr;
}

static void drop(struct dapl_rmr *rmr, struct dapl_lmr *lmr)
{
	pthread_mutex_destroy(&rmr->lock);
	dapl_obj_free(rmr);
	dapl_obj_free(lmr);
}

START_TEST(test_bind_event_success)
{
	struct dapl_lmr *lmr;
	struct dapl_rmr *rmr = bound_rmr(&lmr);
	struct ual_wc wc = { .context = (uintptr_t)rmr | 1, .status = UAL_WC_SUCCESS };
	DAT_EVENT ev;

	memset(&ev, 0xee, sizeof(ev));
	ck_assert(dapl_rmr_bind_event(&wc, &ev));
	ck_assert_int_eq(ev.event_number, DAT_RMR_BIND_COMPLETION_EVENT);
	ck_assert_ptr_eq(ev.event_data.rmr_completion_event_data.rmr_handle, rmr);
	ck_assert_uint_eq(ev.event_data.rmr_completion_event_data.user_cookie.as_64, 0x1111);
	ck_assert_int_eq(ev.event_data.rmr_completion_event_data.status, DAT_RMR_BIND_SUCCESS);
	ck_assert_ptr_eq(rmr->lmr, lmr);
	ck_assert_int_eq(lmr->refs, 1);
	/* slot 1's cookie comes with tag 3 */
	wc.context = (uintptr_t)rmr | 3;
	ck_assert(dapl_rmr_bind_event(&wc, &ev));
	ck_assert_uint_eq(ev.event_data.rmr_completion_event_data.user_cookie.as_64, 0x2222);
	drop(rmr, lmr);
}
END_TEST

START_TEST(test_bind_event_failure)
{
	struct dapl_lmr *lmr;
	struct dapl_rmr *rmr = bound_rmr(&lmr);
	struct ual_wc wc = { .context = (uintptr_t)rmr | 1, .status = UAL_WC_FLUSHED };
	DAT_EVENT ev;

	/* flushed: reported as such; the last bind failed, so unbound */
	ck_assert(dapl_rmr_bind_event(&wc, &ev));
	ck_assert_int_eq(ev.event_data.rmr_completion_event_data.status, DAT_DTO_ERR_FLUSHED);
	ck_assert_ptr_null(rmr->lmr);
	ck_assert_int_eq(lmr->refs, 0);
	ck_assert_uint_eq(rmr->triplet.segment_length, 0);
	/* a refused bind (range, rights) */
	wc.status = UAL_WC_MW_BIND;
	ck_assert(dapl_rmr_bind_event(&wc, &ev));
	ck_assert_int_eq(ev.event_data.rmr_completion_event_data.status, DAT_RMR_OPERATION_FAILED);
	drop(rmr, lmr);
}
END_TEST

START_TEST(test_bind_event_older_failure)
{
	struct dapl_lmr *lmr;
	struct dapl_rmr *rmr = bound_rmr(&lmr);
	struct ual_wc wc = { .context = (uintptr_t)rmr | 1, .status = UAL_WC_MW_BIND };
	DAT_EVENT ev;

	/* a newer bind was posted (slot 1): the old failure leaves it bound */
	rmr->posts = 2;
	ck_assert(dapl_rmr_bind_event(&wc, &ev));
	ck_assert_ptr_eq(rmr->lmr, lmr);
	ck_assert_int_eq(lmr->refs, 1);
	drop(rmr, lmr);
}
END_TEST

START_TEST(test_bind_event_not_ours)
{
	struct dapl_lmr *lmr;
	struct dapl_rmr *rmr = bound_rmr(&lmr);
	struct ual_wc wc = { .status = UAL_WC_SUCCESS };
	DAT_EVENT ev;

	memset(&ev, 0xee, sizeof(ev));
	wc.context = (uintptr_t)rmr;		/* even: a DTO's */
	ck_assert(!dapl_rmr_bind_event(&wc, &ev));
	wc.context = 0x12345677;		/* odd, not an RMR */
	ck_assert(!dapl_rmr_bind_event(&wc, &ev));
	wc.context = (uintptr_t)lmr | 1;	/* another pool */
	ck_assert(!dapl_rmr_bind_event(&wc, &ev));
	wc.context = ((uintptr_t)rmr + 8) | 1;	/* inside, not an object */
	ck_assert(!dapl_rmr_bind_event(&wc, &ev));
	wc.context = UINT64_MAX;
	ck_assert(!dapl_rmr_bind_event(&wc, &ev));
	ck_assert_uint_eq(ev.event_number, 0xeeeeeeee);	/* untouched */
	drop(rmr, lmr);
}
END_TEST

START_TEST(test_bind_event_freed_rmr)
{
	struct dapl_lmr *lmr;
	struct dapl_rmr *rmr = bound_rmr(&lmr);
	struct ual_wc wc = { .context = (uintptr_t)rmr | 1, .status = UAL_WC_FLUSHED };
	DAT_EVENT ev;

	pthread_mutex_destroy(&rmr->lock);
	dapl_obj_free(rmr);
	/* still a bind's completion, but nothing of the old RMR is read */
	ck_assert(dapl_rmr_bind_event(&wc, &ev));
	ck_assert_ptr_eq(ev.event_data.rmr_completion_event_data.rmr_handle, rmr);
	ck_assert_uint_eq(ev.event_data.rmr_completion_event_data.user_cookie.as_64, 0);
	ck_assert_int_eq(lmr->refs, 1);
	dapl_obj_free(lmr);
}
END_TEST

static Suite *handles_suite(void)
{
	Suite *s = suite_create("dapl_handles");
	TCase *tc = tcase_create("handles");

	tcase_add_test(tc, test_handles);
	tcase_add_test(tc, test_addr_valid);
	suite_add_tcase(s, tc);
	tc = tcase_create("rmr_bind_event");
	tcase_add_test(tc, test_bind_event_success);
	tcase_add_test(tc, test_bind_event_failure);
	tcase_add_test(tc, test_bind_event_older_failure);
	tcase_add_test(tc, test_bind_event_not_ours);
	tcase_add_test(tc, test_bind_event_freed_rmr);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(handles_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
