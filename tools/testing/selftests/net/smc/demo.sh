#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make demo, inside the guest: an unchanged stream client/server pair over
# AF_SMC on 127.0.0.1 (through the SMC-D loopback device), then the same
# over plain TCP, and what path the AF_SMC connection really took (from
# sock_diag, not assumed).
set -u
here=$(cd "$(dirname "$0")" && pwd)
stream=$here/smc_stream
size=${DEMO_SIZE:-256M}
port=7000

modprobe smc || exit 1
modprobe smc_diag || exit 1
# The SMC-D loopback device: shared memory between sockets of one kernel.
# DEMO_NO_DEVICE=1 leaves it out to show the transparent TCP fallback.
if [ -z "${DEMO_NO_DEVICE:-}" ]; then
	modprobe smc_loopback || exit 1
fi

run_pair()
{
	local fam=$1 port=$2 srv=/tmp/demo-$1.srv cli=/tmp/demo-$1.cli
	"$stream" -l -f "$fam" -p "$port" -n "$size" -q -t 300 >"$srv" &
	local spid=$!
	"$stream" -c 127.0.0.1 -f "$fam" -p "$port" -n "$size" -q -t 300 >"$cli"
	local crc=$?
	wait $spid
	local src=$?
	[ $crc -eq 0 ] && [ $src -eq 0 ]
}

field()
{
	sed -n "s/.* $2=\\([^ ]*\\).*/\\1/p" "$1" | tail -n 1
}

echo "smc-ng demo: kernel $(uname -r), smc $(cat /sys/module/smc/version)," \
	"$(nproc) vCPUs, $size each way per connection"
echo

run_pair smc $port || { echo "demo: AF_SMC transfer failed"; exit 1; }
run_pair tcp $((port + 1)) || { echo "demo: TCP transfer failed"; exit 1; }

smc_mibs=$(field /tmp/demo-smc.cli mib_s)
tcp_mibs=$(field /tmp/demo-tcp.cli mib_s)
path=$(field /tmp/demo-smc.cli path)
c_reason=$(field /tmp/demo-smc.cli reason)
s_reason=$(field /tmp/demo-smc.srv reason)
s_diag=$(field /tmp/demo-smc.srv peer_diag)

case "$path" in
smcd) what="SMC-D (shared memory)" ;;
smcr) what="SMC-R (RDMA)" ;;
tcp) what="TCP fallback" ;;
*) what="$path" ;;
esac

printf '%-8s %-26s %12s\n' "socket" "path" "MiB/s"
printf '%-8s %-26s %12s\n' "AF_SMC" "$what" "$smc_mibs"
printf '%-8s %-26s %12s\n' "TCP" "kernel TCP, 127.0.0.1" "$tcp_mibs"
echo
if [ "$path" = tcp ]; then
	echo "AF_SMC fell back to TCP, transparently. Reasons recorded (sock_diag):"
	echo "  client: $("$here/smc_reason" "$c_reason")"
	echo "  server: $("$here/smc_reason" "$s_reason")"
	echo "          peer's diagnosis: $("$here/smc_reason" "$s_diag")"
fi
awk -v a="$smc_mibs" -v b="$tcp_mibs" 'BEGIN {
	if (b > 0) printf "AF_SMC / TCP throughput: %.2fx\n", a / b }'
