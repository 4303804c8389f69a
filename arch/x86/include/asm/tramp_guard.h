/* SPDX-License-Identifier: GPL-2.0 */
/*
 * x86_64 hooks for tramp_guard; the contract is in
 * include/asm-generic/tramp_guard.h, the code in arch/x86/kernel/tramp_guard.S.
 */
#ifndef _ASM_X86_TRAMP_GUARD_H
#define _ASM_X86_TRAMP_GUARD_H

#ifndef __ASSEMBLY__

#include <linux/cpufeature.h>
#include <linux/errno.h>
#include <linux/sizes.h>
#include <linux/string.h>
#include <linux/tramp_guard.h>
#include <linux/types.h>
#include <asm/ibt.h>
#include <asm/nospec-branch.h>
#include <asm/text-patching.h>

/* Guarded handler trampolines and the entry hook are implemented. */
#define ARCH_TRAMP_GUARD_HANDLERS	1

/* A rel32 call reaches +-2 GiB from the end of the 5-byte instruction. */
#define ARCH_TRAMP_GUARD_BRANCH_RANGE	(SZ_2G - 8)

extern const u8 __tramp_guard_body[], __tramp_guard_body_end[];
extern const u8 __tramp_guard_body_data[], __tramp_guard_body_call[];

static inline void arch_tramp_guard_text_copy(void *dst, const void *src,
					      size_t len)
{
	text_poke_copy(dst, src, len);
}

static inline void arch_tramp_guard_text_invalidate(void *dst, size_t len)
{
	text_poke_set(dst, INT3_INSN_OPCODE, len);
}

static inline size_t arch_tramp_guard_emit_prologue(void *buf)
{
	size_t len = tramp_guard_prologue_size();

	memcpy(buf, __tramp_guard_prologue, len);
	return len;
}

/* Can a 5-byte call or jmp at @ip reach @dest? For x86 code building them. */
static inline bool tramp_guard_rel32_ok(unsigned long ip, const void *dest)
{
	long disp;

	/* Like __text_gen_insn(): no code address +- constant for objtool. */
	OPTIMIZER_HIDE_VAR(dest);
	disp = (long)dest - (long)(ip + CALL_INSN_SIZE);
	return disp == (s32)disp;
}

static inline int arch_tramp_guard_emit_jump(void *buf, unsigned long ip,
					     void *target)
{
	if (!tramp_guard_rel32_ok(ip, target))
		return -ERANGE;
	__text_gen_insn(buf, JMP32_INSN_OPCODE, (void *)ip, target, JMP32_INSN_SIZE);
	return JMP32_INSN_SIZE;
}

/* Copy the body template; patch data into its movabs, func into its call. */
static inline int arch_tramp_guard_emit_body(void *buf, unsigned long ip,
					     void *func, void *data,
					     enum tramp_guard_site site)
{
	size_t len = __tramp_guard_body_end - __tramp_guard_body;
	size_t data_off = __tramp_guard_body_data - __tramp_guard_body + 2;
	size_t call_off = __tramp_guard_body_call - __tramp_guard_body;

	if (!tramp_guard_rel32_ok(ip + call_off, func))
		return -ERANGE;
	memcpy(buf, __tramp_guard_body, len);
	memcpy(buf + data_off, &data, sizeof(data));
	__text_gen_insn(buf + call_off, CALL_INSN_OPCODE, (void *)(ip + call_off),
			func, CALL_INSN_SIZE);
	return len;
}

#include <asm-generic/tramp_guard.h>

#endif /* !__ASSEMBLY__ */

#endif /* _ASM_X86_TRAMP_GUARD_H */
