// SPDX-License-Identifier: GPL-2.0
/*
 * Shared by the arch's tramp_guard_ftrace suite (x86_64: guarded ops
 * trampolines, arm64: the guarded ftrace_caller): the traced functions, the
 * dynamic ops the suites register on them, and ftrace's tramp_guard
 * counters. Built with the ftrace flags, so the targets have call sites.
 */

#include <kunit/test.h>
#include <linux/ftrace.h>
#include <linux/slab.h>

#include "tramp_guard_kunit.h"

/**
 * tg_ftrace_target() - the traced function
 * @p: incremented once per call
 *
 * noinline and __noclone keep exactly one copy with one call site; the
 * store keeps its body, and so the call, from being optimised away.
 */
noinline __noclone void tg_ftrace_target(unsigned long *p)
{
	WRITE_ONCE(*p, *p + 1);
	barrier();
}

/**
 * tg_unwind_caller() - calls the target from a known place
 *
 * Return: 1, what one call of the target made of a zero.
 */
noinline __noclone unsigned long tg_unwind_caller(void)
{
	unsigned long x = 0;

	tg_ftrace_target(&x);
	return READ_ONCE(x);
}

struct tg_fops *tg_fops_alloc(void *ctx, ftrace_func_t func, unsigned long flags)
{
	struct tg_fops *o = kzalloc(sizeof(*o), GFP_KERNEL);

	if (!o)
		return NULL;
	o->ctx = ctx;
	o->ops.func = func;
	o->ops.flags = flags;
	init_completion(&o->first);
	INIT_LIST_HEAD(&o->node);
	return o;
}

/* Filter on the target alone, then register. */
int tg_fops_register(struct tg_fops *o)
{
	int ret = ftrace_set_filter_ip(&o->ops, (unsigned long)tg_ftrace_target, 0, 0);

	if (!ret)
		ret = register_ftrace_function(&o->ops);
	if (!ret)
		o->registered = true;
	return ret;
}

int tg_fops_unregister(struct tg_fops *o)
{
	int ret = unregister_ftrace_function(&o->ops);

	if (!ret)
		o->registered = false;
	return ret;
}

/* Free an ops; one that could not be unregistered is leaked, never freed. */
void tg_fops_free(struct tg_fops *o)
{
	if (o->registered)
		return;
	ftrace_free_filter(&o->ops);
	kfree(o);
}

void tg_fops_release(void *arg)
{
	struct tg_fops *o = arg;

	if (o->registered)
		tg_fops_unregister(o);
	tg_fops_free(o);
}

/* A KUnit-managed ops: unregistered and freed when the case ends. */
struct tg_fops *tg_fops_new(struct kunit *test, void *ctx, ftrace_func_t func,
			    unsigned long flags)
{
	struct tg_fops *o = tg_fops_alloc(ctx, func, flags);

	KUNIT_ASSERT_NOT_NULL(test, o);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, tg_fops_release, o), 0);
	return o;
}

void tg_register(struct kunit *test, struct tg_fops *o)
{
	int ret = tg_fops_register(o);

	if (ret == -ENODEV)
		kunit_skip(test, "ftrace is disabled");
	KUNIT_ASSERT_EQ_MSG(test, ret, 0, "registering an ops filtered on the target");
}

void tg_set_mode(struct kunit *test, const char *mode)
{
	KUNIT_ASSERT_NOT_NULL_MSG(test, ftrace_tramp_guard_test_set_mode(mode),
				  "ftrace.tramp_guard=%s", mode);
}

void notrace tg_nop_func(unsigned long ip, unsigned long parent_ip,
			 struct ftrace_ops *op, struct ftrace_regs *fregs)
{
}

/*
 * A second dynamic ops on the target, so that the record counts two ops and
 * the site reaches the list function (x86: through the static caller;
 * arm64: ftrace_caller, the site's literal naming ftrace_list_ops). RCU
 * flag: the list function then also tests rcu_is_watching() for it.
 */
struct tg_fops *tg_second_ops(struct kunit *test)
{
	struct tg_fops *o = tg_fops_new(test, NULL, tg_nop_func, FTRACE_OPS_FL_RCU);

	tg_register(test, o);
	return o;
}

#define TG_STAT(f)	{ #f, offsetof(struct ftrace_tramp_guard_stats, f) }

static const struct {
	const char *name;
	size_t off;
} tg_stat_fields[] = {
	TG_STAT(tramp_guarded),
	TG_STAT(tramp_fallback),
	TG_STAT(tramp_unguarded),
	TG_STAT(shutdown_guarded),
	TG_STAT(shutdown_guarded_no_tramp),
	TG_STAT(shutdown_guarded_direct),
	TG_STAT(wait_off),
	TG_STAT(wait_direct),
	TG_STAT(wait_tramp),
};

static unsigned long tg_stat(const struct ftrace_tramp_guard_stats *s, size_t off)
{
	return *(const unsigned long *)((const char *)s + off);
}

/*
 * Every counter moved between @a and @b by exactly what @want says, the
 * ones @want leaves zero not at all. Catches a shutdown that took the wrong
 * path (a guarded one waiting for RCU Tasks counts a wait_* reason; an "off"
 * one skipping the waits counts shutdown_guarded), and a trampoline that
 * fell back to execmem (tramp_fallback).
 */
void tg_expect_stats(struct kunit *test, const char *what,
		     const struct ftrace_tramp_guard_stats *a,
		     const struct ftrace_tramp_guard_stats *b,
		     const struct ftrace_tramp_guard_stats *want)
{
	char line[256] = "";
	size_t len = 0;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(tg_stat_fields); i++) {
		size_t off = tg_stat_fields[i].off;
		unsigned long d = tg_stat(b, off) - tg_stat(a, off);

		if (d)
			len += scnprintf(line + len, sizeof(line) - len, " %s +%lu",
					 tg_stat_fields[i].name, d);
		KUNIT_EXPECT_EQ_MSG(test, d, tg_stat(want, off), "%s: %s", what,
				    tg_stat_fields[i].name);
	}
	kunit_info(test, "%s: counter deltas:%s\n", what, len ? line : " none");
}
