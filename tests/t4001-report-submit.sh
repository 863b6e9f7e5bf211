#!/bin/sh
# County → city (petition-report(1) SUBMIT, RECEIVE, ROLLUP, VERIFY): three county databases
# submit their 2026Q3 reports, the city receives them (one late, one resubmitted, one
# tampered and refused), rolls them up with its own row, and verify recomputes a county's
# figures from its database as it stood at the submission's head.
#
# Every figure below is counted by hand from the cases each script registers:
#   LYS (city, own):  1 visit of 2 persons                          → 1 case,  2 persons
#   LSQ:  visits of 1, 2 and 3 persons                              → 3 cases, 6 persons
#   LZQ:  a visit of 5 persons (collective: >= 5), a letter of 1    → 2 cases, 6 persons,
#         1 collective case of 5 persons
#   HDQ:  first a visit of 1 person; resubmitted after a letter of 2 persons received
#         2026-09-29 and registered late                            → 2 cases, 3 persons
#   total of the roll-up: 1+3+2+2 = 8 cases, 2+6+6+3 = 17 persons, 1 collective case of 5.
# Reception days required: 2 a month for city and county unions, 3 months: 6 each, 24 in all.
#
# The deadline (quarterly_report: 10 working days from the quarter's end, 2026-09-30):
# 10-01..07 are the National Day holiday; 10-08 (1), 10-09 (2), Saturday 10-10 a make-up
# working day (3), 10-12..16 (4-8), 10-19 (9), 10-20 (10). Due 2026-10-20: LSQ (10-09) and
# HDQ (10-15, again 10-16) are on time, LZQ (10-23) late; the other 14 counties of the
# default rules sent nothing and, by 2026-11-28, are overdue.
. "$(dirname "$0")/lib.sh"

# The copies edited behind the toolkit's back, on purpose.
replay_skip="cut.db edited.db"

# county CODE: a county database whose rules name CODE the office.
county() {
	sed "s/^office: LYS/office: $1/" "$TEST_SRC/../examples/rules.yaml" >"$1.yaml" &&
	petition init -q --db "$1.db" &&
	petition rules -q --db "$1.db" load "$1.yaml"
}

# visit DB DAY PERSONS [CHANNEL]
visit() {
	petition intake -q --db "$1" --received-on "$2" --channel "${4:-visit}" --petitioner 某 --category 劳动报酬 \
		--summary 欠薪 --persons "$3" >/dev/null
}

# reseal FILE: its digest made again over every byte before it (a forger's file)
reseal() {
	head -c -78 "$1" >body &&
	printf ',"sha256":"%s"}\n' "$(sha256sum <body | cut -d" " -f1)" >>body &&
	mv body "$1"
}

# jget FILE PATH...: members of a JSON file (SQLite's JSON functions), tab-separated
jget() {
	jg_file=$1
	shift
	jg_sql=
	for jg_p in "$@"; do
		jg_sql="$jg_sql${jg_sql:+, }json_extract(readfile('$jg_file'), '$jg_p')"
	done
	sqlite3 -separator "	" :memory: "SELECT $jg_sql"
}

# part-A columns unit, cases, persons, collective cases and persons, days required
a_cols() {
	cut -d, -f1,9,10,12,13,4
}

test_expect_success 'setup: the city and three counties with their cases' '
	petition init -q --db city.db &&
	visit city.db 2026-08-10 2 &&
	county LSQ && visit LSQ.db 2026-07-06 1 && visit LSQ.db 2026-08-03 2 && visit LSQ.db 2026-09-07 3 &&
	county LZQ && visit LZQ.db 2026-07-14 5 && visit LZQ.db 2026-09-01 1 letter &&
	county HDQ && visit HDQ.db 2026-08-20 1
'

test_expect_success 'submit: one file, its digest over every byte before the digest member' '
	PETITION_TODAY=2026-10-09 petition report -q --db LSQ.db submit --period 2026Q3 -o lsq.json &&
	test "$(stat -c %a lsq.json)" = 600 &&
	test "$(jget lsq.json \$.sha256)" = "$(head -c -78 lsq.json | sha256sum | cut -d" " -f1)" &&
	test "$(jget lsq.json \$.format \$.version \$.unit \$.level \$.period \$.submitted_on)" = \
		"$(printf "petition-submission\t1\tLSQ\tcounty\t2026Q3\t2026-10-09")" &&
	test "$(jget lsq.json "\$.parts.A.rows[1].unit" "\$.parts.A.rows[1].cases" "\$.parts.A.rows[1].persons")" = \
		"$(printf "total\t3\t6")" &&
	test "$(sqlite3 :memory: "SELECT group_concat(key, '"'"' '"'"') FROM json_each(readfile('"'"'lsq.json'"'"'), '"'"'\$.parts'"'"')")" = \
		"A B C D month typical"
