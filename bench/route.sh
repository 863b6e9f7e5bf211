#!/bin/sh
# bench/route.sh B N: time `petition route` on N unrouted cases against the sqlite3 shell
# setting a holder on the same rows (issue 4's target: at most 2x, memory independent of
# the number of cases).
#
#   sh bench/route.sh build 1000000        (what `make bench` runs after bench/due.sh)
#
# In a scratch directory: generate N/10 and N petitions with bench/gen.c and register each
# set with petition-intake; then, on two copies of the database, time
#   baseline   sqlite3 DB "UPDATE petitions SET holder = '法律工作部' WHERE state = 'registered'"
#   petition   petition-route --format csv   (every case matched against the routing rules,
#              its steps written, its state and holder set, one event with the digest of the
#              steps, the steps listed)
# both with stdout to /dev/null, under bench/runstat (wall time, CPU time, peak RSS). Exits
# non-zero only when a command fails; figures are printed, not judged.

. "$(dirname "$0")/lib.sh"

[ -x "$bin/petition-route" ] || die "no $bin/petition-route (run make first)"

printf '%s\n' "petition route benchmark: $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs, sqlite3 $(sqlite3 --version | cut -d' ' -f1), petition $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?')"
printf '\n%10s %8s %10s %7s %9s %9s %11s %8s\n' cases "base s" "petition s" ratio "cpu ratio" "base MB" "petition MB" steps
for rows in $((N / 10)) "$N"; do
	registered_db "$rows"
	rm -f data.csv
	cp p.db base.db || die "cannot copy the database"
	measure base sqlite3 base.db "UPDATE petitions SET holder = '法律工作部' WHERE state = 'registered'"
	rm -f base.db base.db-wal base.db-shm
	measure route "$bin/petition-route" --db p.db -q --format csv
	steps=$(sqlite3 p.db "SELECT count(*) FROM steps")
	[ "$(sqlite3 p.db "SELECT count(*) FROM petitions WHERE state = 'registered'")" = 0 ] ||
		die "petition-route left cases unrouted"
	awk -v n="$rows" -v bw="$(field base 1)" -v bc="$(field base 2)" -v bm="$(field base 3)" \
		-v pw="$(field route 1)" -v pc="$(field route 2)" -v pm="$(field route 3)" -v s="$steps" \
		'BEGIN { printf "%10d %8.2f %10.2f %7.2f %9.2f %9.1f %11.1f %8d\n", n, bw, pw, pw / bw, pc / bc, bm / 1024, pm / 1024, s }'
done
printf '\n(base = the sqlite3 shell setting a holder on every registered case; petition = petition-route,\n each case matched against the routing rules, its steps written and listed; MB = peak RSS)\n'
