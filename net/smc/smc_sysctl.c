// SPDX-License-Identifier: GPL-2.0
/*
 * smc-ng: /proc/sys/net/smc, one set per network namespace.
 *
 * Names, ranges and defaults are those of the in-tree stack so that
 * existing tuning carries over. The SMC-R knobs are kept (and validated)
 * although this module has no SMC-R yet: a configuration that sets them
 * must not fail to apply.
 */
#include <linux/slab.h>
#include <linux/stddef.h>
#include <linux/sysctl.h>
#include <net/net_namespace.h>

#include "smc_netns.h"
#include "smc_sysctl.h"

static int smc_buf_min = SMC_SYSCTL_BUF_MIN;
static int smc_buf_max = INT_MAX / 2;
static int smc_links_min = 1;
static int smc_links_max = 2;
static int smc_conns_min = 16;
static int smc_conns_max = 255;

/* .data holds the field's offset in struct smc_net until registration. */
static const struct ctl_table smc_sysctl_template[] = {
	{
		.procname	= "autocorking_size",
		.data		= (void *)offsetof(struct smc_net, autocorking_size),
		.maxlen		= sizeof(unsigned int),
		.mode		= 0644,
		.proc_handler	= proc_douintvec,
	},
	{
		.procname	= "smcr_buf_type",
		.data		= (void *)offsetof(struct smc_net, smcr_buf_type),
		.maxlen		= sizeof(unsigned int),
		.mode		= 0644,
		.proc_handler	= proc_douintvec_minmax,
		.extra1		= SYSCTL_ZERO,
		.extra2		= SYSCTL_TWO,
	},
	{
		.procname	= "smcr_testlink_time",
		.data		= (void *)offsetof(struct smc_net, smcr_testlink_time),
		.maxlen		= sizeof(int),
		.mode		= 0644,
		.proc_handler	= proc_dointvec_jiffies,
	},
	{
		.procname	= "wmem",
		.data		= (void *)offsetof(struct smc_net, wmem),
		.maxlen		= sizeof(int),
		.mode		= 0644,
		.proc_handler	= proc_dointvec_minmax,
		.extra1		= &smc_buf_min,
		.extra2		= &smc_buf_max,
	},
	{
		.procname	= "rmem",
		.data		= (void *)offsetof(struct smc_net, rmem),
		.maxlen		= sizeof(int),
		.mode		= 0644,
		.proc_handler	= proc_dointvec_minmax,
		.extra1		= &smc_buf_min,
		.extra2		= &smc_buf_max,
	},
	{
		.procname	= "smcr_max_links_per_lgr",
		.data		= (void *)offsetof(struct smc_net, smcr_max_links_per_lgr),
		.maxlen		= sizeof(int),
		.mode		= 0644,
		.proc_handler	= proc_dointvec_minmax,
		.extra1		= &smc_links_min,
		.extra2		= &smc_links_max,
	},
	{
		.procname	= "smcr_max_conns_per_lgr",
		.data		= (void *)offsetof(struct smc_net, smcr_max_conns_per_lgr),
		.maxlen		= sizeof(int),
		.mode		= 0644,
		.proc_handler	= proc_dointvec_minmax,
		.extra1		= &smc_conns_min,
		.extra2		= &smc_conns_max,
	},
	{
		.procname	= "limit_smc_hs",
		.data		= (void *)offsetof(struct smc_net, limit_smc_hs),
		.maxlen		= sizeof(int),
		.mode		= 0644,
		.proc_handler	= proc_dointvec_minmax,
		.extra1		= SYSCTL_ZERO,
		.extra2		= SYSCTL_ONE,
	},
	{ }
};

static void smc_sysctl_defaults(struct smc_net *sn)
{
	sn->autocorking_size = 64 * 1024;
	sn->smcr_buf_type = 0;
	sn->smcr_testlink_time = 30 * HZ;
	sn->wmem = SMC_SYSCTL_BUF_DEFAULT;
	sn->rmem = SMC_SYSCTL_BUF_DEFAULT;
	sn->smcr_max_links_per_lgr = 2;
	sn->smcr_max_conns_per_lgr = 255;
	sn->limit_smc_hs = 0;
}

int smc_sysctl_net_init(struct net *net)
{
	struct smc_net *sn = smc_net(net);
	struct ctl_table *table;
	int i;

	smc_sysctl_defaults(sn);
	table = kmemdup(smc_sysctl_template, sizeof(smc_sysctl_template),
			GFP_KERNEL);
	if (!table)
		return -ENOMEM;
	for (i = 0; table[i].procname; i++)
		table[i].data = (char *)sn + (uintptr_t)table[i].data;

	sn->sysctl = register_net_sysctl(net, "net/smc", table);
	if (!sn->sysctl) {
		kfree(table);
		return -ENOMEM;
	}
	return 0;
}

void smc_sysctl_net_exit(struct net *net)
{
	struct smc_net *sn = smc_net(net);
	struct ctl_table *table = sn->sysctl->ctl_table_arg;

	unregister_net_sysctl_table(sn->sysctl);
	kfree(table);
}
