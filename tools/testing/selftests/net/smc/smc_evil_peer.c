// SPDX-License-Identifier: GPL-2.0
/*
 * smc_evil_peer - a hostile or broken SMC peer, for test_hostile.sh.
 *
 * The program speaks plain TCP but marks its sockets as SMC-capable
 * through /dev/smc_test_peer (modules/smc_test_peer.ko), so the kernel
 * sends or echoes the SMC TCP option exactly as AF_SMC would.  After the
 * TCP handshake the peer on the other side therefore expects CLC
 * messages, and this program sends it whatever a case calls for: valid
 * messages, broken ones, garbage, nothing at all.  CLC messages are built
 * byte by byte from the layouts in the protocol reference, independent of
 * smc-ng's codec.
 *
 * Roles:
 *   attack CASE  client: connect to an AF_SMC server, misbehave, report
 *                what came back (one "attack:" line)
 *   flood        client: -N connections at once, half of them sending a
 *                valid PROPOSAL and data, half of them silent
 *   bait CASE    server: take one connection from an AF_SMC client,
 *                misbehave or check what it sends (one "bait:" line)
 *   serve        AF_SMC echo server: accept loop, one "serve: accept"
 *                line per accepted connection with its path and reason
 *                from sock_diag, one "serve: done" line when it ends
 *   hold         AF_SMC listener that never calls accept()
 *   good         well-behaved AF_SMC client: send -n bytes, expect them
 *                back (one "good:" line)
 *   patient      AF_SMC client of a server that never answers its
 *                PROPOSAL (bait mute): a blocking connect() bounded by
 *                -S MS (SO_SNDTIMEO) or interrupted by a signal after
 *                -A MS; reports what connect() returned, then how the
 *                connection ended, or with -Q MS how long close() took
 *                while it still waited (one "patient:" line)
 *   devcheck     exercise the ioctl interface of /dev/smc_test_peer
 *   cases        list the attack and bait cases
 *
 * Result lines are "role: key=value ..."; the exit status is 0 when the
 * role ran (attack and bait report what they saw and leave the verdict
 * to the caller), 1 on set-up errors, or when good or devcheck fail.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <linux/smc_diag.h>

#include "modules/smc_test_peer.h"

#ifndef AF_SMC
#define AF_SMC		43
#endif
#define SMCPROTO_SMC	0
#define SMCPROTO_SMC6	1

#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#define CONNECT_RETRY_SECS	5.0
#define RX_CAP			(1u << 20)
#define SERVE_CONN_SECS		30.0

static struct {
	const char	*host;
	int		port;
	int		ipv6;
	size_t		bytes;
	double		timeout;
	int		conns;
	int		backlog;
	size_t		prefix;
	const char	*dev;
	int		sndtimeo_ms;
	int		alarm_ms;
	int		quit_ms;
	int		lport;
} cfg = {
	.port		= 12300,
	.bytes		= 16384,
	.timeout	= 12.0,
	.conns		= 48,
	.backlog	= 128,
	.dev		= "/dev/" SMC_TEST_PEER_NAME,
};

/* ------------------------------------------------------------ basics */

static void __attribute__((noreturn, format(printf, 1, 2)))
die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "smc_evil_peer: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	exit(1);
}

static void __attribute__((noreturn)) die_errno(const char *what)
{
	die("%s: %s", what, strerror(errno));
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void sleep_secs(double s)
{
	struct timespec ts;

	if (s <= 0)
		return;
	ts.tv_sec = (time_t)s;
	ts.tv_nsec = (long)((s - ts.tv_sec) * 1e9);
	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static void *xmalloc(size_t n)
{
	void *p = calloc(1, n ? n : 1);

	if (!p)
		die("out of memory");
	return p;
}

static pthread_mutex_t out_lock = PTHREAD_MUTEX_INITIALIZER;

/* One result line on stdout, never interleaved with another thread's. */
static void __attribute__((format(printf, 1, 2))) report(const char *fmt, ...)
{
	va_list ap;

	pthread_mutex_lock(&out_lock);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
	pthread_mutex_unlock(&out_lock);
}

/* The application data of a connection: position-dependent bytes. */
static void payload_fill(uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (uint8_t)(i * 131 + 7 + (i >> 8) * 17);
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, v >> 16);
	put16(p + 2, v);
}

static void put64(uint8_t *p, uint64_t v)
{
	put32(p, v >> 32);
	put32(p + 4, v);
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)get16(p) << 16 | get16(p + 2);
}

/* ------------------------------------------------- /dev/smc_test_peer */

static int dev_fd = -1;

static int peer_ioctl(unsigned long cmd, int fd, int set,
		      struct smc_test_peer_req *req)
{
	memset(req, 0, sizeof(*req));
	req->fd = fd;
	req->syn_smc = set;
	if (dev_fd < 0) {
		dev_fd = open(cfg.dev, O_RDWR | O_CLOEXEC);
		if (dev_fd < 0)
			die("%s: %s (is smc_test_peer.ko loaded?)", cfg.dev,
			    strerror(errno));
	}
	return ioctl(dev_fd, cmd, req) ? -errno : 0;
}

/* Make the SYN or SYN-ACK of @fd carry the SMC option. */
static void mark_smc(int fd)
{
	struct smc_test_peer_req req;
	int rc;

	rc = peer_ioctl(SMC_TEST_PEER_SET, fd, 1, &req);
	if (rc)
		die("SMC_TEST_PEER_SET: %s", strerror(-rc));
	if (!req.have_smc)
		die("TCP does not send the SMC option: is smc.ko loaded?");
}

/* After the TCP handshake: did the other side's SYN(-ACK) carry it too? */
static int syn_smc_of(int fd)
{
	struct smc_test_peer_req req;

	if (peer_ioctl(SMC_TEST_PEER_GET, fd, 0, &req))
		return -1;
	return req.syn_smc;
}

/* ---------------------------------------------------- CLC byte layouts */

/*
 * Header: eyecatcher, type, length (whole message), version:4 typev2:2
 * typev1:2.  Trailer: the eyecatcher again in the last four bytes.
 */
#define CLC_PROPOSAL	1
#define CLC_ACCEPT	2
#define CLC_CONFIRM	3
#define CLC_DECLINE	4

#define T_R		0	/* SMC-R */
#define T_D		1	/* SMC-D */
#define T_N		2	/* none */
#define T_B		3	/* both */

#define MAX_MSG		2048

static const uint8_t eye_r[4] = { 0xe2, 0xd4, 0xc3, 0xd9 };	/* SMCR */
static const uint8_t eye_d[4] = { 0xe2, 0xd4, 0xc3, 0xc4 };	/* SMCD */
static const uint8_t eye_bad[4] = { 0xe2, 0xd4, 0xc3, 0xe7 };	/* SMCX */

static void clc_hdr(uint8_t *m, const uint8_t *eye, uint8_t type,
		    uint16_t len, uint8_t version, uint8_t t2, uint8_t t1)
{
	memcpy(m, eye, 4);
	m[4] = type;
	put16(m + 5, len);
	m[7] = (uint8_t)(version << 4 | (t2 & 3) << 2 | (t1 & 3));
}

static void clc_trl(uint8_t *m, size_t len, const uint8_t *eye)
{
	memcpy(m + len - 4, eye, 4);
}

/* Bytes 8..39 of a proposal: system id, RoCE GID, MAC, iparea_offset. */
static void prop_local(uint8_t *m, uint16_t iparea_off)
{
	static const uint8_t sysid[8] = { 0x00, 0x00, 0x02, 0x00,
					  0x5e, 0x00, 0x53, 0x01 };
	static const uint8_t gid[16] = { 0xfe, 0x80, 0, 0, 0, 0, 0, 0,
					 0x00, 0x00, 0x5e, 0xff,
					 0xfe, 0x00, 0x53, 0x01 };
	static const uint8_t mac[6] = { 0x02, 0x00, 0x5e, 0x00, 0x53, 0x01 };

	memcpy(m + 8, sysid, 8);
	memcpy(m + 16, gid, 16);
	memcpy(m + 32, mac, 6);
	put16(m + 38, iparea_off);
}

