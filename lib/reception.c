#include "reception.h"
#include "buf.h"
#include "cal.h"
#include "change.h"
#include "csv.h"
#include "event.h"
#include "vocab.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct pt_col pt_reception_cols[] = {
	{ "id", true }, { "unit", false }, { "day", false }, { "weekday", false }, { "kind", false },
	{ "leader", false }, { "place", false }, { "form", false }, { "state", false }, { "held_by", false },
};
const size_t pt_reception_ncols = sizeof pt_reception_cols / sizeof *pt_reception_cols;


/* A leader of this unit, or NULL with the error set. */
static const struct pt_leader *unit_leader(const struct pt_rules *r, const char *unit, const char *name,
					   struct pt_err *e)
{
	const struct pt_leader *l = pt_rules_leader(r, name);

	if (!l)
		pt_err_set(e, PT_EDATA, "leader '%s' is not in the rules (petition rules show)", name);
	else if (strcmp(l->unit, unit))
		pt_err_set(e, PT_EDATA, "%s is a leader of %s, not of %s", name, l->unit, unit);
	return e->kind ? NULL : l;
}

static long long next_id(struct pt_db *db, struct pt_err *e)
{
	sqlite3_stmt *q = NULL;
	long long id = -1;

	if (pt_db_prepare(db, "SELECT coalesce(max(id), 0) + 1 FROM receptions", &q, e))
		return -1;
	if (sqlite3_step(q) == SQLITE_ROW)
		id = sqlite3_column_int64(q, 0);
	else
		pt_db_fail(db, sqlite3_errcode(db->sql), "cannot number the reception day", e);
	sqlite3_finalize(q);
	return id;
}

/* A count of rows; parameters ?1..?4 bound to unit, day, s3, s4 (NULL binds NULL). */
static int count_where(struct pt_db *db, const char *sql, const char *unit, const char *day, const char *s3,
		       const char *s4, long *n, struct pt_err *e)
{
	sqlite3_stmt *q = NULL;
	int rc;

	if (pt_db_prepare(db, sql, &q, e))
		return -1;
	sqlite3_bind_text(q, 1, unit, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, day, -1, SQLITE_STATIC);
	pt_db_bind_text(q, 3, s3);
	pt_db_bind_text(q, 4, s4);
	rc = sqlite3_step(q);
	*n = rc == SQLITE_ROW ? sqlite3_column_int64(q, 0) : 0;
	sqlite3_finalize(q);
	return rc == SQLITE_ROW ? 0 : pt_db_fail(db, rc, "cannot read the reception days", e);
}

/* One reception day as stored, as logged and as listed. */
struct day_row {
	long long id;
	const char *unit;
	char day[PT_DATE_LEN];
	const char *kind, *leader, *place, *form, *state, *held_by;
};

/* Insert a new day (its id is given here), pointing to the change's event. */
static int insert_day(struct pt_db *db, struct day_row *d, long long event_id, struct pt_err *e)
{
	static const char sql[] =
		"INSERT INTO receptions (id, unit, day, kind, leader, place, form, state, event_id)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'planned', ?8)";
	sqlite3_stmt *q = NULL;
	int rc;

	if ((d->id = next_id(db, e)) < 0)
		return -1;
	d->state = "planned";
	d->held_by = NULL;
	if (pt_db_prepare(db, sql, &q, e))
		return -1;
	sqlite3_bind_int64(q, 1, d->id);
	sqlite3_bind_text(q, 2, d->unit, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, d->day, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 4, d->kind, -1, SQLITE_STATIC);
	pt_db_bind_text(q, 5, d->leader);
	pt_db_bind_text(q, 6, d->place);
	pt_db_bind_text(q, 7, d->form);
	sqlite3_bind_int64(q, 8, event_id);
	rc = sqlite3_step(q);
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? 0 : pt_db_fail(db, rc, "cannot record the reception day", e);
}

