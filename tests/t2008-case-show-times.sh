#!/bin/sh
# Times shown in Beijing time (or the rules' timezone) with the offset; case show on a
# terminal fits its width, one event a line with its data wrapped below.
. "$(dirname "$0")/lib.sh"

q() { sqlite3 petition.db "$1"; }
# The stored time of event N in a zone, worked out by date(1) and the tz database, not by us.
at_in() { TZ=$2 date -d "$(q "SELECT at FROM events WHERE id = $1")" +%Y-%m-%dT%H:%M:%S%:z; }

# 90 characters of Chinese, 180 columns on a terminal: wider than two lines of 80.
long=$(printf '请依法办理%.0s' $(seq 18))

test_expect_success 'setup: a case with an instruction of 90 characters' '
	petition init -q &&
	petition intake -q --received-on 2026-09-01 --channel 来信 --petitioner 钱秀英 --category 社会保险 \
		--summary 养老保险补缴 --addressed-to 张海燕 >/dev/null &&
	petition route -q --format csv LYS-2026-000001 >/dev/null &&
	petition case instruct LYS-2026-000001 --by 张海燕 --text "$long" --on 2026-09-02 --format csv >/dev/null &&
	test "$(q "SELECT count(*) FROM events")" = 5
'

test_expect_success 'case show: each event'"'"'s time in Beijing time with +08:00 (csv and json)' '
	petition case show LYS-2026-000001 --format csv | tr -d "\r" | grep "^event," >ev &&
	test "$(wc -l <ev)" = 3 &&
	grep -q "^event,5 instructed,.*,$(at_in 5 Asia/Shanghai),tester (petition-case)\$" ev &&
	petition case show LYS-2026-000001 --format json >show.json &&
	grep -q "\"date\": \"$(at_in 3 Asia/Shanghai)\"" show.json
'

test_expect_success 'audit log and rules history: Beijing time' '
	petition audit log --format csv 2>/dev/null | tr -d "\r" | sed -n 2p | cut -d, -f2 >got &&
	at_in 1 Asia/Shanghai >expect &&
	test_cmp expect got &&
	petition rules history --format csv | tr -d "\r" | sed -n 2p | cut -d, -f2 >got &&
	test_cmp expect got
'

test_expect_success 'timezone in the rules: +05:30 (Asia/Kolkata has no daylight saving), UTC' '
	sed "s/^office: LYS\$/office: LYS\ntimezone: \"+05:30\"/" "$TEST_SRC/../examples/rules.yaml" >ist.yaml &&
	grep -q "^timezone" ist.yaml &&
	petition case show LYS-2026-000001 --rules ist.yaml --format csv | tr -d "\r" | grep "^event,5 " >ev &&
	grep -q ",$(at_in 5 Asia/Kolkata),tester" ev &&
	sed "s/^timezone: .*/timezone: UTC/" ist.yaml >utc.yaml &&
	petition audit log --rules utc.yaml --format csv 2>/dev/null | tr -d "\r" | sed -n 2p | cut -d, -f2 >got &&
	at_in 1 UTC >expect &&
	test_cmp expect got
'

test_expect_success 'a zone with daylight saving or unknown: a problem at its line (check 1, load 78)' '
	sed "s/^timezone: .*/timezone: Europe\/Paris/" ist.yaml >paris.yaml &&
	line=$(grep -n "^timezone" paris.yaml | cut -d: -f1) &&
	test_expect_code 1 petition rules check paris.yaml 2>err &&
	grep -q "paris.yaml:$line:11: timezone '"'"'Europe/Paris'"'"' is not known" err &&
	sed "s/^timezone: .*/timezone: \"+8:00\"/" ist.yaml >short.yaml &&
	test_expect_code 1 petition rules check short.yaml 2>err &&
	db_dump >before &&
	test_expect_code 78 petition rules load paris.yaml 2>err &&
	db_dump >after &&
	test_cmp before after
'

# Display width by Unicode East Asian Width (W and F are 2 columns), as a terminal shows it.
widest() {
	python3 -c "
import sys, unicodedata
print(max(sum(2 if unicodedata.east_asian_width(c) in 'WF' else 1 for c in l.rstrip('\n')) for l in sys.stdin))"
}

test_expect_success 'case show on an 80-column terminal: no line wider than 80, the note whole' '
	COLUMNS=80 petition case show LYS-2026-000001 --format table >show.txt &&
	test "$(widest <show.txt)" -le 80 &&
	sed -n "/^event/,\$p" show.txt >history &&
	test "$(grep -c "^  2026-" history)" = 3 &&
	grep -q "^  $(at_in 5 Asia/Shanghai)  5 instructed  tester (petition-case)\$" history &&
	sed -n "/5 instructed/,\$p" history | sed "1d; s/^ *//" | tr -d "\n" | grep -q "text: \{0,1\}$long; step: 1" &&
	test "$(sed -n "/5 instructed/,\$p" history | sed 1d | grep -vc "^      [^ ]")" = 0
'

test_expect_success 'a narrower terminal: 60 columns' '
	COLUMNS=60 petition case show LYS-2026-000001 --format table >show.txt &&
	test "$(widest <show.txt)" -le 60 &&
	grep -q "^  petitioner         钱秀英\$" show.txt
'

test_done
