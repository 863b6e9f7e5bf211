#!/bin/sh
# The case's course as the 信访工作条例 has it (issue "Right to the law", items 1-6): the
# 15-day limit met by telling the petitioner in writing, not by routing; review windows that
# count from delivery (送达) and that closing never cuts off; extensions by the head of the
# body, several within 30 days in all, the reason told; review by the body one level up,
# hearings not counted; an objection that waits for the transferring body's answer. Every
# date below is worked out by hand from the 2026 calendar.
. "$(dirname "$0")/lib.sh"

q() { sqlite3 petition.db "$1"; }
state() { q "SELECT state FROM petitions WHERE case_no = '$1'"; }
last_data() { q "SELECT json_extract(data, '$1') FROM events ORDER BY id DESC LIMIT 1"; }
# explain CASE DEADLINE FIELDS: the deadline's row of schedule explain, cut to FIELDS.
explain() { petition schedule explain "$1" --format tsv | grep "^$2	" | cut -f"$3"; }

test_expect_success 'setup: the default rules with a township under 兰山区 and a leader who approves' '
	petition init -q &&
	petition rules show >r.yaml &&
	sed -i "s/^  - { code: LSQ,  name: 兰山区总工会,             level: county, parent: LYS }$/&\n  - { code: LSQ01, name: 兰山区某街道工会, level: township, parent: LSQ }/" r.yaml &&
	sed -i "s/^    post: 常务副主席$/&\n    approves: true/" r.yaml &&
	grep -q LSQ01 r.yaml && grep -q "approves: true" r.yaml &&
	petition rules load -q r.yaml
'

# Received Mon 09-14: day 15 is Tue 09-29, a working day.
test_expect_success '15 days: routing does not meet it; the written notice does, on its day' '
	petition intake -q --received-on 2026-09-14 --channel 来访 --petitioner 甲 --category 欠薪 --summary 通知 >/dev/null &&
	petition route -q LYS-2026-000001 --format csv >/dev/null &&
	test "$(explain LYS-2026-000001 route 6,8)" = "2026-09-29	long overdue" &&
	petition case accept LYS-2026-000001 --on 2026-09-25 --notified-on 2026-10-08 --format csv >/dev/null &&
	test "$(last_data "\$.notified_on")" = 2026-10-08 &&
	test "$(explain LYS-2026-000001 route 6,8)" = "2026-09-29	met late (notified 2026-10-08)"
'

test_expect_success 'the notice day: not before the decision, not in the future; a rejection records it too' '
	petition intake -q --received-on 2026-09-14 --channel 来电 --petitioner 乙 --category 咨询 --summary 拒 >/dev/null &&
	db_dump >before &&
	test_expect_code 65 petition case accept LYS-2026-000002 --on 2026-09-20 --notified-on 2026-09-19 2>err &&
	grep -q "notified-on 2026-09-19 is before the decision" err &&
	test_expect_code 65 petition case reject LYS-2026-000002 --reason 非工会职责 --refer 人社局 --notified-on 2026-12-01 2>err &&
	grep -q "notified-on 2026-12-01 is in the future" err &&
	test_expect_code 64 petition case accept LYS-2026-000002 --notified-on 2026-13-01 2>err &&
	db_dump >after &&
	test_cmp before after &&
	petition case reject LYS-2026-000002 --reason 非工会职责 --refer 人社局 --on 2026-09-21 --format csv >/dev/null &&
	test "$(last_data "\$.notified_on")" = 2026-09-21 &&
	test "$(explain LYS-2026-000002 route 8)" = "met (notified 2026-09-21)"
'

