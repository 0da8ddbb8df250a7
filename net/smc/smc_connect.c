// SPDX-License-Identifier: GPL-2.0
/*
 * smc-ng: active open.
 *
 * The TCP connect always runs non-blocking underneath. A blocking
 * connect() then runs the CLC handshake itself; a non-blocking one (or a
 * blocking one cut short by a signal or SO_SNDTIMEO) leaves it to
 * connect_work, which the TCP socket's events schedule. Both take the same
 * steps (smc_connect_step()), and neither holds the socket lock while it
 * sleeps for the server's answer.
 */
#include <linux/tcp.h>
#include <net/sock.h>
#include <net/tcp.h>

#include "smc_sock.h"
#include "smc_stats.h"

/* Wake sleepers and pollers, and raise SIGIO as TCP does when its connect
 * ends: on whichever socket holds the O_ASYNC registration by now (the TCP
 * socket's after a fallback, see smc_fallback_attach_file()).
 */
static void smc_connect_wake(struct smc_sock *smc, int band)
{
	struct sock *sk = &smc->sk;

	sk->sk_state_change(sk);
	sk->sk_write_space(sk);
	sk_wake_async(sk, SOCK_WAKE_IO, band);
	if (smc->fallback && smc->tcp)
		sk_wake_async(smc->tcp->sk, SOCK_WAKE_IO, band);
}

/* Record the outcome of the negotiation and wake connect() sleepers and
 * pollers. A failed negotiation ends the connection. On success the
 * socket stays SS_CONNECTING until a connect() call reports it, so that
 * the first connect() after a non-blocking one returns 0, as on TCP.
 */
static void smc_connect_finish(struct smc_sock *smc, int err)
{
	struct sock *sk = &smc->sk;

	smc->connect_phase = SMC_CONNECT_DONE;
	WRITE_ONCE(smc->connect_inline, false);
	if (err) {
		sk->sk_err = -err;
		sk->sk_state = SMC_CLOSED;
		smc_tcp_unhook(smc);
		kernel_sock_shutdown(smc->tcp, SHUT_RDWR);
		if (sk->sk_socket)
			sk->sk_socket->state = SS_UNCONNECTED;
	} else {
		if (!smc->fallback)
			smc_tcp_watch(smc);
		sk->sk_state = SMC_ACTIVE;
	}
	smc_connect_wake(smc, err ? POLL_ERR : POLL_OUT);
}

/* The TCP connect failed (refused, unreachable, timed out, or shut down
 * before it completed): nothing was negotiated, and from now on the socket
 * is its TCP socket, as after any fallback. TCP keeps its error for
 * SO_ERROR and poll, and a later connect() is TCP's own, so the socket
 * behaves exactly like a TCP socket whose connect failed. Socket lock held.
 */
static void smc_connect_tcp_failed(struct smc_sock *smc)
{
	/* A PROPOSAL may be out (connect() stopped waiting for its answer):
	 * its devices must not stay pinned until the socket is closed.
	 */
	smc_client_drop_offer(smc);
	smc->connect_phase = SMC_CONNECT_DONE;
	WRITE_ONCE(smc->connect_inline, false);
	smc_tcp_unhook(smc);
	smc_fallback_switch(smc, 0, 0);
	smc_connect_wake(smc, POLL_ERR);
}

/* shutdown() while the SYN is out ends the attempt, as on TCP (which
 * resets it and reports ECONNRESET). Returns false outside that phase.
 */
bool smc_connect_shutdown(struct smc_sock *smc, int how, int *rc)
{
	struct sock *sk = &smc->sk;
	bool syn_sent;

	lock_sock(sk);
	syn_sent = smc->connect_phase == SMC_CONNECT_TCP &&
		   READ_ONCE(smc->tcp->sk->sk_state) == TCP_SYN_SENT;
	if (syn_sent) {
		*rc = kernel_sock_shutdown(smc->tcp, how);
		if (READ_ONCE(smc->tcp->sk->sk_state) == TCP_CLOSE)
			smc_connect_tcp_failed(smc);
	}
	release_sock(sk);
	return syn_sent;
}

