// SPDX-License-Identifier: GPL-2.0
/*
 * smc-ng: the PNET table and its generic netlink family "SMC_PNETID".
 *
 * Each network namespace has its own table: an entry assigns a PNET ID to
 * a network interface (by name) or to an RDMA or SMC-D device (by name and
 * port). Names are stored, not resolved, so an entry may be made before
 * its interface exists, as with the in-tree stack. An SMC-D device named
 * here carries that PNET ID for this namespace only; other namespaces see
 * the device as its driver registered it.
 */
#include <linux/list.h>
#include <linux/netdevice.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <net/genetlink.h>
#include <net/netlink.h>
#include <net/sock.h>

#include "smc_netlink.h"
#include "smc_netns.h"
#include "smc_pnet.h"

/* Bounds what one namespace's root can make the kernel hold. */
#define SMC_PNET_MAX_ENTRIES	256
#define SMC_PNET_DEV_LEN	64	/* RDMA device names are the longest */
/* One entry's message (smc_pnet_fill()), both names at their longest. */
#define SMC_PNET_MSG_MAX	(NLMSG_ALIGN(NLMSG_HDRLEN + GENL_HDRLEN) + \
				 nla_total_size(SMC_PNET_ID_LEN + 1) + \
				 2 * nla_total_size(SMC_PNET_DEV_LEN) + \
				 nla_total_size(sizeof(u8)))
#define SMC_PNET_PORT_NONE	255	/* what GET reports for interfaces */
#define SMC_PNET_MAX_PORT	2

struct smc_pnet_entry {
	struct list_head	node;
	char			pnetid[SMC_PNET_ID_LEN + 1];
	bool			netdev;		/* else an RDMA/SMC-D device */
	char			dev[SMC_PNET_DEV_LEN];
	u8			port;
	bool			smcd;		/* @dev named an SMC-D device */
};

void smc_pnet_net_init(struct net *net)
{
	struct smc_net *sn = smc_net(net);

	mutex_init(&sn->pnet_lock);
	INIT_LIST_HEAD(&sn->pnet);
	sn->pnet_cnt = 0;
}

static void smc_pnet_flush(struct smc_net *sn)
{
	struct smc_pnet_entry *e, *tmp;

	mutex_lock(&sn->pnet_lock);
	list_for_each_entry_safe(e, tmp, &sn->pnet, node) {
		list_del(&e->node);
		kfree(e);
	}
	sn->pnet_cnt = 0;
	mutex_unlock(&sn->pnet_lock);
}

void smc_pnet_net_exit(struct net *net)
{
	smc_pnet_flush(smc_net(net));
}

/* What the device reports is what the text rules read. */
static_assert(SMCD_PNETID_LEN == SMC_PNET_ID_LEN);

bool smc_pnet_of_smcd(struct net *net, struct smcd_device *dev,
		      char pnetid[SMC_PNET_ID_LEN + 1])
{
	struct smc_net *sn = smc_net(net);
	struct smc_pnet_entry *e;
	bool found = false;

	mutex_lock(&sn->pnet_lock);
	list_for_each_entry(e, &sn->pnet, node) {
		if (!e->netdev && !strcmp(e->dev, dev->name)) {
			strscpy(pnetid, e->pnetid, SMC_PNET_ID_LEN + 1);
			found = true;
			break;
		}
	}
	mutex_unlock(&sn->pnet_lock);
	return found || smc_pnetid_from_raw(dev->pnetid, pnetid);
}

bool smc_pnet_smcd_usable(struct net *net, struct smcd_device *dev)
{
	struct smc_net *sn = smc_net(net);
	char pnetid[SMC_PNET_ID_LEN + 1];
	struct smc_pnet_entry *e;
	bool usable = false;

	if (!smc_pnet_of_smcd(net, dev, pnetid))
		return true;
	mutex_lock(&sn->pnet_lock);
	list_for_each_entry(e, &sn->pnet, node) {
		if (!e->netdev || strcmp(e->pnetid, pnetid))
			continue;
		rcu_read_lock();
		usable = !!dev_get_by_name_rcu(net, e->dev);
		rcu_read_unlock();
		if (usable)
			break;
	}
	mutex_unlock(&sn->pnet_lock);
	return usable;
}

