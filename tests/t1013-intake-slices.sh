#!/bin/sh
# An import into a database in use writes its rows in slices, a short transaction each, so
# that a clerk at the counter is never kept waiting for the whole import (petition(7),
# "Imports"; lib/change.h, sliced changes): its rows are no one's until the last slice
# publishes them with the import's one event. PETITION_TEST_SLICE_ROWS makes the slices 100
# rows here (10,000 otherwise), and PETITION_TEST_SLICE_STOP=N makes the import stop itself
# (SIGSTOP) once N slices are committed, so that the tests look at the database in the middle
# of an import, at a known point (HACKING.md).
. "$(dirname "$0")/lib.sh"

header='received_on,channel,petitioner,phone,category,summary'
PETITION_TEST_SLICE_ROWS=100
export PETITION_TEST_SLICE_ROWS
# a counter intake that finds the lock taken gives up after 2 s (exit 75), not 10
PETITION_BUSY_TIMEOUT=2000
export PETITION_BUSY_TIMEOUT

# stopped PID: wait (at most 20 s) until the process has stopped itself
stopped() {
	for st_i in $(seq 200); do
		[ "$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null)" = T ] && return 0
		sleep 0.1
	done
	return 1
}

# counter DB [SUMMARY NAME PHONE DATE]: one petition at the counter, by default received
# 2026-11-04 from 丙 (13600000000)
counter() {
	petition intake -q --db "$1" --received-on "${5:-2026-11-04}" --channel 来访 --petitioner "${3:-丙}" \
		--phone "${4:-13600000000}" --category 咨询 --summary "${2:-柜台来访}"
}

# the petitions as every command sees them (case list), by case number
seen() {
	petition case list --db "$1" --format csv --columns case_no --from 2026-01-01 --to 2026-12-31 | tail -n +2
}

# Ten petitions (甲0..甲9, 2026-11-02) make each database one in use; big.csv brings 1,000
# (乙0..乙999, 2026-11-03): ten slices of 100, the last row written first.
test_expect_success 'setup' '
	{ echo "$header" &&
	  awk "BEGIN { for (n = 0; n < 10; n++) printf \"2026-11-02,来访,甲%d,137%08d,咨询,问题%d\\n\", n, n, n }"
	} >first.csv &&
	{ echo "$header" &&
	  awk "BEGIN { for (n = 0; n < 1000; n++) printf \"2026-11-03,来访,乙%d,139%08d,咨询,大问题%d\\n\", n, n, n }"
	} >big.csv &&
	petition init -q &&
	petition intake -q --csv first.csv &&
	cp petition.db whole.db &&
	cp petition.db w.db && cp petition.db o.db && cp petition.db k.db && cp petition.db k2.db && cp petition.db k3.db && cp petition.db d.db && cp petition.db h.db && cp petition.db i.db
'
# watched DB N: an import of big.csv into DB that stops itself after N slices, run by a
# shell that writes the import's process id to pid and, once it ends, its status to rc (128
# + the signal that ended it, as the shell sees it); its messages go to err. Returns once
# the import has stopped; $watcher is the shell, to wait for.
watched() {
	rm -f pid rc &&
	{ sh -c "PETITION_TEST_SLICE_STOP=$2 petition intake -q --db $1 --csv big.csv 2>err & echo \$! >pid; wait \$!; echo \$? >rc" & } &&
	watcher=$! &&
	for w_i in $(seq 200); do [ -s pid ] && break; sleep 0.1; done &&
	stopped "$(cat pid)"
}

# the office'"'"'s unit, which the rows without one get
unit=$(sqlite3 petition.db "SELECT unit FROM petitions WHERE id = 1")

cols="id, case_no, unit, received_on, channel, petitioner, id_number, phone, employer, received_by, category,
	persons, addressed_to, summary, external_id, source_ref, repeat_key, collective, repeat, named_letter,
	dedup_key, state, holder, outcome, satisfaction, matter_key, repeat_of, final_of, competent_unit,
	skip_level, addressed_unknown, case_key, dup_key"

