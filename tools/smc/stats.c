// SPDX-License-Identifier: GPL-2.0
/*
 * smc - "smc stats": the statistics of the network namespace
 * (GET_STATS, one message) and its fallback reasons (GET_FBACK_STATS,
 * one message per reason and side; the totals ride in the first one).
 */
#include <stdio.h>
#include <string.h>

#include <linux/smc.h>

#include "smc.h"

#define MAX_REASONS	128

static const char *const tech_keys[SMC_NLA_STATS_T_MAX + 1] = {
	[SMC_NLA_STATS_T_CLNT_V1_SUCC]	= "clnt_v1_succ",
	[SMC_NLA_STATS_T_CLNT_V2_SUCC]	= "clnt_v2_succ",
	[SMC_NLA_STATS_T_SRV_V1_SUCC]	= "srv_v1_succ",
	[SMC_NLA_STATS_T_SRV_V2_SUCC]	= "srv_v2_succ",
	[SMC_NLA_STATS_T_SENDPAGE_CNT]	= "sendpage_cnt",
	[SMC_NLA_STATS_T_SPLICE_CNT]	= "splice_cnt",
	[SMC_NLA_STATS_T_CORK_CNT]	= "cork_cnt",
	[SMC_NLA_STATS_T_NDLY_CNT]	= "ndly_cnt",
	[SMC_NLA_STATS_T_URG_DATA_CNT]	= "urg_data_cnt",
	[SMC_NLA_STATS_T_RX_BYTES]	= "rx_bytes",
	[SMC_NLA_STATS_T_TX_BYTES]	= "tx_bytes",
	[SMC_NLA_STATS_T_RX_CNT]	= "rx_cnt",
	[SMC_NLA_STATS_T_TX_CNT]	= "tx_cnt",
};

static const char *const hist_keys[SMC_NLA_STATS_T_MAX + 1] = {
	[SMC_NLA_STATS_T_TX_RMB_SIZE]	= "tx_rmb_size",
	[SMC_NLA_STATS_T_RX_RMB_SIZE]	= "rx_rmb_size",
	[SMC_NLA_STATS_T_TXPLOAD_SIZE]	= "tx_pload_size",
	[SMC_NLA_STATS_T_RXPLOAD_SIZE]	= "rx_pload_size",
};

static const char *const bucket_keys[SMC_NLA_STATS_PLOAD_MAX + 1] = {
	[SMC_NLA_STATS_PLOAD_8K]	= "8K",
	[SMC_NLA_STATS_PLOAD_16K]	= "16K",
	[SMC_NLA_STATS_PLOAD_32K]	= "32K",
	[SMC_NLA_STATS_PLOAD_64K]	= "64K",
	[SMC_NLA_STATS_PLOAD_128K]	= "128K",
	[SMC_NLA_STATS_PLOAD_256K]	= "256K",
	[SMC_NLA_STATS_PLOAD_512K]	= "512K",
	[SMC_NLA_STATS_PLOAD_1024K]	= "1024K",
	[SMC_NLA_STATS_PLOAD_G_1024K]	= ">1024K",
};

static const char *const rmb_keys[SMC_NLA_STATS_RMB_MAX + 1] = {
	[SMC_NLA_STATS_RMB_SIZE_SM_PEER_CNT]	= "size_sm_peer_cnt",
	[SMC_NLA_STATS_RMB_SIZE_SM_CNT]		= "size_sm_cnt",
	[SMC_NLA_STATS_RMB_FULL_PEER_CNT]	= "full_peer_cnt",
	[SMC_NLA_STATS_RMB_FULL_CNT]		= "full_cnt",
	[SMC_NLA_STATS_RMB_REUSE_CNT]		= "reuse_cnt",
	[SMC_NLA_STATS_RMB_ALLOC_CNT]		= "alloc_cnt",
	[SMC_NLA_STATS_RMB_DGRADE_CNT]		= "dgrade_cnt",
};

struct fback_reason {
	bool	server;
	__u32	code;
	__u16	count;
};

struct stats {
	bool			seen;
	const struct nlattr	*tech[2];	/* SMC-D, SMC-R nests */
	bool			have_hs_err;
	__u64			clnt_hs_err, srv_hs_err;
	/* the stats message stays valid while we print */
	char			msg[32768];

