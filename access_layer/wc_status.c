// SPDX-License-Identifier: BSD-2-Clause
/*
 * wc_status.c - completion status and opcode, transport neutral.
 *
 * The old stacks aborted or said "DAT_ABORT" when a QP died.  Every verbs
 * status maps to a cause that a consumer can act on; the raw value stays
 * available as vendor_status.  Status, opcode and flags are mapped by
 * tables, so converting a completion (ual_wc_from_ibv in ual_internal.h)
 * is three loads, no switch and no call: the layer's share of every
 * completion stays small.
 */
#include <config.h>

#include "ual_internal.h"

/* Indexed by enum ibv_wc_status; values past the end map to OTHER. */
const uint8_t ual_wc_status_table[UAL_IBV_WC_STATUS_MAX] = {
	[IBV_WC_SUCCESS] = UAL_WC_SUCCESS,
	[IBV_WC_LOC_LEN_ERR] = UAL_WC_LOCAL_LENGTH,
	[IBV_WC_LOC_QP_OP_ERR] = UAL_WC_LOCAL_QP_OPERATION,
	[IBV_WC_LOC_EEC_OP_ERR] = UAL_WC_OTHER,
	[IBV_WC_LOC_PROT_ERR] = UAL_WC_LOCAL_PROTECTION,
	[IBV_WC_WR_FLUSH_ERR] = UAL_WC_FLUSHED,
	[IBV_WC_MW_BIND_ERR] = UAL_WC_MW_BIND,
	[IBV_WC_BAD_RESP_ERR] = UAL_WC_BAD_RESPONSE,
	[IBV_WC_LOC_ACCESS_ERR] = UAL_WC_OTHER,
	[IBV_WC_REM_INV_REQ_ERR] = UAL_WC_REMOTE_OPERATION,
	[IBV_WC_REM_ACCESS_ERR] = UAL_WC_REMOTE_ACCESS,
	[IBV_WC_REM_OP_ERR] = UAL_WC_REMOTE_OPERATION,
	[IBV_WC_RETRY_EXC_ERR] = UAL_WC_TRANSPORT_RETRY_EXCEEDED,
	[IBV_WC_RNR_RETRY_EXC_ERR] = UAL_WC_RNR_RETRY_EXCEEDED,
	[IBV_WC_LOC_RDD_VIOL_ERR] = UAL_WC_OTHER,
	[IBV_WC_REM_INV_RD_REQ_ERR] = UAL_WC_OTHER,
	[IBV_WC_REM_ABORT_ERR] = UAL_WC_REMOTE_OPERATION,
	[IBV_WC_INV_EECN_ERR] = UAL_WC_REMOTE_OPERATION,
	[IBV_WC_INV_EEC_STATE_ERR] = UAL_WC_REMOTE_OPERATION,
	[IBV_WC_FATAL_ERR] = UAL_WC_OTHER,
	[IBV_WC_RESP_TIMEOUT_ERR] = UAL_WC_OTHER,
	[IBV_WC_GENERAL_ERR] = UAL_WC_OTHER,
	[IBV_WC_TM_ERR] = UAL_WC_OTHER,
	[IBV_WC_TM_RNDV_INCOMPLETE] = UAL_WC_OTHER,
};

/*
 * Indexed by enum ibv_wc_opcode (all below 256).  Every slot starts as
 * UAL_WC_UNKNOWN (UAL_WC_SEND is 0, so an empty slot would read as a
 * send); the known opcodes override it.
 */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Woverride-init"
const uint8_t ual_wc_opcode_table[UAL_IBV_WC_OPCODE_SLOTS] = {
	[0 ... UAL_IBV_WC_OPCODE_SLOTS - 1] = UAL_WC_UNKNOWN,
	[IBV_WC_SEND] = UAL_WC_SEND,
	[IBV_WC_RDMA_WRITE] = UAL_WC_RDMA_WRITE,
	[IBV_WC_RDMA_READ] = UAL_WC_RDMA_READ,
	[IBV_WC_COMP_SWAP] = UAL_WC_CMP_SWAP,
	[IBV_WC_FETCH_ADD] = UAL_WC_FETCH_ADD,
	[IBV_WC_BIND_MW] = UAL_WC_BIND_MW,
	[IBV_WC_LOCAL_INV] = UAL_WC_LOCAL_INV,
	[IBV_WC_RECV] = UAL_WC_RECV,
	[IBV_WC_RECV_RDMA_WITH_IMM] = UAL_WC_RECV_RDMA_WITH_IMM,
};
#pragma GCC diagnostic pop

#define FLAGS(f, inv) ((((f) & IBV_WC_WITH_IMM) ? UAL_WC_WITH_IMM : 0) | \
		       (((f) & IBV_WC_GRH) ? UAL_WC_WITH_GRH : 0) | \
		       (((f) & (inv)) ? UAL_WC_WITH_INV : 0))
#define ROW(inv) { FLAGS(0, inv), FLAGS(1, inv), FLAGS(2, inv), \
		   FLAGS(3, inv), FLAGS(4, inv), FLAGS(5, inv), \
		   FLAGS(6, inv), FLAGS(7, inv), FLAGS(8, inv), \
		   FLAGS(9, inv), FLAGS(10, inv), FLAGS(11, inv), \
		   FLAGS(12, inv), FLAGS(13, inv), FLAGS(14, inv), \
		   FLAGS(15, inv) }
const uint8_t ual_wc_flag_map[16] = ROW(IBV_WC_WITH_INV);
const uint8_t ual_wc_flag_map_rxe[16] = ROW(IBV_WC_WITH_INV | IBV_WC_IP_CSUM_OK);
#undef ROW
#undef FLAGS

enum ual_wc_status ual_wc_status_from_ibv(enum ibv_wc_status s)
{
	return ual_wc_status_index(s);
}

enum ual_wc_opcode ual_wc_opcode_from_ibv(enum ibv_wc_opcode op)
{
	return ual_wc_opcode_index(op);
}

static const char *const wc_status_text[UAL_WC_STATUS_COUNT] = {
	[UAL_WC_SUCCESS] = "success",
	[UAL_WC_LOCAL_LENGTH] = "local length error (receive buffer too small or message too long)",
	[UAL_WC_LOCAL_PROTECTION] = "local protection error (buffer not registered, wrong lkey or access)",
	[UAL_WC_FLUSHED] = "flushed (the endpoint was disconnected or went to error)",
	[UAL_WC_REMOTE_ACCESS] = "remote access error (bad rkey, range or rights at the peer)",
	[UAL_WC_REMOTE_OPERATION] = "remote operation error (the peer could not execute the request)",
	[UAL_WC_TRANSPORT_RETRY_EXCEEDED] = "transport retries exceeded (peer unreachable or dead)",
	[UAL_WC_RNR_RETRY_EXCEEDED] = "receiver-not-ready retries exceeded (peer posted no receive)",
	[UAL_WC_BAD_RESPONSE] = "bad response from the peer",
	[UAL_WC_OTHER] = "other error (see vendor_status)",
	[UAL_WC_LOCAL_QP_OPERATION] = "local QP operation error (malformed work request, or one the endpoint's state or type does not allow)",
	[UAL_WC_MW_BIND] = "memory window bind error (range outside the region, region without MW-bind access, rights the region lacks, or window in the wrong state)",
};

const char *ual_wc_status_str(enum ual_wc_status status)
{
	if ((unsigned int)status >= UAL_WC_STATUS_COUNT)
		return "invalid completion status";
	return wc_status_text[status];
}
