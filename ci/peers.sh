#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Test suites nobody here wrote, with tramp_guard compiled in and its hooks
# live: the kernel's default KUnit set (compared with a kernel without
# tramp_guard), rcutorture in both RCU flavours and rcuscale (with and
# without tramp_guard, grace-period latency reported). Each result is one
# counted test. Usage: ci/peers.sh [ARCH]
. "$(dirname "$0")/common.sh"

arch=${1:-x86_64}
secs=${TORTURE_SECONDS:-150}

# From check: too late to fit (a cold build), count them as skipped.
if [ -n "${PEERS_DEADLINE:-}" ] && [ "$(date +%s)" -gt "$PEERS_DEADLINE" ]; then
	record "$arch-peers" 0 0 1
	msg "peers skipped: check got here too late for its time budget; run: make -f Makefile.cross peers"
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
# The runs themselves are compared above, not counted on their own.
rm -f "$RESULTS/$arch-peers-all.counts" "$RESULTS/$arch-peers-all-off.counts"

# rcutorture in both flavours, tramp_guard on. No root file system: rootwait
# keeps the kernel waiting for one while rcutorture runs and then powers off.
for flavour in torture-preempt torture-nopreempt; do
	"$TOP/ci/kunit.sh" "$arch" "$flavour" tramp_guard_region >/dev/null 2>&1 || true
	log=$RESULTS/$arch-$flavour.rcutorture.log
	"$TOP/ci/qemu-boot.sh" "$arch" "$BUILDS/$arch-$flavour" "$log" $((secs + 120)) \
		"kunit.enable=0 rootwait root=/dev/vda rcutorture.torture_type=rcu rcutorture.shutdown_secs=$secs rcutorture.stat_interval=30"
	if grep -a -q 'rcu-torture:.*End of test: SUCCESS' "$log"; then
		record "$arch-$flavour" ok
		msg "$flavour: rcutorture SUCCESS"
	else
		record "$arch-$flavour" fail
		msg "$flavour: rcutorture did not report SUCCESS: $log"
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
