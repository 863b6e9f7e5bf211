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
	grep -q "^events,id=[0-9]*,.*no longer holds the head kept outside the log" out
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

# --since: a checkpoint taken now (the log is clean, as the tests above show), then a day's
# work after it: case 3 accepted and resolved, case 4 accepted, one petition registered
# and routed: 6 events after the checkpoint.
test_expect_success 'since: a checkpoint, then a day'"'"'s work' '
	petition audit head >checkpoint &&
	petition case -q accept LYS-2026-000003 >/dev/null &&
	petition case -q resolve LYS-2026-000003 --outcome 解释 --text 已解释 >/dev/null &&
	petition case -q accept LYS-2026-000004 >/dev/null &&
	petition intake -q --received-on 2026-11-27 --channel 来信 --petitioner 赵红梅 --category 欠薪 \
		--summary 工资拖欠两个月 >/dev/null &&
	petition route -q >/dev/null &&
	test "$(sqlite3 petition.db "SELECT count(*) FROM events WHERE id > $(cut -d: -f1 checkpoint)")" -eq 5 &&
	petition audit head >head
'

test_expect_success 'since: clean, only the later events replayed' '
	petition audit verify --since "$(cat checkpoint)" --head "$(cat head)" >out 2>err &&
	test "$(wc -l <out)" -eq 1 &&
	grep -q "^petition-audit: 5 events replayed since the checkpoint, 0 findings$" err
'

test_expect_success 'since: a later event edited is found' '
	cp petition.db t.db &&
	id=$(sqlite3 t.db "SELECT max(id) FROM events WHERE kind = '"'"'resolved'"'"'") &&
	sqlite3 t.db "UPDATE events SET data = replace(data, '"'"'已解释'"'"', '"'"'已答复'"'"') WHERE id = $id" &&
	test_expect_code 1 petition audit verify -q --db t.db --since "$(cat checkpoint)" --format tsv >out &&
	grep -q "^events	id=$id	.*	hash	.*the event was edited" out
'

test_expect_success 'since: a checkpoint whose hash is another, or whose event is gone: one finding, exit 1' '
	id=$(cut -d: -f1 checkpoint) &&
	test_expect_code 1 petition audit verify -q --since "$id:$(printf "%064d" 0)" --format tsv >out &&
	test "$(wc -l <out)" -eq 2 &&
	grep -q "^events	id=$id	.*the event at the checkpoint is another" out &&
	test_expect_code 1 petition audit verify -q --since "9999:$(cut -d: -f2 checkpoint)" --format tsv >out &&
	test "$(wc -l <out)" -eq 2 &&
	grep -q "^events	id=9999	.*the log no longer holds the checkpoint" out
'

test_expect_success 'since: a checkpoint that is not ID:HASH is a usage error' '
	test_expect_code 64 petition audit verify --since "$(cut -d: -f2 checkpoint)" 2>err &&
	grep -q "^petition-audit: --since .* is not ID:HASH" err &&
	test_expect_code 64 petition audit verify --since "0:$(cut -d: -f2 checkpoint)" 2>err &&
	test_expect_code 64 petition audit log --since "$(cat checkpoint)" 2>err
'

test_expect_success 'since: a row a later event wrote, then edited directly, is found' '
	cp petition.db t.db &&
	sqlite3 t.db "UPDATE petitions SET outcome = '"'"'不支持'"'"' WHERE case_no = '"'"'LYS-2026-000003'"'"'" &&
	test_expect_code 1 petition audit verify -q --db t.db --since "$(cat checkpoint)" --format tsv >out &&
	ev=$(sqlite3 t.db "SELECT max(id) FROM events WHERE kind = '"'"'resolved'"'"'") &&
	printf "petitions\tid=3\tLYS-2026-000003\toutcome\t不支持\t解释\t%s\t" "$ev" >expect &&
	sed -n 2p out | cut -c1-$(wc -c <expect) | tr -d "\n" >got &&
	test_cmp expect got &&
	test "$(wc -l <out)" -eq 2
'

test_expect_success 'since: a column of that row no later event wrote, edited: found by a full verify only' '
	cp petition.db t.db &&
	sqlite3 t.db "UPDATE petitions SET petitioner = '"'"'某某'"'"' WHERE case_no = '"'"'LYS-2026-000003'"'"'" &&
	petition audit verify -q --db t.db --since "$(cat checkpoint)" >out &&
	test_expect_code 1 petition audit verify -q --db t.db >out
'

test_expect_success 'since: the rows of a later import and routing run, edited, deleted or added, are found' '
	cp petition.db t.db &&
	sqlite3 t.db "UPDATE petitions SET summary = '"'"'改过'"'"' WHERE id = (SELECT max(id) FROM petitions)" &&
	test_expect_code 1 petition audit verify -q --db t.db --since "$(cat checkpoint)" --format tsv >out &&
	grep -q "^petitions	.*do not match its digest" out &&
	cp petition.db t.db &&
	sqlite3 t.db "DELETE FROM steps WHERE id = (SELECT max(id) FROM steps)" &&
	test_expect_code 1 petition audit verify -q --db t.db --since "$(cat checkpoint)" --format tsv >out &&
	grep -q "^steps	.*do not match its digest" out &&
	cp petition.db t.db &&
	sqlite3 t.db "INSERT INTO steps (petition_id, seq, holder, action, event_id)
		SELECT 1, 99, '"'"'法律工作部'"'"', '"'"'handle'"'"', max(id) FROM events" &&
	test_expect_code 1 petition audit verify -q --db t.db --since "$(cat checkpoint)" --format tsv >out &&
	grep -q "^steps	.*4 rows.*3 rows.*do not match its digest" out &&
	cp petition.db t.db &&
	sqlite3 t.db "INSERT INTO steps (petition_id, seq, holder, action, event_id)
		SELECT 1, 99, '"'"'法律工作部'"'"', '"'"'handle'"'"', max(id) FROM events WHERE kind = '"'"'accepted'"'"'" &&
	test_expect_code 1 petition audit verify -q --db t.db --since "$(cat checkpoint)" --format tsv >out &&
	grep -q "^steps	id=[0-9]*	LYS-2026-000001	.*a row that no event wrote" out
