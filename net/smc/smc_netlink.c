// SPDX-License-Identifier: GPL-2.0
/*
 * smc-ng: the generic netlink family "SMC_GEN_NETLINK".
 *
 * The in-tree stack's administration interface, answered the same way so
 * that existing tools (smcd, smcr, smc_dbg) work unchanged: command
 * numbers, attribute nesting and types are ABI, and so are some habits
 * the tools depend on (one message for system info and statistics, all
 * fallback reasons as separate messages, EID replies at top level).
 *
 * Everything is per network namespace: a namespace sees its own link
 * groups, statistics and EIDs, and changes only its own. Reading needs no
 * privilege; changing needs CAP_NET_ADMIN over the namespace.
 */
#include <linux/module.h>
#include <linux/pci.h>
#include <net/genetlink.h>
#include <net/netlink.h>
#include <net/sock.h>

#include "smc_sock.h"
#include "smc_conn.h"
#include "smc_eid.h"
#include "smc_netlink.h"
#include "smc_netns.h"
#include "smc_pnet.h"
#include "smc_stats.h"

static struct genl_family smc_gen_family;

static void *smc_nl_put(struct sk_buff *skb, struct netlink_callback *cb,
			u8 cmd)
{
	return genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			   &smc_gen_family, NLM_F_MULTI, cmd);
}

/* Fixed-width fields (EIDs, host names) as NUL-terminated strings. */
static int smc_nl_put_fixed(struct sk_buff *skb, int type, const u8 *raw,
			    size_t len)
{
	char buf[64];

	len = min(len, sizeof(buf) - 1);
	memcpy(buf, raw, len);
	buf[len] = '\0';
	return nla_put_string(skb, type, buf);
}

static bool smc_nl_any_v2_device(void)
{
	struct smcd_device *dev;
	bool v2 = false;

	smcd_for_each_device(dev) {
		if (dev->ops->supports_v2(dev))
			v2 = true;
	}
	return v2;
}

/* A nest is all or nothing: end it if everything went in, else take it
 * out again.
 */
