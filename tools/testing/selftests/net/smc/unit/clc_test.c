// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for the CLC codec (net/smc/smc_clc_wire.c), TAP output.
 *
 * Fixtures are built from host-order descriptions with the encoder; the
 * golden vectors further down are written byte by byte from the protocol
 * document instead, so that encoder and decoder cannot drift together.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "smc_clc_wire.h"
#include "tap.h"
#include "clc_cmp.h"
#include "clc_fixtures.h"

#define WORK_LEN	(SMC_CLC_MAX_LEN + 512)

/*
 * Exactly sized heap copy, so that ASan sees any read past the end.  The
 * decoded views point into it: free it only after the last comparison.
 */
static u8 *dup_exact(const u8 *msg, size_t len)
{
	u8 *copy = malloc(len ? len : 1);

	if (!copy) {
		printf("Bail out! out of memory\n");
		exit(1);
	}
	memcpy(copy, msg, len);
	return copy;
}

/* ------------------------------------------------------------------ */
/* round trips                                                          */

static bool t_roundtrip(const void *arg)
{
	const struct fixture *f = arg;
	union smc_clc_msg_info mi;
	u8 again[SMC_CLC_MAX_LEN];
	int rc;

	CHECK_EQ(f->len, f->expect_len);
	rc = smc_clc_decode(f->msg, f->len, 0, &mi);
	if (rc < 0)
		tap_diag("rule: %s", smc_clc_rule_str(mi.hdr.rule));
	CHECK_EQ(rc, f->len);
	CHECK_EQ(mi.hdr.rule, SMC_CLC_RULE_OK);
	CHECK_EQ(mi.hdr.length, f->len);
	CHECK(desc_equal(&f->desc, &mi));
	rc = encode_desc(&mi, again, sizeof(again));
	CHECK_EQ(rc, f->len);
	CHECK(!memcmp(again, f->msg, f->len));
	/* extra bytes after a message belong to whatever follows it */
	rc = smc_clc_decode(f->msg, sizeof(f->msg), 0, &mi);
	CHECK_EQ(rc, f->len);
	return true;
}

static bool t_truncation(const void *arg)
{
	const struct fixture *f = arg;
	union smc_clc_msg_info mi;
	int l, rc;

	for (l = 0; l < f->len; l++) {
		u8 *copy = dup_exact(f->msg, l);

		rc = smc_clc_decode(copy, l, 0, &mi);
		free(copy);
		if (rc != -ENODATA) {
			tap_diag("length %d: rc %d (%s)", l, rc,
				 smc_clc_rule_str(mi.hdr.rule));
			return false;
		}
		CHECK_EQ(mi.hdr.rule, l < 8 ? SMC_CLC_RULE_SHORT :
				      SMC_CLC_RULE_TRUNCATED);
	}
	return true;
}

static bool t_enospc(const void *arg)
{
	const struct fixture *f = arg;
	u8 buf[SMC_CLC_MAX_LEN + 1];
	int l;

	CHECK_EQ(encode_desc(&f->desc, NULL, 0), -ENOSPC);
	for (l = 0; l < f->len; l++)
		CHECK_EQ(encode_desc(&f->desc, buf, l), -ENOSPC);
	CHECK_EQ(encode_desc(&f->desc, buf, f->len), f->len);
	/* reserved bytes come out zero whatever the buffer held before */
	memset(buf, 0xa5, sizeof(buf));
	CHECK_EQ(encode_desc(&f->desc, buf, sizeof(buf)), f->len);
	CHECK(!memcmp(buf, f->msg, f->len));
	CHECK_EQ(buf[f->len], 0xa5);
	return true;
}

/* ------------------------------------------------------------------ */
/* golden vectors, written from the protocol document byte by byte     */

static void g8(u8 *g, size_t off, u8 v)
{
	g[off] = v;
}

static void g16(u8 *g, size_t off, unsigned int v)
{
	g[off] = v >> 8;
	g[off + 1] = v;
}

static void g32(u8 *g, size_t off, unsigned long v)
{
	g16(g, off, v >> 16);
	g16(g, off + 2, v & 0xffff);
}

static void g64(u8 *g, size_t off, unsigned long long v)
{
	g32(g, off, v >> 32);
	g32(g, off + 4, v & 0xffffffff);
}

static void gbytes(u8 *g, size_t off, const void *p, size_t n)
{
	memcpy(g + off, p, n);
}

static const u8 EYE_R[4] = { 0xe2, 0xd4, 0xc3, 0xd9 };
static const u8 EYE_D[4] = { 0xe2, 0xd4, 0xc3, 0xc4 };

struct golden {
	const char *name;
	size_t (*build)(u8 *g);
	enum fx_id fx;
};

/* 10a: loopback-only client, one UEID, SMC-D v2 only, release 1 */
static size_t gold_prop_loopback(u8 *g)
{
	gbytes(g, 0, EYE_R, 4);
	g8(g, 4, 0x01);
	g16(g, 5, 224);
	g8(g, 7, 0x26);		/* v2, typev2 D, typev1 N */
	/* 8..37 local info zero, 38 iparea_offset 0, 40..49 native ISM 0 */
	g16(g, 50, 28);		/* v2 extension at 52 + 28 = 80 */
	g8(g, 80, 1);		/* eid_cnt */
	g8(g, 81, 2);		/* ism_gid_cnt: one device, two entries */
	g8(g, 83, 0x10);	/* release 1, SEID flag clear */
	g16(g, 86, 64);		/* SMC-Dv2 ext at 88 + 64 = 152 */
	g16(g, 106, 0x0001);	/* feature mask: emulated ISM */
	gbytes(g, 120, "SMC-NG-UEID-0                   ", 32);
	/* 152..183 SEID zero, 184..199 reserved */
	g64(g, 200, LO_GID_HI);
	g16(g, 208, 0xffff);
	g64(g, 210, LO_GID_LO);
	g16(g, 218, 0xffff);
	gbytes(g, 220, EYE_R, 4);
	return 224;
}

/* 10a: SMC-R v1 only offered, v2 header */
static size_t gold_prop_r_v1only(u8 *g)
{
	gbytes(g, 0, EYE_R, 4);
	g8(g, 4, 0x01);
	g16(g, 5, 92);
	g8(g, 7, 0x28);
	gbytes(g, 8, sys_id, 8);
	gbytes(g, 16, roce_v1_gid, 16);
	gbytes(g, 32, roce_mac, 6);
	g16(g, 38, 40);		/* prefix area after the SMC-D area */
	g32(g, 80, 0xc0a80100);
	g8(g, 84, 24);
	g8(g, 87, 0);
	gbytes(g, 88, EYE_R, 4);
	return 92;
}

