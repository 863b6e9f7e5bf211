#include "casefile.h"
#include "buf.h"
#include "cal.h"
#include "hash.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the transition table ---- */

#define OPEN_BEFORE_ACCEPT "registered", "assigned"

static const struct pt_case_transition transitions[] = {
	{ "route", "routed", { OPEN_BEFORE_ACCEPT, "accepted" }, "assigned" },
	{ "transfer", "transferred", { OPEN_BEFORE_ACCEPT, "accepted" }, "assigned" },
	{ "transfer-out", "transferred", { OPEN_BEFORE_ACCEPT, "accepted" }, "transferred_out" },
	{ "object", "objected", { OPEN_BEFORE_ACCEPT }, "objecting" },
	{ "answer-objection", "objection_answered", { "objecting" }, "*previous" },
	{ "accept", "accepted", { OPEN_BEFORE_ACCEPT }, "accepted" },
	{ "reject", "rejected", { OPEN_BEFORE_ACCEPT }, "rejected" },
	{ "instruct", "instructed", { OPEN_BEFORE_ACCEPT, "accepted" }, NULL },
	{ "done", "step_done", { OPEN_BEFORE_ACCEPT, "accepted" }, NULL },
	{ "extend", "extended", { "accepted" }, NULL },
	{ "resolve", "resolved", { "accepted" }, "resolved" },
	{ "satisfaction", "satisfaction",
	  { "resolved", "review_requested", "reviewed", "rereview_requested", "rereviewed", "closed" }, NULL },
	/* the written reply or decision delivered; the event is the decision's (case.c) */
	{ "deliver", "reply_delivered",
	  { "resolved", "review_requested", "reviewed", "rereview_requested", "rereviewed", "closed" }, NULL },
	/* closing never cuts off a window still open: a request inside it reopens the matter */
	{ "request-review", "review_requested", { "resolved", "closed" }, "review_requested" },
	{ "review", "reviewed", { "review_requested" }, "reviewed" },
	{ "request-rereview", "rereview_requested", { "reviewed", "closed" }, "rereview_requested" },
	{ "hearing", "hearing", { "rereview_requested" }, NULL },
	{ "rereview", "rereviewed", { "rereview_requested" }, "rereviewed" },
	{ "close", "closed", { "resolved", "reviewed", "rereviewed" }, "closed" },
	{ "reopen", "reopened", { "closed", "rejected", "transferred_out", "objected" }, "*previous" },
	{ "important", "marked_important", { OPEN_BEFORE_ACCEPT, "accepted" }, NULL },
	{ "unimportant", "unmarked_important", { OPEN_BEFORE_ACCEPT, "accepted" }, NULL },
	{ "down-visit", "down_visited", { OPEN_BEFORE_ACCEPT, "accepted" }, NULL },
	{ "report-back", "reported_back",
	  { "assigned", "accepted", "resolved", "review_requested", "reviewed", "rereview_requested", "rereviewed" }, NULL },
	{ "repeat", "repeat_marked", { "*" }, NULL },
	{ "typical", "marked_typical", { "*" }, NULL },
	{ "untypical", "unmarked_typical", { "*" }, NULL },
};
#define NTRANSITIONS (sizeof transitions / sizeof *transitions)

const struct pt_case_transition *pt_case_transition(const char *verb)
{
	for (size_t i = 0; i < NTRANSITIONS; i++)
		if (!strcmp(transitions[i].verb, verb))
			return &transitions[i];
	return NULL;
}

static bool allowed_in(const struct pt_case_transition *t, const char *state)
{
	for (size_t k = 0; k < 7 && t->from[k]; k++)
		if (!strcmp(t->from[k], state) || !strcmp(t->from[k], "*"))
			return true;
	return false;
}

/* "a or b or c" */
static void add_alternatives(struct pt_buf *b, const char *const *v, size_t n, const char *last_sep)
{
	for (size_t k = 0; k < n; k++)
		pt_buf_addf(b, "%s%s", k == 0 ? "" : k + 1 == n ? last_sep : ", ", v[k]);
}

int pt_case_allow(const struct pt_case *c, const char *verb, struct pt_err *e)
{
	const struct pt_case_transition *t = pt_case_transition(verb);
	const char *can[NTRANSITIONS];
	struct pt_buf msg = PT_BUF_INIT;
	size_t n = 0, nfrom = 0;

	if (!t)
		return pt_err_set(e, PT_EINTERNAL, "no transition '%s'", verb);
	if (allowed_in(t, c->state))
		return 0;
	while (nfrom < 7 && t->from[nfrom])
		nfrom++;
	/* transfer-out is `route transfer --body`: one verb for people; a correction allowed in
	 * every state (repeat) is no step of the course. */
	for (size_t i = 0; i < NTRANSITIONS; i++)
		if (allowed_in(&transitions[i], c->state) && strcmp(transitions[i].verb, "transfer-out") &&
		    strcmp(transitions[i].from[0], "*"))
			can[n++] = transitions[i].verb;
	pt_buf_addf(&msg, "case %s is %s: %s is allowed only when it is ", c->case_no, c->state,
		    strcmp(verb, "transfer-out") ? verb : "transfer");
	add_alternatives(&msg, t->from, nfrom, " or ");
	pt_buf_addf(&msg, "; what %s %s case allows: ", strchr("aeiou", c->state[0]) ? "an" : "a", c->state);
	add_alternatives(&msg, can, n, " and ");
	pt_err_set(e, PT_EDATA, "%s", msg.buf);
	pt_buf_release(&msg);
	return -1;
}

