// SPDX-License-Identifier: GPL-2.0
/*
 * smc-ng: the CLC handshake on the internal TCP socket.
 *
 * Decides, for one connection, between a shared-memory path and TCP.
 * Every outcome that is not an error is either an SMC-D connection or a
 * fallback with a reason code the peer and the administrator can read;
 * errors (malformed CLC, a peer that leaves or stalls) fail only this
 * connection.
 *
 * SMC-D is offered in its version 2 form with every v2-capable device
 * (the loopback device in particular). SMC-R is not offered yet.
 */
#include <linux/slab.h>
#include <linux/smc.h>
#include <linux/tcp.h>
#include <linux/uio.h>
#include <linux/inetdevice.h>
#include <linux/utsname.h>
#include <net/addrconf.h>
#include <net/ipv6.h>
#include <net/sock.h>

#include "smc_sock.h"
#include "smc_conn.h"
#include "smc_devorder.h"
#include "smc_eid.h"
#include "smc_fault.h"
#include "smc_pnet.h"
#include "smc_stats.h"
#include "smc_clc_wire.h"

/* How long a peer may take for each CLC message, once it has ours. */
#define SMC_CLC_WAIT	(6 * HZ)
/* How long a client waits for the ACCEPT at most, delivery included. */
#define SMC_CLC_WAIT_MAX	(60 * HZ)

/* Everything one handshake works in, taken in one allocation before the
 * first CLC message goes out (client) or is read (server): once the peer
 * waits for our answer, no step may fail for want of memory, and a
 * connection that cannot have it goes on over TCP instead (DECLINE with
 * reason MEM), never reset.
 */
struct smc_hs_mem {
	u8			rx[SMC_CLC_MAX_LEN];	/* the message read */
	u8			tx[SMC_CLC_MAX_LEN];	/* the message sent */
	union smc_clc_msg_info	in;			/* rx, decoded */
	union {
		struct smc_clc_prop_info	prop;
		struct smc_clc_accept_info	acc;
	} out;						/* tx, to encode */
	u8			ueids[SMC_MAX_UEID][SMC_EID_LEN];
};

static bool smc_hs_mem_get(struct smc_sock *smc)
{
	if (!smc->hs_mem)
		smc->hs_mem = smc_kmalloc(sizeof(*smc->hs_mem), GFP_KERNEL);
	return smc->hs_mem;
}

static void smc_hs_mem_put(struct smc_sock *smc)
{
	kfree(smc->hs_mem);
	smc->hs_mem = NULL;
	smc->rx_used = 0;
}

/* Linux peers read CLC messages by exact length; each goes out whole. */
static int smc_clc_send(struct smc_sock *smc, void *buf, int len)
{
	struct msghdr msg = { .msg_flags = MSG_NOSIGNAL | MSG_DONTWAIT };
	struct kvec iov = { .iov_base = buf, .iov_len = len };
	int rc;

	rc = kernel_sendmsg(smc->tcp, &msg, &iov, 1, len);
	if (rc == len)
		return 0;
	return rc < 0 ? rc : -EPIPE;
}

static int smc_clc_send_decline(struct smc_sock *smc, u32 reason, u8 version)
{
	struct smc_clc_decline_info di = {
		.hdr.version = version,
		.out_of_sync = reason == SMC_CLC_DECL_SYNCERR,
		.diag = reason,
		.os_type = version >= SMC_CLC_V2 ? SMC_CLC_OS_LINUX : 0,
	};
	u8 buf[SMC_CLC_DECL_V2_LEN];
	int len;

	len = smc_clc_encode_decline(buf, sizeof(buf), &di);
	if (len < 0)
		return len;
	return smc_clc_send(smc, buf, len);
}

/* The application asked for IPsec on the connection (IP_XFRM_POLICY, set
 * on the socket or inherited from its listener): shared memory would
 * carry the data around it, so SMC is declined, as in-tree.
 */
static bool smc_tcp_uses_ipsec(const struct smc_sock *smc)
{
#ifdef CONFIG_XFRM
	const struct sock *tsk = smc->tcp->sk;

	return rcu_access_pointer(tsk->sk_policy[0]) ||
	       rcu_access_pointer(tsk->sk_policy[1]);
#else
	return false;
#endif
}

/* Decline and continue over TCP; 0, or the error sending the DECLINE. */
static int smc_decline_fallback(struct smc_sock *smc, u32 reason, u8 version)
{
	int rc = smc_clc_send_decline(smc, reason, version);

	if (!rc)
		smc_fallback_switch(smc, reason, 0);
	return rc;
}

/* Up to @len bytes of the TCP stream, without waiting for more. */
static int smc_clc_recv(struct smc_sock *smc, void *buf, int len, int flags)
{
	struct kvec iov = { .iov_base = buf, .iov_len = len };
	struct msghdr msg = {};

	return kernel_recvmsg(smc->tcp, &msg, &iov, 1, len,
			      flags | MSG_DONTWAIT);
}

