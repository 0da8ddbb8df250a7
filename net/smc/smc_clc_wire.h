/* SPDX-License-Identifier: GPL-2.0 */
/*
 * smc-ng: CLC (connection layer control) wire format.
 *
 * Layouts, constants and a pure codec for the four CLC messages that run
 * over the TCP connection before an SMC connection is set up.  Nothing in
 * here touches sockets or devices: a received message is handed in as a
 * byte buffer and comes out as a host-order "info" structure, and the
 * encoders do the reverse into a caller-provided buffer.
 *
 * Return conventions shared by every function taking a buffer:
 *   > 0       total CLC message length in bytes (the bytes consumed or
 *             produced); bytes past that length are never looked at
 *   -ENODATA  the buffer holds fewer bytes than are needed (less than the
 *             8-byte header, or less than the header's length field)
 *   -EPROTO   the message is malformed.  This is what Linux turns into a
 *             hard connection failure (no DECLINE, no fallback), so the
 *             codec never maps a structural error to a decline code
 *   -ENOSPC   encoders only: the output buffer is too small
 *   -EINVAL   a caller error: NULL pointer, unknown type, or a description
 *             that has no valid wire form
 * After a failed decode, info->hdr.rule (enum smc_clc_rule) names the
 * check that failed; smc_clc_rule_str() turns it into text for logs.
 */
#ifndef SMC_CLC_WIRE_H
#define SMC_CLC_WIRE_H

#include "smc_wire.h"

/* CLC protocol versions (header byte 7, high nibble) and v2 releases */
#define SMC_CLC_V1		1
#define SMC_CLC_V2		2
#define SMC_CLC_RELEASE_0	0	/* SMC v2.0 */
#define SMC_CLC_RELEASE_1	1	/* SMC v2.1 */

/* 2-bit SMC type codes carried in header byte 7 */
#define SMC_TYPE_R		0	/* SMC-R */
#define SMC_TYPE_D		1	/* SMC-D */
#define SMC_TYPE_N		2	/* nothing */
#define SMC_TYPE_B		3	/* SMC-R and SMC-D */

/* message types (header byte 4) */
#define SMC_CLC_PROPOSAL	0x01
#define SMC_CLC_ACCEPT		0x02
#define SMC_CLC_CONFIRM		0x03
#define SMC_CLC_DECLINE		0x04

/* OS type nibble in DECLINE and in the first-contact extension */
#define SMC_CLC_OS_ZOS		1
#define SMC_CLC_OS_LINUX	2
#define SMC_CLC_OS_AIX		3

/* header byte 7 */
#define SMC_CLC_HDR_VERSION_SHIFT	4
#define SMC_CLC_HDR_TYPEV2_SHIFT	2
#define SMC_CLC_HDR_TYPE_MASK		0x03
/* bit 3: first contact (ACCEPT/CONFIRM) or out of sync (DECLINE) */
#define SMC_CLC_HDR_FLAG		0x08

/* field sizes */
#define SMC_CLC_EYECATCHER_LEN	4
#define SMC_CLC_SYSTEMID_LEN	8
#define SMC_CLC_GID_LEN		16
#define SMC_CLC_MAC_LEN		6
#define SMC_CLC_EID_LEN		32	/* UEID / SEID / negotiated EID */
#define SMC_CLC_HOSTNAME_LEN	32
#define SMC_CLC_DECL_DIAG_V2	4	/* extra diagnosis words in v2 */

/* limits enforced by Linux receivers */
#define SMC_CLC_MAX_V6_PREFIX	8
#define SMC_CLC_MAX_UEID	8
#define SMC_CLC_MAX_ISM_GIDS	8	/* GID/CHID entries, not devices */
/* Not a Linux limit (a Linux server never parses the list, Linux clients
 * send one or two GIDs): bounding it keeps every ACCEPT/CONFIRM inside a
 * small fixed receive buffer.
 */
#define SMC_CLC_MAX_GIDLIST	8

