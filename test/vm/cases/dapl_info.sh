# dapl-info in the guest: it lists the device with its transport, address
# and netdev, --generate writes a dat.conf whose entries name that netdev
# and open, and Debian's unmodified dtest runs with DAT_OVERRIDE pointing
# at the generated file.
# transports: rxe siw
# lock: dtest-ports-%T
# timeout: 180
. "$SRCDIR/test/vm/lib.sh"
. "$SRCDIR/test/vm/dtest-lib.sh"

tool=$BUILDDIR/tools/dapl-info
[ -x "$tool" ] || fail "$tool not built"
command -v dtest >/dev/null || fail "dtest missing: install the Debian package dapl2-utils"
case $TRANSPORT in
rxe) want_transport='RoCE v2' ;;
siw) want_transport='iWARP' ;;
esac

# The listing, from the server's side (siw: namespace A).
srv "$tool" --devices >"$CASE_TMP/devices.txt" 2>&1 ||
	{ cat "$CASE_TMP/devices.txt"; fail "dapl-info --devices exited $?"; }
cat "$CASE_TMP/devices.txt"
grep -q "^device $SERVER_DEV\$" "$CASE_TMP/devices.txt" ||
	fail "dapl-info does not list $SERVER_DEV"
sed -n "/^device $SERVER_DEV\$/,/^device /p" "$CASE_TMP/devices.txt" >"$CASE_TMP/dev.txt"
grep -q "ACTIVE, transport $want_transport," "$CASE_TMP/dev.txt" ||
	fail "$SERVER_DEV is not listed as an ACTIVE $want_transport port"
grep -q "address $SERVER_IP  netdev $NETDEV\$" "$CASE_TMP/dev.txt" ||
	fail "$SERVER_DEV does not show $SERVER_IP on $NETDEV"
grep -q "address $SERVER_IP6  netdev $NETDEV\$" "$CASE_TMP/dev.txt" ||
	fail "$SERVER_DEV does not show $SERVER_IP6 on $NETDEV"

# --generate: an IPv4 and an IPv6 entry for the netdev, nothing else.
conf=$CASE_TMP/generated.conf
srv "$tool" --generate "$conf" || fail "dapl-info --generate exited $?"
cat "$conf"
port='[0-9][0-9]*'
grep -q "^ofa-v2-$NETDEV u2.0 nonthreadsafe default libdaplofa.so.2 dapl.2.0 \"$NETDEV $port\" \"\"\$" "$conf" ||
	fail "no IPv4 entry ofa-v2-$NETDEV naming $NETDEV"
grep -q "^ofa-v2-$NETDEV-ipv6 u2.0 nonthreadsafe default libdaplofa.so.2 dapl.2.0 \"$SERVER_IP6 $port\" \"\"\$" "$conf" ||
	fail "no IPv6 entry ofa-v2-$NETDEV-ipv6 naming $SERVER_IP6"
others=$(grep -v '^#' "$conf" | grep -v "^ofa-v2-$NETDEV\(-ipv6\)\? " || true)
[ -z "$others" ] || fail "entries for other interfaces: $others"
srv "$tool" --generate "$conf" 2>"$CASE_TMP/again.err" &&
	fail "--generate replaced an existing file without --force"
grep -q "exists" "$CASE_TMP/again.err" || fail "no 'exists' message: $(cat "$CASE_TMP/again.err")"

# dapl-info opens the generated entries through libdat2 and the provider.
DAT_OVERRIDE=$conf srv "$tool" --conf >"$CASE_TMP/conf.txt" 2>&1
cat "$CASE_TMP/conf.txt"
grep -qxF "dat.conf: $conf" "$CASE_TMP/conf.txt" || fail "dapl-info did not report the DAT_OVERRIDE file"
grep -q "chosen because DAT_OVERRIDE is set" "$CASE_TMP/conf.txt" || fail "no reason for the choice"
grep -A1 "^  line [0-9]*: ofa-v2-$NETDEV " "$CASE_TMP/conf.txt" | grep -q "opens: IA address $SERVER_IP\$" ||
	fail "ofa-v2-$NETDEV does not open with address $SERVER_IP"
grep -A1 "^  line [0-9]*: ofa-v2-$NETDEV-ipv6 " "$CASE_TMP/conf.txt" | grep -q "opens: IA address $SERVER_IP6\$" ||
	fail "ofa-v2-$NETDEV-ipv6 does not open with address $SERVER_IP6"
grep -q "2 entries, 2 open, 0 rejected lines" "$CASE_TMP/conf.txt" ||
	fail "unexpected summary for the generated file"

# Debian's dtest with the generated file: both namespaces of siw have an
# interface of the same name, so one file serves server and client.
# What is under test is the generated file, not dtest's sizes: one short
# run with 4 KiB buffers and bursts of 20 on both transports (with its
# default sizes the reference dtest stalls in its RDMA write phase over
# rxe on a loaded host, as ofa_dtest[rxe] does).
dtest_size_args() { echo "-b 4096 -B 20"; }
export DAT_OVERRIDE=$conf
DAT_IA=ofa-v2-$NETDEV
run_dtest_pair
echo "dapl-info over $TRANSPORT: listed, generated, dtest PASSED with the generated dat.conf"
