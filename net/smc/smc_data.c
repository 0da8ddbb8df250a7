// SPDX-License-Identifier: GPL-2.0
/*
 * smc-ng: the SMC-D data path.
 *
 * Sending copies the application's bytes straight into the peer's ring
 * (its DMB, attached) or stages them for move_data, then publishes the new
 * producer cursor with a CDC. Receiving copies out of our own DMB and
 * reports the consumer cursor back when the peer needs the space. Both
 * sides sleep on the socket's wait queue; the peer's CDC signal wakes them.
 */
#include <linux/poll.h>
#include <linux/sched/signal.h>
#include <linux/sockios.h>
#include <linux/uio.h>
#include <asm/ioctls.h>
#include <net/sock.h>

#include "smc_sock.h"
#include "smc_conn.h"

#define SMC_PEER_GONE	(SMC_CDC_CF_CONN_CLOSED | SMC_CDC_CF_CONN_ABORT)
#define SMC_PEER_EOF	(SMC_PEER_GONE | SMC_CDC_CF_DONE_WRITING)

static u8 smc_peer_flags(struct smc_conn *conn)
{
	return READ_ONCE(conn->rx_conn_flags);
}

/* Where a position of a ring lives and how much of it is contiguous. */
static void smc_ring_span(u32 ring, u32 pos, u32 len, u32 *first, u32 *second)
{
	*first = min(len, ring - pos);
	*second = len - *first;
}

static int smc_tx_copy(struct smc_conn *conn, struct msghdr *msg, u32 len)
{
	struct smcd_device *dev = conn->lgr->dev;
	u32 pos = conn->tx_prod.count, part[2], done = 0, n;
	int i, rc;

	smc_ring_span(conn->peer_ring, pos, len, &part[0], &part[1]);
	for (i = 0; i < 2 && part[i]; i++) {
		u32 off = SMCD_CDC_DMB_HDR_LEN + (i ? 0 : pos);

		if (conn->peer_attached) {
			if (copy_from_iter((u8 *)conn->peer_view.cpu_addr + off,
					   part[i], &msg->msg_iter) != part[i])
				return -EFAULT;
			continue;
		}
		for (done = 0; done < part[i]; done += n) {
			n = min_t(u32, part[i] - done, SMC_CONN_BOUNCE);
			if (copy_from_iter(conn->bounce, n, &msg->msg_iter) != n)
				return -EFAULT;
			rc = dev->ops->move_data(dev, conn->peer_token, 0, false,
						 off + done, conn->bounce, n);
			if (rc)
				return rc;
		}
	}
	return 0;
}

/* Tell the peer we are stuck, once, so that it reports its cursor. */
static void smc_tx_blocked(struct smc_sock *smc)
{
	struct smc_conn *conn = &smc->conn;

	if (conn->tx_prod_flags & SMC_CDC_PF_WRITE_BLOCKED)
		return;
	conn->tx_prod_flags |= SMC_CDC_PF_WRITE_BLOCKED;
	smc_conn_send_cdc(smc);
}

static int smc_tx_error(struct smc_sock *smc)
{
	struct sock *sk = &smc->sk;

	if (sk->sk_err)
		return sock_error(sk);
	if (smc->conn.dead || (smc_peer_flags(&smc->conn) & SMC_CDC_CF_CONN_ABORT))
		return -ECONNRESET;
	if ((sk->sk_shutdown & SEND_SHUTDOWN) ||
	    (smc_peer_flags(&smc->conn) & SMC_PEER_GONE))
		return -EPIPE;
	return 0;
}

