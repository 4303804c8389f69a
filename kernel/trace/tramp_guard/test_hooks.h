/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The core's hooks for the tramp_guard KUnit suites, in test builds
 * (CONFIG_TRAMP_GUARD_KUNIT_TEST) only: what the suites' negative controls
 * switch off and what their leak checks count. Not for users of the
 * facility; the entry hook's own switch, __tramp_guard_test_unhook, is in
 * <linux/tramp_guard.h> beside the inline hook that reads it.
 */
#ifndef _KERNEL_TRACE_TRAMP_GUARD_TEST_HOOKS_H
#define _KERNEL_TRACE_TRAMP_GUARD_TEST_HOOKS_H

#include <linux/types.h>

#ifdef CONFIG_TRAMP_GUARD_KUNIT_TEST
/* If set, called instead of the arch's trap fill when units are reclaimed. */
extern void (*__tramp_guard_test_reclaim_fill)(void *addr, size_t len);
/* Reclaim without waiting for a grace period (the reuse test's control). */
extern bool __tramp_guard_test_ignore_gp;
/* Free every live allocation; returns how many there were. */
unsigned long __tramp_guard_test_free_all(void);
#endif

#endif /* _KERNEL_TRACE_TRAMP_GUARD_TEST_HOOKS_H */
