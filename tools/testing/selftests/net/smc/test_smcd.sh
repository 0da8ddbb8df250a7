#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 420
#
# The SMC-D data path over the loopback device: AF_SMC pairs in one kernel
# negotiate SMC-Dv2, pick the loopback device and stream through shared
# memory. Every transfer is verified byte for byte, and the path each end
# took is read back through sock_diag (path=smcd, no fallback reason),
# never assumed. Also: IPv6 and v4-mapped addresses, many connections at
# once and in quick succession, two network namespaces, and the device
# module removed under load (the connections end with ECONNRESET, nothing
# hangs, and new connections fall back to TCP).
source "$(dirname "$0")/lib.sh"

stream=$SMC_TOOLS/smc_stream

tap_plan 45

if modprobe smc && modprobe smc_diag && modprobe smc_loopback; then
	ok "modprobe smc smc_diag smc_loopback"
else
	fail "modprobe smc smc_diag smc_loopback"
	tap_exit
fi


# on_smcd NAME: both ends report SMC-D and no fallback reason.
on_smcd()
{
	local s=/tmp/$1.srv c=/tmp/$1.cli
	expect_eq "$1: both ends on SMC-D, no fallback reason" \
		"smcd 0x00000000 smcd 0x00000000" \
		"$(stream_field "$s" path) $(stream_field "$s" reason) $(stream_field "$c" path) $(stream_field "$c" reason)"
}

check "IPv4, 64 MiB one way in 64 KiB writes, verified" \
	stream_pair big -p 7201 -n 64M -V -- -c 127.0.0.1 -p 7201 -n 64M -V
on_smcd big

check "IPv4, 16 MiB each way at once, random write and read sizes, verified" \
	stream_pair duplex -p 7202 -n 16M -d -V -w 1:200000 -r 1:100000 -s 7 -- \
	-c 127.0.0.1 -p 7202 -n 16M -d -V -w 1:200000 -r 1:100000 -s 7
on_smcd duplex

check "IPv4, small writes into a small buffer (1-17 bytes, 64 KiB total)" \
	stream_pair small -p 7203 -n 64K -d -V -w 1:17 -r 1:5 -- \
	-c 127.0.0.1 -p 7203 -n 64K -d -V -w 1:17 -r 1:5
on_smcd small

check "IPv4, a single byte each way" \
	stream_pair one -p 7204 -n 1 -d -V -- -c 127.0.0.1 -p 7204 -n 1 -d -V
on_smcd one

check "IPv6 ::1, 8 MiB each way, random sizes, verified" \
	stream_pair v6 -6 -p 7205 -n 8M -d -V -w 1:70000 -r 1:70000 -- \
	-6 -c ::1 -p 7205 -n 8M -d -V -w 1:70000 -r 1:70000
on_smcd v6

check "IPv4-mapped IPv6 address, 4 MiB each way, verified" \
	stream_pair mapped -6 -p 7206 -n 4M -d -V -- -6 -c ::ffff:127.0.0.1 -p 7206 -n 4M -d -V
on_smcd mapped

check "16 parallel x 10 sequential connections, 1 MiB each way, verified" \
	stream_pair many -p 7207 -P 16 -C 10 -n 1M -d -V -- -c 127.0.0.1 -p 7207 -P 16 -C 10 -n 1M -d -V
expect_eq "many: 160 connections served" 160 "$(stream_field /tmp/many.srv conns)"
on_smcd many

check "1000 connections at once, 256 KiB each way, verified" \
	stream_pair thousand -p 7208 -P 1000 -n 256K -d -V -- -c 127.0.0.1 -p 7208 -P 1000 -n 256K -d -V
expect_eq "thousand: 1000 connections served" 1000 "$(stream_field /tmp/thousand.srv conns)"
on_smcd thousand

# Short connections: each one's path is checked (-A), so that a link group
# or DMB left over from the one before can not push the next onto TCP.
check "10000 short connections (connect, 1 byte each way, close), 4 threads" \
	stream_pair rate -p 7209 -R -A -P 4 -C 2500 -- -c 127.0.0.1 -p 7209 -R -A -P 4 -C 2500
expect_eq "rate: 10000 connections served" 10000 "$(stream_field /tmp/rate.srv conns)"
on_smcd rate

