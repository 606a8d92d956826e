#!/bin/bash
# Runs perftest (raw verbs over rdma_cm, -R) and ual_bench (the same
# measurement through the access layer) back to back, in one guest run,
# over each transport given (default: rxe and siw), and prints one table
# with the ratios.  Not a test: it never fails on numbers.
#   test/vm/run --timeout 1200 -- "$SRCDIR/test/al/bench.sh" BUILDDIR [rxe] [siw]
#
# Methods (perftest 4.5, its defaults, as seen through its verbs calls):
#   ib_send_lat -R    2 B, 1000 iterations, send/recv ping-pong, every
#                     send signaled, separate send and receive CQs, 512
#                     receives posted up front and re-posted one at a
#                     time only while more are still to come
#   ib_write_lat -R   2 B, 1000 iterations, RDMA write ping-pong, every
#                     write signaled, each side polling the last byte of
#                     its buffer
#   ib_write_bw -R    64 KiB, 5000 iterations, TX depth 128, CQ
#                     moderation as perftest prints it (1 with -R), up to
#                     16 completions per poll; MB/s with MB = 2^20
# perftest chooses its inline size per device (0 on rxe and siw) and
# prints it with the TX/RX depths and the CQ moderation; ual_bench gets
# the same values (knobs below).
# Latency columns are perftest's t_min and t_typical (median) in us.
# Both tools run with the server pinned to CPU 0 and the client to CPU 1
# of the guest: two busy-polling processes that share a vCPU wait for the
# scheduler tick (4 ms) on every exchange, which would measure the
# scheduler, not the stack.
set -u
builddir=${1:?usage: bench.sh BUILDDIR [rxe] [siw]}
shift
[ $# -gt 0 ] || set -- rxe siw
bench=$builddir/test/al/ual_bench
ulimit -l unlimited
# Raw outputs go to the job directory when there is one (test/vm/run --results).
if [ -d /tmp/vmio ] && [ -w /tmp/vmio ]; then out=/tmp/vmio/bench; else out=${TMPDIR:-/tmp}/bench.$$; fi
mkdir -p "$out"

ns() { local n=$1; shift; if [ -n "$n" ]; then ip netns exec "$n" "$@"; else "$@"; fi; }

listening()	# PORT: an rdma_cm listener exists on the server side
{
	ns "$S_NS" rdma resource show cm_id 2>/dev/null | grep -Eq "state LISTEN .*:$1( |$)"
}

wait_listening()
{
	local i
	for i in $(seq 1 300); do listening "$1" && return 0; sleep 0.1; done
	return 1
}

port=19000
run_pair()	# OUTFILE SERVER_CMD... -- CLIENT_CMD...
{
	local file=$1 srv=() pid
	shift
	while [ "$1" != -- ]; do srv+=("$1"); shift; done
	shift
	ns "$S_NS" taskset -c 0 "${srv[@]}" >"$file.srv" 2>&1 &
	pid=$!
	if ! wait_listening "$port"; then
		echo "server did not listen: $(cat "$file.srv")" >&2
		kill "$pid"
		wait "$pid"
		return 1
	fi
	# A stalled pair costs at most this bound, not the whole guest run.
	if ! ns "$C_NS" taskset -c 1 timeout 300 "$@" >"$file" 2>&1; then
		echo "client failed or stalled (300 s): $(cat "$file")" >&2
		kill "$pid" 2>/dev/null
	fi
	wait "$pid"
}

# perftest's header names the queue policy it chose for the device
# ("TX depth", "RX depth" (server), "CQ Moderation", "Max inline data"):
# ual_bench is given the same, so both tools run the same loop.
knobs()	# PERFTEST_OUTPUT -> ual_bench options
{
	awk -F: '
		/TX depth/ { gsub(/[^0-9]/, "", $2); printf " --tx-depth %s", $2 }
		/RX depth/ { gsub(/[^0-9]/, "", $2); printf " --rx-depth %s", $2 }
		/CQ Moderation/ { gsub(/[^0-9]/, "", $2); printf " --cq-mod %s", $2 }
		/Max inline data/ { gsub(/\[B\]|[^0-9]/, "", $2); printf " --inline %s", $2 }
	' "$@"
}

# perftest's latency line: #bytes #iterations t_min t_max t_typical ...
perftest_lat()	# TOOL RUN -> "t_min t_typical"
{
	port=$((port + 1))
	run_pair "$out/$T.$1.$2" "$1" -R -F -d "$SDEV" -n 1000 -s 2 -p "$port" -- \
		"$1" -R -F -d "$CDEV" -n 1000 -s 2 -p "$port" "$SIP" || return
	awk '$1 == 2 && NF >= 6 { print $3, $5; exit }' "$out/$T.$1.$2"
}

# perftest's bandwidth line: #bytes #iterations BW_peak BW_average MsgRate
perftest_bw()	# RUN
{
	port=$((port + 1))
	run_pair "$out/$T.ib_write_bw.$1" ib_write_bw -R -F -d "$SDEV" -n 5000 -s 65536 -t 128 -p "$port" -- \
		ib_write_bw -R -F -d "$CDEV" -n 5000 -s 65536 -t 128 -p "$port" "$SIP" || return
	awk '$1 == 65536 && NF >= 5 { print $4; exit }' "$out/$T.ib_write_bw.$1"
}

ual()	# TEST RUN PERFTEST_OUTPUT KEY...
{
	local test=$1 run=$2 opts key v line=
	opts=$(knobs "$3" "$3.srv")
	shift 3
	port=$((port + 1))
	# shellcheck disable=SC2086 # $opts is a list of options
	run_pair "$out/$T.ual.$test.$run" "$bench" --server --test "$test" --dev "$SIP" --addr "$SIP" --port "$port" $opts -- \
		"$bench" --client --test "$test" --dev "$CIP" --addr "$SIP" --port "$port" $opts || return
	for key; do
		v=$(sed -n "s/^RESULT .*$key=\([0-9.]*\).*/\1/p" "$out/$T.ual.$test.$run")
		line="$line ${v:-n/a}"
	done
	echo $line
}

mean() { awk -v a="$1" -v b="$2" 'BEGIN { if (a + 0 > 0 && b + 0 > 0) printf "%.2f", (a + b) / 2; else print "n/a" }'; }

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a + 0 > 0 && b + 0 > 0) printf "%.3f", a / b; else print "n/a" }'; }

