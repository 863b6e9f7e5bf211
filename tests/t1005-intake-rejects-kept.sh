#!/bin/sh
# intake --rejects FILE when the import fails at its commit (petition-intake(1): "a failed
# run leaves it as it was"): the rejects file used to be renamed into place before the
# commit and removed when the commit failed, so a failed run deleted the rejects of the run
# before. A commit is made to fail by a limit on the size of the files the program writes
# (ulimit -f, SIGXFSZ ignored, so that a write past it fails with EFBIG): the database's
# write-ahead log outgrows it at the commit for some limits, before it for smaller ones.
# For every limit from 8 to 256 blocks: the run fails with the database unchanged and
# the old rejects file as it was, or goes through (exit 1: one row rejected) with the
# three good rows registered and the new rejects file in place.
. "$(dirname "$0")/lib.sh"

test_expect_success 'setup: three good rows and one bad' '
	printf "received_on,channel,petitioner,category,summary\n" >in.csv &&
	for i in 1 2 3; do
		printf "2026-08-01,来访,周%s,咨询,问题%s\n" $i $i >>in.csv || return 1
	done &&
	printf "2026-08-01,飞鸽,周二,咨询,问题\n" >>in.csv
'

test_expect_success 'a failed commit keeps the old rejects file; a run that goes through replaces it' '
	commit_failed=0 &&
	lim=8 &&
	while [ $lim -le 256 ]; do
		rm -f petition.db petition.db-wal petition.db-shm &&
		petition init -q &&
		echo "the rejects of yesterday" >rej.csv &&
		{ sh -c "trap \"\" XFSZ; ulimit -f $lim; exec petition intake -q --csv in.csv --rejects rej.csv" \
			>/dev/null 2>err; status=$?; } &&
		n=$(sqlite3 petition.db "SELECT count(*) FROM petitions") &&
		if [ $status = 1 ]; then
			test $n = 3 && grep -q "^2026-08-01,飞鸽" rej.csv || { echo "limit $lim: $status, $n"; return 1; }
		else
			test $status = 74 && test $n = 0 && test "$(cat rej.csv)" = "the rejects of yesterday" ||
				{ echo "limit $lim: status $status, $n rows, rejects: $(head -n 1 rej.csv)"; cat err; return 1; }
			if grep -q "cannot commit" err; then commit_failed=$((commit_failed + 1)); fi
		fi &&
		test "$(ls rej.csv*)" = rej.csv &&
		lim=$((lim + 8)) || return 1
	done &&
	echo "# $commit_failed limits failed at the commit" &&
	test $commit_failed -gt 0
'

test_done
