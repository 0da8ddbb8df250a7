/* SPDX-License-Identifier: GPL-2.0 */
/*
 * smc-ng: the AF_SMC socket.
 *
 * Every AF_SMC socket owns an internal kernel TCP socket. The TCP socket
 * carries the CLC handshake and, when no shared-memory path can be agreed
 * on, the application's data (fallback). The host TCP stack therefore keeps
 * owning the 4-tuple: routing, netfilter, ss and namespaces see plain TCP.
 */
#ifndef _SMC_SOCK_H
#define _SMC_SOCK_H

#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/timer.h>
#include <linux/workqueue.h>
#include <net/inet_sock.h>
#include <net/sock.h>

#include "smc_clc_wire.h"
#include "smc_conn.h"

#define SMCPROTO_SMC	0	/* AF_SMC socket over IPv4 */
#define SMCPROTO_SMC6	1	/* AF_SMC socket over IPv6 */

/* Socket states. The values are ABI: sock_diag reports sk_state and smcss
 * decodes it with these numbers.
 */
enum smc_sk_state {
	SMC_INIT		= 2,	/* created, connecting */
	SMC_LISTEN		= 10,
	SMC_ACTIVE		= 1,	/* connected */
	/* we closed first and wait for the peer */
	SMC_PEERCLOSEWAIT1	= 20,	SMC_PEERCLOSEWAIT2	= 21,
	SMC_PEERFINCLOSEWAIT	= 25,
	/* the peer closed first and waits for the application */
	SMC_APPCLOSEWAIT1	= 22,	SMC_APPCLOSEWAIT2	= 23,
	SMC_APPFINCLOSEWAIT	= 24,
	/* aborting, and done */
	SMC_PEERABORTWAIT	= 26,	SMC_PROCESSABORT	= 27,
	SMC_CLOSED		= 7,
};

/* Where an active open stands; changed under the socket lock. */
enum smc_connect_phase {
	SMC_CONNECT_IDLE,	/* connect() not called yet */
	SMC_CONNECT_TCP,	/* SYN sent, waiting for the TCP handshake */
	SMC_CONNECT_DONE,	/* connected (SMC or fallback) or failed */
};

struct smc_hs_mem;

/* The devices a client's PROPOSAL offers, referenced while it is built. */
struct smc_offer_devs {
	struct smcd_device	*dev[SMC_CLC_MAX_ISM_GIDS];
	int			cnt;
};

/* The devices a client's PROPOSAL offered, by serial: no reference is
 * held while the server thinks, so that a device can go away meanwhile.
 */
struct smc_offer {
	u64			serial[SMC_CLC_MAX_ISM_GIDS];
	u16			chid[SMC_CLC_MAX_ISM_GIDS];
	int			cnt;
};

/* Which CLC message a negotiating server child waits for. */
enum smc_hs_phase {
	SMC_HS_PROPOSAL,
	SMC_HS_CONFIRM,
};

/* Which saved TCP callbacks are in place, see smc_tcp_hook(). */
enum smc_tcp_role {
	SMC_TCP_UNHOOKED,
	SMC_TCP_CONNECTING,	/* state changes drive connect_work */
	SMC_TCP_LISTENING,	/* new connections drive accept_work */
	SMC_TCP_HANDSHAKE,	/* CLC bytes drive handshake_work */
	SMC_TCP_WATCH,		/* over SMC-D: TCP's errors end the connection */
	SMC_TCP_DEFERRED,	/* over TCP, held back: bytes or an end drive
				 * handshake_work (see smc_listen_defer_time())
				 */
};

struct smc_sock {
	/* Must be first: smc_sk() casts. An IPPROTO_SMC socket is made by
	 * inet_create()/inet6_create(), which use it as an inet_sock.
	 */
	union {
		struct sock		sk;
		struct inet_sock	inet;
	};
	struct socket		*tcp;	/* internal TCP socket, NULL once released */
	/* The destructor of whoever made the sock (sock_init_data(), or the
	 * inet layer for IPPROTO_SMC); ours runs it last.
	 */
	void			(*family_destruct)(struct sock *sk);

	/* The shared-memory connection; conn.lgr is NULL without one. */
	struct smc_conn		conn;

