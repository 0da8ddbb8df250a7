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
# ETIMEDOUT. A third connection has no keepalive but TCP_USER_TIMEOUT,
# and its writer waits for space the peer never reads: as TCP probes a
# closed window, our probing of its peer (smc_probe.c) ends it with
# ETIMEDOUT too. Every socket is freed and the modules unload. Guest 1
# checks its kernel log itself before it goes: the guest wrapper's checks
# never run there.
source "$(dirname "$0")/lib.sh"

stream=$SMC_TOOLS/smc_stream
diag=$SMC_TOOLS/smc_diag_dump
smc=$SMC_REPO/tools/smc/smc
UEID=SMCNG-PEER-KILL-TEST

# A debug kernel stretches every wait (see run-guest).
scale=${SMC_TIMEOUT_SCALE:-1}

tap_plan $((GUEST_ID == 0 ? 10 : 3))
klog_mark="smcng: test_peer_kill in g$GUEST_ID from here"
echo "<6>$klog_mark" >/dev/kmsg

if modprobe smc && modprobe smc_diag && modprobe smc_ivshmem; then
	ok "modprobe smc smc_diag smc_ivshmem"
else
	fail "modprobe smc smc_diag smc_ivshmem"
	tap_skip_rest "no smc, smc_diag or smc_ivshmem"
	tap_exit
fi
check "smc ueid add $UEID" "$smc" ueid add "$UEID"

# The third connection: a server that takes one connection and never
# reads; a writer with TCP_USER_TIMEOUT 3 s, no keepalive, that reports
# how its send() ended, in ms after the file $2 appeared.
cat >/tmp/mute.py <<'PY'
import os, socket, sys, time
IPPROTO_SMC, TCP_USER_TIMEOUT = 256, 18
if sys.argv[1] == "serve":
	ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM, IPPROTO_SMC)
	ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
	ls.bind(("0.0.0.0", 7503))
	ls.listen(1)
	c, _ = ls.accept()
	time.sleep(600)
# The peer's server may still be starting (Python under emulation).
for attempt in range(100):
	s = socket.socket(socket.AF_INET, socket.SOCK_STREAM, IPPROTO_SMC)
	s.setsockopt(socket.IPPROTO_TCP, TCP_USER_TIMEOUT, 3000)
	try:
		s.connect((sys.argv[1], 7503))
		break
	except ConnectionRefusedError:
		s.close()
		time.sleep(0.1)
buf = bytes(1 << 20)
try:
	while True:
		s.send(buf)
except OSError as e:
	name = os.strerror(e.errno)
	start = os.stat(sys.argv[2]).st_mtime if os.path.exists(sys.argv[2]) else time.time()
	print("mute: error=%s errno=%d ms=%d keepalive=%d" % (name, e.errno,
	      (time.time() - start) * 1000,
	      s.getsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE)))
PY

if [ "$GUEST_ID" -eq 1 ]; then
	# The victim: three servers, then a power-off while they receive.
	"$stream" -l -q -t 60 -p 7501 -n 8G -K 1 >/dev/null 2>&1 &
	"$stream" -l -q -t 60 -p 7502 -n 8G -d -K 1 >/dev/null 2>&1 &
	python3 /tmp/mute.py serve >/dev/null 2>&1 &
	meet listening
	meet running
	sleep 1
	# The guest wrapper's kernel log check, which the power-off skips
	# (nothing is unloaded here on purpose).
	klog_clean "kernel log clean before the power-off" "$klog_mark"
	# Reported before the power-off, so that run-guest takes this guest
	# for done rather than for crashed (it would stop guest 0 then), and
	# guest 0's checks do not wait for ours (see guest-wrapper).
	: >"$SMC_SYNC_DIR/g$GUEST_ID.finished"
	echo "SMCNG-EXIT=$((_tap_failed > 0))"
	echo o >/proc/sysrq-trigger
	sleep 30
	exit 1
fi

meet listening
"$stream" -q -t 60 -c "$PEER_ADDR" -p 7501 -n 8G -K 1 >/tmp/tx.out 2>&1 &
tx=$!
"$stream" -q -t 60 -c "$PEER_ADDR" -p 7502 -n 8G -d -K 1 >/tmp/duplex.out 2>&1 &
duplex=$!
python3 /tmp/mute.py "$PEER_ADDR" /tmp/mute.start >/tmp/mute.out 2>&1 &
mute=$!
for _ in $(seq $((100 * scale))); do
	"$diag" >/tmp/live.diag 2>&1
	[ "$(grep -cE 'state=ACTIVE.*mode=SMCD.*peer=[^ ]*:750[123] ' /tmp/live.diag)" = 3 ] && break
	sleep 0.1
done
sed 's/^/# /' /tmp/live.diag
expect_eq "the three connections run over SMC-D" 3 \
	"$(grep -cE 'state=ACTIVE.*mode=SMCD.*peer=[^ ]*:750[123] ' /tmp/live.diag)"
meet running
start=$(date +%s%N)
: >/tmp/mute.start

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
wait $mute
sed 's/^/# /' /tmp/mute.out
ms=$(sed -n 's/.*error=Connection timed out .*ms=\([0-9]*\).*/\1/p' /tmp/mute.out)
if [ -n "$ms" ] && [ "$ms" -lt $((30000 * scale)) ] &&
   grep -q 'keepalive=0' /tmp/mute.out; then
	ok "blocked writer, no keepalive: ETIMEDOUT once the probes went unanswered (${ms} ms)"
else
	fail "blocked writer, no keepalive: $(cat /tmp/mute.out)"
fi

# smc_stream's sockets are AF_SMC; mute.py's IPPROTO_SMC (INET_SMC).
expect_eq "no AF_SMC or IPPROTO_SMC socket left" "0 0 0" \
	"$(proto_sockets SMC) $(proto_sockets SMC6) $(proto_sockets INET_SMC)"
# The dump's own status counts: a failed dump lists nothing either.
left=$("$diag" 2>&1)
diag_rc=$?
[ -n "$left" ] && printf '%s\n' "$left" | sed 's/^/# /'
expect_eq "no connection left in sock_diag (dump status, SMC-D sockets)" "0 0" \
	"$diag_rc $(grep -c 'mode=SMCD' <<<"$left")"
check "smc ueid del $UEID" "$smc" ueid del "$UEID"
check "rmmod smc_ivshmem" rmmod smc_ivshmem
tap_exit
