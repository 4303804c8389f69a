// SPDX-License-Identifier: GPL-2.0
/*
 * tramp_guard core: the guard region, its allocator and RCU-deferred reclaim.
 *
 * The region is carved into TRAMP_GUARD_ALIGN-sized units. Per unit the
 * allocator keeps one bit in @used (live or waiting for reclaim) and one in
 * @head (first unit of an allocation); an allocation ends at the next head or
 * the next unused unit, so no size is stored anywhere. Allocation is next-fit
 * from a rotating cursor: freed space is reused as late as possible, so a
 * stale entry into freed memory meets traps, not somebody else's trampoline.
 *
 * Frees are batched: a free marks its head in @freed; when no batch is waiting
 * for a grace period, @freed becomes the waiting batch (@waiting) together with
 * a polled grace-period cookie, and one rcu_work is queued. One grace period
 * thus covers any number of frees, and no per-allocation rcu_head is needed.
 */

#define pr_fmt(fmt) "tramp_guard: " fmt

#include <linux/bitmap.h>
#include <linux/execmem.h>
#include <linux/fault-inject.h>
#include <linux/init.h>
#include <linux/instrumentation.h>
#include <linux/kernel.h>
#include <linux/kmemleak.h>
#include <linux/memory.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/set_memory.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/tramp_guard.h>
#include <linux/workqueue.h>
#include <asm/sections.h>
#include <asm/tramp_guard.h>

#include "test_hooks.h"

#undef MODULE_PARAM_PREFIX
#define MODULE_PARAM_PREFIX "tramp_guard."

struct tramp_guard_region __tramp_guard_region __ro_after_init;

static struct {
	raw_spinlock_t lock;
	unsigned long nbits;
	unsigned long cursor;
	unsigned long *used;
	unsigned long *head;
	unsigned long *freed;	/* heads freed since the last batch was made */
	unsigned long *waiting;	/* the batch waiting for its grace period */
	unsigned long *reclaiming;	/* its units, under reclaim_mutex */
	unsigned long waiting_cookie;
	unsigned long nr_freed;
	unsigned long nr_waiting;
	unsigned long batch_seq;
	unsigned long reclaim_seq;
	unsigned long units_live;
	unsigned long units_pending;
	struct tramp_guard_stats stats;
} pool = {
	.lock = __RAW_SPIN_LOCK_UNLOCKED(pool.lock),
};

#ifdef CONFIG_TRAMP_GUARD_KUNIT_TEST
bool __tramp_guard_test_unhook;
void (*__tramp_guard_test_reclaim_fill)(void *addr, size_t len);
/* Reclaim without waiting for the grace period: the broken allocator. */
bool __tramp_guard_test_ignore_gp;
#endif

#ifdef CONFIG_TRAMP_GUARD_DEBUG
/* Out of line from the entry hook: the warning itself is instrumentable. */
noinstr void __tramp_guard_not_watching(struct pt_regs *regs)
{
	instrumentation_begin();
	WARN_ONCE(1, "tramp_guard: interrupt in a guarded trampoline at %pS while RCU was not watching\n",
		  (void *)instruction_pointer(regs));
	instrumentation_end();
}
#endif

static bool gp_done(unsigned long cookie)
{
#ifdef CONFIG_TRAMP_GUARD_KUNIT_TEST
	if (READ_ONCE(__tramp_guard_test_ignore_gp))
		return true;
#endif
	return poll_state_synchronize_rcu(cookie);
}

static DEFINE_MUTEX(reclaim_mutex);
static void reclaim_workfn(struct work_struct *work);
static struct rcu_work reclaim_rwork;
static DECLARE_WAIT_QUEUE_HEAD(reclaim_wq);

/* Beyond this the region risks leaving the arch's direct-call range. */
#define REGION_SIZE_MAX	SZ_64M

/* Whole pages: set_memory_rox() and the region's edges work in pages. */
static unsigned long region_size __ro_after_init =
	PAGE_ALIGN(CONFIG_TRAMP_GUARD_REGION_SIZE * SZ_1K);

