#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 180
#
# A CLC peer that names a DMB token the loopback device does not have.
# A relay between an AF_SMC client and an AF_SMC server (plain TCP
# sockets marked SMC-capable by modules/smc_test_peer.ko) hands the CLC
# messages on and puts a token of its own into one of them:
#   accept:  into the server's ACCEPT. Our client must not take a DMB it
#            cannot attach as a peer to write to through move_data (the
#            token could lead to another connection's DMB): it declines
#            (0x09990001, the peer's token unusable) and both ends go on
#            over TCP, every byte there.
#   confirm: into the client's CONFIRM. Our server must not complete the
#            connection (a client of this kernel always names a DMB of
#            it; anyone else may know the loopback GID, which is no
#            secret): accept() never returns it, the client sees the
#            connection fail.
#   late:    the client's CONFIRM, held back until the client closed and
#            gave its DMB back (as a busy server may read it late). The
#            DMB it names is gone, but its bytes and its end are in the
#            server's DMB: accept() returns the connection, and it reads
#            them, as over TCP.
# All: no DMB is left once the ends are gone.
source "$(dirname "$0")/lib.sh"

stream=$SMC_TOOLS/smc_stream
kmod=$SMC_SELFTESTS/modules/smc_test_peer.ko
dmbs=/sys/class/smcd/loopback-ism/dmbs

tap_plan 13

if modprobe smc && modprobe smc_diag && modprobe smc_loopback &&
   insmod "$kmod"; then
	ok "modprobe smc smc_diag smc_loopback, insmod smc_test_peer"
else
	fail "modprobe smc smc_diag smc_loopback, insmod smc_test_peer"
	tap_exit
fi

cat >/tmp/relay.py <<'PY'
import fcntl, os, select, socket, struct, sys, time

mode, port, upstream = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
BOGUS = 0x5eed5eed5eed5eed
DMBS = "/sys/class/smcd/loopback-ism/dmbs"
TOKEN_OFF = 16			# SMC-D ACCEPT and CONFIRM: the DMB token
SET = (3 << 30) | (16 << 16) | (0xb5 << 8) | 1	# SMC_TEST_PEER_SET
dev = os.open("/dev/smc_test_peer", os.O_RDWR)

def mark(s):
    out = fcntl.ioctl(dev, SET, struct.pack("iIII", s.fileno(), 1, 0, 0))
    if struct.unpack("iIII", out)[2] != 1:
        sys.exit("relay: TCP does not send the SMC option")

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

def patch(msg):
    return msg[:TOKEN_OFF] + struct.pack(">Q", BOGUS) + msg[TOKEN_OFF + 8:]

lsn = socket.socket()
lsn.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
mark(lsn)
lsn.bind(("127.0.0.1", port))
lsn.listen(1)
print("relay: listening", flush=True)
down, _ = lsn.accept()
for _ in range(100):		# the server may still be starting
    up = socket.socket()
    mark(up)
    try:
        up.connect(("127.0.0.1", upstream))
        break
    except ConnectionRefusedError:
        up.close()
        time.sleep(0.1)
up.sendall(read_clc(down))
acc = read_clc(up)
down.sendall(patch(acc) if mode == "accept" else acc)
answer = read_clc(down)
print("relay: client answered type=%d" % answer[4], flush=True)
if mode == "late":
    while down.recv(65536):		# nothing comes over TCP but its end
        pass
    for _ in range(100):		# then its DMB goes: the server's is left
        with open(DMBS) as f:
            left = f.read().strip()
        if left == "1":
            break
        time.sleep(0.1)
    print("relay: client closed, dmbs=%s" % left, flush=True)
up.sendall(patch(answer) if mode == "confirm" and answer[4] == 3 else answer)

# The CLC is over: whatever follows (TCP after a decline) goes through.
ends = {down: up, up: down}
while ends:
    for s in select.select(list(ends), [], [], 30)[0]:
        try:
            data = s.recv(65536)
        except ConnectionResetError:
            data = b""
        if data:
            ends[s].sendall(data)
        else:
            try:
                ends[s].shutdown(socket.SHUT_WR)
            except OSError:
                pass
            del ends[s]
print("relay: done", flush=True)
PY

# An AF_SMC server (IPPROTO_SMC) on 7821 that reports whether accept()
# returned a connection within 8 s.
cat >/tmp/acceptor.py <<'PY'
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM, 256)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", 7821))
s.listen(1)
s.settimeout(8)
try:
    c, _ = s.accept()
    print("acceptor: accepted=1")
