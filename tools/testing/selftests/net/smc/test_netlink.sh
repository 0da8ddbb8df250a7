#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 400
#
# The administration interface: every command of the generic netlink
# families SMC_GEN_NETLINK and SMC_PNETID, and the AF_SMC sock_diag dump,
# through the smc tool (tools/smc) and, for requests no tool would send,
# through smc_nlprobe. Every value read back is checked against what this
# test did: connections made and bytes moved over SMC-D, fallbacks forced
# with known reasons, EIDs and PNET entries added. Also: per network
# namespace separation, reads without privileges and changes refused
# without them, malformed requests refused without any change.
source "$(dirname "$0")/lib.sh"

smc=$SMC_REPO/tools/smc/smc
probe=$SMC_TOOLS/smc_nlprobe
GEN=SMC_GEN_NETLINK
PNET=SMC_PNETID
nobody=(setpriv --reuid=65534 --regid=65534 --clear-groups)

# Every path gives this many results (run_tests checks): a failure that
# stops the test early skips the rest of the plan.
tap_plan 190

# run_rc EXPECTED_RC DESCRIPTION COMMAND...: the command's exit status
# (output kept as comments).
run_rc()
{
	local want=$1 desc=$2 out rc
	shift 2
	out=$("$@" 2>&1)
	rc=$?
	[ -n "$out" ] && printf '%s\n' "$out" | sed 's/^/# /'
	expect_eq "$desc (exit $want)" "$want" "$rc"
}

# jget NS FILTER SMC-ARGS...: one value out of smc's JSON (NS "" = here)
jget()
{
	local ns=$1 filter=$2
	shift 2
	if [ -n "$ns" ]; then
		ip netns exec "$ns" "$smc" -j "$@" | jq -r "$filter"
	else
		"$smc" -j "$@" | jq -r "$filter"
	fi
}

mkns()
{
	ip netns add "$1" && ip -n "$1" link set lo up
}

# probe_rc EXPECTED_ERRNO DESCRIPTION [-n NS] PROBE-ARGS...: smc_nlprobe's
# result (in namespace NS)
probe_rc()
{
	local want=$1 desc=$2 out rc ns=()
	shift 2
	if [ "$1" = -n ]; then
		ns=(ip netns exec "$2")
		shift 2
	fi
	out=$("${ns[@]}" "$probe" "$@" 2>&1)
	rc=$?
	printf '%s\n' "$out" | grep -E '^(request|error|result)' | sed 's/^/# /'
	expect_eq "$desc (errno $want)" "$want" "$rc"
}

# ------------------------------------------------------ module not there
# With module autoloading blocked, the tool says what is missing.
saved_modprobe=$(cat /proc/sys/kernel/modprobe)
echo /bin/true >/proc/sys/kernel/modprobe
run_rc 3 "no smc module: smc info says so" "$smc" info
"$smc" ueid 2>&1 | grep -q "SMC module not loaded" &&
	ok "no smc module: message names the module" ||
	fail "no smc module: message names the module"
run_rc 3 "no smc module: smc pnet says so" "$smc" pnet
modprobe smc
run_rc 3 "smc loaded, no smc_diag: smc conn says so" "$smc" conn
echo "$saved_modprobe" >/proc/sys/kernel/modprobe

if modprobe smc_diag && modprobe smc_loopback; then
	ok "modprobe smc_diag smc_loopback"
else
	fail "modprobe smc_diag smc_loopback"
	tap_skip_rest "no smc_diag or smc_loopback"
	tap_exit
fi

# ------------------------------------------------------ the families
# Resolve both families and read their op tables from nlctrl: 18 ops with
# the admin permission bit exactly on the ops that change something.
ops=$("$probe" -N nlctrl 3 2:str:$GEN)
ids=$(printf '%s\n' "$ops" | awk '/^      1:4:/ { sub(/.*u32=/, ""); print }' | sort -n | tr '\n' ' ')
expect_eq "$GEN: ops 1..18" "$(seq -s ' ' 1 18) " "$ids"
admin=$(printf '%s\n' "$ops" | awk '
	/^      1:4:/ { sub(/.*u32=/, ""); id = $0 }
	/^      2:4:/ { sub(/.*u32=/, ""); f = $0 + 0
		    if (f % 2 || int(f / 16) % 2) print id }' |
	sort -n | tr '\n' ' ')
expect_eq "$GEN: admin ops are those that change state" \
	"10 11 12 14 15 17 18 " "$admin"
dumps=$(printf '%s\n' "$ops" | awk '
	/^      1:4:/ { sub(/.*u32=/, ""); id = $0 }
	/^      2:4:/ { sub(/.*u32=/, ""); if (int($0 / 4) % 2) print id }' |
	sort -n | tr '\n' ' ')
expect_eq "$GEN: dump ops are the reading ones" \
	"1 2 3 4 5 6 7 8 9 13 16 " "$dumps"
