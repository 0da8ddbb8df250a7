// SPDX-License-Identifier: GPL-2.0
/*
 * smc - "smc info" (GET_SYS_INFO), "smc hs-limit" (handshake limitation
 * of the network namespace) and "smc reason" (reason codes in words,
 * no kernel involved).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/smc.h>

#include "smc.h"

struct sys_info {
	bool	seen;
	__u8	ver, rel, ism_v2, smcr_v2;
	bool	have_ver, have_rel, have_ism_v2, have_smcr_v2;
	char	host[SMC_MAX_HOSTNAME_LEN + 1];
	char	seid[SMC_MAX_EID_LEN + 1];
	bool	have_host, have_seid;
};

static void copy_trimmed(char *dst, size_t size, const char *src)
{
	size_t len;

	snprintf(dst, size, "%s", src);
	len = strlen(dst);
	while (len && dst[len - 1] == ' ')
		dst[--len] = '\0';
}

static int info_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *top[SMC_GEN_MAX + 1] = { NULL };
	const struct nlattr *tb[SMC_NLA_SYS_MAX + 1] = { NULL };
	struct sys_info *si = data;
	const char *s;

	smc_attr_table_msg(nlh, top, SMC_GEN_MAX);
	if (!top[SMC_GEN_SYS_INFO])
		return 0;
	smc_attr_table(top[SMC_GEN_SYS_INFO], tb, SMC_NLA_SYS_MAX);
	si->seen = true;
	si->have_ver = smc_attr_u8(tb[SMC_NLA_SYS_VER], &si->ver);
	si->have_rel = smc_attr_u8(tb[SMC_NLA_SYS_REL], &si->rel);
	si->have_ism_v2 = smc_attr_u8(tb[SMC_NLA_SYS_IS_ISM_V2], &si->ism_v2);
	si->have_smcr_v2 = smc_attr_u8(tb[SMC_NLA_SYS_IS_SMCR_V2],
				       &si->smcr_v2);
	s = smc_attr_str(tb[SMC_NLA_SYS_LOCAL_HOST]);
	si->have_host = s;
	if (s)
		copy_trimmed(si->host, sizeof(si->host), s);
	s = smc_attr_str(tb[SMC_NLA_SYS_SEID]);
	si->have_seid = s;
	if (s)
		copy_trimmed(si->seid, sizeof(si->seid), s);
	return 0;
}

static const char *yes_no(bool have, __u8 v)
{
	return !have ? "n/a" : v ? "yes" : "no";
}

static void json_flag(const char *key, bool have, __u8 v)
{
	if (have)
		jw_bool(key, v);
	else
		jw_null(key);
}

int cmd_info(int argc, char **argv)
{
	struct sys_info si = { 0 };
	struct smc_genl g;
	int rc, err;

	if (argc > 0 && !matches(argv[0], "show"))
		return usage_error("info: unknown command \"%s\"", argv[0]);
	rc = smc_genl_open(&g, SMC_GENL_FAMILY_NAME);
	if (rc)
		return rc;
	err = smc_genl_simple(&g, SMC_NETLINK_GET_SYS_INFO, true, info_cb,
			      &si);
	smc_genl_close(&g);
	if (err)
		return smc_report_error(err, "reading the system information");
	if (!si.seen) {
		err_msg("the kernel sent no system information");
		return EXIT_FAIL;
	}
	if (opts.json) {
		jw_open_obj(NULL);
		if (si.have_ver)
			jw_u64("version", si.ver);
		else
			jw_null("version");
		if (si.have_rel)
			jw_u64("release", si.rel);
		else
			jw_null("release");
		jw_str("hostname", si.have_host ? si.host : NULL);
		jw_str("seid", si.have_seid ? si.seid : NULL);
		json_flag("smcd_v2", si.have_ism_v2, si.ism_v2);
		json_flag("smcr_v2", si.have_smcr_v2, si.smcr_v2);
		jw_end();
		return EXIT_OK;
	}
	if (si.have_ver)
		printf("SMC version:  %u.%u\n", si.ver, si.have_rel ? si.rel : 0);
	else
		printf("SMC version:  n/a\n");
	printf("Hostname:     %s\n", si.have_host ? si.host : "n/a");
	printf("System EID:   %s\n", si.have_seid ? si.seid : "n/a");
	printf("SMC-Dv2 (ISM) capable: %s\n",
	       yes_no(si.have_ism_v2, si.ism_v2));
	printf("SMC-Rv2 capable:       %s\n",
	       yes_no(si.have_smcr_v2, si.smcr_v2));
	return EXIT_OK;
}

struct hs_state {
	bool	seen;
	__u8	enabled;
};

static int hs_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[SMC_NLA_HS_LIMITATION_MAX + 1] = { NULL };
	struct hs_state *hs = data;

	smc_attr_table_msg(nlh, tb, SMC_NLA_HS_LIMITATION_MAX);
	if (smc_attr_u8(tb[SMC_NLA_HS_LIMITATION_ENABLED], &hs->enabled))
		hs->seen = true;
	return 0;
}

int cmd_hs_limit(int argc, char **argv)
{
	static const char *const cmds[] = { "show", "enable", "disable" };
	struct hs_state hs = { 0 };
	struct smc_genl g;
	int c = 0, i, rc, err;

	if (argc > 0) {
		for (c = -1, i = 0; i < (int)ARRAY_SIZE(cmds) && c < 0; i++)
			if (matches(argv[0], cmds[i]))
				c = i;
		if (c < 0)
			return usage_error("hs-limit: unknown command \"%s\"",
					   argv[0]);
		if (argc > 1)
			return usage_error("hs-limit %s: unexpected argument \"%s\"",
					   cmds[c], argv[1]);
	}
	rc = smc_genl_open(&g, SMC_GENL_FAMILY_NAME);
	if (rc)
		return rc;
	if (c) {
		err = smc_genl_simple(&g, c == 1 ?
				      SMC_NETLINK_ENABLE_HS_LIMITATION :
				      SMC_NETLINK_DISABLE_HS_LIMITATION,
				      false, NULL, NULL);
		smc_genl_close(&g);
		if (err)
			return smc_report_error(err, c == 1 ?
				"enabling the handshake limitation" :
				"disabling the handshake limitation");
		return EXIT_OK;
	}
	err = smc_genl_simple(&g, SMC_NETLINK_DUMP_HS_LIMITATION, true, hs_cb,
			      &hs);
	smc_genl_close(&g);
	if (err)
		return smc_report_error(err, "reading the handshake limitation");
	if (!hs.seen) {
		err_msg("the kernel sent no handshake limitation state");
		return EXIT_FAIL;
	}
	if (opts.json) {
		jw_open_obj(NULL);
		jw_bool("enabled", hs.enabled);
		jw_end();
	} else {
		printf("handshake limitation: %s\n",
		       hs.enabled ? "enabled" : "disabled");
	}
	return EXIT_OK;
}

static void reason_one(__u32 code)
{
	if (opts.json) {
		jw_open_obj(NULL);
		jw_hex32("code", code);
		jw_str("text", smc_reason_str(code));
		jw_close();
	} else {
		printf("0x%08x %s\n", code, smc_reason_str(code));
	}
}

int cmd_reason(int argc, char **argv)
{
	unsigned long v;
	unsigned int i;
	char *end;
	int a;

	for (a = 0; a < argc; a++) {
		errno = 0;
		v = strtoul(argv[a], &end, 16);
		if (errno || end == argv[a] || *end || v > 0xffffffffUL)
			return usage_error("reason: \"%s\" is not a hexadecimal reason code",
					   argv[a]);
	}
	if (opts.json)
		jw_open_arr(NULL);
	if (!argc) {
		for (i = 0; i < smc_reason_count(); i++)
			reason_one(smc_reason_code(i));
	}
	for (a = 0; a < argc; a++)
		reason_one((__u32)strtoul(argv[a], NULL, 16));
	if (opts.json)
		jw_end();
	return EXIT_OK;
}
