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

tap_plan 9

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

# 24 threads of 40 connections each against a backlog of 4. The server's
# first 40 handshakes are slowed down by 50 ms each once their ACCEPT is
# out (smc_test_delay), so that they pile up: with 4 in flight, SMC backs
# off and the next connections are offered plain TCP.
#
# SYN cookies are off meanwhile, so that every connection offered TCP here
# is SMC backing off: a SYN-ACK with a cookie carries no SMC option either
# (the flood made TCP send them, and the limit seemed to work without
# slowed handshakes). Also, once a listener answered with cookies, an ACK
# of a connection that already closed passes the cookie check whenever
# both ends sent as many bytes (here one and a FIN each), and TCP makes a
# connection no client has; the server waits on it for a request that
# never comes (seen on a debug kernel, whose slow ACKs made servers
# retransmit their FINs and clients in TIME_WAIT answer them). TCP's
# queue overflows now and then; its clients, and ours, then retransmit
# their SYNs.
kmod=$SMC_SELFTESTS/modules/smc_test_delay.ko
param=/sys/module/smc_test_delay/parameters
check "insmod smc_test_delay on smc_server_negotiate" \
	insmod "$kmod" symbol=smc_server_negotiate when_ret=-11 \
	comm=kworker/ delay_ms=50 count=40
cookies=$(cat /proc/sys/net/ipv4/tcp_syncookies)
echo 0 >/proc/sys/net/ipv4/tcp_syncookies
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
hits=$(cat $param/hits)
rmmod smc_test_delay
if [ "$hits" -gt 0 ]; then
	ok "limit on: $hits handshakes slowed down"
else
	fail "limit on: no handshake was slowed down"
fi

echo 0 >$dir/limit_smc_hs
echo "$cookies" >/proc/sys/net/ipv4/tcp_syncookies
# With the default backlog: a backlog of 4 makes TCP itself answer with
# SYN cookies, which carry no SMC option either.
check "limit off: the same flood, default backlog" \
	stream_pair calm -p 7702 -R -C 40 -P 24 -- \
		-c 127.0.0.1 -p 7702 -R -C 40 -P 24 -A
expect_eq "limit off: all over SMC-D" smcd "$(stream_field /tmp/calm.cli path)"
expect_eq "limit off: no new fallback" "$srv" "$(fallbacks server)"
tap_exit
