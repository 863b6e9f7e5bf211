#!/bin/sh
# petition audit verify and head (petition-audit(1)): clean after documented use (exit 0,
# only the header), every direct edit found as a row naming the table, row, case and column
# (exit 1), a cut-off tail found against a kept head, and the usage errors.
. "$(dirname "$0")/lib.sh"

# The copies edited below are meant not to replay.
replay_skip="t.db"

test_expect_success 'setup: import, route, a course of a case' '
	petition init -q &&
	petition intake -q --csv "$TEST_SRC/../examples/petitions.csv" >/dev/null &&
	petition route -q >/dev/null &&
	petition case -q accept LYS-2026-000001 >/dev/null &&
	petition case -q resolve LYS-2026-000001 --outcome 支持 --text 已答复 >/dev/null
'

test_expect_success 'documented use: exit 0, the header only, the count on stderr' '
	petition audit verify >out 2>err &&
	echo "table,row,case,column,stored,expected,event,what" >expect &&
	tr -d "\r" <out >got &&
	test_cmp expect got &&
	grep -q "^petition-audit: [0-9]* events replayed, 0 findings$" err
'

test_expect_success 'head: the last event, ID:HASH; verify --head with it is clean' '
	petition audit head >head &&
	test "$(cat head)" = "$(sqlite3 petition.db "SELECT id || '"'"':'"'"' || hash FROM events ORDER BY id DESC LIMIT 1")" &&
	petition audit verify -q --head "$(cat head)" >out &&
	test "$(wc -l <out)" -eq 1
'

test_expect_success 'an edited row: exit 1, one row naming table, row, case, column, values, event' '
	cp petition.db t.db &&
	sqlite3 t.db "UPDATE petitions SET outcome = '"'"'不支持'"'"' WHERE case_no = '"'"'LYS-2026-000001'"'"'" &&
	test_expect_code 1 petition audit verify -q --db t.db --format tsv >out &&
	ev=$(sqlite3 t.db "SELECT max(id) FROM events WHERE kind = '"'"'resolved'"'"'") &&
	printf "petitions\tid=1\tLYS-2026-000001\toutcome\t不支持\t支持\t%s\t" "$ev" >expect &&
	sed -n 2p out | cut -c1-$(wc -c <expect) | tr -d "\n" >got &&
	test_cmp expect got
'

test_expect_success 'a tail cut off: found against the kept head, not without it' '
	cp petition.db t.db &&
	sqlite3 t.db "DELETE FROM events WHERE id = (SELECT max(id) FROM events)" &&
	test_expect_code 1 petition audit verify -q --db t.db --head "$(cat head)" >out &&
	grep -q "^events,id=[0-9]*,.*no longer holds the head kept outside it" out
'

test_expect_success 'a rewritten head: the event at the kept id is another' '
	cp petition.db t.db &&
	sqlite3 t.db "UPDATE events SET hash = '"'"'0000000000000000000000000000000000000000000000000000000000000000'"'"'
		WHERE id = (SELECT max(id) FROM events)" &&
	test_expect_code 1 petition audit verify -q --db t.db --head "$(cat head)" >out &&
	grep -q "the event at the head kept outside the log is another" out
'

test_expect_success 'usage: a head that is not ID:HASH, an unknown subcommand, no database' '
	test_expect_code 64 petition audit verify --head 12 2>err &&
	grep -q "is not ID:HASH" err &&
	test_expect_code 64 petition audit verify --head "x:$(cut -d: -f2 head)" 2>err &&
	test_expect_code 64 petition audit frob 2>err &&
	test_expect_code 64 petition audit head --head "$(cat head)" 2>err &&
	test_expect_code 66 petition audit verify --db nothere.db 2>err &&
	test ! -e nothere.db
'

test_expect_success 'what is not a petition database: a directory 73, not SQLite 74, another program'"'"'s 78' '
	mkdir adir &&
	test_expect_code 73 petition audit verify --db adir 2>err &&
	grep -q "adir is a directory" err &&
	echo "not a database" >text.db &&
	test_expect_code 74 petition audit verify --db text.db 2>err &&
	sqlite3 other.db "CREATE TABLE t (x); INSERT INTO t VALUES (1)" &&
	test_expect_code 78 petition audit verify --db other.db 2>err &&
	grep -q "another program" err &&
	rm text.db other.db
'

test_expect_success 'verify writes nothing' '
	db_dump >before &&
	petition audit verify -q >/dev/null &&
	db_dump >after &&
	test_cmp before after
'

test_done
