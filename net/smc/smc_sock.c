// SPDX-License-Identifier: GPL-2.0
/*
 * smc-ng: AF_SMC socket operations.
 *
 * Until a connection has a shared-memory path, the internal TCP socket is
 * the authority on what a socket call means: an unconnected AF_SMC socket
 * answers bind, getname, send and receive exactly as an unconnected TCP
 * socket does, because it asks that TCP socket.
 */
#include <linux/module.h>
#include <linux/poll.h>
#include <linux/smc.h>
#include <linux/sockios.h>
#include <asm/ioctls.h>
#include <linux/tcp.h>
#include <net/inet_common.h>
#include <net/sock.h>
#include <net/tcp.h>

#include "smc_sock.h"
#include "smc_stats.h"
#include "smc_netns.h"
#include "smc_clc_wire.h"

struct smc_hashinfo smc_v4_sockets = {
	.lock = __RW_LOCK_UNLOCKED(smc_v4_sockets.lock),
};

struct smc_hashinfo smc_v6_sockets = {
	.lock = __RW_LOCK_UNLOCKED(smc_v6_sockets.lock),
};

/* Every SMC socket is listed so that sock_diag can walk them; the
 * per-proto in-use counter behind /proc/net/protocols follows the list.
 */
static void smc_sock_list_update(struct sock *sk, bool add)
{
	struct smc_hashinfo *list = sk->sk_prot->h.smc_hash;
	bool changed = true;

	write_lock_bh(&list->lock);
	if (add) {
		smc_sk(sk)->list_seq = ++list->last_seq;
		sk_add_node(sk, &list->ht);
	} else {
		changed = sk_del_node_init(sk);
	}
	write_unlock_bh(&list->lock);
	if (changed)
		sock_prot_inuse_add(sock_net(sk), sk->sk_prot, add ? 1 : -1);
}

int smc_sock_list(struct sock *sk)
{
	smc_sock_list_update(sk, true);
	return 0;
}

void smc_sock_unlist(struct sock *sk)
{
	smc_sock_list_update(sk, false);
}

/* SO_KEEPALIVE reaches us through the proto; the TCP socket keeps time.
 * Its timer sends nothing unless the TCP socket has the flag too, which
 * our socket only gets after this returns. Socket lock held.
 */
void smc_set_keepalive(struct sock *sk, int on)
{
	struct smc_sock *smc = smc_sk(sk);
	struct sock *tsk = smc->tcp ? smc->tcp->sk : NULL;

	/* Off is for later while we probe a writer's peer (smc_probe.c). */
	if (!tsk || !tsk->sk_prot->keepalive || (!on && smc->conn.tx_probing))
		return;
	lock_sock(tsk);
	/* As sock_setsockopt() does: the timer is armed while the flag is
	 * still clear.
	 */
	tsk->sk_prot->keepalive(tsk, on);
	sock_valbool_flag(tsk, SOCK_KEEPOPEN, on);
	release_sock(tsk);
}

struct proto smc_proto = SMC_PROTO("SMC", &smc_v4_sockets,
				   sizeof(struct smc_sock), NULL, NULL);
EXPORT_SYMBOL_GPL(smc_proto);
struct proto smc_proto6 = SMC_PROTO("SMC6", &smc_v6_sockets,
				    sizeof(struct smc_sock), NULL, NULL);
EXPORT_SYMBOL_GPL(smc_proto6);

static void smc_sock_destruct(struct sock *sk)
{
	struct smc_sock *smc = smc_sk(sk);

	WARN_ON_ONCE(smc->tcp);
	kfree(smc->hs_mem);
	smc->hs_mem = NULL;
	if (smc->family_destruct)
		smc->family_destruct(sk);
}

/* What makes a sock an SMC socket, once its creator has set it up as a
 * sock of its family: sock_init_data() for AF_SMC, inet_create() or
 * inet6_create() for IPPROTO_SMC, smc_sock_alloc_child() for a child.
 */
