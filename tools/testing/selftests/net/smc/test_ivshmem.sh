#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# run-guest: --guests 2 --ivshmem 64M
# timeout: 240
#
# SMC-D between two guests over QEMU's inter-VM shared memory: both guests
# have an ivshmem-doorbell device on one memory, and smc_ivshmem.ko turns
# each into an SMC-D device. Both devices appear (sysfs, netlink) with the
# same CHID and their own GIDs; AF_SMC connections between the guests
# negotiate SMC-Dv2 over their TCP connection (once a common UEID gives
# them an EID; without one they fall back to TCP) and stream through DMBs in the shared memory, every byte
# verified, the path read back through sock_diag on both ends. Also: many
# short connections, a peer without the driver (TCP with the reasons the
# in-tree stack gives), the driver coming back, and the driver removed
# under load (ECONNRESET, nothing hangs), and the driver next to the
# loopback device (both offered; each connection takes the one it can, the
# ivshmem device inside a guest whose loopback device has no DMB left).
# Before all that, guest 0 loads the driver with parameters that give no
# usable layout of the fresh memory: its probe fails, saying why, and the
# region stays fresh for guests with good ones. At the end, guest 1 turns
# hostile: with its driver gone it maps the memory itself, sets every
# pending bit of guest 0's area and rings guest 0's doorbell without end,
# while guest 0 opens connections (over its own device) whose clients are
# stopped right after the driver publishes each new DMB to its signal
# tasklet: no signal may find a DMB half set up.
#
# Guest 0 is the server of every scenario unless said otherwise; the
# guests keep step through files in $SMC_OUT.
source "$(dirname "$0")/lib.sh"

stream=$SMC_TOOLS/smc_stream
diag=$SMC_TOOLS/smc_diag_dump
smc=$SMC_REPO/tools/smc/smc
peer=$((1 - GUEST_ID))
UEID=SMCNG-IVSHMEM-TEST

# xfer NAME server|client PORT ARGS...: this guest's end of a transfer,
# its result line kept in /tmp/NAME.out and shown as a comment.
xfer()
{
	local name=$1 role=$2 port=$3 rc
	shift 3
	if [ "$role" = server ]; then
		"$stream" -l -q -t 60 -p "$port" "$@" >"/tmp/$name.out" 2>&1
	else
		"$stream" -q -t 60 -c "$PEER_ADDR" -p "$port" "$@" >"/tmp/$name.out" 2>&1
	fi
	rc=$?
	sed 's/^/# /' "/tmp/$name.out"
	return $rc
}

# path NAME: "path reason[ peer_diag]" of this end, from sock_diag.
path()
{
	local f=/tmp/$1.out
	echo "$(stream_field "$f" path) $(stream_field "$f" reason)${2:+ $(stream_field "$f" peer_diag)}"
}

# role SERVER_GUEST: server if this guest is SERVER_GUEST, else client.
role()
{
	[ "$GUEST_ID" -eq "$1" ] && echo server || echo client
}

# Guest 0 has checks more: bad parameters, its device goes away, and it is
# the target of the hostile peer.
tap_plan $((GUEST_ID == 0 ? 50 : 36))

if modprobe smc && modprobe smc_diag; then
	ok "modprobe smc smc_diag"
else
	fail "modprobe smc smc_diag"
	tap_exit
fi

# page0 CODE: Python CODE run with m, page 0 of the shared memory mapped
# through BAR2, the function enabled meanwhile.
page0()
{
	echo 1 >"$pci/enable"
	python3 -c '
import mmap, os, struct, sys
fd = os.open(sys.argv[1] + "/resource2", os.O_RDWR | os.O_SYNC)
m = mmap.mmap(fd, 4096)
exec(sys.argv[2])' "$pci" "$1" 2>&1
	echo 0 >"$pci/enable"
}