/* IP prefix area without IPv6 prefixes: 8 bytes. */
static void prop_prefix4(uint8_t *p, uint32_t subnet, uint8_t plen)
{
	put32(p, subnet);
	p[4] = plen;
	p[7] = 0;		/* IPv6 prefix count */
}

#define LOOPBACK_NET	0x7f000000u	/* 127.0.0.0/8, what lo carries */
#define OTHER_NET	0x0a630000u	/* 10.99.0.0/16, nothing here has it */

/*
 * v1 proposal: header version 1.  SMC-R: no SMC-D area (iparea_offset 0,
 * the prefix at byte 40), 52 bytes.  SMC-D or both: the 40-byte SMC-D
 * area with the native ISM GID/CHID, iparea_offset 40, 92 bytes.
 */
static size_t prop_v1(uint8_t *m, uint8_t t1, uint32_t subnet, uint8_t plen)
{
	size_t len = t1 == T_R ? 52 : 92;
	uint8_t *prefix = m + (t1 == T_R ? 40 : 80);

	memset(m, 0, len);
	clc_hdr(m, eye_r, CLC_PROPOSAL, len, 1, 0, t1);
	prop_local(m, t1 == T_R ? 0 : 40);
	if (t1 != T_R) {
		put64(m + 40, 0x0000000100000001ull);	/* ISM GID */
		put16(m + 48, 0x0101);			/* ISM CHID */
	}
	prop_prefix4(prefix, subnet, plen);
	clc_trl(m, len, eye_r);
	return len;
}

/*
 * v2 proposal as Linux >= 5.10 builds it: base, SMC-D area, prefix area
 * (iff typev1 != N), v2 extension (iff typev2 != N: 40 bytes + 32 per
 * UEID), SMC-Dv2 extension (iff typev2 offers D: 48 bytes + 10 per
 * GID/CHID entry), trailer.
 */
static size_t prop_v2(uint8_t *m, uint8_t t2, uint8_t t1, int ueids,
		      int gids)
{
	int has_d2 = t2 == T_D || t2 == T_B;
	size_t off = 80, v2ext, len;
	int i;

	memset(m, 0, MAX_MSG);
	prop_local(m, t1 != T_N ? 40 : 0);
	if (t1 != T_N) {
		prop_prefix4(m + off, LOOPBACK_NET, 8);
		off += 8;
	}
	if (t2 != T_N) {
		v2ext = off;
		put16(m + 50, v2ext - 52);	/* from the end of that field */
		m[v2ext] = ueids;
		m[v2ext + 1] = has_d2 ? gids : 0;
		m[v2ext + 3] = 0;		/* release 0, no SEID */
		put16(m + v2ext + 6, 32 + 32 * ueids);
		/* RoCEv2 GID ::ffff:127.0.0.1 */
		m[v2ext + 8 + 10] = 0xff;
		m[v2ext + 8 + 11] = 0xff;
		put32(m + v2ext + 8 + 12, 0x7f000001);
		off += 40;
		for (i = 0; i < ueids; i++) {
			memset(m + off, ' ', 32);
			memcpy(m + off, "SMC-NG-EVIL-PEER", 16);
			m[off + 16] = '0' + i;
			off += 32;
		}
		if (has_d2) {
			off += 48;	/* SEID unused, reserved */
			for (i = 0; i < gids; i++) {
				put64(m + off, 0x0000000200000000ull + i);
				put16(m + off + 8, 0x0200 + i);
				off += 10;
			}
		}
	}
	len = off + 4;
	clc_hdr(m, eye_r, CLC_PROPOSAL, len, 2, t2, t1);
	clc_trl(m, len, eye_r);
	return len;
}

/* DECLINE: 28 bytes in v1, 44 bytes in v2 (OS type Linux, 4 more words). */
static size_t decline(uint8_t *m, int version, uint32_t diag)
{
	size_t len = version == 1 ? 28 : 44;

	memset(m, 0, len);
	clc_hdr(m, eye_r, CLC_DECLINE, len, version, 0, 0);
	put32(m + 16, diag);
	if (version >= 2)
		m[20] = 2 << 4;
	clc_trl(m, len, eye_r);
	return len;
}

/* SMC-R v1 ACCEPT or CONFIRM with first contact: 68 bytes. */
static size_t acc_conf_v1(uint8_t *m, uint8_t type)
{
	memset(m, 0, 68);
	clc_hdr(m, eye_r, type, 68, 1, 2, T_R);	/* typev2 bit 3: first contact */
	prop_local(m, 0);
	m[38] = 0;				/* QP number 0x000101 */
	m[39] = 1;
	m[40] = 1;
	put32(m + 41, 0x1234);			/* rkey */
	m[45] = 1;				/* RMBE index */
	put32(m + 46, 0x5678);			/* RMBE token */
	m[50] = 0x25;				/* 64 KiB, MTU 4096 */
	put64(m + 52, 0x100000);		/* RMB address */
	clc_trl(m, 68, eye_r);
	return 68;
}

/* ------------------------------------------------------------- cases */

enum after {
	A_HOLD,		/* keep the connection open and watch */
	A_SHUT,		/* shutdown(SHUT_WR), then watch until the end */
	A_CLOSE,	/* close() right away */
	A_RST,		/* abort with SO_LINGER 0 (RST) right away */
};

struct attack {
	const char	*name;
	const char	*what;
	size_t		(*build)(uint8_t *m);	/* NULL: no CLC bytes */
	size_t		cut;		/* send only this many CLC bytes */
	int		data;		/* application data follows */
	size_t		pace;		/* CLC bytes per step, 0 = at once */
	double		pace_secs;	/* pause between steps */
	enum after	after;
};

static size_t b_prop_v1_r(uint8_t *m)
{
	return prop_v1(m, T_R, LOOPBACK_NET, 8);
}

static size_t b_prop_v1_d(uint8_t *m)
{
	return prop_v1(m, T_D, LOOPBACK_NET, 8);
}

static size_t b_prop_v1_b(uint8_t *m)
{
	return prop_v1(m, T_B, LOOPBACK_NET, 8);
}

static size_t b_prop_v1_prefix(uint8_t *m)
{
	return prop_v1(m, T_R, OTHER_NET, 16);
}

static size_t b_prop_v1_eye_d(uint8_t *m)
{
	size_t len = b_prop_v1_r(m);

	memcpy(m, eye_d, 4);
	clc_trl(m, len, eye_d);
	return len;
}

static size_t b_prop_v2_r1(uint8_t *m)
{
	return prop_v2(m, T_N, T_R, 0, 0);
}

static size_t b_prop_v2_d(uint8_t *m)
{
	return prop_v2(m, T_D, T_N, 1, 2);
}

static size_t b_prop_v2_r(uint8_t *m)
{
	return prop_v2(m, T_R, T_N, 1, 0);
}

static size_t b_prop_v2_r_noueid(uint8_t *m)
{
	return prop_v2(m, T_R, T_N, 0, 0);
}

static size_t b_decl_v1(uint8_t *m)
{
	return decline(m, 1, 0x03030000);
}

static size_t b_decl_v2(uint8_t *m)
{
	return decline(m, 2, 0x03030008);
}

static size_t b_decl_trailer(uint8_t *m)
{
	size_t len = decline(m, 1, 0x03030000);

	memcpy(m + len - 4, "XXXX", 4);
	return len;
}

static size_t b_garbage(uint8_t *m)
{
	static const char req[] = "GET / HTTP/1.1\r\nHost: smc\r\n\r\n";

	memcpy(m, req, sizeof(req) - 1);
	return sizeof(req) - 1;
}

static size_t b_bad_eye(uint8_t *m)
{
	size_t len = b_prop_v1_r(m);

	memcpy(m, eye_bad, 4);
	return len;
}

