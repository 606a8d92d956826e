// SPDX-License-Identifier: BSD-3-Clause OR GPL-2.0-only
/*
 * check_dat_registry - libdat2 end to end, through its public ABI only.
 *
 * Every test runs in its own forked process (Check's default), writes a
 * dat.conf pointing at the test providers, sets DAT_OVERRIDE and captures
 * stderr, so each one sees a freshly loaded registry and its messages.
 */
#include <dlfcn.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <check.h>

#include <dat2/udat.h>
#include <dat2/dat_registry.h>
#include <dat2/dat_ib_extensions.h>

#include "../providers/fake_provider.h"

#ifndef TEST_PROVIDER_DIR
#error "TEST_PROVIDER_DIR must name the directory of the test providers"
#endif
#define FAKE_LIB	TEST_PROVIDER_DIR "/libdatprov_fake.so"
#define NOENTRY_LIB	TEST_PROVIDER_DIR "/libdatprov_noentry.so"

DAT_RETURN dats_get_ia_handle(DAT_IA_HANDLE handle, DAT_IA_HANDLE *out);

#define ERR(type, sub)	(DAT_CLASS_ERROR | (type) | (sub))
#define DAT_ERROR_FOR_TEST(sub)	ERR(DAT_INVALID_PARAMETER, (sub))
#define NOT_FOUND	ERR(DAT_PROVIDER_NOT_FOUND, DAT_NAME_NOT_REGISTERED)

static char conf_path[] = "/tmp/dat-registry-test-XXXXXX";
static char log_path[] = "/tmp/dat-registry-log-XXXXXX";

/* Write the config, point DAT_OVERRIDE at it, send stderr to a file. */
static void use_conf(const char *text)
{
	int fd = mkstemp(conf_path);
	int log_fd = mkstemp(log_path);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_ge(log_fd, 0);
	ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	setenv("DAT_OVERRIDE", conf_path, 1);
	ck_assert_int_ge(dup2(log_fd, STDERR_FILENO), 0);
	close(log_fd);
}

static void cleanup(void)
{
	unlink(conf_path);
	unlink(log_path);
}

/* Everything libdat2 printed so far (static buffer). */
static const char *logged(void)
{
	static char buf[16384];
	int fd = open(log_path, O_RDONLY);
	ssize_t n;

	ck_assert_int_ge(fd, 0);
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	return buf;
}

#define ck_assert_logged(text)						\
	do {								\
		const char *log_ = logged();				\
		if (!strstr(log_, (text)))				\
			ck_abort_msg("expected \"%s\" in log:\n%s", (text), log_); \
	} while (0)

static DAT_DTO_COOKIE c0(void)
{
	DAT_DTO_COOKIE cookie = { .as_64 = 0 };

	return cookie;
}

/*
 * The fake provider's state.  Looked up through a dlopen handle, not
 * RTLD_DEFAULT: a global lookup would make the test program depend on the
 * module and keep it from being unloaded.  Invalid once it is unloaded.
 */
static struct fake_state *fake(void)
{
	void *h = dlopen(FAKE_LIB, RTLD_NOW | RTLD_NOLOAD);
	struct fake_state *s;

	ck_assert_ptr_nonnull(h);
	s = dlsym(h, "fake_provider_state");
	dlclose(h);
	ck_assert_ptr_nonnull(s);
	return s;
}

/* "<fini calls> <remove result>" left by the provider's fini. */
static const char *fini_note(void)
{
	const char *note = getenv("FAKE_PROVIDER_FINI");

	return note ? note : "fini not called";
}

static bool library_loaded(const char *path)
{
	void *h = dlopen(path, RTLD_NOW | RTLD_NOLOAD);

	if (h)
		dlclose(h);
	return h != NULL;
}

#define ENTRY(name, ts, lib, params) \
	name " u2.0 " ts " default " lib " dapl.2.0 \"" params "\" \"\"\n"

