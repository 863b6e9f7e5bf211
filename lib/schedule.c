#include "schedule.h"
#include "case.h"
#include "buf.h"
#include "cal.h"
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

/* ---- deadlines of a case ---- */

const struct pt_col pt_schedule_explain_cols[] = {
	{ "deadline", false }, { "title", false }, { "counts_from", false }, { "from_date", false },
	{ "rule", false }, { "due", false }, { "skipped", false }, { "state", false },
	{ "working_days_left", true }, { "basis", false },
};
const size_t pt_schedule_explain_ncols = sizeof pt_schedule_explain_cols / sizeof *pt_schedule_explain_cols;

struct case_facts {
	long long id;
	char *case_no, *channel;
	long received;
	bool named_letter, collective;
};

/* A case event as the deadlines see it: its kind, its day, and for an extension the
 * deadline and the days granted. */
struct case_event {
	char kind[24];
	long day;
	char deadline[24];
	int days;
};

struct case_events {
	struct case_event *v;
	size_t n, alloc;
};

/* One deadline of one case, worked out. */
struct evaluation {
	bool started;
	long start;
	int extension;           /* days granted */
	struct pt_deadline dl;
	long done;               /* day it was met, or -1 */
	const char *done_by;
};

/* The day of a case event: its data's "on" date, else the Beijing day of its timestamp. */
#define EVENT_DAY "coalesce(json_extract(data, '$.on'), date(at, '+8 hours'))"
#define EVENT_COLUMNS "kind, " EVENT_DAY ", json_extract(data, '$.deadline'), json_extract(data, '$.days')"

static void events_add(struct case_events *ev, sqlite3_stmt *q, int col)
{
	const char *kind = (const char *)sqlite3_column_text(q, col);
	const char *day = (const char *)sqlite3_column_text(q, col + 1);
	const char *dl = (const char *)sqlite3_column_text(q, col + 2);
	struct case_event *x;

	if (!kind || !day || strlen(kind) >= sizeof x->kind)
		return;
	if (ev->n == ev->alloc) {
		ev->alloc = ev->alloc ? 2 * ev->alloc : 8;
		ev->v = pt_xrealloc(ev->v, ev->alloc * sizeof *ev->v);
	}
	x = &ev->v[ev->n];
	memset(x, 0, sizeof *x);
	if (!pt_date_parse(day, &x->day))
		return;
	memcpy(x->kind, kind, strlen(kind) + 1);
	if (dl && strlen(dl) < sizeof x->deadline)
		memcpy(x->deadline, dl, strlen(dl) + 1);
	x->days = sqlite3_column_int(q, col + 3);
	ev->n++;
}

static bool applies(const struct pt_deadline_rule *d, const struct case_facts *f)
{
	if (d->of_unit)
		return false; /* a unit's deadline, not a case's */
	switch (d->when_code) {
	case PT_WHEN_NAMED_LETTER: return f->named_letter;
	case PT_WHEN_TRANSFERRED: return !strcmp(f->channel, "transfer");
	case PT_WHEN_COLLECTIVE: return f->collective;
	case PT_WHEN_LETTER: return !strcmp(f->channel, "letter");
	case PT_WHEN_VISIT: return !strcmp(f->channel, "visit");
	default: return true;
	}
}

/* The first day of an event of this kind on or after `after`, or -1. */
static long first_event(const struct case_events *ev, const char *kind, long after)
{
	long best = -1;

	for (size_t i = 0; i < ev->n; i++)
		if (!strcmp(ev->v[i].kind, kind) && ev->v[i].day >= after && (best < 0 || ev->v[i].day < best))
			best = ev->v[i].day;
	return best;
}

/* Work out one deadline of a case from its events: when it started (receipt is the
 * petition's date; a start before receipt is not one), the extension granted (at most the
 * rule's), the due date, and whether and when an event met it. */
static void evaluate(const struct pt_calendar *c, const struct case_facts *f, const struct case_events *ev,
		     const struct pt_deadline_rule *d, struct evaluation *out)
{
	memset(out, 0, sizeof *out);
	out->done = -1;
	out->start = d->from_received ? f->received : first_event(ev, d->from, f->received);
	out->started = out->start >= 0;
	if (!out->started)
		return;
	for (size_t i = 0; i < ev->n && out->extension < d->extension; i++)
		if (!strcmp(ev->v[i].kind, "extended") && !strcmp(ev->v[i].deadline, d->name) && ev->v[i].days > 0)
			out->extension += ev->v[i].days < d->extension ? ev->v[i].days : d->extension;
	if (out->extension > d->extension)
		out->extension = d->extension;
	pt_deadline_compute(c, out->start, d->days + out->extension, d->working, &out->dl);
	for (size_t i = 0; i < d->done_by.n; i++) {
		long day = first_event(ev, d->done_by.v[i], out->start);

		if (day >= 0 && (out->done < 0 || day < out->done)) {
			out->done = day;
			out->done_by = d->done_by.v[i];
		}
	}
}