/* A new day's event data: what it is. */
static void day_data(struct pt_buf *data, const struct day_row *d)
{
	pt_buf_addf(data, "{\"id\":%lld", d->id);
	pt_json_member(data, "unit", d->unit);
	pt_json_member(data, "day", d->day);
	pt_json_member(data, "kind", d->kind);
	pt_json_member(data, "leader", d->leader);
	pt_json_member(data, "place", d->place);
	pt_json_member(data, "form", d->form);
	pt_buf_addch(data, '}');
}

/* A day in the columns of pt_reception_cols. */
static int row_out(const struct day_row *d, struct pt_fmt *out, struct pt_err *e)
{
	char id[24];
	long day = 0;

	snprintf(id, sizeof id, "%lld", d->id);
	pt_date_parse(d->day, &day);
	const char *v[] = { id, d->unit, d->day, pt_weekday_name(day), d->kind, d->leader, d->place, d->form,
			    d->state, d->held_by };

	return pt_fmt_row(out, v, e);
}

int pt_reception_add(struct pt_db *db, const struct pt_rules *r, const struct pt_reception *rc_in,
		     long today, bool dry_run, long long *id, bool *late, struct pt_err *e)
{
	const struct pt_unit *u = pt_rules_unit(r, rc_in->unit);
	bool meeting = !strcmp(rc_in->kind, "meeting");
	const char *form = rc_in->form ? rc_in->form : meeting ? NULL : r->reception.form;
	const char *place = rc_in->place ? rc_in->place : pt_rules_reception_place(r, u ? u->code : "");
	struct pt_buf data = PT_BUF_INIT;
	struct pt_change *ch;
	char d[PT_DATE_LEN];
	long dup = 0;
	int rc;

	*late = false;
	if (pt_text_check("place", rc_in->place, e) || pt_text_check("leader", rc_in->leader, e))
		return -1;
	if (!u)
		return pt_err_set(e, PT_EDATA, "unit '%s' is not in the rules (petition rules show)", rc_in->unit);
	if (!meeting) {
		const char *name;
		bool prov = false;
		enum pt_day_kind k = pt_calendar_day(r->calendar, rc_in->day, &name, &prov);

		pt_date_format(rc_in->day, d);
		if (k == PT_DAY_HOLIDAY)
			return pt_err_set(e, PT_EDATA, "%s is %s, a holiday: reception days are working days", d, name);
		if (k == PT_DAY_WEEKEND)
			return pt_err_set(e, PT_EDATA, "%s is a %s: reception days are working days", d,
					  pt_weekday_name(rc_in->day));
	}
	if (!meeting && !rc_in->leader)
		return pt_err_field(e, PT_EDATA, "a reception day needs the leader who receives (", "leader", ")");
	if (rc_in->leader && !unit_leader(r, u->code, rc_in->leader, e))
		return -1;
	if (form && pt_vocab_index(PT_VOCAB_FORM, form) < 0) {
		struct pt_buf forms = PT_BUF_INIT;

		pt_vocab_join(PT_VOCAB_FORM, &forms, ", ");
		pt_vocab_suggest(PT_VOCAB_FORM, form, &forms);
		pt_err_set(e, PT_EDATA, "form '%s' is not one of %s", form, forms.buf);
		pt_buf_release(&forms);
		return -1;
	}
	*late = !meeting && rc_in->day < today + r->reception.notice_days;
	if (!(ch = pt_change_begin(db, r, 0, e)))
		return -1;
	pt_date_format(rc_in->day, d);
	rc = count_where(db, "SELECT count(*) FROM receptions WHERE unit = ?1 AND day = ?2 AND kind = ?4"
			     " AND leader IS ?3 AND state <> 'cancelled'", u->code, d, rc_in->leader, rc_in->kind, &dup, e);
	if (rc == 0 && dup)
		rc = pt_err_set(e, PT_EDATA, "%s %s already has this %s%s%s", u->code, d, meeting ? "meeting" : "reception day",
				rc_in->leader ? " with " : "", rc_in->leader ? rc_in->leader : "");
	if (rc == 0) {
		struct day_row row = { 0, u->code, "", rc_in->kind, rc_in->leader, *place ? place : NULL, form,
				       NULL, NULL };

		memcpy(row.day, d, sizeof row.day);
		rc = insert_day(db, &row, pt_change_event_id(ch), e);
		*id = row.id;
		if (rc == 0)
			day_data(&data, &row);
	}
	rc = rc ? (pt_change_abort(ch), rc) : pt_change_commit(ch, "reception.add", 0, data.buf, dry_run, e);
	pt_buf_release(&data);
	return rc;
}