/* CHIDs reserved for emulated ISM devices such as loopback-ism */
#define SMC_CLC_CHID_EMUL_MIN	0xff00
#define SMC_CLC_CHID_LOOPBACK	0xffff

/* proposal v2 extension flags byte */
#define SMC_CLC_V2F_RELEASE_SHIFT	4
#define SMC_CLC_V2F_SEID		0x01
/* v2.1 feature mask bits */
#define SMC_CLC_FEAT_EMULATED_ISM	0x0001
/* first-contact extension byte 0 */
#define SMC_CLC_FCE_V2_DIRECT		0x80

/* Decline / fallback reason codes.  The values are shared with every SMC
 * implementation and with user space (diag, smcss), so they and their
 * names follow Linux exactly.
 */
enum smc_clc_decl_code {
	SMC_CLC_DECL_MEM = 0x01010000,
	SMC_CLC_DECL_TIMEOUT_CL = 0x02010000,
	SMC_CLC_DECL_TIMEOUT_AL = 0x02020000,
	SMC_CLC_DECL_CNFERR = 0x03000000,
	SMC_CLC_DECL_PEERNOSMC = 0x03010000,
	SMC_CLC_DECL_IPSEC = 0x03020000,
	SMC_CLC_DECL_NOSMCDEV = 0x03030000,
	SMC_CLC_DECL_NOSMCDDEV = 0x03030001,
	SMC_CLC_DECL_NOSMCRDEV = 0x03030002,
	SMC_CLC_DECL_NOISM2SUPP = 0x03030003,
	SMC_CLC_DECL_NOV2EXT = 0x03030004,
	SMC_CLC_DECL_NOV2DEXT = 0x03030005,
	SMC_CLC_DECL_NOSEID = 0x03030006,
	SMC_CLC_DECL_NOSMCD2DEV = 0x03030007,
	SMC_CLC_DECL_NOUEID = 0x03030008,
	SMC_CLC_DECL_RELEASEERR = 0x03030009,
	SMC_CLC_DECL_MAXCONNERR = 0x0303000a,
	SMC_CLC_DECL_MAXLINKERR = 0x0303000b,
	SMC_CLC_DECL_MODEUNSUPP = 0x03040000,
	SMC_CLC_DECL_RMBE_EC = 0x03050000,
	SMC_CLC_DECL_OPTUNSUPP = 0x03060000,
	SMC_CLC_DECL_DIFFPREFIX = 0x03070000,
	SMC_CLC_DECL_GETVLANERR = 0x03080000,
	SMC_CLC_DECL_ISMVLANERR = 0x03090000,
	SMC_CLC_DECL_NOACTLINK = 0x030a0000,
	SMC_CLC_DECL_NOSRVLINK = 0x030b0000,
	SMC_CLC_DECL_VERSMISMAT = 0x030c0000,
	SMC_CLC_DECL_MAX_DMB = 0x030d0000,
	SMC_CLC_DECL_NOROUTE = 0x030e0000,
	SMC_CLC_DECL_NOINDIRECT = 0x030f0000,
	SMC_CLC_DECL_SYNCERR = 0x04000000,
	SMC_CLC_DECL_PEERDECL = 0x05000000,
	SMC_CLC_DECL_INTERR = 0x09990000,
	SMC_CLC_DECL_ERR_RTOK = 0x09990001,
	SMC_CLC_DECL_ERR_RDYLNK = 0x09990002,
	SMC_CLC_DECL_ERR_REGBUF = 0x09990003,
};

/* ------------------------------------------------------------------ */
/* Wire layouts.  All byte-packed; offsets are pinned by static_assert. */

struct smc_clc_wire_hdr {
	u8	eyecatcher[SMC_CLC_EYECATCHER_LEN];
	u8	type;
	__be16	length;		/* whole message, header and trailer included */
	u8	vers_types;	/* version:4 typev2:2 typev1:2, see above */
} __packed;

struct smc_clc_wire_trl {
	u8	eyecatcher[SMC_CLC_EYECATCHER_LEN];
} __packed;

