#!/bin/sh
# bench/indexes.sh B [N]: what each index of petitions costs an import (schema/005-indexes.sql,
# schema/006-keys.sql).
#
#   sh bench/indexes.sh build 200000     (make bench runs it with N/5)
#
# In a scratch directory: register N rows of bench/gen.c with petition-intake (the source),
# then, three rounds, interleaved, for each variant a fresh table of petition's columns with
# no index but the one named, filled by one INSERT ... SELECT of the source's rows in id
# order (a WHERE keeps SQLite from copying pages instead of inserting: the transfer
# optimisation), its user+system CPU time measured with bench/runstat. Prints the median CPU
# time of each variant and what the index adds to the bare table. Informational: nothing is
# judged.

. "$(dirname "$0")/lib.sh"

registered_db "$N"
# Rows registered since schema 6 leave the text duplicate key NULL; the one schema 5 gave
# them (every generated row has an external_id), for the variant that measures its index.
sqlite3 p.db "UPDATE petitions SET dedup_key = 'x:' || unit || ':' || external_id WHERE dedup_key IS NULL" ||
	die "cannot fill the old duplicate keys"
# the schema's own indexes, then the ones schemas 005 and 006 replaced
variants='none case_key dup_key period registered repeat event matter all
	period_wide case_no dedup_key all_5 state matter_date'
index_sql() {
	case $1 in
	none) ;;
	case_key) echo "CREATE INDEX i ON petitions(case_key);" ;;
	dup_key) echo "CREATE INDEX i ON petitions(dup_key);" ;;
	period) echo "CREATE INDEX i ON petitions(received_on, unit);" ;;
	registered) echo "CREATE INDEX i ON petitions(id) WHERE state = 'registered';" ;;
	repeat) echo "CREATE INDEX i ON petitions(repeat_key, received_on) WHERE repeat_key IS NOT NULL;" ;;
	event) echo "CREATE INDEX i ON petitions(event_id);" ;;
	matter) echo "CREATE INDEX i ON petitions(matter_key) WHERE matter_key IS NOT NULL;" ;;
	all) for v in case_key dup_key period registered repeat event matter; do index_sql $v | sed "s/ i ON/ i_$v ON/"; done ;;
	period_wide) echo "CREATE INDEX i ON petitions(received_on, unit, channel, category, persons);" ;;
	case_no) echo "CREATE UNIQUE INDEX i ON petitions(case_no);" ;;
	dedup_key) echo "CREATE UNIQUE INDEX i ON petitions(dedup_key);" ;;
	all_5) for v in case_no dedup_key period registered repeat event matter; do index_sql $v | sed "s/ i ON/ i_$v ON/"; done ;;
	state) echo "CREATE INDEX i ON petitions(state, unit);" ;;
	matter_date) echo "CREATE INDEX i ON petitions(matter_key, received_on) WHERE matter_key IS NOT NULL;" ;;
	esac
}
for round in 1 2 3; do
	for v in $variants; do
		rm -f v.db v.db-wal v.db-shm
		sqlite3 v.db "PRAGMA journal_mode = WAL; ATTACH 'p.db' AS s;
			CREATE TABLE petitions AS SELECT * FROM s.petitions WHERE 0; $(index_sql $v)" >/dev/null ||
			die "cannot make the table for $v"
		./runstat "idx.$v.stat" sqlite3 v.db "PRAGMA cache_size = -16384; ATTACH 'p.db' AS s; BEGIN;
			INSERT INTO main.petitions SELECT * FROM s.petitions WHERE id > 0 ORDER BY id; COMMIT;" >/dev/null ||
			die "the INSERT for $v failed"
	done
done
median() { awk '{ print $2 }' "idx.$1.stat" | sort -n | sed -n 2p; }
echo "petition index costs: $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs, sqlite3 $(sqlite3 --version | cut -d' ' -f1)," \
	"petition $(git -C "$root" describe --always --dirty 2>/dev/null || echo unknown), $N rows"
none=$(median none)
printf '%-12s %8s %8s\n' index 'cpu s' '+ s'
for v in $variants; do
	printf '%-12s %8.2f %8.2f\n' "$v" "$(median "$v")" "$(awk -v a="$(median "$v")" -v b="$none" 'BEGIN { print a - b }')"
done
echo "(cpu s = median of 3 of one INSERT ... SELECT of the rows into a table with only that index;"
echo " + s = what the index adds to the bare table, none; all = the indexes of the schema now;"
echo " period_wide = the period index widened to the report's columns (issue 14, item 5);"
echo " case_no, dedup_key = the UNIQUE text indexes schema 006 replaced, all_5 = schema 5's seven;"
echo " state and matter_date = the two that schema 005 replaced)"