static int smc_nl_nest_close(struct sk_buff *skb, struct nlattr *nest,
			     bool failed)
{
	if (failed) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

/* ---- system information ---- */

static int smc_nl_fill_sys_info(struct sk_buff *skb, struct net *net)
{
	u8 host[SMC_CLC_HOSTNAME_LEN];
	bool v2 = smc_nl_any_v2_device();
	struct nlattr *nest;
	bool failed;

	nest = nla_nest_start(skb, SMC_GEN_SYS_INFO);
	if (!nest)
		return -EMSGSIZE;
	smc_clc_hostname(host);
	/* Attribute types above SMC_NLA_SYS_MAX would overrun smcd's parser. */
	failed = nla_put_u8(skb, SMC_NLA_SYS_VER, SMC_CLC_V2) ||
		 nla_put_u8(skb, SMC_NLA_SYS_REL, SMC_CLC_RELEASE_0) ||
		 nla_put_u8(skb, SMC_NLA_SYS_IS_ISM_V2, v2) ||
		 nla_put_u8(skb, SMC_NLA_SYS_IS_SMCR_V2, 0) ||
		 smc_nl_put_fixed(skb, SMC_NLA_SYS_LOCAL_HOST, host,
				  sizeof(host)) ||
		 (v2 && smc_nl_put_fixed(skb, SMC_NLA_SYS_SEID, smc_seid(),
					 SMC_EID_LEN));
	return smc_nl_nest_close(skb, nest, failed);
}

/* One-message dumps: args[0] records that the message went out. */
static int smc_nl_dump_once(struct sk_buff *skb, struct netlink_callback *cb,
			    u8 cmd,
			    int (*fill)(struct sk_buff *skb, struct net *net))
{
	void *hdr;

	if (cb->args[0])
		return 0;
	hdr = smc_nl_put(skb, cb, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (fill(skb, sock_net(skb->sk))) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	cb->args[0] = 1;
	return skb->len;
}

static int smc_nl_get_sys_info(struct sk_buff *skb,
			       struct netlink_callback *cb)
{
	return smc_nl_dump_once(skb, cb, SMC_NETLINK_GET_SYS_INFO,
				smc_nl_fill_sys_info);
}

/* ---- SMC-R: no RDMA support in this module yet, so nothing to list ---- */

static int smc_nl_dump_nothing(struct sk_buff *skb,
			       struct netlink_callback *cb)
{
	return 0;
}

/* ---- SMC-D link groups ---- */

static int smc_nl_fill_lgr_v2(struct sk_buff *skb,
			      const struct smcd_lgr_info *li)
{
	struct nlattr *nest;

	nest = nla_nest_start(skb, SMC_NLA_LGR_D_V2_COMMON);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u8(skb, SMC_NLA_LGR_V2_VER, SMC_CLC_V2) ||
	    nla_put_u8(skb, SMC_NLA_LGR_V2_REL, li->peer_release) ||
	    nla_put_u8(skb, SMC_NLA_LGR_V2_OS, li->peer_os) ||
	    smc_nl_put_fixed(skb, SMC_NLA_LGR_V2_NEG_EID, li->neg_eid,
			     sizeof(li->neg_eid)) ||
	    smc_nl_put_fixed(skb, SMC_NLA_LGR_V2_PEER_HOST, li->peer_host,
			     sizeof(li->peer_host)))
		return smc_nl_nest_close(skb, nest, true);
	return smc_nl_nest_close(skb, nest, false);
}

static int smc_nl_fill_lgr(struct sk_buff *skb, struct net *net,
			   const struct smcd_lgr_info *li)
{
	char pnetid[SMC_PNET_ID_LEN + 1] = "";
	struct smcd_device *dev = li->dev;
	struct nlattr *nest;
	struct smcd_gid gid;

	dev->ops->get_gid(dev, &gid);
	smc_pnet_of_smcd(net, dev, pnetid);
	nest = nla_nest_start(skb, SMC_GEN_LGR_SMCD);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u32(skb, SMC_NLA_LGR_D_ID, li->id) ||
	    nla_put_u64_64bit(skb, SMC_NLA_LGR_D_GID, gid.gid,
			      SMC_NLA_LGR_D_PAD) ||
	    nla_put_u64_64bit(skb, SMC_NLA_LGR_D_PEER_GID, li->peer_gid.gid,
			      SMC_NLA_LGR_D_PAD) ||
	    nla_put_u8(skb, SMC_NLA_LGR_D_VLAN_ID, 0) ||
	    nla_put_u32(skb, SMC_NLA_LGR_D_CONNS_NUM, li->nconns) ||
	    nla_put_u32(skb, SMC_NLA_LGR_D_CHID, dev->ops->get_chid(dev)) ||
	    nla_put_string(skb, SMC_NLA_LGR_D_PNETID, pnetid) ||
	    (li->peer_known && smc_nl_fill_lgr_v2(skb, li)))
		return smc_nl_nest_close(skb, nest, true);
	return smc_nl_nest_close(skb, nest, false);
}

static int smc_nl_get_lgr_smcd(struct sk_buff *skb,
			       struct netlink_callback *cb)
{
	struct net *net = sock_net(skb->sk);
	struct smcd_lgr_info li;
	void *hdr;
	int rc;

	while (!smcd_lgr_info_nth(net, cb->args[0], &li)) {
		rc = -EMSGSIZE;
		hdr = smc_nl_put(skb, cb, SMC_NETLINK_GET_LGR_SMCD);
		if (hdr) {
			rc = smc_nl_fill_lgr(skb, net, &li);
			if (rc)
				genlmsg_cancel(skb, hdr);
			else
				genlmsg_end(skb, hdr);
		}
		smcd_device_put(li.dev);
		if (rc)
			break;
		cb->args[0]++;
	}
	return skb->len;
}

/* ---- SMC-D devices ---- */

static int smc_nl_fill_port(struct sk_buff *skb, struct net *net,
			    struct smcd_device *dev)
{
	char pnetid[SMC_PNET_ID_LEN + 1] = "";
	char own[SMC_PNET_ID_LEN + 1] = "";
	struct nlattr *nest;
	bool by_user;