/* PROPOSAL bytes 0..39 */
struct smc_clc_wire_prop {
	struct smc_clc_wire_hdr hdr;
	u8	sys_id[SMC_CLC_SYSTEMID_LEN];
	u8	gid[SMC_CLC_GID_LEN];
	u8	mac[SMC_CLC_MAC_LEN];
	__be16	iparea_off;	/* prefix area sits at byte 40 + this */
} __packed;

/* PROPOSAL bytes 40..79; present in every v2 proposal */
struct smc_clc_wire_prop_smcd {
	__be64	ism_gid;
	__be16	ism_chid;
	__be16	v2ext_off;	/* relative to the end of this field */
	u8	vendor_oui[3];
	u8	vendor_exp[5];
	u8	rsvd[20];
} __packed;

struct smc_clc_wire_prefix {
	__be32	v4_subnet;
	u8	v4_prefix_len;
	u8	rsvd[2];
	u8	v6_cnt;
} __packed;

struct smc_clc_v6_prefix {
	u8	addr[16];
	u8	prefix_len;
} __packed;

struct smc_clc_wire_v2ext {
	u8	eid_cnt;
	u8	ism_gid_cnt;
	u8	rsvd1;
	u8	flags;		/* release:4 rsvd:3 seid:1 */
	u8	rsvd2[2];
	__be16	smcd_v2ext_off;	/* relative to the end of this field */
	u8	roce_gid[SMC_CLC_GID_LEN];
	u8	max_conns;
	u8	max_links;
	__be16	feature_mask;
	u8	rsvd3[12];
	/* followed by eid_cnt user EIDs */
} __packed;

struct smc_clc_wire_smcd_v2ext {
	u8	seid[SMC_CLC_EID_LEN];
	u8	rsvd[16];
	/* followed by ism_gid_cnt struct smc_clc_wire_gid_chid */
} __packed;

struct smc_clc_wire_gid_chid {
	__be64	gid;
	__be16	chid;
} __packed;

/* ACCEPT/CONFIRM for SMC-R, bytes 0..63 (v1 trailer follows) */
struct smc_clc_wire_acc_r {
	struct smc_clc_wire_hdr hdr;
	u8	sys_id[SMC_CLC_SYSTEMID_LEN];
	u8	gid[SMC_CLC_GID_LEN];
	u8	mac[SMC_CLC_MAC_LEN];
	u8	qpn[3];
	__be32	rmb_rkey;
	u8	rmbe_idx;
	__be32	rmbe_token;
	u8	size_mtu;	/* rmbe size nibble:4 mtu enum:4 */
	u8	rsvd1;
	__be64	rmb_addr;
	u8	rsvd2;
	u8	psn[3];
} __packed;

/* SMC-R v2 continuation, bytes 64..103 */
struct smc_clc_wire_acc_r2 {
	u8	eid[SMC_CLC_EID_LEN];
	u8	rsvd[8];
} __packed;

/* ACCEPT/CONFIRM for SMC-D, bytes 0..31 */
struct smc_clc_wire_acc_d {
	struct smc_clc_wire_hdr hdr;
	__be64	gid;
	__be64	token;
	u8	dmbe_idx;
	u8	dmbe_size;	/* size nibble:4 rsvd:4 */
	u8	rsvd[2];
	__be32	linkid;
} __packed;

/* SMC-D v2 continuation, bytes 32..73 (v1 has 12 reserved bytes instead) */
struct smc_clc_wire_acc_d2 {
	__be16	chid;
	u8	eid[SMC_CLC_EID_LEN];
	__be64	gid_ext;
} __packed;

/* first-contact extension; release 0 SMC-D peers send only the first 36 */
struct smc_clc_wire_fce {
	u8	flags;
	u8	os_release;	/* os type:4 release:4 */
	u8	rsvd1[2];
	u8	hostname[SMC_CLC_HOSTNAME_LEN];
	u8	max_conns;
	u8	max_links;
	__be16	feature_mask;
	u8	vendor_exp[4];
	u8	rsvd2[8];
} __packed;

struct smc_clc_wire_gidlist {
	u8	gid_cnt;
	u8	rsvd[3];
	/* followed by gid_cnt GIDs of SMC_CLC_GID_LEN bytes */
} __packed;

