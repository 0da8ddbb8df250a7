// SPDX-License-Identifier: GPL-2.0
/*
 * smc - netlink plumbing on top of libmnl: generic netlink family
 * lookup, one request and all of its replies, extended acks, attribute
 * tables and checked attribute accessors.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "smc.h"

/* Large enough for the biggest reply messages (sock_diag uses 32 KiB) */
#define SMC_NL_RXBUF	(64 * 1024)

static char extack[256];

const char *smc_extack_msg(void)
{
	return extack[0] ? extack : NULL;
}

int smc_nl_open(struct smc_genl *g, int bus)
{
	int one = 1;

	memset(g, 0, sizeof(*g));
	g->sk = mnl_socket_open(bus);
	if (!g->sk) {
		err_msg("cannot open netlink socket: %s", strerror(errno));
		return EXIT_FAIL;
	}
	if (mnl_socket_bind(g->sk, 0, MNL_SOCKET_AUTOPID) < 0) {
		err_msg("cannot bind netlink socket: %s", strerror(errno));
		mnl_socket_close(g->sk);
		g->sk = NULL;
		return EXIT_FAIL;
	}
	/* Both are optional: older kernels just do without */
	mnl_socket_setsockopt(g->sk, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(g->sk, NETLINK_CAP_ACK, &one, sizeof(one));
	g->portid = mnl_socket_get_portid(g->sk);
	g->seq = (unsigned int)time(NULL);
	return 0;
}

void smc_genl_close(struct smc_genl *g)
{
	if (g->sk)
		mnl_socket_close(g->sk);
	g->sk = NULL;
}

static int family_id_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[CTRL_ATTR_MAX + 1] = { NULL };
	__u16 *id = data;

	smc_attr_table_msg(nlh, tb, CTRL_ATTR_MAX);
	if (!smc_attr_u16(tb[CTRL_ATTR_FAMILY_ID], id))
		return -EPROTO;
	return 0;
}

int smc_genl_open(struct smc_genl *g, const char *family)
{
	char buf[SMC_REQ_BUF];
	struct genlmsghdr *genl;
	struct nlmsghdr *nlh;
	__u16 id = 0;
	int err;

	err = smc_nl_open(g, NETLINK_GENERIC);
	if (err)
		return err;
	g->name = family;

	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = GENL_ID_CTRL;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = CTRL_CMD_GETFAMILY;
	genl->version = 1;
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, family);

	err = smc_nl_talk(g, nlh, false, family_id_cb, &id);
	if (err == -ENOENT) {
		err_msg("SMC module not loaded (no generic netlink family %s); try 'modprobe smc'",
			family);
		smc_genl_close(g);
		return EXIT_NOMOD;
	}
	if (err || !id) {
		err_msg("cannot resolve generic netlink family %s: %s", family,
			strerror(err ? -err : EPROTO));
		smc_genl_close(g);
		return EXIT_FAIL;
	}
	g->id = id;
	return 0;
}

struct nl_call {
	smc_msg_cb	cb;
	void		*data;
	bool		dump;
	int		err;
};

static int data_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nl_call *c = data;
	int ret;

	if (!c->cb)
		return MNL_CB_OK;
	ret = c->cb(nlh, c->data);
	if (ret < 0) {
		c->err = ret;
		errno = -ret;
		return MNL_CB_ERROR;
	}
	return MNL_CB_OK;
}

/* Keep the text of an extended ack (NLMSGERR_ATTR_MSG) */
static void parse_extack(const struct nlmsghdr *nlh,
			 const struct nlmsgerr *e)
{
	const struct nlattr *attr;	/* named by the libmnl macro */
	const void *tlvs;
	size_t off, len;

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	off = sizeof(*e);
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += e->msg.nlmsg_len - sizeof(struct nlmsghdr);
	len = mnl_nlmsg_get_payload_len(nlh);
	if (off >= len)
		return;
	tlvs = (const char *)mnl_nlmsg_get_payload(nlh) + off;
	mnl_attr_for_each_payload(tlvs, len - off) {
		if (mnl_attr_get_type(attr) != NLMSGERR_ATTR_MSG)
			continue;
		if (smc_attr_str(attr))
			snprintf(extack, sizeof(extack), "%s",
				 smc_attr_str(attr));
	}
}

static int error_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	struct nl_call *c = data;

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(e->error)) {
		c->err = -EBADMSG;
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	if (e->error == 0)
		return MNL_CB_STOP;	/* the ack that ends a doit request */
	if (mnl_nlmsg_get_payload_len(nlh) >= sizeof(*e))
		parse_extack(nlh, e);
	c->err = e->error < 0 ? e->error : -e->error;
	errno = -c->err;
	return MNL_CB_ERROR;
}

static int done_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nl_call *c = data;
	int err;

	if (mnl_nlmsg_get_payload_len(nlh) >= sizeof(err)) {
		memcpy(&err, mnl_nlmsg_get_payload(nlh), sizeof(err));
		if (err < 0) {
			c->err = err;
			errno = -err;
			return MNL_CB_ERROR;
		}
	}
	/* A doit request may send NLMSG_DONE itself; its ack comes later */
	return c->dump ? MNL_CB_STOP : MNL_CB_OK;
}

