// SPDX-License-Identifier: GPL-2.0
/*
 * smc-ng: our hooks on the internal TCP socket, and falling back to it.
 *
 * While a connection is being set up we need the TCP socket's events
 * (established, CLC bytes arrived, new child queued). Once it has fallen
 * back, the TCP socket is the connection: the file is re-pointed to it so
 * that every later system call is plain TCP, and we only forward wake-ups
 * to waiters that registered on the AF_SMC socket before the switch.
 */
#include <linux/file.h>
#include <linux/poll.h>
#include <net/sock.h>
#include <net/tcp.h>

#include "smc_sock.h"
#include "smc_netns.h"
#include "smc_clc_wire.h"

static void smc_tcp_data_ready(struct sock *tsk);
static void smc_tcp_write_space(struct sock *tsk);
static void smc_tcp_state_change(struct sock *tsk);
static void smc_tcp_error_report(struct sock *tsk);

/* TCP's own callbacks, as a new TCP socket has them (none is exported).
 * A connection that TCP clones from a socket we hooked gets our hooks but
 * not our pointer (see smc_tcp_hook()); its first event hands it these.
 */
static struct {
	void (*data_ready)(struct sock *sk);
	void (*write_space)(struct sock *sk);
	void (*state_change)(struct sock *sk);
	void (*error_report)(struct sock *sk);
} smc_tcp_defaults;

int smc_fallback_init(void)
{
	struct socket *tcp;
	int rc;

	rc = sock_create_kern(&init_net, AF_INET, SOCK_STREAM, IPPROTO_TCP,
			      &tcp);
	if (rc)
		return rc;
	smc_tcp_defaults.data_ready = tcp->sk->sk_data_ready;
	smc_tcp_defaults.write_space = tcp->sk->sk_write_space;
	smc_tcp_defaults.state_change = tcp->sk->sk_state_change;
	smc_tcp_defaults.error_report = tcp->sk->sk_error_report;
	sock_release(tcp);
	return 0;
}

/* Under tsk->sk_callback_lock. NULL for a clone (or once unhooked). */
static struct smc_sock *smc_from_tcp(const struct sock *tsk)
{
	return __locked_read_sk_user_data_with_flags(tsk, 0);
}

/* @tsk is a clone: a connection accepted by a TCP socket that listens on
 * its own since its AF_SMC socket fell back (TCP_FASTOPEN or AF_UNSPEC
 * before listen()). It is plain TCP and owes us nothing: it gets TCP's
 * callbacks back wherever ours still stand (something may have stacked
 * its own on top since, and calls ours as the originals), so that it
 * never reaches smc.ko again, not even after the module is gone.
 */
static void smc_tcp_clone_unhook(struct sock *tsk)
{
	write_lock_bh(&tsk->sk_callback_lock);
	if (!tsk->sk_user_data) {
		if (tsk->sk_data_ready == smc_tcp_data_ready)
			tsk->sk_data_ready = smc_tcp_defaults.data_ready;
		if (tsk->sk_write_space == smc_tcp_write_space)
			tsk->sk_write_space = smc_tcp_defaults.write_space;
		if (tsk->sk_state_change == smc_tcp_state_change)
			tsk->sk_state_change = smc_tcp_defaults.state_change;
		if (tsk->sk_error_report == smc_tcp_error_report)
			tsk->sk_error_report = smc_tcp_defaults.error_report;
	}
	write_unlock_bh(&tsk->sk_callback_lock);
}

/* Wake whoever sleeps on the AF_SMC socket, as TCP wakes its own waiters. */
static void smc_forward_wakeup(struct smc_sock *smc, __poll_t mask)
{
	struct socket_wq *wq;

	rcu_read_lock();
	wq = rcu_dereference(smc->sk.sk_wq);
	if (skwq_has_sleeper(wq))
		wake_up_interruptible_poll(&wq->wait, mask);
	rcu_read_unlock();
}

/* Only a TCP connection that died ends one over SMC-D: a reset, or TCP
 * giving up (keepalive, TCP_USER_TIMEOUT). An error that TCP survives
 * itself (an ICMP error with IP_RECVERR on) leaves it alone.
 */