ops=$("$probe" -N nlctrl 3 2:str:$PNET)
ids=$(printf '%s\n' "$ops" | awk '/^      1:4:/ { sub(/.*u32=/, ""); print }' | sort -n | tr '\n' ' ')
expect_eq "$PNET: ops 1..4" "1 2 3 4 " "$ids"

# ------------------------------------------------------ info, reason
expect_eq "info: SMC version 2.0" "2 0" \
	"$(jget "" '"\(.version) \(.release)"' info)"
expect_eq "info: host name is this guest's" "$(uname -n | cut -c1-32)" \
	"$(jget "" .hostname info)"
expect_eq "info: SMC-Dv2 capable with the loopback device" true \
	"$(jget "" .smcd_v2 info)"
expect_eq "info: no SMC-Rv2 (no RDMA support)" false \
	"$(jget "" .smcr_v2 info)"
seid=$(jget "" .seid info)
[ -n "$seid" ] && [ "$seid" != null ] &&
	ok "info: a system EID ($seid)" || fail "info: a system EID ($seid)"
# On the wire and in SMC_NLA_SEID_ENTRY the EID is 32 characters, blank
# padded: no NUL inside (that would also make the EID invalid).
expect_eq "seid: 32 valid characters, blank padded" \
	"$(printf '%-32s' "$seid" | od -An -tx1 | tr -d ' \n')00" \
	"$("$probe" -d SMC_GEN_NETLINK 13 | sed -n 's/^ *1:33:\([0-9a-f]*\).*/\1/p')"
"$smc" info | sed 's/^/# /'
# The man page's reason table is the tool's.
man_tbl=$(sed -n '/^\.TS/,/^\.TE/p' "$SMC_REPO/tools/smc/smc.8" |
	grep '^0x' | tr '\t' ' ')
expect_eq "reason: the man page lists the tool's table" \
	"$("$smc" reason)" "$man_tbl"
expect_eq "reason: 0x03030000 in words" "0x03030000 no SMC device found" \
	"$("$smc" reason 3030000)"

# ------------------------------------------------------ devices
expect_eq "dev: one SMC-D device, the loopback" "loopback-ism" \
	"$(jget "" '[.smcd[].pci_id] | join(",")' dev)"
expect_eq "dev: loopback channel id 0xffff" 65535 \
	"$(jget "" '.smcd[0].pci_chid' dev)"
expect_eq "dev: no SMC-R device" 0 "$(jget "" '.smcr | length' dev)"
expect_eq "dev: loopback unused" 0 "$(jget "" '.smcd[0].use_cnt' dev)"
expect_eq "dev: port nest present" 1 "$(jget "" '.smcd[0].ports | length' dev)"

# Connections held open: client and server in one process, run under
# smc_run so that its TCP sockets are AF_SMC sockets; each pair has
# exchanged a byte (so the handshake is over). The test looks while they
# are open, then lets them go.
cat >/tmp/hold.py <<'EOF'
import os, socket, sys, time
port, n, ready, release = sys.argv[1:5]
srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", int(port)))
srv.listen(64)
cl, ac = [], []
for i in range(int(n)):
    c = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    c.connect(("127.0.0.1", int(port)))
    cl.append(c)
# Handshakes finish in worker context, so the accept order need not be
# the connect order: pair each client with its own accepted socket.
byname = {}
for i in range(int(n)):
    a = srv.accept()[0]
    byname[a.getpeername()] = a
for c in cl:
    c.settimeout(10)
    a = byname[c.getsockname()]
    a.settimeout(10)
    ac.append(a)
    c.sendall(b"x"); a.recv(1); a.sendall(b"y"); c.recv(1)
open(ready, "w").close()
for i in range(600):
    if os.path.exists(release):
        break
    time.sleep(0.1)
for s in cl + ac + [srv]:
    s.close()
EOF

# hold NS PORT N: start holding N AF_SMC pairs, wait until they are up
# (not through check: it would wait for the background process)
hold()
{
	rm -f /tmp/hold.ready /tmp/hold.release
	ip netns exec "$1" "$SMC_REPO/tools/smc_run/smc_run" /usr/bin/python3 \
		/tmp/hold.py "$2" "$3" /tmp/hold.ready /tmp/hold.release \
		>/tmp/hold.log 2>&1 &
	hold_pid=$!
	for _ in $(seq 100); do
		[ -e /tmp/hold.ready ] && return 0
		sleep 0.1
	done
	return 1
}

unhold()
{
	touch /tmp/hold.release
	wait "$hold_pid"
}

mkns hd
mkns hx
hold hd 7300 3 && ok "3 SMC-D connections held open in a namespace" ||
	fail "3 SMC-D connections held open in a namespace"
expect_eq "dev: loopback in use there (link groups)" yes \
	"$(jget hd '.smcd[0].use_cnt > 0 | if . then "yes" else "no" end' dev)"
