#include "route.h"
#include "buf.h"
#include "cal.h"
#include "casefile.h"
#include "change.h"
#include "csv.h"
#include "event.h"
#include "hash.h"
#include "vocab.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct pt_col pt_route_cols[] = {
	{ "case_no", false }, { "step", true }, { "holder", false }, { "action", false }, { "rule", false },
};
const size_t pt_route_ncols = sizeof pt_route_cols / sizeof *pt_route_cols;

const struct pt_col pt_route_explain_cols[] = {
	{ "rule", false }, { "result", false }, { "detail", false },
};
const size_t pt_route_explain_ncols = sizeof pt_route_explain_cols / sizeof *pt_route_explain_cols;

/* ---- matching ---- */

static void add_why(struct pt_buf *why, const char *fmt, ...) PT_PRINTF(2, 3);

static void add_why(struct pt_buf *why, const char *fmt, ...)
{
	va_list ap;

	if (!why)
		return;
	if (why->len)
		pt_buf_adds(why, "; ");
	va_start(ap, fmt);
	pt_buf_vaddf(why, fmt, ap);
	va_end(ap);
}

static void add_list(struct pt_buf *b, const struct pt_strv *v)
{
	for (size_t i = 0; i < v->n; i++)
		pt_buf_addf(b, "%s%s", i ? "/" : "", v->v[i]);
}

/* A list condition: holds when the list is empty or has the value. */
static bool list_holds(const struct pt_strv *v, const char *value, const char *what, struct pt_buf *why)
{
	struct pt_buf want = PT_BUF_INIT;

	if (!v->n || pt_strv_has(v, value))
		return true;
	if (!why)
		return false; /* routing many cases: no reasons wanted */
	add_list(&want, v);
	add_why(why, "%s is %s, not %s", what, value, want.buf);
	pt_buf_release(&want);
	return false;
}

static bool cond_holds(enum pt_cond c, bool fact, const char *yes, const char *no, struct pt_buf *why)
{
	if (c == PT_COND_ANY || (c == PT_COND_YES) == fact)
		return true;
	add_why(why, "%s", fact ? yes : no);
	return false;
}

/* Who a step's target is for the case, or NULL (with why) when nobody. */
static const char *target(const struct pt_rules *r, const struct pt_route_step *st, const struct pt_route_facts *f,
			  struct pt_buf *why)
{
	const struct pt_leader *l;

	switch (st->to) {
	case PT_TO_NAMED_LEADER:
		if (f->addressed_to && *f->addressed_to && pt_rules_leader(r, f->addressed_to))
			return f->addressed_to;
		/* a name that is no leader's: the principal leader reads it (petition(7)) */
		if (f->addressed_to && *f->addressed_to && (l = pt_rules_principal(r, f->unit)))
			return l->name;
		add_why(why, "the letter names no leader in the rules");
		return NULL;
	case PT_TO_LEADER_IN_CHARGE:
		if ((l = pt_rules_leader_in_charge(r, f->unit, f->category)))
			return l->name;
		add_why(why, "no leader is in charge of %s", f->category);
		return NULL;
	case PT_TO_PRINCIPAL:
		if ((l = pt_rules_principal(r, f->unit)))
			return l->name;
		add_why(why, "no principal leader for %s", f->unit);
		return NULL;
	case PT_TO_LETTER_OFFICE: /* rules check makes sure there is one */
		return pt_rules_letter_office(r)->name;
	case PT_TO_PETITION_DEPT:
		return pt_rules_petition_department(r)->name;
	default:
		return st->name;
	}
}

bool pt_route_rule_matches(const struct pt_rules *r, const struct pt_route_rule *rr,
			   const struct pt_route_facts *f, const char **holders, struct pt_buf *why)
{
	bool ok = list_holds(&rr->channels, f->channel, "channel", why);

	ok &= cond_holds(rr->named, f->named_letter, "the letter names a leader", "no leader is named", why);
	ok &= list_holds(&rr->categories, f->category, "category", why);
	ok &= list_holds(&rr->units, f->unit, "unit", why);
	if (rr->min_persons && f->persons < rr->min_persons) {
		add_why(why, "%ld person%s, fewer than %d", f->persons, f->persons == 1 ? "" : "s", rr->min_persons);
		ok = false;
	}
	ok &= cond_holds(rr->collective, f->collective, "a collective visit", "not a collective visit", why);
	ok &= cond_holds(rr->transferred, !strcmp(f->channel, "transfer"), "transferred from above",
			 "not transferred from above", why);
	ok &= cond_holds(rr->repeat, f->repeat, "a repeat petition", "not a repeat petition", why);
	for (size_t k = 0; ok && k < rr->nsteps; k++)
		ok = (holders[k] = target(r, &rr->steps[k], f, why)) != NULL;
	return ok;
}

/* The built-in rule tried before the rules: a final matter (终结) goes to the petition
 * department, which proposes 不予受理 with the earlier case as the reason. */
static struct pt_route_step final_step = { PT_TO_PETITION_DEPT, NULL, PT_ACT_HANDLE, 0, 0 };
static const struct pt_route_rule final_rule = {
	.name = (char *)"final", .title = (char *)"终结：同一事项已复核，信访部门拟不予受理",
	.steps = &final_step, .nsteps = 1,
};

const struct pt_route_rule *pt_route_match(const struct pt_rules *r, const struct pt_route_facts *f,
					   const char **holders)
{
	if (f->final && pt_route_rule_matches(r, &final_rule, f, holders, NULL))
		return &final_rule;
	for (size_t i = 0; i < r->nrouting; i++)
		if (pt_route_rule_matches(r, &r->routing[i], f, holders, NULL))
			return &r->routing[i];
	return NULL;
}

static void facts_of_case(const struct pt_case *c, struct pt_route_facts *f)
{
	f->unit = c->unit;
	f->channel = c->channel;
	f->category = c->category;
	f->addressed_to = c->addressed_to;
	f->persons = c->persons;
	f->collective = c->collective;
	f->repeat = c->repeat;
	f->named_letter = c->named_letter;
	f->final = false;
}

