// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suites for the guard itself: handler trampolines keep the ABI, a
 * task in the window between the call and the prologue is neither preempted
 * nor quiescent, and freed trampolines are never executed. Every safety case
 * has a negative control that switches the entry hook off and must see the
 * failure happen.
 */

#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/delay.h>
#include <linux/hrtimer.h>
#include <linux/kthread.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/tramp_guard.h>
#include <asm/irq_regs.h>
#include <asm/tramp_guard.h>

#include "tramp_guard_kunit.h"

static int guard_case_init(struct kunit *test)
{
	struct tramp_guard_stats st;

	tramp_guard_get_stats(&st);
	if (!st.region_size)
		kunit_skip(test, "tramp_guard region not available");
	if (!ARCH_TRAMP_GUARD_HANDLERS)
		kunit_skip(test, "handler trampolines not ported to this arch yet");
	return 0;
}

static void guard_case_exit(struct kunit *test)
{
	WRITE_ONCE(__tramp_guard_test_unhook, false);
	WRITE_ONCE(__tramp_guard_test_reclaim_fill, NULL);
	tramp_guard_synchronize();
}

/*
 * KUnit-managed region memory: freed when the case ends, also when a failed
 * assertion ends it early, so that the cases after it start clean. A sweep
 * of everything live, as the allocator suite's exit does, would also free
 * the allocator suite's deliberate leak (leak_control).
 */
static void free_action(void *p)
{
	tramp_guard_free(p);
}

static void *managed(struct kunit *test, void *p)
{
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, free_action, p), 0);
	return p;
}

/* A CPU other than the caller's, for threads that must not share it. */
static int other_cpu(struct kunit *test)
{
	int cpu = cpumask_next(raw_smp_processor_id(), cpu_online_mask);

	if (cpu >= nr_cpu_ids)
		cpu = cpumask_first(cpu_online_mask);
	if (cpu == raw_smp_processor_id())
		kunit_skip(test, "needs at least two online CPUs");
	return cpu;
}

struct flag_thread {
	struct completion ran;
};

static int flag_thread_fn(void *arg)
{
	complete(&((struct flag_thread *)arg)->ran);
	return 0;
}

/* A SCHED_FIFO thread bound to @cpu that completes ->ran once woken. */
static struct task_struct *rt_thread(struct kunit *test, struct flag_thread *f,
				     int cpu)
{
	struct task_struct *t;

	init_completion(&f->ran);
	t = kthread_create_on_cpu(flag_thread_fn, f, cpu, "tg_rt/%u");
	KUNIT_ASSERT_FALSE(test, IS_ERR(t));
	get_task_struct(t);
	sched_set_fifo(t);
	return t;
}

/* ---- ABI ---- */

static const char * const reg_names[] = { ARCH_TRAMP_GUARD_TEST_REGS };
#define NR_REGS ARRAY_SIZE(reg_names)

struct abi_ctx {
	unsigned int pc_in;
	unsigned long ret_ip;
	unsigned int calls;
	struct task_struct *wake;
	bool need_resched_in;
};

static void abi_handler(void *data, unsigned long ret_ip)
{
	struct abi_ctx *c = data;

	c->pc_in = preempt_count();
	c->ret_ip = ret_ip;
	c->calls++;
	if (c->wake) {
		/* Higher priority, same CPU: makes a reschedule due. */
		wake_up_process(c->wake);
		c->need_resched_in = need_resched();
	}
}

struct abi_case {
	const char *name;
	bool resched;
	bool fentry;
};

static const struct abi_case abi_cases[] = {
	{ "call, no reschedule", false, false },
	{ "call, exit stub reschedules", true, false },
	{ "fentry site, no reschedule", false, true },
	{ "fentry site, exit stub reschedules", true, true },
};

