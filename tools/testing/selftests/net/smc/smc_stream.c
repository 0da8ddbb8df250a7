// SPDX-License-Identifier: GPL-2.0
/*
 * smc_stream - stream client/server for AF_SMC tests and measurements.
 *
 * One process is the server (-l), another the client (-c HOST); both
 * must be given the same transfer options.  Per connection, in the
 * default stream mode, each direction carries -n bytes: the client
 * sends its bytes and shuts down writing, the server reads them up to
 * EOF and then sends its own bytes back the same way (with -d both
 * directions run at once).  Every receiver checks that EOF arrives after
 * exactly -n bytes; with -V it also checks every byte against a
 * deterministic stream derived from the seed (-s) and the direction.
 *
 * Other modes: -L ping-pong latency (-n round trips of one byte),
 * -R connection rate (connect, one byte each way, close).
 *
 * Last line on stdout, one per process:
 *   smc_stream: role=client family=smc bytes_tx=.. bytes_rx=.. secs=..
 *   mib_s=.. path=smcr|smcd|tcp|unix|mixed|unknown reason=0x........
 *   peer_diag=0x........ conns=N mode=stream|latency|rate [...]
 * For AF_SMC, path and reason come from a NETLINK_SOCK_DIAG query for
 * the socket's inode, made before each connection is closed (in rate
 * mode only for the first connection of each thread, unless -A).
 * "-f inet" makes the sockets with socket(AF_INET or AF_INET6,
 * SOCK_STREAM, IPPROTO_SMC): SMC sockets of the inet families, whose path
 * is read the same way. The line then also has so=DOMAIN/PROTOCOL, what
 * SO_DOMAIN and SO_PROTOCOL said of the first connection's socket.
 *
 * Exit status: 0 success, 1 error (message on stderr), 2 timeout (-t).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <endian.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <linux/smc_diag.h>

#ifndef AF_SMC
#define AF_SMC		43
#endif

/* socket() protocol numbers of AF_SMC; not part of the uapi headers */
#define SMCPROTO_SMC	0
#define SMCPROTO_SMC6	1

#ifndef IPPROTO_SMC
#define IPPROTO_SMC	256
#endif

#define CONNECT_RETRY_SECS	10
#define BIND_RETRY_SECS		10
#define RETRY_DELAY_US		100000

enum family { FAM_SMC, FAM_TCP, FAM_UNIX, FAM_INET };
enum mode { MODE_STREAM, MODE_LATENCY, MODE_RATE };

static const char *const family_names[] = { "smc", "tcp", "unix", "inet" };
static const char *const mode_names[] = { "stream", "latency", "rate" };

static struct {
	int		server;
	const char	*host;
	const char	*bind_addr;
	enum family	fam;
	int		ipv6;
	int		port;
	uint64_t	bytes;
	int		bytes_set;
	size_t		wmin, wmax;
	size_t		rmin, rmax;
	int		duplex;
	int		verify;
	int		conns;
	int		conns_set;
	int		par;
	enum mode	mode;
	unsigned int	timeout;
	int		quiet;
	int		diag_all;
	int		bufsize;	/* SO_SNDBUF and SO_RCVBUF, 0: default */
	int		backlog;	/* listen() backlog */
	int		keepalive;	/* TCP keepalive idle/interval, s */
	uint64_t	seed;
} cfg = {
	.fam	= FAM_SMC,
	.port	= 12000,
	.bytes	= 1 << 20,
	.wmin	= 65536, .wmax = 65536,
	.rmin	= 65536, .rmax = 65536,
	.conns	= 1,
	.par	= 1,
	.mode	= MODE_STREAM,
	.backlog = SOMAXCONN,
	.seed	= 1,
};

/* Totals over all connections of this process */
static struct {
	pthread_mutex_t	lock;
	uint64_t	tx, rx;
	int		conns;
	int		have_t0;
	double		t0, t1;
	int		have_path;
	char		path[8];
	uint32_t	reason, peer_diag;
	int		diag_warned;
	char		so[24];		/* SO_DOMAIN/SO_PROTOCOL, first conn */
	uint64_t	*lat;		/* round trip times, ns */
	size_t		nlat;
} tot = { .lock = PTHREAD_MUTEX_INITIALIZER };

/* --------------------------------------------------------- reporting */

static const char *errname(int err)
{
	const char *name = strerrorname_np(err);

	return name ? name : "?";
}

static void __attribute__((noreturn)) fail_errno(const char *call, int err)
{
	fprintf(stderr, "smc_stream: %s: %s (%s)\n", call, strerror(err),
		errname(err));
	exit(1);
}

static void __attribute__((noreturn, format(printf, 1, 2)))
fail(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "smc_stream: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	exit(1);
}

