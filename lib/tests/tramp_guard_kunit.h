/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared by the tramp_guard KUnit suites.
 *
 * Built-in suites run from kernel_init_freeable(), before
 * rcu_end_inkernel_boot(): every normal grace period is expedited there.
 * The suites can run again once the system is up, through KUnit's debugfs
 * "run" files, where grace periods are what users get. Each suite logs which
 * phase its results come from. A case skipped at boot stays skipped when
 * run again (kunit_run_tests() honours a skipped status left on the case),
 * so a case that only means something after boot must not skip at boot.
 */
#ifndef _TRAMP_GUARD_KUNIT_H
#define _TRAMP_GUARD_KUNIT_H

#include <kunit/test.h>
#include <asm/tramp_guard_test.h>

/* The core's test hooks; lib/tests/Makefile puts their directory on the path. */
#include "test_hooks.h"

/* Exported by kernel/rcu/update.c; declared in kernel/rcu/rcu.h only. */
bool rcu_gp_is_expedited(void);

/*
 * Incremented by the arch's __tramp_guard_test_detector each time freed
 * trampoline memory runs; tramp_guard_kunit_util.c.
 */
extern long tramp_guard_test_detections;
extern int tramp_guard_test_release;
bool tramp_guard_kunit_detectors_ready(void);
void tramp_guard_kunit_fill(void *addr, size_t len);
int tramp_guard_kunit_hog(void *busy_ms);

#ifdef CONFIG_FTRACE_TRAMP_GUARD
#include <linux/completion.h>
#include <linux/ftrace.h>
#include <linux/list.h>

/* tramp_guard_ftrace_kunit_util.c: the traced functions and ops helpers. */
void tg_ftrace_target(unsigned long *p);
unsigned long tg_unwind_caller(void);

/* A dynamic (kzalloc'd) ops filtered on tg_ftrace_target(). */
struct tg_fops {
	struct ftrace_ops ops;
	void *ctx;
	bool registered;
	bool dead;		/* set once unregister_ftrace_function() returned */
	bool seen;		/* the callback ran */
	struct completion first;	/* ... and says so */
	struct list_head node;	/* deferred free */
};

struct tg_fops *tg_fops_alloc(void *ctx, ftrace_func_t func, unsigned long flags);
int tg_fops_register(struct tg_fops *o);
int tg_fops_unregister(struct tg_fops *o);
void tg_fops_free(struct tg_fops *o);
void tg_fops_release(void *arg);
struct tg_fops *tg_fops_new(struct kunit *test, void *ctx, ftrace_func_t func,
			    unsigned long flags);
void tg_register(struct kunit *test, struct tg_fops *o);
void tg_set_mode(struct kunit *test, const char *mode);
void tg_nop_func(unsigned long ip, unsigned long parent_ip,
		 struct ftrace_ops *op, struct ftrace_regs *fregs);
struct tg_fops *tg_second_ops(struct kunit *test);
void tg_expect_stats(struct kunit *test, const char *what,
		     const struct ftrace_tramp_guard_stats *a,
		     const struct ftrace_tramp_guard_stats *b,
		     const struct ftrace_tramp_guard_stats *want);
#endif

#if defined(CONFIG_FTRACE_TRAMP_GUARD) && defined(CONFIG_BPF_SYSCALL) && defined(CONFIG_BPF_JIT)
#include <linux/bpf.h>

/* tramp_guard_bpf_kunit_util.c: a counting program on tg_ftrace_target(). */
struct tg_bpf_prog {
	enum bpf_attach_type type;
	int map_fd, prog_fd, link_fd;	/* in the kernel threads' file table */
	struct bpf_map *map;
	u64 *count;			/* the map's only value */
};

struct tg_bpf_prog *tg_bpf_load(struct kunit *test, enum bpf_attach_type type);
struct tg_bpf_prog *tg_bpf_load_on(struct kunit *test, enum bpf_attach_type type,
				   const char *func);
int tg_bpf_attach(struct tg_bpf_prog *p);
void tg_bpf_detach(struct tg_bpf_prog *p);
void tg_bpf_put_prog_fd(struct tg_bpf_prog *p);
u64 tg_bpf_count(const struct tg_bpf_prog *p);
#define TRAMP_GUARD_KUNIT_BPF 1
#endif

#if defined(CONFIG_FTRACE_TRAMP_GUARD) && defined(CONFIG_ARM64)
/*
 * arch/arm64/kernel/tramp_guard_test.S: non-zero makes the guarded
 * ftrace_caller hold its ops preemptibly (the suite's negative control).
 */
extern u32 __tramp_guard_test_unguard_caller;
#endif

#if defined(CONFIG_FTRACE_TRAMP_GUARD) && defined(CONFIG_X86_64)
/*
 * Labels in arch/x86/kernel/ftrace_64.S that no header declares: where the
 * code copied into an ftrace_ops trampoline ends (the final RET excluded).
 */
void ftrace_caller_end(void);
void ftrace_regs_caller_end(void);
#endif

static inline bool tramp_guard_kunit_after_boot(void)
{
	return system_state == SYSTEM_RUNNING;
}

static inline int tramp_guard_kunit_log_phase(struct kunit_suite *suite)
{
	kunit_log(KERN_INFO, suite, KUNIT_SUBTEST_INDENT "# phase: %s, rcu_gp_is_expedited()=%d\n",
		  tramp_guard_kunit_after_boot() ? "after boot" : "boot",
		  rcu_gp_is_expedited());
	return 0;
}

#endif /* _TRAMP_GUARD_KUNIT_H */