static void smc_tcp_check_lost(struct smc_sock *smc, struct sock *tsk)
{
	if (READ_ONCE(tsk->sk_state) == TCP_CLOSE)
		smc_conn_tcp_lost(smc, READ_ONCE(tsk->sk_err));
}

static void smc_tcp_event(struct smc_sock *smc, struct sock *tsk,
			  __poll_t mask)
{
	switch (smc->tcp_role) {
	case SMC_TCP_CONNECTING:
		if (!(mask & (EPOLLHUP | EPOLLERR | EPOLLOUT)))
			break;
		if (READ_ONCE(smc->connect_inline)) {
			/* connect() sleeps on our queue and goes on itself. */
			smc_forward_wakeup(smc, mask);
		} else {
			sock_hold(&smc->sk);
			if (!queue_work(smc_connect_wq, &smc->connect_work))
				sock_put(&smc->sk);
		}
		break;
	case SMC_TCP_LISTENING:
		smc_listen_tcp_event(smc, tsk, mask);
		break;
	case SMC_TCP_HANDSHAKE:
	case SMC_TCP_DEFERRED:
		/* Only bytes or an end move a handshake (or a held-back
		 * child) on; the space our ACCEPT's acknowledgment frees
		 * would only wake a worker.
		 */
		if (mask & (EPOLLIN | EPOLLHUP | EPOLLERR))
			smc_child_kick(smc);
		break;
	case SMC_TCP_WATCH:
		smc_tcp_check_lost(smc, tsk);
		break;
	case SMC_TCP_UNHOOKED:
		break;
	}
}

/* The type of the CLC message at the head of @tsk's receive queue, or 0
 * if its header is not there. TCP holds the socket for us (data_ready).
 */
static u8 smc_tcp_clc_type(struct sock *tsk)
{
	struct sk_buff *skb = skb_peek(&tsk->sk_receive_queue);
	u32 off;
	u8 type;

	if (!skb)
		return 0;
	off = tcp_sk(tsk)->copied_seq - TCP_SKB_CB(skb)->seq +
	      offsetof(struct smc_clc_wire_hdr, type);
	if (skb_copy_bits(skb, off, &type, sizeof(type)))
		return 0;
	return type;
}

/* The CLC messages are a strict exchange: the PROPOSAL and the ACCEPT are
 * each answered at once, so TCP's acknowledgment of them can ride on the
 * answer rather than go in a segment of its own, which costs sender and
 * receiver a pass through TCP while the connection's setup waits.
 * Delayed-ACK mode does that. Whatever is not answered is acknowledged at
 * once, as TCP would: a DECLINE (the connection goes on over TCP) and the
 * CONFIRM (delaying its acknowledgment had the client's TCP probe for it
 * with a retransmission on a loaded machine). Called on bytes arriving
 * while CLC messages are exchanged, a connection in the listener's queue
 * included, before TCP decides how to acknowledge them.
 */
static void smc_tcp_clc_ack(const struct smc_sock *smc, struct sock *tsk)
{
	u8 answered;

	switch (smc->tcp_role) {
	case SMC_TCP_CONNECTING:
		answered = SMC_CLC_ACCEPT;
		break;
	case SMC_TCP_LISTENING:
		if (smc_tcp_is_own(smc, tsk) || !tcp_sk(tsk)->syn_smc)
			return;
		fallthrough;
	case SMC_TCP_HANDSHAKE:
		answered = SMC_CLC_PROPOSAL;
		break;
	default:
		return;
	}
	if (smc_tcp_clc_type(tsk) == answered)
		inet_csk_enter_pingpong_mode(tsk);
	else
		inet_csk_exit_pingpong_mode(tsk);
}

static void smc_tcp_data_ready(struct sock *tsk)
{
	struct smc_sock *smc;

	read_lock_bh(&tsk->sk_callback_lock);
	smc = smc_from_tcp(tsk);
	if (smc) {
		smc_tcp_clc_ack(smc, tsk);
		smc->tcp_data_ready(tsk);
		smc_tcp_event(smc, tsk, EPOLLIN | EPOLLRDNORM);
	}
	read_unlock_bh(&tsk->sk_callback_lock);
	if (!smc) {
		smc_tcp_clone_unhook(tsk);
		smc_tcp_defaults.data_ready(tsk);
	}
}

