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

test_done
