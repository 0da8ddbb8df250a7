#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 180
#
# A writer that waits for space has its peer probed (smc_probe.c): after
# a second of a full ring, TCP's keepalive runs on the TCP connection
# underneath until there is space again. Against a live peer whose
# application does not read, the probes are answered and the connection
# lives on, even with a TCP_USER_TIMEOUT far shorter than the wait; the
# application never sees the keepalive (SO_KEEPALIVE reads 0, its
# TCP_KEEP* values read as it set them, during and after). An application with its own keepalive
# keeps it as it set it. (A dead peer: test_peer_kill.sh.)
source "$(dirname "$0")/lib.sh"

tap_plan 10

modprobe smc && modprobe smc_diag && modprobe smc_loopback ||
	fail "modprobe smc smc_diag smc_loopback"

cat >/tmp/probe.py <<'PY'
import socket, subprocess, sys, threading, time

IPPROTO_SMC, TCP_USER_TIMEOUT = 256, 18
port, own_keepalive = int(sys.argv[1]), sys.argv[2] == "own"
CHUNK = 1 << 20

def timers():
	# The TCP connection's timer, as ss shows it, on the writer's side.
	out = subprocess.run(["ss", "-tnoH", "state", "established",
			      "dport", "=", ":%d" % port],
			     capture_output=True, text=True).stdout
	return "keepalive" if "timer:(keepalive" in out else "none"

# The stream: byte n is n % 251, so that any slip shows.
ring = bytes(i % 251 for i in range(CHUNK + 251))
def expect(off, n):
	return ring[off % 251:off % 251 + n]

ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM, IPPROTO_SMC)
ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
ls.bind(("127.0.0.1", port))
ls.listen(1)
w = socket.socket(socket.AF_INET, socket.SOCK_STREAM, IPPROTO_SMC)
w.setsockopt(socket.IPPROTO_TCP, TCP_USER_TIMEOUT, 1500)
w.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE, 77)
w.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPINTVL, 33)
w.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPCNT, 5)
if own_keepalive:
	w.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
w.connect(("127.0.0.1", port))
r, _ = ls.accept()

sent, err = [0], [None]
total = 64 * CHUNK
def writer():
	try:
		while sent[0] < total:
			sent[0] += w.send(expect(sent[0], min(CHUNK, total - sent[0])))
	except OSError as e:
		err[0] = e.errno
t = threading.Thread(target=writer)
t.start()
time.sleep(1)
before = sent[0]
seen = timers()
time.sleep(3)		# blocked four seconds
blocked = before == sent[0] and t.is_alive()
during = timers()
ka_during = w.getsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE)
keep_during = "%d/%d/%d" % (
	w.getsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE),
	w.getsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPINTVL),
	w.getsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPCNT))
got, bad = 0, 0
while got < total:
	b = r.recv(CHUNK)
	if not b:
		break
	bad += b != expect(got, len(b))
	got += len(b)
t.join()
time.sleep(0.2)
after = timers()
print("result: blocked=%d timer_during=%s so_keepalive=%d keep_during=%s "
      "err=%s got=%d bad=%d timer_after=%s keep=%d/%d/%d" %
      (blocked, during, ka_during, keep_during, err[0], got, bad, after,
       w.getsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE),
       w.getsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPINTVL),
       w.getsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPCNT)))
print("# timer one second into the wait: " + seen)
PY

# run MODE PORT: the script's result, its comments shown.
run()
{
	timeout $((60 * SMC_TIMEOUT_SCALE)) python3 /tmp/probe.py "$2" "$1" \
		>"/tmp/probe.$1" 2>&1
	grep -v '^result:' "/tmp/probe.$1" >&2
	sed -n 's/^result: //p' "/tmp/probe.$1"
}
field()
{
	echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"
}

res=$(run ours 7401)
echo "# ours: $res"
expect_eq "the writer waited four seconds on a full ring" 1 "$(field "$res" blocked)"
expect_eq "meanwhile the TCP connection had keepalive running" keepalive \
	"$(field "$res" timer_during)"
expect_eq "the application saw SO_KEEPALIVE 0 throughout" 0 \
	"$(field "$res" so_keepalive)"
expect_eq "and its own TCP_KEEPIDLE/INTVL/CNT while the peer was probed" \
	77/33/5 "$(field "$res" keep_during)"
expect_eq "TCP_USER_TIMEOUT 1.5 s did not end it: the peer answered" \
	"err=None got=67108864 bad=0" \
	"$(echo "$res" | grep -o 'err=[^ ]* got=[^ ]* bad=[^ ]*')"
expect_eq "with space again, keepalive is off" none "$(field "$res" timer_after)"
expect_eq "the application's TCP_KEEPIDLE/INTVL/CNT are back" 77/33/5 \
	"$(field "$res" keep)"

res=$(run own 7402)
echo "# own: $res"
expect_eq "own keepalive: the connection lived, bytes intact" \
	"err=None got=67108864 bad=0" \
	"$(echo "$res" | grep -o 'err=[^ ]* got=[^ ]* bad=[^ ]*')"
expect_eq "own keepalive: still on, with the application's settings" \
	"keepalive 1 77/33/5" \
	"$(field "$res" timer_after) $(field "$res" so_keepalive) $(field "$res" keep)"
expect_eq "no IPPROTO_SMC socket left" 0 "$(wait_sockets INET_SMC 0 5)"
tap_exit
