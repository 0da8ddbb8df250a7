// SPDX-License-Identifier: GPL-2.0
/*
 * smc - "smc dev": SMC-D devices (GET_DEV_SMCD) and SMC-R devices
 * (GET_DEV_SMCR), one message per device, each with up to two ports.
 */
#include <net/if.h>
#include <stdio.h>
#include <string.h>

#include <linux/smc.h>

#include "smc.h"

struct dev_walk {
	const char	*kind;	/* "smcd" or "smcr" */
	int		nest;	/* SMC_GEN_DEV_SMCD or SMC_GEN_DEV_SMCR */
	unsigned int	n;
};

static void json_u(const char *key, const struct nlattr *a, int bits)
{
	__u32 v32;
	__u16 v16;
	__u8 v8;

	if (bits == 8 && smc_attr_u8(a, &v8))
		jw_u64(key, v8);
	else if (bits == 16 && smc_attr_u16(a, &v16))
		jw_u64(key, v16);
	else if (bits == 32 && smc_attr_u32(a, &v32))
		jw_u64(key, v32);
	else
		jw_null(key);
}

static void text_u(const char *label, const struct nlattr *a, int bits,
		   bool hex)
{
	__u32 v = 0;
	__u16 v16;
	__u8 v8;
	bool ok;

	if (bits == 8) {
		ok = smc_attr_u8(a, &v8);
		v = v8;
	} else if (bits == 16) {
		ok = smc_attr_u16(a, &v16);
		v = v16;
	} else {
		ok = smc_attr_u32(a, &v);
	}
	if (!ok)
		printf(" %s -", label);
	else if (hex)
		printf(" %s 0x%0*x", label, bits / 4, v);
	else
		printf(" %s %u", label, v);
}

static const char *ifname(const struct nlattr *a, char *buf)
{
	__u32 idx;

	if (!smc_attr_u32(a, &idx) || !idx)
		return NULL;
	if (!if_indextoname(idx, buf))
		snprintf(buf, IF_NAMESIZE, "if%u", idx);
	return buf;
}

static void show_port(int nr, const struct nlattr *nest)
{
	const struct nlattr *tb[SMC_NLA_DEV_PORT_MAX + 1] = { NULL };
	char name[IF_NAMESIZE];
	const char *pnetid, *dev;
	__u8 state, valid, usr;
	__u32 lnk;

	smc_attr_table(nest, tb, SMC_NLA_DEV_PORT_MAX);
	pnetid = smc_attr_str(tb[SMC_NLA_DEV_PORT_PNETID]);
	dev = ifname(tb[SMC_NLA_DEV_PORT_NETDEV], name);
	if (opts.json) {
		jw_open_obj(NULL);
		jw_int("port", nr);
		jw_str("pnetid", pnetid);
		json_u("pnetid_by_user", tb[SMC_NLA_DEV_PORT_PNET_USR], 8);
		json_u("netdev_ifindex", tb[SMC_NLA_DEV_PORT_NETDEV], 32);
		jw_str("netdev", dev);
		json_u("state", tb[SMC_NLA_DEV_PORT_STATE], 8);
		json_u("valid", tb[SMC_NLA_DEV_PORT_VALID], 8);
		json_u("link_cnt", tb[SMC_NLA_DEV_PORT_LNK_CNT], 32);
		jw_close();
		return;
	}
	printf("    port %d:", nr);
	usr = 0;
	smc_attr_u8(tb[SMC_NLA_DEV_PORT_PNET_USR], &usr);
	printf(" pnetid %s%s", usr ? "*" : "",
	       pnetid && *pnetid ? pnetid : "-");
	printf(" netdev %s", dev ? dev : "-");
	if (smc_attr_u8(tb[SMC_NLA_DEV_PORT_STATE], &state))
		printf(" state %s", state ? "active" : "inactive");
	if (smc_attr_u8(tb[SMC_NLA_DEV_PORT_VALID], &valid))
		printf(" valid %s", valid ? "yes" : "no");
	if (smc_attr_u32(tb[SMC_NLA_DEV_PORT_LNK_CNT], &lnk))
		printf(" links %u", lnk);
	printf("\n");
}

