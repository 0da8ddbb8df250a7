// SPDX-License-Identifier: GPL-2.0
/*
 * smc-ng: the loopback SMC-D device.
 *
 * One emulated ISM device, "loopback-ism" (the name the in-tree SMC gives
 * its loopback device, so tools show the familiar name), lets SMC-D
 * connect two sockets of the same kernel through shared kernel memory.
 * It has channel id 0xffff, is offered for SMC-Dv2 only, has no PNETID
 * and no VLANs, and reaches nothing but itself.
 *
 * GID: a random (version 4) UUID drawn at load, i.e. 122 random bits per
 * kernel instance; its 16 bytes read big-endian give gid and gid_ext, so
 * the wire carries the UUID bytes in order.  Two kernels could only ever
 * meet through a real ISM fabric, which this device is not, and
 * query_gid() answers "reachable" for its own GID alone: even equal GIDs
 * in two kernels could not make connections of different kernels meet.
 *
 * DMBs: each has a non-zero 64-bit token, unique among the DMBs whose
 * memory exists (checked against the table), and an sba_idx, the
 * smallest index free.  The memory comes from kvzalloc() with the
 * caller's gfp, so GFP_KERNEL_ACCOUNT charges it to the caller's memcg:
 * smaller DMBs (the common 16-64 KiB) are physically contiguous when that
 * is cheap, and large ones fall back to vmalloc instead of failing when
 * memory is fragmented. Freed DMB memory of the common sizes (16 KiB to
 * 1 MiB) is kept in a small pool (pool_kib) and handed, zeroed, to the
 * next DMB of its size charged to the same memory cgroup: short
 * connections then skip the page allocator and vmalloc's mapping work,
 * while every cgroup keeps paying for its own buffers (pooled ones
 * included) and never gets another's for free.  No DMA is involved, so contiguity is never
 * needed, while one virtually contiguous range is: clients address a DMB
 * as a flat array, through attached views too.
 *
 * Life of a DMB (state and views under lo->lock):
 *   LIVE     registered: move_data/signal_dmb find it, views can attach
 *   CLOSING  the owner is unregistering and waits for writers in flight
 *   ORPHAN   the owner is gone; attached views keep the memory alive
 * The memory is freed once the owner has unregistered and the last view
 * is detached, always in process context.  Writers (move_data,
 * signal_dmb) find a DMB under RCU and pin it by taking a reference on
 * @writers, which the owner's registration holds one of; unregistration
 * drops that and waits for zero, so a signal never reaches an owner that
 * has unregistered (writers arriving after it began back off at once).
 * Writers hold no lock while copying or signalling, so a signal callback
 * may write into other DMBs.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <asm/unaligned.h>
#include <linux/hashtable.h>
#include <linux/idr.h>
#include <linux/list.h>
#include <linux/log2.h>
#include <linux/memcontrol.h>
#include <linux/module.h>
#include <linux/random.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/siphash.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/smcd_device.h>
#include <linux/spinlock.h>
#include <linux/uuid.h>
#include <linux/wait.h>

#define SMC_LO_NAME		"loopback-ism"
#define SMC_LO_TABLE_BITS	10
/* The largest DMB a CLC message can announce (size nibble 15). */
#define SMC_LO_MAX_LEN		SZ_512M

static unsigned int max_dmbs = 5000;
module_param(max_dmbs, uint, 0444);
MODULE_PARM_DESC(max_dmbs, "most DMBs registered at a time (default 5000)");

static unsigned int pool_kib = 8192;
module_param(pool_kib, uint, 0644);
MODULE_PARM_DESC(pool_kib, "freed DMB memory kept for reuse, KiB (default 8192, 0: none)");

/* Pooled sizes: 16 KiB << class, for class 0 .. SMC_LO_POOL_CLASSES - 1. */
#define SMC_LO_POOL_MIN_SHIFT	14
#define SMC_LO_POOL_CLASSES	7

/* A pooled buffer describes itself in its own first bytes. */
struct smc_lo_pooled {
	struct list_head	node;
	struct mem_cgroup	*memcg;		/* charged; referenced */
};

static struct {
	spinlock_t		lock;		/* free lists and bytes */
	struct list_head	free[SMC_LO_POOL_CLASSES];
	size_t			bytes;
} smc_lo_pool;

