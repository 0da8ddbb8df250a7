// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for the CDC codec and cursor arithmetic
 * (net/smc/smc_cdc_wire.c), TAP output.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "smc_cdc_wire.h"
#include "tap.h"

static bool cdc_equal(const struct smc_cdc_info *a,
		      const struct smc_cdc_info *b, bool smcr)
{
	if (smcr && (a->seqno != b->seqno || a->token != b->token))
		return false;
	return a->prod.wrap == b->prod.wrap && a->prod.count == b->prod.count &&
	       a->cons.wrap == b->cons.wrap && a->cons.count == b->cons.count &&
	       a->prod_flags == b->prod_flags &&
	       a->conn_flags == b->conn_flags;
}

static u8 *dup_exact(const void *p, size_t len)
{
	u8 *c = malloc(len ? len : 1);

	if (!c) {
		printf("Bail out! out of memory\n");
		exit(1);
	}
	memcpy(c, p, len);
	return c;
}

/* ------------------------------------------------------------------ */
/* golden vectors from the protocol document, sections 4.1 and 4.7    */

static const struct smc_cdc_info gold_info = {
	.seqno = 7,
	.token = 0x101,
	.prod = { .wrap = 3, .count = 0x1234 },
	.cons = { .wrap = 2, .count = 0xfff0 },
	.prod_flags = SMC_CDC_PF_WRITE_BLOCKED,
	.conn_flags = SMC_CDC_CF_CONN_CLOSED,
};

static const u8 gold_smcr[SMCR_CDC_MSG_LEN] = {
	0xfe, 44, 0x00, 0x07,			/* type, length, seqno */
	0x00, 0x00, 0x01, 0x01,			/* receiver's token */
	0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x12, 0x34,	/* producer */
	0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0xff, 0xf0,	/* consumer */
	0x80, 0x40,				/* write blocked, closed */
};

/* SMC-D cursors are in CPU byte order; build the bytes that way */
static void gold_smcd(u8 *g)
{
	u16 w;
	u32 c;

	memset(g, 0, SMCD_CDC_MSG_LEN);
	g[0] = 0xfe;
	w = 3;
	c = 0x1234;
	memcpy(g + 8, &w, 2);
	memcpy(g + 10, &c, 4);
	w = 2;
	c = 0xfff0;
	memcpy(g + 16, &w, 2);
	memcpy(g + 18, &c, 4);
	g[22] = 0x80;	/* flags ride in the consumer block */
	g[23] = 0x40;
}

static bool t_gold_smcr(const void *arg)
{
	struct smc_cdc_info ci;
	u8 out[SMCR_CDC_MSG_LEN];

	(void)arg;
	CHECK_EQ(smcr_cdc_decode(gold_smcr, sizeof(gold_smcr), &ci), 0);
	CHECK(cdc_equal(&ci, &gold_info, true));
	CHECK_EQ(smcr_cdc_encode(out, sizeof(out), &gold_info), 44);
	CHECK(!memcmp(out, gold_smcr, sizeof(out)));
	return true;
}

static bool t_gold_smcd(const void *arg)
{
	struct smc_cdc_info ci;
	u8 g[SMCD_CDC_MSG_LEN], out[SMCD_CDC_MSG_LEN];

	(void)arg;
	gold_smcd(g);
	CHECK_EQ(smcd_cdc_decode(g, sizeof(g), &ci), 0);
	CHECK(cdc_equal(&ci, &gold_info, false));
	CHECK_EQ(ci.seqno, 0);
	CHECK_EQ(ci.token, 0);
	/* Linux's layout up to the reserved last word, which holds ours */
	CHECK_EQ(smcd_cdc_encode(out, sizeof(out), &gold_info), 32);
	CHECK(!memcmp(out, g, SMCD_CDC_CHECK_OFF));
	CHECK(memcmp(out + SMCD_CDC_CHECK_OFF, g + SMCD_CDC_CHECK_OFF, 8));
	CHECK_EQ(smcd_cdc_decode(out, sizeof(out), &ci), 0);
	CHECK(cdc_equal(&ci, &gold_info, false));
	/* the producer block's flag bytes are not where the flags live */
	g[14] = 0xff;
	g[15] = 0xff;
	CHECK_EQ(smcd_cdc_decode(g, sizeof(g), &ci), 0);
	CHECK(cdc_equal(&ci, &gold_info, false));
	return true;
}

