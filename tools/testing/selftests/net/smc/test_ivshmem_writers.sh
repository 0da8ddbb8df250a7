#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# run-guest: --guests 2 --ivshmem 64M
# timeout: 300
#
# Writer counts of the inter-VM device (smc_ivshmem.ko) live in memory
# every guest of the region writes. Guest 1, turned hostile (driver gone,
# the memory mapped through BAR2), raises the count of every slot of
# guest 0's area, which loaded the driver with 64 slots:
#   - guest 0 closes 10 connections of its own (20 DMBs): slots whose
#     count stays up are retired, not reused;
#   - guest 1 puts the counts back: guest 0 opens 31 connections (62
#     DMBs), every one over SMC-D, as retired slots come back into use
#     once their count is zero;
#   - guest 1 raises them again, and guest 0 removes its driver under 31
#     open connections: removal waits for no writer (the area closes, and
#     the next driver waits longer than a copy before claiming it).
source "$(dirname "$0")/lib.sh"

PORT=7500

# retired: the slots the kernel log says guest 0's driver retired so far.
retired()
{
	dmesg | grep -c "still written to, retired"
}

if [ "$GUEST_ID" -eq 1 ]; then
	tap_plan 3
	modprobe smc && meet loaded0 && modprobe smc_ivshmem
	check "modprobe smc smc_ivshmem, after guest 0" true
	meet joined
	meet opened
	rmmod smc_ivshmem
	pci=$(ivs_pci)
	echo 1 >"$pci/enable"
	# counts DELTA: add DELTA to the writer count of every slot of area 0.
	cat >/tmp/counts.py <<'PY'
import mmap, os, struct, sys
fd = os.open(sys.argv[1] + "/resource2", os.O_RDWR | os.O_SYNC)
shm = mmap.mmap(fd, os.fstat(fd).st_size)
_, _, _, _, areas, slots, size, off = struct.unpack_from("<QIIQIIQQ", shm)
table = off + 64 + (slots + 63) // 64 * 8	# area 0: header, bitmap
for i in range(slots):
    at = table + 32 * i + 16
    w = struct.unpack_from("<i", shm, at)[0]
    struct.pack_into("<i", shm, at, w + int(sys.argv[2]))
print("# writer counts of %d slots moved by %s" % (slots, sys.argv[2]))
PY
	python3 /tmp/counts.py "$pci" 1
	meet raised
	meet closed
	python3 /tmp/counts.py "$pci" -1
	check "the counts put back" true
	meet lowered
	meet reopened
	python3 /tmp/counts.py "$pci" 1
	meet raised_again
	meet removed
	python3 /tmp/counts.py "$pci" -1
	echo 0 >"$pci/enable"
	check "the counts put back again" true
	tap_exit
fi

tap_plan 6
modprobe smc && modprobe smc_diag && modprobe smc_ivshmem slots=64
check "modprobe smc smc_ivshmem slots=64" test -d /sys/class/smcd
meet loaded0
meet joined
dmbs=$(echo /sys/class/smcd/ivshmem-*/dmbs)

# pairs N: hold N connections of this guest (both ends here, over the
# ivshmem device: no loopback device is loaded), each with a byte each
# way, until /tmp/close appears; say "opened" with the DMB count first.
cat >/tmp/pairs.py <<'PY'
import os, socket, sys, time
n, port, dmbs = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
lsn = socket.socket(socket.AF_INET, socket.SOCK_STREAM, 256)
lsn.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
lsn.bind(("127.0.0.1", port))
lsn.listen(64)
pairs = []
for _ in range(n):
    c = socket.socket(socket.AF_INET, socket.SOCK_STREAM, 256)
    c.connect(("127.0.0.1", port))
    s, _ = lsn.accept()
    c.sendall(b"x")
    assert s.recv(1) == b"x"
    s.sendall(b"y")
    assert c.recv(1) == b"y"
    pairs.append((c, s))
print("opened dmbs=%s" % open(dmbs).read().strip(), flush=True)
while not os.path.exists("/tmp/close"):
    time.sleep(0.1)
for c, s in pairs:
    c.close()
    s.close()
print("closed", flush=True)
PY

rm -f /tmp/close
python3 /tmp/pairs.py 10 $PORT "$dmbs" >/tmp/pairs1.out 2>&1 &
p1=$!
wait_for_line /tmp/pairs1.out opened
meet opened
meet raised
touch /tmp/close
wait $p1
sed 's/^/# /' /tmp/pairs1.out
gone=$(retired)
echo "# slots retired: $gone"
check "10 connections closed under raised counts: slots retired" test "$gone" -gt 0
meet closed
meet lowered

rm -f /tmp/close
python3 /tmp/pairs.py 31 $((PORT + 1)) "$dmbs" >/tmp/pairs2.out 2>&1 &
p2=$!
wait_for_line /tmp/pairs2.out opened
sed 's/^/# /' /tmp/pairs2.out
expect_eq "counts back at zero: 31 connections get their 62 DMBs of 64 slots" \
	"opened dmbs=62" "$(grep opened /tmp/pairs2.out)"
meet reopened
meet raised_again

before=$(retired)
check "rmmod smc_ivshmem under 31 connections" rmmod smc_ivshmem
expect_eq "removal retired no slot: it waited for no writer" \
	"$before" "$(retired)"
touch /tmp/close
wait $p2
expect_eq "the connections ended, their sockets closed" 0 \
	"$(wait_sockets INET_SMC 0 10)"
meet removed
tap_exit
