#!/bin/sh
# The database file is ours alone, and reading needs only read access (petition(1),
# SECURITY): no device, link or another user's file becomes a database; a database, -wal,
# -shm or -journal file others may read, or a directory anyone may replace it in, is
# refused for writing, with nothing written; a reader who may not write, or a read-only
# medium, still reads. Run as root, the other user is nobody (setpriv); as a user, the
# same is done with permissions, and what needs root is skipped.
. "$(dirname "$0")/lib.sh"

root=false
[ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null && root=true
# as_other CMD...: run CMD as another user when root, else as ourselves.
as_other() {
	if $root; then setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; else "$@"; fi
}

test_expect_success 'setup: a database with a case' '
	petition init -q &&
	petition intake -q --received-on 2026-11-02 --channel 来访 --petitioner 甲 --category 欠薪 --summary 一 >/dev/null &&
	test "$(stat -c %a petition.db)" = 600
'

if $root; then
	test_expect_success 'a character device is refused before anything is done to it: 73' '
		mknod null.db c 1 3 && chmod 666 null.db &&
		test_expect_code 73 petition init --db null.db 2>err &&
		grep -q "null.db is not a regular file" err &&
		test "$(stat -c %a null.db)" = 666 &&
		! test -e null.db-journal
	'
else
	test_skip 'a character device is refused' 'mknod needs root'
fi

test_expect_success 'a symbolic link is not followed, for writing or reading: 73, its target untouched' '
	mkdir elsewhere && umask 022 && : >elsewhere/target && ln -s elsewhere/target link.db &&
	test_expect_code 73 petition init --db link.db 2>err &&
	grep -q "database link.db is a symbolic link; give the file itself" err &&
	test_expect_code 73 petition case list --db link.db 2>err &&
	test "$(stat -c %a:%s elsewhere/target)" = 644:0 &&
	ln -s petition.db good-link.db &&
	test_expect_code 73 petition intake --db good-link.db --channel 来访 --petitioner 乙 --category 欠薪 --summary x 2>err
'

test_expect_success 'a database others may read is not written to: 73, and it says how to fix it' '
	db_dump >before &&
	chmod 640 petition.db &&
	test_expect_code 73 petition intake --channel 来访 --petitioner 乙 --category 欠薪 --summary x 2>err &&
	grep -q "database petition.db can be read or written by others (mode 640); make it private: chmod 600 petition.db" err &&
	petition case list --format csv >list && test "$(wc -l <list)" -eq 2 &&
	chmod 600 petition.db &&
	db_dump >after &&
	test_cmp before after
'

test_expect_success 'a -wal, -shm or -journal file others may read is refused for writing, named' '
	db_dump >before &&
	for f in petition.db-wal petition.db-shm petition.db-journal; do
		: >$f && chmod 666 $f &&
		test_expect_code 73 petition case accept LYS-2026-000001 --on 2026-11-03 2>err &&
		grep -q "database file $f can be read or written by others (mode 666)" err &&
		rm -f $f || exit 1
	done &&
	db_dump >after &&
	test_cmp before after
'

if $root; then
	test_expect_success 'a database or -wal of another user is refused for writing: 73' '
		cp petition.db theirs.db && chown 65534 theirs.db &&
		test_expect_code 73 petition case accept --db theirs.db LYS-2026-000001 --on 2026-11-03 2>err &&
		grep -q "database theirs.db belongs to another user (uid 65534)" err &&
		cp petition.db mine.db && : >mine.db-wal && chmod 600 mine.db-wal && chown 65534 mine.db-wal &&
		test_expect_code 73 petition case accept --db mine.db LYS-2026-000001 --on 2026-11-03 2>err &&
		grep -q "database file mine.db-wal belongs to another user" err &&
		test_expect_code 73 petition init --db theirs.db 2>err
	'
else
	test_skip 'a database or -wal of another user is refused for writing' 'chown needs root'
fi

test_expect_success 'a directory anyone may write to without the sticky bit is refused; a sticky one is not' '
	mkdir pub sticky && chmod 777 pub && chmod 1777 sticky &&
	test_expect_code 73 petition init --db pub/p.db 2>err &&
	grep -q "directory pub/ can be written by anyone (mode 777), who could replace the database file in it" err &&
	! test -e pub/p.db &&
	petition init -q --db sticky/p.db &&
	test "$(stat -c %a sticky/p.db)" = 600
'

test_expect_success 'a reader who may not write reads: list, show, due, explain, rules, verify; writing is 73' '
	chmod 755 . && chmod 644 petition.db &&
	as_other petition case list --format csv >list && test "$(wc -l <list)" -eq 2 &&
	as_other petition case show LYS-2026-000001 --format csv >/dev/null &&
	{ as_other petition schedule due --format csv >/dev/null; test $? -eq 1; } &&
	as_other petition schedule explain LYS-2026-000001 --format csv >/dev/null &&
	as_other petition rules show >/dev/null &&
	as_other petition rules history --format csv >/dev/null &&
	as_other petition audit verify --format csv >findings && test "$(wc -l <findings)" -eq 1 &&
	if $root; then
		test_expect_code 73 as_other petition case accept LYS-2026-000001 --on 2026-11-03 2>err
	fi &&
	chmod 600 petition.db
'

test_expect_success 'a read-only medium (no -shm can be made beside the file): read as it is on disk' '
	mkdir medium && cp petition.db medium/ && chmod 444 medium/petition.db && chmod 555 medium &&
	as_other petition case list --db medium/petition.db --format csv >list &&
	test "$(wc -l <list)" -eq 2 &&
	as_other petition audit verify --db medium/petition.db --format csv >findings && test "$(wc -l <findings)" -eq 1 &&
	! test -e medium/petition.db-shm &&
	chmod 755 medium
'

test_done
