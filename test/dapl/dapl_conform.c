// SPDX-License-Identifier: BSD-3-Clause OR GPL-2.0-only
/*
 * dapl_conform: conformance checks of the uDAPL provider through libdat2,
 * one line per check ("PASS name" / "FAIL name: why" / "N/A name: why"),
 * exit status 1 if any check failed.
 *
 *   dapl_conform [--device DEV] [--transport rxe|siw] [--threadsafe IA]
 *                [--absent IA] IA
 *
 * Families covered now: IA (open, query, close), PZ, LMR (create, query,
 * free, sync), RMR, handle type and consumer context.  Calls of other
 * families are added as rows of the tables below:
 *  - handle_rows: every handle argument of every call, called with a NULL,
 *    a freed and a wrong-type handle; each must give DAT_INVALID_HANDLE
 *    with the subtype of that argument (libdat2 answers NULL and IA
 *    handles itself, the provider the rest);
 *  - param_rows: documented parameter and state errors.
 * Attribute checks (every DAT_IA_ATTR / DAT_PROVIDER_ATTR field written
 * and plausible for the transport) and the close semantics follow.
 */
#include <netinet/in.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <dat2/udat.h>
#include <dat2/udat_redirection.h>

#define BUF_LEN		(64 * 1024)
#define SENTINEL	0xA5

static int failures, passes, skipped;

/* Handles the checks use, valid unless named freed_*. */
struct fixture {
	const char *name;		/* IA name */
	const char *device;		/* expected adapter, or NULL */
	const char *transport;		/* "rxe", "siw" or NULL */
	DAT_IA_HANDLE ia;
	DAT_EVD_HANDLE async_evd;
	DAT_PZ_HANDLE pz;
	DAT_LMR_HANDLE lmr;
	DAT_LMR_CONTEXT lmr_context;
	DAT_RMR_HANDLE rmr;		/* NULL where the device has no windows */
	char *buf;
	/* Freed handles of each type (NULL: none could be made). */
	DAT_HANDLE freed[DAT_HANDLE_TYPE_EXTENSION_BASE];
	DAT_IA_ATTR ia_attr;
	DAT_PROVIDER_ATTR pr_attr;
};