/* a DECLINE with "no SMC device", v1 format */
static size_t gold_decl_v1(u8 *g)
{
	gbytes(g, 0, EYE_R, 4);
	g8(g, 4, 0x04);
	g16(g, 5, 28);
	g8(g, 7, 0x10);
	gbytes(g, 8, sys_id, 8);
	g32(g, 16, 0x03030000);
	g8(g, 20, 0x00);
	gbytes(g, 24, EYE_R, 4);
	return 28;
}

static size_t gold_decl_v2(u8 *g)
{
	gbytes(g, 0, EYE_R, 4);
	g8(g, 4, 0x04);
	g16(g, 5, 44);
	g8(g, 7, 0x20);
	gbytes(g, 8, sys_id, 8);
	g32(g, 16, 0x03030000);
	g8(g, 20, 0x20);	/* OS type 2 = Linux */
	gbytes(g, 40, EYE_R, 4);
	return 44;
}

/* 10a: ACCEPT answering the loopback proposal, new LGR, release 1 */
static size_t gold_acc_d_v2_fce(u8 *g)
{
	gbytes(g, 0, EYE_D, 4);
	g8(g, 4, 0x02);
	g16(g, 5, 130);
	g8(g, 7, 0x29);		/* v2, first contact, SMC-D */
	g64(g, 8, LO_GID_HI);
	g64(g, 16, 0x0badc0ffee000001ULL);
	g8(g, 24, 0);		/* DMBE index */
	g8(g, 25, 0x20);	/* 64 KiB DMB */
	g32(g, 28, 0x00010203);
	g16(g, 32, 0xffff);	/* CHID: loopback */
	gbytes(g, 34, "SMC-NG-UEID-0                   ", 32);
	g64(g, 66, LO_GID_LO);	/* gid_ext */
	g8(g, 74, 0x00);
	g8(g, 75, 0x21);	/* Linux, release 1 */
	gbytes(g, 78, "smc-ng-test                     ", 32);
	g16(g, 112, 0x0001);
	gbytes(g, 126, EYE_D, 4);
	return 130;
}

/* 10a: SMC-R v1 ACCEPT, first contact, 64 KiB RMBE, MTU 4096 */
static size_t gold_acc_r_v1_fc(u8 *g)
{
	gbytes(g, 0, EYE_R, 4);
	g8(g, 4, 0x02);
	g16(g, 5, 68);
	g8(g, 7, 0x18);
	gbytes(g, 8, sys_id, 8);
	gbytes(g, 16, roce_v1_gid, 16);
	gbytes(g, 32, roce_mac, 6);
	g8(g, 38, 0x00);	/* QP number 0x000123, 3 bytes */
	g16(g, 39, 0x0123);
	g32(g, 41, 0x00001a2b);
	g8(g, 45, 0x01);
	g32(g, 46, 0x00000101);
	g8(g, 50, 0x25);
	g64(g, 52, 0x00000000fedc0000ULL);
	g8(g, 61, 0xab);
	g16(g, 62, 0xcdef);
	gbytes(g, 64, EYE_R, 4);
	return 68;
}

/* 10a: SMC-R v2 CONFIRM, first contact, one GID */
static size_t gold_conf_r_v2_fc1(u8 *g)
{
	size_t n = gold_acc_r_v1_fc(g);

	memset(g + n - 4, 0, 4);
	g8(g, 4, 0x03);
	g16(g, 5, 180);
	g8(g, 7, 0x28);
	gbytes(g, 16, roce_v2_gid, 16);
	gbytes(g, 64, "SMC-NG-UEID-0                   ", 32);
	g8(g, 104, 0x80);	/* v2_direct */
	g8(g, 105, 0x21);
	gbytes(g, 108, "smc-ng-test                     ", 32);
	g8(g, 140, 255);
	g8(g, 141, 2);
	g16(g, 142, 0x0001);
	g8(g, 156, 1);
	gbytes(g, 160, rgids[0], 16);
	gbytes(g, 176, EYE_R, 4);
	return 180;
}

static const struct golden goldens[] = {
	{ "golden: v2 SMC-D loopback PROPOSAL (224 bytes)",
	  gold_prop_loopback, FX_PROP_LOOPBACK },
	{ "golden: v2 PROPOSAL offering SMC-R v1 only (92 bytes)",
	  gold_prop_r_v1only, FX_PROP_R_V1ONLY },
	{ "golden: DECLINE v1 0x03030000", gold_decl_v1, FX_DECL_V1 },
	{ "golden: DECLINE v2 0x03030000", gold_decl_v2, FX_DECL_V2 },
	{ "golden: SMC-D v2 ACCEPT with first-contact extension",
	  gold_acc_d_v2_fce, FX_ACC_D_V2_FC52 },
	{ "golden: SMC-R v1 ACCEPT first contact",
	  gold_acc_r_v1_fc, FX_ACC_R_V1_FC },
	{ "golden: SMC-R v2 CONFIRM first contact, one GID",
	  gold_conf_r_v2_fc1, FX_CONF_R_V2_FC1 },
};

static bool golden_check(const u8 *g, size_t n, const struct fixture *f)
{
	union smc_clc_msg_info mi;

	CHECK_EQ(smc_clc_decode(g, n, 0, &mi), n);
	CHECK(desc_equal(&f->desc, &mi));
	CHECK_EQ(f->len, n);
	CHECK(!memcmp(f->msg, g, n));
	return true;
}

static bool t_golden(const void *arg)
{
	const struct golden *gd = arg;
	u8 g[SMC_CLC_MAX_LEN] = { 0 };
	size_t n = gd->build(g);
	u8 *copy = dup_exact(g, n);
	bool ok = golden_check(copy, n, &fx[gd->fx]);

	free(copy);
	return ok;
}

/* decoded fields of the loopback proposal, checked one by one */
static bool t_golden_loopback_fields(const void *arg)
{
	struct smc_clc_prop_info pi;
	u8 g[SMC_CLC_MAX_LEN] = { 0 };
	size_t n = gold_prop_loopback(g);

	(void)arg;
	CHECK_EQ(smc_clc_decode_proposal(g, n, &pi), 224);
	CHECK_EQ(pi.hdr.version, 2);
	CHECK_EQ(pi.hdr.typev1, SMC_TYPE_N);
	CHECK_EQ(pi.hdr.typev2, SMC_TYPE_D);
	CHECK(!pi.hdr.smcd_eye);
	CHECK(pi.has_smcd_area && !pi.has_prefix);
	CHECK(pi.has_v2ext && pi.has_smcd_v2ext);
	CHECK_EQ(pi.release, 1);
	CHECK(!pi.seid_valid);
	CHECK_EQ(pi.eid_cnt, 1);
	CHECK(pi.eids == (const void *)(g + 120));
	CHECK_EQ(pi.feature_mask, 1);
	CHECK_EQ(pi.ism_cnt, 2);
	CHECK(pi.ism[0].gid == LO_GID_HI && pi.ism[0].chid == 0xffff);
	CHECK(pi.ism[1].gid == LO_GID_LO && pi.ism[1].chid == 0xffff);
	CHECK(smc_clc_chid_is_emulated(pi.ism[0].chid));
	return true;
}

