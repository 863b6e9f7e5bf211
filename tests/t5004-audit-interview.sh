#!/bin/sh
# petition audit interview (issue 11, item 3): the interview list (约谈名单) of a period on a
# hand-built database where each threshold is reached by one unit (broken) and not by
# another (kept), and the petitioners to visit (重点约访); everything counted by hand.
#
# The rules: the default, with leaders of 兰山区 (LSQ: 县主席 principal, 县副主席 in charge of
# 劳动报酬) and 罗庄区 (LZQ: 罗主席 principal, 罗副主席 in charge of 社会保险), and thresholds
# skip_level 2, dissatisfied 2, reviews 2, overdue 2, shuffled 1, findings 2.
# Today is 2026-11-28; the period 2026Q3 (07-01..09-30). The cases, by number (the order
# of intake), each received in the quarter:
#   1 LYS-2026-000001 吴德福 劳动报酬, received by LYS, competent LSQ: 越级; rejected, referred
#   2 LYS-2026-000002 周建华 劳动报酬, the same: 越级 of LSQ's area
#   3 LYS-2026-000003 郑秀兰 社会保险, competent LZQ: 越级 of LZQ's area
#   4 LZQ-2026-000001 钱秀英 社会保险: answered, 不满意, review asked of LYS (one level up),
#     decided and delivered in time
#   5 LZQ-2026-000002 孙立国 社会保险: the same
#   6 LSQ-2026-000001 赵长江 劳动报酬: answered, 不满意, review asked
#   7 LYS-2026-000004 冯刚 其他, 09-20, never accepted: its 15 days end 10-05, in 国庆节
#     (10-01..07), so 10-08: overdue today, not in the quarter
#   8 LYS-2026-000005 陈静 其他, 09-21: the same
#   9 LSQ-2026-000002 褚明 工时休假, 07-01, never accepted: due 07-16, overdue today and a
#     finding (LAW-route) of the quarter
#  10 LYS-2026-000006 卫东 其他: sent to another body, reopened, sent to a third: transferred
#     twice (推诿扯皮)
#  11 LZQ-2026-000003 蒋红 困难帮扶: sent to another body once
#  12 LZQ-2026-000004 钱秀英 again, the same ID number, employer and category as case 4:
#     a repeat (同人同事); answered
# Every answered case is accepted, resolved and delivered within its limits.
# audit check finds, for 2026Q3: LYS (the office, whose days are kept here) no reception day
# held in July, August, September (R2.1-reception-days, 3) and none planned
# (R3.2-reception-plan, 1): 4, naming 王建国; LSQ the 15 days of case 9 (LAW-route): 1,
# naming 县主席; LZQ none. And each of the 17 county unions below LYS in the default rules
# owes LYS its 2026Q3 report by 2026-10-20 (10 working days from 09-30: 10-01..07 off, then
# 10-08, 09, the make-up Saturday 10-10, 12..16, 19, 20) and none was received
# (R3.3-lower-report, one each, naming the county's principal where the rules have one):
# LSQ's findings are 2, LZQ's 1, every other county's 1.
#
# The counts (skip_level, dissatisfied, reviews, overdue, shuffled, findings):
#   LYS 0 0 0 2 1 4: overdue 2≥2, shuffled 1≥1, findings 4≥2: 3 reached, sum 7
#   LSQ 2 1 1 1 0 2: skip_level, findings: 2 reached, sum 7 (dissatisfied, reviews, overdue kept)
#   LZQ 1 2 2 0 0 1: dissatisfied, reviews: 2 reached, sum 6 (skip_level 1 < 2, findings 1 < 2: kept)
#   the other counties 0 0 0 0 0 1: none reached
# so LYS, LSQ, LZQ (LSQ before LZQ by the sum). Leaders: 罗副主席 (社会保险 of LZQ: cases 3, 4, 5) 1 2 2 0 0 0, 2 reached;
# 刘志强 (其他 of LYS: 7, 8, 10) 0 0 0 2 1 0, 2 reached, sum 3; 县副主席 (劳动报酬 of LSQ: 1, 2,
# 6) 2 1 1 0 0 0, 1 reached, sum 4; 王建国 (the findings of LYS) 4, 1 reached, sum 4, after
# 县副主席 in the order of the rules; 县主席 (case 9, no one's charge, and its two findings)
# 0 0 0 1 0 2: findings 2≥2, 1 reached, sum 3: last; 罗主席 (LZQ's finding) 1: not listed.
# Petitioners: 钱秀英 不满意 1 and a repeat 1 (two kinds) first; then one kind each, by their
# first case: 吴德福, 周建华, 郑秀兰 (越级), 孙立国, 赵长江 (不满意).
. "$(dirname "$0")/lib.sh"