void smc_sock_setup(struct sock *sk)
{
	static struct lock_class_key smc_wq_key;
	struct smc_sock *smc = smc_sk(sk);
	struct net *net = sock_net(sk);

	/* Woken from within TCP's wait queue after a fallback (see
	 * smc_fallback_relay()): a lock class apart from TCP's queue's.
	 */
	if (sk->sk_socket)
		lockdep_set_class(&sk->sk_socket->wq.wait.lock, &smc_wq_key);

	sk->sk_type = SOCK_STREAM;
	sk->sk_state = SMC_INIT;
	smc->family_destruct = sk->sk_destruct;
	sk->sk_destruct = smc_sock_destruct;
	/* As upstream: the sysctls name the buffer, the socket holds twice
	 * that, like TCP's accounting of overhead.
	 */
	WRITE_ONCE(sk->sk_sndbuf, 2 * READ_ONCE(smc_net(net)->wmem));
	WRITE_ONCE(sk->sk_rcvbuf, 2 * READ_ONCE(smc_net(net)->rmem));

	smc_conn_init(smc);
	smc->limit_hs = !!READ_ONCE(smc_net(net)->limit_smc_hs);
	INIT_WORK(&smc->connect_work, smc_connect_work);
	INIT_WORK(&smc->accept_work, smc_accept_work);
	timer_setup(&smc->accept_timer, smc_accept_late, 0);
	INIT_WORK(&smc->handshake_work, smc_handshake_work);
	timer_setup(&smc->handshake_timer, smc_handshake_expire, 0);
	INIT_LIST_HEAD(&smc->accept_queue);
	INIT_LIST_HEAD(&smc->defer_queue);
	INIT_LIST_HEAD(&smc->accept_node);
	spin_lock_init(&smc->accept_lock);
	atomic_set(&smc->handshakes, 0);
	sk->sk_prot->hash(sk);
}

static struct sock *smc_sock_alloc(struct net *net, struct socket *sock,
				   int protocol)
{
	struct proto *prot = protocol == SMCPROTO_SMC6 ? &smc_proto6 :
							 &smc_proto;
	struct sock *sk;

	sk = sk_alloc(net, PF_SMC, GFP_KERNEL, prot, 0);
	if (!sk)
		return NULL;
	sock_init_data(sock, sk);
	sk->sk_protocol = protocol;
	smc_sock_setup(sk);
	return sk;
}

/* A listener's new connection gets a socket of the listener's kind: same
 * family, proto and protocol, so that accept() hands out an IPPROTO_SMC
 * inet socket from an IPPROTO_SMC listener.
 */
struct sock *smc_sock_alloc_child(const struct sock *lsk)
{
	struct sock *sk;

	sk = sk_alloc(sock_net(lsk), lsk->sk_family, GFP_KERNEL, lsk->sk_prot,
		      0);
	if (!sk)
		return NULL;
	sock_init_data(NULL, sk);
	sk->sk_protocol = lsk->sk_protocol;
	if (lsk->sk_family != PF_SMC)
		smc_inet_child_init(sk, lsk);
	smc_sock_setup(sk);
	return sk;
}

/* Our TCP sockets are kernel sockets, which hold no reference on their
 * namespace. The TCP connection may outlive the AF_SMC socket (FIN_WAIT,
 * TIME_WAIT, lingering), so give it a counted reference like a user socket.
 */
static void smc_tcp_hold_netns(struct sock *tsk)
{
	struct net *net = sock_net(tsk);

	tsk->sk_net_refcnt = 1;
	get_net_track(net, &tsk->ns_tracker, GFP_KERNEL);
	sock_inuse_add(net, 1);
}

/* Give a new SMC socket its internal TCP socket of @family. */
int smc_sock_open_tcp(struct smc_sock *smc, int family)
{
	struct net *net = sock_net(&smc->sk);
	int rc;

	rc = sock_create_kern(net, family, SOCK_STREAM, IPPROTO_TCP,
			      &smc->tcp);
	if (rc)
		return rc;
	smc_tcp_hold_netns(smc->tcp->sk);
	return 0;
}

