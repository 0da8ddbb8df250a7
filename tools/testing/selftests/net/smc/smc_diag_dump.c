// SPDX-License-Identifier: GPL-2.0
/*
 * smc_diag_dump - list AF_SMC sockets through NETLINK_SOCK_DIAG, with
 * every extension the kernel offers (a small smcss for tests).
 *
 * usage: smc_diag_dump [-i INODE]... [-e MASK] [-r]
 *
 *   -i INODE  only print this socket (repeatable); exit status 3 if one
 *             of the given inodes is not in the dump
 *   -e MASK   diag_ext bits to ask for (default 0x1f: all; bit n-1
 *             asks for attribute n, see SMC_DIAG_* in linux/smc_diag.h)
 *   -r        request with NLM_F_ROOT only, as smcss does, instead of
 *             NLM_F_DUMP
 *
 * One line per socket, "key=value" fields separated by blanks:
 *
 *   inode= uid= state=NAME(n) mode=NAME(n) local=ADDR:PORT peer=ADDR:PORT
 *   if= cookie= shutdown= fallback=REASON/PEER_DIAG [conninfo=...]
 *   [lgrinfo=...] [dmbinfo=...] len=
 *
 * where len is the netlink message length.  Attributes with a size other
 * than their structure's are reported on stderr and make the exit
 * status 1, as do netlink errors (a missing smc_diag module shows up as
 * ENOENT).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <linux/smc_diag.h>

#ifndef AF_SMC
#define AF_SMC		43
#endif

#define MAX_INODES	64
#define ALL_EXT		((1 << SMC_DIAG_MAX) - 1)

static unsigned long long inodes[MAX_INODES];
static int inode_seen[MAX_INODES];
static int n_inodes;
static int bad;			/* malformed reply seen */

static const char *errname(int err)
{
	const char *name = strerrorname_np(err);

	return name ? name : "?";
}

static const char *state_name(int s)
{
	switch (s) {
	case 1:
		return "ACTIVE";
	case 2:
		return "INIT";
	case 7:
		return "CLOSED";
	case 10:
		return "LISTEN";
	case 20:
		return "PEERCLOSEWAIT1";
	case 21:
		return "PEERCLOSEWAIT2";
	case 22:
		return "APPCLOSEWAIT1";
	case 23:
		return "APPCLOSEWAIT2";
	case 24:
		return "APPFINCLOSEWAIT";
	case 25:
		return "PEERFINCLOSEWAIT";
	case 26:
		return "PEERABORTWAIT";
	case 27:
		return "PROCESSABORT";
	default:
		return "UNKNOWN";
	}
}

static const char *mode_name(int m)
{
	switch (m) {
	case SMC_DIAG_MODE_SMCR:
		return "SMCR";
	case SMC_DIAG_MODE_FALLBACK_TCP:
		return "TCP";
	case SMC_DIAG_MODE_SMCD:
		return "SMCD";
	default:
		return "UNKNOWN";
	}
}

/* IPv4 if only the first word of both addresses is used (as smcss) */
static void fmt_addr(char *buf, size_t len, const __be32 *a, __be16 port,
		     int v4)
{
	char ip[INET6_ADDRSTRLEN];

	if (v4) {
		inet_ntop(AF_INET, a, ip, sizeof(ip));
		snprintf(buf, len, "%s:%u", ip, ntohs(port));
	} else {
		inet_ntop(AF_INET6, a, ip, sizeof(ip));
		snprintf(buf, len, "[%s]:%u", ip, ntohs(port));
	}
}

/* Text of a fixed-size, possibly unterminated byte field */
static void fmt_bytes_str(char *buf, size_t len, const __u8 *s, size_t n)
{
	size_t i, o = 0;

	for (i = 0; i < n && s[i] && o + 1 < len; i++)
		buf[o++] = (s[i] > ' ' && s[i] < 127) ? s[i] : '?';
	if (!o && len > 1)
		buf[o++] = '-';
	buf[o] = '\0';
}

static int check_len(unsigned long long ino, int type, size_t got,
		     size_t want)
{
	if (got == want)
		return 1;
	fprintf(stderr,
		"smc_diag_dump: inode %llu: attribute %d has %zu bytes, expected %zu\n",
		ino, type, got, want);
	bad = 1;
	return got >= want;
}

static void print_conninfo(const struct smc_diag_conninfo *c)
{
	printf(" conninfo=token:0x%08x,sndbuf:%u,rmbe:%u,peer_rmbe:%u,"
	       "rx_prod:%u:%u,rx_cons:%u:%u,tx_prod:%u:%u,tx_cons:%u:%u,"
	       "flags:0x%02x/0x%02x/0x%02x/0x%02x,"
	       "tx_prep:%u:%u,tx_sent:%u:%u,tx_fin:%u:%u",
	       c->token, c->sndbuf_size, c->rmbe_size, c->peer_rmbe_size,
	       c->rx_prod.wrap, c->rx_prod.count,
	       c->rx_cons.wrap, c->rx_cons.count,
	       c->tx_prod.wrap, c->tx_prod.count,
	       c->tx_cons.wrap, c->tx_cons.count,
	       c->rx_prod_flags, c->rx_conn_state_flags,
	       c->tx_prod_flags, c->tx_conn_state_flags,
	       c->tx_prep.wrap, c->tx_prep.count,
	       c->tx_sent.wrap, c->tx_sent.count,
	       c->tx_fin.wrap, c->tx_fin.count);
}

