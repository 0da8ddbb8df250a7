#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 400
#
# With no shared-memory device, AF_SMC connections continue over their TCP
# connection: every byte arrives, and both ends record the reason the
# in-tree stack would record. Paths and reasons are read back through
# sock_diag, never assumed.
source "$(dirname "$0")/lib.sh"

modprobe smc && modprobe smc_diag || exit 1


# expect_path NAME ROLE PATH REASON [PEER_DIAG]
expect_path()
{
	local f=/tmp/$1.cli got
	[ "$2" = server ] && f=/tmp/$1.srv
	got="$(stream_field "$f" path) $(stream_field "$f" reason)"
	[ -n "${5:-}" ] && got="$got $(stream_field "$f" peer_diag)"
	expect_eq "$1: $2 path and reason" "$3 $4${5:+ $5}" "$got"
}

xfer=(-n 4M -w 1:65536 -r 1:65536 -d -V)

tap_plan 24

check "AF_SMC IPv4, 4 MiB each way, random sizes, verified" \
	stream_pair v4 -f smc -p 7101 "${xfer[@]}" -- -c 127.0.0.1 -f smc -p 7101 "${xfer[@]}"
expect_path v4 client tcp 0x03030000
expect_path v4 server tcp 0x05000000 0x03030000

check "AF_SMC IPv6, 4 MiB each way, random sizes, verified" \
	stream_pair v6 -6 -f smc -p 7102 "${xfer[@]}" -- -6 -c ::1 -f smc -p 7102 "${xfer[@]}"
expect_path v6 client tcp 0x03030000
expect_path v6 server tcp 0x05000000 0x03030000

check "AF_SMC IPv4-mapped IPv6 address, verified" \
	stream_pair mapped -6 -f smc -p 7103 "${xfer[@]}" -- -6 -c ::ffff:127.0.0.1 -f smc -p 7103 "${xfer[@]}"
expect_path mapped client tcp 0x03030000

check "AF_SMC client to a plain TCP server" \
	stream_pair cli-only -f tcp -p 7104 "${xfer[@]}" -- -c 127.0.0.1 -f smc -p 7104 "${xfer[@]}"
expect_path cli-only client tcp 0x03010000

check "plain TCP client to an AF_SMC server" \
	stream_pair srv-only -f smc -p 7105 "${xfer[@]}" -- -c 127.0.0.1 -f tcp -p 7105 "${xfer[@]}"
expect_path srv-only server tcp 0x03010000

check "8 parallel x 25 sequential AF_SMC connections, verified" \
	stream_pair many -f smc -p 7106 -P 8 -C 25 -n 64K -V -- -c 127.0.0.1 -f smc -p 7106 -P 8 -C 25 -n 64K -V
expect_eq "many: 200 connections served" 200 "$(stream_field /tmp/many.srv conns)"

check "AF_SMC 1-byte ping-pong" \
	stream_pair pp -f smc -p 7107 -L -n 200 -- -c 127.0.0.1 -f smc -p 7107 -L -n 200
check "AF_SMC connection rate mode, 300 connections" \
	stream_pair rate -f smc -p 7108 -R -C 300 -- -c 127.0.0.1 -f smc -p 7108 -R -C 300

# A link-local IPv6 bind ties the socket to its interface, as TCP does it:
# the binding shows in SO_BINDTODEVICE and lets a connect without a scope
# through; an accepted connection is tied to the interface it came on.
ip link add smcll0 type dummy
ip addr add fe80::1/64 dev smcll0 nodad
ip link set smcll0 up
cat >/tmp/ll.py <<'EOF'
import socket, sys
proto = int(sys.argv[1])
idx = socket.if_nametoindex("smcll0")
def dev(s):
    return s.getsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, 16).rstrip(b"\0").decode() or "-"
l = socket.socket(socket.AF_INET6, socket.SOCK_STREAM, proto)
l.bind(("fe80::1", 0, 0, idx))
l.listen(1)
c = socket.socket(socket.AF_INET6, socket.SOCK_STREAM, proto)
c.bind(("fe80::1", 0, 0, idx))
out = ["family=%d" % c.getsockopt(socket.SOL_SOCKET, socket.SO_DOMAIN),
       "bound=" + dev(c)]
try:
    c.connect(("fe80::1", l.getsockname()[1], 0, 0))
    a, _ = l.accept()
    c.sendall(b"x")
    out += ["connected=%s" % (a.recv(1) == b"x"), "accepted=" + dev(a)]