test_expect_success 'in slices, the petitions are those one transaction writes; one event, its number reserved' '
	PETITION_TEST_SLICE_ROWS=1000000 petition intake -q --db whole.db --csv big.csv &&
	petition intake -q --csv big.csv &&
	sqlite3 whole.db "SELECT $cols FROM petitions ORDER BY id" >expect &&
	sqlite3 petition.db "SELECT $cols FROM petitions ORDER BY id" >got &&
	test_cmp expect got &&
	test "$(wc -l <got)" = 1010 &&
	# the import took the number 1,000 after the next when it began; its rows point to it
	sqlite3 petition.db "SELECT id FROM events ORDER BY id DESC LIMIT 2" >got &&
	printf "%s\n" 1004 3 >expect && test_cmp expect got &&
	test "$(sqlite3 petition.db "SELECT count(*) FROM petitions WHERE event_id = 1004")" = 1000 &&
	test "$(sqlite3 petition.db "SELECT count(*) FROM imports") $(sqlite3 petition.db "SELECT count(*) FROM import_seqs")" = "0 0" &&
	test "$(sqlite3 petition.db "SELECT last FROM case_seq WHERE unit = (SELECT unit FROM petitions WHERE id = 1)")" = 1010
'

test_expect_success 'while an import is being written, no command sees its rows and the counter is served' '
	PETITION_TEST_SLICE_STOP=3 petition intake -q --db w.db --csv big.csv 2>import.err &
	pid=$! &&
	stopped $pid &&
	# written so far: the last row, then rows 1-200 (the first slice commits the start)
	test "$(sqlite3 w.db "SELECT count(*) FROM petitions")" = 211 &&
	seen w.db >got && test "$(wc -l <got)" = 10 &&
	test_expect_code 66 petition case show --db w.db "$unit-2026-000011" 2>err &&
	test_expect_code 66 petition case show --db w.db "$unit-2026-001010" 2>err &&
	petition schedule due --db w.db --format csv | tail -n +2 >due && test "$(wc -l <due)" = 10 &&
	petition audit verify -q --db w.db &&
	# another import in slices waits for it up to the busy timeout, then is told to run
	# again (75); a small one is written at once
	{ echo "$header" &&
	  awk "BEGIN { for (n = 0; n < 150; n++) printf \"2026-11-05,来信,戊%d,136%08d,咨询,来信%d\\n\", n, n, n }"
	} >other.csv &&
	PETITION_BUSY_TIMEOUT=300 test_expect_code 75 petition intake -q --db w.db --csv other.csv 2>err2 &&
	grep -q "an import started .* by process $pid:" err2 &&
	head -6 other.csv >small.csv &&
	petition intake -q --db w.db --csv small.csv &&
	# the counter: a number after the 1,000 the import took, an id after its last
	counter w.db &&
	test "$(sqlite3 w.db "SELECT id || \" \" || case_no FROM petitions WHERE petitioner = '"'"'丙'"'"'")" = "1016 $unit-2026-001016" &&
	petition route -q --db w.db &&
	test "$(sqlite3 w.db "SELECT count(*) FROM petitions WHERE state <> '"'"'registered'"'"'")" = 16 &&
	# one that may wait long enough goes in once the first is done
	{ PETITION_BUSY_TIMEOUT=30000 petition intake -q --db w.db --csv other.csv 2>err3 & } &&
	pid2=$! &&
	sleep 0.3 &&
	kill -CONT $pid && wait $pid && wait $pid2 &&
	seen w.db >got && test "$(wc -l <got)" = 1161 &&
	test "$(sqlite3 w.db "SELECT min(id), max(id) FROM petitions WHERE petitioner LIKE '"'"'戊%'"'"'")" = "1011|1161" &&
	sqlite3 w.db "SELECT count(*), min(case_no), max(case_no) FROM petitions WHERE id BETWEEN 11 AND 1010
		AND petitioner = '"'"'乙'"'"' || (id - 11) AND case_no = '"'"'$unit-2026-'"'"' || printf('"'"'%06d'"'"', id)" >got &&
	echo "1000|$unit-2026-000011|$unit-2026-001010" >expect && test_cmp expect got &&
	test "$(sqlite3 w.db "SELECT last FROM case_seq WHERE unit = '"'"'$unit'"'"' AND year = 2026")" = 1161
'