START_TEST(open_dispatch_close)
{
	DAT_IA_HANDLE ia, back, provider_ia;
	DAT_EVD_HANDLE async_evd = DAT_HANDLE_NULL;
	DAT_PZ_HANDLE pz;
	DAT_EP_HANDLE ep;
	DAT_EP_PARAM ep_param;
	DAT_IA_ATTR ia_attr;
	DAT_PROVIDER_ATTR p_attr;
	DAT_HANDLE_TYPE type;
	DAT_CONTEXT ctx = { .as_64 = 0x1234 }, got;

	use_conf(ENTRY("fake0", "nonthreadsafe", FAKE_LIB, "ok 0"));
	ck_assert_uint_eq(dat_ia_open("fake0", 8, &async_evd, &ia), DAT_SUCCESS);
	/* Consumers see slot numbers starting at 1. */
	ck_assert_ptr_eq(ia, (DAT_IA_HANDLE)1);
	ck_assert_int_eq(fake()->init_calls, 1);
	ck_assert_str_eq(fake()->last_params, "ok 0");

	ck_assert_uint_eq(dat_ia_query(ia, &async_evd, DAT_IA_ALL, &ia_attr,
				       DAT_PROVIDER_FIELD_ALL, &p_attr), DAT_SUCCESS);
	ck_assert_str_eq(ia_attr.adapter_name, "fake adapter");
	ck_assert_ptr_ne(fake()->last_query_ia, ia);

	/* Both directions of the handle translation. */
	ck_assert_uint_eq(dats_get_ia_handle(ia, &provider_ia), DAT_SUCCESS);
	ck_assert_ptr_eq(provider_ia, fake()->last_query_ia);
	ck_assert_uint_eq(dats_get_ia_handle(provider_ia, &back), DAT_SUCCESS);
	ck_assert_ptr_eq(back, ia);

	ck_assert_uint_eq(dat_get_handle_type(ia, &type), DAT_SUCCESS);
	ck_assert_int_eq(type, DAT_HANDLE_TYPE_IA);
	ck_assert_uint_eq(dat_set_consumer_context(ia, ctx), DAT_SUCCESS);
	ck_assert_uint_eq(dat_get_consumer_context(ia, &got), DAT_SUCCESS);
	ck_assert_uint_eq(got.as_64, 0x1234);

	ck_assert_uint_eq(dat_pz_create(ia, &pz), DAT_SUCCESS);
	ck_assert_uint_eq(dat_ep_create(ia, pz, NULL, NULL, NULL, NULL, &ep),
			  DAT_SUCCESS);
	ck_assert_uint_eq(dat_get_handle_type(ep, &type), DAT_SUCCESS);
	ck_assert_int_eq(type, DAT_HANDLE_TYPE_EP);
	ck_assert_uint_eq(dat_ep_connect(ep, NULL, 4321, 77, 0, NULL,
					 DAT_QOS_BEST_EFFORT,
					 DAT_CONNECT_DEFAULT_FLAG), DAT_SUCCESS);
	ck_assert_uint_eq(fake()->last_conn_qual, 4321);
	ck_assert_uint_eq(fake()->last_timeout, 77);
	/* The provider reports its owner IA as the consumer's slot number. */
	ck_assert_uint_eq(dat_ep_query(ep, DAT_EP_FIELD_IA_HANDLE, &ep_param),
			  DAT_SUCCESS);
	ck_assert_ptr_eq(ep_param.ia_handle, ia);
	ck_assert_uint_eq(dat_ep_free(ep), DAT_SUCCESS);
	ck_assert_uint_eq(dat_pz_free(pz), DAT_SUCCESS);
	/* An IA handle (a slot number) where another type is expected. */
	ck_assert_uint_eq(dat_pz_free((DAT_PZ_HANDLE)ia),
			  ERR(DAT_INVALID_HANDLE, DAT_INVALID_HANDLE_PZ));
	ck_assert_uint_eq(dat_ep_free((DAT_EP_HANDLE)ia),
			  ERR(DAT_INVALID_HANDLE, DAT_INVALID_HANDLE_EP));
	ck_assert_uint_eq(dat_evd_dequeue((DAT_EVD_HANDLE)ia, NULL),
			  ERR(DAT_INVALID_HANDLE, DAT_INVALID_HANDLE_EVD_REQUEST));

	ck_assert_uint_eq(dat_ia_close(ia, DAT_CLOSE_ABRUPT_FLAG), DAT_SUCCESS);
	/* Last close ran fini, which unregistered, and unloaded the module. */
	ck_assert_str_eq(fini_note(), "1 0x0");
	ck_assert(!library_loaded(FAKE_LIB));
	ck_assert_uint_eq(dat_ia_close(ia, DAT_CLOSE_ABRUPT_FLAG),
			  ERR(DAT_INVALID_HANDLE, DAT_INVALID_HANDLE_IA));
	ck_assert_uint_eq(dat_pz_create(ia, &pz),
			  ERR(DAT_INVALID_HANDLE, DAT_INVALID_HANDLE_IA));
	cleanup();
}
END_TEST

START_TEST(library_shared_between_ias)
{
	DAT_IA_HANDLE a, b;
	struct fake_state *s;

	use_conf(ENTRY("fake0", "nonthreadsafe", FAKE_LIB, "ok 0"));
	ck_assert_uint_eq(dat_ia_open("fake0", 8, NULL, &a), DAT_SUCCESS);
	ck_assert_uint_eq(dat_ia_open("fake0", 8, NULL, &b), DAT_SUCCESS);
	ck_assert_ptr_eq(b, (DAT_IA_HANDLE)2);
	s = fake();
	ck_assert_int_eq(s->init_calls, 1);
	ck_assert_uint_eq(dat_ia_close(a, DAT_CLOSE_DEFAULT), DAT_SUCCESS);
	ck_assert(library_loaded(FAKE_LIB));
	ck_assert_str_eq(fini_note(), "fini not called");
	/* The freed slot is reused. */
	ck_assert_uint_eq(dat_ia_open("fake0", 8, NULL, &a), DAT_SUCCESS);
	ck_assert_ptr_eq(a, (DAT_IA_HANDLE)1);
	ck_assert_uint_eq(dat_ia_close(a, DAT_CLOSE_DEFAULT), DAT_SUCCESS);
	ck_assert_uint_eq(dat_ia_close(b, DAT_CLOSE_DEFAULT), DAT_SUCCESS);
	ck_assert(!library_loaded(FAKE_LIB));
	cleanup();
}
END_TEST