'

test_expect_success 'submit: the head is the log before the submission, the event and row record it' '
	test "$(jget lsq.json \$.head.id \$.head.hash | tr "\t" :)" = \
		"$(sqlite3 LSQ.db "SELECT id || '"'"':'"'"' || hash FROM events WHERE id = (SELECT max(id) - 1 FROM events)")" &&
	test "$(sqlite3 LSQ.db "SELECT kind FROM events ORDER BY id DESC LIMIT 1")" = report_submitted &&
	test "$(sqlite3 LSQ.db "SELECT direction, unit, period, sha256 = '"'"'$(jget lsq.json \$.sha256)'"'"'
		FROM report_submissions")" = "sent|LSQ|2026Q3|1"
'

test_expect_success 'submit: the other counties, one late, one corrected' '
	PETITION_TODAY=2026-10-23 petition report -q --db LZQ.db submit --period 2026Q3 -o lzq.json &&
	PETITION_TODAY=2026-10-15 petition report -q --db HDQ.db submit --period 2026Q3 -o hdq1.json &&
	visit HDQ.db 2026-09-29 2 letter &&
	PETITION_TODAY=2026-10-16 petition report -q --db HDQ.db submit --period 2026Q3 --reason 补登一件 -o hdq2.json &&
	test "$(sqlite3 HDQ.db "SELECT id, coalesce(supersedes, '"'"'-'"'"'), coalesce(reason, '"'"'-'"'"')
		FROM report_submissions ORDER BY id" | tr "\n" " ")" = "1|-|- 2|1|补登一件 "
'

test_expect_success 'submit --rules: the head before the override event, the trial rules flagged by verify' '
	cp LSQ.yaml trial.yaml && echo "# a trial" >>trial.yaml &&
	PETITION_TODAY=2026-10-09 petition report -q --db LSQ.db --rules trial.yaml --dry-run submit --period 2026Q3 >trial.json &&
	test "$(jget trial.json \$.head.id)" = "$(sqlite3 LSQ.db "SELECT max(id) FROM events")" &&
	test_expect_code 1 petition report verify --db LSQ.db trial.json --format csv >out &&
	tr -d "\r" <out | grep ",differs$" | cut -d, -f1-3 >got &&
	echo ",,rules_sha256" >expect &&
	test_cmp expect got
'

test_expect_success 'submit --dry-run writes no file and records nothing' '
	PETITION_TODAY=2026-10-09 petition report -q --db LSQ.db --dry-run submit --period 2026Q3 -o dry.json >shown &&
	test ! -e dry.json &&
	test "$(tail -c 79 shown | head -c 12)" = "},\"sha256\":\"" &&
	test "$(sqlite3 LSQ.db "SELECT count(*) FROM report_submissions")" = 1
'

test_expect_success 'receive: the three at the city' '
	petition report --db city.db receive lsq.json lzq.json hdq1.json 2>err &&
	grep -q "lzq.json: received$" err &&
	test "$(sqlite3 city.db "SELECT group_concat(unit) FROM (SELECT unit FROM report_submissions
		WHERE direction = '"'"'received'"'"' ORDER BY id)")" = \
		LSQ,LZQ,HDQ &&
	test "$(sqlite3 city.db "SELECT count(*) FROM events WHERE kind = '"'"'report_received'"'"'")" = 3
'

test_expect_success 'receive: the same file again changes nothing' '
	db_dump city.db >before &&
	petition report --db city.db receive lsq.json 2>err &&
	grep -q "received before, the same: nothing to do" err &&
	db_dump city.db >after &&
	test_cmp before after
'

test_expect_success 'receive: a different one for the same unit and period is refused without --replace' '
	db_dump city.db >before &&
	test_expect_code 65 petition report --db city.db receive hdq2.json 2>err &&
	grep -q "^petition-report: hdq2.json: HDQ 2026Q3 was received before .* --replace --reason TEXT" err &&
	db_dump city.db >after &&
	test_cmp before after &&
	test_expect_code 64 petition report --db city.db receive --replace hdq2.json 2>err &&
	grep -q "reason" err