# interview ARGS...: the list as TSV without the header.
interview() { petition audit interview --format tsv "$@" >out 2>err; s=$?; sed 1d out >got; return $s; }

# answered N DAY: case N accepted on DAY, answered 支持 two days later, delivered the day after.
answered() {
	n=$(date -d "$2" +%s) &&
	petition case accept -q "$1" --on "$2" >/dev/null &&
	petition case resolve -q "$1" --outcome 支持 --text 已处理 --on "$(date -d "@$((n + 2 * 86400))" +%F)" >/dev/null &&
	petition case deliver -q "$1" --how 邮寄 --on "$(date -d "@$((n + 3 * 86400))" +%F)" >/dev/null
}

new() { petition intake -q --channel 来访 "$@" >/dev/null; }

test_expect_success 'setup: county leaders, thresholds, twelve cases' '
	petition init -q &&
	sed -e "s/^leaders:/leaders:\n  - { name: 县主席, unit: LSQ, principal: true }\n  - { name: 县副主席, unit: LSQ, charge: [劳动报酬] }\n  - { name: 罗主席, unit: LZQ, principal: true }\n  - { name: 罗副主席, unit: LZQ, charge: [社会保险] }/" \
	    -e "/^interview:/,/^\$/ { s/skip_level: 1/skip_level: 2/; s/dissatisfied: 3/dissatisfied: 2/; s/overdue: 3/overdue: 2/; s/findings: 3/findings: 2/; }" \
	    "$TEST_SRC/../examples/rules.yaml" >levels.yaml &&
	petition rules load -q levels.yaml &&
	new --received-on 2026-07-06 --petitioner 吴德福 --category 劳动报酬 --summary 欠薪 --competent-unit LSQ &&
	new --received-on 2026-07-08 --petitioner 周建华 --category 劳动报酬 --summary 欠薪 --competent-unit LSQ &&
	new --received-on 2026-07-10 --petitioner 郑秀兰 --category 社会保险 --summary 社保 --competent-unit LZQ &&
	new --unit LZQ --received-on 2026-07-13 --petitioner 钱秀英 --id-number 11010519491231002X \
		--employer 某物流公司 --category 社会保险 --summary 社保断缴 &&
	new --unit LZQ --received-on 2026-07-15 --petitioner 孙立国 --category 社会保险 --summary 社保 &&
	new --unit LSQ --received-on 2026-07-16 --petitioner 赵长江 --category 劳动报酬 --summary 欠薪 &&
	new --received-on 2026-09-20 --petitioner 冯刚 --category 其他 --summary 其他 &&
	new --received-on 2026-09-21 --petitioner 陈静 --category 其他 --summary 其他 &&
	new --unit LSQ --received-on 2026-07-01 --petitioner 褚明 --category 工时休假 --summary 加班 &&
	new --received-on 2026-07-20 --petitioner 卫东 --category 其他 --summary 其他 &&
	new --unit LZQ --received-on 2026-07-22 --petitioner 蒋红 --category 困难帮扶 --summary 困难 &&
	new --unit LZQ --received-on 2026-08-01 --petitioner 钱秀英 --id-number 11010519491231002X \
		--employer 某物流公司 --category 社会保险 --summary 社保仍未补缴 &&
	test "$(sqlite3 petition.db "SELECT group_concat(id, \" \") FROM petitions WHERE skip_level")" = "1 2 3" &&
	test "$(sqlite3 petition.db "SELECT group_concat(id, \" \") FROM petitions WHERE repeat")" = 12 &&
	for i in 1 2 3; do
		petition case reject -q LYS-2026-00000$i --reason 越级 --refer 属地工会 --on 2026-07-2$i >/dev/null || exit 1
	done &&
	answered LZQ-2026-000001 2026-07-14 && answered LZQ-2026-000002 2026-07-16 &&
	answered LSQ-2026-000001 2026-07-17 && answered LZQ-2026-000004 2026-08-03 &&
	for c in LZQ-2026-000001 LZQ-2026-000002 LSQ-2026-000001; do
		petition case satisfaction -q $c --level 不满意 --on 2026-07-25 >/dev/null &&
		petition case request-review -q $c --unit LYS --text 不服 --on 2026-07-26 >/dev/null &&
		petition case review -q $c --outcome 维持 --text 维持 --on 2026-08-05 >/dev/null &&
		petition case deliver -q $c --how 邮寄 --on 2026-08-06 >/dev/null || exit 1
	done &&
	PETITION_TODAY=2026-07-21 petition route -q transfer LYS-2026-000006 --body 市人社局 >/dev/null &&
	petition case reopen -q LYS-2026-000006 --reason 人社局退回 --on 2026-07-23 >/dev/null &&
	PETITION_TODAY=2026-07-24 petition route -q transfer LYS-2026-000006 --body 市司法局 >/dev/null &&
	PETITION_TODAY=2026-07-23 petition route -q transfer LZQ-2026-000003 --body 市民政局 >/dev/null
