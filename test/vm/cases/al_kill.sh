# Access layer: the client is killed (SIGKILL) in the middle of RDMA
# writes; the server must see the connection go within 5 s and free all.
# transports: rxe siw
. "$SRCDIR/test/vm/lib.sh"

T=$BUILDDIR/test/al/ual_test
bg server srv "$T" --server --test kill --dev "$SERVER_IP" --addr "$SERVER_IP" --port "$CASE_PORT"
wait_line "$CASE_TMP/server.log" "ready port" 60 || { bg_log server; fail "server did not start"; }
bg client cli "$T" --client --test kill --dev "$CLIENT_IP" --addr "$SERVER_IP" --port "$CASE_PORT"
wait_line "$CASE_TMP/client.log" "transferring \(pid [0-9]+\)" 120 ||
	{ bg_log client; bg_log server; fail "client never started transferring"; }
pid=$(sed -n 's/.*transferring (pid \([0-9]*\)).*/\1/p' "$CASE_TMP/client.log")
start=$(date +%s%N)
kill -KILL "$pid"
wait_line "$CASE_TMP/server.log" "LOSS detected" 60 || { bg_log server; fail "server never saw the loss"; }
ms=$((($(date +%s%N) - start) / 1000000))
bg_wait server 60 || { bg_log server; fail "server failed to free everything"; }
bg_log server
echo "loss seen after ${ms} ms"
[ "$ms" -le 5000 ] || fail "connection loss took ${ms} ms (limit 5000)"
echo "al_kill over $TRANSPORT passed"