echo "# use_cnt $(jget hd '.smcd[0].use_cnt' dev)"
expect_eq "dev: not in use in another namespace" 0 \
	"$(jget hx '.smcd[0].use_cnt' dev)"
ip netns exec hd "$smc" dev | sed 's/^/# /'
conns=$(ip netns exec hd "$smc" -j conn)
expect_eq "conn: 6 active sockets (3 clients, 3 accepted)" 6 \
	"$(jq '[.[] | select(.state == "ACTIVE")] | length' <<<"$conns")"
expect_eq "conn: all over SMC-D" "SMCD SMCD SMCD SMCD SMCD SMCD" \
	"$(jq -r '[.[].mode] | join(" ")' <<<"$conns")"
expect_eq "conn: 3 with the server port as local port" 3 \
	"$(jq '[.[] | select(.local_port == 7300)] | length' <<<"$conns")"
expect_eq "conn: 3 with the server port as peer port" 3 \
	"$(jq '[.[] | select(.peer_port == 7300)] | length' <<<"$conns")"
expect_eq "conn: no fallback reason" "0x00000000" \
	"$(jq -r '[.[].fallback_reason] | unique | join(",")' <<<"$conns")"
expect_eq "conn: cursors and DMB info on every socket" 6 \
	"$(jq '[.[] | select(.conninfo.token != null and .dmbinfo.token != null)] | length' <<<"$conns")"
# DMB tokens are all a loopback device asks of a writer: only an admin of
# the namespace reads them, the rest of the record is for everyone.
expect_eq "conn: DMB tokens of every socket for root" 6 \
	"$(jq '[.[] | select(.dmbinfo.token != 0 and .dmbinfo.peer_token != 0)] | length' <<<"$conns")"
expect_eq "conn: no DMB token for an unprivileged user, the rest alike" \
	"6 6 $(jq -c '[.[].dmbinfo.linkid]' <<<"$conns")" \
	"$(ip netns exec hd "${nobody[@]}" "$smc" -j conn | jq -c '([.[] | select(.dmbinfo.token == 0 and .dmbinfo.peer_token == 0)] | length), ([.[] | select(.mode == "SMCD")] | length), [.[].dmbinfo.linkid]' | tr '\n' ' ' | sed 's/ $//')"
# A byte each way went through: the producer cursors moved by one.
expect_eq "conn: one byte sent and one received per socket" 6 \
	"$(jq '[.[] | select(.conninfo.tx_prod.count == 1 and .conninfo.rx_prod.count == 1)] | length' <<<"$conns")"
expect_eq "conn: the listener shows with -l only" "1 1" \
	"$(ip netns exec hd "$smc" -j conn -l | jq '[.[] | select(.state == "LISTEN")] | length') $(ip netns exec hd "$smc" -j conn -l | jq length)"
expect_eq "conn: nothing in another namespace" 0 \
	"$(ip netns exec hx "$smc" -j conn -a | jq length)"
ip netns exec hd "$smc" conn -d | sed 's/^/# /'
unhold
ip netns del hd
ip netns del hx

# ------------------------------------------------------ SMC-D statistics
# N connections over SMC-D in namespace sa; sb and the initial namespace
# see none of them.
mkns sa
mkns sb
N=5
BYTES=100000
NS_SRV="ip netns exec sa" NS_CLI="ip netns exec sa" \
	check "stats: $N SMC-D connections, $BYTES bytes each way" \
	stream_pair st -p 7310 -C $N -n $BYTES -V -- -c 127.0.0.1 -p 7310 -C $N -n $BYTES -V
expect_eq "stats: the transfers ran over SMC-D" "smcd smcd" \
	"$(stream_field /tmp/st.srv path) $(stream_field /tmp/st.cli path)"
sent=$(( $(stream_field /tmp/st.srv bytes_tx) + $(stream_field /tmp/st.cli bytes_tx) ))
st=$(ip netns exec sa "$smc" -j stats)
printf '%s\n' "$st" | jq -c '.smcd | {clnt_v1_succ, clnt_v2_succ, srv_v1_succ, srv_v2_succ, rx_bytes, tx_bytes, rx_cnt, tx_cnt}' | sed 's/^/# /'
expect_eq "stats: $N client v2 successes, no v1" "$N 0" \
	"$(jq -r '"\(.smcd.clnt_v2_succ) \(.smcd.clnt_v1_succ)"' <<<"$st")"
expect_eq "stats: $N server v2 successes, no v1" "$N 0" \
	"$(jq -r '"\(.smcd.srv_v2_succ) \(.smcd.srv_v1_succ)"' <<<"$st")"
expect_eq "stats: bytes sent = what both ends sent ($sent)" "$sent" \
	"$(jq -r .smcd.tx_bytes <<<"$st")"
