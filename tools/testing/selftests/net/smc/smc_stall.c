// SPDX-License-Identifier: GPL-2.0
/*
 * smc_stall: an AF_SMC send or receive whose user buffer faults halfway
 * for as long as we like (a userfaultfd range), while a command runs.
 *
 *   smc_stall send|recv|oob PORT WAIT_MS -- COMMAND [ARG]...
 *
 * A connected pair over 127.0.0.1:PORT; then one call on the client:
 *   send  64 KiB from a buffer whose second half is not there yet,
 *   recv  64 KiB (MSG_WAITALL) into such a buffer,
 *   oob   recv(MSG_OOB) of one byte into a page that is not there yet.
 * Once the call waits for its page, COMMAND runs (device removal, or
 * "true"); it gets WAIT_MS to finish while the page is still missing.
 * Then the page comes, the call ends, and the data is checked.
 *
 * One line on stdout:
 *   mode=send path=smc cmd_rc=0 cmd_ms=12 cmd_blocked=0 call=65536
 *   errno=0 data=ok
 * cmd_blocked=1: COMMAND was still running WAIT_MS after it started
 * (then cmd_ms is the time it took once the page came). path is smc when
 * the socket still is an AF_SMC one (no fallback). data is ok when the
 * bytes that arrived are the ones sent, "-" when none were to be checked.
 * Exit 0 once it got that far, 2 on a usage or set-up error (the reason
 * on stderr), 4 if userfaultfd is not available.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/userfaultfd.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef AF_SMC
#define AF_SMC 43
#endif

#define LEN	(64 * 1024)

enum mode { M_SEND, M_RECV, M_OOB };

static enum mode mode;
static int cfd, sfd;
static char *region;
static long page;
static long call_ret;
static int call_errno;
static long peer_got;
static int peer_ok = 1;

static void die(const char *what)
{
	fprintf(stderr, "smc_stall: %s: %s\n", what, strerror(errno));
	exit(2);
}

static char pat(long i)
{
	return (char)(i * 13 + (i >> 9) + 5);
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void connect_pair(int port)
{
	struct sockaddr_in a = {
		.sin_family = AF_INET,
		.sin_port = htons(port),
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	int one = 1, l;

	l = socket(AF_SMC, SOCK_STREAM, 0);
	if (l < 0)
		die("socket(AF_SMC)");
	setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(l, (struct sockaddr *)&a, sizeof(a)) || listen(l, 1))
		die("bind/listen");
	cfd = socket(AF_SMC, SOCK_STREAM, 0);
	if (cfd < 0 || connect(cfd, (struct sockaddr *)&a, sizeof(a)))
		die("connect");
	sfd = accept(l, NULL, NULL);
	if (sfd < 0)
		die("accept");
	close(l);
}

static const char *path_of(int fd)
{
	int dom = 0;
	socklen_t sl = sizeof(dom);

	/* A connection that fell back is a TCP socket from then on. */
	if (getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &dom, &sl))
		return "?";
	return dom == AF_SMC ? "smc" : "tcp";
}

/* The missing half of the region, or the one page for oob. */
static char *missing(void)
{
	return mode == M_OOB ? region : region + LEN / 2;
}

static size_t missing_len(void)
{
	return mode == M_OOB ? (size_t)page : LEN / 2;
}

