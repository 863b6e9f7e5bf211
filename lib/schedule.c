#include "schedule.h"
#include "buf.h"
#include "cal.h"
#include "casefile.h"
#include "deadline.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct pt_col pt_schedule_calendar_cols[] = {
	{ "date", false }, { "weekday", false }, { "kind", false }, { "holiday", false },
	{ "provisional", false },
};
const size_t pt_schedule_calendar_ncols = sizeof pt_schedule_calendar_cols / sizeof *pt_schedule_calendar_cols;


static int first_missing_year(const struct pt_calendar *c, long from, long to)
{
	for (int y = pt_date_year(from); y <= pt_date_year(to); y++)
		if (!pt_calendar_has_year(c, y))
			return y;
	return 0;
}

int pt_schedule_calendar(const struct pt_rules *r, long from, long to, struct pt_fmt *out,
			 struct pt_calendar_result *res, struct pt_err *e)
{
	const struct pt_calendar *c = r->calendar;
	int rc = 0;

	memset(res, 0, sizeof *res);
	if (to < from)
		return pt_err_set(e, PT_EUSAGE, "the range ends before it begins");
	if (to - from > 36600)
		return pt_err_set(e, PT_EUSAGE, "a range of at most 100 years");
	res->working_days = pt_calendar_count(c, from, to, &res->provisional);
	if (res->provisional)
		res->first_missing_year = first_missing_year(c, from, to);
	for (long d = from; out && d <= to && rc == 0; d++) {
		char date[PT_DATE_LEN];
		const char *name;
		bool prov = false;
		enum pt_day_kind k = pt_calendar_day(c, d, &name, &prov);
		const char *v[] = { date, pt_weekday_name(d), pt_day_kind_name(k), name,
				    prov ? "yes" : NULL };

		pt_date_format(d, date);
		rc = pt_fmt_row(out, v, e);
	}
	return rc;
}

bool pt_schedule_workday(const struct pt_rules *r, long day, char first, bool *provisional)
{
	long start = day;
	int y, m, d;

	if (first) {
		pt_civil_from_days(day, &y, &m, &d);
		start = pt_days_from_civil(y, first == 'q' ? (m - 1) / 3 * 3 + 1 : m, 1);
	}
	/* working itself, and none of the days before it in its month or quarter */
	return pt_calendar_count(r->calendar, day, day, provisional) == 1 &&
	       pt_calendar_count(r->calendar, start, day - 1, provisional) == 0;
}

/* ---- deadlines of a case ---- */

const struct pt_col pt_schedule_explain_cols[] = {
	{ "deadline", false }, { "title", false }, { "counts_from", false }, { "from_date", false },
	{ "rule", false }, { "due", false }, { "skipped", false }, { "state", false },
	{ "working_days_left", true }, { "basis", false },
};
const size_t pt_schedule_explain_ncols = sizeof pt_schedule_explain_cols / sizeof *pt_schedule_explain_cols;

struct explain_ctx {
	struct pt_fmt *out;
	struct pt_err *e;
	int rc;
};

static void explain_row(void *ctx, const struct pt_deadline_view *d)
{
	struct explain_ctx *x = ctx;
	const char *v[] = { d->name, d->title, d->counts_from, d->from_date, d->rule, d->due, d->skipped,
			    d->state, d->working_days_left, d->basis };

	if (x->rc == 0)
		x->rc = pt_fmt_row(x->out, v, x->e);
}

int pt_schedule_explain(struct pt_db *db, const struct pt_rules *r, const char *case_key, long today,
			struct pt_fmt *out, struct pt_err *e)
{
	struct explain_ctx x = { out, e, 0 };

	return pt_case_deadlines(db, r, case_key, today, explain_row, &x, e) || x.rc ? -1 : 0;
}

/* ---- the list of cases by their next deadline ---- */

const struct pt_col pt_schedule_due_cols[] = {
	{ "case_no", false }, { "unit", false }, { "received_on", false }, { "category", false },
	{ "deadline", false }, { "title", false }, { "due", false }, { "working_days_left", true },
	{ "state", false },
};
const size_t pt_schedule_due_ncols = sizeof pt_schedule_due_cols / sizeof *pt_schedule_due_cols;

/* Cases that are still someone's business. */
#define OPEN_CASES "state NOT IN (" PT_CASE_CLOSED_STATES ")"

static const char *const event_cursor_sql[PT_SCHEDULE_SCAN_CURSORS] = {
	"SELECT petition_id, " PT_CASE_EVENT_COLUMNS " FROM events WHERE petition_id IS NOT NULL ORDER BY petition_id, id",
	"SELECT s.petition_id, " PT_CASE_EVENT_COLUMNS " FROM steps s JOIN events e ON e.id = s.event_id"
	" WHERE e.petition_id IS NULL ORDER BY s.petition_id, s.seq",
};

