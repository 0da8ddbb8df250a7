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
#include <linux/sizes.h>
#include <linux/sockios.h>
#include <linux/tcp.h>
#include <linux/uio.h>
#include <asm/ioctls.h>
#include <net/sock.h>
#include <net/tcp.h>

#include "smc_sock.h"
#include "smc_stats.h"
#include "smc_conn.h"

/* The longest TCP_CORK holds data back, as tcp(7) documents for TCP. */
#define SMC_CORK_MAX	(HZ / 5)

#define SMC_PEER_GONE	(SMC_CDC_CF_CONN_CLOSED | SMC_CDC_CF_CONN_ABORT)
#define SMC_PEER_EOF	(SMC_PEER_GONE | SMC_CDC_CF_DONE_WRITING)
/* An orderly end, as a FIN: TCP's SOCK_DONE. */
#define SMC_PEER_FIN	(SMC_CDC_CF_CONN_CLOSED | SMC_CDC_CF_DONE_WRITING)

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

/* The user's pages are copied with page faults off, under the socket
 * lock: a fault taken there would hold the lock for as long as the page
 * takes to come (a FUSE file or a userfaultfd range: for ever), and device
 * removal waits for that lock (smc_conn_device_remove()). A copy cut
 * short by a fault returns what it copied; the caller brings the pages in
 * without the lock (smc_user_fault_in()) and copies on.
 */
static size_t smc_copy_from_user_iter(void *to, size_t n, struct iov_iter *i)
{
	size_t done;

	pagefault_disable();
	done = copy_from_iter(to, n, i);
	pagefault_enable();
	return done;
}

static size_t smc_copy_to_user_iter(const void *from, size_t n,
				    struct iov_iter *i)
{
	size_t done;

	pagefault_disable();
	done = copy_to_iter(from, n, i);
	pagefault_enable();
	return done;
}

/* With the socket lock dropped: 0 once some of the next @n bytes of the
 * user's buffer are there, -EFAULT if none can be. A kernel buffer (a
 * pipe's, for splice) does not fault: its short copy is final.
 */
static int smc_user_fault_in(struct sock *sk, struct iov_iter *i, size_t n,
			     bool write)
{
	size_t left;

	if (!user_backed_iter(i))
		return -EFAULT;
	release_sock(sk);
	left = write ? fault_in_iov_iter_writeable(i, n) :
		       fault_in_iov_iter_readable(i, n);
	lock_sock(sk);
	return left == n ? -EFAULT : 0;
}

/* Returns the bytes copied (fewer than @len after a fault) or an error of
 * the device.
 */
static int smc_tx_copy(struct smc_conn *conn, struct msghdr *msg, u32 len)
{
	struct smcd_device *dev = conn->lgr->dev;
	u32 pos = conn->tx_prod.count, part[2], total = 0, want, n, done;
	int i, rc;

	/* The peer's view dropped (see smc_conn_drop_view()), and nothing
	 * to stage through: the peer closed.
	 */
	if (!conn->peer_attached && !conn->bounce)
		return -EPIPE;
	smc_ring_span(conn->peer_ring, pos, len, &part[0], &part[1]);
	for (i = 0; i < 2 && part[i]; i++) {
		u32 off = SMCD_CDC_DMB_HDR_LEN + (i ? 0 : pos);

		if (conn->peer_attached) {
			/* Counted before the copy, which may stop halfway. */
			conn->peer_view.written = max(conn->peer_view.written,
						      off + part[i]);
			n = smc_copy_from_user_iter((u8 *)conn->peer_view.cpu_addr +
						    off, part[i], &msg->msg_iter);
			total += n;
			if (n != part[i])
				break;
			continue;
		}
		for (done = 0; done < part[i]; done += n) {
			want = min_t(u32, part[i] - done, SMC_CONN_BOUNCE);
			n = smc_copy_from_user_iter(conn->bounce, want,
						    &msg->msg_iter);
			if (n) {
				rc = dev->ops->move_data(dev, conn->peer_token,
							 0, false, off + done,
							 conn->bounce, n);
				if (rc)
					return rc;
			}
			total += n;
			if (n != want)
				return total;
		}
	}
	return total;
}

/* The most a send copies before it announces: a large write goes out in
 * pieces, so that the reader copies one out while we copy in the next.
 * Measured over the loopback device with the default 128 KiB ring (one
 * guest, alternating module builds): 64 KiB writes 564 MiB/s announced
 * whole, 703 in 32 KiB pieces, 870 in 16 KiB pieces, 758 in 8 KiB ones;
 * 1 MiB writes 593 whole, 852 in 16 KiB pieces.
 */
static u32 smc_tx_piece(const struct smc_conn *conn)
{
	return max_t(u32, conn->peer_ring / 8, SZ_16K);
}

/* Whether a writer waiting for space should look again at the socket. */
static bool smc_tx_stop(struct smc_sock *smc)
{
	u8 peer = smc_peer_flags(&smc->conn);

	return smc->sk.sk_err || READ_ONCE(smc->conn.dead) ||
	       (smc->sk.sk_shutdown & SEND_SHUTDOWN) ||
	       (peer & (SMC_CDC_CF_CONN_ABORT | SMC_CDC_CF_CONN_CLOSED));
}

