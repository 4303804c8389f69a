/* SPDX-License-Identifier: GPL-2.0 */
/*
 * riscv64 helpers for the tramp_guard KUnit suites (test builds only). The
 * C side is lib/tests/tramp_guard_handler_kunit.c; the contract is in
 * include/asm-generic/tramp_guard_test.h.
 */

#include <linux/linkage.h>
#include <asm/asm.h>
#include <asm/cache.h>
#include <asm/tramp_guard.h>
#include <asm/tramp_guard_test.h>

/* Copied templates: as assembled, whole 4-byte instructions (see tramp_guard.S). */
	.option	push
	.option	norelax
	.option	norvc

	.pushsection .rodata, "a"

/*
 * Before a prologue: spin until tramp_guard_test_release is non-zero.
 * Copied to the start of a unit; its literal is 8-byte aligned there.
 */
	.balign	8
SYM_DATA_START(__tramp_guard_test_spin)
1:	auipc	t1, %pcrel_hi(3f)
	ld	t1, %pcrel_lo(1b)(t1)
2:	lw	t2, 0(t1)
	beqz	t2, 2b
	j	4f
	nop
3:	.dword	tramp_guard_test_release
4:
SYM_DATA_END_LABEL(__tramp_guard_test_spin, SYM_L_GLOBAL, __tramp_guard_test_spin_end)


/*
 * Over reclaimed memory: count the execution of freed code and return. A
 * task may resume at any of the prologue's three instructions with t1
 * already set by it, so those three slots only lead to code that reloads.
 */
	.balign	8
SYM_DATA_START(__tramp_guard_test_detector)
	nop
	nop
	nop
1:	auipc	t1, %pcrel_hi(2f)
	ld	t1, %pcrel_lo(1b)(t1)
	li	t2, 1
	amoadd.d zero, t2, (t1)
	ret
2:	.dword	tramp_guard_test_detections
	/* No branch in here: the assembler can size it (see tramp_guard.S). */
	.rept	(L1_CACHE_BYTES - (. - __tramp_guard_test_detector)) / 4
	unimp
	.endr
SYM_DATA_END_LABEL(__tramp_guard_test_detector, SYM_L_GLOBAL, __tramp_guard_test_detector_end)
.if (2b - __tramp_guard_test_detector) % 8 || \
	__tramp_guard_test_detector_end - __tramp_guard_test_detector != L1_CACHE_BYTES
	.error "tramp_guard: detector literal misaligned or detector not one unit"
.endif


/* A patched call site in the region: load the target and enter it. */
SYM_DATA_START(__tramp_guard_test_call_stub)
	ld	t1, 0(a0)
	jr	t1
SYM_DATA_END_LABEL(__tramp_guard_test_call_stub, SYM_L_GLOBAL, __tramp_guard_test_call_stub_end)

/* An unguarded trampoline for the benchmark: no landing pad on riscv. */
SYM_DATA_START(__tramp_guard_test_plain_entry)
SYM_DATA_END_LABEL(__tramp_guard_test_plain_entry, SYM_L_GLOBAL, __tramp_guard_test_plain_entry_end)

	.popsection

/* The unguarded baseline's exit: like __tramp_guard_exit minus the count. */
SYM_CODE_START(__tramp_guard_test_plain_ret)
	ret
SYM_CODE_END(__tramp_guard_test_plain_ret)

/*
 * The two ABI helpers' common parts. Frame (128 bytes): @entry at 0(sp),
 * @regs at 8(sp), s1-s11 at 16..96, s0 at 104, ra at 112; regs[20] = sp
 * before the call. ra is saved by the caller's frame only.
 */
#define TG_ABI_FRAME	128
	.macro	abi_enter
	addi	sp, sp, -TG_ABI_FRAME
	sd	ra, 112(sp)
	sd	s0, 104(sp)
	sd	s1, 16(sp)
	sd	s2, 24(sp)
	sd	s3, 32(sp)
	sd	s4, 40(sp)
	sd	s5, 48(sp)
	sd	s6, 56(sp)
	sd	s7, 64(sp)
	sd	s8, 72(sp)
	sd	s9, 80(sp)
	sd	s10, 88(sp)
	sd	s11, 96(sp)
	sd	a0, 0(sp)
	sd	a1, 8(sp)
	sd	sp, 20 * 8(a1)
	li	a0, TRAMP_GUARD_TEST_PATTERN(0)
	li	a1, TRAMP_GUARD_TEST_PATTERN(1)
	li	a2, TRAMP_GUARD_TEST_PATTERN(2)
	li	a3, TRAMP_GUARD_TEST_PATTERN(3)
	li	a4, TRAMP_GUARD_TEST_PATTERN(4)
	li	a5, TRAMP_GUARD_TEST_PATTERN(5)
	li	a6, TRAMP_GUARD_TEST_PATTERN(6)
	li	a7, TRAMP_GUARD_TEST_PATTERN(7)
	li	s1, TRAMP_GUARD_TEST_PATTERN(9)
	li	s2, TRAMP_GUARD_TEST_PATTERN(10)
	li	s3, TRAMP_GUARD_TEST_PATTERN(11)
	li	s4, TRAMP_GUARD_TEST_PATTERN(12)
	li	s5, TRAMP_GUARD_TEST_PATTERN(13)
	li	s6, TRAMP_GUARD_TEST_PATTERN(14)
	li	s7, TRAMP_GUARD_TEST_PATTERN(15)
	li	s8, TRAMP_GUARD_TEST_PATTERN(16)
	li	s9, TRAMP_GUARD_TEST_PATTERN(17)
	li	s10, TRAMP_GUARD_TEST_PATTERN(18)
	li	s11, TRAMP_GUARD_TEST_PATTERN(19)
	ld	t1, 0(sp)		/* @entry */
	li	s0, TRAMP_GUARD_TEST_PATTERN(8)
	.endm

