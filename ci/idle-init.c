// SPDX-License-Identifier: GPL-2.0
/*
 * /init that only waits, built with the kernel's nolibc by ci/initramfs.sh.
 * In-kernel tests such as rcuscale start measuring only once the boot has
 * reached SYSTEM_RUNNING, i.e. once an init runs, and power off themselves.
 */

int main(void)
{
	/* No pause() in nolibc; poll() with no descriptors blocks for good. */
	for (;;)
		poll(NULL, 0, -1);
	return 0;
}