/* The state of a day: 0 and *state filled, or PT_ENOINPUT. */
static int day_state(struct pt_db *db, long long id, struct pt_buf *state, struct pt_buf *unit,
		     struct pt_buf *leader, long *day, struct pt_err *e)
{
	sqlite3_stmt *q = NULL;
	int rc;

	if (pt_db_prepare(db, "SELECT state, unit, coalesce(leader, ''), day FROM receptions WHERE id = ?1", &q, e))
		return -1;
	sqlite3_bind_int64(q, 1, id);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		pt_buf_adds(state, (const char *)sqlite3_column_text(q, 0));
		pt_buf_adds(unit, (const char *)sqlite3_column_text(q, 1));
		pt_buf_adds(leader, (const char *)sqlite3_column_text(q, 2));
		pt_date_parse((const char *)sqlite3_column_text(q, 3), day);
	}
	sqlite3_finalize(q);
	if (rc == SQLITE_DONE)
		return pt_err_set(e, PT_ENOINPUT, "no reception day %lld (petition schedule list shows them)", id);
	return rc == SQLITE_ROW ? 0 : pt_db_fail(db, rc, "cannot read the reception day", e);
}

/* Move a planned day to `state` and end the change with its event (or roll it back when
 * rc is not 0); held_by for 'held'. */
static int change_state(struct pt_change *ch, int rc, long long id, const char *state, const char *held_by,
			const char *reason, bool dry_run, struct pt_err *e)
{
	struct pt_db *db = pt_change_db(ch);
	struct pt_buf data = PT_BUF_INIT;
	sqlite3_stmt *q = NULL;

	if (rc == 0 && pt_db_prepare(db, "UPDATE receptions SET state = ?2, held_by = ?3 WHERE id = ?1", &q, e))
		rc = -1;
	if (rc == 0) {
		sqlite3_bind_int64(q, 1, id);
		sqlite3_bind_text(q, 2, state, -1, SQLITE_STATIC);
		pt_db_bind_text(q, 3, held_by);
		rc = sqlite3_step(q);
		rc = rc == SQLITE_DONE ? 0 : pt_db_fail(db, rc, "cannot change the reception day", e);
	}
	sqlite3_finalize(q);
	if (rc) {
		pt_change_abort(ch);
		return rc;
	}
	pt_buf_addf(&data, "{\"id\":%lld", id);
	pt_json_member(&data, "state", state);
	if (held_by)
		pt_json_member(&data, "held_by", held_by);
	if (reason)
		pt_json_member(&data, "reason", reason);
	pt_buf_addch(&data, '}');
	rc = pt_change_commit(ch, !strcmp(state, "held") ? "reception.held" : "reception.cancel", 0, data.buf,
			      dry_run, e);
	pt_buf_release(&data);
	return rc;
}

/* Begin, read the day, and check that it is still planned. */
static struct pt_change *begin_planned(struct pt_db *db, const struct pt_rules *r, long long id, struct pt_buf *unit,
				       struct pt_buf *leader, long *day, struct pt_err *e)
{
	struct pt_buf state = PT_BUF_INIT;
	struct pt_change *ch = pt_change_begin(db, r, 0, e);
	int rc;

