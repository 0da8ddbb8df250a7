#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# run-guest: --guests 2 --modules ours,distro
# timeout: 600
#
# Interoperability with a peer nobody here wrote: guest 0 runs our smc.ko,
# guest 1 the distribution's. AF_SMC client and server in both directions,
# over IPv4 and IPv6, plus plain TCP peers on either side. Every byte is
# verified both ways (MiB-sized streams, random write and read sizes) and
# each guest checks the fallback reasons its own kernel recorded.
source "$(dirname "$0")/lib.sh"

stream=$SMC_TOOLS/smc_stream
modprobe smc && modprobe smc_diag || exit 1
xfer=(-n 8M -w 1:262144 -r 1:262144 -d -V -q -t 240)

# run NAME ROLE FAMILY PORT [-6]: this guest's half of a scenario.
run()
{
	local name=$1 role=$2 fam=$3 port=$4 v6=${5:-} peer=$PEER_ADDR args
	[ -n "$v6" ] && peer=$PEER_ADDR6
	if [ "$role" = server ]; then
		args=(-l)
	else
		args=(-c "$peer")
	fi
	"$stream" "${args[@]}" $v6 -f "$fam" -p "$port" "${xfer[@]}" \
		>"/tmp/$name.out" 2>&1
	local rc=$?
	sed 's/^/# /' "/tmp/$name.out"
	return $rc
}

# scenario NAME PORT G0ROLE G0FAM G1FAM [-6] -- EXPECTED_G0 -- EXPECTED_G1
# Expected values are "path reason[ peer_diag]" as this guest sees them.
scenario()
{
	local name=$1 port=$2 role0=$3 fam0=$4 fam1=$5 v6=
	shift 5
	[ "$1" = -6 ] && { v6=-6; shift; }
	shift
	local want0=$1 want1=$3
	local role fam want
	if [ "$GUEST_ID" -eq 0 ]; then
		role=$role0 fam=$fam0 want=$want0
	else
		[ "$role0" = server ] && role=client || role=server
		fam=$fam1 want=$want1
	fi
	check "$name: $role ($fam) transfer verified" run "$name" "$role" "$fam" "$port" $v6
	local f=/tmp/$name.out got
	got="$(stream_field "$f" path) $(stream_field "$f" reason)"
	[ "$(echo "$want" | wc -w)" -eq 3 ] && got="$got $(stream_field "$f" peer_diag)"
	expect_eq "$name: $role path and reason" "$want" "$got"
}

tap_plan 12
# guest 0 (ours) serves, guest 1 (distribution) connects
scenario smc-ours-server 7301 server smc smc -- \
	"tcp 0x05000000 0x03030000" -- "tcp 0x03030000"
# guest 0 connects to the distribution's server
scenario smc-ours-client 7302 client smc smc -- \
	"tcp 0x03030000" -- "tcp 0x05000000 0x03030000"
scenario smc6-ours-server 7303 server smc smc -6 -- \
	"tcp 0x05000000 0x03030000" -- "tcp 0x03030000"
scenario smc6-ours-client 7304 client smc smc -6 -- \
	"tcp 0x03030000" -- "tcp 0x05000000 0x03030000"
# plain TCP on the far side: neither side sends a CLC byte
scenario tcp-client 7305 server smc tcp -- \
	"tcp 0x03010000" -- "tcp 0x00000000"
scenario tcp-server 7306 client smc tcp -- \
	"tcp 0x03010000" -- "tcp 0x00000000"
tap_exit
