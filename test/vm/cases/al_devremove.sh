# Access layer: the RDMA device under a connected pair is deleted
# ("rdma link delete").  Both processes must see the removal as events
# within a bounded time, get errors instead of crashes from the data path,
# free everything and exit 0; the delete, which the kernel blocks until
# user space has let go of the device, must then complete.  The case
# builds its own veth pair and device so that the other cases keep theirs.
# transports: rxe siw
# timeout: 300
. "$SRCDIR/test/vm/lib.sh"

T=$BUILDDIR/test/al/ual_test
PORT=$CASE_PORT
case $TRANSPORT in
rxe) IF=drr0 PEER=drr1 DEV=dr_rxe NET=192.168.95 ;;
siw) IF=drs0 PEER=drs1 DEV=dr_siw NET=192.168.94 ;;
esac

private_rdma_device "$IF" "$PEER" "$DEV" "$NET"

bg server "$T" --server --test devremove --dev "$DEV" --addr "$NET.1" --port "$PORT"
wait_line "$CASE_TMP/server.log" "ready port" 60 || { bg_log server; fail "server did not start"; }
bg client "$T" --client --test devremove --dev "$DEV" --addr "$NET.1" --port "$PORT"
wait_line "$CASE_TMP/client.log" "ready for removal" 120 ||
	{ bg_log client; bg_log server; fail "client did not connect"; }
wait_line "$CASE_TMP/server.log" "ready for removal" 60 ||
	{ bg_log server; fail "server did not connect"; }

# A delete that never returns is the bug this case is about: bound it.
start=$(date +%s%N)
bg delete timeout 120 rdma link delete "$DEV"
bg_wait server 150; src=$?
bg_wait client 150; crc=$?
bg_wait delete 150; drc=$?
ms=$((($(date +%s%N) - start) / 1000000))
echo "--- server"; bg_log server
echo "--- client"; bg_log client
echo "--- rdma link delete $DEV: exit $drc after ${ms} ms"; bg_log delete
[ $drc -ne 124 ] || fail "rdma link delete $DEV hung (killed after 120 s)"
[ $drc -eq 0 ] || fail "rdma link delete $DEV failed ($drc)"
! private_device_present || fail "$DEV still exists after the delete"
[ $src -eq 0 ] || fail "server failed ($src)"
[ $crc -eq 0 ] || fail "client failed ($crc)"
grep -q "PASS devremove" "$CASE_TMP/server.log" || fail "server did not pass"
grep -q "PASS devremove" "$CASE_TMP/client.log" || fail "client did not pass"
echo "al_devremove over $TRANSPORT passed"