	/* "By user" when this namespace's table overrides the device's. */
	smc_pnet_of_smcd(net, dev, pnetid);
	memcpy(own, dev->pnetid, min(sizeof(dev->pnetid), sizeof(own) - 1));
	strim(own);
	by_user = pnetid[0] && strcmp(pnetid, own);
	nest = nla_nest_start(skb, SMC_NLA_DEV_PORT);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u8(skb, SMC_NLA_DEV_PORT_PNET_USR, by_user) ||
	    nla_put_string(skb, SMC_NLA_DEV_PORT_PNETID, pnetid))
		return smc_nl_nest_close(skb, nest, true);
	return smc_nl_nest_close(skb, nest, false);
}

/* A device message always has its PORT nest: smcd crashes without it. */
static int smc_nl_fill_dev(struct sk_buff *skb, struct net *net,
			   struct smcd_device *dev)
{
	struct device *parent = dev->dev.parent;
	u32 used = smcd_lgr_count(net, dev);
	struct pci_dev *pdev = NULL;
	struct nlattr *nest;

	if (parent && dev_is_pci(parent))
		pdev = to_pci_dev(parent);
	nest = nla_nest_start(skb, SMC_GEN_DEV_SMCD);
	if (!nest)
		return -EMSGSIZE;
	/* A PCI function's ids as 6.1 gives an ISM device's; otherwise (the
	 * loopback device) the PCI id carries the device's name.
	 */
	if (nla_put_u32(skb, SMC_NLA_DEV_USE_CNT, used) ||
	    nla_put_u8(skb, SMC_NLA_DEV_IS_CRIT, used > 0) ||
	    nla_put_u32(skb, SMC_NLA_DEV_PCI_FID, 0) ||
	    nla_put_u16(skb, SMC_NLA_DEV_PCI_CHID, dev->ops->get_chid(dev)) ||
	    nla_put_u16(skb, SMC_NLA_DEV_PCI_VENDOR, pdev ? pdev->vendor : 0) ||
	    nla_put_u16(skb, SMC_NLA_DEV_PCI_DEVICE, pdev ? pdev->device : 0) ||
	    nla_put_string(skb, SMC_NLA_DEV_PCI_ID,
			   pdev ? pci_name(pdev) : dev->name) ||
	    smc_nl_fill_port(skb, net, dev))
		return smc_nl_nest_close(skb, nest, true);
	return smc_nl_nest_close(skb, nest, false);
}

static int smc_nl_get_dev_smcd(struct sk_buff *skb,
			       struct netlink_callback *cb)
{
	struct net *net = sock_net(skb->sk);
	struct smcd_device *dev;
	long idx = 0;
	void *hdr;

	smcd_for_each_device(dev) {
		if (idx++ < cb->args[0])
			continue;
		hdr = smc_nl_put(skb, cb, SMC_NETLINK_GET_DEV_SMCD);
		if (!hdr || smc_nl_fill_dev(skb, net, dev)) {
			if (hdr)
				genlmsg_cancel(skb, hdr);
			smcd_device_put(dev);
			break;
		}
		genlmsg_end(skb, hdr);
		cb->args[0] = idx;
	}
	return skb->len;
}

/* ---- statistics ---- */

static int smc_nl_put_u64s(struct sk_buff *skb, int type, int first,
			   const u64 *v, int n, int pad)
{
	struct nlattr *nest = nla_nest_start(skb, type);
	int i;

	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < n; i++) {
		if (nla_put_u64_64bit(skb, first + i, v[i], pad))
			return smc_nl_nest_close(skb, nest, true);
	}
	return smc_nl_nest_close(skb, nest, false);
}

