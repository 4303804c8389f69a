/* SPDX-License-Identifier: GPL-2.0 */
/*
 * riscv64 helpers of the tramp_guard conformance suites, for test builds
 * (CONFIG_TRAMP_GUARD_KUNIT_TEST) only; the contract is in
 * include/asm-generic/tramp_guard_test.h, the code in
 * arch/riscv/kernel/tramp_guard_test.S.
 */
#ifndef _ASM_RISCV_TRAMP_GUARD_TEST_H
#define _ASM_RISCV_TRAMP_GUARD_TEST_H

#include <linux/const.h>

/*
 * ABI test: register values the assembly helper loads before the call.
 * t0, which a patched fentry site overwrites with its return address, is a
 * temporary and not in the list: a wrong t0 at the exit is a wrong return.
 */
#define TRAMP_GUARD_TEST_PATTERN(i)	(_AC(0x7e57000000c0de00, UL) + (i))
#define ARCH_TRAMP_GUARD_TEST_REGS					\
	"a0", "a1", "a2", "a3", "a4", "a5", "a6", "a7",			\
	"s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9",	\
	"s10", "s11"

#ifndef __ASSEMBLY__

#include <asm/tramp_guard.h>

/* lui a0, hi; addiw a0, a0, lo; ret: @val sign-extended, as the ABI wants. */
static inline size_t arch_tramp_guard_emit_ret_imm(void *buf, unsigned long ip, u32 val)
{
	u32 insn[3] = {
		TRAMP_GUARD_RV_OPCODE_LUI | TRAMP_GUARD_RV_RD(TRAMP_GUARD_RV_A0),
		TRAMP_GUARD_RV_OPCODE_OP_IMM_32 | TRAMP_GUARD_RV_RD(TRAMP_GUARD_RV_A0) |
			TRAMP_GUARD_RV_RS1(TRAMP_GUARD_RV_A0),
		RVG_OPCODE_JALR | TRAMP_GUARD_RV_RD(TRAMP_GUARD_RV_ZERO) |
			TRAMP_GUARD_RV_RS1(TRAMP_GUARD_RV_RA),
	};
	__le32 le[ARRAY_SIZE(insn)];
	int i;

	riscv_insn_insert_utype_itype_imm(&insn[0], &insn[1], (s32)val);
	for (i = 0; i < ARRAY_SIZE(insn); i++)
		le[i] = cpu_to_le32(insn[i]);
	memcpy(buf, le, sizeof(le));
	return sizeof(le);
}

#include <asm-generic/tramp_guard_test.h>

#endif /* !__ASSEMBLY__ */

#endif /* _ASM_RISCV_TRAMP_GUARD_TEST_H */