int smc_sock_create(struct net *net, struct socket *sock, int protocol,
		    int kern)
{
	struct sock *sk;
	int rc;

	/* Checked in this order by the in-tree stack; tools rely on it. */
	if (sock->type != SOCK_STREAM)
		return -ESOCKTNOSUPPORT;
	if (protocol != SMCPROTO_SMC && protocol != SMCPROTO_SMC6)
		return -EPROTONOSUPPORT;

	sock->ops = &smc_stream_ops;
	sock->state = SS_UNCONNECTED;
	sk = smc_sock_alloc(net, sock, protocol);
	if (!sk)
		return -ENOBUFS;

	rc = smc_sock_open_tcp(smc_sk(sk), protocol == SMCPROTO_SMC6 ?
					   PF_INET6 : PF_INET);
	if (rc) {
		sk->sk_prot->unhash(sk);
		sock_orphan(sk);
		sock->sk = NULL;
		sock_put(sk);
	}
	return rc;
}

/* Take the internal TCP socket off us; caller holds the socket lock.
 * Returns it, or NULL, for the caller to release.
 */
static struct socket *smc_sock_detach_tcp(struct smc_sock *smc)
{
	struct socket *tcp = smc->tcp;

	if (!tcp)
		return NULL;
	smc_tcp_unhook(smc);
	smc_fallback_relay_stop(smc);
	/* The file belongs to the AF_SMC socket's inode, never to TCP's. */
	tcp->file = NULL;
	WRITE_ONCE(smc->tcp, NULL);
	return tcp;
}

/* Release the internal TCP socket; caller holds the socket lock. */
void smc_sock_release_tcp(struct smc_sock *smc)
{
	struct socket *tcp = smc_sock_detach_tcp(smc);

	if (tcp)
		sock_release(tcp);
}

static int smc_release(struct socket *sock)
{
	struct sock *sk = sock->sk;
	struct smc_sock *smc;
	struct socket *tcp;

	if (!sk)
		return 0;
	smc = smc_sk(sk);
	sock_hold(sk);

	if (sk->sk_state == SMC_LISTEN)
		smc_listen_stop(smc);

	lock_sock(sk);
	if (smc->connect_phase == SMC_CONNECT_TCP) {
		smc_tcp_unhook(smc);
		WRITE_ONCE(smc->connect_phase, SMC_CONNECT_DONE);
		/* connect() or connect_work may sleep for the server's
		 * answer unlocked: two of them, if a second connect() handed
		 * the attempt to connect_work while the first still waited.
		 */
		wake_up_interruptible_all(sk_sleep(smc->tcp->sk));
	}
	release_sock(sk);
	/* A queued connect step holds a reference of its own. */
	if (cancel_work_sync(&smc->connect_work))
		sock_put(sk);

	lock_sock(sk);
	/* An offer connect_work was left to answer, and now never will. */
	smc_client_drop_offer(smc);
	smc_data_close(smc);
	sk->sk_state = SMC_CLOSED;
	sk->sk_shutdown = SHUTDOWN_MASK;
	tcp = smc_sock_detach_tcp(smc);
	/* O_ASYNC set before a fallback registered on our queue; the file was
	 * re-pointed since, so the VFS only cleaned up TCP's registration.
	 */
	if (sock->wq.fasync_list && sock->file)
		fasync_helper(-1, sock->file, 0, &sock->wq.fasync_list);
	sock_orphan(sk);
	sock->sk = NULL;
	release_sock(sk);
	/* TCP's close may linger (SO_LINGER): not with our lock held, which
	 * sock_diag takes to dump us.
	 */
	if (tcp)
		sock_release(tcp);
	/* A listener's: a connection still in TCP's queue may have armed it
	 * (its event raced with smc_listen_stop()'s unhook); TCP's release
	 * has forgotten them all under their locks, so none can now.
	 */
	del_timer_sync(&smc->accept_timer);

	sk->sk_prot->unhash(sk);
	sock_put(sk);	/* the hold above */
	sock_put(sk);	/* the socket's own reference */
	return 0;
}

/* The connection runs on TCP: it fell back, or it is not connected yet and
 * TCP's answer for an unconnected socket is the right one.
 */
