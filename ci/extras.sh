#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Configurations that check runs last and only while there is time for
# them: each starts only if its cost (EXTRA_COST_MIN="COLD WARM" minutes,
# from Makefile.cross) still fits check's budget (budget_allows), else it is
# counted as skipped, never as passed. make -f Makefile.cross extras runs
# them unconditionally.
# Usage: [EXTRA_COST_MIN="cold warm"] ci/extras.sh ARCH-FLAVOUR...
. "$(dirname "$0")/common.sh"

read -r cold warm <<< "${EXTRA_COST_MIN:-0 0}"
for c in "$@"; do
	if ! budget_allows "$cold" "$warm" "$c"; then
		msg "$c: skipped, it does not fit check's time budget (run: make -f Makefile.cross extras)"
		record "$c" 0 0 1
		continue
	fi
	"$TOP/ci/kunit.sh" "${c%%-*}" "${c#*-}" || exit 1
done
