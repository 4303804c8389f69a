#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Run KUnit suites after boot, on a kernel ci/kunit.sh has built: built-in
# suites run before rcu_end_inkernel_boot(), where every normal grace period
# is expedited; an init (ci/afterboot-init.c) runs them again through their
# debugfs "run" files once the system is running. The suites print the phase
# and rcu_gp_is_expedited() in their logs; both are required here.
# Counted: the suites' cases (a suite that crashed, hung or printed no
# results is one failure), plus the console watchdog and the phase check as
# one test. Usage: ci/afterboot.sh ARCH FLAVOUR SUITE... (env: AFTERBOOT_ARGS,
# AFTERBOOT_ONLY)
. "$(dirname "$0")/common.sh"

arch=$1 flavour=$2
shift 2
name=$arch-$flavour-afterboot
build=$BUILDS/$arch-$flavour
# Every consumer the kernel has runs after boot too: with ftrace's use of
# tramp_guard built in, its suite, and with BPF trampolines, BPF's (unless
# AFTERBOOT_ONLY=1: exactly the suites named, as the benchmark wants).
consumer() {	# suite, config options it needs
	local suite=$1 opt
	shift
	for opt; do
		grep -q "^$opt=y" "$build/.config" || return 0
	done
	[[ " $extra " == *" $suite "* ]] || extra="$extra $suite"
}
extra=" $* "
if [ "${AFTERBOOT_ONLY:-0}" != 1 ]; then
	consumer tramp_guard_ftrace CONFIG_FTRACE_TRAMP_GUARD
	consumer tramp_guard_bpf CONFIG_FTRACE_TRAMP_GUARD CONFIG_BPF_SYSCALL CONFIG_BPF_JIT
fi
# shellcheck disable=SC2086 # a list of suite names
set -- $extra
cpio=$("$TOP/ci/initramfs.sh" "$arch" "$build" "$TOP/ci/afterboot-init.c")
log=$RESULTS/$name.console.log
ktap=$RESULTS/$name.ktap
# The suites run at boot too (the executor registers their debugfs files).
# With AFTERBOOT_BOOT_ROW=1 their boot-time results in the same console are
# the configuration's own row, as ci/kunit.sh would record it from a boot of
# its own (check then only builds the kernel with ci/kunit.sh: one boot
# fewer); else only the after-boot results are read here.
QEMU_EXTRA=$(flavour_qemu_args "$arch" "$flavour") \
QEMU_INITRD=$cpio "$TOP/ci/qemu-boot.sh" "$arch" "$build" "$log" "${AFTERBOOT_TIMEOUT:-1200}" \
	"kunit.enable=1 oops=panic printk.devkmsg=on ${AFTERBOOT_ARGS:-} -- $*"

# One KTAP document: our plan, then each suite's results renumbered.
missing=0 i=0
{
	echo "KTAP version 1"
	echo "1..$#"
	for suite in "$@"; do
		i=$((i + 1))
		lines=$(tr -d '\r' < "$log" | sed -n "s/^afterboot: $suite: //p")
		if ! grep -q -x end <<< "$lines"; then
			echo "not ok $i $suite # no results after boot (crash or hang)"
			missing=$((missing + 1))
			continue
		fi
		# Drop the results file's own "KTAP version 1" and "1..1".
		sed -e '1,2d' -e '/^end$/d' -e "s/^\(not ok\|ok\) 1 $suite\$/\1 $i $suite/" <<< "$lines"
	done
} > "$ktap"
(cd "$TREE" && python3 tools/testing/kunit/kunit.py parse "$ktap") > "$RESULTS/$name.log" 2>&1 || true
read -r passed failed skipped <<< "$(record_ktap "$name" "$RESULTS/$name.log" "$missing")"

if [ "${AFTERBOOT_BOOT_ROW:-0}" = 1 ]; then
	boot=$arch-$flavour
	(cd "$TREE" && python3 tools/testing/kunit/kunit.py parse "$log") > "$RESULTS/$boot.log" 2>&1 || true
	read -r bp bf bs <<< "$(record_ktap "$boot" "$RESULTS/$boot.log")"
	msg "$boot: $bp passed, $bf failed, $bs skipped (at boot, same boot; $RESULTS/$boot.log)"
fi

# Every suite must say it ran after boot with normal grace periods.
phases=$(grep -c '# phase: after boot, rcu_gp_is_expedited()=0' "$ktap" || true)
if [ "$phases" -ge $# ] && "$TOP/ci/console-check.sh" "$log" > "$RESULTS/$name.console-check" 2>&1; then
	record "$name-phase-console" ok
else
	record "$name-phase-console" fail
	msg "$name: phase lines $phases of $#, or a splat: $RESULTS/$name.console-check"
fi
msg "$name: $passed passed, $failed failed, $skipped skipped (after boot; $log)"
