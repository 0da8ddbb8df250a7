// SPDX-License-Identifier: GPL-2.0
/*
 * smc-ng: an ISM-class SMC-D device over QEMU's inter-VM shared memory.
 *
 * QEMU's ivshmem-doorbell PCI function (1af4:1110) maps one host shared
 * memory object into every guest started with it (BAR2) and lets a guest
 * interrupt another by writing (peer id << 16 | vector) to its Doorbell
 * register (BAR0); the peer id of a guest, its IVPosition, is assigned by
 * the ivshmem server that hands the memory and the eventfds to QEMU
 * (tools/ivshmem-server).  This driver turns that into an SMC-D device, so
 * that AF_SMC sockets of different guests on one host negotiate SMC-Dv2
 * over their TCP connection and then stream through DMBs in the shared
 * memory.
 *
 * Layout of the shared memory (native x86 byte order; all guests are
 * x86_64):
 *   page 0      region header: magic, version, state, region id, number
 *               of areas and of slots per area, area size and offset.  The
 *               first guest to find it fresh (all zero, as a new memory
 *               object comes) claims it (cmpxchg on the state word), fills
 *               it in and publishes it; every guest copies the values once
 *               and validates them against the size of BAR2, never
 *               reading them again.  Memory that holds anything else is
 *               some other user's: it is left untouched, the probe fails.
 *   areas       one per peer id (area i belongs to IVPosition i, which
 *               must be below the number of areas), each:
 *                 area header: magic, state (alive/dead), owner IVPosition,
 *                   the owner's nonce and heartbeat (see ivs_area_claim())
 *                 pending bitmap: one bit per slot, set by writers
 *                 slot table: per slot the token, offset and length of a
 *                   DMB, and a count of writers in flight
 *                 heap: the DMB memory, page granular
 * A guest only ever allocates DMBs in its own area (a local genalloc pool
 * over its heap), so no allocator state is shared.
 *
 * Identity: the 64-bit GID (gid_ext 0) is the region id with its low
 * byte replaced by the area (= IVPosition); the channel id is derived from
 * the region id, 0x0001-0xfeff, outside the range of emulated ISM, so all
 * devices on one region share it and the SMC-Dv2 handshake pairs them.
 * query_gid() answers "reachable" for a GID of the same region whose area
 * is set up by a live driver.
 *
 * Tokens: area << 56 | 32-bit sequence << 24 | slot.  A writer's
 * move_data() finds the owner's area and slot from the token alone, and
 * the full token must match the slot table's entry.
 *
 * The other guests are not trusted: everything read from shared memory is
 * bounds-checked (areas, slots, the offset and length of a DMB against
 * the owner's heap) and copied once before use; no pointer is ever read
 * from it.  A peer can only corrupt data in shared memory, which it can
 * do anyway, never this kernel's memory.
 *
 * Signals: the writer sets the DMB's pending bit in the owner's area and
 * rings the owner's doorbell (vector 0; a signal to our own area just
 * schedules our tasklet).  The MSI-X interrupt handler schedules a
 * tasklet, which takes the pending words with xchg() and calls
 * smcd_buf_signal() for each live DMB, in softirq context.
 *
 * Writers in flight: a writer increments the slot's writer count, then
 * checks the token; unregistration clears the token, then waits for the
 * count to drop to zero (both sides with full barriers, so one of them
 * sees the other).  The memory is reused only afterwards.  A peer that
 * dies (or misbehaves) with the count raised cannot stall us: after
 * IVS_DRAIN_MS the slot and its memory are retired until its count is
 * back at zero (looked at when slots or memory run out), and for a while
 * later drains wait only IVS_DRAIN_SHORT_MS; on removal none waits.
 *
 * Removal (rmmod, PCI unplug): smcd_device_unregister() aborts every
 * connection and waits for the DMBs to be given back; then our area is
 * marked dead, so that peers' writes fail (-ENOENT) and their connections
 * end too, and query_gid() on the peers stops answering for us.  A peer
 * guest that disappears leaves its area as it was: writes into it succeed
 * and its doorbell is ignored by QEMU; nothing here waits for it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitops.h>
#include <linux/delay.h>
#include <linux/genalloc.h>
#include <linux/idr.h>
#include <linux/interrupt.h>
#include <linux/io.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/random.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/smcd_device.h>
#include <linux/spinlock.h>

#define IVS_VENDOR		0x1af4
#define IVS_DEVICE		0x1110

/* BAR0 registers */
#define IVS_REG_IVPOSITION	8
#define IVS_REG_DOORBELL	12

#define IVS_MAGIC		0x4d48535649434d53ULL	/* "SMCIVSHM" */
#define IVS_AREA_MAGIC		0x4145524156494d53ULL	/* "SMIVAREA" */
#define IVS_VERSION		1

enum {
	IVS_HDR_EMPTY,
	IVS_HDR_INIT,
	IVS_HDR_READY,
};

enum {
	IVS_AREA_DEAD,
	IVS_AREA_ALIVE,
};

#define IVS_MAX_AREAS		64
#define IVS_MIN_SLOTS		64
#define IVS_MAX_SLOTS		BIT(16)
#define IVS_MIN_HEAP		SZ_256K
#define IVS_DRAIN_MS		200
/* Once a drain timed out, later ones wait only this long, for a while:
 * the counts are in memory every guest writes, and a hostile one could
 * have raised them all (a copy in flight takes microseconds).
 */
