// SPDX-License-Identifier: GPL-2.0
/*
 * smc_nlprobe - send one generic netlink request, exactly as told, and
 * print every reply generically.  The selftests use it to send requests
 * no well-behaved tool would: missing, oversized, wrong-length or
 * unterminated attributes, unknown commands, dump-only commands as doit.
 *
 *   smc_nlprobe [OPTIONS] FAMILY CMD [[ATTR-OPTIONS] ATTR]...
 *
 *   FAMILY  generic netlink family name (resolved through nlctrl), or
 *           its numeric id
 *   CMD     genl command number
 *   ATTR    TYPE:KIND[:VALUE], KIND one of
 *             u8 u16 u32 u64  number (decimal or 0x hex), host order
 *             str             VALUE and a terminating NUL
 *             nstr            VALUE without NUL
 *             hex             raw bytes given as hex digits ("" = none)
 *             flag            no payload
 *           TYPE is a number; NLA_F_NESTED (0x8000) may be or-ed in.
 *   ATTR-OPTIONS apply to the next ATTR only:
 *     --len N     write N into nla_len, whatever the payload is
 *     --trunc N   keep only the first N bytes of the payload
 *
 * OPTIONS
 *   -f FLAGS  nlmsg_flags: a number, or names joined by ',' out of
 *             request ack root match dump (default request,ack)
 *   -d        the same as -f request,dump
 *   -V VER    genl version byte (default 1)
 *   -t SECS   how long to wait for the end of the replies (default 3)
 *   -N        also decode attributes without NLA_F_NESTED as nests
 *             when they parse as such (and are longer than 4 bytes)
 *
 * Output, one line each:
 *   request family NAME id ID cmd C version V flags 0xF len L
 *   msg N type T flags 0xF seq S len L [cmd C version V]
 *   <indent>TYPE:LEN:HEX [u8=..|u16=..|u32=..|u64=..] [str="..."]
 *   <indent>TYPE:LEN:nest            (children indented below)
 *   ack | done [error E] | error E NAME [extack "..."] [offset O]
 *   result E NAME                    (E = 0 or a positive errno)
 * Attribute LEN is the payload length (nla_len - 4).
 *
 * Fuzzing: smc_nlprobe -z COUNT[:SEED] FAMILY... sends COUNT random
 * requests (random family out of those named, command, flags, version,
 * attributes of random types, lengths and contents, nests, lying nla_len
 * and nlmsg_len) and waits for each one's end, then prints one line
 *   fuzz: seed=S sent=N acked=A noend=X errors=E1:n,E2:n...
 * and exits 0 if every request got its end (an ack, an error or DONE).
 *
 * Exit status: 0, or the errno of the first error the kernel reported;
 * 252 local failure, 253 no end of the replies within -t, 254 family
 * not found, 255 usage.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>

#define EXIT_LOCAL	252
#define EXIT_TIMEOUT	253
#define EXIT_NOFAMILY	254
#define EXIT_USAGE	255

#define REQ_MAX		65536
#define RX_MAX		(256 * 1024)
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define NLA_ALIGNED(x)	(((x) + 3U) & ~3U)

static bool decode_all_nests;

static void die_usage(void)
{
	fprintf(stderr,
		"usage: smc_nlprobe [-d] [-f FLAGS] [-V VER] [-t SECS] [-N] FAMILY CMD\n"
		"                   [[--len N] [--trunc N] TYPE:KIND[:VALUE]]...\n"
		"       smc_nlprobe -z COUNT[:SEED] FAMILY...\n"
		"KIND: u8 u16 u32 u64 str nstr hex flag\n");
	exit(EXIT_USAGE);
}

static const char *errname(int e)
{
	const char *n = e ? strerrorname_np(e) : "OK";

	return n ? n : "UNKNOWN";
}

static unsigned long long parse_num(const char *s, unsigned long long max)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || end == s || *end || v > max) {
		fprintf(stderr, "smc_nlprobe: bad number \"%s\"\n", s);
		die_usage();
	}
	return v;
}

static unsigned int parse_flags(const char *s)
{
	static const struct {
		const char	*name;
		unsigned int	flag;
	} names[] = {
		{ "request", NLM_F_REQUEST }, { "ack", NLM_F_ACK },
		{ "root", NLM_F_ROOT }, { "match", NLM_F_MATCH },
		{ "dump", NLM_F_DUMP }, { "none", 0 },
	};
	unsigned int flags = 0, i;
	char *copy, *tok, *save;

	if (isdigit((unsigned char)s[0]))
		return parse_num(s, 0xffff);
	copy = strdup(s);
	for (tok = strtok_r(copy, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		for (i = 0; i < ARRAY_SIZE(names); i++)
			if (!strcmp(tok, names[i].name))
				break;
		if (i == ARRAY_SIZE(names)) {
			fprintf(stderr, "smc_nlprobe: unknown flag \"%s\"\n",
				tok);
			die_usage();
		}
		flags |= names[i].flag;
	}
	free(copy);
	return flags;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/*
 * Append one attribute described by @spec to the message in @buf at
 * *@off.  @len_override < 0 and @trunc < 0 mean "not given".
 */
