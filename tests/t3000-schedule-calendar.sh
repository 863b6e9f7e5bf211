#!/bin/sh
# petition-schedule calendar: the working calendar of the default rules, worked by hand
# from the State Council notices quoted in examples/rules.yaml.
. "$(dirname "$0")/lib.sh"

test_expect_success 'setup' '
	petition init -q
'

test_expect_success 'Spring Festival 2026: 02-14 (Sat) worked, 02-15..23 off, 02-24 back' '
	petition schedule calendar --from 2026-02-13 --to 2026-02-24 --format csv | tr -d "\r" >out &&
	cat >expect <<-\EOF &&
	date,weekday,kind,holiday,provisional
	2026-02-13,周五,work,,
	2026-02-14,周六,makeup,,
	2026-02-15,周日,holiday,春节,
	2026-02-16,周一,holiday,春节,
	2026-02-17,周二,holiday,春节,
	2026-02-18,周三,holiday,春节,
	2026-02-19,周四,holiday,春节,
	2026-02-20,周五,holiday,春节,
	2026-02-21,周六,holiday,春节,
	2026-02-22,周日,holiday,春节,
	2026-02-23,周一,holiday,春节,
	2026-02-24,周二,work,,
	EOF
	test_cmp expect out
'

test_expect_success 'working days: February 2026 16, October 2026 18, 2025 248' '
	test "$(petition schedule calendar --month 2026-02 --count)" = 16 &&
	test "$(petition schedule calendar --month 2026-10 --count)" = 18 &&
	test "$(petition schedule calendar --year 2025 --count)" = 248
'

test_expect_success 'National Day 2025 runs 10-01..08; 09-28 (Sun) and 10-11 (Sat) are worked: 6 working days 09-27..10-12' '
	petition schedule calendar --from 2025/9/27 --to 2025年10月12日 --format tsv >out &&
	test "$(grep -c "	holiday	国庆节、中秋节	" out)" = 8 &&
	grep -q "^2025-09-28	周日	makeup" out &&
	grep -q "^2025-10-11	周六	makeup" out &&
	grep -q "^2025-10-12	周日	weekend" out &&
	test "$(petition schedule calendar --from 2025-09-27 --to 2025-10-12 --count)" = 6
'

test_expect_success 'a year without a calendar: weekends only, marked provisional, warned' '
	petition schedule calendar --from 2026-12-31 --to 2027-01-04 --format csv 2>err | tr -d "\r" >out &&
	grep -q "^2026-12-31,周四,work,,$" out &&
	grep -q "^2027-01-01,周五,work,,yes$" out &&
	grep -q "^2027-01-04,周一,work,,yes$" out &&
	grep -q "no calendar for 2027" err &&
	petition schedule calendar -q --year 2027 --count >out 2>err &&
	test "$(cat out)" = 261 && test ! -s err
'

test_expect_success 'the default range is this month (PETITION_TODAY 2026-11-28)' '
	petition schedule calendar --format csv >out &&
	test "$(wc -l <out)" = 31 &&
	grep -q "^2026-11-01," out && grep -q "^2026-11-30," out
'

test_expect_success 'json output' '
	petition schedule calendar --from 2026-10-01 --to 2026-10-01 --format json >out &&
	grep -q "\"kind\": \"holiday\", \"holiday\": \"国庆节\"" out
'

test_expect_success 'usage errors: 64' '
	test_expect_code 64 petition schedule 2>err &&
	test_expect_code 64 petition schedule frob 2>err &&
	test_expect_code 64 petition schedule calendar --year 2026 --month 2026-01 2>err &&
	test_expect_code 64 petition schedule calendar --from 2026-01-01 2>err &&
	grep -q "go together" err &&
	test_expect_code 64 petition schedule calendar --month 2026-13 2>err &&
	test_expect_code 64 petition schedule calendar --from 2026-02-30 --to 2026-03-01 2>err &&
	test_expect_code 64 petition schedule calendar --from 2026-03-01 --to 2026-02-01 2>err &&
	grep -q "ends before it begins" err &&
	test_expect_code 64 petition schedule calendar --from 1900-01-01 --to 2100-12-31 --count 2>err
'

test_expect_success 'no database: 66; bad rules: 78; output that cannot be written: 74' '
	test_expect_code 66 petition schedule --db none.db calendar 2>err &&
	printf "version: 1\n" >bad.yaml &&
	test_expect_code 78 petition schedule --rules bad.yaml calendar 2>err &&
	test_expect_code 74 petition schedule calendar --year 2026 >/dev/full 2>err
'

test_expect_success 'a calendar in the rules is checked: make-up days on weekends, in the year' '
	sed -e "s/workdays: \[2026-01-04,/workdays: [2026-01-05,/" -e "s/from: 2026-04-04, to: 2026-04-06/from: 2026-04-06, to: 2026-04-04/" \
		"$TEST_SRC/../examples/rules.yaml" >cal.yaml &&
	test_expect_code 1 petition rules check cal.yaml 2>err &&
	grep -q "make-up working day 2026-01-05 is a weekday" err &&
	grep -q "holiday '"'"'清明节'"'"' ends before it begins" err
'

test_done