/* Read one CLC message into hs_mem->rx, without waiting: -EAGAIN means
 * "not complete yet". Exactly the message's bytes are consumed, so
 * whatever follows stays in TCP's queue for the application.
 */
static int smc_clc_read(struct smc_sock *smc, u8 expected)
{
	u8 *rx = smc->hs_mem->rx;
	struct smc_clc_hdr_info hi;
	int total, n;

	for (;;) {
		total = SMC_CLC_HDR_LEN;
		if (smc->rx_used >= SMC_CLC_HDR_LEN) {
			total = smc_clc_check_hdr(rx, smc->rx_used, expected,
						  &hi);
			if (total < 0 || total > SMC_CLC_MAX_LEN)
				return -EPROTO;
			if (smc->rx_used == total)
				return total;
		}
		n = smc_clc_recv(smc, rx + smc->rx_used, total - smc->rx_used,
				 0);
		if (n < 0)
			return n;
		if (n == 0)
			return -ECONNRESET;
		smc->rx_used += n;
	}
}

/* A message is complete in hs_mem->rx: decode it into hs_mem->in. */
static union smc_clc_msg_info *smc_clc_decode_rx(struct smc_sock *smc,
						 u8 expected)
{
	union smc_clc_msg_info *mi = &smc->hs_mem->in;

	memset(mi, 0, sizeof(*mi));
	if (smc_clc_decode(smc->hs_mem->rx, smc->rx_used, expected, mi) < 0)
		return NULL;
	return mi;
}

static void smc_local_gid(struct smcd_device *dev, struct smcd_gid *gid)
{
	dev->ops->get_gid(dev, gid);
}

/* The node name as CLC carries it: blank padded, no terminator. */
void smc_clc_hostname(u8 *out)
{
	const char *name = utsname()->nodename;
	size_t len = strnlen(name, SMC_CLC_HOSTNAME_LEN);

	memset(out, ' ', SMC_CLC_HOSTNAME_LEN);
	memcpy(out, name, len);
}

/* ACCEPT (server) and CONFIRM (client) describe our end the same way. */
static int smc_clc_send_acc_conf(struct smc_sock *smc, u8 type,
				 bool first_contact, const u8 *eid)
{
	struct smc_conn *conn = &smc->conn;
	struct smc_clc_accept_info *ai = &smc->hs_mem->out.acc;
	struct smcd_device *dev = conn->lgr->dev;
	struct smcd_gid gid;
	int len;

	memset(ai, 0, sizeof(*ai));
	smc_local_gid(dev, &gid);
	ai->hdr.type = type;
	ai->hdr.version = SMC_CLC_V2;
	ai->smcd = true;
	ai->first_contact = first_contact;
	ai->d.gid = gid.gid;
	ai->d.gid_ext = gid.gid_ext;
	ai->d.token = conn->rmb.token;
	ai->d.dmbe_size = smc_dmb_size_code(conn->rmb.len);
	ai->d.linkid = conn->lgr->id;
	ai->d.chid = dev->ops->get_chid(dev);
	memcpy(ai->eid, eid, SMC_EID_LEN);
	if (first_contact) {
		ai->fce.os_type = SMC_CLC_OS_LINUX;
		ai->fce.release = SMC_CLC_RELEASE_0;
		smc_clc_hostname(ai->fce.hostname);
	}
	len = smc_clc_encode_acc_conf(smc->hs_mem->tx, SMC_CLC_MAX_LEN, ai);
	if (len > 0)
		len = smc_clc_send(smc, smc->hs_mem->tx, len);
	return len;
}

/* Every SMC-Dv2 device usable in @net, in the namespace's order of
 * device kinds (net.smc.smcd_device_order; registration order within a
 * kind): one per CHID, as many as the proposal's GID/CHID entries hold
 * (an emulated device takes two). The server takes the first it can
 * reach, so the loopback device and devices shared with other kernels can
 * be offered side by side.
 */
static void smc_offer_collect(struct net *net, struct smc_offer_devs *o)
{
	int entries = 0, need, i, rank[SMC_CLC_MAX_ISM_GIDS], r;
	struct smcd_device *dev;
	u16 chid;

	o->cnt = 0;
	smcd_for_each_device(dev) {
		r = smc_devorder_rank(net, dev);
		if (r < 0 || !dev->ops->supports_v2(dev) ||
		    !smc_pnet_smcd_usable(net, dev))
			continue;
		chid = dev->ops->get_chid(dev);
		need = smc_clc_chid_is_emulated(chid) ? 2 : 1;
		if (entries + need > SMC_CLC_MAX_ISM_GIDS)
			continue;
		for (i = 0; i < o->cnt; i++)
			if (o->dev[i]->ops->get_chid(o->dev[i]) == chid)
				break;
		if (i < o->cnt)
			continue;
		smcd_device_get(dev);
		/* Insert behind every device of the same or a better rank. */
		for (i = o->cnt; i > 0 && rank[i - 1] > r; i--) {
			o->dev[i] = o->dev[i - 1];
			rank[i] = rank[i - 1];
		}
		o->dev[i] = dev;
		rank[i] = r;
		o->cnt++;
		entries += need;
	}
}

