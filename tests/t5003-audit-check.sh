#!/bin/sh
# petition audit check (issue 11, item 2): the duties of 临会办〔2014〕36号, each rule broken
# once and kept once on a hand-built database; the findings counted by hand.
. "$(dirname "$0")/lib.sh"

# The findings without their basis (column 2), as TSV without the header.
check() { petition audit check --format tsv "$@" >out 2>err; s=$?; sed 1d out | cut -f1,3-7 >got; return $s; }
add() { petition schedule add -q "$@" >/dev/null 2>&1; }

# Today is Sat 2026-11-28: a finding is to be corrected by 2026-12-28 (30 days).
# 2026Q3 is 07-01..09-30, its three months all over. 兰山区 (LSQ, county, 2 days a month):
# July held 2 (kept); August 1 held and 1 cancelled (broken: 1 held); September 2 held, one
# of them without a place (broken once), and 09-15 planned and never marked (broken once).
# 罗庄区 (LZQ) has a leader and no principal, and plans nothing (broken twice).
test_expect_success 'setup: county leaders, reception days, a meeting, two named letters' '
	petition init -q &&
	sed -e "s/^leaders:/leaders:\n  - { name: 县主席, unit: LSQ, principal: true }\n  - { name: 县副主席, unit: LSQ }\n  - { name: 罗副主席, unit: LZQ }/" \
	    "$TEST_SRC/../examples/rules.yaml" >levels.yaml &&
	petition rules load -q levels.yaml &&
	add --unit LSQ --day 2026-07-07 --leader 县主席 --place 接待室 &&
	add --unit LSQ --day 2026-07-09 --leader 县副主席 --place 接待室 &&
	add --unit LSQ --day 2026-08-04 --leader 县主席 --place 接待室 &&
	add --unit LSQ --day 2026-08-06 --leader 县副主席 --place 接待室 &&
	add --unit LSQ --day 2026-09-08 --leader 县主席 --place 接待室 &&
	add --unit LSQ --day 2026-09-10 --leader 县副主席 &&
	add --unit LSQ --day 2026-09-15 --leader 县主席 --place 接待室 &&
	add --unit LSQ --day 2026-06-16 --kind meeting --place 会议室 &&
	for i in 1 2 3 5 6 8; do petition schedule held -q $i || exit 1; done &&
	petition schedule cancel -q 4 --reason 改期 &&
	test "$(sqlite3 petition.db "SELECT group_concat(state, \" \") FROM receptions ORDER BY id")" = \
		"held held held cancelled held held planned held" &&
	petition intake -q --received-on 2026-09-01 --channel 来信 --petitioner 钱秀英 --category 社会保险 \
		--summary 养老保险未缴 --addressed-to 张海燕 >/dev/null &&
	petition intake -q --received-on 2026-09-01 --channel 来信 --petitioner 孙立国 --category 社会保险 \
		--summary 医保断缴 --addressed-to 张海燕 >/dev/null &&
	petition route -q LYS-2026-000001 >/dev/null && petition route -q LYS-2026-000002 >/dev/null &&
	petition case instruct -q LYS-2026-000001 --by 王建国 --text 阅 --force --reason 出差 --on 2026-09-03 >/dev/null &&
	petition case instruct -q LYS-2026-000002 --by 张海燕 --text 阅 --on 2026-09-03 >/dev/null
'

# The city database received no county's 2026Q3 report. Its deadline (quarterly_report: 10
# working days from the quarter's end, 2026-09-30): 10-01..07 are the National Day holiday,
# then 10-08 (1), 10-09 (2), Saturday 10-10 a make-up working day (3), 10-12..16 (4-8),
# 10-19 (9), 10-20 (10); passed by today, 2026-11-28.
q3_not_received="2026Q3: the quarterly report of this lower unit due 2026-10-20 was not received"

test_expect_success 'a county union: days held below the minimum, a day never marked, a day without its place' '
	test_expect_code 1 check --period 2026Q3 --unit LSQ &&
	printf "%s\t%s\t%s\t%s\t%s\t%s\n" \
		R2.1-reception-days LSQ 县主席 "" "2026-08: 1 reception day held, 2 required" 2026-12-28 \
		R2.1-reception-unmarked LSQ 县主席 "" "reception day 2026-09-15 (id 7) planned, never marked held or cancelled" 2026-12-28 \
		R2.1-reception-fixed LSQ 县副主席 "" "reception day 2026-09-10 (id 6) without its place or form" 2026-12-28 \
		R3.3-lower-report LSQ 县主席 "" "$q3_not_received" 2026-12-28 >expect &&
	test_cmp expect got &&
	grep -q "4 findings" err
