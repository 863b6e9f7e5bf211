#!/bin/sh
# petition report quarter (petition-report(1)): 41 cases of three units (the city office
# LYS and two county unions below it, LSQ and LZQ, each with leaders of its own) received
# from 2026-06-30 to 2026-11-27 and taken through intake, routing, petition case and
# petition schedule on hand-worked days across the 2026 holidays; every part of the report
# for 2026Q3 and 2026Q4 is compared with figures counted by hand from the cases below (the
# comments before each part's test say which cases count where and which deadlines they
# miss); then the periods and their errors, --unit, --part, JSON's empty rates, the 越级
# flag and corrected repeat marks, and a read-only database.
. "$(dirname "$0")/lib.sh"

# The default rules with leaders for the two counties: LSQ's principal 陈立新 and 周敏 (in
# charge of 劳动报酬 and 工时休假), LZQ's principal 孙浩 (in charge of nothing).
rules() {
	sed '/^leaders:$/a\
  - { name: 陈立新, unit: LSQ, post: 主席, principal: true }\
  - { name: 周敏, unit: LSQ, post: 副主席, charge: [劳动报酬, 工时休假] }\
  - { name: 孙浩, unit: LZQ, post: 主席, principal: true }' "$TEST_SRC/../examples/rules.yaml"
}

# later UNIT DAY CHANNEL CATEGORY PERSONS [OPTION...]: register a case (ids go 1, 2, ... in
# this order), to be routed later with others in one run.
later() {
	nu=$1 nd=$2 nc=$3 ncat=$4 np=$5
	shift 5
	n=$(($(sqlite3 petition.db "SELECT count(*) FROM petitions") + 1))
	petition intake -q --unit "$nu" --received-on "2026-$nd" --channel "$nc" --category "$ncat" \
		--persons "$np" --petitioner "信访人$n" --summary "事项$n" "$@" >/dev/null
}

# new UNIT DAY CHANNEL CATEGORY PERSONS [OPTION...]: register a case and route it on its day.
new() {
	later "$@" && PETITION_TODAY=2026-$2 petition route -q "id:$n" >/dev/null
}

# on ID DAY VERB [OPTION...]: petition case VERB on case id:ID on 2026-DAY.
on() {
	oc=$1 od=$2 ov=$3
	shift 3
	petition case "$ov" "id:$oc" --on "2026-$od" "$@" --format csv >/dev/null
}

# answered CASE OUTCOME RESOLVED DELIVERED: resolved on RESOLVED with OUTCOME, the reply
# delivered on DELIVERED.
answered() {
	on "$1" "$3" resolve --outcome "$2" --text 答复 && on "$1" "$4" deliver --how 当面
}

# day UNIT DAY LEADER [OPTION...]: a reception day; prints nothing, sets $r to its id.
day() {
	du=$1 dd=$2 dl=$3
	shift 3
	r=$(petition schedule add -q --unit "$du" --day "2026-$dd" --leader "$dl" "$@") && test -n "$r"
}

test_expect_success 'setup: rules with county leaders, reception days and meetings' '
	petition init -q &&
	rules >rules.yaml &&
	petition rules load -q rules.yaml &&
	day LYS 07-07 张海燕 && petition schedule held -q $r &&
	day LYS 07-09 王建国 && petition schedule held -q $r &&
	day LYS 08-04 张海燕 && petition schedule held -q $r &&
	day LYS 08-06 李文华 && petition schedule cancel -q $r --reason 出差 &&
	day LYS 08-13 刘志强 --form 带案下访 && petition schedule held -q $r &&
	day LYS 09-08 王建国 && petition schedule held -q $r &&
	day LYS 09-10 张海燕 &&
	day LSQ 07-14 陈立新 && petition schedule held -q $r &&
	day LSQ 07-16 周敏 && petition schedule held -q $r &&
	day LSQ 08-18 周敏 && petition schedule held -q $r &&
	r=$(petition schedule add -q --unit LYS --day 2026-09-22 --kind meeting) && petition schedule held -q $r &&
	day LYS 10-13 王建国 && petition schedule held -q $r &&
	day LYS 10-15 张海燕 && petition schedule held -q $r --leader 李文华 &&
	day LYS 11-03 张海燕 && petition schedule held -q $r &&
	day LYS 11-05 刘志强 && petition schedule held -q $r &&
	day LYS 12-08 李文华 &&
	day LZQ 11-10 孙浩 --form 带案下访 && petition schedule held -q $r &&
	r=$(petition schedule add -q --unit LYS --day 2026-10-20 --kind meeting) && petition schedule held -q $r &&
	petition schedule add -q --unit LYS --day 2026-12-15 --kind meeting >/dev/null
