#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 240
#
# Network namespaces are boundaries. Two containers with the same address
# and port each reach their own server over SMC-D, at the same time, with
# every byte checked against the server it should have reached; sock_diag
# and the link groups of one namespace show nothing of another's; a
# namespace deleted with SMC connections in it frees everything.
source "$(dirname "$0")/lib.sh"

repo=${SMC_REPO:-$(cd "$(dirname "$0")/../../../../.." && pwd)}
stream=$SMC_TOOLS/smc_stream
diag=$SMC_TOOLS/smc_diag_dump

tap_plan 11

modprobe smc && modprobe smc_diag && modprobe smc_loopback ||
	fail "modprobe smc smc_diag smc_loopback"

for ns in ct-a ct-b; do
	ip netns add $ns
	ip -n $ns link set lo up
	ip -n $ns link add d0 type dummy
	ip -n $ns addr add 10.9.0.1/24 dev d0
	ip -n $ns link set d0 up
done

# Same address, same port, different data (seed) per namespace: a client
# that reached the other namespace's server fails verification.
for ns in ct-a ct-b; do
	seed=$([ $ns = ct-a ] && echo 11 || echo 22)
	ip netns exec $ns "$stream" -l -q -t 120 -p 7601 -n 8M -d -V -C 3 \
		-s "$seed" >/tmp/$ns.srv 2>&1 &
done
for ns in ct-a ct-b; do
	seed=$([ $ns = ct-a ] && echo 11 || echo 22)
	ip netns exec $ns "$stream" -q -t 120 -c 10.9.0.1 -p 7601 -n 8M -d -V \
		-C 3 -s "$seed" >/tmp/$ns.cli 2>&1 &
done
rcs=""
for _ in 1 2 3 4; do
	wait -n
	rcs="$rcs $?"
done
sed 's/^/# /' /tmp/ct-a.srv /tmp/ct-a.cli /tmp/ct-b.srv /tmp/ct-b.cli
expect_eq "same address and port in two namespaces: 4 ends verified" \
	" 0 0 0 0" "$rcs"
expect_eq "both namespaces over SMC-D" "smcd smcd smcd smcd" \
	"$(for f in ct-a.srv ct-a.cli ct-b.srv ct-b.cli; do stream_field /tmp/$f path; done | xargs)"

# Connections held open in ct-a: ct-b sees none of them. A listener
# held in ct-b and one in the initial namespace show that each dump sees
# its own namespace's sockets: an empty dump alone proves nothing.
cat >/tmp/ct_hold.py <<'EOF'
import socket, sys, time
port, n = int(sys.argv[1]), int(sys.argv[2])
srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
srv.bind(("0.0.0.0" if n == 0 else "10.9.0.1", port))
srv.listen(4)
pairs = []
for _ in range(n):
    c = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    c.connect(("10.9.0.1", port))
    pairs.append((c, srv.accept()[0]))
print("ready", flush=True)
time.sleep(600)
EOF
holds=()
for where in "ct-a 7602 3" "ct-b 7603 0" "init 7604 0"; do
	read -r ns port n <<<"$where"
	in_ns=()
	[ "$ns" = init ] || in_ns=(ip netns exec "$ns")
	"${in_ns[@]}" "$repo/tools/smc_run/smc_run" python3 /tmp/ct_hold.py \
		"$port" "$n" >"/tmp/hold.$ns" 2>&1 &
	holds+=($!)
done
for _ in $(seq 100); do
	grep -qs ready /tmp/hold.ct-a && grep -qs ready /tmp/hold.ct-b &&
		grep -qs ready /tmp/hold.init && break
	sleep 0.1
done
sed 's/^/# /' /tmp/hold.ct-a /tmp/hold.ct-b /tmp/hold.init
# dump NS PORT: "STATUS SOCKETS SOCKETS-ON-PORT" from smc_diag_dump in NS
# ("init": the initial namespace), the last counting the sockets with
# PORT as local or peer port; a dump that fails is never "nothing".
dump()
{
	local in_ns=() out rc
	[ "$1" = init ] || in_ns=(ip netns exec "$1")
	out=$("${in_ns[@]}" "$diag" 2>&1)
	rc=$?
	printf '%s\n' "$out" | sed "s/^/# $1: /" >&2
	echo "$rc $(grep -c 'inode=' <<<"$out")" \
		"$(grep -cE "inode=.* (local|peer)=[^ ]*:$2 " <<<"$out")"
}
expect_eq "sock_diag in ct-a: its listener and 6 connection ends, nothing else" \
	"0 7 7" "$(dump ct-a 7602)"
expect_eq "sock_diag in ct-b: its own listener, nothing of ct-a's" \
	"0 1 1" "$(dump ct-b 7603)"
expect_eq "sock_diag in the initial namespace: its own listener only" \
	"0 1 1" "$(dump init 7604)"
expect_eq "link groups: ct-a has its own (client and server)" 2 "$(smcd_lgr_count ct-a)"
expect_eq "link groups: ct-b has none" 0 "$(smcd_lgr_count ct-b)"
expect_eq "DMBs of ct-a's connections registered" 6 \
	"$(cat /sys/class/smcd/loopback-ism/dmbs)"

# The namespace goes with its connections in it.
{
	kill -9 "${holds[@]}"
	wait "${holds[@]}"
} 2>/dev/null	# no "Killed" notices
ip netns del ct-a
for _ in $(seq 50); do
	[ "$(cat /sys/class/smcd/loopback-ism/dmbs)" = 0 ] &&
		[ "$(proto_sockets SMC)" = 0 ] && break
	sleep 0.2
done
expect_eq "ct-a deleted with connections: no DMB left" 0 \
	"$(cat /sys/class/smcd/loopback-ism/dmbs)"
expect_eq "no AF_SMC socket left" 0 "$(proto_sockets SMC)"
ip netns del ct-b
check "modules unload" rmmod smc_loopback smc_diag smc
tap_exit
