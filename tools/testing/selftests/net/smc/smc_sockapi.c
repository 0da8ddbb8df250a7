// SPDX-License-Identifier: GPL-2.0
/*
 * smc_sockapi - an AF_SMC stream socket is a drop-in replacement for TCP.
 *
 * Every scenario below is one function that drives sockets through the
 * socket API and writes what it observes (return values, errno, poll
 * masks, data, option values, signals) into a transcript. Each scenario
 * runs twice, each in a fresh child process and both at the same time:
 * once with AF_INET/AF_INET6 TCP sockets and once with AF_SMC sockets
 * (SMCPROTO_SMC / SMCPROTO_SMC6), on 127.0.0.1, ::1 and an IPv4-mapped
 * IPv6 address. The two share nothing (every port is ephemeral, every
 * socket their own), and a scenario waits mostly for timeouts, which
 * then run side by side. Both ends of every
 * connection use the family under test. The scenario passes when the two
 * transcripts are identical:
 *
 *	ok N - <scenario>
 *	not ok N - <scenario>
 *	# <the difference, as a line diff of the two transcripts>
 *
 * Values that legitimately differ never enter a transcript raw: port
 * numbers are replaced by labels in order of appearance (p1, p2, ...),
 * times by classes ("timed out" rather than 101 ms). Where an AF_SMC socket
 * differs from TCP by design, the scenario checks the value each family
 * must have and records only whether it had it (see expect()).
 *
 * Usage: smc_sockapi [-a KIND] [-b KIND] [-f v4,v6,mapped] [-s SUBSTR]
 *		      [-x SUBSTR] [-p] [-v] [-l] [-t SECONDS] [-S]
 *	-a, -b	the two kinds compared (tcp, smc, tcp-skew, smcd, inet,
 *		inetd); default tcp, smc
 *	-f	address variants to run (default all three)
 *	-s	only scenarios whose name contains SUBSTR (or one of several
 *		separated by '|')
 *	-x	leave out scenarios whose name contains SUBSTR (likewise)
 *	-p	perturb: alter the second record of every B transcript, so that
 *		every scenario must be reported "not ok" (proves the check)
 *	-v	print both transcripts of every scenario as comments
 *	-l	list the scenario names and exit
 *	-t	time limit for one transcript (default 30 s)
 *	-S	run the two kinds of a scenario one after the other (default:
 *		at the same time, in two processes)
 *
 * "smc" is an AF_SMC socket whose connections fall back to TCP (no SMC
 * device); "smcd" is the same socket where the SMC-D loopback device is
 * loaded, so that its connections run over shared memory. Both must
 * behave like TCP except where a scenario records a difference by design.
 * "inet" and "inetd" are the same two with SMC sockets of the inet
 * families, socket(AF_INET or AF_INET6, SOCK_STREAM, IPPROTO_SMC), which
 * report their inet family and IPPROTO_SMC instead of AF_SMC.
 *
 * "tcp-skew" is a TCP socket that starts with TCP_NODELAY and SO_KEEPALIVE
 * on: compared with "tcp" it must fail the scenarios that look at those
 * options, which proves that a real behavioural difference is reported.
 * Exit status: 0 if every scenario passed, 1 otherwise.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/select.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/smc.h>

#ifndef AF_SMC
#define AF_SMC		43
#endif
#ifndef SOL_SMC
#define SOL_SMC		286
#endif
#ifndef SMC_LIMIT_HS
#define SMC_LIMIT_HS	1
#endif

/* socket() protocol numbers of AF_SMC; not part of the uapi headers */
#define SMCPROTO_SMC	0
#define SMCPROTO_SMC6	1

#ifndef IPPROTO_SMC
#define IPPROTO_SMC	256
#endif

#define ARRAY_SIZE(a)	((int)(sizeof(a) / sizeof((a)[0])))
#define SIG_RT_IO	(SIGRTMIN + 1)

enum kind { K_TCP, K_SMC, K_TCP_SKEW, K_SMCD, K_INET, K_INETD };
static const char *const kind_names[] = {
	"tcp", "smc", "tcp-skew", "smcd", "inet", "inetd",
};

struct variant {
	const char	*name;
	int		family;		/* of the TCP socket / AF_SMC proto */
	const char	*bind_ip;	/* listeners bind here */
	const char	*conn_ip;	/* clients connect here */
	const char	*alien_ip;	/* an address no interface has */
};

static const struct variant variants[] = {
	{ "v4",     AF_INET,  "127.0.0.1", "127.0.0.1",        "192.0.2.1" },
	{ "v6",     AF_INET6, "::1",       "::1",              "2001:db8::1" },
	{ "mapped", AF_INET6, "::",        "::ffff:127.0.0.1", "::ffff:192.0.2.1" },
};

/* The run that is writing a transcript (one per child process). */
static struct {
	enum kind		kind;
	const struct variant	*v;
	FILE			*out;
	int			nrec;
	int			perturb;	/* record index to alter, or -1 */
	int			dmb_sizes;	/* one side runs over SMC-D */
} T;

static volatile sig_atomic_t g_sigpipe, g_sigio, g_sigurg;

/* ------------------------------------------------------------------ */
/* Transcript */

static const char *en(int e)
{
	static char buf[4][16];
	static int i;
	const char *name = strerrorname_np(e);

	if (name)
		return name;
	i = (i + 1) % 4;
	snprintf(buf[i], sizeof(buf[i]), "errno%d", e);
	return buf[i];
}

static void rec(const char *fmt, ...)
{
	char line[640];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (T.nrec++ == T.perturb)
		strcat(line, " [perturbed]");
	fprintf(T.out, "%s\n", line);
	fflush(T.out);
}

static void rec_rc(const char *what, long rc, int err, int sigpipes)
{
	const char *sig = sigpipes ? " +SIGPIPE" : "";

	if (rc < 0)
		rec("%s: -1 %s%s", what, en(err), sig);
	else
		rec("%s: %ld%s", what, rc, sig);
}

/* Run a call, record its result, errno and whether it raised SIGPIPE. */
#define R(what, expr) ({						\
	int _p = g_sigpipe;						\
	long _r;							\
	int _e;								\
	errno = 0;							\
	_r = (long)(expr);						\
	_e = errno;							\
	rec_rc(what, _r, _e, g_sigpipe - _p);				\
	errno = _e;							\
	_r;								\
})

/* Record a call that returns a descriptor without the number itself. */
#define RFD(what, expr) ({						\
	int _fd;							\
	errno = 0;							\
	_fd = (expr);							\
	if (_fd < 0)							\
		rec("%s: -1 %s", what, en(errno));			\
	else								\
		rec("%s: fd", what);					\
	_fd;								\
})

/* An SMC socket, made either way. */
static int smc_kind(void)
{
	return T.kind == K_SMC || T.kind == K_SMCD || T.kind == K_INET ||
	       T.kind == K_INETD;
}

/* An SMC socket of the inet families (IPPROTO_SMC). */
static int inet_kind(void)
{
	return T.kind == K_INET || T.kind == K_INETD;
}

/* An SMC socket whose connections run over SMC-D. */
static int smcd_kind(void)
{
	return T.kind == K_SMCD || T.kind == K_INETD;
}

/*
 * A value that must differ between the families by design: each kind is
 * checked against its own expectation and only the verdict is recorded,
 * so the transcripts agree exactly when both families behave as designed.
 */
static void expect3(const char *what, const char *tcp_exp,
		    const char *smc_exp, const char *smcd_exp, const char *got)
{
	const char *exp = smcd_kind() ? smcd_exp :
			  smc_kind() ? smc_exp : tcp_exp;

	if (!strcmp(exp, got))
		rec("%s: as expected", what);
	else
		rec("%s: got %s, expected %s", what, got, exp);
}

/* The same, where SMC-D and the TCP fallback agree. */
static void expect(const char *what, const char *tcp_exp, const char *smc_exp,
		   const char *got)
{
	expect3(what, tcp_exp, smc_exp, smc_exp, got);
}

static const char *show(const char *buf, long n)
{
	static char out[4][80];
	static int k;
	char *o;
	long i;
	int j = 0;

	k = (k + 1) % 4;
	o = out[k];
	if (n < 0)
		return "-";
	for (i = 0; i < n && j < 64; i++)
		o[j++] = buf[i] >= 32 && buf[i] < 127 ? buf[i] : '.';
	if (i < n)
		j += snprintf(o + j, sizeof(out[k]) - j, "...(%ld)", n);
	o[j] = 0;
	return o;
}

/* ------------------------------------------------------------------ */
/* Small helpers */

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void msleep(int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* Class of an elapsed time against a timeout of "ms" milliseconds. */
static const char *tclass(long elapsed, long ms)
{
	if (elapsed < ms * 8 / 10)
		return "early";
	if (elapsed < ms + 1500)
		return "after the timeout";
	return "far too late";
}

/* A SIGALRM some time from now interrupts a blocking call (EINTR). */
static void guard(int ms)
{
	struct itimerval it = { .it_value = { ms / 1000, (ms % 1000) * 1000 } };

	setitimer(ITIMER_REAL, &it, NULL);
}

static void unguard(void)
{
	struct itimerval it = {};

	setitimer(ITIMER_REAL, &it, NULL);
}

static const char *pm(int m)
{
	static const struct { int bit; const char *name; } bits[] = {
		{ POLLIN, "IN" }, { POLLPRI, "PRI" }, { POLLOUT, "OUT" },
		{ POLLERR, "ERR" }, { POLLHUP, "HUP" }, { POLLNVAL, "NVAL" },
		{ POLLRDNORM, "RDNORM" }, { POLLRDBAND, "RDBAND" },
		{ POLLWRNORM, "WRNORM" }, { POLLWRBAND, "WRBAND" },
		{ POLLMSG, "MSG" }, { POLLRDHUP, "RDHUP" },
	};
	static char buf[4][128];
	static int k;
	int i, n = 0;

	k = (k + 1) % 4;
	buf[k][0] = 0;
	if (m < 0)
		return en(-m);
	for (i = 0; i < ARRAY_SIZE(bits); i++) {
		if (m & bits[i].bit) {
			n += snprintf(buf[k] + n, sizeof(buf[k]) - n, "%s%s",
				      n ? "|" : "", bits[i].name);
			m &= ~bits[i].bit;
		}
	}
	if (m)
		snprintf(buf[k] + n, sizeof(buf[k]) - n, "%s0x%x",
			 n ? "|" : "", m);
	return buf[k][0] ? buf[k] : "0";
}

#define PALL	(POLLIN | POLLPRI | POLLOUT | POLLRDHUP | POLLRDNORM | \
		 POLLRDBAND | POLLWRNORM | POLLWRBAND)

/* The current poll mask; a zero timeout registers no waiter. */
static int pnow(int fd)
{
	struct pollfd p = { fd, PALL, 0 };
	int n = poll(&p, 1, 0);

	return n < 0 ? -errno : p.revents;
}

/* Wait for any of "ev" (or an error/hangup); returns the mask. */
static int pwait(int fd, short ev, int ms)
{
	struct pollfd p = { fd, ev, 0 };
	int n = poll(&p, 1, ms);

	return n < 0 ? -errno : p.revents;
}

/* Wait for a condition without ever sleeping on the socket. */
static int pspin(int fd, int ev, int ms)
{
	long end = now_ms() + ms;
	int m;

	for (;;) {
		m = pnow(fd);
		if (m < 0 || (m & ev) || now_ms() > end)
			return m;
		msleep(2);
	}
}

static int ioc(int fd, unsigned long req, int *val)
{
	*val = -1;
	return ioctl(fd, req, val) ? errno : 0;
}

static int inq(int fd)
{
	int v;

	return ioc(fd, SIOCINQ, &v) ? -1 : v;
}

static int outq(int fd)
{
	int v;

	return ioc(fd, SIOCOUTQ, &v) ? -1 : v;
}

static int wait_inq(int fd, int n, int ms)
{
	long end = now_ms() + ms;
	int v;

	while ((v = inq(fd)) < n && now_ms() < end)
		msleep(2);
	return v;
}

static int so(int fd, int lvl, int opt, int val)
{
	return setsockopt(fd, lvl, opt, &val, sizeof(val));
}

static int geto(int fd, int lvl, int opt, int *val)
{
	socklen_t l = sizeof(*val);

	*val = 0;
	return getsockopt(fd, lvl, opt, val, &l) ? errno : 0;
}

/* Record an int socket option as "who NAME=value" or "who NAME: ERRNO". */
#define RO(fd, who, lvl, opt) rec_opt(fd, who, #opt, lvl, opt)
static void rec_opt(int fd, const char *who, const char *name, int lvl,
		    int opt)
{
	int v, e = geto(fd, lvl, opt, &v);

	if (e)
		rec("%s %s: %s", who, name, en(e));
	else if (opt == SO_ERROR)
		rec("%s %s=%s", who, name, v ? en(v) : "0");
	else
		rec("%s %s=%d", who, name, v);
}

static int fdflags(int fd)
{
	return fcntl(fd, F_GETFL);
}

static void set_nonblock(int fd, int on)
{
	int fl = fcntl(fd, F_GETFL);

	fcntl(fd, F_SETFL, on ? fl | O_NONBLOCK : fl & ~O_NONBLOCK);
}

/* ------------------------------------------------------------------ */
/* Addresses and port labels */

static int plabels[256];
static int nplabels;

static const char *plab(int port)
{
	static char buf[4][16];
	static int k;
	int i;

	if (!port)
		return "0";
	for (i = 0; i < nplabels && plabels[i] != port; i++)
		;
	if (i == nplabels && nplabels < ARRAY_SIZE(plabels))
		plabels[nplabels++] = port;
	k = (k + 1) % 4;
	snprintf(buf[k], sizeof(buf[k]), "p%d", i + 1);
	return buf[k];
}

static socklen_t mksa(struct sockaddr_storage *ss, const char *ip, int port)
{
	memset(ss, 0, sizeof(*ss));
	if (T.v->family == AF_INET) {
		struct sockaddr_in *a = (struct sockaddr_in *)ss;

		a->sin_family = AF_INET;
		a->sin_port = htons(port);
		inet_pton(AF_INET, ip, &a->sin_addr);
		return sizeof(*a);
	} else {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;

		a->sin6_family = AF_INET6;
		a->sin6_port = htons(port);
		inet_pton(AF_INET6, ip, &a->sin6_addr);
		return sizeof(*a);
	}
}

#define SA(ss)	((struct sockaddr *)(ss))

static const char *sastr(const struct sockaddr_storage *ss, socklen_t len)
{
	static char buf[4][96];
	static int k;
	char ip[INET6_ADDRSTRLEN] = "?";

	k = (k + 1) % 4;
	if (ss->ss_family == AF_INET) {
		const struct sockaddr_in *a = (const void *)ss;

		inet_ntop(AF_INET, &a->sin_addr, ip, sizeof(ip));
		snprintf(buf[k], sizeof(buf[k]), "inet %s:%s len=%u", ip,
			 plab(ntohs(a->sin_port)), len);
	} else if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *a = (const void *)ss;

		inet_ntop(AF_INET6, &a->sin6_addr, ip, sizeof(ip));
		snprintf(buf[k], sizeof(buf[k]),
			 "inet6 [%s]:%s flow=%u scope=%u len=%u", ip,
			 plab(ntohs(a->sin6_port)), a->sin6_flowinfo,
			 a->sin6_scope_id, len);
	} else {
		snprintf(buf[k], sizeof(buf[k]), "family %d len=%u",
			 ss->ss_family, len);
	}
	return buf[k];
}

static const char *name_of(int fd, int peer)
{
	static char buf[4][112];
	static int k;
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	int rc;

	memset(&ss, 0, sizeof(ss));
	rc = peer ? getpeername(fd, SA(&ss), &len) :
		    getsockname(fd, SA(&ss), &len);
	k = (k + 1) % 4;
	if (rc)
		snprintf(buf[k], sizeof(buf[k]), "-1 %s", en(errno));
	else
		snprintf(buf[k], sizeof(buf[k]), "%s", sastr(&ss, len));
	return buf[k];
}

static int lport(int fd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	if (getsockname(fd, SA(&ss), &len))
		return -1;
	if (ss.ss_family == AF_INET)
		return ntohs(((struct sockaddr_in *)&ss)->sin_port);
	return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
}

/* ------------------------------------------------------------------ */
/* Sockets */

/* A socket of the family under test. */
static int sut(int flags)
{
	int fd;

	if (inet_kind())
		fd = socket(T.v->family, SOCK_STREAM | flags, IPPROTO_SMC);
	else if (smc_kind())
		fd = socket(AF_SMC, SOCK_STREAM | flags,
			    T.v->family == AF_INET6 ? SMCPROTO_SMC6 :
						      SMCPROTO_SMC);
	else
		fd = socket(T.v->family, SOCK_STREAM | flags, 0);
	if (fd < 0) {
		rec("setup: socket: %s", en(errno));
		return -1;
	}
	if (T.kind == K_TCP_SKEW) {
		so(fd, SOL_TCP, TCP_NODELAY, 1);
		so(fd, SOL_SOCKET, SO_KEEPALIVE, 1);
	}
	return fd;
}

/* A plain TCP socket: scaffolding that is not under test. */
static int tcps(int flags)
{
	return socket(T.v->family, SOCK_STREAM | flags, 0);
}

static int bindp(int fd, int port)
{
	struct sockaddr_storage ss;
	socklen_t l = mksa(&ss, T.v->bind_ip, port);

	return bind(fd, SA(&ss), l);
}

static int connp(int fd, int port)
{
	struct sockaddr_storage ss;
	socklen_t l = mksa(&ss, T.v->conn_ip, port);

	return connect(fd, SA(&ss), l);
}

/* Make a prepared socket listen on an ephemeral port. */
static int lsn_fd(int fd, int backlog, int *port)
{
	if (bindp(fd, 0) || listen(fd, backlog))
		rec("setup: listener: %s", en(errno));
	*port = lport(fd);
	return fd;
}

static int lsn(int backlog, int *port)
{
	return lsn_fd(sut(0), backlog, port);
}

static int conn_fd(int fd, int port)
{
	if (connp(fd, port))
		rec("setup: connect: %s", en(errno));
	return fd;
}

static int conn(int port)
{
	return conn_fd(sut(0), port);
}

static int acc_wait(int l, int ms)
{
	int fd;

	if (!(pwait(l, POLLIN, ms) & POLLIN)) {
		rec("setup: accept: no connection");
		return -1;
	}
	fd = accept(l, NULL, NULL);
	if (fd < 0)
		rec("setup: accept: %s", en(errno));
	return fd;
}

static int acc(int l)
{
	return acc_wait(l, 3000);
}

static void mkpair(int *c, int *s)
{
	int port, l = lsn(8, &port);

	*c = conn(port);
	*s = acc(l);
	close(l);
}

/* A connected pair whose data fills at once: 4 KiB of send buffer on the
 * client and of receive buffer on the server side (from its listener, left
 * open in *l).
 */
static void mkpair_small(int *l, int *c, int *s)
{
	int port;

	*l = sut(0);
	so(*l, SOL_SOCKET, SO_RCVBUF, 4096);
	lsn_fd(*l, 4, &port);
	*c = sut(0);
	so(*c, SOL_SOCKET, SO_SNDBUF, 4096);
	conn_fd(*c, port);
	*s = acc(*l);
}

/* A port on which nothing listens: a bound socket holds it. */
static int closed_port(int *holder)
{
	*holder = tcps(0);
	bindp(*holder, 0);
	return lport(*holder);
}

/*
 * A port whose SYNs go unanswered: a TCP listener with backlog 0 whose
 * accept queue is full drops them, so a connect stays in SYN_SENT.
 */
struct sink { int l, filler; };

static int sink_open(struct sink *k)
{
	int port;

	k->l = tcps(0);
	if (bindp(k->l, 0) || listen(k->l, 0))
		rec("setup: sink: %s", en(errno));
	port = lport(k->l);
	k->filler = tcps(0);
	if (connp(k->filler, port))
		rec("setup: sink filler: %s", en(errno));
	msleep(20);
	return port;
}

static void sink_close(struct sink *k)
{
	close(k->filler);
	close(k->l);
}

static int fill_errno;

/* Send without blocking until the socket refuses; returns the bytes and
 * leaves the errno that stopped it in fill_errno.
 */
static long fill(int fd)
{
	static char buf[65536];
	long total = 0;
	ssize_t n;
	int idle = 0;

	/* Loopback acks at once; stop after the queue stayed full a while,
	 * with not even one more byte fitting.
	 */
	while (idle < 5) {
		n = send(fd, buf, sizeof(buf), MSG_DONTWAIT | MSG_NOSIGNAL);
		if (n < 0 && errno == EAGAIN)
			n = send(fd, buf, 1, MSG_DONTWAIT | MSG_NOSIGNAL);
		if (n > 0) {
			total += n;
			idle = 0;
			continue;
		}
		fill_errno = n < 0 ? errno : 0;
		if (n < 0 && errno != EAGAIN)
			break;
		idle++;
		msleep(10);
	}
	return total;
}

/* Read whatever arrives until nothing came for "ms". */
static long drain(int fd, int ms)
{
	static char buf[65536];
	long total = 0;
	ssize_t n;

	while (pwait(fd, POLLIN, ms) & POLLIN) {
		n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (n <= 0)
			break;
		total += n;
	}
	return total;
}

static void pattern(char *buf, long n, int seed)
{
	long i;

	for (i = 0; i < n; i++)
		buf[i] = (char)(i * 7 + seed + (i >> 8));
}

static int check_pattern(const char *buf, long n, int seed)
{
	long i;

	for (i = 0; i < n; i++)
		if (buf[i] != (char)(i * 7 + seed + (i >> 8)))
			return 0;
	return 1;
}

/* Receive exactly n bytes (blocking, bounded by a guard). */
static long recv_all(int fd, char *buf, long n)
{
	long got = 0;
	ssize_t r;

	guard(5000);
	while (got < n) {
		r = recv(fd, buf + got, n - got, 0);
		if (r <= 0)
			break;
		got += r;
	}
	unguard();
	return got;
}

static const char *tcp_state_name(int st)
{
	static const char *const names[] = {
		"0", "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1",
		"FIN_WAIT2", "TIME_WAIT", "CLOSE", "CLOSE_WAIT", "LAST_ACK",
		"LISTEN", "CLOSING",
	};

	return st >= 0 && st < ARRAY_SIZE(names) ? names[st] : "?";
}

static void rec_tcp_state(int fd, const char *who)
{
	struct tcp_info ti;
	socklen_t l = sizeof(ti);

	memset(&ti, 0, sizeof(ti));
	if (getsockopt(fd, SOL_TCP, TCP_INFO, &ti, &l))
		rec("%s TCP_INFO: %s", who, en(errno));
	else
		rec("%s TCP_INFO state=%s", who, tcp_state_name(ti.tcpi_state));
}

/* Wait up to @ms for TCP_INFO to show @state (a segment in flight). */
static void wait_tcp_state(int fd, int state, int ms)
{
	struct tcp_info ti;
	socklen_t l;
	long end = now_ms() + ms;

	do {
		memset(&ti, 0, sizeof(ti));
		l = sizeof(ti);
		if (getsockopt(fd, SOL_TCP, TCP_INFO, &ti, &l) ||
		    ti.tcpi_state == state)
			return;
		msleep(5);
	} while (now_ms() < end);
}

/* ------------------------------------------------------------------ */
/* Scenarios */

/* A socket's phase: fresh, listening, connected, or back on plain TCP
 * (its connect failed).
 */
enum phase { PH_FRESH, PH_CONN, PH_LISTEN, PH_TCP };

