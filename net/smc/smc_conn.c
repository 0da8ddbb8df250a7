// SPDX-License-Identifier: GPL-2.0
/*
 * smc-ng: SMC-D connections, their link groups, and the CDC exchange.
 *
 * Locking, outermost first:
 *   the socket lock        set-up, teardown, the data path
 *   smcd_lgr_mutex         the link group list and each group's members
 *   conn->cdc_lock         one CDC write into the peer's DMB at a time
 *   conn->lock             cursors and flags
 * A CDC write may run the peer connection's signal handler synchronously
 * (loopback), which takes the peer's conn->lock: so the handler takes no
 * other lock and never writes a CDC itself; window updates it owes go
 * through cdc_work. Signal handlers run in process or softirq context,
 * never in hard interrupt context (the device layer's rule), so
 * conn->lock is taken with BHs off only: disabling interrupts on every
 * cursor access would cost each call for nothing.
 */
#include <linux/memcontrol.h>
#include <linux/random.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/smcd_device.h>
#include <net/sock.h>

#include "smc_netns.h"
#include "smc_pnet.h"
#include "smc_sock.h"
#include "smc_stats.h"
#include "smc_conn.h"
#include "smc_fault.h"
#include "smc_clc_wire.h"

static LIST_HEAD(smcd_lgr_list);
static DEFINE_MUTEX(smcd_lgr_mutex);

/* Bytes the peer has produced that we have not read yet. */
u32 smc_conn_readable(struct smc_conn *conn)
{
	int n;

	spin_lock_bh(&conn->lock);
	n = smc_cursor_diff(conn->rmb_ring, &conn->rx_cons, &conn->rx_prod);
	spin_unlock_bh(&conn->lock);
	return n > 0 ? n : 0;
}

/* Returns @l->avail. Apart from smc_data.c, so that a test can stop a
 * reader right after a look that found nothing (smc_test_delay).
 */
u32 smc_conn_look(struct smc_conn *conn, struct smc_rx_view *l)
{
	int n;

	spin_lock_bh(&conn->lock);
	n = max(smc_cursor_diff(conn->rmb_ring, &conn->rx_cons,
				&conn->rx_prod), 0);
	l->dead = min_t(u32, conn->urg_dead, n);
	l->avail = n - l->dead;
	l->mark = -1;
	if (conn->urg_state != SMC_URG_NONE)
		l->mark = smc_cursor_diff(conn->rmb_ring, &conn->rx_cons,
					  &conn->urg_curs) - 1 - conn->urg_dead;
	spin_unlock_bh(&conn->lock);
	return l->avail;
}

enum smc_rx_news smc_conn_rx_news(struct smc_conn *conn)
{
	enum smc_rx_news news = SMC_RX_NOTHING;

	spin_lock_bh(&conn->lock);
	if (smc_cursor_diff(conn->rmb_ring, &conn->rx_cons,
			    &conn->rx_prod) > 0 ||
	    (conn->rx_conn_flags & (SMC_CDC_CF_DONE_WRITING |
				    SMC_CDC_CF_CONN_CLOSED)))
		news = SMC_RX_NEWS;
	else if (conn->dead)
		news = SMC_RX_GONE;
	spin_unlock_bh(&conn->lock);
	return news;
}

/* Free bytes in the peer's ring, as far as its reports tell. */
u32 smc_conn_writable(struct smc_conn *conn)
{
	int used;

	spin_lock_bh(&conn->lock);
	used = smc_cursor_diff(conn->peer_ring, &conn->tx_cons, &conn->tx_prod);
	spin_unlock_bh(&conn->lock);
	return used >= 0 ? conn->peer_ring - used : 0;
}

u8 smc_dmb_size_code(u32 len)
{
	return smc_clc_size_encode(len, smc_clc_size_encode(SMCD_DMB_MAX, 15));
}

/* Our DMB follows the receive buffer size, as upstream: half of rcvbuf. */
static u32 smc_conn_dmb_len(struct sock *sk)
{
	u32 want = clamp_t(u32, READ_ONCE(sk->sk_rcvbuf) / 2, SMCD_DMB_MIN,
			   SMCD_DMB_MAX);

	return smc_clc_size_decode(smc_dmb_size_code(want));
}

/* A synchronous wake-up, as TCP's and Unix sockets' data and space
 * wake-ups are: the waker (a peer's send, in its own context) is about to
 * go on to its own read, so the scheduler may keep the pair together.
 */
static void smc_wake(struct sock *sk, __poll_t mask, int band)
{
	struct socket_wq *wq;

	rcu_read_lock();
	wq = rcu_dereference(sk->sk_wq);
	if (skwq_has_sleeper(wq))
		wake_up_interruptible_sync_poll(&wq->wait, mask);
	if (wq && wq->fasync_list)
		sock_wake_async(wq, SOCK_WAKE_IO, band);
	rcu_read_unlock();
}

/* Received-cursor rules: the producer cursor may only move into the space
 * we granted, the consumer cursor only over bytes we wrote. A peer that
 * breaks them loses this connection; a stale cursor is ignored. The peer
 * may write before we have taken in its DMB (its data can overtake its
 * CONFIRM, which we read from TCP): until then we have sent nothing, so
 * its consumer cursor must still be at the start.
 */
