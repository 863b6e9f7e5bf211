/* casefile: what a case is, for every program that reads one (case, route, schedule, and
 * later report and audit): its look-up by case number or id, its row loaded with one column
 * list, its events as the deadline code reads them, the deadlines that follow from them,
 * and the transition table that says what may happen to it in each state.
 *
 * The states and what may happen in each (petition-case(1)):
 *
 *   registered   route, transfer, object, accept, reject, instruct, done
 *   assigned     (routed) the same
 *   accepted     (受理, being handled) route, transfer, instruct, done, extend, resolve
 *   resolved     (answered with an outcome) satisfaction, request-review, close
 *   review_requested → review → reviewed → request-rereview → rereview_requested →
 *   rereview → rereviewed; satisfaction in each, close from reviewed and rereviewed
 *   closed, rejected (不予受理), transferred_out (转送), objected (异议退回): reopen
 *   registered, assigned, accepted: also important, unimportant (重要信访事项), down-visit
 *   (带案下访); assigned and every state after it but closed: report-back (a case handed
 *   down, 交办: its report is owed whatever the office has done meanwhile); every state:
 *   repeat, typical and untypical (典型案例)
 *
 * A case event's day is its data's "on" date when it has one, else the Beijing day of its
 * timestamp (PT_CASE_EVENT_DAY); receipt is the petition's received_on. Deadlines are
 * derived from the rules, these events and the calendar whenever asked, never stored.
 *
 * The rows of a case's steps and its state are written here, for case.c and route.c, always
 * inside a change (change.h), which records them in its event: one module writes the steps
 * table.
 *
 * Ownership: pt_case_load() fills a struct the caller releases with pt_case_release();
 * pt_case_borrow() fills one whose strings belong to the statement (never released). */
#ifndef PT_CASEFILE_H
#define PT_CASEFILE_H

#include <stdbool.h>

#include "buf.h"
#include "db.h"
#include "deadline.h"
#include "err.h"
#include "rules.h"

struct pt_case {
	long long id;
	char *case_no, *unit, *channel, *category, *addressed_to, *state, *holder, *petitioner;
	long received;
	long persons;
	bool collective, repeat, named_letter;
	long long final_of;      /* the earlier case decided on re-review (复核): this one is final; 0 */
	bool skip_level;         /* 越级 */
	bool addressed_unknown;  /* a letter naming someone who is not a leader in the rules */
	long last_on;            /* pt_case_load: the day of its latest transition (not routing), else receipt */
};

/* The one column list of a case's row, and where each column is in it. */
#define PT_CASE_COLUMNS                                                                      \
	"id, case_no, unit, channel, category, addressed_to, state, holder, petitioner,"     \
	" received_on, persons, collective, repeat, named_letter, final_of, skip_level, addressed_unknown"
enum pt_case_col {
	PT_CASE_COL_ID, PT_CASE_COL_CASE_NO, PT_CASE_COL_UNIT, PT_CASE_COL_CHANNEL, PT_CASE_COL_CATEGORY,
	PT_CASE_COL_ADDRESSED_TO, PT_CASE_COL_STATE, PT_CASE_COL_HOLDER, PT_CASE_COL_PETITIONER,
	PT_CASE_COL_RECEIVED_ON, PT_CASE_COL_PERSONS, PT_CASE_COL_COLLECTIVE, PT_CASE_COL_REPEAT,
	PT_CASE_COL_NAMED_LETTER, PT_CASE_COL_FINAL_OF, PT_CASE_COL_SKIP_LEVEL, PT_CASE_COL_ADDRESSED_UNKNOWN,
	PT_CASE_NCOLS
};
/* The same list with NULL for what a case's deadlines do not read (pt_case_deadline_applies
 * and pt_case_deadline_evaluate read the channel, the named-letter and collective flags and
 * the receipt) and a list of cases does not show (it shows the case number, unit and
 * category): for scans of every open case that work out their deadlines. Keep it with what
 * those two functions read. */
#define PT_CASE_DEADLINE_COLUMNS                                                             \
	"id, case_no, unit, channel, category, NULL, NULL, NULL, NULL,"                       \
	" received_on, NULL, collective, NULL, named_letter, NULL, NULL, NULL"

/* SQL: whether the case of petitions row `p` is a repeat (重复信访): the mark of its latest
 * 'repeat_marked' event (petition case repeat), else the flag intake set; pt_case_load()
 * gives it as repeat. */
