/* SPDX-License-Identifier: GPL-2.0 */
/*
 * smc-ng: allocation failures on demand, for tests.
 *
 * The distribution kernel has no fault injection (CONFIG_FAULT_INJECTION
 * is off), so smc.ko carries its own: with the module parameter fault_pct
 * at N, each allocation of connection set-up (CLC buffers, link group,
 * DMB, accepted socket) fails with probability N percent. It is 0 unless
 * a test sets it; the cost then is one read of a variable.
 */
#ifndef _SMC_FAULT_H
#define _SMC_FAULT_H

#include <linux/compiler.h>
#include <linux/random.h>
#include <linux/slab.h>

extern unsigned int smc_fault_pct;

static inline bool smc_fault(void)
{
	unsigned int pct = READ_ONCE(smc_fault_pct);

	return unlikely(pct) && get_random_u32() % 100 < pct;
}

static inline void *smc_kmalloc(size_t size, gfp_t gfp)
{
	return smc_fault() ? NULL : kmalloc(size, gfp);
}

static inline void *smc_kzalloc(size_t size, gfp_t gfp)
{
	return smc_fault() ? NULL : kzalloc(size, gfp);
}

#endif /* _SMC_FAULT_H */
