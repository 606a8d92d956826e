# Debian's unmodified dapltest (-T S, the transaction test -T T, -T Q)
# over our libdat2 and OUR provider.
# transports: rxe siw
. "$SRCDIR/test/vm/lib.sh"
. "$SRCDIR/test/vm/dtest-lib.sh"

use_our_libdat2
write_dat_conf "$BUILDDIR/dapl/.libs/libdaplofa.so.2"
run_dapltest_pair