static int region_size_set(const char *val, const struct kernel_param *kp)
{
	unsigned long long size;
	char *end;

	size = memparse(val, &end);
	if (end == val || *end || !size || size > REGION_SIZE_MAX) {
		pr_warn("region_size=%s invalid: want 1..%lu bytes (K/M suffix allowed); using %lu\n",
			val, (unsigned long)REGION_SIZE_MAX, region_size);
		return 0;
	}
	region_size = PAGE_ALIGN(size);
	return 0;
}

static const struct kernel_param_ops region_size_ops = {
	.set = region_size_set,
};
module_param_cb(region_size, &region_size_ops, NULL, 0);
MODULE_PARM_DESC(region_size, "Size of the guard region in bytes (K/M suffix allowed)");

static bool tramp_guard_expedited;
module_param_named(expedited, tramp_guard_expedited, bool, 0644);
MODULE_PARM_DESC(expedited, "Wait for expedited grace periods in tramp_guard_synchronize()");

/*
 * Writing and refilling the region go through text_poke_*() on x86, which
 * take text_mutex: a caller holding it (kprobe_optimizer() does while it
 * waits for RCU Tasks) would deadlock.
 */
static void assert_text_mutex_free(void)
{
	lockdep_assert_not_held(&text_mutex);
}

static unsigned long unit_addr(unsigned long bit)
{
	return __tramp_guard_region.start + bit * TRAMP_GUARD_ALIGN;
}

/* unit_addr()'s inverse: the unit @addr (in the region) falls in. */
static unsigned long addr_unit(unsigned long addr)
{
	return (addr - __tramp_guard_region.start) / TRAMP_GUARD_ALIGN;
}

/*
 * One past the last unit of the allocation starting at @bit. The search for
 * its end stops at the next head: O(extent + following gap), so a reclaim
 * of every allocation is linear in the region, not quadratic.
 */
static unsigned long extent_end(unsigned long bit)
{
	unsigned long next_head = find_next_bit(pool.head, pool.nbits, bit + 1);

	return find_next_zero_bit(pool.used, next_head, bit + 1);
}

/* Head of the live allocation holding @addr, or -1UL. Called locked. */
static unsigned long live_head_of(unsigned long addr)
{
	unsigned long bit, head;

	if (!tramp_guard_contains(addr))
		return -1UL;
	bit = addr_unit(addr);
	if (!test_bit(bit, pool.used))
		return -1UL;
	head = find_last_bit(pool.head, bit + 1);
	if (head > bit || test_bit(head, pool.freed) ||
	    test_bit(head, pool.waiting))
		return -1UL;
	return head;
}

/**
 * tramp_guard_alloc() - allocate executable memory inside the guard region
 * @size: bytes wanted
 *
 * The memory starts on a TRAMP_GUARD_ALIGN boundary, is filled with trapping
 * instructions and is read-only: fill it with tramp_guard_write(). The usable
 * size is @size rounded up to TRAMP_GUARD_ALIGN. Does not sleep.
 *
 * Return: the address, or NULL if @size is 0, larger than the region, or no
 * free range is large enough (frees still waiting for their grace period do
 * not count as free; tramp_guard_synchronize() makes them so).
 */
void *tramp_guard_alloc(size_t size)
{
	unsigned long units, bit, flags;

	units = DIV_ROUND_UP(min(size, __tramp_guard_region.size + 1),
			     TRAMP_GUARD_ALIGN);

	raw_spin_lock_irqsave(&pool.lock, flags);
	bit = pool.nbits;
	if (size && units <= pool.nbits) {
		bit = bitmap_find_next_zero_area(pool.used, pool.nbits,
						 pool.cursor, units, 0);
		if (bit >= pool.nbits)
			bit = bitmap_find_next_zero_area(pool.used, pool.nbits,
							 0, units, 0);
	}
	if (bit >= pool.nbits) {
		pool.stats.nr_alloc_failures++;
		raw_spin_unlock_irqrestore(&pool.lock, flags);
		return NULL;
	}
	bitmap_set(pool.used, bit, units);
	__set_bit(bit, pool.head);
	pool.cursor = bit + units;
	pool.units_live += units;
	pool.stats.nr_allocs++;
	raw_spin_unlock_irqrestore(&pool.lock, flags);

	return (void *)unit_addr(bit);
}

