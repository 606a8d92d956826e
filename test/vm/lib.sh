# Helpers for guest test cases (sourced by test/vm/cases/*.sh inside the
# guest).  The runner exports TRANSPORT, BUILDDIR, SRCDIR, CASE_TMP and
# CASE_PORT; the guest exports the device/address variables (guest-net.sh).
#
#   srv CMD...            run CMD on the server "host" of $TRANSPORT
#   cli CMD...            run CMD on the client "host"
#   bg NAME CMD...        start CMD in the background, output in $CASE_TMP/NAME.log
#   bg_wait NAME [SECS]   wait for it to exit; returns its status (124: timeout)
#   wait_listen PORT [SECS]      an rdma_cm listener on PORT exists (server side)
#   wait_tcp_listen PORT [SECS]  a TCP listener on PORT exists (server side)
#   wait_line FILE REGEX [SECS]  FILE has a line matching REGEX
#   private_rdma_device IF PEER DEV NET   a veth pair IF/PEER ($NET.1 on IF)
#                         and an rdma device DEV of $TRANSPORT on it, ACTIVE;
#                         removed again at the end of the case
#   fail MSG / skip MSG   end the case
# Only processes started with bg are stopped at the end, by PID.

set -u

fail()
{
	echo "FAIL: $*" >&2
	exit 1
}

skip()
{
	echo "SKIP: $*" >&2
	exit 77
}

case ${TRANSPORT:-rxe} in
rxe)
	SRV_NS= CLI_NS=
	SERVER_IP=$RXE_IP SERVER_IP6=$RXE_IP6 CLIENT_IP=$RXE_IP
	SERVER_DEV=$RXE_DEV CLIENT_DEV=$RXE_DEV NETDEV=$RXE_NETDEV
	;;
siw)
	SRV_NS=A CLI_NS=B
	SERVER_IP=$SIW_A_IP SERVER_IP6=$SIW_A_IP6 CLIENT_IP=$SIW_B_IP
	SERVER_DEV=$SIW_A_DEV CLIENT_DEV=$SIW_B_DEV NETDEV=$SIW_NETDEV
	;;
*)
	fail "unknown TRANSPORT=$TRANSPORT"
	;;
esac

in_ns()
{
	local ns=$1
	shift
	if [ -n "$ns" ]; then
		ip netns exec "$ns" "$@"
	else
		"$@"
	fi
}

srv() { in_ns "$SRV_NS" "$@"; }
cli() { in_ns "$CLI_NS" "$@"; }

declare -A BG_PID=()

bg()
{
	local name=$1
	shift
	"$@" >"$CASE_TMP/$name.log" 2>&1 &
	BG_PID[$name]=$!
}

bg_wait()
{
	local name=$1 secs=${2:-120} pid=${BG_PID[$1]} rc
	local deadline=$((SECONDS + secs))

	while kill -0 "$pid" 2>/dev/null; do
		if [ $SECONDS -ge $deadline ]; then
			echo "$name: still running after ${secs}s, killing it" >&2
			kill -KILL "$pid" 2>/dev/null
			wait "$pid" 2>/dev/null
			unset "BG_PID[$name]"
			return 124
		fi
		sleep 0.2
	done
	wait "$pid"
	rc=$?
	unset "BG_PID[$name]"
	return $rc
}

bg_log() { cat "$CASE_TMP/$1.log"; }

bg_cleanup()
{
	local name pid
	for name in "${!BG_PID[@]}"; do
		pid=${BG_PID[$name]}
		kill -TERM "$pid" 2>/dev/null
	done
	for name in "${!BG_PID[@]}"; do
		pid=${BG_PID[$name]}
		for _ in 1 2 3 4 5 6 7 8 9 10; do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.2
		done
		kill -KILL "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	BG_PID=()
}
trap bg_cleanup EXIT
trap 'exit 143' TERM INT

# Poll CHECK (a command) every 0.2 s for at most SECS seconds.
poll_until()
{
	local secs=$1
	shift
	local deadline=$((SECONDS + secs))
	until "$@"; do
		[ $SECONDS -lt $deadline ] || return 1
		sleep 0.2
	done
}

cm_listening()
{
	srv rdma resource show cm_id 2>/dev/null |
		grep -E "state LISTEN .*src-addr [^ ]*:$1( |$)" >/dev/null
}

tcp_listening()
{
	srv ss -Hltn "sport = :$1" 2>/dev/null | grep -q .
}

line_present()
{
	grep -Eq "$2" "$1" 2>/dev/null
}

wait_listen()
{
	poll_until "${2:-60}" cm_listening "$1" || fail "no rdma_cm listener on port $1 after ${2:-60}s"
}

wait_tcp_listen()
{
	poll_until "${2:-60}" tcp_listening "$1" || fail "no TCP listener on port $1 after ${2:-60}s"
}

wait_line()
{
	poll_until "${3:-60}" line_present "$1" "$2" || fail "no line matching '$2' in $1 after ${3:-60}s"
}

# A dat.conf naming this transport's netdev, for the dtest family.
# The provider name is the same on both sides (see guest-net.sh).
write_dat_conf()
{
	local lib=${1:-libdaplofa.so.2}
	DAT_IA=ofa-v2-$TRANSPORT
	export DAT_OVERRIDE=$CASE_TMP/dat.conf
	printf '%s u2.0 nonthreadsafe default %s dapl.2.0 "%s 0" ""\n' \
		"$DAT_IA" "$lib" "$NETDEV" >"$DAT_OVERRIDE"
}

# A device of the case's own, for cases that take links down or delete
# devices: the shared rxe0/siwA/siwB of the other cases stay untouched.
private_rdma_device()
{
	PRIV_IF=$1 PRIV_PEER=$2 PRIV_DEV=$3
	local net=$4

	trap private_rdma_device_teardown EXIT
	ip link add "$PRIV_IF" type veth peer name "$PRIV_PEER" || skip "cannot create a veth pair"
	ip addr add "$net.1/24" dev "$PRIV_IF"
	ip link set "$PRIV_IF" up
	ip link set "$PRIV_PEER" up
	rdma link add "$PRIV_DEV" type "$TRANSPORT" netdev "$PRIV_IF" ||
		fail "rdma link add $PRIV_DEV failed"
	poll_until 60 private_port_active || fail "$PRIV_DEV never became ACTIVE"
}

private_port_active()
{
	rdma link show "$PRIV_DEV/1" 2>/dev/null | grep -q "state ACTIVE"
}

private_device_present()
{
	rdma dev show "$PRIV_DEV" >/dev/null 2>&1
}

private_rdma_device_teardown()
{
	bg_cleanup
	# Bounded: the kernel holds a delete while user space uses the device.
	private_device_present && timeout 30 rdma link delete "$PRIV_DEV" 2>/dev/null
	ip link delete "$PRIV_IF" 2>/dev/null
}