	if (!ch)
		return NULL;
	rc = day_state(db, id, &state, unit, leader, day, e);
	if (rc == 0 && strcmp(state.buf, "planned"))
		rc = pt_err_set(e, PT_EDATA, "reception day %lld is %s, not planned", id, state.buf);
	pt_buf_release(&state);
	if (rc) {
		pt_change_abort(ch);
		return NULL;
	}
	return ch;
}

int pt_reception_cancel(struct pt_db *db, long long id, const char *reason, bool dry_run, struct pt_err *e)
{
	struct pt_buf unit = PT_BUF_INIT, leader = PT_BUF_INIT;
	struct pt_change *ch = NULL;
	long day;
	int rc = pt_text_check("reason", reason, e) || !(ch = begin_planned(db, NULL, id, &unit, &leader, &day, e))
			 ? -1 : 0;

	if (rc == 0)
		rc = change_state(ch, 0, id, "cancelled", NULL, reason, dry_run, e);
	pt_buf_release(&unit);
	pt_buf_release(&leader);
	return rc;
}

int pt_reception_held(struct pt_db *db, const struct pt_rules *r, long long id, const char *held_by,
		      long today, bool dry_run, struct pt_err *e)
{
	struct pt_buf unit = PT_BUF_INIT, leader = PT_BUF_INIT;
	long day = 0;
	struct pt_change *ch = begin_planned(db, r, id, &unit, &leader, &day, e);
	int rc = ch ? 0 : -1;

	if (rc == 0 && pt_text_check("leader", held_by, e))
		rc = -1;
	if (rc == 0 && day > today)
		rc = pt_err_set(e, PT_EDATA, "reception day %lld is still to come; it can be marked held on the day", id);
	if (rc == 0 && held_by && !unit_leader(r, unit.buf, held_by, e))
		rc = -1;
	if (ch)
		rc = change_state(ch, rc, id, "held", held_by ? held_by : leader.len ? leader.buf : NULL, NULL, dry_run, e);
	pt_buf_release(&unit);
	pt_buf_release(&leader);
	return rc;
}

/* ---- listing ---- */

static int query_days(struct pt_db *db, const char *unit, long from, long to, sqlite3_stmt **q, struct pt_err *e)
{
	char f[PT_DATE_LEN], t[PT_DATE_LEN];

	if (pt_db_prepare(db, "SELECT id, unit, day, kind, leader, place, form, state, held_by FROM receptions"
			      " WHERE day BETWEEN ?1 AND ?2 AND (?3 IS NULL OR unit = ?3) ORDER BY day, unit, id", q, e))
		return -1;
	pt_date_format(from, f);
	pt_date_format(to, t);
	sqlite3_bind_text(*q, 1, f, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(*q, 2, t, -1, SQLITE_TRANSIENT);
	pt_db_bind_text(*q, 3, unit);
	return 0;
}

/* The day in the current row of a query_days() statement (borrowed strings). */
static void day_from_row(sqlite3_stmt *q, struct day_row *d)
{
	const char *day = (const char *)sqlite3_column_text(q, 2);

	d->id = sqlite3_column_int64(q, 0);
	d->unit = (const char *)sqlite3_column_text(q, 1);
	snprintf(d->day, sizeof d->day, "%s", day ? day : "");
	d->kind = (const char *)sqlite3_column_text(q, 3);
	d->leader = (const char *)sqlite3_column_text(q, 4);
	d->place = (const char *)sqlite3_column_text(q, 5);
	d->form = (const char *)sqlite3_column_text(q, 6);
	d->state = (const char *)sqlite3_column_text(q, 7);
	d->held_by = (const char *)sqlite3_column_text(q, 8);
}

int pt_reception_list(struct pt_db *db, const char *unit, long from, long to, struct pt_fmt *out,
		      struct pt_err *e)
{
	sqlite3_stmt *q = NULL;
	int rc;

	if (query_days(db, unit, from, to, &q, e))
		return -1;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		struct day_row d;

		day_from_row(q, &d);
		if (row_out(&d, out, e)) {
			sqlite3_finalize(q);
			return -1;
		}
	}
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? 0 : pt_db_fail(db, rc, "cannot read the reception days", e);
}

