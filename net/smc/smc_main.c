// SPDX-License-Identifier: GPL-2.0
/*
 * smc-ng: Shared Memory Communications (AF_SMC) - module entry.
 *
 * Registers the AF_SMC family and turns on the TCP stack's SMC option
 * handling, which the distribution kernel carries for any SMC module.
 */
#include <linux/module.h>
#include <linux/net.h>
#include <net/sock.h>
#include <net/tcp.h>

#include "smc_sock.h"
#include "smc_conn.h"
#include "smc_eid.h"
#include "smc_fault.h"
#include "smc_netlink.h"
#include "smc_netns.h"

struct workqueue_struct *smc_hs_wq;

unsigned int smc_fault_pct;
module_param_named(fault_pct, smc_fault_pct, uint, 0644);
MODULE_PARM_DESC(fault_pct, "tests only: fail this percentage of connection set-up allocations");
struct workqueue_struct *smc_connect_wq;

static const struct net_proto_family smc_family = {
	.family	= PF_SMC,
	.owner	= THIS_MODULE,
	.create	= smc_sock_create,
};

static int __init smc_module_init(void)
{
	int rc;

	smc_eid_init();
	rc = smc_netns_init();
	if (rc)
		return rc;

	rc = smc_fallback_init();
	if (rc)
		goto out_netns;

	/* Server handshakes and CDC work never block on a peer. A client's
	 * handshake does (it waits for the server's answer), so clients get
	 * a queue of their own: a thousand clients waiting must not take
	 * every worker from the local servers that are to answer them.
	 * Both are per-CPU: work runs where the event that queued it came
	 * in, next to the socket's data, and its wake-up is a local one,
	 * where an unbound worker on another CPU costs an IPI per handshake
	 * step (measured: ~40% more connections per second on loopback).
	 * Server steps are short and someone waits for each, so they run at
	 * high priority: with busy user threads on every CPU a normal
	 * per-CPU worker waits its turn behind them (measured with four CPU
	 * hogs in a 2-CPU guest: 186 connections/s against 136).
	 */
	rc = -ENOMEM;
	smc_hs_wq = alloc_workqueue("smc_hs", WQ_HIGHPRI, 0);
	if (!smc_hs_wq)
		goto out_netns;
	smc_connect_wq = alloc_workqueue("smc_connect", 0, WQ_MAX_ACTIVE);
	if (!smc_connect_wq)
		goto out_hs_wq;

	rc = proto_register(&smc_proto, 1);
	if (rc)
		goto out_wq;
	rc = proto_register(&smc_proto6, 1);
	if (rc)
		goto out_proto;
	rc = smcd_device_init();
	if (rc)
		goto out_proto6;
	rc = smc_conn_module_init();
	if (rc)
		goto out_devices;
	rc = smc_netlink_init();
	if (rc)
		goto out_conn;
	rc = smc_inet_init();
	if (rc)
		goto out_netlink;
	/* Sockets can be made from here on, and one made before a later
	 * step failed would outlive the module: whatever can fail for lack
	 * of memory comes before. The two steps below fail only when
	 * another module holds AF_SMC or IPPROTO_SMC.
	 */
	rc = sock_register(&smc_family);
	if (rc)
		goto out_inet;
	rc = smc_inet_open();
	if (rc)
		goto out_family;

	static_branch_inc(&tcp_have_smc);
	return 0;

out_family:
	sock_unregister(PF_SMC);
out_inet:
	smc_inet_exit();
out_netlink:
	smc_netlink_exit();
out_conn:
	smc_conn_module_exit();
out_devices:
	smcd_device_exit();
out_proto6:
	proto_unregister(&smc_proto6);
out_proto:
	proto_unregister(&smc_proto);
out_wq:
	destroy_workqueue(smc_connect_wq);
out_hs_wq:
	destroy_workqueue(smc_hs_wq);
out_netns:
	smc_netns_exit();
	return rc;
}

static void __exit smc_module_exit(void)
{
	static_branch_dec(&tcp_have_smc);
	smc_inet_close();
	sock_unregister(PF_SMC);
	smc_inet_exit();
	smc_netlink_exit();
	smc_conn_module_exit();
	smcd_device_exit();
	destroy_workqueue(smc_connect_wq);
	destroy_workqueue(smc_hs_wq);
	proto_unregister(&smc_proto6);
	proto_unregister(&smc_proto);
	smc_netns_exit();
}

module_init(smc_module_init);
module_exit(smc_module_exit);

MODULE_DESCRIPTION("smc-ng: Shared Memory Communications (AF_SMC)");
MODULE_LICENSE("GPL");
MODULE_VERSION(SMC_NG_VERSION);
MODULE_ALIAS_NETPROTO(PF_SMC);