'

test_expect_success 'receive --replace --reason: the correction supersedes, both kept' '
	petition report -q --db city.db receive --replace --reason 县里更正 hdq2.json &&
	test "$(sqlite3 city.db "SELECT s.id, n.supersedes, n.reason FROM report_submissions s
		JOIN report_submissions n ON n.supersedes = s.id WHERE s.unit = '"'"'HDQ'"'"'")" = "3|3|县里更正"
'

test_expect_success 'receive: a tampered file is refused, named, and nothing of the run is kept' '
	sed "s/\"cases\": 3/\"cases\": 4/" lsq.json >tampered.json &&
	! cmp -s lsq.json tampered.json &&
	PETITION_TODAY=2026-10-09 petition report -q --db HDQ.db submit --period 2026Q2 -o hdq-q2.json &&
	db_dump city.db >before &&
	test_expect_code 65 petition report --db city.db receive hdq-q2.json tampered.json 2>err &&
	grep -q "^petition-report: tampered.json: the digest does not match the content" err &&
	db_dump city.db >after &&
	test_cmp before after
'

test_expect_success 'receive --dry-run checks and stores nothing; a locked database: 75, nothing stored' '
	db_dump city.db >before &&
	petition report --db city.db --dry-run receive hdq-q2.json 2>err &&
	grep -q "hdq-q2.json: received (dry run)" err &&
	hold_write_lock city.db 2 &
	sleep 0.5 &&
	PETITION_BUSY_TIMEOUT=100 test_expect_code 75 petition report --db city.db receive hdq-q2.json 2>err &&
	grep -q "busy" err &&
	wait &&
	db_dump city.db >after &&
	test_cmp before after
'

test_expect_success 'receive: bad files, each with its message' '
	printf "{}\n" >short.json &&
	test_expect_code 65 petition report -q --db city.db receive short.json 2>err &&
	grep -q "short.json: not a submission file" err &&
	sed "s/\"version\":1/\"version\":2/" lsq.json >v2.json && reseal v2.json &&
	test_expect_code 65 petition report -q --db city.db receive v2.json 2>err &&
	grep -q "v2.json: field .version.: not a version this program reads" err &&
	petition report -q --db city.db submit --period 2026Q3 -o city.json &&
	test_expect_code 65 petition report -q --db city.db receive city.json 2>err &&
	grep -q "city.json: field .unit.: .LYS. is not a unit below LYS in the rules" err &&
	sed "s/\"period\":\"2026Q3\"/\"period\":\"2026Q5\"/" lsq.json >q5.json && reseal q5.json &&
	test_expect_code 65 petition report -q --db city.db receive q5.json 2>err &&
	grep -q "q5.json: field .period.: not a period" err &&
	test_expect_code 66 petition report -q --db city.db receive nosuch.json 2>err &&
	grep -q "nosuch.json" err &&
	test_expect_code 64 petition report -q --db city.db receive 2>err
'

test_expect_success 'rollup: the city row from its own cases, a row per county from its submission, the total' '
	petition report --db city.db rollup --period 2026Q3 --format csv >out &&
	sed -n "/^A /,/^$/p" out | sed 1,2d | sed "/^$/d" | a_cols >got &&
	cat >expect <<-\EOF &&
	LYS,6,1,2,0,0
	LSQ,6,3,6,0,0
	LZQ,6,2,6,1,5
	HDQ,6,2,3,0,0
	total,24,8,17,1,5
	EOF
	test_cmp expect got
'

test_expect_success 'rollup: who submitted, on time or late, and who is overdue' '
	petition report --db city.db rollup --period 2026Q3 --format csv | tr -d "\r" >out &&
	sed -n "/^status /,\$p" out | sed 1,2d >status &&
	grep -q "^LSQ,兰山区总工会,2026-10-20,2026-10-09,2026-11-28,1,on_time$" status &&
	grep -q "^LZQ,罗庄区总工会,2026-10-20,2026-10-23,2026-11-28,1,late$" status &&
	grep -q "^HDQ,河东区总工会,2026-10-20,2026-10-16,2026-11-28,2,on_time$" status &&
	test "$(grep -c ",0,overdue$" status)" = 14 &&
	PETITION_TODAY=2026-10-20 petition report --db city.db rollup --period 2026Q3 --format csv | tr -d "\r" >early &&
	test "$(grep -c ",0,not_yet$" early)" = 14