struct smc_clc_wire_decl {
	struct smc_clc_wire_hdr hdr;
	u8	sys_id[SMC_CLC_SYSTEMID_LEN];
	__be32	diag;
	u8	os;		/* os type:4 rsvd:4 */
	u8	rsvd[3];
} __packed;

SMC_WIRE_SIZE(struct smc_clc_wire_hdr, 8);
SMC_WIRE_OFF(struct smc_clc_wire_hdr, type, 4);
SMC_WIRE_OFF(struct smc_clc_wire_hdr, length, 5);
SMC_WIRE_OFF(struct smc_clc_wire_hdr, vers_types, 7);
SMC_WIRE_SIZE(struct smc_clc_wire_trl, 4);

SMC_WIRE_SIZE(struct smc_clc_wire_prop, 40);
SMC_WIRE_OFF(struct smc_clc_wire_prop, sys_id, 8);
SMC_WIRE_OFF(struct smc_clc_wire_prop, gid, 16);
SMC_WIRE_OFF(struct smc_clc_wire_prop, mac, 32);
SMC_WIRE_OFF(struct smc_clc_wire_prop, iparea_off, 38);
SMC_WIRE_SIZE(struct smc_clc_wire_prop_smcd, 40);
SMC_WIRE_OFF(struct smc_clc_wire_prop_smcd, ism_chid, 8);
SMC_WIRE_OFF(struct smc_clc_wire_prop_smcd, v2ext_off, 10);
SMC_WIRE_OFF(struct smc_clc_wire_prop_smcd, vendor_oui, 12);
SMC_WIRE_OFF(struct smc_clc_wire_prop_smcd, vendor_exp, 15);
SMC_WIRE_OFF(struct smc_clc_wire_prop_smcd, rsvd, 20);
SMC_WIRE_SIZE(struct smc_clc_wire_prefix, 8);
SMC_WIRE_OFF(struct smc_clc_wire_prefix, v4_prefix_len, 4);
SMC_WIRE_OFF(struct smc_clc_wire_prefix, v6_cnt, 7);
SMC_WIRE_SIZE(struct smc_clc_v6_prefix, 17);
SMC_WIRE_SIZE(struct smc_clc_wire_v2ext, 40);
SMC_WIRE_OFF(struct smc_clc_wire_v2ext, flags, 3);
SMC_WIRE_OFF(struct smc_clc_wire_v2ext, smcd_v2ext_off, 6);
SMC_WIRE_OFF(struct smc_clc_wire_v2ext, roce_gid, 8);
SMC_WIRE_OFF(struct smc_clc_wire_v2ext, max_conns, 24);
SMC_WIRE_OFF(struct smc_clc_wire_v2ext, max_links, 25);
SMC_WIRE_OFF(struct smc_clc_wire_v2ext, feature_mask, 26);
SMC_WIRE_SIZE(struct smc_clc_wire_smcd_v2ext, 48);
SMC_WIRE_SIZE(struct smc_clc_wire_gid_chid, 10);

