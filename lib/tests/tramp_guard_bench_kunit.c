// SPDX-License-Identifier: GPL-2.0
/*
 * tramp_guard benchmark: what it buys and what it costs against RCU Tasks,
 * side by side in one boot. A KUnit suite outside the default test run
 * (CONFIG_TRAMP_GUARD_BENCH). It measures once the system runs, triggered
 * through /sys/kernel/debug/kunit/tramp_guard_bench/run: built-in suites run
 * at boot, before rcu_end_inkernel_boot(), where every normal grace period
 * is expedited and the figures would describe a mode nobody runs in
 * (tramp_guard_bench.at_boot=1 measures there anyway). Output lines:
 *   P <phase> rcu_gp_is_expedited()=<0|1>	before each case's figures
 *   S <metric> <ns>...	raw samples, in nanoseconds
 *   V <metric> <value>	a single figure
 * Timing is never asserted: on emulated or shared machines only ratios
 * mean much.
 */

#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/delay.h>
#include <linux/fprobe.h>
#include <linux/ftrace.h>
#include <linux/kthread.h>
#include <linux/moduleparam.h>
#include <linux/ptrace.h>
#include <linux/random.h>
#include <linux/rcupdate.h>
#include <linux/rcupdate_wait.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/tramp_guard.h>
#include <asm/tramp_guard.h>

#include "tramp_guard_kunit.h"

#undef MODULE_PARAM_PREFIX
#define MODULE_PARAM_PREFIX "tramp_guard_bench."

static unsigned int rounds = 100;
module_param(rounds, uint, 0444);
MODULE_PARM_DESC(rounds, "Rounds per latency measurement (>= 100 for percentiles)");
static unsigned int holdout_seconds = 5;
module_param(holdout_seconds, uint, 0444);
MODULE_PARM_DESC(holdout_seconds, "How long the CPU-bound holdout thread runs");
static unsigned long calls = 1000000;
module_param(calls, ulong, 0444);
MODULE_PARM_DESC(calls, "Calls per per-call-cost measurement");
static bool at_boot;
module_param(at_boot, bool, 0444);
MODULE_PARM_DESC(at_boot, "Measure during boot too, where normal grace periods are expedited");
static unsigned int churn_seconds = 10;
module_param(churn_seconds, uint, 0444);
MODULE_PARM_DESC(churn_seconds, "Duration of the create+destroy throughput run");

#define SAMPLES_PER_LINE 16

static void emit_samples(const char *metric, const u64 *ns, unsigned int n)
{
	char line[SAMPLES_PER_LINE * 21 + 1];
	unsigned int i, len = 0;

	for (i = 0; i < n; i++) {
		len += scnprintf(line + len, sizeof(line) - len, " %llu", ns[i]);
		if ((i + 1) % SAMPLES_PER_LINE == 0 || i + 1 == n) {
			pr_info("tramp_guard_bench: S %s%s\n", metric, line);
			len = 0;
		}
	}
}

static void emit_value(const char *metric, u64 num, u64 den)
{
	/* Three decimals without floating point. */
	u64 milli = div64_u64(num * 1000, den);

	pr_info("tramp_guard_bench: V %s %llu.%03llu\n", metric, milli / 1000, milli % 1000);
}

static int bench_init(struct kunit *test)
{
	struct tramp_guard_stats st;

	tramp_guard_get_stats(&st);
	if (!st.region_size)
		kunit_skip(test, "tramp_guard region not available");
	return 0;
}

/*
 * Whether to measure now. Not during boot unless asked: a skip there would
 * stick to the case, and kunit_run_tests() would skip it again when the suite
 * is run through debugfs after boot, so the case passes having measured
 * nothing, and says so.
 */
static bool measure_now(struct kunit *test)
{
	if (!at_boot && !tramp_guard_kunit_after_boot()) {
		kunit_info(test,
			   "not measured during boot: normal grace periods are expedited until the system runs\n");
		return false;
	}
	/* Every figure is read with the phase it was taken in. */
	pr_info("tramp_guard_bench: P %s rcu_gp_is_expedited()=%d\n",
		tramp_guard_kunit_after_boot() ? "after-boot" : "boot", rcu_gp_is_expedited());
	return true;
}

static noinline void bench_handler(void *data, unsigned long ret_ip)
{
	barrier();
}

/* ---- free-to-reuse latency ---- */

enum wait_kind { TG, TG_EXP, RCU, RCU_ANY_PHASE, RCU_EXP, TASKS, RUDE, RUDE_TASKS };

static const char * const wait_names[] = {
	[TG] = "tramp_guard", [TG_EXP] = "tramp_guard_expedited",
	[RCU] = "synchronize_rcu", [RCU_ANY_PHASE] = "synchronize_rcu_any_phase",
	[RCU_EXP] = "synchronize_rcu_expedited",
	[TASKS] = "synchronize_rcu_tasks", [RUDE] = "synchronize_rcu_tasks_rude",
	[RUDE_TASKS] = "tasks_rude+tasks",
};