/*
 * SO_DOMAIN and SO_PROTOCOL by design: an AF_SMC socket reports AF_SMC
 * (43) and SMCPROTO_SMC/SMC6 until its connection has fallen back to TCP.
 * Then the descriptor is re-pointed to the internal TCP socket (as Linux
 * 6.1's smc_switch_to_fallback does), so it reports AF_INET/AF_INET6 and
 * IPPROTO_TCP like the TCP socket it now is. A connection over shared
 * memory (smcd) never falls back: it stays AF_SMC. So does a socket whose TCP
 * connect failed: it continues as that TCP socket, which keeps the error
 * and may connect again. A listener never falls back and stays AF_SMC.
 * An IPPROTO_SMC socket goes the same way, but reports its inet family
 * and IPPROTO_SMC where an AF_SMC socket reports AF_SMC.
 */
static void rec_family(int fd, const char *who, enum phase ph)
{
	int dom, proto, edom = T.v->family, eproto = IPPROTO_TCP;
	char got[64], exp[64];

	if (smc_kind() && (ph == PH_FRESH || ph == PH_LISTEN ||
			   (ph == PH_CONN && smcd_kind()))) {
		edom = inet_kind() ? T.v->family : AF_SMC;
		eproto = inet_kind() ? IPPROTO_SMC :
			 T.v->family == AF_INET6 ? SMCPROTO_SMC6 : SMCPROTO_SMC;
	}
	if (geto(fd, SOL_SOCKET, SO_DOMAIN, &dom))
		dom = -errno;
	if (geto(fd, SOL_SOCKET, SO_PROTOCOL, &proto))
		proto = -errno;
	snprintf(got, sizeof(got), "%d/%d", dom, proto);
	snprintf(exp, sizeof(exp), "%d/%d", edom, eproto);
	if (!strcmp(got, exp))
		rec("%s SO_DOMAIN/SO_PROTOCOL: as designed", who);
	else
		rec("%s SO_DOMAIN/SO_PROTOCOL: %s, expected %s", who, got, exp);
}

static void sc_domain(void)
{
	int fd, l, c, s, r, holder, port;

	fd = sut(0);
	rec_family(fd, "fresh", PH_FRESH);
	RO(fd, "fresh", SOL_SOCKET, SO_TYPE);
	RO(fd, "fresh", SOL_SOCKET, SO_ACCEPTCONN);
	l = lsn(4, &port);
	rec_family(l, "listener", PH_LISTEN);
	RO(l, "listener", SOL_SOCKET, SO_TYPE);
	RO(l, "listener", SOL_SOCKET, SO_ACCEPTCONN);
	c = conn(port);
	rec_family(c, "connected", PH_CONN);
	RO(c, "connected", SOL_SOCKET, SO_TYPE);
	RO(c, "connected", SOL_SOCKET, SO_ACCEPTCONN);
	s = acc(l);
	rec_family(s, "accepted", PH_CONN);
	RO(s, "accepted", SOL_SOCKET, SO_TYPE);
	port = closed_port(&holder);
	r = sut(0);
	R("connect to a closed port", connp(r, port));
	rec_family(r, "refused", PH_TCP);
	close(holder);
	close(r);
	close(s);
	close(c);
	close(l);
	close(fd);
}

/* Whether TCP has a connection in TIME_WAIT on local @port. */
static int time_wait_on(int port)
{
	static const char *const tables[] = { "/proc/net/tcp",
					      "/proc/net/tcp6" };
	unsigned int lport, state;
	char line[256];
	int i, found = 0;
	FILE *f;

	for (i = 0; i < ARRAY_SIZE(tables) && !found; i++) {
		f = fopen(tables[i], "r");
		if (!f)
			continue;
		while (!found && fgets(line, sizeof(line), f))
			found = sscanf(line, " %*u: %*[0-9A-Fa-f]:%x %*[0-9A-Fa-f]:%*x %x",
				       &lport, &state) == 2 &&
				(int)lport == port && state == 6;
		fclose(f);
	}
	return found;
}

static void sc_bind(void)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int a, b, c, d, e, f, l, cl, sv, port, tries;

	a = sut(0);
	R("bind a to port 0", bindp(a, 0));
	port = lport(a);
	rec("a local: %s", name_of(a, 0));
	R("bind a again", bindp(a, 0));
	b = sut(0);
	R("bind b to a's port", bindp(b, port));
	len = mksa(&ss, T.v->bind_ip, 0);
	R("bind b with addrlen 4", bind(b, SA(&ss), 4));
	ss.ss_family = T.v->family == AF_INET ? AF_INET6 : AF_INET;
	R("bind b with the other family", bind(b, SA(&ss), sizeof(ss)));
	len = mksa(&ss, T.v->alien_ip, 0);
	R("bind b to a non-local address", bind(b, SA(&ss), len));
	R("bind b to port 0", bindp(b, 0));
	rec("b local: %s", name_of(b, 0));

	/* SO_REUSEADDR: two bound sockets may share, two listeners not */
	c = sut(0);
	d = sut(0);
	R("SO_REUSEADDR c", so(c, SOL_SOCKET, SO_REUSEADDR, 1));
	R("SO_REUSEADDR d", so(d, SOL_SOCKET, SO_REUSEADDR, 1));
	RO(c, "c", SOL_SOCKET, SO_REUSEADDR);
	R("bind c", bindp(c, 0));
	port = lport(c);
	R("bind d to c's port", bindp(d, port));
	R("listen c", listen(c, 4));
	R("listen d", listen(d, 4));
	close(c);
	close(d);

	/* The port of a connection in TIME_WAIT. The other kind's run, at
	 * the same time, may end it: a SYN for the same two ports (its
	 * listener on our port, its client on our client's) takes over a
	 * TIME_WAIT. Then a fresh one, with nothing recorded.
	 */
	for (tries = 0; tries < 5; tries++) {
		l = sut(0);
		so(l, SOL_SOCKET, SO_REUSEADDR, 1);
		lsn_fd(l, 4, &port);
		cl = conn(port);
		sv = acc(l);
		close(l);
		close(sv);		/* the server closes first: TIME_WAIT */
		pwait(cl, POLLRDHUP, 2000);
		close(cl);
		msleep(50);
		if (time_wait_on(port))
			break;
	}
	e = sut(0);
	R("bind to a TIME_WAIT port", bindp(e, port));
	f = sut(0);
	so(f, SOL_SOCKET, SO_REUSEADDR, 1);
	R("bind to a TIME_WAIT port with SO_REUSEADDR", bindp(f, port));
	R("listen there", listen(f, 4));
	close(e);
	close(f);
	close(a);
	close(b);
}

static void sc_reuseport(void)
{
	char got[16];
	int a, v = -1;

	/*
	 * By design of the kernel, not ours: since 6.1.124 ("net: restrict
	 * SO_REUSEPORT to inet sockets") the socket layer takes SO_REUSEPORT
	 * only on AF_INET/AF_INET6 sockets, before any protocol sees it. An
	 * AF_SMC socket refuses it, as with the distribution's smc.ko; an
	 * IPPROTO_SMC socket is an inet socket and takes it like TCP.
	 */
	a = sut(0);
	errno = 0;
	expect("SO_REUSEPORT", "0", inet_kind() ? "0" : "-1 EOPNOTSUPP",
	       so(a, SOL_SOCKET, SO_REUSEPORT, 1) == 0 ? "0" :
	       errno == EOPNOTSUPP ? "-1 EOPNOTSUPP" : en(errno));
	geto(a, SOL_SOCKET, SO_REUSEPORT, &v);
	snprintf(got, sizeof(got), "%d", v);
	expect("SO_REUSEPORT read back", "1", inet_kind() ? "1" : "0", got);
	close(a);
}

static void sc_listen(void)
{
	int u, l, c, s, cl[4], port, n, i, fd;
	char name[32];

	u = sut(0);
	R("listen on an unbound socket", listen(u, 5));
	rec("it got a port: %s", lport(u) > 0 ? "yes" : "no");
	R("listen again with another backlog", listen(u, 1));
	RO(u, "listener", SOL_SOCKET, SO_ACCEPTCONN);
	R("connect a listener", connp(u, lport(u)));
	close(u);

	/*
	 * Backlog 1 and nobody accepting: TCP completes backlog + 1
	 * handshakes and then drops SYNs; the clients behind wait in
	 * SYN_SENT. The clients connect one by one so that the outcome
	 * does not depend on how their handshakes interleave. An AF_SMC
	 * listener completes one more: the first connection's handshake
	 * takes it off TCP's queue, which frees a place there. Once the
	 * application has a backlog's worth waiting, new connections are
	 * offered plain TCP (a client that offered SMC would wait for an
	 * answer to its proposal that only comes after accept()), and TCP's
	 * queue takes backlog + 1 of them. The first connection is in the
	 * listener's queue before the next connects: until it is (its
	 * handshake or decline takes a while on a slow machine), the next
	 * one would still be offered SMC.
	 */
	l = lsn(1, &port);
	for (i = 0; i < 4; i++) {
		cl[i] = sut(SOCK_NONBLOCK);
		snprintf(name, sizeof(name), "client %d connect", i);
		R(name, connp(cl[i], port));
		if (!i)
			pwait(l, POLLIN, 2000);
		msleep(40);
	}
	msleep(250);
	for (n = 0, i = 0; i < 4; i++)
		n += !!(pnow(cl[i]) & POLLOUT);
	snprintf(name, sizeof(name), "%d of 4", n);
	expect("established without accept()", "2 of 4", "3 of 4", name);
	set_nonblock(l, 1);
	n = 0;
	while (pwait(l, POLLIN, 150) & POLLIN) {
		fd = accept(l, NULL, NULL);
		if (fd < 0)
			break;
		n++;
		close(fd);
	}
	snprintf(name, sizeof(name), "%d", n);
	expect("accepted", "2", "3", name);
	R("accept on an empty queue", accept(l, NULL, NULL));
	for (i = 0; i < 4; i++)
		close(cl[i]);
	close(l);

	mkpair(&c, &s);
	R("listen on a connected socket", listen(c, 4));
	R("listen on an accepted socket", listen(s, 4));
	close(c);
	close(s);
}

static void rec_fdflags(int fd, const char *who)
{
	int fl = fcntl(fd, F_GETFL), fdf = fcntl(fd, F_GETFD);

	rec("%s: O_NONBLOCK=%d FD_CLOEXEC=%d", who, !!(fl & O_NONBLOCK),
	    !!(fdf & FD_CLOEXEC));
}

/* TCP_DEFER_ACCEPT: a connection reaches accept() with its first bytes or
 * its peer's end, or once the time getsockopt() reports has passed.
 */
static void sc_defer_accept(void)
{
	struct linger lg = { 1, 0 };
	int l, c1, c2, c3, c4, c5, s1, s2, s3, port;
	char buf[4];

	l = sut(0);
	R("TCP_DEFER_ACCEPT 1 on the listener",
	  so(l, SOL_TCP, TCP_DEFER_ACCEPT, 1));
	RO(l, "listener", SOL_TCP, TCP_DEFER_ACCEPT);
	lsn_fd(l, 8, &port);
	set_nonblock(l, 1);

	c1 = conn(port);
	R("listener readable before any byte (300 ms)",
	  pwait(l, POLLIN, 300));
	R("accept before any byte", accept(l, NULL, NULL));
	R("the client sends 1 byte", send(c1, "x", 1, 0));
	R("listener readable with it", pwait(l, POLLIN, 3000));
	s1 = RFD("accept", accept(l, NULL, NULL));
	R("recv the byte", recv(s1, buf, sizeof(buf), MSG_DONTWAIT));

	c2 = conn(port);
	R("listener readable before the end (300 ms)", pwait(l, POLLIN, 300));
	R("the client shuts down writing", shutdown(c2, SHUT_WR));
	R("listener readable with the end", pwait(l, POLLIN, 3000));
	s2 = RFD("accept", accept(l, NULL, NULL));
	R("recv: EOF", recv(s2, buf, sizeof(buf), MSG_DONTWAIT));

	/* A reset before any byte: TCP drops the connection unseen. */
	c5 = conn(port);
	msleep(100);
	setsockopt(c5, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	close(c5);
	R("listener readable after a reset before any byte (1.5 s)",
	  pwait(l, POLLIN, 1500));
	R("accept after it", accept(l, NULL, NULL));

	c3 = conn(port);
	R("listener readable within 5 s without a byte",
	  pwait(l, POLLIN, 5000));
	s3 = RFD("accept", accept(l, NULL, NULL));
	R("recv: nothing yet", recv(s3, buf, sizeof(buf), MSG_DONTWAIT));
	R("the client sends 1 byte", send(c3, "y", 1, 0));
	R("it arrives", pwait(s3, POLLIN, 3000));
	/* One still held back when the listener closes: nothing recorded,
	 * as TCP tells its client only when it sends; it must just go.
	 */
	c4 = conn(port);
	msleep(100);
	close(l);
	close(c4);
	close(s1);
	close(s2);
	close(s3);
	close(c1);
	close(c2);
	close(c3);
}

/* TCP_DEFER_ACCEPT with a backlog's worth of idle clients: they wait
 * outside the accept queue (TCP keeps them as requests), so a client
 * that sends is accepted past them, and so is an idle one once it sends.
 * A new value applies to those still waiting: with 0, TCP lets them in
 * at its next SYN-ACK retransmission, a second after the SYN.
 */
static void sc_defer_backlog(void)
{
	int l, c1, c2, c3, s1, s2, s3, port;
	char buf[4];

	l = sut(0);
	so(l, SOL_TCP, TCP_DEFER_ACCEPT, 5);
	lsn_fd(l, 2, &port);
	set_nonblock(l, 1);
	c1 = conn(port);
	c2 = conn(port);
	R("listener readable with two idle clients (300 ms)",
	  pwait(l, POLLIN, 300));
	c3 = conn(port);
	R("a third client sends 1 byte", send(c3, "z", 1, 0));
	R("listener readable with it", pwait(l, POLLIN, 3000));
	s3 = RFD("accept", accept(l, NULL, NULL));
	R("the accepted one has the byte", pwait(s3, POLLIN, 3000));
	R("recv it", recv(s3, buf, sizeof(buf), MSG_DONTWAIT));
	R("accept again, the idle two still held back", accept(l, NULL, NULL));
	R("an idle client sends 1 byte", send(c1, "w", 1, 0));
	R("listener readable with it", pwait(l, POLLIN, 3000));
	s1 = RFD("accept", accept(l, NULL, NULL));
	R("the accepted one has the byte", pwait(s1, POLLIN, 3000));
	R("recv it", recv(s1, buf, sizeof(buf), MSG_DONTWAIT));
	R("TCP_DEFER_ACCEPT 0 on the listener",
	  so(l, SOL_TCP, TCP_DEFER_ACCEPT, 0));
	R("listener readable with the other idle one (3 s)",
	  pwait(l, POLLIN, 3000));
	s2 = RFD("accept", accept(l, NULL, NULL));
	R("recv: nothing yet", recv(s2, buf, sizeof(buf), MSG_DONTWAIT));
	close(l);
	close(s1);
	close(s2);
	close(s3);
	close(c1);
	close(c2);
	close(c3);
}

/* recv() of no bytes: TCP answers at once with data or an end there,
 * else with the error, EAGAIN, or after one wait (here SO_RCVTIMEO).
 */
static void sc_recv_zero(void)
{
	struct timeval tv = { 0, 100000 };
	struct linger lg = { 1, 0 };
	int c, s;
	char buf[4];
	long t0;

	mkpair(&c, &s);
	R("nothing there, MSG_DONTWAIT", recv(c, buf, 0, MSG_DONTWAIT));
	R("SO_RCVTIMEO 100 ms", setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv,
					   sizeof(tv)));
	guard(3000);
	t0 = now_ms();
	R("nothing there, blocking", recv(c, buf, 0, 0));
	unguard();
	rec("it returned %s", tclass(now_ms() - t0, 100));
	R("the peer sends 1 byte", send(s, "x", 1, 0));
	R("readable", pwait(c, POLLIN, 3000));
	R("a byte there", recv(c, buf, 0, 0));
	R("still there", recv(c, buf, sizeof(buf), MSG_DONTWAIT));
	setsockopt(s, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	close(s);
	R("the peer reset: error", pwait(c, POLLERR, 3000) & POLLERR);
	R("after the reset", recv(c, buf, 0, MSG_DONTWAIT));
	R("then", recv(c, buf, 0, MSG_DONTWAIT));
	close(c);
}

/* The sender fills the window of a receiver whose SO_RCVLOWAT is beyond
 * it: readable, and a blocking peek returns at once.
 */
static void rcvlowat_fill_peek(int c, int s, const char *filled)
{
	static char big[512 * 1024];
	long n, t0;

	n = fill(c);
	rec("%s: %s", filled, n > 0 ? "yes" : "no");
	R("readable", pwait(s, POLLIN, 3000) & POLLIN);
	guard(3000);
	t0 = now_ms();
	n = recv(s, big, sizeof(big), MSG_PEEK);
	unguard();
	rec("a blocking peek: %s, %s", n > 0 ? "data" : en(errno),
	    now_ms() - t0 < 2000 ? "at once" : "only when interrupted");
	close(c);
	close(s);
}

/* SO_RCVLOWAT beyond what the receive side can hold (TCP grows its
 * buffer for the mark, a DMB stays): a window filled to the brim is
 * readable, with an urgent byte read out of band ahead of the data too,
 * and a blocking peek returns what there is instead of waiting forever.
 */
static void sc_rcvlowat_full(void)
{
	char buf[1];
	int c, s;

	mkpair(&c, &s);
	R("SO_RCVLOWAT 512 KiB", so(s, SOL_SOCKET, SO_RCVLOWAT, 512 * 1024));
	R("an urgent byte", send(c, "U", 1, MSG_OOB));
	R("POLLPRI", pwait(s, POLLPRI, 3000) & POLLPRI);
	R("recv MSG_OOB", recv(s, buf, 1, MSG_OOB));
	rcvlowat_fill_peek(c, s, "the sender filled the window");

	/* Without an urgent byte, whose mark would end the peek early. */
	mkpair(&c, &s);
	so(s, SOL_SOCKET, SO_RCVLOWAT, 512 * 1024);
	rcvlowat_fill_peek(c, s,
			   "again without the urgent byte, window filled");
}

static void sc_accept(void)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int l, c1, c2, c3, c4, s1, s2, s3, s4, port;
	char buf[16];
	long t0;

	l = lsn(8, &port);
	c1 = conn(port);
	pwait(l, POLLIN, 5000);
	len = sizeof(ss);
	memset(&ss, 0, sizeof(ss));
	s1 = RFD("accept", accept(l, SA(&ss), &len));
	rec("peer address: %s", sastr(&ss, len));
	rec("client local: %s", name_of(c1, 0));
	rec_fdflags(s1, "accepted");
	rec_family(s1, "accepted", PH_CONN);

	c2 = conn(port);
	pwait(l, POLLIN, 5000);
	s2 = RFD("accept4(SOCK_NONBLOCK|SOCK_CLOEXEC)",
		 accept4(l, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC));
	rec_fdflags(s2, "accept4'd");
	R("recv on it, nothing there", recv(s2, buf, sizeof(buf), 0));
	send(c2, "hi", 2, 0);
	pwait(s2, POLLIN, 2000);
	R("recv on it after data", recv(s2, buf, sizeof(buf), 0));
	R("accept4 with bad flags", accept4(l, NULL, NULL, 0x1));

	set_nonblock(l, 1);
	R("accept on an empty non-blocking listener", accept(l, NULL, NULL));
	c3 = conn(port);
	pwait(l, POLLIN, 5000);
	s3 = RFD("accept from the non-blocking listener",
		 accept(l, NULL, NULL));
	rec_fdflags(s3, "accepted from a non-blocking listener");

	c4 = conn(port);
	pwait(l, POLLIN, 5000);
	len = 4;
	s4 = RFD("accept with addrlen 4", accept(l, SA(&ss), &len));
	rec("returned addrlen: %u", len);

	set_nonblock(l, 0);
	R("SO_RCVTIMEO 100 ms on the listener",
	  setsockopt(l, SOL_SOCKET, SO_RCVTIMEO,
		     &(struct timeval){ 0, 100000 }, sizeof(struct timeval)));
	guard(3000);
	t0 = now_ms();
	R("blocking accept with nothing to accept", accept(l, NULL, NULL));
	unguard();
	rec("it returned %s", tclass(now_ms() - t0, 100));

	R("accept on a connected socket", accept(c1, NULL, NULL));
	close(c1);
	c1 = sut(0);
	R("accept on a fresh socket", accept(c1, NULL, NULL));
	close(c1);
	close(c2);
	close(c3);
	close(c4);
	close(s1);
	close(s2);
	close(s3);
	close(s4);
	close(l);
}

static void sc_connect_blocking(void)
{
	struct sockaddr_storage ss;
	int l, c, s, d, e, holder, port, cport;
	char buf[16];

	l = lsn(4, &port);
	c = sut(0);
	R("connect", connp(c, port));
	RO(c, "client", SOL_SOCKET, SO_ERROR);
	R("connect again", connp(c, port));
	rec("peer: %s", name_of(c, 1));
	s = acc(l);
	R("send", send(c, "ping", 4, 0));
	R("peer recv", recv_all(s, buf, 4));
	R("peer send", send(s, "pong", 4, 0));
	R("recv", recv_all(c, buf, 4));
	rec("data: %s", show(buf, 4));

	cport = closed_port(&holder);
	d = sut(0);
	R("connect to a closed port", connp(d, cport));
	RO(d, "refused", SOL_SOCKET, SO_ERROR);

	e = sut(0);
	mksa(&ss, T.v->conn_ip, port);
	R("connect with addrlen 4", connect(e, SA(&ss), 4));
	ss.ss_family = T.v->family == AF_INET ? AF_INET6 : AF_INET;
	R("connect with the other family", connect(e, SA(&ss), sizeof(ss)));
	R("connect properly after those", connp(e, port));
	close(holder);
	close(c);
	close(s);
	close(d);
	close(e);
	close(l);
}

static void sc_connect_nonblocking(void)
{
	int l, c, s, port;
	char buf[16];

	l = lsn(4, &port);
	c = sut(SOCK_NONBLOCK);
	rec("poll before connect: %s", pm(pnow(c)));
	R("connect", connp(c, port));
	RO(c, "right after", SOL_SOCKET, SO_ERROR);
	pwait(c, POLLOUT, 5000);
	rec("poll after completion: %s", pm(pnow(c)));
	RO(c, "after completion", SOL_SOCKET, SO_ERROR);
	/* Linux reports a completed connect once more as success. */
	R("connect again", connp(c, port));
	R("connect a third time", connp(c, port));
	rec("peer: %s", name_of(c, 1));
	s = acc(l);
	R("peer send", send(s, "x", 1, 0));
	pwait(c, POLLIN, 2000);
	R("recv", recv(c, buf, sizeof(buf), 0));
	R("recv again", recv(c, buf, sizeof(buf), 0));
	close(c);
	close(s);
	close(l);
}

static void sc_connect_refused(void)
{
	int c, holder, port;

	port = closed_port(&holder);
	c = sut(SOCK_NONBLOCK);
	R("connect to a closed port", connp(c, port));
	pwait(c, POLLOUT, 5000);
	rec("poll: %s", pm(pnow(c)));
	RO(c, "refused", SOL_SOCKET, SO_ERROR);
	RO(c, "refused", SOL_SOCKET, SO_ERROR);
	rec("poll after SO_ERROR: %s", pm(pnow(c)));
	rec("peer: %s", name_of(c, 1));
	close(c);
	close(holder);
}

