/* SPDX-License-Identifier: GPL-2.0 */
/**
 * DOC: The architecture contract
 *
 * An architecture selects ``HAVE_ARCH_TRAMP_GUARD`` in its sorted Kconfig
 * select list (only where kernel text can be patched at run time: riscv
 * excludes ``XIP_KERNEL``), builds ``tramp_guard.o`` (and ``tramp_guard_test.o`` for
 * ``CONFIG_TRAMP_GUARD_KUNIT_TEST``) in ``arch/<arch>/kernel/``, and provides
 * ``<asm/tramp_guard.h>``, which defines the items below and then includes
 * this file. Each item names the x86 implementation to copy from
 * (``arch/x86/include/asm/tramp_guard.h``, ``arch/x86/kernel/tramp_guard.S``);
 * this file enforces what it can with ``#error``, and the core checks the
 * size limits at boot (the x86 and arm64 templates also when they
 * assemble; riscv's assembler cannot size templates with branches).
 *
 * The interrupt entry hook
 *	Call tramp_guard_irq_enter() for every interrupt from kernel mode
 *	before the entry code changes RCU state and before anything consults
 *	``preempt_count()``, and tramp_guard_irq_exit() after the irq-exit
 *	preemption decision. Generic entry (``irqentry_enter()`` /
 *	``irqentry_exit()``) does, so architectures using it get the hook for
 *	free; arm64 does it in ``__el1_irq()``. Check every other path that
 *	can interrupt the window: FIQs (arm64: the same path), pseudo-NMIs
 *	(arm64: taken as NMIs only when the interrupted context had interrupts
 *	masked, which the window never has), synchronous exceptions (must not
 *	preempt; the prologue must not fault).
 *
 * RCU and entry assumptions
 *	Guarded trampolines only run where RCU is watching. An architecture
 *	without ``noinstr`` markings (``ARCH_WANTS_NO_INSTR``) cannot promise
 *	that for traceable code and must also wait for an RCU Tasks Rude grace
 *	period before reusing a trampoline.
 *
 * ``ARCH_TRAMP_GUARD_BRANCH_RANGE``
 *	Largest distance, in bytes, between a call instruction in kernel text
 *	and a target that the architecture's direct call still reaches (x86:
 *	rel32, arm64: ``bl``). The core refuses a region it cannot reach and
 *	the conformance suite asks the arch's branch encoder to reach both
 *	ends of the region from both ends of kernel text.
 *
 * ``ARCH_TRAMP_GUARD_HANDLERS``
 *	1 once the prologue, exit stub, handler body and entry hook below are
 *	implemented; 0 while only the region hooks are, in which case
 *	tramp_guard_create() returns NULL and the handler suites skip.
 *
 * ``TRAMP_GUARD_ALIGN`` (optional, default ``L1_CACHE_BYTES``)
 *	The allocation unit. The prologue, the handler body and a whole
 *	handler (prologue, body, exit branch) must fit the number of units
 *	asm-generic/tramp_guard_limits.h gives
 *	(``ARCH_TRAMP_GUARD_HANDLER_MAX`` bytes for a handler).
 *
 * ``TRAMP_GUARD_INSN_ALIGN`` (optional, default 1)
 *	Alignment of every instruction the arch emits and of every write
 *	(arm64: ``AARCH64_INSN_SIZE``; riscv: 4, its templates being
 *	assembled without compressed instructions). The core refuses a
 *	tramp_guard_write() whose destination or length is not a multiple of
 *	it, so the arch copy below never sees one.
 *
 * ``void arch_tramp_guard_text_copy(void *dst, const void *src, size_t len)``
 *	Copy instructions into the read-only, executable region and make them
 *	visible to instruction fetch on every CPU (x86: ``text_poke_copy()``;
 *	arm64: ``aarch64_insn_copy()``, which also maintains the I-cache;
 *	riscv: ``patch_text_nosync()``, which wants ``text_mutex`` held and
 *	flushes the I-cache on every CPU). Called in process context, never
 *	with ``text_mutex`` held, so the copy may take it; may sleep. @dst is
 *	never being executed.
 *
 * ``void arch_tramp_guard_text_invalidate(void *dst, size_t len)``
 *	Fill [@dst, @dst + @len) with trapping instructions (x86: INT3 via
 *	``text_poke_set()``; arm64: BRK via ``aarch64_insn_set()``). Same
 *	context as the copy. @dst and @len are multiples of
 *	``TRAMP_GUARD_ALIGN``; the core calls it at most a page at a time.
 *
 * ``size_t arch_tramp_guard_emit_prologue(void *buf)``
 *	Write the prologue: the indirect-branch landing pad if the kernel
 *	uses one (x86 ENDBR, arm64 BTI C), then preempt_disable() touching
 *	only registers that are dead at a call boundary, not clobbering a
 *	need-resched indication set by an interrupt in between, and not able
 *	to fault. Position independent: an assembled template must not be
 *	changed by the linker (riscv: ``.option norelax``). Returns its
 *	length.
 *
 * ``int arch_tramp_guard_emit_jump(void *buf, unsigned long ip, void *target)``
 *	Write a direct branch, to be placed at @ip, to @target in kernel text
 *	(x86: ``jmp rel32``; arm64: ``b``; riscv: ``auipc t1`` + ``jr``).
 *	It may clobber only a register that is dead at a call boundary and
 *	not used by the fentry convention (riscv: t1). Returns its length, or
 *	-ERANGE if @ip cannot reach @target.
 *
 * ``void __tramp_guard_exit(void)``
 *	The exit stub, reached by arch_tramp_guard_emit_jump() from the end
 *	of every guarded trampoline, with the stack and return address as at
 *	the trampoline's entry. It performs preempt_enable_notrace() and, if
 *	that makes a reschedule due, calls the notrace preempt entry
 *	(following ``PREEMPT_DYNAMIC``) while preserving every argument
 *	register, the return-value registers and the return address, on the
 *	reschedule path too; then it returns to the caller. It must be in
 *	kernel text and not probeable (``NOKPROBE``): scheduling from inside
 *	the region would leave a return address into reclaimable memory on
 *	the sleeping task's stack.
 *
 * ``ARCH_TRAMP_GUARD_FENTRY_EXIT``, ``void __tramp_guard_exit_fentry(void)``
 *	Optional (default 0). 1 if a patched fentry call site expects a
 *	different return than a call does, and then the exit stub for
 *	trampolines entered from such a site (%TRAMP_GUARD_SITE_FENTRY).
 *	arm64: the site is ``mov x9, x30; bl <trampoline>``, and the stub
 *	returns to x30 with x30 = x9, as ``ftrace_caller`` does; it also
 *	preserves x9 on the reschedule path. riscv: the site is ``auipc t0;
 *	jalr t0``, and the stub returns with ``jr t0``, ra untouched; t0
 *	survives the reschedule path. x86 needs none: its fentry site is a
 *	plain call, and ``__tramp_guard_exit`` serves both conventions.
 *
 * ``int arch_tramp_guard_emit_body(buf, ip, func, data, enum tramp_guard_site site)``
 *	Write, for placement at @ip, code that calls ``func(data, ret_ip)``,
 *	where ret_ip is the trampoline's return address under the entry
 *	convention @site (riscv: ra for a call, t0 for an fentry site; x86
 *	and arm64 ignore @site), and preserves every argument register, the
 *	return-value registers and the fentry convention's registers around
 *	it. It must not return: the exit branch follows it. Its length may
 *	depend on @ip only through @ip's offset in its ``TRAMP_GUARD_ALIGN``
 *	unit (riscv puts a nop first to align its literals): the core sizes a
 *	handler at the region's start and builds it at its final address.
 *	Returns the length, or -ERANGE if @func is out of reach.
 *
 * The conformance suites' helpers (test builds only) are specified in
 * <asm-generic/tramp_guard_test.h>.
 */
