# The Debian reference uDAPL's dapltest transaction test (-T T) with its
# server (-T S), stopped by the quit test (-T Q).
# transports: rxe siw
. "$SRCDIR/test/vm/lib.sh"
. "$SRCDIR/test/vm/dtest-lib.sh"

command -v dapltest >/dev/null || fail "dapltest missing: install the Debian package dapl2-utils"
write_dat_conf libdaplofa.so.2
run_reference_pair run_dapltest_pair