static int smc_conn_take_cursors(struct smc_conn *conn,
				 const struct smc_cdc_info *ci, bool refuse,
				 bool *more_data, bool *more_space)
{
	int granted, unacked, adv;

	granted = conn->rmb_ring -
		  smc_cursor_diff(conn->rmb_ring, &conn->rx_cons,
				  &conn->rx_prod);
	adv = smc_cursor_check(conn->rmb_ring, &conn->rx_prod, &ci->prod,
			       granted);
	if (adv > 0) {
		if (!refuse)
			conn->rx_prod = ci->prod;
		*more_data = true;
	} else if (adv < 0 && adv != -ERANGE) {
		return adv;
	}

	if (!conn->peer_ring)
		return ci->cons.wrap || ci->cons.count ? -EPROTO : 0;
	unacked = smc_cursor_diff(conn->peer_ring, &conn->tx_cons,
				  &conn->tx_prod);
	adv = smc_cursor_check(conn->peer_ring, &conn->tx_cons, &ci->cons,
			       unacked);
	if (adv > 0) {
		conn->tx_cons = ci->cons;
		*more_space = true;
	} else if (adv < 0 && adv != -ERANGE) {
		return adv;
	}
	return 0;
}

/* The data just announced ends with an urgent byte: remember where, and
 * the byte itself (it may be skipped in the stream). A reader that sits
 * on the previous urgent byte, out of line, would read it as data once
 * its mark moves on: as TCP, that byte leaves the stream. conn->lock held.
 */
static void smc_conn_take_urgent(struct smc_conn *conn, struct sock *sk)
{
	const u8 *ring = (const u8 *)conn->rmb.cpu_addr + SMCD_CDC_DMB_HDR_LEN;
	u32 pos = conn->rx_prod.count ?: conn->rmb_ring;

	if (conn->urg_state != SMC_URG_NONE &&
	    !sock_flag(sk, SOCK_URGINLINE) &&
	    smc_cursor_diff(conn->rmb_ring, &conn->rx_cons,
			    &conn->urg_curs) == (int)conn->urg_dead + 1)
		conn->urg_dead++;
	/* The cursor was published after the data it covers. */
	smp_rmb();
	conn->urg_curs = conn->rx_prod;
	conn->urg_byte = READ_ONCE(ring[pos - 1]);
	conn->urg_state = SMC_URG_VALID;
}

/* The urgent flag came, but not with new data: its byte is the last one
 * announced. Either that byte came in a snapshot of a header without a
 * digest, taken while the peer's device was writing it (the cursor word
 * is written before the flags word, see smcd_cdc_snapshot()), or the
 * peer's urgent send was cut short and marks what did go out. It is still
 * urgent if nobody has read it yet. conn->lock held.
 */
static bool smc_conn_urgent_late(struct smc_conn *conn, u8 prod_flags)
{
	return (prod_flags & SMC_CDC_PF_URG_PRESENT) &&
	       !(conn->rx_prod_flags & SMC_CDC_PF_URG_PRESENT) &&
	       smc_cursor_diff(conn->rmb_ring, &conn->rx_cons,
			       &conn->rx_prod) > 0;
}

/* Writers get a wake-up for new space only if one of them found none, as
 * TCP's do (SOCK_NOSPACE): a poll() or an edge-triggered epoll must not
 * see an event for every cursor update. conn->lock held.
 */
static bool smc_conn_space_wanted(struct sock *sk)
{
	struct socket *sock = READ_ONCE(sk->sk_socket);

	return sock && test_and_clear_bit(SOCK_NOSPACE, &sock->flags);
}

/* The peer reported space nobody waited for: it has read all we sent,
 * and a thread of ours asleep in recvmsg() is most likely waiting for
 * its answer. Wake just that thread (no poller sees an event), so that it
 * is up when the answer comes; see smc_rx_update_peer(). Called after
 * conn->lock is dropped: waking an idle CPU takes long, and the woken
 * reader's first look takes that lock.
 */
static void smc_conn_wake_reader_early(struct smc_conn *conn)
{
	if (wq_has_sleeper(&conn->rx_early))
		wake_up(&conn->rx_early);
}

static bool smc_conn_owes_update(struct smc_conn *conn)
{
	int unreported = smc_cursor_diff(conn->rmb_ring, &conn->rx_cons_sent,
					 &conn->rx_cons);

	return unreported > 0 &&
	       (conn->rx_prod_flags & SMC_CDC_PF_WRITE_BLOCKED);
}

/* The peer wrote a CDC into our DMB and signalled. May run in any context,
 * including the peer's own send path: it must not sleep or write a CDC.
 */
