#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Build one KUnit kernel, boot it in QEMU (TCG) and record its counts.
# Usage: ci/kunit.sh ARCH FLAVOUR [extra kunit.py args...]
#   ARCH: a row of ci/arches.sh     FLAVOUR: a file in ci/kunitconfig/ (preempt, ...),
#   or several joined by "+" (debug+ftrace: both, the later one winning)
. "$(dirname "$0")/common.sh"

arch=$1 flavour=$2
shift 2
name=${KUNIT_NAME:-$arch-$flavour}
build=$BUILDS/$arch-$flavour
mkdir -p "$build" "$RESULTS"
flavour_files=$(flavour_files "$arch" "$flavour")
for f in "$TOP/ci/kunitconfig/$arch.config" $flavour_files; do
	[ -f "$f" ] || die "no $f"
done

# One kunitconfig: ours, then the arch, then the flavours with the arch's
# additions (flavour_files); later lines win, and CONFIG_FOO=- drops FOO
# (for options a flavour makes invisible).
cat "$TOP/kernel/trace/tramp_guard/.kunitconfig" "$TOP/ci/kunitconfig/$arch.config" $flavour_files |
	awk -F= '/^CONFIG_/ { v[$1] = $0; if (!($1 in seen)) { seen[$1] = 1; o[n++] = $1 } }
		 END { for (i = 0; i < n; i++) if (v[o[i]] !~ /=-$/) print v[o[i]] }' \
	> "$build/tramp_guard.kunitconfig"
# "# build-only": the configuration is built, not booted; one counted test.
cmd=${KUNIT_CMD:-run}
grep -q -h '^# build-only' $flavour_files && cmd=build

arch_load "$arch"
cc=$A_CC xargs=()
[ -n "$A_CROSS" ] && xargs=(--cross_compile="$A_CROSS")
# A flavour may ask for the LLVM toolchain (e.g. BTI, which 6.12 only
# enables with clang).
if grep -q -h '^# toolchain: llvm' $flavour_files; then
	cc=clang
	xargs=(--make_options=LLVM=1)
fi

msg "$name: building and running KUnit (Linux $(make -s -C "$TREE" kernelversion), QEMU TCG, -smp ${SMP:-2})"
log=$RESULTS/$name.log
# An oops ends the run at once (a hang would wait for the timeout), except
# for suites that oops on purpose (KUNIT_OOPS_PANIC=0).
jobs=(--jobs="$JOBS") run=(--timeout="${KUNIT_TIMEOUT:-900}" --qemu_args="-smp ${SMP:-2}"
	--kernel_args=panic=-1)
[ "${KUNIT_OOPS_PANIC:-1}" = 0 ] || run+=(--kernel_args=oops=panic)
qa=$(flavour_qemu_args "$arch" "$flavour")
[ -z "$qa" ] || run+=(--qemu_args="$qa")
[ "$cmd" = exec ] && jobs=()
[ "$cmd" = build ] && run=()
set +e
(cd "$TREE" && python3 tools/testing/kunit/kunit.py "$cmd" --arch="$A_KUNIT" "${xargs[@]}" \
	--build_dir="$build" --kunitconfig="$build/tramp_guard.kunitconfig" \
	--make_options="CC=ccache $cc" "${jobs[@]}" "${run[@]}" "$@") 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
set -e
if [ "$cmd" = build ]; then
	record "$name" "$([ "$rc" = 0 ] && echo ok || echo fail)"
	msg "$name: build $([ "$rc" = 0 ] && echo ok || echo FAILED) (log: $log)"
	exit 0
fi
cp -f "$build/test.log" "$RESULTS/$name.console.log" 2>/dev/null || true

counts=$(ktap_counts "$log")
read -r passed failed skipped <<< "${counts:-0 0 0}"
if [ -z "$counts" ] || [ "$passed$failed$skipped" = 000 ]; then
	msg "$name: no test results (build failure, crash or hang): counted as 1 failure"
	failed=$((failed + 1))
elif [ "$rc" != 0 ] && [ "$failed" = 0 ]; then
	msg "$name: kunit.py exited $rc: counted as 1 failure"
	failed=1
fi
record "$name" "$passed" "$failed" "$skipped"

# The console must be clean too: one more test per configuration.
if "$TOP/ci/console-check.sh" "$RESULTS/$name.console.log" > "$RESULTS/$name.console-check" 2>&1; then
	record "$name-console" ok
else
	record "$name-console" fail
	msg "$name: kernel splat on the console:"
	head -n 20 "$RESULTS/$name.console-check" >&2
fi
msg "$name: $passed passed, $failed failed, $skipped skipped (log: $log)"
