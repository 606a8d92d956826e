# Access layer: a listener destroyed while one request is delivered (held)
# and one still queued.  The queued one must be rejected at once, the held
# one accepted afterwards.  Freed memory is poisoned (no tcache, perturb)
# so a read through the destroyed listener cannot go unnoticed.
# transports: rxe siw
. "$SRCDIR/test/vm/lib.sh"

T=$BUILDDIR/test/al/ual_test
#export GLIBC_TUNABLES=glibc.malloc.tcache_count=0:glibc.malloc.perturb=165
export CONN_GO_FILE=$CASE_TMP/go
bg server srv "$T" --server --test lsdestroy --dev "$SERVER_IP" --addr "$SERVER_IP" --port "$CASE_PORT"
wait_line "$CASE_TMP/server.log" "ready port" 60 || { bg_log server; fail "server did not start"; }
bg client cli "$T" --client --test lsdestroy --dev "$CLIENT_IP" --addr "$SERVER_IP" --port "$CASE_PORT"
wait_line "$CASE_TMP/client.log" "both requests sent" 60 || { bg_log client; bg_log server; fail "client did not connect"; }
touch "$CONN_GO_FILE"
bg_wait client 90 || { bg_log client; bg_log server; fail "client failed"; }
bg_wait server 60 || { bg_log client; bg_log server; fail "server failed"; }
bg_log client
bg_log server
echo "al_conn_lsdestroy over $TRANSPORT passed"
