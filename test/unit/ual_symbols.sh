#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# libual.so.1 must export exactly the functions declared in ual.h, each at
# version UAL_1.0: the layer's internal ual_* helpers are not ABI.  The
# header is the list: a function added there but not to libual.map, or an
# internal one that leaks out, fails this test.
set -eu
lib=access_layer/.libs/libual.so.1
header=${srcdir:-.}/include/ual/ual.h

if [ ! -f "$lib" ]; then
	echo "$lib not found; run from the top build directory" >&2
	exit 1
fi
if ! command -v nm >/dev/null 2>&1; then
	echo "nm not found (Debian package binutils)" >&2
	exit 77
fi
# Prototypes: an identifier "ual_..." directly followed by "(" outside
# comments and typedefs (ual_event_handler is a type).
declared=$(sed -e 's|/\*.*\*/||g' -e '/^[[:space:]]*\*/d' -e '/^\/\*/d' "$header" |
	grep -v typedef | grep -o '\bual_[a-z0-9_]*(' | tr -d '(' | LC_ALL=C sort -u)
exported=$(nm -D --defined-only "$lib" | awk '$2 == "T" { print $3 }' |
	sed 's/@@UAL_1\.0$//' | LC_ALL=C sort -u)
unversioned=$(nm -D --defined-only "$lib" | awk '$2 == "T" && $3 !~ /@@UAL_1\.0$/ { print $3 }')
if [ -n "$unversioned" ]; then
	echo "exported without version UAL_1.0: $unversioned" >&2
	exit 1
fi
if [ "$declared" != "$exported" ]; then
	echo "libual.so.1 exports differ from the functions of ual.h" \
		"(-: declared only, +: exported only; fix access_layer/libual.map):" >&2
	tmp=$(mktemp -d)
	printf '%s\n' "$declared" >"$tmp/declared"
	printf '%s\n' "$exported" >"$tmp/exported"
	diff "$tmp/declared" "$tmp/exported" | grep '^[<>]' |
		sed -e 's/^</-/' -e 's/^>/+/' >&2 || true
	rm -rf "$tmp"
	exit 1
fi
echo "libual.so.1 exports exactly the $(printf '%s\n' "$declared" | wc -l) functions of ual.h"
