// SPDX-License-Identifier: GPL-2.0
/*
 * smc-ng: CLC message codec.
 *
 * Acceptance mirrors what a Linux 6.1 receiver takes from a Linux sender,
 * with these deliberate differences:
 *  - every byte the decoder hands out lies inside the message, so layouts
 *    that Linux would resolve by reading stale bytes of its receive buffer
 *    (extension offsets pointing past the end, a first-contact bit without
 *    a first-contact extension, ...) are rejected, and so are lengths that
 *    Linux tolerates by ignoring the surplus;
 *  - the optional areas of a v2 PROPOSAL must sit where every known
 *    sender puts them.  Linux checks the total length against the sum of
 *    the area sizes, so with non-overlapping areas that is the only
 *    layout that can pass anyway;
 *  - SMC-R v2 ACCEPT/CONFIRM may carry at most SMC_CLC_MAX_GIDLIST GIDs,
 *    which keeps every message within SMC_CLC_MAX_LEN;
 *  - the 130-byte SMC-D v2 form of v2.1 peers is understood (6.1 only
 *    knows 78 and 114).
 * smc_clc_check_hdr() applies the Linux header rules plus the two length
 * bounds above, so a caller learns early how much to read.
 */

#include "smc_clc_wire.h"

const u8 smc_clc_eye_r[SMC_CLC_EYECATCHER_LEN] = { 0xe2, 0xd4, 0xc3, 0xd9 };
const u8 smc_clc_eye_d[SMC_CLC_EYECATCHER_LEN] = { 0xe2, 0xd4, 0xc3, 0xc4 };

/* offsets inside a PROPOSAL that the extension offsets are relative to */
#define PROP_SMCD_POS		SMC_CLC_PROP_BASE_LEN
#define PROP_AREAS_POS		(PROP_SMCD_POS + sizeof(struct smc_clc_wire_prop_smcd))
#define PROP_V2EXT_REF		(PROP_SMCD_POS + \
				 offsetof(struct smc_clc_wire_prop_smcd, v2ext_off) + \
				 sizeof(__be16))
#define V2EXT_SMCD_REF		(offsetof(struct smc_clc_wire_v2ext, smcd_v2ext_off) + \
				 sizeof(__be16))

SMC_WIRE_PIN(PROP_AREAS_POS == 80);
SMC_WIRE_PIN(PROP_V2EXT_REF == 52);
SMC_WIRE_PIN(V2EXT_SMCD_REF == 8);

#define ACC_R_V2_BODY	(sizeof(struct smc_clc_wire_acc_r) + \
			 sizeof(struct smc_clc_wire_acc_r2))
#define ACC_D_V2_BODY	(sizeof(struct smc_clc_wire_acc_d) + \
			 sizeof(struct smc_clc_wire_acc_d2))

SMC_WIRE_PIN(ACC_R_V2_BODY == 104);
SMC_WIRE_PIN(ACC_D_V2_BODY == 74);

static bool smc_clc_eye_valid(const u8 *p)
{
	return !memcmp(p, smc_clc_eye_r, SMC_CLC_EYECATCHER_LEN) ||
	       !memcmp(p, smc_clc_eye_d, SMC_CLC_EYECATCHER_LEN);
}

static int smc_clc_reject(struct smc_clc_hdr_info *hi, int err,
			  enum smc_clc_rule rule)
{
	hi->rule = rule;
	return err;
}

static void smc_clc_hdr_unpack(const struct smc_clc_wire_hdr *h,
			       struct smc_clc_hdr_info *hi)
{
	u8 vt = h->vers_types;

	hi->type = h->type;
	hi->length = be16_to_cpu(h->length);
	hi->version = vt >> SMC_CLC_HDR_VERSION_SHIFT;
	hi->typev2 = (vt >> SMC_CLC_HDR_TYPEV2_SHIFT) & SMC_CLC_HDR_TYPE_MASK;
	hi->typev1 = vt & SMC_CLC_HDR_TYPE_MASK;
	hi->flag = vt & SMC_CLC_HDR_FLAG;
	hi->smcd_eye = !memcmp(h->eyecatcher, smc_clc_eye_d,
			       SMC_CLC_EYECATCHER_LEN);
}

static bool smc_clc_acc_len_ok(const struct smc_clc_hdr_info *hi)
{
	u16 l = hi->length;

	if (hi->version == SMC_CLC_V1)
		return l == (hi->typev1 == SMC_TYPE_R ? SMC_CLC_ACC_R_V1_LEN :
							 SMC_CLC_ACC_D_V1_LEN);
	if (hi->typev1 == SMC_TYPE_R)
		return l >= SMC_CLC_ACC_R_V2_LEN && l <= SMC_CLC_ACC_MAX_LEN;
	/* 6.1 only knows 78 and 114; 130 is what a v2.1 peer sends once
	 * release 1 is negotiated, which only happens if we proposed it.
	 */
	return l == SMC_CLC_ACC_D_V2_LEN ||
	       l == ACC_D_V2_BODY + SMC_CLC_FCE_LEN_V20 + SMC_CLC_TRL_LEN ||
	       l == ACC_D_V2_BODY + SMC_CLC_FCE_LEN_V21 + SMC_CLC_TRL_LEN;
}

/* the per-type length rule that can be judged from the header alone */
static enum smc_clc_rule smc_clc_len_rule(const struct smc_clc_hdr_info *hi)
{
	u16 l = hi->length;

	switch (hi->type) {
	case SMC_CLC_PROPOSAL:
		if (hi->version == SMC_CLC_V1) {
			if (l < SMC_CLC_PROP_V1_MIN_LEN ||
			    l > SMC_CLC_PROP_V1_MAX_LEN)
				return SMC_CLC_RULE_PROP_LEN_RANGE;
		} else if (l < SMC_CLC_PROP_V2_MIN_LEN ||
			   l > SMC_CLC_PROP_MAX_LEN) {
			return SMC_CLC_RULE_PROP_LEN_RANGE;
		}
		return SMC_CLC_RULE_OK;
	case SMC_CLC_ACCEPT:
	case SMC_CLC_CONFIRM:
		if (hi->typev1 != SMC_TYPE_R && hi->typev1 != SMC_TYPE_D)
			return SMC_CLC_RULE_AC_TYPEV1;
		return smc_clc_acc_len_ok(hi) ? SMC_CLC_RULE_OK :
						SMC_CLC_RULE_AC_LEN;
	case SMC_CLC_DECLINE:
		if (l != (hi->version == SMC_CLC_V1 ? SMC_CLC_DECL_V1_LEN :
						       SMC_CLC_DECL_V2_LEN))
			return SMC_CLC_RULE_DECL_LEN;
		return SMC_CLC_RULE_OK;
	}
	return SMC_CLC_RULE_TYPE;
}

