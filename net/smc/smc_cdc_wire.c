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
	return SMCD_CDC_MSG_LEN;
}

/* A peer in another machine (ivshmem) may be writing the next header
 * while we copy: each 8-byte word (a cursor is one) is read in one
 * access, as the device writes it, so that no cursor is torn between two
 * writes. The device writes the words in order, the producer cursor
 * before the word that carries the flags; the flags word is read first,
 * so that the flags are never newer than the data they go with: a peer's
 * end seen before its last bytes would be an early EOF, and those bytes
 * lost.
 */
void smcd_cdc_snapshot(void *snap, const void *hdr)
{
	const int flags_word = SMCD_CDC_FLAGS_OFF / sizeof(u64);
	const int words = SMCD_CDC_MSG_LEN / sizeof(u64);
	const u64 *src = hdr;
	u8 *dst = snap;
	u64 word;
	int i;

	word = smc_wire_load_u64(&src[flags_word]);
	memcpy(dst + flags_word * sizeof(u64), &word, sizeof(word));
	/* Pairs with the device's ordered writes, see ivs_copy(). */
	smc_wire_rmb();
	for (i = 0; i < words; i++) {
		if (i == flags_word)
			continue;
		word = smc_wire_load_u64(&src[i]);
		memcpy(dst + i * sizeof(u64), &word, sizeof(word));
	}
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