enum smc_lo_state {
	SMC_LO_LIVE,
	SMC_LO_CLOSING,
	SMC_LO_ORPHAN,
};

struct smc_lo_dmb {
	struct hlist_node	hnode;		/* in lo->table */
	struct rcu_head		rcu;
	u64			token;
	void			*mem;
	u32			len;
	u32			sba_idx;
	u32			written;	/* bytes from the start, at most */
	struct smcd_buf		*owner_buf;	/* until the owner unregisters */
	struct mem_cgroup	*memcg;		/* charged for @mem, see pool */
	refcount_t		writers;	/* registration + writers in flight */
	unsigned int		views;
	enum smc_lo_state	state;
};

struct smc_lo {
	struct smcd_gid		gid;
	spinlock_t		lock;		/* table changes, state, views */
	DECLARE_HASHTABLE(table, SMC_LO_TABLE_BITS);
	struct ida		sba_ida;
	wait_queue_head_t	writers_gone;
	siphash_key_t		token_key;
	bool			key_seeded;	/* drawn from a seeded pool */
	u64			token_seq;	/* under lock */
};

static struct smcd_device *smc_lo_dev;

static struct smc_lo *smc_lo(struct smcd_device *dev)
{
	return smcd_device_priv(dev);
}

/* Under rcu_read_lock() or lo->lock. */
static struct smc_lo_dmb *smc_lo_lookup(struct smc_lo *lo, u64 token)
{
	struct smc_lo_dmb *dmb;

	hash_for_each_possible_rcu(lo->table, dmb, hnode, token,
				   lockdep_is_held(&lo->lock))
		if (dmb->token == token)
			return dmb;
	return NULL;
}

static void smc_lo_writer_put(struct smc_lo *lo, struct smc_lo_dmb *dmb)
{
	/* @lo outlives every DMB, so waking through it is always safe. */
	if (refcount_dec_and_test(&dmb->writers))
		wake_up(&lo->writers_gone);
}

/* The DMB @token pinned for writing, or NULL once its owner is leaving. */
static struct smc_lo_dmb *smc_lo_writer_get(struct smc_lo *lo, u64 token)
{
	struct smc_lo_dmb *dmb;

	rcu_read_lock();
	dmb = smc_lo_lookup(lo, token);
	if (dmb && !refcount_inc_not_zero(&dmb->writers))
		dmb = NULL;
	rcu_read_unlock();
	/* Once unregistration has begun, writers back off at once: no
	 * stream of overlapping writers can keep it waiting.
	 */
	if (dmb && READ_ONCE(dmb->state) != SMC_LO_LIVE) {
		smc_lo_writer_put(lo, dmb);
		dmb = NULL;
	}
	return dmb;
}

/* A token names a DMB to attach to: one a local peer could guess would
 * let its connection write into another's buffer. A keyed hash of a
 * sequence number cannot be guessed without the key, and costs one hash
 * where a random draw from a pool not yet seeded (a guest without an
 * entropy source) costs some microseconds. Under lo->lock.
 */
static u64 smc_lo_new_token(struct smc_lo *lo)
{
	/* A key drawn at load before the random pool was seeded (a module
	 * loaded early in boot) is drawn again once it is: the tokens made
	 * until then stay valid, and the table keeps new ones unique.
	 */
	if (unlikely(!lo->key_seeded) && rng_is_initialized()) {
		get_random_bytes(&lo->token_key, sizeof(lo->token_key));
		lo->key_seeded = true;
	}
	return siphash_1u64(++lo->token_seq, &lo->token_key);
}

static int smc_lo_pool_class(u32 len)
{
	int class;

	if (!is_power_of_2(len) || len < BIT(SMC_LO_POOL_MIN_SHIFT))
		return -1;
	class = ilog2(len) - SMC_LO_POOL_MIN_SHIFT;
	return class < SMC_LO_POOL_CLASSES ? class : -1;
}

