// SPDX-License-Identifier: GPL-2.0
/*
 * smc-ng: sock_diag for AF_SMC (smc_diag.ko).
 *
 * The reply format is what smcss and other existing tools parse: one
 * struct smc_diag_msg per socket, its addresses taken from the internal
 * TCP socket, followed by the SHUTDOWN and FALLBACK attributes and the
 * extensions the request asks for. A requester sees the sockets of its
 * own network namespace only.
 *
 * Sockets are collected in small batches under the list lock and filled
 * in afterwards under their own socket lock, so the TCP socket we read
 * cannot be released under us.
 */
#include <linux/module.h>
#include <linux/sock_diag.h>
#include <linux/smc_diag.h>
#include <linux/inet_diag.h>
#include <net/ipv6.h>
#include <net/netlink.h>
#include <net/sock.h>

#include "smc_sock.h"

#define SMC_DIAG_BATCH	32

static void smc_diag_fill_id(struct smc_diag_msg *r, struct sock *sk,
			     struct sock *tsk)
{
	sock_diag_save_cookie(sk, r->id.idiag_cookie);
	if (!tsk)
		return;
	r->id.idiag_sport = inet_sk(tsk)->inet_sport;
	r->id.idiag_dport = inet_sk(tsk)->inet_dport;
	r->id.idiag_if = tsk->sk_bound_dev_if;
#if IS_ENABLED(CONFIG_IPV6)
	if (tsk->sk_family == AF_INET6) {
		memcpy(r->id.idiag_src, &tsk->sk_v6_rcv_saddr,
		       sizeof(r->id.idiag_src));
		memcpy(r->id.idiag_dst, &tsk->sk_v6_daddr,
		       sizeof(r->id.idiag_dst));
		return;
	}
#endif
	/* Tools tell IPv4 from IPv6 by the words after the first being 0. */
	r->id.idiag_src[0] = inet_sk(tsk)->inet_rcv_saddr;
	r->id.idiag_dst[0] = inet_sk(tsk)->inet_daddr;
}

static u8 smc_diag_mode(const struct smc_sock *smc)
{
	if (smc->fallback)
		return SMC_DIAG_MODE_FALLBACK_TCP;
	if (smc->conn.lgr)
		return SMC_DIAG_MODE_SMCD;
	/* INIT and LISTEN sockets report 0, as the in-tree stack does. */
	return SMC_DIAG_MODE_SMCR;
}

static void smc_diag_cursor(struct smc_diag_cursor *out,
			    const struct smc_cursor *c)
{
	out->wrap = c->wrap;
	out->count = c->count;
}

/* Extensions that describe the shared-memory connection, as asked for. */
static int smc_diag_fill_conn(struct sk_buff *skb, struct smc_sock *smc,
			      u8 ext, bool admin)
{
	struct smc_conn *conn = &smc->conn;
	struct smcd_device *dev = conn->lgr->dev;
	struct smc_diag_conninfo ci = {};
	struct smcd_diag_dmbinfo di = {};
	struct smcd_gid gid;

	if (ext & (1 << (SMC_DIAG_CONNINFO - 1))) {
		spin_lock_bh(&conn->lock);
		ci.token = conn->diag_token;
		/* No send buffer of our own: we write into the peer's DMB. */
		ci.sndbuf_size = conn->peer_ring;
		ci.rmbe_size = conn->rmb_ring;
		ci.peer_rmbe_size = conn->peer_ring;
		/* As 6.1 fills them: rx_* is the CDC the peer last sent (its
		 * producer and consumer cursors), tx_* what we send (ours).
		 */
		smc_diag_cursor(&ci.rx_prod, &conn->rx_prod);
		smc_diag_cursor(&ci.rx_cons, &conn->tx_cons);
		smc_diag_cursor(&ci.tx_prod, &conn->tx_prod);
		smc_diag_cursor(&ci.tx_cons, &conn->rx_cons);
		ci.rx_prod_flags = conn->rx_prod_flags;
		ci.rx_conn_state_flags = conn->rx_conn_flags;
		ci.tx_prod_flags = conn->tx_prod_flags;
		ci.tx_conn_state_flags = conn->tx_conn_flags;
		/* Data goes straight to the peer: prepared = sent = done. */
		smc_diag_cursor(&ci.tx_prep, &conn->tx_prod);
		smc_diag_cursor(&ci.tx_sent, &conn->tx_prod);
		smc_diag_cursor(&ci.tx_fin, &conn->tx_cons);
		spin_unlock_bh(&conn->lock);
		if (nla_put(skb, SMC_DIAG_CONNINFO, sizeof(ci), &ci))
			return -EMSGSIZE;
	}
	if (ext & (1 << (SMC_DIAG_DMBINFO - 1))) {
		dev->ops->get_gid(dev, &gid);
		di.linkid = conn->lgr->id;
		di.peer_gid = conn->lgr->peer_gid.gid;
		di.my_gid = gid.gid;
		/* A DMB token is all a loopback device asks of a writer:
		 * only an admin of the namespace learns the tokens.
		 */
		if (admin) {
			di.token = conn->rmb.token;
			di.peer_token = conn->peer_token;
		}
		if (nla_put(skb, SMC_DIAG_DMBINFO, sizeof(di), &di))
			return -EMSGSIZE;
	}
	return 0;
}

static int smc_diag_fill(struct sock *sk, struct sk_buff *skb,
			 struct netlink_callback *cb, u8 ext)
{
	const struct nlmsghdr *req = cb->nlh;
	struct sock *requester = NETLINK_CB(cb->skb).sk;
	struct smc_sock *smc = smc_sk(sk);
	struct smc_diag_fallback fb;
	struct smc_diag_msg *msg;
	struct nlmsghdr *nlh;