/* ------------------------------------------------------------------ */
/* codec                                                                */

static u32 rng_state = 0x12345678;

static u32 rnd(void)
{
	/* xorshift32: deterministic, good enough to spread test values */
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 17;
	rng_state ^= rng_state << 5;
	return rng_state;
}

static void random_info(struct smc_cdc_info *ci)
{
	ci->seqno = rnd();
	ci->token = rnd();
	ci->prod.wrap = rnd();
	ci->prod.count = rnd();
	ci->cons.wrap = rnd();
	ci->cons.count = rnd();
	ci->prod_flags = rnd();
	ci->conn_flags = rnd();
}

static bool t_roundtrip(const void *arg)
{
	struct smc_cdc_info in, out;
	u8 buf[SMCR_CDC_MSG_LEN];
	int i;

	(void)arg;
	for (i = 0; i < 10000; i++) {
		random_info(&in);
		CHECK_EQ(smcr_cdc_encode(buf, sizeof(buf), &in), 44);
		CHECK_EQ(buf[0], 0xfe);
		CHECK_EQ(buf[1], 44);
		CHECK_EQ(smcr_cdc_decode(buf, sizeof(buf), &out), 0);
		CHECK(cdc_equal(&in, &out, true));
		CHECK_EQ(smcd_cdc_encode(buf, sizeof(buf), &in), 32);
		CHECK_EQ(smcd_cdc_decode(buf, 32, &out), 0);
		CHECK(cdc_equal(&in, &out, false));
	}
	return true;
}

static bool t_smcr_lengths(const void *arg)
{
	struct smc_cdc_info ci;
	unsigned int l;

	(void)arg;
	for (l = 0; l < SMCR_CDC_MSG_LEN; l++) {
		u8 *c = dup_exact(gold_smcr, l);
		int rc = smcr_cdc_decode(c, l, &ci);

		free(c);
		/* like Linux: the message is usable once the flags arrived */
		if (rc != (l < SMCR_CDC_MIN_RX_LEN ? -ENODATA : 0)) {
			tap_diag("length %u: rc %d", l, rc);
			return false;
		}
	}
	return true;
}

static bool t_smcr_bad(const void *arg)
{
	struct smc_cdc_info ci;
	u8 m[SMCR_CDC_MSG_LEN];

	(void)arg;
	memcpy(m, gold_smcr, sizeof(m));
	m[0] = 0x01;		/* an LLC type, not a CDC */
	CHECK_EQ(smcr_cdc_decode(m, sizeof(m), &ci), -EPROTO);
	memcpy(m, gold_smcr, sizeof(m));
	m[1] = 43;
	CHECK_EQ(smcr_cdc_decode(m, sizeof(m), &ci), -EPROTO);
	m[1] = 48;
	CHECK_EQ(smcr_cdc_decode(m, sizeof(m), &ci), -EPROTO);
	/* reserved halves of the cursors are not part of the value */
	memcpy(m, gold_smcr, sizeof(m));
	m[8] = 0xff;
	m[17] = 0xff;
	m[30] = 0xff;
	CHECK_EQ(smcr_cdc_decode(m, sizeof(m), &ci), 0);
	CHECK(cdc_equal(&ci, &gold_info, true));
	return true;
}

static bool t_smcd_bad(const void *arg)
{
	struct smc_cdc_info ci;
	u8 g[SMCD_CDC_MSG_LEN];
	unsigned int l;

	(void)arg;
	gold_smcd(g);
	for (l = 0; l < SMCD_CDC_MSG_LEN; l++) {
		u8 *c = dup_exact(g, l);
		int rc = smcd_cdc_decode(c, l, &ci);

		free(c);
		CHECK_EQ(rc, -ENODATA);
	}
	g[0] = 0;
	CHECK_EQ(smcd_cdc_decode(g, sizeof(g), &ci), -ENOMSG);
	g[0] = 0x01;
	CHECK_EQ(smcd_cdc_decode(g, sizeof(g), &ci), -EPROTO);
	return true;
}

