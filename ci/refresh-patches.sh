#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Regenerate the diffs of patches/*.patch from the prepared tree after editing
# existing kernel files there, keeping each patch's header (message).
#   ci/refresh-patches.sh                     every patch, same files as now
#   ci/refresh-patches.sh NAME.patch FILE...  also give NAME these files
# A new patch needs a header (From:, Subject:, body, ---) and a series line.
# A file that several patches change gets, in each, the difference between
# the earlier patches applied to pristine and the tree with the later
# patches taken back out: edit such a file only in one patch's lines at a
# time.
. "$(dirname "$0")/common.sh"

patch_files() {	# patch file: the kernel files its diff changes
	sed -n 's|^+++ b/||p' "$1"
}

# The diff of one file for patch NAME, where other patches change it too.
shared_diff() {	# name, file
	local name=$1 file=$2 p before=1 tmp
	tmp=$(mktemp -d)
	mkdir -p "$tmp/base/$(dirname "$file")" "$tmp/after/$(dirname "$file")"
	git -C "$TREE" show "pristine:$file" > "$tmp/base/$file"
	cp "$TREE/$file" "$tmp/after/$file"
	while read -r p _; do
		[ "$p" = "$name" ] && { before=0; continue; }
		patch_files "$TOP/patches/$p" | grep -q -x -F "$file" || continue
		if [ $before = 1 ]; then
			git -C "$tmp/base" apply --include="$file" "$TOP/patches/$p"
		else
			echo "$p"
		fi
	done < <(series_lines) | tac | while read -r p; do
		git -C "$tmp/after" apply -R --include="$file" "$TOP/patches/$p"
	done
	# Exit status 1 means "they differ".
	(cd "$tmp" && git diff --no-index --src-prefix=a/ --dst-prefix=b/ "base/$file" "after/$file" || [ $? = 1 ]) |
		sed -e "s|a/base/|a/|g" -e "s|b/after/|b/|g"
	rm -rf "$tmp"
}

refresh() {	# patch, extra files
	local name=$1 f=$TOP/patches/$1 files file
	shift
	files=$( { patch_files "$f"; printf '%s\n' "$@"; } | LC_ALL=C sort -u)
	{
		sed '/^---$/q' "$f"
		for file in $files; do
			if [ "$(series_lines | while read -r p _; do patch_files "$TOP/patches/$p"; done |
				grep -c -x -F "$file")" -gt 1 ]; then
				shared_diff "$name" "$file"
			else
				git -C "$TREE" diff pristine -- "$file"
			fi
		done
	} > "$f.new"
	mv "$f.new" "$f"
	msg "$name: $(echo $files)"
}

if [ $# -gt 0 ]; then
	refresh "$@"
else
	series_lines | while read -r p _; do refresh "$p"; done
fi
