#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Make $TREE = pristine 6.12 + patches/ + overlay, touching only files whose
# content changed so that rebuilds stay incremental.
. "$(dirname "$0")/common.sh"

import_pristine() {
	local tmp=$WORK/$TREE_ID/import
	rm -rf "$tmp" "$TREE"
	mkdir -p "$tmp"
	if [ -n "${KERNEL_SRC:-}" ]; then
		msg "importing $KERNEL_SRC"
		[ -f "$KERNEL_SRC/Makefile" ] || die "KERNEL_SRC=$KERNEL_SRC is not a kernel tree"
		rsync -a --exclude=.git "$KERNEL_SRC"/ "$tmp"/linux/
	else
		[ -f "$TARBALL" ] || die "$TARBALL missing: run ci/deps.sh (package linux-source-6.12)"
		msg "extracting $TARBALL"
		tar -C "$tmp" -xf "$TARBALL"
		mv "$tmp"/linux-source-* "$tmp"/linux
	fi
	mv "$tmp"/linux "$TREE"
	rmdir "$tmp"
	# Debian's top-level .gitignore ignores everything: add with -f.
	git -C "$TREE" init -q
	git -C "$TREE" add -A -f .
	git -C "$TREE" -c user.name=tramp_guard -c user.email=tramp-guard@localhost \
		commit -q -m "pristine $(make -s -C "$TREE" kernelversion)"
	git -C "$TREE" tag pristine
}

[ -d "$TREE/.git" ] && git -C "$TREE" rev-parse -q --verify pristine >/dev/null || import_pristine

version=$(make -s -C "$TREE" kernelversion)
case $version in 6.12.*) ;; *) die "kernel $version is not 6.12.y" ;; esac

# Stage every file we change: pristine copies patched, then overlay files.
stage=$WORK/$TREE_ID/stage
rm -rf "$stage"
mkdir -p "$stage"
while read -r p _; do
	f=$TOP/patches/$p
	[ -f "$f" ] || die "patches/series names $p, which does not exist"
	# A commit that only adds overlay files has a header and no diff.
	grep -q '^diff --git' "$f" || continue
	for path in $(sed -n 's|^+++ b/||p' "$f"); do
		[ -e "$stage/$path" ] && continue
		mkdir -p "$stage/$(dirname "$path")"
		git -C "$TREE" show "pristine:$path" > "$stage/$path" 2>/dev/null || rm -f "$stage/$path"
	done
	if ! out=$(patch -p1 -F0 -N -s --no-backup-if-mismatch -r - -d "$stage" < "$f" 2>&1); then
		die "patch $p does not apply to $version:
$out"
	fi
done < <(series_lines)
overlay_files | rsync -a --files-from=- "$TOP"/ "$stage"/

# Apply: content-compared copy; restore files a previous run changed but
# this one does not.
manifest=$TREE/.tramp_guard-files
(cd "$stage" && find . -type f | sed 's|^\./||' | LC_ALL=C sort) > "$manifest.new"
if [ -f "$manifest" ]; then
	LC_ALL=C comm -23 "$manifest" "$manifest.new" | while read -r gone; do
		if git -C "$TREE" cat-file -e "pristine:$gone" 2>/dev/null; then
			git -C "$TREE" checkout -q pristine -- "$gone"
		else
			rm -f "$TREE/$gone"
		fi
	done
fi
rsync -rc "$stage"/ "$TREE"/
mv "$manifest.new" "$manifest"
msg "tree: $TREE (Linux $version + $(series_lines | wc -l) patches + $(overlay_files | wc -l) new files)"