static bool t_encode_space(const void *arg)
{
	u8 buf[SMCR_CDC_MSG_LEN + 1];
	unsigned int l;

	(void)arg;
	for (l = 0; l < SMCR_CDC_MSG_LEN; l++)
		CHECK_EQ(smcr_cdc_encode(buf, l, &gold_info), -ENOSPC);
	for (l = 0; l < SMCD_CDC_MSG_LEN; l++)
		CHECK_EQ(smcd_cdc_encode(buf, l, &gold_info), -ENOSPC);
	CHECK_EQ(smcr_cdc_encode(NULL, 44, &gold_info), -ENOSPC);
	/* reserved bytes are cleared, nothing past the message is touched */
	memset(buf, 0xa5, sizeof(buf));
	CHECK_EQ(smcr_cdc_encode(buf, sizeof(buf), &gold_info), 44);
	CHECK(!memcmp(buf, gold_smcr, 44));
	CHECK_EQ(buf[44], 0xa5);
	memset(buf, 0xa5, sizeof(buf));
	CHECK_EQ(smcd_cdc_encode(buf, sizeof(buf), &gold_info), 32);
	CHECK_EQ(buf[1], 0);
	CHECK_EQ(buf[7], 0);
	CHECK_EQ(buf[14], 0);
	CHECK_EQ(buf[32], 0xa5);
	return true;
}

static bool t_args(const void *arg)
{
	struct smc_cdc_info ci;
	u8 buf[64];

	(void)arg;
	CHECK_EQ(smcr_cdc_decode(NULL, 44, &ci), -EINVAL);
	CHECK_EQ(smcr_cdc_decode(gold_smcr, 44, NULL), -EINVAL);
	CHECK_EQ(smcd_cdc_decode(NULL, 32, &ci), -EINVAL);
	CHECK_EQ(smcr_cdc_encode(buf, sizeof(buf), NULL), -EINVAL);
	CHECK_EQ(smcd_cdc_encode(buf, sizeof(buf), NULL), -EINVAL);
	return true;
}

static bool t_flags(const void *arg)
{
	(void)arg;
	/* protocol document 4.1 and 7.1 */
	CHECK_EQ(SMC_CDC_PF_WRITE_BLOCKED, 0x80);
	CHECK_EQ(SMC_CDC_PF_URG_PENDING, 0x40);
	CHECK_EQ(SMC_CDC_PF_URG_PRESENT, 0x20);
	CHECK_EQ(SMC_CDC_PF_CONS_UPD_REQ, 0x10);
	CHECK_EQ(SMC_CDC_PF_FAILOVER, 0x08);
	CHECK_EQ(SMC_CDC_CF_DONE_WRITING, 0x80);
	CHECK_EQ(SMC_CDC_CF_CONN_CLOSED, 0x40);
	CHECK_EQ(SMC_CDC_CF_CONN_ABORT, 0x20);
	CHECK(!smc_cdc_peer_closing(0));
	CHECK(!smc_cdc_peer_closing(SMC_CDC_CF_RESERVED));
	CHECK(smc_cdc_peer_closing(SMC_CDC_CF_DONE_WRITING));
	CHECK(smc_cdc_peer_closing(SMC_CDC_CF_CONN_ABORT));
	CHECK_EQ(smcd_cdc_ring_size(65536), 65536 - 32);
	CHECK_EQ(smcd_cdc_ring_size(32), 0);
	return true;
}

static bool t_seqno(const void *arg)
{
	(void)arg;
	CHECK(smc_cdc_seq_stale(5, 6));
	CHECK(!smc_cdc_seq_stale(6, 6));
	CHECK(!smc_cdc_seq_stale(7, 6));
	CHECK(!smc_cdc_seq_stale(0, 0xffff));	/* wrapped: newer */
	CHECK(smc_cdc_seq_stale(0xffff, 0));
	CHECK(smc_cdc_seq_stale(0x8000, 0));
	CHECK(!smc_cdc_seq_stale(0x7fff, 0));
	return true;
}

/* ------------------------------------------------------------------ */
/* cursors                                                              */

#define C(w, c) ((struct smc_cursor){ .wrap = (w), .count = (c) })