static int step_cursor(struct pt_db *db, struct pt_schedule_scan *s, int k, struct pt_err *e)
{
	int rc = sqlite3_step(s->events[k]);

	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return pt_db_fail(db, rc, "cannot read the events", e);
	s->events_left[k] = rc == SQLITE_ROW;
	return 0;
}

int pt_schedule_scan_open(struct pt_db *db, struct pt_schedule_scan *s, const char *cases_sql, struct pt_err *e)
{
	memset(s, 0, sizeof *s);
	if (pt_db_prepare(db, cases_sql, &s->cases, e))
		return -1;
	for (int k = 0; k < PT_SCHEDULE_SCAN_CURSORS; k++)
		if (pt_db_prepare(db, event_cursor_sql[k], &s->events[k], e) || step_cursor(db, s, k, e))
			return -1;
	return 0;
}

int pt_schedule_scan_events(struct pt_db *db, struct pt_schedule_scan *s, long long id, struct pt_err *e)
{
	s->ev.n = 0;
	for (int k = 0; k < PT_SCHEDULE_SCAN_CURSORS; k++)
		while (s->events_left[k]) {
			long long pid = sqlite3_column_int64(s->events[k], 0);

			if (pid > id)
				break;
			if (pid == id)
				pt_case_events_add(&s->ev, s->events[k], 1);
			if (step_cursor(db, s, k, e))
				return -1;
		}
	return 0;
}

void pt_schedule_scan_close(struct pt_schedule_scan *s)
{
	sqlite3_finalize(s->cases);
	for (int k = 0; k < PT_SCHEDULE_SCAN_CURSORS; k++)
		sqlite3_finalize(s->events[k]);
	pt_case_events_release(&s->ev);
	memset(s, 0, sizeof *s);
}

struct due_scan {
	struct pt_schedule_scan scan;
	sqlite3_stmt *insert;
};

/* The case's next deadline: the earliest due among those started and not met. */
static const struct pt_deadline_rule *next_deadline(const struct pt_rules *r, const struct pt_calendar *c,
						     const struct pt_case *f, const struct pt_case_events *ev,
						     struct pt_case_deadline *best)
{
	const struct pt_deadline_rule *which = NULL;

	for (size_t i = 0; i < r->ndeadlines; i++) {
		const struct pt_deadline_rule *d = &r->deadlines[i];
		struct pt_case_deadline x;

		if (!pt_case_deadline_applies(d, f) || d->window)
			continue; /* a petitioner's window is not the office's to meet */
		pt_case_deadline_evaluate(c, f, ev, d, &x);
		if (x.started && !x.outside && x.done < 0 && (!which || x.dl.due < best->dl.due)) {
			which = d;
			*best = x;
		}
	}
	return which;
}

static int due_prepare(struct pt_db *db, const struct pt_due_opts *o, struct due_scan *s, struct pt_err *e)
{
	struct pt_buf sql = PT_BUF_INIT;
	int rc;

	/* Kept in due order by its key, with what the listing shows, so that printing is one
	 * ordered scan: no sort in memory and no lookup of each case again. A small cache for
	 * it: it spills to a temporary file, and memory stays the same however many cases. */
	if (pt_db_exec(db, "PRAGMA temp.cache_size = -2048;"
			   " CREATE TEMP TABLE IF NOT EXISTS due_list (due TEXT, petition_id INTEGER, left INTEGER,"
			   " deadline TEXT, case_no TEXT, unit TEXT, received_on TEXT, category TEXT, provisional INTEGER,"
			   " PRIMARY KEY (due, petition_id)) WITHOUT ROWID; DELETE FROM temp.due_list", e))
		return -1;
	pt_buf_adds(&sql, "SELECT " PT_CASE_COLUMNS " FROM petitions WHERE " OPEN_CASES);
	if (o->unit)
		pt_buf_adds(&sql, " AND unit = ?1");
	pt_buf_adds(&sql, " ORDER BY id");
	rc = pt_schedule_scan_open(db, &s->scan, sql.buf, e);
	pt_buf_release(&sql);
	if (rc || pt_db_prepare(db, "INSERT INTO temp.due_list VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
				&s->insert, e))
		return -1;
	if (o->unit)
		sqlite3_bind_text(s->scan.cases, 1, o->unit, -1, SQLITE_STATIC);
	return 0;
}

/* The current case of the scan: its next deadline, kept in the temporary table when the
 * filters let it through. */
