# Access layer connection policy: per-endpoint RDMA read depths negotiated
# and reported on both sides; read depth 0 refused cleanly; "zero"
# attributes; the consumer's timeout reported with UAL_EVFLAG_TIMED_OUT,
# apart from resolution failures.
# transports: rxe siw
. "$SRCDIR/test/vm/lib.sh"

T=$BUILDDIR/test/al/ual_test
DEAD_IP=${SERVER_IP%.*}.99	# on the subnet, never answers ARP

pair()	# TEST PORT
{
	local name=$1 port=$2

	bg "$name-server" srv "$T" --server --test "$name" --dev "$SERVER_IP" \
		--addr "$SERVER_IP" --port "$port"
	wait_line "$CASE_TMP/$name-server.log" "ready port $port" 60 ||
		{ bg_log "$name-server"; fail "$name: server did not start"; }
	cli "$T" --client --test "$name" --dev "$CLIENT_IP" --addr "$SERVER_IP" \
		--port "$port" >"$CASE_TMP/$name-client.log" 2>&1 ||
		{ cat "$CASE_TMP/$name-client.log"; bg_log "$name-server"; fail "$name: client failed"; }
	bg_wait "$name-server" 120 || { bg_log "$name-server"; fail "$name: server failed"; }
	bg_log "$name-server"
	cat "$CASE_TMP/$name-client.log"
}

pair depths "$CASE_PORT"
pair depth0 "$((CASE_PORT + 1))"
cli "$T" --client --test timeout --dev "$CLIENT_IP" --addr "$DEAD_IP" \
	--port "$((CASE_PORT + 2))" >"$CASE_TMP/timeout.log" 2>&1 ||
	{ cat "$CASE_TMP/timeout.log"; fail "timeout: client failed"; }
cat "$CASE_TMP/timeout.log"
echo "al_policy over $TRANSPORT passed"
