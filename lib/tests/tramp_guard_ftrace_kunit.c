// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for guarded dynamic ftrace_ops trampolines (x86_64,
 * CONFIG_FTRACE_TRAMP_GUARD).
 *
 * A kzalloc'd ftrace_ops filtered on one function gets a trampoline of its
 * own. With ftrace.tramp_guard=on (or expedited) that trampoline lives in the
 * tramp_guard region, starts with the preempt_disable() prologue, and
 * unregister_ftrace_function() waits for one normal RCU grace period instead
 * of RCU Tasks Rude + RCU Tasks. The cases check:
 *
 * - placement: the trampoline is in the region (outside it with "off"), the
 *   patched call site calls it, the callback sees the right arguments and
 *   one more preempt count, and ftrace's counters say which shutdown path
 *   was taken;
 * - late callbacks: once unregister_ftrace_function() has returned, no
 *   callback of that ops runs any more, with callers on every CPU and a
 *   SCHED_FIFO hog preempting them (what ftrace users rely on to free the
 *   ops and its data);
 * - use after free: ten thousand register/unregister rounds never run a
 *   reclaimed trampoline (reclaimed memory is tiled with detectors); the
 *   negative control switches the entry hook off and must run one;
 * - unwinding: a reliable stack trace taken in the callback passes through
 *   the trampoline to the traced function and its caller, guarded or not;
 *   an unwind that starts in the guarded prologue does too, and the ORC
 *   mapping of trampoline addresses to the template is right;
 * - each half of the argument for one grace period: a callback held in the
 *   ops' own trampoline or in the list function (a second ops on the same
 *   site, also one that comes and goes) has returned before unregister
 *   does; a direct ops keeps both RCU Tasks waits; the mode may change
 *   between register and unregister;
 * - the live patching of a guarded trampoline's call when the ops function
 *   changes (as set_ftrace_pid does), and a dynamic fprobe.
 *
 * The traced function and the ops helpers are shared with arm64's suite
 * (tramp_guard_ftrace_kunit_util.c, built with the ftrace flags). Every
 * case also runs after boot, when grace periods are no longer expedited, so
 * nothing here is __init.
 */

#include <kunit/test.h>
#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/delay.h>
#include <linux/fprobe.h>
#include <linux/ftrace.h>
#include <linux/jiffies.h>
#include <linux/kallsyms.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/stacktrace.h>
#include <linux/string.h>
#include <linux/tramp_guard.h>
#include <linux/uaccess.h>
#include <linux/unaligned.h>
#include <asm/ibt.h>
#include <asm/nops.h>
#include <asm/processor-flags.h>
#include <asm/ptrace.h>
#include <asm/segment.h>
#include <asm/text-patching.h>
#include <asm/tramp_guard.h>

#include "tramp_guard_kunit.h"

/* A fixed amount of work: slow machines take longer (up to TG_BUDGET_S). */
#define FTRACE_UAF_ROUNDS	10000
#define FTRACE_LATE_ROUNDS	500
/* Reclaim from the updater too: the reclaim work may wait behind the hog. */
#define TG_SYNC_EVERY		64
/* Bounded wait for a new ops' first callback before unregistering it. */
#define TG_SEEN_MS		50
/* How long a late-callback case's callback runs (see tg_stress_func()). */
#define TG_LATE_HOLD_US		20
/*
 * A stress run stops here whatever its rounds, so that it ends cleanly
 * (threads stopped, switches restored) before KUnit's 300 s case timeout
 * would abandon it; a guarded run stopped early fails on its round count.
 */
#define TG_BUDGET_S		240
/*
 * The hog keeps a preempted caller off its CPU this long at a time. A
 * trampoline is reclaimed two grace periods after it was unpatched (the one
 * in ftrace's kallsyms removal, then tramp_guard_free()'s), about 25 ms
 * after boot on a slow emulated machine at HZ=250; the control can only
 * catch a stale caller that stays preempted longer than that.
 */
#define TG_HOG_BUSY_MS		60
#define TG_STACK_ENTRIES	32
/* Above the deepest trampoline frame, ftrace_regs_caller's pt_regs. */
#define TG_FAKE_WORDS		48

/*
 * ---- common ----
 * The traced function, tg_ftrace_target(), and the ops helpers are in
 * tramp_guard_ftrace_kunit_util.c.
 */

/* Previous ftrace.tramp_guard mode, restored by the case exit. */
static const char *tg_saved_mode;

static void tg_unregister(struct kunit *test, struct tg_fops *o)
{
	KUNIT_ASSERT_EQ(test, tg_fops_unregister(o), 0);
}

/* Target of the rel32 call or jmp (@opcode) at @addr, 0 if it is not one. */
static unsigned long tg_rel32_target(unsigned long addr, u8 opcode)
{
	u8 insn[CALL_INSN_SIZE];
	s32 rel;

	BUILD_BUG_ON(CALL_INSN_SIZE != JMP32_INSN_SIZE);
	if (copy_from_kernel_nofault(insn, (void *)addr, sizeof(insn)) ||
	    insn[0] != opcode)
		return 0;
	memcpy(&rel, insn + 1, sizeof(rel));
	return addr + sizeof(insn) + rel;
}

/*
 * The target's fentry site. If the site is already a call, another tracer
 * traces the target: the record would count two ops, the site would call the
 * shared ftrace_caller and our trampoline would never run.
 */
static unsigned long tg_site(struct kunit *test)
{
	unsigned long site = ftrace_location((unsigned long)tg_ftrace_target);

	KUNIT_ASSERT_NE_MSG(test, site, 0,
			    "tg_ftrace_target has no fentry site: built without CC_FLAGS_FTRACE?");
	if (!READ_ONCE(ftrace_enabled))
		kunit_skip(test, "function tracing is off (kernel.ftrace_enabled=0)");
	if (tg_rel32_target(site, CALL_INSN_OPCODE))
		kunit_skip(test, "another tracer traces tg_ftrace_target already");
	return site;
}

/* The site calls @o's own trampoline (@own), or not (the static caller). */
static void tg_expect_site(struct kunit *test, unsigned long site,
			   struct tg_fops *o, bool own)
{
	unsigned long to = tg_rel32_target(site, CALL_INSN_OPCODE);

	KUNIT_EXPECT_NE(test, to, 0);
	KUNIT_EXPECT_EQ_MSG(test, to == o->ops.trampoline, own,
			    "the site calls %pS", (void *)to);
}

/* The code copied into a trampoline: start, length, offset of the ops call. */
struct tg_template {
	unsigned long start, size, call;
};

static void tg_template(unsigned long flags, struct tg_template *t)
{
	if (flags & FTRACE_OPS_FL_SAVE_REGS) {
		t->start = (unsigned long)ftrace_regs_caller;
		t->size = (unsigned long)ftrace_regs_caller_end - t->start;
		t->call = (unsigned long)ftrace_regs_call - t->start;
	} else {
		t->start = (unsigned long)ftrace_caller;
		t->size = (unsigned long)ftrace_caller_end - t->start;
		t->call = (unsigned long)ftrace_call - t->start;
	}
}

/*
 * A guarded trampoline's own parts, around the copy of @t: the prologue at
 * its start and the jump to the exit stub where the template's RET was.
 */
static void tg_expect_guarded_layout(struct kunit *test, unsigned long tramp,
				     const struct tg_template *t)
{
	unsigned long pro = tramp_guard_prologue_size();
	/* TRAMP_GUARD_ALIGN bytes hold the prologue (the assembler checks it). */
	u8 head[TRAMP_GUARD_ALIGN];

	BUILD_BUG_ON(ARCH_TRAMP_GUARD_FENTRY_EXIT);
	KUNIT_ASSERT_LE(test, pro, sizeof(head));
	KUNIT_ASSERT_EQ(test, copy_from_kernel_nofault(head, (void *)tramp, pro), 0);
	KUNIT_EXPECT_MEMEQ(test, head, __tramp_guard_prologue, pro);
	KUNIT_EXPECT_EQ(test, tg_rel32_target(tramp + pro + t->size, JMP32_INSN_OPCODE),
			(unsigned long)__tramp_guard_exit);
}

/* ---- counters ---- */

/* ---- case set-up ---- */

static int tg_case_init(struct kunit *test)
{
	struct tramp_guard_stats st;

	tramp_guard_get_stats(&st);
	if (!st.region_size)
		kunit_skip(test, "tramp_guard region not available");
	/* Every case starts from "on", whatever the boot parameter said. */
	tg_saved_mode = ftrace_tramp_guard_test_set_mode("on");
	return 0;
}

/*
 * Runs also after a failed assertion: nothing stays switched off. The
 * stress threads are always stopped by the case itself (it asserts nothing
 * while they run), before this.
 */