expect_eq "stats: bytes received = bytes sent" "$sent" \
	"$(jq -r .smcd.rx_bytes <<<"$st")"
expect_eq "stats: send and receive calls counted" "yes yes" \
	"$(jq -r '[(.smcd.tx_cnt > 0), (.smcd.rx_cnt > 0)] | map(if . then "yes" else "no" end) | join(" ")' <<<"$st")"
expect_eq "stats: a receive buffer per connection end" "$((2 * N))" \
	"$(jq -r '[.smcd.rx_rmb_size[]] | add' <<<"$st")"
expect_eq "stats: nothing over SMC-R" "0 0 0" \
	"$(jq -r '"\(.smcr.clnt_v2_succ) \(.smcr.srv_v2_succ) \(.smcr.tx_bytes)"' <<<"$st")"
expect_eq "stats: no fallback, no handshake error" "0 0 0 0 0" \
	"$(jq -r '"\(.fallback.client) \(.fallback.server) \(.fallback.reasons | length) \(.clnt_hs_err_cnt) \(.srv_hs_err_cnt)"' <<<"$st")"
expect_eq "stats: another namespace counted nothing" "0 0 0" \
	"$(jget sb '"\(.smcd.clnt_v2_succ) \(.smcd.srv_v2_succ) \(.smcd.tx_bytes)"' stats)"
expect_eq "stats: the initial namespace counted nothing" "0 0" \
	"$(jget "" '"\(.smcd.clnt_v2_succ) \(.smcd.tx_bytes)"' stats)"
ip netns exec sa "$smc" stats | sed 's/^/# /'

# Calls are counted as 6.1 counts them ("requests" in smcd stats): every
# send and receive call, also an empty send, a peek and one that fails;
# bytes once each (a peek's when they are read).
mkns sc
ip netns exec sc python3 -c '
import socket
srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM, 256)
srv.bind(("127.0.0.1", 0))
srv.listen(1)
c = socket.socket(socket.AF_INET, socket.SOCK_STREAM, 256)
c.connect(srv.getsockname())
a, _ = srv.accept()
c.send(b"abc")
while len(a.recv(10, socket.MSG_PEEK)) < 3:
	pass
a.recv(10)
c.send(b"")
a.setblocking(False)
try:
	a.recv(10)
except BlockingIOError:
	pass' 2>&1 | sed 's/^/# /'
expect_eq "stats: 2 send calls (one empty), 3 bytes; 3 receive calls (a peek, one EAGAIN), 3 bytes" \
	"2 3 3 3" \
	"$(jget sc '"\(.smcd.tx_cnt) \(.smcd.tx_bytes) \(.smcd.rx_cnt) \(.smcd.rx_bytes)"' stats)"
ip netns del sc

# ------------------------------------------------------ fallbacks
# In namespace fa: 3 AF_SMC pairs without a device (client 0x03030000,
# server 0x05000000), 2 AF_SMC clients to a TCP server (client
# 0x03010000), 1 TCP client to an AF_SMC server (server 0x03010000).
mkns fa
rmmod smc_loopback
in_fa="ip netns exec fa"
NS_SRV=$in_fa NS_CLI=$in_fa check "fallback: 3 AF_SMC pairs without a device" \
	stream_pair nodev -p 7320 -C 3 -n 1000 -- -c 127.0.0.1 -p 7320 -C 3 -n 1000
expect_eq "fallback: they ran over TCP with the client reason" "tcp 0x03030000" \
	"$(stream_field /tmp/nodev.cli path) $(stream_field /tmp/nodev.cli reason)"
NS_SRV=$in_fa NS_CLI=$in_fa check "fallback: 2 AF_SMC clients to a TCP server" \
	stream_pair tcpsrv -f tcp -p 7321 -C 2 -n 1000 -- -c 127.0.0.1 -p 7321 -C 2 -n 1000
NS_SRV=$in_fa NS_CLI=$in_fa check "fallback: 1 TCP client to an AF_SMC server" \
	stream_pair tcpcli -p 7322 -C 1 -n 1000 -- -c 127.0.0.1 -f tcp -p 7322 -C 1 -n 1000
fb=$(ip netns exec fa "$smc" -j stats)
printf '%s\n' "$fb" | jq -c .fallback | sed 's/^/# /'
reasons=$(jq -r '[.fallback.reasons[] | "\(.side):\(.code):\(.count)"] | sort | join(" ")' <<<"$fb")
expect_eq "fallback: reasons and counts per side" \
	"client:0x03010000:2 client:0x03030000:3 server:0x03010000:1 server:0x05000000:3" \
	"$reasons"
expect_eq "fallback: totals client 5, server 4" "5 4" \
	"$(jq -r '"\(.fallback.client) \(.fallback.server)"' <<<"$fb")"
expect_eq "fallback: no SMC-D success counted" "0 0" \
	"$(jq -r '"\(.smcd.clnt_v2_succ) \(.smcd.srv_v2_succ)"' <<<"$fb")"
