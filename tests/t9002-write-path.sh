#!/bin/sh
# One write path (lib/change.h): no module but change begins a write transaction, commits
# one, or appends to the event log; db and event provide those calls, change alone makes
# them. (At run time db.c refuses a commit that wrote rows without an event: tests/unit/change.c.)
. "$(dirname "$0")/lib.sh"

top=$(cd "$TEST_SRC/.." && pwd)

# callers SRC...: the places outside lib/change.c, lib/db.c and lib/event.c that call the
# write transaction or log primitives (a plain BEGIN ... COMMIT for a consistent read, as
# the listings use, writes nothing and is not one).
callers() {
	grep -Hn 'pt_db_begin\|pt_db_commit\|pt_db_finish\|pt_event_append\|BEGIN IMMEDIATE' "$@" |
		grep -v '^[^:]*/lib/\(change\|db\|event\)\.c:'
}

test_expect_success 'the checker finds a write around the write path' '
	mkdir -p fake/lib &&
	printf "%s\n" "int f(void) { return pt_db_begin(db, e); }" >fake/lib/route.c &&
	callers fake/lib/route.c >out &&
	grep -q "route.c:1:" out
'

test_expect_success 'lib/ and cmd/: only change begins, commits and appends events' '
	callers "$top"/lib/*.c "$top"/cmd/*.c >out;
	test ! -s out || { cat out; false; }
'

test_done
