#!/bin/sh
# Typical cases (典型案例, issue 10): petition case typical / untypical, the latest mark wins,
# and the part `typical` of petition report quarter: the cases whose latest mark is a mark
# and whose mark's day is in the period, with the personal data masked unless --no-redact.
#
# The cases, in the order registered (so their numbers), and their marks:
#   LYS-2026-000001  received 06-20 (Q2), 来电, 钱秀英, marked 07-15: in 2026Q3 (the mark's day
#                    decides, not the day received), nothing done yet: done is empty
#   LYS-2026-000002  received 07-06, 来访, 赵长江, accepted 07-07, instructed by 张海燕 07-08,
#                    resolved 支持 07-20, marked 09-30 by 张海燕: in 2026Q3
#   LSQ-2026-000001  received 08-03, marked 08-10 and the mark taken back 08-12: in no period
#   LSQ-2026-000002  received 09-01, marked 09-02 with no --by: in 2026Q3 (and for --unit LSQ)
#   LYS-2026-000003  received 09-10, marked 10-09: in 2026Q4, not 2026Q3
# So 2026Q3 lists LYS-2026-000001, LYS-2026-000002, LSQ-2026-000002 by the day received;
# 2026Q2 has none (无); --unit LSQ has LSQ-2026-000002 alone.
#
# Masks (petition-report(1), "Typical cases"): a name keeps its first character (赵长江 →
# 赵**), an ID number its first 6 and last 4 characters, a phone its first 3 and last 4
# digits; an ID number or mobile number of anyone in the text is masked the same way.
. "$(dirname "$0")/lib.sh"

# field CASE KEY: the value of a row of petition case show.
field() {
	petition case show "$1" --format tsv | awk -F '\t' -v k="$2" '$2 == k { print $3 }'
}

# typical ARGS...: the part as TSV without its header.
typical() {
	petition report quarter --part typical --format tsv "$@" >out && sed 1d out
}

test_expect_success 'setup: five cases, four marked, one of them unmarked' '
	petition init -q &&
	petition intake -q --received-on 2026-06-20 --channel 来电 --petitioner 钱秀英 --phone 13912345678 \
		--category 工时休假 --persons 2 --summary "加班无加班费，另一人身份证440524188001010014" >/dev/null &&
	petition intake -q --received-on 2026-07-06 --channel 来访 --petitioner 赵长江 --id-number 11010519491231002X \
		--phone 13812345678 --category 欠薪 --summary "赵长江反映拖欠工资三个月，电话13812345678" >/dev/null &&
	petition intake -q --unit LSQ --received-on 2026-08-03 --channel 来信 --petitioner 孙立国 --category 社保 \
		--summary 社保断缴 >/dev/null &&
	petition intake -q --unit LSQ --received-on 2026-09-01 --channel 来访 --petitioner 吴德福 --category 劳动合同 \
		--persons 3 --summary 合同纠纷 >/dev/null &&
	petition intake -q --received-on 2026-09-10 --channel 来访 --petitioner 周建华 --category 其他 \
		--summary 咨询 >/dev/null &&
	petition case accept -q LYS-2026-000002 --on 2026-07-07 >/dev/null &&
	petition case instruct -q LYS-2026-000002 --by 张海燕 --text 请依法办理 --on 2026-07-08 >/dev/null &&
	petition case resolve -q LYS-2026-000002 --outcome 支持 --text 已督促补发 --on 2026-07-20 >/dev/null &&
	petition case typical -q LYS-2026-000001 --note 加班费案 --on 2026-07-15 >/dev/null &&
	petition case typical -q LYS-2026-000002 --note "赵长江欠薪案，督促补发" --by 张海燕 --on 2026-09-30 >/dev/null &&
	petition case typical -q LSQ-2026-000001 --note 第一次 --on 2026-08-10 >/dev/null &&
	petition case untypical -q LSQ-2026-000001 --reason 不典型 --on 2026-08-12 >/dev/null &&
	petition case typical -q LSQ-2026-000002 --note 合同纠纷 --on 2026-09-02 >/dev/null &&
	petition case typical -q LYS-2026-000003 --note 十月 --on 2026-10-09 >/dev/null
'

