/* deadline: statutory time limits on the working calendar (petition(7), "Time limits").
 *
 * A limit of N days counts from an event's day, which is not counted (Civil Code art. 201):
 * the first day is the day after. A limit in working days ends on the N-th working day after
 * the start. A limit in calendar days ends N days after the start, and when that day is a
 * rest day (weekend or public holiday, not a make-up working day) it moves to the next
 * working day (art. 203). A deadline is overdue from the day after its due date. */
#ifndef PT_DEADLINE_H
#define PT_DEADLINE_H

#include <stdbool.h>

#include "cal.h"

struct pt_deadline {
	long start;              /* the day of the event it counts from */
	long nominal;            /* start + days, before moving off a rest day (calendar days) */
	long due;                /* the last day to act */
	bool provisional;        /* a year on the way has no calendar in the rules */
};

/* days >= 1; `working` counts working days, else calendar days. */
void pt_deadline_compute(const struct pt_calendar *c, long start, int days, bool working,
			 struct pt_deadline *out);

/* Working days from `today` to `due`: those after today up to and including due, or, when
 * due has passed, minus those after due up to and including today. 0 on the due date. */
long pt_deadline_left(const struct pt_calendar *c, long today, long due, bool *provisional);

#endif