test_expect_success 'an import killed while being written: nothing seen, verify names it, the next import removes it' '
	PETITION_TEST_SLICE_STOP=2 petition intake -q --db k.db --csv big.csv 2>/dev/null &
	pid=$! &&
	stopped $pid && kill -9 $pid && { wait $pid; true; } &&
	test "$(sqlite3 k.db "SELECT count(*) FROM petitions")" = 111 &&
	seen k.db >got && test "$(wc -l <got)" = 10 &&
	test_expect_code 1 petition audit verify --db k.db --format tsv >findings 2>/dev/null &&
	test "$(wc -l <findings)" = 2 &&
	grep -q "^imports	event_id=1004	.*	101 rows, ids 11-1010	.*did not finish" findings &&
	# the counter takes the number after the dead import'"'"'s, which stays unused
	counter k.db &&
	petition intake -q --db k.db --csv big.csv &&
	test "$(sqlite3 k.db "SELECT count(*) FROM imports")" = 0 &&
	test "$(sqlite3 k.db "SELECT count(*), min(id), max(id), min(case_no), max(case_no) FROM petitions
		WHERE petitioner LIKE '"'"'乙%'"'"'")" = "1000|1012|2011|$unit-2026-001012|$unit-2026-002011" &&
	test "$(sqlite3 k.db "SELECT count(*) FROM petitions")" = 1011 &&
	petition audit verify -q --db k.db
'

# A killed import's rows are removed by the change that reaches its reserved event number,
# whatever change that is. One that is not an import records the petitions in its event:
# the removal must not be in it, for the log never created those rows.
test_expect_success 'a case transition that reaches a killed import'"'"'s number: its rows go, unlogged' '
	PETITION_TEST_SLICE_STOP=2 petition intake -q --db k3.db --csv big.csv 2>/dev/null &
	pid=$! &&
	stopped $pid && kill -9 $pid && { wait $pid; true; } &&
	# as if the 1,000 events before the import'"'"'s number had come meanwhile: the next is its own
	sqlite3 k3.db "UPDATE petitions SET event_id = 4 WHERE event_id = 1004;
		UPDATE import_seqs SET event_id = 4; UPDATE imports SET event_id = 4" &&
	petition case -q --db k3.db accept "$unit-2026-000001" &&
	test "$(sqlite3 k3.db "SELECT count(*) FROM petitions") $(sqlite3 k3.db "SELECT count(*) FROM imports")" = "10 0" &&
	test "$(sqlite3 k3.db "SELECT max(id) FROM events")" = 4 &&
	petition audit verify -q --db k3.db
'

# Entries of the imports tables made with sqlite3: verify names each, whoever "owns" it
# (pid 1 runs), and a change that removes an entry keeps the petitions that the log has.
test_expect_success 'edited imports tables: verify names them; no petition of the log is removed' '
	cp whole.db e.db &&
	start=$(awk "{ print \$22 }" /proc/1/stat) &&
	sqlite3 e.db "INSERT INTO imports VALUES (99999, 1, 500, '"'"'$(hostname):1:$start'"'"', '"'"'x'"'"');
		INSERT INTO import_seqs VALUES (99998, '"'"'$unit'"'"', 2026, 900000)" &&
	test_expect_code 1 petition audit verify --db e.db --format tsv >findings 2>/dev/null &&
	test "$(wc -l <findings)" = 3 &&
	grep -q "^imports	event_id=99999	.*hold petitions of other events" findings &&
	grep -q "^import_seqs	event_id=99998 unit=$unit year=2026	.*	900000	" findings &&
	sqlite3 e.db "DELETE FROM imports; DELETE FROM import_seqs" &&
	# an entry whose number the log has given, of a process that is gone: the next change
	# (an import, the counter) removes the entry, not the petitions of event 3
	{ echo "$header" && echo "2026-11-05,来访,庚,13800000000,咨询,新问题"; } >one.csv &&
	for db in e2.db e3.db; do
		cp whole.db $db &&
		sqlite3 $db "INSERT INTO imports VALUES (3, 1, 5, '"'"'$(hostname):999999:1'"'"', '"'"'x'"'"')" || return 1
	done &&
	petition intake -q --db e2.db --csv one.csv &&
	counter e3.db >/dev/null &&
	for db in e2.db e3.db; do
		test "$(sqlite3 $db "SELECT count(*) FROM petitions") $(sqlite3 $db "SELECT count(*) FROM imports")" = "1011 0" &&
		petition audit verify -q --db $db || return 1
	done
