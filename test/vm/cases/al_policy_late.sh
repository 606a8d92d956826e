# Access layer: receives posted before a connect that is retried (the
# listener appears late) come back as FLUSHED completions, none lost.
# With POLICY_MEASURE_LIB=DIR the client runs against that libual
# instead and only reports what happened (to measure a provider).
# transports: rxe siw
. "$SRCDIR/test/vm/lib.sh"

T=$BUILDDIR/test/al/ual_test
if [ -n "${POLICY_MEASURE_LIB:-}" ]; then
	CLIENT=(env LD_LIBRARY_PATH="$POLICY_MEASURE_LIB" "$BUILDDIR/test/al/.libs/ual_test" --count 1)
else
	CLIENT=("$T")
fi
bg client cli "${CLIENT[@]}" --client --test lateretry --dev "$CLIENT_IP" \
	--addr "$SERVER_IP" --port "$CASE_PORT"
wait_line "$CASE_TMP/client.log" "device .* transport" 60 || { bg_log client; fail "client did not start"; }
sleep 3		# let a few attempts fail first
bg server srv "$T" --server --test lateretry --dev "$SERVER_IP" --addr "$SERVER_IP" \
	--port "$CASE_PORT"
bg_wait client 180 || { bg_log client; bg_log server; fail "client failed"; }
bg_wait server 60 || { bg_log server; fail "server failed"; }
bg_log client
echo "al_policy_late over $TRANSPORT passed"
