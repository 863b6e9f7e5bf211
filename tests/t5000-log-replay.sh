#!/bin/sh
# The log proves the tables (lib/replay.h, petition(7) THE LOG): a database made by every
# kind of documented write replays to its tables exactly, and every direct edit of it with
# sqlite3 (an UPDATE, a DELETE and an INSERT on each table, an edit of an event) is found and
# named: its table, its row (and case), its column, the stored and the expected value.
. "$(dirname "$0")/lib.sh"

# check DB: petition audit verify's findings, without its header, one a line, tab-separated
# (table, row, case, column, stored, expected, event, what); its exit status.
check() {
	petition audit verify -q --format tsv --db "$1" >check.out
	ck_rc=$?
	tail -n +2 check.out | tr -d "\r"
	return $ck_rc
}

# The copies edited below are meant not to replay.
replay_skip="t.db"

test_expect_success 'setup: every kind of write, by the programs' '
	petition init -q &&
	petition intake -q --csv "$TEST_SRC/../examples/petitions.csv" >/dev/null &&
	petition intake -q --received-on 2026-11-20 --channel 来信 --petitioner 钱秀英 --category 社会保险 \
		--summary 养老保险未缴 --addressed-to 张海燕 >/dev/null &&
	petition route -q >/dev/null &&
	petition route -q LYS-2026-000003 --to 王建国 --action supervise --note 督办 >/dev/null &&
	petition route -q transfer LYS-2026-000005 --unit LSQ >/dev/null &&
	petition report -q submit --period 2026Q3 -o q3.json &&
	petition report -q submit --period 2026Q3 --reason 更正 -o q3.json &&
	petition case -q accept LYS-2026-000001 >/dev/null &&
	petition case -q reject LYS-2026-000002 --reason 不属于受理范围 --refer 劳动仲裁委员会 >/dev/null &&
	petition schedule -q plan --unit LYS --month 2026-12 >/dev/null 2>&1 &&
	petition schedule -q add --unit LYS --day 2026-12-15 --kind meeting >/dev/null 2>&1 &&
	petition schedule -q cancel 1 --reason 改期 >/dev/null 2>&1 &&
	petition rules show >r.yaml && echo "# the office'"'"'s copy" >>r.yaml && petition rules -q load r.yaml &&
	cp r.yaml trial.yaml && echo "# a trial" >>trial.yaml &&
	PETITION_RULES=trial.yaml petition case -q accept LYS-2026-000004 >/dev/null &&
	test "$(sqlite3 petition.db "SELECT group_concat(kind) FROM rules")" = load,load,override &&
	test "$(sqlite3 petition.db "SELECT count(*) FROM receptions")" -ge 3
'

test_expect_success 'documented use: no finding' '
	check petition.db >out &&
	test ! -s out
'

# tamper NAME SQL: on a copy, SQL must give findings; the first must name the expected
# table (and, when given, the column): "table[:column]".
tamper() {
	tp_want=$1
	shift
	cp petition.db t.db && rm -f t.db-wal t.db-shm &&
	sqlite3 t.db "$1" &&
	test_expect_code 1 check t.db >out &&
	tp_table=${tp_want%%:*} &&
	if [ "$tp_table" != "$tp_want" ]; then tp_col=${tp_want#*:}; else tp_col=; fi &&
	awk -F'\t' -v t="$tp_table" -v c="$tp_col" '$1 == t && (c == "" || $4 == c) { found = 1 } END { exit !found }' out || {
		echo "no finding on $tp_want:"; cat out; return 1
	}
}

test_expect_success 'petitions: UPDATE of a column an event changes, DELETE, INSERT' '
	tamper petitions:state "UPDATE petitions SET state = '"'"'closed'"'"' WHERE case_no = '"'"'LYS-2026-000001'"'"'" &&
	grep -q "LYS-2026-000001	state	closed	.*accepted" out &&
	tamper petitions "UPDATE petitions SET summary = '"'"'改了'"'"' WHERE id = 7" &&
	tamper petitions "DELETE FROM steps WHERE petition_id = 9; DELETE FROM petitions WHERE id = 9" &&
	tamper petitions "INSERT INTO petitions (case_no, unit, received_on, channel, petitioner, category, summary,
		dedup_key, event_id) VALUES ('"'"'LYS-2026-999999'"'"', '"'"'LYS'"'"', '"'"'2026-11-01'"'"', '"'"'visit'"'"',
		'"'"'某'"'"', '"'"'咨询'"'"', '"'"'某'"'"', '"'"'k'"'"', 3)"