static void __attribute__((format(printf, 1, 2))) info(const char *fmt, ...)
{
	va_list ap;

	if (cfg.quiet)
		return;
	fprintf(stderr, "smc_stream: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
}

static char timeout_msg[128];

/* A slow (debug) kernel stretches every limit: SMC_TIMEOUT_SCALE=N. */
static unsigned int timeout_scale(void)
{
	const char *s = getenv("SMC_TIMEOUT_SCALE");
	long v = s ? strtol(s, NULL, 10) : 1;

	return v > 0 && v <= 100 ? v : 1;
}

/* Decimal digits of @v into @end's left, for a signal handler. */
static char *fmt_uint(char *end, unsigned int v)
{
	do {
		*--end = '0' + v % 10;
		v /= 10;
	} while (v);
	return end;
}

/* How far it got tells a slow kernel from a connection that hangs. */
static void on_alarm(int sig)
{
	char done[16], total[16], *d, *t;
	ssize_t r;

	(void)sig;
	d = fmt_uint(done + sizeof(done), __atomic_load_n(&tot.conns,
							  __ATOMIC_RELAXED));
	t = fmt_uint(total + sizeof(total), cfg.conns * cfg.par);
	r = write(STDERR_FILENO, timeout_msg, strlen(timeout_msg));
	r = write(STDERR_FILENO, d, done + sizeof(done) - d);
	r = write(STDERR_FILENO, " of ", 4);
	r = write(STDERR_FILENO, t, total + sizeof(total) - t);
	r = write(STDERR_FILENO, " connections done\n", 18);
	(void)r;
	_exit(2);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

/* ------------------------------------------- data and size generators */

/* splitmix64 output function: a well mixed 64-bit value for any input */
static uint64_t mix64(uint64_t z)
{
	z += 0x9e3779b97f4a7c15ull;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* Key of the byte stream of one direction: 1 client->server, 2 back */
static uint64_t stream_key(int dir)
{
	return mix64(cfg.seed * 4 + dir);
}

/*
 * Bytes [off, off + len) of the stream @key: byte i is byte (i % 8),
 * little-endian, of mix64(key + i / 8).  Same result on every host.
 */
static void pattern_fill(uint64_t key, uint64_t off, unsigned char *buf,
			 size_t len)
{
	uint64_t v;
	size_t skip, take;

	while (len) {
		if (!(off & 7) && len >= 8) {
			/* whole words: the common case */
			v = htole64(mix64(key + (off >> 3)));
			memcpy(buf, &v, 8);
			buf += 8;
			off += 8;
			len -= 8;
			continue;
		}
		v = htole64(mix64(key + (off >> 3)));
		skip = off & 7;
		take = 8 - skip;
		if (take > len)
			take = len;
		memcpy(buf, (unsigned char *)&v + skip, take);
		buf += take;
		off += take;
		len -= take;
	}
}

static unsigned char pattern_byte(uint64_t key, uint64_t off)
{
	unsigned char b;

	pattern_fill(key, off, &b, 1);
	return b;
}

/* xorshift64* for the read and write sizes */
static uint64_t rng_next(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dull;
}

static uint64_t rng_seed(uint64_t conn, int what)
{
	uint64_t s = mix64(cfg.seed ^ mix64(conn * 8 + what +
					    (cfg.server ? 4 : 0)));

	return s ? s : 1;
}

static size_t rng_between(uint64_t *s, size_t min, size_t max)
{
	if (max <= min)
		return min;
	return min + rng_next(s) % (max - min + 1);
}

/* ------------------------------------------------------------ sockets */

/* A peer whose kernel is gone is noticed after three unanswered probes,
 * -K seconds apart, once the connection has been idle -K seconds.
 */
static void set_keepalive(int fd)
{
	int one = 1, cnt = 3;

	if (setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof(one)) ||
	    setsockopt(fd, SOL_TCP, TCP_KEEPIDLE, &cfg.keepalive,
		       sizeof(cfg.keepalive)) ||
	    setsockopt(fd, SOL_TCP, TCP_KEEPINTVL, &cfg.keepalive,
		       sizeof(cfg.keepalive)) ||
	    setsockopt(fd, SOL_TCP, TCP_KEEPCNT, &cnt, sizeof(cnt)))
		fail_errno("keepalive", errno);
}

static int make_socket(int sa_family)
{
	int fd;

	switch (cfg.fam) {
	case FAM_SMC:
		fd = socket(AF_SMC, SOCK_STREAM | SOCK_CLOEXEC,
			    sa_family == AF_INET6 ? SMCPROTO_SMC6 :
						    SMCPROTO_SMC);
		break;
	case FAM_TCP:
		fd = socket(sa_family, SOCK_STREAM | SOCK_CLOEXEC, IPPROTO_TCP);
		break;
	case FAM_INET:
		fd = socket(sa_family, SOCK_STREAM | SOCK_CLOEXEC, IPPROTO_SMC);
		break;
	default:
		fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		break;
	}
	if (fd < 0)
		fail_errno("socket", errno);
	/* Before connect/listen: SMC sizes its buffers from these. */
	if (cfg.bufsize &&
	    (setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &cfg.bufsize,
			sizeof(cfg.bufsize)) ||
	     setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &cfg.bufsize,
			sizeof(cfg.bufsize))))
		fail_errno("SO_SNDBUF/SO_RCVBUF", errno);
	if (cfg.keepalive && cfg.fam != FAM_UNIX)
		set_keepalive(fd);
	return fd;
}