/* ---- iCalendar ---- */

void pt_ics_text(struct pt_buf *b, const char *s)
{
	for (; s && *s; s++) {
		if (*s == '\\' || *s == ';' || *s == ',')
			pt_buf_addch(b, '\\');
		if (*s == '\n') {
			pt_buf_adds(b, "\\n");
			continue;
		}
		if (*s == '\r')
			continue;
		pt_buf_addch(b, *s);
	}
}

void pt_ics_line(struct pt_buf *b, const char *line)
{
	size_t n = strlen(line), i = 0, room = 75;

	while (n - i > room) {
		size_t cut = i + room;

		while (cut > i && ((unsigned char)line[cut] & 0xc0) == 0x80)
			cut--; /* never inside a UTF-8 character */
		if (cut == i)
			cut = i + room; /* not UTF-8 after all: cut anywhere rather than never */
		pt_buf_add(b, line + i, cut - i);
		pt_buf_adds(b, "\r\n ");
		i = cut;
		room = 74; /* the leading space counts */
	}
	pt_buf_add(b, line + i, n - i);
	pt_buf_adds(b, "\r\n");
}

/* YYYYMMDD, as iCalendar writes a DATE. */
static void compact_date(long day, char out[9])
{
	char d[PT_DATE_LEN];

	pt_date_format(day, d);
	memcpy(out, d, 4);
	memcpy(out + 4, d + 5, 2);
	memcpy(out + 6, d + 8, 2);
	out[8] = '\0';
}

/* Append one content line, formatted and folded. */
static void ics_addf(struct pt_buf *b, const char *fmt, ...) PT_PRINTF(2, 3);

static void ics_addf(struct pt_buf *b, const char *fmt, ...)
{
	struct pt_buf line = PT_BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	pt_buf_vaddf(&line, fmt, ap);
	va_end(ap);
	pt_ics_line(b, line.buf);
	pt_buf_release(&line);
}

/* A property whose value is TEXT (escaped), made of the pieces given (NULL ends them). */
static void ics_text(struct pt_buf *b, const char *name, ...)
{
	struct pt_buf line = PT_BUF_INIT;
	const char *piece;
	va_list ap;

	pt_buf_addf(&line, "%s:", name);
	va_start(ap, name);
	while ((piece = va_arg(ap, const char *)))
		pt_ics_text(&line, piece);
	va_end(ap);
	pt_ics_line(b, line.buf);
	pt_buf_release(&line);
}

/* The database's own mark, for UIDs unique across databases: the random mark its first
 * event (init) gave it, or for a database made before there was one, the start of that
 * event's hash, which holds the time it was made. */
static int database_mark(struct pt_db *db, char mark[17], struct pt_err *e)
{
	sqlite3_stmt *q = NULL;
	int rc;

	if (pt_db_prepare(db, "SELECT coalesce(json_extract(data, '$.database'), substr(hash, 1, 16)) FROM events"
			      " ORDER BY id LIMIT 1", &q, e))
		return -1;
	rc = sqlite3_step(q);
	snprintf(mark, 17, "%s", rc == SQLITE_ROW && sqlite3_column_text(q, 0) ? (const char *)sqlite3_column_text(q, 0)
										 : "0000000000000000");
	sqlite3_finalize(q);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : pt_db_fail(db, rc, "cannot read the event log", e);
}

