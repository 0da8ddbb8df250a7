// SPDX-License-Identifier: GPL-2.0
/*
 * smc-ng: active open.
 *
 * The TCP connect always runs non-blocking underneath; the TCP socket's
 * state change schedules connect_work, which runs the CLC handshake in
 * process context. A blocking connect() simply sleeps until that work has
 * decided the outcome, so both flavours share one code path.
 */
#include <linux/tcp.h>
#include <net/sock.h>
#include <net/tcp.h>

#include "smc_sock.h"

/* Record the outcome and wake connect() sleepers and pollers. */
static void smc_connect_finish(struct smc_sock *smc, int err)
{
	struct sock *sk = &smc->sk;

	smc->connect_phase = SMC_CONNECT_DONE;
	if (err) {
		sk->sk_err = -err;
		sk->sk_state = SMC_CLOSED;
		smc_tcp_unhook(smc);
		if (sk->sk_socket)
			sk->sk_socket->state = SS_UNCONNECTED;
	} else {
		/* Over shared memory the TCP socket has nothing more to say. */
		if (!smc->fallback)
			smc_tcp_unhook(smc);
		sk->sk_state = SMC_ACTIVE;
		if (sk->sk_socket)
			sk->sk_socket->state = SS_CONNECTED;
	}
	sk->sk_state_change(sk);
	sk->sk_write_space(sk);
}

void smc_connect_work(struct work_struct *work)
{
	struct smc_sock *smc = container_of(work, struct smc_sock,
					    connect_work);
	struct sock *sk = &smc->sk;
	struct sock *tsk;
	int err;

	lock_sock(sk);
	if (smc->connect_phase != SMC_CONNECT_TCP || !smc->tcp)
		goto out;
	tsk = smc->tcp->sk;
	switch (READ_ONCE(tsk->sk_state)) {
	case TCP_SYN_SENT:
	case TCP_SYN_RECV:
		goto out;	/* not decided yet; we run again */
	case TCP_ESTABLISHED:
	case TCP_CLOSE_WAIT:
		smc_connect_finish(smc, smc_client_negotiate(smc));
		break;
	default:
		err = sock_error(tsk) ?: -ECONNREFUSED;
		smc_connect_finish(smc, err);
		break;
	}
out:
	release_sock(sk);
	sock_put(sk);
}

static void smc_connect_kick(struct smc_sock *smc)
{
	sock_hold(&smc->sk);
	if (!queue_work(smc_hs_wq, &smc->connect_work))
		sock_put(&smc->sk);
}

/* A connect that is past its TCP part: report like inet_stream_connect. */
static int smc_connect_state(struct smc_sock *smc)
{
	switch (smc->sk.sk_state) {
	case SMC_ACTIVE:
		return -EISCONN;
	case SMC_INIT:
		if (smc->connect_phase == SMC_CONNECT_TCP)
			return -EALREADY;
		return 0;
	case SMC_CLOSED:
		return sock_error(&smc->sk) ?: -ECONNABORTED;
	default:
		return -EINVAL;
	}
}

static int smc_connect_wait(struct smc_sock *smc, long timeo)
{
	DEFINE_WAIT_FUNC(wait, woken_wake_function);
	struct sock *sk = &smc->sk;
	int rc = 0;

	add_wait_queue(sk_sleep(sk), &wait);
	while (smc->connect_phase == SMC_CONNECT_TCP) {
		if (!timeo) {
			rc = -EINPROGRESS;
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
	if (!rc && smc->connect_phase == SMC_CONNECT_DONE)
		rc = sk->sk_state == SMC_ACTIVE ? 0 :
		     sock_error(sk) ?: -ECONNREFUSED;
	return rc;
}

int smc_connect(struct socket *sock, struct sockaddr *addr, int alen,
		int flags)
{
	struct sock *sk = sock->sk;
	struct smc_sock *smc = smc_sk(sk);
	int rc;

	if (alen < (int)offsetofend(struct sockaddr, sa_family))
		return -EINVAL;
	if (addr->sa_family != AF_INET && addr->sa_family != AF_INET6)
		return -EINVAL;

	lock_sock(sk);
	rc = smc_connect_state(smc);
	if (rc == -EALREADY && !(flags & O_NONBLOCK)) {
		/* A blocking connect restarted after a signal waits on. */
		rc = smc_connect_wait(smc, sock_sndtimeo(sk, false));
		goto out;
	}
	if (rc || !smc->tcp) {
		rc = rc ?: -EBADF;
		goto out;
	}

	smc_sockopts_to_tcp(smc);
	if (smc->fallback) {
		/* Decided before connect (e.g. TCP_FASTOPEN): plain TCP. */
		rc = kernel_connect(smc->tcp, addr, alen, flags);
		if (!rc || rc == -EINPROGRESS) {
			sk->sk_state = SMC_ACTIVE;
			sock->state = SS_CONNECTED;
		}
		goto out;
	}

	if (static_branch_unlikely(&tcp_have_smc))
		tcp_sk(smc->tcp->sk)->syn_smc = 1;
	smc_tcp_hook(smc, SMC_TCP_CONNECTING);
	smc->connect_phase = SMC_CONNECT_TCP;
	sock->state = SS_CONNECTING;
	rc = kernel_connect(smc->tcp, addr, alen, O_NONBLOCK);
	if (rc && rc != -EINPROGRESS) {
		/* Refused before a SYN left: the socket may try again. */
		smc_tcp_unhook(smc);
		smc->connect_phase = SMC_CONNECT_IDLE;
		sock->state = SS_UNCONNECTED;
		goto out;
	}
	smc_connect_kick(smc);
	if (flags & O_NONBLOCK) {
		rc = -EINPROGRESS;
		goto out;
	}
	rc = smc_connect_wait(smc, sock_sndtimeo(sk, false));
out:
	release_sock(sk);
	return rc;
}
