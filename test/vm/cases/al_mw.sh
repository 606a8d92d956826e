# Access layer: memory windows.  rxe: a peer's RDMA inside a type 1 or
# type 2 window works; outside its range, without the right, after an
# unbind, a local invalidate or the peer's send with invalidate it fails
# with a remote access error and the memory stays unchanged; a second
# bind of a bound type 2 window completes with the MW bind status.
# siw has no windows: every window call is refused with a text.
# transports: rxe siw
# timeout: 300
. "$SRCDIR/test/vm/lib.sh"

T=$BUILDDIR/test/al/ual_test
if [ "$TRANSPORT" = siw ]; then
	srv "$T" --server --test mw --dev "$SERVER_IP" >"$CASE_TMP/server.log" 2>&1 ||
		{ cat "$CASE_TMP/server.log"; fail "server failed"; }
	cat "$CASE_TMP/server.log"
	grep -q "PASS mw (no windows" "$CASE_TMP/server.log" || fail "no clean refusal"
	echo "al_mw over siw: refused cleanly"
	exit 0
fi
bg server srv "$T" --server --test mw --dev "$SERVER_IP" --addr "$SERVER_IP" --port "$CASE_PORT"
wait_line "$CASE_TMP/server.log" "ready port" 60 || { bg_log server; fail "server did not start"; }
cli "$T" --client --test mw --dev "$CLIENT_IP" --addr "$SERVER_IP" --port "$CASE_PORT" \
	>"$CASE_TMP/client.log" 2>&1 || { cat "$CASE_TMP/client.log"; bg_log server; fail "client failed"; }
bg_wait server 120 || { bg_log server; fail "server failed"; }
cat "$CASE_TMP/client.log"
bg_log server
grep -q "PASS mw" "$CASE_TMP/server.log" || fail "server did not pass"
echo "al_mw over $TRANSPORT passed"
