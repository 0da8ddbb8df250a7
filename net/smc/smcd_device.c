// SPDX-License-Identifier: GPL-2.0
/*
 * smc-ng: SMC-D device layer (see include/linux/smcd_device.h).
 *
 * Two locks:
 *   smcd_reg_lock serialises every registration and unregistration of
 *	devices and clients and is held while clients' add() and remove()
 *	run, so each client sees add and remove exactly once per device, in
 *	that order.  The client list is only touched under it.
 *   smcd_list_lock (taken inside smcd_reg_lock) protects the device list
 *	for lookups, which therefore also work from add() and remove().
 *	The device list changes only with both locks held.
 * A device joins the list once every client has seen add() and leaves it
 * once its last user is gone; in between it is hidden from lookups as soon
 * as it starts going down.  Keeping it listed while users remain lets
 * smcd_device_next() continue from a referenced device.
 */
#define pr_fmt(fmt) "smcd: " fmt

#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/smcd_device.h>
#include <linux/string.h>
#include <linux/wait.h>

/* How often unregistration reports users that do not let go. */
#define SMCD_UNREG_WARN_INTERVAL	(10 * HZ)

static DEFINE_MUTEX(smcd_reg_lock);
static DEFINE_MUTEX(smcd_list_lock);
static LIST_HEAD(smcd_devices);
static LIST_HEAD(smcd_clients);
/* The last serial given, under smcd_reg_lock. */
static u64 smcd_last_serial;

/* Wakes unregistration when a device's last user leaves. Global, so the
 * waker never touches a device that may be freed the moment it is idle.
 */
static DECLARE_WAIT_QUEUE_HEAD(smcd_users_wq);

static struct smcd_device *to_smcd(struct device *d)
{
	return container_of(d, struct smcd_device, dev);
}

/* sysfs: /sys/class/smcd/<name>/ */

static ssize_t gid_show(struct device *d, struct device_attribute *attr,
			char *page)
{
	struct smcd_device *dev = to_smcd(d);
	struct smcd_gid gid;

	dev->ops->get_gid(dev, &gid);
	return sysfs_emit(page, "%016llx%016llx\n", gid.gid, gid.gid_ext);
}
static DEVICE_ATTR_RO(gid);

static ssize_t chid_show(struct device *d, struct device_attribute *attr,
			 char *page)
{
	struct smcd_device *dev = to_smcd(d);

	return sysfs_emit(page, "0x%04x\n", dev->ops->get_chid(dev));
}
static DEVICE_ATTR_RO(chid);

static ssize_t dmbs_show(struct device *d, struct device_attribute *attr,
			 char *page)
{
	return sysfs_emit(page, "%d\n", atomic_read(&to_smcd(d)->dmbs));
}
static DEVICE_ATTR_RO(dmbs);

static ssize_t max_dmbs_show(struct device *d, struct device_attribute *attr,
			     char *page)
{
	return sysfs_emit(page, "%u\n", to_smcd(d)->max_dmbs);
}
static DEVICE_ATTR_RO(max_dmbs);

static ssize_t state_show(struct device *d, struct device_attribute *attr,
			  char *page)
{
	bool down = READ_ONCE(to_smcd(d)->going_down);

	return sysfs_emit(page, "%s\n", down ? "going-down" : "up");
}
static DEVICE_ATTR_RO(state);

static struct attribute *smcd_dev_attrs[] = {
	&dev_attr_gid.attr,
	&dev_attr_chid.attr,
	&dev_attr_dmbs.attr,
	&dev_attr_max_dmbs.attr,
	&dev_attr_state.attr,
	NULL
};
ATTRIBUTE_GROUPS(smcd_dev);

static struct class smcd_class = {
	.name		= "smcd",
	.owner		= THIS_MODULE,
	.dev_groups	= smcd_dev_groups,
};

static void smcd_device_release(struct device *d)
{
	kfree(to_smcd(d));
}

/**
 * smcd_device_alloc() - allocate a device for a driver
 * @name: unique device name (at most %SMCD_NAME_LEN - 1 characters)
 * @ops: the driver's operations
 * @priv_size: bytes of driver-private area, see smcd_device_priv()
 *
 * The driver sets max_dmbs and pnetid, then registers the device.
 * Return: the device, or NULL.
 */
struct smcd_device *smcd_device_alloc(const char *name,
				      const struct smcd_device_ops *ops,
				      size_t priv_size)
{
	struct smcd_device *dev;

	if (!name || !*name || strchr(name, '/') ||
	    strlen(name) >= SMCD_NAME_LEN)
		return NULL;
	dev = kzalloc(struct_size(dev, priv,
				  DIV_ROUND_UP(priv_size, sizeof(dev->priv[0]))),
		      GFP_KERNEL);
	if (!dev)
		return NULL;
	dev->ops = ops;
	strscpy(dev->name, name, sizeof(dev->name));
	INIT_LIST_HEAD(&dev->list);
	atomic_set(&dev->dmbs, 0);
	refcount_set(&dev->users, 0);
	device_initialize(&dev->dev);
	dev->dev.class = &smcd_class;
	dev->dev.release = smcd_device_release;
	if (dev_set_name(&dev->dev, "%s", dev->name)) {
		put_device(&dev->dev);
		return NULL;
	}
	return dev;
}
EXPORT_SYMBOL_GPL(smcd_device_alloc);

