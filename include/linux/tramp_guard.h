/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tramp_guard: tracing trampolines that are reusable after one normal RCU
 * grace period.
 *
 * A tracer redirects a function by patching its entry into a call to a
 * trampoline. After unpatching, a task may still have executed the call and
 * been interrupted before the trampoline's first instruction ran; freeing the
 * trampoline then requires RCU Tasks, which is slow and can be held off
 * forever by one CPU-bound kernel thread.
 *
 * Guarded trampolines live in one address range, the guard region, tested in
 * O(1) by tramp_guard_contains(). Each one starts with a preempt_disable()
 * prologue and leaves through the architecture's exit stub in kernel text,
 * which re-enables preemption while preserving every register the traced
 * function still needs. An interrupt that lands between the call and the
 * prologue (interrupted IP inside the region) borrows one preempt count for
 * its duration, so neither irq-exit preemption nor any RCU quiescent-state
 * check treats the task as preemptible. Every instant a task can spend inside
 * a guarded trampoline is thus covered by a preempt-disabled region, and one
 * normal RCU grace period after a trampoline is made unreachable suffices to
 * reuse its memory.
 *
 * Not covered, and such callers must keep waiting for RCU Tasks:
 *
 * - code that computes or loads a trampoline address in unguarded text and
 *   then jumps to it (for example ftrace's direct-call path through ORIG_RAX
 *   in the static ftrace_regs_caller): the window between the load and the
 *   jump is outside the region;
 * - trampolines that stay on the stack while the traced function runs or
 *   sleeps (BPF fexit/fmod_ret, sleepable programs): the task returns into
 *   the trampoline long after its prologue's preempt_disable() ended.
 */
#ifndef _LINUX_TRAMP_GUARD_H
#define _LINUX_TRAMP_GUARD_H

#include <linux/compiler.h>
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/preempt.h>
#include <linux/types.h>
#include <asm/ptrace.h>

/**
 * typedef tramp_guard_func_t - handler run by a guarded trampoline
 * @data: the pointer given to tramp_guard_create()
 * @ret_ip: where the trampoline returns to, i.e. just after the call that
 *	entered it (for an fentry call site, the traced function's body)
 *
 * Runs with preemption disabled and must not sleep.
 */
typedef void (*tramp_guard_func_t)(void *data, unsigned long ret_ip);

/**
 * enum tramp_guard_site - the kind of call site that enters a guarded trampoline
 * @TRAMP_GUARD_SITE_CALL: by a call instruction or through a function
 *	pointer; it returns like a function
 * @TRAMP_GUARD_SITE_FENTRY: from a patched fentry call site; it returns into
 *	the traced function the way the architecture's site expects (arm64:
 *	the site is "mov x9, x30; bl", the return is to x30 with x30 = x9;
 *	x86: the site is a call, as for %TRAMP_GUARD_SITE_CALL)
 */
enum tramp_guard_site {
	TRAMP_GUARD_SITE_CALL,
	TRAMP_GUARD_SITE_FENTRY,
};

/**
 * struct tramp_guard_stats - snapshot of the allocator's state
 * @region_start: first byte of the guard region (0 if disabled)
 * @region_size: size of the guard region in bytes (0 if disabled)
 * @bytes_live: bytes in allocations that are not freed
 * @bytes_pending: bytes freed but waiting for a grace period
 * @bytes_free: bytes available to tramp_guard_alloc()
 * @nr_allocs: successful allocations
 * @nr_frees: accepted frees
 * @nr_reclaims: allocations reclaimed after a grace period
 * @nr_alloc_failures: allocations refused (size or exhaustion)
 * @nr_bad_frees: frees refused (double free, foreign address)
 * @nr_bad_writes: writes refused (outside one live allocation)
 */
struct tramp_guard_stats {
	unsigned long region_start;
	unsigned long region_size;
	unsigned long bytes_live;
	unsigned long bytes_pending;
	unsigned long bytes_free;
	unsigned long nr_allocs;
	unsigned long nr_frees;
	unsigned long nr_reclaims;
	unsigned long nr_alloc_failures;
	unsigned long nr_bad_frees;
	unsigned long nr_bad_writes;
};

#ifdef CONFIG_TRAMP_GUARD

/**
 * struct tramp_guard_region - bounds of the guard region
 * @start: first byte of the region
 * @size: size in bytes; 0 until the region is ready and if it is disabled
 *
 * Written once by an initcall (early on x86, postcore where execmem is set up
 * late; secondary CPUs may already run), then
 * read-only. Readers need no ordering: no trampoline exists before both
 * fields are written, and a CPU that sees @size before @start can only
 * misjudge addresses below @size, where no kernel code runs.
 */
struct tramp_guard_region {
	unsigned long start;
	unsigned long size;
};

extern struct tramp_guard_region __tramp_guard_region;

/**
 * tramp_guard_contains() - is an address inside the guard region?
 * @addr: address to test, typically an interrupted instruction pointer
 *
 * One unsigned subtract and compare against read-only data, so its cost does
 * not depend on the number of live trampolines. It takes no lock, calls
 * nothing and is inlined, so it may be used from noinstr code, NMI context
 * and where RCU is not watching. Always false while the facility is disabled.
 *
 * Return: true if @addr lies in the guard region.
 */
static __always_inline bool tramp_guard_contains(unsigned long addr)
{
	return addr - __tramp_guard_region.start < __tramp_guard_region.size;
}

/* The arch's prologue template (asm/tramp_guard.h, arch tramp_guard.S). */
extern const u8 __tramp_guard_prologue[], __tramp_guard_prologue_end[];

