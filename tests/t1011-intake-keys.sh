#!/bin/sh
# The keys of the petitions (schema/006-keys.sql, petition(7) "The data"): a case number and
# a duplicate are found by a 64-bit key and confirmed on the columns themselves, so that two
# petitions that share a key are still told apart; and with no UNIQUE index, the toolkit
# still never gives a case number twice.
. "$(dirname "$0")/lib.sh"

header='received_on,channel,petitioner,id_number,category,summary,external_id'

test_expect_success 'case numbers: singles, imports and a re-import give each number once' '
	petition init -q &&
	{ echo "$header" &&
	  echo "2026-11-02,来访,张三,11010519491231002X,劳动报酬,讨薪,A-1" &&
	  echo "2026-11-03,来信,李四,,咨询,询问,"
	  echo "2026-11-04,来电,王五,,咨询,询问社保," ; } >in.csv &&
	petition intake -q --received-on 2026-11-01 --channel 来访 --petitioner 赵六 --category 咨询 --summary 问 >one &&
	petition intake -q --csv in.csv &&
	petition intake -q --csv in.csv &&
	petition intake -q --received-on 2026-11-01 --channel 来访 --petitioner 赵六 --category 咨询 --summary 问 >again &&
	petition intake -q --received-on 2026-11-05 --channel 来访 --petitioner 孙七 --category 咨询 --summary 问 >two &&
	# the first single, the three rows, the second single: five cases, numbered 1 to 5 of the
	# office (LYS) and the year received (2026); the re-import and the repeated single add none
	echo LYS-2026-000001 >expect && test_cmp expect one && test_cmp expect again &&
	echo LYS-2026-000005 >expect && test_cmp expect two &&
	sqlite3 petition.db "SELECT case_no FROM petitions ORDER BY id" >got &&
	printf "LYS-2026-00000%d\n" 1 2 3 4 5 >expect &&
	test_cmp expect got
'

# In k.db, keys are set with sqlite3 as if two different petitions shared one (a 64-bit
# collision, which no test could find by chance): the look-ups must still tell them apart.
replay_skip="k.db"

test_expect_success 'setup: the keys of two petitions, from a database of their own' '
	petition init -q --db other.db &&
	{ echo "$header" &&
	  echo "2026-11-10,来访,周八,,咨询,问工伤,"
	  echo "2026-11-11,来访,吴九,,咨询,问欠薪,B-7" ; } >new.csv &&
	petition intake -q --db other.db --csv new.csv &&
	content_key=$(sqlite3 other.db "SELECT dup_key FROM petitions WHERE id = 1") &&
	ext_key=$(sqlite3 other.db "SELECT dup_key FROM petitions WHERE id = 2") &&
	test -n "$content_key" && test -n "$ext_key" &&
	cp petition.db k.db &&
	# case 3 (李四, no external_id) takes the key of 周八'"'"'s petition, case 2 (张三, A-1) that
	# of B-7, case 1 (赵六) the case key of case 4 (王五)
	sqlite3 k.db "UPDATE petitions SET dup_key = $content_key WHERE id = 3;
		UPDATE petitions SET dup_key = $ext_key WHERE id = 2;
		UPDATE petitions SET case_key = (SELECT case_key FROM petitions WHERE id = 4) WHERE id = 1"
'

test_expect_success 'a petition under a key another one has is new, not present or a clash' '
	petition intake --db k.db --csv new.csv 2>err &&
	grep -q "2 added, 0 already present, 0 rejected" err &&
	test "$(sqlite3 k.db "SELECT group_concat(petitioner) FROM petitions WHERE id > 5")" = 周八,吴九
'

test_expect_success 'a case number under a key another case has finds its own case' '
	petition case show LYS-2026-000004 --db k.db --format csv >show &&
	grep -q "^case,petitioner,王五," show &&
	petition case show 4 --db k.db --format csv >show &&
	grep -q "^case,petitioner,王五," show
'

# In lowered.db, case_seq is set back with sqlite3 (LYS 2026: 5 -> 3): the next number, 4, is
# case 4's already, and with no UNIQUE index nothing else would stop it being given twice.
replay_skip="k.db lowered.db"

test_expect_success 'a case_seq set back behind the toolkit: no number is given twice' '
	cp petition.db lowered.db &&
	sqlite3 lowered.db "UPDATE case_seq SET last = 3 WHERE unit = '"'"'LYS'"'"' AND year = 2026" &&
	sqlite3 lowered.db .dump >before &&
	test_expect_code 70 petition intake -q --db lowered.db --received-on 2026-11-06 --channel 来访 \
		--petitioner 钱十 --category 咨询 --summary 问 2>err &&
	grep -q "case number LYS-2026-000004 is already given, but the database.s last number of LYS in 2026 is 3" err &&
	{ echo "$header" && echo "2026-11-07,来访,钱十,,咨询,问工时," ; } >late.csv &&
	test_expect_code 70 petition intake -q --db lowered.db --csv late.csv 2>err &&
	grep -q "case number LYS-2026-000004 is already given" err &&
	sqlite3 lowered.db .dump >after &&
	test_cmp before after
'

test_done
