#!/bin/sh
# petition schedule workday: a working day, and the first of its month or quarter, on the
# 2026 calendar of the default rules (国务院办公厅 notice of 2025-11-04), worked by hand:
#   2026-01-01..03 元旦 off; 01-04 (Sunday) a make-up working day: the first working day of
#     January and of Q1; 01-05 (Monday) a working day, not the first;
#   2026-02-01 a Sunday: 02-02 (Monday) the first working day of February, not of a quarter;
#   2026-04-01 (Wednesday): the first of Q2 (清明 is 04-04..06);
#   2026-10-01..07 国庆 off: 10-08 (Thursday) the first of Q4; 10-10 (Saturday) a make-up
#     working day, not the first; 10-11 (Sunday) a rest day;
#   2025-10-01..08 off: 2025-10-09 (Thursday) the first of 2025Q4.
. "$(dirname "$0")/lib.sh"

# workday EXPECTED ARGS...: the exit status, and nothing on stdout or stderr.
workday() {
	want=$1
	shift
	test_expect_code "$want" petition schedule workday "$@" >out 2>err &&
	test ! -s out && test ! -s err
}

test_expect_success 'setup' '
	petition init -q
'

test_expect_success 'the first working day of a quarter' '
	workday 0 --first quarter 2026-01-04 &&
	workday 0 --first quarter 2026-04-01 &&
	workday 0 --first quarter 2026-10-08 &&
	workday 0 --first quarter 2025-10-09
'

test_expect_success 'not the first working day of a quarter' '
	workday 1 --first quarter 2026-01-01 &&
	workday 1 --first quarter 2026-01-05 &&
	workday 1 --first quarter 2026-02-02 &&
	workday 1 --first quarter 2026-10-01 &&
	workday 1 --first quarter 2026-10-09 &&
	workday 1 --first quarter 2026-10-10
'

test_expect_success 'the first working day of a month' '
	workday 0 --first month 2026-02-02 &&
	workday 1 --first month 2026-02-01 &&
	workday 1 --first month 2026-02-03 &&
	workday 0 --first month 2026-01-04
'

test_expect_success 'a working day at all: make-up Saturday yes, holiday and Sunday no' '
	workday 0 2026-10-10 &&
	workday 0 2026-10-09 &&
	workday 1 2026-10-11 &&
	workday 1 2026-10-05
'

test_expect_success 'today when no day is given (PETITION_TODAY 2026-11-28, a Saturday)' '
	workday 1 &&
	PETITION_TODAY=2026-10-08 workday 0 --first quarter
'

test_expect_success 'a year with no calendar: by weekends alone, with a warning (unless -q)' '
	test_expect_code 0 petition schedule workday --first quarter 2027-01-01 2>err &&
	grep -q "no calendar for 2027" err &&
	workday 0 -q --first quarter 2027-01-01
'

test_expect_success 'usage errors (64): --first of anything else, a bad date, two dates' '
	test_expect_code 64 petition schedule workday --first week 2026-10-08 2>err &&
	grep -q "first .week.: give month or quarter" err &&
	test_expect_code 64 petition schedule workday 2026-13-01 2>err &&
	grep -q "not a date" err &&
	test_expect_code 64 petition schedule workday 2026-10-08 2026-10-09
'

test_expect_success 'no database (66)' '
	test_expect_code 66 petition schedule workday --db nowhere.db 2026-10-08
'

test_done