#ifndef __ASM_GENERIC_TRAMP_GUARD_H
#define __ASM_GENERIC_TRAMP_GUARD_H

#include <linux/cache.h>

#ifndef ARCH_TRAMP_GUARD_BRANCH_RANGE
#error "<asm/tramp_guard.h> must define ARCH_TRAMP_GUARD_BRANCH_RANGE"
#endif

#ifndef ARCH_TRAMP_GUARD_HANDLERS
#error "<asm/tramp_guard.h> must define ARCH_TRAMP_GUARD_HANDLERS"
#endif

/*
 * Granule of the region allocator: every allocation starts on a cache line
 * so that two trampolines never share one and patching one never disturbs
 * the fetch of another. An architecture may override it.
 */
#include <asm-generic/tramp_guard_limits.h>

#ifndef TRAMP_GUARD_ALIGN
#define TRAMP_GUARD_ALIGN	L1_CACHE_BYTES
#endif

#ifndef TRAMP_GUARD_INSN_ALIGN
#define TRAMP_GUARD_INSN_ALIGN	1
#endif

#ifndef ARCH_TRAMP_GUARD_FENTRY_EXIT
#define ARCH_TRAMP_GUARD_FENTRY_EXIT	0
#endif

/* The contract's size limits (asm-generic/tramp_guard_limits.h), in bytes. */
#define ARCH_TRAMP_GUARD_HANDLER_MAX	(TRAMP_GUARD_HANDLER_UNITS * TRAMP_GUARD_ALIGN)

void __tramp_guard_exit(void);
void __tramp_guard_exit_fentry(void);

#endif /* __ASM_GENERIC_TRAMP_GUARD_H */