/* One round: from making a trampoline unreachable until it may be reused. */
static u64 reuse_round(struct kunit *test, enum wait_kind kind)
{
	void *t = NULL;
	u64 t0;

	if (kind == TG || kind == TG_EXP) {
		t = tramp_guard_create(bench_handler, NULL, TRAMP_GUARD_SITE_CALL);
		KUNIT_ASSERT_NOT_NULL(test, t);
	}
	/*
	 * Back to back, synchronize_rcu() calls settle on one phase of the
	 * tick; a tracer's wait starts anywhere in a tick. Spin a random part
	 * of a tick first to see what the phase changes.
	 */
	if (kind == RCU_ANY_PHASE)
		udelay(get_random_u32_below(USEC_PER_SEC / HZ));
	t0 = ktime_get_ns();
	switch (kind) {
	case TG:
		tramp_guard_destroy(t);
		tramp_guard_synchronize();
		break;
	case TG_EXP:
		tramp_guard_destroy(t);
		tramp_guard_synchronize_expedited();
		break;
	case RCU:
	case RCU_ANY_PHASE:
		synchronize_rcu();
		break;
	case RCU_EXP:
		synchronize_rcu_expedited();
		break;
	case TASKS:
		synchronize_rcu_tasks();
		break;
	case RUDE:
		synchronize_rcu_tasks_rude();
		break;
	case RUDE_TASKS:
		synchronize_rcu_tasks_rude();
		synchronize_rcu_tasks();
		break;
	}
	return ktime_get_ns() - t0;
}

static void measure_reuse(struct kunit *test, const char *prefix,
			  enum wait_kind kind, unsigned int n)
{
	u64 *ns = kunit_kcalloc(test, n, sizeof(*ns), GFP_KERNEL);
	char metric[96];
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, ns);
	for (i = 0; i < n; i++)
		ns[i] = reuse_round(test, kind);
	snprintf(metric, sizeof(metric), "%s/%s", prefix, wait_names[kind]);
	emit_samples(metric, ns, n);
}

/* Every way to wait before reusing trampoline memory, idle system. */
static void bench_reuse(struct kunit *test)
{
	enum wait_kind k;

	if (!measure_now(test))
		return;
	for (k = TG; k <= RUDE_TASKS; k++)
		measure_reuse(test, "reuse", k, rounds);
}

/* ---- holdout ---- */

struct holdout {
	u64 end;
	struct completion started;
};

/* Preemptible, CPU-bound, never schedules voluntarily: an RCU Tasks holdout. */
static int holdout_fn(void *arg)
{
	struct holdout *h = arg;

	complete(&h->started);
	while (ktime_get_ns() < h->end)
		cpu_relax();
	return 0;
}

static void start_holdout(struct kunit *test, struct holdout *h)
{
	struct task_struct *t;

	h->end = ktime_get_ns() + holdout_seconds * NSEC_PER_SEC;
	init_completion(&h->started);
	t = kthread_run_on_cpu(holdout_fn, h, cpumask_last(cpu_online_mask), "tg_holdout/%u");
	KUNIT_ASSERT_FALSE(test, IS_ERR(t));
	wait_for_completion(&h->started);
}

/* The same while a holdout runs for holdout_seconds: RCU Tasks waits it out. */
static void bench_holdout(struct kunit *test)
{
	struct holdout h;

	if (!measure_now(test))
		return;
	if (num_online_cpus() < 2)
		kunit_skip(test, "needs two CPUs");
	emit_value("holdout/seconds", holdout_seconds, 1);
	start_holdout(test, &h);
	measure_reuse(test, "holdout", TASKS, 1);
	/* Wait for the first holdout to end before starting the second. */
	while (ktime_get_ns() < h.end)
		schedule_timeout_idle(1);
	start_holdout(test, &h);
	measure_reuse(test, "holdout", TG, rounds);
	measure_reuse(test, "holdout", TG_EXP, rounds);
	emit_value("holdout/tramp_guard_rounds_done_before_holdout_ended",
		   ktime_get_ns() < h.end, 1);
	while (ktime_get_ns() < h.end)
		schedule_timeout_idle(1);
}

/* ---- per-call cost ---- */

static u64 time_calls(void (*fn)(void), unsigned long n)
{
	unsigned long i;
	u64 t0;

	OPTIMIZER_HIDE_VAR(fn);
	t0 = ktime_get_ns();
	for (i = 0; i < n; i++)
		fn();
	return ktime_get_ns() - t0;
}

static void direct_call(void)
{
	bench_handler(NULL, _RET_IP_);
}

/*
 * The same trampoline without the guard: landing pad instead of prologue,
 * and a jump to a plain return in kernel text instead of the exit stub.
 */
static void *unguarded_trampoline(struct kunit *test)
{
	size_t pad = __tramp_guard_test_plain_entry_end - __tramp_guard_test_plain_entry;
	u8 buf[4 * TRAMP_GUARD_ALIGN];
	void *t = tramp_guard_alloc(sizeof(buf));
	int body, ret;

	KUNIT_ASSERT_NOT_NULL(test, t);
	memcpy(buf, __tramp_guard_test_plain_entry, pad);
	body = arch_tramp_guard_emit_body(buf + pad, (unsigned long)t + pad,
					  bench_handler, NULL, TRAMP_GUARD_SITE_CALL);
	KUNIT_ASSERT_GT(test, body, 0);
	ret = arch_tramp_guard_emit_jump(buf + pad + body, (unsigned long)t + pad + body,
					 __tramp_guard_test_plain_ret);
	KUNIT_ASSERT_GT(test, ret, 0);
	KUNIT_ASSERT_EQ(test, tramp_guard_write(t, buf, pad + body + ret), 0);
	return t;
}

