/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Field-by-field comparison of decoded CLC messages, shared by the unit
 * tests and the fuzzer.  Only what the wire can carry is compared: raw
 * header bits that encoders normalise (reserved bits, eyecatcher choice)
 * and the pointers themselves (only what they point at) are left out.
 */
#ifndef SMC_UNIT_CLC_CMP_H
#define SMC_UNIT_CLC_CMP_H

#include <stdio.h>
#include <string.h>
#include "smc_clc_wire.h"

#define CMP_FIELD(a, b, f) do {						\
	if ((a)->f != (b)->f) {						\
		printf("# field %s differs: %llu != %llu\n", #f,	\
		       (unsigned long long)(a)->f,			\
		       (unsigned long long)(b)->f);			\
		return false;						\
	}								\
} while (0)

#define CMP_BYTES(a, b, f) do {						\
	if (memcmp((a)->f, (b)->f, sizeof((a)->f))) {			\
		printf("# bytes %s differ\n", #f);			\
		return false;						\
	}								\
} while (0)

#define CMP_ARRAY(a, b, ptr, cnt, esz) do {				\
	if ((a)->cnt && memcmp((a)->ptr, (b)->ptr, (a)->cnt * (esz))) {	\
		printf("# array %s differs\n", #ptr);			\
		return false;						\
	}								\
} while (0)

static inline bool clc_prop_equal(const struct smc_clc_prop_info *a,
				  const struct smc_clc_prop_info *b)
{
	unsigned int i;

	CMP_FIELD(a, b, hdr.version);
	CMP_FIELD(a, b, hdr.typev1);
	CMP_FIELD(a, b, hdr.typev2);
	CMP_BYTES(a, b, sys_id);
	CMP_BYTES(a, b, gid);
	CMP_BYTES(a, b, mac);
	CMP_FIELD(a, b, has_smcd_area);
	CMP_FIELD(a, b, ism_gid);
	CMP_FIELD(a, b, ism_chid);
	CMP_BYTES(a, b, vendor_oui);
	CMP_BYTES(a, b, vendor_exp);
	CMP_FIELD(a, b, has_prefix);
	CMP_FIELD(a, b, v4_subnet);
	CMP_FIELD(a, b, v4_prefix_len);
	CMP_FIELD(a, b, v6_cnt);
	CMP_ARRAY(a, b, v6, v6_cnt, sizeof(struct smc_clc_v6_prefix));
	CMP_FIELD(a, b, has_v2ext);
	CMP_FIELD(a, b, release);
	CMP_FIELD(a, b, seid_valid);
	CMP_FIELD(a, b, eid_cnt);
	CMP_ARRAY(a, b, eids, eid_cnt, SMC_CLC_EID_LEN);
	CMP_BYTES(a, b, roce_gid);
	CMP_FIELD(a, b, max_conns);
	CMP_FIELD(a, b, max_links);
	CMP_FIELD(a, b, feature_mask);
	CMP_FIELD(a, b, has_smcd_v2ext);
	CMP_BYTES(a, b, seid);
	CMP_FIELD(a, b, ism_cnt);
	for (i = 0; i < a->ism_cnt; i++) {
		CMP_FIELD(a, b, ism[i].gid);
		CMP_FIELD(a, b, ism[i].chid);
	}
	return true;
}

static inline bool clc_acc_equal(const struct smc_clc_accept_info *a,
				 const struct smc_clc_accept_info *b)
{
	CMP_FIELD(a, b, hdr.type);
	CMP_FIELD(a, b, hdr.version);
	CMP_FIELD(a, b, smcd);
	CMP_FIELD(a, b, first_contact);
	if (a->smcd) {
		CMP_FIELD(a, b, d.gid);
		CMP_FIELD(a, b, d.token);
		CMP_FIELD(a, b, d.dmbe_idx);
		CMP_FIELD(a, b, d.dmbe_size);
		CMP_FIELD(a, b, d.linkid);
		CMP_FIELD(a, b, d.chid);
		CMP_FIELD(a, b, d.gid_ext);
	} else {
		CMP_BYTES(a, b, r.sys_id);
		CMP_BYTES(a, b, r.gid);
		CMP_BYTES(a, b, r.mac);
		CMP_FIELD(a, b, r.qpn);
		CMP_FIELD(a, b, r.rmb_rkey);
		CMP_FIELD(a, b, r.rmbe_idx);
		CMP_FIELD(a, b, r.rmbe_token);
		CMP_FIELD(a, b, r.rmbe_size);
		CMP_FIELD(a, b, r.qp_mtu);
		CMP_FIELD(a, b, r.rmb_addr);
		CMP_FIELD(a, b, r.psn);
	}
	CMP_BYTES(a, b, eid);
	CMP_FIELD(a, b, fce.len);
	CMP_FIELD(a, b, fce.v2_direct);
	CMP_FIELD(a, b, fce.os_type);
	CMP_FIELD(a, b, fce.release);
	CMP_BYTES(a, b, fce.hostname);
	CMP_FIELD(a, b, fce.max_conns);
	CMP_FIELD(a, b, fce.max_links);
	CMP_FIELD(a, b, fce.feature_mask);
	CMP_BYTES(a, b, fce.vendor_exp);
	CMP_FIELD(a, b, has_gidlist);
	CMP_FIELD(a, b, gid_cnt);
	CMP_ARRAY(a, b, gids, gid_cnt, SMC_CLC_GID_LEN);
	return true;
}

static inline bool clc_decl_equal(const struct smc_clc_decline_info *a,
				  const struct smc_clc_decline_info *b)
{
	unsigned int i;

	CMP_FIELD(a, b, hdr.version);
	CMP_FIELD(a, b, out_of_sync);
	CMP_BYTES(a, b, sys_id);
	CMP_FIELD(a, b, diag);
	CMP_FIELD(a, b, os_type);
	for (i = 0; i < SMC_CLC_DECL_DIAG_V2; i++)
		CMP_FIELD(a, b, diag2[i]);
	return true;
}

#endif /* SMC_UNIT_CLC_CMP_H */
