/* SPDX-License-Identifier: GPL-2.0 */
/*
 * arm64 part of tramp_guard: the prologue and handler-body templates that
 * the core copies into the guard region, and the exit stub every guarded
 * trampoline branches to. The contract is in include/asm-generic/tramp_guard.h;
 * register use follows arch/arm64/kernel/entry-ftrace.S: at a patched fentry
 * site x0-x8 carry arguments, x9 the traced function's own return address
 * and x30 the return into the traced function.
 */

#include <linux/linkage.h>
#include <asm-generic/tramp_guard_limits.h>
#include <asm/asm-offsets.h>
#include <asm/assembler.h>
#include <asm/cache.h>
#include <asm/insn-def.h>
#include <asm/tramp_guard.h>

/* A frame record plus what an fentry site keeps live: x0-x8 and x9. */
	.macro	save_fentry_regs
	stp	x29, x30, [sp, #-96]!
	mov	x29, sp
	stp	x0, x1, [sp, #16]
	stp	x2, x3, [sp, #32]
	stp	x4, x5, [sp, #48]
	stp	x6, x7, [sp, #64]
	stp	x8, x9, [sp, #80]
	.endm

	.macro	restore_fentry_regs
	ldp	x8, x9, [sp, #80]
	ldp	x6, x7, [sp, #64]
	ldp	x4, x5, [sp, #48]
	ldp	x2, x3, [sp, #32]
	ldp	x0, x1, [sp, #16]
	ldp	x29, x30, [sp], #96
	.endm

/* Templates are data: copied into the region, never executed in place. */
	.pushsection .rodata, "a"

/* bti c, then preempt_disable() in x16/x17 (asm/tramp_guard.h). */
SYM_DATA_START(__tramp_guard_prologue)
	bti	c
	tramp_guard_preempt_disable
SYM_DATA_END_LABEL(__tramp_guard_prologue, SYM_L_GLOBAL, __tramp_guard_prologue_end)

/*
 * Handler body: func(data, ret_ip) with x0-x9 and the frame record saved;
 * the callee-saved registers are preserved by func. The core patches the
 * two literals, which the body branches over.
 */
SYM_DATA_START(__tramp_guard_body)
	save_fentry_regs
	ldr	x0, .Ldata
	mov	x1, x30
	ldr	x16, .Lfunc
	blr	x16
	restore_fentry_regs
	b	.Lbody_end
SYM_INNER_LABEL(__tramp_guard_body_data, SYM_L_GLOBAL)
.Ldata:	.quad	0
SYM_INNER_LABEL(__tramp_guard_body_func, SYM_L_GLOBAL)
.Lfunc:	.quad	0
.Lbody_end:
SYM_DATA_END_LABEL(__tramp_guard_body, SYM_L_GLOBAL, __tramp_guard_body_end)

/*
 * The contract's limits (asm-generic/tramp_guard_limits.h), TRAMP_GUARD_ALIGN
 * being L1_CACHE_BYTES here.
 */
#define TG_SIZE(sym)	(sym##_end - sym)
.if TG_SIZE(__tramp_guard_prologue) > TRAMP_GUARD_PROLOGUE_UNITS * L1_CACHE_BYTES
	.error "tramp_guard: prologue larger than TRAMP_GUARD_PROLOGUE_UNITS"
.endif
.if TG_SIZE(__tramp_guard_body) > TRAMP_GUARD_BODY_UNITS * L1_CACHE_BYTES
	.error "tramp_guard: handler body larger than TRAMP_GUARD_BODY_UNITS"
.endif
.if TG_SIZE(__tramp_guard_prologue) + TG_SIZE(__tramp_guard_body) + \
	AARCH64_INSN_SIZE > TRAMP_GUARD_HANDLER_UNITS * L1_CACHE_BYTES
	.error "tramp_guard: no room for the exit branch in TRAMP_GUARD_HANDLER_UNITS"
.endif

	.popsection

/*
 * preempt_enable_notrace() for a guarded trampoline, reached by a b with
 * x30 holding the return into the caller. In kernel text: if it scheduled
 * from inside the trampoline, the sleeping task would keep a return address
 * into memory that may be reclaimed meanwhile. Like
 * __preempt_count_dec_and_test(): store only the count word, and reschedule
 * if the 64-bit count (count + inverted need-resched) reads zero. x0-x9 and
 * the frame record survive the reschedule; x16/x17 are free at a call.
 */
	.macro	tramp_guard_preempt_enable
	mrs	x16, sp_el0
	ldr	x17, [x16, #TSK_TI_PREEMPT]
	sub	x17, x17, #1
	str	w17, [x16, #TRAMP_GUARD_TI_COUNT]
#ifdef CONFIG_PREEMPTION
	cbz	x17, .Lresched\@
	ldr	x17, [x16, #TSK_TI_PREEMPT]
	cbnz	x17, .Ldone\@
.Lresched\@:
	save_fentry_regs
#ifdef CONFIG_PREEMPT_DYNAMIC
	bl	dynamic_preempt_schedule_notrace
#else
	bl	preempt_schedule_notrace
#endif
	restore_fentry_regs
.Ldone\@:
#endif
	.endm

/* Entered by a call (bl/blr): return to x30. */
SYM_CODE_START(__tramp_guard_exit)
	tramp_guard_preempt_enable
	ret
SYM_CODE_END(__tramp_guard_exit)
NOKPROBE(__tramp_guard_exit)

/*
 * Entered from a patched fentry site, "mov x9, x30; bl <trampoline>": x30
 * is the return into the traced function, x9 the traced function's own
 * return address. Go back like ftrace_caller does: to x30, with x30 = x9.
 */
SYM_CODE_START(__tramp_guard_exit_fentry)
	tramp_guard_preempt_enable
	mov	x16, x30
	mov	x30, x9
	ret	x16
SYM_CODE_END(__tramp_guard_exit_fentry)
NOKPROBE(__tramp_guard_exit_fentry)

/*
 * Entered by a b from the guarded ftrace_caller on its way to a direct
 * trampoline: x17 is that trampoline, and x0-x9, x29 and x30 are as the
 * trampoline expects them (x9 the traced function's return address, x30
 * the return into the traced function). x17 is kept on the stack across a
 * reschedule; the direct trampoline's lifetime is its owner's business,
 * not the caller's: only the ops, already read, needed the count.
 * br x17 may land on a bti c.
 */
SYM_CODE_START(__tramp_guard_exit_direct)
	str	x17, [sp, #-16]!
	tramp_guard_preempt_enable
	ldr	x17, [sp], #16
	br	x17
SYM_CODE_END(__tramp_guard_exit_direct)
NOKPROBE(__tramp_guard_exit_direct)
