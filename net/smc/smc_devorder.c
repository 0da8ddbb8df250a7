// SPDX-License-Identifier: GPL-2.0
/*
 * smc-ng: net.smc.smcd_device_order, which kinds of SMC-D device a
 * namespace uses and in which order of preference.
 *
 * The value is a list of kind names, e.g. "loopback ism": a client offers
 * its devices in that order (the server takes the first one it can reach,
 * as upstream), a server only accepts kinds its namespace lists, and a
 * kind left out is not used at all; an empty list turns SMC-D off.
 * Kinds are told apart by CHID: the loopback device has 0xffff, every
 * other SMC-D device (ISM, ISM-class drivers such as smc_ivshmem) is
 * "ism". The list is kept packed in one u32, one kind per nibble, so that
 * a handshake reads it with a single READ_ONCE.
 */
#include <linux/slab.h>
#include <linux/smcd_device.h>
#include <linux/string.h>
#include <linux/sysctl.h>

#include "smc_devorder.h"
#include "smc_netns.h"

/* Loopback first: same-kernel peers get the no-copy device (see the
 * measurement in Documentation/networking/smc-ng.rst).
 */
u32 smc_devorder_default(void)
{
	return SMC_KIND_LOOPBACK | SMC_KIND_ISM << 4;
}

static int smc_devorder_kind(struct smcd_device *dev)
{
	return dev->ops->get_chid(dev) == SMCD_CHID_LOOPBACK ?
	       SMC_KIND_LOOPBACK : SMC_KIND_ISM;
}

/**
 * smc_devorder_rank() - a device's place in its namespace's preference
 * @net: the connection's namespace
 * @dev: an SMC-D device
 *
 * Returns 0 for the most preferred kind, 1 for the next, ...; -1 when
 * the namespace does not use devices of this kind.
 */
int smc_devorder_rank(struct net *net, struct smcd_device *dev)
{
	u32 order = READ_ONCE(smc_net(net)->smcd_order);
	int kind = smc_devorder_kind(dev), rank;

	for (rank = 0; order; rank++, order >>= 4)
		if ((order & 0xf) == kind)
			return rank;
	return -1;
}

/* proc handler: @table->data is the namespace's packed u32. */
int smc_devorder_sysctl(struct ctl_table *table, int write, void *buffer,
			size_t *lenp, loff_t *ppos)
{
	char text[SMC_DEVORDER_TEXT_LEN];
	struct ctl_table tmp = {
		.data	= text,
		.maxlen	= sizeof(text),
	};
	u32 *order = table->data, parsed;
	int rc;

	smc_devorder_format(READ_ONCE(*order), text, sizeof(text));
	rc = proc_dostring(&tmp, write, buffer, lenp, ppos);
	if (rc || !write)
		return rc;
	rc = smc_devorder_parse(text, &parsed);
	if (!rc)
		WRITE_ONCE(*order, parsed);
	return rc;
}