static int smc_nl_fill_tech(struct sk_buff *skb, int type,
			    const struct smc_stats_tech *t)
{
	struct nlattr *nest = nla_nest_start(skb, type);
	int i;

	if (!nest)
		return -EMSGSIZE;
	if (smc_nl_put_u64s(skb, SMC_NLA_STATS_T_TX_RMB_SIZE,
			    SMC_NLA_STATS_PLOAD_8K, t->buf_size[SMC_STAT_TX],
			    SMC_STAT_SIZE_CLASSES, SMC_NLA_STATS_PLOAD_PAD) ||
	    smc_nl_put_u64s(skb, SMC_NLA_STATS_T_RX_RMB_SIZE,
			    SMC_NLA_STATS_PLOAD_8K, t->buf_size[SMC_STAT_RX],
			    SMC_STAT_SIZE_CLASSES, SMC_NLA_STATS_PLOAD_PAD) ||
	    smc_nl_put_u64s(skb, SMC_NLA_STATS_T_TXPLOAD_SIZE,
			    SMC_NLA_STATS_PLOAD_8K, t->payload[SMC_STAT_TX],
			    SMC_STAT_SIZE_CLASSES, SMC_NLA_STATS_PLOAD_PAD) ||
	    smc_nl_put_u64s(skb, SMC_NLA_STATS_T_RXPLOAD_SIZE,
			    SMC_NLA_STATS_PLOAD_8K, t->payload[SMC_STAT_RX],
			    SMC_STAT_SIZE_CLASSES, SMC_NLA_STATS_PLOAD_PAD) ||
	    smc_nl_put_u64s(skb, SMC_NLA_STATS_T_TX_RMB_STATS,
			    SMC_NLA_STATS_RMB_SIZE_SM_PEER_CNT,
			    t->buf[SMC_STAT_TX], SMC_STAT_BUF_EVENTS,
			    SMC_NLA_STATS_RMB_PAD) ||
	    smc_nl_put_u64s(skb, SMC_NLA_STATS_T_RX_RMB_STATS,
			    SMC_NLA_STATS_RMB_SIZE_SM_PEER_CNT,
			    t->buf[SMC_STAT_RX], SMC_STAT_BUF_EVENTS,
			    SMC_NLA_STATS_RMB_PAD))
		return smc_nl_nest_close(skb, nest, true);
	/* The event counters sit in the tech nest itself, not a nest of their own. */
	for (i = 0; i < SMC_STAT_EVENTS; i++)
		if (nla_put_u64_64bit(skb, SMC_NLA_STATS_T_CLNT_V1_SUCC + i,
				      t->events[i], SMC_NLA_STATS_T_PAD))
			return smc_nl_nest_close(skb, nest, true);
	return smc_nl_nest_close(skb, nest, false);
}

static int smc_nl_fill_stats(struct sk_buff *skb, struct net *net)
{
	struct smc_stats *st;
	struct nlattr *nest;
	int rc = -EMSGSIZE;
	bool failed;

	st = kmalloc(sizeof(*st), GFP_KERNEL);
	if (!st)
		return -ENOMEM;
	smc_stats_read(net, st);
	nest = nla_nest_start(skb, SMC_GEN_STATS);
	if (!nest)
		goto out;
	failed = smc_nl_fill_tech(skb, SMC_NLA_STATS_SMCD_TECH,
				  &st->tech[SMC_STAT_SMCD]) ||
		 smc_nl_fill_tech(skb, SMC_NLA_STATS_SMCR_TECH,
				  &st->tech[SMC_STAT_SMCR]) ||
		 nla_put_u64_64bit(skb, SMC_NLA_STATS_CLNT_HS_ERR_CNT,
				   st->hs_errors[0], SMC_NLA_STATS_PAD) ||
		 nla_put_u64_64bit(skb, SMC_NLA_STATS_SRV_HS_ERR_CNT,
				   st->hs_errors[1], SMC_NLA_STATS_PAD);
	rc = smc_nl_nest_close(skb, nest, failed);
out:
	kfree(st);
	return rc;
}

static int smc_nl_get_stats(struct sk_buff *skb, struct netlink_callback *cb)
{
	return smc_nl_dump_once(skb, cb, SMC_NETLINK_GET_STATS,
				smc_nl_fill_stats);
}

/* ---- fallback reasons ---- */