/**
 * tramp_guard_write() - copy instructions into a live allocation
 * @dst: destination inside an allocation from tramp_guard_alloc()
 * @src: instructions to copy
 * @len: number of bytes
 *
 * Performs whatever cache maintenance the architecture needs so that the
 * instructions may be executed on any CPU on return. @dst must not be
 * reachable by other CPUs yet.
 *
 * Context: May sleep. Must not be called with text_mutex held.
 *
 * Return: 0, or -EINVAL if [@dst, @dst + @len) is empty, not inside one
 * live allocation, or not aligned to whole instructions where the
 * architecture has a fixed instruction size (TRAMP_GUARD_INSN_ALIGN).
 */
int tramp_guard_write(void *dst, const void *src, size_t len)
{
	unsigned long addr = (unsigned long)dst, head, end, flags;
	bool ok = false;

	assert_text_mutex_free();
	raw_spin_lock_irqsave(&pool.lock, flags);
	head = live_head_of(addr);
	if (len && head != -1UL && IS_ALIGNED(addr | len, TRAMP_GUARD_INSN_ALIGN)) {
		end = unit_addr(extent_end(head));
		ok = len <= end - addr;
	}
	if (!ok)
		pool.stats.nr_bad_writes++;
	raw_spin_unlock_irqrestore(&pool.lock, flags);
	if (!ok)
		return -EINVAL;

	arch_tramp_guard_text_copy(dst, src, len);
	return 0;
}

/* Make the freed heads the waiting batch. Returns true if work must be queued. */
static bool start_batch_locked(void)
{
	lockdep_assert_held(&pool.lock);

	if (pool.nr_waiting || !pool.nr_freed)
		return false;
	bitmap_copy(pool.waiting, pool.freed, pool.nbits);
	bitmap_zero(pool.freed, pool.nbits);
	pool.nr_waiting = pool.nr_freed;
	pool.nr_freed = 0;
	/* Irqs are off here: snapshot now, the queued call_rcu() starts the GP. */
	pool.waiting_cookie = get_state_synchronize_rcu();
	pool.batch_seq++;
	return true;
}

/* Free the live allocation at head @bit; true if reclaim must be queued. */
static bool free_locked(unsigned long bit)
{
	unsigned long units = extent_end(bit) - bit;

	__set_bit(bit, pool.freed);
	pool.nr_freed++;
	pool.units_live -= units;
	pool.units_pending += units;
	pool.stats.nr_frees++;
	return start_batch_locked();
}

/**
 * tramp_guard_free() - release an allocation after a grace period
 * @addr: address returned by tramp_guard_alloc(), or NULL
 *
 * The caller has made @addr unreachable for new entries. The memory is handed
 * out again only after a normal RCU grace period has elapsed since this call
 * and after it has been refilled with trapping instructions. Never waits for
 * that grace period, does not sleep and may be called from any context that
 * may take a raw spinlock, including inside an RCU read-side critical section.
 *
 * A double free or an address that is not the start of an allocation is
 * reported with WARN_ONCE() and ignored.
 */
void tramp_guard_free(void *addr)
{
	unsigned long a = (unsigned long)addr, bit, flags;
	const char *why = NULL;
	bool queue;

	if (!addr)
		return;

	raw_spin_lock_irqsave(&pool.lock, flags);
	bit = addr_unit(a);
	if (!tramp_guard_contains(a) || a != unit_addr(bit) ||
	    !test_bit(bit, pool.head))
		why = "not the start of a tramp_guard allocation";
	else if (test_bit(bit, pool.freed) || test_bit(bit, pool.waiting))
		why = "double free";
	if (why) {
		pool.stats.nr_bad_frees++;
		raw_spin_unlock_irqrestore(&pool.lock, flags);
		WARN_ONCE(1, "tramp_guard: free of %pS ignored: %s\n", addr, why);
		return;
	}
	queue = free_locked(bit);
	raw_spin_unlock_irqrestore(&pool.lock, flags);

	if (queue)
		queue_rcu_work(system_wq, &reclaim_rwork);
}

