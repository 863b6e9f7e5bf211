#include "schedule.h"
#include "buf.h"
#include "cal.h"
#include "casefile.h"
#include "deadline.h"

#include <limits.h>
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

/* The two event cursors of a scan, by the order of its cases: a case's own events, and the
 * routing batches that gave it steps. In received order they carry the case's received_on
 * last and read only open cases' events, the ones a due list needs: SQLite
 * sorts them, and only them. */
static const char *const event_cursor_sql[2][PT_SCHEDULE_SCAN_CURSORS] = {
	{
		"SELECT petition_id, " PT_CASE_EVENT_COLUMNS " FROM events WHERE petition_id IS NOT NULL ORDER BY petition_id, id",
		"SELECT s.petition_id, " PT_CASE_EVENT_COLUMNS " FROM steps s JOIN events e ON e.id = s.event_id"
		" WHERE e.petition_id IS NULL ORDER BY s.petition_id, s.seq",
	},
	{
		"SELECT e.petition_id, " PT_CASE_EVENT_COLUMNS ", p.received_on FROM events e JOIN petitions p ON p.id = e.petition_id"
		" WHERE p." OPEN_CASES " ORDER BY p.received_on, e.petition_id, e.id",
		"SELECT s.petition_id, " PT_CASE_EVENT_COLUMNS ", p.received_on FROM steps s JOIN events e ON e.id = s.event_id"
		" JOIN petitions p ON p.id = s.petition_id WHERE e.petition_id IS NULL AND p." OPEN_CASES
		" ORDER BY p.received_on, s.petition_id, s.seq",
	},
};
static int step_cursor(struct pt_db *db, struct pt_schedule_scan *s, int k, struct pt_err *e)
{
	int rc = sqlite3_step(s->events[k]);

	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return pt_db_fail(db, rc, "cannot read the events", e);
	s->events_left[k] = rc == SQLITE_ROW;
	return 0;
}

static int scan_open(struct pt_db *db, struct pt_schedule_scan *s, const char *cases_sql, bool by_received,
		     struct pt_err *e)
{
	memset(s, 0, sizeof *s);
	s->by_received = by_received;
	if (pt_db_prepare(db, cases_sql, &s->cases, e))
		return -1;
	for (int k = 0; k < PT_SCHEDULE_SCAN_CURSORS; k++)
		if (pt_db_prepare(db, event_cursor_sql[by_received][k], &s->events[k], e) || step_cursor(db, s, k, e))
			return -1;
	return 0;
}

int pt_schedule_scan_open(struct pt_db *db, struct pt_schedule_scan *s, const char *cases_sql, struct pt_err *e)
{
	return scan_open(db, s, cases_sql, false, e);
}

int pt_schedule_scan_open_received(struct pt_db *db, struct pt_schedule_scan *s, const char *cases_sql,
				   struct pt_err *e)
{
	return scan_open(db, s, cases_sql, true, e);
}

/* Read the events of cursor k while they belong to `case_id`: into s->ev. */
static int events_by_id(struct pt_db *db, struct pt_schedule_scan *s, int k, long long case_id, struct pt_err *e)
{
	while (s->events_left[k]) {
		long long pid = sqlite3_column_int64(s->events[k], 0);

		if (pid > case_id)
			break;
		if (pid == case_id)
			pt_case_events_add(&s->ev, s->events[k], 1);
		if (step_cursor(db, s, k, e))
			return -1;
	}
	return 0;
}

/* In received order: read the events of every case received on `day` (the received_on
 * text, as SQLite orders it) from cursor k into its day's buffer, with each event's case.
 * The cases of a day come in whatever order the index gives; their events in id order. */
