// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for BPF fentry/fexit detach with ftrace's guarded shutdown
 * (CONFIG_FTRACE_TRAMP_GUARD, BPF trampolines on ftrace direct calls).
 *
 * The BPF trampoline's ftrace_ops is %FTRACE_OPS_FL_DIRECT_MANAGED: its
 * images have their own RCU Tasks chain, so detaching the last program
 * from a function waits one normal RCU grace period in ftrace_shutdown()
 * instead of RCU Tasks Rude + RCU Tasks. Each program counts its runs in
 * an array map (tramp_guard_bpf_kunit_util.c); a link is detached by
 * closing its file synchronously, as the last close() of a link fd does.
 * The cases check:
 *
 * - a run per call, fentry and fexit, and which shutdown ftrace took in
 *   each mode (off keeps both RCU Tasks waits);
 * - attach and detach many times; two programs on one function (the image
 *   is replaced, then the last one is detached);
 * - a second ftrace_ops on the function, so that the list function reads
 *   the BPF trampoline's ops: a list walk in flight across the detach has
 *   ended before the detach returns. The negative control skips the grace
 *   period and must catch it;
 * - a caller preempted on its way to the image across the last detach of
 *   a program only its link held still runs that program (the image holds
 *   its programs until its own RCU Tasks chain has ended);
 * - the detach does not wait for a CPU-bound RCU Tasks holdout, and with
 *   ftrace.tramp_guard=off it does;
 * - attach/detach rounds with callers on every CPU preempted by a
 *   SCHED_FIFO hog (a KASAN kernel reports a use of the freed ops).
 *
 * The traced function is tg_ftrace_target() (tramp_guard_ftrace_kunit_util.c).
 */

#include <kunit/test.h>
#include <linux/cpumask.h>
#include <linux/ftrace.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/sched.h>
#include <linux/sched/task.h>

#include "tramp_guard_kunit.h"

#define TGB_CALLS		10
#define TGB_ROUNDS		64
/* Per param: 1000 attach/last-detach rounds in all. */
#define TGB_STRESS_ROUNDS	500
/* How long the shared ops' callback holds a list walk open. */
#define TGB_HOLD_MS		300
/* A CPU-bound thread that never schedules voluntarily, this long. */
#define TGB_HOLDOUT_S		5
#define TGB_HOG_BUSY_MS		60
/* The stress stops here whatever its rounds (KUnit's timeout is 300 s). */
#define TGB_BUDGET_S		240

/* Previous ftrace.tramp_guard mode, restored by the case exit. */
static const char *tgb_saved_mode;

static void tgb_attach_ok(struct kunit *test, struct tg_bpf_prog *p)
{
	KUNIT_ASSERT_EQ_MSG(test, tg_bpf_attach(p), 0, "BPF_LINK_CREATE");
}

static void tgb_call(unsigned int n)
{
	unsigned long x = 0;

	while (n--)
		tg_ftrace_target(&x);
}

/* What one last detach in @mode adds to ftrace's counters. */
static struct ftrace_tramp_guard_stats tgb_want_detach(const char *mode)
{
	if (!strcmp(mode, "off"))
		return (struct ftrace_tramp_guard_stats){ .wait_off = 1 };
	return (struct ftrace_tramp_guard_stats){
		.shutdown_guarded = 1,
		.shutdown_guarded_no_tramp = 1,
		.shutdown_guarded_direct = 1,
	};
}

static int tgb_case_init(struct kunit *test)
{
	tgb_saved_mode = ftrace_tramp_guard_test_set_mode("on");
	return tgb_saved_mode ? 0 : -EINVAL;
}

static void tgb_case_exit(struct kunit *test)
{
	if (tgb_saved_mode)
		ftrace_tramp_guard_test_set_mode(tgb_saved_mode);
}

/* ---- one program ---- */

struct tgb_mode_case {
	const char *name;
	enum bpf_attach_type type;
	const char *mode;
};

static const struct tgb_mode_case tgb_mode_cases[] = {
	{ "fentry, on", BPF_TRACE_FENTRY, "on" },
	{ "fexit, on", BPF_TRACE_FEXIT, "on" },
	{ "fentry, expedited", BPF_TRACE_FENTRY, "expedited" },
	{ "fentry, off", BPF_TRACE_FENTRY, "off" },
	{ "fexit, off", BPF_TRACE_FEXIT, "off" },
};

