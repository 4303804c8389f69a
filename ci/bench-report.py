#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Turn the "tramp_guard_bench:" lines of a console log into a Markdown
table (stdout), a JSON file with raw samples and summaries, and a gnuplot
chart of the latency distributions.

Usage: ci/bench-report.py CONSOLE_LOG OUT_PREFIX "accelerator / machine note"
"""
import json
import math
import os
import re
import subprocess
import sys

LINE = re.compile(r"tramp_guard_bench: ([SVP]) (\S+(?: \([^)]*\))?) (.*)$")


def parse(path):
    """Samples, values and the one phase ("after-boot rcu_gp_is_expedited()=0")
    every figure was taken in."""
    samples, values, phases = {}, {}, set()
    with open(path, errors='replace') as f:
        for line in f:
            m = LINE.search(line)
            if not m:
                continue
            kind, metric, rest = m.groups()
            if kind == 'P':
                phases.add(f'{metric}, {rest.strip()}')
            elif kind == 'S':
                samples.setdefault(metric, []).extend(int(x) for x in rest.split())
            else:
                values[metric] = float(rest.split()[0])
    if len(phases) != 1:
        sys.exit(f'{path}: want figures from one phase, found {sorted(phases) or "none"}')
    return samples, values, phases.pop()


def pct(sorted_ns, p):
    i = min(len(sorted_ns) - 1, max(0, math.ceil(p / 100 * len(sorted_ns)) - 1))
    return sorted_ns[i]


def summary(ns):
    s = sorted(ns)
    return {'n': len(s), 'median': pct(s, 50), 'p90': pct(s, 90),
            'p99': pct(s, 99), 'max': s[-1]}


def ms(ns):
    return f'{ns / 1e6:.3f}'


def table(samples, values, note, phase, native=None):
    out = [f'Accelerator / machine: {note}. Times are QEMU TCG times, not '
           'hardware times: read the ratios.', '',
           f'Phase: {phase} (every figure below).', '']
    holdout = f'{values.get("holdout/seconds", 0):.0f} s'
    rcu = summary(samples['reuse/synchronize_rcu']) if 'reuse/synchronize_rcu' in samples else None
    for group, title, base_row in (
            ('reuse', 'Free-to-reuse latency, idle (ms)', 'tramp_guard'),
            ('holdout', 'Free-to-reuse latency while a CPU-bound kernel '
             f'thread runs for {holdout} (ms)', 'tramp_guard'),
            ('ftrace', 'ftrace: register/unregister of a dynamic ops filtered on one '
             'function, ftrace.tramp_guard=on|off|expedited (ms)', 'unregister_on'),
            ('ftrace_holdout', 'ftrace: the same while a CPU-bound kernel thread runs '
             f'for {holdout} (ms)', 'unregister_on'),
            ('fprobe', 'fprobe (BPF kprobe_multi): register/unregister, one function (ms)',
             'unregister_on')):
        rows = {k.split('/', 1)[1]: summary(v) for k, v in samples.items()
                if k.startswith(group + '/')}
        if not rows:
            continue
        base = rows.get(base_row, {}).get('median')
        out += [f'**{title}**', '',
                f'| wait | rounds | median | p90 | p99 | max | median / {base_row} |',
                '|---|---:|---:|---:|---:|---:|---:|']
        if group != 'reuse' and rcu and base_row != 'tramp_guard':
            rows['synchronize_rcu (idle, same boot)'] = rcu
        for name, s in rows.items():
            ratio = f'{s["median"] / base:.1f}x' if base else '-'
            out.append(f'| {name} | {s["n"]} | {ms(s["median"])} | {ms(s["p90"])} | '
                       f'{ms(s["p99"])} | {ms(s["max"])} | {ratio} |')
        out.append('')
    if 'irq/ipi_round_trip' in samples:
        s = summary(samples['irq/ipi_round_trip'])
        values['irq/ipi_round_trip_median_ns'] = s['median']
    out += ['**Costs and scale**', '', '| figure | value |', '|---|---:|']
    for k, v in values.items():
        out.append(f'| {k} | {v:g} |')
    if native:
        out += ['', '**Per traced call on the host CPU (native proxy, user space: the '
                'prologue and exit stub around an ftrace_caller-shaped body, empty '
                'callback; not a kernel measurement)**', '',
                f'CPU: {native["cpu"]}; {native["runs"]} interleaved runs of '
                f'{native["calls_per_run"]} calls each.', '',
                '| figure | guarded | plain | guarded / plain |', '|---|---:|---:|---:|',
                f'| median ns per call | {native["guarded_ns"]:.2f} | {native["plain_ns"]:.2f} | '
                f'{native["ratio"]:.3f} |',
                f'| fastest run, ns per call | {native["guarded_min_ns"]:.2f} | '
                f'{native["plain_min_ns"]:.2f} | '
                f'{native["guarded_min_ns"] / native["plain_min_ns"]:.3f} |']
        if 'ftrace/percall_ratio_guarded_off' in values:
            out.append(f'| emulated, same boot as above (ftrace/percall_ratio_guarded_off) | '
                       f'| | {values["ftrace/percall_ratio_guarded_off"]:.3f} |')
    return '\n'.join(out) + '\n'


def chart(samples, prefix):
    groups = [k for k in samples if k.startswith(('reuse/', 'holdout/', 'ftrace/unregister'))]
    if not groups:
        return None
    data = prefix + '.dat'
    with open(data, 'w') as f:
        for i, k in enumerate(groups):
            s = sorted(samples[k])
            f.write(f'# {k}\n')
            for j, ns in enumerate(s):
                f.write(f'{ns / 1e6} {(j + 1) / len(s)}\n')
            f.write('\n\n')
    plot = ', '.join(f'"{data}" index {i} with steps title "{k}"'
                     for i, k in enumerate(groups))
    png = prefix + '.png'
    script = (f'set terminal pngcairo size 1100,650 noenhanced\nset output "{png}"\n'
              'set logscale x\nset xlabel "free-to-reuse latency (ms, log)"\n'
              'set ylabel "fraction of rounds"\nset key bottom right\n'
              'set title "tramp_guard vs RCU Tasks: latency distributions (CDF)"\n'
              f'plot {plot}\n')
    try:
        subprocess.run(['gnuplot'], input=script, text=True, check=True)
    except (OSError, subprocess.CalledProcessError) as e:
        print(f'(no chart: gnuplot failed: {e})', file=sys.stderr)
        return None
    return png


def main():
    log, prefix, note = sys.argv[1], sys.argv[2], sys.argv[3]
    native = None
    if len(sys.argv) > 4:
        with open(sys.argv[4]) as f:
            native = json.load(f)
    samples, values, phase = parse(log)
    if not samples and not values:
        sys.exit(f'{log}: no tramp_guard_bench lines')
    with open(prefix + '.json', 'w') as f:
        json.dump({'note': note, 'phase': phase, 'values': values, 'native_proxy': native,
                   'summaries': {k: summary(v) for k, v in samples.items()},
                   'samples': samples}, f, indent=1)
    text = table(samples, values, note, phase, native)
    with open(prefix + '.md', 'w') as f:
        f.write(text)
    print(text)
    png = chart(samples, prefix)
    print(f'raw samples and summaries: {prefix}.json')
    if png:
        print(f'chart: {png}')


if __name__ == '__main__':
    main()
