#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 240
#
# Races of the SMC-D data path, made to happen every time. A loaded
# machine now and then stops a task between two steps of a system call
# while the peer runs on, which a test never does on purpose:
# modules/smc_test_delay.ko stops it there for 20 ms. Each case checks
# that the stop really happened (the module counts them), so that it
# cannot pass without trying the race.
#
# The end of a stream: a reader that has found nothing to read and has not
# yet looked for the peer's end must not take an end that came right behind
# the last bytes for an end with nothing before it (it returned EOF with
# the stream's tail unread: 1000 connections at once lost one now and
# then).
source "$(dirname "$0")/lib.sh"

kmod=$SMC_SELFTESTS/modules/smc_test_delay.ko
param=/sys/module/smc_test_delay/parameters

tap_plan 8

if modprobe smc && modprobe smc_diag && modprobe smc_loopback &&
   insmod "$kmod" symbol=smc_conn_readable when_ret=0 delay_ms=20 count=0; then
	ok "modprobe smc smc_diag smc_loopback, insmod smc_test_delay"
else
	fail "modprobe smc smc_diag smc_loopback, insmod smc_test_delay"
	tap_exit
fi

# delayed NAME COUNT STREAM_PAIR_ARGS...: run the pair with at most COUNT
# stops, then check that some were made and both ends used SMC-D.
delayed()
{
	local name=$1 count=$2 hits
	shift 2
	hits=$(cat $param/hits)
	echo "$count" >$param/count
	check "$name: every byte, then EOF" stream_pair "$name" "$@"
	echo 0 >$param/count
	hits=$(($(cat $param/hits) - hits))
	if [ "$hits" -gt 0 ]; then
		ok "$name: readers stopped between their two looks $hits times"
	else
		fail "$name: no reader was stopped: the race was not tried"
	fi
	expect_eq "$name: both ends on SMC-D" "smcd smcd" \
		"$(stream_field "/tmp/$name.srv" path) $(stream_field "/tmp/$name.cli" path)"
}

# One way and back: the client reads as soon as its end is shut, and the
# server's whole answer and end come while it is stopped.
delayed eof_reply 100 -p 7901 -C 20 -n 64K -V -- \
	-c 127.0.0.1 -p 7901 -C 20 -n 64K -V
# Both ways at once in small pieces: stops all through each stream.
delayed eof_duplex 200 -p 7902 -P 4 -C 10 -n 16K -d -V -w 1:4K -r 1:1K -- \
	-c 127.0.0.1 -p 7902 -P 4 -C 10 -n 16K -d -V -w 1:4K -r 1:1K

check "rmmod smc_test_delay" rmmod smc_test_delay
tap_exit