# probe_refused WHAT SHORT WHY [PARAM...]: the driver loads (with the
# module parameters) and its probe fails, and the kernel log says WHY.
probe_refused()
{
	local what=$1 short=$2 why=$3
	shift 3
	echo "smcng: $short follows" >/dev/kmsg
	check "$what: the driver loads, its probe fails" \
		eval "modprobe smc_ivshmem $* &&
			! ls -d /sys/class/smcd/ivshmem-* 2>/dev/null"
	dmesg | sed -n "/smcng: $short follows/,\$p" | grep smc_ivshmem >/tmp/refused.log
	check "$short: the kernel log says why" grep "$why" /tmp/refused.log
	rmmod smc_ivshmem
}

# --- bad parameters on fresh memory --------------------------------------------
# 64 areas of 65536 slots do not fit 64 MiB (a slot table of 2 MiB per
# area of 1 MiB): guest 0, first on the fresh memory, must not lay it out,
# or no guest could use the region until the host recreated the memory.
if [ "$GUEST_ID" -eq 0 ]; then
	pci=$(ivs_pci)
	probe_refused "areas=64 slots=65536 on 64 MiB" "bad parameters" \
		'areas=64 slots=65536 do not fit .* region left as it was' \
		areas=64 slots=65536
	# The region header's state word (0: fresh).
	expect_eq "bad parameters: the region is left fresh (state 0)" 0 \
		"$(page0 'print(struct.unpack_from("<I", m, 12)[0])')"

	# Memory that some other user of ivshmem filled is not ours to lay
	# out: the probe fails and page 0 stays as it was.
	page0 'm[0:64] = bytes(range(1, 65))' | sed 's/^/# /'
	probe_refused "foreign data in the memory" "foreign data" \
		'something other than an smc-ng region: left untouched'
	expect_eq "foreign data: page 0 left as it was (then cleared for the rest)" \
		intact "$(page0 '
print("intact" if m[0:64] == bytes(range(1, 65)) and not any(m[64:4096]) else "changed")
m[0:64] = bytes(64)')"
fi
meet badparams

# Guest 1 comes second with the default parameters now, and lays the
# region out.
check "modprobe smc_ivshmem (default parameters)" modprobe smc_ivshmem

