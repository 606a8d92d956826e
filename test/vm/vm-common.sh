# Shared by the host-side guest scripts (sourced, not run).
# Everything downloaded or built for the guest lives in the cache, outside the
# source tree, keyed by the kernel version so a second run reuses it.

if [ -n "${RDMA_VM_CACHE:-}" ]; then
	VM_CACHE_ROOT=$RDMA_VM_CACHE
elif [ -n "${XDG_CACHE_HOME:-}" ]; then
	VM_CACHE_ROOT=$XDG_CACHE_HOME/rdma-dat-vm
elif [ -n "${HOME:-}" ]; then
	VM_CACHE_ROOT=$HOME/.cache/rdma-dat-vm
else
	# No home (some CI runners): a per-user directory that survives reboots.
	VM_CACHE_ROOT=/var/tmp/rdma-dat-vm-$(id -u)
fi

vm_die()
{
	echo "test/vm: $*" >&2
	exit 2
}

vm_log()
{
	echo "test/vm: $*" >&2
}

# The guest kernel must be the version whose linux-headers are installed,
# because siw.ko is built against those headers.  Pick the newest installed
# linux-headers-*-amd64 (the linux-headers-amd64 metapackage pulls it in).
vm_kernel_version()
{
	local ver

	if [ -n "${RDMA_VM_KVER:-}" ]; then
		echo "$RDMA_VM_KVER"
		return
	fi
	ver=$(for hdr in /usr/src/linux-headers-*-amd64; do
		[ -f "$hdr/Makefile" ] && echo "${hdr#/usr/src/linux-headers-}"
	done | sort -V | tail -n 1)
	[ -n "$ver" ] || vm_die "no /usr/src/linux-headers-<ver>-amd64: install the Debian package linux-headers-amd64 (scripts/setup does)"
	echo "$ver"
}

vm_cache_dir()
{
	echo "$VM_CACHE_ROOT/$(vm_kernel_version)"
}