/* Address to bind (@host NULL) or to connect to */
static socklen_t make_addr(struct sockaddr_storage *ss, const char *host)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM };
	struct addrinfo *ai;
	char port[16];
	socklen_t len;
	int rc;

	memset(ss, 0, sizeof(*ss));
	if (cfg.fam == FAM_UNIX) {
		struct sockaddr_un *sun = (struct sockaddr_un *)ss;
		int n;

		/* abstract name: leading NUL, not NUL-terminated */
		sun->sun_family = AF_UNIX;
		n = snprintf(sun->sun_path + 1, sizeof(sun->sun_path) - 1,
			     "smc_stream.%d", cfg.port);
		return offsetof(struct sockaddr_un, sun_path) + 1 + n;
	}

	if (!host)
		host = cfg.bind_addr;
	if (!host && cfg.ipv6) {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

		sin6->sin6_family = AF_INET6;
		sin6->sin6_addr = in6addr_any;
		sin6->sin6_port = htons(cfg.port);
		return sizeof(*sin6);
	}
	if (!host) {
		struct sockaddr_in *sin = (struct sockaddr_in *)ss;

		sin->sin_family = AF_INET;
		sin->sin_addr.s_addr = htonl(INADDR_ANY);
		sin->sin_port = htons(cfg.port);
		return sizeof(*sin);
	}

	hints.ai_family = cfg.ipv6 ? AF_INET6 : AF_INET;
	snprintf(port, sizeof(port), "%d", cfg.port);
	rc = getaddrinfo(host, port, &hints, &ai);
	if (rc)
		fail("getaddrinfo: %s: %s", host, gai_strerror(rc));
	memcpy(ss, ai->ai_addr, ai->ai_addrlen);
	len = ai->ai_addrlen;
	freeaddrinfo(ai);
	return len;
}

static int listen_socket(void)
{
	struct sockaddr_storage ss;
	socklen_t len = make_addr(&ss, NULL);
	double deadline = now() + BIND_RETRY_SECS * timeout_scale();
	int fd, one = 1, err;

	for (;;) {
		fd = make_socket(ss.ss_family);
		if (cfg.fam != FAM_UNIX &&
		    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)))
			fail_errno("setsockopt(SO_REUSEADDR)", errno);
		if (!bind(fd, (struct sockaddr *)&ss, len))
			break;
		err = errno;
		close(fd);
		if (err != EADDRINUSE || now() > deadline)
			fail_errno("bind", err);
		usleep(RETRY_DELAY_US);
	}
	if (listen(fd, cfg.backlog))
		fail_errno("listen", errno);
	return fd;
}

static int connect_retryable(int err)
{
	return err == ECONNREFUSED || err == ENOENT ||
	       err == ENETUNREACH || err == EHOSTUNREACH;
}

/* Connect, retrying while the server is not there yet */
static int connect_socket(const struct sockaddr_storage *ss, socklen_t len,
			  double *t_start)
{
	double deadline = now() + CONNECT_RETRY_SECS * timeout_scale();
	int fd, err;

	for (;;) {
		fd = make_socket(ss->ss_family);
		*t_start = now();
		if (!connect(fd, (const struct sockaddr *)ss, len))
			return fd;
		err = errno;
		close(fd);
		if (!connect_retryable(err) || now() > deadline)
			fail_errno("connect", err);
		usleep(RETRY_DELAY_US);
	}
}

static void set_nodelay(int fd)
{
	int one = 1;

	if (cfg.fam == FAM_UNIX)
		return;
	if (setsockopt(fd, SOL_TCP, TCP_NODELAY, &one, sizeof(one)))
		fail_errno("setsockopt(TCP_NODELAY)", errno);
}

static void send_all(int fd, const void *buf, size_t len)
{
	const unsigned char *p = buf;
	ssize_t r;

	while (len) {
		r = send(fd, p, len, MSG_NOSIGNAL);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			fail_errno("send", errno);
		}
		p += r;
		len -= r;
	}
}

static ssize_t recv_some(int fd, void *buf, size_t len)
{
	ssize_t r;

	do {
		r = recv(fd, buf, len, 0);
	} while (r < 0 && errno == EINTR);
	if (r < 0)
		fail_errno("recv", errno);
	return r;
}

/* --------------------------------------------------- sock_diag lookup */

struct diag_info {
	int		mode;		/* SMC_DIAG_MODE_* */
	uint32_t	reason;
	uint32_t	peer_diag;
};

/*
 * Find the AF_SMC socket with inode @ino in a sock_diag dump.
 * Returns 0 if found, 1 if not in the dump, -errno on errors (-ENOENT:
 * nobody handles AF_SMC sock_diag requests, i.e. no smc_diag module).
 */
