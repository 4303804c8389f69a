#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Model-check the tramp_guard protocol with spin: every variant and property
# by exhaustive state-space search (no random simulation). Prints a table,
# saves counterexample trails as $RESULTS/model-*.trail.txt and writes
# $RESULTS/model.counts (one test per row). Exits 1 if any result differs
# from the expected one.
# Usage: ci/model.sh        Variables: MODEL_DEPTH (pan -m, default 1000000)
. "$(dirname "$0")/common.sh"

"$TOP/ci/deps.sh" spin
command -v spin >/dev/null || die "spin is not installed (ci/deps.sh spin)"

MODEL=$TOP/tools/testing/selftests/tramp_guard/formal/tramp_guard.pml
[ -f "$MODEL" ] || die "no $MODEL"
DEPTH=${MODEL_DEPTH:-1000000}
BUILD=$WORK/model
mkdir -p "$BUILD" "$RESULTS"
rm -f "$RESULTS"/model-*.trail.txt "$RESULTS/model.counts"

# name | spin -D flags | property | expected
# Sizes are NTASK traced tasks on NCPU CPUs plus one updater. Flavours:
# preempt = PREEMPT_RCU with PREEMPTION; nopreempt = !PREEMPT_RCU with
# PREEMPT_COUNT; dynnone = PREEMPT_RCU without PREEMPTION (preempt=none).
ROWS=$(cat <<'EOF'
noguard-preempt|-DNOGUARD -DPREEMPT_RCU|safety|violated
noguard-nopreempt|-DNOGUARD|safety|violated
proposal-preempt|-DPROPOSAL -DPREEMPT_RCU|safety|violated
proposal-preempt-gpnormal|-DPROPOSAL -DPREEMPT_RCU -DGP_NORMAL|safety|violated
proposal-preempt-viacore|-DPROPOSAL -DPREEMPT_RCU -DVIA_RCU_CORE|safety|violated
proposal-nopreempt|-DPROPOSAL|safety|violated
plus-preempt|-DPROPOSAL_PLUS -DPREEMPT_RCU|safety|violated
plus-preempt-gpnormal|-DPROPOSAL_PLUS -DPREEMPT_RCU -DGP_NORMAL|safety|holds
plus-nopreempt|-DPROPOSAL_PLUS|safety|violated
borrow-preempt|-DBORROW -DPREEMPT_RCU|safety|holds
borrow-preempt|-DBORROW -DPREEMPT_RCU|resched|holds
borrow-preempt|-DBORROW -DPREEMPT_RCU|balance|holds
borrow-nopreempt|-DBORROW|safety|holds
borrow-nopreempt|-DBORROW|balance|holds
borrow-dynnone|-DBORROW -DPREEMPT_RCU -DNO_PREEMPTION|safety|holds
borrow-preempt-3cpu|-DBORROW -DPREEMPT_RCU -DNCPU=3|all|holds
borrow-nopreempt-3cpu|-DBORROW -DNCPU=3|all|holds
borrow-preempt-rmw|-DBORROW -DPREEMPT_RCU -DPROLOGUE_RMW|all|holds
borrow-preempt|-DBORROW -DPREEMPT_RCU -DWITNESS|witness|reached
borrow-nopreempt|-DBORROW -DWITNESS|witness|reached
mutant-preempt|-DMUTANT -DPREEMPT_RCU|safety|violated
mutant-nopreempt|-DMUTANT|safety|holds
noresched-preempt|-DBORROW -DSTUB_NORESCHED -DPREEMPT_RCU|resched|violated
leak-preempt|-DBORROW -DLEAK_BORROW -DPREEMPT_RCU|balance|violated
EOF
)
NTASK=${MODEL_NTASK:-2}

