#!/bin/sh
# bench/check.sh B N: time `petition audit check` against the sqlite3 shell selecting the
# cases it reads (issue 11's target: at most 2x the hand-written SQL for the overdue part,
# memory independent of the number of cases).
#
#   sh bench/check.sh build 1000000        (what `make bench` runs after bench/due.sh)
#
# For N/10 and N petitions registered with petition-intake (bench/gen.c), time
#   baseline   sqlite3 -csv DB "SELECT case_no, unit, received_on, category FROM petitions
#              WHERE received_on <= '2025-12-31' ORDER BY id"
#   petition   petition-audit check --period 2025 --format csv (every rule; the limits of
#              the law worked out for every case received by the end of the period)
# both to /dev/null, with bench/runstat. Figures are printed, not judged.

. "$(dirname "$0")/lib.sh"

cases="SELECT case_no, unit, received_on, category FROM petitions WHERE received_on <= '2025-12-31' ORDER BY id"

printf '%s\n' "petition audit check benchmark: $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs, petition $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?')"
printf '\n%10s %8s %10s %7s %9s %11s\n' cases "base s" "petition s" ratio "base MB" "petition MB"
for rows in $((N / 10)) "$N"; do
	registered_db "$rows"
	measure base sqlite3 -csv p.db "$cases"
	# check exits 1 with findings: that is its answer, not a failure.
	./runstat check.stat "$bin/petition-audit" --db p.db -q check --period 2025 --format csv >/dev/null
	[ "$(field check 4)" -le 1 ] || die "petition-audit check failed (exit $(field check 4))"
	awk -v n="$rows" -v bw="$(field base 1)" -v bm="$(field base 3)" -v pw="$(field check 1)" \
		-v pm="$(field check 3)" \
		'BEGIN { printf "%10d %8.2f %10.2f %7.2f %9.1f %11.1f\n", n, bw, pw, pw / bw, bm / 1024, pm / 1024 }'
done
