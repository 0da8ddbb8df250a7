// SPDX-License-Identifier: GPL-2.0
/*
 * smc-ng: passive open.
 *
 * The listening TCP socket's new connections are taken off its accept
 * queue by accept_work as soon as they arrive. Each becomes a child AF_SMC
 * socket that negotiates on its own: its CLC bytes drive handshake_work and
 * a timer bounds the wait, so a slow or silent peer never holds up the
 * listener or any other handshake. Finished children wait in accept_queue
 * for accept(). The number of children in flight is bounded by the listen
 * backlog; beyond it connections stay in TCP's own queue, which pushes back
 * on the peers exactly as an overloaded TCP listener does.
 *
 * A connection that offered SMC is taken once its PROPOSAL has arrived,
 * not when TCP completes it: the client sends the PROPOSAL right after,
 * and a worker woken in between (on the client's CPU, where the wake-up
 * comes from) would preempt the client before it could send, only to find
 * nothing to read. Until accept_work takes them, TCP's children carry the
 * listener's hooks, so the PROPOSAL's arrival is seen; one that never
 * comes is taken after SMC_ACCEPT_LATE at the latest. Connections without
 * SMC are taken at once, as a client may wait for the server to speak.
 */
#include <linux/poll.h>
#include <linux/tcp.h>
#include <net/sock.h>
#include <net/tcp.h>

#include "smc_sock.h"
#include "smc_fault.h"
#include "smc_stats.h"
#include "smc_clc_wire.h"

/* How long a peer may take to send its first CLC message. */
#define SMC_CLC_WAIT	(6 * HZ)
/* Handshakes a listener runs at once, at least (its backlog if larger). */
#define SMC_HS_MAX_RUNNING	256
/* When a child that offered SMC is taken without its PROPOSAL. */
#define SMC_ACCEPT_LATE		(HZ / 5)

static void smc_listen_kick(struct smc_sock *lsmc)
{
	sock_hold(&lsmc->sk);
	if (!queue_work(smc_hs_wq, &lsmc->accept_work))
		sock_put(&lsmc->sk);
}

/* A connection of the listening TCP socket that offered SMC and whose
 * PROPOSAL (or end) is not there yet.
 */
static bool smc_child_awaits_proposal(struct sock *tsk)
{
	return tcp_sk(tsk)->syn_smc && !smc_clc_readable(tsk);
}

/* The newest connection in the listening TCP socket's queue offered SMC
 * and its PROPOSAL is not there yet. TCP calls the listener's data_ready
 * right after queueing a connection, so the newest is the one it means.
 */
static bool smc_listen_newest_waits(struct sock *ltsk)
{
	struct request_sock_queue *q = &inet_csk(ltsk)->icsk_accept_queue;
	struct request_sock *req;
	bool waits = false;

	spin_lock_bh(&q->rskq_lock);
	req = q->rskq_accept_tail;
	if (req && req->sk)
		waits = smc_child_awaits_proposal(req->sk);
	spin_unlock_bh(&q->rskq_lock);
	return waits;
}

/* An event of the listening TCP socket (a connection queued, the listener
 * closed) or of a connection still in its queue (bytes, a state change).
 */
void smc_listen_tcp_event(struct smc_sock *lsmc, struct sock *tsk,
			  __poll_t mask)
{
	bool waits;

	if (!(mask & EPOLLIN))
		return;
	if (smc_tcp_is_own(lsmc, tsk))
		waits = smc_listen_newest_waits(tsk);
	else
		waits = smc_child_awaits_proposal(tsk);
	if (!waits)
		smc_listen_kick(lsmc);
	else if (!timer_pending(&lsmc->accept_timer))
		mod_timer(&lsmc->accept_timer, jiffies + SMC_ACCEPT_LATE);
}

void smc_accept_late(struct timer_list *t)
{
	struct smc_sock *lsmc = from_timer(lsmc, t, accept_timer);

	/* smc_listen_stop() deletes the timer after the state change. */
	if (READ_ONCE(lsmc->sk.sk_state) == SMC_LISTEN)
		smc_listen_kick(lsmc);
}

/* Nothing in the listening TCP socket's queue. accept_work looks before
 * kernel_accept(), which would make a socket (an inode) only to find that
 * out, as costly as taking a connection; one that arrives after the look
 * kicks accept_work again.
 */
