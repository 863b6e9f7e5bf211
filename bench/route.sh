#!/bin/sh
# bench/route.sh B N: time `petition route` on N unrouted cases against the sqlite3 shell
# setting a holder on the same rows (issue 14's target: at most 1.5x, memory independent of
# the number of cases), and against the same writes made by hand in SQL.
#
#   sh bench/route.sh build 1000000        (what `make bench` runs after bench/due.sh)
#
# In a scratch directory: generate N/10 and N petitions with bench/gen.c and register each
# set with petition-intake; then, on three copies of the database, time
#   baseline   sqlite3 DB "UPDATE petitions SET holder = '法律工作部' WHERE state = 'registered'"
#   petition   petition-route --format csv   (every case matched against the routing rules,
#              its steps written, its state and holder set, one event with the digest of the
#              steps, the steps listed)
#   set        the rows petition wrote, written by the sqlite3 shell in one transaction as two
#              set-based statements: an INSERT ... SELECT of the steps and an UPDATE of every
#              registered case's state and holder, read from a second database file (what
#              SQLite itself needs for these writes: no matching, no log, no listing)
# each with stdout to /dev/null, under bench/runstat (wall time, CPU time, peak RSS). Exits
# non-zero only when a command fails; figures are printed, not judged.

. "$(dirname "$0")/lib.sh"

[ -x "$bin/petition-route" ] || die "no $bin/petition-route (run make first)"

# The set-based writes, from src.db (the steps and holders petition-route wrote).
cat >set.sql <<'EOF'
PRAGMA foreign_keys = OFF;
ATTACH 'src.db' AS s;
BEGIN;
INSERT INTO main.steps (id, petition_id, seq, holder, action, rule, state, event_id)
	SELECT id, petition_id, seq, holder, action, rule, 'pending', event_id FROM s.st;
UPDATE main.petitions SET state = 'assigned', holder = (SELECT holder FROM s.ph WHERE ph.id = petitions.id)
	WHERE state = 'registered';
COMMIT;
EOF

printf '%s\n' "petition route benchmark: $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs, sqlite3 $(sqlite3 --version | cut -d' ' -f1), petition $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?')"
printf '\n%10s %8s %10s %7s %9s %9s %11s %8s %7s %9s\n' cases "base s" "petition s" ratio "cpu ratio" "base MB" \
	"petition MB" steps "set s" "set ratio"
for rows in $((N / 10)) "$N"; do
	registered_db "$rows"
	rm -f data.csv
	cp p.db base.db && cp p.db set.db || die "cannot copy the database"
	measure base sqlite3 base.db "UPDATE petitions SET holder = '法律工作部' WHERE state = 'registered'"
	rm -f base.db base.db-wal base.db-shm
	measure route "$bin/petition-route" --db p.db -q --format csv
	steps=$(sqlite3 p.db "SELECT count(*) FROM steps")
	[ "$(sqlite3 p.db "SELECT count(*) FROM petitions WHERE state = 'registered'")" = 0 ] ||
		die "petition-route left cases unrouted"
	rm -f src.db
	sqlite3 p.db "ATTACH 'src.db' AS s; CREATE TABLE s.st AS SELECT * FROM steps;
		CREATE TABLE s.ph (id INTEGER PRIMARY KEY, holder TEXT); INSERT INTO s.ph SELECT id, holder FROM petitions" ||
		die "cannot copy the steps"
	measure set sqlite3 set.db ".read set.sql"
	rm -f set.db set.db-wal set.db-shm src.db
	awk -v n="$rows" -v bw="$(field base 1)" -v bc="$(field base 2)" -v bm="$(field base 3)" \
		-v pw="$(field route 1)" -v pc="$(field route 2)" -v pm="$(field route 3)" -v s="$steps" \
		-v sw="$(field set 1)" \
		'BEGIN { printf "%10d %8.2f %10.2f %7.2f %9.2f %9.1f %11.1f %8d %7.2f %9.2f\n", n, bw, pw, pw / bw, pc / bc, bm / 1024, pm / 1024, s, sw, sw / bw }'
done
printf '\n(base = the sqlite3 shell setting a holder on every registered case; petition = petition-route,\n each case matched against the routing rules, its steps written and listed; set = the same rows\n written by the sqlite3 shell in two set-based statements; MB = peak RSS)\n'