static size_t b_bad_version(uint8_t *m)
{
	size_t len = b_prop_v1_r(m);

	m[7] &= 0x0f;
	return len;
}

static size_t b_type_accept(uint8_t *m)
{
	return acc_conf_v1(m, CLC_ACCEPT);
}

static size_t b_type_confirm(uint8_t *m)
{
	return acc_conf_v1(m, CLC_CONFIRM);
}

static size_t b_type_unknown(uint8_t *m)
{
	size_t len = decline(m, 1, 0x03030000);

	m[4] = 5;
	return len;
}

static size_t b_type_zero(uint8_t *m)
{
	size_t len = b_prop_v1_r(m);

	m[4] = 0;
	return len;
}

/* Length field 0xffff, followed by 1000 bytes of a plausible body. */
static size_t b_prop_oversize(uint8_t *m)
{
	b_prop_v1_r(m);
	put16(m + 5, 0xffff);
	memset(m + 52, 0, 1000 - 52);
	return 1000;
}

static size_t b_prop_undersize(uint8_t *m)
{
	size_t len = b_prop_v1_r(m);

	put16(m + 5, 8);
	return len;
}

static size_t b_len_zero(uint8_t *m)
{
	size_t len = b_prop_v1_r(m);

	put16(m + 5, 0);
	return len;
}

/* v1: 17 bytes more than the prefix area announces (no IPv6 prefix). */
static size_t b_prop_v1_len(uint8_t *m)
{
	size_t len = b_prop_v1_r(m) + 17;

	memset(m + 48, 0, 17);
	put16(m + 5, len);
	clc_trl(m, len, eye_r);
	return len;
}

/* v2: 4 bytes more than the sum of the areas. */
static size_t b_prop_v2_len(uint8_t *m)
{
	size_t len = b_prop_v2_r1(m) + 4;

	memset(m + len - 8, 0, 4);
	put16(m + 5, len);
	clc_trl(m, len, eye_r);
	return len;
}

static size_t b_prop_trailer(uint8_t *m)
{
	size_t len = b_prop_v1_r(m);

	memcpy(m + len - 4, "XXXX", 4);
	return len;
}

/* v1 DECLINE in the 44-byte v2 size, and the other way round. */
static size_t b_decl_v1_len44(uint8_t *m)
{
	uint8_t v2[44];

	decline(v2, 2, 0x03030000);
	memcpy(m, v2, 44);
	m[7] = 1 << 4;
	return 44;
}

static size_t b_decl_v2_len28(uint8_t *m)
{
	size_t len = decline(m, 1, 0x03030000);

	m[7] = 2 << 4;
	return len;
}

static size_t b_decl_oversize(uint8_t *m)
{
	decline(m, 1, 0x03030000);
	put16(m + 5, 1000);
	memset(m + 28, 0, 1000 - 28);
	clc_trl(m, 1000, eye_r);
	return 1000;
}

static const struct attack attacks[] = {
	/* a DECLINE first: fall back, the peer's diagnosis recorded */
	{ "decl-v1", "v1 DECLINE (NOSMCDEV), then data",
	  b_decl_v1, 0, 1, 0, 0, A_SHUT },
	{ "decl-v2", "v2 DECLINE (NOUEID), then data",
	  b_decl_v2, 0, 1, 0, 0, A_SHUT },
	{ "decl-trailer", "v1 DECLINE with a bad trailer (unchecked), then data",
	  b_decl_trailer, 0, 1, 0, 0, A_SHUT },
	{ "decl-split", "v1 DECLINE in 10-byte pieces 0.3 s apart, then data",
	  b_decl_v1, 0, 1, 10, 0.3, A_SHUT },
	/* a valid PROPOSAL: DECLINE with the server's reason, fall back */
	{ "prop-v1-r", "v1 PROPOSAL SMC-R, then data",
	  b_prop_v1_r, 0, 1, 0, 0, A_SHUT },
	{ "prop-v1-d", "v1 PROPOSAL SMC-D, then data",
	  b_prop_v1_d, 0, 1, 0, 0, A_SHUT },
	{ "prop-v1-b", "v1 PROPOSAL SMC-R and SMC-D, then data",
	  b_prop_v1_b, 0, 1, 0, 0, A_SHUT },
	{ "prop-v1-prefix", "v1 PROPOSAL SMC-R from another subnet, then data",
	  b_prop_v1_prefix, 0, 1, 0, 0, A_SHUT },
	{ "prop-v1-eye-d", "v1 PROPOSAL with SMC-D eyecatchers, then data",
	  b_prop_v1_eye_d, 0, 1, 0, 0, A_SHUT },
	{ "prop-v2-r1", "v2 PROPOSAL offering SMC-R v1 only, then data",
	  b_prop_v2_r1, 0, 1, 0, 0, A_SHUT },
	{ "prop-v2-d", "v2 PROPOSAL offering SMC-D v2 (1 UEID, 2 GIDs), then data",
	  b_prop_v2_d, 0, 1, 0, 0, A_SHUT },
	{ "prop-v2-r", "v2 PROPOSAL offering SMC-R v2 (1 UEID), then data",
	  b_prop_v2_r, 0, 1, 0, 0, A_SHUT },
	{ "prop-v2-r-noueid", "v2 PROPOSAL offering SMC-R v2 without UEID, then data",
	  b_prop_v2_r_noueid, 0, 1, 0, 0, A_SHUT },
	{ "prop-split", "v1 PROPOSAL in 10-byte pieces 0.3 s apart, then data",
	  b_prop_v1_r, 0, 1, 10, 0.3, A_SHUT },
	/* malformed: the connection fails at once, no fallback */
	{ "garbage", "an HTTP request instead of CLC",
	  b_garbage, 0, 0, 0, 0, A_HOLD },
	{ "bad-eye", "PROPOSAL with eyecatcher SMCX",
	  b_bad_eye, 0, 0, 0, 0, A_HOLD },
	{ "bad-version", "PROPOSAL with version 0",
	  b_bad_version, 0, 0, 0, 0, A_HOLD },
	{ "type-accept", "ACCEPT instead of PROPOSAL",
	  b_type_accept, 0, 0, 0, 0, A_HOLD },
	{ "type-confirm", "CONFIRM instead of PROPOSAL",
	  b_type_confirm, 0, 0, 0, 0, A_HOLD },
	{ "type-unknown", "message type 5",
	  b_type_unknown, 0, 0, 0, 0, A_HOLD },
	{ "type-zero", "message type 0",
	  b_type_zero, 0, 0, 0, 0, A_HOLD },
	{ "prop-oversize", "PROPOSAL with length 65535 (1000 bytes sent)",
	  b_prop_oversize, 0, 0, 0, 0, A_HOLD },
	{ "prop-undersize", "PROPOSAL with length 8",
	  b_prop_undersize, 0, 0, 0, 0, A_HOLD },
	{ "len-zero", "PROPOSAL with length 0",
	  b_len_zero, 0, 0, 0, 0, A_HOLD },
	{ "prop-v1-len", "v1 PROPOSAL 17 bytes longer than its areas",
	  b_prop_v1_len, 0, 0, 0, 0, A_HOLD },
	{ "prop-v2-len", "v2 PROPOSAL 4 bytes longer than its areas",
	  b_prop_v2_len, 0, 0, 0, 0, A_HOLD },
	{ "prop-trailer", "v1 PROPOSAL with a bad trailer",
	  b_prop_trailer, 0, 0, 0, 0, A_HOLD },
	{ "decl-v1-len44", "v1 DECLINE with the v2 length 44",
	  b_decl_v1_len44, 0, 0, 0, 0, A_HOLD },
	{ "decl-v2-len28", "v2 DECLINE with the v1 length 28",
	  b_decl_v2_len28, 0, 0, 0, 0, A_HOLD },
	{ "decl-oversize", "DECLINE with length 1000",
	  b_decl_oversize, 0, 0, 0, 0, A_HOLD },
	/* truncated and closed for writing: fails at once */
	{ "short-shut", "20 bytes of a PROPOSAL, then FIN",
	  b_prop_v1_r, 20, 0, 0, 0, A_SHUT },
	{ "hdr-shut", "5 bytes of a PROPOSAL header, then FIN",
	  b_prop_v1_r, 5, 0, 0, 0, A_SHUT },
	/* stalled: dropped when the CLC timer (6 s) expires */
	{ "stall", "nothing at all",
	  NULL, 0, 0, 0, 0, A_HOLD },
	{ "short-stall", "20 bytes of a PROPOSAL, then nothing",
	  b_prop_v1_r, 20, 0, 0, 0, A_HOLD },
	{ "hdr-stall", "5 bytes of a PROPOSAL header, then nothing",
	  b_prop_v1_r, 5, 0, 0, 0, A_HOLD },
	{ "trickle", "a PROPOSAL one byte every 0.4 s (21 s in all)",
	  b_prop_v1_r, 0, 0, 1, 0.4, A_HOLD },
	/* the peer leaves mid-handshake */
	{ "close", "close() right after connecting",
	  NULL, 0, 0, 0, 0, A_CLOSE },
	{ "rst", "RST right after connecting",
	  NULL, 0, 0, 0, 0, A_RST },
	{ "short-rst", "20 bytes of a PROPOSAL, then RST",
	  b_prop_v1_r, 20, 0, 0, 0, A_RST },
	{ "short-close", "20 bytes of a PROPOSAL, then close()",
	  b_prop_v1_r, 20, 0, 0, 0, A_CLOSE },
};

