#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 180
#
# net.smc sysctls: upstream's names, defaults and ranges; one set per
# network namespace, none seeing another's changes; wmem and rmem size new
# sockets and their DMB; limit_smc_hs sets new sockets' SMC_LIMIT_HS and is
# the switch netlink turns too; smcd_dmb_limit caps a namespace's DMB
# memory (smaller DMBs first, then fallback); only root over the namespace
# may write.
source "$(dirname "$0")/lib.sh"

repo=${SMC_REPO:-$(cd "$(dirname "$0")/../../../../.." && pwd)}
run=$repo/tools/smc_run/smc_run
probe=/tmp/smc_sysctl_probe.py
dir=/proc/sys/net/smc

tap_plan 55

modprobe smc && modprobe smc_diag && modprobe smc_loopback ||
	fail "modprobe smc smc_diag smc_loopback"

# What a new socket reports, and the DMB of a connection it makes: run
# under smc_run so that Python's TCP sockets are AF_SMC ones.
cat >"$probe" <<'EOF'
import os, socket, subprocess, sys
SOL_SMC, SMC_LIMIT_HS = 286, 1
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
assert s.getsockopt(socket.SOL_SOCKET, socket.SO_DOMAIN) == 43
print("sndbuf=%d rcvbuf=%d limit_hs=%d" % (
    s.getsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF),
    s.getsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF),
    s.getsockopt(SOL_SMC, SMC_LIMIT_HS)), end="")
if len(sys.argv) > 1:
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.bind(("127.0.0.1", 0))
    srv.listen(1)
    s.connect(srv.getsockname())
    c, _ = srv.accept()
    s.sendall(b"x")
    c.recv(1)
    ino = str(os.fstat(s.fileno()).st_ino)
    line = subprocess.run([sys.argv[1], "-i", ino, "-e", "1"],
                          capture_output=True, text=True).stdout
    conn = [f for f in line.split() if f.startswith("conninfo=")]
    print(" " + (conn[0] if conn else "conninfo=none"), end="")
print()
EOF

# A quarter of RAM, the default smcd_dmb_limit.
memq=$(($(awk '/^MemTotal/ { print $2 }' /proc/meminfo) * 1024 / 4))

probe()
{
	# shellcheck disable=SC2086
	${NS:-} "$run" python3 "$probe" "$@" 2>&1
}

field()
{
	sed -n "s/.*\\b$1\\([0-9a-fx]*\\).*/\\1/p" <<<"$2"
}

# Defaults, as upstream.
# wmem and rmem start from TCP's defaults, as in recent upstream kernels.
tcp_w=$(awk '{ print $2 }' /proc/sys/net/ipv4/tcp_wmem)
tcp_r=$(awk '{ print $2 }' /proc/sys/net/ipv4/tcp_rmem)
for kv in autocorking_size=65536 wmem=$tcp_w rmem=$tcp_r smcr_buf_type=0 \
	  smcr_testlink_time=30 smcr_max_links_per_lgr=2 \
	  smcr_max_conns_per_lgr=255 limit_smc_hs=0 smcd_dmb_limit=$memq; do
	expect_eq "default ${kv%%=*}" "${kv#*=}" "$(cat "$dir/${kv%%=*}" 2>&1)"
done

# Out of range: refused, value kept.
for kv in wmem=16383 rmem=1000 smcr_buf_type=3 smcr_max_links_per_lgr=0 \
	  smcr_max_links_per_lgr=3 smcr_max_conns_per_lgr=15 \
	  smcr_max_conns_per_lgr=256 limit_smc_hs=2; do
	name=${kv%%=*}
	before=$(cat "$dir/$name")
	if echo "${kv#*=}" >"$dir/$name" 2>/dev/null; then
		fail "$kv accepted"
	else
		expect_eq "$kv refused, value kept" "$before" "$(cat "$dir/$name")"
	fi
done

