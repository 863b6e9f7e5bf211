#!/bin/sh
# petition-case: every transition, every refusal, show and list.
. "$(dirname "$0")/lib.sh"

q() { sqlite3 petition.db "$1"; }
state() { q "SELECT state FROM petitions WHERE case_no = '$1'"; }
# last_data PATH: a member of the data of the newest event.
last_data() { q "SELECT json_extract(data, '$1') FROM events ORDER BY id DESC LIMIT 1"; }

test_expect_success 'setup: a named letter, an unnamed letter, a transferred case and a call, routed' '
	petition init -q &&
	petition intake -q --received-on 2026-09-01 --channel 来信 --petitioner 钱秀英 --category 社会保险 \
		--summary 养老保险补缴 --addressed-to 张海燕 --id-number 11010519491231002X --phone 13905391234 &&
	petition intake -q --received-on 2026-09-01 --channel 来信 --petitioner 孙立国 --category 欠薪 --summary 欠薪 &&
	petition intake -q --received-on 2026-09-01 --channel 上级转送 --petitioner 周建华 --category 企业改制 \
		--summary 改制安置 --persons 23 &&
	petition intake -q --received-on 2026-09-01 --channel 来电 --petitioner 郑丽 --category 工时休假 --summary 加班 &&
	petition intake -q --received-on 2026-09-02 --channel 来电 --petitioner 何平 --category 其他 --summary 未分办 &&
	petition route -q --format csv LYS-2026-000001 >/dev/null &&
	petition route -q --format csv LYS-2026-000002 >/dev/null &&
	petition route -q --format csv LYS-2026-000003 >/dev/null &&
	petition route -q --format csv LYS-2026-000004 >/dev/null &&
	test "$(state LYS-2026-000001)" = assigned &&
	test "$(state LYS-2026-000005)" = registered
'

test_expect_success 'a transition prints case, event, from, to, on and the holder after it' '
	petition case accept LYS-2026-000004 --on 2026-09-03 --note 符合受理条件 --format csv | tr -d "\r" >out &&
	tr -d "\r" <out >got &&
	printf "%s\n" "case_no,event,from,to,on,holder" "LYS-2026-000004,accepted,assigned,accepted,2026-09-03,法律工作部" >expect &&
	test_cmp expect got &&
	test "$(last_data "\$.note")" = 符合受理条件 &&
	q "SELECT operator, program, kind, petition_id FROM events ORDER BY id DESC LIMIT 1" >got &&
	echo "tester|petition-case|accepted|4" >expect &&
	test_cmp expect got
'

test_expect_success 'accept from registered too; not twice: 65 with the state and what it allows, nothing written' '
	petition case accept LYS-2026-000005 --on 2026-09-03 --format csv >/dev/null &&
	test "$(state LYS-2026-000005)" = accepted &&
	db_dump >before &&
	test_expect_code 65 petition case accept LYS-2026-000005 2>err &&
	grep -q "case LYS-2026-000005 is accepted: accept is allowed only when it is registered or assigned; what an accepted case allows: route, transfer, instruct, done, extend, resolve, important, unimportant, down-visit and report-back" err &&
	db_dump >after &&
	test_cmp before after
'

test_expect_success 'days: not in the future, not before receipt, not before the last step; a bad date is 64' '
	db_dump >before &&
	test_expect_code 65 petition case accept LYS-2026-000002 --on 2026-11-29 2>err &&
	grep -q "2026-11-29 is in the future" err &&
	test_expect_code 65 petition case accept LYS-2026-000002 --on 2026-08-31 2>err &&
	grep -q "2026-08-31 is before case LYS-2026-000002 was received (2026-09-01)" err &&
	test_expect_code 65 petition case done LYS-2026-000004 --on 2026-09-02 2>err &&
	grep -q "2026-09-02 is before the case'"'"'s last recorded step (2026-09-03)" err &&
	petition case accept LYS-2026-000002 --on 2026-09-01 --dry-run --format csv >/dev/null 2>&1 &&
	test_expect_code 64 petition case accept LYS-2026-000002 --on 2026-02-30 2>err &&
	db_dump >after &&
	test_cmp before after
'