/* ns per call: guarded vs the same trampoline unguarded vs a direct call. */
static void bench_per_call(struct kunit *test)
{
	u64 g = U64_MAX, p = U64_MAX, d = U64_MAX;
	void *guarded, *plain;
	int rep;

	if (!measure_now(test))
		return;
	guarded = tramp_guard_create(bench_handler, NULL, TRAMP_GUARD_SITE_CALL);
	plain = unguarded_trampoline(test);
	KUNIT_ASSERT_NOT_NULL(test, guarded);
	migrate_disable();
	/* Interleaved repetitions, best of each: least disturbed by the host. */
	for (rep = 0; rep < 7; rep++) {
		g = min(g, time_calls(guarded, calls));
		p = min(p, time_calls(plain, calls));
		d = min(d, time_calls(direct_call, calls));
	}
	migrate_enable();
	emit_value("percall/guarded_ns", g, calls);
	emit_value("percall/unguarded_ns", p, calls);
	emit_value("percall/direct_ns", d, calls);
	emit_value("percall/ratio_guarded_unguarded", g, p);
	tramp_guard_destroy(guarded);
	tramp_guard_free(plain);
	tramp_guard_synchronize();
}

/* ---- interrupt cost ---- */

static void noop_ipi(void *info)
{
}

/* The entry hook as compiled, in and out of the region; an IPI round trip. */
static void bench_irq(struct kunit *test)
{
	const unsigned long n = 10 * calls;
	struct tramp_guard_stats st;
	struct pt_regs regs = { };
	struct pt_regs *r = &regs;
	u64 t0, base, out, in;
	unsigned long i;
	int cpu;

	if (!measure_now(test))
		return;
	tramp_guard_get_stats(&st);
	t0 = ktime_get_ns();
	for (i = 0; i < n; i++) {
		OPTIMIZER_HIDE_VAR(r);
		barrier();
	}
	base = ktime_get_ns() - t0;

	instruction_pointer_set(&regs, (unsigned long)bench_irq);
	t0 = ktime_get_ns();
	for (i = 0; i < n; i++) {
		OPTIMIZER_HIDE_VAR(r);
		tramp_guard_irq_exit(tramp_guard_irq_enter(r));
	}
	out = ktime_get_ns() - t0;

	instruction_pointer_set(&regs, st.region_start);
	t0 = ktime_get_ns();
	for (i = 0; i < n; i++) {
		OPTIMIZER_HIDE_VAR(r);
		tramp_guard_irq_exit(tramp_guard_irq_enter(r));
	}
	in = ktime_get_ns() - t0;

	emit_value("irq/hook_outside_region_ns", out > base ? out - base : 0, n);
	emit_value("irq/hook_inside_region_ns", in > base ? in - base : 0, n);

	cpu = cpumask_any_but(cpu_online_mask, raw_smp_processor_id());
	if (cpu < nr_cpu_ids) {
		u64 *ns = kunit_kcalloc(test, rounds * 10, sizeof(*ns), GFP_KERNEL);

		KUNIT_ASSERT_NOT_NULL(test, ns);
		for (i = 0; i < rounds * 10; i++) {
			t0 = ktime_get_ns();
			smp_call_function_single(cpu, noop_ipi, NULL, 1);
			ns[i] = ktime_get_ns() - t0;
		}
		emit_samples("irq/ipi_round_trip", ns, rounds * 10);
	}
}

/* ---- scale ---- */

static u64 time_lookups(unsigned long start, unsigned long size, unsigned long n)
{
	unsigned long i, a = start, hits = 0;
	u64 t0 = ktime_get_ns();

	for (i = 0; i < n; i++) {
		/* Walk inside and around the region so the branch cannot settle. */
		a += 4093;
		if (a >= start + 2 * size)
			a = start - size;
		OPTIMIZER_HIDE_VAR(a);
		hits += tramp_guard_contains(a);
	}
	OPTIMIZER_HIDE_VAR(hits);
	return ktime_get_ns() - t0;
}

/* Lookup is flat in the number of trampolines; throughput; bytes each. */
static void bench_scale(struct kunit *test)
{
	struct tramp_guard_stats st, one;
	unsigned long live = 0, cap, ops = 0, i;
	const unsigned long n = 10 * calls;
	void **t;
	u64 end;

	if (!measure_now(test))
		return;
	tramp_guard_synchronize();
	tramp_guard_get_stats(&st);
	cap = st.region_size / TRAMP_GUARD_ALIGN;
	t = kvcalloc(cap, sizeof(*t), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, t);

	t[live++] = tramp_guard_create(bench_handler, NULL, TRAMP_GUARD_SITE_CALL);
	KUNIT_ASSERT_NOT_NULL(test, t[0]);
	tramp_guard_get_stats(&one);
	emit_value("scale/region_bytes_per_trampoline", one.bytes_live - st.bytes_live, 1);
	emit_value("scale/lookup_ns_1_live", time_lookups(st.region_start, st.region_size, n), n);
	while (live < 100)
		t[live++] = tramp_guard_create(bench_handler, NULL, TRAMP_GUARD_SITE_CALL);
	emit_value("scale/lookup_ns_100_live", time_lookups(st.region_start, st.region_size, n), n);
	while (live < cap &&
	       (t[live] = tramp_guard_create(bench_handler, NULL, TRAMP_GUARD_SITE_CALL)))
		live++;
	emit_value("scale/max_live_trampolines", live, 1);
	emit_value("scale/lookup_ns_max_live", time_lookups(st.region_start, st.region_size, n), n);
	for (i = 0; i < live; i++)
		tramp_guard_destroy(t[i]);
	kvfree(t);
	tramp_guard_synchronize();

	end = ktime_get_ns() + churn_seconds * NSEC_PER_SEC;
	while (ktime_get_ns() < end) {
		void *p = tramp_guard_create(bench_handler, NULL, TRAMP_GUARD_SITE_CALL);

		if (!p) {
			tramp_guard_synchronize();
			continue;
		}
		tramp_guard_destroy(p);
		ops++;
		cond_resched();
	}
	emit_value("scale/create_destroy_per_second", ops, churn_seconds);
	tramp_guard_synchronize();
}

