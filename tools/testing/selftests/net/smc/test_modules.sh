#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Our modules load and unload cleanly, many times over, and the AF_SMC
# family appears and disappears with them. Leaks or refcount problems show
# up as an rmmod failure or in the kernel log (checked by the guest).
source "$(dirname "$0")/lib.sh"

ROUNDS=20
mapfile -t mods < <(ls /lib/modules/"$(uname -r)"/updates/smc-ng/ 2>/dev/null |
		    sed -n 's/\.ko$//p' | tr - _)
# Dependents first when unloading: smc_diag and device drivers use smc.
unload_order=()
for m in "${mods[@]}"; do
	[ "$m" = smc ] || unload_order+=("$m")
done
unload_order+=(smc)

tap_plan 8

if [ ${#mods[@]} -ge 2 ] && [[ " ${mods[*]} " == *" smc "* ]] &&
   [[ " ${mods[*]} " == *" smc_diag "* ]]; then
	ok "our modules are installed: ${mods[*]}"
else
	fail "our modules are installed: found '${mods[*]}'"
fi

# modprobe must pick ours, not the distribution's smc.ko.
modprobe smc
path=$(modinfo -n smc 2>/dev/null)
case "$path" in
*/updates/smc-ng/*) ok "modprobe smc resolves to ours ($path)" ;;
*) fail "modprobe smc resolves to ours: $path" ;;
esac
modprobe -r smc

bad=0
for i in $(seq $ROUNDS); do
	for m in "${mods[@]}"; do
		modprobe "$m" || { echo "# round $i: modprobe $m failed"; bad=1; }
	done
	grep -q '^SMC ' /proc/net/protocols ||
		{ echo "# round $i: SMC missing from /proc/net/protocols"; bad=1; }
	for m in "${unload_order[@]}"; do
		modprobe -r "$m" || { echo "# round $i: modprobe -r $m failed"; bad=1; }
	done
	for m in "${mods[@]}"; do
		if grep -q "^$m " /proc/modules; then
			echo "# round $i: $m still loaded"
			bad=1
		fi
	done
	[ $bad -eq 0 ] || break
done
if [ $bad -eq 0 ]; then
	ok "load and unload all modules $ROUNDS times"
else
	fail "load and unload all modules $ROUNDS times"
fi

# With smc.ko gone, AF_SMC is gone too (and nothing autoloads it here).
grep -q '^SMC ' /proc/net/protocols && fail "SMC proto unregistered" ||
	ok "SMC proto unregistered after unload"

# socket(AF_SMC) autoloads smc through the net-pf-43 alias.
python3 -c 'import socket; socket.socket(43, socket.SOCK_STREAM, 0).close()'
if grep -q '^smc ' /proc/modules; then
	ok "socket(AF_SMC) autoloads smc"
else
	fail "socket(AF_SMC) autoloads smc"
fi

# A socket left open pins the module; closing it releases the pin.
ready=$(mktemp -u)
python3 - "$ready" <<'PY' &
import socket, sys, time
s = socket.socket(43, socket.SOCK_STREAM, 0)
open(sys.argv[1], "w").close()
time.sleep(2)
s.close()
PY
holder=$!
for _ in $(seq 100); do [ -e "$ready" ] && break; sleep 0.1; done
if modprobe -r smc 2>/dev/null; then
	fail "an open AF_SMC socket keeps smc loaded"
else
	wait $holder
	check "smc unloads once the socket is closed" modprobe -r smc
fi

# A socket that fell back to TCP before listen() (TCP_FASTOPEN does that)
# listens as TCP, and TCP copies its callbacks into every connection it
# accepts. Those connections are plain TCP: they must keep working, and
# not call into smc.ko, once the listener is closed and the module gone.
modprobe smc
res=$(timeout 60 python3 - <<'PY' 2>&1
import socket, subprocess, time
IPPROTO_SMC = 256
ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM, IPPROTO_SMC)
ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
ls.setsockopt(socket.IPPROTO_TCP, socket.TCP_FASTOPEN, 5)
ls.bind(("127.0.0.1", 7350))
ls.listen(4)
c = socket.create_connection(("127.0.0.1", 7350))
s, _ = ls.accept()
ls.close()
unloaded = 0
for _ in range(100):
	if subprocess.run(["modprobe", "-r", "smc"]).returncode == 0:
		unloaded = 1
		break
	time.sleep(0.1)
s.settimeout(10)
c.settimeout(10)
c.sendall(b"ping")
got = s.recv(4)
s.sendall(b"pong")
back = c.recv(4)
s.close()
c.close()
print("unloaded=%d got=%s back=%s" % (unloaded, got, back))
PY
)
echo "# $res"
expect_eq "connections of a listener that fell back outlive smc.ko" \
	"unloaded=1 got=b'ping' back=b'pong'" "$res"
# The same for a Fast Open connection: TCP hands it to accept() before its
# handshake ends, with no event of its own yet. Its final ACK is held back
# (dropped on lo) until the listener is closed and smc.ko unloaded.
modprobe smc
tfo_was=$(cat /proc/sys/net/ipv4/tcp_fastopen)
echo 519 >/proc/sys/net/ipv4/tcp_fastopen
res=$(timeout 60 python3 - <<'PY' 2>&1
import socket, subprocess, time
IPPROTO_SMC = 256
def sh(cmd):
	return subprocess.run(cmd, shell=True).returncode
ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM, IPPROTO_SMC)
ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
ls.setsockopt(socket.IPPROTO_TCP, socket.TCP_FASTOPEN, 5)
ls.bind(("127.0.0.1", 7351))
ls.listen(4)
held = sh("tc qdisc add dev lo root handle 1: prio && "
	  "tc filter add dev lo parent 1: protocol ip prio 1 u32 "
	  "match ip dport 7351 0xffff match u8 0x10 0xff at 33 action drop") == 0
c = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
c.sendto(b"ping", socket.MSG_FASTOPEN, ("127.0.0.1", 7351))
s, _ = ls.accept()
state = s.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 8)[0]
ls.close()
unloaded = 0
for _ in range(100):
	if sh("modprobe -r smc") == 0:
		unloaded = 1
		break
	time.sleep(0.1)
sh("tc qdisc del dev lo root")
s.settimeout(10)
c.settimeout(10)
got = s.recv(4)
s.sendall(b"pong")
back = c.recv(4)
time.sleep(2)
final = s.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 8)[0]
s.close()
c.close()
print("held=%d syn_recv=%d unloaded=%d got=%s back=%s established=%d" %
      (held, state == 3, unloaded, got, back, final == 1))
PY
)
echo "$tfo_was" >/proc/sys/net/ipv4/tcp_fastopen
echo "# $res"
expect_eq "a Fast Open connection accepted mid-handshake outlives smc.ko" \
	"held=1 syn_recv=1 unloaded=1 got=b'ping' back=b'pong' established=1" "$res"
tap_exit
