/* SPDX-License-Identifier: GPL-2.0 */
/*
 * arm64 hooks for tramp_guard; the contract is in
 * include/asm-generic/tramp_guard.h, the code in arch/arm64/kernel/tramp_guard.S.
 */
#ifndef __ASM_TRAMP_GUARD_H
#define __ASM_TRAMP_GUARD_H

#ifdef __ASSEMBLY__

/* The 32-bit count word of thread_info.preempt_count (asm-offsets.h). */
#ifdef CONFIG_CPU_BIG_ENDIAN
#define TRAMP_GUARD_TI_COUNT	(TSK_TI_PREEMPT + 4)
#else
#define TRAMP_GUARD_TI_COUNT	TSK_TI_PREEMPT
#endif

/*
 * preempt_disable() in x16/x17, which are free at a call: the guarded
 * prologue, and the first thing the guarded ftrace_caller does. Only the
 * count word is written: a need-resched cleared by an interrupt between the
 * load and the store lives in the other word and is not lost.
 */
	.macro	tramp_guard_preempt_disable
	mrs	x16, sp_el0
	ldr	w17, [x16, #TRAMP_GUARD_TI_COUNT]
	add	w17, w17, #1
	str	w17, [x16, #TRAMP_GUARD_TI_COUNT]
	.endm

#else /* !__ASSEMBLY__ */

#include <linux/errno.h>
#include <linux/sizes.h>
#include <linux/string.h>
#include <linux/tramp_guard.h>
#include <linux/types.h>
#include <asm/byteorder.h>
#include <asm/insn.h>
#include <asm/patching.h>

/* Guarded handler trampolines and the entry hook are implemented. */
#define ARCH_TRAMP_GUARD_HANDLERS	1

/* A patched fentry site is "mov x9, x30; bl": its own exit stub. */
#define ARCH_TRAMP_GUARD_FENTRY_EXIT	1

/* aarch64_insn_copy() writes whole instructions only. */
#define TRAMP_GUARD_INSN_ALIGN		AARCH64_INSN_SIZE

/* bl reaches +-128 MiB. */
#define ARCH_TRAMP_GUARD_BRANCH_RANGE	SZ_128M

extern const u8 __tramp_guard_body[], __tramp_guard_body_end[];
extern const u8 __tramp_guard_body_data[], __tramp_guard_body_func[];

static inline void arch_tramp_guard_text_copy(void *dst, const void *src,
					      size_t len)
{
	aarch64_insn_copy(dst, (void *)src, len);
}

static inline void arch_tramp_guard_text_invalidate(void *dst, size_t len)
{
	aarch64_insn_set(dst, AARCH64_BREAK_FAULT, len);
}

static inline size_t arch_tramp_guard_emit_prologue(void *buf)
{
	size_t len = tramp_guard_prologue_size();

	memcpy(buf, __tramp_guard_prologue, len);
	return len;
}

static inline int arch_tramp_guard_emit_jump(void *buf, unsigned long ip,
					     void *target)
{
	u32 insn = aarch64_insn_gen_branch_imm(ip, (unsigned long)target,
					       AARCH64_INSN_BRANCH_NOLINK);
	__le32 le = cpu_to_le32(insn);

	if (insn == AARCH64_BREAK_FAULT)
		return -ERANGE;
	memcpy(buf, &le, sizeof(le));
	return sizeof(le);
}

/* Copy the body template and fill in its two literals. */
static inline int arch_tramp_guard_emit_body(void *buf, unsigned long ip,
					     void *func, void *data,
					     enum tramp_guard_site site)
{
	size_t len = __tramp_guard_body_end - __tramp_guard_body;

	memcpy(buf, __tramp_guard_body, len);
	memcpy(buf + (__tramp_guard_body_data - __tramp_guard_body), &data, sizeof(data));
	memcpy(buf + (__tramp_guard_body_func - __tramp_guard_body), &func, sizeof(func));
	return len;
}

#include <asm-generic/tramp_guard.h>

#endif /* !__ASSEMBLY__ */

#endif /* __ASM_TRAMP_GUARD_H */