static int dev_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *top[SMC_GEN_MAX + 1] = { NULL };
	const struct nlattr *tb[SMC_NLA_DEV_MAX + 1] = { NULL };
	struct dev_walk *w = data;
	const char *pci_id, *ib;
	__u8 crit;

	smc_attr_table_msg(nlh, top, SMC_GEN_MAX);
	if (!top[w->nest])
		return 0;
	smc_attr_table(top[w->nest], tb, SMC_NLA_DEV_MAX);
	pci_id = smc_attr_str(tb[SMC_NLA_DEV_PCI_ID]);
	ib = smc_attr_str(tb[SMC_NLA_DEV_IB_NAME]);
	if (opts.json) {
		jw_open_obj(NULL);
		jw_str("ib_name", ib);
		jw_str("pci_id", pci_id);
		json_u("pci_fid", tb[SMC_NLA_DEV_PCI_FID], 32);
		json_u("pci_chid", tb[SMC_NLA_DEV_PCI_CHID], 16);
		json_u("pci_vendor", tb[SMC_NLA_DEV_PCI_VENDOR], 16);
		json_u("pci_device", tb[SMC_NLA_DEV_PCI_DEVICE], 16);
		json_u("use_cnt", tb[SMC_NLA_DEV_USE_CNT], 32);
		json_u("is_critical", tb[SMC_NLA_DEV_IS_CRIT], 8);
		jw_open_arr("ports");
	} else {
		printf("%s %u:", w->kind, w->n);
		if (ib)
			printf(" name %s", ib);
		printf(" pci_id %s", pci_id && *pci_id ? pci_id : "-");
		text_u("fid", tb[SMC_NLA_DEV_PCI_FID], 32, true);
		text_u("chid", tb[SMC_NLA_DEV_PCI_CHID], 16, true);
		text_u("vendor", tb[SMC_NLA_DEV_PCI_VENDOR], 16, true);
		text_u("device", tb[SMC_NLA_DEV_PCI_DEVICE], 16, true);
		text_u("use_cnt", tb[SMC_NLA_DEV_USE_CNT], 32, false);
		if (smc_attr_u8(tb[SMC_NLA_DEV_IS_CRIT], &crit))
			printf(" critical %s", crit ? "yes" : "no");
		printf("\n");
	}
	if (tb[SMC_NLA_DEV_PORT])
		show_port(1, tb[SMC_NLA_DEV_PORT]);
	if (tb[SMC_NLA_DEV_PORT2])
		show_port(2, tb[SMC_NLA_DEV_PORT2]);
	if (opts.json) {
		jw_close();
		jw_close();
	}
	w->n++;
	return 0;
}

int cmd_dev(int argc, char **argv)
{
	bool want_d = true, want_r = true;
	struct dev_walk w;
	struct smc_genl g;
	int rc = 0, err;

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
			return usage_error("dev: unknown argument \"%s\" (smcd or smcr)",
					   argv[0]);
		if (argc > 1)
			return usage_error("dev: unexpected argument \"%s\"",
					   argv[1]);
	}
	rc = smc_genl_open(&g, SMC_GENL_FAMILY_NAME);
	if (rc)
		return rc;
	if (opts.json)
		jw_open_obj(NULL);
	if (want_d) {
		w = (struct dev_walk){ "smcd", SMC_GEN_DEV_SMCD, 0 };
		if (opts.json)
			jw_open_arr("smcd");
		err = smc_genl_simple(&g, SMC_NETLINK_GET_DEV_SMCD, true,
				      dev_cb, &w);
		if (opts.json)
			jw_close();
		if (err)
			rc = smc_report_error(err, "reading the SMC-D devices");
	}
	if (want_r && !rc) {
		w = (struct dev_walk){ "smcr", SMC_GEN_DEV_SMCR, 0 };
		if (opts.json)
			jw_open_arr("smcr");
		err = smc_genl_simple(&g, SMC_NETLINK_GET_DEV_SMCR, true,
				      dev_cb, &w);
		if (opts.json)
			jw_close();
		if (err)
			rc = smc_report_error(err, "reading the SMC-R devices");
	}
	if (opts.json)
		jw_end();
	smc_genl_close(&g);
	return rc;
}
