#!/bin/sh
# bench/report.sh B N: time `petition report quarter --part A` against the sqlite3 shell
# running hand-written SQL for the same part-A figures (issue 10's target: at most 1.1x,
# memory independent of the number of petitions).
#
#   sh bench/report.sh build 1000000        (what `make bench` runs after bench/route.sh)
#
# In a scratch directory: generate N/10 and N petitions with bench/gen.c (received
# 2025-01-01 to 2026-10-31), register each set with petition-intake and route it with
# petition-route (so that every case has steps and a routing event to look up), then for
# the quarter 2026Q2 run, interleaved, BENCH_REPORT_REPS times each (5 by default)
#   baseline   sqlite3 -csv DB <part-A SQL>  (one GROUP BY unit over the quarter's cases
#              with the petitions_period index, the event figures by EXISTS on the case's
#              events, overdue by the 15-day limit in calendar days, no working calendar;
#              and the reception days by unit and month)
#   petition   petition-report quarter --period 2026Q2 --part A --format csv
#   csv        python3 bench/report_csv.py over the CSV export of the petitions, events and
#              receptions tables (issue 10's second target: petition at least 20x faster
#              than a general tool over the export), the whole tables and again over only
#              the petitions columns part A reads (narrow)
# all to /dev/null under bench/runstat, and print the medians. The export is made once per
# size by `sqlite3 -header -csv` before the runs and is timed by neither side (petition reads
# the database, python the files already written); the python output is compared with the
# hand-written SQL's before the runs, so both compute the same figures. Exits non-zero only
# when a command fails or the two disagree; figures are printed, not judged.

. "$(dirname "$0")/lib.sh"

[ -x "$bin/petition-report" ] || die "no $bin/petition-report (run make first)"
command -v python3 >/dev/null 2>&1 || die "python3 not found (apt-get install python3)"
reps=${BENCH_REPORT_REPS:-5}

# Part A by hand: what petition-report counts, but overdue as the route limit only.
part_a_sql="
WITH q AS (SELECT * FROM petitions INDEXED BY petitions_period WHERE received_on BETWEEN '2026-04-01' AND '2026-06-30'),
ev AS (SELECT q.*,
	EXISTS (SELECT 1 FROM events e WHERE e.petition_id = q.id AND e.kind = 'instructed' AND json_extract(e.data, '\$.by') = q.addressed_to) AS by_named,
	EXISTS (SELECT 1 FROM events e WHERE e.petition_id = q.id AND e.kind = 'instructed' AND json_extract(e.data, '\$.by') IS NOT q.addressed_to) AS by_other,
	EXISTS (SELECT 1 FROM events e WHERE e.petition_id = q.id AND e.kind = 'transferred' AND json_extract(e.data, '\$.mode') = '交办') AS handed_down,
	EXISTS (SELECT 1 FROM events e WHERE e.petition_id = q.id AND e.kind = 'objected') AS objected,
	EXISTS (SELECT 1 FROM events e WHERE e.petition_id = q.id AND e.kind = 'extended') AS extended,
	EXISTS (SELECT 1 FROM events e WHERE e.petition_id = q.id AND e.kind = 'review_requested') AS review,
	EXISTS (SELECT 1 FROM events e WHERE e.petition_id = q.id AND e.kind = 'rereview_requested') AS rereview,
	EXISTS (SELECT 1 FROM events e WHERE e.petition_id = q.id AND e.kind IN ('accepted', 'rejected', 'transferred')) AS routed_on,
	state IN ('resolved', 'review_requested', 'reviewed', 'rereview_requested', 'rereviewed', 'closed') AS resolved
	FROM q)
SELECT unit, count(*), sum(persons), sum(channel = 'visit' AND received_by IS NOT NULL), sum(collective),
	sum(CASE WHEN collective THEN persons ELSE 0 END), sum(repeat), sum(channel = 'transfer'), sum(named_letter),
	sum(named_letter AND by_named), sum(named_letter AND NOT by_named AND by_other), sum(resolved),
	sum(resolved AND outcome = '支持'), sum(resolved AND outcome = '部分支持'), sum(resolved AND outcome = '解释'),
	sum(resolved AND outcome = '不支持'), sum(state IN ('registered', 'assigned', 'accepted', 'objecting')),
	sum(state = 'rejected'), sum(state = 'transferred_out'), sum(state = 'objected'), sum(handed_down), sum(objected),
	sum(extended), sum(state NOT IN ('closed', 'rejected', 'transferred_out', 'objected') AND NOT routed_on
	AND received_on < date('now', '-15 days')), sum(review), sum(rereview), sum(resolved AND satisfaction = '满意'),
	sum(resolved AND satisfaction = '基本满意'), sum(resolved AND satisfaction = '不满意'),
	sum(resolved AND satisfaction IS NULL)
FROM ev GROUP BY unit;
SELECT unit, substr(day, 1, 7), sum(kind = 'reception' AND state <> 'cancelled'), sum(kind = 'reception' AND state = 'held'),
	count(DISTINCT CASE WHEN kind = 'reception' AND state = 'held' THEN coalesce(held_by, leader) END),
	sum(kind = 'meeting' AND state = 'held')