struct bait {
	const char	*name;
	const char	*what;
};

static const struct bait baits[] = {
	{ "decline", "check the client's first bytes: a 28-byte v1 DECLINE, NOSMCDEV; then echo" },
	{ "garbage", "send 100 bytes of garbage first, then as decline" },
	{ "accept", "send an SMC-R v1 ACCEPT first, then as decline" },
	{ "close", "close() right after accepting" },
	{ "rst", "RST right after accepting" },
	{ "mute", "take the client's PROPOSAL, never answer, wait for its end" },
	{ "mute-rst", "take the client's PROPOSAL, never answer, RST 0.5 s later" },
	{ "decline-rst", "take the client's PROPOSAL for 0.5 s, then a DECLINE and RST at once" },
};

/* The CLC bytes an attack case sends, in hex (to check them elsewhere). */
static void dump_case(const char *name)
{
	uint8_t m[MAX_MSG];
	size_t i, len = 0;

	for (i = 0; i < ARRAY_SIZE(attacks); i++) {
		if (strcmp(attacks[i].name, name))
			continue;
		if (attacks[i].build)
			len = attacks[i].build(m);
		if (attacks[i].cut && attacks[i].cut < len)
			len = attacks[i].cut;
		for (i = 0; i < len; i++)
			printf("%02x", m[i]);
		printf("\n");
		return;
	}
	die("unknown attack case %s", name);
}

static void list_cases(void)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(attacks); i++)
		printf("attack %-18s %s\n", attacks[i].name, attacks[i].what);
	for (i = 0; i < ARRAY_SIZE(baits); i++)
		printf("bait   %-18s %s\n", baits[i].name, baits[i].what);
}

/* ----------------------------------------------------------- sockets */

static socklen_t make_addr(struct sockaddr_storage *ss, const char *host)
{
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;
	struct sockaddr_in *sin = (struct sockaddr_in *)ss;

	memset(ss, 0, sizeof(*ss));
	if (cfg.ipv6) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(cfg.port);
		if (!host)
			sin6->sin6_addr = in6addr_any;
		else if (inet_pton(AF_INET6, host, &sin6->sin6_addr) != 1)
			die("bad IPv6 address %s", host);
		return sizeof(*sin6);
	}
	sin->sin_family = AF_INET;
	sin->sin_port = htons(cfg.port);
	if (!host)
		sin->sin_addr.s_addr = htonl(INADDR_ANY);
	else if (inet_pton(AF_INET, host, &sin->sin_addr) != 1)
		die("bad IPv4 address %s", host);
	return sizeof(*sin);
}

static const char *default_host(void)
{
	return cfg.host ? cfg.host : cfg.ipv6 ? "::1" : "127.0.0.1";
}

static int sock_port(int fd, int peer)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	int rc;

	rc = peer ? getpeername(fd, (struct sockaddr *)&ss, &len) :
		    getsockname(fd, (struct sockaddr *)&ss, &len);
	if (rc)
		return -1;
	if (ss.ss_family == AF_INET6)
		return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
	return ntohs(((struct sockaddr_in *)&ss)->sin_port);
}

/*
 * Connect a TCP socket marked SMC-capable (@smc_af 0) or an AF_SMC
 * socket (@smc_af 1), retrying while nobody listens yet.
 */
/* -L: a fixed local port (the test reserves a range for it), so that no
 * later connection can reuse a port the test still checks.
 */
static void bind_local_port(int fd, int family)
{
	struct sockaddr_storage ls = {};
	struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)&ls;
	struct sockaddr_in *a4 = (struct sockaddr_in *)&ls;
	socklen_t len = sizeof(*a4);
	int one = 1;

	if (family == AF_INET6) {
		a6->sin6_family = AF_INET6;
		a6->sin6_port = htons(cfg.lport);
		len = sizeof(*a6);
	} else {
		a4->sin_family = AF_INET;
		a4->sin_port = htons(cfg.lport);
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&ls, len))
		die_errno("bind to the local port");
}

static int connect_to(int smc_af, double *connect_secs)
{
	struct sockaddr_storage ss;
	socklen_t len = make_addr(&ss, default_host());
	double deadline = now() + CONNECT_RETRY_SECS, t0;
	int fd, err;

	for (;;) {
		if (smc_af)
			fd = socket(AF_SMC, SOCK_STREAM | SOCK_CLOEXEC,
				    cfg.ipv6 ? SMCPROTO_SMC6 : SMCPROTO_SMC);
		else
			fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC,
				    IPPROTO_TCP);
		if (fd < 0)
			die_errno("socket");
		if (cfg.lport)
			bind_local_port(fd, ss.ss_family);
		if (!smc_af)
			mark_smc(fd);
		t0 = now();
		if (!connect(fd, (struct sockaddr *)&ss, len))
			break;
		err = errno;
		close(fd);
		if (err != ECONNREFUSED || now() > deadline)
			die("connect to %s port %d: %s", default_host(),
			    cfg.port, strerror(err));
		sleep_secs(0.1);
	}
	if (connect_secs)
		*connect_secs = now() - t0;
	return fd;
}

static int listen_on(int smc_af)
{
	struct sockaddr_storage ss;
	socklen_t len = make_addr(&ss, NULL);
	int fd, one = 1;

	if (smc_af)
		fd = socket(AF_SMC, SOCK_STREAM | SOCK_CLOEXEC,
			    cfg.ipv6 ? SMCPROTO_SMC6 : SMCPROTO_SMC);
	else
		fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC,
			    IPPROTO_TCP);
	if (fd < 0)
		die_errno("socket");
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)))
		die_errno("SO_REUSEADDR");
	if (bind(fd, (struct sockaddr *)&ss, len))
		die_errno("bind");
	if (!smc_af)
		mark_smc(fd);
	if (listen(fd, cfg.backlog))
		die_errno("listen");
	return fd;
}

static void abort_rst(int fd)
{
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };

	if (setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)))
		die_errno("SO_LINGER");
	close(fd);
}

static void set_nonblock(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK))
		die_errno("fcntl");
}

/* ---------------------------------------------------------- transfer */

enum end { END_NONE, END_EOF, END_RST, END_TIMEOUT, END_ERROR };

static const char *const end_names[] = {
	"open", "eof", "rst", "timeout", "error",
};

/*
 * Send @tx (the first @pace_len bytes @pace at a time, @pace_secs apart),
 * optionally shut down writing after it, and collect whatever arrives,
 * until the peer ends the connection or the deadline passes.
 */
