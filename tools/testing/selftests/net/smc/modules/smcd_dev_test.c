// SPDX-License-Identifier: GPL-2.0
/*
 * smcd_dev_test: test-only client of smc-ng's SMC-D device layer, driven
 * by test_smcd_device.sh; never installed.
 *
 * It registers as a client and keeps a user reference on the device named
 * by the dev_name parameter for as long as that device is registered.
 * Commands, written to /sys/kernel/debug/smcd_dev_test/ctl:
 *   run          functional checks of the device
 *   limit        fill the device up to its DMB limit and back
 *   hold N LEN   register N DMBs of LEN bytes (charged to the writer's
 *                memcg), attach a view to each and take an extra device
 *                reference; keep all of it
 *   release      give back what "hold" took
 *   cdc TOKEN PW PC CW CC PF CF N [DIGEST]
 *                act as a hostile peer: write a CDC header of these
 *                fields (producer wrap and count, consumer wrap and
 *                count, producer and connection flags, the last word in
 *                hex, 0 as Linux writes it) into the DMB TOKEN names,
 *                signalled, N times
 *   blank TOKEN N
 *                write an all-zero header (as a DMB starts) and signal
 *                it N times: a device's stale signals
 * Reading ctl gives the last command's results: one "ok - ..." or
 * "not ok - ..." line per check, then "# done: N checks, N failed".
 * Reading status gives "device=<name|-> added=N removed=N hidden=N
 * held=N refused=<errno> release_errors=N": hidden counts remove() calls
 * in which a lookup no longer found the device and it was marked going
 * down, refused is what registering a DMB inside the last remove()
 * returned.
 *
 * remove() gives the held resources back at once, or release_delay_ms
 * later from a work item; the device's unregistration then has to wait.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/completion.h>
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/fs.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/random.h>
#include <linux/sched/task.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/smcd_device.h>
#include <linux/string.h>
#include <linux/timer.h>
#include <linux/workqueue.h>

static char *tst_dev_name = "loopback-ism";
module_param_named(dev_name, tst_dev_name, charp, 0444);
MODULE_PARM_DESC(dev_name, "the device to test");

static unsigned int release_delay_ms;
module_param(release_delay_ms, uint, 0644);
MODULE_PARM_DESC(release_delay_ms, "remove() releases held resources this much later");

#define TST_OUT_SIZE		SZ_32K
#define TST_HOLD_MAX		4096
#define TST_LIMIT_MAX		256
#define TST_RACE_ROUNDS		20
#define TST_ORPHAN_NEIGHBOURS	8

enum tst_ctx {
	TST_CTX_NONE,
	TST_CTX_TASK,		/* process context */
	TST_CTX_TASK_BH,	/* process context, BHs disabled */
	TST_CTX_SOFTIRQ,	/* serving a softirq */
	TST_CTX_OTHER,
};

/* A DMB of ours and what its signal callback saw. */
struct tst_dmb {
	struct smcd_buf	buf;
	atomic_t	signals;
	atomic_t	late;		/* signals after unregistration */
	struct smcd_buf	*seen;		/* @buf as the last signal passed it */
	int		ctx;		/* enum tst_ctx of the last signal */
	bool		dead;		/* unregistration has returned */
};

/* What "hold" keeps; remove() may hand it to a work item. */
struct tst_hold {
	struct smcd_device	*dev;
	struct tst_dmb		*dmbs;
	struct smcd_buf		*views;
	unsigned int		n, nviews;
	struct delayed_work	work;
};

static DEFINE_MUTEX(tst_lock);		/* everything below */
static struct smcd_device *tst_dev;
static unsigned int tst_added, tst_removed, tst_hidden;
static int tst_refused;
static atomic_t tst_release_errors = ATOMIC_INIT(0);
static struct tst_hold *tst_held;
static char *tst_out;
static size_t tst_out_len;
static unsigned int tst_checks, tst_failed;
static struct dentry *tst_dir;
static struct workqueue_struct *tst_wq;
static u8 tst_pattern[256];

static __printf(1, 2) void tst_print(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	tst_out_len += vscnprintf(tst_out + tst_out_len,
				  TST_OUT_SIZE - tst_out_len, fmt, ap);
	va_end(ap);
}

/* One result line; returns @good. */
static __printf(2, 3) bool tst_check(bool good, const char *fmt, ...)
{
	struct va_format vaf;
	va_list ap;

	va_start(ap, fmt);
	vaf.fmt = fmt;
	vaf.va = &ap;
	tst_print("%sok - %pV\n", good ? "" : "not ", &vaf);
	va_end(ap);
	tst_checks++;
	if (!good)
		tst_failed++;
	return good;
}

static void tst_signal(struct smcd_buf *buf)
{
	struct tst_dmb *d = buf->owner;
	int ctx = TST_CTX_OTHER;

	if (in_serving_softirq())
		ctx = TST_CTX_SOFTIRQ;
	else if (in_task())
		ctx = softirq_count() ? TST_CTX_TASK_BH : TST_CTX_TASK;
	WRITE_ONCE(d->ctx, ctx);
	WRITE_ONCE(d->seen, buf);
	if (READ_ONCE(d->dead))
		atomic_inc(&d->late);
	atomic_inc(&d->signals);
}

static int tst_reg(struct smcd_device *dev, struct tst_dmb *d, u32 len,
		   gfp_t gfp)
{
	memset(d, 0, sizeof(*d));
	d->buf.len = len;
	return smcd_dmb_register(dev, &d->buf, gfp, tst_signal, d);
}