static void ics_event(struct pt_buf *b, const struct day_row *d, const struct pt_calendar *cal, const char *mark,
		      const char *stamp)
{
	bool meeting = !strcmp(d->kind, "meeting"), provisional = false;
	const char *holiday;
	long day = 0;
	char start[9], end[9];

	pt_date_parse(d->day, &day);
	pt_calendar_day(cal, day, &holiday, &provisional);
	compact_date(day, start);
	compact_date(day + 1, end);
	pt_ics_line(b, "BEGIN:VEVENT");
	ics_addf(b, "UID:%s-%lld-%s@%s.petition", d->kind, d->id, d->unit, mark);
	ics_addf(b, "DTSTAMP:%s", stamp);
	ics_addf(b, "DTSTART;VALUE=DATE:%s", start);
	ics_addf(b, "DTEND;VALUE=DATE:%s", end);
	ics_text(b, "SUMMARY", meeting ? "信访工作协调领导小组会议" : "领导接访", d->leader ? "：" : "",
		 d->leader ? d->leader : "", d->form ? "（" : "", d->form ? d->form : "", d->form ? "）" : "",
		 (const char *)NULL);
	if (d->place)
		ics_text(b, "LOCATION", d->place, (const char *)NULL);
	/* a day of a year whose calendar is not (surely) known may yet turn out a holiday */
	ics_addf(b, "STATUS:%s", !strcmp(d->state, "cancelled") ? "CANCELLED" : provisional ? "TENTATIVE" : "CONFIRMED");
	/* A day's only change is from planned to held or cancelled: its revision is 1 then, so
	 * that a calendar that imported it before takes the change. */
	ics_addf(b, "SEQUENCE:%d", strcmp(d->state, "planned") != 0);
	pt_ics_line(b, "END:VEVENT");
}

int pt_reception_ics(struct pt_db *db, const struct pt_rules *r, const char *unit, long from, long to, FILE *out,
		     struct pt_err *e)
{
	struct pt_buf b = PT_BUF_INIT;
	sqlite3_stmt *q = NULL;
	char now[21], stamp[17], mark[17];
	int rc;

	if (database_mark(db, mark, e) || query_days(db, unit, from, to, &q, e))
		return -1;
	pt_now_utc(now); /* 2026-11-28T20:04:19Z -> 20261128T200419Z */
	snprintf(stamp, sizeof stamp, "%.4s%.2s%.2sT%.2s%.2s%.2sZ", now, now + 5, now + 8, now + 11, now + 14, now + 17);
	pt_ics_line(&b, "BEGIN:VCALENDAR");
	pt_ics_line(&b, "VERSION:2.0");
	pt_ics_line(&b, "PRODID:-//petition//reception days//ZH");
	pt_ics_line(&b, "CALSCALE:GREGORIAN");
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		struct day_row d;

		day_from_row(q, &d);
		ics_event(&b, &d, r->calendar, mark, stamp);
	}
	sqlite3_finalize(q);
	pt_ics_line(&b, "END:VCALENDAR");
	if (rc != SQLITE_DONE) {
		pt_buf_release(&b);
		return pt_db_fail(db, rc, "cannot read the reception days", e);
	}
	rc = fwrite(b.buf, 1, b.len, out) == b.len ? 0 : pt_err_set(e, PT_EIO, "cannot write output: %s", strerror(errno));
	pt_buf_release(&b);
	return rc;
}

/* ---- planning a month ---- */

struct leader_load {
	const char *name;
	long days;               /* reception days held (by them) or planned (for them), all time */
};

static int leader_loads(struct pt_db *db, const struct pt_rules *r, const char *unit, struct leader_load **out,
			size_t *n, struct pt_err *e)
{
	static const char sql[] =
		"SELECT coalesce(held_by, leader), count(*) FROM receptions WHERE unit = ?1"
		" AND kind = 'reception' AND state <> 'cancelled' GROUP BY 1";
	sqlite3_stmt *q = NULL;
	int rc;

	*n = 0;
	*out = pt_xcalloc(r->nleaders ? r->nleaders : 1, sizeof **out);
	for (size_t i = 0; i < r->nleaders; i++)
		if (!strcmp(r->leaders[i].unit, unit))
			(*out)[(*n)++].name = r->leaders[i].name;
	if (pt_db_prepare(db, sql, &q, e))
		return -1;
	sqlite3_bind_text(q, 1, unit, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		const char *who = (const char *)sqlite3_column_text(q, 0);

		for (size_t i = 0; who && i < *n; i++)
			if (!strcmp((*out)[i].name, who))
				(*out)[i].days = sqlite3_column_int64(q, 1);
	}
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? 0 : pt_db_fail(db, rc, "cannot read the reception days", e);
}

