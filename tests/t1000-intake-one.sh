#!/bin/sh
# petition-intake with options: one petition, as a shell script registers it.
. "$(dirname "$0")/lib.sh"

q() { sqlite3 petition.db "$1"; }

test_expect_success 'setup' '
	petition init -q
'

test_expect_success 'a visit is registered and its case number printed on stdout' '
	c=$(petition intake --received-on 2026-07-02 --channel 来访 --petitioner 赵长江 \
		--category 欠薪 --summary "拖欠工资18600元" --id-number 11010519491231002x \
		--phone "+86 138-0013-8000" --employer 临沂华鑫机械有限公司 --received-by 王建国 2>err) &&
	test "$c" = LYS-2026-000001 &&
	test ! -s err &&
	test "$(q "SELECT channel, category, id_number, phone, received_by, persons FROM petitions")" = \
		"visit|劳动报酬|11010519491231002X|13800138000|王建国|1"
'

test_expect_success 'the intake event records who, which program, and the row digest' '
	test "$(q "SELECT operator, program, kind, petition_id FROM events ORDER BY id DESC LIMIT 1")" = \
		"tester|petition-intake|intake|1" &&
	q "SELECT data FROM events ORDER BY id DESC LIMIT 1" | grep -q "\"added\":1,.*\"bulk\":{\"petitions\":{\"rows\":1,\"cols\":\[\"id\",\"case_no\",[^]]*\],\"sha256\":\"[0-9a-f]\{64\}\"}}"
'

test_expect_success 'the same petition again is not added; its case number is printed' '
	db_dump >before &&
	c=$(petition intake --received-on 2026-07-02 --channel visit --petitioner 赵长江 \
		--category 劳动报酬 --summary "拖欠工资18600元" --id-number 11010519491231002X \
		--received-by 王建国 2>err) &&
	test "$c" = LYS-2026-000001 &&
	grep -q "already registered as LYS-2026-000001" err &&
	db_dump >after &&
	test_cmp before after
'

test_expect_success 'no date means today (Beijing); numbers follow per unit and year' '
	c=$(petition intake --channel 来电 --petitioner 孙立国 --category 劳动合同 --summary 咨询续签) &&
	test "$c" = LYS-2026-000002 &&
	test "$(q "SELECT received_on FROM petitions WHERE case_no = '"'"'$c'"'"'")" = 2026-11-28 &&
	c=$(petition intake --received-on 2025/12/31 --channel 来电 --petitioner 孙立国 \
		--category 劳动合同 --summary 去年的电话) &&
	test "$c" = LYS-2025-000001 &&
	c=$(petition intake --received-on 2026年3月5日 --unit 兰山区总工会 --channel 来信 \
		--petitioner 钱秀英 --category 社保 --summary 补缴社保 --addressed-to 张海燕) &&
	test "$c" = LSQ-2026-000001 &&
	test "$(q "SELECT unit, received_on, named_letter FROM petitions WHERE case_no = '"'"'$c'"'"'")" = \
		"LSQ|2026-03-05|1"
'

test_expect_success 'a 15-digit ID number is stored upgraded to 18 characters' '
	petition intake --received-on 2026-01-05 --channel 来访 --petitioner 老职工 --category 企业改制 \
		--summary 身份置换 --id-number 110105491231002 >/dev/null &&
	test "$(q "SELECT id_number FROM petitions WHERE petitioner = '"'"'老职工'"'"'")" = 11010519491231002X
'

test_expect_success 'collective: persons at the threshold (5) and above' '
	petition intake --received-on 2026-02-02 --channel 来访 --petitioner 甲 --category 欠薪 \
		--summary 四人 --persons 4 >/dev/null &&
	petition intake --received-on 2026-02-02 --channel 来访 --petitioner 乙 --category 欠薪 \
		--summary 五人 --persons 5 >/dev/null &&
	test "$(q "SELECT group_concat(collective) FROM petitions WHERE petitioner IN ('"'"'甲'"'"','"'"'乙'"'"') ORDER BY id")" = "0,1"
'

test_expect_success 'repeat: same ID number and category within 365 days before' '
	id=440524188001010014 &&
	petition intake --received-on 2025-03-01 --channel 来访 --petitioner 丙 --category 欠薪 \
		--summary 第一次 --id-number $id >/dev/null &&
	petition intake --received-on 2026-02-28 --channel 来访 --petitioner 丙 --category 欠薪 \
		--summary 第二次 --id-number $id >/dev/null &&
	petition intake --received-on 2026-02-28 --channel 来访 --petitioner 丙 --category 社会保险 \
		--summary 别的事 --id-number $id >/dev/null &&
	test "$(q "SELECT group_concat(repeat) FROM (SELECT repeat FROM petitions WHERE id_number = '"'"'$id'"'"' ORDER BY id)")" = "0,1,0"
'

test_expect_success 'repeat: the window is 365 days (2024-06-01 to 2025-06-01 is 365)' '
	id=11010519491231002X &&
	for d in 2024-06-01:甲 2025-06-02:乙 2025-06-01:丙; do
		petition intake --received-on ${d%%:*} --channel 来访 --petitioner 赵长江 \
			--category 困难帮扶 --summary "窗口${d#*:}" --id-number $id >/dev/null || exit 1
	done &&
	test "$(q "SELECT group_concat(summary || '"'"'='"'"' || repeat, '"'"' '"'"') FROM (SELECT summary, repeat FROM petitions WHERE category = '"'"'困难帮扶'"'"' ORDER BY id)")" = \
		"窗口甲=0 窗口乙=0 窗口丙=1"