static void sc_connect_retry(void)
{
	int c, l, s, holder, cport, port;
	char buf[8];

	cport = closed_port(&holder);
	c = sut(0);
	R("connect to a closed port", connp(c, cport));
	l = lsn(4, &port);
	R("connect the same socket to a listener", connp(c, port));
	s = -1;
	if (pwait(l, POLLIN, 500) & POLLIN) {
		s = accept(l, NULL, NULL);
		R("send", send(c, "abc", 3, MSG_NOSIGNAL));
		R("peer recv", recv_all(s, buf, 3));
	}
	close(s);
	close(c);
	close(l);
	close(holder);
}

static void sc_io_after_refused(void)
{
	char buf[8];
	int c, holder, port, v;

	port = closed_port(&holder);
	c = sut(0);
	R("connect to a closed port", connp(c, port));
	R("send", send(c, "a", 1, 0));
	R("send MSG_NOSIGNAL", send(c, "a", 1, MSG_NOSIGNAL));
	R("recv", recv(c, buf, sizeof(buf), MSG_DONTWAIT));
	R("SIOCINQ", ioctl(c, SIOCINQ, &v));
	R("shutdown", shutdown(c, SHUT_RDWR));
	rec("poll: %s", pm(pnow(c)));
	close(c);
	close(holder);
}

static void sc_connect_unspec(void)
{
	struct sockaddr unspec = { .sa_family = AF_UNSPEC };
	int u, c, s, l, s2, port;
	char buf[8];

	u = sut(0);
	R("connect(AF_UNSPEC) on a fresh socket", connect(u, &unspec,
							  sizeof(unspec)));
	close(u);

	mkpair(&c, &s);
	R("connect(AF_UNSPEC) on a connected socket",
	  connect(c, &unspec, sizeof(unspec)));
	rec("poll after it: %s", pm(pnow(c)));
	RO(c, "after it", SOL_SOCKET, SO_ERROR);
	rec("poll then: %s", pm(pnow(c)));
	rec("peer: %s", name_of(c, 1));
	pwait(s, POLLERR, 2000);
	R("peer recv", recv(s, buf, sizeof(buf), MSG_DONTWAIT));
	l = lsn(4, &port);
	R("connect the disconnected socket again", connp(c, port));
	s2 = acc_wait(l, 1000);
	R("send", send(c, "z", 1, MSG_NOSIGNAL));
	R("peer recv", recv_all(s2, buf, 1));
	close(s2);
	close(c);
	close(s);

	/* The disconnect's error unread, a non-blocking connect again: its
	 * own outcome is what SO_ERROR tells.
	 */
	mkpair(&c, &s);
	R("connect(AF_UNSPEC) again", connect(c, &unspec, sizeof(unspec)));
	set_nonblock(c, 1);
	R("non-blocking connect, the error unread", connp(c, port));
	rec("poll: %s", pm(pwait(c, POLLOUT, 2000)));
	RO(c, "then", SOL_SOCKET, SO_ERROR);
	s2 = acc_wait(l, 1000);
	close(s2);
	close(l);
	close(c);
	close(s);

	/* ... or a listen(): a listener polls no error. */
	mkpair(&c, &s);
	R("connect(AF_UNSPEC), then", connect(c, &unspec, sizeof(unspec)));
	R("listen", listen(c, 4));
	rec("poll: %s", pm(pnow(c)));
	RO(c, "listener", SOL_SOCKET, SO_ERROR);
	close(c);
	close(s);
}

static void sc_connecting(void)
{
	struct sink k;
	char buf[8];
	int c, port, v;

	port = sink_open(&k);
	c = sut(SOCK_NONBLOCK);
	R("connect to an unanswering port", connp(c, port));
	msleep(50);
	R("connect again", connp(c, port));
	RO(c, "connecting", SOL_SOCKET, SO_ERROR);
	rec("poll: %s", pm(pnow(c)));
	R("recv MSG_DONTWAIT", recv(c, buf, sizeof(buf), MSG_DONTWAIT));
	R("send MSG_DONTWAIT", send(c, "a", 1, MSG_DONTWAIT));
	rec("peer: %s", name_of(c, 1));
	rec("local: %s", name_of(c, 0));
	rec_tcp_state(c, "connecting");
	R("SIOCINQ", ioctl(c, SIOCINQ, &v));
	rec("  value %d", v);
	R("SIOCOUTQ", ioctl(c, SIOCOUTQ, &v));
	rec("  value %d", v);
	close(c);
	sink_close(&k);
}

static void sc_connecting_rcvtimeo(void)
{
	struct timeval tv = { 0, 100000 };
	struct sink k;
	char buf[8];
	int c, port;
	long t0;

	port = sink_open(&k);
	c = sut(SOCK_NONBLOCK);
	R("connect to an unanswering port", connp(c, port));
	set_nonblock(c, 0);
	R("SO_RCVTIMEO 100 ms", setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv,
					   sizeof(tv)));
	guard(1000);
	t0 = now_ms();
	R("blocking recv while connecting", recv(c, buf, sizeof(buf), 0));
	unguard();
	rec("it returned %s", tclass(now_ms() - t0, 100));
	close(c);
	sink_close(&k);
}

static void sc_connecting_sndtimeo(void)
{
	struct timeval tv = { 0, 100000 };
	struct sink k;
	int c, port;
	long t0;

	port = sink_open(&k);
	c = sut(0);
	R("SO_SNDTIMEO 100 ms", setsockopt(c, SOL_SOCKET, SO_SNDTIMEO, &tv,
					   sizeof(tv)));
	guard(2500);
	t0 = now_ms();
	R("blocking connect to an unanswering port", connp(c, port));
	rec("it returned %s", tclass(now_ms() - t0, 100));
	t0 = now_ms();
	R("blocking send while connecting", send(c, "a", 1, 0));
	rec("it returned %s", tclass(now_ms() - t0, 100));
	t0 = now_ms();
	R("blocking connect again", connp(c, port));
	rec("it returned %s", tclass(now_ms() - t0, 100));
	unguard();
	close(c);
	sink_close(&k);
}

static void sc_connecting_signal(void)
{
	struct sink k;
	int c, port;
	long t0;

	port = sink_open(&k);
	c = sut(0);
	guard(150);
	t0 = now_ms();
	R("blocking connect interrupted by a signal", connp(c, port));
	unguard();
	rec("it returned %s", tclass(now_ms() - t0, 150));
	set_nonblock(c, 1);
	R("connect again, non-blocking", connp(c, port));
	rec("poll: %s", pm(pnow(c)));
	close(c);
	sink_close(&k);
}

static void sc_connecting_shutdown(void)
{
	struct sink k;
	int c, port;

	port = sink_open(&k);
	c = sut(SOCK_NONBLOCK);
	R("connect to an unanswering port", connp(c, port));
	R("shutdown(SHUT_RDWR) while connecting", shutdown(c, SHUT_RDWR));
	rec("poll: %s", pm(pnow(c)));
	RO(c, "after shutdown", SOL_SOCKET, SO_ERROR);
	rec_tcp_state(c, "after shutdown");
	close(c);
	sink_close(&k);
}

/* SOL_SOCKET options set while a connect is in progress hold once it
 * completes (for AF_SMC: on TCP, the peer not offering SMC).
 */
static void sc_connecting_sockopts(void)
{
	struct linger lg = { 1, 0 };
	struct timeval tv = { 3, 0 };
	socklen_t len;
	struct sink k;
	int c, s, port;
	char buf[8];

	port = sink_open(&k);
	c = sut(SOCK_NONBLOCK);
	R("connect to an unanswering port", connp(c, port));
	R("SO_LINGER {1,0}",
	  setsockopt(c, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)));
	R("SO_RCVTIMEO 3 s",
	  setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)));
	R("SO_PRIORITY 5", so(c, SOL_SOCKET, SO_PRIORITY, 5));
	R("SO_MARK 42", so(c, SOL_SOCKET, SO_MARK, 42));
	R("SO_SNDBUF 100000", so(c, SOL_SOCKET, SO_SNDBUF, 100000));
	/* Room in the queue: the SYN's retransmission gets through. */
	close(acc(k.l));
	close(k.filler);
	k.filler = -1;
	rec("poll once the port answers: %s", pm(pwait(c, POLLOUT, 5000)));
	memset(&lg, 0, sizeof(lg));
	len = sizeof(lg);
	R("get SO_LINGER", getsockopt(c, SOL_SOCKET, SO_LINGER, &lg, &len));
	rec("  {%d,%d}", lg.l_onoff, lg.l_linger);
	memset(&tv, 0, sizeof(tv));
	len = sizeof(tv);
	R("get SO_RCVTIMEO", getsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, &len));
	rec("  %ld.%06ld s", (long)tv.tv_sec, (long)tv.tv_usec);
	RO(c, "client", SOL_SOCKET, SO_PRIORITY);
	RO(c, "client", SOL_SOCKET, SO_MARK);
	RO(c, "client", SOL_SOCKET, SO_SNDBUF);
	s = acc(k.l);
	close(c);
	/* SO_LINGER {1,0}: the close resets the peer. */
	pwait(s, POLLIN, 2000);
	R("peer recv after the close", recv(s, buf, sizeof(buf), MSG_DONTWAIT));
	close(s);
	sink_close(&k);
}

static void sc_names(void)
{
	int u, l, c, s, port;

	u = sut(0);
	rec("fresh: local %s", name_of(u, 0));
	rec("fresh: peer %s", name_of(u, 1));
	l = lsn_fd(u, 4, &port);
	rec("listener: local %s", name_of(l, 0));
	rec("listener: peer %s", name_of(l, 1));
	c = conn(port);
	s = acc(l);
	rec("client: local %s", name_of(c, 0));
	rec("client: peer %s", name_of(c, 1));
	rec("accepted: local %s", name_of(s, 0));
	rec("accepted: peer %s", name_of(s, 1));
	{
		struct sockaddr_storage ss;
		socklen_t len = 8;

		R("getsockname into 8 bytes", getsockname(c, SA(&ss), &len));
		rec("  returned addrlen %u", len);
		len = 8;
		R("getpeername into 8 bytes", getpeername(c, SA(&ss), &len));
		rec("  returned addrlen %u", len);
	}
	close(c);
	pwait(s, POLLRDHUP, 2000);
	rec("accepted, peer gone: peer %s", name_of(s, 1));
	shutdown(s, SHUT_RDWR);
	rec("accepted, shut down: peer %s", name_of(s, 1));
	close(s);
	close(l);
}

static void sc_shutdown_wr(void)
{
	char buf[8];
	int c, s;

	mkpair(&c, &s);
	R("shutdown(SHUT_WR)", shutdown(c, SHUT_WR));
	pwait(s, POLLRDHUP, 2000);
	R("peer recv (EOF)", recv(s, buf, sizeof(buf), 0));
	rec("poll: %s", pm(pnow(c)));
	rec("peer poll: %s", pm(pnow(s)));
	R("peer send", send(s, "x", 1, 0));
	pwait(c, POLLIN, 2000);
	R("recv", recv(c, buf, sizeof(buf), 0));
	R("send after SHUT_WR", send(c, "a", 1, 0));
	R("send MSG_NOSIGNAL after SHUT_WR", send(c, "a", 1, MSG_NOSIGNAL));
	R("write after SHUT_WR", write(c, "a", 1));
	R("shutdown(SHUT_WR) again", shutdown(c, SHUT_WR));
	R("shutdown(3)", shutdown(c, 3));
	R("shutdown(-1)", shutdown(c, -1));
	rec_tcp_state(c, "client");
	close(c);
	close(s);
}

static void sc_shutdown_rd(void)
{
	char buf[8];
	int c, s;

	mkpair(&c, &s);
	R("shutdown(SHUT_RD)", shutdown(c, SHUT_RD));
	rec("poll: %s", pm(pnow(c)));
	R("recv (EOF)", recv(c, buf, sizeof(buf), 0));
	R("peer send", send(s, "abc", 3, 0));
	wait_inq(c, 3, 1000);
	R("recv after peer data", recv(c, buf, sizeof(buf), 0));
	R("send", send(c, "x", 1, 0));
	pwait(s, POLLIN, 2000);
	R("peer recv", recv(s, buf, sizeof(buf), 0));
	rec("peer poll: %s", pm(pnow(s)));
	rec_tcp_state(c, "client");
	close(c);
	close(s);
}

static void sc_shutdown_rdwr(void)
{
	char buf[8];
	int c, s, u;

	u = sut(0);
	R("shutdown on a fresh socket", shutdown(u, SHUT_RDWR));
	close(u);
	mkpair(&c, &s);
	R("shutdown(SHUT_RDWR)", shutdown(c, SHUT_RDWR));
	pwait(s, POLLRDHUP, 2000);
	R("peer recv (EOF)", recv(s, buf, sizeof(buf), 0));
	rec("poll: %s", pm(pnow(c)));
	R("recv", recv(c, buf, sizeof(buf), 0));
	R("send", send(c, "a", 1, 0));
	R("send MSG_NOSIGNAL", send(c, "a", 1, MSG_NOSIGNAL));
	R("peer send", send(s, "b", 1, MSG_NOSIGNAL));
	msleep(30);
	R("recv after peer data", recv(c, buf, sizeof(buf), MSG_DONTWAIT));
	R("peer shutdown(SHUT_RDWR)", shutdown(s, SHUT_RDWR));
	pwait(c, POLLHUP, 2000);
	msleep(20);
	rec("poll after both: %s", pm(pnow(c)));
	rec("peer poll after both: %s", pm(pnow(s)));
	rec_tcp_state(c, "client");
	close(c);
	close(s);
}

/* Bytes the socket had taken in before shutdown(SHUT_RDWR) stay readable
 * when the peer writes more: those break the connection (a reset, an
 * abort), but only themselves are dropped, as TCP drops the segment.
 */
static void sc_shutdown_rdwr_unread(void)
{
	char buf[8] = "";
	int c, s;

	mkpair(&c, &s);
	R("peer send", send(s, "A", 1, MSG_NOSIGNAL));
	wait_inq(c, 1, 2000);
	R("shutdown(SHUT_RDWR), a byte unread", shutdown(c, SHUT_RDWR));
	R("peer send more", send(s, "B", 1, MSG_NOSIGNAL));
	pwait(c, POLLERR, 2000);
	msleep(30);
	rec("poll: %s", pm(pnow(c)));
	R("recv", recv(c, buf, sizeof(buf), MSG_DONTWAIT));
	rec("read '%s'", buf);
	R("recv again", recv(c, buf, sizeof(buf), MSG_DONTWAIT));
	R("recv once more", recv(c, buf, sizeof(buf), MSG_DONTWAIT));
	close(c);
	close(s);
}

/* Bytes held back with MSG_MORE go out once TCP_NODELAY is set, to a
 * peer that closed meanwhile: TCP's draw a reset, and the writer's next
 * call fails (EPIPE, as the peer had ended first).
 */
static void sc_held_to_closed_peer(void)
{
	char buf[100];
	int c, s;

	memset(buf, 'm', sizeof(buf));
	mkpair(&c, &s);
	R("send MSG_MORE", send(c, buf, sizeof(buf), MSG_MORE));
	close(s);
	pwait(c, POLLRDHUP, 2000);
	R("TCP_NODELAY", so(c, IPPROTO_TCP, TCP_NODELAY, 1));
	pwait(c, POLLERR, 2000);
	msleep(30);
	rec("poll: %s", pm(pnow(c)));
	RO(c, "after the push", SOL_SOCKET, SO_ERROR);
	R("send", send(c, "x", 1, MSG_NOSIGNAL));
	close(c);
}

/* The peer ended its writing, then closed with our bytes unread: TCP's
 * reset reaches a socket that saw the peer's FIN, which reads EOF still
 * and fails its next send with EPIPE.
 */
static void sc_reset_after_peer_fin(void)
{
	char buf[8];
	int c, s;

	mkpair(&c, &s);
	R("peer shutdown(SHUT_WR)", shutdown(s, SHUT_WR));
	pwait(c, POLLRDHUP, 2000);
	R("recv (EOF)", recv(c, buf, sizeof(buf), 0));
	R("send", send(c, "x", 1, MSG_NOSIGNAL));
	wait_inq(s, 1, 2000);
	close(s);
	pwait(c, POLLERR, 2000);
	msleep(30);
	rec("poll: %s", pm(pnow(c)));
	R("recv", recv(c, buf, sizeof(buf), MSG_DONTWAIT));
	RO(c, "after the reset", SOL_SOCKET, SO_ERROR);
	R("send again", send(c, "y", 1, MSG_NOSIGNAL));
	R("recv again", recv(c, buf, sizeof(buf), MSG_DONTWAIT));
	close(c);
}

/* Both ends ended their writing; then one closes with bytes unread. The
 * connection is over already: TCP sends no reset, the other end sees no
 * error.
 */
static void sc_close_unread_after_both_fins(void)
{
	char buf[8];
	int c, s;

	mkpair(&c, &s);
	R("send", send(c, "x", 1, MSG_NOSIGNAL));
	R("shutdown(SHUT_WR)", shutdown(c, SHUT_WR));
	wait_inq(s, 1, 2000);
	R("peer shutdown(SHUT_WR)", shutdown(s, SHUT_WR));
	pwait(c, POLLRDHUP, 2000);
	msleep(30);
	close(s);
	msleep(50);
	rec("poll: %s", pm(pnow(c)));
	RO(c, "after the peer's close", SOL_SOCKET, SO_ERROR);
	R("recv", recv(c, buf, sizeof(buf), MSG_DONTWAIT));
	close(c);
}

static void sc_close(void)
{
	char buf[256];
	int c, s;

	/* close with nothing unread: the peer reads everything, then EOF */
	mkpair(&c, &s);
	send(c, buf, 100, 0);
	R("close", close(c));
	wait_inq(s, 100, 2000);
	R("peer recv", recv(s, buf, sizeof(buf), 0));
	R("peer recv (EOF)", recv(s, buf, sizeof(buf), 0));
	R("peer send to the closed socket", send(s, "x", 1, 0));
	pwait(s, POLLERR, 2000);
	rec("peer poll after the reset: %s", pm(pnow(s)));
	RO(s, "peer", SOL_SOCKET, SO_ERROR);
	R("peer send again", send(s, "x", 1, 0));
	close(s);

	/* close with unread data: the peer gets a reset */
	mkpair(&c, &s);
	send(s, "unread", 6, 0);
	wait_inq(c, 6, 2000);
	R("close with unread data", close(c));
	pwait(s, POLLERR, 2000);
	rec("peer poll: %s", pm(pnow(s)));
	/* The reset is TCP's too: ss and TCP_INFO show it on both ends. */
	wait_tcp_state(s, TCP_CLOSE, 1000);
	rec_tcp_state(s, "peer");
	R("peer recv", recv(s, buf, sizeof(buf), 0));
	R("peer recv again", recv(s, buf, sizeof(buf), 0));
	close(s);
}

/* A reset shows in SO_ERROR before any I/O: an event loop that answers
 * POLLERR with getsockopt(SO_ERROR) learns the error there, and POLLERR
 * goes once the error was read.
 */
static void sc_reset_so_error(void)
{
	struct linger zero = { 1, 0 };
	char buf[16];
	int c, s;

	mkpair(&c, &s);
	R("peer SO_LINGER {1,0}",
	  setsockopt(s, SOL_SOCKET, SO_LINGER, &zero, sizeof(zero)));
	R("peer close", close(s));
	rec("poll: %s", pm(pwait(c, POLLERR, 2000)));
	RO(c, "after the reset", SOL_SOCKET, SO_ERROR);
	rec("poll once SO_ERROR was read: %s", pm(pnow(c)));
	RO(c, "read again", SOL_SOCKET, SO_ERROR);
	R("recv", recv(c, buf, sizeof(buf), MSG_DONTWAIT));
	R("send", send(c, "x", 1, MSG_NOSIGNAL));
	close(c);
}

/* shutdown() after the peer's orderly close sends our end as usual, no
 * error appears: lingering-close idioms do just this.
 */
static void sc_shutdown_after_peer_close(void)
{
	char buf[16];
	int c, s;

	mkpair(&c, &s);
	R("peer close", close(s));
	pwait(c, POLLIN, 2000);
	R("recv (EOF)", recv(c, buf, sizeof(buf), 0));
	R("shutdown(SHUT_WR)", shutdown(c, SHUT_WR));
	msleep(20);
	rec("poll: %s", pm(pnow(c)));
	RO(c, "after shutdown(SHUT_WR)", SOL_SOCKET, SO_ERROR);
	R("recv", recv(c, buf, sizeof(buf), MSG_DONTWAIT));
	close(c);

	mkpair(&c, &s);
	R("peer close", close(s));
	pwait(c, POLLIN, 2000);
	R("shutdown(SHUT_RDWR), the EOF unread",
	  shutdown(c, SHUT_RDWR));
	msleep(20);
	rec("poll: %s", pm(pnow(c)));
	RO(c, "after shutdown(SHUT_RDWR)", SOL_SOCKET, SO_ERROR);
	R("recv", recv(c, buf, sizeof(buf), MSG_DONTWAIT));
	close(c);
}

/* @s closes with SO_LINGER {1,0}: a reset, which @c then sees. */
static void peer_resets(int c, int s)
{
	struct linger zero = { 1, 0 };

	setsockopt(s, SOL_SOCKET, SO_LINGER, &zero, sizeof(zero));
	R("peer close with SO_LINGER {1,0}", close(s));
	pwait(c, POLLERR, 2000);
	rec("poll after the reset: %s", pm(pnow(c)));
}

/* Bytes that came before the peer's reset are read before its error: TCP
 * keeps its receive queue when a reset arrives. The peer answered and
 * reset (SO_LINGER 0), or it answered and closed, and a send of ours drew
 * the reset.
 */
static void sc_unread_at_reset(void)
{
	char buf[64];
	int c, s;
	long n;

	mkpair(&c, &s);
	send(s, "answer", 6, 0);
	wait_inq(c, 6, 2000);
	peer_resets(c, s);
	n = R("recv", recv(c, buf, sizeof(buf), 0));
	rec("  data %s", show(buf, n));
	R("recv again", recv(c, buf, sizeof(buf), 0));
	R("recv once more", recv(c, buf, sizeof(buf), 0));
	close(c);

	mkpair(&c, &s);
	send(s, "answer", 6, 0);
	R("peer close", close(s));
	pwait(c, POLLRDHUP, 2000);
	rec("poll after the peer's close: %s", pm(pnow(c)));
	R("send to the closed peer", send(c, "x", 1, MSG_NOSIGNAL));
	pwait(c, POLLERR, 2000);
	rec("poll after the reset: %s", pm(pnow(c)));
	n = R("recv", recv(c, buf, sizeof(buf), 0));
	rec("  data %s", show(buf, n));
	R("recv again", recv(c, buf, sizeof(buf), 0));
	R("send again", send(c, "x", 1, MSG_NOSIGNAL));
	/* Reported: the error is gone from poll and SO_ERROR. */
	rec("poll at the end: %s", pm(pnow(c)));
	RO(c, "at the end", SOL_SOCKET, SO_ERROR);
	close(c);
}

/* An urgent byte that came before a reset: TCP hands it out no more
 * (ENOTCONN), while the stream before it is still read first.
 */
