// SPDX-License-Identifier: GPL-2.0
/*
 * smc-ng: SMC sockets of the inet families,
 * socket(AF_INET or AF_INET6, SOCK_STREAM, IPPROTO_SMC).
 *
 * Programs, and policies keyed on the address family (BPF cgroup hooks,
 * seccomp filters, LSM rules), that know only inet sockets can ask for SMC
 * by protocol number. inet_create()/inet6_create() build such a socket
 * from the protos registered here and then hand it to us; from there on it
 * is an SMC socket like any AF_SMC one: the same operations, the same
 * socket lists (so smc_diag reports it in the same record), the same
 * handshake and fallback. Only the family and protocol it reports differ.
 */
#include <linux/module.h>
#include <net/inet_common.h>
#include <net/ipv6.h>
#include <net/protocol.h>
#include <net/sock.h>

#include "smc_sock.h"

/* Newer uapi headers name the number; 6.1's IPPROTO_MAX (263) admits it. */
#ifndef IPPROTO_SMC
#define IPPROTO_SMC	256
#endif

/* inet6_create() finds the ipv6_pinfo at obj_size - sizeof(ipv6_pinfo):
 * it must end the object (checked in smc_inet_init()).
 */
struct smc_sock6 {
	struct smc_sock		smc;
	struct ipv6_pinfo	inet6;
};

static int smc_inet_init_sock(struct sock *sk);
static void smc_inet_destroy_sock(struct sock *sk);

/* Names as on kernels with IPPROTO_SMC in tree, in /proc/net/protocols. */
static struct proto smc_inet_proto = SMC_PROTO("INET_SMC", &smc_v4_sockets,
					       sizeof(struct smc_sock),
					       smc_inet_init_sock,
					       smc_inet_destroy_sock);
static struct proto smc_inet6_proto = SMC_PROTO("INET6_SMC", &smc_v6_sockets,
						sizeof(struct smc_sock6),
						smc_inet_init_sock,
						smc_inet_destroy_sock);

/* Not INET_PROTOSW_ICSK: the connection sock is our internal TCP socket;
 * this one is never hashed in TCP's tables.
 */
static struct inet_protosw smc_inet_protosw = {
	.type		= SOCK_STREAM,
	.protocol	= IPPROTO_SMC,
	.prot		= &smc_inet_proto,
	.ops		= &smc_inet_stream_ops,
};

static struct inet_protosw smc_inet6_protosw = {
	.type		= SOCK_STREAM,
	.protocol	= IPPROTO_SMC,
	.prot		= &smc_inet6_proto,
	.ops		= &smc_inet6_stream_ops,
};

/* Called by inet_create()/inet6_create() once the sock is an inet sock. */
static int smc_inet_init_sock(struct sock *sk)
{
	smc_sock_setup(sk);
	return smc_sock_open_tcp(smc_sk(sk), sk->sk_family);
}

/* Only sk_common_release() calls this: inet_create()/inet6_create() gave
 * up on the socket after our init (which failed, or a BPF program of the
 * cgroup refused the socket). Our own release never does.
 */
static void smc_inet_destroy_sock(struct sock *sk)
{
	lock_sock(sk);
	/* inet_sock_destruct() frees only closed stream socks. */
	sk->sk_state = SMC_CLOSED;
	smc_sock_release_tcp(smc_sk(sk));
	release_sock(sk);
}

/* A child of an IPPROTO_SMC listener is made by us, not by the inet
 * layer: give it what inet_create()/inet6_create() give a new socket,
 * so that it is the same kind of sock (and the inet destructors find
 * what they free).
 */
void smc_inet_child_init(struct sock *sk, const struct sock *lsk)
{
	struct inet_sock *inet = inet_sk(sk);
	struct net *net = sock_net(sk);
	struct ipv6_pinfo *np;

	inet->uc_ttl = -1;
	inet->mc_loop = 1;
	inet->mc_ttl = 1;
	inet->mc_all = 1;
	inet->pmtudisc = READ_ONCE(net->ipv4.sysctl_ip_no_pmtu_disc) ?
			 IP_PMTUDISC_DONT : IP_PMTUDISC_WANT;
	sk->sk_txrehash = READ_ONCE(net->core.sysctl_txrehash);
	if (sk->sk_family != PF_INET6) {
		sk->sk_destruct = inet_sock_destruct;
		return;
	}
	np = &container_of(smc_sk(sk), struct smc_sock6, smc)->inet6;
	inet->pinet6 = np;
	np->hop_limit = -1;
	np->mcast_hops = IPV6_DEFAULT_MCASTHOPS;
	np->mc_loop = 1;
	np->mc_all = 1;
	np->pmtudisc = IPV6_PMTUDISC_WANT;
	sk->sk_ipv6only = lsk->sk_ipv6only;
	sk->sk_destruct = inet6_sock_destruct;
}

/* The part of setting up IPPROTO_SMC that may fail, done before any
 * socket can be made (smc_inet_open() then opens the door).
 */
int smc_inet_init(void)
{
	int rc;

	BUILD_BUG_ON(offsetof(struct smc_sock6, inet6) !=
		     sizeof(struct smc_sock6) - sizeof(struct ipv6_pinfo));

	rc = proto_register(&smc_inet_proto, 1);
	if (rc)
		return rc;
	rc = proto_register(&smc_inet6_proto, 1);
	if (rc)
		proto_unregister(&smc_inet_proto);
	return rc;
}

int smc_inet_open(void)
{
	int rc;

	rc = inet6_register_protosw(&smc_inet6_protosw);
	if (rc)
		return rc;
	inet_register_protosw(&smc_inet_protosw);
	return 0;
}

void smc_inet_close(void)
{
	inet_unregister_protosw(&smc_inet_protosw);
	inet6_unregister_protosw(&smc_inet6_protosw);
}

/* Every IPPROTO_SMC socket holds a reference on this module (its proto's
 * and its operations' owner), so none is left when we get here. The
 * unregister calls in smc_inet_close() wait for socket() calls still
 * walking the lists, but not for one past them: inet_create() allocates
 * from our proto before it takes the module reference, as for every
 * protocol module (SCTP's, in-tree SMC's), and an unload racing with it
 * is not stopped here.
 */
void smc_inet_exit(void)
{
	proto_unregister(&smc_inet6_proto);
	proto_unregister(&smc_inet_proto);
}

/* socket(AF_INET[6], SOCK_STREAM, IPPROTO_SMC) loads us on demand.
 * (Numbers: the alias is made by stringification.)
 */
MODULE_ALIAS_NET_PF_PROTO_TYPE(PF_INET, 256, 1);
MODULE_ALIAS_NET_PF_PROTO_TYPE(PF_INET6, 256, 1);