'

test_expect_success 'setup: the third quarter, LYS' '
	new LYS 07-06 来访 劳动报酬 1 --received-by 张海燕 &&
	on 1 07-07 accept && answered 1 支持 07-20 07-21 &&
	on 1 07-25 satisfaction --level 满意 && on 1 08-10 close &&
	new LYS 07-08 来访 劳动报酬 1 --received-by 张海燕 &&
	on 2 07-09 accept && answered 2 部分支持 08-14 08-17 && on 2 08-20 satisfaction --level 基本满意 &&
	new LYS 07-15 来访 社会保险 6 &&
	on 3 07-16 accept && answered 3 解释 08-20 08-21 && on 3 08-24 satisfaction --level 不满意 &&
	on 3 08-25 request-review --body 山东省总工会 --text 不服 &&
	new LYS 07-20 来信 劳动合同 1 --addressed-to 张海燕 &&
	on 4 07-22 instruct --by 张海燕 --text 请依法办理 && on 4 07-23 accept && answered 4 支持 09-10 09-11 &&
	new LYS 08-03 来信 企业改制 1 --addressed-to 李文华 &&
	on 5 08-05 instruct --by 王建国 --text 请办理 --force --reason 李文华出差 &&
	on 5 08-06 accept && answered 5 不支持 09-30 10-15 &&
	new LYS 08-10 来电 工时休假 1 &&
	new LYS 08-12 网上 咨询 1 &&
	on 7 08-14 reject --reason 属咨询 --refer 12351热线 &&
	new LYS 09-01 上级转送 劳动报酬 3 --source-ref 鲁工转〔2026〕1号 &&
	on 8 09-03 accept && on 8 09-20 extend --approver 王建国 --reason 案情复杂 --days 30 &&
	new LYS 09-08 上级转送 企业改制 1 --source-ref 鲁工转〔2026〕2号 &&
	on 9 09-10 object --reason 不属本会职权 && on 9 09-18 answer-objection --outcome agreed &&
	new LYS 09-15 来信 社会保险 1 &&
	PETITION_TODAY=2026-09-16 petition route -q transfer id:10 --unit LSQ >/dev/null &&
	new LYS 09-28 来访 工伤职业病 2 &&
	on 11 09-29 accept &&
	new LYS 09-30 来信 女职工权益 1 --addressed-to 刘志强
'

test_expect_success 'setup: the third quarter, LSQ and LZQ' '
	new LSQ 07-02 来访 劳动报酬 1 --received-by 周敏 --id-number 11010519491231002X &&
	on 13 07-03 accept && answered 13 支持 07-31 08-03 && on 13 08-05 satisfaction --level 满意 &&
	new LSQ 07-09 来访 劳动报酬 8 &&
	on 14 07-10 accept && answered 14 部分支持 08-31 09-01 && on 14 09-03 satisfaction --level 满意 &&
	new LSQ 07-21 来信 其他 1 &&
	on 15 08-20 accept && answered 15 解释 09-15 09-16 &&
	new LSQ 08-05 来电 劳动合同 1 &&
	on 16 08-06 accept && answered 16 支持 10-12 10-13 &&
	new LSQ 08-18 来访 工时休假 1 --received-by 周敏 &&
	on 17 08-19 accept && answered 17 支持 09-01 09-02 && on 17 09-04 satisfaction --level 基本满意 &&
	on 17 09-20 close &&
	new LSQ 09-07 电子邮件 困难帮扶 1 &&
	on 18 09-08 reject --reason 不属工会职责 --refer 民政部门 &&
	new LSQ 09-21 传真 法律援助 1 &&
	on 19 09-22 accept &&
	new LZQ 07-13 来访 劳动报酬 1 &&
	on 20 07-14 accept && answered 20 支持 08-10 08-11 && on 20 08-12 satisfaction --level 不满意 &&
	on 20 08-20 request-review --unit LYS --text 不服 && on 20 09-10 review --outcome 维持 --text 维持 &&
	on 20 09-15 deliver --how 邮寄 &&
	new LZQ 08-24 来信 工会组织建设 1 &&
	new LZQ 09-14 来访 劳动安全卫生 5 &&
	on 22 09-15 accept && answered 22 支持 09-29 09-30 && on 22 10-08 satisfaction --level 满意 &&
	on 22 10-09 close