static bool smc_listen_tcp_empty(const struct smc_sock *lsmc)
{
	return reqsk_queue_empty(&inet_csk(lsmc->tcp->sk)->icsk_accept_queue);
}

/* A slot freed up (a handshake ended, a child was accepted): accept_work
 * only has something to do if connections wait in TCP's queue, because it
 * stopped taking them. Any that arrive later kick it themselves, so most
 * slots free up without waking a worker. Listener socket lock held.
 */
static void smc_listen_slot_freed(struct smc_sock *lsmc)
{
	if (lsmc->sk.sk_state != SMC_LISTEN || !lsmc->tcp)
		return;
	/* Pairs with the arrival's queue-then-wake: we see either the queued
	 * connection or the arrival's accept_work sees the slot free.
	 */
	smp_mb();
	if (!smc_listen_tcp_empty(lsmc))
		smc_listen_kick(lsmc);
}

/* The listen() backlog as our limits read it: at least one. */
static unsigned int smc_listen_backlog(const struct smc_sock *lsmc)
{
	return max_t(unsigned int, 1, READ_ONCE(lsmc->sk.sk_max_ack_backlog));
}

/* The application has a backlog's worth waiting for accept(). */
static bool smc_listen_queue_full(const struct smc_sock *lsmc)
{
	return READ_ONCE(lsmc->accept_queued) >= smc_listen_backlog(lsmc);
}

static bool smc_listen_busy(const struct smc_sock *lsmc)
{
	return atomic_read(&lsmc->handshakes) + READ_ONCE(lsmc->accept_queued)
	       >= smc_listen_backlog(lsmc);
}

/* Whether accept_work should leave connections in TCP's queue: the
 * application has a backlog's worth waiting in ours (as TCP's own queue
 * stops there), or a flood has started more handshakes than we let run at
 * once. Handshakes in flight below that do not stop it: a connection left
 * in TCP's queue meanwhile would see its peer's CLC wait run out.
 */
static bool smc_listen_full(const struct smc_sock *lsmc)
{
	return smc_listen_queue_full(lsmc) ||
	       atomic_read(&lsmc->handshakes) >=
	       max_t(unsigned int, smc_listen_backlog(lsmc), SMC_HS_MAX_RUNNING);
}

/* Called by TCP for every SYN: new connections are offered plain TCP (the
 * SYN-ACK omits the SMC option) while the application has a backlog's
 * worth of connections waiting for accept(), or, with SMC_LIMIT_HS, while
 * our handshakes fill the backlog. In the first case accept_work leaves
 * connections in TCP's queue: one that offered SMC would wait there for
 * our answer to its PROPOSAL and fail when its wait runs out, where a
 * TCP client is connected and waits for accept() as long as it takes.
 */
static bool smc_listen_congested(const struct sock *tsk)
{
	const struct smc_sock *lsmc = READ_ONCE(tsk->sk_user_data);

	return lsmc && (smc_listen_queue_full(lsmc) ||
			(lsmc->limit_hs && smc_listen_busy(lsmc)));
}

int smc_listen(struct socket *sock, int backlog)
{
	struct sock *sk = sock->sk;
	struct smc_sock *smc = smc_sk(sk);
	int rc = -EINVAL;

	lock_sock(sk);
	if (!smc->tcp || smc->connect_phase != SMC_CONNECT_IDLE)
		goto out;
	if (sk->sk_state == SMC_LISTEN) {
		rc = kernel_listen(smc->tcp, backlog);
		if (!rc)
			WRITE_ONCE(sk->sk_max_ack_backlog, backlog);
		goto out;
	}
	if (sk->sk_state != SMC_INIT)
		goto out;

	smc_sockopts_to_tcp(smc);
	if (!smc->fallback) {
		if (static_branch_unlikely(&tcp_have_smc))
			tcp_sk(smc->tcp->sk)->syn_smc = 1;
		tcp_sk(smc->tcp->sk)->smc_hs_congested = smc_listen_congested;
		smc_tcp_hook(smc, SMC_TCP_LISTENING);
	}
	rc = kernel_listen(smc->tcp, backlog);
	if (rc) {
		smc_tcp_unhook(smc);
		goto out;
	}
	WRITE_ONCE(sk->sk_max_ack_backlog, backlog);
	sk->sk_state = SMC_LISTEN;
out:
	release_sock(sk);
	return rc;
}