/* Whether this send should leave its data unannounced for now. */
static bool smc_tx_hold(struct smc_sock *smc, int msg_flags)
{
	if (msg_flags & MSG_MORE)
		return true;
	return smc->tcp && (tcp_sk(smc->tcp->sk)->nonagle & TCP_NAGLE_CORK);
}

static void smc_tx_hold_start(struct smc_sock *smc)
{
	if (smc->conn.tx_held)
		return;
	smc->conn.tx_held = true;
	sock_hold(&smc->sk);
	if (!queue_delayed_work(smc_hs_wq, &smc->conn.cork_work, SMC_CORK_MAX))
		sock_put(&smc->sk);
}

/* A writer (or a poll) found no space: the next cursor update from the
 * peer wakes writers, see smc_conn_space_wanted(). Callers look again
 * after this.
 */
static void smc_tx_note_nospace(struct sock *sk)
{
	if (sk->sk_socket)
		set_bit(SOCK_NOSPACE, &sk->sk_socket->flags);
	/* Pairs with the signal's cursor update before its test of the
	 * bit: either we see the new space, or it sees the bit.
	 */
	smp_mb__after_atomic();
}

/* Tell the peer we are stuck, once, so that it reports its cursor. */
static void smc_tx_blocked(struct smc_sock *smc)
{
	struct smc_conn *conn = &smc->conn;

	if (conn->tx_prod_flags & SMC_CDC_PF_WRITE_BLOCKED)
		return;
	conn->tx_prod_flags |= SMC_CDC_PF_WRITE_BLOCKED;
	smc_probe_arm(smc);
	smc_conn_send_cdc(smc);
}

/* The TCP connection underneath follows the SMC connection's life (a FIN
 * on shutdown, see smc_data_shutdown(); a reset here), so that ss,
 * TCP_INFO and getpeername() tell the same story as on TCP.
 */
static void smc_data_tcp_reset(struct smc_sock *smc)
{
	struct sockaddr unspec = { .sa_family = AF_UNSPEC };

	/* TCP's disconnect resets its connection. */
	if (smc->tcp)
		kernel_connect(smc->tcp, &unspec, sizeof(unspec), 0);
}

/* The connection is over as after a TCP reset, @err reported once, after
 * what the peer wrote before its end unless @discard (TCP drops what
 * breaks the rules too: data for a socket shut down both ways).
 */
static void smc_data_end(struct smc_sock *smc, int err, bool discard)
{
	if (!discard && smc_conn_readable(&smc->conn))
		smc_conn_abort_keep_rx(smc, err);
	else
		smc_conn_abort(smc, err);
	smc_data_tcp_reset(smc);
}

/* The peer ended its writing in order, whatever came after: its stream
 * reads EOF, as TCP's after a FIN, before any error.
 */
bool smc_data_peer_fin(struct smc_sock *smc)
{
	return smc_peer_flags(&smc->conn) & SMC_PEER_FIN;
}

/* The peer reset the connection, or broke the rules (then it hears of it
 * now): end the connection as TCP ends one on a reset, the error reported
 * once, then EOF and EPIPE. Socket lock held. Returns whether it did.
 */
bool smc_data_reset(struct smc_sock *smc)
{
	struct smc_conn *conn = &smc->conn;
	bool violated, broken;
	int err;

	if (!conn->lgr || !(READ_ONCE(conn->dead) ||
			    (smc_peer_flags(conn) & SMC_CDC_CF_CONN_ABORT)))
		return false;
	if (conn->rx_kept) {
		/* Ended before; once its last bytes are read, the DMB goes. */
		if (!smc_conn_readable(conn))
			smc_conn_release(smc);
		return true;
	}
	/* Only a peer that broke the rules is owed an abort. Set with
	 * conn->dead under the lock, which we looked at without it.
	 */
	spin_lock_bh(&conn->lock);
	violated = conn->abort_owed;
	broken = conn->rx_broken;
	/* A lost TCP connection told its error when it came; a reset after
	 * the peer's orderly end is EPIPE, as TCP's in CLOSE_WAIT.
	 */
	if (conn->lost_err)
		err = 0;
	else
		err = conn->rx_conn_flags & SMC_PEER_FIN ? EPIPE : ECONNRESET;
	spin_unlock_bh(&conn->lock);
	if (violated)
		smc_conn_send_abort(smc);
	smc_data_end(smc, err, broken);
	return true;
}

/* connect(AF_UNSPEC) on a connection over shared memory: reset it and
 * leave an unconnected socket behind, as tcp_disconnect() does. Socket
 * lock held.
 */
int smc_data_disconnect(struct smc_sock *smc)
{
	smc_conn_send_abort(smc);
	smc_conn_release(smc);
	smc_data_tcp_reset(smc);
	smc_data_disconnected(smc);
	return 0;
}

/* The TCP socket was just disconnected: the socket is unconnected again,
 * with the error TCP's disconnect leaves (ECONNRESET for a connection it
 * reset) to report once, as on TCP. Ours from now on: poll() reads TCP's
 * mask but our error (see smc_poll()). Socket lock held.
 */
