#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause OR GPL-2.0-only
# libdat2.so.2 must export exactly OFA's dynamic symbols: the 74 DAT_2.0
# functions (dat_*@@DAT_2.0, dats_get_ia_handle@@DAT_2.0) and the DAT_2.0
# version node.  The expected list was taken once with
#   nm -D --defined-only /usr/lib/x86_64-linux-gnu/libdat2.so.2
# and is committed, so this test does not need OFA installed.
#
# Like ual_symbols.sh for libual, the export list is also held against its
# sources: the version script dat/libdat2.map must list exactly these
# functions, and the public headers must declare every one of them except
# dats_get_ia_handle (OFA's providers declare it themselves).  Functions
# the headers declare but OFA does not export are listed below; a new
# declaration must be either exported or added there on purpose.
set -eu
lib=.libs/libdat2.so.2
expected=${srcdir:-.}/test/unit/dat_symbols.expected
map=${srcdir:-.}/dat/libdat2.map
headers=${srcdir:-.}/include/dat2
not_exported="dat_cno_fd_create dat_cno_trigger dat_csp_create dat_csp_free
dat_csp_query dat_ep_common_connect dat_ep_post_rdma_read_to_rmr
dat_ep_post_send_with_invalidate dat_registry_providers_related
dat_rmr_create_for_ep"
undeclared="dats_get_ia_handle"

if [ ! -f "$lib" ]; then
	echo "$lib not found; run from the top build directory" >&2
	exit 1
fi
if ! command -v nm >/dev/null 2>&1; then
	echo "nm not found (Debian package binutils)" >&2
	exit 77
fi
actual=$(nm -D --defined-only "$lib" | awk '{ print $NF }' | LC_ALL=C sort)
if [ "$actual" != "$(LC_ALL=C sort "$expected")" ]; then
	echo "exported symbols differ from $expected:" >&2
	printf '%s\n' "$actual" | diff -u "$expected" - >&2 || true
	exit 1
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
sed -n 's/@@DAT_2\.0$//p' "$expected" | LC_ALL=C sort >"$tmp/functions"
grep -o '^[[:space:]]*dats*_[a-z0-9_]*;' "$map" | tr -d ' \t;' |
	LC_ALL=C sort >"$tmp/map"
if ! cmp -s "$tmp/functions" "$tmp/map"; then
	echo "$map differs from the expected exports (-: expected only, +: map only):" >&2
	diff "$tmp/functions" "$tmp/map" | sed -n 's/^</-/p; s/^>/+/p' >&2
	exit 1
fi
# Declarations: "extern DAT_RETURN DAT_API name(" in the public headers.
cat "$headers"/*.h | tr '\n' ' ' |
	grep -o 'extern[[:space:]]\{1,\}DAT_RETURN[[:space:]]\{1,\}DAT_API[[:space:]]\{1,\}dats*_[a-z0-9_]*' |
	awk '{ print $NF }' | LC_ALL=C sort -u >"$tmp/declared"
{ cat "$tmp/declared"; printf '%s\n' $undeclared; } | LC_ALL=C sort -u >"$tmp/have"
{ cat "$tmp/functions"; printf '%s\n' $not_exported; } | LC_ALL=C sort -u >"$tmp/want"
if ! cmp -s "$tmp/have" "$tmp/want"; then
	echo "public headers and exports disagree (-: exported or listed here but" \
		"not declared, +: declared but neither exported nor listed as not exported):" >&2
	diff "$tmp/want" "$tmp/have" | sed -n 's/^</-/p; s/^>/+/p' >&2
	exit 1
fi
echo "libdat2.so.2 exports the $(printf '%s\n' "$actual" | wc -l) expected symbols;" \
	"libdat2.map and include/dat2 agree ($(wc -l <"$tmp/declared") declared," \
	"$(printf '%s\n' $not_exported | wc -l) of them not exported, as in OFA's)"