/* The memory cgroup an allocation with @gfp is charged to, as the
 * allocator picks it, with a reference: pooled memory is matched by it,
 * and the reference keeps its address from going to a new cgroup, which
 * would then be handed memory charged to another. NULL for none (then
 * also nothing to match); false if it is going away (no pooling then).
 * A cgroup going away is still charged (a socket outlives its cgroup),
 * so it is still referenced: tagged with it, the memory is freed rather
 * than pooled on release, not pooled as memory charged to nobody.
 */
static bool smc_lo_memcg_get(gfp_t gfp, struct mem_cgroup **memcgp)
{
	struct mem_cgroup *memcg = NULL;
	bool ok = true;

	*memcgp = NULL;
#ifdef CONFIG_MEMCG
	if (!(gfp & __GFP_ACCOUNT) || mem_cgroup_disabled())
		return true;
	rcu_read_lock();
	memcg = current->active_memcg;
	if (!memcg && current->mm)
		memcg = mem_cgroup_from_task(current);
	if (memcg && !css_tryget_online(&memcg->css)) {
		ok = false;
		if (!css_tryget(&memcg->css))
			memcg = NULL;
	}
	rcu_read_unlock();
#endif
	*memcgp = memcg;
	return ok;
}

static void smc_lo_memcg_put(struct mem_cgroup *memcg)
{
#ifdef CONFIG_MEMCG
	if (memcg)
		css_put(&memcg->css);
#endif
}

/* Pooled memory of a cgroup that went away matches nobody any more. */
static bool smc_lo_memcg_gone(struct mem_cgroup *memcg)
{
#ifdef CONFIG_MEMCG
	return memcg && !mem_cgroup_online(memcg);
#else
	return false;
#endif
}

static void smc_lo_pooled_free(struct smc_lo_pooled *p)
{
	smc_lo_memcg_put(p->memcg);
	kvfree(p);
}

/* Zeroed memory for a DMB, charged to *@memcg (referenced, see above):
 * pooled memory of that size charged to the same cgroup if there is
 * some, else new. Pooled memory of cgroups gone is freed on the way.
 */
static void *smc_lo_mem_get(u32 len, gfp_t gfp, struct mem_cgroup **memcg,
			    bool *recycled)
{
	int class = smc_lo_pool_class(len);
	struct smc_lo_pooled *p, *tmp, *found = NULL;
	bool pool = smc_lo_memcg_get(gfp, memcg);
	LIST_HEAD(gone);
	void *mem;

	if (pool && class >= 0 && READ_ONCE(pool_kib)) {
		spin_lock(&smc_lo_pool.lock);
		list_for_each_entry_safe(p, tmp, &smc_lo_pool.free[class],
					 node) {
			if (smc_lo_memcg_gone(p->memcg)) {
				list_move(&p->node, &gone);
				smc_lo_pool.bytes -= len;
			} else if (p->memcg == *memcg) {
				list_del(&p->node);
				smc_lo_pool.bytes -= len;
				found = p;
				break;
			}
		}
		spin_unlock(&smc_lo_pool.lock);
	}
	list_for_each_entry_safe(p, tmp, &gone, node)
		smc_lo_pooled_free(p);
	*recycled = !!found;
	if (found) {
		/* The pool's reference is ours now: one is enough. */
		smc_lo_memcg_put(found->memcg);
		/* Scrubbed when pooled, but for the pool's own bookkeeping. */
		memset(found, 0, sizeof(*found));
		return found;
	}
	mem = kvzalloc(len, gfp);
	if (!mem) {
		smc_lo_memcg_put(*memcg);
		*memcg = NULL;
	}
	return mem;
}

/* Free pooled memory until the pool holds at most @max bytes; the
 * administrator may have lowered pool_kib.
 */
static void smc_lo_pool_trim(size_t max)
{
	struct smc_lo_pooled *p;
	int class;

	for (class = SMC_LO_POOL_CLASSES - 1; class >= 0; class--) {
		for (;;) {
			spin_lock(&smc_lo_pool.lock);
			p = NULL;
			if (smc_lo_pool.bytes > max &&
			    !list_empty(&smc_lo_pool.free[class])) {
				p = list_last_entry(&smc_lo_pool.free[class],
						    struct smc_lo_pooled, node);
				list_del(&p->node);
				smc_lo_pool.bytes -= BIT(SMC_LO_POOL_MIN_SHIFT + class);
			}
			spin_unlock(&smc_lo_pool.lock);
			if (!p)
				break;
			smc_lo_pooled_free(p);
		}
	}
}

