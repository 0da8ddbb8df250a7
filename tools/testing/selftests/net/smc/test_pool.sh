#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 240
#
# The loopback device's DMB pool: short connections take their DMBs from
# memory freed by earlier ones (counted as reuse in the SMC-D statistics,
# per namespace) instead of allocating; with the pool off every DMB is
# allocated; data stays intact either way; unloading frees the pool.
source "$(dirname "$0")/lib.sh"

repo=${SMC_REPO:-$(cd "$(dirname "$0")/../../../../.." && pwd)}
smc=$repo/tools/smc/smc
param=/sys/module/smc_loopback/parameters/pool_kib

tap_plan 10

modprobe smc && modprobe smc_diag && modprobe smc_loopback ||
	fail "modprobe smc smc_diag smc_loopback"

# rx_rmb_stats ALLOC REUSE of the SMC-D statistics in namespace NS.
counts()
{
	ip netns exec "$1" "$smc" -j stats smcd | python3 -c '
import json, sys
r = json.load(sys.stdin)["smcd"]["rx_rmb_stats"]
print(r["alloc_cnt"], r["reuse_cnt"])'
}

ip netns add pool-a && ip -n pool-a link set lo up
ip netns add pool-b && ip -n pool-b link set lo up
expect_eq "pool on by default (8 MiB)" 8192 "$(cat $param)"

# 200 connections one after the other, each with a DMB per end.
NS_SRV="ip netns exec pool-a" NS_CLI="ip netns exec pool-a" \
	check "pool-a: 200 short connections, one at a time" \
	stream_pair rate1 -p 7401 -R -C 200 -A -- -c 127.0.0.1 -p 7401 -R -C 200 -A
expect_eq "pool-a: all over SMC-D" "smcd smcd" \
	"$(stream_field /tmp/rate1.srv path) $(stream_field /tmp/rate1.cli path)"
read -r alloc reuse <<<"$(counts pool-a)"
echo "# pool-a: alloc $alloc reuse $reuse"
if [ "$((alloc + reuse))" -eq 400 ] && [ "$reuse" -ge 350 ]; then
	ok "pool-a: 400 DMBs, $reuse of them reused"
else
	fail "pool-a: 400 DMBs expected mostly reused: alloc $alloc reuse $reuse"
fi
expect_eq "pool-b: counts only its own (none)" "0 0" "$(counts pool-b)"

# Pool off (what it held is freed as DMBs come back): every DMB
# allocated, data verified.
echo 0 >$param
NS_SRV="ip netns exec pool-b" NS_CLI="ip netns exec pool-b" \
	check "pool off: 50 verified 64 KiB exchanges" \
	stream_pair plain -p 7402 -C 50 -n 64K -V -- -c 127.0.0.1 -p 7402 -C 50 -n 64K -V
expect_eq "pool off: 100 DMBs allocated, none reused" "100 0" "$(counts pool-b)"

# Pool on again; reused buffers carry nothing over: verified data both ways.
echo 8192 >$param
NS_SRV="ip netns exec pool-b" NS_CLI="ip netns exec pool-b" \
	check "pool on: 50 verified exchanges on reused DMBs" \
	stream_pair reused -p 7403 -C 50 -n 256K -d -V -- -c 127.0.0.1 -p 7403 -C 50 -n 256K -d -V
read -r alloc reuse <<<"$(counts pool-b)"
if [ "$reuse" -ge 90 ]; then
	ok "pool on: $reuse reused"
else
	fail "pool on: only $reuse reused (alloc $alloc)"
fi

ip netns del pool-a
ip netns del pool-b
check "rmmod smc_loopback frees the pool" rmmod smc_loopback
tap_exit
