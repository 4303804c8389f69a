#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Turn the "tramp_guard_bench:" lines of a console log into a Markdown
table (stdout), a JSON file with raw samples and summaries, and a gnuplot
chart of the latency distributions; render the tables again from such a
JSON file; and write the benchmark figures of README.md and
docs/benchmark.md from the JSON files kept in docs/results/ (the figures
are written only there: the Markdown blocks between "<!-- bench:NAME
begin -->" and "<!-- bench:NAME end -->" are generated).

Usage: ci/bench-report.py CONSOLE_LOG OUT_PREFIX "accelerator / machine note" [NATIVE_JSON]
       ci/bench-report.py --from-json FILE       (the tables of one run, stdout)
       ci/bench-report.py --docs [--root DIR]    (rewrite the generated blocks of
                                                 DIR/README.md and DIR/docs/*.md from
                                                 DIR/docs/results/bench-*.json; DIR
                                                 defaults to the repository)
"""
import json
import math
import os
import re
import subprocess
import sys
import time

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

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


def table(summaries, values, note, phase, native=None, measured=None):
    """The full tables of one run, from the summaries (ns) of its samples."""
    values = dict(values)
    out = [f'Accelerator / machine: {note}. Times are QEMU TCG times, not '
           'hardware times: read the ratios.', '',
           f'Phase: {phase} (every figure below).', '']
    if measured and (measured.get('date') or measured.get('commit')):
        when = ', '.join(x for x in (measured.get('date'),
                                     measured.get('commit') and f'commit {measured["commit"]}') if x)
        out += [f'Measured: {when}' + (' (reconstructed: summaries only, see "source" in the JSON)'
                                       if measured.get('source') else '') + '.', '']
    holdout = f'{values.get("holdout/seconds", 0):.0f} s'
    rcu = summaries.get('reuse/synchronize_rcu')
    for group, title, base_row in (
            ('reuse', 'Free-to-reuse latency, idle (ms)', 'tramp_guard'),
            ('holdout', 'Free-to-reuse latency while a CPU-bound kernel '
             f'thread runs for {holdout} (ms)', 'tramp_guard'),
            ('ftrace', 'ftrace: register/unregister of a dynamic ops filtered on one '
             'function, ftrace.tramp_guard=on|off|expedited (ms)', 'unregister_on'),
            ('ftrace_holdout', 'ftrace: the same while a CPU-bound kernel thread runs '
             f'for {holdout} (ms)', 'unregister_on'),
            ('ftrace_teardown64', 'ftrace: 64 dynamic ops on 64 functions, all registered '
             '(register) and all unregistered one after another (unregister) (ms)', 'unregister_on'),
            ('fprobe', 'fprobe (BPF kprobe_multi): register/unregister, one function (ms)',
             'unregister_on'),
            ('bpf_fentry', 'BPF fentry: attach (register) and last detach (unregister) of one '
             'program on one function, ftrace.tramp_guard=on|off|expedited (ms)', 'unregister_on'),
            ('bpf_fexit', 'BPF fexit: the same (ms)', 'unregister_on'),
            ('bpf_teardown100', 'BPF fentry: 100 programs on 100 functions, all attached (register) and '
             'all detached one after another (unregister) (ms)', 'unregister_on'),
            ('bpf_holdout', 'BPF fentry: the same while a CPU-bound kernel thread runs '
             f'for {holdout} (ms)', 'unregister_on'),
            ('bpf_user', 'BPF from user space, a second boot of the same kernel: bpf(BPF_LINK_CREATE) '
             '(attach) and close() of the link\'s only fd (close), per program and mode; '
             'membarrier(MEMBARRIER_CMD_GLOBAL) is a synchronize_rcu() (ms)', 'fentry_close_on')):
        rows = {k.split('/', 1)[1]: v for k, v in summaries.items()
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
    if 'irq/ipi_round_trip' in summaries:
        values['irq/ipi_round_trip_median_ns'] = summaries['irq/ipi_round_trip']['median']
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


def table_from_json(doc):
    return table(doc['summaries'], doc['values'], doc['note'], doc['phase'],
                 doc.get('native_proxy'), doc.get('measured'))


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


# ---- README.md and docs/ from docs/results/bench-<arch>.json ----

def arches():
    """The architectures in the order of the harness's arch table."""
    with open(os.path.join(TOP, 'ci', 'arches.sh')) as f:
        m = re.search(r'^ARCHES="([^"]*)"', f.read(), re.M)
    return m.group(1).split() if m else []


def load_results(root):
    runs = {}
    for a in arches():
        path = os.path.join(root, 'docs', 'results', f'bench-{a}.json')
        if os.path.exists(path):
            with open(path) as f:
                runs[a] = json.load(f)
    return runs


def fms(ns):
    """Milliseconds, to about three significant digits."""
    v = ns / 1e6
    for limit, digits in ((1000, 0), (10, 1), (1, 2)):
        if v >= limit:
            return f'{v:.{digits}f}'
    return f'{v:.3f}'


def fx(r):
    """A ratio: 1.15x, 8.5x, 44x, 1330x."""
    if r >= 100:
        return f'{round(r, 2 - int(math.floor(math.log10(r)))):.0f}x'
    return f'{r:.0f}x' if r >= 10 else f'{r:.1f}x' if r >= 2 else f'{r:.2f}x'


def med(doc, key, what='median'):
    s = doc['summaries'].get(key)
    return s.get(what) if s else None


def ratio(a, b):
    return a / b if a is not None and b else None


def cell(r, target=None):
    """A ratio, and whether it met its target ('<= 1.5' or '>= 8')."""
    if r is None:
        return '–'
    text = fx(r)
    if target:
        op, lim = target.split()
        ok = r <= float(lim) if op == '<=' else r >= float(lim)
        text += ' met' if ok else ' **missed**'
    return text


def headline(runs):
    """README.md: the compact table."""
    cols = list(runs)
    rows = []

    def row(label, f):
        rows.append(f'| {label} | ' + ' | '.join(f(runs[a]) or '–' for a in cols) + ' |')

    def both(d, a, b):
        x, y = med(d, a), med(d, b)
        return f'{fms(x)} / {fms(y)} ms ({fx(x / y)})' if x and y else None

    def one(d, a, b):
        r = ratio(med(d, a), med(d, b))
        return fx(r) if r else None

    row('free-to-reuse: tramp_guard / `synchronize_rcu()`, same boot',
        lambda d: both(d, 'reuse/tramp_guard', 'reuse/synchronize_rcu'))
    row('`synchronize_rcu_tasks()` / tramp_guard', lambda d: one(d, 'reuse/synchronize_rcu_tasks',
                                                                  'reuse/tramp_guard'))
    row('RCU Tasks Rude + Tasks / tramp_guard', lambda d: one(d, 'reuse/tasks_rude+tasks',
                                                               'reuse/tramp_guard'))
    row('`tramp_guard.expedited=1`: reuse after',
        lambda d: med(d, 'reuse/tramp_guard_expedited') and
        f'{fms(med(d, "reuse/tramp_guard_expedited"))} ms')
    secs = {f'{d["values"].get("holdout/seconds", 0):g} s' for d in runs.values()}
    row(f'while a CPU-bound kernel thread runs for {" / ".join(sorted(secs))}: '
        '`synchronize_rcu_tasks()` / tramp_guard',
        lambda d: both(d, 'holdout/synchronize_rcu_tasks', 'holdout/tramp_guard'))
    row('ftrace unregister, `ftrace.tramp_guard=off` / `on`',
        lambda d: both(d, 'ftrace/unregister_off', 'ftrace/unregister_on'))
    row('BPF last fentry detach, `off` / `on`',
        lambda d: both(d, 'bpf_fentry/unregister_off', 'bpf_fentry/unregister_on'))
    row('BPF fentry link `close()` from user space, `off` / `on`',
        lambda d: both(d, 'bpf_user/fentry_close_off', 'bpf_user/fentry_close_on'))
    row('BPF: 100 fentry programs detached one after another, `off` / `on`',
        lambda d: both(d, 'bpf_teardown100/unregister_off', 'bpf_teardown100/unregister_on'))
    row('ftrace: 64 ops on 64 functions torn down, `off` / `on`',
        lambda d: both(d, 'ftrace_teardown64/unregister_off', 'ftrace_teardown64/unregister_on'))
    row('per call, guarded / unguarded handler trampoline',
        lambda d: 'percall/ratio_guarded_unguarded' in d['values'] and
        f'{d["values"]["percall/ratio_guarded_unguarded"]:.2f}')
    return '\n'.join([f'| after boot, medians | ' + ' | '.join(cols) + ' |',
                      '|---|' + '---:|' * len(cols)] + rows) + '\n'


def targets(runs):
    """docs/benchmark.md: each target and what every architecture measured."""
    cols = list(runs)
    rows = []

    def row(label, f, target=None):
        cells = []
        for a in cols:
            r = f(runs[a])
            cells.append(cell(r, target) if r is None or isinstance(r, float) else str(r))
        shown = target and target.replace('<=', '≤').replace('>=', '≥') + 'x'
        rows.append(f'| {label} | {shown or "–"} | '
                    + ' | '.join(cells) + ' |')

    def r(a, b, d=None, what='median'):
        return lambda d: ratio(med(d, a, what), med(d, b, what))

    def val(k):
        return lambda d: d['values'].get(k)

    def wait(d, mode):
        u, g = med(d, f'ftrace/unregister_{mode}'), med(d, f'ftrace/register_{mode}')
        return u - g if u is not None and g is not None else None

    row('free-to-reuse median, tramp_guard / `synchronize_rcu()`',
        r('reuse/tramp_guard', 'reuse/synchronize_rcu'), '<= 1.5')
    row('the same at p90 (no target)', r('reuse/tramp_guard', 'reuse/synchronize_rcu', what='p90'))
    row('`synchronize_rcu()` started anywhere in a tick / back to back (no target)',
        r('reuse/synchronize_rcu_any_phase', 'reuse/synchronize_rcu'))
    row('tramp_guard / `synchronize_rcu()` started anywhere in a tick (no target)',
        r('reuse/tramp_guard', 'reuse/synchronize_rcu_any_phase'))
    row('`synchronize_rcu_tasks()` / tramp_guard', r('reuse/synchronize_rcu_tasks', 'reuse/tramp_guard'),
        '>= 8')
    row('`synchronize_rcu_tasks()` / `synchronize_rcu()`: the best the row above it can be (no target)',
        r('reuse/synchronize_rcu_tasks', 'reuse/synchronize_rcu'))
    row('RCU Tasks Rude + Tasks / tramp_guard', r('reuse/tasks_rude+tasks', 'reuse/tramp_guard'), '>= 8')
    row('`synchronize_rcu_tasks()` / tramp_guard expedited',
        r('reuse/synchronize_rcu_tasks', 'reuse/tramp_guard_expedited'), '>= 500')
    row('`synchronize_rcu_tasks()` during the CPU-bound thread / the thread\'s run time (no target)',
        lambda d: ratio(med(d, 'holdout/synchronize_rcu_tasks'),
                        d['values'].get('holdout/seconds', 0) * 1e9))
    row('tramp_guard during the CPU-bound thread / idle',
        r('holdout/tramp_guard', 'reuse/tramp_guard'), '<= 2')
    row('per call, guarded / unguarded handler trampoline', val('percall/ratio_guarded_unguarded'),
        '<= 1.10')
    row('ftrace unregister, `off` / `on`', r('ftrace/unregister_off', 'ftrace/unregister_on'), '>= 8')
    row('ftrace unregister `on` / `synchronize_rcu()`',
        r('ftrace/unregister_on', 'reuse/synchronize_rcu'), '<= 1.5')
    row('ftrace unregister `on` / `synchronize_rcu()` started anywhere in a tick (no target)',
        r('ftrace/unregister_on', 'reuse/synchronize_rcu_any_phase'))
    row('RCU Tasks Rude + Tasks / `synchronize_rcu()`: the best Rude + Tasks / tramp_guard and '
        'ftrace `off` / `on` can be (no target)',
        r('reuse/tasks_rude+tasks', 'reuse/synchronize_rcu'))
    row('ftrace unregister, `off` / `expedited`', r('ftrace/unregister_off', 'ftrace/unregister_expedited'),
        '>= 500')
    row('ftrace register `expedited` / unregister `expedited`: the patching left (no target)',
        r('ftrace/register_expedited', 'ftrace/unregister_expedited'))
    row('the waits alone, unregister − register, `off` / `expedited` (an inference from medians)',
        lambda d: ratio(wait(d, 'off'), wait(d, 'expedited')))
    row('ftrace unregister `on` during the CPU-bound thread / idle',
        r('ftrace_holdout/unregister_on', 'ftrace/unregister_on'), '<= 2')
    row('ftrace unregister `off` during the CPU-bound thread / the thread\'s run time (no target)',
        lambda d: ratio(med(d, 'ftrace_holdout/unregister_off'), d['values'].get('holdout/seconds', 0) * 1e9))
    row('ftrace teardown of 64 ops on 64 functions, `off` / `on`',
        r('ftrace_teardown64/unregister_off', 'ftrace_teardown64/unregister_on'), '>= 5')
    row('ftrace, per traced call with an empty callback, guarded / `off`',
        val('ftrace/percall_ratio_guarded_off'), '<= 1.10')
    row('fprobe unregister, `off` / `on` (no target)', r('fprobe/unregister_off', 'fprobe/unregister_on'))
    for prog in ('fentry', 'fexit'):
        row(f'BPF {prog} last detach `on` / `synchronize_rcu()`',
            r(f'bpf_{prog}/unregister_on', 'reuse/synchronize_rcu'), '<= 1.5')
        row(f'BPF {prog} last detach `on` / `synchronize_rcu()` started anywhere in a tick (no target)',
            r(f'bpf_{prog}/unregister_on', 'reuse/synchronize_rcu_any_phase'))
        row(f'BPF {prog} last detach, the wait alone (`on` − `expedited`) / `synchronize_rcu()` '
            '(an inference from medians, no target)',
            lambda d, p=prog: ratio(med(d, f'bpf_{p}/unregister_on') - med(d, f'bpf_{p}/unregister_expedited')
                                    if med(d, f'bpf_{p}/unregister_on') is not None else None,
                                    med(d, 'reuse/synchronize_rcu')))
        row(f'BPF {prog} last detach, `off` / `on`',
            r(f'bpf_{prog}/unregister_off', f'bpf_{prog}/unregister_on'), '>= 5')
    row('BPF fentry last detach: Tasks only (`synchronize_rcu_tasks()`, what v6.13 waits here) / `on` '
        '(no target)', r('reuse/synchronize_rcu_tasks', 'bpf_fentry/unregister_on'))
    row('BPF: 100 programs on 100 functions detached one after another, `off` / `on`',
        r('bpf_teardown100/unregister_off', 'bpf_teardown100/unregister_on'), '>= 5')
    row('BPF: an attach on another function during a last detach in the CPU-bound thread, '
        '`off` / `on` (no target)',
        lambda d: med(d, 'bpf_holdout/attach_elsewhere_off') is not None and
        f'{fms(med(d, "bpf_holdout/attach_elsewhere_off"))} / '
        f'{fms(med(d, "bpf_holdout/attach_elsewhere_on"))} ms')
    row('BPF fentry last detach `on` during the CPU-bound thread / idle',
        r('bpf_holdout/unregister_on', 'bpf_fentry/unregister_on'), '<= 2')
    row('BPF fentry last detach `off` during the CPU-bound thread / the thread\'s run time (no target)',
        lambda d: ratio(med(d, 'bpf_holdout/unregister_off'), d['values'].get('holdout/seconds', 0) * 1e9))
    for prog in ('fentry', 'fexit'):
        row(f'user space: {prog} link close() `on` / membarrier(GLOBAL), same boot',
            r(f'bpf_user/{prog}_close_on', 'bpf_user/membarrier_global'), '<= 1.5')
        row(f'user space: {prog} link close(), `off` / `on`',
            r(f'bpf_user/{prog}_close_off', f'bpf_user/{prog}_close_on'), '>= 5')
    row('BPF fentry, per traced call, `on` / `off` (the same image)',
        val('bpf_fentry/percall_ratio_guarded_off'), '<= 1.02')
    row('entry hook, IP outside / inside the region (no target)',
        lambda d: 'irq/hook_outside_region_ns' in d['values'] and
        f'{d["values"]["irq/hook_outside_region_ns"]:.1f} / '
        f'{d["values"]["irq/hook_inside_region_ns"]:.1f} ns')
    row('IPI round trip, median (no target)',
        lambda d: med(d, 'irq/ipi_round_trip') is not None and
        f'{med(d, "irq/ipi_round_trip") / 1e3:.1f} us')
    row('lookup with 1 / with the most live trampolines (no target)',
        lambda d: 'scale/lookup_ns_1_live' in d['values'] and
        f'{d["values"]["scale/lookup_ns_1_live"]:.2f} / {d["values"]["scale/lookup_ns_max_live"]:.2f} ns '
        f'({d["values"]["scale/max_live_trampolines"]:g})')
    # The lookahead leaves the shared '|' of adjacent empty cells to the next match.
    rows = [re.sub(r'\| (False|None)(?= \|)', '| –', x) for x in rows]
    return '\n'.join(['| figure | target | ' + ' | '.join(cols) + ' |',
                      '|---|---|' + '---:|' * len(cols)] + rows) + '\n'


def blocks(runs):
    """Every generated block, by name."""
    out = {'headline': headline(runs), 'targets': targets(runs)}
    for a, doc in runs.items():
        out[a] = table_from_json(doc)
    return out


BLOCK = re.compile(r'(<!-- bench:(\S+) begin -->\n)(.*?)(<!-- bench:\2 end -->)', re.S)


def write_docs(root):
    runs = load_results(root)
    if not runs:
        sys.exit(f'{root}/docs/results: no bench-<arch>.json')
    gen = blocks(runs)
    files = [os.path.join(root, 'README.md')]
    docs = os.path.join(root, 'docs')
    files += sorted(os.path.join(docs, f) for f in os.listdir(docs) if f.endswith('.md'))
    for path in files:
        with open(path) as f:
            text = f.read()

        def fill(m):
            if m.group(2) not in gen:
                sys.exit(f'{path}: no generator for block bench:{m.group(2)}')
            return m.group(1) + gen[m.group(2)] + m.group(4)
        new = BLOCK.sub(fill, text)
        if new != text:
            with open(path, 'w') as f:
                f.write(new)
            print(f'updated {os.path.relpath(path, root)}')


def measured_here(note):
    """Where and when a run from a console log was measured."""
    commit = None
    try:
        commit = subprocess.run(['git', '-C', TOP, 'describe', '--always', '--dirty'],
                                capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        pass
    return {'date': time.strftime('%Y-%m-%d', time.gmtime()), 'commit': commit, 'where': note}


def main():
    if sys.argv[1:2] == ['--from-json']:
        with open(sys.argv[2]) as f:
            print(table_from_json(json.load(f)))
        return
    if sys.argv[1:2] == ['--docs']:
        root = sys.argv[3] if sys.argv[2:3] == ['--root'] else TOP
        write_docs(root)
        return
    log, prefix, note = sys.argv[1], sys.argv[2], sys.argv[3]
    native = None
    if len(sys.argv) > 4:
        with open(sys.argv[4]) as f:
            native = json.load(f)
    samples, values, phase = parse(log)
    if not samples and not values:
        sys.exit(f'{log}: no tramp_guard_bench lines')
    doc = {'note': note, 'phase': phase, 'measured': measured_here(note), 'values': values,
           'native_proxy': native, 'summaries': {k: summary(v) for k, v in samples.items()},
           'samples': samples}
    with open(prefix + '.json', 'w') as f:
        json.dump(doc, f, indent=1)
    text = table_from_json(doc)
    with open(prefix + '.md', 'w') as f:
        f.write(text)
    print(text)
    png = chart(samples, prefix)
    print(f'raw samples and summaries: {prefix}.json')
    if png:
        print(f'chart: {png}')


if __name__ == '__main__':
    main()