const char *pt_case_next_state(const char *verb, const char *state)
{
	const struct pt_case_transition *t = pt_case_transition(verb);

	if (!t || !t->to)
		return state;
	if (!strcmp(t->to, "assigned"))
		return strcmp(state, "registered") ? state : "assigned";
	return t->to;
}

int pt_case_check_day(const struct pt_case *c, long on, long today, struct pt_err *e)
{
	char d[PT_DATE_LEN], other[PT_DATE_LEN];

	pt_date_format(on, d);
	if (on > today)
		return pt_err_set(e, PT_EDATA, "%s is in the future", d);
	if (on < c->received) {
		pt_date_format(c->received, other);
		return pt_err_set(e, PT_EDATA, "%s is before case %s was received (%s)", d, c->case_no, other);
	}
	if (on < c->last_on) {
		pt_date_format(c->last_on, other);
		return pt_err_set(e, PT_EDATA, "%s is before the case's last recorded step (%s)", d, other);
	}
	return 0;
}

/* ---- loading a case ---- */

void pt_case_release(struct pt_case *c)
{
	free(c->case_no);
	free(c->unit);
	free(c->channel);
	free(c->category);
	free(c->addressed_to);
	free(c->state);
	free(c->holder);
	free(c->petitioner);
	memset(c, 0, sizeof *c);
}

void pt_case_number(struct pt_buf *b, const char *pattern, const char *unit, int year, long long seq)
{
	pt_buf_reset(b);
	for (const char *p = pattern; *p; p++) {
		if (!strncmp(p, "{unit}", 6)) {
			pt_buf_adds(b, unit);
			p += 5;
		} else if (!strncmp(p, "{year}", 6)) {
			pt_buf_add_int(b, year, 4);
			p += 5;
		} else if (!strncmp(p, "{seq}", 5)) {
			pt_buf_add_int(b, seq, 0);
			p += 4;
		} else if (!strncmp(p, "{seq:0", 6) && p[7] == '}') {
			pt_buf_add_int(b, seq, p[6] - '0');
			p += 7;
		} else {
			pt_buf_addch(b, *p);
		}
	}
}

/* Digits only, short enough to be a number: a sequence part (or after "id:", an id). */
static bool all_digits(const char *s, long long *n)
{
	size_t len = strspn(s, "0123456789");

	if (!len || s[len] || len > 18)
		return false;
	*n = strtoll(s, NULL, 10);
	return true;
}

/* The look-ups of case_by(), cached by their address (pt_db_cached). A number is found by
 * its key (case_key, hash.h) and confirmed on the text (schema/006-keys.sql). */
static const char by_case_no[] = "SELECT id FROM petitions WHERE case_key = ?1 AND case_no = ?2 AND" PT_SEEN("petitions");
static const char by_id[] = "SELECT id FROM petitions WHERE id = ?1 AND" PT_SEEN("petitions");

/* The case of one exact number or id; 0 in *id when there is none. */

static int case_by(struct pt_db *db, const char *sql, const char *text, long long n, long long *id,
		   struct pt_err *e)
{
	sqlite3_stmt *q = NULL;
	int rc;

	if (pt_db_cached(db, sql, &q, e))
		return -1;
	if (text) {
		sqlite3_bind_int64(q, 1, pt_case_key(text));
		sqlite3_bind_text(q, 2, text, -1, SQLITE_STATIC);
	} else {
		sqlite3_bind_int64(q, 1, n);
	}
	rc = sqlite3_step(q);
	*id = rc == SQLITE_ROW ? sqlite3_column_int64(q, 0) : 0;
	sqlite3_reset(q);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : pt_db_fail(db, rc, "cannot read the case", e);
}

int pt_case_by_number(struct pt_db *db, const char *case_no, long long *id, struct pt_err *e)
{
	return case_by(db, by_case_no, case_no, 0, id, e);
}

/* A sequence part: the case of that number of a unit and year that have given it, the
 * office's own of this year first; several others are ambiguous (petition(1), CASES). */
static int case_by_seq(struct pt_db *db, const struct pt_rules *r, const char *key, long long seq, long long *id,
		       struct pt_err *e)
{
	static const char sql[] = "SELECT unit, year FROM case_seq WHERE last >= ?1"
				  " ORDER BY unit = ?2 AND year = ?3 DESC, year DESC, unit";
	struct pt_buf no = PT_BUF_INIT, all = PT_BUF_INIT;
	sqlite3_stmt *q = NULL;
	long long found = 0, one;
	size_t n = 0;
	int rc;

