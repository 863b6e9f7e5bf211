#!/bin/sh
# Issue 9, item 11: important cases (重要信访事项) marked by the leader in charge and
# supervised, down-visits (带案下访) recorded on them, and the report back owed by a lower
# unit a case is handed down to (交办), with its deadline; a case sent to another body (转送)
# owes none.
#
# The report_back deadline is 60 calendar days from the 交办 (the default rules; the start day
# is not counted; a last day on a rest day moves to the next working day), worked by hand:
#   handed down Mon 2026-09-21: Sep 22..30 are days 1..9, Oct 1..31 days 10..40, Nov 1..20
#     days 41..60: due Fri 2026-11-20, a working day; on 11-28 it is overdue by the working
#     days 11-23..27 (5).
#   handed down Mon 2026-08-03: Aug 4..31 are days 1..28, Sep 1..30 days 29..58, Oct 1..2
#     days 59..60: day 60 is Fri 10-02, in 国庆节 (10-01..07), so the due date is the next
#     working day, Thu 2026-10-08.
. "$(dirname "$0")/lib.sh"

# field CASE KEY: the value of a row of petition case show.
field() {
	petition case show "$1" --format tsv | awk -F '\t' -v k="$2" '$2 == k { print $3 }'
}

# deadline CASE NAME: the state text and due date of one deadline in petition case show.
deadline() {
	petition case show "$1" --format tsv | awk -F '\t' -v k="$2" '$1 == "deadline" && $2 == k { print $3 "|" $4 }'
}

# steps CASE: the case's steps, one line each.
steps() {
	sqlite3 petition.db "SELECT seq, holder, action, state, coalesce(done_on, ''), coalesce(rule, '')
	  FROM steps WHERE petition_id = (SELECT id FROM petitions WHERE case_no = '$1') ORDER BY seq"
}

# steps_are CASE: the case's steps are those on standard input.
steps_are() {
	cat >expect &&
	steps "$1" >got &&
	test_cmp expect got
}

# data CASE KIND PATH: a member of the data of the case's latest event of that kind.
data() {
	sqlite3 petition.db "SELECT json_extract(data, '\$.$3') FROM events WHERE kind = '$2'
	  AND petition_id = (SELECT id FROM petitions WHERE case_no = '$1') ORDER BY id DESC LIMIT 1"
}

test_expect_success 'setup: five cases, routed' '
	petition init -q &&
	petition intake -q --received-on 2026-09-01 --channel 来访 --petitioner 吴德福 --category 劳动报酬 \
		--summary 拖欠工资 >/dev/null &&
	petition intake -q --received-on 2026-09-01 --channel 上级转送 --petitioner 周建华 --category 企业改制 \
		--summary 改制职工安置 --source-ref "鲁工信转〔2026〕12号" >/dev/null &&
	petition intake -q --received-on 2026-07-30 --channel 来访 --petitioner 郑红 --category 劳动合同 \
		--summary 未签合同 >/dev/null &&
	petition intake -q --received-on 2026-09-18 --channel 来访 --petitioner 冯军 --category 劳动合同 \
		--summary 违法解除 >/dev/null &&
	petition intake -q --received-on 2026-09-01 --channel 来访 --petitioner 陈静 --category 劳动报酬 \
		--summary 社保待遇 >/dev/null &&
	petition route -q --format csv LYS-2026-000001 >/dev/null &&
	petition route -q --format csv LYS-2026-000002 >/dev/null
'

