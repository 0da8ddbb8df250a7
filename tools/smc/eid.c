// SPDX-License-Identifier: GPL-2.0
/*
 * smc - enterprise IDs: "smc ueid" (user EIDs: show, add, del, flush)
 * and "smc seid" (system EID: show, enable, disable).
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <linux/smc.h>

#include "smc.h"

/* Index of @arg in @words (abbreviations allowed), or -1 */
static int pick(const char *arg, const char *const *words, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (matches(arg, words[i]))
			return i;
	return -1;
}

/* An EID without its blank padding, into @out (SMC_MAX_EID_LEN + 1) */
static void eid_trim(const char *eid, char *out)
{
	size_t len = strnlen(eid, SMC_MAX_EID_LEN);

	memcpy(out, eid, len);
	while (len && out[len - 1] == ' ')
		len--;
	out[len] = '\0';
}

/*
 * Check a user EID as the SMC tools and the kernel do, upper-casing it
 * on the way: 1..32 characters out of A-Z 0-9 '.' '-', starting with a
 * letter or digit, and no "..".  On success @wire holds the EID blank
 * padded to 32 characters plus NUL, as the kernel expects it.
 */
static const char *ueid_check(const char *eid, char *wire)
{
	size_t len = strlen(eid), i;

	if (!len)
		return "it is empty";
	if (len > SMC_MAX_EID_LEN)
		return "it is longer than 32 characters";
	if (!isalnum((unsigned char)eid[0]))
		return "it must start with a letter or a digit";
	for (i = 0; i < len; i++) {
		unsigned char c = eid[i];

		if (!isalnum(c) && c != '.' && c != '-')
			return "only letters, digits, '.' and '-' are allowed";
		if (c == '.' && i && eid[i - 1] == '.')
			return "it must not contain \"..\"";
		wire[i] = toupper(c);
	}
	memset(wire + len, ' ', SMC_MAX_EID_LEN - len);
	wire[SMC_MAX_EID_LEN] = '\0';
	return NULL;
}

struct eid_list {
	unsigned int	n;
};

static int ueid_show_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[SMC_NLA_EID_TABLE_MAX + 1] = { NULL };
	struct eid_list *l = data;
	char eid[SMC_MAX_EID_LEN + 1];
	const char *s;

	smc_attr_table_msg(nlh, tb, SMC_NLA_EID_TABLE_MAX);
	s = smc_attr_str(tb[SMC_NLA_EID_TABLE_ENTRY]);
	if (!s)
		return 0;
	eid_trim(s, eid);
	if (opts.json)
		jw_str(NULL, eid);
	else
		printf("%s\n", eid);
	l->n++;
	return 0;
}

static int ueid_show(struct smc_genl *g)
{
	struct eid_list l = { 0 };
	int err;

	if (opts.json)
		jw_open_arr(NULL);
	err = smc_genl_simple(g, SMC_NETLINK_DUMP_UEID, true, ueid_show_cb,
			      &l);
	if (opts.json)
		jw_end();
	if (err)
		return smc_report_error(err, "reading the user EIDs");
	return EXIT_OK;
}

static int ueid_change(struct smc_genl *g, __u8 cmd, const char *eid,
		       const char *wire)
{
	char buf[SMC_REQ_BUF];
	struct nlmsghdr *nlh;
	const char *what;
	int err;

	what = cmd == SMC_NETLINK_ADD_UEID ? "adding the user EID" :
					     "removing the user EID";
	nlh = smc_genl_msg(g, buf, cmd, false);
	mnl_attr_put(nlh, SMC_NLA_EID_TABLE_ENTRY, SMC_MAX_EID_LEN + 1, wire);
	err = smc_genl_talk(g, nlh, NULL, NULL);
	switch (err) {
	case 0:
		return EXIT_OK;
	case -EEXIST:
		err_msg("%s: %s is already defined", what, eid);
		return EXIT_FAIL;
	case -ERANGE:
		err_msg("%s: the table is full (at most %d user EIDs)", what,
			SMC_MAX_UEID);
		return EXIT_FAIL;
	case -ENOENT:
		err_msg("%s: %s is not defined", what, eid);
		return EXIT_FAIL;
	case -EINVAL:
		err_msg("%s: the kernel rejected \"%s\"", what, eid);
		return EXIT_FAIL;
	case -EAGAIN:
		/* s390: the system EID took over as the last UEID went */
		printf("Info: the system EID was activated because the last %s\n",
		       "user EID was removed");
		return EXIT_OK;
	}
	return smc_report_error(err, what);
}