# Per namespace: a new one starts from the defaults; changes stay home.
ip netns add smc-sysctl
in_ns="ip netns exec smc-sysctl"
echo 32768 >"$dir/wmem" && echo 262144 >"$dir/rmem" &&
	echo 1 >"$dir/limit_smc_hs" && echo 7 >"$dir/smcr_testlink_time"
expect_eq "init netns: values written" "32768 262144 1 7" \
	"$(cat $dir/wmem $dir/rmem $dir/limit_smc_hs $dir/smcr_testlink_time | xargs)"
expect_eq "other netns: still the defaults" "$tcp_w $tcp_r 0 30" \
	"$($in_ns cat $dir/wmem $dir/rmem $dir/limit_smc_hs $dir/smcr_testlink_time | xargs)"
$in_ns sh -c "echo 20000 >$dir/wmem"
expect_eq "other netns: its write stays there" "20000 32768" \
	"$($in_ns cat $dir/wmem) $(cat $dir/wmem)"

# wmem/rmem: new sockets hold twice the value, as upstream; the DMB is
# half the receive buffer (256 KiB here, less the CDC header in the ring).
out=$(probe "$SMC_TOOLS/smc_diag_dump")
echo "# $out"
expect_eq "init netns: SO_SNDBUF is 2 x wmem" 65536 "$(field sndbuf= "$out")"
expect_eq "init netns: SO_RCVBUF is 2 x rmem" 524288 "$(field rcvbuf= "$out")"
expect_eq "init netns: limit_smc_hs on: new socket has SMC_LIMIT_HS" 1 \
	"$(field limit_hs= "$out")"
rmbe=$(field rmbe: "$out")
if [ -n "$rmbe" ] && [ "$rmbe" -gt 250000 ] && [ "$rmbe" -le 262144 ]; then
	ok "rmem 256 KiB: the connection's DMB ring is $rmbe bytes"
else
	fail "rmem 256 KiB: DMB ring '$rmbe' (expected 256 KiB less a header)"
fi
out=$(NS=$in_ns probe)
echo "# $out"
expect_eq "other netns: its own wmem and rmem apply" "40000 $((2 * tcp_r)) 0" \
	"$(field sndbuf= "$out") $(field rcvbuf= "$out") $(field limit_hs= "$out")"
echo 0 >"$dir/limit_smc_hs"
expect_eq "limit_smc_hs off: new socket without SMC_LIMIT_HS" 0 \
	"$(field limit_hs= "$(probe)")"

# rmem 64 KiB (6.1's default) gives a 64 KiB DMB.
echo 65536 >"$dir/rmem"
out=$(probe "$SMC_TOOLS/smc_diag_dump")
rmbe=$(field rmbe: "$out")
if [ -n "$rmbe" ] && [ "$rmbe" -gt 60000 ] && [ "$rmbe" -le 65536 ]; then
	ok "rmem 64 KiB: the DMB ring is $rmbe bytes"
else
	fail "rmem 64 KiB: DMB ring '$rmbe'"
fi

# smcd_dmb_limit, in a namespace of its own: 176 KiB hold one connection
# at 64 KiB a side, then one at 32 + 16 KiB (downgraded), then none: the
# server declines with MAX_DMB and both ends continue over TCP. Closing
# gives the memory back.
cat >/tmp/smc_dmb_probe.py <<'EOF'
import os, socket, subprocess, sys
srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
srv.bind(("127.0.0.1", 0))
srv.listen(8)
def diag(s):
    ino = str(os.fstat(s.fileno()).st_ino)
    line = subprocess.run([sys.argv[1], "-i", ino, "-e", "1"],
                          capture_output=True, text=True).stdout.split()
    get = lambda k: [f.split("=", 1)[1] for f in line if f.startswith(k + "=")]
    mode = (get("mode") or ["?"])[0].split("(")[0]
    fb = (get("fallback") or ["?"])[0]
    ci = get("conninfo")
    rmbe = ci[0].split("rmbe:")[1].split(",")[0] if ci else "-"
    return "%s/%s/%s" % (mode, rmbe, fb)
