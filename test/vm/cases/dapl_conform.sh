# Our provider's conformance program (test/dapl/dapl_conform.c): every
# documented error of the IA, PZ, LMR, RMR, handle-type and context calls
# (NULL, freed and wrong-type handles, bad parameters, objects in use,
# graceful and abrupt IA close) and every IA/provider attribute written
# and plausible for the transport (siw: no RMRs, dat_rmr_create says
# DAT_NOT_IMPLEMENTED).  Opened twice: by netdev through a nonthreadsafe
# line, by RDMA device and port through a threadsafe one; over rxe also
# through the rxe0 lines of the shipped dat.conf.
# transports: rxe siw
# timeout: 120
. "$SRCDIR/test/vm/lib.sh"

LIB=$BUILDDIR/dapl/.libs/libdaplofa.so.2
[ -e "$LIB" ] || fail "no provider at $LIB (build first)"
export DAT_OVERRIDE=$CASE_TMP/dat.conf
cat >"$DAT_OVERRIDE" <<CONF
ours-$TRANSPORT u2.0 nonthreadsafe default $LIB dapl.2.0 "$NETDEV 0" ""
ours-$TRANSPORT-dev u2.0 threadsafe default $LIB dapl.2.0 "$SERVER_DEV 1" ""
CONF
srv "$BUILDDIR/test/dapl/dapl_conform" --device "$SERVER_DEV" \
	--transport "$TRANSPORT" --threadsafe "ours-$TRANSPORT-dev" \
	"ours-$TRANSPORT" >"$CASE_TMP/conform.log" 2>&1
rc=$?
cat "$CASE_TMP/conform.log"
[ $rc -eq 0 ] || fail "dapl_conform exited with $rc"
grep -q '^FAIL' "$CASE_TMP/conform.log" && fail "a check failed"
grep -q ' passed, 0 failed' "$CASE_TMP/conform.log" || fail "no summary line"

# The shipped dat.conf: its rxe0 lines open our provider (found by its
# bare soname, ours first on the library path), both kinds of line; its
# mlx5_0 line fails cleanly (no such device in the guest).
if [ "$TRANSPORT" = rxe ] && [ "$RXE_DEV" = rxe0 ]; then
	DAT_OVERRIDE=$SRCDIR/dat.conf LD_LIBRARY_PATH=$BUILDDIR/dapl/.libs \
		"$BUILDDIR/test/dapl/dapl_conform" --device rxe0 --transport rxe \
		--threadsafe ofa-v2-rxe0-1 --absent ofa-v2-mlx5_0-1 ofa-v2-rxe0-1 >"$CASE_TMP/shipped.log" 2>&1 ||
		{ cat "$CASE_TMP/shipped.log"; fail "the shipped dat.conf's rxe0 lines"; }
	tail -1 "$CASE_TMP/shipped.log"
fi
echo "dapl_conform over $TRANSPORT passed"