	*id = 0;
	if (pt_db_prepare(db, sql, &q, e))
		return -1;
	sqlite3_bind_int64(q, 1, seq);
	sqlite3_bind_text(q, 2, r->office, -1, SQLITE_STATIC);
	sqlite3_bind_int(q, 3, pt_date_year(pt_date_today()));
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		const char *unit = (const char *)sqlite3_column_text(q, 0);
		int year = sqlite3_column_int(q, 1);

		pt_case_number(&no, r->case_number, unit, year, seq);
		if (case_by(db, by_case_no, no.buf, 0, &one, e)) {
			rc = SQLITE_ERROR;
			break;
		}
		if (!one)
			continue;
		if (!n++)
			found = one;
		pt_buf_addf(&all, "%s%s", n > 1 ? ", " : "", no.buf);
		if (n == 1 && !strcmp(unit, r->office) && year == pt_date_year(pt_date_today()))
			break; /* the office's own, of this year */
	}
	sqlite3_finalize(q);
	if (e->kind)
		rc = -1;
	else if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		rc = pt_db_fail(db, rc, "cannot read the case numbers", e);
	else if (n > 1)
		rc = pt_err_set(e, PT_EUSAGE, "case '%s' is ambiguous: %s; give the whole case number", key, all.buf);
	else
		rc = (*id = found) ? 0 : pt_err_set(e, PT_ENOINPUT, "no case '%s' (petition case list)", key);
	pt_buf_release(&no);
	pt_buf_release(&all);
	return rc;
}

int pt_case_id(struct pt_db *db, const struct pt_rules *r, const char *key, long long *id, struct pt_err *e)
{
	long long n;

	if (!strncmp(key, "id:", 3)) {
		if (!all_digits(key + 3, &n))
			return pt_err_set(e, PT_EUSAGE, "case '%s': an internal id is id: and digits, as in id:4", key);
		if (case_by(db, by_id, NULL, n, id, e))
			return -1;
	} else if (case_by(db, by_case_no, key, 0, id, e)) {
		return -1;
	} else if (!*id && all_digits(key, &n)) {
		return case_by_seq(db, r, key, n, id, e);
	}
	return *id ? 0 : pt_err_set(e, PT_ENOINPUT, "no case '%s' (petition case list)", key);
}

void pt_case_borrow_deadline(sqlite3_stmt *q, struct pt_case *c)
{
	*c = (struct pt_case){ .id = sqlite3_column_int64(q, PT_CASE_COL_ID), .received = -1 };
	c->case_no = (char *)sqlite3_column_text(q, PT_CASE_COL_CASE_NO);
	c->unit = (char *)sqlite3_column_text(q, PT_CASE_COL_UNIT);
	c->channel = (char *)sqlite3_column_text(q, PT_CASE_COL_CHANNEL);
	c->category = (char *)sqlite3_column_text(q, PT_CASE_COL_CATEGORY);
	pt_date_parse((const char *)sqlite3_column_text(q, PT_CASE_COL_RECEIVED_ON), &c->received);
	c->collective = sqlite3_column_int(q, PT_CASE_COL_COLLECTIVE);
	c->named_letter = sqlite3_column_int(q, PT_CASE_COL_NAMED_LETTER);
	c->last_on = c->received;
}

void pt_case_borrow(sqlite3_stmt *q, struct pt_case *c)
{
	pt_case_borrow_deadline(q, c);
	c->addressed_to = (char *)sqlite3_column_text(q, PT_CASE_COL_ADDRESSED_TO);
	c->state = (char *)sqlite3_column_text(q, PT_CASE_COL_STATE);
	c->holder = (char *)sqlite3_column_text(q, PT_CASE_COL_HOLDER);
	c->petitioner = (char *)sqlite3_column_text(q, PT_CASE_COL_PETITIONER);
	c->persons = sqlite3_column_int64(q, PT_CASE_COL_PERSONS);
	c->repeat = sqlite3_column_int(q, PT_CASE_COL_REPEAT);
	c->final_of = sqlite3_column_int64(q, PT_CASE_COL_FINAL_OF);
	c->skip_level = sqlite3_column_int(q, PT_CASE_COL_SKIP_LEVEL);
	c->addressed_unknown = sqlite3_column_int(q, PT_CASE_COL_ADDRESSED_UNKNOWN);
}

int pt_case_final_text(struct pt_db *db, const struct pt_case *c, struct pt_buf *out, struct pt_err *e)
{
	static const char sql[] =
		"SELECT case_no, (SELECT min(" PT_CASE_EVENT_DAY ") FROM events WHERE petition_id = p.id"
		" AND kind = 'rereviewed') FROM petitions p WHERE id = ?1";
	sqlite3_stmt *q = NULL;
	int rc;

	if (!c->final_of)
		return 0;
	if (pt_db_prepare(db, sql, &q, e))
		return -1;
	sqlite3_bind_int64(q, 1, c->final_of);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW)
		pt_buf_addf(out, "终结：同一事项已于 %s 复核（%s）",
			    sqlite3_column_text(q, 1) ? (const char *)sqlite3_column_text(q, 1) : "?",
			    (const char *)sqlite3_column_text(q, 0));
	sqlite3_finalize(q);
	return rc == SQLITE_ROW ? 0 : pt_db_fail(db, rc, "cannot read the earlier case", e);
}