static int events_of_day(struct pt_db *db, struct pt_schedule_scan *s, int k, const char *day, struct pt_err *e)
{
	struct pt_schedule_scan_day *b = &s->day[k];
	sqlite3_stmt *q = s->events[k];

	b->ev.n = 0;
	while (s->events_left[k]) {
		int c = strcmp((const char *)sqlite3_column_text(q, sqlite3_column_count(q) - 1), day);
		size_t from = b->ev.n;

		if (c > 0)
			break;
		if (c == 0) {
			pt_case_events_add(&b->ev, q, 1);
			if (b->ev.alloc > b->alloc) {
				b->alloc = b->ev.alloc;
				b->id = pt_xrealloc(b->id, b->alloc * sizeof *b->id);
			}
			for (size_t i = from; i < b->ev.n; i++)
				b->id[i] = sqlite3_column_int64(q, 0);
		}
		if (step_cursor(db, s, k, e))
			return -1;
	}
	return 0;
}

/* The events of one case out of cursor k's day buffer, which is in case order. */
static void events_from_day(struct pt_schedule_scan *s, int k, long long case_id)
{
	const struct pt_schedule_scan_day *b = &s->day[k];
	size_t lo = 0, hi = b->ev.n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (b->id[mid] < case_id)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < b->ev.n && b->id[lo] == case_id; lo++) {
		if (s->ev.n == s->ev.alloc) {
			s->ev.alloc = s->ev.alloc ? 2 * s->ev.alloc : 8;
			s->ev.v = pt_xrealloc(s->ev.v, s->ev.alloc * sizeof *s->ev.v);
		}
		s->ev.v[s->ev.n++] = b->ev.v[lo];
	}
}

int pt_schedule_scan_events(struct pt_db *db, struct pt_schedule_scan *s, long long id, struct pt_err *e)
{
	const char *day = (const char *)sqlite3_column_text(s->cases, PT_CASE_COL_RECEIVED_ON);
	bool new_day = s->by_received && (!s->received.buf || strcmp(day, s->received.buf));

	if (new_day) {
		pt_buf_reset(&s->received);
		pt_buf_adds(&s->received, day);
	}
	s->ev.n = 0;
	for (int k = 0; k < PT_SCHEDULE_SCAN_CURSORS; k++) {
		if (!s->by_received) {
			if (events_by_id(db, s, k, id, e))
				return -1;
			continue;
		}
		if (new_day && events_of_day(db, s, k, day, e))
			return -1;
		events_from_day(s, k, id);
	}
	return 0;
}

void pt_schedule_scan_close(struct pt_schedule_scan *s)
{
	sqlite3_finalize(s->cases);
	for (int k = 0; k < PT_SCHEDULE_SCAN_CURSORS; k++) {
		sqlite3_finalize(s->events[k]);
		pt_case_events_release(&s->day[k].ev);
		free(s->day[k].id);
	}
	pt_case_events_release(&s->ev);
	pt_buf_release(&s->received);
	memset(s, 0, sizeof *s);
}

/* How the due list is kept in order without sorting every case.
 *
 * Open cases are read in the order of their receipt (received_on). A deadline counts from
 * receipt or from a later event of the case (an event before receipt does not start one),
 * for the rule's days plus any extension and hearing days, never fewer. And the due date is
 * monotone: for a later start s' >= s and at least as many days n' >= n, it is no earlier.
 *   - Working days: due(s, n) is the n-th working day after s, the first x with
 *     W(x + 1) >= W(s + 1) + n, W(x) being the working days before x (cal.c: one fixed
 *     table of the loaded years, Monday to Friday outside them), and W never goes down.
 *     W(s' + 1) + n' >= W(s + 1) + n, so the first x for s', n' is no earlier.
 *   - Calendar days: due(s, n) is the first working day on or after s + n (the day itself,
 *     else the next working day after it, deadline.c), and "the first working day on or
 *     after x" never goes down as x goes up; s' + n' >= s + n.
 * So every case received on day r or later has its next deadline on or after
 *   floor(r) = min over the office's deadline rules d of due(r, d.days),
 * and a case already read whose due date is before floor(r) can be printed as soon as the
 * scan reaches receipts of day r: nothing still to come can sort before it. The order is
 * today's: due date, then the case's id (ties across rules and received days are broken by
 * id, which need not follow receipt, so a case waits while its due date equals floor(r)).
 *
 * The cases read and not yet printable wait in memory, in one buffer per due day (a ring of
 * days), and a day's cases are put in id order when the day is printed: a sort of the
 * cases of one day, not of all. They are those whose due date is on or after floor(r):
 * for deadlines from receipt, the cases received in the last weeks (the longest limit
 * against the shortest, about two weeks' receipts with the default rules), and the few
 * whose deadline counts from a late event. Their number is bounded (opts queue_max,
 * PT_DUE_QUEUE_MAX by default), and so is the span of their due dates (DUE_DAYS_MAX): past
 * either, or should the receipts ever come out of order, the waiting cases and all the
 * rest go to a temporary table that SQLite sorts and spills to a file, as they all did
 * before. Everything printed by then sorts before all of them, so the list is the same. */

