#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Build the benchmark kernel, boot it in QEMU (TCG, -smp $SMP) and run the
# tramp_guard_bench suite after boot (ci/afterboot.sh: normal grace periods
# are normal there; at boot they are all expedited and the suite skips),
# then report, keep the JSON in docs/results/ and regenerate the figures of
# README.md and docs/ from it (ci/bench-report.py --docs). Parameters: BENCH_ROUNDS, BENCH_HOLDOUT (seconds),
# BENCH_CALLS, BENCH_CHURN (seconds).
# Usage: ci/bench.sh ARCH
. "$(dirname "$0")/common.sh"

arch=$1
KUNIT_CMD=build "$TOP/ci/kunit.sh" "$arch" bench
read -r _ failed _ < "$RESULTS/$arch-bench.counts"
[ "$failed" = 0 ] || die "benchmark kernel did not build: see $RESULTS/$arch-bench.log"
# Only the benchmark suite runs in this boot, at boot too: the other suites
# would only add time, and the ftrace suite needs single-threaded TCG (its
# live patching trips QEMU's multi-threaded translator: see docs/ftrace.md).
AFTERBOOT_ARGS="kunit.filter_glob=tramp_guard_bench \
tramp_guard_bench.rounds=${BENCH_ROUNDS:-100} \
tramp_guard_bench.holdout_seconds=${BENCH_HOLDOUT:-5} \
tramp_guard_bench.calls=${BENCH_CALLS:-1000000} \
tramp_guard_bench.churn_seconds=${BENCH_CHURN:-10}" \
	"$TOP/ci/afterboot.sh" "$arch" bench tramp_guard_bench
read -r _ failed _ < "$RESULTS/$arch-bench-afterboot.counts"
[ "$failed" = 0 ] || die "benchmark run failed: see $RESULTS/$arch-bench-afterboot.log"
arch_load "$arch"
note="$arch, QEMU $("$A_QEMU" --version | head -n1 | grep -o '[0-9][0-9.]*' | head -n1) TCG (no KVM), -smp ${SMP:-2}, host $(nproc) cores, Linux $(make -s -C "$TREE" kernelversion), HZ=250"
# Beside the emulated per-call figures, the same sequences on the host CPU.
native=
if [ "$arch" = x86_64 ] && [ "$(uname -m)" = x86_64 ]; then
	"$TOP/ci/native-proxy.sh" > /dev/null && native=$RESULTS/native-proxy.json
fi
python3 "$TOP/ci/bench-report.py" "$RESULTS/$arch-bench-afterboot.console.log" "$RESULTS/bench-$arch" \
	"$note" $native
# The figures are written once, in docs/results/bench-$arch.json: README.md
# and docs/ are generated from it (ci/docs-check.sh keeps them in step).
mkdir -p "$TOP/docs/results"
cp "$RESULTS/bench-$arch.json" "$TOP/docs/results/bench-$arch.json"
python3 "$TOP/ci/bench-report.py" --docs
msg "docs/results/bench-$arch.json kept; README.md and docs/ regenerated: review and commit them"
