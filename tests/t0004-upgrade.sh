#!/bin/sh
# A database made by an earlier version (schema 1, tests/fixtures/db/v1.sql: cases in every
# state, steps, receptions, a rules load, made with the release before the law's changes)
# upgrades with petition init and keeps every case and its history: the log still replays
# to every table, and the old cases go on through their course.
. "$(dirname "$0")/lib.sh"

test_expect_success 'setup: the schema-1 database' '
	sqlite3 petition.db <"$FIXTURES/db/v1.sql" &&
	sqlite3 petition.db "PRAGMA user_version = 1" &&
	chmod 600 petition.db &&
	sqlite3 petition.db "SELECT case_no, state FROM petitions ORDER BY id" >cases.before &&
	sqlite3 petition.db "SELECT id, kind, hash FROM events ORDER BY id" >events.before &&
	test "$(wc -l <cases.before)" -eq 7
'

test_expect_success 'init upgrades it to the current schema' '
	petition init 2>err &&
	test "$(sqlite3 petition.db "PRAGMA user_version")" = "$(ls "$TEST_SRC"/../schema/*.sql | wc -l)"
'

test_expect_success 'every case and every event is kept' '
	sqlite3 petition.db "SELECT case_no, state FROM petitions ORDER BY id" >cases.after &&
	test_cmp cases.before cases.after &&
	sqlite3 petition.db "SELECT id, kind, hash FROM events ORDER BY id" >events.after &&
	head -n "$(wc -l <events.before)" events.after >events.kept &&
	test_cmp events.before events.kept
'

test_expect_success 'the rules in force, an earlier default, become this version'"'"'s default' '
	test "$(sqlite3 petition.db "SELECT sha256 FROM rules WHERE kind = '"'"'load'"'"' ORDER BY id DESC LIMIT 1")" = \
		"$(sha256sum <"$TEST_SRC/../examples/rules.yaml" | cut -d" " -f1)" &&
	test "$(sqlite3 petition.db "SELECT count(*) FROM rules")" = 2
'

test_expect_success 'old events keep their meaning: an acceptance recorded before told the petitioner that day' '
	petition schedule explain LYS-2026-000001 --format tsv | grep "^route	" | cut -f8 >got &&
	echo "met (notified 2026-09-03)" >expect &&
	test_cmp expect got
'

test_expect_success 'the upgraded log replays to every table' '
	petition audit verify --format csv >findings &&
	test "$(wc -l <findings)" -eq 1
'

test_expect_success 'an old case goes on: the routed unnamed letter is instructed' '
	PETITION_OPERATOR=张海燕 petition case instruct LYS-2026-000005 --by 李文华 --text 阅 --on 2026-11-02 \
		--format csv >/dev/null &&
	petition case show LYS-2026-000005 --format csv >show &&
	grep -q "^event,[0-9]* instructed," show &&
	petition audit verify --format csv >findings &&
	test "$(wc -l <findings)" -eq 1
'

test_expect_success 'the submissions table of schema 4: a submission after the upgrade, proven by the log' '
	test "$(sqlite3 petition.db "SELECT group_concat(name) FROM pragma_table_info('"'"'report_submissions'"'"')")" = \
		id,direction,unit,period,submitted_on,received_on,made_at,head_id,head_hash,rules_sha256,sha256,content,supersedes,reason,event_id &&
	petition report -q submit --period 2026Q3 -o q3.json &&
	petition report verify q3.json --db petition.db --format csv >out &&
	! grep -q ",differs" out &&
	petition audit verify --format csv >findings &&
	test "$(wc -l <findings)" -eq 1
'

# A database of schema 5 holding rows (tests/fixtures/db/v5.sql, made with the release before
# schema 6 from the four rows below, two with an external_id, then one single intake, routed,
# the first accepted): schema 6 makes the petitions table again without its two UNIQUE
# indexes, with the integer keys of the case number and the duplicate check.
cat >v5.csv <<'EOF'
received_on,channel,petitioner,id_number,phone,employer,unit,category,persons,summary,external_id
2026-10-09,visit,赵长江,371302197203151235,13805391234,临沂华鑫机械有限公司,LYS,欠薪,1,拖欠工资18600元,2026-101
2026-10-12,letter,钱秀英,371311198006112422,,兰山区某纺织厂,LYS,社会保险,1,未缴养老保险,2026-102
2026-10-14,phone,孙立新,,13905396789,,LYS,劳动合同,1,未签劳动合同,
2026-10-20,visit,李春梅,440524188001010014,,罗庄某厂,LYS,工伤职业病,6,工伤认定,
EOF