/* One case to list: what the listing shows of it. */
struct due_row {
	long long id;
	long due, left;
	const struct pt_deadline_rule *rule;
	bool provisional;
	const char *case_no, *unit, *received_on, *category;
};

/* A waiting case as kept in the buffer of its due day: this, then its four texts with their
 * NULs, padded to the alignment of the next one. */
struct due_rec {
	long long id;
	long left;
	size_t size;             /* of the whole record */
	int rule;                /* index in the rules' deadlines */
	bool provisional;
};

/* A waiting case of the day being printed, to put the day's cases in id order. */
struct due_key {
	long long id;
	size_t off;
};

struct due_run {
	struct pt_db *db;
	const struct pt_rules *r;
	const struct pt_due_opts *o;
	struct pt_fmt *out;
	struct pt_due_result *res;
	struct pt_err *e;
	struct pt_schedule_scan scan;
	long received;           /* the receipt day of the case read last */
	long floor;              /* the earliest due date of a case received on that day or later */
	/* The waiting cases by due day, day d in day[d % nday], for d from `first` on: a ring
	 * of days that grows (a power of two) to span the latest due date waiting. */
	struct pt_buf *day;
	size_t nday;
	long first;              /* the earliest due day that may still be waiting */
	size_t waiting, max;
	struct due_key *keys;    /* for the day being printed */
	size_t nkeys;
	sqlite3_stmt *insert;    /* once spilled: the rest goes to temp.due_list */
};

/* A span of due dates the ring of days may reach before the rest is sorted by SQLite. */
enum { DUE_DAYS_MAX = 1 << 14 };

/* The case's next deadline: the earliest due among those started and not met. */
static const struct pt_deadline_rule *next_deadline(const struct pt_rules *r, const struct pt_calendar *c,
						     const struct pt_case *f, const struct pt_case_events *ev,
						     struct pt_case_deadline *best)
{
	const struct pt_deadline_rule *which = NULL;

	for (size_t i = 0; i < r->ndeadlines; i++) {
		const struct pt_deadline_rule *d = &r->deadlines[i];
		struct pt_case_deadline x;

		if (d->window || (!d->from_received && ev->n == 0) || !pt_case_deadline_applies(d, f))
			continue; /* a petitioner's window is not the office's to meet; a deadline
				   * from an event has not started on a case without events */
		pt_case_deadline_evaluate(c, f, ev, d, &x);
		if (x.started && !x.outside && x.done < 0 && (!which || x.dl.due < best->dl.due)) {
			which = d;
			*best = x;
		}
	}
	return which;
}

/* floor(day): the earliest due date any deadline of the rules gives a case received on
 * `day` or later (see above). LONG_MAX when the rules have no deadline of a case. */
static long earliest_due(const struct pt_rules *r, long day)
{
	long floor = LONG_MAX;

	for (size_t i = 0; i < r->ndeadlines; i++) {
		const struct pt_deadline_rule *d = &r->deadlines[i];
		struct pt_deadline dl;

		if (d->window || d->of_unit)
			continue;
		pt_deadline_compute(r->calendar, day, d->days, d->working, &dl);
		if (dl.due < floor)
			floor = dl.due;
	}
	return floor;
}

static struct pt_buf *day_of(struct due_run *u, long due)
{
	return &u->day[(size_t)due & (u->nday - 1)];
}

