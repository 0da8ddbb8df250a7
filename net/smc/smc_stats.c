// SPDX-License-Identifier: GPL-2.0
/*
 * smc-ng: per network namespace statistics.
 */
#include <linux/bitops.h>
#include <linux/build_bug.h>
#include <linux/percpu.h>

#include "smc_netns.h"
#include "smc_stats.h"

static_assert(SMC_NLA_STATS_T_CLNT_V1_SUCC + SMC_STAT_TX_CALLS ==
	      SMC_NLA_STATS_T_TX_CNT);
static_assert(SMC_NLA_STATS_RMB_SIZE_SM_PEER_CNT + SMC_STAT_BUF_DOWNGRADE ==
	      SMC_NLA_STATS_RMB_DGRADE_CNT);
static_assert(SMC_NLA_STATS_PLOAD_8K + SMC_STAT_SIZE_CLASSES - 1 ==
	      SMC_NLA_STATS_PLOAD_G_1024K);

static struct smc_stats __percpu *smc_stats_of(struct net *net)
{
	return smc_net(net)->stats;
}

/* 0 for up to 8 KiB, one more per doubling, the last class open ended. */
static unsigned int smc_stat_size_class(u64 len)
{
	unsigned int class = len ? fls64((len - 1) >> 13) : 0;

	return min_t(unsigned int, class, SMC_STAT_SIZE_CLASSES - 1);
}

void smc_stat_event(struct net *net, enum smc_stat_tech tech,
		    enum smc_stat_event ev)
{
	this_cpu_inc(smc_stats_of(net)->tech[tech].events[ev]);
}

/* One send or receive call, counted as 6.1 counts it (smcd stats shows
 * these as requests): every call, whatever it returned; one that moved
 * @rc bytes also adds them, and its size class is that of @len (a send's
 * requested length, a receive's result).
 */
void smc_stat_payload(struct net *net, enum smc_stat_tech tech,
		      enum smc_stat_dir dir, size_t len, long rc)
{
	struct smc_stats __percpu *st = smc_stats_of(net);
	bool tx = dir == SMC_STAT_TX;

	this_cpu_inc(st->tech[tech].events[tx ? SMC_STAT_TX_CALLS :
						 SMC_STAT_RX_CALLS]);
	if (rc <= 0 || !len)
		return;
	this_cpu_add(st->tech[tech].events[tx ? SMC_STAT_TX_BYTES :
						 SMC_STAT_RX_BYTES], rc);
	this_cpu_inc(st->tech[tech].payload[dir][smc_stat_size_class(len)]);
}

void smc_stat_buf(struct net *net, enum smc_stat_tech tech,
		  enum smc_stat_dir dir, enum smc_stat_buf_event ev)
{
	this_cpu_inc(smc_stats_of(net)->tech[tech].buf[dir][ev]);
}

void smc_stat_buf_size(struct net *net, enum smc_stat_tech tech,
		       enum smc_stat_dir dir, u32 len)
{
	unsigned int class = smc_stat_size_class(len);

	this_cpu_inc(smc_stats_of(net)->tech[tech].buf_size[dir][class]);
}

void smc_stat_hs_error(struct net *net, bool server)
{
	this_cpu_inc(smc_stats_of(net)->hs_errors[server]);
}

/* The structure is nothing but u64 counters: add it up as an array. */
void smc_stats_read(struct net *net, struct smc_stats *sum)
{
	struct smc_stats __percpu *st = smc_stats_of(net);
	u64 *out = (u64 *)sum;
	int cpu, i;

	BUILD_BUG_ON(sizeof(*sum) % sizeof(u64));
	memset(sum, 0, sizeof(*sum));
	for_each_possible_cpu(cpu) {
		const u64 *in = (const u64 *)per_cpu_ptr(st, cpu);

		for (i = 0; i < sizeof(*sum) / sizeof(u64); i++)
			out[i] += READ_ONCE(in[i]);
	}
}

int smc_stats_net_init(struct net *net)
{
	smc_net(net)->stats = alloc_percpu(struct smc_stats);
	return smc_net(net)->stats ? 0 : -ENOMEM;
}

void smc_stats_net_exit(struct net *net)
{
	free_percpu(smc_net(net)->stats);
	smc_net(net)->stats = NULL;
}