static int noop_cb(const struct nlmsghdr *nlh, void *data)
{
	(void)nlh;
	(void)data;
	return MNL_CB_OK;
}

int smc_nl_talk(struct smc_genl *g, struct nlmsghdr *nlh, bool dump,
		smc_msg_cb cb, void *data)
{
	static char rx[SMC_NL_RXBUF];
	mnl_cb_t ctl[NLMSG_MIN_TYPE] = { NULL };
	struct nl_call c = { .cb = cb, .data = data, .dump = dump };
	unsigned int seq = ++g->seq;
	ssize_t n;
	int ret;

	ctl[NLMSG_NOOP] = noop_cb;
	ctl[NLMSG_ERROR] = error_cb;
	ctl[NLMSG_DONE] = done_cb;
	ctl[NLMSG_OVERRUN] = noop_cb;

	extack[0] = '\0';
	nlh->nlmsg_seq = seq;
	if (mnl_socket_sendto(g->sk, nlh, nlh->nlmsg_len) < 0)
		return -errno;

	do {
		n = mnl_socket_recvfrom(g->sk, rx, sizeof(rx));
		if (n < 0)
			return -errno;
		ret = mnl_cb_run2(rx, n, seq, g->portid, data_cb, &c, ctl,
				  ARRAY_SIZE(ctl));
	} while (ret > 0);

	if (ret < 0)
		return c.err ? c.err : -errno;
	return 0;
}

struct nlmsghdr *smc_genl_msg(struct smc_genl *g, void *buf, __u8 cmd,
			      bool dump)
{
	struct genlmsghdr *genl;
	struct nlmsghdr *nlh;

	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = g->id;
	nlh->nlmsg_flags = NLM_F_REQUEST | (dump ? NLM_F_DUMP : NLM_F_ACK);
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = 1;
	return nlh;
}

int smc_genl_talk(struct smc_genl *g, struct nlmsghdr *nlh, smc_msg_cb cb,
		  void *data)
{
	return smc_nl_talk(g, nlh, nlh->nlmsg_flags & NLM_F_DUMP, cb, data);
}

int smc_genl_simple(struct smc_genl *g, __u8 cmd, bool dump, smc_msg_cb cb,
		    void *data)
{
	char buf[SMC_REQ_BUF];

	return smc_genl_talk(g, smc_genl_msg(g, buf, cmd, dump), cb, data);
}

int smc_report_error(int err, const char *what)
{
	const char *ka = smc_extack_msg();
	int rc;

	err = err < 0 ? -err : err;
	switch (err) {
	case EPERM:
	case EACCES:
		err_msg("%s: permission denied (CAP_NET_ADMIN is needed)",
			what);
		rc = EXIT_PERM;
		break;
	case EOPNOTSUPP:
		err_msg("%s: operation not supported by the kernel", what);
		rc = EXIT_NOTSUPP;
		break;
	default:
		err_msg("%s: %s", what, strerror(err));
		rc = EXIT_FAIL;
		break;
	}
	if (ka)
		fprintf(stderr, "Kernel: %s\n", ka);
	return rc;
}

int smc_attr_table(const struct nlattr *nest, const struct nlattr **tb,
		   unsigned int max)
{
	const struct nlattr *a;

	mnl_attr_for_each_nested(a, nest) {
		if (mnl_attr_get_type(a) <= max)
			tb[mnl_attr_get_type(a)] = a;
	}
	return 0;
}

int smc_attr_table_msg(const struct nlmsghdr *nlh, const struct nlattr **tb,
		       unsigned int max)
{
	const struct nlattr *a;

	mnl_attr_for_each(a, nlh, GENL_HDRLEN) {
		if (mnl_attr_get_type(a) <= max)
			tb[mnl_attr_get_type(a)] = a;
	}
	return 0;
}

static bool attr_copy(const struct nlattr *a, void *v, size_t len)
{
	if (!a || mnl_attr_get_payload_len(a) < len)
		return false;
	memcpy(v, mnl_attr_get_payload(a), len);
	return true;
}

bool smc_attr_u8(const struct nlattr *a, __u8 *v)
{
	return attr_copy(a, v, sizeof(*v));
}

bool smc_attr_u16(const struct nlattr *a, __u16 *v)
{
	return attr_copy(a, v, sizeof(*v));
}

bool smc_attr_u32(const struct nlattr *a, __u32 *v)
{
	return attr_copy(a, v, sizeof(*v));
}

bool smc_attr_u64(const struct nlattr *a, __u64 *v)
{
	return attr_copy(a, v, sizeof(*v));
}

const char *smc_attr_str(const struct nlattr *a)
{
	size_t len;

	if (!a)
		return NULL;
	len = mnl_attr_get_payload_len(a);
	if (!len || !memchr(mnl_attr_get_payload(a), '\0', len))
		return NULL;
	return mnl_attr_get_str(a);
}
