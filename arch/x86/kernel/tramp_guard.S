/* SPDX-License-Identifier: GPL-2.0 */
/*
 * x86_64 part of tramp_guard: the prologue and handler-body templates that
 * the core copies into the guard region, and the exit stub every guarded
 * trampoline jumps to. The contract is in include/asm-generic/tramp_guard.h.
 */

#include <linux/linkage.h>
#include <asm/asm.h>
#include <asm-generic/tramp_guard_limits.h>
#include <asm/asm-offsets.h>
#include <asm/cache.h>
#include <asm/ibt.h>
#include <asm/nospec-branch.h>
#include <asm/percpu.h>
#include <asm/unwind_hints.h>

/*
 * Templates are data: they are copied, never executed in place. Operands
 * must therefore be position independent: the preempt count is addressed
 * absolutely (per-CPU symbols are zero-based on x86_64), never %rip-relative.
 */
	.pushsection .rodata, "a"

/* preempt_disable() in one instruction, after the landing pad under IBT. */
SYM_DATA_START(__tramp_guard_prologue)
	ENDBR
	incl	%gs:(pcpu_hot + X86_preempt_count)
SYM_DATA_END_LABEL(__tramp_guard_prologue, SYM_L_GLOBAL, __tramp_guard_prologue_end)

/*
 * Handler body: call func(data, ret_ip) preserving the argument registers
 * and %rax; the callee-saved ones are preserved by func itself. The frame
 * makes the trampoline unwindable by frame pointer (ORC has no entry for
 * it). The core patches the movabs immediate and the call displacement.
 *
 * No call-depth accounting (CALL_DEPTH_ACCOUNT, as ftrace_caller and the BPF
 * JIT emit under retbleed=stuff): the handler's return still decrements the
 * depth, so a missing increment only makes the return thunk stuff the RSB
 * earlier than needed, a cost on that mitigation and never a missed stuff.
 */
SYM_DATA_START(__tramp_guard_body)
	pushq	%rbp
	movq	%rsp, %rbp
	pushq	%rdi
	pushq	%rsi
	pushq	%rdx
	pushq	%rcx
	pushq	%r8
	pushq	%r9
	pushq	%rax			/* x86_64 C code assumes 8-byte alignment only */
SYM_INNER_LABEL(__tramp_guard_body_data, SYM_L_GLOBAL)
	movabsq	$0, %rdi
	movq	8(%rbp), %rsi
SYM_INNER_LABEL(__tramp_guard_body_call, SYM_L_GLOBAL)
	call	.Lbody_call_next	/* call rel32; the core patches the displacement */
.Lbody_call_next:
	popq	%rax
	popq	%r9
	popq	%r8
	popq	%rcx
	popq	%rdx
	popq	%rsi
	popq	%rdi
	popq	%rbp
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
	5 /* jmp rel32 */ > TRAMP_GUARD_HANDLER_UNITS * L1_CACHE_BYTES
	.error "tramp_guard: no room for the exit branch in TRAMP_GUARD_HANDLER_UNITS"
.endif

	.popsection

/*
 * preempt_enable_notrace() for a guarded trampoline, reached by a jmp with
 * the traced function's return address on top of the stack, every argument
 * register and %rax/%rdx live. It must live in kernel text: if it scheduled
 * from inside the trampoline, the sleeping task would keep a return address
 * into memory that may be reclaimed meanwhile.
 *
 * The decrement reaches zero only with the count at zero and the (inverted)
 * PREEMPT_NEED_RESCHED bit clear, i.e. when a reschedule is due; the thunk
 * then saves every caller-clobbered register around the scheduler.
 */
SYM_CODE_START(__tramp_guard_exit)
	UNWIND_HINT_FUNC
	ANNOTATE_NOENDBR		/* reached by a direct jmp only */
	decl	PER_CPU_VAR(pcpu_hot + X86_preempt_count)
#ifdef CONFIG_PREEMPTION
	jz	.Lresched
#endif
	RET
#ifdef CONFIG_PREEMPTION
.Lresched:
	CALL_DEPTH_ACCOUNT
#ifdef CONFIG_PREEMPT_DYNAMIC
	/*
	 * STATIC_CALL_TRAMP(preempt_schedule_notrace), whose header is not
	 * assembler-safe: follows preempt=none/voluntary/full exactly like
	 * __preempt_schedule_notrace().
	 */
	call	__SCT__preempt_schedule_notrace
#else
	call	preempt_schedule_notrace_thunk
#endif
	RET
#endif
SYM_CODE_END(__tramp_guard_exit)
_ASM_NOKPROBE(__tramp_guard_exit)
