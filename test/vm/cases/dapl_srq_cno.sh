# Our provider's SRQ and CNO calls (test/dapl/dapl_srq_cno.c): bad
# handles and parameters, in-use refusals, receives up to the SRQ's
# reported size, watermark and resize as the device allows, CNO waits on
# two EVDs fed by software events, the proxy agent and the CNO fd.
# transports: rxe siw
# timeout: 120
. "$SRCDIR/test/vm/lib.sh"

write_dat_conf "$BUILDDIR/dapl/.libs/libdaplofa.so.2"
srv "$BUILDDIR/test/dapl/dapl_srq_cno" "$DAT_IA" "$TRANSPORT" >"$CASE_TMP/out.log" 2>&1
rc=$?
cat "$CASE_TMP/out.log"
[ $rc -eq 0 ] || fail "dapl_srq_cno exited $rc"
grep -q '^PASS dapl_srq_cno' "$CASE_TMP/out.log" || fail "dapl_srq_cno did not report PASS"
echo "dapl_srq_cno over $TRANSPORT passed"