static bool t_advance(const void *arg)
{
	struct smc_cursor c = C(5, 90);

	(void)arg;
	CHECK_EQ(smc_cursor_advance(100, &c, 5), 0);
	CHECK(c.wrap == 5 && c.count == 95);
	CHECK_EQ(smc_cursor_advance(100, &c, 5), 0);	/* lands on the end */
	CHECK(c.wrap == 6 && c.count == 0);
	CHECK_EQ(smc_cursor_advance(100, &c, 0), 0);
	CHECK(c.wrap == 6 && c.count == 0);
	CHECK_EQ(smc_cursor_advance(100, &c, 100), 0);	/* one full lap */
	CHECK(c.wrap == 7 && c.count == 0);
	c = C(0xffff, 99);
	CHECK_EQ(smc_cursor_advance(100, &c, 1), 0);	/* wrap counter rolls */
	CHECK(c.wrap == 0 && c.count == 0);
	c = C(0, 50);
	CHECK_EQ(smc_cursor_advance(100, &c, 101), -EINVAL);
	CHECK(c.wrap == 0 && c.count == 50);
	c = C(0, 100);
	CHECK_EQ(smc_cursor_advance(100, &c, 1), -EINVAL);
	CHECK_EQ(smc_cursor_advance(0, &c, 0), -EINVAL);
	c = C(0, 0);
	CHECK_EQ(smc_cursor_advance(SMC_RING_MAX + 1, &c, 1), -EINVAL);
	c = C(0, SMC_RING_MAX - 1);
	CHECK_EQ(smc_cursor_advance(SMC_RING_MAX, &c, SMC_RING_MAX), 0);
	CHECK(c.wrap == 1 && c.count == SMC_RING_MAX - 1);
	return true;
}

static bool t_distance(const void *arg)
{
	struct smc_cursor a, b;

	(void)arg;
	a = C(3, 10);
	b = C(3, 60);
	CHECK_EQ(smc_cursor_diff(100, &a, &b), 50);
	CHECK_EQ(smc_cursor_delta(100, &b, &a), -50);
	b = C(4, 5);
	CHECK_EQ(smc_cursor_diff(100, &a, &b), 95);
	b = C(4, 10);				/* ring completely full */
	CHECK_EQ(smc_cursor_diff(100, &a, &b), 100);
	b = C(4, 11);
	CHECK_EQ(smc_cursor_diff(100, &a, &b), -ERANGE);
	b = C(3, 9);
	CHECK_EQ(smc_cursor_diff(100, &a, &b), -ERANGE);
	a = C(0xffff, 80);			/* across the wrap rollover */
	b = C(0, 30);
	CHECK_EQ(smc_cursor_diff(100, &a, &b), 50);
	CHECK_EQ(smc_cursor_delta(100, &b, &a), -50);
	CHECK(smc_cursor_cmp(100, &a, &b) < 0);
	CHECK(smc_cursor_cmp(100, &b, &a) > 0);
	CHECK_EQ(smc_cursor_cmp(100, &a, &a), 0);
	a = C(0, 100);
	CHECK_EQ(smc_cursor_diff(100, &a, &b), -EINVAL);
	CHECK_EQ(smc_cursor_diff(100, &b, &a), -EINVAL);
	CHECK(smc_cursor_valid(100, &b));
	CHECK(!smc_cursor_valid(100, &a));
	CHECK(!smc_cursor_valid(0, &b));
	return true;
}

struct curs_case {
	const char *name;
	u32 ring;
	struct smc_cursor old, rx;
	u32 max_adv;
	int want;
};