int smc_data_sendmsg(struct smc_sock *smc, struct msghdr *msg, size_t len)
{
	DEFINE_WAIT_FUNC(wait, woken_wake_function);
	struct smc_conn *conn = &smc->conn;
	struct sock *sk = &smc->sk;
	long timeo = sock_sndtimeo(sk, msg->msg_flags & MSG_DONTWAIT);
	size_t sent = 0;
	u32 space, n;
	int rc = 0;

	if (msg->msg_flags & MSG_OOB)
		return -EOPNOTSUPP;
	lock_sock(sk);
	while (sent < len) {
		if (!conn->lgr) {
			rc = -EPIPE;
			break;
		}
		rc = smc_tx_error(smc);
		if (rc)
			break;
		space = smc_conn_writable(conn);
		if (!space) {
			smc_tx_blocked(smc);
			if (!timeo) {
				rc = -EAGAIN;
				break;
			}
			if (signal_pending(current)) {
				rc = sock_intr_errno(timeo);
				break;
			}
			add_wait_queue(sk_sleep(sk), &wait);
			sk_wait_event(sk, &timeo, smc_conn_writable(conn) ||
				      smc_tx_error(smc), &wait);
			remove_wait_queue(sk_sleep(sk), &wait);
			continue;
		}
		n = min_t(size_t, space, len - sent);
		rc = smc_tx_copy(conn, msg, n);
		if (rc)
			break;
		spin_lock_irq(&conn->lock);
		smc_cursor_advance(conn->peer_ring, &conn->tx_prod, n);
		spin_unlock_irq(&conn->lock);
		conn->tx_prod_flags &= ~SMC_CDC_PF_WRITE_BLOCKED;
		sent += n;
		rc = smc_conn_send_cdc(smc);
		if (rc)
			break;
	}
	release_sock(sk);
	if (sent)
		return sent;
	if (rc == -EPIPE && !(msg->msg_flags & MSG_NOSIGNAL))
		send_sig(SIGPIPE, current, 0);
	return rc;
}

/* Report consumed space when the peer may be waiting for it: it said it
 * is blocked, or what it believes is free has shrunk to half the ring.
 */
static void smc_rx_update_peer(struct smc_sock *smc)
{
	struct smc_conn *conn = &smc->conn;
	u32 ring = conn->rmb_ring;
	int unreported, believed_used;
	bool send;

	spin_lock_irq(&conn->lock);
	unreported = smc_cursor_diff(ring, &conn->rx_cons_sent, &conn->rx_cons);
	believed_used = smc_cursor_diff(ring, &conn->rx_cons_sent,
					&conn->rx_prod);
	send = unreported > 0 &&
	       ((conn->rx_prod_flags & SMC_CDC_PF_WRITE_BLOCKED) ||
		(believed_used >= (int)ring / 2 &&
		 unreported >= (int)ring / 10));
	spin_unlock_irq(&conn->lock);
	if (send)
		smc_conn_send_cdc(smc);
}

static int smc_rx_copy(struct smc_conn *conn, struct msghdr *msg, u32 len)
{
	u32 pos = conn->rx_cons.count, part[2];
	u8 *ring = (u8 *)conn->rmb.cpu_addr + SMCD_CDC_DMB_HDR_LEN;

	smc_ring_span(conn->rmb_ring, pos, len, &part[0], &part[1]);
	/* The peer's cursor was read under the lock: its data is complete. */
	smp_rmb();
	if (copy_to_iter(ring + pos, part[0], &msg->msg_iter) != part[0])
		return -EFAULT;
	if (part[1] && copy_to_iter(ring, part[1], &msg->msg_iter) != part[1])
		return -EFAULT;
	return 0;
}

static bool smc_rx_done_waiting(struct smc_sock *smc)
{
	return smc_conn_readable(&smc->conn) || smc->sk.sk_err ||
	       smc->conn.dead || (smc->sk.sk_shutdown & RCV_SHUTDOWN) ||
	       (smc_peer_flags(&smc->conn) & SMC_PEER_EOF);
}

int smc_data_recvmsg(struct smc_sock *smc, struct msghdr *msg, size_t len,
		     int flags)
{
	DEFINE_WAIT_FUNC(wait, woken_wake_function);
	struct smc_conn *conn = &smc->conn;
	struct sock *sk = &smc->sk;
	long timeo = sock_rcvtimeo(sk, flags & MSG_DONTWAIT);
	int target = sock_rcvlowat(sk, flags & MSG_WAITALL, len);
	size_t copied = 0;
	u32 avail, n;
	int rc = 0;

	if (flags & MSG_OOB)
		return -EINVAL;
	lock_sock(sk);
	while (copied < len) {
		avail = conn->lgr ? smc_conn_readable(conn) : 0;
		if (avail) {
			n = min_t(size_t, avail, len - copied);
			/* A writer waiting for space gets it a quarter of the ring
			 * at a time, so that it refills while we copy the rest.
			 */
			if (conn->rx_prod_flags & SMC_CDC_PF_WRITE_BLOCKED)
				n = min_t(u32, n, conn->rmb_ring / 4);
			rc = smc_rx_copy(conn, msg, n);
			if (rc)
				break;
			copied += n;
			if (flags & MSG_PEEK)
				break;
			spin_lock_irq(&conn->lock);
			smc_cursor_advance(conn->rmb_ring, &conn->rx_cons, n);
			spin_unlock_irq(&conn->lock);
			smc_rx_update_peer(smc);
			continue;
		}
		if (copied >= target)
			break;
		if (sk->sk_err) {
			rc = sock_error(sk);
			break;
		}
		if (conn->dead || !conn->lgr ||
		    (smc_peer_flags(conn) & SMC_CDC_CF_CONN_ABORT)) {
			rc = -ECONNRESET;
			break;
		}
		if ((sk->sk_shutdown & RCV_SHUTDOWN) ||
		    (smc_peer_flags(conn) & SMC_PEER_EOF))
			break;
		if (!timeo) {
			rc = -EAGAIN;
			break;
		}
		if (signal_pending(current)) {
			rc = sock_intr_errno(timeo);
			break;
		}
		add_wait_queue(sk_sleep(sk), &wait);
		sk_wait_event(sk, &timeo, smc_rx_done_waiting(smc), &wait);
		remove_wait_queue(sk_sleep(sk), &wait);
	}
	release_sock(sk);
	return copied ? copied : rc;
}

