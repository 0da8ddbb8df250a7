// SPDX-License-Identifier: GPL-2.0
/*
 * smc_idle - what an idle connection costs the kernel, for make bench.
 *
 *   smc_idle [-f smc|tcp|unix] [-n CONNS] [-p PORT]
 *
 * Opens CONNS connections to itself (both ends in this process), lets
 * them settle, and reports the kernel memory they hold: the drop in
 * MemFree, less what page cache and buffers grew by, divided by CONNS.
 * Each connection counts with both its ends. Prints one line
 *   idle: family=F conns=N kib_per_conn=K
 * The figure includes everything a connection pins in the kernel (socket
 * structures, TCP state, SMC buffers); run it on an otherwise idle
 * machine, and before anything else filled the loopback device's buffer
 * pool, or pooled buffers are not counted.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#ifndef AF_SMC
#define AF_SMC 43
#endif

static void die(const char *what)
{
	fprintf(stderr, "smc_idle: %s: %s\n", what, strerror(errno));
	exit(1);
}

/* Kernel-held memory by /proc/meminfo, KiB: not free, not page cache. */
static long kernel_kib(void)
{
	long v, free_kib = 0, total = 0, cached = 0, buffers = 0;
	char key[64];
	FILE *f = fopen("/proc/meminfo", "r");

	if (!f)
		die("/proc/meminfo");
	while (fscanf(f, "%63s %ld kB\n", key, &v) == 2) {
		if (!strcmp(key, "MemTotal:"))
			total = v;
		else if (!strcmp(key, "MemFree:"))
			free_kib = v;
		else if (!strcmp(key, "Cached:"))
			cached = v;
		else if (!strcmp(key, "Buffers:"))
			buffers = v;
	}
	fclose(f);
	return total - free_kib - cached - buffers;
}

static int new_socket(int fam)
{
	int fd;

	if (fam == AF_UNIX)
		fd = socket(AF_UNIX, SOCK_STREAM, 0);
	else
		fd = socket(fam, SOCK_STREAM, 0);
	if (fd < 0)
		die("socket");
	return fd;
}

int main(int argc, char **argv)
{
	struct sockaddr_storage ss = {};
	struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
	struct sockaddr_un *sun = (struct sockaddr_un *)&ss;
	const char *fname = "smc";
	int n = 500, port = 7700, fam = AF_SMC, lfd, i, c;
	struct rlimit rl;
	socklen_t len;
	long before, after;
	int *fds;

	while ((c = getopt(argc, argv, "f:n:p:")) != -1) {
		switch (c) {
		case 'f':
			fname = optarg;
			break;
		case 'n':
			n = atoi(optarg);
			break;
		case 'p':
			port = atoi(optarg);
			break;
		default:
			fprintf(stderr, "usage: smc_idle [-f smc|tcp|unix] [-n CONNS] [-p PORT]\n");
			return 2;
		}
	}
	if (!strcmp(fname, "tcp"))
		fam = AF_INET;
	else if (!strcmp(fname, "unix"))
		fam = AF_UNIX;
	else if (strcmp(fname, "smc"))
		return 2;
	if (n < 1)
		return 2;

	rl.rlim_cur = rl.rlim_max = 2 * n + 64;
	if (setrlimit(RLIMIT_NOFILE, &rl))
		die("RLIMIT_NOFILE");
	fds = calloc(2 * n, sizeof(*fds));
	if (!fds)
		die("calloc");

	if (fam == AF_UNIX) {
		sun->sun_family = AF_UNIX;
		snprintf(sun->sun_path + 1, sizeof(sun->sun_path) - 1,
			 "smc_idle.%d", port);
		len = offsetof(struct sockaddr_un, sun_path) + 1 +
		      strlen(sun->sun_path + 1);
	} else {
		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		len = sizeof(*sin);
	}

	/* Memory freed by earlier work may still trickle back (RCU, delayed
	 * frees): start from a figure that has stopped moving.
	 */
	before = kernel_kib();
	for (i = 0; i < 20; i++) {
		usleep(300000);
		after = kernel_kib();
		if (labs(after - before) < 64)
			break;
		before = after;
	}
	before = after;
	lfd = new_socket(fam);
	c = 1;
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &c, sizeof(c));
	if (bind(lfd, (struct sockaddr *)&ss, len) || listen(lfd, n))
		die("listen");
	/* Connect and accept in turns: the backlog never overflows. */
	for (i = 0; i < n; i++) {
		fds[2 * i] = new_socket(fam);
		if (connect(fds[2 * i], (struct sockaddr *)&ss, len))
			die("connect");
		fds[2 * i + 1] = accept(lfd, NULL, NULL);
		if (fds[2 * i + 1] < 0)
			die("accept");
	}
	sleep(1);
	after = kernel_kib();
	printf("idle: family=%s conns=%d kib_per_conn=%.1f\n", fname, n,
	       (double)(after - before) / n);
	for (i = 0; i < 2 * n; i++)
		close(fds[i]);
	close(lfd);
	free(fds);
	return 0;
}
