# Wire interop: Debian's dtest with OUR provider (and our libdat2) on one
# side and the reference (Debian's libdat2 + OFA's libdaplofa.so.2) on the
# other, in both directions: connect and accept private data, the RMR
# exchange by send/receive and RDMA writes cross the two providers.
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
