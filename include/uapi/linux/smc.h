/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * AF_SMC (Shared Memory Communications) user-space interface of smc-ng:
 * the two generic netlink families of the SMC module and the SOL_SMC
 * socket option numbers.
 *
 * This is a wire and ABI contract.  Every name and every value below
 * must stay identical to the Linux 6.1 uapi header of the same name, so
 * that existing tools (smc-tools: smcd, smcr, smc_pnet, ...) keep working
 * unchanged.  Enum members carry explicit values to make review against
 * that contract easy; tools/testing/selftests/net/smc/unit/uapi_abi_test
 * compares them with the distribution's header.
 *
 * Not in here (on purpose, as in upstream):
 *  - SOL_SMC comes from <linux/socket.h>,
 *  - the socket() protocol numbers for AF_SMC (0 for IPv4, 1 for IPv6)
 *    are not part of the uapi; programs define them themselves.
 */

/*
 * The guard is spelled like the in-kernel copy of this header so that a
 * translation unit can never pick up both ours and the kernel's.
 */
#ifndef _UAPI_LINUX_SMC_H_
#define _UAPI_LINUX_SMC_H_

/*
 * ---------------------------------------------------------------------
 * Generic netlink family "SMC_PNETID": the PNET table, which maps
 * network interfaces and RDMA device ports to physical network IDs.
 * ---------------------------------------------------------------------
 */
#define SMCR_GENL_FAMILY_NAME		"SMC_PNETID"
#define SMCR_GENL_FAMILY_VERSION	1

/* Commands of "SMC_PNETID" */
enum {
	SMC_PNETID_GET		= 1,	/* dump or look up one entry */
	SMC_PNETID_ADD		= 2,
	SMC_PNETID_DEL		= 3,
	SMC_PNETID_FLUSH	= 4,
};

/* Attributes of "SMC_PNETID" requests and replies (all top level) */
enum {
	SMC_PNETID_UNSPEC	= 0,
	SMC_PNETID_NAME		= 1,	/* string: the PNET ID */
	SMC_PNETID_ETHNAME	= 2,	/* string: network interface name */
	SMC_PNETID_IBNAME	= 3,	/* string: RDMA device name */
	SMC_PNETID_IBPORT	= 4,	/* u8: RDMA device port */
	__SMC_PNETID_MAX	= 5,
	SMC_PNETID_MAX		= __SMC_PNETID_MAX - 1
};

/*
 * ---------------------------------------------------------------------
 * Generic netlink family "SMC_GEN_NETLINK": read-only state of the SMC
 * module (devices, link groups, links, statistics) and the EID tables.
 * ---------------------------------------------------------------------
 */
#define SMC_GENL_FAMILY_NAME		"SMC_GEN_NETLINK"
#define SMC_GENL_FAMILY_VERSION		1

/* Sizes of strings and tables carried by the family */
#define SMC_PCI_ID_STR_LEN		16	/* PCI ID string, w/o NUL */
#define SMC_MAX_HOSTNAME_LEN		32	/* host name, w/o NUL */
#define SMC_MAX_UEID			4	/* user-defined EIDs */
#define SMC_MAX_EID_LEN			32	/* one EID, w/o NUL */

/* Commands of "SMC_GEN_NETLINK" */
enum {
	SMC_NETLINK_GET_SYS_INFO		= 1,
	SMC_NETLINK_GET_LGR_SMCR		= 2,
	SMC_NETLINK_GET_LINK_SMCR		= 3,
	SMC_NETLINK_GET_LGR_SMCD		= 4,
	SMC_NETLINK_GET_DEV_SMCD		= 5,
	SMC_NETLINK_GET_DEV_SMCR		= 6,
	SMC_NETLINK_GET_STATS			= 7,
	SMC_NETLINK_GET_FBACK_STATS		= 8,
	SMC_NETLINK_DUMP_UEID			= 9,
	SMC_NETLINK_ADD_UEID			= 10,
	SMC_NETLINK_REMOVE_UEID			= 11,
	SMC_NETLINK_FLUSH_UEID			= 12,
	SMC_NETLINK_DUMP_SEID			= 13,
	SMC_NETLINK_ENABLE_SEID			= 14,
	SMC_NETLINK_DISABLE_SEID		= 15,
	SMC_NETLINK_DUMP_HS_LIMITATION		= 16,
	SMC_NETLINK_ENABLE_HS_LIMITATION	= 17,
	SMC_NETLINK_DISABLE_HS_LIMITATION	= 18,
};

