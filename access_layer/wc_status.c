// SPDX-License-Identifier: BSD-2-Clause
/*
 * wc_status.c - completion status and opcode, transport neutral.
 *
 * The old stacks aborted or said "DAT_ABORT" when a QP died.  Every verbs
 * status maps to one of ten causes that a consumer can act on; the raw
 * value stays available as vendor_status.
 */
#include <config.h>

#include "ual_internal.h"

enum ual_wc_status ual_wc_status_from_ibv(enum ibv_wc_status s)
{
	switch (s) {
	case IBV_WC_SUCCESS:
		return UAL_WC_SUCCESS;
	case IBV_WC_LOC_LEN_ERR:
		return UAL_WC_LOCAL_LENGTH;
	case IBV_WC_LOC_PROT_ERR:
	case IBV_WC_MW_BIND_ERR:
		return UAL_WC_LOCAL_PROTECTION;
	case IBV_WC_WR_FLUSH_ERR:
		return UAL_WC_FLUSHED;
	case IBV_WC_REM_ACCESS_ERR:
		return UAL_WC_REMOTE_ACCESS;
	case IBV_WC_REM_OP_ERR:
	case IBV_WC_REM_INV_REQ_ERR:
	case IBV_WC_REM_ABORT_ERR:
	case IBV_WC_INV_EECN_ERR:
	case IBV_WC_INV_EEC_STATE_ERR:
		return UAL_WC_REMOTE_OPERATION;
	case IBV_WC_RETRY_EXC_ERR:
		return UAL_WC_TRANSPORT_RETRY_EXCEEDED;
	case IBV_WC_RNR_RETRY_EXC_ERR:
		return UAL_WC_RNR_RETRY_EXCEEDED;
	case IBV_WC_BAD_RESP_ERR:
		return UAL_WC_BAD_RESPONSE;
	default:
		return UAL_WC_OTHER;
	}
}

enum ual_wc_opcode ual_wc_opcode_from_ibv(enum ibv_wc_opcode op)
{
	switch (op) {
	case IBV_WC_SEND:
		return UAL_WC_SEND;
	case IBV_WC_RDMA_WRITE:
		return UAL_WC_RDMA_WRITE;
	case IBV_WC_RDMA_READ:
		return UAL_WC_RDMA_READ;
	case IBV_WC_COMP_SWAP:
		return UAL_WC_CMP_SWAP;
	case IBV_WC_FETCH_ADD:
		return UAL_WC_FETCH_ADD;
	case IBV_WC_RECV:
		return UAL_WC_RECV;
	case IBV_WC_RECV_RDMA_WITH_IMM:
		return UAL_WC_RECV_RDMA_WITH_IMM;
	default:
		return UAL_WC_UNKNOWN;
	}
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
};

const char *ual_wc_status_str(enum ual_wc_status status)
{
	if ((unsigned int)status >= UAL_WC_STATUS_COUNT)
		return "invalid completion status";
	return wc_status_text[status];
}