# Resolved Thu 09-24; 5 working days after it: 09-25..27 are 中秋 days off, so Mon 09-28, 29,
# 30, then 国庆 10-01..07, Thu 10-08, Fri 10-09: the reply is due to be delivered by 10-09.
# Delivered 10-09: day 30 is Sun 11-08, so the window closes Mon 11-09.
test_expect_success 'a reply not delivered: its window has not started, the due list shows the delivery' '
	petition intake -q --received-on 2026-09-14 --channel 来访 --petitioner 丙 --category 欠薪 --summary 送达 >/dev/null &&
	petition case accept LYS-2026-000003 --on 2026-09-15 --format csv >/dev/null &&
	petition case resolve LYS-2026-000003 --outcome 支持 --text 已答复 --on 2026-09-24 --format csv >/dev/null &&
	test "$(explain LYS-2026-000003 review_request 6,8)" = "	not started: the reply of 2026-09-24 has not been delivered (petition case deliver)" &&
	petition schedule due --format csv | tr -d "\r" | grep "^LYS-2026-000003," | cut -d, -f5,7 >got &&
	echo "deliver,2026-10-09" >expect &&
	test_cmp expect got &&
	petition case deliver LYS-2026-000003 --how post --on 2026-10-09 --format csv >/dev/null &&
	test "$(explain LYS-2026-000003 deliver 8)" = "met (reply_delivered 2026-10-09)" &&
	test "$(explain LYS-2026-000003 review_request 4,6)" = "2026-10-09	2026-11-09" &&
	! petition schedule due --format csv | grep -q "^LYS-2026-000003,"
'

# Resolved and delivered Thu 09-10: day 30 is Sat 10-10, a make-up working day, so the window
# closes that Saturday.
test_expect_success 'closing inside the window does not cut it off: a request then takes the case up again' '
	petition intake -q --received-on 2026-09-01 --channel 来访 --petitioner 丁 --category 欠薪 --summary 复查权 >/dev/null &&
	petition case accept LYS-2026-000004 --on 2026-09-02 --format csv >/dev/null &&
	petition case resolve LYS-2026-000004 --outcome 不支持 --text 无依据 --on 2026-09-10 --format csv >/dev/null &&
	petition case deliver LYS-2026-000004 --how in-person --on 2026-09-10 --format csv >/dev/null &&
	petition case close LYS-2026-000004 --on 2026-09-11 --format csv >/dev/null &&
	test "$(explain LYS-2026-000004 review_request 6)" = 2026-10-10 &&
	test_expect_code 65 petition case request-review LYS-2026-000004 --on 2026-10-12 --body 山东省总工会 2>err &&
	grep -q "it had to come by 2026-10-10" err &&
	petition case request-review LYS-2026-000004 --on 2026-09-20 --body 山东省总工会 --format csv | tr -d "\r" >out &&
	grep -q "^LYS-2026-000004,review_requested,closed,review_requested,2026-09-20," out &&
	test "$(explain LYS-2026-000004 review_request 8)" = "met (review_requested 2026-09-20)"
'

