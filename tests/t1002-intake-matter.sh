#!/bin/sh
# The law at intake (issue 9, items 7-9): a repeat is the same person (ID number, else name
# and phone) with the same matter (employer and category), linked to the earlier case, by
# hand too (--repeat-of, the CSV's 原案号) and corrected later (petition case repeat);
# finality after a 复核; 越级 against the competent unit (LYS, the city, above LSQ, a county).
# Each rule kept once and broken once; dates worked out by hand on the 2026 calendar.
. "$(dirname "$0")/lib.sh"

q() { sqlite3 petition.db "$1"; }
# link CASE: repeat|case it repeats|final_of's case|competent_unit|skip_level, as stored
link() {
	q "SELECT p.repeat, coalesce(r.case_no, ''), coalesce(f.case_no, ''), coalesce(p.competent_unit, ''),
	   p.skip_level FROM petitions p LEFT JOIN petitions r ON r.id = p.repeat_of
	   LEFT JOIN petitions f ON f.id = p.final_of WHERE p.case_no = '$1'"
}
# one ARGS...: register one petition of 张三 (ID number), printing nothing
zhang() {
	petition intake -q --channel 来访 --petitioner 张三 --id-number 11010519491231002X --summary 讨薪 "$@" >/dev/null
}

test_expect_success 'setup' '
	petition init -q
'

test_expect_success 'repeat by matter: same ID number, employer and category; another employer or category is not' '
	zhang --received-on 2026-03-02 --employer 甲厂 --category 欠薪 &&
	zhang --received-on 2026-03-05 --employer 乙厂 --category 欠薪 &&
	zhang --received-on 2026-03-09 --employer 甲厂 --category 社会保险 &&
	zhang --received-on 2026-03-10 --employer 甲厂 --category 劳动报酬 &&
	test "$(link LYS-2026-000001)" = "0||||0" &&
	test "$(link LYS-2026-000002)" = "0||||0" &&
	test "$(link LYS-2026-000003)" = "0||||0" &&
	test "$(link LYS-2026-000004)" = "1|LYS-2026-000001|||0"
'

test_expect_success 'repeat without an ID number: the same name and phone (as stored); another name or phone is not' '
	petition intake -q --received-on 2026-04-01 --channel 来电 --petitioner 李四 --phone 139-0539-1234 \
		--employer 丙厂 --category 劳动合同 --summary 未签合同 >/dev/null &&
	petition intake -q --received-on 2026-04-02 --channel 来电 --petitioner 李四 --phone "+86 13905391234" \
		--employer 丙厂 --category 劳动合同 --summary 仍未签 >/dev/null &&
	petition intake -q --received-on 2026-04-02 --channel 来电 --petitioner 李四 --phone 13905391235 \
		--employer 丙厂 --category 劳动合同 --summary 另一号码 >/dev/null &&
	petition intake -q --received-on 2026-04-02 --channel 来电 --petitioner 王五 --phone 13905391234 \
		--employer 丙厂 --category 劳动合同 --summary 同一号码 >/dev/null &&
	test "$(link LYS-2026-000006)" = "1|LYS-2026-000005|||0" &&
	test "$(link LYS-2026-000007)" = "0||||0" &&
	test "$(link LYS-2026-000008)" = "0||||0"
'

test_expect_success 'no ID number and no phone: never a repeat by itself; --repeat-of links it by hand' '
	petition intake -q --received-on 2026-04-03 --channel 来访 --petitioner 赵六 --category 工伤 \
		--summary 工伤认定 >/dev/null &&
	petition intake -q --received-on 2026-04-07 --channel 来访 --petitioner 赵六 --category 工伤 \
		--summary 工伤认定未果 >/dev/null &&
	test "$(link LYS-2026-000010)" = "0||||0" &&
	petition intake -q --received-on 2026-04-08 --channel 来访 --petitioner 赵六 --category 工伤 \
		--summary 第三次 --repeat-of LYS-2026-000009 >/dev/null &&
	test "$(link LYS-2026-000011)" = "1|LYS-2026-000009|||0" &&
	petition case show LYS-2026-000011 --format csv >show &&
	grep -q "^case,repeat,yes,," show &&
	grep -q "^case,repeat_of,LYS-2026-000009,," show
'

