#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 240
#
# accept() and the server's handshakes, which run beside it in workers.
# Blocking acceptors (one, four at once, with SO_RCVTIMEO running out all
# the time, interrupted by a signal every millisecond) and a listener
# closed while clients connect: each scenario has concurrent clients
# (IPPROTO_SMC sockets) and checks that every connection accept()
# returned was served over SMC-D (sock_diag), its bytes intact, that the
# clients saw the same, and that nothing is left behind.
source "$(dirname "$0")/lib.sh"

diag=$SMC_TOOLS/smc_diag_dump

tap_plan 11

modprobe smc && modprobe smc_diag && modprobe smc_loopback ||
	fail "modprobe smc smc_diag smc_loopback"

# The scenarios' server and clients; one "key=value ..." line per run.
cat >/tmp/accept.py <<'PY'
import errno, os, signal, socket, subprocess, sys, threading, time

IPPROTO_SMC = 256
scenario, port, diag = sys.argv[1], int(sys.argv[2]), sys.argv[3]
CLIENTS, PER = 8, 25			# client threads, connections each
TOTAL = CLIENTS * PER
payload = lambda i: (b"%06d" % i) * 100	# 600 bytes, distinct per conn

def recv_exact(s, n):
	buf = b""
	while len(buf) < n:
		got = s.recv(n - len(buf))
		if not got:
			break
		buf += got
	return buf

def client(k, bad, done):
	for j in range(PER):
		i = k * PER + j
		try:
			s = socket.socket(socket.AF_INET, socket.SOCK_STREAM, IPPROTO_SMC)
			s.settimeout(30)
			s.connect(("127.0.0.1", port))
			s.sendall(payload(i))
			if recv_exact(s, 600) != payload(i):
				bad.append("client %d: echo differs" % i)
			s.close()
			done.append(i)
		except OSError as e:
			if scenario != "close":
				bad.append("client %d: %s" % (i, e))

served, bad, done, lock = [], [], [], threading.Lock()

def serve(c):
	data = recv_exact(c, 600)
	c.sendall(data)
	with lock:
		served.append(c)

def acceptor(ls, stop):
	while not stop.is_set():
		try:
			c, _ = ls.accept()
		except socket.timeout:
			continue		# SO_RCVTIMEO ran out: accept again
		except OSError as e:
			if scenario == "close" or stop.is_set():
				return		# the listener went away
			bad.append("accept: %s" % e)
			return
		c.settimeout(30)
		serve(c)

ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM, IPPROTO_SMC)
ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
ls.bind(("127.0.0.1", port))
ls.listen(64)
threads = 1
if scenario == "timeout":
	ls.settimeout(0.002)		# acceptors keep leaving mid-handshake
elif scenario == "threads":
	threads = 4
elif scenario == "signal":
	# An interval timer interrupts accept() over and over; Python
	# restarts it after the (empty) handler, as a C program would.
	signal.signal(signal.SIGALRM, lambda *a: None)
	signal.setitimer(signal.ITIMER_REAL, 0.001, 0.001)
stop = threading.Event()
acc = [threading.Thread(target=acceptor, args=(ls, stop)) for _ in range(threads)]
for t in acc:
	t.start()
cl = [threading.Thread(target=client, args=(k, bad, done)) for k in range(CLIENTS)]
for t in cl:
	t.start()
if scenario == "close":
	time.sleep(0.05)
	ls.shutdown(socket.SHUT_RDWR)	# wakes the blocked acceptors
	ls.close()
for t in cl:
	t.join()
stop.set()
if scenario == "signal":
	signal.setitimer(signal.ITIMER_REAL, 0)
if scenario != "close":
	# Acceptors blocked with nothing left to accept: wake them.
	ls.shutdown(socket.SHUT_RDWR)
for t in acc:
	t.join()
# Every accepted socket still open: sock_diag tells their path.
out = subprocess.run([diag], capture_output=True, text=True).stdout
smcd = sum(1 for l in out.splitlines()
	   if "local=127.0.0.1:%d " % port in l and "mode=SMCD" in l
	   and "state=ACTIVE" in l)
for c in served:
	c.close()
ls.close()
print("result: served=%d done=%d smcd=%d bad=%d" %
      (len(served), len(done), smcd, len(bad)))
for b in bad[:5]:
	print("# " + b)
PY

# run SCENARIO PORT: the scenario's result line, also shown as a comment.
run()
{
	timeout $((120 * SMC_TIMEOUT_SCALE)) python3 /tmp/accept.py "$1" "$2" \
		"$diag" >"/tmp/accept.$1" 2>&1
	sed 's/^/# /' "/tmp/accept.$1" | grep -v '^# # ' >&2
	grep -v '^result:' "/tmp/accept.$1" >&2
	sed -n 's/^result: //p' "/tmp/accept.$1"
}

n=200
expect_eq "one blocking acceptor: 200 connections served over SMC-D" \
	"served=$n done=$n smcd=$n bad=0" "$(run plain 7301)"