static void sc_urgent_at_reset(void)
{
	char buf[64];
	int c, s;
	long n;

	mkpair(&c, &s);
	so(s, SOL_TCP, TCP_NODELAY, 1);
	send(s, "ab", 2, 0);
	send(s, "U", 1, MSG_OOB);
	pwait(c, POLLPRI, 2000);
	wait_inq(c, 2, 2000);
	peer_resets(c, s);
	R("recv MSG_OOB", recv(c, buf, 1, MSG_OOB | MSG_DONTWAIT));
	n = R("recv", recv(c, buf, sizeof(buf), MSG_DONTWAIT));
	rec("  data %s", show(buf, n));
	R("recv MSG_OOB again", recv(c, buf, 1, MSG_OOB | MSG_DONTWAIT));
	R("recv again", recv(c, buf, sizeof(buf), MSG_DONTWAIT));
	close(c);

	/* After the peer's orderly close the byte is still there. */
	mkpair(&c, &s);
	so(s, SOL_TCP, TCP_NODELAY, 1);
	send(s, "ab", 2, 0);
	send(s, "V", 1, MSG_OOB);
	pwait(c, POLLPRI, 2000);
	R("peer close", close(s));
	pwait(c, POLLRDHUP, 2000);
	n = R("recv MSG_OOB", recv(c, buf, 1, MSG_OOB | MSG_DONTWAIT));
	rec("  data %s", show(buf, n));
	close(c);
}

/* Pairs "xX" sent with MSG_OOB, X urgent, as fast as they go, for at
 * most two seconds (TCP sends a segment for each).
 */
struct urg_sender {
	int		fd;
	int		pairs;
	pthread_t	th;
};

static void *urg_sender_run(void *arg)
{
	struct urg_sender *u = arg;
	long end = now_ms() + 2000;
	char pair[2];
	int i;

	for (i = 0; i < u->pairs; i++) {
		if (!(i % 256) && now_ms() > end)
			break;
		pair[0] = 'a' + i % 26;
		pair[1] = 'A' + i % 26;
		if (send(u->fd, pair, 2, MSG_OOB | MSG_NOSIGNAL) != 2)
			break;
	}
	shutdown(u->fd, SHUT_WR);
	return NULL;
}

/* A reader that stopped at an urgent mark sits on the urgent byte; when
 * the next urgent byte comes, that one leaves the stream (TCP's
 * tcp_check_urg()). A recv() therefore never starts with an urgent byte,
 * however the next mark races the reader, and the normal bytes all come
 * in order.
 */
static void sc_urgent_race(void)
{
	static char buf[1 << 20];
	struct urg_sender u = { .pairs = 100000 };
	long calls = 0, starts = 0, lower = 0, out_of_order = 0;
	int c, i;
	ssize_t n;

	mkpair(&c, &u.fd);
	so(u.fd, SOL_TCP, TCP_NODELAY, 1);
	pthread_create(&u.th, NULL, urg_sender_run, &u);
	while ((n = recv(c, buf, sizeof(buf), 0)) > 0) {
		calls++;
		starts += buf[0] >= 'A' && buf[0] <= 'Z';
		for (i = 0; i < n; i++) {
			if (buf[i] < 'a' || buf[i] > 'z')
				continue;
			out_of_order += buf[i] != 'a' + lower % 26;
			lower++;
		}
	}
	pthread_join(u.th, NULL);
	rec("end of stream: %s", n ? en(errno) : "EOF");
	rec("recv() calls: %s", calls ? "some" : "none");
	rec("recv() calls that started with an urgent byte: %ld", starts);
	rec("normal bytes: %s, out of order: %ld", lower ? "some" : "none",
	    out_of_order);
	close(c);
	close(u.fd);
}

static void rec_linger(int fd, const char *who)
{
	struct linger lg = { -1, -1 };
	socklen_t l = sizeof(lg);

	if (getsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, &l))
		rec("%s SO_LINGER: %s", who, en(errno));
	else
		rec("%s SO_LINGER={%d,%d}", who, lg.l_onoff, lg.l_linger);
}

static void sc_linger(void)
{
	struct linger zero = { 1, 0 }, one = { 1, 1 };
	char buf[256];
	int l, c, s, port;
	long t0;

	/* set before connect */
	l = lsn(4, &port);
	c = sut(0);
	rec_linger(c, "fresh");
	R("SO_LINGER {1,0} before connect",
	  setsockopt(c, SOL_SOCKET, SO_LINGER, &zero, sizeof(zero)));
	rec_linger(c, "before connect");
	conn_fd(c, port);
	s = acc(l);
	rec_linger(c, "after connect");
	R("close", close(c));
	pwait(s, POLLERR, 2000);
	rec("peer poll: %s", pm(pnow(s)));
	R("peer recv", recv(s, buf, sizeof(buf), 0));
	close(s);

	/* set after connect */
	c = conn(port);
	s = acc(l);
	R("SO_LINGER {1,0} after connect",
	  setsockopt(c, SOL_SOCKET, SO_LINGER, &zero, sizeof(zero)));
	R("close", close(c));
	pwait(s, POLLERR, 2000);
	wait_tcp_state(s, TCP_CLOSE, 1000);
	rec_tcp_state(s, "peer");
	R("peer recv", recv(s, buf, sizeof(buf), 0));
	close(s);

	/* a real linger time: close returns once the data is out */
	c = conn(port);
	s = acc(l);
	R("SO_LINGER {1,1}",
	  setsockopt(c, SOL_SOCKET, SO_LINGER, &one, sizeof(one)));
	send(c, buf, 100, 0);
	t0 = now_ms();
	R("close", close(c));
	rec("close took %s", now_ms() - t0 < 900 ? "less than the linger time" :
						  "the linger time");
	wait_inq(s, 100, 2000);
	R("peer recv", recv(s, buf, sizeof(buf), 0));
	R("peer recv (EOF)", recv(s, buf, sizeof(buf), 0));
	close(s);
	close(l);
}

static void sc_poll(void)
{
	char buf[64];
	int l, c, s, port;

	l = lsn(4, &port);
	rec("listener idle: %s", pm(pnow(l)));
	c = sut(SOCK_NONBLOCK);
	rec("fresh: %s", pm(pnow(c)));
	R("connect", connp(c, port));
	rec("wait for POLLOUT: %s", pm(pwait(c, POLLOUT, 5000)));
	rec("connected: %s", pm(pnow(c)));
	pwait(l, POLLIN, 5000);
	rec("listener with a connection: %s", pm(pnow(l)));
	s = accept(l, NULL, NULL);
	rec("listener after accept: %s", pm(pnow(l)));
	rec("accepted: %s", pm(pnow(s)));
	send(s, "0123456789", 10, 0);
	rec("wait for POLLIN: %s", pm(pwait(c, POLLIN, 2000)));
	rec("data: %s", pm(pnow(c)));
	R("recv 5", recv(c, buf, 5, 0));
	rec("partly read: %s", pm(pnow(c)));
	R("recv rest", recv(c, buf, sizeof(buf), 0));
	rec("drained: %s", pm(pnow(c)));
	shutdown(s, SHUT_WR);
	rec("wait for POLLRDHUP: %s", pm(pwait(c, POLLRDHUP, 2000)));
	rec("peer SHUT_WR: %s", pm(pnow(c)));
	shutdown(c, SHUT_WR);
	pwait(s, POLLRDHUP, 2000);
	msleep(20);
	rec("both SHUT_WR: %s", pm(pnow(c)));
	rec("peer, both SHUT_WR: %s", pm(pnow(s)));
	close(s);
	msleep(20);
	rec("peer closed: %s", pm(pnow(c)));
	close(c);
	close(l);
}

static void sc_poll_write(void)
{
	int l, c, s;
	long n;

	mkpair_small(&l, &c, &s);
	rec("idle: %s", pm(pnow(c)));
	n = fill(c);
	rec("filled: %s, then %s", n > 0 ? "some bytes" : "nothing",
	    en(fill_errno));
	rec("full: %s", pm(pnow(c)));
	R("peer drained all", drain(s, 300) == n);
	rec("wait for POLLOUT: %s", pm(pwait(c, POLLOUT, 2000)));
	rec("writable again: %s", pm(pnow(c)));
	close(c);
	close(s);
	close(l);
}

static const char *fdsets(fd_set *r, fd_set *w, fd_set *x, int fd)
{
	static char buf[4][16];
	static int k;

	k = (k + 1) % 4;
	snprintf(buf[k], sizeof(buf[k]), "%c%c%c",
		 FD_ISSET(fd, r) ? 'r' : '-', FD_ISSET(fd, w) ? 'w' : '-',
		 FD_ISSET(fd, x) ? 'x' : '-');
	return buf[k];
}

/* select() on one descriptor for all three conditions. */
static const char *sel(int fd, int ms)
{
	struct timeval tv = { ms / 1000, (ms % 1000) * 1000 };
	fd_set r, w, x;

	FD_ZERO(&r);
	FD_ZERO(&w);
	FD_ZERO(&x);
	FD_SET(fd, &r);
	FD_SET(fd, &w);
	FD_SET(fd, &x);
	if (select(fd + 1, &r, &w, &x, &tv) < 0)
		return en(errno);
	return fdsets(&r, &w, &x, fd);
}

/* select() for one condition ('r', 'w' or 'x') with a timeout. */
static const char *sel1(int fd, char what, int ms)
{
	struct timeval tv = { ms / 1000, (ms % 1000) * 1000 };
	fd_set r, w, x;

	FD_ZERO(&r);
	FD_ZERO(&w);
	FD_ZERO(&x);
	FD_SET(fd, what == 'r' ? &r : what == 'w' ? &w : &x);
	if (select(fd + 1, &r, &w, &x, &tv) < 0)
		return en(errno);
	return fdsets(&r, &w, &x, fd);
}

static void sc_select(void)
{
	char buf[16];
	int l, c, s, port;

	l = lsn(4, &port);
	rec("listener idle: %s", sel(l, 0));
	c = sut(SOCK_NONBLOCK);
	rec("fresh: %s", sel(c, 0));
	R("connect", connp(c, port));
	rec("select for writing: %s", sel1(c, 'w', 5000));
	rec("connected: %s", sel(c, 0));
	rec("listener, select for reading: %s", sel1(l, 'r', 5000));
	s = accept(l, NULL, NULL);
	rec("accepted: %s", sel(s, 0));
	send(s, "abc", 3, 0);
	rec("select for reading: %s", sel1(c, 'r', 2000));
	R("recv", recv(c, buf, sizeof(buf), 0));
	rec("drained: %s", sel(c, 0));
	so(s, SOL_TCP, TCP_NODELAY, 1);
	send(s, "U", 1, MSG_OOB);
	rec("select for exceptions: %s", sel1(c, 'x', 2000));
	rec("urgent data: %s", sel(c, 0));
	R("recv MSG_OOB", recv(c, buf, 1, MSG_OOB));
	rec("after MSG_OOB: %s", sel(c, 0));
	shutdown(s, SHUT_WR);
	rec("peer SHUT_WR, select for reading: %s", sel1(c, 'r', 2000));
	close(c);
	close(s);
	close(l);
}

static int ev_cmp(const void *a, const void *b)
{
	const struct epoll_event *x = a, *y = b;

	if (x->data.u32 == y->data.u32)
		return 0;
	return x->data.u32 < y->data.u32 ? -1 : 1;
}

/* The events of one epoll_wait, by registration id: the order in which
 * sockets became ready within one call is timing, not semantics.
 */
static const char *ep_events(int ep, int ms)
{
	static char buf[4][160];
	static int k;
	struct epoll_event ev[8];
	int n, i, m = 0;

	k = (k + 1) % 4;
	n = epoll_wait(ep, ev, ARRAY_SIZE(ev), ms);
	if (n < 0)
		return en(errno);
	if (!n)
		return "none";
	qsort(ev, n, sizeof(ev[0]), ev_cmp);
	for (i = 0; i < n; i++)
		m += snprintf(buf[k] + m, sizeof(buf[k]) - m, "%s#%u:%s",
			      i ? " " : "", ev[i].data.u32, pm(ev[i].events));
	return buf[k];
}

/* Edge-triggered: everything that is pending now, in successive waits. */
static const char *ep_edges(int ep)
{
	static char buf[4][320];
	static int k;
	const char *e;
	int i, m = 0;

	k = (k + 1) % 4;
	buf[k][0] = 0;
	for (i = 0; i < 4; i++) {
		e = ep_events(ep, 0);
		m += snprintf(buf[k] + m, sizeof(buf[k]) - m, "%s[%s]",
			      i ? " " : "", e);
		if (!strcmp(e, "none"))
			break;
	}
	return buf[k];
}

#define EPALL	(EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLPRI)

static void ep_add(int ep, int fd, unsigned int events, unsigned int id)
{
	struct epoll_event ev = { .events = events, .data.u32 = id };

	R("epoll_ctl ADD", epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev));
}

/*
 * Level-triggered epoll, registered on the socket before connect() and
 * on the listener before listen().
 */
static void sc_epoll_lt(void)
{
	char buf[16];
	int ep, l, c, s, port;

	ep = epoll_create1(EPOLL_CLOEXEC);
	l = sut(0);
	ep_add(ep, l, EPALL, 1);
	rec("fresh listener socket: %s", ep_events(ep, 0));
	lsn_fd(l, 4, &port);
	rec("listening: %s", ep_events(ep, 0));
	c = sut(SOCK_NONBLOCK);
	ep_add(ep, c, EPALL, 2);
	rec("fresh client socket: %s", ep_events(ep, 0));
	R("connect", connp(c, port));
	pwait(c, POLLOUT, 5000);
	pwait(l, POLLIN, 5000);
	rec("connected: %s", ep_events(ep, 0));
	s = accept(l, NULL, NULL);
	rec("accepted: %s", ep_events(ep, 0));
	send(s, "abc", 3, 0);
	pwait(c, POLLIN, 2000);
	rec("data: %s", ep_events(ep, 0));
	R("recv", recv(c, buf, sizeof(buf), 0));
	rec("drained: %s", ep_events(ep, 0));
	shutdown(s, SHUT_WR);
	pwait(c, POLLRDHUP, 2000);
	rec("peer SHUT_WR: %s", ep_events(ep, 0));
	R("epoll_ctl DEL", epoll_ctl(ep, EPOLL_CTL_DEL, c, NULL));
	rec("after DEL: %s", ep_events(ep, 0));
	close(s);
	close(c);
	close(l);
	close(ep);
}

/*
 * Edge-triggered epoll registered before connect(): every step reports
 * exactly the edges it caused. Nothing sleeps on the sockets between the
 * steps (pspin polls with a zero timeout), so all wake-ups of one step
 * have happened before its edges are collected.
 */
static void sc_epoll_et_before(void)
{
	char buf[16];
	int ep, l, c, s, port;

	ep = epoll_create1(EPOLL_CLOEXEC);
	l = sut(0);
	ep_add(ep, l, EPALL | EPOLLET, 1);
	lsn_fd(l, 4, &port);
	c = sut(SOCK_NONBLOCK);
	ep_add(ep, c, EPALL | EPOLLET, 2);
	rec("registered: %s", ep_edges(ep));
	R("connect", connp(c, port));
	pspin(c, POLLOUT, 5000);
	pspin(l, POLLIN, 5000);
	msleep(40);
	rec("connected: %s", ep_edges(ep));
	s = accept(l, NULL, NULL);
	msleep(20);
	rec("accepted: %s", ep_edges(ep));
	send(s, "abc", 3, 0);
	wait_inq(c, 3, 2000);
	msleep(20);
	rec("data: %s", ep_edges(ep));
	send(s, "def", 3, 0);
	wait_inq(c, 6, 2000);
	msleep(20);
	rec("more data, unread: %s", ep_edges(ep));
	R("recv", recv(c, buf, sizeof(buf), 0));
	msleep(20);
	rec("drained: %s", ep_edges(ep));
	shutdown(s, SHUT_WR);
	pspin(c, POLLRDHUP, 2000);
	msleep(20);
	rec("peer SHUT_WR: %s", ep_edges(ep));
	shutdown(c, SHUT_WR);
	msleep(40);
	rec("own SHUT_WR: %s", ep_edges(ep));
	close(s);
	close(c);
	close(l);
	close(ep);
}

/* Edge-triggered epoll registered on connected and accepted sockets. */
static void sc_epoll_et_after(void)
{
	char buf[16];
	int ep, c, s;

	mkpair(&c, &s);
	set_nonblock(c, 1);
	ep = epoll_create1(EPOLL_CLOEXEC);
	ep_add(ep, c, EPALL | EPOLLET, 1);
	ep_add(ep, s, EPALL | EPOLLET, 2);
	msleep(20);
	rec("registered: %s", ep_edges(ep));
	send(s, "abc", 3, 0);
	wait_inq(c, 3, 2000);
	msleep(20);
	rec("data: %s", ep_edges(ep));
	R("recv", recv(c, buf, sizeof(buf), 0));
	R("recv", recv(c, buf, sizeof(buf), 0));
	msleep(20);
	rec("drained: %s", ep_edges(ep));
	send(c, "xyz", 3, 0);
	wait_inq(s, 3, 2000);
	msleep(20);
	rec("data the other way: %s", ep_edges(ep));
	{
		struct epoll_event ev = { .events = EPOLLIN | EPOLLET,
					  .data.u32 = 3 };

		R("epoll_ctl MOD", epoll_ctl(ep, EPOLL_CTL_MOD, s, &ev));
	}
	rec("after MOD: %s", ep_edges(ep));
	close(s);
	pspin(c, POLLRDHUP, 2000);
	msleep(20);
	rec("peer closed: %s", ep_edges(ep));
	close(c);
	close(ep);
}

/*
 * Edge-triggered epoll on a writer that filled its send buffer: no edge
 * while it stays full, one EPOLLOUT edge once the peer has read it all.
 */
static void sc_epoll_et_space(void)
{
	char buf[4096];
	int ep, c, s, round;
	long sent = 0;
	ssize_t n;

	mkpair(&c, &s);
	set_nonblock(c, 1);
	set_nonblock(s, 1);
	ep = epoll_create1(EPOLL_CLOEXEC);
	ep_add(ep, c, EPOLLOUT | EPOLLET, 1);
	msleep(20);
	rec("registered: %s", ep_edges(ep));
	memset(buf, 'w', sizeof(buf));
	while ((n = send(c, buf, sizeof(buf), 0)) > 0)
		sent += n;
	rec("filled: %s (%s)", n < 0 && errno == EAGAIN ? "EAGAIN" : "?",
	    sent > 0 ? "some sent" : "nothing sent");
	msleep(20);
	rec("still full: %s", ep_edges(ep));
	/* TCP sends what it still holds as the window opens: read on. */
	for (round = 0; round < 5; round++) {
		while (recv(s, buf, sizeof(buf), 0) > 0)
			;
		msleep(20);
	}
	rec("read by the peer: %s", ep_edges(ep));
	close(s);
	close(c);
	close(ep);
}

#define NMANY	16

static void sc_epoll_many(void)
{
	struct epoll_event ev[NMANY * 2];
	int ep, l, port, c[NMANY], s[NMANY], i, n;
	unsigned int seen = 0, hup = 0;
	char buf[8];
	long end;

	l = lsn(NMANY, &port);
	ep = epoll_create1(EPOLL_CLOEXEC);
	for (i = 0; i < NMANY; i++) {
		struct epoll_event e = { .events = EPOLLIN | EPOLLRDHUP,
					 .data.u32 = i };

		c[i] = conn(port);
		s[i] = acc(l);
		if (epoll_ctl(ep, EPOLL_CTL_ADD, c[i], &e))
			rec("epoll_ctl ADD %d: %s", i, en(errno));
	}
	rec("idle: %s", ep_events(ep, 0));
	for (i = NMANY - 1; i >= 0; i--)
		send(s[i], "d", 1, 0);
	end = now_ms() + 3000;
	while (seen != (1u << NMANY) - 1 && now_ms() < end) {
		n = epoll_wait(ep, ev, ARRAY_SIZE(ev), 200);
		for (i = 0; i < n; i++)
			seen |= 1u << ev[i].data.u32;
	}
	rec("readable: %#x", seen);
	n = epoll_wait(ep, ev, ARRAY_SIZE(ev), 0);
	rec("still readable before reading: %d", n);
	for (i = 0; i < NMANY; i++)
		if (recv(c[i], buf, sizeof(buf), 0) != 1)
			rec("recv %d: %s", i, en(errno));
	rec("after reading: %s", ep_events(ep, 0));
	for (i = 0; i < NMANY; i += 2)
		close(s[i]);
	end = now_ms() + 3000;
	while (hup != 0x5555 && now_ms() < end) {
		n = epoll_wait(ep, ev, ARRAY_SIZE(ev), 200);
		for (i = 0; i < n; i++)
			if (ev[i].events & EPOLLRDHUP)
				hup |= 1u << ev[i].data.u32;
	}
	rec("hung up: %#x", hup);
	for (i = 0; i < NMANY; i++) {
		close(c[i]);
		if (i & 1)
			close(s[i]);
	}
	close(ep);
	close(l);
}

static void on_sig(int sig)
{
	if (sig == SIGPIPE)
		g_sigpipe++;
	else if (sig == SIGIO)
		g_sigio++;
	else if (sig == SIGURG)
		g_sigurg++;
}

/* Whether SIGIO arrived since the last call. */
static const char *sigio_seen(void)
{
	int n;

	msleep(40);
	n = g_sigio;
	g_sigio = 0;
	return n ? "SIGIO" : "no SIGIO";
}

static void sigio_steps(int c, int s, int before)
{
	char buf[16];

	if (!before) {
		R("F_SETOWN", fcntl(c, F_SETOWN, getpid()));
		R("O_ASYNC", fcntl(c, F_SETFL, fdflags(c) | O_ASYNC));
		rec("set: %s", sigio_seen());
	}
	send(s, "abc", 3, 0);
	wait_inq(c, 3, 2000);
	rec("peer data: %s", sigio_seen());
	R("recv", recv(c, buf, sizeof(buf), 0));
	rec("read: %s", sigio_seen());
	R("clear O_ASYNC", fcntl(c, F_SETFL, fdflags(c) & ~O_ASYNC));
	send(s, "abc", 3, 0);
	wait_inq(c, 3, 2000);
	rec("peer data with O_ASYNC clear: %s", sigio_seen());
	recv(c, buf, sizeof(buf), 0);
	R("O_ASYNC again", fcntl(c, F_SETFL, fdflags(c) | O_ASYNC));
	send(s, "abc", 3, 0);
	wait_inq(c, 3, 2000);
	rec("peer data: %s", sigio_seen());
	recv(c, buf, sizeof(buf), 0);
	shutdown(s, SHUT_WR);
	pspin(c, POLLRDHUP, 2000);
	rec("peer SHUT_WR: %s", sigio_seen());
}

static void sc_sigio_before(void)
{
	int l, c, s, port;

	l = lsn(4, &port);
	c = sut(SOCK_NONBLOCK);
	R("F_SETOWN", fcntl(c, F_SETOWN, getpid()));
	R("F_GETOWN is us", fcntl(c, F_GETOWN) == getpid());
	R("O_ASYNC before connect", fcntl(c, F_SETFL, fdflags(c) | O_ASYNC));
	rec("set: %s", sigio_seen());
	R("connect", connp(c, port));
	pspin(c, POLLOUT, 5000);
	rec("connected: %s", sigio_seen());
	s = acc(l);
	sigio_steps(c, s, 1);
	close(c);
	close(s);
	close(l);
	rec("closed: %s", sigio_seen());
}

static void sc_sigio_after(void)
{
	int c, s;

	mkpair(&c, &s);
	set_nonblock(c, 1);
	sigio_steps(c, s, 0);
	close(c);
	close(s);
}

