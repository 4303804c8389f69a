#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Test suites nobody here wrote, with tramp_guard compiled in and its hooks
# live, and ftrace in: the kernel's default KUnit set and ftrace's boot-time
# self tests (compared with a kernel without tramp_guard), ftrace's own
# selftests from user space (ci/ftracetest.sh), rcutorture in both
# RCU flavours while a function tracer instance traces its readers, and
# rcuscale (with and without tramp_guard, grace-period latency reported).
# Each result is one counted test.
# Usage: [TORTURE_SECONDS=150] [TORTURE_ARGS="kernel args"] [PEERS_COST_MIN="cold warm"]
#        ci/peers.sh [ARCH]
# TORTURE_ARGS=ftrace.tramp_guard=off is the negative control of the
# rcutorture rows' guarded-trampoline check: they then fail.
. "$(dirname "$0")/common.sh"

arch=${1:-x86_64}
secs=${TORTURE_SECONDS:-150}

# From check (PEERS_COST_MIN="COLD WARM" minutes, from Makefile.cross): only
# if they still fit check's budget, else counted as skipped.
read -r cold warm <<< "${PEERS_COST_MIN:-0 0}"
if ! budget_allows "$cold" "$warm" "$arch-peers-all" "$arch-peers-all-off" \
	"$arch-torture-preempt" "$arch-torture-nopreempt" "$arch-scale" "$arch-scale-off"; then
	record "$arch-peers" 0 0 1
	msg "peers skipped: they do not fit check's time budget; run: make -f Makefile.cross peers"
	exit 0
fi

# Same kernel with and without tramp_guard: the same results. Some upstream
# suites oops and warn on purpose (kunit_fault): no oops=panic, and their
# consoles are not scanned.
KUNIT_OOPS_PANIC=0 "$TOP/ci/kunit.sh" "$arch" peers-all || true
KUNIT_OOPS_PANIC=0 "$TOP/ci/kunit.sh" "$arch" peers-all-off || true
rm -f "$RESULTS/$arch"-peers-all*-console.counts
with=$(grep -a -o 'Ran [0-9]* tests: .*' "$RESULTS/$arch-peers-all.log" | tail -n1 | sed 's/\x1b\[[0-9;]*m//g')
without=$(grep -a -o 'Ran [0-9]* tests: .*' "$RESULTS/$arch-peers-all-off.log" | tail -n1 | sed 's/\x1b\[[0-9;]*m//g')
msg "default KUnit set with tramp_guard:    $with"
msg "default KUnit set without tramp_guard: $without"
# Suite-level KTAP results, ours left out, must be identical.
suites() { grep -a -E '^(not )?ok [0-9]+ ' "$1" | sed -E 's/^(not ok|ok) [0-9]+ /\1 /' |
	grep -v ' tramp_guard' | LC_ALL=C sort; }
if [ -n "$with" ] && [ -n "$without" ] &&
   diff <(suites "$RESULTS/$arch-peers-all-off.console.log") \
	<(suites "$RESULTS/$arch-peers-all.console.log") > "$RESULTS/$arch-peers-diff"; then
	record "$arch-peers-kunit-same" ok
else
	record "$arch-peers-kunit-same" fail
	msg "the default KUnit set differs with tramp_guard: $RESULTS/$arch-peers-diff"
fi
# ftrace's boot-time self tests (function, dynamic ops, function_graph, ...):
# none failed, and as many passed with tramp_guard as without.
selftests() { grep -a -o -E '(PASSED|FAILED)' "$1" | sort | uniq -c | tr -s ' ' | tr '\n' ' '; }
st_with=$(selftests "$RESULTS/$arch-peers-all.console.log")
st_without=$(selftests "$RESULTS/$arch-peers-all-off.console.log")
msg "ftrace self tests with tramp_guard:    $st_with"
msg "ftrace self tests without tramp_guard: $st_without"
if [ "$st_with" = "$st_without" ] && [[ $st_with == *PASSED* ]] && [[ $st_with != *FAILED* ]]; then
	record "$arch-peers-ftrace-selftests" ok
else
	record "$arch-peers-ftrace-selftests" fail
fi
# The runs themselves are compared above, not counted on their own.
rm -f "$RESULTS/$arch-peers-all.counts" "$RESULTS/$arch-peers-all-off.counts"

# ftrace's own selftests from user space, on the same kernel booted with
# ftrace.tramp_guard=on and =off.
"$TOP/ci/ftracetest.sh" "$arch" peers-all || record "$arch-peers-ftracetest" fail

# tools/bootconfig appends ci/torture-ftrace.bconf to the rcutorture initramfs.
mkdir -p "$BUILDS/bootconfig"
make -s -C "$TREE/tools/bootconfig" OUTPUT="$BUILDS/bootconfig/" "$BUILDS/bootconfig/bootconfig" ||
	die "cannot build tools/bootconfig"

