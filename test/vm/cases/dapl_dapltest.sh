# Debian's unmodified dapltest over our libdat2 and OUR provider: the
# server (-T S), the transaction test (-T T) as run_dapltest_pair runs it
# (one thread, one EP: SR 256, RW 4096, SR 256), then two threads of two
# EPs each with RDMA reads, then the same over RSPs (-r), and the quit
# test (-T Q).  Short iteration counts: the behaviour, not a soak.
# transports: rxe siw
. "$SRCDIR/test/vm/lib.sh"
. "$SRCDIR/test/vm/dtest-lib.sh"

use_our_libdat2
write_dat_conf "$BUILDDIR/dapl/.libs/libdaplofa.so.2"

port=$((CASE_PORT + 1))
bg server srv dapltest -T S -D "$DAT_IA" -n "$port"
wait_listen "$port" 120

# transaction TEST-OPTIONS...: one -T T client run that must reach End of Work.
transaction()
{
	echo "=== dapltest -T T $*"
	cli dapltest -T T -s "$SERVER_IP" -D "$DAT_IA" -n "$port" "$@" \
		>"$CASE_TMP/client.log" 2>&1
	local crc=$?
	cat "$CASE_TMP/client.log"
	[ $crc -eq 0 ] || { bg_log server; fail "dapltest -T T $* exited $crc"; }
	grep -q 'End of Work' "$CASE_TMP/client.log" ||
		{ bg_log server; fail "dapltest -T T $* did not reach 'End of Work'"; }
}

transaction -i 100 -t 1 -w 1 client SR 256 server RW 4096 server SR 256
transaction -i 50 -t 2 -w 2 client SR 256 server RR 4096 server SR 256 \
	client SR 1024 3 -f server SR 1536 2 -f
transaction -r -i 50 -t 1 -w 2 client SR 256 server RW 4096 server SR 256

cli dapltest -T Q -s "$SERVER_IP" -D "$DAT_IA" -n "$port" >"$CASE_TMP/quit.log" 2>&1 ||
	{ cat "$CASE_TMP/quit.log"; fail "dapltest -T Q failed"; }
bg_wait server 60 || { bg_log server; fail "dapltest server failed"; }
