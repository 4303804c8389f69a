#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# What a traced call's guard costs on this machine's own CPU: builds the
# user-space proxy in ci/native-proxy/ (the prologue and exit stub of
# arch/x86/kernel/tramp_guard.S around an ftrace_caller-shaped body, a
# thread-local counter for the preempt count) and times calls through the
# guarded and the plain trampoline. x86_64 hosts only. Writes
# $RESULTS/native-proxy.json; prints it.
# Usage: ci/native-proxy.sh [CALLS_PER_RUN]
. "$(dirname "$0")/common.sh"

[ "$(uname -m)" = x86_64 ] || die "the native proxy is x86_64 code: host is $(uname -m)"
mkdir -p "$WORK/native-proxy" "$RESULTS"
bin=$WORK/native-proxy/proxy
gcc -O2 -no-pie -Wall -o "$bin" "$TOP/ci/native-proxy/proxy.c" "$TOP/ci/native-proxy/tramp.S"
"$bin" "${1:-20000000}" | python3 -c '
import json, sys
d = json.load(sys.stdin)
d["cpu"] = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo")
                 if l.startswith("model name")), "unknown")
print(json.dumps(d))' > "$RESULTS/native-proxy.json"
cat "$RESULTS/native-proxy.json"
