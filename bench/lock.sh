#!/bin/sh
# bench/lock.sh B [N]: how long a clerk's single intake waits while a bulk import runs
# (issue 13, item 4). N is ignored: the import is always BENCH_LOCK_ROWS rows (200000).
#
#   sh bench/lock.sh build              (what `make bench` runs after bench/intake.sh)
#
# In a scratch directory: generate the rows with bench/gen.c, petition-init a database and
# register one petition in it (a database in use, where an import writes in slices), start
# `petition-intake --csv` on them in the background, and while it runs start one single
# `petition-intake --channel ...` every 0.2 s, one after the other, each timed with
# bench/runstat (its whole-process wall time is the clerk's wait plus its own few
# milliseconds). Prints the import's time and the worst, median and count of the single
# intakes, and checks that the database holds every row of the import and every single
# petition that reported success. Exits non-zero only when the import fails or rows are
# missing; a single intake that gives up (75, busy) is counted and printed, not fatal.

. "$(dirname "$0")/lib.sh"
ROWS=${BENCH_LOCK_ROWS:-200000}

./gen "$ROWS" >data.csv || die "gen $ROWS failed"
"$bin/petition-init" --db p.db -q || die "petition-init failed"
# a database in use: one petition registered before the import (into a database that holds
# none, the import is a migration, written in one transaction: petition(7), "Imports")
"$bin/petition-intake" --db p.db -q --received-on 2026-11-01 --channel 来访 --petitioner 李明 \
	--category 咨询 --summary '开始使用前的第一件' >/dev/null || die "the first petition failed"
./runstat import.stat "$bin/petition-intake" --db p.db --csv data.csv -q >/dev/null &
import=$!
i=0
while kill -0 "$import" 2>/dev/null; do
	sleep 0.2
	i=$((i + 1))
	./runstat single.stat "$bin/petition-intake" --db p.db -q --received-on 2026-11-02 \
		--channel 来访 --petitioner 张建华 --id-number 371302198506122313 --category 劳动报酬 \
		--summary '来访人反映公司拖欠工资三个月，请求工会帮助追讨。' \
		--external-id "$(printf 'L2026-%06d' "$i")" >/dev/null 2>&1
done
wait "$import" || die "the import failed"
[ -s single.stat ] || die "the import ended before any single intake started"
ok=$(awk '$4 == 0' single.stat | wc -l)
busy=$(awk '$4 != 0' single.stat | wc -l)
[ "$(sqlite3 p.db 'SELECT count(*) FROM petitions')" = "$((ROWS + ok + 1))" ] ||
	die "the database does not hold the $ROWS rows and the $ok single petitions"

echo "petition lock benchmark: $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs," \
	"petition $(git -C "$root" describe --always --dirty 2>/dev/null || echo unknown)"
sort -n -k1,1 single.stat | awk -v rows="$ROWS" -v imp="$(field import 1)" -v busy="$busy" '
	{ w[NR] = $1 }
	END {
		printf "import of %d rows: %.2f s; %d single intakes during it: worst wait %.3f s," \
			" median %.3f s, %d gave up (busy)\n", rows, imp, NR, w[NR], w[int((NR + 1) / 2)], busy
	}'
echo "(a single intake's wait = its whole-process wall time, started every 0.2 s one after the other)"