#ifdef CONFIG_TRAMP_GUARD_KUNIT_TEST
/*
 * Test builds: free every live allocation and return how many there were.
 * A test case's exit calls it, so that a case stopped by a failed assertion
 * before its own frees does not leave the pool to the cases after it.
 */
unsigned long __tramp_guard_test_free_all(void)
{
	unsigned long bit, n = 0, flags;
	bool queue = false;

	raw_spin_lock_irqsave(&pool.lock, flags);
	/* One lock hold: nothing can free or reuse a head between test and free. */
	for (bit = 0; pool.head && (bit = find_next_bit(pool.head, pool.nbits, bit)) < pool.nbits;
	     bit++) {
		if (test_bit(bit, pool.freed) || test_bit(bit, pool.waiting))
			continue;
		queue |= free_locked(bit);
		n++;
	}
	raw_spin_unlock_irqrestore(&pool.lock, flags);
	if (queue)
		queue_rcu_work(system_wq, &reclaim_rwork);
	return n;
}
#endif

static void reclaim_fill_piece(void *addr, size_t len)
{
#ifdef CONFIG_TRAMP_GUARD_KUNIT_TEST
	void (*fill)(void *addr, size_t len) = READ_ONCE(__tramp_guard_test_reclaim_fill);

	if (fill) {
		fill(addr, len);
		return;
	}
#endif
	arch_tramp_guard_text_invalidate(addr, len);
}

/* A page at a time: an arch may fill with interrupts off (arm64 does). */
static void reclaim_fill(void *addr, size_t len)
{
	size_t n;

	for (; len; addr += n, len -= n) {
		n = min_t(size_t, len, PAGE_SIZE - offset_in_page(addr));
		reclaim_fill_piece(addr, n);
		cond_resched();
	}
}

/*
 * Reclaim the waiting batch if its grace period is over: refill it with traps,
 * then hand its units back. Returns true if a new batch must be queued.
 */
static bool reclaim_waiting(void)
{
	unsigned long bit, end, flags, units = 0;
	bool queue;

	mutex_lock(&reclaim_mutex);
	raw_spin_lock_irqsave(&pool.lock, flags);
	if (!pool.nr_waiting || !gp_done(pool.waiting_cookie)) {
		queue = pool.nr_waiting;
		raw_spin_unlock_irqrestore(&pool.lock, flags);
		mutex_unlock(&reclaim_mutex);
		return queue;
	}
	/* Extents need a stable view of the neighbours: compute them locked. */
	bitmap_zero(pool.reclaiming, pool.nbits);
	for_each_set_bit(bit, pool.waiting, pool.nbits)
		bitmap_set(pool.reclaiming, bit, extent_end(bit) - bit);
	raw_spin_unlock_irqrestore(&pool.lock, flags);

	for_each_set_bitrange(bit, end, pool.reclaiming, pool.nbits) {
		reclaim_fill((void *)unit_addr(bit), (end - bit) * TRAMP_GUARD_ALIGN);
		units += end - bit;
	}

	raw_spin_lock_irqsave(&pool.lock, flags);
	bitmap_andnot(pool.used, pool.used, pool.reclaiming, pool.nbits);
	bitmap_andnot(pool.head, pool.head, pool.waiting, pool.nbits);
	bitmap_zero(pool.waiting, pool.nbits);
	pool.stats.nr_reclaims += pool.nr_waiting;
	pool.nr_waiting = 0;
	pool.units_pending -= units;
	pool.reclaim_seq = pool.batch_seq;
	queue = start_batch_locked();
	raw_spin_unlock_irqrestore(&pool.lock, flags);
	mutex_unlock(&reclaim_mutex);
	wake_up_all(&reclaim_wq);
	return queue;
}

static void reclaim_workfn(struct work_struct *work)
{
	if (reclaim_waiting())
		queue_rcu_work(system_wq, &reclaim_rwork);
}