static bool t_golden_accept_fields(const void *arg)
{
	struct smc_clc_accept_info ai;
	u8 g[SMC_CLC_MAX_LEN] = { 0 };
	size_t n = gold_acc_d_v2_fce(g);

	(void)arg;
	CHECK_EQ(smc_clc_decode_acc_conf(g, n, &ai), 130);
	CHECK(ai.hdr.smcd_eye);
	CHECK(ai.smcd && ai.first_contact);
	CHECK_EQ(ai.hdr.type, SMC_CLC_ACCEPT);
	CHECK(ai.d.gid == LO_GID_HI && ai.d.gid_ext == LO_GID_LO);
	CHECK_EQ(ai.d.chid, 0xffff);
	CHECK_EQ(smc_clc_size_decode(ai.d.dmbe_size), 65536);
	CHECK_EQ(ai.fce.len, 52);
	CHECK_EQ(ai.fce.os_type, SMC_CLC_OS_LINUX);
	CHECK_EQ(ai.fce.release, 1);
	CHECK(!memcmp(ai.fce.hostname, "smc-ng-test ", 12));

	n = gold_acc_r_v1_fc(g);
	CHECK_EQ(smc_clc_decode_acc_conf(g, n, &ai), 68);
	CHECK_EQ(ai.r.qpn, 0x123);
	CHECK_EQ(ai.r.psn, 0xabcdef);
	CHECK_EQ(smc_clc_size_decode(ai.r.rmbe_size), 65536);
	CHECK_EQ(smc_clc_mtu_decode(ai.r.qp_mtu), 4096);
	CHECK_EQ(ai.r.rmbe_token, 0x101);
	return true;
}

static bool t_golden_decline_fields(const void *arg)
{
	struct smc_clc_decline_info di;
	u8 g[SMC_CLC_MAX_LEN] = { 0 };
	size_t n = gold_decl_v2(g);

	(void)arg;
	CHECK_EQ(smc_clc_decode_decline(g, n, &di), 44);
	CHECK_EQ(di.diag, SMC_CLC_DECL_NOSMCDEV);
	CHECK_EQ(di.os_type, SMC_CLC_OS_LINUX);
	CHECK(!di.out_of_sync);
	CHECK(!strncmp(smc_clc_reason_str(di.diag), "no SMC device found", 19));
	return true;
}

/* ------------------------------------------------------------------ */
/* mutations: each breaks exactly one rule of a valid fixture           */

static void put_be16(u8 *p, unsigned int v)
{
	p[0] = v >> 8;
	p[1] = v;
}

static void set_len(u8 *m, size_t len)
{
	put_be16(m + 5, len);
}

/* open a gap of @n zero bytes at @at, keeping length field and trailer */
static void grow(u8 *m, size_t *len, size_t at, size_t n)
{
	memmove(m + at + n, m + at, *len - at);
	memset(m + at, 0, n);
	*len += n;
	set_len(m, *len);
}

static void shrink(u8 *m, size_t *len, size_t at, size_t n)
{
	memmove(m + at, m + at + n, *len - at - n);
	*len -= n;
	set_len(m, *len);
}

struct mutation {
	const char *name;
	enum fx_id fx;
	void (*mutate)(u8 *m, size_t *len);
	int err;		/* expected rc; 0 means "still valid" */
	enum smc_clc_rule rule;
	u8 expected;		/* type passed to smc_clc_decode */
};

#define MUT(fn, body) static void fn(u8 *m, size_t *len) { (void)m; (void)len; body; }

/* header */
MUT(m_eye_hdr, m[3] = 0x00)
MUT(m_eye_hdr_smcd, m[3] = 0xc4)
MUT(m_eye_trl, m[*len - 1] = 0x00)
MUT(m_eye_trl_smcd, m[*len - 1] = 0xc4)
MUT(m_version0, m[7] &= 0x0f)
MUT(m_version3, m[7] = (m[7] & 0x0f) | 0x30)
MUT(m_type0, m[4] = 0)
MUT(m_type5, m[4] = 5)
MUT(m_none, (void)0)
MUT(m_len_51, set_len(m, 51))
MUT(m_len_229, set_len(m, 229))
MUT(m_len_83, set_len(m, 83))
MUT(m_len_653, set_len(m, 653))
MUT(m_len_max_acc, set_len(m, SMC_CLC_ACC_MAX_LEN + 1))
MUT(m_len_100, set_len(m, 100))
/* proposal */
MUT(m_v1_notype, m[7] = 0x12)
MUT(m_v1_ipoff41, grow(m, len, 40, 41); put_be16(m + 38, 41))
MUT(m_v1_v6_missing, m[47] = 1)
MUT(m_v1_v6_9, grow(m, len, 48, 9 * 17); m[47] = 9)
MUT(m_v1_v6_8, grow(m, len, 48, 8 * 17); m[47] = 8)
MUT(m_v2_ipoff0, put_be16(m + 38, 0))
MUT(m_v2_ipoff41, put_be16(m + 38, 41))
MUT(m_v2_v6_9, grow(m, len, 88, 9 * 17); m[87] = 9)
MUT(m_v2_extra, grow(m, len, *len - 4, 1))
MUT(m_v2_no_ext, m[7] = 0x20)
MUT(m_v2ext_off0, put_be16(m + 50, 0))
MUT(m_v2ext_off_up, put_be16(m + 50, 37))
MUT(m_v2ext_off_down, put_be16(m + 50, 35))
MUT(m_v2ext_off_far, put_be16(m + 50, 172))
MUT(m_eid_9, grow(m, len, 160, 8 * 32); m[88] = 9)
MUT(m_eid_8, grow(m, len, 160, 7 * 32); m[88] = 8)
MUT(m_eid_more, m[88] = 2)
MUT(m_dext_off0, put_be16(m + 86, 0))
MUT(m_dext_off_up, put_be16(m + 86, 65))
MUT(m_dext_off_down, put_be16(m + 86, 63))
MUT(m_ism_9, grow(m, len, 220, 7 * 10); m[81] = 9)
MUT(m_ism_8, grow(m, len, 220, 6 * 10); m[81] = 8)
MUT(m_ism_more, m[81] = 3)
MUT(m_n_ipoff40, put_be16(m + 38, 40))
MUT(m_n_gid_low9, m[47] = 9)
MUT(m_n_gid_low8, m[47] = 8)
/* accept / confirm */
MUT(m_ac_typev1_n, m[7] = (m[7] & 0xfc) | SMC_TYPE_N)
MUT(m_ac_typev1_b, m[7] = (m[7] & 0xfc) | SMC_TYPE_B)
MUT(m_ac_grow1, grow(m, len, *len - 4, 1))
MUT(m_ac_shrink1, shrink(m, len, *len - 8, 1))
MUT(m_fc_set, m[7] |= 0x08)
MUT(m_fc_clear, m[7] &= ~0x08)
MUT(m_r_fce_plus2, grow(m, len, 156, 2))
MUT(m_r_gidlist_empty, grow(m, len, 156, 4))
MUT(m_r_gid_cnt2, m[156] = 2)
MUT(m_r_gid_cnt0, m[156] = 0)
MUT(m_r_gid_cnt9, grow(m, len, 288, 16); m[156] = 9)
MUT(m_reserved_bits, m[7] |= 0x04; m[51] = 0xff; m[60] = 0xff)
/* decline */
MUT(m_decl_v2, m[7] = 0x20)
MUT(m_decl_v1, m[7] = 0x10)