/* Make the ring span the days from u->first to `due`, keeping each waiting day's cases. */
static void days_grow(struct due_run *u, long due)
{
	size_t n = u->nday ? u->nday : 64;
	struct pt_buf *old = u->day;
	size_t nold = u->nday;

	while ((unsigned long)(due - u->first) >= n)
		n *= 2;
	u->day = pt_xcalloc(n, sizeof *u->day);
	u->nday = n;
	for (size_t i = 0; i < nold; i++)
		*day_of(u, u->first + (long)i) = old[(size_t)(u->first + (long)i) & (nold - 1)];
	free(old);
}

/* Keep the case waiting in the buffer of its due day. */
static void wait_row(struct due_run *u, const struct due_row *w)
{
	const char *text[] = { w->case_no, w->unit, w->received_on, w->category };
	struct due_rec h = { w->id, w->left, sizeof h, (int)(w->rule - u->r->deadlines), w->provisional };
	size_t len[4];
	struct pt_buf *b;

	if (!u->nday || (unsigned long)(w->due - u->first) >= u->nday)
		days_grow(u, w->due);
	b = day_of(u, w->due);
	for (int k = 0; k < 4; k++)
		h.size += (len[k] = strlen(text[k]) + 1);
	h.size = (h.size + _Alignof(struct due_rec) - 1) / _Alignof(struct due_rec) * _Alignof(struct due_rec);
	pt_buf_grow(b, h.size);
	memcpy(b->buf + b->len, &h, sizeof h);
	for (size_t k = 0, at = b->len + sizeof h; k < 4; at += len[k], k++)
		memcpy(b->buf + at, text[k], len[k]);
	b->len += h.size;
	u->waiting++;
}

/* The row of the record at `off` in the buffer of due day `due`. */
static void row_at(const struct due_run *u, const struct pt_buf *b, size_t off, long due, struct due_row *w)
{
	const struct due_rec *h = (const struct due_rec *)(b->buf + off);
	const char *t = (const char *)(h + 1);

	w->id = h->id;
	w->due = due;
	w->left = h->left;
	w->rule = &u->r->deadlines[h->rule];
	w->provisional = h->provisional;
	w->case_no = t;
	w->unit = t += strlen(t) + 1;
	w->received_on = t += strlen(t) + 1;
	w->category = t + strlen(t) + 1;
}

static int by_id(const void *a, const void *b)
{
	const struct due_key *x = a, *y = b;

	return (x->id > y->id) - (x->id < y->id);
}

/* The cases waiting for due day `due`, in id order: into u->keys, *n of them. */
static void day_in_order(struct due_run *u, const struct pt_buf *b, size_t *n)
{
	bool sorted = true;

	*n = 0;
	for (size_t off = 0; off < b->len; off += ((const struct due_rec *)(b->buf + off))->size) {
		if (*n == u->nkeys) {
			u->nkeys = u->nkeys ? 2 * u->nkeys : 1024;
			u->keys = pt_xrealloc(u->keys, u->nkeys * sizeof *u->keys);
		}
		u->keys[*n].id = ((const struct due_rec *)(b->buf + off))->id;
		u->keys[*n].off = off;
		sorted &= *n == 0 || u->keys[*n - 1].id < u->keys[*n].id;
		++*n;
	}
	if (!sorted)
		qsort(u->keys, *n, sizeof *u->keys, by_id);
}

static int print_row(struct due_run *u, const struct due_row *w)
{
	char due[PT_DATE_LEN], left[PT_INT_LEN], state[48];
	const char *st = pt_case_deadline_state(false, u->o->today, w->due, -1, w->left);

	pt_date_format(w->due, due);
	if (w->provisional) {
		snprintf(state, sizeof state, "%s, provisional", st);
		st = state;
	}
	const char *v[] = { w->case_no, w->unit, w->received_on, w->category, w->rule->name, w->rule->title,
			    due, pt_int_text(left, w->left, 0), st };

	return pt_fmt_row(u->out, v, u->e);
}

/* Print the cases of one due day, or with the rest sorted by SQLite, hand them to it; the
 * day is then empty. */