SMC_WIRE_SIZE(struct smc_clc_wire_acc_r, 64);
SMC_WIRE_OFF(struct smc_clc_wire_acc_r, sys_id, 8);
SMC_WIRE_OFF(struct smc_clc_wire_acc_r, gid, 16);
SMC_WIRE_OFF(struct smc_clc_wire_acc_r, mac, 32);
SMC_WIRE_OFF(struct smc_clc_wire_acc_r, qpn, 38);
SMC_WIRE_OFF(struct smc_clc_wire_acc_r, rmb_rkey, 41);
SMC_WIRE_OFF(struct smc_clc_wire_acc_r, rmbe_idx, 45);
SMC_WIRE_OFF(struct smc_clc_wire_acc_r, rmbe_token, 46);
SMC_WIRE_OFF(struct smc_clc_wire_acc_r, size_mtu, 50);
SMC_WIRE_OFF(struct smc_clc_wire_acc_r, rmb_addr, 52);
SMC_WIRE_OFF(struct smc_clc_wire_acc_r, psn, 61);
SMC_WIRE_SIZE(struct smc_clc_wire_acc_r2, 40);
SMC_WIRE_SIZE(struct smc_clc_wire_acc_d, 32);
SMC_WIRE_OFF(struct smc_clc_wire_acc_d, gid, 8);
SMC_WIRE_OFF(struct smc_clc_wire_acc_d, token, 16);
SMC_WIRE_OFF(struct smc_clc_wire_acc_d, dmbe_idx, 24);
SMC_WIRE_OFF(struct smc_clc_wire_acc_d, dmbe_size, 25);
SMC_WIRE_OFF(struct smc_clc_wire_acc_d, linkid, 28);
SMC_WIRE_SIZE(struct smc_clc_wire_acc_d2, 42);
SMC_WIRE_OFF(struct smc_clc_wire_acc_d2, eid, 2);
SMC_WIRE_OFF(struct smc_clc_wire_acc_d2, gid_ext, 34);
SMC_WIRE_SIZE(struct smc_clc_wire_fce, 52);
SMC_WIRE_OFF(struct smc_clc_wire_fce, hostname, 4);
SMC_WIRE_OFF(struct smc_clc_wire_fce, max_conns, 36);
SMC_WIRE_OFF(struct smc_clc_wire_fce, feature_mask, 38);
SMC_WIRE_OFF(struct smc_clc_wire_fce, vendor_exp, 40);
SMC_WIRE_SIZE(struct smc_clc_wire_gidlist, 4);
SMC_WIRE_SIZE(struct smc_clc_wire_decl, 24);
SMC_WIRE_OFF(struct smc_clc_wire_decl, diag, 16);
SMC_WIRE_OFF(struct smc_clc_wire_decl, os, 20);

/* ------------------------------------------------------------------ */
/* Length rules                                                         */

#define SMC_CLC_HDR_LEN		sizeof(struct smc_clc_wire_hdr)
#define SMC_CLC_TRL_LEN		sizeof(struct smc_clc_wire_trl)

#define SMC_CLC_FCE_LEN_V20	36	/* release 0 first-contact extension */
#define SMC_CLC_FCE_LEN_V21	52	/* release >= 1, and always SMC-R */

/* proposal: fixed part and the smallest / largest legal message */
#define SMC_CLC_PROP_BASE_LEN	40
#define SMC_CLC_PROP_V1_MIN_LEN	(40 + 8 + 4)
#define SMC_CLC_PROP_V1_MAX_LEN	(40 + 40 + 8 + 17 * SMC_CLC_MAX_V6_PREFIX + 4)
#define SMC_CLC_PROP_V2_MIN_LEN	(40 + 40 + 4)
#define SMC_CLC_PROP_MAX_LEN \
	(40 + 40 + 8 + 17 * SMC_CLC_MAX_V6_PREFIX + \
	 40 + SMC_CLC_EID_LEN * SMC_CLC_MAX_UEID + \
	 48 + 10 * SMC_CLC_MAX_ISM_GIDS + 4)
/* upper bounds Linux applies to the two extension offsets */
#define SMC_CLC_V2EXT_OFF_MAX	172
#define SMC_CLC_SMCD_V2EXT_OFF_MAX	288

#define SMC_CLC_ACC_R_V1_LEN	68
#define SMC_CLC_ACC_D_V1_LEN	48
#define SMC_CLC_ACC_R_V2_LEN	108	/* no first contact */
#define SMC_CLC_ACC_R_V2_FC_LEN	(104 + SMC_CLC_FCE_LEN_V21 + 4)
#define SMC_CLC_ACC_D_V2_LEN	78	/* no first contact */
#define SMC_CLC_ACC_MAX_LEN \
	(104 + SMC_CLC_FCE_LEN_V21 + 4 + SMC_CLC_GID_LEN * SMC_CLC_MAX_GIDLIST + 4)

#define SMC_CLC_DECL_V1_LEN	28
#define SMC_CLC_DECL_V2_LEN	44

