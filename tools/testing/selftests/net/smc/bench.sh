#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench, inside one guest: AF_SMC, TCP over 127.0.0.1 and Unix stream
# sockets side by side in the same run. Prints a table of absolute figures
# and of AF_SMC's ratios to the other two, and draws PNG plots of
# throughput and latency against message size into $SMC_OUT (or /tmp).
# A benchmark, not a test: nothing here asserts a timing.
set -u
here=$(cd "$(dirname "$0")" && pwd)
stream=$here/smc_stream
out=${SMC_OUT:-/tmp}
families=(smc tcp unix)
sizes=(1 64 1024 16384 65536 262144 1048576)
port=7600

modprobe smc && modprobe smc_diag && modprobe smc_loopback || exit 1

# Busy CPU time of the whole guest so far, in clock ticks.
busy_ticks()
{
	awk '$1 == "cpu" { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat
}
hz=$(getconf CLK_TCK)

# Enough bytes per size for a stable figure without taking all day under
# emulation: small messages cost per call, large ones per byte.
volume()
{
	local s=$1
	if [ "$s" -lt 64 ]; then echo 256K
	elif [ "$s" -lt 16384 ]; then echo 16M
	else echo 256M
	fi
}

# run FAMILY SERVER_AND_CLIENT_ARGS...: prints the client's result line.
run()
{
	local fam=$1
	shift
	port=$((port + 1))
	"$stream" -l -q -t 600 -f "$fam" -p "$port" "$@" >/dev/null &
	local spid=$!
	"$stream" -c 127.0.0.1 -q -t 600 -f "$fam" -p "$port" "$@"
	wait $spid
}

field()
{
	sed -n "s/.* $1=\\([^ ]*\\).*/\\1/p" | tail -n 1
}

# median "V1 V2 ...": the middle value (the lower middle of an even count).
median()
{
	tr ' ' '\n' <<<"$1" | grep . | sort -g |
		awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

declare -A tput lat_med lat_p99 rate path big cpu idle
declare -A tput_all big_all cpu_all

# Kernel memory per idle connection first, while the loopback device's
# buffer pool is still empty (pooled buffers would go uncounted).
for f in unix tcp smc; do
	idle[$f]=$("$here/smc_idle" -f "$f" -n 400 -p $((port + 50)) | field kib_per_conn)
done

# Streams wander too (one family's 64 KiB figure by a fifth between two
# runs here): three sweeps, the families in turn, and the median of each
# cell.
tput_rounds=3
for ((r = 0; r < tput_rounds; r++)); do
	for s in "${sizes[@]}"; do
		for f in "${families[@]}"; do
			t0=$(busy_ticks)
			line=$(run "$f" -n "$(volume "$s")" -w "$s" -r "$s")
			# CPU seconds per GiB moved (both directions) at 64 KiB.
			[ "$s" = 65536 ] && cpu_all[$f]+=" $(awk \
				-v t="$(($(busy_ticks) - t0))" -v hz="$hz" \
				'BEGIN { printf "%.2f", t / hz / 0.5 }')"
			# Each direction carries -n bytes one after the other:
			# count one.
			tput_all[$f,$s]+=" $(echo "$line" | field mib_s |
				awk '{ printf "%.1f", $1 / 2 }')"
			[ "$f" = smc ] && path[$s]=$(echo "$line" | field path)
		done
	done
	# The same 64 KiB stream with 1 MiB socket buffers on every family:
	# SMC sizes its DMBs from them (512 KiB), TCP and Unix their queues.
	for f in "${families[@]}"; do
		line=$(run "$f" -n 256M -w 65536 -r 65536 -B 1M)
		big_all[$f]+=" $(echo "$line" | field mib_s |
			awk '{ printf "%.1f", $1 / 2 }')"
	done
done
for f in "${families[@]}"; do
	for s in "${sizes[@]}"; do
		tput[$f,$s]=$(median "${tput_all[$f,$s]}")
	done
	big[$f]=$(median "${big_all[$f]}")
	cpu[$f]=$(median "${cpu_all[$f]}")
done
# Round trips and connection rates wander by a third from one run to the
# next, for every family alike: the host decides how fast an idle vCPU
# wakes. Rounds that take the families in turn, and the median of them,
# compare the families under the same conditions.
rounds=5
declare -A lat_med_all lat_p99_all rate_all floor_all
for ((r = 0; r < rounds; r++)); do
	for f in "${families[@]}"; do
		line=$(run "$f" -L -n 5000)
		lat_med_all[$f]+=" $(echo "$line" | field lat_median_us)"
		lat_p99_all[$f]+=" $(echo "$line" | field lat_p99_us)"
		line=$(run "$f" -R -C 2000)
		rate_all[$f]+=" $(echo "$line" | field conn_s)"
	done
	# What the CLC's three messages cost over TCP by themselves, against
	# the same tool's plain TCP loop (see smc_clc_floor.c).
	for m in tcp clc; do
		port=$((port + 1))
		floor_all[$m]+=" $("$here/smc_clc_floor" -m "$m" -C 2000 \
			-p "$port" | field conn_s)"
	done
