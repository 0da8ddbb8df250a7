/* SPDX-License-Identifier: GPL-2.0 */
/*
 * smc-ng: an SMC-D connection and its link group.
 *
 * Each end owns one DMB (the "RMB" of the protocol): the peer writes a CDC
 * header at offset 0 and data into the ring behind it, and signals. We
 * write into the peer's DMB the same way, through an attached view of it
 * where the device can share memory (no copy), with move_data otherwise.
 */
#ifndef _SMC_CONN_H
#define _SMC_CONN_H

#include <linux/list.h>
#include <linux/smcd_device.h>
#include <linux/spinlock.h>

#include <net/net_namespace.h>

#include "smc_cdc_wire.h"
#include "smc_clc_wire.h"

/* DMB sizes: as the in-tree stack, 16 KiB up to 1 MiB for SMC-D. */
#define SMCD_DMB_MIN	(16 * 1024)
#define SMCD_DMB_MAX	(1024 * 1024)
/* Staging for devices that cannot share the peer's memory. */
#define SMC_CONN_BOUNCE	(16 * 1024)

/* All connections between this host's device and one peer GID, per role. */
/* All connections between this host's device and one peer GID, per role
 * and network namespace: namespaces never share a link group, so that
 * neither sees the other's in a dump nor shares its fate.
 */
struct smcd_lgr {
	struct list_head	node;		/* smcd_lgr_list */
	struct smcd_device	*dev;		/* holds a user reference */
	possible_net_t		net;		/* its sockets hold the netns */
	struct smcd_gid		peer_gid;
	u32			id;		/* link id on the wire */
	bool			server;
	struct list_head	conns;		/* smc_conn.lgr_node */
	int			nconns;		/* members, some still joining */

	/* What the first contact told us, for administrators. */
	bool			peer_known;
	u8			peer_os;
	u8			peer_release;
	u8			neg_eid[SMC_CLC_EID_LEN];
	u8			peer_host[SMC_CLC_HOSTNAME_LEN];
};

/* A link group as netlink reports it; @dev is referenced. */
struct smcd_lgr_info {
	struct smcd_device	*dev;
	struct smcd_gid		peer_gid;
	u32			id;
	u32			nconns;
	bool			server;
	bool			peer_known;
	u8			peer_os;
	u8			peer_release;
	u8			neg_eid[SMC_CLC_EID_LEN];
	u8			peer_host[SMC_CLC_HOSTNAME_LEN];
};

struct smc_sock;

struct smc_conn {
	struct smcd_lgr		*lgr;		/* NULL: no SMC-D connection */
	struct list_head	lgr_node;
	struct smcd_buf		rmb;		/* ours; the peer writes here */
	u32			rmb_ring;	/* its data bytes */
	bool			rmb_live;	/* registered with the device */
	u32			diag_token;	/* sock_diag's name for it, != 0 */

	u64			peer_token;
	u32			peer_ring;
	struct smcd_buf		peer_view;	/* the peer's DMB, attached */
	bool			peer_attached;
	void			*bounce;	/* staging for move_data */

	/* Cursors and flags; lock also orders us against the signal path. */
	spinlock_t		lock;
	struct smc_cursor	rx_prod;	/* the peer wrote up to here */
	struct smc_cursor	rx_cons;	/* we have read up to here */
	struct smc_cursor	rx_cons_sent;	/* last rx_cons we reported */
	u8			rx_prod_flags;	/* from the peer's last CDC */
	u8			rx_conn_flags;	/* sticky SMC_CDC_CF_* of the peer */
	struct smc_cursor	tx_prod;	/* we wrote up to here */
	struct smc_cursor	tx_cons;	/* the peer has read up to here */
	u8			tx_prod_flags;
	u8			tx_conn_flags;	/* sticky SMC_CDC_CF_* we sent */
	bool			dead;		/* device gone or peer broke rules */
	bool			rx_kept;	/* ended, our DMB kept for reading */
	int			lost_err;	/* or TCP lost the peer: its error */
	/* Only readers asleep in recvmsg() wait here, for the peer's early
	 * wake-up (smc_conn_wake_reader_early()).
	 */
	wait_queue_head_t	rx_early;

	/* Urgent data received, as TCP keeps it: the byte before urg_curs
	 * is urgent; VALID until read with MSG_OOB, then READ, and forgotten
	 * once the reader has passed it.
	 */
	u8			urg_state;	/* SMC_URG_* */
	u8			urg_byte;
	struct smc_cursor	urg_curs;
	/* Bytes at rx_cons that are in no stream any more: urgent bytes
	 * the reader sat on when a later one came, which TCP steps over at
	 * once (tcp_check_urg()). Readers step over them first.
	 */
	u32			urg_dead;
	bool			abort_owed;	/* the peer is to hear of it */
	bool			rx_broken;	/* nothing it wrote is read */