/* The queued real-time signals F_SETSIG delivers, with their band. */
static const char *rt_signals(int fd)
{
	static const struct timespec zero;
	static char buf[4][256];
	static int k;
	sigset_t set;
	siginfo_t si;
	int m = 0;

	msleep(40);
	k = (k + 1) % 4;
	buf[k][0] = 0;
	sigemptyset(&set);
	sigaddset(&set, SIG_RT_IO);
	while (sigtimedwait(&set, &si, &zero) > 0 && m < 200)
		m += snprintf(buf[k] + m, sizeof(buf[k]) - m, "%s%s%s",
			      m ? " " : "", si.si_fd == fd ? "" : "other-fd:",
			      pm(si.si_band));
	if (g_sigio) {
		m += snprintf(buf[k] + m, sizeof(buf[k]) - m, "%sSIGIO",
			      m ? " " : "");
		g_sigio = 0;
	}
	return m ? buf[k] : "none";
}

/*
 * F_SETSIG queues one real-time signal per event with its poll band,
 * so this shows exactly which readiness events the socket signals.
 */
static void sc_sigio_bands(void)
{
	char buf[16];
	int l, c, s, port;

	l = lsn(4, &port);
	c = sut(SOCK_NONBLOCK);
	fcntl(c, F_SETOWN, getpid());
	R("F_SETSIG", fcntl(c, F_SETSIG, SIG_RT_IO));
	R("O_ASYNC before connect", fcntl(c, F_SETFL, fdflags(c) | O_ASYNC));
	R("connect", connp(c, port));
	pspin(c, POLLOUT, 5000);
	rec("connected: %s", rt_signals(c));
	s = acc(l);
	send(s, "abc", 3, 0);
	wait_inq(c, 3, 2000);
	rec("peer data: %s", rt_signals(c));
	recv(c, buf, sizeof(buf), 0);
	R("clear O_ASYNC", fcntl(c, F_SETFL, fdflags(c) & ~O_ASYNC));
	send(s, "abc", 3, 0);
	wait_inq(c, 3, 2000);
	rec("peer data with O_ASYNC clear: %s", rt_signals(c));
	recv(c, buf, sizeof(buf), 0);
	R("O_ASYNC again", fcntl(c, F_SETFL, fdflags(c) | O_ASYNC));
	send(s, "abc", 3, 0);
	wait_inq(c, 3, 2000);
	rec("peer data: %s", rt_signals(c));
	recv(c, buf, sizeof(buf), 0);
	shutdown(c, SHUT_WR);
	pspin(s, POLLRDHUP, 2000);
	rec("own SHUT_WR: %s", rt_signals(c));
	close(s);
	pspin(c, POLLRDHUP, 2000);
	rec("peer closed: %s", rt_signals(c));
	close(c);
	close(l);
}

static void sc_sigio_listener(void)
{
	int l, c, s, port;

	l = lsn(4, &port);
	R("F_SETOWN", fcntl(l, F_SETOWN, getpid()));
	R("O_ASYNC on the listener", fcntl(l, F_SETFL, fdflags(l) | O_ASYNC));
	rec("set: %s", sigio_seen());
	c = sut(SOCK_NONBLOCK);
	connp(c, port);
	pspin(l, POLLIN, 5000);
	rec("connection: %s", sigio_seen());
	s = accept(l, NULL, NULL);
	rec("accepted: %s", sigio_seen());
	rec_fdflags(s, "accepted");
	R("accepted O_ASYNC", !!(fdflags(s) & O_ASYNC));
	close(c);
	close(s);
	close(l);
}

static void rec_ioctls(int fd, const char *who)
{
	static const struct { unsigned long req; const char *name; } reqs[] = {
		{ SIOCINQ, "SIOCINQ" }, { SIOCOUTQ, "SIOCOUTQ" },
		{ SIOCOUTQNSD, "SIOCOUTQNSD" }, { SIOCATMARK, "SIOCATMARK" },
	};
	char line[256];
	int i, v, e, m = 0;

	for (i = 0; i < ARRAY_SIZE(reqs); i++) {
		e = ioc(fd, reqs[i].req, &v);
		if (e)
			m += snprintf(line + m, sizeof(line) - m, " %s:%s",
				      reqs[i].name, en(e));
		else
			m += snprintf(line + m, sizeof(line) - m, " %s=%d",
				      reqs[i].name, v);
	}
	rec("%s:%s", who, line);
}

/* An interface ioctl on a socket: TCP's inet ioctls answer it. */
static void rec_if_ioctl(int fd, const char *who, unsigned long req,
			 const char *name)
{
	struct ifreq ifr;
	char addr[INET_ADDRSTRLEN];

	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.ifr_name, "lo");
	if (ioctl(fd, req, &ifr)) {
		rec("%s %s lo: %s", who, name, en(errno));
		return;
	}
	inet_ntop(AF_INET, &((struct sockaddr_in *)&ifr.ifr_addr)->sin_addr,
		  addr, sizeof(addr));
	rec("%s %s lo: %s", who, name, addr);
}

static void sc_if_ioctls(void)
{
	int c, s;

	mkpair(&c, &s);
	rec_if_ioctl(c, "connected", SIOCGIFADDR, "SIOCGIFADDR");
	rec_if_ioctl(s, "accepted", SIOCGIFNETMASK, "SIOCGIFNETMASK");
	close(c);
	close(s);
	c = sut(0);
	rec_if_ioctl(c, "fresh", SIOCGIFADDR, "SIOCGIFADDR");
	close(c);
}

static void sc_ioctl(void)
{
	char buf[256];
	int u, l, c, s, port, q, nsd;
	long n;

	u = sut(0);
	rec_ioctls(u, "fresh");
	l = lsn(4, &port);
	rec_ioctls(l, "listener");
	c = conn(port);
	s = acc(l);
	rec_ioctls(c, "connected");
	send(s, buf, 100, 0);
	wait_inq(c, 100, 2000);
	rec_ioctls(c, "100 bytes in");
	{
		int v;

		R("FIONREAD", ioctl(c, FIONREAD, &v));
		rec("  value %d", v);
	}
	so(s, SOL_TCP, TCP_NODELAY, 1);
	send(s, "abc", 3, 0);
	send(s, "X", 1, MSG_OOB);
	pwait(c, POLLPRI, 2000);
	wait_inq(c, 103, 2000);
	rec_ioctls(c, "urgent data behind 103 bytes");
	R("recv up to the mark", recv(c, buf, sizeof(buf), 0));
	rec_ioctls(c, "at the mark");
	R("recv MSG_OOB", recv(c, buf, 1, MSG_OOB));
	rec("  data %s", show(buf, 1));
	rec_ioctls(c, "after MSG_OOB");

	set_nonblock(s, 1);
	n = fill(s);
	q = outq(s);
	ioc(s, SIOCOUTQNSD, &nsd);
	rec("sender, peer not reading: SIOCOUTQ %s, SIOCOUTQNSD %s",
	    q > 0 ? "> 0" : "0", nsd >= 0 && nsd <= q ? "<= SIOCOUTQ" : "?");
	R("peer drained all", drain(c, 300) == n);
	{
		long end = now_ms() + 2000;

		while (outq(s) > 0 && now_ms() < end)
			msleep(5);
	}
	rec_ioctls(s, "sender, all acknowledged");
	close(u);
	close(c);
	close(s);
	close(l);
}

static void sc_peek(void)
{
	char buf[64];
	int c, s;
	long n;

	mkpair(&c, &s);
	R("recv MSG_DONTWAIT, nothing there", recv(c, buf, 8, MSG_DONTWAIT));
	R("recv MSG_PEEK|MSG_DONTWAIT, nothing there",
	  recv(c, buf, 8, MSG_PEEK | MSG_DONTWAIT));
	send(s, "hello world", 11, 0);
	wait_inq(c, 11, 2000);
	n = R("recv 5 MSG_PEEK", recv(c, buf, 5, MSG_PEEK));
	rec("  data %s", show(buf, n));
	n = R("recv 64 MSG_PEEK", recv(c, buf, sizeof(buf), MSG_PEEK));
	rec("  data %s", show(buf, n));
	n = R("recv 5", recv(c, buf, 5, 0));
	rec("  data %s", show(buf, n));
	R("SO_PEEK_OFF 0", so(c, SOL_SOCKET, SO_PEEK_OFF, 0));
	n = R("recv 3 MSG_PEEK with peek offset", recv(c, buf, 3, MSG_PEEK));
	rec("  data %s", show(buf, n));
	n = R("recv 3 MSG_PEEK with peek offset", recv(c, buf, 3, MSG_PEEK));
	rec("  data %s", show(buf, n));
	RO(c, "client", SOL_SOCKET, SO_PEEK_OFF);
	R("SO_PEEK_OFF -1", so(c, SOL_SOCKET, SO_PEEK_OFF, -1));
	R("recv 3 MSG_TRUNC (discard)", recv(c, NULL, 3, MSG_TRUNC));
	n = R("recv", recv(c, buf, sizeof(buf), 0));
	rec("  data %s", show(buf, n));
	R("recv MSG_DONTWAIT, drained", recv(c, buf, 8, MSG_DONTWAIT));
	close(c);
	close(s);
}

/* SO_PEEK_OFF set on a socket before it is connected. */
static void sc_peek_off_before(void)
{
	char buf[16];
	int l, c, s, port;
	long n;

	l = lsn(4, &port);
	c = sut(0);
	R("SO_PEEK_OFF 0 before connect", so(c, SOL_SOCKET, SO_PEEK_OFF, 0));
	RO(c, "fresh", SOL_SOCKET, SO_PEEK_OFF);
	conn_fd(c, port);
	s = acc(l);
	RO(c, "connected", SOL_SOCKET, SO_PEEK_OFF);
	send(s, "abcdef", 6, 0);
	wait_inq(c, 6, 2000);
	n = R("recv 3 MSG_PEEK", recv(c, buf, 3, MSG_PEEK));
	rec("  data %s", show(buf, n));
	n = R("recv 3 MSG_PEEK", recv(c, buf, 3, MSG_PEEK));
	rec("  data %s", show(buf, n));
	close(c);
	close(s);
	close(l);
}

/* A helper thread leaves every signal to the main thread, so that
 * guard()'s SIGALRM interrupts the main thread's blocking call.
 */
static void helper_thread_signals(void)
{
	sigset_t all;

	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, NULL);
}

struct sender {
	int		fd;
	int		chunks;
	int		size;
	int		gap_ms;
	int		shut;
	pthread_t	th;
};

static void *sender_run(void *arg)
{
	struct sender *sd = arg;
	char buf[4096];
	int i;

	helper_thread_signals();
	pattern(buf, sizeof(buf), 3);
	for (i = 0; i < sd->chunks; i++) {
		msleep(sd->gap_ms);
		send(sd->fd, buf + i * sd->size % 1024, sd->size, MSG_NOSIGNAL);
	}
	if (sd->shut)
		shutdown(sd->fd, SHUT_WR);
	return NULL;
}

/* recv(@c, @buf, @len, @flags), recorded as @what, while a thread sends
 * @chunks pieces of 1000 bytes on @s, 30 ms apart.
 */
static void recv_during_send(int c, int s, int chunks, char *buf, size_t len,
			     int flags, const char *what)
{
	struct sender sd = { .fd = s, .chunks = chunks, .size = 1000,
			     .gap_ms = 30 };

	pthread_create(&sd.th, NULL, sender_run, &sd);
	guard(5000);
	R(what, recv(c, buf, len, flags));
	unguard();
	pthread_join(sd.th, NULL);
}

static void sc_waitall(void)
{
	struct sender sd;
	struct timeval tv = { 0, 100000 };
	char buf[8192];
	int c, s;
	long t0;

	mkpair(&c, &s);
	recv_during_send(c, s, 3, buf, 3000, MSG_WAITALL,
			 "recv 3000 MSG_WAITALL, arriving in 3 pieces");

	R("SO_RCVTIMEO 100 ms", setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv,
					   sizeof(tv)));
	send(s, buf, 10, 0);
	wait_inq(c, 10, 2000);
	t0 = now_ms();
	R("recv 1000 MSG_WAITALL, 10 there, then timeout",
	  recv(c, buf, 1000, MSG_WAITALL));
	rec("it returned %s", tclass(now_ms() - t0, 100));
	R("recv MSG_WAITALL|MSG_DONTWAIT, nothing there",
	  recv(c, buf, 1000, MSG_WAITALL | MSG_DONTWAIT));

	sd = (struct sender){ .fd = s, .chunks = 1, .size = 500, .gap_ms = 30,
			      .shut = 1 };
	pthread_create(&sd.th, NULL, sender_run, &sd);
	R("recv 1000 MSG_WAITALL, 500 then EOF",
	  recv(c, buf, 1000, MSG_WAITALL));
	pthread_join(sd.th, NULL);
	R("recv MSG_WAITALL at EOF", recv(c, buf, 1000, MSG_WAITALL));
	close(c);
	close(s);
}

/* MSG_PEEK sees everything that is there, and with MSG_WAITALL or
 * SO_RCVLOWAT waits for the rest, as a read would; nothing is consumed.
 */
static void sc_peek_waitall(void)
{
	static char big[48 * 1024], got[64 * 1024];
	int c, s, i, lowat = 1500;
	long n;

	for (i = 0; i < (int)sizeof(big); i++)
		big[i] = (char)(i * 7);
	mkpair(&c, &s);
	send(s, big, sizeof(big), 0);
	wait_inq(c, sizeof(big), 2000);
	n = R("recv 64K MSG_PEEK, 48K there", recv(c, got, sizeof(got), MSG_PEEK));
	rec("  the bytes %s", n == (long)sizeof(big) &&
	    !memcmp(got, big, n) ? "match" : "differ");
	n = R("recv 64K", recv(c, got, sizeof(got), 0));
	rec("  the bytes %s", n == (long)sizeof(big) &&
	    !memcmp(got, big, n) ? "match" : "differ");

	recv_during_send(c, s, 3, got, 3000, MSG_PEEK | MSG_WAITALL,
			 "recv 3000 MSG_PEEK|MSG_WAITALL, arriving in 3 pieces");
	R("recv 3000 MSG_PEEK|MSG_WAITALL, all there",
	  recv(c, got, 3000, MSG_PEEK | MSG_WAITALL));
	R("recv 3000", recv(c, got, 3000, 0));

	R("SO_RCVLOWAT 1500",
	  setsockopt(c, SOL_SOCKET, SO_RCVLOWAT, &lowat, sizeof(lowat)));
	recv_during_send(c, s, 2, got, 3000, MSG_PEEK,
			 "recv 3000 MSG_PEEK, SO_RCVLOWAT 1500, arriving in 2 pieces");
	R("recv 3000", recv(c, got, 3000, 0));
	close(c);
	close(s);
}

/* poll() reports a socket readable once SO_RCVLOWAT bytes are there. */
static void sc_poll_rcvlowat(void)
{
	int c, s, lowat = 10;
	char buf[64];

	mkpair(&c, &s);
	R("SO_RCVLOWAT 10",
	  setsockopt(c, SOL_SOCKET, SO_RCVLOWAT, &lowat, sizeof(lowat)));
	send(s, "12345", 5, 0);
	wait_inq(c, 5, 2000);
	msleep(20);
	rec("5 bytes there: %s", pm(pnow(c)));
	send(s, "67890", 5, 0);
	rec("wait for POLLIN: %s", pm(pwait(c, POLLIN, 2000)));
	R("recv", recv(c, buf, sizeof(buf), 0));
	send(s, "abc", 3, 0);
	wait_inq(c, 3, 2000);
	shutdown(s, SHUT_WR);
	pwait(c, POLLRDHUP, 2000);
	rec("3 bytes and EOF: %s", pm(pnow(c)));
	close(c);
	close(s);
}

static void sc_dontwait_send(void)
{
	int l, c, s;
	long n;

	mkpair_small(&l, &c, &s);
	n = fill(c);
	rec("MSG_DONTWAIT sends until full: %s, then %s",
	    n > 0 ? "some bytes" : "none", en(fill_errno));
	R("peer drained all", drain(s, 300) == n);
	R("send MSG_DONTWAIT after the drain", send(c, "a", 1, MSG_DONTWAIT));
	close(c);
	close(s);
	close(l);
}

static void sc_msg_more(void)
{
	char buf[64];
	int c, s;

	mkpair(&c, &s);
	so(c, SOL_TCP, TCP_NODELAY, 1);
	R("send 10 MSG_MORE", send(c, "0123456789", 10, MSG_MORE));
	/* TCP would have sent by now what it does not hold. Well short of
	 * the 200 ms after which AF_SMC sends what it held: a loaded debug
	 * guest once slept past that and saw the data.
	 */
	msleep(10);
	R("peer SIOCINQ is 0 (held back)", inq(s));
	R("send 5 without MSG_MORE", send(c, "abcde", 5, 0));
	R("peer SIOCINQ after the last part", wait_inq(s, 15, 2000));
	R("peer recv", recv(s, buf, sizeof(buf), 0));
	rec("  data %s", show(buf, 15));
	close(c);
	close(s);
}

static void sc_cork(void)
{
	char buf[64];
	int c, s;

	mkpair(&c, &s);
	RO(c, "default", SOL_TCP, TCP_CORK);
	R("TCP_CORK 1", so(c, SOL_TCP, TCP_CORK, 1));
	RO(c, "corked", SOL_TCP, TCP_CORK);
	R("send 10", send(c, "0123456789", 10, 0));
	msleep(10);	/* as for MSG_MORE */
	R("peer SIOCINQ (held back)", inq(s));
	R("TCP_CORK 0", so(c, SOL_TCP, TCP_CORK, 0));
	R("peer SIOCINQ after uncorking", wait_inq(s, 10, 2000));
	R("peer recv", recv(s, buf, sizeof(buf), 0));
	RO(c, "uncorked", SOL_TCP, TCP_CORK);
	/* TCP_NODELAY pushes what the cork holds, once; the cork stays. */
	R("TCP_CORK 1 again", so(c, SOL_TCP, TCP_CORK, 1));
	R("send 5", send(c, "01234", 5, 0));
	msleep(10);
	R("peer SIOCINQ (held back again)", inq(s));
	R("TCP_NODELAY 1", so(c, SOL_TCP, TCP_NODELAY, 1));
	R("peer SIOCINQ after TCP_NODELAY (within 100 ms)", wait_inq(s, 5, 100));
	RO(c, "still", SOL_TCP, TCP_CORK);
	R("peer recv", recv(s, buf, sizeof(buf), 0));
	close(c);
	close(s);
}

/* Nothing in the error queue: MSG_ERRQUEUE says so, the stream stays. */
static void sc_errqueue(void)
{
	char buf[8];
	int c, s;

	mkpair(&c, &s);
	R("send abc", send(s, "abc", 3, 0));
	R("SIOCINQ", wait_inq(c, 3, 2000));
	R("recv MSG_ERRQUEUE", recv(c, buf, sizeof(buf), MSG_ERRQUEUE));
	R("recv MSG_ERRQUEUE|MSG_DONTWAIT",
	  recv(c, buf, sizeof(buf), MSG_ERRQUEUE | MSG_DONTWAIT));
	R("recv", recv(c, buf, sizeof(buf), 0));
	close(c);
	close(s);
}

static void sc_nosignal(void)
{
	char buf[8];
	int c, s;

	mkpair(&c, &s);
	send(s, "unread", 6, 0);
	wait_inq(c, 6, 2000);
	close(c);			/* unread data: the peer is reset */
	pwait(s, POLLERR, 2000);
	R("send to a reset connection, MSG_NOSIGNAL",
	  send(s, "a", 1, MSG_NOSIGNAL));
	R("send again, MSG_NOSIGNAL", send(s, "a", 1, MSG_NOSIGNAL));
	R("send again", send(s, "a", 1, 0));
	R("recv", recv(s, buf, sizeof(buf), 0));
	close(s);
}

static void sc_oob(void)
{
	char buf[64];
	int l, c, s, port, n;

	mkpair(&c, &s);
	so(s, SOL_TCP, TCP_NODELAY, 1);
	R("F_SETOWN", fcntl(c, F_SETOWN, getpid()));
	R("recv MSG_OOB, no urgent data", recv(c, buf, 1, MSG_OOB));
	g_sigurg = 0;
	R("send abc", send(s, "abc", 3, 0));
	R("send X MSG_OOB", send(s, "X", 1, MSG_OOB));
	pwait(c, POLLPRI, 2000);
	wait_inq(c, 3, 2000);
	msleep(20);
	rec("SIGURG: %d", g_sigurg);
	rec("poll: %s", pm(pnow(c)));
	n = R("recv MSG_OOB", recv(c, buf, 1, MSG_OOB));
	rec("  data %s", show(buf, n));
	R("recv MSG_OOB again", recv(c, buf, 1, MSG_OOB));
	n = R("recv", recv(c, buf, sizeof(buf), 0));
	rec("  data %s", show(buf, n));
	rec("poll after: %s", pm(pnow(c)));

	/* urgent data in line */
	R("SO_OOBINLINE", so(c, SOL_SOCKET, SO_OOBINLINE, 1));
	send(s, "d", 1, 0);
	send(s, "Y", 1, MSG_OOB);
	pwait(c, POLLPRI, 2000);
	wait_inq(c, 2, 2000);
	R("recv MSG_OOB with SO_OOBINLINE", recv(c, buf, 1, MSG_OOB));
	n = R("recv", recv(c, buf, sizeof(buf), 0));
	rec("  data %s", show(buf, n));
	n = R("recv", recv(c, buf, sizeof(buf), MSG_DONTWAIT));
	rec("  data %s", show(buf, n));
	close(c);
	close(s);

	/* SO_OOBINLINE set before connect */
	l = lsn(4, &port);
	c = sut(0);
	R("SO_OOBINLINE before connect", so(c, SOL_SOCKET, SO_OOBINLINE, 1));
	conn_fd(c, port);
	s = acc(l);
	RO(c, "connected", SOL_SOCKET, SO_OOBINLINE);
	so(s, SOL_TCP, TCP_NODELAY, 1);
	send(s, "e", 1, 0);
	send(s, "Z", 1, MSG_OOB);
	pwait(c, POLLPRI, 2000);
	wait_inq(c, 2, 2000);
	R("recv MSG_OOB", recv(c, buf, 1, MSG_OOB));
	n = R("recv", recv(c, buf, sizeof(buf), 0));
	rec("  data %s", show(buf, n));
	close(c);
	close(s);
	close(l);
}

struct reader {
	int		fd;
	long		want;
	long		got;
	int		ok;
	pthread_t	th;
};

static void *reader_run(void *arg)
{
	static char buf[1 << 18];
	struct reader *rd = arg;

	helper_thread_signals();
	while (rd->got < rd->want &&
	       (pwait(rd->fd, POLLIN, 5000) & (POLLIN | POLLHUP))) {
		ssize_t n = recv(rd->fd, buf + rd->got,
				 rd->want - rd->got, MSG_DONTWAIT);

		if (n <= 0)
			break;
		rd->got += n;
	}
	rd->ok = check_pattern(buf, rd->got, 5);
	return NULL;
}

/* A thread asleep in a 1-byte recv() on a socket with SO_RCVTIMEO. */
struct sleeper {
	int		fd;
	long		n;
	int		err;
	char		byte;
	pthread_t	th;
};

static void *sleeper_run(void *arg)
{
	struct sleeper *sl = arg;

	helper_thread_signals();
	sl->n = recv(sl->fd, &sl->byte, 1, 0);
	sl->err = errno;
	return NULL;
}

/* The corners of MSG_OOB: no urgent byte (before, after it was read,
 * at the end of the stream) is EINVAL; a zero-length read takes the byte
 * and reports it truncated; SIOCINQ counts the bytes before the mark.
 */
