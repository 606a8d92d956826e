/* SPDX-License-Identifier: BSD-3-Clause OR GPL-2.0-only */
/*
 * dat_platform_specific.h - basic scalar types, socket address types and
 * calling-convention macros used by every DAT 2.0 header.
 *
 * This stack only targets Linux user space, so there is exactly one
 * definition of each type.  The sizes are part of the ABI shared with
 * providers and consumers built against other DAT 2.0 implementations.
 */
#ifndef _DAT_PLATFORM_SPECIFIC_H_
#define _DAT_PLATFORM_SPECIFIC_H_

#ifndef __linux__
#error "this DAT 2.0 implementation supports Linux only"
#endif

#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>	/* struct sockaddr_in6 must be complete for users */
#include <stddef.h>
#include <stdio.h>

/* Preferred buffer alignment reported to consumers, in bytes. */
#ifndef DAT_OPTIMAL_ALIGNMENT
#define DAT_OPTIMAL_ALIGNMENT	256
#endif

typedef u_int32_t		DAT_UINT32;
typedef u_int64_t		DAT_UINT64;
typedef unsigned long long	DAT_UVERYLONG;
typedef void *			DAT_PVOID;
typedef int			DAT_COUNT;
typedef DAT_UINT64		DAT_PADDR;

#ifndef UINT64_C
#define UINT64_C(c)	c ## ULL
#endif

/* An IA handle is a small integer on the wire between registry and user. */
#define DAT_IA_HANDLE_TO_UL(a)	(unsigned long)(a)
#define DAT_UL_TO_IA_HANDLE(a)	(DAT_IA_HANDLE)(a)

/* Communicator description used by the (unexported) CSP calls. */
typedef struct dat_comm {
	int	domain;
	int	type;
	int	protocol;
} DAT_COMM;

typedef int			DAT_FD;
typedef struct sockaddr		DAT_SOCK_ADDR;
typedef struct sockaddr_in6	DAT_SOCK_ADDR6;

#define DAT_AF_INET	AF_INET
#define DAT_AF_INET6	AF_INET6

/* Calling convention and linkage: nothing special on Linux. */
#define DAT_API
#define DAT_EXPORT	extern

/* Parameter direction annotations used in the prototypes. */
#ifndef IN
#define IN
#endif
#ifndef OUT
#define OUT
#endif
#ifndef INOUT
#define INOUT
#endif

#endif /* _DAT_PLATFORM_SPECIFIC_H_ */
