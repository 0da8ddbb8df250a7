// SPDX-License-Identifier: GPL-2.0
/*
 * smc-ng: probing the peer of a writer that waits for space.
 *
 * A TCP sender whose peer keeps its receive window closed probes the
 * peer and gives up when the probes go unanswered: after tcp_retries2 of
 * them (about 15 minutes by default), or after TCP_USER_TIMEOUT. Over
 * SMC-D the window is the peer's DMB and nothing travels on the TCP
 * connection, so the writer of a peer whose kernel died would wait for
 * ever: no cursor update and no abort can come from it.
 *
 * So once a writer has found the ring full for a second, TCP's keepalive
 * probes the peer in its stead, until there is space again. A live
 * peer's TCP answers whether or not its application reads; a dead one's
 * does not, TCP fails the connection, and the watch on the TCP socket
 * turns that into the writer's error (smc_conn_tcp_lost()). The probes go
 * out every SMC_PROBE_INTVL seconds, SMC_PROBE_COUNT of them in all, to
 * give up after about as long as TCP would; TCP_USER_TIMEOUT, when set,
 * ends it earlier, as it ends TCP's probing.
 *
 * An application that enabled keepalive itself keeps its own settings and
 * none of this happens. Otherwise the probing is ours alone: SO_KEEPALIVE
 * on the AF_SMC socket still reads 0, and what the application had set
 * with TCP_KEEPIDLE, TCP_KEEPINTVL or TCP_KEEPCNT comes back afterwards
 * (unless it set them again meanwhile).
 */
#include <linux/tcp.h>
#include <net/sock.h>
#include <net/tcp.h>

#include "smc_sock.h"

/* Waiting for space this long starts the probing. */
#define SMC_PROBE_AFTER		HZ
#define SMC_PROBE_IDLE		1	/* s: the first probe at once */
#define SMC_PROBE_INTVL		5	/* s */
#define SMC_PROBE_COUNT		180	/* 15 minutes unanswered */

/* Start or end our keepalive on the TCP socket. Both sockets' owners:
 * the AF_SMC socket is locked by the caller, the TCP socket here.
 */
static void smc_probe_set(struct smc_sock *smc, bool on)
{
	struct smc_conn *conn = &smc->conn;
	struct sock *tsk = smc->tcp->sk;
	struct tcp_sock *tp = tcp_sk(tsk);

	lock_sock(tsk);
	if (on) {
		if (sock_flag(tsk, SOCK_KEEPOPEN))
			goto out;	/* the application's own keepalive */
		conn->probe_saved.time = tp->keepalive_time;
		conn->probe_saved.intvl = tp->keepalive_intvl;
		conn->probe_saved.probes = tp->keepalive_probes;
		WRITE_ONCE(tp->keepalive_time, SMC_PROBE_IDLE * HZ);
		WRITE_ONCE(tp->keepalive_intvl, SMC_PROBE_INTVL * HZ);
		WRITE_ONCE(tp->keepalive_probes, SMC_PROBE_COUNT);
		/* Arms the timer only while the flag is still clear. */
		tsk->sk_prot->keepalive(tsk, 1);
		sock_set_flag(tsk, SOCK_KEEPOPEN);
		WRITE_ONCE(conn->tx_probing, true);
		goto out;
	}
	/* The application may have turned keepalive on meanwhile. */
	if (!sock_flag(&smc->sk, SOCK_KEEPOPEN)) {
		tsk->sk_prot->keepalive(tsk, 0);
		sock_reset_flag(tsk, SOCK_KEEPOPEN);
	}
	if (tp->keepalive_time == SMC_PROBE_IDLE * HZ)
		WRITE_ONCE(tp->keepalive_time, conn->probe_saved.time);
	if (tp->keepalive_intvl == SMC_PROBE_INTVL * HZ)
		WRITE_ONCE(tp->keepalive_intvl, conn->probe_saved.intvl);
	if (tp->keepalive_probes == SMC_PROBE_COUNT)
		WRITE_ONCE(tp->keepalive_probes, conn->probe_saved.probes);
	WRITE_ONCE(conn->tx_probing, false);
out:
	release_sock(tsk);
}

/* Whether the peer is to be probed: a connection over SMC-D whose writer
 * found the ring full and still finds it full.
 */
static bool smc_probe_wanted(struct smc_sock *smc)
{
	struct smc_conn *conn = &smc->conn;

	return conn->lgr && !conn->dead &&
	       (conn->tx_prod_flags & SMC_CDC_PF_WRITE_BLOCKED) &&
	       !(smc->sk.sk_shutdown & SEND_SHUTDOWN) &&
	       !sock_flag(&smc->sk, SOCK_KEEPOPEN) &&
	       !smc_conn_writable(conn);
}

