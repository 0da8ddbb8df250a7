// SPDX-License-Identifier: GPL-2.0
/*
 * smc-ng: per network namespace state.
 *
 * Everything an administrator can see or tune lives here so that one
 * namespace never observes or changes another's.
 */
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/nsproxy.h>
#include <linux/refcount.h>
#include <linux/sched.h>
#include <linux/slab.h>
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

/* Namespaces that exist when the module loads have no known maker: they
 * hang off the host's account, as before the module saw them.
 */
static bool smc_netns_loading;

static void smc_dmb_acct_put(struct smc_dmb_acct *acct)
{
	struct smc_dmb_acct *parent;

	while (acct && refcount_dec_and_test(&acct->ref)) {
		parent = acct->parent;
		kfree(acct);
		acct = parent;
	}
}

/* The account of @net, under the one of the namespace of the task making
 * it (pernet init runs in the unshare() or clone() that makes it). It
 * starts at a quarter of RAM (room for thousands of connections, yet no
 * namespace can pin the machine's memory in shared buffers), or at its
 * maker's limit if that is lower.
 */
static struct smc_dmb_acct *smc_dmb_acct_new(struct net *net)
{
	struct smc_dmb_acct *acct, *parent = NULL;
	struct net *maker = current->nsproxy ? current->nsproxy->net_ns : NULL;

	acct = kzalloc(sizeof(*acct), GFP_KERNEL);
	if (!acct)
		return NULL;
	refcount_set(&acct->ref, 1);
	atomic_long_set(&acct->bytes, 0);
	acct->limit = (totalram_pages() << PAGE_SHIFT) / 4;
	if (net != &init_net) {
		if (smc_netns_loading || !maker || net_eq(maker, net))
			maker = &init_net;
		parent = smc_net(maker)->dmb_acct;
		refcount_inc(&parent->ref);
		acct->limit = min(acct->limit, READ_ONCE(parent->limit));
	}
	acct->parent = parent;
	return acct;
}

static int __net_init smc_net_init(struct net *net)
{
	struct smc_net *sn = smc_net(net);
	int rc;

	spin_lock_init(&sn->fallback_lock);
	spin_lock_init(&sn->ueid_lock);
	sn->dmb_acct = smc_dmb_acct_new(net);
	if (!sn->dmb_acct)
		return -ENOMEM;
	smc_pnet_net_init(net);
	rc = smc_stats_net_init(net);
	if (rc)
		goto out_acct;
	rc = smc_sysctl_net_init(net);
	if (!rc)
		return 0;
	smc_stats_net_exit(net);
out_acct:
	smc_dmb_acct_put(sn->dmb_acct);
	return rc;
}

static void __net_exit smc_net_exit(struct net *net)
{
	smc_sysctl_net_exit(net);
	smc_pnet_net_exit(net);
	smc_stats_net_exit(net);
	smc_dmb_acct_put(smc_net(net)->dmb_acct);
}

static struct pernet_operations smc_net_ops = {
	.init = smc_net_init,
	.exit = smc_net_exit,
	.id   = &smc_net_id,
	.size = sizeof(struct smc_net),
};

int smc_netns_init(void)
{
	int rc;

	smc_netns_loading = true;
	rc = register_pernet_subsys(&smc_net_ops);
	smc_netns_loading = false;
	return rc;
}

void smc_netns_exit(void)
{
	unregister_pernet_subsys(&smc_net_ops);
}
