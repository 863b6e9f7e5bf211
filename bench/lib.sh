# bench/lib.sh: what bench/intake.sh and bench/due.sh share. Sourced with $0 the script and
# its arguments BUILD_DIR [N]; sets N, root, bin and CC, enters a scratch directory that is
# removed at exit, compiles bench/gen.c and bench/runstat.c there, and defines die, field,
# measure and median.

set -u

die() {
	echo "$0: $*" >&2
	exit 1
}

[ $# -ge 1 ] && [ $# -le 2 ] || die "usage: sh $0 BUILD_DIR [N]"
N=${2:-1000000}
case $N in
'' | *[!0-9]*) die "N must be a whole number, not '$N'" ;;
esac
[ "$N" -ge 10 ] || die "N must be at least 10"

root=$(cd "$(dirname "$0")/.." && pwd) || die "cannot find the source tree"
bin=$(cd "$1" 2>/dev/null && pwd) || die "no build directory $1 (run make first)"
for p in petition-init petition-intake petition-schedule; do
	[ -x "$bin/$p" ] || die "no $bin/$p (run make first)"
done
command -v sqlite3 >/dev/null 2>&1 || die "sqlite3 not found (apt-get install sqlite3)"
CC=${CC:-cc}

work=$(mktemp -d "${TMPDIR:-/tmp}/petition-bench.XXXXXX") || die "cannot make a scratch directory"
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM HUP
cd "$work" || die "cannot enter $work"

export PETITION_OPERATOR=bench
unset PETITION_DB PETITION_RULES PETITION_TODAY

$CC -O2 -std=c11 -o gen "$root/bench/gen.c" || die "cannot compile bench/gen.c"
$CC -O2 -std=c11 -o runstat "$root/bench/runstat.c" || die "cannot compile bench/runstat.c"

# measure NAME COMMAND...: run it under runstat, its figures into NAME.stat, stdout discarded.
measure() {
	name=$1
	shift
	./runstat "$name.stat" "$@" >/dev/null || die "failed (exit $?): $*"
}

# field NAME COLUMN: from the last line of NAME.stat (1 wall, 2 cpu, 3 peak KB, 4 status)
field() {
	tail -n 1 "$1.stat" | awk -v c="$2" '{ print $c }'
}

# median NAME COLUMN: the median of a column over the lines of NAME.stat
median() {
	awk -v c="$2" '{ print $c }' "$1.stat" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# registered_db ROWS: p.db, a fresh database holding ROWS petitions of bench/gen.c,
# registered with petition-intake (data.csv is left for the caller).
registered_db() {
	./gen "$1" >data.csv || die "gen failed"
	rm -f p.db p.db-wal p.db-shm
	"$bin/petition-init" --db p.db -q || die "petition-init failed"
	"$bin/petition-intake" --db p.db -q --csv data.csv || die "petition-intake failed"
}