test_expect_success '--repeat-of a case not there, or received later: 65 naming the field, nothing written' '
	db_dump >before &&
	test_expect_code 65 petition intake --received-on 2026-04-08 --channel 来访 --petitioner 赵六 \
		--category 工伤 --summary x --repeat-of LYS-2026-999999 2>err &&
	grep -q "repeat_of '"'"'LYS-2026-999999'"'"': no such case (petition case list)" err &&
	test_expect_code 65 petition intake --received-on 2026-04-06 --channel 来访 --petitioner 赵六 \
		--category 工伤 --summary x --repeat-of LYS-2026-000010 2>err &&
	grep -q "repeat_of '"'"'LYS-2026-000010'"'"': was received on 2026-04-07, after this petition (2026-04-06)" err &&
	db_dump >after &&
	test_cmp before after
'

test_expect_success 'CSV: the competent unit and the earlier case by their Chinese headers' '
	cat >m.csv <<-\EOF &&
	日期,渠道,姓名,类别,内容,属地工会,原案号
	2026-04-09,来访,赵六,工伤,第四次,兰山区总工会,LYS-2026-000010
	EOF
	petition intake -q --csv m.csv &&
	test "$(link LYS-2026-000012)" = "1|LYS-2026-000010||LSQ|1" &&
	cat >bad.csv <<-\EOF &&
	日期,渠道,姓名,类别,内容,主管单位
	2026-04-09,来访,赵六,工伤,第五次,北京市总工会
	EOF
	test_expect_code 65 petition intake --csv bad.csv 2>err &&
	grep -q "bad.csv:2: competent_unit '"'"'北京市总工会'"'"': not a unit in the rules" err
'

test_expect_success 'case repeat: correct the mark with a reason, as an event; list and show follow it' '
	petition case repeat LYS-2026-000004 --not --reason 系另一笔欠薪 --on 2026-04-10 --format csv >out &&
	grep -q "^LYS-2026-000004,repeat_marked,registered,registered,2026-04-10," out &&
	q "SELECT json_extract(data, '"'"'\$.repeat'"'"') || json_extract(data, '"'"'\$.reason'"'"') FROM events
	   ORDER BY id DESC LIMIT 1" >got &&
	echo 0系另一笔欠薪 >expect &&
	test_cmp expect got &&
	test "$(link LYS-2026-000004)" = "1|LYS-2026-000001|||0" &&
	petition case show LYS-2026-000004 --format csv >show &&
	grep -q "^case,repeat,no,," show &&
	grep -q "^case,repeat_of,none (corrected on 2026-04-10: 系另一笔欠薪),," show &&
	petition case repeat LYS-2026-000002 --of LYS-2026-000001 --reason 乙厂系甲厂改名 --format csv >/dev/null &&
	petition case list --repeat --from 2026-03-01 --to 2026-03-31 --format csv >got &&
	printf "%s\n" LYS-2026-000002 >expect &&
	cut -d, -f1 got | sed 1d | tr -d "\r" >cases &&
	test_cmp expect cases
'

test_expect_success 'case repeat refusals: no mark to undo, a later case, itself (65); --of and --not, no reason (64); no case (66)' '
	db_dump >before &&
	test_expect_code 65 petition case repeat LYS-2026-000003 --not --reason x 2>err &&
	grep -q "case LYS-2026-000003 is not marked as a repeat; there is nothing to undo" err &&
	test_expect_code 65 petition case repeat LYS-2026-000001 --of LYS-2026-000003 --reason x 2>err &&
	grep -q -- "--of: case LYS-2026-000003 was received after case LYS-2026-000001" err &&
	test_expect_code 65 petition case repeat LYS-2026-000001 --of LYS-2026-000001 --reason x 2>err &&
	grep -q "case LYS-2026-000001 cannot repeat itself" err &&
	test_expect_code 64 petition case repeat LYS-2026-000003 --reason x 2>err &&
	grep -q -- "repeat needs --of CASE (a repeat of it) or --not (no repeat)" err &&
	test_expect_code 64 petition case repeat LYS-2026-000003 --of LYS-2026-000001 --not --reason x 2>err &&
	test_expect_code 64 petition case repeat LYS-2026-000003 --of LYS-2026-000001 2>err &&
	test_expect_code 66 petition case repeat LYS-2026-000003 --of LYS-2026-999999 --reason x 2>err &&
	db_dump >after &&
	test_cmp before after
'

# 越级. 孙七 goes to the city union (LYS) about 丁厂; his county union is 兰山区 (LSQ).
sun() {
	petition intake -q --channel 来访 --petitioner 孙七 --id-number 440524188001010014 --employer 丁厂 \
		--category 劳动报酬 --summary 讨薪 "$@" >/dev/null
}