/* ---- ftrace: dynamic ops on guarded trampolines vs ftrace.tramp_guard=off ---- */

#ifdef CONFIG_FTRACE_TRAMP_GUARD
static noinline __noclone void bench_traced(unsigned long *p)
{
	WRITE_ONCE(*p, READ_ONCE(*p) + 1);
}

static void notrace bench_ftrace_cb(unsigned long ip, unsigned long parent_ip,
				    struct ftrace_ops *op, struct ftrace_regs *fregs)
{
}

static const char * const bench_modes[] = { "on", "off", "expedited" };

/* Register and unregister latencies of one run, in one mode. */
struct attach_samples {
	u64 *reg, *unreg;
	const char *old_mode;
};

static void attach_begin(struct kunit *test, struct attach_samples *a,
			 const char *mode, unsigned int n)
{
	a->reg = kunit_kcalloc(test, n, sizeof(*a->reg), GFP_KERNEL);
	a->unreg = kunit_kcalloc(test, n, sizeof(*a->unreg), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, a->reg);
	KUNIT_ASSERT_NOT_NULL(test, a->unreg);
	a->old_mode = ftrace_tramp_guard_test_set_mode(mode);
	KUNIT_ASSERT_NOT_NULL(test, a->old_mode);
}

static void attach_end(struct attach_samples *a, const char *prefix,
		       const char *mode, unsigned int n)
{
	char metric[96];

	ftrace_tramp_guard_test_set_mode(a->old_mode);
	snprintf(metric, sizeof(metric), "%s/register_%s", prefix, mode);
	emit_samples(metric, a->reg, n);
	snprintf(metric, sizeof(metric), "%s/unregister_%s", prefix, mode);
	emit_samples(metric, a->unreg, n);
}

/*
 * What a tracer pays to attach to and detach from one function: a kzalloc'd
 * (dynamic) ops filtered on bench_traced(), registered, called once,
 * unregistered and freed, in ftrace.tramp_guard=@mode.
 */
static void measure_ftrace(struct kunit *test, const char *prefix,
			   const char *mode, unsigned int n)
{
	struct attach_samples a;
	unsigned long x = 0;
	unsigned int i;
	u64 t0;

	attach_begin(test, &a, mode, n);
	for (i = 0; i < n; i++) {
		struct ftrace_ops *ops = kzalloc(sizeof(*ops), GFP_KERNEL);

		KUNIT_ASSERT_NOT_NULL(test, ops);
		ops->func = bench_ftrace_cb;
		KUNIT_ASSERT_EQ(test, ftrace_set_filter_ip(ops, (unsigned long)bench_traced,
							   0, 0), 0);
		t0 = ktime_get_ns();
		KUNIT_ASSERT_EQ(test, register_ftrace_function(ops), 0);
		a.reg[i] = ktime_get_ns() - t0;
		bench_traced(&x);
		t0 = ktime_get_ns();
		unregister_ftrace_function(ops);
		a.unreg[i] = ktime_get_ns() - t0;
		ftrace_free_filter(ops);
		kfree(ops);
	}
	attach_end(&a, prefix, mode, n);
}

/*
 * 100 functions, each its own call site, for the teardown figures (ftrace
 * uses the first 64). The bodies differ (the constant added) so that no two
 * are folded into one; BPF finds them by name in vmlinux BTF.
 */
