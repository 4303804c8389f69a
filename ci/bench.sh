#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Build the benchmark kernel, boot it in QEMU (TCG, -smp $SMP), run only the
# tramp_guard_bench suite and report. Parameters: BENCH_ROUNDS,
# BENCH_HOLDOUT (seconds), BENCH_CALLS, BENCH_CHURN (seconds).
# Usage: ci/bench.sh ARCH
. "$(dirname "$0")/common.sh"

arch=$1
"$TOP/ci/kunit.sh" "$arch" bench 'tramp_guard_bench' \
	--kernel_args="tramp_guard_bench.rounds=${BENCH_ROUNDS:-100}" \
	--kernel_args="tramp_guard_bench.holdout_seconds=${BENCH_HOLDOUT:-5}" \
	--kernel_args="tramp_guard_bench.calls=${BENCH_CALLS:-1000000}" \
	--kernel_args="tramp_guard_bench.churn_seconds=${BENCH_CHURN:-10}"
read -r _ failed _ < "$RESULTS/$arch-bench.counts"
[ "$failed" = 0 ] || die "benchmark run failed: see $RESULTS/$arch-bench.log"
note="$arch, QEMU $(qemu-system-x86_64 --version | head -n1 | grep -o '[0-9][0-9.]*' | head -n1) TCG (no KVM), -smp ${SMP:-2}, host $(nproc) cores, Linux $(make -s -C "$TREE" kernelversion), HZ=250"
python3 "$TOP/ci/bench-report.py" "$RESULTS/$arch-bench.console.log" "$RESULTS/bench-$arch" "$note"