/* The case's facts, with whether it is final. */
static int facts_load(struct pt_db *db, const struct pt_case *c, struct pt_route_facts *f, struct pt_err *e)
{
	sqlite3_stmt *q = NULL;
	int rc;

	facts_of_case(c, f);
	if (pt_db_prepare(db, "SELECT " PT_CASE_FINAL_SQL("p") " FROM petitions p WHERE id = ?1", &q, e))
		return -1;
	sqlite3_bind_int64(q, 1, c->id);
	rc = sqlite3_step(q);
	f->final = rc == SQLITE_ROW && sqlite3_column_int(q, 0);
	sqlite3_finalize(q);
	return rc == SQLITE_ROW ? 0 : pt_db_fail(db, rc, "cannot read the case", e);
}

/* Why routing did what it did with a final case or a letter naming no leader, for a person:
 * into note (reset first); empty for others. */
static int route_note(struct pt_db *db, const struct pt_case *c, const struct pt_route_facts *f, struct pt_buf *note,
		      struct pt_err *e)
{
	pt_buf_reset(note);
	if (f->final) {
		if (pt_case_final_text(db, c, note, e))
			return -1;
		pt_buf_adds(note, "；拟不予受理 (petition case reject)");
	}
	if (c->named_letter && c->addressed_unknown)
		pt_buf_addf(note, "%sthe letter names %s, who is not a leader in the rules: the principal leader instructs",
			    note->len ? "; " : "", c->addressed_to);
	return 0;
}

/* Most steps a rule can have: `to` and the `then` list. */
static size_t max_steps(const struct pt_rules *r)
{
	size_t n = 1;

	for (size_t i = 0; i < r->nrouting; i++)
		if (r->routing[i].nsteps > n)
			n = r->routing[i].nsteps;
	return n;
}

/* ---- writing steps ---- */

static int step_row(struct pt_fmt *out, const char *case_no, long seq, const char *holder, const char *action,
		    const char *rule, struct pt_err *e)
{
	char s[24];

	if (!out)
		return 0;
	snprintf(s, sizeof s, "%ld", seq);
	const char *v[] = { case_no, s, holder, action, rule ? rule : "manual" };

	return pt_fmt_row(out, v, e);
}

/* Cancel the pending steps of `action` (all when NULL) for a step that takes them over;
 * *at gets where the new step goes: right after the first one cancelled, or 0 (before the
 * pending steps) when none was. */
static int take_over(struct pt_db *db, long long id, const char *action, long *at, long *cancelled,
		     struct pt_err *e)
{
	long first = 0;

	if (action && pt_case_steps_first_pending(db, id, action, &first, e))
		return -1;
	*at = first ? first + 1 : 0;
	return pt_case_cancel_steps(db, id, action, NULL, cancelled, e);
}

/* ---- what a case has done already ----
 *
 * Routing (again) does not ask for a step a case has done: a done step of the same holder
 * and action; and no instruction when the case has one (whichever leader gave it, as
 * petition case instruct counts it; on a named letter only its leader, or another with
 * --force, can have given it). */

struct done_item {
	long long id;
	char *holder;            /* "" for any (an instruction recorded) */
	char action[16];
};

/* Sorted by case id. */
struct done_list {
	struct done_item *v;
	size_t n, alloc;
};

static const char done_sql[] =
	"SELECT petition_id, holder, action FROM steps WHERE petition_id BETWEEN ?1 AND ?2 AND state = 'done'"
	" UNION ALL SELECT petition_id, '', 'instruct' FROM events"
	" WHERE petition_id BETWEEN ?1 AND ?2 AND kind = 'instructed' ORDER BY 1";

static void done_clear(struct done_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i].holder);
	l->n = 0;
}

static void done_free(struct done_list *l)
{
	done_clear(l);
	free(l->v);
	l->v = NULL;
	l->alloc = 0;
}

/* Add what the cases with ids in [first, last] have done (q prepared from done_sql), after
 * what the list holds of cases before them. */
static int done_load(struct pt_db *db, sqlite3_stmt *q, long long first, long long last, struct done_list *l,
		     struct pt_err *e)
{
	int rc;

	sqlite3_reset(q);
	sqlite3_bind_int64(q, 1, first);
	sqlite3_bind_int64(q, 2, last);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		const char *holder = (const char *)sqlite3_column_text(q, 1);
		const char *action = (const char *)sqlite3_column_text(q, 2);
		struct done_item *d;

		if (!holder || !action || strlen(action) >= sizeof d->action)
			continue;
		if (l->n == l->alloc) {
			l->alloc = l->alloc ? 2 * l->alloc : 16;
			l->v = pt_xrealloc(l->v, l->alloc * sizeof *l->v);
		}
		d = &l->v[l->n++];
		d->id = sqlite3_column_int64(q, 0);
		d->holder = pt_xstrdup(holder);
		memcpy(d->action, action, strlen(action) + 1);
	}
	sqlite3_reset(q);
	return rc == SQLITE_DONE ? 0 : pt_db_fail(db, rc, "cannot read what the cases have done", e);
}

/* Has case `id` done this step? Cases are asked in id order: *pos moves forward through
 * the list. */
static bool done_has(const struct done_list *l, size_t *pos, long long id, const char *holder, const char *action)
{
	while (*pos < l->n && l->v[*pos].id < id)
		(*pos)++;
	for (size_t i = *pos; i < l->n && l->v[i].id == id; i++)
		if (!strcmp(l->v[i].action, action) && (!*l->v[i].holder || !strcmp(l->v[i].holder, holder)))
			return true;
	return false;
}

/* ---- every registered case ----
 *
 * A page of cases at a time, in id order (the order of the table, so that each page of it is
 * changed once; the order of an index would come back to the same pages once per unit and
 * write them to the WAL over and over). For each page: its cases are read and copied out
 * (SQLite does not promise what a running query sees of rows changed under it); each is
 * matched and its steps kept; then the page's steps go into `steps` by INSERTs of many rows
 * each, and its cases are moved to assigned by one UPDATE of each run of matched cases,
 * which takes each case's holder from its first new step (UPDATE_SQL).
 * Statements over a range keep SQLite's cursors moving forward instead of seeking from the
 * root for every row: routing a million cases takes about 2/3 of the time it does row by
 * row (bench/README.md). Memory is one page, whatever the number of cases. */

#define PAGE 4096
#define PT_STR_(x) #x
#define PT_STR(x) PT_STR_(x)

