#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# run-guest: --guests 2 --modules ours,distro
# timeout: 300
#
# socket(AF_SMC, ...) semantics. Guest 0 runs our smc.ko, guest 1 the
# distribution's: every type/protocol combination must give the same
# result (errno, SO_DOMAIN/SO_TYPE/SO_PROTOCOL, flags) under both, and our
# module must pass smc_socket's own checks.
source "$(dirname "$0")/lib.sh"

dump=$SMC_OUT/socket-dump.g$GUEST_ID
modprobe smc || { echo "# modprobe smc failed"; }
"$SMC_TOOLS/smc_socket" --dump >"$dump.tmp" 2>&1
mv "$dump.tmp" "$dump"

if [ "$GUEST_ID" -ne 0 ]; then
	# The reference guest only provides its table.
	tap_plan 1
	check "distribution smc.ko table written" test -s "$dump"
	tap_exit
fi

tap_plan 3
ref=$SMC_OUT/socket-dump.g1
for _ in $(seq 600); do
	[ -s "$ref" ] && break
	sleep 0.1
done
check "reference table from the distribution's smc.ko" test -s "$ref"
check "socket(AF_SMC, type, proto) matches the distribution's smc.ko" \
	diff -u "$ref" "$dump"
check "smc_socket checks" "$SMC_TOOLS/smc_socket"
tap_exit