static void smc_conn_signal(struct smcd_buf *buf)
{
	struct smc_conn *conn = container_of(buf, struct smc_conn, rmb);
	struct smc_sock *smc = container_of(conn, struct smc_sock, conn);
	struct sock *sk = &smc->sk;
	bool more_data = false, more_space = false, owes, violated = false;
	bool urgent = false, space_wanted = false, early = false, refuse;
	bool held_back, whole;
	u8 snap[SMCD_CDC_MSG_LEN], newflags = 0;
	struct smc_cdc_info ci;
	int rc;

	spin_lock_bh(&conn->lock);
	/* The header as the peer last wrote it, looked at under the lock:
	 * a look from process context (smc_conn_catch_up()) and the
	 * device's signal may run at once, and the later of them must not
	 * apply an older header (its flags) over a newer one.
	 */
	whole = smcd_cdc_snapshot(snap, buf->cpu_addr);
	/* A signal before the peer's first CDC (a device that delivers a
	 * stale signal to a reused DMB slot) has nothing to say, nor has a
	 * header still being written: its writer signals once done.
	 */
	rc = whole ? smcd_cdc_decode(snap, sizeof(snap), &ci) : -ENOMSG;
	if (rc == -ENOMSG || conn->dead) {
		spin_unlock_bh(&conn->lock);
		return;
	}
	/* Data for a socket shut down both ways: TCP answers it with a
	 * reset and drops it, keeping what came before.
	 */
	refuse = READ_ONCE(sk->sk_shutdown) == SHUTDOWN_MASK;
	if (!rc)
		rc = smc_conn_take_cursors(conn, &ci, refuse, &more_data,
					   &more_space);
	if (rc || (more_data && refuse)) {
		/* Abort just this connection, and tell the peer (from
		 * process context) so that it does not wait for us forever.
		 * What a broken peer wrote is not read at all.
		 */
		conn->rx_conn_flags |= SMC_CDC_CF_CONN_ABORT;
		conn->dead = true;
		conn->abort_owed = true;
		conn->rx_broken = !!rc;
		violated = true;
	} else {
		urgent = more_data ? ci.prod_flags & SMC_CDC_PF_URG_PRESENT :
				     smc_conn_urgent_late(conn, ci.prod_flags);
		if (urgent)
			smc_conn_take_urgent(conn, sk);
		conn->rx_prod_flags = ci.prod_flags;
		newflags = ci.conn_flags & ~conn->rx_conn_flags &
			   (SMC_CDC_CF_DONE_WRITING | SMC_CDC_CF_CONN_CLOSED |
			    SMC_CDC_CF_CONN_ABORT);
		conn->rx_conn_flags |= newflags;
		if (more_space)
			space_wanted = smc_conn_space_wanted(sk);
		/* Data or the peer's end wake every waiter below anyway. */
		early = more_space && !space_wanted && !more_data && !newflags;
	}
	owes = violated || (newflags & SMC_CDC_CF_CONN_ABORT) ||
	       (!conn->dead && smc_conn_owes_update(conn)) ||
	       ((newflags & SMC_CDC_CF_CONN_CLOSED) &&
		READ_ONCE(conn->peer_attached));
	/* Read under the lock, see smc_child_done(). */
	held_back = READ_ONCE(smc->deferred) &&
		    (more_data || newflags || violated);
	spin_unlock_bh(&conn->lock);

	if (held_back)
		smc_child_kick(smc);

	if (early)
		smc_conn_wake_reader_early(conn);
	if (owes) {
		sock_hold(sk);
		if (!queue_work(smc_hs_wq, &conn->cdc_work))
			sock_put(sk);
	}
	/* Space is news for a probing writer also when the same CDC ends
	 * the peer's writing.
	 */
	if (more_space)
		smc_probe_space(smc);
	if (violated || (newflags & SMC_CDC_CF_CONN_ABORT)) {
		smc_wake(sk, EPOLLIN | EPOLLRDNORM | EPOLLRDHUP | EPOLLOUT |
			 EPOLLERR | EPOLLHUP, POLL_HUP);
		return;
	}
	/* Before the peer's end, which may come in the same header (a
	 * device that delivers only the last of several signals).
	 */
	if (urgent) {
		sk_send_sigurg(sk);
		smc_wake(sk, EPOLLPRI | EPOLLRDBAND, POLL_PRI);
	}
	if (newflags) {
		/* The peer is done writing: SIGIO as tcp_fin() raises it, a
		 * hang-up once neither side writes, then readable (for EOF).
		 */
		smc_wake(sk, EPOLLIN | EPOLLRDNORM | EPOLLRDHUP | EPOLLOUT |
			 EPOLLHUP, READ_ONCE(sk->sk_shutdown) & SEND_SHUTDOWN ?
			 POLL_HUP : POLL_IN);
		smc_wake(sk, EPOLLIN | EPOLLRDNORM, POLL_IN);
		return;
	}
	if (more_data)
		smc_wake(sk, EPOLLIN | EPOLLRDNORM, POLL_IN);
	if (space_wanted)
		smc_wake(sk, EPOLLOUT | EPOLLWRNORM, POLL_OUT);
}

/* Take in what the peer last wrote into our DMB without waiting for its
 * signal, which a device may deliver late (from a tasklet): a write that
 * failed because the peer closed and took its DMB away must not be read
 * as a lost peer while that close sits unseen in our DMB. Socket lock
 * held, which keeps the DMB registered.
 */
void smc_conn_catch_up(struct smc_sock *smc)
{
	if (smc->conn.rmb_live)
		smc_conn_signal(&smc->conn.rmb);
}