int cmd_ueid(int argc, char **argv)
{
	static const char *const cmds[] = { "show", "add", "del", "flush" };
	char wire[SMC_MAX_EID_LEN + 1];
	struct smc_genl g;
	const char *why;
	int c = 0, rc, err;

	if (argc > 0) {
		c = pick(argv[0], cmds, ARRAY_SIZE(cmds));
		if (c < 0 && !strcmp(argv[0], "delete"))
			c = 2;
		if (c < 0)
			return usage_error("ueid: unknown command \"%s\"",
					   argv[0]);
	}
	if ((c == 1 || c == 2) && argc != 2)
		return usage_error("ueid %s: give exactly one EID", cmds[c]);
	if ((c == 0 || c == 3) && argc > 1)
		return usage_error("ueid %s: unexpected argument \"%s\"",
				   cmds[c], argv[1]);
	if (c == 1 || c == 2) {
		why = ueid_check(argv[1], wire);
		if (why)
			return usage_error("invalid user EID \"%s\": %s",
					   argv[1], why);
	}
	rc = smc_genl_open(&g, SMC_GENL_FAMILY_NAME);
	if (rc)
		return rc;
	switch (c) {
	case 0:
		rc = ueid_show(&g);
		break;
	case 1:
		rc = ueid_change(&g, SMC_NETLINK_ADD_UEID, argv[1], wire);
		break;
	case 2:
		rc = ueid_change(&g, SMC_NETLINK_REMOVE_UEID, argv[1], wire);
		break;
	default:
		err = smc_genl_simple(&g, SMC_NETLINK_FLUSH_UEID, false, NULL,
				      NULL);
		rc = err ? smc_report_error(err, "flushing the user EIDs") : 0;
		break;
	}
	smc_genl_close(&g);
	return rc;
}

struct seid_info {
	bool	have_seid;
	bool	have_enabled;
	char	seid[SMC_MAX_EID_LEN + 1];
	__u8	enabled;
};

static int seid_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[SMC_NLA_SEID_TABLE_MAX + 1] = { NULL };
	struct seid_info *si = data;
	const char *s;

	smc_attr_table_msg(nlh, tb, SMC_NLA_SEID_TABLE_MAX);
	s = smc_attr_str(tb[SMC_NLA_SEID_ENTRY]);
	if (s) {
		eid_trim(s, si->seid);
		si->have_seid = true;
	}
	if (smc_attr_u8(tb[SMC_NLA_SEID_ENABLED], &si->enabled))
		si->have_enabled = true;
	return 0;
}

static int seid_show(struct smc_genl *g)
{
	struct seid_info si = { 0 };
	int err;

	err = smc_genl_simple(g, SMC_NETLINK_DUMP_SEID, true, seid_cb, &si);
	if (err)
		return smc_report_error(err, "reading the system EID");
	if (opts.json) {
		jw_open_obj(NULL);
		jw_str("seid", si.have_seid ? si.seid : NULL);
		if (si.have_enabled)
			jw_bool("enabled", si.enabled);
		else
			jw_null("enabled");
		jw_end();
	} else if (!si.have_seid) {
		printf("n/a\n");
	} else {
		printf("%s", si.seid);
		if (si.have_enabled)
			printf(" [%s]", si.enabled ? "enabled" : "disabled");
		printf("\n");
	}
	return EXIT_OK;
}

int cmd_seid(int argc, char **argv)
{
	static const char *const cmds[] = { "show", "enable", "disable" };
	struct smc_genl g;
	int c = 0, rc, err;

	if (argc > 0) {
		c = pick(argv[0], cmds, ARRAY_SIZE(cmds));
		if (c < 0)
			return usage_error("seid: unknown command \"%s\"",
					   argv[0]);
		if (argc > 1)
			return usage_error("seid %s: unexpected argument \"%s\"",
					   cmds[c], argv[1]);
	}
	rc = smc_genl_open(&g, SMC_GENL_FAMILY_NAME);
	if (rc)
		return rc;
	if (c == 0) {
		rc = seid_show(&g);
	} else {
		err = smc_genl_simple(&g, c == 1 ? SMC_NETLINK_ENABLE_SEID :
					  SMC_NETLINK_DISABLE_SEID,
				      false, NULL, NULL);
		if (err == -ENOENT && c == 2) {
			err_msg("the system EID cannot be disabled while %s",
				"no user EID is defined");
			rc = EXIT_FAIL;
		} else if (err) {
			rc = smc_report_error(err, c == 1 ?
					      "enabling the system EID" :
					      "disabling the system EID");
		}
	}
	smc_genl_close(&g);
	return rc;
}
