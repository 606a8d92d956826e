// SPDX-License-Identifier: BSD-2-Clause
/*
 * check_ual_wc.c - completion conversion: every ibv_wc_status and every
 * ibv_wc_opcode of rdma-core's verbs.h, the flags, and that no field of
 * an earlier completion survives in a reused ual_wc.  Also the window
 * and SRQ-resize capability bits taken from ibv_device_attr.
 */
#include <config.h>

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "../../access_layer/ual_internal.h"

/* Every status verbs.h defines, with the cause a consumer acts on. */
static const struct {
	enum ibv_wc_status in;
	enum ual_wc_status out;
} status_map[] = {
	{ IBV_WC_SUCCESS, UAL_WC_SUCCESS },
	{ IBV_WC_LOC_LEN_ERR, UAL_WC_LOCAL_LENGTH },
	{ IBV_WC_LOC_QP_OP_ERR, UAL_WC_LOCAL_QP_OPERATION },
	{ IBV_WC_LOC_EEC_OP_ERR, UAL_WC_OTHER },
	{ IBV_WC_LOC_PROT_ERR, UAL_WC_LOCAL_PROTECTION },
	{ IBV_WC_WR_FLUSH_ERR, UAL_WC_FLUSHED },
	{ IBV_WC_MW_BIND_ERR, UAL_WC_MW_BIND },
	{ IBV_WC_BAD_RESP_ERR, UAL_WC_BAD_RESPONSE },
	{ IBV_WC_LOC_ACCESS_ERR, UAL_WC_OTHER },
	{ IBV_WC_REM_INV_REQ_ERR, UAL_WC_REMOTE_OPERATION },
	{ IBV_WC_REM_ACCESS_ERR, UAL_WC_REMOTE_ACCESS },
	{ IBV_WC_REM_OP_ERR, UAL_WC_REMOTE_OPERATION },
	{ IBV_WC_RETRY_EXC_ERR, UAL_WC_TRANSPORT_RETRY_EXCEEDED },
	{ IBV_WC_RNR_RETRY_EXC_ERR, UAL_WC_RNR_RETRY_EXCEEDED },
	{ IBV_WC_LOC_RDD_VIOL_ERR, UAL_WC_OTHER },
	{ IBV_WC_REM_INV_RD_REQ_ERR, UAL_WC_OTHER },
	{ IBV_WC_REM_ABORT_ERR, UAL_WC_REMOTE_OPERATION },
	{ IBV_WC_INV_EECN_ERR, UAL_WC_REMOTE_OPERATION },
	{ IBV_WC_INV_EEC_STATE_ERR, UAL_WC_REMOTE_OPERATION },
	{ IBV_WC_FATAL_ERR, UAL_WC_OTHER },
	{ IBV_WC_RESP_TIMEOUT_ERR, UAL_WC_OTHER },
	{ IBV_WC_GENERAL_ERR, UAL_WC_OTHER },
	{ IBV_WC_TM_ERR, UAL_WC_OTHER },
	{ IBV_WC_TM_RNDV_INCOMPLETE, UAL_WC_OTHER },
};

