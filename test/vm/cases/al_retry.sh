# Access layer: the client starts before anything listens and must get
# through by retrying with back-off once the server appears.
# transports: rxe siw
. "$SRCDIR/test/vm/lib.sh"

T=$BUILDDIR/test/al/ual_test
bg client cli "$T" --client --test retry --dev "$CLIENT_IP" --addr "$SERVER_IP" --port "$CASE_PORT"
wait_line "$CASE_TMP/client.log" "device .* transport" 60 || { bg_log client; fail "client did not start"; }
bg server srv "$T" --server --test retry --dev "$SERVER_IP" --addr "$SERVER_IP" --port "$CASE_PORT"
bg_wait client 180 || { bg_log client; bg_log server; fail "client failed"; }
bg_wait server 60 || { bg_log server; fail "server failed"; }
bg_log client
echo "al_retry over $TRANSPORT passed"
