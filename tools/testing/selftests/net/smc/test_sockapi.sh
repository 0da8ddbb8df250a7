#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 420
#
# An AF_SMC stream socket is a drop-in replacement for a TCP socket.
# smc_sockapi runs every socket-API scenario once with TCP sockets and
# once with AF_SMC sockets (127.0.0.1, ::1, ::ffff:127.0.0.1) and compares
# what the application observes; each scenario is one result of this test.
# It does so twice: without an SMC device (every connection falls back to
# TCP), then with the SMC-D loopback device (every connection runs over
# shared memory).
# Further results prove that the comparison can fail at all: TCP against
# TCP agrees everywhere (the transcripts are deterministic), a perturbed
# transcript is caught in every scenario, and a TCP socket that merely
# starts with other option values is caught where those options show.
source "$(dirname "$0")/lib.sh"

prog=$SMC_TOOLS/smc_sockapi
log=${SMC_OUT:-/tmp}/sockapi
skewed='TCP_NODELAY|SO_KEEPALIVE and|default buffer'

mapfile -t names < <("$prog" -l)
n=${#names[@]}
tap_plan $((2 * n + 8))
klog_start=$(dmesg | wc -l)

if modprobe smc && modprobe smc_diag; then
	ok "modprobe smc smc_diag"
else
	fail "modprobe smc smc_diag"
fi

relay "" -a tcp -b smc

# The same over shared memory: the loopback device is there, and a
# connection really takes it.
if modprobe smc_loopback; then
	ok "modprobe smc_loopback"
else
	fail "modprobe smc_loopback"
fi
"$SMC_TOOLS/smc_stream" -l -q -p 7301 -n 4K -t 30 >"$log.path.srv" 2>&1 &
"$SMC_TOOLS/smc_stream" -q -c 127.0.0.1 -p 7301 -n 4K -t 30 >"$log.path" 2>&1
wait
expect_eq "SMC-D: a connection runs over shared memory" smcd \
	"$(stream_field "$log.path" path)"
relay "SMC-D: " -a tcp -b smcd

# count_results FILE ok|"not ok"
count_results()
{
	grep -c "^$2 [0-9]* - " "$1"
}

# TCP against TCP: every scenario must agree, or the transcripts record
# something that is not deterministic and the AF_SMC results mean nothing.
# (IPv4 only, to keep the guest time down; the TCP half of the main run
# covers the other address variants.)
"$prog" -a tcp -b tcp -f v4 >"$log.tcp-tcp" 2>&1
if [ "$(count_results "$log.tcp-tcp" ok)" -eq "$n" ]; then
	ok "TCP vs TCP: all $n scenarios agree"
else
	grep -v '^ok ' "$log.tcp-tcp" | sed 's/^/# /'
	fail "TCP vs TCP: not every scenario agrees"
fi

# Every scenario's comparison can fail: a changed record is reported.
"$prog" -a tcp -b tcp -f v4 -p >"$log.perturbed" 2>&1
got=$(count_results "$log.perturbed" "not ok")
expect_eq "perturbed transcripts: every scenario reports the difference" \
	"$n" "$got"

# A real behavioural difference is reported: TCP sockets created with
# TCP_NODELAY and SO_KEEPALIVE on, against plain ones.
"$prog" -a tcp -b tcp-skew -f v4 -s "$skewed" >"$log.skewed" 2>&1
want=$("$prog" -l -s "$skewed" | wc -l)
got=$(count_results "$log.skewed" "not ok")
if [ "$got" -eq "$want" ] && [ "$want" -eq 3 ]; then
	ok "TCP vs TCP with other option defaults: $got of $want scenarios differ"
else
	sed 's/^/# /' "$log.skewed"
	fail "TCP vs TCP with other option defaults: $got of $want scenarios differ"
fi

# The socket layer complains when a socket is released with a SIGIO
# registration still on it (a leaked fasync entry that points at a file
# that is gone); the guest's own log check does not look for this.
expect_eq "kernel log: no 'fasync list not empty'" 0 \
	"$(dmesg | tail -n +$((klog_start + 1)) | grep -c 'fasync list not empty')"

# No AF_SMC socket outlives the programs that used it.
for _ in $(seq 50); do
	[ "$(proto_sockets SMC)" = 0 ] && [ "$(proto_sockets SMC6)" = 0 ] &&
		break
	sleep 0.1
done
expect_eq "no AF_SMC socket left" "0 0" \
	"$(proto_sockets SMC) $(proto_sockets SMC6)"
tap_exit
