// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suites for tramp_guard. Run them with
 *   tools/testing/kunit/kunit.py run --kunitconfig=kernel/trace/tramp_guard \
 *	--arch=x86_64 --qemu_args="-smp 2"
 * They can run again once the system is up (see tramp_guard_kunit.h):
 *   echo 1 > /sys/kernel/debug/kunit/tramp_guard_alloc/run
 */

#include <kunit/test.h>
#include <linux/execmem.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/random.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/tramp_guard.h>
#include <linux/vmalloc.h>
#include <asm/sections.h>
#include <asm/tramp_guard.h>

#include "tramp_guard_kunit.h"

#define MAGIC 0x5eed1234u

/*
 * Negative control for a leak check run after the suites: leak one
 * slab object and one region allocation after the last case, where no case
 * can notice, so that only kmemleak and the region's accounting can.
 */
static bool leak_control;
module_param(leak_control, bool, 0);
MODULE_PARM_DESC(leak_control, "Leak on purpose after the suites (the leak check's own control)");

static struct tramp_guard_stats region;

static int tg_suite_init(struct kunit_suite *suite)
{
	tramp_guard_get_stats(&region);
	return tramp_guard_kunit_log_phase(suite);
}

/* Every case starts and must end with an empty, fully reusable pool. */
static void expect_pool_empty(struct kunit *test)
{
	struct tramp_guard_stats st;
	void *all;

	tramp_guard_synchronize();
	tramp_guard_get_stats(&st);
	KUNIT_EXPECT_EQ(test, st.bytes_live, 0);
	KUNIT_EXPECT_EQ(test, st.bytes_pending, 0);
	KUNIT_EXPECT_EQ(test, st.bytes_free, st.region_size);
	/* No leaked bit: the whole region is one free range. */
	all = tramp_guard_alloc(st.region_size);
	KUNIT_EXPECT_EQ(test, (unsigned long)all, st.region_start);
	tramp_guard_free(all);
	tramp_guard_synchronize();
}

static int tg_case_init(struct kunit *test)
{
	if (!region.region_size)
		kunit_skip(test, "tramp_guard region not available");
	tramp_guard_synchronize();
	return 0;
}

static void tg_case_exit(struct kunit *test)
{
	if (!region.region_size)
		return;
	/* A case stopped early leaks; it fails, the next ones start clean. */
	KUNIT_EXPECT_EQ_MSG(test, __tramp_guard_test_free_all(), 0,
			    "allocations the case left live (now freed)");
	expect_pool_empty(test);
}

/* Run code written into the region through a function pointer. */
static u32 call_ret_imm(void *code)
{
	u32 (*fn)(void) = code;

	return fn();
}

static int write_ret_imm(void *dst, u32 val)
{
	u8 buf[TRAMP_GUARD_ALIGN];

	return tramp_guard_write(dst, buf,
				 arch_tramp_guard_emit_ret_imm(buf, (unsigned long)dst, val));
}

/* ---- lookup ---- */

enum where { FIRST, LAST, BEFORE, AFTER, KTEXT, MODULE, VMALLOC, KMALLOC,
	     ZERO, ALL_ONES };

struct lookup_case {
	const char *name;
	enum where where;
	bool inside;
};

static const struct lookup_case lookup_cases[] = {
	{ "first byte", FIRST, true },
	{ "last byte", LAST, true },
	{ "one before", BEFORE, false },
	{ "one after", AFTER, false },
	{ "kernel text", KTEXT, false },
	{ "module area", MODULE, false },
	{ "vmalloc", VMALLOC, false },
	{ "kmalloc", KMALLOC, false },
	{ "zero", ZERO, false },
	{ "~0UL", ALL_ONES, false },
};

