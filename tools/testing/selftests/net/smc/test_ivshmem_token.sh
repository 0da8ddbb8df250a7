#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# run-guest: --ivshmem 64M
# timeout: 180
#
# Tokens of the inter-VM device (smc_ivshmem.ko), which has no views to
# attach: our data goes through move_data to wherever a peer's token
# leads. A relay that only has TCP connections to this guest (plain TCP
# sockets marked SMC-capable by smc_test_peer.ko, as a machine without
# the shared memory) sits between AF_SMC clients and an AF_SMC server of
# this guest, passes the CLC on and puts tokens of its own into ACCEPTs:
#   bogus: a token no DMB has. The client declines (0x09990001) and both
#          ends go on over TCP, every byte there.
#   guess: the token after one the relay saw in an earlier CONFIRM, as a
#          counter would give the next DMB, that of a connection the relay
#          has nothing to do with. Tokens are random: the guess names no
#          DMB, the client declines, and that connection reads only what
#          its own peer sent.
source "$(dirname "$0")/lib.sh"

stream=$SMC_TOOLS/smc_stream
kmod=$SMC_SELFTESTS/modules/smc_test_peer.ko

tap_plan 7

if modprobe smc && modprobe smc_diag && modprobe smc_ivshmem &&
   insmod "$kmod"; then
	ok "modprobe smc smc_diag smc_ivshmem, insmod smc_test_peer"
else
	fail "modprobe smc smc_diag smc_ivshmem, insmod smc_test_peer"
	tap_exit
fi
dmbs=$(echo /sys/class/smcd/ivshmem-*/dmbs)

cat >/tmp/ivrelay.py <<'PY'
import fcntl, os, select, socket, struct, sys, threading

mode, conns = sys.argv[1], int(sys.argv[2])
TOKEN_OFF = 16			# SMC-D ACCEPT and CONFIRM: the DMB token
SET = (3 << 30) | (16 << 16) | (0xb5 << 8) | 1	# SMC_TEST_PEER_SET
dev = os.open("/dev/smc_test_peer", os.O_RDWR)

def mark(s):
    fcntl.ioctl(dev, SET, struct.pack("iIII", s.fileno(), 1, 0, 0))

def read_exact(s, n):
    buf = b""
    while len(buf) < n:
        c = s.recv(n - len(buf))
        if not c:
            raise EOFError
        buf += c
    return buf

def read_clc(s):
    hdr = read_exact(s, 8)
    return hdr + read_exact(s, struct.unpack(">H", hdr[5:7])[0] - 8)

def token(msg):
    return struct.unpack_from(">Q", msg, TOKEN_OFF)[0]

def with_token(msg, tok):
    return msg[:TOKEN_OFF] + struct.pack(">Q", tok) + msg[TOKEN_OFF + 8:]

def forward(a, b):
    while True:
        try:
            data = a.recv(65536)
        except OSError:
            data = b""
        if not data:
            try:
                b.shutdown(socket.SHUT_WR)
            except OSError:
                pass
            return
        b.sendall(data)

lsn = socket.socket()
lsn.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
mark(lsn)
lsn.bind(("127.0.0.1", 7820))
lsn.listen(4)
print("relay: listening", flush=True)
seen = None
threads = []
for n in range(1, conns + 1):
    down, _ = lsn.accept()
    up = socket.socket()
    mark(up)
    up.connect(("127.0.0.1", 7821))
    up.sendall(read_clc(down))
    acc = read_clc(up)
    if mode == "bogus" or n == 2:
        # The slot and area of a real token, another number between.
        tok = (seen if seen else token(acc)) + (1 << 24)
        if mode == "bogus":
            tok ^= 0x5a5a << 24
        else:
            tok += 1			# the next slot too
        acc = with_token(acc, tok)
    down.sendall(acc)
    answer = read_clc(down)
    print("relay: conn%d client answered type=%d" % (n, answer[4]),
          flush=True)
    if answer[4] == 3 and seen is None:
        seen = token(answer)
    up.sendall(answer)
    for a, b in ((down, up), (up, down)):
        t = threading.Thread(target=forward, args=(a, b))
        t.start()
        threads.append(t)
for t in threads:
    t.join()
print("relay: done", flush=True)
PY

