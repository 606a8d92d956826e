# Access layer: two server threads accept at the same moment with crossed
# queues (one request on queue A with its endpoint on B, the other the
# reverse): ual_accept locks both queues in one global order, no deadlock.
# transports: rxe siw
. "$SRCDIR/test/vm/lib.sh"

T=$BUILDDIR/test/al/ual_test
bg server srv "$T" --server --test crossed --count 20 --dev "$SERVER_IP" --addr "$SERVER_IP" --port "$CASE_PORT"
wait_line "$CASE_TMP/server.log" "ready port" 60 || { bg_log server; fail "server did not start"; }
cli "$T" --client --test crossed --count 20 --dev "$CLIENT_IP" --addr "$SERVER_IP" --port "$CASE_PORT" \
	>"$CASE_TMP/client.log" 2>&1 || { cat "$CASE_TMP/client.log"; bg_log server; fail "client failed"; }
bg_wait server 60 || { bg_log server; fail "server failed"; }
cat "$CASE_TMP/client.log"
bg_log server
echo "al_conn_crossed over $TRANSPORT passed"
