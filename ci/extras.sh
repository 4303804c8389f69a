#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Configurations that check runs last and only while there is time for
# them (each is a kernel build and a boot, ~10 min cold): started before
# EXTRAS_DEADLINE (seconds since the epoch), else counted as skipped, never
# as passed. make -f Makefile.cross extras runs them unconditionally.
# Usage: [EXTRAS_DEADLINE=s] ci/extras.sh ARCH-FLAVOUR...
. "$(dirname "$0")/common.sh"

for c in "$@"; do
	if [ -n "${EXTRAS_DEADLINE:-}" ] && [ "$(date +%s)" -ge "$EXTRAS_DEADLINE" ]; then
		msg "$c: skipped, check is past its time for extra configurations (run: make -f Makefile.cross extras)"
		record "$c" 0 0 1
		continue
	fi
	"$TOP/ci/kunit.sh" "${c%%-*}" "${c#*-}" || exit 1
done
