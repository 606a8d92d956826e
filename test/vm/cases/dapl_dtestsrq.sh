# Debian's unmodified dtestsrq (/usr/bin/dtestsrq, dapl.md section 6.4)
# against our libdat2 and our provider: four connections whose receives
# all come from one shared receive queue per side (-S 1, the default),
# bursts of 4 messages, 3 bursts each.  OFA's own provider stalls here
# (soft-rdma-vm.md).  After each disconnect both sides wait for the
# DISCONNECTED event and then for DAT_ASYNC_ERROR_EP_BROKEN naming the EP
# on the async EVD: the layer's EP_LAST_WQE (doc/access_layer.md "Async
# events"), which rxe and siw never report themselves.
# -b 256 fixes the message size (without it dtestsrq takes it from the
# provider's DAT_IB_TRANSPORT_MTU attribute).
# transports: rxe siw
# timeout: 180
. "$SRCDIR/test/vm/lib.sh"
. "$SRCDIR/test/vm/dtest-lib.sh"

use_our_libdat2
write_dat_conf "$BUILDDIR/dapl/.libs/libdaplofa.so.2"
port=$CASE_PORT
args="-c 4 -B 4 -t 3 -b 256"
bg server srv dtestsrq -v -s -P "$DAT_IA" -p "$port" $args
wait_listen "$port" 120
cli dtestsrq -v -h "$SERVER_IP" -P "$DAT_IA" -p "$port" $args >"$CASE_TMP/client.log" 2>&1
crc=$?
cat "$CASE_TMP/client.log"
bg_wait server 120
src=$?
echo "--- server:"
bg_log server
[ $crc -eq 0 ] || fail "dtestsrq client exited $crc"
[ $src -eq 0 ] || fail "dtestsrq server exited $src"
for side in client server; do
	grep -q 'Test Complete' "$CASE_TMP/$side.log" ||
		fail "dtestsrq $side did not complete"
	# -v: one EP_BROKEN per connection, each naming its EP.
	n=$(grep -c 'Async event 0x8003 received' "$CASE_TMP/$side.log")
	[ "$n" -eq 4 ] || fail "dtestsrq $side saw $n EP_BROKEN events, not 4"
done
echo "dtestsrq over $TRANSPORT passed"