struct xfer {
	const uint8_t	*tx;
	size_t		txlen;
	size_t		pace_len;
	size_t		pace;
	double		pace_secs;
	int		shut;
	uint8_t		*rx;
	size_t		rxlen;
	size_t		rxcap;
	enum end	end;
	int		err;
	double		secs;	/* until the end, from the start */
};

static void xfer_run(int fd, struct xfer *x, double deadline)
{
	double start = now(), next = start, t;
	size_t txoff = 0, chunk;
	int shut_done = 0;
	uint8_t sink[4096];
	ssize_t n;

	set_nonblock(fd);
	x->end = END_NONE;
	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		int want_tx = txoff < x->txlen && now() >= next;
		int ms;

		if (txoff == x->txlen && x->shut && !shut_done) {
			if (shutdown(fd, SHUT_WR) && errno != ENOTCONN) {
				x->err = errno;
				x->end = END_ERROR;
				break;
			}
			shut_done = 1;
		}
		if (want_tx)
			p.events |= POLLOUT;
		t = deadline;
		if (txoff < x->txlen && !want_tx && next < t)
			t = next;
		ms = (int)((t - now()) * 1000) + 1;
		if (now() >= deadline) {
			x->end = END_TIMEOUT;
			break;
		}
		if (poll(&p, 1, ms) < 0) {
			if (errno == EINTR)
				continue;
			die_errno("poll");
		}
		if (p.revents & POLLOUT) {
			chunk = x->txlen - txoff;
			if (txoff < x->pace_len && x->pace) {
				chunk = x->pace;
				if (chunk > x->pace_len - txoff)
					chunk = x->pace_len - txoff;
			}
			n = send(fd, x->tx + txoff, chunk, MSG_NOSIGNAL);
			if (n > 0) {
				txoff += n;
				if (txoff < x->pace_len && x->pace)
					next = now() + x->pace_secs;
			} else if (n < 0 && errno != EAGAIN) {
				x->err = errno;
				x->end = errno == ECONNRESET || errno == EPIPE ?
					 END_RST : END_ERROR;
				break;
			}
		}
		if (!(p.revents & (POLLIN | POLLHUP | POLLERR)))
			continue;
		if (x->rxlen < x->rxcap)
			n = recv(fd, x->rx + x->rxlen, x->rxcap - x->rxlen, 0);
		else
			n = recv(fd, sink, sizeof(sink), 0);
		if (n > 0) {
			if (x->rxlen < x->rxcap)
				x->rxlen += n;
			continue;
		}
		if (n == 0) {
			x->end = END_EOF;
			break;
		}
		if (errno == EAGAIN || errno == EINTR)
			continue;
		x->err = errno;
		x->end = errno == ECONNRESET ? END_RST : END_ERROR;
		break;
	}
	x->secs = now() - start;
}

/*
 * What came back: a leading DECLINE if there is one (checked byte for
 * byte against what Linux sends for its version and reason), then the
 * echo of @data.
 */
static void describe_rx(const uint8_t *rx, size_t rxlen, const uint8_t *data,
			size_t datalen, char *clc, size_t clcsz,
			const char **echo)
{
	uint8_t want[44];
	size_t dlen = 0;
	int version;

	snprintf(clc, clcsz, "none");
	if (rxlen >= 8 && (!memcmp(rx, eye_r, 4) || !memcmp(rx, eye_d, 4))) {
		dlen = get16(rx + 5);
		version = rx[7] >> 4;
		if (rx[4] != CLC_DECLINE) {
			snprintf(clc, clcsz, "type%u", rx[4]);
			dlen = rxlen;
		} else if ((dlen != 28 && dlen != 44) || rxlen < dlen) {
			snprintf(clc, clcsz, "decline-len%zu", dlen);
			dlen = rxlen;
		} else {
			decline(want, dlen == 28 ? 1 : 2, get32(rx + 16));
			snprintf(clc, clcsz, "decline-v%d-0x%08x%s", version,
				 get32(rx + 16),
				 memcmp(rx, want, dlen) ? "-unlike-linux" : "");
		}
	}
	rx += dlen;
	rxlen -= dlen;
	if (!rxlen)
		*echo = "none";
	else if (rxlen == datalen && !memcmp(rx, data, datalen))
		*echo = "ok";
	else if (rxlen < datalen && !memcmp(rx, data, rxlen))
		*echo = "short";
	else
		*echo = "bad";
}

/* ------------------------------------------------------------ attack */

static void run_attack(const char *name)
{
	const struct attack *a = NULL;
	size_t i, clclen = 0, txlen;
	uint8_t *tx, *data;
	struct xfer x = {};
	const char *echo;
	char clc[64];
	int fd, lport, echoed;

	for (i = 0; i < ARRAY_SIZE(attacks); i++)
		if (!strcmp(attacks[i].name, name))
			a = &attacks[i];
	if (!a)
		die("unknown attack case %s (see: smc_evil_peer cases)", name);

	tx = xmalloc(MAX_MSG + cfg.bytes);
	if (a->build)
		clclen = a->build(tx);
	if (a->cut && a->cut < clclen)
		clclen = a->cut;
	data = tx + clclen;
	txlen = clclen;
	if (a->data) {
		payload_fill(data, cfg.bytes);
		txlen += cfg.bytes;
	}

	fd = connect_to(0, NULL);
	lport = sock_port(fd, 0);
	echoed = syn_smc_of(fd);

	if (a->after == A_CLOSE || a->after == A_RST) {
		if (txlen && send(fd, tx, txlen, MSG_NOSIGNAL) != (ssize_t)txlen)
			die_errno("send");
		if (txlen)
			sleep_secs(0.2);	/* let the server take them in */
		if (a->after == A_RST)
			abort_rst(fd);
		else
			close(fd);
		report("attack: case=%s lport=%d echoed=%d clc=none rx=0 echo=none end=self secs=0",
		       a->name, lport, echoed);
		free(tx);
		return;
	}

	x.tx = tx;
	x.txlen = txlen;
	x.pace_len = clclen;
	x.pace = a->pace;
	x.pace_secs = a->pace_secs;
	x.shut = a->after == A_SHUT;
	x.rxcap = RX_CAP;
	x.rx = xmalloc(x.rxcap);
	xfer_run(fd, &x, now() + cfg.timeout);
	describe_rx(x.rx, x.rxlen, data, a->data ? cfg.bytes : 0, clc,
		    sizeof(clc), &echo);
	report("attack: case=%s lport=%d echoed=%d clc=%s rx=%zu echo=%s end=%s err=%s secs=%.3f",
	       a->name, lport, echoed, clc, x.rxlen, echo, end_names[x.end],
	       x.err ? strerrorname_np(x.err) : "none", x.secs);
	close(fd);
	free(x.rx);
	free(tx);
}

/* ------------------------------------------------------------- flood */

struct flood_conn {
	int		idx;
	int		proposal;	/* else silent */
	pthread_t	thread;
	int		ok;
	double		secs;
};

static pthread_barrier_t flood_start;

static void *flood_thread(void *arg)
{
	struct flood_conn *c = arg;
	struct xfer x = {};
	const char *echo;
	size_t clclen = 0;
	uint8_t *tx;
	char clc[64];
	int fd, lport;

	tx = xmalloc(MAX_MSG + cfg.bytes);
	if (c->proposal)
		clclen = b_prop_v1_r(tx);
	payload_fill(tx + clclen, cfg.bytes);
	pthread_barrier_wait(&flood_start);

	fd = connect_to(0, NULL);
	lport = sock_port(fd, 0);
	x.tx = tx;
	x.txlen = c->proposal ? clclen + cfg.bytes : 0;
	x.shut = c->proposal;
	x.rxcap = RX_CAP;
	x.rx = xmalloc(x.rxcap);
	xfer_run(fd, &x, now() + cfg.timeout);
	describe_rx(x.rx, x.rxlen, tx + clclen, c->proposal ? cfg.bytes : 0,
		    clc, sizeof(clc), &echo);
	c->secs = x.secs;
	if (c->proposal)
		c->ok = x.end == END_EOF && !strcmp(echo, "ok") &&
			!strncmp(clc, "decline-v1-", 11);
	else
		c->ok = (x.end == END_EOF || x.end == END_RST) && !x.rxlen;
	report("flood-conn: idx=%d kind=%s lport=%d clc=%s rx=%zu echo=%s end=%s secs=%.3f ok=%d",
	       c->idx, c->proposal ? "proposal" : "silent", lport, clc,
	       x.rxlen, echo, end_names[x.end], x.secs, c->ok);
	close(fd);
	free(x.rx);
	free(tx);
	return NULL;
}

