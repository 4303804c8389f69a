#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Leak check after the suites, on a kernel ci/kunit.sh has built with
# CONFIG_DEBUG_KMEMLEAK (the debug flavour): boot it with an initramfs
# (ci/initramfs.sh) whose /init (ci/leakcheck-init.c) runs once the built-in
# suites are done, triggers kmemleak scans and prints the report and
# tramp_guard's statistics.
# Counted tests:
#   ARCH-FLAVOUR-leak          no kmemleak report, no region bytes left live,
#                              no failed case, clean console
#   ARCH-FLAVOUR-leak-control  booted with tramp_guard_kunit.leak_control=1
#                              (leaks one slab object and one region unit on
#                              purpose): both must be found, and the console
#                              watchdog must flag the run
# Usage: ci/leakcheck.sh ARCH FLAVOUR
. "$(dirname "$0")/common.sh"

arch=$1 flavour=$2
build=$BUILDS/$arch-$flavour
grep -q '^CONFIG_DEBUG_KMEMLEAK=y' "$build/.config" 2>/dev/null ||
	die "$build: build the $flavour flavour with CONFIG_DEBUG_KMEMLEAK first"
cpio=$("$TOP/ci/initramfs.sh" "$arch" "$build" "$TOP/ci/leakcheck-init.c")

# One boot; sets $log and prints what it found.
boot() {
	local name=$1 args=$2
	log=$RESULTS/$name.console.log
	QEMU_INITRD=$cpio "$TOP/ci/qemu-boot.sh" "$arch" "$build" "$log" \
		"${LEAKCHECK_TIMEOUT:-900}" "$args"
	leaks=$(grep -a -c 'leakcheck: kmemleak: unreferenced object' "$log" || true)
	live=$(grep -a -o 'leakcheck: tramp_guard: bytes_live: *[0-9]*' "$log" | grep -o '[0-9]*$' || true)
	failed=$(grep -a -c -E '^(\[[ 0-9.]*\] )?[[:space:]]*not ok ' "$log" || true)
	scanned=$(grep -a -c 'leakcheck: kmemleak scan done' "$log" || true)
	msg "$name: kmemleak objects $leaks, tramp_guard bytes_live ${live:-?}, failed cases $failed"
}
count() { if "$2"; then record "$1" ok; else record "$1" fail; fi; }

name=$arch-$flavour-leak
boot "$name" "kunit.enable=1"
clean() {
	[ "$scanned" = 1 ] && [ "$leaks" = 0 ] && [ "$live" = 0 ] && [ "$failed" = 0 ] &&
		"$TOP/ci/console-check.sh" "$log" > "$RESULTS/$name.console-check" 2>&1
}
if clean; then
	count "$name" true
	msg "$name: no leak, no live region byte, clean console"
else
	count "$name" false
	msg "$name: FAILED (see $log and $RESULTS/$name.console-check)"
fi

name=$arch-$flavour-leak-control
boot "$name" "kunit.enable=1 tramp_guard_kunit.leak_control=1"
caught() {
	[ "$scanned" = 1 ] && [ "${live:-0}" != 0 ] &&
		grep -a -q 'leakcheck: kmemleak: .*leak_on_purpose' "$log" &&
		! "$TOP/ci/console-check.sh" "$log" > /dev/null 2>&1
}
if caught; then
	count "$name" true
	msg "$name: both planted leaks found"
else
	count "$name" false
	msg "$name: FAILED: a planted leak went unnoticed ($log)"
fi