/* Write our cursors and flags into the peer's DMB header and signal. A
 * dead connection only still sends the abort it owes its peer.
 */
static int smc_conn_write_cdc(struct smc_sock *smc, bool abort)
{
	struct smc_conn *conn = &smc->conn;
	struct smcd_device *dev;
	u8 buf[SMCD_CDC_MSG_LEN];
	struct smc_cdc_info ci = {};
	int rc;

	spin_lock_bh(&conn->cdc_lock);
	spin_lock_bh(&conn->lock);
	if (!conn->lgr || !conn->peer_token ||
	    (conn->dead && !(abort && conn->abort_owed))) {
		spin_unlock_bh(&conn->lock);
		spin_unlock_bh(&conn->cdc_lock);
		return -ECONNRESET;
	}
	if (abort) {
		conn->tx_conn_flags |= SMC_CDC_CF_CONN_ABORT;
		conn->abort_owed = false;
	}
	dev = conn->lgr->dev;
	ci.prod = conn->tx_prod;
	ci.cons = conn->rx_cons;
	ci.prod_flags = conn->tx_prod_flags;
	ci.conn_flags = conn->tx_conn_flags;
	conn->rx_cons_sent = conn->rx_cons;
	spin_unlock_bh(&conn->lock);

	rc = smcd_cdc_encode(buf, sizeof(buf), &ci);
	if (rc > 0)
		rc = dev->ops->move_data(dev, conn->peer_token, 0, true, 0,
					 buf, sizeof(buf));
	spin_unlock_bh(&conn->cdc_lock);
	return rc < 0 ? rc : 0;
}

int smc_conn_send_cdc(struct smc_sock *smc)
{
	return smc_conn_write_cdc(smc, false);
}

/* Tell the peer this connection is over: our close with data left unread
 * (as TCP resets), or a peer that broke the rules.
 */
void smc_conn_send_abort(struct smc_sock *smc)
{
	smc_conn_write_cdc(smc, true);
}

/* The peer closed its socket: nothing goes to its DMB any more (a send
 * ends on the closed flag first), and our view of that DMB would keep its
 * memory, charged to the peer, for as long as this socket lives: a client
 * that never closes would pin the DMBs of a server that did. Socket lock
 * held.
 */
static void smc_conn_drop_view(struct smc_conn *conn)
{
	if (!conn->peer_attached)
		return;
	smcd_dmb_detach(conn->lgr->dev, &conn->peer_view);
	WRITE_ONCE(conn->peer_attached, false);
}

static void smc_conn_cdc_work(struct work_struct *work)
{
	struct smc_conn *conn = container_of(work, struct smc_conn, cdc_work);
	struct smc_sock *smc = container_of(conn, struct smc_sock, conn);

	lock_sock(&smc->sk);
	if (!smc_data_reset(smc) && conn->lgr) {
		if (READ_ONCE(conn->rx_conn_flags) & SMC_CDC_CF_CONN_CLOSED)
			smc_conn_drop_view(conn);
		else
			smc_conn_send_cdc(smc);
	}
	release_sock(&smc->sk);
	sock_put(&smc->sk);
}

void smc_conn_init(struct smc_sock *smc)
{
	struct smc_conn *conn = &smc->conn;

	spin_lock_init(&conn->lock);
	spin_lock_init(&conn->cdc_lock);
	init_waitqueue_head(&conn->rx_early);
	INIT_WORK(&conn->cdc_work, smc_conn_cdc_work);
	INIT_DELAYED_WORK(&conn->cork_work, smc_data_cork_work);
	INIT_DELAYED_WORK(&conn->probe_work, smc_probe_work);
}

/* A link group's id only names it, here and to the peer (the linkid of
 * the ACCEPT and CONFIRM), so a counter does: a random draw cost a short
 * connection two of them, and a draw from a random pool not yet seeded
 * (a guest without an entropy source) costs some microseconds each.
 * Caller holds smcd_lgr_mutex.
 */
static u32 smcd_lgr_new_id(void)
{
	static u32 last_id;
	struct smcd_lgr *lgr;

again:
	if (!++last_id)
		goto again;
	list_for_each_entry(lgr, &smcd_lgr_list, node)
		if (lgr->id == last_id)
			goto again;
	return last_id;
}

/* Join the link group for (device, peer, role), creating it if needed.
 * The connection is listed at once, so that a device removal that starts
 * now finds it; a removal that started earlier is refused here.
 */
static struct smcd_lgr *smcd_lgr_join(struct smc_conn *conn,
				      struct net *net,
				      struct smcd_device *dev,
				      const struct smcd_gid *peer_gid,
				      bool server, bool *created)
{
	struct smcd_lgr *lgr = NULL;

	mutex_lock(&smcd_lgr_mutex);
	if (smcd_device_going_down(dev))
		goto out;
	list_for_each_entry(lgr, &smcd_lgr_list, node) {
		if (lgr->dev == dev && lgr->server == server &&
		    net_eq(read_pnet(&lgr->net), net) &&
		    smcd_gid_equal(&lgr->peer_gid, peer_gid)) {
			*created = false;
			goto found;
		}
	}
	lgr = smc_kzalloc(sizeof(*lgr), GFP_KERNEL);
	if (!lgr)
		goto out;
	smcd_device_get(dev);
	lgr->dev = dev;
	write_pnet(&lgr->net, net);
	lgr->peer_gid = *peer_gid;
	lgr->server = server;
	lgr->id = smcd_lgr_new_id();
	INIT_LIST_HEAD(&lgr->conns);
	list_add(&lgr->node, &smcd_lgr_list);
	*created = true;
found:
	lgr->nconns++;
	list_add_tail(&conn->lgr_node, &lgr->conns);
	conn->lgr = lgr;
out:
	mutex_unlock(&smcd_lgr_mutex);
	return lgr;
}