static int tst_unreg(struct smcd_device *dev, struct tst_dmb *d)
{
	int rc = smcd_dmb_unregister(dev, &d->buf);

	WRITE_ONCE(d->dead, true);
	return rc;
}

static int tst_dmbs(struct smcd_device *dev)
{
	return atomic_read(&dev->dmbs);
}

/* A token none of @d's DMBs has (a 64-bit random one, in effect unused). */
static u64 tst_unknown_token(const struct tst_dmb *d, unsigned int n)
{
	unsigned int i;
	u64 token;

again:
	token = get_random_u64();
	for (i = 0; i < n; i++)
		if (!token || d[i].buf.token == token)
			goto again;
	return token;
}

static bool tst_match_name(struct smcd_device *dev, void *arg)
{
	return !strcmp(dev->name, arg);
}

static bool tst_match_ptr(struct smcd_device *dev, void *arg)
{
	return dev == arg;
}

static void tst_attrs(struct smcd_device *dev)
{
	struct smcd_device *found, *it;
	struct smcd_gid gid, other;
	bool seen = false;
	int rc;

	dev->ops->get_gid(dev, &gid);
	tst_check(gid.gid || gid.gid_ext, "GID is set (%016llx%016llx)",
		  gid.gid, gid.gid_ext);
	tst_check(((gid.gid >> 12) & 0xf) == 4 && (gid.gid_ext >> 62) == 2,
		  "GID is a version 4 UUID read big-endian");
	tst_check(dev->ops->get_chid(dev) == SMCD_CHID_LOOPBACK,
		  "CHID is 0xffff (got 0x%04x)", dev->ops->get_chid(dev));
	tst_check(dev->ops->supports_v2(dev), "device supports SMC-Dv2");
	tst_check(!memchr_inv(dev->pnetid, 0, sizeof(dev->pnetid)),
		  "no PNETID");
	tst_check(dev->max_dmbs > 0, "DMB limit set (%u)", dev->max_dmbs);
	tst_check(smcd_device_can_attach(dev), "device offers attach/detach");

	rc = dev->ops->query_gid(dev, &gid, 0, 0);
	tst_check(!rc, "query_gid: own GID reachable (rc %d)", rc);
	rc = dev->ops->query_gid(dev, &gid, 1, SMCD_VID_NONE);
	tst_check(!rc, "query_gid: own GID reachable with VLAN %#x (rc %d)",
		  SMCD_VID_NONE, rc);
	other = gid;
	other.gid ^= 1;
	rc = dev->ops->query_gid(dev, &other, 0, 0);
	tst_check(rc < 0, "query_gid: other GID unreachable (rc %d)", rc);
	other = gid;
	other.gid_ext ^= BIT_ULL(63);
	rc = dev->ops->query_gid(dev, &other, 0, 0);
	tst_check(rc < 0, "query_gid: GID differing in gid_ext unreachable (rc %d)",
		  rc);
	memset(&other, 0, sizeof(other));
	rc = dev->ops->query_gid(dev, &other, 0, 0);
	tst_check(rc < 0, "query_gid: zero GID unreachable (rc %d)", rc);

	rc = smcd_add_vlan_id(dev, 5);
	tst_check(rc == -EOPNOTSUPP, "add_vlan_id: -EOPNOTSUPP (rc %d)", rc);
	rc = smcd_del_vlan_id(dev, 5);
	tst_check(rc == -EOPNOTSUPP, "del_vlan_id: -EOPNOTSUPP (rc %d)", rc);

	found = smcd_device_find(tst_match_name, dev->name);
	tst_check(found == dev, "find by name returns the device");
	if (found)
		smcd_device_put(found);
	found = smcd_device_find(tst_match_name, "smcd-no-such-device");
	tst_check(!found, "find of an absent name returns NULL");
	if (found)
		smcd_device_put(found);
	smcd_for_each_device(it)
		if (it == dev)
			seen = true;
	tst_check(seen, "for-each iterator visits the device");
}

static const u32 tst_sizes[] = {
	1, 4096, SZ_16K, SZ_32K, SZ_64K, 100000, SZ_1M,
};

/* Several sizes; @d has ARRAY_SIZE(tst_sizes) entries. */
static void tst_register(struct smcd_device *dev, struct tst_dmb *d)
{
	unsigned int i, j, n = ARRAY_SIZE(tst_sizes);
	int base = tst_dmbs(dev), rc;
	bool good = true, distinct = true;
	struct tst_dmb zero;

	for (i = 0; i < n; i++) {
		rc = tst_reg(dev, &d[i], tst_sizes[i], GFP_KERNEL);
		good &= tst_check(!rc && d[i].buf.token && d[i].buf.cpu_addr &&
				  d[i].buf.len == tst_sizes[i] &&
				  d[i].buf.owner == &d[i] &&
				  d[i].buf.signal == tst_signal,
				  "register a DMB of %u bytes (rc %d)",
				  tst_sizes[i], rc);
		if (rc)
			continue;
		tst_check(!memchr_inv(d[i].buf.cpu_addr, 0, d[i].buf.len),
			  "DMB of %u bytes is zeroed", tst_sizes[i]);
	}
	if (!good)
		return;
	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++)
			if (d[i].buf.token == d[j].buf.token ||
			    d[i].buf.sba_idx == d[j].buf.sba_idx)
				distinct = false;
	tst_check(distinct, "tokens and sba indices are distinct");
	/* Seven random 64-bit tokens all below 2^48: chance 2^-112. */
	for (i = 0, j = 0; i < n; i++)
		if (d[i].buf.token >> 48)
			j++;
	tst_check(j && d[1].buf.token - d[0].buf.token !=
		       d[2].buf.token - d[1].buf.token,
		  "tokens look random, not counted");
	tst_check(tst_dmbs(dev) == base + n, "dmbs counts them (%d, want %d)",
		  tst_dmbs(dev), base + n);

	rc = tst_reg(dev, &zero, 0, GFP_KERNEL);
	tst_check(rc == -EINVAL, "register 0 bytes: -EINVAL (rc %d)", rc);
	if (!rc)
		tst_unreg(dev, &zero);
	tst_check(tst_dmbs(dev) == base + n,
		  "a failed registration is not counted");
}