int pt_case_load(struct pt_db *db, const struct pt_rules *r, const char *key, struct pt_case *c, struct pt_err *e)
{
	static const char sql[] =
		"SELECT " PT_CASE_COLUMNS ","
		" (SELECT max(json_extract(data, '$.on')) FROM events WHERE petition_id = p.id"
		"  AND kind NOT IN ('routed', 'sent', 'repeat_marked', 'marked_typical', 'unmarked_typical')), " PT_CASE_REPEAT_SQL("p")
		" FROM petitions p WHERE id = ?1";
	sqlite3_stmt *q = NULL;
	long long id;
	long last = -1;
	int rc;

	memset(c, 0, sizeof *c);
	if (pt_case_id(db, r, key, &id, e) || pt_db_cached(db, sql, &q, e))
		return -1;
	sqlite3_bind_int64(q, 1, id);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		pt_case_borrow(q, c);
		c->case_no = pt_db_column_dup(q, PT_CASE_COL_CASE_NO);
		c->unit = pt_db_column_dup(q, PT_CASE_COL_UNIT);
		c->channel = pt_db_column_dup(q, PT_CASE_COL_CHANNEL);
		c->category = pt_db_column_dup(q, PT_CASE_COL_CATEGORY);
		c->addressed_to = pt_db_column_dup(q, PT_CASE_COL_ADDRESSED_TO);
		c->state = pt_db_column_dup(q, PT_CASE_COL_STATE);
		c->holder = pt_db_column_dup(q, PT_CASE_COL_HOLDER);
		c->petitioner = pt_db_column_dup(q, PT_CASE_COL_PETITIONER);
		c->repeat = sqlite3_column_int(q, PT_CASE_NCOLS + 1);
		if (sqlite3_column_type(q, PT_CASE_NCOLS) != SQLITE_NULL &&
		    pt_date_parse((const char *)sqlite3_column_text(q, PT_CASE_NCOLS), &last) && last > c->last_on)
			c->last_on = last;
	}
	sqlite3_reset(q);
	return rc == SQLITE_ROW ? 0 : pt_db_fail(db, rc, "cannot read the case", e);
}

/* ---- its events ---- */

void pt_case_events_add(struct pt_case_events *ev, sqlite3_stmt *q, int col)
{
	const char *kind = (const char *)sqlite3_column_text(q, col);
	const char *day = (const char *)sqlite3_column_text(q, col + 1);
	const char *dl = (const char *)sqlite3_column_text(q, col + 2);
	const char *notified = (const char *)sqlite3_column_text(q, col + 4);
	struct pt_case_event *x;

	if (!kind || !day || strlen(kind) >= sizeof x->kind)
		return;
	if (ev->n + 2 > ev->alloc) {
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
	x->outside = sqlite3_column_int(q, col + 5);
	x->handed_down = sqlite3_column_int(q, col + 6);
	ev->n++;
	if (sqlite3_column_int(q, col + 7)) {
		struct pt_case_event *o = &ev->v[ev->n++];

		memset(o, 0, sizeof *o);
		o->day = x->day;
		memcpy(o->kind, "opened", sizeof "opened");
	}
	if (notified) {
		struct pt_case_event *n = &ev->v[ev->n];

		memset(n, 0, sizeof *n);
		if (pt_date_parse(notified, &n->day)) {
			memcpy(n->kind, "notified", sizeof "notified");
			ev->n++;
		}
	}
}

int pt_case_events_load(struct pt_db *db, long long id, struct pt_case_events *ev, struct pt_err *e)
{
	static const char sql[] = "SELECT " PT_CASE_EVENT_COLUMNS " FROM events WHERE petition_id = ?1 OR (petition_id IS NULL"
				  " AND id IN (SELECT event_id FROM steps WHERE petition_id = ?1)) ORDER BY id";
	sqlite3_stmt *q = NULL;
	int rc;

	if (pt_db_cached(db, sql, &q, e))
		return -1;
	sqlite3_bind_int64(q, 1, id);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW)
		pt_case_events_add(ev, q, 0);
	sqlite3_reset(q);
	return rc == SQLITE_DONE ? 0 : pt_db_fail(db, rc, "cannot read the case's events", e);
}

void pt_case_events_release(struct pt_case_events *ev)
{
	free(ev->v);
	memset(ev, 0, sizeof *ev);
}

int pt_case_event_day(struct pt_db *db, long long id, const char *kind, bool last, long *day, struct pt_err *e)
{
	sqlite3_stmt *q = NULL;
	int rc;

	*day = -1;
	if (pt_db_prepare(db, last ? "SELECT max(" PT_CASE_EVENT_DAY ") FROM events WHERE petition_id = ?1 AND kind = ?2"
				   : "SELECT min(" PT_CASE_EVENT_DAY ") FROM events WHERE petition_id = ?1 AND kind = ?2", &q, e))
		return -1;
	sqlite3_bind_int64(q, 1, id);
	sqlite3_bind_text(q, 2, kind, -1, SQLITE_STATIC);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW && sqlite3_column_type(q, 0) != SQLITE_NULL)
		pt_date_parse((const char *)sqlite3_column_text(q, 0), day);
	sqlite3_finalize(q);
	return rc == SQLITE_ROW ? 0 : pt_db_fail(db, rc, "cannot read the case's events", e);
}