test_expect_success 'instruct: a named letter only by the named leader (临会办〔2014〕36号)' '
	db_dump >before &&
	test_expect_code 65 petition case instruct LYS-2026-000001 --by 王建国 --text 阅 2>err &&
	grep -q "case LYS-2026-000001 is a letter to 张海燕, who must instruct it personally" err &&
	test_expect_code 64 petition case instruct LYS-2026-000001 --by 王建国 --text 阅 --force 2>err &&
	grep -q "needs --reason" err &&
	test_expect_code 65 petition case instruct LYS-2026-000001 --by 王五 --text 阅 2>err &&
	grep -q "'"'"'王五'"'"' is not a leader in the rules" err &&
	test_expect_code 64 petition case instruct LYS-2026-000001 --text 阅 2>err &&
	test_expect_code 64 petition case instruct LYS-2026-000001 --by 张海燕 2>err &&
	test_expect_code 64 petition case instruct LYS-2026-000002 --by 张海燕 --text 阅 --force --reason x 2>err &&
	grep -q "force is only for" err &&
	db_dump >after &&
	test_cmp before after &&
	petition case instruct LYS-2026-000001 --by 张海燕 --text 请依法办理 --on 2026-09-02 --format csv | tr -d "\r" >out &&
	grep -q "^LYS-2026-000001,instructed,assigned,assigned,2026-09-02,法律工作部" out &&
	q "SELECT state, done_on FROM steps WHERE petition_id = 1 AND seq = 1" >got &&
	echo "done|2026-09-02" >expect &&
	test_cmp expect got
'

test_expect_success 'instruct --force by another leader: recorded with the reason for the audit; the step is done' '
	petition intake -q --received-on 2026-09-01 --channel 来信 --petitioner 秦芳 --category 社会保险 \
		--summary 另一封 --addressed-to 王建国 >/dev/null &&
	petition route -q --format csv LYS-2026-000006 >/dev/null &&
	petition case instruct LYS-2026-000006 --by 张海燕 --text 请办理 --force --reason 王建国出差一个月 \
		--on 2026-09-02 --format csv >/dev/null &&
	q "SELECT json_extract(data, '"'"'$.forced'"'"'), json_extract(data, '"'"'$.reason'"'"'), json_extract(data, '"'"'$.by'"'"')
	   FROM events ORDER BY id DESC LIMIT 1" >got &&
	echo "1|王建国出差一个月|张海燕" >expect &&
	test_cmp expect got &&
	test "$(q "SELECT state FROM steps WHERE petition_id = 6 AND seq = 1")" = done
'

test_expect_success 'done: the current step; an instruction is not a step to mark done; numbers that are not there' '
	db_dump >before &&
	test_expect_code 65 petition case done LYS-2026-000002 --step 2 2>err &&
	grep -q "step 2 is 张海燕'"'"'s instruction (阅批): record it with petition case instruct" err &&
	test_expect_code 65 petition case done LYS-2026-000002 --step 9 2>err &&
	grep -q "case LYS-2026-000002 has no pending step 9" err &&
	test_expect_code 64 petition case done LYS-2026-000002 --step x 2>err &&
	db_dump >after &&
	test_cmp before after &&
	PETITION_OPERATOR=办公室李 petition case done LYS-2026-000002 --note 已拆阅登记 --on 2026-09-02 --format csv | tr -d "\r" >out &&
	grep -q "^LYS-2026-000002,step_done,assigned,assigned,2026-09-02,张海燕" out &&
	q "SELECT seq, state, done_on, note FROM steps WHERE petition_id = 2 ORDER BY seq" >got &&
	printf "%s\n" "1|done|2026-09-02|已拆阅登记" "2|pending||" "3|pending||" >expect &&
	test_cmp expect got
'