int smc_clc_check_hdr(const void *buf, size_t len, u8 expected,
		      struct smc_clc_hdr_info *hi)
{
	const struct smc_clc_wire_hdr *h = buf;
	enum smc_clc_rule rule;

	if (!hi)
		return -EINVAL;
	memset(hi, 0, sizeof(*hi));
	if (!buf || expected > SMC_CLC_DECLINE)
		return smc_clc_reject(hi, -EINVAL, SMC_CLC_RULE_ARG);
	if (len < SMC_CLC_HDR_LEN)
		return smc_clc_reject(hi, -ENODATA, SMC_CLC_RULE_SHORT);

	smc_clc_hdr_unpack(h, hi);
	if (!smc_clc_eye_valid(h->eyecatcher))
		return smc_clc_reject(hi, -EPROTO, SMC_CLC_RULE_EYECATCHER);
	if (hi->version < SMC_CLC_V1)
		return smc_clc_reject(hi, -EPROTO, SMC_CLC_RULE_VERSION);
	/* a DECLINE may always stand in for the message we wait for */
	if (hi->type < SMC_CLC_PROPOSAL || hi->type > SMC_CLC_DECLINE ||
	    (expected && hi->type != expected &&
	     hi->type != SMC_CLC_DECLINE))
		return smc_clc_reject(hi, -EPROTO, SMC_CLC_RULE_TYPE);
	rule = smc_clc_len_rule(hi);
	if (rule != SMC_CLC_RULE_OK)
		return smc_clc_reject(hi, -EPROTO, rule);
	return hi->length;
}

/* Common start of every full decoder: header rules, the exact message
 * type, and the whole message present in the buffer.
 */
static int smc_clc_start(const void *buf, size_t len, u8 type_a, u8 type_b,
			 struct smc_clc_hdr_info *hi)
{
	int rc;

	rc = smc_clc_check_hdr(buf, len, 0, hi);
	if (rc < 0)
		return rc;
	if (hi->type != type_a && hi->type != type_b)
		return smc_clc_reject(hi, -EPROTO, SMC_CLC_RULE_TYPE);
	if (len < hi->length)
		return smc_clc_reject(hi, -ENODATA, SMC_CLC_RULE_TRUNCATED);
	return rc;
}

static int smc_clc_check_trl(const u8 *msg, struct smc_clc_hdr_info *hi)
{
	if (!smc_clc_eye_valid(msg + hi->length - SMC_CLC_TRL_LEN))
		return smc_clc_reject(hi, -EPROTO, SMC_CLC_RULE_TRAILER);
	return hi->length;
}

/* ------------------------------------------------------------------ */
/* PROPOSAL                                                             */

static int smc_clc_prop_prefix(const u8 *msg, size_t end, size_t pos,
			       struct smc_clc_prop_info *pi)
{
	const struct smc_clc_wire_prefix *pf;

	if (pos + sizeof(*pf) > end)
		return smc_clc_reject(&pi->hdr, -EPROTO, SMC_CLC_RULE_PROP_LEN);
	pf = (const struct smc_clc_wire_prefix *)(msg + pos);
	if (pf->v6_cnt > SMC_CLC_MAX_V6_PREFIX)
		return smc_clc_reject(&pi->hdr, -EPROTO,
				      SMC_CLC_RULE_PROP_V6_CNT);
	pi->has_prefix = true;
	pi->v4_subnet = pf->v4_subnet;
	pi->v4_prefix_len = pf->v4_prefix_len;
	pi->v6_cnt = pf->v6_cnt;
	/* stays inside the message: the caller checks the total length */
	pi->v6 = (const struct smc_clc_v6_prefix *)(pf + 1);
	return 0;
}

static size_t smc_clc_prefix_size(u8 v6_cnt)
{
	return sizeof(struct smc_clc_wire_prefix) +
	       v6_cnt * sizeof(struct smc_clc_v6_prefix);
}

static void smc_clc_prop_smcd(const u8 *msg, struct smc_clc_prop_info *pi)
{
	const struct smc_clc_wire_prop_smcd *sd;

	sd = (const struct smc_clc_wire_prop_smcd *)(msg + PROP_SMCD_POS);
	pi->has_smcd_area = true;
	pi->ism_gid = be64_to_cpu(sd->ism_gid);
	pi->ism_chid = be16_to_cpu(sd->ism_chid);
	memcpy(pi->vendor_oui, sd->vendor_oui, sizeof(pi->vendor_oui));
	memcpy(pi->vendor_exp, sd->vendor_exp, sizeof(pi->vendor_exp));
}

static int smc_clc_prop_v1(const u8 *msg, size_t end, u16 ipoff,
			   struct smc_clc_prop_info *pi)
{
	size_t pos = PROP_SMCD_POS + ipoff;
	int rc;

	if (pi->hdr.typev1 == SMC_TYPE_N)
		return smc_clc_reject(&pi->hdr, -EPROTO,
				      SMC_CLC_RULE_PROP_V1_NOTYPE);
	rc = smc_clc_prop_prefix(msg, end, pos, pi);
	if (rc)
		return rc;
	if (pos + smc_clc_prefix_size(pi->v6_cnt) != end)
		return smc_clc_reject(&pi->hdr, -EPROTO, SMC_CLC_RULE_PROP_LEN);
	/* Before v2 the SMC-D area was optional; Linux looks at it only when
	 * the prefix area is pushed back by exactly its size.
	 */
	if (ipoff == sizeof(struct smc_clc_wire_prop_smcd))
		smc_clc_prop_smcd(msg, pi);
	return 0;
}

static void smc_clc_prop_v2ext(const struct smc_clc_wire_v2ext *v2,
			       struct smc_clc_prop_info *pi)
{
	pi->has_v2ext = true;
	pi->release = v2->flags >> SMC_CLC_V2F_RELEASE_SHIFT;
	pi->seid_valid = v2->flags & SMC_CLC_V2F_SEID;
	pi->eid_cnt = v2->eid_cnt;
	pi->eids = (const u8 (*)[SMC_CLC_EID_LEN])(v2 + 1);
	memcpy(pi->roce_gid, v2->roce_gid, sizeof(pi->roce_gid));
	pi->max_conns = v2->max_conns;
	pi->max_links = v2->max_links;
	pi->feature_mask = be16_to_cpu(v2->feature_mask);
}