	bool			have_totals;
	__u64			fb_srv, fb_clnt;
	unsigned int		nr;
	struct fback_reason	r[MAX_REASONS];
};

static struct stats st;

static int stats_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *top[SMC_GEN_MAX + 1] = { NULL };
	const struct nlattr *tb[SMC_NLA_STATS_MAX + 1] = { NULL };
	const struct nlmsghdr *copy;
	struct stats *s = data;

	/* Only a message with the statistics replaces the one kept: the
	 * nests found earlier point into it.
	 */
	smc_attr_table_msg(nlh, top, SMC_GEN_MAX);
	if (!top[SMC_GEN_STATS] || nlh->nlmsg_len > sizeof(s->msg))
		return 0;
	memcpy(s->msg, nlh, nlh->nlmsg_len);
	copy = (const struct nlmsghdr *)s->msg;
	smc_attr_table_msg(copy, top, SMC_GEN_MAX);
	s->seen = true;
	smc_attr_table(top[SMC_GEN_STATS], tb, SMC_NLA_STATS_MAX);
	s->tech[0] = tb[SMC_NLA_STATS_SMCD_TECH];
	s->tech[1] = tb[SMC_NLA_STATS_SMCR_TECH];
	s->have_hs_err = smc_attr_u64(tb[SMC_NLA_STATS_CLNT_HS_ERR_CNT],
				      &s->clnt_hs_err);
	s->have_hs_err &= smc_attr_u64(tb[SMC_NLA_STATS_SRV_HS_ERR_CNT],
				       &s->srv_hs_err);
	return 0;
}

static int fback_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *top[SMC_GEN_MAX + 1] = { NULL };
	const struct nlattr *tb[SMC_NLA_FBACK_STATS_MAX + 1] = { NULL };
	struct stats *s = data;
	struct fback_reason r = { 0 };
	__u8 type = 0;

	smc_attr_table_msg(nlh, top, SMC_GEN_MAX);
	if (!top[SMC_GEN_FBACK_STATS])
		return 0;
	smc_attr_table(top[SMC_GEN_FBACK_STATS], tb, SMC_NLA_FBACK_STATS_MAX);
	if (smc_attr_u64(tb[SMC_NLA_FBACK_STATS_SRV_CNT], &s->fb_srv) &&
	    smc_attr_u64(tb[SMC_NLA_FBACK_STATS_CLNT_CNT], &s->fb_clnt))
		s->have_totals = true;
	smc_attr_u8(tb[SMC_NLA_FBACK_STATS_TYPE], &type);
	r.server = type;
	if (!smc_attr_u32(tb[SMC_NLA_FBACK_STATS_RSN_CODE], &r.code) ||
	    !smc_attr_u16(tb[SMC_NLA_FBACK_STATS_RSN_CNT], &r.count))
		return 0;
	if (s->nr < MAX_REASONS)
		s->r[s->nr++] = r;
	return 0;
}

static bool get_u64(const struct nlattr **tb, int type, __u64 *v)
{
	*v = 0;
	return smc_attr_u64(tb[type], v);
}

static void json_tech(const char *key, const struct nlattr *nest)
{
	const struct nlattr *tb[SMC_NLA_STATS_T_MAX + 1] = { NULL };
	const struct nlattr *sub[SMC_NLA_STATS_RMB_MAX + 1];
	const struct nlattr *hb[SMC_NLA_STATS_PLOAD_MAX + 1];
	int i, j;
	__u64 v;

	if (!nest) {
		jw_null(key);
		return;
	}
	smc_attr_table(nest, tb, SMC_NLA_STATS_T_MAX);
	jw_open_obj(key);
	for (i = 0; i <= SMC_NLA_STATS_T_MAX; i++) {
		if (!tech_keys[i])
			continue;
		if (get_u64(tb, i, &v))
			jw_u64(tech_keys[i], v);
		else
			jw_null(tech_keys[i]);
	}
	for (i = 0; i <= SMC_NLA_STATS_T_MAX; i++) {
		if (!hist_keys[i])
			continue;
		memset(hb, 0, sizeof(hb));
		if (!tb[i]) {
			jw_null(hist_keys[i]);
			continue;
		}
		smc_attr_table(tb[i], hb, SMC_NLA_STATS_PLOAD_MAX);
		jw_open_obj(hist_keys[i]);
		for (j = 1; j <= SMC_NLA_STATS_PLOAD_MAX; j++) {
			if (get_u64(hb, j, &v))
				jw_u64(bucket_keys[j], v);
			else
				jw_null(bucket_keys[j]);
		}
		jw_close();
	}
	for (i = SMC_NLA_STATS_T_TX_RMB_STATS;
	     i <= SMC_NLA_STATS_T_RX_RMB_STATS; i++) {
		const char *k = i == SMC_NLA_STATS_T_TX_RMB_STATS ?
				"tx_rmb_stats" : "rx_rmb_stats";

		memset(sub, 0, sizeof(sub));
		if (!tb[i]) {
			jw_null(k);
			continue;
		}
		smc_attr_table(tb[i], sub, SMC_NLA_STATS_RMB_MAX);
		jw_open_obj(k);
		for (j = 1; j <= SMC_NLA_STATS_RMB_MAX; j++) {
			if (get_u64(sub, j, &v))
				jw_u64(rmb_keys[j], v);
			else
				jw_null(rmb_keys[j]);
		}
		jw_close();
	}
	jw_close();
}

