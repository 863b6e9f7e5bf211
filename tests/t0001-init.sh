#!/bin/sh
# petition-init: create, upgrade, idempotent, refusals.
. "$(dirname "$0")/lib.sh"

test_expect_success 'init creates a database readable by its owner only' '
	petition init 2>err &&
	grep -q "petition.db created (schema version $(ls "$TEST_SRC"/../schema/*.sql | wc -l))" err &&
	grep -q "rules installed: (default)" err &&
	test "$(stat -c %a petition.db)" = 600
'

test_expect_success 'the database is in WAL mode with the default rules and two events' '
	test "$(sqlite3 petition.db "PRAGMA journal_mode")" = wal &&
	test "$(sqlite3 petition.db "SELECT count(*) FROM rules")" = 1 &&
	test "$(sqlite3 petition.db "SELECT group_concat(kind) FROM events")" = "init,rules.load"
'

test_expect_success 'init again changes nothing' '
	db_dump >before &&
	petition init 2>err &&
	grep -q "is up to date" err &&
	db_dump >after &&
	test_cmp before after
'

test_expect_success 'init -q says nothing' '
	petition init -q 2>err &&
	test ! -s err
'

test_expect_success '--dry-run on a new path creates nothing' '
	petition init --db new.db --dry-run 2>err &&
	grep -q "would be created" err &&
	test ! -e new.db
'

test_expect_success '--rules FILE installs those rules' '
	sed "s/^office: LYS/office: LSQ/" "$TEST_SRC/../examples/rules.yaml" >lsq.yaml &&
	petition init --db lsq.db --rules lsq.yaml -q &&
	petition rules --db lsq.db show | grep -q "^office: LSQ"
'

test_expect_success 'init again keeps the rules the office loaded (no default put back)' '
	sed "s/collective_persons: 5/collective_persons: 4/" "$TEST_SRC/../examples/rules.yaml" >four.yaml &&
	petition rules load -q four.yaml &&
	db_dump >before &&
	petition init 2>err &&
	! grep -q "rules installed" err &&
	db_dump >after &&
	test_cmp before after &&
	petition rules show | grep -q "collective_persons: 4"
'

test_expect_success 'bad rules: exit 78, the place of the problem, and no database' '
	printf "version: 1\nofice: LYS\n" >bad.yaml &&
	test_expect_code 78 petition init --db bad.db --rules bad.yaml 2>err &&
	grep -q "bad.yaml:2:1: unknown key '"'"'ofice'"'"' in the rules file (did you mean '"'"'office'"'"'?)" err &&
	test ! -e bad.db
'

test_expect_success 'missing rules file: exit 66' '
	test_expect_code 66 petition init --db x.db --rules nosuch.yaml 2>err &&
	grep -q "cannot read nosuch.yaml" err &&
	test ! -e x.db
'

test_expect_success 'a database newer than the program is refused with 78' '
	cp petition.db newer.db &&
	sqlite3 newer.db "PRAGMA user_version = 99" &&
	test_expect_code 78 petition init --db newer.db 2>err &&
	grep -q "schema version 99, newer than this program" err &&
	test_expect_code 78 petition rules --db newer.db show 2>err
'

test_expect_success 'an empty file is not a petition database until init makes it one' '
	: >empty.db &&
	test_expect_code 66 petition rules --db empty.db show 2>err &&
	grep -q "empty.db is not a petition database; run '"'"'petition init'"'"' first" err &&
	petition init -q --db empty.db &&
	petition rules --db empty.db show >/dev/null
'

test_expect_success 'another program'"'"'s SQLite database is refused, not changed: 78' '
	sqlite3 other.db "CREATE TABLE t(x); INSERT INTO t VALUES (1)" && chmod 600 other.db &&
	cp other.db other.orig &&
	test_expect_code 78 petition init --db other.db 2>err &&
	grep -q "other.db is an SQLite database of another program" err &&
	test_expect_code 78 petition rules --db other.db show 2>err &&
	cmp other.orig other.db
'

test_expect_success 'an empty file made by someone else becomes owner-only' '
	umask 022 && : >shared.db && chmod 644 shared.db &&
	petition init -q --db shared.db &&
	test "$(stat -c %a shared.db)" = 600
'

test_expect_success 'two inits racing for a new path: both succeed, one database' '
	for i in 1 2 3 4 5 6 7 8 9 10; do
		rm -f race.db race.db-wal race.db-shm &&
		{ petition init -q --db race.db & p1=$!; } &&
		{ petition init -q --db race.db & p2=$!; } &&
		wait $p1 && wait $p2 &&
		test "$(sqlite3 race.db "SELECT group_concat(kind) FROM events")" = "init,rules.load" || exit 1
	done &&
	test -z "$(ls | grep "race.db.init-")"
'

test_expect_success 'a file that is not a database: exit 74' '
	echo "hello" >text.db && chmod 600 text.db &&
	test_expect_code 74 petition init --db text.db 2>err &&
	grep -q "text.db" err
'

test_expect_success 'a database in a missing directory cannot be created: exit 73' '
	test_expect_code 73 petition init --db nodir/x.db 2>err &&
	grep -q "cannot create database nodir/x.db" err
'

test_expect_success 'a database locked by another program: exit 75, unchanged' '
	cp petition.db locked.db &&
	db_dump locked.db >before &&
	hold_write_lock locked.db 2 &
	sleep 0.5 &&
	PETITION_BUSY_TIMEOUT=100 test_expect_code 75 petition init --db locked.db \
		--rules "$TEST_SRC/../examples/rules.yaml" 2>err &&
	grep -q "is busy" err &&
	wait &&
	db_dump locked.db >after &&
	test_cmp before after
'

test_expect_success 'a dangling symbolic link is not a place for a database: 73' '
	ln -s nowhere/x.db dangling.db &&
	test_expect_code 73 petition init --db dangling.db 2>err &&
	grep -q "dangling.db is a symbolic link to a file that does not exist" err
'

test_expect_success 'a bad PETITION_TODAY does not stop -h or --version' '
	PETITION_TODAY=garbage petition init -h >out &&
	PETITION_TODAY=garbage petition-intake --version >out &&
	PETITION_TODAY=garbage test_expect_code 64 petition init --db today.db 2>err &&
	test ! -e today.db
'

test_expect_success 'PETITION_DB names the database' '
	PETITION_DB=env.db petition init -q &&
	test -f env.db
'

test_expect_success 'usage errors exit 64; -h prints the usage to stdout' '
	test_expect_code 64 petition init extra 2>err &&
	grep -q "^see .petition-init -h. for the usage$" err && test $(wc -l <err) -eq 2 &&
	petition init -h >out &&
	grep -q "^usage: petition-init" out &&
	petition-init -V >out &&
	grep -q "petition-init (petition)" out
'

test_done