static void smc_tcp_write_space(struct sock *tsk)
{
	struct smc_sock *smc;

	read_lock_bh(&tsk->sk_callback_lock);
	smc = smc_from_tcp(tsk);
	if (smc) {
		smc->tcp_write_space(tsk);
		smc_tcp_event(smc, tsk, EPOLLOUT | EPOLLWRNORM | EPOLLWRBAND);
	}
	read_unlock_bh(&tsk->sk_callback_lock);
	if (!smc) {
		smc_tcp_clone_unhook(tsk);
		smc_tcp_defaults.write_space(tsk);
	}
}

static void smc_tcp_state_change(struct sock *tsk)
{
	struct smc_sock *smc;

	read_lock_bh(&tsk->sk_callback_lock);
	smc = smc_from_tcp(tsk);
	if (smc) {
		/* The server took the SMC option: the PROPOSAL follows at
		 * once and carries the handshake's last ACK.
		 */
		if (smc->tcp_role == SMC_TCP_CONNECTING &&
		    tsk->sk_state == TCP_ESTABLISHED && tcp_sk(tsk)->syn_smc)
			inet_csk_enter_pingpong_mode(tsk);
		smc->tcp_state_change(tsk);
		/* A connect that completed or failed, or a peer that left. */
		smc_tcp_event(smc, tsk, EPOLLOUT | EPOLLIN | EPOLLHUP);
	}
	read_unlock_bh(&tsk->sk_callback_lock);
	if (!smc) {
		smc_tcp_clone_unhook(tsk);
		smc_tcp_defaults.state_change(tsk);
	}
}

static void smc_tcp_error_report(struct sock *tsk)
{
	struct smc_sock *smc;

	read_lock_bh(&tsk->sk_callback_lock);
	smc = smc_from_tcp(tsk);
	if (smc) {
		smc->tcp_error_report(tsk);
		smc_tcp_event(smc, tsk, EPOLLERR);
	}
	read_unlock_bh(&tsk->sk_callback_lock);
	if (!smc) {
		smc_tcp_clone_unhook(tsk);
		smc_tcp_defaults.error_report(tsk);
	}
}

/* Chain into the TCP socket's callbacks. Safe to call again to change the
 * role: the original callbacks are saved only once.
 */
void smc_tcp_hook(struct smc_sock *smc, enum smc_tcp_role role)
{
	struct sock *tsk = smc->tcp->sk;
	uintptr_t nocopy;

	write_lock_bh(&tsk->sk_callback_lock);
	if (smc->tcp_role == SMC_TCP_UNHOOKED) {
		smc->tcp_data_ready = tsk->sk_data_ready;
		smc->tcp_write_space = tsk->sk_write_space;
		smc->tcp_state_change = tsk->sk_state_change;
		smc->tcp_error_report = tsk->sk_error_report;
		tsk->sk_data_ready = smc_tcp_data_ready;
		tsk->sk_write_space = smc_tcp_write_space;
		tsk->sk_state_change = smc_tcp_state_change;
		tsk->sk_error_report = smc_tcp_error_report;
	}
	/* TCP copies a listener's callbacks and user data into each child.
	 * Only our listener's children are ours to look at (accept_work takes
	 * them over); any other TCP socket we hook could be cloned only once it
	 * listens (our hooks are gone by then, see smc_fallback_relay(); if
	 * not, smc_tcp_clone_unhook() gives each clone TCP's own at its first
	 * event), and its children must not point at us.
	 */
	nocopy = role == SMC_TCP_LISTENING ? 0 : SK_USER_DATA_NOCOPY;
	__rcu_assign_sk_user_data_with_flags(tsk, smc, nocopy);
	smc->tcp_role = role;
	write_unlock_bh(&tsk->sk_callback_lock);
}

/* A connection now runs over SMC-D: TCP only tells of a lost peer, and
 * one lost before the hook was in place would never be told.
 */
void smc_tcp_watch(struct smc_sock *smc)
{
	smc_tcp_hook(smc, SMC_TCP_WATCH);
	smc_tcp_check_lost(smc, smc->tcp->sk);
}

/* Whether @tsk has our hooks: a connection TCP cloned from our listener
 * has them too.
 */
