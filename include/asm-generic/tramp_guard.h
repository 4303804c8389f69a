/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The architecture contract of tramp_guard.
 *
 * An architecture selects HAVE_ARCH_TRAMP_GUARD and provides
 * <asm/tramp_guard.h>, which defines the items below and then includes this
 * file. Each item names the x86 implementation to copy from.
 *
 * ARCH_TRAMP_GUARD_BRANCH_RANGE
 *	Largest distance, in bytes, between a call instruction in kernel text
 *	and a target that the architecture's direct call still reaches (x86:
 *	rel32, arm64: bl). The core refuses a region it cannot reach and the
 *	conformance suite checks every byte of the region against it.
 *
 * void arch_tramp_guard_text_copy(void *dst, const void *src, size_t len)
 *	Copy instructions into the read-only, executable region and make them
 *	visible to instruction fetch on every CPU (x86: text_poke_copy();
 *	arm64: aarch64_insn_copy(), which also maintains the I-cache). Called
 *	in process context; may sleep. @dst is never being executed.
 *
 * void arch_tramp_guard_text_invalidate(void *dst, size_t len)
 *	Fill [@dst, @dst + @len) with trapping instructions (x86: INT3 via
 *	text_poke_set(); arm64: BRK via aarch64_insn_set()). Same context as
 *	arch_tramp_guard_text_copy(). @dst and @len are multiples of
 *	TRAMP_GUARD_ALIGN.
 *
 * size_t arch_tramp_guard_emit_ret_imm(void *buf, u32 val)
 *	Write into @buf (at least TRAMP_GUARD_ALIGN bytes) a function with the
 *	C calling convention that returns @val, including any landing pad an
 *	indirect call needs (x86 ENDBR, arm64 BTI C). Returns its length. Used
 *	by the conformance suite to prove that written code executes.
 */
#ifndef __ASM_GENERIC_TRAMP_GUARD_H
#define __ASM_GENERIC_TRAMP_GUARD_H

#include <linux/cache.h>

#ifndef ARCH_TRAMP_GUARD_BRANCH_RANGE
#error "<asm/tramp_guard.h> must define ARCH_TRAMP_GUARD_BRANCH_RANGE"
#endif

/*
 * Granule of the region allocator: every allocation starts on a cache line
 * so that two trampolines never share one and patching one never disturbs
 * the fetch of another. An architecture may override it.
 */
#ifndef TRAMP_GUARD_ALIGN
#define TRAMP_GUARD_ALIGN	L1_CACHE_BYTES
#endif

#endif /* __ASM_GENERIC_TRAMP_GUARD_H */
