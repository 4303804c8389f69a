#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Boot a kernel built by ci/kunit.sh in QEMU (TCG) with extra kernel arguments
# and keep its console; for runs that are not KUnit (rcutorture, rcuscale,
# leak check). Ends when the guest restarts (-no-reboot), when it has powered
# off (x86 under qboot only halts: the console line ends it) or at the limit.
# Usage: [QEMU_INITRD=cpio] [QEMU_EXTRA="qemu options"] ci/qemu-boot.sh ARCH BUILD_DIR CONSOLE_LOG TIMEOUT_S "KERNEL ARGS"
. "$(dirname "$0")/common.sh"

arch=$1 build=$2 log=$3 limit=$4 args=$5
arch_load "$arch"
cmd=("$A_QEMU" "${A_MACHINE[@]}" -kernel "$build/$A_IMAGE"
     -append "console=$A_CONSOLE panic=-1 $args")
msg "booting $arch for at most ${limit}s: $args"
: > "$log"
timeout --foreground "$limit" "${cmd[@]}" -nodefaults -m 1024 -smp "${SMP:-2}" -no-reboot \
	-nographic -serial stdio ${QEMU_INITRD:+-initrd "$QEMU_INITRD"} ${QEMU_EXTRA:-} \
	< /dev/null > "$log" 2>&1 &
qemu=$!
# Polling a log, not synchronising a test: the guest has nothing left to do.
while kill -0 "$qemu" 2> /dev/null; do
	if grep -a -q -E '^reboot: (Power down|System halted)' "$log"; then
		kill "$qemu" 2> /dev/null || true
		break
	fi
	sleep 1
done
wait "$qemu" 2> /dev/null || true