static bool reclaimed(unsigned long target)
{
	return (long)(READ_ONCE(pool.reclaim_seq) - target) >= 0;
}

/*
 * Normal grace periods: unless the waiting batch's grace period is already
 * over, wait for the reclaim work, whose call_rcu() was queued when the batch
 * started. cond_synchronize_rcu() would wait for a grace period that starts
 * after the call, i.e. for two of them whenever the one started by that
 * call_rcu() is already under way.
 *
 * Expedited ones: an expedited grace period satisfies the batch's cookie
 * too, and reclaim is done here rather than after the (normal) grace period
 * the work waits for.
 */
static void synchronize(bool expedited)
{
	unsigned long target, cookie, flags;

	might_sleep();
	assert_text_mutex_free();
	raw_spin_lock_irqsave(&pool.lock, flags);
	target = pool.batch_seq + !!pool.nr_freed;
	raw_spin_unlock_irqrestore(&pool.lock, flags);

	for (;;) {
		raw_spin_lock_irqsave(&pool.lock, flags);
		if (reclaimed(target)) {
			raw_spin_unlock_irqrestore(&pool.lock, flags);
			return;
		}
		/* Each waiting batch has a reclaim work queued or running. */
		if (start_batch_locked())
			queue_rcu_work(system_wq, &reclaim_rwork);
		cookie = pool.waiting_cookie;
		raw_spin_unlock_irqrestore(&pool.lock, flags);

		/* If that grace period is over already, reclaim right here. */
		if (!gp_done(cookie)) {
			if (!expedited) {
				wait_event(reclaim_wq, reclaimed(target));
				return;
			}
			synchronize_rcu_expedited();
		}
		if (reclaim_waiting())
			queue_rcu_work(system_wq, &reclaim_rwork);
	}
}

/*
 * Expedite where synchronize_rcu() would: while the kernel boots (until
 * rcu_end_inkernel_boot(), which follows SYSTEM_RUNNING) and with
 * rcupdate.rcu_expedited, unless rcupdate.rcu_normal. Only a matter of
 * speed: either way a full grace period separates a free from its reuse.
 */
static bool rcu_would_expedite(void)
{
	if (IS_ENABLED(CONFIG_TINY_RCU) || READ_ONCE(rcu_normal))
		return false;
	return READ_ONCE(rcu_expedited) || system_state < SYSTEM_RUNNING;
}

/**
 * tramp_guard_synchronize() - wait until earlier frees are reusable
 *
 * On return, every allocation freed before the call has been reclaimed and
 * can be handed out by tramp_guard_alloc() again. Waits for at most two
 * normal grace periods; for expedited ones if the tramp_guard.expedited
 * parameter is set, and where synchronize_rcu() would expedite (during boot,
 * with rcupdate.rcu_expedited).
 *
 * Context: May sleep. Must not be called with text_mutex held: it may
 * refill reclaimed memory itself.
 */
void tramp_guard_synchronize(void)
{
	synchronize(READ_ONCE(tramp_guard_expedited) || rcu_would_expedite());
}

/**
 * tramp_guard_synchronize_expedited() - tramp_guard_synchronize(), faster
 *
 * The same guarantee, waiting for expedited grace periods, which cost an IPI
 * to every CPU.
 *
 * Context: May sleep. Must not be called with text_mutex held.
 */
void tramp_guard_synchronize_expedited(void)
{
	synchronize(true);
}

/**
 * tramp_guard_emit_prologue() - emit the prologue of a guarded trampoline
 * @buf: where to build the trampoline's code
 * @size: room in @buf
 *
 * For consumers that bring their own trampoline body: a guarded trampoline
 * is the output of this function at its entry, then the body (which must
 * neither return nor call the scheduler), then tramp_guard_emit_exit().
 * The prologue is position independent and includes any landing pad an
 * indirect call needs. The result is written with tramp_guard_write().
 *
 * Return: bytes emitted, or -ENOSPC.
 */