#define IVS_DRAIN_SHORT_MS	1
#define IVS_DRAIN_SUSPECT_MS	10000
#define IVS_INIT_WAIT_MS	2000
/* The owner's heartbeat period, and how long a claimant watches it. */
#define IVS_BEAT_MS		50
/* Word-wise copies up to this size: headers, not data. */
#define IVS_WORD_COPY_MAX	64
#define IVS_CLAIM_WAIT_MS	300

#define IVS_TOKEN_AREA_SHIFT	56
#define IVS_TOKEN_SEQ_SHIFT	24
#define IVS_TOKEN_SLOT_MASK	GENMASK_ULL(23, 0)

/* Page 0 of the region. */
struct ivs_region_hdr {
	u64	magic;
	u32	version;
	u32	state;
	u64	region_id;
	u32	nr_areas;
	u32	nr_slots;
	u64	area_size;
	u64	area_offset;
};

/* The start of each area. */
struct ivs_area_hdr {
	u64	magic;
	u32	state;
	u32	ivposition;
	u64	owner;		/* random, the claiming driver's */
	u64	beat;		/* counts while the owner runs */
	u8	reserved[32];
};

/* One DMB in an area's slot table; 32 bytes. */
struct ivs_slot {
	u64		token;		/* 0: free */
	u32		offset;		/* from the start of the heap */
	u32		len;
	atomic_t	writers;	/* writers in flight, any guest */
	u32		reserved[3];
};

/* What this guest knows about one of its own slots. */
struct ivs_local_slot {
	struct smcd_buf	*buf;		/* the owner's; NULL when free */
	u64		token;
	unsigned long	addr;		/* in the heap pool */
	u32		len;
	bool		retired;
};

struct ivs {
	struct pci_dev		*pdev;
	void __iomem		*regs;
	void			*shm;
	resource_size_t		shm_size;
	struct smcd_device	*smcd;

	/* From the region header, validated once. */
	u64			region_id;
	u32			nr_areas;
	u32			nr_slots;
	u64			area_size;
	u64			area_offset;
	u32			ctl_size;	/* area header, bitmap, slots */
	u32			heap_size;

	u32			area;		/* ours: our IVPosition */
	struct timer_list	beat_timer;
	struct smcd_gid		gid;
	u16			chid;

	struct gen_pool		*heap;
	struct ida		slot_ida;
	spinlock_t		sig_lock;	/* local slots' buf vs signals */
	struct ivs_local_slot	*slots;
	struct tasklet_struct	tasklet;
	int			irq;
	unsigned int		retired;	/* under sig_lock */
	unsigned long		drain_short_until;	/* jiffies */
	bool			removing;
};

static unsigned int areas = 2;
module_param(areas, uint, 0444);
MODULE_PARM_DESC(areas, "peers a new region is laid out for (2-64, default 2; the first guest decides)");

static unsigned int slots = 1024;
module_param(slots, uint, 0444);
MODULE_PARM_DESC(slots, "DMBs per peer in a new region (64-65536, default 1024; the first guest decides)");

static struct ivs *ivs_of(struct smcd_device *smcd)
{
	return smcd_device_priv(smcd);
}

static void *ivs_area(struct ivs *ivs, u32 area)
{
	return ivs->shm + ivs->area_offset + (u64)area * ivs->area_size;
}

static struct ivs_area_hdr *ivs_area_hdr(struct ivs *ivs, u32 area)
{
	return ivs_area(ivs, area);
}

static unsigned long *ivs_pending(struct ivs *ivs, u32 area)
{
	return ivs_area(ivs, area) + sizeof(struct ivs_area_hdr);
}

static u32 ivs_bitmap_size(u32 nr_slots)
{
	return BITS_TO_LONGS(nr_slots) * sizeof(unsigned long);
}

static struct ivs_slot *ivs_slot(struct ivs *ivs, u32 area, u32 slot)
{
	struct ivs_slot *table = ivs_area(ivs, area) +
				 sizeof(struct ivs_area_hdr) +
				 ivs_bitmap_size(ivs->nr_slots);

	return &table[slot];
}

static void *ivs_heap(struct ivs *ivs, u32 area)
{
	return ivs_area(ivs, area) + ivs->ctl_size;
}

static u32 ivs_ctl_size(u32 nr_slots)
{
	return PAGE_ALIGN(sizeof(struct ivs_area_hdr) +
			  ivs_bitmap_size(nr_slots) +
			  nr_slots * sizeof(struct ivs_slot));
}

/* --- the region header --------------------------------------------------- */

/* Whether a region header describes a layout that fits @shm_size bytes of
 * shared memory: what every reader checks, and what the guest that lays
 * out a fresh region checks before it publishes anything.
 */
