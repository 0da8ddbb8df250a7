#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Proof that smc_sockapi's comparison can fail at all, run on the build
# machine (TCP only, no module of ours): TCP against TCP agrees
# everywhere (the transcripts are deterministic), a perturbed transcript
# is caught in every scenario, and a TCP socket that merely starts with
# other option values is caught where those options show. test_sockapi
# and test_ipproto_smc then compare TCP with AF_SMC in guests.
source "$(dirname "$0")/lib.sh"

prog=$SMC_TOOLS/smc_sockapi
log=$(mktemp -d "${TMPDIR:-/tmp}/smc-sockapi.XXXXXX")
trap 'rm -rf "$log"' EXIT
skewed='TCP_NODELAY|SO_KEEPALIVE and|default buffer'

# count_results FILE ok|"not ok"
count_results()
{
	grep -c "^$2 [0-9]* - " "$1"
}

n=$("$prog" -l | wc -l)
tap_plan 3

# The three runs share nothing (every port is ephemeral) and mostly wait
# on their scenarios' timers: side by side.
"$prog" -a tcp -b tcp -f v4 >"$log/tcp-tcp" 2>&1 &
"$prog" -a tcp -b tcp -f v4 -p >"$log/perturbed" 2>&1 &
"$prog" -a tcp -b tcp-skew -f v4 -s "$skewed" >"$log/skewed" 2>&1 &
wait

if [ "$(count_results "$log/tcp-tcp" ok)" -eq "$n" ]; then
	ok "TCP vs TCP: all $n scenarios agree"
else
	grep -v '^ok ' "$log/tcp-tcp" | sed 's/^/# /'
	fail "TCP vs TCP: not every scenario agrees"
fi

# Every scenario's comparison can fail: a changed record is reported.
expect_eq "perturbed transcripts: every scenario reports the difference" \
	"$n" "$(count_results "$log/perturbed" "not ok")"

# A real behavioural difference is reported: TCP sockets created with
# TCP_NODELAY and SO_KEEPALIVE on, against plain ones.
want=$("$prog" -l -s "$skewed" | wc -l)
got=$(count_results "$log/skewed" "not ok")
if [ "$got" -eq "$want" ] && [ "$want" -eq 3 ]; then
	ok "TCP vs TCP with other option defaults: $got of $want scenarios differ"
else
	sed 's/^/# /' "$log/skewed"
	fail "TCP vs TCP with other option defaults: $got of $want scenarios differ"
fi
tap_exit