'

test_expect_success 'days are asked only of units whose days this database keeps, or the unit named' '
	check --period 2026Q3 || test $? -eq 1 &&
	cut -f1,2 got | grep "^R2.1-reception-days" | cut -f2 | sort -u >units &&
	printf "%s\n" LSQ LYS >expect &&
	test_cmp expect units
'

test_expect_success 'a unit with a leader and no principal, and no reception day planned' '
	test_expect_code 1 check --period 2026Q3 --unit 罗庄区总工会 &&
	printf "%s\t%s\t%s\t%s\t%s\t%s\n" \
		R2.1-reception-days LZQ "" "" "2026-07: 0 reception days held, 2 required" 2026-12-28 \
		R2.1-reception-days LZQ "" "" "2026-08: 0 reception days held, 2 required" 2026-12-28 \
		R2.1-reception-days LZQ "" "" "2026-09: 0 reception days held, 2 required" 2026-12-28 \
		R3.2-principal LZQ "" "" "1 leader in the rules, none of them the principal leader (主要负责同志)" 2026-12-28 \
		R3.2-reception-plan LZQ "" "" "no reception day planned from 2026-07-01 to 2026-09-30" 2026-12-28 \
		R3.3-lower-report LZQ "" "" "$q3_not_received" 2026-12-28 >expect &&
	test_cmp expect got
'

# 2026Q2 ends 06-30, the first half-year: 兰山区 held its meeting on 06-16, 罗庄区 none.
test_expect_success 'the coordination group meets each half-year' '
	{ check --period 2026Q2 --unit LSQ; test $? -le 1; } &&
	! grep -q R3.1-meeting got &&
	{ check --period 2026Q2 --unit LZQ; test $? -le 1; } &&
	grep "^R3.1-meeting" got >meet &&
	printf "%s\t%s\t%s\t%s\t%s\t%s\n" R3.1-meeting LZQ "" "" "2026 H1: no coordination-group meeting held" 2026-12-28 >expect &&
	test_cmp expect meet &&
	{ check --period 2026-05 --unit LZQ; test $? -le 1; } &&
	! grep -q R3.1-meeting got &&
	{ check --period 2026Q3 --unit LZQ; test $? -le 1; } &&
	! grep -q R3.1-meeting got
'

test_expect_success 'a named letter instructed by another under --force: the named leader, the case' '
	{ check --period 2026Q3 --unit LYS; test $? -le 1; } &&
	grep "^R2.2" got >forced &&
	printf "%s\t%s\t%s\t%s\t%s\t%s\n" R2.2-forced LYS 张海燕 LYS-2026-000001 \
		"1 named letter(s) instructed by another leader under --force from 2026-07-01 to 2026-09-30" 2026-12-28 >expect &&
	test_cmp expect forced &&
	{ check --period 2026-08 --unit LYS; test $? -le 1; } &&
	! grep -q R2.2 got
'