'

# No UNIQUE index keeps a case number single any more (schema/006-keys.sql): the toolkit gives
# each once, under the write lock; a copy of a case added with sqlite3 is one row more than its
# intake event's digest covers (25 rows from examples/petitions.csv).
# The keys are worked out again from their columns: a key edited alone differs from its
# columns', and a column it is the key of edited alone differs from the key.
test_expect_success 'petitions: a second row with a case number already given, and the keys edited' '
	tamper petitions "INSERT INTO petitions SELECT 1000, case_no, unit, received_on, channel, petitioner,
		id_number, phone, employer, received_by, category, persons, addressed_to, summary, external_id,
		source_ref, repeat_key, collective, repeat, named_letter, dedup_key, state, holder, outcome,
		satisfaction, event_id, matter_key, repeat_of, final_of, competent_unit, skip_level,
		addressed_unknown, case_key, dup_key FROM petitions WHERE case_no = '"'"'LYS-2026-000001'"'"'" &&
	grep -q "	26 rows, sha256 [0-9a-f]*	25 rows, sha256 .*one was inserted" out &&
	tamper petitions:case_key "UPDATE petitions SET case_key = case_key + 1 WHERE id = 7" &&
	grep -q "^petitions	id=7	.*	case_key	" out &&
	tamper petitions:dup_key "UPDATE petitions SET dup_key = 1 WHERE id = 7" &&
	tamper petitions "UPDATE petitions SET case_no = '"'"'LYS-2026-000777'"'"' WHERE id = 7" &&
	grep -q "^petitions	id=7	LYS-2026-000777	case_key	" out
'

test_expect_success 'a petition of a one-row intake: the digest of its event no longer matches' '
	ev=$(sqlite3 petition.db "SELECT event_id FROM petitions WHERE case_no = '"'"'LYS-2026-000026'"'"'") &&
	tamper petitions "UPDATE petitions SET petitioner = '"'"'赵'"'"' WHERE case_no = '"'"'LYS-2026-000026'"'"'" &&
	awk -F"\t" -v ev="$ev" '"'"'$1 == "petitions" && $2 == "" && $7 == ev && /rows of a bulk event/ { f = 1 } END { exit !f }'"'"' out
'

test_expect_success 'steps: UPDATE (a manual step and a routed one), DELETE, INSERT' '
	tamper steps:holder "UPDATE steps SET holder = '"'"'某人'"'"' WHERE rule IS NULL AND action = '"'"'supervise'"'"'" &&
	tamper steps "UPDATE steps SET action = '"'"'open'"'"' WHERE id = 1" &&
	tamper steps:state "UPDATE steps SET state = '"'"'done'"'"' WHERE id = (SELECT max(id) FROM steps WHERE state = '"'"'pending'"'"')" &&
	tamper steps "DELETE FROM steps WHERE id = 2" &&
	tamper steps "INSERT INTO steps (petition_id, seq, holder, action, event_id) VALUES (1, 99, '"'"'某'"'"', '"'"'handle'"'"', 1)"
'