START_TEST(library_missing)
{
	DAT_IA_HANDLE ia;

	use_conf(ENTRY("gone", "nonthreadsafe", "/nonexistent/libnothere.so", "ok 0"));
	ck_assert_uint_eq(dat_ia_open("gone", 8, NULL, &ia), NOT_FOUND);
	ck_assert_logged("IA \"gone\"");
	ck_assert_logged("cannot load provider library: /nonexistent/libnothere.so");
	cleanup();
}
END_TEST

START_TEST(entry_point_missing)
{
	DAT_IA_HANDLE ia;

	use_conf(ENTRY("plain", "nonthreadsafe", NOENTRY_LIB, "ok 0"));
	ck_assert_uint_eq(dat_ia_open("plain", 8, NULL, &ia), NOT_FOUND);
	ck_assert_logged("does not export dat_provider_init");
	ck_assert(!library_loaded(NOENTRY_LIB));
	cleanup();
}
END_TEST

START_TEST(init_does_not_register)
{
	DAT_IA_HANDLE ia;

	use_conf(ENTRY("quiet", "nonthreadsafe", FAKE_LIB, "noreg"));
	ck_assert_uint_eq(dat_ia_open("quiet", 8, NULL, &ia), NOT_FOUND);
	ck_assert_logged("did not register the IA");
	ck_assert_logged("\"noreg\"");
	/* OFA keeps the library loaded forever here; we unload it. */
	ck_assert(!library_loaded(FAKE_LIB));
	cleanup();
}
END_TEST

START_TEST(registers_twice)
{
	DAT_IA_HANDLE ia;

	use_conf(ENTRY("dup", "nonthreadsafe", FAKE_LIB, "twice"));
	ck_assert_uint_eq(dat_ia_open("dup", 8, NULL, &ia), DAT_SUCCESS);
	ck_assert_uint_eq(fake()->second_register,
			  ERR(DAT_PROVIDER_ALREADY_REGISTERED, 0));
	ck_assert_uint_eq(dat_ia_close(ia, DAT_CLOSE_DEFAULT), DAT_SUCCESS);
	cleanup();
}
END_TEST

START_TEST(fallback_chain)
{
	DAT_IA_HANDLE ia;

	use_conf(ENTRY("fb", "nonthreadsafe", "/nonexistent/first.so", "ok 0")
		 ENTRY("fb", "nonthreadsafe", FAKE_LIB, "ok second"));
	ck_assert_uint_eq(dat_ia_open("fb", 8, NULL, &ia), DAT_SUCCESS);
	ck_assert_str_eq(fake()->last_params, "ok second");
	ck_assert_logged("/nonexistent/first.so");
	ck_assert_uint_eq(dat_ia_close(ia, DAT_CLOSE_DEFAULT), DAT_SUCCESS);
	cleanup();
}
END_TEST

START_TEST(name_not_in_file)
{
	DAT_IA_HANDLE ia;

	use_conf(ENTRY("fake0", "nonthreadsafe", FAKE_LIB, "ok 0"));
	ck_assert_uint_eq(dat_ia_open("other", 8, NULL, &ia), NOT_FOUND);
	ck_assert_logged("IA \"other\" (u2.0 nonthreadsafe) not found");
	ck_assert_logged(conf_path);
	/* Right name, wrong thread safety: say what the file has. */
	ck_assert_uint_eq(dat_ia_openv("fake0", 8, NULL, &ia, 2, 0, DAT_TRUE),
			  NOT_FOUND);
	ck_assert_logged("lists it only as \"fake0\" (u2.0 nonthreadsafe)");
	cleanup();
}
END_TEST

START_TEST(unreadable_override)
{
	DAT_IA_HANDLE ia;
	DAT_COUNT n = -1;

	use_conf("");
	setenv("DAT_OVERRIDE", "/nonexistent/dat.conf", 1);
	ck_assert_uint_eq(dat_ia_open("fake0", 8, NULL, &ia), NOT_FOUND);
	ck_assert_logged("cannot open DAT_OVERRIDE /nonexistent/dat.conf: No such file or directory");
	ck_assert_uint_eq(dat_registry_list_providers(0, &n, NULL),
			  ERR(DAT_INVALID_PARAMETER, DAT_INVALID_ARG1));
	ck_assert_int_eq(n, 0);
	cleanup();
}
END_TEST

START_TEST(directory_as_config)
{
	DAT_IA_HANDLE ia;

	use_conf("");
	setenv("DAT_OVERRIDE", "/", 1);
	ck_assert_uint_eq(dat_ia_open("fake0", 8, NULL, &ia), NOT_FOUND);
	ck_assert_logged("/: read error");
	cleanup();
}
END_TEST

