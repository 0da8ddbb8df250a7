// SPDX-License-Identifier: GPL-2.0
/*
 * smc-ng: CDC message codec and cursor arithmetic.
 *
 * Cursors are treated as positions on an unbounded byte stream, folded
 * into (wrap, count) with a 16-bit lap counter: position = wrap * ring +
 * count.  Differences are taken modulo 2^16 laps and read as signed, which
 * keeps comparisons right across the 0xffff -> 0 lap rollover that a plain
 * "wrap is smaller" test gets wrong.
 */

#include "smc_cdc_wire.h"

int smcr_cdc_decode(const void *buf, size_t len, struct smc_cdc_info *ci)
{
	const struct smcr_cdc_wire *m = buf;

	if (!buf || !ci)
		return -EINVAL;
	memset(ci, 0, sizeof(*ci));
	if (len < SMCR_CDC_MIN_RX_LEN)
		return -ENODATA;
	/* the length byte, not the SEND size, is what Linux insists on */
	if (m->type != SMC_CDC_MSG_TYPE || m->len != SMCR_CDC_MSG_LEN)
		return -EPROTO;
	ci->seqno = be16_to_cpu(m->seqno);
	ci->token = be32_to_cpu(m->token);
	ci->prod.wrap = be16_to_cpu(m->prod.wrap);
	ci->prod.count = be32_to_cpu(m->prod.count);
	ci->cons.wrap = be16_to_cpu(m->cons.wrap);
	ci->cons.count = be32_to_cpu(m->cons.count);
	ci->prod_flags = m->prod_flags;
	ci->conn_flags = m->conn_flags;
	return 0;
}

int smcr_cdc_encode(void *buf, size_t len, const struct smc_cdc_info *ci)
{
	struct smcr_cdc_wire *m = buf;

	if (!ci)
		return -EINVAL;
	if (!buf || len < SMCR_CDC_MSG_LEN)
		return -ENOSPC;
	memset(m, 0, sizeof(*m));
	m->type = SMC_CDC_MSG_TYPE;
	m->len = SMCR_CDC_MSG_LEN;
	m->seqno = cpu_to_be16(ci->seqno);
	m->token = cpu_to_be32(ci->token);
	m->prod.wrap = cpu_to_be16(ci->prod.wrap);
	m->prod.count = cpu_to_be32(ci->prod.count);
	m->cons.wrap = cpu_to_be16(ci->cons.wrap);
	m->cons.count = cpu_to_be32(ci->cons.count);
	m->prod_flags = ci->prod_flags;
	m->conn_flags = ci->conn_flags;
	return SMCR_CDC_MSG_LEN;
}

int smcd_cdc_decode(const void *buf, size_t len, struct smc_cdc_info *ci)
{
	const struct smcd_cdc_wire *m = buf;

	if (!buf || !ci)
		return -EINVAL;
	memset(ci, 0, sizeof(*ci));
	if (len < SMCD_CDC_MSG_LEN)
		return -ENODATA;
	/* A DMB starts zeroed: type 0 means nothing has been written yet. */
	if (!m->type)
		return -ENOMSG;
	/* Linux never looks at it, but every Linux sender writes it */
	if (m->type != SMC_CDC_MSG_TYPE)
		return -EPROTO;
	ci->prod.wrap = m->prod.wrap;
	ci->prod.count = m->prod.count;
	ci->cons.wrap = m->cons.wrap;
	ci->cons.count = m->cons.count;
	/* the flags live in the consumer block; the producer's are unused */
	ci->prod_flags = m->cons.prod_flags;
	ci->conn_flags = m->cons.conn_flags;
	return 0;
}

/* The digest smc-ng writes into the SMC-D header's reserved last word: a
 * reader that finds it matching the two cursor words it read has a whole
 * header, not words of two. The multiplications spread every bit of
 * both words, so that two headers (the cursors only ever move on) do not
 * mix into a match. Never 0: a header whose word is 0 comes from a
 * sender that leaves it reserved.
 */
static u64 smcd_cdc_digest(u64 prod_word, u64 cons_word)
{
	u64 d = (prod_word * 0x9e3779b97f4a7c15ULL) ^ cons_word;

	d *= 0xc2b2ae3d27d4eb4fULL;
	d ^= d >> 29;
	return d ? d : 1;
}

static u64 smcd_cdc_word(const void *hdr, unsigned int off)
{
	u64 word;

	memcpy(&word, (const u8 *)hdr + off, sizeof(word));
	return word;
}

int smcd_cdc_encode(void *buf, size_t len, const struct smc_cdc_info *ci)
{
	struct smcd_cdc_wire *m = buf;

	if (!ci)
		return -EINVAL;
	if (!buf || len < SMCD_CDC_MSG_LEN)
		return -ENOSPC;
	memset(m, 0, sizeof(*m));
	m->type = SMC_CDC_MSG_TYPE;
	m->prod.wrap = ci->prod.wrap;
	m->prod.count = ci->prod.count;
	m->cons.wrap = ci->cons.wrap;
	m->cons.count = ci->cons.count;
	m->cons.prod_flags = ci->prod_flags;
	m->cons.conn_flags = ci->conn_flags;
	m->check = smcd_cdc_digest(smcd_cdc_word(m, SMCD_CDC_PROD_OFF),
				   smcd_cdc_word(m, SMCD_CDC_FLAGS_OFF));
	return SMCD_CDC_MSG_LEN;
}

