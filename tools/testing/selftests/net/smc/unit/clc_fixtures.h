/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Valid CLC messages of every kind, described in host order and encoded
 * with the codec.  Shared by the unit test and the corpus generator.
 */
#ifndef SMC_UNIT_CLC_FIXTURES_H
#define SMC_UNIT_CLC_FIXTURES_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "smc_clc_wire.h"
#include "clc_cmp.h"

#define LO_GID_HI	0x0123456789abcdefULL
#define LO_GID_LO	0xfedcba9876543210ULL
#define ISM_GID		0x1111222233334444ULL
#define ISM_CHID	0x0101

/* ------------------------------------------------------------------ */
/* shared data                                                          */

static u8 ueids[SMC_CLC_MAX_UEID][SMC_CLC_EID_LEN];
static struct smc_clc_v6_prefix v6s[SMC_CLC_MAX_V6_PREFIX];
static u8 rgids[SMC_CLC_MAX_GIDLIST][SMC_CLC_GID_LEN];
static u8 hostname[SMC_CLC_HOSTNAME_LEN];
static const u8 sys_id[8] = { 0x5a, 0xa5, 0x02, 0x00, 0x00, 0x11, 0x22, 0x33 };
static const u8 roce_mac[6] = { 0x02, 0x00, 0x00, 0x11, 0x22, 0x33 };
static const u8 roce_v1_gid[16] = {
	0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0x00, 0x00, 0x00, 0xff, 0xfe, 0x11, 0x22, 0x33
};

static const u8 roce_v2_gid[16] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 192, 168, 1, 10
};

/* blank-padded, no NUL: the way EIDs and host names travel */
static inline void pad_copy(u8 *dst, size_t n, const char *s)
{
	memset(dst, ' ', n);
	memcpy(dst, s, strlen(s) < n ? strlen(s) : n);
}

static inline void init_data(void)
{
	unsigned int i;
	char tmp[40];

	for (i = 0; i < SMC_CLC_MAX_UEID; i++) {
		snprintf(tmp, sizeof(tmp), "SMC-NG-UEID-%u", i);
		pad_copy(ueids[i], SMC_CLC_EID_LEN, tmp);
	}
	for (i = 0; i < SMC_CLC_MAX_V6_PREFIX; i++) {
		memset(&v6s[i], 0, sizeof(v6s[i]));
		v6s[i].addr[0] = 0x20;
		v6s[i].addr[1] = 0x01;
		v6s[i].addr[2] = 0x0d;
		v6s[i].addr[3] = 0xb8;
		v6s[i].addr[7] = i;
		v6s[i].prefix_len = 64;
	}
	for (i = 0; i < SMC_CLC_MAX_GIDLIST; i++) {
		memcpy(rgids[i], roce_v2_gid, SMC_CLC_GID_LEN);
		rgids[i][15] = 10 + i;
	}
	pad_copy(hostname, sizeof(hostname), "smc-ng-test");
}

/* ------------------------------------------------------------------ */
/* fixtures                                                             */

enum fx_id {
	FX_PROP_LOOPBACK,
	FX_PROP_R_V1ONLY,
	FX_PROP_R_V1V2,
	FX_PROP_BOTH,
	FX_PROP_V1_R,
	FX_PROP_V1_D,
	FX_PROP_V1_D_NOAREA,
	FX_PROP_MAX,
	FX_PROP_NONE,
	FX_ACC_R_V1,
	FX_ACC_R_V1_FC,
	FX_ACC_D_V1,
	FX_ACC_R_V2,
	FX_ACC_R_V2_FC,
	FX_CONF_R_V2_FC1,
	FX_CONF_R_V2_FC2,
	FX_CONF_R_V2_FC8,
	FX_ACC_D_V2,
	FX_ACC_D_V2_FC36,
	FX_ACC_D_V2_FC52,
	FX_CONF_D_V2,
	FX_DECL_V1,
	FX_DECL_V2,
	FX_DECL_SYNC,
	FX_COUNT
};

struct fixture {
	const char *name;
	union smc_clc_msg_info desc;
	int expect_len;
	u8 msg[SMC_CLC_MAX_LEN];
	int len;
};

static struct fixture fx[FX_COUNT];

static inline struct smc_clc_prop_info *
prop_fixture(enum fx_id id, const char *name, int expect_len, u8 version,
	     u8 typev1, u8 typev2)
{
	struct smc_clc_prop_info *p = &fx[id].desc.prop;

	fx[id].name = name;
	fx[id].expect_len = expect_len;
	p->hdr.type = SMC_CLC_PROPOSAL;
	p->hdr.version = version;
	p->hdr.typev1 = typev1;
	p->hdr.typev2 = typev2;
	if (version >= SMC_CLC_V2) {
		p->has_smcd_area = true;
		p->has_prefix = typev1 != SMC_TYPE_N;
		p->has_v2ext = typev2 != SMC_TYPE_N;
		p->has_smcd_v2ext = smc_clc_type_has_d(typev2);
	} else {
		p->has_prefix = true;
	}
	return p;
}