# A case of the township LSQ01: reviewed by 兰山区 (LSQ), re-reviewed by the city (LYS), both in
# this database. Re-review asked Wed 11-04: day 30 is Fri 12-04; a hearing 11-16..18 is 3 days
# not counted, so day 33 is Mon 12-07.
test_expect_success 'review and re-review by the body one level up, as its work; a hearing is not counted' '
	petition intake -q --received-on 2026-10-12 --unit LSQ01 --channel 来访 --petitioner 戊 --category 欠薪 --summary 逐级 >/dev/null &&
	c=LSQ01-2026-000001 &&
	petition case accept $c --on 2026-10-12 --format csv >/dev/null &&
	petition case resolve $c --outcome 部分支持 --text 答复 --on 2026-10-20 --format csv >/dev/null &&
	petition case deliver $c --how in-person --on 2026-10-21 --format csv >/dev/null &&
	db_dump >before &&
	test_expect_code 65 petition case request-review $c --on 2026-10-26 --unit LZQ 2>err &&
	grep -q "LZQ is not the body one level up from LSQ01, which decides it: LSQ" err &&
	test_expect_code 65 petition case request-review $c --on 2026-10-26 --body 山东省总工会 2>err &&
	grep -q "the body one level up from LSQ01 is LSQ (兰山区总工会), in this database" err &&
	test_expect_code 65 petition case request-review $c --on 2026-10-26 --unit 无此会 2>err &&
	db_dump >after &&
	test_cmp before after &&
	petition case request-review $c --on 2026-10-26 --format csv >/dev/null &&
	test "$(last_data "\$.unit")|$(last_data "\$.body")" = "LSQ|兰山区总工会" &&
	test "$(explain $c review 6,8 | cut -f1)" = 2026-11-25 &&
	test "$(q "SELECT holder FROM petitions WHERE case_no = '"'"'$c'"'"'")" = 兰山区总工会 &&
	petition case list --holder 兰山区总工会 --format csv | grep -q "^$c," &&
	petition case review $c --outcome 维持 --text 复查维持 --on 2026-11-02 --format csv >/dev/null &&
	test "$(last_data "\$.unit")" = LSQ &&
	q "SELECT holder, action, rule, state, done_on FROM steps WHERE petition_id =
	   (SELECT id FROM petitions WHERE case_no = '"'"'$c'"'"') AND rule = '"'"'review'"'"'" >got &&
	echo "兰山区总工会|handle|review|done|2026-11-02" >expect &&
	test_cmp expect got &&
	petition case deliver $c --how post --on 2026-11-03 --format csv >/dev/null &&
	test "$(q "SELECT kind FROM events ORDER BY id DESC LIMIT 1")" = review_delivered &&
	test_expect_code 64 petition case hearing $c --on 2026-11-16 2>err &&
	test_expect_code 65 petition case hearing $c --on 2026-11-16 --until 2026-11-18 2>err &&
	grep -q "hearing is allowed only when it is rereview_requested" err &&
	petition case request-rereview $c --on 2026-11-04 --unit LYS --format csv >/dev/null &&
	test "$(last_data "\$.unit")|$(last_data "\$.body")" = "LYS|临沂市总工会" &&
	test "$(q "SELECT holder FROM petitions WHERE case_no = '"'"'$c'"'"'")" = 临沂市总工会 &&
	test_expect_code 65 petition case hearing $c --on 2026-11-18 --until 2026-11-16 2>err &&
	grep -q "until 2026-11-16 is before the hearing" err &&
	test_expect_code 65 petition case hearing $c --on 2026-11-16 --until 2026-11-30 2>err &&
	grep -q "until 2026-11-30 is in the future" err &&
	petition case hearing $c --on 2026-11-16 --until 2026-11-18 --note 公开听证 --format csv >/dev/null &&
	test "$(last_data "\$.days")|$(last_data "\$.deadline")" = "3|rereview" &&
	test "$(explain $c rereview 5,6)" = "30 calendar days + 3 hearing days not counted	2026-12-07"
'

test_expect_success 'a review asked of a body outside this database is that body'"'"'s to decide: never overdue here' '
	petition intake -q --received-on 2026-07-01 --channel 来访 --petitioner 己 --category 欠薪 --summary 外部 >/dev/null &&
	petition case accept LYS-2026-000005 --on 2026-07-02 --format csv >/dev/null &&
	petition case resolve LYS-2026-000005 --outcome 解释 --text 答复 --on 2026-07-10 --format csv >/dev/null &&
	petition case deliver LYS-2026-000005 --how sms --on 2026-07-10 --format csv >/dev/null &&
	petition case request-review LYS-2026-000005 --on 2026-07-20 --body 山东省总工会 --format csv >/dev/null &&
	test "$(explain LYS-2026-000005 review 6,8)" = "2026-08-19	with the reviewing body outside this database" &&
	test "$(q "SELECT count(*) FROM steps WHERE petition_id = (SELECT id FROM petitions
	         WHERE case_no = '"'"'LYS-2026-000005'"'"') AND rule = '"'"'review'"'"'")" = 0 &&
	! petition schedule due --format csv | grep -q "^LYS-2026-000005,"
'

test_expect_success 'an extension approved by a leader the rules let approve; a second one within the total' '
	petition case extend LYS-2026-000001 --reason 需鉴定 --approver 李文华 --days 10 --on 2026-10-20 --told-on 2026-10-21 \
		--format csv >/dev/null &&
	test "$(last_data "\$.approver")|$(last_data "\$.told_on")" = "李文华|2026-10-21" &&
	test_expect_code 65 petition case extend LYS-2026-000001 --reason x --approver 张海燕 --on 2026-10-22 2>err &&
	grep -q "张海燕 may not approve an extension" err &&
	petition case extend LYS-2026-000001 --reason 仍需鉴定 --approver 王建国 --days 20 --on 2026-11-20 --format csv >/dev/null &&
	test "$(explain LYS-2026-000001 handle 5,6)" = "60 calendar days + 30 extended	2026-12-24"
'

test_done