'

# The numbers before an import's are checked at each event of a change of several (report
# receive of three files), not only at its start: PETITION_TEST_EVENT_GAP=2 leaves two.
test_expect_success 'a change of several events stops at the number a running import reserved' '
	cp whole.db sub.db && cp whole.db g.db &&
	for u in LSQ LZQ JNX; do
		petition report submit -q --db sub.db --period 2026Q3 --unit $u -o sub-$u.json || return 1
	done &&
	{ echo "$header" &&
	  awk "BEGIN { for (n = 0; n < 300; n++) printf \"2026-11-06,来访,己%d,134%08d,咨询,又一事%d\\n\", n, n, n }"
	} >g.csv &&
	{ PETITION_TEST_EVENT_GAP=2 PETITION_TEST_SLICE_STOP=1 petition intake -q --db g.db --csv g.csv & } &&
	pid=$! &&
	stopped $pid &&
	test_expect_code 75 petition report receive --db g.db sub-LSQ.json sub-LZQ.json sub-JNX.json 2>err &&
	grep -q "has used up the event numbers before its own" err &&
	test "$(sqlite3 g.db "SELECT max(id) FROM events")" = 4 &&
	kill -CONT $pid && wait $pid &&
	test "$(sqlite3 g.db "SELECT id || kind FROM events WHERE id > 4")" = "7intake" &&
	petition report receive -q --db g.db sub-LSQ.json sub-LZQ.json sub-JNX.json &&
	test "$(sqlite3 g.db "SELECT count(*) FROM petitions")" = 1310 &&
	petition audit verify -q --db g.db
'

# A killed import whose owner is another host (a database copied to another machine): it
# may still run there, so it is waited for, and named with its host, until it is older than
# any import runs (24 hours), when the next import removes its rows.
test_expect_success 'an import of another host: waited for and named, then removed once 24 hours old' '
	PETITION_TEST_SLICE_STOP=2 petition intake -q --db h.db --csv big.csv 2>/dev/null &
	pid=$! &&
	stopped $pid && kill -9 $pid && { wait $pid; true; } &&
	sqlite3 h.db "UPDATE imports SET owner = '"'"'office-pc2:4242:99'"'"', started = strftime('"'"'%Y-%m-%dT%H:%M:%SZ'"'"', '"'"'now'"'"', '"'"'-1 hours'"'"')" &&
	PETITION_BUSY_TIMEOUT=200 test_expect_code 75 petition intake -q --db h.db --csv big.csv 2>err &&
	grep -q "by process 4242:99 (host office-pc2) is being written" err &&
	petition audit verify -q --db h.db &&
	sqlite3 h.db "UPDATE imports SET started = strftime('"'"'%Y-%m-%dT%H:%M:%SZ'"'"', '"'"'now'"'"', '"'"'-25 hours'"'"')" &&
	test_expect_code 1 petition audit verify --db h.db --format tsv >findings 2>/dev/null &&
	grep -q "^imports	event_id=1004	.*did not finish" findings &&
	petition intake -q --db h.db --csv big.csv &&
	test "$(sqlite3 h.db "SELECT count(*) FROM petitions") $(sqlite3 h.db "SELECT count(*) FROM imports")" = "1010 0" &&
	petition audit verify -q --db h.db
'

# An import of this host runs while its process does, however long ago it started (a machine
# suspended overnight, a clock put forward): waited for, never taken for a killed one.
test_expect_success 'an import of this host started 25 hours ago and still running: waited for, then it finishes' '
	PETITION_TEST_SLICE_STOP=2 petition intake -q --db o.db --csv big.csv 2>/dev/null &
	pid=$! &&
	stopped $pid &&
	sqlite3 o.db "UPDATE imports SET started = strftime('"'"'%Y-%m-%dT%H:%M:%SZ'"'"', '"'"'now'"'"', '"'"'-25 hours'"'"')" &&
	PETITION_BUSY_TIMEOUT=200 test_expect_code 75 petition intake -q --db o.db --csv other.csv 2>err &&
	grep -q "an import started .* by process $pid:" err &&
	kill -CONT $pid && wait $pid &&
	test "$(sqlite3 o.db "SELECT count(*) FROM petitions") $(sqlite3 o.db "SELECT count(*) FROM imports")" = "1010 0" &&
	petition audit verify -q --db o.db
