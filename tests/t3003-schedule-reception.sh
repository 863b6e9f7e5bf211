#!/bin/sh
# petition-schedule plan, add, cancel, held, list: leaders' reception days (接访).
. "$(dirname "$0")/lib.sh"

q() { sqlite3 petition.db "$1"; }

test_expect_success 'setup: the default rules, and rules with county and township leaders' '
	petition init -q &&
	sed -e "s/^leaders:/leaders:\n  - { name: 县主席, unit: LSQ, principal: true }\n  - { name: 县副主席, unit: LSQ }\n  - { name: 省主席, unit: SZG }\n  - { name: 镇主席, unit: ZHEN }/" \
	    -e "s/^units:/units:\n  - { code: SZG, name: 山东省总工会, level: province }\n  - { code: ZHEN, name: 某镇工会, level: township, parent: LSQ }/" \
	    "$TEST_SRC/../examples/rules.yaml" >levels.yaml &&
	petition rules check -q levels.yaml
'

# December 2026 from Sat 11-28 with 2 days notice: its Tuesdays and Thursdays are 12-01, 03,
# 08, 10, 15, 17, 22, 24, 29, 31 (ten); two days spread over them are the 3rd and the 8th,
# 12-08 and 12-24; the leaders in turn, the principal first.
test_expect_success 'the city union: two days in December, spread, leaders in turn' '
	petition schedule plan --unit LYS --month 2026-12 --format csv >out 2>err &&
	tr -d "\r" <out | cut -d, -f2-8 >got &&
	printf "%s\n" "unit,day,weekday,kind,leader,place,form" \
		"LYS,2026-12-08,周二,reception,王建国,临沂市总工会职工服务中心信访接待室,定点接访" \
		"LYS,2026-12-24,周四,reception,李文华,临沂市总工会职工服务中心信访接待室,定点接访" >expect &&
	test_cmp expect got &&
	grep -q "2 reception days a month required; 0 already planned or held; 2 added" err &&
	test "$(q "SELECT count(*) FROM events WHERE kind = '"'"'reception.plan'"'"'")" = 1 &&
	test "$(q "SELECT count(*) FROM receptions WHERE event_id = (SELECT id FROM events WHERE kind = '"'"'reception.plan'"'"')")" = 2
'

test_expect_success 'planning again adds nothing; the next month goes on with the next leaders' '
	db_dump >before &&
	petition schedule plan --unit LYS --month 2026-12 >out 2>err &&
	grep -q "2 already planned or held; 0 added" err &&
	db_dump >after &&
	test_cmp before after &&
	petition schedule plan --unit 临沂市总工会 --month 2027-01 --format csv 2>err | tr -d "\r" | cut -d, -f3,6 >got &&
	printf "%s\n" "day,leader" "2027-01-12,张海燕" "2027-01-26,刘志强" >expect &&
	test_cmp expect got &&
	grep -q "no calendar for 2027" err
'

test_expect_success '--dry-run shows the plan and keeps nothing' '
	db_dump >before &&
	petition schedule plan --dry-run --unit LYS --month 2027-02 --format csv >out 2>err &&
	test "$(wc -l <out)" = 3 &&
	grep -q "would be added (dry run)" err &&
	db_dump >after &&
	test_cmp before after
'

test_expect_success 'each level: province 1 day, county 2, township none' '
	petition schedule --rules levels.yaml plan --unit SZG --month 2026-12 --format csv >out 2>err &&
	test "$(wc -l <out)" = 2 &&
	petition schedule --rules levels.yaml plan --unit LSQ --month 2026-12 --format csv >out 2>err &&
	test "$(tr -d "\r" <out | cut -d, -f6 | sed 1d | tr "\n" " ")" = "县主席 县副主席 " &&
	petition schedule --rules levels.yaml plan --unit ZHEN --month 2026-12 >out 2>err &&
	grep -q "township union" err && test "$(wc -l <out)" = 1
'

test_expect_success 'a unit whose rules name no leaders: 65' '
	test_expect_code 65 petition schedule plan --unit LZQ --month 2026-12 2>err &&
	grep -q "the rules name no leaders of LZQ" err