test_expect_success '越级: the county has no case of the matter: the city is skipped to; at the county itself it is not' '
	sun --received-on 2026-06-01 --competent-unit LSQ &&
	test "$(link LYS-2026-000013)" = "0|||LSQ|1" &&
	sun --received-on 2026-06-02 --unit LSQ --competent-unit LSQ &&
	test "$(link LSQ-2026-000001)" = "1|LYS-2026-000013||LSQ|0" &&
	sun --received-on 2026-06-03 --unit LSQ --competent-unit 临沂市总工会 &&
	test "$(link LSQ-2026-000002)" = "1|LSQ-2026-000001||LYS|0" &&
	petition case show LYS-2026-000013 --format csv >show &&
	grep -q "^case,competent_unit,LSQ (兰山区总工会),," show &&
	grep -q "^case,skip_level,yes (越级),," show &&
	petition case list --skip-level --format csv >got &&
	cut -d, -f1,8 got | sed 1d | tr -d "\r" >cases &&
	printf "%s\n" LYS-2026-000012,"repeat skip_level" LYS-2026-000013,skip_level >expect &&
	test_cmp expect cases
'

# 周八's case at LSQ, received Thu 2026-09-17 and not routed: its route limit is 15 calendar
# days, day 15 is Fri 10-02, a holiday (10-01..07), so it is due Thu 10-08. To the city on
# 10-08 the limit is still running (越级); on Fri 10-09 it is overdue: the county had its turn.
zhou() {
	petition intake -q --channel 来访 --petitioner 周八 --id-number 371302198001010017 --employer 戊厂 \
		--category 社会保险 --summary 社保断缴 "$@" >/dev/null
}

test_expect_success '越级 while the county'"'"'s time limit runs (due 10-08 across 国庆); not once it is overdue (10-09)' '
	zhou --received-on 2026-09-17 --unit LSQ &&
	zhou --received-on 2026-10-08 --competent-unit LSQ &&
	zhou --received-on 2026-10-09 --competent-unit LSQ &&
	test "$(link LYS-2026-000014)" = "1|LSQ-2026-000003||LSQ|1" &&
	test "$(link LYS-2026-000015)" = "1|LYS-2026-000014||LSQ|0"
'

test_expect_success 'not 越级 once the county answered the matter' '
	petition intake -q --received-on 2026-07-01 --unit LSQ --channel 来访 --petitioner 吴九 --phone 13805391111 \
		--employer 己厂 --category 工时休假 --summary 加班费 >/dev/null &&
	petition case accept LSQ-2026-000004 --on 2026-07-02 --format csv >/dev/null &&
	petition case resolve LSQ-2026-000004 --outcome 解释 --text 已解释 --on 2026-07-20 --format csv >/dev/null &&
	petition intake -q --received-on 2026-07-21 --channel 来访 --petitioner 吴九 --phone 13805391111 \
		--employer 己厂 --category 工时休假 --summary 不服答复 --competent-unit LSQ >/dev/null &&
	test "$(link LYS-2026-000016)" = "1|LSQ-2026-000004||LSQ|0"
'

# Finality. 郑十's case: received Mon 01-05, answered and the reply delivered 02-10, review
# asked 03-02 (within 30 days of the delivery: by 03-12), decided and delivered 03-20,
# re-review asked 04-10 (by Sun 04-19, so Mon 04-20), decided on re-review Wed 05-06.
zheng() {
	petition intake -q --channel 来访 --petitioner 郑十 --id-number 371302197506150029 --employer 庚厂 \
		--category 企业改制 "$@" >/dev/null
}

# rereviewed CASE: 郑十's course above: accepted 01-06, answered (不支持) and delivered
# 02-10, review asked 03-02, decided and delivered 03-20, re-review asked 04-10, decided on
# re-review and delivered 05-06
rereviewed() {
	petition case accept $1 --on 2026-01-06 --format csv >/dev/null &&
	petition case resolve $1 --outcome 不支持 --text 不予支持 --on 2026-02-10 --format csv >/dev/null &&
	petition case deliver $1 --how 当面 --on 2026-02-10 --format csv >/dev/null &&
	petition case request-review $1 --body 山东省总工会 --on 2026-03-02 --format csv >/dev/null &&
	petition case review $1 --outcome 维持 --text 维持 --on 2026-03-20 --format csv >/dev/null &&
	petition case deliver $1 --how 当面 --on 2026-03-20 --format csv >/dev/null &&
	petition case request-rereview $1 --body 中华全国总工会 --on 2026-04-10 --format csv >/dev/null &&
	petition case rereview $1 --outcome 维持 --text 复核维持 --on 2026-05-06 --format csv >/dev/null &&
	petition case deliver $1 --how 当面 --on 2026-05-06 --format csv >/dev/null
}