table=$RESULTS/model.table.txt
fmt='%-26s %-8s %-9s %-9s %10s %6s %8s\n'
# shellcheck disable=SC2059
printf "$fmt" row property expected result states depth time_s | tee "$table"
passed=0 failed=0
start_all=$(date +%s.%N)
while IFS='|' read -r name flags prop expected; do
	[ -n "$name" ] || continue
	case $prop in
	safety) pflags=-DCHECK_SAFETY ;;
	resched) pflags=-DCHECK_RESCHED ;;
	balance) pflags=-DCHECK_BALANCE ;;
	all) pflags= ;;		# the model's default: all three
	witness) pflags=-DCHECK_SAFETY ;;
	*) die "bad property $prop" ;;
	esac
	id=$name-$prop
	dir=$BUILD/$id
	rm -rf "$dir"
	mkdir -p "$dir"
	cp "$MODEL" "$dir/"
	defs="$flags $pflags -DNTASK=$NTASK"
	# A violation is looked for breadth-first, for the shortest trail;
	# both searches are exhaustive when nothing is found.
	search=
	[ "$expected" = holds ] || search=-DBFS
	(
		cd "$dir"
		# shellcheck disable=SC2086
		nice -n 10 spin $defs -a tramp_guard.pml > spin.out 2>&1 &&
		nice -n 10 gcc -O2 -w -DSAFETY $search -DMEMLIM=8192 -o pan ./pan.c > gcc.out 2>&1
	) || die "$id: spin -a or gcc failed, see $dir"
	t0=$(date +%s.%N)
	(cd "$dir" && nice -n 10 ./pan -m"$DEPTH" > pan.out 2>&1) || true
	t1=$(date +%s.%N)
	secs=$(echo "$t1 - $t0" | bc)
	out=$dir/pan.out
	errors=$(sed -n 's/.*errors: \([0-9]*\).*/\1/p' "$out" | tail -n1)
	states=$(awk '/states, stored$/ { print $1 }' "$out" | tail -n1)
	depth=$(sed -n 's/.*depth reached \([0-9]*\),.*/\1/p' "$out" | tail -n1)
	if [ -z "$errors" ]; then
		result=error
	elif grep -q 'max search depth too small\|out of memory' "$out"; then
		result=incomplete
	elif [ "$errors" != 0 ]; then
		[ "$prop" = witness ] && result=reached || result=violated
	else
		[ "$prop" = witness ] && result=unreached || result=holds
	fi
	if [ -f "$dir/tramp_guard.pml.trail" ]; then
		# The trail: the model's step messages, then the last steps of
		# spin -t -p (the full replay stays in the build folder).
		trail=$RESULTS/model-$id.trail.txt
		# shellcheck disable=SC2086
		(cd "$dir" && spin $defs -T -t tramp_guard.pml > replay.txt 2>&1 &&
			spin $defs -T -t -p tramp_guard.pml > replay-p.txt 2>&1) || true
		{
			echo "# spin $defs -a tramp_guard.pml; pan: $result ($prop)"
			echo "# model steps (printf of the counterexample, spin -T -t):"
			grep -E '^MSG:|text of failed' "$dir/replay.txt" | sed 's/^MSG: /  /'
			echo "# last 40 steps of spin -T -t -p:"
			grep -E '^ *[0-9]+:[[:space:]]+proc' "$dir/replay-p.txt" | tail -n 40
		} > "$trail"
	fi
	if [ "$result" = "$expected" ]; then
		passed=$((passed + 1)) mark=
	else
		failed=$((failed + 1)) mark='  <-- UNEXPECTED'
	fi
	# shellcheck disable=SC2059
	printf "$fmt" "$name" "$prop" "$expected" "$result$mark" "${states:-?}" "${depth:-?}" \
		"$(printf %.2f "$secs")" | tee -a "$table"
done <<< "$ROWS"
total=$(echo "$(date +%s.%N) - $start_all" | bc)
echo "model: $passed passed, $failed failed; $(printf %.0f "$total") s wall (spin $(spin -V | awk '{print $3}'), NTASK=$NTASK)" |
	tee -a "$table"
record model "$passed" "$failed" 0
msg "model: table in $table, trails in $RESULTS/model-*.trail.txt"
[ "$failed" = 0 ] || die "model: $failed result(s) differ from the expected ones"
