#!/bin/sh
# An import reads and checks its file before it takes the write lock (petition-intake(1),
# IMPORTS AND OTHER WRITERS), so a clerk's single intake goes through while an import is
# still reading, and the import still sees what the clerk registered. No timing: the import
# reads its CSV from a FIFO that the test feeds in two parts. Writing the first part, over
# 256 KB, returns only once the import has read all but the pipe's 64 KB of it, that is
# past its first 64 KB chunk (lib/csv.c), after which it has begun reading and checking
# rows (it reads the database as it was then); it then waits for the second part.
# Before, the import held the write lock from its start, and the single intake gave up
# after its busy timeout (75).
. "$(dirname "$0")/lib.sh"

q() { sqlite3 petition.db "$1"; }
header='received_on,channel,petitioner,id_number,category,summary,external_id'
# row DATE EXT: a petition of 张三 (the same ID number and category every time: one person,
# one matter) received on DATE with external_id EXT
row() {
	printf '%s,来访,张三,11010519491231002X,劳动报酬,讨薪,%s\n' "$1" "$2"
}
# filler PREFIX: 4000 letters of other people (no ID number or phone: no matter of anyone's),
# about 310 KB
filler() {
	awk -v p="$1" 'BEGIN { for (i = 1; i <= 4000; i++)
		printf "2026-01-05,来信,王%d,,咨询,询问劳动合同续签和社会保险转移的办理流程和所需材料,%s-%d\n", i, p, i }'
}
# start_import FIRST SECOND: an import of the CSV FIRST then SECOND through a FIFO; returns
# when FIRST is written (see above). finish_import writes SECOND, ends the file and waits;
# the import's status is then in import.status.
start_import() {
	rm -f in.fifo import.status
	mkfifo in.fifo || return 1
	{ petition intake --csv - --print --format csv <in.fifo >import.out 2>import.err; echo $? >import.status; } &
	exec 3>in.fifo &&
	test "$(wc -c <"$1")" -gt 262144 &&
	cat "$1" >&3 &&
	cp "$2" second.part
}
finish_import() {
	cat second.part >&3
	exec 3>&-
	wait
}
# single DATE EXT: the clerk registers 张三's petition, received on DATE, external_id EXT
single() {
	PETITION_BUSY_TIMEOUT=2000 petition intake -q --received-on "$1" --channel 来访 --petitioner 张三 \
		--id-number 11010519491231002X --category 劳动报酬 --summary 讨薪 --external-id "$2"
}

test_expect_success 'setup' '
	petition init -q
'

# The import: 4000 letters, then 张三 on 2026-03-10 (line 4002) and 2026-06-01 (line 4003);
# meanwhile the clerk registers 张三 on 2026-03-01. By date: 03-01 (the clerk's), then 03-10,
# a repeat of 03-01 (9 days later, within the default 365-day window), then 06-01, a repeat
# of the latest earlier one, 03-10. The clerk's is registered first (LYS-2026-000001); the
# import's rows follow in file order: the letters 000002 to 004001, then 004002 and 004003.
test_expect_success 'a single intake while an import is reading goes through, and the import sees it' '
	{ echo "$header" && filler LA && row 2026-03-10 A-1; } >first.csv &&
	row 2026-06-01 A-2 >second.csv &&
	start_import first.csv second.csv &&
	single 2026-03-01 C-1 >single.out &&
	finish_import &&
	test "$(cat import.status)" = 0 &&
	echo LYS-2026-000001 >expect && test_cmp expect single.out &&
	q "SELECT p.case_no, p.received_on, p.repeat, coalesce(r.case_no, \"\") FROM petitions p
	   LEFT JOIN petitions r ON r.id = p.repeat_of WHERE p.petitioner = \"张三\" ORDER BY p.id" >got &&
	cat >expect <<-\EOT &&
	LYS-2026-000001|2026-03-01|0|
	LYS-2026-004002|2026-03-10|1|LYS-2026-000001
	LYS-2026-004003|2026-06-01|1|LYS-2026-004002
	EOT
	test_cmp expect got &&
	test "$(q "SELECT count(*) FROM petitions")" = 4003 &&
	grep ",张三," import.out | cut -d, -f1-3,10 >got &&
	cat >expect <<-\EOT &&
	4002,LYS-2026-004002,new,repeat
	4003,LYS-2026-004003,new,repeat
	EOT
	test_cmp expect got
'

# The same petition (external_id B-1) in the file and, meanwhile, at the counter: the import
# found none when it read the row, and numbering it now would leave a gap, so it stops (75,
# nothing of it registered); run again, it finds the row present.
test_expect_success 'a row of the import registered meanwhile: 75, nothing registered; again: present' '
	{ echo "$header" && filler LB && row 2026-07-01 B-1; } >first.csv &&
	row 2026-07-02 B-2 >second.csv &&
	start_import first.csv second.csv &&
	single 2026-07-01 B-1 >single.out &&
	finish_import &&
	test "$(cat import.status)" = 75 &&
	grep -q "^petition-intake: (stdin):4002: the petition was registered by another program while the file was being read; nothing was registered: run the import again$" import.err &&
	test "$(q "SELECT count(*) FROM petitions")" = 4004 &&
	cat first.csv second.csv >all.csv &&
	petition intake --csv all.csv 2>err &&
	grep -q "4001 added, 1 already present, 0 rejected" err &&
	test "$(q "SELECT count(*) FROM petitions")" = 8005
'

test_done
