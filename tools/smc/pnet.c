// SPDX-License-Identifier: GPL-2.0
/*
 * smc - "smc pnet": the PNET table of the network namespace, which
 * assigns physical network IDs to network interfaces and RDMA device
 * ports (generic netlink family SMC_PNETID).
 */
#include <ctype.h>
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/smc.h>

#include "smc.h"

#define PNETID_MAX_LEN	16	/* characters, without NUL */
#define IBNAME_MAX_LEN	63

struct pnet_walk {
	unsigned int	n;
};

static int pnet_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[SMC_PNETID_MAX + 1] = { NULL };
	struct pnet_walk *w = data;
	const char *name, *eth, *ib;
	__u8 port;
	bool have_port;

	smc_attr_table_msg(nlh, tb, SMC_PNETID_MAX);
	name = smc_attr_str(tb[SMC_PNETID_NAME]);
	if (!name)
		return 0;
	eth = smc_attr_str(tb[SMC_PNETID_ETHNAME]);
	ib = smc_attr_str(tb[SMC_PNETID_IBNAME]);
	have_port = smc_attr_u8(tb[SMC_PNETID_IBPORT], &port);
	w->n++;
	if (opts.json) {
		jw_open_obj(NULL);
		jw_str("pnetid", name);
		jw_str("eth_name", eth);
		jw_str("ib_name", ib);
		if (have_port)
			jw_u64("ib_port", port);
		else
			jw_null("ib_port");
		jw_close();
		return 0;
	}
	if (w->n == 1)
		printf("%-16s %-16s %-16s %s\n", "PNET-ID", "Net-Dev", "IB-Dev",
		       "IB-Port");
	printf("%-16s %-16s %-16s ", name, eth ? eth : "-", ib ? ib : "-");
	if (have_port)
		printf("%u\n", port);
	else
		printf("-\n");
	return 0;
}

static const char *pnetid_check(const char *id)
{
	size_t len = strlen(id), i;

	if (!len || len > PNETID_MAX_LEN)
		return "a PNET ID has 1 to 16 characters";
	for (i = 0; i < len; i++)
		if (!isalnum((unsigned char)id[i]))
			return "a PNET ID has only letters and digits";
	return NULL;
}

static int pnet_show(struct smc_genl *g, const char *id)
{
	char buf[SMC_REQ_BUF];
	struct pnet_walk w = { 0 };
	struct nlmsghdr *nlh;
	int err;

	nlh = smc_genl_msg(g, buf, SMC_PNETID_GET, !id);
	if (id)
		mnl_attr_put_strz(nlh, SMC_PNETID_NAME, id);
	if (opts.json)
		jw_open_arr(NULL);
	err = smc_genl_talk(g, nlh, pnet_cb, &w);
	if (opts.json)
		jw_end();
	if (err)
		return smc_report_error(err, "reading the PNET table");
	return EXIT_OK;
}

static int pnet_add(struct smc_genl *g, int argc, char **argv)
{
	const char *id = argv[0], *eth = NULL, *ib = NULL, *why;
	char buf[SMC_REQ_BUF];
	struct nlmsghdr *nlh;
	long port = -1;
	char *end;
	int a, err;

	for (a = 1; a < argc; a += 2) {
		if (a + 1 >= argc)
			return usage_error("pnet add: \"%s\" needs a value",
					   argv[a]);
		if (!strcmp(argv[a], "dev") || !strcmp(argv[a], "interface")) {
			eth = argv[a + 1];
		} else if (!strcmp(argv[a], "ib") ||
			   !strcmp(argv[a], "ibdev")) {
			ib = argv[a + 1];
		} else if (!strcmp(argv[a], "port")) {
			port = strtol(argv[a + 1], &end, 10);
			if (*end || end == argv[a + 1] || port < 1 || port > 255)
				return usage_error("pnet add: invalid port \"%s\"",
						   argv[a + 1]);
		} else {
			return usage_error("pnet add: unknown argument \"%s\"",
					   argv[a]);
		}
	}
	if (!eth && !ib)
		return usage_error("pnet add: give \"dev IFNAME\" or \"ib IBDEV\"");
	if (port >= 0 && !ib)
		return usage_error("pnet add: \"port\" goes with \"ib\"");
	if (eth && strlen(eth) >= IF_NAMESIZE)
		return usage_error("pnet add: interface name \"%s\" is too long",
				   eth);
	if (ib && strlen(ib) > IBNAME_MAX_LEN)
		return usage_error("pnet add: RDMA device name \"%s\" is too long",
				   ib);

	nlh = smc_genl_msg(g, buf, SMC_PNETID_ADD, false);
	mnl_attr_put_strz(nlh, SMC_PNETID_NAME, id);
	if (eth)
		mnl_attr_put_strz(nlh, SMC_PNETID_ETHNAME, eth);
	if (ib) {
		mnl_attr_put_strz(nlh, SMC_PNETID_IBNAME, ib);
		mnl_attr_put_u8(nlh, SMC_PNETID_IBPORT, port < 0 ? 1 : port);
	}
	err = smc_genl_talk(g, nlh, NULL, NULL);
	if (err == -EEXIST) {
		err_msg("adding the PNET entry: %s already has a PNET ID",
			eth ? eth : ib);
		return EXIT_FAIL;
	}
	why = "adding the PNET entry";
	return err ? smc_report_error(err, why) : EXIT_OK;
}

int cmd_pnet(int argc, char **argv)
{
	static const char *const cmds[] = { "show", "add", "del", "flush" };
	char buf[SMC_REQ_BUF];
	struct nlmsghdr *nlh;
	struct smc_genl g;
	const char *why;
	int c = 0, i, rc, err;

	if (argc > 0) {
		for (c = -1, i = 0; i < (int)ARRAY_SIZE(cmds) && c < 0; i++)
			if (matches(argv[0], cmds[i]))
				c = i;
		if (c < 0 && !strcmp(argv[0], "delete"))
			c = 2;
		if (c < 0)
			return usage_error("pnet: unknown command \"%s\"",
					   argv[0]);
		argc--;
		argv++;
	}
	if ((c == 0 && argc > 1) || (c == 2 && argc != 1) ||
	    (c == 3 && argc) || (c == 1 && argc < 1))
		return usage_error("pnet %s: wrong number of arguments",
				   cmds[c]);
	if (argc > 0) {
		why = pnetid_check(argv[0]);
		if (why)
			return usage_error("invalid PNET ID \"%s\": %s",
					   argv[0], why);
	}

	rc = smc_genl_open(&g, SMCR_GENL_FAMILY_NAME);
	if (rc)
		return rc;
	switch (c) {
	case 0:
		rc = pnet_show(&g, argc ? argv[0] : NULL);
		break;
	case 1:
		rc = pnet_add(&g, argc, argv);
		break;
	case 2:
		nlh = smc_genl_msg(&g, buf, SMC_PNETID_DEL, false);
		mnl_attr_put_strz(nlh, SMC_PNETID_NAME, argv[0]);
		err = smc_genl_talk(&g, nlh, NULL, NULL);
		if (err == -ENOENT) {
			err_msg("deleting the PNET ID: %s is not defined",
				argv[0]);
			rc = EXIT_FAIL;
		} else {
			rc = err ? smc_report_error(err, "deleting the PNET ID") : 0;
		}
		break;
	default:
		err = smc_genl_simple(&g, SMC_PNETID_FLUSH, false, NULL, NULL);
		rc = err ? smc_report_error(err, "flushing the PNET table") : 0;
		break;
	}
	smc_genl_close(&g);
	return rc;
}