test_expect_success 'final: the same matter after its 复核 is registered, marked final and linked; before it, not' '
	zheng --received-on 2026-01-05 --summary 改制安置 &&
	rereviewed LYS-2026-000017 &&
	zheng --received-on 2026-05-05 --summary 复核前又来 &&
	zheng --received-on 2026-05-06 --summary 复核后又来 &&
	petition intake -q --received-on 2026-05-07 --channel 来访 --petitioner 郑十 --id-number 371302197506150029 \
		--employer 辛厂 --category 企业改制 --summary 另一企业 >/dev/null &&
	test "$(link LYS-2026-000018)" = "1|LYS-2026-000017|||0" &&
	test "$(link LYS-2026-000019)" = "1|LYS-2026-000018|LYS-2026-000017||0" &&
	test "$(link LYS-2026-000020)" = "0||||0" &&
	petition case show LYS-2026-000019 --format csv >show &&
	grep -q "^case,final,yes: 终结：同一事项已于 2026-05-06 复核（LYS-2026-000017）; 拟不予受理" show &&
	petition case list --final --format csv >got &&
	cut -d, -f1 got | sed 1d | tr -d "\r" >cases &&
	echo LYS-2026-000019 >expect &&
	test_cmp expect cases
'

test_expect_success 'final: routing proposes 不予受理 with the earlier case as the reason (the rule final)' '
	petition route --explain LYS-2026-000019 --format csv >explain &&
	grep -q "^final,matched,终结：同一事项已于 2026-05-06 复核（LYS-2026-000017）；拟不予受理" explain &&
	grep -q "^default,not tried," explain &&
	petition route LYS-2026-000019 --format csv >out &&
	grep -q "^LYS-2026-000019,1,法律工作部,handle,final" out &&
	q "SELECT json_extract(data, '"'"'\$.note'"'"') FROM events ORDER BY id DESC LIMIT 1" >got &&
	grep -q "同一事项已于 2026-05-06 复核（LYS-2026-000017）" got &&
	petition route --explain LYS-2026-000020 --format csv >explain &&
	! grep -q "^final," explain
'

test_expect_success 'reopen of a final case: refused without --decided-by (65); with it, recorded, and routed by the rules' '
	petition case reject LYS-2026-000019 --reason "终结：已于2026-05-06复核" --refer 不再受理 --on 2026-05-07 \
		--format csv >/dev/null &&
	db_dump >before &&
	petition case list --final --format csv | grep -q "^LYS-2026-000019," &&
	test_expect_code 65 petition case reopen LYS-2026-000019 --reason 新证据 2>err &&
	grep -q "case LYS-2026-000019 is final (终结：同一事项已于 2026-05-06 复核（LYS-2026-000017）): reopening it needs --decided-by" err &&
	test_expect_code 65 petition case reopen LYS-2026-000017 --reason x 2>err &&
	grep -q "is rereviewed: reopen is allowed only when" err &&
	db_dump >after &&
	test_cmp before after &&
	petition case reopen LYS-2026-000019 --reason 新证据 --decided-by 王建国 --on 2026-05-08 --format csv >out &&
	grep -q "^LYS-2026-000019,reopened,rejected,registered,2026-05-08," out &&
	q "SELECT json_extract(data, '"'"'\$.decided_by'"'"') FROM events ORDER BY id DESC LIMIT 1" >got &&
	echo 王建国 >expect &&
	test_cmp expect got &&
	! petition case list --final --format csv | grep -q "^LYS-2026-000019," &&
	petition route LYS-2026-000019 --format csv >out &&
	grep -q "^LYS-2026-000019,2,法律工作部,handle,default" out &&
	petition case show LYS-2026-000019 --format csv >show &&
	grep -q "^case,final,\"yes: 终结：同一事项已于 2026-05-06 复核（LYS-2026-000017）; reopened on 2026-05-08, decided by 王建国: routed by the rules\",," show
'

test_expect_success 'a case decided on 复核 itself, closed: reopening it needs --decided-by too' '
	petition case close LYS-2026-000017 --on 2026-05-08 --format csv >/dev/null &&
	test_expect_code 65 petition case reopen LYS-2026-000017 --reason x 2>err &&
	grep -q "case LYS-2026-000017 is final (终结：已于 2026-05-06 复核): reopening it needs --decided-by" err &&
	petition case reopen LYS-2026-000017 --reason 上级决定 --decided-by 省总工会 --format csv >/dev/null