static inline void fill_v4(struct smc_clc_prop_info *p)
{
	p->v4_subnet = cpu_to_be32(0xc0a80100);	/* 192.168.1.0 */
	p->v4_prefix_len = 24;
}

static inline void fill_roce(struct smc_clc_prop_info *p)
{
	memcpy(p->sys_id, sys_id, sizeof(p->sys_id));
	memcpy(p->gid, roce_v1_gid, sizeof(p->gid));
	memcpy(p->mac, roce_mac, sizeof(p->mac));
}

static inline void build_props(void)
{
	struct smc_clc_prop_info *p;
	unsigned int i;

	/* protocol doc 10a: loopback-only client, one UEID */
	p = prop_fixture(FX_PROP_LOOPBACK, "v2 SMC-D loopback proposal", 224,
			 SMC_CLC_V2, SMC_TYPE_N, SMC_TYPE_D);
	p->release = SMC_CLC_RELEASE_1;
	p->feature_mask = SMC_CLC_FEAT_EMULATED_ISM;
	p->eid_cnt = 1;
	p->eids = (const u8 (*)[SMC_CLC_EID_LEN])ueids;
	p->ism_cnt = 2;
	p->ism[0].gid = LO_GID_HI;
	p->ism[0].chid = SMC_CLC_CHID_LOOPBACK;
	p->ism[1].gid = LO_GID_LO;
	p->ism[1].chid = SMC_CLC_CHID_LOOPBACK;

	/* protocol doc 10a: SMC-R v1 only, in a v2 header */
	p = prop_fixture(FX_PROP_R_V1ONLY, "v2 header, SMC-R v1 only proposal",
			 92, SMC_CLC_V2, SMC_TYPE_R, SMC_TYPE_N);
	fill_roce(p);
	fill_v4(p);

	p = prop_fixture(FX_PROP_R_V1V2, "SMC-R v1+v2 proposal", 164,
			 SMC_CLC_V2, SMC_TYPE_R, SMC_TYPE_R);
	fill_roce(p);
	fill_v4(p);
	p->release = SMC_CLC_RELEASE_1;
	p->eid_cnt = 1;
	p->eids = (const u8 (*)[SMC_CLC_EID_LEN])ueids;
	memcpy(p->roce_gid, roce_v2_gid, sizeof(p->roce_gid));
	p->max_conns = 255;
	p->max_links = 2;
	p->feature_mask = SMC_CLC_FEAT_EMULATED_ISM;

	p = prop_fixture(FX_PROP_BOTH, "SMC-R+D v1+v2 proposal, IPv6, SEID",
			 308, SMC_CLC_V2, SMC_TYPE_B, SMC_TYPE_B);
	fill_roce(p);
	p->ism_gid = ISM_GID;
	p->ism_chid = ISM_CHID;
	p->v6_cnt = 2;
	p->v6 = v6s;
	p->eid_cnt = 2;
	p->eids = (const u8 (*)[SMC_CLC_EID_LEN])ueids;
	p->seid_valid = true;
	pad_copy(p->seid, sizeof(p->seid), "IBM-SYSZ-ISMSEID00000000ABCD8561");
	memcpy(p->roce_gid, roce_v2_gid, sizeof(p->roce_gid));
	p->ism_cnt = 3;
	p->ism[0].gid = ISM_GID + 1;
	p->ism[0].chid = 0x0202;
	p->ism[1].gid = LO_GID_HI;
	p->ism[1].chid = SMC_CLC_CHID_LOOPBACK;
	p->ism[2].gid = LO_GID_LO;
	p->ism[2].chid = SMC_CLC_CHID_LOOPBACK;

	p = prop_fixture(FX_PROP_V1_R, "v1 SMC-R proposal", 52, SMC_CLC_V1,
			 SMC_TYPE_R, 0);
	fill_roce(p);
	fill_v4(p);

	p = prop_fixture(FX_PROP_V1_D, "v1 SMC-D proposal with SMC-D area", 109,
			 SMC_CLC_V1, SMC_TYPE_D, 0);
	p->has_smcd_area = true;
	p->ism_gid = ISM_GID;
	p->ism_chid = ISM_CHID;
	p->v6_cnt = 1;
	p->v6 = v6s;

	p = prop_fixture(FX_PROP_V1_D_NOAREA,
			 "v1 SMC-D proposal, pre-v2 layout", 69, SMC_CLC_V1,
			 SMC_TYPE_D, 0);
	p->v6_cnt = 1;
	p->v6 = v6s;

	p = prop_fixture(FX_PROP_MAX, "proposal with every count at its limit",
			 SMC_CLC_PROP_MAX_LEN, SMC_CLC_V2, SMC_TYPE_B,
			 SMC_TYPE_B);
	fill_roce(p);
	fill_v4(p);
	p->v6_cnt = SMC_CLC_MAX_V6_PREFIX;
	p->v6 = v6s;
	p->eid_cnt = SMC_CLC_MAX_UEID;
	p->eids = (const u8 (*)[SMC_CLC_EID_LEN])ueids;
	p->ism_cnt = SMC_CLC_MAX_ISM_GIDS;
	for (i = 0; i < SMC_CLC_MAX_ISM_GIDS; i++) {
		p->ism[i].gid = ISM_GID + i;
		p->ism[i].chid = 0x100 + i;
	}

	prop_fixture(FX_PROP_NONE, "v2 proposal offering nothing", 84,
		     SMC_CLC_V2, SMC_TYPE_N, SMC_TYPE_N);
}