'

test_expect_success 'setup: the fourth quarter, and a case of the second' '
	new LYS 10-09 来访 劳动报酬 1 --received-by 张海燕 &&
	on 23 10-10 accept && answered 23 支持 10-30 11-02 && on 23 11-04 satisfaction --level 满意 &&
	new LYS 10-12 来访 社会保险 1 --received-by 王建国 &&
	on 24 10-13 accept && on 24 10-14 important --by 张海燕 --note 涉及多人社保 &&
	new LYS 10-15 来信 劳动合同 1 --addressed-to 张海燕 &&
	on 25 10-16 instruct --by 张海燕 --text 阅 && on 25 10-19 accept && answered 25 部分支持 11-20 11-23 &&
	on 25 11-25 satisfaction --level 基本满意 &&
	new LYS 10-20 来电 咨询 1 &&
	on 26 10-21 reject --reason 属咨询 --refer 12351热线 &&
	new LYS 10-26 上级转送 工伤职业病 2 --source-ref 鲁工转〔2026〕3号 &&
	PETITION_TODAY=2026-10-28 petition route -q transfer id:27 --body 临沂市人力资源和社会保障局 >/dev/null &&
	new LYS 11-02 来访 其他 1 &&
	new LYS 11-05 来信 企业改制 1 --addressed-to 李文华 &&
	on 29 11-16 instruct --by 李文华 --text 阅 && on 29 11-17 accept &&
	later LYS 11-20 网上 困难帮扶 1 &&
	new LSQ 10-08 来访 劳动报酬 6 &&
	on 31 10-09 accept && answered 31 支持 11-10 11-11 && on 31 11-12 satisfaction --level 满意 &&
	on 31 11-20 close &&
	new LSQ 10-14 来访 工时休假 1 --received-by 周敏 &&
	on 32 10-15 accept && answered 32 不支持 11-05 11-06 && on 32 11-07 satisfaction --level 不满意 &&
	on 32 11-10 request-review --unit LYS --text 不服 && on 32 11-25 review --outcome 维持 --text 维持 &&
	on 32 11-26 deliver --how 邮寄 &&
	new LSQ 10-22 来信 劳动报酬 1 &&
	on 33 10-23 accept &&
	new LSQ 11-03 来电 女职工权益 1 &&
	on 34 11-04 accept && on 34 11-10 extend --approver 陈立新 --reason 需调查 --days 15 &&
	later LSQ 11-18 来访 劳动报酬 1 --id-number 11010519491231002X &&
	new LZQ 10-10 来访 劳动报酬 1 &&
	on 36 10-12 accept && answered 36 解释 11-09 11-10 &&
	new LZQ 10-19 来信 其他 1 --addressed-to 孙浩 &&
	on 37 10-20 instruct --by 孙浩 --text 阅 && on 37 10-21 accept &&
	later LZQ 11-09 上级转送 社会保险 4 --source-ref 鲁工转〔2026〕4号 &&
	new LZQ 11-11 来访 咨询 1 &&
	on 39 11-12 reject --reason 属咨询 --refer 12351热线 &&
	later LZQ 11-27 来电 劳动报酬 1 &&
	new LYS 06-30 来访 劳动报酬 1 &&
	on 41 07-01 accept &&
	petition route -q >/dev/null &&
	test "$(sqlite3 petition.db "SELECT group_concat(DISTINCT s.petition_id) FROM steps s JOIN events e
		ON e.id = s.event_id WHERE e.petition_id IS NULL")" = "30,35,38,40" &&
	on 38 11-12 down-visit --place 罗庄某物流公司 --by 孙浩 --note 了解社保欠缴情况
'

# report ARGS...: petition report quarter as CSV, its line ends made plain.
report() {
	petition report quarter --format csv "$@" >report.out && tr -d '\r' <report.out
}

