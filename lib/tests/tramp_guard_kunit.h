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