# Accepted on Thu 2026-09-03 + 60 days: 09-30 is day 27, 10-31 day 58, Mon 11-02 day 60.
# Extended by 20: day 80 is 11-22, a Sunday: due Mon 11-23.
# Accepted Thu 09-03: 60 days is Mon 11-02. Extended by 20 on 11-02: day 80 is Sun 11-22, so
# Mon 11-23; by 5 more on 11-20: day 85 is Fri 11-27; by the last 5 on 11-25: day 90, Wed 12-02.
test_expect_success 'extend: several times within the rules'"'"' 30 days in all, approved by the head of the body, the reason told' '
	db_dump >before &&
	test_expect_code 65 petition case extend LYS-2026-000002 --reason x --approver 王建国 2>err &&
	grep -q "extend is allowed only when it is accepted" err &&
	test_expect_code 64 petition case extend LYS-2026-000004 --approver 王建国 2>err &&
	test_expect_code 64 petition case extend LYS-2026-000004 --reason 情况复杂 2>err &&
	test_expect_code 65 petition case extend LYS-2026-000004 --reason 情况复杂 --approver 王五 2>err &&
	test_expect_code 65 petition case extend LYS-2026-000004 --reason 情况复杂 --approver 李文华 --on 2026-10-30 2>err &&
	grep -q "approver: 李文华 may not approve an extension; only the head of the body (本机关负责人) does: the principal leader 王建国" err &&
	test_expect_code 65 petition case extend LYS-2026-000004 --reason 情况复杂 --approver 王建国 --days 31 --on 2026-10-30 2>err &&
	grep -q "the handle deadline may be extended by at most 30 days in all; 0 granted already, so 30 more at most, not 31" err &&
	test_expect_code 65 petition case extend LYS-2026-000004 --reason 情况复杂 --approver 王建国 --on 2026-11-03 2>err &&
	grep -q "the handle deadline ran out on 2026-11-02; an extension is decided before it does" err &&
	test_expect_code 65 petition case extend LYS-2026-000004 --reason x --approver 王建国 --deadline route --on 2026-10-30 2>err &&
	grep -q "deadline '"'"'route'"'"' cannot be extended" err &&
	test_expect_code 65 petition case extend LYS-2026-000004 --reason x --approver 王建国 --deadline 办结 --on 2026-10-30 2>err &&
	grep -q "no deadline '"'"'办结'"'"' in the rules" err &&
	test_expect_code 65 petition case extend LYS-2026-000004 --reason x --approver 王建国 --on 2026-11-02 --told-on 2026-11-01 2>err &&
	grep -q "told-on 2026-11-01 is before the decision" err &&
	db_dump >after &&
	test_cmp before after &&
	petition case extend LYS-2026-000004 --reason 涉及多家单位 --approver 王建国 --days 20 --on 2026-11-02 --format csv >/dev/null &&
	q "SELECT json_extract(data, '"'"'$.deadline'"'"'), json_extract(data, '"'"'$.days'"'"'), json_extract(data, '"'"'$.due_before'"'"'),
	          json_extract(data, '"'"'$.due'"'"'), json_extract(data, '"'"'$.approver'"'"'), json_extract(data, '"'"'$.told_on'"'"')
	   FROM events ORDER BY id DESC LIMIT 1" >got &&
	echo "handle|20|2026-11-02|2026-11-23|王建国|2026-11-02" >expect &&
	test_cmp expect got &&
	petition case extend LYS-2026-000004 --reason 待鉴定结论 --approver 王建国 --days 5 --on 2026-11-20 --told-on 2026-11-21 \
		--format csv >/dev/null &&
	test "$(last_data "\$.due_before")|$(last_data "\$.due")|$(last_data "\$.told_on")" = "2026-11-23|2026-11-27|2026-11-21" &&
	test_expect_code 65 petition case extend LYS-2026-000004 --reason 再延 --approver 王建国 --days 6 --on 2026-11-25 2>err &&
	grep -q "at most 30 days in all; 25 granted already, so 5 more at most, not 6" err &&
	petition case extend LYS-2026-000004 --reason 再延 --approver 王建国 --on 2026-11-25 --format csv >/dev/null &&
	petition schedule explain LYS-2026-000004 --format tsv | grep "^handle" | cut -f5,6 >got &&
	printf "60 calendar days + 30 extended\t2026-12-02\n" >expect &&
	test_cmp expect got &&
	test_expect_code 65 petition case extend LYS-2026-000004 --reason 再延 --approver 王建国 --days 1 2>err &&
	grep -q "was already extended by 30 days, the most the rules allow in all" err
'

test_expect_success 'resolve: not while a leader'"'"'s instruction is pending; outcomes and their other names' '
	petition case accept LYS-2026-000002 --on 2026-09-03 --format csv >/dev/null &&
	petition case accept LYS-2026-000003 --on 2026-09-01 --format csv >/dev/null &&
	db_dump >before &&
	test_expect_code 65 petition case resolve LYS-2026-000002 --outcome 支持 --text 答复 2>err &&
	grep -q "case LYS-2026-000002 awaits 张海燕'"'"'s instruction (阅批, step 2); it cannot be answered before" err &&
	test_expect_code 65 petition case resolve LYS-2026-000003 --outcome 同意 --text 答复 2>err &&
	grep -q "'"'"'同意'"'"' is not one of 支持, 部分支持, 解释 or 不支持" err &&
	test_expect_code 64 petition case resolve LYS-2026-000003 --outcome 支持 2>err &&
	test_expect_code 64 petition case resolve LYS-2026-000003 --text 答复 2>err &&
	db_dump >after &&
	test_cmp before after &&
	petition case resolve LYS-2026-000003 --outcome 解释疏导 --text 已作政策解释 --on 2026-10-09 --format csv | tr -d "\r" >out &&
	grep -q "^LYS-2026-000003,resolved,accepted,resolved,2026-10-09,$" out &&
	q "SELECT outcome FROM petitions WHERE id = 3" >got &&
	echo 解释 >expect &&
	test_cmp expect got &&
	test "$(q "SELECT count(*) FROM steps WHERE petition_id = 3 AND state = '"'"'pending'"'"'")" = 0
