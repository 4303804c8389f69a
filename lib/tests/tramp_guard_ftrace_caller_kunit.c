// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite tramp_guard_ftrace for arm64 (CONFIG_FTRACE_TRAMP_GUARD):
 * dynamic ftrace_ops reached through the guarded static ftrace_caller.
 *
 * arm64 builds no per-ops trampolines: a patched call site branches to
 * ftrace_caller, which reads the site's ops from the literal in front of it.
 * With tramp_guard, ftrace_caller disables preemption before that read and
 * gives the count back after its last use of the ops, so
 * unregister_ftrace_function() waits for one normal RCU grace period, not
 * RCU Tasks. The cases check:
 *
 * - placement: the site branches to ftrace_caller and its literal names the
 *   ops (or the list ops when shared), the callback runs with the caller's
 *   count (one more through the list function), a stack trace taken in the
 *   callback reaches the traced function's caller, and ftrace's counters
 *   say which shutdown path was taken, for every ftrace.tramp_guard mode;
 * - a callback running when its ops is unregistered has returned before
 *   unregister does, alone on the site or sharing it with a second ops;
 * - late callbacks: ten thousand register/unregister rounds with callers on
 *   every CPU preempted by a SCHED_FIFO hog never run a callback after
 *   unregister returned, the ops being freed at once; the negative control
 *   makes ftrace_caller hold the ops with preemption enabled, as it does
 *   without the guard, and must see late callbacks;
 * - direct calls (early and, with a second ops on the site, late) leave
 *   through the direct exit stub, and a direct ops keeps its RCU Tasks waits;
 * - ftrace's boot-time self tests took the guarded path.
 *
 * The traced function and the ops helpers are shared with x86_64's suite
 * (tramp_guard_ftrace_kunit_util.c). Every case also runs after boot, so
 * nothing here is __init.
 */

#include <kunit/test.h>
#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/delay.h>
#include <linux/ftrace.h>
#include <linux/jiffies.h>
#include <linux/kallsyms.h>
#include <linux/kthread.h>
#include <linux/list.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/stacktrace.h>
#include <linux/tramp_guard.h>
#include <linux/uaccess.h>
#include <asm/insn.h>

#include "tramp_guard_kunit.h"

/*
 * Under KASAN a round costs about five times as much: its run is about
 * freed ops memory read late, and fewer rounds keep each half well inside
 * the budget below.
 */
#define TGC_LATE_ROUNDS		(IS_ENABLED(CONFIG_KASAN) ? 1000 : 10000)
/* A stress run stops here whatever its rounds, before KUnit's timeout. */
#define TGC_BUDGET_S		240
/* Bounded wait for a new ops' first callback before unregistering it. */
#define TGC_SEEN_MS		50
/* The hog keeps a preempted caller off its CPU this long at a time. */
#define TGC_HOG_BUSY_MS		60
/* How long the running-callback case's callback holds its ops. */
#define TGC_HOLD_MS		100
#define TGC_STACK_ENTRIES	32

/* ---- common ---- */

static const char *tgc_saved_mode;

/* The branch at the target's site: its destination, 0 if it is a NOP. */
static unsigned long tgc_site_branch(struct kunit *test, unsigned long site)
{
	u32 insn;

	KUNIT_ASSERT_EQ(test, copy_from_kernel_nofault(&insn, (void *)site, sizeof(insn)), 0);
	insn = le32_to_cpu((__force __le32)insn);
	if (insn == aarch64_insn_gen_nop())
		return 0;
	KUNIT_ASSERT_TRUE_MSG(test, aarch64_insn_is_bl(insn), "site insn %08x", insn);
	return site + aarch64_get_branch_offset(insn);
}

/*
 * The ops the site's literal names: ftrace_caller loads it from the 8-byte
 * aligned slot 16 bytes below its return address rounded down to 8.
 */
static unsigned long tgc_site_ops(struct kunit *test, unsigned long site)
{
	unsigned long lit = ALIGN_DOWN(site + AARCH64_INSN_SIZE, 8) - 16, ops;

	KUNIT_ASSERT_EQ(test, copy_from_kernel_nofault(&ops, (void *)lit, sizeof(ops)), 0);
	return ops;
}