struct smc_nl_fback {
	struct smc_fallback_slot slot[SMC_FALLBACK_SLOTS];
	u64	server;
	u64	client;
};

static void smc_nl_fback_read(struct net *net, struct smc_nl_fback *fb)
{
	struct smc_net *sn = smc_net(net);

	spin_lock_bh(&sn->fallback_lock);
	memcpy(fb->slot, sn->fallback, sizeof(fb->slot));
	fb->server = sn->fallback_server;
	fb->client = sn->fallback_client;
	spin_unlock_bh(&sn->fallback_lock);
}

static int smc_nl_fill_fback(struct sk_buff *skb, const struct smc_nl_fback *fb,
			     int slot, bool server, bool first)
{
	const struct smc_fallback_slot *s = &fb->slot[slot];
	u64 count = server ? s->server : s->client;
	struct nlattr *nest;

	nest = nla_nest_start(skb, SMC_GEN_FBACK_STATS);
	if (!nest)
		return -EMSGSIZE;
	/* The totals ride on the first message only, as tools expect. */
	if (nla_put_u8(skb, SMC_NLA_FBACK_STATS_TYPE, server) ||
	    (first && (nla_put_u64_64bit(skb, SMC_NLA_FBACK_STATS_SRV_CNT,
					 fb->server, SMC_NLA_FBACK_STATS_PAD) ||
			nla_put_u64_64bit(skb, SMC_NLA_FBACK_STATS_CLNT_CNT,
					  fb->client,
					  SMC_NLA_FBACK_STATS_PAD))) ||
	    nla_put_u32(skb, SMC_NLA_FBACK_STATS_RSN_CODE, s->code) ||
	    nla_put_u16(skb, SMC_NLA_FBACK_STATS_RSN_CNT,
			min_t(u64, count, U16_MAX)))
		return smc_nl_nest_close(skb, nest, true);
	return smc_nl_nest_close(skb, nest, false);
}

/* One message per (reason, side) that was counted; args[0] is the next
 * position, two per slot (server first).
 */
static int smc_nl_get_fback_stats(struct sk_buff *skb,
				  struct netlink_callback *cb)
{
	struct smc_nl_fback *fb;
	long pos;
	void *hdr;

	fb = kmalloc(sizeof(*fb), GFP_KERNEL);
	if (!fb)
		return -ENOMEM;
	smc_nl_fback_read(sock_net(skb->sk), fb);
	for (pos = cb->args[0]; pos < 2 * SMC_FALLBACK_SLOTS; pos++) {
		const struct smc_fallback_slot *s = &fb->slot[pos / 2];
		bool server = !(pos % 2);

		if (!s->code)
			break;
		if (!(server ? s->server : s->client))
			continue;
		hdr = smc_nl_put(skb, cb, SMC_NETLINK_GET_FBACK_STATS);
		if (!hdr)
			break;
		if (smc_nl_fill_fback(skb, fb, pos / 2, server, !cb->args[1])) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
		cb->args[1] = 1;
	}
	cb->args[0] = pos;
	kfree(fb);
	return skb->len;
}

/* ---- user and system EIDs ---- */

static int smc_nl_dump_ueid(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct net *net = sock_net(skb->sk);
	u8 eids[SMC_MAX_UEID][SMC_EID_LEN];
	int i, n;
	void *hdr;

	n = smc_ueid_fill(net, &eids[0][0], SMC_MAX_UEID);
	for (i = cb->args[0]; i < n; i++) {
		hdr = smc_nl_put(skb, cb, SMC_NETLINK_DUMP_UEID);
		if (!hdr)
			break;
		if (smc_nl_put_fixed(skb, SMC_NLA_EID_TABLE_ENTRY, eids[i],
				     SMC_EID_LEN)) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
	}
	cb->args[0] = i;
	return skb->len;
}