'

test_expect_success 'satisfaction: once answered; 满意, 基本满意 or 不满意' '
	test_expect_code 65 petition case satisfaction LYS-2026-000002 --level 满意 2>err &&
	test_expect_code 65 petition case satisfaction LYS-2026-000003 --level 很好 2>err &&
	grep -q "is not one of 满意, 基本满意 or 不满意" err &&
	petition case satisfaction LYS-2026-000003 --level 基本满意 --on 2026-10-10 --format csv >/dev/null &&
	test "$(q "SELECT satisfaction FROM petitions WHERE id = 3")" = 基本满意
'

# Reply on Fri 2026-10-09, delivered Mon 10-12: + 30 days is Wed 11-11.
test_expect_success 'request-review: within 30 days of the reply'"'"'s delivery, else refused with the dates' '
	test_expect_code 65 petition case close LYS-2026-000003 2>err &&
	grep -q "the reply of case LYS-2026-000003 (2026-10-09) has not been delivered; record it first" err &&
	test_expect_code 64 petition case deliver LYS-2026-000003 --on 2026-10-12 2>err &&
	test_expect_code 65 petition case deliver LYS-2026-000003 --on 2026-10-12 --how 托人带话 2>err &&
	grep -q "how '"'"'托人带话'"'"' is not one of in-person, post, sms, online or notice" err &&
	petition case deliver LYS-2026-000003 --on 2026-10-12 --how 当面 --format csv | tr -d "\r" >out &&
	grep -q "^LYS-2026-000003,reply_delivered,resolved,resolved,2026-10-12," out &&
	test "$(last_data "\$.how")" = in-person &&
	test_expect_code 65 petition case deliver LYS-2026-000003 --how post 2>err &&
	grep -q "the reply of case LYS-2026-000003 was delivered on 2026-10-12 already" err &&
	test_expect_code 65 petition case request-review LYS-2026-000003 --on 2026-11-12 --body 山东省总工会 2>err &&
	grep -q "request-review on 2026-11-12 is too late: it had to come by 2026-11-11 (30 calendar days from the delivery of the reply on 2026-10-12; review_request)" err &&
	test_expect_code 64 petition case request-review LYS-2026-000003 --on 2026-11-11 2>err &&
	grep -q "body is needed: the body one level up from LYS is not in this database" err &&
	petition case request-review LYS-2026-000003 --on 2026-11-11 --body 山东省总工会 --text 对解释不服 --format csv | tr -d "\r" >out &&
	grep -q "^LYS-2026-000003,review_requested,resolved,review_requested,2026-11-11," out &&
	test "$(last_data "\$.body")" = 山东省总工会 &&
	petition schedule explain LYS-2026-000003 --format tsv | grep "^review	" | cut -f8 >got &&
	echo "with the reviewing body outside this database" >expect &&
	test_cmp expect got
'

test_expect_success 'review: a decision 维持, 变更 or 撤销 with its text, by the body asked' '
	test_expect_code 65 petition case review LYS-2026-000003 --outcome 驳回 --text x 2>err &&
	test_expect_code 65 petition case request-rereview LYS-2026-000003 2>err &&
	grep -q "request-rereview is allowed only when it is reviewed" err &&
	petition case review LYS-2026-000003 --outcome 维持 --text 维持原答复 --on 2026-11-12 --format csv >/dev/null &&
	test "$(state LYS-2026-000003)" = reviewed &&
	test "$(last_data "\$.body")" = 山东省总工会
'