/* Writes by token; @d is a 64 KiB DMB, @all the set it belongs to. */
static void tst_moves(struct smcd_device *dev, struct tst_dmb *d,
		      struct tst_dmb *all, unsigned int n)
{
	const struct smcd_device_ops *ops = dev->ops;
	u8 *mem = d->buf.cpu_addr;
	u32 len = d->buf.len;
	u64 bad = tst_unknown_token(all, n);
	int sig, rc;

	memset(mem, 0xa5, len);
	sig = atomic_read(&d->signals);
	rc = ops->move_data(dev, d->buf.token, 0, false, 100, tst_pattern, 64);
	tst_check(!rc && !memcmp(mem + 100, tst_pattern, 64) &&
		  mem[99] == 0xa5 && mem[164] == 0xa5,
		  "move_data without signal: bytes landed (rc %d)", rc);
	tst_check(atomic_read(&d->signals) == sig,
		  "move_data without signal: owner not signalled");

	rc = ops->move_data(dev, d->buf.token, 0, true, 0, tst_pattern, 32);
	tst_check(!rc && !memcmp(mem, tst_pattern, 32),
		  "move_data with signal: bytes landed (rc %d)", rc);
	tst_check(atomic_read(&d->signals) == sig + 1 && d->seen == &d->buf,
		  "move_data with signal: owner signalled once with its DMB (%d)",
		  atomic_read(&d->signals) - sig);
	tst_check(d->ctx == TST_CTX_TASK,
		  "signal ran in the writer's process context (ctx %d)",
		  d->ctx);

	rc = ops->move_data(dev, d->buf.token, 0, false, len - 16,
			    tst_pattern, 16);
	tst_check(!rc && !memcmp(mem + len - 16, tst_pattern, 16),
		  "move_data up to the last byte (rc %d)", rc);
	rc = ops->move_data(dev, d->buf.token, 0, false, len, tst_pattern, 0);
	tst_check(!rc, "move_data of 0 bytes at the end (rc %d)", rc);

	sig = atomic_read(&d->signals);
	rc = ops->move_data(dev, d->buf.token, 0, true, len - 15,
			    tst_pattern + 100, 16);
	tst_check(rc == -EINVAL, "move_data one byte past the end: -EINVAL (rc %d)",
		  rc);
	tst_check(!memcmp(mem + len - 15, tst_pattern + 1, 15) &&
		  atomic_read(&d->signals) == sig,
		  "rejected move_data wrote nothing and signalled nobody");
	rc = ops->move_data(dev, d->buf.token, 0, false, len + 1,
			    tst_pattern, 0);
	tst_check(rc == -EINVAL, "move_data at offset len+1: -EINVAL (rc %d)",
		  rc);
	rc = ops->move_data(dev, d->buf.token, 0, false, 8, tst_pattern,
			    U32_MAX);
	tst_check(rc == -EINVAL, "move_data of 4 GiB: -EINVAL (rc %d)", rc);
	rc = ops->move_data(dev, d->buf.token, 0, false, U32_MAX,
			    tst_pattern, 2);
	tst_check(rc == -EINVAL, "move_data wrapping offset: -EINVAL (rc %d)",
		  rc);
	rc = ops->move_data(dev, bad, 0, true, 0, tst_pattern, 8);
	tst_check(rc == -ENOENT, "move_data to an unknown token: -ENOENT (rc %d)",
		  rc);
	rc = ops->move_data(dev, 0, 0, true, 0, tst_pattern, 8);
	tst_check(rc == -ENOENT, "move_data to token 0: -ENOENT (rc %d)", rc);

	rc = ops->signal_dmb(dev, d->buf.token, 0);
	tst_check(!rc && atomic_read(&d->signals) == sig + 1 &&
		  !memcmp(mem, tst_pattern, 32) && mem[32] == 0xa5,
		  "signal_dmb signals without writing (rc %d)", rc);
	rc = ops->signal_dmb(dev, bad, 0);
	tst_check(rc == -ENOENT, "signal_dmb of an unknown token: -ENOENT (rc %d)",
		  rc);

	local_bh_disable();
	rc = ops->move_data(dev, d->buf.token, 0, true, 300, tst_pattern, 8);
	local_bh_enable();
	tst_check(!rc && d->ctx == TST_CTX_TASK_BH &&
		  atomic_read(&d->signals) == sig + 2,
		  "move_data with BHs disabled signals in that context (rc %d, ctx %d)",
		  rc, d->ctx);
}

struct tst_timer {
	struct timer_list	timer;
	struct smcd_device	*dev;
	struct tst_dmb		*d;
	u64			bad;
	int			rc_move, rc_signal, rc_bad;
	bool			softirq;
	struct completion	done;
};