static bool ivs_layout_ok(const struct ivs_region_hdr *h,
			  resource_size_t shm_size)
{
	u32 ctl;

	if (h->nr_areas < 1 || h->nr_areas > IVS_MAX_AREAS ||
	    h->nr_slots < IVS_MIN_SLOTS || h->nr_slots > IVS_MAX_SLOTS ||
	    h->nr_slots % IVS_MIN_SLOTS || !(h->region_id >> 8) ||
	    h->area_offset != PAGE_SIZE || !PAGE_ALIGNED(h->area_size) ||
	    h->area_offset > shm_size || h->area_size > shm_size ||
	    h->area_size * h->nr_areas > shm_size - h->area_offset)
		return false;
	ctl = ivs_ctl_size(h->nr_slots);
	return h->area_size >= ctl + IVS_MIN_HEAP &&
	       h->area_size - ctl <= U32_MAX;
}

/* The layout of a fresh region of @size bytes, from the module parameters. */
static void ivs_region_layout(struct ivs_region_hdr *h, resource_size_t size)
{
	u32 nr_areas = clamp_t(u32, areas, 2, IVS_MAX_AREAS);
	u32 nr_slots = clamp_t(u32, slots, IVS_MIN_SLOTS, IVS_MAX_SLOTS);
	u64 id;

	nr_slots = round_up(nr_slots, IVS_MIN_SLOTS);
	do {
		id = get_random_u64() & ~0xffULL;
	} while (!(id >> 8));
	memset(h, 0, sizeof(*h));
	h->magic = IVS_MAGIC;
	h->version = IVS_VERSION;
	h->state = IVS_HDR_READY;
	h->region_id = id;
	h->nr_areas = nr_areas;
	h->nr_slots = nr_slots;
	h->area_size = round_down((size - PAGE_SIZE) / nr_areas, PAGE_SIZE);
	h->area_offset = PAGE_SIZE;
}

/* Publish a checked layout in the region header, which we hold in state
 * IVS_HDR_INIT.
 */
static void ivs_region_publish(struct ivs_region_hdr *hdr,
			       const struct ivs_region_hdr *h)
{
	hdr->version = h->version;
	hdr->region_id = h->region_id;
	hdr->nr_areas = h->nr_areas;
	hdr->nr_slots = h->nr_slots;
	hdr->area_size = h->area_size;
	hdr->area_offset = h->area_offset;
	WRITE_ONCE(hdr->magic, h->magic);
	/* Everything above is visible before the state says so. */
	smp_store_release(&hdr->state, IVS_HDR_READY);
}

/* Whether page 0 is as a new memory object comes: all zero. The 1af4:1110
 * function also serves other uses of ivshmem, whose data we must never
 * overwrite, so nothing else is laid out.
 */
static bool ivs_region_fresh(const struct ivs_region_hdr *hdr)
{
	return !memchr_inv(hdr, 0, sizeof(*hdr));
}

/* Lay out a fresh region, unless another guest claims it first. */
static int ivs_region_claim(struct ivs *ivs, struct ivs_region_hdr *hdr)
{
	struct ivs_region_hdr h;

	/* A layout no guest could use is never published: this guest
	 * fails alone, and the region stays fresh for the next one.
	 */
	ivs_region_layout(&h, ivs->shm_size);
	if (!ivs_layout_ok(&h, ivs->shm_size)) {
		dev_err(&ivs->pdev->dev,
			"areas=%u slots=%u do not fit %llu KiB of shared memory (areas of %llu KiB, each %u KiB of slot table and 256 KiB to 4 GiB for DMBs): region left as it was\n",
			h.nr_areas, h.nr_slots, (u64)ivs->shm_size / SZ_1K,
			h.area_size / SZ_1K, ivs_ctl_size(h.nr_slots) / SZ_1K);
		return -EINVAL;
	}
	if (cmpxchg(&hdr->state, IVS_HDR_EMPTY, IVS_HDR_INIT) == IVS_HDR_EMPTY)
		ivs_region_publish(hdr, &h);
	return 0;
}

/* Take the region's parameters, once, and check them. Every look but one
 * right after our own claim is followed by a sleep, and all of them count
 * against the wait: a peer that keeps rewriting the header cannot hold
 * the probe.
 */
static int ivs_region_read(struct ivs *ivs)
{
	struct ivs_region_hdr *hdr = ivs->shm;
	struct ivs_region_hdr h;
	u32 state;
	int waited, rc;

	if (ivs->shm_size < SZ_2M)
		return -EINVAL;
	for (waited = 0; ; waited += 10) {
		/* Pairs with the release in ivs_region_publish(). */
		state = smp_load_acquire(&hdr->state);
		if (state == IVS_HDR_READY && READ_ONCE(hdr->magic) == IVS_MAGIC)
			break;
		if (waited >= IVS_INIT_WAIT_MS)
			return -ETIMEDOUT;
		if (state != IVS_HDR_INIT && !ivs_region_fresh(hdr)) {
			dev_err(&ivs->pdev->dev,
				"shared memory holds something other than an smc-ng region: left untouched\n");
			return -ENODEV;
		}
		if (state == IVS_HDR_EMPTY) {
			rc = ivs_region_claim(ivs, hdr);
			if (rc)
				return rc;
			/* Ours, or a faster guest's: look again at once. */
			if (smp_load_acquire(&hdr->state) == IVS_HDR_READY)
				continue;
		}
		usleep_range(10000, 11000);
	}
	memcpy(&h, hdr, sizeof(h));
	if (h.version != IVS_VERSION)
		return -EPROTO;
	if (!ivs_layout_ok(&h, ivs->shm_size))
		return -EINVAL;
	ivs->region_id = h.region_id & ~0xffULL;
	ivs->nr_areas = h.nr_areas;
	ivs->nr_slots = h.nr_slots;
	ivs->area_size = h.area_size;
	ivs->area_offset = h.area_offset;
	ivs->ctl_size = ivs_ctl_size(h.nr_slots);
	ivs->heap_size = h.area_size - ivs->ctl_size;
	return 0;
}

