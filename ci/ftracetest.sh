#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The kernel's own ftrace selftests (tools/testing/selftests/ftrace) from
# user space: instance function tracers, function probes, filters and PID
# filtering create and destroy dynamic ftrace_ops the way users do. One
# kernel booted twice, with tramp_guard's ftrace use on and with
# ftrace.tramp_guard=off, from an initramfs with a static busybox
# (ci/ftracetest-init.sh). Counted, one test: every test's result is the same
# in both boots (a test that fails in both fails for want of something in
# this kernel or initramfs, not because of the guard), and the "on" boot
# built guarded trampolines and took guarded shutdowns.
# Usage: ci/ftracetest.sh ARCH FLAVOUR (a kernel ci/kunit.sh has built)
. "$(dirname "$0")/common.sh"

arch=$1 flavour=$2
name=$arch-peers-ftracetest
build=$BUILDS/$arch-$flavour
if [ "$arch" != "$(uname -m | sed 's/aarch64/arm64/')" ]; then
	record "$name" 0 0 1
	msg "ftracetest skipped: the initramfs takes the host's busybox, and the host is not $arch"
	exit 0
fi
[ -f "$build/.config" ] || die "no kernel in $build: run ci/kunit.sh $arch $flavour first"
"$TOP/ci/deps.sh" busybox-static

rd=$build/initramfs-ftracetest
rm -rf "$rd" && mkdir -p "$rd"
gcc -O2 -o "$rd/gen_init_cpio" "$TREE/usr/gen_init_cpio.c"
src=$TREE/tools/testing/selftests/ftrace
{
	printf '%s\n' 'dir /dev 755 0 0' 'nod /dev/console 600 0 0 c 5 1' \
		'nod /dev/null 666 0 0 c 1 3' 'nod /dev/kmsg 600 0 0 c 1 11' 'dir /bin 755 0 0' \
		"file /bin/busybox $(command -v busybox) 755 0 0" \
		'slink /bin/sh busybox 777 0 0' \
		"file /init $TOP/ci/ftracetest-init.sh 755 0 0" 'dir /ftrace 755 0 0'
	(cd "$src" && find . -mindepth 1 -type d | LC_ALL=C sort | sed 's|^\./|dir /ftrace/|; s|$| 755 0 0|')
	(cd "$src" && find . -type f | LC_ALL=C sort | while read -r f; do
		printf 'file /ftrace/%s %s/%s %s 0 0\n' "${f#./}" "$src" "${f#./}" \
			"$(stat -c %a "$src/$f")"
	done)
} > "$rd/list"
"$rd/gen_init_cpio" "$rd/list" > "$rd/initramfs.cpio"

qa=$(flavour_qemu_args "$arch" "$flavour")
for mode in on off; do
	log=$RESULTS/$name-$mode.console.log
	QEMU_EXTRA=$qa QEMU_INITRD=$rd/initramfs.cpio "$TOP/ci/qemu-boot.sh" "$arch" "$build" "$log" \
		"${FTRACETEST_TIMEOUT:-1800}" "kunit.enable=0 printk.devkmsg=on ftrace.tramp_guard=$mode"
	# "ftracetest: [12] description	[PASS]" -> "description PASS", in test order.
	tr -d '\r' < "$log" |
		sed -n -E 's/^.*ftracetest: \[[0-9]+\] (.*[^[:space:]])[[:space:]]+\[([A-Z]+)\]$/\1 \2/p' \
		> "$RESULTS/$name-$mode.results"
	msg "ftracetest, ftrace.tramp_guard=$mode: $(awk '{ print $NF }' "$RESULTS/$name-$mode.results" |
		sort | uniq -c | tr -s ' ' | tr '\n' ' ')"
done

why=
on=$RESULTS/$name-on.results off=$RESULTS/$name-off.results
for mode in on off; do
	tr -d '\r' < "$RESULTS/$name-$mode.console.log" | grep -a -q 'ftracetest: end$' ||
		why+="the $mode boot did not finish; "
done
[ -s "$on" ] || why+="no results; "
diff "$off" "$on" > "$RESULTS/$name.diff" || why+="results differ ($RESULTS/$name.diff); "
if grep -q '^CONFIG_FTRACE_TRAMP_GUARD=y' "$build/.config"; then
	for c in tramp_guarded shutdown_guarded; do
		grep -a -q -E "ftracetest: $c +[1-9]" "$RESULTS/$name-on.console.log" ||
			why+="no $c in the on boot; "
	done
fi
if [ -z "$why" ]; then
	record "$name" ok
	msg "ftracetest: same results on and off; $(grep -a -o -E 'ftracetest: (tramp_guarded|shutdown_guarded) .*' \
		"$RESULTS/$name-on.console.log" | sed 's/ftracetest: //' | tr -s ' ' | tr '\n' ' ')"
else
	record "$name" fail
	msg "ftracetest: $why"
fi
