#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 240
#
# smc_run: unchanged programs (Python's socket module here) get AF_SMC
# sockets for their TCP sockets and run over SMC-D; other sockets are left
# alone; the buffer variables reach only converted sockets; without AF_SMC
# the program still gets its TCP socket; the wrapper rejects bad options.
source "$(dirname "$0")/lib.sh"

repo=${SMC_REPO:-$(cd "$(dirname "$0")/../../../../.." && pwd)}
run=$repo/tools/smc_run/smc_run
py=/tmp/smc_run_probe.py

tap_plan 18

modprobe smc && modprobe smc_diag && modprobe smc_loopback ||
	fail "modprobe smc smc_diag smc_loopback"

# A small echo pair with what each end observes of its sockets.
cat >"$py" <<'EOF'
import socket, sys, threading

def family(s):
    return s.getsockopt(socket.SOL_SOCKET, socket.SO_DOMAIN)

srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
srv.bind(("127.0.0.1", 0))
srv.listen(4)
port = srv.getsockname()[1]
out = {}

def serve():
    c, _ = srv.accept()
    data = b""
    while len(data) < 1 << 20:
        data += c.recv(65536)
    c.sendall(data)
    out["accepted"] = family(c)
    c.close()

t = threading.Thread(target=serve)
t.start()
cli = socket.create_connection(("127.0.0.1", port))
payload = bytes(range(256)) * 4096
cli.sendall(payload)
back = b""
while len(back) < len(payload):
    back += cli.recv(65536)
t.join()
udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
print("echo", "ok" if back == payload else "CORRUPT")
print("listener", family(srv), "client", family(cli), "accepted", out["accepted"])
print("udp", family(udp), udp.getsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF))
print("client_rcvbuf", cli.getsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF))
EOF

field()
{
	sed -n "s/^$2 //p" "$1"
}

# Over SMC-D the sockets stay AF_SMC (43); after a fallback they would
# read as AF_INET (2), so this also tells which path was taken.
"$run" python3 "$py" >/tmp/run.out 2>&1
rc=$?
sed 's/^/# /' /tmp/run.out
expect_eq "python3 echo under smc_run exits 0" 0 "$rc"
expect_eq "1 MiB echoed intact" ok "$(field /tmp/run.out echo)"
expect_eq "listener, client and accepted sockets are AF_SMC over SMC-D" \
	"43 client 43 accepted 43" "$(field /tmp/run.out listener)"
expect_eq "a UDP socket is left alone" 2 \
	"$(field /tmp/run.out udp | cut -d' ' -f1)"

# -r reaches the converted sockets only (the kernel doubles SO_RCVBUF).
"$run" -r 256K python3 "$py" >/tmp/run.buf 2>&1
sed 's/^/# /' /tmp/run.buf
expect_eq "-r 256K: the converted client socket has 2 x 256 KiB" 524288 \
	"$(field /tmp/run.buf client_rcvbuf)"
udp_default=$(python3 -c 'import socket; print(socket.socket(socket.AF_INET, socket.SOCK_DGRAM).getsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF))')
expect_eq "-r 256K: the UDP socket keeps its default" "$udp_default" \
	"$(field /tmp/run.buf udp | cut -d' ' -f2)"

# Sizes are decimal, with leading zeros too (the library reads them so):
# net.core.rmem_max is raised to 512 KiB, not to an octal 330 KiB.
"$run" -r 0512K python3 "$py" >/tmp/run.buf0 2>&1
expect_eq "-r 0512K: the converted client socket has 2 x 512 KiB" 1048576 \
	"$(field /tmp/run.buf0 client_rcvbuf)"

# -d: the library says what it does.
"$run" -d python3 -c 'import socket; socket.socket()' 2>/tmp/run.dbg
expect_eq "-d: one 'map sock to AF_SMC' line" 1 \
	"$(grep -c 'libsmc-preload: map sock to AF_SMC' /tmp/run.dbg)"

# Without AF_SMC (the module gone and its autoload refused) the program
# still gets a working TCP socket, and -d says why.
# Sockets of the steps above may still be on their way out: wait for them.
for _ in $(seq 100); do
	rmmod smc_loopback smc_diag smc 2>/dev/null
	grep -q '^smc ' /proc/modules || break
	sleep 0.1