void smc_data_disconnected(struct smc_sock *smc)
{
	struct sock *sk = &smc->sk;

	sk->sk_state = SMC_INIT;
	sk->sk_shutdown = 0;
	sk->sk_err = smc->tcp ? -sock_error(smc->tcp->sk) : 0;
	smc->connect_phase = SMC_CONNECT_IDLE;
	if (sk->sk_socket)
		sk->sk_socket->state = SS_UNCONNECTED;
	/* Threads asleep in recv() or send() learn of it (sk_wait_event()
	 * tells them by the count), as TCP's do.
	 */
	sk->sk_disconnects++;
	sk_error_report(sk);
}

/* Data for a peer that has closed its socket: TCP takes it, and the reset
 * that comes back makes the next call fail with EPIPE.
 */
static bool smc_tx_to_closed_peer(struct smc_sock *smc)
{
	if (!(smc_peer_flags(&smc->conn) & SMC_CDC_CF_CONN_CLOSED))
		return false;
	smc_data_end(smc, EPIPE, false);
	return true;
}

/* Whether the peer closed, with a look at our DMB for news its signal has
 * not brought yet (see smc_conn_catch_up()).
 */
static bool smc_data_peer_closed(struct smc_sock *smc)
{
	smc_conn_catch_up(smc);
	return smc_peer_flags(&smc->conn) & SMC_CDC_CF_CONN_CLOSED;
}

/* The device could not write to the peer's DMB. A peer that @closed took
 * it away: data for it ends the connection as TCP's reset from a closed
 * peer does (EPIPE). Otherwise it went away with the peer's device or
 * kernel, and the connection ends as on a reset, unless a reset is what
 * stopped the write.
 */
static void smc_data_unreachable(struct smc_sock *smc, bool closed)
{
	if (!smc_data_reset(smc))
		smc_data_end(smc, closed ? EPIPE : ECONNRESET, false);
}

/* The error that stops a send, left in sk_err: it is reported (and
 * cleared) only if the call sent nothing, else by the next call, as TCP
 * does.
 */
static int smc_tx_error(struct smc_sock *smc)
{
	struct sock *sk = &smc->sk;

	if (sk->sk_err || smc_data_reset(smc))
		return -READ_ONCE(sk->sk_err) ?: -EPIPE;
	if (!smc->conn.lgr || (sk->sk_shutdown & SEND_SHUTDOWN))
		return -EPIPE;
	return 0;
}

/* Announce data held back by MSG_MORE or TCP_CORK. Socket lock held. */
static void smc_data_push(struct smc_sock *smc)
{
	if (!smc->conn.lgr || !smc->conn.tx_held)
		return;
	smc->conn.tx_held = false;
	/* Bytes for a peer gone meanwhile: TCP sends them, and the reset
	 * they draw is the writer's error.
	 */
	if (smc_conn_send_cdc(smc))
		smc_data_unreachable(smc, smc_data_peer_closed(smc));
}

/* The cork came off, or TCP_NODELAY was set: like TCP, which pushes what
 * it holds once when TCP_NODELAY goes on, even while corked. Socket lock
 * held.
 */
void smc_data_uncork(struct smc_sock *smc, bool nodelay_on)
{
	if (nodelay_on || !smc_tx_hold(smc, 0))
		smc_data_push(smc);
}

void smc_data_cork_work(struct work_struct *work)
{
	struct smc_conn *conn = container_of(to_delayed_work(work),
						    struct smc_conn, cork_work);
	struct smc_sock *smc = container_of(conn, struct smc_sock, conn);

	lock_sock(&smc->sk);
	smc_data_push(smc);
	release_sock(&smc->sk);
	sock_put(&smc->sk);
}

/* A copy or CDC write failed; a bad user buffer only fails this call. */
static int smc_tx_failed(struct smc_sock *smc, int rc)
{
	if (rc == -EFAULT)
		return rc;
	smc_data_unreachable(smc, smc_data_peer_closed(smc));
	return smc_tx_error(smc);
}

/* After the peer's FIN, TCP delays its acknowledgment for an answer to
 * carry it, and a TCP sender's data would. Ours goes through shared
 * memory instead, so our first send after the FIN pushes the pending
 * acknowledgment: the peer's TCP leaves FIN_WAIT1 when it would over TCP
 * (ss and TCP_INFO tell), and a connection closed without an answer
 * keeps the FIN and its ACK in one segment, as TCP does.
 */
static void smc_data_ack_peer_fin(struct smc_sock *smc)
{
	struct sock *tsk = smc->tcp ? smc->tcp->sk : NULL;

	if (!tsk || READ_ONCE(tsk->sk_state) != TCP_CLOSE_WAIT ||
	    !(READ_ONCE(inet_csk(tsk)->icsk_ack.pending) & ICSK_ACK_SCHED))
		return;
	/* Not through a read: nobody reads the FIN off TCP's queue, and
	 * TCP does not push an ACK while its queue holds something.
	 */
	lock_sock(tsk);
	if (tsk->sk_state == TCP_CLOSE_WAIT && inet_csk_ack_scheduled(tsk))
		__tcp_send_ack(tsk, tcp_sk(tsk)->rcv_nxt);
	release_sock(tsk);
}

