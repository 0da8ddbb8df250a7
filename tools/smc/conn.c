// SPDX-License-Identifier: GPL-2.0
/*
 * smc - "smc conn": the AF_SMC sockets of the network namespace, from a
 * NETLINK_SOCK_DIAG dump for family AF_SMC (answered by smc_diag.ko).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>

#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <linux/smc_diag.h>

#include "smc.h"

#ifndef AF_SMC
#define AF_SMC		43
#endif

/* smc_diag_msg.diag_state values (the SMC socket states) */
static const struct {
	__u8		state;
	const char	*name;
} states[] = {
	{ 1, "ACTIVE" },
	{ 2, "INIT" },
	{ 7, "CLOSED" },
	{ 10, "LISTEN" },
	{ 20, "PEERCLOSEWAIT1" },
	{ 21, "PEERCLOSEWAIT2" },
	{ 22, "APPCLOSEWAIT1" },
	{ 23, "APPCLOSEWAIT2" },
	{ 24, "APPFINCLOSEWAIT" },
	{ 25, "PEERFINCLOSEWAIT" },
	{ 26, "PEERABORTWAIT" },
	{ 27, "PROCESSABORT" },
};

#define SMC_STATE_INIT		2
#define SMC_STATE_LISTEN	10

static const char *state_name(__u8 st)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(states); i++)
		if (states[i].state == st)
			return states[i].name;
	return "UNKNOWN";
}

static const char *mode_name(__u8 mode)
{
	switch (mode) {
	case SMC_DIAG_MODE_SMCR:
		return "SMCR";
	case SMC_DIAG_MODE_FALLBACK_TCP:
		return "TCP";
	case SMC_DIAG_MODE_SMCD:
		return "SMCD";
	}
	return "UNKNOWN";
}

struct conn_walk {
	unsigned int	n;
};

/* IPv4 sockets keep their address in the first word, the rest zero */
static bool is_v4(const struct inet_diag_sockid *id)
{
	return !(id->idiag_src[1] | id->idiag_src[2] | id->idiag_src[3] |
		 id->idiag_dst[1] | id->idiag_dst[2] | id->idiag_dst[3]);
}

static void fmt_addr(bool v4, const __be32 *a, char *buf, size_t len)
{
	if (!inet_ntop(v4 ? AF_INET : AF_INET6, a, buf, len))
		snprintf(buf, len, "?");
}

static void fmt_endpoint(bool v4, const __be32 *a, __be16 port, char *buf,
			 size_t len)
{
	char addr[INET6_ADDRSTRLEN];

	fmt_addr(v4, a, addr, sizeof(addr));
	snprintf(buf, len, v4 ? "%s:%u" : "[%s]:%u", addr, ntohs(port));
}

static void json_cursor(const char *key, const struct smc_diag_cursor *c)
{
	jw_open_obj(key);
	jw_u64("wrap", c->wrap);
	jw_u64("count", c->count);
	jw_close();
}

static void json_conninfo(const struct smc_diag_conninfo *ci)
{
	jw_open_obj("conninfo");
	jw_u64("token", ci->token);
	jw_u64("sndbuf_size", ci->sndbuf_size);
	jw_u64("rmbe_size", ci->rmbe_size);
	jw_u64("peer_rmbe_size", ci->peer_rmbe_size);
	json_cursor("rx_prod", &ci->rx_prod);
	json_cursor("rx_cons", &ci->rx_cons);
	json_cursor("tx_prod", &ci->tx_prod);
	json_cursor("tx_cons", &ci->tx_cons);
	jw_u64("rx_prod_flags", ci->rx_prod_flags);
	jw_u64("rx_conn_state_flags", ci->rx_conn_state_flags);
	jw_u64("tx_prod_flags", ci->tx_prod_flags);
	jw_u64("tx_conn_state_flags", ci->tx_conn_state_flags);
	json_cursor("tx_prep", &ci->tx_prep);
	json_cursor("tx_sent", &ci->tx_sent);
	json_cursor("tx_fin", &ci->tx_fin);
	jw_close();
}

static void json_dmbinfo(const struct smcd_diag_dmbinfo *d)
{
	jw_open_obj("dmbinfo");
	jw_u64("linkid", d->linkid);
	jw_u64("peer_gid", d->peer_gid);
	jw_u64("my_gid", d->my_gid);
	jw_u64("token", d->token);
	jw_u64("peer_token", d->peer_token);
	jw_close();
}

static void json_lgrinfo(const struct smc_diag_lgrinfo *l)
{
	jw_open_obj("lgrinfo");
	jw_str("role", l->role ? "server" : "client");
	jw_u64("link_id", l->lnk[0].link_id);
	jw_strn("ib_name", (const char *)l->lnk[0].ibname,
		sizeof(l->lnk[0].ibname));
	jw_u64("ib_port", l->lnk[0].ibport);
	jw_strn("gid", (const char *)l->lnk[0].gid, sizeof(l->lnk[0].gid));
	jw_strn("peer_gid", (const char *)l->lnk[0].peer_gid,
		sizeof(l->lnk[0].peer_gid));
	jw_close();
}

