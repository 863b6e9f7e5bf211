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
# both to /dev/null under bench/runstat, and print the medians. Exits non-zero only when a
# command fails; figures are printed, not judged.

. "$(dirname "$0")/lib.sh"

[ -x "$bin/petition-report" ] || die "no $bin/petition-report (run make first)"
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

printf '%s\n' "petition report benchmark: $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs, sqlite3 $(sqlite3 --version | cut -d' ' -f1), petition $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?'), $reps runs each, medians"
printf '\n%10s %9s %8s %10s %7s %9s %9s %11s\n' petitions "in 2026Q2" "base s" "petition s" ratio "cpu ratio" "base MB" "petition MB"
for rows in $((N / 10)) "$N"; do
	registered_db "$rows"
	rm -f data.csv
	"$bin/petition-route" --db p.db -q >/dev/null || die "petition-route failed"
	quarter=$(sqlite3 p.db "SELECT count(*) FROM petitions WHERE received_on BETWEEN '2026-04-01' AND '2026-06-30'")
	rm -f base.all report.all
	i=0
	while [ "$i" -lt "$reps" ]; do
		measure base sqlite3 -csv p.db "$part_a_sql"
		tail -n 1 base.stat >>base.all
		measure report "$bin/petition-report" --db p.db quarter --period 2026Q2 --part A --format csv
		tail -n 1 report.stat >>report.all
		i=$((i + 1))
	done
	bw=$(awk '{ print $1 }' base.all | median) bc=$(awk '{ print $2 }' base.all | median)
	pw=$(awk '{ print $1 }' report.all | median) pc=$(awk '{ print $2 }' report.all | median)
	bm=$(awk '{ print $3 }' base.all | sort -n | tail -n 1) pm=$(awk '{ print $3 }' report.all | sort -n | tail -n 1)
	awk -v n="$rows" -v q="$quarter" -v bw="$bw" -v bc="$bc" -v bm="$bm" -v pw="$pw" -v pc="$pc" -v pm="$pm" \
		'BEGIN { printf "%10d %9d %8.2f %10.2f %7.2f %9.2f %9.1f %11.1f\n", n, q, bw, pw, pw / bw, pc / bc, bm / 1024, pm / 1024 }'
done
printf '\n(base = the sqlite3 shell computing part A by hand-written SQL, overdue without the working\n calendar; petition = petition-report quarter --part A, every deadline of every case worked out;\n MB = the highest peak RSS of the runs)\n'