static int smc_diag_find(ino_t ino, struct diag_info *out)
{
	struct {
		struct nlmsghdr		nlh;
		struct smc_diag_req	req;
	} msg;
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	const size_t buflen = 65536;
	int fd, rc = 1, done = 0;
	char *buf;
	ssize_t n;

	fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
	if (fd < 0)
		return -errno;
	buf = malloc(buflen);
	if (!buf)
		fail("out of memory");

	memset(&msg, 0, sizeof(msg));
	msg.nlh.nlmsg_len = sizeof(msg);
	msg.nlh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
	msg.nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	msg.nlh.nlmsg_seq = 1;
	msg.req.diag_family = AF_SMC;
	msg.req.diag_ext = 1 << (SMC_DIAG_FALLBACK - 1);
	if (sendto(fd, &msg, sizeof(msg), 0, (struct sockaddr *)&kernel,
		   sizeof(kernel)) < 0) {
		rc = -errno;
		goto out;
	}

	while (!done) {
		struct nlmsghdr *h;

		n = recv(fd, buf, buflen, 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			rc = -errno;
			break;
		}
		if (n == 0)
			break;
		for (h = (struct nlmsghdr *)buf; NLMSG_OK(h, n);
		     h = NLMSG_NEXT(h, n)) {
			struct smc_diag_msg *m;
			struct rtattr *rta;
			int alen;

			if (h->nlmsg_type == NLMSG_DONE) {
				done = 1;
				break;
			}
			if (h->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *e = NLMSG_DATA(h);

				if (h->nlmsg_len >= NLMSG_LENGTH(sizeof(*e)) &&
				    e->error)
					rc = e->error;
				done = 1;
				break;
			}
			if (h->nlmsg_type != SOCK_DIAG_BY_FAMILY ||
			    h->nlmsg_len < NLMSG_LENGTH(sizeof(*m)))
				continue;
			m = NLMSG_DATA(h);
			if (m->diag_inode != ino)
				continue;

			rc = 0;
			out->mode = m->diag_mode;
			out->reason = 0;
			out->peer_diag = 0;
			rta = (struct rtattr *)((char *)m +
						NLMSG_ALIGN(sizeof(*m)));
			alen = h->nlmsg_len - NLMSG_LENGTH(sizeof(*m));
			for (; RTA_OK(rta, alen); rta = RTA_NEXT(rta, alen)) {
				struct smc_diag_fallback fb;

				if (rta->rta_type != SMC_DIAG_FALLBACK ||
				    RTA_PAYLOAD(rta) < sizeof(fb))
					continue;
				memcpy(&fb, RTA_DATA(rta), sizeof(fb));
				out->reason = fb.reason;
				out->peer_diag = fb.peer_diagnosis;
			}
		}
	}
out:
	free(buf);
	close(fd);
	return rc;
}

static const char *mode_path(int mode)
{
	switch (mode) {
	case SMC_DIAG_MODE_SMCR:
		return "smcr";
	case SMC_DIAG_MODE_SMCD:
		return "smcd";
	case SMC_DIAG_MODE_FALLBACK_TCP:
		return "tcp";
	default:
		return "unknown";
	}
}

/* The first connection's path and reasons stand for all; the first one
 * that took another path is named on stderr, even with -q, so that a
 * "mixed" result says why.
 */
static void record_path(int conn, const char *path, uint32_t reason,
			uint32_t peer)
{
	pthread_mutex_lock(&tot.lock);
	if (!tot.have_path) {
		tot.have_path = 1;
		snprintf(tot.path, sizeof(tot.path), "%s", path);
		tot.reason = reason;
		tot.peer_diag = peer;
	} else if (strcmp(tot.path, path) && strcmp(tot.path, "mixed")) {
		snprintf(tot.path, sizeof(tot.path), "mixed");
		fprintf(stderr, "smc_stream: conn %d took another path: path=%s reason=0x%08x peer_diag=0x%08x\n",
			conn, path, reason, peer);
	}
	pthread_mutex_unlock(&tot.lock);
}

/* Which path an AF_SMC connection took, from sock_diag */
static void query_path(int fd, int conn)
{
	struct diag_info di = { .mode = -1 };
	struct stat st;
	int rc, warn;

	if (fstat(fd, &st))
		fail_errno("fstat", errno);
	rc = smc_diag_find(st.st_ino, &di);
	if (rc) {
		pthread_mutex_lock(&tot.lock);
		warn = !tot.diag_warned;
		tot.diag_warned = 1;
		pthread_mutex_unlock(&tot.lock);
		if (warn && rc == -ENOENT)
			info("no AF_SMC sock_diag (smc_diag not loaded?): path unknown");
		else if (warn && rc < 0)
			info("sock_diag query: %s: path unknown", strerror(-rc));
		else if (warn)
			info("socket inode %lu not in the sock_diag dump: path unknown",
			     (unsigned long)st.st_ino);
		record_path(conn, "unknown", 0, 0);
		return;
	}
	info("conn %d: path=%s reason=0x%08x peer_diag=0x%08x", conn,
	     mode_path(di.mode), di.reason, di.peer_diag);
	record_path(conn, mode_path(di.mode), di.reason, di.peer_diag);
}

