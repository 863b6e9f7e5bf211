#include "schedule.h"
#include "buf.h"
#include "cal.h"
#include "deadline.h"

#include <stdlib.h>

#include <stdio.h>
#include <string.h>

const struct pt_col pt_schedule_calendar_cols[] = {
	{ "date", false }, { "weekday", false }, { "kind", false }, { "holiday", false },
	{ "provisional", false },
};
const size_t pt_schedule_calendar_ncols = sizeof pt_schedule_calendar_cols / sizeof *pt_schedule_calendar_cols;

static const char *const weekday_names[] = { "周一", "周二", "周三", "周四", "周五", "周六", "周日" };

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
	struct pt_calendar *c;
	int rc = 0;

	memset(res, 0, sizeof *res);
	if (to < from)
		return pt_err_set(e, PT_EUSAGE, "the range ends before it begins");
	if (to - from > 36600)
		return pt_err_set(e, PT_EUSAGE, "a range of at most 100 years");
	c = pt_calendar_new(r->cal_years, r->ncal_years);
	res->working_days = pt_calendar_count(c, from, to, &res->provisional);
	if (res->provisional)
		res->first_missing_year = first_missing_year(c, from, to);
	for (long d = from; out && d <= to && rc == 0; d++) {
		char date[PT_DATE_LEN];
		const char *name;
		bool prov = false;
		enum pt_day_kind k = pt_calendar_day(c, d, &name, &prov);
		const char *v[] = { date, weekday_names[pt_weekday(d)], pt_day_kind_name(k), name,
				    prov ? "yes" : NULL };

		pt_date_format(d, date);
		rc = pt_fmt_row(out, v, e);
	}
	pt_calendar_free(c);
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

static void facts_release(struct case_facts *f)
{
	free(f->case_no);
	free(f->channel);
}

static int load_case(struct pt_db *db, const char *key, struct case_facts *f, struct pt_err *e)
{
	sqlite3_stmt *q = NULL;
	int rc;

	memset(f, 0, sizeof *f);
	if (pt_db_prepare(db, "SELECT id, case_no, channel, received_on, named_letter, collective"
			      " FROM petitions WHERE case_no = ?1 OR (?1 GLOB '[0-9]*' AND id = CAST(?1 AS INTEGER))",
			  &q, e))
		return -1;
	sqlite3_bind_text(q, 1, key, -1, SQLITE_STATIC);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		f->id = sqlite3_column_int64(q, 0);
		f->case_no = pt_xstrdup((const char *)sqlite3_column_text(q, 1));
		f->channel = pt_xstrdup((const char *)sqlite3_column_text(q, 2));
		pt_date_parse((const char *)sqlite3_column_text(q, 3), &f->received);
		f->named_letter = sqlite3_column_int(q, 4);
		f->collective = sqlite3_column_int(q, 5);
	}
	sqlite3_finalize(q);
	if (rc == SQLITE_DONE)
		return pt_err_set(e, PT_ENOINPUT, "no case '%s'", key);
	return rc == SQLITE_ROW ? 0 : pt_db_fail(db, rc, "cannot read the case", e);
}

static bool applies(const struct pt_deadline_rule *d, const struct case_facts *f)
{
	if (!strcmp(d->from, "quarter_end") || !strcmp(d->from, "report_submitted"))
		return false; /* a unit's deadline, not a case's */
	if (!strcmp(d->when, "named_letter"))
		return f->named_letter;
	if (!strcmp(d->when, "collective"))
		return f->collective;
	if (!strcmp(d->when, "transferred"))
		return !strcmp(f->channel, "transfer");
	if (!strcmp(d->when, "letter"))
		return !strcmp(f->channel, "letter");
	if (!strcmp(d->when, "visit"))
		return !strcmp(f->channel, "visit");
	return true;
}

/* The day of the case's first event of this kind on or after `after`, or -1. */
static int event_day(struct pt_db *db, long long id, const char *kind, long after, long *day,
		     struct pt_err *e)
{
	static const char sql[] =
		"SELECT coalesce(json_extract(data, '$.on'), date(at, '+8 hours')) AS on_day FROM events"
		" WHERE petition_id = ?1 AND kind = ?2 AND on_day >= ?3 ORDER BY on_day, id LIMIT 1";
	sqlite3_stmt *q = NULL;
	char from[PT_DATE_LEN];
	int rc;

	*day = -1;
	if (!strcmp(kind, "received")) {
		*day = after; /* handled by the caller; receipt is the petition's date */
		return 0;
	}
	if (pt_db_prepare(db, sql, &q, e))
		return -1;
	pt_date_format(after, from);
	sqlite3_bind_int64(q, 1, id);
	sqlite3_bind_text(q, 2, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, from, -1, SQLITE_STATIC);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW && sqlite3_column_text(q, 0))
		pt_date_parse((const char *)sqlite3_column_text(q, 0), day);
	sqlite3_finalize(q);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : pt_db_fail(db, rc, "cannot read the case's events", e);
}