/* Caller holds smcd_lgr_mutex. */
static void smcd_lgr_leave(struct smcd_lgr *lgr)
{
	if (--lgr->nconns)
		return;
	list_del(&lgr->node);
	smcd_device_put(lgr->dev);
	kfree(lgr);
}

void smcd_lgr_note_peer(struct smcd_lgr *lgr, const u8 *eid,
			const struct smc_clc_fce_info *fce)
{
	mutex_lock(&smcd_lgr_mutex);
	memcpy(lgr->neg_eid, eid, sizeof(lgr->neg_eid));
	if (fce) {
		lgr->peer_os = fce->os_type;
		lgr->peer_release = fce->release;
		memcpy(lgr->peer_host, fce->hostname, sizeof(lgr->peer_host));
	}
	lgr->peer_known = true;
	mutex_unlock(&smcd_lgr_mutex);
}

/* The @n-th link group of @net (from 0), for a dump that resumes by
 * position; link groups that come and go meanwhile may shift it, as with
 * any netlink dump.
 */
int smcd_lgr_info_nth(struct net *net, long n, struct smcd_lgr_info *info)
{
	struct smcd_lgr *lgr;
	int rc = -ENOENT;

	mutex_lock(&smcd_lgr_mutex);
	list_for_each_entry(lgr, &smcd_lgr_list, node) {
		if (!net_eq(read_pnet(&lgr->net), net) || n--)
			continue;
		smcd_device_get(lgr->dev);
		info->dev = lgr->dev;
		info->peer_gid = lgr->peer_gid;
		info->id = lgr->id;
		info->nconns = lgr->nconns;
		info->server = lgr->server;
		info->peer_known = lgr->peer_known;
		info->peer_os = lgr->peer_os;
		info->peer_release = lgr->peer_release;
		memcpy(info->neg_eid, lgr->neg_eid, sizeof(info->neg_eid));
		memcpy(info->peer_host, lgr->peer_host, sizeof(info->peer_host));
		rc = 0;
		break;
	}
	mutex_unlock(&smcd_lgr_mutex);
	return rc;
}

/* How many of @net's link groups use @dev. */
u32 smcd_lgr_count(struct net *net, struct smcd_device *dev)
{
	struct smcd_lgr *lgr;
	u32 n = 0;

	mutex_lock(&smcd_lgr_mutex);
	list_for_each_entry(lgr, &smcd_lgr_list, node)
		n += lgr->dev == dev && net_eq(read_pnet(&lgr->net), net);
	mutex_unlock(&smcd_lgr_mutex);
	return n;
}

static void smc_conn_stat_rmb(struct smc_sock *smc)
{
	struct net *net = sock_net(&smc->sk);

	smc_stat_buf(net, SMC_STAT_SMCD, SMC_STAT_RX,
		     smc->conn.rmb.recycled ? SMC_STAT_BUF_REUSE :
					      SMC_STAT_BUF_ALLOC);
	smc_stat_buf_size(net, SMC_STAT_SMCD, SMC_STAT_RX, smc->conn.rmb.len);
	if (READ_ONCE(smc->sk.sk_rcvbuf) / 2 > smc->conn.rmb.len)
		smc_stat_buf(net, SMC_STAT_SMCD, SMC_STAT_RX,
			     SMC_STAT_BUF_SMALL);
}

/* Our send "buffer" is the peer's DMB. */
static void smc_conn_stat_peer_rmb(struct smc_sock *smc, u32 len)
{
	struct net *net = sock_net(&smc->sk);

	smc_stat_buf_size(net, SMC_STAT_SMCD, SMC_STAT_TX, len);
	if (READ_ONCE(smc->sk.sk_sndbuf) / 2 > len)
		smc_stat_buf(net, SMC_STAT_SMCD, SMC_STAT_TX,
			     SMC_STAT_BUF_SMALL_PEER);
}

static bool smc_dmb_take(struct smc_dmb_acct *acct, u32 len)
{
	if (atomic_long_add_return(len, &acct->bytes) <=
	    READ_ONCE(acct->limit))
		return true;
	atomic_long_sub(len, &acct->bytes);
	return false;
}

static void smc_dmb_give_back(struct smc_dmb_acct *from,
			      struct smc_dmb_acct *to, u32 len)
{
	for (; from != to; from = from->parent)
		atomic_long_sub(len, &from->bytes);
}

/* DMB memory is charged to the namespace, against its smcd_dmb_limit,
 * and to every namespace above it (see struct smc_dmb_acct) up to the
 * initial one, whose limit caps all of them together: anyone may make
 * namespaces, each with a limit of its own.
 */