/* no CLC message this codec accepts is longer than this */
#define SMC_CLC_MAX_LEN		SMC_CLC_PROP_MAX_LEN

SMC_WIRE_PIN(SMC_CLC_PROP_MAX_LEN == 652);
SMC_WIRE_PIN(SMC_CLC_ACC_R_V2_FC_LEN == 160);
SMC_WIRE_PIN(SMC_CLC_ACC_MAX_LEN < SMC_CLC_MAX_LEN);

/* ------------------------------------------------------------------ */
/* Host-order views                                                     */

/* which check rejected a message (info->hdr.rule after a failed decode) */
enum smc_clc_rule {
	SMC_CLC_RULE_OK,
	SMC_CLC_RULE_ARG,		/* caller error */
	SMC_CLC_RULE_SHORT,		/* fewer than 8 bytes */
	SMC_CLC_RULE_EYECATCHER,	/* header eyecatcher */
	SMC_CLC_RULE_VERSION,		/* version nibble 0 */
	SMC_CLC_RULE_TYPE,		/* unknown or unexpected type */
	SMC_CLC_RULE_PROP_LEN_RANGE,	/* proposal length outside limits */
	SMC_CLC_RULE_AC_TYPEV1,		/* accept/confirm type not R or D */
	SMC_CLC_RULE_AC_LEN,		/* accept/confirm length (Linux rule) */
	SMC_CLC_RULE_DECL_LEN,		/* decline length for its version */
	SMC_CLC_RULE_TRUNCATED,		/* buffer shorter than length field */
	SMC_CLC_RULE_TRAILER,		/* trailer eyecatcher */
	SMC_CLC_RULE_PROP_V1_NOTYPE,	/* v1 proposal offering nothing */
	SMC_CLC_RULE_PROP_IPAREA_OFF,	/* prefix area offset */
	SMC_CLC_RULE_PROP_V6_CNT,	/* too many IPv6 prefixes */
	SMC_CLC_RULE_PROP_V2EXT_OFF,	/* v2 extension offset */
	SMC_CLC_RULE_PROP_EID_CNT,	/* too many UEIDs */
	SMC_CLC_RULE_PROP_SMCD_V2EXT_OFF, /* SMC-Dv2 extension offset */
	SMC_CLC_RULE_PROP_ISM_CNT,	/* too many GID/CHID entries */
	SMC_CLC_RULE_PROP_LEN,		/* proposal length formula */
	SMC_CLC_RULE_AC_FCE_LEN,	/* length vs. first-contact bit */
	SMC_CLC_RULE_AC_GID_CNT,	/* GID list count vs. length */
	SMC_CLC_RULE_MAX
};

struct smc_clc_hdr_info {
	u8	type;
	u8	version;
	u8	typev1;
	u8	typev2;		/* raw bits 3..2 */
	bool	flag;		/* bit 3: first contact / out of sync */
	bool	smcd_eye;	/* header eyecatcher was "SMCD" */
	u16	length;
	u8	rule;		/* enum smc_clc_rule */
};

/* host-order GID/CHID entry of the SMC-Dv2 extension */
struct smc_clc_ism_id {
	u64	gid;
	u16	chid;
};

/* PROPOSAL.  Fixed-size fields are copied; the variable arrays are
 * pointers: into the received buffer after a decode, to caller memory
 * for an encode.  has_* tell which optional areas are (to be) present.
 */
struct smc_clc_prop_info {
	struct smc_clc_hdr_info hdr;	/* encode: version, typev1, typev2 */
	u8	sys_id[SMC_CLC_SYSTEMID_LEN];
	u8	gid[SMC_CLC_GID_LEN];
	u8	mac[SMC_CLC_MAC_LEN];

	/* SMC-D area: always in v2, in v1 only with iparea_offset 40 */
	bool	has_smcd_area;
	u64	ism_gid;
	u16	ism_chid;
	u8	vendor_oui[3];
	u8	vendor_exp[5];

