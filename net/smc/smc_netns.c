// SPDX-License-Identifier: GPL-2.0
/*
 * smc-ng: per network namespace state.
 *
 * Everything an administrator can see or tune lives here so that one
 * namespace never observes or changes another's.
 */
#include <linux/module.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

#include "smc_netns.h"
#include "smc_pnet.h"
#include "smc_stats.h"
#include "smc_sysctl.h"

unsigned int smc_net_id __read_mostly;

/* Count a fallback under its reason. Reasons beyond the table's capacity
 * still count in the totals, so the totals never lie.
 */
void smc_netns_count_fallback(struct net *net, u32 reason, bool server)
{
	struct smc_net *sn = smc_net(net);
	struct smc_fallback_slot *slot = NULL;
	int i;

	spin_lock_bh(&sn->fallback_lock);
	for (i = 0; i < SMC_FALLBACK_SLOTS; i++) {
		if (sn->fallback[i].code == reason || !sn->fallback[i].code) {
			slot = &sn->fallback[i];
			break;
		}
	}
	if (slot) {
		slot->code = reason;
		if (server)
			slot->server++;
		else
			slot->client++;
	}
	if (server)
		sn->fallback_server++;
	else
		sn->fallback_client++;
	spin_unlock_bh(&sn->fallback_lock);
}

u64 smc_netns_fallback_count(struct net *net, u32 reason, bool server)
{
	struct smc_net *sn = smc_net(net);
	u64 count = 0;
	int i;

	spin_lock_bh(&sn->fallback_lock);
	for (i = 0; i < SMC_FALLBACK_SLOTS && sn->fallback[i].code; i++) {
		if (sn->fallback[i].code == reason) {
			count = server ? sn->fallback[i].server :
					 sn->fallback[i].client;
			break;
		}
	}
	spin_unlock_bh(&sn->fallback_lock);
	return count;
}

static int __net_init smc_net_init(struct net *net)
{
	struct smc_net *sn = smc_net(net);
	int rc;

	spin_lock_init(&sn->fallback_lock);
	spin_lock_init(&sn->ueid_lock);
	atomic_long_set(&sn->dmb_bytes, 0);
	smc_pnet_net_init(net);
	rc = smc_stats_net_init(net);
	if (rc)
		return rc;
	rc = smc_sysctl_net_init(net);
	if (rc)
		smc_stats_net_exit(net);
	return rc;
}

static void __net_exit smc_net_exit(struct net *net)
{
	smc_sysctl_net_exit(net);
	smc_pnet_net_exit(net);
	smc_stats_net_exit(net);
}

static struct pernet_operations smc_net_ops = {
	.init = smc_net_init,
	.exit = smc_net_exit,
	.id   = &smc_net_id,
	.size = sizeof(struct smc_net),
};

int smc_netns_init(void)
{
	return register_pernet_subsys(&smc_net_ops);
}

void smc_netns_exit(void)
{
	unregister_pernet_subsys(&smc_net_ops);
}
