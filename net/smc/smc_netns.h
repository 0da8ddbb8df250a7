/* SPDX-License-Identifier: GPL-2.0 */
/*
 * smc-ng: state kept per network namespace.
 */
#ifndef _SMC_NETNS_H
#define _SMC_NETNS_H

#include <linux/mutex.h>
#include <linux/refcount.h>
#include <linux/smc.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

/* As many distinct reasons as the netlink fallback dump can report. */
#define SMC_FALLBACK_SLOTS	30

struct smc_fallback_slot {
	u32	code;
	u32	pad;
	u64	server;
	u64	client;
};

struct smc_stats;
struct ctl_table_header;

struct smc_net {
	spinlock_t		fallback_lock;	/* fallback[] and totals */
	struct smc_fallback_slot fallback[SMC_FALLBACK_SLOTS];
	u64			fallback_server;
	u64			fallback_client;
	struct smc_stats __percpu *stats;

	spinlock_t		ueid_lock;	/* ueid[], ueid_cnt */
	u8			ueid[SMC_MAX_UEID][SMC_MAX_EID_LEN];
	int			ueid_cnt;
	bool			seid_off;	/* the SEID is not offered */

	struct mutex		pnet_lock;	/* pnet list */
	struct list_head	pnet;		/* struct smc_pnet_entry */
	int			pnet_cnt;

	/* net.smc sysctls; read with READ_ONCE */
	struct ctl_table_header	*sysctl;
	unsigned int		autocorking_size;
	unsigned int		smcr_buf_type;
	int			smcr_testlink_time;	/* jiffies */
	int			wmem;
	int			rmem;
	int			smcr_max_links_per_lgr;
	int			smcr_max_conns_per_lgr;
	int			limit_smc_hs;
	u32			smcd_order;	/* see smc_devorder.c */

	struct smc_dmb_acct	*dmb_acct;
};

/* What a namespace's DMBs add up to, against its smcd_dmb_limit. A
 * namespace made from inside another is charged there too, up to the
 * host's: its root cannot step out of the limit it was given by making a
 * namespace of its own. Outlives its namespace while one made from it
 * lives.
 */
struct smc_dmb_acct {
	refcount_t		ref;
	atomic_long_t		bytes;
	unsigned long		limit;		/* the sysctl; READ_ONCE */
	struct smc_dmb_acct	*parent;	/* NULL: the host's */
};

extern unsigned int smc_net_id;

static inline struct smc_net *smc_net(const struct net *net)
{
	return net_generic(net, smc_net_id);
}

void smc_netns_count_fallback(struct net *net, u32 reason, bool server);
u64 smc_netns_fallback_count(struct net *net, u32 reason, bool server);
int smc_netns_init(void);
void smc_netns_exit(void);

#endif /* _SMC_NETNS_H */