# rcutorture in both flavours, tramp_guard on, with ftrace in: a function
# tracer instance (ci/torture-ftrace.bconf) traces rcutorture's reader path
# from boot, through a guarded trampoline where the arch has them. The init
# (ci/torture-init.c) only reports the counters until rcutorture powers off.
for flavour in torture-preempt torture-nopreempt; do
	build=$BUILDS/$arch-$flavour
	"$TOP/ci/kunit.sh" "$arch" "$flavour" tramp_guard_region >/dev/null 2>&1 || true
	log=$RESULTS/$arch-$flavour.rcutorture.log
	cpio=$("$TOP/ci/initramfs.sh" "$arch" "$build" "$TOP/ci/torture-init.c")
	"$BUILDS/bootconfig/bootconfig" -a "$TOP/ci/torture-ftrace.bconf" "$cpio" >/dev/null
	QEMU_INITRD=$cpio "$TOP/ci/qemu-boot.sh" "$arch" "$build" "$log" $((secs + 120)) \
		"kunit.enable=0 bootconfig printk.devkmsg=on rcutorture.torture_type=rcu rcutorture.shutdown_secs=$secs rcutorture.stat_interval=30 ${TORTURE_ARGS:-}"
	why=
	grep -a -q 'rcu-torture:.*End of test: SUCCESS' "$log" || why="rcutorture did not report SUCCESS"
	# The traced reader path ran through the instance's trampoline ...
	grep -a -q -E 'torture-init: cpu[01] (entries|overrun): +[1-9]' "$log" ||
		why="${why:+$why; }the ftrace instance recorded nothing"
	# ... and, where ftrace guards its trampolines, that one was guarded
	# (with CALL_OPS, arm64, every call goes through the one guarded
	# ftrace_caller: there is no trampoline to count).
	if grep -q '^CONFIG_FTRACE_TRAMP_GUARD=y' "$build/.config" &&
	   ! grep -q '^CONFIG_DYNAMIC_FTRACE_WITH_CALL_OPS=y' "$build/.config" &&
	   ! grep -a -q -E 'torture-init: tramp_guarded +[1-9]' "$log"; then
		why="${why:+$why; }no guarded ftrace trampoline"
	fi
	if [ -z "$why" ]; then
		record "$arch-$flavour" ok
		# entries + overrun of both CPUs at the last sample: calls traced.
		calls=$(grep -a -E 'torture-init: cpu[01] (entries|overrun):' "$log" | tail -n 4 |
			awk '{ n += $NF } END { print n + 0 }')
		# (No such line where the arch has no guarded ftrace trampolines.)
		guarded=$(grep -a -o -E 'tramp_guarded +[0-9]+' "$log" | tail -n1 | awk '{ print $2 }' || true)
		msg "$flavour: rcutorture SUCCESS; $calls reader-path calls traced by then, ftrace trampolines guarded: ${guarded:-none (arch has none)}"
	else
		record "$arch-$flavour" fail
		msg "$flavour: $why: $log"
	fi
done

# rcuscale: normal grace periods timed by its writers, with and without
# tramp_guard. It must finish ("Test complete"); the figures are reported,
# not judged (the machine is noisy).
for flavour in scale scale-off; do
	KUNIT_CMD=build "$TOP/ci/kunit.sh" "$arch" "$flavour" >/dev/null 2>&1 || true
	rm -f "$RESULTS/$arch-$flavour.counts"
	log=$RESULTS/$arch-$flavour.rcuscale.log
	cpio=$("$TOP/ci/initramfs.sh" "$arch" "$BUILDS/$arch-$flavour" "$TOP/ci/idle-init.c")
	QEMU_INITRD=$cpio "$TOP/ci/qemu-boot.sh" "$arch" "$BUILDS/$arch-$flavour" "$log" 600 \
		"kunit.enable=0 rcuscale.scale_type=rcu rcuscale.holdoff=5"
	# "rcu-scale: start: S end: E duration: D gps: N batches: B" (ns)
	sum=$(grep -a -o 'rcu-scale: start: .*' "$log" | tail -n1 || true)
	if grep -a -q 'rcu-scale: Test complete' "$log" && [ -n "$sum" ]; then
		record "$arch-$flavour" ok
		echo "$sum" | awk '{ printf "%.1f\n", $7 / $9 / 1000 }' > "$RESULTS/$arch-$flavour.gp-us"
		msg "$flavour: rcuscale complete: $(cat "$RESULTS/$arch-$flavour.gp-us") us per grace period ($sum)"
	else
		record "$arch-$flavour" fail
		msg "$flavour: rcuscale did not complete: $log"
	fi
done