expect_eq "four acceptors at once: all served over SMC-D" \
	"served=$n done=$n smcd=$n bad=0" "$(run threads 7302)"
expect_eq "SO_RCVTIMEO 2 ms, accept() again: all served over SMC-D" \
	"served=$n done=$n smcd=$n bad=0" "$(run timeout 7303)"
expect_eq "a signal every 1 ms in accept(): all served over SMC-D" \
	"served=$n done=$n smcd=$n bad=0" "$(run signal 7304)"

# The listener closed while clients connect: each connection the server
# took is served, the others fail on the client; nothing else may happen.
res=$(run close 7305)
echo "# close: $res"
served=$(echo "$res" | sed -n 's/.*served=\([0-9]*\).*/\1/p')
done_=$(echo "$res" | sed -n 's/.*done=\([0-9]*\).*/\1/p')
check "listener closed mid-run: the script ended" test -n "$served"
expect_eq "listener closed mid-run: served on both ends alike, no error" \
	"bad=0 same" \
	"$(echo "$res" | sed -n 's/.*\(bad=[0-9]*\).*/\1/p') $([ "$served" = "$done_" ] && echo same || echo "$served vs $done_")"

# smc_stream's server blocks in accept(): a rate run through it and a
# sock_diag dump of every connection's path.
check "1000 connections to a blocking accept(), each over SMC-D" \
	stream_pair rate -p 7306 -R -C 1000 -- -c 127.0.0.1 -p 7306 -R -C 1000 -A
expect_eq "rate: the client saw SMC-D on every connection" smcd \
	"$(stream_field /tmp/rate.cli path)"

# Two IPPROTO_SMC listeners share a port (SO_REUSEPORT) with migration
# on; one goes away (close, or shutdown(SHUT_RD)) with connections still
# in its TCP queue. TCP hands them to the other listener: they must not
# carry the first one's hooks there (a use after free, a panic), and the
# other serves them. The first listens alone at first, backlog 1 and
# nobody accepting, so that its TCP queue fills (backlog + 1).
cat >/tmp/migrate.py <<'PY'
import socket, subprocess, sys, time
how, port = sys.argv[1], int(sys.argv[2])
def migrated():
    for line in open("/proc/net/netstat"):
        if line.startswith("TcpExt:") and "TCPMigrateReqSuccess" in line:
            names = line.split()
        elif line.startswith("TcpExt:"):
            return int(line.split()[names.index("TCPMigrateReqSuccess")])
def tcp_queue():
    out = subprocess.run(["ss", "-ltnH", "sport", "= :%d" % port],
                         capture_output=True, text=True).stdout.split()
    return int(out[1]) if len(out) > 1 else 0
def listener():
    l = socket.socket(socket.AF_INET, socket.SOCK_STREAM, 256)
    l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    l.bind(("127.0.0.1", port))
    l.listen(1)
    return l
first = listener()
cs = []
for i in range(4):
    c = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    c.setblocking(False)
    try:
        c.connect(("127.0.0.1", port))
    except BlockingIOError:
        pass
    cs.append(c)
end = time.time() + 10
while tcp_queue() < 2 and time.time() < end:
    time.sleep(0.05)
other = listener()
before = migrated()
if how == "shutdown":
    first.shutdown(socket.SHUT_RD)
first.close()
moved = migrated() - before
# The closed listener's memory goes to new sockets: stale hooks would
# run on what they wrote.
junk = [socket.socket(socket.AF_INET, socket.SOCK_STREAM, 256)
        for _ in range(300)]
for c in cs:
    try:
        c.send(b"m" * 100)
    except OSError:
        pass
other.settimeout(3)
served = bad = 0
try:
    while True:
        a, _ = other.accept()
        a.settimeout(3)
        got = b""
        while len(got) < 100:
            d = a.recv(100 - len(got))
            if not d:
                break
            got += d
        if got == b"m" * 100:
            served += 1
        else:
            bad += 1
        a.close()
except socket.timeout:
    pass
print("moved=%s served_all=%s bad=%d" % (moved, "yes" if served >= moved else
      "no (%d)" % served, bad))
PY
migrate_was=$(cat /proc/sys/net/ipv4/tcp_migrate_req)
echo 1 >/proc/sys/net/ipv4/tcp_migrate_req
expect_eq "SO_REUSEPORT, migration on: a closed listener's queue is served by the other" \
	"moved=2 served_all=yes bad=0" "$(python3 /tmp/migrate.py close 7307 2>&1)"
expect_eq "SO_REUSEPORT, migration on: the same after shutdown(SHUT_RD)" \
	"moved=2 served_all=yes bad=0" "$(python3 /tmp/migrate.py shutdown 7308 2>&1)"
echo "$migrate_was" >/proc/sys/net/ipv4/tcp_migrate_req

# The scenarios' IPPROTO_SMC sockets count as INET_SMC, smc_stream's as SMC.
expect_eq "no SMC socket left" "0 0" \
	"$(wait_sockets INET_SMC 0 5) $(wait_sockets SMC 0 5)"
tap_exit