static void smc_offer_devs_put(struct smc_offer_devs *o)
{
	while (o->cnt)
		smcd_device_put(o->dev[--o->cnt]);
}

/* What the answer needs of the devices offered: each one's serial, to
 * find it again if it is still there, and the CHID the server names.
 */
static void smc_offer_keep(struct smc_offer *kept,
			   const struct smc_offer_devs *o)
{
	int i;

	for (i = 0; i < o->cnt; i++) {
		kept->serial[i] = o->dev[i]->serial;
		kept->chid[i] = o->dev[i]->ops->get_chid(o->dev[i]);
	}
	kept->cnt = o->cnt;
}

/* The offered entry the server chose, by the CHID of its ACCEPT. */
static int smc_offer_index(const struct smc_offer *o, u16 chid)
{
	int i;

	for (i = 0; i < o->cnt; i++)
		if (o->chid[i] == chid)
			return i;
	return -1;
}

static bool smc_offer_match(struct smcd_device *dev, void *serial)
{
	return dev->serial == *(u64 *)serial;
}

/* The client's SMC-Dv2 offer: every entry of the offered devices, the
 * SEID, our UEIDs.
 */
static int smc_client_propose(struct smc_sock *smc,
			      const struct smc_offer_devs *o)
{
	struct smc_clc_prop_info *pi = &smc->hs_mem->out.prop;
	u8 (*ueids)[SMC_EID_LEN] = smc->hs_mem->ueids;
	struct smcd_device *dev;
	struct smcd_gid gid;
	int len, i;
	u16 chid;

	memset(pi, 0, sizeof(*pi));
	pi->hdr.version = SMC_CLC_V2;
	pi->hdr.typev1 = SMC_TYPE_N;
	pi->hdr.typev2 = SMC_TYPE_D;
	pi->has_smcd_area = true;
	pi->has_v2ext = true;
	pi->release = SMC_CLC_RELEASE_0;
	pi->eid_cnt = smc_ueid_fill(sock_net(&smc->sk), &ueids[0][0],
				    SMC_MAX_UEID);
	pi->eids = (const u8 (*)[SMC_CLC_EID_LEN])ueids;
	pi->has_smcd_v2ext = true;
	pi->seid_valid = smc_seid_enabled(sock_net(&smc->sk));
	if (pi->seid_valid)
		memcpy(pi->seid, smc_seid(), SMC_EID_LEN);
	for (i = 0; i < o->cnt; i++) {
		dev = o->dev[i];
		chid = dev->ops->get_chid(dev);
		smc_local_gid(dev, &gid);
		/* An emulated device's 128-bit GID takes two entries. */
		pi->ism[pi->ism_cnt].gid = gid.gid;
		pi->ism[pi->ism_cnt++].chid = chid;
		if (smc_clc_chid_is_emulated(chid)) {
			pi->ism[pi->ism_cnt].gid = gid.gid_ext;
			pi->ism[pi->ism_cnt++].chid = chid;
		}
	}
	len = smc_clc_encode_proposal(smc->hs_mem->tx, SMC_CLC_MAX_LEN, pi);
	if (len > 0)
		len = smc_clc_send(smc, smc->hs_mem->tx, len);
	return len;
}

/* Client: the server's ACCEPT is in; build our end and CONFIRM it. */
static int smc_client_accepted(struct smc_sock *smc, const struct smc_offer *o,
			       const struct smc_clc_accept_info *acc)
{
	struct smcd_gid peer = { .gid = acc->d.gid, .gid_ext = acc->d.gid_ext };
	struct smcd_device *dev;
	bool first_contact;
	int rc, i = -1;

	if (acc->smcd && acc->hdr.version >= SMC_CLC_V2)
		i = smc_offer_index(o, acc->d.chid);
	if (i < 0)
		return smc_decline_fallback(smc, SMC_CLC_DECL_MODEUNSUPP,
					    SMC_CLC_V2);
	dev = smcd_device_find(smc_offer_match, (void *)&o->serial[i]);
	if (!dev) {
		/* Removed since our PROPOSAL: the server can still be told. */
		return smc_decline_fallback(smc, SMC_CLC_DECL_NOSMCD2DEV,
					    SMC_CLC_V2);
	}
	rc = smc_conn_create(smc, dev, &peer, false, &first_contact);
	/* The link group holds the device from here on. */
	smcd_device_put(dev);
	if (rc > 0)
		return smc_decline_fallback(smc, rc, SMC_CLC_V2);
	rc = smc_conn_connect_peer(smc, acc->d.token,
				   smc_clc_size_decode(acc->d.dmbe_size));
	if (rc == -ENOMEM || rc == -ENOENT) {
		/* The server waits for our answer: it can still be told. */
		smc_conn_release(smc);
		return smc_decline_fallback(smc, rc == -ENOMEM ?
					    SMC_CLC_DECL_MEM :
					    SMC_CLC_DECL_ERR_RTOK, SMC_CLC_V2);
	}
	if (!rc)
		rc = smc_clc_send_acc_conf(smc, SMC_CLC_CONFIRM,
					   acc->first_contact, acc->eid);
	if (rc) {
		smc_conn_release(smc);
		return rc;
	}
	smcd_lgr_note_peer(smc->conn.lgr, acc->eid,
			   acc->first_contact ? &acc->fce : NULL);
	smc_stat_event(sock_net(&smc->sk), SMC_STAT_SMCD,
		       SMC_STAT_CLNT_V2_SUCC);
	return 0;
}