/* Close a child nobody will accept. */
static void smc_child_drop(struct smc_sock *child)
{
	struct sock *csk = &child->sk;
	struct smc_sock *lsmc = child->listener;

	del_timer_sync(&child->handshake_timer);
	lock_sock(csk);
	csk->sk_state = SMC_CLOSED;
	/* Nobody accepted it: the peer gets a reset, as from TCP. */
	sock_set_flag(csk, SOCK_LINGER);
	csk->sk_lingertime = 0;
	smc_data_close(child);
	if (child->tcp) {
		sock_set_flag(child->tcp->sk, SOCK_LINGER);
		child->tcp->sk->sk_lingertime = 0;
	}
	smc_sock_release_tcp(child);
	child->listener = NULL;
	sock_orphan(csk);
	release_sock(csk);
	csk->sk_prot->unhash(csk);
	if (lsmc)
		sock_put(&lsmc->sk);
	sock_put(csk);
}

/* TCP_DEFER_ACCEPT on the listener: TCP holds a connection back until its
 * first bytes come, or for as long as getsockopt() reports (the SYN-ACK
 * retransmissions the value stands for). The PROPOSAL counts as such
 * bytes for TCP, so a child that negotiated is held back by us instead,
 * in defer_queue: until the peer's first bytes, its end, or that time.
 * Listener locked.
 */
static unsigned long smc_listen_defer_time(const struct smc_sock *lsmc)
{
	const struct inet_connection_sock *icsk = inet_csk(lsmc->tcp->sk);
	int retrans = READ_ONCE(icsk->icsk_accept_queue.rskq_defer_accept);
	unsigned long rto = TCP_TIMEOUT_INIT, total = 0;

	while (retrans-- > 0) {
		total += rto;
		rto = min_t(unsigned long, rto * 2, TCP_RTO_MAX);
	}
	return total;
}

/* What ends a child's wait in defer_queue: the peer's bytes or its end
 * (accept() gets the child), or a reset before either (TCP drops such a
 * connection unseen). Child locked.
 */
static enum smc_rx_news smc_child_news(struct smc_sock *child)
{
	enum smc_rx_news news = SMC_RX_NOTHING;
	struct sock *tsk;

	if (!child->fallback)
		return child->conn.lgr ? smc_conn_rx_news(&child->conn) :
					 SMC_RX_GONE;
	if (!child->tcp)
		return SMC_RX_GONE;
	tsk = child->tcp->sk;
	/* Under TCP's lock: bytes that come meanwhile wait in its backlog,
	 * and their event (a kick) follows when it is released.
	 */
	lock_sock(tsk);
	if (!skb_queue_empty(&tsk->sk_receive_queue) ||
	    sock_flag(tsk, SOCK_DONE))
		news = SMC_RX_NEWS;
	else if (tsk->sk_err || tsk->sk_state == TCP_CLOSE)
		news = SMC_RX_GONE;
	release_sock(tsk);
	return news;
}

/* Take a held-back child off defer_queue: false if someone else (the
 * listener's close, its wait's end) did first. accept_lock held.
 */
static bool smc_defer_unlink(struct smc_sock *lsmc, struct smc_sock *child)
{
	if (!child->deferred)
		return false;
	WRITE_ONCE(child->deferred, false);
	list_del_init(&child->accept_node);
	lsmc->accept_deferred--;
	return true;
}

/* A held-back child is ready for accept(). Child locked, listener set. */
static void smc_listen_defer_end(struct smc_sock *child)
{
	struct smc_sock *lsmc = child->listener;
	bool moved;

	spin_lock_bh(&lsmc->accept_lock);
	moved = smc_defer_unlink(lsmc, child);
	if (moved) {
		list_add_tail(&child->accept_node, &lsmc->accept_queue);
		WRITE_ONCE(lsmc->accept_queued, lsmc->accept_queued + 1);
	}
	spin_unlock_bh(&lsmc->accept_lock);
	if (!moved)
		return;
	/* Nothing may fire once accept() has it: no one stops it then. */
	del_timer_sync(&child->handshake_timer);
	if (child->tcp_role == SMC_TCP_DEFERRED)
		smc_tcp_unhook(child);
	lsmc->sk.sk_data_ready(&lsmc->sk);
}

