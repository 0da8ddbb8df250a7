// SPDX-License-Identifier: GPL-2.0
/*
 * smc_socket - socket(AF_SMC, ...) creation semantics.
 *
 *   smc_socket --dump
 *	Print one line per (type, protocol) combination with the result of
 *	socket(AF_SMC, type, protocol) and, for sockets that were created,
 *	SO_DOMAIN/SO_TYPE/SO_PROTOCOL and the O_NONBLOCK/FD_CLOEXEC flags.
 *	Meant to be diffed between two implementations; always exits 0.
 *
 *   smc_socket
 *	TAP checks that any correct AF_SMC implementation passes.  Exits 0
 *	if all pass, 1 if one fails, 4 (kselftest "skip") if the kernel
 *	has no AF_SMC at all.
 *
 * The expectations follow Linux 6.1: the socket layer rejects unknown
 * type flags (EINVAL) before the family sees the call; the family then
 * rejects every type but SOCK_STREAM (ESOCKTNOSUPPORT) before it looks
 * at the protocol, which must be 0 (IPv4) or 1 (IPv6), else
 * EPROTONOSUPPORT.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#ifndef AF_SMC
#define AF_SMC		43
#endif

/* socket() protocol numbers of AF_SMC; not part of the uapi headers */
#define SMCPROTO_SMC	0	/* internal TCP socket is IPv4 */
#define SMCPROTO_SMC6	1	/* internal TCP socket is IPv6 */

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

static const struct {
	const char	*name;
	int		type;
} dump_types[] = {
	{ "SOCK_STREAM",				SOCK_STREAM },
	{ "SOCK_DGRAM",					SOCK_DGRAM },
	{ "SOCK_SEQPACKET",				SOCK_SEQPACKET },
	{ "SOCK_RAW",					SOCK_RAW },
	{ "SOCK_RDM",					SOCK_RDM },
	{ "SOCK_STREAM|SOCK_NONBLOCK|SOCK_CLOEXEC",
	  SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC },
	{ "SOCK_DGRAM|SOCK_NONBLOCK",			SOCK_DGRAM | SOCK_NONBLOCK },
};

static const int dump_protos[] = {
	SMCPROTO_SMC, SMCPROTO_SMC6, 2, 6, 17, 255, 256, -1,
};

static const char *errname(int err)
{
	static char buf[16];
	const char *name = strerrorname_np(err);

	if (name)
		return name;
	snprintf(buf, sizeof(buf), "errno%d", err);
	return buf;
}

/* Append " name=value" or " name=ERR" for an int socket option */
static void fmt_sockopt(char *buf, size_t len, int fd, const char *name,
			int opt)
{
	socklen_t optlen = sizeof(int);
	size_t used = strlen(buf);
	int val;

	if (getsockopt(fd, SOL_SOCKET, opt, &val, &optlen) < 0)
		snprintf(buf + used, len - used, " %s=%s", name, errname(errno));
	else
		snprintf(buf + used, len - used, " %s=%d", name, val);
}

static void fmt_fdflags(char *buf, size_t len, int fd)
{
	size_t used = strlen(buf);
	int fl = fcntl(fd, F_GETFL);
	int fdfl = fcntl(fd, F_GETFD);

	if (fl < 0 || fdfl < 0) {
		snprintf(buf + used, len - used, " fcntl=%s", errname(errno));
		return;
	}
	snprintf(buf + used, len - used, " nonblock=%d cloexec=%d",
		 !!(fl & O_NONBLOCK), !!(fdfl & FD_CLOEXEC));
}

static int dump(void)
{
	char line[256];
	size_t t, p;
	int fd;

	for (t = 0; t < ARRAY_SIZE(dump_types); t++) {
		for (p = 0; p < ARRAY_SIZE(dump_protos); p++) {
			snprintf(line, sizeof(line), "type=%s proto=%d -> ",
				 dump_types[t].name, dump_protos[p]);
			fd = socket(AF_SMC, dump_types[t].type, dump_protos[p]);
			if (fd < 0) {
				printf("%s%s\n", line, errname(errno));
				continue;
			}
			strcat(line, "OK");
			fmt_sockopt(line, sizeof(line), fd, "domain", SO_DOMAIN);
			fmt_sockopt(line, sizeof(line), fd, "type", SO_TYPE);
			fmt_sockopt(line, sizeof(line), fd, "protocol",
				    SO_PROTOCOL);
			fmt_fdflags(line, sizeof(line), fd);
			printf("%s\n", line);
			close(fd);
		}
	}
	return fflush(stdout) ? 1 : 0;
}