/* @mem was written in its first @written bytes at most. The reference
 * on @memcg goes with it, to the pool or away.
 */
static void smc_lo_mem_put(void *mem, u32 len, u32 written,
			   struct mem_cgroup *memcg)
{
	size_t max = (size_t)READ_ONCE(pool_kib) * SZ_1K;
	int class = smc_lo_pool_class(len);
	struct smc_lo_pooled *p = mem;
	bool kept = false;

	/* Nothing of the last connection may show through a bad cursor of
	 * the next: scrubbed here rather than when handed out, since the
	 * last of a connection's two ends to close frees both its DMBs, and
	 * a client that connects again does not wait for its server's close.
	 * The unlocked look spares a scrub that the pool would not keep.
	 * Only what was written needs it: a short connection writes a few
	 * bytes of each DMB, and scrubbing two whole DMBs cost it more CPU
	 * than the rest of its teardown (measured under emulation).
	 */
	if (class >= 0 && READ_ONCE(smc_lo_pool.bytes) + len <= max &&
	    !smc_lo_memcg_gone(memcg)) {
		memset(mem, 0, min(written, len));
		p->memcg = memcg;
		spin_lock(&smc_lo_pool.lock);
		if (smc_lo_pool.bytes + len <= max) {
			list_add(&p->node, &smc_lo_pool.free[class]);
			smc_lo_pool.bytes += len;
			kept = true;
		}
		spin_unlock(&smc_lo_pool.lock);
	}
	if (!kept) {
		kvfree(mem);
		smc_lo_memcg_put(memcg);
	}
	/* The administrator may have lowered pool_kib. */
	if (READ_ONCE(smc_lo_pool.bytes) > max)
		smc_lo_pool_trim(max);
}

/* @dmb is unlinked and nobody can pin it any more. */
static void smc_lo_dmb_free(struct smc_lo *lo, struct smc_lo_dmb *dmb)
{
	ida_free(&lo->sba_ida, dmb->sba_idx);
	smc_lo_mem_put(dmb->mem, dmb->len, dmb->written, dmb->memcg);
	/* Lookups under RCU may still be reading the token. */
	kfree_rcu(dmb, rcu);
}

static void smc_lo_get_gid(struct smcd_device *dev, struct smcd_gid *gid)
{
	*gid = smc_lo(dev)->gid;
}

static u16 smc_lo_get_chid(struct smcd_device *dev)
{
	return SMCD_CHID_LOOPBACK;
}

static bool smc_lo_supports_v2(struct smcd_device *dev)
{
	return true;
}

/* VLANs do not apply: the device belongs to no network. */
static int smc_lo_query_gid(struct smcd_device *dev,
			    const struct smcd_gid *rgid, u32 vid_valid,
			    u32 vid)
{
	return smcd_gid_equal(rgid, &smc_lo(dev)->gid) ? 0 : -EHOSTUNREACH;
}

static int smc_lo_register_dmb(struct smcd_device *dev, struct smcd_buf *buf,
			       gfp_t gfp)
{
	struct smc_lo *lo = smc_lo(dev);
	struct smc_lo_dmb *dmb;
	u64 token;
	int idx;

	if (!buf->len || buf->len > SMC_LO_MAX_LEN)
		return -EINVAL;
	/* The bookkeeping belongs to the DMB and is charged with it. */
	dmb = kzalloc(sizeof(*dmb), gfp);
	if (!dmb)
		return -ENOMEM;
	dmb->mem = smc_lo_mem_get(buf->len, gfp, &dmb->memcg, &buf->recycled);
	if (!dmb->mem)
		goto err_dmb;
	/* The index space is shared: charge nobody for it. */
	idx = ida_alloc(&lo->sba_ida, gfp & ~__GFP_ACCOUNT);
	if (idx < 0)
		goto err_mem;
	dmb->sba_idx = idx;
	dmb->len = buf->len;
	dmb->owner_buf = buf;
	refcount_set(&dmb->writers, 1);
	dmb->state = SMC_LO_LIVE;

	spin_lock(&lo->lock);
	do {
		token = smc_lo_new_token(lo);
	} while (!token || smc_lo_lookup(lo, token));
	dmb->token = token;
	hash_add_rcu(lo->table, &dmb->hnode, token);
	spin_unlock(&lo->lock);

	buf->token = token;
	buf->cpu_addr = dmb->mem;
	buf->sba_idx = dmb->sba_idx;
	buf->dma_addr = 0;
	return 0;

err_mem:
	smc_lo_mem_put(dmb->mem, buf->len, 0, dmb->memcg);
err_dmb:
	kfree(dmb);
	return -ENOMEM;
}