# The figures below are counted by hand from the cases above, today being 2026-11-28. In
# the third quarter: LYS has cases 1-12 (5 answered: 1 支持 满意, 2 部分支持 基本满意, 3 解释
# 不满意 and a request for review, 4 支持 and 5 不支持 not asked; in progress 6, 8, 10, 11,
# 12; 7 rejected; 9 returned on its objection), 6 overdue now and in the quarter (the
# 15-day limit ran out on 08-25), 12 overdue now only (its limits end 10-13 and 10-15),
# 5's reply delivered late only in October; reception days 6 planned (one cancelled), 5
# held (July 2, August 2, September 1: one month below 2), by 3 leaders; the meeting of
# 09-22. LSQ has cases 13-19: 15 accepted late (due 08-05, 08-20) so overdue in the
# quarter, 19's handling limit ends 11-23 (11-21 a Saturday) so overdue now, 16 answered
# late only in October. LZQ has cases 20-22: 21 never accepted (due 09-08). And case 10,
# handed down (交办) to LSQ on 09-16, owes the report of its result within 60 days: due
# 11-15, a Sunday, so 11-16, and not reported: overdue now, not in the quarter.
test_expect_success 'part A, 2026Q3: a row per unit with cases or reception days, and the total' '
	report --period 2026Q3 --part A >got &&
	cat >expect <<-\EOT &&
	unit,name,level,days_required,days_planned,days_held,months_below,leaders_received,cases,persons,at_reception,collective_cases,collective_persons,repeat,skip_level,transferred_in,named_letters,instructed_by_named,instructed_by_other,resolved,supported,partly_supported,explained,not_supported,in_progress,rejected,transferred_out,returned,handed_down,objections,extended,overdue_now,overdue_in_period,review_requests,rereview_requests,reviews_handled,rereviews_handled,satisfied,basically_satisfied,dissatisfied,not_asked,important,meetings,resolved_pct,satisfied_pct
	LYS,临沂市总工会,市级,6,6,5,1,3,12,20,2,1,6,0,0,2,3,1,1,5,2,1,1,1,5,1,0,1,1,1,1,3,1,1,0,1,0,1,1,1,2,0,1,41.7,66.7
	LSQ,兰山区总工会,县级,6,3,3,2,2,7,14,2,1,8,0,0,0,0,0,0,5,3,1,1,0,1,1,0,0,0,0,0,1,1,0,0,0,0,2,1,0,2,0,0,71.4,100.0
	LZQ,罗庄区总工会,县级,6,0,0,3,0,3,7,0,1,5,0,0,0,0,0,0,2,2,0,0,0,1,0,0,0,0,0,0,1,1,1,0,0,0,1,0,1,0,0,0,66.7,50.0
	total,合计,,18,9,8,6,5,22,41,4,3,19,0,0,2,3,1,1,12,7,2,2,1,7,2,0,1,1,1,1,5,3,2,0,1,0,4,2,2,4,0,1,54.5,75.0
	EOT
	test_cmp expect got
'

# The fourth quarter as of 11-28: 28 never accepted (due 11-17), 29 instructed late (due
# 11-12, done 11-16), 38 neither accepted nor objected to (due 11-16 and 11-24); 27 sent
# away on 10-28 before its objection limit (11-02) ran out is not overdue; November and
# December have not ended, so only October can be a month below the minimum (LSQ held no
# day in it, LZQ neither); 10-15 was held by 李文华 for 张海燕; 张海燕
# marked 24 important on 10-14.
test_expect_success 'part A, 2026Q4: the period not over yet' '
	report --period 2026Q4 --part A >got &&
	cat >expect <<-\EOT &&
	unit,name,level,days_required,days_planned,days_held,months_below,leaders_received,cases,persons,at_reception,collective_cases,collective_persons,repeat,skip_level,transferred_in,named_letters,instructed_by_named,instructed_by_other,resolved,supported,partly_supported,explained,not_supported,in_progress,rejected,transferred_out,returned,handed_down,objections,extended,overdue_now,overdue_in_period,review_requests,rereview_requests,reviews_handled,rereviews_handled,satisfied,basically_satisfied,dissatisfied,not_asked,important,meetings,resolved_pct,satisfied_pct
	LYS,临沂市总工会,市级,6,5,4,0,4,8,9,2,0,0,0,0,1,2,2,0,2,1,1,0,0,4,1,1,0,0,0,0,1,2,0,0,1,0,1,1,0,0,1,2,25.0,100.0
	LSQ,兰山区总工会,县级,6,0,0,1,0,5,10,1,1,6,1,0,0,0,0,0,2,1,0,0,1,3,0,0,0,0,0,1,0,0,1,0,0,0,1,0,1,0,0,0,40.0,50.0
	LZQ,罗庄区总工会,县级,6,1,1,1,1,5,8,0,0,0,0,0,1,1,1,0,1,0,0,1,0,3,1,0,0,0,0,0,1,1,0,0,0,0,0,0,0,1,0,0,20.0,
	total,合计,,18,6,5,2,5,18,27,3,1,6,1,0,2,3,3,0,5,2,1,1,1,10,2,1,0,0,0,1,2,3,1,0,1,0,2,1,1,1,1,2,27.8,75.0
	EOT
	test_cmp expect got
