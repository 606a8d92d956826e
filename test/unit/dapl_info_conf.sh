#!/bin/sh
# dapl-info on the host (no RDMA needed): the dat.conf report opens each
# entry through libdat2 with the test providers and says why an entry does
# not open; the environment report names the misspelt variable's intended
# name; --generate leaves existing files alone and writes nothing when
# there is nothing to describe.
set -u
tool=$abs_top_builddir/tools/dapl-info
libs=$abs_top_builddir/test/providers/.libs
fake=$libs/libdatprov_fake.so
noentry=$libs/libdatprov_noentry.so
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
failed=0

check()
{
	if grep -qF -- "$2" "$dir/out"; then
		echo "ok: $1"
	else
		echo "FAIL: $1: no line with: $2"
		failed=1
	fi
}

cat >"$dir/dat.conf" <<CONF
# line 1: comment
ofa-v2-ok u2.0 nonthreadsafe default $fake dapl.2.0 "ok 0" ""
ofa-v2-nolib u2.0 nonthreadsafe default libdoesnotexist.so.9 dapl.2.0 "ok 0" ""
ofa-v2-noreg u2.0 nonthreadsafe default $fake dapl.2.0 "noreg 0" ""
ofa-v2-far u2.0 nonthreadsafe default $noentry dapl.2.0 "203.0.113.9 0" ""
ofa-v2-bad u2.0 maybe default $fake dapl.2.0 "ok 0" ""
ofa-v2-kernel k2.0 nonthreadsafe default $fake dapl.2.0 "ok 0" ""
ofa-v2-nondef u2.0 nonthreadsafe nondefault $fake dapl.2.0 "ok 0" ""
ofa-v2-ok u2.0 nonthreadsafe default $fake dapl.2.0 "ok 0" ""
ofa-v2-ts u2.0 threadsafe default $fake dapl.2.0 "ok 0" ""
CONF

DAT_OVERRIDE=$dir/dat.conf DAT_OVERIDE=typo "$tool" --conf --env >"$dir/out" 2>&1
cat "$dir/out"
check "file and reason" "dat.conf: $dir/dat.conf"
check "reason" "chosen because DAT_OVERRIDE is set."
check "entry opens" "line 2: ofa-v2-ok"
grep -A1 "line 2: ofa-v2-ok" "$dir/out" | grep -q "^    opens" ||
	{ echo "FAIL: line 2 does not open"; failed=1; }
check "library reason" "library: libdoesnotexist.so.9: cannot open shared object file"
check "status names" "does not open: dat_ia_open: DAT_PROVIDER_NOT_FOUND DAT_NAME_NOT_REGISTERED"
check "device reason" "device: noreg is no interface, address, RDMA device or host name of this host"
check "address reason" "address: 203.0.113.9 is not an address of this host"
check "rejected line" "line 6: rejected by the registry:"
check "kernel entry" "not registered: a kernel (k) entry"
check "nondefault entry" "not registered: marked nondefault"
check "fallback" "fallback for line 2"
grep -A1 "line 10: ofa-v2-ts" "$dir/out" | grep -q "^    opens" ||
	{ echo "FAIL: the threadsafe entry does not open"; failed=1; }
check "summary" "8 entries, 3 open, 1 rejected line"
check "misspelling" "warning: DAT_OVERIDE is not read by anything; did you mean DAT_OVERRIDE?"

DAT_OVERRIDE=$dir/missing.conf "$tool" --conf >"$dir/out" 2>&1
check "no fallback from DAT_OVERRIDE" "the registry does not fall back to another file"

# --generate: an existing file is left alone.
echo keep >"$dir/existing.conf"
if "$tool" --generate "$dir/existing.conf" 2>"$dir/out"; then
	echo "FAIL: --generate replaced an existing file"
	failed=1
fi
check "existing file message" "exists; it is left alone"
[ "$(cat "$dir/existing.conf")" = keep ] || { echo "FAIL: existing file changed"; failed=1; }

# Without RDMA devices (the host) there is nothing to generate: no file.
if [ ! -e /dev/infiniband/rdma_cm ]; then
	if "$tool" --generate "$dir/new.conf" 2>"$dir/out"; then
		echo "FAIL: --generate succeeded without RDMA devices"
		failed=1
	fi
	[ ! -e "$dir/new.conf" ] || { echo "FAIL: --generate left a file behind"; failed=1; }
fi

"$tool" --bogus >/dev/null 2>&1
[ $? -eq 2 ] || { echo "FAIL: a bad option does not exit 2"; failed=1; }
exit $failed
