/* SPDX-License-Identifier: GPL-2.0 */
/*
 * x86_64 hooks for tramp_guard; the contract is in
 * include/asm-generic/tramp_guard.h.
 */
#ifndef _ASM_X86_TRAMP_GUARD_H
#define _ASM_X86_TRAMP_GUARD_H

#include <linux/sizes.h>
#include <linux/string.h>
#include <linux/types.h>
#include <asm/ibt.h>
#include <asm/text-patching.h>

/* A rel32 call reaches +-2 GiB from the end of the 5-byte instruction. */
#define ARCH_TRAMP_GUARD_BRANCH_RANGE	(SZ_2G - 8)

static inline void arch_tramp_guard_text_copy(void *dst, const void *src,
					      size_t len)
{
	text_poke_copy(dst, src, len);
}

static inline void arch_tramp_guard_text_invalidate(void *dst, size_t len)
{
	text_poke_set(dst, INT3_INSN_OPCODE, len);
}

/* [endbr64;] mov $val, %eax; ret; int3 */
static inline size_t arch_tramp_guard_emit_ret_imm(void *buf, u32 val)
{
	u8 *p = buf;

	if (IS_ENABLED(CONFIG_X86_KERNEL_IBT)) {
		u32 endbr = gen_endbr();

		memcpy(p, &endbr, sizeof(endbr));
		p += sizeof(endbr);
	}
	*p++ = 0xb8;
	memcpy(p, &val, sizeof(val));
	p += sizeof(val);
	*p++ = RET_INSN_OPCODE;
	*p++ = INT3_INSN_OPCODE;
	return p - (u8 *)buf;
}

#include <asm-generic/tramp_guard.h>

#endif /* _ASM_X86_TRAMP_GUARD_H */
