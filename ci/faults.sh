#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Bad boot parameters and injected set-up failures (fail_tramp_guard=, see
# CONFIG_FAIL_TRAMP_GUARD), on the already built preempt test kernel: each
# boot must print the expected messages, keep the kernel working (KUnit still
# runs, our suites pass or skip; after a failed set-up every API call fails
# cleanly: test_disabled_api) and leave no splat. One counted test per case.
# Usage: ci/faults.sh ARCH [CASE]
. "$(dirname "$0")/common.sh"

arch=$1
# Every boot runs the suites of the allocator and of a disabled facility
# only (tramp_guard_[adr]*: alloc, disabled, region): the guard and ftrace
# suites' stresses would multiply the boot time by each case and add
# nothing a failed set-up changes. ftrace=nop skips ftrace's boot-time self
# tests where the kernel has them, for the same reason.
base="kunit.filter_glob=tramp_guard_[adr]* ftrace=nop"
ok_region="2048 KiB region reserved"
# Our suites skip, and the one for a disabled facility passes.
skipped="region not available|test_disabled_api: every entry point failed cleanly"
injected="FAULT_INJECTION: forcing a failure"
# name | kernel argument | messages that must all appear ("!message": must not)...
cases=(
	"size-zero|tramp_guard.region_size=0|region_size=0 invalid|$ok_region"
	"size-huge|tramp_guard.region_size=1G|region_size=1G invalid|$ok_region"
	"size-nan|tramp_guard.region_size=lots|region_size=lots invalid|$ok_region"
	"size-small|tramp_guard.region_size=64K|64 KiB region reserved|tramp_guard_alloc: pass"
	# The set-up's steps: bitmaps 1-5, region 6, read-only 7.
	"fail-bitmap-1|fail_tramp_guard=1,100,0,1|$injected|disabled: no memory for the allocator|$skipped"
	"fail-bitmap-5|fail_tramp_guard=5,100,0,1|$injected|disabled: no memory for the allocator|$skipped"
	"fail-region|fail_tramp_guard=6,100,0,1|$injected|disabled: cannot allocate the region|$skipped"
	"fail-rox|fail_tramp_guard=7,100,0,1|$injected|disabled: cannot make the region read-only|$skipped"
	# There is no step 8: injection armed but never firing changes nothing.
	"fail-none|fail_tramp_guard=8,100,0,1|$ok_region|tramp_guard_alloc: pass|!$injected"
	# A 64 MiB region filled with one-unit blocks, all freed in one grace
	# period and reclaimed in one batch: no stall, no lockup (reclaim is
	# linear and fills a page at a time).
	"size-64M|tramp_guard.region_size=64M kunit.filter_glob=tramp_guard_alloc.test_exhaustion_recovery|65536 KiB region reserved|reclaimed in one batch"
)
for c in "${cases[@]}"; do
	IFS='|' read -r -a f <<< "$c"
	what=${f[0]} arg=${f[1]} wants=("${f[@]:2}")
	# ci/faults.sh ARCH CASE runs that case only.
	[ -z "${2:-}" ] || [ "$2" = "$what" ] || continue
	name=$arch-fault-$what
	KUNIT_NAME=$name KUNIT_CMD=exec "$TOP/ci/kunit.sh" "$arch" preempt \
		--kernel_args="$base $arg" > /dev/null 2>&1 || true
	log=$RESULTS/$name.console.log
	read -r _ failed _ < "$RESULTS/$name.counts"
	read -r _ splat _ < "$RESULTS/$name-console.counts"
	rm -f "$RESULTS/$name.counts" "$RESULTS/$name-console.counts"
	unmet=
	for w in "${wants[@]}"; do
		if [ "${w#!}" != "$w" ]; then
			! grep -a -q -F "${w#!}" "$log" || unmet+=" '$w'"
		else
			grep -a -q -F "$w" "$log" || unmet+=" '$w'"
		fi
	done
	if [ "$failed" = 0 ] && [ "$splat" = 0 ] && [ -z "$unmet" ]; then
		record "$name" ok
		msg "fault $what ($arg): ok $(grep -a -o '[0-9]* one-unit blocks reclaimed.*' "$log" || true)"
	else
		record "$name" fail
		msg "fault $what ($arg): FAILED (failed cases $failed, splat $splat, unmet:$unmet): $log"
	fi
done