static bool smc_on_tcp(const struct smc_sock *smc)
{
	if (!smc->tcp)
		return false;
	if (smc->fallback)
		return true;
	return smc->sk.sk_state == SMC_INIT &&
	       smc->connect_phase == SMC_CONNECT_IDLE;
}

/* A call that needs the connection while its handshake still runs waits
 * for the outcome, or fails with EAGAIN when it must not block.
 */
static int smc_wait_connect_done(struct smc_sock *smc, long timeo)
{
	DEFINE_WAIT_FUNC(wait, woken_wake_function);
	struct sock *sk = &smc->sk;
	int rc = 0;

	lock_sock(sk);
	add_wait_queue(sk_sleep(sk), &wait);
	while (smc->connect_phase == SMC_CONNECT_TCP) {
		if (!timeo) {
			rc = -EAGAIN;
			break;
		}
		if (signal_pending(current)) {
			rc = sock_intr_errno(timeo);
			break;
		}
		sk_wait_event(sk, &timeo,
			      smc->connect_phase != SMC_CONNECT_TCP, &wait);
	}
	remove_wait_queue(sk_sleep(sk), &wait);
	release_sock(sk);
	return rc;
}

/* Where an I/O call goes: the shared-memory data path, the TCP socket, or
 * nowhere (*err). A call racing with the handshake waits for its outcome,
 * as long as the receive or send timeout (@rx) allows.
 */
static struct socket *smc_io_path(struct smc_sock *smc, bool nonblock,
				  bool rx, bool *smcd, int *err)
{
	struct sock *sk = &smc->sk;

	*smcd = false;
	*err = 0;
	if (smc->connect_phase == SMC_CONNECT_TCP)
		*err = smc_wait_connect_done(smc, rx ?
						     sock_rcvtimeo(sk, nonblock) :
						     sock_sndtimeo(sk, nonblock));
	if (*err)
		return NULL;
	if (smc_uses_smcd(smc)) {
		*smcd = true;
		return NULL;
	}
	if (smc_on_tcp(smc))
		return smc->tcp;
	/* Its state and error were set before the connection went, see
	 * smc_conn_abort().
	 */
	smp_rmb();
	/* A shared-memory connection that has ended reads as a closed one;
	 * after the peer's orderly end, as EOF before any error (TCP's
	 * reads its FIN before the reset that followed).
	 */
	if (rx && sk->sk_state == SMC_CLOSED && smc_data_peer_fin(smc)) {
		*err = -EPIPE;
		return NULL;
	}
	*err = sock_error(sk) ?: sk->sk_state == SMC_CLOSED ? -EPIPE :
								      -ENOTCONN;
	return NULL;
}

static int smc_bind(struct socket *sock, struct sockaddr *addr, int alen)
{
	struct smc_sock *smc = smc_sk(sock->sk);
	int rc = -EINVAL;

	lock_sock(&smc->sk);
	if (smc->sk.sk_state == SMC_INIT &&
	    smc->connect_phase == SMC_CONNECT_IDLE && smc->tcp) {
		smc_sockopts_to_tcp(smc);
		rc = kernel_bind(smc->tcp, addr, alen);
		smc_sockopts_derived_from_tcp(smc);
	}
	release_sock(&smc->sk);
	return rc;
}

static int smc_getname(struct socket *sock, struct sockaddr *addr, int peer)
{
	struct smc_sock *smc = smc_sk(sock->sk);

	if (!smc->tcp)
		return -EBADF;
	return smc->tcp->ops->getname(smc->tcp, addr, peer);
}

