/* SPDX-License-Identifier: GPL-2.0 */
/*
 * smc-ng: portability shim for the wire codecs.
 *
 * The CLC and CDC codecs must build unchanged inside smc.ko and in plain
 * user space (unit tests, libFuzzer harnesses).  This header supplies the
 * handful of kernel types and helpers they rely on; nothing else belongs
 * here, so that the codecs cannot silently grow a dependency on socket or
 * device code.
 */
#ifndef SMC_WIRE_H
#define SMC_WIRE_H

#ifdef __KERNEL__

#include <linux/types.h>
#include <linux/stddef.h>
#include <linux/string.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/build_bug.h>
#include <linux/compiler.h>
#include <asm/byteorder.h>
#include <asm/barrier.h>
#include <asm/processor.h>

/* A word of memory a peer's device may be writing meanwhile, in one
 * access.
 */
#define smc_wire_load_u64(p)	READ_ONCE(*(p))
/* Orders such loads as the device orders its writes. */
#define smc_wire_rmb()		smp_rmb()
/* Between two looks at memory a device is writing. */
#define smc_wire_relax()	cpu_relax()

#else /* user space */

#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <errno.h>
#include <assert.h>
#include <endian.h>

typedef __UINT8_TYPE__ u8;
typedef __UINT16_TYPE__ u16;
typedef __UINT32_TYPE__ u32;
typedef __UINT64_TYPE__ u64;
typedef __INT8_TYPE__ s8;
typedef __INT16_TYPE__ s16;
typedef __INT32_TYPE__ s32;
typedef __INT64_TYPE__ s64;

/* Plain typedefs: in user space there is no sparse run, so the bitwise
 * annotation would only get in the way of the test code.
 */
typedef u16 __be16;
typedef u32 __be32;
typedef u64 __be64;

#define cpu_to_be16(x)	((__be16)htobe16(x))
#define cpu_to_be32(x)	((__be32)htobe32(x))
#define cpu_to_be64(x)	((__be64)htobe64(x))
#define be16_to_cpu(x)	((u16)be16toh(x))
#define be32_to_cpu(x)	((u32)be32toh(x))
#define be64_to_cpu(x)	((u64)be64toh(x))

#ifndef __packed
/* via a helper so the kernel-only __packed is not "preferred" to itself */
#define smc_wire_attr(a)	__attribute__((a))
#define __packed		smc_wire_attr(__packed__)
#endif

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif

#ifndef min
#define min(a, b) ({ __typeof__(a) _a = (a); __typeof__(b) _b = (b); \
		     _a < _b ? _a : _b; })
#endif
#ifndef max
#define max(a, b) ({ __typeof__(a) _a = (a); __typeof__(b) _b = (b); \
		     _a > _b ? _a : _b; })
#endif

#ifdef SMC_WIRE_OBSERVE
/* A unit test sees every such load and barrier, in order, and may change
 * the memory between them as a peer's device would.
 */
u64 smc_wire_observe_load(const u64 *p);
void smc_wire_observe_rmb(void);
void smc_wire_observe_relax(void);
#define smc_wire_load_u64(p)	smc_wire_observe_load(p)
#define smc_wire_rmb()		smc_wire_observe_rmb()
#define smc_wire_relax()	smc_wire_observe_relax()
#else
#define smc_wire_load_u64(p)	__atomic_load_n((const u64 *)(p), __ATOMIC_RELAXED)
#define smc_wire_rmb()		__atomic_thread_fence(__ATOMIC_ACQUIRE)
#define smc_wire_relax()	__atomic_signal_fence(__ATOMIC_SEQ_CST)
#endif

#endif /* __KERNEL__ */

/* Pins for wire layouts.  The two-argument static_assert is the form both
 * the kernel and C11 <assert.h> understand.
 */
#define SMC_WIRE_SIZE(type, n) \
	static_assert(sizeof(type) == (n), "size of " #type)
#define SMC_WIRE_OFF(type, member, n) \
	static_assert(offsetof(type, member) == (n), "offset of " #type "." #member)
#define SMC_WIRE_PIN(cond)	static_assert(cond, #cond)

#endif /* SMC_WIRE_H */