'

test_expect_success 'rollup --format json: numbers as numbers' '
	petition report --db city.db rollup --period 2026Q3 --format json >out.json &&
	test "$(jget out.json "\$.A[4].unit" "\$.A[4].cases" "\$.status[1].unit" "\$.status[1].state")" = \
		"$(printf "total\t8\tLZQ\tlate")" &&
	test "$(sqlite3 :memory: "SELECT json_type(readfile('"'"'out.json'"'"'), '"'"'\$.A[4].cases'"'"')")" = integer
'

test_expect_success 'audit check: the late county at home, the missing ones at the city' '
	test_expect_code 1 petition audit --db LZQ.db check --period 2026Q3 --format tsv >out &&
	grep -q "^R3.3-quarterly-report	.*	LZQ	.*2026Q3: the quarterly report to LYS due 2026-10-20 was made on 2026-10-23, after its deadline" out &&
	petition audit --db LSQ.db check --period 2026Q3 --format tsv >out;
	! grep -q "^R3.3" out &&
	test_expect_code 1 petition audit --db city.db check --period 2026Q3 --format tsv >out &&
	test "$(grep -c "^R3.3-lower-report" out)" = 15 &&
	grep -q "^R3.3-lower-report	.*	LZQ	.*was made on 2026-10-23, after its deadline" out &&
	! grep -q "^R3.3-lower-report	[^	]*	LSQ	" out
'

test_expect_success 'verify: an honest submission matches, figure by figure, after the county moved on' '
	visit LSQ.db 2026-09-21 4 &&
	petition report verify --db LSQ.db lsq.json --format csv | tr -d "\r" >out &&
	test "$(grep -c ",differs$" out)" = 0 &&
	grep -q "^A,total,cases,3,3,match$" out &&
	grep -q "^,,rules_sha256,.*,match$" out
'

test_expect_success 'verify: a doctored submission names the figures that differ' '
	sed "s/\"unit\": \"LSQ\", \"name\": \"兰山区总工会\", \"level\": \"县级\", \"days_required\": 6, \"days_planned\": 0, \"days_held\": 0, \"months_below\": 3, \"leaders_received\": 0, \"cases\": 3/&0/" \
		lsq.json >doctored.json && reseal doctored.json &&
	test_expect_code 1 petition report verify --db LSQ.db doctored.json --format csv >out 2>err &&
	tr -d "\r" <out | grep ",differs$" >got &&
	echo "A,LSQ,cases,30,3,differs" >expect &&
	test_cmp expect got &&
	grep -q "1 figures differ" err
'

test_expect_success 'verify: a head the database does not hold' '
	test_expect_code 66 petition report verify --db LZQ.db lsq.json 2>err &&
	grep -q "the log does not hold event" err &&
	test_expect_code 66 petition report verify --db nosuch.db lsq.json 2>err &&
	grep -q "nosuch.db" err &&
	test_expect_code 64 petition report verify --db LSQ.db 2>err &&
	grep -q "verify needs one submission file" err
'

test_expect_success 'verify: a log edited before the head cannot be recomputed from' '
	cp LSQ.db edited.db &&
	sqlite3 edited.db "UPDATE events SET operator = '"'"'某'"'"' WHERE id = 3" &&
	test_expect_code 65 petition report verify --db edited.db lsq.json 2>err &&
	grep -q "edited.db: its log up to event [0-9]* has 1 findings (petition audit verify)" err
'

test_expect_success 'audit verify: the head kept in a submission sent, cut off the log' '
	cp LSQ.db cut.db &&
	head=$(jget lsq.json \$.head.id) &&
	sqlite3 cut.db "DELETE FROM events WHERE id >= $head" &&
	test_expect_code 1 petition audit --db cut.db verify --format tsv >out &&
	grep -q "id=$head	.*the log no longer holds the head kept in the submission sent of LSQ 2026Q3" out
'

test_expect_success 'submit: an output file that cannot be made' '
	test_expect_code 73 petition report -q --db LSQ.db submit --period 2026Q3 -o nosuch/dir.json 2>err &&
	grep -q "cannot create nosuch/dir.json" err &&
	test "$(sqlite3 LSQ.db "SELECT count(*) FROM report_submissions")" = 1
'

test_done
