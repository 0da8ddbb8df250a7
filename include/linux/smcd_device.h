/* SPDX-License-Identifier: GPL-2.0 */
/*
 * smc-ng: SMC-D device layer.
 *
 * An SMC-D device lets two endpoints exchange data through DMBs (direct
 * memory buffers): the receiver registers a DMB and tells the peer its
 * token over the CLC handshake; the peer then writes into it by token
 * ("move data") and may signal the owner afterwards. Drivers provide
 * devices (smc_loopback.ko provides an emulated one that only ever talks
 * to itself, smc_ivshmem.ko one per QEMU ivshmem device, shared between
 * guests); clients (the SMC protocol in smc.ko) use them.
 *
 * Lifetimes
 *   A driver allocates a device with smcd_device_alloc(), fills in its
 *   attributes, calls smcd_device_register(), and on the way out calls
 *   smcd_device_unregister() followed by smcd_device_free().  Unregister is
 *   synchronous: it hides the device from lookups, calls every client's
 *   remove() and waits until every user reference (smcd_device_get()) is
 *   gone.  Afterwards no client calls into the driver any more.
 *
 * Contexts
 *   Registration, lookups, register_dmb(), unregister_dmb(), attach_dmb()
 *   and detach_dmb() may sleep: process context only.  move_data() and
 *   signal_dmb() may be called from process or softirq context (BHs may
 *   be disabled), never from hard interrupt context.  smcd_device_get()
 *   and smcd_device_put() work in any context.
 *   A DMB's signal callback runs in the context of whoever raised it: for
 *   the loopback device, synchronously inside the writer's move_data() or
 *   signal_dmb() call, so in process or softirq context; for the ivshmem
 *   device, in a tasklet (softirq context).  It must not sleep
 *   and must not unregister the signalled DMB; it may move data into other
 *   DMBs.  Once unregister_dmb() has returned, the DMB's callback is not
 *   running and will not be called again.
 */
#ifndef _LINUX_SMCD_DEVICE_H
#define _LINUX_SMCD_DEVICE_H

#include <linux/atomic.h>
#include <linux/device.h>
#include <linux/gfp.h>
#include <linux/list.h>
#include <linux/refcount.h>
#include <linux/types.h>

#define SMCD_NAME_LEN		32	/* device name, NUL included */
#define SMCD_PNETID_LEN		16	/* blank-padded, all zero: none */

/* Channel ids 0xff00-0xffff are reserved for emulated ISM devices;
 * 0xffff is the loopback device, which can only reach itself.
 */
#define SMCD_CHID_EMULATED_MIN	0xff00
#define SMCD_CHID_LOOPBACK	0xffff

/* The VLAN id an SMC-Dv2 reachability query passes: no VLAN applies. */
#define SMCD_VID_NONE		0x1fff

/* A device's GID. Real ISM GIDs are 64 bits (gid_ext 0); emulated
 * devices use 128 bits.
 */
struct smcd_gid {
	u64	gid;
	u64	gid_ext;
};

static inline bool smcd_gid_equal(const struct smcd_gid *a,
				  const struct smcd_gid *b)
{
	return a->gid == b->gid && a->gid_ext == b->gid_ext;
}

/**
 * struct smcd_buf - a DMB, or a view of one
 * @token: device-assigned id, unique on the device while the DMB's memory
 *	exists; never 0
 * @cpu_addr: the memory, @len bytes
 * @len: size in bytes; set by the caller before registration
 * @sba_idx: device-assigned index, unique among the device's DMBs
 * @dma_addr: bus address for devices that DMA into the buffer; 0 for the
 *	loopback device
 * @signal: called when a writer signals this DMB (see "Contexts" above);
 *	filled in by smcd_dmb_register()
 * @owner: the client's object behind the DMB (e.g. its connection);
 *	filled in by smcd_dmb_register()
 * @recycled: set by the driver when the memory was reused from an earlier
 *	DMB rather than allocated (for statistics); zeroed either way
 *
 * @written: for a view: how far from the DMB's start its holder may have
 *	written through it; kept up to date by the holder and read by
 *	detach_dmb(), so that a driver reusing the memory scrubs no more
 *	than was written (most connections write a small part of a DMB)
 *
 * A view filled by attach_dmb() describes a peer's DMB: @token, @cpu_addr,
 * @len and @sba_idx are the peer DMB's, @written is 0; @signal and @owner
 * stay untouched.
 */
struct smcd_buf {
	u64		token;
	void		*cpu_addr;
	u32		len;
	u32		sba_idx;
	dma_addr_t	dma_addr;
	void		(*signal)(struct smcd_buf *buf);
	void		*owner;
	bool		recycled;
	u32		written;
};

struct smcd_device;