static __poll_t smc_poll(struct file *file, struct socket *sock,
			 poll_table *wait)
{
	struct sock *sk = sock->sk;
	struct smc_sock *smc = smc_sk(sk);
	__poll_t mask = 0;

	sock_poll_wait(file, sock, wait);

	if (sk->sk_state == SMC_LISTEN)
		return smc_listen_poll(smc);
	/* A connection gets its link group a moment before connect's last
	 * step ends; until then it is not writable, as send() would say.
	 */
	if (smc_uses_smcd(smc) && smc->connect_phase != SMC_CONNECT_TCP)
		return smc_data_poll(smc);
	/* TCP's own poll; waiters on our queue are woken by smc_fallback. */
	if (smc_on_tcp(smc)) {
		mask = smc->tcp->ops->poll(file, smc->tcp, NULL);
		/* Not connected yet: a disconnect's error is ours, see
		 * smc_data_disconnected().
		 */
		if (!smc->fallback && sk->sk_err)
			mask |= EPOLLERR;
		return mask;
	}

	if (sk->sk_err)
		mask |= EPOLLERR;
	if (smc->connect_phase == SMC_CONNECT_TCP)
		return mask;
	if (sk->sk_state == SMC_CLOSED)
		mask |= EPOLLHUP | EPOLLIN | EPOLLRDNORM | EPOLLRDHUP |
			EPOLLOUT | EPOLLWRNORM;
	return mask;
}

static int smc_shutdown(struct socket *sock, int how)
{
	struct smc_sock *smc = smc_sk(sock->sk);
	struct socket *tcp;
	bool smcd;
	int rc;

	if (how < SHUT_RD || how > SHUT_RDWR)
		return -EINVAL;
	if (smc->sk.sk_state == SMC_LISTEN)
		return smc_listen_shutdown(smc, how);
	if (smc_connect_shutdown(smc, how, &rc))
		return rc;
	/* A connection that is over (reset) is not connected: TCP leaves its
	 * error for the next call that reports errors.
	 */
	if (smc->sk.sk_state == SMC_CLOSED && !smc_on_tcp(smc) &&
	    !smc_uses_smcd(smc))
		return -ENOTCONN;
	tcp = smc_io_path(smc, true, false, &smcd, &rc);
	if (smcd)
		return smc_data_shutdown(smc, how);
	if (!tcp)
		return rc == -EAGAIN ? -ENOTCONN : rc;
	rc = tcp->ops->shutdown(tcp, how);
	smc->sk.sk_shutdown |= how + 1;
	return rc;
}

/* sendto(MSG_FASTOPEN) connects inside TCP's sendmsg(), where no SMC
 * handshake can follow: an unconnected socket continues over TCP first,
 * as upstream, so that the connection TCP makes is the socket's (its
 * events, errors and file). Any other answers as TCP would. Returns 0 if
 * the call goes on to TCP.
 */
static int smc_sendmsg_fastopen(struct smc_sock *smc)
{
	struct sock *sk = &smc->sk;
	int rc = 0;

	lock_sock(sk);
	if (smc->fallback || !smc->tcp)
		goto out;
	if (sk->sk_state == SMC_INIT &&
	    smc->connect_phase == SMC_CONNECT_IDLE) {
		smc_fallback_switch(smc, SMC_CLC_DECL_OPTUNSUPP, 0);
		goto out;
	}
	if (sk->sk_state == SMC_CLOSED)
		goto out;	/* the usual answer for a connection over */
	if (!(READ_ONCE(sock_net(sk)->ipv4.sysctl_tcp_fastopen) &
	      TFO_CLIENT_ENABLE))
		rc = -EOPNOTSUPP;
	else if (smc->connect_phase == SMC_CONNECT_TCP)
		rc = -EALREADY;
	else
		rc = -EISCONN;
out:
	release_sock(sk);
	return rc;
}

static int smc_sendmsg(struct socket *sock, struct msghdr *msg, size_t len)
{
	struct smc_sock *smc = smc_sk(sock->sk);
	struct socket *tcp;
	bool smcd;
	int rc;

	if (unlikely(msg->msg_flags & MSG_FASTOPEN)) {
		rc = smc_sendmsg_fastopen(smc);
		if (rc)
			return rc;
	}
	tcp = smc_io_path(smc, msg->msg_flags & MSG_DONTWAIT, false, &smcd,
			  &rc);
	if (smcd)
		return smc_data_sendmsg(smc, msg, len);
	if (!tcp) {
		if (rc == -EPIPE && !(msg->msg_flags & MSG_NOSIGNAL))
			send_sig(SIGPIPE, current, 0);
		return rc;
	}
	return tcp->ops->sendmsg(tcp, msg, len);
}

