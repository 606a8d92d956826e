# Sourced inside the guest (in the chroot, with the host's iproute2) before
# the job runs.  Creates the RDMA "hosts" every test uses:
#  - rxe0 on the veth end rxe_veth (192.168.77.1, fd00:77::1), initial netns;
#    rxe in 6.1 only works in the initial namespace, and both ends of a test
#    use this one device.
#  - namespaces A and B joined by a veth pair whose ends are both named
#    siw_veth (the dtest family needs one provider name valid on both
#    sides), with siw devices siwA and siwB over real TCP.

guest_net_fail()
{
	echo "guest-net: $*" >&2
	exit 3
}

# A siw port is DOWN until its veth peer is up: wait (bounded) for ACTIVE.
guest_net_wait_active()
{
	local dev tries
	for dev in "$@"; do
		tries=100
		until rdma link show "$dev/1" | grep -q 'state ACTIVE'; do
			tries=$((tries - 1))
			[ $tries -gt 0 ] || guest_net_fail "$dev/1 never became ACTIVE"
			sleep 0.1
		done
	done
}

guest_net_setup()
{
	ip link set lo up
	ip link add rxe_veth type veth peer name rxe_peer || guest_net_fail "veth for rxe"
	ip link set rxe_peer up
	ip link set rxe_veth up
	ip addr add 192.168.77.1/24 dev rxe_veth
	ip -6 addr add fd00:77::1/64 dev rxe_veth nodad
	rdma link add rxe0 type rxe netdev rxe_veth || guest_net_fail "rdma link add rxe0"

	ip netns add A && ip netns add B || guest_net_fail "ip netns add"
	ip link add siw_a type veth peer name siw_b || guest_net_fail "veth for siw"
	ip link set siw_a netns A
	ip link set siw_b netns B
	# Both veth ends must be up before siw attaches: siw does not follow
	# carrier changes of a netdev outside the initial namespace.
	local ns n
	for ns in A B; do
		case $ns in A) n=1 ;; B) n=2 ;; esac
		ip -n $ns link set lo up
		ip -n $ns link set "siw_$(echo $ns | tr AB ab)" name siw_veth
		ip -n $ns addr add 192.168.78.$n/24 dev siw_veth
		ip -n $ns -6 addr add fd00:78::$n/64 dev siw_veth nodad
		ip -n $ns link set siw_veth up
	done
	for ns in A B; do
		ip netns exec $ns rdma link add siw$ns type siw netdev siw_veth ||
			guest_net_fail "rdma link add siw$ns"
	done
	guest_net_wait_active rxe0 siwA siwB

	export RXE_DEV=rxe0 RXE_NETDEV=rxe_veth RXE_IP=192.168.77.1 RXE_IP6=fd00:77::1
	export SIW_NETDEV=siw_veth SIW_A_DEV=siwA SIW_B_DEV=siwB
	export SIW_A_IP=192.168.78.1 SIW_B_IP=192.168.78.2
	export SIW_A_IP6=fd00:78::1 SIW_B_IP6=fd00:78::2
}

guest_net_setup
ulimit -l unlimited
export HOME=/tmp
