/* SPDX-License-Identifier: GPL-2.0 */
/*
 * smc-ng: CDC (connection data control) wire format and cursor arithmetic.
 *
 * SMC-R sends a 44-byte CDC message with every data transfer (IB SEND);
 * SMC-D stores a 32-byte CDC header at offset 0 of the peer's DMB.  Both
 * carry a producer cursor (how far the sender has written into the
 * receiver's ring) and a consumer cursor (how far the sender has read its
 * own ring), each a (wrap, count) pair.
 *
 * Return conventions:
 *   decoders  0, -ENODATA (buffer too short), -EPROTO (not a valid CDC),
 *             -EINVAL (NULL argument)
 *   encoders  bytes written (44 or 32), -ENOSPC, -EINVAL
 */
#ifndef SMC_CDC_WIRE_H
#define SMC_CDC_WIRE_H

#include "smc_wire.h"

#define SMC_CDC_MSG_TYPE	0xfe
#define SMCR_CDC_MSG_LEN	44
/* Linux accepts a shorter SEND as long as everything up to the flags came */
#define SMCR_CDC_MIN_RX_LEN	26
#define SMCD_CDC_MSG_LEN	32
/* the SMC-D data ring starts after the CDC header inside the DMB */
#define SMCD_CDC_DMB_HDR_LEN	SMCD_CDC_MSG_LEN
/* the 8-byte words of the SMC-D header with the producer cursor, and
 * with the consumer cursor and the flags
 */
#define SMCD_CDC_PROD_OFF	8
#define SMCD_CDC_FLAGS_OFF	16
/* the reserved word where smc-ng puts its digest of the cursor words */
#define SMCD_CDC_CHECK_OFF	24

/* producer flags: SMC-R byte 24, SMC-D byte 22 */
#define SMC_CDC_PF_WRITE_BLOCKED	0x80	/* sender ran out of window */
#define SMC_CDC_PF_URG_PENDING		0x40	/* urgent data on its way */
#define SMC_CDC_PF_URG_PRESENT		0x20	/* urgent byte is in the ring */
#define SMC_CDC_PF_CONS_UPD_REQ		0x10	/* please send your cursor */
#define SMC_CDC_PF_FAILOVER		0x08	/* failover validation */
#define SMC_CDC_PF_RESERVED		0x07

/* connection state flags: SMC-R byte 25, SMC-D byte 23; sticky once sent */
#define SMC_CDC_CF_DONE_WRITING		0x80	/* shutdown(SHUT_WR) */
#define SMC_CDC_CF_CONN_CLOSED		0x40	/* closed, nothing unread */
#define SMC_CDC_CF_CONN_ABORT		0x20	/* abnormal close */
#define SMC_CDC_CF_RESERVED		0x1f

/* network-order cursor of the SMC-R message */
struct smc_cdc_wire_curs {
	__be16	rsvd;
	__be16	wrap;
	__be32	count;
} __packed;

struct smcr_cdc_wire {
	u8	type;
	u8	len;
	__be16	seqno;
	__be32	token;		/* the receiver's RMBE alert token */
	struct smc_cdc_wire_curs prod;
	struct smc_cdc_wire_curs cons;
	u8	prod_flags;
	u8	conn_flags;
	u8	rsvd[18];
} __packed;

/* SMC-D cursor block.  Linux writes wrap and count in CPU byte order (big
 * endian on s390, the only platform with ISM hardware; loopback-ism
 * connects only sockets of the same kernel), so we must too.  Each block is
 * 8-byte aligned in the DMB and Linux reads it with one 64-bit load.
 */
struct smcd_cdc_wire_curs {
	u16	wrap;
	u32	count;
	u8	prod_flags;	/* used in the consumer block only */
	u8	conn_flags;	/* used in the consumer block only */
} __packed;

struct smcd_cdc_wire {
	u8	type;
	u8	rsvd1[7];
	struct smcd_cdc_wire_curs prod;
	struct smcd_cdc_wire_curs cons;
	/* Reserved in Linux, which writes zeros and never reads it. Ours
	 * carries a digest of the two cursor words (smcd_cdc_snapshot()).
	 */
	u64	check;
} __packed;

SMC_WIRE_SIZE(struct smc_cdc_wire_curs, 8);
SMC_WIRE_SIZE(struct smcr_cdc_wire, SMCR_CDC_MSG_LEN);
SMC_WIRE_OFF(struct smcr_cdc_wire, len, 1);
SMC_WIRE_OFF(struct smcr_cdc_wire, seqno, 2);
SMC_WIRE_OFF(struct smcr_cdc_wire, token, 4);
SMC_WIRE_OFF(struct smcr_cdc_wire, prod, 8);
SMC_WIRE_OFF(struct smcr_cdc_wire, prod.wrap, 10);
SMC_WIRE_OFF(struct smcr_cdc_wire, prod.count, 12);
SMC_WIRE_OFF(struct smcr_cdc_wire, cons, 16);
SMC_WIRE_OFF(struct smcr_cdc_wire, cons.wrap, 18);
SMC_WIRE_OFF(struct smcr_cdc_wire, cons.count, 20);
SMC_WIRE_OFF(struct smcr_cdc_wire, prod_flags, 24);
SMC_WIRE_OFF(struct smcr_cdc_wire, conn_flags, SMCR_CDC_MIN_RX_LEN - 1);
SMC_WIRE_SIZE(struct smcd_cdc_wire_curs, 8);
SMC_WIRE_SIZE(struct smcd_cdc_wire, SMCD_CDC_MSG_LEN);
SMC_WIRE_OFF(struct smcd_cdc_wire, prod, SMCD_CDC_PROD_OFF);
SMC_WIRE_OFF(struct smcd_cdc_wire, prod.wrap, 8);
SMC_WIRE_OFF(struct smcd_cdc_wire, prod.count, 10);
SMC_WIRE_OFF(struct smcd_cdc_wire, cons, SMCD_CDC_FLAGS_OFF);
SMC_WIRE_OFF(struct smcd_cdc_wire, cons.wrap, 16);
SMC_WIRE_OFF(struct smcd_cdc_wire, cons.count, 18);
SMC_WIRE_OFF(struct smcd_cdc_wire, cons.prod_flags, 22);
SMC_WIRE_OFF(struct smcd_cdc_wire, cons.conn_flags, 23);
SMC_WIRE_OFF(struct smcd_cdc_wire, check, SMCD_CDC_CHECK_OFF);