# TCP segments sent in this namespace so far (both ends of a loopback pair).
tcp_out_segs()
{
	awk '/^Tcp:/ { if (!h) { for (i = 1; i <= NF; i++) if ($i == "OutSegs") c = i; h = 1 }
		       else print $c }' /proc/net/snmp
}

# The CLC messages' acknowledgments ride on their answers, the TCP
# handshake's last one on the PROPOSAL: a short SMC-D connection (connect,
# a byte each way, close) costs TCP 9 segments, where a segment for each
# acknowledgment made 11 (plain TCP: 10). A delayed-ACK timer that fires
# on a slow machine adds one now and then, hence the margin.
segs0=$(tcp_out_segs)
check "200 short connections one after the other" \
	stream_pair segs -p 7213 -R -A -C 200 -- -c 127.0.0.1 -p 7213 -R -A -C 200
segs=$(( ($(tcp_out_segs) - segs0) * 10 / 200 ))
if [ "$segs" -le 95 ]; then
	ok "segs: TCP segments per SMC-D connection: $((segs / 10)).$((segs % 10)), at most 9.5"
else
	fail "segs: TCP segments per SMC-D connection: $((segs / 10)).$((segs % 10)), more than 9.5"
fi

# A server that closes as soon as it has answered, while the client
# closes too: the client's FIN goes out before the CDC that tells the
# server, so the server's FIN acknowledges it (three segments, as TCP's
# close). A CDC first had both FINs cross now and then, a fourth segment
# (in 5 to 25 % of connections). One in 50 is left for delayed-ACK timers.
segs0=$(tcp_out_segs)
check "1000 short connections, both ends closing at once" \
	stream_pair segs2 -p 7214 -R -C 1000 -- -c 127.0.0.1 -p 7214 -R -C 1000
extra=$(( $(tcp_out_segs) - segs0 - 9 * 1000 ))
if [ "$extra" -le 20 ]; then
	ok "segs2: TCP segments beyond 9 per connection: $extra in 1000 connections, at most 20"
else
	fail "segs2: TCP segments beyond 9 per connection: $extra in 1000 connections, more than 20"
fi

check "1-byte ping-pong, 2000 round trips" \
	stream_pair pp -p 7210 -L -n 2000 -- -c 127.0.0.1 -p 7210 -L -n 2000
on_smcd pp

# Two network namespaces joined by a veth pair: the loopback device serves
# any namespaces of this kernel, through a TCP connection both really have.
ip netns add smcd-a && ip netns add smcd-b &&
	ip link add va netns smcd-a type veth peer name vb netns smcd-b &&
	ip -n smcd-a addr add 10.20.0.1/24 dev va &&
	ip -n smcd-b addr add 10.20.0.2/24 dev vb &&
	ip -n smcd-a link set va up && ip -n smcd-b link set vb up &&
	ip -n smcd-a link set lo up && ip -n smcd-b link set lo up
NS_SRV="ip netns exec smcd-a" NS_CLI="ip netns exec smcd-b" \
	check "two namespaces: 8 MiB each way across a veth pair, verified" \
	stream_pair netns -p 7211 -n 8M -d -V -- -c 10.20.0.1 -p 7211 -n 8M -d -V
on_smcd netns
ip netns del smcd-a
ip netns del smcd-b

# The device goes away under load: both ends fail with ECONNRESET at once,
# instead of hanging, and everything is given back.
"$stream" -l -q -p 7212 -n 8G -d -t 60 >/tmp/rm.srv 2>&1 &
spid=$!
"$stream" -q -c 127.0.0.1 -p 7212 -n 8G -d -t 60 >/tmp/rm.cli 2>&1 &
cpid=$!
sleep 1.5
start=$(date +%s%N)
check "rmmod smc_loopback under load" rmmod smc_loopback
wait $spid
src=$?
wait $cpid
crc=$?
secs=$(( ($(date +%s%N) - start) / 1000000 ))
sed 's/^/# /' /tmp/rm.srv /tmp/rm.cli
if [ $src -eq 1 ] && [ $crc -eq 1 ] && [ $secs -lt 5000 ]; then
	ok "device removed: both ends failed at once (${secs} ms)"
