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

port_active()
{
	rdma link show "$DEV/1" 2>/dev/null | grep -q "state ACTIVE"
}

teardown()
{
	bg_cleanup
	rdma link delete "$DEV" 2>/dev/null
	ip link delete "$IF" 2>/dev/null
}
trap teardown EXIT

ip link add "$IF" type veth peer name "$PEER" || skip "cannot create a veth pair"
ip addr add "$NET.1/24" dev "$IF"
ip link set "$IF" up
ip link set "$PEER" up
rdma link add "$DEV" type "$TRANSPORT" netdev "$IF" || fail "rdma link add $DEV failed"
poll_until 60 port_active || fail "$DEV never became ACTIVE"

bg watcher "$T" --server --test portdown --dev "$NET.1"
wait_line "$CASE_TMP/watcher.log" "ready to see port events" 60 || { bg_log watcher; fail "watcher did not start"; }
ip link set "$IF" down
wait_line "$CASE_TMP/watcher.log" "PORT_DOWN event" 60 || { bg_log watcher; fail "no PORT_DOWN event"; }
ip link set "$IF" up
bg_wait watcher 150 || { bg_log watcher; fail "watcher failed"; }
bg_log watcher
echo "al_portdown over $TRANSPORT passed"
