#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Run each named fuzzer from $BUILD for $FUZZ_SECONDS over a scratch copy of
# its seed corpus (corpus/<name without fuzz_>), so the tree is never
# written to.  Prints TAP; a crash, leak or sanitizer report is "not ok" and
# the scratch directory with the reproducer is kept.  Without libFuzzer
# (HAVE_FUZZER not y) every fuzzer is skipped; with it, a fuzzer binary
# missing from $BUILD is "not ok".

BUILD=${BUILD:-build}
FUZZ_SECONDS=${FUZZ_SECONDS:-20}

echo "TAP version 13"
echo "1..$#"

# Run one fuzzer; its TAP line (and any detail) goes to stdout.
fuzz_one()
{
	n=$1 f=$2
	if [ "$HAVE_FUZZER" != y ]; then
		echo "ok $n - $f # SKIP clang cannot build libFuzzer targets"
		return 0
	fi
	# clang can build it, so make should have: a fuzzer that did not
	# get built is a failure, not a skip.
	if [ ! -x "$BUILD/$f" ]; then
		echo "not ok $n - $f: $BUILD/$f missing although clang builds libFuzzer targets"
		return 1
	fi
	scratch=$(mktemp -d "${TMPDIR:-/tmp}/smc-$f.XXXXXX")
	mkdir "$scratch/corpus"
	cp corpus/"${f#fuzz_}"/* "$scratch/corpus/"
	"$BUILD/$f" -max_total_time="$FUZZ_SECONDS" -print_final_stats=1 \
		-timeout=10 -rss_limit_mb=2048 -artifact_prefix="$scratch/" \
		"$scratch/corpus" >"$scratch/log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$scratch/log")
	if [ $rc -eq 0 ] && [ -n "$execs" ]; then
		echo "ok $n - $f ${FUZZ_SECONDS}s, $execs execs, no finding"
		rm -rf "$scratch"
		return 0
	fi
	echo "not ok $n - $f exit $rc, ${execs:-?} execs, see $scratch"
	sed -n '/ERROR\|fuzz_c[ld]c:\|SUMMARY/p' "$scratch/log" |
		head -n 5 | sed 's/^/# /'
	return 1
}

# The fuzzers are independent and single-threaded: run them side by side
# (each for its full time) and report in order.
results=$(mktemp -d "${TMPDIR:-/tmp}/smc-fuzz.XXXXXX")
n=0
for f in "$@"; do
	n=$((n + 1))
	( fuzz_one $n "$f" >"$results/$n" 2>&1; echo $? >"$results/$n.rc" ) &
done
wait
fail=0
n=0
for f in "$@"; do
	n=$((n + 1))
	cat "$results/$n"
	[ "$(cat "$results/$n.rc")" = 0 ] || fail=1
done
rm -rf "$results"
exit $fail