static void smc_probe_queue(struct smc_sock *smc, unsigned long delay)
{
	sock_hold(&smc->sk);
	if (!queue_delayed_work(smc_hs_wq, &smc->conn.probe_work, delay))
		sock_put(&smc->sk);
}

void smc_probe_work(struct work_struct *work)
{
	struct smc_conn *conn = container_of(to_delayed_work(work),
					     struct smc_conn, probe_work);
	struct smc_sock *smc = container_of(conn, struct smc_sock, conn);
	unsigned long due;
	bool want;

	lock_sock(&smc->sk);
	if (!smc->tcp)
		goto out;
	want = smc_probe_wanted(smc);
	due = conn->tx_blocked_at + SMC_PROBE_AFTER;
	if (want && !conn->tx_probing && time_before(jiffies, due))
		smc_probe_queue(smc, due - jiffies);	/* a later wait */
	else if (want != conn->tx_probing)
		smc_probe_set(smc, want);
	if (want && conn->tx_probing) {
		/* Space that came while the probing started found it still
		 * off (smc_probe_space()): look once more. Pairs with the
		 * barrier there.
		 */
		smp_mb();
		if (smc_conn_writable(conn))
			smc_probe_queue(smc, 0);
	}
out:
	release_sock(&smc->sk);
	sock_put(&smc->sk);
}

/* A writer found the ring full, for the first time since it last wrote.
 * Socket lock held.
 */
void smc_probe_arm(struct smc_sock *smc)
{
	smc->conn.tx_blocked_at = jiffies;
	if (!smc->conn.tx_probing && smc->tcp &&
	    !sock_flag(&smc->sk, SOCK_KEEPOPEN))
		smc_probe_queue(smc, SMC_PROBE_AFTER);
}

/* The peer made space: end the probing soon. Any context. */
void smc_probe_space(struct smc_sock *smc)
{
	/* The new space is in the cursor before we look: either we see the
	 * probing on, or smc_probe_work() sees the space.
	 */
	smp_mb();
	if (!READ_ONCE(smc->conn.tx_probing))
		return;
	sock_hold(&smc->sk);
	if (mod_delayed_work(smc_hs_wq, &smc->conn.probe_work, 0))
		sock_put(&smc->sk);	/* it was pending, with its own hold */
}

/* What a keepalive setting reads as: @cur, unless it is still the value
 * our probing set (then what comes back afterwards, see smc_probe_set());
 * zero stands for the namespace's default, as in TCP's own reading.
 */
static int smc_probe_shown(u32 cur, u32 ours, u32 saved, u32 dflt)
{
	u32 v = cur == ours ? saved : cur;

	return v ?: dflt;
}

/* getsockopt(TCP_KEEPIDLE, TCP_KEEPINTVL or TCP_KEEPCNT) while we probe:
 * the application reads its own settings, not ours, as SO_KEEPALIVE
 * reads 0. False when TCP's answer stands. Socket lock held.
 */
bool smc_probe_keepalive_opt(struct smc_sock *smc, int optname, int *val)
{
	struct smc_conn *conn = &smc->conn;
	const struct tcp_sock *tp;
	const struct net *net;

	if (!conn->tx_probing || !smc->tcp)
		return false;
	tp = tcp_sk(smc->tcp->sk);
	net = sock_net(smc->tcp->sk);
	switch (optname) {
	case TCP_KEEPIDLE:
		*val = smc_probe_shown(READ_ONCE(tp->keepalive_time),
				       SMC_PROBE_IDLE * HZ,
				       conn->probe_saved.time,
				       READ_ONCE(net->ipv4.sysctl_tcp_keepalive_time)) / HZ;
		return true;
	case TCP_KEEPINTVL:
		*val = smc_probe_shown(READ_ONCE(tp->keepalive_intvl),
				       SMC_PROBE_INTVL * HZ,
				       conn->probe_saved.intvl,
				       READ_ONCE(net->ipv4.sysctl_tcp_keepalive_intvl)) / HZ;
		return true;
	case TCP_KEEPCNT:
		*val = smc_probe_shown(READ_ONCE(tp->keepalive_probes),
				       SMC_PROBE_COUNT,
				       conn->probe_saved.probes,
				       READ_ONCE(net->ipv4.sysctl_tcp_keepalive_probes));
		return true;
	}
	return false;
}

/* The connection ends. Socket lock held. */
void smc_probe_stop(struct smc_sock *smc)
{
	if (smc->conn.tx_probing && smc->tcp)
		smc_probe_set(smc, false);
}