/* The leader with the fewest days so far (the rules' order breaks ties); counts the day. */
static const char *next_leader(struct leader_load *l, size_t n)
{
	size_t best = 0;

	for (size_t i = 1; i < n; i++)
		if (l[i].days < l[best].days)
			best = i;
	l[best].days++;
	return l[best].name;
}

/* The unit's reception days in [first, last], as a flag per day of that range. */
static int taken_days(struct pt_db *db, const char *unit, long first, long last, bool *taken, struct pt_err *e)
{
	static const char sql[] =
		"SELECT day FROM receptions WHERE unit = ?1 AND day BETWEEN ?2 AND ?3"
		" AND kind = 'reception' AND state <> 'cancelled'";
	char f[PT_DATE_LEN], t[PT_DATE_LEN];
	sqlite3_stmt *q = NULL;
	int rc;

	if (pt_db_prepare(db, sql, &q, e))
		return -1;
	pt_date_format(first, f);
	pt_date_format(last, t);
	sqlite3_bind_text(q, 1, unit, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, f, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, t, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		long d;

		if (pt_date_parse((const char *)sqlite3_column_text(q, 0), &d) && d >= first && d <= last)
			taken[d - first] = true;
	}
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? 0 : pt_db_fail(db, rc, "cannot read the reception days", e);
}

/* Working days of [first, last] from `earliest` on, without a reception day of the unit:
 * the preferred weekdays first (*npreferred of them), then the others, each in date order. */
static int candidate_days(struct pt_db *db, const struct pt_rules *r, const char *unit, long first, long last,
			  long earliest, long *out, size_t *n, size_t *npreferred, struct pt_err *e)
{
	bool any_preferred = false;
	bool *taken = pt_xcalloc((size_t)(last - first + 1), sizeof *taken);
	int rc = taken_days(db, unit, first, last, taken, e);

	for (int w = 0; w < 7; w++)
		any_preferred |= r->reception.weekday[w];
	*n = *npreferred = 0;
	for (int pass = 0; pass < 2 && rc == 0; pass++) {
		for (long d = first > earliest ? first : earliest; d <= last; d++) {
			const char *name;
			bool prov = false, preferred = !any_preferred || r->reception.weekday[pt_weekday(d)];
			enum pt_day_kind k = pt_calendar_day(r->calendar, d, &name, &prov);

			if ((k == PT_DAY_WORK || k == PT_DAY_MAKEUP) && preferred == (pass == 0) && !taken[d - first])
				out[(*n)++] = d;
		}
		if (pass == 0)
			*npreferred = *n;
	}
	free(taken);
	return rc;
}

static int cmp_long(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;

	return (x > y) - (x < y);
}

/* Pick `need` of the candidates, spread over the month: the preferred days first, evenly
 * through them, then in date order. */
static size_t pick_days(const long *cand, size_t ncand, size_t npreferred, int need, long *out)
{
	size_t k = 0, from_preferred = (size_t)need < npreferred ? (size_t)need : npreferred;

	for (size_t i = 0; i < from_preferred; i++)
		out[k++] = cand[(2 * i + 1) * npreferred / (2 * from_preferred)];
	for (size_t i = npreferred; i < ncand && k < (size_t)need; i++)
		out[k++] = cand[i];
	qsort(out, k, sizeof *out, cmp_long);
	return k;
}

