// SPDX-License-Identifier: GPL-2.0
/*
 * smc_test_delay: test-only race widener for the smc-ng selftests.
 *
 * Some races of the data path need one CPU to stop between two steps of
 * a system call while the peer runs on the other, which a loaded machine
 * does now and then and a test never does on purpose. This module makes
 * it happen every time: when the function named by "symbol" returns the
 * value "when_ret" (any value with "any_ret", for a function that returns
 * none) in a task whose name starts with "comm" (a worker's, say
 * "kworker/"), the task spins for "delay_ms" before it goes on, at most
 * "count" times. "hits" counts the delays made, so that a test can tell a
 * race that was tried from one that was never reached; "stopped" says
 * whether a delay is going on now. Writing to "count" re-arms it.
 *
 * It spins rather than sleeps: a return probe's handler may not sleep,
 * and a spinning task also keeps its CPU from running anything else,
 * which is what a descheduled virtual CPU looks like. It spins on the
 * clock user space sees, not mdelay(): under emulation the guest marks
 * its TSC unstable and a 200 ms mdelay() was seen to end within 10 ms.
 *
 * Nothing in smc.ko depends on this module; it is never installed.
 */
#include <linux/atomic.h>
#include <linux/ktime.h>
#include <linux/timekeeping.h>
#include <linux/kprobes.h>
#include <linux/module.h>
#include <linux/ptrace.h>
#include <linux/sched.h>
#include <linux/string.h>

static char *symbol = "smc_conn_readable";
module_param(symbol, charp, 0444);
MODULE_PARM_DESC(symbol, "function whose return is delayed");

static char *comm = "smc_stream";
module_param(comm, charp, 0444);
MODULE_PARM_DESC(comm, "only tasks whose name starts so are delayed");

/* An int: the functions of interest return int or bool, and the upper
 * half of the return register is undefined for those (-EAGAIN read as a
 * long is 4294967285).
 */
static int when_ret;
module_param(when_ret, int, 0444);
MODULE_PARM_DESC(when_ret, "only returns of this value are delayed");

static bool any_ret;
module_param(any_ret, bool, 0444);
MODULE_PARM_DESC(any_ret, "delay every return, whatever its value");

static unsigned int delay_ms = 20;
module_param(delay_ms, uint, 0444);
MODULE_PARM_DESC(delay_ms, "how long a delayed task spins");

/* count, hits and stopped: counters, one getter for all three. */
static int smc_test_delay_get_atomic(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%d\n", atomic_read((atomic_t *)kp->arg));
}

static atomic_t left = ATOMIC_INIT(100);

static int smc_test_delay_set_count(const char *val,
				    const struct kernel_param *kp)
{
	int n, rc = kstrtoint(val, 0, &n);

	if (rc || n < 0)
		return rc ?: -EINVAL;
	atomic_set((atomic_t *)kp->arg, n);
	return 0;
}

static const struct kernel_param_ops smc_test_delay_count_ops = {
	.set = smc_test_delay_set_count,
	.get = smc_test_delay_get_atomic,
};
module_param_cb(count, &smc_test_delay_count_ops, &left, 0644);
MODULE_PARM_DESC(count, "delays left to make");

static const struct kernel_param_ops smc_test_delay_atomic_ops = {
	.get = smc_test_delay_get_atomic,
};

static atomic_t hits = ATOMIC_INIT(0);
module_param_cb(hits, &smc_test_delay_atomic_ops, &hits, 0444);
MODULE_PARM_DESC(hits, "delays made");

/* Whether a task is being delayed right now: what a test looks at to know
 * that something it saw happened during a delay, not after it.
 */
static atomic_t stopped = ATOMIC_INIT(0);
module_param_cb(stopped, &smc_test_delay_atomic_ops, &stopped, 0444);
MODULE_PARM_DESC(stopped, "tasks being delayed now");

static void smc_test_delay_spin(void)
{
	ktime_t end = ktime_add_ms(ktime_get(), delay_ms);

	while (ktime_before(ktime_get(), end))
		cpu_relax();
}

static int smc_test_delay_ret(struct kretprobe_instance *ri,
			      struct pt_regs *regs)
{
	if ((!any_ret && (int)regs_return_value(regs) != when_ret) ||
	    strncmp(current->comm, comm, strlen(comm)) ||
	    atomic_dec_if_positive(&left) < 0)
		return 0;
	atomic_inc(&stopped);
	/* Whoever sees the hit also sees the stop. */
	smp_mb__after_atomic();
	atomic_inc(&hits);
	smc_test_delay_spin();
	atomic_dec(&stopped);
	return 0;
}

static struct kretprobe smc_test_delay_probe = {
	.handler	= smc_test_delay_ret,
	.maxactive	= 64,
};

static int __init smc_test_delay_init(void)
{
	if (delay_ms > 1000)
		return -EINVAL;
	smc_test_delay_probe.kp.symbol_name = symbol;
	return register_kretprobe(&smc_test_delay_probe);
}

static void __exit smc_test_delay_exit(void)
{
	unregister_kretprobe(&smc_test_delay_probe);
}

module_init(smc_test_delay_init);
module_exit(smc_test_delay_exit);

MODULE_DESCRIPTION("smc-ng selftests: delay a function's return to widen a race");
MODULE_LICENSE("GPL");