static const struct curs_case curs_cases[] = {
	{ "rx cursor: normal advance", 100, C(2, 10), C(2, 40), 100, 30 },
	{ "rx cursor: no movement", 100, C(2, 10), C(2, 10), 0, 0 },
	{ "rx cursor: advance across the ring end", 100, C(2, 90), C(3, 5),
	  100, 15 },
	{ "rx cursor: ring filled exactly", 100, C(2, 10), C(3, 10), 100,
	  100 },
	{ "rx cursor: advance across wrap 0xffff -> 0", 100, C(0xffff, 90),
	  C(0, 10), 100, 20 },
	{ "rx cursor: advance equal to the allowance", 100, C(2, 10),
	  C(2, 30), 20, 20 },
	{ "rx cursor: count equal to ring size", 100, C(2, 10), C(2, 100),
	  100, -EPROTO },
	{ "rx cursor: count far outside the ring", 100, C(2, 10),
	  C(2, 0xffffffff), 100, -EPROTO },
	{ "rx cursor: backwards within a lap", 100, C(2, 50), C(2, 49), 100,
	  -ERANGE },
	{ "rx cursor: backwards by a lap", 100, C(2, 50), C(1, 60), 100,
	  -ERANGE },
	{ "rx cursor: backwards across wrap 0 -> 0xffff", 100, C(0, 10),
	  C(0xffff, 90), 100, -ERANGE },
	{ "rx cursor: half the wrap space back", 100, C(0x8000, 10),
	  C(0, 10), 100, -ERANGE },
	{ "rx cursor: skips a whole lap", 100, C(2, 10), C(4, 10), 100,
	  -EOVERFLOW },
	{ "rx cursor: next lap beyond the old position", 100, C(2, 10),
	  C(3, 11), 100, -EOVERFLOW },
	{ "rx cursor: more than the allowance", 100, C(2, 10), C(2, 31), 20,
	  -EOVERFLOW },
	{ "rx cursor: far ahead in wrap space", 100, C(2, 10),
	  C(0x7000, 10), 100, -EOVERFLOW },
	{ "rx cursor: ring size 0", 0, C(0, 0), C(0, 0), 0, -EINVAL },
	{ "rx cursor: ring size above the limit", SMC_RING_MAX + 1, C(0, 0),
	  C(0, 0), 0, -EINVAL },
	{ "rx cursor: stored cursor already invalid", 100, C(0, 100),
	  C(0, 10), 10, -EINVAL },
	{ "rx cursor: allowance larger than the ring", 100, C(0, 0), C(0, 1),
	  101, -EINVAL },
	{ "rx cursor: largest ring, full lap", SMC_RING_MAX,
	  C(7, SMC_RING_MAX - 1), C(8, SMC_RING_MAX - 1), SMC_RING_MAX,
	  (int)SMC_RING_MAX },
};

static bool t_curs_case(const void *arg)
{
	const struct curs_case *cc = arg;
	int rc = smc_cursor_check(cc->ring, &cc->old, &cc->rx, cc->max_adv);

	CHECK_EQ(rc, cc->want);
	return true;
}

/*
 * Model check on small rings: stream positions as plain 64-bit numbers,
 * cursors derived from them, every advance in a window on both sides of
 * the old position, old positions near 0 and near the wrap rollover.
 */
static bool t_model(const void *arg)
{
	static const u64 laps[] = { 0, 1, 0xfffe, 0xffff, 0x10000, 0x12345 };
	u32 ring, max_adv;
	unsigned int li;
	s64 d;

	(void)arg;
	for (ring = 1; ring <= 9; ring++) {
		for (li = 0; li < ARRAY_SIZE(laps); li++) {
			u64 base = laps[li] * ring;
			u32 off;

			for (off = 0; off < ring; off++) {
				u64 p0 = base + off + 3 * ring;
				struct smc_cursor old = C(p0 / ring, p0 % ring);

				for (d = -3 * (s64)ring; d <= 3 * (s64)ring; d++) {
					u64 p1 = p0 + d;
					struct smc_cursor rx = C(p1 / ring, p1 % ring);
					struct smc_cursor adv = old;

					for (max_adv = 0; max_adv <= ring; max_adv++) {
						int want = d < 0 ? -ERANGE :
							   d > max_adv ? -EOVERFLOW : (int)d;

						CHECK_EQ(smc_cursor_check(ring, &old, &rx, max_adv),
							 want);
					}
					CHECK_EQ(smc_cursor_delta(ring, &old, &rx), d);
					CHECK_EQ(smc_cursor_cmp(ring, &rx, &old),
						 d < 0 ? -1 : d > 0);
					if (d >= 0 && d <= ring) {
						CHECK_EQ(smc_cursor_diff(ring, &old, &rx), d);
						CHECK_EQ(smc_cursor_advance(ring, &adv, d), 0);
						CHECK(adv.wrap == rx.wrap && adv.count == rx.count);
					}
				}
			}
		}
	}
	return true;
}

/* a peer replaying a sender and receiver over many laps */
static bool t_stream(const void *arg)
{
	struct smc_cursor prod = C(0xfff0, 0), cons = C(0xfff0, 0);
	const u32 ring = 1000;
	u64 written = 0, read = 0;
	int i, rc;

	(void)arg;
	for (i = 0; i < 200000; i++) {
		u32 space = ring - (u32)(written - read);
		u32 n = rnd() % (space + 1);
		struct smc_cursor next = prod;

		CHECK_EQ(smc_cursor_advance(ring, &next, n), 0);
		rc = smc_cursor_check(ring, &prod, &next, space);
		CHECK_EQ(rc, n);
		prod = next;
		written += n;

		n = rnd() % ((u32)(written - read) + 1);
		next = cons;
		CHECK_EQ(smc_cursor_advance(ring, &next, n), 0);
		CHECK_EQ(smc_cursor_check(ring, &cons, &next,
					  (u32)(written - read)), n);
		cons = next;
		read += n;
		CHECK_EQ(smc_cursor_diff(ring, &cons, &prod), written - read);
	}
	/* the wrap counter must have rolled over at least once */
	CHECK(written / ring > 0x10);
	return true;
}

