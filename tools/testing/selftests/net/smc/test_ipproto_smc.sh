#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 900
#
# socket(AF_INET or AF_INET6, SOCK_STREAM, IPPROTO_SMC): SMC sockets of the
# inet families. They report AF_INET/AF_INET6 and protocol 256, are listed
# by smc_diag like AF_SMC sockets, stream byte-exact over SMC-D with the
# loopback device (path read back through sock_diag) and over TCP without
# it, talk to AF_SMC and plain TCP peers, hand out IPPROTO_SMC sockets from
# accept(), and agree with TCP in every smc_sockapi scenario as AF_SMC
# sockets do. The module loads on demand for them, and cannot be unloaded
# while one is open.
source "$(dirname "$0")/lib.sh"

prog=$SMC_TOOLS/smc_sockapi
n=$("$prog" -l | wc -l)

tap_plan $((2 * n + 37))
klog_start=$(dmesg | wc -l)

if modprobe smc && modprobe smc_diag; then
	ok "modprobe smc smc_diag"
else
	fail "modprobe smc smc_diag"
	tap_exit
fi

expect_eq "/proc/net/protocols lists INET_SMC and INET6_SMC" "0 0" \
	"$(proto_sockets INET_SMC) $(proto_sockets INET6_SMC)"

# Creation: family, type and protocol as the socket layer reports them,
# the flags of the type argument, the address family of getsockname, and
# the per-proto count while the sockets are open.
created=$(python3 - <<'PY'
import socket
SOL, P = socket.SOL_SOCKET, 256
out = []
socks = []
for fam in (socket.AF_INET, socket.AF_INET6):
    s = socket.socket(fam, socket.SOCK_STREAM | socket.SOCK_NONBLOCK |
                      socket.SOCK_CLOEXEC, P)
    socks.append(s)
    out.append("%d/%d/%d nb=%d name=%d" % (
        s.getsockopt(SOL, socket.SO_DOMAIN),
        s.getsockopt(SOL, socket.SO_TYPE),
        s.getsockopt(SOL, socket.SO_PROTOCOL),
        not s.getblocking(), len(s.getsockname())))
counts = {}
for line in open("/proc/net/protocols"):
    f = line.split()
    counts[f[0]] = f[2]
out.append("inuse=%s/%s" % (counts.get("INET_SMC"), counts.get("INET6_SMC")))
print(" ".join(out))
PY
)
expect_eq "AF_INET and AF_INET6 sockets: SO_DOMAIN/SO_TYPE/SO_PROTOCOL, flags, counted" \
	"2/1/256 nb=1 name=2 10/1/256 nb=1 name=4 inuse=1/1" "$created"

# Only stream sockets: a datagram socket with protocol 256 is refused.
refused=$(python3 - <<'PY'
import socket
for fam in (socket.AF_INET, socket.AF_INET6):
    try:
        socket.socket(fam, socket.SOCK_DGRAM, 256).close()
        print("created")
    except OSError as e:
        print(e.errno)
PY
)
expect_eq "SOCK_DGRAM with IPPROTO_SMC is refused (EPROTONOSUPPORT)" \
	"93 93" "${refused//$'\n'/ }"

# A listener is in smc_diag's dump, in the record AF_SMC sockets have
# (smc_diag_dump insists on diag_family AF_SMC).
diag=$(python3 - "$SMC_TOOLS/smc_diag_dump" <<'PY'
import os, socket, subprocess, sys
for fam, addr in ((socket.AF_INET, "127.0.0.1"), (socket.AF_INET6, "::1")):
    s = socket.socket(fam, socket.SOCK_STREAM, 256)
    s.bind((addr, 7400))
    s.listen(4)
    ino = os.fstat(s.fileno()).st_ino
    r = subprocess.run([sys.argv[1], "-i", str(ino)], capture_output=True,
                       text=True)
    state = [f for f in r.stdout.split() if f.startswith(("state=", "local="))]
    print(r.returncode, *state)
    s.close()
PY
)
expect_eq "listeners are in the smc_diag dump as AF_SMC records" \
	"0 state=LISTEN(10) local=127.0.0.1:7400 0 state=LISTEN(10) local=[::1]:7400" \
	"${diag//$'\n'/ }"