test_expect_success 'setup: the schema-5 database with five cases' '
	sqlite3 v5.db <"$FIXTURES/db/v5.sql" &&
	sqlite3 v5.db "PRAGMA user_version = 5" &&
	chmod 600 v5.db &&
	sqlite3 v5.db "SELECT * FROM petitions ORDER BY id" >v5.before &&
	sqlite3 v5.db "SELECT * FROM steps ORDER BY id" >steps.before &&
	test "$(wc -l <v5.before)" -eq 5
'

test_expect_success 'schema 5 upgrades: every row kept, column for column, its steps with it' '
	petition init --db v5.db 2>err &&
	grep -q "upgraded from schema version 5 to 8" err &&
	test "$(sqlite3 v5.db "PRAGMA user_version")" = 8 &&
	sqlite3 v5.db "SELECT id, case_no, unit, received_on, channel, petitioner, id_number, phone, employer,
		received_by, category, persons, addressed_to, summary, external_id, source_ref, repeat_key, collective,
		repeat, named_letter, dedup_key, state, holder, outcome, satisfaction, event_id, matter_key, repeat_of,
		final_of, competent_unit, skip_level, addressed_unknown FROM petitions ORDER BY id" >v5.after &&
	test_cmp v5.before v5.after &&
	sqlite3 v5.db "SELECT * FROM steps ORDER BY id" >steps.after &&
	test_cmp steps.before steps.after &&
	test -z "$(sqlite3 v5.db "PRAGMA foreign_key_check")" &&
	sqlite3 v5.db "SELECT sql FROM sqlite_schema WHERE name = '"'"'steps'"'"'" | grep -q "REFERENCES petitions(id)" &&
	# schema 7: the steps lose their index by holder, which nothing read
	test "$(sqlite3 v5.db "SELECT count(*) FROM sqlite_schema WHERE name = '"'"'steps_holder'"'"'")" = 0 &&
	test "$(sqlite3 v5.db "SELECT count(*) FROM sqlite_schema WHERE name = '"'"'steps_event'"'"'")" = 1 &&
	# schema 8: imports written in slices, none being written
	test "$(sqlite3 v5.db "SELECT count(*) FROM imports") $(sqlite3 v5.db "SELECT count(*) FROM import_seqs")" = "0 0"
'

test_expect_success 'no UNIQUE index on the petitions; the keys are integers, the case key of LYS-2026-000001 by hand' '
	test "$(sqlite3 v5.db "SELECT count(*) FROM pragma_index_list('"'"'petitions'"'"') WHERE \"unique\"")" = 0 &&
	test "$(sqlite3 v5.db "SELECT count(*) FROM petitions WHERE typeof(case_key) = '"'"'integer'"'"'
		AND typeof(dup_key) = '"'"'integer'"'"'")" = 5 &&
	# the case key of LYS-2026-000001: its digits, 2026000001, times 2^32, plus the low 32
	# bits of FNV-1a 64 of its 15 bytes and a NUL (0x053eb44019022298, worked out apart from
	# the toolkit: offset basis 0xcbf29ce484222325; each byte: xor, then times 0x100000001b3
	# modulo 2^64), 0x19022298 = 419570328: 8701603746410537624
	test "$(sqlite3 v5.db "SELECT case_key FROM petitions WHERE id = 1")" = 8701603746410537624 &&
	petition audit verify --db v5.db --format csv >findings &&
	test "$(wc -l <findings)" -eq 1
'

test_expect_success 'after the upgrade: the old rows are found by number and as duplicates, numbering goes on' '
	petition case show LYS-2026-000003 --db v5.db --format csv >show &&
	grep -q "^case,petitioner,孙立新," show &&
	petition intake --db v5.db --csv v5.csv 2>err &&
	grep -q "0 added, 4 already present, 0 rejected" err &&
	petition intake --db v5.db -q --received-on 2026-11-02 --channel visit --petitioner 周强 --category 欠薪 \
		--summary 拖欠工资 >no &&
	echo LYS-2026-000005 >expect && test_cmp expect no &&
	petition intake --db v5.db -q --received-on 2026-11-03 --channel visit --petitioner 周强 --category 欠薪 \
		--summary 拖欠工资 >no &&
	echo LYS-2026-000006 >expect && test_cmp expect no
'

test_done
