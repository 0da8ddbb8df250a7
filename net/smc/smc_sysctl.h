/* SPDX-License-Identifier: GPL-2.0 */
/*
 * smc-ng: net.smc sysctls.
 */
#ifndef _SMC_SYSCTL_H
#define _SMC_SYSCTL_H

#include <net/net_namespace.h>

/* net.smc.wmem and rmem: default and floor, as upstream. */
#define SMC_SYSCTL_BUF_DEFAULT	(64 * 1024)
#define SMC_SYSCTL_BUF_MIN	(16 * 1024)

int smc_sysctl_net_init(struct net *net);
void smc_sysctl_net_exit(struct net *net);

#endif /* _SMC_SYSCTL_H */
