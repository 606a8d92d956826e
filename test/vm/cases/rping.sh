# rping between the two hosts of each transport: proves the device, the
# network and rdma_cm work in the guest before anything of ours runs.
# transports: rxe siw
. "$SRCDIR/test/vm/lib.sh"

bg server srv rping -s -a "$SERVER_IP" -p "$CASE_PORT" -C 10 -v
wait_listen "$CASE_PORT"
cli rping -c -a "$SERVER_IP" -p "$CASE_PORT" -C 10 -v >"$CASE_TMP/client.log" 2>&1 ||
	{ cat "$CASE_TMP/client.log"; fail "rping client failed"; }
bg_wait server 60 || { bg_log server; fail "rping server failed"; }
n=$(grep -c 'ping data' "$CASE_TMP/client.log")
[ "$n" -eq 10 ] || fail "client saw $n of 10 pings"
echo "rping over $TRANSPORT: 10 pings"
