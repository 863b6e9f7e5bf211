/* cal: civil dates (Beijing time), as a count of days since 1970-01-01.
 *
 * A day number makes date arithmetic plain integer arithmetic; conversion to and from
 * year/month/day uses Howard Hinnant's days-from-civil algorithm (proleptic Gregorian). */
#ifndef PT_CAL_H
#define PT_CAL_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "buf.h"

#define PT_DATE_LEN 11 /* "YYYY-MM-DD" and its NUL */

long pt_days_from_civil(int y, int m, int d);
void pt_civil_from_days(long days, int *y, int *m, int *d);
bool pt_date_valid(int y, int m, int d);

/* Parse YYYY-MM-DD, YYYY/M/D (also YYYY-M-D, YYYY.M.D) or YYYY年M月D日, surrounding blanks
 * allowed. false for anything else or a day that does not exist (2025-02-29). */
bool pt_date_parse(const char *s, long *days);
/* Write "YYYY-MM-DD" into out (PT_DATE_LEN bytes). */
void pt_date_format(long days, char out[PT_DATE_LEN]);
/* Today in Beijing (UTC+8, no daylight saving). The environment variable PETITION_TODAY
 * (YYYY-MM-DD) overrides it, for tests and for entering a backlog as of a past day. */
long pt_date_today(void);
/* Today in Beijing by the clock, whatever PETITION_TODAY says. */
long pt_date_clock_today(void);
int pt_date_year(long days);

/* The first and the last day of the month a day is in. */
long pt_month_first(long days);
long pt_month_last(long days);

/* Day of the week: 0 Monday ... 6 Sunday. */
int pt_weekday(long days);
/* 周一 ... 周日 for a day. */
const char *pt_weekday_name(long days);

/* ---- the working calendar (法定节假日 and 调休) ----
 *
 * A year's calendar, as the State Council publishes it each November: its holidays (named
 * ranges of days off) and its make-up working days (调休: a Saturday or Sunday that is a
 * working day). Any other Monday to Friday is a working day, any other Saturday or Sunday
 * a rest day. */
struct pt_holiday {
	char *name;
	long from, to;           /* day numbers, inclusive */
};

struct pt_cal_year {
	int year;
	char *source;            /* the notice it comes from, or NULL */
	bool provisional;        /* entered before the notice, or unsure: its days are reported
	                          * provisional as those of a year not given */
	struct pt_holiday *holidays;
	size_t nholidays;
	long *workdays;          /* make-up working days */
	size_t nworkdays;
	long line, col;          /* where the rules file gives it */
};

enum pt_day_kind { PT_DAY_WORK, PT_DAY_WEEKEND, PT_DAY_HOLIDAY, PT_DAY_MAKEUP };

/* A calendar made from the years given (borrowed: the years must outlive it). Days of a
 * year not given are never guessed beyond the weekend: every answer says whether such a
 * day was involved (*provisional), so callers can warn. Counting and adding working days
 * take constant and logarithmic time. pt_calendar_free() frees it. */
struct pt_calendar;

struct pt_calendar *pt_calendar_new(const struct pt_cal_year *years, size_t nyears);
void pt_calendar_free(struct pt_calendar *c);
/* Whether the year is given and not marked provisional. */
bool pt_calendar_has_year(const struct pt_calendar *c, int year);
/* What kind of day; *name gets a holiday's name (else NULL); *provisional is set (never
 * cleared) when the day's year is not loaded. */
enum pt_day_kind pt_calendar_day(const struct pt_calendar *c, long day, const char **name,
				 bool *provisional);
/* Working days in [from, to] (0 when to < from). */
long pt_calendar_count(const struct pt_calendar *c, long from, long to, bool *provisional);
/* The n-th working day after `day` (n >= 1; the day itself is not counted). */
long pt_calendar_add(const struct pt_calendar *c, long day, long n, bool *provisional);
const char *pt_day_kind_name(enum pt_day_kind k);

/* A stored timestamp (UTC ISO 8601, "2026-11-28T01:30:00Z") as people read it: in the zone
 * `offset` minutes east of UTC, with that offset ("2026-11-28T09:30:00+08:00"); anything
 * that is not such a timestamp as it is. Appended to out. */
void pt_time_show(const char *utc, int offset, struct pt_buf *out);
/* The current time as UTC ISO 8601 ("2026-11-28T20:04:19Z"), for event timestamps. */
void pt_now_utc(char out[21]);
/* A moment as pt_now_utc() writes the present: UTC, YYYY-MM-DDTHH:MM:SSZ. */
void pt_utc_at(time_t t, char out[21]);

#endif
