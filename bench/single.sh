#!/bin/sh
# bench/single.sh B N: time single commands, a whole process each, against the sqlite3 shell
# doing the least a process on that database can (issue 14: `case show` and `schedule
# explain` at most 1.3x `sqlite3 DB 'select 1'`, a single intake at most 2x a one-row
# sqlite3 INSERT).
#
#   sh bench/single.sh build 100000        (what `make bench` runs, with N/10 of its N)
#
# In a scratch directory: generate N petitions with bench/gen.c, register them with
# petition-intake into p.db, and import the same CSV with `sqlite3 .import` into a bare
# table of base.db (as bench/intake.sh does); the case looked at is the one in the middle
# (id N/2). Then BENCH_SINGLE_REPS rounds (default 101), each running once, in this order:
#   select     sqlite3 p.db 'select 1'                     (the baseline of the readers)
#   lookup     sqlite3 p.db "SELECT * FROM petitions WHERE case_key = KEY AND case_no = 'CASE'"
#              (for reference: the least a reader of a case does, the schema read, the WAL
#              opened, which 'select 1' never does, and the look-up of the case by the index
#              petition uses; KEY is read from the table beforehand, since the shell has no
#              pt_case_key(); by case_no alone it would scan the table, which has no index on
#              it since schema 006)
#   show       petition case show CASE                     (through the dispatcher)
#   show-      petition-case show CASE                     (the program itself)
#   explain    petition schedule explain CASE
#   explain-   petition-schedule explain CASE
#   own        petition case show CASE on o.db, a copy of p.db whose rules in force are the
#              office's own (the default's text and a comment: not the embedded form), loaded
#              from the cache after the first round
#   insert     sqlite3 base.db "INSERT INTO petitions_bare VALUES (...)"   (one row)
#   intake     petition intake --channel ... (13 field options, the shell-script case)
# each under bench/runstat, stdout to /dev/null. Prints the median wall and CPU time of
# each, and its ratio to its baseline (select for the readers, insert for intake).
# Exits non-zero only when a command fails; figures are printed, not judged.

. "$(dirname "$0")/lib.sh"
REPS=${BENCH_SINGLE_REPS:-101}
case $REPS in '' | *[!0-9]* | 0) die "BENCH_SINGLE_REPS must be a positive whole number" ;; esac

registered_db "$N"
sqlite3 base.db ".mode csv" ".import data.csv petitions_bare" || die "sqlite3 .import failed"
case_no=$(sqlite3 p.db "SELECT case_no FROM petitions WHERE id = $((N / 2))") || die "no case $((N / 2))"
[ -n "$case_no" ] || die "no case $((N / 2))"
case_key=$(sqlite3 p.db "SELECT case_key FROM petitions WHERE id = $((N / 2))") || die "no case_key of case $((N / 2))"
cp p.db o.db || die "cannot copy p.db"
{ cat "$root/examples/rules.yaml" && echo '# our own copy'; } >ours.yaml
"$bin/petition-rules" --db o.db load -q ours.yaml || die "petition rules load failed"
XDG_CACHE_HOME=$work/cache
export XDG_CACHE_HOME

summary='来访人反映公司拖欠工资三个月,共计15000元，所谓"年底统一结算"至今未兑现，请求工会帮助追讨。'
i=1
while [ "$i" -le "$REPS" ]; do
	ext=$(printf 'S2026-%06d' "$i")
	measure select sqlite3 p.db 'select 1'
	measure lookup sqlite3 p.db "SELECT * FROM petitions WHERE case_key = $case_key AND case_no = '$case_no'"
	measure show "$bin/petition" case --db p.db show "$case_no"
	measure show- "$bin/petition-case" --db p.db show "$case_no"
	measure explain "$bin/petition" schedule --db p.db explain "$case_no"
	measure explain- "$bin/petition-schedule" --db p.db explain "$case_no"
	measure own "$bin/petition" case --db o.db show "$case_no"
	measure insert sqlite3 -batch base.db "INSERT INTO petitions_bare VALUES ('2026-11-02', '来访', '张建华', '371302198506122313', '13853912345', '临沂鑫源机械有限公司', 'LSQ', '王建国', '劳动报酬', '1', '', '$summary', '$ext')"
	measure intake "$bin/petition" intake --db p.db -q --received-on 2026-11-02 \
		--channel 来访 --petitioner 张建华 --id-number 371302198506122313 --phone 13853912345 \
		--employer 临沂鑫源机械有限公司 --unit LSQ --received-by 王建国 --category 劳动报酬 \
		--persons 1 --summary "$summary" --external-id "$ext"
	i=$((i + 1))
done
[ "$(sqlite3 p.db 'SELECT count(*) FROM petitions')" = "$((N + REPS))" ] || die "the single intakes did not all add a petition"

printf '%s\n' "petition single commands benchmark: $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs, sqlite3 $(sqlite3 --version | cut -d' ' -f1), petition $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?'), $N petitions, $REPS rounds"
printf '\n%-9s %9s %9s %7s %9s %8s\n' command "wall ms" "cpu ms" ratio "cpu ratio" "peak MB"
for c in select lookup show show- explain explain- own insert intake; do
	case $c in insert | intake) base=insert ;; *) base=select ;; esac
	awk -v c="$c" -v w="$(median "$c" 1)" -v u="$(median "$c" 2)" -v m="$(median "$c" 3)" \
		-v bw="$(median "$base" 1)" -v bu="$(median "$base" 2)" \
		'BEGIN { printf "%-9s %9.2f %9.2f %7.2f %9.2f %8.1f\n", c, w * 1000, u * 1000, w / bw, (bu > 0 ? u / bu : 0), m / 1024 }'
done
printf '\n(medians of %s rounds; ratio = wall time over the baseline'"'"'s, select for the readers and insert for\n intake; show and explain run through the dispatcher `petition`, show- and explain- run the program itself)\n' "$REPS"