/* Where a deadline stands. A petitioner's window (the rule's `window`) lapses when its day
 * passes without the request, even if the case was closed afterwards; it is never overdue. */
static const char *state_of(bool window, long today, long due, long done, long left)
{
	if (window && done < 0)
		return today > due ? "lapsed" : "open";
	if (window && done > due)
		return "lapsed";
	if (done >= 0)
		return done <= due ? "met" : "met late";
	if (today > due)
		return left < -15 ? "long overdue" : "overdue";
	return left <= 3 ? "due soon" : "open";
}

static void facts_release(struct case_facts *f)
{
	free(f->case_no);
	free(f->channel);
}

/* The facts of the current row; the strings are the statement's (valid until it steps). */
static void facts_borrow(sqlite3_stmt *q, struct case_facts *f)
{
	f->id = sqlite3_column_int64(q, 0);
	f->case_no = (char *)sqlite3_column_text(q, 1);
	f->channel = (char *)sqlite3_column_text(q, 2);
	f->received = -1;
	pt_date_parse((const char *)sqlite3_column_text(q, 3), &f->received);
	f->named_letter = sqlite3_column_int(q, 4);
	f->collective = sqlite3_column_int(q, 5);
}

/* The same, with copies of the strings that outlive the statement. */
static void facts_from_row(sqlite3_stmt *q, struct case_facts *f)
{
	facts_borrow(q, f);
	f->case_no = pt_xstrdup(f->case_no);
	f->channel = pt_xstrdup(f->channel);
}

#define CASE_COLUMNS "id, case_no, channel, received_on, named_letter, collective"

static int load_case(struct pt_db *db, const char *key, struct case_facts *f, struct case_events *ev,
		     struct pt_err *e)
{
	sqlite3_stmt *q = NULL;
	long long id;
	int rc;

	memset(f, 0, sizeof *f);
	if (pt_case_id(db, key, &id, e) || pt_db_prepare(db, "SELECT " CASE_COLUMNS " FROM petitions WHERE id = ?1", &q, e))
		return -1;
	sqlite3_bind_int64(q, 1, id);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW)
		facts_from_row(q, f);
	sqlite3_finalize(q);
	if (rc != SQLITE_ROW)
		return pt_db_fail(db, rc, "cannot read the case", e);
	if (pt_db_prepare(db, "SELECT " EVENT_COLUMNS " FROM events WHERE petition_id = ?1 OR (petition_id IS NULL"
			      " AND id IN (SELECT event_id FROM steps WHERE petition_id = ?1)) ORDER BY id", &q, e))
		return -1;
	sqlite3_bind_int64(q, 1, f->id);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW)
		events_add(ev, q, 0);
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? 0 : pt_db_fail(db, rc, "cannot read the case's events", e);
}

/* The rest days between from and to (inclusive), as a clerk would list them: the holidays
 * by name with their dates, and the number of weekend days. */
static void describe_rest(const struct pt_calendar *c, long from, long to, struct pt_buf *b)
{
	long weekend = 0;
	const char *run_name = NULL;
	long run_from = 0, run_to = 0;
	char d1[PT_DATE_LEN], d2[PT_DATE_LEN];
	bool prov = false;

	for (long d = from; d <= to + 1; d++) {
		const char *name = NULL;
		enum pt_day_kind k = d <= to ? pt_calendar_day(c, d, &name, &prov) : PT_DAY_WORK;

		if (run_name && (k != PT_DAY_HOLIDAY || strcmp(name, run_name) || d != run_to + 1)) {
			pt_date_format(run_from, d1);
			pt_date_format(run_to, d2);
			pt_buf_addf(b, "%s%s %s%s%s", b->len ? "; " : "", run_name, d1, run_to > run_from ? ".." : "",
				    run_to > run_from ? d2 + 5 : "");
			run_name = NULL;
		}
		if (k == PT_DAY_HOLIDAY && name && !run_name) {
			run_name = name;
			run_from = d;
		}
		if (k == PT_DAY_HOLIDAY)
			run_to = d;
		if (k == PT_DAY_WEEKEND)
			weekend++;
	}
	if (weekend)
		pt_buf_addf(b, "%s%ld weekend day%s", b->len ? "; " : "", weekend, weekend == 1 ? "" : "s");
}

