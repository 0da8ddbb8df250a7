/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * AF_SMC socket monitoring over NETLINK_SOCK_DIAG (used by smcss).
 *
 * A dump request is a SOCK_DIAG_BY_FAMILY message carrying struct
 * smc_diag_req with diag_family = AF_SMC.  The reply has one
 * struct smc_diag_msg per socket, followed by route attributes of the
 * SMC_DIAG_* types below.  Optional attributes are asked for through
 * diag_ext, bit (type - 1) per attribute type.
 *
 * This is an ABI contract: names, values and structure layouts must stay
 * identical to the Linux 6.1 uapi header of the same name.  Fixed sizes
 * on x86-64 are noted next to each structure.
 */

/* Same guard as the in-kernel copy, so that only one copy is ever used. */
#ifndef _UAPI_SMC_DIAG_H_
#define _UAPI_SMC_DIAG_H_

#include <linux/types.h>
#include <linux/inet_diag.h>		/* struct inet_diag_sockid */
#include <rdma/ib_user_verbs.h>		/* IB_DEVICE_NAME_MAX */

/* Request (52 bytes) */
struct smc_diag_req {
	__u8	diag_family;		/* AF_SMC */
	__u8	pad[2];
	__u8	diag_ext;		/* bit (SMC_DIAG_x - 1) asks for x */
	struct inet_diag_sockid	id;	/* not used for filtering */
};

/*
 * Per-socket reply header (64 bytes).  The addresses, ports and
 * interface in id are those of the internal TCP socket; an IPv4 address
 * occupies the first word of src/dst with the rest zero.
 */
struct smc_diag_msg {
	__u8		diag_family;	/* AF_SMC */
	__u8		diag_state;	/* SMC socket state */
	union {
		__u8	diag_mode;	/* SMC_DIAG_MODE_* */
		__u8	diag_fallback;	/* older name of diag_mode */
	};
	__u8		diag_shutdown;
	struct inet_diag_sockid id;

	__u32		diag_uid;
	__aligned_u64	diag_inode;
};

/* Values of smc_diag_msg.diag_mode */
enum {
	SMC_DIAG_MODE_SMCR		= 0,	/* SMC over RDMA */
	SMC_DIAG_MODE_FALLBACK_TCP	= 1,	/* fell back to plain TCP */
	SMC_DIAG_MODE_SMCD		= 2,	/* SMC over ISM */
};

/* Route attribute types following struct smc_diag_msg */
enum {
	SMC_DIAG_NONE		= 0,
	SMC_DIAG_CONNINFO	= 1,	/* struct smc_diag_conninfo */
	SMC_DIAG_LGRINFO	= 2,	/* struct smc_diag_lgrinfo */
	SMC_DIAG_SHUTDOWN	= 3,	/* u8: shutdown bits */
	SMC_DIAG_DMBINFO	= 4,	/* struct smcd_diag_dmbinfo */
	SMC_DIAG_FALLBACK	= 5,	/* struct smc_diag_fallback */
	__SMC_DIAG_MAX		= 6,
};

#define SMC_DIAG_MAX		(__SMC_DIAG_MAX - 1)

/* Position in a ring buffer: number of wraps and offset (8 bytes) */
struct smc_diag_cursor {
	__u16	reserved;
	__u16	wrap;
	__u32	count;
};

/* SMC_DIAG_CONNINFO: state of an SMC connection (76 bytes) */
struct smc_diag_conninfo {
	__u32			token;		/* connection token */
	__u32			sndbuf_size;	/* local send buffer */
	__u32			rmbe_size;	/* local receive buffer */
	__u32			peer_rmbe_size;	/* peer's receive buffer */

	/* cursors into our receive buffer, as last received from peer */
	struct smc_diag_cursor	rx_prod;
	struct smc_diag_cursor	rx_cons;
	/* cursors into the peer's receive buffer, as last sent */
	struct smc_diag_cursor	tx_prod;
	struct smc_diag_cursor	tx_cons;

	/* flag bytes of the last received and sent CDC messages */
	__u8			rx_prod_flags;
	__u8			rx_conn_state_flags;
	__u8			tx_prod_flags;
	__u8			tx_conn_state_flags;

	/* cursors into our send buffer */
	struct smc_diag_cursor	tx_prep;	/* filled by the application */
	struct smc_diag_cursor	tx_sent;	/* written to the peer */
	struct smc_diag_cursor	tx_fin;		/* confirmed by the peer */
};

/* One SMC-R link (146 bytes) */
struct smc_diag_linkinfo {
	__u8	link_id;
	__u8	ibname[IB_DEVICE_NAME_MAX];	/* RDMA device name */
	__u8	ibport;				/* RDMA device port */
	__u8	gid[40];			/* local GID, text */
	__u8	peer_gid[40];			/* peer GID, text */
};

/* SMC_DIAG_LGRINFO: SMC-R link group of the socket (147 bytes) */
struct smc_diag_lgrinfo {
	struct smc_diag_linkinfo	lnk[1];
	__u8				role;	/* 0 client, 1 server */
};

/* SMC_DIAG_FALLBACK: why the socket uses TCP (8 bytes) */
struct smc_diag_fallback {
	__u32	reason;			/* local reason code */
	__u32	peer_diagnosis;		/* reason code sent by the peer */
};

/* SMC_DIAG_DMBINFO: SMC-D buffers of the socket (40 bytes) */
struct smcd_diag_dmbinfo {
	__u32		linkid;		/* link group ID */
	__aligned_u64	peer_gid;
	__aligned_u64	my_gid;
	__aligned_u64	token;		/* token of our DMB */
	__aligned_u64	peer_token;	/* token of the peer's DMB element */
};

#endif /* _UAPI_SMC_DIAG_H_ */