/*
 * Top level attributes of "SMC_GEN_NETLINK" replies.  Each one is a
 * nest holding the attributes of one of the enums that follow.
 */
enum {
	SMC_GEN_UNSPEC		= 0,
	SMC_GEN_SYS_INFO	= 1,	/* SMC_NLA_SYS_* */
	SMC_GEN_LGR_SMCR	= 2,	/* SMC_NLA_LGR_R_* */
	SMC_GEN_LINK_SMCR	= 3,	/* SMC_NLA_LINK_* */
	SMC_GEN_LGR_SMCD	= 4,	/* SMC_NLA_LGR_D_* */
	SMC_GEN_DEV_SMCD	= 5,	/* SMC_NLA_DEV_* */
	SMC_GEN_DEV_SMCR	= 6,	/* SMC_NLA_DEV_* */
	SMC_GEN_STATS		= 7,	/* SMC_NLA_STATS_* */
	SMC_GEN_FBACK_STATS	= 8,	/* SMC_NLA_FBACK_STATS_* */
	__SMC_GEN_MAX		= 9,
	SMC_GEN_MAX		= __SMC_GEN_MAX - 1
};

/* Inside SMC_GEN_SYS_INFO: what this host supports */
enum {
	SMC_NLA_SYS_UNSPEC	= 0,
	SMC_NLA_SYS_VER		= 1,	/* u8: SMC version */
	SMC_NLA_SYS_REL		= 2,	/* u8: SMC release */
	SMC_NLA_SYS_IS_ISM_V2	= 3,	/* u8: SMC-D v2 capable */
	SMC_NLA_SYS_LOCAL_HOST	= 4,	/* string: host name */
	SMC_NLA_SYS_SEID	= 5,	/* string: system EID */
	SMC_NLA_SYS_IS_SMCR_V2	= 6,	/* u8: SMC-R v2 capable */
	__SMC_NLA_SYS_MAX	= 7,
	SMC_NLA_SYS_MAX		= __SMC_NLA_SYS_MAX - 1
};

/*
 * Inside SMC_NLA_LGR_R_V2_COMMON and SMC_NLA_LGR_D_V2_COMMON: the SMCv2
 * properties negotiated for a link group.  Unlike every other attribute
 * set here, this one has no UNSPEC slot and starts at 0.
 */
enum {
	SMC_NLA_LGR_V2_VER		= 0,	/* u8 */
	SMC_NLA_LGR_V2_REL		= 1,	/* u8 */
	SMC_NLA_LGR_V2_OS		= 2,	/* u8: peer OS type */
	SMC_NLA_LGR_V2_NEG_EID		= 3,	/* string: negotiated EID */
	SMC_NLA_LGR_V2_PEER_HOST	= 4,	/* string: peer host name */
	__SMC_NLA_LGR_V2_MAX		= 5,
	SMC_NLA_LGR_V2_MAX		= __SMC_NLA_LGR_V2_MAX - 1
};

/* Inside SMC_NLA_LGR_R_V2: SMC-R v2 specifics of a link group */
enum {
	SMC_NLA_LGR_R_V2_UNSPEC		= 0,
	SMC_NLA_LGR_R_V2_DIRECT		= 1,	/* u8: peer directly reachable */
	__SMC_NLA_LGR_R_V2_MAX		= 2,
	SMC_NLA_LGR_R_V2_MAX		= __SMC_NLA_LGR_R_V2_MAX - 1
};

/* Inside SMC_GEN_LGR_SMCR: one SMC-R link group */
enum {
	SMC_NLA_LGR_R_UNSPEC		= 0,
	SMC_NLA_LGR_R_ID		= 1,	/* u32 */
	SMC_NLA_LGR_R_ROLE		= 2,	/* u8: client or server */
	SMC_NLA_LGR_R_TYPE		= 3,	/* u8: link redundancy type */
	SMC_NLA_LGR_R_PNETID		= 4,	/* string */
	SMC_NLA_LGR_R_VLAN_ID		= 5,	/* u8 */
	SMC_NLA_LGR_R_CONNS_NUM		= 6,	/* u32 */
	SMC_NLA_LGR_R_V2_COMMON		= 7,	/* nest: SMC_NLA_LGR_V2_* */
	SMC_NLA_LGR_R_V2		= 8,	/* nest: SMC_NLA_LGR_R_V2_* */
	SMC_NLA_LGR_R_NET_COOKIE	= 9,	/* u64 */
	SMC_NLA_LGR_R_PAD		= 10,	/* alignment padding */
	SMC_NLA_LGR_R_BUF_TYPE		= 11,	/* u8 */
	__SMC_NLA_LGR_R_MAX		= 12,
	SMC_NLA_LGR_R_MAX		= __SMC_NLA_LGR_R_MAX - 1
};