/* Registers as the caller sees them into regs[0..19], sp after into regs[21]. */
	.macro	abi_store
	ld	t1, 8(sp)
	sd	a0, 0 * 8(t1)
	sd	a1, 1 * 8(t1)
	sd	a2, 2 * 8(t1)
	sd	a3, 3 * 8(t1)
	sd	a4, 4 * 8(t1)
	sd	a5, 5 * 8(t1)
	sd	a6, 6 * 8(t1)
	sd	a7, 7 * 8(t1)
	sd	s0, 8 * 8(t1)
	sd	s1, 9 * 8(t1)
	sd	s2, 10 * 8(t1)
	sd	s3, 11 * 8(t1)
	sd	s4, 12 * 8(t1)
	sd	s5, 13 * 8(t1)
	sd	s6, 14 * 8(t1)
	sd	s7, 15 * 8(t1)
	sd	s8, 16 * 8(t1)
	sd	s9, 17 * 8(t1)
	sd	s10, 18 * 8(t1)
	sd	s11, 19 * 8(t1)
	sd	sp, 21 * 8(t1)
	.endm

	.macro	abi_leave
	ld	s1, 16(sp)
	ld	s2, 24(sp)
	ld	s3, 32(sp)
	ld	s4, 40(sp)
	ld	s5, 48(sp)
	ld	s6, 56(sp)
	ld	s7, 64(sp)
	ld	s8, 72(sp)
	ld	s9, 80(sp)
	ld	s10, 88(sp)
	ld	s11, 96(sp)
	ld	s0, 104(sp)
	ld	ra, 112(sp)
	addi	sp, sp, TG_ABI_FRAME
	ret
	.endm

/*
 * void tramp_guard_test_fentry_call(void *entry, unsigned long *regs)
 *
 * As tramp_guard_test_abi_call(), through tramp_guard_test_fentry_traced:
 * a0-a7 and s0-s11 hold patterns, t1 the site's target, and regs[22] is
 * written by the traced function.
 */
SYM_FUNC_START(tramp_guard_test_fentry_call)
	abi_enter
	call	tramp_guard_test_fentry_traced
SYM_INNER_LABEL(tramp_guard_test_fentry_ret, SYM_L_GLOBAL)
	abi_store
	abi_leave
SYM_FUNC_END(tramp_guard_test_fentry_call)

/*
 * A traced non-leaf function as ftrace patches it: "auipc t0; jalr t0"
 * first (jalr t0 through t1 here, to reach a run-time entry: the registers
 * are the same), then its own frame and a call. ra after the site must be
 * the return into the caller still; it is recorded in the caller's
 * regs[22], and the function then returns to the caller whatever it was,
 * so that a broken exit fails the test instead of looping.
 */
SYM_FUNC_START(tramp_guard_test_fentry_traced)
	jalr	t0, 0(t1)
SYM_INNER_LABEL(tramp_guard_test_fentry_site, SYM_L_GLOBAL)
	ld	t1, 8(sp)		/* the caller's frame: regs */
	sd	ra, 22 * 8(t1)
	lla	ra, tramp_guard_test_fentry_ret
	addi	sp, sp, -16
	sd	ra, 8(sp)
	sd	s0, 0(sp)
	addi	s0, sp, 16
	call	__tramp_guard_test_plain_ret
	ld	s0, 0(sp)
	ld	ra, 8(sp)
	addi	sp, sp, 16
	ret
SYM_FUNC_END(tramp_guard_test_fentry_traced)

/*
 * void tramp_guard_test_abi_call(void *entry, unsigned long *regs)
 *
 * Load TRAMP_GUARD_TEST_PATTERN(i) into a0-a7 and s0-s11, call @entry,
 * store them into regs[0..19], then sp before and after the call and ra.
 */
SYM_FUNC_START(tramp_guard_test_abi_call)
	abi_enter
	jalr	t1
SYM_INNER_LABEL(tramp_guard_test_abi_ret, SYM_L_GLOBAL)
	abi_store
	sd	ra, 22 * 8(t1)
	abi_leave
SYM_FUNC_END(tramp_guard_test_abi_call)

	.option	pop