static void sc_oob_corners(void)
{
	char buf[64];
	int c, s;
	long n;

	mkpair(&c, &s);
	R("recv MSG_OOB, none sent", recv(c, buf, 1, MSG_OOB | MSG_DONTWAIT));
	send(s, "abc", 3, 0);
	send(s, "X", 1, MSG_OOB);
	send(s, "defg", 4, 0);
	pwait(c, POLLPRI, 2000);
	msleep(20);
	R("SIOCINQ with the mark ahead", inq(c));
	R("recv 0 bytes MSG_OOB", recv(c, buf, 0, MSG_OOB));
	R("recv MSG_OOB again", recv(c, buf, 1, MSG_OOB | MSG_DONTWAIT));
	n = R("recv", recv(c, buf, sizeof(buf), 0));
	rec("  data %s", show(buf, n));
	R("SIOCINQ at the mark", inq(c));
	n = R("recv", recv(c, buf, sizeof(buf), 0));
	rec("  data %s", show(buf, n));
	R("SIOCINQ past the mark", inq(c));
	shutdown(s, SHUT_WR);
	pwait(c, POLLRDHUP, 2000);
	R("recv MSG_OOB at the end of the stream",
	  recv(c, buf, 1, MSG_OOB | MSG_DONTWAIT));
	close(c);
	close(s);
}

/* A new pair; the reader reads up to the mark, then the urgent byte out
 * of band if @oob: it sits on the first urgent byte.
 */
static void oob_sit_on_mark(int *c, int *s, int oob)
{
	char buf[64];
	long n;

	mkpair(c, s);
	so(*s, SOL_TCP, TCP_NODELAY, 1);
	send(*s, "ab", 2, 0);
	send(*s, "X", 1, MSG_OOB);
	pwait(*c, POLLPRI, 2000);
	wait_inq(*c, 2, 2000);
	n = R("recv up to the mark", recv(*c, buf, sizeof(buf), 0));
	rec("  data %s", show(buf, n));
	if (oob) {
		n = R("recv MSG_OOB", recv(*c, buf, 1, MSG_OOB));
		rec("  data %s", show(buf, n));
	}
}

/* What is left once the peer is done: the stream, then out of band. */
static void oob_drain(int c, int s)
{
	char buf[64];
	long n;

	rec("poll: %s", pm(pnow(c)));
	rec_ioctls(c, "before reading");
	n = R("recv MSG_OOB", recv(c, buf, 1, MSG_OOB | MSG_DONTWAIT));
	rec("  data %s", show(buf, n));
	n = R("recv", recv(c, buf, sizeof(buf), MSG_DONTWAIT));
	rec("  data %s", show(buf, n));
	shutdown(s, SHUT_WR);
	pwait(c, POLLRDHUP, 2000);
	n = R("recv to the end", recv(c, buf, sizeof(buf), 0));
	rec("  data %s", show(buf, n));
	close(c);
	close(s);
}

/* TCP keeps one urgent byte: a later one takes the mark. The earlier
 * byte leaves the stream if the reader sits on it (read out of band or
 * not), and becomes data if the reader is still before it.
 */
static void sc_oob_second(void)
{
	char buf[64];
	int c, s, oob;
	long n;

	for (oob = 1; oob >= 0; oob--) {
		rec("-- sitting on an urgent byte %s", oob ? "read out of band" :
							   "not read");
		oob_sit_on_mark(&c, &s, oob);
		send(s, "cd", 2, 0);
		send(s, "Y", 1, MSG_OOB);
		wait_inq(c, 2, 2000);
		msleep(20);
		oob_drain(c, s);
	}

	rec("-- two more urgent bytes, no data between");
	oob_sit_on_mark(&c, &s, 1);
	send(s, "Y", 1, MSG_OOB);
	send(s, "Z", 1, MSG_OOB);
	msleep(20);
	rec_ioctls(c, "after Y and Z");
	n = R("recv MSG_PEEK", recv(c, buf, sizeof(buf), MSG_PEEK | MSG_DONTWAIT));
	rec("  data %s", show(buf, n));
	send(s, "e", 1, 0);
	msleep(20);
	oob_drain(c, s);

	rec("-- before the first urgent byte");
	mkpair(&c, &s);
	so(s, SOL_TCP, TCP_NODELAY, 1);
	send(s, "ab", 2, 0);
	send(s, "X", 1, MSG_OOB);
	send(s, "cd", 2, 0);
	send(s, "Y", 1, MSG_OOB);
	pwait(c, POLLPRI, 2000);
	wait_inq(c, 5, 2000);
	msleep(20);
	oob_drain(c, s);
}

/* A MSG_OOB send that only partly fits: the last byte that went out is
 * the urgent one, as TCP marks the end of what it queued.
 */
static void sc_oob_partial(void)
{
	static char out[4 << 20], in[4 << 20];
	long n, got = 0, r;
	int c, s;
	char b;

	mkpair(&c, &s);
	pattern(out, sizeof(out), 3);
	n = send(s, out, sizeof(out), MSG_OOB | MSG_DONTWAIT);
	rec("send MSG_OOB|MSG_DONTWAIT, more than fits: %s",
	    n > 1 && n < (long)sizeof(out) ? "partial" : "not partial");
	if (n <= 1)
		goto out;
	/* The stream stops at the mark and skips the urgent byte. */
	while (got < n - 1 && (pwait(c, POLLIN, 2000) & POLLIN)) {
		r = recv(c, in + got, n - 1 - got, MSG_DONTWAIT);
		if (r <= 0)
			break;
		got += r;
	}
	rec("stream: all bytes before the last one sent: %s",
	    got == n - 1 && check_pattern(in, got, 3) ? "yes" : "no");
	rec("poll: %s", pm(pwait(c, POLLPRI, 2000)));
	rec_ioctls(c, "at the mark");
	r = R("recv MSG_OOB", recv(c, &b, 1, MSG_OOB | MSG_DONTWAIT));
	rec("  the last byte sent: %s", r == 1 && b == out[n - 1] ? "yes" : "no");
	R("recv, nothing more", recv(c, in, 1, MSG_DONTWAIT));
out:
	close(c);
	close(s);
}

/* A zero-length send on a connection that cannot send fails as TCP's. */
static void sc_empty_send(void)
{
	int c, s;

	mkpair(&c, &s);
	R("send 0 bytes", send(c, "", 0, 0));
	shutdown(c, SHUT_WR);
	R("send 0 bytes after SHUT_WR", send(c, "", 0, MSG_NOSIGNAL));
	R("send 0 bytes after SHUT_WR, SIGPIPE", send(c, "", 0, 0));
	close(c);
	close(s);
}

/* connect(AF_UNSPEC) while another thread sleeps in recv() on the socket
 * wakes it, as tcp_disconnect() does.
 */
static void sc_unspec_wakes(void)
{
	struct sockaddr sa = { .sa_family = AF_UNSPEC };
	struct timeval tv = { 3, 0 };
	struct sleeper sl = { 0 };
	int c, s, i;
	long t0;

	mkpair(&c, &s);
	setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	sl.fd = c;
	pthread_create(&sl.th, NULL, sleeper_run, &sl);
	msleep(50);
	t0 = now_ms();
	R("connect(AF_UNSPEC) while a thread sleeps in recv",
	  connect(c, &sa, sizeof(sa)));
	for (i = 0; i < 400 && pthread_tryjoin_np(sl.th, NULL); i++)
		msleep(10);
	if (i == 400)
		pthread_join(sl.th, NULL);
	rec("the thread's recv: %ld %s, %s", sl.n, sl.n < 0 ? en(sl.err) : "",
	    now_ms() - t0 < 1500 ? "at once" : "after its timeout");
	close(c);
	close(s);
}

/* Two threads asleep in recv() on one socket while the peer reads the
 * request and then answers: the peer's read wakes them early (over
 * SMC-D), they sleep again, and the answer's two bytes go one to each.
 */
static void sc_two_sleepers(void)
{
	struct timeval tv = { .tv_sec = 5 };
	struct sleeper sl[2];
	char buf[4], got[3];
	int c, s, i;

	mkpair(&c, &s);
	setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	for (i = 0; i < 2; i++) {
		sl[i] = (struct sleeper){ .fd = c };
		pthread_create(&sl[i].th, NULL, sleeper_run, &sl[i]);
	}
	msleep(100);
	R("client sends the request", send(c, "q", 1, 0));
	R("server reads it", recv_all(s, buf, 1));
	msleep(50);
	R("server answers with two bytes", send(s, "ab", 2, 0));
	for (i = 0; i < 2; i++)
		pthread_join(sl[i].th, NULL);
	for (i = 0; i < 2; i++)
		if (sl[i].n < 0)
			rec("sleeper: -1 %s", en(sl[i].err));
	got[0] = sl[0].n == 1 ? sl[0].byte : '-';
	got[1] = sl[1].n == 1 ? sl[1].byte : '-';
	if (got[0] > got[1]) {
		got[2] = got[0];
		got[0] = got[1];
		got[1] = got[2];
	}
	rec("sleepers got %ld and %ld bytes: %.2s", sl[0].n < sl[1].n ?
	    sl[0].n : sl[1].n, sl[0].n < sl[1].n ? sl[1].n : sl[0].n, got);
	close(c);
	close(s);
}

static int tmpfile_with_pattern(long n)
{
	char path[] = "/tmp/smc_sockapi.XXXXXX";
	char *buf = malloc(n);
	int fd = mkstemp(path);

	unlink(path);
	pattern(buf, n, 5);
	if (write(fd, buf, n) != n)
		rec("setup: temporary file: %s", en(errno));
	free(buf);
	return fd;
}

#define SF_LEN	(1 << 18)

static void sc_sendfile(void)
{
	struct reader rd;
	int f, c, s;
	off_t off = 0;
	long sent = 0, n;

	f = tmpfile_with_pattern(SF_LEN);
	mkpair(&c, &s);
	rd = (struct reader){ .fd = s, .want = SF_LEN };
	pthread_create(&rd.th, NULL, reader_run, &rd);
	guard(5000);
	while (sent < SF_LEN) {
		n = sendfile(c, f, &off, SF_LEN - sent);
		if (n <= 0) {
			rec("sendfile: %ld %s", n, en(errno));
			break;
		}
		sent += n;
	}
	unguard();
	pthread_join(rd.th, NULL);
	rec("sendfile sent %ld, offset %ld", sent, (long)off);
	rec("peer received %ld, content %s", rd.got, rd.ok ? "intact" : "BAD");

	/* non-blocking socket, peer not reading: EAGAIN */
	set_nonblock(c, 1);
	n = 0;
	for (;;) {
		off = 0;
		if (sendfile(c, f, &off, SF_LEN) < 0)
			break;
		if (++n > 1000)
			break;
	}
	rec("non-blocking sendfile until full: %s", en(errno));
	close(c);
	close(s);
	close(f);
}

static void sc_splice(void)
{
	char buf[10000], back[10000];
	int c, s, p[2];
	long n;

	mkpair(&c, &s);
	if (pipe(p))
		rec("setup: pipe: %s", en(errno));
	pattern(buf, sizeof(buf), 5);
	send(s, buf, sizeof(buf), 0);
	wait_inq(c, sizeof(buf), 2000);
	R("splice socket -> pipe", splice(c, NULL, p[1], NULL, 65536, 0));
	n = read(p[0], back, sizeof(back));
	rec("pipe content: %ld bytes, %s", n,
	    check_pattern(back, n, 5) ? "intact" : "BAD");
	if (write(p[1], buf, sizeof(buf)) != sizeof(buf))
		rec("setup: pipe write: %s", en(errno));
	R("splice pipe -> socket", splice(p[0], NULL, c, NULL, sizeof(buf), 0));
	R("peer received", recv_all(s, back, sizeof(back)));
	rec("content %s", check_pattern(back, sizeof(back), 5) ? "intact" : "BAD");
	/* SPLICE_F_NONBLOCK is about the pipe: the socket still blocks */
	guard(200);
	R("splice socket -> pipe, SPLICE_F_NONBLOCK, nothing there",
	  splice(c, NULL, p[1], NULL, 100, SPLICE_F_NONBLOCK));
	unguard();
	set_nonblock(c, 1);
	R("splice from a non-blocking socket, nothing there",
	  splice(c, NULL, p[1], NULL, 100, 0));
	shutdown(s, SHUT_WR);
	pspin(c, POLLRDHUP, 2000);
	R("splice socket -> pipe at EOF", splice(c, NULL, p[1], NULL, 100, 0));
	close(p[0]);
	close(p[1]);
	close(c);
	close(s);
}

static void sc_unconnected_io(void)
{
	char buf[8];
	int u, f, p[2];
	off_t off = 0;

	u = sut(0);
	f = tmpfile_with_pattern(4096);
	if (pipe(p))
		rec("setup: pipe: %s", en(errno));
	R("send", send(u, "a", 1, 0));
	R("send MSG_NOSIGNAL", send(u, "a", 1, MSG_NOSIGNAL));
	R("send MSG_OOB|MSG_NOSIGNAL", send(u, "a", 1, MSG_OOB | MSG_NOSIGNAL));
	R("write", write(u, "a", 1));
	R("recv", recv(u, buf, sizeof(buf), 0));
	R("recv MSG_DONTWAIT", recv(u, buf, sizeof(buf), MSG_DONTWAIT));
	R("read", read(u, buf, sizeof(buf)));
	R("sendfile", sendfile(u, f, &off, 100));
	R("splice socket -> pipe", splice(u, NULL, p[1], NULL, 100, 0));
	if (write(p[1], "x", 1) != 1)
		rec("setup: pipe write: %s", en(errno));
	R("splice pipe -> socket", splice(p[0], NULL, u, NULL, 1, 0));
	close(p[0]);
	close(p[1]);
	close(f);
	close(u);
}

static void sc_timeouts(void)
{
	struct timeval tv = { 0, 100000 }, got;
	static char big[1 << 22];
	socklen_t len;
	int l, c, s, port, k;
	long t0;
	char buf[8];

	l = sut(0);
	so(l, SOL_SOCKET, SO_RCVBUF, 4096);
	lsn_fd(l, 4, &port);
	c = sut(0);
	so(c, SOL_SOCKET, SO_SNDBUF, 4096);
	R("SO_RCVTIMEO 100 ms before connect",
	  setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)));
	R("SO_SNDTIMEO 100 ms before connect",
	  setsockopt(c, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)));
	conn_fd(c, port);
	s = acc(l);
	len = sizeof(got);
	getsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &got, &len);
	rec("connected SO_RCVTIMEO={%ld,%ld}", (long)got.tv_sec,
	    (long)got.tv_usec);
	len = sizeof(got);
	getsockopt(c, SOL_SOCKET, SO_SNDTIMEO, &got, &len);
	rec("connected SO_SNDTIMEO={%ld,%ld}", (long)got.tv_sec,
	    (long)got.tv_usec);

	guard(8000);
	t0 = now_ms();
	R("blocking recv, nothing comes", recv(c, buf, sizeof(buf), 0));
	rec("it returned %s", tclass(now_ms() - t0, 100));
	t0 = now_ms();
	rec("blocking send of 4 MiB, peer not reading: %s",
	    send(c, big, sizeof(big), 0) > 0 ? "partly sent" : en(errno));
	rec("it returned %s", tclass(now_ms() - t0, 100));
	/* The receiver may still free a little room; repeat until nothing
	 * at all fits within the timeout.
	 */
	for (k = 0; k < 20; k++) {
		t0 = now_ms();
		if (send(c, big, sizeof(big), 0) < 0)
			break;
	}
	rec("blocking sends until one fails: %s, %s", en(errno),
	    tclass(now_ms() - t0, 100));
	unguard();

	tv.tv_usec = 2000000;
	R("SO_RCVTIMEO with tv_usec 2000000",
	  setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)));
	R("SO_RCVTIMEO with a short optlen",
	  setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, 4));
	close(c);
	close(s);
	close(l);
}

static void rec_keepalive(int fd, const char *who)
{
	int ka, idle, intvl, cnt;

	geto(fd, SOL_SOCKET, SO_KEEPALIVE, &ka);
	geto(fd, SOL_TCP, TCP_KEEPIDLE, &idle);
	geto(fd, SOL_TCP, TCP_KEEPINTVL, &intvl);
	geto(fd, SOL_TCP, TCP_KEEPCNT, &cnt);
	rec("%s: SO_KEEPALIVE=%d TCP_KEEPIDLE=%d TCP_KEEPINTVL=%d "
	    "TCP_KEEPCNT=%d", who, ka, idle, intvl, cnt);
}

static void sc_keepalive(void)
{
	int l, c, s, port;

	l = sut(0);
	rec_keepalive(l, "fresh listener socket");
	R("listener SO_KEEPALIVE 1", so(l, SOL_SOCKET, SO_KEEPALIVE, 1));
	R("listener TCP_KEEPIDLE 45", so(l, SOL_TCP, TCP_KEEPIDLE, 45));
	lsn_fd(l, 4, &port);
	rec_keepalive(l, "listener");
	c = sut(0);
	rec_keepalive(c, "fresh");
	R("SO_KEEPALIVE 1", so(c, SOL_SOCKET, SO_KEEPALIVE, 1));
	R("TCP_KEEPIDLE 30", so(c, SOL_TCP, TCP_KEEPIDLE, 30));
	R("TCP_KEEPINTVL 5", so(c, SOL_TCP, TCP_KEEPINTVL, 5));
	R("TCP_KEEPCNT 3", so(c, SOL_TCP, TCP_KEEPCNT, 3));
	R("TCP_KEEPIDLE 0", so(c, SOL_TCP, TCP_KEEPIDLE, 0));
	R("TCP_KEEPCNT 0", so(c, SOL_TCP, TCP_KEEPCNT, 0));
	rec_keepalive(c, "before connect");
	conn_fd(c, port);
	s = acc(l);
	rec_keepalive(c, "connected");
	rec_keepalive(s, "accepted");
	R("accepted: SO_KEEPALIVE 0", so(s, SOL_SOCKET, SO_KEEPALIVE, 0));
	R("accepted: TCP_KEEPINTVL 7", so(s, SOL_TCP, TCP_KEEPINTVL, 7));
	rec_keepalive(s, "accepted, changed");
	close(c);
	close(s);
	close(l);
}

/* SO_KEEPALIVE switched on after connect, and nothing set after it: TCP
 * must probe the idle connection (the probe's answer is the last ACK).
 */
static void sc_keepalive_probes(void)
{
	struct tcp_info ti;
	socklen_t len;
	long t0, idle;
	int c, s, probed = 0;

	mkpair(&c, &s);
	R("TCP_KEEPIDLE 1", so(c, SOL_TCP, TCP_KEEPIDLE, 1));
	R("TCP_KEEPINTVL 1", so(c, SOL_TCP, TCP_KEEPINTVL, 1));
	t0 = now_ms();
	R("SO_KEEPALIVE 1, after connect", so(c, SOL_SOCKET, SO_KEEPALIVE, 1));
	/* The first probe goes after a second of idling; its answer is an
	 * ACK received well after the option was set, which no other
	 * segment of this idle connection can be.
	 */
	do {
		msleep(50);
		idle = now_ms() - t0;
		memset(&ti, 0, sizeof(ti));
		len = sizeof(ti);
		if (getsockopt(c, SOL_TCP, TCP_INFO, &ti, &len)) {
			rec("TCP_INFO: %s", en(errno));
			break;
		}
		probed = ti.tcpi_last_ack_recv + 300 < idle;
	} while (!probed && idle < 2500);
	rec("idle up to 2.5 s: %s", probed ? "probed, answered" : "no probe");
	close(c);
	close(s);
}

static void rec_bound_dev(int fd, const char *who)
{
	char name[IFNAMSIZ + 1] = "";
	socklen_t len = sizeof(name);
	int idx;

	if (getsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, name, &len))
		rec("%s SO_BINDTODEVICE: %s", who, en(errno));
	else
		rec("%s SO_BINDTODEVICE=\"%s\" (len %u)", who, name, len);
	if (geto(fd, SOL_SOCKET, SO_BINDTOIFINDEX, &idx))
		rec("%s SO_BINDTOIFINDEX: %s", who, en(errno));
	else
		rec("%s SO_BINDTOIFINDEX is %s", who,
		    idx == (int)if_nametoindex("lo") ? "lo" :
		    idx ? "another device" : "0");
}

static void sc_bindtodevice(void)
{
	int l, c, s, port;

	l = sut(0);
	R("listener SO_BINDTODEVICE lo",
	  setsockopt(l, SOL_SOCKET, SO_BINDTODEVICE, "lo", 3));
	lsn_fd(l, 4, &port);
	rec_bound_dev(l, "listener");
	c = sut(0);
	rec_bound_dev(c, "fresh");
	R("SO_BINDTODEVICE nosuchdev0",
	  setsockopt(c, SOL_SOCKET, SO_BINDTODEVICE, "nosuchdev0", 11));
	R("SO_BINDTODEVICE lo",
	  setsockopt(c, SOL_SOCKET, SO_BINDTODEVICE, "lo", 3));
	rec_bound_dev(c, "before connect");
	R("connect", connp(c, port));
	s = acc(l);
	rec_bound_dev(c, "connected");
	rec_bound_dev(s, "accepted");
	R("send", send(c, "a", 1, 0));
	R("SO_BINDTODEVICE \"\" (unbind)",
	  setsockopt(c, SOL_SOCKET, SO_BINDTODEVICE, "", 0));
	rec_bound_dev(c, "unbound");
	close(c);
	close(s);
	close(l);
}

static void sc_nodelay(void)
{
	int l, c, s, s2, c2, port;

	l = sut(0);
	RO(l, "fresh listener socket", SOL_TCP, TCP_NODELAY);
	lsn_fd(l, 4, &port);
	c = sut(0);
	RO(c, "fresh", SOL_TCP, TCP_NODELAY);
	R("TCP_NODELAY 1", so(c, SOL_TCP, TCP_NODELAY, 1));
	RO(c, "before connect", SOL_TCP, TCP_NODELAY);
	conn_fd(c, port);
	s = acc(l);
	RO(c, "connected", SOL_TCP, TCP_NODELAY);
	RO(s, "accepted", SOL_TCP, TCP_NODELAY);
	R("accepted: TCP_NODELAY 1", so(s, SOL_TCP, TCP_NODELAY, 1));
	RO(s, "accepted", SOL_TCP, TCP_NODELAY);
	R("listener TCP_NODELAY 1", so(l, SOL_TCP, TCP_NODELAY, 1));
	RO(l, "listener", SOL_TCP, TCP_NODELAY);
	c2 = conn(port);
	s2 = acc(l);
	RO(s2, "accepted after listener TCP_NODELAY", SOL_TCP, TCP_NODELAY);
	R("TCP_NODELAY 0", so(c, SOL_TCP, TCP_NODELAY, 0));
	RO(c, "cleared", SOL_TCP, TCP_NODELAY);
	close(c);
	close(s);
	close(c2);
	close(s2);
	close(l);
}

static void rec_tcp_info(int fd, const char *who)
{
	struct tcp_info ti;
	socklen_t l = sizeof(ti);

	memset(&ti, 0, sizeof(ti));
	if (getsockopt(fd, SOL_TCP, TCP_INFO, &ti, &l)) {
		rec("%s TCP_INFO: %s", who, en(errno));
		return;
	}
	/*
	 * Not recorded: counters and anything that follows the traffic. The
	 * CLC messages an AF_SMC connection exchanges before falling back
	 * are real segments, so segment/byte counts, RTT and even snd_mss
	 * (bounded by half the largest window the peer advertised) may
	 * legitimately differ from a TCP connection that never sent them.
	 */
	rec("%s TCP_INFO: len %u state=%s ca_state=%u options=%#x "
	    "wscale=%u/%u pmtu=%u", who, l, tcp_state_name(ti.tcpi_state),
	    ti.tcpi_ca_state, ti.tcpi_options, ti.tcpi_snd_wscale,
	    ti.tcpi_rcv_wscale, ti.tcpi_pmtu);
}