int pt_case_marked(struct pt_db *db, long long id, const char *on, const char *off, bool *yes, struct pt_buf *by,
		   struct pt_err *e)
{
	sqlite3_stmt *q = NULL;
	int rc;

	*yes = false;
	if (pt_db_prepare(db, "SELECT kind = ?2, coalesce(json_extract(data, '$.by'), operator), " PT_CASE_EVENT_DAY
			      " FROM events WHERE petition_id = ?1 AND kind IN (?2, ?3) ORDER BY id DESC LIMIT 1", &q, e))
		return -1;
	sqlite3_bind_int64(q, 1, id);
	sqlite3_bind_text(q, 2, on, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, off, -1, SQLITE_STATIC);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW && sqlite3_column_int(q, 0)) {
		*yes = true;
		if (by)
			pt_buf_addf(by, "%s %s", sqlite3_column_text(q, 1), sqlite3_column_text(q, 2));
	}
	sqlite3_finalize(q);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : pt_db_fail(db, rc, "cannot read the case's events", e);
}

/* ---- its deadlines ---- */

static const struct pt_case_delivery deliveries[] = {
	{ "resolved", "reply_delivered", "reply" },
	{ "reviewed", "review_delivered", "review decision" },
	{ "rereviewed", "rereview_delivered", "re-review decision" },
};

const struct pt_case_delivery *pt_case_delivery_of(const char *decision)
{
	for (size_t i = 0; i < sizeof deliveries / sizeof *deliveries; i++)
		if (!strcmp(deliveries[i].decision, decision))
			return &deliveries[i];
	return NULL;
}

const struct pt_case_delivery *pt_case_delivery_by_event(const char *delivered)
{
	for (size_t i = 0; i < sizeof deliveries / sizeof *deliveries; i++)
		if (!strcmp(deliveries[i].delivered, delivered))
			return &deliveries[i];
	return NULL;
}

bool pt_case_deadline_applies(const struct pt_deadline_rule *d, const struct pt_case *f)
{
	if (d->of_unit)
		return false; /* a unit's deadline, not a case's */
	switch (d->when_code) {
	case PT_WHEN_NAMED_LETTER: return f->named_letter;
	case PT_WHEN_TRANSFERRED: return !strcmp(f->channel, "transfer");
	case PT_WHEN_COLLECTIVE: return f->collective;
	case PT_WHEN_LETTER: return !strcmp(f->channel, "letter");
	case PT_WHEN_VISIT: return !strcmp(f->channel, "visit");
	case PT_WHEN_UNNAMED_LETTER: return !strcmp(f->channel, "letter") && !f->named_letter;
	default: return true; /* PT_WHEN_HANDED_DOWN: by its events, pt_case_handed_down() */
	}
}

bool pt_case_handed_down(const struct pt_case_events *ev)
{
	for (size_t i = 0; i < ev->n; i++)
		if (ev->v[i].handed_down)
			return true;
	return false;
}

/* The first event of this kind on or after `after` (only one that handed the case down, with
 * handed_down), or NULL. */
static const struct pt_case_event *first_matching(const struct pt_case_events *ev, const char *kind, long after,
						  bool handed_down)
{
	const struct pt_case_event *best = NULL;

	for (size_t i = 0; i < ev->n; i++)
		if (!strcmp(ev->v[i].kind, kind) && ev->v[i].day >= after && (!best || ev->v[i].day < best->day) &&
		    (!handed_down || ev->v[i].handed_down))
			best = &ev->v[i];
	return best;
}

/* The first event of this kind on or after `after`, or NULL. */
static const struct pt_case_event *first_of(const struct pt_case_events *ev, const char *kind, long after)
{
	return first_matching(ev, kind, after, false);
}

/* The first day of an event of this kind on or after `after`, or -1. */
static long first_event(const struct pt_case_events *ev, const char *kind, long after)
{
	const struct pt_case_event *x = first_of(ev, kind, after);

	return x ? x->day : -1;
}

void pt_case_deadline_evaluate(const struct pt_calendar *c, const struct pt_case *f,
			       const struct pt_case_events *ev, const struct pt_deadline_rule *d,
			       struct pt_case_deadline *out)
{
	const struct pt_case_event *from = NULL;

