#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Install the Debian packages the harness needs; as non-root, print the command.
# Usage: ci/deps.sh [extra-package...]
. "$(dirname "$0")/common.sh"

# dwarves: pahole, for the BPF kernels' vmlinux BTF (DEBUG_INFO_BTF).
pkgs="linux-source-6.12 flex bison bc libelf-dev libssl-dev cpio rsync kmod python3 ccache
      git make gcc perl patch python3-ply python3-git clang lld llvm dwarves $*"
for a in $ARCHES; do
	arch_load "$a"
	pkgs="$pkgs $A_PKGS"
done
missing=$(for p in $pkgs; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' || echo "$p"
done)
[ -z "$missing" ] && exit 0
missing=$(echo $missing)
if [ "$(id -u)" != 0 ]; then
	die "missing packages; run: sudo apt-get update && sudo apt-get install -y $missing"
fi
msg "installing: $missing"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