static void tgb_mode_desc(const struct tgb_mode_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(tgb_mode, tgb_mode_cases, tgb_mode_desc);

/*
 * A program runs once per call while attached and not after its detach;
 * the detach takes the shutdown its mode says. Catches the flag lost by
 * register_ftrace_direct() (wait_direct instead), a shutdown that ignores
 * off, and a guarded detach that leaves the site patched.
 */
static void test_bpf_runs(struct kunit *test)
{
	const struct tgb_mode_case *c = test->param_value;
	struct ftrace_tramp_guard_stats s0, s1, want = tgb_want_detach(c->mode);
	struct tg_bpf_prog *p = tg_bpf_load(test, c->type);

	tg_set_mode(test, c->mode);
	tgb_attach_ok(test, p);
	tgb_call(TGB_CALLS);
	KUNIT_EXPECT_EQ(test, tg_bpf_count(p), TGB_CALLS);

	ftrace_tramp_guard_get_stats(&s0);
	tg_bpf_detach(p);
	ftrace_tramp_guard_get_stats(&s1);
	tg_expect_stats(test, "last detach", &s0, &s1, &want);
	tgb_call(TGB_CALLS);
	KUNIT_EXPECT_EQ(test, tg_bpf_count(p), TGB_CALLS);
}

/* ---- many attaches, two programs ---- */

/*
 * The same program attached and detached again and again (a tracer that
 * comes and goes): every detach is a guarded last detach, and the
 * trampoline's ops keeps its flag across re-registration.
 */
static void test_bpf_attach_detach_many(struct kunit *test)
{
	struct ftrace_tramp_guard_stats s0, s1, want = { };
	struct tg_bpf_prog *p = tg_bpf_load(test, BPF_TRACE_FENTRY);
	unsigned int i;

	ftrace_tramp_guard_get_stats(&s0);
	for (i = 0; i < TGB_ROUNDS; i++) {
		tgb_attach_ok(test, p);
		tgb_call(1);
		tg_bpf_detach(p);
		tgb_call(1);
	}
	ftrace_tramp_guard_get_stats(&s1);
	KUNIT_EXPECT_EQ(test, tg_bpf_count(p), TGB_ROUNDS);
	want.shutdown_guarded = TGB_ROUNDS;
	want.shutdown_guarded_no_tramp = TGB_ROUNDS;
	want.shutdown_guarded_direct = TGB_ROUNDS;
	tg_expect_stats(test, "attach/detach rounds", &s0, &s1, &want);
}

/*
 * fentry and fexit on one function share one trampoline: the second attach
 * and the first detach replace its image (modify_ftrace_direct(), no
 * shutdown), the last detach unregisters its ops.
 */
static void test_bpf_two_progs(struct kunit *test)
{
	struct ftrace_tramp_guard_stats s0, s1, s2, want = { };
	struct tg_bpf_prog *a = tg_bpf_load(test, BPF_TRACE_FENTRY);
	struct tg_bpf_prog *b = tg_bpf_load(test, BPF_TRACE_FEXIT);

	tgb_attach_ok(test, a);
	tgb_attach_ok(test, b);
	tgb_call(TGB_CALLS);
	KUNIT_EXPECT_EQ(test, tg_bpf_count(a), TGB_CALLS);
	KUNIT_EXPECT_EQ(test, tg_bpf_count(b), TGB_CALLS);

	ftrace_tramp_guard_get_stats(&s0);
	tg_bpf_detach(a);
	ftrace_tramp_guard_get_stats(&s1);
	tg_expect_stats(test, "first detach", &s0, &s1, &want);
	tgb_call(TGB_CALLS);
	KUNIT_EXPECT_EQ(test, tg_bpf_count(a), TGB_CALLS);
	KUNIT_EXPECT_EQ(test, tg_bpf_count(b), 2 * TGB_CALLS);

	tg_bpf_detach(b);
	ftrace_tramp_guard_get_stats(&s2);
	want = tgb_want_detach("on");
	tg_expect_stats(test, "last detach", &s1, &s2, &want);
	tgb_call(TGB_CALLS);
	KUNIT_EXPECT_EQ(test, tg_bpf_count(b), 2 * TGB_CALLS);
}

/* ---- a shared site: the list function reads the trampoline's ops ---- */

struct tgb_hold {
	struct task_struct *caller;
	bool holding;		/* the callback holds the list walk open */
	bool detached;		/* the detach has returned */
	bool late;		/* ... while the walk was still open */
	atomic_t calls;
};

static void notrace tgb_hold_func(unsigned long ip, unsigned long parent_ip,
				  struct ftrace_ops *op, struct ftrace_regs *fregs)
{
	struct tgb_hold *h = container_of(op, struct tg_fops, ops)->ctx;
	u64 end = ktime_get_ns() + TGB_HOLD_MS * NSEC_PER_MSEC;

	atomic_inc(&h->calls);
	if (current != READ_ONCE(h->caller))
		return;
	WRITE_ONCE(h->holding, true);
	while (ktime_get_ns() < end && !READ_ONCE(h->detached))
		cpu_relax();
	WRITE_ONCE(h->late, READ_ONCE(h->detached));
}

static int tgb_hold_caller(void *arg)
{
	tgb_call(1);
	while (!kthread_should_stop())
		schedule_timeout_interruptible(1);
	return 0;
}

static const char * const tgb_hold_modes[] = { "on", "control" };

static void tgb_hold_desc(const char * const *mode, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s%s",
		 strcmp(*mode, "control") ? "" : "control: no grace period, ", *mode);
}