'

test_expect_success 'audit check gives the findings counted above' '
	test_expect_code 1 petition audit check --period 2026Q3 --format tsv >check &&
	cut -f1,3,4 check | sed 1d >got &&
	printf "%s\t%s\t%s\n" R2.1-reception-days LYS 王建国 R2.1-reception-days LYS 王建国 R2.1-reception-days LYS 王建国 \
		LAW-route LSQ 县主席 R3.2-reception-plan LYS 王建国 \
		R3.3-lower-report LSQ 县主席 R3.3-lower-report LZQ 罗主席 >expect &&
	for u in HDQ YNX TCX YSX LLX FX PYX JNX MYX LSX GXQ JKQ LGQ MSGW LKJT; do
		printf "R3.3-lower-report\t%s\t\n" $u >>expect || return 1
	done &&
	test_cmp expect got
'

test_expect_success 'units, leaders and petitioners, ranked, with their counts and cases' '
	test_expect_code 1 interview --period 2026Q3 &&
	cat >expect <<-\EOT &&
	1	unit	LYS	临沂市总工会	0	0	0	2	1	4		逾期 2≥2；推诿扯皮 1≥1；检查问题 4≥2（R2.1-reception-days R3.2-reception-plan）	LYS-2026-000004 LYS-2026-000005 LYS-2026-000006
	2	unit	LSQ	兰山区总工会	2	1	1	1	0	2		越级 2≥2；检查问题 2≥2（LAW-route R3.3-lower-report）	LYS-2026-000001 LYS-2026-000002 LSQ-2026-000001 LSQ-2026-000002
	3	unit	LZQ	罗庄区总工会	1	2	2	0	0	1		不满意 2≥2；复查复核 2≥2	LYS-2026-000003 LZQ-2026-000001 LZQ-2026-000002
	1	leader	LZQ	罗副主席	1	2	2	0	0	0		不满意 2≥2；复查复核 2≥2	LYS-2026-000003 LZQ-2026-000001 LZQ-2026-000002
	2	leader	LYS	刘志强	0	0	0	2	1	0		逾期 2≥2；推诿扯皮 1≥1	LYS-2026-000004 LYS-2026-000005 LYS-2026-000006
	3	leader	LSQ	县副主席	2	1	1	0	0	0		越级 2≥2	LYS-2026-000001 LYS-2026-000002 LSQ-2026-000001
	4	leader	LYS	王建国	0	0	0	0	0	4		检查问题 4≥2（R2.1-reception-days R3.2-reception-plan）	
	5	leader	LSQ	县主席	0	0	0	1	0	2		检查问题 2≥2（LAW-route R3.3-lower-report）	LSQ-2026-000002
	1	petitioner	LZQ	钱秀英	0	1					1	不满意 1；重复信访 1	LZQ-2026-000001 LZQ-2026-000004
	2	petitioner	LYS	吴德福	1	0					0	越级 1	LYS-2026-000001
	3	petitioner	LYS	周建华	1	0					0	越级 1	LYS-2026-000002
	4	petitioner	LYS	郑秀兰	1	0					0	越级 1	LYS-2026-000003
	5	petitioner	LZQ	孙立国	0	1					0	不满意 1	LZQ-2026-000002
	6	petitioner	LSQ	赵长江	0	1					0	不满意 1	LSQ-2026-000001
	EOT
	test_cmp expect got &&
	grep -q "14 listed" err