/* The texts of a case of the page, in the order the page's query reads them from column 1. */
enum { TEXT_CASE_NO, TEXT_UNIT, TEXT_CHANNEL, TEXT_CATEGORY, TEXT_ADDRESSED_TO, NTEXTS };

/* A case of the page, copied out of the query. */
struct page_case {
	long long id;
	const char *case_no, *unit, *channel, *category, *addressed_to; /* in the page's text */
	size_t text[NTEXTS];     /* where they are in it, SIZE_MAX for NULL, while it grows */
	long persons;
	bool collective, repeat, named_letter, final;
	bool matched;            /* a rule matched it: it moves to assigned */
	long last_seq;           /* the number of its last step (a case reopened back to registered) */
};

/* A step of the page, to be written (the strings are the rules' or the page's). */
struct staged {
	long long step_id;       /* the row's id, given, so that a page's steps are one id range */
	long long id;
	long seq;
	const char *holder, *action, *rule;
};

/* A run of the page's cases in [?1, ?2] moved to assigned, each with the holder of its first
 * step of this run's event ?3, NULL when all its steps were done already. No SQL function:
 * SQLite cannot tell that one never fails, and for a statement that may fail half-way
 * through many rows it keeps a copy of every page the statement changes, to undo it (the
 * statement journal: 440 MB of the 780 MB written routing 200,000 cases). OR FAIL for the
 * same reason: the run's one transaction rolls back on any failure anyway. PT_SEEN: a run
 * may span the ids of an import still being written. "+event_id"
 * keeps SQLite on the (petition_id, seq) index instead of the event's, which holds every
 * step of the run. */
#define UPDATE_SQL                                                                                          \
	"UPDATE OR FAIL main.petitions NOT INDEXED SET state = 'assigned', holder = (SELECT holder FROM main.steps" \
	" WHERE petition_id = petitions.id AND +event_id = ?3 ORDER BY seq LIMIT 1)"                          \
	" WHERE id BETWEEN ?1 AND ?2 AND state = 'registered' AND" PT_SEEN("petitions")

/* Steps written by one INSERT of this many rows (6 parameters each). */
#define CHUNK 128

struct batch {
	struct pt_db *db;
	const struct pt_rules *r;
	const struct pt_route_opts *o;
	struct pt_fmt *out;
	struct pt_route_result *res;
	sqlite3_stmt *read, *seqs, *done, *chunk, *one, *update, *marks;
	struct done_list done_list;
	size_t done_at;          /* where route_case() is in done_list */
	long long next_step_id;
	struct pt_change *ch;    /* the run's one write: its steps digested, not listed */
	struct pt_buf no_new_steps;  /* ids of cases routed with every step done already, JSON */
	long long event_id;
	long long after;         /* the cases after this id are still to be read */
	unsigned long long total, seen; /* registered cases at the start; read so far */
	const char **holders;
	struct page_case *page;
	size_t n;                /* cases in the page */
	struct pt_buf text;      /* the texts of the page's cases, each ended by its NUL: one
	                          * buffer rather than five allocations a case */
	struct staged *staged;   /* the page's steps, to be written */
	size_t nstaged, staged_alloc;
};

static void page_free(struct batch *b)
{
	pt_buf_reset(&b->text);
	b->n = 0;
}

/* Copy the texts of the query's current row (columns 1 to NTEXTS) into the page's text. */
static void texts_add(struct batch *b, struct page_case *c, sqlite3_stmt *q)
{
	for (int k = 0; k < NTEXTS; k++) {
		const unsigned char *t = sqlite3_column_text(q, k + 1);

		c->text[k] = t ? b->text.len : SIZE_MAX;
		if (t)
			pt_buf_add(&b->text, t, (size_t)sqlite3_column_bytes(q, k + 1) + 1);
	}
}

/* Point each case of the page to its texts, once the text has stopped growing. */
static void texts_point(struct batch *b)
{
	for (size_t i = 0; i < b->n; i++) {
		struct page_case *c = &b->page[i];
		const char *t[NTEXTS];

		for (int k = 0; k < NTEXTS; k++)
			t[k] = c->text[k] == SIZE_MAX ? NULL : b->text.buf + c->text[k];
		c->case_no = t[TEXT_CASE_NO];
		c->unit = t[TEXT_UNIT];
		c->channel = t[TEXT_CHANNEL];
		c->category = t[TEXT_CATEGORY];
		c->addressed_to = t[TEXT_ADDRESSED_TO];
	}
}

static int last_step_id(struct pt_db *db, long long *id, struct pt_err *e)
{
	sqlite3_stmt *q = NULL;
	int rc;

	if (pt_db_prepare(db, "SELECT coalesce(max(id), 0) FROM steps", &q, e))
		return -1;
	rc = sqlite3_step(q);
	*id = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	return rc == SQLITE_ROW ? 0 : pt_db_fail(db, rc, "cannot read the steps", e);
}

static int batch_prepare(struct batch *b, struct pt_err *e)
{
	static const char *const sql[] = {
		"SELECT id, case_no, unit, channel, category, addressed_to, persons, collective,"
		" repeat, named_letter, " PT_CASE_FINAL_SQL("petitions")
		" FROM petitions NOT INDEXED WHERE id > ?1 AND state = 'registered' AND" PT_SEEN("petitions")
		"ORDER BY id LIMIT " PT_STR(PAGE),
		"SELECT petition_id, max(seq) FROM steps WHERE petition_id BETWEEN ?1 AND ?2 GROUP BY petition_id"
		" ORDER BY petition_id",
		UPDATE_SQL,
		done_sql,
		"SELECT petition_id, json_extract(data, '$.repeat') FROM events WHERE petition_id BETWEEN ?1 AND ?2"
		" AND kind = 'repeat_marked' ORDER BY id",
	};
	sqlite3_stmt **st[] = { &b->read, &b->seqs, &b->update, &b->done, &b->marks };

	for (size_t i = 0; i < sizeof st / sizeof *st; i++)
		if (pt_db_prepare(b->db, sql[i], st[i], e))
			return -1;
	if (last_step_id(b->db, &b->next_step_id, e))
		return -1;
	b->next_step_id++;
	return pt_case_steps_insert_many(b->db, CHUNK, &b->chunk, e) || pt_case_steps_insert_many(b->db, 1, &b->one, e)
		       ? -1 : 0;
}