else
	fail "device removed: both ends failed at once (server $src, client $crc, ${secs} ms)"
fi
# As after a TCP reset: the first call to notice gets ECONNRESET, a send
# racing with it on another thread may see EPIPE.
saw=0
for f in /tmp/rm.srv /tmp/rm.cli; do
	grep -qE 'ECONNRESET|EPIPE' "$f" && saw=$((saw + 1))
done
expect_eq "device removed: both ends saw the reset (ECONNRESET or EPIPE)" 2 "$saw"

# Without the device, AF_SMC falls back to TCP as before, with the reason.
check "no device: 1 MiB each way over TCP, verified" \
	stream_pair nodev -p 7213 -n 1M -d -V -- -c 127.0.0.1 -p 7213 -n 1M -d -V
expect_eq "no device: client falls back with NOSMCDEV" "tcp 0x03030000" \
	"$(stream_field /tmp/nodev.cli path) $(stream_field /tmp/nodev.cli reason)"

# And with it back, SMC-D again.
modprobe smc_loopback
check "device back: 1 MiB each way, verified" \
	stream_pair back -p 7214 -n 1M -d -V -- -c 127.0.0.1 -p 7214 -n 1M -d -V
on_smcd back

# An ICMP error for the TCP connection underneath, with IP_RECVERR on: TCP
# reports it once and goes on, and so must a connection over SMC-D (which
# before ended as if TCP had died). A packet socket on lo learns the
# client's next sequence number, which the error must quote; a TCP pair
# shows that the error arrives. Both ends are IPPROTO_SMC sockets, which
# Python can address.
cat >/tmp/icmp_err.py <<'PY'
import socket, struct, sys

proto = 256 if sys.argv[1] == "smc" else 0
sniff = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3))
sniff.bind(("lo", 0))
sniff.settimeout(0.3)
srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM, proto)
srv.bind(("127.0.0.1", 0))
srv.listen(1)
port = srv.getsockname()[1]
c = socket.socket(socket.AF_INET, socket.SOCK_STREAM, proto)
c.setsockopt(socket.IPPROTO_IP, 11, 1)		# IP_RECVERR
c.connect(("127.0.0.1", port))
s, _ = srv.accept()
s.sendall(b"x")
c.recv(1)
cport = c.getsockname()[1]
nxt = None
try:
	while True:
		pkt = sniff.recv(65535)
		ip = pkt[14:]
		if pkt[12:14] != b"\x08\x00" or ip[9] != 6:
			continue
		ihl = (ip[0] & 15) * 4
		tcp = ip[ihl:]
		sp, dp, seq = struct.unpack("!HHI", tcp[:8])
		if (sp, dp) != (cport, port):
			continue
		plen = struct.unpack("!H", ip[2:4])[0] - ihl - (tcp[12] >> 4) * 4
		nxt = (seq + plen + (1 if tcp[13] & 3 else 0)) & 0xffffffff
except socket.timeout:
	pass

def csum(b):
	n = sum(struct.unpack("!%dH" % (len(b) // 2), b))
	n = (n >> 16) + (n & 0xffff)
	return ~(n + (n >> 16)) & 0xffff

lo = socket.inet_aton("127.0.0.1")
inner = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 48, 0, 0, 64, 6, 0, lo, lo)
inner += struct.pack("!HHI", cport, port, nxt)
msg = struct.pack("!BBHI", 3, 1, 0, 0) + inner	# host unreachable
msg = msg[:2] + struct.pack("!H", csum(msg)) + msg[4:]
raw = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
raw.sendto(msg, ("127.0.0.1", 0))

def attempt(f):
	try:
		f()
		return "ok"
	except OSError as e:
		return e.strerror.replace(" ", "_")

# TCP reports the error to the first call, then goes on.
first = attempt(lambda: c.send(b"a"))
again = attempt(lambda: c.sendall(b"bc"))
got = b""
s.settimeout(3)
try:
	while len(got) < 3:
		d = s.recv(3 - len(got))
		if not d:
			break
		got += d
except OSError:
	pass
back = attempt(lambda: s.sendall(b"back"))
c.settimeout(3)
echo = attempt(lambda: c.recv(4))
# SO_PROTOCOL: IPPROTO_SMC while over SMC-D, TCP's after a fallback.
print("proto=%d first=%s again=%s delivered=%d back=%s reply=%s" %
      (c.getsockopt(socket.SOL_SOCKET, 38), first, again, len(got), back,
       echo))
PY
out=$(python3 /tmp/icmp_err.py tcp 2>&1)
echo "# tcp: $out"
case $out in
proto=6\ first=No_route_to_host\ again=ok*) ok "ICMP error, TCP control: TCP reports it once and goes on" ;;
*) fail "ICMP error, TCP control: TCP reports it once and goes on: $out" ;;
esac
out=$(python3 /tmp/icmp_err.py smc 2>&1)
echo "# smcd: $out"
case $out in
proto=256\ first=*\ again=ok\ delivered=*\ back=ok\ reply=ok) ok "ICMP error with IP_RECVERR: the connection over SMC-D goes on" ;;
*) fail "ICMP error with IP_RECVERR: the connection over SMC-D goes on: $out" ;;
esac

