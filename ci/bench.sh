#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Build the benchmark kernel, boot it in QEMU (TCG, -smp $SMP) and run the
# tramp_guard_bench suite after boot (ci/afterboot.sh: normal grace periods
# are normal there; at boot they are all expedited and the suite skips),
# then time BPF detaches from user space in a second boot (ci/bpf-close-init.c),
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
AFTERBOOT_ONLY=1 AFTERBOOT_ARGS="kunit.filter_glob=tramp_guard_bench \
tramp_guard_bench.rounds=${BENCH_ROUNDS:-100} \
tramp_guard_bench.holdout_seconds=${BENCH_HOLDOUT:-5} \
tramp_guard_bench.calls=${BENCH_CALLS:-1000000} \
tramp_guard_bench.churn_seconds=${BENCH_CHURN:-10}" \
	"$TOP/ci/afterboot.sh" "$arch" bench tramp_guard_bench
read -r _ failed _ < "$RESULTS/$arch-bench-afterboot.counts"
[ "$failed" = 0 ] || die "benchmark run failed: see $RESULTS/$arch-bench-afterboot.log"
log=$RESULTS/$arch-bench-afterboot.console.log
# The BPF detach as a user-space tracer sees it: a second boot of the same
# kernel whose /init (ci/bpf-close-init.c) attaches with bpf(2) and times
# each close() of a link; its samples join the first boot's.
build=$BUILDS/$arch-bench
if grep -q '^CONFIG_BPF_SYSCALL=y' "$build/.config"; then
	cpio=$("$TOP/ci/initramfs.sh" "$arch" "$build" "$TOP/ci/bpf-close-init.c")
	QEMU_INITRD=$cpio "$TOP/ci/qemu-boot.sh" "$arch" "$build" "$RESULTS/$arch-bench-bpf-close.console.log" \
		600 "kunit.enable=0 printk.devkmsg=on -- ${BENCH_ROUNDS:-100}"
	grep -a -q 'bpf-close: done' "$RESULTS/$arch-bench-bpf-close.console.log" ||
		die "user-space BPF detach run failed: see $RESULTS/$arch-bench-bpf-close.console.log"
	log=$RESULTS/$arch-bench.console.log
	cat "$RESULTS/$arch-bench-afterboot.console.log" "$RESULTS/$arch-bench-bpf-close.console.log" > "$log"
fi
arch_load "$arch"
note="$arch, QEMU $("$A_QEMU" --version | head -n1 | grep -o '[0-9][0-9.]*' | head -n1) TCG (no KVM), -smp ${SMP:-2}, host $(nproc) cores, Linux $(make -s -C "$TREE" kernelversion), HZ=250"
# Beside the emulated per-call figures, the same sequences on the host CPU.
native=
if [ "$arch" = x86_64 ] && [ "$(uname -m)" = x86_64 ]; then
	"$TOP/ci/native-proxy.sh" > /dev/null && native=$RESULTS/native-proxy.json
fi
python3 "$TOP/ci/bench-report.py" "$log" "$RESULTS/bench-$arch" \
	"$note" $native
# The figures are written once, in docs/results/bench-$arch.json: README.md
# and docs/ are generated from it (ci/docs-check.sh keeps them in step).
mkdir -p "$TOP/docs/results"
cp "$RESULTS/bench-$arch.json" "$TOP/docs/results/bench-$arch.json"
python3 "$TOP/ci/bench-report.py" --docs
msg "docs/results/bench-$arch.json kept; README.md and docs/ regenerated: review and commit them"