'

# A leader's cases: those the leader received, instructed, or holds a step of. 张海燕
# received 1 and 2, instructed 4, supervises 8 and was to instruct 10; 李文华 was to
# instruct 5 (王建国 did, forced) and supervises 9 (returned); 刘志强 took a case down on
# 08-13 and has 12 overdue; 张海燕 has 10 overdue (its report back, above).
test_expect_success 'part B, 2026Q3: a row per leader' '
	report --period 2026Q3 --part B >got &&
	cat >expect <<-\EOT &&
	leader,unit,post,days_planned,days_held,cases,persons,instructed,supervised,down_visits,handled,resolved,overdue_now
	陈立新,LSQ,主席,1,1,0,0,0,0,0,1,1,0
	周敏,LSQ,副主席,2,2,2,2,0,0,0,2,2,0
	孙浩,LZQ,主席,0,0,0,0,0,0,0,1,1,0
	王建国,LYS,党组书记、主席,2,2,0,0,1,0,0,2,2,0
	李文华,LYS,常务副主席,0,0,0,0,0,0,0,2,1,0
	张海燕,LYS,副主席,3,2,2,2,1,0,0,5,3,1
	刘志强,LYS,副主席,1,1,0,0,0,0,1,1,0,1
	EOT
	test_cmp expect got
'

# 38 and 40 were routed in one run with 30 and 35: 38's supervision by 孙浩 comes from it,
# and 孙浩 took 38 down on 11-12 (besides the reception day of 11-10 in the form 带案下访).
test_expect_success 'part B, 2026Q4: steps of a routing run count' '
	report --period 2026Q4 --part B --unit LSQ >got &&
	report --period 2026Q4 --part B --unit LZQ | sed 1d >>got &&
	cat >expect <<-\EOT &&
	leader,unit,post,days_planned,days_held,cases,persons,instructed,supervised,down_visits,handled,resolved,overdue_now
	陈立新,LSQ,主席,0,0,0,0,0,0,0,1,1,0
	周敏,LSQ,副主席,0,0,1,1,0,0,0,2,1,0
	孙浩,LZQ,主席,1,1,0,0,1,1,1,2,0,1
	EOT
	test_cmp expect got
'

test_expect_success 'part C, 2026Q3: category by result' '
	report --period 2026Q3 --part C >got &&
	cat >expect <<-\EOT &&
	category,cases,persons,resolved,supported,partly_supported,explained,not_supported,in_progress,rejected,transferred_out,returned
	劳动报酬,6,15,5,3,2,0,0,1,0,0,0
	社会保险,2,7,1,0,0,1,0,1,0,0,0
	劳动合同,2,2,2,2,0,0,0,0,0,0,0
	工伤职业病,1,2,0,0,0,0,0,1,0,0,0
	企业改制,2,2,1,0,0,0,1,0,0,0,1
	劳动安全卫生,1,5,1,1,0,0,0,0,0,0,0
	工时休假,2,2,1,1,0,0,0,1,0,0,0
	女职工权益,1,1,0,0,0,0,0,1,0,0,0
	困难帮扶,1,1,0,0,0,0,0,0,1,0,0
	法律援助,1,1,0,0,0,0,0,1,0,0,0
	民主管理,0,0,0,0,0,0,0,0,0,0,0
	工会组织建设,1,1,0,0,0,0,0,1,0,0,0
	咨询,1,1,0,0,0,0,0,0,1,0,0
	其他,1,1,1,0,0,1,0,0,0,0,0
	total,22,41,12,7,2,2,1,7,2,0,1
	EOT
	test_cmp expect got