static void abi_desc(const struct abi_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(abi, abi_cases, abi_desc);

/*
 * Arguments, return-value and callee-saved registers and the stack pointer
 * survive a handler trampoline, also across a context switch in the exit
 * stub; the handler runs with one more preempt count, which is given back.
 * Entered as a function, or from a patched fentry site at the start of a
 * non-leaf traced function, which must get its own return address back.
 */
static void test_abi(struct kunit *test)
{
	const struct abi_case *ac = test->param_value;
	bool resched = ac->resched;
	enum { sp_before = NR_REGS, sp_after, ret_addr };
	unsigned long regs[NR_REGS + 3], nivcsw, want;
	const u8 *ret = ac->fentry ? tramp_guard_test_fentry_ret : tramp_guard_test_abi_ret;
	struct abi_ctx c = { };
	struct flag_thread f;
	unsigned int pc;
	void *entry;
	int i;

	if (resched && !preempt_model_preemptible())
		kunit_skip(test, "exit stub does not reschedule in this preemption model");
	entry = managed(test, tramp_guard_create(abi_handler, &c, ac->fentry ?
						 TRAMP_GUARD_SITE_FENTRY :
						 TRAMP_GUARD_SITE_CALL));
	KUNIT_EXPECT_TRUE(test, tramp_guard_contains((unsigned long)entry));

	migrate_disable();
	if (resched)
		c.wake = rt_thread(test, &f, raw_smp_processor_id());
	nivcsw = current->nivcsw;
	pc = preempt_count();
	if (ac->fentry)
		tramp_guard_test_fentry_call(entry, regs);
	else
		tramp_guard_test_abi_call(entry, regs);
	KUNIT_EXPECT_EQ(test, preempt_count(), pc);
	if (resched) {
		/* It could only run once preemption came back on: in the stub. */
		KUNIT_EXPECT_TRUE(test, c.need_resched_in);
		KUNIT_EXPECT_TRUE(test, completion_done(&f.ran));
		KUNIT_EXPECT_GT(test, current->nivcsw, nivcsw);
	}
	migrate_enable();
	if (resched)
		kthread_stop_put(c.wake);

	KUNIT_EXPECT_EQ(test, c.calls, 1);
	KUNIT_EXPECT_EQ(test, c.pc_in, pc + 1);
	KUNIT_EXPECT_EQ(test, c.ret_ip, ac->fentry ? (unsigned long)tramp_guard_test_fentry_site :
			(unsigned long)tramp_guard_test_abi_ret);
	for (i = 0; i < NR_REGS; i++) {
		/* The fentry site itself loads its return address there. */
		want = ac->fentry && i == ARCH_TRAMP_GUARD_TEST_FENTRY_REG ?
		       (unsigned long)ret : TRAMP_GUARD_TEST_PATTERN(i);
		KUNIT_EXPECT_EQ_MSG(test, regs[i], want, "register %s", reg_names[i]);
	}
	KUNIT_EXPECT_EQ_MSG(test, regs[sp_after], regs[sp_before], "stack pointer");
	KUNIT_EXPECT_EQ_MSG(test, regs[ret_addr], (unsigned long)ret,
			    "return address (fentry: the traced function's own, after the site)");
	kunit_release_action(test, free_action, entry);
}

/* A body brought by the caller runs between prologue and exit stub. */
static void test_own_body(struct kunit *test)
{
	u8 buf[4 * TRAMP_GUARD_ALIGN];
	struct abi_ctx c = { };
	unsigned int pc = preempt_count();
	int pro, body, exit;
	void *entry;

	entry = managed(test, tramp_guard_alloc(sizeof(buf)));
	pro = tramp_guard_emit_prologue(buf, sizeof(buf));
	KUNIT_ASSERT_GT(test, pro, 0);
	body = arch_tramp_guard_emit_body(buf + pro, (unsigned long)entry + pro,
					  abi_handler, &c, TRAMP_GUARD_SITE_CALL);
	KUNIT_ASSERT_GT(test, body, 0);
	exit = tramp_guard_emit_exit(buf + pro + body, sizeof(buf) - pro - body,
				     entry + pro + body, TRAMP_GUARD_SITE_CALL);
	KUNIT_ASSERT_GT(test, exit, 0);
	KUNIT_EXPECT_EQ(test, tramp_guard_emit_exit(buf, 1, entry, TRAMP_GUARD_SITE_CALL),
			-ENOSPC);
	KUNIT_ASSERT_EQ(test, tramp_guard_write(entry, buf, pro + body + exit), 0);
	((void (*)(void))entry)();
	KUNIT_EXPECT_EQ(test, c.calls, 1);
	KUNIT_EXPECT_EQ(test, c.pc_in, pc + 1);
	KUNIT_EXPECT_EQ(test, preempt_count(), pc);
	kunit_release_action(test, free_action, entry);
}

/* ---- window ---- */

enum window_prop { W_PREEMPT, W_GP, W_EXPEDITED };

struct window_case {
	const char *name;
	enum window_prop prop;
	bool guarded;
};

/* Controls first: each sets how long the guarded case of its kind holds. */
static const struct window_case window_cases[] = {
	{ "control: unhooked, task preempts", W_PREEMPT, false },
	{ "control: unhooked, grace period ends", W_GP, false },
	{ "control: unhooked, expedited ends", W_EXPEDITED, false },
	{ "higher-priority task waits", W_PREEMPT, true },
	{ "normal grace period waits", W_GP, true },
	{ "expedited grace period waits", W_EXPEDITED, true },
};

static void window_desc(const struct window_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(window, window_cases, window_desc);

#define WINDOW_TICKS		25	/* guarded: must hold at least this long */
#define WINDOW_HOLD_FACTOR	5	/* ... and this many times its control */
#define CONTROL_TICKS		(10 * HZ)	/* control: give up after */
#define SIGHT_TRIES		(10 * HZ)

/*
 * How long a guarded case must hold, per property: WINDOW_TICKS, or
 * WINDOW_HOLD_FACTOR times as long as its control took to go wrong in this
 * boot if that is longer. Holding proves something only if the unguarded
 * event would have happened well inside the hold, however slow this
 * machine is today.
 */
static unsigned int window_hold[] = {
	[W_PREEMPT] = WINDOW_TICKS, [W_GP] = WINDOW_TICKS, [W_EXPEDITED] = WINDOW_TICKS,
};

struct window {
	const struct window_case *c;
	struct hrtimer timer;
	struct completion seen;		/* observer saw the IP in the window */
	struct completion done;		/* observation over, spinner released */
	struct completion returned;	/* spinner left the trampoline */
	void *entry;
	unsigned int tries, ticks, hold;
	unsigned int borrowed;		/* PREEMPT_MASK bits seen by the observer */
	bool armed, went_wrong, sighted;
	unsigned int handler_pc;
	/* the perturbation */
	struct flag_thread rt;
	struct task_struct *rt_task;
	unsigned long cookie;
	bool exp_done;
};

static bool window_went_wrong(struct window *w)
{
	switch (w->c->prop) {
	case W_PREEMPT:
		return completion_done(&w->rt.ran);
	case W_GP:
		return poll_state_synchronize_rcu(w->cookie);
	case W_EXPEDITED:
		return READ_ONCE(w->exp_done);
	}
	return false;
}

/*
 * Runs on the spinner's CPU every tick: first until it interrupts the
 * spinner inside the window, then until the property went wrong or enough
 * ticks passed. It releases the spinner itself: releasing from another CPU
 * could deadlock behind anything that waits for this CPU (stop_machine()).
 */
static enum hrtimer_restart window_observe(struct hrtimer *t)
{
	struct window *w = container_of(t, struct window, timer);
	struct pt_regs *regs = get_irq_regs();

	if (!w->sighted) {
		if (regs && !user_mode(regs) &&
		    tramp_guard_contains(instruction_pointer(regs))) {
			w->sighted = true;
			w->borrowed = preempt_count() & PREEMPT_MASK;
			complete(&w->seen);
		} else if (++w->tries > SIGHT_TRIES) {
			complete(&w->seen);
			goto release;
		}
	} else if (smp_load_acquire(&w->armed)) {	/* pairs with the test's release */
		w->ticks++;
		if (window_went_wrong(w)) {
			w->went_wrong = true;
			goto release;
		}
		if (w->ticks >= w->hold)
			goto release;
	}
	hrtimer_forward_now(t, ns_to_ktime(TICK_NSEC));
	return HRTIMER_RESTART;

release:
	WRITE_ONCE(tramp_guard_test_release, 1);
	complete(&w->done);
	return HRTIMER_NORESTART;
}

static void window_handler(void *data, unsigned long ret_ip)
{
	struct window *w = data;

	w->handler_pc = preempt_count();
}

static int window_spinner(void *arg)
{
	struct window *w = arg;

	hrtimer_start(&w->timer, ns_to_ktime(TICK_NSEC), HRTIMER_MODE_REL_PINNED_HARD);
	((void (*)(void))w->entry)();
	complete(&w->returned);
	return 0;
}

/* Spin code, then a handler trampoline: the window, held open on purpose. */
static void *spin_trampoline(struct kunit *test, struct window *w)
{
	size_t spin = __tramp_guard_test_spin_end - __tramp_guard_test_spin;
	u8 buf[6 * TRAMP_GUARD_ALIGN];
	int pro, body, exit, len;
	void *entry;

	entry = managed(test, tramp_guard_alloc(sizeof(buf)));
	memcpy(buf, __tramp_guard_test_spin, spin);
	pro = tramp_guard_emit_prologue(buf + spin, sizeof(buf) - spin);
	KUNIT_ASSERT_GT(test, pro, 0);
	len = spin + pro;
	body = arch_tramp_guard_emit_body(buf + len, (unsigned long)entry + len,
					  window_handler, w, TRAMP_GUARD_SITE_CALL);
	KUNIT_ASSERT_GT(test, body, 0);
	len += body;
	exit = tramp_guard_emit_exit(buf + len, sizeof(buf) - len, entry + len,
				     TRAMP_GUARD_SITE_CALL);
	KUNIT_ASSERT_GT(test, exit, 0);
	len += exit;
	KUNIT_ASSERT_EQ(test, tramp_guard_write(entry, buf, len), 0);
	return entry;
}

/*
 * A kthread spins in the window (IP in the region, preempt count zero,
 * interrupts on). Guarded: a higher-priority task woken on its CPU does not
 * run, a normal grace period does not end, an expedited one does not end,
 * across at least WINDOW_TICKS ticks and five times as long as the control
 * took; all three complete after the release. Unguarded (control): each of
 * them is observed to happen inside the window.
 */
static void test_window(struct kunit *test)
{
	const struct window_case *c = test->param_value;
	int cpu = other_cpu(test);
	struct task_struct *spinner;
	struct window *w;
	int i;

	/* Without irq-exit preemption the guarded case would pass trivially. */
	if (c->prop == W_PREEMPT && !preempt_model_preemptible())
		kunit_skip(test, "nothing preempts kernel code in this preemption model");

	w = kunit_kzalloc(test, sizeof(*w), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, w);
	w->c = c;
	w->hold = c->guarded ? window_hold[c->prop] : CONTROL_TICKS;
	init_completion(&w->seen);
	init_completion(&w->done);
	init_completion(&w->returned);
	hrtimer_init(&w->timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL_PINNED_HARD);
	w->timer.function = window_observe;
	w->entry = spin_trampoline(test, w);
	if (c->prop == W_PREEMPT)
		w->rt_task = rt_thread(test, &w->rt, cpu);
	else
		init_completion(&w->rt.ran);
	/* Everything that needs another task is created before the window. */
	spinner = kthread_create_on_cpu(window_spinner, w, cpu, "tg_spin/%u");
	KUNIT_ASSERT_FALSE(test, IS_ERR(spinner));

	get_task_struct(spinner);
	WRITE_ONCE(tramp_guard_test_release, 0);
	WRITE_ONCE(__tramp_guard_test_unhook, !c->guarded);
	wake_up_process(spinner);

	wait_for_completion(&w->seen);
	if (w->sighted) {
		/* Each release publishes the perturbation to window_observe(). */
		switch (c->prop) {
		case W_PREEMPT:
			smp_store_release(&w->armed, true);	/* see above */
			wake_up_process(w->rt_task);
			break;
		case W_GP:
			w->cookie = start_poll_synchronize_rcu();
			smp_store_release(&w->armed, true);	/* orders the cookie */
			break;
		case W_EXPEDITED:
			smp_store_release(&w->armed, true);	/* see above */
			synchronize_rcu_expedited();
			WRITE_ONCE(w->exp_done, true);
			break;
		}
	}
	wait_for_completion(&w->done);
	wait_for_completion(&w->returned);
	kthread_stop_put(spinner);
	hrtimer_cancel(&w->timer);
	WRITE_ONCE(__tramp_guard_test_unhook, false);

	KUNIT_ASSERT_TRUE_MSG(test, w->sighted, "the observer never interrupted the window");
	KUNIT_EXPECT_EQ_MSG(test, w->borrowed, c->guarded ? 1 : 0,
			    "preempt count seen by an interrupt in the window");
	if (c->guarded) {
		kunit_info(test, "guarded: %s after %u ticks (must hold %u)\n",
			   w->went_wrong ? "went wrong" : "held", w->ticks, w->hold);
		KUNIT_EXPECT_FALSE_MSG(test, w->went_wrong, "after %u ticks", w->ticks);
		KUNIT_EXPECT_GE(test, w->ticks, w->hold);
	} else {
		if (w->went_wrong)
			window_hold[c->prop] = max(WINDOW_TICKS, WINDOW_HOLD_FACTOR * w->ticks);
		kunit_info(test, "control: %s after %u ticks (the guarded case will hold %u)\n",
			   w->went_wrong ? "went wrong" : "held", w->ticks,
			   window_hold[c->prop]);
		KUNIT_EXPECT_TRUE_MSG(test, w->went_wrong,
				      "control saw nothing go wrong in %u ticks", w->ticks);
	}

	/* Released: all three complete, the handler ran preempt-disabled. */
	switch (c->prop) {
	case W_PREEMPT:
		wait_for_completion(&w->rt.ran);
		kthread_stop_put(w->rt_task);
		break;
	case W_GP:
		/* Deadline-bounded poll: the cookie's grace period must end. */
		for (i = 0; i < 10 * HZ && !poll_state_synchronize_rcu(w->cookie); i++)
			schedule_timeout_idle(1);
		KUNIT_EXPECT_TRUE(test, poll_state_synchronize_rcu(w->cookie));
		break;
	case W_EXPEDITED:
		KUNIT_EXPECT_TRUE(test, READ_ONCE(w->exp_done));
		break;
	}
	KUNIT_EXPECT_EQ(test, w->handler_pc & PREEMPT_MASK, 1);
	kunit_release_action(test, free_action, w->entry);
}

/* ---- use-after-free stress ---- */

/* A fixed amount of work, not a time budget: slow configurations run longer. */
#define UAF_REPLACEMENTS	100000
#define HOG_BUSY_MS		30

struct uaf {
	void *slot;			/* the patched call site's target */
	void (*call_site)(void **slot);	/* in the region */
	bool guarded;
	atomic_long_t calls;
	unsigned long replacements, full;
	struct completion done;
};

static void uaf_handler(void *data, unsigned long ret_ip)
{
	atomic_long_inc(&((struct uaf *)data)->calls);
}

static int uaf_caller(void *arg)
{
	struct uaf *u = arg;

	while (!kthread_should_stop()) {
		u->call_site(&u->slot);
		cond_resched();
	}
	return 0;
}

static int uaf_updater(void *arg)
{
	struct uaf *u = arg;

	while (u->replacements < UAF_REPLACEMENTS) {
		void *new = tramp_guard_create(uaf_handler, u, TRAMP_GUARD_SITE_CALL);

		if (!new) {
			u->full++;
			tramp_guard_synchronize();
			continue;
		}
		tramp_guard_destroy(xchg(&u->slot, new));
		/*
		 * Reclaim from this CPU too: the reclaim work may be queued
		 * behind the hog (on PREEMPT_RT the RCU callback threads are),
		 * and a control that reclaims late cannot catch a stale caller.
		 */
		if (!(++u->replacements % 64))
			tramp_guard_synchronize();
		/* The control has made its point once freed code ran. */
		if (!u->guarded && READ_ONCE(tramp_guard_test_detections))
			break;
		cond_resched();
	}
	complete(&u->done);
	return 0;
}

static const bool uaf_guarded[] = { true, false };

static void uaf_desc(const bool *guarded, char *desc)
{
	strscpy(desc, *guarded ? "guarded" : "control: unhooked", KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(uaf, uaf_guarded, uaf_desc);

/*
 * Callers on every CPU enter the current trampoline through a one-instruction
 * call site while an updater replaces and destroys it and a higher-priority
 * hog preempts the callers on one CPU. Freed memory runs a detector.
 * Guarded: no freed code ever runs. Unguarded (control): some does.
 */
static void test_uaf(struct kunit *test)
{
	bool guarded = *(const bool *)test->param_value;
	struct task_struct **callers, *hog, *updater;
	int first = cpumask_first(cpu_online_mask);
	int last = cpumask_last(cpu_online_mask);
	long detections;
	struct uaf *u;
	int cpu;

	/* Without irq-exit preemption the guarded case would pass trivially. */
	if (!preempt_model_preemptible())
		kunit_skip(test, "no preemption in the window in this preemption model");
	if (first == last)
		kunit_skip(test, "needs at least two online CPUs");
	callers = kunit_kcalloc(test, nr_cpu_ids, sizeof(*callers), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, callers);
	u = kunit_kzalloc(test, sizeof(*u), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, u);
	u->guarded = guarded;
	init_completion(&u->done);
	u->slot = tramp_guard_create(uaf_handler, u, TRAMP_GUARD_SITE_CALL);
	KUNIT_ASSERT_NOT_NULL(test, u->slot);
	u->call_site = tramp_guard_alloc(TRAMP_GUARD_ALIGN);
	KUNIT_ASSERT_NOT_NULL(test, u->call_site);
	KUNIT_ASSERT_EQ(test, tramp_guard_write(u->call_site, __tramp_guard_test_call_stub,
						__tramp_guard_test_call_stub_end -
						__tramp_guard_test_call_stub), 0);
	KUNIT_ASSERT_TRUE(test, tramp_guard_kunit_detectors_ready());

	WRITE_ONCE(tramp_guard_test_detections, 0);
	WRITE_ONCE(__tramp_guard_test_reclaim_fill, tramp_guard_kunit_fill);
	WRITE_ONCE(__tramp_guard_test_unhook, !guarded);
	for_each_online_cpu(cpu) {
		callers[cpu] = kthread_run_on_cpu(uaf_caller, u, cpu, "tg_caller/%u");
		KUNIT_ASSERT_FALSE(test, IS_ERR(callers[cpu]));
	}
	/* Keeps a preempted caller off its CPU for HOG_BUSY_MS at a time. */
	hog = kthread_create_on_cpu(tramp_guard_kunit_hog, (void *)HOG_BUSY_MS, last,
				    "tg_hog/%u");
	KUNIT_ASSERT_FALSE(test, IS_ERR(hog));
	sched_set_fifo(hog);
	wake_up_process(hog);
	updater = kthread_create_on_cpu(uaf_updater, u, first, "tg_update/%u");
	KUNIT_ASSERT_FALSE(test, IS_ERR(updater));
	get_task_struct(updater);
	wake_up_process(updater);

	wait_for_completion(&u->done);
	kthread_stop_put(updater);
	kthread_stop(hog);
	for_each_online_cpu(cpu)
		kthread_stop(callers[cpu]);
	WRITE_ONCE(__tramp_guard_test_unhook, false);
	tramp_guard_destroy(u->slot);
	tramp_guard_free(u->call_site);
	tramp_guard_synchronize();
	detections = READ_ONCE(tramp_guard_test_detections);

	kunit_info(test, "%s: %lu replacements, %ld calls, %lu waits for a full region, %ld detections\n",
		   guarded ? "guarded" : "control", u->replacements,
		   atomic_long_read(&u->calls), u->full, detections);
	KUNIT_EXPECT_GT(test, atomic_long_read(&u->calls), 0);
	if (guarded) {
		KUNIT_EXPECT_EQ(test, detections, 0);
	} else {
		KUNIT_EXPECT_GT_MSG(test, detections, 0, "after %lu replacements",
				    u->replacements);
	}
}

static struct kunit_case guard_cases[] = {
	KUNIT_CASE_PARAM(test_abi, abi_gen_params),
	KUNIT_CASE(test_own_body),
	KUNIT_CASE_PARAM(test_window, window_gen_params),
	KUNIT_CASE_PARAM_ATTR(test_uaf, uaf_gen_params, {.speed = KUNIT_SPEED_SLOW}),
	{}
};

static struct kunit_suite guard_suite = {
	.name = "tramp_guard_handler",
	.suite_init = tramp_guard_kunit_log_phase,
	.init = guard_case_init,
	.exit = guard_case_exit,
	.test_cases = guard_cases,
};

kunit_test_suites(&guard_suite);

MODULE_DESCRIPTION("KUnit tests for the tramp_guard entry hook and exit stub");
MODULE_LICENSE("GPL");