static bool smc_dmb_charge(struct net *net, u32 len)
{
	struct smc_dmb_acct *first = smc_net(net)->dmb_acct, *acct;

	for (acct = first; acct; acct = acct->parent) {
		if (!smc_dmb_take(acct, len)) {
			smc_dmb_give_back(first, acct, len);
			return false;
		}
	}
	return true;
}

static void smc_dmb_uncharge(struct net *net, u32 len)
{
	smc_dmb_give_back(smc_net(net)->dmb_acct, NULL, len);
}

/* Whom DMB memory is charged to: the memory cgroup of the process that
 * made the socket, or of the listener's for an accepted one (which a
 * worker made).
 */
static struct mem_cgroup *smc_conn_memcg(struct smc_sock *smc)
{
#ifdef CONFIG_MEMCG
	if (smc->sk.sk_memcg)
		return smc->sk.sk_memcg;
	if (smc->listener)
		return smc->listener->sk.sk_memcg;
#endif
	return NULL;
}

/* Register our DMB: the size the receive buffer asks for, or smaller ones
 * down to the minimum when memory or the namespace's limit says no (the
 * connection is still better off on SMC-D). Returns 0 or a decline reason.
 */
static int smc_conn_get_dmb(struct smc_sock *smc, struct smcd_device *dev)
{
	struct net *net = sock_net(&smc->sk);
	struct smc_conn *conn = &smc->conn;
	u32 want = smc_conn_dmb_len(&smc->sk), len;
	u32 reason = SMC_CLC_DECL_MAX_DMB;
	struct mem_cgroup *old_memcg;
	int rc = 0;

	/* Handshakes run in workers: charge the socket's owner, not them. */
	old_memcg = set_active_memcg(smc_conn_memcg(smc));
	for (len = want; len >= SMCD_DMB_MIN; len /= 2) {
		if (!smc_dmb_charge(net, len))
			continue;
		if (smc_fault()) {
			smc_dmb_uncharge(net, len);
			rc = -ENOMEM;
			reason = SMC_CLC_DECL_MEM;
			break;
		}
		memset(&conn->rmb, 0, sizeof(conn->rmb));
		conn->rmb.len = len;
		rc = smcd_dmb_register(dev, &conn->rmb, GFP_KERNEL_ACCOUNT,
				       smc_conn_signal, smc);
		if (!rc)
			break;
		smc_dmb_uncharge(net, len);
		/* The device is out of DMBs: no size will do. */
		if (rc == -ENOSPC)
			break;
		reason = SMC_CLC_DECL_MEM;
	}
	set_active_memcg(old_memcg);
	if (rc == -ENOSPC)
		return SMC_CLC_DECL_MAX_DMB;
	if (rc || len < SMCD_DMB_MIN)
		return reason;
	if (len < want)
		smc_stat_buf(net, SMC_STAT_SMCD, SMC_STAT_RX,
			     SMC_STAT_BUF_DOWNGRADE);
	return 0;
}

/* Set up the local half of an SMC-D connection: join the link group and
 * register our DMB. Returns 0, or a decline reason (> 0) when SMC-D cannot
 * be had but TCP can.
 */
int smc_conn_create(struct smc_sock *smc, struct smcd_device *dev,
		    const struct smcd_gid *peer_gid, bool server,
		    bool *first_contact)
{
	static atomic_t diag_tokens = ATOMIC_INIT(0);
	struct smc_conn *conn = &smc->conn;
	struct smcd_lgr *lgr;
	int rc;

	/* smc_diag's CONNINFO token: per connection, from a counter, as
	 * 6.1's alert token (which SMC-D only shows there).
	 */
	do {
		conn->diag_token = atomic_inc_return(&diag_tokens);
	} while (!conn->diag_token);

	conn->rmb_live = false;
	conn->peer_attached = false;
	conn->peer_token = 0;
	conn->peer_ring = 0;
	/* Signals find the connection as soon as the DMB is registered, and
	 * on a socket that connected before they would meet the last
	 * connection's ring and cursors: ignored until those are reset.
	 */
	conn->dead = true;
	WRITE_ONCE(conn->rx_kept, false);
	conn->lost_err = 0;
	conn->abort_owed = false;
	conn->rx_broken = false;
	conn->tx_held = false;
	conn->urg_state = SMC_URG_NONE;
	conn->urg_dead = 0;
	lgr = smcd_lgr_join(conn, sock_net(&smc->sk), dev, peer_gid, server,
			    first_contact);
	if (!lgr)
		return SMC_CLC_DECL_MEM;

	/* Without attach, data is staged for move_data: taken now, while a
	 * lack of memory can still be declined, and before the DMB, which
	 * smc_conn_release() only gives back once it is live.
	 */
	rc = 0;
	if (!smcd_device_can_attach(dev)) {
		conn->bounce = smc_kmalloc(SMC_CONN_BOUNCE, GFP_KERNEL);
		if (!conn->bounce)
			rc = SMC_CLC_DECL_MEM;
	}
	if (!rc)
		rc = smc_conn_get_dmb(smc, dev);
	if (rc) {
		smc_conn_release(smc);
		return rc;
	}
	conn->rmb_live = true;
	smcd_cdc_blank(conn->rmb.cpu_addr);
	smc_conn_stat_rmb(smc);
	spin_lock_bh(&conn->lock);
	conn->rmb_ring = smcd_cdc_ring_size(conn->rmb.len);
	memset(&conn->rx_prod, 0, sizeof(conn->rx_prod));
	conn->rx_cons = conn->rx_prod;
	conn->rx_cons_sent = conn->rx_prod;
	conn->tx_prod = conn->rx_prod;
	conn->tx_cons = conn->rx_prod;
	conn->rx_prod_flags = 0;
	conn->rx_conn_flags = 0;
	conn->tx_prod_flags = 0;
	conn->tx_conn_flags = 0;
	conn->dead = false;
	spin_unlock_bh(&conn->lock);
	return 0;
}

