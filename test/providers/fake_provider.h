/* SPDX-License-Identifier: BSD-3-Clause OR GPL-2.0-only */
/* What the fake provider records for the registry tests to check. */
#ifndef FAKE_PROVIDER_H
#define FAKE_PROVIDER_H

#include <stdbool.h>
#include <dat2/udat.h>

struct fake_state {
	int		init_calls;
	int		fini_calls;
	int		ia_opens;
	int		ia_closes;
	char		last_params[256];
	DAT_RETURN	second_register;
	DAT_RETURN	remove_result;
	DAT_IA_HANDLE	last_query_ia;
	DAT_CONN_QUAL	last_conn_qual;
	DAT_TIMEOUT	last_timeout;
	DAT_EXTENDED_OP	last_ext_op;
	DAT_HANDLE	last_ext_handle;
	DAT_UINT64	last_ext_u64;
};

#endif /* FAKE_PROVIDER_H */