test_expect_success 'important by a leader not in charge of the category refused, and a dry run: nothing written' '
	db_dump >before &&
	test_expect_code 65 petition case important LYS-2026-000001 --by 刘志强 --on 2026-09-02 2>err &&
	grep -q -- "--by: 刘志强 is neither in charge (分管) of 劳动报酬" err &&
	grep -q "张海燕 in charge, 王建国 principal" err &&
	test_expect_code 65 petition case important LYS-2026-000001 --by 赵科员 --on 2026-09-02 2>err &&
	grep -q -- "--by: .赵科员. is not a leader in the rules" err &&
	test_expect_code 64 petition case important LYS-2026-000001 2>err &&
	grep -q -- "important needs --by" err &&
	petition case important LYS-2026-000001 --by 张海燕 --on 2026-09-02 --dry-run --format tsv >out 2>err &&
	grep -q "^LYS-2026-000001	marked_important	assigned	assigned	2026-09-02	张海燕$" out &&
	grep -q "dry run: nothing was written" err &&
	db_dump >after &&
	test_cmp before after
'

test_expect_success 'important by the leader in charge: a supervise step of hers before the pending ones' '
	petition case important LYS-2026-000001 --by 张海燕 --on 2026-09-02 --note 欠薪人数多 --format csv | tr -d "\r" >out &&
	cat >expect <<-\EOT &&
	case_no,event,from,to,on,holder
	LYS-2026-000001,marked_important,assigned,assigned,2026-09-02,张海燕
	EOT
	test_cmp expect out &&
	steps_are LYS-2026-000001 <<-\EOT &&
	1|张海燕|supervise|pending||important
	2|法律工作部|handle|pending||default
	EOT
	test "$(field LYS-2026-000001 important)" = "yes (张海燕 2026-09-02)" &&
	test "$(field LYS-2026-000001 holder)" = 张海燕 &&
	test "$(data LYS-2026-000001 marked_important note)" = 欠薪人数多 &&
	test "$(data LYS-2026-000001 marked_important added)" = 1 &&
	test "$(field LYS-2026-000003 important)" = no
'

test_expect_success 'marked twice by the same leader: refused; the principal may mark it too, his step first' '
	test_expect_code 65 petition case important LYS-2026-000001 --by 张海燕 --on 2026-09-03 2>err &&
	grep -q "already important, and 张海燕 supervises it (step 1)" err &&
	petition case important LYS-2026-000001 --by 王建国 --on 2026-09-03 --format csv >/dev/null &&
	steps_are LYS-2026-000001 <<-\EOT
	1|王建国|supervise|pending||important
	2|张海燕|supervise|pending||important
	3|法律工作部|handle|pending||default
	EOT
'

test_expect_success 'a transferred case the leader in charge already supervises: marked, no second step' '
	petition case important LYS-2026-000002 --by 李文华 --on 2026-09-02 --format csv >/dev/null &&
	test "$(data LYS-2026-000002 marked_important added)" = 0 &&
	test "$(data LYS-2026-000002 marked_important step)" = 1 &&
	steps_are LYS-2026-000002 <<-\EOT
	1|李文华|supervise|pending||transferred
	2|法律工作部|handle|pending||transferred
	EOT
'

test_expect_success 'a down-visit: its day, place, leaders and what was done; their supervise steps done' '
	petition case down-visit LYS-2026-000001 --on 2026-09-10 --place 兰山区鑫源建材公司 \
		--by "张海燕，刘志强" --note 现场协调，企业承诺月底前发放 --format csv | tr -d "\r" >out &&
	cat >expect <<-\EOT &&
	case_no,event,from,to,on,holder
	LYS-2026-000001,down_visited,assigned,assigned,2026-09-10,王建国
	EOT
	test_cmp expect out &&
	test "$(data LYS-2026-000001 down_visited on)" = 2026-09-10 &&
	test "$(data LYS-2026-000001 down_visited place)" = 兰山区鑫源建材公司 &&
	test "$(data LYS-2026-000001 down_visited leaders)" = "[\"张海燕\",\"刘志强\"]" &&
	test "$(data LYS-2026-000001 down_visited note)" = 现场协调，企业承诺月底前发放 &&
	test "$(data LYS-2026-000001 down_visited steps)" = "[2]" &&
	steps_are LYS-2026-000001 <<-\EOT &&
	1|王建国|supervise|pending||important
	2|张海燕|supervise|done|2026-09-10|important
	3|法律工作部|handle|pending||default
	EOT
	petition case show LYS-2026-000001 --format tsv >show &&
	grep "^event	[0-9]* down_visited	" show >row &&
	grep -q "\"place\":\"兰山区鑫源建材公司\"" row &&
	grep -q "^step	2	张海燕 supervise (督办): done; 下访 兰山区鑫源建材公司	2026-09-10	important$" show