START_TEST(bad_lines_reported)
{
	DAT_IA_HANDLE ia;

	use_conf("broken u2.0 nonthreadsafe\n"
		 ENTRY("fake0", "nonthreadsafe", FAKE_LIB, "ok 0"));
	ck_assert_uint_eq(dat_ia_open("fake0", 8, NULL, &ia), DAT_SUCCESS);
	ck_assert_logged(":1: only 3 of the 8 fields are present; field 4 (default) is missing; line ignored");
	ck_assert_uint_eq(dat_ia_close(ia, DAT_CLOSE_DEFAULT), DAT_SUCCESS);
	cleanup();
}
END_TEST

START_TEST(threadsafe_open_released)
{
	DAT_IA_HANDLE ia;

	use_conf(ENTRY("ts", "threadsafe", FAKE_LIB, "ok 0"));
	ck_assert_uint_eq(dat_ia_open("ts", 8, NULL, &ia), NOT_FOUND);
	ck_assert_uint_eq(dat_ia_openv("ts", 8, NULL, &ia, 2, 0, DAT_TRUE),
			  DAT_SUCCESS);
	ck_assert_uint_eq(dat_ia_close(ia, DAT_CLOSE_DEFAULT), DAT_SUCCESS);
	/* OFA never releases a threadsafe open; we run fini and unload. */
	ck_assert_str_eq(fini_note(), "1 0x0");
	ck_assert(!library_loaded(FAKE_LIB));
	cleanup();
}
END_TEST

START_TEST(list_providers)
{
	DAT_PROVIDER_INFO info[4], *list[4] = { &info[0], &info[1], &info[2], &info[3] };
	DAT_COUNT n = -1;

	use_conf(ENTRY("first", "nonthreadsafe", "/x/a.so", "a 0")
		 "kern k2.0 nonthreadsafe default /x/k.so dapl.2.0 p q\n"
		 "nd u2.0 nonthreadsafe nondefault /x/n.so dapl.2.0 p q\n"
		 ENTRY("second", "threadsafe", "/x/b.so", "b 0")
		 ENTRY("first", "nonthreadsafe", "/x/c.so", "c 0")
		 ENTRY("third", "nonthreadsafe", "/x/d.so", "d 0"));
	ck_assert_uint_eq(dat_registry_list_providers(0, &n, list),
			  ERR(DAT_INVALID_PARAMETER, DAT_INVALID_ARG1));
	ck_assert_int_eq(n, 3);
	ck_assert_uint_eq(dat_registry_list_providers(2, &n, list), DAT_SUCCESS);
	ck_assert_int_eq(n, 2);
	ck_assert_str_eq(info[0].ia_name, "first");
	ck_assert_str_eq(info[1].ia_name, "second");
	ck_assert_int_eq(info[1].is_thread_safe, DAT_TRUE);
	ck_assert_uint_eq(dat_registry_list_providers(4, &n, list), DAT_SUCCESS);
	ck_assert_int_eq(n, 3);
	ck_assert_str_eq(info[2].ia_name, "third");
	ck_assert_uint_eq(info[2].dapl_version_major, 2);
	list[1] = NULL;
	ck_assert_uint_eq(dat_registry_list_providers(4, &n, list),
			  ERR(DAT_INVALID_PARAMETER, DAT_INVALID_ARG3));
	ck_assert_uint_eq(dat_registry_list_providers(1, NULL, list),
			  ERR(DAT_INVALID_PARAMETER, DAT_INVALID_ARG2));
	cleanup();
}
END_TEST

START_TEST(open_bad_arguments)
{
	char long_name[300];
	DAT_IA_HANDLE ia;

	use_conf("");
	memset(long_name, 'n', 256);
	long_name[256] = '\0';
	ck_assert_uint_eq(dat_ia_open(NULL, 8, NULL, &ia),
			  ERR(DAT_INVALID_PARAMETER, DAT_INVALID_ARG1));
	ck_assert_uint_eq(dat_ia_open(long_name, 8, NULL, &ia),
			  ERR(DAT_INVALID_PARAMETER, DAT_INVALID_ARG1));
	ck_assert_uint_eq(dat_ia_open("x", 8, NULL, NULL),
			  ERR(DAT_INVALID_HANDLE, DAT_INVALID_HANDLE_IA));
	cleanup();
}
END_TEST