static void text_cursor(const char *name, const struct smc_diag_cursor *c)
{
	printf(" %s %u:%u", name, c->wrap, c->count);
}

static void text_details(const struct smc_diag_conninfo *ci,
			 const struct smcd_diag_dmbinfo *dmb,
			 const struct smc_diag_lgrinfo *lgr, int shut)
{
	if (shut >= 0)
		printf("\tshutdown %s%s%s\n", shut & 1 ? "R" : "-",
		       shut & 2 ? "W" : "-", "");
	if (ci) {
		printf("\ttoken 0x%08x sndbuf %u rmbe %u peer_rmbe %u\n",
		       ci->token, ci->sndbuf_size, ci->rmbe_size,
		       ci->peer_rmbe_size);
		printf("\t");
		text_cursor("rx_prod", &ci->rx_prod);
		text_cursor("rx_cons", &ci->rx_cons);
		text_cursor("tx_prod", &ci->tx_prod);
		text_cursor("tx_cons", &ci->tx_cons);
		printf("\n\t");
		text_cursor("tx_prep", &ci->tx_prep);
		text_cursor("tx_sent", &ci->tx_sent);
		text_cursor("tx_fin", &ci->tx_fin);
		printf(" rx_flags 0x%02x/0x%02x tx_flags 0x%02x/0x%02x\n",
		       ci->rx_prod_flags, ci->rx_conn_state_flags,
		       ci->tx_prod_flags, ci->tx_conn_state_flags);
	}
	if (dmb) {
		printf("\tdmb linkid 0x%08x token 0x%016llx peer_token 0x%016llx\n",
		       dmb->linkid, (unsigned long long)dmb->token,
		       (unsigned long long)dmb->peer_token);
		printf("\tgid 0x%016llx peer_gid 0x%016llx\n",
		       (unsigned long long)dmb->my_gid,
		       (unsigned long long)dmb->peer_gid);
	}
	if (lgr)
		printf("\tlgr role %s ibdev %.64s port %u link %u gid %.40s peer_gid %.40s\n",
		       lgr->role ? "server" : "client", lgr->lnk[0].ibname,
		       lgr->lnk[0].ibport, lgr->lnk[0].link_id,
		       lgr->lnk[0].gid, lgr->lnk[0].peer_gid);
}

/* An attribute's payload as @size bytes, or NULL when it is shorter */
static const void *attr_struct(const struct nlattr *a, size_t size)
{
	if (!a || mnl_attr_get_payload_len(a) < size)
		return NULL;
	return mnl_attr_get_payload(a);
}

