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
smc=$repo/tools/smc/smc
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
		-s $seed >/tmp/$ns.srv 2>&1 &
done
for ns in ct-a ct-b; do
	seed=$([ $ns = ct-a ] && echo 11 || echo 22)
	ip netns exec $ns "$stream" -q -t 120 -c 10.9.0.1 -p 7601 -n 8M -d -V \
		-C 3 -s $seed >/tmp/$ns.cli 2>&1 &
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

# Connections held open in ct-a: ct-b sees none of them.
cat >/tmp/ct_hold.py <<'EOF'
import socket, sys, time
srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
srv.bind(("10.9.0.1", 7602))
srv.listen(4)
pairs = []
for _ in range(3):
    c = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    c.connect(("10.9.0.1", 7602))
    pairs.append((c, srv.accept()[0]))
print("ready", flush=True)
time.sleep(600)
EOF
ip netns exec ct-a "$repo/tools/smc_run/smc_run" python3 /tmp/ct_hold.py \
	>/tmp/ct_hold.out 2>&1 &
hold=$!
for _ in $(seq 100); do
	grep -q ready /tmp/ct_hold.out && break
	sleep 0.1
done
a=$(ip netns exec ct-a "$diag" | grep -c 'inode=')
b=$(ip netns exec ct-b "$diag" | grep -c 'inode=')
init=$("$diag" | grep -c 'inode=')
expect_eq "sock_diag in ct-a: its listener and 6 connection ends" 7 "$a"
expect_eq "sock_diag in ct-b: nothing of ct-a's" 0 "$b"
expect_eq "sock_diag in the initial namespace: nothing either" 0 "$init"
expect_eq "link groups: ct-a has its own (client and server)" 2 "$(smcd_lgr_count ct-a)"
expect_eq "link groups: ct-b has none" 0 "$(smcd_lgr_count ct-b)"
expect_eq "DMBs of ct-a's connections registered" 6 \
	"$(cat /sys/class/smcd/loopback-ism/dmbs)"

# The namespace goes with its connections in it.
kill -9 $hold
wait $hold 2>/dev/null
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