static void tg_case_exit(struct kunit *test)
{
	WRITE_ONCE(__tramp_guard_test_unhook, false);
	WRITE_ONCE(__tramp_guard_test_reclaim_fill, NULL);
	if (tg_saved_mode)
		ftrace_tramp_guard_test_set_mode(tg_saved_mode);
	tg_saved_mode = NULL;
	tramp_guard_synchronize();
}

/* ---- placement ---- */

struct tg_mode_case {
	const char *name;
	const char *mode;	/* ftrace.tramp_guard */
	unsigned long flags;	/* FTRACE_OPS_FL_* */
	const char *unreg;	/* ftrace.tramp_guard at unregister, if not mode */
};

static void tg_mode_desc(const struct tg_mode_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

static bool tg_guarded(const struct tg_mode_case *c)
{
	return strcmp(c->mode, "off");
}

/* What the callback saw, for calls made by ->task only. */
struct tg_probe {
	struct task_struct *task;
	bool unwind;		/* take stack traces */
	unsigned int calls, calls2;
	unsigned long ip, parent_ip, regs_ip;
	bool has_regs;
	unsigned int pc;
	unsigned int n;
	int rn;
	unsigned long e[TG_STACK_ENTRIES];
	unsigned long r[TG_STACK_ENTRIES];
};

static void notrace tg_probe_func(unsigned long ip, unsigned long parent_ip,
				  struct ftrace_ops *op, struct ftrace_regs *fregs)
{
	struct tg_probe *p = container_of(op, struct tg_fops, ops)->ctx;

	if (current != p->task)
		return;
	p->calls++;
	p->ip = ip;
	p->parent_ip = parent_ip;
	p->pc = preempt_count() & PREEMPT_MASK;
	p->has_regs = !!ftrace_get_regs(fregs);
	p->regs_ip = ftrace_regs_get_instruction_pointer(fregs);
	if (p->unwind) {
		p->n = stack_trace_save(p->e, ARRAY_SIZE(p->e), 0);
		/* -ENOSYS without CONFIG_HAVE_RELIABLE_STACKTRACE. */
		p->rn = stack_trace_save_tsk_reliable(current, p->r, ARRAY_SIZE(p->r));
	}
}

static const struct tg_mode_case tg_placement_cases[] = {
	{ "on", "on", 0 },
	{ "on, SAVE_REGS", "on", FTRACE_OPS_FL_SAVE_REGS },
	{ "on, RECURSION", "on", FTRACE_OPS_FL_RECURSION },
	{ "on, SAVE_REGS|RECURSION", "on",
	  FTRACE_OPS_FL_SAVE_REGS | FTRACE_OPS_FL_RECURSION },
	{ "on, RCU", "on", FTRACE_OPS_FL_RCU },
	{ "expedited", "expedited", 0 },
	{ "off", "off", 0 },
	{ "off, SAVE_REGS", "off", FTRACE_OPS_FL_SAVE_REGS },
	/* The mode switched while the ops lives: the rst calls that safe. */
	{ "on, unregistered under off", "on", 0, "off" },
	{ "off, unregistered under on", "off", 0, "on" },
	{ "on, unregistered under expedited", "on", 0, "expedited" },
};

KUNIT_ARRAY_PARAM(tg_placement, tg_placement_cases, tg_mode_desc);

/*
 * Register a dynamic ops filtered on the target and check where its
 * trampoline went, that the site calls it, what the callback saw, and which
 * path unregister took.
 */
static void test_ftrace_placement(struct kunit *test)
{
	const struct tg_mode_case *c = test->param_value;
	const char *unreg = c->unreg ?: c->mode;
	bool guarded = tg_guarded(c), unreg_off = !strcmp(unreg, "off");
	bool assisted = c->flags & (FTRACE_OPS_FL_RECURSION | FTRACE_OPS_FL_RCU);
	struct ftrace_tramp_guard_stats s0, s1, s2, want = { };
	struct rcu_gp_oldstate gp0, gp1;
	unsigned long site, tramp, x = 0;
	unsigned int pc, calls;
	struct tg_probe *p;
	struct tg_fops *o;

	site = tg_site(test);
	tg_set_mode(test, c->mode);
	p = kunit_kzalloc(test, sizeof(*p), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	p->task = current;
	o = tg_fops_new(test, p, tg_probe_func, c->flags);

	ftrace_tramp_guard_get_stats(&s0);
	tg_register(test, o);
	ftrace_tramp_guard_get_stats(&s1);
	tramp = o->ops.trampoline;

	/* Catches an ops that lost FTRACE_FL_TRAMP or trampoline creation. */
	KUNIT_ASSERT_NE_MSG(test, tramp, 0, "the ops got no trampoline of its own");
	/* Catches the mode being ignored, or a silent fallback to execmem. */
	KUNIT_EXPECT_EQ_MSG(test, tramp_guard_contains(tramp), guarded,
			    "trampoline in the region (ftrace.tramp_guard=%s)", c->mode);
	/* What ftrace_shutdown() decides by: set exactly for a guarded one. */
	KUNIT_EXPECT_EQ(test, !!(o->ops.flags & FTRACE_OPS_FL_GUARDED), guarded);
	/*
	 * Catches a site left calling the static ftrace_caller (the stress
	 * would then never exercise the trampoline) or calling past the
	 * prologue.
	 */
	KUNIT_EXPECT_EQ_MSG(test, tg_rel32_target(site, CALL_INSN_OPCODE), tramp,
			    "the fentry site must be e8 <rel32> to the ops' trampoline");
	want.tramp_guarded = guarded;
	want.tramp_unguarded = !guarded;
	tg_expect_stats(test, "register", &s0, &s1, &want);

	pc = preempt_count() & PREEMPT_MASK;
	tg_ftrace_target(&x);
	/* The traced body ran once: the trampoline returned to the site. */
	KUNIT_EXPECT_EQ(test, x, 1);
	/* Catches an exit that does not give the prologue's count back. */
	KUNIT_EXPECT_EQ(test, preempt_count() & PREEMPT_MASK, pc);
	KUNIT_EXPECT_EQ(test, p->calls, 1);
	/* Catches a wrongly relocated copy of save_mcount_regs. */
	KUNIT_EXPECT_EQ(test, p->ip, site);
	KUNIT_EXPECT_EQ(test, p->regs_ip, site + MCOUNT_INSN_SIZE);
	/* Catches a copy of the wrong template (regs only from ftrace_regs_caller). */
	KUNIT_EXPECT_EQ(test, p->has_regs, !!(c->flags & FTRACE_OPS_FL_SAVE_REGS));
	/*
	 * One count from the guarded prologue, one from ftrace_ops_assist_func()
	 * for RECURSION and RCU ops: catches a guarded trampoline entered past
	 * its prologue, or a prologue in an "off" one.
	 */
	KUNIT_EXPECT_EQ(test, p->pc,
			pc + guarded + (assisted && IS_ENABLED(CONFIG_PREEMPT_COUNT)));

	tg_set_mode(test, unreg);
	get_state_synchronize_rcu_full(&gp0);
	tg_unregister(test, o);
	get_state_synchronize_rcu_full(&gp1);
	ftrace_tramp_guard_get_stats(&s2);
	memset(&want, 0, sizeof(want));
	/* "off" at unregister waits whatever the trampoline; else it decides. */
	want.wait_off = unreg_off;
	want.shutdown_guarded = !unreg_off && guarded;
	want.wait_tramp = !unreg_off && !guarded;
	tg_expect_stats(test, "unregister", &s1, &s2, &want);
	/*
	 * The expedited sequence moved: an expedited grace period ran inside
	 * unregister. Catches "expedited" taken as "on" after boot (at boot
	 * every grace period is expedited, so it passes there anyway).
	 */
	if (!strcmp(unreg, "expedited"))
		KUNIT_EXPECT_NE_MSG(test, gp1.rgos_exp, gp0.rgos_exp,
				    "no expedited grace period in unregister");
	/* The site is a NOP again, and the callback is not called any more. */
	KUNIT_EXPECT_EQ(test, tg_rel32_target(site, CALL_INSN_OPCODE), 0);
	calls = p->calls;
	tg_ftrace_target(&x);
	KUNIT_EXPECT_EQ(test, p->calls, calls);
}

/* ---- direct calls keep their waits ---- */

#ifdef CONFIG_DYNAMIC_FTRACE_WITH_DIRECT_CALLS
static void tg_direct_release(void *arg)
{
	struct ftrace_ops *ops = arg;

	if (ops->flags & FTRACE_OPS_FL_ENABLED)
		unregister_ftrace_direct(ops, (unsigned long)ftrace_stub_direct_tramp, true);
	kfree(ops);
}

/*
 * A kzalloc'd ops with a direct call on the target (the stub direct
 * trampoline, as the ftrace direct samples use it): the site calls the
 * direct trampoline, the ops' trampoline is not guarded, and
 * unregister keeps both RCU Tasks waits (wait_direct). Catches the DIRECT
 * test dropped from the shutdown check (the shutdown then counts
 * wait_tramp) and a guarded trampoline built for a direct ops.
 */
static void test_ftrace_direct(struct kunit *test)
{
	unsigned long direct = (unsigned long)ftrace_stub_direct_tramp;
	struct ftrace_tramp_guard_stats s0, s1, s2, want = { };
	unsigned long site, x = 0;
	struct ftrace_ops *ops;
	int ret;

	site = tg_site(test);
	ops = kzalloc(sizeof(*ops), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ops);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, tg_direct_release, ops), 0);
	KUNIT_ASSERT_EQ(test, ftrace_set_filter_ip(ops, (unsigned long)tg_ftrace_target,
						   0, 0), 0);

	ftrace_tramp_guard_get_stats(&s0);
	ret = register_ftrace_direct(ops, direct);
	if (ret == -ENODEV)
		kunit_skip(test, "ftrace is disabled");
	KUNIT_ASSERT_EQ(test, ret, 0);
	ftrace_tramp_guard_get_stats(&s1);
	KUNIT_EXPECT_TRUE(test, ops->flags & FTRACE_OPS_FL_DYNAMIC);
	KUNIT_EXPECT_FALSE(test, ops->flags & FTRACE_OPS_FL_GUARDED);
	KUNIT_EXPECT_FALSE(test, tramp_guard_contains(ops->trampoline));
	KUNIT_EXPECT_EQ(test, tg_rel32_target(site, CALL_INSN_OPCODE), direct);
	tg_ftrace_target(&x);
	KUNIT_EXPECT_EQ(test, x, 1);
	/* register_ftrace_direct() gives it the static ftrace_regs_caller. */
	want.tramp_unguarded = !!(ops->flags & FTRACE_OPS_FL_ALLOC_TRAMP);
	tg_expect_stats(test, "register_ftrace_direct", &s0, &s1, &want);

	KUNIT_ASSERT_EQ(test, unregister_ftrace_direct(ops, direct, true), 0);
	ftrace_tramp_guard_get_stats(&s2);
	want = (struct ftrace_tramp_guard_stats){ .wait_direct = 1 };
	tg_expect_stats(test, "unregister_ftrace_direct", &s1, &s2, &want);
	KUNIT_EXPECT_EQ(test, tg_rel32_target(site, CALL_INSN_OPCODE), 0);
}
#else
static void test_ftrace_direct(struct kunit *test)
{
	kunit_skip(test, "no direct calls in this kernel");
}
#endif

