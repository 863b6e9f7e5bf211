#!/bin/sh
# The four lawful courses of issue 4, run as a county office's shell script would: a named
# letter, an unnamed letter, a case transferred from above and a collective visit, each from
# intake to closing through petition route and petition case, by the people who act (as
# PETITION_OPERATOR), with wrong moves refused on the way; then each case's history.
. "$(dirname "$0")/lib.sh"

# as WHO COMMAND...: run a command as an operator, its listing thrown away.
as() {
	who=$1
	shift
	PETITION_OPERATOR=$who "$@" --format csv >/dev/null
}

# Each written reply and decision is delivered (送达) before the case is closed; the review
# windows count from the delivery, and closing does not cut them off.

# history CASE: kind, operator and the event's why (rule, text, note, reason) of each of the
# case's events.
history() {
	sqlite3 petition.db "SELECT kind, operator, coalesce(json_extract(data, '\$.rule'),
	       json_extract(data, '\$.text'), json_extract(data, '\$.note'), json_extract(data, '\$.reason'), '')
	  FROM events WHERE petition_id = (SELECT id FROM petitions WHERE case_no = '$1') ORDER BY id"
}

test_expect_success 'setup: the four cases, received in September, routed one by one' '
	petition init -q &&
	PETITION_OPERATOR=登记员 petition intake -q --received-on 2026-09-01 --channel 来信 --petitioner 钱秀英 \
		--category 社会保险 --summary 养老保险未缴 --addressed-to 张海燕 >/dev/null &&
	PETITION_OPERATOR=登记员 petition intake -q --received-on 2026-09-01 --channel 来信 --petitioner 孙立国 \
		--category 欠薪 --summary 拖欠工资三个月 >/dev/null &&
	PETITION_OPERATOR=登记员 petition intake -q --received-on 2026-09-01 --channel 上级转送 --petitioner 周建华 \
		--category 企业改制 --summary 改制职工安置 --persons 23 --source-ref "鲁工信转〔2026〕12号" >/dev/null &&
	PETITION_OPERATOR=登记员 petition intake -q --received-on 2026-09-01 --channel 来访 --petitioner 吴德福 \
		--category 劳动报酬 --summary 集体讨薪 --persons 12 >/dev/null &&
	for c in 1 2 3 4; do as 登记员 petition route LYS-2026-00000$c || exit 1; done
'

test_expect_success 'a named letter: the named leader instructs, the petition department handles and answers' '
	test_expect_code 65 petition case instruct LYS-2026-000001 --by 王建国 --text 阅 2>err &&
	as 张海燕 petition case instruct LYS-2026-000001 --by 张海燕 --text 请法律工作部依法办理 --on 2026-09-02 &&
	as 法律工作部 petition case accept LYS-2026-000001 --on 2026-09-03 --note 符合受理条件 &&
	as 法律工作部 petition case resolve LYS-2026-000001 --outcome 支持 --text 已督促企业补缴 --on 2026-10-15 &&
	as 法律工作部 petition case deliver LYS-2026-000001 --how 当面 --note 当面送达答复意见书 --on 2026-10-16 &&
	as 法律工作部 petition case satisfaction LYS-2026-000001 --level 满意 --on 2026-10-20 &&
	as 法律工作部 petition case close LYS-2026-000001 --note 已答复，当事人满意 --on 2026-11-16 &&
	history LYS-2026-000001 >got &&
	cat >expect <<-\EOT &&
	intake|登记员|
	routed|登记员|named_letter
	instructed|张海燕|请法律工作部依法办理
	accepted|法律工作部|符合受理条件
	resolved|法律工作部|已督促企业补缴
	reply_delivered|法律工作部|当面送达答复意见书
	satisfaction|法律工作部|
	closed|法律工作部|已答复，当事人满意
	EOT
	test_cmp expect got
'

