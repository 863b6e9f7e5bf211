#include "cal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

long pt_days_from_civil(int y, int m, int d)
{
	long yy = y - (m <= 2);
	long era = (yy >= 0 ? yy : yy - 399) / 400;
	long yoe = yy - era * 400;
	long doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + doe - 719468;
}

void pt_civil_from_days(long z, int *y, int *m, int *d)
{
	z += 719468;
	long era = (z >= 0 ? z : z - 146096) / 146097;
	long doe = z - era * 146097;
	long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long mp = (5 * doy + 2) / 153;

	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

static int days_in_month(int y, int m)
{
	static const int len[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 && leap ? 29 : len[m - 1];
}

bool pt_date_valid(int y, int m, int d)
{
	return y >= 1800 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 && d <= days_in_month(y, m);
}

/* Read 1..maxlen ASCII digits. */
static bool read_num(const char **p, int maxlen, int *out)
{
	int n = 0, v = 0;

	while (**p >= '0' && **p <= '9' && n < maxlen) {
		v = v * 10 + (**p - '0');
		(*p)++;
		n++;
	}
	if (n == 0 || (**p >= '0' && **p <= '9'))
		return false;
	*out = v;
	return true;
}

static bool eat(const char **p, const char *lit)
{
	size_t n = strlen(lit);

	if (strncmp(*p, lit, n) != 0)
		return false;
	*p += n;
	return true;
}

static const char *skip_blanks(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

bool pt_date_parse(const char *s, long *days)
{
	const char *p = skip_blanks(s);
	int y, m, d;

	if (!read_num(&p, 4, &y) || p - skip_blanks(s) != 4)
		return false;
	if (eat(&p, "年")) {
		if (!read_num(&p, 2, &m) || !eat(&p, "月") || !read_num(&p, 2, &d))
			return false;
		eat(&p, "日");
	} else {
		char sep = *p;

		if (sep != '-' && sep != '/' && sep != '.')
			return false;
		p++;
		if (!read_num(&p, 2, &m) || *p != sep)
			return false;
		p++;
		if (!read_num(&p, 2, &d))
			return false;
	}
	if (*skip_blanks(p) != '\0' || !pt_date_valid(y, m, d))
		return false;
	*days = pt_days_from_civil(y, m, d);
	return true;
}

void pt_date_format(long days, char out[PT_DATE_LEN])
{
	int y, m, d;
	char tmp[32];

	pt_civil_from_days(days, &y, &m, &d);
	snprintf(tmp, sizeof tmp, "%04d-%02d-%02d", y, m, d);
	memcpy(out, tmp, PT_DATE_LEN - 1);
	out[PT_DATE_LEN - 1] = '\0';
}

long pt_date_today(void)
{
	const char *fixed = getenv("PETITION_TODAY");
	long days;

	if (fixed && *fixed && pt_date_parse(fixed, &days))
		return days;
	return pt_date_clock_today();
}

long pt_date_clock_today(void)
{
	/* Beijing time is UTC+8 all year. */
	time_t t = time(NULL) + 8 * 3600;

	return (long)(t / 86400);
}

int pt_date_year(long days)
{
	int y, m, d;

	pt_civil_from_days(days, &y, &m, &d);
	return y;
}

void pt_now_utc(char out[21])
{
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}