ip netns exec fa "$smc" stats | grep -q "0x03030000 no SMC device found" &&
	ok "fallback: text output gives the reason in words" ||
	fail "fallback: text output gives the reason in words"
ip netns exec fa "$smc" stats | sed 's/^/# /'
expect_eq "fallback: namespace sa still has none" "0 0" \
	"$(jget sa '"\(.fallback.client) \(.fallback.server)"' stats)"
# The raw dump: one message per reason and side, the totals in the
# first only.
raw=$(ip netns exec fa "$probe" -d $GEN 8)
expect_eq "fallback: raw dump has 4 messages" 4 \
	"$(grep -c '^msg .* cmd 8 ' <<<"$raw")"
expect_eq "fallback: raw dump has the totals once" "1 1" \
	"$(grep -c '^    2:8:' <<<"$raw") $(grep -c '^    3:8:' <<<"$raw")"
# Sockets that fell back show it in sock_diag, with the reason in words.
hold fa 7323 2 && ok "fallback: 2 AF_SMC pairs held open without a device" ||
	fail "fallback: 2 AF_SMC pairs held open without a device"
conns=$(ip netns exec fa "$smc" -j conn)
expect_eq "conn: fallen back sockets are in mode TCP" "TCP" \
	"$(jq -r '[.[].mode] | unique | join(",")' <<<"$conns")"
expect_eq "conn: client reason 0x03030000, 2 of them" 2 \
	"$(jq '[.[] | select(.fallback_reason == "0x03030000")] | length' <<<"$conns")"
expect_eq "conn: server reason 0x05000000 with peer diagnosis 0x03030000" 2 \
	"$(jq '[.[] | select(.fallback_reason == "0x05000000" and .peer_diagnosis == "0x03030000")] | length' <<<"$conns")"
ip netns exec fa "$smc" conn | grep -q "0x03030000 no SMC device found" &&
	ok "conn: text output gives the reason in words" ||
	fail "conn: text output gives the reason in words"
ip netns exec fa "$smc" conn | sed 's/^/# /'
unhold
modprobe smc_loopback
ip netns del fa
ip netns del sa
ip netns del sb

# ------------------------------------------------------ user EIDs
mkns ua
mkns ub
u() { ip netns exec ua "$smc" "$@"; }
expect_eq "ueid: empty at first" 0 "$(jget ua length ueid)"
for e in ALPHA BRAVO.1 CHARLIE-2 d3; do
	run_rc 0 "ueid: add $e" u ueid add "$e"
done
expect_eq "ueid: the four in order, upper case, unpadded" \
	"ALPHA BRAVO.1 CHARLIE-2 D3" "$(jget ua 'join(" ")' ueid)"
expect_eq "ueid: raw entries are 32 blank-padded characters + NUL" \
	"4 4" "$(ip netns exec ua "$probe" -d $GEN 9 | awk '/^  1:33:.*str=/ { n++ } /^msg .* cmd 9 / { m++ } END { print n + 0, m + 0 }')"
run_rc 1 "ueid: a fifth is refused" u ueid add ECHO
probe_rc 34 "ueid: a fifth gets ERANGE" -n ua $GEN 10 1:str:"$(printf '%-32s' ECHO)"
# A full table is looked at first, as 6.1 does: ERANGE for a duplicate too.
probe_rc 34 "ueid: a duplicate in a full table gets ERANGE" -n ua $GEN 10 1:str:"$(printf '%-32s' ALPHA)"
run_rc 1 "ueid: a duplicate is refused" u ueid add alpha
probe_rc 2 "ueid: removing an unknown one gets ENOENT" -n ua $GEN 11 1:str:"$(printf '%-32s' ZULU)"
run_rc 1 "ueid: removing an unknown one is refused" u ueid del ZULU
run_rc 0 "ueid: del BRAVO.1" u ueid del BRAVO.1
expect_eq "ueid: three left" "ALPHA CHARLIE-2 D3" "$(jget ua 'join(" ")' ueid)"
probe_rc 17 "ueid: a duplicate gets EEXIST" -n ua $GEN 10 1:str:"$(printf '%-32s' ALPHA)"
expect_eq "ueid: another namespace has none" 0 "$(jget ub length ueid)"
expect_eq "ueid: the initial namespace has none" 0 "$(jget "" length ueid)"
run_rc 2 "ueid: the tool refuses \"A..B\" itself" u ueid add A..B
run_rc 2 "ueid: the tool refuses 33 characters" u ueid add "$(printf 'A%.0s' $(seq 33))"
run_rc 2 "ueid: the tool refuses \"_X\"" u ueid add _X

