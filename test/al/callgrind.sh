#!/bin/bash
# Counts the instructions the access layer itself executes per post and
# per poll: runs ual_bench send_lat over rxe with the client under
# callgrind, twice, with N1 and N2 iterations, and prints for each data
# path function the difference of its own (exclusive) instruction count
# between the two runs divided by the difference of its call count.
# Setup, connection and teardown cancel out in the difference.  Not a test.
# BUILDDIR needs only test/al/.libs/ual_bench and access_layer/.libs (a
# copy of a build runs too); the sources are read from where the debug
# information says they are.
#   test/vm/run --timeout 900 -- "$SRCDIR/test/al/callgrind.sh" BUILDDIR [N1 N2]
#
# The client gets --rx-depth 16, so that it re-posts one receive per
# iteration (with perftest's 512 it would re-post none in a short run);
# --inline 0 as perftest chooses on rxe.  ual_cq_poll is also split into
# its cost per completion (the source lines of convert(), which the
# compiler inlines) and the rest, because how many polls come back empty
# depends on timing.
set -u
builddir=${1:?usage: callgrind.sh BUILDDIR [N1 N2]}
n1=${2:-200}
n2=${3:-600}
ulimit -l unlimited
if [ -d /tmp/vmio ] && [ -w /tmp/vmio ]; then out=/tmp/vmio/callgrind; else out=${TMPDIR:-/tmp}/callgrind.$$; fi
mkdir -p "$out"
port=19500

run()	# ITERS
{
	local pid
	port=$((port + 1))
	LD_LIBRARY_PATH=$builddir/access_layer/.libs \
	taskset -c 0 "$builddir/test/al/.libs/ual_bench" --server --test send_lat --dev "$RXE_IP" --addr "$RXE_IP" \
		--port "$port" -n "$1" --rx-depth 16 --inline 0 >"$out/srv.$1" 2>&1 &
	pid=$!
	sleep 3
	LD_LIBRARY_PATH=$builddir/access_layer/.libs \
	taskset -c 1 valgrind --tool=callgrind --callgrind-out-file="$out/cg.$1" \
		"$builddir/test/al/.libs/ual_bench" --client --test send_lat --dev "$RXE_IP" \
		--addr "$RXE_IP" --port "$port" -n "$1" --rx-depth 16 --inline 0 \
		>"$out/cli.$1" 2>&1 || echo "client failed: $(tail -5 "$out/cli.$1")" >&2
	wait "$pid"
}

# Self instructions and calls of FN in callgrind file FILE: "ir calls".
self_and_calls()	# FILE FN
{
	local ir calls
	ir=$(callgrind_annotate --inclusive=no --threshold=100 "$1" 2>/dev/null |
		awk -v fn="$2" '$0 ~ (":" fn " ") || $0 ~ (":" fn "$") { gsub(/,/, "", $1); print $1; exit }')
	calls=$(callgrind_annotate --tree=caller --inclusive=no --threshold=100 "$1" 2>/dev/null |
		awk -v fn="$2" '
			/^[ 0-9,]+ <  / && match($0, /\(([0-9]+)x\)/, m) { pend += m[1]; next }
			/^[ 0-9,]+ \* / { if ($0 ~ (":" fn " ") || $0 ~ (":" fn "$")) { print pend; exit } pend = 0; next }
			{ pend = 0 }')
	echo "${ir:-0} ${calls:-0}"
}

# Instructions on the source lines of convert() in cq.c.
convert_ir()	# FILE
{
	callgrind_annotate --auto=yes --show-percs=no --context=0 "$1" 2>/dev/null |
		awk '/static void convert\(/ { on = 1 } on { gsub(/,/, "", $1); if ($1 ~ /^[0-9]+$/) s += $1 }
		     on && /^ *[.0-9,]* *}$/ { on = 0 } END { print s + 0 }'
}

run "$n1"
run "$n2"
printf "%-14s %12s %12s %12s %10s\n" function "Ir($n1)" "Ir($n2)" "calls diff" "Ir/call"
for fn in ual_post_send ual_post_recv ual_cq_poll; do
	read -r a ca <<<"$(self_and_calls "$out/cg.$n1" "$fn")"
	read -r b cb <<<"$(self_and_calls "$out/cg.$n2" "$fn")"
	awk -v f="$fn" -v a="$a" -v b="$b" -v ca="$ca" -v cb="$cb" 'BEGIN {
		d = cb - ca; printf "%-14s %12d %12d %12d %10.1f\n", f, a, b, d, d ? (b - a) / d : 0 }'
done
c1=$(convert_ir "$out/cg.$n1")
c2=$(convert_ir "$out/cg.$n2")
# send_lat: every iteration completes one send and one receive.
awk -v a="$c1" -v b="$c2" -v n="$((2 * (n2 - n1)))" 'BEGIN {
	printf "convert() per completion: %.1f Ir (%d completions more)\n", (b - a) / n, n }'
echo "raw outputs: $out"
