// SPDX-License-Identifier: GPL-2.0
/*
 * /init for the rcutorture boots of ci/peers.sh, built with the kernel's
 * nolibc by ci/initramfs.sh. rcutorture runs from its initcall and powers
 * the machine off after rcutorture.shutdown_secs; this init only reports, once
 * a minute, what ftrace has live meanwhile: the tramp_guard ftrace counters
 * (is the bootconfig instance's trampoline guarded?) and the instance's ring
 * buffer statistics on CPUs 0 and 1 (is the traced rcutorture code running
 * through it?).
 * Each line is prefixed "torture-init: ".
 */

#define DEBUGFS "/d"

#include "init-util.h"

int main(void)
{
	out_fd = open("/dev/kmsg", O_WRONLY);
	if (out_fd < 0)
		out_fd = 1;
	if (mount("debugfs", DEBUGFS, "debugfs", 0, NULL))
		say("torture-init: cannot mount debugfs\n");

	for (;;) {
		if (show(DEBUGFS "/tramp_guard/ftrace", "torture-init: ") < 0)
			say("torture-init: no tramp_guard ftrace counters\n");
		show(DEBUGFS "/tracing/instances/torture/per_cpu/cpu0/stats",
		     "torture-init: cpu0 ");
		show(DEBUGFS "/tracing/instances/torture/per_cpu/cpu1/stats",
		     "torture-init: cpu1 ");
		/* A sample point, not synchronisation: rcutorture ends the boot. */
		sleep(60);
	}
	return 0;
}