test_expect_success 'request-rereview within 30 days of the review decision'"'"'s delivery; rereview; close; nothing after 复核 but close' '
	petition case deliver LYS-2026-000003 --on 2026-11-13 --how 邮寄 --format csv >/dev/null &&
	test "$(q "SELECT kind FROM events ORDER BY id DESC LIMIT 1")" = review_delivered &&
	petition case request-rereview LYS-2026-000003 --on 2026-11-20 --body 中华全国总工会 --format csv >/dev/null &&
	petition case rereview LYS-2026-000003 --outcome 维持 --text 复核维持 --on 2026-11-27 --format csv >/dev/null &&
	test "$(state LYS-2026-000003)" = rereviewed &&
	test_expect_code 65 petition case request-review LYS-2026-000003 2>err &&
	petition case deliver LYS-2026-000003 --on 2026-11-27 --how sms --format csv >/dev/null &&
	petition case close LYS-2026-000003 --note 息诉罢访 --format csv >/dev/null &&
	test "$(state LYS-2026-000003)" = closed &&
	test_expect_code 65 petition case close LYS-2026-000003 2>err &&
	grep -q "what a closed case allows: satisfaction, deliver, request-review, request-rereview and reopen" err &&
	test_expect_code 65 petition case request-review LYS-2026-000003 2>err &&
	grep -q "a review (复查) was asked already" err
'

test_expect_success 'reopen: with a reason, back to the state before' '
	test_expect_code 64 petition case reopen LYS-2026-000003 2>err &&
	test_expect_code 65 petition case reopen LYS-2026-000003 --reason 补录材料 2>err &&
	grep -q "case LYS-2026-000003 is final (终结：已于 2026-11-27 复核): reopening it needs --decided-by" err &&
	petition case reopen LYS-2026-000003 --reason 补录材料 --decided-by 王建国 --format csv | tr -d "\r" >out &&
	grep -q "^LYS-2026-000003,reopened,closed,rereviewed,2026-11-28," out &&
	test_expect_code 65 petition case reopen LYS-2026-000003 --reason x 2>err
'

test_expect_success 'reject: a reason and where to go instead; the pending steps are cancelled' '
	test_expect_code 64 petition case reject LYS-2026-000006 --reason 属劳动争议 2>err &&
	grep -q "needs --refer" err &&
	test_expect_code 64 petition case reject LYS-2026-000006 --refer 仲裁委 2>err &&
	petition case reject LYS-2026-000006 --reason 属劳动争议仲裁受理范围 --refer 临沂市劳动人事争议仲裁委员会 \
		--on 2026-09-05 --format csv | tr -d "\r" >out &&
	grep -q "^LYS-2026-000006,rejected,assigned,rejected,2026-09-05,$" out &&
	test "$(q "SELECT count(*) FROM steps WHERE petition_id = 6 AND state = '"'"'pending'"'"'")" = 0 &&
	test "$(last_data "\$.refer")" = 临沂市劳动人事争议仲裁委员会 &&
	petition case reopen LYS-2026-000006 --reason 当事人补充材料 --format csv | tr -d "\r" >out &&
	grep -q ",reopened,rejected,registered," out &&
	petition route -q LYS-2026-000006 --format csv >/dev/null &&
	test "$(state LYS-2026-000006)" = assigned
'

test_expect_success 'object: only a case transferred from above; it waits for the transferring body'"'"'s answer' '
	petition intake -q --received-on 2026-11-24 --channel 上级转送 --petitioner 尤建设 --category 工伤 --summary 非本会职权 >/dev/null &&
	test_expect_code 65 petition case object LYS-2026-000006 --reason x 2>err &&
	grep -q "was not transferred from above (channel letter)" err &&
	test_expect_code 64 petition case object LYS-2026-000007 2>err &&
	petition case object LYS-2026-000007 --reason 属人社部门职责 --format csv >/dev/null &&
	test "$(state LYS-2026-000007)" = objecting &&
	test_expect_code 64 petition case answer-objection LYS-2026-000007 2>err &&
	test_expect_code 65 petition case answer-objection LYS-2026-000007 --outcome 也许 2>err &&
	grep -q "is not one of agreed or refused" err &&
	petition case answer-objection LYS-2026-000007 --outcome 同意 --text 核实同意退回 --format csv | tr -d "\r" >out &&
	grep -q "^LYS-2026-000007,objection_answered,objecting,objected," out &&
	! petition schedule due --format csv 2>/dev/null | grep -q LYS-2026-000007
'

test_expect_success 'a named letter cannot be accepted or answered before it is instructed, even when no step asks for it' '
	petition intake -q --received-on 2026-09-01 --channel 来信 --petitioner 冯志刚 --category 民主管理 \
		--summary 未经阅批 --addressed-to 李文华 >/dev/null &&
	db_dump >before &&
	test_expect_code 65 petition case accept LYS-2026-000008 --on 2026-09-02 2>err &&
	grep -q "case LYS-2026-000008 is a letter to 李文华, who has not instructed it" err &&
	db_dump >after &&
	test_cmp before after &&
	petition case instruct LYS-2026-000008 --by 李文华 --text 阅 --on 2026-09-02 --format csv >/dev/null &&
	petition case accept LYS-2026-000008 --on 2026-09-03 --format csv >/dev/null &&
	petition case resolve LYS-2026-000008 --outcome 支持 --text x --on 2026-09-04 --format csv >/dev/null
