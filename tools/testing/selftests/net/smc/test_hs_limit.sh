#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 240
#
# Handshake limitation under a connection flood: a listener with
# SMC_LIMIT_HS (here from net.smc.limit_smc_hs) whose SMC handshakes fill
# its backlog offers new connections plain TCP instead of queueing more
# handshake work. Every connection of the flood is served; those beyond
# the limit run over TCP (reason 0x03010000 on both ends, counted); without
# the limit all of them run over SMC-D.
source "$(dirname "$0")/lib.sh"

repo=${SMC_REPO:-$(cd "$(dirname "$0")/../../../../.." && pwd)}
smc=$repo/tools/smc/smc
dir=/proc/sys/net/smc

tap_plan 7

modprobe smc && modprobe smc_diag && modprobe smc_loopback ||
	fail "modprobe smc smc_diag smc_loopback"

# fallbacks SIDE: how many connections fell back for 0x03010000 there.
fallbacks()
{
	"$smc" -j stats | python3 -c '
import json, sys
side = sys.argv[1]
code = lambda r: int(r["code"], 16) if isinstance(r["code"], str) else r["code"]
print(sum(r["count"] for r in json.load(sys.stdin)["fallback"]["reasons"]
          if code(r) == 0x03010000 and r["side"] == side))' "$1"
}

# 24 threads of 40 connections each against a backlog of 4: 4 handshakes
# at once make SMC back off. (TCP's queue may overflow too; its clients
# then wait for retransmissions, and so do ours.)
echo 1 >$dir/limit_smc_hs
# A failure shows the handshake errors and fallback reasons counted.
check "limit on: 960 connections from 24 threads, backlog 4" \
	stream_pair flood -p 7701 -R -C 40 -P 24 -k 4 -- \
		-c 127.0.0.1 -p 7701 -R -C 40 -P 24 -A ||
	"$smc" stats | sed 's/^/# /'
expect_eq "limit on: every connection served on both ends" "960 960" \
	"$(stream_field /tmp/flood.srv conns) $(stream_field /tmp/flood.cli conns)"
# The client checks every connection's path (-A); the server, kept fast,
# only its first ones.
expect_eq "limit on: some over SMC-D, the rest over TCP" mixed \
	"$(stream_field /tmp/flood.cli path)"
srv=$(fallbacks server)
cli=$(fallbacks client)
if [ "$srv" -gt 0 ] && [ "$srv" = "$cli" ]; then
	ok "limit on: $srv connections offered TCP, counted on both ends (0x03010000)"
else
	fail "limit on: fallbacks counted: server '$srv' client '$cli'"
fi

echo 0 >$dir/limit_smc_hs
# With the default backlog: a backlog of 4 makes TCP itself answer with
# SYN cookies, which carry no SMC option either.
check "limit off: the same flood, default backlog" \
	stream_pair calm -p 7702 -R -C 40 -P 24 -- \
		-c 127.0.0.1 -p 7702 -R -C 40 -P 24 -A
expect_eq "limit off: all over SMC-D" smcd "$(stream_field /tmp/calm.cli path)"
expect_eq "limit off: no new fallback" "$srv" "$(fallbacks server)"
tap_exit