/* Whether the server's TCP has acknowledged everything we sent (our
 * PROPOSAL). Until it has, the server cannot have started to answer: its
 * accept queue may be full and TCP retransmitting, as happens to any TCP
 * client of a busy server, so the wait for the answer does not run yet.
 */
static bool smc_clc_peer_has_it(struct sock *tsk)
{
	const struct tcp_sock *tp = tcp_sk(tsk);

	if (READ_ONCE(tsk->sk_err) || READ_ONCE(tsk->sk_state) != TCP_ESTABLISHED)
		return true;	/* nothing left to wait for */
	return READ_ONCE(tp->snd_una) == READ_ONCE(tp->write_seq);
}

/* Bytes of the TCP stream in our receive queue, not read yet. Lockless:
 * only the reader (us) lowers it, so it is never too high.
 */
static u32 smc_clc_unread(struct sock *tsk)
{
	const struct tcp_sock *tp = tcp_sk(tsk);

	return READ_ONCE(tp->rcv_nxt) - READ_ONCE(tp->copied_seq);
}

/* Something for a CLC reader on the TCP socket: bytes, an error, or the
 * end of the stream. Lockless, for a wait condition.
 */
bool smc_clc_readable(struct sock *tsk)
{
	return smc_clc_unread(tsk) || READ_ONCE(tsk->sk_err) ||
	       (READ_ONCE(tsk->sk_shutdown) & RCV_SHUTDOWN);
}

/* The offer is answered or abandoned: forget it. */
void smc_client_drop_offer(struct smc_sock *smc)
{
	smc_hs_mem_put(smc);
	smc->hs_offer.cnt = 0;
}

/* Client, TCP established: offer SMC-D, or settle for TCP at once.
 * Returns -EINPROGRESS once the PROPOSAL is out (what it offered stays
 * in hs_offer until the answer), 0 after a fallback, or an error.
 */
int smc_client_offer(struct smc_sock *smc)
{
	struct smc_offer_devs devs;
	u8 version;
	int rc;

	if (!tcp_sk(smc->tcp->sk)->syn_smc) {
		/* The peer did not echo the SMC option: no CLC at all. */
		smc_fallback_switch(smc, SMC_CLC_DECL_PEERNOSMC, 0);
		return 0;
	}
	smc_offer_collect(sock_net(&smc->sk), &devs);
	if (smc_tcp_uses_ipsec(smc)) {
		version = devs.cnt ? SMC_CLC_V2 : SMC_CLC_V1;
		smc_offer_devs_put(&devs);
		return smc_decline_fallback(smc, SMC_CLC_DECL_IPSEC, version);
	}
	if (!devs.cnt) {
		/* Nothing to propose; without ISMv2 we speak version 1. */
		return smc_decline_fallback(smc, SMC_CLC_DECL_NOSMCDEV,
					    SMC_CLC_V1);
	}
	if (!smc_hs_mem_get(smc)) {
		smc_offer_devs_put(&devs);
		/* Nothing was sent yet: the server may still be told. */
		return smc_decline_fallback(smc, SMC_CLC_DECL_MEM, SMC_CLC_V2);
	}
	rc = smc_client_propose(smc, &devs);
	if (!rc)
		smc_offer_keep(&smc->hs_offer, &devs);
	smc_offer_devs_put(&devs);
	if (rc) {
		smc_client_drop_offer(smc);
		return rc;
	}
	smc->hs_wait_end = jiffies + SMC_CLC_WAIT;
	smc->hs_deadline = jiffies + SMC_CLC_WAIT_MAX;
	return -EINPROGRESS;
}

/* The answer is in, or close() or connect(AF_UNSPEC) ended the attempt
 * of generation @gen.
 */
static bool smc_client_woken(struct smc_sock *smc, struct sock *tsk, u32 gen)
{
	return smc_clc_readable(tsk) ||
	       READ_ONCE(smc->connect_phase) != SMC_CONNECT_TCP ||
	       READ_ONCE(smc->connect_gen) != gen;
}