	/* Fallback bookkeeping; reason codes are the CLC decline codes. */
	bool			fallback;
	bool			is_server;
	u32			fallback_reason;
	u32			peer_diagnosis;

	/* Active open */
	enum smc_connect_phase	connect_phase;
	struct work_struct	connect_work;
	bool			connect_inline;	/* connect() negotiates itself */
	bool			hs_busy;	/* someone awaits the answer */
	u32			connect_gen;	/* attempts given up, see
						 * smc_connect_abandon()
						 */
	struct smc_offer	hs_offer;	/* until answered */
	unsigned long		hs_wait_end;	/* for the answer, see */
	unsigned long		hs_deadline;	/* smc_client_finish() */

	/* Passive open: the listener side */
	struct list_head	accept_queue;	/* children ready for accept() */
	struct list_head	defer_queue;	/* children held back */
	spinlock_t		accept_lock;	/* both queues and counts */
	unsigned int		accept_queued;
	unsigned int		accept_deferred;
	atomic_t		handshakes;	/* children still negotiating */
	struct work_struct	accept_work;	/* drains the TCP accept queue */
	struct timer_list	accept_timer;	/* a late take, see smc_listen.c */
	/* Counts the times it stopped listening; a child notes the count
	 * it was taken under, so that one whose handshake outlives a stop
	 * never lands in the queue of a later listen().
	 */
	unsigned int		listen_epoch;

	/* Passive open: a child while it negotiates and waits in the queue */
	struct smc_sock		*listener;
	struct list_head	accept_node;
	struct work_struct	handshake_work;
	struct timer_list	handshake_timer;
	bool			handshake_expired;
	enum smc_hs_phase	hs_phase;
	bool			defer;		/* TCP_DEFER_ACCEPT on then */
	unsigned long		defer_from;	/* when TCP handed it over */
	bool			deferred;	/* in the listener's defer_queue */

	/* Either side while CLC messages are exchanged, see smc_handshake.c */
	struct smc_hs_mem	*hs_mem;
	unsigned int		rx_used;	/* bytes of CLC message read */

	/* TCP callbacks saved while we chain into the TCP socket's events */
	enum smc_tcp_role	tcp_role;
	void			(*tcp_data_ready)(struct sock *sk);
	void			(*tcp_write_space)(struct sock *sk);
	void			(*tcp_state_change)(struct sock *sk);
	void			(*tcp_error_report)(struct sock *sk);
	/* after a fallback: passes TCP's wake-ups on to our wait queue */
	struct wait_queue_entry	relay;
	bool			relaying;

	/* SOL_SMC options */
	bool			limit_hs;

	int			bound_dev_if;	/* as last agreed with TCP */

	u64			list_seq;	/* position in the socket list */
};

static inline struct smc_sock *smc_sk(const struct sock *sk)
{
	return (struct smc_sock *)sk;
}

/* @tsk is our own TCP socket, not one of a listener's connections that
 * carries its hooks. Those connections' events run under their own locks
 * and may find the listener closing: its TCP socket detached (NULL) but
 * not yet released, which waits for them.
 */
static inline bool smc_tcp_is_own(const struct smc_sock *smc,
				  const struct sock *tsk)
{
	const struct socket *tcp = READ_ONCE(smc->tcp);

	return tcp && tcp->sk == tsk;
}

/* Data moves through shared memory (as opposed to TCP). */
static inline bool smc_uses_smcd(const struct smc_sock *smc)
{
	return !smc->fallback && smc->conn.lgr;
}

/* All sockets of one proto, for sock_diag (struct proto's h.smc_hash),
 * newest first. Each socket gets the next @last_seq when listed, so that a
 * dump resumes after the last socket it reported however the list changed
 * in between.
 */
struct smc_hashinfo {
	rwlock_t		lock;
	struct hlist_head	ht;
	u64			last_seq;
};

extern struct proto smc_proto;
extern struct proto smc_proto6;
extern struct workqueue_struct *smc_hs_wq;
extern struct workqueue_struct *smc_connect_wq;