KUNIT_ARRAY_PARAM(tgb_hold, tgb_hold_modes, tgb_hold_desc);

/*
 * A second ops, registered first, shares the site: the site reaches the
 * list function, which walks the BPF trampoline's ops (added last, so
 * first) through call_direct_funcs() and then the second ops, whose
 * callback holds the walk open on another CPU. The detach must not return
 * before that walk has ended: after it, BPF frees the ops. The control
 * ("control": "on" with the shutdown's grace period skipped) must see the
 * detach return during the walk.
 */
static void test_bpf_shared_site(struct kunit *test)
{
	const char *mode = *(const char * const *)test->param_value;
	struct ftrace_tramp_guard_stats s0, s1, want = tgb_want_detach(mode);
	struct tgb_hold *h = kunit_kzalloc(test, sizeof(*h), GFP_KERNEL);
	struct tg_bpf_prog *p = tg_bpf_load(test, BPF_TRACE_FENTRY);
	struct task_struct *t;
	unsigned long timeout;

	KUNIT_ASSERT_NOT_NULL(test, h);
	if (num_online_cpus() < 2)
		kunit_skip(test, "needs two CPUs");
	tg_register(test, tg_fops_new(test, h, tgb_hold_func, 0));
	tgb_attach_ok(test, p);
	tgb_call(1);
	KUNIT_EXPECT_EQ(test, tg_bpf_count(p), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&h->calls), 1);
	tg_set_mode(test, mode);

	t = kthread_create_on_cpu(tgb_hold_caller, NULL, cpumask_last(cpu_online_mask),
				  "tgb_hold/%u");
	KUNIT_ASSERT_FALSE(test, IS_ERR(t));
	get_task_struct(t);
	WRITE_ONCE(h->caller, t);
	wake_up_process(t);
	timeout = jiffies + 10 * HZ;
	while (!READ_ONCE(h->holding) && time_before(jiffies, timeout))
		schedule_timeout_uninterruptible(1);
	KUNIT_EXPECT_TRUE_MSG(test, READ_ONCE(h->holding), "the caller never reached the list");

	ftrace_tramp_guard_get_stats(&s0);
	tg_bpf_detach(p);
	WRITE_ONCE(h->detached, true);
	ftrace_tramp_guard_get_stats(&s1);
	kthread_stop_put(t);

	tg_expect_stats(test, "last detach", &s0, &s1, &want);
	if (!strcmp(mode, "control"))
		KUNIT_EXPECT_TRUE_MSG(test, READ_ONCE(h->late),
				      "the control's detach waited for the walk");
	else
		KUNIT_EXPECT_FALSE_MSG(test, READ_ONCE(h->late),
				       "the detach returned during a list walk");
	/* The second ops stays on the site, the program is gone. */
	tgb_call(1);
	KUNIT_EXPECT_EQ(test, atomic_read(&h->calls), 3);
	KUNIT_EXPECT_EQ(test, tg_bpf_count(p), 2);
}

/* ---- a caller parked on its way to the image ---- */

struct tgb_park {
	struct task_struct *caller, *parker;
	bool parked;		/* the parker runs: the caller is preempted */
	bool release;
	bool called;		/* the caller's call has returned */
	atomic_t calls;
};

/*
 * The second ops' callback, in the list function after call_direct_funcs()
 * has chosen the image: wake a SCHED_FIFO thread on this CPU, so that the
 * caller is preempted as soon as it may be, with the image's address in
 * hand (x86: when the list function enables preemption again, before
 * ftrace_regs_caller jumps through ORIG_RAX; arm64: in
 * __tramp_guard_exit_direct, before br x17).
 */