static int smc_lo_unregister_dmb(struct smcd_device *dev,
				 struct smcd_buf *buf)
{
	struct smc_lo *lo = smc_lo(dev);
	struct smc_lo_dmb *dmb;
	bool last;

	spin_lock(&lo->lock);
	dmb = smc_lo_lookup(lo, buf->token);
	if (!dmb || dmb->owner_buf != buf || dmb->state != SMC_LO_LIVE) {
		spin_unlock(&lo->lock);
		return -ENOENT;
	}
	WRITE_ONCE(dmb->state, SMC_LO_CLOSING);
	spin_unlock(&lo->lock);

	/* Drop the registration's pin; writers still copying or signalling
	 * finish first. Nobody can pin the DMB again after this.
	 */
	smc_lo_writer_put(lo, dmb);
	wait_event(lo->writers_gone, !refcount_read(&dmb->writers));

	spin_lock(&lo->lock);
	dmb->owner_buf = NULL;
	last = !dmb->views;
	if (last)
		hash_del_rcu(&dmb->hnode);
	else
		WRITE_ONCE(dmb->state, SMC_LO_ORPHAN);
	spin_unlock(&lo->lock);
	if (last)
		smc_lo_dmb_free(lo, dmb);
	return 0;
}

static int smc_lo_attach_dmb(struct smcd_device *dev, u64 token,
			     struct smcd_buf *view)
{
	struct smc_lo *lo = smc_lo(dev);
	struct smc_lo_dmb *dmb;

	spin_lock(&lo->lock);
	dmb = smc_lo_lookup(lo, token);
	if (!dmb || dmb->state != SMC_LO_LIVE || dmb->views == UINT_MAX) {
		spin_unlock(&lo->lock);
		return -ENOENT;
	}
	dmb->views++;
	view->token = token;
	view->cpu_addr = dmb->mem;
	view->len = dmb->len;
	view->sba_idx = dmb->sba_idx;
	view->dma_addr = 0;
	view->written = 0;
	spin_unlock(&lo->lock);
	return 0;
}

/* Writers through views and move_data() may race: keep the furthest. */
static void smc_lo_note_written(struct smc_lo_dmb *dmb, u32 end)
{
	u32 seen = READ_ONCE(dmb->written);

	while (end > seen) {
		u32 prev = cmpxchg(&dmb->written, seen, end);

		if (prev == seen)
			break;
		seen = prev;
	}
}

static int smc_lo_detach_dmb(struct smcd_device *dev, struct smcd_buf *view)
{
	struct smc_lo *lo = smc_lo(dev);
	struct smc_lo_dmb *dmb;
	bool last;

	spin_lock(&lo->lock);
	dmb = smc_lo_lookup(lo, view->token);
	if (!dmb || !dmb->views) {
		spin_unlock(&lo->lock);
		return -ENOENT;
	}
	smc_lo_note_written(dmb, min(view->written, dmb->len));
	dmb->views--;
	/* A CLOSING DMB is freed by its unregistration. */
	last = !dmb->views && dmb->state == SMC_LO_ORPHAN;
	if (last)
		hash_del_rcu(&dmb->hnode);
	spin_unlock(&lo->lock);
	if (last)
		smc_lo_dmb_free(lo, dmb);
	return 0;
}