static void describe_skipped(const struct pt_calendar *c, const struct pt_deadline_rule *d,
			     const struct evaluation *x, struct pt_buf *skipped)
{
	struct pt_buf rest = PT_BUF_INIT;
	char nominal[PT_DATE_LEN];

	if (d->working) {
		describe_rest(c, x->start + 1, x->dl.due, skipped);
		return;
	}
	if (x->dl.due == x->dl.nominal)
		return;
	pt_date_format(x->dl.nominal, nominal);
	describe_rest(c, x->dl.nominal, x->dl.due - 1, &rest);
	pt_buf_addf(skipped, "day %d is %s, a rest day (%s)", d->days + x->extension, nominal, pt_buf_str(&rest));
	pt_buf_release(&rest);
}

/* One deadline of the case as explain shows it, handed to `each`. */
static void view_one(const struct pt_calendar *c, const struct case_facts *f, const struct case_events *ev,
		     const struct pt_deadline_rule *d, long today,
		     void (*each)(void *ctx, const struct pt_deadline_view *v), void *ctx)
{
	struct pt_buf rule = PT_BUF_INIT, skipped = PT_BUF_INIT, state = PT_BUF_INIT;
	char from_date[PT_DATE_LEN] = "", due[PT_DATE_LEN] = "", left_s[24] = "";
	struct evaluation x;

	evaluate(c, f, ev, d, &x);
	pt_buf_addf(&rule, "%d %s days", d->days, d->working ? "working" : "calendar");
	if (x.extension)
		pt_buf_addf(&rule, " + %d extended", x.extension);
	if (!x.started) {
		pt_buf_adds(&state, "not started");
	} else {
		bool prov = false;
		long left = pt_deadline_left(c, today, x.dl.due, &prov);

		pt_date_format(x.start, from_date);
		pt_date_format(x.dl.due, due);
		describe_skipped(c, d, &x, &skipped);
		pt_buf_adds(&state, state_of(d->window, today, x.dl.due, x.done, left));
		if (x.done >= 0) {
			char on[PT_DATE_LEN];

			pt_date_format(x.done, on);
			pt_buf_addf(&state, " (%s %s)", x.done_by, on);
		} else if (!d->window || today <= x.dl.due) {
			snprintf(left_s, sizeof left_s, "%ld", left);
		}
		if (x.dl.provisional || prov)
			pt_buf_adds(&state, ", provisional");
	}
	{
		const struct pt_deadline_view v = { d->name, d->title, d->from, from_date, rule.buf, due,
						    skipped.buf, state.buf, left_s, d->basis };

		each(ctx, &v);
	}
	pt_buf_release(&rule);
	pt_buf_release(&skipped);
	pt_buf_release(&state);
}

int pt_schedule_deadlines(struct pt_db *db, const struct pt_rules *r, const char *case_key, long today,
			  void (*each)(void *ctx, const struct pt_deadline_view *v), void *ctx, struct pt_err *e)
{
	struct case_events ev = { NULL, 0, 0 };
	struct case_facts f;
	int rc = load_case(db, case_key, &f, &ev, e);

	for (size_t i = 0; i < r->ndeadlines && rc == 0; i++)
		if (applies(&r->deadlines[i], &f))
			view_one(r->calendar, &f, &ev, &r->deadlines[i], today, each, ctx);
	facts_release(&f);
	free(ev.v);
	return rc;
}

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

	return pt_schedule_deadlines(db, r, case_key, today, explain_row, &x, e) || x.rc ? -1 : 0;
}

/* ---- the list of cases by their next deadline ---- */

const struct pt_col pt_schedule_due_cols[] = {
	{ "case_no", false }, { "unit", false }, { "received_on", false }, { "category", false },
	{ "deadline", false }, { "title", false }, { "due", false }, { "working_days_left", true },
	{ "state", false },
};
const size_t pt_schedule_due_ncols = sizeof pt_schedule_due_cols / sizeof *pt_schedule_due_cols;

/* Cases that are still someone's business. */
#define OPEN_CASES "state NOT IN ('closed', 'rejected', 'transferred_out', 'objected')"

/* A case's events come from two cursors in petition_id order: its own events, and the
 * routing batches that gave it steps (petition-route writes one event for all the cases it
 * routes in a run; each step points to it). */
enum { OWN_EVENTS, BATCH_EVENTS, NCURSORS };

struct due_scan {
	sqlite3_stmt *cases, *events[NCURSORS], *insert;
	bool events_left[NCURSORS];
	struct case_events ev;
};

static const char *const event_cursor_sql[NCURSORS] = {
	"SELECT petition_id, " EVENT_COLUMNS " FROM events WHERE petition_id IS NOT NULL ORDER BY petition_id, id",
	"SELECT s.petition_id, " EVENT_COLUMNS " FROM steps s JOIN events e ON e.id = s.event_id"
	" WHERE e.petition_id IS NULL ORDER BY s.petition_id, s.seq",
};