# --- the device -----------------------------------------------------------
sysdev=$(echo /sys/class/smcd/ivshmem-*)
name=${sysdev##*/}
check "device $name in /sys/class/smcd" test -e "$sysdev/chid"
gid=$(cat "$sysdev/gid" 2>/dev/null)
chid=$(cat "$sysdev/chid" 2>/dev/null)
echo "# gid $gid chid $chid"
"$smc" -j dev show >/tmp/dev.json 2>&1
# As 6.1 shows an ISM device: the PCI function's address and ids.
check "smc dev show lists $name with its CHID and PCI ids" python3 -c '
import json, sys
devs = json.load(open("/tmp/dev.json"))["smcd"]
print(devs)
sys.exit(not any(d.get("pci_id") == sys.argv[1] and
		 d.get("pci_chid") == int(sys.argv[2], 16) and
		 d.get("pci_vendor") == 0x1af4 and d.get("pci_device") == 0x1110
		 for d in devs))' "${name#ivshmem-}" "$chid"
echo "$gid $chid" >"$SMC_OUT/g$GUEST_ID.devinfo.tmp" && mv "$SMC_OUT/g$GUEST_ID.devinfo.tmp" "$SMC_OUT/g$GUEST_ID.devinfo"
meet dev
read -r peer_gid peer_chid < "$SMC_OUT/g$peer.devinfo"
# 64-bit GIDs (gid_ext 0), not emulated: the CHID is below 0xff00.
if [ "$chid" = "$peer_chid" ] && [ "$gid" != "$peer_gid" ] &&
	[ $((chid)) -ge 1 ] && [ $((chid)) -lt $((0xff00)) ] &&
	[ "${gid:16}" = 0000000000000000 ] && [ "${gid:0:14}" = "${peer_gid:0:14}" ]; then
	ok "both guests' devices share CHID $chid, GIDs differ ($gid, $peer_gid)"
else
	fail "devices: CHID $chid/$peer_chid, GID $gid/$peer_gid"
fi
my_gid=0x${gid:0:16}
peer_gid=0x${peer_gid:0:16}

# Without a common EID (the guests' SEIDs differ) the server declines
# SMC-Dv2. Its device matched, so in-tree records no SMC-Dv2 reason for
# it, and the search for an SMC-D v1 device gives the one reported.
check "no common EID: 1 MiB each way over TCP, verified" \
	xfer noeid "$(role 0)" 7400 -n 1M -d -V
want="tcp 0x03030001 0x00000000"
[ "$GUEST_ID" -eq 1 ] && want="tcp 0x05000000 0x03030001"
expect_eq "noeid: fallback reasons as the in-tree stack gives them" "$want" "$(path noeid x)"
meet noeid

# So both guests get the same user EID.
check "smc ueid add $UEID" "$smc" ueid add "$UEID"
meet eid

# --- data -----------------------------------------------------------------
check "32 MiB each way at once, random write and read sizes, verified" \
	xfer duplex "$(role 0)" 7401 -n 32M -d -V -w 1:200000 -r 1:100000 -s 3
expect_eq "duplex: this end on SMC-D, no fallback" "smcd 0x00000000" "$(path duplex)"

check "roles swapped: 16 MiB each way, verified" \
	xfer swapped "$(role 1)" 7402 -n 16M -d -V -w 1:70000 -r 1:70000 -s 5
expect_eq "swapped: this end on SMC-D, no fallback" "smcd 0x00000000" "$(path swapped)"

check "small writes into the ring (1-17 bytes, 64 KiB each way), verified" \
	xfer small "$(role 0)" 7403 -n 64K -d -V -w 1:17 -r 1:5
expect_eq "small: this end on SMC-D, no fallback" "smcd 0x00000000" "$(path small)"

check "8 parallel x 4 sequential connections, 1 MiB each way, verified" \
	xfer par "$(role 1)" 7404 -P 8 -C 4 -n 1M -d -V
expect_eq "par: this end on SMC-D, no fallback" "smcd 0x00000000" "$(path par)"

# Every connection's path is checked (-A): a DMB or link group left over
# from the one before must not push the next onto TCP.
check "400 short connections (connect, 1 byte each way, close), 2 threads" \
	xfer rate "$(role 0)" 7405 -R -A -P 2 -C 200
expect_eq "rate: every connection on SMC-D" "smcd 0x00000000" "$(path rate)"

# Allocation failures on both ends (smc.ko's fault_pct): every connection
# runs, on SMC-D or after a fallback, its bytes verified. This device has
# no DMB attach, so each end also takes a bounce buffer beside its DMB:
# whichever of the two fails, the other is given back, and no DMB stays
# registered afterwards.
echo 5 >/sys/module/smc/parameters/fault_pct
check "5% allocation failures: 150 connections, 64 KiB each way, verified" \
	xfer faults "$(role 1)" 7413 -C 150 -n 64K -d -V
echo 0 >/sys/module/smc/parameters/fault_pct
meet faults
for _ in $(seq 50); do
	[ "$(cat /sys/class/smcd/ivshmem-*/dmbs)" = 0 ] && break
	sleep 0.2
done
expect_eq "faults: no DMB left registered" 0 "$(cat /sys/class/smcd/ivshmem-*/dmbs)"

# --- sock_diag on a live connection ---------------------------------------
# A long transfer; each guest finds its end and the two devices' GIDs.
end=(-l)
[ "$GUEST_ID" -eq 1 ] && end=(-c "$PEER_ADDR")
"$stream" -q -t 60 -p 7406 -n 8G -d "${end[@]}" >/tmp/live.out 2>&1 &
live=$!
for _ in $(seq 50); do
	"$diag" >/tmp/live.diag 2>&1
	grep -q 'state=ACTIVE.*mode=SMCD.*dmbinfo=' /tmp/live.diag && break
	sleep 0.1
done
sed 's/^/# /' /tmp/live.diag
check "sock_diag: this end ACTIVE on SMC-D, my_gid ours, peer_gid the peer's" \
	grep -q "state=ACTIVE.*mode=SMCD.*peer_gid:$peer_gid,my_gid:$my_gid" /tmp/live.diag
meet diag

# --- the driver removed under load ------------------------------------------
# Guest 0 unloads its driver while the long transfer runs: its end fails at
# once with ECONNRESET, and so does the peer's (told by an abort CDC sent
# while the device is going), nothing hangs.
if [ "$GUEST_ID" -eq 0 ]; then
	start=$(date +%s%N)
	check "rmmod smc_ivshmem under load" rmmod smc_ivshmem
	wait $live
	rc=$?
	ms=$((($(date +%s%N) - start) / 1000000))
	sed 's/^/# /' /tmp/live.out
	if [ $rc -eq 1 ] && grep -qE 'ECONNRESET|EPIPE' /tmp/live.out && [ $ms -lt 5000 ]; then
		ok "driver removed: this end failed with ECONNRESET (${ms} ms)"
	else
		fail "driver removed: exit $rc after ${ms} ms"
	fi
	check "device gone from /sys/class/smcd" test ! -e "$sysdev"
else
	start=$(date +%s%N)
	wait $live
	rc=$?
	ms=$((($(date +%s%N) - start) / 1000000))
	sed 's/^/# /' /tmp/live.out
	if [ $rc -eq 1 ] && grep -qE 'ECONNRESET|EPIPE' /tmp/live.out && [ $ms -lt 5000 ]; then
		ok "peer's driver removed: this end failed with ECONNRESET too (${ms} ms)"
	else
		fail "peer's driver removed: exit $rc after ${ms} ms"
	fi
	check "this device stays" test -e "$sysdev"
fi
meet removed

# --- a peer without the driver -----------------------------------------------
# Guest 0 has no device now. As client it has nothing to propose
# (NOSMCDEV); as server it declines the peer's SMC-Dv2 proposal
# (NOISM2SUPP), and the client records that as the peer's decline.
check "no device on guest 0: 1 MiB each way over TCP, verified" \
	xfer nodev "$(role 1)" 7407 -n 1M -d -V
want="tcp 0x03030000 0x00000000"
[ "$GUEST_ID" -eq 1 ] && want="tcp 0x05000000 0x03030000"
expect_eq "nodev: fallback reasons as the in-tree stack gives them" "$want" "$(path nodev x)"

check "guest 0 serves without a device: 1 MiB each way over TCP, verified" \
	xfer nodev2 "$(role 0)" 7408 -n 1M -d -V
want="tcp 0x03030003 0x00000000"
[ "$GUEST_ID" -eq 1 ] && want="tcp 0x05000000 0x03030003"
expect_eq "nodev2: fallback reasons as the in-tree stack gives them" "$want" "$(path nodev2 x)"
meet fallback

# --- the driver back ------------------------------------------------------------
[ "$GUEST_ID" -eq 0 ] && modprobe smc_ivshmem
meet back
check "driver back: 4 MiB each way, verified" \
	xfer back "$(role 1)" 7409 -n 4M -d -V
expect_eq "back: this end on SMC-D, no fallback" "smcd 0x00000000" "$(path back)"

# --- next to the loopback device -------------------------------------------
# With smc_loopback registered first, proposals offer both devices,
# loopback first: a server in the other guest cannot reach that one and
# takes the ivshmem device; inside one guest the loopback device is taken.
check "smc_loopback registered before smc_ivshmem" \
	eval "rmmod smc_ivshmem && modprobe smc_loopback && modprobe smc_ivshmem"
lo=$(cat /sys/class/smcd/loopback-ism/gid 2>/dev/null)
lo_gid=0x${lo:0:16}
meet both

# on_gid NAME GID: sock_diag shows a connection of ours ACTIVE on SMC-D
# through the device with GID, while transfer NAME runs.
# shellcheck disable=SC2317 # called through check
on_gid()
{
	for _ in $(seq 100); do
		"$diag" >"/tmp/$1.diag" 2>&1
		grep -q "state=ACTIVE.*mode=SMCD.*my_gid:$2" "/tmp/$1.diag" && return 0
		sleep 0.05
	done
	sed 's/^/# /' "/tmp/$1.diag"
	return 1
}

xfer both "$(role 0)" 7410 -n 128M -d -V >/tmp/both.log 2>&1 &
xpid=$!
check "between the guests: on the ivshmem device ($my_gid)" on_gid both "$my_gid"
wait $xpid
xrc=$?
cat /tmp/both.log
expect_eq "between the guests: 128 MiB each way verified, this end on SMC-D" \
	"0 smcd 0x00000000" "$xrc $(path both)"

stream_pair local -p 7411 -n 128M -d -V -- -c 127.0.0.1 -p 7411 -n 128M -d -V \
	>/tmp/local.log 2>&1 &
xpid=$!
check "inside the guest: on the loopback device ($lo_gid)" on_gid local "$lo_gid"
wait $xpid
xrc=$?
cat /tmp/local.log
expect_eq "inside the guest: 128 MiB each way verified, both ends on SMC-D" \
	"0 smcd smcd" "$xrc $(stream_field /tmp/local.srv path) $(stream_field /tmp/local.cli path)"

# --- the loopback device full ----------------------------------------------------
# The loopback device goes first but has no DMB left (smcd_dev_test holds
# its only one): the server takes the next device of the proposal it has,
# the ivshmem device, as in-tree does, rather than declining.
if [ "$GUEST_ID" -eq 0 ]; then
	dbg=/sys/kernel/debug/smcd_dev_test
	check "smc_loopback with room for one DMB, smcd_dev_test holding it" \
		eval "rmmod smc_loopback && modprobe smc_loopback max_dmbs=1 &&
			insmod $SMC_SELFTESTS/modules/smcd_dev_test.ko &&
			echo 'hold 1 65536' >$dbg/ctl && ! grep -q '^not ok' $dbg/ctl"
	stream_pair full -p 7413 -n 128M -d -V -- -c 127.0.0.1 -p 7413 -n 128M -d -V \
		>/tmp/full.log 2>&1 &
	xpid=$!
	check "loopback device full: on the ivshmem device ($my_gid)" on_gid full "$my_gid"
	wait $xpid
	xrc=$?
	cat /tmp/full.log
	expect_eq "loopback device full: 128 MiB each way verified, both ends on SMC-D" \
		"0 smcd smcd" "$xrc $(stream_field /tmp/full.srv path) $(stream_field /tmp/full.cli path)"
	check "release the DMB, smc_loopback as before" \
		eval "echo release >$dbg/ctl && rmmod smcd_dev_test &&
			rmmod smc_loopback && modprobe smc_loopback"
fi
meet full

# --- a hostile peer sets every pending bit -------------------------------------
# Guest 1 unloads its driver, maps the shared memory and its doorbell
# itself (sysfs resource files) and, until told to stop, sets every bit of
# guest 0's pending bitmap and rings guest 0's doorbell. Guest 0 opens
# connections to itself over its ivshmem device (the loopback device goes
# first), and smc_test_delay stops the client after every
# spin_unlock_bh(): also right after the driver has published a new DMB to
# its signal tasklet, which then delivers the hostile bits. A DMB
# published before it is complete (no memory address yet) oopses there.
if [ "$GUEST_ID" -eq 1 ]; then
	rmmod smc_ivshmem
	pci=$(ivs_pci)
	echo 1 >"$pci/enable"
	peer_area=$((peer_gid & 0xff))
	rm -f /tmp/hammer.stop /tmp/hammer.ready
	python3 -c '
import ctypes, mmap, os, struct, sys

dev, area, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
fd = os.open(dev + "/resource2", os.O_RDWR | os.O_SYNC)
shm = mmap.mmap(fd, os.fstat(fd).st_size)
fd = os.open(dev + "/resource0", os.O_RDWR | os.O_SYNC)
regs = mmap.mmap(fd, 256)
magic, _, state, _, areas, slots, size, off = struct.unpack_from("<QIIQIIQQ", shm)
if magic != 0x4d48535649434d53 or state != 2 or area >= areas:
    sys.exit("no region to attack: magic %x state %d areas %d" % (magic, state, areas))
# The pending bitmap follows the 64-byte area header.
bits = ctypes.addressof(ctypes.c_char.from_buffer(shm, off + area * size + 64))
bell = ctypes.c_uint32.from_buffer(regs, 12)
with open(out + ".ready", "w") as f:
    print("area %d: %d slots" % (area, slots), file=f)
n = 0
while n % 256 or not os.path.exists(out + ".stop"):
    ctypes.memset(bits, 0xff, slots // 8)
    bell.value = area << 16
    n += 1
with open(out + ".rounds", "w") as f:
    print(n, file=f)
os._exit(0)' "$pci" "$peer_area" /tmp/hammer >/tmp/hammer.log 2>&1 &
	hammer=$!
	for _ in $(seq 100); do
		[ -e /tmp/hammer.ready ] || ! kill -0 $hammer 2>/dev/null && break
		sleep 0.1
	done
	cat /tmp/hammer.log
	check "rmmod smc_ivshmem, map the peer's area and doorbell: $(cat /tmp/hammer.ready 2>/dev/null)" \
		test -e /tmp/hammer.ready
	meet hammer
	# Guest 0's connections are slowed down on purpose: wait for them
	# longer than meet does.
	for _ in $(seq 1500); do
		[ -e "$SMC_OUT/g0.hammered" ] && break
		sleep 0.1
	done
	: >/tmp/hammer.stop
	wait $hammer
	cat /tmp/hammer.log
	rounds=$(cat /tmp/hammer.rounds 2>/dev/null)
	check "set every pending bit of the peer's area and rang it ${rounds:-0} times" \
		test "${rounds:-0}" -gt 0
	echo 0 >"$pci/enable"
else
	kmod=$SMC_SELFTESTS/modules/smc_test_delay.ko
	param=/sys/module/smc_test_delay/parameters
	check "rmmod smc_loopback, insmod smc_test_delay (clients stop 3 ms after spin_unlock_bh)" \
		eval "rmmod smc_loopback &&
			insmod $kmod symbol=_raw_spin_unlock_bh any_ret=1 comm=ivs_client delay_ms=3 count=1000000"
	ln -sf "$stream" /tmp/ivs_client
	irqs()
	{
		awk '/smc_ivshmem/ { for (i = 2; i <= NF && $i ~ /^[0-9]+$/; i++) n += $i }
			END { print n + 0 }' /proc/interrupts
	}
	meet hammer
	echo "smcng: hammered from here" > /dev/kmsg
	irq0=$(irqs)
	"$stream" -l -q -t 200 -p 7412 -R -A -C 30 >/tmp/ham.srv 2>&1 &
	spid=$!
	/tmp/ivs_client -q -t 200 -c 127.0.0.1 -p 7412 -R -A -C 30 >/tmp/ham.cli 2>&1
	crc=$?
	wait $spid
	src=$?
	sed 's/^/# /' /tmp/ham.srv /tmp/ham.cli
	expect_eq "30 connections to ourselves while the peer sets every pending bit: all on SMC-D" \
		"0 0 smcd smcd" "$crc $src $(stream_field /tmp/ham.srv path) $(stream_field /tmp/ham.cli path)"
	hits=$(cat $param/hits)
	irq=$(($(irqs) - irq0))
	if [ "$hits" -gt 0 ] && [ "$irq" -gt 0 ]; then
		ok "the race was run: clients stopped $hits times, $irq doorbell interrupts"
	else
		fail "the race was not run: clients stopped $hits times, $irq doorbell interrupts"
	fi
	: >"$SMC_OUT/g0.hammered"
	# The marker must be there: without it nothing would be checked.
	klog_clean "kernel log clean while hammered" "smcng: hammered from here"
	check "rmmod smc_test_delay" rmmod smc_test_delay
fi

"$smc" ueid del "$UEID"
meet end
tap_exit