/* Days of extension granted for this deadline (events 'extended' with data deadline and
 * days), at most the rule's limit. */
static int extension_days(struct pt_db *db, long long id, const struct pt_deadline_rule *d, int *days,
			  struct pt_err *e)
{
	static const char sql[] =
		"SELECT coalesce(sum(json_extract(data, '$.days')), 0) FROM events"
		" WHERE petition_id = ?1 AND kind = 'extended' AND json_extract(data, '$.deadline') = ?2";
	sqlite3_stmt *q = NULL;
	int rc;

	*days = 0;
	if (d->extension == 0)
		return 0;
	if (pt_db_prepare(db, sql, &q, e))
		return -1;
	sqlite3_bind_int64(q, 1, id);
	sqlite3_bind_text(q, 2, d->name, -1, SQLITE_STATIC);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW)
		*days = sqlite3_column_int(q, 0);
	sqlite3_finalize(q);
	if (*days > d->extension)
		*days = d->extension;
	return rc == SQLITE_ROW ? 0 : pt_db_fail(db, rc, "cannot read the case's events", e);
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

static const char *state_of(long today, const struct pt_deadline *dl, long done, long left)
{
	if (done >= 0)
		return done <= dl->due ? "met" : "met late";
	if (today > dl->due)
		return left < -15 ? "long overdue" : "overdue";
	return left <= 3 ? "due soon" : "open";
}

static int explain_one(struct pt_db *db, const struct pt_calendar *c, const struct case_facts *f,
		       const struct pt_deadline_rule *d, long today, struct pt_fmt *out, struct pt_err *e)
{
	struct pt_buf rule = PT_BUF_INIT, skipped = PT_BUF_INIT, state = PT_BUF_INIT;
	char from_date[PT_DATE_LEN] = "", due[PT_DATE_LEN] = "", left_s[24] = "";
	long start = -1, done = -1;
	const char *done_by = NULL;
	struct pt_deadline dl;
	int ext = 0, rc = -1;

	if (!strcmp(d->from, "received"))
		start = f->received;
	else if (event_day(db, f->id, d->from, f->received, &start, e))
		goto out;
	if (extension_days(db, f->id, d, &ext, e))
		goto out;
	pt_buf_addf(&rule, "%d %s days", d->days, d->working ? "working" : "calendar");
	if (ext)
		pt_buf_addf(&rule, " + %d extended", ext);
	if (start < 0) {
		pt_buf_adds(&state, "not started");
	} else {
		bool prov = false;

		pt_date_format(start, from_date);
		pt_deadline_compute(c, start, d->days + ext, d->working, &dl);
		pt_date_format(dl.due, due);
		if (d->working) {
			describe_rest(c, start + 1, dl.due, &skipped);
		} else if (dl.due != dl.nominal) {
			struct pt_buf rest = PT_BUF_INIT;
			char nominal[PT_DATE_LEN];

			pt_date_format(dl.nominal, nominal);
			describe_rest(c, dl.nominal, dl.due - 1, &rest);
			pt_buf_addf(&skipped, "day %d is %s, a rest day (%s)", d->days + ext, nominal,
				    pt_buf_str(&rest));
			pt_buf_release(&rest);
		}
		for (size_t i = 0; i < d->done_by.n && done < 0; i++) {
			if (event_day(db, f->id, d->done_by.v[i], start, &done, e))
				goto out;
			done_by = d->done_by.v[i];
		}
		long left = pt_deadline_left(c, today, dl.due, &prov);

		pt_buf_adds(&state, state_of(today, &dl, done, left));
		if (done >= 0) {
			char on[PT_DATE_LEN];

			pt_date_format(done, on);
			pt_buf_addf(&state, " (%s %s)", done_by, on);
		} else {
			snprintf(left_s, sizeof left_s, "%ld", left);
		}
		if (dl.provisional || prov)
			pt_buf_adds(&state, ", provisional");
	}
	{
		const char *v[] = { d->name, d->title, d->from, from_date, rule.buf, due, skipped.buf,
				    state.buf, left_s, d->basis };

		rc = pt_fmt_row(out, v, e);
	}
out:
	pt_buf_release(&rule);
	pt_buf_release(&skipped);
	pt_buf_release(&state);
	return rc;
}

int pt_schedule_explain(struct pt_db *db, const struct pt_rules *r, const char *case_key, long today,
			struct pt_fmt *out, struct pt_err *e)
{
	struct case_facts f;
	struct pt_calendar *c;
	int rc = 0;

	if (load_case(db, case_key, &f, e))
		return -1;
	c = pt_calendar_new(r->cal_years, r->ncal_years);
	for (size_t i = 0; i < r->ndeadlines && rc == 0; i++)
		if (applies(&r->deadlines[i], &f))
			rc = explain_one(db, c, &f, &r->deadlines[i], today, out, e);
	pt_calendar_free(c);
	facts_release(&f);
	return rc;
}
