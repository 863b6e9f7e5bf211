#include "cal.h"
#include "buf.h"

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

	/* By hand rather than snprintf: listings format a date or two per row. */
	pt_civil_from_days(days, &y, &m, &d);
	if (y < 0 || y > 9999)
		y = 0;
	out[0] = (char)('0' + y / 1000);
	out[1] = (char)('0' + y / 100 % 10);
	out[2] = (char)('0' + y / 10 % 10);
	out[3] = (char)('0' + y % 10);
	out[4] = '-';
	out[5] = (char)('0' + m / 10);
	out[6] = (char)('0' + m % 10);
	out[7] = '-';
	out[8] = (char)('0' + d / 10);
	out[9] = (char)('0' + d % 10);
	out[10] = '\0';
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

long pt_month_first(long days)
{
	int y, m, d;

	pt_civil_from_days(days, &y, &m, &d);
	return days - (d - 1);
}

long pt_month_last(long days)
{
	int y, m, d;

	pt_civil_from_days(days, &y, &m, &d);
	return days + (days_in_month(y, m) - d);
}

int pt_date_year(long days)
{
	int y, m, d;

	pt_civil_from_days(days, &y, &m, &d);
	return y;
}

void pt_utc_at(time_t t, char out[21])
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void pt_now_utc(char out[21])
{
	pt_utc_at(time(NULL), out);
}