'

# The import runs under a shell that records its status (watched).
test_expect_success 'interrupted (Ctrl-C, a shutdown) while being written: its rows go, then the signal ends it' '
	watched i.db 3 &&
	test "$(sqlite3 i.db "SELECT count(*) FROM petitions")" = 211 &&
	kill -INT $(cat pid) && kill -CONT $(cat pid) && wait $watcher &&
	test "$(cat rc)" = 130 &&
	grep -q "interrupted; nothing was registered" err &&
	test "$(sqlite3 i.db "SELECT count(*) FROM petitions") $(sqlite3 i.db "SELECT count(*) FROM imports")" = "10 0" &&
	petition audit verify -q --db i.db &&
	watched i.db 2 && kill -TERM $(cat pid) && kill -CONT $(cat pid) && wait $watcher &&
	test "$(cat rc)" = 143 &&
	test "$(sqlite3 i.db "SELECT count(*) FROM petitions") $(sqlite3 i.db "SELECT count(*) FROM imports")" = "10 0"
'

test_expect_success 'killed, then run again at once: numbered as if never killed' '
	PETITION_TEST_SLICE_STOP=5 petition intake -q --db k2.db --csv big.csv 2>/dev/null &
	pid=$! &&
	stopped $pid && kill -9 $pid && { wait $pid; true; } &&
	petition intake -q --db k2.db --csv big.csv &&
	sqlite3 k2.db "SELECT $cols FROM petitions ORDER BY id" >got &&
	sqlite3 whole.db "SELECT $cols FROM petitions ORDER BY id" >expect &&
	test_cmp expect got
'

test_expect_success 'a petition registered meanwhile that the file holds too: the import stops, its rows go' '
	PETITION_TEST_SLICE_STOP=4 petition intake -q --db d.db --csv big.csv 2>import.err &
	pid=$! &&
	stopped $pid &&
	petition intake -q --db d.db --received-on 2026-11-03 --channel 来访 --petitioner 乙500 \
		--phone 13900000500 --category 咨询 --summary 大问题500 &&
	kill -CONT $pid && { wait $pid; rc=$?; } && test $rc = 75 &&
	grep -q "big.csv:502: the petition was registered by another program" import.err &&
	test "$(sqlite3 d.db "SELECT count(*) FROM petitions") $(sqlite3 d.db "SELECT count(*) FROM imports")" = "11 0" &&
	petition audit verify -q --db d.db &&
	petition intake --db d.db --csv big.csv 2>err &&
	test "$(sqlite3 d.db "SELECT count(*) FROM petitions")" = 1010
'

# The repeat check of an import's rows sees what the counter registered meanwhile: 丁700
# came to the counter on 2026-11-02 while more.csv, which holds his petition of 2026-11-03
# on the same matter, was being written; his row in the file is checked again when the
# import publishes, and is a repeat of the counter's petition (the import's digest is then
# made again from the rows as they are).
test_expect_success 'the same worker at the counter meanwhile: the import'"'"'s later petition is a repeat of his' '
	cp whole.db r.db &&
	{ echo "$header" &&
	  awk "BEGIN { for (n = 0; n < 1000; n++) printf \"2026-11-03,来访,丁%d,135%08d,咨询,又一问题%d\\n\", n, n, n }"
	} >more.csv &&
	{ PETITION_TEST_SLICE_STOP=3 petition intake -q --db r.db --csv more.csv & } &&
	pid=$! &&
	stopped $pid &&
	counter r.db "欠薪又来" 丁700 13500000700 2026-11-02 >/dev/null &&
	kill -CONT $pid && wait $pid &&
	his=$(sqlite3 r.db "SELECT id FROM petitions WHERE summary = '"'"'欠薪又来'"'"'") &&
	test "$(sqlite3 r.db "SELECT repeat, repeat_of FROM petitions WHERE summary = '"'"'又一问题700'"'"'")" = "1|$his" &&
	test "$(sqlite3 r.db "SELECT count(*) FROM petitions WHERE repeat")" = 1 &&
	petition audit verify -q --db r.db
'

test_done