# bogus: one transfer through the relay, verified.
"$stream" -l -q -p 7821 -n 1M -V -t 30 >/tmp/ivtok-bogus.srv 2>&1 &
spid=$!
python3 /tmp/ivrelay.py bogus 1 >/tmp/ivtok-bogus.relay 2>&1 &
rpid=$!
wait_for_line /tmp/ivtok-bogus.relay listening
"$stream" -q -c 127.0.0.1 -p 7820 -n 1M -V -t 30 >/tmp/ivtok-bogus.cli 2>&1
echo "rc=$?" >>/tmp/ivtok-bogus.cli
wait $spid
echo "rc=$?" >>/tmp/ivtok-bogus.srv
wait $rpid
sed 's/^/# /' /tmp/ivtok-bogus.relay /tmp/ivtok-bogus.srv /tmp/ivtok-bogus.cli
expect_eq "bogus: our client declined the ACCEPT" \
	"relay: conn1 client answered type=4" "$(grep answered /tmp/ivtok-bogus.relay)"
expect_eq "bogus: the client went on over TCP, the peer's token unusable, data verified" \
	"tcp 0x09990001 rc=0" \
	"$(stream_field /tmp/ivtok-bogus.cli path) $(stream_field /tmp/ivtok-bogus.cli reason) $(tail -n 1 /tmp/ivtok-bogus.cli)"
expect_eq "bogus: the server went on over TCP, data verified" \
	"tcp rc=0" "$(stream_field /tmp/ivtok-bogus.srv path) $(tail -n 1 /tmp/ivtok-bogus.srv)"

# guess: connection 1 through the relay (held open), then a victim pair
# that never meets the relay, then connection 2 through it, whose ACCEPT
# names the token after connection 1's client's.
cat >/tmp/ivguess.py <<'PY'
import socket, subprocess, sys, time

def smc_sock():
    return socket.socket(socket.AF_INET, socket.SOCK_STREAM, 256)

up = smc_sock()
up.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
up.bind(("127.0.0.1", 7821))
up.listen(4)
relay = subprocess.Popen(["python3", "/tmp/ivrelay.py", "guess", "2"],
                         stdout=open("/tmp/ivtok-guess.relay", "w"),
                         stderr=subprocess.STDOUT)
for _ in range(600):		# until it listens (slow kernels too)
    if "listening" in open("/tmp/ivtok-guess.relay").read():
        break
    time.sleep(0.1)
c1 = smc_sock()
c1.connect(("127.0.0.1", 7820))
s1, _ = up.accept()

vl = smc_sock()
vl.bind(("127.0.0.1", 7822))
vl.listen(1)
vc = smc_sock()
vc.connect(("127.0.0.1", 7822))
vs, _ = vl.accept()
vc.sendall(b"victim")

c2 = smc_sock()
c2.connect(("127.0.0.1", 7820))
s2, _ = up.accept()
c2.sendall(b"injected")
c2.shutdown(socket.SHUT_WR)
s2.settimeout(5)
got2 = b""
while True:
    chunk = s2.recv(100)
    if not chunk:
        break
    got2 += chunk
time.sleep(0.5)
vc.shutdown(socket.SHUT_WR)
vs.settimeout(5)
got = b""
while True:
    chunk = vs.recv(100)
    if not chunk:
        break
    got += chunk
print("guess: victim read=%s conn2 server read=%s" % (got.decode(), got2.decode()))
for s in (c1, s1, c2, s2, vc, vs):
    s.close()
relay.wait(timeout=10)
PY
timeout 60 python3 /tmp/ivguess.py >/tmp/ivtok-guess.out 2>&1
sed 's/^/# /' /tmp/ivtok-guess.relay /tmp/ivtok-guess.out
expect_eq "guess: connection 1 went through, connection 2's client declined the guessed token" \
	"relay: conn1 client answered type=3 relay: conn2 client answered type=4" \
	"$(grep answered /tmp/ivtok-guess.relay | tr '\n' ' ' | sed 's/ $//')"
expect_eq "guess: the victim read only its peer's bytes, connection 2's went to its server (over TCP)" \
	"guess: victim read=victim conn2 server read=injected" \
	"$(grep '^guess:' /tmp/ivtok-guess.out)"

for _ in $(seq 50); do
	[ "$(cat "$dmbs")" = 0 ] && break
	sleep 0.1
done
expect_eq "no DMB left" 0 "$(cat "$dmbs")"
rmmod smc_test_peer
tap_exit
