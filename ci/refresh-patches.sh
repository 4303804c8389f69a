#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Regenerate the diffs of patches/*.patch from the prepared tree after editing
# existing kernel files there, keeping each patch's header (message).
#   ci/refresh-patches.sh                     every patch, same files as now
#   ci/refresh-patches.sh NAME.patch FILE...  also give NAME these files
# A new patch needs a header (From:, Subject:, body, ---) and a series line.
. "$(dirname "$0")/common.sh"

refresh() {	# patch, extra files
	local name=$1 f=$TOP/patches/$1 files
	shift
	files=$( { sed -n 's|^+++ b/||p' "$f"; printf '%s\n' "$@"; } | LC_ALL=C sort -u)
	{ sed '/^---$/q' "$f"; git -C "$TREE" diff pristine -- $files; } > "$f.new"
	mv "$f.new" "$f"
	msg "$name: $(echo $files)"
}

if [ $# -gt 0 ]; then
	refresh "$@"
else
	series_lines | while read -r p _; do refresh "$p"; done
fi