def conns(n):
    pairs = []
    for _ in range(n):
        c = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        c.connect(srv.getsockname())
        a, _ = srv.accept()
        c.sendall(b"x"); a.recv(1); a.sendall(b"y"); c.recv(1)
        pairs.append((c, a))
    print(" ".join("cli=%s srv=%s" % (diag(c), diag(a)) for c, a in pairs))
    for c, a in pairs:
        c.close(); a.close()
conns(3)
conns(1)
EOF
ip netns add smc-dmb
ip -n smc-dmb link set lo up
ip netns exec smc-dmb sh -c \
	"echo $((176 * 1024)) >$dir/smcd_dmb_limit && echo 65536 >$dir/rmem"
mapfile -t lines < <(ip netns exec smc-dmb "$run" python3 /tmp/smc_dmb_probe.py \
	"$SMC_TOOLS/smc_diag_dump" 2>&1)
printf '# %s\n' "${lines[@]}"
read -r c1 s1 c2 s2 c3 s3 <<<"${lines[0]}"
expect_eq "limit: first connection at full size" \
	"cli=SMCD/65504/0x00000000/0x00000000 srv=SMCD/65504/0x00000000/0x00000000" "$c1 $s1"
expect_eq "limit: second one on smaller DMBs (16 and 32 KiB)" \
	"cli=SMCD/16352/0x00000000/0x00000000 srv=SMCD/32736/0x00000000/0x00000000" "$c2 $s2"
expect_eq "limit: third one on TCP, server declined with MAX_DMB" \
	"cli=TCP/-/0x05000000/0x030d0000 srv=TCP/-/0x030d0000/0x00000000" "$c3 $s3"
expect_eq "limit: memory given back on close, full size again" \
	"cli=SMCD/65504/0x00000000/0x00000000 srv=SMCD/65504/0x00000000/0x00000000" \
	"${lines[1]}"
expect_eq "limit: the init netns is not limited by it" "$memq" \
	"$(cat $dir/smcd_dmb_limit)"
ip netns del smc-dmb

# The initial namespace's limit caps all namespaces together: anyone may
# make namespaces, each starting with a quarter of RAM. The same probe in
# a namespace with its own limit untouched, the host's at 176 KiB.
ip netns add smc-dmb
ip -n smc-dmb link set lo up
ip netns exec smc-dmb sh -c "echo 65536 >$dir/rmem"
echo $((176 * 1024)) >$dir/smcd_dmb_limit
mapfile -t lines < <(ip netns exec smc-dmb "$run" python3 /tmp/smc_dmb_probe.py \
	"$SMC_TOOLS/smc_diag_dump" 2>&1)
echo "$memq" >$dir/smcd_dmb_limit
printf '# %s\n' "${lines[@]}"
expect_eq "host limit: the namespace's own is a quarter of RAM" "$memq" \
	"$(ip netns exec smc-dmb cat $dir/smcd_dmb_limit)"
expect_eq "host limit: full size, smaller DMBs, then TCP with MAX_DMB" \
	"cli=SMCD/65504/0x00000000/0x00000000 srv=SMCD/65504/0x00000000/0x00000000 cli=SMCD/16352/0x00000000/0x00000000 srv=SMCD/32736/0x00000000/0x00000000 cli=TCP/-/0x05000000/0x030d0000 srv=TCP/-/0x030d0000/0x00000000" \
	"${lines[0]}"
expect_eq "host limit: memory given back to both on close" \
	"cli=SMCD/65504/0x00000000/0x00000000 srv=SMCD/65504/0x00000000/0x00000000" \
	"${lines[1]}"
ip netns del smc-dmb