/* ------------------------------------------------------ stream mode */

struct dir {
	int		fd;
	uint64_t	n;		/* bytes expected */
	uint64_t	key;		/* content stream */
	uint64_t	rng;		/* chunk sizes */
	size_t		min, max;	/* chunk size range */
	uint64_t	done;
};

static void send_stream(struct dir *d)
{
	unsigned char *buf = calloc(1, d->max);
	size_t chunk;

	if (!buf)
		fail("out of memory");
	while (d->done < d->n) {
		chunk = rng_between(&d->rng, d->min, d->max);
		if (chunk > d->n - d->done)
			chunk = d->n - d->done;
		if (cfg.verify)
			pattern_fill(d->key, d->done, buf, chunk);
		send_all(d->fd, buf, chunk);
		d->done += chunk;
	}
	if (shutdown(d->fd, SHUT_WR))
		fail_errno("shutdown", errno);
	free(buf);
}

static void *send_thread(void *arg)
{
	send_stream(arg);
	return NULL;
}

static void recv_stream(struct dir *d)
{
	unsigned char *buf = malloc(d->max);
	unsigned char *want = cfg.verify ? malloc(d->max) : NULL;
	size_t i;
	ssize_t r;

	if (!buf || (cfg.verify && !want))
		fail("out of memory");
	for (;;) {
		r = recv_some(d->fd, buf, rng_between(&d->rng, d->min, d->max));
		if (r == 0)
			break;
		if (d->done + r > d->n)
			fail("stream longer than expected: more than %llu bytes",
			     (unsigned long long)d->n);
		if (cfg.verify) {
			pattern_fill(d->key, d->done, want, r);
			if (memcmp(buf, want, r)) {
				for (i = 0; buf[i] == want[i]; i++)
					;
				fail("verify: mismatch at offset %llu: got 0x%02x, expected 0x%02x",
				     (unsigned long long)(d->done + i),
				     buf[i], want[i]);
			}
		}
		d->done += r;
	}
	/* A reset is reported once, like TCP's: in duplex mode the sending
	 * thread may have taken it and be about to say so. Let it speak first.
	 */
	if (d->done != d->n && cfg.duplex)
		usleep(200 * 1000);
	if (d->done != d->n)
		fail("short stream: EOF after %llu of %llu bytes",
		     (unsigned long long)d->done, (unsigned long long)d->n);
	free(buf);
	free(want);
}

static void run_stream(int fd, int conn, uint64_t *tx, uint64_t *rx)
{
	int client = !cfg.server;
	struct dir out = {
		.fd = fd, .n = cfg.bytes, .key = stream_key(client ? 1 : 2),
		.rng = rng_seed(conn, 0), .min = cfg.wmin, .max = cfg.wmax,
	};
	struct dir in = {
		.fd = fd, .n = cfg.bytes, .key = stream_key(client ? 2 : 1),
		.rng = rng_seed(conn, 1), .min = cfg.rmin, .max = cfg.rmax,
	};
	pthread_t t;
	int err;

	if (cfg.duplex) {
		err = pthread_create(&t, NULL, send_thread, &out);
		if (err)
			fail_errno("pthread_create", err);
		recv_stream(&in);
		pthread_join(t, NULL);
	} else if (client) {
		send_stream(&out);
		recv_stream(&in);
	} else {
		recv_stream(&in);
		send_stream(&out);
	}
	*tx = out.done;
	*rx = in.done;
}

/* ------------------------------------------------ latency, rate mode */

static void run_latency(int fd, uint64_t *tx, uint64_t *rx)
{
	uint64_t key = stream_key(1), i, t, *lat = NULL;
	unsigned char b, echo;

	set_nodelay(fd);
	if (cfg.server) {
		for (i = 0;; i++) {
			if (!recv_some(fd, &b, 1))
				break;
			if (i >= cfg.bytes)
				fail("more than %llu round trips",
				     (unsigned long long)cfg.bytes);
			if (cfg.verify && b != pattern_byte(key, i))
				fail("verify: mismatch at round trip %llu: got 0x%02x, expected 0x%02x",
				     (unsigned long long)i, b,
				     pattern_byte(key, i));
			send_all(fd, &b, 1);
		}
		if (i != cfg.bytes)
			fail("EOF after %llu of %llu round trips",
			     (unsigned long long)i,
			     (unsigned long long)cfg.bytes);
		*tx = *rx = i;
		return;
	}

	lat = malloc(sizeof(*lat) * (cfg.bytes ? cfg.bytes : 1));
	if (!lat)
		fail("out of memory");
	for (i = 0; i < cfg.bytes; i++) {
		b = cfg.verify ? pattern_byte(key, i) : 0x5a;
		t = now_ns();
		send_all(fd, &b, 1);
		if (!recv_some(fd, &echo, 1))
			fail("EOF after %llu of %llu round trips",
			     (unsigned long long)i,
			     (unsigned long long)cfg.bytes);
		lat[i] = now_ns() - t;
		if (echo != b)
			fail("verify: round trip %llu: sent 0x%02x, got back 0x%02x",
			     (unsigned long long)i, b, echo);
	}
	if (shutdown(fd, SHUT_WR))
		fail_errno("shutdown", errno);
	if (recv_some(fd, &echo, 1))
		fail("data after the last round trip");
	*tx = *rx = i;

	pthread_mutex_lock(&tot.lock);
	tot.lat = realloc(tot.lat, sizeof(*lat) * (tot.nlat + i));
	if (!tot.lat)
		fail("out of memory");
	memcpy(tot.lat + tot.nlat, lat, sizeof(*lat) * i);
	tot.nlat += i;
	pthread_mutex_unlock(&tot.lock);
	free(lat);
}