	memset(out, 0, sizeof *out);
	out->done = -1;
	if (!d->from_received)
		from = first_matching(ev, d->from, f->received, d->when_code == PT_WHEN_HANDED_DOWN);
	out->start = d->from_received ? f->received : from ? from->day : -1;
	if (d->when_code == PT_WHEN_HANDED_DOWN && !pt_case_handed_down(ev))
		out->start = -1;
	out->started = out->start >= 0;
	if (!out->started)
		return;
	out->outside = from && from->outside;
	/* several extensions, in total at most the rule's; hearings not counted, whatever long */
	for (size_t i = 0; i < ev->n; i++) {
		if (strcmp(ev->v[i].deadline, d->name) || ev->v[i].days <= 0)
			continue;
		if (!strcmp(ev->v[i].kind, "extended"))
			out->extension += ev->v[i].days;
		else if (!strcmp(ev->v[i].kind, "hearing") && ev->v[i].days < 3650)
			out->paused += ev->v[i].days;
	}
	if (out->extension > d->extension)
		out->extension = d->extension;
	pt_deadline_compute(c, out->start, d->days + out->extension + out->paused, d->working, &out->dl);
	for (size_t i = 0; i < d->done_by.n; i++) {
		long day = first_event(ev, d->done_by.v[i], out->start);

		if (day >= 0 && (out->done < 0 || day < out->done)) {
			out->done = day;
			out->done_by = d->done_by.v[i];
		}
	}
}

bool pt_case_overdue(const struct pt_rules *r, const struct pt_case *c, const struct pt_case_events *ev, long today)
{
	static const char *const closed[] = { "closed", "rejected", "transferred_out", "objected", NULL };

	for (int i = 0; closed[i]; i++)
		if (c->state && !strcmp(c->state, closed[i]))
			return false;
	for (size_t i = 0; i < r->ndeadlines; i++) {
		const struct pt_deadline_rule *d = &r->deadlines[i];
		struct pt_case_deadline x;

		if (d->window || !pt_case_deadline_applies(d, c))
			continue;
		pt_case_deadline_evaluate(r->calendar, c, ev, d, &x);
		if (x.started && !x.outside && x.done < 0 && today > x.dl.due)
			return true;
	}
	return false;
}

