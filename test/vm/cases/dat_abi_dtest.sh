# ABI proof: Debian's unmodified dtest, with our libdat2.so.2 first on the
# library path and OFA's libdaplofa.so.2 as the provider.
# transports: rxe siw
# lock: dtest-ports-%T
# timeout: 400
# slow: yes
. "$SRCDIR/test/vm/lib.sh"
. "$SRCDIR/test/vm/dtest-lib.sh"

use_our_libdat2
write_dat_conf libdaplofa.so.2
run_dtest_pair