/* Floor division and modulo, for days before 1970. */
static long long floor_div(long long a, long long b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

int pt_weekday(long days)
{
	/* 1970-01-01 was a Thursday (3). */
	return (int)(days + 3 - floor_div(days + 3, 7) * 7);
}

const char *pt_weekday_name(long days)
{
	static const char *const names[] = { "周一", "周二", "周三", "周四", "周五", "周六", "周日" };

	return names[pt_weekday(days)];
}

/* Monday to Friday before day x, counted from a Monday (1969-12-29 = day -3). */
static long weekdays_before(long x)
{
	long m = x + 3, weeks = (long)floor_div(m, 7), rest = m - weeks * 7;

	return weeks * 5 + (rest < 5 ? rest : 5);
}

struct pt_calendar {
	long first, last;            /* the span from the first loaded year to the last */
	int first_year, last_year;
	unsigned char *kind;         /* per day of the span: enum pt_day_kind */
	const char **name;           /* per day: holiday name or NULL */
	long *before;                /* per day of the span, and one more: working days before it */
	unsigned char *loaded;       /* per year of the span */
	bool all_loaded;             /* every year of the span has its calendar */
};

static bool is_weekend(long day)
{
	return pt_weekday(day) >= 5;
}

struct pt_calendar *pt_calendar_new(const struct pt_cal_year *years, size_t nyears)
{
	struct pt_calendar *c = pt_xcalloc(1, sizeof *c);
	long n;

	if (nyears == 0)
		return c;
	c->first_year = c->last_year = years[0].year;
	for (size_t i = 1; i < nyears; i++) {
		if (years[i].year < c->first_year)
			c->first_year = years[i].year;
		if (years[i].year > c->last_year)
			c->last_year = years[i].year;
	}
	c->first = pt_days_from_civil(c->first_year, 1, 1);
	c->last = pt_days_from_civil(c->last_year, 12, 31);
	n = c->last - c->first + 1;
	c->kind = pt_xcalloc((size_t)n, 1);
	c->name = pt_xcalloc((size_t)n, sizeof *c->name);
	c->before = pt_xcalloc((size_t)n + 1, sizeof *c->before);
	c->loaded = pt_xcalloc((size_t)(c->last_year - c->first_year + 1), 1);
	for (long d = 0; d < n; d++)
		c->kind[d] = is_weekend(c->first + d) ? PT_DAY_WEEKEND : PT_DAY_WORK;
	for (size_t i = 0; i < nyears; i++) {
		const struct pt_cal_year *y = &years[i];

		c->loaded[y->year - c->first_year] = !y->provisional;
		for (size_t h = 0; h < y->nholidays; h++)
			for (long d = y->holidays[h].from; d <= y->holidays[h].to; d++)
				if (d >= c->first && d <= c->last) {
					c->kind[d - c->first] = PT_DAY_HOLIDAY;
					c->name[d - c->first] = y->holidays[h].name;
				}
		for (size_t w = 0; w < y->nworkdays; w++)
			if (y->workdays[w] >= c->first && y->workdays[w] <= c->last)
				c->kind[y->workdays[w] - c->first] = PT_DAY_MAKEUP;
	}
	c->all_loaded = true;
	for (int y = c->first_year; y <= c->last_year; y++)
		c->all_loaded &= c->loaded[y - c->first_year];
	for (long d = 0; d < n; d++)
		c->before[d + 1] = c->before[d] +
				   (c->kind[d] == PT_DAY_WORK || c->kind[d] == PT_DAY_MAKEUP);
	return c;
}

void pt_calendar_free(struct pt_calendar *c)
{
	if (!c)
		return;
	free(c->kind);
	free(c->name);
	free(c->before);
	free(c->loaded);
	free(c);
}

bool pt_calendar_has_year(const struct pt_calendar *c, int year)
{
	return c->kind && year >= c->first_year && year <= c->last_year && c->loaded[year - c->first_year];
}

/* Mark provisional when [from, to] touches a year that is not loaded or is provisional. */
static void note_years(const struct pt_calendar *c, long from, long to, bool *provisional)
{
	if (*provisional || (c->all_loaded && from >= c->first && to <= c->last))
		return; /* the common case, without converting dates */
	int y1 = pt_date_year(from), y2 = pt_date_year(to);

	for (int y = y1; y <= y2 && !*provisional; y++)
		if (!pt_calendar_has_year(c, y))
			*provisional = true;
}

enum pt_day_kind pt_calendar_day(const struct pt_calendar *c, long day, const char **name,
				 bool *provisional)
{
	*name = NULL;
	note_years(c, day, day, provisional);
	if (!c->kind || day < c->first || day > c->last)
		return is_weekend(day) ? PT_DAY_WEEKEND : PT_DAY_WORK;
	*name = c->name[day - c->first];
	return (enum pt_day_kind)c->kind[day - c->first];
}

/* Working days before day x: weekdays outside the span, the table inside it. */
static long working_before(const struct pt_calendar *c, long x)
{
	if (!c->kind || x <= c->first)
		return weekdays_before(x);
	if (x > c->last + 1)
		return weekdays_before(c->first) + c->before[c->last + 1 - c->first] +
		       (weekdays_before(x) - weekdays_before(c->last + 1));
	return weekdays_before(c->first) + c->before[x - c->first];
}

long pt_calendar_count(const struct pt_calendar *c, long from, long to, bool *provisional)
{
	if (to < from)
		return 0;
	note_years(c, from, to, provisional);
	return working_before(c, to + 1) - working_before(c, from);
}

long pt_calendar_add(const struct pt_calendar *c, long day, long n, bool *provisional)
{
	long target = working_before(c, day + 1) + n;
	long lo = day + 1, hi = day + 1 + n * 2 + 30;

	/* The first x with working_before(x + 1) >= target: binary search, since at most a
	 * few weeks of holidays stand between working days. */
	while (working_before(c, hi + 1) < target)
		hi += n + 30;
	while (lo < hi) {
		long mid = lo + (hi - lo) / 2;

		if (working_before(c, mid + 1) >= target)
			hi = mid;
		else
			lo = mid + 1;
	}
	note_years(c, day, lo, provisional);
	return lo;
}

const char *pt_day_kind_name(enum pt_day_kind k)
{
	static const char *const names[] = { "work", "weekend", "holiday", "makeup" };

	return names[k];
}

void pt_time_show(const char *utc, int offset, struct pt_buf *out)
{
	int y, mo, d, h, mi, sec, used = 0;
	long long t;
	long day;

	if (!utc || strlen(utc) != 20 ||
	    sscanf(utc, "%4d-%2d-%2dT%2d:%2d:%2dZ%n", &y, &mo, &d, &h, &mi, &sec, &used) != 6 || used != 20 ||
	    !pt_date_valid(y, mo, d) || h > 23 || mi > 59 || sec > 60) {
		pt_buf_adds(out, utc ? utc : "");
		return;
	}
	t = (long long)pt_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec + offset * 60LL;
	day = (long)floor_div(t, 86400);
	t -= (long long)day * 86400;
	pt_civil_from_days(day, &y, &mo, &d);
	pt_buf_addf(out, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d", y, mo, d, (int)(t / 3600), (int)(t / 60 % 60),
		    (int)(t % 60), offset < 0 ? '-' : '+', abs(offset) / 60, abs(offset) % 60);
}