/* A held-back child whose peer reset or was lost: out of the queue, and
 * false if the listener's close took it first. Child locked.
 */
static bool smc_listen_defer_cancel(struct smc_sock *child)
{
	struct smc_sock *lsmc = child->listener;
	bool taken;

	spin_lock_bh(&lsmc->accept_lock);
	taken = smc_defer_unlink(lsmc, child);
	spin_unlock_bh(&lsmc->accept_lock);
	return taken;
}

/* TCP_DEFER_ACCEPT changed: held-back children wait until the new time
 * has passed since TCP handed them over, as TCP's requests look at the
 * current value each time they are retransmitted. With 0 they go to
 * accept() now. Listener locked.
 */
void smc_listen_defer_retime(struct smc_sock *lsmc)
{
	unsigned long defer = smc_listen_defer_time(lsmc);
	struct smc_sock *child;

	spin_lock_bh(&lsmc->accept_lock);
	/* A timer that fires meanwhile only makes the child look again. */
	list_for_each_entry(child, &lsmc->defer_queue, accept_node)
		mod_timer(&child->handshake_timer, child->defer_from + defer);
	spin_unlock_bh(&lsmc->accept_lock);
}

/* The handshake of a child ended: queue it for accept() (or hold it back
 * first, see smc_listen_defer_time()) or drop it. Held-back children do
 * not count against the backlog, as TCP's are not in its accept queue;
 * beyond a backlog's worth of them, the next ones are not held back.
 */
static void smc_child_done(struct smc_sock *child, int err)
{
	struct smc_sock *lsmc = child->listener;
	bool defer = child->defer;
	struct sock *lsk = &lsmc->sk;
	bool queued = false;

	/* Once queued, accept() may drop the child's hold on the listener. */
	sock_hold(lsk);
	del_timer_sync(&child->handshake_timer);
	lock_sock(lsk);
	if (!err && lsk->sk_state == SMC_LISTEN &&
	    child->listen_epoch == lsmc->listen_epoch) {
		spin_lock_bh(&lsmc->accept_lock);
		if (lsmc->accept_deferred >= smc_listen_backlog(lsmc))
			defer = false;
		if (defer) {
			list_add_tail(&child->accept_node, &lsmc->defer_queue);
			lsmc->accept_deferred++;
			/* Armed under the lock: whoever takes the child out
			 * of the queue then finds the timer to stop.
			 */
			WRITE_ONCE(child->deferred, true);
			WRITE_ONCE(child->handshake_expired, false);
			mod_timer(&child->handshake_timer,
				  child->defer_from +
				  smc_listen_defer_time(lsmc));
		} else {
			list_add_tail(&child->accept_node, &lsmc->accept_queue);
			WRITE_ONCE(lsmc->accept_queued,
				   lsmc->accept_queued + 1);
		}
		spin_unlock_bh(&lsmc->accept_lock);
		queued = true;
		/* At once: poll() sees the child from now on, and a
		 * level-triggered epoll must see it as soon.
		 */
		if (!defer)
			lsk->sk_data_ready(lsk);
	}
	atomic_dec(&lsmc->handshakes);
	smc_listen_slot_freed(lsmc);
	release_sock(lsk);
	if (!queued) {
		smc_child_drop(child);
	} else if (defer) {
		/* News from now on kicks the child (deferred is set); news
		 * that came before is seen here.
		 */
		lock_sock(&child->sk);
		if (smc_child_news(child) != SMC_RX_NOTHING)
			smc_child_kick(child);
		release_sock(&child->sk);
	}
	sock_put(lsk);
}

/* TCP children inherit the listener's hooks; give them back their own. */
static void smc_child_restore_tcp(struct smc_sock *lsmc, struct sock *tsk)
{
	write_lock_bh(&tsk->sk_callback_lock);
	tsk->sk_data_ready = lsmc->tcp_data_ready;
	tsk->sk_write_space = lsmc->tcp_write_space;
	tsk->sk_state_change = lsmc->tcp_state_change;
	tsk->sk_error_report = lsmc->tcp_error_report;
	tsk->sk_user_data = NULL;
	write_unlock_bh(&tsk->sk_callback_lock);
}

