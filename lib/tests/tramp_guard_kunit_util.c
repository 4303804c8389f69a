// SPDX-License-Identifier: GPL-2.0
/*
 * Helpers shared by the tramp_guard use-after-free stresses (the handler
 * suite and the ftrace suite): the detector that reclaimed memory is tiled
 * with, and the thread that keeps preempting the callers.
 */

#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/minmax.h>
#include <linux/string.h>
#include <linux/tramp_guard.h>
#include <asm/tramp_guard.h>

#include "tramp_guard_kunit.h"

/* Read by the arch spin and detector templates. */
int tramp_guard_test_release;
long tramp_guard_test_detections;

static u8 detectors[PAGE_SIZE];

/**
 * tramp_guard_kunit_detectors_ready() - tile the fill buffer with detectors
 *
 * Return: false if the arch's detector is not exactly one unit long, so that
 * a stale caller could resume in the middle of one.
 */
bool tramp_guard_kunit_detectors_ready(void)
{
	size_t off;

	if (__tramp_guard_test_detector_end - __tramp_guard_test_detector != TRAMP_GUARD_ALIGN)
		return false;
	for (off = 0; off < sizeof(detectors); off += TRAMP_GUARD_ALIGN)
		memcpy(detectors + off, __tramp_guard_test_detector, TRAMP_GUARD_ALIGN);
	return true;
}

/**
 * tramp_guard_kunit_fill() - what reclaim writes while a stress runs
 * @addr: reclaimed region memory
 * @len: its length
 *
 * A detector at every unit, i.e. at every address a stale caller can resume
 * at (a unit start, or after a landing pad), written in one pass: a stale
 * caller never meets a half-built state. Serialised by the core's reclaim.
 */
void tramp_guard_kunit_fill(void *addr, size_t len)
{
	size_t off, n;

	for (off = 0; off < len; off += n) {
		n = min(len - off, sizeof(detectors));
		arch_tramp_guard_text_copy(addr + off, detectors, n);
	}
}

/**
 * tramp_guard_kunit_hog() - keep a preempted caller off its CPU
 * @busy_ms: how long each busy period lasts, cast to a pointer
 *
 * Run at SCHED_FIFO on one CPU: busy for @busy_ms, then a short sleep, until
 * stopped. Each wake-up preempts whatever caller runs there, possibly in
 * the window before a trampoline's prologue.
 *
 * Return: 0.
 */
int tramp_guard_kunit_hog(void *busy_ms)
{
	while (!kthread_should_stop()) {
		u64 end = ktime_get_ns() + (uintptr_t)busy_ms * NSEC_PER_MSEC;

		while (ktime_get_ns() < end && !kthread_should_stop())
			cpu_relax();
		usleep_range(500, 1000);
	}
	return 0;
}
