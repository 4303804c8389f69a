/* SPDX-License-Identifier: GPL-2.0 */
/*
 * riscv64 part of tramp_guard: the prologue and handler-body templates that
 * the core copies into the guard region, and the exit stubs every guarded
 * trampoline jumps to. The contract is in include/asm-generic/tramp_guard.h.
 * At a patched fentry site ("auipc t0, hi; jalr t0, lo(t0)", see
 * arch/riscv/kernel/mcount-dyn.S) a0-a7 carry arguments, t0 the return into
 * the traced function and ra the traced function's own return address.
 */

#include <linux/linkage.h>
#include <asm/asm.h>
#include <asm/asm-offsets.h>
#include <asm/cache.h>
#include <asm/thread_info.h>

/*
 * Templates are copied, so they must not change at link time (no linker
 * relaxation) and are whole 4-byte instructions (no RVC): the core writes
 * and branches in instruction units, and literal offsets stay as assembled.
 */
	.option	push
	.option	norelax
	.option	norvc

/* A frame record (ra, s0) plus what a call or fentry site keeps live. */
#define TG_FRAME	96
	.macro	save_entry_regs
	addi	sp, sp, -TG_FRAME
	sd	ra, 88(sp)
	sd	s0, 80(sp)
	addi	s0, sp, TG_FRAME
	sd	t0, 72(sp)
	sd	a0, 0(sp)
	sd	a1, 8(sp)
	sd	a2, 16(sp)
	sd	a3, 24(sp)
	sd	a4, 32(sp)
	sd	a5, 40(sp)
	sd	a6, 48(sp)
	sd	a7, 56(sp)
	.endm

	.macro	restore_entry_regs
	ld	a7, 56(sp)
	ld	a6, 48(sp)
	ld	a5, 40(sp)
	ld	a4, 32(sp)
	ld	a3, 24(sp)
	ld	a2, 16(sp)
	ld	a1, 8(sp)
	ld	a0, 0(sp)
	ld	t0, 72(sp)
	ld	s0, 80(sp)
	ld	ra, 88(sp)
	addi	sp, sp, TG_FRAME
	.endm

/* Templates are data: copied into the region, never executed in place. */
	.pushsection .rodata, "a"

/*
 * preempt_disable() with the temporary t1 only; tp is current. riscv keeps
 * need-resched in the thread flags, so the count word holds nothing else.
 */
	.balign	8
SYM_DATA_START(__tramp_guard_prologue)
	lw	t1, TASK_TI_PREEMPT_COUNT(tp)
	addi	t1, t1, 1
	sw	t1, TASK_TI_PREEMPT_COUNT(tp)
SYM_DATA_END_LABEL(__tramp_guard_prologue, SYM_L_GLOBAL, __tramp_guard_prologue_end)

/*
 * Handler body: func(data, ret_ip) with a0-a7, t0 and the frame record
 * saved; the callee-saved registers are preserved by func. The core patches
 * the two literals, which the body jumps over and which it places 8-byte
 * aligned (emitting __tramp_guard_nop first if needed), and for an fentry
 * site replaces "mv a1, ra" by "mv a1, t0". Its literals are at offset
 * 128, a multiple of 8; emit_body() checks it.
 */
	.balign	8
SYM_DATA_START(__tramp_guard_body)
	save_entry_regs
1:	auipc	t1, %pcrel_hi(.Ldata)
	ld	a0, %pcrel_lo(1b)(t1)
2:	auipc	t1, %pcrel_hi(.Lfunc)
	ld	t2, %pcrel_lo(2b)(t1)
SYM_INNER_LABEL(__tramp_guard_body_ret_ip, SYM_L_GLOBAL)
	mv	a1, ra
	jalr	t2
	restore_entry_regs
	j	.Lbody_end
SYM_INNER_LABEL(__tramp_guard_body_data, SYM_L_GLOBAL)
.Ldata:	.dword	0
SYM_INNER_LABEL(__tramp_guard_body_func, SYM_L_GLOBAL)
.Lfunc:	.dword	0
.Lbody_end:
SYM_DATA_END_LABEL(__tramp_guard_body, SYM_L_GLOBAL, __tramp_guard_body_end)

/* The fentry site's return into the traced function is in t0. */
SYM_DATA_START(__tramp_guard_fentry_ret_ip)
	mv	a1, t0
SYM_DATA_END(__tramp_guard_fentry_ret_ip)

/* Alignment padding in front of a body. */
SYM_DATA_START(__tramp_guard_nop)
	nop
SYM_DATA_END(__tramp_guard_nop)

/*
 * The contract's size limits are checked by the core at boot: this
 * assembler cannot, its branches (j, beqz) make template sizes link-time
 * values.
 */

	.popsection

/*
 * preempt_enable_notrace() for a guarded trampoline, reached by a jump with
 * ra (and at an fentry site t0) as at the trampoline's entry. In kernel
 * text: if it scheduled from inside the trampoline, the sleeping task would
 * keep a return address into memory that may be reclaimed meanwhile. Like
 * the generic __preempt_count_dec_and_test(): reschedule if the count
 * reaches zero and TIF_NEED_RESCHED is set. An interrupt after the store
 * finds the count at zero and may preempt right here, which is safe.
 * a0-a7, t0, ra and s0 survive the reschedule; t1/t2 are free at a call.
 */
	.macro	tramp_guard_preempt_enable
	lw	t1, TASK_TI_PREEMPT_COUNT(tp)
	addi	t1, t1, -1
	sw	t1, TASK_TI_PREEMPT_COUNT(tp)
#ifdef CONFIG_PREEMPTION
	bnez	t1, .Ldone\@
	REG_L	t1, TASK_TI_FLAGS(tp)
	andi	t1, t1, _TIF_NEED_RESCHED
	beqz	t1, .Ldone\@
	save_entry_regs
#ifdef CONFIG_PREEMPT_DYNAMIC
	call	dynamic_preempt_schedule_notrace
#else
	call	preempt_schedule_notrace
#endif
	restore_entry_regs
.Ldone\@:
#endif
	.endm

/* Entered by a call: return to ra. */
SYM_CODE_START(__tramp_guard_exit)
	tramp_guard_preempt_enable
	ret
SYM_CODE_END(__tramp_guard_exit)
ASM_NOKPROBE(__tramp_guard_exit)

/*
 * Entered from a patched fentry site: return into the traced function
 * through t0, with ra still the traced function's own return address, as
 * ftrace_caller does.
 */
SYM_CODE_START(__tramp_guard_exit_fentry)
	tramp_guard_preempt_enable
	jr	t0
SYM_CODE_END(__tramp_guard_exit_fentry)
ASM_NOKPROBE(__tramp_guard_exit_fentry)

	.option	pop
