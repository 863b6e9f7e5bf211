#!/bin/sh
# petition-schedule due: the order of the list (due date, then the case's id) across the
# rest days of 春节 and 国庆 2026, with cases registered out of the order of their receipt,
# so that the list, read in the order of receipt, must hold a case back until no case still
# to read can come before it.
. "$(dirname "$0")/lib.sh"

# reg: RECEIVED CHANNEL [LEADER]: register one case (ids, and case numbers, in this order)
n=0
reg() {
	n=$((n + 1))
	petition intake -q --received-on "$1" --channel "$2" --petitioner "人$n" --category 咨询 \
		--summary "第$n件" ${3:+--addressed-to "$3"} >/dev/null
}

test_expect_success 'setup: thirteen cases, registered in an order that is not their receipt' '
	petition init -q &&
	reg 2026-02-08 来访 && reg 2026-02-13 来信 && reg 2026-01-31 来访 && reg 2026-02-12 来信 &&
	reg 2026-01-30 来访 && reg 2026-02-12 来信 王建国 && reg 2026-02-13 来访 &&
	reg 2026-09-23 来访 && reg 2026-09-17 来访 && reg 2026-09-30 来信 && reg 2026-09-24 来信 王建国 &&
	reg 2026-09-25 来访 && reg 2026-09-30 上级转送
'

# By hand, from the 2026 calendar of the default rules: 春节 02-15..02-23 off, Sat 02-14
# and Sat 02-28 working; 中秋 09-25..09-27 and 国庆 10-01..10-07 off, Sat 10-10 working.
# Rules: route 15 calendar days (moved off a rest day to the next working day); open_letter
# (an unnamed letter) 2 working days; instruct (a letter to a leader) 5 working days;
# objection (a transfer) 5 working days. The next deadline is the earliest; on a tie between
# rules, the first in the rules (route).
#  1 visit Sun 02-08: route 02-23, 春节: Tue 02-24
#  2 unnamed letter Fri 02-13: open_letter Sat 02-14 (1), 春节, Tue 02-24 (2): 02-24
#    (route 02-28, later)
#  3 visit Sat 01-31: route Sun 02-15, 春节: 02-24
#  4 unnamed letter Thu 02-12: open_letter Fri 02-13 (1), Sat 02-14 (2): 02-14
#  5 visit Fri 01-30: route Sat 02-14, a working day: 02-14
#  6 letter to 王建国 Thu 02-12: instruct 02-13, 02-14, 02-24, 02-25, 02-26 (route 02-27)
#  7 visit Fri 02-13: route Sat 02-28, a working day: 02-28
#  8 visit Wed 09-23: route Thu 10-08
#  9 visit Thu 09-17: route Fri 10-02, 国庆: Thu 10-08 (received before 8, listed after it)
# 10 unnamed letter Wed 09-30: open_letter, 国庆, Thu 10-08 (1), Fri 10-09 (2): 10-09
# 11 letter to 王建国 Thu 09-24: route Fri 10-09; instruct 09-28, 29, 30, 10-08, 10-09:
#    the same day, so route
# 12 visit Fri 09-25: route Sat 10-10, a working day: 10-10
# 13 transfer Wed 09-30: objection 10-08, 10-09, Sat 10-10, Mon 10-12, Tue 10-13 (route 10-15)
# By due date, then id: 02-14: 4 5; 02-24: 1 2 3; 02-26: 6; 02-28: 7; 10-08: 8 9;
# 10-09: 10 11; 10-10: 12; 10-13: 13.
test_expect_success 'by due date, then id, whatever the order of receipt' '
	test_expect_code 1 petition schedule due --format csv >out 2>err &&
	tr -d "\r" <out | cut -d, -f1,3,5,7 >got &&
	printf "%s\n" "case_no,received_on,deadline,due" \
		"LYS-2026-000004,2026-02-12,open_letter,2026-02-14" \
		"LYS-2026-000005,2026-01-30,route,2026-02-14" \
		"LYS-2026-000001,2026-02-08,route,2026-02-24" \
		"LYS-2026-000002,2026-02-13,open_letter,2026-02-24" \
		"LYS-2026-000003,2026-01-31,route,2026-02-24" \
		"LYS-2026-000006,2026-02-12,instruct,2026-02-26" \
		"LYS-2026-000007,2026-02-13,route,2026-02-28" \
		"LYS-2026-000008,2026-09-23,route,2026-10-08" \
		"LYS-2026-000009,2026-09-17,route,2026-10-08" \
		"LYS-2026-000010,2026-09-30,open_letter,2026-10-09" \
		"LYS-2026-000011,2026-09-24,route,2026-10-09" \
		"LYS-2026-000012,2026-09-25,route,2026-10-10" \
		"LYS-2026-000013,2026-09-30,objection,2026-10-13" >expect &&
	test_cmp expect got &&
	grep -q "13 cases listed, 13 overdue" err
'

# The same order in every format, and under a filter: --overdue keeps them all (today
# 2026-11-28), --unit LSQ (no case of that county) none, exit 0.
test_expect_success 'the same order in tsv and json, and under --overdue; none of another unit' '
	tr -d "\r" <out | cut -d, -f1 | sed 1d >order &&
	test_expect_code 1 petition schedule due --format tsv >tsv &&
	cut -f1 tsv | sed 1d >got && test_cmp order got &&
	test_expect_code 1 petition schedule due --format json >json &&
	sed -n "s/.*\"case_no\": \"\\([^\"]*\\)\".*/\\1/p" json >got && test_cmp order got &&
	test_expect_code 1 petition schedule due --overdue --format csv >ov &&
	tr -d "\r" <ov | cut -d, -f1 | sed 1d >got && test_cmp order got &&
	petition schedule due --unit LSQ --format csv >none 2>err &&
	test "$(wc -l <none)" = 1
'

# A due date in a year the rules have no calendar for (2027), and a deadline from an event:
# a visit received Fri 2026-11-20, accepted (and the petitioner notified, which meets route)
# on Fri 11-27; handle, 60 calendar days from 11-27: 11-30 is day 3, 12-31 day 34, Tue
# 2027-01-26 day 60, a weekday, and 2027 has no calendar: provisional. Working days left on
# Sat 2026-11-28: 11-30 (1), December's 23 weekdays (no holiday), 2027-01-01 (a Friday; no
# calendar says it is a holiday), 01-04..08, 11..15, 18..22 (15), 25, 26: 1 + 23 + 1 + 15 + 2
# = 42: open.
test_expect_success 'a due date in a year without a calendar is provisional' '
	petition init -q --db prov.db &&
	petition intake -q --db prov.db --received-on 2026-11-20 --channel 来访 --petitioner 丁 \
		--category 咨询 --summary 受理的 >/dev/null &&
	petition case -q --db prov.db accept LYS-2026-000001 --on 2026-11-27 >/dev/null &&
	petition schedule due --db prov.db --format csv >out 2>err &&
	tr -d "\r" <out | sed 1d >got &&
	echo "LYS-2026-000001,LYS,2026-11-20,咨询,handle,办理,2027-01-26,42,\"open, provisional\"" >expect &&
	test_cmp expect got &&
	grep -q "provisional" err
'

test_done
