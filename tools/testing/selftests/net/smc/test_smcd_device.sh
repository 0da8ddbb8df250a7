#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 240
#
# The SMC-D device layer (in smc.ko) and the loopback device
# (smc_loopback.ko): module loading, the sysfs view, the device and DMB
# semantics as a client sees them (through the test module
# modules/smcd_dev_test.ko, whose result lines become ours), the DMB limit,
# memcg charging, device removal while a client still holds DMBs, views
# and references, and registration in either order.
#
# Needs the test module: make -C tools/testing/selftests/net/smc/modules
source "$(dirname "$0")/lib.sh"

kmod=$SMC_SELFTESTS/modules/smcd_dev_test.ko
sysdev=/sys/class/smcd/loopback-ism
dbg=/sys/kernel/debug/smcd_dev_test
param=/sys/module/smcd_dev_test/parameters/release_delay_ms
ROUNDS=20
MIB=$((1024 * 1024))

# The test module decides how many checks it reports: the plan comes last.
echo "TAP version 13"

loaded()
{
	grep -q "^$1 " /proc/modules
}

attr()
{
	cat "$sysdev/$1" 2>/dev/null
}

status()
{
	sed -n "s/.*\\b$1=\\([^ ]*\\).*/\\1/p" "$dbg/status" 2>/dev/null
}

# The report of the test module's last command, as TAP lines.
report()
{
	local what=$1 line done=0

	while IFS= read -r line; do
		case "$line" in
		"ok - "*) ok "$what: ${line#ok - }" ;;
		"not ok - "*) fail "$what: ${line#not ok - }" ;;
		"# done: "*) done=1; echo "$line" ;;
		*) echo "# $line" ;;
		esac
	done < "$dbg/ctl"
	[ $done -eq 1 ] || fail "$what: the test module finished its report"
}

# Run a test module command and report its results.
tm()
{
	if echo "$*" > "$dbg/ctl"; then
		report "$*"
	else
		fail "$*: the test module accepted the command"
	fi
}

finish()
{
	echo "1..$_tap_n"
	tap_exit
}

if loaded smc; then
	fail "smc is not loaded before the test"
	finish
fi
if [ ! -f "$kmod" ]; then
	fail "$kmod is built (make -C tools/testing/selftests/net/smc/modules)"
	finish
fi

# --- loading and sysfs ---------------------------------------------------

modprobe smc_loopback
if loaded smc_loopback && loaded smc; then
	ok "modprobe smc_loopback loads it and smc"
else
	fail "modprobe smc_loopback loads it and smc"
	finish
fi

gid=$(attr gid)
if [[ "$gid" =~ ^[0-9a-f]{32}$ ]] && [ "$gid" != "$(printf '0%.0s' {1..32})" ]; then
	ok "sysfs gid is 32 hex digits ($gid)"
else
	fail "sysfs gid is 32 hex digits: '$gid'"
fi
expect_eq "sysfs chid" 0xffff "$(attr chid)"
expect_eq "sysfs dmbs" 0 "$(attr dmbs)"
expect_eq "sysfs max_dmbs (default)" 5000 "$(attr max_dmbs)"
expect_eq "sysfs state" up "$(attr state)"
modes=$(cd "$sysdev" 2>/dev/null && stat -c %a gid chid dmbs max_dmbs state | sort -u)
expect_eq "sysfs attributes are read-only" 444 "$modes"

# --- the test module: client registered after the device -------------------

insmod "$kmod" || { fail "insmod smcd_dev_test"; finish; }
expect_eq "client added the existing device" "loopback-ism 1" \
	"$(status device) $(status added)"

tm run
expect_eq "sysfs dmbs back to 0 after the run" 0 "$(attr dmbs)"

# --- a small limit; the device registers while the client is there --------

rmmod smc_loopback
expect_eq "client saw remove on rmmod" "- 1" "$(status device) $(status removed)"
modprobe smc_loopback max_dmbs=16
expect_eq "client added the device registered after it" "loopback-ism 2" \
	"$(status device) $(status added)"
expect_eq "sysfs max_dmbs (parameter)" 16 "$(attr max_dmbs)"
tm limit
expect_eq "sysfs dmbs back to 0 after the limit test" 0 "$(attr dmbs)"

# --- memcg charging --------------------------------------------------------

cg=/sys/fs/cgroup
grep -q "^[^ ]* $cg cgroup2 " /proc/mounts || mount -t cgroup2 none "$cg"
echo +memory > "$cg/cgroup.subtree_control" 2>/dev/null
# The loopback device would keep part of the memory, still charged, in its
# pool (test_pool.sh checks that); here the charge must go with the DMBs.
pool=/sys/module/smc_loopback/parameters/pool_kib
pool_was=$(cat $pool 2>/dev/null)
[ -n "$pool_was" ] && echo 0 >$pool
if mkdir "$cg/smcd_test" 2>/dev/null && [ -f "$cg/smcd_test/memory.current" ]; then
	before=$(cat "$cg/smcd_test/memory.current")
	# The write happens in the cgroup: the DMBs are charged there.
	if sh -c "echo \$\$ > $cg/smcd_test/cgroup.procs &&
		  echo 'hold 16 $MIB' > $dbg/ctl"; then
		report "hold 16 $MIB (in a memcg)"
	else
		fail "hold 16 $MIB (in a memcg): command accepted"
	fi
	held=$(cat "$cg/smcd_test/memory.current")
	expect_eq "sysfs dmbs counts held DMBs" 16 "$(attr dmbs)"
	if [ $((held - before)) -ge $((16 * MIB)) ]; then
		ok "16 MiB of DMBs are charged to the writer's memcg (+$((held - before)))"
	else
		fail "16 MiB of DMBs are charged to the writer's memcg: +$((held - before))"
	fi
	tm release
	after=$(cat "$cg/smcd_test/memory.current")
	if [ $((held - after)) -ge $((16 * MIB)) ]; then
		ok "the charge goes when the DMBs go (-$((held - after)))"
	else
		fail "the charge goes when the DMBs go: -$((held - after))"
	fi
	rmdir "$cg/smcd_test"
