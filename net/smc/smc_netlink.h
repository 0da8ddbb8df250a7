/* SPDX-License-Identifier: GPL-2.0 */
/*
 * smc-ng: generic netlink families "SMC_GEN_NETLINK" and "SMC_PNETID".
 */
#ifndef _SMC_NETLINK_H
#define _SMC_NETLINK_H

/* Both families: one policy for all their commands, answered in every
 * network namespace (each namespace sees and changes only its own state).
 */
#define SMC_GENL_FAMILY(fam_name, fam_version, cmds, n_cmds, attr_policy, \
			attr_max) {					\
	.module		= THIS_MODULE,					\
	.name		= fam_name,					\
	.version	= fam_version,					\
	.ops		= cmds,						\
	.n_ops		= n_cmds,					\
	.policy		= attr_policy,					\
	.maxattr	= attr_max,					\
	.netnsok	= true,						\
}

int smc_netlink_init(void);
void smc_netlink_exit(void);

#endif /* _SMC_NETLINK_H */
