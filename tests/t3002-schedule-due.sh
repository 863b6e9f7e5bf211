#!/bin/sh
# petition-schedule due: open cases by their next deadline; exit 1 when one is overdue.
. "$(dirname "$0")/lib.sh"

q() { sqlite3 petition.db "$1"; }
# Events are written here by hand, to move a case's clock without the case program: the
# log of petition.db is forged on purpose and does not replay.
replay_skip=petition.db

test_expect_success 'setup: a county case due soon, a named letter overdue, a transfer' '
	petition init -q &&
	petition intake -q --received-on 2026-11-20 --unit LSQ --channel 来访 --petitioner 甲 \
		--category 咨询 --summary 县里的 >/dev/null &&
	petition intake -q --received-on 2026-11-19 --channel 来信 --petitioner 乙 \
		--category 咨询 --summary 署名信 --addressed-to 王建国 >/dev/null &&
	petition intake -q --received-on 2026-11-24 --channel 上级转送 --petitioner 丙 \
		--category 欠薪 --summary 转来的 >/dev/null
'

# By hand, today being Saturday 2026-11-28:
# 甲 (visit, Fri 11-20): route, 15 days: Sat 12-05, a rest day: Mon 12-07; 6 working days left.
# 乙 (named letter, Thu 11-19): instruct, 5 working days: 11-20, 23, 24, 25, 26: Thu 11-26,
#    overdue by 1 working day (Fri 11-27); route would be 12-04, later.
# 丙 (transfer, Tue 11-24): objection, 5 working days: 25, 26, 27, 30, 12-01: Tue 12-01,
#    2 working days left (11-30, 12-01): due soon.
test_expect_success 'every open case, by due date, exit 1 because one is overdue' '
	test_expect_code 1 petition schedule due --format csv >out 2>err &&
	tr -d "\r" <out | cut -d, -f1,2,5,7-9 >got &&
	printf "%s\n" "case_no,unit,deadline,due,working_days_left,state" \
		"LYS-2026-000001,LYS,instruct,2026-11-26,-1,overdue" \
		"LYS-2026-000002,LYS,objection,2026-12-01,2,due soon" \
		"LSQ-2026-000001,LSQ,route,2026-12-07,6,open" >expect &&
	test_cmp expect got &&
	grep -q "3 cases listed, 1 overdue" err
'

test_expect_success '--overdue, --within and --unit filter' '
	test_expect_code 1 petition schedule due --overdue --format csv >out &&
	test "$(wc -l <out)" = 2 && grep -q "^LYS-2026-000001," out &&
	test_expect_code 1 petition schedule due --within 2 --format csv >out &&
	test "$(wc -l <out)" = 3 &&
	petition schedule due --unit 兰山区总工会 --format csv >out 2>err &&
	test "$(wc -l <out)" = 2 && grep -q "^LSQ-2026-000001," out &&
	grep -q "1 case listed, 0 overdue" err
'

test_expect_success 'a met deadline gives way to the next: instructed, then route' '
	id=$(q "SELECT id FROM petitions WHERE petitioner = '"'"'乙'"'"'") &&
	q "INSERT INTO events (at, operator, program, kind, petition_id, data, prev_hash, hash)
	   VALUES (datetime('"'"'now'"'"'), '"'"'t'"'"', '"'"'test'"'"', '"'"'instructed'"'"', $id,
	           '"'"'{\"on\":\"2026-11-27\"}'"'"', '"'"'x'"'"', '"'"'i1'"'"')" &&
	petition schedule due --format csv >out 2>err &&
	grep -q "^LYS-2026-000001,LYS,2026-11-19,咨询,route,.*,2026-12-04,5,open" out &&
	grep -q "0 overdue" err
'

test_expect_success 'no open deadline: an empty list and exit 0; usage errors 64' '
	petition init -q --db empty.db &&
	petition schedule --db empty.db due --format csv >out 2>err &&
	test "$(wc -l <out)" = 1 &&
	test_expect_code 64 petition schedule due --within soon 2>err &&
	test_expect_code 64 petition schedule due --unit 北京 2>err &&
	test_expect_code 64 petition schedule calendar --overdue 2>err &&
	grep -q "^petition-schedule: calendar does not take --overdue$" err &&
	test_expect_code 64 petition schedule due --year 2026 2>err &&
	grep -q "^petition-schedule: due does not take --year$" err
'

test_done
