#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# README.md and docs/ cannot disagree with their sources: the benchmark
# blocks are regenerated from docs/results/bench-*.json into a temporary copy
# (ci/bench-report.py --docs) and must equal what is committed; the README's
# configuration table lists exactly the configurations of Makefile.cross
# (make -f Makefile.cross configs), each in its role; every relative
# Markdown link resolves; the kernel's rst carries no benchmark figures.
# Cheap: no kernel, no QEMU. Exit 1 with the differences on failure.
# Usage: ci/docs-check.sh
. "$(dirname "$0")/common.sh"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
bad=0

# 1. Figures: written once, in docs/results/.
cp "$TOP/README.md" "$tmp/" && cp -r "$TOP/docs" "$tmp/"
python3 "$TOP/ci/bench-report.py" --docs --root "$tmp" > /dev/null
for f in $(cd "$TOP" && echo README.md docs/*.md); do
	if ! diff -u "$TOP/$f" "$tmp/$f" > "$tmp/diff"; then
		echo "$f: figures differ from docs/results/bench-*.json (regenerate: make -f Makefile.cross docs):"
		sed 's/^/    /' "$tmp/diff" | head -n 30
		bad=1
	fi
done

# 2. The configuration table: the lists of Makefile.cross, in their roles.
make -s -C "$TOP" -f Makefile.cross configs > "$tmp/configs.json"
python3 - "$TOP/README.md" "$tmp/configs.json" "$TOP/ci/kunitconfig" <<'PY' || bad=1
import json, os, re, sys
readme, configs, kdir = sys.argv[1:]
lists = json.load(open(configs))
text = open(readme).read()
m = re.search(r'^## Configurations\n(.*?)(?=^## )', text, re.M | re.S)
if not m:
    sys.exit(f'{readme}: no "## Configurations" section')
table = {}
for line in m.group(1).splitlines():
    cells = [c.strip() for c in line.strip().strip('|').split('|')]
    if len(cells) >= 3 and cells[0].startswith('`'):
        table[cells[0].strip('`')] = cells[1]
want = {}
for role, words in (('check', 'check'), ('extras', 'extra'), ('extras_only', 'extras only')):
    for c in lists[role]:
        want[c['config']] = words
after = {c['config'] for c in lists['after_boot']}
bad = []
for c in sorted(set(want) | set(table)):
    if c not in table:
        bad.append(f'{c}: in Makefile.cross ({want[c]}), missing from the README table')
        continue
    if c not in want:
        bad.append(f'{c}: in the README table, in no list of Makefile.cross')
        continue
    role = table[c]
    base = re.sub(r'\s*\(.*\)\s*$', '', role).split(',')[0].strip()
    if base != want[c]:
        bad.append(f'{c}: README says "{role}", Makefile.cross: {want[c]}')
    if (c in after) != ('after boot' in role):
        bad.append(f'{c}: README role "{role}" and AFTERBOOT_CONFIGS disagree')
    arch, flavour = c.split('-', 1)
    build_only = False
    for f in flavour.split('+'):
        for name in (f, f'{arch}-{f}'):
            path = os.path.join(kdir, name + '.config')
            if os.path.exists(path) and re.search(r'^# build-only', open(path).read(), re.M):
                build_only = True
    if build_only != ('build only' in role):
        bad.append(f'{c}: README role "{role}" and "# build-only" in ci/kunitconfig disagree')
for b in bad:
    print(f'README.md configurations: {b}')
sys.exit(1 if bad else 0)
PY

# 3. Relative links resolve (anchors are not checked).
python3 - "$TOP" <<'PY' || bad=1
import glob, os, re, sys
top = sys.argv[1]
bad = 0
for md in [os.path.join(top, 'README.md')] + sorted(glob.glob(os.path.join(top, 'docs', '*.md'))):
    for target in re.findall(r'\]\(([^)\s]+)\)', open(md).read()):
        if re.match(r'[a-z]+:', target) or target.startswith('#'):
            continue
        path = os.path.normpath(os.path.join(os.path.dirname(md), target.split('#')[0]))
        if not os.path.exists(path):
            print(f'{os.path.relpath(md, top)}: broken link {target}')
            bad = 1
sys.exit(bad)
PY

# 4. The kernel's document describes, it does not measure.
if grep -n -E '[0-9]+(\.[0-9]+)? ?(ms|us|µs|ns)\b|[0-9.]+x (faster|slower)' \
	"$TOP/Documentation/trace/tramp_guard.rst"; then
	echo "Documentation/trace/tramp_guard.rst: benchmark figures belong in docs/benchmark.md"
	bad=1
fi

[ "$bad" = 0 ] && echo "docs: README.md and docs/ agree with docs/results/ and Makefile.cross"
exit "$bad"