START_TEST(null_handles)
{
	DAT_CONTEXT c = { 0 };
	const DAT_RETURN h = ERR(DAT_INVALID_HANDLE, 0);

	/* The subtypes OFA's libdat2 returns, measured on the reference. */
	ck_assert_uint_eq(dat_ep_connect(NULL, NULL, 0, 0, 0, NULL, 0, 0), h | DAT_INVALID_HANDLE_EP);
	ck_assert_uint_eq(dat_ep_post_send(NULL, 0, NULL, c, 0), h | DAT_INVALID_HANDLE_EP);
	ck_assert_uint_eq(dat_evd_wait(NULL, 0, 0, NULL, NULL), h | DAT_INVALID_HANDLE_EVD_REQUEST);
	ck_assert_uint_eq(dat_evd_dequeue(NULL, NULL), h | DAT_INVALID_HANDLE_EVD_REQUEST);
	ck_assert_uint_eq(dat_cno_wait(NULL, 0, NULL), h | DAT_INVALID_HANDLE_CNO);
	ck_assert_uint_eq(dat_cr_accept(NULL, NULL, 0, NULL), h | DAT_INVALID_HANDLE_CR);
	ck_assert_uint_eq(dat_lmr_free(NULL), h | DAT_INVALID_HANDLE_LMR);
	ck_assert_uint_eq(dat_rmr_free(NULL), h | DAT_INVALID_HANDLE_RMR);
	ck_assert_uint_eq(dat_rmr_create(NULL, NULL), h | DAT_INVALID_HANDLE_PZ);
	ck_assert_uint_eq(dat_pz_free(NULL), h | DAT_INVALID_HANDLE_PZ);
	ck_assert_uint_eq(dat_psp_free(NULL), h | DAT_INVALID_HANDLE_PSP);
	ck_assert_uint_eq(dat_rsp_free(NULL), h | DAT_INVALID_HANDLE_RSP);
	ck_assert_uint_eq(dat_srq_free(NULL), h | DAT_INVALID_HANDLE_SRQ);
	ck_assert_uint_eq(dat_get_handle_type(NULL, NULL), h | DAT_INVALID_HANDLE1);
	ck_assert_uint_eq(dat_set_consumer_context(NULL, c), h | DAT_INVALID_HANDLE1);
	ck_assert_uint_eq(dat_extension_op(NULL, DAT_IB_FETCH_AND_ADD_OP), h | DAT_INVALID_HANDLE1);
	ck_assert_uint_eq(dat_ia_query(NULL, NULL, 0, NULL, 0, NULL), h | DAT_INVALID_HANDLE_IA);
	ck_assert_uint_eq(dat_ia_close((DAT_IA_HANDLE)3, 0), h | DAT_INVALID_HANDLE_IA);
	ck_assert_uint_eq(dat_ep_create((DAT_IA_HANDLE)0x1000, NULL, NULL, NULL, NULL, NULL, NULL),
			  h | DAT_INVALID_HANDLE_IA);
}
END_TEST

START_TEST(extension_ops)
{
	DAT_IA_HANDLE ia, query_ia = NULL;
	DAT_IA_ATTR attr;
	DAT_PROVIDER_ATTR p_attr;
	struct fake_state *s;

	use_conf(ENTRY("fake0", "nonthreadsafe", FAKE_LIB, "ok 0"));
	/* Query by name: loads the provider without dat_ia_open(). */
	ck_assert_uint_eq(dat_ib_open_query("fake0", &query_ia, DAT_IA_ALL, &attr,
					    0, &p_attr), DAT_SUCCESS);
	s = fake();
	ck_assert_ptr_nonnull(query_ia);
	ck_assert_str_eq((char *)s->last_ext_handle, "fake0");
	/* Not opened through dat_ia_open: no extension-capable IA yet. */
	ck_assert_uint_eq(dat_ib_post_fetch_and_add(query_ia, 5, NULL, c0(), NULL, 0),
			  ERR(DAT_NOT_IMPLEMENTED, 0));

	ck_assert_uint_eq(dat_ia_open("fake0", 8, NULL, &ia), DAT_SUCCESS);
	ck_assert_uint_eq(dat_ib_post_fetch_and_add(ia, 0x1122334455ULL, NULL,
						    c0(), NULL, 0), DAT_SUCCESS);
	ck_assert_int_eq(s->last_ext_op, DAT_IB_FETCH_AND_ADD_OP);
	ck_assert_uint_eq(s->last_ext_u64, 0x1122334455ULL);
	/* The slot number was translated before reaching the provider. */
	ck_assert_ptr_ne(s->last_ext_handle, ia);

	ck_assert_uint_eq(dat_ib_close_query(query_ia), DAT_SUCCESS);
	ck_assert_int_eq(s->last_ext_op, DAT_IB_CLOSE_QUERY_OP);
	ck_assert_uint_eq(dat_ia_close(ia, DAT_CLOSE_DEFAULT), DAT_SUCCESS);
	ck_assert_str_eq(fini_note(), "1 0x0");
	ck_assert(!library_loaded(FAKE_LIB));
	cleanup();
}
END_TEST

/* A provider registered by the application itself, without dat.conf. */
static DAT_RETURN local_open(const DAT_NAME_PTR name, DAT_COUNT qlen,
			     DAT_EVD_HANDLE *evd, DAT_IA_HANDLE *ia);
static DAT_RETURN local_close(DAT_IA_HANDLE ia, DAT_CLOSE_FLAGS flags)
{
	return DAT_SUCCESS;
}

static DAT_RETURN local_query(DAT_IA_HANDLE ia, DAT_EVD_HANDLE *evd,
			      DAT_IA_ATTR_MASK m, DAT_IA_ATTR *a,
			      DAT_PROVIDER_ATTR_MASK pm, DAT_PROVIDER_ATTR *pa)
{
	return DAT_SUCCESS;
}

