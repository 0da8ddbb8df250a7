/* SPDX-License-Identifier: GPL-2.0 */
/*
 * smc-ng: generic netlink families "SMC_GEN_NETLINK" and "SMC_PNETID".
 */
#ifndef _SMC_NETLINK_H
#define _SMC_NETLINK_H

int smc_netlink_init(void);
void smc_netlink_exit(void);

#endif /* _SMC_NETLINK_H */