static int smc_clc_prop_smcd_v2ext(const u8 *msg, size_t end, size_t pos,
				   u8 cnt, struct smc_clc_prop_info *pi)
{
	const struct smc_clc_wire_smcd_v2ext *dx;
	const struct smc_clc_wire_gid_chid *ent;
	unsigned int i;

	if (pos + sizeof(*dx) + cnt * sizeof(*ent) > end)
		return smc_clc_reject(&pi->hdr, -EPROTO, SMC_CLC_RULE_PROP_LEN);
	dx = (const struct smc_clc_wire_smcd_v2ext *)(msg + pos);
	ent = (const struct smc_clc_wire_gid_chid *)(dx + 1);
	pi->has_smcd_v2ext = true;
	memcpy(pi->seid, dx->seid, sizeof(pi->seid));
	pi->ism_cnt = cnt;
	for (i = 0; i < cnt; i++) {
		pi->ism[i].gid = be64_to_cpu(ent[i].gid);
		pi->ism[i].chid = be16_to_cpu(ent[i].chid);
	}
	return 0;
}

static int smc_clc_prop_v2(const u8 *msg, size_t end, u16 ipoff,
			   struct smc_clc_prop_info *pi)
{
	const struct smc_clc_wire_prop_smcd *sd;
	const struct smc_clc_wire_v2ext *v2;
	size_t pos = PROP_AREAS_POS;
	size_t v2pos;
	u16 off;
	int rc;

	sd = (const struct smc_clc_wire_prop_smcd *)(msg + PROP_SMCD_POS);
	smc_clc_prop_smcd(msg, pi);

	if (pi->hdr.typev1 != SMC_TYPE_N) {
		if (ipoff != sizeof(*sd))
			return smc_clc_reject(&pi->hdr, -EPROTO,
					      SMC_CLC_RULE_PROP_IPAREA_OFF);
		rc = smc_clc_prop_prefix(msg, end, pos, pi);
		if (rc)
			return rc;
		pos += smc_clc_prefix_size(pi->v6_cnt);
	} else {
		/* Nothing offered for v1, yet Linux still reads a prefix
		 * header at the offset and fails on a count above 8.
		 * Senders keep the offset 0 and bytes 40..49 zero for that.
		 */
		if (PROP_SMCD_POS + ipoff + sizeof(struct smc_clc_wire_prefix) >
		    end)
			return smc_clc_reject(&pi->hdr, -EPROTO,
					      SMC_CLC_RULE_PROP_IPAREA_OFF);
		if (msg[PROP_SMCD_POS + ipoff +
			offsetof(struct smc_clc_wire_prefix, v6_cnt)] >
		    SMC_CLC_MAX_V6_PREFIX)
			return smc_clc_reject(&pi->hdr, -EPROTO,
					      SMC_CLC_RULE_PROP_V6_CNT);
	}

	if (pi->hdr.typev2 == SMC_TYPE_N)
		goto out;

	/* Linux bounds the offset by 172 (the end of a full prefix area);
	 * the exact position required here implies that bound.
	 */
	off = be16_to_cpu(sd->v2ext_off);
	if (!off || PROP_V2EXT_REF + off != pos)
		return smc_clc_reject(&pi->hdr, -EPROTO,
				      SMC_CLC_RULE_PROP_V2EXT_OFF);
	if (pos + sizeof(*v2) > end)
		return smc_clc_reject(&pi->hdr, -EPROTO, SMC_CLC_RULE_PROP_LEN);
	v2 = (const struct smc_clc_wire_v2ext *)(msg + pos);
	if (v2->eid_cnt > SMC_CLC_MAX_UEID)
		return smc_clc_reject(&pi->hdr, -EPROTO,
				      SMC_CLC_RULE_PROP_EID_CNT);
	smc_clc_prop_v2ext(v2, pi);
	v2pos = pos;
	pos += sizeof(*v2) + v2->eid_cnt * SMC_CLC_EID_LEN;

	if (!smc_clc_type_has_d(pi->hdr.typev2))
		goto out;

	if (v2->ism_gid_cnt > SMC_CLC_MAX_ISM_GIDS)
		return smc_clc_reject(&pi->hdr, -EPROTO,
				      SMC_CLC_RULE_PROP_ISM_CNT);
	/* bounded by 288 in Linux; implied as above */
	off = be16_to_cpu(v2->smcd_v2ext_off);
	if (!off || v2pos + V2EXT_SMCD_REF + off != pos)
		return smc_clc_reject(&pi->hdr, -EPROTO,
				      SMC_CLC_RULE_PROP_SMCD_V2EXT_OFF);
	rc = smc_clc_prop_smcd_v2ext(msg, end, pos, v2->ism_gid_cnt, pi);
	if (rc)
		return rc;
	pos += sizeof(struct smc_clc_wire_smcd_v2ext) +
	       v2->ism_gid_cnt * sizeof(struct smc_clc_wire_gid_chid);
out:
	if (pos != end)
		return smc_clc_reject(&pi->hdr, -EPROTO, SMC_CLC_RULE_PROP_LEN);
	return 0;
}

int smc_clc_decode_proposal(const void *buf, size_t len,
			    struct smc_clc_prop_info *pi)
{
	const struct smc_clc_wire_prop *wp = buf;
	size_t end;
	u16 ipoff;
	int rc;

	if (!pi)
		return -EINVAL;
	memset(pi, 0, sizeof(*pi));
	rc = smc_clc_start(buf, len, SMC_CLC_PROPOSAL, SMC_CLC_PROPOSAL,
			   &pi->hdr);
	if (rc < 0)
		return rc;

	memcpy(pi->sys_id, wp->sys_id, sizeof(pi->sys_id));
	memcpy(pi->gid, wp->gid, sizeof(pi->gid));
	memcpy(pi->mac, wp->mac, sizeof(pi->mac));
	ipoff = be16_to_cpu(wp->iparea_off);
	if (ipoff > sizeof(struct smc_clc_wire_prop_smcd))
		return smc_clc_reject(&pi->hdr, -EPROTO,
				      SMC_CLC_RULE_PROP_IPAREA_OFF);

	/* no area may reach into the trailer */
	end = pi->hdr.length - SMC_CLC_TRL_LEN;
	if (pi->hdr.version == SMC_CLC_V1)
		rc = smc_clc_prop_v1(buf, end, ipoff, pi);
	else
		rc = smc_clc_prop_v2(buf, end, ipoff, pi);
	if (rc)
		return rc;
	return smc_clc_check_trl(buf, &pi->hdr);
}