	/* IP prefix area: v1 always, v2 iff typev1 != N */
	bool	has_prefix;
	__be32	v4_subnet;	/* kept in network order like an in_addr */
	u8	v4_prefix_len;
	u8	v6_cnt;
	const struct smc_clc_v6_prefix *v6;

	/* v2 extension: iff version >= 2 and typev2 != N */
	bool	has_v2ext;
	u8	release;
	bool	seid_valid;
	u8	eid_cnt;
	const u8 (*eids)[SMC_CLC_EID_LEN];
	u8	roce_gid[SMC_CLC_GID_LEN];
	u8	max_conns;
	u8	max_links;
	u16	feature_mask;

	/* SMC-Dv2 extension: iff has_v2ext and typev2 offers D */
	bool	has_smcd_v2ext;
	u8	seid[SMC_CLC_EID_LEN];
	u8	ism_cnt;
	struct smc_clc_ism_id ism[SMC_CLC_MAX_ISM_GIDS];
};

/* first-contact extension */
struct smc_clc_fce_info {
	u8	len;		/* 36 or 52; 0 on encode = what Linux sends */
	bool	v2_direct;
	u8	os_type;
	u8	release;
	u8	hostname[SMC_CLC_HOSTNAME_LEN];
	/* only in the 52-byte form */
	u8	max_conns;
	u8	max_links;
	u16	feature_mask;
	u8	vendor_exp[4];
};

/* ACCEPT and CONFIRM share one layout */
struct smc_clc_accept_info {
	struct smc_clc_hdr_info hdr;	/* encode: type, version */
	bool	smcd;			/* typev1: false = R, true = D */
	bool	first_contact;
	struct {
		u8	sys_id[SMC_CLC_SYSTEMID_LEN];
		u8	gid[SMC_CLC_GID_LEN];
		u8	mac[SMC_CLC_MAC_LEN];
		u32	qpn;		/* 24 bits */
		u32	rmb_rkey;
		u8	rmbe_idx;
		u32	rmbe_token;
		u8	rmbe_size;	/* compressed nibble */
		u8	qp_mtu;		/* IB MTU enum nibble */
		u64	rmb_addr;
		u32	psn;		/* 24 bits */
	} r;
	struct {
		u64	gid;
		u64	token;
		u8	dmbe_idx;
		u8	dmbe_size;	/* compressed nibble */
		u32	linkid;
		u16	chid;		/* v2 */
		u64	gid_ext;	/* v2 */
	} d;
	u8	eid[SMC_CLC_EID_LEN];	/* v2 */
	struct smc_clc_fce_info fce;	/* v2 and first_contact */
	/* SMC-R v2 first contact only; optional */
	bool	has_gidlist;
	u8	gid_cnt;
	const u8 (*gids)[SMC_CLC_GID_LEN];
};

struct smc_clc_decline_info {
	struct smc_clc_hdr_info hdr;	/* encode: version */
	bool	out_of_sync;
	u8	sys_id[SMC_CLC_SYSTEMID_LEN];
	u32	diag;
	u8	os_type;
	u32	diag2[SMC_CLC_DECL_DIAG_V2];	/* v2 only */
};

/* Any of the above, for smc_clc_decode().  Every member starts with the
 * header info, so ->hdr is valid whatever the message type was.
 */
union smc_clc_msg_info {
	struct smc_clc_hdr_info hdr;
	struct smc_clc_prop_info prop;
	struct smc_clc_accept_info acc;
	struct smc_clc_decline_info decl;
};

/* ------------------------------------------------------------------ */
/* API                                                                  */

extern const u8 smc_clc_eye_r[SMC_CLC_EYECATCHER_LEN];	/* "SMCR" EBCDIC */
extern const u8 smc_clc_eye_d[SMC_CLC_EYECATCHER_LEN];	/* "SMCD" EBCDIC */

/* Validate the 8-byte header the way Linux does before it reads the rest:
 * eyecatcher, version >= 1, type (@expected, or DECLINE which may always
 * replace it; 0 accepts any known type) and the per-type/per-version
 * length rule.  Returns the full message length the caller must read.
 */
