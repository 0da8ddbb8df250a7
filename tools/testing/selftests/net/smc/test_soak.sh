#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 300
#
# Soak: for SMC_SOAK_SECS (60 here; `make soak` runs 600) keep up to 24
# client/server pairs busy over SMC-D at once, in two namespaces: random
# sizes, write and read sizes, duplex or not, several connections per pair,
# and every eighth pair's client or server killed with SIGKILL at a random
# moment. Every byte of the pairs left alone is verified; a killed pair's
# survivor must end with an error, never hang. Afterwards nothing is left:
# no AF_SMC socket, no DMB, no link group, module reference counts as
# before; and the modules unload (checked by the harness).
source "$(dirname "$0")/lib.sh"

repo=${SMC_REPO:-$(cd "$(dirname "$0")/../../../../.." && pwd)}
smc=$repo/tools/smc/smc
stream=$SMC_TOOLS/smc_stream
secs=${SMC_SOAK_SECS:-60}
dir=/tmp/soak
max_pairs=24

tap_plan 9

modprobe smc && modprobe smc_diag && modprobe smc_loopback ||
	fail "modprobe smc smc_diag smc_loopback"
rm -rf $dir && mkdir -p $dir
for ns in soak-a soak-b; do
	ip netns add $ns && ip -n $ns link set lo up
done
refcnt_before="$(cat /sys/module/smc/refcnt) $(cat /sys/module/smc_loopback/refcnt)"

pick()
{
	local a=("$@")
	echo "${a[RANDOM % ${#a[@]}]}"
}

# Whether PID is a server between connections (its threads in accept()
# or waiting for each other), not one stuck in an SMC call.
in_accept()
{
	local t
	for t in /proc/"$1"/task/*; do
		if grep -q '\[smc\]' "$t/stack" 2>/dev/null &&
		   ! grep -q smc_accept "$t/stack"; then
			return 1
		fi
	done
}

# pair N: one client/server pair; leaves "ok", "killed" or "FAIL ..." in
# $dir/N.res.
pair()
{
	local n=$1 ns port args spid cpid src crc i size rd
	ns=$(pick soak-a soak-b)
	port=$((20000 + n))
	size=$(pick 1 1K 64K 1M 4M)
	# Byte-sized reads only for small transfers: a call per byte is slow
	# under emulation, and a slow pair is not what this test looks for.
	rd=$(pick 1:64K 1:16 64K 1:256K)
	case $size in 1M | 4M) [ "$rd" = 1:16 ] && rd=1:4K ;; esac
	args=(-p "$port" -n "$size" -V -t 90 -q
	      -w "$(pick 1:64K 1:1K 64K 1:256K)" -r "$rd"
	      -C "$(pick 1 1 2 4)" -s "$n")
	[ $((RANDOM % 2)) -eq 0 ] && args+=(-d)
	ip netns exec "$ns" "$stream" -l "${args[@]}" >"$dir/$n.srv" 2>&1 &
	spid=$!
	ip netns exec "$ns" "$stream" -c 127.0.0.1 "${args[@]}" >"$dir/$n.cli" 2>&1 &
	cpid=$!
	# Chosen by number, not at random: a slow (debug) kernel runs few
	# pairs in the time, and each kind of death must occur.
	case $((n % 16)) in
	1)	# The server dies: the client ends with an error or refused.
		sleep "0.$((RANDOM % 10))"
		kill -9 $spid 2>/dev/null
		wait $spid 2>/dev/null
		wait $cpid
		crc=$?
		[ $crc -eq 2 ] && echo "FAIL client hung after the server was killed"
		[ $crc -ne 2 ] && echo killed
		;;
	9)	# The client dies: the server ends with an error, or waits for
		# the next connection in accept(), where it is no longer ours.
		sleep "0.$((RANDOM % 10))"
		kill -9 $cpid 2>/dev/null
		wait $cpid 2>/dev/null
		for i in $(seq 75); do
			kill -0 $spid 2>/dev/null || break
			sleep 0.2
		done
		if ! kill -0 $spid 2>/dev/null; then
			echo killed
		elif in_accept $spid; then
			echo killed
		else
			echo "FAIL server stuck after its client was killed:"
			cat /proc/$spid/task/*/stack
		fi
		kill -9 $spid 2>/dev/null
		wait $spid 2>/dev/null
		;;
	*)
		wait $spid 2>/dev/null
		src=$?
		wait $cpid 2>/dev/null
		crc=$?
		if [ $src -eq 0 ] && [ $crc -eq 0 ]; then
			echo ok
		else
			echo "FAIL server $src client $crc: ${args[*]}"
		fi
		;;
	esac >"$dir/$n.res"
}

n=0
end=$((SECONDS + secs))
while [ $SECONDS -lt $end ]; do
	while [ "$(jobs -rp | wc -l)" -ge $max_pairs ]; do
		wait -n
	done
	n=$((n + 1))
	pair $n &
done
wait

total=$(find $dir -name '*.res' | wc -l)
good=$(grep -lx ok $dir/*.res | wc -l)
killed=$(grep -lx killed $dir/*.res | wc -l)
bad=$((total - good - killed))
echo "# $total pairs in $secs s: $good verified, $killed killed, $bad failed"
for f in $(grep -L -x -e ok -e killed $dir/*.res); do
	sed 's/^/# /' "$f" "${f%.res}.srv" "${f%.res}.cli"
done
expect_eq "every pair ran to an end" "$n" "$total"
expect_eq "no pair failed or hung" 0 "$bad"
if [ "$good" -gt 0 ] && [ "$killed" -gt 0 ]; then
	ok "$good pairs verified byte for byte, $killed killed"
else
	fail "too little happened: $good verified, $killed killed"
fi
paths=$(cat $dir/*.srv $dir/*.cli | sed -n 's/.* path=\([a-z]*\).*/\1/p' | sort -u | xargs)
expect_eq "the verified pairs ran over SMC-D" smcd "$paths"

# Everything given back; closing ends may take a moment.
for _ in $(seq 50); do
	[ "$(proto_sockets SMC)" = 0 ] &&
		[ "$(cat /sys/class/smcd/loopback-ism/dmbs)" = 0 ] && break
	sleep 0.2
done
expect_eq "no AF_SMC socket left" 0 "$(proto_sockets SMC)"
expect_eq "no DMB left" 0 "$(cat /sys/class/smcd/loopback-ism/dmbs)"
expect_eq "no link group left (device use count 0 in both namespaces)" "0 0" \
	"$(smcd_lgr_count soak-a) $(smcd_lgr_count soak-b)"
expect_eq "module references as before" "$refcnt_before" \
	"$(cat /sys/module/smc/refcnt) $(cat /sys/module/smc_loopback/refcnt)"
ip netns del soak-a
ip netns del soak-b
check "modules unload" rmmod smc_loopback smc_diag smc
tap_exit
