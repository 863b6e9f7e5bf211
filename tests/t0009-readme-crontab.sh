#!/bin/sh
# README's crontab lines, run as they are written (read from README.md itself, /srv/petition
# made a directory here, mail(1) a fake that keeps what it was sent): each is silent on stdout
# and stderr, so cron sends nothing of its own, and mails only when there is something to say.
. "$(dirname "$0")/lib.sh"

SRV=$TEST_DIR/srv
mkdir -p "$SRV" bin
printf '#!/bin/sh\n{ echo "mail $*"; cat; } >>"%s/mailed"\n' "$TEST_DIR" >bin/mail
chmod +x bin/mail
PATH=$TEST_DIR/bin:$PATH

# The command of each crontab line of README (five time fields, then "cd /srv/petition &&").
sed -n 's|^    [0-9*][^ ]* [^ ]* [^ ]* [^ ]* [^ ]*  *\(cd /srv/petition && .*\)$|\1|p' \
	"$TEST_SRC/../README.md" | sed "s|/srv/petition|$SRV|" >lines

# cron_line WORDS: run the one README line whose command holds WORDS, as cron would (sh -c);
# fail when it printed anything. The mail it sent is in mailed.
cron_line() {
	grep -F -- "$1" lines >line && test "$(wc -l <line)" -eq 1 ||
		{ echo "not one line with $1"; return 1; }
	rm -f "$TEST_DIR/mailed" && sh -c "$(cat line)" >cron.out 2>&1
	test ! -s cron.out || { cat cron.out; return 1; }
}

NIGHTLY="&& petition audit verify -q --head"
SINCE="verify -q --since"
SUNDAY='h=$(petition audit head) && { petition audit verify -q --head'

test_expect_success 'README has the crontab lines: overdue, report, check, interview, verify, head, checkpoints' '
	test "$(wc -l <lines)" -eq 8
'

test_expect_success 'nothing overdue: not a byte, no mail' '
	(cd "$SRV" && petition init -q) &&
	cron_line "schedule due" &&
	test ! -e mailed && test ! -s "$SRV/overdue.csv"
'

# Received 2026-09-01 and never routed: the route limit is 15 calendar days, so it was due
# 2026-09-16 and is overdue on 2026-11-28 (PETITION_TODAY); the letter received 2026-11-27
# is due 2026-12-12 and is not. The mail holds the header and the one overdue case.
test_expect_success 'a case overdue: the mail has it, and cron still gets nothing' '
	(cd "$SRV" &&
	 petition intake -q --channel 来访 --petitioner 赵长江 --category 欠薪 --summary 欠薪三月 \
		--received-on 2026-09-01 >../old &&
	 petition intake -q --channel 来信 --petitioner 钱明 --category 社保 --summary 社保断缴 \
		--received-on 2026-11-27 >../new) &&
	cron_line "schedule due" &&
	grep -q "^mail -s 逾期信访件 office$" mailed &&
	test "$(grep -c "^[A-Z]*-2026-" mailed)" -eq 1 &&
	grep -q "^$(cat old)," mailed && ! grep -q "$(cat new)" mailed
'

# The report's line runs on days 1-12 of a quarter's first month and works only on the first
# working day: in 2026Q4 that is Thursday 10-08 (10-01..07 National Day); on 10-01 (a
# holiday) and 10-09 it does nothing and mails nothing.
test_expect_success 'the quarterly report: nothing on a day that is not the first working day' '
	PETITION_TODAY=2026-10-01 cron_line "report quarter" && test ! -e mailed &&
	PETITION_TODAY=2026-10-09 cron_line "report quarter" && test ! -e mailed &&
	test ! -e "$SRV/report.html" && test ! -e "$SRV/report.xlsx"
'

test_expect_success 'the quarterly report on 2026-10-08: html and xlsx made, CSV mailed, cron gets nothing' '
	PETITION_TODAY=2026-10-08 cron_line "report quarter" &&
	grep -q "^mail -s 统计报告表 office$" mailed &&
	test "$(wc -l <mailed)" -gt 2 &&
	grep -q "<title>" "$SRV/report.html" && grep -q "2026Q3" "$SRV/report.html" &&
	test "$(head -c 2 "$SRV/report.xlsx")" = PK &&
	test "$(stat -c %a "$SRV/report.html" "$SRV/report.xlsx" | sort -u)" = 600
'

# The quarter before 2026-11-28 is 2026Q3: no reception day was held in July, August or
# September (two a month are required of a city union), so there are findings to mail.
test_expect_success 'compliance findings of last quarter are mailed, and cron gets nothing' '
	cron_line "audit check" &&
	grep -q "^mail -s 约谈问责 office$" mailed &&
	grep -q "2026-07: 0 reception days held, 2 required" mailed
'

# Those three months are three findings of 临沂市总工会, which reach the default threshold of
# the interview list (findings: 3), so the list has the unit on its first line.
test_expect_success 'the interview list of last quarter is mailed, and cron gets nothing' '
	cron_line "audit interview" &&
	grep -q "^mail -s 约谈名单 office$" mailed &&
	grep -q "^1,unit,LYS,临沂市总工会," mailed
'

test_expect_success 'a clean night: the head kept, verify silent, no mail' '
	cron_line "audit head >head" && test -s "$SRV/head" &&
	cron_line "$NIGHTLY" &&
	test ! -e mailed
'

test_expect_success 'a row changed behind the toolkit'"'"'s back: mailed each night, checkpoint kept' '
	echo "1:none" >"$SRV/checkpoint" &&
	sqlite3 "$SRV/petition.db" "UPDATE petitions SET petitioner = '"'"'孙某'"'"' WHERE petitioner = '"'"'钱明'"'"'" &&
	cron_line "$NIGHTLY" &&
	grep -q "^mail -s findings office$" mailed && grep -q petitions mailed &&
	cron_line "$SUNDAY" &&
	grep -q "^mail -s findings office$" mailed &&
	test "$(cat "$SRV/checkpoint")" = "1:none"
'

test_expect_success 'clean again: the Sunday check moves the checkpoint on, and the weekday one is silent' '
	sqlite3 "$SRV/petition.db" "UPDATE petitions SET petitioner = '"'"'钱明'"'"' WHERE petitioner = '"'"'孙某'"'"'" &&
	cron_line "$SUNDAY" && test ! -e mailed &&
	(cd "$SRV" && petition audit head) >expect && test_cmp expect "$SRV/checkpoint" &&
	cron_line "$SINCE" && test ! -e mailed
'

test_done
