/* Unit tests of lib/deadline on the default rules' calendar: hand-worked deadlines across the
 * 2025/2026 holidays, make-up days, month and year ends, and a year without a calendar. */
#include "../../lib/deadline.h"
#include "../../lib/rules.h"
#include "tap.h"

static long D(int y, int m, int d)
{
	return pt_days_from_civil(y, m, d);
}

static const char *fmt(long days)
{
	static char out[4][PT_DATE_LEN];
	static int i;

	i = (i + 1) % 4;
	pt_date_format(days, out[i]);
	return out[i];
}

int main(void)
{
	struct pt_errlist l = PT_ERRLIST_INIT;
	const char *text = pt_rules_default_text();
	struct pt_rules *r = pt_rules_parse(text, strlen(text), "(default)", &l);
	struct pt_calendar *c = pt_calendar_new(r->cal_years, r->ncal_years);
	struct pt_deadline d;
	bool prov = false;

	/* 15 days from Wed 2026-09-16: day 15 is 10-01, 国庆节 runs to 10-07: 10-08 (Thu). */
	pt_deadline_compute(c, D(2026, 9, 16), 15, false, &d);
	is_str(fmt(d.nominal), "2026-10-01", "15 days from 2026-09-16 end on 10-01 ...");
	is_str(fmt(d.due), "2026-10-08", "... a holiday, so the deadline is 10-08");
	ok(!d.provisional, "not provisional");

	/* 15 days from Sun 2026-02-01: 02-16, in 春节 (02-15..23): 02-24. */
	pt_deadline_compute(c, D(2026, 2, 1), 15, false, &d);
	is_str(fmt(d.due), "2026-02-24", "15 days from 2026-02-01: 02-24, after 春节");

	/* 15 days from Mon 2026-03-02: Tue 03-17, a working day. */
	pt_deadline_compute(c, D(2026, 3, 2), 15, false, &d);
	ok(d.due == d.nominal && d.due == D(2026, 3, 17), "15 days from 2026-03-02: 03-17, unmoved");

	/* 15 days from Fri 2026-01-30: Sat 02-14, a make-up working day: it stands. */
	pt_deadline_compute(c, D(2026, 1, 30), 15, false, &d);
	is_str(fmt(d.due), "2026-02-14", "ending on a make-up Saturday: it stands");

	/* 15 days from Sat 2026-03-07: Sun 03-22, a weekend day: Mon 03-23. */
	pt_deadline_compute(c, D(2026, 3, 7), 15, false, &d);
	is_str(fmt(d.due), "2026-03-23", "ending on a Sunday: the Monday");

	/* 5 working days from Wed 2026-09-30: 10-08, 10-09, 10-10 (Sat, make-up), 10-12, 10-13. */
	pt_deadline_compute(c, D(2026, 9, 30), 5, true, &d);
	is_str(fmt(d.due), "2026-10-13", "5 working days from 2026-09-30: 10-13");

	/* 60 days from Mon 2026-08-03: 08-31 is day 28, 09-30 day 58, 10-02 day 60: 国庆节: 10-08. */
	pt_deadline_compute(c, D(2026, 8, 3), 60, false, &d);
	is_str(fmt(d.nominal), "2026-10-02", "60 days from 2026-08-03 end on 10-02 ...");
	is_str(fmt(d.due), "2026-10-08", "... moved past 国庆节 to 10-08");
	/* Extended by 30: 90 days: 11-01, a Sunday: 11-02. */
	pt_deadline_compute(c, D(2026, 8, 3), 90, false, &d);
	is_str(fmt(d.due), "2026-11-02", "extended by 30 (90 days): 11-01 is a Sunday, so 11-02");

	/* 30 days from Tue 2025-12-02: 2026-01-01, 元旦 (01-01..03), then Sun 01-04 is worked. */
	pt_deadline_compute(c, D(2025, 12, 2), 30, false, &d);
	is_str(fmt(d.due), "2026-01-04", "across the year end: 01-04, a worked Sunday");

	/* 5 working days from Fri 2025-01-24: 01-26 (Sun, worked), 01-27; 春节 01-28..02-04;
	 * 02-05, 02-06, 02-07. */
	pt_deadline_compute(c, D(2025, 1, 24), 5, true, &d);
	is_str(fmt(d.due), "2025-02-07", "5 working days from 2025-01-24: 02-07");

	/* 2027 has no calendar: 15 days from 2026-12-20 is Mon 2027-01-04, provisional. */
	pt_deadline_compute(c, D(2026, 12, 20), 15, false, &d);
	ok(d.due == D(2027, 1, 4) && d.provisional, "into 2027: 01-04, provisional");

	/* Working days left to Tue 2026-10-13 on Fri 10-09: 10-10 (Sat, worked), 10-12, 10-13. */
	ok(pt_deadline_left(c, D(2026, 10, 9), D(2026, 10, 13), &prov) == 3, "3 working days left");
	ok(pt_deadline_left(c, D(2026, 10, 13), D(2026, 10, 13), &prov) == 0, "0 on the due date");
	ok(pt_deadline_left(c, D(2026, 10, 15), D(2026, 10, 13), &prov) == -2, "2 working days late");
	ok(pt_deadline_left(c, D(2026, 10, 5), D(2026, 9, 30), &prov) == 0,
	   "late only by holidays: 0 working days (but overdue by date)");
	ok(!prov, "all within 2026");

	pt_calendar_free(c);
	pt_rules_free(r);
	pt_errlist_release(&l);
	return done_testing();
}