bool smc_tcp_hooked(const struct sock *tsk)
{
	return READ_ONCE(tsk->sk_data_ready) == smc_tcp_data_ready;
}

void smc_tcp_unhook(struct smc_sock *smc)
{
	struct sock *tsk;

	if (!smc->tcp)
		return;
	tsk = smc->tcp->sk;
	write_lock_bh(&tsk->sk_callback_lock);
	if (smc->tcp_role != SMC_TCP_UNHOOKED) {
		tsk->sk_data_ready = smc->tcp_data_ready;
		tsk->sk_write_space = smc->tcp_write_space;
		tsk->sk_state_change = smc->tcp_state_change;
		tsk->sk_error_report = smc->tcp_error_report;
		tsk->sk_user_data = NULL;
		smc->tcp_role = SMC_TCP_UNHOOKED;
	}
	write_unlock_bh(&tsk->sk_callback_lock);
}

/* Hand the open file over to the TCP socket: from now on the system calls
 * on this descriptor reach TCP directly, so the connection behaves exactly
 * like the TCP socket it runs on (options, SO_ERROR, TCP_INFO, splice...).
 * Closing the descriptor still releases the AF_SMC socket, which owns the
 * file's inode and releases the TCP socket in turn.
 */
void smc_fallback_attach_file(struct smc_sock *smc)
{
	struct socket *sock = smc->sk.sk_socket;
	struct fasync_struct *fa;
	int fd = -1;

	if (!smc->fallback || !smc->tcp || !sock || !sock->file)
		return;
	/* The application's socket from now on, no longer the kernel's:
	 * what trusts kernel sockets (MPTCP's ULP takes one for its own
	 * subflow, and oopses on its connect) must not trust this one.
	 */
	lock_sock(smc->tcp->sk);
	smc->tcp->sk->sk_kern_sock = 0;
	release_sock(smc->tcp->sk);
	smc->tcp->file = sock->file;
	smc->tcp->file->private_data = smc->tcp;

	/* O_ASYNC set so far moves along: TCP raises SIGIO from now on,
	 * and a later fcntl that clears it reaches TCP's registration.
	 * fasync entries are freed after a grace period: RCU guards the walk.
	 */
	rcu_read_lock();
	for (fa = READ_ONCE(sock->wq.fasync_list); fa;
	     fa = READ_ONCE(fa->fa_next))
		if (fa->fa_file == sock->file)
			fd = fa->fa_fd;
	rcu_read_unlock();
	if (fd < 0)
		return;
	fasync_helper(-1, sock->file, 0, &sock->wq.fasync_list);
	if (fasync_helper(fd, sock->file, 1, &smc->tcp->wq.fasync_list) >= 0)
		sock_set_flag(smc->tcp->sk, SOCK_FASYNC);
}

/* After a fallback TCP's own callbacks serve the connection: none of ours
 * stay on a socket that may listen later (TCP_FASTOPEN or AF_UNSPEC before
 * listen(), or a reconnect), whose children TCP would give them; such a
 * child could call into this module after it is gone, before its first
 * event. Waiters that registered on the AF_SMC socket before the switch
 * still hear of TCP's events: this entry on TCP's wait queue passes each
 * wake-up on. It runs under TCP's wait-queue lock and takes ours, of a
 * class of its own (see smc_sock_setup()).
 */
static int smc_fallback_relay(struct wait_queue_entry *wait,
			      unsigned int mode, int sync, void *key)
{
	struct smc_sock *smc = container_of(wait, struct smc_sock, relay);
	struct socket_wq *wq;

	rcu_read_lock();
	wq = rcu_dereference(smc->sk.sk_wq);
	if (skwq_has_sleeper(wq))
		__wake_up(&wq->wait, mode, key ? 1 : 0, key);
	rcu_read_unlock();
	return 0;
}

/* Only a socket a user holds can have waiters of its own. */
static void smc_fallback_relay_start(struct smc_sock *smc)
{
	if (smc->relaying || !smc->tcp || !smc->sk.sk_socket)
		return;
	init_waitqueue_func_entry(&smc->relay, smc_fallback_relay);
	add_wait_queue(&smc->tcp->wq.wait, &smc->relay);
	smc->relaying = true;
}