static DAT_PROVIDER local_provider = {
	.device_name = "local",
	.ia_open_func = local_open,
	.ia_close_func = local_close,
	.ia_query_func = local_query,
};

static DAT_PROVIDER *local_ia = &local_provider;

static DAT_RETURN local_open(const DAT_NAME_PTR name, DAT_COUNT qlen,
			     DAT_EVD_HANDLE *evd, DAT_IA_HANDLE *ia)
{
	*ia = &local_ia;
	return DAT_SUCCESS;
}

START_TEST(dynamic_registration)
{
	DAT_PROVIDER_INFO info = { .ia_name = "local", .dapl_version_major = 2 };
	DAT_IA_HANDLE ia;

	use_conf("");
	ck_assert_uint_eq(dat_registry_add_provider(NULL, &info),
			  ERR(DAT_INVALID_PARAMETER, DAT_INVALID_ARG1));
	ck_assert_uint_eq(dat_registry_add_provider(&local_provider, NULL),
			  ERR(DAT_INVALID_PARAMETER, DAT_INVALID_ARG2));
	ck_assert_uint_eq(dat_registry_add_provider(&local_provider, &info), DAT_SUCCESS);
	ck_assert_uint_eq(dat_registry_add_provider(&local_provider, &info),
			  ERR(DAT_PROVIDER_ALREADY_REGISTERED, 0));
	ck_assert_uint_eq(dat_ia_open("local", 4, NULL, &ia), DAT_SUCCESS);
	ck_assert_uint_eq(dat_registry_remove_provider(&local_provider, &info),
			  ERR(DAT_PROVIDER_IN_USE, 0));
	ck_assert_uint_eq(dat_ia_close(ia, DAT_CLOSE_DEFAULT), DAT_SUCCESS);
	ck_assert_uint_eq(dat_registry_remove_provider(&local_provider, &info), DAT_SUCCESS);
	ck_assert_uint_eq(dat_registry_remove_provider(&local_provider, &info), NOT_FOUND);
	ck_assert_uint_eq(dat_ia_open("local", 4, NULL, &ia), NOT_FOUND);
	cleanup();
}
END_TEST

/* Many keys (the lookup table grows several times) keep order and chains. */
START_TEST(many_entries)
{
	static char conf[400 * 128];
	DAT_PROVIDER_INFO info[2], *list[2] = { &info[0], &info[1] };
	size_t used = 0;
	DAT_COUNT n = -1;
	DAT_IA_HANDLE ia;
	int i;

	for (i = 0; i < 300; i++)
		used += (size_t)snprintf(conf + used, sizeof(conf) - used,
			ENTRY("n%d", "nonthreadsafe", "/nonexistent/%d.so", "ok %d"),
			i, i, i);
	snprintf(conf + used, sizeof(conf) - used,
		 ENTRY("n7", "nonthreadsafe", FAKE_LIB, "ok fallback"));
	use_conf(conf);
	ck_assert_uint_eq(dat_registry_list_providers(0, &n, NULL),
			  ERR(DAT_INVALID_PARAMETER, DAT_INVALID_ARG1));
	ck_assert_int_eq(n, 300);
	ck_assert_uint_eq(dat_registry_list_providers(2, &n, list), DAT_SUCCESS);
	ck_assert_str_eq(info[0].ia_name, "n0");
	ck_assert_str_eq(info[1].ia_name, "n1");
	ck_assert_uint_eq(dat_ia_open("n7", 8, NULL, &ia), DAT_SUCCESS);
	ck_assert_str_eq(fake()->last_params, "ok fallback");
	ck_assert_logged("/nonexistent/7.so");
	ck_assert_uint_eq(dat_ia_close(ia, DAT_CLOSE_DEFAULT), DAT_SUCCESS);
	cleanup();
}
END_TEST

/* The misspelt-name help: nearest names, what is there, where to look. */
START_TEST(misspelt_name_suggestions)
{
	DAT_IA_HANDLE ia;

	use_conf(ENTRY("ofa-v2-ib0", "nonthreadsafe", "/x/a.so", "ib0 0")
		 ENTRY("ofa-v2-ib1", "nonthreadsafe", "/x/a.so", "ib1 0")
		 ENTRY("ofa-v2-iwarp", "nonthreadsafe", "/x/a.so", "eth2 0")
		 ENTRY("ofa-v2-cma-roe-eth2", "nonthreadsafe", "/x/a.so", "eth2 0"));
	ck_assert_uint_eq(dat_ia_open("ofa-v2-ib", 8, NULL, &ia), NOT_FOUND);
	ck_assert_logged("IA \"ofa-v2-ib\" (u2.0 nonthreadsafe) not found: no \"u\" \"default\" entry with that name in ");
	ck_assert_logged("; did you mean \"ofa-v2-ib0\" or \"ofa-v2-ib1\"?\n");
	ck_assert_logged("registers 4 IAs: \"ofa-v2-ib0\", \"ofa-v2-ib1\", \"ofa-v2-iwarp\", \"ofa-v2-cma-roe-eth2\"; run dapl-info to see the devices and dat.conf entries\n");
	/* Case, a swap of neighbours and a missing letter are all near. */
	ck_assert_uint_eq(dat_ia_open("OFA-V2-IWARP", 8, NULL, &ia), NOT_FOUND);
	ck_assert_logged("did you mean \"ofa-v2-iwarp\"?");
	ck_assert_uint_eq(dat_ia_open("ofa-v2-cma-reo-eth", 8, NULL, &ia), NOT_FOUND);
	ck_assert_logged("did you mean \"ofa-v2-cma-roe-eth2\"?");
	cleanup();
}
END_TEST