'

# Received Tue 2026-11-03: 5 working days are 11-04, 05, 06, 09, 10: the limit is Tue 11-10.
test_expect_success 'object: within 5 working days of receipt, else refused with the dates' '
	petition intake -q --received-on 2026-11-03 --channel 上级转送 --petitioner 许 --category 工伤 --summary 迟异议 >/dev/null &&
	test_expect_code 65 petition case object LYS-2026-000009 --reason 非本会职权 --on 2026-11-11 2>err &&
	grep -q "object on 2026-11-11 is too late: it had to come by 2026-11-10 (5 working days from the receipt on 2026-11-03; objection)" err &&
	petition case object LYS-2026-000009 --reason 非本会职权 --on 2026-11-10 --format csv >/dev/null
'

test_expect_success 'an objection the transferring body refuses: the case is the office'"'"'s again, as it was' '
	petition case answer-objection LYS-2026-000009 --outcome 不同意 --text 属你会职权 --on 2026-11-12 --format csv |
		tr -d "\r" >out &&
	grep -q "^LYS-2026-000009,objection_answered,objecting,registered,2026-11-12," out &&
	test "$(last_data "\$.outcome")" = refused &&
	test_expect_code 65 petition case answer-objection LYS-2026-000009 --outcome agreed 2>err &&
	grep -q "answer-objection is allowed only when it is objecting" err &&
	test_expect_code 65 petition case object LYS-2026-000009 --reason 再次异议 --on 2026-11-13 2>err &&
	grep -q "too late: it had to come by 2026-11-10" err
'

test_expect_success 'an unnamed letter is instructed by whichever leader instructs it; the step notes who' '
	petition intake -q --received-on 2026-11-02 --channel 来信 --petitioner 施 --category 欠薪 --summary 谁阅批 >/dev/null &&
	petition route -q LYS-2026-000010 --format csv >/dev/null &&
	petition case done LYS-2026-000010 --on 2026-11-03 --format csv >/dev/null &&
	petition case instruct LYS-2026-000010 --by 王建国 --text 阅 --on 2026-11-04 --format csv >/dev/null &&
	q "SELECT seq, holder, state, note FROM steps WHERE petition_id = 10 ORDER BY seq" >got &&
	printf "%s\n" "1|办公室|done|" "2|张海燕|done|instructed by 王建国" "3|法律工作部|pending|" >expect &&
	test_cmp expect got
'

test_expect_success 'a forced instruction completes the named leader'"'"'s step and says so' '
	q "SELECT holder, state, note FROM steps WHERE petition_id = 6 AND seq = 1" >got &&
	echo "王建国|done|instructed by 张海燕 (forced)" >expect &&
	test_cmp expect got
'

# Answered Thu 2026-10-01 (国庆节): 30 days is Sat 10-31, so the window closed Mon 11-02.
test_expect_success 'a review window the petitioner let pass has lapsed: not overdue, not in the due list' '
	petition intake -q --received-on 2026-09-01 --channel 来电 --petitioner 孔 --category 咨询 --summary 咨询答复 >/dev/null &&
	petition case accept LYS-2026-000011 --on 2026-09-01 --format csv >/dev/null &&
	petition case resolve LYS-2026-000011 --outcome 解释 --text 已答复 --on 2026-10-01 --format csv >/dev/null &&
	petition schedule explain LYS-2026-000011 --format tsv | grep "^review_request" | cut -f6,8 >got &&
	printf "\tnot started: the reply of 2026-10-01 has not been delivered (petition case deliver)\n" >expect &&
	test_cmp expect got &&
	petition schedule due --format csv 2>/dev/null | tr -d "\r" | grep "^LYS-2026-000011," | cut -d, -f5,7,9 >got &&
	echo "deliver,2026-10-13,long overdue" >expect &&
	test_cmp expect got &&
	petition case deliver LYS-2026-000011 --on 2026-10-09 --how post --format csv >/dev/null &&
	petition schedule explain LYS-2026-000011 --format tsv | grep "^review_request" | cut -f6,8 >got &&
	printf "2026-11-09\tlapsed\n" >expect &&
	test_cmp expect got &&
	! petition schedule due --format csv 2>/dev/null | grep -q LYS-2026-000011
