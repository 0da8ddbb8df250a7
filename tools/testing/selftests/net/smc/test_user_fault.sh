#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 120
#
# A send or receive over SMC-D whose user buffer faults halfway, the
# page held back by a userfaultfd (as a FUSE file or a slow disk would):
# the bytes before the fault go through, the rest once the page comes,
# every byte checked. Meanwhile the socket lock is free, so removing the
# device does not wait for the page: it ends the connection at once, and
# the stalled call then reports the bytes it moved before the fault, or
# for an urgent byte ENOTCONN, as TCP after a reset (smc_stall runs the
# call, the device removal, and the checks).
source "$(dirname "$0")/lib.sh"

stall=$SMC_TOOLS/smc_stall
# How long the device removal gets while the page is still missing.
wait_ms=3000

tap_plan 6

modprobe smc && modprobe smc_diag && modprobe smc_loopback ||
	fail "modprobe smc smc_diag smc_loopback"

# run MODE PORT CMD...: smc_stall's line, or why there is none.
run()
{
	local mode=$1 port=$2 out rc
	shift 2
	out=$("$stall" "$mode" "$port" "$wait_ms" -- "$@" 2>&1)
	rc=$?
	echo "# $out" >&2
	if [ $rc -eq 4 ]; then
		tap_skip_rest "userfaultfd not available"
		tap_exit
	fi
	printf '%s\n' "$out"
}

# field LINE NAME
field()
{
	sed -n "s/.*\\b$2=\\([^ ]*\\).*/\\1/p" <<<"$1"
}

port=7650
for mode in send recv oob; do
	# After removal: the bytes moved before the fault, or for the urgent
	# byte, as TCP after a reset, ENOTCONN.
	whole=65536 after="32768 0 ok"
	[ $mode = oob ] && whole=1 after="-1 ENOTCONN -"

	port=$((port + 1))
	line=$(run $mode $port true | tail -1)
	expect_eq "$mode: the page comes late, every byte arrives over SMC-D" \
		"smc $whole ok" \
		"$(field "$line" path) $(field "$line" call) $(field "$line" data)"

	port=$((port + 1))
	line=$(run $mode $port rmmod smc_loopback | tail -1)
	expect_eq "$mode: device removed while the page is missing, not waiting for it" \
		"0 0 $after" \
		"$(field "$line" cmd_rc) $(field "$line" cmd_blocked) $(field "$line" call) $(field "$line" errno) $(field "$line" data)"
	modprobe smc_loopback || fail "modprobe smc_loopback again"
done
tap_exit
