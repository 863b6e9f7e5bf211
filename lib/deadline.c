#include "deadline.h"

void pt_deadline_compute(const struct pt_calendar *c, long start, int days, bool working,
			 struct pt_deadline *out)
{
	const char *name;
	enum pt_day_kind k;

	out->start = start;
	out->provisional = false;
	if (working) {
		out->due = out->nominal = pt_calendar_add(c, start, days, &out->provisional);
		return;
	}
	out->nominal = start + days;
	out->due = out->nominal;
	k = pt_calendar_day(c, out->due, &name, &out->provisional);
	if (k == PT_DAY_WEEKEND || k == PT_DAY_HOLIDAY)
		out->due = pt_calendar_add(c, out->nominal, 1, &out->provisional);
}

long pt_deadline_left(const struct pt_calendar *c, long today, long due, bool *provisional)
{
	if (today <= due)
		return pt_calendar_count(c, today + 1, due, provisional);
	return -pt_calendar_count(c, due + 1, today, provisional);
}