/* Sleep until the TCP socket has something for a CLC reader, at most
 * @wait. The socket lock is not held meanwhile, as TCP's own connect()
 * does not hold it: a lock held for seconds would stall every sock_diag
 * dump on the host (they take each socket's lock in turn under one global
 * mutex), and a server answering us may be waiting for just that. hs_busy
 * keeps a second connect() from stepping in; close() ends the attempt and
 * wakes connect_work (see smc_release()). Returns -ECONNABORTED if the
 * socket was closed, else what wait_event_interruptible_timeout() returns.
 */
static long smc_client_sleep(struct smc_sock *smc, struct sock *tsk,
			     long wait)
{
	u32 gen = smc->connect_gen;
	long left;

	release_sock(&smc->sk);
	left = wait_event_interruptible_timeout(*sk_sleep(tsk),
						smc_client_woken(smc, tsk,
								 gen),
						wait);
	lock_sock(&smc->sk);
	/* A later attempt may be running by now: not ours to touch. */
	if (smc->connect_phase != SMC_CONNECT_TCP || smc->connect_gen != gen)
		return -ECONNABORTED;
	return left;
}

/* Client: wait until the answer to our PROPOSAL is in. The wait for it
 * only runs out once the server's TCP has the PROPOSAL (up to a limit).
 * With @timeo (connect() itself waiting, interruptible) a signal or the
 * end of *@timeo returns SMC_HS_PAUSED; connect_work passes NULL.
 */
static int smc_client_await_answer(struct smc_sock *smc, long *timeo)
{
	struct sock *tsk = smc->tcp->sk;
	unsigned long now;
	long wait, left;
	int rc;

	for (;;) {
		rc = smc_clc_read(smc, SMC_CLC_ACCEPT);
		if (rc != -EAGAIN)
			return rc;
		now = jiffies;
		if (time_after_eq(now, smc->hs_wait_end)) {
			if (smc_clc_peer_has_it(tsk) ||
			    time_after_eq(now, smc->hs_deadline))
				return -ETIMEDOUT;
			smc->hs_wait_end = now + SMC_CLC_WAIT;
		}
		wait = smc->hs_wait_end - now;
		if (timeo) {
			if (!*timeo)
				return SMC_HS_PAUSED;
			wait = min(wait, *timeo);
		}
		left = smc_client_sleep(smc, tsk, wait);
		if (left == -ECONNABORTED)
			return SMC_HS_ENDED;
		if (timeo && *timeo != MAX_SCHEDULE_TIMEOUT)
			*timeo -= min_t(long, *timeo, jiffies - now);
		if (left < 0)
			return SMC_HS_PAUSED;
	}
}

/* Client, after smc_client_offer(): take the server's answer. Returns 0
 * (over SMC-D, or after a fallback), an error, SMC_HS_PAUSED (see
 * smc_client_await_answer(); the offer stands then, for a later call) or
 * SMC_HS_ENDED.
 */
int smc_client_finish(struct smc_sock *smc, long *timeo)
{
	union smc_clc_msg_info *mi;
	int rc;

	rc = smc_client_await_answer(smc, timeo);
	/* Ended meanwhile, and the offer with it: whoever ended it dropped
	 * it, and the socket may have made a new one since.
	 */
	if (rc == SMC_HS_PAUSED || rc == SMC_HS_ENDED)
		return rc;
	if (rc >= 0) {
		mi = smc_clc_decode_rx(smc, SMC_CLC_ACCEPT);
		rc = 0;
		if (!mi)
			rc = -EPROTO;
		else if (mi->hdr.type == SMC_CLC_DECLINE)
			smc_fallback_switch(smc, SMC_CLC_DECL_PEERDECL,
					    mi->decl.diag);
		else
			rc = smc_client_accepted(smc, &smc->hs_offer,
						 &mi->acc);
	}
	smc_client_drop_offer(smc);
	return rc;
}

/* The device we have for one SMC-Dv2 entry, checked for reachability. */
static bool smc_server_match(struct smcd_device *dev, void *arg)
{
	const struct smc_clc_ism_id *ids = arg;
	struct smcd_gid gid = { .gid = ids[0].gid };

	if (!dev->ops->supports_v2(dev) || dev->ops->get_chid(dev) != ids->chid)
		return false;
	if (smc_clc_chid_is_emulated(ids->chid))
		gid.gid_ext = ids[1].gid;
	return !dev->ops->query_gid(dev, &gid, 1, SMCD_VID_NONE);
}

/* Walk the proposal's GID/CHID list from entry *@pos on, to the next
 * entry we have a usable device for (*@pos then names the entry after
 * it); an emulated device uses two entries.
 */
static struct smcd_device *smc_server_find_smcd(struct net *net,
						const struct smc_clc_prop_info *p,
						struct smcd_gid *peer, int *pos)
{
	struct smcd_device *dev;
	int i, step;

