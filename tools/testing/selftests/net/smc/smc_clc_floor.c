// SPDX-License-Identifier: GPL-2.0
/*
 * smc_clc_floor - what carrying the CLC handshake over TCP costs a short
 * connection by itself, for make bench.
 *
 *   smc_clc_floor [-m tcp|clc] [-C CONNS] [-p PORT]
 *
 * Both modes run the bench's connection-rate loop (smc_stream -R) between
 * a client and a server process on 127.0.0.1, one connection at a time:
 *   tcp  connect, one byte each way over the TCP connection, close;
 *   clc  connect, then the three messages of an SMC-D handshake over the
 *        TCP connection (a PROPOSAL, its ACCEPT, the CONFIRM, sized as
 *        smc-ng sends them for a first contact), the server's thread
 *        answering them itself; then one byte each way over a Unix stream
 *        socket pair made once up front, whose round trip costs what one
 *        over the SMC-D loopback device does (make bench measures both);
 *        close.
 * Nothing in clc does SMC's own work (no second socket per end, no buffers,
 * no device, no decoding): its rate against tcp's estimates how close to
 * TCP's rate any SMC whose handshake crosses TCP can come on this machine.
 * An estimate, not a bound: here each message wakes the other process,
 * where a kernel handshake may run beside the sender (smc-ng's server
 * steps run in a worker on the client's CPU), but does more per message.
 * The client, as SMC's, lets TCP's last handshake ACK ride on its first
 * message (TCP_QUICKACK off before connect()).
 * Prints one line
 *   floor: mode=M conns=N conn_s=R
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* smc-ng's SMC-D v2 messages over the loopback device, first contact
 * (ss -ti in a guest: the client sends 306 bytes, the server 114).
 */
#define CLC_PROPOSAL_LEN	192
#define CLC_ACCEPT_LEN		114
#define CLC_CONFIRM_LEN		114

#define ARRAY_LEN(a)		(sizeof(a) / sizeof((a)[0]))

static void die(const char *what)
{
	fprintf(stderr, "smc_clc_floor: %s: %s\n", what, strerror(errno));
	exit(1);
}

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

static void recv_exact(int fd, char *buf, size_t len)
{
	ssize_t n;

	while (len) {
		n = recv(fd, buf, len, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			die("recv");
		if (!n) {
			errno = EPIPE;
			die("recv: early EOF");
		}
		buf += n;
		len -= n;
	}
}

static void send_exact(int fd, const char *buf, size_t len)
{
	ssize_t n;

	while (len) {
		n = send(fd, buf, len, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			die("send");
		buf += n;
		len -= n;
	}
}

static void expect_eof(int fd)
{
	char b;

	if (recv(fd, &b, 1, 0) != 0) {
		errno = EPROTO;
		die("recv: data instead of EOF");
	}
}

struct floor_cfg {
	int clc;
	long conns;
	int port;
	int pair[2];	/* the byte's path in clc mode */
};

/* The CLC's messages, and the request byte and its answer: the client
 * speaks first, then each side in turn.
 */
static const size_t clc_turns[] = {
	CLC_PROPOSAL_LEN, CLC_ACCEPT_LEN, CLC_CONFIRM_LEN
};

static const size_t byte_turns[] = { 1, 1 };

static void converse(int fd, const size_t *lens, size_t n, int client)
{
	char buf[CLC_PROPOSAL_LEN] = { 0 };
	size_t i;

	for (i = 0; i < n; i++) {
		if ((i % 2 == 0) == client)
			send_exact(fd, buf, lens[i]);
		else
			recv_exact(fd, buf, lens[i]);
	}
}

/* One connection's exchange, on either side: the CLC's messages over the
 * TCP connection in clc mode, then the byte each way over the Unix pair
 * (clc) or the TCP connection (tcp).
 */
static void exchange(const struct floor_cfg *cfg, int fd, int client)
{
	if (cfg->clc)
		converse(fd, clc_turns, ARRAY_LEN(clc_turns), client);
	converse(cfg->clc ? cfg->pair[!client] : fd, byte_turns,
		 ARRAY_LEN(byte_turns), client);
}

static void serve(const struct floor_cfg *cfg, int lfd)
{
	long i;
	int fd;

	for (i = 0; i < cfg->conns; i++) {
		fd = accept(lfd, NULL, NULL);
		if (fd < 0)
			die("accept");
		exchange(cfg, fd, 0);
		/* The client closes first, as in smc_stream -R. */
		expect_eof(fd);
		close(fd);
	}
}

static void client(const struct floor_cfg *cfg,
		   const struct sockaddr_in *addr)
{
	int zero = 0, fd;
	long i;

	for (i = 0; i < cfg->conns; i++) {
		fd = socket(AF_INET, SOCK_STREAM, 0);
		if (fd < 0)
			die("socket");
		if (cfg->clc && setsockopt(fd, IPPROTO_TCP, TCP_QUICKACK,
					   &zero, sizeof(zero)))
			die("TCP_QUICKACK");
		if (connect(fd, (const struct sockaddr *)addr, sizeof(*addr)))
			die("connect");
		exchange(cfg, fd, 1);
		close(fd);
	}
}

static void bad_usage(void)
{
	fprintf(stderr,
		"usage: smc_clc_floor [-m tcp|clc] [-C CONNS] [-p PORT]\n");
	exit(2);
}

static void parse(int argc, char **argv, struct floor_cfg *cfg)
{
	int c;

	while ((c = getopt(argc, argv, "m:C:p:")) != -1) {
		switch (c) {
		case 'm':
			if (!strcmp(optarg, "clc"))
				cfg->clc = 1;
			else if (strcmp(optarg, "tcp"))
				bad_usage();
			break;
		case 'C':
			cfg->conns = strtol(optarg, NULL, 0);
			break;
		case 'p':
			cfg->port = atoi(optarg);
			break;
		default:
			bad_usage();
		}
	}
	if (optind != argc || cfg->conns <= 0 || cfg->port <= 0 ||
	    cfg->port > 65535)
		bad_usage();
}

int main(int argc, char **argv)
{
	struct floor_cfg cfg = { .conns = 2000, .port = 7590 };
	struct sockaddr_in addr = { .sin_family = AF_INET };
	int lfd, one = 1, status;
	double t0, t1;
	pid_t pid;

	parse(argc, argv, &cfg);
	addr.sin_port = htons(cfg.port);
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, cfg.pair))
		die("socketpair");
	lfd = socket(AF_INET, SOCK_STREAM, 0);
	if (lfd < 0)
		die("socket");
	if (setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)))
		die("SO_REUSEADDR");
	if (bind(lfd, (struct sockaddr *)&addr, sizeof(addr)))
		die("bind");
	if (listen(lfd, 128))
		die("listen");

	pid = fork();
	if (pid < 0)
		die("fork");
	if (!pid) {
		serve(&cfg, lfd);
		_exit(0);
	}
	close(lfd);
	t0 = now();
	client(&cfg, &addr);
	t1 = now();
	if (waitpid(pid, &status, 0) != pid)
		die("waitpid");
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		fprintf(stderr, "smc_clc_floor: server failed\n");
		return 1;
	}
	printf("floor: mode=%s conns=%ld conn_s=%.1f\n",
	       cfg.clc ? "clc" : "tcp", cfg.conns, cfg.conns / (t1 - t0));
	return 0;
}
