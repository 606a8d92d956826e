# Access layer: taking a device's network interface down must reach the
# consumer as a PORT_DOWN event (not a crash).  The case builds its own
# veth pair and RDMA device so that the other cases' links stay up.
# transports: rxe siw
# timeout: 300
. "$SRCDIR/test/vm/lib.sh"

T=$BUILDDIR/test/al/ual_test
case $TRANSPORT in
rxe) IF=pdr0 PEER=pdr1 DEV=pd_rxe NET=192.168.97 ;;
siw) IF=pds0 PEER=pds1 DEV=pd_siw NET=192.168.96 ;;
esac

private_rdma_device "$IF" "$PEER" "$DEV" "$NET"

bg watcher "$T" --server --test portdown --dev "$NET.1"
wait_line "$CASE_TMP/watcher.log" "ready to see port events" 60 || { bg_log watcher; fail "watcher did not start"; }
ip link set "$IF" down
wait_line "$CASE_TMP/watcher.log" "PORT_DOWN event" 60 || { bg_log watcher; fail "no PORT_DOWN event"; }
ip link set "$IF" up
bg_wait watcher 150 || { bg_log watcher; fail "watcher failed"; }
bg_log watcher
echo "al_portdown over $TRANSPORT passed"