test_expect_success 'the event and show: the latest mark wins' '
	test "$(field LYS-2026-000002 typical)" = "yes (张海燕 2026-09-30)" &&
	test "$(field LSQ-2026-000002 typical)" = "yes (tester 2026-09-02)" &&
	test "$(field LSQ-2026-000001 typical)" = no &&
	test "$(sqlite3 petition.db "SELECT group_concat(kind, \" \") FROM events WHERE petition_id = 3 AND kind LIKE \"%typical\"")" = \
		"marked_typical unmarked_typical" &&
	test "$(sqlite3 petition.db "SELECT json_extract(data, \"\$.reason\") FROM events WHERE kind = \"unmarked_typical\"")" = 不典型
'

test_expect_success 'marking does not change the state and is not the last step for --on' '
	test "$(field LYS-2026-000002 state)" = resolved &&
	petition case accept -q LYS-2026-000003 --on 2026-09-11 >/dev/null
'

test_expect_success 'the part of 2026Q3: three cases by the day received, masked' '
	typical --period 2026Q3 >got &&
	printf "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n" \
		LYS-2026-000001 LYS 2026-06-20 来电 工时休假 2 "加班无加班费，另一人身份证440524********0014" 加班费案 "" 登记 "" \
		LYS-2026-000002 LYS 2026-07-06 来访 劳动报酬 1 "赵**反映拖欠工资三个月，电话138****5678" "赵**欠薪案，督促补发" \
		"2026-07-08 阅批（张海燕）：请依法办理；2026-07-20 办结：已督促补发" 办结 支持 \
		LSQ-2026-000002 LSQ 2026-09-01 来访 劳动合同 3 合同纠纷 合同纠纷 "" 登记 "" >expect &&
	test_cmp expect got &&
	head -1 out >header &&
	printf "case_no\tunit\treceived_on\tchannel\tcategory\tpersons\tsummary\tnote\tdone\tstate\toutcome\n" >expect &&
	test_cmp expect header
'

test_expect_success '--no-redact: the text as stored' '
	typical --period 2026Q3 --no-redact | sed -n 2p | cut -f7,8 >got &&
	printf "%s\t%s\n" "赵长江反映拖欠工资三个月，电话13812345678" "赵长江欠薪案，督促补发" >expect &&
	test_cmp expect got
'

test_expect_success '--unit: the unit and those below it' '
	typical --period 2026Q3 --unit LSQ | cut -f1 >got &&
	echo LSQ-2026-000002 >expect &&
	test_cmp expect got &&
	typical --period 2026Q4 | cut -f1 >got &&
	echo LYS-2026-000003 >expect &&
	test_cmp expect got
'

test_expect_success 'no typical case: one row saying 无, in every format' '
	typical --period 2026Q2 >got &&
	printf "无\t\t\t\t\t\t\t\t\t\t\n" >expect &&
	test_cmp expect got &&
	petition report quarter --period 2026Q2 --part typical --format json >j &&
	test "$(sqlite3 :memory: "SELECT json_extract(readfile(\"j\"), \"\$[0].case_no\") || json_type(readfile(\"j\"), \"\$[0].persons\") || json_array_length(readfile(\"j\"))")" = 无null1 &&
	petition report quarter --period 2026Q2 --format csv >all &&
	grep -q "^typical 典型案例 2026Q2" all &&
	test "$(tail -1 all | tr -d "\r")" = "无,,,,,,,,,,"
'

test_expect_success 'refused: a mark twice, taking back what is not marked, no note, no case' '
	db_dump >before &&
	test_expect_code 65 petition case typical LYS-2026-000002 --note 再次 2>err &&
	grep -q "case LYS-2026-000002 is already marked typical" err &&
	test_expect_code 65 petition case untypical LSQ-2026-000001 --reason 再次 2>err &&
	grep -q "case LSQ-2026-000001 is not marked typical" err &&
	test_expect_code 64 petition case typical LYS-2026-000003 2>err &&
	grep -q "typical needs --note" err &&
	test_expect_code 64 petition case untypical LYS-2026-000002 2>err &&
	test_expect_code 66 petition case typical LYS-2026-000099 --note 无此案 2>err &&
	petition case typical LSQ-2026-000001 --note 试 --dry-run >/dev/null &&
	db_dump >after &&
	test_cmp before after
'

test_done
