# SPDX-License-Identifier: GPL-2.0
# The harness's one architecture table; sourced by common.sh. Adding an
# architecture is one row here (plus ci/kunitconfig/<name>.config).
#
# name     kernel ARCH, kunit.py --arch, CROSS_COMPILE, QEMU binary, boot image,
#          console, QEMU machine options, Debian packages for both
ARCHES="x86_64 arm64 riscv64"

arch_load() {
	case $1 in
	x86_64)	A_KARCH=x86_64 A_KUNIT=x86_64 A_CROSS= A_QEMU=qemu-system-x86_64
		A_IMAGE=arch/x86/boot/bzImage A_CONSOLE=ttyS0
		A_MACHINE=(-bios qboot.rom)
		A_PKGS="qemu-system-x86" ;;
	arm64)	A_KARCH=arm64 A_KUNIT=arm64 A_CROSS=aarch64-linux-gnu- A_QEMU=qemu-system-aarch64
		A_IMAGE=arch/arm64/boot/Image.gz A_CONSOLE=ttyAMA0
		A_MACHINE=(-machine virt -cpu max,pauth-impdef=on)
		A_PKGS="gcc-aarch64-linux-gnu qemu-system-arm" ;;
	riscv64) A_KARCH=riscv A_KUNIT=riscv A_CROSS=riscv64-linux-gnu- A_QEMU=qemu-system-riscv64
		A_IMAGE=arch/riscv/boot/Image A_CONSOLE=ttyS0
		A_MACHINE=(-machine virt -cpu rv64
			   -bios /usr/share/qemu/opensbi-riscv64-generic-fw_dynamic.bin)
		A_PKGS="gcc-riscv64-linux-gnu qemu-system-misc qemu-system-data" ;;
	*)	die "ARCH=$1: want one of $ARCHES" ;;
	esac
	A_CC=${A_CROSS}gcc
}