# sock_diag's cursors as 6.1 fills them (smcss -e shows them): rx_* is
# the CDC the peer last sent, its producer and consumer cursors; tx_* are
# ours. The client sends 3 bytes, the server reads them and sends none.
cat >/tmp/cursors.py <<'PY'
import os, socket, subprocess, sys

srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM, 256)
srv.bind(("127.0.0.1", 0))
srv.listen(1)
c = socket.socket(socket.AF_INET, socket.SOCK_STREAM, 256)
c.connect(srv.getsockname())
a, _ = srv.accept()
c.sendall(b"abc")
got = b""
while len(got) < 3:
	got += a.recv(3 - len(got))

def conninfo(s, keys):
	ino = str(os.fstat(s.fileno()).st_ino)
	out = subprocess.run([sys.argv[1], "-i", ino, "-e", "1"],
			     capture_output=True, text=True).stdout.split()
	ci = [f[len("conninfo="):] for f in out if f.startswith("conninfo=")]
	d = dict(kv.split(":", 1) for kv in ci[0].split(",")) if ci else {}
	return " ".join("%s=%s" % (k, d.get(k, "?")) for k in keys)

# The client's rx_cons waits for the server to report its reading, which
# three bytes do not call for.
print("server %s; client %s" %
      (conninfo(a, ("rx_prod", "rx_cons", "tx_prod", "tx_cons")),
       conninfo(c, ("rx_prod", "tx_prod", "tx_cons"))))
PY
expect_eq "sock_diag cursors as 6.1's: rx_cons the peer's, tx_cons ours" \
	"server rx_prod=0:3 rx_cons=0:0 tx_prod=0:0 tx_cons=0:3; client rx_prod=0:0 tx_prod=0:3 tx_cons=0:0" \
	"$(python3 /tmp/cursors.py "$SMC_TOOLS/smc_diag_dump" 2>&1)"

# IPsec asked for on the connection (IP_XFRM_POLICY, an outbound "allow"
# policy with no transforms, enough to count) opts it out of SMC, as
# in-tree: shared memory would carry the data around the policy. The side
# with the policy declines with IPSEC; the other sees its DECLINE. A
# listener's policy goes to each connection it accepts.
cat >/tmp/ipsec.py <<'PY'
import socket, struct, subprocess, sys

IPPROTO_SMC, IP_XFRM_POLICY, XFRM_POLICY_OUT = 256, 17, 1
diag, port = sys.argv[1], int(sys.argv[2])

def policy(s):
	sel = bytes(32) + struct.pack("=HHHHHBBB3xiI", 0, 0, 0, 0,
				      socket.AF_INET, 0, 0, 0, 0, 0)
	info = sel + bytes(64 + 32) + struct.pack("=IIBBBB4x", 0, 0,
						  XFRM_POLICY_OUT, 0, 0, 0)
	s.setsockopt(socket.IPPROTO_IP, IP_XFRM_POLICY, info)

def reasons(port):
	out = subprocess.run([diag], capture_output=True, text=True).stdout
	res = {}
	for line in out.splitlines():
		f = dict(kv.split("=", 1) for kv in line.split() if "=" in kv)
		if f.get("local", "").endswith(":%d" % port):
			res.setdefault("server", f.get("fallback"))
		elif f.get("peer", "").endswith(":%d" % port):
			res["client"] = f.get("fallback")
	return "client=%s server=%s" % (res.get("client"), res.get("server"))