row()	# LABEL UNIT PERFTEST UAL TARGET
{
	printf "%-4s %-28s %10s %10s %8s   %s\n" "$T" "$1 [$2]" "${3:-n/a}" "${4:-n/a}" "$(ratio "${4:-0}" "${3:-0}")" "$5"
}

# Each measurement runs perftest, ual_bench, ual_bench, perftest and
# reports each tool's mean: a drift of the (shared, emulated) machine
# during the four runs then weighs on both tools alike.
lat()	# TOOL TEST LABEL
{
	local p1 p2 u1 u2 a b c d
	read -r p1 a <<<"$(perftest_lat "$1" 1)"
	read -r u1 b <<<"$(ual "$2" 1 "$out/$T.$1.1" t_min_us t_typical_us)"
	read -r u2 c <<<"$(ual "$2" 2 "$out/$T.$1.1" t_min_us t_typical_us)"
	read -r p2 d <<<"$(perftest_lat "$1" 2)"
	row "$3 2 B t_min" us "$(mean "${p1:-}" "${p2:-}")" "$(mean "${u1:-}" "${u2:-}")" "<= 1.05"
	row "$3 2 B t_typical" us "$(mean "${a:-}" "${d:-}")" "$(mean "${b:-}" "${c:-}")" "<= 1.05"
}

printf "%-4s %-28s %10s %10s %8s   %s\n" "" "measurement" "perftest" "ual_bench" "ratio" "target"
for T; do
	case $T in
	rxe) S_NS= C_NS= SIP=$RXE_IP CIP=$RXE_IP SDEV=$RXE_DEV CDEV=$RXE_DEV ;;
	siw) S_NS=A C_NS=B SIP=$SIW_A_IP CIP=$SIW_B_IP SDEV=$SIW_A_DEV CDEV=$SIW_B_DEV ;;
	*) echo "unknown transport $T" >&2; exit 2 ;;
	esac
	lat ib_send_lat send_lat "send lat"
	lat ib_write_lat write_lat "write lat"
	p1=$(perftest_bw 1)
	u1=$(ual write_bw 1 "$out/$T.ib_write_bw.1" bw_MBps)
	u2=$(ual write_bw 2 "$out/$T.ib_write_bw.1" bw_MBps)
	p2=$(perftest_bw 2)
	row "write BW 64 KiB average" "MB/s" "$(mean "$p1" "$p2")" "$(mean "$u1" "$u2")" ">= 0.98"
done
echo "raw outputs: $out"
