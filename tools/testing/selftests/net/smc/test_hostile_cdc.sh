#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 240
#
# A hostile SMC-D peer at the CDC level: modules/smcd_dev_test.ko writes
# CDC headers of its own making into the DMB of a live connection over
# the loopback device (a DMB token it does not own) and signals them. A
# cursor outside the ring, a producer that jumps beyond the window the
# victim granted (wrapping wrongly), a consumer cursor beyond what the
# victim sent: that connection is aborted, both ends see it reset, and
# nothing else is affected. A flood of headers that change nothing
# changes nothing. An urgent flag that comes after the byte it marks (as
# a reader sees it whose look at the header raced the device writing
# it) still makes that byte urgent. Throughout, a bystander connection moves 256 MiB,
# verified, over SMC-D.
source "$(dirname "$0")/lib.sh"

stream=$SMC_TOOLS/smc_stream
diag=$SMC_TOOLS/smc_diag_dump
kmod=$SMC_SELFTESTS/modules/smcd_dev_test.ko
ctl=/sys/kernel/debug/smcd_dev_test/ctl

tap_plan 17

if modprobe smc && modprobe smc_diag && modprobe smc_loopback &&
   insmod "$kmod"; then
	ok "modprobe smc smc_diag smc_loopback, insmod smcd_dev_test"
else
	fail "modprobe smc smc_diag smc_loopback, insmod smcd_dev_test"
	tap_exit
fi

"$stream" -l -q -t 120 -p 7800 -n 256M -V >/tmp/by.srv 2>&1 &
bysrv=$!
"$stream" -q -t 120 -c 127.0.0.1 -p 7800 -n 256M -V >/tmp/by.cli 2>&1 &
bycli=$!

# An idle AF_SMC connection to PORT: both ends wait in recv() until the
# file /tmp/pair.go appears (then they exchange 64 KiB each way, checked)
# or the connection fails; the outcome of both ends, once, on stdout.
# With "urgent" after PORT, the client only looks once "go" is there:
# what recv(MSG_OOB), then recv(), finds without waiting.
cat >/tmp/pair.py <<'PY'
import errno, os, socket, sys, threading, time
port = int(sys.argv[1])
scale = int(os.environ.get("SMC_TIMEOUT_SCALE", "1"))
lsn = socket.socket(socket.AF_INET, socket.SOCK_STREAM, 256)  # IPPROTO_SMC
lsn.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
lsn.bind(("127.0.0.1", port))
lsn.listen(1)
cli = socket.socket(socket.AF_INET, socket.SOCK_STREAM, 256)
cli.connect(("127.0.0.1", port))
srv, _ = lsn.accept()
print("ready", flush=True)
if sys.argv[2:] == ["urgent"]:
    deadline = time.time() + 60 * scale
    while not os.path.exists("/tmp/pair.go") and time.time() < deadline:
        time.sleep(0.05)
    def look(flags):
        try:
            return str(len(cli.recv(16, flags | socket.MSG_DONTWAIT)))
        except OSError as e:
            return errno.errorcode[e.errno]
    print("oob=%s stream=%s" % (look(socket.MSG_OOB), look(0)), flush=True)
    sys.exit(0)
res = {}
def side(name, s):
    s.settimeout(0.2)
    deadline = time.time() + 60 * scale
    try:
        while time.time() < deadline:
            if os.path.exists("/tmp/pair.go"):
                break
            try:
                if s.recv(1, socket.MSG_PEEK) == b"":
                    res[name] = "eof"
                    return
                break   # the peer has started
            except socket.timeout:
                continue
        else:
            res[name] = "timeout"
            return
        s.settimeout(20 * scale)
        data = bytes(range(256)) * 256  # within the ring: no deadlock
        s.sendall(data)
        got = b""
        while len(got) < len(data):
            b = s.recv(len(data) - len(got))
            if not b:
                break
            got += b
        res[name] = "ok" if got == data else "corrupt"
    except OSError as e:
        res[name] = os.strerror(e.errno) if e.errno else str(e)
t = [threading.Thread(target=side, args=(n, x)) for n, x in (("client", cli), ("server", srv))]
for x in t: x.start()
for x in t: x.join()
print("client=%s server=%s" % (res.get("client"), res.get("server")), flush=True)
PY