#define REJ(desc, f, fn, e, r) { desc, f, fn, -(e), SMC_CLC_RULE_##r, 0 }
#define ACC(desc, f, fn) { desc, f, fn, 0, SMC_CLC_RULE_OK, 0 }

static const struct mutation mutations[] = {
	/* header rules (smc_clc_check_hdr) */
	REJ("hdr: bad eyecatcher (PROPOSAL)", FX_PROP_LOOPBACK, m_eye_hdr,
	    EPROTO, EYECATCHER),
	REJ("hdr: bad eyecatcher (ACCEPT)", FX_ACC_D_V2, m_eye_hdr,
	    EPROTO, EYECATCHER),
	REJ("hdr: bad eyecatcher (DECLINE)", FX_DECL_V1, m_eye_hdr,
	    EPROTO, EYECATCHER),
	ACC("hdr: SMC-D eyecatcher in a PROPOSAL is accepted",
	    FX_PROP_LOOPBACK, m_eye_hdr_smcd),
	REJ("hdr: version 0", FX_PROP_R_V1V2, m_version0, EPROTO, VERSION),
	ACC("hdr: version 3 PROPOSAL parsed with the v2 rules",
	    FX_PROP_R_V1V2, m_version3),
	REJ("hdr: type 0", FX_PROP_R_V1V2, m_type0, EPROTO, TYPE),
	REJ("hdr: type 5", FX_ACC_R_V1, m_type5, EPROTO, TYPE),
	{ "hdr: PROPOSAL where CONFIRM is expected", FX_PROP_R_V1V2, m_none,
	  -EPROTO, SMC_CLC_RULE_TYPE, SMC_CLC_CONFIRM },
	{ "hdr: ACCEPT where ACCEPT is expected", FX_ACC_R_V2, m_none,
	  0, SMC_CLC_RULE_OK, SMC_CLC_ACCEPT },
	{ "hdr: DECLINE may replace the expected ACCEPT", FX_DECL_V2, m_none,
	  0, SMC_CLC_RULE_OK, SMC_CLC_ACCEPT },
	REJ("hdr: v1 PROPOSAL length 51 below minimum", FX_PROP_V1_R,
	    m_len_51, EPROTO, PROP_LEN_RANGE),
	REJ("hdr: v1 PROPOSAL length 229 above maximum", FX_PROP_V1_R,
	    m_len_229, EPROTO, PROP_LEN_RANGE),
	REJ("hdr: v2 PROPOSAL length 83 below minimum", FX_PROP_NONE,
	    m_len_83, EPROTO, PROP_LEN_RANGE),
	REJ("hdr: v2 PROPOSAL length 653 above maximum", FX_PROP_MAX,
	    m_len_653, EPROTO, PROP_LEN_RANGE),
	REJ("hdr: ACCEPT with SMC type N", FX_ACC_R_V1, m_ac_typev1_n,
	    EPROTO, AC_TYPEV1),
	REJ("hdr: CONFIRM with SMC type B", FX_ACC_D_V1, m_ac_typev1_b,
	    EPROTO, AC_TYPEV1),
	REJ("hdr: SMC-R v1 ACCEPT not 68 bytes", FX_ACC_R_V1, m_ac_grow1,
	    EPROTO, AC_LEN),
	REJ("hdr: SMC-D v1 CONFIRM not 48 bytes", FX_ACC_D_V1, m_ac_grow1,
	    EPROTO, AC_LEN),
	REJ("hdr: SMC-R v2 ACCEPT shorter than 108", FX_ACC_R_V2,
	    m_ac_shrink1, EPROTO, AC_LEN),
	REJ("hdr: SMC-R v2 ACCEPT longer than the largest CONFIRM",
	    FX_ACC_R_V2, m_len_max_acc, EPROTO, AC_LEN),
	REJ("hdr: SMC-D v2 ACCEPT length 79", FX_ACC_D_V2, m_ac_grow1,
	    EPROTO, AC_LEN),
	REJ("hdr: SMC-D v2 ACCEPT length 100", FX_ACC_D_V2, m_len_100,
	    EPROTO, AC_LEN),
	REJ("hdr: v1 DECLINE must be 28 bytes", FX_DECL_V1, m_ac_grow1,
	    EPROTO, DECL_LEN),
	REJ("hdr: DECLINE v2 header on 28 bytes", FX_DECL_V1, m_decl_v2,
	    EPROTO, DECL_LEN),
	REJ("hdr: DECLINE v1 header on 44 bytes", FX_DECL_V2, m_decl_v1,
	    EPROTO, DECL_LEN),

	/* trailers */
	REJ("trailer: bad PROPOSAL trailer", FX_PROP_BOTH, m_eye_trl,
	    EPROTO, TRAILER),
	REJ("trailer: bad v1 PROPOSAL trailer", FX_PROP_V1_R, m_eye_trl,
	    EPROTO, TRAILER),
	REJ("trailer: bad SMC-R ACCEPT trailer", FX_ACC_R_V2_FC, m_eye_trl,
	    EPROTO, TRAILER),
	REJ("trailer: bad SMC-D CONFIRM trailer", FX_CONF_D_V2, m_eye_trl,
	    EPROTO, TRAILER),
	ACC("trailer: SMC-D trailer on a PROPOSAL is accepted",
	    FX_PROP_R_V1V2, m_eye_trl_smcd),
	ACC("trailer: DECLINE trailer is not checked (as in Linux)",
	    FX_DECL_V2, m_eye_trl),

	/* proposal body */
	REJ("prop v1: offers no SMC type", FX_PROP_V1_R, m_v1_notype,
	    EPROTO, PROP_V1_NOTYPE),
	REJ("prop v1: iparea_offset 41 (consistent length)", FX_PROP_V1_R,
	    m_v1_ipoff41, EPROTO, PROP_IPAREA_OFF),
	REJ("prop v1: IPv6 count without the prefix bytes", FX_PROP_V1_R,
	    m_v1_v6_missing, EPROTO, PROP_LEN),
	REJ("prop v1: 9 IPv6 prefixes", FX_PROP_V1_R, m_v1_v6_9,
	    EPROTO, PROP_V6_CNT),
	ACC("prop v1: 8 IPv6 prefixes", FX_PROP_V1_R, m_v1_v6_8),
	REJ("prop v2: SMC-R v1 offered but prefix area not at 80",
	    FX_PROP_R_V1ONLY, m_v2_ipoff0, EPROTO, PROP_IPAREA_OFF),
	REJ("prop v2: iparea_offset 41", FX_PROP_R_V1ONLY, m_v2_ipoff41,
	    EPROTO, PROP_IPAREA_OFF),
	REJ("prop v2: 9 IPv6 prefixes", FX_PROP_R_V1ONLY, m_v2_v6_9,
	    EPROTO, PROP_V6_CNT),
	REJ("prop v2: one byte too long", FX_PROP_R_V1ONLY, m_v2_extra,
	    EPROTO, PROP_LEN),
	REJ("prop v2: one byte too long (with extensions)", FX_PROP_BOTH,
	    m_v2_extra, EPROTO, PROP_LEN),
	REJ("prop v2: v2 offered without v2 extension", FX_PROP_R_V1ONLY,
	    m_v2_no_ext, EPROTO, PROP_V2EXT_OFF),
	REJ("prop v2: v2_ext_offset 0", FX_PROP_R_V1V2, m_v2ext_off0,
	    EPROTO, PROP_V2EXT_OFF),
	REJ("prop v2: v2_ext_offset one too far", FX_PROP_R_V1V2,
	    m_v2ext_off_up, EPROTO, PROP_V2EXT_OFF),
	REJ("prop v2: v2_ext_offset overlapping the prefix area",
	    FX_PROP_R_V1V2, m_v2ext_off_down, EPROTO, PROP_V2EXT_OFF),
	REJ("prop v2: v2_ext_offset 172 beyond the message", FX_PROP_R_V1V2,
	    m_v2ext_off_far, EPROTO, PROP_V2EXT_OFF),
	REJ("prop v2: 9 UEIDs", FX_PROP_R_V1V2, m_eid_9, EPROTO,
	    PROP_EID_CNT),
	ACC("prop v2: 8 UEIDs", FX_PROP_R_V1V2, m_eid_8),
	REJ("prop v2: eid_cnt larger than the UEIDs present", FX_PROP_R_V1V2,
	    m_eid_more, EPROTO, PROP_LEN),
	REJ("prop v2: smcd_v2_ext_offset 0", FX_PROP_LOOPBACK, m_dext_off0,
	    EPROTO, PROP_SMCD_V2EXT_OFF),
	REJ("prop v2: smcd_v2_ext_offset one too far", FX_PROP_LOOPBACK,
	    m_dext_off_up, EPROTO, PROP_SMCD_V2EXT_OFF),
	REJ("prop v2: smcd_v2_ext_offset overlapping the UEIDs",
	    FX_PROP_LOOPBACK, m_dext_off_down, EPROTO, PROP_SMCD_V2EXT_OFF),
	REJ("prop v2: 9 ISM GID/CHID entries", FX_PROP_LOOPBACK, m_ism_9,
	    EPROTO, PROP_ISM_CNT),
	ACC("prop v2: 8 ISM GID/CHID entries", FX_PROP_LOOPBACK, m_ism_8),
	REJ("prop v2: ism_gid_cnt larger than the entries present",
	    FX_PROP_LOOPBACK, m_ism_more, EPROTO, PROP_LEN),
	REJ("prop v2: typev1 N, prefix header read past the body",
	    FX_PROP_NONE, m_n_ipoff40, EPROTO, PROP_IPAREA_OFF),
	REJ("prop v2: typev1 N, prefix view count > 8 (Linux quirk)",
	    FX_PROP_LOOPBACK, m_n_ipoff40, EPROTO, PROP_V6_CNT),
	REJ("prop v2: typev1 N, native GID low byte 9 (Linux quirk)",
	    FX_PROP_LOOPBACK, m_n_gid_low9, EPROTO, PROP_V6_CNT),
	ACC("prop v2: typev1 N, native GID low byte 8", FX_PROP_LOOPBACK,
	    m_n_gid_low8),

	/* accept / confirm body */
	REJ("acc: SMC-D v2 first-contact bit without FCE", FX_ACC_D_V2,
	    m_fc_set, EPROTO, AC_FCE_LEN),
	REJ("acc: SMC-D v2 FCE without first-contact bit", FX_ACC_D_V2_FC36,
	    m_fc_clear, EPROTO, AC_FCE_LEN),
	REJ("acc: SMC-D v2 52-byte FCE without first-contact bit",
	    FX_ACC_D_V2_FC52, m_fc_clear, EPROTO, AC_FCE_LEN),
	REJ("acc: SMC-R v2 first-contact bit without FCE", FX_ACC_R_V2,
	    m_fc_set, EPROTO, AC_FCE_LEN),
	REJ("acc: SMC-R v2 FCE without first-contact bit", FX_ACC_R_V2_FC,
	    m_fc_clear, EPROTO, AC_FCE_LEN),
	ACC("acc: first-contact bit is meaningless in v1", FX_ACC_R_V1,
	    m_fc_set),
	REJ("acc: 2 stray bytes after the FCE", FX_ACC_R_V2_FC,
	    m_r_fce_plus2, EPROTO, AC_GID_CNT),
	ACC("acc: empty GID list", FX_ACC_R_V2_FC, m_r_gidlist_empty),
	REJ("conf: gid_cnt 2 with one GID present", FX_CONF_R_V2_FC1,
	    m_r_gid_cnt2, EPROTO, AC_GID_CNT),
	REJ("conf: gid_cnt 0 with one GID present", FX_CONF_R_V2_FC1,
	    m_r_gid_cnt0, EPROTO, AC_GID_CNT),
	REJ("conf: 9 GIDs exceed the accepted length", FX_CONF_R_V2_FC8,
	    m_r_gid_cnt9, EPROTO, AC_LEN),
	ACC("acc: reserved bits and bytes are ignored", FX_ACC_R_V2,
	    m_reserved_bits),
};