/* ---- a dynamic fprobe ---- */

#ifdef CONFIG_FPROBE
struct tg_fprobe {
	struct fprobe fp;
	struct task_struct *task;
	unsigned int calls;
	unsigned long ip;
};

static int notrace tg_fprobe_entry(struct fprobe *fp, unsigned long entry_ip,
				   unsigned long ret_ip, struct pt_regs *regs,
				   void *entry_data)
{
	struct tg_fprobe *t = container_of(fp, struct tg_fprobe, fp);

	if (current == t->task) {
		t->calls++;
		t->ip = entry_ip;
	}
	return 0;
}

static void tg_fprobe_release(void *arg)
{
	struct tg_fprobe *t = arg;

	if (t->fp.ops.flags & FTRACE_OPS_FL_ENABLED)
		unregister_fprobe(&t->fp);
	kfree(t);
}

/*
 * An fprobe allocated at run time (as a BPF kprobe_multi link or a dynamic
 * fprobe event does) embeds a dynamic ops: it gets a guarded trampoline,
 * its handler runs, and unregister_fprobe() takes the guarded shutdown.
 */
static void test_ftrace_fprobe(struct kunit *test)
{
	struct ftrace_tramp_guard_stats s0, s1, s2, want = { };
	unsigned long addr = (unsigned long)tg_ftrace_target, x = 0, site;
	struct tg_fprobe *t;
	int ret;

	site = tg_site(test);
	t = kzalloc(sizeof(*t), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, t);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, tg_fprobe_release, t), 0);
	t->task = current;
	t->fp.entry_handler = tg_fprobe_entry;

	ftrace_tramp_guard_get_stats(&s0);
	ret = register_fprobe_ips(&t->fp, &addr, 1);
	if (ret == -ENODEV)
		kunit_skip(test, "ftrace is disabled");
	KUNIT_ASSERT_EQ(test, ret, 0);
	ftrace_tramp_guard_get_stats(&s1);
	KUNIT_EXPECT_TRUE(test, t->fp.ops.flags & FTRACE_OPS_FL_GUARDED);
	want.tramp_guarded = 1;
	tg_expect_stats(test, "register_fprobe_ips", &s0, &s1, &want);
	tg_ftrace_target(&x);
	KUNIT_EXPECT_EQ(test, t->calls, 1);
	KUNIT_EXPECT_EQ(test, t->ip, site);

	KUNIT_ASSERT_EQ(test, unregister_fprobe(&t->fp), 0);
	ftrace_tramp_guard_get_stats(&s2);
	want = (struct ftrace_tramp_guard_stats){ .shutdown_guarded = 1 };
	tg_expect_stats(test, "unregister_fprobe", &s1, &s2, &want);
}
#else
static void test_ftrace_fprobe(struct kunit *test)
{
	kunit_skip(test, "no fprobe in this kernel");
}
#endif

/* ---- the ops function changed in a live trampoline ---- */

static void notrace tg_probe_func2(unsigned long ip, unsigned long parent_ip,
				   struct ftrace_ops *op, struct ftrace_regs *fregs)
{
	struct tg_probe *p = container_of(op, struct tg_fops, ops)->ctx;

	if (current == p->task)
		p->calls2++;
}

static const struct tg_mode_case tg_update_cases[] = {
	{ "on", "on", 0 },
	{ "on, SAVE_REGS", "on", FTRACE_OPS_FL_SAVE_REGS },
	{ "off", "off", 0 },
};

KUNIT_ARRAY_PARAM(tg_update, tg_update_cases, tg_mode_desc);

/*
 * When set_ftrace_pid changes the function of a PID-filtered ops,
 * ftrace_update_pid_func() sets ops->func and calls
 * arch_ftrace_update_trampoline(), which text_poke_bp()s the call in the
 * ops' live trampoline at the template's call offset plus the prologue.
 * text_poke_bp() does not check the old bytes: a wrong offset would
 * silently corrupt the trampoline. Do the same to a registered ops, then
 * check where the call now goes, through the arch's own reading of it
 * (arch_ftrace_trampoline_func()) and by calling the target, and that the
 * prologue and exit jump are intact. Catches the prologue left out of the
 * call offset.
 */