/* The target's site, untraced by anyone else. */
static unsigned long tgc_site(struct kunit *test)
{
	unsigned long site = ftrace_location((unsigned long)tg_ftrace_target);

	KUNIT_ASSERT_NE_MSG(test, site, 0, "tg_ftrace_target has no ftrace site");
	if (!READ_ONCE(ftrace_enabled))
		kunit_skip(test, "function tracing is off (kernel.ftrace_enabled=0)");
	if (tgc_site_branch(test, site))
		kunit_skip(test, "another tracer traces tg_ftrace_target already");
	return site;
}

/* ---- counters ---- */

/* What one guarded (or, under "off", unguarded) dynamic shutdown counts. */
static void tgc_want_shutdown(struct ftrace_tramp_guard_stats *want, const char *mode)
{
	*want = (struct ftrace_tramp_guard_stats){ };
	if (!strcmp(mode, "off")) {
		want->wait_off = 1;
	} else {
		want->shutdown_guarded = 1;
		want->shutdown_guarded_no_tramp = 1;
	}
}

/* ---- case set-up ---- */

static int tgc_case_init(struct kunit *test)
{
	struct tramp_guard_stats st;

	tramp_guard_get_stats(&st);
	if (!st.region_size)
		kunit_skip(test, "tramp_guard region not available");
	tgc_saved_mode = ftrace_tramp_guard_test_set_mode("on");
	return 0;
}

static void tgc_case_exit(struct kunit *test)
{
	WRITE_ONCE(__tramp_guard_test_unguard_caller, 0);
	if (tgc_saved_mode)
		ftrace_tramp_guard_test_set_mode(tgc_saved_mode);
	tgc_saved_mode = NULL;
}

/* ---- placement ---- */

struct tgc_probe {
	struct task_struct *task;
	unsigned int calls;
	unsigned long ip, parent_ip;
	unsigned int pc;
	unsigned int n;
	unsigned long e[TGC_STACK_ENTRIES];
};

static void notrace tgc_probe_func(unsigned long ip, unsigned long parent_ip,
				   struct ftrace_ops *op, struct ftrace_regs *fregs)
{
	struct tgc_probe *p = container_of(op, struct tg_fops, ops)->ctx;

	if (current != p->task)
		return;
	p->calls++;
	p->ip = ip;
	p->parent_ip = parent_ip;
	p->pc = preempt_count() & PREEMPT_MASK;
	p->n = stack_trace_save(p->e, ARRAY_SIZE(p->e), 0);
}

struct tgc_mode_case {
	const char *name;
	const char *mode;
	unsigned long flags;
	bool shared;
};

static const struct tgc_mode_case tgc_placement_cases[] = {
	{ "on", "on", 0 },
	{ "on, RCU", "on", FTRACE_OPS_FL_RCU },
	{ "on, RECURSION", "on", FTRACE_OPS_FL_RECURSION },
	{ "on, shared site", "on", 0, true },
	{ "expedited", "expedited", 0 },
	{ "off", "off", 0 },
	{ "off, shared site", "off", 0, true },
};