const char *pt_case_deadline_state(bool window, long today, long due, long done, long left)
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
			     const struct pt_case_deadline *x, struct pt_buf *skipped)
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
static void view_one(const struct pt_calendar *c, const struct pt_case *f, const struct pt_case_events *ev,
		     const struct pt_deadline_rule *d, long today,
		     void (*each)(void *ctx, const struct pt_deadline_view *v), void *ctx)
{
	struct pt_buf rule = PT_BUF_INIT, skipped = PT_BUF_INIT, state = PT_BUF_INIT;
	char from_date[PT_DATE_LEN] = "", due[PT_DATE_LEN] = "", left_s[24] = "";
	struct pt_case_deadline x;

	pt_case_deadline_evaluate(c, f, ev, d, &x);
	pt_buf_addf(&rule, "%d %s days", d->days, d->working ? "working" : "calendar");
	if (x.extension)
		pt_buf_addf(&rule, " + %d extended", x.extension);
	if (x.paused)
		pt_buf_addf(&rule, " + %d hearing days not counted", x.paused);
	if (!x.started) {
		const struct pt_case_delivery *dv = pt_case_delivery_by_event(d->from);
		long decided = dv ? first_event(ev, dv->decision, f->received) : -1;

		pt_buf_adds(&state, "not started");
		if (decided >= 0) {
			char on[PT_DATE_LEN];

			pt_date_format(decided, on);
			pt_buf_addf(&state, ": the %s of %s has not been delivered (petition case deliver)", dv->what, on);
		}
	} else if (x.outside && x.done < 0) {
		pt_date_format(x.start, from_date);
		pt_date_format(x.dl.due, due);
		pt_buf_adds(&state, "with the reviewing body outside this database");
	} else {
		bool prov = false;
		long left = pt_deadline_left(c, today, x.dl.due, &prov);

		pt_date_format(x.start, from_date);
		pt_date_format(x.dl.due, due);
		describe_skipped(c, d, &x, &skipped);
		pt_buf_adds(&state, pt_case_deadline_state(d->window, today, x.dl.due, x.done, left));
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

int pt_case_deadlines(struct pt_db *db, const struct pt_rules *r, const char *case_key, long today,
		      void (*each)(void *ctx, const struct pt_deadline_view *v), void *ctx, struct pt_err *e)
{
	struct pt_case_events ev = { NULL, 0, 0 };
	struct pt_case c;
	int rc = pt_case_load(db, r, case_key, &c, e);

	if (rc == 0)
		rc = pt_case_events_load(db, c.id, &ev, e);
	for (size_t i = 0; i < r->ndeadlines && rc == 0; i++)
		if (pt_case_deadline_applies(&r->deadlines[i], &c) &&
		    (r->deadlines[i].when_code != PT_WHEN_HANDED_DOWN || pt_case_handed_down(&ev)))
			view_one(r->calendar, &c, &ev, &r->deadlines[i], today, each, ctx);
	pt_case_release(&c);
	pt_case_events_release(&ev);
	return rc;
}

/* ---- its windows ---- */

/* What a deadline counts from, in a message. */
static void start_name(const struct pt_deadline_rule *d, struct pt_buf *b)
{
	const struct pt_case_delivery *dv = pt_case_delivery_by_event(d->from);

	if (d->from_received)
		pt_buf_adds(b, "receipt");
	else if (dv)
		pt_buf_addf(b, "delivery of the %s", dv->what);
	else
		pt_buf_adds(b, d->from);
}

int pt_case_window_check(struct pt_db *db, const struct pt_rules *r, const struct pt_case *c, const char *verb,
			 const char *request, long on_day, struct pt_err *e)
{
	struct pt_case_events ev = { NULL, 0, 0 };
	char from[PT_DATE_LEN], due[PT_DATE_LEN], on[PT_DATE_LEN];
	int rc = pt_case_events_load(db, c->id, &ev, e);

	/* worked out as explain and the due list work them out: pt_case_deadline_evaluate */
	for (size_t i = 0; rc == 0 && i < r->ndeadlines; i++) {
		const struct pt_deadline_rule *d = &r->deadlines[i];
		struct pt_buf what = PT_BUF_INIT;
		struct pt_case_deadline x;

		if (!pt_strv_has(&d->done_by, request))
			continue;
		pt_case_deadline_evaluate(r->calendar, c, &ev, d, &x);
		if (!x.started || on_day <= x.dl.due)
			continue;
		pt_date_format(x.start, from);
		pt_date_format(x.dl.due, due);
		pt_date_format(on_day, on);
		start_name(d, &what);
		rc = pt_err_set(e, PT_EDATA, "%s on %s is too late: it had to come by %s (%d %s days from the %s on %s; %s)",
				verb, on, due, d->days, d->working ? "working" : "calendar", what.buf, from, d->name);
		pt_buf_release(&what);
	}
	pt_case_events_release(&ev);
	return rc;
}

/* ---- its steps and its state: the writes of a case, inside a change (change.h) ---- */


int pt_case_update(struct pt_db *db, const char *sql, long long id, const char *s2, const char *s3, long *changes,
	       struct pt_err *e)
{
	sqlite3_stmt *q = NULL;
	int rc;

	if (pt_db_prepare(db, sql, &q, e))
		return -1;
	sqlite3_bind_int64(q, 1, id);
	pt_db_bind_text(q, 2, s2);
	pt_db_bind_text(q, 3, s3);
	rc = sqlite3_step(q);
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE)
		return pt_db_fail(db, rc, "cannot update the case", e);
	if (changes)
		*changes = sqlite3_changes(db->sql);
	return 0;
}

int pt_case_cancel_steps(struct pt_db *db, long long id, const char *action, const char *rule, long *n,
			 struct pt_err *e)
{
	return pt_case_update(db, "UPDATE steps SET state = 'cancelled' WHERE petition_id = ?1 AND state = 'pending'"
		       " AND (?2 IS NULL OR action = ?2) AND (?3 IS NULL OR rule = ?3)", id, action, rule, n, e);
}

int pt_case_set_state(struct pt_db *db, long long id, const char *state, struct pt_err *e)
{
	return pt_case_update(db, "UPDATE petitions SET state = ?2, holder = (SELECT holder FROM steps WHERE petition_id = ?1"
		       " AND state = 'pending' ORDER BY seq LIMIT 1) WHERE id = ?1", id, state, NULL, NULL, e);
}

void pt_case_step_release(struct pt_case_step *st)
{
	free(st->holder);
	free(st->action);
	memset(st, 0, sizeof *st);
}

int pt_case_pending_step(struct pt_db *db, long long id, const char *action, const char *holder, long seq,
			 struct pt_case_step *out, bool *found, struct pt_err *e)
{
	static const char sql[] =
		"SELECT seq, holder, action FROM steps WHERE petition_id = ?1 AND state = 'pending'"
		" AND (?2 IS NULL OR action = ?2) AND (?3 IS NULL OR holder = ?3) AND (?4 = 0 OR seq = ?4)"
		" ORDER BY seq LIMIT 1";
	sqlite3_stmt *q = NULL;
	int rc;

	memset(out, 0, sizeof *out);
	if (pt_db_prepare(db, sql, &q, e))
		return -1;
	sqlite3_bind_int64(q, 1, id);
	pt_db_bind_text(q, 2, action);
	pt_db_bind_text(q, 3, holder);
	sqlite3_bind_int64(q, 4, seq);
	rc = sqlite3_step(q);
	*found = rc == SQLITE_ROW;
	if (*found) {
		out->seq = sqlite3_column_int64(q, 0);
		out->holder = pt_db_column_dup(q, 1);
		out->action = pt_db_column_dup(q, 2);
	}
	sqlite3_finalize(q);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : pt_db_fail(db, rc, "cannot read the case's steps", e);
}

int pt_case_step_done(struct pt_db *db, long long id, long seq, long on, const char *note, struct pt_err *e)
{
	sqlite3_stmt *q = NULL;
	char d[PT_DATE_LEN];
	int rc;

	pt_date_format(on, d);
	if (pt_db_prepare(db, "UPDATE steps SET state = 'done', done_on = ?3, note = coalesce(?4, note)"
			      " WHERE petition_id = ?1 AND seq = ?2", &q, e))
		return -1;
	sqlite3_bind_int64(q, 1, id);
	sqlite3_bind_int64(q, 2, seq);
	sqlite3_bind_text(q, 3, d, -1, SQLITE_STATIC);
	pt_db_bind_text(q, 4, note);
	rc = sqlite3_step(q);
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? 0 : pt_db_fail(db, rc, "cannot mark the step done", e);
}

int pt_case_steps_all_done(struct pt_db *db, long long id, long on, long *n, struct pt_err *e)
{
	char d[PT_DATE_LEN];

	pt_date_format(on, d);
	return pt_case_update(db, "UPDATE steps SET state = 'done', done_on = ?2 WHERE petition_id = ?1 AND state = 'pending'",
		   id, d, NULL, n, e);
}

const char pt_case_step_insert_sql[] =
	"INSERT INTO steps (petition_id, seq, holder, action, rule, state, done_on, event_id)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";

int pt_case_step_insert(struct pt_db *db, sqlite3_stmt *q, long long id, long seq, const char *holder,
			const char *action, const char *rule, const char *done_on, long long event_id,
			struct pt_err *e)
{
	int rc;

	sqlite3_reset(q);
	sqlite3_bind_int64(q, 1, id);
	sqlite3_bind_int64(q, 2, seq);
	sqlite3_bind_text(q, 3, holder, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 4, action, -1, SQLITE_STATIC);
	pt_db_bind_text(q, 5, rule);
	sqlite3_bind_text(q, 6, done_on ? "done" : "pending", -1, SQLITE_STATIC);
	pt_db_bind_text(q, 7, done_on);
	sqlite3_bind_int64(q, 8, event_id);
	rc = sqlite3_step(q);
	return rc == SQLITE_DONE ? 0 : pt_db_fail(db, rc, "cannot record the step", e);
}

int pt_case_steps_last(struct pt_db *db, long long id, long *seq, struct pt_err *e)
{
	sqlite3_stmt *q = NULL;
	int rc;

	if (pt_db_prepare(db, "SELECT coalesce(max(seq), 0) FROM steps WHERE petition_id = ?1", &q, e))
		return -1;
	sqlite3_bind_int64(q, 1, id);
	rc = sqlite3_step(q);
	*seq = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	return rc == SQLITE_ROW ? 0 : pt_db_fail(db, rc, "cannot read the case's steps", e);
}

int pt_case_steps_first_pending(struct pt_db *db, long long id, const char *action, long *seq, struct pt_err *e)
{
	sqlite3_stmt *q = NULL;
	int rc;

	if (pt_db_prepare(db, "SELECT coalesce(min(seq), 0) FROM steps WHERE petition_id = ?1 AND state = 'pending'"
			      " AND (?2 IS NULL OR action = ?2)", &q, e))
		return -1;
	sqlite3_bind_int64(q, 1, id);
	pt_db_bind_text(q, 2, action);
	rc = sqlite3_step(q);
	*seq = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	return rc == SQLITE_ROW ? 0 : pt_db_fail(db, rc, "cannot read the case's steps", e);
}

/* Every step from `at` on moves up by one through negative numbers, which keeps seq unique
 * at every row (the session records each step's new seq, petition(7)). */
int pt_case_steps_make_room(struct pt_db *db, long long id, long at, long *seq, struct pt_err *e)
{
	static const char *const sql[] = {
		"UPDATE steps SET seq = -(seq + 1) WHERE petition_id = ?1 AND seq >= ?2",
		"UPDATE steps SET seq = -seq WHERE petition_id = ?1 AND seq < 0",
	};
	sqlite3_stmt *q = NULL;
	int rc;

	if (at <= 0 && pt_case_steps_first_pending(db, id, NULL, &at, e))
		return -1;
	if (at <= 0)
		return pt_case_steps_last(db, id, seq, e) ? -1 : (++*seq, 0);
	for (int i = 0; i < 2; i++) {
		if (pt_db_prepare(db, sql[i], &q, e))
			return -1;
		sqlite3_bind_int64(q, 1, id);
		sqlite3_bind_int64(q, 2, at);
		rc = sqlite3_step(q);
		sqlite3_finalize(q);
		if (rc != SQLITE_DONE)
			return pt_db_fail(db, rc, "cannot renumber the case's steps", e);
	}
	*seq = at;
	return 0;
}

int pt_case_steps_insert_many(struct pt_db *db, size_t n, sqlite3_stmt **q, struct pt_err *e)
{
	struct pt_buf sql = PT_BUF_INIT;
	int rc;

	/* OR FAIL: a statement that may stop half-way with ABORT makes SQLite copy every page it
	 * changes aside first (the statement journal); the caller's transaction rolls back on
	 * any failure anyway. */
	pt_buf_adds(&sql, "INSERT OR FAIL INTO main.steps (id, petition_id, seq, holder, action, rule, state, event_id) VALUES ");
	for (size_t i = 0; i < n; i++)
		pt_buf_addf(&sql, "%s(?%zu, ?%zu, ?%zu, ?%zu, ?%zu, ?%zu, 'pending', ?%zu)", i ? ", " : "", 6 * i + 1,
			    6 * i + 2, 6 * i + 3, 6 * i + 4, 6 * i + 5, 6 * i + 6, 6 * n + 1);
	rc = pt_db_prepare(db, sql.buf, q, e);
	pt_buf_release(&sql);
	return rc;
}
