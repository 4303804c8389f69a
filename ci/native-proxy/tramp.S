/* SPDX-License-Identifier: GPL-2.0 */
/*
 * User-space proxy of a traced call on x86_64, to weigh what the tramp_guard
 * prologue and exit stub cost on a real CPU (the kernel figures are taken
 * under instruction emulation, which emulates each %gs read-modify-write).
 *
 * The same instruction sequences as arch/x86/kernel/tramp_guard.S, with a
 * thread-local counter (%fs) in place of the per-CPU preempt count (%gs),
 * around a body shaped like the kernel's ftrace_caller (save_mcount_regs,
 * the ops load, the callback call, restore_mcount_regs). The counter rests
 * at 0x80000000 as the preempt count does with PREEMPT_NEED_RESCHED
 * inverted, so the decrement reaches zero only when a reschedule is due.
 */
	.text

/* ftrace_caller's frame: the pt_regs layout save_mcount_regs fills. */
#define FRAME		(21 * 8)

.macro BODY
	subq	$FRAME, %rsp
	movq	%rax, 80(%rsp)
	movq	%rcx, 88(%rsp)
	movq	%rdx, 96(%rsp)
	movq	%rsi, 104(%rsp)
	movq	%rdi, 112(%rsp)
	movq	%r8, 72(%rsp)
	movq	%r9, 64(%rsp)
	movq	$0, 120(%rsp)			/* ORIG_RAX */
	movq	FRAME(%rsp), %rdi		/* ip: the traced function */
	subq	$5, %rdi
	movq	FRAME+8(%rsp), %rsi		/* parent ip */
	movq	proxy_op(%rip), %rdx		/* the ops */
	movq	$0, 136(%rsp)			/* CS */
	leaq	(%rsp), %rcx			/* ftrace_regs */
	call	proxy_callback
	movq	64(%rsp), %r9
	movq	72(%rsp), %r8
	movq	112(%rsp), %rdi
	movq	104(%rsp), %rsi
	movq	96(%rsp), %rdx
	movq	88(%rsp), %rcx
	movq	80(%rsp), %rax
	addq	$FRAME, %rsp
.endm

	.p2align 6
tramp_plain:
	endbr64
	BODY
	ret

	.p2align 6
tramp_guarded:
	endbr64
	incl	%fs:proxy_count@tpoff		/* the prologue */
	BODY
	jmp	proxy_exit

	.p2align 6
proxy_exit:					/* the exit stub */
	decl	%fs:proxy_count@tpoff
	jz	1f
	ret
1:	call	proxy_resched
	ret

/* Traced functions: the patched fentry call, then an empty body. */
	.p2align 6
	.globl	traced_plain
traced_plain:
	call	tramp_plain
	ret

	.p2align 6
	.globl	traced_guarded
traced_guarded:
	call	tramp_guarded
	ret

	.section .note.GNU-stack, "", @progbits