static void report(bool ok, const char *name, const char *fmt, ...)
{
	va_list ap;

	if (ok) {
		passes++;
		printf("PASS %s\n", name);
		return;
	}
	failures++;
	printf("FAIL %s: ", name);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

static void not_applicable(const char *name, const char *why)
{
	skipped++;
	printf("N/A  %s: %s\n", name, why);
}

static const char *ret_str(DAT_RETURN r, char *buf, size_t len)
{
	const char *major = "?", *minor = "";

	if (r == DAT_SUCCESS)
		return "DAT_SUCCESS";
	dat_strerror(r, &major, &minor);
	snprintf(buf, len, "0x%08x %s%s%s", (unsigned int)r, major,
		 minor && *minor ? " " : "", minor ? minor : "");
	return buf;
}

/* The call must return exactly @want (class, type and subtype). */
static bool expect(const char *name, DAT_RETURN got, DAT_RETURN want)
{
	char a[160], b[160];

	report(got == want, name, "returned %s, expected %s",
	       ret_str(got, a, sizeof(a)), ret_str(want, b, sizeof(b)));
	return got == want;
}

static DAT_RETURN bad_handle(DAT_RETURN_SUBTYPE sub)
{
	return DAT_CLASS_ERROR | DAT_INVALID_HANDLE | sub;
}

static DAT_RETURN err(DAT_RETURN type, DAT_RETURN_SUBTYPE sub)
{
	return DAT_CLASS_ERROR | type | sub;
}

/* ---- handle arguments ------------------------------------------------ */

struct handle_row {
	const char *call;
	int arg;			/* 1-based argument number */
	DAT_HANDLE_TYPE type;		/* what the argument must be */
	DAT_RETURN_SUBTYPE subtype;	/* expected with a bad one */
	DAT_RETURN (*invoke)(struct fixture *f, DAT_HANDLE h);
	bool needs_rmr;			/* the other arguments need an RMR */
};

static DAT_RETURN h_ia_query(struct fixture *f, DAT_HANDLE h)
{
	DAT_EVD_HANDLE evd;

	return dat_ia_query(h, &evd, DAT_IA_FIELD_ALL, &f->ia_attr,
			    DAT_PROVIDER_FIELD_ALL, &f->pr_attr);
}

static DAT_RETURN h_ia_close(struct fixture *f, DAT_HANDLE h)
{
	(void)f;
	return dat_ia_close(h, DAT_CLOSE_ABRUPT_FLAG);
}

static DAT_RETURN h_pz_create(struct fixture *f, DAT_HANDLE h)
{
	DAT_PZ_HANDLE pz = NULL;
	DAT_RETURN r = dat_pz_create(h, &pz);

	(void)f;
	if (r == DAT_SUCCESS)
		dat_pz_free(pz);
	return r;
}

static DAT_RETURN h_pz_query(struct fixture *f, DAT_HANDLE h)
{
	DAT_PZ_PARAM p;

	(void)f;
	return dat_pz_query(h, DAT_PZ_FIELD_ALL, &p);
}

static DAT_RETURN h_pz_free(struct fixture *f, DAT_HANDLE h)
{
	(void)f;
	return dat_pz_free(h);
}

static DAT_RETURN lmr_create(struct fixture *f, DAT_IA_HANDLE ia,
			     DAT_MEM_TYPE type, DAT_REGION_DESCRIPTION region,
			     DAT_VLEN len, DAT_PZ_HANDLE pz,
			     DAT_MEM_PRIV_FLAGS priv, DAT_VA_TYPE va,
			     DAT_LMR_HANDLE *out)
{
	DAT_LMR_CONTEXT lc;
	DAT_RMR_CONTEXT rc;
	DAT_VLEN rlen;
	DAT_VADDR raddr;

	(void)f;
	return dat_lmr_create(ia, type, region, len, pz, priv, va, out, &lc,
			      &rc, &rlen, &raddr);
}

static DAT_RETURN free_if_made(DAT_RETURN r, DAT_LMR_HANDLE lmr)
{
	if (r == DAT_SUCCESS)
		dat_lmr_free(lmr);
	return r;
}

static DAT_RETURN h_lmr_create_ia(struct fixture *f, DAT_HANDLE h)
{
	DAT_REGION_DESCRIPTION r = { .for_va = f->buf };
	DAT_LMR_HANDLE lmr = NULL;

	return free_if_made(lmr_create(f, h, DAT_MEM_TYPE_VIRTUAL, r, 4096,
				       f->pz, DAT_MEM_PRIV_ALL_FLAG,
				       DAT_VA_TYPE_VA, &lmr), lmr);
}

static DAT_RETURN h_lmr_create_pz(struct fixture *f, DAT_HANDLE h)
{
	DAT_REGION_DESCRIPTION r = { .for_va = f->buf };
	DAT_LMR_HANDLE lmr = NULL;

	return free_if_made(lmr_create(f, f->ia, DAT_MEM_TYPE_VIRTUAL, r, 4096,
				       h, DAT_MEM_PRIV_ALL_FLAG,
				       DAT_VA_TYPE_VA, &lmr), lmr);
}

static DAT_RETURN h_lmr_create_region(struct fixture *f, DAT_HANDLE h)
{
	DAT_REGION_DESCRIPTION r = { .for_lmr_handle = h };
	DAT_LMR_HANDLE lmr = NULL;

	return free_if_made(lmr_create(f, f->ia, DAT_MEM_TYPE_LMR, r, 0,
				       f->pz, DAT_MEM_PRIV_ALL_FLAG,
				       DAT_VA_TYPE_VA, &lmr), lmr);
}

static DAT_RETURN h_lmr_query(struct fixture *f, DAT_HANDLE h)
{
	DAT_LMR_PARAM p;

	(void)f;
	return dat_lmr_query(h, DAT_LMR_FIELD_ALL, &p);
}

static DAT_RETURN h_lmr_free(struct fixture *f, DAT_HANDLE h)
{
	(void)f;
	return dat_lmr_free(h);
}

static DAT_LMR_TRIPLET whole_lmr(struct fixture *f)
{
	DAT_LMR_TRIPLET t = {
		.virtual_address = (DAT_VADDR)(uintptr_t)f->buf,
		.segment_length = 4096,
		.lmr_context = f->lmr_context,
	};
	return t;
}

static DAT_RETURN h_sync_read(struct fixture *f, DAT_HANDLE h)
{
	DAT_LMR_TRIPLET t = whole_lmr(f);

	return dat_lmr_sync_rdma_read(h, &t, 1);
}

static DAT_RETURN h_sync_write(struct fixture *f, DAT_HANDLE h)
{
	DAT_LMR_TRIPLET t = whole_lmr(f);

	return dat_lmr_sync_rdma_write(h, &t, 1);
}

static DAT_RETURN h_rmr_create(struct fixture *f, DAT_HANDLE h)
{
	DAT_RMR_HANDLE rmr = NULL;
	DAT_RETURN r = dat_rmr_create(h, &rmr);

	(void)f;
	if (r == DAT_SUCCESS)
		dat_rmr_free(rmr);
	return r;
}

/* Not exported by libdat2 (as OFA's): called through the table. */
static DAT_RETURN rmr_create_for_ep(DAT_PZ_HANDLE pz, DAT_RMR_HANDLE *rmr)
{
	if (!pz)
		return bad_handle(DAT_INVALID_HANDLE_PZ);
	return DAT_HANDLE_TO_PROVIDER(pz)->rmr_create_for_ep_func(pz, rmr);
}

static DAT_RETURN h_rmr_create_for_ep(struct fixture *f, DAT_HANDLE h)
{
	DAT_RMR_HANDLE rmr = NULL;
	DAT_RETURN r = rmr_create_for_ep(h, &rmr);

	(void)f;
	if (r == DAT_SUCCESS)
		dat_rmr_free(rmr);
	return r;
}

static DAT_RETURN h_rmr_query(struct fixture *f, DAT_HANDLE h)
{
	DAT_RMR_PARAM p;

	(void)f;
	return dat_rmr_query(h, DAT_RMR_FIELD_ALL, &p);
}

static DAT_RETURN h_rmr_free(struct fixture *f, DAT_HANDLE h)
{
	(void)f;
	return dat_rmr_free(h);
}

static DAT_RETURN rmr_bind(DAT_RMR_HANDLE rmr, DAT_LMR_HANDLE lmr,
			   const DAT_LMR_TRIPLET *t, DAT_MEM_PRIV_FLAGS priv,
			   DAT_VA_TYPE va, DAT_EP_HANDLE ep,
			   DAT_COMPLETION_FLAGS flags, DAT_RMR_CONTEXT *ctx)
{
	DAT_RMR_COOKIE cookie = { .as_64 = 7 };

	return dat_rmr_bind(rmr, lmr, t, priv, va, ep, cookie, flags, ctx);
}

static DAT_RETURN h_rmr_bind_rmr(struct fixture *f, DAT_HANDLE h)
{
	DAT_LMR_TRIPLET t = whole_lmr(f);
	DAT_RMR_CONTEXT c;

	return rmr_bind(h, f->lmr, &t, DAT_MEM_PRIV_REMOTE_READ_FLAG,
			DAT_VA_TYPE_VA, f->pz, 0, &c);
}

static DAT_RETURN h_rmr_bind_lmr(struct fixture *f, DAT_HANDLE h)
{
	DAT_LMR_TRIPLET t = whole_lmr(f);
	DAT_RMR_CONTEXT c;

	return rmr_bind(f->rmr, h, &t, DAT_MEM_PRIV_REMOTE_READ_FLAG,
			DAT_VA_TYPE_VA, f->pz, 0, &c);
}

/* No EPs exist yet in this program: every EP argument is a bad one. */
static DAT_RETURN h_rmr_bind_ep(struct fixture *f, DAT_HANDLE h)
{
	DAT_LMR_TRIPLET t = whole_lmr(f);
	DAT_RMR_CONTEXT c;

	return rmr_bind(f->rmr, f->lmr, &t, DAT_MEM_PRIV_REMOTE_READ_FLAG,
			DAT_VA_TYPE_VA, h, 0, &c);
}

static DAT_RETURN h_set_context(struct fixture *f, DAT_HANDLE h)
{
	DAT_CONTEXT c = { .as_64 = 42 };

	(void)f;
	return dat_set_consumer_context(h, c);
}

static DAT_RETURN h_get_context(struct fixture *f, DAT_HANDLE h)
{
	DAT_CONTEXT c;

	(void)f;
	return dat_get_consumer_context(h, &c);
}

static DAT_RETURN h_handle_type(struct fixture *f, DAT_HANDLE h)
{
	DAT_HANDLE_TYPE t;

	(void)f;
	return dat_get_handle_type(h, &t);
}

#define ANY_TYPE DAT_HANDLE_TYPE_EXTENSION_BASE	/* any handle will do */

static const struct handle_row handle_rows[] = {
	{ "dat_ia_query", 1, DAT_HANDLE_TYPE_IA, DAT_INVALID_HANDLE_IA, h_ia_query, false },
	{ "dat_ia_close", 1, DAT_HANDLE_TYPE_IA, DAT_INVALID_HANDLE_IA, h_ia_close, false },
	{ "dat_pz_create", 1, DAT_HANDLE_TYPE_IA, DAT_INVALID_HANDLE_IA, h_pz_create, false },
	{ "dat_pz_query", 1, DAT_HANDLE_TYPE_PZ, DAT_INVALID_HANDLE_PZ, h_pz_query, false },
	{ "dat_pz_free", 1, DAT_HANDLE_TYPE_PZ, DAT_INVALID_HANDLE_PZ, h_pz_free, false },
	{ "dat_lmr_create", 1, DAT_HANDLE_TYPE_IA, DAT_INVALID_HANDLE_IA, h_lmr_create_ia, false },
	{ "dat_lmr_create(LMR region)", 3, DAT_HANDLE_TYPE_LMR, DAT_INVALID_HANDLE_LMR, h_lmr_create_region, false },
	{ "dat_lmr_create", 5, DAT_HANDLE_TYPE_PZ, DAT_INVALID_HANDLE_PZ, h_lmr_create_pz, false },
	{ "dat_lmr_query", 1, DAT_HANDLE_TYPE_LMR, DAT_INVALID_HANDLE_LMR, h_lmr_query, false },
	{ "dat_lmr_free", 1, DAT_HANDLE_TYPE_LMR, DAT_INVALID_HANDLE_LMR, h_lmr_free, false },
	{ "dat_lmr_sync_rdma_read", 1, DAT_HANDLE_TYPE_IA, DAT_INVALID_HANDLE_IA, h_sync_read, false },
	{ "dat_lmr_sync_rdma_write", 1, DAT_HANDLE_TYPE_IA, DAT_INVALID_HANDLE_IA, h_sync_write, false },
	{ "dat_rmr_create", 1, DAT_HANDLE_TYPE_PZ, DAT_INVALID_HANDLE_PZ, h_rmr_create, false },
	{ "dat_rmr_create_for_ep", 1, DAT_HANDLE_TYPE_PZ, DAT_INVALID_HANDLE_PZ, h_rmr_create_for_ep, false },
	{ "dat_rmr_query", 1, DAT_HANDLE_TYPE_RMR, DAT_INVALID_HANDLE_RMR, h_rmr_query, false },
	{ "dat_rmr_free", 1, DAT_HANDLE_TYPE_RMR, DAT_INVALID_HANDLE_RMR, h_rmr_free, false },
	{ "dat_rmr_bind", 1, DAT_HANDLE_TYPE_RMR, DAT_INVALID_HANDLE_RMR, h_rmr_bind_rmr, false },
	{ "dat_rmr_bind", 2, DAT_HANDLE_TYPE_LMR, DAT_INVALID_HANDLE_LMR, h_rmr_bind_lmr, true },
	{ "dat_rmr_bind", 6, DAT_HANDLE_TYPE_EP, DAT_INVALID_HANDLE_EP, h_rmr_bind_ep, true },
	{ "dat_set_consumer_context", 1, ANY_TYPE, DAT_INVALID_HANDLE1, h_set_context, false },
	{ "dat_get_consumer_context", 1, ANY_TYPE, DAT_INVALID_HANDLE1, h_get_context, false },
	{ "dat_get_handle_type", 1, ANY_TYPE, DAT_INVALID_HANDLE1, h_handle_type, false },
};

/* A live handle of another type than @type (never an IA slot number
 * where a provider object is expected: libdat2 dispatches through it). */
static DAT_HANDLE wrong_type(struct fixture *f, DAT_HANDLE_TYPE type)
{
	switch (type) {
	case DAT_HANDLE_TYPE_IA:
		return f->pz;
	case DAT_HANDLE_TYPE_PZ:
		return f->lmr;
	default:
		return f->pz;
	}
}

static void run_handle_row(struct fixture *f, const struct handle_row *row)
{
	DAT_RETURN want = bad_handle(row->subtype);
	char name[160];
	DAT_HANDLE freed;

	if (row->needs_rmr && !f->rmr) {
		snprintf(name, sizeof(name), "%s arg %d bad handles", row->call, row->arg);
		not_applicable(name, "no RMR on this device to fill the other arguments");
		return;
	}
	snprintf(name, sizeof(name), "%s arg %d NULL", row->call, row->arg);
	expect(name, row->invoke(f, DAT_HANDLE_NULL), want);

	freed = row->type == ANY_TYPE ? f->freed[DAT_HANDLE_TYPE_PZ] : f->freed[row->type];
	snprintf(name, sizeof(name), "%s arg %d freed", row->call, row->arg);
	if (!freed)
		not_applicable(name, "no object of that type can be made here");
	else
		expect(name, row->invoke(f, freed), want);

	if (row->type == ANY_TYPE)
		return;		/* every live handle is of a right type */
	snprintf(name, sizeof(name), "%s arg %d wrong type", row->call, row->arg);
	expect(name, row->invoke(f, wrong_type(f, row->type)), want);
}

/* ---- parameters and states ------------------------------------------- */

struct param_row {
	const char *name;
	DAT_RETURN (*invoke)(struct fixture *f);
	DAT_RETURN want;		/* 0 with want_fn: computed */
	DAT_RETURN (*want_fn)(struct fixture *f);
	bool needs_rmr;			/* only where the device has RMRs */
};

static DAT_RETURN p_pz_create_null(struct fixture *f)
{
	return dat_pz_create(f->ia, NULL);
}

static DAT_RETURN p_pz_query_null(struct fixture *f)
{
	return dat_pz_query(f->pz, DAT_PZ_FIELD_ALL, NULL);
}

static DAT_RETURN p_pz_free_in_use(struct fixture *f)
{
	return dat_pz_free(f->pz);
}

static DAT_RETURN lmr_try(struct fixture *f, DAT_MEM_TYPE type, void *va,
			  DAT_VLEN len, DAT_MEM_PRIV_FLAGS priv, DAT_VA_TYPE vt)
{
	DAT_REGION_DESCRIPTION r = { .for_va = va };
	DAT_LMR_HANDLE lmr = NULL;

	return free_if_made(lmr_create(f, f->ia, type, r, len, f->pz, priv, vt,
				       &lmr), lmr);
}

static DAT_RETURN p_lmr_null_out(struct fixture *f)
{
	DAT_REGION_DESCRIPTION r = { .for_va = f->buf };

	return dat_lmr_create(f->ia, DAT_MEM_TYPE_VIRTUAL, r, 4096, f->pz,
			      DAT_MEM_PRIV_ALL_FLAG, DAT_VA_TYPE_VA, NULL,
			      NULL, NULL, NULL, NULL);
}

static DAT_RETURN p_lmr_bad_type(struct fixture *f)
{
	return lmr_try(f, (DAT_MEM_TYPE)0x77, f->buf, 4096, DAT_MEM_PRIV_ALL_FLAG, DAT_VA_TYPE_VA);
}

static DAT_RETURN p_lmr_null_va(struct fixture *f)
{
	return lmr_try(f, DAT_MEM_TYPE_VIRTUAL, NULL, 4096, DAT_MEM_PRIV_ALL_FLAG, DAT_VA_TYPE_VA);
}

static DAT_RETURN p_lmr_zero_len(struct fixture *f)
{
	return lmr_try(f, DAT_MEM_TYPE_VIRTUAL, f->buf, 0, DAT_MEM_PRIV_ALL_FLAG, DAT_VA_TYPE_VA);
}

static DAT_RETURN p_lmr_bad_priv(struct fixture *f)
{
	return lmr_try(f, DAT_MEM_TYPE_VIRTUAL, f->buf, 4096, (DAT_MEM_PRIV_FLAGS)0x80, DAT_VA_TYPE_VA);
}

static DAT_RETURN p_lmr_bad_va_type(struct fixture *f)
{
	return lmr_try(f, DAT_MEM_TYPE_VIRTUAL, f->buf, 4096, DAT_MEM_PRIV_ALL_FLAG, (DAT_VA_TYPE)7);
}

static DAT_RETURN p_lmr_zb(struct fixture *f)
{
	return lmr_try(f, DAT_MEM_TYPE_VIRTUAL, f->buf, 4096, DAT_MEM_PRIV_ALL_FLAG, DAT_VA_TYPE_ZB);
}

static DAT_RETURN p_lmr_shared(struct fixture *f)
{
	return lmr_try(f, DAT_MEM_TYPE_SHARED_VIRTUAL, f->buf, 4096, DAT_MEM_PRIV_ALL_FLAG, DAT_VA_TYPE_VA);
}

static DAT_RETURN p_lmr_query_null(struct fixture *f)
{
	return dat_lmr_query(f->lmr, DAT_LMR_FIELD_ALL, NULL);
}

static DAT_RETURN sync_one(struct fixture *f, DAT_VADDR va, DAT_SEG_LENGTH len,
			   DAT_LMR_CONTEXT ctx, bool write)
{
	DAT_LMR_TRIPLET t = { .virtual_address = va, .segment_length = len,
			      .lmr_context = ctx };

	return write ? dat_lmr_sync_rdma_write(f->ia, &t, 1) :
		       dat_lmr_sync_rdma_read(f->ia, &t, 1);
}

static DAT_RETURN p_sync_ok(struct fixture *f)
{
	DAT_LMR_TRIPLET t[2] = { whole_lmr(f), whole_lmr(f) };

	t[1].virtual_address += 100;
	t[1].segment_length = 100;
	return dat_lmr_sync_rdma_read(f->ia, t, 2);
}

static DAT_RETURN p_sync_write_ok(struct fixture *f)
{
	return sync_one(f, (uintptr_t)f->buf + BUF_LEN - 8, 8, f->lmr_context, true);
}

static DAT_RETURN p_sync_outside(struct fixture *f)
{
	return sync_one(f, (uintptr_t)f->buf + BUF_LEN - 8, 9, f->lmr_context, false);
}

static DAT_RETURN p_sync_bad_context(struct fixture *f)
{
	return sync_one(f, (uintptr_t)f->buf, 8, f->lmr_context ^ 0x5a5a, true);
}

static DAT_RETURN p_sync_null(struct fixture *f)
{
	return dat_lmr_sync_rdma_read(f->ia, NULL, 1);
}

static DAT_RETURN p_sync_none(struct fixture *f)
{
	return dat_lmr_sync_rdma_write(f->ia, NULL, 0);
}

static DAT_RETURN p_ia_query_null_attr(struct fixture *f)
{
	return dat_ia_query(f->ia, NULL, DAT_IA_FIELD_ALL, NULL, 0, NULL);
}

static DAT_RETURN p_ia_query_null_pattr(struct fixture *f)
{
	return dat_ia_query(f->ia, NULL, 0, NULL, DAT_PROVIDER_FIELD_ALL, NULL);
}

static DAT_RETURN p_ia_query_nothing(struct fixture *f)
{
	return dat_ia_query(f->ia, NULL, 0, NULL, 0, NULL);
}

static DAT_RETURN p_ia_close_bad_flags(struct fixture *f)
{
	return dat_ia_close(f->ia, (DAT_CLOSE_FLAGS)0x40);
}

static DAT_RETURN p_rmr_create_null(struct fixture *f)
{
	return dat_rmr_create(f->pz, NULL);
}

static DAT_RETURN p_rmr_create_for_ep_null(struct fixture *f)
{
	return rmr_create_for_ep(f->pz, NULL);
}

static DAT_RETURN p_rmr_query_null(struct fixture *f)
{
	return dat_rmr_query(f->rmr, DAT_RMR_FIELD_ALL, NULL);
}

static DAT_RETURN p_rmr_bind_null_triplet(struct fixture *f)
{
	DAT_RMR_CONTEXT c;

	return rmr_bind(f->rmr, f->lmr, NULL, DAT_MEM_PRIV_REMOTE_READ_FLAG,
			DAT_VA_TYPE_VA, NULL, 0, &c);
}

static DAT_RETURN p_rmr_bind_bad_priv(struct fixture *f)
{
	DAT_LMR_TRIPLET t = whole_lmr(f);
	DAT_RMR_CONTEXT c;

	return rmr_bind(f->rmr, f->lmr, &t, DAT_MEM_PRIV_LOCAL_WRITE_FLAG,
			DAT_VA_TYPE_VA, NULL, 0, &c);
}

static DAT_RETURN p_rmr_bind_bad_va(struct fixture *f)
{
	DAT_LMR_TRIPLET t = whole_lmr(f);
	DAT_RMR_CONTEXT c;

	return rmr_bind(f->rmr, f->lmr, &t, DAT_MEM_PRIV_REMOTE_READ_FLAG,
			(DAT_VA_TYPE)9, NULL, 0, &c);
}

static DAT_RETURN p_rmr_create_siw(struct fixture *f)
{
	DAT_RMR_HANDLE rmr = NULL;
	DAT_RETURN r = dat_rmr_create(f->pz, &rmr);

	if (r == DAT_SUCCESS)
		dat_rmr_free(rmr);
	return r;
}

static DAT_RETURN p_rmr_create_for_ep_siw(struct fixture *f)
{
	DAT_RMR_HANDLE rmr = NULL;
	DAT_RETURN r = rmr_create_for_ep(f->pz, &rmr);

	if (r == DAT_SUCCESS)
		dat_rmr_free(rmr);
	return r;
}

/* RMRs exist exactly where the attributes say so. */
static DAT_RETURN want_rmr_create(struct fixture *f)
{
	return f->ia_attr.max_rmrs ? DAT_SUCCESS : err(DAT_NOT_IMPLEMENTED, 0);
}

static DAT_RETURN p_get_context_null(struct fixture *f)
{
	return dat_get_consumer_context(f->pz, NULL);
}

static DAT_RETURN p_handle_type_null(struct fixture *f)
{
	return dat_get_handle_type(f->lmr, NULL);
}

static const struct param_row param_rows[] = {
	{ "dat_pz_create NULL pz_handle", p_pz_create_null, DAT_CLASS_ERROR | DAT_INVALID_PARAMETER | DAT_INVALID_ARG2, NULL, false },
	{ "dat_pz_query NULL param", p_pz_query_null, DAT_CLASS_ERROR | DAT_INVALID_PARAMETER | DAT_INVALID_ARG3, NULL, false },
	{ "dat_pz_free with an LMR in it", p_pz_free_in_use, DAT_CLASS_ERROR | DAT_INVALID_STATE | DAT_INVALID_STATE_PZ_IN_USE, NULL, false },
	{ "dat_lmr_create NULL lmr_handle", p_lmr_null_out, DAT_CLASS_ERROR | DAT_INVALID_PARAMETER | DAT_INVALID_ARG8, NULL, false },
	{ "dat_lmr_create unknown mem_type", p_lmr_bad_type, DAT_CLASS_ERROR | DAT_INVALID_PARAMETER | DAT_INVALID_ARG2, NULL, false },
	{ "dat_lmr_create NULL virtual address", p_lmr_null_va, DAT_CLASS_ERROR | DAT_INVALID_PARAMETER | DAT_INVALID_ARG3, NULL, false },
	{ "dat_lmr_create length 0", p_lmr_zero_len, DAT_CLASS_ERROR | DAT_INVALID_PARAMETER | DAT_INVALID_ARG4, NULL, false },
	{ "dat_lmr_create unknown privilege bit", p_lmr_bad_priv, DAT_CLASS_ERROR | DAT_INVALID_PARAMETER | DAT_INVALID_ARG6, NULL, false },
	{ "dat_lmr_create unknown va_type", p_lmr_bad_va_type, DAT_CLASS_ERROR | DAT_INVALID_PARAMETER | DAT_INVALID_ARG7, NULL, false },
	{ "dat_lmr_create zero-based VA refused", p_lmr_zb, DAT_CLASS_ERROR | DAT_NOT_IMPLEMENTED, NULL, false },
	{ "dat_lmr_create shared virtual refused", p_lmr_shared, DAT_CLASS_ERROR | DAT_NOT_IMPLEMENTED, NULL, false },
	{ "dat_lmr_query NULL param", p_lmr_query_null, DAT_CLASS_ERROR | DAT_INVALID_PARAMETER | DAT_INVALID_ARG3, NULL, false },
	{ "dat_lmr_sync_rdma_read two segments", p_sync_ok, DAT_SUCCESS, NULL, false },
	{ "dat_lmr_sync_rdma_write last bytes", p_sync_write_ok, DAT_SUCCESS, NULL, false },
	{ "dat_lmr_sync_rdma_read past the LMR", p_sync_outside, DAT_CLASS_ERROR | DAT_INVALID_PARAMETER | DAT_INVALID_ARG2, NULL, false },
	{ "dat_lmr_sync_rdma_write wrong lmr_context", p_sync_bad_context, DAT_CLASS_ERROR | DAT_INVALID_PARAMETER | DAT_INVALID_ARG2, NULL, false },
	{ "dat_lmr_sync_rdma_read NULL segments", p_sync_null, DAT_CLASS_ERROR | DAT_INVALID_PARAMETER | DAT_INVALID_ARG2, NULL, false },
	{ "dat_lmr_sync_rdma_write no segments", p_sync_none, DAT_SUCCESS, NULL, false },
	{ "dat_ia_query NULL ia_attr with a mask", p_ia_query_null_attr, DAT_CLASS_ERROR | DAT_INVALID_PARAMETER | DAT_INVALID_ARG4, NULL, false },
	{ "dat_ia_query NULL provider_attr with a mask", p_ia_query_null_pattr, DAT_CLASS_ERROR | DAT_INVALID_PARAMETER | DAT_INVALID_ARG6, NULL, false },
	{ "dat_ia_query nothing asked", p_ia_query_nothing, DAT_SUCCESS, NULL, false },
	{ "dat_ia_close unknown flags", p_ia_close_bad_flags, DAT_CLASS_ERROR | DAT_INVALID_PARAMETER | DAT_INVALID_ARG2, NULL, false },
	{ "dat_rmr_create NULL rmr_handle", p_rmr_create_null, DAT_CLASS_ERROR | DAT_INVALID_PARAMETER | DAT_INVALID_ARG2, NULL, false },
	{ "dat_rmr_create_for_ep NULL rmr_handle", p_rmr_create_for_ep_null, DAT_CLASS_ERROR | DAT_INVALID_PARAMETER | DAT_INVALID_ARG2, NULL, false },
	{ "dat_rmr_create as the attributes say", p_rmr_create_siw, 0, want_rmr_create, false },
	{ "dat_rmr_create_for_ep as the attributes say", p_rmr_create_for_ep_siw, 0, want_rmr_create, false },
	{ "dat_rmr_query NULL param", p_rmr_query_null, DAT_CLASS_ERROR | DAT_INVALID_PARAMETER | DAT_INVALID_ARG3, NULL, true },
	{ "dat_rmr_bind NULL triplet", p_rmr_bind_null_triplet, DAT_CLASS_ERROR | DAT_INVALID_PARAMETER | DAT_INVALID_ARG3, NULL, true },
	{ "dat_rmr_bind local privilege on a window", p_rmr_bind_bad_priv, DAT_CLASS_ERROR | DAT_INVALID_PARAMETER | DAT_INVALID_ARG4, NULL, true },
	{ "dat_rmr_bind unknown va_type", p_rmr_bind_bad_va, DAT_CLASS_ERROR | DAT_INVALID_PARAMETER | DAT_INVALID_ARG5, NULL, true },
	{ "dat_get_consumer_context NULL context", p_get_context_null, DAT_CLASS_ERROR | DAT_INVALID_PARAMETER | DAT_INVALID_ARG2, NULL, false },
	{ "dat_get_handle_type NULL type", p_handle_type_null, DAT_CLASS_ERROR | DAT_INVALID_PARAMETER | DAT_INVALID_ARG2, NULL, false },
};

static void run_param_rows(struct fixture *f)
{
	size_t i;

	for (i = 0; i < sizeof(param_rows) / sizeof(param_rows[0]); i++) {
		const struct param_row *row = &param_rows[i];
		DAT_RETURN want = row->want_fn ? row->want_fn(f) : row->want;

		if (row->needs_rmr && !f->rmr)
			not_applicable(row->name, "no RMR on this device");
		else
			expect(row->name, row->invoke(f), want);
	}
}

/* ---- objects: query results, handle types, contexts ------------------- */

static void check_objects(struct fixture *f)
{
	DAT_REGION_DESCRIPTION r = { .for_lmr_handle = f->lmr };
	DAT_LMR_HANDLE lmr2 = NULL;
	DAT_HANDLE_TYPE type;
	DAT_CONTEXT ctx = { .as_64 = 0x1234 }, got = { .as_64 = 0 };
	DAT_LMR_PARAM lp;
	DAT_PZ_PARAM pp;
	DAT_RETURN ret;

	ret = dat_pz_query(f->pz, DAT_PZ_FIELD_ALL, &pp);
	report(ret == DAT_SUCCESS && pp.ia_handle == f->ia, "dat_pz_query names the IA",
	       "ia_handle %p, expected %p", pp.ia_handle, f->ia);
	ret = dat_lmr_query(f->lmr, DAT_LMR_FIELD_ALL, &lp);
	report(ret == DAT_SUCCESS && lp.ia_handle == f->ia && lp.pz_handle == f->pz &&
	       lp.mem_type == DAT_MEM_TYPE_VIRTUAL && lp.region_desc.for_va == f->buf &&
	       lp.length == BUF_LEN && lp.lmr_context == f->lmr_context &&
	       lp.registered_size == BUF_LEN &&
	       lp.registered_address == (DAT_VADDR)(uintptr_t)f->buf &&
	       (lp.mem_priv & DAT_MEM_PRIV_ALL_FLAG) == DAT_MEM_PRIV_ALL_FLAG,
	       "dat_lmr_query reports the LMR", "fields differ from the create");

	ret = lmr_create(f, f->ia, DAT_MEM_TYPE_LMR, r, 0, f->pz,
			 DAT_MEM_PRIV_LOCAL_READ_FLAG, DAT_VA_TYPE_VA, &lmr2);
	expect("dat_lmr_create of an LMR's region", ret, DAT_SUCCESS);
	if (ret == DAT_SUCCESS) {
		ret = dat_lmr_query(lmr2, DAT_LMR_FIELD_ALL, &lp);
		report(ret == DAT_SUCCESS && lp.mem_type == DAT_MEM_TYPE_LMR &&
		       lp.region_desc.for_lmr_handle == f->lmr &&
		       lp.registered_address == (DAT_VADDR)(uintptr_t)f->buf &&
		       lp.registered_size == BUF_LEN,
		       "dat_lmr_query of an LMR-type LMR",
		       "type %d, region %p, address 0x%llx", lp.mem_type,
		       lp.region_desc.for_lmr_handle,
		       (unsigned long long)lp.registered_address);
		expect("dat_lmr_free of an LMR-type LMR", dat_lmr_free(lmr2), DAT_SUCCESS);
	}

	ret = dat_get_handle_type(f->ia, &type);
	report(ret == DAT_SUCCESS && type == DAT_HANDLE_TYPE_IA, "dat_get_handle_type IA", "type %d", type);
	ret = dat_get_handle_type(f->pz, &type);
	report(ret == DAT_SUCCESS && type == DAT_HANDLE_TYPE_PZ, "dat_get_handle_type PZ", "type %d", type);
	ret = dat_get_handle_type(f->lmr, &type);
	report(ret == DAT_SUCCESS && type == DAT_HANDLE_TYPE_LMR, "dat_get_handle_type LMR", "type %d", type);
	if (f->rmr) {
		ret = dat_get_handle_type(f->rmr, &type);
		report(ret == DAT_SUCCESS && type == DAT_HANDLE_TYPE_RMR, "dat_get_handle_type RMR", "type %d", type);
	}
	expect("dat_set_consumer_context LMR", dat_set_consumer_context(f->lmr, ctx), DAT_SUCCESS);
	ret = dat_get_consumer_context(f->lmr, &got);
	report(ret == DAT_SUCCESS && got.as_64 == ctx.as_64, "dat_get_consumer_context LMR round trip",
	       "got 0x%llx", (unsigned long long)got.as_64);
	expect("dat_set_consumer_context IA", dat_set_consumer_context(f->ia, ctx), DAT_SUCCESS);
	ret = dat_get_consumer_context(f->ia, &got);
	report(ret == DAT_SUCCESS && got.as_64 == ctx.as_64, "dat_get_consumer_context IA round trip",
	       "got 0x%llx", (unsigned long long)got.as_64);
}

static void check_rmr(struct fixture *f)
{
	DAT_RMR_HANDLE rmr2 = NULL;
	DAT_RMR_PARAM rp;
	DAT_RETURN ret;

	if (!f->rmr) {
		not_applicable("dat_rmr_query of an unbound RMR", "no memory windows on this device");
		return;
	}
	memset(&rp, SENTINEL, sizeof(rp));
	ret = dat_rmr_query(f->rmr, DAT_RMR_FIELD_ALL, &rp);
	report(ret == DAT_SUCCESS && rp.ia_handle == f->ia && rp.pz_handle == f->pz &&
	       rp.rmr_context == 0 && rp.lmr_triplet.segment_length == 0 &&
	       rp.mem_priv == DAT_MEM_PRIV_NONE_FLAG && rp.rmr_scope == DAT_RMR_SCOPE_PZ &&
	       rp.va_type == DAT_VA_TYPE_VA,
	       "dat_rmr_query of an unbound RMR", "scope %d, context 0x%x, length %u",
	       rp.rmr_scope, rp.rmr_context, rp.lmr_triplet.segment_length);
	ret = rmr_create_for_ep(f->pz, &rmr2);
	if (expect("dat_rmr_create_for_ep", ret, DAT_SUCCESS)) {
		ret = dat_rmr_query(rmr2, DAT_RMR_FIELD_ALL, &rp);
		report(ret == DAT_SUCCESS && rp.rmr_scope == DAT_RMR_SCOPE_EP,
		       "dat_rmr_query scope of an RMR for an EP", "scope %d", rp.rmr_scope);
		expect("dat_rmr_free of an RMR for an EP", dat_rmr_free(rmr2), DAT_SUCCESS);
	}
}

/* ---- attributes -------------------------------------------------------- */

/* True when @p holds no run of 8 sentinel bytes (a field left unwritten). */
static bool all_written(const void *p, size_t len)
{
	const unsigned char *b = p;
	size_t i, run = 0;

	for (i = 0; i < len; i++) {
		run = b[i] == SENTINEL ? run + 1 : 0;
		if (run >= 8)
			return false;
	}
	return true;
}

static const char *named(const DAT_PROVIDER_ATTR *pa, const char *name)
{
	int i;

	for (i = 0; i < pa->num_provider_specific_attr; i++)
		if (pa->provider_specific_attr[i].name &&
		    !strcmp(pa->provider_specific_attr[i].name, name))
			return pa->provider_specific_attr[i].value;
	return NULL;
}

static bool is_siw(const struct fixture *f)
{
	return f->transport && !strcmp(f->transport, "siw");
}

static bool is_rxe(const struct fixture *f)
{
	return f->transport && !strcmp(f->transport, "rxe");
}

#define POSITIVE(field) \
	report(a->field > 0, "ia_attr " #field " > 0", "%lld", (long long)a->field)

static void check_ia_attr(struct fixture *f)
{
	const DAT_IA_ATTR *a = &f->ia_attr;
	const struct sockaddr *sa = a->ia_address_ptr;

	report(a->adapter_name[0] && (!f->device || !strcmp(a->adapter_name, f->device)),
	       "ia_attr adapter_name", "\"%s\", expected \"%s\"", a->adapter_name,
	       f->device ? f->device : "non-empty");
	report(a->vendor_name[0] != 0, "ia_attr vendor_name", "empty");
	report(sa && (sa->sa_family == AF_INET || sa->sa_family == AF_INET6),
	       "ia_attr ia_address_ptr is an IP address", "family %d", sa ? sa->sa_family : -1);
	POSITIVE(max_eps);
	POSITIVE(max_dto_per_ep);
	POSITIVE(max_rdma_read_per_ep_in);
	POSITIVE(max_rdma_read_per_ep_out);
	POSITIVE(max_evds);
	POSITIVE(max_evd_qlen);
	POSITIVE(max_iov_segments_per_dto);
	POSITIVE(max_lmrs);
	POSITIVE(max_lmr_block_size);
	POSITIVE(max_lmr_virtual_address);
	POSITIVE(max_pzs);
	POSITIVE(max_message_size);
	POSITIVE(max_rdma_size);
	POSITIVE(max_iov_segments_per_rdma_read);
	POSITIVE(max_iov_segments_per_rdma_write);
	POSITIVE(max_rdma_read_in);
	POSITIVE(max_rdma_read_out);
	report(a->max_rdma_read_in >= a->max_rdma_read_per_ep_in &&
	       a->max_rdma_read_out >= a->max_rdma_read_per_ep_out,
	       "ia_attr IA read depths cover an EP's", "in %d/%d out %d/%d",
	       a->max_rdma_read_in, a->max_rdma_read_per_ep_in,
	       a->max_rdma_read_out, a->max_rdma_read_per_ep_out);
	report((a->max_rmrs == 0) == (a->max_rmr_target_address == 0),
	       "ia_attr RMR limits agree", "max_rmrs %d, target 0x%llx", a->max_rmrs,
	       (unsigned long long)a->max_rmr_target_address);
	if (is_siw(f))
		report(a->max_rmrs == 0, "ia_attr max_rmrs 0 on siw (no windows)", "%d", a->max_rmrs);
	if (is_rxe(f))
		report(a->max_rmrs > 0, "ia_attr max_rmrs > 0 on rxe", "%d", a->max_rmrs);
	if (is_siw(f))
		report(a->max_iov_segments_per_rdma_read == 1,
		       "ia_attr one segment per RDMA read on iWARP", "%d",
		       a->max_iov_segments_per_rdma_read);
	report((a->max_srqs == 0) == (a->max_recv_per_srq == 0) &&
	       (a->max_srqs == 0) == (a->max_ep_per_srq == 0),
	       "ia_attr SRQ limits agree", "srqs %d, eps %d, recvs %d",
	       a->max_srqs, a->max_ep_per_srq, a->max_recv_per_srq);
	report(a->max_rdma_read_per_ep_in_guaranteed == DAT_TRUE &&
	       a->max_rdma_read_per_ep_out_guaranteed == DAT_TRUE,
	       "ia_attr read depths guaranteed", "in %d out %d",
	       a->max_rdma_read_per_ep_in_guaranteed,
	       a->max_rdma_read_per_ep_out_guaranteed);
	report(a->zb_supported == DAT_FALSE, "ia_attr zb_supported FALSE (ZB is refused)", "%d",
	       a->zb_supported);
	report(a->extension_supported == DAT_EXTENSION_NONE && a->extension_version == 0,
	       "ia_attr no extensions yet", "%d/%d", a->extension_supported, a->extension_version);
	report((a->num_transport_attr == 0) == (a->transport_attr == NULL) &&
	       (a->num_vendor_attr == 0) == (a->vendor_attr == NULL),
	       "ia_attr named attribute counts match", "transport %d vendor %d",
	       a->num_transport_attr, a->num_vendor_attr);
}

static void check_provider_attr(struct fixture *f, bool thread_safe)
{
	const DAT_PROVIDER_ATTR *p = &f->pr_attr;
	const char *v;
	bool names_ok = p->num_provider_specific_attr > 0 && p->provider_specific_attr;
	int i, j;

	report(!strcmp(p->provider_name, f->name), "provider_attr provider_name",
	       "\"%s\"", p->provider_name);
	report(p->dapl_version_major == 2 && p->dapl_version_minor == 0,
	       "provider_attr dapl_version 2.0", "%u.%u", p->dapl_version_major,
	       p->dapl_version_minor);
	report(p->is_thread_safe == (thread_safe ? DAT_TRUE : DAT_FALSE),
	       "provider_attr is_thread_safe as the IA was opened", "%d", p->is_thread_safe);
	report(!(p->lmr_mem_types_supported & DAT_MEM_TYPE_SHARED_VIRTUAL) &&
	       (p->lmr_mem_types_supported & DAT_MEM_TYPE_LMR),
	       "provider_attr LMR types (no shared virtual)", "0x%x",
	       p->lmr_mem_types_supported);
	report(p->max_private_data_size > 0 &&
	       (!is_rxe(f) || p->max_private_data_size == 56),
	       "provider_attr max_private_data_size", "%d", p->max_private_data_size);
	report(p->optimal_buffer_alignment > 0 &&
	       !(p->optimal_buffer_alignment & (p->optimal_buffer_alignment - 1)),
	       "provider_attr optimal_buffer_alignment a power of 2", "%u",
	       p->optimal_buffer_alignment);
	report(!p->evd_stream_merging_supported[2][3] && !p->evd_stream_merging_supported[3][2],
	       "provider_attr DTO and connection streams not merged", "");
	for (i = 0; i < 6; i++)
		for (j = 0; j < 6; j++)
			if (p->evd_stream_merging_supported[i][j] !=
			    p->evd_stream_merging_supported[j][i])
				names_ok = false;
	report(names_ok, "provider_attr merging symmetric, named attributes present", "");
	for (i = 0; names_ok && i < p->num_provider_specific_attr; i++)
		if (!p->provider_specific_attr[i].name || !p->provider_specific_attr[i].value)
			names_ok = false;
	report(names_ok, "provider_attr every named attribute has a name and value", "");
	v = named(p, "DAT_IB_RDMA_READ");
	report(v && !strcmp(v, "TRUE"), "named DAT_IB_RDMA_READ TRUE", "%s", v ? v : "missing");
	v = named(p, "DAT_IB_DEVICE_NAME");
	report(v && !strcmp(v, f->ia_attr.adapter_name), "named DAT_IB_DEVICE_NAME",
	       "%s", v ? v : "missing");
	v = named(p, "DAT_EXTENSION_INTERFACE");
	report(v && !strcmp(v, f->ia_attr.extension_supported ? "TRUE" : "FALSE"),
	       "named DAT_EXTENSION_INTERFACE agrees with extension_supported", "%s",
	       v ? v : "missing");
	v = named(p, "DAT_IB_PORT_STATUS");
	report(v && !strcmp(v, "ACTIVE"), "named DAT_IB_PORT_STATUS ACTIVE", "%s",
	       v ? v : "missing");
	report(p->rdma_read_lmr_rmr_context_exposure == (is_siw(f) ? DAT_TRUE : DAT_FALSE) ||
	       !f->transport, "provider_attr read sink context exposure (iWARP only)", "%d",
	       p->rdma_read_lmr_rmr_context_exposure);
	report(p->srq_supported == (f->ia_attr.max_srqs > 0 ? DAT_TRUE : DAT_FALSE),
	       "provider_attr srq_supported agrees with max_srqs", "%d", p->srq_supported);
	report(p->lmr_sync_req == DAT_FALSE && p->ha_supported == DAT_FALSE &&
	       p->ha_loadbalancing == DAT_HA_LB_NONE,
	       "provider_attr lmr_sync_req, ha FALSE", "");
}

/* The values, for the record (the man page's per-transport table). */
static void dump_attrs(const struct fixture *f)
{
	const DAT_IA_ATTR *a = &f->ia_attr;
	const DAT_PROVIDER_ATTR *p = &f->pr_attr;
	int i;

	printf("ATTR adapter_name %s\nATTR vendor_name %s\n", a->adapter_name, a->vendor_name);
	printf("ATTR hardware_version %u.%u firmware_version %u.%u\n",
	       a->hardware_version_major, a->hardware_version_minor,
	       a->firmware_version_major, a->firmware_version_minor);
	printf("ATTR max_eps %d max_dto_per_ep %d rdma_read_per_ep in %d out %d\n",
	       a->max_eps, a->max_dto_per_ep, a->max_rdma_read_per_ep_in,
	       a->max_rdma_read_per_ep_out);
	printf("ATTR max_evds %d max_evd_qlen %d max_iov_segments_per_dto %d\n",
	       a->max_evds, a->max_evd_qlen, a->max_iov_segments_per_dto);
	printf("ATTR max_lmrs %d max_lmr_block_size %u max_lmr_virtual_address 0x%llx max_pzs %d\n",
	       a->max_lmrs, a->max_lmr_block_size,
	       (unsigned long long)a->max_lmr_virtual_address, a->max_pzs);
	printf("ATTR max_message_size %u max_rdma_size %u max_rmrs %d\n",
	       a->max_message_size, a->max_rdma_size, a->max_rmrs);
	printf("ATTR max_srqs %d max_ep_per_srq %d max_recv_per_srq %d\n",
	       a->max_srqs, a->max_ep_per_srq, a->max_recv_per_srq);
	printf("ATTR iov_per_rdma_read %d iov_per_rdma_write %d rdma_read in %d out %d\n",
	       a->max_iov_segments_per_rdma_read, a->max_iov_segments_per_rdma_write,
	       a->max_rdma_read_in, a->max_rdma_read_out);
	printf("ATTR provider %s version %u.%u dapl %u.%u threadsafe %d\n",
	       p->provider_name, p->provider_version_major, p->provider_version_minor,
	       p->dapl_version_major, p->dapl_version_minor, p->is_thread_safe);
	printf("ATTR max_private_data_size %d optimal_buffer_alignment %u completion_flags 0x%x\n",
	       p->max_private_data_size, p->optimal_buffer_alignment,
	       p->completion_flags_supported);
	printf("ATTR srq_supported %d read_sink_exposure %d rmr_scope %d lmr_types 0x%x\n",
	       p->srq_supported, p->rdma_read_lmr_rmr_context_exposure,
	       p->rmr_scope_supported, p->lmr_mem_types_supported);
	for (i = 0; i < p->num_provider_specific_attr; i++)
		printf("ATTR named %s=%s\n", p->provider_specific_attr[i].name,
		       p->provider_specific_attr[i].value);
}

/* Queries with every field asked, over sentinel-filled structures. */
static bool query_all(struct fixture *f, DAT_IA_HANDLE ia, bool thread_safe,
		      const char *tag)
{
	DAT_EVD_HANDLE evd = (DAT_EVD_HANDLE)1;
	char name[128];
	DAT_RETURN ret;

	memset(&f->ia_attr, SENTINEL, sizeof(f->ia_attr));
	memset(&f->pr_attr, SENTINEL, sizeof(f->pr_attr));
	ret = dat_ia_query(ia, &evd, DAT_IA_FIELD_ALL, &f->ia_attr,
			   DAT_PROVIDER_FIELD_ALL, &f->pr_attr);
	snprintf(name, sizeof(name), "dat_ia_query%s", tag);
	if (!expect(name, ret, DAT_SUCCESS))
		return false;
	snprintf(name, sizeof(name), "dat_ia_query%s writes every DAT_IA_ATTR field", tag);
	report(all_written(&f->ia_attr, sizeof(f->ia_attr)), name, "a field kept the sentinel");
	snprintf(name, sizeof(name), "dat_ia_query%s writes every DAT_PROVIDER_ATTR field", tag);
	report(all_written(&f->pr_attr, sizeof(f->pr_attr)), name, "a field kept the sentinel");
	if (!thread_safe) {
		report(evd == f->async_evd, "dat_ia_query async EVD is the one dat_ia_open gave",
		       "%p, open gave %p", evd, f->async_evd);
		check_ia_attr(f);
		dump_attrs(f);
	}
	check_provider_attr(f, thread_safe);
	return true;
}

static void check_threadsafe(struct fixture *f, const char *ts_name)
{
	DAT_EVD_HANDLE evd = DAT_HANDLE_NULL;
	DAT_IA_HANDLE ia;
	const char *saved = f->name;
	DAT_RETURN ret;

	ret = dat_ia_openv((DAT_NAME_PTR)ts_name, 8, &evd, &ia, DAT_VERSION_MAJOR,
			   DAT_VERSION_MINOR, DAT_TRUE);
	if (!expect("dat_ia_openv threadsafe", ret, DAT_SUCCESS))
		return;
	f->name = ts_name;
	query_all(f, ia, true, " (threadsafe IA)");
	f->name = saved;
	expect("dat_ia_close threadsafe", dat_ia_close(ia, DAT_CLOSE_GRACEFUL_FLAG), DAT_SUCCESS);
}

/* ---- setup, close semantics -------------------------------------------- */

static bool open_ia(const char *name, DAT_IA_HANDLE *ia, DAT_EVD_HANDLE *evd)
{
	char label[128];

	*evd = DAT_HANDLE_NULL;
	snprintf(label, sizeof(label), "dat_ia_open %s", name);
	return expect(label, dat_ia_open((DAT_NAME_PTR)name, 8, evd, ia), DAT_SUCCESS);
}

/* Objects of every type, freed again: their handles are stale. */
static void make_freed(struct fixture *f)
{
	DAT_EVD_HANDLE evd;
	DAT_IA_HANDLE ia;
	DAT_PZ_HANDLE pz;
	DAT_LMR_HANDLE lmr = NULL;
	DAT_RMR_HANDLE rmr;

	if (open_ia(f->name, &ia, &evd) &&
	    expect("dat_ia_close of a second IA", dat_ia_close(ia, DAT_CLOSE_GRACEFUL_FLAG),
		   DAT_SUCCESS))
		f->freed[DAT_HANDLE_TYPE_IA] = ia;
	if (expect("dat_pz_create (to free)", dat_pz_create(f->ia, &pz), DAT_SUCCESS)) {
		DAT_REGION_DESCRIPTION r = { .for_va = f->buf };

		if (expect("dat_lmr_create (to free)",
			   lmr_create(f, f->ia, DAT_MEM_TYPE_VIRTUAL, r, 4096, pz,
				      DAT_MEM_PRIV_ALL_FLAG, DAT_VA_TYPE_VA, &lmr),
			   DAT_SUCCESS) &&
		    expect("dat_lmr_free", dat_lmr_free(lmr), DAT_SUCCESS))
			f->freed[DAT_HANDLE_TYPE_LMR] = lmr;
		if (f->rmr && expect("dat_rmr_create (to free)", dat_rmr_create(pz, &rmr),
				     DAT_SUCCESS)) {
			expect("dat_pz_free with an RMR in it", dat_pz_free(pz),
			       err(DAT_INVALID_STATE, DAT_INVALID_STATE_PZ_IN_USE));
			if (expect("dat_rmr_free", dat_rmr_free(rmr), DAT_SUCCESS))
				f->freed[DAT_HANDLE_TYPE_RMR] = rmr;
		}
		if (expect("dat_pz_free", dat_pz_free(pz), DAT_SUCCESS))
			f->freed[DAT_HANDLE_TYPE_PZ] = pz;
	}
}

static bool setup(struct fixture *f)
{
	DAT_REGION_DESCRIPTION r;
	DAT_RMR_CONTEXT rc;
	DAT_VLEN len;
	DAT_VADDR addr;

	if (posix_memalign((void **)&f->buf, 4096, BUF_LEN))
		return false;
	memset(f->buf, 0, BUF_LEN);
	r.for_va = f->buf;
	if (!open_ia(f->name, &f->ia, &f->async_evd))
		return false;
	if (!expect("dat_pz_create", dat_pz_create(f->ia, &f->pz), DAT_SUCCESS))
		return false;
	if (!expect("dat_lmr_create", dat_lmr_create(f->ia, DAT_MEM_TYPE_VIRTUAL, r, BUF_LEN,
						     f->pz, DAT_MEM_PRIV_ALL_FLAG,
						     DAT_VA_TYPE_VA, &f->lmr,
						     &f->lmr_context, &rc, &len, &addr),
		    DAT_SUCCESS))
		return false;
	if (!query_all(f, f->ia, false, ""))
		return false;
	if (f->ia_attr.max_rmrs &&
	    !expect("dat_rmr_create", dat_rmr_create(f->pz, &f->rmr), DAT_SUCCESS))
		return false;
	return true;
}

/* Graceful close refuses while objects remain; abrupt close frees them. */
static void check_close(struct fixture *f)
{
	DAT_PZ_PARAM pp;
	DAT_LMR_PARAM lp;
	DAT_RMR_PARAM rp;

	expect("dat_ia_close graceful with objects left", dat_ia_close(f->ia, DAT_CLOSE_GRACEFUL_FLAG),
	       err(DAT_INVALID_STATE, DAT_INVALID_STATE_IA_IN_USE));
	expect("objects still usable after the refused close",
	       dat_pz_query(f->pz, DAT_PZ_FIELD_ALL, &pp), DAT_SUCCESS);
	expect("dat_ia_close abrupt with objects left", dat_ia_close(f->ia, DAT_CLOSE_ABRUPT_FLAG),
	       DAT_SUCCESS);
	expect("PZ freed by the abrupt close", dat_pz_query(f->pz, DAT_PZ_FIELD_ALL, &pp),
	       bad_handle(DAT_INVALID_HANDLE_PZ));
	expect("LMR freed by the abrupt close", dat_lmr_query(f->lmr, DAT_LMR_FIELD_ALL, &lp),
	       bad_handle(DAT_INVALID_HANDLE_LMR));
	if (f->rmr)
		expect("RMR freed by the abrupt close", dat_rmr_query(f->rmr, DAT_RMR_FIELD_ALL, &rp),
		       bad_handle(DAT_INVALID_HANDLE_RMR));
	expect("closed IA handle", dat_ia_close(f->ia, DAT_CLOSE_ABRUPT_FLAG),
	       bad_handle(DAT_INVALID_HANDLE_IA));
	/* The library was dlclose()d with the last IA: stale calls still answer. */
	expect("stale PZ after the provider was unloaded", dat_pz_free(f->pz),
	       bad_handle(DAT_INVALID_HANDLE_PZ));
}

/* An IA whose device this host lacks: a clean DAT_INVALID_ADDRESS. */
static void check_absent(const char *name)
{
	DAT_EVD_HANDLE evd = DAT_HANDLE_NULL;
	DAT_IA_HANDLE ia = DAT_HANDLE_NULL;
	DAT_RETURN ret = dat_ia_open((DAT_NAME_PTR)name, 8, &evd, &ia);
	char buf[160];

	report(DAT_GET_TYPE(ret) == DAT_INVALID_ADDRESS && (ret & DAT_CLASS_ERROR),
	       "dat_ia_open of an IA on a missing device", "%s: %s", name,
	       ret_str(ret, buf, sizeof(buf)));
	if (ret == DAT_SUCCESS)
		dat_ia_close(ia, DAT_CLOSE_ABRUPT_FLAG);
}

static int usage(void)
{
	fprintf(stderr, "usage: dapl_conform [--device DEV] [--transport rxe|siw] "
		"[--threadsafe IA_NAME] [--absent IA_NAME] IA_NAME\n");
	return 2;
}

int main(int argc, char **argv)
{
	struct fixture f = { 0 };
	const char *ts_name = NULL, *absent = NULL;
	size_t i;
	int a;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (a = 1; a < argc - 1; a += 2) {
		if (!strcmp(argv[a], "--device"))
			f.device = argv[a + 1];
		else if (!strcmp(argv[a], "--transport"))
			f.transport = argv[a + 1];
		else if (!strcmp(argv[a], "--threadsafe"))
			ts_name = argv[a + 1];
		else if (!strcmp(argv[a], "--absent"))
			absent = argv[a + 1];
		else
			return usage();
	}
	if (a != argc - 1)
		return usage();
	f.name = argv[a];

	if (!setup(&f)) {
		printf("FAIL setup: cannot continue\n");
		return 1;
	}
	make_freed(&f);
	check_objects(&f);
	check_rmr(&f);
	run_param_rows(&f);
	for (i = 0; i < sizeof(handle_rows) / sizeof(handle_rows[0]); i++)
		run_handle_row(&f, &handle_rows[i]);
	if (ts_name)
		check_threadsafe(&f, ts_name);
	if (absent)
		check_absent(absent);
	check_close(&f);
	free(f.buf);
	printf("%d passed, %d failed, %d not applicable\n", passes, failures, skipped);
	return failures ? 1 : 0;
}
