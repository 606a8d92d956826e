// SPDX-License-Identifier: BSD-3-Clause OR GPL-2.0-only
/*
 * check_dapl_event.c - the uDAPL provider's conversion of layer events
 * and completions (dapl/common/event.c): every completion status, every
 * event type, OFA's reject header, and events about freed endpoints.
 * The EP and CR hooks event.c calls are stubbed here.
 */
#include <config.h>

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "../../dapl/common/dapl.h"

/* ---- stubs of the families event.c talks to ------------------------- */

static uint8_t kept[UAL_PDATA_MAX];
static int recv_done, req_done, crs_made;

void dapl_ia_link(struct dapl_ia *ia, struct dapl_hdr *h)
{
	(void)ia;
	(void)h;
}

void dapl_ia_unlink(struct dapl_ia *ia, struct dapl_hdr *h)
{
	(void)ia;
	(void)h;
}

void *dapl_ep_keep_pdata(struct dapl_ep *ep, const void *data, uint32_t len)
{
	(void)ep;
	memcpy(kept, data, len);
	return kept;
}

void dapl_ep_dto_done(struct dapl_ep *ep, bool recv)
{
	(void)ep;
	if (recv)
		recv_done++;
	else
		req_done++;
}

bool dapl_cr_from_event(struct dapl_evd *evd, const struct ual_event *ev,
			DAT_CR_ARRIVAL_EVENT_DATA *out)
{
	(void)evd;
	crs_made++;
	out->cr_handle = ev->req;
	return true;
}

static int srq_events;

/* rmr.c (linked for dapl_rmr_bind_event) needs these two. */
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

void dapl_srq_async_event(const struct ual_event *ev, DAT_EVENT *out)
{
	srq_events++;
	out->event_number = DAT_ASYNC_ERROR_PROVIDER_INTERNAL_ERROR;
	out->event_data.asynch_error_event_data.dat_handle = ev->context;
}

/* ---- fixtures -------------------------------------------------------- */

static DAT_PROVIDER prov;
static struct dapl_evd evd;
static struct dapl_ep *ep;

static void setup(void)
{
	ep = dapl_obj_alloc(&prov, DAT_HANDLE_TYPE_EP, sizeof(*ep), NULL);
	ck_assert_ptr_nonnull(ep);
	recv_done = req_done = crs_made = 0;
}

static void teardown(void)
{
	if (dapl_obj_get(ep, DAT_HANDLE_TYPE_EP))
		dapl_obj_free(ep);
}

/* The table of doc/access_layer.md, "Completion status mapping". */
static const DAT_DTO_COMPLETION_STATUS want_status[UAL_WC_STATUS_COUNT] = {
	[UAL_WC_SUCCESS] = DAT_DTO_SUCCESS,
	[UAL_WC_LOCAL_LENGTH] = DAT_DTO_ERR_LOCAL_LENGTH,
	[UAL_WC_LOCAL_PROTECTION] = DAT_DTO_ERR_LOCAL_PROTECTION,
	[UAL_WC_FLUSHED] = DAT_DTO_ERR_FLUSHED,
	[UAL_WC_REMOTE_ACCESS] = DAT_DTO_ERR_REMOTE_ACCESS,
	[UAL_WC_REMOTE_OPERATION] = DAT_DTO_ERR_REMOTE_RESPONDER,
	[UAL_WC_TRANSPORT_RETRY_EXCEEDED] = DAT_DTO_ERR_TRANSPORT,
	[UAL_WC_RNR_RETRY_EXCEEDED] = DAT_DTO_ERR_RECEIVER_NOT_READY,
	[UAL_WC_BAD_RESPONSE] = DAT_DTO_ERR_BAD_RESPONSE,
	[UAL_WC_OTHER] = DAT_DTO_ERR_TRANSPORT,
	[UAL_WC_LOCAL_QP_OPERATION] = DAT_DTO_ERR_LOCAL_EP,
	[UAL_WC_MW_BIND] = DAT_RMR_OPERATION_FAILED,
};

START_TEST(every_wc_status)
{
	struct ual_wc wc;
	DAT_EVENT out;
	int s;

	for (s = 0; s < UAL_WC_STATUS_COUNT; s++) {
		memset(&wc, 0, sizeof(wc));
		wc.status = s;
		wc.context = 0x1234500 + s;
		wc.opcode = s == UAL_WC_SUCCESS ? UAL_WC_RECV : UAL_WC_UNKNOWN;
		wc.byte_len = s == UAL_WC_SUCCESS ? 16 : 0;
		dapl_event_from_wc(&evd, ep, &wc, &out);
		ck_assert_int_eq(out.event_number, DAT_DTO_COMPLETION_EVENT);
		ck_assert_ptr_eq(out.evd_handle, &evd);
		ck_assert_int_eq(out.event_data.dto_completion_event_data.status,
				 want_status[s]);
		ck_assert_uint_eq(out.event_data.dto_completion_event_data.user_cookie.as_64,
				  0x1234500 + s);
		ck_assert_ptr_eq(out.event_data.dto_completion_event_data.ep_handle, ep);
	}
	/* The success was a receive; the errors count as requests. */
	ck_assert_int_eq(recv_done, 1);
	ck_assert_int_eq(req_done, UAL_WC_STATUS_COUNT - 1);
}
END_TEST

