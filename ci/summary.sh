#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Sum the counts of this run and print the closing line; exit 1 on failures.
. "$(dirname "$0")/common.sh"

p=0 f=0 s=0
for c in "$RESULTS"/*.counts; do
	[ -f "$c" ] || continue
	read -r cp cf cs < "$c"
	printf '  %-32s %s passed, %s failed, %s skipped\n' "$(basename "$c" .counts)" "$cp" "$cf" "$cs"
	p=$((p + cp)) f=$((f + cf)) s=$((s + cs))
done
# CI keeps only the end of the output: repeat what failed, with its evidence.
for c in "$RESULTS"/*.counts; do
	[ -f "$c" ] || continue
	read -r _ cf _ < "$c"
	[ "$cf" = 0 ] && continue
	name=$(basename "$c" .counts)
	echo "FAILED: $name"
	for l in "$RESULTS/$name.log" "$RESULTS/${name%-console}.console-check"; do
		[ -f "$l" ] || continue
		# head may close the pipe early: never let that end the summary.
		{ sed 's/\x1b\[[0-9;]*m//g' "$l" |
			grep -a -E 'not ok|Expected|FAILED|failed|splat|error' | head -n 12 |
			sed 's/^/    /'; } || true
	done
done
[ $((p + f + s)) -gt 0 ] || f=1
if [ -n "${CHECK_START:-}" ]; then
	t=$(($(date +%s) - CHECK_START))
	echo "check took $((t / 60)) min $((t % 60)) s (budget ${CHECK_BUDGET_MIN:-?} min)"
fi
echo "$p passed, $f failed, $s skipped"
[ "$f" = 0 ]
