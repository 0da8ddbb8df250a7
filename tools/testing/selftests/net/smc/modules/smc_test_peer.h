/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * smc_test_peer: ioctl interface of the test-only misc device that marks
 * an ordinary TCP socket as SMC-capable (see smc_test_peer.c).  Shared by
 * the module and by smc_evil_peer in user space.
 */
#ifndef _SMC_TEST_PEER_H
#define _SMC_TEST_PEER_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define SMC_TEST_PEER_NAME	"smc_test_peer"	/* /dev/smc_test_peer */

/* Argument of both ioctls. */
struct smc_test_peer_req {
	__s32	fd;		/* in: a TCP socket of the calling process */
	__u32	syn_smc;	/* SET in: 0 or 1; both out: the value now */
	__u32	have_smc;	/* out: 1 if TCP sends and parses the option */
	__u32	reserved;	/* in: must be 0 */
};

#define SMC_TEST_PEER_IOC	0xb5

/*
 * SET: before connect() (the SYN carries the SMC option) or on a socket
 * that is closed or listening (the SYN-ACK echoes an offered option).
 * Errors: EBADF/ENOTSOCK for a bad fd, EPROTOTYPE for a socket that is
 * not TCP, EISCONN once the TCP handshake has started, EINVAL for a
 * syn_smc other than 0/1 or a non-zero reserved field.
 * GET: any TCP socket; after the TCP handshake syn_smc says whether the
 * peer's SYN or SYN-ACK carried the option too.
 */
#define SMC_TEST_PEER_SET	_IOWR(SMC_TEST_PEER_IOC, 1, \
				      struct smc_test_peer_req)
#define SMC_TEST_PEER_GET	_IOWR(SMC_TEST_PEER_IOC, 2, \
				      struct smc_test_peer_req)

#endif /* _SMC_TEST_PEER_H */
