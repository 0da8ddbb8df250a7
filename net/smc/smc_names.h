/* SPDX-License-Identifier: GPL-2.0 */
/*
 * smc-ng: the text rules of the administration interfaces: EIDs and PNET
 * IDs (generic netlink) and the SMC-D device order (sysctl). Like the wire
 * codecs these build unchanged in user space, so that the unit tests and
 * a libFuzzer harness run the very code the kernel runs on what
 * administrators (and, in a namespace, unprivileged users) send it.
 */
#ifndef _SMC_NAMES_H
#define _SMC_NAMES_H

#include "smc_wire.h"
#include "smc_clc_wire.h"

#define SMC_EID_LEN		SMC_CLC_EID_LEN
/* A PNET ID: up to 16 characters, kept upper case and NUL terminated. */
#define SMC_PNET_ID_LEN		16

/* The kinds of SMC-D device net.smc.smcd_device_order lists, packed four
 * bits each, the most preferred lowest.
 */
enum {
	SMC_KIND_LOOPBACK = 1,
	SMC_KIND_ISM,
	SMC_KIND_MAX = SMC_KIND_ISM,
};

/* Room for every kind name, spaces between, and the terminator. */
#define SMC_DEVORDER_TEXT_LEN	64

bool smc_eid_valid(const u8 *eid);
int smc_pnetid_normalize(char *id);
bool smc_pnetid_from_raw(const u8 *raw, char *out);
int smc_devorder_parse(const char *s, u32 *order);
int smc_devorder_format(u32 order, char *buf, size_t len);

#endif /* _SMC_NAMES_H */