# on_path NAME PATH CLIENT_SO [SERVER_SO]: both ends took PATH;
# SO_DOMAIN/SO_PROTOCOL of the client's and of the accepted socket, read
# once connected (the server's as the client's unless given).
on_path()
{
	local s=/tmp/$1.srv c=/tmp/$1.cli sso=${4:-$3}
	expect_eq "$1: both ends on $2, sockets $3 and $sso" "$2 $2 $3 $sso" \
		"$(stream_field "$s" path) $(stream_field "$c" path) $(stream_field "$c" so) $(stream_field "$s" so)"
}

# --- without an SMC device: TCP fallback, data intact
check "no device, IPv4: 4 MiB each way at once, verified" \
	stream_pair fb4 -f inet -p 7401 -n 4M -d -V -w 1:70000 -r 1:70000 -- \
	-f inet -c 127.0.0.1 -p 7401 -n 4M -d -V -w 1:70000 -r 1:70000
on_path fb4 tcp 2/6
expect_eq "no device: client reason NOSMCDEV, server peer-declined" \
	"0x03030000 0x05000000" \
	"$(stream_field /tmp/fb4.cli reason) $(stream_field /tmp/fb4.srv reason)"
check "no device, IPv6: 4 MiB each way at once, verified" \
	stream_pair fb6 -f inet -6 -p 7402 -n 4M -d -V -- \
	-f inet -6 -c ::1 -p 7402 -n 4M -d -V
on_path fb6 tcp 10/6

relay "IPPROTO_SMC: " -a tcp -b inet

# --- with the loopback device: SMC-D
if modprobe smc_loopback; then
	ok "modprobe smc_loopback"
else
	fail "modprobe smc_loopback"
fi

check "SMC-D, IPv4: 32 MiB each way at once, random sizes, verified" \
	stream_pair d4 -f inet -p 7411 -n 32M -d -V -w 1:200000 -r 1:100000 -s 3 -- \
	-f inet -c 127.0.0.1 -p 7411 -n 32M -d -V -w 1:200000 -r 1:100000 -s 3
on_path d4 smcd 2/256
expect_eq "SMC-D, IPv4: no fallback reason on either end" "0x00000000 0x00000000" \
	"$(stream_field /tmp/d4.cli reason) $(stream_field /tmp/d4.srv reason)"
check "SMC-D, IPv6 ::1: 8 MiB each way, verified" \
	stream_pair d6 -f inet -6 -p 7412 -n 8M -d -V -- \
	-f inet -6 -c ::1 -p 7412 -n 8M -d -V
on_path d6 smcd 10/256
check "SMC-D, IPv4-mapped address on IPv6 sockets: 4 MiB each way, verified" \
	stream_pair dm -f inet -6 -p 7413 -n 4M -d -V -- \
	-f inet -6 -c ::ffff:127.0.0.1 -p 7413 -n 4M -d -V
on_path dm smcd 10/256

# The two kinds of SMC socket are one protocol on the wire.
check "SMC-D, AF_SMC client to IPPROTO_SMC server: 2 MiB each way, verified" \
	stream_pair mix1 -f inet -p 7414 -n 2M -d -V -- \
	-f smc -c 127.0.0.1 -p 7414 -n 2M -d -V
on_path mix1 smcd 43/0 2/256
check "SMC-D, IPPROTO_SMC client to AF_SMC server: 2 MiB each way, verified" \
	stream_pair mix2 -f smc -p 7415 -n 2M -d -V -- \
	-f inet -c 127.0.0.1 -p 7415 -n 2M -d -V
on_path mix2 smcd 2/256 43/0

# A peer that is plain TCP: no SMC offered, so TCP without a CLC byte.
check "IPPROTO_SMC client to a plain TCP server: 1 MiB each way, verified" \
	stream_pair plain -f tcp -p 7416 -n 1M -d -V -- \
	-f inet -c 127.0.0.1 -p 7416 -n 1M -d -V