/* --- signals -------------------------------------------------------------- */

static void ivs_ring(struct ivs *ivs, u32 area)
{
	if (area == ivs->area)
		tasklet_schedule(&ivs->tasklet);
	else
		writel(area << 16, ivs->regs + IVS_REG_DOORBELL);
}

/* Pending bits are taken and delivered under sig_lock, in one go per word:
 * a bit taken for a slot is delivered to the DMB the slot had when the bit
 * was taken, or to none.  So a bit left by a slot's previous user is either
 * gone with that user (delivered to nothing) or still in the bitmap, where
 * ivs_register_dmb() clears it before the next user is published.
 */
static void ivs_tasklet(struct tasklet_struct *t)
{
	struct ivs *ivs = from_tasklet(ivs, t, tasklet);
	unsigned long *pending = ivs_pending(ivs, ivs->area);
	struct smcd_buf *buf;
	unsigned long bits;
	u32 w, b;

	/* nr_slots is a multiple of IVS_MIN_SLOTS: every bit is a slot. */
	for (w = 0; w < BITS_TO_LONGS(ivs->nr_slots); w++) {
		if (!READ_ONCE(pending[w]))
			continue;
		spin_lock(&ivs->sig_lock);
		bits = xchg(&pending[w], 0);
		for_each_set_bit(b, &bits, BITS_PER_LONG) {
			buf = ivs->slots[w * BITS_PER_LONG + b].buf;
			if (buf)
				smcd_buf_signal(buf);
		}
		spin_unlock(&ivs->sig_lock);
	}
}

static irqreturn_t ivs_irq(int irq, void *arg)
{
	struct ivs *ivs = arg;

	tasklet_schedule(&ivs->tasklet);
	return IRQ_HANDLED;
}

/* --- device operations --------------------------------------------------- */

static void ivs_get_gid(struct smcd_device *smcd, struct smcd_gid *gid)
{
	*gid = ivs_of(smcd)->gid;
}

static u16 ivs_get_chid(struct smcd_device *smcd)
{
	return ivs_of(smcd)->chid;
}

static bool ivs_supports_v2(struct smcd_device *smcd)
{
	return true;
}

static bool ivs_area_alive(struct ivs *ivs, u32 area)
{
	struct ivs_area_hdr *ah = ivs_area_hdr(ivs, area);

	return READ_ONCE(ah->magic) == IVS_AREA_MAGIC &&
	       READ_ONCE(ah->state) == IVS_AREA_ALIVE;
}

/* Reachable: a GID of this region whose area has a live driver.  VLANs do
 * not apply: the region is not a network.
 */
static int ivs_query_gid(struct smcd_device *smcd, const struct smcd_gid *rgid,
			 u32 vid_valid, u32 vid)
{
	struct ivs *ivs = ivs_of(smcd);
	u32 area = rgid->gid & 0xff;

	if (rgid->gid_ext || (rgid->gid & ~0xffULL) != ivs->region_id ||
	    area >= ivs->nr_areas || !ivs_area_alive(ivs, area))
		return -EHOSTUNREACH;
	return 0;
}

static unsigned int ivs_drain_ms(struct ivs *ivs)
{
	if (time_before(jiffies, READ_ONCE(ivs->drain_short_until)))
		return IVS_DRAIN_SHORT_MS;
	return IVS_DRAIN_MS;
}

/* Retired slots whose writer count came back to zero: into use again.
 * Returns how many.
 */
static unsigned int ivs_reclaim(struct ivs *ivs)
{
	unsigned int n = 0;
	u32 slot;

	spin_lock_bh(&ivs->sig_lock);
	for (slot = 0; slot < ivs->nr_slots && ivs->retired; slot++) {
		struct ivs_local_slot *ls = &ivs->slots[slot];
		struct ivs_slot *s = ivs_slot(ivs, ivs->area, slot);

		/* Acquire, as in ivs_drain(). */
		if (!ls->retired || atomic_read_acquire(&s->writers))
			continue;
		ls->retired = false;
		ivs->retired--;
		gen_pool_free(ivs->heap, ls->addr, ls->len);
		ls->addr = 0;
		ida_free(&ivs->slot_ida, slot);
		n++;
	}
	spin_unlock_bh(&ivs->sig_lock);
	return n;
}

