// SPDX-License-Identifier: GPL-2.0
/*
 * smc - administration of Shared Memory Communications (AF_SMC).
 *
 *   smc [OPTIONS] OBJECT [COMMAND [ARGUMENTS]]
 *
 * Objects: dev, stats, conn, pnet, ueid, seid, info, hs-limit, reason.
 * Objects and commands may be abbreviated as long as they stay unique
 * in the order they are listed.  See smc(8).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "smc.h"

#define SMC_TOOL_VERSION	"0.1.0"

struct smc_opts opts;
const char *progname = "smc";

bool matches(const char *arg, const char *word)
{
	size_t len = strlen(arg);

	return len && len <= strlen(word) && !strncmp(arg, word, len);
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: smc [OPTIONS] OBJECT [COMMAND [ARGUMENTS]]\n"
		"OBJECT and COMMAND:\n"
		"  dev [show] [smcd|smcr]       SMC-D and SMC-R devices\n"
		"  stats [show] [smcd|smcr]     statistics and fallback reasons\n"
		"  conn [show] [-a] [-l] [-d]   AF_SMC sockets (sock_diag)\n"
		"  pnet [show [PNETID]]         PNET table\n"
		"  pnet add PNETID [dev IFNAME] [ib IBDEV [port N]]\n"
		"  pnet del PNETID | pnet flush\n"
		"  ueid [show] | ueid add EID | ueid del EID | ueid flush\n"
		"  seid [show] | seid enable | seid disable\n"
		"  info                         SMC version and capabilities\n"
		"  hs-limit [show] | hs-limit enable | hs-limit disable\n"
		"  reason CODE...               a fallback reason code in words\n"
		"OPTIONS:\n"
		"  -j, -json      JSON output\n"
		"  -p, -pretty    indented JSON\n"
		"  -d, -details   more detail (conn: cursors, DMBs; stats: all counters)\n"
		"  -n, -netns NAME  run in network namespace NAME (ip netns)\n"
		"  -V, -Version   print the version\n"
		"  -h, -help      this text\n");
}

static int enter_netns(const char *name)
{
	char path[256];
	int fd;

	if (strchr(name, '/'))
		snprintf(path, sizeof(path), "%s", name);
	else
		snprintf(path, sizeof(path), "/run/netns/%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		err_msg("cannot open network namespace \"%s\": %s", name,
			strerror(errno));
		return EXIT_FAIL;
	}
	if (setns(fd, CLONE_NEWNET) < 0) {
		err_msg("cannot enter network namespace \"%s\": %s", name,
			strerror(errno));
		close(fd);
		return errno == EPERM ? EXIT_PERM : EXIT_FAIL;
	}
	close(fd);
	return 0;
}

static int cmd_help(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	usage(stdout);
	return EXIT_OK;
}

static const struct {
	const char	*name;
	int		(*fn)(int argc, char **argv);
} objects[] = {
	{ "dev",	cmd_dev },
	{ "stats",	cmd_stats },
	{ "conn",	cmd_conn },
	{ "pnet",	cmd_pnet },
	{ "ueid",	cmd_ueid },
	{ "seid",	cmd_seid },
	{ "info",	cmd_info },
	{ "hs-limit",	cmd_hs_limit },
	{ "reason",	cmd_reason },
	{ "help",	cmd_help },
};

/* Options given as -x or -word or --word */
static bool is_opt(const char *arg, const char *shrt, const char *lng)
{
	if (arg[0] != '-')
		return false;
	arg += arg[1] == '-' ? 2 : 1;
	return !strcmp(arg, shrt) || (strlen(arg) > 1 && matches(arg, lng));
}

int main(int argc, char **argv)
{
	unsigned int i;
	int rc;

	argc--;
	argv++;
	while (argc > 0 && argv[0][0] == '-') {
		if (is_opt(argv[0], "j", "json")) {
			opts.json = true;
		} else if (is_opt(argv[0], "p", "pretty")) {
			opts.pretty = true;
		} else if (is_opt(argv[0], "d", "details")) {
			opts.details = true;
		} else if (is_opt(argv[0], "n", "netns")) {
			if (argc < 2)
				return usage_error("option %s needs a namespace name",
						   argv[0]);
			rc = enter_netns(argv[1]);
			if (rc)
				return rc;
			argc--;
			argv++;
		} else if (is_opt(argv[0], "V", "Version")) {
			printf("smc utility, smc-ng %s\n", SMC_TOOL_VERSION);
			return EXIT_OK;
		} else if (is_opt(argv[0], "h", "help")) {
			usage(stdout);
			return EXIT_OK;
		} else {
			return usage_error("unknown option \"%s\"", argv[0]);
		}
		argc--;
		argv++;
	}
	if (argc < 1) {
		usage(stderr);
		return EXIT_USAGE;
	}
	for (i = 0; i < ARRAY_SIZE(objects); i++) {
		if (matches(argv[0], objects[i].name))
			return objects[i].fn(argc - 1, argv + 1);
	}
	return usage_error("object \"%s\" is unknown", argv[0]);
}