static void tst_timer_fn(struct timer_list *t)
{
	struct tst_timer *c = from_timer(c, t, timer);
	const struct smcd_device_ops *ops = c->dev->ops;

	c->softirq = in_serving_softirq();
	c->rc_move = ops->move_data(c->dev, c->d->buf.token, 0, true, 200,
				    tst_pattern + 50, 48);
	c->rc_signal = ops->signal_dmb(c->dev, c->d->buf.token, 0);
	c->rc_bad = ops->move_data(c->dev, c->bad, 0, true, 0, tst_pattern, 8);
	complete(&c->done);
}

/* The same from a timer, i.e. softirq context. */
static void tst_softirq(struct smcd_device *dev, struct tst_dmb *d,
			struct tst_dmb *all, unsigned int n)
{
	struct tst_timer c = {
		.dev = dev,
		.d = d,
		.bad = tst_unknown_token(all, n),
	};
	int sig = atomic_read(&d->signals);
	bool ran;

	init_completion(&c.done);
	timer_setup_on_stack(&c.timer, tst_timer_fn, 0);
	mod_timer(&c.timer, jiffies + 1);
	ran = wait_for_completion_timeout(&c.done, 5 * HZ);
	del_timer_sync(&c.timer);
	destroy_timer_on_stack(&c.timer);
	if (!tst_check(ran && c.softirq, "timer ran in softirq context"))
		return;
	tst_check(!c.rc_move && !c.rc_signal &&
		  !memcmp((u8 *)d->buf.cpu_addr + 200, tst_pattern + 50, 48),
		  "move_data and signal_dmb from softirq (rc %d, %d)",
		  c.rc_move, c.rc_signal);
	tst_check(atomic_read(&d->signals) == sig + 2 &&
		  d->ctx == TST_CTX_SOFTIRQ,
		  "signals from softirq ran in softirq context (%d, ctx %d)",
		  atomic_read(&d->signals) - sig, d->ctx);
	tst_check(c.rc_bad == -ENOENT,
		  "unknown token from softirq: -ENOENT (rc %d)", c.rc_bad);
}

/* Views of a live DMB @a. */
static void tst_views(struct smcd_device *dev, struct tst_dmb *a,
		      struct tst_dmb *all, unsigned int n)
{
	struct smcd_buf v = {}, v2 = {};
	u64 bad = tst_unknown_token(all, n);
	int base = tst_dmbs(dev), sig, rc;

	rc = smcd_dmb_attach(dev, a->buf.token, &v);
	if (!tst_check(!rc, "attach a DMB (rc %d)", rc))
		return;
	tst_check(v.cpu_addr == a->buf.cpu_addr && v.len == a->buf.len &&
		  v.token == a->buf.token && v.sba_idx == a->buf.sba_idx,
		  "the view is the DMB's own memory (no copy)");
	memcpy((u8 *)v.cpu_addr + 32, tst_pattern + 7, 64);
	v.written = 32 + 64;
	tst_check(!memcmp((u8 *)a->buf.cpu_addr + 32, tst_pattern + 7, 64),
		  "writes through the view reach the DMB");
	sig = atomic_read(&a->signals);
	rc = dev->ops->signal_dmb(dev, v.token, 0);
	tst_check(!rc && atomic_read(&a->signals) == sig + 1,
		  "signal_dmb after writing through the view signals the owner (rc %d)",
		  rc);

	rc = smcd_dmb_attach(dev, a->buf.token, &v2);
	tst_check(!rc, "attach the same DMB twice (rc %d)", rc);
	if (!rc) {
		rc = smcd_dmb_unregister(dev, &v2);
		tst_check(rc == -ENOENT && tst_dmbs(dev) == base,
			  "unregistering a view: -ENOENT, nothing changes (rc %d)",
			  rc);
		rc = smcd_dmb_detach(dev, &v2);
		tst_check(!rc, "detach the second view (rc %d)", rc);
	}
	rc = smcd_dmb_detach(dev, &v);
	tst_check(!rc, "detach the first view (rc %d)", rc);
	rc = smcd_dmb_detach(dev, &v);
	tst_check(rc == -ENOENT, "detach without a view: -ENOENT (rc %d)", rc);
	rc = smcd_dmb_attach(dev, bad, &v2);
	tst_check(rc == -ENOENT, "attach an unknown token: -ENOENT (rc %d)", rc);
	v2.token = bad;
	rc = smcd_dmb_detach(dev, &v2);
	tst_check(rc == -ENOENT, "detach an unknown token: -ENOENT (rc %d)", rc);
}

/* A DMB's memory reused for the next one reads as zeroes wherever it was
 * written, through a view (as far as the view's holder says) or by
 * move_data(); the driver is free to scrub only that much.
 */
static void tst_scrub(struct smcd_device *dev)
{
	struct smcd_buf v = {};
	struct tst_dmb a, b;
	int rc;

	if (!smcd_device_can_attach(dev))
		return;
	rc = tst_reg(dev, &a, SZ_64K, GFP_KERNEL);
	if (!tst_check(!rc, "scrub: register a DMB (rc %d)", rc))
		return;
	rc = smcd_dmb_attach(dev, a.buf.token, &v);
	if (tst_check(!rc, "scrub: attach a view (rc %d)", rc)) {
		memcpy((u8 *)v.cpu_addr + 1000, tst_pattern, 200);
		v.written = 1200;
		rc = dev->ops->move_data(dev, a.buf.token, 0, false, SZ_32K,
					 tst_pattern, sizeof(tst_pattern));
		tst_check(!rc, "scrub: move_data into the DMB (rc %d)", rc);
		rc = smcd_dmb_detach(dev, &v);
		tst_check(!rc, "scrub: detach (rc %d)", rc);
	}
	tst_unreg(dev, &a);
	rc = tst_reg(dev, &b, SZ_64K, GFP_KERNEL);
	if (!tst_check(!rc, "scrub: register a DMB of the same size (rc %d)",
		       rc))
		return;
	tst_check(b.buf.recycled && !memchr_inv(b.buf.cpu_addr, 0, b.buf.len),
		  "scrub: the reused memory reads as zeroes (%s)",
		  b.buf.recycled ? "reused" : "not reused");
	tst_unreg(dev, &b);
}