static void print_lgrinfo(const struct smc_diag_lgrinfo *l)
{
	char ib[IB_DEVICE_NAME_MAX + 1], gid[41], pgid[41];

	fmt_bytes_str(ib, sizeof(ib), l->lnk[0].ibname,
		      sizeof(l->lnk[0].ibname));
	fmt_bytes_str(gid, sizeof(gid), l->lnk[0].gid, sizeof(l->lnk[0].gid));
	fmt_bytes_str(pgid, sizeof(pgid), l->lnk[0].peer_gid,
		      sizeof(l->lnk[0].peer_gid));
	printf(" lgrinfo=role:%s,link_id:%u,ibdev:%s,ibport:%u,gid:%s,peer_gid:%s",
	       l->role ? "SERV" : "CLNT", l->lnk[0].link_id, ib,
	       l->lnk[0].ibport, gid, pgid);
}

static void print_dmbinfo(const struct smcd_diag_dmbinfo *d)
{
	printf(" dmbinfo=linkid:0x%08x,peer_gid:0x%016llx,my_gid:0x%016llx,"
	       "token:0x%016llx,peer_token:0x%016llx",
	       d->linkid, (unsigned long long)d->peer_gid,
	       (unsigned long long)d->my_gid, (unsigned long long)d->token,
	       (unsigned long long)d->peer_token);
}

static int wanted(unsigned long long ino)
{
	int i, hit = 0;

	if (!n_inodes)
		return 1;
	for (i = 0; i < n_inodes; i++) {
		if (inodes[i] == ino) {
			inode_seen[i] = 1;
			hit = 1;
		}
	}
	return hit;
}

static void print_sock(const struct nlmsghdr *h)
{
	const struct smc_diag_msg *m = NLMSG_DATA(h);
	unsigned long long ino = m->diag_inode;
	char local[64], peer[64];
	struct rtattr *rta;
	int alen, v4, i;

	if (m->diag_family != AF_SMC) {
		fprintf(stderr,
			"smc_diag_dump: inode %llu: diag_family %u, expected %u\n",
			ino, m->diag_family, AF_SMC);
		bad = 1;
	}
	if (!wanted(ino))
		return;

	v4 = 1;
	for (i = 1; i < 4; i++)
		if (m->id.idiag_src[i] || m->id.idiag_dst[i])
			v4 = 0;
	fmt_addr(local, sizeof(local), m->id.idiag_src, m->id.idiag_sport, v4);
	fmt_addr(peer, sizeof(peer), m->id.idiag_dst, m->id.idiag_dport, v4);

	printf("inode=%llu uid=%u state=%s(%u) mode=%s(%u) local=%s peer=%s if=%u cookie=0x%08x%08x",
	       ino, m->diag_uid, state_name(m->diag_state), m->diag_state,
	       mode_name(m->diag_mode), m->diag_mode, local, peer,
	       m->id.idiag_if, m->id.idiag_cookie[1], m->id.idiag_cookie[0]);

	rta = (struct rtattr *)((char *)NLMSG_DATA(h) +
				NLMSG_ALIGN(sizeof(*m)));
	alen = h->nlmsg_len - NLMSG_LENGTH(sizeof(*m));
	for (; RTA_OK(rta, alen); rta = RTA_NEXT(rta, alen)) {
		size_t plen = RTA_PAYLOAD(rta);
		void *data = RTA_DATA(rta);

		switch (rta->rta_type) {
		case SMC_DIAG_SHUTDOWN:
			if (check_len(ino, rta->rta_type, plen, 1))
				printf(" shutdown=%u", *(__u8 *)data);
			break;
		case SMC_DIAG_FALLBACK: {
			struct smc_diag_fallback fb;

			if (!check_len(ino, rta->rta_type, plen, sizeof(fb)))
				break;
			memcpy(&fb, data, sizeof(fb));
			printf(" fallback=0x%08x/0x%08x", fb.reason,
			       fb.peer_diagnosis);
			break;
		}
		case SMC_DIAG_CONNINFO: {
			struct smc_diag_conninfo ci;

			if (!check_len(ino, rta->rta_type, plen, sizeof(ci)))
				break;
			memcpy(&ci, data, sizeof(ci));
			print_conninfo(&ci);
			break;
		}
		case SMC_DIAG_LGRINFO: {
			struct smc_diag_lgrinfo li;

			if (!check_len(ino, rta->rta_type, plen, sizeof(li)))
				break;
			memcpy(&li, data, sizeof(li));
			print_lgrinfo(&li);
			break;
		}
		case SMC_DIAG_DMBINFO: {
			struct smcd_diag_dmbinfo di;

			if (!check_len(ino, rta->rta_type, plen, sizeof(di)))
				break;
			memcpy(&di, data, sizeof(di));
			print_dmbinfo(&di);
			break;
		}
		default:
			printf(" attr%u=%zu", rta->rta_type, plen);
			break;
		}
	}
	if (alen) {
		fprintf(stderr,
			"smc_diag_dump: inode %llu: %d bytes of trailing garbage\n",
			ino, alen);
		bad = 1;
	}
	printf(" len=%u\n", h->nlmsg_len);
}