int tramp_guard_emit_prologue(void *buf, size_t size)
{
	u8 tmp[TRAMP_GUARD_ALIGN];
	size_t len = arch_tramp_guard_emit_prologue(tmp);

	if (len > size)
		return -ENOSPC;
	memcpy(buf, tmp, len);
	return len;
}

static void *exit_stub(enum tramp_guard_site site)
{
	if (site == TRAMP_GUARD_SITE_FENTRY && ARCH_TRAMP_GUARD_FENTRY_EXIT)
		return __tramp_guard_exit_fentry;
	return __tramp_guard_exit;
}

/**
 * tramp_guard_emit_exit() - emit the branch to the exit stub
 * @buf: where to build the instruction(s)
 * @size: room in @buf
 * @at: address the instruction(s) will have in the guard region
 * @site: the kind of call site that enters the trampoline, which decides how
 *	it returns
 *
 * The exit stub re-enables preemption (rescheduling if that is due) and
 * returns with every argument, return-value and callee-saved register as
 * the body left them. It must be reached with the stack and return address
 * as they were at the trampoline's entry. A trampoline entered from a
 * patched fentry call site returns into the traced function the way that
 * site expects (on arm64, "mov x9, x30; bl": to x30, with x30 = x9).
 *
 * Return: bytes emitted, -ENOSPC, or -ERANGE if @at cannot reach the stub.
 */
int tramp_guard_emit_exit(void *buf, size_t size, void *at,
			  enum tramp_guard_site site)
{
	u8 tmp[TRAMP_GUARD_ALIGN];
	int len = arch_tramp_guard_emit_jump(tmp, (unsigned long)at, exit_stub(site));

	if (len < 0)
		return len;
	if (len > size)
		return -ENOSPC;
	memcpy(buf, tmp, len);
	return len;
}

/* Prologue, arch body calling func(data, ret_ip), exit; as placed at @ip. */
static int emit_handler(u8 *buf, unsigned long ip, tramp_guard_func_t func,
			void *data, enum tramp_guard_site site)
{
	int pro, body, exit;

	pro = tramp_guard_emit_prologue(buf, ARCH_TRAMP_GUARD_HANDLER_MAX);
	body = arch_tramp_guard_emit_body(buf + pro, ip + pro, func, data, site);
	if (body < 0)
		return body;
	exit = tramp_guard_emit_exit(buf + pro + body,
				     ARCH_TRAMP_GUARD_HANDLER_MAX - pro - body,
				     (void *)ip + pro + body, site);
	if (exit < 0)
		return exit;
	return pro + body + exit;
}

/**
 * tramp_guard_create() - create a guarded handler trampoline
 * @func: handler to run
 * @data: its first argument
 * @site: the call sites that enter it: %TRAMP_GUARD_SITE_CALL (a call instruction
 *	or a function pointer) or %TRAMP_GUARD_SITE_FENTRY (a patched fentry
 *	call site, on arm64 "mov x9, x30; bl")
 *
 * Entering the returned entry runs @func(@data, ret_ip) with preemption
 * disabled and returns with every argument register, the return-value
 * registers and the callee-saved registers as they were, as the entry
 * convention @site expects. Like every guarded trampoline it may only be
 * entered where RCU is watching (not from noinstr code in an extended
 * quiescent state). @func and @data must stay valid until one RCU grace
 * period after tramp_guard_destroy(): a caller that entered just before may
 * still run @func until then. In-tree, only the KUnit suites use it: they
 * prove a port's entry conventions with it.
 *
 * Context: May sleep. Must not be called with text_mutex held.
 *
 * Return: the entry, or NULL if the facility is disabled, the region is
 * full or @func is out of reach.
 */
void *tramp_guard_create(tramp_guard_func_t func, void *data,
			 enum tramp_guard_site site)
{
	u8 buf[ARCH_TRAMP_GUARD_HANDLER_MAX];
	void *entry;
	int len;

	/* Nothing to encode against without a region (nor handler support). */
	if (!ARCH_TRAMP_GUARD_HANDLERS || !READ_ONCE(__tramp_guard_region.size))
		return NULL;