static void notrace tgb_park_func(unsigned long ip, unsigned long parent_ip,
				  struct ftrace_ops *op, struct ftrace_regs *fregs)
{
	struct tgb_park *k = container_of(op, struct tg_fops, ops)->ctx;

	atomic_inc(&k->calls);
	if (current == READ_ONCE(k->caller))
		wake_up_process(k->parker);
}

/* Keeps the CPU from the preempted caller until released (10 s at most). */
static int tgb_parker(void *arg)
{
	struct tgb_park *k = arg;
	u64 end = ktime_get_ns() + 10 * NSEC_PER_SEC;

	WRITE_ONCE(k->parked, true);
	while (!READ_ONCE(k->release) && ktime_get_ns() < end)
		cpu_relax();
	while (!kthread_should_stop())
		schedule_timeout_interruptible(1);
	return 0;
}

static int tgb_park_caller(void *arg)
{
	struct tgb_park *k = arg;

	tgb_call(1);
	WRITE_ONCE(k->called, true);
	while (!kthread_should_stop())
		schedule_timeout_interruptible(1);
	return 0;
}

static void tgb_wait_for(bool *flag)
{
	unsigned long timeout = jiffies + 10 * HZ;

	while (!READ_ONCE(*flag) && time_before(jiffies, timeout))
		schedule_timeout_uninterruptible(1);
}

/*
 * The program's own lifetime. A link holds the only reference to its
 * program (the program fd is closed after the attach, as a tracer that
 * keeps only links does), and a caller is preempted after the list
 * function chose the image, before the image calls the program. The last
 * detach then returns after one grace period, and puts the link's
 * reference: the program must outlive the parked caller, which then runs
 * it. Catches an image that does not hold its programs (the detach frees
 * the program: its id is gone while the caller still has to run it).
 */
static void test_bpf_parked_caller(struct kunit *test)
{
	struct tgb_park *k = kunit_kzalloc(test, sizeof(*k), GFP_KERNEL);
	struct tg_bpf_prog *p = tg_bpf_load(test, BPF_TRACE_FENTRY);
	int this_cpu = cpumask_first(cpu_online_mask);
	int cpu = cpumask_last(cpu_online_mask);
	struct bpf_prog *prog;
	bool alive;
	u64 before;
	u32 id;

	KUNIT_ASSERT_NOT_NULL(test, k);
	if (num_online_cpus() < 2)
		kunit_skip(test, "needs two CPUs");
	prog = bpf_prog_get(p->prog_fd);
	KUNIT_ASSERT_FALSE(test, IS_ERR(prog));
	id = prog->aux->id;
	bpf_prog_put(prog);
	tg_register(test, tg_fops_new(test, k, tgb_park_func, 0));
	tgb_attach_ok(test, p);
	tg_bpf_put_prog_fd(p);

	k->parker = kthread_create_on_cpu(tgb_parker, k, cpu, "tgb_park/%u");
	KUNIT_ASSERT_FALSE(test, IS_ERR(k->parker));
	get_task_struct(k->parker);
	sched_set_fifo(k->parker);
	k->caller = kthread_create_on_cpu(tgb_park_caller, k, cpu, "tgb_parked/%u");
	if (IS_ERR(k->caller)) {
		k->caller = NULL;
		WRITE_ONCE(k->release, true);
		wake_up_process(k->parker);
		kthread_stop_put(k->parker);
		KUNIT_FAIL_AND_ABORT(test, "kthread_create_on_cpu");
	}
	get_task_struct(k->caller);
	/* Off the parked CPU while the parker holds it. */
	set_cpus_allowed_ptr(current, cpumask_of(this_cpu));
	before = tg_bpf_count(p);
	wake_up_process(k->caller);
	tgb_wait_for(&k->parked);
	KUNIT_EXPECT_TRUE_MSG(test, READ_ONCE(k->parked), "the caller was never parked");
	KUNIT_EXPECT_FALSE(test, READ_ONCE(k->called));
	KUNIT_EXPECT_EQ(test, tg_bpf_count(p), before);

	tg_bpf_detach(p);
	prog = bpf_prog_by_id(id);
	alive = !IS_ERR(prog);
	if (alive)
		bpf_prog_put(prog);
	WRITE_ONCE(k->release, true);
	tgb_wait_for(&k->called);
	kthread_stop_put(k->caller);
	kthread_stop_put(k->parker);
	set_cpus_allowed_ptr(current, cpu_possible_mask);

	KUNIT_EXPECT_TRUE_MSG(test, alive, "the detach freed a program a parked caller had to run");
	/* The parked call ran the program, after its link was closed. */
	KUNIT_EXPECT_EQ(test, tg_bpf_count(p), before + 1);
}