int smc_data_sendmsg(struct smc_sock *smc, struct msghdr *msg, size_t len)
{
	DEFINE_WAIT_FUNC(wait, woken_wake_function);
	struct smc_conn *conn = &smc->conn;
	struct sock *sk = &smc->sk;
	long timeo = sock_sndtimeo(sk, msg->msg_flags & MSG_DONTWAIT);
	size_t sent = 0;
	u32 space, want, n;
	bool hold, urgent = msg->msg_flags & MSG_OOB;
	int rc = 0;

	lock_sock(sk);
	/* Urgent data goes out at once; its last byte is the urgent one. */
	hold = !urgent && smc_tx_hold(smc, msg->msg_flags);
	if (urgent && len)
		conn->tx_prod_flags |= SMC_CDC_PF_URG_PENDING;
	while (sent < len) {
		rc = smc_tx_error(smc);
		if (rc)
			break;
		if (smc_tx_to_closed_peer(smc)) {
			sent = sent ?: len;
			break;
		}
		space = smc_conn_writable(conn);
		if (!space) {
			smc_stat_buf(sock_net(sk), SMC_STAT_SMCD, SMC_STAT_TX,
				     SMC_STAT_BUF_FULL_PEER);
			/* Also for EAGAIN: its caller waits in poll or epoll. */
			smc_tx_note_nospace(sk);
			smc_tx_blocked(smc);
			/* Space the peer made before the bit was set woke
			 * nobody (our WRITE_BLOCKED may have asked for it just
			 * now): an edge-triggered epoll would wait for good.
			 */
			if (smc_conn_writable(conn))
				continue;
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
				      smc_tx_stop(smc), &wait);
			remove_wait_queue(sk_sleep(sk), &wait);
			continue;
		}
		want = min_t(size_t, space, len - sent);
		want = min_t(u32, want, smc_tx_piece(conn));
		rc = smc_tx_copy(conn, msg, want);
		if (rc < 0) {
			rc = smc_tx_failed(smc, rc);
			break;
		}
		n = rc;
		rc = 0;
		if (n) {
			spin_lock_bh(&conn->lock);
			smc_cursor_advance(conn->peer_ring, &conn->tx_prod, n);
			spin_unlock_bh(&conn->lock);
			conn->tx_prod_flags &= ~SMC_CDC_PF_WRITE_BLOCKED;
			sent += n;
		}
		if (n == want && hold && smc_conn_writable(conn)) {
			smc_tx_hold_start(smc);
			continue;
		}
		if (n) {
			conn->tx_held = false;
			if (urgent && sent == len)
				conn->tx_prod_flags |= SMC_CDC_PF_URG_PRESENT;
			rc = smc_conn_send_cdc(smc);
			if (rc) {
				rc = smc_tx_failed(smc, rc);
				break;
			}
		}
		/* What was copied is announced; the rest after the fault. */
		if (n < want) {
			rc = smc_user_fault_in(sk, &msg->msg_iter, want - n,
					       false);
			if (rc)
				break;
		}
	}
	/* An urgent send cut short (no space left, a signal, an error)
	 * still marks the last byte that went out, as TCP marks the end of
	 * what it queued; the peer takes a flag without new data for its
	 * last byte (smc_conn_urgent_late()). Should this CDC fail, the
	 * next call reports why.
	 */
	if (urgent && sent && sent < len) {
		conn->tx_prod_flags |= SMC_CDC_PF_URG_PRESENT;
		smc_conn_send_cdc(smc);
	}
	conn->tx_prod_flags &= ~(SMC_CDC_PF_URG_PENDING | SMC_CDC_PF_URG_PRESENT);
	/* An empty send fails as any other on a connection that cannot
	 * send; else without MSG_MORE it pushes what is held, as on TCP.
	 */
	if (!len)
		rc = smc_tx_error(smc);
	if (!len && !hold && !rc)
		smc_data_push(smc);
	if (sent)
		smc_data_ack_peer_fin(smc);
	release_sock(sk);
	smc_stat_payload(sock_net(sk), SMC_STAT_SMCD, SMC_STAT_TX, len,
			 sent ? (long)sent : rc);
	if (sent) {
		if (urgent)
			smc_stat_event(sock_net(sk), SMC_STAT_SMCD,
				       SMC_STAT_URGENT);
		return sent;
	}
	if (rc < 0 && -rc == READ_ONCE(sk->sk_err))
		rc = sock_error(sk);
	if (rc == -EPIPE && !(msg->msg_flags & MSG_NOSIGNAL))
		send_sig(SIGPIPE, current, 0);
	return rc;
}

/* Report consumed space when the peer may be waiting for it: it said it
 * is blocked, or what it believes is free has shrunk to half the ring;
 * and whenever we have read everything. The last one is for request and
 * response: the update's signal wakes the peer's thread asleep in its own
 * read for our answer (that thread only, see smc_conn_signal()) while we
 * still work out the answer, so its wake-up (on an idle CPU, the slow
 * part of a round trip) overlaps our work instead of following our send.
 * Unix sockets do the same as a side effect (freeing the sender's skb
 * wakes it). Measured, 1-byte ping-pong over the loopback device in one
 * guest, alternating module builds: round trip p50 72-82 us before,
 * 56-68 after; streams unchanged.
 */