'

test_expect_success 'a named letter whose instruction was handed to another leader can still be instructed and answered' '
	petition intake -q --received-on 2026-11-02 --channel 来信 --petitioner 蒋 --category 社会保险 \
		--summary 转给刘志强 --addressed-to 张海燕 >/dev/null &&
	petition route -q LYS-2026-000012 --format csv >/dev/null &&
	petition route -q LYS-2026-000012 --to 刘志强 --action instruct --note 张海燕休假 --format csv >/dev/null &&
	petition case instruct LYS-2026-000012 --by 刘志强 --text 阅 --force --reason 张海燕休假 --on 2026-11-03 \
		--format csv >/dev/null &&
	q "SELECT seq, holder, state FROM steps WHERE petition_id = 12 ORDER BY seq" >got &&
	printf "%s\n" "1|张海燕|cancelled" "2|刘志强|done" "3|法律工作部|pending" >expect &&
	test_cmp expect got &&
	petition case accept LYS-2026-000012 --on 2026-11-04 --format csv >/dev/null &&
	petition case resolve LYS-2026-000012 --outcome 支持 --text 已办 --on 2026-11-05 --format csv >/dev/null
'

test_expect_success 'closing does not meet a review window: one that lapsed reads lapsed' '
	petition case close LYS-2026-000011 --format csv >/dev/null &&
	petition schedule explain LYS-2026-000011 --format tsv | grep "^review_request" | cut -f8,9 >got &&
	printf "lapsed\t\n" >expect &&
	test_cmp expect got
'

test_expect_success 'usage: unknown verbs, options of another verb, a missing case; a case that is not there is 66' '
	test_expect_code 64 petition case approve LYS-2026-000002 2>err &&
	test_expect_code 64 petition case accept LYS-2026-000002 --by 王建国 2>err &&
	grep -q "accept does not take --by" err &&
	test_expect_code 64 petition case accept 2>err &&
	test_expect_code 64 petition case 2>err &&
	test_expect_code 64 petition case show LYS-2026-000002 --dry-run 2>err &&
	test_expect_code 66 petition case accept LYS-2099-000001 2>err &&
	grep -q "no case '"'"'LYS-2099-000001'"'"'" err &&
	test_expect_code 66 petition case show 99 2>err
'

test_expect_success 'text with a control character: 65; --dry-run prints and writes nothing' '
	db_dump >before &&
	test_expect_code 65 petition case accept LYS-2026-000002 --note "$(printf "a\033b")" 2>err &&
	grep -q "contains a control character" err &&
	petition case close LYS-2026-000003 --dry-run --format csv >out 2>err &&
	grep -q "^LYS-2026-000003,closed,rereviewed,closed," out &&
	grep -q "dry run" err &&
	db_dump >after &&
	test_cmp before after
'

test_expect_success 'a locked database: 75, nothing written' '
	db_dump >before &&
	hold_write_lock petition.db 3 &
	sleep 1 &&
	PETITION_BUSY_TIMEOUT=200 test_expect_code 75 petition case close LYS-2026-000003 2>err &&
	wait &&
	db_dump >after &&
	test_cmp before after
'

test_expect_success 'show: fields, flags, steps, deadlines and the whole history' '
	petition case show LYS-2026-000001 --format tsv >out &&
	grep -q "^case	state	assigned		$" out &&
	grep -q "^case	holder	法律工作部		$" out &&
	grep -q "^case	channel	letter (来信)		$" out &&
	grep -q "^case	named_letter	yes		$" out &&
	grep -q "^case	petitioner	钱秀英		$" out &&
	grep -q "^step	1	张海燕 instruct (阅批): done	2026-09-02	named_letter$" out &&
	grep -q "^step	2	法律工作部 handle (办理): pending		named_letter$" out &&
	grep -q "^deadline	instruct	署名领导阅批: met (instructed 2026-09-02); 5 working days from received 2026-09-01	2026-09-08	$" out &&
	grep -q "^event	[0-9]* intake	" out &&
	grep -q "^event	[0-9]* routed	.*\"rule\":\"named_letter\"" out &&
	grep -q "^event	[0-9]* instructed	.*\"by\":\"张海燕\",\"text\":\"请依法办理\".*	tester (petition-case)$" out
'

test_expect_success 'show --redact masks the name, the ID number and the phone' '
	petition case show LYS-2026-000001 --redact --format tsv >out &&
	grep -q "^case	petitioner	钱\*\*		$" out &&
	grep -q "^case	id_number	110105\*\*\*\*\*\*\*\*002X		$" out &&
	grep -q "^case	phone	139\*\*\*\*1234		$" out &&
	! grep -q 13905391234 out