static void batch_release(struct batch *b)
{
	sqlite3_stmt *st[] = { b->read, b->seqs, b->done, b->chunk, b->one, b->update, b->marks };

	for (size_t i = 0; i < sizeof st / sizeof *st; i++)
		sqlite3_finalize(st[i]);
	page_free(b);
	done_free(&b->done_list);
	free(b->page);
	free(b->staged);
	free(b->holders);
	pt_buf_release(&b->text);
	pt_buf_release(&b->no_new_steps);
}

/* The repeat marks corrected by hand (petition case repeat) of the page's cases i..j-1, a
 * run of ids: the latest of each case is what routing sees (PT_CASE_REPEAT_SQL), read by
 * one range of the events' index rather than one look-up per case. */
static int marks_load(struct batch *b, size_t i, size_t j, struct pt_err *e)
{
	sqlite3_stmt *q = b->marks;
	size_t k = i;
	int rc;

	sqlite3_reset(q);
	sqlite3_bind_int64(q, 1, b->page[i].id);
	sqlite3_bind_int64(q, 2, b->page[j - 1].id);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		long long id = sqlite3_column_int64(q, 0);

		for (k = i; k < j && b->page[k].id != id; k++)
			;
		if (k < j && sqlite3_column_type(q, 1) != SQLITE_NULL)
			b->page[k].repeat = sqlite3_column_int(q, 1);
	}
	sqlite3_reset(q);
	return rc == SQLITE_DONE ? 0 : pt_db_fail(b->db, rc, "cannot read the cases' repeat marks", e);
}

/* Read the next page of registered cases, with the number of the last step of those that
 * have steps already. */
static int page_read(struct batch *b, struct pt_err *e)
{
	size_t k = 0;
	int rc;

	page_free(b);
	sqlite3_reset(b->read);
	sqlite3_bind_int64(b->read, 1, b->after);
	while ((rc = sqlite3_step(b->read)) == SQLITE_ROW) {
		struct page_case *c = &b->page[b->n++];

		c->id = sqlite3_column_int64(b->read, 0);
		texts_add(b, c, b->read);
		c->persons = sqlite3_column_int64(b->read, 6);
		c->collective = sqlite3_column_int(b->read, 7);
		c->repeat = sqlite3_column_int(b->read, 8);
		c->named_letter = sqlite3_column_int(b->read, 9);
		c->final = sqlite3_column_int(b->read, 10);
		c->matched = false;
		c->last_seq = 0;
	}
	sqlite3_reset(b->read);
	if (rc != SQLITE_DONE)
		return pt_db_fail(b->db, rc, "cannot read the cases", e);
	if (!b->n)
		return 0;
	texts_point(b);
	b->after = b->page[b->n - 1].id;
	sqlite3_reset(b->seqs);
	sqlite3_bind_int64(b->seqs, 1, b->page[0].id);
	sqlite3_bind_int64(b->seqs, 2, b->after);
	while ((rc = sqlite3_step(b->seqs)) == SQLITE_ROW) {
		long long id = sqlite3_column_int64(b->seqs, 0);

		while (k < b->n && b->page[k].id < id)
			k++;
		if (k < b->n && b->page[k].id == id)
			b->page[k].last_seq = sqlite3_column_int64(b->seqs, 1);
	}
	sqlite3_reset(b->seqs);
	if (rc != SQLITE_DONE)
		return pt_db_fail(b->db, rc, "cannot read the cases' steps", e);
	/* By runs of consecutive ids: a case left registered long ago (reopened, or matched by
	 * no rule) must not make the page's range span the whole table. */
	done_clear(&b->done_list);
	b->done_at = 0;
	for (size_t i = 0, j; i < b->n; i = j) {
		for (j = i + 1; j < b->n && b->page[j].id == b->page[j - 1].id + 1; j++)
			;
		if (done_load(b->db, b->done, b->page[i].id, b->page[j - 1].id, &b->done_list, e) ||
		    marks_load(b, i, j, e))
			return -1;
	}
	return 0;
}

/* Match one case and stage its steps. */
static int route_case(struct batch *b, struct page_case *c, struct pt_err *e)
{
	const struct pt_route_facts f = { c->unit, c->channel, c->category, c->addressed_to, c->persons,
					  c->collective, c->repeat, c->named_letter, c->final };
	const struct pt_route_rule *rr = pt_route_match(b->r, &f, b->holders);
	unsigned long long steps = b->res->steps;
	long seq = c->last_seq;

	if (!rr) {
		b->res->unmatched++;
		if (b->o->on_unmatched)
			b->o->on_unmatched(b->o->ctx, c->case_no);
		return 0;
	}
	c->matched = true;
	for (size_t k = 0; k < rr->nsteps; k++) {
		const char *action = pt_vocab_code_at(PT_VOCAB_ACTION, rr->steps[k].action);
		struct staged *x;

		if (done_has(&b->done_list, &b->done_at, c->id, b->holders[k], action))
			continue;
		if (b->nstaged == b->staged_alloc) {
			b->staged_alloc = b->staged_alloc ? 2 * b->staged_alloc : PAGE;
			b->staged = pt_xrealloc(b->staged, b->staged_alloc * sizeof *b->staged);
		}
		x = &b->staged[b->nstaged++];
		x->step_id = b->next_step_id++;
		x->id = c->id;
		x->seq = ++seq;
		x->holder = b->holders[k];
		x->action = action;
		x->rule = rr->name;
		b->res->steps++;
		if (step_row(b->out, c->case_no, seq, x->holder, action, rr->name, e))
			return -1;
	}
	if (b->res->steps == steps) /* every step of its rule done already: the event must name it */
		pt_buf_addf(&b->no_new_steps, "%s%lld", b->no_new_steps.len ? "," : "", c->id);
	b->res->routed++;
	return 0;
}

/* Insert n staged steps from `from` with statement q (made for n rows). */
static int insert_staged(struct batch *b, sqlite3_stmt *q, const struct staged *from, size_t n, struct pt_err *e)
{
	int rc;

	sqlite3_reset(q);
	for (size_t i = 0; i < n; i++) {
		int p = (int)(6 * i);

		sqlite3_bind_int64(q, p + 1, from[i].step_id);
		sqlite3_bind_int64(q, p + 2, from[i].id);
		sqlite3_bind_int64(q, p + 3, from[i].seq);
		sqlite3_bind_text(q, p + 4, from[i].holder, -1, SQLITE_STATIC);
		sqlite3_bind_text(q, p + 5, from[i].action, -1, SQLITE_STATIC);
		sqlite3_bind_text(q, p + 6, from[i].rule, -1, SQLITE_STATIC);
	}
	sqlite3_bind_int64(q, (int)(6 * n + 1), b->event_id);
	rc = sqlite3_step(q);
	sqlite3_reset(q);
	return rc == SQLITE_DONE ? 0 : pt_db_fail(b->db, rc, "cannot record the steps", e);
}