static int smc_recvmsg(struct socket *sock, struct msghdr *msg, size_t len,
		       int flags)
{
	struct smc_sock *smc = smc_sk(sock->sk);
	struct socket *tcp;
	bool smcd;
	int rc;

	tcp = smc_io_path(smc, flags & MSG_DONTWAIT, true, &smcd, &rc);
	if (smcd) {
		/* Nothing queues errors (timestamps) on our socket: an empty
		 * error queue, as TCP's without any, not a read of the stream.
		 */
		if (flags & MSG_ERRQUEUE)
			return -EAGAIN;
		return smc_data_recvmsg(smc, msg, len, flags);
	}
	if (!tcp)
		return rc == -EPIPE ? 0 : rc;
	return tcp->ops->recvmsg(tcp, msg, len, flags);
}

static ssize_t smc_sendpage(struct socket *sock, struct page *page,
			    int offset, size_t size, int flags)
{
	struct smc_sock *smc = smc_sk(sock->sk);
	struct socket *tcp;
	bool smcd;
	int rc;

	tcp = smc_io_path(smc, flags & MSG_DONTWAIT, false, &smcd, &rc);
	if (smcd) {
		smc_stat_event(sock_net(&smc->sk), SMC_STAT_SMCD,
			       SMC_STAT_SENDPAGE);
		return sock_no_sendpage(sock, page, offset, size, flags);
	}
	if (!tcp)
		return rc;
	return tcp->ops->sendpage(tcp, page, offset, size, flags);
}

static ssize_t smc_splice_read(struct socket *sock, loff_t *ppos,
			       struct pipe_inode_info *pipe, size_t len,
			       unsigned int flags)
{
	struct smc_sock *smc = smc_sk(sock->sk);
	struct socket *tcp;
	bool smcd;
	int rc;

	tcp = smc_io_path(smc, flags & SPLICE_F_NONBLOCK, true, &smcd, &rc);
	/* Our recvmsg, through the file's read_iter. */
	if (smcd) {
		smc_stat_event(sock_net(&smc->sk), SMC_STAT_SMCD,
			       SMC_STAT_SPLICE);
		return generic_file_splice_read(sock->file, ppos, pipe, len,
						flags);
	}
	if (!tcp)
		return rc;
	/* TCP's splice reads the file's flags through its own socket, which
	 * has the file once the connection runs on TCP.
	 */
	if (!tcp->file)
		return smc->sk.sk_state == SMC_INIT ? -ENOTCONN : -EOPNOTSUPP;
	return tcp->ops->splice_read(tcp, ppos, pipe, len, flags);
}

/* Everything else an inet socket answers (interface addresses, routes,
 * SIOCGSTAMP) is TCP's to answer, as on a TCP socket.
 */
static int smc_ioctl_tcp(struct smc_sock *smc, unsigned int cmd,
			 unsigned long arg)
{
	if (!smc->tcp)
		return -ENOIOCTLCMD;
	return smc->tcp->ops->ioctl(smc->tcp, cmd, arg);
}

static int smc_ioctl(struct socket *sock, unsigned int cmd, unsigned long arg)
{
	struct smc_sock *smc = smc_sk(sock->sk);
	int answ = 0, rc;

	if (smc_uses_smcd(smc)) {
		rc = smc_data_ioctl(smc, cmd, arg);
		return rc == -ENOIOCTLCMD ? smc_ioctl_tcp(smc, cmd, arg) : rc;
	}
	/* A listener is TCP's listener; so are its answers. */
	if (smc_on_tcp(smc) || smc->sk.sk_state == SMC_LISTEN)
		return smc_ioctl_tcp(smc, cmd, arg);
	switch (cmd) {
	case SIOCINQ:
	case SIOCOUTQ:
	case SIOCOUTQNSD:
	case SIOCATMARK:
		/* Nothing queued while the connection is being set up. */
		return put_user(answ, (int __user *)arg);
	}
	return smc_ioctl_tcp(smc, cmd, arg);
}

