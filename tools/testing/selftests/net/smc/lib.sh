# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Shared helpers for the guest selftests: TAP output in kselftest style and
# small assertions. Source it, call tap_plan N, then ok/fail/check.

SMC_SELFTESTS=${SMC_SELFTESTS:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)}
SMC_TOOLS=$SMC_SELFTESTS
_tap_n=0
_tap_failed=0
_tap_plan=0

tap_plan()
{
	_tap_plan=$1
	echo "TAP version 13"
	echo "1..$1"
}

ok()
{
	_tap_n=$((_tap_n + 1))
	echo "ok $_tap_n - $*"
}

fail()
{
	_tap_n=$((_tap_n + 1))
	_tap_failed=$((_tap_failed + 1))
	echo "not ok $_tap_n - $*"
}

# check DESCRIPTION COMMAND...: one TAP line from a command's status; the
# command's output is kept as TAP comments so a failure explains itself.
check()
{
	local desc=$1 out rc
	shift
	out=$("$@" 2>&1)
	rc=$?
	[ -n "$out" ] && printf '%s\n' "$out" | sed 's/^/# /'
	if [ $rc -eq 0 ]; then
		ok "$desc"
	else
		fail "$desc (exit $rc)"
	fi
	return $rc
}

# expect_eq DESCRIPTION EXPECTED ACTUAL
expect_eq()
{
	if [ "$2" = "$3" ]; then
		ok "$1"
	else
		fail "$1: expected '$2', got '$3'"
	fi
}

# tap_skip_rest REASON: a test that cannot go on reports the rest of its
# plan as skipped, so that every path through it gives as many results as
# planned (run_tests checks the count). The failure that stopped it must
# have been reported already: skips are no failures.
tap_skip_rest()
{
	while [ "$_tap_n" -lt "$_tap_plan" ]; do
		ok "not run # SKIP $1"
	done
}

tap_exit()
{
	[ $_tap_failed -eq 0 ]
	exit $?
}

# meet STAGE: two guests keep step through files in $SMC_OUT: tell the
# other guest this one reached STAGE and wait (60 s) for it to get there.
meet()
{
	local other=$((1 - GUEST_ID))

	: > "$SMC_OUT/g$GUEST_ID.$1"
	for _ in $(seq 600); do
		[ -e "$SMC_OUT/g$other.$1" ] && return 0
		sleep 0.1
	done
	echo "# the peer did not reach '$1'"
	return 1
}

# ivs_pci: the sysfs directory of this guest's ivshmem-doorbell device.
ivs_pci()
{
	local d

	for d in /sys/bus/pci/devices/*; do
		[ "$(cat "$d/vendor")" = 0x1af4 ] && [ "$(cat "$d/device")" = 0x1110 ] &&
			echo "$d" && return 0
	done
	return 1
}

# The socket count the kernel keeps for a proto in /proc/net/protocols.
proto_sockets()
{
	awk -v p="$1" '$1 == p { print $3 }' /proc/net/protocols
}

# wait_sockets PROTO N SECS: until /proc/net/protocols counts N sockets.
wait_sockets()
{
	local n
	for _ in $(seq $(($3 * 10))); do
		n=$(proto_sockets "$1")
		[ "$n" = "$2" ] && break
		sleep 0.1
	done
	echo "$n"
}

# wait_for_line FILE PATTERN: until FILE has a line matching PATTERN (10 s).
wait_for_line()
{
	for _ in $(seq 100); do
		grep -q "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

# A field of smc_stream's final "smc_stream: role=..." line.
stream_field()
{
	sed -n "s/.*smc_stream: .*\\b$2=\\([^ ]*\\).*/\\1/p" "$1" | tail -n 1
}

