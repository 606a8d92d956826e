# Access layer, UD for IT-API: a UD service resolved without an endpoint
# (SIDR with 180 bytes of private data, a 136-byte reply), the path in
# the event, an address handle made from it, rdma_cm's Q_Key, SLID/SL in
# the receive completions; siw (iWARP, no UD) refuses every entry point
# with EOPNOTSUPP and a clear text.
# transports: rxe siw
. "$SRCDIR/test/vm/lib.sh"

T=$BUILDDIR/test/al/ual_test
if [ "$TRANSPORT" = siw ]; then
	cli "$T" --client --test udsvc --dev "$CLIENT_IP" >"$CASE_TMP/client.log" 2>&1 ||
		{ cat "$CASE_TMP/client.log"; fail "client failed"; }
	cat "$CASE_TMP/client.log"
	grep -q "UD query: .*not supported by device" "$CASE_TMP/client.log" || fail "no clean refusal"
	echo "al_udsvc over siw: refused cleanly"
	exit 0
fi
bg server srv "$T" --server --test udsvc --dev "$SERVER_IP" --addr "$SERVER_IP" --port "$CASE_PORT"
wait_line "$CASE_TMP/server.log" "ready port" 60 || { bg_log server; fail "server did not start"; }
cli "$T" --client --test udsvc --dev "$CLIENT_IP" --addr "$SERVER_IP" --port "$CASE_PORT" \
	>"$CASE_TMP/client.log" 2>&1 || { cat "$CASE_TMP/client.log"; bg_log server; fail "client failed"; }
bg_wait server 60 || { bg_log server; fail "server failed"; }
bg_log server
cat "$CASE_TMP/client.log"
echo "al_udsvc over rxe passed"