/* Before the TCP socket goes; nothing is relayed once this returns. */
void smc_fallback_relay_stop(struct smc_sock *smc)
{
	if (!smc->relaying)
		return;
	remove_wait_queue(&smc->tcp->wq.wait, &smc->relay);
	smc->relaying = false;
}

/* Continue the connection over TCP. Caller holds the socket lock. A zero
 * reason means no SMC was attempted on purpose and nothing is counted.
 */
void smc_fallback_switch(struct smc_sock *smc, u32 reason, u32 peer_diag)
{
	if (smc->fallback)
		return;
	smc->fallback = true;
	/* A later reconnect (after AF_UNSPEC) is plain TCP: no SMC option. */
	if (smc->tcp)
		tcp_sk(smc->tcp->sk)->syn_smc = 0;
	smc->fallback_reason = reason;
	smc->peer_diagnosis = peer_diag;
	/* From here on TCP acknowledges as it always does. */
	if (smc->tcp && inet_csk_in_pingpong_mode(smc->tcp->sk))
		tcp_sock_set_quickack(smc->tcp->sk, 1);
	if (reason)
		smc_netns_count_fallback(sock_net(&smc->sk), reason,
					 smc->is_server);
	/* Options set while the handshake ran are TCP's from now on. */
	smc_sockopts_to_tcp(smc);
	if (smc->tcp && smc->tcp_role != SMC_TCP_LISTENING) {
		smc_tcp_unhook(smc);
		smc_fallback_relay_start(smc);
	}
	smc_fallback_attach_file(smc);
}

/* SOL_SOCKET options land on the AF_SMC socket; the TCP socket must carry
 * them to the wire. Only flags with a meaning for a TCP connection are
 * copied; buffer sizes only when the user chose them. The receive
 * timestamp flags go separately, see smc_copy_rx_tstamp().
 */
#define SMC_SK_FLAGS_FOR_TCP	(BIT(SOCK_URGINLINE) | BIT(SOCK_KEEPOPEN) | \
				 BIT(SOCK_LINGER) | BIT(SOCK_BROADCAST) | \
				 BIT(SOCK_DBG) | \
				 BIT(SOCK_RCVTSTAMP) | BIT(SOCK_RCVTSTAMPNS) | \
				 BIT(SOCK_LOCALROUTE) | BIT(SOCK_RXQ_OVFL) | \
				 BIT(SOCK_WIFI_STATUS) | BIT(SOCK_NOFCS) | \
				 BIT(SOCK_TSTAMP_NEW))

/* A socket with SOCK_TIMESTAMP or SOCK_TIMESTAMPING_RX_SOFTWARE keeps the
 * kernel's receive timestamps on for everyone, and its destructor lets go
 * of them: copied flags take hold as the socket layer takes it, or every
 * copy would let go once too often and turn timestamps off for all.
 */
static void smc_copy_rx_tstamp(struct sock *to, const struct sock *from)
{
	bool had = to->sk_flags & SK_FLAGS_TIMESTAMP;
	bool wants = from->sk_flags & SK_FLAGS_TIMESTAMP;

	to->sk_flags = (to->sk_flags & ~SK_FLAGS_TIMESTAMP) |
		       (from->sk_flags & SK_FLAGS_TIMESTAMP);
	if (wants && !had)
		net_enable_timestamp();
	else if (had && !wants)
		net_disable_timestamp();
}

static void smc_copy_sk_settings(struct sock *to, const struct sock *from,
				 bool priority)
{
	to->sk_flags = (to->sk_flags & ~SMC_SK_FLAGS_FOR_TCP) |
		       (from->sk_flags & SMC_SK_FLAGS_FOR_TCP);
	smc_copy_rx_tstamp(to, from);
	to->sk_reuse = from->sk_reuse;
	to->sk_reuseport = from->sk_reuseport;
	to->sk_rcvtimeo = from->sk_rcvtimeo;
	to->sk_sndtimeo = from->sk_sndtimeo;
	to->sk_lingertime = from->sk_lingertime;
	if (priority)
		to->sk_priority = from->sk_priority;
	to->sk_mark = from->sk_mark;
	to->sk_tsflags = from->sk_tsflags;
	to->sk_max_pacing_rate = from->sk_max_pacing_rate;
	to->sk_txrehash = from->sk_txrehash;
	if (from->sk_userlocks & SOCK_SNDBUF_LOCK)
		WRITE_ONCE(to->sk_sndbuf, READ_ONCE(from->sk_sndbuf));
	if (from->sk_userlocks & SOCK_RCVBUF_LOCK)
		WRITE_ONCE(to->sk_rcvbuf, READ_ONCE(from->sk_rcvbuf));
	to->sk_userlocks |= from->sk_userlocks &
			    (SOCK_SNDBUF_LOCK | SOCK_RCVBUF_LOCK);
}