/* the length an encoded proposal will have, or 0 if @pi cannot be encoded */
static size_t smc_clc_prop_size(const struct smc_clc_prop_info *pi)
{
	const struct smc_clc_hdr_info *hi = &pi->hdr;
	size_t l = SMC_CLC_PROP_BASE_LEN;

	if (hi->version < SMC_CLC_V1 || hi->version > 15 ||
	    hi->typev1 > SMC_TYPE_B || hi->typev2 > SMC_TYPE_B ||
	    pi->v6_cnt > SMC_CLC_MAX_V6_PREFIX || (pi->v6_cnt && !pi->v6))
		return 0;

	if (hi->version == SMC_CLC_V1) {
		if (hi->typev1 == SMC_TYPE_N)
			return 0;
		if (pi->has_smcd_area)
			l += sizeof(struct smc_clc_wire_prop_smcd);
		return l + smc_clc_prefix_size(pi->v6_cnt) + SMC_CLC_TRL_LEN;
	}

	l += sizeof(struct smc_clc_wire_prop_smcd);
	if (hi->typev1 != SMC_TYPE_N)
		l += smc_clc_prefix_size(pi->v6_cnt);
	else if ((pi->ism_gid & 0xff) > SMC_CLC_MAX_V6_PREFIX)
		/* Linux would read this byte as a prefix count, see above */
		return 0;
	if (hi->typev2 != SMC_TYPE_N) {
		if (pi->eid_cnt > SMC_CLC_MAX_UEID ||
		    (pi->eid_cnt && !pi->eids) ||
		    pi->release > 15)
			return 0;
		l += sizeof(struct smc_clc_wire_v2ext) +
		     pi->eid_cnt * SMC_CLC_EID_LEN;
	}
	if (smc_clc_type_has_d(hi->typev2)) {
		if (pi->ism_cnt > SMC_CLC_MAX_ISM_GIDS)
			return 0;
		l += sizeof(struct smc_clc_wire_smcd_v2ext) +
		     pi->ism_cnt * sizeof(struct smc_clc_wire_gid_chid);
	}
	return l + SMC_CLC_TRL_LEN;
}

static void smc_clc_put_hdr(u8 *msg, u8 type, size_t total, u8 vers_types,
			    const u8 *eye)
{
	struct smc_clc_wire_hdr *h = (struct smc_clc_wire_hdr *)msg;

	memcpy(h->eyecatcher, eye, SMC_CLC_EYECATCHER_LEN);
	h->type = type;
	h->length = cpu_to_be16((u16)total);
	h->vers_types = vers_types;
	memcpy(msg + total - SMC_CLC_TRL_LEN, eye, SMC_CLC_EYECATCHER_LEN);
}

static u8 smc_clc_vers_types(u8 version, u8 typev2, u8 typev1)
{
	return version << SMC_CLC_HDR_VERSION_SHIFT |
	       typev2 << SMC_CLC_HDR_TYPEV2_SHIFT | typev1;
}

static size_t smc_clc_put_prefix(u8 *p, const struct smc_clc_prop_info *pi)
{
	struct smc_clc_wire_prefix *pf = (struct smc_clc_wire_prefix *)p;

	pf->v4_subnet = pi->v4_subnet;
	pf->v4_prefix_len = pi->v4_prefix_len;
	pf->v6_cnt = pi->v6_cnt;
	if (pi->v6_cnt)
		memcpy(pf + 1, pi->v6, pi->v6_cnt * sizeof(*pi->v6));
	return smc_clc_prefix_size(pi->v6_cnt);
}

static size_t smc_clc_put_v2ext(u8 *p, const struct smc_clc_prop_info *pi,
				bool with_smcd)
{
	struct smc_clc_wire_v2ext *v2 = (struct smc_clc_wire_v2ext *)p;
	size_t eids = pi->eid_cnt * SMC_CLC_EID_LEN;

	v2->eid_cnt = pi->eid_cnt;
	v2->ism_gid_cnt = with_smcd ? pi->ism_cnt : 0;
	v2->flags = pi->release << SMC_CLC_V2F_RELEASE_SHIFT |
		    (pi->seid_valid ? SMC_CLC_V2F_SEID : 0);
	if (with_smcd)
		v2->smcd_v2ext_off =
			cpu_to_be16(sizeof(*v2) - V2EXT_SMCD_REF + eids);
	memcpy(v2->roce_gid, pi->roce_gid, sizeof(v2->roce_gid));
	v2->max_conns = pi->max_conns;
	v2->max_links = pi->max_links;
	v2->feature_mask = cpu_to_be16(pi->feature_mask);
	if (eids)
		memcpy(v2 + 1, pi->eids, eids);
	return sizeof(*v2) + eids;
}

static size_t smc_clc_put_smcd_v2ext(u8 *p,
				     const struct smc_clc_prop_info *pi)
{
	struct smc_clc_wire_smcd_v2ext *dx = (struct smc_clc_wire_smcd_v2ext *)p;
	struct smc_clc_wire_gid_chid *ent = (struct smc_clc_wire_gid_chid *)(dx + 1);
	unsigned int i;

	memcpy(dx->seid, pi->seid, sizeof(dx->seid));
	for (i = 0; i < pi->ism_cnt; i++) {
		ent[i].gid = cpu_to_be64(pi->ism[i].gid);
		ent[i].chid = cpu_to_be16(pi->ism[i].chid);
	}
	return sizeof(*dx) + pi->ism_cnt * sizeof(*ent);
}

