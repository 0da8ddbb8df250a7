// SPDX-License-Identifier: GPL-2.0
/*
 * smc_nlfake.so: a kernel that answers the smc admin tool with replies no
 * kernel of ours sends, to see that the tool copes. Preloaded into the
 * tool, it takes over libmnl's send and receive: what the tool sends is
 * looked at, never sent, and the answer comes from here. SMC_NLFAKE picks
 * the replies:
 *
 *   stats-extra  GET_STATS is answered with the statistics and then a
 *                second message of the same family without them (a
 *                dump may bring more than one message).
 *   lgr-full     a sock_diag dump of one connection whose link group
 *                record fills every text field to its last byte, with
 *                no NUL anywhere.
 *
 * Anything else asked is answered with an empty dump (or an ACK), the
 * family lookup with a made-up id.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <sys/types.h>

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/smc.h>
#include <linux/smc_diag.h>
#include <linux/sock_diag.h>

#ifndef AF_SMC
#define AF_SMC		43
#endif

#define FAKE_FAMILY_ID	0x7654

static char reply[16384];
static size_t reply_len;
static bool reply_ready;

static const char *scenario(void)
{
	const char *s = getenv("SMC_NLFAKE");

	return s ? s : "";
}

static struct nlmsghdr *add_msg(__u16 type, __u16 flags, __u32 seq)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(reply + reply_len);

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = flags;
	nlh->nlmsg_seq = seq;
	return nlh;
}

static void end_msg(struct nlmsghdr *nlh)
{
	reply_len += NLMSG_ALIGN(nlh->nlmsg_len);
}

static struct nlmsghdr *add_genl(__u16 type, __u32 seq, __u8 cmd)
{
	struct nlmsghdr *nlh = add_msg(type, NLM_F_MULTI, seq);
	struct genlmsghdr *g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));

	g->cmd = cmd;
	g->version = 1;
	return nlh;
}

static void add_done(__u32 seq)
{
	struct nlmsghdr *nlh = add_msg(NLMSG_DONE, NLM_F_MULTI, seq);
	int *err = mnl_nlmsg_put_extra_header(nlh, sizeof(*err));

	*err = 0;
	end_msg(nlh);
}

static void add_ack(const struct nlmsghdr *req)
{
	struct nlmsghdr *nlh = add_msg(NLMSG_ERROR, NLM_F_CAPPED, req->nlmsg_seq);
	struct nlmsgerr *e = mnl_nlmsg_put_extra_header(nlh, sizeof(*e));

	e->error = 0;
	e->msg = *req;
	end_msg(nlh);
}

static void answer_family(const struct nlmsghdr *req)
{
	struct nlmsghdr *nlh = add_genl(GENL_ID_CTRL, req->nlmsg_seq,
					CTRL_CMD_NEWFAMILY);

	nlh->nlmsg_flags = 0;
	mnl_attr_put_u16(nlh, CTRL_ATTR_FAMILY_ID, FAKE_FAMILY_ID);
	end_msg(nlh);
	add_ack(req);
}

/* The statistics, and after them a message of the same size without. */
static void answer_stats(const struct nlmsghdr *req)
{
	struct nlattr *top, *tech;
	struct nlmsghdr *nlh;
	char junk[256];

	nlh = add_genl(FAKE_FAMILY_ID, req->nlmsg_seq, SMC_NETLINK_GET_STATS);
	top = mnl_attr_nest_start(nlh, SMC_GEN_STATS);
	tech = mnl_attr_nest_start(nlh, SMC_NLA_STATS_SMCD_TECH);
	mnl_attr_put_u64(nlh, SMC_NLA_STATS_T_TX_BYTES, 4242);
	mnl_attr_put_u64(nlh, SMC_NLA_STATS_T_RX_BYTES, 2424);
	mnl_attr_nest_end(nlh, tech);
	mnl_attr_put_u64(nlh, SMC_NLA_STATS_CLNT_HS_ERR_CNT, 7);
	mnl_attr_put_u64(nlh, SMC_NLA_STATS_SRV_HS_ERR_CNT, 8);
	mnl_attr_nest_end(nlh, top);
	end_msg(nlh);

	/* Laid over the first where a copy of it was kept, these bytes read
	 * as other counters.
	 */
	memset(junk, 0x11, sizeof(junk));
	nlh = add_genl(FAKE_FAMILY_ID, req->nlmsg_seq, SMC_NETLINK_GET_STATS);
	mnl_attr_put(nlh, SMC_GEN_FBACK_STATS, sizeof(junk), junk);
	end_msg(nlh);
	add_done(req->nlmsg_seq);
}

/* One connection; its link group's names and GIDs end without a NUL. */
static void answer_lgr(const struct nlmsghdr *req)
{
	struct smc_diag_lgrinfo lgr;
	struct smc_diag_msg *m;
	struct nlmsghdr *nlh;

	nlh = add_msg(SOCK_DIAG_BY_FAMILY, NLM_F_MULTI, req->nlmsg_seq);
	m = mnl_nlmsg_put_extra_header(nlh, sizeof(*m));
	m->diag_family = AF_SMC;
	m->diag_state = 1;		/* ACTIVE */
	m->diag_mode = SMC_DIAG_MODE_SMCR;
	m->id.idiag_src[0] = htonl(0x7f000001);
	m->id.idiag_dst[0] = htonl(0x7f000001);
	memset(&lgr, 0, sizeof(lgr));
	memset(lgr.lnk[0].ibname, 'A', sizeof(lgr.lnk[0].ibname));
	lgr.lnk[0].ibport = 'P';
	memset(lgr.lnk[0].gid, 'B', sizeof(lgr.lnk[0].gid));
	memset(lgr.lnk[0].peer_gid, 'C', sizeof(lgr.lnk[0].peer_gid));
	lgr.role = 'R';
	mnl_attr_put(nlh, SMC_DIAG_LGRINFO, sizeof(lgr), &lgr);
	end_msg(nlh);
	add_done(req->nlmsg_seq);
}

static void answer(const struct nlmsghdr *req)
{
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(req);
	bool dump = req->nlmsg_flags & NLM_F_DUMP;

	reply_len = 0;
	reply_ready = true;
	if (req->nlmsg_type == GENL_ID_CTRL && g->cmd == CTRL_CMD_GETFAMILY)
		answer_family(req);
	else if (req->nlmsg_type == FAKE_FAMILY_ID &&
		 g->cmd == SMC_NETLINK_GET_STATS &&
		 !strcmp(scenario(), "stats-extra"))
		answer_stats(req);
	else if (req->nlmsg_type == SOCK_DIAG_BY_FAMILY &&
		 !strcmp(scenario(), "lgr-full"))
		answer_lgr(req);
	else if (dump)
		add_done(req->nlmsg_seq);
	else
		add_ack(req);
}

ssize_t mnl_socket_sendto(const struct mnl_socket *nl, const void *buf,
			  size_t len)
{
	(void)nl;
	if (len < sizeof(struct nlmsghdr) + sizeof(struct genlmsghdr))
		return -1;
	answer(buf);
	return len;
}

ssize_t mnl_socket_recvfrom(const struct mnl_socket *nl, void *buf,
			    size_t bufsiz)
{
	(void)nl;
	if (!reply_ready || reply_len > bufsiz)
		return -1;
	reply_ready = false;
	memcpy(buf, reply, reply_len);
	return reply_len;
}