/* host-order cursor: position count inside a ring, wrap = laps completed */
struct smc_cursor {
	u16	wrap;
	u32	count;
};

/* a decoded CDC message of either flavour */
struct smc_cdc_info {
	u16	seqno;		/* SMC-R only */
	u32	token;		/* SMC-R only */
	struct smc_cursor prod;
	struct smc_cursor cons;
	u8	prod_flags;	/* SMC_CDC_PF_*, passed through unmasked */
	u8	conn_flags;	/* SMC_CDC_CF_*, passed through unmasked */
};

int smcr_cdc_decode(const void *buf, size_t len, struct smc_cdc_info *ci);
int smcr_cdc_encode(void *buf, size_t len, const struct smc_cdc_info *ci);
/* @buf must be a private snapshot of the DMB header: the peer may rewrite
 * the DMB at any time. -ENOMSG: the header was never written (type 0).
 */
int smcd_cdc_decode(const void *buf, size_t len, struct smc_cdc_info *ci);
int smcd_cdc_encode(void *buf, size_t len, const struct smc_cdc_info *ci);
/* Such a snapshot of the SMC_CDC_MSG_LEN bytes at @hdr (8-byte aligned).
 * False: a header with a digest was never seen whole in a few looks (its
 * writer is midway, and signals once done; or it writes nonsense); @snap
 * then holds the last look, not to be trusted.
 */
bool smcd_cdc_snapshot(void *snap, const void *hdr);
/* Make the header at @hdr (a DMB of ours, before its token goes out) read
 * as one that was never written (type 0) under the digest of its zero
 * cursors: a look while the peer writes its first header then finds a
 * mismatch, as with any later header, and not a zero word that stands for
 * a sender without a digest (whose header is taken in the device's order).
 */
void smcd_cdc_blank(void *hdr);

/* Cursor arithmetic over a ring of @ring bytes, 1 <= ring <= SMC_RING_MAX.
 * The 16-bit wrap counter is compared with serial-number arithmetic, so a
 * wrap of 0 after 0xffff counts as one lap ahead.
 */
#define SMC_RING_MAX	0x40000000U	/* 1 GiB */

bool smc_cursor_valid(u32 ring, const struct smc_cursor *c);
/* move @c forward by @n <= @ring bytes; -EINVAL on bad arguments */
int smc_cursor_advance(u32 ring, struct smc_cursor *c, u32 n);
/* signed byte distance from @from to @to (negative: @to lies behind) */
s64 smc_cursor_delta(u32 ring, const struct smc_cursor *from,
		     const struct smc_cursor *to);
/* <0, 0, >0 as @a is behind, equal to, or ahead of @b */
int smc_cursor_cmp(u32 ring, const struct smc_cursor *a,
		   const struct smc_cursor *b);
/* bytes from @from forward to @to, 0..ring; -ERANGE if not in that range */
int smc_cursor_diff(u32 ring, const struct smc_cursor *from,
		    const struct smc_cursor *to);
/* Judge a cursor received from the peer against the last accepted one.
 * @max_adv is how far the peer can legitimately have moved: for its
 * producer cursor the free space it was granted, for its consumer cursor
 * the bytes we had written and it had not yet acknowledged.
 * Returns the advance in bytes (0..max_adv), or
 *   -EINVAL     bad arguments (ring, @old, @max_adv > ring)
 *   -EPROTO     @rx->count points outside the ring
 *   -ERANGE     @rx lies behind @old (Linux drops such stale cursors)
 *   -EOVERFLOW  @rx is further ahead than @max_adv allows, including
 *               wraps that skip a whole lap
 */
int smc_cursor_check(u32 ring, const struct smc_cursor *old,
		     const struct smc_cursor *rx, u32 max_adv);

/* a CDC whose sequence number is behind the last processed one is stale */
static inline bool smc_cdc_seq_stale(u16 seq, u16 last)
{
	return (s16)(u16)(seq - last) < 0;
}

static inline bool smc_cdc_peer_closing(u8 conn_flags)
{
	return conn_flags & (SMC_CDC_CF_DONE_WRITING | SMC_CDC_CF_CONN_CLOSED |
			     SMC_CDC_CF_CONN_ABORT);
}

/* ring size of an SMC-D peer, from the DMB size it advertised */
static inline u32 smcd_cdc_ring_size(u32 dmb_size)
{
	return dmb_size > SMCD_CDC_DMB_HDR_LEN ?
	       dmb_size - SMCD_CDC_DMB_HDR_LEN : 0;
}

#endif /* SMC_CDC_WIRE_H */
