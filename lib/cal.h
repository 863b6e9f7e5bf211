/* cal: civil dates (Beijing time), as a count of days since 1970-01-01.
 *
 * A day number makes date arithmetic plain integer arithmetic; conversion to and from
 * year/month/day uses Howard Hinnant's days-from-civil algorithm (proleptic Gregorian). */
#ifndef PT_CAL_H
#define PT_CAL_H

#include <stdbool.h>

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

/* The current time as UTC ISO 8601 ("2026-11-28T20:04:19Z"), for event timestamps. */
void pt_now_utc(char out[21]);

#endif
