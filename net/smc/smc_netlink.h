/* SPDX-License-Identifier: GPL-2.0 */
/*
 * smc-ng: generic netlink families "SMC_GEN_NETLINK" and "SMC_PNETID".
 */
#ifndef _SMC_NETLINK_H
#define _SMC_NETLINK_H

/* Both families: one policy for all their commands, answered in every
 * network namespace (each namespace sees and changes only its own state).
 * The commands below @first_strict predate genetlink's checks of the
 * reserved header byte and of unknown request flags; as in-tree, they do
 * without them, so that clients written for older kernels keep working.
 */
#define SMC_GENL_FAMILY(fam_name, fam_version, cmds, n_cmds, attr_policy, \
			attr_max, first_strict) {			\
	.module		= THIS_MODULE,					\
	.name		= fam_name,					\
	.version	= fam_version,					\
	.ops		= cmds,						\
	.n_ops		= n_cmds,					\
	.policy		= attr_policy,					\
	.maxattr	= attr_max,					\
	.netnsok	= true,						\
	.resv_start_op	= first_strict,					\
}

int smc_netlink_init(void);
void smc_netlink_exit(void);

#endif /* _SMC_NETLINK_H */
