# Access layer: many RC connections in one client process.
# rxe: 1,000 connections, established, one message answered on each,
# disconnected and freed.
# siw: libsiw accepts queue mappings only inside a 144-page window per
# process and device, so the case measures what fits (qpfill, three queue
# sizings), then connects as many as the device allows, proves that every
# one works, that the next endpoint is refused with the explanation, and
# that freeing gives the window back.
# transports: rxe siw
# timeout: 900
. "$SRCDIR/test/vm/lib.sh"

T=$BUILDDIR/test/al/ual_test
N=${AL_MANY_COUNT:-1000}

if [ "$TRANSPORT" = siw ]; then
	FILL=--fill
	explained()	# LOG: the refusal names the window and the remedies
	{
		grep -q "ibv_create_qp failed on $CLIENT_DEV: No space left on device; $CLIENT_DEV maps each queue into a 144-page window per process" "$1" &&
			grep -q "or an SRQ" "$1"
	}
	for cfg in "64" "16" "16 --srq"; do
		set -- $cfg
		log=$CASE_TMP/qpfill-$1${2:+-srq}.log
		cli "$T" --client --test qpfill --dev "$CLIENT_IP" --wr "$@" >"$log" 2>&1 ||
			{ cat "$log"; fail "qpfill --wr $cfg failed"; }
		grep "qpfill:" "$log"
		explained "$log" || { cat "$log"; fail "qpfill --wr $cfg: refusal not explained"; }
		grep -q "can be created again" "$log" || fail "qpfill --wr $cfg: window not given back"
	done
else
	FILL=
fi

bg server srv "$T" --server --test many --count "$N" $FILL --dev "$SERVER_IP" --addr "$SERVER_IP" --port "$CASE_PORT"
wait_line "$CASE_TMP/server.log" "ready port" 60 || { bg_log server; fail "server did not start"; }
cli "$T" --client --test many --count "$N" $FILL --dev "$CLIENT_IP" --addr "$SERVER_IP" --port "$CASE_PORT" \
	>"$CASE_TMP/client.log" 2>&1 || { cat "$CASE_TMP/client.log"; bg_log server; fail "client failed"; }
bg_wait server 600 || { bg_log server; fail "server failed"; }
cat "$CASE_TMP/client.log"
bg_log server
if [ "$TRANSPORT" = siw ]; then
	got=$(sed -n 's/.*endpoint limit reached after \([0-9]*\) endpoints.*/\1/p' "$CASE_TMP/client.log")
	[ -n "$got" ] && [ "$got" -gt 0 ] || fail "the client never reached the endpoint limit"
	explained "$CASE_TMP/client.log" || fail "the refusal of endpoint $((got + 1)) is not explained"
	grep -q "all $got connections exchanged a message" "$CASE_TMP/client.log" || fail "not every connection worked"
	grep -q "$got connections established, $got answered" "$CASE_TMP/server.log" || fail "server saw another count"
	grep -q "can be created again" "$CASE_TMP/client.log" || fail "window not given back after freeing"
	echo "al_many over siw: $got connections (the device's limit for this process), next refused with the explanation"
else
	grep -q "all $N connections established" "$CASE_TMP/server.log" || fail "server did not see $N connections"
	grep -q "all $N connections exchanged a message" "$CASE_TMP/client.log" || fail "not every connection worked"
	echo "al_many over $TRANSPORT: $N connections"
fi