static int due_one(struct pt_db *db, const struct pt_rules *r, const struct pt_due_opts *o,
		   struct due_scan *s, struct pt_due_result *res, struct pt_err *e)
{
	const struct pt_calendar *c = r->calendar;
	const struct pt_deadline_rule *d;
	/* what the listing shows of the case, in the temporary table's order */
	static const int shown[] = { PT_CASE_COL_CASE_NO, PT_CASE_COL_UNIT, PT_CASE_COL_RECEIVED_ON,
				     PT_CASE_COL_CATEGORY };
	struct pt_case f;
	struct pt_case_deadline x;
	char due[PT_DATE_LEN];
	bool prov = false;
	long left;
	int rc;

	pt_case_borrow(s->scan.cases, &f);
	if (pt_schedule_scan_events(db, &s->scan, f.id, e))
		return -1;
	d = next_deadline(r, c, &f, &s->scan.ev, &x);
	if (!d)
		return 0;
	left = pt_deadline_left(c, o->today, x.dl.due, &prov);
	if ((o->overdue_only && o->today <= x.dl.due) || (o->within >= 0 && left > o->within))
		return 0;
	prov |= x.dl.provisional;
	res->provisional |= prov;
	res->overdue += o->today > x.dl.due;
	res->listed++;
	pt_date_format(x.dl.due, due);
	sqlite3_reset(s->insert);
	sqlite3_bind_text(s->insert, 1, due, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(s->insert, 2, f.id);
	sqlite3_bind_int64(s->insert, 3, left);
	sqlite3_bind_text(s->insert, 4, d->name, -1, SQLITE_STATIC);
	for (int k = 0; k < 4; k++)
		sqlite3_bind_value(s->insert, 5 + k, sqlite3_column_value(s->scan.cases, shown[k]));
	sqlite3_bind_int(s->insert, 9, prov);
	rc = sqlite3_step(s->insert);
	return rc == SQLITE_DONE ? 0 : pt_db_fail(db, rc, "cannot sort the cases", e);
}

/* Read every open case once and keep those to list in the temporary table. */
static int due_collect(struct pt_db *db, const struct pt_rules *r, const struct pt_due_opts *o,
		       struct due_scan *s, struct pt_due_result *res, struct pt_err *e)
{
	int rc;

	while ((rc = sqlite3_step(s->scan.cases)) == SQLITE_ROW)
		if (due_one(db, r, o, s, res, e))
			return -1;
	return rc == SQLITE_DONE ? 0 : pt_db_fail(db, rc, "cannot read the cases", e);
}

static int due_print(struct pt_db *db, const struct pt_rules *r, long today, struct pt_fmt *out,
		     struct pt_err *e)
{
	static const char sql[] =
		"SELECT case_no, unit, received_on, category, deadline, due, left, provisional FROM temp.due_list"
		" ORDER BY due, petition_id";
	sqlite3_stmt *q = NULL;
	int rc;

	if (pt_db_prepare(db, sql, &q, e))
		return -1;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(q, 4);
		const char *title = NULL;
		long due = 0, left = sqlite3_column_int64(q, 6);

		for (size_t i = 0; i < r->ndeadlines && !title; i++)
			if (!strcmp(r->deadlines[i].name, name))
				title = r->deadlines[i].title;
		char state[48];

		pt_date_parse((const char *)sqlite3_column_text(q, 5), &due);
		snprintf(state, sizeof state, "%s%s", pt_case_deadline_state(false, today, due, -1, left),
			 sqlite3_column_int(q, 7) ? ", provisional" : "");
		const char *v[] = { (const char *)sqlite3_column_text(q, 0), (const char *)sqlite3_column_text(q, 1),
				    (const char *)sqlite3_column_text(q, 2), (const char *)sqlite3_column_text(q, 3),
				    name, title, (const char *)sqlite3_column_text(q, 5),
				    (const char *)sqlite3_column_text(q, 6), state };

		if (pt_fmt_row(out, v, e)) {
			sqlite3_finalize(q);
			return -1;
		}
	}
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? 0 : pt_db_fail(db, rc, "cannot read the sorted cases", e);
}

int pt_schedule_due(struct pt_db *db, const struct pt_rules *r, const struct pt_due_opts *o,
		    struct pt_fmt *out, struct pt_due_result *res, struct pt_err *e)
{
	struct due_scan s;
	int rc;

	memset(&s, 0, sizeof s);
	memset(res, 0, sizeof *res);
	/* One read transaction: the cases and their events as of one moment. */
	if (pt_db_exec(db, "BEGIN", e))
		return -1;
	rc = due_prepare(db, o, &s, e);
	if (rc == 0)
		rc = due_collect(db, r, o, &s, res, e);
	pt_schedule_scan_close(&s.scan);
	sqlite3_finalize(s.insert);
	if (rc == 0 && out)
		rc = due_print(db, r, o->today, out, e);
	sqlite3_exec(db->sql, rc ? "ROLLBACK" : "COMMIT", NULL, NULL, NULL);
	return rc;
}
