#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 120
#
# The smc admin tool against kernel replies ours never sends, served by
# smc_nlfake.so (preloaded, it answers in the kernel's place): what the
# tool prints must still be what the reply said, never bytes from beyond
# it.
#   stats-extra: a GET_STATS dump brings a second message without the
#                statistics after the one with them.
#   lgr-full:    a connection's link group record whose device name and
#                GIDs fill their fields, without a NUL.
source "$(dirname "$0")/lib.sh"

smc=$SMC_REPO/tools/smc/smc
fake=$SMC_TOOLS/smc_nlfake.so

tap_plan 5

# faked SCENARIO ARGS...: the tool's output for the scenario's replies.
faked()
{
	local scenario=$1
	shift
	SMC_NLFAKE=$scenario LD_PRELOAD=$fake "$smc" "$@"
}

out=$(faked stats-extra -j stats)
echo "$out" | sed 's/^/# /'
expect_eq "stats-extra: the counters of the message that had them" \
	"4242 2424 7 8" \
	"$(echo "$out" | jq -r '"\(.smcd.tx_bytes) \(.smcd.rx_bytes) \(.clnt_hs_err_cnt) \(.srv_hs_err_cnt)"')"

out=$(faked stats-extra stats)
expect_eq "stats-extra: the text output too" "yes" \
	"$(echo "$out" | grep -q 4242 && echo yes)"

a64=$(printf 'A%.0s' $(seq 64))
b40=$(printf 'B%.0s' $(seq 40))
c40=$(printf 'C%.0s' $(seq 40))
out=$(faked lgr-full -j conn -a)
echo "$out" | sed 's/^/# /'
expect_eq "lgr-full: -j prints each field to its end and no further" \
	"$a64 80 $b40 $c40" \
	"$(echo "$out" | jq -r '.[0].lgrinfo | "\(.ib_name) \(.ib_port) \(.gid) \(.peer_gid)"')"

out=$(faked lgr-full conn -a -d)
echo "$out" | sed 's/^/# /'
expect_eq "lgr-full: -d prints each field to its end and no further" \
	"ibdev $a64 port 80 link 0 gid $b40 peer_gid $c40" \
	"$(echo "$out" | sed -n 's/.*lgr role [a-z]* //p')"

# An empty dump: the tool says so and fails, it does not print zeros.
out=$(faked "" stats 2>&1)
expect_eq "an empty GET_STATS dump: an error, exit 1" \
	"Error: the kernel sent no statistics rc=1" "$out rc=$?"
tap_exit