static void sc_tcp_info(void)
{
	struct tcp_info ti;
	socklen_t len;
	int u, l, c, s, port;

	u = sut(0);
	rec_tcp_info(u, "fresh");
	l = lsn(4, &port);
	rec_tcp_info(l, "listener");
	c = conn(port);
	s = acc(l);
	rec_tcp_info(c, "client");
	rec_tcp_info(s, "accepted");
	len = 8;
	R("TCP_INFO into 8 bytes", getsockopt(c, SOL_TCP, TCP_INFO, &ti, &len));
	rec("  returned len %u", len);
	shutdown(s, SHUT_WR);
	pwait(c, POLLRDHUP, 2000);
	rec_tcp_state(c, "peer SHUT_WR");
	shutdown(c, SHUT_WR);
	pwait(s, POLLRDHUP, 2000);
	msleep(20);
	rec_tcp_state(c, "both SHUT_WR");
	rec_tcp_state(s, "accepted, both SHUT_WR");
	close(u);
	close(c);
	close(s);
	close(l);
}

/* TCP_ULP "mptcp" is for the kernel's own sockets: TCP refuses it to an
 * application's, and so must we, though our TCP socket is the kernel's,
 * also once the descriptor is that TCP socket's (after a fallback).
 * Taken, it made the connect's SYN-ACK oops the kernel.
 */
static void sc_ulp_mptcp(void)
{
	char buf[4];
	int l, c, s, port;

	l = lsn(4, &port);
	c = sut(0);
	R("TCP_ULP mptcp on a fresh socket",
	  setsockopt(c, SOL_TCP, TCP_ULP, "mptcp", 5));
	R("connect", connp(c, port));
	s = acc(l);
	R("send", send(c, "m", 1, 0));
	R("recv", recv(s, buf, sizeof(buf), 0));
	R("TCP_ULP mptcp on the connected socket",
	  setsockopt(c, SOL_TCP, TCP_ULP, "mptcp", 5));
	R("on the accepted one", setsockopt(s, SOL_TCP, TCP_ULP, "mptcp", 5));
	R("on the listener", setsockopt(l, SOL_TCP, TCP_ULP, "mptcp", 5));
	close(c);
	close(s);
	close(l);
}

/* The name flips between "tls" and "mptcp", one 8-byte store at a time. */
static volatile uint64_t ulp_name;
static volatile int ulp_flip_stop;

static void *ulp_flipper(void *arg)
{
	uint64_t a = 0, b = 0;

	(void)arg;
	memcpy(&a, "tls", 3);
	memcpy(&b, "mptcp", 5);
	while (!ulp_flip_stop) {
		ulp_name = a;
		ulp_name = b;
	}
	return NULL;
}

/* TCP_ULP whose name another thread changes meanwhile: the name checked
 * must be the name set. Read twice, a check that saw "tls" let TCP take
 * "mptcp" on our kernel socket (the oops above, on connect).
 */
/* SMC_TIMEOUT_SCALE: how much slower than usual this kernel runs. */
static int timeout_scale(void)
{
	const char *scale = getenv("SMC_TIMEOUT_SCALE");
	int f = scale ? atoi(scale) : 1;

	return f > 0 ? f : 1;
}

static void sc_ulp_race(void)
{
	/* Fewer on slow kernels, where the flipper holds a CPU throughout. */
	int i, fd, taken = 0, tries = 0, n = 2000 / timeout_scale();
	char name[16];		/* TCP_ULP_NAME_MAX */
	socklen_t len;
	pthread_t t;

	ulp_flip_stop = 0;
	if (pthread_create(&t, NULL, ulp_flipper, NULL)) {
		rec("setup: pthread_create failed");
		return;
	}
	for (i = 0; i < n; i++) {
		fd = sut(0);
		if (fd < 0)
			break;
		setsockopt(fd, SOL_TCP, TCP_ULP, (const void *)&ulp_name, 5);
		len = sizeof(name);
		memset(name, 0, sizeof(name));
		if (!getsockopt(fd, SOL_TCP, TCP_ULP, name, &len) &&
		    !strcmp(name, "mptcp"))
			taken++;
		close(fd);
		tries++;
	}
	ulp_flip_stop = 1;
	pthread_join(t, NULL);
	rec("TCP_ULP set while its name changes, %s tries: mptcp taken %s",
	    tries == n ? "all" : "fewer", taken ? "yes" : "never");
}

/* TCP_ULP on a connection: TCP takes it (kTLS), a connection over SMC-D
 * refuses it (its data does not pass through TCP, a TLS ULP would never
 * see it; as upstream); a connection that fell back is TCP's.
 */
static void sc_ulp_connected(void)
{
	char got[64];
	int c, s, t, rc;

	/* kTLS may be missing from the kernel: ask a plain TCP socket. */
	t = socket(AF_INET, SOCK_STREAM, 0);
	rc = setsockopt(t, SOL_TCP, TCP_ULP, "tls", 3);
	close(t);
	if (rc && errno == ENOENT) {
		rec("no kTLS in this kernel");
		return;
	}
	mkpair(&c, &s);
	errno = 0;
	rc = setsockopt(c, SOL_TCP, TCP_ULP, "tls", 3);
	snprintf(got, sizeof(got), "%d %s", rc, rc ? en(errno) : "");
	expect3("TCP_ULP tls on a connected socket", "0 ", "0 ", "-1 EINVAL",
		got);
	R("TCP_FASTOPEN on a connected socket",
	  so(s, SOL_TCP, TCP_FASTOPEN, 5));
	close(c);
	close(s);
}

/* sendto(MSG_FASTOPEN) on an unconnected socket connects within the call
 * (over TCP: no SMC handshake can follow it). The connection's events
 * must reach a poll() on the socket: one asleep is woken by the answer.
 */
static void sc_fastopen_sendto(void)
{
	struct sockaddr_storage ss;
	char buf[8];
	int l, c, s, c2, s2, port, m;
	socklen_t sl;
	pid_t pid;
	long t0;

	l = lsn(4, &port);
	c = sut(SOCK_NONBLOCK);
	sl = mksa(&ss, T.v->conn_ip, port);
	R("sendto(MSG_FASTOPEN), no cookie yet",
	  sendto(c, "ping", 4, MSG_FASTOPEN, SA(&ss), sl));
	m = pwait(c, POLLOUT, 3000);
	rec("connected: %s", m > 0 && (m & POLLOUT) ? "POLLOUT" : "no POLLOUT");
	s = acc(l);
	pid = fork();
	if (!pid) {
		msleep(300);
		send(s, "pong", 4, 0);
		_exit(0);
	}
	t0 = now_ms();
	m = pwait(c, POLLIN, 3000);
	rec("poll for the answer: %s, %s",
	    m > 0 && (m & POLLIN) ? "POLLIN" : "nothing",
	    now_ms() - t0 < 2000 ? "woken" : "after its timeout");
	waitpid(pid, NULL, 0);
	R("recv the answer", recv(c, buf, sizeof(buf), 0));
	R("send on the connection", send(c, "ping", 4, 0));
	R("the peer reads it", recv_all(s, buf, 4));
	R("MSG_FASTOPEN again", sendto(c, "x", 1, MSG_FASTOPEN, SA(&ss), sl));
	mkpair(&c2, &s2);
	R("MSG_FASTOPEN on a connection made by connect()",
	  sendto(c2, "x", 1, MSG_FASTOPEN, SA(&ss), sl));
	close(c2);
	close(s2);
	close(c);
	close(s);
	close(l);
}

/* SO_RCVLOWAT set before listen() and connect() is the application's:
 * the connection still comes at once, both ends keep the mark, and it
 * holds for the data.
 */
static void sc_rcvlowat_connect(void)
{
	char buf[4096];
	int l, c, s, port, v;
	long t0;

	memset(buf, 'w', sizeof(buf));
	l = sut(0);
	R("listener SO_RCVLOWAT 4096", so(l, SOL_SOCKET, SO_RCVLOWAT, 4096));
	lsn_fd(l, 4, &port);
	c = sut(0);
	R("SO_RCVLOWAT 4096", so(c, SOL_SOCKET, SO_RCVLOWAT, 4096));
	t0 = now_ms();
	conn_fd(c, port);
	s = acc_wait(l, 1500);
	rec("connect and accept: %s", now_ms() - t0 < 1500 ? "at once" : "late");
	geto(c, SOL_SOCKET, SO_RCVLOWAT, &v);
	rec("connected: SO_RCVLOWAT %d", v);
	geto(s, SOL_SOCKET, SO_RCVLOWAT, &v);
	rec("accepted: SO_RCVLOWAT %d", v);
	R("send 100 bytes", send(s, buf, 100, 0));
	wait_inq(c, 100, 2000);
	rec("100 bytes in: %s", pnow(c) & POLLIN ? "readable" : "not readable");
	R("send 3996 more", send(s, buf, 3996, 0));
	pwait(c, POLLIN, 2000);
	rec("4096 bytes in: %s", pnow(c) & POLLIN ? "readable" : "not readable");
	R("recv", recv_all(c, buf, sizeof(buf)));
	close(c);
	close(s);
	close(l);
}

static void sc_maxseg(void)
{
	char buf[5000];
	int c, l, s, port;

	l = lsn(4, &port);
	c = sut(0);
	RO(c, "fresh", SOL_TCP, TCP_MAXSEG);
	R("TCP_MAXSEG 10", so(c, SOL_TCP, TCP_MAXSEG, 10));
	R("TCP_MAXSEG 1000", so(c, SOL_TCP, TCP_MAXSEG, 1000));
	RO(c, "before connect", SOL_TCP, TCP_MAXSEG);
	conn_fd(c, port);
	s = acc(l);
	RO(c, "connected", SOL_TCP, TCP_MAXSEG);
	RO(s, "accepted", SOL_TCP, TCP_MAXSEG);
	pattern(buf, sizeof(buf), 5);
	R("send 5000", send(c, buf, sizeof(buf), 0));
	memset(buf, 0, sizeof(buf));
	R("peer received", recv_all(s, buf, sizeof(buf)));
	rec("content %s", check_pattern(buf, sizeof(buf), 5) ? "intact" : "BAD");
	R("TCP_MAXSEG 1200 when connected", so(c, SOL_TCP, TCP_MAXSEG, 1200));
	RO(l, "listener", SOL_TCP, TCP_MAXSEG);
	close(c);
	close(s);
	close(l);
}

static void rec_opts(int fd, const char *who)
{
	static const struct { int lvl, opt; const char *name; } opts[] = {
		{ SOL_SOCKET, SO_RCVBUF, "SO_RCVBUF" },
		{ SOL_SOCKET, SO_SNDBUF, "SO_SNDBUF" },
		{ SOL_SOCKET, SO_PRIORITY, "SO_PRIORITY" },
		{ SOL_SOCKET, SO_MARK, "SO_MARK" },
		{ SOL_SOCKET, SO_KEEPALIVE, "SO_KEEPALIVE" },
		{ SOL_SOCKET, SO_OOBINLINE, "SO_OOBINLINE" },
		{ SOL_SOCKET, SO_RCVLOWAT, "SO_RCVLOWAT" },
		{ SOL_SOCKET, SO_REUSEADDR, "SO_REUSEADDR" },
		{ SOL_SOCKET, SO_TIMESTAMP, "SO_TIMESTAMP" },
		{ SOL_TCP, TCP_NODELAY, "TCP_NODELAY" },
		{ SOL_TCP, TCP_USER_TIMEOUT, "TCP_USER_TIMEOUT" },
		{ SOL_TCP, TCP_NOTSENT_LOWAT, "TCP_NOTSENT_LOWAT" },
	};
	char line[512];
	int i, v, e, m = 0;

	for (i = 0; i < ARRAY_SIZE(opts); i++) {
		/*
		 * By design a connection over shared memory keeps the buffer
		 * sizes its DMBs were made from, while TCP tunes its own as
		 * it goes: compared with SMC-D, the sizes of a connection
		 * are left out (both transcripts alike); those of a socket
		 * not yet connected still count.
		 */
		if (T.dmb_sizes && opts[i].lvl == SOL_SOCKET &&
		    (opts[i].opt == SO_SNDBUF || opts[i].opt == SO_RCVBUF) &&
		    strcmp(who, "before connect") && strcmp(who, "listener")) {
			m += snprintf(line + m, sizeof(line) - m, " %s=(dmb)",
				      opts[i].name);
			continue;
		}
		e = geto(fd, opts[i].lvl, opts[i].opt, &v);
		if (e)
			m += snprintf(line + m, sizeof(line) - m, " %s:%s",
				      opts[i].name, en(e));
		else
			m += snprintf(line + m, sizeof(line) - m, " %s=%d",
				      opts[i].name, v);
	}
	if (T.v->family == AF_INET) {
		e = geto(fd, SOL_IP, IP_TOS, &v);
		m += snprintf(line + m, sizeof(line) - m, " IP_TOS=%d", e ? -e : v);
	} else {
		e = geto(fd, SOL_IPV6, IPV6_TCLASS, &v);
		m += snprintf(line + m, sizeof(line) - m, " IPV6_TCLASS=%d",
			      e ? -e : v);
	}
	rec("%s:%s", who, line);
	rec_linger(fd, who);
}

static void set_opts(int fd, const char *who)
{
	struct linger lg = { 1, 5 };
	char what[64];
	int e = 0;

	e |= so(fd, SOL_SOCKET, SO_RCVBUF, 65536);
	e |= so(fd, SOL_SOCKET, SO_SNDBUF, 65536);
	e |= so(fd, SOL_SOCKET, SO_PRIORITY, 5);
	e |= so(fd, SOL_SOCKET, SO_MARK, 42);
	e |= so(fd, SOL_SOCKET, SO_KEEPALIVE, 1);
	e |= so(fd, SOL_SOCKET, SO_OOBINLINE, 1);
	e |= so(fd, SOL_SOCKET, SO_RCVLOWAT, 2);
	e |= so(fd, SOL_SOCKET, SO_REUSEADDR, 1);
	e |= so(fd, SOL_SOCKET, SO_TIMESTAMP, 1);
	e |= setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	e |= so(fd, SOL_TCP, TCP_NODELAY, 1);
	e |= so(fd, SOL_TCP, TCP_USER_TIMEOUT, 12345);
	e |= so(fd, SOL_TCP, TCP_NOTSENT_LOWAT, 100000);
	if (T.v->family == AF_INET)
		e |= so(fd, SOL_IP, IP_TOS, 0x10);
	else
		e |= so(fd, SOL_IPV6, IPV6_TCLASS, 0x10);
	snprintf(what, sizeof(what), "set options on %s", who);
	R(what, e);
}

/* Default buffer sizes of a fresh TCP socket: the tcp_wmem/tcp_rmem
 * defaults (the middle values of those sysctls).
 */
static int tcp_default_buf(const char *sysctl)
{
	char path[96];
	int lo, def = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/sys/net/ipv4/%s", sysctl);
	f = fopen(path, "r");
	if (f) {
		if (fscanf(f, "%d %d", &lo, &def) != 2)
			def = -1;
		fclose(f);
	}
	return def;
}

/* Twice net.smc.wmem or rmem, what a fresh AF_SMC socket holds. */
static int smc_default_buf(const char *sysctl)
{
	char path[96];
	int val = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/sys/net/smc/%s", sysctl);
	f = fopen(path, "r");
	if (f) {
		if (fscanf(f, "%d", &val) != 1)
			val = -1;
		fclose(f);
	}
	return val < 0 ? val : 2 * val;
}

static void sc_defaults(void)
{
	char got[64], exp[64], smc_exp[64];
	int u, l, c, s, port, snd, rcv;

	u = sut(0);
	geto(u, SOL_SOCKET, SO_SNDBUF, &snd);
	geto(u, SOL_SOCKET, SO_RCVBUF, &rcv);
	snprintf(got, sizeof(got), "%d/%d", snd, rcv);
	/*
	 * By design an unconnected AF_SMC socket starts with twice
	 * net.smc.wmem/rmem, as upstream; a TCP socket with tcp_wmem[1]
	 * and tcp_rmem[1].
	 */
	snprintf(exp, sizeof(exp), "%d/%d", tcp_default_buf("tcp_wmem"),
		 tcp_default_buf("tcp_rmem"));
	snprintf(smc_exp, sizeof(smc_exp), "%d/%d", smc_default_buf("wmem"),
		 smc_default_buf("rmem"));
	expect("fresh SO_SNDBUF/SO_RCVBUF", exp, smc_exp, got);
	l = lsn(4, &port);
	c = conn(port);
	s = acc(l);
	/* Once connected, both are TCP sockets and TCP's defaults rule. */
	rec_opts(c, "connected");
	rec_opts(s, "accepted");
	close(u);
	close(c);
	close(s);
	close(l);
}

static void sc_opts_before_connect(void)
{
	int l, c, s, port;
	char buf[2];

	l = lsn(4, &port);
	c = sut(0);
	set_opts(c, "the fresh socket");
	rec_opts(c, "before connect");
	R("connect", connp(c, port));
	s = acc(l);
	rec_opts(c, "connected");
	R("send", send(c, "ab", 2, 0));
	R("peer recv", recv_all(s, buf, 2));
	close(c);
	close(s);
	close(l);
}

static void sc_opts_listener_before(void)
{
	int l, c, s, port;

	l = sut(0);
	set_opts(l, "the listener before listen()");
	lsn_fd(l, 4, &port);
	rec_opts(l, "listener");
	c = conn(port);
	s = acc(l);
	rec_opts(s, "accepted");
	close(c);
	close(s);
	close(l);
}

static void sc_opts_listener_after(void)
{
	int l, c, s, port;

	l = lsn(4, &port);
	set_opts(l, "the listener after listen()");
	rec_opts(l, "listener");
	c = conn(port);
	s = acc(l);
	rec_opts(s, "accepted");
	close(c);
	close(s);
	close(l);
}

static void sc_v6only(void)
{
	struct sockaddr_in a4 = { .sin_family = AF_INET };
	int l, c, port;

	if (T.v->family != AF_INET6) {
		rec("IPv6 only");
		return;
	}
	l = sut(0);
	RO(l, "fresh", SOL_IPV6, IPV6_V6ONLY);
	R("IPV6_V6ONLY 1", so(l, SOL_IPV6, IPV6_V6ONLY, 1));
	RO(l, "set", SOL_IPV6, IPV6_V6ONLY);
	{
		struct sockaddr_in6 any = { .sin6_family = AF_INET6 };

		R("bind [::]:0", bind(l, SA(&any), sizeof(any)));
	}
	R("listen", listen(l, 4));
	port = lport(l);
	c = socket(AF_INET, SOCK_STREAM, 0);
	a4.sin_port = htons(port);
	inet_pton(AF_INET, "127.0.0.1", &a4.sin_addr);
	R("IPv4 connect to the v6-only listener",
	  connect(c, SA(&a4), sizeof(a4)));
	close(c);
	close(l);
	l = sut(0);
	R("IPV6_V6ONLY 1", so(l, SOL_IPV6, IPV6_V6ONLY, 1));
	{
		struct sockaddr_in6 m = { .sin6_family = AF_INET6 };

		inet_pton(AF_INET6, "::ffff:127.0.0.1", &m.sin6_addr);
		R("bind a mapped address with IPV6_V6ONLY",
		  bind(l, SA(&m), sizeof(m)));
	}
	close(l);
}

/*
 * SOL_SMC exists only on AF_SMC sockets. A TCP socket refuses it (the
 * expected difference; the exact errno is whatever a TCP socket of this
 * kernel answers, measured on a reference socket). An AF_SMC socket
 * answers until its connection falls back; then the descriptor is the TCP
 * socket (as in Linux 6.1) and refuses it like TCP. A listener stays
 * AF_SMC.
 */
static const char *smc_opt_call(int fd, int set, int optname, int val,
				int optlen)
{
	static char buf[4][32];
	static int k;
	socklen_t len = optlen;
	int v = val, rc;

	k = (k + 1) % 4;
	rc = set ? setsockopt(fd, SOL_SMC, optname, &v, optlen) :
		   getsockopt(fd, SOL_SMC, optname, &v, &len);
	if (rc)
		snprintf(buf[k], sizeof(buf[k]), "%s", en(errno));
	else if (set)
		snprintf(buf[k], sizeof(buf[k]), "0");
	else
		snprintf(buf[k], sizeof(buf[k]), "value %d", v);
	return buf[k];
}

static void sc_limit_hs(void)
{
	char tget[32], tset[32], tset2[32], tset99[32], tget99[32];
	int ref, u, l, c, s, port;

	/* what a TCP socket answers (copied: smc_opt_call's buffers rotate) */
	ref = tcps(0);
	strcpy(tget, smc_opt_call(ref, 0, SMC_LIMIT_HS, 0, 4));
	strcpy(tset, smc_opt_call(ref, 1, SMC_LIMIT_HS, 1, 4));
	strcpy(tset2, smc_opt_call(ref, 1, SMC_LIMIT_HS, 1, 2));
	strcpy(tset99, smc_opt_call(ref, 1, 99, 1, 4));
	strcpy(tget99, smc_opt_call(ref, 0, 99, 0, 4));
	rec("a TCP socket answers: get %s, set %s", tget, tset);

	u = sut(0);
	expect("fresh: get SMC_LIMIT_HS", tget, "value 0",
	       smc_opt_call(u, 0, SMC_LIMIT_HS, 0, 4));
	expect("fresh: set SMC_LIMIT_HS 1", tset, "0",
	       smc_opt_call(u, 1, SMC_LIMIT_HS, 1, 4));
	expect("fresh: get SMC_LIMIT_HS", tget, "value 1",
	       smc_opt_call(u, 0, SMC_LIMIT_HS, 0, 4));
	expect("fresh: set SMC_LIMIT_HS with optlen 2", tset2, "EINVAL",
	       smc_opt_call(u, 1, SMC_LIMIT_HS, 0, 2));
	expect("fresh: set unknown SOL_SMC option 99", tset99, "EOPNOTSUPP",
	       smc_opt_call(u, 1, 99, 1, 4));
	expect("fresh: get unknown SOL_SMC option 99", tget99, "EOPNOTSUPP",
	       smc_opt_call(u, 0, 99, 0, 4));
	expect("fresh: set SMC_LIMIT_HS 0", tset, "0",
	       smc_opt_call(u, 1, SMC_LIMIT_HS, 0, 4));
	expect("fresh: get SMC_LIMIT_HS", tget, "value 0",
	       smc_opt_call(u, 0, SMC_LIMIT_HS, 0, 4));

	l = sut(0);
	expect("listener: set SMC_LIMIT_HS 1", tset, "0",
	       smc_opt_call(l, 1, SMC_LIMIT_HS, 1, 4));
	lsn_fd(l, 4, &port);
	expect("listener: get SMC_LIMIT_HS", tget, "value 1",
	       smc_opt_call(l, 0, SMC_LIMIT_HS, 0, 4));
	c = sut(0);
	so(c, SOL_SMC, SMC_LIMIT_HS, 1);
	conn_fd(c, port);
	s = acc(l);
	/*
	 * Connected and fallen back, the descriptor is the TCP socket; over
	 * shared memory it stays the AF_SMC socket with its SOL_SMC options
	 * (the accepted one inherited the listener's).
	 */
	expect("connected: get SMC_LIMIT_HS", tget,
	       smcd_kind() ? "value 1" : tget,
	       smc_opt_call(c, 0, SMC_LIMIT_HS, 0, 4));
	expect("connected: set SMC_LIMIT_HS 1", tset,
	       smcd_kind() ? "0" : tset,
	       smc_opt_call(c, 1, SMC_LIMIT_HS, 1, 4));
	expect("accepted: get SMC_LIMIT_HS", tget,
	       smcd_kind() ? "value 1" : tget,
	       smc_opt_call(s, 0, SMC_LIMIT_HS, 0, 4));
	R("the connection works", send(c, "a", 1, 0));
	close(ref);
	close(u);
	close(c);
	close(s);
	close(l);
}