/**
 * tramp_guard_prologue_size() - length of a guarded trampoline's prologue
 *
 * A link-time constant, so that an unwinder can use it from any context
 * without ordering against the creation of a trampoline.
 *
 * Return: the length in bytes of the prologue every guarded trampoline
 * starts with; 0 without CONFIG_TRAMP_GUARD.
 */
static __always_inline size_t tramp_guard_prologue_size(void)
{
	return __tramp_guard_prologue_end - __tramp_guard_prologue;
}

void *tramp_guard_alloc(size_t size);
int tramp_guard_write(void *dst, const void *src, size_t len);
void tramp_guard_free(void *addr);
void tramp_guard_synchronize(void);
void tramp_guard_synchronize_expedited(void);
void tramp_guard_get_stats(struct tramp_guard_stats *stats);

struct dentry;
#ifdef CONFIG_DEBUG_FS
struct dentry *tramp_guard_debugfs_dir(void);
#else
static inline struct dentry *tramp_guard_debugfs_dir(void)
{
	return ERR_PTR(-ENODEV);
}
#endif

void *tramp_guard_create(tramp_guard_func_t func, void *data,
			 enum tramp_guard_site site);
void tramp_guard_destroy(void *entry);
int tramp_guard_emit_prologue(void *buf, size_t size);
int tramp_guard_emit_exit(void *buf, size_t size, void *at,
			  enum tramp_guard_site site);

#ifdef CONFIG_TRAMP_GUARD_KUNIT_TEST
/*
 * Test builds only: lets the suites switch the entry hook below off (their
 * negative controls). The core's other test hooks are declared in
 * kernel/trace/tramp_guard/test_hooks.h.
 */
extern bool __tramp_guard_test_unhook;
#define __tramp_guard_unhooked()	READ_ONCE(__tramp_guard_test_unhook)
#else
#define __tramp_guard_unhooked()	false
#endif

#ifdef CONFIG_TRAMP_GUARD_DEBUG
#include <linux/context_tracking.h>
void __tramp_guard_not_watching(struct pt_regs *regs);
#endif

/**
 * tramp_guard_irq_enter() - interrupt entry hook
 * @regs: registers of the interrupted kernel context
 *
 * Called by the architecture's entry code for every interrupt and exception
 * taken from kernel mode, before anything consults preempt_count(). If the
 * interrupted task is in a guarded trampoline it may not have executed the
 * prologue yet (the window between the call and preempt_disable()): borrow
 * one preempt count so that irq-exit preemption, the RCU tick, the
 * expedited-RCU IPI and rcu_core() all see a non-preemptible,
 * non-quiescent context. A reschedule requested meanwhile is honoured by
 * the trampoline's exit stub.
 *
 * Must be called before the entry code changes RCU state: with
 * CONFIG_TRAMP_GUARD_DEBUG it warns if RCU was not watching the interrupted
 * context, where a borrowed count holds off no grace period.
 *
 * Return: true if a count was borrowed; pass it to tramp_guard_irq_exit().
 */
static __always_inline bool tramp_guard_irq_enter(struct pt_regs *regs)
{
	if (likely(!tramp_guard_contains(instruction_pointer(regs))))
		return false;
	if (__tramp_guard_unhooked())
		return false;
	__preempt_count_add(1);
#ifdef CONFIG_TRAMP_GUARD_DEBUG
	/* Called before entry changes RCU state: this is the task's own. */
	if (!rcu_is_watching_curr_cpu())
		__tramp_guard_not_watching(regs);
#endif
	return true;
}

/**
 * tramp_guard_irq_exit() - give back the count borrowed at interrupt entry
 * @borrowed: what tramp_guard_irq_enter() returned
 *
 * Called after the irq-exit preemption decision, last thing before the
 * return to the interrupted context. Never reschedules.
 */
static __always_inline void tramp_guard_irq_exit(bool borrowed)
{
	if (borrowed)
		__preempt_count_sub(1);
}

#else /* !CONFIG_TRAMP_GUARD */

static __always_inline bool tramp_guard_contains(unsigned long addr)
{
	return false;
}

static __always_inline size_t tramp_guard_prologue_size(void)
{
	return 0;
}

static inline void *tramp_guard_alloc(size_t size)
{
	return NULL;
}

static inline int tramp_guard_write(void *dst, const void *src, size_t len)
{
	return -EINVAL;
}

static inline void tramp_guard_free(void *addr) { }
static inline void tramp_guard_synchronize(void) { }
static inline void tramp_guard_synchronize_expedited(void) { }

static inline void tramp_guard_get_stats(struct tramp_guard_stats *stats)
{
	*stats = (struct tramp_guard_stats){ };
}

static inline void *tramp_guard_create(tramp_guard_func_t func, void *data,
				       enum tramp_guard_site site)
{
	return NULL;
}

static inline void tramp_guard_destroy(void *entry) { }

static inline int tramp_guard_emit_prologue(void *buf, size_t size)
{
	return -EOPNOTSUPP;
}

static inline int tramp_guard_emit_exit(void *buf, size_t size, void *at,
					enum tramp_guard_site site)
{
	return -EOPNOTSUPP;
}

static __always_inline bool tramp_guard_irq_enter(struct pt_regs *regs)
{
	return false;
}

static __always_inline void tramp_guard_irq_exit(bool borrowed) { }

#endif /* CONFIG_TRAMP_GUARD */

#endif /* _LINUX_TRAMP_GUARD_H */
