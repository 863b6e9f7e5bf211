#!/bin/sh
# bench/due.sh B N: time `petition schedule due` against the sqlite3 shell selecting the same
# open cases (issue 14's target: at most 1.5x, memory independent of the number of cases).
#
#   sh bench/due.sh build 1000000        (what `make bench` runs after bench/intake.sh)
#
# In a scratch directory: generate N and N/10 petitions with bench/gen.c, register each set
# with petition-intake into its own database, then time, for each size,
#   baseline   sqlite3 -csv DB "SELECT case_no, unit, received_on, category FROM petitions
#              WHERE <open> ORDER BY received_on"   (the same open cases, in date order)
#   petition   petition-schedule due --format csv   (every open case with its next deadline
#              worked out on the calendar, sorted by due date)
# both to /dev/null, with bench/runstat (wall time, CPU time, peak RSS). Exits non-zero only
# when a command fails; figures are printed, not judged.

. "$(dirname "$0")/lib.sh"

open_cases="SELECT case_no, unit, received_on, category FROM petitions WHERE state NOT IN ('closed', 'rejected', 'transferred_out', 'objected') ORDER BY received_on"

printf '%s\n' "petition schedule due benchmark: $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs, sqlite3 $(sqlite3 --version | cut -d' ' -f1), petition $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?')"
printf '\n%10s %8s %10s %7s %9s %9s %11s\n' cases "base s" "petition s" ratio "cpu ratio" "base MB" "petition MB"
for rows in $((N / 10)) "$N"; do
	registered_db "$rows"
	measure base sqlite3 -csv p.db "$open_cases"
	# due exits 1 when a case is overdue: that is its answer, not a failure.
	./runstat due.stat "$bin/petition-schedule" --db p.db -q due --format csv >/dev/null
	[ "$(field due 4)" -le 1 ] || die "petition-schedule due failed (exit $(field due 4))"
	awk -v n="$rows" -v bw="$(field base 1)" -v bc="$(field base 2)" -v bm="$(field base 3)" \
		-v pw="$(field due 1)" -v pc="$(field due 2)" -v pm="$(field due 3)" \
		'BEGIN { printf "%10d %8.2f %10.2f %7.2f %9.2f %9.1f %11.1f\n", n, bw, pw, pw / bw, pc / bc, bm / 1024, pm / 1024 }'
	cp due.stat "due.$rows.stat"
done
printf '\n(base = the sqlite3 shell selecting the open cases in date order; petition = petition-schedule due,\n each case'"'"'s next deadline worked out on the working calendar and sorted by due date; MB = peak RSS)\n'