# ------------------------------------------------------ malformed requests
# None of these may change anything (the UEIDs of ua stay as they are).
before=$(jget ua 'join(" ")' ueid)
pad() { printf '%-32s' "$1"; }
mal()
{
	local want=$1 desc=$2 out rc
	shift 2
	out=$(ip netns exec ua "$probe" "$@" 2>&1)
	rc=$?
	printf '%s\n' "$out" | grep -E '^(error|result)' | sed 's/^/# /'
	expect_eq "malformed: $desc (errno $want)" "$want" "$rc"
}
mal 22 "ADD_UEID without the attribute" $GEN 10
mal 22 "ADD_UEID with 32 bytes (no NUL)" $GEN 10 1:nstr:"$(pad FOXTROT)"
mal 22 "ADD_UEID with 34 bytes" $GEN 10 1:str:"$(pad FOXTROT)X"
mal 22 "ADD_UEID with 33 bytes, unterminated" $GEN 10 1:nstr:"$(pad FOXTROT)X"
mal 22 "ADD_UEID with a NUL inside" $GEN 10 "1:hex:464f5800$(printf '20%.0s' $(seq 28))00"
mal 22 "ADD_UEID with lower case" $GEN 10 1:str:"$(pad foxtrot)"
mal 22 "ADD_UEID starting with '.'" $GEN 10 1:str:"$(pad .FOX)"
mal 22 "ADD_UEID with \"..\"" $GEN 10 1:str:"$(pad F..X)"
mal 22 "ADD_UEID with '_'" $GEN 10 1:str:"$(pad F_X)"
mal 22 "ADD_UEID all blanks" $GEN 10 1:str:"$(pad '')"
mal 22 "ADD_UEID blank inside" $GEN 10 1:str:"$(pad 'F X')"
mal 22 "ADD_UEID as u32" $GEN 10 1:u32:7
mal 22 "ADD_UEID with 300 bytes" $GEN 10 1:str:"$(printf 'A%.0s' $(seq 300))"
mal 22 "ADD_UEID with nla_len past the message" $GEN 10 --len 200 1:str:"$(pad FOXTROT)"
mal 22 "ADD_UEID with nla_len 3" $GEN 10 --len 3 1:str:"$(pad FOXTROT)"
mal 22 "ADD_UEID with a truncated payload" $GEN 10 --trunc 20 1:str:"$(pad FOXTROT)"
mal 22 "REMOVE_UEID without the attribute" $GEN 11
mal 22 "REMOVE_UEID with 32 bytes" $GEN 11 1:nstr:"$(pad ALPHA)"
mal 95 "command 0" $GEN 0
mal 95 "command 19" $GEN 19
mal 95 "command 255" $GEN 255
mal 95 "DUMP_UEID (dump only) as doit" $GEN 9
mal 95 "GET_STATS (dump only) as doit" $GEN 7
mal 95 "ADD_UEID (doit only) as dump" -d $GEN 10 1:str:"$(pad FOXTROT)"
mal 95 "$PNET command 0" $PNET 0
mal 95 "$PNET command 5" $PNET 5
expect_eq "malformed: the UEIDs did not change" "$before" \
	"$(jget ua 'join(" ")' ueid)"
# An attribute a dump does not take: refused, or ignored, never harmful.
out=$(ip netns exec ua "$probe" -d $GEN 9 1:str:"$(pad FOXTROT)")
printf '%s\n' "$out" | grep -E '^(error|result)' | sed 's/^/# /'
expect_eq "malformed: the UEIDs still did not change" "$before" \
	"$(jget ua 'join(" ")' ueid)"

run_rc 0 "ueid: flush" u ueid flush
expect_eq "ueid: empty after flush" 0 "$(jget ua length ueid)"
run_rc 0 "ueid: flush of an empty table" u ueid flush

# ------------------------------------------------------ system EID
expect_eq "seid: shown and enabled" "$seid true" \
	"$(jget ua '"\(.seid) \(.enabled)"' seid)"
run_rc 1 "seid: cannot be disabled without a user EID" u seid disable
expect_eq "seid: still enabled" true "$(jget ua .enabled seid)"
u ueid add GOLF
run_rc 0 "seid: disable with a user EID" u seid disable
expect_eq "seid: disabled" false "$(jget ua .enabled seid)"
expect_eq "seid: still enabled in another namespace" true \
	"$(jget ub .enabled seid)"
u seid | grep -qx "$seid \[disabled\]" && ok "seid: text shows [disabled]" ||
	fail "seid: text shows [disabled]"
run_rc 0 "seid: enable" u seid enable
expect_eq "seid: enabled again" true "$(jget ua .enabled seid)"
u ueid flush

# ------------------------------------------------------ PNET table
mkns pa
p() { ip netns exec pa "$smc" "$@"; }
expect_eq "pnet: empty at first" 0 "$(jget pa length pnet)"
run_rc 0 "pnet: add NET1 dev lo" p pnet add NET1 dev lo
run_rc 0 "pnet: add NET2 ib mlx5_0 port 2" p pnet add NET2 ib mlx5_0 port 2
expect_eq "pnet: entries with n/a and 255 filling" \
	"NET1:lo:n/a:255 NET2:n/a:mlx5_0:2" \
	"$(jget pa '[.[] | "\(.pnetid):\(.eth_name):\(.ib_name):\(.ib_port)"] | sort | join(" ")' pnet)"
