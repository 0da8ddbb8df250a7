#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 300
#
# Real applications, unmodified, under smc_run over the SMC-D loopback
# device: iperf3, redis-server with redis-benchmark, nginx with a client
# fetching a file and comparing it, and TLS (openssl s_server/s_client).
# Each one's own checks must pass, and while it runs its connections must
# be on SMC-D (read through sock_diag: AF_SMC sockets in mode SMCD, none
# fallen back).
source "$(dirname "$0")/lib.sh"

repo=${SMC_REPO:-$(cd "$(dirname "$0")/../../../../.." && pwd)}
run=$repo/tools/smc_run/smc_run
dump=$SMC_TOOLS/smc_diag_dump
work=/tmp/apps
mkdir -p "$work"

tap_plan 10

modprobe smc && modprobe smc_diag && modprobe smc_loopback ||
	fail "modprobe smc smc_diag smc_loopback"

# modes_seen FILE: the distinct connection modes in sock_diag dumps taken
# while an application ran (listeners and closed sockets left out).
modes_seen()
{
	grep -v 'state=LISTEN\|state=INIT\|state=CLOSED' "$1" |
		sed -n 's/.* mode=\([A-Z]*\).*/\1/p' | sort -u | tr '\n' ' ' |
		sed 's/ $//'
}

# listening PORT: wait (up to 10 s) until something listens on PORT, as
# ss sees it (a probe connection could use up a single-accept server).
listening()
{
	for _ in $(seq 100); do
		ss -Hltn "sport = :$1" | grep -q . && return 0
		sleep 0.1
	done
	return 1
}

# watch FILE: sock_diag every 0.1 s into FILE until killed.
watch_diag()
{
	while :; do "$dump" 2>/dev/null; sleep 0.1; done >"$1"
}

# --- iperf3: its own client and server, both under smc_run
"$run" iperf3 -s -1 -p 5201 >"$work/iperf.srv" 2>&1 &
spid=$!
listening 5201
watch_diag "$work/iperf.diag" &
wpid=$!
"$run" iperf3 -c 127.0.0.1 -p 5201 -t 2 -J >"$work/iperf.json" 2>&1
rc=$?
kill $wpid; wait $spid
bytes=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["end"]["sum_received"]["bytes"])' \
	"$work/iperf.json" 2>/dev/null)
expect_eq "iperf3: client exit status" 0 "$rc"
if [ -n "$bytes" ] && [ "$bytes" -gt 0 ]; then
	ok "iperf3: $bytes bytes received in 2 s"
else
	fail "iperf3: bytes received ($bytes)"
	sed 's/^/# /' "$work/iperf.json" | head -20
fi
expect_eq "iperf3: its connections ran over SMC-D" SMCD "$(modes_seen "$work/iperf.diag")"

# --- redis: the server and its benchmark (which checks the replies)
"$run" redis-server --port 6390 --save '' --appendonly no \
	--daemonize no >"$work/redis.srv" 2>&1 &
spid=$!
for _ in $(seq 50); do
	"$run" redis-cli -p 6390 ping 2>/dev/null | grep -q PONG && break
	sleep 0.1
done
watch_diag "$work/redis.diag" &
wpid=$!
"$run" redis-benchmark -p 6390 -n 2000 -c 10 -t set,get -q >"$work/redis.out" 2>&1
rc=$?
"$run" redis-cli -p 6390 set smc-ng-key hello >/dev/null
got=$("$run" redis-cli -p 6390 get smc-ng-key)
kill $wpid
"$run" redis-cli -p 6390 shutdown nosave >/dev/null 2>&1
wait $spid
sed 's/^/# /' "$work/redis.out"
expect_eq "redis-benchmark: exit status" 0 "$rc"
expect_eq "redis: a value set is read back" hello "$got"
expect_eq "redis: its connections ran over SMC-D" SMCD "$(modes_seen "$work/redis.diag")"

# --- nginx serving a file; Python's urllib (under smc_run) fetches it
head -c 3M /dev/urandom >"$work/blob"
cat >"$work/nginx.conf" <<EOF
daemon off;
worker_processes 2;
pid $work/nginx.pid;
error_log $work/nginx.err;
events { worker_connections 64; }
http {
	access_log off;
	client_body_temp_path $work;
	server { listen 127.0.0.1:8090; root $work; }
}
EOF
"$run" nginx -c "$work/nginx.conf" >"$work/nginx.out" 2>&1 &
spid=$!
listening 8090
# Each fetch is over before a sock_diag sample would catch it: count the
# SMC-D handshakes instead, both ends, from the statistics.
v2_succ()
{
	"$repo/tools/smc/smc" -j stats |
		jq -r '"\(.smcd.clnt_v2_succ) \(.smcd.srv_v2_succ)"'
}
read -r c0 s0 <<<"$(v2_succ)"
"$run" python3 - "$work/blob" <<'EOF' >"$work/fetch.out" 2>&1
import hashlib, sys, urllib.request
want = hashlib.sha256(open(sys.argv[1], "rb").read()).hexdigest()
for i in range(20):
    got = hashlib.sha256(urllib.request.urlopen("http://127.0.0.1:8090/blob").read()).hexdigest()
    if got != want:
        print("MISMATCH", i)
        sys.exit(1)
print("20 fetches identical")
EOF
rc=$?
read -r c1 s1 <<<"$(v2_succ)"
kill $spid; wait $spid 2>/dev/null
sed 's/^/# /' "$work/fetch.out"
expect_eq "nginx: 20 fetches of a 3 MiB file, byte for byte" 0 "$rc"
expect_eq "nginx: its 20 connections ran over SMC-D (client, server)" "20 20" \
	"$((c1 - c0)) $((s1 - s0))"

# --- TLS over SMC: openssl s_server and s_client exchange a file
openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=smc-ng -days 1 \
	-keyout "$work/key.pem" -out "$work/cert.pem" >/dev/null 2>&1
head -c 1M /dev/urandom >"$work/tls.in"
# s_server ends the session at EOF on its input: keep that open.
"$run" openssl s_server -accept 8443 -cert "$work/cert.pem" -key "$work/key.pem" \
	-naccept 1 -quiet < <(sleep 30) >"$work/tls.out" 2>"$work/tls.err" &
spid=$!
listening 8443
watch_diag "$work/tls.diag" &
wpid=$!
"$run" openssl s_client -connect 127.0.0.1:8443 -quiet -ign_eof \
	<"$work/tls.in" >/dev/null 2>"$work/tls.cli" &
cpid=$!
for _ in $(seq 100); do
	[ "$(stat -c %s "$work/tls.out" 2>/dev/null)" = 1048576 ] && break
	sleep 0.1
done
kill $wpid $cpid 2>/dev/null
wait $spid 2>/dev/null
if cmp -s "$work/tls.in" "$work/tls.out"; then
	ok "TLS: 1 MiB through openssl s_client to s_server, intact"
else
	fail "TLS: 1 MiB through openssl ($(stat -c %s "$work/tls.out") bytes)"
	sed 's/^/# /' "$work/tls.err" "$work/tls.cli" | head
fi
expect_eq "TLS: its connection ran over SMC-D" SMCD "$(modes_seen "$work/tls.diag")"

tap_exit