/* One look at the header, which a peer's device (ivshmem: in another
 * machine) may be rewriting meanwhile. Each 8-byte word is read in one
 * access, so that no cursor is torn within itself. The digest is read
 * first: the device writes it last (or, writing in any order, leaves a
 * mismatch while it writes), so cursor words that match a digest read
 * before them come from one header. Whether they matched is returned.
 *
 * Without a digest (a sender that leaves the word 0) what the device's
 * order gives still holds: it writes the producer cursor before the flags
 * word, which is read first, so the flags are never newer than the data
 * they go with (a peer's end seen before its last bytes would be an early
 * EOF, and those bytes lost).
 */
static bool smcd_cdc_look(u64 *dst, const u64 *src)
{
	const unsigned int flags_word = SMCD_CDC_FLAGS_OFF / sizeof(u64);
	const unsigned int check_word = SMCD_CDC_CHECK_OFF / sizeof(u64);
	const unsigned int prod_word = SMCD_CDC_PROD_OFF / sizeof(u64);
	unsigned int i;

	dst[check_word] = smc_wire_load_u64(&src[check_word]);
	/* Pairs with the device's ordered writes, see ivs_copy(). */
	smc_wire_rmb();
	dst[flags_word] = smc_wire_load_u64(&src[flags_word]);
	smc_wire_rmb();
	for (i = 0; i < SMCD_CDC_MSG_LEN / sizeof(u64); i++)
		if (i != flags_word && i != check_word)
			dst[i] = smc_wire_load_u64(&src[i]);
	return !dst[check_word] ||
	       dst[check_word] == smcd_cdc_digest(dst[prod_word],
						  dst[flags_word]);
}

/* A look that caught the device writing is taken again; the device
 * writes 32 bytes, so a second look nearly always finds them whole.
 */
#define SMCD_CDC_LOOKS	8

bool smcd_cdc_snapshot(void *snap, const void *hdr)
{
	u64 words[SMCD_CDC_MSG_LEN / sizeof(u64)];
	int looks = SMCD_CDC_LOOKS;
	bool whole;

	while (!(whole = smcd_cdc_look(words, hdr)) && --looks)
		smc_wire_relax();
	memcpy(snap, words, sizeof(words));
	return whole;
}

void smcd_cdc_blank(void *hdr)
{
	struct smcd_cdc_wire *m = hdr;

	memset(m, 0, sizeof(*m));
	m->check = smcd_cdc_digest(0, 0);
}

static bool smc_ring_ok(u32 ring)
{
	return ring && ring <= SMC_RING_MAX;
}

bool smc_cursor_valid(u32 ring, const struct smc_cursor *c)
{
	return smc_ring_ok(ring) && c && c->count < ring;
}

int smc_cursor_advance(u32 ring, struct smc_cursor *c, u32 n)
{
	if (!smc_cursor_valid(ring, c) || n > ring)
		return -EINVAL;
	/* count < ring <= 2^30 and n <= ring, so this cannot overflow */
	c->count += n;
	if (c->count >= ring) {
		c->count -= ring;
		c->wrap++;
	}
	return 0;
}

s64 smc_cursor_delta(u32 ring, const struct smc_cursor *from,
		     const struct smc_cursor *to)
{
	s16 laps = (s16)(u16)(to->wrap - from->wrap);

	return (s64)laps * ring + (s64)to->count - (s64)from->count;
}

int smc_cursor_cmp(u32 ring, const struct smc_cursor *a,
		   const struct smc_cursor *b)
{
	s64 d = smc_cursor_delta(ring, b, a);

	return d < 0 ? -1 : d > 0;
}

int smc_cursor_diff(u32 ring, const struct smc_cursor *from,
		    const struct smc_cursor *to)
{
	s64 d;

	if (!smc_cursor_valid(ring, from) || !smc_cursor_valid(ring, to))
		return -EINVAL;
	d = smc_cursor_delta(ring, from, to);
	if (d < 0 || d > ring)
		return -ERANGE;
	return (int)d;
}

int smc_cursor_check(u32 ring, const struct smc_cursor *old,
		     const struct smc_cursor *rx, u32 max_adv)
{
	s64 d;

	if (!smc_cursor_valid(ring, old) || !rx || max_adv > ring)
		return -EINVAL;
	if (rx->count >= ring)
		return -EPROTO;
	d = smc_cursor_delta(ring, old, rx);
	if (d < 0)
		return -ERANGE;
	if (d > max_adv)
		return -EOVERFLOW;
	return (int)d;
}