__poll_t smc_data_poll(struct smc_sock *smc)
{
	struct smc_conn *conn = &smc->conn;
	struct sock *sk = &smc->sk;
	u8 peer = smc_peer_flags(conn);
	__poll_t mask = 0;

	if (sk->sk_err || conn->dead || (peer & SMC_CDC_CF_CONN_ABORT))
		mask |= EPOLLERR;
	if (smc_conn_readable(conn) || (sk->sk_shutdown & RCV_SHUTDOWN) ||
	    (peer & SMC_PEER_EOF) || (mask & EPOLLERR))
		mask |= EPOLLIN | EPOLLRDNORM;
	if ((peer & SMC_PEER_EOF) || (sk->sk_shutdown & RCV_SHUTDOWN))
		mask |= EPOLLRDHUP;
	if (sk->sk_shutdown == SHUTDOWN_MASK || (mask & EPOLLERR))
		mask |= EPOLLHUP;
	if (sk->sk_shutdown & SEND_SHUTDOWN)
		return mask;
	if (smc_conn_writable(conn) || (peer & SMC_PEER_GONE) ||
	    (mask & EPOLLERR))
		mask |= EPOLLOUT | EPOLLWRNORM;
	return mask;
}

int smc_data_shutdown(struct smc_sock *smc, int how)
{
	struct smc_conn *conn = &smc->conn;
	struct sock *sk = &smc->sk;
	int rc = 0;

	lock_sock(sk);
	if ((how == SHUT_WR || how == SHUT_RDWR) &&
	    !(sk->sk_shutdown & SEND_SHUTDOWN)) {
		conn->tx_conn_flags |= SMC_CDC_CF_DONE_WRITING;
		rc = smc_conn_send_cdc(smc);
	}
	sk->sk_shutdown |= how + 1;
	release_sock(sk);
	sk->sk_state_change(sk);
	return rc == -ECONNRESET ? 0 : rc;
}

/* Final close: tell the peer, abortively if we leave data unread (as TCP
 * answers with a reset), then give everything back. Socket lock held.
 */
void smc_data_close(struct smc_sock *smc)
{
	struct smc_conn *conn = &smc->conn;

	if (!conn->lgr)
		return;
	if (conn->dead) {
		smc_conn_send_abort(smc);
	} else if (smc_conn_readable(conn)) {
		smc_conn_send_abort(smc);
	} else {
		conn->tx_conn_flags |= SMC_CDC_CF_CONN_CLOSED;
		smc_conn_send_cdc(smc);
	}
	smc_conn_release(smc);
}

int smc_data_ioctl(struct smc_sock *smc, unsigned int cmd, unsigned long arg)
{
	struct smc_conn *conn = &smc->conn;
	int answ;

	switch (cmd) {
	case SIOCINQ:
		answ = conn->lgr ? smc_conn_readable(conn) : 0;
		break;
	case SIOCOUTQ:
	case SIOCOUTQNSD:
		/* Bytes in the peer's ring it has not read yet. */
		answ = conn->lgr ? conn->peer_ring - smc_conn_writable(conn) : 0;
		break;
	case SIOCATMARK:
		answ = 0;
		break;
	default:
		return -ENOIOCTLCMD;
	}
	return put_user(answ, (int __user *)arg);
}