#define PT_CASE_REPEAT_SQL(p)                                                                \
	"coalesce((SELECT json_extract(data, '$.repeat') FROM events WHERE petition_id = " p ".id" \
	" AND kind = 'repeat_marked' ORDER BY id DESC LIMIT 1), " p ".repeat)"

/* SQL: whether case p is a final matter (终结: final_of, from intake) that no reopen decided
 * by someone (reopen --decided-by) has taken up again; routing, show and list read it so. */
#define PT_CASE_FINAL_SQL(p)                                                                 \
	"(" p ".final_of IS NOT NULL AND NOT EXISTS (SELECT 1 FROM events WHERE petition_id = " p ".id" \
	" AND kind = 'reopened' AND json_extract(data, '$.decided_by') IS NOT NULL))"

/* SQL: the id of the latest mark of a pair of events (`on`, `off`: marked_important and
 * unmarked_important, marked_typical and unmarked_typical) on the case whose id is the SQL
 * `id`, NULL when none; the latest mark wins, so this one event says whether it is marked. */
#define PT_CASE_LAST_MARK_SQL(id, on, off) \
	"(SELECT max(id) FROM events WHERE petition_id = " id " AND kind IN ('" on "', '" off "'))"
/* SQL: whether case p's latest mark of the pair is `on`. */
#define PT_CASE_MARKED_SQL(p, on, off) \
	"coalesce((SELECT kind = '" on "' FROM events WHERE id = " PT_CASE_LAST_MARK_SQL(p ".id", on, off) "), 0)"

/* SQL: the states no longer the office's business (closed, rejected, sent away). */
#define PT_CASE_CLOSED_STATES "'closed', 'rejected', 'transferred_out', 'objected'"

/* The id of the case with exactly this case number, 0 in *id when there is none. */
int pt_case_by_number(struct pt_db *db, const char *case_no, long long *id, struct pt_err *e);

/* The case a key names (petition(1), CASES): its whole case number; or the sequence part
 * alone (digits), the case of that number of the office's own unit this year, else the one
 * case of another unit or year that has it (several: PT_EUSAGE listing them); or "id:" and
 * an internal id. PT_ENOINPUT when none. */
int pt_case_id(struct pt_db *db, const struct pt_rules *r, const char *key, long long *id, struct pt_err *e);
int pt_case_load(struct pt_db *db, const struct pt_rules *r, const char *key, struct pt_case *c, struct pt_err *e);
/* The case number of a unit's seq-th case of a year, by the rules' pattern, into b. */
void pt_case_number(struct pt_buf *b, const char *pattern, const char *unit, int year, long long seq);
/* The case in the current row of q, selected with PT_CASE_COLUMNS; its strings are the
 * statement's, valid until it steps (for scans of every case); last_on is not set. */
void pt_case_borrow(sqlite3_stmt *q, struct pt_case *c);
/* The same for a row selected with PT_CASE_DEADLINE_COLUMNS: only what those are; the rest
 * NULL and 0. */
void pt_case_borrow_deadline(sqlite3_stmt *q, struct pt_case *c);
void pt_case_release(struct pt_case *c);

/* ---- the transition table ---- */

/* A verb, the event it writes, the states it is allowed in ("*": every state) and the state it leads to
 * (NULL: unchanged; "assigned" from registered only; "*previous": back where the case was
 * before it was closed, rejected or sent away). */
struct pt_case_transition {
	const char *verb, *event;
	const char *from[7];
	const char *to;
};

/* The transition of a verb (a petition-case subcommand, or "route", "transfer",
 * "transfer-out"), or NULL. */
const struct pt_case_transition *pt_case_transition(const char *verb);
/* May `verb` be done in the case's state? Else PT_EDATA naming the state, where the verb
 * is allowed and what this state allows. */
int pt_case_allow(const struct pt_case *c, const char *verb, struct pt_err *e);
/* The state a verb leads to from `state`: a state name, or `state` itself when it does not
 * change it ("route" moves registered to assigned). */
const char *pt_case_next_state(const char *verb, const char *state);
/* Check a transition's day: not after today, not before receipt or the last step, so that
 * the case's history reads in order. Routing does not count (case.h). */
int pt_case_check_day(const struct pt_case *c, long on, long today, struct pt_err *e);

/* ---- its events ---- */