/* A child made for a connection that accept_work did not get after all. */
static void smc_child_free(struct sock *csk)
{
	csk->sk_state = SMC_CLOSED;
	sock_set_flag(csk, SOCK_DEAD);
	csk->sk_prot->unhash(csk);
	sock_put(csk);
}

static void smc_child_start(struct smc_sock *lsmc, struct sock *csk,
			    struct socket *tcp)
{
	struct sock *lsk = &lsmc->sk;
	struct smc_sock *child = smc_sk(csk);

	smc_child_restore_tcp(lsmc, tcp->sk);
	child->tcp = tcp;
	child->is_server = true;
	child->limit_hs = lsmc->limit_hs;
	child->listener = lsmc;
	sock_hold(lsk);
	smc_sockopts_inherit(child, lsk);
	atomic_inc(&lsmc->handshakes);

	if (!tcp_sk(tcp->sk)->syn_smc) {
		/* The peer did not offer SMC: no CLC byte is exchanged, and
		 * TCP held the connection back as long as it was to be.
		 */
		child->defer = false;
		lock_sock(csk);
		smc_fallback_switch(child, SMC_CLC_DECL_PEERNOSMC, 0);
		csk->sk_state = SMC_ACTIVE;
		release_sock(csk);
		smc_child_done(child, 0);
		return;
	}
	lock_sock(csk);
	smc_tcp_hook(child, SMC_TCP_HANDSHAKE);
	mod_timer(&child->handshake_timer, jiffies + SMC_CLC_WAIT);
	/* Bytes may have arrived before the hook was in place; the hook sees
	 * any later ones. Not answered here: under a flood this one worker
	 * would answer every PROPOSAL in turn, while their own work items
	 * spread over the CPUs. Looked at before the lock goes: from then on
	 * the hook's work may end the child (and free it).
	 */
	if (smc_clc_readable(tcp->sk))
		smc_child_kick(child);
	release_sock(csk);
}

void smc_accept_work(struct work_struct *work)
{
	struct smc_sock *lsmc = container_of(work, struct smc_sock,
					     accept_work);
	struct sock *lsk = &lsmc->sk;
	struct socket *tcp;
	struct sock *csk;
	int rc;

	for (;;) {
		lock_sock(lsk);
		if (lsk->sk_state != SMC_LISTEN || !lsmc->tcp ||
		    smc_listen_full(lsmc) || smc_listen_tcp_empty(lsmc)) {
			release_sock(lsk);
			break;
		}
		/* Made before the connection is taken: without memory for
		 * it (or for kernel_accept()'s socket) the connection stays
		 * in TCP's queue, its peer waiting as for any busy server,
		 * and is taken on a later try instead of reset.
		 */
		csk = smc_fault() ? NULL : smc_sock_alloc_child(lsk);
		rc = -ENOMEM;
		/* kernel_accept() allocates a socket too. */
		if (csk && !smc_fault())
			rc = kernel_accept(lsmc->tcp, &tcp, O_NONBLOCK);
		if (rc == -ENOMEM && !timer_pending(&lsmc->accept_timer))
			mod_timer(&lsmc->accept_timer, jiffies + SMC_ACCEPT_LATE);
		if (!rc) {
			smc_sk(csk)->listen_epoch = lsmc->listen_epoch;
			smc_sk(csk)->defer = smc_listen_defer_time(lsmc) > 0;
			smc_sk(csk)->defer_from = jiffies;
		}
		release_sock(lsk);
		if (rc) {
			if (csk)
				smc_child_free(csk);
			break;
		}
		smc_child_start(lsmc, csk, tcp);
	}
	sock_put(lsk);
}

/* Something for a child's handshake_work: CLC bytes or an end during the
 * handshake, the peer's first bytes or its end while held back, or its
 * timer. Any context.
 */
void smc_child_kick(struct smc_sock *child)
{
	sock_hold(&child->sk);
	if (!queue_work(smc_hs_wq, &child->handshake_work))
		sock_put(&child->sk);
}

void smc_handshake_expire(struct timer_list *t)
{
	struct smc_sock *child = from_timer(child, t, handshake_timer);

	WRITE_ONCE(child->handshake_expired, true);
	smc_child_kick(child);
}

/* handshake_work for a held-back child: its wait ends, or it is dropped,
 * or it waits on. Releases the child's lock.
 */