static int dump(int ext, int root_only)
{
	struct {
		struct nlmsghdr		nlh;
		struct smc_diag_req	req;
	} msg;
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	const size_t buflen = 65536;
	int fd, done = 0, err = 0;
	char *buf;
	ssize_t n;

	fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
	if (fd < 0) {
		fprintf(stderr, "smc_diag_dump: socket: %s (%s)\n",
			strerror(errno), errname(errno));
		return 1;
	}
	buf = malloc(buflen);
	if (!buf) {
		fprintf(stderr, "smc_diag_dump: out of memory\n");
		return 1;
	}

	memset(&msg, 0, sizeof(msg));
	msg.nlh.nlmsg_len = sizeof(msg);
	msg.nlh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
	msg.nlh.nlmsg_flags = NLM_F_REQUEST |
			      (root_only ? NLM_F_ROOT : NLM_F_DUMP);
	msg.nlh.nlmsg_seq = 123456;
	msg.req.diag_family = AF_SMC;
	msg.req.diag_ext = ext;
	if (sendto(fd, &msg, sizeof(msg), 0, (struct sockaddr *)&kernel,
		   sizeof(kernel)) < 0) {
		fprintf(stderr, "smc_diag_dump: sendto: %s (%s)\n",
			strerror(errno), errname(errno));
		close(fd);
		free(buf);
		return 1;
	}

	while (!done) {
		struct nlmsghdr *h;

		n = recv(fd, buf, buflen, 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "smc_diag_dump: recv: %s (%s)\n",
				strerror(errno), errname(errno));
			err = 1;
			break;
		}
		if (n == 0)
			break;
		for (h = (struct nlmsghdr *)buf; NLMSG_OK(h, n);
		     h = NLMSG_NEXT(h, n)) {
			if (h->nlmsg_flags & NLM_F_DUMP_INTR)
				fprintf(stderr,
					"smc_diag_dump: warning: dump interrupted\n");
			if (h->nlmsg_type == NLMSG_DONE) {
				done = 1;
				break;
			}
			if (h->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *e = NLMSG_DATA(h);
				int code = -e->error;

				done = 1;
				if (h->nlmsg_len < NLMSG_LENGTH(sizeof(*e)) ||
				    !code)
					break;
				fprintf(stderr,
					"smc_diag_dump: sock_diag: %s (%s)%s\n",
					strerror(code), errname(code),
					code == ENOENT ?
					": no AF_SMC handler (smc_diag not loaded?)" :
					"");
				err = 1;
				break;
			}
			if (h->nlmsg_type != SOCK_DIAG_BY_FAMILY)
				continue;
			if (h->nlmsg_len < NLMSG_LENGTH(sizeof(struct smc_diag_msg))) {
				fprintf(stderr,
					"smc_diag_dump: short message (%u bytes)\n",
					h->nlmsg_len);
				bad = 1;
				continue;
			}
			print_sock(h);
		}
	}
	close(fd);
	free(buf);
	return err;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: smc_diag_dump [-i INODE]... [-e MASK] [-r]\n"
		"  -i INODE  only this socket (repeatable); exit 3 if absent\n"
		"  -e MASK   diag_ext bits (default 0x%x)\n"
		"  -r        NLM_F_ROOT only (like smcss), not NLM_F_DUMP\n",
		ALL_EXT);
}

int main(int argc, char **argv)
{
	int c, i, ext = ALL_EXT, root_only = 0, rc;
	unsigned long long v;
	char *end;

	while ((c = getopt(argc, argv, "i:e:rh")) != -1) {
		switch (c) {
		case 'i':
			errno = 0;
			v = strtoull(optarg, &end, 10);
			if (errno || end == optarg || *end ||
			    n_inodes == MAX_INODES) {
				usage(stderr);
				return 1;
			}
			inodes[n_inodes++] = v;
			break;
		case 'e':
			errno = 0;
			v = strtoul(optarg, &end, 0);
			if (errno || end == optarg || *end || v > 0xff) {
				usage(stderr);
				return 1;
			}
			ext = v;
			break;
		case 'r':
			root_only = 1;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 1;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 1;
	}

	rc = dump(ext, root_only);
	if (fflush(stdout))
		rc = 1;
	if (rc || bad)
		return 1;
	for (i = 0; i < n_inodes; i++) {
		if (!inode_seen[i]) {
			fprintf(stderr, "smc_diag_dump: inode %llu not found\n",
				inodes[i]);
			return 3;
		}
	}
	return 0;
}
