#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Style gates: checkpatch --strict on the series, what Kconfig allows and
# refuses, kernel-doc -Wall on our sources, htmldocs, the harness's docs
# check (ci/docs-check.sh), and our objects rebuilt with W=1
# in every build folder that exists, then on x86 a relink so that objtool
# checks vmlinux.o. Each gate records 1 passed or 1 failed (objtool: a skip
# when no x86 kernel has been linked).
# Usage: ci/style.sh SERIES_DIR
. "$(dirname "$0")/common.sh"

series=$1
mkdir -p "$RESULTS"
rm -f "$RESULTS"/style-*.counts

gate() {	# name, then the command; its output is kept in the results folder
	local name=$1 log=$RESULTS/style-$1.log
	shift
	if "$@" > "$log" 2>&1; then
		record "style-$name" ok
		msg "style $name: ok"
	else
		record "style-$name" fail
		msg "style $name: FAILED"
		sed 's/^/    /' "$log" | tail -n 40 >&2
	fi
}

# The first patch adds the MAINTAINERS entry for the whole series; later
# patches that add files get checkpatch's FILE_PATH_CHANGES reminder, so
# instead of it every new file is checked to be covered by that entry.
checkpatch() {
	local p first=1
	for p in "$series"/*.patch; do
		if [ $first = 1 ]; then
			(cd "$TREE" && scripts/checkpatch.pl --strict -q "$p") || return 1
			first=0
		else
			(cd "$TREE" && scripts/checkpatch.pl --strict -q --ignore FILE_PATH_CHANGES "$p") || return 1
		fi
	done
	for p in $(overlay_files | grep -E 'tramp[_-]guard'); do
		(cd "$TREE" && scripts/get_maintainer.pl --nogit --nogit-fallback -f "$p") |
			grep -q 'TRAMPOLINE GUARD' || { echo "$p: not covered by MAINTAINERS"; return 1; }
	done
}

# Our new files only: patched upstream headers keep their own warnings.
kerneldoc() {
	local files
	files=$(overlay_files | grep -E '\.(c|h)$')
	(cd "$TREE" && scripts/kernel-doc -none -Wall $files 2>&1) | tee /dev/stderr | { ! grep -q .; }
}

w1() {	# our objects, rebuilt with W=1 in one build folder; no warning allowed
	local build=$1 cross=() objs out
	local llvm=()
	arch_load "$(basename "$build" | cut -d- -f1)"
	[ -n "$A_CROSS" ] && cross=(CROSS_COMPILE="$A_CROSS")
	grep -q '^CONFIG_CC_IS_CLANG=y' "$build/.config" && { llvm=(LLVM=1); cross=(); }
	# Our new objects that this configuration builds.
	objs=$(overlay_files | grep -E '\.(c|S)$' | sed 's/\.[cS]$/.o/' |
		while read -r o; do [ -f "$build/$o" ] && echo "$o"; done)
	local cc="ccache $A_CC"
	[ ${#llvm[@]} -gt 0 ] && cc="ccache clang"
	out=$(make -C "$TREE" O="$build" ARCH="$A_KARCH" "${cross[@]}" "${llvm[@]}" CC="$cc" \
		W=1 -j"$JOBS" $objs 2>&1) || { echo "$out"; return 1; }
	echo "$out"
	echo "$out" | grep -E -i 'warning|error' && return 1
	[ "$(basename "$build")" = x86_64-preempt ] || return 0
	# With IBT, objtool checks vmlinux.o at link time, not each object:
	# relink once here; the other x86 links are checked in their logs.
	out=$(make -C "$TREE" O="$build" ARCH="$A_KARCH" CC="$cc" -j"$JOBS" vmlinux 2>&1) ||
		{ echo "$out"; return 1; }
	! echo "$out" | grep -E 'objtool:|warning'
}

# objtool's findings in every x86 kernel linked by this run.
objtool_logs() {
	! grep -a -H 'objtool:' "$RESULTS"/x86_64-*.log 2>/dev/null
}

# Our rst and the kernel-doc it pulls in, built by Sphinx (the trace book
# only, ~2-3 min): no warning may name a file of ours. Upstream trace
# documents have warnings of their own in 6.12.
htmldocs() {
	"$TOP/ci/deps.sh" python3-sphinx
	make -C "$TREE" O="$WORK/htmldocs" SPHINXDIRS=trace htmldocs 2>&1 |
		tee /dev/stderr | { ! grep -E 'tramp[_-]guard.*(WARNING|ERROR)|(WARNING|ERROR).*tramp[_-]guard'; }
}

# Kconfig refuses what cannot work, and allows what does: allnoconfig plus
# a fragment asking for TRAMP_GUARD, then read what Kconfig made of it.
kconfig_case() {	# arch, y|n expected, fragment lines...
	local arch=$1 want=$2 dir=$WORK/kconfig-probe frag got
	shift 2
	arch_load "$arch"
	mkdir -p "$dir"
	frag=$dir/$arch.fragment
	printf '%s\n' CONFIG_TRAMP_GUARD=y "$@" > "$frag"
	make -s -C "$TREE" O="$dir/$arch" ARCH="$A_KARCH" CROSS_COMPILE="$A_CROSS" \
		KCONFIG_ALLCONFIG="$frag" allnoconfig > /dev/null 2>&1 || { echo "$arch: allnoconfig failed"; return 1; }
	# A refusal proves something only if the probe got what it asked for.
	for o in "$@"; do
		grep -q -x -e "$o" -e "# ${o%=n} is not set" "$dir/$arch/.config" ||
			{ echo "$arch: the probe did not get $o"; return 1; }
	done
	got=$(grep -q '^CONFIG_TRAMP_GUARD=y' "$dir/$arch/.config" && echo y || echo n)
	echo "$arch $*: TRAMP_GUARD=$got (want $want)"
	[ "$got" = "$want" ]
}

kconfig() {
	kconfig_case x86_64 y CONFIG_64BIT=y CONFIG_SMP=y &&
	kconfig_case x86_64 n CONFIG_64BIT=y CONFIG_SMP=n &&
	kconfig_case arm64 y &&
	kconfig_case riscv64 y CONFIG_64BIT=y CONFIG_MMU=y &&
	kconfig_case riscv64 n CONFIG_64BIT=y CONFIG_MMU=y CONFIG_NONPORTABLE=y \
		CONFIG_SPARSEMEM_MANUAL=y CONFIG_SPARSEMEM=y CONFIG_XIP_KERNEL=y
}

gate checkpatch checkpatch
gate kconfig kconfig
gate kernel-doc kerneldoc
gate htmldocs htmldocs
# README.md and docs/ against their sources (figures, configuration lists,
# links): no kernel needed.
gate docs "$TOP/ci/docs-check.sh"
# Only a link runs objtool on vmlinux.o: without any x86 kernel there is
# nothing to report on, which is a skip, not a pass.
if compgen -G "$BUILDS/x86_64-*/vmlinux" > /dev/null; then
	gate objtool objtool_logs
else
	record style-objtool 0 0 1
	msg "style objtool: skipped (no x86_64 kernel linked yet; run make -f Makefile.cross first)"
fi
for b in "$BUILDS"/*/; do
	grep -q '^CONFIG_TRAMP_GUARD_KUNIT_TEST=y' "$b/.config" 2>/dev/null || continue
	gate "w1-$(basename "$b")" w1 "${b%/}"
done