'

test_expect_success 'down-visit refusals: no day, a stranger, a leader twice, a day to come; nothing written' '
	db_dump >before &&
	test_expect_code 64 petition case down-visit LYS-2026-000001 --place 某地 --by 王建国 --note 看望 2>err &&
	grep -q -- "down-visit needs --on DATE" err &&
	test_expect_code 64 petition case down-visit LYS-2026-000001 --on 2026-09-11 --by 王建国 --note 看望 2>err &&
	grep -q -- "down-visit needs --place" err &&
	test_expect_code 65 petition case down-visit LYS-2026-000001 --on 2026-09-11 --place 某地 \
		--by 王建国,赵科员 --note 看望 2>err &&
	grep -q -- "--by: .赵科员. is not a leader" err &&
	test_expect_code 65 petition case down-visit LYS-2026-000001 --on 2026-09-11 --place 某地 \
		--by "王建国、王建国" --note 看望 2>err &&
	grep -q -- "--by names 王建国 twice" err &&
	test_expect_code 65 petition case down-visit LYS-2026-000001 --on 2026-12-01 --place 某地 \
		--by 王建国 --note 看望 2>err &&
	db_dump >after &&
	test_cmp before after
'

test_expect_success 'unimportant needs a reason, and cancels the pending supervise steps the marks added' '
	test_expect_code 64 petition case unimportant LYS-2026-000001 --by 王建国 2>err &&
	grep -q -- "unimportant needs --reason" err &&
	petition case unimportant LYS-2026-000001 --by 王建国 --reason 企业已发放工资 --on 2026-09-30 \
		--format csv >/dev/null &&
	test "$(data LYS-2026-000001 unmarked_important steps_cancelled)" = 1 &&
	test "$(field LYS-2026-000001 important)" = no &&
	steps_are LYS-2026-000001 <<-\EOT &&
	1|王建国|supervise|cancelled||important
	2|张海燕|supervise|done|2026-09-10|important
	3|法律工作部|handle|pending||default
	EOT
	test_expect_code 65 petition case unimportant LYS-2026-000001 --by 王建国 --reason 再次 2>err &&
	grep -q "is not marked important" err
'

test_expect_success '交办 on Mon 2026-09-21: report_back due Fri 2026-11-20, overdue on 11-28' '
	PETITION_TODAY=2026-09-21 petition route -q transfer LYS-2026-000004 --unit LSQ --format csv >/dev/null &&
	test "$(deadline LYS-2026-000004 report_back)" = \
		"交办事项报告办理结果: overdue; 60 calendar days from transferred 2026-09-21; -5 working days left|2026-11-20" &&
	test_expect_code 1 petition schedule due --overdue --format tsv >due 2>/dev/null &&
	grep -q "^LYS-2026-000004	LYS	2026-09-18	劳动合同	report_back	交办事项报告办理结果	2026-11-20	-5	overdue$" due
'

