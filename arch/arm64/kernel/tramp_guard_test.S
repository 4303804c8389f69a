/* SPDX-License-Identifier: GPL-2.0 */
/*
 * arm64 helpers for the tramp_guard KUnit suites (test builds only). The
 * C side is lib/tests/tramp_guard_handler_kunit.c; the contract is in
 * include/asm-generic/tramp_guard_test.h.
 */

#include <linux/linkage.h>
#include <asm/asm-offsets.h>
#include <asm/assembler.h>
#include <asm/cache.h>
#include <asm/tramp_guard.h>
#include <asm/tramp_guard_test.h>

	.pushsection .rodata, "a"

/* Before a prologue: spin until tramp_guard_test_release is non-zero. */
SYM_DATA_START(__tramp_guard_test_spin)
	bti	c
	ldr	x16, 2f
1:	yield
	ldr	w17, [x16]
	cbz	w17, 1b
	b	3f
2:	.quad	tramp_guard_test_release
3:
SYM_DATA_END_LABEL(__tramp_guard_test_spin, SYM_L_GLOBAL, __tramp_guard_test_spin_end)

/*
 * Over reclaimed memory: count the execution of freed code and return. A
 * task may resume at any of the prologue's five instructions with x16/x17
 * already set by it, so those five slots only lead to code that reloads.
 */
SYM_DATA_START(__tramp_guard_test_detector)
	bti	c
	nop
	nop
	nop
	nop
	ldr	x16, 2f
1:	ldxr	x17, [x16]
	add	x17, x17, #1
	stxr	w15, x17, [x16]
	cbnz	w15, 1b
	ret
	.balign	8
2:	.quad	tramp_guard_test_detections
	.fill	(L1_CACHE_BYTES - (. - __tramp_guard_test_detector)) / 4, 4, 0xd4200000
SYM_DATA_END_LABEL(__tramp_guard_test_detector, SYM_L_GLOBAL, __tramp_guard_test_detector_end)

/* A patched call site in the region: load the target and enter it. */
SYM_DATA_START(__tramp_guard_test_call_stub)
	bti	c
	ldr	x16, [x0]
	br	x16
SYM_DATA_END_LABEL(__tramp_guard_test_call_stub, SYM_L_GLOBAL, __tramp_guard_test_call_stub_end)

/* An unguarded trampoline for the benchmark: entry and exit, no preempt count. */
SYM_DATA_START(__tramp_guard_test_plain_entry)
	bti	c
SYM_DATA_END_LABEL(__tramp_guard_test_plain_entry, SYM_L_GLOBAL, __tramp_guard_test_plain_entry_end)

	.popsection

	.pushsection .data, "aw"
/* Non-zero: the guarded ftrace_caller holds its ops preemptibly (below). */
SYM_DATA(__tramp_guard_test_unguard_caller, .word 0)
	.popsection

/*
 * Called by the guarded ftrace_caller right after it loaded the callsite's
 * ops into x11 (x30 saved in x16): the negative control of the
 * tramp_guard_ftrace_caller suite. When switched on, give the preempt count
 * back, spin with preemption enabled while the ops is held, as ftrace_caller
 * does without the guard, and take the count again. x12/x13 only: they are
 * free there.
 */
