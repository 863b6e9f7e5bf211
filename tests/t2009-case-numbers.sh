#!/bin/sh
# Case operands: the whole case number, the sequence part alone, or id:N (petition(1), CASES).
. "$(dirname "$0")/lib.sh"

q() { sqlite3 petition.db "$1"; }
take() { petition intake -q --channel 来电 --category 其他 --summary x "$@"; }

# Internal ids in order of intake (by hand):
#   id 1  LYS-2025-000001   id 2  LSQ-2026-000001 (another unit)   id 3  LYS-2026-000001
#   id 4  LYS-2025-000002   id 5  LSQ-2026-000002                  id 6  LYS-2026-000002
#   id 7  LYS-2025-000003
# So seq 1 and 2 are the office's own this year (LYS, 2026, today 2026-11-28); seq 3 is
# only LYS-2025-000003 (one match); id 2 is another unit's case.
test_expect_success 'setup: two years, two units' '
	petition init -q &&
	take --received-on 2025-10-01 --petitioner 甲 >/dev/null &&
	take --received-on 2026-10-01 --petitioner 乙 --unit LSQ >/dev/null &&
	take --received-on 2026-10-01 --petitioner 丙 >/dev/null &&
	take --received-on 2025-10-02 --petitioner 丁 >/dev/null &&
	take --received-on 2026-10-02 --petitioner 戊 --unit LSQ >/dev/null &&
	take --received-on 2026-10-02 --petitioner 己 >/dev/null &&
	take --received-on 2025-10-03 --petitioner 庚 >/dev/null &&
	test "$(q "SELECT case_no FROM petitions WHERE id = 2")" = LSQ-2026-000001
'

case_of() { petition case show "$1" --format csv | tr -d "\r" | sed -n "s/^case,case_no,\(.*\),,\$/\1/p"; }

test_expect_success 'a bare number is the office'"'"'s own case of this year, not internal id 2' '
	test "$(case_of 2)" = LYS-2026-000002 &&
	test "$(case_of 000001)" = LYS-2026-000001 &&
	petition case accept 2 --on 2026-11-02 --format csv >out &&
	grep -q "^LYS-2026-000002,accepted," out &&
	test "$(q "SELECT state FROM petitions WHERE id = 2")" = registered
'

test_expect_success 'a number no case of the office this year has: the one case that has it' '
	test "$(case_of 3)" = LYS-2025-000003
'

test_expect_success 'the whole number and id:N; a bare number of no case is 66' '
	test "$(case_of LSQ-2026-000002)" = LSQ-2026-000002 &&
	test "$(case_of id:2)" = LSQ-2026-000001 &&
	test_expect_code 66 petition case show 4 2>err &&
	grep -q "no case '"'"'4'"'"'" err &&
	test_expect_code 66 petition case show id:99 2>err &&
	test_expect_code 64 petition case show id:x 2>err &&
	grep -q "id: and digits" err
'

test_expect_success 'ambiguous: 64 listing the matches, nothing written' '
	take --received-on 2026-10-03 --petitioner 辛 --unit LSQ >/dev/null &&
	db_dump >before &&
	test_expect_code 64 petition case accept 3 --on 2026-11-03 2>err &&
	grep -q "case '"'"'3'"'"' is ambiguous: LSQ-2026-000003, LYS-2025-000003; give the whole case number" err &&
	db_dump >after &&
	test_cmp before after
'

test_expect_success 'the same look-up in route, schedule explain and audit log' '
	petition route --explain 1 --format csv >out &&
	test_expect_code 64 petition route --explain 3 2>err &&
	grep -q ambiguous err &&
	petition schedule explain 1 --format csv >out &&
	petition audit log 2 --format csv >out &&
	grep -q "LYS-2026-000002" out &&
	! grep -q "LSQ-2026-000001" out
'

test_done
