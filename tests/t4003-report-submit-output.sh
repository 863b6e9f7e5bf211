#!/bin/sh
# A file that cannot be put in place changes nothing (petition-report(1) EXIT STATUS 73:
# "the file of -o cannot be made (nothing is recorded then)"; petition-intake(1) 73 for the
# rejects file): a directory of the name given used to refuse only the final rename, after
# the submission was recorded.
. "$(dirname "$0")/lib.sh"

test_expect_success 'setup: a county with one case of 2026Q3' '
	sed "s/^office: LYS/office: LSQ/" "$TEST_SRC/../examples/rules.yaml" >LSQ.yaml &&
	petition init -q --db LSQ.db &&
	petition rules -q --db LSQ.db load LSQ.yaml &&
	petition intake -q --db LSQ.db --received-on 2026-07-06 --channel visit --petitioner 某 \
		--category 劳动报酬 --summary 欠薪 >/dev/null &&
	mkdir out.json
'

test_expect_success 'submit -o DIRECTORY: 73, no submission, no event, no temporary file' '
	test_expect_code 73 env PETITION_TODAY=2026-10-09 petition report -q --db LSQ.db submit --period 2026Q3 \
		-o out.json 2>err &&
	grep -q "cannot create out.json: Is a directory" err &&
	! grep -q "recorded" err &&
	test "$(sqlite3 LSQ.db "SELECT count(*) FROM report_submissions")" = 0 &&
	test "$(sqlite3 LSQ.db "SELECT count(*) FROM events WHERE kind = '"'"'report_submitted'"'"'")" = 0 &&
	test "$(ls -d out.json*)" = out.json
'

test_expect_success 'submit -o FILE over an old file: replaced whole, recorded once' '
	echo old >lsq.json &&
	PETITION_TODAY=2026-10-09 petition report -q --db LSQ.db submit --period 2026Q3 -o lsq.json &&
	head -c 40 lsq.json | grep -q "^{\"format\":\"petition-submission\"" &&
	test "$(stat -c %a lsq.json)" = 600 &&
	test "$(sqlite3 LSQ.db "SELECT count(*) FROM report_submissions")" = 1 &&
	test "$(ls lsq.json*)" = lsq.json
'

test_expect_success 'intake --rejects DIRECTORY: 73, nothing registered' '
	printf "received_on,channel,petitioner,category,summary\n2026-08-01,来访,周一,咨询,问题\n2026-08-01,飞鸽,周二,咨询,问题\n" >in.csv &&
	test_expect_code 73 petition intake -q --db LSQ.db --csv in.csv --rejects out.json 2>err &&
	grep -q "cannot create out.json: Is a directory" err &&
	test "$(sqlite3 LSQ.db "SELECT count(*) FROM petitions")" = 1 &&
	test "$(ls -d out.json*)" = out.json
'

test_done
