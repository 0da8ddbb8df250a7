/* SPDX-License-Identifier: GPL-2.0 */
/*
 * smc-ng: enterprise IDs (EIDs). SMC v2 only connects peers that share an
 * EID: the system EID (SEID) that identifies the machine, or a user EID
 * (UEID) an administrator configured on both ends.
 */
#ifndef _SMC_EID_H
#define _SMC_EID_H

#include <linux/types.h>
#include <net/net_namespace.h>

#include "smc_clc_wire.h"
#include "smc_names.h"

void smc_eid_init(void);
const u8 *smc_seid(void);
bool smc_seid_enabled(struct net *net);
int smc_seid_set_enabled(struct net *net, bool on);

int smc_ueid_add(struct net *net, const u8 *eid);
int smc_ueid_remove(struct net *net, const u8 *eid);
void smc_ueid_flush(struct net *net);

/* Copy up to @max_eids UEIDs into @out, SMC_EID_LEN bytes each; returns
 * how many (one look: the table may change between two calls).
 */
int smc_ueid_fill(struct net *net, u8 *out, int max_eids);

/* Whether one of the proposal's UEIDs is configured here too. */
bool smc_ueid_common(struct net *net, const struct smc_clc_prop_info *prop);

/* The EID both ends agree on for an SMC-Dv2 offer, as the server picks it. */
bool smc_eid_negotiate_smcd(struct net *net,
			    const struct smc_clc_prop_info *prop,
			    u8 *eid);

#endif /* _SMC_EID_H */
