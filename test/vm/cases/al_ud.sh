# Access layer: UD resolution (SIDR) and a datagram exchange over rxe;
# siw (iWARP) has no UD and must say so cleanly.
# transports: rxe siw
. "$SRCDIR/test/vm/lib.sh"

T=$BUILDDIR/test/al/ual_test
if [ "$TRANSPORT" = siw ]; then
	cli "$T" --client --test ud --dev "$CLIENT_IP" >"$CASE_TMP/client.log" 2>&1 ||
		{ cat "$CASE_TMP/client.log"; fail "client failed"; }
	cat "$CASE_TMP/client.log"
	grep -q "not supported by device" "$CASE_TMP/client.log" || fail "no clean refusal"
	echo "al_ud over siw: refused cleanly"
	exit 0
fi
bg server srv "$T" --server --test ud --dev "$SERVER_IP" --addr "$SERVER_IP" --port "$CASE_PORT"
wait_line "$CASE_TMP/server.log" "ready port" 60 || { bg_log server; fail "server did not start"; }
cli "$T" --client --test ud --dev "$CLIENT_IP" --addr "$SERVER_IP" --port "$CASE_PORT" \
	>"$CASE_TMP/client.log" 2>&1 || { cat "$CASE_TMP/client.log"; bg_log server; fail "client failed"; }
bg_wait server 60 || { bg_log server; fail "server failed"; }
cat "$CASE_TMP/client.log"
echo "al_ud over rxe passed"