#define BENCH_FN(n)							\
static noinline __noclone void bench_fn_##n(unsigned long *p)		\
{									\
	WRITE_ONCE(*p, READ_ONCE(*p) + 0x##n);				\
}

BENCH_FN(00) BENCH_FN(01) BENCH_FN(02) BENCH_FN(03) BENCH_FN(04) BENCH_FN(05)
BENCH_FN(06) BENCH_FN(07) BENCH_FN(08) BENCH_FN(09) BENCH_FN(10) BENCH_FN(11)
BENCH_FN(12) BENCH_FN(13) BENCH_FN(14) BENCH_FN(15) BENCH_FN(16) BENCH_FN(17)
BENCH_FN(18) BENCH_FN(19) BENCH_FN(20) BENCH_FN(21) BENCH_FN(22) BENCH_FN(23)
BENCH_FN(24) BENCH_FN(25) BENCH_FN(26) BENCH_FN(27) BENCH_FN(28) BENCH_FN(29)
BENCH_FN(30) BENCH_FN(31) BENCH_FN(32) BENCH_FN(33) BENCH_FN(34) BENCH_FN(35)
BENCH_FN(36) BENCH_FN(37) BENCH_FN(38) BENCH_FN(39) BENCH_FN(40) BENCH_FN(41)
BENCH_FN(42) BENCH_FN(43) BENCH_FN(44) BENCH_FN(45) BENCH_FN(46) BENCH_FN(47)
BENCH_FN(48) BENCH_FN(49) BENCH_FN(50) BENCH_FN(51) BENCH_FN(52) BENCH_FN(53)
BENCH_FN(54) BENCH_FN(55) BENCH_FN(56) BENCH_FN(57) BENCH_FN(58) BENCH_FN(59)
BENCH_FN(60) BENCH_FN(61) BENCH_FN(62) BENCH_FN(63) BENCH_FN(64) BENCH_FN(65)
BENCH_FN(66) BENCH_FN(67) BENCH_FN(68) BENCH_FN(69) BENCH_FN(70) BENCH_FN(71)
BENCH_FN(72) BENCH_FN(73) BENCH_FN(74) BENCH_FN(75) BENCH_FN(76) BENCH_FN(77)
BENCH_FN(78) BENCH_FN(79) BENCH_FN(80) BENCH_FN(81) BENCH_FN(82) BENCH_FN(83)
BENCH_FN(84) BENCH_FN(85) BENCH_FN(86) BENCH_FN(87) BENCH_FN(88) BENCH_FN(89)
BENCH_FN(90) BENCH_FN(91) BENCH_FN(92) BENCH_FN(93) BENCH_FN(94) BENCH_FN(95)
BENCH_FN(96) BENCH_FN(97) BENCH_FN(98) BENCH_FN(99)

static void (* const bench_fns[])(unsigned long *) = {
	bench_fn_00, bench_fn_01, bench_fn_02, bench_fn_03, bench_fn_04, bench_fn_05,
	bench_fn_06, bench_fn_07, bench_fn_08, bench_fn_09, bench_fn_10, bench_fn_11,
	bench_fn_12, bench_fn_13, bench_fn_14, bench_fn_15, bench_fn_16, bench_fn_17,
	bench_fn_18, bench_fn_19, bench_fn_20, bench_fn_21, bench_fn_22, bench_fn_23,
	bench_fn_24, bench_fn_25, bench_fn_26, bench_fn_27, bench_fn_28, bench_fn_29,
	bench_fn_30, bench_fn_31, bench_fn_32, bench_fn_33, bench_fn_34, bench_fn_35,
	bench_fn_36, bench_fn_37, bench_fn_38, bench_fn_39, bench_fn_40, bench_fn_41,
	bench_fn_42, bench_fn_43, bench_fn_44, bench_fn_45, bench_fn_46, bench_fn_47,
	bench_fn_48, bench_fn_49, bench_fn_50, bench_fn_51, bench_fn_52, bench_fn_53,
	bench_fn_54, bench_fn_55, bench_fn_56, bench_fn_57, bench_fn_58, bench_fn_59,
	bench_fn_60, bench_fn_61, bench_fn_62, bench_fn_63, bench_fn_64, bench_fn_65,
	bench_fn_66, bench_fn_67, bench_fn_68, bench_fn_69, bench_fn_70, bench_fn_71,
	bench_fn_72, bench_fn_73, bench_fn_74, bench_fn_75, bench_fn_76, bench_fn_77,
	bench_fn_78, bench_fn_79, bench_fn_80, bench_fn_81, bench_fn_82, bench_fn_83,
	bench_fn_84, bench_fn_85, bench_fn_86, bench_fn_87, bench_fn_88, bench_fn_89,
	bench_fn_90, bench_fn_91, bench_fn_92, bench_fn_93, bench_fn_94, bench_fn_95,
	bench_fn_96, bench_fn_97, bench_fn_98, bench_fn_99,
};

#define BENCH_FTRACE_TEARDOWN	64

/*
 * A tracer leaving 64 functions (a perf or tracefs session ending, a
 * livepatch reverted): 64 dynamic ops, one per function, all registered
 * and called, then unregistered and freed one after another. One sample is
 * the whole teardown (and, as "register", the whole set-up).
 */
static void measure_teardown(struct kunit *test, const char *mode, unsigned int n)
{
	struct ftrace_ops *ops[BENCH_FTRACE_TEARDOWN];
	struct attach_samples a;
	unsigned long x = 0;
	unsigned int i, f;
	u64 t0;

	attach_begin(test, &a, mode, n);
	for (i = 0; i < n; i++) {
		for (f = 0; f < BENCH_FTRACE_TEARDOWN; f++) {
			ops[f] = kzalloc(sizeof(*ops[f]), GFP_KERNEL);
			KUNIT_ASSERT_NOT_NULL(test, ops[f]);
			ops[f]->func = bench_ftrace_cb;
			KUNIT_ASSERT_EQ(test,
					ftrace_set_filter_ip(ops[f], (unsigned long)bench_fns[f],
							     0, 0), 0);
		}
		t0 = ktime_get_ns();
		for (f = 0; f < BENCH_FTRACE_TEARDOWN; f++)
			KUNIT_ASSERT_EQ(test, register_ftrace_function(ops[f]), 0);
		a.reg[i] = ktime_get_ns() - t0;
		for (f = 0; f < BENCH_FTRACE_TEARDOWN; f++)
			bench_fns[f](&x);
		t0 = ktime_get_ns();
		for (f = 0; f < BENCH_FTRACE_TEARDOWN; f++) {
			unregister_ftrace_function(ops[f]);
			ftrace_free_filter(ops[f]);
			kfree(ops[f]);
		}
		a.unreg[i] = ktime_get_ns() - t0;
	}
	attach_end(&a, "ftrace_teardown64", mode, n);
}

#ifdef CONFIG_FPROBE
static int notrace bench_fprobe_cb(struct fprobe *fp, unsigned long entry_ip,
				   unsigned long ret_ip, struct pt_regs *regs,
				   void *entry_data)
{
	return 0;
}

/* The same through fprobe, which BPF kprobe_multi links use. */
static void measure_fprobe(struct kunit *test, const char *mode, unsigned int n)
{
	unsigned long addr = (unsigned long)bench_traced, x = 0;
	struct attach_samples a;
	unsigned int i;
	u64 t0;

	attach_begin(test, &a, mode, n);
	for (i = 0; i < n; i++) {
		struct fprobe *fp = kzalloc(sizeof(*fp), GFP_KERNEL);

		KUNIT_ASSERT_NOT_NULL(test, fp);
		fp->entry_handler = bench_fprobe_cb;
		t0 = ktime_get_ns();
		KUNIT_ASSERT_EQ(test, register_fprobe_ips(fp, &addr, 1), 0);
		a.reg[i] = ktime_get_ns() - t0;
		bench_traced(&x);
		t0 = ktime_get_ns();
		KUNIT_ASSERT_EQ(test, unregister_fprobe(fp), 0);
		a.unreg[i] = ktime_get_ns() - t0;
		kfree(fp);
	}
	attach_end(&a, "fprobe", mode, n);
}
#endif /* CONFIG_FPROBE */

/*
 * Best of seven runs of @calls calls of @fn, in ns; inlined, so that @fn is
 * called directly, as a traced function is.
 */
static __always_inline u64 best_of_calls(void (*fn)(unsigned long *))
{
	unsigned long i, x = 0;
	u64 best = U64_MAX, t0;
	int rep;

	migrate_disable();
	for (rep = 0; rep < 7; rep++) {
		t0 = ktime_get_ns();
		for (i = 0; i < calls; i++)
			fn(&x);
		best = min(best, ktime_get_ns() - t0);
	}
	migrate_enable();
	return best;
}

/*
 * ns per call of bench_traced() with an ops attached through its own
 * trampoline, guarded (on) vs execmem (off), and with nothing attached.
 */
static u64 ftrace_per_call(struct kunit *test, const char *mode)
{
	struct ftrace_ops *ops = kunit_kzalloc(test, sizeof(*ops), GFP_KERNEL);
	const char *old = ftrace_tramp_guard_test_set_mode(mode);
	u64 best;

	KUNIT_ASSERT_NOT_NULL(test, ops);
	KUNIT_ASSERT_NOT_NULL(test, old);
	ops->func = bench_ftrace_cb;
	KUNIT_ASSERT_EQ(test, ftrace_set_filter_ip(ops, (unsigned long)bench_traced, 0, 0), 0);
	KUNIT_ASSERT_EQ(test, register_ftrace_function(ops), 0);
	/*
	 * The figure is only about the guard if the placement is what we
	 * asked. Without ops trampolines (arm64's CALL_OPS) every mode runs
	 * the one guarded ftrace_caller.
	 */
	if (IS_ENABLED(CONFIG_DYNAMIC_FTRACE_WITH_CALL_OPS))
		KUNIT_EXPECT_EQ(test, ops->trampoline, 0UL);
	else
		KUNIT_EXPECT_EQ(test, tramp_guard_contains(ops->trampoline),
				!strcmp(mode, "on"));
	best = best_of_calls(bench_traced);
	unregister_ftrace_function(ops);
	ftrace_free_filter(ops);
	ftrace_tramp_guard_test_set_mode(old);
	return best;
}

static u64 untraced_per_call(void)
{
	return best_of_calls(bench_traced);
}

/*
 * ftrace's own figures, same boot as the reuse table's synchronize_rcu():
 * register/unregister latency per mode, idle and during a holdout, fprobe,
 * and the traced function's per-call cost.
 */
static void bench_ftrace(struct kunit *test)
{
	u64 on, off, none;
	struct holdout h;
	int m;

	if (!measure_now(test))
		return;
	for (m = 0; m < ARRAY_SIZE(bench_modes); m++)
		measure_ftrace(test, "ftrace", bench_modes[m], rounds);
	/* off: 64 x (Rude + Tasks); a few runs give a median. */
	for (m = 0; m < 2; m++)
		measure_teardown(test, bench_modes[m], 3);
#ifdef CONFIG_FPROBE
	for (m = 0; m < 2; m++)
		measure_fprobe(test, bench_modes[m], rounds);
#endif

	on = ftrace_per_call(test, "on");
	none = untraced_per_call();
	emit_value("ftrace/percall_guarded_ns", on, calls);
	emit_value("ftrace/percall_untraced_ns", none, calls);
	/* With CALL_OPS, off runs the same caller: no second figure. */
	if (!IS_ENABLED(CONFIG_DYNAMIC_FTRACE_WITH_CALL_OPS)) {
		off = ftrace_per_call(test, "off");
		emit_value("ftrace/percall_off_ns", off, calls);
		emit_value("ftrace/percall_ratio_guarded_off", on, off);
	}

	if (num_online_cpus() < 2)
		return;
	/* off: the RCU Tasks waits sit out the holdout; one round is enough. */
	start_holdout(test, &h);
	measure_ftrace(test, "ftrace_holdout", "off", 1);
	while (ktime_get_ns() < h.end)
		schedule_timeout_idle(1);
	start_holdout(test, &h);
	measure_ftrace(test, "ftrace_holdout", "on", rounds);
	measure_ftrace(test, "ftrace_holdout", "expedited", rounds);
	emit_value("ftrace_holdout/guarded_rounds_done_before_holdout_ended",
		   ktime_get_ns() < h.end, 1);
	while (ktime_get_ns() < h.end)
		schedule_timeout_idle(1);
}

#ifdef TRAMP_GUARD_KUNIT_BPF
/*
 * What a BPF tracer pays to attach a program to one function and to detach
 * it, the function's last (closing the link, as close() of its last fd
 * does), in ftrace.tramp_guard=@mode. The link's "register" is the attach.
 */
static void measure_bpf(struct kunit *test, struct tg_bpf_prog *p, const char *prefix,
			const char *mode, unsigned int n)
{
	struct attach_samples a;
	unsigned long x = 0;
	unsigned int i;
	u64 t0;

	attach_begin(test, &a, mode, n);
	for (i = 0; i < n; i++) {
		t0 = ktime_get_ns();
		KUNIT_ASSERT_EQ(test, tg_bpf_attach(p), 0);
		a.reg[i] = ktime_get_ns() - t0;
		tg_ftrace_target(&x);
		t0 = ktime_get_ns();
		tg_bpf_detach(p);
		a.unreg[i] = ktime_get_ns() - t0;
	}
	attach_end(&a, prefix, mode, n);
}

/*
 * A tracer exiting after probing 100 functions: one fentry program on each
 * function in bench_fns[], all attached, each function called, then every
 * link closed one after another. One sample is the whole detach (and, as
 * "register", the whole attach).
 */
static void measure_bpf_teardown(struct kunit *test, struct tg_bpf_prog **progs,
				 const char *mode, unsigned int n)
{
	struct attach_samples a;
	unsigned long x = 0;
	unsigned int i, f;
	u64 t0;

	attach_begin(test, &a, mode, n);
	for (i = 0; i < n; i++) {
		t0 = ktime_get_ns();
		for (f = 0; f < ARRAY_SIZE(bench_fns); f++)
			KUNIT_ASSERT_EQ(test, tg_bpf_attach(progs[f]), 0);
		a.reg[i] = ktime_get_ns() - t0;
		for (f = 0; f < ARRAY_SIZE(bench_fns); f++)
			bench_fns[f](&x);
		t0 = ktime_get_ns();
		for (f = 0; f < ARRAY_SIZE(bench_fns); f++)
			tg_bpf_detach(progs[f]);
		a.unreg[i] = ktime_get_ns() - t0;
	}
	attach_end(&a, "bpf_teardown100", mode, n);
}

/* An attach on another function, started once a last detach is waiting. */
struct bpf_attach_elsewhere {
	struct tg_bpf_prog *p;
	struct completion done;
	unsigned long shutdowns;
	u64 ns;
	int err;
};

/* Shutdowns that got as far as choosing their wait (under ftrace_lock). */
static unsigned long ftrace_shutdowns(void)
{
	struct ftrace_tramp_guard_stats s;

	ftrace_tramp_guard_get_stats(&s);
	return s.shutdown_guarded + s.wait_off + s.wait_direct + s.wait_tramp;
}

static int bpf_attach_elsewhere_fn(void *arg)
{
	struct bpf_attach_elsewhere *e = arg;
	u64 t0;

	/* Not before the detach holds the locks, or it would not compete. */
	while (ftrace_shutdowns() == e->shutdowns)
		schedule_timeout_idle(1);
	t0 = ktime_get_ns();
	e->err = tg_bpf_attach(e->p);
	e->ns = ktime_get_ns() - t0;
	complete(&e->done);
	return 0;
}

/*
 * How long an attach of @other to another function takes while @p's last
 * detach runs in @mode: the detach holds direct_mutex and ftrace_lock for
 * as long as it waits, so under "off" during a holdout every other attach
 * in the system waits the holdout out too.
 */
static void measure_attach_elsewhere(struct kunit *test, struct tg_bpf_prog *p,
				     struct tg_bpf_prog *other, const char *mode)
{
	struct bpf_attach_elsewhere e = { .p = other };
	const char *old = ftrace_tramp_guard_test_set_mode(mode);
	struct task_struct *t;
	char metric[64];

	KUNIT_ASSERT_NOT_NULL(test, old);
	init_completion(&e.done);
	KUNIT_ASSERT_EQ(test, tg_bpf_attach(p), 0);
	e.shutdowns = ftrace_shutdowns();
	t = kthread_run(bpf_attach_elsewhere_fn, &e, "tg_battach");
	KUNIT_ASSERT_FALSE(test, IS_ERR(t));
	tg_bpf_detach(p);
	wait_for_completion(&e.done);
	KUNIT_EXPECT_EQ(test, e.err, 0);
	if (!e.err)
		tg_bpf_detach(other);
	ftrace_tramp_guard_test_set_mode(old);
	snprintf(metric, sizeof(metric), "bpf_holdout/attach_elsewhere_%s", mode);
	emit_samples(metric, &e.ns, 1);
}

/* ns per call of tg_ftrace_target() with @p attached in @mode. */
static u64 bpf_per_call(struct kunit *test, struct tg_bpf_prog *p, const char *mode)
{
	const char *old = ftrace_tramp_guard_test_set_mode(mode);
	u64 best;

	KUNIT_ASSERT_NOT_NULL(test, old);
	KUNIT_ASSERT_EQ(test, tg_bpf_attach(p), 0);
	best = best_of_calls(tg_ftrace_target);
	tg_bpf_detach(p);
	ftrace_tramp_guard_test_set_mode(old);
	return best;
}

/*
 * BPF's figures, same boot as the reuse table's synchronize_rcu() and
 * synchronize_rcu_tasks() (what v6.13, which skips the Rude wait here,
 * would pay): fentry and fexit attach/last detach per mode, idle and
 * during a holdout, and the traced call's cost with the program attached.
 */
static void bench_bpf(struct kunit *test)
{
	struct tg_bpf_prog *fentry, *fexit, *progs[ARRAY_SIZE(bench_fns)];
	struct holdout h;
	char name[16];
	u64 on, off;
	int m, f;

	if (!measure_now(test))
		return;
	fentry = tg_bpf_load(test, BPF_TRACE_FENTRY);
	fexit = tg_bpf_load(test, BPF_TRACE_FEXIT);
	for (m = 0; m < ARRAY_SIZE(bench_modes); m++) {
		measure_bpf(test, fentry, "bpf_fentry", bench_modes[m], rounds);
		measure_bpf(test, fexit, "bpf_fexit", bench_modes[m], rounds);
	}
	for (f = 0; f < ARRAY_SIZE(bench_fns); f++) {
		snprintf(name, sizeof(name), "bench_fn_%02d", f);
		progs[f] = tg_bpf_load_on(test, BPF_TRACE_FENTRY, name);
	}
	/* off: 100 x (Rude + Tasks); a few runs give a median. */
	for (m = 0; m < 2; m++)
		measure_bpf_teardown(test, progs, bench_modes[m], 3);
	/*
	 * The same image in both modes, so the figures are alike but for
	 * noise: the images freed above still run their RCU Tasks chains for
	 * a while. Alternate the modes and keep each one's best.
	 */
	on = U64_MAX;
	off = U64_MAX;
	for (m = 0; m < 3; m++) {
		on = min(on, bpf_per_call(test, fentry, "on"));
		off = min(off, bpf_per_call(test, fentry, "off"));
	}
	emit_value("bpf_fentry/percall_guarded_ns", on, calls);
	emit_value("bpf_fentry/percall_off_ns", off, calls);
	emit_value("bpf_fentry/percall_ratio_guarded_off", on, off);

	if (num_online_cpus() < 2)
		return;
	start_holdout(test, &h);
	measure_bpf(test, fentry, "bpf_holdout", "off", 1);
	while (ktime_get_ns() < h.end)
		schedule_timeout_idle(1);
	start_holdout(test, &h);
	measure_attach_elsewhere(test, fentry, progs[0], "off");
	while (ktime_get_ns() < h.end)
		schedule_timeout_idle(1);
	start_holdout(test, &h);
	measure_attach_elsewhere(test, fentry, progs[0], "on");
	measure_bpf(test, fentry, "bpf_holdout", "on", rounds);
	emit_value("bpf_holdout/guarded_rounds_done_before_holdout_ended",
		   ktime_get_ns() < h.end, 1);
	while (ktime_get_ns() < h.end)
		schedule_timeout_idle(1);
}
#endif /* TRAMP_GUARD_KUNIT_BPF */
#endif /* CONFIG_FTRACE_TRAMP_GUARD */

static struct kunit_case bench_cases[] = {
	KUNIT_CASE_SLOW(bench_reuse),
	KUNIT_CASE_SLOW(bench_holdout),
	KUNIT_CASE_SLOW(bench_per_call),
	KUNIT_CASE_SLOW(bench_irq),
	KUNIT_CASE_SLOW(bench_scale),
#ifdef CONFIG_FTRACE_TRAMP_GUARD
	KUNIT_CASE_SLOW(bench_ftrace),
#endif
#ifdef TRAMP_GUARD_KUNIT_BPF
	KUNIT_CASE_SLOW(bench_bpf),
#endif
	{}
};

static struct kunit_suite bench_suite = {
	.name = "tramp_guard_bench",
	.suite_init = tramp_guard_kunit_log_phase,
	.init = bench_init,
	.test_cases = bench_cases,
};

kunit_test_suites(&bench_suite);

MODULE_DESCRIPTION("tramp_guard benchmark against RCU Tasks");
MODULE_LICENSE("GPL");
