#!/usr/bin/env python3
"""bench/report_csv.py PETITIONS.csv EVENTS.csv RECEPTIONS.csv FROM TO HALF_FROM

Part A of the quarterly report worked out by a general tool, python3's csv module, over the
CSV export of the three tables (sqlite3 -header -csv, every row and column): the same
figures, in the same order and rounding, as the hand-written SQL of bench/report.sh, so the
two outputs are compared line by line before anything is timed. Reads each file once,
keeping per case of the period only the event kinds it needs and per unit only counters.
"""
import csv
import datetime
import json
import sys

RESOLVED = {'resolved', 'review_requested', 'reviewed', 'rereview_requested', 'rereviewed', 'closed'}
OPEN = {'registered', 'assigned', 'accepted', 'objecting'}
NOT_OVERDUE = {'closed', 'rejected', 'transferred_out', 'objected'}
OUTCOMES = ('支持', '部分支持', '解释', '不支持')
SATISFACTION = ('满意', '基本满意', '不满意')
CASE_KINDS = {'instructed', 'transferred', 'objected', 'extended', 'review_requested',
              'rereview_requested', 'accepted', 'rejected'}


def period_cases(path, first, last):
    """The period's rows of the petitions export, by id."""
    cases = {}
    with open(path, newline='', encoding='utf-8') as f:
        for row in csv.DictReader(f):
            if first <= row['received_on'] <= last:
                cases[row['id']] = row
    return cases


def case_events(path, cases):
    """Per case of the period: the set of figures its events give (by_named, ...)."""
    marks = {}
    with open(path, newline='', encoding='utf-8') as f:
        for e in csv.DictReader(f):
            c = cases.get(e['petition_id'])
            kind = e['kind']
            if c is None or kind not in CASE_KINDS:
                continue
            m = marks.setdefault(e['petition_id'], set())
            if kind in ('accepted', 'rejected', 'transferred'):
                m.add('routed_on')
            if kind == 'instructed':
                by = json.loads(e['data']).get('by') or ''
                m.add('by_named' if by == c['addressed_to'] else 'by_other')
            elif kind == 'transferred' and json.loads(e['data']).get('mode') == '交办':
                m.add('handed_down')
            elif kind in ('objected', 'extended', 'review_requested', 'rereview_requested'):
                m.add(kind)
    return marks


def part_a(cases, marks, today):
    overdue_before = (today - datetime.timedelta(days=15)).isoformat()
    units = {}
    for pid, c in cases.items():
        m = marks.get(pid, ())
        persons = int(c['persons'])
        collective = c['collective'] == '1'
        named = c['named_letter'] == '1'
        state = c['state']
        resolved = state in RESOLVED
        sat = c['satisfaction']
        figures = (1, persons, c['channel'] == 'visit' and c['received_by'] != '', collective,
                   persons if collective else 0, c['repeat'] == '1', c['channel'] == 'transfer',
                   named, named and 'by_named' in m, named and 'by_named' not in m and 'by_other' in m,
                   resolved) + tuple(resolved and c['outcome'] == o for o in OUTCOMES) + (
                   state in OPEN, state == 'rejected', state == 'transferred_out', state == 'objected',
                   'handed_down' in m, 'objected' in m, 'extended' in m,
                   state not in NOT_OVERDUE and 'routed_on' not in m and c['received_on'] < overdue_before,
                   'review_requested' in m, 'rereview_requested' in m) + tuple(
                   resolved and sat == s for s in SATISFACTION) + (resolved and sat == '',)
        u = units.setdefault(c['unit'], [0] * len(figures))
        for i, v in enumerate(figures):
            u[i] += int(v)
    return units


def reception_days(path, first, last):
    months = {}
    with open(path, newline='', encoding='utf-8') as f:
        for r in csv.DictReader(f):
            if not first <= r['day'] <= last:
                continue
            k = (r['unit'], r['day'][:7])
            m = months.setdefault(k, [0, 0, set(), 0])
            reception = r['kind'] == 'reception'
            m[0] += reception and r['state'] != 'cancelled'
            if reception and r['state'] == 'held':
                m[1] += 1
                if r['held_by'] or r['leader']:
                    m[2].add(r['held_by'] or r['leader'])
            m[3] += r['kind'] == 'meeting' and r['state'] == 'held'
    return months


def main():
    if len(sys.argv) != 7:
        sys.exit(__doc__.splitlines()[0])
    petitions, events, receptions, first, last, half_first = sys.argv[1:]
    cases = period_cases(petitions, first, last)
    units = part_a(cases, case_events(events, cases), datetime.date.today())
    out = csv.writer(sys.stdout, lineterminator='\n')
    for unit in sorted(units):
        out.writerow([unit] + units[unit])
    months = reception_days(receptions, half_first, last)
    for (unit, month) in sorted(months):
        planned, held, leaders, meetings = months[(unit, month)]
        out.writerow([unit, month, planned, held, len(leaders), meetings])


if __name__ == '__main__':
    main()