expect_eq "pnet: show NET2 alone (GET doit)" "NET2" \
	"$(jget pa '[.[].pnetid] | join(" ")' pnet show NET2)"
expect_eq "pnet: show of an unknown ID is empty" 0 \
	"$(jget pa length pnet show NET7)"
run_rc 1 "pnet: lo has a PNET ID already" p pnet add NET3 dev lo
expect_eq "pnet: another namespace has none" 0 "$(jget ub length pnet)"
expect_eq "pnet: the initial namespace has none" 0 "$(jget "" length pnet)"
mp()
{
	local want=$1 desc=$2 out rc
	shift 2
	out=$(ip netns exec pa "$probe" "$PNET" "$@" 2>&1)
	rc=$?
	printf '%s\n' "$out" | grep -E '^(error|result)' | sed 's/^/# /'
	expect_eq "malformed pnet: $desc (errno $want)" "$want" "$rc"
}
pbefore=$(jget pa -c pnet)
mp 22 "ADD without a name" 2 2:str:lo
mp 22 "ADD with a name only" 2 1:str:NET5
mp 22 "ADD with a 17-character name" 2 1:str:ABCDEFGHIJKLMNOPQ 2:str:lo
mp 22 "ADD with an unterminated name" 2 1:nstr:NET5 2:str:lo
mp 22 "ADD with a 16-byte interface name" 2 1:str:NET5 2:str:abcdefghijklmnop
mp 22 "ADD with a name that is not alphanumeric" 2 1:str:NET-5 2:str:lo
mp 22 "ADD with port 0" 2 1:str:NET5 3:str:mlx5_1 4:u8:0
mp 22 "ADD with port 3" 2 1:str:NET5 3:str:mlx5_1 4:u8:3
mp 22 "ADD with the port as u32" 2 1:str:NET5 3:str:mlx5_1 4:u32:1
mp 22 "ADD with nla_len past the message" 2 --len 100 1:str:NET5 2:str:lo
mp 22 "DEL without a name" 3
expect_eq "malformed pnet: the table did not change" "$pbefore" \
	"$(jget pa -c pnet)"
run_rc 1 "pnet: del of an unknown ID is refused" p pnet del NET9
probe_rc 2 "pnet: del of an unknown ID gets ENOENT" -n pa $PNET 3 1:str:NET9
# As 6.1: an ID no entry can have (not alphanumeric) matches nothing; it
# is no error (smc_pnet -s shows nothing, -d gets ENOENT).
probe_rc 0 "pnet: GET of NET_1 finds nothing" -n pa $PNET 1 1:str:NET_1
expect_eq "pnet: GET of NET_1 answers no entry" 0 \
	"$(ip netns exec pa "$probe" "$PNET" 1 1:str:NET_1 2>&1 | grep -c '^msg .* cmd 1 ')"
probe_rc 2 "pnet: DEL of NET_1 gets ENOENT" -n pa $PNET 3 1:str:NET_1
# As in-tree: blanks around a PNET ID are dropped, not refused.
probe_rc 0 "pnet: ADD of \" net4 \"" -n pa $PNET 2 "1:str: net4 " \
	3:str:mlx5_4 4:u8:1
expect_eq "pnet: \" net4 \" is stored as NET4" NET4 \
	"$(jget pa '[.[].pnetid] | join(" ")' pnet show NET4)"
probe_rc 0 "pnet: DEL of \"NET4 \"" -n pa $PNET 3 "1:str:NET4 "
# As in-tree: the commands of 6.1's first release are spared genetlink's
# strict header check, so flags such as create|excl (as iproute2-style
# clients set them) or a lone root flag pass it as they always did.
probe_rc 2 "pnet: DEL with NLM_F_CREATE|NLM_F_EXCL gets ENOENT" -n pa \
	-f 0x605 $PNET 3 1:str:NET9
probe_rc 95 "GET_SYS_INFO with NLM_F_ROOT alone is no dump: EOPNOTSUPP" \
	-n pa -f 0x105 $GEN 1
run_rc 0 "pnet: del NET2" p pnet del NET2
expect_eq "pnet: NET1 left" NET1 "$(jget pa '[.[].pnetid] | join(" ")' pnet)"
run_rc 0 "pnet: flush" p pnet flush
expect_eq "pnet: empty after flush" 0 "$(jget pa length pnet)"
p pnet add NET1 dev lo
# As 6.1: an interface and a device in one request are added each on its
# own, and EEXIST means neither was new.
probe_rc 0 "pnet: ADD of lo (listed already) with mlx5_7 adds mlx5_7" \
	-n pa $PNET 2 1:str:NET7 2:str:lo 3:str:mlx5_7 4:u8:1
