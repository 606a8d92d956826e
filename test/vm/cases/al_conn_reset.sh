# Access layer: ual_ep_reset.  One endpoint per side carries four
# connection attempts: connect/accept, exchange, disconnect, reset; the
# third is rejected (FAILED) and reset as well.
# transports: rxe siw
. "$SRCDIR/test/vm/lib.sh"

T=$BUILDDIR/test/al/ual_test
bg server srv "$T" --server --test reset --dev "$SERVER_IP" --addr "$SERVER_IP" --port "$CASE_PORT"
wait_line "$CASE_TMP/server.log" "ready port" 60 || { bg_log server; fail "server did not start"; }
cli "$T" --client --test reset --dev "$CLIENT_IP" --addr "$SERVER_IP" --port "$CASE_PORT" \
	>"$CASE_TMP/client.log" 2>&1 || { cat "$CASE_TMP/client.log"; bg_log server; fail "client failed"; }
bg_wait server 60 || { bg_log server; fail "server failed"; }
cat "$CASE_TMP/client.log"
bg_log server
echo "al_conn_reset over $TRANSPORT passed"