/* Move the matched cases of the page to assigned, by runs of them (an unmatched case stays
 * registered): each with the holder of its first new step, by the UPDATE_SQL of their range. */
static int page_assign(struct batch *b, struct pt_err *e)
{
	int rc = SQLITE_DONE;

	for (size_t i = 0, j; i < b->n && rc == SQLITE_DONE; i = j) {
		if (!b->page[i].matched) {
			j = i + 1;
			continue;
		}
		for (j = i + 1; j < b->n && b->page[j].matched; j++)
			;
		sqlite3_reset(b->update);
		sqlite3_bind_int64(b->update, 1, b->page[i].id);
		sqlite3_bind_int64(b->update, 2, b->page[j - 1].id);
		sqlite3_bind_int64(b->update, 3, b->event_id);
		rc = sqlite3_step(b->update);
	}
	sqlite3_reset(b->update);
	return rc == SQLITE_DONE ? 0 : pt_db_fail(b->db, rc, "cannot update the cases", e);
}

/* Write the page: its steps, CHUNK at a time, into the digest while their pages are in the
 * cache, then its cases' state and holder. */
static int page_write(struct batch *b, struct pt_err *e)
{
	size_t i = 0;

	for (; i + CHUNK <= b->nstaged; i += CHUNK)
		if (insert_staged(b, b->chunk, &b->staged[i], CHUNK, e))
			return -1;
	for (; i < b->nstaged; i++)
		if (insert_staged(b, b->one, &b->staged[i], 1, e))
			return -1;
	if (b->nstaged && pt_change_digest(b->ch, "steps", b->staged[0].step_id, b->staged[b->nstaged - 1].step_id, e))
		return -1;
	b->nstaged = 0;
	return page_assign(b, e);
}

/* Where the registered cases begin: they are mostly the newest, so a daily run reads a
 * little of the table's end (the index finds the first of them). */
static int first_registered(struct batch *b, struct pt_err *e)
{
	sqlite3_stmt *q = NULL;
	int rc;

	if (pt_db_prepare(b->db, "SELECT min(id) - 1, count(*) FROM petitions WHERE state = 'registered' AND"
			  PT_SEEN("petitions"), &q, e))
		return -1;
	rc = sqlite3_step(q);
	b->after = sqlite3_column_int64(q, 0);
	b->total = (unsigned long long)sqlite3_column_int64(q, 1); /* for the progress */
	sqlite3_finalize(q);
	return rc == SQLITE_ROW ? 0 : pt_db_fail(b->db, rc, "cannot read the cases", e);
}

static int batch_run(struct batch *b, struct pt_err *e)
{
	int rc = first_registered(b, e);

	while (rc == 0) {
		if ((rc = page_read(b, e)) || b->n == 0)
			break;
		for (size_t i = 0; i < b->n && rc == 0; i++)
			rc = route_case(b, &b->page[i], e);
		if (rc == 0)
			rc = page_write(b, e);
		b->seen += b->n;
		if (rc == 0)
			pt_progress_report(&b->o->progress, b->seen, b->total);
		if (b->n < PAGE)
			break;
	}
	return rc;
}

/* The run's event: its day, counts, the cases routed with no new step, and the rules. */
static int batch_commit(struct batch *b, struct pt_err *e)
{
	struct pt_buf data = PT_BUF_INIT;
	struct pt_change *ch = b->ch;
	char on[PT_DATE_LEN];
	int rc;

	pt_date_format(b->o->today, on);
	pt_buf_addch(&data, '{');
	pt_json_member(&data, "on", on);
	pt_buf_addf(&data, ",\"cases\":%llu,\"steps\":%llu,\"unmatched\":%llu", b->res->routed, b->res->steps,
		    b->res->unmatched);
	if (b->no_new_steps.len)
		pt_buf_addf(&data, ",\"no_new_steps\":[%s]", b->no_new_steps.buf);
	pt_json_member(&data, "rules_sha256", b->r->sha256);
	pt_buf_addch(&data, '}');
	b->ch = NULL;
	rc = pt_change_commit(ch, "routed", 0, data.buf, b->o->dry_run, e);
	pt_buf_release(&data);
	return rc;
}

int pt_route_all(struct pt_db *db, const struct pt_rules *r, const struct pt_route_opts *o,
		 struct pt_fmt *out, struct pt_route_result *res, struct pt_err *e)
{
	struct batch b;
	int rc;

	memset(&b, 0, sizeof b);
	memset(res, 0, sizeof *res);
	b.db = db;
	b.r = r;
	b.o = o;
	b.out = out;
	b.res = res;
	/* Steps and cases are many: the steps digested, the cases' moves implied by them (the
	 * bulk effect of a routing run, replay.c), none listed one by one. */
	if (!(b.ch = pt_change_begin(db, r, PT_CHANGE_BULK_STEPS | PT_CHANGE_BULK_PETITIONS, e)))
		return -1;
	b.event_id = pt_change_event_id(b.ch);
	b.holders = pt_xcalloc(max_steps(r), sizeof *b.holders);
	b.page = pt_xcalloc(PAGE, sizeof *b.page);
	rc = batch_prepare(&b, e) ? -1 : batch_run(&b, e);
	/* A run that routed nothing writes nothing (nor an event). */
	if (rc == 0 && res->routed)
		rc = batch_commit(&b, e);
	pt_change_abort(b.ch);
	batch_release(&b);
	return rc;
}

/* ---- one case ---- */

/* A change to one case: loaded and checked under the write lock. */
static struct pt_change *begin_case(struct pt_db *db, const struct pt_rules *r, const char *key, const char *verb,
				    struct pt_case *c, struct pt_err *e)
{
	struct pt_change *ch = pt_change_begin(db, r, 0, e);