/* ---- a holdout ---- */

struct tgb_holdout {
	u64 end;
	bool stop;		/* the detach has returned: end now */
	bool done;
};

/* Preemptible, CPU-bound, never schedules voluntarily: an RCU Tasks holdout. */
static int tgb_holdout_fn(void *arg)
{
	struct tgb_holdout *h = arg;

	while (ktime_get_ns() < h->end && !READ_ONCE(h->stop))
		cpu_relax();
	WRITE_ONCE(h->done, true);
	while (!kthread_should_stop())
		schedule_timeout_interruptible(1);
	return 0;
}

static const char * const tgb_holdout_modes[] = { "on", "off" };

static void tgb_holdout_desc(const char * const *mode, char *desc)
{
	strscpy(desc, *mode, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(tgb_holdout, tgb_holdout_modes, tgb_holdout_desc);

/*
 * The last detach while a thread runs CPU-bound for TGB_HOLDOUT_S seconds:
 * guarded, it returns while the holdout still runs (it waits for no RCU
 * Tasks grace period); with off, only after the holdout has ended.
 */
static void test_bpf_holdout(struct kunit *test)
{
	const char *mode = *(const char * const *)test->param_value;
	struct tgb_holdout *h = kunit_kzalloc(test, sizeof(*h), GFP_KERNEL);
	struct tg_bpf_prog *p = tg_bpf_load(test, BPF_TRACE_FEXIT);
	struct task_struct *t;
	bool during;

	KUNIT_ASSERT_NOT_NULL(test, h);
	if (num_online_cpus() < 2)
		kunit_skip(test, "needs two CPUs");
	if (!IS_ENABLED(CONFIG_PREEMPTION))
		kunit_skip(test, "without preemption the holdout holds off every grace period");
	tg_set_mode(test, mode);
	tgb_attach_ok(test, p);
	tgb_call(1);

	h->end = ktime_get_ns() + TGB_HOLDOUT_S * NSEC_PER_SEC;
	t = kthread_run_on_cpu(tgb_holdout_fn, h, cpumask_last(cpu_online_mask),
			       "tgb_holdout/%u");
	KUNIT_ASSERT_FALSE(test, IS_ERR(t));
	get_task_struct(t);
	tg_bpf_detach(p);
	during = !READ_ONCE(h->done);
	WRITE_ONCE(h->stop, true);
	kthread_stop_put(t);

	kunit_info(test, "detach returned %s the holdout ended\n",
		   during ? "before" : "after");
	if (strcmp(mode, "off"))
		KUNIT_EXPECT_TRUE(test, during);
	else
		KUNIT_EXPECT_FALSE(test, during);
}

/* ---- stress ---- */

struct tgb_stress {
	struct tg_bpf_prog *prog;
	unsigned long rounds;
	int err;
	bool over_budget;
	unsigned long deadline;
	atomic_long_t shared_calls;
	struct completion done;
	struct task_struct *callers[NR_CPUS], *hog, *updater;
};

static void notrace tgb_count_func(unsigned long ip, unsigned long parent_ip,
				   struct ftrace_ops *op, struct ftrace_regs *fregs)
{
	struct tgb_stress *st = container_of(op, struct tg_fops, ops)->ctx;

	atomic_long_inc(&st->shared_calls);
}

static int tgb_stress_caller(void *arg)
{
	while (!kthread_should_stop()) {
		tgb_call(1);
		cond_resched();
	}
	return 0;
}

/* Half the rounds with the site shared (list function), half alone. */
static int tgb_updater(void *arg)
{
	struct tgb_stress *st = arg;

	while (st->rounds < TGB_STRESS_ROUNDS && !kthread_should_stop()) {
		if (time_after(jiffies, st->deadline)) {
			st->over_budget = true;
			break;
		}
		st->err = tg_bpf_attach(st->prog);
		if (st->err)
			break;
		cond_resched();
		tg_bpf_detach(st->prog);
		st->rounds++;
	}
	complete(&st->done);
	return 0;
}

static struct task_struct *tgb_thread(struct kunit *test, int (*fn)(void *), void *arg,
				      int cpu, const char *name)
{
	struct task_struct *t = kthread_create_on_cpu(fn, arg, cpu, name);

	KUNIT_EXPECT_FALSE_MSG(test, IS_ERR(t), "%s", name);
	if (IS_ERR(t))
		return NULL;
	get_task_struct(t);
	return t;
}

static void tgb_stress_run(struct kunit *test, struct tgb_stress *st)
{
	int cpu;

	init_completion(&st->done);
	st->deadline = jiffies + TGB_BUDGET_S * HZ;
	for_each_online_cpu(cpu) {
		st->callers[cpu] = tgb_thread(test, tgb_stress_caller, st, cpu, "tgb_call/%u");
		if (!st->callers[cpu])
			goto stop;
		wake_up_process(st->callers[cpu]);
	}
	st->hog = tgb_thread(test, tramp_guard_kunit_hog, (void *)TGB_HOG_BUSY_MS,
			     cpumask_last(cpu_online_mask), "tgb_hog/%u");
	if (!st->hog)
		goto stop;
	sched_set_fifo(st->hog);
	wake_up_process(st->hog);
	st->updater = tgb_thread(test, tgb_updater, st, cpumask_first(cpu_online_mask),
				 "tgb_upd/%u");
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
}

static const bool tgb_stress_shared[] = { false, true };

static void tgb_stress_desc(const bool *shared, char *desc)
{
	strscpy(desc, *shared ? "shared site" : "alone", KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(tgb_stress, tgb_stress_shared, tgb_stress_desc);

/*
 * TGB_STRESS_ROUNDS attach/last-detach rounds while callers on every CPU
 * call the target and a FIFO hog preempts them; with a second ops on the
 * site, every call walks the list, reading the trampoline's ops. A late
 * reader of a freed ops shows as a KASAN report, or as ftrace killing
 * itself on a cleared ops->func (the shared ops then stops being called).
 */
static void test_bpf_stress(struct kunit *test)
{
	bool shared = *(const bool *)test->param_value;
	struct tgb_stress *st = kunit_kzalloc(test, sizeof(*st), GFP_KERNEL);
	long before;

	KUNIT_ASSERT_NOT_NULL(test, st);
	st->prog = tg_bpf_load(test, BPF_TRACE_FENTRY);
	if (shared)
		tg_register(test, tg_fops_new(test, st, tgb_count_func, 0));
	tgb_stress_run(test, st);

	kunit_info(test, "%lu rounds, %llu program runs, %ld shared-ops calls%s\n",
		   st->rounds, tg_bpf_count(st->prog), atomic_long_read(&st->shared_calls),
		   st->over_budget ? ", over budget" : "");
	KUNIT_EXPECT_EQ_MSG(test, st->err, 0, "BPF_LINK_CREATE");
	KUNIT_EXPECT_EQ(test, st->rounds, TGB_STRESS_ROUNDS);
	KUNIT_EXPECT_GT(test, tg_bpf_count(st->prog), 0);
	if (!shared)
		return;
	/* ftrace still calls the shared ops. */
	before = atomic_long_read(&st->shared_calls);
	tgb_call(1);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&st->shared_calls), before + 1);
}

static struct kunit_case tgb_cases[] = {
	KUNIT_CASE_PARAM(test_bpf_runs, tgb_mode_gen_params),
	KUNIT_CASE(test_bpf_attach_detach_many),
	KUNIT_CASE(test_bpf_two_progs),
	KUNIT_CASE_PARAM(test_bpf_shared_site, tgb_hold_gen_params),
	KUNIT_CASE(test_bpf_parked_caller),
	KUNIT_CASE_PARAM_ATTR(test_bpf_holdout, tgb_holdout_gen_params,
			      { .speed = KUNIT_SPEED_SLOW }),
	KUNIT_CASE_PARAM_ATTR(test_bpf_stress, tgb_stress_gen_params,
			      { .speed = KUNIT_SPEED_SLOW }),
	{}
};

static struct kunit_suite tgb_suite = {
	.name = "tramp_guard_bpf",
	.suite_init = tramp_guard_kunit_log_phase,
	.init = tgb_case_init,
	.exit = tgb_case_exit,
	.test_cases = tgb_cases,
};

kunit_test_suite(tgb_suite);

MODULE_DESCRIPTION("KUnit tests for BPF trampoline detach with tramp_guard");
MODULE_LICENSE("GPL");