static void text_hist(const char *label, const struct nlattr *nest)
{
	const struct nlattr *hb[SMC_NLA_STATS_PLOAD_MAX + 1] = { NULL };
	__u64 v;
	int j;

	if (!nest)
		return;
	smc_attr_table(nest, hb, SMC_NLA_STATS_PLOAD_MAX);
	printf("    %-14s", label);
	for (j = 1; j <= SMC_NLA_STATS_PLOAD_MAX; j++) {
		get_u64(hb, j, &v);
		printf(" %s:%llu", bucket_keys[j], (unsigned long long)v);
	}
	printf("\n");
}

static void text_rmb(const char *label, const struct nlattr *nest)
{
	const struct nlattr *sub[SMC_NLA_STATS_RMB_MAX + 1] = { NULL };
	__u64 v[SMC_NLA_STATS_RMB_MAX + 1];
	int j;

	if (!nest)
		return;
	smc_attr_table(nest, sub, SMC_NLA_STATS_RMB_MAX);
	for (j = 1; j <= SMC_NLA_STATS_RMB_MAX; j++)
		get_u64(sub, j, &v[j]);
#define R(x) ((unsigned long long)v[SMC_NLA_STATS_RMB_##x])
	printf("    %-14s alloc %llu reuse %llu downgrade %llu", label,
	       R(ALLOC_CNT), R(REUSE_CNT), R(DGRADE_CNT));
	printf(" full %llu full(peer) %llu", R(FULL_CNT), R(FULL_PEER_CNT));
	printf(" too small %llu too small(peer) %llu\n", R(SIZE_SM_CNT),
	       R(SIZE_SM_PEER_CNT));
#undef R
}

static void text_tech(const char *title, const struct nlattr *nest)
{
	const struct nlattr *tb[SMC_NLA_STATS_T_MAX + 1] = { NULL };
	__u64 v[SMC_NLA_STATS_T_MAX + 1];
	int i;

	printf("%s\n", title);
	if (!nest) {
		printf("  n/a\n");
		return;
	}
	smc_attr_table(nest, tb, SMC_NLA_STATS_T_MAX);
	for (i = 0; i <= SMC_NLA_STATS_T_MAX; i++)
		get_u64(tb, i, &v[i]);
#define V(x) ((unsigned long long)v[SMC_NLA_STATS_T_##x])
	printf("  Connections    client v1 %llu v2 %llu  server v1 %llu v2 %llu\n",
	       V(CLNT_V1_SUCC), V(CLNT_V2_SUCC), V(SRV_V1_SUCC),
	       V(SRV_V2_SUCC));
	printf("  Data           rx %llu bytes in %llu calls", V(RX_BYTES),
	       V(RX_CNT));
	printf("  tx %llu bytes in %llu calls\n", V(TX_BYTES), V(TX_CNT));
	printf("  Calls          sendpage %llu splice %llu cork %llu",
	       V(SENDPAGE_CNT), V(SPLICE_CNT), V(CORK_CNT));
	printf(" nodelay %llu urgent %llu\n", V(NDLY_CNT), V(URG_DATA_CNT));
#undef V
	if (!opts.details)
		return;
	text_hist("TX buffers", tb[SMC_NLA_STATS_T_TX_RMB_SIZE]);
	text_hist("RX buffers", tb[SMC_NLA_STATS_T_RX_RMB_SIZE]);
	text_hist("TX payloads", tb[SMC_NLA_STATS_T_TXPLOAD_SIZE]);
	text_hist("RX payloads", tb[SMC_NLA_STATS_T_RXPLOAD_SIZE]);
	text_rmb("TX buffer use", tb[SMC_NLA_STATS_T_TX_RMB_STATS]);
	text_rmb("RX buffer use", tb[SMC_NLA_STATS_T_RX_RMB_STATS]);
}

