#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Bad boot parameters and a failed region allocation, on an already built
# test kernel: each boot must print one clear message, keep the kernel
# working (KUnit still runs) and leave no splat. One counted test per case.
# Usage: ci/faults.sh ARCH
. "$(dirname "$0")/common.sh"

arch=$1
# name | kernel argument | message that must appear | message that must appear
cases=(
	"size-zero|tramp_guard.region_size=0|region_size=0 invalid|2048 KiB region reserved"
	"size-huge|tramp_guard.region_size=1G|region_size=1G invalid|2048 KiB region reserved"
	"size-nan|tramp_guard.region_size=lots|region_size=lots invalid|2048 KiB region reserved"
	"size-small|tramp_guard.region_size=64K|64 KiB region reserved|tramp_guard_alloc: pass"
	"init-fails|tramp_guard.inject_init_failure=1|disabled: cannot allocate the region|region not available"
)
for c in "${cases[@]}"; do
	IFS='|' read -r what arg want1 want2 <<< "$c"
	name=$arch-fault-$what
	KUNIT_NAME=$name KUNIT_CMD=exec "$TOP/ci/kunit.sh" "$arch" preempt \
		--kernel_args="$arg" > /dev/null 2>&1 || true
	log=$RESULTS/$name.console.log
	read -r _ failed _ < "$RESULTS/$name.counts"
	read -r _ splat _ < "$RESULTS/$name-console.counts"
	rm -f "$RESULTS/$name.counts" "$RESULTS/$name-console.counts"
	if [ "$failed" = 0 ] && [ "$splat" = 0 ] && grep -a -q -F "$want1" "$log" &&
	   grep -a -q -F "$want2" "$log"; then
		echo "1 0 0" > "$RESULTS/$name.counts"
		msg "fault $what ($arg): ok"
	else
		echo "0 1 0" > "$RESULTS/$name.counts"
		msg "fault $what ($arg): FAILED (failed cases $failed, splat $splat; want '$want1' and '$want2'): $log"
	fi
done