#define TG_CALLER_WINDOW_LOOPS	0x4000
SYM_CODE_START(__tramp_guard_test_caller_window)
	adr_l	x12, __tramp_guard_test_unguard_caller
	ldr	w12, [x12]
	cbz	w12, 2f
	mrs	x12, sp_el0
	ldr	w13, [x12, #TRAMP_GUARD_TI_COUNT]
	sub	w13, w13, #1
	str	w13, [x12, #TRAMP_GUARD_TI_COUNT]
	mov	x13, #TG_CALLER_WINDOW_LOOPS
1:	subs	x13, x13, #1
	b.ne	1b
	ldr	w13, [x12, #TRAMP_GUARD_TI_COUNT]
	add	w13, w13, #1
	str	w13, [x12, #TRAMP_GUARD_TI_COUNT]
2:	ret
SYM_CODE_END(__tramp_guard_test_caller_window)

/* The unguarded baseline's exit: like __tramp_guard_exit minus the count. */
SYM_CODE_START(__tramp_guard_test_plain_ret)
	ret
SYM_CODE_END(__tramp_guard_test_plain_ret)

/*
 * The two ABI helpers' common parts. Frame: x29/x30, x19-x28, then @entry
 * at [sp, #96] and @regs at [sp, #104]; regs[21] = sp before the call.
 */
	.macro	abi_enter
	stp	x29, x30, [sp, #-112]!
	mov	x29, sp
	stp	x19, x20, [sp, #16]
	stp	x21, x22, [sp, #32]
	stp	x23, x24, [sp, #48]
	stp	x25, x26, [sp, #64]
	stp	x27, x28, [sp, #80]
	stp	x0, x1, [sp, #96]
	mov	x16, sp
	str	x16, [x1, #21 * 8]
	mov_q	x0, TRAMP_GUARD_TEST_PATTERN(0)
	mov_q	x1, TRAMP_GUARD_TEST_PATTERN(1)
	mov_q	x2, TRAMP_GUARD_TEST_PATTERN(2)
	mov_q	x3, TRAMP_GUARD_TEST_PATTERN(3)
	mov_q	x4, TRAMP_GUARD_TEST_PATTERN(4)
	mov_q	x5, TRAMP_GUARD_TEST_PATTERN(5)
	mov_q	x6, TRAMP_GUARD_TEST_PATTERN(6)
	mov_q	x7, TRAMP_GUARD_TEST_PATTERN(7)
	mov_q	x8, TRAMP_GUARD_TEST_PATTERN(8)
	.endm

	.macro	abi_load_callee_saved
	mov_q	x19, TRAMP_GUARD_TEST_PATTERN(10)
	mov_q	x20, TRAMP_GUARD_TEST_PATTERN(11)
	mov_q	x21, TRAMP_GUARD_TEST_PATTERN(12)
	mov_q	x22, TRAMP_GUARD_TEST_PATTERN(13)
	mov_q	x23, TRAMP_GUARD_TEST_PATTERN(14)
	mov_q	x24, TRAMP_GUARD_TEST_PATTERN(15)
	mov_q	x25, TRAMP_GUARD_TEST_PATTERN(16)
	mov_q	x26, TRAMP_GUARD_TEST_PATTERN(17)
	mov_q	x27, TRAMP_GUARD_TEST_PATTERN(18)
	mov_q	x28, TRAMP_GUARD_TEST_PATTERN(19)
	.endm

/* Registers as the caller sees them into regs[0..20], sp after into regs[22]. */
	.macro	abi_store
	ldr	x16, [sp, #104]
	stp	x0, x1, [x16, #0]
	stp	x2, x3, [x16, #16]
	stp	x4, x5, [x16, #32]
	stp	x6, x7, [x16, #48]
	stp	x8, x9, [x16, #64]
	stp	x19, x20, [x16, #80]
	stp	x21, x22, [x16, #96]
	stp	x23, x24, [x16, #112]
	stp	x25, x26, [x16, #128]
	stp	x27, x28, [x16, #144]
	str	x29, [x16, #160]
	mov	x17, sp
	str	x17, [x16, #22 * 8]
	.endm

	.macro	abi_leave
	ldp	x19, x20, [sp, #16]
	ldp	x21, x22, [sp, #32]
	ldp	x23, x24, [sp, #48]
	ldp	x25, x26, [sp, #64]
	ldp	x27, x28, [sp, #80]
	ldp	x29, x30, [sp], #112
	ret
	.endm

/*
 * void tramp_guard_test_fentry_call(void *entry, unsigned long *regs)
 *
 * As tramp_guard_test_abi_call(), through tramp_guard_test_fentry_traced:
 * x0-x8 and x19-x29 hold patterns, x9 is what the fentry site sets, and
 * regs[23] is written by the traced function.
 */
SYM_FUNC_START(tramp_guard_test_fentry_call)
	abi_enter
	abi_load_callee_saved
	ldr	x17, [sp, #96]		/* the site's target */
	mov_q	x29, TRAMP_GUARD_TEST_PATTERN(20)
	bl	tramp_guard_test_fentry_traced
SYM_INNER_LABEL(tramp_guard_test_fentry_ret, SYM_L_GLOBAL)
	abi_store
	abi_leave
SYM_FUNC_END(tramp_guard_test_fentry_call)

/*
 * A traced non-leaf function as ftrace patches it: "mov x9, x30; bl
 * <trampoline>" first (blr here, to reach a run-time entry: the registers
 * are the same), then its own frame and a call. x30 after the site must be
 * the return into the caller again; it is recorded in the caller's
 * regs[23], and the function then returns to the caller whatever it was,
 * so that a broken exit fails the test instead of looping.
 */
SYM_FUNC_START(tramp_guard_test_fentry_traced)
	mov	x9, x30
	blr	x17
SYM_INNER_LABEL(tramp_guard_test_fentry_site, SYM_L_GLOBAL)
	ldr	x16, [sp, #104]		/* the caller's frame: regs */
	str	x30, [x16, #23 * 8]
	adr	x30, tramp_guard_test_fentry_ret
	stp	x29, x30, [sp, #-16]!
	mov	x29, sp
	bl	__tramp_guard_test_plain_ret
	ldp	x29, x30, [sp], #16
	ret
SYM_FUNC_END(tramp_guard_test_fentry_traced)

/*
 * void tramp_guard_test_abi_call(void *entry, unsigned long *regs)
 *
 * Load TRAMP_GUARD_TEST_PATTERN(i) into x0-x9 and x19-x29, call @entry,
 * store them into regs[0..20], then sp before and after the call and x30.
 */
SYM_FUNC_START(tramp_guard_test_abi_call)
	abi_enter
	mov_q	x9, TRAMP_GUARD_TEST_PATTERN(9)
	abi_load_callee_saved
	ldr	x16, [sp, #96]
	mov_q	x29, TRAMP_GUARD_TEST_PATTERN(20)
	blr	x16
SYM_INNER_LABEL(tramp_guard_test_abi_ret, SYM_L_GLOBAL)
	abi_store
	str	x30, [x16, #23 * 8]
	abi_leave
SYM_FUNC_END(tramp_guard_test_abi_call)