static void smc_rx_update_peer(struct smc_sock *smc)
{
	struct smc_conn *conn = &smc->conn;
	u32 ring = conn->rmb_ring;
	int unreported, believed_used;
	bool send;

	spin_lock_bh(&conn->lock);
	unreported = smc_cursor_diff(ring, &conn->rx_cons_sent, &conn->rx_cons);
	believed_used = smc_cursor_diff(ring, &conn->rx_cons_sent,
					&conn->rx_prod);
	send = unreported > 0 &&
	       ((conn->rx_prod_flags & SMC_CDC_PF_WRITE_BLOCKED) ||
		!smc_cursor_diff(ring, &conn->rx_cons, &conn->rx_prod) ||
		(believed_used >= (int)ring / 2 &&
		 unreported >= (int)ring / 10));
	spin_unlock_bh(&conn->lock);
	if (send)
		smc_conn_send_cdc(smc);
}

static int smc_rx_mark(struct smc_conn *conn)
{
	struct smc_rx_view l;

	smc_conn_look(conn, &l);
	return l.mark;
}

/* What reads can return: readiness. An urgent byte ahead is not part of
 * the stream without SO_OOBINLINE: reads skip it, as TCP's do.
 */
static u32 smc_rx_readable(struct smc_sock *smc)
{
	struct smc_rx_view l;

	smc_conn_look(&smc->conn, &l);
	if (l.avail && l.mark >= 0 && !sock_flag(&smc->sk, SOCK_URGINLINE))
		return l.avail - 1;
	return l.avail;
}

/* SIOCINQ as tcp_inq() counts: with an urgent byte ahead (not inline),
 * the bytes before it only.
 */
static u32 smc_rx_inq(struct smc_sock *smc)
{
	struct smc_rx_view l;

	smc_conn_look(&smc->conn, &l);
	if (l.mark >= 0 && !sock_flag(&smc->sk, SOCK_URGINLINE))
		return l.mark;
	return l.avail;
}

/* Consume @n bytes; the urgent byte is forgotten once passed. Bytes that
 * left the stream lie first, so the first of the @n are those.
 */
static void smc_rx_consume(struct smc_conn *conn, u32 n)
{
	spin_lock_bh(&conn->lock);
	smc_cursor_advance(conn->rmb_ring, &conn->rx_cons, n);
	conn->urg_dead -= min(conn->urg_dead, n);
	if (conn->urg_state != SMC_URG_NONE &&
	    smc_cursor_diff(conn->rmb_ring, &conn->rx_cons, &conn->urg_curs) <= 0)
		conn->urg_state = SMC_URG_NONE;
	spin_unlock_bh(&conn->lock);
}

static void smc_rx_urgent_read(struct smc_conn *conn)
{
	spin_lock_bh(&conn->lock);
	if (conn->urg_state == SMC_URG_VALID)
		conn->urg_state = SMC_URG_READ;
	spin_unlock_bh(&conn->lock);
}

/* The connection was reset (by either end) before the peer's orderly end
 * came: as after TCP's reset without SOCK_DONE.
 */
static bool smc_rx_reset_first(struct smc_sock *smc)
{
	u8 peer = smc_peer_flags(&smc->conn);

	if (peer & SMC_PEER_FIN)
		return false;
	return smc->sk.sk_state == SMC_CLOSED || READ_ONCE(smc->conn.dead) ||
	       (peer & SMC_CDC_CF_CONN_ABORT);
}

/* recv(MSG_OOB): the urgent byte, once, as tcp_recv_urg() hands it out. */
static int smc_rx_urgent(struct smc_sock *smc, struct msghdr *msg, int flags)
{
	struct smc_conn *conn = &smc->conn;
	struct sock *sk = &smc->sk;
	u8 byte, state;
	int rc;

	lock_sock(sk);
again:
	rc = -EINVAL;
	spin_lock_bh(&conn->lock);
	state = conn->urg_state;
	byte = conn->urg_byte;
	spin_unlock_bh(&conn->lock);
	/* No urgent byte to hand out: EINVAL, at the end of a stream too. */
	if (sock_flag(sk, SOCK_URGINLINE) || state != SMC_URG_VALID)
		goto out;
	/* Nor, as on TCP, a waiting one after a reset. */
	rc = -ENOTCONN;
	if (smc_rx_reset_first(smc))
		goto out;
	rc = 1;
	if (!msg_data_left(msg)) {
		/* No room: it is read all the same, and truncated. */
		msg->msg_flags |= MSG_TRUNC;
		rc = 0;
	} else if (!(flags & MSG_TRUNC) &&
		   !smc_copy_to_user_iter(&byte, 1, &msg->msg_iter)) {
		/* The lock is dropped meanwhile: look at the byte again. */
		rc = smc_user_fault_in(sk, &msg->msg_iter, 1, true);
		if (!rc)
			goto again;
		goto out;
	}
	msg->msg_flags |= MSG_OOB;
	if (!(flags & MSG_PEEK))
		smc_rx_urgent_read(conn);
out:
	release_sock(sk);
	return rc;
}