static bool mutation_check(const struct mutation *mu, const u8 *msg,
			   size_t len)
{
	union smc_clc_msg_info mi, again;
	u8 out[SMC_CLC_MAX_LEN];
	int want = mu->err ? mu->err : (int)len;
	int rc, n;

	rc = smc_clc_decode(msg, len, mu->expected, &mi);
	if (rc != want || mi.hdr.rule != mu->rule) {
		tap_diag("rc %d rule '%s', expected rc %d rule '%s'", rc,
			 smc_clc_rule_str(mi.hdr.rule), want,
			 smc_clc_rule_str(mu->rule));
		return false;
	}
	if (mu->err)
		return true;
	/* whatever decoded must re-encode to a message that decodes alike */
	n = encode_desc(&mi, out, sizeof(out));
	CHECK(n > 0);
	CHECK_EQ(smc_clc_decode(out, n, 0, &again), n);
	CHECK(desc_equal(&mi, &again));
	return true;
}

static bool t_mutation(const void *arg)
{
	const struct mutation *mu = arg;
	const struct fixture *f = &fx[mu->fx];
	u8 work[WORK_LEN];
	size_t len = f->len;
	u8 *copy;
	bool ok;

	memset(work, 0, sizeof(work));
	memcpy(work, f->msg, len);
	mu->mutate(work, &len);
	copy = dup_exact(work, len);
	ok = mutation_check(mu, copy, len);
	free(copy);
	return ok;
}

