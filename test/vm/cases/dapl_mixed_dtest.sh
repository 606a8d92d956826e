# Wire interop: Debian's dtest with OUR provider (and our libdat2) on one
# side and the reference (Debian's libdat2 + OFA's libdaplofa.so.2) on the
# other, in both directions: connect and accept private data, the RMR
# exchange by send/receive, RDMA writes and reads cross the two
# providers.  Then dapltest's transaction test the same two ways.
# transports: rxe siw
# lock: dtest-ports-%T
# timeout: 300
. "$SRCDIR/test/vm/lib.sh"
. "$SRCDIR/test/vm/dtest-lib.sh"

use_our_libdat2
OURS_LD=$LD_LIBRARY_PATH
unset LD_LIBRARY_PATH
DAT_IA=ofa-v2-$TRANSPORT
printf '%s u2.0 nonthreadsafe default %s dapl.2.0 "%s 0" ""\n' "$DAT_IA" \
	"$BUILDDIR/dapl/.libs/libdaplofa.so.2" "$NETDEV" >"$CASE_TMP/ours.conf"
printf '%s u2.0 nonthreadsafe default %s dapl.2.0 "%s 0" ""\n' "$DAT_IA" \
	libdaplofa.so.2 "$NETDEV" >"$CASE_TMP/ofa.conf"

# The environment of one side: ours or ofa.
side_env()
{
	case $1 in
	ours) echo "LD_LIBRARY_PATH=$OURS_LD DAT_OVERRIDE=$CASE_TMP/ours.conf" ;;
	ofa) echo "DAT_OVERRIDE=$CASE_TMP/ofa.conf" ;;
	esac
}

# mixed_pair SERVER_SIDE CLIENT_SIDE
mixed_pair()
{
	local args="-b 4096 -B 20"
	echo "=== dtest server: $1, client: $2"
	bg server srv env $(side_env "$1") dtest -s -P "$DAT_IA" $args
	wait_tcp_listen 15828 120
	cli env $(side_env "$2") dtest -h "$SERVER_IP" -P "$DAT_IA" $args \
		>"$CASE_TMP/client.log" 2>&1
	local crc=$?
	cat "$CASE_TMP/client.log"
	bg_wait server 120
	local src=$?
	echo "--- server:"
	bg_log server
	[ $crc -eq 0 ] || fail "dtest client ($2) exited $crc"
	[ $src -eq 0 ] || fail "dtest server ($1) exited $src"
	grep -q 'PASSED' "$CASE_TMP/client.log" || fail "dtest client ($2) did not report PASSED"
	grep -q 'PASSED' "$CASE_TMP/server.log" || fail "dtest server ($1) did not report PASSED"
}

mixed_pair ours ofa
mixed_pair ofa ours

# mixed_dapltest SERVER_SIDE CLIENT_SIDE: two threads of two EPs with
# sends, RDMA reads and the 30-byte connect private data dapltest checks.
mixed_dapltest()
{
	local port=$((CASE_PORT + 1))
	echo "=== dapltest server: $1, client: $2"
	bg dtserver srv env $(side_env "$1") dapltest -T S -D "$DAT_IA" -n "$port"
	wait_listen "$port" 120
	cli env $(side_env "$2") dapltest -T T -s "$SERVER_IP" -D "$DAT_IA" -n "$port" \
		-i 50 -t 2 -w 2 client SR 256 server RR 4096 server SR 256 \
		>"$CASE_TMP/client.log" 2>&1
	local crc=$?
	cat "$CASE_TMP/client.log"
	cli env $(side_env "$2") dapltest -T Q -s "$SERVER_IP" -D "$DAT_IA" -n "$port" \
		>"$CASE_TMP/quit.log" 2>&1 ||
		{ cat "$CASE_TMP/quit.log"; fail "dapltest -T Q ($2) failed"; }
	bg_wait dtserver 60 || { bg_log dtserver; fail "dapltest server ($1) failed"; }
	[ $crc -eq 0 ] || fail "dapltest -T T ($2) exited $crc"
	grep -q 'End of Work' "$CASE_TMP/client.log" ||
		fail "dapltest client ($2) did not reach 'End of Work'"
}

mixed_dapltest ours ofa
mixed_dapltest ofa ours