'

# A database of schema 1 (tests/fixtures/db/v1.sql) upgraded: its petitions have no matter
# key. 赵一 (LYS-2026-000005, 440524188001010014, 临沂某厂, 劳动合同) is found by the old key,
# confirmed on the employer.
test_expect_success 'upgraded database: an old case of the same ID number, category and employer is found; others are not' '
	sqlite3 old.db <"$FIXTURES/db/v1.sql" &&
	sqlite3 old.db "PRAGMA user_version = 1" &&
	chmod 600 old.db &&
	petition init -q --db old.db &&
	test "$(sqlite3 old.db "SELECT count(*) FROM petitions WHERE matter_key IS NOT NULL")" = 0 &&
	old() { petition intake -q --db old.db --received-on 2026-10-12 --channel 来访 --petitioner 赵一 \
		--id-number 440524188001010014 --category 劳动合同 "$@" >/dev/null; } &&
	old --employer 临沂某厂 --summary 又来 &&
	old --employer 另一厂 --summary 另一厂 &&
	test "$(sqlite3 old.db "SELECT p.repeat || coalesce(r.case_no, '"'"''"'"') FROM petitions p
	   LEFT JOIN petitions r ON r.id = p.repeat_of WHERE p.id > 7 ORDER BY p.id")" = "$(printf "1LYS-2026-000005\n0")" &&
	petition case repeat LYS-2026-000009 --db old.db --of LYS-2026-000005 --reason 同一劳动合同纠纷 --format csv >/dev/null &&
	petition case list --db old.db --repeat --format csv >got &&
	cut -d, -f1 got | sed 1d | tr -d "\r" >cases &&
	printf "%s\n" LYS-2026-000008 LYS-2026-000009 >expect &&
	test_cmp expect cases
'

# The same rules for the rows of one file, whose look-ups among the rows before them wait
# until the whole file is read (lib/intake.c, stage_deferred): in a new database, 郑十's
# case decided on 复核 on 05-06 as above (LYS-2026-000001), then one file: 郑十 on 05-07,
# 05-05 and 05-06 (LYS-2026-000002 .. 000004), then 孙七 at the county LSQ on 06-02
# (LSQ-2026-000001) and at the city on 06-03 with LSQ competent (LYS-2026-000005). By
# hand: 05-07 repeats the 01-05 case (the only earlier one when it is read) and is final
# (复核 05-06 before it); 05-05 repeats 01-05 and is not final (before the 复核); 05-06
# repeats 05-05 (the latest earlier) and is final (the 复核 that same day); LSQ's 06-02 is
# nobody's repeat and no 越级 (received by the competent unit itself); the city's 06-03
# repeats it, and is 越级: the county's case of the matter is open and its 15-day limit runs.
test_expect_success 'one file: repeats, finality and 越级 among its own rows, as for rows registered one by one' '
	mkdir file && (
		cd file &&
		petition init -q &&
		zheng --received-on 2026-01-05 --summary 改制安置 &&
		rereviewed LYS-2026-000001 &&
		{
			echo "received_on,channel,petitioner,id_number,employer,category,unit,competent_unit,summary" &&
			echo "2026-05-07,来访,郑十,371302197506150029,庚厂,企业改制,,,复核后又来" &&
			echo "2026-05-05,来访,郑十,371302197506150029,庚厂,企业改制,,,复核前又来" &&
			echo "2026-05-06,来访,郑十,371302197506150029,庚厂,企业改制,,,复核当天又来" &&
			echo "2026-06-02,来访,孙七,440524188001010014,丁厂,劳动报酬,LSQ,LSQ,讨薪" &&
			echo "2026-06-03,来访,孙七,440524188001010014,丁厂,劳动报酬,,LSQ,讨薪"
		} >one.csv &&
		petition intake -q --csv one.csv &&
		for c in LYS-2026-000002 LYS-2026-000003 LYS-2026-000004 LSQ-2026-000001 LYS-2026-000005; do
			link $c || exit 1
		done >got &&
		cat >expect <<-\EOT &&
		1|LYS-2026-000001|LYS-2026-000001||0
		1|LYS-2026-000001|||0
		1|LYS-2026-000003|LYS-2026-000001||0
		0|||LSQ|0
		1|LSQ-2026-000001||LSQ|1
		EOT
		test_cmp expect got
	)
'

test_done