/**
 * struct smcd_device_ops - what a driver implements
 * @get_gid: the device's GID
 * @get_chid: the channel id (%SMCD_CHID_LOOPBACK for loopback)
 * @supports_v2: whether the device may be offered for SMC-Dv2
 * @query_gid: 0 if the device can reach the peer GID @rgid (on VLAN @vid
 *	if @vid_valid), a negative errno otherwise
 * @register_dmb: allocate @buf->len bytes of zeroed DMB memory; set
 *	@buf->token, cpu_addr, sba_idx and dma_addr.  @gfp is used for the
 *	memory, so GFP_KERNEL_ACCOUNT charges it to the caller's memcg.
 *	The owner only reads its DMB; @move_data and views write it.
 *	Clients call smcd_dmb_register() rather than this.
 * @unregister_dmb: give the DMB up; waits for signals in progress.  Its
 *	memory stays as long as views of it are attached.  -ENOENT if @buf is
 *	not a DMB registered on the device.  Clients call
 *	smcd_dmb_unregister() rather than this.
 * @attach_dmb: optional (with @detach_dmb), for devices whose DMBs are
 *	ordinary memory: fill @view so the caller can access the peer's DMB
 *	@token directly.  The memory stays valid until the matching
 *	@detach_dmb, even if its owner unregisters it meanwhile.  -ENOENT if
 *	no registered DMB has that token.
 * @detach_dmb: drop the view @view (of @view->token), which its holder
 *	wrote up to @view->written; -ENOENT if there is none
 * @check_token: optional, for devices without @attach_dmb: 0 if @token
 *	names a DMB registered now by the device of GID @rgid, -ENOENT if
 *	not.  A peer's token is taken only after this check: @move_data
 *	writes wherever a token leads, to another connection's DMB too.
 * @move_data: copy @size bytes from @data into the DMB @token at byte
 *	@offset (from the start of the DMB), then, if @signal, signal the
 *	DMB's element @idx.  -ENOENT for an unknown token, -EINVAL if the
 *	range does not fit in the DMB (nothing is copied then).
 * @signal_dmb: signal element @idx of the DMB @token without copying, e.g.
 *	after writing through an attached view; -ENOENT for an unknown token
 * @add_vlan_id: optional: accept traffic on VLAN @vid
 * @del_vlan_id: optional: undo @add_vlan_id
 */
struct smcd_device_ops {
	void	(*get_gid)(struct smcd_device *dev, struct smcd_gid *gid);
	u16	(*get_chid)(struct smcd_device *dev);
	bool	(*supports_v2)(struct smcd_device *dev);
	int	(*query_gid)(struct smcd_device *dev, const struct smcd_gid *rgid,
			     u32 vid_valid, u32 vid);
	int	(*register_dmb)(struct smcd_device *dev, struct smcd_buf *buf,
				gfp_t gfp);
	int	(*unregister_dmb)(struct smcd_device *dev, struct smcd_buf *buf);
	int	(*attach_dmb)(struct smcd_device *dev, u64 token,
			      struct smcd_buf *view);
	int	(*detach_dmb)(struct smcd_device *dev, struct smcd_buf *view);
	int	(*check_token)(struct smcd_device *dev,
			       const struct smcd_gid *rgid, u64 token);
	int	(*move_data)(struct smcd_device *dev, u64 token, u32 idx,
			     bool signal, u32 offset, const void *data, u32 size);
	int	(*signal_dmb)(struct smcd_device *dev, u64 token, u32 idx);
	int	(*add_vlan_id)(struct smcd_device *dev, u64 vid);
	int	(*del_vlan_id)(struct smcd_device *dev, u64 vid);
};

/**
 * struct smcd_device - an SMC-D device
 * @ops: the driver's operations
 * @name: unique name, also the sysfs name (/sys/class/smcd/<name>)
 * @dev: the class device
 * @max_dmbs: most DMBs registered at a time; set by the driver
 * @pnetid: physical network id; all zero if none
 * @users: user references, see smcd_device_get(); layer-private
 * @dmbs: DMBs registered through smcd_dmb_register(); layer-private
 * @list: in the layer's device list; layer-private
 * @going_down: unregistration has begun; layer-private
 * @serial: set at registration, never given to another device while the
 *	layer is loaded: names the device in a record that holds no
 *	reference (a lookup with smcd_device_find() finds it or nothing)
 * @priv: the driver's private area, see smcd_device_priv()
 */
struct smcd_device {
	const struct smcd_device_ops	*ops;
	char				name[SMCD_NAME_LEN];
	struct device			dev;
	u32				max_dmbs;
	u8				pnetid[SMCD_PNETID_LEN];

	refcount_t			users;
	atomic_t			dmbs;
	struct list_head		list;
	bool				going_down;
	u64				serial;

	unsigned long			priv[] __aligned(sizeof(u64));
};

/**
 * struct smcd_client - a user of SMC-D devices
 * @name: for messages
 * @add: a device is available; called for every device registered when
 *	the client registers and for every device registered later
 * @remove: the device is going away; stop using it and release (now or
 *	soon, from any context that may sleep) every DMB, view and user
 *	reference.  smcd_device_unregister() waits for that.
 * @list: in the layer's client list; layer-private
 *
 * @add and @remove are called in process context with the layer's
 * registration lock held: they may look devices up and take or drop
 * references, but must not register or unregister clients or devices.
 * Every @add is paired with exactly one @remove (at device unregistration
 * or client unregistration, whichever comes first).  Lookups find a new
 * device once every client's @add has run.  When @remove runs for a
 * device that unregisters, lookups no longer return it,
 * smcd_device_going_down() is true and smcd_dmb_register() fails.
 */
