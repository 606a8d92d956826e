#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause OR GPL-2.0-only
# libdat2.so.2 must export exactly OFA's dynamic symbols: the 74 DAT_2.0
# functions (dat_*@@DAT_2.0, dats_get_ia_handle@@DAT_2.0) and the DAT_2.0
# version node.  The expected list was taken once with
#   nm -D --defined-only /usr/lib/x86_64-linux-gnu/libdat2.so.2
# and is committed, so this test does not need OFA installed.
set -eu
lib=.libs/libdat2.so.2
expected=${srcdir:-.}/test/unit/dat_symbols.expected

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
echo "libdat2.so.2 exports the $(printf '%s\n' "$actual" | wc -l) expected symbols"