static int ivs_register_dmb(struct smcd_device *smcd, struct smcd_buf *buf,
			    gfp_t gfp)
{
	struct ivs *ivs = ivs_of(smcd);
	struct ivs_local_slot *ls;
	struct ivs_slot *s;
	unsigned long addr;
	u32 seq;
	u64 token;
	int slot;

	if (!buf->len || buf->len > ivs->heap_size)
		return -EINVAL;
	slot = ida_alloc_max(&ivs->slot_ida, ivs->nr_slots - 1,
			     gfp & ~__GFP_ACCOUNT);
	/* Retired slots keep their index and memory until reclaimed. */
	if (slot == -ENOSPC && ivs_reclaim(ivs))
		slot = ida_alloc_max(&ivs->slot_ida, ivs->nr_slots - 1,
				     gfp & ~__GFP_ACCOUNT);
	if (slot < 0)
		return slot == -ENOSPC ? -ENOSPC : -ENOMEM;
	ls = &ivs->slots[slot];
	addr = gen_pool_alloc(ivs->heap, buf->len);
	if (!addr && ivs_reclaim(ivs))
		addr = gen_pool_alloc(ivs->heap, buf->len);
	if (!addr) {
		ida_free(&ivs->slot_ida, slot);
		return -ENOMEM;
	}
	memset((void *)addr, 0, buf->len);
	/* Drawn, not counted: a token of the next DMB must not be
	 * guessable from one a peer was given (see ivs_check_token()).
	 */
	do {
		seq = get_random_u32();
	} while (!seq);
	token = (u64)ivs->area << IVS_TOKEN_AREA_SHIFT |
		(u64)seq << IVS_TOKEN_SEQ_SHIFT | slot;

	buf->token = token;
	buf->cpu_addr = (void *)addr;
	buf->sba_idx = slot;
	buf->dma_addr = 0;
	buf->recycled = false;
	ls->token = token;
	ls->addr = addr;
	ls->len = buf->len;
	s = ivs_slot(ivs, ivs->area, slot);
	WRITE_ONCE(s->offset, addr - (unsigned long)ivs_heap(ivs, ivs->area));
	WRITE_ONCE(s->len, buf->len);

	/* Our tasklet may signal @buf from here on, so it is complete (the
	 * lock orders it before the tasklet's look); it is published last,
	 * with the slot's stale pending bit cleared under the same lock (see
	 * ivs_tasklet()).  A bit set afterwards, by a peer that cannot know
	 * the token yet, signals a complete DMB whose CDC header was never
	 * written, which the client ignores.
	 */
	spin_lock_bh(&ivs->sig_lock);
	clear_bit(slot, ivs_pending(ivs, ivs->area));
	ls->buf = buf;
	spin_unlock_bh(&ivs->sig_lock);

	/* Offset and length are in place before writers can match. */
	smp_wmb();
	WRITE_ONCE(s->token, token);
	return 0;
}

/* Wait for writers in flight (ours or a peer's) to leave the slot: a
 * copy of at most a bounce buffer, so normally at once.
 */
static bool ivs_drain(struct ivs_slot *s, unsigned int ms)
{
	unsigned long deadline = jiffies + msecs_to_jiffies(ms);

	/* Acquire: the writers' copies are done before the memory is
	 * reused (pairs with ivs_writer_put()).
	 */
	while (atomic_read_acquire(&s->writers)) {
		if (time_after(jiffies, deadline))
			return false;
		usleep_range(50, 200);
	}
	return true;
}

static void ivs_slot_release(struct ivs *ivs, u32 slot)
{
	struct ivs_local_slot *ls = &ivs->slots[slot];
	struct ivs_slot *s = ivs_slot(ivs, ivs->area, slot);

	spin_lock_bh(&ivs->sig_lock);
	ls->buf = NULL;
	spin_unlock_bh(&ivs->sig_lock);
	ls->token = 0;
	WRITE_ONCE(s->token, 0);
	/* Token cleared, then writers counted; a writer counts itself, then
	 * checks the token, also with a full barrier between (see
	 * ivs_writer_get()): we see its count, or it sees the token gone.
	 */
	smp_mb();
	/* On removal the area closes next, and the next driver here waits
	 * longer than any copy takes before it claims the area again.
	 */
	if (!READ_ONCE(ivs->removing) && !ivs_drain(s, ivs_drain_ms(ivs))) {
		spin_lock_bh(&ivs->sig_lock);
		ls->retired = true;
		ivs->retired++;
		spin_unlock_bh(&ivs->sig_lock);
		WRITE_ONCE(ivs->drain_short_until, jiffies +
			   msecs_to_jiffies(IVS_DRAIN_SUSPECT_MS));
		dev_warn_ratelimited(&ivs->pdev->dev,
				     "slot %u still written to, retired\n", slot);
		return;
	}
	gen_pool_free(ivs->heap, ls->addr, ls->len);
	ls->addr = 0;
	ida_free(&ivs->slot_ida, slot);
}

static int ivs_unregister_dmb(struct smcd_device *smcd, struct smcd_buf *buf)
{
	struct ivs *ivs = ivs_of(smcd);
	u32 slot = buf->sba_idx;

	/* Only our own records count: the shared table is anybody's. */
	if (slot >= ivs->nr_slots || ivs->slots[slot].buf != buf ||
	    ivs->slots[slot].token != buf->token)
		return -ENOENT;
	ivs_slot_release(ivs, slot);
	return 0;
}

/* Pin the slot a token names for writing: its area, slot and heap range,
 * all checked.  On success the caller must ivs_writer_put() @*sp.
 */