/**
 * smcd_device_free() - free a device that is not (or no longer) registered
 * @dev: the device
 */
void smcd_device_free(struct smcd_device *dev)
{
	if (dev)
		put_device(&dev->dev);
}
EXPORT_SYMBOL_GPL(smcd_device_free);

static bool smcd_ops_complete(const struct smcd_device_ops *ops)
{
	if (!ops || !ops->get_gid || !ops->get_chid || !ops->supports_v2 ||
	    !ops->query_gid || !ops->register_dmb || !ops->unregister_dmb ||
	    !ops->move_data || !ops->signal_dmb)
		return false;
	/* Views are only any use if they can be given back. */
	return !ops->attach_dmb == !ops->detach_dmb;
}

static struct smcd_device *smcd_lookup_name(const char *name)
{
	struct smcd_device *dev;

	list_for_each_entry(dev, &smcd_devices, list)
		if (!strcmp(dev->name, name))
			return dev;
	return NULL;
}

/**
 * smcd_device_register() - make a device available to clients
 * @dev: from smcd_device_alloc(), attributes filled in
 *
 * Creates /sys/class/smcd/<name> and calls every client's add().
 * Return: 0, -EINVAL for incomplete ops or a DMB limit of 0 or above
 * INT_MAX, -EEXIST if the name is taken, or the error of adding the
 * class device.
 */
int smcd_device_register(struct smcd_device *dev)
{
	struct smcd_client *client;
	int rc;

	if (!smcd_ops_complete(dev->ops) || !dev->max_dmbs ||
	    dev->max_dmbs > INT_MAX)
		return -EINVAL;

	mutex_lock(&smcd_reg_lock);
	if (smcd_lookup_name(dev->name)) {
		rc = -EEXIST;
		goto out;
	}
	rc = device_add(&dev->dev);
	if (rc)
		goto out;
	/* The registration's own user reference, dropped on unregister. */
	refcount_set(&dev->users, 1);
	dev->serial = ++smcd_last_serial;
	list_for_each_entry(client, &smcd_clients, list)
		client->add(dev);
	mutex_lock(&smcd_list_lock);
	list_add_tail(&dev->list, &smcd_devices);
	mutex_unlock(&smcd_list_lock);
out:
	mutex_unlock(&smcd_reg_lock);
	return rc;
}
EXPORT_SYMBOL_GPL(smcd_device_register);

/**
 * smcd_device_unregister() - take a device away from its clients
 * @dev: a registered device
 *
 * Hides the device from lookups, calls every client's remove() and waits
 * until all user references are gone; then removes it from sysfs. The
 * wait has no time limit, but a message reports every
 * %SMCD_UNREG_WARN_INTERVAL who is still holding on. Afterwards nothing
 * calls into the driver for this device, and it may be freed.
 */
void smcd_device_unregister(struct smcd_device *dev)
{
	struct smcd_client *client;
	unsigned long waited = 0;

	mutex_lock(&smcd_reg_lock);
	mutex_lock(&smcd_list_lock);
	WRITE_ONCE(dev->going_down, true);
	mutex_unlock(&smcd_list_lock);
	list_for_each_entry(client, &smcd_clients, list)
		client->remove(dev);
	mutex_unlock(&smcd_reg_lock);

	smcd_device_put(dev);
	while (!wait_event_timeout(smcd_users_wq,
				   !refcount_read(&dev->users),
				   SMCD_UNREG_WARN_INTERVAL)) {
		waited += SMCD_UNREG_WARN_INTERVAL / HZ;
		pr_warn("%s: waited %lu s for %u user(s) to let go, %d DMB(s) registered\n",
			dev->name, waited, refcount_read(&dev->users),
			atomic_read(&dev->dmbs));
	}
	if (waited)
		pr_info("%s: users gone\n", dev->name);

	mutex_lock(&smcd_reg_lock);
	mutex_lock(&smcd_list_lock);
	list_del_init(&dev->list);
	mutex_unlock(&smcd_list_lock);
	/* Before a device of the same name may register: its sysfs entry
	 * would clash with ours.
	 */
	device_del(&dev->dev);
	mutex_unlock(&smcd_reg_lock);
}
EXPORT_SYMBOL_GPL(smcd_device_unregister);

/**
 * smcd_client_register() - start using SMC-D devices
 * @client: name, add and remove filled in
 *
 * add() is called for every device available now, and later for each one
 * that registers.
 * Return: 0.
 */
int smcd_client_register(struct smcd_client *client)
{
	struct smcd_device *dev;

	mutex_lock(&smcd_reg_lock);
	list_add_tail(&client->list, &smcd_clients);
	list_for_each_entry(dev, &smcd_devices, list)
		if (!READ_ONCE(dev->going_down))
			client->add(dev);
	mutex_unlock(&smcd_reg_lock);
	return 0;
}
EXPORT_SYMBOL_GPL(smcd_client_register);