/* TCP options that the in-tree stack cannot run SMC with. */
static bool smc_tcp_opt_forces_fallback(int level, int optname)
{
	if (level != SOL_TCP)
		return false;
	switch (optname) {
	case TCP_ULP:
	case TCP_FASTOPEN:
	case TCP_FASTOPEN_CONNECT:
	case TCP_FASTOPEN_KEY:
	case TCP_FASTOPEN_NO_COOKIE:
		return true;
	}
	return false;
}

/* MPTCP's ULP refuses sockets an application made, and trusts those of
 * the kernel (ours is one) to be its own subflows: set on our TCP socket
 * it would take the next connect for a subflow without a parent, and
 * oops. Refused as TCP refuses it to the application. The name is read
 * from the caller once, into @name, and TCP is given that copy: read
 * twice, another thread could change it in between. Returns the length
 * to give TCP for it, or an error.
 */
static int smc_tcp_ulp_name(char name[TCP_ULP_NAME_MAX], sockptr_t optval,
			    unsigned int optlen)
{
	long n;

	n = strncpy_from_sockptr(name, optval,
				 min_t(unsigned int, optlen,
				       TCP_ULP_NAME_MAX - 1));
	if (n < 0)
		return -EFAULT;
	name[n] = '\0';
	if (!strcmp(name, "mptcp"))
		return -EOPNOTSUPP;
	/* An empty name as TCP sees it: one NUL byte. */
	return n ?: 1;
}

static int smc_setsockopt_smc(struct smc_sock *smc, int optname,
			      sockptr_t optval, unsigned int optlen)
{
	int val;

	if (optname != SMC_LIMIT_HS)
		return -EOPNOTSUPP;
	if (optlen < sizeof(int))
		return -EINVAL;
	if (copy_from_sockptr(&val, optval, sizeof(val)))
		return -EFAULT;
	lock_sock(&smc->sk);
	smc->limit_hs = !!val;
	release_sock(&smc->sk);
	return 0;
}

/* Count TCP_CORK and TCP_NODELAY switched on over SMC-D, as upstream. */
static void smc_stat_sockopt(struct smc_sock *smc, int optname)
{
	struct tcp_sock *tp = tcp_sk(smc->tcp->sk);
	bool on = optname == TCP_CORK ? tp->nonagle & TCP_NAGLE_CORK :
					 tp->nonagle & TCP_NAGLE_OFF;

	if (on)
		smc_stat_event(sock_net(&smc->sk), SMC_STAT_SMCD,
			       optname == TCP_CORK ? SMC_STAT_CORK :
						     SMC_STAT_NODELAY);
}

static int smc_setsockopt(struct socket *sock, int level, int optname,
			  sockptr_t optval, unsigned int optlen)
{
	struct smc_sock *smc = smc_sk(sock->sk);
	struct socket *tcp = smc->tcp;
	char ulp[TCP_ULP_NAME_MAX];
	int rc;

	if (level == SOL_SMC)
		return smc_setsockopt_smc(smc, optname, optval, optlen);
	if (!tcp || !tcp->ops->setsockopt)
		return -EOPNOTSUPP;
	/* No name at all is TCP's to refuse. */
	if (level == SOL_TCP && optname == TCP_ULP && optlen) {
		rc = smc_tcp_ulp_name(ulp, optval, optlen);
		if (rc < 0)
			return rc;
		optval = KERNEL_SOCKPTR(ulp);
		optlen = rc;
	}
	/* TCP sees the SOL_SOCKET options set so far first, so that it
	 * resolves how this one interacts with them (IP_TOS and SO_PRIORITY).
	 */
	lock_sock(&smc->sk);
	if (smc_tcp_opt_forces_fallback(level, optname) && !smc->fallback &&
	    (smc->sk.sk_state != SMC_INIT ||
	     smc->connect_phase != SMC_CONNECT_IDLE)) {
		/* Too late to fall back, and the data does not pass through
		 * TCP (a TLS ULP would not see it), as upstream.
		 */
		release_sock(&smc->sk);
		return -EINVAL;
	}
	smc_sockopts_to_tcp(smc);
	rc = tcp->ops->setsockopt(tcp, level, optname, optval, optlen);
	if (!rc)
		smc_sockopts_derived_from_tcp(smc);
	/* Uncorking, or TCP_NODELAY, sends what is held back, as on TCP. */
	if (!rc && level == SOL_TCP &&
	    (optname == TCP_CORK || optname == TCP_NODELAY) &&
	    smc_uses_smcd(smc)) {
		bool nodelay_on = optname == TCP_NODELAY &&
				  (tcp_sk(tcp->sk)->nonagle & TCP_NAGLE_OFF);

		smc_stat_sockopt(smc, optname);
		smc_data_uncork(smc, nodelay_on);
	}
	if (!rc && level == SOL_TCP && optname == TCP_DEFER_ACCEPT &&
	    smc->sk.sk_state == SMC_LISTEN)
		smc_listen_defer_retime(smc);
	if (!rc && smc_tcp_opt_forces_fallback(level, optname))
		smc_fallback_switch(smc, SMC_CLC_DECL_OPTUNSUPP, 0);
	release_sock(&smc->sk);
	return rc;
}

