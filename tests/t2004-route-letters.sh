#!/bin/sh
# Letters (issue 9, item 10; 临会办〔2014〕36号): a letter naming someone who is not a leader in
# the rules is registered and goes to the principal leader; a named letter's instruction
# comes before accept; an unnamed letter, once the clerk opened it, is sent by its content
# to a leader or straight to the petition department (petition route send), the choice in
# the event. Each rule kept once and broken once; dates worked out by hand.
. "$(dirname "$0")/lib.sh"

q() { sqlite3 petition.db "$1"; }
steps() { q "SELECT s.seq || ' ' || s.holder || ' ' || s.action || ' ' || s.state FROM steps s JOIN petitions p
	     ON p.id = s.petition_id WHERE p.case_no = '$1' ORDER BY seq"; }
last_data() { q "SELECT json_extract(data, '$1') FROM events ORDER BY id DESC LIMIT 1"; }

# The letters are received Wed 2026-09-30, before 国庆 (10-01..07). A named letter's
# instruction is due in 5 working days: Thu 10-08, Fri 10-09, Sat 10-10 (a make-up working
# day), Mon 10-12, Tue 10-13: due 2026-10-13. Routing is due in 15 calendar days: Thu 10-15.
test_expect_success 'setup: a letter to 赵主席 (no leader), one to 张海燕, two naming no one' '
	petition init -q &&
	petition intake --received-on 2026-09-30 --channel 来信 --petitioner 钱秀英 --category 欠薪 \
		--summary 拖欠工资 --addressed-to 赵主席 >out 2>err &&
	echo LYS-2026-000001 >expect &&
	test_cmp expect out &&
	petition intake -q --received-on 2026-09-30 --channel 来信 --petitioner 孙立国 --category 社会保险 \
		--summary 社保 --addressed-to 张海燕 >/dev/null &&
	petition intake -q --received-on 2026-09-30 --channel 来信 --petitioner 周建华 --category 欠薪 \
		--summary 欠薪 >/dev/null &&
	petition intake -q --received-on 2026-09-30 --channel 来信 --petitioner 吴德福 --category 欠薪 \
		--summary 欠薪二 >/dev/null &&
	petition intake -q --received-on 2026-09-30 --channel 来访 --petitioner 郑丽 --category 欠薪 \
		--summary 来访 >/dev/null &&
	petition route -q --format csv >/dev/null
'

test_expect_success 'a letter to someone not a leader: registered as named, the name as written, flagged' '
	test "$(q "SELECT named_letter, addressed_to, addressed_unknown FROM petitions WHERE id = 1")" = "1|赵主席|1" &&
	test "$(q "SELECT addressed_unknown FROM petitions WHERE id = 2")" = 0 &&
	petition case show LYS-2026-000001 --format csv >show &&
	grep -q "^case,addressed_unknown,yes: 赵主席 is not a leader in the rules; the principal leader instructs,," show &&
	grep -q "^deadline,instruct,.*,2026-10-13," show &&
	grep -q "^deadline,route,.*,2026-10-15," show
'

test_expect_success 'it goes to the principal leader to instruct, with a note saying who was named' '
	steps LYS-2026-000001 >got &&
	printf "%s\n" "1 王建国 instruct pending" "2 法律工作部 handle pending" >expect &&
	test_cmp expect got &&
	petition route --explain LYS-2026-000001 --format csv >explain &&
	grep -q "^named_letter,step 1,\"王建国 instruct (阅批), as named_leader: the letter names 赵主席, who is not a leader in the rules: the principal leader instructs\"" explain &&
	petition route LYS-2026-000001 --format csv >/dev/null &&
	last_data "\$.note" >got &&
	echo "the letter names 赵主席, who is not a leader in the rules: the principal leader instructs" >expect &&
	test_cmp expect got
'

test_expect_success 'accept before the instruction is refused (65, the command to record it); after it, accepted' '
	db_dump >before &&
	test_expect_code 65 petition case accept LYS-2026-000001 --on 2026-10-08 2>err &&
	grep -q "case LYS-2026-000001 is a letter to 赵主席, who is not a leader in the rules: the principal leader instructs it first (阅批, 临会办〔2014〕36号); record it first: petition case instruct LYS-2026-000001 --by 王建国 --text TEXT" err &&
	test_expect_code 65 petition case accept LYS-2026-000002 --on 2026-10-08 2>err &&
	grep -q "case LYS-2026-000002 is a letter to 张海燕, who has not instructed it (临会办〔2014〕36号)" err &&
	db_dump >after &&
	test_cmp before after &&
	petition case instruct LYS-2026-000001 --by 王建国 --text 请法律工作部办理 --on 2026-10-08 --format csv >/dev/null &&
	petition case accept LYS-2026-000001 --on 2026-10-09 --format csv >out &&
	grep -q "^LYS-2026-000001,accepted,assigned,accepted,2026-10-09,法律工作部" out &&
	petition case instruct LYS-2026-000002 --by 张海燕 --text 阅 --on 2026-10-08 --format csv >/dev/null &&
	petition case accept LYS-2026-000002 --on 2026-10-08 --format csv >/dev/null &&
	petition case show LYS-2026-000001 --format csv >show &&
	grep -q "^deadline,instruct,署名领导阅批: met (instructed 2026-10-08);.*,2026-10-13," show
'

test_expect_success 'send: only once the clerk opened the letter; not a visit, not a named letter; to a leader or the petition department' '
	db_dump >before &&
	test_expect_code 65 petition route send LYS-2026-000003 --to 李文华 2>err &&
	grep -q "the letter LYS-2026-000003 has not been opened: 办公室 opens it first (拆阅): petition case done LYS-2026-000003 --step 1" err &&
	test_expect_code 65 petition route send LYS-2026-000005 --to 李文华 2>err &&
	grep -q "case LYS-2026-000005 is not a letter (channel visit)" err &&
	test_expect_code 65 petition route send LYS-2026-000002 --to 李文华 2>err &&
	grep -q "case LYS-2026-000002 is a letter to 张海燕: it goes to the leader it names" err &&
	test_expect_code 65 petition route send LYS-2026-000003 --to 办公室 2>err &&
	grep -q -- "--to: '"'"'办公室'"'"' is neither a leader in the rules nor the petition department (法律工作部)" err &&
	test_expect_code 64 petition route send LYS-2026-000003 2>err &&
	test_expect_code 66 petition route send LYS-2026-999999 --to 李文华 2>err &&
	db_dump >after &&
	test_cmp before after
'

test_expect_success 'send to another leader than the one in charge: the instruct step gives way; the choice is the event' '
	petition case done LYS-2026-000003 --step 1 --on 2026-10-08 --format csv >/dev/null &&
	petition route send LYS-2026-000003 --to 李文华 --note 涉及企业改制 --format csv >out &&
	grep -q "^LYS-2026-000003,3,李文华,instruct,manual" out &&
	steps LYS-2026-000003 >got &&
	printf "%s\n" "1 办公室 open done" "2 张海燕 instruct cancelled" "3 李文华 instruct pending" \
		"4 法律工作部 handle pending" >expect &&
	test_cmp expect got &&
	q "SELECT kind, json_extract(data, '"'"'\$.holder'"'"'), json_extract(data, '"'"'\$.action'"'"'),
	   json_extract(data, '"'"'\$.note'"'"'), json_extract(data, '"'"'\$.steps_cancelled'"'"')
	   FROM events ORDER BY id DESC LIMIT 1" >got &&
	echo "sent|李文华|instruct|涉及企业改制|1" >expect &&
	test_cmp expect got &&
	test "$(q "SELECT holder FROM petitions WHERE id = 3")" = 李文华
'

test_expect_success 'send straight to the petition department: no instruction; the leader in charge kept when chosen' '
	petition case done LYS-2026-000004 --step 1 --on 2026-10-08 --format csv >/dev/null &&
	petition route send LYS-2026-000004 --to 张海燕 --format csv >/dev/null &&
	test "$(last_data "\$.steps_cancelled")" = 0 &&
	petition route send LYS-2026-000004 --to 法律工作部 --note 内容明确，直接办理 --format csv >/dev/null &&
	steps LYS-2026-000004 >got &&
	printf "%s\n" "1 办公室 open done" "2 张海燕 instruct cancelled" "3 法律工作部 handle pending" >expect &&
	test_cmp expect got &&
	test "$(last_data "\$.action")" = handle &&
	test "$(q "SELECT holder FROM petitions WHERE id = 4")" = 法律工作部 &&
	petition case accept LYS-2026-000004 --on 2026-10-09 --format csv >/dev/null
'

test_expect_success 'routing sees the repeat mark as corrected (a rule for repeats), one case and a run alike' '
	petition rules show >r.yaml &&
	sed "s/^routing:\$/routing:\n  - { name: repeats, title: 重复件, when: { repeat: true }, to: petition_department, action: supervise }/" \
		r.yaml >rr.yaml &&
	grep -q "name: repeats" rr.yaml &&
	for d in 2026-10-12 2026-10-13 2026-10-14; do
		petition intake -q --received-on $d --channel 来访 --petitioner 冯七 --id-number 371328199003200031 \
			--employer 壬厂 --category 工伤 --summary "$d" >/dev/null || exit 1
	done &&
	petition case repeat LYS-2026-000007 --not --reason 另一次工伤 --format csv >/dev/null &&
	petition route --rules rr.yaml --format csv >out &&
	cut -d, -f1,5 out | tr -d "\r" >got &&
	printf "%s\n" case_no,rule LYS-2026-000006,default LYS-2026-000007,default LYS-2026-000008,repeats >expect &&
	test_cmp expect got &&
	petition route --rules rr.yaml --explain LYS-2026-000007 --format csv >explain &&
	grep -q "^repeats,no,not a repeat petition" explain
'

test_done
