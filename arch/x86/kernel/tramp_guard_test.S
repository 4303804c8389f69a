/* SPDX-License-Identifier: GPL-2.0 */
/*
 * x86_64 helpers for the tramp_guard KUnit suites (test builds only). The
 * C side is lib/tests/tramp_guard_kunit.c; the contract is in
 * include/asm-generic/tramp_guard_test.h.
 */

#include <linux/linkage.h>
#include <asm/asm.h>
#include <asm/cache.h>
#include <asm/ibt.h>
#include <asm/nospec-branch.h>
#include <asm/tramp_guard.h>
#include <asm/tramp_guard_test.h>

/* The ABI helpers' register values, as immediates. */
#define PAT(i)	$TRAMP_GUARD_TEST_PATTERN(i)

	.pushsection .rodata, "a"

/*
 * Placed before a prologue: spin while tramp_guard_test_release is zero,
 * with the IP in the region and the preempt count untouched (the window).
 */
SYM_DATA_START(__tramp_guard_test_spin)
	ENDBR
1:	pause
	cmpl	$0, tramp_guard_test_release
	je	1b
SYM_DATA_END_LABEL(__tramp_guard_test_spin, SYM_L_GLOBAL, __tramp_guard_test_spin_end)

/*
 * Written over reclaimed memory by the use-after-free stress: count the
 * execution of freed code and return to the caller. Entered at +0, or after
 * the landing pad when an interrupt hit between ENDBR and the prologue.
 */
SYM_DATA_START(__tramp_guard_test_detector)
	ENDBR
	lock incq tramp_guard_test_detections
	ret
	/* One whole unit, so that copies tile reclaimed memory in one write. */
	.fill	L1_CACHE_BYTES - (. - __tramp_guard_test_detector), 1, 0xcc
SYM_DATA_END_LABEL(__tramp_guard_test_detector, SYM_L_GLOBAL, __tramp_guard_test_detector_end)

/*
 * Copied into the region and called with the slot in %rdi: a patched call
 * site, one instruction loads the target and enters it.
 */
SYM_DATA_START(__tramp_guard_test_call_stub)
	ENDBR
	jmp	*(%rdi)
SYM_DATA_END_LABEL(__tramp_guard_test_call_stub, SYM_L_GLOBAL, __tramp_guard_test_call_stub_end)

/* An unguarded trampoline for the benchmark: entry and exit, no preempt count. */
SYM_DATA_START(__tramp_guard_test_plain_entry)
	ENDBR
SYM_DATA_END_LABEL(__tramp_guard_test_plain_entry, SYM_L_GLOBAL, __tramp_guard_test_plain_entry_end)

	.popsection

/* The unguarded baseline's exit: like __tramp_guard_exit minus the count. */
SYM_FUNC_START(__tramp_guard_test_plain_ret)
	RET
SYM_FUNC_END(__tramp_guard_test_plain_ret)

/*
 * The two ABI helpers' common parts: save the callee-saved registers, keep
 * @entry at 8(%rsp) and @regs at (%rsp), regs[13] = %rsp before the call,
 * load the patterns; afterwards store every register into regs[0..12] and
 * %rsp into regs[14], leaving @regs in %rax.
 */
.macro abi_enter
	pushq	%rbp
	pushq	%rbx
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	pushq	%rdi			/* 8(%rsp): entry */
	pushq	%rsi			/* (%rsp): regs */
	movq	%rsp, 13*8(%rsi)
	movabsq	PAT(0), %rdi
	movabsq	PAT(1), %rsi
	movabsq	PAT(2), %rdx
	movabsq	PAT(3), %rcx
	movabsq	PAT(4), %r8
	movabsq	PAT(5), %r9
	movabsq	PAT(6), %rax
	movabsq	PAT(7), %rbx
	movabsq	PAT(8), %rbp
	movabsq	PAT(9), %r12
	movabsq	PAT(10), %r13
	movabsq	PAT(11), %r14
	movabsq	PAT(12), %r15
.endm

.macro abi_store
	pushq	%rax
	movq	8(%rsp), %rax
	movq	%rdi, 0*8(%rax)
	movq	%rsi, 1*8(%rax)
	movq	%rdx, 2*8(%rax)
	movq	%rcx, 3*8(%rax)
	movq	%r8, 4*8(%rax)
	movq	%r9, 5*8(%rax)
	movq	%rbx, 7*8(%rax)
	movq	%rbp, 8*8(%rax)
	movq	%r12, 9*8(%rax)
	movq	%r13, 10*8(%rax)
	movq	%r14, 11*8(%rax)
	movq	%r15, 12*8(%rax)
	popq	%rdi
	movq	%rdi, 6*8(%rax)
	movq	%rsp, 14*8(%rax)
.endm

.macro abi_leave
	addq	$16, %rsp
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbx
	popq	%rbp
	RET
.endm

/*
 * void tramp_guard_test_fentry_call(void *entry, unsigned long *regs)
 *
 * As tramp_guard_test_abi_call(), through tramp_guard_test_fentry_traced,
 * which writes regs[15].
 */
SYM_FUNC_START(tramp_guard_test_fentry_call)
	abi_enter
	call	tramp_guard_test_fentry_traced
SYM_INNER_LABEL(tramp_guard_test_fentry_ret, SYM_L_GLOBAL)
	ANNOTATE_NOENDBR		/* a return address, compared, never called */
	abi_store
	abi_leave
SYM_FUNC_END(tramp_guard_test_fentry_call)

/*
 * A traced non-leaf function as ftrace patches it: its first instruction
 * calls the trampoline (indirectly here, to reach a run-time entry), then
 * it builds its own frame and calls. Right after the site, (%rsp) must
 * still be the return into the caller; it is recorded in regs[15].
 */
SYM_FUNC_START(tramp_guard_test_fentry_traced)
	ANNOTATE_RETPOLINE_SAFE
	call	*16(%rsp)		/* the caller's entry slot */
SYM_INNER_LABEL(tramp_guard_test_fentry_site, SYM_L_GLOBAL)
	ANNOTATE_NOENDBR		/* a return address, compared, never called */
	pushq	%rax
	pushq	%rdi
	movq	24(%rsp), %rax		/* the caller's regs slot */
	movq	16(%rsp), %rdi		/* our return address */
	movq	%rdi, 15*8(%rax)
	popq	%rdi
	popq	%rax
	pushq	%rbp
	movq	%rsp, %rbp
	call	__tramp_guard_test_plain_ret
	popq	%rbp
	RET
SYM_FUNC_END(tramp_guard_test_fentry_traced)

/*
 * void tramp_guard_test_abi_call(void *entry, unsigned long *regs)
 *
 * Load TRAMP_GUARD_TEST_PATTERN(i) into every register of
 * ARCH_TRAMP_GUARD_TEST_REGS, call @entry, then store what each register
 * holds into regs[i], followed by the stack pointer before and after the
 * call and the address returned to (the return address is on the stack
 * here, so that is tramp_guard_test_abi_ret by construction).
 */
SYM_FUNC_START(tramp_guard_test_abi_call)
	abi_enter
	ANNOTATE_RETPOLINE_SAFE
	call	*8(%rsp)
SYM_INNER_LABEL(tramp_guard_test_abi_ret, SYM_L_GLOBAL)
	ANNOTATE_NOENDBR		/* a return address, compared, never called */
	abi_store
	leaq	tramp_guard_test_abi_ret(%rip), %rdi
	movq	%rdi, 15*8(%rax)
	abi_leave
SYM_FUNC_END(tramp_guard_test_abi_call)