FROM receptions WHERE day BETWEEN '2026-01-01' AND '2026-06-30' GROUP BY 1, 2;"

median() {
	sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

printf '%s\n' "petition report benchmark: $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs, sqlite3 $(sqlite3 --version | cut -d' ' -f1), python $(python3 -c 'import platform; print(platform.python_version())'), petition $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?'), $reps runs each, medians"
printf '\n%10s %9s %8s %10s %7s %9s %9s %11s\n' petitions "in 2026Q2" "base s" "petition s" ratio "cpu ratio" "base MB" "petition MB"
: >csv.table
for rows in $((N / 10)) "$N"; do
	registered_db "$rows"
	rm -f data.csv
	"$bin/petition-route" --db p.db -q >/dev/null || die "petition-route failed"
	quarter=$(sqlite3 p.db "SELECT count(*) FROM petitions WHERE received_on BETWEEN '2026-04-01' AND '2026-06-30'")
	# The CSV exports, made here and timed by no one: the whole tables, and the petitions'
	# columns part A reads (what an analyst who knew the figures would export).
	for t in petitions events receptions; do
		sqlite3 -header -csv p.db "SELECT * FROM $t" >"$t.csv" || die "cannot export $t"
	done
	sqlite3 -header -csv p.db "SELECT id, unit, received_on, channel, received_by, persons, collective, repeat,
		named_letter, addressed_to, state, outcome, satisfaction FROM petitions" >narrow.csv || die "cannot export petitions"
	csv_all="python3 $root/bench/report_csv.py petitions.csv events.csv receptions.csv 2026-04-01 2026-06-30 2026-01-01"
	csv_narrow="python3 $root/bench/report_csv.py narrow.csv events.csv receptions.csv 2026-04-01 2026-06-30 2026-01-01"
	sqlite3 -csv p.db "$part_a_sql" >base.out || die "the hand-written SQL failed"
	for v in all narrow; do
		eval "\$csv_$v" >csv.out || die "bench/report_csv.py failed"
		cmp -s base.out csv.out || { diff base.out csv.out | head >&2; die "bench/report_csv.py ($v) and the hand-written SQL disagree"; }
	done
	rm -f base.all report.all all.all narrow.all
	i=0
	while [ "$i" -lt "$reps" ]; do
		measure base sqlite3 -csv p.db "$part_a_sql"
		tail -n 1 base.stat >>base.all
		measure report "$bin/petition-report" --db p.db quarter --period 2026Q2 --part A --format csv
		tail -n 1 report.stat >>report.all
		measure all $csv_all
		tail -n 1 all.stat >>all.all
		measure narrow $csv_narrow
		tail -n 1 narrow.stat >>narrow.all
		i=$((i + 1))
	done
	bw=$(awk '{ print $1 }' base.all | median) bc=$(awk '{ print $2 }' base.all | median)
	pw=$(awk '{ print $1 }' report.all | median) pc=$(awk '{ print $2 }' report.all | median)
	aw=$(awk '{ print $1 }' all.all | median) ac=$(awk '{ print $2 }' all.all | median)
	nw=$(awk '{ print $1 }' narrow.all | median) nc=$(awk '{ print $2 }' narrow.all | median)
	bm=$(awk '{ print $3 }' base.all | sort -n | tail -n 1) pm=$(awk '{ print $3 }' report.all | sort -n | tail -n 1)
	am=$(awk '{ print $3 }' all.all | sort -n | tail -n 1) nm=$(awk '{ print $3 }' narrow.all | sort -n | tail -n 1)
	awk -v n="$rows" -v q="$quarter" -v bw="$bw" -v bc="$bc" -v bm="$bm" -v pw="$pw" -v pc="$pc" -v pm="$pm" \
		'BEGIN { printf "%10d %9d %8.2f %10.2f %7.2f %9.2f %9.1f %11.1f\n", n, q, bw, pw, pw / bw, pc / bc, bm / 1024, pm / 1024 }'
	awk -v n="$rows" -v pw="$pw" -v pc="$pc" -v aw="$aw" -v ac="$ac" -v am="$am" -v nw="$nw" -v nc="$nc" -v nm="$nm" \
		'BEGIN { printf "%10d %10.2f %9.2f %7.1f %9.1f %6.0f %9.2f %7.1f %9.1f %9.0f\n", n, pw, aw, aw / pw, ac / pc, am / 1024, nw, nw / pw, nc / pc, nm / 1024 }' >>csv.table
	rm -f petitions.csv narrow.csv events.csv receptions.csv
done
printf '\n(base = the sqlite3 shell computing part A by hand-written SQL, overdue without the working\n calendar; petition = petition-report quarter --part A, every deadline of every case worked out;\n MB = the highest peak RSS of the runs)\n'
printf '\nThe same part A by python3 csv over the CSV export (the export not timed; the same figures as base):\n'
printf '\n%10s %10s %9s %7s %9s %6s %9s %7s %9s %9s\n' petitions "petition s" "csv s" ratio "cpu ratio" "MB" "narrow s" ratio "cpu ratio" "narrow MB"
cat csv.table
printf '\n(csv = every column of the tables exported; narrow = only the petitions columns part A reads;\n ratio = python wall time / petition wall time, cpu ratio the same for CPU time; MB = peak RSS)\n'