# forge NAME PORT FIELDS [CMD [MODE]]: an idle connection to PORT (MODE
# as for pair.py); the CDC FIELDS (producer wrap, count; consumer wrap,
# count; producer and connection flags; how many times) go into its
# client's DMB, then "go". Several CDCs are separated by ";", written in
# turn. CMD "blank": FIELDS is only how many times a zeroed header goes in.
forge()
{
	local name=$1 port=$2 cmd=${4:-cdc} token f sets
	rm -f /tmp/pair.go
	python3 /tmp/pair.py "$port" ${5:+"$5"} >"/tmp/$name.out" 2>&1 &
	for _ in $(seq $((100 * ${SMC_TIMEOUT_SCALE:-1}))); do
		grep -q ready "/tmp/$name.out" && break
		sleep 0.1
	done
	token=$("$diag" 2>/dev/null | grep -E "state=ACTIVE.*mode=SMCD.*peer=[^ ]*:$port " |
		sed -n 's/.*,token:\(0x[0-9a-f]*\),.*/\1/p' | head -n 1)
	IFS=';' read -ra sets <<<"$3"
	for f in "${sets[@]}"; do
		if [ -n "$token" ] && echo "$cmd $token $f" >"$ctl" 2>/dev/null; then
			sed 's/^/# /' "$ctl"
		else
			echo "# $name: no victim token, or the CDC was refused"
		fi
	done
	: >/tmp/pair.go
	wait $!
	sed 's/^/# /' "/tmp/$name.out"
}

# The victim's cursors are all 0:0 (nothing sent yet) and its ring is
# 128 KiB, the peer's window too.
for c in "count_outside_ring 7801 0 2147483647 0 0 0 0 1" \
	 "producer_two_laps_on 7802 2 0 0 0 0 0 1" \
	 "consumer_beyond_sent 7803 0 0 0 100 0 0 1"; do
	read -r name port fields <<<"$c"
	forge "$name" "$port" "$fields"
	expect_eq "$name: the forged CDC went in" "1 0" \
		"$(sed -n 's/^# done: \([0-9]*\) checks, \([0-9]*\) failed/\1 \2/p' "$ctl")"
	expect_eq "$name: that connection reset, both ends told" \
		"client=Connection reset by peer server=Connection reset by peer" \
		"$(grep '^client=' "/tmp/$name.out")"
done

# Headers with the cursors as they are, 20000 of them, signalled.
forge stale_flood 7804 "0 0 0 0 0 0 20000"
check "stale_flood: 20000 CDCs written and signalled" grep -q '^ok' "$ctl"
expect_eq "stale_flood: the connection works on, 64 KiB each way checked" \
	"client=ok server=ok" "$(grep '^client=' /tmp/stale_flood.out)"

# A cursor outside the ring, as above, but in a header whose last word
# is no digest of it: a header caught while its writer was midway, or
# nonsense, is not taken at all. The connection works on.
forge digest_wrong 7807 "0 2147483647 0 0 0 0 1 1"
check "digest_wrong: the forged CDC went in" grep -q '^ok' "$ctl"
expect_eq "digest_wrong: not taken, 64 KiB each way checked" \
	"client=ok server=ok" "$(grep '^client=' /tmp/digest_wrong.out)"

# Signals for a header nobody wrote yet, as a device may deliver for a
# reused DMB slot: nothing to act on, the connection is not hurt.
forge blank_signals 7805 1000 blank
check "blank_signals: 1000 zeroed headers written and signalled" \
	grep -q '^ok' "$ctl"
expect_eq "blank_signals: the connection works on, 64 KiB each way checked" \
	"client=ok server=ok" "$(grep '^client=' /tmp/blank_signals.out)"

# The urgent flag one header after its byte: the producer cursor
# announces one byte, then the same cursor comes with URG_PRESENT (0x20).
# The byte is urgent: recv(MSG_OOB) has it and the stream has nothing,
# as on TCP without SO_OOBINLINE.
forge urgent_late 7806 "0 1 0 0 0 0 1;0 1 0 0 32 0 1" cdc urgent
expect_eq "urgent_late: the byte is urgent, not in the stream" \
	"oob=1 stream=EAGAIN" "$(grep '^oob=' /tmp/urgent_late.out)"

wait $bycli
crc=$?
wait $bysrv
src=$?
sed 's/^/# /' /tmp/by.srv /tmp/by.cli
expect_eq "bystander: 256 MiB verified over SMC-D through it all" "0 0 smcd" \
	"$crc $src $(stream_field /tmp/by.cli path)"
expect_eq "no AF_SMC socket left" "0 0" \
	"$(proto_sockets SMC) $(proto_sockets SMC6)"
check "rmmod smcd_dev_test" rmmod smcd_dev_test
tap_exit
