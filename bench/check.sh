#!/bin/sh
# bench/check.sh B N: time `petition audit check` against hand-written SQL in the sqlite3
# shell that finds the overdue part (issue 11's target: at most 2x that SQL, memory
# independent of the number of cases).
#
#   sh bench/check.sh build 1000000        (what `make bench` runs after bench/due.sh)
#
# For N/10 and N petitions registered with petition-intake (bench/gen.c), BENCH_CHECK_REPS
# (default 3) interleaved rounds of
#   base       sqlite3 -csv p.db "ATTACH 'cal.db' ...; $overdue" (below): the cases whose
#              route limit (15 calendar days from receipt, moved off a rest day) or handle
#              limit (60 calendar days from acceptance, the same) fell due in 2025, before
#              today, and was not met by its day, the calendar a table (cal.db, from
#              `petition schedule calendar`, made before the rounds)
#   petition   petition-audit check --period 2025 --format csv (every rule; the limits of
#              the law worked out for every case received by the end of the period)
# both to /dev/null, with bench/runstat; the medians are printed. Figures are printed, not
# judged.
#
# What the SQL leaves out, so that it is the least the overdue part must do: the other
# limits of the law (objection, review and re-review, the deliveries, unnamed letters
# opened), extensions of the handle limit, a start that is no longer current (a case
# reopened), closing inside a petitioner's window, and the grouping into findings by unit
# and rule.

. "$(dirname "$0")/lib.sh"

reps=${BENCH_CHECK_REPS:-3}
case $reps in '' | *[!0-9]* | 0) die "BENCH_CHECK_REPS must be a positive whole number" ;; esac

overdue="ATTACH 'cal.db' AS c;
WITH day AS (SELECT petition_id, kind, coalesce(json_extract(data, '\$.on'), date(at, '+8 hours')) AS day
             FROM events WHERE petition_id IS NOT NULL),
limits AS (
  SELECT p.id, p.case_no, p.unit, 'route' AS lim,
         (SELECT min(date) FROM c.cal WHERE date >= date(p.received_on, '+15 days') AND kind = 'work') AS due
  FROM petitions p WHERE p.received_on <= '2025-12-31'
  UNION ALL
  SELECT p.id, p.case_no, p.unit, 'handle',
         (SELECT min(date) FROM c.cal WHERE date >= date(a.day, '+60 days') AND kind = 'work')
  FROM petitions p JOIN day a ON a.petition_id = p.id AND a.kind = 'accepted'
  WHERE p.received_on <= '2025-12-31')
SELECT l.unit, l.lim, l.case_no, l.due FROM limits l
WHERE l.due BETWEEN '2025-01-01' AND '2025-12-31' AND l.due < date('now', '+8 hours')
  AND NOT EXISTS (SELECT 1 FROM day d WHERE d.petition_id = l.id AND d.day <= l.due
                  AND d.kind IN (CASE l.lim WHEN 'route' THEN 'transferred' ELSE 'resolved' END,
                                 CASE l.lim WHEN 'route' THEN 'notified' END))
ORDER BY l.unit, l.lim, l.case_no"

printf '%s\n' "petition audit check benchmark: $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs, petition $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?'), $reps rounds"
printf '\n%10s %8s %8s %10s %7s %9s %9s %11s\n' cases overdue "base s" "petition s" ratio "cpu ratio" "base MB" "petition MB"
for rows in $((N / 10)) "$N"; do
	registered_db "$rows"
	rm -f cal.db ./*.stat
	"$bin/petition-schedule" --db p.db calendar --from 2024-12-01 --to 2027-12-31 --format csv >cal.csv ||
		die "petition-schedule calendar failed"
	sqlite3 cal.db "CREATE TABLE cal (date TEXT PRIMARY KEY, weekday TEXT, kind TEXT, holiday TEXT, provisional TEXT)" \
		".import --csv --skip 1 cal.csv cal" || die "cannot make cal.db"
	found=$(sqlite3 -csv p.db "$overdue" | wc -l)
	i=0
	while [ "$i" -lt "$reps" ]; do
		measure base sqlite3 -csv p.db "$overdue"
		# check exits 1 with findings: that is its answer, not a failure.
		./runstat check.stat "$bin/petition-audit" --db p.db -q check --period 2025 --format csv >/dev/null
		[ "$(field check 4)" -le 1 ] || die "petition-audit check failed (exit $(field check 4))"
		i=$((i + 1))
	done
	awk -v n="$rows" -v f="$found" -v bw="$(median base 1)" -v bc="$(median base 2)" -v bm="$(median base 3)" \
		-v pw="$(median check 1)" -v pc="$(median check 2)" -v pm="$(median check 3)" \
		'BEGIN { printf "%10d %8d %8.2f %10.2f %7.2f %9.2f %9.1f %11.1f\n", n, f, bw, pw, pw / bw, pc / bc, bm / 1024, pm / 1024 }'
done
printf '\n(base = the SQL above, the route and handle limits only; petition = petition-audit check --period 2025,\n'
printf ' every rule; overdue = the rows the SQL finds; medians of %s rounds, interleaved; ratio = wall time,\n' "$reps"
printf ' cpu ratio = CPU time; MB = peak RSS)\n'