static void json_fallback(const struct stats *s)
{
	unsigned int i;

	jw_open_obj("fallback");
	jw_u64("client", s->have_totals ? s->fb_clnt : 0);
	jw_u64("server", s->have_totals ? s->fb_srv : 0);
	jw_open_arr("reasons");
	for (i = 0; i < s->nr; i++) {
		jw_open_obj(NULL);
		jw_str("side", s->r[i].server ? "server" : "client");
		jw_hex32("code", s->r[i].code);
		jw_str("text", smc_reason_str(s->r[i].code));
		jw_u64("count", s->r[i].count);
		jw_close();
	}
	jw_close();
	jw_close();
}

static void text_fallback(const struct stats *s)
{
	unsigned int i, side;

	printf("Fallbacks to TCP  client %llu  server %llu\n",
	       (unsigned long long)(s->have_totals ? s->fb_clnt : 0),
	       (unsigned long long)(s->have_totals ? s->fb_srv : 0));
	for (side = 0; side < 2; side++)
		for (i = 0; i < s->nr; i++) {
			if (s->r[i].server != side)
				continue;
			printf("  %-6s %6u  0x%08x %s\n",
			       side ? "server" : "client", s->r[i].count,
			       s->r[i].code, smc_reason_str(s->r[i].code));
		}
}

int cmd_stats(int argc, char **argv)
{
	bool want_d = true, want_r = true;
	struct smc_genl g;
	int rc, err;

	if (argc > 0 && matches(argv[0], "show")) {
		argc--;
		argv++;
	}
	if (argc > 0) {
		if (!strcmp(argv[0], "smcd"))
			want_r = false;
		else if (!strcmp(argv[0], "smcr"))
			want_d = false;
		else
			return usage_error("stats: unknown argument \"%s\" (smcd or smcr)",
					   argv[0]);
		if (argc > 1)
			return usage_error("stats: unexpected argument \"%s\"",
					   argv[1]);
	}
	rc = smc_genl_open(&g, SMC_GENL_FAMILY_NAME);
	if (rc)
		return rc;
	err = smc_genl_simple(&g, SMC_NETLINK_GET_STATS, true, stats_cb, &st);
	if (err) {
		smc_genl_close(&g);
		return smc_report_error(err, "reading the statistics");
	}
	err = smc_genl_simple(&g, SMC_NETLINK_GET_FBACK_STATS, true, fback_cb,
			      &st);
	smc_genl_close(&g);
	if (err)
		return smc_report_error(err, "reading the fallback statistics");
	if (!st.seen) {
		err_msg("the kernel sent no statistics");
		return EXIT_FAIL;
	}

	if (opts.json) {
		jw_open_obj(NULL);
		if (want_d)
			json_tech("smcd", st.tech[0]);
		if (want_r)
			json_tech("smcr", st.tech[1]);
		if (st.have_hs_err) {
			jw_u64("clnt_hs_err_cnt", st.clnt_hs_err);
			jw_u64("srv_hs_err_cnt", st.srv_hs_err);
		} else {
			jw_null("clnt_hs_err_cnt");
			jw_null("srv_hs_err_cnt");
		}
		json_fallback(&st);
		jw_end();
		return EXIT_OK;
	}
	if (want_d)
		text_tech("SMC-D", st.tech[0]);
	if (want_r)
		text_tech("SMC-R", st.tech[1]);
	printf("Handshake errors  client %llu  server %llu\n",
	       (unsigned long long)st.clnt_hs_err, (unsigned long long)st.srv_hs_err);
	text_fallback(&st);
	return EXIT_OK;
}