/* Inside SMC_GEN_LINK_SMCR: one link of an SMC-R link group */
enum {
	SMC_NLA_LINK_UNSPEC		= 0,
	SMC_NLA_LINK_ID			= 1,	/* u8 */
	SMC_NLA_LINK_IB_DEV		= 2,	/* string: RDMA device */
	SMC_NLA_LINK_IB_PORT		= 3,	/* u8 */
	SMC_NLA_LINK_GID		= 4,	/* string */
	SMC_NLA_LINK_PEER_GID		= 5,	/* string */
	SMC_NLA_LINK_CONN_CNT		= 6,	/* u32 */
	SMC_NLA_LINK_NET_DEV		= 7,	/* u32: ifindex */
	SMC_NLA_LINK_UID		= 8,	/* u32 */
	SMC_NLA_LINK_PEER_UID		= 9,	/* u32 */
	SMC_NLA_LINK_STATE		= 10,	/* u32 */
	__SMC_NLA_LINK_MAX		= 11,
	SMC_NLA_LINK_MAX		= __SMC_NLA_LINK_MAX - 1
};

/* Inside SMC_GEN_LGR_SMCD: one SMC-D link group */
enum {
	SMC_NLA_LGR_D_UNSPEC		= 0,
	SMC_NLA_LGR_D_ID		= 1,	/* u32 */
	SMC_NLA_LGR_D_GID		= 2,	/* u64 */
	SMC_NLA_LGR_D_PEER_GID		= 3,	/* u64 */
	SMC_NLA_LGR_D_VLAN_ID		= 4,	/* u8 */
	SMC_NLA_LGR_D_CONNS_NUM		= 5,	/* u32 */
	SMC_NLA_LGR_D_PNETID		= 6,	/* string */
	SMC_NLA_LGR_D_CHID		= 7,	/* u16 */
	SMC_NLA_LGR_D_PAD		= 8,	/* alignment padding */
	SMC_NLA_LGR_D_V2_COMMON		= 9,	/* nest: SMC_NLA_LGR_V2_* */
	__SMC_NLA_LGR_D_MAX		= 10,
	SMC_NLA_LGR_D_MAX		= __SMC_NLA_LGR_D_MAX - 1
};

/* Inside SMC_NLA_DEV_PORT and SMC_NLA_DEV_PORT2: one device port */
enum {
	SMC_NLA_DEV_PORT_UNSPEC		= 0,
	SMC_NLA_DEV_PORT_PNET_USR	= 1,	/* u8: PNET ID set by user */
	SMC_NLA_DEV_PORT_PNETID		= 2,	/* string */
	SMC_NLA_DEV_PORT_NETDEV		= 3,	/* u32: ifindex */
	SMC_NLA_DEV_PORT_STATE		= 4,	/* u8 */
	SMC_NLA_DEV_PORT_VALID		= 5,	/* u8 */
	SMC_NLA_DEV_PORT_LNK_CNT	= 6,	/* u32 */
	__SMC_NLA_DEV_PORT_MAX		= 7,
	SMC_NLA_DEV_PORT_MAX		= __SMC_NLA_DEV_PORT_MAX - 1
};

