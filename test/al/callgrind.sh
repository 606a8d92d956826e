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
# its cost per completion (the source lines of the conversion, which the
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

run "$n1"
run "$n2"
# Own instructions per call of each data path function and of the layer's
# helpers it calls, split by source file (ual_internal.h inside
# ual_cq_poll is the completion conversion, verbs.h the inline verbs
# wrappers).  send_lat completes one send and one receive per iteration.
python3 "$(dirname "$0")/callgrind_sum.py" "$out/cg.$n1" "$out/cg.$n2" \
	ual_post_send ual_post_recv ual_cq_poll send_flags post ${CG_EXTRA:-}
echo "completions: $((2 * n1)) and $((2 * n2)) (one send + one receive per iteration)"
echo "raw outputs: $out"