'

# From Sat 11-28, 2 days notice leaves Mon 11-30, the one working day of November left.
test_expect_success 'too few working days left in the month: what can be, and exit 1' '
	test_expect_code 1 petition schedule plan --unit LYS --month 2026-11 --format csv >out 2>err &&
	grep -q ",2026-11-30,周一," out &&
	grep -q "not enough working days left" err
'

test_expect_success 'add a day and a meeting; late notice warned; duplicates refused' '
	test "$(petition schedule add --unit LYS --day 2026-11-27 --leader 张海燕 --form 约访 2>err)" -gt 0 &&
	grep -q "less than 2 days ahead" err &&
	id=$(petition schedule add --unit LYS --day 2027-03-10 --kind meeting --place 三楼会议室 2>err) &&
	test ! -s err &&
	test "$(q "SELECT kind || '"'"' '"'"' || place FROM receptions WHERE id = $id")" = "meeting 三楼会议室" &&
	test_expect_code 65 petition schedule add --unit LYS --day 2027-03-10 --kind meeting 2>err &&
	grep -q "already has this meeting" err &&
	test_expect_code 65 petition schedule add --unit LYS --day 2027-03-11 --leader 县主席 2>err &&
	grep -q "not in the rules" err &&
	test_expect_code 65 petition schedule --rules levels.yaml add --unit LYS --day 2027-03-11 --leader 县主席 2>err &&
	grep -q "县主席 is a leader of LSQ, not of LYS" err &&
	test_expect_code 65 petition schedule add --unit LYS --day 2027-03-11 --leader 王建国 --form 上门 2>err &&
	test_expect_code 64 petition schedule add --unit LYS 2>err
'

test_expect_success 'held on the day or after, by the planned leader or another; cancel; states' '
	id=$(q "SELECT id FROM receptions WHERE day = '"'"'2026-12-08'"'"' AND unit = '"'"'LYS'"'"'") &&
	test_expect_code 65 petition schedule held $id 2>err &&
	grep -q "still to come" err &&
	PETITION_TODAY=2026-11-28 test_expect_code 65 petition schedule held $id --leader 李四 2>err &&
	past=$(petition schedule add --unit LYS --day 2026-11-26 --leader 刘志强 2>/dev/null) &&
	petition schedule held $past --leader 王建国 &&
	test "$(q "SELECT state || '"'"' '"'"' || held_by FROM receptions WHERE id = $past")" = "held 王建国" &&
	test_expect_code 65 petition schedule held $past 2>err &&
	grep -q "is held, not planned" err &&
	petition schedule cancel $id --reason 出差 &&
	test "$(q "SELECT state FROM receptions WHERE id = $id")" = cancelled &&
	test_expect_code 65 petition schedule cancel $id 2>err &&
	test_expect_code 66 petition schedule cancel 999 2>err &&
	grep -q "no reception day 999" err &&
	test "$(q "SELECT group_concat(kind) FROM (SELECT kind FROM events WHERE kind LIKE '"'"'reception.%'"'"' ORDER BY id DESC LIMIT 2)")" = "reception.cancel,reception.held"
'

test_expect_success 'reception days only on working days; text checked; meetings held without a leader' '
	test_expect_code 65 petition schedule add --unit LYS --day 2026-10-01 --leader 王建国 2>err &&
	grep -q "2026-10-01 is 国庆节, a holiday" err &&
	test_expect_code 65 petition schedule add --unit LYS --day 2026-12-05 --leader 王建国 2>err &&
	grep -q "2026-12-05 is a 周六" err &&
	test_expect_code 65 petition schedule add --unit LYS --day 2026-12-07 --leader 王建国 \
		--place "$(printf "\200\200")" 2>err &&
	grep -q "place: not valid UTF-8" err &&
	m=$(petition schedule add --unit LYS --day 2026-11-21 --kind meeting 2>/dev/null) &&
	petition schedule held $m &&
	test "$(q "SELECT state || '"'"' '"'"' || coalesce(held_by, '"'"'-'"'"') FROM receptions WHERE id = $m")" = "held -"
'