START_TEST(wc_fields)
{
	struct ual_wc wc = { .context = 7, .status = UAL_WC_SUCCESS,
			     .opcode = UAL_WC_RDMA_READ, .byte_len = 4096 };
	DAT_EVENT out;

	dapl_event_from_wc(&evd, NULL, &wc, &out);
	ck_assert_int_eq(out.event_data.dto_completion_event_data.operation,
			 DAT_DTO_RDMA_READ);
	ck_assert_uint_eq(out.event_data.dto_completion_event_data.transfered_length, 4096);
	ck_assert_ptr_null(out.event_data.dto_completion_event_data.ep_handle);
	wc.opcode = UAL_WC_RECV;
	wc.flags = UAL_WC_WITH_INV;
	wc.invalidated_rkey = 0xabc;
	dapl_event_from_wc(&evd, NULL, &wc, &out);
	ck_assert_int_eq(out.event_data.dto_completion_event_data.operation,
			 DAT_DTO_RECEIVE_WITH_INVALIDATE);
	ck_assert_uint_eq(out.event_data.dto_completion_event_data.rmr_context, 0xabc);
}
END_TEST

/*
 * Binds are rmr.c's (check_dapl_handles); here: a consumer cookie that
 * looks like a bind's tagged context (odd) but names no RMR stays the
 * consumer's DTO completion, also in error.
 */
START_TEST(rmr_bind_completion)
{
	static char not_an_rmr[64];
	struct ual_wc wc = { .context = (uintptr_t)not_an_rmr + 1,
			     .status = UAL_WC_FLUSHED, .opcode = UAL_WC_SEND };
	DAT_EVENT out;

	dapl_event_from_wc(&evd, ep, &wc, &out);
	ck_assert_int_eq(out.event_number, DAT_DTO_COMPLETION_EVENT);
	ck_assert_uint_eq(out.event_data.dto_completion_event_data.user_cookie.as_64,
			  (uintptr_t)not_an_rmr + 1);
	ck_assert_int_eq(out.event_data.dto_completion_event_data.status,
			 DAT_DTO_ERR_FLUSHED);
}
END_TEST

static DAT_EVENT_NUMBER conn(enum ual_event_type t, uint32_t flags,
			     enum ual_reject_reason why, DAT_EVENT *out)
{
	struct ual_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.type = t;
	ev.flags = flags;
	ev.reject_reason = why;
	ev.context = ep;
	ck_assert(dapl_event_from_ual(&evd, &ev, out));
	ck_assert_ptr_eq(out->event_data.connect_event_data.ep_handle, ep);
	return out->event_number;
}

START_TEST(connection_events)
{
	DAT_EVENT out;

	ck_assert_int_eq(conn(UAL_EVENT_CONN_ESTABLISHED, 0, 0, &out),
			 DAT_CONNECTION_EVENT_ESTABLISHED);
	ck_assert_int_eq(conn(UAL_EVENT_CONN_REJECTED, 0, UAL_REJECT_CONSUMER, &out),
			 DAT_CONNECTION_EVENT_PEER_REJECTED);
	ck_assert_int_eq(conn(UAL_EVENT_CONN_REJECTED, 0, UAL_REJECT_NO_LISTENER, &out),
			 DAT_CONNECTION_EVENT_NON_PEER_REJECTED);
	ck_assert_int_eq(conn(UAL_EVENT_CONN_REJECTED, 0, UAL_REJECT_OTHER, &out),
			 DAT_CONNECTION_EVENT_NON_PEER_REJECTED);
	ck_assert_int_eq(conn(UAL_EVENT_CONN_UNREACHABLE, 0, 0, &out),
			 DAT_CONNECTION_EVENT_UNREACHABLE);
	ck_assert_int_eq(conn(UAL_EVENT_CONN_UNREACHABLE, UAL_EVFLAG_TIMED_OUT, 0, &out),
			 DAT_CONNECTION_EVENT_TIMED_OUT);
	ck_assert_int_eq(conn(UAL_EVENT_CONN_DISCONNECTED, UAL_EVFLAG_TIMED_OUT, 0, &out),
			 DAT_CONNECTION_EVENT_DISCONNECTED);
	ck_assert_int_eq(conn(UAL_EVENT_CONN_BROKEN, 0, 0, &out),
			 DAT_CONNECTION_EVENT_BROKEN);
}
END_TEST