static void put_attr(char *buf, size_t *off, const char *spec,
		     long len_override, long trunc)
{
	unsigned char payload[REQ_MAX / 2];
	char *copy = strdup(spec), *kind, *val;
	struct nlattr *nla;
	size_t plen = 0, i;
	unsigned long long v;
	unsigned int type;

	kind = strchr(copy, ':');
	if (!kind)
		die_usage();
	*kind++ = '\0';
	val = strchr(kind, ':');
	if (val)
		*val++ = '\0';
	type = parse_num(copy, 0xffff);

	if (!strcmp(kind, "u8") || !strcmp(kind, "u16") ||
	    !strcmp(kind, "u32") || !strcmp(kind, "u64")) {
		plen = atoi(kind + 1) / 8;
		if (!val)
			die_usage();
		v = parse_num(val, plen == 8 ? ~0ULL : (1ULL << (plen * 8)) - 1);
		if (plen == 1) {
			payload[0] = v;
		} else if (plen == 2) {
			uint16_t x = v;

			memcpy(payload, &x, 2);
		} else if (plen == 4) {
			uint32_t x = v;

			memcpy(payload, &x, 4);
		} else {
			uint64_t x = v;

			memcpy(payload, &x, 8);
		}
	} else if (!strcmp(kind, "str") || !strcmp(kind, "nstr")) {
		if (!val)
			val = "";
		plen = strlen(val) + (kind[0] == 's');
		if (plen > sizeof(payload))
			die_usage();
		memcpy(payload, val, plen);	/* "str" takes the NUL too */
	} else if (!strcmp(kind, "hex")) {
		if (!val)
			val = "";
		if (strlen(val) % 2 || strlen(val) / 2 > sizeof(payload))
			die_usage();
		for (i = 0; val[2 * i]; i++) {
			int hi = hexval(val[2 * i]), lo = hexval(val[2 * i + 1]);

			if (hi < 0 || lo < 0)
				die_usage();
			payload[i] = hi << 4 | lo;
		}
		plen = i;
	} else if (!strcmp(kind, "flag")) {
		plen = 0;
	} else {
		fprintf(stderr, "smc_nlprobe: unknown kind \"%s\"\n", kind);
		die_usage();
	}
	if (trunc >= 0 && (size_t)trunc < plen)
		plen = trunc;
	if (*off + NLA_HDRLEN + NLA_ALIGNED(plen) > REQ_MAX)
		die_usage();

	nla = (struct nlattr *)(buf + *off);
	nla->nla_type = type;
	nla->nla_len = len_override >= 0 ? (size_t)len_override :
		       NLA_HDRLEN + plen;
	memcpy(buf + *off + NLA_HDRLEN, payload, plen);
	memset(buf + *off + NLA_HDRLEN + plen, 0, NLA_ALIGNED(plen) - plen);
	*off += NLA_HDRLEN + NLA_ALIGNED(plen);
	free(copy);
}

static int nl_open(void)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	int fd, one = 1;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		perror("smc_nlprobe: netlink socket");
		exit(EXIT_LOCAL);
	}
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	return fd;
}

static void set_timeout(int fd, long ms)
{
	struct timeval tv = { .tv_sec = ms / 1000,
			      .tv_usec = (ms % 1000) * 1000 };

	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
}

