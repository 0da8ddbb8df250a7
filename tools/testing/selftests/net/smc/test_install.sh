#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# run-guest: --modules distro
# timeout: 1200
#
# make install / make uninstall on a machine that runs the distribution's
# modules: DKMS builds smc-ng for the running kernel, and from then on
# modprobe and the AF_SMC autoload pick ours over the distribution's;
# uninstall brings the distribution's back. The guest's root is a tmpfs
# overlay, so nothing of this reaches the build machine.
source "$(dirname "$0")/lib.sh"

repo=${SMC_REPO:-$(cd "$(dirname "$0")/../../../../.." && pwd)}
version=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$repo/dkms.conf")

tap_plan 10

# DKMS builds for the running kernel from its headers. A kernel without
# them in the guest (make check-debug's, built from linux-source) cannot
# have smc-ng installed this way: nothing to test there.
if [ ! -e "/lib/modules/$(uname -r)/build/Makefile" ]; then
	for _ in $(seq 10); do
		ok "install # SKIP no headers for the running kernel $(uname -r)"
	done
	tap_exit
fi

# Which smc module modprobe would load, by its path.
smc_path()
{
	modinfo -n "$1" 2>/dev/null
}

case "$(smc_path smc)" in
*/kernel/net/smc/*) ok "before: modprobe finds the distribution's smc" ;;
*) fail "before: modprobe finds the distribution's smc ($(smc_path smc))" ;;
esac

# The build writes into the repository (a tmpfs overlay in the guest).
check "make install" make -C "$repo" --no-print-directory install

case "$(smc_path smc) $(smc_path smc_diag) $(smc_path smc_loopback)" in
*/updates/dkms/smc.ko*" "*/updates/dkms/smc_diag.ko*" "*/updates/dkms/smc_loopback.ko*)
	ok "after install: smc, smc_diag and smc_loopback come from DKMS" ;;
*)
	fail "after install: modules from DKMS ($(smc_path smc) $(smc_path smc_diag) $(smc_path smc_loopback))" ;;
esac

# The AF_SMC autoload (net-pf-43) and the sock_diag autoload find ours.
python3 -c 'import socket; socket.socket(43, socket.SOCK_STREAM, 0).close()'
expect_eq "socket(AF_SMC) autoloads smc-ng $version" "$version" \
	"$(cat /sys/module/smc/version 2>/dev/null)"
modprobe smc_loopback
"$SMC_TOOLS/smc_stream" -l -q -p 7401 -n 1M -V -t 60 >/tmp/inst.srv 2>&1 &
"$SMC_TOOLS/smc_stream" -q -c 127.0.0.1 -p 7401 -n 1M -V -t 60 >/tmp/inst.cli 2>&1
wait
sed 's/^/# /' /tmp/inst.srv /tmp/inst.cli
expect_eq "installed modules: a connection runs over SMC-D (sock_diag autoloaded)" \
	smcd "$(stream_field /tmp/inst.cli path)"
# smc_run is installed where PATH and the dynamic loader find it.
fam=$(cd / && smc_run python3 -c 'import socket; s = socket.socket(); print(s.getsockopt(socket.SOL_SOCKET, socket.SO_DOMAIN))' 2>&1)
expect_eq "installed smc_run: a TCP socket becomes AF_SMC" 43 "$fam"
# The sockets just closed may hold the module a moment longer (their
# last references go after an RCU grace period): unload it for the
# checks below, which must load the distribution's.
for _ in $(seq 100); do
	rmmod smc_loopback smc_diag smc 2>/dev/null
	[ -e /sys/module/smc ] || break
	sleep 0.1
done

check "make uninstall" make -C "$repo" --no-print-directory uninstall
case "$(smc_path smc)" in
*/kernel/net/smc/*) ok "after uninstall: modprobe finds the distribution's smc again" ;;
*) fail "after uninstall: the distribution's smc ($(smc_path smc))" ;;
esac
# Loaded it must be (no smc at all has no version file either), and the
# distribution's: ours has a version, theirs none, and modprobe resolves
# smc to kernel/net/smc.
out=$(python3 -c 'import socket; socket.socket(43, socket.SOCK_STREAM, 0).close()' 2>&1)
rc=$?
[ -n "$out" ] && printf '%s\n' "$out" | sed 's/^/# /'
loaded=no
grep -q '^smc ' /proc/modules && [ -d /sys/module/smc ] && loaded=yes
path=other
case "$(smc_path smc)" in */kernel/net/smc/smc.ko*) path=kernel/net/smc ;; esac
expect_eq "after uninstall: socket(AF_SMC) autoloads the distribution's module" \
	"socket 0, loaded yes, version '', from kernel/net/smc" \
	"socket $rc, loaded $loaded, version '$(cat /sys/module/smc/version 2>/dev/null)', from $path"
rmmod smc_diag smc 2>/dev/null
expect_eq "after uninstall: smc_run is gone" "" "$(command -v smc_run)"
tap_exit
