#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# /init of the ftracetest initramfs (ci/ftracetest.sh): busybox, the kernel's
# tools/testing/selftests/ftrace, then tramp_guard's ftrace counters. Every
# line goes to the kernel log as one record ("ftracetest: ..."; boot with
# printk.devkmsg=on), so kernel messages cannot split a result line.
/bin/busybox --install -s /bin
export PATH=/bin
mkdir -p /proc /sys /tmp
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t tmpfs tmpfs /tmp
mount -t debugfs debugfs /sys/kernel/debug
mount -t tracefs tracefs /sys/kernel/tracing
say() {
	while IFS= read -r line; do
		echo "ftracetest: $line" > /dev/kmsg
	done
}
cd /ftrace
{ ./ftracetest 2>&1; echo "exit $?"; } | say
if [ -r /sys/kernel/debug/tramp_guard/ftrace ]; then
	say < /sys/kernel/debug/tramp_guard/ftrace
fi
echo end | say
# -no-reboot: QEMU exits (x86 under qboot cannot power off).
reboot -f
