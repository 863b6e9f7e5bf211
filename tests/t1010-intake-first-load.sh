#!/bin/sh
# A first import (into an empty or nearly empty table) loads like a database loads
# (petition-intake(1), IMPORTS AND OTHER WRITERS): the rows first and the secondary indexes
# made after, in the same transaction, journaled by a rollback journal instead of WAL when no
# other program has the database open. What a user sees is the same as before: the same
# indexes, WAL again after it, the same case numbers and flags; and a kill at any point
# leaves the database as it was.
. "$(dirname "$0")/lib.sh"

q() { sqlite3 petition.db "$1"; }
header='received_on,channel,petitioner,id_number,category,summary,external_id'
# letters N PREFIX: N letters of different people (no ID number: no matter of anyone's)
letters() {
	awk -v n="$1" -v p="$2" 'BEGIN { for (i = 1; i <= n; i++)
		printf "2026-01-05,来信,王%d,,咨询,询问劳动合同续签和社会保险转移的办理流程和所需材料,%s-%d\n", i, p, i }'
}

test_expect_success 'setup' '
	petition init -q &&
	petition init -q --db fresh.db &&
	sqlite3 fresh.db "SELECT type, name, sql FROM sqlite_master ORDER BY type, name" >schema.expect
'

# 张三 (one ID number, one category: one person, one matter) on four lines out of date
# order, between letters: by date 2026-02-01 (line 3), 2026-03-01 (line 5), 2026-05-01
# (line 2), 2026-09-01 (line 4). Each is a repeat of the latest earlier one within the
# default 365-day window: 03-01 of 02-01, 05-01 of 03-01, 09-01 of 05-01; 02-01 of none.
# Case numbers follow the file's lines: line 2 is LYS-2026-000001, ..., line 6 (a letter)
# 000005. Which earlier case 05-01 names (repeat_of) depends on the order of the lines (it
# names 02-01, the first earlier row staged; the same before this change), so it is left
# out here; its flag does not.
test_expect_success 'a first import: case numbers in file order, repeats by date, the same indexes' '
	{
		echo "$header" &&
		echo "2026-05-01,来访,张三,11010519491231002X,劳动报酬,讨薪,Z-3" &&
		echo "2026-02-01,来访,张三,11010519491231002X,劳动报酬,讨薪,Z-1" &&
		echo "2026-09-01,来访,张三,11010519491231002X,劳动报酬,讨薪,Z-4" &&
		echo "2026-03-01,来访,张三,11010519491231002X,劳动报酬,讨薪,Z-2" &&
		letters 1 L
	} >first.csv &&
	petition intake -q --csv first.csv &&
	q "SELECT p.case_no, p.received_on, p.repeat, CASE WHEN p.id = 1 THEN \"-\" ELSE coalesce(r.case_no, \"\") END
	   FROM petitions p LEFT JOIN petitions r ON r.id = p.repeat_of ORDER BY p.id" >got &&
	cat >expect <<-\EOT &&
	LYS-2026-000001|2026-05-01|1|-
	LYS-2026-000002|2026-02-01|0|
	LYS-2026-000003|2026-09-01|1|LYS-2026-000001
	LYS-2026-000004|2026-03-01|1|LYS-2026-000002
	LYS-2026-000005|2026-01-05|0|
	EOT
	test_cmp expect got &&
	sqlite3 petition.db "SELECT type, name, sql FROM sqlite_master ORDER BY type, name" >schema.got &&
	test_cmp schema.expect schema.got &&
	test "$(q "PRAGMA journal_mode")" = wal &&
	! test -e petition.db-journal
'

# A row whose person and matter an earlier row of the file may share is looked up among
# the rows before it only once the whole file is read (lib/intake.c, stage_deferred), and
# must get what a look-up as it was read gave. 李四 on three lines: 2026-01-10 (line 2),
# 2026-03-01 (line 3), 2026-02-01 (line 4). Read in order: line 3 finds line 2 only, the
# latest earlier then, and names it; line 4 finds line 2 (earlier) and line 3 (later,
# already a repeat), and names line 2. Line 3 keeps naming line 2 (000001), although line
# 4, dated 02-01, is a later "latest earlier" once all are in: a look-up among every row
# would name 000003.
test_expect_success 'a look-up that waits for the whole file names what it named as the file was read' '
	petition init -q --db order.db &&
	{
		echo "$header" &&
		echo "2026-01-10,来访,李四,440524188001010014,社会保险,断缴,Y-1" &&
		echo "2026-03-01,来访,李四,440524188001010014,社会保险,断缴,Y-2" &&
		echo "2026-02-01,来访,李四,440524188001010014,社会保险,断缴,Y-3"
	} >order.csv &&
	petition intake -q --db order.db --csv order.csv &&
	sqlite3 order.db "SELECT p.case_no, p.repeat, coalesce(r.case_no, \"-\")
	   FROM petitions p LEFT JOIN petitions r ON r.id = p.repeat_of ORDER BY p.id" >got &&
	cat >expect <<-\EOT &&
	LYS-2026-000001|0|-
	LYS-2026-000002|1|LYS-2026-000001
	LYS-2026-000003|1|LYS-2026-000001
	EOT
	test_cmp expect got
