/* Unit tests of lib/schedule's due list through the library API: however few cases may wait
 * in memory (queue_max), the list is the same, byte for byte; past the bound the rest is
 * sorted by SQLite, and what was printed before it still comes first. */
#include "../../lib/petition.h"
#include "query.h"
#include "tap.h"

#include <stdlib.h>
#include <unistd.h>

static char dir[] = "/tmp/petition-schedule-XXXXXX";

/* The due list as csv, with at most queue_max cases waiting in memory (0: the default). */
static char *due_list(struct pt_db *db, const struct pt_rules *r, size_t queue_max, struct pt_due_result *res)
{
	struct pt_due_opts o = { .today = pt_date_today(), .within = -1, .queue_max = queue_max };
	struct pt_fmt_opts fo = { .format = PT_FMT_CSV };
	struct pt_err e = PT_ERR_INIT;
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	struct pt_fmt *out = pt_fmt_new(f, &fo, pt_schedule_due_cols, pt_schedule_due_ncols, &e);

	if (!out || pt_schedule_due(db, r, &o, out, res, &e) || pt_fmt_finish(out, &e))
		printf("# due: %s\n", e.msg);
	fclose(f);
	pt_err_release(&e);
	return text;
}

int main(void)
{
	/* received, channel, leader named: registered in an order that is not their receipt,
	 * with due dates that tie across days and rules (t3006 works them out by hand) */
	static const char *const cases[][3] = {
		{ "2026-02-08", "来访", NULL }, { "2026-02-13", "来信", NULL }, { "2026-01-31", "来访", NULL },
		{ "2026-02-12", "来信", NULL }, { "2026-01-30", "来访", NULL }, { "2026-02-12", "来信", "王建国" },
		{ "2026-02-13", "来访", NULL }, { "2026-09-23", "来访", NULL }, { "2026-09-17", "来访", NULL },
		{ "2026-09-30", "来信", NULL }, { "2026-09-24", "来信", "王建国" }, { "2026-09-25", "来访", NULL },
		{ "2026-09-30", "上级转送", NULL },
	};
	const size_t n = sizeof cases / sizeof *cases;
	struct pt_err e = PT_ERR_INIT;
	struct pt_errlist l = PT_ERRLIST_INIT;
	struct pt_buf path = PT_BUF_INIT, summary = PT_BUF_INIT;
	struct pt_init_result ir;
	struct pt_due_result res;
	const char *text = pt_rules_default_text();
	struct pt_rules *r = pt_rules_parse(text, strlen(text), "(default)", &l);
	struct pt_db *db;
	char *all;

	if (!r || !mkdtemp(dir))
		return 1;
	setenv("PETITION_TODAY", "2026-11-28", 1);
	pt_buf_addf(&path, "%s/t.db", dir);
	ok(pt_init_path(path.buf, "test", r, false, false, &ir, &e) == 0, "init");
	db = pt_db_open(path.buf, 0, "test", &e);
	for (size_t i = 0; i < n; i++) {
		pt_buf_reset(&summary);
		pt_buf_addf(&summary, "第%zu件", i + 1);
		add_case(db, r, cases[i][0], cases[i][1], summary.buf, "咨询", cases[i][2], summary.buf);
	}
	all = query(db, "SELECT count(*) FROM petitions");
	is_str(all, "13", "13 cases registered");
	free(all);

	all = due_list(db, r, 0, &res);
	ok(all && res.listed == n && res.overdue == n, "all %zu cases listed, all overdue on 2026-11-28", n);
	ok(all && !strncmp(all, "case_no,", 8) && strstr(all, "\nLYS-2026-000004,") < strstr(all, "\nLYS-2026-000005,") &&
		   strstr(all, "\nLYS-2026-000008,") < strstr(all, "\nLYS-2026-000009,"),
	   "ties by id: 4 before 5 (02-14), 8 before 9 (10-08), 9 received first");
	/* 1: every case but the first read goes through SQLite's sort; n: none does */
	for (size_t max = 1; max <= n; max++) {
		char *got = due_list(db, r, max, &res);

		is_str(got, all, "at most %zu waiting in memory: the same list", max);
		ok(res.listed == n && res.overdue == n, "and the same counts");
		free(got);
	}
	ok(pt_schedule_due(db, r, &(struct pt_due_opts){ .today = pt_date_today(), .within = -1 }, NULL, &res, &e) == 0 &&
		   res.listed == n,
	   "without a formatter: only counted");

	free(all);
	pt_buf_release(&summary);
	pt_db_close(db);
	pt_rules_free(r);
	pt_errlist_release(&l);
	unlink(path.buf);
	pt_buf_release(&path);
	rmdir(dir);
	return done_testing();
}
