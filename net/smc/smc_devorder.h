/* SPDX-License-Identifier: GPL-2.0 */
/*
 * smc-ng: net.smc.smcd_device_order.
 */
#ifndef _SMC_DEVORDER_H
#define _SMC_DEVORDER_H

#include <linux/sysctl.h>
#include <linux/types.h>
#include <net/net_namespace.h>

#include "smc_names.h"

struct smcd_device;

u32 smc_devorder_default(void);
int smc_devorder_rank(struct net *net, struct smcd_device *dev);
int smc_devorder_sysctl(struct ctl_table *table, int write, void *buffer,
			size_t *lenp, loff_t *ppos);

#endif /* _SMC_DEVORDER_H */