/* Family id by name through nlctrl, 0 if there is none */
static unsigned int resolve(int fd, const char *name)
{
	static char buf[8192];
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
	struct genlmsghdr *g = NLMSG_DATA(nlh);
	struct nlattr *a = (struct nlattr *)((char *)g + GENL_HDRLEN);
	size_t nlen = strlen(name) + 1;
	unsigned int id = 0;
	ssize_t n;
	int rem;

	memset(buf, 0, sizeof(buf));
	a->nla_type = CTRL_ATTR_FAMILY_NAME;
	a->nla_len = NLA_HDRLEN + nlen;
	memcpy((char *)a + NLA_HDRLEN, name, nlen);
	nlh->nlmsg_len = NLMSG_HDRLEN + GENL_HDRLEN + NLA_ALIGNED(a->nla_len);
	nlh->nlmsg_type = GENL_ID_CTRL;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	nlh->nlmsg_seq = 1;
	g->cmd = CTRL_CMD_GETFAMILY;
	g->version = 1;
	if (send(fd, buf, nlh->nlmsg_len, 0) < 0) {
		perror("smc_nlprobe: send");
		exit(EXIT_LOCAL);
	}
	n = recv(fd, buf, sizeof(buf), 0);
	if (n < 0) {
		perror("smc_nlprobe: recv");
		exit(EXIT_LOCAL);
	}
	for (; NLMSG_OK(nlh, n); nlh = NLMSG_NEXT(nlh, n)) {
		if (nlh->nlmsg_type != GENL_ID_CTRL)
			continue;
		a = (struct nlattr *)((char *)NLMSG_DATA(nlh) + GENL_HDRLEN);
		rem = nlh->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;
		while (rem >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN &&
		       a->nla_len <= rem) {
			if ((a->nla_type & NLA_TYPE_MASK) == CTRL_ATTR_FAMILY_ID &&
			    a->nla_len >= NLA_HDRLEN + 2)
				memcpy(&id, (char *)a + NLA_HDRLEN, 2);
			rem -= NLA_ALIGNED(a->nla_len);
			a = (struct nlattr *)((char *)a + NLA_ALIGNED(a->nla_len));
		}
	}
	return id & 0xffff;
}

/*
 * Whether @len bytes at @p are exactly a sequence of attributes.  Four
 * bytes never count: they are far more likely a u32 (say 4) than a nest
 * holding one empty attribute.
 */
static bool parses_as_nest(const unsigned char *p, int len)
{
	const struct nlattr *a;

	if (len <= NLA_HDRLEN)
		return false;
	while (len >= NLA_HDRLEN) {
		a = (const struct nlattr *)p;
		if (a->nla_len < NLA_HDRLEN || a->nla_len > len)
			return false;
		len -= NLA_ALIGNED(a->nla_len);
		p += NLA_ALIGNED(a->nla_len);
	}
	return len == 0;
}

static void print_leaf(const unsigned char *p, int len)
{
	uint16_t u16;
	uint32_t u32;
	uint64_t u64;
	int i;

	for (i = 0; i < len; i++)
		printf("%02x", p[i]);
	switch (len) {
	case 1:
		printf(" u8=%u", p[0]);
		break;
	case 2:
		memcpy(&u16, p, 2);
		printf(" u16=%u", u16);
		break;
	case 4:
		memcpy(&u32, p, 4);
		printf(" u32=%u", u32);
		break;
	case 8:
		memcpy(&u64, p, 8);
		printf(" u64=%llu", (unsigned long long)u64);
		break;
	}
	if (len > 0 && p[len - 1] == '\0') {
		for (i = 0; i < len - 1; i++)
			if (!isprint(p[i]))
				break;
		if (i == len - 1)
			printf(" str=\"%s\"", (const char *)p);
	}
}

static void print_attrs(const unsigned char *p, int len, int depth)
{
	const struct nlattr *a;
	int plen;

	while (len >= NLA_HDRLEN) {
		a = (const struct nlattr *)p;
		if (a->nla_len < NLA_HDRLEN || a->nla_len > len) {
			printf("%*sbad attribute: nla_len %u, %d bytes left\n",
			       depth * 2, "", a->nla_len, len);
			return;
		}
		plen = a->nla_len - NLA_HDRLEN;
		printf("%*s%u:%d:", depth * 2, "", a->nla_type & NLA_TYPE_MASK,
		       plen);
		if ((a->nla_type & NLA_F_NESTED) ||
		    (decode_all_nests && parses_as_nest(p + NLA_HDRLEN, plen))) {
			printf("nest\n");
			print_attrs(p + NLA_HDRLEN, plen, depth + 1);
		} else {
			print_leaf(p + NLA_HDRLEN, plen);
			printf("\n");
		}
		len -= NLA_ALIGNED(a->nla_len);
		p += NLA_ALIGNED(a->nla_len);
	}
	if (len > 0)
		printf("%*s%d trailing bytes\n", depth * 2, "", len);
}