static bool tst_overlap(const struct smcd_buf *a, const struct smcd_buf *b)
{
	unsigned long a0 = (unsigned long)a->cpu_addr, b0 = (unsigned long)b->cpu_addr;

	return a0 < b0 + b->len && b0 < a0 + a->len;
}

/* A view outlives its DMB's registration. */
static void tst_orphan(struct smcd_device *dev)
{
	struct tst_dmb *o, *nb;
	struct smcd_buf v = {}, w = {};
	bool zeroed = true, apart = true;
	unsigned int i, made = 0;
	int base, rc;

	o = kcalloc(1 + TST_ORPHAN_NEIGHBOURS, sizeof(*o), GFP_KERNEL);
	if (!tst_check(o, "orphan: memory for the test"))
		return;
	nb = o + 1;
	rc = tst_reg(dev, o, SZ_64K, GFP_KERNEL);
	if (!tst_check(!rc, "orphan: register the owner's DMB (rc %d)", rc))
		goto out;
	rc = smcd_dmb_attach(dev, o->buf.token, &v);
	if (!tst_check(!rc, "orphan: attach a view (rc %d)", rc)) {
		tst_unreg(dev, o);
		goto out;
	}
	/* Owners only read their DMBs: the peer's view writes. */
	memset(v.cpu_addr, 0x5a, v.len);
	v.written = v.len;
	base = tst_dmbs(dev);
	rc = tst_unreg(dev, o);
	tst_check(!rc && tst_dmbs(dev) == base - 1,
		  "owner unregisters while the view is attached (rc %d)", rc);
	rc = dev->ops->move_data(dev, o->buf.token, 0, true, 0, tst_pattern, 8);
	tst_check(rc == -ENOENT, "move_data after unregistration: -ENOENT (rc %d)",
		  rc);
	rc = dev->ops->signal_dmb(dev, o->buf.token, 0);
	tst_check(rc == -ENOENT, "signal_dmb after unregistration: -ENOENT (rc %d)",
		  rc);
	rc = smcd_dmb_attach(dev, o->buf.token, &w);
	tst_check(rc == -ENOENT, "attach after the owner unregistered: -ENOENT (rc %d)",
		  rc);
	if (!rc)
		smcd_dmb_detach(dev, &w);
	rc = smcd_dmb_unregister(dev, &o->buf);
	tst_check(rc == -ENOENT, "unregister twice: -ENOENT (rc %d)", rc);

	tst_check(!memchr_inv(v.cpu_addr, 0x5a, v.len),
		  "the view keeps the DMB's contents after unregistration");
	memset(v.cpu_addr, 0x3c, v.len);
	for (i = 0; i < TST_ORPHAN_NEIGHBOURS; i++) {
		if (tst_reg(dev, &nb[i], SZ_64K, GFP_KERNEL))
			break;
		made++;
		if (memchr_inv(nb[i].buf.cpu_addr, 0, nb[i].buf.len))
			zeroed = false;
		if (tst_overlap(&nb[i].buf, &v))
			apart = false;
	}
	tst_check(made == TST_ORPHAN_NEIGHBOURS && zeroed && apart,
		  "new DMBs do not reuse the view's memory (%u made)", made);
	tst_check(!memchr_inv(v.cpu_addr, 0x3c, v.len),
		  "the view's memory stays intact and writable");
	for (i = 0; i < made; i++)
		tst_unreg(dev, &nb[i]);

	rc = smcd_dmb_detach(dev, &v);
	tst_check(!rc, "detach the orphaned view (rc %d)", rc);
	rc = smcd_dmb_detach(dev, &v);
	tst_check(rc == -ENOENT, "the token is gone after the last detach (rc %d)",
		  rc);
	tst_check(!atomic_read(&o->late), "the owner got no signal after unregistration");
out:
	kfree(o);
}

struct tst_hammer {
	struct smcd_device	*dev;
	u64			token;
	unsigned long		moves;
	bool			enoent;
	int			bad_rc;
	struct timer_list	timer;
	bool			timer_stop;
	unsigned long		timer_moves;
};

static int tst_hammer_fn(void *arg)
{
	struct tst_hammer *h = arg;
	int rc;

	while (!kthread_should_stop()) {
		rc = h->dev->ops->move_data(h->dev, h->token, 0, true, 32,
					    tst_pattern, 32);
		if (rc == -ENOENT) {
			WRITE_ONCE(h->enoent, true);
			break;
		}
		if (rc) {
			WRITE_ONCE(h->bad_rc, rc);
			break;
		}
		WRITE_ONCE(h->moves, h->moves + 1);
		cond_resched();
	}
	while (!kthread_should_stop())
		usleep_range(1000, 2000);
	return 0;
}

