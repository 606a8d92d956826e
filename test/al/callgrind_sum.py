#!/usr/bin/env python3
"""Per-function instruction counts from two callgrind runs (see callgrind.sh).

  callgrind_sum.py FILE1 FILE2 FUNCTION... [--lines FUNCTION:FILE:FIRST-LAST]

For each FUNCTION: its own instructions (code inlined into it included,
callees excluded) and the number of calls to it, in both files, and the
difference of the first divided by the difference of the second.  Each
FUNCTION's own instructions are also split by source file, which shows
what inlined helpers (verbs.h, ual_internal.h) cost inside it.  --lines
adds the instructions on a line range of one source file inside FUNCTION
(for a helper inlined into it, such as convert() in cq.c).
"""
import re
import sys
from collections import defaultdict


def parse(path):
    """-> (self[fn][file] = Ir, lines[fn][(file, line)] = Ir, calls[fn])"""
    names = {'fl': {}, 'fn': {}}
    own = defaultdict(lambda: defaultdict(int))
    lines = defaultdict(lambda: defaultdict(int))
    calls = defaultdict(int)
    events = None
    fl = fi = fn = cfn = None
    last = 0
    pending_call = False

    def name(kind, text):
        m = re.match(r'\((\d+)\)(?: (.*))?$', text)
        if not m:
            return text
        table = names['fn' if kind == 'fn' else 'fl']
        if m.group(2) is not None:
            table[m.group(1)] = m.group(2)
        return table.get(m.group(1), text)

    with open(path) as f:
        for raw in f:
            line = raw.rstrip('\n')
            if line.startswith('events:'):
                events = line.split()[1:]
                continue
            m = re.match(r'(\w+)=(.*)$', line)
            if m:
                key, val = m.groups()
                if key == 'fl':
                    fl = fi = name('fl', val)
                elif key in ('fi', 'fe'):
                    fi = name('fl', val)
                elif key == 'fn':
                    fn = name('fn', val)
                    fi = fl
                elif key == 'cfn':
                    cfn = name('fn', val)
                elif key in ('cfi', 'cfl'):
                    name('fl', val)
                elif key == 'calls':
                    calls[cfn] += int(val.split()[0])
                    pending_call = True
                continue
            if not line or not (line[0].isdigit() or line[0] in '+-*'):
                continue
            parts = line.split()
            pos = parts[0]
            if pos == '*':
                ln = last
            elif pos[0] in '+-':
                ln = last + int(pos)
            else:
                ln = int(pos)
            last = ln
            if pending_call:	# inclusive cost of a call: not own
                pending_call = False
                continue
            ir = int(parts[1]) if len(parts) > 1 else 0
            own[fn][fi] += ir
            lines[fn][(fi, ln)] += ir
    return own, lines, calls


def main(argv):
    ranges = []
    args = []
    i = 0
    while i < len(argv):
        if argv[i] == '--lines':
            fn, fil, rng = argv[i + 1].split(':')
            a, b = rng.split('-')
            ranges.append((fn, fil, int(a), int(b)))
            i += 2
        else:
            args.append(argv[i])
            i += 1
    f1, f2, fns = args[0], args[1], args[2:]
    r1, r2 = parse(f1), parse(f2)
    print('%-14s %10s %10s %8s %8s %9s' % ('function', 'Ir run1', 'Ir run2',
                                            'calls1', 'calls2', 'Ir/call'))
    for fn in fns:
        a = sum(r1[0][fn].values())
        b = sum(r2[0][fn].values())
        ca, cb = r1[2][fn], r2[2][fn]
        per = (b - a) / (cb - ca) if cb != ca else float('nan')
        print('%-14s %10d %10d %8d %8d %9.1f' % (fn, a, b, ca, cb, per))
        for fil in sorted(set(r1[0][fn]) | set(r2[0][fn])):
            x, y = r1[0][fn].get(fil, 0), r2[0][fn].get(fil, 0)
            print('  %-40s %10d %10d %9.1f' % (fil[-40:], x, y,
                  (y - x) / (cb - ca) if cb != ca else float('nan')))
    for fn, fil, lo, hi in ranges:
        tot = []
        for r in (r1, r2):
            tot.append(sum(v for (f, ln), v in r[1][fn].items()
                           if f.endswith(fil) and lo <= ln <= hi))
        print('%s lines %s:%d-%d: %d %d (difference %d)' %
              (fn, fil, lo, hi, tot[0], tot[1], tot[1] - tot[0]))


if __name__ == '__main__':
    main(sys.argv[1:])
