#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Fail if a QEMU console log shows a kernel splat, even when every KUnit case
# passed. A WARN a test provokes on purpose is printed between the lines
# "tramp_guard: expected splat begin" and "... end"; there, and only there, its
# own two lines ("WARNING: ... at .../tramp_guard/core.c" and "Call Trace:")
# are allowed. Anything else (lockdep, a stall, another WARN) still fails.
# Usage: ci/console-check.sh CONSOLE_LOG
set -euo pipefail
log=$1
[ -s "$log" ] || { echo "console-check: $log is empty or missing"; exit 1; }
pat='BUG:|WARNING:|Oops|Call [Tt]race:|Kernel panic|general protection fault'
pat+='|possible recursive locking|inconsistent lock state|possible circular locking'
pat+='|suspicious RCU usage|INFO: rcu_|rcu: INFO:|self-detected stall|detected stalls'
pat+='|KASAN:|UBSAN:|kmemleak:.*new suspected memory leak|soft lockup|hung_task|blocked for more than'
awk -v pat="$pat" '
	/tramp_guard: expected splat begin/ { quiet = 1; next }
	/tramp_guard: expected splat end/ { quiet = 0; next }
	quiet && (/WARNING: CPU: [0-9]+ PID: [0-9]+ at [^ ]*kernel\/trace\/tramp_guard\/core\.c:/ ||
		  /Call [Tt]race:/) { next }
	$0 ~ pat { printf "%s:%d: %s\n", FILENAME, FNR, $0; bad = 1 }
	END { exit bad }' "$log"
