#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 420
#
# An AF_SMC stream socket is a drop-in replacement for a TCP socket.
# smc_sockapi runs every socket-API scenario once with TCP sockets and
# once with AF_SMC sockets (127.0.0.1, ::1, ::ffff:127.0.0.1) and compares
# what the application observes; each scenario is one result of this test.
# It does so twice: without an SMC device (every connection falls back to
# TCP), then with the SMC-D loopback device (every connection runs over
# shared memory).
# That the comparison can fail at all is proven on the build machine
# (sockapi_selfcheck.sh, a stage of run_tests).
source "$(dirname "$0")/lib.sh"

prog=$SMC_TOOLS/smc_sockapi
log=${SMC_OUT:-/tmp}/sockapi

mapfile -t names < <("$prog" -l)
n=${#names[@]}
tap_plan $((2 * n + 5))
klog_start=$(dmesg | wc -l)

if modprobe smc && modprobe smc_diag; then
	ok "modprobe smc smc_diag"
else
	fail "modprobe smc smc_diag"
fi

relay "" -a tcp -b smc

# The same over shared memory: the loopback device is there, and a
# connection really takes it.
if modprobe smc_loopback; then
	ok "modprobe smc_loopback"
else
	fail "modprobe smc_loopback"
fi
"$SMC_TOOLS/smc_stream" -l -q -p 7301 -n 4K -t 30 >"$log.path.srv" 2>&1 &
"$SMC_TOOLS/smc_stream" -q -c 127.0.0.1 -p 7301 -n 4K -t 30 >"$log.path" 2>&1
wait
expect_eq "SMC-D: a connection runs over shared memory" smcd \
	"$(stream_field "$log.path" path)"
relay "SMC-D: " -a tcp -b smcd

# The socket layer complains when a socket is released with a SIGIO
# registration still on it (a leaked fasync entry that points at a file
# that is gone); the guest's own log check does not look for this.
expect_eq "kernel log: no 'fasync list not empty'" 0 \
	"$(dmesg | tail -n +$((klog_start + 1)) | grep -c 'fasync list not empty')"

# No AF_SMC socket outlives the programs that used it.
for _ in $(seq 50); do
	[ "$(proto_sockets SMC)" = 0 ] && [ "$(proto_sockets SMC6)" = 0 ] &&
		break
	sleep 0.1
done
expect_eq "no AF_SMC socket left" "0 0" \
	"$(proto_sockets SMC) $(proto_sockets SMC6)"
tap_exit
