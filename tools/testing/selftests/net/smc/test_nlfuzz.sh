#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 300
#
# Random generic netlink requests against both of our families
# (SMC_GEN_NETLINK, SMC_PNETID): random commands, flags and versions,
# attributes of random types, sizes and contents, nests, lying lengths.
# As root in the initial namespace, as root in a new namespace, and as an
# unprivileged user. Every request gets its answer, the kernel log stays
# clean (checked by the guest), an unprivileged user changes nothing, and
# afterwards, with the configuration reset, connections run over SMC-D
# as before. A fixed seed per run (printed) makes a failure reproducible.
source "$(dirname "$0")/lib.sh"

repo=${SMC_REPO:-$(cd "$(dirname "$0")/../../../../.." && pwd)}
smc=$repo/tools/smc/smc
probe=$SMC_TOOLS/smc_nlprobe
count=${SMC_NLFUZZ_COUNT:-6000}
seed=${SMC_NLFUZZ_SEED:-$(date +%s)}
families=(SMC_GEN_NETLINK SMC_PNETID)

tap_plan 8

modprobe smc && modprobe smc_diag && modprobe smc_loopback ||
	fail "modprobe smc smc_diag smc_loopback"
ip netns add nlfuzz && ip -n nlfuzz link set lo up

# fuzz NAME SEED [PREFIX...]: one fuzz run; its summary line in $out.
fuzz()
{
	local name=$1 s=$2 out rc
	shift 2
	out=$("$@" "$probe" -z "$count:$s" "${families[@]}" 2>&1)
	rc=$?
	echo "# $name: $out"
	if [ $rc -eq 0 ] && grep -q "^fuzz: .* noend=0 " <<<"$out"; then
		ok "$name: $count random requests, every one answered"
	else
		fail "$name: $count random requests: $out"
	fi
}

# What an unprivileged fuzz run must leave alone.
state()
{
	"$smc" -j ueid 2>&1
	"$smc" -j seid 2>&1
	"$smc" -j pnet 2>&1
	"$smc" -j hs-limit 2>&1
}

before=$(state)
fuzz "unprivileged" "$seed" setpriv --reuid=65534 --regid=65534 --clear-groups
expect_eq "unprivileged: the configuration is unchanged" "$before" "$(state)"
fuzz "root, initial namespace" "$((seed + 1))"
fuzz "root, new namespace" "$((seed + 2))" ip netns exec nlfuzz

# Reset what random requests may have configured, then check SMC-D.
reset()
{
	"$@" "$smc" ueid flush >/dev/null 2>&1
	"$@" "$smc" seid enable >/dev/null 2>&1
	"$@" "$smc" pnet flush >/dev/null 2>&1
	"$@" "$smc" hs-limit disable >/dev/null 2>&1
}
reset
reset ip netns exec nlfuzz
expect_eq "afterwards: smc info still answers" 0 \
	"$("$smc" info >/dev/null 2>&1; echo $?)"
check "afterwards: a verified stream" \
	stream_pair nlf -p 7350 -n 1M -V -- -c 127.0.0.1 -p 7350 -n 1M -V
expect_eq "afterwards: over SMC-D" smcd "$(stream_field /tmp/nlf.cli path)"
ip netns del nlfuzz
expect_eq "the namespace is gone with its state" "" \
	"$(ip netns list | grep -w nlfuzz)"
tap_exit
