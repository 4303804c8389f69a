// SPDX-License-Identifier: GPL-2.0
/*
 * /init of the initramfs that ci/leakcheck.sh boots, built with the kernel's
 * nolibc by ci/initramfs.sh.
 * The kernel has run its built-in KUnit suites before it starts us. We ask
 * kmemleak for a scan, copy its report and tramp_guard's statistics to the
 * console, each line prefixed "leakcheck: ", and restart (QEMU runs with
 * -no-reboot, so that ends the run).
 */

#define DEBUGFS "/d"

#include "init-util.h"

static int kmemleak_cmd(const char *cmd)
{
	int fd = open(DEBUGFS "/kmemleak", O_WRONLY);
	int ret = -1;

	if (fd >= 0) {
		ret = write(fd, cmd, strlen(cmd)) == (ssize_t)strlen(cmd) ? 0 : -1;
		close(fd);
	}
	return ret;
}

int main(void)
{
	if (mount("debugfs", DEBUGFS, "debugfs", 0, NULL))
		say("leakcheck: cannot mount debugfs\n");
	if (show(DEBUGFS "/tramp_guard/stats", "leakcheck: tramp_guard: "))
		say("leakcheck: no tramp_guard statistics\n");
	/*
	 * kmemleak reports nothing younger than 5 s (MSECS_MIN_AGE) and only
	 * what was unreferenced and unchanged in two scans: age, then scan
	 * twice. Not a synchronisation: the suites are over before we run.
	 */
	sleep(6);
	if (kmemleak_cmd("scan") || kmemleak_cmd("scan") || show(DEBUGFS "/kmemleak", "leakcheck: kmemleak: "))
		say("leakcheck: kmemleak unavailable\n");
	else
		say("leakcheck: kmemleak scan done\n");
	reboot(LINUX_REBOOT_CMD_RESTART);
	return 0;
}