/* A blocking connect() returns TCP's error and leaves the TCP socket
 * unconnected and ready to connect again, as inet_stream_connect() does.
 */
static int smc_connect_tcp_error(struct smc_sock *smc)
{
	struct sock *tsk = smc->tcp->sk;
	int err;

	lock_sock(tsk);
	err = sock_error(tsk) ?: -ECONNABORTED;
	smc->tcp->state = SS_UNCONNECTED;
	if (tsk->sk_prot->disconnect(tsk, 0))
		smc->tcp->state = SS_DISCONNECTING;
	release_sock(tsk);
	return err;
}

/* The CLC part of an active open: offer, then take the answer. @timeo as
 * for smc_client_finish(): SMC_HS_PAUSED leaves the rest to connect_work;
 * otherwise the outcome is recorded and 0 returned.
 */
static int smc_connect_negotiate(struct smc_sock *smc, long *timeo)
{
	int rc = 0;

	if (!smc->hs_offer.cnt) {
		rc = smc_client_offer(smc);
		if (rc != -EINPROGRESS)
			goto done;
	}
	smc->hs_busy = true;
	rc = smc_client_finish(smc, timeo);
	if (rc == SMC_HS_ENDED)
		return 0;	/* by close() or connect(AF_UNSPEC) */
	smc->hs_busy = false;
	if (rc == SMC_HS_PAUSED)
		return rc;
	if (smc->connect_phase != SMC_CONNECT_TCP)
		return 0;	/* closed while we waited: nothing to report */
done:
	if (rc < 0)
		smc_stat_hs_error(sock_net(&smc->sk), false);
	smc_connect_finish(smc, rc);
	return 0;
}

static bool smc_connect_tcp_pending(struct sock *tsk)
{
	int state = READ_ONCE(tsk->sk_state);

	return state == TCP_SYN_SENT || state == TCP_SYN_RECV;
}

/* Take an active open as far as TCP lets it, socket lock held: nothing
 * while TCP still connects, else the handshake or TCP's failure. Returns
 * SMC_HS_PAUSED if @timeo stopped the handshake early, else 0.
 */
static int smc_connect_step(struct smc_sock *smc, long *timeo)
{
	struct sock *tsk;

	if (smc->connect_phase != SMC_CONNECT_TCP || !smc->tcp)
		return 0;
	tsk = smc->tcp->sk;
	if (smc_connect_tcp_pending(tsk))
		return 0;	/* we run again */
	switch (READ_ONCE(tsk->sk_state)) {
	case TCP_ESTABLISHED:
	case TCP_CLOSE_WAIT:
		return smc_connect_negotiate(smc, timeo);
	default:
		/* Lost with our PROPOSAL out: whatever came before the loss
		 * is the server's answer, never the application's bytes. The
		 * handshake reads it as ever and then meets TCP's error.
		 */
		if (smc->hs_offer.cnt)
			return smc_connect_negotiate(smc, timeo);
		smc_connect_tcp_failed(smc);
		return 0;
	}
}

void smc_connect_work(struct work_struct *work)
{
	struct smc_sock *smc = container_of(work, struct smc_sock,
					    connect_work);
	struct sock *sk = &smc->sk;

	lock_sock(sk);
	smc_connect_step(smc, NULL);
	release_sock(sk);
	sock_put(sk);
}

static void smc_connect_kick(struct smc_sock *smc)
{
	sock_hold(&smc->sk);
	if (!queue_work(smc_connect_wq, &smc->connect_work))
		sock_put(&smc->sk);
}

