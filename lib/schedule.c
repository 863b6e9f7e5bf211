#include "schedule.h"
#include "cal.h"

#include <string.h>

const struct pt_col pt_schedule_calendar_cols[] = {
	{ "date", false }, { "weekday", false }, { "kind", false }, { "holiday", false },
	{ "provisional", false },
};
const size_t pt_schedule_calendar_ncols = sizeof pt_schedule_calendar_cols / sizeof *pt_schedule_calendar_cols;

static const char *const weekday_names[] = { "周一", "周二", "周三", "周四", "周五", "周六", "周日" };

static int first_missing_year(const struct pt_calendar *c, long from, long to)
{
	for (int y = pt_date_year(from); y <= pt_date_year(to); y++)
		if (!pt_calendar_has_year(c, y))
			return y;
	return 0;
}

int pt_schedule_calendar(const struct pt_rules *r, long from, long to, struct pt_fmt *out,
			 struct pt_calendar_result *res, struct pt_err *e)
{
	struct pt_calendar *c;
	int rc = 0;

	memset(res, 0, sizeof *res);
	if (to < from)
		return pt_err_set(e, PT_EUSAGE, "the range ends before it begins");
	if (to - from > 36600)
		return pt_err_set(e, PT_EUSAGE, "a range of at most 100 years");
	c = pt_calendar_new(r->cal_years, r->ncal_years);
	res->working_days = pt_calendar_count(c, from, to, &res->provisional);
	if (res->provisional)
		res->first_missing_year = first_missing_year(c, from, to);
	for (long d = from; out && d <= to && rc == 0; d++) {
		char date[PT_DATE_LEN];
		const char *name;
		bool prov = false;
		enum pt_day_kind k = pt_calendar_day(c, d, &name, &prov);
		const char *v[] = { date, weekday_names[pt_weekday(d)], pt_day_kind_name(k), name,
				    prov ? "yes" : NULL };

		pt_date_format(d, date);
		rc = pt_fmt_row(out, v, e);
	}
	pt_calendar_free(c);
	return rc;
}