/* SQL: the day of an event of the events table, as the deadlines see it. */
#define PT_CASE_EVENT_DAY "coalesce(json_extract(data, '$.on'), date(at, '+8 hours'))"
/* SQL: what pt_case_events_add() reads of an event. */
#define PT_CASE_EVENT_COLUMNS                                                                    \
	"kind, " PT_CASE_EVENT_DAY ", json_extract(data, '$.deadline'), json_extract(data, '$.days'),"     \
	" CASE WHEN kind IN ('accepted', 'rejected') THEN"                                       \
	" coalesce(json_extract(data, '$.notified_on'), " PT_CASE_EVENT_DAY ") END,"             \
	" json_extract(data, '$.body') IS NOT NULL AND json_extract(data, '$.unit') IS NULL,"    \
	" kind = 'transferred' AND json_extract(data, '$.mode') = '交办',"                     \
	" kind = 'step_done' AND json_extract(data, '$.action') = 'open'"

/* A case event as the deadlines see it: its kind, its day, for an extension or a hearing
 * the deadline and the days granted or not counted, for a review request whether the body
 * asked is outside this database, and whether it handed the case down (交办: transferred to
 * a lower unit, which owes a report back; not 转送, sent to another body). An accepted or
 * rejected event adds a "notified" event of the day the petitioner was told in writing (its
 * notified_on; its own day when it was written before the toolkit recorded the two apart),
 * and a step_done event of an open step (拆阅, petition case done) an "opened" event of its
 * day: the letter opened by the office's clerk. */
struct pt_case_event {
	char kind[24];
	long day;
	char deadline[24];
	int days;
	bool outside;
	bool handed_down;
};

struct pt_case_events {
	struct pt_case_event *v;
	size_t n, alloc;
};

/* Add the event in q's current row, columns col.. as PT_CASE_EVENT_COLUMNS. */
void pt_case_events_add(struct pt_case_events *ev, sqlite3_stmt *q, int col);
/* The case's own events and the routing batches that gave it steps, in order. */
int pt_case_events_load(struct pt_db *db, long long id, struct pt_case_events *ev, struct pt_err *e);
void pt_case_events_release(struct pt_case_events *ev);
/* The first (or with last, the latest) day of an event of this kind, read from the
 * database; -1 when none. */
int pt_case_event_day(struct pt_db *db, long long id, const char *kind, bool last, long *day, struct pt_err *e);

/* Whether the case's latest mark of the pair (`on`, `off`, as PT_CASE_MARKED_SQL) is `on`;
 * when it is and `by` is not NULL, "WHO DAY" of that event (its data's by, else the
 * operator, and its day) is added to `by`. */
int pt_case_marked(struct pt_db *db, long long id, const char *on, const char *off, bool *yes, struct pt_buf *by,
		   struct pt_err *e);

/* A final case (c->final_of): "终结：同一事项已于 DATE 复核（CASE）" into out, the day and
 * number of the earlier case's re-review decision; nothing for a case that is not final. */
int pt_case_final_text(struct pt_db *db, const struct pt_case *c, struct pt_buf *out, struct pt_err *e);

/* ---- its deadlines ---- */

/* One deadline of one case, worked out. */
struct pt_case_deadline {
	bool started;
	bool outside;            /* started by a request to a body outside this database: its
	                          * deadline, not the office's (never overdue here) */
	long start;
	int extension;           /* days granted */
	int paused;              /* days not counted (a 复核's hearings) */
	struct pt_deadline dl;
	long done;               /* day it was met, or -1 */
	const char *done_by;
};

/* A written decision and the event of its delivery (送达), from which the petitioner's
 * window counts: the reply (resolved), the review and the re-review decisions. */
struct pt_case_delivery {
	const char *decision, *delivered, *what;
};
const struct pt_case_delivery *pt_case_delivery_of(const char *decision);
const struct pt_case_delivery *pt_case_delivery_by_event(const char *delivered);

/* Whether a deadline of the rules is one of this case's. A deadline `when: handed_down`
 * may be: it is one once the case is handed down (pt_case_handed_down), and counts from
 * that transfer. */
bool pt_case_deadline_applies(const struct pt_deadline_rule *d, const struct pt_case *c);
/* Whether one of the events handed the case down (交办). */
bool pt_case_handed_down(const struct pt_case_events *ev);
/* Work out one deadline of a case from its events: when it started (receipt is the
 * petition's date; a start before receipt is not one), the extension granted (at most the
 * rule's, in total), the hearing days left out, the due date, and whether and when an
 * event met it. */
void pt_case_deadline_evaluate(const struct pt_calendar *cal, const struct pt_case *c,
			       const struct pt_case_events *ev, const struct pt_deadline_rule *d,
			       struct pt_case_deadline *out);
