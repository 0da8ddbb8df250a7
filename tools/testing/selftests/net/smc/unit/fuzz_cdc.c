// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for the CDC codec and the cursor arithmetic.
 *
 * Each input is decoded as an SMC-R and as an SMC-D CDC message; what
 * decodes must re-encode and decode to the same fields.  The first 30
 * bytes are also read as parameters for the cursor helpers (ring size,
 * two cursors, an allowance, an advance), whose results are checked
 * against plain 64-bit stream positions.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "smc_cdc_wire.h"

#define FAIL(...) do {							\
	fprintf(stderr, "fuzz_cdc: " __VA_ARGS__);			\
	fputc('\n', stderr);						\
	abort();							\
} while (0)

static bool same(const struct smc_cdc_info *a, const struct smc_cdc_info *b)
{
	return !memcmp(a, b, sizeof(*a));
}

static void fuzz_codec(const u8 *data, size_t size)
{
	struct smc_cdc_info ci, again;
	u8 out[SMCR_CDC_MSG_LEN];
	int rc;

	rc = smcr_cdc_decode(data, size, &ci);
	if (rc != 0 && rc != -ENODATA && rc != -EPROTO && rc != -EINVAL)
		FAIL("smcr decode returned %d", rc);
	if (rc == -ENODATA && size >= SMCR_CDC_MIN_RX_LEN)
		FAIL("smcr: %zu bytes called short", size);
	if (!rc) {
		if (smcr_cdc_encode(out, sizeof(out), &ci) != SMCR_CDC_MSG_LEN)
			FAIL("smcr re-encode");
		if (smcr_cdc_decode(out, sizeof(out), &again) || !same(&ci, &again))
			FAIL("smcr decode(encode(x)) != x");
		/* everything Linux looks at must come back byte for byte */
		if (memcmp(out + 2, data + 2, 6) || memcmp(out + 10, data + 10, 6) ||
		    memcmp(out + 18, data + 18, 8))
			FAIL("smcr re-encoding changed a field");
	}

	/* A header nobody writes meanwhile reads back as it is. Its digest
	 * is taken with the cursor words our encoder made it of, and with
	 * no others.
	 */
	if (size >= SMCD_CDC_MSG_LEN) {
		u64 hdr[SMCD_CDC_MSG_LEN / sizeof(u64)];
		u8 snap[SMCD_CDC_MSG_LEN], enc[SMCD_CDC_MSG_LEN];
		bool whole, words, digest;

		memcpy(hdr, data, sizeof(hdr));
		whole = smcd_cdc_snapshot(snap, hdr);
		if (memcmp(snap, hdr, sizeof(snap)))
			FAIL("smcd snapshot of a still header differs");
		if (!smcd_cdc_decode(snap, sizeof(snap), &ci) &&
		    smcd_cdc_encode(enc, sizeof(enc), &ci) > 0) {
			words = !memcmp(enc + SMCD_CDC_PROD_OFF,
					snap + SMCD_CDC_PROD_OFF, 16);
			digest = !memcmp(enc + SMCD_CDC_CHECK_OFF,
					 snap + SMCD_CDC_CHECK_OFF, 8);
			if (words && digest && !whole)
				FAIL("smcd snapshot refused a header as encoded");
			if (!words && digest && whole)
				FAIL("smcd snapshot took a digest for other words");
		}
	}

	rc = smcd_cdc_decode(data, size, &ci);
	if (rc != 0 && rc != -ENODATA && rc != -EPROTO && rc != -EINVAL &&
	    rc != -ENOMSG)
		FAIL("smcd decode returned %d", rc);
	if (!rc) {
		if (ci.seqno || ci.token)
			FAIL("smcd decode invented seqno/token");
		if (smcd_cdc_encode(out, sizeof(out), &ci) != SMCD_CDC_MSG_LEN)
			FAIL("smcd re-encode");
		if (smcd_cdc_decode(out, SMCD_CDC_MSG_LEN, &again) ||
		    !same(&ci, &again))
			FAIL("smcd decode(encode(x)) != x");
		if (memcmp(out + 8, data + 8, 6) || memcmp(out + 16, data + 16, 8))
			FAIL("smcd re-encoding changed a field");
	}
}

static u32 get32(const u8 *p)
{
	return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | p[3];
}

static u16 get16(const u8 *p)
{
	return (u16)(p[0] << 8 | p[1]);
}

/* position difference with the 16-bit lap counter read as signed */
static s64 model_delta(u32 ring, const struct smc_cursor *a,
		       const struct smc_cursor *b)
{
	s64 laps = (s16)(u16)(b->wrap - a->wrap);

	return laps * (s64)ring + (s64)b->count - (s64)a->count;
}

static void fuzz_cursors(const u8 *p, size_t size)
{
	struct smc_cursor old, rx, c;
	u32 ring, max_adv, n;
	bool ring_ok, old_ok;
	s64 d;
	int rc;

	if (size < 30)
		return;
	ring = get32(p);
	/* favour small rings, where wrapping happens all the time */
	if (p[28] & 1)
		ring &= 0xff;
	old.wrap = get16(p + 4);
	old.count = get32(p + 6);
	rx.wrap = get16(p + 10);
	rx.count = get32(p + 12);
	max_adv = get32(p + 16);
	n = get32(p + 20);
	if (p[28] & 2 && ring) {
		old.count %= ring;
		rx.count %= ring;
		max_adv %= (u64)ring + 1;
		n %= (u64)ring + 1;
	}

	ring_ok = ring && ring <= SMC_RING_MAX;
	old_ok = ring_ok && old.count < ring;
	if (smc_cursor_valid(ring, &old) != old_ok)
		FAIL("valid() wrong");

	rc = smc_cursor_check(ring, &old, &rx, max_adv);
	if (!old_ok || max_adv > ring) {
		if (rc != -EINVAL)
			FAIL("check accepted bad arguments: %d", rc);
	} else if (rx.count >= ring) {
		if (rc != -EPROTO)
			FAIL("cursor outside the ring not caught: %d", rc);
	} else {
		d = model_delta(ring, &old, &rx);
		if (d < 0 ? rc != -ERANGE : d > max_adv ? rc != -EOVERFLOW :
		    rc != d)
			FAIL("check %d, model delta %lld, allowance %u", rc,
			     (long long)d, max_adv);
		if (d != smc_cursor_delta(ring, &old, &rx))
			FAIL("delta disagrees with model");
		if (smc_cursor_cmp(ring, &rx, &old) != (d < 0 ? -1 : d > 0))
			FAIL("cmp disagrees with delta");
		rc = smc_cursor_diff(ring, &old, &rx);
		if (d >= 0 && d <= ring ? rc != d : rc != -ERANGE)
			FAIL("diff %d, model %lld", rc, (long long)d);
		if (rc >= 0) {
			c = old;
			if (smc_cursor_advance(ring, &c, rc) ||
			    c.wrap != rx.wrap || c.count != rx.count)
				FAIL("advance by diff does not reach the cursor");
		}
	}

	c = old;
	rc = smc_cursor_advance(ring, &c, n);
	if (!old_ok || n > ring) {
		if (rc != -EINVAL || c.wrap != old.wrap || c.count != old.count)
			FAIL("advance accepted bad arguments");
		return;
	}
	if (rc || c.count >= ring)
		FAIL("advance produced an invalid cursor");
	if (smc_cursor_diff(ring, &old, &c) != (int)n ||
	    smc_cursor_check(ring, &old, &c, n) != (int)n)
		FAIL("advance by %u not measured as %u", n, n);
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	fuzz_codec(data, size);
	fuzz_cursors(data, size);
	return 0;
}