static void smc_child_defer_step(struct smc_sock *child)
{
	enum smc_rx_news news = SMC_RX_NOTHING;

	if (child->listener)
		news = smc_child_news(child);
	if (news == SMC_RX_GONE) {
		bool taken = smc_listen_defer_cancel(child);

		release_sock(&child->sk);
		if (taken)
			smc_child_drop(child);
		return;
	}
	if (child->listener &&
	    (news == SMC_RX_NEWS || READ_ONCE(child->handshake_expired)))
		smc_listen_defer_end(child);
	release_sock(&child->sk);
}

void smc_handshake_work(struct work_struct *work)
{
	struct smc_sock *child = container_of(work, struct smc_sock,
					      handshake_work);
	struct sock *csk = &child->sk;
	int rc;

	lock_sock(csk);
	if (READ_ONCE(child->deferred)) {
		smc_child_defer_step(child);
		goto out;
	}
	if (child->tcp_role != SMC_TCP_HANDSHAKE || !child->listener) {
		release_sock(csk);
		goto out;
	}
	rc = smc_server_negotiate(child);
	if (rc == -EAGAIN) {
		if (!READ_ONCE(child->handshake_expired)) {
			release_sock(csk);
			goto out;
		}
		rc = -ETIMEDOUT;
	}
	if (rc < 0)
		smc_stat_hs_error(sock_net(csk), true);
	if (child->tcp_role == SMC_TCP_HANDSHAKE) {
		if (!rc)
			smc_tcp_watch(child);	/* over SMC-D */
		else
			smc_tcp_unhook(child);
	}
	/* Over TCP and to be held back: TCP's events end the wait. */
	if (!rc && child->fallback && child->defer)
		smc_tcp_hook(child, SMC_TCP_DEFERRED);
	if (!rc)
		csk->sk_state = SMC_ACTIVE;
	release_sock(csk);
	smc_child_done(child, rc);
out:
	sock_put(csk);
}

__poll_t smc_listen_poll(struct smc_sock *lsmc)
{
	__poll_t mask = 0;

	/* Only connections to take, as inet_csk_listen_poll(): an error a
	 * disconnect left before listen() is for SO_ERROR alone.
	 */
	if (!list_empty_careful(&lsmc->accept_queue))
		mask |= EPOLLIN | EPOLLRDNORM;
	return mask;
}

static struct smc_sock *smc_accept_dequeue(struct smc_sock *lsmc)
{
	struct smc_sock *child;

	spin_lock_bh(&lsmc->accept_lock);
	child = list_first_entry_or_null(&lsmc->accept_queue,
					 struct smc_sock, accept_node);
	if (child) {
		list_del_init(&child->accept_node);
		WRITE_ONCE(lsmc->accept_queued, lsmc->accept_queued - 1);
	}
	spin_unlock_bh(&lsmc->accept_lock);
	return child;
}

/* A held-back child, for the listener's close. */
static struct smc_sock *smc_defer_dequeue(struct smc_sock *lsmc)
{
	struct smc_sock *child;

	spin_lock_bh(&lsmc->accept_lock);
	child = list_first_entry_or_null(&lsmc->defer_queue,
					 struct smc_sock, accept_node);
	if (child)
		smc_defer_unlink(lsmc, child);
	spin_unlock_bh(&lsmc->accept_lock);
	return child;
}

static int smc_accept_wait(struct smc_sock *lsmc, long timeo,
			   struct smc_sock **childp)
{
	DEFINE_WAIT_FUNC(wait, woken_wake_function);
	struct sock *lsk = &lsmc->sk;
	int rc = 0;

	add_wait_queue_exclusive(sk_sleep(lsk), &wait);
	for (;;) {
		if (lsk->sk_state != SMC_LISTEN) {
			rc = -EINVAL;
			break;
		}
		*childp = smc_accept_dequeue(lsmc);
		if (*childp)
			break;
		if (!timeo) {
			rc = -EAGAIN;
			break;
		}
		if (signal_pending(current)) {
			rc = sock_intr_errno(timeo);
			break;
		}
		sk_wait_event(lsk, &timeo,
			      !list_empty_careful(&lsmc->accept_queue) ||
			      lsk->sk_state != SMC_LISTEN, &wait);
	}
	remove_wait_queue(sk_sleep(lsk), &wait);
	return rc;
}