static void tgc_mode_desc(const struct tgc_mode_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(tgc_placement, tgc_placement_cases, tgc_mode_desc);

static bool tgc_trace_has(const struct tgc_probe *p, void *func)
{
	unsigned long size, off;
	unsigned int i;

	if (!kallsyms_lookup_size_offset((unsigned long)func, &size, &off))
		return false;
	for (i = 0; i < p->n; i++)
		if (p->e[i] - (unsigned long)func < size)
			return true;
	return false;
}

/*
 * Catches an ftrace_caller that does not take the count (pc one short), a
 * site that does not reach it, and a shutdown on the wrong path.
 */
static void test_ftrace_placement(struct kunit *test)
{
	const struct tgc_mode_case *c = test->param_value;
	struct tgc_probe *p = kunit_kzalloc(test, sizeof(*p), GFP_KERNEL);
	struct ftrace_tramp_guard_stats s0, s1, want;
	unsigned long site, lit;
	struct tg_fops *o, *second = NULL;
	bool own;

	KUNIT_ASSERT_NOT_NULL(test, p);
	site = tgc_site(test);
	tg_set_mode(test, c->mode);
	p->task = current;
	o = tg_fops_new(test, p, tgc_probe_func, c->flags);
	tg_register(test, o);
	if (c->shared)
		second = tg_second_ops(test);

	KUNIT_EXPECT_EQ(test, tgc_site_branch(test, site), (unsigned long)ftrace_caller);
	KUNIT_EXPECT_FALSE(test, o->ops.flags & FTRACE_OPS_FL_GUARDED);
	KUNIT_EXPECT_EQ(test, o->ops.trampoline, 0);
	lit = tgc_site_ops(test, site);
	own = lit == (unsigned long)&o->ops;
	/* Alone and needing no assist, the site names the ops itself. */
	if (!c->shared && !c->flags)
		KUNIT_EXPECT_TRUE_MSG(test, own, "literal %ps", (void *)lit);
	else
		KUNIT_EXPECT_EQ_MSG(test, lit, (unsigned long)&ftrace_list_ops,
				    "literal %ps", (void *)lit);

	KUNIT_EXPECT_EQ(test, tg_unwind_caller(), 1);
	/* The exit stub gave the count back. */
	KUNIT_EXPECT_EQ(test, preempt_count() & PREEMPT_MASK, 0);
	KUNIT_ASSERT_EQ(test, p->calls, 1);
	KUNIT_EXPECT_EQ(test, p->ip, site);
	KUNIT_EXPECT_TRUE(test, p->parent_ip - (unsigned long)tg_unwind_caller < 256);
	/* The caller's count, and the list function's own through it. */
	KUNIT_EXPECT_EQ(test, p->pc, own ? 1 : 2);
	KUNIT_EXPECT_TRUE_MSG(test, tgc_trace_has(p, tg_unwind_caller),
			      "a stack trace from the callback misses the traced function's caller");

	if (second) {
		KUNIT_ASSERT_EQ(test, tg_fops_unregister(second), 0);
		KUNIT_EXPECT_EQ(test, tgc_site_branch(test, site), (unsigned long)ftrace_caller);
	}
	ftrace_tramp_guard_get_stats(&s0);
	KUNIT_ASSERT_EQ(test, tg_fops_unregister(o), 0);
	ftrace_tramp_guard_get_stats(&s1);
	tgc_want_shutdown(&want, c->mode);
	tg_expect_stats(test, "unregister", &s0, &s1, &want);
	KUNIT_EXPECT_EQ(test, tgc_site_branch(test, site), 0);
}

/* ---- a callback running across unregister ---- */

struct tgc_hold {
	struct task_struct *task;
	struct completion inside;
	bool done;		/* the callback returned */
};

static void notrace tgc_hold_func(unsigned long ip, unsigned long parent_ip,
				  struct ftrace_ops *op, struct ftrace_regs *fregs)
{
	struct tgc_hold *h = container_of(op, struct tg_fops, ops)->ctx;

	if (current != h->task || READ_ONCE(h->done))
		return;
	complete(&h->inside);
	mdelay(TGC_HOLD_MS);
	WRITE_ONCE(h->done, true);
}

static int tgc_hold_caller(void *arg)
{
	unsigned long x = 0;

	tg_ftrace_target(&x);
	while (!kthread_should_stop())
		schedule_timeout_interruptible(1);
	return 0;
}

static const bool tgc_hold_shared[] = { false, true };

static void tgc_hold_desc(const bool *shared, char *desc)
{
	strscpy(desc, *shared ? "shared site" : "alone", KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(tgc_hold, tgc_hold_shared, tgc_hold_desc);

/*
 * The callback is running (it said so) when unregister starts: unregister
 * returns only after it did, and the ops is freed right away. Catches a
 * shutdown without its grace period, or callbacks run preemptibly.
 */
static void test_ftrace_running_callback(struct kunit *test)
{
	const bool *shared = test->param_value;
	struct tgc_hold *h = kunit_kzalloc(test, sizeof(*h), GFP_KERNEL);
	struct task_struct *t;
	struct tg_fops *o;
	bool done;

	KUNIT_ASSERT_NOT_NULL(test, h);
	tgc_site(test);
	init_completion(&h->inside);
	o = tg_fops_alloc(h, tgc_hold_func, 0);
	KUNIT_ASSERT_NOT_NULL(test, o);
	if (tg_fops_register(o)) {
		tg_fops_free(o);
		KUNIT_FAIL(test, "register");
		return;
	}
	if (*shared)
		tg_second_ops(test);
	t = kthread_create(tgc_hold_caller, NULL, "tgc_hold");
	if (IS_ERR(t)) {
		tg_fops_unregister(o);
		tg_fops_free(o);
		KUNIT_FAIL(test, "kthread_create");
		return;
	}
	h->task = t;
	wake_up_process(t);
	if (!wait_for_completion_timeout(&h->inside, 10 * HZ)) {
		tg_fops_unregister(o);
		tg_fops_free(o);
		kthread_stop(t);
		KUNIT_FAIL(test, "the callback never ran");
		return;
	}
	KUNIT_EXPECT_EQ(test, tg_fops_unregister(o), 0);
	done = READ_ONCE(h->done);
	KUNIT_EXPECT_TRUE_MSG(test, done,
			      "unregister returned while a callback of the ops still ran");
	tg_fops_free(o);
	kthread_stop(t);
}

/* ---- late callbacks under preemption ---- */

struct tgc_stress {
	bool control;
	unsigned long site;
	unsigned long rounds, max_rounds, unseen;
	atomic_long_t late, bad_ip, calls;
	int err;
	const char *err_what;
	bool over_budget;
	unsigned long deadline;
	struct list_head deferred;
	struct completion done;
	struct task_struct *callers[NR_CPUS], *hog, *updater;
};

static void notrace tgc_stress_func(unsigned long ip, unsigned long parent_ip,
				    struct ftrace_ops *op, struct ftrace_regs *fregs)
{
	struct tg_fops *o = container_of(op, struct tg_fops, ops);
	struct tgc_stress *st = o->ctx;

	/* Read after unregister_ftrace_function() returned: too late. */
	if (READ_ONCE(o->dead))
		atomic_long_inc(&st->late);
	if (ip != st->site)
		atomic_long_inc(&st->bad_ip);
	atomic_long_inc(&st->calls);
	if (!READ_ONCE(o->seen)) {
		WRITE_ONCE(o->seen, true);
		complete(&o->first);
	}
}

static int tgc_stress_caller(void *arg)
{
	unsigned long n = 0;

	while (!kthread_should_stop()) {
		tg_ftrace_target(&n);
		cond_resched();
	}
	return 0;
}

static void tgc_stress_fail(struct tgc_stress *st, int err, const char *what)
{
	if (!st->err) {
		st->err = err;
		st->err_what = what;
	}
}

static int tgc_updater(void *arg)
{
	struct tgc_stress *st = arg;

	while (st->rounds < st->max_rounds && !kthread_should_stop()) {
		struct tg_fops *o;
		int ret;

		if (time_after(jiffies, st->deadline)) {
			st->over_budget = true;
			break;
		}
		o = tg_fops_alloc(st, tgc_stress_func, 0);
		if (!o) {
			tgc_stress_fail(st, -ENOMEM, "kzalloc");
			break;
		}
		ret = tg_fops_register(o);
		if (ret) {
			tgc_stress_fail(st, ret, "register");
			tg_fops_free(o);
			break;
		}
		if (!wait_for_completion_timeout(&o->first, msecs_to_jiffies(TGC_SEEN_MS)))
			st->unseen++;
		ret = tg_fops_unregister(o);
		if (ret) {
			tgc_stress_fail(st, ret, "unregister");
			break;
		}
		st->rounds++;
		/*
		 * Freed at once when guarded, as users do (KASAN reports a late
		 * reader). The control's stale callers would run freed code:
		 * its ops are freed once the callers are stopped.
		 */
		WRITE_ONCE(o->dead, true);
		if (st->control)
			list_add_tail(&o->node, &st->deferred);
		else
			tg_fops_free(o);
		if (st->control && atomic_long_read(&st->late))
			break;
		cond_resched();
	}
	complete(&st->done);
	return 0;
}

static struct task_struct *tgc_thread(struct tgc_stress *st, int (*fn)(void *),
				      void *arg, int cpu, const char *name)
{
	struct task_struct *t = kthread_create_on_cpu(fn, arg, cpu, name);

	if (IS_ERR(t)) {
		tgc_stress_fail(st, PTR_ERR(t), "kthread_create_on_cpu");
		return NULL;
	}
	get_task_struct(t);
	return t;
}

/* Starts and stops every thread itself; asserts nothing meanwhile. */
static void tgc_stress_run(struct tgc_stress *st)
{
	struct tg_fops *o, *tmp;
	int cpu;

	INIT_LIST_HEAD(&st->deferred);
	init_completion(&st->done);
	st->deadline = jiffies + TGC_BUDGET_S * HZ;
	WRITE_ONCE(__tramp_guard_test_unguard_caller, st->control);

	for_each_online_cpu(cpu) {
		st->callers[cpu] = tgc_thread(st, tgc_stress_caller, st, cpu, "tgc_call/%u");
		if (!st->callers[cpu])
			goto stop;
		wake_up_process(st->callers[cpu]);
	}
	st->hog = tgc_thread(st, tramp_guard_kunit_hog, (void *)TGC_HOG_BUSY_MS,
			     cpumask_last(cpu_online_mask), "tgc_hog/%u");
	if (!st->hog)
		goto stop;
	sched_set_fifo(st->hog);
	wake_up_process(st->hog);
	st->updater = tgc_thread(st, tgc_updater, st, cpumask_first(cpu_online_mask),
				 "tgc_upd/%u");
	if (!st->updater)
		goto stop;
	wake_up_process(st->updater);
	while (!wait_for_completion_timeout(&st->done, 10 * HZ))
		;
stop:
	if (st->updater)
		kthread_stop_put(st->updater);
	if (st->hog)
		kthread_stop_put(st->hog);
	for (cpu = 0; cpu < nr_cpu_ids; cpu++)
		if (st->callers[cpu])
			kthread_stop_put(st->callers[cpu]);
	WRITE_ONCE(__tramp_guard_test_unguard_caller, 0);
	/* Nobody calls the target any more. */
	list_for_each_entry_safe(o, tmp, &st->deferred, node) {
		list_del(&o->node);
		tg_fops_free(o);
	}
}

/*
 * TGC_LATE_ROUNDS guarded rounds in two halves, each well within KUnit's
 * 300 s case timeout after boot, then the control.
 */
struct tgc_late_case {
	const char *name;
	bool control;
};

static const struct tgc_late_case tgc_late_cases[] = {
	{ "guarded, first half" },
	{ "guarded, second half" },
	{ "control: ops held preemptibly", true },
};

static void tgc_late_desc(const struct tgc_late_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(tgc_late, tgc_late_cases, tgc_late_desc);

/*
 * Catches a path on which ftrace_caller holds the ops preemptibly (seen:
 * the stock caller, 1 late callback in 10 000 rounds). The control proves
 * the stress reaches such a window: it must see a late callback. A
 * shutdown without its grace period is test_ftrace_running_callback()'s to
 * catch: here a callback is never in flight long enough after the unpatch.
 */
static void test_ftrace_late_callback(struct kunit *test)
{
	const struct tgc_late_case *c = test->param_value;
	struct tgc_stress *st = kunit_kzalloc(test, sizeof(*st), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, st);
	if (num_online_cpus() < 2)
		kunit_skip(test, "needs two CPUs");
	st->site = tgc_site(test);
	st->control = c->control;
	st->max_rounds = TGC_LATE_ROUNDS / 2;
	tgc_stress_run(st);

	kunit_info(test, "%lu rounds (%lu without a call), %ld calls, %ld late%s\n",
		   st->rounds, st->unseen, atomic_long_read(&st->calls),
		   atomic_long_read(&st->late), st->over_budget ? ", over budget" : "");
	KUNIT_EXPECT_EQ_MSG(test, st->err, 0, "%s", st->err_what ?: "");
	KUNIT_EXPECT_EQ(test, atomic_long_read(&st->bad_ip), 0);
	if (c->control) {
		KUNIT_EXPECT_GT_MSG(test, atomic_long_read(&st->late), 0,
				    "the control never caught a late callback in %lu rounds",
				    st->rounds);
		return;
	}
	KUNIT_EXPECT_EQ(test, atomic_long_read(&st->late), 0);
	KUNIT_EXPECT_EQ(test, st->rounds, TGC_LATE_ROUNDS / 2);
	KUNIT_EXPECT_LT(test, st->unseen, st->rounds / 2);
}

/* ---- direct calls ---- */

#ifdef CONFIG_DYNAMIC_FTRACE_WITH_DIRECT_CALLS
static void tgc_direct_release(void *arg)
{
	struct ftrace_ops *ops = arg;

	if (ops->flags & FTRACE_OPS_FL_ENABLED)
		unregister_ftrace_direct(ops, (unsigned long)ftrace_stub_direct_tramp, true);
	kfree(ops);
}

KUNIT_ARRAY_PARAM(tgc_direct, tgc_hold_shared, tgc_hold_desc);

/*
 * A direct call on the target. Alone, the site branches to the direct
 * trampoline itself; with a second ops on the site, ftrace_caller runs the
 * list function and leaves for it through its late direct path and
 * __tramp_guard_exit_direct. (The early path, for a trampoline out of bl
 * range, cannot be set up from a built-in test.) The traced function still
 * runs once per call, the count is balanced, and the direct ops keeps both
 * RCU Tasks waits.
 */
static void test_ftrace_direct(struct kunit *test)
{
	const bool *shared = test->param_value;
	unsigned long direct = (unsigned long)ftrace_stub_direct_tramp;
	struct ftrace_tramp_guard_stats s0, s1, want = { .wait_direct = 1 };
	unsigned long site, x = 0;
	struct ftrace_ops *ops;
	int ret;

	site = tgc_site(test);
	ops = kzalloc(sizeof(*ops), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ops);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, tgc_direct_release, ops), 0);
	KUNIT_ASSERT_EQ(test, ftrace_set_filter_ip(ops, (unsigned long)tg_ftrace_target, 0, 0), 0);
	ret = register_ftrace_direct(ops, direct);
	if (ret == -ENODEV)
		kunit_skip(test, "ftrace is disabled");
	KUNIT_ASSERT_EQ(test, ret, 0);
	if (*shared)
		tg_second_ops(test);
	KUNIT_EXPECT_FALSE(test, ops->flags & FTRACE_OPS_FL_GUARDED);
	/*
	 * Alone, the site calls the direct trampoline itself (it is within bl
	 * range); shared, ftrace_caller, whose late path leaves for it.
	 */
	KUNIT_EXPECT_EQ(test, tgc_site_branch(test, site),
			*shared ? (unsigned long)ftrace_caller : direct);
	tg_ftrace_target(&x);
	tg_ftrace_target(&x);
	KUNIT_EXPECT_EQ(test, x, 2);
	KUNIT_EXPECT_EQ(test, preempt_count() & PREEMPT_MASK, 0);

	ftrace_tramp_guard_get_stats(&s0);
	KUNIT_ASSERT_EQ(test, unregister_ftrace_direct(ops, direct, true), 0);
	ftrace_tramp_guard_get_stats(&s1);
	tg_expect_stats(test, "unregister_ftrace_direct", &s0, &s1, &want);
	if (!*shared)
		KUNIT_EXPECT_EQ(test, tgc_site_branch(test, site), 0);
}
#else
static const bool tgc_direct_none[] = { false };

KUNIT_ARRAY_PARAM(tgc_direct, tgc_direct_none, tgc_hold_desc);

static void test_ftrace_direct(struct kunit *test)
{
	kunit_skip(test, "no direct calls in this kernel");
}
#endif

/* ---- ftrace's own boot-time self tests ---- */

static void test_ftrace_selftests(struct kunit *test)
{
	struct ftrace_tramp_guard_stats s;
	bool off;

	if (!IS_ENABLED(CONFIG_FTRACE_STARTUP_TEST))
		kunit_skip(test, "no ftrace startup tests in this kernel");
	if (tramp_guard_kunit_after_boot())
		kunit_skip(test, "checked at boot only: the counters include the boot-time run");
	off = tgc_saved_mode && !strcmp(tgc_saved_mode, "off");
	ftrace_tramp_guard_get_stats(&s);
	kunit_info(test, "ftrace.tramp_guard=%s; so far: shutdown_guarded %lu wait_off %lu\n",
		   tgc_saved_mode ?: "?", s.shutdown_guarded, s.wait_off);
	KUNIT_EXPECT_EQ(test, s.tramp_guarded + s.tramp_fallback + s.tramp_unguarded, 0);
	if (off) {
		KUNIT_EXPECT_EQ(test, s.shutdown_guarded, 0);
		KUNIT_EXPECT_GT(test, s.wait_off, 0);
		return;
	}
	KUNIT_EXPECT_GT(test, s.shutdown_guarded, 0);
	KUNIT_EXPECT_EQ(test, s.shutdown_guarded, s.shutdown_guarded_no_tramp);
}

static struct kunit_case tgc_cases[] = {
	KUNIT_CASE(test_ftrace_selftests),
	KUNIT_CASE_PARAM(test_ftrace_placement, tgc_placement_gen_params),
	KUNIT_CASE_PARAM(test_ftrace_running_callback, tgc_hold_gen_params),
	KUNIT_CASE_PARAM(test_ftrace_direct, tgc_direct_gen_params),
	KUNIT_CASE_PARAM_ATTR(test_ftrace_late_callback, tgc_late_gen_params,
			      {.speed = KUNIT_SPEED_SLOW}),
	{}
};

static struct kunit_suite tgc_suite = {
	.name = "tramp_guard_ftrace",
	.suite_init = tramp_guard_kunit_log_phase,
	.init = tgc_case_init,
	.exit = tgc_case_exit,
	.test_cases = tgc_cases,
};

kunit_test_suite(tgc_suite);

MODULE_DESCRIPTION("KUnit tests for arm64's guarded ftrace_caller");
MODULE_LICENSE("GPL");
