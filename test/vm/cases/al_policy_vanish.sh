# Access layer: a disconnect toward a peer that no longer answers (its
# process stopped) ends within the disconnect bound, and destroy after it
# does not wait either.
# transports: rxe siw
. "$SRCDIR/test/vm/lib.sh"

T=$BUILDDIR/test/al/ual_test
bg server srv "$T" --server --test vanish --dev "$SERVER_IP" --addr "$SERVER_IP" \
	--port "$CASE_PORT"
wait_line "$CASE_TMP/server.log" "ready port" 60 || { bg_log server; fail "server did not start"; }
bg client cli "$T" --client --test vanish --dev "$CLIENT_IP" --addr "$SERVER_IP" \
	--port "$CASE_PORT"
wait_line "$CASE_TMP/server.log" "established .pid" 60 ||
	{ bg_log server; bg_log client; fail "no connection"; }
# The test program itself (under netns exec and libtool's wrapper).
SPID=$(sed -n 's/.*established (pid \([0-9]*\)).*/\1/p' "$CASE_TMP/server.log")
[ -n "$SPID" ] || fail "no server pid"
kill -STOP "$SPID"
bg_wait client 90 || { kill -CONT "$SPID"; bg_log client; fail "client failed"; }
kill -CONT "$SPID"
bg_wait server 30 || true	# it may or may not see the end: not the point
bg_log client
echo "al_policy_vanish over $TRANSPORT passed"