# Four cases transferred from above (上级转送), 企业改制: 李文华 supervises (step 1). The handle
# limit is 60 calendar days from acceptance: accepted Mon 09-28, Sep 29..30 are days 1..2,
# Oct 1..31 days 3..33, Nov 1..27 days 34..60: due Fri 11-27, over on Sat 11-28. Accepted
# Tue 09-29: day 60 is Sat 11-28, a rest day, so due Mon 11-30, not over.
# 3: resolved, its supervise step never done by 李文华 (resolving marks it done): broken.
# 4: 李文华 did the step (带案下访): kept. 5: accepted 09-28, open: broken. 6: 09-29: kept.
test_expect_success 'transferred from above: supervised or taken down, once resolved or past the limit' '
	for nd in 3:09-01 4:09-01 5:09-28 6:09-29; do
		n=${nd%%:*} d=${nd#*:}
		petition intake -q --received-on 2026-$d --channel 上级转送 --petitioner 周建华$n --category 企业改制 \
			--summary "改制 $n" --source-ref "鲁工信转〔2026〕$n号" >/dev/null || exit 1
	done &&
	for c in 3 4 5 6; do petition route -q LYS-2026-00000$c >/dev/null || exit 1; done &&
	petition case accept -q LYS-2026-000003 --on 2026-09-03 >/dev/null &&
	petition case resolve -q LYS-2026-000003 --outcome 解释 --text 已解释 --on 2026-09-25 >/dev/null &&
	petition case accept -q LYS-2026-000004 --on 2026-09-03 >/dev/null &&
	petition case done -q LYS-2026-000004 --step 1 --note 带案下访 --on 2026-09-20 >/dev/null &&
	petition case resolve -q LYS-2026-000004 --outcome 解释 --text 已解释 --on 2026-09-25 >/dev/null &&
	petition case accept -q LYS-2026-000005 --on 2026-09-28 >/dev/null &&
	petition case accept -q LYS-2026-000006 --on 2026-09-29 >/dev/null &&
	test "$(sqlite3 petition.db "SELECT group_concat(state, \" \") FROM petitions WHERE id > 2 ORDER BY id")" = \
		"resolved resolved accepted accepted" &&
	{ check --period 2026Q3 --unit LYS; test $? -le 1; } &&
	grep "^R2.3" got >down &&
	printf "%s\t%s\t%s\t%s\t%s\t%s\n" R2.3-down-visit LYS 李文华 "LYS-2026-000003 LYS-2026-000005" \
		"2 case(s) transferred from above or important, not supervised nor taken down, received from 2026-07-01 to 2026-09-30" \
		2026-12-28 >expect &&
	test_cmp expect down &&
	{ check --period 2026-10 --unit LYS; test $? -le 1; } &&
	! grep -q R2.3 got
'

# The limits of the law, and the delivery of replies, whose due day is in the period:
# route, 15 calendar days from receipt, met by the written notice (accepting): received Tue
# 09-01, due Wed 09-16. Case 1 never notified: not met; case 2 accepted Sun 09-20: met late;
# 3..6 accepted in time. handle, 60 calendar days from acceptance: case 2 from 09-20 (Sep
# 21..30 days 1..10, Oct 11..41, Nov 1..19 42..60) due Thu 11-19, case 5 due Fri 11-27 (above):
# both open, not met; case 6 due 11-30, after today. deliver, 5 working days from resolving:
# 3 and 4 resolved Fri 09-25 (中秋, a rest day): 09-28, 29, 30, then 国庆 to 10-07, 10-08, 10-09:
# due Fri 10-09, never delivered. The second quarter has none of these.
test_expect_success 'limits of the law missed: met late or not met, by unit and limit' '
	petition case accept -q LYS-2026-000002 --on 2026-09-20 >/dev/null &&
	{ check --period 2026Q3 --unit LYS; test $? -le 1; } &&
	grep "^LAW" got >law &&
	printf "%s\t%s\t%s\t%s\t%s\t%s\n" LAW-route LYS 王建国 "LYS-2026-000001 LYS-2026-000002" \
		"2 case(s) whose limit 转送、交办或书面告知是否受理 (15 calendar days) fell due from 2026-07-01 to 2026-09-30: 1 met late, 1 not met" \
		2026-12-28 >expect &&
	test_cmp expect law &&
	grep "^LAW-route	信访工作条例第二十二条、第二十三条	" out &&
	{ check --period 2026Q4 --unit LYS; test $? -le 1; } &&
	grep "^LAW" got >law &&
	printf "%s\t%s\t%s\t%s\t%s\t%s\n" LAW-handle LYS 王建国 "LYS-2026-000002 LYS-2026-000005" \
		"2 case(s) whose limit 办理 (60 calendar days) fell due from 2026-10-01 to 2026-12-31: 0 met late, 2 not met" \
		2026-12-28 \
		LAW-deliver LYS 王建国 "LYS-2026-000003 LYS-2026-000004" \
		"2 case(s) whose limit 答复意见送达 (5 working days) fell due from 2026-10-01 to 2026-12-31: 0 met late, 2 not met" \
		2026-12-28 >expect &&
	test_cmp expect law &&
	{ check --period 2026Q2 --unit LYS; test $? -le 1; } &&
	! grep -q "^LAW" got
'

# The review window, 30 calendar days from delivery: case 3 delivered Mon 10-12, due Wed
# 11-11, closed 10-20 inside it: a notice. Case 4 delivered Mon 09-28, due Wed 10-28, closed
# Thu 10-29 after it: nothing.
test_expect_success 'a case closed inside the review window: a notice, nothing to correct' '
	petition case deliver -q LYS-2026-000003 --how 当面 --on 2026-10-12 >/dev/null &&
	petition case close -q LYS-2026-000003 --on 2026-10-20 >/dev/null &&
	petition case deliver -q LYS-2026-000004 --how 当面 --on 2026-09-28 >/dev/null &&
	petition case close -q LYS-2026-000004 --on 2026-10-29 >/dev/null &&
	{ check --period 2026Q4 --unit LYS; test $? -le 1; } &&
	grep "^NOTICE" got >notice &&
	printf "%s\t%s\t%s\t%s\t%s\t%s\n" NOTICE-closed-in-window LYS "" LYS-2026-000003 \
		"1 case(s) closed from 2026-10-01 to 2026-12-31 while the petitioner could still ask for a review: not a breach, a notice" \
		"" >expect &&
	test_cmp expect notice &&
	{ check --period 2026Q3 --unit LYS; test $? -le 1; } &&
	! grep -q "^NOTICE" got
'

# 21 letters received Mon 2026-05-04 and never routed nor answered: route due Tue 05-19.
test_expect_success 'at most 20 case numbers, then how many more' '
	i=0 && while [ $i -lt 21 ]; do
		i=$((i + 1))
		petition intake -q --received-on 2026-05-04 --channel 来信 --petitioner 冯$i --category 欠薪 \
			--summary "欠薪 $i" >/dev/null || exit 1
	done &&
	{ check --period 2026Q2 --unit LYS; test $? -le 1; } &&
	grep "^LAW-route" got | cut -f4 >cases &&
	echo "$(seq -f "LYS-2026-%06g" 7 26 | tr "\n" " ")… 1 more" >expect &&
	test_cmp expect cases &&
	grep -q "21 case(s) whose limit" got
'

test_expect_success 'rules without a petition department are refused before anything is checked: 78' '
	sed "/petition: true/d" levels.yaml >nodept.yaml &&
	test_expect_code 78 petition audit check --rules nodept.yaml --period 2026Q3 --unit LYS 2>err &&
	grep -q "exactly one department needs .petition: true." err
'

test_expect_success 'nothing found: exit 0, the header alone; a township is not asked for days' '
	sed -e "s/^units:/units:\n  - { code: ZHEN, name: 某镇工会, level: township, parent: LSQ }/" levels.yaml >zhen.yaml &&
	check --rules zhen.yaml --period 2026Q3 --unit ZHEN &&
	test "$(cat out)" = "$(printf "rule\tbasis\tunit\tleader\tcases\twhat\tcorrect_by")" &&
	grep -q "0 findings" err &&
	petition audit check -q --rules zhen.yaml --period 2026Q3 --unit ZHEN --format csv >out 2>err &&
	test ! -s err
'

test_expect_success 'periods: last is the quarter before today; --from/--to; the columns' '
	check --period last --unit LSQ; test $? = 1 &&
	grep -q "2026-08: 1 reception day held" got &&
	check --from 2026-08-01 --to 2026-08-31 --unit LSQ; test $? = 1 &&
	test "$(cut -f1,2,5 got)" = "$(printf "R2.1-reception-days\tLSQ\t2026-08: 1 reception day held, 2 required")" &&
	check --period 2026 --unit LSQ; test $? = 1 &&
	# January to October are over (November ends after today): all but July and September short
	test "$(grep -c "^R2.1-reception-days" got)" = 8 &&
	head -1 out | grep -q "^rule	basis	unit	leader	cases	what	correct_by$" &&
	petition audit check --period 2026Q3 --unit LSQ --format csv | sed -n 2p | grep -q "^R2.1-reception-days,二(一) 市、县（区）工会领导每月接访不少于2天"
'

test_expect_success 'usage errors: 64' '
	test_expect_code 64 petition audit check --period 2026Q5 2>err && grep -q -- "--period" err &&
	test_expect_code 64 petition audit check --period last --from 2026-01-01 --to 2026-02-01 &&
	test_expect_code 64 petition audit check --from 2026-01-01 &&
	test_expect_code 64 petition audit check --from 2026-02-01 --to 2026-01-01 &&
	test_expect_code 64 petition audit check --unit 无此单位 2>err && grep -q -- "--unit" err &&
	: "one character short of LSQ 兰山区总工会 (examples/rules.yaml): the rules name it" &&
	test_expect_code 64 petition audit check --unit 兰山区总工 2>err &&
	grep -q "petition-audit: --unit: .兰山区总工. is not a unit in the rules (petition rules show) (did you mean .兰山区总工会.?)" err &&
	test_expect_code 64 petition audit check --head 1:abc
'

test_expect_success 'it reads only' '
	db_dump >before &&
	petition audit check --period 2026 >/dev/null 2>&1;
	db_dump >after &&
	test_cmp before after
'

# Case 5 (accepted Mon 09-28, handle due Fri 11-27, above) extended by 10 days on 11-20: day 70
# is Mon 12-07, so its handling limit is not over on 11-28 and it is no longer a finding.
test_expect_success 'an extension moves the handling limit for R2.3 as it does for the deadlines' '
	petition case extend -q LYS-2026-000005 --reason 需补充材料 --approver 王建国 --days 10 --on 2026-11-20 >/dev/null &&
	test "$(petition schedule explain LYS-2026-000005 --format tsv | grep "^handle" | cut -f6)" = 2026-12-07 &&
	{ check --period 2026Q3 --unit LYS; test $? -le 1; } &&
	grep "^R2.3" got | cut -f4 >cases &&
	echo LYS-2026-000003 >expect &&
	test_cmp expect cases
'

# R2.2-open-letter: unnamed letters opened by the office's clerk within the rules' 2 working
# days (open_letter), counted from receipt, the day of receipt not counted. In letters.db:
#   LYS-2026-000001 received Wed 09-02: due Fri 09-04; opened Thu 09-03: kept
#   LYS-2026-000002 received Thu 09-03: Fri 09-04, Mon 09-07: due 09-07; opened 09-08: late
#   LYS-2026-000003 received Fri 09-04: Mon 09-07, Tue 09-08: due 09-08; never opened
#   LYS-2026-000004 received Mon 09-28: due Wed 09-30; accepted 09-29 unopened: that shows it
#     was opened, kept
#   LYS-2026-000005 a letter naming 张海燕, received 09-03, never opened: not an unnamed letter
#   LYS-2026-000006 received Tue 09-29: Wed 09-30, then 国庆节 10-01..07: due Thu 10-08, in
#     the next quarter
test_expect_success 'R2.2-open-letter: unnamed letters opened late or not at all' '
	petition init -q --db letters.db &&
	for d in 02 03 04 28; do
		petition intake -q --db letters.db --received-on 2026-09-$d --channel 来信 --petitioner 信$d \
			--category 其他 --summary 来信 >/dev/null || exit 1
	done &&
	petition intake -q --db letters.db --received-on 2026-09-03 --channel 来信 --petitioner 署名 \
		--category 其他 --summary 来信 --addressed-to 张海燕 >/dev/null &&
	petition intake -q --db letters.db --received-on 2026-09-29 --channel 来信 --petitioner 信29 \
		--category 其他 --summary 来信 >/dev/null &&
	petition case accept -q --db letters.db LYS-2026-000004 --on 2026-09-29 >/dev/null &&
	petition route -q --db letters.db >/dev/null &&
	petition case done -q --db letters.db LYS-2026-000001 --on 2026-09-03 >/dev/null &&
	petition case done -q --db letters.db LYS-2026-000002 --on 2026-09-08 >/dev/null &&
	test_expect_code 1 petition audit check --db letters.db --period 2026Q3 --format tsv >out &&
	grep "^R2.2-open-letter" out | cut -f1,3-7 >got &&
	printf "%s\t%s\t%s\t%s\t%s\t%s\n" R2.2-open-letter LYS 王建国 "LYS-2026-000002 LYS-2026-000003" \
		"2 case(s) whose limit 未署名来信拆阅 (2 working days) fell due from 2026-07-01 to 2026-09-30: 1 met late, 1 not met" \
		2026-12-28 >expect &&
	test_cmp expect got &&
	petition schedule explain --db letters.db LYS-2026-000001 --format tsv | grep "^open_letter" | cut -f6,8 >got &&
	printf "2026-09-04\tmet (opened 2026-09-03)\n" >expect &&
	test_cmp expect got
'

test_done