static void tst_hammer_timer(struct timer_list *t)
{
	struct tst_hammer *h = from_timer(h, t, timer);

	if (READ_ONCE(h->timer_stop))
		return;
	if (!h->dev->ops->signal_dmb(h->dev, h->token, 0))
		WRITE_ONCE(h->timer_moves, h->timer_moves + 1);
	mod_timer(&h->timer, jiffies + 1);
}

/* Unregistration while a thread and a timer keep writing and signalling:
 * no signal may arrive once smcd_dmb_unregister() has returned.
 */
static void tst_race(struct smcd_device *dev)
{
	unsigned int round, enoent = 0, late = 0, bad = 0, timer_rounds = 0;
	unsigned long busy = 0;
	struct tst_dmb *d;

	d = kcalloc(TST_RACE_ROUNDS, sizeof(*d), GFP_KERNEL);
	if (!tst_check(d, "race: memory for the test"))
		return;
	for (round = 0; round < TST_RACE_ROUNDS; round++) {
		struct tst_hammer h = { .dev = dev };
		struct task_struct *task;
		unsigned long until;
		int rc;

		rc = tst_reg(dev, &d[round], SZ_16K, GFP_KERNEL);
		if (rc) {
			bad++;
			break;
		}
		h.token = d[round].buf.token;
		timer_setup_on_stack(&h.timer, tst_hammer_timer, 0);
		mod_timer(&h.timer, jiffies + 1);
		task = kthread_run(tst_hammer_fn, &h, "smcd_test_hammer");
		if (IS_ERR(task)) {
			WRITE_ONCE(h.timer_stop, true);
			del_timer_sync(&h.timer);
			destroy_timer_on_stack(&h.timer);
			tst_unreg(dev, &d[round]);
			bad++;
			break;
		}
		get_task_struct(task);
		until = jiffies + 2 * HZ;
		while ((atomic_read(&d[round].signals) < 20 ||
			!READ_ONCE(h.timer_moves)) && time_before(jiffies, until))
			usleep_range(1000, 2000);
		if (READ_ONCE(h.timer_moves))
			timer_rounds++;
		if (tst_unreg(dev, &d[round]))
			bad++;
		busy += atomic_read(&d[round].signals);
		until = jiffies + 2 * HZ;
		while (!READ_ONCE(h.enoent) && !READ_ONCE(h.bad_rc) &&
		       time_before(jiffies, until))
			usleep_range(1000, 2000);
		kthread_stop(task);
		put_task_struct(task);
		WRITE_ONCE(h.timer_stop, true);
		del_timer_sync(&h.timer);
		destroy_timer_on_stack(&h.timer);
		if (h.enoent)
			enoent++;
		if (h.bad_rc)
			bad++;
	}
	/* Late signals would show up here, well after the fact. */
	msleep(20);
	for (round = 0; round < TST_RACE_ROUNDS; round++)
		late += atomic_read(&d[round].late);
	tst_check(!bad, "race: %u rounds of unregistration under fire ran cleanly (%u problems)",
		  TST_RACE_ROUNDS, bad);
	tst_check(!late, "race: no signal after unregistration returned (%u late, %lu before)",
		  late, busy);
	tst_check(enoent == TST_RACE_ROUNDS,
		  "race: the writer saw -ENOENT once the DMB was gone (%u/%u)",
		  enoent, TST_RACE_ROUNDS);
	tst_check(timer_rounds == TST_RACE_ROUNDS,
		  "race: softirq signalled in every round (%u/%u)",
		  timer_rounds, TST_RACE_ROUNDS);
	kfree(d);
}

static void tst_run(struct smcd_device *dev)
{
	unsigned int n = ARRAY_SIZE(tst_sizes), i;
	int base = tst_dmbs(dev);
	struct tst_dmb *d;

	tst_attrs(dev);
	d = kcalloc(n, sizeof(*d), GFP_KERNEL);
	if (!tst_check(d, "memory for the test"))
		return;
	tst_register(dev, d);
	if (d[4].buf.cpu_addr && d[5].buf.cpu_addr) {
		tst_moves(dev, &d[4], d, n);
		tst_softirq(dev, &d[4], d, n);
		tst_views(dev, &d[5], d, n);
	}
	for (i = 0; i < n; i++) {
		if (!d[i].buf.cpu_addr)
			continue;
		tst_check(!tst_unreg(dev, &d[i]) && !atomic_read(&d[i].late),
			  "unregister the DMB of %u bytes", d[i].buf.len);
	}
	kfree(d);
	tst_scrub(dev);
	tst_orphan(dev);
	tst_race(dev);
	tst_check(tst_dmbs(dev) == base, "dmbs is back to %d (%d)", base,
		  tst_dmbs(dev));
}