	if (ch && (pt_case_load(db, r, key, c, e) || pt_case_allow(c, verb, e))) {
		pt_case_release(c);
		pt_change_abort(ch);
		return NULL;
	}
	return ch;
}

/* End the case's change: on failure roll back; else its event, data holding what the caller
 * built after {"from":..,"on":.., the new state last. */
static int end_case(struct pt_change *ch, int rc, const struct pt_rules *r, const struct pt_case *c, const char *kind,
		    const char *to, struct pt_buf *data, bool dry_run, struct pt_err *e)
{
	if (rc) {
		pt_change_abort(ch);
		return rc;
	}
	pt_json_member(data, "rules_sha256", r->sha256);
	pt_json_member(data, "to", to);
	pt_buf_addch(data, '}');
	return pt_change_commit(ch, kind, c->id, data->buf, dry_run, e);
}

int pt_route_one(struct pt_db *db, const struct pt_rules *r, const char *key, const struct pt_route_opts *o,
		 struct pt_fmt *out, struct pt_err *e)
{
	struct pt_buf data = PT_BUF_INIT, note = PT_BUF_INIT;
	struct done_list done = { NULL, 0, 0 };
	struct pt_route_facts f;
	const struct pt_route_rule *rr;
	struct pt_change *ch;
	const char **holders = NULL;
	bool *skip = NULL;
	sqlite3_stmt *q = NULL;
	struct pt_case c;
	const char *to;
	long seq = 0, cancelled = 0;
	int rc;

	if (!(ch = begin_case(db, r, key, "route", &c, e)))
		return -1;
	holders = pt_xcalloc(max_steps(r), sizeof *holders);
	skip = pt_xcalloc(max_steps(r), sizeof *skip);
	rc = facts_load(db, &c, &f, e) || route_note(db, &c, &f, &note, e) ? -1 : 0;
	rr = rc ? NULL : pt_route_match(r, &f, holders);
	if (rc == 0 && !rr)
		rc = pt_err_set(e, PT_EDATA, "no routing rule matches case %s (petition route --explain %s)",
				c.case_no, c.case_no);
	to = pt_case_next_state("route", c.state);
	if (rc == 0)
		rc = pt_case_cancel_steps(db, c.id, NULL, NULL, &cancelled, e) || pt_case_steps_last(db, c.id, &seq, e) ||
		     pt_db_prepare(db, done_sql, &q, e) || done_load(db, q, c.id, c.id, &done, e) ? -1 : 0;
	sqlite3_finalize(q);
	q = NULL;
	for (size_t k = 0, pos = 0; rc == 0 && k < rr->nsteps; k++, pos = 0)
		skip[k] = done_has(&done, &pos, c.id, holders[k], pt_vocab_code_at(PT_VOCAB_ACTION, rr->steps[k].action));
	if (rc == 0) {
		long n = seq;

		pt_case_event_start(&data, c.state, o->today);
		pt_json_member(&data, "rule", rr->name);
		if (note.len)
			pt_json_member(&data, "note", note.buf);
		pt_buf_addf(&data, ",\"steps_cancelled\":%ld,\"steps\":[", cancelled);
		for (size_t k = 0; k < rr->nsteps; k++) {
			if (skip[k])
				continue;
			pt_buf_addf(&data, "%s{\"seq\":%ld", n > seq ? "," : "", n + 1);
			n++;
			pt_json_member(&data, "holder", holders[k]);
			pt_json_member(&data, "action", pt_vocab_code_at(PT_VOCAB_ACTION, rr->steps[k].action));
			pt_buf_addch(&data, '}');
		}
		pt_buf_addch(&data, ']');
	}
	if (rc == 0)
		rc = pt_db_prepare(db, pt_case_step_insert_sql, &q, e);
	for (size_t k = 0; rc == 0 && k < rr->nsteps; k++) {
		const char *action = pt_vocab_code_at(PT_VOCAB_ACTION, rr->steps[k].action);

		if (skip[k])
			continue;
		++seq;
		rc = pt_case_step_insert(db, q, c.id, seq, holders[k], action, rr->name, NULL, pt_change_event_id(ch), e) ||
		     step_row(out, c.case_no, seq, holders[k], action, rr->name, e) ? -1 : 0;
	}
	sqlite3_finalize(q);
	if (rc == 0)
		rc = pt_case_set_state(db, c.id, to, e);
	rc = end_case(ch, rc, r, &c, "routed", to, &data, o->dry_run, e);
	free(holders);
	free(skip);
	done_free(&done);
	pt_buf_release(&data);
	pt_buf_release(&note);
	pt_case_release(&c);
	return rc;
}

/* Insert one step at `at` (see make_room; done on done_on when not NULL), with the case's
 * event already appended, and list it. */
static int insert_at(struct pt_db *db, long long event_id, const struct pt_case *c, long at, const char *holder,
		     const char *action, const char *done_on, struct pt_fmt *out, struct pt_err *e)
{
	sqlite3_stmt *q = NULL;
	long seq;
	int rc;

	if (pt_case_steps_make_room(db, c->id, at, &seq, e) || pt_db_prepare(db, pt_case_step_insert_sql, &q, e))
		return -1;
	rc = pt_case_step_insert(db, q, c->id, seq, holder, action, NULL, done_on, event_id, e);
	sqlite3_finalize(q);
	return rc ? -1 : step_row(out, c->case_no, seq, holder, action, NULL, e);
}

int pt_route_manual(struct pt_db *db, const struct pt_rules *r, const char *key, const char *to,
		    const char *action, const char *note, const struct pt_route_opts *o, struct pt_fmt *out,
		    struct pt_err *e)
{
	struct pt_buf data = PT_BUF_INIT;
	struct pt_change *ch;
	struct pt_case c;
	const char *state;
	long cancelled = 0, at = 0;
	int rc, a;