static void test_ftrace_update_func(struct kunit *test)
{
	const struct tg_mode_case *c = test->param_value;
	bool guarded = tg_guarded(c);
	struct tg_template t;
	unsigned long x = 0;
	struct tg_probe *p;
	struct tg_fops *o;
	int i;

	tg_site(test);
	tg_set_mode(test, c->mode);
	tg_template(c->flags, &t);
	p = kunit_kzalloc(test, sizeof(*p), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	p->task = current;
	o = tg_fops_new(test, p, tg_probe_func, c->flags);
	tg_register(test, o);
	KUNIT_ASSERT_EQ(test, tramp_guard_contains(o->ops.trampoline), guarded);

	/* Swap to the second function and back, as a PID filter comes and goes. */
	for (i = 0; i < 2; i++) {
		ftrace_func_t func = i ? tg_probe_func : tg_probe_func2;
		unsigned int calls = p->calls, calls2 = p->calls2;

		WRITE_ONCE(o->ops.func, func);
		arch_ftrace_update_trampoline(&o->ops);
		KUNIT_EXPECT_PTR_EQ(test, arch_ftrace_trampoline_func(&o->ops, NULL),
				    (void *)ftrace_ops_get_func(&o->ops));
		KUNIT_EXPECT_PTR_EQ(test, (void *)ftrace_ops_get_func(&o->ops), (void *)func);
		tg_ftrace_target(&x);
		KUNIT_EXPECT_EQ(test, x, i + 1);
		KUNIT_EXPECT_EQ(test, p->calls, calls + i);
		KUNIT_EXPECT_EQ(test, p->calls2, calls2 + !i);
		if (guarded)
			tg_expect_guarded_layout(test, o->ops.trampoline, &t);
	}
	tg_unregister(test, o);
}

/* ---- stress: late callbacks and use after free ---- */

enum tg_stress_kind {
	TG_LATE,		/* guarded; ops kept until the callers stopped */
	TG_UAF_GUARDED,		/* guarded; ops freed at once, as users do */
	TG_UAF_CONTROL,		/* entry hook off; ops kept, a stale callback may use it */
};

struct tg_stress {
	enum tg_stress_kind kind;
	unsigned long site;
	unsigned long max_rounds;
	unsigned long deadline;		/* jiffies: see TG_BUDGET_S */
	/* Written by the updater, read once it completed. */
	unsigned long rounds, unseen, outside;
	bool over_budget;
	int err;
	const char *err_what;
	struct list_head deferred;
	struct completion done;
	/* Written by the callbacks and callers. */
	atomic_long_t calls, late, bad_ip, target_calls;
	long detections;
	struct task_struct **callers, *hog, *updater;
};

/* Rotated per round: both templates, direct call and ftrace_ops_assist_func(). */
static const unsigned long tg_round_flags[] = {
	0,
	FTRACE_OPS_FL_SAVE_REGS,
	FTRACE_OPS_FL_RECURSION,
	FTRACE_OPS_FL_SAVE_REGS | FTRACE_OPS_FL_RECURSION,
	FTRACE_OPS_FL_RCU,
};

static void tg_stress_fail(struct tg_stress *st, int err, const char *what)
{
	if (!st->err) {
		st->err = err;
		st->err_what = what;
	}
}

static void notrace tg_stress_func(unsigned long ip, unsigned long parent_ip,
				   struct ftrace_ops *op, struct ftrace_regs *fregs)
{
	struct tg_fops *o = container_of(op, struct tg_fops, ops);
	struct tg_stress *st = o->ctx;

	/*
	 * The late-callback case widens the window it looks for: a callback
	 * that was already running when its ops was unpatched must have
	 * finished before unregister_ftrace_function() returns, so even one
	 * that spends TG_LATE_HOLD_US here never sees the ops marked dead. Not
	 * a synchronisation: without the hold the window is a few
	 * instructions, and a shutdown that skipped the grace period went
	 * unnoticed in 1000 rounds (seen with a mutant).
	 */
	if (st->kind == TG_LATE)
		udelay(TG_LATE_HOLD_US);
	/* Read after unregister_ftrace_function() returned: too late. */
	if (READ_ONCE(o->dead))
		atomic_long_inc(&st->late);
	if (ip != st->site)
		atomic_long_inc(&st->bad_ip);
	atomic_long_inc(&st->calls);
	/* Wakes the updater, which unregisters (and may free) only after. */
	if (!READ_ONCE(o->seen)) {
		WRITE_ONCE(o->seen, true);
		complete(&o->first);
	}
}

static int tg_caller(void *arg)
{
	struct tg_stress *st = arg;
	unsigned long n = 0;

	while (!kthread_should_stop()) {
		tg_ftrace_target(&n);
		cond_resched();
	}
	atomic_long_add(n, &st->target_calls);
	return 0;
}

static int tg_updater(void *arg)
{
	struct tg_stress *st = arg;
	bool defer = st->kind != TG_UAF_GUARDED;

	while (st->rounds < st->max_rounds && !kthread_should_stop()) {
		unsigned long flags = tg_round_flags[st->rounds % ARRAY_SIZE(tg_round_flags)];
		struct tg_fops *o;
		int ret;

		if (time_after(jiffies, st->deadline)) {
			st->over_budget = true;
			break;
		}
		o = tg_fops_alloc(st, tg_stress_func, flags);
		if (!o) {
			tg_stress_fail(st, -ENOMEM, "kzalloc");
			break;
		}
		ret = tg_fops_register(o);
		if (ret) {
			tg_stress_fail(st, ret, "register");
			tg_fops_free(o);
			break;
		}
		if (!tramp_guard_contains(o->ops.trampoline))
			st->outside++;

		/* Bounded: a round without a call proves less, but is no error. */
		if (!wait_for_completion_timeout(&o->first, msecs_to_jiffies(TG_SEEN_MS)))
			st->unseen++;

		ret = tg_fops_unregister(o);
		if (ret) {
			/* Still registered: tg_fops_free() leaks it. */
			tg_stress_fail(st, ret, "unregister");
			break;
		}
		st->rounds++;
		/*
		 * Freed at once in the guarded case, as users do: a late
		 * callback then reads freed memory, which KASAN reports, and
		 * without KASAN most likely still the marker.
		 */
		WRITE_ONCE(o->dead, true);
		if (defer)
			list_add_tail(&o->node, &st->deferred);
		else
			tg_fops_free(o);
		if (!(st->rounds % TG_SYNC_EVERY))
			tramp_guard_synchronize();
		/* The control has made its point once freed code ran. */
		if (st->kind == TG_UAF_CONTROL && READ_ONCE(tramp_guard_test_detections))
			break;
		cond_resched();
	}
	complete(&st->done);
	return 0;
}

static struct task_struct *tg_thread(struct tg_stress *st, int (*fn)(void *),
				     void *arg, int cpu, const char *name)
{
	struct task_struct *t = kthread_create_on_cpu(fn, arg, cpu, name);

	if (IS_ERR(t)) {
		tg_stress_fail(st, PTR_ERR(t), "kthread_create_on_cpu");
		return NULL;
	}
	get_task_struct(t);
	return t;
}

/*
 * Callers on every online CPU, the hog on the last one and the updater on
 * the first, until the updater is done. Asserts nothing while the threads
 * run: everything it starts, it stops, also after an error. The control's
 * ops are freed only once the callers are stopped.
 */
static void tg_stress_run(struct tg_stress *st)
{
	struct tg_fops *o, *tmp;
	int cpu;

	INIT_LIST_HEAD(&st->deferred);
	init_completion(&st->done);
	st->deadline = jiffies + TG_BUDGET_S * HZ;
	WRITE_ONCE(tramp_guard_test_detections, 0);
	WRITE_ONCE(__tramp_guard_test_reclaim_fill, tramp_guard_kunit_fill);
	WRITE_ONCE(__tramp_guard_test_unhook, st->kind == TG_UAF_CONTROL);

	for_each_online_cpu(cpu) {
		st->callers[cpu] = tg_thread(st, tg_caller, st, cpu, "tg_fcall/%u");
		if (!st->callers[cpu])
			goto stop;
		wake_up_process(st->callers[cpu]);
	}
	st->hog = tg_thread(st, tramp_guard_kunit_hog, (void *)TG_HOG_BUSY_MS,
			    cpumask_last(cpu_online_mask), "tg_fhog/%u");
	if (!st->hog)
		goto stop;
	sched_set_fifo(st->hog);
	wake_up_process(st->hog);
	st->updater = tg_thread(st, tg_updater, st, cpumask_first(cpu_online_mask),
				"tg_fupd/%u");
	if (!st->updater)
		goto stop;
	wake_up_process(st->updater);

	/* Minutes after boot: wake up now and then for the hung-task detector. */
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
	/* Nobody calls the target any more: no stale caller is left. */
	st->detections = READ_ONCE(tramp_guard_test_detections);
	WRITE_ONCE(__tramp_guard_test_unhook, false);
	WRITE_ONCE(__tramp_guard_test_reclaim_fill, NULL);
	tramp_guard_synchronize();
	list_for_each_entry_safe(o, tmp, &st->deferred, node) {
		list_del(&o->node);
		tg_fops_free(o);
	}
}

/*
 * One ops registered and called from this thread, as in
 * test_ftrace_placement(): skips if ftrace is disabled, and makes sure the
 * site calls the ops' own guarded trampoline, else the stress would not
 * exercise it.
 */
static void tg_stress_precheck(struct kunit *test, unsigned long site)
{
	struct tg_probe *p = kunit_kzalloc(test, sizeof(*p), GFP_KERNEL);
	unsigned long x = 0;
	struct tg_fops *o;

	KUNIT_ASSERT_NOT_NULL(test, p);
	p->task = current;
	o = tg_fops_new(test, p, tg_probe_func, 0);
	tg_register(test, o);
	KUNIT_ASSERT_TRUE(test, tramp_guard_contains(o->ops.trampoline));
	KUNIT_ASSERT_EQ(test, tg_rel32_target(site, CALL_INSN_OPCODE), o->ops.trampoline);
	tg_ftrace_target(&x);
	KUNIT_ASSERT_EQ(test, p->calls, 1);
	tg_unregister(test, o);
	kunit_release_action(test, tg_fops_release, o);
}

static const char * const tg_kind_names[] = {
	[TG_LATE] = "late callbacks",
	[TG_UAF_GUARDED] = "guarded",
	[TG_UAF_CONTROL] = "control: unhooked",
};

static void tg_stress_case(struct kunit *test, enum tg_stress_kind kind,
			   unsigned long rounds, bool shared)
{
	struct ftrace_tramp_guard_stats s0, s1, want = { };
	struct tramp_guard_stats g0, g1;
	struct tg_stress *st;
	unsigned long site;
	u64 t0, ms;

	/* Without irq-exit preemption the guarded cases would pass trivially. */
	if (!preempt_model_preemptible())
		kunit_skip(test, "no preemption in the window in this preemption model");
	if (num_online_cpus() < 2)
		kunit_skip(test, "needs at least two online CPUs");
	site = tg_site(test);
	tg_stress_precheck(test, site);
	KUNIT_ASSERT_TRUE(test, tramp_guard_kunit_detectors_ready());
	/* Every round's ops then runs from the list function. */
	if (shared)
		tg_second_ops(test);

	st = kunit_kzalloc(test, sizeof(*st), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, st);
	st->callers = kunit_kcalloc(test, nr_cpu_ids, sizeof(*st->callers), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, st->callers);
	st->kind = kind;
	st->site = site;
	st->max_rounds = rounds;

	ftrace_tramp_guard_get_stats(&s0);
	tramp_guard_get_stats(&g0);
	t0 = ktime_get_ns();
	tg_stress_run(st);
	ms = div_u64(ktime_get_ns() - t0, NSEC_PER_MSEC);
	ftrace_tramp_guard_get_stats(&s1);
	tramp_guard_get_stats(&g1);

	kunit_info(test, "%s (%s): %lu rounds in %llu ms, %ld callbacks, %ld target calls, %lu rounds without a callback, %ld late callbacks, %ld detections, %lu reclaims\n",
		   tg_kind_names[kind],
		   tramp_guard_kunit_after_boot() ? "after boot" : "boot",
		   st->rounds, ms, atomic_long_read(&st->calls),
		   atomic_long_read(&st->target_calls), st->unseen,
		   atomic_long_read(&st->late), st->detections,
		   g1.nr_reclaims - g0.nr_reclaims);

	KUNIT_EXPECT_EQ_MSG(test, st->err, 0, "%s failed", st->err_what);
	/* Catches a stress that never reached the callback. */
	KUNIT_EXPECT_GT(test, atomic_long_read(&st->calls), 0);
	/* Catches a trampoline that hands the callback a wrong ip. */
	KUNIT_EXPECT_EQ(test, atomic_long_read(&st->bad_ip), 0);
	/* Catches a fallback to execmem, which would leave the guard untested. */
	KUNIT_EXPECT_EQ_MSG(test, st->outside, 0, "trampolines outside the region");
	/*
	 * Every round created a guarded trampoline and took the guarded
	 * shutdown; no wait_* reason, no fallback.
	 */
	want.tramp_guarded = st->rounds;
	want.shutdown_guarded = st->rounds;
	tg_expect_stats(test, tg_kind_names[kind], &s0, &s1, &want);
	/* Catches a run in which nothing was reclaimed, so nothing detected. */
	KUNIT_EXPECT_GT(test, g1.nr_reclaims, g0.nr_reclaims);

	if (kind == TG_UAF_CONTROL) {
		/* Proves the stress can see a reclaimed trampoline run. */
		KUNIT_EXPECT_GT_MSG(test, st->detections, 0, "after %lu rounds%s",
				    st->rounds, st->over_budget ? " (budget exhausted)" : "");
		return;
	}
	KUNIT_EXPECT_FALSE_MSG(test, st->over_budget,
			       "%lu of %lu rounds in %d s: KUnit would time the case out",
			       st->rounds, rounds, TG_BUDGET_S);
	KUNIT_EXPECT_EQ(test, st->rounds, rounds);
	/* A reclaimed guarded trampoline was run by a stale caller. */
	KUNIT_EXPECT_EQ(test, st->detections, 0);
	/* A callback ran after unregister_ftrace_function() returned. */
	KUNIT_EXPECT_EQ(test, atomic_long_read(&st->late), 0);
}

/*
 * After unregister_ftrace_function() returns on the guarded path, no
 * callback of that ops runs: the ops-lifetime half of the guarantee (a stale
 * callback would still find its ops, which is kept until the callers stop,
 * and count itself late). Callers on every CPU, a FIFO hog preempting them,
 * FTRACE_LATE_ROUNDS rounds of kzalloc / filter / register / wait for a call
 * / unregister / mark dead, with the ops alone on the target (its own
 * trampoline) and with a second ops there (the list function).
 */
static const char * const tg_late_cases[] = { "alone", "shared site" };

static void tg_late_desc(const char * const *c, char *desc)
{
	strscpy(desc, *c, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(tg_late, tg_late_cases, tg_late_desc);

static void test_ftrace_late_callback(struct kunit *test)
{
	const char * const *c = test->param_value;

	tg_stress_case(test, TG_LATE, FTRACE_LATE_ROUNDS, c != tg_late_cases);
}

/*
 * FTRACE_UAF_ROUNDS guarded rounds in two halves: each KUnit case (param)
 * has 300 s, and after boot, with normal grace periods, a round takes about
 * 25 ms on a slow emulated machine.
 */
struct tg_uaf_param {
	const char *name;
	bool guarded;
	unsigned long rounds;
};

static const struct tg_uaf_param tg_uaf_params[] = {
	{ "guarded, first half", true, FTRACE_UAF_ROUNDS / 2 },
	{ "guarded, second half", true, FTRACE_UAF_ROUNDS - FTRACE_UAF_ROUNDS / 2 },
	{ "control: unhooked", false, FTRACE_UAF_ROUNDS },
};

static void tg_uaf_desc(const struct tg_uaf_param *p, char *desc)
{
	strscpy(desc, p->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(tg_uaf, tg_uaf_params, tg_uaf_desc);

/*
 * FTRACE_UAF_ROUNDS register/unregister rounds with callers on every CPU
 * and a hog preempting them; reclaimed trampolines are tiled with
 * detectors. Guarded: ops freed as soon as unregister returns (a late
 * callback is a KASAN report in debug builds), no detector ever runs.
 * Control (entry hook off, trampolines still guarded and freed after one
 * grace period): a caller preempted at the trampoline's first byte resumes
 * in reclaimed memory and runs a detector.
 */
static void test_ftrace_uaf(struct kunit *test)
{
	const struct tg_uaf_param *p = test->param_value;

	tg_stress_case(test, p->guarded ? TG_UAF_GUARDED : TG_UAF_CONTROL, p->rounds, false);
}

/* ---- unwinding ---- */

/* @addr is a return address inside tg_unwind_caller(). */
static void tg_expect_in_caller(struct kunit *test, unsigned long addr)
{
	unsigned long size, off;

	if (kallsyms_lookup_size_offset(addr, &size, &off))
		KUNIT_EXPECT_EQ_MSG(test, addr - off, (unsigned long)tg_unwind_caller,
				    "parent_ip %pS", (void *)addr);
	else
		KUNIT_EXPECT_GT(test, addr, (unsigned long)tg_unwind_caller);
}

/*
 * @e[0..@n) must hold, adjacent and in this order, a return address inside
 * the trampoline [@tramp, @tramp + @size), the one after the traced
 * function's fentry site (@ret) and the one into its caller (@parent).
 * ORC does not skip the trampoline: __kernel_text_address() knows it through
 * is_ftrace_trampoline(), so it is an entry of its own.
 */
static void tg_expect_chain(struct kunit *test, const char *what,
			    const unsigned long *e, unsigned int n,
			    unsigned long tramp, unsigned long size,
			    unsigned long ret, unsigned long parent)
{
	unsigned int i;

	for (i = 0; i < n && e[i] - tramp >= size; i++)
		;
	/*
	 * Catches a trampoline the unwinder does not know as text
	 * (ftrace_ops_trampoline() not covering it): the walk stops there,
	 * and a reliable walk fails.
	 */
	KUNIT_EXPECT_LT_MSG(test, i, n, "%s: no entry in the trampoline", what);
	if (i + 2 < n) {
		/*
		 * Catches orc_ftrace_find() finding no ORC (frame-pointer
		 * guess, unreliable) or the wrong template's (ftrace_caller
		 * for a SAVE_REGS trampoline is 8 bytes off): a wrong return
		 * address follows.
		 */
		KUNIT_EXPECT_EQ_MSG(test, e[i + 1], ret, "%s: after the trampoline", what);
		/* The traced function's own frame, entry state at its site. */
		KUNIT_EXPECT_EQ_MSG(test, e[i + 2], parent, "%s: the traced function's caller",
				    what);
		if (e[i + 1] == ret && e[i + 2] == parent)
			return;
	} else {
		KUNIT_FAIL(test, "%s: %u entries, the trampoline at %u", what, n, i);
	}
	for (i = 0; i < n; i++)
		kunit_info(test, "%s[%u]: %pS\n", what, i, (void *)e[i]);
}

static const struct tg_mode_case tg_unwind_cases[] = {
	{ "on", "on", 0 },
	{ "on, SAVE_REGS", "on", FTRACE_OPS_FL_SAVE_REGS },
	{ "off", "off", 0 },
	{ "off, SAVE_REGS", "off", FTRACE_OPS_FL_SAVE_REGS },
};

KUNIT_ARRAY_PARAM(tg_unwind, tg_unwind_cases, tg_mode_desc);

/*
 * From inside the callback, a stack trace and (where the kernel has them) a
 * reliable one pass through the trampoline into the traced function and its
 * caller. The "off" params are the baseline through an execmem trampoline:
 * the guarded one must unwind exactly like it.
 *
 * Not caught here: an orc_ftrace_find() that forgets to subtract the
 * prologue. The callback's return address then maps a prologue's length
 * further into the template, onto the moves after the call, which have the
 * same stack layout. test_ftrace_prologue_unwind() catches that.
 */
static void test_ftrace_unwind(struct kunit *test)
{
	const struct tg_mode_case *c = test->param_value;
	unsigned long site, tramp, size, ret;
	struct tg_probe *p;
	struct tg_fops *o;

	if (!IS_ENABLED(CONFIG_UNWINDER_ORC))
		kunit_skip(test, "the expectations are the ORC unwinder's");
	site = tg_site(test);
	ret = site + MCOUNT_INSN_SIZE;
	tg_set_mode(test, c->mode);
	p = kunit_kzalloc(test, sizeof(*p), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	p->task = current;
	p->unwind = true;
	o = tg_fops_new(test, p, tg_probe_func, c->flags);
	tg_register(test, o);
	tramp = o->ops.trampoline;
	size = o->ops.trampoline_size;
	KUNIT_ASSERT_EQ(test, tramp_guard_contains(tramp), tg_guarded(c));
	KUNIT_ASSERT_EQ(test, tg_rel32_target(site, CALL_INSN_OPCODE), tramp);
	KUNIT_EXPECT_EQ(test, tg_unwind_caller(), 1);
	tg_unregister(test, o);

	KUNIT_ASSERT_EQ(test, p->calls, 1);
	KUNIT_EXPECT_EQ(test, p->ip, site);
	/* Catches a trampoline passing a wrong parent_ip. */
	tg_expect_in_caller(test, p->parent_ip);
	tg_expect_chain(test, "stack_trace_save", p->e, p->n, tramp, size, ret,
			p->parent_ip);
	if (!IS_ENABLED(CONFIG_HAVE_RELIABLE_STACKTRACE))
		return;
	/*
	 * Catches anything that makes ORC give up on the trampoline frame
	 * (no ORC for the address: state->error) or reach a bad return
	 * address: livepatch would never see this task's stack as reliable.
	 */
	KUNIT_EXPECT_GE_MSG(test, p->rn, 0, "stack_trace_save_tsk_reliable() in the callback");
	if (p->rn >= 0)
		tg_expect_chain(test, "reliable", p->r, p->rn, tramp, size, ret,
				p->parent_ip);
}

static void tg_expect_offset(struct kunit *test, struct ftrace_ops *ops,
			     unsigned long at, unsigned long want)
{
	KUNIT_EXPECT_EQ_MSG(test, ftrace_tramp_template_offset(ops, ops->trampoline + at),
			    want, "trampoline+%lu", at);
}

/*
 * Unwind as if an interrupt had stopped this task at @ip in a trampoline,
 * entered from the traced function's site: the stack holds what the
 * patched call pushed (@ret) and above it the traced function's own return
 * address (@parent). The array lies on this task's stack, so the unwinder
 * reads it; the words past those two are zero, which ends a walk that looks
 * for a return address elsewhere.
 */
static unsigned int tg_unwind_from(unsigned long ip, unsigned long ret,
				   unsigned long parent, unsigned int depth,
				   unsigned long *e, unsigned int size)
{
	unsigned long fake[TG_FAKE_WORDS] = { };
	struct pt_regs regs = {
		.ip = ip,
		.sp = (unsigned long)fake,
		.cs = __KERNEL_CS,
		.flags = X86_EFLAGS_FIXED | X86_EFLAGS_IF,
	};

	fake[depth] = ret;
	fake[depth + 1] = parent;
	memset(e, 0, size * sizeof(*e));
	return stack_trace_save_regs(&regs, e, size, 0);
}

/* Does an unwind from @ip with @ret @depth words up reach @ret, then @parent? */
static bool tg_unwinds_at(unsigned long ip, unsigned long ret,
			  unsigned long parent, unsigned int depth)
{
	unsigned long e[8];
	unsigned int n = tg_unwind_from(ip, ret, parent, depth, e, ARRAY_SIZE(e));

	return n >= 3 && e[0] == ip && e[1] == ret && e[2] == parent;
}

/*
 * Unwinding from trampoline+@at must (@good) or must not reach @ret and
 * @parent. arch_stack_walk() stores regs->ip first, then ORC skips the regs
 * frame with the unwind data of the template address @at maps to.
 */
static void tg_expect_unwind(struct kunit *test, unsigned long tramp,
			     unsigned long at, unsigned long ret,
			     unsigned long parent, bool good)
{
	unsigned long e[8];
	unsigned int n = tg_unwind_from(tramp + at, ret, parent, 0, e, ARRAY_SIZE(e));
	unsigned int depth;

	if (!good) {
		/*
		 * Negative control: at the call of the ops function the
		 * trampoline's frame is on the stack, so an unwind reaches
		 * @ret only from deeper down, and from that depth only. Shows
		 * that these checks tell a right mapping from a wrong one, and
		 * fails if the unwinder cannot get past the trampoline at all.
		 */
		KUNIT_EXPECT_FALSE_MSG(test, tg_unwinds_at(tramp + at, ret, parent, 0),
				       "unwind from trampoline+%lu (the ops call)", at);
		for (depth = 1; depth + 2 <= TG_FAKE_WORDS; depth++)
			if (tg_unwinds_at(tramp + at, ret, parent, depth))
				break;
		KUNIT_EXPECT_LE_MSG(test, depth + 2, TG_FAKE_WORDS,
				    "no depth unwinds from trampoline+%lu (the ops call)", at);
		kunit_info(test, "trampoline+%lu: the frame is %u words deep\n", at, depth);
		return;
	}
	KUNIT_EXPECT_GE_MSG(test, n, 3, "unwind from trampoline+%lu", at);
	KUNIT_EXPECT_EQ_MSG(test, e[0], tramp + at, "unwind from trampoline+%lu", at);
	/*
	 * Catches a mapping that sends the prologue, or the copy's start,
	 * into the middle of save_mcount_regs (the shift forgotten, or
	 * applied to an execmem trampoline): the return address is then read
	 * from the wrong slot.
	 */
	KUNIT_EXPECT_EQ_MSG(test, e[1], ret, "unwind from trampoline+%lu", at);
	KUNIT_EXPECT_EQ_MSG(test, e[2], parent, "unwind from trampoline+%lu", at);
}

/* The copy's first bytes: no relocation touches them. */
#define TG_HEAD_BYTES	4

/*
 * Register an ops in @mode and check its trampoline's layout, the ORC
 * mapping of its addresses to the template, and (ORC) unwinds that start
 * at its entry points.
 */
static void tg_prologue_check(struct kunit *test, struct tg_probe *p,
			      unsigned long flags, const char *mode,
			      const struct tg_template *t, unsigned long site)
{
	bool guarded = strcmp(mode, "off");
	unsigned long pro = tramp_guard_prologue_size();
	unsigned long shift = guarded ? pro : 0, ret = site + MCOUNT_INSN_SIZE;
	u8 head[TG_HEAD_BYTES], want[TG_HEAD_BYTES];
	unsigned long tramp, entries[5];
	struct tg_fops *o;
	unsigned int i;

	tg_set_mode(test, mode);
	o = tg_fops_new(test, p, tg_probe_func, flags);
	tg_register(test, o);
	tramp = o->ops.trampoline;
	KUNIT_ASSERT_EQ(test, tramp_guard_contains(tramp), guarded);
	KUNIT_ASSERT_GT(test, o->ops.trampoline_size, shift + t->size);
	p->calls = 0;
	KUNIT_EXPECT_EQ(test, tg_unwind_caller(), 1);
	KUNIT_ASSERT_EQ(test, p->calls, 1);

	/*
	 * The layout the mapping assumes: the prologue, the copy shifted by
	 * its length, the exit jump where the template's RET was. Catches a
	 * layout change (e.g. the copy's ENDBR skipped) the mapping missed.
	 */
	if (guarded)
		tg_expect_guarded_layout(test, tramp, t);
	KUNIT_ASSERT_EQ(test, copy_from_kernel_nofault(head, (void *)tramp + shift,
						       TG_HEAD_BYTES), 0);
	KUNIT_ASSERT_EQ(test, copy_from_kernel_nofault(want, (void *)t->start,
						       TG_HEAD_BYTES), 0);
	/*
	 * In a guarded copy the template's ENDBR is a nop of its length: an
	 * indirect branch there would skip the prologue, and the exit stub
	 * would give back a count never taken. Catches the ENDBR copied
	 * verbatim.
	 */
	BUILD_BUG_ON(ENDBR_INSN_SIZE > TG_HEAD_BYTES);
	if (guarded && is_endbr(get_unaligned((u32 *)want)))
		memcpy(want, x86_nops[ENDBR_INSN_SIZE], ENDBR_INSN_SIZE);
	KUNIT_EXPECT_FALSE(test, guarded && is_endbr(get_unaligned((u32 *)head)));
	KUNIT_EXPECT_MEMEQ(test, head, want, TG_HEAD_BYTES);

	/*
	 * ftrace_tramp_template_offset(), which orc_ftrace_find() uses: the
	 * prologue, which touches neither %rsp nor %rbp, maps to the
	 * template's entry, and the copy is shifted by the prologue's length
	 * in a guarded trampoline only.
	 */
	if (guarded) {
		tg_expect_offset(test, &o->ops, 0, 0);
		tg_expect_offset(test, &o->ops, pro - 1, 0);
	}
	tg_expect_offset(test, &o->ops, shift, 0);
	tg_expect_offset(test, &o->ops, shift + 1, 1);
	tg_expect_offset(test, &o->ops, shift + t->call, t->call);
	tg_expect_offset(test, &o->ops, shift + t->size, t->size);

	if (IS_ENABLED(CONFIG_UNWINDER_ORC)) {
		/*
		 * Every place a task can be stopped at with only the patched
		 * call's return address pushed: the trampoline's first byte,
		 * after its ENDBR, the copy's first byte and after its ENDBR
		 * (same state), and the exit jump (the template's RET). Under
		 * !IBT some coincide.
		 */
		entries[0] = 0;
		entries[1] = ENDBR_INSN_SIZE;
		entries[2] = shift;
		entries[3] = shift + ENDBR_INSN_SIZE;
		entries[4] = shift + t->size;
		for (i = 0; i < ARRAY_SIZE(entries); i++)
			tg_expect_unwind(test, tramp, entries[i], ret, p->parent_ip, true);
		tg_expect_unwind(test, tramp, shift + t->call, ret, p->parent_ip, false);
	}

	tg_unregister(test, o);
	kunit_release_action(test, tg_fops_release, o);
}

static const struct tg_mode_case tg_prologue_cases[] = {
	{ "ftrace_caller", "on", 0 },
	{ "ftrace_regs_caller", "on", FTRACE_OPS_FL_SAVE_REGS },
};

KUNIT_ARRAY_PARAM(tg_prologue, tg_prologue_cases, tg_mode_desc);

/*
 * No real task can be parked in a trampoline's prologue without stopping
 * it, so the interrupted state is built by hand: an unwind that starts in
 * the prologue of a guarded trampoline reaches the traced function and its
 * caller, and the ORC mapping behind it is checked directly. The same
 * checks on an execmem trampoline ("off") are the baseline.
 */
static void test_ftrace_prologue_unwind(struct kunit *test)
{
	const struct tg_mode_case *c = test->param_value;
	struct tg_template t;
	struct tg_probe *p;
	unsigned long site;

	site = tg_site(test);
	tg_template(c->flags, &t);
	p = kunit_kzalloc(test, sizeof(*p), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	p->task = current;

	tg_prologue_check(test, p, c->flags, "on", &t, site);
	tg_expect_in_caller(test, p->parent_ip);
	tg_prologue_check(test, p, c->flags, "off", &t, site);
}

/* ---- a callback that is running when its ops is unregistered ---- */

/* How long the held callback spins at most, and how many rounds per mode. */
#define TG_HOLD_MS		300
#define TG_HOLD_ROUNDS		8

struct tg_hold {
	atomic_t armed;		/* 1: the next callback holds */
	bool dead;		/* unregister_ftrace_function() has returned */
	atomic_t late;		/* a held callback saw that */
	struct completion held, released;
};

/*
 * Once armed, one callback holds: it spins until the updater marks its ops
 * dead or TG_HOLD_MS have passed, still inside the guarded trampoline, so
 * preemption stays disabled and no grace period can end on its CPU.
 */
static void notrace tg_hold_func(unsigned long ip, unsigned long parent_ip,
				 struct ftrace_ops *op, struct ftrace_regs *fregs)
{
	struct tg_fops *o = container_of(op, struct tg_fops, ops);
	struct tg_hold *h = o->ctx;
	u64 end;

	if (atomic_cmpxchg(&h->armed, 1, 0) != 1)
		return;
	complete(&h->held);
	end = ktime_get_ns() + TG_HOLD_MS * NSEC_PER_MSEC;
	while (ktime_get_ns() < end && !READ_ONCE(h->dead))
		cpu_relax();
	if (READ_ONCE(h->dead))
		atomic_inc(&h->late);
	complete(&h->released);
}

static int tg_hold_caller(void *arg)
{
	unsigned long n = 0;

	while (!kthread_should_stop()) {
		tg_ftrace_target(&n);
		cond_resched();
	}
	return 0;
}

/* Where the held callback runs: see struct tg_hold_case. */
enum tg_share {
	TG_OWN,		/* the ops alone: the site calls its own trampoline */
	TG_SHARED,	/* a second ops on the target: the list function */
	TG_MOVED,	/* the second ops came and went: own trampoline again */
};

struct tg_hold_case {
	const char *name;
	const char *mode;
	enum tg_share share;
};

static const struct tg_hold_case tg_hold_cases[] = {
	{ "on", "on", TG_OWN },
	{ "expedited", "expedited", TG_OWN },
	{ "on, shared site", "on", TG_SHARED },
	{ "on, moved to the list function and back", "on", TG_MOVED },
};

static void tg_hold_desc(const struct tg_hold_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(tg_hold, tg_hold_cases, tg_hold_desc);

/*
 * The guarantee an ftrace user frees its ops and data on: a callback that
 * was running when unregister_ftrace_function() was called has returned
 * before it returns. Deterministic where the stresses rely on luck: a caller
 * on another CPU is made to sit in the callback, then the ops is
 * unregistered. Catches a guarded shutdown that does not wait for a grace
 * period (seen: a mutant without the kallsyms removal's synchronize_rcu()
 * counts a late callback in every round), and one that waits for a grace
 * period the guarded trampoline does not hold off.
 *
 * The shared-site params hold the callback in the list function instead:
 * the ops still has its own guarded trampoline, but the site calls the
 * static caller, and the grace period must wait for the list function's
 * preempt-disabled section. The moved param makes the ops go to the list
 * function and back before the hold.
 */
static void test_ftrace_running_callback(struct kunit *test)
{
	const struct tg_hold_case *c = test->param_value;
	const char *mode = c->mode;
	struct ftrace_tramp_guard_stats s0, s1, want = { };
	struct tg_fops *ops[TG_HOLD_ROUNDS] = { };
	struct tg_fops *second = NULL;
	struct task_struct *caller;
	unsigned long site;
	struct tg_hold *h;
	unsigned int i, rounds = 0;
	int cpu;

	if (num_online_cpus() < 2)
		kunit_skip(test, "needs at least two online CPUs");
	site = tg_site(test);
	tg_set_mode(test, mode);
	if (c->share == TG_SHARED)
		second = tg_second_ops(test);
	h = kunit_kzalloc(test, sizeof(*h), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, h);
	init_completion(&h->held);
	init_completion(&h->released);

	/* The caller on another CPU than this thread, which stays put. */
	migrate_disable();
	cpu = cpumask_any_but(cpu_online_mask, smp_processor_id());
	caller = kthread_create_on_cpu(tg_hold_caller, NULL, cpu, "tg_fhold/%u");
	if (IS_ERR(caller)) {
		migrate_enable();
		KUNIT_FAIL(test, "kthread_create_on_cpu: %ld", PTR_ERR(caller));
		return;
	}
	get_task_struct(caller);
	wake_up_process(caller);

	ftrace_tramp_guard_get_stats(&s0);
	for (i = 0; i < TG_HOLD_ROUNDS; i++) {
		struct tg_fops *o = tg_fops_alloc(h, tg_hold_func, 0);

		if (!o)
			break;
		ops[i] = o;
		if (tg_fops_register(o))
			break;
		KUNIT_EXPECT_TRUE(test, o->ops.flags & FTRACE_OPS_FL_GUARDED);
		if (c->share == TG_MOVED) {
			/* Out of its own trampoline and back in while it lives. */
			tg_expect_site(test, site, o, true);
			second = tg_fops_alloc(NULL, tg_nop_func, FTRACE_OPS_FL_RCU);
			if (!second || tg_fops_register(second)) {
				kfree(second);
				break;
			}
			tg_expect_site(test, site, o, false);
			if (tg_fops_unregister(second))
				break;	/* leaked: still registered */
			tg_fops_free(second);
			second = NULL;
		}
		tg_expect_site(test, site, o, c->share != TG_SHARED);
		WRITE_ONCE(h->dead, false);
		reinit_completion(&h->held);
		reinit_completion(&h->released);
		atomic_set(&h->armed, 1);
		if (!wait_for_completion_timeout(&h->held, 5 * HZ))
			break;
		if (tg_fops_unregister(o))
			break;
		WRITE_ONCE(h->dead, true);
		if (!wait_for_completion_timeout(&h->released, 5 * HZ))
			break;
		rounds++;
	}
	ftrace_tramp_guard_get_stats(&s1);
	migrate_enable();
	kthread_stop_put(caller);
	/* The caller is gone: nothing can run these ops' callbacks any more. */
	synchronize_rcu();
	for (i = 0; i < TG_HOLD_ROUNDS; i++)
		if (ops[i])
			tg_fops_release(ops[i]);

	kunit_info(test, "%s: %u rounds, %d callbacks saw their ops unregistered\n",
		   c->name, rounds, atomic_read(&h->late));
	KUNIT_EXPECT_EQ_MSG(test, rounds, TG_HOLD_ROUNDS,
			    "a round failed: register, hold, unregister or release");
	KUNIT_EXPECT_EQ(test, atomic_read(&h->late), 0);
	/* The second ops of the moved param counts too, once per round. */
	want.tramp_guarded = rounds * (1 + (c->share == TG_MOVED));
	want.shutdown_guarded = want.tramp_guarded;
	tg_expect_stats(test, c->name, &s0, &s1, &want);
}

/* ---- ftrace's own self tests ---- */

/*
 * ftrace's boot-time self tests (CONFIG_FTRACE_STARTUP_TEST) run before this
 * suite and register dynamic ops of their own: those must have had guarded
 * trampolines and guarded unregisters, and no eligible ops may ever have
 * fallen back to execmem. Catches the region being set up after
 * init_trace_selftests() (a core_initcall): every self-test trampoline would
 * then come from execmem and count as tramp_fallback.
 */
static void test_ftrace_selftests(struct kunit *test)
{
	struct ftrace_tramp_guard_stats s;
	bool off;

	if (!IS_ENABLED(CONFIG_FTRACE_STARTUP_TEST))
		kunit_skip(test, "no ftrace startup tests in this kernel");
	/* The mode this kernel was booted with (ftrace.tramp_guard=). */
	off = tg_saved_mode && !strcmp(tg_saved_mode, "off");
	ftrace_tramp_guard_get_stats(&s);
	kunit_info(test,
		   "ftrace.tramp_guard=%s; so far: tramp_guarded %lu tramp_fallback %lu tramp_unguarded %lu shutdown_guarded %lu wait_off %lu\n",
		   tg_saved_mode ?: "?", s.tramp_guarded, s.tramp_fallback,
		   s.tramp_unguarded, s.shutdown_guarded, s.wait_off);
	/*
	 * The counters are cumulative: when the suite runs again after boot,
	 * the boot-time run's own registrations (a fallback among them) are
	 * in them. Only the boot-time run sees what the self tests alone did.
	 */
	if (tramp_guard_kunit_after_boot())
		kunit_skip(test, "checked at boot only: the counters include the boot-time run");
	KUNIT_EXPECT_EQ(test, s.tramp_fallback, 0);
	if (off) {
		/* Booted with "off": the parameter took effect before the tests. */
		KUNIT_EXPECT_EQ(test, s.tramp_guarded, 0);
		KUNIT_EXPECT_EQ(test, s.shutdown_guarded, 0);
		KUNIT_EXPECT_GT(test, s.tramp_unguarded, 0);
		KUNIT_EXPECT_GT(test, s.wait_off, 0);
		return;
	}
	KUNIT_EXPECT_GT(test, s.tramp_guarded, 0);
	KUNIT_EXPECT_GT(test, s.shutdown_guarded, 0);
}

/* ---- the region refuses: execmem trampoline and today's waits ---- */

struct tg_hoard {
	void **units;
	unsigned long n;
};

static void tg_hoard_release(void *arg)
{
	struct tg_hoard *h = arg;

	while (h->n)
		tramp_guard_free(h->units[--h->n]);
	tramp_guard_synchronize();
	kvfree(h->units);
}

/*
 * With the region full, a dynamic ops still gets a working trampoline, from
 * execmem as before, is counted as a fallback, and its unregister waits for
 * RCU Tasks (wait_tramp): the guarded shutdown is chosen by what the arch
 * built (FTRACE_OPS_FL_GUARDED), not by the mode. Catches a registration that fails when
 * the region is full, and a fallback trampoline freed after one grace
 * period.
 */
static void test_ftrace_fallback(struct kunit *test)
{
	struct ftrace_tramp_guard_stats s0, s1, s2, want = { };
	struct tramp_guard_stats st;
	struct tg_probe *p;
	struct tg_hoard *h;
	unsigned long x = 0, max;
	struct tg_fops *o;
	void *unit;

	tg_site(test);
	tramp_guard_get_stats(&st);
	h = kunit_kzalloc(test, sizeof(*h), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, h);
	max = st.region_size / TRAMP_GUARD_ALIGN;
	h->units = kvcalloc(max + 1, sizeof(*h->units), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, h->units);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, tg_hoard_release, h), 0);
	/* Every free unit, one at a time, until the region refuses. */
	while (h->n <= max && (unit = tramp_guard_alloc(TRAMP_GUARD_ALIGN)))
		h->units[h->n++] = unit;
	KUNIT_ASSERT_LE_MSG(test, h->n, max, "more units than the region has");
	kunit_info(test, "region full after %lu more units\n", h->n);

	p = kunit_kzalloc(test, sizeof(*p), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	p->task = current;
	o = tg_fops_new(test, p, tg_probe_func, 0);
	ftrace_tramp_guard_get_stats(&s0);
	tg_register(test, o);
	ftrace_tramp_guard_get_stats(&s1);
	KUNIT_ASSERT_NE(test, o->ops.trampoline, 0);
	KUNIT_EXPECT_FALSE(test, tramp_guard_contains(o->ops.trampoline));
	tg_ftrace_target(&x);
	KUNIT_EXPECT_GT(test, READ_ONCE(p->calls), 0);
	KUNIT_EXPECT_FALSE(test, o->ops.flags & FTRACE_OPS_FL_GUARDED);
	want.tramp_fallback = 1;
	want.tramp_unguarded = 1;
	tg_expect_stats(test, "register, region full", &s0, &s1, &want);

	tg_unregister(test, o);
	ftrace_tramp_guard_get_stats(&s2);
	want = (struct ftrace_tramp_guard_stats){ .wait_tramp = 1 };
	tg_expect_stats(test, "unregister, execmem trampoline", &s1, &s2, &want);
}

static struct kunit_case tg_ftrace_cases[] = {
	KUNIT_CASE(test_ftrace_selftests),
	KUNIT_CASE(test_ftrace_fallback),
	KUNIT_CASE_PARAM(test_ftrace_placement, tg_placement_gen_params),
	KUNIT_CASE(test_ftrace_direct),
	KUNIT_CASE(test_ftrace_fprobe),
	KUNIT_CASE_PARAM(test_ftrace_update_func, tg_update_gen_params),
	KUNIT_CASE_PARAM(test_ftrace_unwind, tg_unwind_gen_params),
	KUNIT_CASE_PARAM(test_ftrace_prologue_unwind, tg_prologue_gen_params),
	KUNIT_CASE_PARAM(test_ftrace_running_callback, tg_hold_gen_params),
	KUNIT_CASE_PARAM_ATTR(test_ftrace_late_callback, tg_late_gen_params,
			      {.speed = KUNIT_SPEED_SLOW}),
	KUNIT_CASE_PARAM_ATTR(test_ftrace_uaf, tg_uaf_gen_params, {.speed = KUNIT_SPEED_SLOW}),
	{}
};

static struct kunit_suite tg_ftrace_suite = {
	.name = "tramp_guard_ftrace",
	.suite_init = tramp_guard_kunit_log_phase,
	.init = tg_case_init,
	.exit = tg_case_exit,
	.test_cases = tg_ftrace_cases,
};

kunit_test_suites(&tg_ftrace_suite);

MODULE_DESCRIPTION("KUnit tests for guarded dynamic ftrace_ops trampolines");
MODULE_LICENSE("GPL");