START_TEST(private_data)
{
	struct ual_event ev;
	DAT_EVENT out;
	uint8_t *p;

	memset(&ev, 0, sizeof(ev));
	ev.context = ep;
	ev.type = UAL_EVENT_CONN_ESTABLISHED;
	ev.private_data_len = 48;
	memset(ev.private_data, 7, 48);
	ck_assert(dapl_event_from_ual(&evd, &ev, &out));
	ck_assert_int_eq(out.event_data.connect_event_data.private_data_size, 48);
	p = out.event_data.connect_event_data.private_data;
	ck_assert_int_eq(p[0], 7);
	ck_assert_int_eq(p[47], 7);

	/* OFA's reject: 02 00 02 00, then the consumer's bytes. */
	ev.type = UAL_EVENT_CONN_REJECTED;
	ev.reject_reason = UAL_REJECT_CONSUMER;
	ev.private_data_len = 4 + 3;
	memcpy(ev.private_data, "\x02\x00\x02\x00" "abc", 7);
	ck_assert(dapl_event_from_ual(&evd, &ev, &out));
	ck_assert_int_eq(out.event_data.connect_event_data.private_data_size, 3);
	ck_assert_mem_eq(out.event_data.connect_event_data.private_data, "abc", 3);

	/* A reject without even the header carries nothing. */
	ev.private_data_len = 2;
	ck_assert(dapl_event_from_ual(&evd, &ev, &out));
	ck_assert_int_eq(out.event_data.connect_event_data.private_data_size, 0);
	ck_assert_ptr_null(out.event_data.connect_event_data.private_data);

	/* Non-peer rejects and failures carry no private data. */
	ev.reject_reason = UAL_REJECT_NO_LISTENER;
	ev.private_data_len = 20;
	ck_assert(dapl_event_from_ual(&evd, &ev, &out));
	ck_assert_int_eq(out.event_data.connect_event_data.private_data_size, 0);
}
END_TEST

START_TEST(freed_ep_dropped)
{
	struct ual_event ev;
	DAT_EVENT out;

	memset(&ev, 0, sizeof(ev));
	ev.type = UAL_EVENT_CONN_DISCONNECTED;
	ev.context = ep;
	dapl_obj_free(ep);
	ck_assert(!dapl_event_from_ual(&evd, &ev, &out));
}
END_TEST

START_TEST(every_event_type_defined)
{
	struct ual_event ev;
	DAT_EVENT out;
	int t;

	for (t = UAL_EVENT_NONE; t < UAL_EVENT_TYPE_COUNT; t++) {
		memset(&ev, 0, sizeof(ev));
		memset(&out, 0, sizeof(out));
		ev.type = t;
		ev.context = ep;
		if (t == UAL_EVENT_NONE) {
			ck_assert(!dapl_event_from_ual(&evd, &ev, &out));
			continue;
		}
		ck_assert_msg(dapl_event_from_ual(&evd, &ev, &out),
			      "%s dropped", ual_event_name(t));
		ck_assert_msg(out.event_number != 0, "%s has no DAT event",
			      ual_event_name(t));
	}
	ck_assert_int_eq(crs_made, 1);
	/* SRQ events about a live SRQ are srq.c's to convert. */
	ck_assert_int_eq(srq_events, 0);	/* ep is no SRQ: not handed over */
}
END_TEST

/*
 * OFA's mapping of verbs' LAST_WQE_REACHED: EP_BROKEN naming the EP, which
 * dtestsrq waits for after each disconnect of an EP on an SRQ; about an
 * EP freed meanwhile it names no EP.
 */
START_TEST(last_wqe_is_ep_broken)
{
	struct ual_event ev;
	DAT_EVENT out;

	memset(&ev, 0, sizeof(ev));
	ev.type = UAL_EVENT_EP_LAST_WQE;
	ev.context = ep;
	ck_assert(dapl_event_from_ual(&evd, &ev, &out));
	ck_assert_int_eq(out.event_number, DAT_ASYNC_ERROR_EP_BROKEN);
	ck_assert_ptr_eq(out.evd_handle, &evd);
	ck_assert_ptr_eq(out.event_data.asynch_error_event_data.dat_handle, ep);
	ck_assert_int_eq(out.event_data.asynch_error_event_data.reason,
			 DAT_EP_OTHER_ERROR);
	ck_assert_str_eq(ual_event_name(UAL_EVENT_EP_LAST_WQE),
			 "last SRQ receive taken");

	dapl_obj_free(ep);
	ck_assert(dapl_event_from_ual(&evd, &ev, &out));
	ck_assert_int_eq(out.event_number, DAT_ASYNC_ERROR_EP_BROKEN);
	ck_assert_ptr_null(out.event_data.asynch_error_event_data.dat_handle);
}
END_TEST

START_TEST(software_event)
{
	struct ual_event ev = { .type = UAL_EVENT_SOFTWARE, .software = 0xfeed };
	DAT_EVENT out;

	ck_assert(dapl_event_from_ual(&evd, &ev, &out));
	ck_assert_int_eq(out.event_number, DAT_SOFTWARE_EVENT);
	ck_assert_ptr_eq(out.event_data.software_event_data.pointer, (void *)0xfeed);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("dapl_event");
	TCase *tc = tcase_create("conversion");
	SRunner *sr;
	int failed;

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, every_wc_status);
	tcase_add_test(tc, wc_fields);
	tcase_add_test(tc, rmr_bind_completion);
	tcase_add_test(tc, connection_events);
	tcase_add_test(tc, private_data);
	tcase_add_test(tc, freed_ep_dropped);
	tcase_add_test(tc, every_event_type_defined);
	tcase_add_test(tc, last_wqe_is_ep_broken);
	tcase_add_test(tc, software_event);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