static void run_flood(void)
{
	struct flood_conn *c = xmalloc(sizeof(*c) * cfg.conns);
	int i, err, prop = 0, prop_ok = 0, silent = 0, silent_ok = 0;
	double t0 = now(), smin = 1e9, smax = 0;

	pthread_barrier_init(&flood_start, NULL, cfg.conns);
	for (i = 0; i < cfg.conns; i++) {
		c[i].idx = i;
		c[i].proposal = !(i & 1);
		err = pthread_create(&c[i].thread, NULL, flood_thread, &c[i]);
		if (err)
			die("pthread_create: %s", strerror(err));
	}
	for (i = 0; i < cfg.conns; i++) {
		pthread_join(c[i].thread, NULL);
		if (c[i].proposal) {
			prop++;
			prop_ok += c[i].ok;
			continue;
		}
		silent++;
		silent_ok += c[i].ok;
		if (c[i].secs < smin)
			smin = c[i].secs;
		if (c[i].secs > smax)
			smax = c[i].secs;
	}
	report("flood: conns=%d proposals=%d proposals_ok=%d silent=%d silent_dropped=%d drop_min=%.3f drop_max=%.3f secs=%.3f",
	       cfg.conns, prop, prop_ok, silent, silent_ok,
	       silent ? smin : 0, smax, now() - t0);
	free(c);
}

/* -------------------------------------------------------------- bait */

/* Read exactly @n bytes unless the peer ends first or time runs out. */
static size_t read_exact(int fd, uint8_t *buf, size_t n, double deadline,
			 enum end *end)
{
	size_t got = 0;
	ssize_t r;

	*end = END_NONE;
	while (got < n) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		int ms = (int)((deadline - now()) * 1000);

		if (ms <= 0) {
			*end = END_TIMEOUT;
			break;
		}
		if (poll(&p, 1, ms) < 0) {
			if (errno == EINTR)
				continue;
			die_errno("poll");
		}
		if (!p.revents)
			continue;
		r = recv(fd, buf + got, n - got, MSG_DONTWAIT);
		if (r > 0) {
			got += r;
		} else if (!r) {
			*end = END_EOF;
			break;
		} else if (errno != EAGAIN && errno != EINTR) {
			*end = errno == ECONNRESET ? END_RST : END_ERROR;
			break;
		}
	}
	return got;
}

/* Take whatever comes, answer nothing, until the peer ends or time runs
 * out; returns how it ended.
 */
static enum end drain(int fd, double deadline, size_t *rx)
{
	uint8_t buf[4096];
	enum end end = END_NONE;

	while (end == END_NONE)
		*rx += read_exact(fd, buf, sizeof(buf), deadline, &end);
	return end;
}

/* Echo everything until EOF; returns how the stream ended. */
static enum end echo_all(int fd, double deadline, size_t *rx, size_t *tx)
{
	uint8_t buf[16384];
	size_t off, len;
	ssize_t r;

	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		int ms = (int)((deadline - now()) * 1000);

		if (ms <= 0)
			return END_TIMEOUT;
		if (poll(&p, 1, ms) < 0) {
			if (errno == EINTR)
				continue;
			die_errno("poll");
		}
		if (!p.revents)
			continue;
		r = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (!r)
			return END_EOF;
		if (r < 0) {
			if (errno == EAGAIN || errno == EINTR)
				continue;
			return errno == ECONNRESET ? END_RST : END_ERROR;
		}
		*rx += r;
		len = r;
		for (off = 0; off < len; off += r) {
			r = send(fd, buf + off, len - off, MSG_NOSIGNAL);
			if (r < 0) {
				if (errno == EAGAIN || errno == EINTR) {
					r = 0;
					continue;
				}
				return errno == ECONNRESET || errno == EPIPE ?
				       END_RST : END_ERROR;
			}
			*tx += r;
		}
	}
}

static void hex(char *out, const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", p[i]);
	out[2 * n] = 0;
}

static void run_bait(const char *name)
{
	uint8_t first[28], want[28], pre[MAX_MSG];
	double deadline = now() + cfg.timeout;
	char first_hex[2 * sizeof(first) + 1];
	size_t i, got, rx = 0, tx = 0, prelen = 0;
	const char *verdict = "none";
	enum end end = END_NONE;
	int lfd, fd, echoed, rport;

	for (i = 0; i < ARRAY_SIZE(baits); i++)
		if (!strcmp(baits[i].name, name))
			break;
	if (i == ARRAY_SIZE(baits))
		die("unknown bait case %s (see: smc_evil_peer cases)", name);

	lfd = listen_on(0);
	report("bait: listening port=%d", cfg.port);
	fd = accept(lfd, NULL, NULL);
	if (fd < 0)
		die_errno("accept");
	close(lfd);
	echoed = syn_smc_of(fd);
	rport = sock_port(fd, 1);

	if (!strcmp(name, "close") || !strcmp(name, "rst")) {
		if (!strcmp(name, "rst"))
			abort_rst(fd);
		else
			close(fd);
		report("bait: case=%s rport=%d echoed=%d first=none decline=none rx=0 tx=0 end=self",
		       name, rport, echoed);
		return;
	}
	if (!strcmp(name, "mute")) {
		end = drain(fd, deadline, &rx);
		report("bait: case=%s rport=%d echoed=%d rx=%zu end=%s",
		       name, rport, echoed, rx, end_names[end]);
		close(fd);
		return;
	}
	if (!strcmp(name, "mute-rst")) {
		end = drain(fd, now() + 0.5, &rx);
		abort_rst(fd);
		report("bait: case=%s rport=%d echoed=%d rx=%zu end=%s",
		       name, rport, echoed, rx, end_names[end]);
		return;
	}
	if (!strcmp(name, "decline-rst")) {
		ssize_t sent;

		/* Both at once: the client's TCP has them before it reads. */
		end = drain(fd, now() + 0.5, &rx);
		prelen = decline(pre, 1, 0x03030000);
		sent = send(fd, pre, prelen, MSG_NOSIGNAL);
		abort_rst(fd);
		report("bait: case=%s rport=%d echoed=%d rx=%zu tx=%zd end=%s",
		       name, rport, echoed, rx, sent, end_names[end]);
		return;
	}
	if (!strcmp(name, "garbage")) {
		for (prelen = 0; prelen < 100; prelen++)
			pre[prelen] = (uint8_t)(0xa5 ^ prelen * 29);
	} else if (!strcmp(name, "accept")) {
		prelen = acc_conf_v1(pre, CLC_ACCEPT);
	}
	if (prelen && send(fd, pre, prelen, MSG_NOSIGNAL) != (ssize_t)prelen)
		die_errno("send");

	/* What Linux sends without a device: v1 DECLINE, NOSMCDEV. */
	decline(want, 1, 0x03030000);
	got = read_exact(fd, first, sizeof(first), deadline, &end);
	hex(first_hex, first, got);
	if (got == sizeof(first))
		verdict = memcmp(first, want, sizeof(want)) ? "bad" : "ok";
	else if (got)
		verdict = "short";
	if (end == END_NONE)
		end = echo_all(fd, deadline, &rx, &tx);
	report("bait: case=%s rport=%d echoed=%d first=%s decline=%s rx=%zu tx=%zu end=%s",
	       name, rport, echoed, got ? first_hex : "none",
	       verdict, rx, tx, end_names[end]);
	close(fd);
}

