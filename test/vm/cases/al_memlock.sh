# Access layer under Debian's default locked-memory limit (8 MiB), without
# CAP_IPC_LOCK (which would exempt root from it on rxe): the device opens
# (the server's soft limit, started at 4 MiB, is raised to the 8 MiB hard
# limit and the debug line says so); a region larger than the limit, and
# one that fits alone but not with what is pinned, are refused with a text
# naming the limit, the size and the fixes; an unmapped region and an
# address typo are not called memlock problems; a connection and an RDMA
# write work.  The guest otherwise runs with "ulimit -l unlimited".
# transports: rxe siw
# timeout: 180
. "$SRCDIR/test/vm/lib.sh"

T=$BUILDDIR/test/al/ual_test

low()	# SOFT_KIB HARD_KIB srv|cli CMD...: CMD under that limit, no CAP_IPC_LOCK
{
	local soft=$1 hard=$2 where=$3
	shift 3
	(ulimit -l "$hard" && ulimit -S -l "$soft" &&
	 "$where" setpriv --inh-caps=-ipc_lock --bounding-set=-ipc_lock \
		env UAL_DEBUG=1 "$@")
}

bg server low 4096 8192 srv "$T" --server --test memlock --dev "$SERVER_IP" \
	--addr "$SERVER_IP" --port "$CASE_PORT"
wait_line "$CASE_TMP/server.log" "ready port" 60 || { bg_log server; fail "server did not start"; }
low 8192 8192 cli "$T" --client --test memlock --dev "$CLIENT_IP" --addr "$SERVER_IP" \
	--port "$CASE_PORT" >"$CASE_TMP/client.log" 2>&1 ||
	{ cat "$CASE_TMP/client.log"; bg_log server; fail "client failed"; }
bg_wait server 120 || { bg_log server; fail "server failed"; }
cat "$CASE_TMP/client.log"
bg_log server

S=$CASE_TMP/server.log
grep -q "PASS memlock" "$S" || fail "server did not pass"
grep -q "PASS memlock" "$CASE_TMP/client.log" || fail "client did not pass"
grep -q "libual: RLIMIT_MEMLOCK soft limit raised from 4096 KiB to 8192 KiB (the hard limit)" "$S" ||
	fail "no debug line for the raised soft limit"
grep -q "libual: RLIMIT_MEMLOCK soft limit 8192 KiB is the hard limit" "$CASE_TMP/client.log" ||
	fail "no debug line for a limit that cannot be raised"
# The message as a user sees it (the program checked each part too).
grep -E "^server: over: ibv_reg_mr failed on [a-zA-Z0-9]+: Cannot allocate memory; locked-memory limit \(RLIMIT_MEMLOCK\) soft 8192 KiB, hard 8192 KiB; asked 9216 KiB for a region, already [0-9]+ KiB pinned; raise it: ulimit -l, memlock in /etc/security/limits.conf, systemd LimitMEMLOCK=, the batch system's setting$" "$S" ||
	fail "the refusal over the limit does not read as expected"
grep -q "^server: unmapped: ibv_reg_mr failed" "$S" || fail "no unmapped-region failure"
echo "al_memlock over $TRANSPORT passed"