/* ---- generic netlink "SMC_PNETID" ---- */

static struct genl_family smc_pnet_family;

static const struct nla_policy smc_pnet_policy[SMC_PNETID_MAX + 1] = {
	[SMC_PNETID_NAME]	= { .type = NLA_NUL_STRING,
				    .len = SMC_PNET_ID_LEN },
	[SMC_PNETID_ETHNAME]	= { .type = NLA_NUL_STRING,
				    .len = IFNAMSIZ - 1 },
	[SMC_PNETID_IBNAME]	= { .type = NLA_NUL_STRING,
				    .len = SMC_PNET_DEV_LEN - 1 },
	[SMC_PNETID_IBPORT]	= { .type = NLA_U8 },
};

/* Letters and digits only (smc_pnetid_normalize()); stored upper case. */
static int smc_pnet_parse_id(const struct nlattr *attr, char *out,
			     struct netlink_ext_ack *extack)
{
	int len;

	if (!attr) {
		NL_SET_ERR_MSG(extack, "PNET ID missing");
		return -EINVAL;
	}
	len = nla_strscpy(out, attr, SMC_PNET_ID_LEN + 1);
	if (len <= 0) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "PNET ID empty or too long");
		return -EINVAL;
	}
	if (smc_pnetid_normalize(out)) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "PNET ID takes letters and digits");
		return -EINVAL;
	}
	return 0;
}

/* The PNET ID a lookup (GET, DEL) names. One that no entry can have is
 * no error but matches nothing, as in 6.1 (smc_pnet shows nothing, and a
 * delete finds nothing): @out is emptied. A missing or too long one is
 * refused.
 */
static int smc_pnet_parse_lookup(const struct nlattr *attr, char *out,
				 struct netlink_ext_ack *extack)
{
	if (!attr || nla_len(attr) > SMC_PNET_ID_LEN + 1)
		return smc_pnet_parse_id(attr, out, extack);
	if (smc_pnet_parse_id(attr, out, NULL))
		*out = 0;
	return 0;
}

static int smc_pnet_fill(struct sk_buff *skb, const struct smc_pnet_entry *e,
			 u32 portid, u32 seq, int flags)
{
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &smc_pnet_family, flags,
			  SMC_PNETID_GET);
	if (!hdr)
		return -EMSGSIZE;
	/* Tools print all four without checking: fill the other side in. */
	if (nla_put_string(skb, SMC_PNETID_NAME, e->pnetid) ||
	    nla_put_string(skb, SMC_PNETID_ETHNAME, e->netdev ? e->dev : "n/a") ||
	    nla_put_string(skb, SMC_PNETID_IBNAME, e->netdev ? "n/a" : e->dev) ||
	    nla_put_u8(skb, SMC_PNETID_IBPORT,
		       e->netdev ? SMC_PNET_PORT_NONE : e->port)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

static int smc_pnet_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct smc_net *sn = smc_net(sock_net(skb->sk));
	struct smc_pnet_entry *e;
	long idx = 0;

	mutex_lock(&sn->pnet_lock);
	list_for_each_entry(e, &sn->pnet, node) {
		if (idx++ < cb->args[0])
			continue;
		if (smc_pnet_fill(skb, e, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, NLM_F_MULTI))
			break;
		cb->args[0] = idx;
	}
	mutex_unlock(&sn->pnet_lock);
	return skb->len;
}

/* GET with a name answers like a dump restricted to that name, ending in
 * NLMSG_DONE, which is what existing tools wait for.
 */