/* ------------------------------------------------------------------ */
/* header checker and API edges                                         */

static bool t_hdr_short(const void *arg)
{
	struct smc_clc_hdr_info hi;
	int l;

	(void)arg;
	for (l = 0; l < 8; l++) {
		CHECK_EQ(smc_clc_check_hdr(fx[0].msg, l, 0, &hi), -ENODATA);
		CHECK_EQ(hi.rule, SMC_CLC_RULE_SHORT);
	}
	return true;
}

static bool t_hdr_length(const void *arg)
{
	struct smc_clc_hdr_info hi;
	unsigned int i;

	(void)arg;
	/* eight bytes are enough to learn how much to read */
	for (i = 0; i < FX_COUNT; i++) {
		CHECK_EQ(smc_clc_check_hdr(fx[i].msg, 8, 0, &hi), fx[i].len);
		CHECK_EQ(hi.length, fx[i].len);
	}
	CHECK_EQ(smc_clc_check_hdr(fx[FX_ACC_R_V2_FC].msg, 8, SMC_CLC_ACCEPT,
				   &hi), 160);
	CHECK(hi.flag);
	CHECK_EQ(hi.typev1, SMC_TYPE_R);
	return true;
}

static bool t_args(const void *arg)
{
	union smc_clc_msg_info mi;
	struct smc_clc_hdr_info hi;
	u8 buf[SMC_CLC_MAX_LEN];

	(void)arg;
	CHECK_EQ(smc_clc_check_hdr(NULL, 8, 0, &hi), -EINVAL);
	CHECK_EQ(smc_clc_check_hdr(fx[0].msg, 8, 0, NULL), -EINVAL);
	CHECK_EQ(smc_clc_check_hdr(fx[0].msg, 8, 5, &hi), -EINVAL);
	CHECK_EQ(smc_clc_decode(fx[0].msg, fx[0].len, 0, NULL), -EINVAL);
	CHECK_EQ(smc_clc_decode(NULL, 0, 0, &mi), -EINVAL);
	CHECK_EQ(smc_clc_decode_proposal(fx[0].msg, fx[0].len, NULL), -EINVAL);
	CHECK_EQ(smc_clc_decode_acc_conf(NULL, 10, &mi.acc), -EINVAL);
	CHECK_EQ(smc_clc_decode_decline(fx[0].msg, fx[0].len, NULL), -EINVAL);
	CHECK_EQ(smc_clc_encode_proposal(buf, sizeof(buf), NULL), -EINVAL);
	CHECK_EQ(smc_clc_encode_acc_conf(buf, sizeof(buf), NULL), -EINVAL);
	CHECK_EQ(smc_clc_encode_decline(buf, sizeof(buf), NULL), -EINVAL);
	return true;
}

static bool t_wrong_decoder(const void *arg)
{
	struct smc_clc_prop_info pi;
	struct smc_clc_accept_info ai;
	struct smc_clc_decline_info di;

	(void)arg;
	CHECK_EQ(smc_clc_decode_proposal(fx[FX_ACC_R_V2].msg,
					 fx[FX_ACC_R_V2].len, &pi), -EPROTO);
	CHECK_EQ(pi.hdr.rule, SMC_CLC_RULE_TYPE);
	CHECK_EQ(smc_clc_decode_acc_conf(fx[FX_DECL_V1].msg,
					 fx[FX_DECL_V1].len, &ai), -EPROTO);
	CHECK_EQ(ai.hdr.rule, SMC_CLC_RULE_TYPE);
	CHECK_EQ(smc_clc_decode_decline(fx[FX_PROP_V1_R].msg,
					fx[FX_PROP_V1_R].len, &di), -EPROTO);
	CHECK_EQ(di.hdr.rule, SMC_CLC_RULE_TYPE);
	CHECK_EQ(smc_clc_decode_acc_conf(fx[FX_CONF_D_V2].msg,
					 fx[FX_CONF_D_V2].len, &ai), 78);
	CHECK_EQ(ai.hdr.type, SMC_CLC_CONFIRM);
	return true;
}

static bool t_v1_d_layouts(const void *arg)
{
	struct smc_clc_prop_info pi;

	(void)arg;
	CHECK_EQ(smc_clc_decode_proposal(fx[FX_PROP_V1_D].msg,
					 fx[FX_PROP_V1_D].len, &pi), 109);
	CHECK(pi.has_smcd_area && pi.ism_gid == ISM_GID);
	CHECK_EQ(pi.ism_chid, ISM_CHID);
	CHECK(pi.v6 == (const void *)(fx[FX_PROP_V1_D].msg + 88));
	CHECK_EQ(smc_clc_decode_proposal(fx[FX_PROP_V1_D_NOAREA].msg,
					 fx[FX_PROP_V1_D_NOAREA].len, &pi), 69);
	CHECK(!pi.has_smcd_area && pi.has_prefix);
	CHECK(pi.v6 == (const void *)(fx[FX_PROP_V1_D_NOAREA].msg + 48));
	return true;
}