'

test_expect_success 'every problem of a bad petition is named; exit 65; nothing written' '
	db_dump >before &&
	test_expect_code 65 petition intake --received-on 2026-02-30 --channel 上门 --petitioner 甲 \
		--category 房产 --summary x --id-number 110105194912310021 --phone 12345 \
		--persons 0 --received-by 李四 2>err &&
	cat >expect <<-\EOF &&
	petition-intake: received_on '"'"'2026-02-30'"'"': not a date (YYYY-MM-DD, YYYY/M/D or YYYY年M月D日)
	petition-intake: channel '"'"'上门'"'"': unknown channel (visit/来访/走访, letter/来信/书信, phone/来电/电话, email/电子邮件, fax/传真, online/网上, transfer/上级转送/转送交办, hotline/12351/12345/热线)
	petition-intake: category '"'"'房产'"'"': not a category in the rules (petition rules show)
	petition-intake: persons '"'"'0'"'"': must be a whole number of at least 1
	petition-intake: id_number '"'"'110105194912310021'"'"': bad check digit
	petition-intake: phone '"'"'12345'"'"': not a mobile number (1[3-9] and 9 digits) or a landline (0, area code, number)
	petition-intake: received_by '"'"'李四'"'"': not a leader in the rules (petition rules show)
	petition-intake: bad petition; nothing was registered
	EOF
	test_cmp expect err &&
	db_dump >after &&
	test_cmp before after
'

test_expect_success 'text that is not UTF-8, or holds control characters, is refused' '
	db_dump >before &&
	test_expect_code 65 petition intake --channel 来访 --petitioner "$(printf "\326\320")" \
		--category 咨询 --summary "$(printf "x\033[31mred")" 2>err &&
	grep -q "petitioner: not valid UTF-8 text" err &&
	grep -q "summary '"'"'x?\[31mred'"'"': contains a control character" err &&
	! grep -q "$(printf "\033")" err &&
	db_dump >after &&
	test_cmp before after
'

test_expect_success 'required fields missing: exit 65' '
	test_expect_code 65 petition intake --channel 来访 --petitioner 甲 --category 欠薪 2>err &&
	grep -q "summary: missing" err
'

test_expect_success '--dry-run prints the number it would get and writes nothing' '
	db_dump >before &&
	c=$(petition intake --dry-run --received-on 2026-06-01 --channel 来访 --petitioner 丁 \
		--category 咨询 --summary 问问 2>err) &&
	test "$c" = LYS-2026-000008 &&
	grep -q "dry run" err &&
	db_dump >after &&
	test_cmp before after
'

test_expect_success 'usage errors: exit 64' '
	test_expect_code 64 petition intake 2>err &&
	grep -q "give the petition" err &&
	test_expect_code 64 petition intake --csv x.csv --petitioner 甲 2>err &&
	test_expect_code 64 petition intake --petitioner 甲 --rejects r.csv 2>err &&
	test_expect_code 64 petition intake --petitioner 甲 stray 2>err
'

test_expect_success 'a locked database: exit 75 after the busy timeout, nothing written' '
	db_dump >before &&
	hold_write_lock petition.db 2 &
	sleep 0.5 &&
	PETITION_BUSY_TIMEOUT=100 test_expect_code 75 petition intake --received-on 2026-06-01 \
		--channel 来访 --petitioner 戊 --category 咨询 --summary 锁 2>err &&
	grep -q "is busy" err &&
	wait &&
	db_dump >after &&
	test_cmp before after
'

test_expect_success 'bad rules given with --rules: exit 78, nothing written' '
	db_dump >before &&
	printf "version: 1\n" >bad.yaml &&
	test_expect_code 78 petition intake --rules bad.yaml --channel 来访 --petitioner 戊 \
		--category 咨询 --summary 规则 2>err &&
	grep -q "bad.yaml" err &&
	db_dump >after &&
	test_cmp before after
'

test_expect_success 'petitions written under --rules keep those rules in the database' '
	sed "s/collective_persons: 5/collective_persons: 2/" "$TEST_SRC/../examples/rules.yaml" >two.yaml &&
	c=$(petition intake --rules two.yaml --received-on 2026-06-02 --channel 来访 --petitioner 己 \
		--category 咨询 --summary 两人 --persons 2) &&
	test "$(q "SELECT collective FROM petitions WHERE case_no = '"'"'$c'"'"'")" = 1 &&
	test "$(q "SELECT kind, source FROM rules ORDER BY id DESC LIMIT 1")" = "override|two.yaml" &&
	q "SELECT group_concat(kind) FROM events" | grep -q "rules.override,intake$" &&
	test "$(q "SELECT json_extract(data, '"'"'\$.rules_sha256'"'"') FROM events ORDER BY id DESC LIMIT 1")" = \
		"$(sha256sum two.yaml | cut -d" " -f1)" &&
	petition rules show | grep -q "collective_persons: 5" &&
	petition intake --rules two.yaml --received-on 2026-06-02 --channel 来访 --petitioner 庚 \
		--category 咨询 --summary 又两人 --persons 2 >/dev/null &&
	test "$(q "SELECT count(*) FROM rules WHERE kind = '"'"'override'"'"'")" = 1
'

cp petition.db ro.db
test_readonly_db ro.db "a database that cannot be written" \
	"petition intake --db ro.db --received-on 2026-06-01 --channel 来访 --petitioner 戊 --category 咨询 --summary 只读"

test_done
