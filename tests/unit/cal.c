/* Unit tests of lib/cal: civil dates, parsing and printing. Values worked by hand. */
#include "../../lib/cal.h"
#include "tap.h"

#include <stdlib.h>

static const char *fmt(long days)
{
	static char out[PT_DATE_LEN];

	pt_date_format(days, out);
	return out;
}

static long parse(const char *s)
{
	long d = -999999;

	return pt_date_parse(s, &d) ? d : -999999;
}

/* pt_time_show into a static buffer, for comparing. */
static const char *shown(const char *utc, int offset)
{
	static char out[64];
	struct pt_buf b = PT_BUF_INIT;

	pt_time_show(utc, offset, &b);
	snprintf(out, sizeof out, "%s", b.buf ? b.buf : "");
	pt_buf_release(&b);
	return out;
}

int main(void)
{
	/* 1970-01-01 is day 0; 2026-01-01 is 56*365 + 14 leap days (1972..2024) = 20454;
	 * 2026-11-28 is 20454 + 304 (Jan..Oct) + 27 = 20785. */
	ok(pt_days_from_civil(1970, 1, 1) == 0, "1970-01-01 is day 0");
	ok(pt_days_from_civil(2026, 1, 1) == 20454, "2026-01-01 is day 20454");
	ok(pt_days_from_civil(2026, 11, 28) == 20785, "2026-11-28 is day 20785");
	ok(pt_days_from_civil(1969, 12, 31) == -1, "1969-12-31 is day -1");
	is_str(fmt(20785), "2026-11-28", "day 20785 prints as 2026-11-28");
	is_str(fmt(pt_days_from_civil(2024, 2, 29) + 1), "2024-03-01", "the day after 2024-02-29");
	is_str(fmt(pt_days_from_civil(2025, 12, 31) + 1), "2026-01-01", "the day after 2025-12-31");

	ok(parse("2026-11-28") == 20785, "YYYY-MM-DD");
	ok(parse("2026/11/28") == 20785, "YYYY/MM/DD");
	ok(parse("2026/7/8") == pt_days_from_civil(2026, 7, 8), "YYYY/M/D");
	ok(parse("2026-7-8") == pt_days_from_civil(2026, 7, 8), "YYYY-M-D");
	ok(parse("2026年7月8日") == pt_days_from_civil(2026, 7, 8), "YYYY年M月D日");
	ok(parse("2026年11月28日") == 20785, "YYYY年MM月DD日");
	ok(parse("2026年7月8") == pt_days_from_civil(2026, 7, 8), "YYYY年M月D without 日");
	ok(parse(" 2026-11-28 ") == 20785, "blanks around");
	ok(parse("2024-02-29") == pt_days_from_civil(2024, 2, 29), "2024-02-29 exists");
	ok(parse("2025-02-29") == -999999, "2025-02-29 does not exist");
	ok(parse("1900-02-29") == -999999, "1900-02-29 does not exist (not a leap year)");
	ok(parse("2000-02-29") != -999999, "2000-02-29 exists (leap year)");
	ok(parse("2026-04-31") == -999999, "2026-04-31 does not exist");
	ok(parse("2026-13-01") == -999999, "month 13");
	ok(parse("2026-00-10") == -999999, "month 0");
	ok(parse("26-07-08") == -999999, "two-digit year");
	ok(parse("20260708") == -999999, "no separators");
	ok(parse("2026/07-08") == -999999, "mixed separators");
	ok(parse("2026-07-08x") == -999999, "trailing text");
	ok(parse("2026年7月") == -999999, "no day");
	ok(parse("") == -999999, "empty");
	ok(parse("2026-007-08") == -999999, "three-digit month");

	/* Shown times: 01:30 UTC is 09:30 in Beijing (+8 h); 16:30 UTC on 12-31 is 00:30 on
	 * 01-01 in Beijing, the day and year after; 2024-03-01T02:00Z at -05:00 is 21:00 the
	 * day before, 02-29 of a leap year. */
	is_str(shown("2026-11-28T01:30:00Z", 480), "2026-11-28T09:30:00+08:00", "01:30 UTC is 09:30 Beijing time");
	is_str(shown("2025-12-31T16:30:05Z", 480), "2026-01-01T00:30:05+08:00", "across midnight and the year");
	is_str(shown("2024-03-01T02:00:00Z", -300), "2024-02-29T21:00:00-05:00", "a negative offset, back to 02-29");
	is_str(shown("2026-11-28T01:30:00Z", 0), "2026-11-28T01:30:00+00:00", "UTC");
	is_str(shown("2026-11-28 01:30", 480), "2026-11-28 01:30", "not a stored timestamp: as it is");
	is_str(shown("2026-02-30T01:30:00Z", 480), "2026-02-30T01:30:00Z", "no such day: as it is");

	setenv("PETITION_TODAY", "2026-02-14", 1);
	ok(pt_date_today() == pt_days_from_civil(2026, 2, 14), "PETITION_TODAY fixes today");
	ok(pt_date_year(pt_days_from_civil(2025, 12, 31)) == 2025, "year of a day");
	return done_testing();
}