static int day_out(struct due_run *u, long due, int (*each)(struct due_run *, const struct due_row *))
{
	struct pt_buf *b = day_of(u, due);
	size_t n;
	int rc = 0;

	day_in_order(u, b, &n);
	for (size_t i = 0; i < n && rc == 0; i++) {
		struct due_row w;

		row_at(u, b, u->keys[i].off, due, &w);
		rc = each(u, &w);
	}
	u->waiting -= n;
	pt_buf_release(b);
	return rc;
}

/* Print the waiting cases due before `floor` (all of them with LONG_MAX). */
static int print_waiting(struct due_run *u, long floor)
{
	for (; u->waiting && u->first < floor; u->first++)
		if (day_out(u, u->first, print_row))
			return -1;
	if (!u->waiting && u->first < floor)
		u->first = floor;
	return 0;
}

static int sort_row(struct due_run *u, const struct due_row *w)
{
	const char *text[] = { w->case_no, w->unit, w->received_on, w->category };
	int rc;

	sqlite3_reset(u->insert);
	sqlite3_bind_int64(u->insert, 1, w->due);
	sqlite3_bind_int64(u->insert, 2, w->id);
	sqlite3_bind_int64(u->insert, 3, w->left);
	sqlite3_bind_int64(u->insert, 4, w->rule - u->r->deadlines);
	for (int k = 0; k < 4; k++)
		sqlite3_bind_text(u->insert, 5 + k, text[k], -1, SQLITE_STATIC);
	sqlite3_bind_int(u->insert, 9, w->provisional);
	rc = sqlite3_step(u->insert);
	return rc == SQLITE_DONE ? 0 : pt_db_fail(u->db, rc, "cannot sort the cases", u->e);
}

/* From now on the cases are sorted by SQLite: the waiting ones first. A small cache for the
 * temporary table: it spills to a temporary file, and memory stays the same however many
 * cases. */
static int spill(struct due_run *u)
{
	if (pt_db_exec(u->db, "PRAGMA temp.cache_size = -2048;"
			      " CREATE TEMP TABLE IF NOT EXISTS due_list (due INTEGER, petition_id INTEGER, left INTEGER,"
			      " deadline INTEGER, case_no TEXT, unit TEXT, received_on TEXT, category TEXT, provisional INTEGER,"
			      " PRIMARY KEY (due, petition_id)) WITHOUT ROWID; DELETE FROM temp.due_list", u->e) ||
	    pt_db_prepare(u->db, "INSERT INTO temp.due_list VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)", &u->insert,
			  u->e))
		return -1;
	for (long d = u->first; u->waiting; d++)
		if (day_out(u, d, sort_row))
			return -1;
	return 0;
}

static int print_sorted(struct due_run *u)
{
	sqlite3_stmt *q = NULL;
	int rc;

	if (pt_db_prepare(u->db, "SELECT due, petition_id, left, deadline, case_no, unit, received_on, category,"
				 " provisional FROM temp.due_list ORDER BY due, petition_id", &q, u->e))
		return -1;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		struct due_row w = {
			sqlite3_column_int64(q, 1), (long)sqlite3_column_int64(q, 0), (long)sqlite3_column_int64(q, 2),
			&u->r->deadlines[sqlite3_column_int64(q, 3)], sqlite3_column_int(q, 8),
			(const char *)sqlite3_column_text(q, 4), (const char *)sqlite3_column_text(q, 5),
			(const char *)sqlite3_column_text(q, 6), (const char *)sqlite3_column_text(q, 7),
		};

		if (print_row(u, &w)) {
			sqlite3_finalize(q);
			return -1;
		}
	}
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? 0 : pt_db_fail(u->db, rc, "cannot read the sorted cases", u->e);
}

/* A case is about to be read that was received on `day`: print what nothing from here on
 * can come before, or spill when receipts come out of order. */
static int due_advance(struct due_run *u, long day)
{
	if (u->insert || day == u->received)
		return 0;
	if (day < u->received)
		return spill(u);
	u->received = day;
	u->floor = earliest_due(u->r, day);
	return print_waiting(u, u->floor);
}