/* NLMSG_ERROR: 0 or a negative errno, printed with the extended ack */
static int print_error(const struct nlmsghdr *nlh)
{
	const struct nlmsgerr *e = NLMSG_DATA(nlh);
	int len = nlh->nlmsg_len - NLMSG_HDRLEN, off, err;
	const struct nlattr *a;
	uint32_t ofs;

	if (len < (int)sizeof(e->error)) {
		printf("error (short message)\n");
		return -EBADMSG;
	}
	err = -e->error;
	if (!err) {
		printf("ack\n");
		return 0;
	}
	printf("error %d %s", err, errname(err));
	off = sizeof(*e);
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED) && len >= (int)sizeof(*e))
		off += e->msg.nlmsg_len - NLMSG_HDRLEN;
	while ((nlh->nlmsg_flags & NLM_F_ACK_TLVS) && off + NLA_HDRLEN <= len) {
		a = (const struct nlattr *)((const char *)e + off);
		if (a->nla_len < NLA_HDRLEN || off + a->nla_len > len)
			break;
		if (a->nla_type == NLMSGERR_ATTR_MSG)
			printf(" extack \"%.*s\"", a->nla_len - NLA_HDRLEN - 1,
			       (const char *)a + NLA_HDRLEN);
		if (a->nla_type == NLMSGERR_ATTR_OFFS &&
		    a->nla_len >= NLA_HDRLEN + 4) {
			memcpy(&ofs, (const char *)a + NLA_HDRLEN, 4);
			printf(" offset %u", ofs);
		}
		off += NLA_ALIGNED(a->nla_len);
	}
	printf("\n");
	return -err;
}

/* ------------------------------------------------------------ fuzzing */

#define FUZZ_MSG_MAX	2048

static uint64_t fz_state;

static uint32_t fz_below(uint32_t n)
{
	/* xorshift64*: reproducible from the seed, good enough to fuzz */
	fz_state ^= fz_state >> 12;
	fz_state ^= fz_state << 25;
	fz_state ^= fz_state >> 27;
	return n ? (uint32_t)((fz_state * 0x2545F4914F6CDD1DULL) >> 32) % n : 0;
}

static void fz_payload(unsigned char *p, size_t len)
{
	bool text = fz_below(2);
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = text ? 'a' + fz_below(26) : fz_below(256);
	/* Strings usually end in a NUL, sometimes early, sometimes not. */
	if (text && len && fz_below(4))
		p[fz_below(4) ? len - 1 : fz_below(len)] = 0;
}

/* A random attribute, maybe a nest of more, at @buf + *off; at most
 * @room bytes. Its nla_len sometimes lies.
 */
static void fz_attr(char *buf, size_t *off, size_t room, int depth)
{
	struct nlattr *a = (struct nlattr *)(buf + *off);
	size_t start = *off + NLA_HDRLEN, len, o;
	static const size_t sizes[] = { 0, 1, 2, 4, 8, 16, 20, 32 };
	int k;

	if (room < NLA_HDRLEN + 8)
		return;
	a->nla_type = fz_below(16);
	if (depth < 2 && !fz_below(4)) {
		if (fz_below(4))
			a->nla_type |= NLA_F_NESTED;
		o = start;
		for (k = fz_below(5); k > 0; k--)
			fz_attr(buf, &o, room - (o - *off), depth + 1);
		len = o - start;
	} else {
		len = fz_below(3) ? sizes[fz_below(ARRAY_SIZE(sizes))] :
				    fz_below(120);
		if (len > room - NLA_HDRLEN)
			len = room - NLA_HDRLEN;
		fz_payload((unsigned char *)buf + start, len);
	}
	a->nla_len = NLA_HDRLEN + len;
	if (!fz_below(24))
		a->nla_len = fz_below(a->nla_len + 16);
	*off = start + NLA_ALIGNED(len);
}

/* Read until request @seq has ended; false if it did not in time. */
static bool fz_wait_end(int fd, unsigned int seq, bool dump, int *err)
{
	static char rx[RX_MAX];
	struct nlmsghdr *nlh;
	ssize_t n;

	*err = 0;
	for (;;) {
		n = recv(fd, rx, sizeof(rx), 0);
		if (n < 0)
			return false;
		for (nlh = (struct nlmsghdr *)rx; NLMSG_OK(nlh, n);
		     nlh = NLMSG_NEXT(nlh, n)) {
			if (nlh->nlmsg_seq != seq)
				continue;
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *e = NLMSG_DATA(nlh);

				*err = -e->error;
				return true;
			}
			if (nlh->nlmsg_type == NLMSG_DONE && dump)
				return true;
		}
	}
}

