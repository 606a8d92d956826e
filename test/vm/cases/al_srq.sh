# Access layer: the basic exchange with the server receiving through a
# shared receive queue.
# transports: rxe siw
. "$SRCDIR/test/vm/lib.sh"

T=$BUILDDIR/test/al/ual_test
bg server srv "$T" --server --test srq --dev "$SERVER_IP" --addr "$SERVER_IP" --port "$CASE_PORT"
wait_line "$CASE_TMP/server.log" "ready port" 60 || { bg_log server; fail "server did not start"; }
cli "$T" --client --test basic --dev "$CLIENT_IP" --addr "$SERVER_IP" --port "$CASE_PORT" \
	>"$CASE_TMP/client.log" 2>&1 || { cat "$CASE_TMP/client.log"; bg_log server; fail "client failed"; }
bg_wait server 120 || { bg_log server; fail "server failed"; }
grep -q "PASS srq" "$CASE_TMP/server.log" || fail "server did not pass"
echo "al_srq over $TRANSPORT passed"