int smc_clc_check_hdr(const void *buf, size_t len, u8 expected,
		      struct smc_clc_hdr_info *hi);

int smc_clc_decode_proposal(const void *buf, size_t len,
			    struct smc_clc_prop_info *pi);
/* accepts both ACCEPT and CONFIRM; ai->hdr.type says which it was */
int smc_clc_decode_acc_conf(const void *buf, size_t len,
			    struct smc_clc_accept_info *ai);
/* like Linux, does not check the trailer of a DECLINE */
int smc_clc_decode_decline(const void *buf, size_t len,
			   struct smc_clc_decline_info *di);
/* header check against @expected, then the matching full decoder */
int smc_clc_decode(const void *buf, size_t len, u8 expected,
		   union smc_clc_msg_info *mi);

int smc_clc_encode_proposal(void *buf, size_t len,
			    const struct smc_clc_prop_info *pi);
/* ai->hdr.type must be SMC_CLC_ACCEPT or SMC_CLC_CONFIRM */
int smc_clc_encode_acc_conf(void *buf, size_t len,
			    const struct smc_clc_accept_info *ai);
int smc_clc_encode_decline(void *buf, size_t len,
			   const struct smc_clc_decline_info *di);

/* short English text for a decline/fallback code; never NULL */
const char *smc_clc_reason_str(u32 code);
/* name of a failed check (enum smc_clc_rule); never NULL */
const char *smc_clc_rule_str(unsigned int rule);

/* ------------------------------------------------------------------ */
/* Small encodings                                                      */

static inline bool smc_clc_type_has_r(u8 smc_type)
{
	return smc_type == SMC_TYPE_R || smc_type == SMC_TYPE_B;
}

static inline bool smc_clc_type_has_d(u8 smc_type)
{
	return smc_type == SMC_TYPE_D || smc_type == SMC_TYPE_B;
}

static inline bool smc_clc_chid_is_emulated(u16 chid)
{
	return chid >= SMC_CLC_CHID_EMUL_MIN;
}

/* QP numbers and PSNs travel as 3 bytes, most significant first */
static inline u32 smc_clc_get_be24(const u8 *p)
{
	return (u32)p[0] << 16 | (u32)p[1] << 8 | p[2];
}

static inline void smc_clc_put_be24(u8 *p, u32 v)
{
	p[0] = (v >> 16) & 0xff;
	p[1] = (v >> 8) & 0xff;
	p[2] = v & 0xff;
}

/* buffer-size nibble: 0 is 16 KiB, every step doubles, 15 is 512 MiB */
#define SMC_CLC_SIZE_SHIFT	14
#define SMC_CLC_SIZE_MAX_NIB	15
#define SMC_CLC_SMCD_MAX_NIB	6	/* 1 MiB DMB */
#define SMC_CLC_SMCR_MAX_NIB_V61 5	/* 512 KiB, 6.1 */

static inline u32 smc_clc_size_decode(u8 nib)
{
	return 1U << ((nib & 0x0f) + SMC_CLC_SIZE_SHIFT);
}

/* Round @size up to the next size the nibble can express, clamp to
 * @max_nib.  Sizes of 16 KiB and less all map to 0.
 */
static inline u8 smc_clc_size_encode(u32 size, u8 max_nib)
{
	u8 nib = 0;

	while (nib < SMC_CLC_SIZE_MAX_NIB && smc_clc_size_decode(nib) < size)
		nib++;
	return nib < max_nib ? nib : max_nib;
}

/* IB MTU enum: 1 = 256 bytes ... 5 = 4096 bytes; 0 for anything else */
static inline u32 smc_clc_mtu_decode(u8 mtu)
{
	return (mtu >= 1 && mtu <= 5) ? 128U << mtu : 0;
}

/* the largest enum value not exceeding @bytes; 0 below 256 */
static inline u8 smc_clc_mtu_encode(u32 bytes)
{
	u8 mtu = 5;

	while (mtu && smc_clc_mtu_decode(mtu) > bytes)
		mtu--;
	return mtu;
}

#endif /* SMC_CLC_WIRE_H */