test_expect_success 'receptions, rules, case numbers: UPDATE, DELETE, INSERT' '
	tamper receptions:state "UPDATE receptions SET state = '"'"'held'"'"' WHERE id = 2" &&
	tamper receptions "DELETE FROM receptions WHERE id = 1" &&
	tamper receptions "INSERT INTO receptions (unit, day, leader, event_id) VALUES ('"'"'LYS'"'"', '"'"'2026-12-30'"'"', '"'"'王建国'"'"', 1)" &&
	tamper rules:text "UPDATE rules SET text = text || '"'"'#'"'"' WHERE id = 1" &&
	tamper rules "DELETE FROM rules WHERE kind = '"'"'override'"'"'" &&
	tamper rules "INSERT INTO rules (loaded_at, source, sha256, text) SELECT loaded_at, '"'"'x'"'"', sha256, text FROM rules WHERE id = 1" &&
	tamper case_seq:last "UPDATE case_seq SET last = 5" &&
	tamper case_seq "DELETE FROM case_seq" &&
	tamper case_seq "INSERT INTO case_seq VALUES ('"'"'LSQ'"'"', 2026, 3)"
'

test_expect_success 'report submissions: UPDATE, DELETE, INSERT' '
	tamper report_submissions:content "UPDATE report_submissions SET content = replace(content, '"'"'\"cases\": 1'"'"', '"'"'\"cases\": 2'"'"') WHERE id = 2" &&
	tamper report_submissions:supersedes "UPDATE report_submissions SET supersedes = NULL WHERE id = 2" &&
	tamper report_submissions "DELETE FROM report_submissions WHERE id = 1" &&
	tamper report_submissions "INSERT INTO report_submissions (direction, unit, period, submitted_on, made_at, head_id,
		head_hash, rules_sha256, sha256, content, event_id)
		SELECT '"'"'received'"'"', '"'"'LSQ'"'"', period, submitted_on, made_at, head_id, head_hash, rules_sha256, sha256,
		content, event_id FROM report_submissions WHERE id = 1"
'

test_expect_success 'events: an edit of an event'"'"'s data, a deleted event, an inserted one' '
	tamper events:hash "UPDATE events SET data = replace(data, '"'"'不属于受理范围'"'"', '"'"'已受理'"'"') WHERE kind = '"'"'rejected'"'"'" &&
	tamper events:prev_hash "DELETE FROM events WHERE id = 5" &&
	tamper events:hash "INSERT INTO events (at, operator, program, kind, data, prev_hash, hash)
		SELECT at, operator, program, '"'"'x'"'"', '"'"'{}'"'"', hash, hash || '"'"'0'"'"' FROM events ORDER BY id DESC LIMIT 1"
'