int smc_clc_encode_proposal(void *buf, size_t len,
			    const struct smc_clc_prop_info *pi)
{
	const struct smc_clc_hdr_info *hi;
	struct smc_clc_wire_prop_smcd *sd;
	struct smc_clc_wire_prop *wp = buf;
	u8 *msg = buf;
	size_t total, pos;

	if (!pi)
		return -EINVAL;
	hi = &pi->hdr;
	total = smc_clc_prop_size(pi);
	if (!total)
		return -EINVAL;
	if (!buf || len < total)
		return -ENOSPC;
	memset(msg, 0, total);

	/* Linux sends "SMCR" for every proposal, SMC-D-only ones included */
	smc_clc_put_hdr(msg, SMC_CLC_PROPOSAL, total,
			smc_clc_vers_types(hi->version, hi->typev2, hi->typev1),
			smc_clc_eye_r);
	memcpy(wp->sys_id, pi->sys_id, sizeof(wp->sys_id));
	memcpy(wp->gid, pi->gid, sizeof(wp->gid));
	memcpy(wp->mac, pi->mac, sizeof(wp->mac));

	sd = (struct smc_clc_wire_prop_smcd *)(msg + PROP_SMCD_POS);
	pos = PROP_SMCD_POS;
	if (hi->version >= SMC_CLC_V2 || pi->has_smcd_area) {
		sd->ism_gid = cpu_to_be64(pi->ism_gid);
		sd->ism_chid = cpu_to_be16(pi->ism_chid);
		memcpy(sd->vendor_oui, pi->vendor_oui, sizeof(sd->vendor_oui));
		memcpy(sd->vendor_exp, pi->vendor_exp, sizeof(sd->vendor_exp));
		pos += sizeof(*sd);
	}
	if (hi->version == SMC_CLC_V1 || hi->typev1 != SMC_TYPE_N) {
		wp->iparea_off = cpu_to_be16(pos - PROP_SMCD_POS);
		pos += smc_clc_put_prefix(msg + pos, pi);
	}
	if (hi->version >= SMC_CLC_V2 && hi->typev2 != SMC_TYPE_N) {
		sd->v2ext_off = cpu_to_be16(pos - PROP_V2EXT_REF);
		pos += smc_clc_put_v2ext(msg + pos, pi,
					 smc_clc_type_has_d(hi->typev2));
		if (smc_clc_type_has_d(hi->typev2))
			pos += smc_clc_put_smcd_v2ext(msg + pos, pi);
	}
	return (int)total;
}

/* ------------------------------------------------------------------ */
/* ACCEPT / CONFIRM                                                     */

static void smc_clc_fce_unpack(const u8 *p, u8 flen,
			       struct smc_clc_fce_info *fi)
{
	const struct smc_clc_wire_fce *f = (const struct smc_clc_wire_fce *)p;

	fi->len = flen;
	fi->v2_direct = f->flags & SMC_CLC_FCE_V2_DIRECT;
	fi->os_type = f->os_release >> 4;
	fi->release = f->os_release & 0x0f;
	memcpy(fi->hostname, f->hostname, sizeof(fi->hostname));
	/* the tail exists only in the 52-byte form; never touch it otherwise */
	if (flen < SMC_CLC_FCE_LEN_V21)
		return;
	fi->max_conns = f->max_conns;
	fi->max_links = f->max_links;
	fi->feature_mask = be16_to_cpu(f->feature_mask);
	memcpy(fi->vendor_exp, f->vendor_exp, sizeof(fi->vendor_exp));
}

static int smc_clc_acc_d(const u8 *msg, struct smc_clc_accept_info *ai)
{
	const struct smc_clc_wire_acc_d *d = (const struct smc_clc_wire_acc_d *)msg;
	const struct smc_clc_wire_acc_d2 *d2;
	u16 l = ai->hdr.length;
	size_t flen;
	bool has_fce;

	ai->d.gid = be64_to_cpu(d->gid);
	ai->d.token = be64_to_cpu(d->token);
	ai->d.dmbe_idx = d->dmbe_idx;
	ai->d.dmbe_size = d->dmbe_size >> 4;
	ai->d.linkid = be32_to_cpu(d->linkid);
	if (ai->hdr.version == SMC_CLC_V1)
		return 0;	/* length 48 already enforced */

	d2 = (const struct smc_clc_wire_acc_d2 *)(d + 1);
	ai->d.chid = be16_to_cpu(d2->chid);
	memcpy(ai->eid, d2->eid, sizeof(ai->eid));
	ai->d.gid_ext = be64_to_cpu(d2->gid_ext);

	/* the header check left 78, 114 and 130; tie them to the FC bit */
	flen = l - ACC_D_V2_BODY - SMC_CLC_TRL_LEN;
	has_fce = flen;
	if (ai->first_contact != has_fce)
		return smc_clc_reject(&ai->hdr, -EPROTO,
				      SMC_CLC_RULE_AC_FCE_LEN);
	if (flen)
		smc_clc_fce_unpack(msg + ACC_D_V2_BODY, flen, &ai->fce);
	return 0;
}

static int smc_clc_acc_r(const u8 *msg, struct smc_clc_accept_info *ai)
{
	const struct smc_clc_wire_acc_r *r = (const struct smc_clc_wire_acc_r *)msg;
	const struct smc_clc_wire_acc_r2 *r2;
	const struct smc_clc_wire_gidlist *gl;
	size_t pos = ACC_R_V2_BODY;
	u16 l = ai->hdr.length;
	size_t need;

	memcpy(ai->r.sys_id, r->sys_id, sizeof(ai->r.sys_id));
	memcpy(ai->r.gid, r->gid, sizeof(ai->r.gid));
	memcpy(ai->r.mac, r->mac, sizeof(ai->r.mac));
	ai->r.qpn = smc_clc_get_be24(r->qpn);
	ai->r.rmb_rkey = be32_to_cpu(r->rmb_rkey);
	ai->r.rmbe_idx = r->rmbe_idx;
	ai->r.rmbe_token = be32_to_cpu(r->rmbe_token);
	ai->r.rmbe_size = r->size_mtu >> 4;
	ai->r.qp_mtu = r->size_mtu & 0x0f;
	ai->r.rmb_addr = be64_to_cpu(r->rmb_addr);
	ai->r.psn = smc_clc_get_be24(r->psn);
	if (ai->hdr.version == SMC_CLC_V1)
		return 0;	/* length 68 already enforced */

	r2 = (const struct smc_clc_wire_acc_r2 *)(r + 1);
	memcpy(ai->eid, r2->eid, sizeof(ai->eid));
	if (!ai->first_contact) {
		if (l != SMC_CLC_ACC_R_V2_LEN)
			return smc_clc_reject(&ai->hdr, -EPROTO,
					      SMC_CLC_RULE_AC_FCE_LEN);
		return 0;
	}
	if (l < SMC_CLC_ACC_R_V2_FC_LEN)
		return smc_clc_reject(&ai->hdr, -EPROTO,
				      SMC_CLC_RULE_AC_FCE_LEN);
	smc_clc_fce_unpack(msg + pos, SMC_CLC_FCE_LEN_V21, &ai->fce);
	pos += SMC_CLC_FCE_LEN_V21;
	if (l == SMC_CLC_ACC_R_V2_FC_LEN)
		return 0;

	/* Whatever follows the FCE must be exactly one GID list.  Its count
	 * byte is inside the message: the length is at least 161 here.
	 */
	gl = (const struct smc_clc_wire_gidlist *)(msg + pos);
	need = pos + sizeof(*gl) + gl->gid_cnt * SMC_CLC_GID_LEN +
	       SMC_CLC_TRL_LEN;
	if (gl->gid_cnt > SMC_CLC_MAX_GIDLIST || need != l)
		return smc_clc_reject(&ai->hdr, -EPROTO,
				      SMC_CLC_RULE_AC_GID_CNT);
	ai->has_gidlist = true;
	ai->gid_cnt = gl->gid_cnt;
	ai->gids = (const u8 (*)[SMC_CLC_GID_LEN])(gl + 1);
	return 0;
}