except socket.timeout:
    print("acceptor: accepted=0")
PY

# An IPPROTO_SMC server on 7821 that reads what its one connection brings.
cat >/tmp/reader.py <<'PY'
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM, 256)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", 7821))
s.listen(1)
s.settimeout(8)
try:
    c, _ = s.accept()
except socket.timeout:
    print("reader: accepted=0")
    raise SystemExit
c.settimeout(8)
got = b""
while True:
    chunk = c.recv(4096)
    if not chunk:
        break
    got += chunk
print("reader: accepted=1 read=%s eof=1" % got.decode())
PY

# relay MODE SERVER...: SERVER on 7821, the relay on 7820, an smc_stream
# client through the relay.
relay()
{
	local mode=$1 rpid spid
	shift
	"$@" >"/tmp/tok-$mode.srv" 2>&1 &
	spid=$!
	python3 /tmp/relay.py "$mode" 7820 7821 >"/tmp/tok-$mode.relay" 2>&1 &
	rpid=$!
	wait_for_line "/tmp/tok-$mode.relay" listening
	if [ "$mode" = late ]; then
		late_client >"/tmp/tok-$mode.cli" 2>&1
	else
		"$stream" -q -c 127.0.0.1 -p 7820 -n 1M -V -t 30 \
			>"/tmp/tok-$mode.cli" 2>&1
	fi
	echo "rc=$?" >>"/tmp/tok-$mode.cli"
	wait $spid
	echo "rc=$?" >>"/tmp/tok-$mode.srv"
	kill $rpid 2>/dev/null
	wait $rpid 2>/dev/null
	sed 's/^/# /' "/tmp/tok-$mode.relay" "/tmp/tok-$mode.srv" "/tmp/tok-$mode.cli"
}

# An IPPROTO_SMC client that sends five bytes and closes at once.
late_client()
{
	python3 -c '
import socket
c = socket.socket(socket.AF_INET, socket.SOCK_STREAM, 256)
c.connect(("127.0.0.1", 7820))
c.sendall(b"early")
c.close()
'
}

no_dmb_left()
{
	for _ in $(seq 50); do
		[ "$(cat $dmbs)" = 0 ] && break
		sleep 0.1
	done
	expect_eq "$1: no DMB left" 0 "$(cat $dmbs)"
}

rc_of()
{
	sed -n 's/^rc=//p' "$1"
}

relay accept "$stream" -l -q -p 7821 -n 1M -V -t 30
expect_eq "accept: our client declined the ACCEPT" \
	"relay: client answered type=4" "$(grep answered /tmp/tok-accept.relay)"
expect_eq "accept: the client went on over TCP, the peer's token unusable, data verified" \
	"tcp 0x09990001 0" \
	"$(stream_field /tmp/tok-accept.cli path) $(stream_field /tmp/tok-accept.cli reason) $(rc_of /tmp/tok-accept.cli)"
expect_eq "accept: the server went on over TCP after the decline, data verified" \
	"tcp 0" "$(stream_field /tmp/tok-accept.srv path) $(rc_of /tmp/tok-accept.srv)"
no_dmb_left accept

relay confirm python3 /tmp/acceptor.py
expect_eq "confirm: our client sent its CONFIRM" \
	"relay: client answered type=3" "$(grep answered /tmp/tok-confirm.relay)"
expect_eq "confirm: our server never handed the connection to accept()" \
	"acceptor: accepted=0" "$(grep acceptor: /tmp/tok-confirm.srv)"
if [ "$(rc_of /tmp/tok-confirm.cli)" != 0 ]; then
	ok "confirm: the client's connection failed"
else
	fail "confirm: the client's connection failed (it moved all its data)"
fi
no_dmb_left confirm

relay late python3 /tmp/reader.py
expect_eq "late: the client sent its CONFIRM" \
	"relay: client answered type=3" "$(grep answered /tmp/tok-late.relay)"
expect_eq "late: the server read the CONFIRM after the client's DMB was gone" \
	"relay: client closed, dmbs=1" "$(grep closed /tmp/tok-late.relay)"
expect_eq "late: accept() returned the connection, its bytes and its end read" \
	"reader: accepted=1 read=early eof=1" "$(grep reader: /tmp/tok-late.srv)"
no_dmb_left late

rmmod smc_test_peer
tap_exit
