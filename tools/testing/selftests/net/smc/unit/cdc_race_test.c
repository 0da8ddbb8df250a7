// SPDX-License-Identifier: GPL-2.0
/*
 * The SMC-D header snapshot against a writer on another CPU, for real:
 * one thread rewrites a header as a peer's device does, the other takes
 * snapshots (net/smc/smc_cdc_wire.c) and checks that each is one header
 * the writer wrote. cdc_test.c steps through every interleaving of one
 * rewrite; this shows that the barriers and the digest hold up on the
 * machine's own memory ordering. TAP output.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "smc_cdc_wire.h"
#include "tap.h"

#define HDR_WORDS	(SMCD_CDC_MSG_LEN / sizeof(u64))
/* Until this many snapshots found a new header, or for at most a while. */
#define WANT_CHANGES	200000
#define MAX_NSEC	3000000000LL

static u64 shared_hdr[HDR_WORDS] __attribute__((aligned(64)));
static int stop_writer;

/* Header n: every field follows from its producer count, so a reader can
 * tell whether what it holds is one header. The urgent flag on every
 * other one is what a mixed header would misplace.
 */
static void header_info(u32 n, struct smc_cdc_info *ci)
{
	memset(ci, 0, sizeof(*ci));
	ci->prod.count = n;
	ci->prod.wrap = (u16)(n >> 12);
	ci->cons.count = n * 7u;
	ci->cons.wrap = (u16)(n >> 9);
	ci->prod_flags = n & 1 ? SMC_CDC_PF_URG_PRESENT : 0;
	ci->conn_flags = n % 3 ? 0 : SMC_CDC_CF_DONE_WRITING;
}

static bool header_whole(const struct smc_cdc_info *ci)
{
	struct smc_cdc_info want;

	header_info(ci->prod.count, &want);
	return !memcmp(ci, &want, sizeof(want));
}

/* in_order: word by word with a release between, as ivs_copy() writes;
 * otherwise last word first, as a copy that reorders its stores may.
 */
struct writer_arg {
	bool in_order;
	unsigned long written;
};

static void *writer(void *p)
{
	struct writer_arg *a = p;
	u64 words[HDR_WORDS];
	struct smc_cdc_info ci;
	volatile unsigned int pause;
	unsigned int i, w;
	u32 n = 1;

	while (!__atomic_load_n(&stop_writer, __ATOMIC_RELAXED)) {
		header_info(++n, &ci);
		smcd_cdc_encode(words, sizeof(words), &ci);
		for (i = 0; i < HDR_WORDS; i++) {
			w = a->in_order ? i : HDR_WORDS - 1 - i;
			__atomic_thread_fence(__ATOMIC_RELEASE);
			__atomic_store_n(&shared_hdr[w], words[w],
					 __ATOMIC_RELAXED);
		}
		a->written++;
		/* A peer writes a header per send, with the data between:
		 * a pause of varying length lets the reader's looks fall
		 * anywhere, rather than always into a write.
		 */
		for (pause = 0; pause < n % 512; pause++)
			;
	}
	return NULL;
}

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static bool race(const void *arg)
{
	struct writer_arg wa = { .in_order = arg != NULL };
	unsigned long looks = 0, mixed = 0, changes = 0, midway = 0;
	struct smc_cdc_info ci;
	u8 snap[SMCD_CDC_MSG_LEN];
	u32 last = 0;
	pthread_t t;
	long long end;

	header_info(1, &ci);
	smcd_cdc_encode(shared_hdr, sizeof(shared_hdr), &ci);
	__atomic_store_n(&stop_writer, 0, __ATOMIC_RELAXED);
	CHECK_EQ(pthread_create(&t, NULL, writer, &wa), 0);
	end = now_ns() + MAX_NSEC;
	while (changes < WANT_CHANGES && now_ns() < end) {
		looks++;
		if (!smcd_cdc_snapshot(snap, shared_hdr)) {
			midway++;
			continue;
		}
		if (smcd_cdc_decode(snap, sizeof(snap), &ci) ||
		    !header_whole(&ci)) {
			if (!mixed++)
				tap_diag("mixed: prod %u/%u cons %u/%u flags %#x %#x",
					 ci.prod.wrap, ci.prod.count,
					 ci.cons.wrap, ci.cons.count,
					 ci.prod_flags, ci.conn_flags);
		}
		if (ci.prod.count != last)
			changes++;
		last = ci.prod.count;
	}
	__atomic_store_n(&stop_writer, 1, __ATOMIC_RELAXED);
	pthread_join(t, NULL);
	tap_diag("%lu snapshots, %lu headers written, %lu seen change, %lu mixed, %lu never whole",
		 looks, wa.written, changes, mixed, midway);
	CHECK_EQ(mixed, 0);
	/* A busy machine may have run the two in turn most of the time. */
	if (changes < WANT_CHANGES)
		tap_skip_reason = "the threads seldom ran side by side";
	return true;
}

int main(void)
{

	static const struct tap_case cases[] = {
		{ "SMC-D header rewritten word by word in order, read meanwhile",
		  race, "in order" },
		{ "SMC-D header rewritten last word first, read meanwhile",
		  race, NULL },
	};

	return tap_run(cases, ARRAY_SIZE(cases));
}