/* Returns the bytes copied, fewer than @len after a fault (see
 * smc_copy_from_user_iter()).
 */
static u32 smc_rx_copy(struct smc_conn *conn, struct msghdr *msg, u32 len,
		       u32 skip)
{
	u32 pos = (conn->rx_cons.count + skip) % conn->rmb_ring, part[2], n;
	u8 *ring = (u8 *)conn->rmb.cpu_addr + SMCD_CDC_DMB_HDR_LEN;

	smc_ring_span(conn->rmb_ring, pos, len, &part[0], &part[1]);
	/* The peer's cursor was read under the lock: its data is complete. */
	smp_rmb();
	n = smc_copy_to_user_iter(ring + pos, part[0], &msg->msg_iter);
	if (n == part[0] && part[1])
		n += smc_copy_to_user_iter(ring, part[1], &msg->msg_iter);
	return n;
}

/* The peer's early wake-up (smc_conn_wake_reader_early()) reaches a
 * reader through an entry on conn->rx_early that stands in for its entry
 * on the socket's queue, @early->private, so that wait_woken() sees either
 * wake-up. Readers asleep at once all get it, as they all get EPOLLIN.
 */
static int smc_rx_early_wake(struct wait_queue_entry *early, unsigned int mode,
			     int sync, void *key)
{
	return woken_wake_function(early->private, mode, sync, key);
}

/* @peeked: bytes a MSG_PEEK read has looked at already. */
static bool smc_rx_done_waiting(struct smc_sock *smc, u32 peeked)
{
	return smc_rx_readable(smc) > peeked || smc->sk.sk_err ||
	       smc->conn.dead || (smc->sk.sk_shutdown & RCV_SHUTDOWN) ||
	       (smc_peer_flags(&smc->conn) & SMC_PEER_EOF);
}

int smc_data_recvmsg(struct smc_sock *smc, struct msghdr *msg, size_t len,
		     int flags)
{
	DEFINE_WAIT_FUNC(wait, woken_wake_function);
	struct wait_queue_entry early = {
		.private = &wait,
		.func = smc_rx_early_wake,
		.entry = LIST_HEAD_INIT(early.entry),
	};
	struct smc_conn *conn = &smc->conn;
	struct sock *sk = &smc->sk;
	long timeo = sock_rcvtimeo(sk, flags & MSG_DONTWAIT);
	int target = sock_rcvlowat(sk, flags & MSG_WAITALL, len);
	size_t copied = 0;
	u32 avail, n, want, skip, peeked = 0;
	struct smc_rx_view look;
	int rc = 0, mark, waited;

	if (flags & MSG_OOB)
		return smc_rx_urgent(smc, msg, flags);
	lock_sock(sk);
	/* A peek sees at most a full ring (less an urgent byte), and the
	 * peer writes no more until we read: a larger SO_RCVLOWAT would wait
	 * forever, where TCP grows its buffer to hold the mark.
	 */
	if ((flags & MSG_PEEK) && conn->lgr)
		target = min_t(int, target, max_t(u32, conn->rmb_ring - 1, 1));
	/* Once round even for no bytes: as on TCP, recv() of 0 bytes then
	 * reports an error, EAGAIN, or waits once for something to happen.
	 */
	do {
		/* A peek looks on past what it has copied, as TCP's does. */
		if (flags & MSG_PEEK)
			peeked = copied;
		look = (struct smc_rx_view){ .mark = -1 };
		if (conn->lgr)
			smc_conn_look(conn, &look);
		avail = look.avail;
		if (!copied && avail && look.dead + avail == conn->rmb_ring)
			smc_stat_buf(sock_net(sk), SMC_STAT_SMCD, SMC_STAT_RX,
				     SMC_STAT_BUF_FULL);
		/* Bytes that left the stream are stepped over (our cursor:
		 * the socket lock is held), and so is the urgent byte.
		 */
		skip = look.dead;
		mark = avail ? look.mark : -1;
		if (mark == 0 && copied)
			break;	/* TCP stops at the urgent mark */
		if (mark == 0 && !sock_flag(sk, SOCK_URGINLINE)) {
			skip++;		/* the urgent byte is not in the stream */
			avail--;
		} else if (mark > 0) {
			avail = min_t(u32, avail, mark);
		}
		if (!len && avail)
			break;
		if (skip && !avail && !(flags & MSG_PEEK)) {
			smc_rx_consume(conn, skip);
			smc_rx_update_peer(smc);
			continue;
		}
		if (peeked) {
			if (mark >= 0)
				break;	/* a peek stops at the urgent mark */
			avail = avail > peeked ? avail - peeked : 0;
		}
		if (avail) {
			n = min_t(size_t, avail, len - copied);
			/* A writer waiting for space gets it a quarter of the ring
			 * at a time, so that it refills while we copy the rest.
			 */
			if ((conn->rx_prod_flags & SMC_CDC_PF_WRITE_BLOCKED) &&
			    !(flags & MSG_PEEK))
				n = min_t(u32, n, conn->rmb_ring / 4);
			want = n;
			if (!(flags & MSG_TRUNC))
				n = smc_rx_copy(conn, msg, want, skip + peeked);
			copied += n;
			if (!(flags & MSG_PEEK) && n) {
				smc_rx_consume(conn, n + skip);
				smc_rx_update_peer(smc);
			}
			/* The rest once the pages are there, lock dropped. */
			if (n < want) {
				rc = smc_user_fault_in(sk, &msg->msg_iter,
						       want - n, true);
				if (rc)
					break;
			}
			continue;
		}
		if (copied >= target)
			break;
		/* In TCP's order: the peer's orderly end is EOF even if a
		 * reset followed it (that is the next send's EPIPE), then an
		 * error, then our own end.
		 */
		if (smc_peer_flags(conn) & SMC_PEER_FIN) {
			/* The peer's signals do not wait for our socket lock:
			 * since the look above, its last bytes may have come
			 * just before its end (a signal sets both under
			 * conn->lock, which the look takes). They are read on
			 * the next round, or the tail is lost.
			 */
			if (smc_rx_readable(smc) > peeked)
				continue;
			break;
		}
		if (sk->sk_err || smc_data_reset(smc)) {
			/* After some data, the error is the next call's. */
			if (!copied)
				rc = sock_error(sk);
			break;
		}
		if (!conn->lgr)
			break;	/* reset and reported: EOF */
		if (sk->sk_shutdown & RCV_SHUTDOWN)
			break;
		/* A reset that came since the look: the next round's. */
		if (smc_peer_flags(conn) & SMC_CDC_CF_CONN_ABORT)
			continue;
		if (!timeo) {
			rc = -EAGAIN;
			break;
		}
		if (signal_pending(current)) {
			rc = sock_intr_errno(timeo);
			break;
		}
		add_wait_queue(sk_sleep(sk), &wait);
		add_wait_queue(&conn->rx_early, &early);
		/* A disconnect while we slept: EPIPE, as TCP's sk_wait_data(). */
		waited = sk_wait_event(sk, &timeo,
				       smc_rx_done_waiting(smc, peeked), &wait);
		remove_wait_queue(&conn->rx_early, &early);
		remove_wait_queue(sk_sleep(sk), &wait);
		if (waited < 0) {
			rc = waited;
			break;
		}
	} while (copied < len);
	/* The last bytes from before a reset are read: the DMB goes now,
	 * not with the socket.
	 */
	if (conn->rx_kept)
		smc_data_reset(smc);
	release_sock(sk);
	/* A peek is a call, but its bytes count when they are read. */
	smc_stat_payload(sock_net(sk), SMC_STAT_SMCD, SMC_STAT_RX,
			 flags & MSG_PEEK ? 0 : copied,
			 copied ? (long)copied : rc);
	return copied ? copied : rc;
}