	for (i = *pos; i < p->ism_cnt; i += step) {
		step = 1;
		if (smc_clc_chid_is_emulated(p->ism[i].chid)) {
			step = 2;
			if (i + 1 >= p->ism_cnt ||
			    p->ism[i + 1].chid != p->ism[i].chid)
				continue;
		}
		dev = smcd_device_find(smc_server_match, (void *)&p->ism[i]);
		if (dev && (!smc_pnet_smcd_usable(net, dev) ||
			    smc_devorder_rank(net, dev) < 0)) {
			smcd_device_put(dev);
			continue;
		}
		if (dev) {
			peer->gid = p->ism[i].gid;
			peer->gid_ext = step == 2 ? p->ism[i + 1].gid : 0;
			*pos = i + step;
			return dev;
		}
	}
	*pos = i;
	return NULL;
}

static bool smc_match_v2(struct smcd_device *dev, void *arg)
{
	return dev->ops->supports_v2(dev);
}

/* Which versions of the offer survive the checks that need no device
 * match; returns the reason when nothing does. Mirrors the in-tree order
 * so that a peer sees the same diagnosis from us as from it.
 */
static u32 smc_server_check_offer(const struct smc_clc_prop_info *p,
				  bool *d1, bool *r1, bool *d2, bool *r2)
{
	u32 reason = SMC_CLC_DECL_PEERNOSMC;
	struct smcd_device *v2dev;

	*d1 = smc_clc_type_has_d(p->hdr.typev1);
	*r1 = smc_clc_type_has_r(p->hdr.typev1);
	*d2 = p->hdr.version >= SMC_CLC_V2 && smc_clc_type_has_d(p->hdr.typev2);
	*r2 = p->hdr.version >= SMC_CLC_V2 && smc_clc_type_has_r(p->hdr.typev2);
	if (!*d2 && !*r2)
		goto out;
	if (!p->has_v2ext) {
		*d2 = false;
		*r2 = false;
		reason = SMC_CLC_DECL_NOV2EXT;
		goto out;
	}
	if (*d2) {
		v2dev = smcd_device_find(smc_match_v2, NULL);
		if (v2dev)
			smcd_device_put(v2dev);
		if (!v2dev)
			reason = SMC_CLC_DECL_NOISM2SUPP;
		else if (!p->has_smcd_v2ext)
			reason = SMC_CLC_DECL_NOV2DEXT;
		else if (!p->eid_cnt && !p->seid_valid)
			reason = SMC_CLC_DECL_NOUEID;
		else
			reason = 0;
		*d2 = !reason;
	}
	if (*r2 && !p->eid_cnt) {
		*r2 = false;
		reason = SMC_CLC_DECL_NOUEID;
	}
out:
	return *d1 || *r1 || *d2 || *r2 ? 0 : reason;
}

static bool smc_prefix_match_v4(struct net_device *dev,
				const struct smc_clc_prop_info *p)
{
	struct in_device *in_dev = __in_dev_get_rcu(dev);
	const struct in_ifaddr *ifa;

	if (!in_dev)
		return false;
	in_dev_for_each_ifa_rcu(ifa, in_dev)
		if (ifa->ifa_prefixlen == p->v4_prefix_len &&
		    inet_ifa_match(p->v4_subnet, ifa))
			return true;
	return false;
}

static bool smc_prefix_match_v6(struct net_device *dev,
				const struct smc_clc_prop_info *p)
{
#if IS_ENABLED(CONFIG_IPV6)
	struct inet6_dev *idev = __in6_dev_get(dev);
	const struct inet6_ifaddr *ifa;
	bool match = false;
	int i;

	if (!idev)
		return false;
	read_lock_bh(&idev->lock);
	list_for_each_entry(ifa, &idev->addr_list, if_list) {
		if (ipv6_addr_type(&ifa->addr) & IPV6_ADDR_LINKLOCAL)
			continue;
		for (i = 0; i < p->v6_cnt && !match; i++)
			match = ifa->prefix_len == p->v6[i].prefix_len &&
				ipv6_prefix_equal(&ifa->addr,
						  (const struct in6_addr *)
						  p->v6[i].addr,
						  ifa->prefix_len);
		if (match)
			break;
	}
	read_unlock_bh(&idev->lock);
	return match;
#else
	return false;
#endif
}

/* SMCv1 only connects peers on one IP subnet: compare the client's prefixes
 * with the addresses of the device our TCP connection uses.
 */
static bool smc_prefix_match(struct smc_sock *smc,
			     const struct smc_clc_prop_info *p)
{
	struct dst_entry *dst = sk_dst_get(smc->tcp->sk);
	bool match = false;

	if (!dst)
		return false;
	rcu_read_lock();
	if (dst->dev)
		match = p->v6_cnt ? smc_prefix_match_v6(dst->dev, p) :
				    smc_prefix_match_v4(dst->dev, p);
	rcu_read_unlock();
	dst_release(dst);
	return match;
}