static void run_rate(int fd, uint64_t *tx, uint64_t *rx)
{
	unsigned char b = 0xa5;

	if (cfg.server) {
		if (!recv_some(fd, &b, 1))
			fail("EOF instead of the request byte");
		send_all(fd, &b, 1);
		/* let the client close first */
		if (recv_some(fd, &b, 1))
			fail("data after the request byte");
	} else {
		send_all(fd, &b, 1);
		if (!recv_some(fd, &b, 1))
			fail("EOF instead of the reply byte");
	}
	*tx = *rx = 1;
}

/* ------------------------------------------------------------ workers */

/* The first connection's SO_DOMAIN/SO_PROTOCOL, before any data moved. */
static void note_family(int fd)
{
	socklen_t len = sizeof(int);
	int dom = -1, proto = -1;

	pthread_mutex_lock(&tot.lock);
	if (!tot.so[0]) {
		if (getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &dom, &len))
			dom = -errno;
		len = sizeof(int);
		if (getsockopt(fd, SOL_SOCKET, SO_PROTOCOL, &proto, &len))
			proto = -errno;
		snprintf(tot.so, sizeof(tot.so), "%d/%d", dom, proto);
	}
	pthread_mutex_unlock(&tot.lock);
}

/* Both kinds of SMC socket: sock_diag knows their path. */
static int smc_family(void)
{
	return cfg.fam == FAM_SMC || cfg.fam == FAM_INET;
}

static void handle_conn(int fd, int conn, int want_diag, double t_start)
{
	uint64_t tx = 0, rx = 0;
	double t_end;

	note_family(fd);
	switch (cfg.mode) {
	case MODE_STREAM:
		run_stream(fd, conn, &tx, &rx);
		break;
	case MODE_LATENCY:
		run_latency(fd, &tx, &rx);
		break;
	case MODE_RATE:
		run_rate(fd, &tx, &rx);
		break;
	}
	if (smc_family() && want_diag)
		query_path(fd, conn);
	if (close(fd))
		fail_errno("close", errno);
	t_end = now();

	pthread_mutex_lock(&tot.lock);
	tot.tx += tx;
	tot.rx += rx;
	tot.conns++;
	if (!tot.have_t0 || t_start < tot.t0)
		tot.t0 = t_start;
	tot.have_t0 = 1;
	if (t_end > tot.t1)
		tot.t1 = t_end;
	pthread_mutex_unlock(&tot.lock);
}

static int listen_fd = -1;
static int accept_slots;	/* connections the server still accepts */
static struct sockaddr_storage peer_addr;
static socklen_t peer_len;

static void *server_worker(void *arg)
{
	int handled = 0, fd, conn;

	(void)arg;
	for (;;) {
		conn = __atomic_fetch_sub(&accept_slots, 1, __ATOMIC_SEQ_CST);
		if (conn <= 0)
			break;
		do {
			fd = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC);
		} while (fd < 0 && errno == EINTR);
		if (fd < 0)
			fail_errno("accept", errno);
		handle_conn(fd, cfg.conns * cfg.par - conn,
			    cfg.mode != MODE_RATE || !handled || cfg.diag_all,
			    now());
		handled++;
	}
	return NULL;
}