/* Readable for poll(): SO_RCVLOWAT bytes there, as tcp_poll() has it, or
 * a full ring (the peer can add nothing until we read).
 */
static u32 smc_rx_lowat(struct smc_sock *smc)
{
	return min_t(u32, sock_rcvlowat(&smc->sk, 0, INT_MAX),
		     smc->conn.rmb_ring);
}

__poll_t smc_data_poll(struct smc_sock *smc)
{
	struct smc_conn *conn = &smc->conn;
	struct sock *sk = &smc->sk;
	u8 peer = smc_peer_flags(conn);
	__poll_t mask = 0;

	bool rx_done, reset;

	/* A reset not yet taken in: once it is, sk_err and sk_shutdown
	 * tell, and the error goes from the mask once reported, as TCP's.
	 */
	reset = !READ_ONCE(conn->rx_kept) &&
		(READ_ONCE(conn->dead) || (peer & SMC_CDC_CF_CONN_ABORT));
	rx_done = (sk->sk_shutdown & RCV_SHUTDOWN) || (peer & SMC_PEER_EOF);
	/* As tcp_poll(): a reset is an error and a hang-up, readable and
	 * writable so that the next call reports it; a socket is hung up once
	 * neither side sends any more; a shut-down writer may write (and learn).
	 */
	if (sk->sk_err || reset)
		mask |= EPOLLHUP;
	/* A lost TCP connection's error is in sk_err from the start. */
	if (sk->sk_err || (reset && !READ_ONCE(conn->lost_err)))
		mask |= EPOLLERR;
	if (rx_done && (sk->sk_shutdown & SEND_SHUTDOWN))
		mask |= EPOLLHUP;
	/* A full ring is readable whatever the mark, an urgent byte ahead
	 * or not: the peer can add nothing (TCP's closed window).
	 */
	if (smc_rx_readable(smc) >= smc_rx_lowat(smc) ||
	    (conn->lgr && smc_conn_readable(conn) >= conn->rmb_ring) ||
	    rx_done || reset)
		mask |= EPOLLIN | EPOLLRDNORM;
	if (READ_ONCE(conn->urg_state) == SMC_URG_VALID)
		mask |= EPOLLPRI;
	if (rx_done || reset)
		mask |= EPOLLRDHUP;
	if (smc_conn_writable(conn) || (sk->sk_shutdown & SEND_SHUTDOWN) ||
	    (peer & SMC_PEER_GONE) || reset) {
		mask |= EPOLLOUT | EPOLLWRNORM;
	} else {
		/* As tcp_poll(): ask for the wake-up, then look again. */
		smc_tx_note_nospace(sk);
		if (smc_conn_writable(conn))
			mask |= EPOLLOUT | EPOLLWRNORM;
	}
	return mask;
}