test_expect_success 'plan -q keeps its exit status' '
	PETITION_TODAY=2026-09-28 test_expect_code 1 petition schedule plan -q --dry-run --unit LYS --month 2026-09 >out
'

test_expect_success 'list by range and unit' '
	petition schedule list --from 2026-12-01 --to 2026-12-31 --unit LYS --format csv | tr -d "\r" | cut -d, -f3,6,9 >got &&
	printf "%s\n" "day,leader,state" "2026-12-08,王建国,cancelled" "2026-12-24,李文华,planned" >expect &&
	test_cmp expect got &&
	test_expect_code 64 petition schedule list --from 2026-12-01 2>err
'

test_expect_success 'iCalendar: stable UIDs, lines of at most 75 octets, whole characters, CRLF' '
	id=$(petition schedule add --unit LYS --day 2027-04-20 --leader 李文华 \
		--place "临沂市兰山区北京路37号临沂市总工会职工服务中心一楼信访接待室，东门进，左转第三间" 2>/dev/null) &&
	petition schedule list --from 2027-04-20 --to 2027-04-20 --format ics >a.ics &&
	petition schedule list --from 2027-04-20 --to 2027-04-20 --format ics >b.ics &&
	grep -q "^UID:reception-$id-LYS@[0-9a-f]\{16\}.petition" a.ics &&
	test "$(grep UID a.ics)" = "$(grep UID b.ics)" &&
	test "$(grep -c "$(printf "\r")$" a.ics)" = "$(wc -l <a.ics)" &&
	LC_ALL=C awk "{ sub(/\r\$/, \"\"); if (length(\$0) > 75) bad = 1 } END { exit bad }" a.ics &&
	iconv -f UTF-8 -t UTF-8 <a.ics >/dev/null &&
	test "$(grep -c "^ " a.ics)" -ge 1 &&
	tr -d "\r" <a.ics | awk "/^ / { line = line substr(\$0, 2); next } { if (line != \"\") print line; line = \$0 } END { print line }" >unfolded &&
	grep -q "^LOCATION:临沂市兰山区北京路37号临沂市总工会职工服务中心一楼信访接待室，东门进，左转第三间$" unfolded &&
	grep -q "^SUMMARY:领导接访：李文华（定点接访）$" unfolded &&
	grep -q "^DTSTART;VALUE=DATE:20270420$" unfolded && grep -q "^DTEND;VALUE=DATE:20270421$" unfolded
'

test_expect_success 'iCalendar escapes commas, semicolons and backslashes in ASCII text' '
	id=$(petition schedule add --unit LYS --day 2027-04-22 --leader 王建国 --place "Room 3, Floor 2; \\back" 2>/dev/null) &&
	petition schedule list --from 2027-04-22 --to 2027-04-22 --format ics | tr -d "\r" >c.ics &&
	grep -q "^LOCATION:Room 3\\\\, Floor 2\\\\; \\\\\\\\back$" c.ics &&
	test_expect_code 64 petition schedule calendar --format ics 2>err
'

test_expect_success 'options a subcommand does not take (its SYNOPSIS), a reversed range, an id too large: 64; the last --format counts' '
	db_dump >before &&
	test_expect_code 64 petition schedule calendar --dry-run --count 2>err &&
	grep -q "calendar does not take --dry-run" err &&
	test_expect_code 64 petition schedule cancel 1 --format json 2>err &&
	grep -q "cancel does not take --format" err &&
	test_expect_code 64 petition schedule add --unit LYS --day 2026-12-10 --leader 王建国 --bom 2>err &&
	test_expect_code 64 petition schedule list --from 2026-12-31 --to 2026-01-01 2>err &&
	grep -q "the range ends before it begins" err &&
	petition schedule list --format ics --format csv | head -n 1 | grep -q "^id," &&
	petition schedule list --format csv --format ics | head -n 1 | grep -q "^BEGIN:VCALENDAR" &&
	test_expect_code 64 petition schedule cancel 99999999999999999999999 2>err &&
	grep -q "is not the id of a reception day" err &&
	db_dump >after &&
	test_cmp before after
'

test_done