/* A connect that is past its TCP part: report like inet_stream_connect. */
static int smc_connect_state(struct smc_sock *smc)
{
	switch (smc->sk.sk_state) {
	case SMC_ACTIVE:
	case SMC_LISTEN:	/* as TCP answers a listener */
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

/* connect() stops negotiating itself (a signal, its timeout): from now
 * on TCP's events and connect_work carry the connection on.
 */
static void smc_connect_go_async(struct smc_sock *smc)
{
	if (!smc->connect_inline)
		return;
	WRITE_ONCE(smc->connect_inline, false);
	smc_connect_kick(smc);
}

/* Whether connect() itself can take the next step now. */
static bool smc_connect_can_step(struct smc_sock *smc)
{
	return READ_ONCE(smc->connect_inline) && !smc->hs_busy && smc->tcp &&
	       !smc_connect_tcp_pending(smc->tcp->sk);
}

/* connect(AF_UNSPEC) while the handshake runs: TCP resets a connection
 * this far (or drops its SYN) and leaves the socket unconnected, with
 * ECONNRESET to report. Whoever sleeps for the server's answer wakes to
 * find its attempt gone, by its generation, and leaves a later attempt
 * alone; a queued connect_work finds nothing to do, or steps the later
 * attempt as its own. Socket lock held.
 */
static void smc_connect_abandon(struct smc_sock *smc, struct sockaddr *addr,
				int alen)
{
	smc_tcp_unhook(smc);
	smc_client_drop_offer(smc);
	WRITE_ONCE(smc->connect_gen, smc->connect_gen + 1);
	WRITE_ONCE(smc->connect_phase, SMC_CONNECT_IDLE);
	smc->hs_busy = false;
	WRITE_ONCE(smc->connect_inline, false);
	wake_up_interruptible_all(sk_sleep(smc->tcp->sk));
	/* tcp_disconnect() cannot fail. */
	kernel_connect(smc->tcp, addr, alen, 0);
	smc_data_disconnected(smc);
}

/* A blocking connect. One that started the connection negotiates in
 * person, saving the hand-offs to and from a worker; one that waits for a
 * connection started earlier sleeps until connect_work is done.
 */
static int smc_connect_wait(struct smc_sock *smc, long timeo)
{
	DEFINE_WAIT_FUNC(wait, woken_wake_function);
	struct sock *sk = &smc->sk;
	u32 gen = smc->connect_gen;
	int rc = 0;

	add_wait_queue(sk_sleep(sk), &wait);
	while (smc->connect_phase == SMC_CONNECT_TCP &&
	       smc->connect_gen == gen) {
		if (smc_connect_can_step(smc) &&
		    smc_connect_step(smc, &timeo) == SMC_HS_PAUSED) {
			rc = signal_pending(current) ? sock_intr_errno(timeo) :
						       -EINPROGRESS;
			break;
		}
		if (smc->connect_phase != SMC_CONNECT_TCP ||
		    smc->connect_gen != gen)
			break;
		if (!timeo) {
			rc = -EINPROGRESS;
			break;
		}
		if (signal_pending(current)) {
			rc = sock_intr_errno(timeo);
			break;
		}
		sk_wait_event(sk, &timeo,
			      smc->connect_phase != SMC_CONNECT_TCP ||
			      smc->connect_gen != gen ||
			      smc_connect_can_step(smc), &wait);
	}
	remove_wait_queue(sk_sleep(sk), &wait);
	if (rc) {
		smc_connect_go_async(smc);
		return rc;
	}
	/* Another thread disconnected us (AF_UNSPEC): EPIPE, the reset left
	 * for SO_ERROR, as __inet_stream_connect() reports it.
	 */
	if (smc->connect_gen != gen)
		return -EPIPE;
	if (sk->sk_state == SMC_ACTIVE) {
		sk->sk_socket->state = SS_CONNECTED;
		smc->tcp->state = SS_CONNECTED;
		return 0;
	}
	if (smc->fallback)
		return smc_connect_tcp_error(smc);
	return sock_error(sk) ?: -ECONNREFUSED;
}

/* After a fallback (decided before connect, e.g. by TCP_FASTOPEN, or by
 * the handshake) the connection is TCP's, and so is every connect(). Its
 * file is the TCP socket's by then, but a call that looked the file up
 * just before the fallback took it over still comes here: were it
 * answered here, the next one, TCP's, would report the same completed
 * connect a second time. Socket lock held.
 */
static int smc_connect_over_tcp(struct smc_sock *smc, struct sockaddr *addr,
				int alen, int flags)
{
	struct sock *sk = &smc->sk;
	int rc;

	if (sk->sk_state == SMC_INIT)
		smc_sockopts_to_tcp(smc);
	rc = kernel_connect(smc->tcp, addr, alen, flags);
	smc_sockopts_derived_from_tcp(smc);
	if (sk->sk_state == SMC_INIT && (!rc || rc == -EINPROGRESS)) {
		sk->sk_state = SMC_ACTIVE;
		sk->sk_socket->state = SS_CONNECTED;
	}
	return rc;
}

int smc_connect(struct socket *sock, struct sockaddr *addr, int alen,
		int flags)
{
	struct sock *sk = sock->sk;
	struct smc_sock *smc = smc_sk(sk);
	int rc;

	lock_sock(sk);
	if (smc->fallback && smc->tcp) {
		rc = smc_connect_over_tcp(smc, addr, alen, flags);
		goto out;
	}
	rc = -EINVAL;
	if (alen < (int)offsetofend(struct sockaddr, sa_family))
		goto out;
	if (addr->sa_family == AF_UNSPEC) {
		/* Disconnect, as TCP does: a connection over shared memory is
		 * reset; the socket may connect again.
		 */
		if (sk->sk_state == SMC_INIT &&
		    smc->connect_phase == SMC_CONNECT_IDLE && smc->tcp) {
			rc = kernel_connect(smc->tcp, addr, alen, flags);
		} else if (smc->connect_phase == SMC_CONNECT_TCP && smc->tcp) {
			smc_connect_abandon(smc, addr, alen);
			rc = 0;
		} else if (smc_uses_smcd(smc)) {
			rc = smc_data_disconnect(smc);
		}
		goto out;
	}
	if (addr->sa_family != AF_INET && addr->sa_family != AF_INET6)
		goto out;

	if (sk->sk_state == SMC_ACTIVE && sock->state == SS_CONNECTING) {
		/* The first connect() since a non-blocking one completed. */
		sock->state = SS_CONNECTED;
		rc = 0;
		goto out;
	}
	rc = smc_connect_state(smc);
	if (rc == -EALREADY && !(flags & O_NONBLOCK)) {
		/* A blocking connect restarted after a signal waits on; it
		 * times out with EALREADY, as TCP's does.
		 */
		rc = smc_connect_wait(smc, sock_sndtimeo(sk, false));
		if (rc == -EINPROGRESS)
			rc = -EALREADY;
		goto out;
	}
	if (rc || !smc->tcp) {
		rc = rc ?: -EBADF;
		goto out;
	}

	smc_sockopts_to_tcp(smc);
	/* A new attempt forgets a disconnect's error, as tcp_connect_init()
	 * does: connect()'s outcome is what SO_ERROR tells next.
	 */
	sk->sk_err = 0;
	if (static_branch_unlikely(&tcp_have_smc))
		tcp_sk(smc->tcp->sk)->syn_smc = 1;
	smc->connect_inline = !(flags & O_NONBLOCK);
	smc_tcp_hook(smc, SMC_TCP_CONNECTING);
	smc->connect_phase = SMC_CONNECT_TCP;
	sock->state = SS_CONNECTING;
	rc = kernel_connect(smc->tcp, addr, alen, O_NONBLOCK);
	smc_sockopts_derived_from_tcp(smc);
	if (rc && rc != -EINPROGRESS) {
		/* Refused before a SYN left: the socket may try again. */
		smc_tcp_unhook(smc);
		smc->connect_phase = SMC_CONNECT_IDLE;
		smc->connect_inline = false;
		sock->state = SS_UNCONNECTED;
		goto out;
	}
	if (flags & O_NONBLOCK) {
		smc_connect_kick(smc);
		rc = -EINPROGRESS;
		goto out;
	}
	rc = smc_connect_wait(smc, sock_sndtimeo(sk, false));
out:
	release_sock(sk);
	return rc;
}