done

for f in "${families[@]}"; do
	lat_med[$f]=$(median "${lat_med_all[$f]}")
	lat_p99[$f]=$(median "${lat_p99_all[$f]}")
	rate[$f]=$(median "${rate_all[$f]}")
done
floor_tcp=$(median "${floor_all[tcp]}")
floor_clc=$(median "${floor_all[clc]}")

ratio()
{
	awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'
}

# row LABEL SMC TCP UNIX: one line of the table, with both ratios.
row()
{
	printf '%-22s %10s %10s %10s %9s %9s\n' "$1" "$2" "$3" "$4" \
		"$(ratio "$2" "$3")" "$(ratio "$2" "$4")"
}

echo "smc-ng bench: kernel $(uname -r), $(nproc) vCPUs, AF_SMC path: ${path[65536]}"
echo "streams: median of $tput_rounds sweeps; round trips and connections/s: median of $rounds rounds; each family in turn"
echo
printf '%-22s %10s %10s %10s %9s %9s\n' "" "AF_SMC" "TCP" "Unix" "SMC/TCP" "SMC/Unix"
for s in "${sizes[@]}"; do
	row "throughput $s B MiB/s" "${tput[smc,$s]}" "${tput[tcp,$s]}" "${tput[unix,$s]}"
done
row "64 KiB, 1 MiB buffers" "${big[smc]}" "${big[tcp]}" "${big[unix]}"
row "1 B round trip us p50" "${lat_med[smc]}" "${lat_med[tcp]}" "${lat_med[unix]}"
row "1 B round trip us p99" "${lat_p99[smc]}" "${lat_p99[tcp]}" "${lat_p99[unix]}"
row "connections/s" "${rate[smc]}" "${rate[tcp]}" "${rate[unix]}"
row "CPU s per GiB (64 KiB)" "${cpu[smc]}" "${cpu[tcp]}" "${cpu[unix]}"
row "KiB per idle conn" "${idle[smc]}" "${idle[tcp]}" "${idle[unix]}"
echo
echo "connections/s with the CLC's three messages over TCP and no SMC work"
printf '  (smc_clc_floor): %s against %s for its TCP loop, %s; AF_SMC %s\n' \
	"$floor_clc" "$floor_tcp" "$(ratio "$floor_clc" "$floor_tcp")" \
	"$(ratio "${rate[smc]}" "${rate[tcp]}")"
echo
echo "rounds, in order (round trip p50 us; connections/s):"
for f in "${families[@]}"; do
	printf '  %-4s %s;%s\n' "$f" "${lat_med_all[$f]}" "${rate_all[$f]}"
done
printf '  %-4s %s (TCP loop:%s)\n' clc "${floor_all[clc]}" "${floor_all[tcp]}"
echo "sweeps, in order (64 KiB MiB/s):"
for f in "${families[@]}"; do
	printf '  %-4s %s\n' "$f" "${tput_all[$f,65536]}"
done

data=$out/bench-throughput.dat
for s in "${sizes[@]}"; do
	echo "$s ${tput[smc,$s]} ${tput[tcp,$s]} ${tput[unix,$s]}"
done >"$data"
if command -v gnuplot >/dev/null; then
	gnuplot <<PLOT
set terminal png size 900,600 noenhanced
set output "$out/bench-throughput.png"
set title "Stream throughput against message size (one guest)"
set logscale x 2
set xlabel "message size"
set format x "%.0b%BB"
set ylabel "MiB/s"
set key left top
plot "$data" using 1:2 with linespoints title "AF_SMC", \
     "$data" using 1:3 with linespoints title "TCP 127.0.0.1", \
     "$data" using 1:4 with linespoints title "Unix stream"
set output "$out/bench-latency.png"
set title "1-byte round trip (median and p99)"
unset logscale x
set style data histograms
set style fill solid
set ylabel "microseconds"
set xlabel ""
plot "-" using 2:xtic(1) title "median", "" using 2:xtic(1) title "p99"
AF_SMC ${lat_med[smc]}
TCP ${lat_med[tcp]}
Unix ${lat_med[unix]}
e
AF_SMC ${lat_p99[smc]}
TCP ${lat_p99[tcp]}
Unix ${lat_p99[unix]}
e
PLOT
	echo
	echo "plots: $out/bench-throughput.png $out/bench-latency.png"
fi