int smc_data_shutdown(struct smc_sock *smc, int how)
{
	struct smc_conn *conn = &smc->conn;
	struct sock *sk = &smc->sk;
	bool tell;

	lock_sock(sk);
	if (smc_data_reset(smc)) {
		release_sock(sk);
		return -ENOTCONN;
	}
	tell = (how == SHUT_WR || how == SHUT_RDWR) &&
	       !(sk->sk_shutdown & SEND_SHUTDOWN);
	sk->sk_shutdown |= how + 1;
	/* TCP's FIN first: a peer woken by our CDC and answering at once
	 * then finds it there, to acknowledge (see smc_data_ack_peer_fin()).
	 */
	if (smc->tcp)
		kernel_sock_shutdown(smc->tcp, how);
	if (tell) {
		conn->tx_conn_flags |= SMC_CDC_CF_DONE_WRITING;
		/* A peer that closed has no DMB left and needs no news: TCP's
		 * FIN is all it gets, as on TCP. A peer out of reach shows on
		 * the next call.
		 */
		if (!(smc_peer_flags(conn) & SMC_CDC_CF_CONN_CLOSED) &&
		    smc_conn_send_cdc(smc) && !smc_data_peer_closed(smc))
			smc_data_unreachable(smc, false);
	}
	release_sock(sk);
	sk->sk_state_change(sk);
	return 0;
}

/* The orderly end of a connection with nothing left to read. Bytes the
 * peer writes from the look for unread ones on come for a closed socket,
 * which TCP answers with a reset: the signal path owes the peer an abort
 * for them (it sees us shut down both ways), here made good.
 */
static void smc_data_close_orderly(struct smc_sock *smc)
{
	struct smc_conn *conn = &smc->conn;
	bool owed;

	/* TCP's FIN before the CDC, as on shutdown: a peer that closes as
	 * soon as it sees our end then acknowledges the FIN with its own,
	 * three segments and not a simultaneous close's four.
	 */
	if (smc->tcp)
		kernel_sock_shutdown(smc->tcp, SHUT_WR);
	conn->tx_conn_flags |= SMC_CDC_CF_CONN_CLOSED;
	smc_conn_send_cdc(smc);
	/* Bytes whose signal is late, or not sent yet: the last look. What
	 * the peer writes after it is what it wrote before our end reached
	 * it, in the moment until the DMB goes.
	 */
	smc_conn_catch_up(smc);
	spin_lock_bh(&conn->lock);
	conn->dead = true;
	owed = conn->abort_owed;
	spin_unlock_bh(&conn->lock);
	if (owed)
		smc_conn_send_abort(smc);
}

/* Final close: tell the peer, abortively where TCP would reset (data left
 * unread, or SO_LINGER with a zero timeout), then give everything back.
 * Socket lock held.
 */
void smc_data_close(struct smc_sock *smc)
{
	struct smc_conn *conn = &smc->conn;
	bool over;

	if (!conn->lgr)
		return;
	/* Both ends ended their writing: the connection is over, and TCP
	 * closes such a one without a reset, bytes unread or SO_LINGER 0.
	 */
	over = (smc->sk.sk_shutdown & SEND_SHUTDOWN) &&
	       smc_data_peer_fin(smc);
	/* Before the look for unread bytes, see smc_data_close_orderly(). */
	WRITE_ONCE(smc->sk.sk_shutdown, SHUTDOWN_MASK);
	smc_conn_catch_up(smc);
	if (conn->dead ||
	    (!over && (smc_conn_readable(conn) ||
		       (sock_flag(&smc->sk, SOCK_LINGER) &&
			!smc->sk.sk_lingertime))))
		smc_conn_send_abort(smc);
	else
		smc_data_close_orderly(smc);
	smc_conn_release(smc);
}

int smc_data_ioctl(struct smc_sock *smc, unsigned int cmd, unsigned long arg)
{
	struct smc_conn *conn = &smc->conn;
	int answ;

	switch (cmd) {
	case SIOCINQ:
		answ = conn->lgr ? smc_rx_inq(smc) : 0;
		break;
	case SIOCOUTQ:
	case SIOCOUTQNSD:
		/* Bytes in the peer's ring it has not read yet. */
		answ = conn->lgr ? conn->peer_ring - smc_conn_writable(conn) : 0;
		break;
	case SIOCATMARK:
		answ = conn->lgr && smc_rx_mark(conn) == 0;
		break;
	default:
		return -ENOIOCTLCMD;
	}
	return put_user(answ, (int __user *)arg);
}
