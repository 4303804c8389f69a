#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Export the change as a git format-patch series against the pristine tree,
# check that it git-am's onto an unmodified tree and yields exactly the tree
# the tests build, and print the series folder as the last line.
. "$(dirname "$0")/common.sh"

[ -d "$TREE/.git" ] || die "no tree yet: run make -f Makefile.cross tree"
wt=$WORK/$TREE_ID/series-tree
dest=$OUT/series
git_c=(-c user.name="tramp_guard developers" -c user.email=tramp-guard@localhost
       -c commit.gpgsign=false)

fresh_worktree() {
	if [ -d "$wt" ]; then
		git -C "$wt" am --abort >/dev/null 2>&1 || true
		git -C "$wt" checkout -q -f --detach pristine
		git -C "$wt" clean -q -f -d -x
	else
		git -C "$TREE" worktree prune
		git -C "$TREE" worktree add -q --detach "$wt" pristine
	fi
}

# Which series entry owns each overlay file: the longest listed prefix.
owner_of() {
	series_lines | awk -v f="$1" '{ for (i = 2; i <= NF; i++)
		if ((f == $i || index(f, $i "/") == 1) && length($i) > best) { best = length($i); p = $1 } }
		END { print p }'
}

fresh_worktree
declare -A owned
while read -r f; do
	p=$(owner_of "$f")
	[ -n "$p" ] || die "$f is in the overlay but no entry of patches/series owns it"
	owned[$p]+="$f "
done < <(overlay_files)

while read -r p _; do
	patch=$TOP/patches/$p
	if grep -q '^diff --git' "$patch"; then
		git -C "$wt" apply --index "$patch" || die "patch $p does not apply"
	fi
	for f in ${owned[$p]:-}; do
		mkdir -p "$wt/$(dirname "$f")"
		cp "$TOP/$f" "$wt/$f"
		git -C "$wt" add -f "$f"
	done
	author=$(sed -n 's/^From: //p;/^$/q' "$patch")
	{ sed -n 's/^Subject: \[PATCH[^]]*\] //p;/^$/q' "$patch"; echo
	  sed -n '/^$/,/^---$/p' "$patch" | sed '1d;$d'; } > "$wt/.git-msg"
	git -C "$wt" "${git_c[@]}" commit -q --author="$author" -F .git-msg
	rm -f "$wt/.git-msg"
done < <(series_lines)

rm -rf "$dest"
git -C "$wt" format-patch -q -o "$dest" --base=pristine pristine..HEAD >/dev/null
n=$(ls "$dest" | wc -l)

# The series must git-am onto the pristine tree and give the tested tree.
fresh_worktree
git -C "$wt" "${git_c[@]}" am -q "$dest"/*.patch || die "series does not git-am onto pristine"
changed=$(git -C "$wt" diff --name-only pristine HEAD | LC_ALL=C sort)
[ "$changed" = "$(cat "$TREE/.tramp_guard-files")" ] ||
	die "series and tested tree change different files"
for f in $changed; do
	cmp -s "$wt/$f" "$TREE/$f" || die "series and tested tree differ in $f"
done
msg "series: $n patches, applies with git am to $(make -s -C "$TREE" kernelversion) and matches the tested tree"
echo "$dest"