expect_eq "plain TCP peer: client falls back with PEERNOSMC" \
	"tcp 0x03010000 2/6" \
	"$(stream_field /tmp/plain.cli path) $(stream_field /tmp/plain.cli reason) $(stream_field /tmp/plain.cli so)"

# Many short connections: every accepted child is made and freed by us.
check "SMC-D: 2000 short connections, each one's path checked" \
	stream_pair rate -f inet -p 7417 -R -A -P 2 -C 1000 -- \
	-f inet -c 127.0.0.1 -p 7417 -R -A -P 2 -C 1000
expect_eq "rate: 2000 connections served" 2000 "$(stream_field /tmp/rate.srv conns)"
on_path rate smcd 2/256

relay "IPPROTO_SMC over SMC-D: " -a tcp -b inetd

for _ in $(seq 50); do
	[ "$(proto_sockets INET_SMC) $(proto_sockets INET6_SMC)" = "0 0" ] &&
		break
	sleep 0.1
done
expect_eq "no IPPROTO_SMC socket left" "0 0" \
	"$(proto_sockets INET_SMC) $(proto_sockets INET6_SMC)"

# A cgroup's BPF program may refuse a socket after the protocol made it
# (inet_create() then releases it through the proto's destroy): EPERM,
# and nothing is left behind, neither the socket nor its TCP socket.
bpf_refused=$(python3 - <<'PY'
import ctypes, os, socket, struct
libc = ctypes.CDLL(None, use_errno=True)
NR_BPF, PROG_LOAD, PROG_ATTACH = 321, 5, 8
CGROUP_SOCK, INET_SOCK_CREATE = 9, 2
cg = "/sys/fs/cgroup"
if not os.path.exists(cg + "/cgroup.procs"):
    cg = "/tmp/ipp-cg2"
    os.makedirs(cg, exist_ok=True)
    if os.system("mount -t cgroup2 none " + cg) != 0:
        raise SystemExit("no cgroup2")
cg += "/ipp-deny"
os.makedirs(cg, exist_ok=True)
# r0 = 0; exit: refuse every socket
insns = ctypes.create_string_buffer(struct.pack("<BBhiBBhi", 0xb7, 0, 0, 0,
                                                0x95, 0, 0, 0))
lic = ctypes.create_string_buffer(b"GPL")
attr = ctypes.create_string_buffer(struct.pack(
    "<IIQQIIQII16sII", CGROUP_SOCK, 2, ctypes.addressof(insns),
    ctypes.addressof(lic), 0, 0, 0, 0, 0, b"ipp_deny", 0, INET_SOCK_CREATE),
    128)
prog = libc.syscall(NR_BPF, PROG_LOAD, attr, 128)
if prog < 0:
    raise SystemExit("BPF_PROG_LOAD: " + os.strerror(ctypes.get_errno()))
cgfd = os.open(cg, os.O_RDONLY)
attr = ctypes.create_string_buffer(struct.pack("<IIIII", cgfd, prog,
                                               INET_SOCK_CREATE, 0, 0), 128)
if libc.syscall(NR_BPF, PROG_ATTACH, attr, 128) < 0:
    raise SystemExit("BPF_PROG_ATTACH: " + os.strerror(ctypes.get_errno()))
with open(cg + "/cgroup.procs", "w") as f:
    f.write(str(os.getpid()))
out = []
for fam in (socket.AF_INET, socket.AF_INET6):
    for i in range(100):
        try:
            socket.socket(fam, socket.SOCK_STREAM, 256).close()
            out.append("created")
            break
        except OSError as e:
            if i == 99:
                out.append(os.strerror(e.errno))
print(" ".join(out))
PY
)
for _ in $(seq 50); do
	[ "$(proto_sockets INET_SMC) $(proto_sockets INET6_SMC)" = "0 0" ] &&
		break
	sleep 0.1