/* Tools send the EID blank padded to its full length plus a NUL. */
static const u8 *smc_nl_eid_attr(struct genl_info *info)
{
	const struct nlattr *attr = info->attrs[SMC_NLA_EID_TABLE_ENTRY];
	const u8 *eid;

	if (!attr) {
		NL_SET_ERR_MSG(info->extack, "EID missing");
		return NULL;
	}
	eid = nla_data(attr);
	if (nla_len(attr) != SMC_EID_LEN + 1 || eid[SMC_EID_LEN] ||
	    memchr(eid, '\0', SMC_EID_LEN) || !smc_eid_valid(eid)) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr,
				    "EID: 32 blank-padded characters A-Z 0-9 . -");
		return NULL;
	}
	return eid;
}

static int smc_nl_add_ueid(struct sk_buff *skb, struct genl_info *info)
{
	const u8 *eid = smc_nl_eid_attr(info);

	return eid ? smc_ueid_add(genl_info_net(info), eid) : -EINVAL;
}

static int smc_nl_remove_ueid(struct sk_buff *skb, struct genl_info *info)
{
	const u8 *eid = smc_nl_eid_attr(info);

	return eid ? smc_ueid_remove(genl_info_net(info), eid) : -EINVAL;
}

static int smc_nl_flush_ueid(struct sk_buff *skb, struct genl_info *info)
{
	smc_ueid_flush(genl_info_net(info));
	return 0;
}

/* Exactly one message; without an SMC-Dv2 device there is no SEID to
 * show and the message is empty, which tools print as "n/a".
 */
static int smc_nl_fill_seid(struct sk_buff *skb, struct net *net)
{
	if (!smc_nl_any_v2_device())
		return 0;
	if (smc_nl_put_fixed(skb, SMC_NLA_SEID_ENTRY, smc_seid(), SMC_EID_LEN) ||
	    nla_put_u8(skb, SMC_NLA_SEID_ENABLED, smc_seid_enabled(net)))
		return -EMSGSIZE;
	return 0;
}

static int smc_nl_dump_seid(struct sk_buff *skb, struct netlink_callback *cb)
{
	return smc_nl_dump_once(skb, cb, SMC_NETLINK_DUMP_SEID,
				smc_nl_fill_seid);
}

static int smc_nl_enable_seid(struct sk_buff *skb, struct genl_info *info)
{
	return smc_seid_set_enabled(genl_info_net(info), true);
}

static int smc_nl_disable_seid(struct sk_buff *skb, struct genl_info *info)
{
	return smc_seid_set_enabled(genl_info_net(info), false);
}

/* ---- handshake limitation (net.smc.limit_smc_hs) ---- */

static int smc_nl_fill_hs_limit(struct sk_buff *skb, struct net *net)
{
	return nla_put_u8(skb, SMC_NLA_HS_LIMITATION_ENABLED,
			  !!READ_ONCE(smc_net(net)->limit_smc_hs));
}

static int smc_nl_dump_hs_limit(struct sk_buff *skb,
				struct netlink_callback *cb)
{
	return smc_nl_dump_once(skb, cb, SMC_NETLINK_DUMP_HS_LIMITATION,
				smc_nl_fill_hs_limit);
}

static int smc_nl_enable_hs_limit(struct sk_buff *skb, struct genl_info *info)
{
	WRITE_ONCE(smc_net(genl_info_net(info))->limit_smc_hs, 1);
	return 0;
}

static int smc_nl_disable_hs_limit(struct sk_buff *skb, struct genl_info *info)
{
	WRITE_ONCE(smc_net(genl_info_net(info))->limit_smc_hs, 0);
	return 0;
}

/* ---- the family ---- */

/* The length is checked by the handler: a wrong one is EINVAL, as on 6.1
 * (a policy's ERANGE would read as "too many UEIDs" to smcd).
 */
static const struct nla_policy smc_nl_ueid_policy[SMC_NLA_EID_TABLE_MAX + 1] = {
	[SMC_NLA_EID_TABLE_ENTRY] = { .type = NLA_BINARY },
};

/* Other commands take no attributes at all. */
static const struct nla_policy smc_nl_policy[SMC_NLA_EID_TABLE_MAX + 1] = {
	[SMC_NLA_EID_TABLE_ENTRY] = { .type = NLA_REJECT },
};

