// SPDX-License-Identifier: GPL-2.0
/*
 * libsmc-preload.so: make an unchanged program's TCP sockets AF_SMC.
 *
 * Loaded with LD_PRELOAD (smc_run sets it up), it stands in for socket():
 * an AF_INET or AF_INET6 stream socket for TCP (protocol 0 or IPPROTO_TCP)
 * is created as an AF_SMC socket of the matching SMCPROTO_SMC/SMC6 kind;
 * everything else goes to the C library untouched. Where AF_SMC cannot be
 * had (no smc module, or it cannot be loaded), the program gets the TCP
 * socket it asked for instead of an error. errno is left as the program
 * had it whenever socket() succeeds.
 *
 * Environment: SMC_DEBUG (first character not '0': one line on stderr per
 * decision), SMC_SNDBUF and SMC_RCVBUF (bytes, K or M suffix: applied to
 * the sockets made AF_SMC, before the program sees them).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <time.h>

#ifndef AF_SMC
#define AF_SMC		43
#endif
#define SMCPROTO_SMC	0
#define SMCPROTO_SMC6	1

/* What the socket type carries besides the type itself. */
#define SOCK_TYPE_MASK	0xf

typedef int (*socket_fn)(int, int, int);

static socket_fn libc_socket;
static pthread_once_t setup_once = PTHREAD_ONCE_INIT;
static int debug;
static int sndbuf, rcvbuf;

/* Without the smc module every AF_SMC attempt makes the kernel run
 * modprobe (milliseconds): after a failure, sockets stay TCP for this
 * long before the next attempt, so that a module loaded later is still
 * found.
 */
#define RETRY_AFTER_NS	1000000000LL

/* Monotonic time of the last failure, 0 for none. */
static long long smc_failed_at;

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int smc_recently_failed(void)
{
	long long t = __atomic_load_n(&smc_failed_at, __ATOMIC_RELAXED);

	return t && now_ns() - t < RETRY_AFTER_NS;
}

static void say(const char *fmt, ...)
{
	va_list ap;

	if (!debug)
		return;
	fprintf(stderr, "libsmc-preload: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* "65536", "64K", "1M"; 0 when unset or not a size. */
static int env_size(const char *name)
{
	const char *s = getenv(name);
	char *end;
	long v;

	if (!s || !*s)
		return 0;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || v <= 0)
		return 0;
	if (*end == 'k' || *end == 'K')
		v *= 1024, end++;
	else if (*end == 'm' || *end == 'M')
		v *= 1024 * 1024, end++;
	if (*end || v > 0x3fffffff) {
		say("ignoring %s='%s': not a size", name, s);
		return 0;
	}
	return (int)v;
}

static void setup(void)
{
	const char *d = getenv("SMC_DEBUG");

	debug = d && *d && *d != '0';
	libc_socket = (socket_fn)dlsym(RTLD_NEXT, "socket");
	if (!libc_socket)
		say("dlsym failed on socket: %s", dlerror());
	sndbuf = env_size("SMC_SNDBUF");
	rcvbuf = env_size("SMC_RCVBUF");
}

static int wants_tcp(int domain, int type, int protocol)
{
	return (domain == AF_INET || domain == AF_INET6) &&
	       (type & SOCK_TYPE_MASK) == SOCK_STREAM &&
	       (protocol == 0 || protocol == IPPROTO_TCP);
}

static void set_size(int fd, int opt, int val)
{
	if (!val)
		return;
	if (setsockopt(fd, SOL_SOCKET, opt, &val, sizeof(val)))
		say("sockopt %d not set to %d: %m", opt, val);
	else
		say("sockopt %d set to %d", opt, val);
}

int socket(int domain, int type, int protocol)
{
	int fd, err, saved = errno;

	pthread_once(&setup_once, setup);
	if (!libc_socket) {
		errno = EINVAL;
		return -1;
	}
	if (!wants_tcp(domain, type, protocol) || smc_recently_failed())
		return libc_socket(domain, type, protocol);

	fd = libc_socket(AF_SMC, type, domain == AF_INET6 ? SMCPROTO_SMC6 :
							    SMCPROTO_SMC);
	if (fd < 0) {
		/* No AF_SMC here: the program still gets its TCP socket. */
		err = errno;
		say("AF_SMC unavailable (%s), keeping AF_INET%s",
		    strerror(err), domain == AF_INET6 ? "6" : "");
		errno = saved;
		fd = libc_socket(domain, type, protocol);
		/* Back off only when AF_SMC is what is missing. When the
		 * inet family is missing too (IPv6 disabled), TCP fails
		 * alike, and AF_SMC still serves the other family.
		 */
		if (err == EAFNOSUPPORT && fd >= 0)
			__atomic_store_n(&smc_failed_at, now_ns(),
					 __ATOMIC_RELAXED);
		return fd;
	}
	say("map sock to AF_SMC");
	set_size(fd, SO_SNDBUF, sndbuf);
	set_size(fd, SO_RCVBUF, rcvbuf);
	errno = saved;
	return fd;
}
