#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause OR GPL-2.0-only
# What "make install" gives a site, checked in a staged install
# (make install DESTDIR=...):
#  - dat.conf is installed where none exists, never over an existing one,
#    and "make uninstall" keeps a file that was edited;
#  - a program built with nothing but "pkg-config --cflags --libs dat2"
#    (and "... libual") compiles against the installed headers, not the
#    ones of libdapl-dev in /usr/include/dat2 (checked with cc -H), links
#    and runs against the installed library.
# Needs the variables exported by AM_TESTS_ENVIRONMENT (MAKE, CC, CFLAGS,
# LDFLAGS, PKG_CONFIG, sysconfdir, libdir, includedir, abs_top_builddir).
# The consumers get the build's CFLAGS and LDFLAGS, so that in a
# sanitizer build they load the sanitizer runtime as the library needs.
set -eu
: "${abs_top_builddir:?}" "${abs_top_srcdir:?}" "${sysconfdir:?}" "${libdir:?}" "${includedir:?}"
MAKE=${MAKE:-make}
CC=${CC:-cc}
CFLAGS=${CFLAGS:-}
LDFLAGS=${LDFLAGS:-}
PKG_CONFIG=${PKG_CONFIG:-pkg-config}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
stage=$tmp/stage
conf=$stage$sysconfdir/dat.conf

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

# The outer make's jobserver is not ours to use.
submake() {
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL $MAKE -C "$abs_top_builddir" \
		DESTDIR="$stage" "$@" >"$tmp/make.log" 2>&1 ||
		{ cat "$tmp/make.log" >&2; fail "make $*"; }
}

# --- dat.conf: installed once, then left alone ---------------------------
submake install
[ -f "$conf" ] || fail "make install did not create $conf"
cmp -s "$conf" "$abs_top_srcdir/dat.conf" || fail "$conf is not the default"
echo 'site u2.0 nonthreadsafe default libsite.so dapl.2.0 "ib9 0" ""' >>"$conf"
cp "$conf" "$tmp/edited.conf"
submake install
cmp -s "$conf" "$tmp/edited.conf" || fail "make install replaced an existing $conf"
grep -q "dat.conf exists: left unchanged" "$tmp/make.log" ||
	fail "make install did not say that it left $conf alone"
echo "ok: make install keeps an existing dat.conf and says so"

# --- dat2.pc: a consumer built with pkg-config only ----------------------
export PKG_CONFIG_SYSROOT_DIR="$stage"
export PKG_CONFIG_LIBDIR="$stage$libdir/pkgconfig"
unset PKG_CONFIG_PATH
dat_flags=$($PKG_CONFIG --cflags --libs dat2) || fail "pkg-config dat2"
case " $dat_flags " in
*" -I$stage$includedir "*) ;;
*) fail "pkg-config dat2 gives \"$dat_flags\", not -I$stage$includedir" ;;
esac
cat >"$tmp/dat_consumer.c" <<'EOF'
#include <stdio.h>
#include <string.h>
#include <dat2/udat.h>

int main(void)
{
	DAT_COUNT n = -1;
	const char *major = "";

	/* OFA's dat_strerror() does not know DAT_EXTENSION_BASE; ours does. */
	dat_strerror(DAT_EXTENSION_BASE, &major, NULL);
	dat_registry_list_providers(0, &n, NULL);
	printf("%s %d\n", major, (int)n);
	return strcmp(major, "DAT_EXTENSION_BASE") != 0;
}
EOF
# shellcheck disable=SC2086 # the flags are words
$CC -H $CFLAGS $LDFLAGS $dat_flags -o "$tmp/dat_consumer" "$tmp/dat_consumer.c" $dat_flags \
	2>"$tmp/headers" || { cat "$tmp/headers" >&2; fail "building with pkg-config dat2"; }
grep -q "^\. $stage$includedir/dat2/udat\.h$" "$tmp/headers" ||
	{ cat "$tmp/headers" >&2; fail "dat2/udat.h did not come from $stage$includedir"; }
if grep '/usr/include/dat2/' "$tmp/headers" >&2; then
	fail "a header came from /usr/include/dat2 (libdapl-dev), not from the install"
fi
echo "ok: pkg-config dat2 builds against $stage$includedir/dat2 only" \
	"($(grep -c "$stage$includedir/dat2/" "$tmp/headers") headers)"
printf 'site u2.0 nonthreadsafe default libsite.so dapl.2.0 "ib9 0" ""\n' >"$tmp/one.conf"
out=$(DAT_OVERRIDE="$tmp/one.conf" LD_LIBRARY_PATH="$stage$libdir" "$tmp/dat_consumer") ||
	fail "the consumer did not run against $stage$libdir: $out"
[ "$out" = "DAT_EXTENSION_BASE 1" ] || fail "consumer printed \"$out\""
LD_LIBRARY_PATH="$stage$libdir" ldd "$tmp/dat_consumer" |
	grep -q "libdat2\.so\.2 => $stage$libdir/libdat2\.so\.2 " ||
	fail "the consumer does not resolve libdat2.so.2 to $stage$libdir"
echo "ok: it runs against the installed libdat2.so.2"

# --- libual.pc -----------------------------------------------------------
ual_flags=$($PKG_CONFIG --cflags --libs libual) || fail "pkg-config libual"
cat >"$tmp/ual_consumer.c" <<'EOF'
#include <stdio.h>
#include <string.h>
#include <ual/ual.h>

int main(void)
{
	char buf[64];

	printf("%s; %s\n", ual_transport_name(UAL_TRANSPORT_IWARP),
	       ual_strerror(NULL, buf, sizeof(buf)));
	return 0;
}
EOF
# shellcheck disable=SC2086
$CC -H $CFLAGS $LDFLAGS $ual_flags -o "$tmp/ual_consumer" "$tmp/ual_consumer.c" $ual_flags \
	2>"$tmp/headers" || { cat "$tmp/headers" >&2; fail "building with pkg-config libual"; }
grep -q "^\. $stage$includedir/ual/ual\.h$" "$tmp/headers" ||
	{ cat "$tmp/headers" >&2; fail "ual/ual.h did not come from $stage$includedir"; }
out=$(LD_LIBRARY_PATH="$stage$libdir" "$tmp/ual_consumer") ||
	fail "the libual consumer did not run: $out"
echo "ok: pkg-config libual builds and runs ($out)"

# --- uninstall: an edited dat.conf stays, the default goes ---------------
submake uninstall
cmp -s "$conf" "$tmp/edited.conf" || fail "make uninstall removed an edited $conf"
grep -q "differs from the installed default: kept" "$tmp/make.log" ||
	fail "make uninstall did not say it kept $conf"
rm -f "$conf"
submake install
submake uninstall
[ ! -e "$conf" ] || fail "make uninstall left the unchanged default $conf"
echo "ok: make uninstall keeps an edited dat.conf, removes the default"