#define SMC_NL_DUMP(c, fn)	{ .cmd = (c), .dumpit = (fn) }
#define SMC_NL_ADMIN(c, fn)	{ .cmd = (c), .doit = (fn),		\
				  .flags = GENL_UNS_ADMIN_PERM }

static const struct genl_ops smc_gen_ops[] = {
	SMC_NL_DUMP(SMC_NETLINK_GET_SYS_INFO, smc_nl_get_sys_info),
	SMC_NL_DUMP(SMC_NETLINK_GET_LGR_SMCR, smc_nl_dump_nothing),
	SMC_NL_DUMP(SMC_NETLINK_GET_LINK_SMCR, smc_nl_dump_nothing),
	SMC_NL_DUMP(SMC_NETLINK_GET_LGR_SMCD, smc_nl_get_lgr_smcd),
	SMC_NL_DUMP(SMC_NETLINK_GET_DEV_SMCD, smc_nl_get_dev_smcd),
	SMC_NL_DUMP(SMC_NETLINK_GET_DEV_SMCR, smc_nl_dump_nothing),
	SMC_NL_DUMP(SMC_NETLINK_GET_STATS, smc_nl_get_stats),
	SMC_NL_DUMP(SMC_NETLINK_GET_FBACK_STATS, smc_nl_get_fback_stats),
	SMC_NL_DUMP(SMC_NETLINK_DUMP_UEID, smc_nl_dump_ueid),
	{
		.cmd	= SMC_NETLINK_ADD_UEID,
		.doit	= smc_nl_add_ueid,
		.flags	= GENL_UNS_ADMIN_PERM,
		.policy	= smc_nl_ueid_policy,
		.maxattr = SMC_NLA_EID_TABLE_MAX,
	},
	{
		.cmd	= SMC_NETLINK_REMOVE_UEID,
		.doit	= smc_nl_remove_ueid,
		.flags	= GENL_UNS_ADMIN_PERM,
		.policy	= smc_nl_ueid_policy,
		.maxattr = SMC_NLA_EID_TABLE_MAX,
	},
	SMC_NL_ADMIN(SMC_NETLINK_FLUSH_UEID, smc_nl_flush_ueid),
	SMC_NL_DUMP(SMC_NETLINK_DUMP_SEID, smc_nl_dump_seid),
	SMC_NL_ADMIN(SMC_NETLINK_ENABLE_SEID, smc_nl_enable_seid),
	SMC_NL_ADMIN(SMC_NETLINK_DISABLE_SEID, smc_nl_disable_seid),
	SMC_NL_DUMP(SMC_NETLINK_DUMP_HS_LIMITATION, smc_nl_dump_hs_limit),
	SMC_NL_ADMIN(SMC_NETLINK_ENABLE_HS_LIMITATION, smc_nl_enable_hs_limit),
	SMC_NL_ADMIN(SMC_NETLINK_DISABLE_HS_LIMITATION,
		     smc_nl_disable_hs_limit),
};

static struct genl_family smc_gen_family __ro_after_init =
	SMC_GENL_FAMILY(SMC_GENL_FAMILY_NAME, SMC_GENL_FAMILY_VERSION,
			smc_gen_ops, ARRAY_SIZE(smc_gen_ops),
			smc_nl_policy, SMC_NLA_EID_TABLE_MAX,
			SMC_NETLINK_DISABLE_HS_LIMITATION + 1);

int smc_netlink_init(void)
{
	int rc;

	rc = genl_register_family(&smc_gen_family);
	if (rc)
		return rc;
	rc = smc_pnet_genl_init();
	if (rc)
		genl_unregister_family(&smc_gen_family);
	return rc;
}

void smc_netlink_exit(void)
{
	smc_pnet_genl_exit();
	genl_unregister_family(&smc_gen_family);
}

MODULE_ALIAS_GENL_FAMILY(SMC_GENL_FAMILY_NAME);
MODULE_ALIAS_GENL_FAMILY(SMCR_GENL_FAMILY_NAME);