static int run_fuzz(int fd, const char *spec, char **families, int nfam)
{
	static char req[FUZZ_MSG_MAX];
	struct nlmsghdr *nlh = (struct nlmsghdr *)req;
	struct genlmsghdr *g = NLMSG_DATA(nlh);
	unsigned long count = strtoul(spec, NULL, 0), i, acked = 0, noend = 0;
	unsigned long errs[256] = { 0 };
	const char *colon = strchr(spec, ':');
	unsigned int ids[8];
	uint64_t seed;
	bool dump;
	size_t off;
	int f, err, k;

	seed = colon ? strtoull(colon + 1, NULL, 0) : (uint64_t)getpid();
	fz_state = seed * 2654435761ULL + 1;
	if (nfam < 1 || nfam > (int)ARRAY_SIZE(ids))
		die_usage();
	for (f = 0; f < nfam; f++) {
		ids[f] = resolve(fd, families[f]);
		if (!ids[f]) {
			printf("family %s not found\n", families[f]);
			return EXIT_NOFAMILY;
		}
	}
	set_timeout(fd, 2000);
	for (i = 0; i < count; i++) {
		memset(req, 0, sizeof(req));
		off = NLMSG_HDRLEN + GENL_HDRLEN;
		for (k = fz_below(6); k > 0; k--)
			fz_attr(req, &off, sizeof(req) - off, 0);
		dump = !fz_below(4);
		nlh->nlmsg_len = off;
		nlh->nlmsg_type = ids[fz_below(nfam)];
		/* Always an ack: every request then has an end to wait for. */
		nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK |
				   (dump ? NLM_F_DUMP : 0);
		nlh->nlmsg_seq = i + 1;
		/* Mostly commands that exist (ours number below 20). */
		g->cmd = fz_below(8) ? fz_below(20) : fz_below(256);
		g->version = fz_below(8) ? 1 : fz_below(256);
		/* A header that claims less than was sent (never less than a
		 * header: the kernel would just drop it, unanswered).
		 */
		if (!fz_below(32))
			nlh->nlmsg_len = NLMSG_HDRLEN + fz_below(off - NLMSG_HDRLEN);
		if (send(fd, req, off, 0) < 0) {
			perror("smc_nlprobe: send");
			return EXIT_LOCAL;
		}
		if (!fz_wait_end(fd, i + 1, dump, &err)) {
			noend++;
			continue;
		}
		if (err)
			errs[err & 0xff]++;
		else
			acked++;
	}
	printf("fuzz: seed=%llu sent=%lu acked=%lu noend=%lu errors=",
	       (unsigned long long)seed, count, acked, noend);
	for (k = 0, f = 0; k < 256; k++)
		if (errs[k])
			printf("%s%s:%lu", f++ ? "," : "", errname(k), errs[k]);
	printf("%s\n", f ? "" : "none");
	return noend ? EXIT_TIMEOUT : 0;
}