static void *client_worker(void *arg)
{
	int w = (int)(intptr_t)arg, k, fd;
	double t_start;

	for (k = 0; k < cfg.conns; k++) {
		fd = connect_socket(&peer_addr, peer_len, &t_start);
		handle_conn(fd, w * cfg.conns + k,
			    cfg.mode != MODE_RATE || !k || cfg.diag_all,
			    t_start);
	}
	return NULL;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static void print_result(void)
{
	double secs = tot.have_t0 ? tot.t1 - tot.t0 : 0;
	double mib = (double)(tot.tx + tot.rx) / (1024 * 1024);
	const char *path;
	char extra[160] = "";

	switch (cfg.fam) {
	case FAM_SMC:
	case FAM_INET:
		path = tot.have_path ? tot.path : "unknown";
		break;
	case FAM_TCP:
		path = "tcp";
		break;
	default:
		path = "unix";
		break;
	}

	if (cfg.mode == MODE_LATENCY && tot.nlat) {
		size_t p99 = (tot.nlat * 99 + 99) / 100;

		qsort(tot.lat, tot.nlat, sizeof(*tot.lat), cmp_u64);
		snprintf(extra, sizeof(extra),
			 " rtts=%zu lat_median_us=%.1f lat_p99_us=%.1f",
			 tot.nlat, tot.lat[tot.nlat / 2] / 1e3,
			 tot.lat[p99 - 1] / 1e3);
	} else if (cfg.mode == MODE_RATE) {
		snprintf(extra, sizeof(extra), " conn_s=%.1f",
			 secs > 0 ? tot.conns / secs : 0);
	}

	printf("smc_stream: role=%s family=%s bytes_tx=%llu bytes_rx=%llu secs=%.3f mib_s=%.1f path=%s reason=0x%08x peer_diag=0x%08x conns=%d mode=%s so=%s%s\n",
	       cfg.server ? "server" : "client", family_names[cfg.fam],
	       (unsigned long long)tot.tx, (unsigned long long)tot.rx, secs,
	       secs > 0 ? mib / secs : 0, path,
	       smc_family() ? tot.reason : 0,
	       smc_family() ? tot.peer_diag : 0,
	       tot.conns, mode_names[cfg.mode], tot.so[0] ? tot.so : "-",
	       extra);
	fflush(stdout);
}

/* ------------------------------------------------------------- options */

static void usage(FILE *f)
{
	fprintf(f,
"usage: smc_stream -l|-c HOST [options]\n"
"  -l            server: accept connections (-C x -P of them), then exit\n"
"  -c HOST       client: connect to HOST (retries ECONNREFUSED for %d s)\n"
"  -f FAMILY     smc (default), tcp, unix (abstract name from the port)\n"
"                or inet (AF_INET/AF_INET6 with IPPROTO_SMC)\n"
"  -6            IPv6 (smc: SMCPROTO_SMC6)\n"
"  -b ADDR       server: bind to ADDR instead of the wildcard address\n"
"  -p PORT       port (default 12000)\n"
"  -n BYTES      bytes per direction (K/M/G suffixes, default 1M);\n"
"                with -L: round trips (default 1000)\n"
"  -w MIN[:MAX]  write sizes, random in [MIN, MAX] (default 64K)\n"
"  -r MIN[:MAX]  read sizes, random in [MIN, MAX] (default 64K)\n"
"  -d            duplex: send and receive at the same time\n"
"  -V            verify every received byte\n"
"  -s SEED       seed of the data and size streams (default 1)\n"
"  -C N          N sequential connections (per -P thread)\n"
"  -P N          N parallel threads\n"
"  -L            latency: 1-byte ping-pong with TCP_NODELAY\n"
"  -R            connection rate: connect, 1 byte each way, close\n"
"                (-C default 1000)\n"
"  -B BYTES      SO_SNDBUF and SO_RCVBUF (before connect and listen)\n"
"  -K SECS       TCP keepalive: idle and interval SECS, 3 probes\n"
"  -k N          server: listen() backlog (default SOMAXCONN)\n"
"  -A            rate mode: check the path of every connection, not\n"
"                only each thread's first (path=mixed if they differ)\n"
"  -t SECONDS    give up after SECONDS (times $SMC_TIMEOUT_SCALE), exit status 2\n"
"  -q            quiet: only errors and the result line\n",
		CONNECT_RETRY_SECS);
}

static int parse_size(const char *s, uint64_t *out)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || end == s || *s == '-')
		return -1;
	switch (*end) {
	case 'k':
	case 'K':
		v <<= 10;
		end++;
		break;
	case 'm':
	case 'M':
		v <<= 20;
		end++;
		break;
	case 'g':
	case 'G':
		v <<= 30;
		end++;
		break;
	}
	if (*end)
		return -1;
	*out = v;
	return 0;
}

static int parse_range(const char *s, size_t *min, size_t *max)
{
	char tmp[64], *colon;
	uint64_t a, b;

	if (snprintf(tmp, sizeof(tmp), "%s", s) >= (int)sizeof(tmp))
		return -1;
	colon = strchr(tmp, ':');
	if (colon)
		*colon = '\0';
	if (parse_size(tmp, &a))
		return -1;
	b = a;
	if (colon && parse_size(colon + 1, &b))
		return -1;
	if (a < 1 || b < a || b > (1u << 30))
		return -1;
	*min = a;
	*max = b;
	return 0;
}

static int parse_int(const char *s, int min, int max)
{
	long v;
	char *end;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < min || v > max) {
		fprintf(stderr, "smc_stream: bad number '%s'\n", s);
		usage(stderr);
		exit(1);
	}
	return v;
}