/* Inside SMC_GEN_DEV_SMCD and SMC_GEN_DEV_SMCR: one device */
enum {
	SMC_NLA_DEV_UNSPEC		= 0,
	SMC_NLA_DEV_USE_CNT		= 1,	/* u32 */
	SMC_NLA_DEV_IS_CRIT		= 2,	/* u8 */
	SMC_NLA_DEV_PCI_FID		= 3,	/* u32 */
	SMC_NLA_DEV_PCI_CHID		= 4,	/* u16 */
	SMC_NLA_DEV_PCI_VENDOR		= 5,	/* u16 */
	SMC_NLA_DEV_PCI_DEVICE		= 6,	/* u16 */
	SMC_NLA_DEV_PCI_ID		= 7,	/* string */
	SMC_NLA_DEV_PORT		= 8,	/* nest: SMC_NLA_DEV_PORT_* */
	SMC_NLA_DEV_PORT2		= 9,	/* nest: SMC_NLA_DEV_PORT_* */
	SMC_NLA_DEV_IB_NAME		= 10,	/* string */
	__SMC_NLA_DEV_MAX		= 11,
	SMC_NLA_DEV_MAX			= __SMC_NLA_DEV_MAX - 1
};

/*
 * Statistics.  SMC_GEN_STATS holds global counters and one nest per
 * technology (SMC-D, SMC-R); each of those holds histograms and
 * per-buffer counters, all u64.
 */

/* Inside SMC_GEN_STATS */
enum {
	SMC_NLA_STATS_PAD		= 0,
	SMC_NLA_STATS_SMCD_TECH		= 1,	/* nest: SMC_NLA_STATS_T_* */
	SMC_NLA_STATS_SMCR_TECH		= 2,	/* nest: SMC_NLA_STATS_T_* */
	SMC_NLA_STATS_CLNT_HS_ERR_CNT	= 3,	/* u64 */
	SMC_NLA_STATS_SRV_HS_ERR_CNT	= 4,	/* u64 */
	__SMC_NLA_STATS_MAX		= 5,
	SMC_NLA_STATS_MAX		= __SMC_NLA_STATS_MAX - 1
};

/* Inside SMC_NLA_STATS_SMCD_TECH and SMC_NLA_STATS_SMCR_TECH */
enum {
	SMC_NLA_STATS_T_PAD		= 0,
	SMC_NLA_STATS_T_TX_RMB_SIZE	= 1,	/* nest: SMC_NLA_STATS_PLOAD_* */
	SMC_NLA_STATS_T_RX_RMB_SIZE	= 2,	/* nest: SMC_NLA_STATS_PLOAD_* */
	SMC_NLA_STATS_T_TXPLOAD_SIZE	= 3,	/* nest: SMC_NLA_STATS_PLOAD_* */
	SMC_NLA_STATS_T_RXPLOAD_SIZE	= 4,	/* nest: SMC_NLA_STATS_PLOAD_* */
	SMC_NLA_STATS_T_TX_RMB_STATS	= 5,	/* nest: SMC_NLA_STATS_RMB_* */
	SMC_NLA_STATS_T_RX_RMB_STATS	= 6,	/* nest: SMC_NLA_STATS_RMB_* */
	SMC_NLA_STATS_T_CLNT_V1_SUCC	= 7,
	SMC_NLA_STATS_T_CLNT_V2_SUCC	= 8,
	SMC_NLA_STATS_T_SRV_V1_SUCC	= 9,
	SMC_NLA_STATS_T_SRV_V2_SUCC	= 10,
	SMC_NLA_STATS_T_SENDPAGE_CNT	= 11,
	SMC_NLA_STATS_T_SPLICE_CNT	= 12,
	SMC_NLA_STATS_T_CORK_CNT	= 13,
	SMC_NLA_STATS_T_NDLY_CNT	= 14,
	SMC_NLA_STATS_T_URG_DATA_CNT	= 15,
	SMC_NLA_STATS_T_RX_BYTES	= 16,
	SMC_NLA_STATS_T_TX_BYTES	= 17,
	SMC_NLA_STATS_T_RX_CNT		= 18,
	SMC_NLA_STATS_T_TX_CNT		= 19,
	__SMC_NLA_STATS_T_MAX		= 20,
	SMC_NLA_STATS_T_MAX		= __SMC_NLA_STATS_T_MAX - 1
};

/*
 * Histogram buckets, used inside SMC_NLA_STATS_T_{TX,RX}_RMB_SIZE and
 * SMC_NLA_STATS_T_{TX,RX}PLOAD_SIZE: one u64 counter per power-of-two
 * size class, the last one counting everything above 1 MiB.
 */