START_TEST(far_name_gets_no_suggestion)
{
	char conf[4096] = "", line[256];
	DAT_IA_HANDLE ia;
	int i;

	for (i = 0; i < 12; i++) {
		snprintf(line, sizeof(line),
			 ENTRY("mlx5_%d", "nonthreadsafe", "/x/a.so", "p 0"), i);
		strcat(conf, line);
	}
	use_conf(conf);
	ck_assert_uint_eq(dat_ia_open("ofa-v2-ib0", 8, NULL, &ia), NOT_FOUND);
	ck_assert_ptr_null(strstr(logged(), "did you mean"));
	/* A long registry is summed up, not dumped. */
	ck_assert_logged("registers 12 IAs: \"mlx5_0\", \"mlx5_1\"");
	ck_assert_logged("\"mlx5_7\" and 4 more; run dapl-info");
	cleanup();
}
END_TEST

START_TEST(nothing_registered_says_so)
{
	DAT_IA_HANDLE ia;

	use_conf("# only a comment\n"
		 "kern k2.0 nonthreadsafe default /x/k.so dapl.2.0 p q\n");
	ck_assert_uint_eq(dat_ia_open("ofa-v2-ib0", 8, NULL, &ia), NOT_FOUND);
	ck_assert_logged("registers no IA (no \"u\" \"default\" line); run dapl-info");
	cleanup();
}
END_TEST

/* A provider whose IA open fails with a known status. */
static DAT_RETURN unreachable_open(const DAT_NAME_PTR name, DAT_COUNT qlen,
				   DAT_EVD_HANDLE *evd, DAT_IA_HANDLE *ia)
{
	return ERR(DAT_INVALID_ADDRESS, DAT_INVALID_ADDRESS_UNREACHABLE);
}

static DAT_RETURN odd_open(const DAT_NAME_PTR name, DAT_COUNT qlen,
			   DAT_EVD_HANDLE *evd, DAT_IA_HANDLE *ia)
{
	return 0x80ff0000;
}

START_TEST(provider_failure_named)
{
	DAT_PROVIDER failing = { .device_name = "failing",
				 .ia_open_func = unreachable_open };
	DAT_PROVIDER odd = { .device_name = "odd", .ia_open_func = odd_open };
	DAT_PROVIDER_INFO info = { .ia_name = "failing", .dapl_version_major = 2 };
	DAT_PROVIDER_INFO odd_info = { .ia_name = "odd", .dapl_version_major = 2 };
	DAT_IA_HANDLE ia;

	use_conf("");
	ck_assert_uint_eq(dat_registry_add_provider(&failing, &info), DAT_SUCCESS);
	ck_assert_uint_eq(dat_ia_open("failing", 4, NULL, &ia),
			  ERR(DAT_INVALID_ADDRESS, DAT_INVALID_ADDRESS_UNREACHABLE));
	ck_assert_logged("IA \"failing\" (u2.0 nonthreadsafe): the provider failed to open it: DAT_INVALID_ADDRESS/DAT_INVALID_ADDRESS_UNREACHABLE; run dapl-info");
	ck_assert_ptr_null(strstr(logged(), "0x"));
	/* A code dat_strerror() does not know keeps its number. */
	ck_assert_uint_eq(dat_registry_add_provider(&odd, &odd_info), DAT_SUCCESS);
	ck_assert_uint_eq(dat_ia_open("odd", 4, NULL, &ia), 0x80ff0000);
	ck_assert_logged("failed to open it: unknown DAT status 0x80ff0000");
	cleanup();
}
END_TEST

/* Bytes from a consumer or the environment are escaped, never printed. */
START_TEST(hostile_names_escaped)
{
	DAT_IA_HANDLE ia;

	use_conf(ENTRY("ofa-v2-ib0", "nonthreadsafe", "/x/a.so", "ib0 0"));
	ck_assert_uint_eq(dat_ia_open("ofa-v2-ib0\n\x1b[2J", 8, NULL, &ia),
			  NOT_FOUND);
	ck_assert_logged("IA \"ofa-v2-ib0\\x0a\\x1b[2J\" (u2.0 nonthreadsafe) not found");
	ck_assert_ptr_null(strchr(logged(), '\x1b'));
	cleanup();
}
END_TEST