static void tst_limit(struct smcd_device *dev)
{
	unsigned int max = dev->max_dmbs, i, fit, n;
	int base = tst_dmbs(dev), rc = 0;
	struct tst_dmb *d;

	if (!tst_check(max <= TST_LIMIT_MAX,
		       "max_dmbs %u is small enough for this test (load smc_loopback max_dmbs=16)",
		       max))
		return;
	d = kcalloc(max + 1, sizeof(*d), GFP_KERNEL);
	if (!tst_check(d, "memory for the test"))
		return;
	for (i = 0; i <= max; i++) {
		rc = tst_reg(dev, &d[i], SZ_16K, GFP_KERNEL);
		if (rc)
			break;
	}
	fit = i;
	tst_check(fit == max - base && rc == -ENOSPC,
		  "%u more DMBs fit, then -ENOSPC (%u fit, rc %d)",
		  max - base, fit, rc);
	tst_check(tst_dmbs(dev) == max, "dmbs is max_dmbs (%d)",
		  tst_dmbs(dev));
	n = fit;
	if (fit) {
		tst_unreg(dev, &d[0]);
		rc = tst_reg(dev, &d[0], SZ_16K, GFP_KERNEL);
		tst_check(!rc, "room again after one unregistration (rc %d)",
			  rc);
		if (rc)
			d[0].buf.cpu_addr = NULL;
		rc = tst_reg(dev, &d[fit], SZ_16K, GFP_KERNEL);
		tst_check(rc == -ENOSPC, "and full again (rc %d)", rc);
		if (!rc)
			n++;
	}
	for (i = 0; i < n; i++)
		if (d[i].buf.cpu_addr)
			tst_unreg(dev, &d[i]);
	tst_check(tst_dmbs(dev) == base, "dmbs is back to %d (%d)", base,
		  tst_dmbs(dev));
	kfree(d);
}

/* Give a hold back; any context that may sleep. */
static void tst_release(struct tst_hold *h)
{
	unsigned int i;

	for (i = 0; i < h->nviews; i++)
		if (smcd_dmb_detach(h->dev, &h->views[i]))
			atomic_inc(&tst_release_errors);
	for (i = 0; i < h->n; i++)
		if (tst_unreg(h->dev, &h->dmbs[i]))
			atomic_inc(&tst_release_errors);
	smcd_device_put(h->dev);
	kvfree(h->views);
	kvfree(h->dmbs);
	kfree(h);
}

static void tst_release_work(struct work_struct *work)
{
	tst_release(container_of(to_delayed_work(work), struct tst_hold, work));
}

static void tst_hold(struct smcd_device *dev, unsigned int n, u32 len)
{
	struct tst_hold *h;
	unsigned int i;
	int rc = 0;

	if (!tst_check(!tst_held && n && n <= TST_HOLD_MAX,
		       "nothing held yet, 1 <= N <= %u", TST_HOLD_MAX))
		return;
	h = kzalloc(sizeof(*h), GFP_KERNEL);
	if (!h)
		goto nomem;
	INIT_DELAYED_WORK(&h->work, tst_release_work);
	h->dmbs = kvcalloc(n, sizeof(*h->dmbs), GFP_KERNEL);
	h->views = kvcalloc(n, sizeof(*h->views), GFP_KERNEL);
	if (!h->dmbs || !h->views) {
		kvfree(h->dmbs);
		kvfree(h->views);
		kfree(h);
		goto nomem;
	}
	smcd_device_get(dev);
	h->dev = dev;
	for (; h->n < n; h->n++) {
		rc = tst_reg(dev, &h->dmbs[h->n], len, GFP_KERNEL_ACCOUNT);
		if (rc)
			break;
	}
	/* Like the peers of no-copy connections: each views the next one. */
	for (i = 0; !rc && i < h->n; i++) {
		rc = smcd_dmb_attach(dev, h->dmbs[(i + 1) % h->n].buf.token,
				     &h->views[i]);
		if (!rc)
			h->nviews++;
	}
	tst_held = h;
	tst_check(!rc && h->n == n && h->nviews == n,
		  "%u DMBs of %u bytes and %u views (rc %d)", h->n, len,
		  h->nviews, rc);
	return;
nomem:
	tst_check(false, "memory for the bookkeeping");
}

static void tst_add(struct smcd_device *dev)
{
	mutex_lock(&tst_lock);
	if (!tst_dev && !strcmp(dev->name, tst_dev_name)) {
		smcd_device_get(dev);
		tst_dev = dev;
		tst_added++;
	}
	mutex_unlock(&tst_lock);
}

static void tst_remove(struct smcd_device *dev)
{
	struct smcd_device *found;
	struct tst_hold *h;
	struct tst_dmb d;

	mutex_lock(&tst_lock);
	if (dev != tst_dev) {
		mutex_unlock(&tst_lock);
		return;
	}
	found = smcd_device_find(tst_match_ptr, dev);
	if (found)
		smcd_device_put(found);
	else if (smcd_device_going_down(dev))
		tst_hidden++;
	tst_refused = tst_reg(dev, &d, SZ_16K, GFP_KERNEL);
	if (!tst_refused)
		tst_unreg(dev, &d);

	h = tst_held;
	tst_held = NULL;
	if (h && release_delay_ms)
		queue_delayed_work(tst_wq, &h->work,
				   msecs_to_jiffies(release_delay_ms));
	else if (h)
		tst_release(h);
	smcd_device_put(dev);
	tst_dev = NULL;
	tst_removed++;
	mutex_unlock(&tst_lock);
}

static struct smcd_client tst_client = {
	.name	= "smcd_dev_test",
	.add	= tst_add,
	.remove	= tst_remove,
};

/* The 32-byte SMC-D CDC header in host order, as a peer writes it into
 * our DMB (offsets from the protocol, not from smc.ko's codec: this
 * module forges what smc.ko must defend against).
 */
static void tst_cdc_forge(u8 *msg, const unsigned int *v, u64 digest)
{
	u16 w;
	u32 c;

	memset(msg, 0, 32);
	msg[0] = 0xfe;
	w = v[0];
	c = v[1];
	memcpy(msg + 8, &w, sizeof(w));
	memcpy(msg + 10, &c, sizeof(c));
	w = v[2];
	c = v[3];
	memcpy(msg + 16, &w, sizeof(w));
	memcpy(msg + 18, &c, sizeof(c));
	msg[22] = v[4];
	msg[23] = v[5];
	memcpy(msg + 24, &digest, sizeof(digest));
}