	/* Size it as if at the region's start, then build it in place. */
	len = emit_handler(buf, __tramp_guard_region.start, func, data, site);
	entry = len > 0 ? tramp_guard_alloc(len) : NULL;
	if (!entry)
		return NULL;
	if (emit_handler(buf, (unsigned long)entry, func, data, site) != len ||
	    tramp_guard_write(entry, buf, len)) {
		pr_warn_ratelimited("cannot create a trampoline for %ps\n", func);
		tramp_guard_free(entry);
		return NULL;
	}
	return entry;
}

/**
 * tramp_guard_destroy() - free a trampoline made by tramp_guard_create()
 * @entry: its entry
 *
 * The caller has made @entry unreachable for new calls. Its memory is
 * reclaimed after a normal RCU grace period, as for tramp_guard_free();
 * this does not wait for that grace period. The handler and data given to
 * tramp_guard_create() must stay valid until that grace period has ended
 * (synchronize_rcu() or tramp_guard_synchronize() after this call): a task
 * that entered just before may still be running the handler.
 */
void tramp_guard_destroy(void *entry)
{
	tramp_guard_free(entry);
}

/**
 * tramp_guard_get_stats() - take a snapshot of the allocator's state
 * @stats: filled in
 */
void tramp_guard_get_stats(struct tramp_guard_stats *stats)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&pool.lock, flags);
	*stats = pool.stats;
	stats->region_start = __tramp_guard_region.start;
	stats->region_size = __tramp_guard_region.size;
	stats->bytes_live = pool.units_live * TRAMP_GUARD_ALIGN;
	stats->bytes_pending = pool.units_pending * TRAMP_GUARD_ALIGN;
	stats->bytes_free = stats->region_size - stats->bytes_live -
			    stats->bytes_pending;
	raw_spin_unlock_irqrestore(&pool.lock, flags);
}

#ifdef CONFIG_FAIL_TRAMP_GUARD
/*
 * fail_tramp_guard=<interval>,<probability>,<space>,<times> fails the boot
 * time set-up (Documentation/fault-injection/fault-injection.rst). Its steps,
 * in order: the five allocator bitmaps, the region, making it read-only;
 * "N,100,0,1" fails step N alone.
 */
static DECLARE_FAULT_ATTR(fail_tramp_guard);

static int __init fail_tramp_guard_setup(char *str)
{
	/* The failure is asked for: its message is enough, no stack dump. */
	fail_tramp_guard.verbose = 1;
	strscpy(fail_tramp_guard.dname, "fail_tramp_guard");
	return setup_fault_attr(&fail_tramp_guard, str);
}
__setup("fail_tramp_guard=", fail_tramp_guard_setup);

static bool __init init_should_fail(size_t size)
{
	return should_fail(&fail_tramp_guard, size);
}
#else
static inline bool init_should_fail(size_t size)
{
	return false;
}
#endif

static unsigned long *__init pool_bitmap(unsigned long nbits)
{
	if (init_should_fail(BITS_TO_LONGS(nbits) * sizeof(long)))
		return NULL;
	return bitmap_zalloc(nbits, GFP_KERNEL);
}

/* Every call site in kernel text must reach every byte of the region. */
static bool __init region_reachable(unsigned long start, unsigned long size)
{
	unsigned long lo = min_t(unsigned long, start, (unsigned long)_stext);
	unsigned long hi = max_t(unsigned long, start + size, (unsigned long)_etext);

	return hi - lo <= ARCH_TRAMP_GUARD_BRANCH_RANGE;
}

/*
 * The contract's size limits (asm-generic/tramp_guard_limits.h). The x86
 * and arm64 templates also check them when they assemble; riscv's assembler
 * cannot (its branches make template sizes link-time values), so every
 * arch is checked here once, emitting at the region's start into a buffer
 * large enough for a violation.
 */
