# SPDX-License-Identifier: GPL-2.0
# Shared settings for the ci/ scripts; sourced, not run.
set -euo pipefail

# make -f Makefile.cross ARCH=riscv64 hands our arch name, which is not the
# kernel's (riscv), to every make below through MAKEFLAGS and the
# environment: scripts take the arch as an argument and pass the kernel's
# ARCH to each make explicitly.
unset ARCH CROSS_COMPILE MAKEFLAGS MAKEOVERRIDES MFLAGS

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
WORK=${WORK:-$TOP/work}
TARBALL=${TARBALL:-/usr/src/linux-source-6.12.tar.xz}
JOBS=${JOBS:-$(nproc)}

# The pristine tree and its build folders are keyed by where the source
# came from, so KERNEL_SRC=/path never mixes with the Debian tree.
if [ -n "${KERNEL_SRC:-}" ]; then
	TREE_ID=ksrc-$(printf %s "$(realpath "$KERNEL_SRC")" | md5sum | cut -c1-8)
else
	TREE_ID=debian
fi
TREE=$WORK/$TREE_ID/linux
BUILDS=$WORK/$TREE_ID/build
RESULTS=$WORK/results
OUT=$WORK/out

# The overlay: new kernel files, laid on the tree as they are in the repo.
OVERLAY_DIRS="arch include kernel lib Documentation tools"

export CCACHE_DIR=${CCACHE_DIR:-$HOME/.cache/tramp_guard-ccache}
export CCACHE_BASEDIR=$WORK CCACHE_NOHASHDIR=1 CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-5G}

# Debian's python3 first: the kernel's scripts (checkpatch's spdxcheck) need
# its python3-ply and python3-git, which a pyenv interpreter may lack.
export PATH=/usr/bin:/bin:$PATH

msg() { printf '>>> %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

. "$TOP/ci/arches.sh"

# The one result writer: a row of the closing table (ci/summary.sh).
# record NAME PASSED FAILED SKIPPED, or record NAME ok|fail for one test.
record() {
	mkdir -p "$RESULTS"
	case $2 in
	ok) echo "1 0 0" ;;
	fail) echo "0 1 0" ;;
	*) echo "$2 $3 $4" ;;
	esac > "$RESULTS/$1.counts"
}

# The kunitconfig files of a configuration, in the order they apply (later
# lines win): for each flavour of ARCH-FLAVOUR (several joined by "+"), its
# file, then the arch's additions to it if any (x86_64-preempt.config: the
# x86_64 preempt row also carries the function tracer).
flavour_files() {	# arch, flavour
	local f
	for f in ${2//+/ }; do
		config_file "$TOP/ci/kunitconfig/$f.config"
		[ ! -e "$TOP/ci/kunitconfig/$1-$f.config" ] || config_file "$TOP/ci/kunitconfig/$1-$f.config"
	done
}

# A kunitconfig file, then the fragments it names in "# include: NAME"
# lines (ci/kunitconfig/NAME.config), each right after it.
config_file() {	# path
	local i
	echo "$1"
	for i in $(sed -n 's/^# include: //p' "$1"); do
		config_file "$TOP/ci/kunitconfig/$i.config"
	done
}

# A configuration may ask for QEMU options ("# qemu_args: ..." in one of its
# files), e.g. single-threaded TCG where live code patching races with
# QEMU's multi-threaded translator.
flavour_qemu_args() {	# arch, flavour
	sed -n 's/^# qemu_args: //p' $(flavour_files "$1" "$2") | sort -u | tr '\n' ' '
}

# check's time budget: CHECK_START (seconds since the epoch) and
# CHECK_BUDGET_MIN, both exported by Makefile.cross. May a step that takes
# about COLD minutes (WARM when its kernels are built already) start now and
# still end inside the budget? Always yes outside check.
budget_allows() {	# cold minutes, warm minutes, build folders...
	local est=$2 b
	[ -n "${CHECK_START:-}" ] || return 0
	for b in "${@:3}"; do
		[ -f "$BUILDS/$b/vmlinux" ] || est=$1
	done
	[ $(($(date +%s) + est * 60)) -le $((CHECK_START + CHECK_BUDGET_MIN * 60)) ]
}

# "PASSED FAILED SKIPPED" from a kunit.py log ("Testing complete. Ran N
# tests: passed: P, failed: F, crashed: C, skipped: S"), crashes and errors
# counted as failures; "" when the log has no such line.
ktap_counts() {
	local line
	line=$(sed 's/\x1b\[[0-9;]*m//g' "$1" | grep -a 'Testing complete. Ran' | tail -n1 || true)
	[ -n "$line" ] || return 0
	get() { echo "$line" | grep -o "$1: [0-9]*" | grep -o '[0-9]*' || echo 0; }
	echo "$(get passed) $(($(get failed) + $(get crashed) + $(get errors))) $(get skipped)"
}

# record NAME from the kunit.py log LOG, plus EXTRA failures; a log without
# results (crash, hang) is one failure. Prints "PASSED FAILED SKIPPED".
record_ktap() {	# name, log, [extra failures]
	local counts p f s
	counts=$(ktap_counts "$2")
	read -r p f s <<< "${counts:-0 0 0}"
	f=$((f + ${3:-0}))
	[ -n "$counts" ] && [ "$p$f$s" != 000 ] || f=$((f + 1))
	record "$1" "$p" "$f" "$s"
	echo "$p $f $s"
}

overlay_files() {
	(cd "$TOP" && for d in $OVERLAY_DIRS; do
		if [ -d "$d" ]; then
			find "$d" -type f ! -name '*~' ! -name '*.orig' ! -name '*.rej'
		fi
	done) | LC_ALL=C sort
}

# "patch<TAB>paths..." lines of patches/series, comments stripped.
series_lines() {
	sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$TOP/patches/series"
}
