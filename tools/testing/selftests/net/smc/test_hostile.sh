#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 400
#
# Hostile and broken SMC peers. smc_evil_peer speaks TCP but has the
# kernel send or echo the SMC option (modules/smc_test_peer.ko), then
# misbehaves. Our AF_SMC server must answer as the in-tree stack would:
# a DECLINE or a PROPOSAL first means fallback with the right reason and
# the application's bytes intact; anything malformed, truncated, late or
# abandoned fails that one connection (the peer sees EOF or RST and
# accept() never returns it). A well-behaved client is served promptly
# throughout, and afterwards no socket, TCP connection or module
# reference is left. Our AF_SMC client meets an evil server too.
#
# The expectations are those of a host without any SMC device (only smc
# and smc_diag are loaded). The distribution's 6.1 modules pass them all
# (vm/run-guest --modules distro -- test_hostile.sh) except "trickle",
# which 6.1 bounds at twice 6 s (one receive timeout per read).
#
# Needs the test module: make -C tools/testing/selftests/net/smc/modules
source "$(dirname "$0")/lib.sh"

evil=$SMC_TOOLS/smc_evil_peer
kmod=$SMC_SELFTESTS/modules/smc_test_peer.ko
P4=7301		# AF_SMC echo server, IPv4
P6=7302		# AF_SMC echo server, IPv6
PB=7303		# evil server (bait) for our AF_SMC client
PH=7304		# AF_SMC listener that never accepts, closed mid-test
PL=7305		# AF_SMC echo server with a listen backlog of 4
PR=7306		# IPPROTO_SMC listener shut down and listening again
out=$(mktemp -d /tmp/hostile.XXXXXX)

# Last value of KEY= in FILE.
kv()
{
	sed -n "s/.*[: ]$2=\\([^ ]*\\).*/\\1/p" "$1" | tail -n 1
}

# Several keys of the last line of FILE starting with PREFIX, "k=v ...".
kvs()
{
	local f=$1 pfx=$2 line k res=()
	shift 2
	line=$(grep "^$pfx" "$f" | tail -n 1)
	for k in "$@"; do
		res+=("$k=$(sed -n "s/.* $k=\\([^ ]*\\).*/\\1/p" <<<"$line")")
	done
	echo "${res[*]}"
}

# a <= b for decimals; false if either is not a number
le()
{
	[[ "$1" =~ ^[0-9]+(\.[0-9]+)?$ ]] && [[ "$2" =~ ^[0-9]+(\.[0-9]+)?$ ]] &&
		awk -v a="$1" -v b="$2" 'BEGIN { exit !(a + 0 <= b + 0) }'
}

tcp_stat()
{
	awk '$1 == "TCP:" { print "inuse=" $3, "orphan=" $5, "alloc=" $9 }' \
		/proc/net/sockstat
}

# --------------------------------------------------------------- cases

# Fall back: "CASE CLC-SEEN-BY-PEER SERVER-REASON SERVER-PEER-DIAG".
# DECLINE first: no answer, PEERDECL with the peer's diagnosis. PROPOSAL
# first: the DECLINE and reason a 6.1 server without devices gives (its
# RDMA v1 search ends in NOSMCDEV; a prefix mismatch wins over it).
fallback_cases=(
	"decl-v1 none 0x05000000 0x03030000"
	"decl-v2 none 0x05000000 0x03030008"
	"decl-trailer none 0x05000000 0x03030000"
	"decl-split none 0x05000000 0x03030000"
	"prop-v1-r decline-v1-0x03030000 0x03030000 0x00000000"
	"prop-v1-d decline-v1-0x03030001 0x03030001 0x00000000"
	"prop-v1-b decline-v1-0x03030001 0x03030001 0x00000000"
	"prop-v1-prefix decline-v1-0x03070000 0x03070000 0x00000000"
	"prop-v1-eye-d decline-v1-0x03030000 0x03030000 0x00000000"
	"prop-v2-r1 decline-v2-0x03030000 0x03030000 0x00000000"
	"prop-v2-d decline-v2-0x03030003 0x03030003 0x00000000"
	"prop-v2-r decline-v2-0x03030000 0x03030000 0x00000000"
	"prop-v2-r-noueid decline-v2-0x03030008 0x03030008 0x00000000"
	"prop-split decline-v1-0x03030000 0x03030000 0x00000000"
)
fallback6_cases=(
	"decl-v1 none 0x05000000 0x03030000"
	"prop-v2-d decline-v2-0x03030003 0x03030003 0x00000000"
)
# Fail at once: malformed, or truncated and then closed for writing.
drop_cases=(garbage bad-eye bad-version type-accept type-confirm
	    type-unknown type-zero prop-oversize prop-undersize len-zero
	    prop-v1-len prop-v2-len prop-trailer decl-v1-len44 decl-v2-len28
	    decl-oversize short-shut hdr-shut)
