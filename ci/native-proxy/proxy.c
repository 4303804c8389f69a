// SPDX-License-Identifier: GPL-2.0
/*
 * Times traced calls through the guarded and the plain trampoline of
 * tramp.S, interleaved, pinned to one CPU; prints ns per call and the ratio
 * of the medians as one JSON object.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

__thread int proxy_count = 0x80000000;
void *proxy_op;
static unsigned long resched;

void traced_plain(void);
void traced_guarded(void);

__attribute__((noinline)) void proxy_callback(unsigned long ip, unsigned long parent,
					      void *op, void *regs)
{
	__asm__ volatile("" ::: "memory");
}

void proxy_resched(void)
{
	resched++;
	proxy_count |= 0x80000000;
}

static double ns_per_call(void (*f)(void), long n)
{
	struct timespec a, b;
	long i;

	clock_gettime(CLOCK_MONOTONIC, &a);
	for (i = 0; i < n; i++)
		f();
	clock_gettime(CLOCK_MONOTONIC, &b);
	return ((b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec)) / n;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

#define RUNS 21

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 20000000;
	double g[RUNS], p[RUNS];
	cpu_set_t set;
	int r;

	CPU_ZERO(&set);
	CPU_SET(0, &set);
	sched_setaffinity(0, sizeof(set), &set);
	ns_per_call(traced_guarded, n / 4);	/* warm up */
	ns_per_call(traced_plain, n / 4);
	for (r = 0; r < RUNS; r++) {
		g[r] = ns_per_call(traced_guarded, n);
		p[r] = ns_per_call(traced_plain, n);
	}
	if (proxy_count != (int)0x80000000 || resched) {
		fprintf(stderr, "preempt count unbalanced: %#x, %lu reschedules\n",
			proxy_count, resched);
		return 1;
	}
	qsort(g, RUNS, sizeof(*g), cmp);
	qsort(p, RUNS, sizeof(*p), cmp);
	printf("{\"calls_per_run\": %ld, \"runs\": %d, \"guarded_ns\": %.3f, "
	       "\"plain_ns\": %.3f, \"guarded_min_ns\": %.3f, \"plain_min_ns\": %.3f, "
	       "\"ratio\": %.3f}\n", n, RUNS, g[RUNS / 2], p[RUNS / 2], g[0], p[0],
	       g[RUNS / 2] / p[RUNS / 2]);
	return 0;
}