/* An int option's value, cut to the caller's length as TCP does. */
static int smc_put_int_opt(int val, char __user *optval, int __user *optlen)
{
	int len;

	if (get_user(len, optlen))
		return -EFAULT;
	len = min_t(unsigned int, len, sizeof(int));
	if (put_user(len, optlen) || copy_to_user(optval, &val, len))
		return -EFAULT;
	return 0;
}

static int smc_getsockopt(struct socket *sock, int level, int optname,
			  char __user *optval, int __user *optlen)
{
	struct smc_sock *smc = smc_sk(sock->sk);
	int val, len;

	if (level == SOL_SMC) {
		if (optname != SMC_LIMIT_HS)
			return -EOPNOTSUPP;
		if (get_user(len, optlen))
			return -EFAULT;
		if (len < 0)
			return -EINVAL;
		len = min_t(int, len, sizeof(int));
		val = smc->limit_hs;
		if (put_user(len, optlen) || copy_to_user(optval, &val, len))
			return -EFAULT;
		return 0;
	}
	if (!smc->tcp || !smc->tcp->ops->getsockopt)
		return -EOPNOTSUPP;
	/* Unlocked first: other readers (TCP_INFO) need not wait for us. */
	if (level == SOL_TCP && READ_ONCE(smc->conn.tx_probing)) {
		bool ours;

		lock_sock(&smc->sk);
		ours = smc_probe_keepalive_opt(smc, optname, &val);
		release_sock(&smc->sk);
		if (ours)
			return smc_put_int_opt(val, optval, optlen);
	}
	return smc->tcp->ops->getsockopt(smc->tcp, level, optname, optval,
					 optlen);
}

/* AF_SMC and IPPROTO_SMC sockets run the same calls; the tables differ
 * only in the family they are for.
 */
#define SMC_STREAM_OPS(fam) {					\
	.family		= fam,					\
	.owner		= THIS_MODULE,				\
	/* connection set-up and teardown */			\
	.connect	= smc_connect,				\
	.listen		= smc_listen,				\
	.accept		= smc_accept,				\
	.bind		= smc_bind,				\
	.shutdown	= smc_shutdown,				\
	.release	= smc_release,				\
	/* data */						\
	.recvmsg	= smc_recvmsg,				\
	.sendmsg	= smc_sendmsg,				\
	.splice_read	= smc_splice_read,			\
	.sendpage	= smc_sendpage,				\
	.poll		= smc_poll,				\
	/* control */						\
	.getsockopt	= smc_getsockopt,			\
	.setsockopt	= smc_setsockopt,			\
	.ioctl		= smc_ioctl,				\
	.getname	= smc_getname,				\
	/* not for stream sockets of this kind */		\
	.mmap		= sock_no_mmap,				\
	.socketpair	= sock_no_socketpair,			\
}

const struct proto_ops smc_stream_ops = SMC_STREAM_OPS(PF_SMC);
const struct proto_ops smc_inet_stream_ops = SMC_STREAM_OPS(PF_INET);
const struct proto_ops smc_inet6_stream_ops = SMC_STREAM_OPS(PF_INET6);