/* ---------------------------------------------------------- sock_diag */

struct diag {
	int		mode;
	uint32_t	reason;
	uint32_t	peer_diag;
};

/* Look the AF_SMC socket with inode @ino up; 0 if found. */
static int diag_lookup(ino_t ino, struct diag *d)
{
	struct {
		struct nlmsghdr		nlh;
		struct smc_diag_req	req;
	} msg = {};
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	size_t buflen = 65536;
	int fd, rc = -ENOENT, done = 0;
	char *buf;
	ssize_t n;

	fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
	if (fd < 0)
		return -errno;
	buf = xmalloc(buflen);
	msg.nlh.nlmsg_len = sizeof(msg);
	msg.nlh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
	msg.nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
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
		if (n <= 0)
			break;
		for (h = (struct nlmsghdr *)buf; NLMSG_OK(h, n);
		     h = NLMSG_NEXT(h, n)) {
			struct smc_diag_msg *m = NLMSG_DATA(h);
			struct rtattr *rta;
			int alen;

			if (h->nlmsg_type == NLMSG_DONE ||
			    h->nlmsg_type == NLMSG_ERROR) {
				done = 1;
				break;
			}
			if (h->nlmsg_len < NLMSG_LENGTH(sizeof(*m)) ||
			    m->diag_inode != ino)
				continue;
			rc = 0;
			d->mode = m->diag_mode;
			rta = (struct rtattr *)((char *)m +
						NLMSG_ALIGN(sizeof(*m)));
			alen = h->nlmsg_len - NLMSG_LENGTH(sizeof(*m));
			for (; RTA_OK(rta, alen); rta = RTA_NEXT(rta, alen)) {
				struct smc_diag_fallback fb;

				if (rta->rta_type != SMC_DIAG_FALLBACK ||
				    RTA_PAYLOAD(rta) < sizeof(fb))
					continue;
				memcpy(&fb, RTA_DATA(rta), sizeof(fb));
				d->reason = fb.reason;
				d->peer_diag = fb.peer_diagnosis;
			}
		}
	}
out:
	free(buf);
	close(fd);
	return rc;
}

static const char *path_of(int fd, struct diag *d)
{
	struct stat st;

	memset(d, 0, sizeof(*d));
	d->mode = -1;
	if (fstat(fd, &st) || diag_lookup(st.st_ino, d))
		return "unknown";
	switch (d->mode) {
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

/* ------------------------------------------------------------- serve */

static void *serve_conn(void *arg)
{
	int fd = (int)(intptr_t)arg, rport = sock_port(fd, 1);
	size_t rx = 0, tx = 0;
	const char *path;
	struct diag d;
	enum end end;

	path = path_of(fd, &d);
	report("serve: accept rport=%d path=%s reason=0x%08x peer_diag=0x%08x",
	       rport, path, d.reason, d.peer_diag);
	end = echo_all(fd, now() + SERVE_CONN_SECS, &rx, &tx);
	report("serve: done rport=%d rx=%zu tx=%zu end=%s", rport, rx, tx,
	       end_names[end]);
	close(fd);
	return NULL;
}

static void run_serve(void)
{
	pthread_attr_t attr;
	pthread_t t;
	int lfd, fd, err;

	lfd = listen_on(1);
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	report("serve: listening port=%d", cfg.port);
	for (;;) {
		fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
		if (fd < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			die_errno("accept");
		}
		err = pthread_create(&t, &attr, serve_conn,
				     (void *)(intptr_t)fd);
		if (err)
			die("pthread_create: %s", strerror(err));
	}
}

/* An AF_SMC listener that never accepts: connections wait in its queue. */
static void run_hold(void)
{
	listen_on(1);
	report("hold: listening port=%d", cfg.port);
	for (;;)
		pause();
}

/* -------------------------------------------------------------- good */

static int run_good(void)
{
	uint8_t *data = xmalloc(cfg.bytes);
	double t0 = now(), csecs;
	struct xfer x = {};
	const char *path, *verdict;
	struct diag d;
	int fd, lport;

	payload_fill(data, cfg.bytes);
	fd = connect_to(1, &csecs);
	lport = sock_port(fd, 0);
	path = path_of(fd, &d);
	x.tx = data;
	x.txlen = cfg.bytes;
	x.shut = 1;
	x.rxcap = cfg.prefix + cfg.bytes + 1;
	x.rx = xmalloc(x.rxcap);
	xfer_run(fd, &x, now() + cfg.timeout);
	if (x.rxlen < cfg.prefix)
		verdict = "short";
	else if (x.rxlen - cfg.prefix != cfg.bytes)
		verdict = x.rxlen - cfg.prefix < cfg.bytes ? "short" : "long";
	else
		verdict = memcmp(x.rx + cfg.prefix, data, cfg.bytes) ?
			  "bad" : "ok";
	report("good: lport=%d connect_secs=%.3f secs=%.3f path=%s reason=0x%08x peer_diag=0x%08x rx=%zu prefix=%zu data=%s end=%s err=%s",
	       lport, csecs, now() - t0, path, d.reason, d.peer_diag,
	       x.rxlen, cfg.prefix, verdict, end_names[x.end],
	       x.err ? strerrorname_np(x.err) : "none");
	close(fd);
	free(x.rx);
	free(data);
	return strcmp(verdict, "ok") || x.end != END_EOF;
}

/* --------------------------------------------------------- patient */

static void on_patient_alarm(int sig)
{
	(void)sig;	/* only there to interrupt connect() */
}

static const char *errname(int err)
{
	return err ? strerrorname_np(err) : "ok";
}

static int run_patient(void)
{
	struct sockaddr_storage ss;
	socklen_t len = make_addr(&ss, default_host());
	struct timeval tv = { cfg.sndtimeo_ms / 1000,
			      cfg.sndtimeo_ms % 1000 * 1000 };
	struct sigaction sa = { .sa_handler = on_patient_alarm };
	struct itimerval it = { .it_value = { cfg.alarm_ms / 1000,
					      cfg.alarm_ms % 1000 * 1000 } };
	struct pollfd pfd = { .events = POLLOUT };
	double t0, t1, first_secs;
	int fd, first = 0, err = 0, c;
	socklen_t elen = sizeof(err);

	fd = socket(AF_SMC, SOCK_STREAM | SOCK_CLOEXEC,
		    cfg.ipv6 ? SMCPROTO_SMC6 : SMCPROTO_SMC);
	if (fd < 0)
		die_errno("socket");
	if (cfg.sndtimeo_ms &&
	    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)))
		die_errno("SO_SNDTIMEO");
	if (cfg.alarm_ms) {
		/* No SA_RESTART: connect() returns EINTR, as the test wants. */
		if (sigaction(SIGALRM, &sa, NULL) ||
		    setitimer(ITIMER_REAL, &it, NULL))
			die_errno("alarm");
	}
	t0 = now();
	if (connect(fd, (struct sockaddr *)&ss, len))
		first = errno;
	first_secs = now() - t0;
	if (first == EINTR || first == EINPROGRESS) {
		/* The connection goes on without us: wait for its end, or
		 * give up on it and close while it still waits.
		 */
		pfd.fd = fd;
		c = poll(&pfd, 1, cfg.quit_ms ?: (int)(cfg.timeout * 1000));
		if (c < 0)
			die_errno("poll");
		if (!c && cfg.quit_ms) {
			t1 = now();
			close(fd);
			report("patient: first=%s first_secs=%.3f outcome=closed close_secs=%.3f",
			       errname(first), first_secs, now() - t1);
			return 0;
		}
		if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &elen))
			die_errno("SO_ERROR");
	} else {
		err = first;
	}
	report("patient: first=%s first_secs=%.3f outcome=%s secs=%.3f",
	       errname(first), first_secs, errname(err), now() - t0);
	close(fd);
	return 0;
}

/* ---------------------------------------------------------- devcheck */

