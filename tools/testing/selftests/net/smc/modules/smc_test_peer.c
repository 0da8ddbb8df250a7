// SPDX-License-Identifier: GPL-2.0
/*
 * smc_test_peer: test-only helper for the smc-ng selftests.
 *
 * /dev/smc_test_peer lets a test program mark one of its ordinary TCP
 * sockets as SMC-capable, the way AF_SMC marks its internal TCP socket:
 * tcp_sk(sk)->syn_smc = 1.  The kernel's TCP then puts the SMC
 * experimental option into the SYN (connect) or echoes it in the SYN-ACK
 * (listen), as long as an SMC module has enabled the tcp_have_smc static
 * key.  The program can thus act as a hostile or broken SMC peer from
 * plain user space: once the TCP handshake is done, everything else (CLC
 * messages or garbage) is just bytes it writes to the stream.
 *
 * Nothing in smc.ko depends on this module; it is never installed.
 */
#include <linux/fs.h>
#include <linux/in.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/net.h>
#include <linux/socket.h>
#include <linux/tcp.h>
#include <linux/uaccess.h>
#include <net/sock.h>
#include <net/tcp.h>

#include "smc_test_peer.h"

#if !IS_ENABLED(CONFIG_SMC)
#error "the kernel has no SMC support in TCP (CONFIG_SMC)"
#endif

/* The socket behind @fd if it is a TCP socket; a reference is held. */
static struct socket *smc_test_peer_tcp(int fd, int *err)
{
	struct socket *sock;
	struct sock *sk;

	sock = sockfd_lookup(fd, err);
	if (!sock)
		return NULL;
	sk = sock->sk;
	if (!sk || sock->type != SOCK_STREAM ||
	    (sk->sk_family != AF_INET && sk->sk_family != AF_INET6) ||
	    sk->sk_protocol != IPPROTO_TCP) {
		sockfd_put(sock);
		*err = -EPROTOTYPE;
		return NULL;
	}
	return sock;
}

static long smc_test_peer_ioctl(struct file *file, unsigned int cmd,
				unsigned long arg)
{
	void __user *uarg = (void __user *)arg;
	struct smc_test_peer_req req;
	struct socket *sock;
	struct sock *sk;
	int err = 0;

	if (cmd != SMC_TEST_PEER_SET && cmd != SMC_TEST_PEER_GET)
		return -ENOTTY;
	if (copy_from_user(&req, uarg, sizeof(req)))
		return -EFAULT;
	if (req.reserved)
		return -EINVAL;
	if (cmd == SMC_TEST_PEER_SET && req.syn_smc > 1)
		return -EINVAL;

	sock = smc_test_peer_tcp(req.fd, &err);
	if (!sock)
		return err;
	sk = sock->sk;

	lock_sock(sk);
	if (cmd == SMC_TEST_PEER_SET) {
		/* Only the next SYN or SYN-ACK can carry the option. */
		if (sk->sk_state != TCP_CLOSE && sk->sk_state != TCP_LISTEN)
			err = -EISCONN;
		else
			tcp_sk(sk)->syn_smc = req.syn_smc;
	}
	req.syn_smc = tcp_sk(sk)->syn_smc;
	release_sock(sk);
	sockfd_put(sock);

	if (err)
		return err;
	req.have_smc = static_branch_unlikely(&tcp_have_smc);
	if (copy_to_user(uarg, &req, sizeof(req)))
		return -EFAULT;
	return 0;
}

static const struct file_operations smc_test_peer_fops = {
	.owner		= THIS_MODULE,
	.unlocked_ioctl	= smc_test_peer_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.llseek		= noop_llseek,
};

static struct miscdevice smc_test_peer_dev = {
	.minor	= MISC_DYNAMIC_MINOR,
	.name	= SMC_TEST_PEER_NAME,
	.fops	= &smc_test_peer_fops,
	.mode	= 0600,
};

static int __init smc_test_peer_init(void)
{
	return misc_register(&smc_test_peer_dev);
}

static void __exit smc_test_peer_exit(void)
{
	misc_deregister(&smc_test_peer_dev);
}

module_init(smc_test_peer_init);
module_exit(smc_test_peer_exit);

MODULE_DESCRIPTION("smc-ng selftests: mark TCP sockets as SMC-capable");
MODULE_LICENSE("GPL");
