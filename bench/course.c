/* bench/course.c: move every other case of a routed database through its course: instruct
 * (by the leader who holds an instruct step, where the case has one), accept, resolve,
 * through the library (pt_case_change, the write path of petition-case), one process for
 * all: a million petition-case calls would take hours.
 *
 *   course DB            cases 1, 3, 5, ... accepted and resolved (支持), today
 *   course DB FIRST N    N cases from id FIRST, every other one (a day's work after a
 *                        checkpoint: course DB 2 100)
 *
 * Prints how many cases it moved. Built by bench/verify.sh against $(B)/libpetition.a. */
#include "../lib/petition.h"

#include <stdio.h>
#include <stdlib.h>

static int fail(const struct pt_err *e)
{
	fprintf(stderr, "course: %s\n", e->msg ? e->msg : "error");
	return 1;
}

int main(int argc, char **argv)
{
	struct pt_err e = PT_ERR_INIT;
	struct pt_db *db;
	struct pt_rules *r;
	sqlite3_stmt *q, *leader;
	long long first = 1, last = 0, moved = 0, most = -1;
	static const char *const verbs[] = { "instruct", "accept", "resolve" };

	if (argc != 2 && argc != 4) {
		fprintf(stderr, "usage: course DB [FIRST N]\n");
		return 64;
	}
	if (argc == 4) {
		first = atoll(argv[2]);
		most = atoll(argv[3]);
	}
	if (!(db = pt_db_open(argv[1], 0, "petition-case", &e)) || !(r = pt_rules_for_run(db, NULL, &e)))
		return fail(&e);
	/* a scratch copy: no need to wait for the disk at each of a million commits */
	if (pt_db_exec(db, "PRAGMA synchronous = OFF", &e) || pt_db_prepare(db, "SELECT max(id) FROM petitions", &q, &e))
		return fail(&e);
	if (sqlite3_step(q) == SQLITE_ROW)
		last = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	if (pt_db_prepare(db, "SELECT holder FROM steps WHERE petition_id = ?1 AND action = 'instruct'"
			  " AND state = 'pending' ORDER BY seq LIMIT 1", &leader, &e))
		return fail(&e);
	for (long long id = first; id <= last && moved != most; id += 2) {
		char key[24], *by = NULL;

		snprintf(key, sizeof key, "id:%lld", id); /* an internal id: petition(1), Cases */
		sqlite3_bind_int64(leader, 1, id);
		if (sqlite3_step(leader) == SQLITE_ROW)
			by = pt_db_column_dup(leader, 0);
		sqlite3_reset(leader);
		for (int v = 0; v < 3; v++) {
			struct pt_case_change ch = { .verb = verbs[v], .on = -1, .notified_on = -1, .told_on = -1,
						     .until = -1, .today = pt_date_today() };
			struct pt_case_done done = { 0 };

			if (v == 0 && !by)
				continue;
			ch.by = by;
			ch.text = v == 0 ? "请法律工作部办理" : v == 2 ? "已答复" : NULL;
			ch.outcome = v == 2 ? "支持" : NULL;
			if (pt_case_change(db, r, key, &ch, &done, &e))
				return fail(&e);
			pt_case_done_release(&done);
		}
		free(by);
		moved++;
	}
	sqlite3_finalize(leader);
	printf("%lld\n", moved);
	pt_rules_free(r);
	pt_db_close(db);
	return 0;
}