/**
 * smcd_client_unregister() - stop using SMC-D devices
 * @client: a registered client
 *
 * remove() is called for every device the client still has (devices
 * already going down had theirs).
 */
void smcd_client_unregister(struct smcd_client *client)
{
	struct smcd_device *dev;

	mutex_lock(&smcd_reg_lock);
	list_for_each_entry(dev, &smcd_devices, list)
		if (!READ_ONCE(dev->going_down))
			client->remove(dev);
	list_del(&client->list);
	mutex_unlock(&smcd_reg_lock);
}
EXPORT_SYMBOL_GPL(smcd_client_unregister);

/**
 * smcd_device_put() - drop a user reference
 * @dev: the device
 *
 * Any context.
 */
void smcd_device_put(struct smcd_device *dev)
{
	if (refcount_dec_and_test(&dev->users))
		wake_up(&smcd_users_wq);
}
EXPORT_SYMBOL_GPL(smcd_device_put);

/**
 * smcd_device_find() - look a usable device up
 * @match: true for the wanted device, or NULL for any device; called under
 *	the list lock, so it must not look devices up itself (it may sleep)
 * @arg: passed to @match
 *
 * Devices going down are never returned.
 * Return: the first matching device with a user reference for the caller,
 * or NULL.
 */
struct smcd_device *smcd_device_find(bool (*match)(struct smcd_device *dev,
						   void *arg),
				     void *arg)
{
	struct smcd_device *dev, *found = NULL;

	mutex_lock(&smcd_list_lock);
	list_for_each_entry(dev, &smcd_devices, list) {
		if (!dev->going_down && (!match || match(dev, arg))) {
			smcd_device_get(dev);
			found = dev;
			break;
		}
	}
	mutex_unlock(&smcd_list_lock);
	return found;
}
EXPORT_SYMBOL_GPL(smcd_device_find);

/**
 * smcd_device_next() - step through the usable devices
 * @prev: the previous device (its reference is dropped), or NULL to start
 *
 * Return: the next device not going down, referenced, or NULL at the end.
 */
struct smcd_device *smcd_device_next(struct smcd_device *prev)
{
	struct smcd_device *dev, *found = NULL;

	mutex_lock(&smcd_list_lock);
	/* @prev is referenced, so it is still listed (see the top). */
	dev = prev ? list_next_entry(prev, list) :
		     list_first_entry(&smcd_devices, struct smcd_device, list);
	for (; !list_entry_is_head(dev, &smcd_devices, list);
	     dev = list_next_entry(dev, list)) {
		if (!dev->going_down) {
			smcd_device_get(dev);
			found = dev;
			break;
		}
	}
	mutex_unlock(&smcd_list_lock);
	if (prev)
		smcd_device_put(prev);
	return found;
}
EXPORT_SYMBOL_GPL(smcd_device_next);

/**
 * smcd_dmb_register() - register a DMB with its owner
 * @dev: the device, referenced by the caller
 * @buf: @buf->len set; the device fills in the rest
 * @gfp: for the DMB memory; GFP_KERNEL_ACCOUNT charges the caller's memcg
 * @signal: the owner's signal callback, or NULL
 * @owner: the owner's object, for @signal
 *
 * Process context.
 * Return: 0, -ENODEV if the device is going down, -ENOSPC if it has
 * max_dmbs DMBs already, or the driver's error.
 */
int smcd_dmb_register(struct smcd_device *dev, struct smcd_buf *buf,
		      gfp_t gfp, void (*signal)(struct smcd_buf *buf),
		      void *owner)
{
	int rc;

	might_sleep();
	if (READ_ONCE(dev->going_down))
		return -ENODEV;
	if (!atomic_add_unless(&dev->dmbs, 1, dev->max_dmbs))
		return -ENOSPC;
	buf->signal = signal;
	buf->owner = owner;
	rc = dev->ops->register_dmb(dev, buf, gfp);
	if (rc)
		atomic_dec(&dev->dmbs);
	return rc;
}
EXPORT_SYMBOL_GPL(smcd_dmb_register);

/**
 * smcd_dmb_unregister() - unregister a DMB
 * @dev: the device it was registered on
 * @buf: the DMB
 *
 * Process context. On return @buf's signal callback has finished and is
 * not called again.
 * Return: 0, or -ENOENT if @buf is not registered on @dev.
 */
int smcd_dmb_unregister(struct smcd_device *dev, struct smcd_buf *buf)
{
	int rc;

	might_sleep();
	rc = dev->ops->unregister_dmb(dev, buf);
	if (!rc)
		atomic_dec(&dev->dmbs);
	return rc;
}
EXPORT_SYMBOL_GPL(smcd_dmb_unregister);

/* smc.ko's module init, before any client registers. */
int smcd_device_init(void)
{
	return class_register(&smcd_class);
}

/* smc.ko's module exit, after its client has unregistered. Drivers use
 * smc.ko, so no device can be left.
 */
void smcd_device_exit(void)
{
	WARN_ON(!list_empty(&smcd_devices) || !list_empty(&smcd_clients));
	class_unregister(&smcd_class);
}