static int uffd_setup(void)
{
	struct uffdio_api api = { .api = UFFD_API };
	struct uffdio_register reg = { .mode = UFFDIO_REGISTER_MODE_MISSING };
	int fd;

	fd = syscall(__NR_userfaultfd, O_CLOEXEC | O_NONBLOCK);
	if (fd < 0) {
		fprintf(stderr, "smc_stall: userfaultfd: %s\n", strerror(errno));
		exit(4);
	}
	if (ioctl(fd, UFFDIO_API, &api))
		die("UFFDIO_API");
	region = mmap(NULL, LEN, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (region == MAP_FAILED)
		die("mmap");
	/* The first half is there before the range is registered. */
	if (mode != M_OOB) {
		long i;

		for (i = 0; i < LEN / 2; i++)
			region[i] = mode == M_SEND ? pat(i) : 0;
	}
	reg.range.start = (unsigned long)missing();
	reg.range.len = missing_len();
	if (ioctl(fd, UFFDIO_REGISTER, &reg))
		die("UFFDIO_REGISTER");
	return fd;
}

/* The page comes: for a send, with the rest of the pattern in it. */
static void uffd_resolve(int fd)
{
	static char src[LEN];
	struct uffdio_copy cp = {
		.dst = (unsigned long)missing(),
		.src = (unsigned long)src,
		.len = missing_len(),
	};
	size_t i;

	for (i = 0; i < missing_len(); i++)
		src[i] = mode == M_SEND ? pat(LEN / 2 + i) : 0;
	if (ioctl(fd, UFFDIO_COPY, &cp) && errno != EEXIST)
		die("UFFDIO_COPY");
}

static void *client_call(void *arg)
{
	(void)arg;
	switch (mode) {
	case M_SEND:
		call_ret = send(cfd, region, LEN, 0);
		break;
	case M_RECV:
		call_ret = recv(cfd, region, LEN, MSG_WAITALL);
		break;
	case M_OOB:
		call_ret = recv(cfd, region, 1, MSG_OOB);
		break;
	}
	call_errno = call_ret < 0 ? errno : 0;
	return NULL;
}

/* The server's end of a send: read until EOF or an error, checking. */
static void *server_read(void *arg)
{
	static char buf[LEN];
	ssize_t n;

	(void)arg;
	while (peer_got < LEN &&
	       (n = recv(sfd, buf, LEN - peer_got, 0)) > 0) {
		for (ssize_t i = 0; i < n; i++)
			if (buf[i] != pat(peer_got + i))
				peer_ok = 0;
		peer_got += n;
	}
	return NULL;
}

static void server_write(void)
{
	static char buf[LEN];
	long i;

	if (mode == M_OOB) {
		if (send(sfd, "ab", 2, 0) != 2 || send(sfd, "X", 1, MSG_OOB) != 1)
			die("send urgent");
		return;
	}
	for (i = 0; i < LEN; i++)
		buf[i] = pat(i);
	/* 64 KiB fit in the default ring: no reader needed meanwhile. */
	if (send(sfd, buf, LEN, MSG_DONTWAIT) != LEN)
		die("send 64 KiB");
}

static void wait_fault(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	struct uffd_msg m;

	if (poll(&p, 1, 10000) != 1)
		die("no fault within 10 s");
	if (read(fd, &m, sizeof(m)) != sizeof(m) ||
	    m.event != UFFD_EVENT_PAGEFAULT)
		die("userfaultfd read");
}

static const char *check_data(void)
{
	long i, n;

	switch (mode) {
	case M_SEND:
		if (!peer_got)
			return "-";
		return peer_ok && peer_got == (call_ret > 0 ? call_ret : 0) ?
		       "ok" : "bad";
	case M_RECV:
		n = call_ret > 0 ? call_ret : 0;
		if (!n)
			return "-";
		for (i = 0; i < n; i++)
			if (region[i] != pat(i))
				return "bad";
		return "ok";
	case M_OOB:
		if (call_ret != 1)
			return "-";
		return region[0] == 'X' ? "ok" : "bad";
	}
	return "?";
}

int main(int argc, char **argv)
{
	pthread_t call, reader;
	long wait_ms, t0, cmd_ms;
	const char *path;
	int fd, status = 0, blocked = 1, rc;
	pid_t pid;

	if (argc < 6 || strcmp(argv[4], "--"))
		goto usage;
	if (!strcmp(argv[1], "send"))
		mode = M_SEND;
	else if (!strcmp(argv[1], "recv"))
		mode = M_RECV;
	else if (!strcmp(argv[1], "oob"))
		mode = M_OOB;
	else
		goto usage;
	wait_ms = atol(argv[3]);
	page = sysconf(_SC_PAGESIZE);
	signal(SIGPIPE, SIG_IGN);

	fd = uffd_setup();
	connect_pair(atoi(argv[2]));
	if (mode == M_SEND) {
		if (pthread_create(&reader, NULL, server_read, NULL))
			die("pthread_create");
	} else {
		struct pollfd p = { .fd = cfd,
				    .events = mode == M_OOB ? POLLPRI : POLLIN };

		server_write();
		if (poll(&p, 1, 5000) != 1)
			die("nothing to read");
		usleep(20000);
	}
	path = path_of(cfd);
	if (pthread_create(&call, NULL, client_call, NULL))
		die("pthread_create");
	wait_fault(fd);

	t0 = now_ms();
	pid = fork();
	if (pid < 0)
		die("fork");
	if (!pid) {
		execvp(argv[5], argv + 5);
		_exit(127);
	}
	while (now_ms() - t0 < wait_ms) {
		if (waitpid(pid, &status, WNOHANG) == pid) {
			blocked = 0;
			break;
		}
		usleep(5000);
	}
	cmd_ms = now_ms() - t0;

	uffd_resolve(fd);
	pthread_join(call, NULL);
	if (blocked) {
		waitpid(pid, &status, 0);
		cmd_ms = now_ms() - t0;
	}
	rc = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	/* The server's end goes, so that a reader of a short send sees EOF. */
	shutdown(cfd, SHUT_RDWR);
	if (mode == M_SEND)
		pthread_join(reader, NULL);
	printf("mode=%s path=%s cmd_rc=%d cmd_ms=%ld cmd_blocked=%d call=%ld errno=%s data=%s\n",
	       argv[1], path, rc, cmd_ms, blocked, call_ret,
	       call_errno ? strerrorname_np(call_errno) : "0", check_data());
	return 0;
usage:
	fprintf(stderr, "usage: smc_stall send|recv|oob PORT WAIT_MS -- COMMAND [ARG]...\n");
	return 2;
}
