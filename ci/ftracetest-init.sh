#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# /init of the ftracetest initramfs (ci/ftracetest.sh): busybox, the kernel's
# tools/testing/selftests/ftrace, then tramp_guard's ftrace counters.
/bin/busybox --install -s /bin
export PATH=/bin
mkdir -p /proc /sys /tmp
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t tmpfs tmpfs /tmp
mount -t debugfs debugfs /sys/kernel/debug
mount -t tracefs tracefs /sys/kernel/tracing
echo "ftracetest-init: $(cat /proc/cmdline)"
cd /ftrace && ./ftracetest 2>&1
echo "ftracetest-init: exit $?"
if [ -r /sys/kernel/debug/tramp_guard/ftrace ]; then
	sed 's/^/ftracetest-init: /' /sys/kernel/debug/tramp_guard/ftrace
fi
echo "ftracetest-init: end"
poweroff -f