static int step_cursor(struct pt_db *db, struct due_scan *s, int k, struct pt_err *e)
{
	int rc = sqlite3_step(s->events[k]);

	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return pt_db_fail(db, rc, "cannot read the events", e);
	s->events_left[k] = rc == SQLITE_ROW;
	return 0;
}

/* The events of case `id`, from the cursors that run in petition_id order. */
static int events_of(struct pt_db *db, struct due_scan *s, long long id, struct pt_err *e)
{
	s->ev.n = 0;
	for (int k = 0; k < NCURSORS; k++)
		while (s->events_left[k]) {
			long long pid = sqlite3_column_int64(s->events[k], 0);

			if (pid > id)
				break;
			if (pid == id)
				events_add(&s->ev, s->events[k], 1);
			if (step_cursor(db, s, k, e))
				return -1;
		}
	return 0;
}

/* The case's next deadline: the earliest due among those started and not met. */
static const struct pt_deadline_rule *next_deadline(const struct pt_rules *r, const struct pt_calendar *c,
						     const struct case_facts *f, const struct case_events *ev,
						     struct evaluation *best)
{
	const struct pt_deadline_rule *which = NULL;

	for (size_t i = 0; i < r->ndeadlines; i++) {
		const struct pt_deadline_rule *d = &r->deadlines[i];
		struct evaluation x;

		if (!applies(d, f) || d->window)
			continue; /* a petitioner's window is not the office's to meet */
		evaluate(c, f, ev, d, &x);
		if (x.started && x.done < 0 && (!which || x.dl.due < best->dl.due)) {
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
	pt_buf_adds(&sql, "SELECT " CASE_COLUMNS ", case_no, unit, received_on, category FROM petitions WHERE "
		    OPEN_CASES);
	if (o->unit)
		pt_buf_adds(&sql, " AND unit = ?1");
	pt_buf_adds(&sql, " ORDER BY id");
	rc = pt_db_prepare(db, sql.buf, &s->cases, e);
	pt_buf_release(&sql);
	if (rc || pt_db_prepare(db, "INSERT INTO temp.due_list VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
				&s->insert, e))
		return -1;
	for (int k = 0; k < NCURSORS; k++)
		if (pt_db_prepare(db, event_cursor_sql[k], &s->events[k], e) || step_cursor(db, s, k, e))
			return -1;
	if (o->unit)
		sqlite3_bind_text(s->cases, 1, o->unit, -1, SQLITE_STATIC);
	return 0;
}

/* The current case of the scan: its next deadline, kept in the temporary table when the
 * filters let it through. */
static int due_one(struct pt_db *db, const struct pt_rules *r, const struct pt_due_opts *o,
		   struct due_scan *s, struct pt_due_result *res, struct pt_err *e)
{
	const struct pt_calendar *c = r->calendar;
	const struct pt_deadline_rule *d;
	struct case_facts f;
	struct evaluation x;
	char due[PT_DATE_LEN];
	bool prov = false;
	long left;
	int rc;

	facts_borrow(s->cases, &f);
	if (events_of(db, s, f.id, e))
		return -1;
	d = next_deadline(r, c, &f, &s->ev, &x);
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
	for (int col = 6; col < 10; col++) /* case_no, unit, received_on, category */
		sqlite3_bind_value(s->insert, col - 1, sqlite3_column_value(s->cases, col));
	sqlite3_bind_int(s->insert, 9, prov);
	rc = sqlite3_step(s->insert);
	return rc == SQLITE_DONE ? 0 : pt_db_fail(db, rc, "cannot sort the cases", e);
}

/* Read every open case once and keep those to list in the temporary table. */
static int due_collect(struct pt_db *db, const struct pt_rules *r, const struct pt_due_opts *o,
		       struct due_scan *s, struct pt_due_result *res, struct pt_err *e)
{
	int rc;

	while ((rc = sqlite3_step(s->cases)) == SQLITE_ROW)
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
		snprintf(state, sizeof state, "%s%s", state_of(false, today, due, -1, left),
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
	sqlite3_finalize(s.cases);
	for (int k = 0; k < NCURSORS; k++)
		sqlite3_finalize(s.events[k]);
	sqlite3_finalize(s.insert);
	free(s.ev.v);
	if (rc == 0 && out)
		rc = due_print(db, r, o->today, out, e);
	sqlite3_exec(db->sql, rc ? "ROLLBACK" : "COMMIT", NULL, NULL, NULL);
	return rc;
}