int smc_clc_decode_acc_conf(const void *buf, size_t len,
			    struct smc_clc_accept_info *ai)
{
	int rc;

	if (!ai)
		return -EINVAL;
	memset(ai, 0, sizeof(*ai));
	rc = smc_clc_start(buf, len, SMC_CLC_ACCEPT, SMC_CLC_CONFIRM,
			   &ai->hdr);
	if (rc < 0)
		return rc;
	ai->smcd = ai->hdr.typev1 == SMC_TYPE_D;
	ai->first_contact = ai->hdr.flag;
	rc = ai->smcd ? smc_clc_acc_d(buf, ai) : smc_clc_acc_r(buf, ai);
	if (rc)
		return rc;
	return smc_clc_check_trl(buf, &ai->hdr);
}

/* FCE size to emit, 0 for none, -EINVAL if @ai asks for an impossible one */
static int smc_clc_acc_fce_len(const struct smc_clc_accept_info *ai)
{
	const struct smc_clc_fce_info *fi = &ai->fce;

	if (ai->hdr.version < SMC_CLC_V2 || !ai->first_contact)
		return 0;
	if (fi->os_type > 15 || fi->release > 15)
		return -EINVAL;
	/* SMC-R always carries the 52-byte form, 6.1 included */
	if (!ai->smcd)
		return fi->len == 0 || fi->len == SMC_CLC_FCE_LEN_V21 ?
		       SMC_CLC_FCE_LEN_V21 : -EINVAL;
	if (fi->len == SMC_CLC_FCE_LEN_V20 || fi->len == SMC_CLC_FCE_LEN_V21)
		return fi->len;
	if (fi->len)
		return -EINVAL;
	/* a 6.1 peer rejects 130-byte SMC-D messages; send 52 only for v2.1 */
	return fi->release >= SMC_CLC_RELEASE_1 ? SMC_CLC_FCE_LEN_V21 :
						  SMC_CLC_FCE_LEN_V20;
}

static void smc_clc_fce_pack(u8 *p, int flen, const struct smc_clc_fce_info *fi)
{
	struct smc_clc_wire_fce *f = (struct smc_clc_wire_fce *)p;

	f->flags = fi->v2_direct ? SMC_CLC_FCE_V2_DIRECT : 0;
	f->os_release = fi->os_type << 4 | fi->release;
	memcpy(f->hostname, fi->hostname, sizeof(f->hostname));
	if (flen < SMC_CLC_FCE_LEN_V21)
		return;
	f->max_conns = fi->max_conns;
	f->max_links = fi->max_links;
	f->feature_mask = cpu_to_be16(fi->feature_mask);
	memcpy(f->vendor_exp, fi->vendor_exp, sizeof(f->vendor_exp));
}

static void smc_clc_put_acc_d(u8 *msg, const struct smc_clc_accept_info *ai)
{
	struct smc_clc_wire_acc_d *d = (struct smc_clc_wire_acc_d *)msg;
	struct smc_clc_wire_acc_d2 *d2 = (struct smc_clc_wire_acc_d2 *)(d + 1);

	d->gid = cpu_to_be64(ai->d.gid);
	d->token = cpu_to_be64(ai->d.token);
	d->dmbe_idx = ai->d.dmbe_idx;
	d->dmbe_size = ai->d.dmbe_size << 4;
	d->linkid = cpu_to_be32(ai->d.linkid);
	if (ai->hdr.version == SMC_CLC_V1)
		return;
	d2->chid = cpu_to_be16(ai->d.chid);
	memcpy(d2->eid, ai->eid, sizeof(d2->eid));
	d2->gid_ext = cpu_to_be64(ai->d.gid_ext);
}

static void smc_clc_put_acc_r(u8 *msg, const struct smc_clc_accept_info *ai)
{
	struct smc_clc_wire_acc_r *r = (struct smc_clc_wire_acc_r *)msg;
	struct smc_clc_wire_acc_r2 *r2 = (struct smc_clc_wire_acc_r2 *)(r + 1);

	memcpy(r->sys_id, ai->r.sys_id, sizeof(r->sys_id));
	memcpy(r->gid, ai->r.gid, sizeof(r->gid));
	memcpy(r->mac, ai->r.mac, sizeof(r->mac));
	smc_clc_put_be24(r->qpn, ai->r.qpn);
	r->rmb_rkey = cpu_to_be32(ai->r.rmb_rkey);
	r->rmbe_idx = ai->r.rmbe_idx;
	r->rmbe_token = cpu_to_be32(ai->r.rmbe_token);
	r->size_mtu = ai->r.rmbe_size << 4 | ai->r.qp_mtu;
	r->rmb_addr = cpu_to_be64(ai->r.rmb_addr);
	smc_clc_put_be24(r->psn, ai->r.psn);
	if (ai->hdr.version == SMC_CLC_V1)
		return;
	memcpy(r2->eid, ai->eid, sizeof(r2->eid));
}