int main(int argc, char **argv)
{
	static char req[REQ_MAX], rx[RX_MAX];
	unsigned int flags = NLM_F_REQUEST | NLM_F_ACK, id, version = 1;
	struct nlmsghdr *nlh = (struct nlmsghdr *)req;
	struct genlmsghdr *g = NLMSG_DATA(nlh);
	long len_override = -1, trunc = -1, wait_ms = 3000;
	int fd, opt, cmd, err = 0, msgs = 0, rc;
	bool end = false, dump;
	const char *family;
	size_t off;
	ssize_t n;

	while ((opt = getopt(argc, argv, "+df:V:t:Nz:h")) != -1) {
		switch (opt) {
		case 'z':
			return run_fuzz(nl_open(), optarg, argv + optind,
					argc - optind);
		case 'd':
			flags = NLM_F_REQUEST | NLM_F_DUMP;
			break;
		case 'f':
			flags = parse_flags(optarg);
			break;
		case 'V':
			version = parse_num(optarg, 255);
			break;
		case 't':
			wait_ms = parse_num(optarg, 3600) * 1000;
			break;
		case 'N':
			decode_all_nests = true;
			break;
		default:
			die_usage();
		}
	}
	if (argc - optind < 2)
		die_usage();
	family = argv[optind];
	cmd = parse_num(argv[optind + 1], 255);

	fd = nl_open();
	set_timeout(fd, wait_ms);
	if (isdigit((unsigned char)family[0]))
		id = parse_num(family, 0xffff);
	else
		id = resolve(fd, family);
	if (!id) {
		printf("family %s not found\nresult %d %s\n", family, ENOENT,
		       errname(ENOENT));
		return EXIT_NOFAMILY;
	}

	off = NLMSG_HDRLEN + GENL_HDRLEN;
	for (optind += 2; optind < argc; optind++) {
		if (!strcmp(argv[optind], "--len") && optind + 1 < argc) {
			len_override = parse_num(argv[++optind], 0xffff);
			continue;
		}
		if (!strcmp(argv[optind], "--trunc") && optind + 1 < argc) {
			trunc = parse_num(argv[++optind], REQ_MAX);
			continue;
		}
		put_attr(req, &off, argv[optind], len_override, trunc);
		len_override = -1;
		trunc = -1;
	}
	nlh->nlmsg_len = off;
	nlh->nlmsg_type = id;
	nlh->nlmsg_flags = flags;
	nlh->nlmsg_seq = 2;
	g->cmd = cmd;
	g->version = version;
	printf("request family %s id %u cmd %d version %u flags 0x%x len %u\n",
	       family, id, cmd, version, flags, nlh->nlmsg_len);
	if (send(fd, req, off, 0) < 0) {
		rc = errno;
		printf("send failed: %s\nresult %d %s\n", strerror(rc), rc,
		       errname(rc));
		return EXIT_LOCAL;
	}

	/* A dump ends with DONE, anything else with an ack or an error */
	dump = (flags & NLM_F_DUMP) == NLM_F_DUMP;
	while (!end) {
		n = recv(fd, rx, sizeof(rx), MSG_TRUNC);
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			if (!dump && !(flags & NLM_F_ACK))
				break;	/* nothing more was asked for */
			printf("no end of the replies within %ld ms\nresult %d %s\n",
			       wait_ms, err, errname(err));
			return EXIT_TIMEOUT;
		}
		if (n < 0) {
			perror("smc_nlprobe: recv");
			return EXIT_LOCAL;
		}
		if (n > (ssize_t)sizeof(rx)) {
			printf("reply truncated (%zd bytes)\n", n);
			n = sizeof(rx);
		}
		for (nlh = (struct nlmsghdr *)rx; NLMSG_OK(nlh, n);
		     nlh = NLMSG_NEXT(nlh, n)) {
			msgs++;
			printf("msg %d type %u flags 0x%x seq %u len %u", msgs,
			       nlh->nlmsg_type, nlh->nlmsg_flags,
			       nlh->nlmsg_seq, nlh->nlmsg_len);
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				printf("\n");
				rc = -print_error(nlh);
				if (rc && !err)
					err = rc;
				end = true;
			} else if (nlh->nlmsg_type == NLMSG_DONE) {
				int de = 0;

				if (nlh->nlmsg_len >= NLMSG_HDRLEN + sizeof(de))
					memcpy(&de, NLMSG_DATA(nlh), sizeof(de));
				printf("\ndone");
				if (de) {
					printf(" error %d %s", -de, errname(-de));
					if (!err)
						err = -de;
				}
				printf("\n");
				if (dump || de)
					end = true;
			} else if (nlh->nlmsg_type >= NLMSG_MIN_TYPE &&
				   nlh->nlmsg_len >= NLMSG_HDRLEN + GENL_HDRLEN) {
				const struct genlmsghdr *rg = NLMSG_DATA(nlh);

				printf(" cmd %u version %u\n", rg->cmd,
				       rg->version);
				print_attrs((const unsigned char *)rg + GENL_HDRLEN,
					    nlh->nlmsg_len - NLMSG_HDRLEN -
					    GENL_HDRLEN, 1);
			} else {
				printf("\n");
			}
		}
		/* after the end, collect stragglers (an ack after DONE) */
		if (end) {
			set_timeout(fd, 200);
			n = recv(fd, rx, sizeof(rx), MSG_PEEK | MSG_DONTWAIT);
			if (n > 0)
				end = false;
		}
	}
	printf("result %d %s\n", err, errname(err));
	close(fd);
	return err > 250 ? EXIT_LOCAL : err;
}
