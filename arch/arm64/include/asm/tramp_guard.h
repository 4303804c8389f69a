/* SPDX-License-Identifier: GPL-2.0 */
/*
 * arm64 hooks for tramp_guard; the contract is in
 * include/asm-generic/tramp_guard.h.
 */
#ifndef __ASM_TRAMP_GUARD_H
#define __ASM_TRAMP_GUARD_H

#include <linux/errno.h>
#include <linux/sizes.h>
#include <linux/types.h>
#include <asm/byteorder.h>
#include <asm/insn-def.h>
#include <asm/patching.h>

/* bl reaches +-128 MiB. */
#define ARCH_TRAMP_GUARD_BRANCH_RANGE	SZ_128M

static inline void arch_tramp_guard_text_copy(void *dst, const void *src,
					      size_t len)
{
	aarch64_insn_copy(dst, (void *)src, len);
}

static inline void arch_tramp_guard_text_invalidate(void *dst, size_t len)
{
	aarch64_insn_set(dst, AARCH64_BREAK_FAULT, len);
}

/*
 * Guarded handler trampolines and the entry hook are not ported yet:
 * tramp_guard_create() fails and the handler suites skip.
 */
#define ARCH_TRAMP_GUARD_HANDLERS	0

static inline size_t arch_tramp_guard_emit_prologue(void *buf)
{
	return 0;
}

static inline int arch_tramp_guard_emit_body(void *buf, unsigned long ip,
					     void *func, void *data)
{
	return -EOPNOTSUPP;
}

static inline int arch_tramp_guard_emit_exit(void *buf, unsigned long ip)
{
	return -EOPNOTSUPP;
}

/* bti c; movz w0, #lo; movk w0, #hi, lsl #16; ret */
static inline size_t arch_tramp_guard_emit_ret_imm(void *buf, u32 val)
{
	__le32 *p = buf;

	*p++ = cpu_to_le32(0xd503245f);
	*p++ = cpu_to_le32(0x52800000 | ((val & 0xffff) << 5));
	*p++ = cpu_to_le32(0x72a00000 | ((val >> 16) << 5));
	*p++ = cpu_to_le32(0xd65f03c0);
	return (void *)p - buf;
}

#include <asm-generic/tramp_guard.h>

#endif /* __ASM_TRAMP_GUARD_H */
