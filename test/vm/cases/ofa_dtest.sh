# The Debian reference uDAPL (libdat2 + libdaplofa from libdapl2) running
# its own dtest: the reference half of the interop tests.
# transports: rxe siw
# lock: dtest-ports-%T
# timeout: 400
# slow: yes
. "$SRCDIR/test/vm/lib.sh"
. "$SRCDIR/test/vm/dtest-lib.sh"

command -v dtest >/dev/null || fail "dtest missing: install the Debian package dapl2-utils"
write_dat_conf libdaplofa.so.2
run_reference_pair run_dtest_pair