/* Connect to the peer's DMB named in its ACCEPT or CONFIRM. -ENOENT: the
 * device knows no such DMB.
 */
int smc_conn_connect_peer(struct smc_sock *smc, u64 peer_token,
			  u32 peer_dmb_len)
{
	struct smc_conn *conn = &smc->conn;
	struct smcd_device *dev = conn->lgr->dev;
	u32 ring = smcd_cdc_ring_size(peer_dmb_len);
	int rc;

	if (!ring)
		return -EPROTO;
	smc_conn_stat_peer_rmb(smc, peer_dmb_len);
	/* The signal path may be looking at the cursors right now. */
	spin_lock_bh(&conn->lock);
	conn->peer_token = peer_token;
	conn->peer_ring = ring;
	spin_unlock_bh(&conn->lock);
	rc = smcd_dmb_attach(dev, peer_token, &conn->peer_view);
	if (!rc) {
		if (conn->peer_view.len < peer_dmb_len) {
			smcd_dmb_detach(dev, &conn->peer_view);
			return -EPROTO;
		}
		WRITE_ONCE(conn->peer_attached, true);
		return 0;
	}
	/* The device has no such DMB, or none of the peer's by that token:
	 * the peer named one that is not its own, or none. Staged through
	 * move_data, our data would go wherever that token leads, another
	 * connection's DMB.
	 */
	if (rc != -EOPNOTSUPP ||
	    smcd_dmb_check_token(dev, &conn->lgr->peer_gid, peer_token))
		return -ENOENT;
	/* No shared memory with this device: stage data for move_data. */
	if (!conn->bounce)
		conn->bounce = kmalloc(SMC_CONN_BOUNCE, GFP_KERNEL);
	return conn->bounce ? 0 : -ENOMEM;
}

/* The DMB a client named in its CONFIRM is gone, as a client that closes
 * gives its DMB back at once, before its server may have read the CONFIRM.
 * If it left its end in our DMB (which only one given our token in the
 * ACCEPT could write), the connection is one closed before accept(): TCP
 * hands such a one over with its bytes, and so do we, with nothing to
 * write to. Socket lock held.
 */
bool smc_conn_peer_left(struct smc_sock *smc)
{
	struct smc_conn *conn = &smc->conn;
	bool ended;

	smc_conn_catch_up(smc);
	spin_lock_bh(&conn->lock);
	ended = conn->rx_conn_flags &
		(SMC_CDC_CF_CONN_CLOSED | SMC_CDC_CF_CONN_ABORT);
	if (ended)
		conn->peer_token = 0;
	spin_unlock_bh(&conn->lock);
	return ended;
}

/* Nothing more goes to the peer or comes from it. Socket lock held. */
static void smc_conn_cut_peer(struct smc_sock *smc)
{
	struct smc_conn *conn = &smc->conn;

	smc_probe_stop(smc);
	spin_lock_bh(&conn->cdc_lock);
	spin_lock_bh(&conn->lock);
	conn->dead = true;
	spin_unlock_bh(&conn->lock);
	spin_unlock_bh(&conn->cdc_lock);

	smc_conn_drop_view(conn);
	kfree(conn->bounce);
	conn->bounce = NULL;
}

/* Give back everything the connection holds. Caller holds the sock lock. */
void smc_conn_release(struct smc_sock *smc)
{
	struct smc_conn *conn = &smc->conn;
	struct smcd_lgr *lgr = conn->lgr;
	struct smcd_device *dev;

	if (!lgr)
		return;
	dev = lgr->dev;
	smc_conn_cut_peer(smc);
	/* No signal runs once the DMB is unregistered. */
	if (conn->rmb_live) {
		/* Back as the device handed it out, zeroed: a device may
		 * scrub only what the peer wrote, not our blank header.
		 */
		memset(conn->rmb.cpu_addr, 0, SMCD_CDC_MSG_LEN);
		smcd_dmb_unregister(dev, &conn->rmb);
		smc_dmb_uncharge(sock_net(&smc->sk), conn->rmb.len);
		conn->rmb_live = false;
	}
	mutex_lock(&smcd_lgr_mutex);
	list_del_init(&conn->lgr_node);
	conn->lgr = NULL;
	smcd_lgr_leave(lgr);
	mutex_unlock(&smcd_lgr_mutex);
}

/* The socket reports a connection that ended like a reset; with @err 0,
 * an error told already.
 */
