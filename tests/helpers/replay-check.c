/* replay-check DB...: the library's replay (lib/replay.h) run on each database, for the test
 * suite: every finding on a line of its own (tab-separated: table, row, case, column, stored,
 * expected, event, what). Exit 0 when every database replays to its tables, 1 with findings,
 * 2 when a file is not a petition database this version can open or replay (not SQLite,
 * another program's, a newer schema, a log begun by an older version), 3 on another error. */
#include "../../lib/petition.h"

#include <stdio.h>

static const char *or_dash(const char *s)
{
	return s ? s : "-";
}

static void print_finding(void *ctx, const struct pt_replay_finding *f)
{
	printf("%s\t%s\t%s\t%s\t%s\t%s\t%lld\t%s\t%s\n", (const char *)ctx, f->table, or_dash(f->key),
	       or_dash(f->case_no), or_dash(f->column), or_dash(f->stored), f->event_id,
	       or_dash(f->expected), f->what);
}

int main(int argc, char **argv)
{
	int status = 0;

	for (int i = 1; i < argc; i++) {
		struct pt_err e = PT_ERR_INIT;
		struct pt_replay_result res;
		struct pt_db *db = pt_db_open(argv[i], 0, "replay-check", &e);

		if (!db) {
			fprintf(stderr, "replay-check: %s\n", e.msg);
			status = status ? status : 2;
		} else if (pt_replay_check(db, print_finding, argv[i], &res, &e)) {
			fprintf(stderr, "replay-check: %s\n", e.msg);
			status = e.kind == PT_ECONFIG || e.kind == PT_ENOINPUT ? (status ? status : 2) : 3;
		} else if (res.findings) {
			status = status == 3 ? 3 : 1;
		}
		pt_db_close(db);
		pt_err_release(&e);
	}
	return status;
}