static int plan_days(struct pt_db *db, long long event_id, const struct pt_rules *r, const struct pt_unit *u,
		     long first, long last, long today, struct pt_fmt *out, struct pt_plan_result *res, struct pt_err *e)
{
	const char *place = pt_rules_reception_place(r, u->code);
	size_t ndays = (size_t)(last - first + 1), nloads = 0, ncand = 0, npreferred = 0, npicked = 0;
	long *cand = pt_xcalloc(ndays, sizeof *cand), *picked = pt_xcalloc(ndays, sizeof *picked);
	struct leader_load *loads = NULL;
	int rc;

	rc = leader_loads(db, r, u->code, &loads, &nloads, e);
	if (rc == 0 && nloads == 0)
		rc = pt_err_set(e, PT_EDATA, "the rules name no leaders of %s (%s) to receive visitors", u->code, u->name);
	if (rc == 0)
		rc = candidate_days(db, r, u->code, first, last, today + r->reception.notice_days, cand, &ncand,
				    &npreferred, e);
	if (rc == 0)
		npicked = pick_days(cand, ncand, npreferred, res->required - res->existing, picked);
	for (size_t i = 0; i < npicked && rc == 0; i++) {
		struct day_row d = { 0, u->code, "", "reception", next_leader(loads, nloads), *place ? place : NULL,
				     r->reception.form, NULL, NULL };

		pt_date_format(picked[i], d.day);
		rc = insert_day(db, &d, event_id, e);
		if (rc == 0 && out)
			rc = row_out(&d, out, e);
		res->added += rc == 0;
	}
	free(loads);
	free(cand);
	free(picked);
	return rc;
}

bool pt_plan_met(const struct pt_plan_result *res)
{
	return res->existing + res->added >= res->required;
}

int pt_reception_plan(struct pt_db *db, const struct pt_rules *r, const char *unit, long month,
		      long today, bool dry_run, struct pt_fmt *out, struct pt_plan_result *res,
		      struct pt_err *e)
{
	const struct pt_unit *u = pt_rules_unit(r, unit);
	long first = pt_month_first(month), last = pt_month_last(month), existing = 0;
	struct pt_buf data = PT_BUF_INIT;
	struct pt_change *ch;
	char f[PT_DATE_LEN], t[PT_DATE_LEN];
	int rc;

	memset(res, 0, sizeof *res);
	if (!u)
		return pt_err_set(e, PT_EDATA, "unit '%s' is not in the rules (petition rules show)", unit);
	res->required = r->reception.min_days[u->level];
	res->township = u->level == PT_LEVEL_TOWNSHIP && res->required == 0;
	res->provisional = !pt_rules_cal_year(r, pt_date_year(first));
	if (!(ch = pt_change_begin(db, r, 0, e)))
		return -1;
	pt_date_format(first, f);
	pt_date_format(last, t);
	rc = count_where(db, "SELECT count(*) FROM receptions WHERE unit = ?1 AND day BETWEEN ?2 AND ?3"
			     " AND kind = 'reception' AND state <> 'cancelled'", u->code, f, t, NULL, &existing, e);
	res->existing = (int)existing;
	if (rc == 0 && res->existing < res->required)
		rc = plan_days(db, pt_change_event_id(ch), r, u, first, last, today, out, res, e);
	/* One event for the month's plan; a plan that adds nothing writes nothing. */
	if (rc || res->added == 0) {
		pt_change_abort(ch);
		return rc;
	}
	pt_buf_addch(&data, '{');
	pt_json_member(&data, "unit", u->code);
	pt_json_member(&data, "month", f);
	pt_buf_addf(&data, ",\"required\":%d,\"existing\":%d,\"added\":%d}", res->required, res->existing, res->added);
	rc = pt_change_commit(ch, "reception.plan", 0, data.buf, dry_run, e);
	pt_buf_release(&data);
	return rc;
}