'

test_expect_success 'part D and the month line, 2026Q3' '
	report --period 2026Q3 --part d >got &&
	cat >expect <<-\EOT &&
	channel,label,cases,persons
	visit,来访,9,26
	letter,来信,6,6
	phone,来电,2,2
	email,电子邮件,1,1
	fax,传真,1,1
	online,网上,1,1
	transfer,上级转送,2,4
	hotline,12351热线,0,0
	total,合计,22,41
	EOT
	test_cmp expect got &&
	report --period 2026Q3 --part month >got &&
	cat >expect <<-\EOT &&
	month,cases,persons,resolved,overdue_in_period,overdue_now
	2026-07,8,20,8,1,0
	2026-08,6,6,3,2,2
	2026-09,8,15,1,0,3
	total,22,41,12,3,5
	EOT
	test_cmp expect got
'

test_expect_success 'the month line of 2026Q4: December empty so far' '
	report --period 2026Q4 --part month >got &&
	cat >expect <<-\EOT &&
	month,cases,persons,resolved,overdue_in_period,overdue_now
	2026-10,10,16,5,0,0
	2026-11,8,11,0,3,2
	2026-12,0,0,0,0,0
	total,18,27,5,3,2
	EOT
	test_cmp expect got
'

test_expect_success 'periods: last, a half-year, a month, a year, a range' '
	report --period 2026Q3 >q3 &&
	report --period last >got && test_cmp q3 got &&
	PETITION_TODAY=2026-10-01 petition report quarter --period last --format csv >expect &&
	PETITION_TODAY=2026-10-01 petition report quarter --period 2026Q3 --format csv >got &&
	test_cmp expect got && head -1 got | grep -q "^A 单位汇总 2026Q3" &&
	PETITION_TODAY=2026-02-10 petition report quarter --period last --part month --format csv | tr -d "\r" >got &&
	test "$(cut -d, -f1 got | tr "\n" " ")" = "month 2025-10 2025-11 2025-12 total " &&
	report --period 2026H1 --part month >got &&
	cat >expect <<-\EOT &&
	month,cases,persons,resolved,overdue_in_period,overdue_now
	2026-01,0,0,0,0,0
	2026-02,0,0,0,0,0
	2026-03,0,0,0,0,0
	2026-04,0,0,0,0,0
	2026-05,0,0,0,0,0
	2026-06,1,1,0,0,1
	total,1,1,0,0,1
	EOT
	test_cmp expect got &&
	report --period 2026-09 --part D >got &&
	cat >expect <<-\EOT &&
	channel,label,cases,persons
	visit,来访,2,7
	letter,来信,2,2
	phone,来电,0,0
	email,电子邮件,1,1
	fax,传真,1,1
	online,网上,0,0
	transfer,上级转送,2,4
	hotline,12351热线,0,0
	total,合计,8,15
	EOT
	test_cmp expect got &&
	report --period 2026 --part D >got &&
	grep -q "^total,合计,41,69$" got &&
	report --from 2026-09-28 --to 2026-10-09 --part month >got &&
	cat >expect <<-\EOT &&
	month,cases,persons,resolved,overdue_in_period,overdue_now
	2026-09,2,3,0,0,1
	2026-10,2,7,2,0,0
	total,4,10,2,0,1
	EOT
	test_cmp expect got &&
	report --from 2026-09-28 --to 2026-10-09 --part A >got &&
	grep -q "^total,合计,,0,0,0,0,0,4,10," got
'