/* smc_sock.c */
extern struct smc_hashinfo smc_v4_sockets;
extern struct smc_hashinfo smc_v6_sockets;
int smc_sock_list(struct sock *sk);
void smc_sock_unlist(struct sock *sk);
void smc_set_keepalive(struct sock *sk, int on);

/* Every SMC proto, AF_SMC's and IPPROTO_SMC's (smc_inet.c), is this one
 * with its own name, object size, init and destroy; the protos of one IP
 * version share a socket list, so that sock_diag reports every SMC socket.
 */
#define SMC_PROTO(proto_name, list, size, init_fn, destroy_fn) {	\
	.name = proto_name, .h.smc_hash = list,			\
	.obj_size = size,					\
	.init = init_fn, .destroy = destroy_fn,			\
	.slab_flags = SLAB_TYPESAFE_BY_RCU,			\
	.hash = smc_sock_list, .unhash = smc_sock_unlist,	\
	.keepalive = smc_set_keepalive, .owner = THIS_MODULE,	\
}

void smc_sock_setup(struct sock *sk);
int smc_sock_open_tcp(struct smc_sock *smc, int family);
struct sock *smc_sock_alloc_child(const struct sock *lsk);
int smc_sock_create(struct net *net, struct socket *sock, int protocol,
		    int kern);
void smc_sock_release_tcp(struct smc_sock *smc);
extern const struct proto_ops smc_stream_ops;
extern const struct proto_ops smc_inet_stream_ops;
extern const struct proto_ops smc_inet6_stream_ops;

/* smc_inet.c */
int smc_inet_init(void);
int smc_inet_open(void);
void smc_inet_close(void);
void smc_inet_exit(void);
void smc_inet_child_init(struct sock *sk, const struct sock *lsk);

/* smc_fallback.c */
int smc_fallback_init(void);
void smc_fallback_switch(struct smc_sock *smc, u32 reason, u32 peer_diag);
void smc_fallback_attach_file(struct smc_sock *smc);
void smc_tcp_hook(struct smc_sock *smc, enum smc_tcp_role role);
void smc_tcp_watch(struct smc_sock *smc);
void smc_fallback_relay_stop(struct smc_sock *smc);
void smc_tcp_unhook(struct smc_sock *smc);
bool smc_tcp_hooked(const struct sock *tsk);
void smc_sockopts_to_tcp(struct smc_sock *smc);
void smc_sockopts_derived_from_tcp(struct smc_sock *smc);
void smc_sockopts_inherit(struct smc_sock *child, const struct sock *lsk);

/* smc_connect.c */
int smc_connect(struct socket *sock, struct sockaddr *addr, int alen,
		int flags);
void smc_connect_work(struct work_struct *work);
bool smc_connect_shutdown(struct smc_sock *smc, int how, int *rc);

/* smc_listen.c */
int smc_listen(struct socket *sock, int backlog);
int smc_accept(struct socket *sock, struct socket *newsock, int flags,
	       bool kern);
void smc_listen_stop(struct smc_sock *lsmc);
void smc_listen_defer_retime(struct smc_sock *lsmc);
void smc_accept_work(struct work_struct *work);
void smc_accept_late(struct timer_list *t);
void smc_listen_tcp_event(struct smc_sock *lsmc, struct sock *tsk,
			  __poll_t mask);
void smc_handshake_work(struct work_struct *work);
void smc_handshake_expire(struct timer_list *t);
void smc_child_kick(struct smc_sock *child);
__poll_t smc_listen_poll(struct smc_sock *lsmc);
int smc_listen_shutdown(struct smc_sock *lsmc, int how);

/* smc_handshake.c */
/* A client handshake stopped early (it goes on later), or found its
 * attempt ended by someone else meanwhile, see smc_client_finish().
 */
#define SMC_HS_PAUSED	1
#define SMC_HS_ENDED	2
int smc_client_offer(struct smc_sock *smc);
bool smc_clc_readable(struct sock *tsk);
int smc_client_finish(struct smc_sock *smc, long *timeo);
void smc_client_drop_offer(struct smc_sock *smc);
int smc_server_negotiate(struct smc_sock *smc);
void smc_clc_hostname(u8 *out);

#endif /* _SMC_SOCK_H */