static bool __init handler_within_limits(unsigned long ip)
{
	static u8 buf[8 * TRAMP_GUARD_ALIGN] __initdata;
	int pro, body, exit;

	if (!ARCH_TRAMP_GUARD_HANDLERS)
		return true;
	pro = arch_tramp_guard_emit_prologue(buf);
	body = arch_tramp_guard_emit_body(buf + pro, ip + pro, tramp_guard_free, NULL,
					  TRAMP_GUARD_SITE_FENTRY);
	exit = arch_tramp_guard_emit_jump(buf + pro + body, ip + pro + body,
					  exit_stub(TRAMP_GUARD_SITE_FENTRY));
	if (pro <= TRAMP_GUARD_PROLOGUE_UNITS * TRAMP_GUARD_ALIGN && body > 0 &&
	    body <= TRAMP_GUARD_BODY_UNITS * TRAMP_GUARD_ALIGN &&
	    exit > 0 && pro + body + exit <= ARCH_TRAMP_GUARD_HANDLER_MAX)
		return true;
	pr_err("handler of %d + %d + %d bytes exceeds the contract's limits (%u byte units)\n",
	       pro, body, exit, TRAMP_GUARD_ALIGN);
	return false;
}

static int __init tramp_guard_init(void)
{
	unsigned long nbits = region_size / TRAMP_GUARD_ALIGN;
	const char *why = NULL;
	void *region;

	INIT_RCU_WORK(&reclaim_rwork, reclaim_workfn);
	pool.used = pool_bitmap(nbits);
	pool.head = pool_bitmap(nbits);
	pool.freed = pool_bitmap(nbits);
	pool.waiting = pool_bitmap(nbits);
	pool.reclaiming = pool_bitmap(nbits);
	if (!pool.used || !pool.head || !pool.freed || !pool.waiting || !pool.reclaiming) {
		why = "no memory for the allocator";
		goto fail;
	}
	region = NULL;
	if (!init_should_fail(region_size))
		region = execmem_alloc(EXECMEM_FTRACE, region_size);
	if (!region) {
		why = "cannot allocate the region";
	} else if (!region_reachable((unsigned long)region, region_size)) {
		why = "the region is out of direct-call range of kernel text";
		execmem_free(region);
	} else if (!handler_within_limits((unsigned long)region)) {
		why = "the architecture's handler trampoline is too large";
		execmem_free(region);
	} else if (init_should_fail(0) ||
		   set_memory_rox((unsigned long)region, region_size >> PAGE_SHIFT)) {
		/* Leaked on purpose: its permissions are unknown now. */
		kmemleak_not_leak(region);
		why = "cannot make the region read-only";
	}
	if (why)
		goto fail;
	reclaim_fill(region, region_size);

	pool.nbits = nbits;
	__tramp_guard_region.start = (unsigned long)region;
	/* Size last: tramp_guard_contains() is false until now (see its header). */
	WRITE_ONCE(__tramp_guard_region.size, region_size);
	pr_info("%lu KiB region reserved, %u byte units\n",
		region_size / SZ_1K, TRAMP_GUARD_ALIGN);
	return 0;

fail:
	pr_err("disabled: %s (%lu KiB)\n", why, region_size / SZ_1K);
	/* Nothing may find a freed bitmap through the pool afterwards. */
	bitmap_free(pool.used);
	pool.used = NULL;
	bitmap_free(pool.head);
	pool.head = NULL;
	bitmap_free(pool.freed);
	pool.freed = NULL;
	bitmap_free(pool.waiting);
	pool.waiting = NULL;
	bitmap_free(pool.reclaiming);
	pool.reclaiming = NULL;
	return -ENOMEM;
}

/*
 * After execmem_init(), which is a core_initcall on ARCH_WANTS_EXECMEM_LATE
 * (arm64). Elsewhere (x86) execmem, vmalloc, set_memory_*() and text_poke
 * (poking_init()) are ready before any initcall, and the region must exist
 * before ftrace's boot-time self tests register dynamic ops
 * (init_trace_selftests() is a core_initcall): set it up first thing.
 * Secondary CPUs are not up yet then; they see both region fields. (A
 * core_initcall would depend on link order within kernel/trace/.)
 */
#ifdef CONFIG_ARCH_WANTS_EXECMEM_LATE
postcore_initcall(tramp_guard_init);
#else
early_initcall(tramp_guard_init);
#endif