test_expect_success 'a period that is not one is a usage error' '
	for p in 2026Q5 2026Q0 26Q1 2026H3 2026-13 2026-7 20261 lastyear 2026q3; do
		test_expect_code 64 petition report quarter --period "$p" 2>err &&
		grep -q "petition-report: --period" err || { echo "--period $p"; exit 1; }
	done &&
	test_expect_code 64 petition report quarter --from 2026-10-01 2>err &&
	grep -q "petition-report: --from and --to go together" err &&
	test_expect_code 64 petition report quarter --from 2026-10-01 --to 2026-09-30 2>err &&
	grep -q "petition-report: --to is before --from" err &&
	test_expect_code 64 petition report quarter --from 2026-02-30 --to 2026-03-01 2>err &&
	grep -q "petition-report: --from .2026-02-30. is not a date" err &&
	test_expect_code 64 petition report quarter --period 2026Q3 --from 2026-07-01 --to 2026-07-02 2>err &&
	test_expect_code 64 petition report quarter --part E 2>err &&
	grep -q "petition-report: --part is A, B, C, D, month or typical" err &&
	test_expect_code 64 petition report quarter --unit 不存在 2>err &&
	grep -q "petition-report: --unit: .不存在. is not a unit in the rules" err &&
	test_expect_code 64 petition report quarter --dry-run 2>err &&
	test_expect_code 64 petition report 2>err &&
	test_expect_code 66 petition report quarter --db missing.db 2>err
'

test_expect_success 'a database that cannot be read, and bad rules' '
	mkdir dir.db &&
	test_expect_code 73 petition report quarter --db dir.db 2>err &&
	grep -q "database dir.db is a directory" err &&
	printf "%0100d\n" 0 >junk.db && chmod 600 junk.db &&
	test_expect_code 74 petition report quarter --db junk.db 2>err &&
	grep -q "not a database" err &&
	printf "version: 1\noffice: [\n" >bad.yaml &&
	test_expect_code 78 petition report quarter --rules bad.yaml 2>err &&
	grep -q "^petition-report: bad.yaml:" err
'

test_expect_success '--unit: the unit and the units below it, its leaders' '
	report --period 2026Q3 --part A --unit 兰山区总工会 >got &&
	sed -n "1p;3p" <<-\EOT >expect &&
	unit,name,level,days_required,days_planned,days_held,months_below,leaders_received,cases,persons,at_reception,collective_cases,collective_persons,repeat,skip_level,transferred_in,named_letters,instructed_by_named,instructed_by_other,resolved,supported,partly_supported,explained,not_supported,in_progress,rejected,transferred_out,returned,handed_down,objections,extended,overdue_now,overdue_in_period,review_requests,rereview_requests,reviews_handled,rereviews_handled,satisfied,basically_satisfied,dissatisfied,not_asked,important,meetings,resolved_pct,satisfied_pct
	-
	LSQ,兰山区总工会,县级,6,3,3,2,2,7,14,2,1,8,0,0,0,0,0,0,5,3,1,1,0,1,1,0,0,0,0,0,1,1,0,0,0,0,2,1,0,2,0,0,71.4,100.0
	EOT
	echo "total,合计,,6,3,3,2,2,7,14,2,1,8,0,0,0,0,0,0,5,3,1,1,0,1,1,0,0,0,0,0,1,1,0,0,0,0,2,1,0,2,0,0,71.4,100.0" >>expect &&
	test_cmp expect got &&
	report --period 2026Q3 --part B --unit LSQ >got &&
	test "$(cut -d, -f1 got | tr "\n" " ")" = "leader 陈立新 周敏 " &&
	report --period 2026Q3 --part A --unit LYS >got &&
	test "$(cut -d, -f1 got | tr "\n" " ")" = "unit LYS LSQ LZQ HDQ YNX TCX YSX LLX FX PYX JNX MYX LSX GXQ JKQ LGQ MSGW LKJT total " &&
	echo "HDQ,河东区总工会,县级,6,0,0,3,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,," >hdq &&
	grep -qxF -f hdq got &&
	tail -1 got >total && grep -q "^total,合计,,108,9,8,51,5,22,41," total
'

