/* SPDX-License-Identifier: GPL-2.0 */
/*
 * smc - administration of Shared Memory Communications (AF_SMC).
 *
 * Declarations shared by the command modules: the generic netlink
 * session on top of libmnl, the JSON/text output helpers and the
 * fallback reason table.
 */
#ifndef SMC_TOOL_H
#define SMC_TOOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <linux/types.h>

#include <libmnl/libmnl.h>

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* Room for any request we build */
#define SMC_REQ_BUF	8192

/* Exit statuses (documented in smc.8) */
#define EXIT_OK		0
#define EXIT_FAIL	1	/* the kernel refused or failed the request */
#define EXIT_USAGE	2	/* bad command line */
#define EXIT_NOMOD	3	/* SMC module (or smc_diag) not loaded */
#define EXIT_PERM	4	/* permission denied */
#define EXIT_NOTSUPP	5	/* the kernel does not support the request */

/* Global options */
struct smc_opts {
	bool	json;
	bool	pretty;
	bool	details;
	bool	all;
	bool	listening;
};

extern struct smc_opts opts;
extern const char *progname;

/* ---- netlink (nl.c) ---- */

/* One reply message as handed to a command's callback */
typedef int (*smc_msg_cb)(const struct nlmsghdr *nlh, void *data);

struct smc_genl {
	struct mnl_socket	*sk;
	const char		*name;
	__u16			id;
	unsigned int		portid;
	unsigned int		seq;
};

/*
 * Open a generic netlink socket and resolve @family.  Returns 0, or an
 * exit status after printing an error.
 */
int smc_genl_open(struct smc_genl *g, const char *family);
/* Open a plain netlink socket of protocol @bus (NETLINK_SOCK_DIAG) */
int smc_nl_open(struct smc_genl *g, int bus);
void smc_genl_close(struct smc_genl *g);

/*
 * Build a request: returns the message header to which attributes can
 * be appended with mnl_attr_put*().  @buf must be SMC_REQ_BUF.
 */
struct nlmsghdr *smc_genl_msg(struct smc_genl *g, void *buf, __u8 cmd,
			      bool dump);

/*
 * Send @nlh and read all replies, calling @cb for each data message.
 * Returns 0 or a negative errno (the kernel's or a local one).
 */
int smc_genl_talk(struct smc_genl *g, struct nlmsghdr *nlh, smc_msg_cb cb,
		  void *data);
/* Same for any netlink request (@dump: the reply ends with NLMSG_DONE) */
int smc_nl_talk(struct smc_genl *g, struct nlmsghdr *nlh, bool dump,
		smc_msg_cb cb, void *data);

/* Request without attributes; see smc_genl_talk() */
int smc_genl_simple(struct smc_genl *g, __u8 cmd, bool dump, smc_msg_cb cb,
		    void *data);

/*
 * Turn a negative errno from smc_genl_talk() into a message (with
 * @what, e.g. "adding the user EID") and an exit status.
 */
int smc_report_error(int err, const char *what);

/* The kernel's extended ack text of the last failed request, or NULL */
const char *smc_extack_msg(void);

/* Collect the attributes of a nest or payload into @tb (indexed by type) */
int smc_attr_table(const struct nlattr *nest, const struct nlattr **tb,
		   unsigned int max);
int smc_attr_table_msg(const struct nlmsghdr *nlh, const struct nlattr **tb,
		       unsigned int max);

/* Checked accessors: false when missing or too short */
bool smc_attr_u8(const struct nlattr *a, __u8 *v);
bool smc_attr_u16(const struct nlattr *a, __u16 *v);
bool smc_attr_u32(const struct nlattr *a, __u32 *v);
bool smc_attr_u64(const struct nlattr *a, __u64 *v);
/* NUL-terminated string attribute, or NULL */
const char *smc_attr_str(const struct nlattr *a);

/* ---- output (out.c) ---- */

/*
 * JSON writer.  Values are written with a key inside objects and with a
 * NULL key inside arrays; commas and indentation are taken care of.
 */
void jw_open_obj(const char *key);
void jw_open_arr(const char *key);
void jw_close(void);
void jw_str(const char *key, const char *val);
void jw_strn(const char *key, const char *val, size_t max);
void jw_u64(const char *key, __u64 val);
void jw_int(const char *key, long long val);
void jw_bool(const char *key, bool val);
void jw_null(const char *key);
void jw_hex32(const char *key, __u32 val);	/* "0x%08x" string */
/* Finish the document (newline); call once per command */
void jw_end(void);

/* ---- fallback reasons (reasons.c) ---- */

const char *smc_reason_str(__u32 code);
/* Number of table entries and the i-th code, for the self-check */
unsigned int smc_reason_count(void);
__u32 smc_reason_code(unsigned int i);

/* ---- commands ---- */

int cmd_dev(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_conn(int argc, char **argv);
int cmd_pnet(int argc, char **argv);
int cmd_ueid(int argc, char **argv);
int cmd_seid(int argc, char **argv);
int cmd_info(int argc, char **argv);
int cmd_hs_limit(int argc, char **argv);
int cmd_reason(int argc, char **argv);

/* ---- helpers (smc.c) ---- */

bool matches(const char *arg, const char *word);

/*
 * Messages on stderr; FMT must be a string literal (so that the compiler
 * checks the arguments against it).  usage_error() evaluates to the
 * exit status of a usage error.
 */
#define err_msg(fmt, ...) \
	fprintf(stderr, "Error: " fmt "\n", ##__VA_ARGS__)
#define usage_error(fmt, ...) \
	(fprintf(stderr, "Error: " fmt "\nTry '%s help'.\n", ##__VA_ARGS__, \
		 progname), EXIT_USAGE)

#endif /* SMC_TOOL_H */