drop6_cases=(garbage)
# Fail when the CLC timer (6 s) expires.
stall_cases=(stall short-stall hdr-stall trickle)
# The peer leaves mid-handshake.
gone_cases=(close rst short-rst short-close)
FLOOD=48

D=${#drop_cases[@]} D6=${#drop6_cases[@]} S=${#stall_cases[@]} G=${#gone_cases[@]}
plan=$((1 + 2 * ${#fallback_cases[@]} + 2 * ${#fallback6_cases[@]} + D + D6 +
	3 + S + 1 + 2 + G + 2 + 3 + 1 + 11 + 2 + 9 + 2 + 2 + D + D6 + S + G + 1 + 9))
tap_plan $plan

if ! modprobe smc || ! modprobe smc_diag; then
	echo "# modprobe failed"
	exit 1
fi
if [ ! -f "$kmod" ]; then
	echo "# $kmod missing: make -C tools/testing/selftests/net/smc/modules"
	exit 1
fi
insmod "$kmod" || { echo "# insmod $kmod failed"; exit 1; }
sock_base=$(awk '$1 == "sockets:" { print $3 }' /proc/net/sockstat)
tcp_base=$(tcp_stat)

check "test device: marks TCP sockets only, clean errors otherwise" \
	"$evil" devcheck

"$evil" -p $P4 serve >"$out/serve4" 2>&1 &
serve4=$!
"$evil" -6 -p $P6 serve >"$out/serve6" 2>&1 &
serve6=$!
wait_for_line "$out/serve4" "listening" && wait_for_line "$out/serve6" "listening" ||
	echo "# the AF_SMC servers did not start"

# attack [-6] CASE: one attack, its result line in $out/CASE[.6].
# Attack clients connect from ports of a reserved range, one each: no
# later connection can take a port whose accept() the test checks.
# Assigned up front (attacks also run in background subshells).
echo 20000-20999 >/proc/sys/net/ipv4/ip_local_reserved_ports
declare -A attack_ports
i=0
while read -r kind name _; do
	[ "$kind" = attack ] || continue
	attack_ports[$name]=$((20000 + 2 * i))
	attack_ports[$name.6]=$((20001 + 2 * i))
	i=$((i + 1))
done < <("$evil" cases)
attack()
{
	local o=() p=$P4 sfx=''
	if [ "$1" = -6 ]; then
		o=(-6) p=$P6 sfx=.6
		shift
	fi
	"$evil" "${o[@]}" -p $p -L "${attack_ports[$1$sfx]:-0}" attack "$1" \
		>"$out/$1$sfx" 2>&1
	sed 's/^/# /' "$out/$1$sfx"
}

# The server's accept line for a client port.
accepted()
{
	grep "^serve: accept rport=$2 " "$1" | tail -n 1
}

fallback_case()
{
	local log=$1 sfx=$2 name=$3 clc=$4 reason=$5 pdiag=$6 f port line
	f=$out/$name$sfx
	expect_eq "$name$sfx: DECLINE or none as Linux, data echoed intact after fallback" \
		"echoed=1 clc=$clc echo=ok end=eof" \
		"$(kvs "$f" attack: echoed clc echo end)"
	port=$(kv "$f" lport)
	line=$(accepted "$log" "$port")
	expect_eq "$name$sfx: accepted over TCP with reason $reason, peer $pdiag" \
		"path=tcp reason=$reason peer_diag=$pdiag" \
		"$(sed -n 's/.*\(path=[^ ]* reason=[^ ]* peer_diag=[^ ]*\).*/\1/p' <<<"$line")"
}

drop_case()
{
	local name=$1 sfx=$2 f end secs
	f=$out/$name$sfx
	end=$(kv "$f" end)
	secs=$(kv "$f" secs)
	if [ "$(kvs "$f" attack: echoed clc rx)" = "echoed=1 clc=none rx=0" ] &&
	   { [ "$end" = eof ] || [ "$end" = rst ]; } && le "$secs" 3; then
		ok "$name$sfx: connection failed at once (end=$end after ${secs}s), nothing sent back"
	else
		fail "$name$sfx: connection failed at once, nothing sent back: $(tail -n 1 "$f")"
	fi
}

for c in "${fallback_cases[@]}"; do
	read -r name _ <<<"$c"
	attack "$name"
done
for c in "${fallback6_cases[@]}"; do
	read -r name _ <<<"$c"
	attack -6 "$name"
done
sleep 0.5
for c in "${fallback_cases[@]}"; do
	# shellcheck disable=SC2086
	fallback_case "$out/serve4" "" $c
done
for c in "${fallback6_cases[@]}"; do
	# shellcheck disable=SC2086
	fallback_case "$out/serve6" .6 $c
done

for name in "${drop_cases[@]}"; do
	attack "$name"
	drop_case "$name" ""
done
for name in "${drop6_cases[@]}"; do
	attack -6 "$name"
	drop_case "$name" .6
done

# Stalled handshakes, all at once, and a good client meanwhile. At the
# same time a listener that never accepts gets a connection that falls
# back (queued for accept) and a stalled one, and then closes.
"$evil" -p $PH hold >"$out/hold" 2>&1 &
hold=$!
wait_for_line "$out/hold" listening || echo "# the holding listener did not start"
pids=()
for name in "${stall_cases[@]}"; do
	attack "$name" &
	pids+=($!)
done
attack -6 short-stall &
pids+=($!)
"$evil" -p $PH attack decl-v1 >"$out/unaccepted" 2>&1 &
pids+=($!)
"$evil" -p $PH attack stall >"$out/orphaned" 2>&1 &
pids+=($!)
want=$((1 + ${#stall_cases[@]} + 3))
n=$(wait_sockets SMC $want 3)
expect_eq "SMC sockets: 2 listeners, ${#stall_cases[@]}+1 handshakes, 1 queued" \
	"$want" "$n"
kill "$hold"
"$evil" -p $P4 good >"$out/good-stall" 2>&1
sed 's/^/# /' "$out/good-stall"
expect_eq "good client during the stalls: fallback as usual, data intact" \
	"path=tcp reason=0x03030000 data=ok end=eof" \
	"$(kvs "$out/good-stall" good: path reason data end)"
secs=$(kv "$out/good-stall" secs)
if le "$secs" 2; then
	ok "good client served in ${secs}s, not behind the stalled handshakes"
else
	fail "good client served promptly: took ${secs:-?}s"
fi
wait "${pids[@]}" "$hold" 2>/dev/null
sed 's/^/# /' "$out/unaccepted" "$out/orphaned"
f=$out/unaccepted
end=$(kv "$f" end)
secs=$(kv "$f" secs)
if [ "$(kvs "$f" attack: echoed clc rx)" = "echoed=1 clc=none rx=0" ] &&
   { [ "$end" = eof ] || [ "$end" = rst ]; } && le "$secs" 5; then
	ok "listener closed: its queued, never accepted connection ends at once (end=$end after ${secs}s)"
else
	fail "listener closed: its queued, never accepted connection ends at once: $(tail -n 1 "$f")"
fi
f=$out/orphaned
end=$(kv "$f" end)
secs=$(kv "$f" secs)
if [ "$(kvs "$f" attack: echoed clc rx)" = "echoed=1 clc=none rx=0" ] &&
   { [ "$end" = eof ] || [ "$end" = rst ]; } && le "$secs" 8; then
	ok "listener closed: its pending handshake ends too (end=$end after ${secs}s)"
else
	fail "listener closed: its pending handshake ends too: $(tail -n 1 "$f")"
fi
for name in "${stall_cases[@]}" short-stall.6; do
	f=$out/$name
	end=$(kv "$f" end)
	secs=$(kv "$f" secs)
	if [ "$(kvs "$f" attack: echoed clc rx)" = "echoed=1 clc=none rx=0" ] &&
	   { [ "$end" = eof ] || [ "$end" = rst ]; } &&
	   le 5.5 "$secs" && le "$secs" 8; then
		ok "$name: dropped by the CLC timer (end=$end after ${secs}s)"
	else
		fail "$name: dropped by the CLC timer after about 6 s: $(tail -n 1 "$f")"
	fi
done

# Peers that leave: the child goes at once, not when the timer fires.
for name in "${gone_cases[@]}"; do
	attack "$name"
	n=$(wait_sockets SMC 1 2)
	expect_eq "$name: handshake given up within 2 s (only the listener left)" 1 "$n"
done

# shutdown(SHUT_RD) stops a listener as TCP's does: the connections it
# had taken are reset, those still negotiating too, and a later listen()
# on the socket starts empty. The PROPOSAL in pieces is still arriving
# when the listener stops, and its handshake ends after listen() again.
cat >/tmp/relisten.py <<'PY'
import select, socket, sys, time

s = socket.socket(socket.AF_INET, socket.SOCK_STREAM, 256)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1])))
s.listen(8)
print("listening", flush=True)
time.sleep(0.8)
s.shutdown(socket.SHUT_RD)
s.listen(8)
n, end = 0, time.time() + 4
while time.time() < end:
	if select.select([s], [], [], max(0, end - time.time()))[0]:
		c, _ = s.accept()
		n += 1
		c.close()
print("relisten: accepted=%d" % n, flush=True)
PY
python3 /tmp/relisten.py $PR >"$out/relisten" 2>&1 &
relisten=$!
wait_for_line "$out/relisten" listening
"$evil" -p $PR attack prop-split >"$out/relisten-attack" 2>&1
wait $relisten
sed 's/^/# /' "$out/relisten" "$out/relisten-attack"
expect_eq "shutdown(SHUT_RD), listen(): a handshake under way at the stop is not accepted later" \
	"accepted=0" "$(kvs "$out/relisten" relisten: accepted)"
f=$out/relisten-attack
end=$(kv "$f" end)
if [ "$(kvs "$f" attack: echo)" != "echo=ok" ] &&
   { [ "$end" = eof ] || [ "$end" = rst ]; }; then
	ok "shutdown(SHUT_RD): the peer of that handshake sees its connection end (end=$end)"
else
	fail "shutdown(SHUT_RD): the peer of that handshake sees its connection end: $(tail -n 1 "$f")"
fi

# A flood: half valid proposals, half silent, and a good client. At the
# same time stalled handshakes fill a listen backlog of 4; a client
# arriving then waits in TCP's queue and must be served once they time out.
"$evil" -p $PL -b 4 serve >"$out/serve-bl" 2>&1 &
serve_bl=$!
wait_for_line "$out/serve-bl" listening || echo "# the backlog-4 server did not start"
pids=()
for i in 1 2 3 4; do
	"$evil" -p $PL attack stall >"$out/bl-stall$i" 2>&1 &
	pids+=($!)
done
"$evil" -p $P4 -N $FLOOD flood >"$out/flood" 2>&1 &
flood=$!
sleep 1
"$evil" -p $PL -t 20 good >"$out/good-backlog" 2>&1 &
pids+=($!)
echo "# SMC sockets during the flood: $(proto_sockets SMC)"
"$evil" -p $P4 good >"$out/good-flood" 2>&1
sed 's/^/# /' "$out/good-flood"
wait $flood
grep -v '^flood-conn' "$out/flood" | sed 's/^/# /'
expect_eq "good client during the flood: fallback as usual, data intact" \
	"path=tcp reason=0x03030000 data=ok end=eof" \
	"$(kvs "$out/good-flood" good: path reason data end)"
secs=$(kv "$out/good-flood" secs)
if le "$secs" 2; then
	ok "good client served in ${secs}s during the flood"
else
	fail "good client served promptly during the flood: took ${secs:-?}s"
fi
expect_eq "flood: every proposal declined and echoed, every silent one dropped" \
	"proposals_ok=$((FLOOD / 2)) silent_dropped=$((FLOOD / 2))" \
	"$(kvs "$out/flood" flood: proposals_ok silent_dropped)"
wait "${pids[@]}"
sed 's/^/# /' "$out"/bl-stall* "$out/good-backlog"
secs=$(kv "$out/good-backlog" secs)
if [ "$(kvs "$out/good-backlog" good: data end)" = "data=ok end=eof" ] &&
   le "$secs" 10; then
	ok "full backlog: a waiting client is served once the stalls time out (${secs}s)"
else
	fail "full backlog: a waiting client is served once the stalls time out: $(tail -n 1 "$out/good-backlog")"
fi
kill "$serve_bl"
wait "$serve_bl" 2>/dev/null

# ------------------------------------------- our AF_SMC client vs a bait

# bait CASE [GOOD OPTIONS]: evil server and our client; results in
# $out/bait-CASE and $out/good-CASE.
bait()
{
	local name=$1 bpid
	shift
	"$evil" -p $PB bait "$name" >"$out/bait-$name" 2>&1 &
	bpid=$!
	wait_for_line "$out/bait-$name" listening
	"$evil" -p $PB -t 10 "$@" good >"$out/good-$name" 2>&1
	echo "good_rc=$?" >>"$out/good-$name"
	wait $bpid
	sed 's/^/# /' "$out/bait-$name" "$out/good-$name"
}

bait decline
expect_eq "bait decline: our client sent exactly a 28-byte v1 DECLINE, NOSMCDEV" \
	"echoed=1 decline=ok end=eof" "$(kvs "$out/bait-decline" "bait: case" echoed decline end)"
expect_eq "bait decline: our client fell back, data intact" \
	"path=tcp reason=0x03030000 data=ok" \
	"$(kvs "$out/good-decline" good: path reason data)"
csecs=$(kv "$out/good-decline" connect_secs)
if le "$csecs" 1; then
	ok "bait decline: connect() did not wait for CLC (${csecs}s)"
else
	fail "bait decline: connect() did not wait for CLC: ${csecs:-?}s"
fi

# Without a device our client, like Linux, declines without reading: the
# server's early bytes are the application's first bytes.
bait garbage -g 100
expect_eq "bait garbage: our client still sent its DECLINE" \
	"decline=ok end=eof" "$(kvs "$out/bait-garbage" "bait: case" decline end)"
expect_eq "bait garbage: the 100 bytes reach the application, then the echo" \
	"path=tcp rx=$((100 + 16384)) data=ok" \
	"$(kvs "$out/good-garbage" good: path rx data)"

bait accept -g 68
expect_eq "bait accept: our client still sent its DECLINE" \
	"decline=ok end=eof" "$(kvs "$out/bait-accept" "bait: case" decline end)"
expect_eq "bait accept: the early ACCEPT reaches the application, then the echo" \
	"path=tcp rx=$((68 + 16384)) data=ok" \
	"$(kvs "$out/good-accept" good: path rx data)"

for name in close rst; do
	bait "$name"
	f=$out/good-$name
	if grep -q '^good: .* end=\(eof\|rst\)' "$f" ||
	   grep -q 'connect to .*: Connection reset' "$f"; then
		ok "bait $name: our client reports the server's $name cleanly"
	else
		fail "bait $name: our client reports the server's $name cleanly"
	fi
	expect_eq "bait $name: our client's AF_SMC socket is gone" 1 \
		"$(wait_sockets SMC 1 2)"
done

# ------------------------- our AF_SMC client vs a server that never answers

# With a device to offer, a blocking connect() waits for the answer to its
# PROPOSAL until the CLC timer (6 s) ends the connection with ETIMEDOUT.
# A signal or SO_SNDTIMEO returns from connect() early (EINTR, EINPROGRESS,
# as TCP's connect would) and the handshake goes on without the caller, to
# the same end.
modprobe smc_loopback
patient()
{
	local name=$1 port=$2
	shift 2
	local bpid
	"$evil" -p "$port" -t 15 bait mute >"$out/mute-$name" 2>&1 &
	bpid=$!
	wait_for_line "$out/mute-$name" listening
	"$evil" -p "$port" -t 15 "$@" patient >"$out/patient-$name" 2>&1
	wait $bpid
}
patient plain 7310 &
p1=$!
patient sndtimeo 7311 -S 300 &
p2=$!
patient signal 7312 -A 300 &
p3=$!
# While they wait for the answer, sock_diag (whose dumps run one at a
# time for the whole host, taking each socket's lock) must not wait with
# them: a server that polls its sockets would otherwise stop answering.
for _ in $(seq $((40 * ${SMC_TIMEOUT_SCALE:-1}))); do
	sleep 0.1
	"$SMC_TOOLS/smc_diag_dump" >"$out/diag-waiting" 2>&1
	[ "$(grep -cE 'state=INIT.*peer=[^ ]*:731[012] ' "$out/diag-waiting")" = 3 ] && break
done
if kill -0 $p1 2>/dev/null; then
	ok "sock_diag dump returns while connect() awaits the answer"
else
	fail "sock_diag dump returned only after the connect()s ended"
fi
sed 's/^/# /' "$out/diag-waiting"
expect_eq "sock_diag lists the three waiting connections" 3 \
	"$(grep -cE 'state=INIT.*peer=[^ ]*:731[012] ' "$out/diag-waiting")"
wait $p1 $p2 $p3
for c in plain:ETIMEDOUT sndtimeo:EINPROGRESS signal:EINTR; do
	name=${c%:*} first=${c#*:}
	f=$out/patient-$name
	sed 's/^/# /' "$out/mute-$name" "$f"
	expect_eq "mute server, $name connect(): returns $first, ends ETIMEDOUT" \
		"first=$first outcome=ETIMEDOUT" "$(kvs "$f" patient: first outcome)"
	# Early returns come at 0.3 s; the end comes with the CLC timer.
	if awk -v f="$(kv "$f" first_secs)" -v s="$(kv "$f" secs)" \
	       -v early=$([ "$name" = plain ] && echo 0 || echo 1) \
	       'BEGIN { exit !(s >= 5.5 && s < 10 && (early ? f < 2 : f >= 5.5)) }'; then
		ok "mute server, $name connect(): timing as the CLC timer says"
	else
		fail "mute server, $name connect(): timing: first after $(kv "$f" first_secs)s, end after $(kv "$f" secs)s"
	fi
	expect_eq "mute server, $name: it got a PROPOSAL, then our FIN" \
		"rx>0 end=eof" \
		"rx$([ "$(kv "$out/mute-$name" rx)" -gt 0 ] 2>/dev/null && echo '>0' || echo =0) end=$(kv "$out/mute-$name" end)"
done

# Closed while connect_work still awaits the answer: close() ends the
# attempt at once (not when the CLC timer would have), the server sees
# the connection end.
patient quit 7313 -S 300 -Q 500
f=$out/patient-quit
sed 's/^/# /' "$out/mute-quit" "$f"
if [ "$(kvs "$f" patient: first outcome)" = "first=EINPROGRESS outcome=closed" ] &&
   awk -v c="$(kv "$f" close_secs)" 'BEGIN { exit !(c != "" && c < 2) }'; then
	ok "mute server, closed while waiting: close() returned in $(kv "$f" close_secs)s"
else
	fail "mute server, closed while waiting: $(kvs "$f" patient: first outcome close_secs)"
fi
expect_eq "mute server, closed while waiting: the server saw the end" \
	"rx>0 end=eof" \
	"rx$([ "$(kv "$out/mute-quit" rx)" -gt 0 ] 2>/dev/null && echo '>0' || echo =0) end=$(kv "$out/mute-quit" end)"

# The device offered goes away while the PROPOSAL awaits its answer: the
# offer does not hold it, so rmmod returns at once; the connection still
# ends with the CLC timer.
patient rmmod 7314 &
p4=$!
for _ in $(seq $((40 * ${SMC_TIMEOUT_SCALE:-1}))); do
	sleep 0.1
	"$SMC_TOOLS/smc_diag_dump" 2>/dev/null | grep -qE 'state=INIT.*peer=[^ ]*:7314 ' && break
done
t0=$(date +%s.%N)
rmmod smc_loopback
rm_secs=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }')
wait $p4
sed 's/^/# /' "$out/mute-rmmod" "$out/patient-rmmod"
if le "$rm_secs" 2 && [ ! -e /sys/module/smc_loopback ]; then
	ok "device removed while a PROPOSAL offering it waits: rmmod took ${rm_secs}s"
else
	fail "device removed while a PROPOSAL offering it waits: rmmod took ${rm_secs}s"
fi
expect_eq "device removed while waiting: the connection still ends with the CLC timer" \
	"first=ETIMEDOUT outcome=ETIMEDOUT" "$(kvs "$out/patient-rmmod" patient: first outcome)"

# ----------------------------------------------------- nobody left over

sleep 0.5
not_accepted()
{
	local log=$1 f=$2 port
	port=$(kv "$f" lport)
	if [ -n "$port" ] && [ -z "$(accepted "$log" "$port")" ]; then
		ok "${f##*/}: accept() never returned it (port $port)"
	else
		fail "${f##*/}: accept() never returned it (port ${port:-?})"
	fi
}
for name in "${drop_cases[@]}" "${stall_cases[@]}" "${gone_cases[@]}"; do
	not_accepted "$out/serve4" "$out/$name"
done
for name in "${drop6_cases[@]}"; do
	not_accepted "$out/serve6" "$out/$name.6"
done
not_accepted "$out/serve6" "$out/short-stall.6"

bad=''
while read -r kind port; do
	line=$(accepted "$out/serve4" "$port")
	if [ "$kind" = proposal ] && [ -z "$line" ]; then
		bad="$bad proposal:$port"
	elif [ "$kind" = silent ] && [ -n "$line" ]; then
		bad="$bad silent:$port"
	fi
done < <(sed -n 's/^flood-conn: .* kind=\([a-z]*\) lport=\([0-9]*\).*/\1 \2/p' \
	"$out/flood")
expect_eq "flood: the proposals accepted, none of the silent ones" "" "$bad"

n=$(grep -c '^serve: accept' "$out/serve4" "$out/serve6" | awk -F: '{ s += $2 } END { print s }')
d=$(grep -h '^serve: done' "$out/serve4" "$out/serve6" | grep -c 'end=eof')
expect_eq "every accepted connection was served to its EOF" "$n" "$d"

expect_eq "with only the listeners open: SMC sockets" 1 "$(wait_sockets SMC 1 3)"
kill "$serve4" "$serve6"
wait "$serve4" "$serve6" 2>/dev/null
expect_eq "all closed: SMC sockets" 0 "$(wait_sockets SMC 0 3)"
expect_eq "all closed: SMC6 sockets" 0 "$(wait_sockets SMC6 0 3)"

left=$(ss -Htan | awk -v p="$P4|$P6|$PB|$PH|$PL|$PR" '
	$1 != "TIME-WAIT" && ($4 ~ ":(" p ")$" || $5 ~ ":(" p ")$")')
expect_eq "no connection on the test ports but TIME-WAIT" "" "$left"
for _ in $(seq 30); do
	[ "$(tcp_stat)" = "$tcp_base" ] && break
	sleep 0.1
done
expect_eq "TCP sockets in use/orphaned/allocated as before" "$tcp_base" "$(tcp_stat)"
expect_eq "sockets in use as before" "$sock_base" \
	"$(awk '$1 == "sockets:" { print $3 }' /proc/net/sockstat)"

rmmod smc_test_peer
if grep -q '^smc_test_peer ' /proc/modules; then
	fail "test module unloads"
else
	ok "test module unloads"
fi
rm -rf "$out"
tap_exit