test_expect_success 'a log that does not begin as this version begins it: one finding, nothing replayed' '
	tamper events "UPDATE events SET data = '"'"'{\"from_version\":0,\"to_version\":1,\"log\":1}'"'"' WHERE id = 1" &&
	test "$(wc -l <out)" -eq 1 &&
	grep -q "does not begin with the .init. event" out
'

test_expect_success 'documented use: a routing run whose only case has every step done already' '
	petition init -q --db w.db &&
	petition intake -q --db w.db --received-on 2026-11-02 --channel 来访 --petitioner 某 --category 欠薪 \
		--summary 欠薪 >/dev/null &&
	petition route -q --db w.db >/dev/null &&
	petition case -q --db w.db done LYS-2026-000001 >/dev/null &&
	petition case -q --db w.db reject LYS-2026-000001 --reason 不属于受理范围 --refer 劳动仲裁委员会 >/dev/null &&
	petition case -q --db w.db reopen LYS-2026-000001 --reason 复议 >/dev/null &&
	test "$(sqlite3 w.db "SELECT state FROM petitions")" = registered &&
	petition route -q --db w.db >/dev/null &&
	test "$(sqlite3 w.db "SELECT state FROM petitions")" = assigned &&
	test "$(sqlite3 w.db "SELECT json_extract(data, '"'"'$.no_new_steps'"'"') || coalesce(json_type(data, '"'"'$.bulk'"'"'), '"'"' no bulk'"'"')
		FROM events WHERE kind = '"'"'routed'"'"' ORDER BY id DESC LIMIT 1")" = "[1] no bulk" &&
	check w.db >out &&
	test ! -s out
'

test_expect_success 'values that only look alike: NULL and empty, text and blob, a hidden NUL' '
	tamper petitions "UPDATE petitions SET phone = '"'"''"'"' WHERE id = (SELECT id FROM petitions WHERE phone IS NULL LIMIT 1)" &&
	tamper petitions "UPDATE petitions SET summary = CAST(summary AS BLOB) WHERE id = 10" &&
	tamper petitions "UPDATE petitions SET summary = summary || char(0) || '"'"'x'"'"' WHERE id = 10" &&
	tamper steps "UPDATE steps SET rule = CAST(rule AS BLOB) WHERE id = 2" &&
	tamper receptions:place "UPDATE receptions SET place = place || char(0) || '"'"'x'"'"' WHERE id = 2" &&
	tamper events:data "UPDATE events SET data = data || char(0) || '"'"'x'"'"' WHERE id = 5" &&
	tamper events:petition_id "UPDATE events SET petition_id = '"'"'1x'"'"' WHERE kind = '"'"'accepted'"'"'"
'

test_expect_success 'a row given an id outside the event'"'"'s range is found' '
	tamper petitions "INSERT INTO petitions (id, case_no, unit, received_on, channel, petitioner, category, summary,
		dedup_key, event_id) VALUES (-1, '"'"'LYS-2026-999999'"'"', '"'"'LYS'"'"', '"'"'2026-11-01'"'"', '"'"'visit'"'"',
		'"'"'某'"'"', '"'"'咨询'"'"', '"'"'伪造'"'"', '"'"'k'"'"', (SELECT min(event_id) FROM petitions))"
'

test_expect_success 'the schema: a planted trigger, a dropped index, a renamed column' '
	tamper schema "CREATE TRIGGER hide AFTER UPDATE OF state ON petitions BEGIN SELECT 1; END" &&
	tamper schema "DROP INDEX petitions_period" &&
	tamper schema "ALTER TABLE receptions RENAME COLUMN place TO [x\"); ATTACH '"'"'evil.db'"'"' AS p; --]" &&
	test ! -e evil.db
'

test_expect_success 'a trigger that writes behind a documented command: the command refuses, nothing kept' '
	cp petition.db w.db && rm -f w.db-wal w.db-shm &&
	sqlite3 w.db "CREATE TRIGGER hide AFTER UPDATE OF state ON petitions WHEN NEW.state = '"'"'accepted'"'"'
		BEGIN UPDATE petitions SET satisfaction = '"'"'满意'"'"' WHERE id = NEW.id; END" &&
	db_dump w.db >before &&
	test_expect_code 74 petition case -q --db w.db accept LYS-2026-000008 2>err &&
	grep -q "has a trigger petition never made (hide)" err &&
	db_dump w.db >after &&
	test_cmp before after &&
	rm w.db
'

test_expect_success 'forged event data: unknown columns, a key that is not the key, wrong shapes' '
	forged() {
		tamper events "UPDATE events SET data = json_set(data, '"'"'$1'"'"', json('"'"'$2'"'"'))
			WHERE id = (SELECT max(id) FROM events WHERE data LIKE '"'"'%\"rows\":[{%'"'"')" || return 1
		grep -q "data is not what the toolkit writes\|not a column\|not a key column" out || { cat out; return 1; }
	} &&
	forged "\$.rows[0].v" "{\"nosuch\":1}" &&
	forged "\$.rows[0].v" "\"x\"" &&
	forged "\$.rows[0].k" "{\"state\":\"pending\"}" &&
	forged "\$.rows" "\"x\"" &&
	forged "\$.bulk" "\"x\""
'

test_done