static int ivs_writer_get(struct ivs *ivs, u64 token, struct ivs_slot **sp,
			  u32 *areap, u32 *slotp, void **mem, u32 *len)
{
	u32 area = token >> IVS_TOKEN_AREA_SHIFT;
	u32 slot = token & IVS_TOKEN_SLOT_MASK;
	struct ivs_slot *s;
	u32 off, l;

	if (area >= ivs->nr_areas || slot >= ivs->nr_slots)
		return -ENOENT;
	s = ivs_slot(ivs, area, slot);
	atomic_inc(&s->writers);
	/* Counted before the token is checked (atomic_inc() alone orders
	 * nothing). Pairs with the smp_mb() in ivs_slot_release(), so that
	 * unregistration sees us, or we see its token gone.
	 */
	smp_mb__after_atomic();
	if (READ_ONCE(s->token) != token)
		goto gone;
	/* The owner wrote offset and length before the token. */
	smp_rmb();
	off = READ_ONCE(s->offset);
	l = READ_ONCE(s->len);
	if (off > ivs->heap_size || l > ivs->heap_size - off)
		goto gone;
	*sp = s;
	*areap = area;
	*slotp = slot;
	*mem = ivs_heap(ivs, area) + off;
	*len = l;
	return 0;
gone:
	atomic_dec(&s->writers);
	return -ENOENT;
}

static void ivs_writer_put(struct ivs_slot *s)
{
	/* Our copy is done before the owner can see the count drop. */
	smp_mb__before_atomic();
	atomic_dec(&s->writers);
}

static void ivs_signal(struct ivs *ivs, u32 area, u32 slot)
{
	set_bit(slot, ivs_pending(ivs, area));
	/* The bit is set before the doorbell; set_bit() is a locked op. */
	ivs_ring(ivs, area);
}

/* Into memory the peer's guest reads while we write: whole 8-byte words
 * where they are aligned (the CDC header's cursors are, and the protocol
 * reads each word of them in one access), so that no cursor is seen half
 * written; anything else by memcpy(). The words become visible in order:
 * a reader that sees the header's digest, its last word, sees the cursor
 * words written before it, and one that sees the flags word sees the
 * producer cursor (smcd_cdc_snapshot()).
 */
static void ivs_copy(void *dst, const void *src, u32 size)
{
	u64 *d = dst;
	u64 word;

	if (!IS_ALIGNED((unsigned long)dst | size, sizeof(u64)) ||
	    size > IVS_WORD_COPY_MAX) {
		memcpy(dst, src, size);
		return;
	}
	for (; size; size -= sizeof(u64), src += sizeof(u64)) {
		memcpy(&word, src, sizeof(word));
		/* Pairs with smcd_cdc_snapshot()'s read barrier. */
		smp_wmb();
		WRITE_ONCE(*d++, word);
	}
}

/* An ivshmem DMB has a single element: @idx is not needed. */
static int ivs_move_data(struct smcd_device *smcd, u64 token, u32 idx,
			 bool signal, u32 offset, const void *data, u32 size)
{
	struct ivs *ivs = ivs_of(smcd);
	struct ivs_slot *s;
	u32 area, slot, len;
	void *mem;
	int rc;

	rc = ivs_writer_get(ivs, token, &s, &area, &slot, &mem, &len);
	if (rc)
		return rc;
	if (offset > len || size > len - offset) {
		rc = -EINVAL;
	} else {
		if (size)
			ivs_copy(mem + offset, data, size);
		if (signal) {
			/* The data is in place before the signal. */
			smp_wmb();
			ivs_signal(ivs, area, slot);
		}
	}
	ivs_writer_put(s);
	return rc;
}

/* A signal is a move of nothing: the same checks on the peer's slot. */
/* A peer's token names a DMB in the area of its GID that the owner has
 * published under that very token now. Anybody can write the table, so
 * this keeps no one out of it; it keeps our data from going where a
 * peer's token leads when that is not a DMB of the peer's own.
 */
static int ivs_check_token(struct smcd_device *smcd,
			   const struct smcd_gid *rgid, u64 token)
{
	struct ivs *ivs = ivs_of(smcd);
	u32 area = token >> IVS_TOKEN_AREA_SHIFT;
	u32 slot = token & IVS_TOKEN_SLOT_MASK;

	if (ivs_query_gid(smcd, rgid, 0, 0) || area != (rgid->gid & 0xff) ||
	    slot >= ivs->nr_slots ||
	    READ_ONCE(ivs_slot(ivs, area, slot)->token) != token)
		return -ENOENT;
	return 0;
}

static int ivs_signal_dmb(struct smcd_device *smcd, u64 token, u32 idx)
{
	return ivs_move_data(smcd, token, idx, true, 0, NULL, 0);
}

static const struct smcd_device_ops ivs_ops = {
	.get_gid	= ivs_get_gid,
	.get_chid	= ivs_get_chid,
	.supports_v2	= ivs_supports_v2,
	.query_gid	= ivs_query_gid,
	.check_token	= ivs_check_token,
	.register_dmb	= ivs_register_dmb,
	.unregister_dmb	= ivs_unregister_dmb,
	.move_data	= ivs_move_data,
	.signal_dmb	= ivs_signal_dmb,
};

/* --- our area ------------------------------------------------------------- */

static void ivs_beat(struct timer_list *t)
{
	struct ivs *ivs = from_timer(ivs, t, beat_timer);
	struct ivs_area_hdr *ah = ivs_area_hdr(ivs, ivs->area);

	WRITE_ONCE(ah->beat, READ_ONCE(ah->beat) + 1);
	mod_timer(&ivs->beat_timer, jiffies + msecs_to_jiffies(IVS_BEAT_MS));
}