test_expect_success 'every part at once: titles, one BOM; JSON one object, empty rates null' '
	petition report quarter --period 2026Q3 --format csv --bom >all &&
	test "$(grep -c "$(printf "\357\273\277")" all)" -eq 1 &&
	tr -d "\r" <all | sed "1s/^\xef\xbb\xbf//" >all.txt &&
	test "$(grep -n "^[A-D] \|^month " all.txt | cut -d: -f1 | tr "\n" " ")" = "1 8 18 36 48 " &&
	report --period 2026Q3 --part C >c.csv && sed -n "19,34p" all.txt >got && test_cmp c.csv got &&
	petition report quarter --period 2026Q3 --format json >all.json &&
	test "$(sqlite3 :memory: "SELECT json_valid(readfile(\"all.json\"))")" = 1 &&
	test "$(sqlite3 :memory: "SELECT json_extract(readfile(\"all.json\"), \"\$.A[3].resolved_pct\")")" = 54.5 &&
	test "$(sqlite3 :memory: "SELECT json_type(readfile(\"all.json\"), \"\$.A[0].skip_level\")")" = integer &&
	test "$(sqlite3 :memory: "SELECT json_extract(readfile(\"all.json\"), \"\$.period\")")" = 2026Q3 &&
	petition report quarter --period 2026Q4 --unit LZQ --part A --format json >lzq.json &&
	test "$(sqlite3 :memory: "SELECT json_type(readfile(\"lzq.json\"), \"\$[0].satisfied_pct\")")" = null &&
	test "$(sqlite3 :memory: "SELECT json_type(readfile(\"lzq.json\"), \"\$[0].resolved_pct\")")" = real &&
	test "$(sqlite3 :memory: "SELECT json_type(readfile(\"lzq.json\"), \"\$[0].cases\")")" = integer &&
	petition report quarter --period 2025Q1 --part A --format json >empty.json &&
	test "$(sqlite3 :memory: "SELECT json_array_length(readfile(\"empty.json\"))")" = 2 &&
	test "$(sqlite3 :memory: "SELECT json_type(readfile(\"empty.json\"), \"\$[1].resolved_pct\")")" = null &&
	petition report quarter --period 2026Q3 --part A --format table >table &&
	grep -q "^total  *合计" table &&
	petition report quarter --period 2026Q3 --format csv >utf8 &&
	petition report quarter --period 2026Q3 --format csv --encoding gb18030 >gb &&
	! cmp -s utf8 gb && iconv -f GB18030 -t UTF-8 gb >got && test_cmp utf8 got
'

# The 越级 flag (set by intake, which these cases do not need) and corrections of the repeat
# flag (repeat_marked, as petition case repeat writes them), in a copy edited behind the
# toolkit's back (so its log does not replay: replay_skip).
replay_skip="later.db"
later_sql="
UPDATE petitions SET skip_level = 1 WHERE id IN (6, 21, 22);
INSERT INTO events (at, operator, program, kind, petition_id, data, prev_hash, hash) VALUES
('2026-11-01T00:00:00Z', 't', 'petition-case', 'repeat_marked', 13, '{\"on\":\"2026-11-01\",\"repeat\":true}', 'a', 'b'),
('2026-11-01T00:00:00Z', 't', 'petition-case', 'repeat_marked', 35, '{\"on\":\"2026-11-01\",\"repeat\":false}', 'b', 'c');"
test_expect_success '越级 and corrected repeat flags are counted' '
	cp petition.db later.db &&
	sqlite3 later.db "$later_sql" &&
	petition report quarter --db later.db --period 2026Q3 --part A --format csv | tr -d "\r" | cut -d, -f1,14,15 >got &&
	cat >expect <<-\EOT &&
	unit,repeat,skip_level
	LYS,0,1
	LSQ,1,0
	LZQ,0,2
	total,1,3
	EOT
	test_cmp expect got &&
	petition report quarter --db later.db --period 2026Q4 --part A --format csv | tr -d "\r" | cut -d, -f1,14,15 >got &&
	cat >expect <<-\EOT &&
	unit,repeat,skip_level
	LYS,0,0
	LSQ,0,0
	LZQ,0,0
	total,0,0
	EOT
	test_cmp expect got
'

root=false
[ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null && root=true
# as_other CMD...: run CMD as another user when root, else as ourselves.
as_other() {
	if $root; then setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; else "$@"; fi
}

test_expect_success 'a read-only database on a read-only medium still reports' '
	report --period 2026Q3 >expect &&
	mkdir medium && cp petition.db medium/ && chmod 444 medium/petition.db && chmod 555 medium && chmod 755 . &&
	as_other petition report quarter --db medium/petition.db --period 2026Q3 --format csv >out &&
	tr -d "\r" <out >got &&
	test_cmp expect got &&
	! test -e medium/petition.db-shm &&
	chmod 755 medium
'

test_done