static int dev_expect(const char *what, unsigned long cmd, int fd, int set,
		      int want_err)
{
	struct smc_test_peer_req req;
	int rc = peer_ioctl(cmd, fd, set, &req);

	report("devcheck: %s: %s (want %s)%s", what,
	       rc ? strerrorname_np(-rc) : "ok",
	       want_err ? strerrorname_np(want_err) : "ok",
	       rc == -want_err ? "" : " MISMATCH");
	return rc != -want_err;
}

static int run_devcheck(void)
{
	struct smc_test_peer_req req;
	int bad = 0, tcp, udp, smc, lfd, cfd, afd, pfd[2];
	struct sockaddr_in sin = { .sin_family = AF_INET };
	socklen_t len = sizeof(sin);

	tcp = socket(AF_INET, SOCK_STREAM, 0);
	udp = socket(AF_INET, SOCK_DGRAM, 0);
	smc = socket(AF_SMC, SOCK_STREAM, SMCPROTO_SMC);
	if (tcp < 0 || udp < 0 || smc < 0 || pipe(pfd))
		die_errno("socket");

	bad |= dev_expect("set on a TCP socket", SMC_TEST_PEER_SET, tcp, 1, 0);
	bad |= peer_ioctl(SMC_TEST_PEER_GET, tcp, 0, &req) || req.syn_smc != 1;
	report("devcheck: get after set: syn_smc=%u have_smc=%u", req.syn_smc,
	       req.have_smc);
	bad |= dev_expect("clear on a TCP socket", SMC_TEST_PEER_SET, tcp, 0, 0);
	bad |= dev_expect("set to 2", SMC_TEST_PEER_SET, tcp, 2, EINVAL);
	bad |= dev_expect("set on a UDP socket", SMC_TEST_PEER_SET, udp, 1,
			  EPROTOTYPE);
	bad |= dev_expect("set on an AF_SMC socket", SMC_TEST_PEER_SET, smc, 1,
			  EPROTOTYPE);
	bad |= dev_expect("set on a pipe", SMC_TEST_PEER_SET, pfd[0], 1,
			  ENOTSOCK);
	bad |= dev_expect("set on a closed fd", SMC_TEST_PEER_SET, 999, 1,
			  EBADF);
	bad |= dev_expect("get on a UDP socket", SMC_TEST_PEER_GET, udp, 0,
			  EPROTOTYPE);
	memset(&req, 0, sizeof(req));
	req.fd = tcp;
	req.reserved = 1;
	if (ioctl(dev_fd, SMC_TEST_PEER_SET, &req) != -1 || errno != EINVAL) {
		report("devcheck: reserved field set: accepted MISMATCH");
		bad = 1;
	}
	if (ioctl(dev_fd, _IO(SMC_TEST_PEER_IOC, 9), 0) != -1 ||
	    errno != ENOTTY) {
		report("devcheck: unknown ioctl: accepted MISMATCH");
		bad = 1;
	}

	/* A connected socket: too late to set, but GET tells the outcome. */
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	lfd = socket(AF_INET, SOCK_STREAM, 0);
	if (lfd < 0 || bind(lfd, (struct sockaddr *)&sin, sizeof(sin)) ||
	    getsockname(lfd, (struct sockaddr *)&sin, &len))
		die_errno("bind");
	bad |= dev_expect("set on a listener", SMC_TEST_PEER_SET, lfd, 1, 0);
	if (listen(lfd, 1))
		die_errno("listen");
	cfd = socket(AF_INET, SOCK_STREAM, 0);
	if (cfd < 0)
		die_errno("socket");
	bad |= dev_expect("set before connect", SMC_TEST_PEER_SET, cfd, 1, 0);
	if (connect(cfd, (struct sockaddr *)&sin, sizeof(sin)))
		die_errno("connect");
	afd = accept(lfd, NULL, NULL);
	if (afd < 0)
		die_errno("accept");
	bad |= dev_expect("set on a connected socket", SMC_TEST_PEER_SET, cfd,
			  1, EISCONN);
	report("devcheck: option exchanged: client syn_smc=%d server syn_smc=%d",
	       syn_smc_of(cfd), syn_smc_of(afd));
	bad |= syn_smc_of(cfd) != 1 || syn_smc_of(afd) != 1;
	report("devcheck: %s", bad ? "FAILED" : "all ok");
	close(afd);
	close(cfd);
	close(lfd);
	close(tcp);
	close(udp);
	close(smc);
	close(pfd[0]);
	close(pfd[1]);
	return bad;
}

/* -------------------------------------------------------------- main */

static void usage(FILE *f)
{
	fprintf(f,
"usage: smc_evil_peer [options] attack CASE | flood | bait CASE | serve |\n"
"                     hold | good | devcheck | cases | dump CASE\n"
"  -c HOST     address to connect to (default 127.0.0.1, ::1 with -6)\n"
"  -6          IPv6 (AF_SMC: SMCPROTO_SMC6)\n"
"  -p PORT     port (default %d)\n"
"  -n BYTES    application data per connection (default %zu)\n"
"  -t SECS     how long to watch a connection (default %.0f)\n"
"  -N CONNS    flood: connections at once (default %d)\n"
"  -b BACKLOG  listen backlog (default %d)\n"
"  -g BYTES    good: bytes expected before the echo (a bait's prefix)\n"
"  -D DEV      the test device (default %s)\n"
"  -S MS       patient: SO_SNDTIMEO for connect()\n"
"  -A MS       patient: SIGALRM this long into connect()\n"
"  -Q MS       patient: close this long after connect() returned early\n"
"  -L PORT     connect from this local port\n",
		cfg.port, cfg.bytes, cfg.timeout, cfg.conns, cfg.backlog,
		cfg.dev);
}

int main(int argc, char **argv)
{
	const char *role;
	int c;

	while ((c = getopt(argc, argv, "c:6p:n:t:N:b:g:D:S:A:Q:L:h")) != -1) {
		switch (c) {
		case 'c':
			cfg.host = optarg;
			break;
		case '6':
			cfg.ipv6 = 1;
			break;
		case 'p':
			cfg.port = atoi(optarg);
			break;
		case 'n':
			cfg.bytes = strtoul(optarg, NULL, 0);
			break;
		case 't':
			cfg.timeout = atof(optarg);
			break;
		case 'N':
			cfg.conns = atoi(optarg);
			break;
		case 'b':
			cfg.backlog = atoi(optarg);
			break;
		case 'g':
			cfg.prefix = strtoul(optarg, NULL, 0);
			break;
		case 'D':
			cfg.dev = optarg;
			break;
		case 'S':
			cfg.sndtimeo_ms = atoi(optarg);
			break;
		case 'A':
			cfg.alarm_ms = atoi(optarg);
			break;
		case 'Q':
			cfg.quit_ms = atoi(optarg);
			break;
		case 'L':
			cfg.lport = atoi(optarg);
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 1;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return 1;
	}
	if (cfg.port <= 0 || cfg.port > 65535 || cfg.conns < 1 ||
	    cfg.timeout <= 0)
		die("bad option value");
	signal(SIGPIPE, SIG_IGN);
	role = argv[optind];

	if (!strcmp(role, "cases")) {
		list_cases();
	} else if (!strcmp(role, "dump") && optind + 1 < argc) {
		dump_case(argv[optind + 1]);
	} else if (!strcmp(role, "attack") && optind + 1 < argc) {
		run_attack(argv[optind + 1]);
	} else if (!strcmp(role, "flood")) {
		run_flood();
	} else if (!strcmp(role, "bait") && optind + 1 < argc) {
		run_bait(argv[optind + 1]);
	} else if (!strcmp(role, "serve")) {
		run_serve();
	} else if (!strcmp(role, "hold")) {
		run_hold();
	} else if (!strcmp(role, "good")) {
		return run_good();
	} else if (!strcmp(role, "patient")) {
		return run_patient();
	} else if (!strcmp(role, "devcheck")) {
		return run_devcheck();
	} else {
		usage(stderr);
		return 1;
	}
	return 0;
}