int smc_clc_encode_acc_conf(void *buf, size_t len,
			    const struct smc_clc_accept_info *ai)
{
	u8 *msg = buf;
	size_t total;
	int flen;

	if (!ai || (ai->hdr.type != SMC_CLC_ACCEPT &&
		    ai->hdr.type != SMC_CLC_CONFIRM) ||
	    ai->hdr.version < SMC_CLC_V1 || ai->hdr.version > 15)
		return -EINVAL;
	flen = smc_clc_acc_fce_len(ai);
	if (flen < 0)
		return flen;
	if (ai->smcd) {
		if (ai->d.dmbe_size > 15 || ai->has_gidlist)
			return -EINVAL;
		total = ai->hdr.version == SMC_CLC_V1 ? SMC_CLC_ACC_D_V1_LEN :
			ACC_D_V2_BODY + flen + SMC_CLC_TRL_LEN;
	} else {
		if (ai->r.qpn > 0xffffff || ai->r.psn > 0xffffff ||
		    ai->r.rmbe_size > 15 || ai->r.qp_mtu > 15)
			return -EINVAL;
		if (ai->has_gidlist &&
		    (!flen || ai->gid_cnt > SMC_CLC_MAX_GIDLIST ||
		     (ai->gid_cnt && !ai->gids)))
			return -EINVAL;
		total = ai->hdr.version == SMC_CLC_V1 ? SMC_CLC_ACC_R_V1_LEN :
			ACC_R_V2_BODY + flen + SMC_CLC_TRL_LEN;
		if (ai->has_gidlist)
			total += sizeof(struct smc_clc_wire_gidlist) +
				 ai->gid_cnt * SMC_CLC_GID_LEN;
	}
	if (!buf || len < total)
		return -ENOSPC;
	memset(msg, 0, total);

	smc_clc_put_hdr(msg, ai->hdr.type, total,
			smc_clc_vers_types(ai->hdr.version, 0,
					   ai->smcd ? SMC_TYPE_D : SMC_TYPE_R) |
			(ai->first_contact ? SMC_CLC_HDR_FLAG : 0),
			ai->smcd ? smc_clc_eye_d : smc_clc_eye_r);
	if (ai->smcd) {
		smc_clc_put_acc_d(msg, ai);
		if (flen)
			smc_clc_fce_pack(msg + ACC_D_V2_BODY, flen, &ai->fce);
	} else {
		smc_clc_put_acc_r(msg, ai);
		if (flen)
			smc_clc_fce_pack(msg + ACC_R_V2_BODY, flen, &ai->fce);
		if (ai->has_gidlist) {
			u8 *gl = msg + ACC_R_V2_BODY + flen;

			gl[0] = ai->gid_cnt;
			if (ai->gid_cnt)
				memcpy(gl + sizeof(struct smc_clc_wire_gidlist),
				       ai->gids, ai->gid_cnt * SMC_CLC_GID_LEN);
		}
	}
	return (int)total;
}

/* ------------------------------------------------------------------ */
/* DECLINE                                                              */

int smc_clc_decode_decline(const void *buf, size_t len,
			   struct smc_clc_decline_info *di)
{
	const struct smc_clc_wire_decl *wd = buf;
	const __be32 *extra;
	unsigned int i;
	int rc;

	if (!di)
		return -EINVAL;
	memset(di, 0, sizeof(*di));
	rc = smc_clc_start(buf, len, SMC_CLC_DECLINE, SMC_CLC_DECLINE,
			   &di->hdr);
	if (rc < 0)
		return rc;
	di->out_of_sync = di->hdr.flag;
	memcpy(di->sys_id, wd->sys_id, sizeof(di->sys_id));
	di->diag = be32_to_cpu(wd->diag);
	di->os_type = wd->os >> 4;
	if (di->hdr.version >= SMC_CLC_V2) {
		extra = (const __be32 *)(wd + 1);
		for (i = 0; i < SMC_CLC_DECL_DIAG_V2; i++)
			di->diag2[i] = be32_to_cpu(extra[i]);
	}
	/* Trailer deliberately unchecked, as in Linux: a sloppy DECLINE must
	 * still end in a fallback rather than a failed connection.
	 */
	return rc;
}

int smc_clc_encode_decline(void *buf, size_t len,
			   const struct smc_clc_decline_info *di)
{
	struct smc_clc_wire_decl *wd = buf;
	__be32 *extra;
	unsigned int i;
	size_t total;

	if (!di || di->hdr.version < SMC_CLC_V1 || di->hdr.version > 15 ||
	    di->os_type > 15)
		return -EINVAL;
	total = di->hdr.version == SMC_CLC_V1 ? SMC_CLC_DECL_V1_LEN :
						SMC_CLC_DECL_V2_LEN;
	if (!buf || len < total)
		return -ENOSPC;
	memset(buf, 0, total);
	smc_clc_put_hdr(buf, SMC_CLC_DECLINE, total,
			smc_clc_vers_types(di->hdr.version, 0, 0) |
			(di->out_of_sync ? SMC_CLC_HDR_FLAG : 0),
			smc_clc_eye_r);
	memcpy(wd->sys_id, di->sys_id, sizeof(wd->sys_id));
	wd->diag = cpu_to_be32(di->diag);
	wd->os = di->os_type << 4;
	if (di->hdr.version >= SMC_CLC_V2) {
		extra = (__be32 *)(wd + 1);
		for (i = 0; i < SMC_CLC_DECL_DIAG_V2; i++)
			extra[i] = cpu_to_be32(di->diag2[i]);
	}
	return (int)total;
}

/* ------------------------------------------------------------------ */

int smc_clc_decode(const void *buf, size_t len, u8 expected,
		   union smc_clc_msg_info *mi)
{
	struct smc_clc_hdr_info hi;
	int rc;

	if (!mi)
		return -EINVAL;
	rc = smc_clc_check_hdr(buf, len, expected, &hi);
	if (rc < 0) {
		memset(mi, 0, sizeof(*mi));
		mi->hdr = hi;
		return rc;
	}
	switch (hi.type) {
	case SMC_CLC_PROPOSAL:
		return smc_clc_decode_proposal(buf, len, &mi->prop);
	case SMC_CLC_ACCEPT:
	case SMC_CLC_CONFIRM:
		return smc_clc_decode_acc_conf(buf, len, &mi->acc);
	default:
		return smc_clc_decode_decline(buf, len, &mi->decl);
	}
}

/* ------------------------------------------------------------------ */
/* Text                                                                 */

struct smc_clc_reason {
	u32		code;
	const char	*text;
};

/* Written for people reading a log line or smcss output: say what went
 * wrong and, where it helps, on which side.
 */
