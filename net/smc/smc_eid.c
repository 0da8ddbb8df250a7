// SPDX-License-Identifier: GPL-2.0
/*
 * smc-ng: system and user EIDs.
 *
 * The SEID names the machine. On s390 it comes from the CPU identity; an
 * x86 machine has no such identity that all its guests share, so ours is
 * derived from the DMI system UUID (the firmware's name for this machine)
 * when there is one, and from random bytes chosen once per boot when there
 * is not. Either way every connection of one kernel offers the same SEID,
 * which is all SMC-D over the loopback device needs, and two kernels only
 * match when their firmware says they are the same machine.
 */
#include <linux/dmi.h>
#include <linux/random.h>
#include <linux/siphash.h>
#include <linux/string.h>

#include "smc_eid.h"
#include "smc_netns.h"

#define SMC_SEID_PREFIX	"SMCNG-X86-SEID-"

static u8 smc_seid_value[SMC_EID_LEN];

void smc_eid_init(void)
{
	static const siphash_key_t key = { { 0x736d632d6e67ULL, 0x73656964ULL } };
	const char *uuid = dmi_get_system_info(DMI_PRODUCT_UUID);
	char text[SMC_EID_LEN + 1];
	u8 rnd[16];
	int len;
	u64 h;

	if (uuid && *uuid) {
		h = siphash(uuid, strlen(uuid), &key);
	} else {
		get_random_bytes(rnd, sizeof(rnd));
		h = siphash(rnd, sizeof(rnd), &key);
	}
	/* Upper case hex: EIDs allow A-Z, 0-9, '.' and '-', blank padded
	 * (the value is a wire field, not a C string: no NUL in it).
	 */
	len = scnprintf(text, sizeof(text), SMC_SEID_PREFIX "%016llX",
			(unsigned long long)h);
	memset(smc_seid_value, ' ', sizeof(smc_seid_value));
	memcpy(smc_seid_value, text, len);
}

const u8 *smc_seid(void)
{
	return smc_seid_value;
}

bool smc_seid_enabled(struct net *net)
{
	return !READ_ONCE(smc_net(net)->seid_off);
}

/* Without the SEID a namespace needs a UEID, or SMC-Dv2 has no EID. */
int smc_seid_set_enabled(struct net *net, bool on)
{
	struct smc_net *sn = smc_net(net);
	int rc = 0;

	spin_lock_bh(&sn->ueid_lock);
	if (!on && !sn->ueid_cnt)
		rc = -ENOENT;
	else
		WRITE_ONCE(sn->seid_off, !on);
	spin_unlock_bh(&sn->ueid_lock);
	return rc;
}

int smc_ueid_add(struct net *net, const u8 *eid)
{
	struct smc_net *sn = smc_net(net);
	int i, rc = 0;

	if (!smc_eid_valid(eid))
		return -EINVAL;
	spin_lock_bh(&sn->ueid_lock);
	/* A full table first, as 6.1 answers: ERANGE for a duplicate too. */
	if (sn->ueid_cnt == SMC_MAX_UEID)
		rc = -ERANGE;
	for (i = 0; !rc && i < sn->ueid_cnt; i++)
		if (!memcmp(sn->ueid[i], eid, SMC_EID_LEN))
			rc = -EEXIST;
	if (!rc)
		memcpy(sn->ueid[sn->ueid_cnt++], eid, SMC_EID_LEN);
	spin_unlock_bh(&sn->ueid_lock);
	return rc;
}

/* Removing the last UEID brings a disabled SEID back, or no EID would be
 * left; -EAGAIN tells the caller so (the removal is done), as on s390.
 */
int smc_ueid_remove(struct net *net, const u8 *eid)
{
	struct smc_net *sn = smc_net(net);
	int i, rc = -ENOENT;

	if (!smc_eid_valid(eid))
		return -EINVAL;
	spin_lock_bh(&sn->ueid_lock);
	for (i = 0; i < sn->ueid_cnt; i++) {
		if (memcmp(sn->ueid[i], eid, SMC_EID_LEN))
			continue;
		memmove(sn->ueid[i], sn->ueid[i + 1],
			(sn->ueid_cnt - i - 1) * SMC_EID_LEN);
		sn->ueid_cnt--;
		rc = 0;
		break;
	}
	if (!rc && !sn->ueid_cnt && sn->seid_off) {
		WRITE_ONCE(sn->seid_off, false);
		rc = -EAGAIN;
	}
	spin_unlock_bh(&sn->ueid_lock);
	return rc;
}

void smc_ueid_flush(struct net *net)
{
	struct smc_net *sn = smc_net(net);

	spin_lock_bh(&sn->ueid_lock);
	sn->ueid_cnt = 0;
	WRITE_ONCE(sn->seid_off, false);
	spin_unlock_bh(&sn->ueid_lock);
}

int smc_ueid_fill(struct net *net, u8 *out, int max_eids)
{
	struct smc_net *sn = smc_net(net);
	int i;

	spin_lock_bh(&sn->ueid_lock);
	for (i = 0; i < sn->ueid_cnt && i < max_eids; i++)
		memcpy(out + i * SMC_EID_LEN, sn->ueid[i], SMC_EID_LEN);
	spin_unlock_bh(&sn->ueid_lock);
	return i;
}

static bool smc_ueid_known(struct net *net, const u8 *eid)
{
	struct smc_net *sn = smc_net(net);
	bool found = false;
	int i;

	spin_lock_bh(&sn->ueid_lock);
	for (i = 0; i < sn->ueid_cnt && !found; i++)
		found = !memcmp(sn->ueid[i], eid, SMC_EID_LEN);
	spin_unlock_bh(&sn->ueid_lock);
	return found;
}

bool smc_ueid_common(struct net *net, const struct smc_clc_prop_info *prop)
{
	int i;

	for (i = 0; i < prop->eid_cnt; i++)
		if (smc_ueid_known(net, prop->eids[i]))
			return true;
	return false;
}

bool smc_eid_negotiate_smcd(struct net *net,
			    const struct smc_clc_prop_info *prop,
			    u8 *eid)
{
	int i;

	if (prop->has_smcd_v2ext && prop->seid_valid && smc_seid_enabled(net) &&
	    !memcmp(prop->seid, smc_seid_value, SMC_EID_LEN)) {
		memcpy(eid, smc_seid_value, SMC_EID_LEN);
		return true;
	}
	/* Otherwise the first of the client's UEIDs that we know too. */
	for (i = 0; i < prop->eid_cnt; i++) {
		if (smc_ueid_known(net, prop->eids[i])) {
			memcpy(eid, prop->eids[i], SMC_EID_LEN);
			return true;
		}
	}
	return false;
}