static const struct {
	enum ibv_wc_opcode in;
	enum ual_wc_opcode out;
} opcode_map[] = {
	{ IBV_WC_SEND, UAL_WC_SEND },
	{ IBV_WC_RDMA_WRITE, UAL_WC_RDMA_WRITE },
	{ IBV_WC_RDMA_READ, UAL_WC_RDMA_READ },
	{ IBV_WC_COMP_SWAP, UAL_WC_CMP_SWAP },
	{ IBV_WC_FETCH_ADD, UAL_WC_FETCH_ADD },
	{ IBV_WC_BIND_MW, UAL_WC_BIND_MW },
	{ IBV_WC_LOCAL_INV, UAL_WC_LOCAL_INV },
	{ IBV_WC_TSO, UAL_WC_UNKNOWN },
	{ IBV_WC_ATOMIC_WRITE, UAL_WC_UNKNOWN },
	{ IBV_WC_RECV, UAL_WC_RECV },
	{ IBV_WC_RECV_RDMA_WITH_IMM, UAL_WC_RECV_RDMA_WITH_IMM },
	{ IBV_WC_TM_ADD, UAL_WC_UNKNOWN },
	{ IBV_WC_TM_DEL, UAL_WC_UNKNOWN },
	{ IBV_WC_TM_SYNC, UAL_WC_UNKNOWN },
	{ IBV_WC_TM_RECV, UAL_WC_UNKNOWN },
	{ IBV_WC_TM_NO_TAG, UAL_WC_UNKNOWN },
	{ IBV_WC_DRIVER1, UAL_WC_UNKNOWN },
	{ IBV_WC_DRIVER2, UAL_WC_UNKNOWN },
	{ IBV_WC_DRIVER3, UAL_WC_UNKNOWN },
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

START_TEST(every_status_maps)
{
	size_t i;

	/* The table covers verbs.h to its last status. */
	ck_assert_int_eq(N(status_map), UAL_IBV_WC_STATUS_MAX);
	for (i = 0; i < N(status_map); i++) {
		ck_assert_int_eq(status_map[i].in, i);
		ck_assert_int_eq(ual_wc_status_from_ibv(status_map[i].in),
				 status_map[i].out);
	}
	/* A status newer than this build's verbs.h is OTHER, not garbage. */
	ck_assert_int_eq(ual_wc_status_from_ibv(UAL_IBV_WC_STATUS_MAX),
			 UAL_WC_OTHER);
	ck_assert_int_eq(ual_wc_status_from_ibv((enum ibv_wc_status)-1),
			 UAL_WC_OTHER);
}
END_TEST

START_TEST(new_statuses_keep_old_values)
{
	/* Appended: the existing values a shim's table indexes are unchanged. */
	ck_assert_int_eq(UAL_WC_SUCCESS, 0);
	ck_assert_int_eq(UAL_WC_OTHER, 9);
	ck_assert_int_eq(UAL_WC_LOCAL_QP_OPERATION, 10);
	ck_assert_int_eq(UAL_WC_MW_BIND, 11);
	ck_assert_int_eq(UAL_WC_STATUS_COUNT, 12);
	ck_assert_int_eq(UAL_WC_UNKNOWN, 7);
	ck_assert_int_eq(UAL_WC_BIND_MW, 8);
	ck_assert_int_eq(UAL_WC_LOCAL_INV, 9);
}
END_TEST

START_TEST(every_status_has_text)
{
	int s;

	for (s = 0; s < UAL_WC_STATUS_COUNT; s++)
		ck_assert_int_gt(strlen(ual_wc_status_str(s)), 5);
	ck_assert_ptr_nonnull(strstr(ual_wc_status_str(UAL_WC_MW_BIND),
				     "window"));
	ck_assert_ptr_nonnull(strstr(ual_wc_status_str(UAL_WC_LOCAL_QP_OPERATION),
				     "QP"));
}
END_TEST

START_TEST(every_opcode_maps)
{
	size_t i;
	unsigned int op;

	for (i = 0; i < N(opcode_map); i++)
		ck_assert_int_eq(ual_wc_opcode_from_ibv(opcode_map[i].in),
				 opcode_map[i].out);
	/* Values verbs.h does not define are unknown, never a send. */
	for (op = 0; op < 512; op++) {
		bool known = false;

		for (i = 0; i < N(opcode_map); i++)
			known |= opcode_map[i].in == op;
		if (!known)
			ck_assert_int_eq(ual_wc_opcode_from_ibv(op),
					 UAL_WC_UNKNOWN);
	}
}
END_TEST

/* A ual_wc full of a previous completion's values. */
static void dirty(struct ual_wc *w)
{
	memset(w, 0xa5, sizeof(*w));
}

START_TEST(error_wc_has_no_stale_fields)
{
	struct ibv_wc in;
	struct ual_wc out;
	size_t i;

	for (i = 1; i < N(status_map); i++) {
		/* verbs leaves everything but these undefined on errors */
		memset(&in, 0x5a, sizeof(in));
		in.wr_id = 77;
		in.status = status_map[i].in;
		in.qp_num = 12;
		dirty(&out);
		ual_wc_from_ibv(&in, &out, ual_wc_flag_map);
		ck_assert_uint_eq(out.context, 77);
		ck_assert_int_eq(out.status, status_map[i].out);
		ck_assert_uint_eq(out.vendor_status, status_map[i].in);
		ck_assert_uint_eq(out.qp_num, 12);
		ck_assert_int_eq(out.opcode, UAL_WC_UNKNOWN);
		ck_assert_uint_eq(out.byte_len, 0);
		ck_assert_uint_eq(out.imm_data, 0);
		ck_assert_uint_eq(out.src_qp, 0);
		ck_assert_uint_eq(out.flags, 0);
	}
}
END_TEST

START_TEST(success_wc_fields_and_flags)
{
	struct ibv_wc in;
	struct ual_wc out;

	memset(&in, 0, sizeof(in));
	in.wr_id = 5;
	in.opcode = IBV_WC_RECV;
	in.byte_len = 100;
	in.qp_num = 3;
	in.src_qp = 9;
	in.wc_flags = IBV_WC_WITH_IMM | IBV_WC_GRH;
	in.imm_data = 0x11223344;
	dirty(&out);
	ual_wc_from_ibv(&in, &out, ual_wc_flag_map);
	ck_assert_int_eq(out.status, UAL_WC_SUCCESS);
	ck_assert_int_eq(out.opcode, UAL_WC_RECV);
	ck_assert_uint_eq(out.byte_len, 100);
	ck_assert_uint_eq(out.src_qp, 9);
	ck_assert_uint_eq(out.flags, UAL_WC_WITH_IMM | UAL_WC_WITH_GRH);
	ck_assert_uint_eq(out.imm_data, 0x11223344);	/* as posted */

	/* Receive of a send with invalidate: the revoked key. */
	in.wc_flags = IBV_WC_WITH_INV;
	in.invalidated_rkey = 0xabcd01;
	dirty(&out);
	ual_wc_from_ibv(&in, &out, ual_wc_flag_map);
	ck_assert_uint_eq(out.flags, UAL_WC_WITH_INV);
	ck_assert_uint_eq(out.invalidated_rkey, 0xabcd01);

	/* No flag: imm_data is 0, not a previous completion's value. */
	in.wc_flags = IBV_WC_IP_CSUM_OK;
	in.opcode = IBV_WC_BIND_MW;
	dirty(&out);
	ual_wc_from_ibv(&in, &out, ual_wc_flag_map);
	ck_assert_uint_eq(out.flags, 0);
	ck_assert_uint_eq(out.imm_data, 0);
	ck_assert_int_eq(out.opcode, UAL_WC_BIND_MW);
}
END_TEST

START_TEST(rxe_invalidate_bit)
{
	struct ibv_wc in;
	struct ual_wc out;

	/* rxe 6.1 writes the kernel's WITH_INVALIDATE, verbs' IP_CSUM_OK */
	memset(&in, 0, sizeof(in));
	in.opcode = IBV_WC_RECV;
	in.wc_flags = IBV_WC_GRH | IBV_WC_IP_CSUM_OK;
	in.invalidated_rkey = 0x8000376;
	dirty(&out);
	ual_wc_from_ibv(&in, &out, ual_wc_flag_map_rxe);
	ck_assert_uint_eq(out.flags, UAL_WC_WITH_GRH | UAL_WC_WITH_INV);
	ck_assert_uint_eq(out.invalidated_rkey, 0x8000376);
	/* elsewhere the bit is a checksum flag and means nothing here */
	dirty(&out);
	ual_wc_from_ibv(&in, &out, ual_wc_flag_map);
	ck_assert_uint_eq(out.flags, UAL_WC_WITH_GRH);
	ck_assert_uint_eq(out.imm_data, 0);
}
END_TEST

START_TEST(window_and_resize_caps)
{
	/* rxe: MEM_WINDOW | MEM_WINDOW_TYPE_2B | SRQ_RESIZE, max_mw > 0 */
	ck_assert_uint_eq(ual_devcap_caps(IBV_DEVICE_MEM_WINDOW |
					  IBV_DEVICE_MEM_WINDOW_TYPE_2B |
					  IBV_DEVICE_SRQ_RESIZE, 4096),
			  UAL_CAP_MW_TYPE1 | UAL_CAP_MW_TYPE2 |
			  UAL_CAP_SRQ_RESIZE);
	ck_assert_uint_eq(ual_devcap_caps(IBV_DEVICE_MEM_WINDOW_TYPE_2A, 1),
			  UAL_CAP_MW_TYPE2);
	/* siw: a max_mw but no window flag, no SRQ resize */
	ck_assert_uint_eq(ual_devcap_caps(IBV_DEVICE_MEM_MGT_EXTENSIONS,
					  1000), 0);
	/* flags without a single window */
	ck_assert_uint_eq(ual_devcap_caps(IBV_DEVICE_MEM_WINDOW, 0), 0);
}
END_TEST

START_TEST(mw_bind_access_maps)
{
	ck_assert_int_eq(ual_access_to_ibv(UAL_ACCESS_MW_BIND),
			 IBV_ACCESS_MW_BIND);
	ck_assert(ual_access_effective(UAL_ACCESS_MW_BIND,
				       UAL_TRANSPORT_ROCE_V2) &
		  UAL_ACCESS_MW_BIND);
}
END_TEST

static Suite *wc_suite(void)
{
	Suite *s = suite_create("ual_wc");
	TCase *t = tcase_create("wc");

	tcase_add_test(t, every_status_maps);
	tcase_add_test(t, new_statuses_keep_old_values);
	tcase_add_test(t, every_status_has_text);
	tcase_add_test(t, every_opcode_maps);
	tcase_add_test(t, error_wc_has_no_stale_fields);
	tcase_add_test(t, success_wc_fields_and_flags);
	tcase_add_test(t, rxe_invalidate_bit);
	tcase_add_test(t, window_and_resize_caps);
	tcase_add_test(t, mw_bind_access_maps);
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(wc_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