done
grep -q '^smc ' /proc/modules && echo "# smc still loaded: $(grep '^smc ' /proc/modules)"
echo "install smc /bin/false" >/etc/modprobe.d/zz-no-smc.conf
"$run" -d python3 "$py" >/tmp/run.nosmc 2>&1
sed 's/^/# /' /tmp/run.nosmc
expect_eq "without AF_SMC: the echo still works" ok "$(field /tmp/run.nosmc echo)"
expect_eq "without AF_SMC: plain AF_INET sockets" \
	"2 client 2 accepted 2" "$(field /tmp/run.nosmc listener)"
expect_eq "without AF_SMC: -d explains" yes \
	"$(grep -q 'AF_SMC unavailable' /tmp/run.nosmc && echo yes)"
rm -f /etc/modprobe.d/zz-no-smc.conf

# errno as the program left it after a successful socket(), and the
# kernel's module autoload (modprobe for every attempt) not asked for
# each socket: 50 sockets in a row make at most a couple of attempts.
cat >/tmp/smc_run_errno.py <<'EOF'
import ctypes, socket
libc = ctypes.CDLL(None, use_errno=True)
bad = 0
for _ in range(50):
    ctypes.set_errno(1234)
    fd = libc.socket(socket.AF_INET, socket.SOCK_STREAM, 0)
    if fd < 0 or ctypes.get_errno() != 1234:
        bad += 1
    libc.close(fd)
print("errno_changed=%d" % bad)
EOF
echo "install smc echo x >>/tmp/smc_run.modprobe; /bin/false" \
	>/etc/modprobe.d/zz-no-smc.conf
rm -f /tmp/smc_run.modprobe
expect_eq "without AF_SMC: errno untouched by a successful socket()" \
	errno_changed=0 "$("$run" python3 /tmp/smc_run_errno.py 2>&1)"
n=$(wc -l </tmp/smc_run.modprobe 2>/dev/null || echo 0)
if [ "$n" -ge 1 ] && [ "$n" -le 3 ]; then
	ok "without AF_SMC: $n module load attempt(s) for 50 sockets"
else
	fail "without AF_SMC: $n module load attempts for 50 sockets"
fi
rm -f /etc/modprobe.d/zz-no-smc.conf /tmp/smc_run.modprobe
modprobe smc
expect_eq "with AF_SMC: errno untouched by a successful socket()" \
	errno_changed=0 "$("$run" python3 /tmp/smc_run_errno.py 2>&1)"

# A kernel without IPv6 (ipv6.disable=1) refuses AF_SMC's IPv6 sockets
# with EAFNOSUPPORT, as it refuses TCP's: that is no reason to keep IPv4
# sockets off AF_SMC. A shim behind the library plays such a kernel.
cat >/tmp/no_ipv6.c <<'EOF'
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <sys/socket.h>

int socket(int domain, int type, int protocol)
{
	static int (*next)(int, int, int);

	if (!next)
		next = (int (*)(int, int, int))dlsym(RTLD_NEXT, "socket");
	if (domain == AF_INET6 || (domain == 43 && protocol == 1)) {
		errno = EAFNOSUPPORT;
		return -1;
	}
	return next(domain, type, protocol);
}
EOF
cat >/tmp/no_ipv6.py <<'EOF'
import socket
got = []
for _ in range(5):
    try:
        socket.socket(socket.AF_INET6, socket.SOCK_STREAM).close()
        got.append("v6")
    except OSError:
        pass
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    got.append(str(s.getsockopt(socket.SOL_SOCKET, socket.SO_DOMAIN)))
    s.close()
print(" ".join(got))
EOF
if gcc -shared -fPIC -o /tmp/no_ipv6.so /tmp/no_ipv6.c -ldl; then
	expect_eq "no IPv6 in the kernel: IPv4 sockets still become AF_SMC" \
		"43 43 43 43 43" \
		"$(LD_PRELOAD="$repo/tools/smc_run/libsmc-preload.so /tmp/no_ipv6.so" python3 /tmp/no_ipv6.py 2>&1)"
else
	fail "no IPv6 in the kernel: the shim does not build"
fi

# The wrapper's own errors.
"$run" -r 12x true 2>/tmp/run.err
expect_eq "a bad size is refused" \
	"smc_run: Error: Invalid buffer size specified: '12x'" "$(head -n 1 /tmp/run.err)"
"$run" 2>/tmp/run.err
expect_eq "a missing command is refused" \
	"smc_run: Error: Missing command parameter" "$(head -n 1 /tmp/run.err)"
expect_eq "-v: the version, the smc tool's" \
	"smc_run utility, smc-ng $("$repo/tools/smc/smc" -V | awk '{ print $NF }')" \
	"$("$run" -v)"
tap_exit