for side in ("client", "listener"):
	ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM, IPPROTO_SMC)
	ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
	if side == "listener":
		policy(ls)
	ls.bind(("127.0.0.1", port))
	ls.listen(1)
	c = socket.socket(socket.AF_INET, socket.SOCK_STREAM, IPPROTO_SMC)
	if side == "client":
		policy(c)
	c.connect(("127.0.0.1", port))
	a, _ = ls.accept()
	c.sendall(b"ping")
	a.sendall(a.recv(4))
	print("%s: %s %s" % (side, c.recv(4).decode(), reasons(port)))
	for s in (c, a, ls):
		s.close()
	port += 1
PY
modprobe xfrm_user
res=$(python3 /tmp/ipsec.py "$SMC_TOOLS/smc_diag_dump" 7216 2>&1)
printf '# %s\n' "${res//$'\n'/$'\n'# }"
expect_eq "IPsec policy on the client: it declines with IPSEC" \
	"client: ping client=0x03020000/0x00000000 server=0x05000000/0x03020000" \
	"$(echo "$res" | grep '^client:')"
expect_eq "IPsec policy on the listener: the server declines with IPSEC" \
	"listener: ping client=0x05000000/0x03020000 server=0x03020000/0x00000000" \
	"$(echo "$res" | grep '^listener:')"

# The TCP connection under a connection over SMC-D is killed (ss -K, as an
# operator would): each end reports it as TCP's ends do, POLLERR with the
# error in SO_ERROR at once (not 0 until a call took it in), then POLLERR
# gone once SO_ERROR told it, and EOF.
cat >/tmp/killed.py <<'PY'
import errno, select, socket, subprocess, sys, time

port = int(sys.argv[1])

def pair(proto):
	ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM, proto)
	ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
	ls.bind(("127.0.0.1", port))
	ls.listen(1)
	c = socket.socket(socket.AF_INET, socket.SOCK_STREAM, proto)
	c.connect(("127.0.0.1", port))
	a, _ = ls.accept()
	ls.close()
	c.sendall(b"x")
	a.recv(1)
	return c, a

def events(s):
	p = select.poll()
	p.register(s, select.POLLIN | select.POLLOUT)
	return dict(p.poll(0)).get(s.fileno(), 0)

def report(s):
	deadline = time.monotonic() + 5
	while not events(s) & select.POLLERR and time.monotonic() < deadline:
		time.sleep(0.01)
	first = "POLLERR" if events(s) & select.POLLERR else "-"
	err = s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
	after = "POLLERR" if events(s) & select.POLLERR else "-"
	try:
		got = "EOF" if not s.recv(1) else "data"
	except OSError as e:
		got = errno.errorcode[e.errno]
	return "%s %s %s %s" % (first, errno.errorcode.get(err, err), after, got)

for name, proto in (("tcp", 0), ("smc", 256)):
	c, a = pair(proto)
	subprocess.run(["ss", "-K", "dst", "127.0.0.1", "dport", "=",
			":%d" % port], capture_output=True)
	print("%s: client %s; server %s" % (name, report(c), report(a)))
	c.close()
	a.close()
	port += 1
PY
res=$(python3 /tmp/killed.py 7218 2>&1)
printf '# %s\n' "${res//$'\n'/$'\n'# }"
tcp=$(echo "$res" | sed -n 's/^tcp: //p')
if [ -n "$tcp" ] && [ "${tcp#client POLLERR ECONNABORTED}" != "$tcp" ]; then
	ok "TCP killed with ss -K: TCP's own sockets report it ($tcp)"
else
	fail "TCP killed with ss -K: TCP's own sockets report it ($tcp)"
fi
expect_eq "TCP killed with ss -K: both ends over SMC-D report it as TCP's" \
	"$tcp" "$(echo "$res" | sed -n 's/^smc: //p')"

sleep 1
expect_eq "no AF_SMC socket left" "0 0" "$(proto_sockets SMC) $(proto_sockets SMC6)"
tap_exit