/* Server: choose the SMC-D device for a proposal. Returns 0 with @dev
 * referenced and @eid negotiated, or the reason to decline. Without a
 * usable device the reason follows the in-tree search order: SMC-Dv2,
 * the subnet check for v1 offers, SMC-D v1, SMC-Rv2 (only with a common
 * UEID), SMC-R v1; the first failure recorded is the one reported.
 */
static u32 smc_server_select(struct smc_sock *smc,
			     const struct smc_clc_prop_info *p,
			     struct smcd_device **dev, struct smcd_gid *peer,
			     u8 *eid, int *pos)
{
	bool d1, r1, d2, r2, prefix_ok;
	u32 first = 0;
	u32 reason;

	*dev = NULL;
	*pos = 0;
	reason = smc_server_check_offer(p, &d1, &r1, &d2, &r2);
	if (reason)
		return reason;
	if (d2) {
		*dev = smc_server_find_smcd(sock_net(&smc->sk), p, peer, pos);
		if (*dev && smc_eid_negotiate_smcd(sock_net(&smc->sk), p, eid))
			return 0;
		/* A device without a common EID records nothing, as in-tree:
		 * the searches below give the reason.
		 */
		if (*dev)
			smcd_device_put(*dev);
		else
			first = SMC_CLC_DECL_NOSMCD2DEV;
		*dev = NULL;
	}
	prefix_ok = p->hdr.typev1 == SMC_TYPE_N || smc_prefix_match(smc, p);
	if (!prefix_ok && !first)
		first = SMC_CLC_DECL_DIFFPREFIX;
	/* There is no SMC-D v1 device here. */
	if (prefix_ok && d1 && !first)
		first = SMC_CLC_DECL_NOSMCDDEV;
	if (!r1 && !r2)
		return first ?: SMC_CLC_DECL_NOSMCDDEV;
	/* Nor an RDMA device: SMC-Rv2 records that only with a common UEID. */
	if (r2 && smc_ueid_common(sock_net(&smc->sk), p) && !first)
		first = SMC_CLC_DECL_NOSMCRDEV;
	if (!prefix_ok)
		return SMC_CLC_DECL_DIFFPREFIX;
	return first ?: SMC_CLC_DECL_NOSMCDEV;
}

/* Our half of the connection on @dev, the first device matched; should
 * that fail (its DMBs used up, say), on the next matched one, as in-tree.
 * Takes the reference on @dev. Returns 0 or the first failure's reason.
 */
static u32 smc_server_setup(struct smc_sock *smc,
			    const struct smc_clc_prop_info *p,
			    struct smcd_device *dev, struct smcd_gid *peer,
			    int pos, bool *first_contact)
{
	u32 first = 0, reason;

	do {
		reason = smc_conn_create(smc, dev, peer, true, first_contact);
		smcd_device_put(dev);
		if (!reason)
			return 0;
		first = first ?: reason;
		dev = smc_server_find_smcd(sock_net(&smc->sk), p, peer, &pos);
	} while (dev);
	return first;
}

/* Server, first message: a PROPOSAL (or the client's DECLINE). */
static int smc_server_proposal(struct smc_sock *smc)
{
	union smc_clc_msg_info *mi;
	struct smcd_device *dev;
	struct smcd_gid peer;
	bool first_contact;
	u8 eid[SMC_EID_LEN];
	u8 version;
	u32 reason;
	int rc, pos;

	mi = smc_clc_decode_rx(smc, SMC_CLC_PROPOSAL);
	if (!mi)
		return -EPROTO;
	if (mi->hdr.type == SMC_CLC_DECLINE) {
		smc_fallback_switch(smc, SMC_CLC_DECL_PEERDECL, mi->decl.diag);
		return 0;
	}
	version = mi->hdr.version >= SMC_CLC_V2 ? SMC_CLC_V2 : SMC_CLC_V1;
	if (smc_tcp_uses_ipsec(smc))
		return smc_decline_fallback(smc, SMC_CLC_DECL_IPSEC, version);
	reason = smc_server_select(smc, &mi->prop, &dev, &peer, eid, &pos);
	if (!reason)
		reason = smc_server_setup(smc, &mi->prop, dev, &peer, pos,
					  &first_contact);
	if (reason)
		return smc_decline_fallback(smc, reason, version);
	rc = smc_clc_send_acc_conf(smc, SMC_CLC_ACCEPT, first_contact, eid);
	if (rc) {
		smc_conn_release(smc);
		return rc;
	}
	/* Wait for the CONFIRM, on a fresh clock: the PROPOSAL's timer may be
	 * firing right now, and must not expire the new wait.
	 */
	smc->hs_phase = SMC_HS_CONFIRM;
	del_timer_sync(&smc->handshake_timer);
	WRITE_ONCE(smc->handshake_expired, false);
	mod_timer(&smc->handshake_timer, jiffies + SMC_CLC_WAIT);
	smc->rx_used = 0;
	return -EAGAIN;
}