'

test_expect_success 'list: filters by state, holder, category, channel, flags and period' '
	petition case list --state open --format csv 2>err | tr -d "\r" | cut -d, -f1 >got &&
	printf "%s\n" case_no LYS-2026-000001 LYS-2026-000002 LYS-2026-000003 LYS-2026-000004 LYS-2026-000006 \
		LYS-2026-000008 LYS-2026-000005 LYS-2026-000010 LYS-2026-000012 LYS-2026-000009 >expect &&
	test_cmp expect got &&
	grep -q "^petition-case: 10 cases$" err &&
	test "$(petition case list --holder 张海燕 --format csv | tr -d "\r" | sed 1d | cut -d, -f1)" = LYS-2026-000002 &&
	test "$(petition case list --category 工资 --format csv | sed 1d | wc -l)" = 2 &&
	test "$(petition case list --channel 上级转送 --format csv | sed 1d | wc -l)" = 3 &&
	test "$(petition case list --transferred --state objected --format csv | sed 1d | wc -l)" = 1 &&
	test "$(petition case list --named --format csv | sed 1d | wc -l)" = 4 &&
	test "$(petition case list --from 2026-09-02 --to 2026-09-30 --format csv | sed 1d | wc -l)" = 1 &&
	test "$(petition case list --unit LSQ --format csv | sed 1d | wc -l)" = 0 &&
	petition case list --redact --state objected --format csv >out && grep -q ",尤\*\*," out && ! grep -q 尤建设 out &&
	petition case list --named --format csv | grep -q named_letter
'

test_expect_success 'list: a state, unit, category or channel that is not one is a usage error' '
	test_expect_code 64 petition case list --state done 2>err &&
	test_expect_code 64 petition case list --unit 火星 2>err &&
	test_expect_code 64 petition case list --category 天气 2>err &&
	test_expect_code 64 petition case list --channel 鸽子 2>err &&
	test_expect_code 64 petition case list --from 2026-13-01 2>err &&
	test_expect_code 64 petition case list LYS-2026-000001 2>err
'

test_expect_success 'output that cannot be written: 74' '
	test_expect_code 74 petition case show LYS-2026-000001 --format csv >/dev/full 2>err
'

test_expect_success 'usage: what a verb needs is named by its option before the case is read; 64, nothing written' '
	db_dump >before &&
	test_expect_code 64 petition case resolve LYS-2099-000001 --text x 2>err &&
	grep -q "^petition-case: resolve needs --outcome (支持, 部分支持, 解释 or 不支持)$" err &&
	grep -q "^see .petition-case -h. for the usage$" err &&
	test_expect_code 64 petition case satisfaction LYS-2026-000002 2>err &&
	grep -q "^petition-case: satisfaction needs --level (满意, 基本满意 or 不满意)$" err &&
	test_expect_code 64 petition case list --on 2026-09-01 2>err &&
	grep -q "^petition-case: list does not take --on$" err &&
	test_expect_code 64 petition case show LYS-2026-000002 --dry-run 2>err &&
	grep -q "^petition-case: show does not take --dry-run$" err &&
	db_dump >after &&
	test_cmp before after
'

test_expect_success 'a field the library refuses is named by the option that gave it: --note, --level' '
	test_expect_code 65 petition case accept LYS-2026-000002 --note "$(printf "a\033b")" 2>err &&
	grep -q "^petition-case: --note: contains a control character$" err &&
	test_expect_code 65 petition case accept LYS-2026-000002 --note "$(printf "\377")" 2>err &&
	grep -q "^petition-case: --note: not valid UTF-8 text$" err &&
	test_expect_code 65 petition case done LYS-2026-000002 --note "$(printf "\377")" 2>err &&
	grep -q "^petition-case: --note: not valid UTF-8 text$" err &&
	test_expect_code 65 petition case instruct LYS-2026-000002 --by 张海燕 --text "$(printf "\377")" 2>err &&
	grep -q "^petition-case: --text: not valid UTF-8 text$" err &&
	test_expect_code 65 petition case satisfaction LYS-2026-000003 --level 好 2>err &&
	grep -q "^petition-case: --level '"'"'好'"'"' is not one of 满意, 基本满意 or 不满意$" err
'

cp petition.db ro.db
test_readonly_db ro.db "a transition on a database that cannot be written" \
	"petition case satisfaction LYS-2026-000003 --level 满意 --db ro.db --format csv"

test_done
