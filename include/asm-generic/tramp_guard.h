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
 * ``size_t arch_tramp_guard_emit_ret_imm(void *buf, unsigned long ip, u32 val)``
 *	Write into @buf (at least ``TRAMP_GUARD_ALIGN`` bytes), for placement
 *	at @ip, a function with the C calling convention that returns @val,
 *	including any landing pad an indirect call needs and returning the
 *	way the kernel does (x86: through the return thunk if there is one).
 *	Returns its length. Used by the conformance suite to prove that
 *	written code executes.
 *
 * Test builds (``CONFIG_TRAMP_GUARD_KUNIT_TEST``) also need, in
 * ``arch/<arch>/kernel/tramp_guard_test.S``:
 *
 * ``__tramp_guard_test_spin[]`` .. ``_end[]``
 *	Position-independent code placed before a prologue that spins, with
 *	interrupts on, until the int ``tramp_guard_test_release`` is non-zero.
 *
 * ``__tramp_guard_test_detector[]`` .. ``_end[]``
 *	Exactly ``TRAMP_GUARD_ALIGN`` bytes of code that, entered at any
 *	instruction boundary a task can be stopped at before its prologue has
 *	taken effect (x86: +0 or after ENDBR; arm64: any of the prologue's
 *	five instructions), atomically increments the long
 *	``tramp_guard_test_detections`` and returns to its caller without
 *	trusting any register the prologue may have set (riscv: any of the
 *	prologue's three instructions); padded with traps.
 *
 * ``__tramp_guard_test_call_stub[]`` .. ``_end[]``
 *	Code copied into the region and called with a pointer to a slot as
 *	first argument: enters the slot's target, which returns to the stub's
 *	caller, with no instruction outside the region between loading the
 *	pointer and entering it, like a patched call site (x86:
 *	``jmp *(%rdi)``; arm64: ``ldr x16, [x0]; br x16``; riscv:
 *	``ld t1, 0(a0); jr t1``).
 *
 * ``__tramp_guard_test_plain_entry[]`` .. ``_end[]``, ``..._plain_ret()``
 *	For the benchmark's unguarded baseline, identical to a guarded
 *	trampoline but for the preempt count: the landing pad alone (may be
 *	empty), and a function in kernel text that only returns.
 *
 * ``void tramp_guard_test_abi_call(void *entry, unsigned long *regs)``
 *	Load ``TRAMP_GUARD_TEST_PATTERN(i)`` into the i-th register named in
 *	``ARCH_TRAMP_GUARD_TEST_REGS`` (arguments, return values,
 *	callee-saved), call @entry, store each register's value into
 *	``regs[i]``, then the stack pointer before and after the call and the
 *	address the call returned to (arm64: x30) into the next three slots.
 *	The call must return to the label ``tramp_guard_test_abi_ret``.
 *
 * ``void tramp_guard_test_fentry_call(void *entry, unsigned long *regs)``
 *	The same check through a patched fentry call site: call a non-leaf
 *	"traced" function whose entry is the site, shaped as ftrace patches it
 *	but for the branch being indirect (it must reach a run-time address);
 *	the site's return label is ``tramp_guard_test_fentry_site``. Store the
 *	registers as seen back in the caller (label
 *	``tramp_guard_test_fentry_ret``), and in the last slot the traced
 *	function's own return address as it is right after the trampoline
 *	returned: it must be ``tramp_guard_test_fentry_ret``. If the site
 *	copies that return address into a register of
 *	``ARCH_TRAMP_GUARD_TEST_REGS``, ``ARCH_TRAMP_GUARD_TEST_FENTRY_REG``
 *	is its index (arm64: x9); otherwise -1, the default (x86; riscv, whose
 *	site writes t0, a temporary left out of the list).
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

#ifdef CONFIG_TRAMP_GUARD_KUNIT_TEST
extern const u8 __tramp_guard_test_spin[], __tramp_guard_test_spin_end[];
extern const u8 __tramp_guard_test_detector[], __tramp_guard_test_detector_end[];
extern const u8 __tramp_guard_test_call_stub[], __tramp_guard_test_call_stub_end[];
extern const u8 __tramp_guard_test_plain_entry[], __tramp_guard_test_plain_entry_end[];
void __tramp_guard_test_plain_ret(void);
void tramp_guard_test_abi_call(void *entry, unsigned long *regs);
extern const u8 tramp_guard_test_abi_ret[];
void tramp_guard_test_fentry_call(void *entry, unsigned long *regs);
extern const u8 tramp_guard_test_fentry_site[], tramp_guard_test_fentry_ret[];

#ifndef ARCH_TRAMP_GUARD_TEST_FENTRY_REG
#define ARCH_TRAMP_GUARD_TEST_FENTRY_REG	(-1)
#endif
#endif

#endif /* __ASM_GENERIC_TRAMP_GUARD_H */
