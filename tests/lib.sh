# tests/lib.sh: a small TAP test library after git's test-lib.sh.
#
#   . "$(dirname "$0")/lib.sh"
#   test_expect_success 'what it checks' '
#           petition init &&
#           test_expect_code 65 petition intake --csv bad.csv
#   '
#   test_done
#
# Every script runs in a fresh directory with the programs of $PETITION_BUILD first on
# PATH, a fixed operator and a fixed "today" (2026-11-28, Beijing), no PETITION_DB or
# PETITION_RULES from the caller, and a cache of its own (XDG_CACHE_HOME, for the rules'
# serialized forms) inside that directory.

set -u

TEST_SRC=$(cd "$(dirname "$0")" && pwd)
FIXTURES=$TEST_SRC/fixtures
PETITION_BUILD=${PETITION_BUILD:-$TEST_SRC/../build}
PETITION_BUILD=$(cd "$PETITION_BUILD" && pwd)
PATH=$PETITION_BUILD:$PATH
PETITION_EXEC_PATH=$PETITION_BUILD
PETITION_OPERATOR=tester
PETITION_TODAY=2026-11-28
export PATH PETITION_EXEC_PATH PETITION_OPERATOR PETITION_TODAY
unset PETITION_DB PETITION_RULES
LC_ALL=C.UTF-8
export LC_ALL

TEST_DIR=$(mktemp -d "${TMPDIR:-/tmp}/petition-test.XXXXXX")
trap 'rm -rf "$TEST_DIR"' EXIT
cd "$TEST_DIR" || exit 1
XDG_CACHE_HOME=$TEST_DIR/.cache
export XDG_CACHE_HOME

test_count=0
test_failed=0

test_expect_success() {
	test_count=$((test_count + 1))
	if (eval "$2") >"$TEST_DIR/.out" 2>&1; then
		echo "ok $test_count - $1"
	else
		test_failed=$((test_failed + 1))
		echo "not ok $test_count - $1"
		sed 's/^/#   /' "$TEST_DIR/.out"
	fi
}

# test_skip DESCRIPTION REASON: a test that cannot run here, reported as skipped (TAP).
test_skip() {
	test_count=$((test_count + 1))
	echo "ok $test_count - $1 # skip $2"
}

# test_expect_code N CMD...: run CMD, succeed when it exits with N.
test_expect_code() {
	want=$1
	shift
	"$@"
	got=$?
	if [ "$got" -ne "$want" ]; then
		echo "expected exit status $want, got $got: $*" >&2
		return 1
	fi
	return 0
}

# test_cmp EXPECTED ACTUAL
test_cmp() {
	diff -u "$1" "$2"
}

# db_dump [DB]: the database's whole content, to compare before and after a refused write.
db_dump() {
	sqlite3 "${1:-petition.db}" .dump
}

# hold_write_lock DB SECONDS: hold DB's write lock from another process (run it with &,
# then sleep a little so that it has the lock).
hold_write_lock() {
	{ echo "BEGIN IMMEDIATE;"; sleep "$2"; echo "COMMIT;"; } | sqlite3 "$1"
}

# Every petition database a script leaves must replay from its log to its tables as stored
# (petition audit verify): documented use never leaves a finding. A script that edits a
# database behind the toolkit's back, on purpose, names it in replay_skip ("a.db b.db").
test_replay_all() {
	for rp_db in $(find "$TEST_DIR" -name '*.db' -type f | sort); do
		case " ${replay_skip:-} " in *" ${rp_db##*/} "*) continue ;; esac
		petition-audit verify -q --format tsv --db "$rp_db" >"$TEST_DIR/.replay" 2>&1
		rp_rc=$?
		# not a petition database this version opens (not SQLite, another program's, ...)
		[ "$rp_rc" -gt 1 ] && continue
		test_count=$((test_count + 1))
		if [ "$rp_rc" -eq 0 ]; then
			echo "ok $test_count - the log of ${rp_db#"$TEST_DIR"/} replays to its tables"
		else
			test_failed=$((test_failed + 1))
			echo "not ok $test_count - the log of ${rp_db#"$TEST_DIR"/} replays to its tables"
			sed 's/^/#   /' "$TEST_DIR/.replay"
		fi
	done
}

test_done() {
	test_replay_all
	echo "1..$test_count"
	[ "$test_failed" -eq 0 ]
}

# test_readonly_db DB WHAT CMD: CMD (a shell command that writes to DB) run on DB made
# impossible to write exits 73 saying the database is read-only, and DB is unchanged. Root
# can write any file, so as root DB is made immutable (chattr +i) where the file system
# allows it, else the test is reported as skipped; as a user, DB loses its write permission.
test_readonly_db() {
	ro_db=$1 ro_what=$2 ro_cmd=$3
	if [ "$(id -u)" -ne 0 ] && chmod 0400 "$ro_db"; then
		ro_how=chmod
	elif chattr +i "$ro_db" 2>/dev/null; then
		ro_how=chattr
	else
		test_skip "$ro_what: exit 73" "no way to make a file unwritable for root here"
		return 0
	fi
	test_expect_success "$ro_what ($ro_how): exit 73, unchanged" '
		db_dump "$ro_db" >ro.before &&
		test_expect_code 73 eval "$ro_cmd" 2>ro.err &&
		grep -q "database $ro_db is read-only" ro.err &&
		db_dump "$ro_db" >ro.after &&
		test_cmp ro.before ro.after
	'
	if [ "$ro_how" = chattr ]; then chattr -i "$ro_db"; else chmod 0600 "$ro_db"; fi
}