test_expect_success 'an unnamed letter: the office opens it, the leader in charge instructs, reviews follow' '
	test_expect_code 65 petition case done LYS-2026-000002 --step 2 2>err &&
	as 办公室 petition case done LYS-2026-000002 --note 已拆阅 --on 2026-09-02 &&
	test_expect_code 65 petition case resolve LYS-2026-000002 --outcome 支持 --text x 2>err &&
	as 张海燕 petition case instruct LYS-2026-000002 --by 张海燕 --text 请核实欠薪情况 --on 2026-09-03 &&
	as 法律工作部 petition case accept LYS-2026-000002 --on 2026-09-04 &&
	as 法律工作部 petition case resolve LYS-2026-000002 --outcome 部分支持 --text 已追回两个月工资 --on 2026-10-09 &&
	as 法律工作部 petition case deliver LYS-2026-000002 --how 邮寄 --on 2026-10-10 &&
	test_expect_code 65 petition case request-review LYS-2026-000002 --body 山东省总工会 --on 2026-11-10 2>err &&
	grep -q "it had to come by 2026-11-09" err &&
	as 法律工作部 petition case request-review LYS-2026-000002 --body 山东省总工会 --text 不服 --on 2026-11-02 &&
	as 法律工作部 petition case review LYS-2026-000002 --outcome 维持 --text 维持原意见 --on 2026-11-16 &&
	as 法律工作部 petition case deliver LYS-2026-000002 --how 邮寄 --on 2026-11-17 &&
	as 法律工作部 petition case request-rereview LYS-2026-000002 --body 中华全国总工会 --text 仍不服 --on 2026-11-20 &&
	as 法律工作部 petition case rereview LYS-2026-000002 --outcome 维持 --text 复核维持 --on 2026-11-27 &&
	as 法律工作部 petition case deliver LYS-2026-000002 --how 邮寄 --on 2026-11-27 &&
	as 法律工作部 petition case close LYS-2026-000002 --note 复核终结 &&
	history LYS-2026-000002 >got &&
	cat >expect <<-\EOT &&
	intake|登记员|
	routed|登记员|unnamed_letter_to_leader
	step_done|办公室|已拆阅
	instructed|张海燕|请核实欠薪情况
	accepted|法律工作部|
	resolved|法律工作部|已追回两个月工资
	reply_delivered|法律工作部|
	review_requested|法律工作部|不服
	reviewed|法律工作部|维持原意见
	review_delivered|法律工作部|
	rereview_requested|法律工作部|仍不服
	rereviewed|法律工作部|复核维持
	rereview_delivered|法律工作部|
	closed|法律工作部|复核终结
	EOT
	test_cmp expect got
'

test_expect_success 'transferred from above: the leader in charge supervises and takes it down; extended by the whole 30 days' '
	as 法律工作部 petition case accept LYS-2026-000003 --on 2026-09-03 &&
	as 李文华 petition case done LYS-2026-000003 --step 1 --note 带案下访至企业现场协调 --on 2026-09-20 &&
	as 法律工作部 petition case extend LYS-2026-000003 --reason 涉及多个部门 --approver 王建国 --on 2026-10-30 &&
	test_expect_code 65 petition case extend LYS-2026-000003 --reason 再延 --approver 王建国 2>err &&
	as 法律工作部 petition case resolve LYS-2026-000003 --outcome 解释 --text 已按政策解释 --on 2026-11-25 &&
	as 法律工作部 petition case deliver LYS-2026-000003 --how 当面 --on 2026-11-26 &&
	as 法律工作部 petition case close LYS-2026-000003 --note 报上级备案 --on 2026-11-27 &&
	history LYS-2026-000003 >got &&
	cat >expect <<-\EOT &&
	intake|登记员|
	routed|登记员|transferred
	accepted|法律工作部|
	step_done|李文华|带案下访至企业现场协调
	extended|法律工作部|涉及多个部门
	resolved|法律工作部|已按政策解释
	reply_delivered|法律工作部|
	closed|法律工作部|报上级备案
	EOT
	test_cmp expect got
'

test_expect_success 'a collective visit: the principal leader is told and supervises' '
	test "$(sqlite3 petition.db "SELECT holder FROM petitions WHERE id = 4")" = 王建国 &&
	as 王建国 petition case done LYS-2026-000004 --note 听取汇报，要求十日内答复 --on 2026-09-01 &&
	as 法律工作部 petition case accept LYS-2026-000004 --on 2026-09-02 &&
	as 法律工作部 petition case resolve LYS-2026-000004 --outcome 支持 --text 企业已支付工资 --on 2026-09-15 &&
	as 法律工作部 petition case deliver LYS-2026-000004 --how 短信 --on 2026-09-16 &&
	as 法律工作部 petition case satisfaction LYS-2026-000004 --level 基本满意 --on 2026-09-16 &&
	as 法律工作部 petition case close LYS-2026-000004 --on 2026-10-15 &&
	test_expect_code 65 petition case resolve LYS-2026-000004 --outcome 支持 --text x 2>err &&
	history LYS-2026-000004 | cut -d"|" -f1,2 | tr "\n" " " >got && echo >>got &&
	echo "intake|登记员 routed|登记员 step_done|王建国 accepted|法律工作部 resolved|法律工作部 reply_delivered|法律工作部 satisfaction|法律工作部 closed|法律工作部 " >expect &&
	test_cmp expect got
'

test_expect_success 'all four closed, every step done, and no deadline missed' '
	test "$(sqlite3 petition.db "SELECT group_concat(DISTINCT state) FROM petitions")" = closed &&
	test "$(sqlite3 petition.db "SELECT count(*) FROM steps WHERE state = '"'"'pending'"'"'")" = 0 &&
	for c in 1 2 3 4; do
		petition schedule explain LYS-2026-00000$c --format tsv | cut -f1,8 | grep -v "^deadline" >>states || exit 1
	done &&
	! grep -E "overdue|late" states &&
	grep -q "^handle	met (resolved 2026-11-25)$" states
'

test_done
