/* SPDX-License-Identifier: GPL-2.0 */
/**
 * DOC: Conformance-test helpers
 *
 * What an architecture provides for the tramp_guard KUnit suites, which
 * double as its conformance test. Built for CONFIG_TRAMP_GUARD_KUNIT_TEST
 * only, and never included by the facility itself.
 *
 * In ``arch/<arch>/include/asm/tramp_guard_test.h``, which includes this file
 * last:
 *
 * ``TRAMP_GUARD_TEST_PATTERN(i)``, ``ARCH_TRAMP_GUARD_TEST_REGS``
 *	The value loaded into the i-th register of the ABI checks below, and
 *	the registers checked, as strings (usable from assembly too).
 *
 * ``size_t arch_tramp_guard_emit_ret_imm(void *buf, unsigned long ip, u32 val)``
 *	Write into @buf (at least ``TRAMP_GUARD_ALIGN`` bytes), for placement
 *	at @ip, a function with the C calling convention that returns @val,
 *	including any landing pad an indirect call needs and returning the
 *	way the kernel does (x86: through the return thunk if there is one).
 *	Returns its length. Used by the conformance suite to prove that
 *	written code executes.
 *
 * In ``arch/<arch>/kernel/tramp_guard_test.S``:
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
#ifndef __ASM_GENERIC_TRAMP_GUARD_TEST_H
#define __ASM_GENERIC_TRAMP_GUARD_TEST_H

#include <linux/types.h>

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

#endif /* __ASM_GENERIC_TRAMP_GUARD_TEST_H */