static int smc_pnet_get(struct sk_buff *skb, struct genl_info *info)
{
	struct smc_net *sn = smc_net(genl_info_net(info));
	char pnetid[SMC_PNET_ID_LEN + 1];
	struct smc_pnet_entry *e;
	struct nlmsghdr *done;
	struct sk_buff *msg;
	int rc, n = 0;

	rc = smc_pnet_parse_lookup(info->attrs[SMC_PNETID_NAME], pnetid,
				   info->extack);
	if (rc)
		return rc;
	mutex_lock(&sn->pnet_lock);
	/* Sized for what matches: anyone may ask, and room for a full
	 * table would be 64 KiB of contiguous memory per request.
	 */
	list_for_each_entry(e, &sn->pnet, node)
		n += !strcmp(e->pnetid, pnetid);
	msg = nlmsg_new(n * SMC_PNET_MSG_MAX + NLMSG_HDRLEN, GFP_KERNEL);
	if (!msg) {
		mutex_unlock(&sn->pnet_lock);
		return -ENOMEM;
	}
	list_for_each_entry(e, &sn->pnet, node) {
		if (strcmp(e->pnetid, pnetid))
			continue;
		rc = smc_pnet_fill(msg, e, info->snd_portid, info->snd_seq,
				   NLM_F_MULTI);
		if (rc)
			break;
	}
	mutex_unlock(&sn->pnet_lock);
	done = rc ? NULL : nlmsg_put(msg, info->snd_portid, info->snd_seq,
				     NLMSG_DONE, 0, NLM_F_MULTI);
	if (!done) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	return genlmsg_reply(msg, info);
}

/* An RDMA device has a PNET ID per port, an SMC-D device one in all (it
 * has no ports, and smc_pnet_of_smcd() reads the first entry of its name):
 * a second one for it is refused, as 6.1 refuses to change an SMC-D
 * device's PNET ID set by the user.
 */
static bool smc_pnet_clash(const struct smc_pnet_entry *a,
			   const struct smc_pnet_entry *b)
{
	if (a->netdev != b->netdev || strcmp(a->dev, b->dev))
		return false;
	return a->netdev || a->smcd || b->smcd || a->port == b->port;
}

static bool smc_pnet_name_match(struct smcd_device *dev, void *name)
{
	return !strcmp(dev->name, name);
}

static bool smc_pnet_names_smcd(const char *name)
{
	struct smcd_device *dev;

	dev = smcd_device_find(smc_pnet_name_match, (void *)name);
	if (dev)
		smcd_device_put(dev);
	return dev;
}

/* One entry of an ADD request: an interface or an RDMA/SMC-D device. */
static struct smc_pnet_entry *smc_pnet_entry_new(const char *pnetid,
						 struct nlattr *name,
						 struct nlattr *port,
						 bool netdev,
						 struct netlink_ext_ack *extack)
{
	struct smc_pnet_entry *e = kzalloc(sizeof(*e), GFP_KERNEL_ACCOUNT);

	if (!e)
		return ERR_PTR(-ENOMEM);
	strscpy(e->pnetid, pnetid, sizeof(e->pnetid));
	e->netdev = netdev;
	e->port = port ? nla_get_u8(port) : 1;
	/* Checked here, not by the policy: EINVAL, as 6.1 answers. */
	if (e->port < 1 || e->port > SMC_PNET_MAX_PORT) {
		NL_SET_ERR_MSG_ATTR(extack, port, "port 1 or 2");
		kfree(e);
		return ERR_PTR(-EINVAL);
	}
	if (nla_strscpy(e->dev, name, sizeof(e->dev)) <= 0) {
		NL_SET_ERR_MSG_ATTR(extack, name, "name empty");
		kfree(e);
		return ERR_PTR(-EINVAL);
	}
	e->smcd = !netdev && smc_pnet_names_smcd(e->dev);
	return e;
}

static bool smc_pnet_listed(struct smc_net *sn,
			    const struct smc_pnet_entry *new)
{
	struct smc_pnet_entry *e;

	list_for_each_entry(e, &sn->pnet, node)
		if (smc_pnet_clash(e, new))
			return true;
	return false;
}

/* An interface, a device, or both (as smc_pnet may send). Both names are
 * checked before anything is added; then each is added unless it is
 * listed already, and EEXIST means neither was new, as in 6.1.
 */