/* The current case of the scan: its next deadline, listed when the filters let it through. */
static int due_one(struct due_run *u)
{
	const struct pt_calendar *c = u->r->calendar;
	const struct pt_due_opts *o = u->o;
	sqlite3_stmt *q = u->scan.cases;
	struct pt_case f;
	struct pt_case_deadline x = { 0 };
	struct due_row w;
	bool prov = false;

	pt_case_borrow_deadline(q, &f);
	if ((u->out && due_advance(u, f.received)) || pt_schedule_scan_events(u->db, &u->scan, f.id, u->e))
		return -1;
	if (!(w.rule = next_deadline(u->r, c, &f, &u->scan.ev, &x)))
		return 0;
	w.left = pt_deadline_left(c, o->today, x.dl.due, &prov);
	if ((o->overdue_only && o->today <= x.dl.due) || (o->within >= 0 && w.left > o->within))
		return 0;
	w.provisional = prov | x.dl.provisional;
	u->res->provisional |= w.provisional;
	u->res->overdue += o->today > x.dl.due;
	u->res->listed++;
	if (!u->out)
		return 0;
	w.id = f.id;
	w.due = x.dl.due;
	w.case_no = f.case_no;
	w.unit = f.unit;
	w.received_on = (const char *)sqlite3_column_text(q, PT_CASE_COL_RECEIVED_ON);
	w.category = f.category;
	if (u->insert)
		return sort_row(u, &w);
	if (w.due < u->first)
		return pt_err_set(u->e, PT_EINTERNAL, "case %s is due on a day already listed", w.case_no);
	if (w.due - u->first >= DUE_DAYS_MAX)
		return spill(u) || sort_row(u, &w) ? -1 : 0;
	wait_row(u, &w);
	return u->waiting > u->max ? spill(u) : 0;
}

static int due_scan(struct due_run *u)
{
	struct pt_buf sql = PT_BUF_INIT;
	int rc;

	pt_buf_adds(&sql, "SELECT " PT_CASE_DEADLINE_COLUMNS " FROM petitions WHERE " OPEN_CASES " AND" PT_SEEN("petitions"));
	if (u->o->unit)
		pt_buf_adds(&sql, " AND unit = ?1");
	pt_buf_adds(&sql, " ORDER BY received_on");
	rc = pt_schedule_scan_open_received(u->db, &u->scan, sql.buf, u->e);
	pt_buf_release(&sql);
	if (rc)
		return -1;
	if (u->o->unit)
		sqlite3_bind_text(u->scan.cases, 1, u->o->unit, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(u->scan.cases)) == SQLITE_ROW)
		if (due_one(u))
			return -1;
	return rc == SQLITE_DONE ? 0 : pt_db_fail(u->db, rc, "cannot read the cases", u->e);
}

int pt_schedule_due(struct pt_db *db, const struct pt_rules *r, const struct pt_due_opts *o,
		    struct pt_fmt *out, struct pt_due_result *res, struct pt_err *e)
{
	struct due_run u = { .db = db, .r = r, .o = o, .out = out, .res = res, .e = e };
	int rc;

	memset(res, 0, sizeof *res);
	u.max = o->queue_max ? o->queue_max : PT_DUE_QUEUE_MAX;
	u.received = LONG_MIN;
	u.first = LONG_MIN;
	/* One read transaction: the cases and their events as of one moment. */
	if (pt_db_exec(db, "BEGIN", e))
		return -1;
	rc = due_scan(&u);
	pt_schedule_scan_close(&u.scan);
	if (rc == 0 && out)
		rc = u.insert ? print_sorted(&u) : print_waiting(&u, LONG_MAX);
	for (size_t i = 0; i < u.nday; i++)
		pt_buf_release(&u.day[i]);
	free(u.day);
	free(u.keys);
	sqlite3_finalize(u.insert);
	sqlite3_exec(db->sql, rc ? "ROLLBACK" : "COMMIT", NULL, NULL, NULL);
	return rc;
}
