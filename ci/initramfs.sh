#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Build a one-program initramfs for a kernel built by ci/kunit.sh: INIT_C is
# compiled with the kernel's nolibc (tools/include/nolibc) against the tree's
# own UAPI headers, so no C library is needed for any arch. Prints the path of
# the cpio archive. The kernel needs CONFIG_BLK_DEV_INITRD.
# Usage: ci/initramfs.sh ARCH BUILD_DIR INIT_C
. "$(dirname "$0")/common.sh"

arch=$1 build=$2 src=$3
arch_load "$arch"
cc=$A_CC
grep -q '^CONFIG_BLK_DEV_INITRD=y' "$build/.config" 2>/dev/null ||
	die "$build: needs CONFIG_BLK_DEV_INITRD=y"

rd=$build/initramfs-$(basename "$src" .c)
rm -rf "$rd" && mkdir -p "$rd"
make -s -C "$TREE" O="$build" ARCH="$A_KARCH" INSTALL_HDR_PATH="$rd/usr" headers_install
$cc -Os -static -nostdlib -fno-stack-protector -fno-asynchronous-unwind-tables \
	-isystem "$rd/usr/include" -include "$TREE/tools/include/nolibc/nolibc.h" \
	-o "$rd/init" "$src" -lgcc
gcc -O2 -o "$rd/gen_init_cpio" "$TREE/usr/gen_init_cpio.c"
# /d: where an init may mount debugfs.
printf '%s\n' 'dir /dev 755 0 0' 'nod /dev/console 600 0 0 c 5 1' 'nod /dev/kmsg 600 0 0 c 1 11' \
	'dir /d 755 0 0' \
	"file /init $rd/init 755 0 0" > "$rd/list"
"$rd/gen_init_cpio" "$rd/list" > "$rd/initramfs.cpio"
echo "$rd/initramfs.cpio"