static int smc_pnet_add(struct sk_buff *skb, struct genl_info *info)
{
	struct smc_net *sn = smc_net(genl_info_net(info));
	struct smc_pnet_entry *new[2] = {};
	struct nlattr **attrs = info->attrs;
	char pnetid[SMC_PNET_ID_LEN + 1];
	int i, n = 0, added = 0, rc;

	rc = smc_pnet_parse_id(attrs[SMC_PNETID_NAME], pnetid, info->extack);
	if (rc)
		return rc;
	if (!attrs[SMC_PNETID_ETHNAME] && !attrs[SMC_PNETID_IBNAME]) {
		NL_SET_ERR_MSG(info->extack, "interface or device name missing");
		return -EINVAL;
	}
	if (attrs[SMC_PNETID_ETHNAME])
		new[n++] = smc_pnet_entry_new(pnetid, attrs[SMC_PNETID_ETHNAME],
					      NULL, true, info->extack);
	if (attrs[SMC_PNETID_IBNAME])
		new[n++] = smc_pnet_entry_new(pnetid, attrs[SMC_PNETID_IBNAME],
					      attrs[SMC_PNETID_IBPORT], false,
					      info->extack);
	for (i = 0; i < n; i++)
		if (IS_ERR(new[i]))
			rc = PTR_ERR(new[i]);
	if (rc)
		goto out_free;

	rc = -EEXIST;
	mutex_lock(&sn->pnet_lock);
	for (i = 0; i < n; i++) {
		if (smc_pnet_listed(sn, new[i]))
			continue;
		if (sn->pnet_cnt >= SMC_PNET_MAX_ENTRIES) {
			rc = -ENOSPC;
			continue;
		}
		list_add_tail(&new[i]->node, &sn->pnet);
		sn->pnet_cnt++;
		new[i] = NULL;		/* the table's now */
		added++;
	}
	mutex_unlock(&sn->pnet_lock);
	if (added)
		rc = 0;
out_free:
	for (i = 0; i < n; i++)
		if (!IS_ERR_OR_NULL(new[i]))
			kfree(new[i]);
	return rc;
}

static int smc_pnet_del(struct sk_buff *skb, struct genl_info *info)
{
	struct smc_net *sn = smc_net(genl_info_net(info));
	char pnetid[SMC_PNET_ID_LEN + 1];
	struct smc_pnet_entry *e, *tmp;
	int rc;

	rc = smc_pnet_parse_lookup(info->attrs[SMC_PNETID_NAME], pnetid,
				   info->extack);
	if (rc)
		return rc;
	rc = -ENOENT;
	mutex_lock(&sn->pnet_lock);
	list_for_each_entry_safe(e, tmp, &sn->pnet, node) {
		if (strcmp(e->pnetid, pnetid))
			continue;
		list_del(&e->node);
		kfree(e);
		sn->pnet_cnt--;
		rc = 0;
	}
	mutex_unlock(&sn->pnet_lock);
	return rc;
}

static int smc_pnet_flush_cmd(struct sk_buff *skb, struct genl_info *info)
{
	smc_pnet_flush(smc_net(genl_info_net(info)));
	return 0;
}

/* Reads are for everyone; changes need CAP_NET_ADMIN over the netns. */
static const struct genl_ops smc_pnet_ops[] = {
	{
		.cmd	= SMC_PNETID_GET,
		.doit	= smc_pnet_get,
		.dumpit	= smc_pnet_dump,
	},
	{
		.cmd	= SMC_PNETID_ADD,
		.flags	= GENL_UNS_ADMIN_PERM,
		.doit	= smc_pnet_add,
	},
	{
		.cmd	= SMC_PNETID_DEL,
		.flags	= GENL_UNS_ADMIN_PERM,
		.doit	= smc_pnet_del,
	},
	{
		.cmd	= SMC_PNETID_FLUSH,
		.flags	= GENL_UNS_ADMIN_PERM,
		.doit	= smc_pnet_flush_cmd,
	},
};

static struct genl_family smc_pnet_family __ro_after_init =
	SMC_GENL_FAMILY(SMCR_GENL_FAMILY_NAME, SMCR_GENL_FAMILY_VERSION,
			smc_pnet_ops, ARRAY_SIZE(smc_pnet_ops),
			smc_pnet_policy, SMC_PNETID_MAX, SMC_PNETID_FLUSH + 1);

int smc_pnet_genl_init(void)
{
	return genl_register_family(&smc_pnet_family);
}

void smc_pnet_genl_exit(void)
{
	genl_unregister_family(&smc_pnet_family);
}