static void parse_args(int argc, char **argv)
{
	uint64_t v;
	int c;

	while ((c = getopt(argc, argv, "lc:f:6b:p:n:w:r:dVs:C:P:LRAB:K:k:t:qh")) != -1) {
		switch (c) {
		case 'l':
			cfg.server = 1;
			break;
		case 'c':
			cfg.host = optarg;
			break;
		case 'f':
			if (!strcmp(optarg, "smc"))
				cfg.fam = FAM_SMC;
			else if (!strcmp(optarg, "tcp"))
				cfg.fam = FAM_TCP;
			else if (!strcmp(optarg, "unix"))
				cfg.fam = FAM_UNIX;
			else if (!strcmp(optarg, "inet"))
				cfg.fam = FAM_INET;
			else
				fail("unknown family '%s'", optarg);
			break;
		case '6':
			cfg.ipv6 = 1;
			break;
		case 'b':
			cfg.bind_addr = optarg;
			break;
		case 'p':
			cfg.port = parse_int(optarg, 1, 65535);
			break;
		case 'n':
			if (parse_size(optarg, &cfg.bytes))
				fail("bad byte count '%s'", optarg);
			cfg.bytes_set = 1;
			break;
		case 'w':
			if (parse_range(optarg, &cfg.wmin, &cfg.wmax))
				fail("bad write size range '%s'", optarg);
			break;
		case 'r':
			if (parse_range(optarg, &cfg.rmin, &cfg.rmax))
				fail("bad read size range '%s'", optarg);
			break;
		case 'd':
			cfg.duplex = 1;
			break;
		case 'V':
			cfg.verify = 1;
			break;
		case 's':
			if (parse_size(optarg, &v))
				fail("bad seed '%s'", optarg);
			cfg.seed = v;
			break;
		case 'C':
			cfg.conns = parse_int(optarg, 1, INT_MAX / 1024);
			cfg.conns_set = 1;
			break;
		case 'P':
			cfg.par = parse_int(optarg, 1, 1024);
			break;
		case 'L':
			cfg.mode = MODE_LATENCY;
			break;
		case 'R':
			cfg.mode = MODE_RATE;
			break;
		case 'A':
			cfg.diag_all = 1;
			break;
		case 'B':
			if (parse_size(optarg, &v) || v < 1024 || v > INT_MAX / 2)
				fail("bad buffer size '%s'", optarg);
			cfg.bufsize = (int)v;
			break;
		case 'K':
			cfg.keepalive = parse_int(optarg, 1, 3600);
			break;
		case 'k':
			if (parse_size(optarg, &v) || v < 1 || v > 65535)
				fail("bad backlog '%s'", optarg);
			cfg.backlog = (int)v;
			break;
		case 't':
			cfg.timeout = parse_int(optarg, 0, INT_MAX);
			break;
		case 'q':
			cfg.quiet = 1;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			exit(1);
		}
	}
	if (optind != argc || cfg.server == !!cfg.host) {
		usage(stderr);
		exit(1);
	}
	if (cfg.mode == MODE_LATENCY && !cfg.bytes_set)
		cfg.bytes = 1000;
	if (cfg.mode == MODE_RATE && !cfg.conns_set)
		cfg.conns = 1000;
}

/* A thousand connections and a sock_diag socket need more than the usual
 * soft limit of 1024 descriptors.
 */
static void raise_fd_limit(void)
{
	struct rlimit rl;

	if (!getrlimit(RLIMIT_NOFILE, &rl) && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

int main(int argc, char **argv)
{
	pthread_t *threads;
	int i, err;

	parse_args(argc, argv);
	raise_fd_limit();

	signal(SIGPIPE, SIG_IGN);
	if (cfg.timeout) {
		cfg.timeout *= timeout_scale();
		snprintf(timeout_msg, sizeof(timeout_msg),
			 "smc_stream: %s: timeout: not done after %u s: ",
			 cfg.server ? "server" : "client", cfg.timeout);
		signal(SIGALRM, on_alarm);
		alarm(cfg.timeout);
	}

	if (cfg.server) {
		listen_fd = listen_socket();
		accept_slots = cfg.conns * cfg.par;
		info("server: %s port %d, waiting for %d connection(s)",
		     family_names[cfg.fam], cfg.port, accept_slots);
	} else {
		peer_len = make_addr(&peer_addr, cfg.host);
	}

	threads = calloc(cfg.par, sizeof(*threads));
	if (!threads)
		fail("out of memory");
	for (i = 0; i < cfg.par; i++) {
		err = pthread_create(&threads[i], NULL,
				     cfg.server ? server_worker : client_worker,
				     (void *)(intptr_t)i);
		if (err)
			fail_errno("pthread_create", err);
	}
	for (i = 0; i < cfg.par; i++)
		pthread_join(threads[i], NULL);
	free(threads);
	if (listen_fd >= 0)
		close(listen_fd);

	print_result();
	return 0;
}