test_expect_success 'reported back on its day: met, the unit'\''s handle step done, no longer overdue' '
	test_expect_code 64 petition case report-back LYS-2026-000004 --outcome 支持 2>err &&
	grep -q -- "report-back needs --text" err &&
	test_expect_code 65 petition case report-back LYS-2026-000004 --outcome 满意 --text 已办 2>err &&
	petition case report-back LYS-2026-000004 --on 2026-11-20 --outcome 支持 --text 已责令企业支付经济补偿 \
		--format csv >/dev/null &&
	test "$(deadline LYS-2026-000004 report_back)" = \
		"交办事项报告办理结果: met (reported_back 2026-11-20); 60 calendar days from transferred 2026-09-21|2026-11-20" &&
	test "$(data LYS-2026-000004 reported_back unit)" = LSQ &&
	test "$(data LYS-2026-000004 reported_back outcome)" = 支持 &&
	test "$(data LYS-2026-000004 reported_back text)" = 已责令企业支付经济补偿 &&
	echo "1|兰山区总工会|handle|done|2026-11-20|" | steps_are LYS-2026-000004 &&
	test_expect_code 1 petition schedule due --format csv >due 2>/dev/null &&
	grep -q "^LYS-2026-000002," due &&
	! grep -q "^LYS-2026-000004," due &&
	test_expect_code 65 petition case report-back LYS-2026-000004 --outcome 支持 --text 再报 2>err &&
	grep -q "was reported back by LSQ on 2026-11-20 already" err
'

test_expect_success '交办 on Mon 2026-08-03: day 60 is 10-02 in 国庆节, due Thu 10-08; a report on 10-09, after the answer, is late' '
	PETITION_TODAY=2026-08-03 petition route -q transfer LYS-2026-000003 --unit LSQ --format csv >/dev/null &&
	petition case accept LYS-2026-000003 --on 2026-08-05 --format csv >/dev/null &&
	petition case resolve LYS-2026-000003 --on 2026-10-08 --outcome 解释 --text 已解释 --format csv >/dev/null &&
	petition case report-back LYS-2026-000003 --on 2026-10-09 --outcome 解释 --text 已向职工解释政策 \
		--format csv >/dev/null &&
	test "$(deadline LYS-2026-000003 report_back)" = \
		"交办事项报告办理结果: met late (reported_back 2026-10-09); 60 calendar days from transferred 2026-08-03|2026-10-08" &&
	test "$(data LYS-2026-000003 reported_back from)" = resolved &&
	test -z "$(data LYS-2026-000003 reported_back step)"
'

test_expect_success '转送 and plain routing owe no report back; report-back is refused on them' '
	PETITION_TODAY=2026-09-03 petition route -q transfer LYS-2026-000005 --body 临沂市人力资源和社会保障局 \
		--format csv >/dev/null &&
	petition case show LYS-2026-000005 --format csv >show &&
	! grep -q "^deadline,report_back," show &&
	petition case show LYS-2026-000002 --format csv >show &&
	! grep -q "^deadline,report_back," show &&
	db_dump >before &&
	test_expect_code 65 petition case report-back LYS-2026-000002 --outcome 支持 --text 已办 2>err &&
	grep -q "case LYS-2026-000002 was not handed down (交办) to a lower unit" err &&
	test_expect_code 65 petition case report-back LYS-2026-000005 --outcome 支持 --text 已办 2>err &&
	grep -q "case LYS-2026-000005 is transferred_out: report-back is allowed only when it is assigned, accepted, resolved," err &&
	db_dump >after &&
	test_cmp before after
'

test_expect_success 'an upgraded schema-1 database: no case is important; its default rules brought up to date have report_back' '
	mkdir old &&
	sqlite3 old/petition.db <"$FIXTURES/db/v1.sql" &&
	sqlite3 old/petition.db "PRAGMA user_version = 1" &&
	chmod 600 old/petition.db &&
	petition init -q --db old/petition.db &&
	test "$(petition case show LYS-2026-000004 --db old/petition.db --format tsv |
		awk -F "\t" "\$2 == \"important\" { print \$3 }")" = no &&
	petition case important LYS-2026-000004 --db old/petition.db --by 张海燕 --format csv >/dev/null &&
	petition route -q transfer LYS-2026-000005 --db old/petition.db --unit LSQ --format csv >/dev/null &&
	petition case show LYS-2026-000005 --db old/petition.db --format tsv >show &&
	grep -q "^deadline	report_back	.*	2027-01-27	$" show
'

test_done