static void tst_cdc(struct smcd_device *dev, u64 token, const unsigned int *v,
		    u64 digest, unsigned int n)
{
	unsigned int done;
	u8 msg[32] = {};
	int rc = 0;

	if (v)
		tst_cdc_forge(msg, v, digest);
	for (done = 0; done < n; done++) {
		rc = dev->ops->move_data(dev, token, 0, true, 0, msg,
					 sizeof(msg));
		if (rc)
			break;
		if (!(done % 1024))
			cond_resched();
	}
	tst_check(!rc, "cdc to 0x%llx: %u of %u written and signalled (%d)",
		  token, done, n, rc);
}

static ssize_t tst_ctl_write(struct file *file, const char __user *ubuf,
			     size_t count, loff_t *ppos)
{
	unsigned long long token, digest = 0;
	unsigned int n, len, v[6];
	char cmd[160];

	if (count >= sizeof(cmd))
		return -EINVAL;
	if (copy_from_user(cmd, ubuf, count))
		return -EFAULT;
	cmd[count] = '\0';
	strim(cmd);

	mutex_lock(&tst_lock);
	tst_out_len = 0;
	tst_checks = 0;
	tst_failed = 0;
	if (!tst_dev) {
		tst_check(false, "%s: device %s is registered", cmd, tst_dev_name);
	} else if (!strcmp(cmd, "run")) {
		tst_run(tst_dev);
	} else if (!strcmp(cmd, "limit")) {
		tst_limit(tst_dev);
	} else if (sscanf(cmd, "hold %u %u", &n, &len) == 2) {
		tst_hold(tst_dev, n, len);
	} else if (sscanf(cmd, "cdc %llx %u %u %u %u %u %u %u %llx", &token,
			  &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &n,
			  &digest) >= 8) {
		tst_cdc(tst_dev, token, v, digest, n);
	} else if (sscanf(cmd, "blank %llx %u", &token, &n) == 2) {
		tst_cdc(tst_dev, token, NULL, 0, n);
	} else if (!strcmp(cmd, "release")) {
		if (tst_check(tst_held, "something is held")) {
			tst_release(tst_held);
			tst_held = NULL;
			tst_check(!atomic_read(&tst_release_errors),
				  "all detached and unregistered");
		}
	} else {
		mutex_unlock(&tst_lock);
		return -EINVAL;
	}
	tst_print("# done: %u checks, %u failed\n", tst_checks, tst_failed);
	mutex_unlock(&tst_lock);
	return count;
}

static ssize_t tst_ctl_read(struct file *file, char __user *ubuf,
			    size_t count, loff_t *ppos)
{
	ssize_t rc;

	mutex_lock(&tst_lock);
	rc = simple_read_from_buffer(ubuf, count, ppos, tst_out, tst_out_len);
	mutex_unlock(&tst_lock);
	return rc;
}

static const struct file_operations tst_ctl_fops = {
	.owner	= THIS_MODULE,
	.read	= tst_ctl_read,
	.write	= tst_ctl_write,
	.llseek	= default_llseek,
};

static ssize_t tst_status_read(struct file *file, char __user *ubuf,
			       size_t count, loff_t *ppos)
{
	char line[160];
	int len;

	mutex_lock(&tst_lock);
	len = scnprintf(line, sizeof(line),
			"device=%s added=%u removed=%u hidden=%u held=%u refused=%d release_errors=%d\n",
			tst_dev ? tst_dev->name : "-", tst_added, tst_removed,
			tst_hidden, tst_held ? tst_held->n : 0, tst_refused,
			atomic_read(&tst_release_errors));
	mutex_unlock(&tst_lock);
	return simple_read_from_buffer(ubuf, count, ppos, line, len);
}

static const struct file_operations tst_status_fops = {
	.owner	= THIS_MODULE,
	.read	= tst_status_read,
	.llseek	= default_llseek,
};

static int __init tst_init(void)
{
	unsigned int i;
	int rc;

	for (i = 0; i < sizeof(tst_pattern); i++)
		tst_pattern[i] = i * 7 + 3;
	tst_out = kvzalloc(TST_OUT_SIZE, GFP_KERNEL);
	if (!tst_out)
		return -ENOMEM;
	tst_wq = alloc_workqueue("smcd_dev_test", 0, 0);
	if (!tst_wq) {
		rc = -ENOMEM;
		goto err_out;
	}
	tst_dir = debugfs_create_dir(KBUILD_MODNAME, NULL);
	debugfs_create_file("ctl", 0600, tst_dir, NULL, &tst_ctl_fops);
	debugfs_create_file("status", 0400, tst_dir, NULL, &tst_status_fops);
	rc = smcd_client_register(&tst_client);
	if (rc)
		goto err_wq;
	return 0;

err_wq:
	debugfs_remove(tst_dir);
	destroy_workqueue(tst_wq);
err_out:
	kvfree(tst_out);
	return rc;
}

static void __exit tst_exit(void)
{
	debugfs_remove(tst_dir);
	smcd_client_unregister(&tst_client);
	/* Releases remove() deferred run before we go. */
	destroy_workqueue(tst_wq);
	kvfree(tst_out);
}

module_init(tst_init);
module_exit(tst_exit);

MODULE_DESCRIPTION("smc-ng: SMC-D device layer tests (test only)");
MODULE_LICENSE("GPL");
