#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 180
#
# The PNET table decides which SMC-D devices serve a namespace: a device
# given a PNET ID in a namespace's table serves it only when one of its
# interfaces has the same PNET ID (the SMC-Dv2 rule). Tables are per
# namespace: what one configures never changes another's connections.
source "$(dirname "$0")/lib.sh"

repo=${SMC_REPO:-$(cd "$(dirname "$0")/../../../../.." && pwd)}
smc=$repo/tools/smc/smc
dev=loopback-ism
port=7300

tap_plan 20

modprobe smc && modprobe smc_diag && modprobe smc_loopback ||
	fail "modprobe smc smc_diag smc_loopback"

for ns in pnet-a pnet-b; do
	ip netns add $ns && ip -n $ns link set lo up
done

# xfer NS NAME: a verified 1 MiB exchange over 127.0.0.1 inside NS; prints
# the client's and the server's "path reason" pairs.
xfer()
{
	local ns=$1 name=$2
	port=$((port + 1))
	NS_SRV="ip netns exec $ns" NS_CLI="ip netns exec $ns" \
		stream_pair "$name" -p $port -n 1M -V -- -c 127.0.0.1 -p $port -n 1M -V >/dev/null
	echo "$(stream_field "/tmp/$name.cli" path) $(stream_field "/tmp/$name.cli" reason)" \
	     "$(stream_field "/tmp/$name.srv" path) $(stream_field "/tmp/$name.srv" reason)"
}

smcd="smcd 0x00000000 smcd 0x00000000"
expect_eq "no PNET IDs: SMC-D in pnet-a" "$smcd" "$(xfer pnet-a a0)"

# The device on a network none of pnet-a's interfaces is on: no SMC-D.
check "pnet-a: $dev gets PNET ID NETX" \
	ip netns exec pnet-a "$smc" pnet add NETX ib $dev
expect_eq "pnet-a: device on another network: client has no device, TCP" \
	"tcp 0x03030000 tcp 0x05000000" "$(xfer pnet-a a1)"
expect_eq "pnet-b unaffected: SMC-D" "$smcd" "$(xfer pnet-b b1)"
expect_eq "init netns unaffected: no entries" "" "$("$smc" pnet show)"
out=$(ip netns exec pnet-a "$smc" -j dev show)
echo "# $out"
if grep -q '"pnetid": *"NETX"' <<<"$out"; then
	ok "pnet-a: smc dev shows the device's PNET ID"
else
	fail "pnet-a: smc dev does not show NETX"
fi
out=$(ip netns exec pnet-b "$smc" -j dev show)
if grep -q 'NETX' <<<"$out"; then
	fail "pnet-b: sees pnet-a's PNET ID"
else
	ok "pnet-b: the device has no PNET ID there"
fi

# An interface on the same network: the device serves pnet-a again.
check "pnet-a: lo gets PNET ID NETX" \
	ip netns exec pnet-a "$smc" pnet add NETX dev lo
expect_eq "pnet-a: interface and device on one network: SMC-D" \
	"$smcd" "$(xfer pnet-a a2)"

# The entry for an interface that does not exist does not count.
check "pnet-a: flush" ip netns exec pnet-a "$smc" pnet flush
check "pnet-a: device on NETY, a missing interface on NETY" \
	sh -c "ip netns exec pnet-a '$smc' pnet add NETY ib $dev &&
	       ip netns exec pnet-a '$smc' pnet add NETY dev nosuch0"
expect_eq "pnet-a: interface missing: TCP" "tcp 0x03030000 tcp 0x05000000" \
	"$(xfer pnet-a a3)"
check "pnet-a: delete NETY" ip netns exec pnet-a "$smc" pnet del NETY
expect_eq "pnet-a: table empty again: SMC-D" "$smcd" "$(xfer pnet-a a4)"

# One PNET ID per SMC-D device, whatever port a request names (it has
# none): a second one is refused, as 6.1 refuses it, and the device stays
# on its first network. Ports of an RDMA device may differ.
check "pnet-a: $dev port 1 gets PNET ID NETA" \
	ip netns exec pnet-a "$smc" pnet add NETA ib $dev port 1
out=$(ip netns exec pnet-a "$smc" pnet add NETB ib $dev port 2 2>&1)
rc=$?
echo "# $out"
expect_eq "pnet-a: a second PNET ID for $dev (port 2) refused, NETA kept" \
	"rc 1, NETA" \
	"rc $rc, $(ip netns exec pnet-a "$smc" -j dev show | grep -o '"pnetid": *"NET[AB]"' | grep -o 'NET[AB]' | tr '\n' ' ' | sed 's/ $//')"
check "pnet-a: two PNET IDs for two ports of an RDMA device" \
	sh -c "ip netns exec pnet-a '$smc' pnet add NETA ib mlx5_9 port 1 &&
	       ip netns exec pnet-a '$smc' pnet add NETB ib mlx5_9 port 2"
check "pnet-a: flush" ip netns exec pnet-a "$smc" pnet flush

# GET of an ID answers with all of its entries, in a reply sized by what
# matches: entries of one ID with the longest names (63 characters).
long=$(printf 'd%.0s' $(seq 59))
for i in $(seq 0 7); do
	for p in 1 2; do
		ip netns exec pnet-a "$smc" pnet add FULL ib \
			"$long$(printf %04d "$i")" port $p >/dev/null || echo "# add $i port $p failed"
	done
done
expect_eq "pnet-a: GET of an ID with 16 entries of the longest names: all 16" 16 \
	"$(ip netns exec pnet-a "$smc" -j pnet show FULL |
	   python3 -c 'import json, sys; print(len(json.load(sys.stdin)))')"
check "pnet-a: flush" ip netns exec pnet-a "$smc" pnet flush

ip netns del pnet-a
ip netns del pnet-b
tap_exit