/* ------------------------------------------------------------------ */
/* the SMC-D header snapshot while a peer's device writes the next one */

#define HDR_WORDS	(SMCD_CDC_MSG_LEN / sizeof(u64))

static u64 obs_hdr[HDR_WORDS];
static u64 obs_next[HDR_WORDS];	/* what the "device" writes ... */
static unsigned int obs_write_after;	/* ... after this many loads */
static unsigned int obs_loads;
static char obs_log[64];	/* word index per load, 'B' barrier, 'R' relax */
static unsigned int obs_len;

static void obs_note(char c)
{
	if (obs_len < sizeof(obs_log) - 1)
		obs_log[obs_len++] = c;
}

u64 smc_wire_observe_load(const u64 *p)
{
	u64 v = *p;

	obs_note('0' + (char)(p - obs_hdr));
	if (++obs_loads == obs_write_after)
		memcpy(obs_hdr, obs_next, sizeof(obs_hdr));
	return v;
}

void smc_wire_observe_rmb(void)
{
	obs_note('B');
}

void smc_wire_observe_relax(void)
{
	obs_note('R');
}

static unsigned int obs_count(char c)
{
	unsigned int i, n = 0;

	for (i = 0; i < obs_len; i++)
		n += obs_log[i] == c;
	return n;
}

#define CHECK_WORD	(SMCD_CDC_CHECK_OFF / sizeof(u64))

static void obs_reset(const struct smc_cdc_info *now,
		      const struct smc_cdc_info *next, unsigned int after)
{
	smcd_cdc_encode(obs_hdr, sizeof(obs_hdr), now);
	smcd_cdc_encode(obs_next, sizeof(obs_next), next);
	obs_write_after = after;
	obs_loads = 0;
	obs_len = 0;
	memset(obs_log, 0, sizeof(obs_log));
}

static const struct smc_cdc_info snap_old = {
	.prod = { .wrap = 1, .count = 100 },
	.cons = { .wrap = 0, .count = 40 },
};

/* The peer's last bytes, then its end and an urgent byte, in one header. */
static const struct smc_cdc_info snap_new = {
	.prod = { .wrap = 1, .count = 200 },
	.cons = { .wrap = 0, .count = 40 },
	.prod_flags = SMC_CDC_PF_URG_PRESENT,
	.conn_flags = SMC_CDC_CF_DONE_WRITING,
};

static bool t_snapshot_order(const void *arg)
{
	struct smc_cdc_info ci;
	u8 snap[SMCD_CDC_MSG_LEN];

	(void)arg;
	obs_reset(&snap_old, &snap_old, 0);
	CHECK(smcd_cdc_snapshot(snap, obs_hdr));
	tap_diag("loads and barriers: %s", obs_log);
	/* the digest, a barrier, the flags word, a barrier, the cursor */
	CHECK(!strcmp(obs_log, "3B2B01"));
	CHECK(!memcmp(snap, obs_hdr, sizeof(snap)));
	CHECK_EQ(smcd_cdc_decode(snap, sizeof(snap), &ci), 0);
	CHECK(cdc_equal(&ci, &snap_old, false));
	return true;
}

/* Whichever two loads the device's write falls between, the snapshot is
 * one whole header: the old or the new, never the old flags with the new
 * cursor (an urgent flag would then mark a later byte, which TCP would
 * read as data and ours would take out of the stream) or the new flags
 * with the old cursor (the end seen before the bytes it follows).
 */
