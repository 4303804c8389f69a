/* SPDX-License-Identifier: GPL-2.0 */
/*
 * riscv64 hooks for tramp_guard; the contract is in
 * include/asm-generic/tramp_guard.h, the code in arch/riscv/kernel/tramp_guard.S.
 */
#ifndef _ASM_RISCV_TRAMP_GUARD_H
#define _ASM_RISCV_TRAMP_GUARD_H

#ifndef __ASSEMBLY__

#include <linux/array_size.h>
#include <linux/bug.h>
#include <linux/cache.h>
#include <linux/errno.h>
#include <linux/memory.h>
#include <linux/mutex.h>
#include <linux/sizes.h>
#include <linux/string.h>
#include <linux/tramp_guard.h>
#include <linux/types.h>
#include <asm/byteorder.h>
#include <asm/insn.h>
#include <asm/patch.h>

/* Guarded handler trampolines are implemented; generic entry has the hook. */
#define ARCH_TRAMP_GUARD_HANDLERS	1

/*
 * A patched fentry site is "auipc t0, hi; jalr t0, lo(t0)": the return into
 * the traced function is in t0, ra still holds the traced function's own.
 */
#define ARCH_TRAMP_GUARD_FENTRY_EXIT	1

/*
 * Templates are assembled without compressed instructions, and every
 * branch the core emits is 4-byte aligned; region writes stay whole.
 */
#define TRAMP_GUARD_INSN_ALIGN		4

/*
 * auipc + jalr reaches [-2 GiB - 2 KiB, 2 GiB - 2 KiB) from the auipc; the
 * region comes from the module area, the 2 GiB below the kernel's end.
 */
#define ARCH_TRAMP_GUARD_BRANCH_RANGE	(SZ_2G - SZ_4K)

/* Instruction fields: rd at bit 7, rs1 at bit 15; register numbers. */
#define TRAMP_GUARD_RV_RD(r)		((u32)(r) << 7)
#define TRAMP_GUARD_RV_RS1(r)		((u32)(r) << 15)
#define TRAMP_GUARD_RV_ZERO		0
#define TRAMP_GUARD_RV_RA		1
#define TRAMP_GUARD_RV_T1		6
#define TRAMP_GUARD_RV_A0		10
#define TRAMP_GUARD_RV_OPCODE_LUI	0x37
#define TRAMP_GUARD_RV_OPCODE_OP_IMM_32	0x1b	/* addiw: funct3 0 */

extern const u8 __tramp_guard_body[], __tramp_guard_body_end[];
extern const u8 __tramp_guard_body_data[], __tramp_guard_body_func[];
extern const u8 __tramp_guard_body_ret_ip[], __tramp_guard_fentry_ret_ip[];
extern const u8 __tramp_guard_nop[];

/*
 * patch_text_nosync() writes through the fixmap with text_mutex held, as
 * the riscv BPF JIT's bpf_arch_text_copy() does, and flushes the I-cache
 * on every CPU.
 */
static inline void arch_tramp_guard_text_copy(void *dst, const void *src,
					      size_t len)
{
	int ret;

	mutex_lock(&text_mutex);
	ret = patch_text_nosync(dst, src, len);
	mutex_unlock(&text_mutex);
	WARN_ONCE(ret, "tramp_guard: cannot write %zu bytes at %p: %d\n", len, dst, ret);
}

/* Zero bytes: c.unimp, or an illegal 32-bit word without the C extension. */
static inline void arch_tramp_guard_text_invalidate(void *dst, size_t len)
{
	int ret;

	mutex_lock(&text_mutex);
	ret = patch_text_set_nosync(dst, 0, len);
	mutex_unlock(&text_mutex);
	WARN_ONCE(ret, "tramp_guard: cannot fill %zu bytes at %p: %d\n", len, dst, ret);
}

static inline size_t arch_tramp_guard_emit_prologue(void *buf)
{
	size_t len = tramp_guard_prologue_size();

	memcpy(buf, __tramp_guard_prologue, len);
	return len;
}

/* auipc @reg, hi; jalr @link, lo(@reg) from @ip to @target, or false. */
static inline bool __tramp_guard_auipc_jalr(u32 *insn, unsigned long ip,
					    const void *target, u32 reg, u32 link)
{
	s64 off = (long)target - (long)ip;

	/* The auipc part is off + 2 KiB rounded down, a signed 32-bit value. */
	if (off + SZ_2K < S32_MIN || off + SZ_2K > S32_MAX)
		return false;
	insn[0] = RVG_OPCODE_AUIPC | TRAMP_GUARD_RV_RD(reg);
	insn[1] = RVG_OPCODE_JALR | TRAMP_GUARD_RV_RD(link) | TRAMP_GUARD_RV_RS1(reg);
	riscv_insn_insert_utype_itype_imm(&insn[0], &insn[1], off);
	return true;
}

/*
 * auipc t1; jr t1: t1 is a temporary, dead at a call boundary and not used
 * by the fentry site (which returns through t0).
 */
static inline int arch_tramp_guard_emit_jump(void *buf, unsigned long ip,
					     void *target)
{
	u32 insn[2];
	__le32 le[2];

	if (!__tramp_guard_auipc_jalr(insn, ip, target, TRAMP_GUARD_RV_T1,
				      TRAMP_GUARD_RV_ZERO))
		return -ERANGE;
	le[0] = cpu_to_le32(insn[0]);
	le[1] = cpu_to_le32(insn[1]);
	memcpy(buf, le, sizeof(le));
	return sizeof(le);
}

/*
 * Copy the body template and fill in its two literals. They are loaded
 * with ld, so a nop goes first if they would not be 8-byte aligned at @ip;
 * the length is the same for every unit-aligned trampoline. The return
 * address passed to the handler is ra, or t0 for an fentry site.
 */
static inline int arch_tramp_guard_emit_body(void *buf, unsigned long ip,
					     void *func, void *data,
					     enum tramp_guard_site site)
{
	size_t len = __tramp_guard_body_end - __tramp_guard_body;
	size_t pad = (ip + (__tramp_guard_body_data - __tramp_guard_body)) & 7;

	/* TRAMP_GUARD_ALIGN is L1_CACHE_BYTES here, defined after this header. */
	BUILD_BUG_ON(L1_CACHE_BYTES % 8);
	/* The template keeps them 8-byte aligned (see tramp_guard.S). */
	if (WARN_ON_ONCE((__tramp_guard_body_data - __tramp_guard_body) % 8 || ip & 3))
		return -EINVAL;
	if (pad) {
		memcpy(buf, __tramp_guard_nop, pad);
		buf += pad;
	}
	memcpy(buf, __tramp_guard_body, len);
	memcpy(buf + (__tramp_guard_body_data - __tramp_guard_body), &data, sizeof(data));
	memcpy(buf + (__tramp_guard_body_func - __tramp_guard_body), &func, sizeof(func));
	if (site == TRAMP_GUARD_SITE_FENTRY)
		memcpy(buf + (__tramp_guard_body_ret_ip - __tramp_guard_body),
		       __tramp_guard_fentry_ret_ip, 4);
	return pad + len;
}

#include <asm-generic/tramp_guard.h>

#endif /* !__ASSEMBLY__ */

#endif /* _ASM_RISCV_TRAMP_GUARD_H */