	nlh = nlmsg_put(skb, NETLINK_CB(cb->skb).portid, req->nlmsg_seq,
			req->nlmsg_type, sizeof(*msg), NLM_F_MULTI);
	if (!nlh)
		return -EMSGSIZE;
	msg = nlmsg_data(nlh);
	memset(msg, 0, sizeof(*msg));
	msg->diag_family = PF_SMC;
	msg->diag_state = sk->sk_state;
	msg->diag_mode = smc_diag_mode(smc);
	msg->diag_shutdown = sk->sk_shutdown;
	smc_diag_fill_id(msg, sk, smc->tcp ? smc->tcp->sk : NULL);
	msg->diag_uid = from_kuid_munged(sk_user_ns(requester),
					 sock_i_uid(sk));
	msg->diag_inode = sock_i_ino(sk);

	fb.reason = smc->fallback_reason;
	fb.peer_diagnosis = smc->peer_diagnosis;
	/* CONNINFO and DMBINFO describe a shared-memory connection; a socket
	 * without one has nothing to report there. LGRINFO is SMC-R only.
	 */
	if (!nla_put(skb, SMC_DIAG_FALLBACK, sizeof(fb), &fb) &&
	    !nla_put_u8(skb, SMC_DIAG_SHUTDOWN, sk->sk_shutdown) &&
	    (!smc_uses_smcd(smc) ||
	     !smc_diag_fill_conn(skb, smc, ext,
				 netlink_net_capable(cb->skb, CAP_NET_ADMIN)))) {
		nlmsg_end(skb, nlh);
		return 0;
	}
	nlmsg_cancel(skb, nlh);
	return -EMSGSIZE;
}

/* Take references on up to SMC_DIAG_BATCH sockets of @net listed before
 * the one numbered @before (0: from the newest). Returns how many were
 * taken, oldest last. @from, if still listed, is where the last batch
 * ended: the walk goes on from there instead of passing again every
 * socket reported so far (which made a dump quadratic in the sockets).
 */
static int smc_diag_collect(struct smc_hashinfo *h, struct net *net,
			    u64 before, struct sock *from, struct sock **batch)
{
	struct sock *sk;
	int n = 0;

	read_lock_bh(&h->lock);
	sk = from && !sk_unhashed(from) ? sk_next(from) : sk_head(&h->ht);
	sk_for_each_from(sk) {
		if (!net_eq(sock_net(sk), net))
			continue;
		if (before && smc_sk(sk)->list_seq >= before)
			continue;
		if (!refcount_inc_not_zero(&sk->sk_refcnt))
			continue;
		batch[n++] = sk;
		if (n == SMC_DIAG_BATCH)
			break;
	}
	read_unlock_bh(&h->lock);
	return n;
}

/* cb->args[0]: which proto; cb->args[1]: the list number of the last
 * socket reported from it (0: none yet).
 */
static int smc_diag_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	static struct proto *const protos[] = { &smc_proto, &smc_proto6 };
	struct smc_diag_req *req = nlmsg_data(cb->nlh);
	struct net *net = sock_net(skb->sk);
	struct sock *batch[SMC_DIAG_BATCH], *from = NULL;
	int n, i, rc = 0;

	while (cb->args[0] < ARRAY_SIZE(protos)) {
		n = smc_diag_collect(protos[cb->args[0]]->h.smc_hash, net,
				     cb->args[1], from, batch);
		if (from)
			sock_put(from);
		from = NULL;
		for (i = 0; i < n; i++) {
			if (!rc) {
				lock_sock(batch[i]);
				rc = smc_diag_fill(batch[i], skb, cb,
						   req->diag_ext);
				release_sock(batch[i]);
				if (!rc)
					cb->args[1] = smc_sk(batch[i])->list_seq;
			}
			/* The next batch starts after the last one. */
			if (!rc && i == SMC_DIAG_BATCH - 1)
				from = batch[i];
			else
				sock_put(batch[i]);
		}
		if (rc)
			return skb->len;
		if (n < SMC_DIAG_BATCH) {
			cb->args[0]++;
			cb->args[1] = 0;
		}
	}
	return skb->len;
}

static int smc_diag_request(struct sk_buff *skb, struct nlmsghdr *h)
{
	struct net *net = sock_net(skb->sk);
	struct netlink_dump_control c = {
		.dump = smc_diag_dump,
		.min_dump_alloc = SKB_WITH_OVERHEAD(32768),
	};

	if (nlmsg_len(h) < (int)sizeof(struct smc_diag_req))
		return -EINVAL;
	/* Tools ask with NLM_F_ROOT alone; any dump bit means a dump. */
	if (h->nlmsg_type != SOCK_DIAG_BY_FAMILY ||
	    !(h->nlmsg_flags & NLM_F_DUMP))
		return 0;
	return netlink_dump_start(net->diag_nlsk, skb, h, &c);
}

/* Pins this module while a request runs: .owner. */
static const struct sock_diag_handler smc_diag_ops = {
	.owner = THIS_MODULE, .family = AF_SMC, .dump = smc_diag_request,
};

static int __init smc_diag_module_init(void)
{
	return sock_diag_register(&smc_diag_ops);
}
module_init(smc_diag_module_init);

static void __exit smc_diag_module_exit(void)
{
	sock_diag_unregister(&smc_diag_ops);
}
module_exit(smc_diag_module_exit);

MODULE_ALIAS_NET_PF_PROTO_TYPE(PF_NETLINK, NETLINK_SOCK_DIAG, 43 /* AF_SMC */);
MODULE_DESCRIPTION("smc-ng: sock_diag for AF_SMC sockets");
MODULE_VERSION(SMC_NG_VERSION);
MODULE_LICENSE("GPL");