'

test_expect_success '--unit: the unit (and the 越级 of its area), its leaders, its petitioners' '
	test_expect_code 1 interview --period 2026Q3 --unit 罗庄区总工会 &&
	cut -f1-4 got >names &&
	printf "%s\t%s\t%s\t%s\n" 1 unit LZQ 罗庄区总工会 1 leader LZQ 罗副主席 2 leader LZQ 罗主席 \
		1 petitioner LZQ 钱秀英 2 petitioner LZQ 孙立国 >expect &&
	test_cmp expect names
'

test_expect_success '--redact masks the petitioners'"'"' names' '
	test_expect_code 1 interview --period 2026Q3 --redact &&
	grep "^1	petitioner" got | cut -f4 >name &&
	echo "钱**" >expect &&
	test_cmp expect name
'

test_expect_success 'thresholds of 0 list no unit or leader; no case, no petitioner: exit 0' '
	sed "/^interview:/,/^\$/ s/: [0-9]*\$/: 0/" levels.yaml >zero.yaml &&
	interview --period 2026Q3 --rules zero.yaml || test $? -eq 1 &&
	test "$(cut -f2 got | sort -u)" = petitioner &&
	interview --period 2026Q1 --rules zero.yaml &&
	test ! -s got &&
	grep -q "0 listed" err
'

test_expect_success 'the interview section: an unknown key, a wrong value' '
	sed "s/^  shuffled: 1/  shufled: 1/" levels.yaml >bad.yaml &&
	test_expect_code 78 petition audit interview --rules bad.yaml --period 2026Q3 2>err &&
	grep -q "bad.yaml:[0-9]*:[0-9]*: .*shufled" err &&
	sed "s/^  overdue: 2/  overdue: -1/" levels.yaml >bad.yaml &&
	test_expect_code 78 petition audit interview --rules bad.yaml --period 2026Q3 2>err &&
	grep -q "bad.yaml:[0-9]*:[0-9]*: .*overdue" err
'

test_expect_success 'usage errors: a period that is none, a unit not in the rules, an operand' '
	test_expect_code 64 petition audit interview --period 2026Q5 2>err &&
	grep -q "petition-audit: --period" err &&
	test_expect_code 64 petition audit interview --unit 不存在 2>err &&
	grep -q "not a unit in the rules" err &&
	test_expect_code 64 petition audit interview LYS 2>err &&
	test_expect_code 66 petition audit interview --db none.db 2>err
'

test_done