/* descriptions without a valid wire form */
static bool t_encode_einval(const void *arg)
{
	union smc_clc_msg_info d;
	u8 buf[SMC_CLC_MAX_LEN];

	(void)arg;
	d = fx[FX_PROP_V1_R].desc;
	d.prop.hdr.typev1 = SMC_TYPE_N;
	CHECK_EQ(encode_desc(&d, buf, sizeof(buf)), -EINVAL);
	d = fx[FX_PROP_V1_R].desc;
	d.prop.hdr.version = 0;
	CHECK_EQ(encode_desc(&d, buf, sizeof(buf)), -EINVAL);
	d = fx[FX_PROP_R_V1ONLY].desc;
	d.prop.v6_cnt = SMC_CLC_MAX_V6_PREFIX + 1;
	CHECK_EQ(encode_desc(&d, buf, sizeof(buf)), -EINVAL);
	d.prop.v6_cnt = 1;
	d.prop.v6 = NULL;
	CHECK_EQ(encode_desc(&d, buf, sizeof(buf)), -EINVAL);
	d = fx[FX_PROP_R_V1V2].desc;
	d.prop.eid_cnt = SMC_CLC_MAX_UEID + 1;
	CHECK_EQ(encode_desc(&d, buf, sizeof(buf)), -EINVAL);
	d = fx[FX_PROP_R_V1V2].desc;
	d.prop.release = 16;
	CHECK_EQ(encode_desc(&d, buf, sizeof(buf)), -EINVAL);
	d = fx[FX_PROP_LOOPBACK].desc;
	d.prop.ism_cnt = SMC_CLC_MAX_ISM_GIDS + 1;
	CHECK_EQ(encode_desc(&d, buf, sizeof(buf)), -EINVAL);
	d = fx[FX_PROP_LOOPBACK].desc;
	d.prop.ism_gid = 0x09;	/* read by Linux as a prefix count */
	CHECK_EQ(encode_desc(&d, buf, sizeof(buf)), -EINVAL);

	d = fx[FX_ACC_R_V2].desc;
	d.acc.r.qpn = 0x1000000;
	CHECK_EQ(encode_desc(&d, buf, sizeof(buf)), -EINVAL);
	d = fx[FX_ACC_R_V2].desc;
	d.acc.r.psn = 0x1000000;
	CHECK_EQ(encode_desc(&d, buf, sizeof(buf)), -EINVAL);
	d = fx[FX_ACC_R_V2].desc;
	d.acc.r.rmbe_size = 16;
	CHECK_EQ(encode_desc(&d, buf, sizeof(buf)), -EINVAL);
	d = fx[FX_ACC_R_V2].desc;
	d.acc.hdr.type = SMC_CLC_PROPOSAL;
	CHECK_EQ(smc_clc_encode_acc_conf(buf, sizeof(buf), &d.acc), -EINVAL);
	d = fx[FX_ACC_R_V2].desc;
	d.acc.has_gidlist = true;	/* GID list needs first contact */
	CHECK_EQ(encode_desc(&d, buf, sizeof(buf)), -EINVAL);
	d = fx[FX_ACC_R_V2_FC].desc;
	d.acc.fce.len = SMC_CLC_FCE_LEN_V20;	/* SMC-R is always 52 */
	CHECK_EQ(encode_desc(&d, buf, sizeof(buf)), -EINVAL);
	d = fx[FX_CONF_R_V2_FC1].desc;
	d.acc.gid_cnt = SMC_CLC_MAX_GIDLIST + 1;
	CHECK_EQ(encode_desc(&d, buf, sizeof(buf)), -EINVAL);
	d = fx[FX_ACC_D_V2_FC36].desc;
	d.acc.fce.len = 40;
	CHECK_EQ(encode_desc(&d, buf, sizeof(buf)), -EINVAL);
	d = fx[FX_ACC_D_V2].desc;
	d.acc.has_gidlist = true;
	CHECK_EQ(encode_desc(&d, buf, sizeof(buf)), -EINVAL);

	d = fx[FX_DECL_V2].desc;
	d.decl.os_type = 16;
	CHECK_EQ(encode_desc(&d, buf, sizeof(buf)), -EINVAL);
	d.decl.os_type = 2;
	d.decl.hdr.version = 0;
	CHECK_EQ(encode_desc(&d, buf, sizeof(buf)), -EINVAL);
	return true;
}

/* FCE length picked like Linux when the caller leaves it at 0 */
static bool t_encode_fce_auto(const void *arg)
{
	struct smc_clc_accept_info a, out;
	u8 buf[SMC_CLC_MAX_LEN];

	(void)arg;
	a = fx[FX_ACC_D_V2_FC36].desc.acc;
	a.fce.len = 0;
	CHECK_EQ(smc_clc_encode_acc_conf(buf, sizeof(buf), &a), 114);
	a.fce.release = SMC_CLC_RELEASE_1;
	CHECK_EQ(smc_clc_encode_acc_conf(buf, sizeof(buf), &a), 130);
	CHECK_EQ(smc_clc_decode_acc_conf(buf, 130, &out), 130);
	CHECK_EQ(out.fce.len, 52);
	a = fx[FX_ACC_R_V2_FC].desc.acc;
	a.fce.len = 0;
	a.fce.release = SMC_CLC_RELEASE_0;
	CHECK_EQ(smc_clc_encode_acc_conf(buf, sizeof(buf), &a), 160);
	/* eyecatchers follow Linux: SMCD only for SMC-D ACCEPT/CONFIRM */
	CHECK(!memcmp(buf, EYE_R, 4) && !memcmp(buf + 156, EYE_R, 4));
	CHECK_EQ(smc_clc_encode_acc_conf(buf, sizeof(buf),
					 &fx[FX_CONF_D_V2].desc.acc), 78);
	CHECK(!memcmp(buf, EYE_D, 4) && !memcmp(buf + 74, EYE_D, 4));
	return true;
}

/* ------------------------------------------------------------------ */
/* reason strings                                                       */

/* every code of the protocol document, section 2.5.1 */
static const unsigned int doc_codes[] = {
	0x01010000, 0x02010000, 0x02020000, 0x03000000, 0x03010000,
	0x03020000, 0x03030000, 0x03030001, 0x03030002, 0x03030003,
	0x03030004, 0x03030005, 0x03030006, 0x03030007, 0x03030008,
	0x03030009, 0x0303000a, 0x0303000b, 0x03040000, 0x03050000,
	0x03060000, 0x03070000, 0x03080000, 0x03090000, 0x030a0000,
	0x030b0000, 0x030c0000, 0x030d0000, 0x030e0000, 0x030f0000,
	0x04000000, 0x05000000, 0x09990000, 0x09990001, 0x09990002,
	0x09990003,
};

static bool t_reasons_known(const void *arg)
{
	unsigned int i, j;

	(void)arg;
	for (i = 0; i < ARRAY_SIZE(doc_codes); i++) {
		const char *s = smc_clc_reason_str(doc_codes[i]);

		CHECK(s && strlen(s) > 8 && strlen(s) < 80);
		if (!strncmp(s, "unknown", 7)) {
			tap_diag("0x%08x has no specific text", doc_codes[i]);
			return false;
		}
		for (j = 0; j < i; j++)
			CHECK(strcmp(s, smc_clc_reason_str(doc_codes[j])));
	}
	CHECK_EQ(SMC_CLC_DECL_NOSMCDEV, 0x03030000);
	CHECK_EQ(SMC_CLC_DECL_PEERDECL, 0x05000000);
	CHECK_EQ(SMC_CLC_DECL_MAXLINKERR, 0x0303000b);
	CHECK(strstr(smc_clc_reason_str(0x03030000), "no SMC device found"));
	CHECK(strstr(smc_clc_reason_str(0x03010000), "TCP handshake"));
	return true;
}

