/* schedule: the working calendar as a listing (petition-schedule calendar).
 *
 * Deadlines and reception days will join this module (issue 3); for now it lists days with
 * their kind and counts working days over a range, from the rules' calendar (cal.h). */
#ifndef PT_SCHEDULE_H
#define PT_SCHEDULE_H

#include <stdbool.h>

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

#endif