static void lookup_case_desc(const struct lookup_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(lookup, lookup_cases, lookup_case_desc);

/* tramp_guard_contains() is exact at both edges and false everywhere else. */
static void test_contains(struct kunit *test)
{
	const struct lookup_case *c = test->param_value;
	unsigned long addr = 0;
	void *p = NULL;

	switch (c->where) {
	case FIRST:
		addr = region.region_start;
		break;
	case LAST:
		addr = region.region_start + region.region_size - 1;
		break;
	case BEFORE:
		addr = region.region_start - 1;
		break;
	case AFTER:
		addr = region.region_start + region.region_size;
		break;
	case KTEXT:
		addr = (unsigned long)tramp_guard_alloc;
		break;
	case MODULE:
		p = execmem_alloc(EXECMEM_MODULE_TEXT, PAGE_SIZE);
		KUNIT_ASSERT_NOT_NULL(test, p);
		addr = (unsigned long)p;
		break;
	case VMALLOC:
		p = vmalloc(PAGE_SIZE);
		KUNIT_ASSERT_NOT_NULL(test, p);
		addr = (unsigned long)p;
		break;
	case KMALLOC:
		p = kunit_kmalloc(test, 64, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, p);
		addr = (unsigned long)p;
		break;
	case ZERO:
		addr = 0;
		break;
	case ALL_ONES:
		addr = ~0UL;
		break;
	}
	KUNIT_EXPECT_EQ_MSG(test, tramp_guard_contains(addr), c->inside,
			    "addr 0x%lx", addr);
	if (c->where == MODULE)
		execmem_free(p);
	else if (c->where == VMALLOC)
		vfree(p);
}

/*
 * The region is whole pages whatever size was configured (Kconfig in KiB,
 * or the boot parameter): set_memory_rox() and the reclaim fill work in
 * pages, and a partial last page would be executable memory nobody owns.
 */
static void test_region_pages(struct kunit *test)
{
	kunit_info(test, "region of %lu bytes; CONFIG_TRAMP_GUARD_REGION_SIZE=%d KiB\n",
		   region.region_size, CONFIG_TRAMP_GUARD_REGION_SIZE);
	KUNIT_EXPECT_TRUE(test, PAGE_ALIGNED(region.region_start));
	KUNIT_EXPECT_TRUE(test, PAGE_ALIGNED(region.region_size));
	KUNIT_EXPECT_EQ(test, region.region_size % TRAMP_GUARD_ALIGN, 0);
}

/* Every byte of the region is reachable by a direct call from kernel text. */
static void test_reachable(struct kunit *test)
{
	/* The extremes: first and last unit, first and last word of text. */
	unsigned long first = region.region_start;
	unsigned long last = region.region_start + region.region_size - TRAMP_GUARD_ALIGN;
	unsigned long far;
	unsigned long text[] = { (unsigned long)_stext,
				 ALIGN_DOWN((unsigned long)_etext - 8, 8) };
	u8 buf[TRAMP_GUARD_ALIGN];
	int i;

	/* Asked of the arch's own encoder, not of the core's arithmetic. */
	for (i = 0; i < ARRAY_SIZE(text); i++) {
		KUNIT_EXPECT_GT_MSG(test, arch_tramp_guard_emit_jump(buf, text[i], (void *)first),
				    0, "%pS to the region's first unit", (void *)text[i]);
		KUNIT_EXPECT_GT_MSG(test, arch_tramp_guard_emit_jump(buf, text[i], (void *)last),
				    0, "%pS to the region's last unit", (void *)text[i]);
		KUNIT_EXPECT_GT_MSG(test, arch_tramp_guard_emit_jump(buf, first, (void *)text[i]),
				    0, "region's first unit to %pS", (void *)text[i]);
		KUNIT_EXPECT_GT_MSG(test, arch_tramp_guard_emit_jump(buf, last, (void *)text[i]),
				    0, "region's last unit to %pS", (void *)text[i]);
	}
	/* The encoder does refuse what is out of range. */
	far = first + 2 * ARCH_TRAMP_GUARD_BRANCH_RANGE;
	KUNIT_EXPECT_EQ(test, arch_tramp_guard_emit_jump(buf, first, (void *)far), -ERANGE);
}

/* ---- allocator ---- */

struct size_case {
	const char *name;
	long base;		/* bytes, or -1 for the region size */
	long delta;
	bool ok;
};

static const struct size_case size_cases[] = {
	{ "0", 0, 0, false },
	{ "1", 1, 0, true },
	{ "odd 37", 37, 0, true },
	{ "cache line - 1", TRAMP_GUARD_ALIGN, -1, true },
	{ "cache line", TRAMP_GUARD_ALIGN, 0, true },
	{ "cache line + 1", TRAMP_GUARD_ALIGN, 1, true },
	{ "page - 1", PAGE_SIZE, -1, true },
	{ "page + 1", PAGE_SIZE, 1, true },
	{ "region", -1, 0, true },
	{ "region + 1", -1, 1, false },
	{ "SIZE_MAX", 0, -1, false },
};

static void size_case_desc(const struct size_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(sizes, size_cases, size_case_desc);

/* Each size gets an aligned, writable, in-region block, or NULL if it cannot. */
static void test_alloc_sizes(struct kunit *test)
{
	const struct size_case *c = test->param_value;
	size_t size = (c->base < 0 ? region.region_size : c->base) + c->delta;
	size_t usable = round_up(size, TRAMP_GUARD_ALIGN);
	struct tramp_guard_stats before, after;
	u8 *p, *buf;

	tramp_guard_get_stats(&before);
	p = tramp_guard_alloc(size);
	tramp_guard_get_stats(&after);
	if (!c->ok) {
		KUNIT_EXPECT_NULL(test, p);
		KUNIT_EXPECT_EQ(test, after.nr_alloc_failures,
				before.nr_alloc_failures + 1);
		return;
	}
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_TRUE(test, IS_ALIGNED((unsigned long)p, TRAMP_GUARD_ALIGN));
	KUNIT_EXPECT_TRUE(test, tramp_guard_contains((unsigned long)p));
	KUNIT_EXPECT_TRUE(test, tramp_guard_contains((unsigned long)p + usable - 1));
	KUNIT_EXPECT_EQ(test, after.bytes_live, before.bytes_live + usable);

	buf = kunit_kzalloc(test, usable + 1, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_EXPECT_EQ(test, tramp_guard_write(p, buf, usable), 0);
	KUNIT_EXPECT_EQ(test, memcmp(p, buf, usable), 0);
	KUNIT_EXPECT_EQ(test, tramp_guard_write(p, buf, usable + 1), -EINVAL);
	tramp_guard_free(p);
}

/* Odd-sized blocks are cache-line aligned and never overlap. */
static void test_alignment(struct kunit *test)
{
	unsigned long start[16], end[16];
	void *p[16];
	int i, j;

	for (i = 0; i < ARRAY_SIZE(p); i++) {
		size_t size = 1 + i * 13;

		p[i] = tramp_guard_alloc(size);
		KUNIT_ASSERT_NOT_NULL(test, p[i]);
		start[i] = (unsigned long)p[i];
		end[i] = start[i] + size;
		KUNIT_EXPECT_TRUE(test, IS_ALIGNED(start[i], TRAMP_GUARD_ALIGN));
		for (j = 0; j < i; j++)
			KUNIT_EXPECT_TRUE(test, end[i] <= start[j] || start[i] >= end[j]);
	}
	for (i = 0; i < ARRAY_SIZE(p); i++)
		tramp_guard_free(p[i]);
}

/* Next fit: a freed block is not the next one handed out, even after reclaim. */
static void test_next_fit(struct kunit *test)
{
	void *a = tramp_guard_alloc(TRAMP_GUARD_ALIGN), *b;

	KUNIT_ASSERT_NOT_NULL(test, a);
	tramp_guard_free(a);
	tramp_guard_synchronize();
	b = tramp_guard_alloc(TRAMP_GUARD_ALIGN);
	KUNIT_EXPECT_PTR_NE(test, a, b);
	tramp_guard_free(b);
}

/*
 * Exhaustion returns NULL; the space comes back only after a grace period.
 * The whole region in one-unit blocks, freed in one batch, is also the
 * largest reclaim there can be: its time is printed.
 */
static void test_exhaustion_recovery(struct kunit *test)
{
	unsigned long n = region.region_size / TRAMP_GUARD_ALIGN, i;
	void **p;
	u64 t0;

	p = kvcalloc(n, sizeof(*p), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	for (i = 0; i < n; i++) {
		p[i] = tramp_guard_alloc(TRAMP_GUARD_ALIGN);
		KUNIT_ASSERT_NOT_NULL(test, p[i]);
	}
	KUNIT_EXPECT_NULL(test, tramp_guard_alloc(1));

	/* No grace period can end inside this read-side section. */
	rcu_read_lock();
	for (i = 0; i < n; i++)
		tramp_guard_free(p[i]);
	KUNIT_EXPECT_NULL(test, tramp_guard_alloc(1));
	rcu_read_unlock();

	t0 = ktime_get_ns();
	tramp_guard_synchronize();
	kunit_info(test, "%lu one-unit blocks reclaimed in one batch: %llu us\n", n,
		   div_u64(ktime_get_ns() - t0, NSEC_PER_USEC));
	for (i = 0; i < n; i++) {
		p[i] = tramp_guard_alloc(TRAMP_GUARD_ALIGN);
		KUNIT_EXPECT_NOT_NULL(test, p[i]);
	}
	for (i = 0; i < n; i++)
		tramp_guard_free(p[i]);
	kvfree(p);
}

/* A freed block is not reused before a grace period; afterwards it is, refilled. */
static void test_reuse_after_grace_period(struct kunit *test)
{
	u8 code[TRAMP_GUARD_ALIGN];
	void *a, *b;
	size_t len;

	a = tramp_guard_alloc(region.region_size);
	KUNIT_ASSERT_NOT_NULL(test, a);
	len = arch_tramp_guard_emit_ret_imm(code, (unsigned long)a, MAGIC);
	KUNIT_ASSERT_EQ(test, tramp_guard_write(a, code, len), 0);

	rcu_read_lock();
	tramp_guard_free(a);
	b = tramp_guard_alloc(TRAMP_GUARD_ALIGN);
	rcu_read_unlock();
	KUNIT_EXPECT_NULL(test, b);
	tramp_guard_free(b);

	tramp_guard_synchronize();
	b = tramp_guard_alloc(region.region_size);
	KUNIT_EXPECT_PTR_EQ(test, b, a);
	/* Reclaim refilled it with traps: the old code is gone. */
	KUNIT_EXPECT_NE(test, memcmp(b, code, len), 0);
	tramp_guard_free(b);
}

/* ---- a reader holds reclaim ---- */

#define READER_TICKS	25

struct reader {
	struct completion locked;	/* the reader is inside rcu_read_lock() */
	struct completion synced;	/* tramp_guard_synchronize() returned */
	bool release;
};

static int reader_fn(void *arg)
{
	struct reader *r = arg;

	rcu_read_lock();
	complete(&r->locked);
	while (!READ_ONCE(r->release))
		cpu_relax();
	rcu_read_unlock();
	return 0;
}

static int synchronizer_fn(void *arg)
{
	struct reader *r = arg;

	tramp_guard_synchronize();
	complete(&r->synced);
	return 0;
}

static const bool reader_ignore_gp[] = { false, true };

static void reader_desc(const bool *ignore, char *desc)
{
	strscpy(desc, *ignore ? "control: reclaim ignores the grace period" : "guarded",
		KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(reader, reader_ignore_gp, reader_desc);

/*
 * A reader that entered its read-side section before a free holds the
 * freed block: across READER_TICKS ticks tramp_guard_synchronize() does not
 * return and the block is not handed out; once the reader leaves, both
 * happen. Control: reclaim that ignores the grace period hands the block
 * back while the reader still runs.
 */
static void test_reader_holds_reclaim(struct kunit *test)
{
	bool ignore = *(const bool *)test->param_value;
	int cpu = cpumask_any_but(cpu_online_mask, raw_smp_processor_id());
	struct task_struct *reader, *sync;
	bool synced_early;
	void *a, *b = NULL;
	struct reader *r;
	int ticks;

	if (cpu >= nr_cpu_ids)
		kunit_skip(test, "needs two online CPUs");
	r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r);
	init_completion(&r->locked);
	init_completion(&r->synced);
	a = tramp_guard_alloc(region.region_size);
	KUNIT_ASSERT_NOT_NULL(test, a);
	reader = kthread_run_on_cpu(reader_fn, r, cpu, "tg_reader/%u");
	KUNIT_ASSERT_FALSE(test, IS_ERR(reader));
	get_task_struct(reader);
	wait_for_completion(&r->locked);

	WRITE_ONCE(__tramp_guard_test_ignore_gp, ignore);
	tramp_guard_free(a);
	sync = kthread_run(synchronizer_fn, r, "tg_sync");
	/* No assertion until the reader is released: it would spin for good. */
	/* The control stops as soon as the block is back; it may take long. */
	for (ticks = 0; !IS_ERR(sync) && ticks < (ignore ? 10 * HZ : READER_TICKS) && !b;
	     ticks++) {
		schedule_timeout_uninterruptible(1);
		b = tramp_guard_alloc(region.region_size);
	}
	synced_early = completion_done(&r->synced);
	WRITE_ONCE(r->release, true);
	kthread_stop_put(reader);
	if (!IS_ERR(sync))
		wait_for_completion(&r->synced);
	WRITE_ONCE(__tramp_guard_test_ignore_gp, false);

	KUNIT_ASSERT_FALSE(test, IS_ERR(sync));
	kunit_info(test, "%s: after %d ticks: block %s, synchronize %s\n",
		   ignore ? "control" : "guarded", ticks, b ? "reused" : "held",
		   synced_early ? "returned" : "waiting");
	if (ignore) {
		KUNIT_EXPECT_TRUE_MSG(test, b || synced_early,
				      "control: nothing came back while the reader ran");
	} else {
		KUNIT_EXPECT_NULL_MSG(test, b, "handed out under a reader older than the free");
		KUNIT_EXPECT_FALSE(test, synced_early);
		KUNIT_EXPECT_EQ(test, ticks, READER_TICKS);
		b = tramp_guard_alloc(region.region_size);
		KUNIT_EXPECT_PTR_EQ(test, b, a);
	}
	tramp_guard_free(b);
}

/* A double free warns, is counted, and leaves the pool consistent. */
static void test_double_free(struct kunit *test)
{
	struct tramp_guard_stats before, after;
	void *p = tramp_guard_alloc(100);

	KUNIT_ASSERT_NOT_NULL(test, p);
	tramp_guard_free(p);
	tramp_guard_get_stats(&before);
	pr_info("tramp_guard: expected splat begin\n");
	tramp_guard_free(p);
	pr_info("tramp_guard: expected splat end\n");
	tramp_guard_get_stats(&after);
	KUNIT_EXPECT_EQ(test, after.nr_bad_frees, before.nr_bad_frees + 1);
	KUNIT_EXPECT_EQ(test, after.nr_frees, before.nr_frees);
	KUNIT_EXPECT_EQ(test, after.bytes_pending, before.bytes_pending);
}

/* Foreign and interior addresses are refused without touching the pool. */
static void test_foreign_free(struct kunit *test)
{
	struct tramp_guard_stats before, after;
	u8 *p = tramp_guard_alloc(3 * TRAMP_GUARD_ALIGN);
	void *heap = kunit_kmalloc(test, 16, GFP_KERNEL);
	void *bad[] = {
		p + TRAMP_GUARD_ALIGN,		/* interior of an allocation */
		p + 1,				/* unaligned */
		p + 4 * TRAMP_GUARD_ALIGN,	/* free space in the region */
		(void *)tramp_guard_free,	/* kernel text */
		heap,				/* linear map */
		(void *)(region.region_start + region.region_size),
	};
	int i;

	KUNIT_ASSERT_NOT_NULL(test, p);
	tramp_guard_get_stats(&before);
	pr_info("tramp_guard: expected splat begin\n");
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		tramp_guard_free(bad[i]);
	pr_info("tramp_guard: expected splat end\n");
	tramp_guard_get_stats(&after);
	KUNIT_EXPECT_EQ(test, after.nr_bad_frees,
			before.nr_bad_frees + ARRAY_SIZE(bad));
	KUNIT_EXPECT_EQ(test, after.bytes_live, before.bytes_live);
	KUNIT_EXPECT_EQ(test, after.nr_frees, before.nr_frees);
	/* The allocation is intact and still usable. */
	KUNIT_EXPECT_EQ(test, write_ret_imm(p, MAGIC), 0);
	KUNIT_EXPECT_EQ(test, call_ret_imm(p), MAGIC);
	tramp_guard_free(p);
}

/* Writes that leave one live allocation are refused with -EINVAL. */
static void test_bad_writes(struct kunit *test)
{
	struct tramp_guard_stats before, after;
	u8 buf[2 * TRAMP_GUARD_ALIGN] = { };
	u8 *a = tramp_guard_alloc(TRAMP_GUARD_ALIGN);
	u8 *b = tramp_guard_alloc(TRAMP_GUARD_ALIGN);
	u8 *c = tramp_guard_alloc(TRAMP_GUARD_ALIGN);

	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, b);
	KUNIT_ASSERT_NOT_NULL(test, c);
	tramp_guard_free(c);
	tramp_guard_get_stats(&before);
	/* Runs past the end of a (into b, if next-fit placed it there). */
	KUNIT_EXPECT_EQ(test, tramp_guard_write(a + 1, buf, TRAMP_GUARD_ALIGN), -EINVAL);
	/* Before the region, after the end, in a freed block, empty, NULL. */
	KUNIT_EXPECT_EQ(test, tramp_guard_write((void *)(region.region_start - 1), buf, 1),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, tramp_guard_write(b + TRAMP_GUARD_ALIGN, buf, 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, tramp_guard_write(c, buf, 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, tramp_guard_write(a, buf, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, tramp_guard_write(NULL, buf, 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, tramp_guard_write((void *)tramp_guard_write, buf, 1), -EINVAL);
	/* Part of an instruction, where instructions have a fixed size. */
	if (TRAMP_GUARD_INSN_ALIGN > 1) {
		KUNIT_EXPECT_EQ(test, tramp_guard_write(a + 1, buf, 3), -EINVAL);
		KUNIT_EXPECT_EQ(test, tramp_guard_write(a, buf, TRAMP_GUARD_INSN_ALIGN + 1),
				-EINVAL);
		before.nr_bad_writes += 2;
	}
	tramp_guard_get_stats(&after);
	KUNIT_EXPECT_EQ(test, after.nr_bad_writes, before.nr_bad_writes + 7);
	/* Both neighbours still work. */
	KUNIT_EXPECT_EQ(test, write_ret_imm(a, MAGIC), 0);
	KUNIT_EXPECT_EQ(test, write_ret_imm(b, ~MAGIC), 0);
	KUNIT_EXPECT_EQ(test, call_ret_imm(a), MAGIC);
	KUNIT_EXPECT_EQ(test, call_ret_imm(b), ~MAGIC);
	tramp_guard_free(a);
	tramp_guard_free(b);
}

/* Code written with tramp_guard_write() executes. */
static void test_exec(struct kunit *test)
{
	void *p = tramp_guard_alloc(TRAMP_GUARD_ALIGN);

	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_ASSERT_EQ(test, write_ret_imm(p, MAGIC), 0);
	KUNIT_EXPECT_EQ(test, call_ret_imm(p), MAGIC);
	tramp_guard_free(p);
}

/* ---- concurrency ---- */

#define CONC_ITERS 300

struct conc_worker {
	struct task_struct *task;
	struct completion done;
	u32 id;
	unsigned long allocs;
	unsigned long errors;
};

static int conc_thread(void *arg)
{
	struct conc_worker *w = arg;
	int i;

	for (i = 0; i < CONC_ITERS; i++) {
		size_t size = 1 + get_random_u32_below(4 * TRAMP_GUARD_ALIGN);
		u32 val = w->id << 16 | i;
		void *p = tramp_guard_alloc(size);

		if (!p) {
			cond_resched();
			continue;
		}
		w->allocs++;
		/* Another thread owning an overlapping block would clobber this. */
		if (!tramp_guard_contains((unsigned long)p) ||
		    write_ret_imm(p, val) || call_ret_imm(p) != val)
			w->errors++;
		if (i & 1)
			tramp_guard_synchronize();
		tramp_guard_free(p);
	}
	complete(&w->done);
	return 0;
}

static const int conc_threads[] = { 2, 4, 8 };

static void conc_desc(const int *n, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%d threads", *n);
}

KUNIT_ARRAY_PARAM(conc, conc_threads, conc_desc);

/* Concurrent alloc/write/exec/free keeps blocks disjoint and accounting exact. */
static void test_concurrent(struct kunit *test)
{
	int n = *(const int *)test->param_value, i;
	struct tramp_guard_stats before, after;
	unsigned long allocs = 0;
	struct conc_worker *w;

	w = kunit_kcalloc(test, n, sizeof(*w), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, w);
	tramp_guard_get_stats(&before);
	for (i = 0; i < n; i++) {
		w[i].id = i + 1;
		init_completion(&w[i].done);
		w[i].task = kthread_run(conc_thread, &w[i], "tg_conc/%d", i);
		KUNIT_ASSERT_FALSE(test, IS_ERR(w[i].task));
	}
	for (i = 0; i < n; i++) {
		wait_for_completion(&w[i].done);
		KUNIT_EXPECT_EQ(test, w[i].errors, 0);
		allocs += w[i].allocs;
	}
	tramp_guard_synchronize();
	tramp_guard_get_stats(&after);
	KUNIT_EXPECT_EQ(test, allocs, (unsigned long)n * CONC_ITERS);
	KUNIT_EXPECT_EQ(test, after.nr_allocs - before.nr_allocs, allocs);
	KUNIT_EXPECT_EQ(test, after.nr_frees - before.nr_frees, allocs);
	KUNIT_EXPECT_EQ(test, after.nr_reclaims - before.nr_reclaims, allocs);
}

/* ---- exhaustion under concurrency ---- */

#define EXHAUST_THREADS 4

struct exhaust_worker {
	struct completion done;
	void **blocks;
	unsigned long nr;
	unsigned long units;
	unsigned long errors;
	u32 id;
	bool free;
};

KUNIT_DEFINE_ACTION_WRAPPER(kvfree_action, kvfree, const void *);

static u32 exhaust_tag(const struct exhaust_worker *w, unsigned long i)
{
	return w->id << 24 | i;
}

/*
 * Fill: random sizes until one fails (which fragmentation allows with space
 * left), then single units until one fails, which only a full region does.
 * Every block gets its owner's tag. Free: release everything held.
 */
static int exhaust_thread(void *arg)
{
	struct exhaust_worker *w = arg;
	bool single = false;
	unsigned long i;

	if (w->free) {
		for (i = 0; i < w->nr; i++)
			tramp_guard_free(w->blocks[i]);
		w->nr = 0;
		w->units = 0;
		complete(&w->done);
		return 0;
	}
	for (;;) {
		size_t size = single ? 1 : 1 + get_random_u32_below(8 * TRAMP_GUARD_ALIGN);
		void *p = tramp_guard_alloc(size);

		if (!p) {
			if (single)
				break;
			single = true;
			continue;
		}
		if (write_ret_imm(p, exhaust_tag(w, w->nr)))
			w->errors++;
		w->blocks[w->nr++] = p;
		w->units += DIV_ROUND_UP(size, TRAMP_GUARD_ALIGN);
		cond_resched();
	}
	complete(&w->done);
	return 0;
}

static void exhaust_run(struct kunit *test, struct exhaust_worker *w, bool free)
{
	struct task_struct *t;
	int i;

	for (i = 0; i < EXHAUST_THREADS; i++) {
		w[i].free = free;
		init_completion(&w[i].done);
		t = kthread_run(exhaust_thread, &w[i], "tg_exhaust/%d", i);
		KUNIT_ASSERT_FALSE(test, IS_ERR(t));
	}
	for (i = 0; i < EXHAUST_THREADS; i++)
		wait_for_completion(&w[i].done);
}

/*
 * Threads race each other to fill the whole region, free it all at once and
 * fill it again after a grace period: no unit is lost or handed out twice.
 */
static void test_exhaustion_concurrent(struct kunit *test)
{
	unsigned long nbits = region.region_size / TRAMP_GUARD_ALIGN;
	unsigned long units, blocks, i;
	struct tramp_guard_stats before, st;
	struct exhaust_worker *w;
	int round, t;

	w = kunit_kcalloc(test, EXHAUST_THREADS, sizeof(*w), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, w);
	for (t = 0; t < EXHAUST_THREADS; t++) {
		w[t].id = t + 1;
		w[t].blocks = kvcalloc(nbits, sizeof(void *), GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, w[t].blocks);
		KUNIT_ASSERT_EQ(test, 0,
				kunit_add_action_or_reset(test, kvfree_action, w[t].blocks));
	}
	for (round = 0; round < 2; round++) {
		tramp_guard_get_stats(&before);
		exhaust_run(test, w, false);
		units = 0;
		blocks = 0;
		for (t = 0; t < EXHAUST_THREADS; t++) {
			KUNIT_EXPECT_EQ(test, w[t].errors, 0);
			units += w[t].units;
			blocks += w[t].nr;
		}
		tramp_guard_get_stats(&st);
		KUNIT_EXPECT_EQ(test, units, nbits);
		KUNIT_EXPECT_EQ(test, st.bytes_free, 0);
		KUNIT_EXPECT_EQ(test, st.nr_allocs - before.nr_allocs, blocks);
		KUNIT_EXPECT_NULL(test, tramp_guard_alloc(1));
		/* Disjoint blocks: each still runs the tag its owner wrote. */
		for (t = 0; t < EXHAUST_THREADS; t++)
			for (i = 0; i < w[t].nr; i++)
				if (call_ret_imm(w[t].blocks[i]) != exhaust_tag(&w[t], i))
					w[t].errors++;
		for (t = 0; t < EXHAUST_THREADS; t++)
			KUNIT_EXPECT_EQ(test, w[t].errors, 0);

		exhaust_run(test, w, true);
		tramp_guard_get_stats(&st);
		KUNIT_EXPECT_EQ(test, st.bytes_live, 0);
		KUNIT_EXPECT_EQ(test, st.nr_frees - before.nr_frees, blocks);
		tramp_guard_synchronize();
		tramp_guard_get_stats(&st);
		KUNIT_EXPECT_EQ(test, st.bytes_free, st.region_size);
	}
}

/* ---- a facility that failed to set up ---- */

static void disabled_handler(void *data, unsigned long ret_ip)
{
}

/*
 * After a failed set-up (fail_tramp_guard= injects each failure) every entry point
 * must fail cleanly: consumers fall back instead of crashing. Skipped when
 * the region exists.
 */
static void test_disabled_api(struct kunit *test)
{
	struct tramp_guard_stats before, after;
	u8 buf[TRAMP_GUARD_ALIGN] = { };

	tramp_guard_get_stats(&before);
	if (before.region_size)
		kunit_skip(test, "region available: runs only after a failed set-up");
	KUNIT_EXPECT_EQ(test, before.bytes_live + before.bytes_pending + before.bytes_free, 0);
	KUNIT_EXPECT_FALSE(test, tramp_guard_contains(0));
	KUNIT_EXPECT_FALSE(test, tramp_guard_contains((unsigned long)_stext));
	KUNIT_EXPECT_NULL(test, tramp_guard_alloc(1));
	KUNIT_EXPECT_NULL(test, tramp_guard_alloc(0));
	KUNIT_EXPECT_NULL(test, tramp_guard_create(disabled_handler, NULL, TRAMP_GUARD_SITE_CALL));
	KUNIT_EXPECT_EQ(test, tramp_guard_write(buf, buf, sizeof(buf)), -EINVAL);
	tramp_guard_free(NULL);
	pr_info("tramp_guard: expected splat begin\n");
	tramp_guard_free(buf);
	pr_info("tramp_guard: expected splat end\n");
	tramp_guard_destroy(NULL);
	tramp_guard_synchronize();
	tramp_guard_synchronize_expedited();
	KUNIT_EXPECT_GT(test, tramp_guard_emit_prologue(buf, sizeof(buf)), 0);
	tramp_guard_get_stats(&after);
	KUNIT_EXPECT_EQ(test, after.nr_bad_frees, before.nr_bad_frees + 1);
	KUNIT_EXPECT_EQ(test, after.nr_bad_writes, before.nr_bad_writes + 1);
	KUNIT_EXPECT_GE(test, after.nr_alloc_failures, before.nr_alloc_failures + 2);
	KUNIT_EXPECT_EQ(test, after.nr_allocs + after.nr_frees + after.nr_reclaims, 0);
	/* The one-case suite prints no totals: say what passed. */
	kunit_info(test, "every entry point failed cleanly\n");
}

/* See leak_control: nothing may keep a pointer to these. */
static noinline void leak_on_purpose(void)
{
	void *obj = kmalloc(64, GFP_KERNEL);
	void *code = tramp_guard_alloc(TRAMP_GUARD_ALIGN);

	pr_info("tramp_guard_kunit: leak_control: leaked %s and %s\n",
		obj ? "a slab object" : "nothing", code ? "a region unit" : "nothing");
}

static void tg_alloc_suite_exit(struct kunit_suite *suite)
{
	if (leak_control)
		leak_on_purpose();
}

static struct kunit_case tramp_guard_region_cases[] = {
	KUNIT_CASE_PARAM(test_contains, lookup_gen_params),
	KUNIT_CASE(test_region_pages),
	KUNIT_CASE(test_reachable),
	{}
};

static struct kunit_suite tramp_guard_region_suite = {
	.name = "tramp_guard_region",
	.suite_init = tg_suite_init,
	.init = tg_case_init,
	.test_cases = tramp_guard_region_cases,
};

static struct kunit_case tramp_guard_alloc_cases[] = {
	KUNIT_CASE_PARAM(test_alloc_sizes, sizes_gen_params),
	KUNIT_CASE(test_alignment),
	KUNIT_CASE(test_next_fit),
	KUNIT_CASE(test_exhaustion_recovery),
	KUNIT_CASE(test_reuse_after_grace_period),
	KUNIT_CASE_PARAM(test_reader_holds_reclaim, reader_gen_params),
	KUNIT_CASE(test_double_free),
	KUNIT_CASE(test_foreign_free),
	KUNIT_CASE(test_bad_writes),
	KUNIT_CASE(test_exec),
	KUNIT_CASE_PARAM(test_concurrent, conc_gen_params),
	KUNIT_CASE(test_exhaustion_concurrent),
	{}
};

static struct kunit_suite tramp_guard_alloc_suite = {
	.name = "tramp_guard_alloc",
	.suite_init = tg_suite_init,
	.suite_exit = tg_alloc_suite_exit,
	.init = tg_case_init,
	.exit = tg_case_exit,
	.test_cases = tramp_guard_alloc_cases,
};

static struct kunit_case tramp_guard_disabled_cases[] = {
	KUNIT_CASE(test_disabled_api),
	{}
};

static struct kunit_suite tramp_guard_disabled_suite = {
	.name = "tramp_guard_disabled",
	.test_cases = tramp_guard_disabled_cases,
};

kunit_test_suites(&tramp_guard_region_suite, &tramp_guard_alloc_suite,
		  &tramp_guard_disabled_suite);

MODULE_DESCRIPTION("KUnit tests for tramp_guard");
MODULE_LICENSE("GPL");
