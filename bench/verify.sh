#!/bin/sh
# bench/verify.sh B N: time `petition audit verify` on a database of N petitions routed and
# half of them moved through their course, against `sqlite3 DB .dump | sha256sum` on the
# same file (issue 11's target: at most 1.5x, memory independent of the size); and the
# whole log listed by `petition audit log --format csv` (memory flat).
#
#   sh bench/verify.sh build 1000000        (what `make bench` runs after bench/route.sh)
#
# In a scratch directory, for N/10 and N petitions: generate them with bench/gen.c, register
# them with petition-intake, route them with petition-route, then move every other case
# through accept (instruct, where a leader holds an instruct step) and resolve with
# bench/course.c, a small driver of the library's pt_case_change (a petition-case process
# per transition would take hours at this size). Then BENCH_VERIFY_REPS (default 3) rounds,
# each running, one after the other on the same file,
#   base      sh -c "sqlite3 p.db .dump | sha256sum"
#   verify    petition-audit verify --db p.db -q --format csv
#   log       petition-audit log --db p.db -q --format csv
# with stdout to /dev/null, under bench/runstat; the medians of the rounds are printed.
# Then a checkpoint (petition-audit head), a day's work after it (100 more cases accepted
# and resolved by bench/course.c) and, as many rounds,
#   since     petition-audit verify --db p.db -q --format csv --since CHECKPOINT
# Exits non-zero only when a command fails or verify makes a finding; figures are printed,
# not judged.

. "$(dirname "$0")/lib.sh"

[ -x "$bin/petition-audit" ] && [ -x "$bin/petition-route" ] && [ -f "$bin/libpetition.a" ] ||
	die "no $bin/petition-audit, petition-route or libpetition.a (run make first)"
reps=${BENCH_VERIFY_REPS:-3}
case $reps in '' | *[!0-9]* | 0) die "BENCH_VERIFY_REPS must be a positive whole number" ;; esac

# the library's dependencies, as the Makefile links them (DEPS_LIBS)
# shellcheck disable=SC2046
$CC -O2 -std=c11 -D_GNU_SOURCE $(pkg-config --cflags sqlite3 2>/dev/null) -o course "$root/bench/course.c" \
	"$bin/libpetition.a" $(pkg-config --libs sqlite3 yaml-0.1 nettle xlsxwriter 2>/dev/null ||
		echo -lsqlite3 -lyaml -lnettle -lxlsxwriter -lz) -lcsv || die "cannot compile bench/course.c"

printf '%s\n' "petition audit verify benchmark: $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs, sqlite3 $(sqlite3 --version | cut -d' ' -f1), petition $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?'), $reps rounds"
printf '\n%8s %8s %8s %6s %8s %6s %7s %9s %7s %9s %7s %7s %7s %8s\n' cases events "db MB" setup "base s" "base MB" \
	"verify s" "verify MB" ratio "cpu ratio" "log s" "log MB" "+events" "since s"
for rows in $((N / 10)) "$N"; do
	rm -f p.db p.db-wal p.db-shm ./*.stat
	./gen "$rows" >data.csv || die "gen failed"
	start=$(date +%s)
	"$bin/petition-init" --db p.db -q || die "petition-init failed"
	"$bin/petition-intake" --db p.db -q --csv data.csv || die "petition-intake failed"
	rm -f data.csv
	"$bin/petition-route" --db p.db -q --format csv >/dev/null || die "petition-route failed"
	moved=$(./course p.db) || die "bench/course failed"
	sqlite3 p.db "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
	setup=$(($(date +%s) - start))
	[ "$moved" -eq $(((rows + 1) / 2)) ] || die "bench/course moved $moved cases, not $(((rows + 1) / 2))"
	events=$(sqlite3 p.db "SELECT count(*) FROM events")
	size=$(($(wc -c <p.db) / 1048576))
	i=0
	while [ "$i" -lt "$reps" ]; do
		measure base sh -c "sqlite3 p.db .dump | sha256sum"
		measure verify "$bin/petition-audit" verify --db p.db -q --format csv
		measure log "$bin/petition-audit" log --db p.db -q --format csv
		i=$((i + 1))
	done
	checkpoint=$("$bin/petition-audit" head --db p.db) || die "petition-audit head failed"
	./course p.db 2 100 >/dev/null || die "bench/course failed"
	added=$(($(sqlite3 p.db "SELECT count(*) FROM events") - events))
	i=0
	while [ "$i" -lt "$reps" ]; do
		measure since "$bin/petition-audit" verify --db p.db -q --format csv --since "$checkpoint"
		i=$((i + 1))
	done
	awk -v n="$rows" -v ev="$events" -v mb="$size" -v st="$setup" \
		-v bw="$(median base 1)" -v bc="$(median base 2)" -v bm="$(median base 3)" \
		-v vw="$(median verify 1)" -v vc="$(median verify 2)" -v vm="$(median verify 3)" \
		-v lw="$(median log 1)" -v lm="$(median log 3)" -v add="$added" -v sw="$(median since 1)" \
		'BEGIN { printf "%8d %8d %8d %6d %8.2f %6.1f %7.2f %9.1f %7.2f %9.2f %7.2f %7.1f %7d %8.2f\n", n, ev, mb, st, bw, bm / 1024, vw, vm / 1024, vw / bw, vc / bc, lw, lm / 1024, add, sw }'
done
printf '\n(base = sqlite3 DB .dump | sha256sum; verify = petition-audit verify -q --format csv, every event\n'
printf ' checked and replayed, every table compared; log = petition-audit log --format csv, every event\n'
printf ' in words; setup s = init, intake, route and the course of half the cases; medians of %s rounds,\n' "$reps"
printf ' interleaved; ratio = verify/base wall time, cpu ratio = the same for CPU time; MB = peak RSS;\n'
printf ' +events = a day'"'"'s work after a checkpoint (100 more cases accepted and resolved, fewer in a small run), since s = verify\n'
printf ' --since that checkpoint)\n'