static bool t_snapshot_torn(const void *arg)
{
	unsigned int after, again = 0, olds = 0, news = 0;
	struct smc_cdc_info ci;
	u8 snap[SMCD_CDC_MSG_LEN];

	(void)arg;
	for (after = 1; after <= HDR_WORDS + 1; after++) {
		obs_reset(&snap_old, &snap_new, after);
		CHECK(smcd_cdc_snapshot(snap, obs_hdr));
		CHECK_EQ(smcd_cdc_decode(snap, sizeof(snap), &ci), 0);
		if (cdc_equal(&ci, &snap_old, false)) {
			olds++;
		} else if (cdc_equal(&ci, &snap_new, false)) {
			news++;
		} else {
			tap_diag("write after load %u (%s): headers mixed",
				 after, obs_log);
			return false;
		}
		again += obs_count('R');
	}
	tap_diag("old %u, new %u, looks taken again %u", olds, news, again);
	/* writes inside a look were caught, and each cost one more look */
	CHECK(again > 0 && again <= HDR_WORDS);
	CHECK(olds > 0 && news > 0);
	return true;
}

/* A sender that leaves the last word reserved (0), as Linux's do: the
 * device's order is all there is, and the snapshot may pair the old flags
 * with the new cursor, never the new flags with the old one.
 */
static bool t_snapshot_torn_legacy(const void *arg)
{
	unsigned int after, tears = 0;
	struct smc_cdc_info ci;
	u8 snap[SMCD_CDC_MSG_LEN];

	(void)arg;
	for (after = 1; after <= HDR_WORDS; after++) {
		obs_reset(&snap_old, &snap_new, after);
		obs_hdr[CHECK_WORD] = 0;
		obs_next[CHECK_WORD] = 0;
		CHECK(smcd_cdc_snapshot(snap, obs_hdr));
		CHECK_EQ(smcd_cdc_decode(snap, sizeof(snap), &ci), 0);
		CHECK_EQ(obs_count('R'), 0);
		if (ci.conn_flags || ci.prod_flags) {
			if (ci.prod.count != snap_new.prod.count) {
				tap_diag("write after load %u (%s): new flags, old cursor",
					 after, obs_log);
				return false;
			}
		} else if (ci.prod.count == snap_new.prod.count) {
			tears++;
		}
	}
	/* the write did fall between the flags and the cursor once */
	CHECK(tears > 0);
	return true;
}

/* A digest that never matches (a writer stopped midway, or a broken or
 * hostile one) costs a bounded number of looks, and is reported.
 */
static bool t_snapshot_no_match(const void *arg)
{
	u8 snap[SMCD_CDC_MSG_LEN];

	(void)arg;
	obs_reset(&snap_old, &snap_old, 0);
	obs_hdr[CHECK_WORD] ^= 0x100;
	CHECK(!smcd_cdc_snapshot(snap, obs_hdr));
	tap_diag("loads and barriers: %s", obs_log);
	CHECK_EQ(obs_count('R'), 7);
	CHECK_EQ(obs_count('3'), 8);
	return true;
}

/* A DMB of ours before the peer's first header: blank, not "written". */
static bool t_snapshot_blank(const void *arg)
{
	struct smc_cdc_info ci;
	u8 snap[SMCD_CDC_MSG_LEN];
	unsigned int i;

	(void)arg;
	obs_reset(&snap_old, &snap_old, 0);
	smcd_cdc_blank(obs_hdr);
	for (i = 0; i < HDR_WORDS; i++)
		CHECK(i == CHECK_WORD ? obs_hdr[i] != 0 : obs_hdr[i] == 0);
	CHECK(smcd_cdc_snapshot(snap, obs_hdr));
	CHECK_EQ(obs_count('R'), 0);
	CHECK_EQ(smcd_cdc_decode(snap, sizeof(snap), &ci), -ENOMSG);
	return true;
}

/* The peer's first header written over the blank one, the write falling
 * between any two loads: what is taken is the blank or the whole header.
 */
static bool t_snapshot_first(const void *arg)
{
	unsigned int after, blanks = 0, news = 0;
	struct smc_cdc_info ci;
	u8 snap[SMCD_CDC_MSG_LEN];
	int rc;

	(void)arg;
	for (after = 1; after <= HDR_WORDS + 1; after++) {
		obs_reset(&snap_old, &snap_new, after);
		smcd_cdc_blank(obs_hdr);
		CHECK(smcd_cdc_snapshot(snap, obs_hdr));
		rc = smcd_cdc_decode(snap, sizeof(snap), &ci);
		if (rc == -ENOMSG && !ci.prod.count) {
			blanks++;
		} else if (!rc && cdc_equal(&ci, &snap_new, false)) {
			news++;
		} else {
			tap_diag("write after load %u (%s): headers mixed",
				 after, obs_log);
			return false;
		}
	}
	CHECK(blanks > 0 && news > 0);
	return true;
}