enum {
	SMC_NLA_STATS_PLOAD_PAD		= 0,
	SMC_NLA_STATS_PLOAD_8K		= 1,
	SMC_NLA_STATS_PLOAD_16K		= 2,
	SMC_NLA_STATS_PLOAD_32K		= 3,
	SMC_NLA_STATS_PLOAD_64K		= 4,
	SMC_NLA_STATS_PLOAD_128K	= 5,
	SMC_NLA_STATS_PLOAD_256K	= 6,
	SMC_NLA_STATS_PLOAD_512K	= 7,
	SMC_NLA_STATS_PLOAD_1024K	= 8,
	SMC_NLA_STATS_PLOAD_G_1024K	= 9,
	__SMC_NLA_STATS_PLOAD_MAX	= 10,
	SMC_NLA_STATS_PLOAD_MAX		= __SMC_NLA_STATS_PLOAD_MAX - 1
};

/* Inside SMC_NLA_STATS_T_{TX,RX}_RMB_STATS: buffer usage counters (u64) */
enum {
	SMC_NLA_STATS_RMB_PAD			= 0,
	SMC_NLA_STATS_RMB_SIZE_SM_PEER_CNT	= 1,
	SMC_NLA_STATS_RMB_SIZE_SM_CNT		= 2,
	SMC_NLA_STATS_RMB_FULL_PEER_CNT		= 3,
	SMC_NLA_STATS_RMB_FULL_CNT		= 4,
	SMC_NLA_STATS_RMB_REUSE_CNT		= 5,
	SMC_NLA_STATS_RMB_ALLOC_CNT		= 6,
	SMC_NLA_STATS_RMB_DGRADE_CNT		= 7,
	__SMC_NLA_STATS_RMB_MAX			= 8,
	SMC_NLA_STATS_RMB_MAX			= __SMC_NLA_STATS_RMB_MAX - 1
};

/* Inside SMC_GEN_FBACK_STATS: one fallback reason and its count */
enum {
	SMC_NLA_FBACK_STATS_PAD		= 0,
	SMC_NLA_FBACK_STATS_TYPE	= 1,	/* u8: 1 server, 0 client */
	SMC_NLA_FBACK_STATS_SRV_CNT	= 2,	/* u64: all server fallbacks */
	SMC_NLA_FBACK_STATS_CLNT_CNT	= 3,	/* u64: all client fallbacks */
	SMC_NLA_FBACK_STATS_RSN_CODE	= 4,	/* u32: reason code */
	SMC_NLA_FBACK_STATS_RSN_CNT	= 5,	/* u16: count of that code */
	__SMC_NLA_FBACK_STATS_MAX	= 6,
	SMC_NLA_FBACK_STATS_MAX		= __SMC_NLA_FBACK_STATS_MAX - 1
};

/* Top level attribute of the user EID commands (DUMP/ADD/REMOVE_UEID) */
enum {
	SMC_NLA_EID_TABLE_UNSPEC	= 0,
	SMC_NLA_EID_TABLE_ENTRY		= 1,	/* string: one EID */
	__SMC_NLA_EID_TABLE_MAX		= 2,
	SMC_NLA_EID_TABLE_MAX		= __SMC_NLA_EID_TABLE_MAX - 1
};

/* Top level attributes of the system EID commands (*_SEID) */
enum {
	SMC_NLA_SEID_UNSPEC		= 0,
	SMC_NLA_SEID_ENTRY		= 1,	/* string: the system EID */
	SMC_NLA_SEID_ENABLED		= 2,	/* u8 */
	__SMC_NLA_SEID_TABLE_MAX	= 3,
	SMC_NLA_SEID_TABLE_MAX		= __SMC_NLA_SEID_TABLE_MAX - 1
};

/* Top level attribute of the handshake limitation commands (*_HS_LIMITATION) */
enum {
	SMC_NLA_HS_LIMITATION_UNSPEC	= 0,
	SMC_NLA_HS_LIMITATION_ENABLED	= 1,	/* u8 */
	__SMC_NLA_HS_LIMITATION_MAX	= 2,
	SMC_NLA_HS_LIMITATION_MAX	= __SMC_NLA_HS_LIMITATION_MAX - 1
};

/*
 * ---------------------------------------------------------------------
 * Socket options at level SOL_SMC
 * ---------------------------------------------------------------------
 */

/* int: limit SMC handshakes under load (fall back to TCP instead) */
#define SMC_LIMIT_HS			1

#endif /* _UAPI_LINUX_SMC_H_ */
