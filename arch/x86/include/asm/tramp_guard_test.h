/* SPDX-License-Identifier: GPL-2.0 */
/*
 * x86_64 helpers of the tramp_guard conformance suites, for test builds
 * (CONFIG_TRAMP_GUARD_KUNIT_TEST) only; the contract is in
 * include/asm-generic/tramp_guard_test.h, the code in
 * arch/x86/kernel/tramp_guard_test.S.
 */
#ifndef _ASM_X86_TRAMP_GUARD_TEST_H
#define _ASM_X86_TRAMP_GUARD_TEST_H

#include <linux/const.h>

/* ABI test: register values the assembly helper loads before the call. */
#define TRAMP_GUARD_TEST_PATTERN(i)	(_AC(0x7e57000000c0de00, UL) + (i))
#define ARCH_TRAMP_GUARD_TEST_REGS					\
	"rdi", "rsi", "rdx", "rcx", "r8", "r9", "rax",			\
	"rbx", "rbp", "r12", "r13", "r14", "r15"

#ifndef __ASSEMBLY__

#include <asm/tramp_guard.h>

#define TRAMP_GUARD_MOV_EAX_IMM32	0xb8	/* mov $imm32, %eax */

/*
 * [endbr64;] mov $val, %eax; ret; int3 -- where the kernel may return
 * through a return thunk, a jmp to it instead of the ret.
 */
static inline size_t arch_tramp_guard_emit_ret_imm(void *buf, unsigned long ip, u32 val)
{
	u8 *p = buf;

	if (IS_ENABLED(CONFIG_X86_KERNEL_IBT)) {
		u32 endbr = gen_endbr();

		memcpy(p, &endbr, sizeof(endbr));
		p += sizeof(endbr);
	}
	*p++ = TRAMP_GUARD_MOV_EAX_IMM32;
	memcpy(p, &val, sizeof(val));
	p += sizeof(val);
	/* As the kernel's own returns: through the thunk once it is in use. */
	if (cpu_feature_enabled(X86_FEATURE_RETHUNK)) {
		__text_gen_insn(p, JMP32_INSN_OPCODE, (void *)ip + (p - (u8 *)buf),
				x86_return_thunk, JMP32_INSN_SIZE);
		p += JMP32_INSN_SIZE;
	} else {
		*p++ = RET_INSN_OPCODE;
	}
	*p++ = INT3_INSN_OPCODE;
	return p - (u8 *)buf;
}

#include <asm-generic/tramp_guard_test.h>

#endif /* !__ASSEMBLY__ */

#endif /* _ASM_X86_TRAMP_GUARD_TEST_H */