START_TEST(override_path_escaped)
{
	DAT_IA_HANDLE ia;

	use_conf("");
	setenv("DAT_OVERRIDE", "/nonexistent/a\rb\nc.conf", 1);
	ck_assert_uint_eq(dat_ia_open("x", 8, NULL, &ia), NOT_FOUND);
	ck_assert_logged("cannot open DAT_OVERRIDE /nonexistent/a\\x0db\\x0ac.conf: No such file or directory");
	ck_assert_logged("; run dapl-info to see the devices and dat.conf entries\n");
	cleanup();
}
END_TEST

START_TEST(strerror_complete)
{
	static const DAT_RETURN types[] = {
		DAT_SUCCESS, DAT_ABORT, DAT_CONN_QUAL_IN_USE,
		DAT_INSUFFICIENT_RESOURCES, DAT_INTERNAL_ERROR,
		DAT_INVALID_HANDLE, DAT_INVALID_PARAMETER, DAT_INVALID_STATE,
		DAT_LENGTH_ERROR, DAT_MODEL_NOT_SUPPORTED,
		DAT_PROVIDER_NOT_FOUND, DAT_PRIVILEGES_VIOLATION,
		DAT_PROTECTION_VIOLATION, DAT_QUEUE_EMPTY, DAT_QUEUE_FULL,
		DAT_TIMEOUT_EXPIRED, DAT_PROVIDER_ALREADY_REGISTERED,
		DAT_PROVIDER_IN_USE, DAT_INVALID_ADDRESS,
		DAT_INTERRUPTED_CALL, DAT_CONN_QUAL_UNAVAILABLE,
		DAT_RESERVED_LMR, DAT_PORT_IN_USE, DAT_COMM_NOT_SUPPORTED,
		DAT_EXTENSION_BASE, DAT_NOT_IMPLEMENTED,
	};
	const char *major, *minor;
	unsigned int i, sub;

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		ck_assert_uint_eq(dat_strerror(types[i] | DAT_CLASS_ERROR, &major, &minor),
				  DAT_SUCCESS);
		ck_assert_ptr_null(strstr(major, "unknown"));
		ck_assert_str_eq(minor, "");
	}
	for (sub = DAT_SUB_INTERRUPTED; sub <= DAT_THREAD_SAFETY_NOT_FOUND; sub++) {
		ck_assert_uint_eq(dat_strerror(DAT_ERROR_FOR_TEST(sub), &major, &minor),
				  DAT_SUCCESS);
		ck_assert_ptr_null(strstr(minor, "unknown"));
		ck_assert_str_ne(minor, "");
	}
	dat_strerror(ERR(DAT_INVALID_PARAMETER, DAT_INVALID_ARG1), &major, &minor);
	ck_assert_str_eq(major, "DAT_INVALID_PARAMETER");
	ck_assert_str_eq(minor, "DAT_INVALID_ARG1");
	dat_strerror(ERR(DAT_PROVIDER_NOT_FOUND, DAT_NAME_NOT_REGISTERED), &major, &minor);
	ck_assert_str_eq(minor, "DAT_NAME_NOT_REGISTERED");
	ck_assert_uint_eq(dat_strerror(0x00250000, &major, &minor), DAT_INVALID_PARAMETER);
	ck_assert_str_eq(major, "unknown error");
	ck_assert_uint_eq(dat_strerror(0x8006ffff, &major, &minor), DAT_INVALID_PARAMETER);
	ck_assert_str_eq(minor, "unknown minor error");
}
END_TEST

int main(void)
{
	Suite *suite = suite_create("dat_registry");
	TCase *tc = tcase_create("registry");
	SRunner *runner;
	int failed;

	tcase_add_test(tc, open_dispatch_close);
	tcase_add_test(tc, library_shared_between_ias);
	tcase_add_test(tc, library_missing);
	tcase_add_test(tc, entry_point_missing);
	tcase_add_test(tc, init_does_not_register);
	tcase_add_test(tc, registers_twice);
	tcase_add_test(tc, fallback_chain);
	tcase_add_test(tc, name_not_in_file);
	tcase_add_test(tc, unreadable_override);
	tcase_add_test(tc, directory_as_config);
	tcase_add_test(tc, bad_lines_reported);
	tcase_add_test(tc, threadsafe_open_released);
	tcase_add_test(tc, list_providers);
	tcase_add_test(tc, open_bad_arguments);
	tcase_add_test(tc, null_handles);
	tcase_add_test(tc, extension_ops);
	tcase_add_test(tc, dynamic_registration);
	tcase_add_test(tc, strerror_complete);
	tcase_add_test(tc, many_entries);
	tcase_add_test(tc, misspelt_name_suggestions);
	tcase_add_test(tc, far_name_gets_no_suggestion);
	tcase_add_test(tc, nothing_registered_says_so);
	tcase_add_test(tc, provider_failure_named);
	tcase_add_test(tc, hostile_names_escaped);
	tcase_add_test(tc, override_path_escaped);
	suite_add_tcase(suite, tc);
	runner = srunner_create(suite);
	/* Each test needs a fresh registry: keep Check's fork mode. */
	srunner_set_fork_status(runner, CK_FORK);
	srunner_run_all(runner, CK_NORMAL);
	failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
