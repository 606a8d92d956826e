# Access layer: connect with private data both ways, send/recv, RDMA
# write/read, immediate data and atomics (siw: a clean "not supported"),
# disconnect from the client, then from the server, then over IPv6.
# transports: rxe siw
. "$SRCDIR/test/vm/lib.sh"

T=$BUILDDIR/test/al/ual_test
case $TRANSPORT in
rxe) CLIENT_IP6=$RXE_IP6 ;;
siw) CLIENT_IP6=$SIW_B_IP6 ;;
esac

run_pair()	# NAME PORT SERVER_ADDR CLIENT_DEV DISCONNECT_SIDE
{
	local name=$1 port=$2 saddr=$3 cdev=$4 side=$5

	bg "$name-server" srv "$T" --server --dev "$saddr" --addr "$saddr" \
		--port "$port" --disconnect "$side"
	wait_line "$CASE_TMP/$name-server.log" "ready port $port" 60 ||
		{ bg_log "$name-server"; fail "$name: server did not start"; }
	cli "$T" --client --dev "$cdev" --addr "$saddr" --port "$port" \
		--disconnect "$side" >"$CASE_TMP/$name-client.log" 2>&1 ||
		{ cat "$CASE_TMP/$name-client.log"; bg_log "$name-server"; fail "$name: client failed"; }
	bg_wait "$name-server" 120 || { bg_log "$name-server"; fail "$name: server failed"; }
	cat "$CASE_TMP/$name-client.log"
	grep -q "PASS basic" "$CASE_TMP/$name-server.log" || fail "$name: server did not pass"
}

run_pair v4-client-disc "$CASE_PORT" "$SERVER_IP" "$CLIENT_IP" client
run_pair v4-server-disc "$((CASE_PORT + 1))" "$SERVER_IP" "$CLIENT_IP" server
grep -q "disconnected (by peer)" "$CASE_TMP/v4-server-disc-client.log" ||
	fail "client did not see the server's disconnect"
run_pair v6 "$((CASE_PORT + 2))" "$SERVER_IP6" "$CLIENT_IP6" client
if [ "$TRANSPORT" = siw ]; then
	grep -q "atomic operations are not supported by device" "$CASE_TMP/v4-client-disc-client.log" ||
		fail "siw did not report atomics as unsupported"
fi
echo "al_basic over $TRANSPORT: IPv4 (both disconnect sides) and IPv6 passed"