else
	fail "a memory cgroup for the test"
fi
expect_eq "sysfs dmbs back to 0 after release" 0 "$(attr dmbs)"

# --- rmmod while the client holds DMBs, views and references ---------------

# remove() hands the release to a work item that runs 11 s later:
# unregistration must wait for it, and say so after 10 s, without any
# warning splat or hung-task report (the guest checks the kernel log).
tm hold 8 65536
expect_eq "sysfs dmbs while held" 8 "$(attr dmbs)"
echo 11000 > "$param"
dmesg_lines=$(dmesg | wc -l)
removed=$(status removed)
start=$(date +%s%N)
rmmod smc_loopback &
rmmod_pid=$!
state=
for _ in $(seq 100); do
	state=$(attr state)
	[ "$state" = going-down ] && break
	sleep 0.01
done
wait $rmmod_pid
rc=$?
took=$((($(date +%s%N) - start) / 1000000))
echo 0 > "$param"
expect_eq "rmmod smc_loopback with DMBs held succeeds" 0 "$rc"
expect_eq "sysfs state was going-down while the client let go" going-down "$state"
if [ "$took" -ge 10900 ]; then
	ok "unregistration waited for the delayed release (${took} ms)"
else
	fail "unregistration waited for the delayed release: ${took} ms"
fi
news=$(dmesg | tail -n +$((dmesg_lines + 1)))
printf '%s\n' "$news" | grep smcd | sed 's/^/# /'
if printf '%s\n' "$news" | grep -q 'smcd: loopback-ism: waited 10 s for 1 user(s) to let go, 8 DMB(s) registered' &&
   printf '%s\n' "$news" | grep -q 'smcd: loopback-ism: users gone'; then
	ok "the long wait was reported, and its end"
else
	fail "the long wait was reported, and its end"
fi
expect_eq "client saw remove, nothing held, no release error" \
	"$((removed + 1)) 0 0" "$(status removed) $(status held) $(status release_errors)"
expect_eq "remove(): lookups no longer find the device" "$(status removed)" "$(status hidden)"
expect_eq "remove(): registering a DMB is refused with -ENODEV" -19 "$(status refused)"
if loaded smc_loopback || [ -e "$sysdev" ]; then
	fail "smc_loopback and its sysfs device are gone"
else
	ok "smc_loopback and its sysfs device are gone"
fi

# --- load and unload, with the client watching ----------------------------

added=$(status added)
removed=$(status removed)
bad=0
gids=()
for i in $(seq $ROUNDS); do
	modprobe smc_loopback || { echo "# round $i: modprobe failed"; bad=1; break; }
	gids+=("$(attr gid)")
	rmmod smc_loopback || { echo "# round $i: rmmod failed"; bad=1; break; }
	loaded smc_loopback && { echo "# round $i: still loaded"; bad=1; break; }
done
expect_eq "load and unload smc_loopback $ROUNDS times" 0 "$bad"
valid=$(printf '%s\n' "${gids[@]}" | grep -cE '^[0-9a-f]{32}$')
unique=$(printf '%s\n' "${gids[@]}" | sort -u | wc -l)
expect_eq "a valid, fresh random GID at every load" "$ROUNDS $ROUNDS" "$valid $unique"
expect_eq "client saw every add and remove" "$((added + ROUNDS)) $((removed + ROUNDS))" \
	"$(status added) $(status removed)"

# --- client unregistration while it holds DMBs ---------------------------

modprobe smc_loopback
tm hold 4 16384
rmmod smcd_dev_test
if loaded smcd_dev_test; then
	fail "rmmod smcd_dev_test while it holds DMBs"
else
	ok "rmmod smcd_dev_test while it holds DMBs"
fi
expect_eq "sysfs dmbs back to 0 after the client left" 0 "$(attr dmbs)"

# --- unload order ---------------------------------------------------------

if rmmod smc 2>/dev/null; then
	fail "smc stays while smc_loopback uses it"
else
	ok "smc stays while smc_loopback uses it"
fi
check "rmmod smc_loopback, then smc" sh -c 'rmmod smc_loopback && rmmod smc'
lines=$(dmesg | grep -E 'smc_loopback: .*left behind|smcd: .*waited')
if [ "$(printf '%s\n' "$lines" | grep -c .)" -eq 1 ]; then
	ok "no DMB was left behind; only the deliberate long wait was reported"
else
	printf '%s\n' "$lines" | sed 's/^/# /'
	fail "no DMB was left behind; only the deliberate long wait was reported"
fi
finish
