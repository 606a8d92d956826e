# Access layer: automatic progress; the active side waits only on its
# receive completions and still connects and answers the disconnect; see
# test/al/t_scope.c, "progress".
# transports: rxe siw
. "$SRCDIR/test/vm/lib.sh"

T=$BUILDDIR/test/al/ual_test
bg server srv "$T" --server --test progress --dev "$SERVER_IP" --addr "$SERVER_IP" --port "$CASE_PORT"
wait_line "$CASE_TMP/server.log" "ready port" 60 || { bg_log server; fail "server did not start"; }
cli "$T" --client --test progress --dev "$CLIENT_IP" --addr "$SERVER_IP" --port "$CASE_PORT" \
	>"$CASE_TMP/client.log" 2>&1 || { cat "$CASE_TMP/client.log"; bg_log server; fail "client failed"; }
bg_wait server 60 || { bg_log server; fail "server failed"; }
cat "$CASE_TMP/client.log"
bg_log server
echo "al_progress over $TRANSPORT passed"
