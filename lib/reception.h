/* reception: the leaders' reception days (接访) and coordination-group meetings, for
 * petition-schedule plan, add, cancel, held and list.
 *
 * Each change is one transaction with one event. A reception day is planned for a unit,
 * a day, a leader, a place and a form (定点接访, 约访, 带案下访); it is then held (with the
 * leader who received) or cancelled. Plans meet the unit's level's minimum per month from
 * the rules, on working days, on the preferred weekdays where possible, rotating the unit's
 * leaders by how many days each has had; days already planned or held count, so planning
 * again adds nothing. */
#ifndef PT_RECEPTION_H
#define PT_RECEPTION_H

#include <stdbool.h>
#include <stdio.h>

#include "db.h"
#include "err.h"
#include "fmt.h"
#include "rules.h"

struct pt_reception {
	const char *unit;        /* code or name */
	long day;
	const char *kind;        /* "reception" or "meeting" */
	const char *leader;      /* a leader of the unit (reception), optional for a meeting */
	const char *place;       /* NULL: the unit's place in the rules */
	const char *form;        /* NULL: the rules' default form */
};

extern const struct pt_col pt_reception_cols[];
extern const size_t pt_reception_ncols;

/* Add one day. *late is set when a reception day is less than the rules' notice_days ahead
 * of today (the public must be told in advance; a meeting need not be): a warning, the day
 * is added. */
int pt_reception_add(struct pt_db *db, const struct pt_rules *r, const struct pt_reception *rc,
		     long today, bool dry_run, long long *id, bool *late, struct pt_err *e);
/* Cancel a planned day, or mark it held (by `held_by`, default the planned leader; not
 * before the day), by its id. A day that does not exist is PT_ENOINPUT; one already held
 * or cancelled, PT_EDATA. */
int pt_reception_cancel(struct pt_db *db, long long id, const char *reason, bool dry_run, struct pt_err *e);
int pt_reception_held(struct pt_db *db, const struct pt_rules *r, long long id, const char *held_by,
		      long today, bool dry_run, struct pt_err *e);

struct pt_plan_result {
	int required, existing, added;
	bool township;           /* receives any working day: nothing to plan */
	bool provisional;        /* the rules have no calendar for the month's year: weekends only */
};

/* Whether the month has its minimum of reception days after the plan; when not, too few
 * working days were left in it (a negative answer, not an error). */
bool pt_plan_met(const struct pt_plan_result *res);

/* Plan the month (its first day given) for a unit; the new days are written to `out`
 * (may be NULL) in the columns of pt_reception_cols. */
int pt_reception_plan(struct pt_db *db, const struct pt_rules *r, const char *unit, long month,
		      long today, bool dry_run, struct pt_fmt *out, struct pt_plan_result *res,
		      struct pt_err *e);

/* The days in [from, to] (unit NULL for all), in the columns of pt_reception_cols. */
int pt_reception_list(struct pt_db *db, const char *unit, long from, long to, struct pt_fmt *out,
		      struct pt_err *e);
/* The same as an iCalendar file (RFC 5545): one all-day event per day, UIDs stable across
 * exports and unique across databases, TENTATIVE for a day of a year whose calendar the
 * rules do not give or mark provisional, text escaped, lines folded at 75 octets without
 * splitting a character. */
int pt_reception_ics(struct pt_db *db, const struct pt_rules *r, const char *unit, long from, long to, FILE *out,
		     struct pt_err *e);

/* Fold and write one iCalendar content line (without its CRLF) to b. */
void pt_ics_line(struct pt_buf *b, const char *line);
/* Append text escaped for an iCalendar TEXT value. */
void pt_ics_text(struct pt_buf *b, const char *s);

#endif
