#!/bin/sh
# petition-schedule explain: a case's deadlines, worked by hand.
. "$(dirname "$0")/lib.sh"

q() { sqlite3 petition.db "$1"; }
# Events are written here by hand, to move a case's clock without the case program: the
# log of petition.db is forged on purpose and does not replay.
replay_skip=petition.db

test_expect_success 'setup: a named letter of 2026-09-16 and a transferred case of 2026-11-20' '
	petition init -q &&
	petition intake --received-on 2026-09-16 --channel 来信 --petitioner 甲 --category 咨询 \
		--summary 署名信 --addressed-to 王建国 >letter &&
	petition intake --received-on 2026-11-20 --channel 上级转送 --petitioner 乙 --category 欠薪 \
		--summary 转来的 --source-ref "鲁工信转〔2026〕50号" >transfer
'

# By hand, today being Sat 2026-11-28:
# route: 15 days from Wed 09-16 is 10-01, in 国庆节 (10-01..07): due Thu 10-08. Working days
#   after it up to today: 10-09, 10-10 (a worked Saturday), then 5 a week for the 5 weeks
#   10-12..11-13 and the 2 weeks 11-16..11-27: 2 + 25 + 10 = 37, so -37.
# instruct: 5 working days from 09-16: 09-17, 09-18, 09-20 (a worked Sunday), 09-21, 09-22.
#   Late by 09-23, 09-24 (09-25..27 中秋节), 09-28..30 (5), 10-08 (6), and the 37 above: -43.
test_expect_success 'the named letter: route (15 days, moved off 国庆节) and instruct (5 working days)' '
	petition schedule explain "$(cat letter)" --format tsv | cut -f1,3-9 >out &&
	printf "%s\n" \
		"deadline	counts_from	from_date	rule	due	skipped	state	working_days_left" \
		"route	received	2026-09-16	15 calendar days	2026-10-08	day 15 is 2026-10-01, a rest day (国庆节 2026-10-01..10-07)	long overdue	-37" \
		"instruct	received	2026-09-16	5 working days	2026-09-22	1 weekend day	long overdue	-43" >expect &&
	head -3 out >got &&
	test_cmp expect got &&
	grep -q "^handle	accepted		60 calendar days			not started	$" out
'

test_expect_success 'the transferred case: route (12-05 is a Saturday: 12-07, 6 working days left on Sat 11-28) and the objection (due Fri 11-27: overdue by date, 0 working days late); no instruct' '
	petition schedule explain "$(cat transfer)" --format tsv | cut -f1,5-9 >out &&
	grep -q "^route	15 calendar days	2026-12-07	day 15 is 2026-12-05, a rest day (2 weekend days)	open	6$" out &&
	grep -q "^objection	5 working days	2026-11-27	2 weekend days	overdue	0$" out &&
	! grep -q "^instruct" out
'

test_expect_success 'by id as well as by case number; a missing case: 66' '
	petition schedule explain 1 --format csv >out &&
	grep -q "^route,.*,received,2026-09-16," out &&
	test_expect_code 66 petition schedule explain LYS-2099-000001 2>err &&
	grep -q "no case '"'"'LYS-2099-000001'"'"'" err &&
	test_expect_code 66 petition schedule explain 1abc 2>err &&
	test_expect_code 66 petition schedule explain 2026-000001 2>err &&
	test_expect_code 64 petition schedule explain 2>err &&
	test_expect_code 64 petition schedule explain 1 --year 2026 2>err
'

test_expect_success 'events of the case program move the clock: accepted, extended, met' '
	id=$(q "SELECT id FROM petitions WHERE petitioner = '"'"'甲'"'"'") &&
	q "INSERT INTO events (at, operator, program, kind, petition_id, data, prev_hash, hash)
	   VALUES (datetime('"'"'now'"'"'), '"'"'t'"'"', '"'"'test'"'"', '"'"'accepted'"'"', $id, '"'"'{\"on\":\"2026-08-03\"}'"'"', '"'"'x'"'"', '"'"'h1'"'"'),
	          (datetime('"'"'now'"'"'), '"'"'t'"'"', '"'"'test'"'"', '"'"'accepted'"'"', $id, '"'"'{\"on\":\"2026-09-17\"}'"'"', '"'"'x'"'"', '"'"'h2'"'"'),
	          (datetime('"'"'now'"'"'), '"'"'t'"'"', '"'"'test'"'"', '"'"'extended'"'"', $id, '"'"'{\"on\":\"2026-10-20\",\"deadline\":\"handle\",\"days\":30}'"'"', '"'"'x'"'"', '"'"'h3'"'"'),
	          (datetime('"'"'now'"'"'), '"'"'t'"'"', '"'"'test'"'"', '"'"'instructed'"'"', $id, '"'"'{\"on\":\"2026-09-18\"}'"'"', '"'"'x'"'"', '"'"'h4'"'"')" &&
	petition schedule explain "$(cat letter)" --format tsv | cut -f1,4-8 >out &&
	grep -q "^route	2026-09-16	15 calendar days	2026-10-08	day 15 is 2026-10-01, a rest day (国庆节 2026-10-01..10-07)	met (notified 2026-09-17)$" out &&
	grep -q "^instruct	2026-09-16	5 working days	2026-09-22	1 weekend day	met (instructed 2026-09-18)$" out &&
	grep -q "^handle	2026-09-17	60 calendar days + 30 extended	2026-12-16		open$" out
'

test_done
