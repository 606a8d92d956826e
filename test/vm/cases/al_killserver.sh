# Access layer: the server is killed (SIGKILL) while the client is in the
# middle of RDMA writes; the client must see the connection go within 5 s
# and free everything.
# transports: rxe siw
. "$SRCDIR/test/vm/lib.sh"

T=$BUILDDIR/test/al/ual_test
bg server srv "$T" --server --test killserver --dev "$SERVER_IP" --addr "$SERVER_IP" --port "$CASE_PORT"
wait_line "$CASE_TMP/server.log" "ready port" 60 || { bg_log server; fail "server did not start"; }
bg client cli "$T" --client --test killserver --dev "$CLIENT_IP" --addr "$SERVER_IP" --port "$CASE_PORT"
wait_line "$CASE_TMP/client.log" "transferring" 120 || { bg_log client; bg_log server; fail "client never started transferring"; }
pid=$(sed -n 's/.*established (pid \([0-9]*\)).*/\1/p' "$CASE_TMP/server.log")
[ -n "$pid" ] || fail "server pid unknown"
start=$(date +%s%N)
kill -KILL "$pid"
wait_line "$CASE_TMP/client.log" "LOSS detected" 60 || { bg_log client; fail "client never saw the loss"; }
ms=$((($(date +%s%N) - start) / 1000000))
bg_wait server 10
bg_wait client 60 || { bg_log client; fail "client failed to free everything"; }
bg_log client
grep -q "PASS killserver" "$CASE_TMP/client.log" || fail "client did not pass"
echo "loss seen after ${ms} ms"
[ "$ms" -le 5000 ] || fail "connection loss took ${ms} ms (limit 5000)"
echo "al_killserver over $TRANSPORT passed"