/* Whether an open case (not in a closed state) is overdue on `today`: an office deadline
 * (not a petitioner's window, not a unit's) started here, not met and past its due day. */
bool pt_case_overdue(const struct pt_rules *r, const struct pt_case *c, const struct pt_case_events *ev, long today);
/* Where a deadline stands: "open", "due soon", "overdue", "long overdue", "met", "met late",
 * "lapsed". A petitioner's window (the rule's `window`) lapses when its day passes without
 * the request, even if the case was closed afterwards; it is never overdue. */
const char *pt_case_deadline_state(bool window, long today, long due, long done, long left);

/* Every deadline that applies to the case (by case number or id), each handed to `each`
 * as text (valid during the call); `left` is empty for a deadline met or not started. */
struct pt_deadline_view {
	const char *name, *title, *counts_from, *from_date, *rule, *due, *skipped, *state,
		*working_days_left, *basis;
};
int pt_case_deadlines(struct pt_db *db, const struct pt_rules *r, const char *case_key, long today,
		      void (*each)(void *ctx, const struct pt_deadline_view *v), void *ctx, struct pt_err *e);

/* ---- its windows ---- */

/* A request for review (复查) or re-review (复核), and an objection to a transferred case
 * (`request`, the event it writes, by `verb`), must come on `on_day` within the limit of
 * every started deadline it meets; else PT_EDATA saying by when it had to come. */
int pt_case_window_check(struct pt_db *db, const struct pt_rules *r, const struct pt_case *c, const char *verb,
			 const char *request, long on_day, struct pt_err *e);

/* ---- its steps and its state (writes, inside a change) ---- */

/* Run a write with the case id as ?1 and text (or NULL) as ?2 and ?3; *changes gets the
 * rows changed when not NULL. */
int pt_case_update(struct pt_db *db, const char *sql, long long id, const char *s2, const char *s3, long *changes,
		   struct pt_err *e);
/* Cancel the case's pending steps (all, or those of one action and of one rule when they
 * are not NULL); *n gets how many. */
int pt_case_cancel_steps(struct pt_db *db, long long id, const char *action, const char *rule, long *n,
			 struct pt_err *e);
/* Set the case's state, and its holder to the first pending step's (NULL when none is
 * pending), as petitions.holder keeps it. */
int pt_case_set_state(struct pt_db *db, long long id, const char *state, struct pt_err *e);

/* A pending step: the first (by number) of the action and holder given (NULL for any), or
 * number `seq` when it is not 0; *found says whether there is one. The strings are the
 * caller's to release with pt_case_step_release(). */
struct pt_case_step {
	long seq;
	char *holder, *action;
};
int pt_case_pending_step(struct pt_db *db, long long id, const char *action, const char *holder, long seq,
			 struct pt_case_step *out, bool *found, struct pt_err *e);
void pt_case_step_release(struct pt_case_step *st);
/* Mark step `seq` done on day `on`, with a note when one is given. */
int pt_case_step_done(struct pt_db *db, long long id, long seq, long on, const char *note, struct pt_err *e);
/* Mark every pending step done (the case is answered); *n gets how many. */
int pt_case_steps_all_done(struct pt_db *db, long long id, long on, long *n, struct pt_err *e);

/* One step (done on done_on, else pending) through q, prepared from pt_case_step_insert_sql. */
extern const char pt_case_step_insert_sql[];
int pt_case_step_insert(struct pt_db *db, sqlite3_stmt *q, long long id, long seq, const char *holder,
			const char *action, const char *rule, const char *done_on, long long event_id,
			struct pt_err *e);
/* The number of the case's last step (0 for none); of its first pending step (of `action`
 * when not NULL), or 0. */
int pt_case_steps_last(struct pt_db *db, long long id, long *seq, struct pt_err *e);
int pt_case_steps_first_pending(struct pt_db *db, long long id, const char *action, long *seq, struct pt_err *e);
/* Make room for a step at number `at` (0: before the pending steps, or last when none is
 * pending); *seq gets the number freed. Steps keep their ids. */
int pt_case_steps_make_room(struct pt_db *db, long long id, long at, long *seq, struct pt_err *e);
/* For bulk routing: an INSERT of n pending steps, parameters ?6i+1..?6i+6 the i-th step's id,
 * case, seq, holder, action and rule, ?6n+1 the event. */
int pt_case_steps_insert_many(struct pt_db *db, size_t n, sqlite3_stmt **q, struct pt_err *e);

#endif