/* A device whose copy stores out of order (fast-string memcpy) has put
 * the first header's type and flags word, not yet its cursor. Over a
 * blank header that is a mismatch, left for the writer's signal; over a
 * zeroed one it would read as a sender without a digest, and the peer's
 * end would come before the bytes it follows.
 */
static bool t_snapshot_first_flags_ahead(const void *arg)
{
	const unsigned int flags_word = SMCD_CDC_FLAGS_OFF / sizeof(u64);
	struct smc_cdc_info ci;
	u8 snap[SMCD_CDC_MSG_LEN];

	(void)arg;
	obs_reset(&snap_old, &snap_new, 0);
	smcd_cdc_blank(obs_hdr);
	obs_hdr[0] = obs_next[0];
	obs_hdr[flags_word] = obs_next[flags_word];
	CHECK(!smcd_cdc_snapshot(snap, obs_hdr));

	/* the same stores over a DMB left zeroed */
	obs_reset(&snap_old, &snap_new, 0);
	memset(obs_hdr, 0, sizeof(obs_hdr));
	obs_hdr[0] = obs_next[0];
	obs_hdr[flags_word] = obs_next[flags_word];
	CHECK(smcd_cdc_snapshot(snap, obs_hdr));
	CHECK_EQ(smcd_cdc_decode(snap, sizeof(snap), &ci), 0);
	CHECK(ci.conn_flags == SMC_CDC_CF_DONE_WRITING && !ci.prod.count);
	return true;
}

int main(void)
{
	static struct tap_case cases[64];
	unsigned int n = 0, i;

	cases[n++] = (struct tap_case){ "golden SMC-R CDC (44 bytes)",
					t_gold_smcr, NULL };
	cases[n++] = (struct tap_case){ "golden SMC-D CDC (32 bytes, host order)",
					t_gold_smcd, NULL };
	cases[n++] = (struct tap_case){ "encode/decode round trips",
					t_roundtrip, NULL };
	cases[n++] = (struct tap_case){ "SMC-R CDC truncated at every length",
					t_smcr_lengths, NULL };
	cases[n++] = (struct tap_case){ "SMC-R CDC with bad type or length byte",
					t_smcr_bad, NULL };
	cases[n++] = (struct tap_case){ "SMC-D CDC truncated or bad type",
					t_smcd_bad, NULL };
	cases[n++] = (struct tap_case){ "encoders need room, clear reserved bytes",
					t_encode_space, NULL };
	cases[n++] = (struct tap_case){ "NULL arguments", t_args, NULL };
	cases[n++] = (struct tap_case){ "flag values and helpers", t_flags,
					NULL };
	cases[n++] = (struct tap_case){ "sequence number staleness",
					t_seqno, NULL };
	cases[n++] = (struct tap_case){ "cursor advance and wrap", t_advance,
					NULL };
	cases[n++] = (struct tap_case){ "cursor distance and compare",
					t_distance, NULL };
	for (i = 0; i < ARRAY_SIZE(curs_cases); i++)
		cases[n++] = (struct tap_case){ curs_cases[i].name, t_curs_case,
						&curs_cases[i] };
	cases[n++] = (struct tap_case){ "cursor model check, small rings",
					t_model, NULL };
	cases[n++] = (struct tap_case){ "cursor stream over many laps",
					t_stream, NULL };
	cases[n++] = (struct tap_case){ "SMC-D header snapshot: digest, flags word, cursor",
					t_snapshot_order, NULL };
	cases[n++] = (struct tap_case){ "SMC-D header rewritten mid-snapshot: one whole header",
					t_snapshot_torn, NULL };
	cases[n++] = (struct tap_case){ "SMC-D header without a digest: flags never ahead",
					t_snapshot_torn_legacy, NULL };
	cases[n++] = (struct tap_case){ "SMC-D header whose digest never matches: 8 looks, reported",
					t_snapshot_no_match, NULL };
	cases[n++] = (struct tap_case){ "SMC-D blank header: taken whole, never written",
					t_snapshot_blank, NULL };
	cases[n++] = (struct tap_case){ "SMC-D first header over the blank one: one whole header",
					t_snapshot_first, NULL };
	cases[n++] = (struct tap_case){ "SMC-D first header stored out of order: not taken",
					t_snapshot_first_flags_ahead, NULL };
	return tap_run(cases, n);
}