/* ---------------------------------------------------------------- TAP */

static int test_no;
static int failures;

static void result(int ok, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void result(int ok, const char *fmt, ...)
{
	va_list ap;

	test_no++;
	if (!ok)
		failures++;
	printf("%s %d - ", ok ? "ok" : "not ok", test_no);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

static void diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void diag(const char *fmt, ...)
{
	va_list ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

/* Create and close @n sockets; report the first failure */
static void test_create_many(int proto, int n)
{
	int i, fd, err = 0;

	for (i = 0; i < n; i++) {
		fd = socket(AF_SMC, SOCK_STREAM, proto);
		if (fd < 0) {
			err = errno;
			break;
		}
		if (close(fd) < 0) {
			err = errno;
			break;
		}
	}
	if (err)
		diag("iteration %d: %s", i, errname(err));
	result(!err, "create/close SOCK_STREAM proto %d %d times", proto, n);
}

static int get_int_opt(int fd, int opt, int *val)
{
	socklen_t len = sizeof(*val);

	return getsockopt(fd, SOL_SOCKET, opt, val, &len);
}

/* SO_DOMAIN, SO_TYPE and SO_PROTOCOL of a fresh socket */
static void test_identity(int proto)
{
	int fd, dom = -1, type = -1, prot = -1;

	fd = socket(AF_SMC, SOCK_STREAM, proto);
	if (fd < 0) {
		result(0, "proto %d: identity (socket: %s)", proto,
		       errname(errno));
		return;
	}
	if (get_int_opt(fd, SO_DOMAIN, &dom) < 0 ||
	    get_int_opt(fd, SO_TYPE, &type) < 0 ||
	    get_int_opt(fd, SO_PROTOCOL, &prot) < 0)
		diag("getsockopt: %s", errname(errno));
	close(fd);
	result(dom == AF_SMC && type == SOCK_STREAM && prot == proto,
	       "proto %d: SO_DOMAIN=%d SO_TYPE=%d SO_PROTOCOL=%d", proto,
	       dom, type, prot);
}

/* SOCK_NONBLOCK and SOCK_CLOEXEC end up as O_NONBLOCK and FD_CLOEXEC */
static void test_flags(int extra, int want_nb, int want_ce)
{
	int fd, fl, fdfl;

	fd = socket(AF_SMC, SOCK_STREAM | extra, SMCPROTO_SMC);
	if (fd < 0) {
		result(0, "type flags 0x%x (socket: %s)", extra,
		       errname(errno));
		return;
	}
	fl = fcntl(fd, F_GETFL);
	fdfl = fcntl(fd, F_GETFD);
	close(fd);
	result(fl >= 0 && fdfl >= 0 &&
	       !!(fl & O_NONBLOCK) == want_nb &&
	       !!(fdfl & FD_CLOEXEC) == want_ce,
	       "type flags 0x%x: O_NONBLOCK=%d FD_CLOEXEC=%d", extra,
	       fl >= 0 ? !!(fl & O_NONBLOCK) : -1,
	       fdfl >= 0 ? !!(fdfl & FD_CLOEXEC) : -1);
}

/* socket() must fail with @want */
static void test_fails(const char *what, int type, int proto, int want)
{
	int fd, err;

	fd = socket(AF_SMC, type, proto);
	err = fd < 0 ? errno : 0;
	if (fd >= 0)
		close(fd);
	result(err == want, "%s (type 0x%x, proto %d) -> %s (want %s)", what,
	       type, proto, err ? errname(err) : "OK", errname(want));
}

/*
 * "sockets" column of the line named @name in /proc/net/protocols,
 * or -1 if there is no such line.
 */
static long proto_sockets(const char *name)
{
	char line[512], pname[64];
	long size, socks = -1;
	FILE *f;

	f = fopen("/proc/net/protocols", "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		long s;

		if (sscanf(line, "%63s %ld %ld", pname, &size, &s) == 3 &&
		    !strcmp(pname, name)) {
			socks = s;
			break;
		}
	}
	fclose(f);
	return socks;
}

/* The count of @name goes up by one with an open socket, then back */
static void test_proc_protocols(const char *name, int proto)
{
	long before, during = -1, after = -1;
	int fd;

	before = proto_sockets(name);
	if (before < 0) {
		result(0, "/proc/net/protocols lists %s", name);
		return;
	}
	fd = socket(AF_SMC, SOCK_STREAM, proto);
	if (fd >= 0) {
		during = proto_sockets(name);
		close(fd);
		after = proto_sockets(name);
	} else {
		diag("socket: %s", errname(errno));
	}
	result(fd >= 0 && during == before + 1 && after == before,
	       "/proc/net/protocols %s sockets: %ld, open %ld, closed %ld",
	       name, before, during, after);
}

static int run_tests(void)
{
	static const int bad_protos[] = { 2, 6, 17, 255, 256, -1 };
	static const struct {
		const char	*name;
		int		type;
	} bad_types[] = {
		{ "SOCK_DGRAM",		SOCK_DGRAM },
		{ "SOCK_SEQPACKET",	SOCK_SEQPACKET },
		{ "SOCK_RAW",		SOCK_RAW },
		{ "SOCK_RDM",		SOCK_RDM },
		{ "SOCK_DCCP",		SOCK_DCCP },
		{ "SOCK_PACKET",	SOCK_PACKET },
	};
	size_t i;
	int fd;

	printf("TAP version 13\n");

	fd = socket(AF_SMC, SOCK_STREAM, SMCPROTO_SMC);
	if (fd < 0 && errno == EAFNOSUPPORT) {
		printf("1..0 # SKIP no AF_SMC in this kernel (%s)\n",
		       errname(errno));
		return 4;
	}
	if (fd >= 0)
		close(fd);

	printf("1..%zu\n", 2 + 2 + 4 + ARRAY_SIZE(bad_protos) +
	       ARRAY_SIZE(bad_types) + 3 + 2);

	test_create_many(SMCPROTO_SMC, 1000);
	test_create_many(SMCPROTO_SMC6, 1000);

	test_identity(SMCPROTO_SMC);
	test_identity(SMCPROTO_SMC6);

	test_flags(0, 0, 0);
	test_flags(SOCK_NONBLOCK, 1, 0);
	test_flags(SOCK_CLOEXEC, 0, 1);
	test_flags(SOCK_NONBLOCK | SOCK_CLOEXEC, 1, 1);

	for (i = 0; i < ARRAY_SIZE(bad_protos); i++)
		test_fails("SOCK_STREAM with unknown protocol", SOCK_STREAM,
			   bad_protos[i], EPROTONOSUPPORT);

	for (i = 0; i < ARRAY_SIZE(bad_types); i++)
		test_fails(bad_types[i].name, bad_types[i].type, SMCPROTO_SMC,
			   ESOCKTNOSUPPORT);

	/* the type is checked before the protocol */
	test_fails("SOCK_DGRAM|SOCK_NONBLOCK with protocol 17 (type first)",
		   SOCK_DGRAM | SOCK_NONBLOCK, 17, ESOCKTNOSUPPORT);
	test_fails("SOCK_SEQPACKET with protocol -1 (type first)",
		   SOCK_SEQPACKET, -1, ESOCKTNOSUPPORT);
	/* the socket layer refuses unknown type flags before the family */
	test_fails("unknown type flag", SOCK_STREAM | 0x4000, SMCPROTO_SMC,
		   EINVAL);

	test_proc_protocols("SMC", SMCPROTO_SMC);
	test_proc_protocols("SMC6", SMCPROTO_SMC6);

	printf("# %d of %d tests failed\n", failures, test_no);
	return failures ? 1 : 0;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: smc_socket [--dump]\n"
		"  (no option)  TAP tests of socket(AF_SMC, ...)\n"
		"  --dump       print the result of every type/protocol case\n");
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "--dump"))
		return dump();
	if (argc == 2 && (!strcmp(argv[1], "-h") ||
			  !strcmp(argv[1], "--help"))) {
		usage(stdout);
		return 0;
	}
	if (argc != 1) {
		usage(stderr);
		return 1;
	}
	return run_tests();
}