int smc_accept(struct socket *sock, struct socket *newsock, int flags,
	       bool kern)
{
	struct sock *lsk = sock->sk;
	struct smc_sock *lsmc = smc_sk(lsk);
	struct smc_sock *child = NULL;
	struct sock *csk;
	int rc;

	lock_sock(lsk);
	rc = smc_accept_wait(lsmc, sock_rcvtimeo(lsk, flags & O_NONBLOCK),
			     &child);
	if (!rc)
		smc_listen_slot_freed(lsmc);
	release_sock(lsk);
	if (rc)
		return rc;

	csk = &child->sk;
	lock_sock(csk);
	sock_graft(csk, newsock);
	newsock->state = SS_CONNECTED;
	child->listener = NULL;
	smc_fallback_attach_file(child);
	release_sock(csk);
	sock_put(lsk);
	return 0;
}

/* shutdown(SHUT_RD) stops listening as on TCP; the socket may listen
 * again later. Ours stops first: TCP's may hand the connections in its
 * queue to another listener, see smc_listen_disown_queue().
 */
int smc_listen_shutdown(struct smc_sock *lsmc, int how)
{
	struct sock *lsk = &lsmc->sk;
	int rc;

	if (how == SHUT_WR)
		return lsmc->tcp->ops->shutdown(lsmc->tcp, how);
	smc_listen_stop(lsmc);
	rc = lsmc->tcp->ops->shutdown(lsmc->tcp, how);
	lock_sock(lsk);
	lsk->sk_state = SMC_INIT;
	release_sock(lsk);
	return rc;
}

/* One connection in TCP's queue that still carries our hooks, held. */
static struct sock *smc_listen_next_hooked(struct sock *ltsk)
{
	struct request_sock_queue *q = &inet_csk(ltsk)->icsk_accept_queue;
	struct request_sock *req;
	struct sock *tsk = NULL;

	spin_lock_bh(&q->rskq_lock);
	for (req = q->rskq_accept_head; req; req = req->dl_next) {
		if (req->sk && smc_tcp_hooked(req->sk)) {
			tsk = req->sk;
			sock_hold(tsk);
			break;
		}
	}
	spin_unlock_bh(&q->rskq_lock);
	return tsk;
}

/* The connections still in TCP's queue carry the listener's hooks and
 * pointer (TCP copied them). TCP's close or shutdown resets them, unless
 * the port is shared (SO_REUSEPORT) and migration is on
 * (net.ipv4.tcp_migrate_req, or a BPF program): then it hands them to
 * another listener, and they must not point at this one, soon gone. The
 * listener is unhooked already; a connection cloned from it before that
 * is in the queue once the softirqs that may be cloning have ended.
 */
static void smc_listen_disown_queue(struct smc_sock *lsmc)
{
	struct sock *ltsk = lsmc->tcp->sk;
	struct sock *tsk;

	if (!rcu_access_pointer(ltsk->sk_reuseport_cb))
		return;
	synchronize_net();
	while ((tsk = smc_listen_next_hooked(ltsk))) {
		smc_child_restore_tcp(lsmc, tsk);
		sock_put(tsk);
	}
}

/* The listener closes: no new children; queued ones are closed. */
void smc_listen_stop(struct smc_sock *lsmc)
{
	struct sock *lsk = &lsmc->sk;
	struct smc_sock *child;

	lock_sock(lsk);
	lsk->sk_state = SMC_CLOSED;
	lsmc->listen_epoch++;
	if (lsmc->tcp)
		tcp_sk(lsmc->tcp->sk)->smc_hs_congested = NULL;
	smc_tcp_unhook(lsmc);
	release_sock(lsk);
	del_timer_sync(&lsmc->accept_timer);
	if (cancel_work_sync(&lsmc->accept_work))
		sock_put(lsk);
	if (lsmc->tcp)
		smc_listen_disown_queue(lsmc);

	/* Held-back ones first: their wait may end meanwhile, which moves
	 * them to the accept queue, drained next.
	 */
	while ((child = smc_defer_dequeue(lsmc)))
		smc_child_drop(child);
	while ((child = smc_accept_dequeue(lsmc)))
		smc_child_drop(child);
	/* Other threads blocked in accept() return EINVAL. */
	lsk->sk_state_change(lsk);
}
