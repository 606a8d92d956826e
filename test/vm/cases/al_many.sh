# Access layer: 1,000 RC connections from one client process to one
# server process, established, disconnected and freed.
# transports: rxe siw
# timeout: 900
. "$SRCDIR/test/vm/lib.sh"

T=$BUILDDIR/test/al/ual_test
N=${AL_MANY_COUNT:-1000}
bg server srv "$T" --server --test many --count "$N" --dev "$SERVER_IP" --addr "$SERVER_IP" --port "$CASE_PORT"
wait_line "$CASE_TMP/server.log" "ready port" 60 || { bg_log server; fail "server did not start"; }
cli "$T" --client --test many --count "$N" --dev "$CLIENT_IP" --addr "$SERVER_IP" --port "$CASE_PORT" \
	>"$CASE_TMP/client.log" 2>&1 || { cat "$CASE_TMP/client.log"; bg_log server; fail "client failed"; }
bg_wait server 600 || { bg_log server; fail "server failed"; }
cat "$CASE_TMP/client.log"
grep -q "all $N connections established" "$CASE_TMP/server.log" || fail "server did not see $N connections"
echo "al_many over $TRANSPORT: $N connections"