/* Server, second message: the client's CONFIRM (or a late DECLINE). */
static int smc_server_confirm(struct smc_sock *smc)
{
	union smc_clc_msg_info *mi;
	const struct smc_clc_accept_info *conf;
	int rc = -EPROTO;

	mi = smc_clc_decode_rx(smc, SMC_CLC_CONFIRM);
	if (!mi)
		goto fail;
	if (mi->hdr.type == SMC_CLC_DECLINE) {
		smc_conn_release(smc);
		smc_fallback_switch(smc, SMC_CLC_DECL_PEERDECL, mi->decl.diag);
		return 0;
	}
	conf = &mi->acc;
	rc = -EPROTO;
	if (conf->smcd && conf->hdr.version >= SMC_CLC_V2)
		rc = smc_conn_connect_peer(smc, conf->d.token,
					   smc_clc_size_decode(conf->d.dmbe_size));
	/* A client's CONFIRM naming no DMB of ours: one that closed since,
	 * not a peer of this kernel (the loopback device's GID is no
	 * secret), or a broken one.
	 */
	if (rc == -ENOENT)
		rc = smc_conn_peer_left(smc) ? 0 : -EPROTO;
	if (!rc) {
		smcd_lgr_note_peer(smc->conn.lgr, conf->eid,
				   conf->first_contact ? &conf->fce : NULL);
		smc_stat_event(sock_net(&smc->sk), SMC_STAT_SMCD,
			       SMC_STAT_SRV_V2_SUCC);
		return 0;
	}
fail:
	smc_conn_release(smc);
	return rc;
}

/* Server without memory for the handshake: the first message is answered
 * all the same, read into a buffer on the stack: a PROPOSAL in small
 * pieces, to be declined (MEM), or the client's DECLINE. The connection
 * goes on over TCP, and no CLC byte reaches the application. Nothing is
 * consumed before the whole message is in, so that nothing need be kept
 * between calls. Returns as smc_server_negotiate().
 */
static int smc_server_answer_unread(struct smc_sock *smc)
{
	struct smc_clc_decline_info di;
	struct smc_clc_hdr_info hi;
	u8 buf[SMC_CLC_DECL_V2_LEN];
	int total, left, n;

	n = smc_clc_recv(smc, buf, SMC_CLC_HDR_LEN, MSG_PEEK);
	if (n < 0)
		return n;
	if (n < SMC_CLC_HDR_LEN)
		return n ? -EAGAIN : -ECONNRESET;
	total = smc_clc_check_hdr(buf, n, SMC_CLC_PROPOSAL, &hi);
	if (total < 0 || total > SMC_CLC_MAX_LEN)
		return -EPROTO;
	if (smc_clc_unread(smc->tcp->sk) < total)
		return -EAGAIN;
	/* All of it is there: a short read means urgent data in between. */
	if (hi.type == SMC_CLC_DECLINE) {
		if (smc_clc_recv(smc, buf, total, 0) != total ||
		    smc_clc_decode_decline(buf, total, &di) < 0)
			return -EPROTO;
		smc_fallback_switch(smc, SMC_CLC_DECL_PEERDECL, di.diag);
		return 0;
	}
	for (left = total; left; left -= n) {
		n = smc_clc_recv(smc, buf, min_t(int, left, sizeof(buf)), 0);
		if (n <= 0)
			return -EPROTO;
	}
	return smc_decline_fallback(smc, SMC_CLC_DECL_MEM,
				    min_t(u8, hi.version, SMC_CLC_V2));
}

/* Server side, called from handshake_work whenever CLC bytes may have
 * arrived. Returns -EAGAIN while waiting for the next message, 0 when the
 * connection is ready for accept(), or an error to drop it.
 */
int smc_server_negotiate(struct smc_sock *smc)
{
	bool confirm = smc->hs_phase == SMC_HS_CONFIRM;
	int rc;

	if (confirm && !smc->conn.lgr) {
		/* Our device went away after the ACCEPT: its removal ended the
		 * connection as it ends established ones.
		 */
		smc_hs_mem_put(smc);
		return -ECONNRESET;
	}
	/* Kept from the PROPOSAL on: only the first message may lack it. */
	if (!smc_hs_mem_get(smc))
		return smc_server_answer_unread(smc);
	rc = smc_clc_read(smc, confirm ? SMC_CLC_CONFIRM : SMC_CLC_PROPOSAL);
	if (rc == -EAGAIN)
		return rc;
	if (rc < 0) {
		if (confirm)
			smc_conn_release(smc);
		smc_hs_mem_put(smc);
		return rc;
	}
	rc = confirm ? smc_server_confirm(smc) : smc_server_proposal(smc);
	if (rc != -EAGAIN)
		smc_hs_mem_put(smc);
	return rc;
}