	spinlock_t		cdc_lock;	/* one CDC write at a time */
	struct work_struct	cdc_work;	/* window update from atomic context */

	/* Written but not yet announced: MSG_MORE or TCP_CORK hold the CDC
	 * back, as TCP holds its segments, for at most SMC_CORK_MAX.
	 */
	bool			tx_held;
	struct delayed_work	cork_work;

	/* A writer waiting for space has the peer probed, see smc_probe.c. */
	bool			tx_probing;
	unsigned long		tx_blocked_at;	/* jiffies */
	struct delayed_work	probe_work;
	struct {
		int		time, intvl;
		u8		probes;
	} probe_saved;		/* the TCP socket's keepalive settings */
};

enum {
	SMC_URG_NONE,
	SMC_URG_VALID,
	SMC_URG_READ,
};

/* smc_conn.c */
int smc_conn_module_init(void);
void smc_conn_module_exit(void);
void smc_conn_init(struct smc_sock *smc);
int smc_conn_create(struct smc_sock *smc, struct smcd_device *dev,
		    const struct smcd_gid *peer_gid, bool server,
		    bool *first_contact);
int smc_conn_connect_peer(struct smc_sock *smc, u64 peer_token,
			  u32 peer_dmb_len);
bool smc_conn_peer_left(struct smc_sock *smc);
void smc_conn_release(struct smc_sock *smc);
void smc_conn_abort(struct smc_sock *smc, int err);
void smc_conn_abort_keep_rx(struct smc_sock *smc, int err);
void smc_conn_tcp_lost(struct smc_sock *smc, int err);
int smc_conn_send_cdc(struct smc_sock *smc);
void smc_conn_catch_up(struct smc_sock *smc);
void smc_conn_send_abort(struct smc_sock *smc);
u32 smc_conn_readable(struct smc_conn *conn);

/* The ring as a reader sees it. Taken in one look under conn->lock: a
 * signal may move the urgent mark on and send the byte under it out of
 * the stream at once, and a reader that saw the mark moved but not that
 * byte gone would read the byte as data.
 */
struct smc_rx_view {
	u32	dead;	/* the first bytes, which left the stream */
	u32	avail;	/* the bytes after them */
	int	mark;	/* of those, the bytes before the urgent one; -1: none */
};

u32 smc_conn_look(struct smc_conn *conn, struct smc_rx_view *l);
/* What the peer of a connection held back from accept() has done. */
enum smc_rx_news {
	SMC_RX_NOTHING,
	SMC_RX_NEWS,		/* bytes, or its orderly end */
	SMC_RX_GONE,		/* reset or lost before either */
};

enum smc_rx_news smc_conn_rx_news(struct smc_conn *conn);
u32 smc_conn_writable(struct smc_conn *conn);
u8 smc_dmb_size_code(u32 len);
void smcd_lgr_note_peer(struct smcd_lgr *lgr, const u8 *eid,
			const struct smc_clc_fce_info *fce);
int smcd_lgr_info_nth(struct net *net, long n, struct smcd_lgr_info *info);
u32 smcd_lgr_count(struct net *net, struct smcd_device *dev);

/* smc_data.c */
int smc_data_sendmsg(struct smc_sock *smc, struct msghdr *msg, size_t len);
int smc_data_recvmsg(struct smc_sock *smc, struct msghdr *msg, size_t len,
		     int flags);
__poll_t smc_data_poll(struct smc_sock *smc);
int smc_data_shutdown(struct smc_sock *smc, int how);
bool smc_data_reset(struct smc_sock *smc);
bool smc_data_peer_fin(struct smc_sock *smc);
int smc_data_disconnect(struct smc_sock *smc);
void smc_data_disconnected(struct smc_sock *smc);
void smc_data_uncork(struct smc_sock *smc, bool nodelay_on);
void smc_data_cork_work(struct work_struct *work);
void smc_data_close(struct smc_sock *smc);
int smc_data_ioctl(struct smc_sock *smc, unsigned int cmd, unsigned long arg);

/* smc_probe.c */
void smc_probe_work(struct work_struct *work);
void smc_probe_arm(struct smc_sock *smc);
bool smc_probe_keepalive_opt(struct smc_sock *smc, int optname, int *val);
void smc_probe_space(struct smc_sock *smc);
void smc_probe_stop(struct smc_sock *smc);

#endif /* _SMC_CONN_H */
