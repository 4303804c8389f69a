#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Run the window tests and the use-after-free stress (with their controls)
# again and again for SOAK_MINUTES (default 10) on one kernel, and report
# iterations and detections: guarded detections must stay zero.
# Usage: ci/soak.sh ARCH
. "$(dirname "$0")/common.sh"

arch=$1
end=$(( $(date +%s) + ${SOAK_MINUTES:-10} * 60 ))
"$TOP/ci/kunit.sh" "$arch" preempt tramp_guard_handler > /dev/null
iter=0 failed=0 guarded=0 control=0 replaced=0
while [ "$(date +%s)" -lt "$end" ]; do
	KUNIT_CMD=exec "$TOP/ci/kunit.sh" "$arch" preempt tramp_guard_handler > /dev/null 2>&1 || true
	read -r _ f _ < "$RESULTS/$arch-preempt.counts"
	read -r _ cf _ < "$RESULTS/$arch-preempt-console.counts"
	log=$RESULTS/$arch-preempt.console.log
	g=$(sed -n 's/.*guarded: \([0-9]*\) replacements.* \([0-9]*\) detections.*/\2/p' "$log")
	r=$(sed -n 's/.*guarded: \([0-9]*\) replacements.*/\1/p' "$log")
	c=$(sed -n 's/.*control: .* \([0-9]*\) detections.*/\1/p' "$log")
	iter=$((iter + 1)) failed=$((failed + f + cf))
	guarded=$((guarded + ${g:-1})) control=$((control + ${c:-0})) replaced=$((replaced + ${r:-0}))
	msg "soak $iter: failed $((f + cf)), guarded detections ${g:-?}, control detections ${c:-?}"
done
echo "soak: $iter iterations, $replaced guarded replacements, guarded detections $guarded, control detections $control, failed cases $failed"
rm -f "$RESULTS"/*.counts
record soak "$((iter - failed > 0 ? iter - failed : 0))" "$failed" 0
[ "$guarded" = 0 ] && [ "$failed" = 0 ]