static const struct smc_clc_reason smc_clc_reasons[] = {
	{ 0, "no fallback" },
	{ SMC_CLC_DECL_MEM, "out of memory for SMC buffers or link group" },
	{ SMC_CLC_DECL_TIMEOUT_CL,
	  "timed out waiting for the first link to be confirmed (LLC CONFIRM_LINK)" },
	{ SMC_CLC_DECL_TIMEOUT_AL,
	  "timed out waiting for a second link (LLC ADD_LINK)" },
	{ SMC_CLC_DECL_CNFERR,
	  "configuration error, e.g. no IP prefix for the interface" },
	{ SMC_CLC_DECL_PEERNOSMC,
	  "peer does not support SMC (no SMC option in the TCP handshake)" },
	{ SMC_CLC_DECL_IPSEC, "IPsec is used on this connection" },
	{ SMC_CLC_DECL_NOSMCDEV,
	  "no SMC device found (no usable SMC-R or SMC-D device)" },
	{ SMC_CLC_DECL_NOSMCDDEV, "no SMC-D (ISM) device found" },
	{ SMC_CLC_DECL_NOSMCRDEV, "no SMC-R (RoCE) device found" },
	{ SMC_CLC_DECL_NOISM2SUPP, "no SMC-Dv2 capable ISM device here" },
	{ SMC_CLC_DECL_NOV2EXT, "peer's proposal lacks the SMCv2 extension" },
	{ SMC_CLC_DECL_NOV2DEXT,
	  "peer's proposal lacks the SMC-Dv2 extension" },
	{ SMC_CLC_DECL_NOSEID, "peer sent no system EID (SEID)" },
	{ SMC_CLC_DECL_NOSMCD2DEV,
	  "no SMC-Dv2 device in common with the peer (or EIDs differ)" },
	{ SMC_CLC_DECL_NOUEID,
	  "no common user EID (UEID) configured with the peer" },
	{ SMC_CLC_DECL_RELEASEERR,
	  "SMCv2 release in CONFIRM differs from the one accepted" },
	{ SMC_CLC_DECL_MAXCONNERR,
	  "could not agree on max connections per link group (v2.1)" },
	{ SMC_CLC_DECL_MAXLINKERR,
	  "could not agree on max links per link group (v2.1)" },
	{ SMC_CLC_DECL_MODEUNSUPP,
	  "server chose an SMC mode or version the client did not offer" },
	{ SMC_CLC_DECL_RMBE_EC,
	  "peer requires eyecatchers in its receive buffers (unsupported)" },
	{ SMC_CLC_DECL_OPTUNSUPP,
	  "socket option not supported with SMC (TCP Fast Open)" },
	{ SMC_CLC_DECL_DIFFPREFIX,
	  "peers are not in the same IP subnet (SMCv1 needs that)" },
	{ SMC_CLC_DECL_GETVLANERR,
	  "could not determine the VLAN of the network interface" },
	{ SMC_CLC_DECL_ISMVLANERR,
	  "could not register the VLAN on the ISM device" },
	{ SMC_CLC_DECL_NOACTLINK, "no active link in the SMC-R link group" },
	{ SMC_CLC_DECL_NOSRVLINK,
	  "link chosen by the server is unknown to the client" },
	{ SMC_CLC_DECL_VERSMISMAT, "SMC version mismatch" },
	{ SMC_CLC_DECL_MAX_DMB,
	  "SMC-D device is out of DMBs (too many connections)" },
	{ SMC_CLC_DECL_NOROUTE, "SMC-Rv2: no route to the peer's RoCE GID" },
	{ SMC_CLC_DECL_NOINDIRECT,
	  "SMC-Rv2: peer said routed, but it is directly reachable" },
	{ SMC_CLC_DECL_SYNCERR,
	  "link group out of sync between the peers (terminated)" },
	{ SMC_CLC_DECL_PEERDECL, "peer declined SMC during the handshake" },
	{ SMC_CLC_DECL_INTERR, "internal error" },
	{ SMC_CLC_DECL_ERR_RTOK,
	  "internal error: remote buffer key (rtoken) setup failed" },
	{ SMC_CLC_DECL_ERR_RDYLNK,
	  "internal error: bringing up the RDMA link (QP) failed" },
	{ SMC_CLC_DECL_ERR_REGBUF,
	  "internal error: registering buffers with the RDMA device failed" },
	/* codes only pre-5.x kernels send; kept so old peers read sensibly */
	{ 0x02000000, "timeout (code of old kernels)" },
	{ 0x02040000, "timeout waiting for link confirmation (old kernels)" },
	{ 0x06000000, "reply to a decline (code of old kernels)" },
	{ 0x07000000, "sending a CLC message failed (code of old kernels)" },
	{ 0x99990000, "internal error (code of old kernels)" },
};

const char *smc_clc_reason_str(u32 code)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(smc_clc_reasons); i++)
		if (smc_clc_reasons[i].code == code)
			return smc_clc_reasons[i].text;

	/* the top byte is a coarse class; keep it useful for new codes */
	switch (code >> 24) {
	case 0x01:
		return "unknown resource shortage";
	case 0x02:
		return "unknown timeout";
	case 0x03:
		return "unknown configuration or negotiation mismatch";
	case 0x04:
		return "unknown link group synchronization error";
	case 0x05:
		return "declined by peer (unknown detail)";
	case 0x09:
		return "unknown internal error";
	}
	return "unknown reason code";
}

static const char * const smc_clc_rule_names[SMC_CLC_RULE_MAX] = {
	[SMC_CLC_RULE_OK] = "valid",
	[SMC_CLC_RULE_ARG] = "invalid argument",
	[SMC_CLC_RULE_SHORT] = "shorter than a CLC header",
	[SMC_CLC_RULE_EYECATCHER] = "bad header eyecatcher",
	[SMC_CLC_RULE_VERSION] = "version 0",
	[SMC_CLC_RULE_TYPE] = "unexpected message type",
	[SMC_CLC_RULE_PROP_LEN_RANGE] = "proposal length out of range",
	[SMC_CLC_RULE_AC_TYPEV1] = "accept/confirm with SMC type not R or D",
	[SMC_CLC_RULE_AC_LEN] = "accept/confirm length invalid",
	[SMC_CLC_RULE_DECL_LEN] = "decline length invalid for its version",
	[SMC_CLC_RULE_TRUNCATED] = "message truncated",
	[SMC_CLC_RULE_TRAILER] = "bad trailer eyecatcher",
	[SMC_CLC_RULE_PROP_V1_NOTYPE] = "v1 proposal offers no SMC type",
	[SMC_CLC_RULE_PROP_IPAREA_OFF] = "bad proposal IP area offset",
	[SMC_CLC_RULE_PROP_V6_CNT] = "too many IPv6 prefixes",
	[SMC_CLC_RULE_PROP_V2EXT_OFF] = "bad v2 extension offset",
	[SMC_CLC_RULE_PROP_EID_CNT] = "too many UEIDs",
	[SMC_CLC_RULE_PROP_SMCD_V2EXT_OFF] = "bad SMC-Dv2 extension offset",
	[SMC_CLC_RULE_PROP_ISM_CNT] = "too many ISM GID/CHID entries",
	[SMC_CLC_RULE_PROP_LEN] = "proposal length does not match its content",
	[SMC_CLC_RULE_AC_FCE_LEN] = "length does not match first-contact bit",
	[SMC_CLC_RULE_AC_GID_CNT] = "GID list does not match the length",
};

const char *smc_clc_rule_str(unsigned int rule)
{
	if (rule < SMC_CLC_RULE_MAX && smc_clc_rule_names[rule])
		return smc_clc_rule_names[rule];
	return "unknown check";
}