struct smcd_client {
	const char		*name;
	void			(*add)(struct smcd_device *dev);
	void			(*remove)(struct smcd_device *dev);
	struct list_head	list;
};

/* Client API */
int smcd_client_register(struct smcd_client *client);
void smcd_client_unregister(struct smcd_client *client);

/**
 * smcd_device_get() - take a user reference
 * @dev: a device the caller already holds a reference to, or got in its
 *	client's add()
 */
static inline void smcd_device_get(struct smcd_device *dev)
{
	refcount_inc(&dev->users);
}

void smcd_device_put(struct smcd_device *dev);

/**
 * smcd_device_going_down() - whether unregistration has begun
 * @dev: a referenced device
 *
 * Once true it stays true, and every client's remove() follows. A client
 * that starts using a device it found earlier (a race with remove() is
 * possible) can record that use, check this, and back out if it is true;
 * provided its remove() looks for such uses under the same lock, no use
 * is missed.
 */
static inline bool smcd_device_going_down(struct smcd_device *dev)
{
	return READ_ONCE(dev->going_down);
}

struct smcd_device *smcd_device_find(bool (*match)(struct smcd_device *dev,
						   void *arg),
				     void *arg);
struct smcd_device *smcd_device_next(struct smcd_device *prev);

/* Helper of smcd_for_each_device(). */
static inline struct smcd_device **smcd_device_first(struct smcd_device **cur)
{
	*cur = smcd_device_next(NULL);
	return cur;
}

/**
 * smcd_for_each_device - walk the usable devices
 * @dev: the cursor, a referenced device inside the loop body
 *
 * The body runs without locks held and may sleep. Leaving the loop early
 * keeps the reference on @dev: drop it with smcd_device_put().
 */
#define smcd_for_each_device(dev)					\
	for (struct smcd_device **__smcd_cur = smcd_device_first(&(dev)); \
	     *__smcd_cur; *__smcd_cur = smcd_device_next(*__smcd_cur))

int smcd_dmb_register(struct smcd_device *dev, struct smcd_buf *buf,
		      gfp_t gfp, void (*signal)(struct smcd_buf *buf),
		      void *owner);
int smcd_dmb_unregister(struct smcd_device *dev, struct smcd_buf *buf);

static inline bool smcd_device_can_attach(struct smcd_device *dev)
{
	return dev->ops->attach_dmb && dev->ops->detach_dmb;
}

static inline int smcd_dmb_attach(struct smcd_device *dev, u64 token,
				  struct smcd_buf *view)
{
	if (!smcd_device_can_attach(dev))
		return -EOPNOTSUPP;
	return dev->ops->attach_dmb(dev, token, view);
}

static inline int smcd_dmb_detach(struct smcd_device *dev,
				  struct smcd_buf *view)
{
	if (!smcd_device_can_attach(dev))
		return -EOPNOTSUPP;
	return dev->ops->detach_dmb(dev, view);
}

/* Whether a peer's @token is one its device (GID @rgid) has registered;
 * 0 where the device cannot tell.
 */
static inline int smcd_dmb_check_token(struct smcd_device *dev,
				       const struct smcd_gid *rgid, u64 token)
{
	if (!dev->ops->check_token)
		return 0;
	return dev->ops->check_token(dev, rgid, token);
}

static inline int smcd_add_vlan_id(struct smcd_device *dev, u64 vid)
{
	return dev->ops->add_vlan_id ? dev->ops->add_vlan_id(dev, vid) :
				       -EOPNOTSUPP;
}

static inline int smcd_del_vlan_id(struct smcd_device *dev, u64 vid)
{
	return dev->ops->del_vlan_id ? dev->ops->del_vlan_id(dev, vid) :
				       -EOPNOTSUPP;
}

/* Driver API */
struct smcd_device *smcd_device_alloc(const char *name,
				      const struct smcd_device_ops *ops,
				      size_t priv_size);
int smcd_device_register(struct smcd_device *dev);
void smcd_device_unregister(struct smcd_device *dev);
void smcd_device_free(struct smcd_device *dev);

static inline void *smcd_device_priv(struct smcd_device *dev)
{
	return dev->priv;
}

/**
 * smcd_buf_signal() - deliver a signal to a DMB's owner
 * @buf: the registered DMB
 *
 * For drivers, in the context the signal arrives in. An inline call: it
 * sits on every SMC-D data path.
 */
static inline void smcd_buf_signal(struct smcd_buf *buf)
{
	void (*signal)(struct smcd_buf *buf) = READ_ONCE(buf->signal);

	if (signal)
		signal(buf);
}

/* Called from smc.ko's module init and exit. */
int smcd_device_init(void);
void smcd_device_exit(void);

#endif /* _LINUX_SMCD_DEVICE_H */