	if ((a = pt_vocab_index(PT_VOCAB_ACTION, action)) < 0) {
		struct pt_buf list = PT_BUF_INIT;

		pt_vocab_join(PT_VOCAB_ACTION, &list, " or ");
		pt_vocab_suggest(PT_VOCAB_ACTION, action, &list);
		rc = pt_err_field(e, PT_EUSAGE, "", "action", " '%s' is not %s", action, list.buf);
		pt_buf_release(&list);
		return rc;
	}
	if (pt_text_blank(note))
		return pt_err_field(e, PT_EUSAGE, "a manual step needs ", "note", " (why)");
	if (pt_text_check("note", note, e))
		return -1;
	if (!pt_rules_leader(r, to) && !pt_rules_department(r, to))
		return pt_rules_unknown(r, PT_RULES_HOLDERS, e, PT_EDATA, "to", to);
	if (a == PT_ACT_INSTRUCT && !pt_rules_leader(r, to))
		return pt_err_field(e, PT_EDATA, "", "to", ": %s is a department; an instruction (阅批) is a leader's", to);
	if (!(ch = begin_case(db, r, key, "route", &c, e)))
		return -1;
	state = pt_case_next_state("route", c.state);
	rc = take_over(db, c.id, action, &at, &cancelled, e);
	if (rc == 0) {
		pt_case_event_start(&data, c.state, o->today);
		pt_buf_adds(&data, ",\"manual\":true");
		pt_json_member(&data, "holder", to);
		pt_json_member(&data, "action", action);
		pt_json_member(&data, "note", note);
		pt_buf_addf(&data, ",\"steps_cancelled\":%ld", cancelled);
	}
	if (rc == 0)
		rc = insert_at(db, pt_change_event_id(ch), &c, at, to, action, NULL, out, e);
	if (rc == 0)
		rc = pt_case_set_state(db, c.id, state, e);
	rc = end_case(ch, rc, r, &c, "routed", state, &data, o->dry_run, e);
	pt_buf_release(&data);
	pt_case_release(&c);
	return rc;
}

/* Whether the unnamed letter was opened (its open step done); else PT_EDATA saying what
 * to do first. */
static int letter_opened(struct pt_db *db, const struct pt_case *c, struct pt_err *e)
{
	struct pt_case_step st;
	bool pending = false;
	long done = 0;
	sqlite3_stmt *q = NULL;
	int rc;

	if (pt_db_prepare(db, "SELECT count(*) FROM steps WHERE petition_id = ?1 AND action = 'open' AND state = 'done'",
			  &q, e))
		return -1;
	sqlite3_bind_int64(q, 1, c->id);
	rc = sqlite3_step(q);
	done = rc == SQLITE_ROW ? sqlite3_column_int64(q, 0) : 0;
	sqlite3_finalize(q);
	if (rc != SQLITE_ROW)
		return pt_db_fail(db, rc, "cannot read the case's steps", e);
	if (done)
		return 0;
	if (pt_case_pending_step(db, c->id, "open", NULL, 0, &st, &pending, e))
		return -1;
	if (pending)
		pt_err_set(e, PT_EDATA, "the letter %s has not been opened: %s opens it first (拆阅): petition case done "
			   "%s --step %ld", c->case_no, st.holder, c->case_no, st.seq);
	else
		pt_err_set(e, PT_EDATA, "the letter %s has no step to open it (拆阅): route it first (petition route %s)",
			   c->case_no, c->case_no);
	pt_case_step_release(&st);
	return -1;
}

/* Send to the leader `to` (instruct) or the petition department (handle): *cancelled gets
 * the pending steps given up; the new step, if any, is inserted and listed. */
static int send_steps(struct pt_db *db, long long event_id, const struct pt_case *c, const char *to, bool leader,
		      struct pt_fmt *out, long *cancelled, struct pt_err *e)
{
	struct pt_case_step st;
	bool found = false;
	long at = 0;
	int rc;

	*cancelled = 0;
	if (pt_case_pending_step(db, c->id, "instruct", NULL, 0, &st, &found, e))
		return -1;
	rc = found && leader && !strcmp(st.holder, to); /* the leader pending already keeps the step */
	pt_case_step_release(&st);
	if (rc)
		return 0;
	if (leader)
		return take_over(db, c->id, "instruct", &at, cancelled, e) ||
		       insert_at(db, event_id, c, at, to, "instruct", NULL, out, e) ? -1 : 0;
	if (pt_case_cancel_steps(db, c->id, "instruct", NULL, cancelled, e) ||
	    pt_case_pending_step(db, c->id, "handle", to, 0, &st, &found, e))
		return -1;
	pt_case_step_release(&st);
	return found ? 0 : insert_at(db, event_id, c, 0, to, "handle", NULL, out, e);
}

int pt_route_send(struct pt_db *db, const struct pt_rules *r, const char *key, const char *to, const char *note,
		  const struct pt_route_opts *o, struct pt_fmt *out, struct pt_err *e)
{
	const struct pt_department *dept = pt_rules_petition_department(r);
	struct pt_buf data = PT_BUF_INIT;
	struct pt_change *ch;
	struct pt_case c;
	const char *state;
	bool leader;
	long cancelled = 0;
	int rc;

	if (pt_text_blank(to))
		return pt_err_field(e, PT_EUSAGE, "send needs ", "to", " (a leader, or the petition department)");
	if (pt_text_check("to", to, e) || pt_text_check("note", note, e))
		return -1;
	leader = pt_rules_leader(r, to) != NULL;
	if (!leader && (!dept || strcmp(dept->name, to)))
		return pt_err_field(e, PT_EDATA, "", "to", ": '%s' is neither a leader in the rules nor the petition "
				    "department (%s); a letter goes to a leader for instruction or to the petition department",
				    to, dept ? dept->name : "none in the rules");
	if (!(ch = begin_case(db, r, key, "route", &c, e)))
		return -1;
	if (strcmp(c.channel, "letter"))
		rc = pt_err_set(e, PT_EDATA, "case %s is not a letter (channel %s): send is for the letters the clerk "
				"opens", c.case_no, c.channel);
	else if (c.named_letter)
		rc = pt_err_set(e, PT_EDATA, "case %s is a letter to %s: it goes to the leader it names, not by its content",
				c.case_no, c.addressed_to);
	else
		rc = letter_opened(db, &c, e);
	state = pt_case_next_state("route", c.state);
	if (rc == 0)
		rc = send_steps(db, pt_change_event_id(ch), &c, to, leader, out, &cancelled, e);
	if (rc == 0) {
		pt_case_event_start(&data, c.state, o->today);
		pt_json_member(&data, "holder", to);
		pt_json_member(&data, "action", leader ? "instruct" : "handle");
		if (!pt_text_blank(note))
			pt_json_member(&data, "note", note);
		pt_buf_addf(&data, ",\"steps_cancelled\":%ld", cancelled);
		rc = pt_case_set_state(db, c.id, state, e);
	}
	rc = end_case(ch, rc, r, &c, "sent", state, &data, o->dry_run, e);
	pt_buf_release(&data);
	pt_case_release(&c);
	return rc;
}