'

test_expect_success 'since: a later state change undone behind the back is found' '
	cp petition.db t.db &&
	sqlite3 t.db "UPDATE petitions SET state = '"'"'assigned'"'"' WHERE case_no = '"'"'LYS-2026-000004'"'"'" &&
	test_expect_code 1 petition audit verify -q --db t.db --since "$(cat checkpoint)" --format tsv >out &&
	grep -q "^petitions	id=4	LYS-2026-000004	state	assigned	accepted	" out
'

# A routing run the only event after the checkpoint: the scratch table holds no case before
# it, and the run must still assign the case it routes (state assigned, not as stored).
test_expect_success 'since: a routing run alone after the checkpoint, its case set back behind the back, is found' '
	petition init -q --db r.db &&
	petition intake -q --db r.db --received-on 2026-11-20 --channel 来信 --petitioner 孙丽 --category 欠薪 \
		--summary 工资拖欠 >/dev/null &&
	petition audit head --db r.db >r.checkpoint &&
	petition route -q --db r.db >/dev/null &&
	petition audit verify -q --db r.db --since "$(cat r.checkpoint)" >out &&
	cp r.db t.db &&
	sqlite3 t.db "UPDATE petitions SET state = '"'"'registered'"'"'" &&
	test_expect_code 1 petition audit verify -q --db t.db --since "$(cat r.checkpoint)" --format tsv >out &&
	grep -q "^petitions	id=1	LYS-2026-000001	state	registered	assigned	" out
'

# A whole verify reads the log in a second thread, which checks the chain and the digests
# and hands its findings over: they come in the log's order all the same, the digest of the
# routing run (event 4) before the edited event 5 and its successor, the comparison last.
test_expect_success 'findings of the chain, a digest and a row: in the order of the log' '
	cp petition.db t.db &&
	sqlite3 t.db "UPDATE steps SET action = '"'"'x'"'"' WHERE id = 1;
		UPDATE events SET hash = '"'"'0'"'"' WHERE id = 5;
		UPDATE petitions SET outcome = '"'"'不支持'"'"' WHERE id = 1" &&
	test_expect_code 1 petition audit verify -q --db t.db --format tsv >out &&
	printf "%s\n" "steps		4" "events	id=5	5	hash" "events	id=6	6	prev_hash" "petitions	id=1	6	outcome" >expect &&
	sed 1d out | awk -F "\t" "{ print \$1 \"\t\" \$2 \"\t\" \$7 (\$4 == \"\" ? \"\" : \"\t\" \$4) }" >got &&
	test_cmp expect got
'

# The steps of a routing run are numbered per case along their ids, each case's steps being
# one run of them; a step moved to an earlier case breaks the run, and the numbering falls
# back to a sort. The routing run gave case 2 two steps (ids 2 and 3 of the 36) and case 25
# the last one, id 36: moved to case 2, it is case 2's third step of the run (seq 3, not the
# 99 stored), and case 25, left without a step, stays registered as the log would have it.
test_expect_success 'a routing run'"'"'s step moved to an earlier case: numbered in its new case' '
	cp petition.db t.db &&
	test "$(sqlite3 t.db "SELECT group_concat(id) FROM steps WHERE petition_id IN (2, 25) AND event_id = 4")" = "2,3,36" &&
	sqlite3 t.db "UPDATE steps SET petition_id = 2, seq = 99 WHERE id = 36" &&
	test_expect_code 1 petition audit verify -q --db t.db --format tsv >out &&
	printf "%s\n" "steps					4" "petitions	id=25	LYS-2026-000025	state	assigned	registered	3" \
		"steps	id=36	LYS-2026-000002	seq	99	3	4" >expect &&
	sed 1d out | cut -f1-7 | sed "1s/	[0-9]* rows, sha256 [0-9a-f]*	[0-9]* rows, sha256 [0-9a-f]*	/		/" >got &&
	test_cmp expect got
'

# The petitions an import left for the routing run are copied with the run's first step of
# each case found by reading the run's steps along their ids beside them, which holds only
# while the cases come in order there; the first step moved to a case after the last one
# puts it out of order only for the steps read after the import's last petition, and the
# copy is made again by looking each case's steps up. The one finding is the run's digest:
# case 1 had no other step of the run and its later events set its state, and cases 2 to
# 25 are assigned as the log says (not 24 findings of a state 'registered').
test_expect_success 'a routing run'"'"'s first step moved past the last case: only its digest differs' '
	cp petition.db t.db &&
	test "$(sqlite3 t.db "SELECT group_concat(id) FROM steps WHERE petition_id = 1 AND event_id = 4")" = 1 &&
	sqlite3 t.db "UPDATE steps SET petition_id = (SELECT max(id) + 1 FROM petitions) WHERE id = 1" &&
	test_expect_code 1 petition audit verify -q --db t.db --format tsv >out &&
	printf "steps	4\n" >expect &&
	sed 1d out | cut -f1,7 >got &&
	test_cmp expect got
'

test_expect_success 'verify writes nothing' '
	db_dump >before &&
	petition audit verify -q >/dev/null &&
	petition audit verify -q --since "$(cat checkpoint)" >/dev/null &&
	db_dump >after &&
	test_cmp before after
'

test_done