# The cap belongs to the host: root of a user namespace that owns the
# network namespace may lower it, not raise it; the host's root may.
expect_eq "limit: a user namespace's root may lower it, not raise it" \
	"lowered $((memq / 2)) raise refused $((memq / 2))" \
	"$(unshare -Urn sh -c "echo $((memq / 2)) >$dir/smcd_dmb_limit &&
		echo lowered \$(cat $dir/smcd_dmb_limit);
		echo $memq >$dir/smcd_dmb_limit 2>/dev/null ||
		echo raise refused \$(cat $dir/smcd_dmb_limit)" 2>&1 | tr '\n' ' ' |
		sed 's/ $//')"
# A namespace made from inside another is charged there too, up to the
# host's: whoever administers a namespace cannot leave the limit it was
# given by making one of its own. One made from smc-dmb (176 KiB) starts
# at that limit, and even raised (by the host's root) to a quarter of RAM,
# the probe there meets smc-dmb's limit.
ip netns add smc-dmb
ip -n smc-dmb link set lo up
ip netns exec smc-dmb sh -c "echo $((176 * 1024)) >$dir/smcd_dmb_limit"
mapfile -t lines < <(ip netns exec smc-dmb unshare -n sh -c \
	"ip link set lo up && echo 65536 >$dir/rmem && cat $dir/smcd_dmb_limit &&
	 echo $memq >$dir/smcd_dmb_limit &&
	 $run python3 /tmp/smc_dmb_probe.py $SMC_TOOLS/smc_diag_dump" 2>&1)
printf '# %s\n' "${lines[@]}"
expect_eq "nested: a namespace made inside starts at its maker's limit" \
	$((176 * 1024)) "${lines[0]}"
expect_eq "nested: raised, it still meets its maker's: full size, smaller DMBs, then TCP" \
	"cli=SMCD/65504/0x00000000/0x00000000 srv=SMCD/65504/0x00000000/0x00000000 cli=SMCD/16352/0x00000000/0x00000000 srv=SMCD/32736/0x00000000/0x00000000 cli=TCP/-/0x05000000/0x030d0000 srv=TCP/-/0x030d0000/0x00000000" \
	"${lines[1]}"
expect_eq "nested: memory given back up the chain on close" \
	"cli=SMCD/65504/0x00000000/0x00000000 srv=SMCD/65504/0x00000000/0x00000000" \
	"${lines[2]}"
ip netns del smc-dmb

ip netns add smc-dmb
ip netns exec smc-dmb sh -c "echo 4096 >$dir/smcd_dmb_limit"
expect_eq "limit: the host's root may raise it" $((memq * 2)) \
	"$(ip netns exec smc-dmb sh -c "echo $((memq * 2)) >$dir/smcd_dmb_limit; cat $dir/smcd_dmb_limit")"
ip netns del smc-dmb

# TCP's default buffer sizes beyond what net.smc.wmem/rmem accept: a new
# namespace's defaults stay within the range (they read back as values
# that can be written, and a socket's buffer does not overflow).
tcp_rmem=$(cat /proc/sys/net/ipv4/tcp_rmem)
echo "4096 1610612736 1610612736" >/proc/sys/net/ipv4/tcp_rmem
ip netns add smc-big
echo "$tcp_rmem" >/proc/sys/net/ipv4/tcp_rmem
expect_eq "rmem default: TCP's 1.5 GiB clamped to the range, writable" \
	"1073741823 1073741823" \
	"$(ip netns exec smc-big sh -c "cat $dir/rmem; cat $dir/rmem >$dir/rmem && cat $dir/rmem" | tr '\n' ' ' | sed 's/ $//')"
expect_eq "rmem default: a socket's SO_RCVBUF is positive" 2147483646 \
	"$(ip netns exec smc-big python3 -c 'import socket; print(socket.socket(43, 1, 0).getsockopt(1, 8))' 2>&1)"
ip netns del smc-big

# smcd_device_order: which SMC-D device kinds, in which order. Client in
# smc-ord-a, server in smc-ord-b (veth between them).
ip netns add smc-ord-a
ip netns add smc-ord-b
ip link add smc-ord0 netns smc-ord-a type veth peer name smc-ord1 netns smc-ord-b
ip -n smc-ord-a addr add 10.9.0.1/24 dev smc-ord0
ip -n smc-ord-b addr add 10.9.0.2/24 dev smc-ord1
ip -n smc-ord-a link set smc-ord0 up
ip -n smc-ord-b link set smc-ord1 up
order_a="ip netns exec smc-ord-a"
order_b="ip netns exec smc-ord-b"
# order_path NAME CLIENT_ORDER SERVER_ORDER: "path client-reason" of one
# connection with those settings.
order_path()
{
	local port=$((7620 + ${#order_runs}))
	order_runs+=x
	$order_a sh -c "echo '$2' >$dir/smcd_device_order"
	$order_b sh -c "echo '$3' >$dir/smcd_device_order"
	NS_SRV=$order_b NS_CLI=$order_a stream_pair "order-$1" -p $port -n 64K -- \
		-c 10.9.0.2 -p $port -n 64K >/dev/null
	echo "$(stream_field "/tmp/order-$1.cli" path) $(stream_field "/tmp/order-$1.cli" reason)"
}
order_runs=
expect_eq "smcd_device_order: default" "loopback ism" \
	"$($order_a cat $dir/smcd_device_order)"
expect_eq "smcd_device_order: default, both ends: over the loopback device" \
	"smcd 0x00000000" "$(order_path default 'loopback ism' 'loopback ism')"
expect_eq "smcd_device_order: 'ism,loopback' reads back in order" "ism loopback" \
	"$($order_a sh -c "echo ism,loopback >$dir/smcd_device_order; cat $dir/smcd_device_order")"
expect_eq "smcd_device_order: client without loopback: TCP, no device to offer" \
	"tcp 0x03030000" "$(order_path noclient ism 'loopback ism')"
expect_eq "smcd_device_order: server without loopback: TCP, the server declined" \
	"tcp 0x05000000" "$(order_path noserver 'loopback ism' ism)"
expect_eq "smcd_device_order: empty: SMC-D off" \
	"tcp 0x03030000" "$(order_path empty '' '')"
$order_a sh -c "echo loopback >$dir/smcd_device_order"
bad=''
for v in roce 'loopback loopback' bogus 'ism x'; do
	$order_a sh -c "echo '$v' >$dir/smcd_device_order" 2>/dev/null && bad="$bad '$v'"
done
expect_eq "smcd_device_order: unknown or repeated kinds refused, value kept" \
	" loopback" "$bad $($order_a cat $dir/smcd_device_order)"
expect_eq "smcd_device_order: the init netns keeps its own" "loopback ism" \
	"$(cat $dir/smcd_device_order)"
ip netns del smc-ord-a
ip netns del smc-ord-b

# Writing needs root over the namespace.
if setpriv --reuid=65534 --regid=65534 --clear-groups \
	sh -c "echo 50000 >$dir/wmem" 2>/dev/null; then
	fail "unprivileged write accepted"
else
	expect_eq "unprivileged write refused" 32768 "$(cat $dir/wmem)"
fi
expect_eq "unprivileged read works" 32768 \
	"$(setpriv --reuid=65534 --regid=65534 --clear-groups cat $dir/wmem)"

# A namespace's table goes with it, and with the module.
ip netns del smc-sysctl
ok "netns with its sysctls deleted"
rmmod smc_loopback smc_diag smc
if [ ! -e "$dir" ]; then ok "module unloaded: net.smc gone"; else fail "net.smc still there"; fi
modprobe smc
expect_eq "module reloaded: defaults again" "$tcp_w" "$(cat $dir/wmem)"

tap_exit