done
expect_eq "refused by a cgroup BPF program (x100 each): EPERM, no socket left" \
	"Operation not permitted Operation not permitted 0 0" \
	"$bpf_refused $(proto_sockets INET_SMC) $(proto_sockets INET6_SMC)"

# --- the module: pinned by open sockets, loaded on demand
modprobe -r smc_loopback smc_diag
# hold KIND: keep one IPPROTO_SMC socket of KIND open (fresh4: a fresh
# IPv4 socket; accepted6: only the accepted end of an IPv6 connection)
# until /tmp/ipp.release appears; false if the socket never was (its
# output then in /tmp/ipp.log).
hold()
{
	rm -f /tmp/ipp.ready /tmp/ipp.release
	python3 - "$1" >/tmp/ipp.log 2>&1 <<'PY' &
import os, socket, sys, time
if sys.argv[1] == "fresh4":
    keep = socket.socket(socket.AF_INET, socket.SOCK_STREAM, 256)
else:
    l = socket.socket(socket.AF_INET6, socket.SOCK_STREAM, 256)
    l.bind(("::1", 7420))
    l.listen(1)
    c = socket.socket(socket.AF_INET6, socket.SOCK_STREAM, 256)
    c.connect(("::1", 7420))
    keep, _ = l.accept()
    c.close()
    l.close()
open("/tmp/ipp.ready", "w").close()
while not os.path.exists("/tmp/ipp.release"):
    time.sleep(0.05)
keep.close()
PY
	holder=$!
	for _ in $(seq 100); do [ -e /tmp/ipp.ready ] && return 0; sleep 0.1; done
	sed 's/^/# /' /tmp/ipp.log
	return 1
}

for kind in fresh4 accepted6; do
	# A failed rmmod means something only with the socket open and smc
	# loaded (by that socket: modprobe -r above took smc out too).
	if ! hold $kind; then
		fail "$kind: an open IPPROTO_SMC socket keeps smc loaded: no socket"
	elif ! grep -q '^smc ' /proc/modules; then
		fail "$kind: an open IPPROTO_SMC socket keeps smc loaded: smc not loaded"
	elif rmmod smc 2>/dev/null; then
		fail "$kind: an open IPPROTO_SMC socket keeps smc loaded"
	else
		ok "$kind: an open IPPROTO_SMC socket keeps smc loaded"
	fi
	touch /tmp/ipp.release
	wait $holder
	# The accepted end's internal TCP connection lingers a little.
	for _ in $(seq 50); do
		rmmod smc 2>/dev/null && break
		sleep 0.1
	done
	if grep -q '^smc ' /proc/modules; then
		fail "$kind: smc unloads once the socket is closed"
	else
		ok "$kind: smc unloads once the socket is closed"
	fi
done
expect_eq "after unload: no INET_SMC or INET6_SMC in /proc/net/protocols" 0 \
	"$(grep -cE '^INET6?_SMC ' /proc/net/protocols)"

# socket() loads smc through the net-pf-2/10-proto-256-type-1 aliases.
for fam in AF_INET AF_INET6; do
	got=$(python3 -c "import socket
s = socket.socket(socket.$fam, socket.SOCK_STREAM, 256)
print(s.getsockopt(socket.SOL_SOCKET, socket.SO_PROTOCOL))" 2>&1)
	if [ "$got" = 256 ] && grep -q '^smc ' /proc/modules; then
		ok "socket($fam, SOCK_STREAM, IPPROTO_SMC) autoloads smc"
	else
		fail "socket($fam, SOCK_STREAM, IPPROTO_SMC) autoloads smc: $got"
	fi
	for _ in $(seq 50); do rmmod smc 2>/dev/null && break; sleep 0.1; done
done

# inet_sock_destruct() complains about sockets freed in a bad state; the
# guest's own log check does not look for this.
expect_eq "kernel log: no 'Attempt to release'" 0 \
	"$(dmesg | tail -n +$((klog_start + 1)) | grep -c 'Attempt to release')"
tap_exit
