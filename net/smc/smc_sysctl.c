// SPDX-License-Identifier: GPL-2.0
/*
 * smc-ng: /proc/sys/net/smc, one set per network namespace.
 *
 * Names, ranges and defaults are those of the in-tree stack so that
 * existing tuning carries over. The SMC-R knobs are kept (and validated)
 * although this module has no SMC-R yet: a configuration that sets them
 * must not fail to apply. smcd_dmb_limit is ours.
 */
#include <linux/capability.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/stddef.h>
#include <linux/sysctl.h>
#include <net/net_namespace.h>

#include "smc_devorder.h"
#include "smc_netns.h"
#include "smc_sysctl.h"

static int smc_buf_min = SMC_SYSCTL_BUF_MIN;
static int smc_buf_max = INT_MAX / 2;
static int smc_links_min = 1;
static int smc_links_max = 2;
static int smc_conns_min = 16;
static int smc_conns_max = 255;

/* The DMB cap is the host's limit on a namespace: whoever administers
 * only the namespace (root of a user namespace) may lower it, not raise
 * it.
 */
static int smc_dmb_limit_sysctl(struct ctl_table *table, int write,
				void *buffer, size_t *lenp, loff_t *ppos)
{
	unsigned long *limit = table->data, val = READ_ONCE(*limit);
	struct ctl_table tmp = *table;
	int rc;

	tmp.data = &val;
	rc = proc_doulongvec_minmax(&tmp, write, buffer, lenp, ppos);
	if (rc || !write)
		return rc;
	if (val > READ_ONCE(*limit) && !capable(CAP_NET_ADMIN))
		return -EPERM;
	WRITE_ONCE(*limit, val);
	return 0;
}

/* The offset of the one knob that lives in the namespace's DMB account. */
#define SMC_KNOB_DMB_LIMIT	SIZE_MAX

/* One knob: where it lives in struct smc_net, how it is parsed, its range. */
struct smc_knob {
	const char	*name;
	size_t		offset;
	size_t		size;
	proc_handler	*handler;
	void		*min;
	void		*max;
};

static const struct smc_knob smc_knobs[] = {
	{ "autocorking_size", offsetof(struct smc_net, autocorking_size),
	  sizeof(unsigned int), proc_douintvec },
	{ "smcr_buf_type", offsetof(struct smc_net, smcr_buf_type),
	  sizeof(unsigned int), proc_douintvec_minmax, SYSCTL_ZERO, SYSCTL_TWO },
	{ "smcr_testlink_time", offsetof(struct smc_net, smcr_testlink_time),
	  sizeof(int), proc_dointvec_jiffies },
	{ "wmem", offsetof(struct smc_net, wmem),
	  sizeof(int), proc_dointvec_minmax, &smc_buf_min, &smc_buf_max },
	{ "rmem", offsetof(struct smc_net, rmem),
	  sizeof(int), proc_dointvec_minmax, &smc_buf_min, &smc_buf_max },
	{ "smcr_max_links_per_lgr", offsetof(struct smc_net, smcr_max_links_per_lgr),
	  sizeof(int), proc_dointvec_minmax, &smc_links_min, &smc_links_max },
	{ "smcr_max_conns_per_lgr", offsetof(struct smc_net, smcr_max_conns_per_lgr),
	  sizeof(int), proc_dointvec_minmax, &smc_conns_min, &smc_conns_max },
	/* Ours: what the namespace's DMBs may add up to, in bytes. */
	{ "smcd_dmb_limit", SMC_KNOB_DMB_LIMIT,
	  sizeof(unsigned long), smc_dmb_limit_sysctl },
	{ "limit_smc_hs", offsetof(struct smc_net, limit_smc_hs),
	  sizeof(int), proc_dointvec_minmax, SYSCTL_ZERO, SYSCTL_ONE },
	/* Ours: which SMC-D device kinds, in which order. */
	{ "smcd_device_order", offsetof(struct smc_net, smcd_order),
	  SMC_DEVORDER_TEXT_LEN, smc_devorder_sysctl },
};

/* The namespace's table, pointing into its struct smc_net. */
static struct ctl_table *smc_sysctl_table(struct smc_net *sn)
{
	struct ctl_table *table;
	int i;

	/* One more, zeroed, ends the table. */
	table = kcalloc(ARRAY_SIZE(smc_knobs) + 1, sizeof(*table), GFP_KERNEL);
	if (!table)
		return NULL;
	for (i = 0; i < ARRAY_SIZE(smc_knobs); i++) {
		const struct smc_knob *k = &smc_knobs[i];

		table[i].procname = k->name;
		table[i].data = k->offset == SMC_KNOB_DMB_LIMIT ?
				(void *)&sn->dmb_acct->limit :
				(char *)sn + k->offset;
		table[i].maxlen = k->size;
		table[i].mode = 0644;
		table[i].proc_handler = k->handler;
		table[i].extra1 = k->min;
		table[i].extra2 = k->max;
	}
	return table;
}

/* wmem and rmem start from TCP's default buffer sizes in the namespace, as
 * in recent upstream kernels (6.1 had a fixed 64 KiB): a 128 KiB DMB lets
 * the reader drain one 64 KiB write while the next one arrives, where a
 * 64 KiB ring makes every such write wait for the reader.
 */
static void smc_sysctl_defaults(struct net *net, struct smc_net *sn)
{
	sn->autocorking_size = 64 * 1024;
	sn->smcr_buf_type = 0;
	sn->smcr_testlink_time = 30 * HZ;
	/* Within the sysctls' own range, so that the value reads back as
	 * one that can be written, and twice it fits a socket's int.
	 */
	sn->wmem = clamp(READ_ONCE(net->ipv4.sysctl_tcp_wmem[1]),
			 smc_buf_min, smc_buf_max);
	sn->rmem = clamp(READ_ONCE(net->ipv4.sysctl_tcp_rmem[1]),
			 smc_buf_min, smc_buf_max);
	sn->smcr_max_links_per_lgr = 2;
	sn->smcr_max_conns_per_lgr = 255;
	sn->limit_smc_hs = 0;
	sn->smcd_order = smc_devorder_default();
}

int smc_sysctl_net_init(struct net *net)
{
	struct smc_net *sn = smc_net(net);
	struct ctl_table *table;

	smc_sysctl_defaults(net, sn);
	table = smc_sysctl_table(sn);
	if (!table)
		return -ENOMEM;

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