'

# The indexes are used again at once: a second import finds the duplicates (dedup_key)
# and the repeats (the matter index) of the first. The file holds 张三 again on 2026-10-01
# (a repeat of 09-01, LYS-2026-000003) and the first file's line 2 again (present).
test_expect_success 'the next import finds what the first registered' '
	{
		echo "$header" &&
		echo "2026-05-01,来访,张三,11010519491231002X,劳动报酬,讨薪,Z-3" &&
		echo "2026-10-01,来访,张三,11010519491231002X,劳动报酬,讨薪,Z-5"
	} >second.csv &&
	petition intake --csv second.csv --print --format csv >out &&
	cut -d, -f1-3 out | tail -n 2 >got &&
	printf "%s\n" "2,LYS-2026-000001,present" "3,LYS-2026-000006,new" >expect &&
	test_cmp expect got &&
	test "$(q "SELECT repeat_of FROM petitions WHERE case_no = \"LYS-2026-000006\"")" = 3
'

# A program that has the database open keeps it in WAL (leaving WAL needs every other
# connection closed): the import goes through all the same.
test_expect_success 'another program has the database open: the import stays in WAL' '
	petition init -q --db open.db &&
	{ echo "$header" && letters 3000 O; } >open.csv &&
	rm -f go.fifo && mkfifo go.fifo &&
	{ sqlite3 open.db "SELECT count(*) FROM petitions;" ".shell cat go.fifo" >/dev/null & } &&
	exec 4>go.fifo &&
	petition intake -q --db open.db --csv open.csv 2>err &&
	! test -s err &&
	test -e open.db-wal &&
	exec 4>&- && wait &&
	test "$(sqlite3 open.db "SELECT count(*) FROM petitions")" = 3000
'

# kill -9 while the import writes (its rollback journal is there, which is only while its
# transaction writes): the database as before, which every command reads at once (a
# reading command rolls the journal back first), and WAL again once a writer opens it.
test_expect_success 'killed while it writes: nothing registered, readable, WAL again' '
	petition init -q --db kill.db &&
	{ echo "$header" && letters 60000 K; } >kill.csv &&
	db_dump kill.db >before &&
	petition intake -q --db kill.db --csv kill.csv &
	pid=$! &&
	n=0 && while ! test -e kill.db-journal && kill -0 $pid 2>/dev/null && test $n -lt 12000; do
		sleep 0.01; n=$((n + 1))
	done &&
	test -e kill.db-journal &&
	kill -9 $pid && { wait $pid; true; } &&
	petition case list --db kill.db --format csv >list &&
	test "$(wc -l <list)" = 1 &&
	db_dump kill.db >after &&
	test_cmp before after &&
	petition intake -q --db kill.db --received-on 2026-11-02 --channel 来访 --petitioner 李四 \
		--category 劳动报酬 --summary 讨薪 >case_no &&
	echo LYS-2026-000001 >expect && test_cmp expect case_no &&
	test "$(sqlite3 kill.db "PRAGMA journal_mode")" = wal
'

test_expect_success 'a database left out of WAL is put back by the next writer' '
	sqlite3 kill.db "PRAGMA journal_mode = DELETE" >/dev/null &&
	petition intake -q --db kill.db --received-on 2026-11-03 --channel 来访 --petitioner 李四 \
		--category 劳动报酬 --summary 讨薪 >/dev/null &&
	test "$(sqlite3 kill.db "PRAGMA journal_mode")" = wal
'

# A hot journal made by hand: sqlite3 in a rollback journal, a cache of 5 pages so that its
# UPDATE writes pages into the file before its commit, killed there. Before, a reading
# command (which opens the file read-only, and SQLite cannot play a journal back so) fell
# back to reading the file as it is on disk, half of the UPDATE: "database disk image is
# malformed". Now the owner's reading command plays it back first and reads the 3 letters.
test_expect_success 'a reading command plays back a write cut off in a rollback journal' '
	petition init -q --db hot.db &&
	{ echo "$header" && letters 3000 H; } >hot.csv &&
	petition intake -q --db hot.db --csv hot.csv &&
	petition case list --db hot.db --format csv >before 2>/dev/null &&
	{ sqlite3 hot.db "PRAGMA journal_mode = DELETE" "PRAGMA cache_size = 5" "BEGIN" \
		"UPDATE petitions SET summary = \"x\" || summary" ".shell kill -9 \$PPID" >/dev/null 2>&1; true; } &&
	test -s hot.db-journal &&
	petition case list --db hot.db --format csv >after &&
	test_cmp before after &&
	! test -e hot.db-journal &&
	test "$(sqlite3 hot.db "SELECT count(*) FROM petitions WHERE summary LIKE \"x%\"")" = 0
'

test_done
