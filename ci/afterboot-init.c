// SPDX-License-Identifier: GPL-2.0
/*
 * /init of the initramfs that ci/afterboot.sh boots, built with the kernel's
 * nolibc by ci/initramfs.sh. By the time an init runs the kernel has left
 * the boot phase: system_state is SYSTEM_RUNNING and rcu_end_inkernel_boot()
 * has made normal grace periods normal again. We run each KUnit suite named
 * on the command line (after "--") through its debugfs "run" file, one after
 * the other, and copy its KTAP results to the kernel log (/dev/kmsg: one
 * record per line, never interleaved with the kernel's messages; boot with
 * printk.devkmsg=on), each line prefixed "afterboot: <suite>: ", then
 * "afterboot: <suite>: end". A suite that crashes the kernel or hangs never
 * prints its end line.
 */

#define DEBUGFS "/d"

#include "init-util.h"

/* nolibc has no snprintf(); @suite comes from our own command line. */
static void join(char *dst, const char *a, const char *b, const char *c)
{
	strcpy(dst, a);
	strcpy(dst + strlen(dst), b);
	strcpy(dst + strlen(dst), c);
}

static void run_suite(const char *suite)
{
	static char path[256], prefix[128];
	int fd;

	if (strlen(suite) > 64) {
		say("afterboot: suite name too long\n");
		return;
	}

	join(prefix, "afterboot: ", suite, ": ");
	join(path, DEBUGFS "/kunit/", suite, "/run");
	fd = open(path, O_WRONLY);
	if (fd < 0) {
		say_line(prefix, "no debugfs run file", 19);
		return;
	}
	/* Returns once the whole suite has run. */
	write(fd, "1", 1);
	close(fd);
	join(path, DEBUGFS "/kunit/", suite, "/results");
	if (show(path, prefix)) {
		say_line(prefix, "no results", 10);
		return;
	}
	say_line(prefix, "end", 3);
}

int main(int argc, char **argv)
{
	int kmsg = open("/dev/kmsg", O_WRONLY);
	int i;

	if (kmsg >= 0)
		out_fd = kmsg;
	if (mount("debugfs", DEBUGFS, "debugfs", 0, NULL))
		say("afterboot: cannot mount debugfs\n");
	for (i = 1; i < argc; i++)
		run_suite(argv[i]);
	reboot(LINUX_REBOOT_CMD_RESTART);
	return 0;
}
