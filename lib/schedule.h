/* schedule: the working calendar and the deadlines of a case (petition-schedule).
 *
 * Deadlines are derived, never stored: from the rules' deadlines (rules.h), the case's
 * events and the calendar, whenever asked; how a case's deadlines are worked out is
 * casefile.h's (pt_case_deadlines), this module lists them. */
#ifndef PT_SCHEDULE_H
#define PT_SCHEDULE_H

#include <stdbool.h>

#include "casefile.h"
#include "db.h"
#include "err.h"
#include "fmt.h"
#include "rules.h"

extern const struct pt_col pt_schedule_calendar_cols[];
extern const size_t pt_schedule_calendar_ncols;

struct pt_calendar_result {
	long working_days;       /* in the range */
	bool provisional;        /* the range touches a year the rules have no calendar for */
	int first_missing_year;  /* the first such year, when provisional */
};

/* List the days of [from, to] to `out` (NULL: only count). At most 100 years. */
int pt_schedule_calendar(const struct pt_rules *r, long from, long to, struct pt_fmt *out,
			 struct pt_calendar_result *res, struct pt_err *e);

/* Whether `day` is a working day and, with `first` 'm' (month) or 'q' (quarter), the first
 * working day of its month or quarter ('\0': any working day): what a cron job asks before
 * it makes last quarter's report on the first working day of a quarter. *provisional as in
 * pt_calendar_count(). */
bool pt_schedule_workday(const struct pt_rules *r, long day, char first, bool *provisional);

extern const struct pt_col pt_schedule_explain_cols[];
extern const size_t pt_schedule_explain_ncols;

/* Every deadline that applies to the case (by case number or id), one row each: what it
 * counts from, the rule, the due date, the rest days it skipped, and where it stands on
 * `today`. A case that does not exist is PT_ENOINPUT. */
int pt_schedule_explain(struct pt_db *db, const struct pt_rules *r, const char *case_key, long today,
			struct pt_fmt *out, struct pt_err *e);

/* One pass over many cases with their events, in constant memory: `cases_sql` selects
 * PT_CASE_COLUMNS (casefile.h) ORDER BY id; for each row of s->cases, in that order,
 * pt_schedule_scan_events() reads the case's events into s->ev from two cursors that run in
 * petition_id order (its own events, and the routing batches that gave it steps: one
 * event for all the cases a run routed). Bind the cases' parameters after opening.
 * pt_schedule_scan_open_received() is the same pass over open cases (not in
 * PT_CASE_CLOSED_STATES) in the order of their receipt: `cases_sql` selects PT_CASE_COLUMNS
 * (or PT_CASE_DEADLINE_COLUMNS) of open cases only, ORDER BY received_on (the cases of one
 * day in any order); SQLite sorts their events to match, and the scan holds the events of
 * one day's cases. */
enum { PT_SCHEDULE_SCAN_CURSORS = 2 };
struct pt_schedule_scan_day {
	struct pt_case_events ev;
	long long *id;           /* each event's case */
	size_t alloc;
};
struct pt_schedule_scan {
	sqlite3_stmt *cases, *events[PT_SCHEDULE_SCAN_CURSORS];
	bool events_left[PT_SCHEDULE_SCAN_CURSORS];
	bool by_received;
	struct pt_buf received;  /* the day of the events held, in received order */
	struct pt_schedule_scan_day day[PT_SCHEDULE_SCAN_CURSORS];
	struct pt_case_events ev;
};
int pt_schedule_scan_open(struct pt_db *db, struct pt_schedule_scan *s, const char *cases_sql, struct pt_err *e);
int pt_schedule_scan_open_received(struct pt_db *db, struct pt_schedule_scan *s, const char *cases_sql,
				   struct pt_err *e);
int pt_schedule_scan_events(struct pt_db *db, struct pt_schedule_scan *s, long long id, struct pt_err *e);
void pt_schedule_scan_close(struct pt_schedule_scan *s);

extern const struct pt_col pt_schedule_due_cols[];
extern const size_t pt_schedule_due_ncols;

struct pt_due_opts {
	long today;
	bool overdue_only;       /* --overdue */
	long within;             /* --within N: at most N working days left; < 0 for no limit */
	const char *unit;        /* --unit: a unit code, or NULL for all */
	size_t queue_max;        /* cases kept waiting in memory before SQLite sorts the rest;
	                          * 0 for PT_DUE_QUEUE_MAX */
};
enum { PT_DUE_QUEUE_MAX = 65536 };

struct pt_due_result {
	unsigned long long listed, overdue;
	bool provisional;        /* some due date falls in a year without a calendar */
};

/* Every open case with its next deadline (the earliest one started and not met), its due
 * date, working days left and state, sorted by due date, then by id. Cases are read in one
 * pass in the order of their receipt and printed as soon as no case still to read can come
 * before them; at most queue_max wait in memory, the rest is sorted by SQLite in a
 * temporary table, so memory does not grow with their number. */
int pt_schedule_due(struct pt_db *db, const struct pt_rules *r, const struct pt_due_opts *o,
		    struct pt_fmt *out, struct pt_due_result *res, struct pt_err *e);

#endif