static void sc_fork(void)
{
	char buf[128], ack[4];
	int c, s, l, u, a, port, st;
	pid_t pid;

	mkpair(&c, &s);
	fflush(NULL);
	pid = fork();
	if (!pid) {
		long n;

		close(c);
		n = recv_all(s, buf, 100);
		if (n == 100 && check_pattern(buf, 100, 5))
			send(s, "ack", 3, 0);
		else
			send(s, "bad", 3, 0);
		_exit(n == 100 ? 0 : 1);
	}
	pattern(buf, 100, 5);
	R("parent send 100", send(c, buf, 100, 0));
	R("parent recv the child's answer", recv_all(c, ack, 3));
	rec("  data %s", show(ack, 3));
	waitpid(pid, &st, 0);
	rec("child exit: %d", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	R("parent send after the child closed its copies", send(c, "more", 4, 0));
	R("parent's copy of the peer receives", recv_all(s, buf, 4));
	close(c);
	close(s);

	/* created in the parent, connected by the child */
	l = lsn(4, &port);
	u = sut(0);
	fflush(NULL);
	pid = fork();
	if (!pid)
		_exit(connp(u, port) ? 1 : 0);
	waitpid(pid, &st, 0);
	rec("child connect: %s", WIFEXITED(st) && !WEXITSTATUS(st) ?
	    "succeeded" : "failed");
	rec("parent sees peer %s", name_of(u, 1));
	rec_family(u, "parent's descriptor", PH_CONN);
	a = acc(l);
	R("parent send", send(u, "hi", 2, 0));
	R("peer recv", recv_all(a, buf, 2));
	close(a);
	close(u);
	close(l);
}

static void sc_listener_close(void)
{
	char buf[8];
	int l, c[2], port, i;

	l = lsn(8, &port);
	for (i = 0; i < 2; i++)
		c[i] = conn(port);
	pspin(l, POLLIN, 2000);
	msleep(100);
	R("close the listener with 2 connections not accepted", close(l));
	for (i = 0; i < 2; i++) {
		pwait(c[i], POLLIN | POLLRDHUP, 2000);
		R("client recv", recv(c[i], buf, sizeof(buf), MSG_DONTWAIT));
		close(c[i]);
	}

	/* a connection closed by the client before accept() */
	l = lsn(8, &port);
	c[0] = conn(port);
	R("send", send(c[0], "early", 5, 0));
	R("close before accept", close(c[0]));
	c[1] = acc(l);
	msleep(20);
	R("recv on the late accepted socket", recv(c[1], buf, sizeof(buf), 0));
	R("recv again", recv(c[1], buf, sizeof(buf), 0));
	close(c[1]);
	close(l);
}

struct acceptor {
	int		fd;
	long		rc;
	int		err;
	pthread_t	th;
};

static void *acceptor_run(void *arg)
{
	struct acceptor *a = arg;

	a->rc = accept(a->fd, NULL, NULL);
	a->err = errno;
	return NULL;
}

/* Threads blocked in accept() are woken by shutdown() on the listener. */
static void sc_listener_shutdown(void)
{
	struct acceptor a;
	struct timespec ts;
	int l, c, port;

	l = lsn(4, &port);
	a = (struct acceptor){ .fd = l };
	pthread_create(&a.th, NULL, acceptor_run, &a);
	msleep(100);
	R("shutdown(SHUT_RDWR) on the listener", shutdown(l, SHUT_RDWR));
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += 1;
	if (pthread_timedjoin_np(a.th, NULL, &ts)) {
		rec("blocked accept(): still blocked after 1 s");
		pthread_kill(a.th, SIGALRM);
		pthread_join(a.th, NULL);
	} else {
		rec("blocked accept(): returned %ld %s", a.rc,
		    a.rc < 0 ? en(a.err) : "");
	}
	if (a.rc >= 0)
		close(a.rc);
	set_nonblock(l, 1);
	R("accept after shutdown", accept(l, NULL, NULL));
	c = sut(0);
	R("connect to the shut down listener", connp(c, port));
	close(c);
	close(l);
}

/* ------------------------------------------------------------------ */
/* Runner */

struct scenario {
	const char	*name;
	void		(*fn)(void);
};

static const struct scenario scenarios[] = {
	{ "SO_DOMAIN/SO_TYPE/SO_PROTOCOL through a socket's life", sc_domain },
	{ "bind: EINVAL, EADDRINUSE, EAFNOSUPPORT, EADDRNOTAVAIL, SO_REUSEADDR, TIME_WAIT", sc_bind },
	{ "SO_REUSEPORT: TCP takes it, the kernel refuses it on AF_SMC", sc_reuseport },
	{ "listen: autobind, backlog, listen on connected sockets", sc_listen },
	{ "accept and accept4(SOCK_NONBLOCK|SOCK_CLOEXEC)", sc_accept },
	{ "SO_RCVLOWAT beyond the ring: a full window is readable, a peek returns", sc_rcvlowat_full },
	{ "recv of 0 bytes: EAGAIN, a wait, 0 with data, the error", sc_recv_zero },
	{ "TCP_DEFER_ACCEPT: held back until bytes, an end or the time", sc_defer_accept },
	{ "TCP_DEFER_ACCEPT: idle clients do not fill the backlog, a new value applies", sc_defer_backlog },
	{ "blocking connect, EISCONN, ECONNREFUSED, bad addresses", sc_connect_blocking },
	{ "non-blocking connect: EINPROGRESS, POLLOUT, SO_ERROR 0, second connect", sc_connect_nonblocking },
	{ "non-blocking connect to a closed port: poll mask, SO_ERROR ECONNREFUSED", sc_connect_refused },
	{ "connect again after ECONNREFUSED", sc_connect_retry },
	{ "send/recv/shutdown after ECONNREFUSED", sc_io_after_refused },
	{ "connect(AF_UNSPEC) on fresh and connected sockets", sc_connect_unspec },
	{ "connect in progress: EALREADY, poll, EAGAIN, getpeername, TCP_INFO, ioctls", sc_connecting },
	{ "connect in progress: blocking recv honours SO_RCVTIMEO", sc_connecting_rcvtimeo },
	{ "connect in progress: SO_SNDTIMEO bounds connect and send", sc_connecting_sndtimeo },
	{ "connect in progress: blocking connect interrupted by a signal", sc_connecting_signal },
	{ "connect in progress: shutdown()", sc_connecting_shutdown },
	{ "connect in progress: SOL_SOCKET options set meanwhile hold", sc_connecting_sockopts },
	{ "getsockname/getpeername", sc_names },
	{ "shutdown(SHUT_WR): peer EOF, EPIPE with SIGPIPE vs MSG_NOSIGNAL", sc_shutdown_wr },
	{ "shutdown(SHUT_RD)", sc_shutdown_rd },
	{ "shutdown(SHUT_RDWR)", sc_shutdown_rdwr },
	{ "shutdown(SHUT_RDWR) with a byte unread, then peer data", sc_shutdown_rdwr_unread },
	{ "MSG_MORE bytes pushed to a peer that closed: EPIPE", sc_held_to_closed_peer },
	{ "a reset after the peer's FIN: EOF, then EPIPE", sc_reset_after_peer_fin },
	{ "close with bytes unread after both FINs: no reset", sc_close_unread_after_both_fins },
	{ "close: peer EOF, then reset; close with unread data resets", sc_close },
	{ "SO_LINGER: {1,0} before/after connect resets the peer, {1,1}", sc_linger },
	{ "a reset shows in SO_ERROR, and POLLERR goes once it is read", sc_reset_so_error },
	{ "shutdown() after the peer's orderly close: no error", sc_shutdown_after_peer_close },
	{ "poll: readiness through a connection's life", sc_poll },
	{ "poll: POLLOUT clears when the send buffer is full", sc_poll_write },
	{ "select: readiness through a connection's life", sc_select },
	{ "epoll level-triggered, registered before listen/connect", sc_epoll_lt },
	{ "epoll edge-triggered, registered before listen/connect", sc_epoll_et_before },
	{ "epoll edge-triggered, registered on connected sockets", sc_epoll_et_after },
	{ "epoll edge-triggered: EPOLLOUT once a full buffer is read", sc_epoll_et_space },
	{ "epoll with many sockets", sc_epoll_many },
	{ "SIGIO: O_ASYNC/F_SETOWN set before connect", sc_sigio_before },
	{ "SIGIO: O_ASYNC/F_SETOWN set after connect", sc_sigio_after },
	{ "SIGIO: F_SETSIG bands, O_ASYNC set before connect", sc_sigio_bands },
	{ "SIGIO: O_ASYNC on a listener", sc_sigio_listener },
	{ "ioctl SIOCINQ/SIOCOUTQ/SIOCOUTQNSD/SIOCATMARK", sc_ioctl },
	{ "interface ioctls (SIOCGIFADDR, SIOCGIFNETMASK) answer as on TCP", sc_if_ioctls },
	{ "MSG_PEEK, SO_PEEK_OFF, MSG_TRUNC, MSG_DONTWAIT", sc_peek },
	{ "SO_PEEK_OFF set before connect", sc_peek_off_before },
	{ "MSG_WAITALL", sc_waitall },
	{ "MSG_PEEK sees all there, waits with MSG_WAITALL or SO_RCVLOWAT", sc_peek_waitall },
	{ "poll() and SO_RCVLOWAT", sc_poll_rcvlowat },
	{ "MSG_DONTWAIT send on a full socket", sc_dontwait_send },
	{ "MSG_MORE", sc_msg_more },
	{ "TCP_CORK", sc_cork },
	{ "MSG_NOSIGNAL on a reset connection", sc_nosignal },
	{ "MSG_ERRQUEUE with an empty error queue", sc_errqueue },
	{ "bytes that came before a reset are read first", sc_unread_at_reset },
	{ "MSG_OOB, SIOCATMARK, SIGURG, SO_OOBINLINE", sc_oob },
	{ "MSG_OOB without an urgent byte, into no room; SIOCINQ and the mark", sc_oob_corners },
	{ "MSG_OOB send that only partly fits", sc_oob_partial },
	{ "a second urgent byte: the first leaves the stream or joins it", sc_oob_second },
	{ "an urgent byte before a reset or the peer's close", sc_urgent_at_reset },
	{ "urgent bytes racing the reader: none read as data at a recv()'s start", sc_urgent_race },
	{ "zero-length send", sc_empty_send },
	{ "sendfile", sc_sendfile },
	{ "splice to and from a pipe", sc_splice },
	{ "I/O on a socket never connected", sc_unconnected_io },
	{ "SO_RCVTIMEO/SO_SNDTIMEO: EAGAIN after the timeout", sc_timeouts },
	{ "SO_KEEPALIVE and TCP_KEEPIDLE/KEEPINTVL/KEEPCNT", sc_keepalive },
	{ "SO_KEEPALIVE set after connect alone makes TCP probe", sc_keepalive_probes },
	{ "SO_BINDTODEVICE lo", sc_bindtodevice },
	{ "TCP_NODELAY", sc_nodelay },
	{ "TCP_INFO", sc_tcp_info },
	{ "TCP_MAXSEG", sc_maxseg },
	{ "TCP_ULP and TCP_FASTOPEN on a connected socket", sc_ulp_connected },
	{ "TCP_ULP mptcp: refused, the socket connects", sc_ulp_mptcp },
	{ "TCP_ULP: the name checked is the name set", sc_ulp_race },
	{ "sendto(MSG_FASTOPEN): connects over TCP, poll() sees its events", sc_fastopen_sendto },
	{ "SO_RCVLOWAT set before listen and connect", sc_rcvlowat_connect },
	{ "default buffer sizes and option values", sc_defaults },
	{ "options set before connect survive the connection", sc_opts_before_connect },
	{ "options set on a listener before listen() are inherited", sc_opts_listener_before },
	{ "options set on a listener after listen() are inherited", sc_opts_listener_after },
	{ "IPV6_V6ONLY", sc_v6only },
	{ "SOL_SMC SMC_LIMIT_HS", sc_limit_hs },
	{ "fork: parent writes, child reads; child connects a shared socket", sc_fork },
	{ "two threads asleep in recv() on one socket share an answer", sc_two_sleepers },
	{ "connect(AF_UNSPEC) wakes a thread asleep in recv()", sc_unspec_wakes },
	{ "close a listener with pending connections; close before accept", sc_listener_close },
	{ "shutdown() on a listener wakes a blocked accept()", sc_listener_shutdown },
};

struct options {
	enum kind	a, b;
	unsigned int	variants;
	const char	*only;
	const char	*except;
	int		perturb;
	int		verbose;
	int		timeout;
	int		serial;		/* 1: one kind after the other */
};

static void child_signals(void)
{
	struct sigaction sa = { .sa_handler = on_sig, .sa_flags = SA_RESTART };
	sigset_t rt;

	/* Event signals restart calls as in most applications; only the
	 * guard alarm (no SA_RESTART) interrupts a blocking call.
	 */
	sigaction(SIGPIPE, &sa, NULL);
	sigaction(SIGIO, &sa, NULL);
	sigaction(SIGURG, &sa, NULL);
	sa.sa_flags = 0;
	sigaction(SIGALRM, &sa, NULL);
	sigemptyset(&rt);
	sigaddset(&rt, SIG_RT_IO);
	sigprocmask(SIG_BLOCK, &rt, NULL);
}

/* One scenario for one kind, run in a child process of its own. */
struct run {
	FILE	*f;
	pid_t	pid;
	long	start, end;	/* ms; end 0 while it runs */
	int	st;
};

static void start_one(const struct options *o, const struct scenario *sc,
		      enum kind kind, int perturb, struct run *r)
{
	int i;

	r->f = tmpfile();
	if (!r->f) {
		perror("tmpfile");
		exit(2);
	}
	fflush(NULL);
	r->start = now_ms();
	r->end = 0;
	r->st = 0;
	r->pid = fork();
	if (r->pid < 0) {
		perror("fork");
		exit(2);
	}
	if (r->pid)
		return;
	setpgid(0, 0);
	child_signals();
	T.kind = kind;
	T.dmb_sizes = o->a == K_SMCD || o->b == K_SMCD ||
		      o->a == K_INETD || o->b == K_INETD;
	T.out = r->f;
	T.perturb = perturb ? 1 : -1;
	for (i = 0; i < ARRAY_SIZE(variants); i++) {
		if (!(o->variants & (1u << i)))
			continue;
		T.v = &variants[i];
		/* Labels per variant: a port the last one used may come up
		 * again, by chance, in this one.
		 */
		nplabels = 0;
		rec("== %s", T.v->name);
		sc->fn();
	}
	fflush(r->f);
	_exit(0);
}

/* Wait for the runs to end, each within @timeout seconds of its start;
 * one that does not is killed with all it started.
 */
static void wait_runs(struct run *r, int n, int timeout)
{
	int i, left = n;

	while (left) {
		for (i = 0; i < n; i++) {
			if (r[i].end)
				continue;
			if (waitpid(r[i].pid, &r[i].st, WNOHANG) == r[i].pid) {
				r[i].end = now_ms();
				left--;
			} else if (now_ms() >= r[i].start + timeout * 1000L) {
				kill(-r[i].pid, SIGKILL);
				kill(r[i].pid, SIGKILL);
				waitpid(r[i].pid, &r[i].st, 0);
				r[i].st = -1;
				r[i].end = now_ms();
				left--;
			}
		}
		if (left)
			msleep(5);
	}
}

/* The transcript a finished run wrote, with how it ended if not well. */
static char *run_text(struct run *r, int timeout)
{
	long size;
	char *text;

	fseek(r->f, 0, SEEK_END);
	size = ftell(r->f);
	text = malloc(size + 128);
	if (!text) {
		perror("malloc");
		exit(2);
	}
	rewind(r->f);
	size = fread(text, 1, size, r->f);
	text[size] = 0;
	fclose(r->f);
	if (r->st == -1)
		sprintf(text + size, "!! no end after %d s\n", timeout);
	else if (WIFSIGNALED(r->st))
		sprintf(text + size, "!! killed by signal %d\n", WTERMSIG(r->st));
	else if (WEXITSTATUS(r->st))
		sprintf(text + size, "!! exit %d\n", WEXITSTATUS(r->st));
	return text;
}

static int split_lines(char *text, char ***lines)
{
	int n = 0, cap = 64;
	char *p, *save = NULL;

	*lines = malloc(cap * sizeof(char *));
	for (p = strtok_r(text, "\n", &save); p; p = strtok_r(NULL, "\n", &save)) {
		if (n == cap) {
			cap *= 2;
			*lines = realloc(*lines, cap * sizeof(char *));
		}
		(*lines)[n++] = p;
	}
	return n;
}

/* A line diff of the two transcripts (longest common subsequence), with
 * the section header of each change for context.
 */
static void print_diff(char **a, int na, char **b, int nb, const char *ka,
		       const char *kb)
{
	int *dp = calloc((size_t)(na + 1) * (nb + 1), sizeof(int));
	int i = 0, j = 0, shown = 0;
	const char *section = "", *printed = NULL;

#define DP(x, y) dp[(size_t)(x) * (nb + 1) + (y)]
	for (i = na - 1; i >= 0; i--)
		for (j = nb - 1; j >= 0; j--)
			DP(i, j) = !strcmp(a[i], b[j]) ? DP(i + 1, j + 1) + 1 :
				   DP(i + 1, j) > DP(i, j + 1) ? DP(i + 1, j) :
								 DP(i, j + 1);
	printf("# --- %s\n# +++ %s\n", ka, kb);
	i = j = 0;
	while ((i < na || j < nb) && shown < 60) {
		if (i < na && j < nb && !strcmp(a[i], b[j])) {
			if (!strncmp(a[i], "== ", 3))
				section = a[i];
			i++;
			j++;
			continue;
		}
		if (printed != section) {
			printf("#  %s\n", section);
			printed = section;
		}
		if (j < nb && (i == na || DP(i, j + 1) >= DP(i + 1, j)))
			printf("# +%s\n", b[j++]);
		else
			printf("# -%s\n", a[i++]);
		shown++;
	}
	if (shown == 60)
		printf("# ... (more differences)\n");
#undef DP
	free(dp);
}

static void print_transcript(const char *kind, char **l, int n)
{
	int i;

	for (i = 0; i < n; i++)
		printf("# %s| %s\n", kind, l[i]);
}

/* Whether @name contains one of the '|'-separated substrings in @p. */
static int name_matches(const char *p, const char *name)
{
	const char *bar;
	char alt[128];
	size_t len;

	for (;;) {
		bar = strchr(p, '|');
		len = bar ? (size_t)(bar - p) : strlen(p);
		if (len >= sizeof(alt))
			len = sizeof(alt) - 1;
		memcpy(alt, p, len);
		alt[len] = 0;
		if (strstr(name, alt))
			return 1;
		if (!bar)
			return 0;
		p = bar + 1;
	}
}

static int selected(const struct options *o, const char *name)
{
	if (o->except && name_matches(o->except, name))
		return 0;
	return !o->only || name_matches(o->only, name);
}

static enum kind parse_kind(const char *s)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(kind_names); i++)
		if (!strcmp(s, kind_names[i]))
			return i;
	fprintf(stderr, "unknown kind %s\n", s);
	exit(2);
}

static unsigned int parse_variants(const char *s)
{
	unsigned int m = 0;
	char *dup = strdup(s), *p, *save = NULL;
	int i;

	for (p = strtok_r(dup, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
		for (i = 0; i < ARRAY_SIZE(variants); i++)
			if (!strcmp(p, variants[i].name))
				break;
		if (i == ARRAY_SIZE(variants)) {
			fprintf(stderr, "unknown variant %s\n", p);
			exit(2);
		}
		m |= 1u << i;
	}
	free(dup);
	return m;
}

/* A scenario's time, stretched as the suite's timeouts are on slow
 * (debug) kernels.
 */
static int default_timeout(void)
{
	return 30 * timeout_scale();
}

int main(int argc, char **argv)
{
	struct options o = { .a = K_TCP, .b = K_SMC, .variants = 7,
			     .timeout = default_timeout() };
	int opt, i, n = 0, failed = 0, list = 0;

	while ((opt = getopt(argc, argv, "a:b:f:s:x:pvlt:S")) != -1) {
		switch (opt) {
		case 'a':
			o.a = parse_kind(optarg);
			break;
		case 'b':
			o.b = parse_kind(optarg);
			break;
		case 'f':
			o.variants = parse_variants(optarg);
			break;
		case 's':
			o.only = optarg;
			break;
		case 'x':
			o.except = optarg;
			break;
		case 'p':
			o.perturb = 1;
			break;
		case 'v':
			o.verbose = 1;
			break;
		case 'l':
			list = 1;
			break;
		case 't':
			o.timeout = atoi(optarg);
			break;
		case 'S':
			o.serial = 1;
			break;
		default:
			fprintf(stderr, "usage: %s [-a KIND] [-b KIND] "
				"[-f v4,v6,mapped] [-s SUBSTR] [-x SUBSTR] [-p] [-v] [-l] "
				"[-t SECONDS] [-S]\n", argv[0]);
			return 2;
		}
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGPIPE, SIG_IGN);
	for (i = 0; i < ARRAY_SIZE(scenarios); i++)
		n += selected(&o, scenarios[i].name);
	if (list) {
		for (i = 0; i < ARRAY_SIZE(scenarios); i++)
			if (selected(&o, scenarios[i].name))
				printf("%s\n", scenarios[i].name);
		return 0;
	}
	printf("TAP version 13\n1..%d\n", n);
	printf("# comparing %s (-) with %s (+)%s\n", kind_names[o.a],
	       kind_names[o.b], o.perturb ? ", perturbed" : "");
	n = 0;
	for (i = 0; i < ARRAY_SIZE(scenarios); i++) {
		const struct scenario *sc = &scenarios[i];
		struct run r[2];
		char *ta, *tb, **la, **lb;
		int na, nb, same, k;

		if (!selected(&o, sc->name))
			continue;
		n++;
		/* Both kinds at once, unless told otherwise: the scenarios
		 * spend most of their time waiting for timeouts.
		 */
		start_one(&o, sc, o.a, 0, &r[0]);
		if (o.serial)
			wait_runs(r, 1, o.timeout);
		start_one(&o, sc, o.b, o.perturb, &r[1]);
		wait_runs(r + o.serial, 2 - o.serial, o.timeout);
		ta = run_text(&r[0], o.timeout);
		tb = run_text(&r[1], o.timeout);
		na = split_lines(ta, &la);
		nb = split_lines(tb, &lb);
		same = na == nb;
		for (k = 0; same && k < na; k++)
			same = !strcmp(la[k], lb[k]) && strncmp(la[k], "!!", 2);
		printf("%sok %d - %s\n", same ? "" : "not ", n, sc->name);
		if (o.verbose)
			printf("# time: %s %ld ms, %s %ld ms\n", kind_names[o.a],
			       r[0].end - r[0].start, kind_names[o.b],
			       r[1].end - r[1].start);
		if (!same) {
			failed++;
			print_diff(la, na, lb, nb, kind_names[o.a],
				   kind_names[o.b]);
		}
		if (o.verbose) {
			print_transcript(kind_names[o.a], la, na);
			print_transcript(kind_names[o.b], lb, nb);
		}
		free(la);
		free(lb);
		free(ta);
		free(tb);
	}
	return failed ? 1 : 0;
}
