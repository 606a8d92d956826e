# Debian's unmodified dtest and dtestcm over our libdat2 and OUR provider
# (build/dapl/.libs/libdaplofa.so.2): a dtest pair with 4 KiB buffers and
# bursts of 20 (the sizes the OFA case uses over siw), then a short
# dtestcm run.  dtest's default 4 MiB buffers with bursts of 1000 fail
# here with OFA's provider too (the loaded guest's rxe exhausts its
# transport retries), so they are not part of the suite.
# transports: rxe siw
# lock: dtest-ports-%T
# timeout: 300
. "$SRCDIR/test/vm/lib.sh"
. "$SRCDIR/test/vm/dtest-lib.sh"

use_our_libdat2
write_dat_conf "$BUILDDIR/dapl/.libs/libdaplofa.so.2"

run_dtest_pair_args -b 4096 -B 20
run_dtestcm_pair -c 20 -b 10
