/* SPDX-License-Identifier: GPL-2.0 */
/*
 * arm64 helpers of the tramp_guard conformance suites, for test builds
 * (CONFIG_TRAMP_GUARD_KUNIT_TEST) only; the contract is in
 * include/asm-generic/tramp_guard_test.h, the code in
 * arch/arm64/kernel/tramp_guard_test.S.
 */
#ifndef __ASM_TRAMP_GUARD_TEST_H
#define __ASM_TRAMP_GUARD_TEST_H

#include <linux/const.h>

/* ABI test: register values the assembly helper loads before the call. */
#define TRAMP_GUARD_TEST_PATTERN(i)	(_AC(0x7e57000000c0de00, UL) + (i))
#define ARCH_TRAMP_GUARD_TEST_REGS					\
	"x0", "x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9",	\
	"x19", "x20", "x21", "x22", "x23", "x24", "x25", "x26", "x27",	\
	"x28", "x29"
/* The fentry site's "mov x9, x30" overwrites x9 (index 9 above). */
#define ARCH_TRAMP_GUARD_TEST_FENTRY_REG	9

#ifndef __ASSEMBLY__

#include <asm/tramp_guard.h>

/* bti c; movz w0, #lo; movk w0, #hi, lsl #16; ret */
static inline size_t arch_tramp_guard_emit_ret_imm(void *buf, unsigned long ip, u32 val)
{
	__le32 *p = buf;

	*p++ = cpu_to_le32(aarch64_insn_gen_hint(AARCH64_INSN_HINT_BTIC));
	*p++ = cpu_to_le32(aarch64_insn_gen_movewide(AARCH64_INSN_REG_0, val & 0xffff, 0,
						     AARCH64_INSN_VARIANT_32BIT,
						     AARCH64_INSN_MOVEWIDE_ZERO));
	*p++ = cpu_to_le32(aarch64_insn_gen_movewide(AARCH64_INSN_REG_0, val >> 16, 16,
						     AARCH64_INSN_VARIANT_32BIT,
						     AARCH64_INSN_MOVEWIDE_KEEP));
	*p++ = cpu_to_le32(aarch64_insn_gen_branch_reg(AARCH64_INSN_REG_LR,
						       AARCH64_INSN_BRANCH_RETURN));
	return (void *)p - buf;
}

#include <asm-generic/tramp_guard_test.h>

#endif /* !__ASSEMBLY__ */

#endif /* __ASM_TRAMP_GUARD_TEST_H */
