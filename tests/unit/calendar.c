/* Unit tests of the working calendar in lib/cal with the default rules' 2025 and 2026
 * calendars (the State Council notices in examples/rules.yaml). Every expected value is worked out by hand in the comments. */
#include "../../lib/rules.h"
#include "tap.h"

static long D(int y, int m, int d)
{
	return pt_days_from_civil(y, m, d);
}

static const char *fmt(long days)
{
	static char out[PT_DATE_LEN];

	pt_date_format(days, out);
	return out;
}

int main(void)
{
	struct pt_errlist l = PT_ERRLIST_INIT;
	const char *text = pt_rules_default_text();
	struct pt_rules *r = pt_rules_parse(text, strlen(text), "(default)", &l);
	struct pt_calendar *c = pt_calendar_new(r->cal_years, r->ncal_years);
	const char *name;
	bool prov = false;

	ok(pt_weekday(D(2026, 11, 28)) == 5, "2026-11-28 is a Saturday");
	ok(pt_weekday(D(1969, 12, 29)) == 0, "1969-12-29 was a Monday");
	ok(pt_calendar_has_year(c, 2025) && pt_calendar_has_year(c, 2026) && !pt_calendar_has_year(c, 2027),
	   "2025 and 2026 loaded, 2027 not");

	ok(pt_calendar_day(c, D(2026, 2, 14), &name, &prov) == PT_DAY_MAKEUP, "2026-02-14 (Sat) is a make-up day");
	ok(pt_calendar_day(c, D(2026, 2, 16), &name, &prov) == PT_DAY_HOLIDAY, "2026-02-16 (Mon) is a holiday");
	is_str(name, "春节", "named 春节");
	ok(pt_calendar_day(c, D(2026, 2, 13), &name, &prov) == PT_DAY_WORK && !name, "2026-02-13 (Fri) is a working day");
	ok(pt_calendar_day(c, D(2026, 3, 7), &name, &prov) == PT_DAY_WEEKEND, "2026-03-07 (Sat) is a weekend day");
	ok(!prov, "nothing provisional so far");

	/* February 2026: 20 weekdays, of which 6 (16-20, 23) in 春节, plus the make-up
	 * Saturdays 14 and 28: 16. */
	ok(pt_calendar_count(c, D(2026, 2, 1), D(2026, 2, 28), &prov) == 16, "16 working days in February 2026");
	/* October 2026: 22 weekdays, 5 of them (1, 2, 5, 6, 7) in 国庆节, plus Saturday 10: 18. */
	ok(pt_calendar_count(c, D(2026, 10, 1), D(2026, 10, 31), &prov) == 18, "18 working days in October 2026");
	/* 2025: 261 weekdays; holidays on weekdays: 01-01, 01-28..31 and 02-03..04 (6 + 1),
	 * 04-04, 05-01..02 and 05-05, 06-02, 10-01..03 and 10-06..08 (6): 1+6+1+3+1+6 = 18;
	 * plus 5 make-up days: 261 - 18 + 5 = 248. */
	ok(pt_calendar_count(c, D(2025, 1, 1), D(2025, 12, 31), &prov) == 248, "248 working days in 2025");
	ok(pt_calendar_count(c, D(2026, 3, 2), D(2026, 3, 1), &prov) == 0, "an empty range counts 0");

	/* After 2026-09-30: 10-01..07 off; 10-08 Thu (1), 10-09 Fri (2), 10-10 Sat make-up (3),
	 * 10-12 Mon (4), 10-13 Tue (5). */
	is_str(fmt(pt_calendar_add(c, D(2026, 9, 30), 5, &prov)), "2026-10-13", "5 working days after 2026-09-30");
	is_str(fmt(pt_calendar_add(c, D(2026, 2, 13), 1, &prov)), "2026-02-14", "the make-up Saturday counts");
	is_str(fmt(pt_calendar_add(c, D(2026, 2, 14), 1, &prov)), "2026-02-24", "春节 skipped: 02-24");
	is_str(fmt(pt_calendar_add(c, D(2025, 12, 31), 1, &prov)), "2026-01-04", "across the year end: Sunday 01-04 worked");
	is_str(fmt(pt_calendar_add(c, D(2025, 1, 24), 1, &prov)), "2025-01-26", "2025-01-26 (Sun) is worked");
	/* 60 working days after 2026-01-05 (Mon): hand count by month: Jan 6..31: 19 working days
	 * (weekdays 6-9, 12-16, 19-23, 26-30 = 19); February: 16 (above), 35 so far; March 2026
	 * has 22 weekdays, so the 25 left end in April: 22 in March (57), then April 1 (58), 2 (59),
	 * 3 (60): 2026-04-03, the day before 清明节. */
	is_str(fmt(pt_calendar_add(c, D(2026, 1, 5), 60, &prov)), "2026-04-03", "60 working days after 2026-01-05");
	ok(!prov, "all within loaded years");

	prov = false;
	is_str(fmt(pt_calendar_add(c, D(2027, 1, 1), 1, &prov)), "2027-01-04", "2027: weekends only, Monday 01-04");
	ok(prov, "and marked provisional");
	prov = false;
	ok(pt_calendar_count(c, D(2024, 12, 30), D(2025, 1, 2), &prov) == 3 && prov,
	   "2024-12-30..2025-01-02: Mon, Tue (provisional), 01-01 off, Thu: 3");
	prov = false;
	pt_calendar_day(c, D(2024, 5, 1), &name, &prov);
	ok(prov, "a day of 2024 is provisional");

	{
		struct pt_calendar *none = pt_calendar_new(NULL, 0);

		prov = false;
		ok(pt_calendar_count(none, D(2026, 2, 1), D(2026, 2, 28), &prov) == 20 && prov,
		   "no calendar at all: weekdays, provisional");
		pt_calendar_free(none);
	}
	pt_calendar_free(c);
	pt_rules_free(r);
	pt_errlist_release(&l);
	return done_testing();
}