static bool t_reasons_unknown(const void *arg)
{
	(void)arg;
	CHECK(strstr(smc_clc_reason_str(0x0303000c), "unknown"));
	CHECK(strstr(smc_clc_reason_str(0x0303000c), "configuration"));
	CHECK(strstr(smc_clc_reason_str(0x02ff0000), "timeout"));
	CHECK(strstr(smc_clc_reason_str(0x09990099), "internal"));
	CHECK(!strcmp(smc_clc_reason_str(0x12345678), "unknown reason code"));
	CHECK(!strcmp(smc_clc_reason_str(0xffffffff), "unknown reason code"));
	CHECK(smc_clc_reason_str(0) && *smc_clc_reason_str(0));
	/* codes old kernels still send must not read as "unknown" */
	CHECK(strncmp(smc_clc_reason_str(0x99990000), "unknown", 7));
	return true;
}

static bool t_rule_strings(const void *arg)
{
	unsigned int r;

	(void)arg;
	for (r = 0; r < SMC_CLC_RULE_MAX; r++)
		CHECK(strcmp(smc_clc_rule_str(r), "unknown check"));
	CHECK(!strcmp(smc_clc_rule_str(SMC_CLC_RULE_MAX), "unknown check"));
	return true;
}

/* ------------------------------------------------------------------ */
/* small encodings                                                      */

static bool t_encodings(const void *arg)
{
	u8 b[3];

	(void)arg;
	smc_clc_put_be24(b, 0x123456);
	CHECK(b[0] == 0x12 && b[1] == 0x34 && b[2] == 0x56);
	CHECK_EQ(smc_clc_get_be24(b), 0x123456);
	smc_clc_put_be24(b, 0xffffff);
	CHECK_EQ(smc_clc_get_be24(b), 0xffffff);

	CHECK_EQ(smc_clc_size_decode(0), 16384);
	CHECK_EQ(smc_clc_size_decode(5), 512 * 1024);
	CHECK_EQ(smc_clc_size_decode(15), 512 * 1024 * 1024);
	CHECK_EQ(smc_clc_size_encode(0, 15), 0);
	CHECK_EQ(smc_clc_size_encode(16384, 15), 0);
	CHECK_EQ(smc_clc_size_encode(16385, 15), 1);
	CHECK_EQ(smc_clc_size_encode(65536, 15), 2);
	CHECK_EQ(smc_clc_size_encode(65537, 15), 3);
	CHECK_EQ(smc_clc_size_encode(1 << 20, SMC_CLC_SMCR_MAX_NIB_V61), 5);
	CHECK_EQ(smc_clc_size_encode(1 << 20, SMC_CLC_SMCD_MAX_NIB), 6);
	CHECK_EQ(smc_clc_size_encode(0xffffffff, 15), 15);

	CHECK_EQ(smc_clc_mtu_decode(1), 256);
	CHECK_EQ(smc_clc_mtu_decode(5), 4096);
	CHECK_EQ(smc_clc_mtu_decode(0), 0);
	CHECK_EQ(smc_clc_mtu_decode(6), 0);
	CHECK_EQ(smc_clc_mtu_encode(4096), 5);
	CHECK_EQ(smc_clc_mtu_encode(1500), 3);
	CHECK_EQ(smc_clc_mtu_encode(9000), 5);
	CHECK_EQ(smc_clc_mtu_encode(255), 0);

	CHECK(smc_clc_type_has_r(SMC_TYPE_B) && !smc_clc_type_has_r(1));
	CHECK(smc_clc_type_has_d(SMC_TYPE_B) && !smc_clc_type_has_d(2));
	CHECK(!smc_clc_chid_is_emulated(0xfeff));
	CHECK(smc_clc_chid_is_emulated(0xff00));
	return true;
}

/* ------------------------------------------------------------------ */

#define MAX_CASES	256

int main(void)
{
	static struct tap_case cases[MAX_CASES];
	static char names[2 * FX_COUNT][96];
	unsigned int n = 0, i;

	build_fixtures();
	for (i = 0; i < FX_COUNT; i++)
		cases[n++] = (struct tap_case){ fx[i].name, t_roundtrip, &fx[i] };
	for (i = 0; i < FX_COUNT; i++) {
		snprintf(names[i], sizeof(names[i]),
			 "truncated at every length: %s", fx[i].name);
		cases[n++] = (struct tap_case){ names[i], t_truncation, &fx[i] };
	}
	for (i = 0; i < FX_COUNT; i++) {
		snprintf(names[FX_COUNT + i], sizeof(names[0]),
			 "encoder -ENOSPC at every short length: %s",
			 fx[i].name);
		cases[n++] = (struct tap_case){ names[FX_COUNT + i], t_enospc,
						&fx[i] };
	}
	for (i = 0; i < ARRAY_SIZE(goldens); i++)
		cases[n++] = (struct tap_case){ goldens[i].name, t_golden,
						&goldens[i] };
	cases[n++] = (struct tap_case){ "golden: loopback PROPOSAL fields",
					t_golden_loopback_fields, NULL };
	cases[n++] = (struct tap_case){ "golden: ACCEPT fields",
					t_golden_accept_fields, NULL };
	cases[n++] = (struct tap_case){ "golden: DECLINE fields",
					t_golden_decline_fields, NULL };
	for (i = 0; i < ARRAY_SIZE(mutations); i++)
		cases[n++] = (struct tap_case){ mutations[i].name, t_mutation,
						&mutations[i] };
	cases[n++] = (struct tap_case){ "hdr: fewer than 8 bytes",
					t_hdr_short, NULL };
	cases[n++] = (struct tap_case){ "hdr: reports the message length",
					t_hdr_length, NULL };
	cases[n++] = (struct tap_case){ "NULL and out-of-range arguments",
					t_args, NULL };
	cases[n++] = (struct tap_case){ "type-specific decoders refuse others",
					t_wrong_decoder, NULL };
	cases[n++] = (struct tap_case){ "v1 SMC-D area present only at offset 40",
					t_v1_d_layouts, NULL };
	cases[n++] = (struct tap_case){ "encoders refuse impossible descriptions",
					t_encode_einval, NULL };
	cases[n++] = (struct tap_case){ "encoder picks FCE size and eyecatchers like Linux",
					t_encode_fce_auto, NULL };
	cases[n++] = (struct tap_case){ "reason text for every documented code",
					t_reasons_known, NULL };
	cases[n++] = (struct tap_case){ "generic reason text for unknown codes",
					t_reasons_unknown, NULL };
	cases[n++] = (struct tap_case){ "every decoder check has a name",
					t_rule_strings, NULL };
	cases[n++] = (struct tap_case){ "24-bit, buffer size and MTU encodings",
					t_encodings, NULL };
	if (n > MAX_CASES) {
		printf("Bail out! too many cases\n");
		return 1;
	}
	return tap_run(cases, n);
}