/* Whether unit `lower` is below unit `upper` (its parent, or its parent's, ...). */
static bool below(const struct pt_rules *r, const struct pt_unit *lower, const char *upper)
{
	for (int depth = 0; lower && lower->parent && depth < 16; depth++) {
		if (!strcmp(lower->parent, upper))
			return true;
		lower = pt_rules_unit(r, lower->parent);
	}
	return false;
}

int pt_route_transfer(struct pt_db *db, const struct pt_rules *r, const char *key, const char *unit,
		      const char *body, const char *note, const struct pt_route_opts *o, struct pt_fmt *out,
		      struct pt_err *e)
{
	const struct pt_unit *u = NULL;
	struct pt_buf data = PT_BUF_INIT;
	struct pt_change *ch;
	char today[PT_DATE_LEN];
	struct pt_case c;
	const char *state, *verb;
	long cancelled = 0, at = 0;
	int rc;

	if (pt_text_blank(unit)) /* blanks only is no text (petition(1), TEXTS) */
		unit = NULL;
	if (pt_text_blank(body))
		body = NULL;
	verb = unit ? "transfer" : "transfer-out";
	if ((unit != NULL) == (body != NULL)) {
		pt_err_field(e, PT_EUSAGE, "transfer needs ", "unit", " (交办, to a lower unit) or ");
		pt_err_also(e, "body", " (转送, to another body)");
		return -1;
	}
	if (pt_text_check("body", body, e) || pt_text_check("note", note, e))
		return -1;
	if (unit && !(u = pt_rules_unit(r, unit)))
		return pt_rules_unknown(r, PT_RULES_UNITS, e, PT_EDATA, "unit", unit);
	if (!(ch = begin_case(db, r, key, verb, &c, e)))
		return -1;
	if (u && !below(r, u, c.unit)) {
		rc = pt_err_set(e, PT_EDATA, "%s (%s) is not below %s, which received case %s; a case is handed down "
				"(交办) to a lower unit, or sent to another body with ", u->code, u->name, c.unit,
				c.case_no);
		pt_err_also(e, "body", "%s", "");
		pt_change_abort(ch);
		pt_case_release(&c);
		return rc;
	}
	state = pt_case_next_state(verb, c.state);
	pt_date_format(o->today, today);
	/* Handed down: the unit handles instead of whoever was to. Sent away: nothing is left
	 * for anyone here to do. */
	rc = take_over(db, c.id, u ? "handle" : NULL, &at, &cancelled, e);
	if (rc == 0) {
		pt_case_event_start(&data, c.state, o->today);
		pt_json_member(&data, "mode", u ? "交办" : "转送");
		pt_json_member(&data, u ? "unit" : "body", u ? u->code : body);
		pt_json_member(&data, "note", note);
		pt_buf_addf(&data, ",\"steps_cancelled\":%ld", cancelled);
	}
	if (rc == 0)
		rc = insert_at(db, pt_change_event_id(ch), &c, at, u ? u->name : body, "handle", u ? NULL : today, out, e);
	if (rc == 0)
		rc = pt_case_set_state(db, c.id, state, e);
	rc = end_case(ch, rc, r, &c, "transferred", state, &data, o->dry_run, e);
	pt_buf_release(&data);
	pt_case_release(&c);
	return rc;
}

/* ---- explain ---- */

static int explain_row(struct pt_fmt *out, const char *rule, const char *result, const char *detail,
		       struct pt_err *e)
{
	const char *v[] = { rule, result, detail };

	return pt_fmt_row(out, v, e);
}

int pt_route_explain(struct pt_db *db, const struct pt_rules *r, const char *key, struct pt_fmt *out,
		     struct pt_err *e)
{
	struct pt_buf why = PT_BUF_INIT, step = PT_BUF_INIT, note = PT_BUF_INIT;
	const struct pt_route_rule *match = NULL;
	const char **holders;
	struct pt_route_facts f;
	struct pt_case c;
	int rc = 0;

	if (pt_case_load(db, r, key, &c, e))
		return -1;
	holders = pt_xcalloc(max_steps(r), sizeof *holders);
	rc = facts_load(db, &c, &f, e) || route_note(db, &c, &f, &note, e) ? -1 : 0;
	/* the built-in rule first, shown only for a final case */
	if (rc == 0 && f.final && pt_route_rule_matches(r, &final_rule, &f, holders, NULL)) {
		match = &final_rule;
		rc = explain_row(out, final_rule.name, "matched", note.buf, e);
	}
	for (size_t i = 0; i < r->nrouting && rc == 0; i++) {
		const struct pt_route_rule *rr = &r->routing[i];

		pt_buf_reset(&why);
		if (match) {
			rc = explain_row(out, rr->name, "not tried", "an earlier rule matched", e);
		} else if (pt_route_rule_matches(r, rr, &f, holders, &why)) {
			match = rr;
			rc = explain_row(out, rr->name, "matched", rr->title, e);
		} else {
			rc = explain_row(out, rr->name, "no", why.buf, e);
		}
	}
	for (size_t k = 0; match && k < match->nsteps && rc == 0; k++) {
		const struct pt_vocab *a = pt_vocab_at(PT_VOCAB_ACTION, match->steps[k].action);
		char n[32];

		pt_buf_reset(&step);
		pt_buf_addf(&step, "%s %s (%s), as %s", holders[k], a->code, a->label,
			    match->steps[k].to == PT_TO_NAME ? "named in the rule" : pt_route_targets[match->steps[k].to]);
		if (match->steps[k].to == PT_TO_NAMED_LEADER && c.addressed_unknown)
			pt_buf_addf(&step, ": %s", note.buf);
		snprintf(n, sizeof n, "step %zu", k + 1);
		rc = explain_row(out, match->name, n, step.buf, e);
	}
	if (rc == 0 && !match)
		rc = explain_row(out, "", "no rule", "no routing rule matches: the case cannot be routed by the rules", e);
	free(holders);
	pt_buf_release(&why);
	pt_buf_release(&step);
	pt_buf_release(&note);
	pt_case_release(&c);
	return rc;
}
