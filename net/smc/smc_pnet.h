/* SPDX-License-Identifier: GPL-2.0 */
/*
 * smc-ng: the PNET table, which names the physical network a network
 * interface or an SMC device is attached to. SMC only pairs an interface
 * with a device on the same physical network.
 */
#ifndef _SMC_PNET_H
#define _SMC_PNET_H

#include <linux/smcd_device.h>
#include <net/net_namespace.h>

#include "smc_names.h"

void smc_pnet_net_init(struct net *net);
void smc_pnet_net_exit(struct net *net);

/* The PNET ID this netns gives @dev (its own or the device's), or false. */
bool smc_pnet_of_smcd(struct net *net, struct smcd_device *dev,
		      char pnetid[SMC_PNET_ID_LEN + 1]);
/* Whether @dev may serve connections of this netns: it has no PNET ID, or
 * one of the netns's network interfaces is on the same physical network.
 */
bool smc_pnet_smcd_usable(struct net *net, struct smcd_device *dev);

int smc_pnet_genl_init(void);
void smc_pnet_genl_exit(void);

#endif /* _SMC_PNET_H */