static int conn_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[SMC_DIAG_MAX + 1] = { NULL };
	const struct smc_diag_msg *m = mnl_nlmsg_get_payload(nlh);
	const struct smc_diag_conninfo *ci = NULL;
	const struct smcd_diag_dmbinfo *dmb = NULL;
	const struct smc_diag_lgrinfo *lgr = NULL;
	struct smc_diag_fallback fb = { 0 };
	const struct nlattr *attr;
	struct conn_walk *w = data;
	char local[64], peer[64], addr[INET6_ADDRSTRLEN];
	bool v4, have_fb = false, listen, init;
	int shut = -1;
	__u8 u8;

	if (nlh->nlmsg_type != SOCK_DIAG_BY_FAMILY ||
	    mnl_nlmsg_get_payload_len(nlh) < sizeof(*m))
		return 0;
	mnl_attr_for_each(attr, nlh, sizeof(*m)) {
		if (mnl_attr_get_type(attr) <= SMC_DIAG_MAX)
			tb[mnl_attr_get_type(attr)] = attr;
	}

	listen = m->diag_state == SMC_STATE_LISTEN;
	init = m->diag_state == SMC_STATE_INIT;
	if (opts.listening ? !listen : (!opts.all && (listen || init)))
		return 0;

	if (attr_struct(tb[SMC_DIAG_FALLBACK], sizeof(fb))) {
		memcpy(&fb, mnl_attr_get_payload(tb[SMC_DIAG_FALLBACK]),
		       sizeof(fb));
		have_fb = true;
	}
	if (smc_attr_u8(tb[SMC_DIAG_SHUTDOWN], &u8))
		shut = u8;
	ci = attr_struct(tb[SMC_DIAG_CONNINFO], sizeof(*ci));
	dmb = attr_struct(tb[SMC_DIAG_DMBINFO], sizeof(*dmb));
	lgr = attr_struct(tb[SMC_DIAG_LGRINFO], sizeof(*lgr));

	v4 = is_v4(&m->id);
	fmt_endpoint(v4, m->id.idiag_src, m->id.idiag_sport, local,
		     sizeof(local));
	fmt_endpoint(v4, m->id.idiag_dst, m->id.idiag_dport, peer,
		     sizeof(peer));
	w->n++;

	if (opts.json) {
		jw_open_obj(NULL);
		jw_str("state", state_name(m->diag_state));
		jw_u64("state_num", m->diag_state);
		jw_u64("uid", m->diag_uid);
		jw_u64("inode", m->diag_inode);
		jw_str("family", v4 ? "ipv4" : "ipv6");
		fmt_addr(v4, m->id.idiag_src, addr, sizeof(addr));
		jw_str("local_addr", addr);
		jw_u64("local_port", ntohs(m->id.idiag_sport));
		fmt_addr(v4, m->id.idiag_dst, addr, sizeof(addr));
		jw_str("peer_addr", addr);
		jw_u64("peer_port", ntohs(m->id.idiag_dport));
		jw_u64("ifindex", m->id.idiag_if);
		jw_str("mode", mode_name(m->diag_mode));
		if (shut >= 0)
			jw_u64("shutdown", shut);
		else
			jw_null("shutdown");
		if (have_fb) {
			jw_hex32("fallback_reason", fb.reason);
			jw_str("fallback_text", smc_reason_str(fb.reason));
			jw_hex32("peer_diagnosis", fb.peer_diagnosis);
			jw_str("peer_diagnosis_text",
			       smc_reason_str(fb.peer_diagnosis));
		} else {
			jw_null("fallback_reason");
			jw_null("fallback_text");
			jw_null("peer_diagnosis");
			jw_null("peer_diagnosis_text");
		}
		if (ci)
			json_conninfo(ci);
		if (dmb)
			json_dmbinfo(dmb);
		if (lgr)
			json_lgrinfo(lgr);
		jw_close();
		return 0;
	}

	if (w->n == 1)
		printf("%-16s %-6s %-9s %-24s %-24s %-5s %s\n", "State", "UID",
		       "Inode", "Local Address", "Peer Address", "Mode",
		       "Fallback reason");
	printf("%-16s %-6u %-9llu %-24s %-24s %-5s",
	       state_name(m->diag_state), m->diag_uid,
	       (unsigned long long)m->diag_inode, local, listen || init ? "*" : peer,
	       listen || init ? "-" : mode_name(m->diag_mode));
	if (have_fb && m->diag_mode == SMC_DIAG_MODE_FALLBACK_TCP &&
	    fb.reason) {
		printf(" 0x%08x %s", fb.reason, smc_reason_str(fb.reason));
		if (fb.peer_diagnosis)
			printf(" (peer: 0x%08x %s)", fb.peer_diagnosis,
			       smc_reason_str(fb.peer_diagnosis));
	}
	printf("\n");
	if (opts.details)
		text_details(ci, dmb, lgr, shut);
	return 0;
}

int cmd_conn(int argc, char **argv)
{
	char buf[SMC_REQ_BUF];
	struct conn_walk w = { 0 };
	struct smc_diag_req *req;
	struct nlmsghdr *nlh;
	struct smc_genl g;
	int a, rc, err;

	for (a = 0; a < argc; a++) {
		if (matches(argv[a], "show") && a == 0)
			continue;
		if (!strcmp(argv[a], "-a") || !strcmp(argv[a], "all"))
			opts.all = true;
		else if (!strcmp(argv[a], "-l") || !strcmp(argv[a], "listening"))
			opts.listening = true;
		else if (!strcmp(argv[a], "-d") || !strcmp(argv[a], "details"))
			opts.details = true;
		else
			return usage_error("conn: unknown argument \"%s\"",
					   argv[a]);
	}

	rc = smc_nl_open(&g, NETLINK_SOCK_DIAG);
	if (rc)
		return rc;
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = SOCK_DIAG_BY_FAMILY;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	req = mnl_nlmsg_put_extra_header(nlh, sizeof(*req));
	req->diag_family = AF_SMC;
	if (opts.details || opts.json)
		req->diag_ext = 1 << (SMC_DIAG_CONNINFO - 1) |
				1 << (SMC_DIAG_LGRINFO - 1) |
				1 << (SMC_DIAG_DMBINFO - 1);

	if (opts.json)
		jw_open_arr(NULL);
	err = smc_nl_talk(&g, nlh, true, conn_cb, &w);
	smc_genl_close(&g);
	if (opts.json)
		jw_end();
	if (err == -ENOENT) {
		err_msg("no AF_SMC socket diagnostics in the kernel; try 'modprobe smc_diag'");
		return EXIT_NOMOD;
	}
	if (err)
		return smc_report_error(err, "dumping the AF_SMC sockets");
	return EXIT_OK;
}