/* Take the area of our IVPosition, or find it taken. Two guests must never
 * share one: their DMBs and slot tables would overwrite each other's, and
 * connections would read each other's data. That happens when the device
 * reports the same IVPosition in two guests (seen with QEMU's ivshmem and
 * a guest booted with pci=noacpi). A running owner's heartbeat moves; a
 * guest that crashed leaves a still one, and its area may be taken again.
 * Two claimants at once: the nonce written last stays, the other backs
 * off. Sleeps about twice IVS_CLAIM_WAIT_MS.
 */
static int ivs_area_claim(struct ivs *ivs)
{
	struct ivs_area_hdr *ah = ivs_area_hdr(ivs, ivs->area);
	u64 beat = READ_ONCE(ah->beat), owner;

	msleep(IVS_CLAIM_WAIT_MS);
	if (READ_ONCE(ah->beat) != beat)
		return -EADDRINUSE;
	owner = get_random_u64() ?: 1;
	WRITE_ONCE(ah->owner, owner);
	msleep(IVS_CLAIM_WAIT_MS);
	if (READ_ONCE(ah->owner) != owner)
		return -EADDRINUSE;
	timer_setup(&ivs->beat_timer, ivs_beat, 0);
	ivs_beat(&ivs->beat_timer);
	return 0;
}

static void ivs_area_open(struct ivs *ivs)
{
	struct ivs_area_hdr *ah = ivs_area_hdr(ivs, ivs->area);

	/* Whatever an earlier driver here left behind goes, writer counts
	 * included: nobody can match an empty table.
	 */
	WRITE_ONCE(ah->state, IVS_AREA_DEAD);
	memset((void *)ah + sizeof(*ah), 0, ivs->ctl_size - sizeof(*ah));
	memset(ah->reserved, 0, sizeof(ah->reserved));
	ah->ivposition = ivs->area;
	WRITE_ONCE(ah->magic, IVS_AREA_MAGIC);
	/* A peer that sees us alive sees an empty table. */
	smp_wmb();
	WRITE_ONCE(ah->state, IVS_AREA_ALIVE);
}

static void ivs_area_close(struct ivs *ivs)
{
	WRITE_ONCE(ivs_area_hdr(ivs, ivs->area)->state, IVS_AREA_DEAD);
	/* Dead before anything of the area is given up. */
	smp_mb();
	/* A still heartbeat lets the next driver of this peer id in. */
	del_timer_sync(&ivs->beat_timer);
}

/* After unregistration every client has let go; a DMB left is a client's
 * leak, given back here.  Retired slots' memory goes back too: the pool
 * goes away, and the next driver here starts from an empty area.
 */
static void ivs_reap(struct ivs *ivs)
{
	unsigned int left = 0;
	u32 slot;

	for (slot = 0; slot < ivs->nr_slots; slot++) {
		struct ivs_local_slot *ls = &ivs->slots[slot];

		if (ls->buf) {
			ivs_slot_release(ivs, slot);
			left++;
		}
		if (ls->addr) {
			gen_pool_free(ivs->heap, ls->addr, ls->len);
			ls->addr = 0;
		}
	}
	if (left)
		dev_err(&ivs->pdev->dev, "%u DMB(s) left behind by clients, freed\n",
			left);
}

/* --- PCI ------------------------------------------------------------------ */

static int ivs_setup_irq(struct ivs *ivs)
{
	struct pci_dev *pdev = ivs->pdev;
	int rc;

	rc = pci_alloc_irq_vectors(pdev, 1, 1, PCI_IRQ_MSIX);
	if (rc < 0) {
		dev_err(&pdev->dev, "no MSI-X: use ivshmem-doorbell with a server\n");
		return rc;
	}
	ivs->irq = pci_irq_vector(pdev, 0);
	rc = request_irq(ivs->irq, ivs_irq, 0, KBUILD_MODNAME, ivs);
	if (rc)
		pci_free_irq_vectors(pdev);
	return rc;
}

