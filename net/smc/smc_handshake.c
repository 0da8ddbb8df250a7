// SPDX-License-Identifier: GPL-2.0
/*
 * smc-ng: the CLC handshake on the internal TCP socket.
 *
 * Decides, for one connection, between a shared-memory path and TCP.
 * Every outcome that is not an error is a fallback with a reason code the
 * peer and the administrator can read; errors (malformed CLC, a peer that
 * leaves or stalls) fail only this connection.
 *
 * No shared-memory device exists in this module yet, so every negotiation
 * ends in the fallback the in-tree stack would choose without devices:
 * the client declines with NOSMCDEV, a server answers a proposal with the
 * reason its device selection would record.
 */
#include <linux/slab.h>
#include <linux/tcp.h>
#include <linux/uio.h>
#include <net/sock.h>

#include "smc_sock.h"
#include "smc_clc_wire.h"

/* Linux peers read a DECLINE by exact length; it must go out whole. */
static int smc_clc_send(struct smc_sock *smc, void *buf, int len)
{
	struct msghdr msg = { .msg_flags = MSG_NOSIGNAL | MSG_DONTWAIT };
	struct kvec iov = { .iov_base = buf, .iov_len = len };
	int rc;

	rc = kernel_sendmsg(smc->tcp, &msg, &iov, 1, len);
	if (rc == len)
		return 0;
	return rc < 0 ? rc : -EPIPE;
}

static int smc_clc_send_decline(struct smc_sock *smc, u32 reason, u8 version)
{
	struct smc_clc_decline_info di = {
		.hdr.version = version,
		.out_of_sync = reason == SMC_CLC_DECL_SYNCERR,
		.diag = reason,
		.os_type = version >= SMC_CLC_V2 ? SMC_CLC_OS_LINUX : 0,
	};
	u8 buf[SMC_CLC_DECL_V2_LEN];
	int len;

	len = smc_clc_encode_decline(buf, sizeof(buf), &di);
	if (len < 0)
		return len;
	return smc_clc_send(smc, buf, len);
}

/* Client side, with the TCP connection established. Returns 0 when the
 * connection may be used (over SMC or after a fallback), or an error.
 */
int smc_client_negotiate(struct smc_sock *smc)
{
	int rc;

	if (!tcp_sk(smc->tcp->sk)->syn_smc) {
		/* The peer did not echo the SMC option: no CLC at all. */
		smc_fallback_switch(smc, SMC_CLC_DECL_PEERNOSMC, 0);
		return 0;
	}
	/* Nothing to propose. Without an ISMv2 device we speak version 1. */
	rc = smc_clc_send_decline(smc, SMC_CLC_DECL_NOSMCDEV, SMC_CLC_V1);
	if (rc)
		return rc;
	smc_fallback_switch(smc, SMC_CLC_DECL_NOSMCDEV, 0);
	return 0;
}

/* Read what is available of one CLC message without blocking. Returns
 * the message length once it is complete, -EAGAIN while bytes are
 * missing, or an error. Exactly the message's bytes are consumed, so
 * whatever follows stays in TCP's queue for the application.
 */
static int smc_clc_read_some(struct smc_sock *smc, u8 expected)
{
	struct smc_clc_hdr_info hi;
	struct msghdr msg = {};
	struct kvec iov;
	int want, total, n;

	if (!smc->rx_buf) {
		smc->rx_buf = kmalloc(SMC_CLC_MAX_LEN, GFP_KERNEL);
		if (!smc->rx_buf)
			return -ENOMEM;
	}
	for (;;) {
		total = SMC_CLC_HDR_LEN;
		if (smc->rx_used >= SMC_CLC_HDR_LEN) {
			total = smc_clc_check_hdr(smc->rx_buf, smc->rx_used,
						  expected, &hi);
			if (total < 0)
				return -EPROTO;
			if (total > SMC_CLC_MAX_LEN)
				return -EPROTO;
			if (smc->rx_used == total)
				return total;
		}
		want = total - smc->rx_used;
		iov.iov_base = smc->rx_buf + smc->rx_used;
		iov.iov_len = want;
		n = kernel_recvmsg(smc->tcp, &msg, &iov, 1, want, MSG_DONTWAIT);
		if (n < 0)
			return n;
		if (n == 0)
			return -ECONNRESET;
		smc->rx_used += n;
	}
}

static void smc_clc_read_done(struct smc_sock *smc)
{
	kfree(smc->rx_buf);
	smc->rx_buf = NULL;
	smc->rx_used = 0;
}

/* Which versions of the offer survive the checks that need no device;
 * returns the reason when nothing does. Mirrors the in-tree order so that
 * a peer sees the same diagnosis from us as from it.
 */
static u32 smc_server_check_offer(const struct smc_clc_prop_info *p,
				  bool *smcd, bool *smcr)
{
	bool d2 = false, r2 = false;
	u32 reason = SMC_CLC_DECL_PEERNOSMC;

	*smcd = smc_clc_type_has_d(p->hdr.typev1);
	*smcr = smc_clc_type_has_r(p->hdr.typev1);
	if (p->hdr.version >= SMC_CLC_V2) {
		d2 = smc_clc_type_has_d(p->hdr.typev2);
		r2 = smc_clc_type_has_r(p->hdr.typev2);
	}
	if (d2 || r2) {
		if (!p->has_v2ext) {
			reason = SMC_CLC_DECL_NOV2EXT;
			d2 = false;
			r2 = false;
		}
		/* This host has no ISMv2-capable device. */
		if (d2) {
			reason = SMC_CLC_DECL_NOISM2SUPP;
			d2 = false;
		}
		if (r2 && !p->eid_cnt) {
			reason = SMC_CLC_DECL_NOUEID;
			r2 = false;
		}
	}
	*smcd |= d2;
	*smcr |= r2;
	return *smcd || *smcr ? 0 : reason;
}

/* The reason a server without any usable device declines a proposal. */
static u32 smc_server_select(const struct smc_clc_prop_info *p)
{
	bool smcd, smcr;
	u32 reason;

	reason = smc_server_check_offer(p, &smcd, &smcr);
	if (reason)
		return reason;
	return smcr ? SMC_CLC_DECL_NOSMCRDEV : SMC_CLC_DECL_NOSMCDDEV;
}

/* Server side, called from handshake_work whenever CLC bytes may have
 * arrived. Returns -EAGAIN while the first message is incomplete, 0 when
 * the connection is ready for accept(), or an error to drop it.
 */
int smc_server_negotiate(struct smc_sock *smc)
{
	union smc_clc_msg_info *mi;
	u32 reason;
	int rc;

	rc = smc_clc_read_some(smc, SMC_CLC_PROPOSAL);
	if (rc < 0)
		return rc;

	mi = kzalloc(sizeof(*mi), GFP_KERNEL);
	if (!mi)
		return -ENOMEM;
	rc = smc_clc_decode(smc->rx_buf, smc->rx_used, SMC_CLC_PROPOSAL, mi);
	if (rc < 0) {
		rc = -EPROTO;
		goto out;
	}
	if (mi->hdr.type == SMC_CLC_DECLINE) {
		smc_fallback_switch(smc, SMC_CLC_DECL_PEERDECL, mi->decl.diag);
		rc = 0;
		goto out;
	}

	reason = smc_server_select(&mi->prop);
	rc = smc_clc_send_decline(smc, reason,
				  mi->hdr.version >= SMC_CLC_V2 ? SMC_CLC_V2 :
								  SMC_CLC_V1);
	if (!rc)
		smc_fallback_switch(smc, reason, 0);
out:
	kfree(mi);
	smc_clc_read_done(smc);
	return rc;
}
