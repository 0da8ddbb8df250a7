#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# run-guest: --guests 2 --ivshmem 64M
# timeout: 180
#
# The peer's kernel dies in the middle of a transfer over SMC-D between
# two guests (ivshmem): guest 1 powers off at once, unloading nothing, so
# its DMBs stay in the shared memory and no abort ever comes. Guest 0 must
# not wait forever: as with TCP, keepalive on the connection (here probes
# a second apart, three of them) finds the peer gone, and both of guest
# 0's connections, one sending, one sending and receiving, end with
# ETIMEDOUT; every socket is freed and the modules unload.
source "$(dirname "$0")/lib.sh"

stream=$SMC_TOOLS/smc_stream
diag=$SMC_TOOLS/smc_diag_dump
smc=$SMC_REPO/tools/smc/smc
UEID=SMCNG-PEER-KILL-TEST

# A debug kernel stretches every wait (see run-guest).
scale=${SMC_TIMEOUT_SCALE:-1}

tap_plan $((GUEST_ID == 0 ? 9 : 2))

if modprobe smc && modprobe smc_diag && modprobe smc_ivshmem; then
	ok "modprobe smc smc_diag smc_ivshmem"
else
	fail "modprobe smc smc_diag smc_ivshmem"
	tap_exit
fi
check "smc ueid add $UEID" "$smc" ueid add "$UEID"

if [ "$GUEST_ID" -eq 1 ]; then
	# The victim: two servers, then a power-off while they receive.
	"$stream" -l -q -t 60 -p 7501 -n 8G -K 1 >/dev/null 2>&1 &
	"$stream" -l -q -t 60 -p 7502 -n 8G -d -K 1 >/dev/null 2>&1 &
	meet listening
	meet running
	sleep 1
	# Reported before the power-off, so that run-guest takes this guest
	# for done rather than for crashed (it would stop guest 0 then), and
	# guest 0's checks do not wait for ours (see guest-wrapper).
	: >"$SMC_SYNC_DIR/g$GUEST_ID.finished"
	echo "SMCNG-EXIT=0"
	echo o >/proc/sysrq-trigger
	sleep 30
	exit 1
fi

meet listening
"$stream" -q -t 60 -c "$PEER_ADDR" -p 7501 -n 8G -K 1 >/tmp/tx.out 2>&1 &
tx=$!
"$stream" -q -t 60 -c "$PEER_ADDR" -p 7502 -n 8G -d -K 1 >/tmp/duplex.out 2>&1 &
duplex=$!
for _ in $(seq $((100 * scale))); do
	"$diag" >/tmp/live.diag 2>&1
	[ "$(grep -cE 'state=ACTIVE.*mode=SMCD.*peer=[^ ]*:750[12] ' /tmp/live.diag)" = 2 ] && break
	sleep 0.1
done
sed 's/^/# /' /tmp/live.diag
expect_eq "both connections run over SMC-D" 2 \
	"$(grep -cE 'state=ACTIVE.*mode=SMCD.*peer=[^ ]*:750[12] ' /tmp/live.diag)"
meet running
start=$(date +%s%N)

# ended NAME PID ERRORS: the client NAME failed with one of ERRORS (an
# egrep pattern), in bounded time.
ended()
{
	local name=$1 pid=$2 errors=$3 rc ms
	wait "$pid"
	rc=$?
	ms=$((($(date +%s%N) - start) / 1000000))
	sed 's/^/# /' "/tmp/$name.out"
	if [ "$rc" -eq 1 ] && grep -qE "$errors" "/tmp/$name.out" &&
	   [ "$ms" -lt $((30000 * scale)) ]; then
		ok "$name: ended once keepalive found the peer gone (${ms} ms)"
	else
		fail "$name: exit $rc after ${ms} ms"
	fi
}
ended tx $tx ETIMEDOUT
# Two threads: the first to see the error takes ETIMEDOUT, the other
# EPIPE (as on TCP), and either may be the one to report.
ended duplex $duplex 'ETIMEDOUT|EPIPE'

expect_eq "no AF_SMC socket left" "0 0" \
	"$(proto_sockets SMC) $(proto_sockets SMC6)"
check "no connection left in sock_diag" \
	eval "! $diag 2>/dev/null | grep -q 'mode=SMCD'"
check "smc ueid del $UEID" "$smc" ueid del "$UEID"
check "rmmod smc_ivshmem" rmmod smc_ivshmem
tap_exit