static inline struct smc_clc_accept_info *
acc_fixture(enum fx_id id, const char *name, int expect_len, u8 type,
	    u8 version, bool smcd, bool fc)
{
	struct smc_clc_accept_info *a = &fx[id].desc.acc;

	fx[id].name = name;
	fx[id].expect_len = expect_len;
	a->hdr.type = type;
	a->hdr.version = version;
	a->smcd = smcd;
	a->first_contact = fc;
	if (smcd) {
		a->d.gid = smcd && version >= SMC_CLC_V2 ? LO_GID_HI : ISM_GID;
		a->d.token = 0x0badc0ffee000001ULL;
		a->d.dmbe_size = 2;
		a->d.linkid = 0x00010203;
		if (version >= SMC_CLC_V2) {
			a->d.chid = SMC_CLC_CHID_LOOPBACK;
			a->d.gid_ext = LO_GID_LO;
		}
	} else {
		memcpy(a->r.sys_id, sys_id, sizeof(a->r.sys_id));
		memcpy(a->r.gid, version >= SMC_CLC_V2 ? roce_v2_gid :
			roce_v1_gid, sizeof(a->r.gid));
		memcpy(a->r.mac, roce_mac, sizeof(a->r.mac));
		a->r.qpn = 0x000123;
		a->r.rmb_rkey = 0x00001a2b;
		a->r.rmbe_idx = 1;
		a->r.rmbe_token = 0x00000101;
		a->r.rmbe_size = 2;	/* 64 KiB */
		a->r.qp_mtu = 5;	/* 4096 */
		a->r.rmb_addr = 0x00000000fedc0000ULL;
		a->r.psn = 0xabcdef;
	}
	if (version >= SMC_CLC_V2)
		memcpy(a->eid, ueids[0], sizeof(a->eid));
	if (version >= SMC_CLC_V2 && fc) {
		a->fce.len = smcd ? SMC_CLC_FCE_LEN_V20 : SMC_CLC_FCE_LEN_V21;
		a->fce.os_type = SMC_CLC_OS_LINUX;
		a->fce.release = SMC_CLC_RELEASE_1;
		memcpy(a->fce.hostname, hostname, sizeof(hostname));
		if (!smcd) {
			a->fce.v2_direct = true;
			a->fce.max_conns = 255;
			a->fce.max_links = 2;
			a->fce.feature_mask = SMC_CLC_FEAT_EMULATED_ISM;
		}
	}
	return a;
}