# stream_pair NAME SERVER_ARGS -- CLIENT_ARGS: one smc_stream transfer
# (server in the background), both result lines kept in /tmp/NAME.srv and
# /tmp/NAME.cli and shown as comments; true when both ends succeeded.
# NS_SRV and NS_CLI, when set, prefix the server's and the client's
# command (e.g. "ip netns exec A").
stream_pair()
{
	local name=$1 sargs=() cargs=() spid crc src
	shift
	while [ $# -gt 0 ] && [ "$1" != -- ]; do sargs+=("$1"); shift; done
	shift
	cargs=("$@")
	# shellcheck disable=SC2086
	${NS_SRV:-} "$SMC_TOOLS/smc_stream" -l -q -t 120 "${sargs[@]}" \
		>"/tmp/$name.srv" 2>&1 &
	spid=$!
	# shellcheck disable=SC2086
	${NS_CLI:-} "$SMC_TOOLS/smc_stream" -q -t 120 "${cargs[@]}" \
		>"/tmp/$name.cli" 2>&1
	crc=$?
	wait $spid
	src=$?
	sed 's/^/# /' "/tmp/$name.srv" "/tmp/$name.cli"
	[ $crc -eq 0 ] && [ $src -eq 0 ]
}

# relay PREFIX ARGS...: smc_sockapi's results become ours one for one
# (renumbered, PREFIX before each); its comments (the differences) stay
# comments. A scenario it never reported fails.
relay()
{
	local prefix=$1 prog=$SMC_TOOLS/smc_sockapi line seen=0 i names
	shift
	mapfile -t names < <("$prog" -l "$@")
	while IFS= read -r line; do
		case $line in
		"ok "*)		ok "$prefix${line#ok * - }"; seen=$((seen + 1)) ;;
		"not ok "*)	fail "$prefix${line#not ok * - }"; seen=$((seen + 1)) ;;
		"#"*)		printf '%s\n' "$line" ;;
		esac
	done < <("$prog" "$@" 2>&1)
	for ((i = seen; i < ${#names[@]}; i++)); do
		fail "$prefix${names[$i]}: no result from smc_sockapi"
	done
}

# smcd_lgr_count NS: the SMC-D link groups of namespace NS, as the smc
# tool reports them (the devices' use counts).
smcd_lgr_count()
{
	local smc=${SMC_REPO:-$SMC_SELFTESTS/../../../../..}/tools/smc/smc

	ip netns exec "$1" "$smc" -j dev show | python3 -c '
import json, sys
print(sum(d["use_cnt"] for d in json.load(sys.stdin)["smcd"]))'
}

# The fixed strings that make a kernel log unclean, one a line: the guest
# wrapper's own list (vm/guest-wrapper, log_patterns), read from there so
# that the two never differ.
klog_patterns()
{
	local log_patterns=()

	eval "$(sed -n '/^log_patterns=(/,/^)/p' "$SMC_SELFTESTS/vm/guest-wrapper")"
	printf '%s\n' "${log_patterns[@]}"
}

# klog_clean DESCRIPTION MARKER: one result: the kernel log from the last
# line containing MARKER (which the test wrote to /dev/kmsg) on has none of
# klog_patterns; offending lines are quoted as comments. A marker not in
# the log (never written, or rotated out) fails: nothing was checked.
# For a guest that ends itself, so that the guest wrapper's own check
# never runs.
klog_clean()
{
	local desc=$1 marker=$2 log bad pattern
	local -a pats args=()

	mapfile -t pats < <(klog_patterns)
	if [ "${#pats[@]}" -eq 0 ]; then
		fail "$desc: no patterns from vm/guest-wrapper"
		return 1
	fi
	for pattern in "${pats[@]}"; do
		args+=(-e "$pattern")
	done
	if ! log=$(dmesg 2>&1); then
		printf '%s\n' "$log" | sed 's/^/# /'
		fail "$desc: dmesg failed"
		return 1
	fi
	if ! log=$(printf '%s\n' "$log" | awk -v m="$marker" '
		index($0, m) { n = 0; found = 1 }
		found { l[n++] = $0 }
		END { for (i = 0; i < n; i++) print l[i]; exit !found }'); then
		fail "$desc: marker '$marker' not in the kernel log"
		return 1
	fi
	bad=$(printf '%s\n' "$log" | grep -F "${args[@]}")
	if [ -n "$bad" ]; then
		printf '%s\n' "$bad" | head -n 100 | sed 's/^/# /'
		fail "$desc"
		return 1
	fi
	ok "$desc"
}