static void smc_conn_failed(struct smc_sock *smc, int err)
{
	struct sock *sk = &smc->sk;

	if (err)
		sk->sk_err = err;
	sk->sk_shutdown = SHUTDOWN_MASK;
	if (sk->sk_state != SMC_LISTEN && sk->sk_state != SMC_INIT)
		sk->sk_state = SMC_CLOSED;
	sk_error_report(sk);
	smc_wake(sk, EPOLLIN | EPOLLOUT | EPOLLERR | EPOLLHUP | EPOLLRDHUP,
		 POLL_HUP);
	/* A connection held back from accept() is dropped now. */
	if (READ_ONCE(smc->deferred))
		smc_child_kick(smc);
}

/* The connection cannot go on (device removed): fail it like a reset.
 * The error and the closed state come first: a call that picks its path
 * without the socket lock (smc_io_path()) and finds the connection gone
 * must find them, or it reports a connection never made (ENOTCONN).
 */
void smc_conn_abort(struct smc_sock *smc, int err)
{
	if (!smc->conn.lgr)
		return;
	smc_conn_failed(smc, err);
	/* Pairs with the read of conn.lgr before the state's. */
	smp_wmb();
	smc_conn_release(smc);
}

/* The same for a connection that ended with bytes we have not read yet:
 * TCP keeps its receive queue when a reset arrives, and reads what came
 * before it first. Our DMB stays (in its link group, so that a device
 * removal still finds it) until the reader has emptied it or the socket
 * is closed; everything towards the peer goes now.
 */
void smc_conn_abort_keep_rx(struct smc_sock *smc, int err)
{
	struct smc_conn *conn = &smc->conn;

	if (!conn->lgr)
		return;
	smc_conn_cut_peer(smc);
	WRITE_ONCE(conn->rx_kept, true);
	smc_conn_failed(smc, err);
}

/* The TCP connection under a connection over SMC-D failed: keepalive
 * probes or TCP_USER_TIMEOUT found the peer's kernel gone, or a reset came
 * from a peer that forgot the connection. Nothing else would tell us (its
 * DMB may stay writable, its signals never come), so ours ends with TCP's
 * error, as the TCP connection did. A peer that already closed or aborted
 * told us itself. Atomic context.
 */
void smc_conn_tcp_lost(struct smc_sock *smc, int err)
{
	struct smc_conn *conn = &smc->conn;
	bool lost = false, held_back;

	if (!err)
		return;
	spin_lock_bh(&conn->lock);
	if (!conn->dead && !(conn->rx_conn_flags & (SMC_CDC_CF_CONN_CLOSED |
						    SMC_CDC_CF_CONN_ABORT))) {
		conn->dead = true;
		WRITE_ONCE(conn->lost_err, err);
		lost = true;
	}
	held_back = lost && READ_ONCE(smc->deferred);
	spin_unlock_bh(&conn->lock);
	if (!lost)
		return;
	if (held_back)
		smc_child_kick(smc);
	/* As TCP's reset: SO_ERROR tells it with the first POLLERR, not
	 * only once a call has taken the end in (smc_data_reset()).
	 */
	WRITE_ONCE(smc->sk.sk_err, err);
	smc_wake(&smc->sk, EPOLLIN | EPOLLRDNORM | EPOLLRDHUP | EPOLLOUT |
		 EPOLLERR | EPOLLHUP, POLL_HUP);
}

/* A device is going away: fail every connection that uses it. */
static void smc_conn_device_remove(struct smcd_device *dev)
{
	struct smcd_lgr *lgr;
	struct smc_conn *conn;
	struct smc_sock *smc;

	for (;;) {
		smc = NULL;
		mutex_lock(&smcd_lgr_mutex);
		list_for_each_entry(lgr, &smcd_lgr_list, node) {
			if (lgr->dev != dev || list_empty(&lgr->conns))
				continue;
			conn = list_first_entry(&lgr->conns, struct smc_conn,
						lgr_node);
			smc = container_of(conn, struct smc_sock, conn);
			sock_hold(&smc->sk);
			break;
		}
		mutex_unlock(&smcd_lgr_mutex);
		if (!smc)
			break;
		lock_sock(&smc->sk);
		/* Before we had its lock, the socket may have ended that
		 * connection and made a new one on another device.
		 */
		if (smc->conn.lgr && smc->conn.lgr->dev == dev) {
			/* A peer in another kernel would otherwise wait for
			 * us forever: the device works until remove() returns.
			 */
			smc_conn_send_abort(smc);
			smc_conn_abort(smc, ECONNRESET);
		}
		release_sock(&smc->sk);
		sock_put(&smc->sk);
	}
}

/* Devices are looked up per connection; nothing to set up in advance. */
static void smc_conn_device_add(struct smcd_device *dev)
{
}

static struct smcd_client smc_conn_client = {
	.name	= "smc",
	.add	= smc_conn_device_add,
	.remove	= smc_conn_device_remove,
};

int smc_conn_module_init(void)
{
	return smcd_client_register(&smc_conn_client);
}

void smc_conn_module_exit(void)
{
	smcd_client_unregister(&smc_conn_client);
}