/* A loopback DMB has a single element: @idx is not needed. */
static int smc_lo_move_data(struct smcd_device *dev, u64 token, u32 idx,
			    bool signal, u32 offset, const void *data,
			    u32 size)
{
	struct smc_lo *lo = smc_lo(dev);
	struct smc_lo_dmb *dmb;
	int rc = 0;

	dmb = smc_lo_writer_get(lo, token);
	if (!dmb)
		return -ENOENT;
	if (offset > dmb->len || size > dmb->len - offset) {
		rc = -EINVAL;
	} else {
		smc_lo_note_written(dmb, offset + size);
		/* memcpy() may store a CDC header in any order and not
		 * word by word; its digest lets the reader tell a header
		 * caught mid-copy (smcd_cdc_snapshot()).
		 */
		memcpy(dmb->mem + offset, data, size);
		if (signal)
			smcd_buf_signal(dmb->owner_buf);
	}
	smc_lo_writer_put(lo, dmb);
	return rc;
}

static int smc_lo_signal_dmb(struct smcd_device *dev, u64 token, u32 idx)
{
	struct smc_lo *lo = smc_lo(dev);
	struct smc_lo_dmb *dmb;

	dmb = smc_lo_writer_get(lo, token);
	if (!dmb)
		return -ENOENT;
	smcd_buf_signal(dmb->owner_buf);
	smc_lo_writer_put(lo, dmb);
	return 0;
}

static const struct smcd_device_ops smc_lo_ops = {
	.get_gid	= smc_lo_get_gid,
	.get_chid	= smc_lo_get_chid,
	.supports_v2	= smc_lo_supports_v2,
	.query_gid	= smc_lo_query_gid,
	.register_dmb	= smc_lo_register_dmb,
	.unregister_dmb	= smc_lo_unregister_dmb,
	.attach_dmb	= smc_lo_attach_dmb,
	.detach_dmb	= smc_lo_detach_dmb,
	.move_data	= smc_lo_move_data,
	.signal_dmb	= smc_lo_signal_dmb,
};

/* After unregistration every client has let go; anything left is a
 * client's leak. Free it so that unloading leaks nothing, and say so.
 * Nobody else uses the device any more: no locking needed.
 */
static void smc_lo_reap(struct smc_lo *lo)
{
	struct smc_lo_dmb *dmb;
	struct hlist_node *tmp;
	unsigned int left = 0;
	int bkt;

	hash_for_each_safe(lo->table, bkt, tmp, dmb, hnode) {
		hash_del_rcu(&dmb->hnode);
		smc_lo_dmb_free(lo, dmb);
		left++;
	}
	if (left)
		pr_err("%u DMB(s) left behind by clients, freed\n", left);
}

static int __init smc_lo_init(void)
{
	struct smcd_device *dev;
	struct smc_lo *lo;
	uuid_t uuid;
	int rc, i;

	spin_lock_init(&smc_lo_pool.lock);
	for (i = 0; i < SMC_LO_POOL_CLASSES; i++)
		INIT_LIST_HEAD(&smc_lo_pool.free[i]);

	/* smcd_device_register() checks max_dmbs. */
	dev = smcd_device_alloc(SMC_LO_NAME, &smc_lo_ops, sizeof(*lo));
	if (!dev)
		return -ENOMEM;
	lo = smc_lo(dev);
	uuid_gen(&uuid);
	lo->gid.gid = get_unaligned_be64(&uuid.b[0]);
	lo->gid.gid_ext = get_unaligned_be64(&uuid.b[8]);
	spin_lock_init(&lo->lock);
	hash_init(lo->table);
	ida_init(&lo->sba_ida);
	init_waitqueue_head(&lo->writers_gone);
	lo->key_seeded = rng_is_initialized();
	get_random_bytes(&lo->token_key, sizeof(lo->token_key));
	dev->max_dmbs = max_dmbs;

	rc = smcd_device_register(dev);
	if (rc) {
		smcd_device_free(dev);
		return rc;
	}
	smc_lo_dev = dev;
	return 0;
}

static void __exit smc_lo_exit(void)
{
	struct smc_lo *lo = smc_lo(smc_lo_dev);

	smcd_device_unregister(smc_lo_dev);
	smc_lo_reap(lo);
	smc_lo_pool_trim(0);
	ida_destroy(&lo->sba_ida);
	smcd_device_free(smc_lo_dev);
}

module_init(smc_lo_init);
module_exit(smc_lo_exit);

MODULE_DESCRIPTION("smc-ng: loopback SMC-D device");
MODULE_LICENSE("GPL");
MODULE_VERSION(SMC_NG_VERSION);