except OSError as e:
    out.append("connect: " + (e.strerror or str(e)))
print(" ".join(out))
EOF
expect_eq "link-local bind: TCP" \
	"family=10 bound=smcll0 connected=True accepted=smcll0" \
	"$(python3 /tmp/ll.py 0 2>&1)"
expect_eq "link-local bind: IPPROTO_SMC as TCP" \
	"family=10 bound=smcll0 connected=True accepted=smcll0" \
	"$(python3 /tmp/ll.py 256 2>&1)"
expect_eq "link-local bind: AF_SMC (smc_run) as TCP" \
	"family=43 bound=smcll0 connected=True accepted=smcll0" \
	"$("${SMC_REPO:-$SMC_SELFTESTS/../../../../..}/tools/smc_run/smc_run" python3 /tmp/ll.py 0 2>&1)"
ip link del smcll0

# A close that lingers (SO_LINGER 5 s, the peer reads nothing) waits with
# no lock of ours held: a sock_diag dump meanwhile completes while the
# close still waits, as ss does for TCP. Plain TCP first, as the control.
cat >/tmp/linger.py <<'EOF'
import socket, struct, subprocess, sys, threading, time
l = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
l.bind(("127.0.0.1", 0))
l.listen(1)
c = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
fam = c.getsockopt(socket.SOL_SOCKET, socket.SO_DOMAIN)
c.connect(l.getsockname())
s, _ = l.accept()
c.setblocking(False)
try:
    while True:
        c.send(bytes(65536))
except BlockingIOError:
    pass
c.setblocking(True)
c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 5))
done = threading.Event()
t = threading.Thread(target=lambda: (c.close(), done.set()))
t.start()
time.sleep(0.3)
rc = subprocess.run([sys.argv[1]], stdout=subprocess.DEVNULL).returncode
print("family=%d dump=%d lingering=%s" % (fam, rc, not done.is_set()))
t.join()
EOF
expect_eq "lingering close, TCP: a dump meanwhile completes first" \
	"family=2 dump=0 lingering=True" \
	"$(python3 /tmp/linger.py "$SMC_TOOLS/smc_diag_dump" 2>&1)"
expect_eq "lingering close, AF_SMC on TCP: a dump meanwhile completes first" \
	"family=43 dump=0 lingering=True" \
	"$("${SMC_REPO:-$SMC_SELFTESTS/../../../../..}/tools/smc_run/smc_run" python3 /tmp/linger.py "$SMC_TOOLS/smc_diag_dump" 2>&1)"

# SO_TIMESTAMP on an AF_SMC socket is carried to its TCP socket. Each
# socket with it keeps the kernel's receive timestamps on for everyone
# until its destructor lets go: the copy must take hold as the socket
# layer does, or closing three such sockets turns timestamps off, and a
# datagram read 300 ms after it came is stamped with the time of the read.
cat >/tmp/tstamp.py <<'PY'
import socket, struct, time
SO_TIMESTAMP = 29	# SO_TIMESTAMP_OLD, SCM_TIMESTAMP: a struct timeval
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u.bind(("127.0.0.1", 0))
u.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMP, 1)
for i in range(3):
	s = socket.socket(43, socket.SOCK_STREAM, 0)
	s.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMP, 1)
	s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
	s.close()
time.sleep(0.3)		# the kernel switches timestamps from a work item
t = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
t0 = time.time()
t.sendto(b"x", u.getsockname())
time.sleep(0.3)
data, anc, flags, addr = u.recvmsg(16, 64)
stamp = [struct.unpack("qq", d[:16]) for l, k, d in anc
	 if l == socket.SOL_SOCKET and k == SO_TIMESTAMP]
sec, usec = stamp[0]
late = sec + usec / 1e6 - t0
print("stamped at " + ("arrival" if late < 0.15 else "the read"))
PY
expect_eq "SO_TIMESTAMP on AF_SMC sockets leaves others' receive timestamps on" \
	"stamped at arrival" "$(python3 /tmp/tstamp.py 2>&1)"

# Nothing may linger: every AF_SMC socket is gone after the transfers.
sleep 1
expect_eq "no AF_SMC socket left (SMC)" 0 "$(proto_sockets SMC)"
expect_eq "no AF_SMC socket left (SMC6)" 0 "$(proto_sockets SMC6)"
tap_exit
