#!/bin/bash
# Runs perftest (raw verbs, rdma_cm) and ual_bench (through the access
# layer) back to back in one guest over one transport and prints the
# ratios.  Not a test: it never fails on numbers.
#   test/vm/run -- "$SRCDIR/test/al/bench.sh" BUILDDIR [rxe|siw]
set -u
builddir=${1:?usage: bench.sh BUILDDIR [rxe|siw]}
transport=${2:-rxe}
bench=$builddir/test/al/ual_bench
ulimit -l unlimited

case $transport in
rxe) S_NS= C_NS= SIP=$RXE_IP CIP=$RXE_IP SDEV=$RXE_DEV CDEV=$RXE_DEV ;;
siw) S_NS=A C_NS=B SIP=$SIW_A_IP CIP=$SIW_B_IP SDEV=$SIW_A_DEV CDEV=$SIW_B_DEV ;;
*) echo "unknown transport $transport" >&2; exit 2 ;;
esac

ns() { local n=$1; shift; if [ -n "$n" ]; then ip netns exec "$n" "$@"; else "$@"; fi; }

listening()	# PORT: an rdma_cm listener exists
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
	local out=$1 srv=() pid
	shift
	while [ "$1" != -- ]; do srv+=("$1"); shift; done
	shift
	ns "$S_NS" "${srv[@]}" >"$out.srv" 2>&1 &
	pid=$!
	wait_listening "$port" || { echo "server did not listen" >&2; kill "$pid"; return 1; }
	ns "$C_NS" "$@" >"$out" 2>&1
	wait "$pid"
}

perftest_lat()	# TOOL: prints t_typical
{
	port=$((port + 1))
	run_pair /tmp/pt.$1 "$1" -R -d "$SDEV" -n 1000 -s 2 -p "$port" -- \
		"$1" -R -d "$CDEV" -n 1000 -s 2 -p "$port" "$SIP" || return
	awk '$1 == 2 && NF >= 6 { print $5; exit }' /tmp/pt.$1
}

perftest_bw()
{
	port=$((port + 1))
	run_pair /tmp/pt.bw ib_write_bw -R -d "$SDEV" -n 5000 -s 65536 -p "$port" -- \
		ib_write_bw -R -d "$CDEV" -n 5000 -s 65536 -p "$port" "$SIP" || return
	awk '$1 == 65536 && NF >= 5 { print $4; exit }' /tmp/pt.bw
}

ual()	# TEST KEY
{
	port=$((port + 1))
	run_pair /tmp/ual.$1 "$bench" --server --test "$1" --dev "$SIP" --addr "$SIP" --port "$port" -- \
		"$bench" --client --test "$1" --dev "$CIP" --addr "$SIP" --port "$port" || return
	sed -n "s/^RESULT .*$2=\([0-9.]*\).*/\1/p" /tmp/ual.$1
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.3f", a / b; else print "n/a" }'; }

echo "benchmark over $transport ($SDEV -> $CDEV), perftest sizes and iteration counts"
pl=$(perftest_lat ib_send_lat); ul=$(ual send_lat t_typical_us)
printf "send/recv latency  2 B x 1000   ib_send_lat -R %8s us   ual_bench %8s us   ratio %s (target <= 1.05)\n" \
	"$pl" "$ul" "$(ratio "$ul" "$pl")"
pw=$(perftest_lat ib_write_lat); uw=$(ual write_lat t_typical_us)
printf "RDMA write latency 2 B x 1000   ib_write_lat -R %7s us   ual_bench %8s us   ratio %s (target <= 1.05)\n" \
	"$pw" "$uw" "$(ratio "$uw" "$pw")"
pb=$(perftest_bw); ub=$(ual write_bw bw_MiBps)
printf "RDMA write BW  64 KiB x 5000    ib_write_bw -R %7s MB/s ual_bench %8s MiB/s ratio %s (target >= 0.98)\n" \
	"$pb" "$ub" "$(ratio "$ub" "$pb")"