static int ivs_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	char name[SMCD_NAME_LEN];
	struct smcd_device *smcd;
	struct ivs *ivs;
	u32 pos;
	int rc;

	snprintf(name, sizeof(name), "ivshmem-%s", pci_name(pdev));
	smcd = smcd_device_alloc(name, &ivs_ops, sizeof(*ivs));
	if (!smcd)
		return -ENOMEM;
	ivs = ivs_of(smcd);
	ivs->smcd = smcd;
	ivs->pdev = pdev;
	ida_init(&ivs->slot_ida);
	spin_lock_init(&ivs->sig_lock);
	tasklet_setup(&ivs->tasklet, ivs_tasklet);

	rc = pci_enable_device(pdev);
	if (rc)
		goto err_free;
	rc = pci_request_regions(pdev, KBUILD_MODNAME);
	if (rc)
		goto err_disable;
	/* MSI-X messages are the device's memory writes. */
	pci_set_master(pdev);
	rc = -ENOMEM;
	ivs->regs = pci_iomap(pdev, 0, 0);
	if (!ivs->regs)
		goto err_regions;
	/* Only ivshmem-doorbell has MSI-X and a peer id; ivshmem-plain
	 * (the same 1af4:1110) serves other uses, and its memory is not
	 * touched.
	 */
	pos = readl(ivs->regs + IVS_REG_IVPOSITION);
	if (!pci_find_capability(pdev, PCI_CAP_ID_MSIX) ||
	    pos >= IVS_MAX_AREAS) {
		dev_info(&pdev->dev, "not an ivshmem-doorbell function with a peer id (%d): left alone\n",
			 (int)pos);
		rc = -ENODEV;
		goto err_unmap_regs;
	}
	ivs->shm_size = pci_resource_len(pdev, 2);
	ivs->shm = memremap(pci_resource_start(pdev, 2), ivs->shm_size,
			    MEMREMAP_WB);
	if (!ivs->shm)
		goto err_unmap_regs;
	rc = ivs_region_read(ivs);
	if (rc) {
		dev_err(&pdev->dev, "shared memory of %pa bytes unusable: %d\n",
			&ivs->shm_size, rc);
		goto err_unmap_shm;
	}
	if (pos >= ivs->nr_areas) {
		dev_err(&pdev->dev, "peer id %u, but the region has %u areas\n",
			pos, ivs->nr_areas);
		rc = -ERANGE;
		goto err_unmap_shm;
	}
	ivs->area = pos;
	ivs->gid.gid = ivs->region_id | pos;
	ivs->gid.gid_ext = 0;
	ivs->chid = 1 + (u16)((ivs->region_id >> 8) % 0xfeff);

	rc = -ENOMEM;
	ivs->slots = kvcalloc(ivs->nr_slots, sizeof(*ivs->slots), GFP_KERNEL);
	if (!ivs->slots)
		goto err_unmap_shm;
	ivs->heap = gen_pool_create(PAGE_SHIFT, dev_to_node(&pdev->dev));
	if (!ivs->heap)
		goto err_slots;
	rc = gen_pool_add(ivs->heap, (unsigned long)ivs_heap(ivs, pos),
			  ivs->heap_size, dev_to_node(&pdev->dev));
	if (rc)
		goto err_pool;

	rc = ivs_area_claim(ivs);
	if (rc) {
		dev_err(&pdev->dev, "peer id %u is in use by another running guest: the device reports the same IVPosition twice\n",
			pos);
		goto err_pool;
	}
	ivs_area_open(ivs);
	rc = ivs_setup_irq(ivs);
	if (rc)
		goto err_area;
	smcd->max_dmbs = ivs->nr_slots;
	smcd->dev.parent = &pdev->dev;
	rc = smcd_device_register(smcd);
	if (rc)
		goto err_irq;
	pci_set_drvdata(pdev, ivs);
	dev_info(&pdev->dev, "%s: peer %u of %u, GID %016llx, CHID 0x%04x, %u KiB for DMBs\n",
		 name, pos, ivs->nr_areas, ivs->gid.gid, ivs->chid,
		 ivs->heap_size / SZ_1K);
	return 0;

err_irq:
	free_irq(ivs->irq, ivs);
	pci_free_irq_vectors(pdev);
err_area:
	ivs_area_close(ivs);
	tasklet_kill(&ivs->tasklet);
err_pool:
	gen_pool_destroy(ivs->heap);
err_slots:
	kvfree(ivs->slots);
err_unmap_shm:
	memunmap(ivs->shm);
err_unmap_regs:
	pci_iounmap(pdev, ivs->regs);
err_regions:
	pci_release_regions(pdev);
err_disable:
	pci_disable_device(pdev);
err_free:
	ida_destroy(&ivs->slot_ida);
	smcd_device_free(smcd);
	return rc;
}

static void ivs_remove(struct pci_dev *pdev)
{
	struct ivs *ivs = pci_get_drvdata(pdev);
	struct smcd_device *smcd = ivs->smcd;

	WRITE_ONCE(ivs->removing, true);
	smcd_device_unregister(smcd);
	ivs_area_close(ivs);
	free_irq(ivs->irq, ivs);
	pci_free_irq_vectors(pdev);
	tasklet_kill(&ivs->tasklet);
	ivs_reap(ivs);
	if (ivs->retired)
		dev_info(&pdev->dev, "%u slot(s) had been retired\n",
			 ivs->retired);
	gen_pool_destroy(ivs->heap);
	kvfree(ivs->slots);
	memunmap(ivs->shm);
	pci_iounmap(pdev, ivs->regs);
	pci_release_regions(pdev);
	pci_disable_device(pdev);
	ida_destroy(&ivs->slot_ida);
	smcd_device_free(smcd);
}

static const struct pci_device_id ivs_ids[] = {
	{ PCI_DEVICE(IVS_VENDOR, IVS_DEVICE) },
	{ }
};
MODULE_DEVICE_TABLE(pci, ivs_ids);

static struct pci_driver ivs_driver = {
	.name		= KBUILD_MODNAME,
	.id_table	= ivs_ids,
	.probe		= ivs_probe,
	.remove		= ivs_remove,
};
module_pci_driver(ivs_driver);

MODULE_DESCRIPTION("smc-ng: SMC-D device over QEMU ivshmem (inter-VM shared memory)");
MODULE_LICENSE("GPL");
MODULE_VERSION(SMC_NG_VERSION);