/* The device binding is TCP's to decide too: bind() and connect() to a
 * link-local IPv6 address set it, and an accepted connection has its own.
 * Ours goes to TCP only when SO_BINDTODEVICE changed it since we last
 * agreed; else we take TCP's.
 */
static void smc_bound_dev_sync(struct smc_sock *smc)
{
	struct sock *tsk = smc->tcp->sk;

	if (smc->sk.sk_bound_dev_if != smc->bound_dev_if)
		WRITE_ONCE(tsk->sk_bound_dev_if, smc->sk.sk_bound_dev_if);
	smc->bound_dev_if = READ_ONCE(tsk->sk_bound_dev_if);
	WRITE_ONCE(smc->sk.sk_bound_dev_if, smc->bound_dev_if);
}

/* Under TCP's lock: its softirq side sets flags of its own (SOCK_DONE) in
 * the word we rewrite, and its keepalive timer, finding the flag off for
 * a moment while we probe, would not run again.
 */
void smc_sockopts_to_tcp(struct smc_sock *smc)
{
	struct sock *tsk;

	if (!smc->tcp)
		return;
	tsk = smc->tcp->sk;
	lock_sock(tsk);
	smc_bound_dev_sync(smc);
	smc_copy_sk_settings(tsk, &smc->sk, true);
	/* TCP wakes its reader only once SO_RCVLOWAT bytes are there: the
	 * CLC messages, shorter, would wait for the handshake's timer. The
	 * application's mark applies to TCP once its data goes that way.
	 */
	if (smc->fallback)
		WRITE_ONCE(tsk->sk_rcvlowat, READ_ONCE(smc->sk.sk_rcvlowat));
	/* Our probing of a writer's peer keeps TCP's keepalive on. */
	if (smc->conn.tx_probing)
		sock_set_flag(tsk, SOCK_KEEPOPEN);
	release_sock(tsk);
}

/* After an option, bind() or connect() went to the TCP socket: IP_TOS
 * also sets the priority, as the last word on it, and the device binding
 * may have changed (see smc_bound_dev_sync()). Keep our copies in step.
 */
void smc_sockopts_derived_from_tcp(struct smc_sock *smc)
{
	if (!smc->tcp)
		return;
	smc->sk.sk_priority = READ_ONCE(smc->tcp->sk->sk_priority);
	smc_bound_dev_sync(smc);
}

/* A new child takes what was set on the AF_SMC listener, also after
 * listen(): its TCP socket only inherited the TCP listener's copy. The
 * priority starts from zero on a clone, as on TCP's own children.
 */
void smc_sockopts_inherit(struct smc_sock *child, const struct sock *lsk)
{
	struct sock *tsk = child->tcp->sk;

	/* The connection is live: TCP's lock, see smc_sockopts_to_tcp(). */
	lock_sock(tsk);
	/* SO_KEEPALIVE set on the listener since TCP made the child: TCP
	 * arms the timer only while the flag is still clear.
	 */
	if (sock_flag(lsk, SOCK_KEEPOPEN) && !sock_flag(tsk, SOCK_KEEPOPEN) &&
	    tsk->sk_prot->keepalive)
		tsk->sk_prot->keepalive(tsk, 1);
	smc_copy_sk_settings(tsk, lsk, false);
	release_sock(tsk);
	smc_copy_sk_settings(&child->sk, tsk, true);
	/* TCP's copy stays at 1 until a fallback, see smc_sockopts_to_tcp(). */
	child->sk.sk_rcvlowat = READ_ONCE(lsk->sk_rcvlowat);
	/* TCP bound the child itself (a link-local peer's interface). */
	smc_bound_dev_sync(child);
}