expect_eq "pnet: lo stays NET1, mlx5_7 is NET7" "NET1:lo:n/a NET7:n/a:mlx5_7" \
	"$(jget pa '[.[] | "\(.pnetid):\(.eth_name):\(.ib_name)"] | join(" ")' pnet)"
probe_rc 17 "pnet: the same again gets EEXIST" \
	-n pa $PNET 2 1:str:NET7 2:str:lo 3:str:mlx5_7 4:u8:1
p pnet del NET7
p pnet | sed 's/^/# /'

# ------------------------------------------------------ handshake limitation
h() { ip netns exec pa "$smc" "$@"; }
expect_eq "hs-limit: off at first" false "$(jget pa .enabled hs-limit)"
run_rc 0 "hs-limit: enable" h hs-limit enable
expect_eq "hs-limit: on" true "$(jget pa .enabled hs-limit)"
expect_eq "hs-limit: off in another namespace" false \
	"$(jget ub .enabled hs-limit)"
h hs-limit | grep -qx "handshake limitation: enabled" &&
	ok "hs-limit: text output" || fail "hs-limit: text output"
run_rc 0 "hs-limit: disable" h hs-limit disable
expect_eq "hs-limit: off again" false "$(jget pa .enabled hs-limit)"

# ------------------------------------------------------ privileges
# Reading needs nothing; changing needs CAP_NET_ADMIN over the namespace.
np() { ip netns exec pa "${nobody[@]}" "$smc" "$@"; }
for cmd in "info" "dev" "stats" "conn" "pnet" "ueid" "seid" "hs-limit"; do
	run_rc 0 "unprivileged: smc $cmd" np $cmd
done
run_rc 4 "unprivileged: ueid add refused" np ueid add HOTEL
run_rc 4 "unprivileged: ueid flush refused" np ueid flush
run_rc 4 "unprivileged: seid disable refused" np seid disable
run_rc 4 "unprivileged: pnet add refused" np pnet add NET4 ib mlx4_0
run_rc 4 "unprivileged: pnet flush refused" np pnet flush
run_rc 4 "unprivileged: hs-limit enable refused" np hs-limit enable
np ueid add HOTEL 2>&1 | grep -q "permission denied" &&
	ok "unprivileged: the message says permission denied" ||
	fail "unprivileged: the message says permission denied"
out=$(ip netns exec pa "${nobody[@]}" "$probe" $GEN 10 1:str:"$(pad HOTEL)")
expect_eq "unprivileged: raw ADD_UEID gets EPERM" "result 1 EPERM" \
	"$(tail -n 1 <<<"$out")"
expect_eq "unprivileged: nothing changed" "0 NET1 false" \
	"$(jget pa length ueid) $(jget pa '[.[].pnetid] | join(" ")' pnet) $(jget pa .enabled hs-limit)"
# A user namespace of its own does not give rights over this namespace.
run_rc 4 "user namespace root: no rights over a foreign network namespace" \
	ip netns exec pa "${nobody[@]}" unshare --user --map-root-user "$smc" ueid add HOTEL

ip netns del pa
ip netns del ua
ip netns del ub

# sock_diag over many sockets: the dump goes on in batches of 32 (and in
# several messages) from where the last batch ended. 800 sockets held open
# must each show exactly once in every dump while other sockets come and
# go, among them the held ones' neighbours in the list.
cat >/tmp/diag_many.py <<'PY'
import os, random, resource, socket, subprocess, sys, threading
resource.setrlimit(resource.RLIMIT_NOFILE, (4096, 4096))
diag = sys.argv[1]
held, doomed = [], []
for i in range(800):
	held.append(socket.socket(43, socket.SOCK_STREAM, i % 8 == 0))
	doomed.append(socket.socket(43, socket.SOCK_STREAM, 0))
want = sorted(os.fstat(s.fileno()).st_ino for s in held)
stop = threading.Event()
def churn():
	random.shuffle(doomed)
	while not stop.is_set():
		if doomed:
			doomed.pop().close()
		socket.socket(43, socket.SOCK_STREAM, 0).close()
t = threading.Thread(target=churn)
t.start()
bad = 0
for r in range(6):
	out = subprocess.run([diag], capture_output=True, text=True).stdout
	seen = [int(l.split()[0][6:]) for l in out.splitlines()
		if l.startswith("inode=")]
	if sorted(i for i in seen if i in set(want)) != want:
		bad += 1
stop.set()
t.join()
print("dumps=6 bad=%d" % bad)
PY
expect_eq "diag: 800 held sockets each once in every dump, others churning" \
	"dumps=6 bad=0" "$(python3 /tmp/diag_many.py "$SMC_TOOLS/smc_diag_dump" 2>&1)"

tap_exit
