/* SPDX-License-Identifier: GPL-2.0 */
/*
 * smc-ng: per network namespace statistics.
 *
 * Counters are per CPU so that the data path never shares a cache line
 * with another CPU for bookkeeping; readers add them up. The layout is
 * ours; only the netlink report (SMC_NETLINK_GET_STATS) is ABI, so the
 * enums below follow the order of its attributes to keep the report a
 * plain loop.
 */
#ifndef _SMC_STATS_H
#define _SMC_STATS_H

#include <linux/percpu.h>
#include <linux/smc.h>
#include <linux/types.h>
#include <net/net_namespace.h>

/* Which technology a counter belongs to. */
enum smc_stat_tech {
	SMC_STAT_SMCD,
	SMC_STAT_SMCR,
	SMC_STAT_TECHS
};

enum smc_stat_dir {
	SMC_STAT_TX,
	SMC_STAT_RX,
	SMC_STAT_DIRS
};

/* Same order as SMC_NLA_STATS_T_CLNT_V1_SUCC .. SMC_NLA_STATS_T_TX_CNT. */
enum smc_stat_event {
	SMC_STAT_CLNT_V1_SUCC,
	SMC_STAT_CLNT_V2_SUCC,
	SMC_STAT_SRV_V1_SUCC,
	SMC_STAT_SRV_V2_SUCC,
	SMC_STAT_SENDPAGE,
	SMC_STAT_SPLICE,
	SMC_STAT_CORK,
	SMC_STAT_NODELAY,
	SMC_STAT_URGENT,
	SMC_STAT_RX_BYTES,
	SMC_STAT_TX_BYTES,
	SMC_STAT_RX_CALLS,
	SMC_STAT_TX_CALLS,
	SMC_STAT_EVENTS
};

/* Same order as SMC_NLA_STATS_RMB_SIZE_SM_PEER_CNT .. _DGRADE_CNT. */
enum smc_stat_buf_event {
	SMC_STAT_BUF_SMALL_PEER,	/* the peer's buffer is below what we asked */
	SMC_STAT_BUF_SMALL,		/* ours was capped below what was asked */
	SMC_STAT_BUF_FULL_PEER,		/* a sender waited for the peer's space */
	SMC_STAT_BUF_FULL,		/* our ring was found full */
	SMC_STAT_BUF_REUSE,		/* a buffer came from the pool */
	SMC_STAT_BUF_ALLOC,		/* a buffer was allocated */
	SMC_STAT_BUF_DOWNGRADE,		/* allocated smaller than wanted */
	SMC_STAT_BUF_EVENTS
};

/* Size classes of the histograms: up to 8 KiB, 16 KiB, ... 1 MiB, more. */
#define SMC_STAT_SIZE_CLASSES	9

struct smc_stats_tech {
	u64	events[SMC_STAT_EVENTS];
	u64	buf_size[SMC_STAT_DIRS][SMC_STAT_SIZE_CLASSES];
	u64	payload[SMC_STAT_DIRS][SMC_STAT_SIZE_CLASSES];
	u64	buf[SMC_STAT_DIRS][SMC_STAT_BUF_EVENTS];
};

struct smc_stats {
	struct smc_stats_tech	tech[SMC_STAT_TECHS];
	u64			hs_errors[2];	/* [0] client, [1] server */
};

int smc_stats_net_init(struct net *net);
void smc_stats_net_exit(struct net *net);

void smc_stat_event(struct net *net, enum smc_stat_tech tech,
		    enum smc_stat_event ev);
void smc_stat_payload(struct net *net, enum smc_stat_tech tech,
		      enum smc_stat_dir dir, size_t len, long rc);
void smc_stat_buf(struct net *net, enum smc_stat_tech tech,
		  enum smc_stat_dir dir, enum smc_stat_buf_event ev);
void smc_stat_buf_size(struct net *net, enum smc_stat_tech tech,
		       enum smc_stat_dir dir, u32 len);
void smc_stat_hs_error(struct net *net, bool server);

/* Sum of every CPU's counters. */
void smc_stats_read(struct net *net, struct smc_stats *sum);

#endif /* _SMC_STATS_H */