static inline void build_accs(void)
{
	struct smc_clc_accept_info *a;
	unsigned int i;

	acc_fixture(FX_ACC_R_V1, "SMC-R v1 ACCEPT", 68, SMC_CLC_ACCEPT,
		    SMC_CLC_V1, false, false);
	acc_fixture(FX_ACC_R_V1_FC, "SMC-R v1 ACCEPT, first contact", 68,
		    SMC_CLC_ACCEPT, SMC_CLC_V1, false, true);
	acc_fixture(FX_ACC_D_V1, "SMC-D v1 CONFIRM", 48, SMC_CLC_CONFIRM,
		    SMC_CLC_V1, true, true);
	acc_fixture(FX_ACC_R_V2, "SMC-R v2 ACCEPT", 108, SMC_CLC_ACCEPT,
		    SMC_CLC_V2, false, false);
	acc_fixture(FX_ACC_R_V2_FC, "SMC-R v2 ACCEPT, first contact", 160,
		    SMC_CLC_ACCEPT, SMC_CLC_V2, false, true);
	a = acc_fixture(FX_CONF_R_V2_FC1,
			"SMC-R v2 CONFIRM, first contact, 1 GID", 180,
			SMC_CLC_CONFIRM, SMC_CLC_V2, false, true);
	a->has_gidlist = true;
	a->gid_cnt = 1;
	a->gids = (const u8 (*)[SMC_CLC_GID_LEN])rgids;
	a = acc_fixture(FX_CONF_R_V2_FC2,
			"SMC-R v2 CONFIRM, first contact, 2 GIDs", 196,
			SMC_CLC_CONFIRM, SMC_CLC_V2, false, true);
	a->has_gidlist = true;
	a->gid_cnt = 2;
	a->gids = (const u8 (*)[SMC_CLC_GID_LEN])rgids;
	a = acc_fixture(FX_CONF_R_V2_FC8,
			"SMC-R v2 CONFIRM, GID list at its limit",
			SMC_CLC_ACC_MAX_LEN, SMC_CLC_CONFIRM, SMC_CLC_V2, false,
			true);
	a->has_gidlist = true;
	a->gid_cnt = SMC_CLC_MAX_GIDLIST;
	a->gids = (const u8 (*)[SMC_CLC_GID_LEN])rgids;
	acc_fixture(FX_ACC_D_V2, "SMC-D v2 ACCEPT", 78, SMC_CLC_ACCEPT,
		    SMC_CLC_V2, true, false);
	a = acc_fixture(FX_ACC_D_V2_FC36, "SMC-D v2 ACCEPT, release 0 FCE", 114,
			SMC_CLC_ACCEPT, SMC_CLC_V2, true, true);
	a->fce.release = SMC_CLC_RELEASE_0;
	/* protocol doc 10a: ACCEPT answering the loopback proposal */
	a = acc_fixture(FX_ACC_D_V2_FC52, "SMC-D v2 ACCEPT, release 1 FCE", 130,
			SMC_CLC_ACCEPT, SMC_CLC_V2, true, true);
	a->fce.len = SMC_CLC_FCE_LEN_V21;
	a->fce.feature_mask = SMC_CLC_FEAT_EMULATED_ISM;
	acc_fixture(FX_CONF_D_V2, "SMC-D v2 CONFIRM", 78, SMC_CLC_CONFIRM,
		    SMC_CLC_V2, true, false);

	for (i = 0; i < 3; i++) {
		static const char * const names[] = {
			"DECLINE v1", "DECLINE v2", "DECLINE v2 out of sync"
		};
		struct smc_clc_decline_info *d = &fx[FX_DECL_V1 + i].desc.decl;

		fx[FX_DECL_V1 + i].name = names[i];
		fx[FX_DECL_V1 + i].expect_len = i ? 44 : 28;
		d->hdr.type = SMC_CLC_DECLINE;
		d->hdr.version = i ? SMC_CLC_V2 : SMC_CLC_V1;
		memcpy(d->sys_id, sys_id, sizeof(d->sys_id));
		d->diag = i == 2 ? SMC_CLC_DECL_SYNCERR : SMC_CLC_DECL_NOSMCDEV;
		d->out_of_sync = i == 2;
		d->os_type = i ? SMC_CLC_OS_LINUX : 0;
		if (i == 2)
			d->diag2[3] = 0x12345678;
	}
}

static inline int encode_desc(const union smc_clc_msg_info *d, u8 *buf,
			      size_t len)
{
	switch (d->hdr.type) {
	case SMC_CLC_PROPOSAL:
		return smc_clc_encode_proposal(buf, len, &d->prop);
	case SMC_CLC_ACCEPT:
	case SMC_CLC_CONFIRM:
		return smc_clc_encode_acc_conf(buf, len, &d->acc);
	default:
		return smc_clc_encode_decline(buf, len, &d->decl);
	}
}

static inline bool desc_equal(const union smc_clc_msg_info *a,
			      const union smc_clc_msg_info *b)
{
	switch (a->hdr.type) {
	case SMC_CLC_PROPOSAL:
		return clc_prop_equal(&a->prop, &b->prop);
	case SMC_CLC_ACCEPT:
	case SMC_CLC_CONFIRM:
		return clc_acc_equal(&a->acc, &b->acc);
	default:
		return clc_decl_equal(&a->decl, &b->decl);
	}
}

static inline void build_fixtures(void)
{
	unsigned int i;

	init_data();
	build_props();
	build_accs();
	for (i = 0; i < FX_COUNT; i++) {
		fx[i].len = encode_desc(&fx[i].desc, fx[i].msg,
					sizeof(fx[i].msg));
		if (fx[i].len <= 0) {
			printf("Bail out! fixture %s does not encode (%d)\n",
			       fx[i].name, fx[i].len);
			exit(1);
		}
	}
}

#endif /* SMC_UNIT_CLC_FIXTURES_H */
