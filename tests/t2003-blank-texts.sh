#!/bin/sh
# Blank is not a value (petition(1), TEXTS): every required text given empty, as spaces or as
# full-width spaces (U+3000, the blank of Chinese input methods) is refused with the usage
# status, a message naming the option, and the database unchanged; an optional text given
# blank is not given; the blanks around a text are not part of it.
. "$(dirname "$0")/lib.sh"

q() { sqlite3 petition.db "$1"; }

test_expect_success 'setup: a named letter, an unnamed letter, a transferred case, a resolved one, routed' '
	petition init -q &&
	petition intake -q --received-on 2026-11-02 --channel 来信 --petitioner 钱秀英 --category 社会保险 \
		--summary 养老保险未缴 --addressed-to 张海燕 >/dev/null &&
	petition intake -q --received-on 2026-11-02 --channel 来信 --petitioner 孙立国 --category 欠薪 \
		--summary 欠薪 >/dev/null &&
	petition intake -q --received-on 2026-11-20 --channel 上级转送 --petitioner 周建华 --category 企业改制 \
		--summary 安置 >/dev/null &&
	petition intake -q --received-on 2026-11-02 --channel 来电 --petitioner 郑丽 --category 工时休假 \
		--summary 加班 >/dev/null &&
	petition route -q >/dev/null &&
	petition case -q accept LYS-2026-000004 >/dev/null &&
	petition case -q resolve LYS-2026-000004 --outcome 支持 --text 已答复 >/dev/null &&
	petition case -q accept LYS-2026-000002 >/dev/null
'

# refused OPTION COMMAND: COMMAND (a shell command using "$b") run with b empty, spaces and
# full-width spaces exits 64, names OPTION on stderr, and leaves the database as it was.
refused() {
	opt=$1 cmd=$2
	for b in "" "   " "　　"; do
		db_dump >before &&
		test_expect_code 64 eval "$cmd" 2>err &&
		grep -q -- "$opt" err &&
		db_dump >after &&
		test_cmp before after || { echo "not refused with [$b]: $cmd"; cat err; return 1; }
	done
}

test_expect_success 'petition case: every required text' '
	refused --text "petition case instruct LYS-2026-000002 --by 李文华 --text \"\$b\"" &&
	refused --by "petition case instruct LYS-2026-000002 --by \"\$b\" --text 阅" &&
	refused --reason "petition case instruct LYS-2026-000001 --by 王建国 --text 阅 --force --reason \"\$b\"" &&
	refused --reason "petition case reject LYS-2026-000002 --reason \"\$b\" --refer 劳动仲裁委员会" &&
	refused --refer "petition case reject LYS-2026-000002 --reason 不属于受理范围 --refer \"\$b\"" &&
	refused --reason "petition case object LYS-2026-000003 --reason \"\$b\"" &&
	refused --reason "petition case extend LYS-2026-000002 --reason \"\$b\" --approver 王建国" &&
	refused --approver "petition case extend LYS-2026-000002 --reason 情况复杂 --approver \"\$b\"" &&
	refused --text "petition case resolve LYS-2026-000002 --outcome 支持 --text \"\$b\"" &&
	refused --outcome "petition case resolve LYS-2026-000002 --outcome \"\$b\" --text 已答复" &&
	refused --level "petition case satisfaction LYS-2026-000004 --level \"\$b\"" &&
	refused --reason "petition case reopen LYS-2026-000004 --reason \"\$b\"" &&
	refused --text "petition case review LYS-2026-000004 --outcome 维持 --text \"\$b\"" &&
	refused --outcome "petition case review LYS-2026-000004 --outcome \"\$b\" --text 维持原答复" &&
	refused --text "petition case rereview LYS-2026-000004 --outcome 维持 --text \"\$b\"" &&
	refused --outcome "petition case rereview LYS-2026-000004 --outcome \"\$b\" --text 维持"
'

test_expect_success 'petition route: a manual step and a transfer' '
	refused --note "petition route LYS-2026-000002 --to 王建国 --action supervise --note \"\$b\"" &&
	refused --to "petition route LYS-2026-000002 --to \"\$b\" --action supervise --note 督办" &&
	refused --action "petition route LYS-2026-000002 --to 王建国 --action \"\$b\" --note 督办" &&
	refused --body "petition route transfer LYS-2026-000003 --body \"\$b\"" &&
	refused --unit "petition route transfer LYS-2026-000003 --unit \"\$b\""
'

test_expect_success 'petition schedule: the unit and the day of a plan or a reception day' '
	refused --unit "petition schedule plan --unit \"\$b\" --month 2026-12" &&
	refused --unit "petition schedule add --unit \"\$b\" --day 2026-12-15 --leader 王建国" &&
	refused --day "petition schedule add --unit LYS --day \"\$b\" --leader 王建国"
'

test_expect_success 'petition intake: a required field given blank is missing (65), nothing written' '
	for b in "" "   " "　　"; do
		db_dump >before &&
		test_expect_code 65 petition intake --channel 来访 --petitioner "$b" --category 欠薪 --summary x 2>err &&
		grep -q "petitioner: missing" err &&
		test_expect_code 65 petition intake --channel 来访 --petitioner 某 --category 欠薪 --summary "$b" 2>err &&
		grep -q "summary: missing" err &&
		db_dump >after &&
		test_cmp before after || return 1
	done
'

test_expect_success 'an optional text given blank is not given; the blanks around a text go' '
	petition case -q satisfaction LYS-2026-000004 --level "　满意 " --note "　　" >/dev/null &&
	test "$(q "SELECT satisfaction FROM petitions WHERE id = 4")" = 满意 &&
	test "$(q "SELECT json_type(data, '"'"'$.note'"'"') FROM events ORDER BY id DESC LIMIT 1")" = null &&
	petition route -q LYS-2026-000002 --to " 王建国　" --action supervise --note "　督办 " >/dev/null &&
	test "$(q "SELECT holder || '"'"'|'"'"' || json_extract(data, '"'"'$.note'"'"') FROM steps
		JOIN events ON events.id = steps.event_id WHERE steps.petition_id = 2 AND steps.rule IS NULL")" = "王建国|督办"
'

test_done
