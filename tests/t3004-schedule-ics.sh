#!/bin/sh
# iCalendar: a day of a year whose calendar is not given, or marked provisional, is
# TENTATIVE; UIDs are unique across databases. Read back with python3-icalendar (Debian).
. "$(dirname "$0")/lib.sh"

PY=/usr/bin/python3
# Each event of the file given as "DTSTART STATUS UID", parsed by icalendar (which refuses
# a malformed file), sorted.
events() {
	$PY -c "
import sys, icalendar
cal = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read())
assert cal.name == 'VCALENDAR' and str(cal['VERSION']) == '2.0'
rows = [' '.join((ev.decoded('DTSTART').isoformat(), str(ev['STATUS']), str(ev['UID'])))
        for ev in cal.walk('VEVENT')]
print('\n'.join(sorted(rows)))" "$1"
}

# The default rules give the calendars of 2025 and 2026 only (examples/rules.yaml), so a
# day of 2027 is provisional; 2026-12-10 (Thu) and 2026-12-24 (Thu) are not.
test_expect_success 'setup: days in 2026 and 2027, one cancelled' '
	petition init -q &&
	d1=$(petition schedule add --unit LYS --day 2026-12-10 --leader 王建国 2>/dev/null) &&
	d2=$(petition schedule add --unit LYS --day 2026-12-24 --leader 李文华 2>/dev/null) &&
	d3=$(petition schedule add --unit LYS --day 2027-04-20 --leader 李文华 2>/dev/null) &&
	petition schedule cancel "$d2" --reason 出差 >/dev/null 2>&1 &&
	echo "$d1 $d2 $d3" >ids &&
	test "$d3" = 3
'

test_expect_success 'a day of 2027 (no calendar given) is TENTATIVE; 2026 CONFIRMED; cancelled stays CANCELLED' '
	petition schedule list --format ics >a.ics &&
	events a.ics | cut -d" " -f1,2 >got &&
	printf "%s\n" "2026-12-10 CONFIRMED" "2026-12-24 CANCELLED" "2027-04-20 TENTATIVE" >expect &&
	test_cmp expect got
'

test_expect_success 'a year the rules mark provisional: its days TENTATIVE too' '
	sed "/^  - year: 2026\$/a\\    provisional: true" "$TEST_SRC/../examples/rules.yaml" >prov.yaml &&
	grep -q "^    provisional: true" prov.yaml &&
	petition rules check prov.yaml 2>/dev/null &&
	petition schedule list --rules prov.yaml --format ics >p.ics &&
	events p.ics | cut -d" " -f1,2 >got &&
	printf "%s\n" "2026-12-10 TENTATIVE" "2026-12-24 CANCELLED" "2027-04-20 TENTATIVE" >expect &&
	test_cmp expect got &&
	sed "s/^    provisional: true/    provisional: maybe/" prov.yaml >bad.yaml &&
	test_expect_code 1 petition rules check bad.yaml 2>err &&
	grep -q "provisional must be true or false" err
'

test_expect_success 'UIDs: stable across exports, unique across two databases with the same days' '
	petition schedule list --format ics >b.ics &&
	events a.ics | cut -d" " -f3 >uid.a &&
	events b.ics | cut -d" " -f3 >uid.b &&
	test_cmp uid.a uid.b &&
	petition init -q --db other.db &&
	petition schedule add --db other.db --unit LYS --day 2026-12-10 --leader 王建国 >/dev/null 2>&1 &&
	petition schedule list --db other.db --format ics >o.ics &&
	events o.ics | cut -d" " -f3 >uid.o &&
	test "$(wc -l <uid.o)" = 1 &&
	head -n 1 uid.a >first.a &&
	! test_cmp first.a uid.o 2>/dev/null &&
	sed "s/@.*//" first.a >local.a && sed "s/@.*//" uid.o >local.o &&
	test_cmp local.a local.o &&
	test "$(sort -u uid.a uid.o | wc -l)" = 4
'

test_done
