#include "report.h"
#include "buf.h"
#include "cal.h"
#include "case.h"
#include "casefile.h"
#include "csv.h"
#include "ident.h"
#include "vocab.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- periods ---- */

static void period_name(struct pt_period *p, const char *fmt, int y, int n)
{
	snprintf(p->name, sizeof p->name, fmt, y, n);
}

/* The quarter (1-4) a day is in, and its year. */
static void quarter_of(long day, int *y, int *q)
{
	int m, d;

	pt_civil_from_days(day, y, &m, &d);
	*q = (m - 1) / 3 + 1;
}

static void set_months(struct pt_period *p, int y, int m1, int nmonths)
{
	int m2 = m1 + nmonths - 1;

	p->from = pt_days_from_civil(y, m1, 1);
	p->to = pt_month_last(pt_days_from_civil(y, m2, 1));
}

int pt_report_period(const char *spec, long today, struct pt_period *p, struct pt_err *e)
{
	int y, n;
	char c, extra;

	memset(p, 0, sizeof *p);
	if (!strcmp(spec, "last")) {
		quarter_of(today, &y, &n);
		if (--n == 0) {
			y--;
			n = 4;
		}
		set_months(p, y, 3 * n - 2, 3);
		period_name(p, "%04dQ%d", y, n);
		return 0;
	}
	if (sscanf(spec, "%4d%c%d%c", &y, &c, &n, &extra) == 3 && y >= 1900 && strlen(spec) == 6 &&
	    ((c == 'Q' && n >= 1 && n <= 4) || (c == 'H' && n >= 1 && n <= 2))) {
		set_months(p, y, c == 'Q' ? 3 * n - 2 : 6 * n - 5, c == 'Q' ? 3 : 6);
		period_name(p, c == 'Q' ? "%04dQ%d" : "%04dH%d", y, n);
		return 0;
	}
	if (sscanf(spec, "%4d-%2d%c", &y, &n, &extra) == 2 && strlen(spec) == 7 && y >= 1900 && n >= 1 && n <= 12) {
		set_months(p, y, n, 1);
		period_name(p, "%04d-%02d", y, n);
		return 0;
	}
	if (sscanf(spec, "%4d%c", &y, &extra) == 1 && strlen(spec) == 4 && y >= 1900) {
		set_months(p, y, 1, 12);
		snprintf(p->name, sizeof p->name, "%04d", y);
		return 0;
	}
	return pt_err_field(e, PT_EUSAGE, "", "period", " '%s' is not a period (2026Q3, 2026H1, 2026, 2026-07 or last)",
			    spec);
}

int pt_report_period_range(const char *from, const char *to, struct pt_period *p, struct pt_err *e)
{
	char a[PT_DATE_LEN], b[PT_DATE_LEN];

	memset(p, 0, sizeof *p);
	if (!pt_date_parse(from, &p->from))
		return pt_err_field(e, PT_EUSAGE, "", "from", " '%s' is not a date", from);
	if (!pt_date_parse(to, &p->to))
		return pt_err_field(e, PT_EUSAGE, "", "to", " '%s' is not a date", to);
	if (p->to < p->from)
		return pt_err_field(e, PT_EUSAGE, "", "to", " is before --from: the period ends before it begins");
	if (p->to - p->from > 36600)
		return pt_err_set(e, PT_EUSAGE, "a period of at most 100 years");
	pt_date_format(p->from, a);
	pt_date_format(p->to, b);
	snprintf(p->name, sizeof p->name, "%s..%s", a, b);
	return 0;
}

/* Months since year 0 of a day. */
static int month_no(long day)
{
	int y, m, d;

	pt_civil_from_days(day, &y, &m, &d);
	return y * 12 + m - 1;
}

/* ---- the parts and their columns ---- */

static const char *const part_names[PT_REPORT_NPARTS] = { "A", "B", "C", "D", "month", "typical" };
static const char *const part_titles[PT_REPORT_NPARTS] = {
	"单位汇总", "领导干部接访", "类别与办理结果", "信访渠道", "逐月情况", "典型案例"
};

int pt_report_part_parse(const char *s)
{
	for (int i = 0; i < PT_REPORT_NPARTS; i++)
		if (!strcmp(s, part_names[i]) || (i < PT_REPORT_MONTH && s[0] == part_names[i][0] + 32 && !s[1]))
			return i;
	return -1;
}

const char *pt_report_part_name(enum pt_report_part p)
{
	return part_names[p];
}

const char *pt_report_part_title(enum pt_report_part p)
{
	return part_titles[p];
}

/* Part A's counters, in the order of its columns after unit, name and level. */
enum {
	A_DAYS_REQUIRED, A_DAYS_PLANNED, A_DAYS_HELD, A_MONTHS_BELOW, A_LEADERS_RECEIVED,
	A_CASES, A_PERSONS, A_AT_RECEPTION, A_COLLECTIVE_CASES, A_COLLECTIVE_PERSONS, A_REPEAT, A_SKIP_LEVEL,
	A_TRANSFERRED_IN, A_NAMED_LETTERS, A_INSTRUCTED_NAMED, A_INSTRUCTED_OTHER,
	A_RESOLVED, A_SUPPORTED, A_PARTLY, A_EXPLAINED, A_NOT_SUPPORTED, A_IN_PROGRESS, A_REJECTED,
	A_TRANSFERRED_OUT, A_RETURNED, A_HANDED_DOWN, A_OBJECTIONS, A_EXTENDED, A_OVERDUE_NOW, A_OVERDUE_PERIOD,
	A_REVIEW, A_REREVIEW, A_REVIEWS_HANDLED, A_REREVIEWS_HANDLED, A_SATISFIED, A_BASICALLY, A_DISSATISFIED, A_NOT_ASKED, A_IMPORTANT, A_MEETINGS,
	NA
};

/* The columns of part A; the two rates come after the counters they are made of. */
static const struct pt_col a_cols[] = {
	{ "unit", false }, { "name", false }, { "level", false },
	{ "days_required", true }, { "days_planned", true }, { "days_held", true }, { "months_below", true },
	{ "leaders_received", true },
	{ "cases", true }, { "persons", true }, { "at_reception", true }, { "collective_cases", true },
	{ "collective_persons", true }, { "repeat", true }, { "skip_level", true }, { "transferred_in", true },
	{ "named_letters", true }, { "instructed_by_named", true }, { "instructed_by_other", true },
	{ "resolved", true }, { "supported", true }, { "partly_supported", true }, { "explained", true },
	{ "not_supported", true }, { "in_progress", true }, { "rejected", true }, { "transferred_out", true },
	{ "returned", true }, { "handed_down", true }, { "objections", true }, { "extended", true },
	{ "overdue_now", true }, { "overdue_in_period", true }, { "review_requests", true },
	{ "rereview_requests", true }, { "reviews_handled", true }, { "rereviews_handled", true }, { "satisfied", true }, { "basically_satisfied", true },
	{ "dissatisfied", true }, { "not_asked", true }, { "important", true }, { "meetings", true },
	{ "resolved_pct", true }, { "satisfied_pct", true },
};

/* Part B's counters, after leader, unit and post. */
enum {
	B_DAYS_PLANNED, B_DAYS_HELD, B_CASES, B_PERSONS, B_INSTRUCTED, B_SUPERVISED, B_DOWN_VISITS, B_HANDLED,
	B_RESOLVED, B_OVERDUE_NOW, NB
};
static const struct pt_col b_cols[] = {
	{ "leader", false }, { "unit", false }, { "post", false },
	{ "days_planned", true }, { "days_held", true }, { "cases", true }, { "persons", true },
	{ "instructed", true }, { "supervised", true }, { "down_visits", true }, { "handled", true },
	{ "resolved", true }, { "overdue_now", true },
};

/* Part C's counters, after the category: the results partition the cases. */
enum {
	C_CASES, C_PERSONS, C_RESOLVED, C_SUPPORTED, C_PARTLY, C_EXPLAINED, C_NOT_SUPPORTED, C_IN_PROGRESS,
	C_REJECTED, C_TRANSFERRED_OUT, C_RETURNED, NC
};
static const struct pt_col c_cols[] = {
	{ "category", false }, { "cases", true }, { "persons", true }, { "resolved", true }, { "supported", true },
	{ "partly_supported", true }, { "explained", true }, { "not_supported", true }, { "in_progress", true },
	{ "rejected", true }, { "transferred_out", true }, { "returned", true },
};

enum { D_CASES, D_PERSONS, ND };
static const struct pt_col d_cols[] = {
	{ "channel", false }, { "label", false }, { "cases", true }, { "persons", true },
};

enum { M_CASES, M_PERSONS, M_RESOLVED, M_OVERDUE_PERIOD, M_OVERDUE_NOW, NM };
static const struct pt_col m_cols[] = {
	{ "month", false }, { "cases", true }, { "persons", true }, { "resolved", true },
	{ "overdue_in_period", true }, { "overdue_now", true },
};

/* The typical cases: one row each, all text but persons. */
enum { T_CASE_NO, T_UNIT, T_RECEIVED_ON, T_CHANNEL, T_CATEGORY, T_PERSONS, T_SUMMARY, T_NOTE, T_DONE, T_STATE,
       T_OUTCOME, NT };
static const struct pt_col t_cols[] = {
	{ "case_no", false }, { "unit", false }, { "received_on", false }, { "channel", false }, { "category", false },
	{ "persons", true }, { "summary", false }, { "note", false }, { "done", false }, { "state", false },
	{ "outcome", false },
};

#define NCOLS(v) (sizeof v / sizeof *v)

/* The printed form's heads (petition-report(1), FORMATS): each column name's Chinese label,
 * and the group it is in in part A. */
static const struct {
	const char *name, *label, *group_a;
} col_heads[] = {
	{ "unit", "单位代码", NULL }, { "name", "单位", NULL }, { "level", "级别", NULL },
	{ "days_required", "应接访日", "接访日" }, { "days_planned", "安排", "接访日" },
	{ "days_held", "已接访", "接访日" }, { "months_below", "不足月数", "接访日" },
	{ "leaders_received", "接访领导", "接访日" },
	{ "cases", "案次", "受理" }, { "persons", "人次", "受理" }, { "at_reception", "领导接待", "受理" },
	{ "collective_cases", "集体访案次", "受理" }, { "collective_persons", "集体访人次", "受理" },
	{ "repeat", "重复访", "受理" }, { "skip_level", "越级访", "受理" }, { "transferred_in", "上级转交", "受理" },
	{ "named_letters", "点名信", "来信" }, { "instructed_by_named", "本人阅批", "来信" },
	{ "instructed_by_other", "他人阅批", "来信" },
	{ "resolved", "已办结", "办理结果" }, { "supported", "支持", "办理结果" },
	{ "partly_supported", "部分支持", "办理结果" }, { "explained", "解释", "办理结果" },
	{ "not_supported", "不支持", "办理结果" }, { "in_progress", "办理中", "办理结果" },
	{ "rejected", "不予受理", "办理结果" }, { "transferred_out", "转送", "办理结果" },
	{ "returned", "退回", "办理结果" }, { "handed_down", "交办", "办理结果" },
	{ "objections", "异议", "办理结果" }, { "extended", "延期", "办理结果" },
	{ "overdue_now", "现超期", "超期" }, { "overdue_in_period", "期内超期", "超期" },
	{ "review_requests", "复查申请", "复查复核" }, { "rereview_requests", "复核申请", "复查复核" },
	{ "reviews_handled", "办理复查", "复查复核" }, { "rereviews_handled", "办理复核", "复查复核" },
	{ "satisfied", "满意", "满意度" }, { "basically_satisfied", "基本满意", "满意度" },
	{ "dissatisfied", "不满意", "满意度" }, { "not_asked", "未征询", "满意度" },
	{ "important", "重要事项", NULL }, { "meetings", "协调会议", NULL },
	{ "resolved_pct", "办结率%", "比率" }, { "satisfied_pct", "满意率%", "比率" },
	{ "leader", "领导", NULL }, { "post", "职务", NULL }, { "instructed", "阅批", NULL },
	{ "supervised", "带案", NULL }, { "down_visits", "下访日", NULL }, { "handled", "经手", NULL },
	{ "category", "类别", NULL }, { "channel", "渠道", NULL }, { "label", "渠道名称", NULL },
	{ "month", "月份", NULL },
	{ "case_no", "案号", NULL }, { "received_on", "收到日期", NULL }, { "summary", "反映问题", NULL },
	{ "note", "典型意义", NULL }, { "done", "办理情况", NULL }, { "state", "状态", NULL },
	{ "outcome", "办理结果", NULL },
};

static int col_head(const char *name)
{
	for (size_t i = 0; i < NCOLS(col_heads); i++)
		if (!strcmp(col_heads[i].name, name))
			return (int)i;
	return -1;
}

const char *pt_report_col_label(const char *name)
{
	int i = col_head(name);

	return i < 0 ? NULL : col_heads[i].label;
}

const char *pt_report_col_group(enum pt_report_part p, const char *name)
{
	int i = col_head(name);

	return i < 0 || p != PT_REPORT_A ? NULL : col_heads[i].group_a;
}

const struct pt_col *pt_report_cols(enum pt_report_part p, size_t *ncols)
{
	static const struct {
		const struct pt_col *cols;
		size_t n;
	} parts[PT_REPORT_NPARTS] = {
		{ a_cols, NCOLS(a_cols) }, { b_cols, NCOLS(b_cols) }, { c_cols, NCOLS(c_cols) },
		{ d_cols, NCOLS(d_cols) }, { m_cols, NCOLS(m_cols) }, { t_cols, NCOLS(t_cols) },
	};

	*ncols = parts[p].n;
	return parts[p].cols;
}

/* ---- the counters ---- */

struct pt_report_counts {
	size_t nunits;           /* the rules' units, then one row for units not in the rules */
	long long (*unit)[NA];
	bool *selected;          /* by unit: in the report (--unit: it and the units below) */
	long long (*leader)[NB];
	bool *leader_selected;
	char *involved;          /* by leader: scratch for one case */
	struct named *units_by_code, *leaders_by_name; /* the rules' units and leaders, sorted */
	char **cat_names;        /* the rules' categories, then any other met in the cases */
	size_t ncats, cats_alloc;
	long long (*cat)[NC];
	long long chan[PT_VOCAB_MAX][ND];
	int month0, nmonths;
	long long (*month)[NM];
	int whole0, nwhole;      /* the months the period covers entirely: first (month_no) and count */
	long long *held_in_month;    /* by unit and whole month: reception days held */
	char *(*typical)[NT];    /* the typical cases' cells, in the order of t_cols */
	size_t ntypical, typical_alloc;
};

/* A name and its index in the rules, for finding the units and leaders of each case by
 * binary search rather than a comparison with every one. */
struct named {
	const char *name;
	int i;
};

static int named_cmp(const void *a, const void *b)
{
	return strcmp(((const struct named *)a)->name, ((const struct named *)b)->name);
}

/* The index of `name` in v (n entries, sorted), or `none`. */
static int named_find(const struct named *v, size_t n, const char *name, int none)
{
	const struct named key = { name, 0 }, *hit = name ? bsearch(&key, v, n, sizeof *v, named_cmp) : NULL;

	return hit ? hit->i : none;
}

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);

	if (!p)
		abort();
	return p;
}

static int unit_index(const struct pt_rules *r, const char *code)
{
	for (size_t i = 0; i < r->nunits; i++)
		if (!strcmp(r->units[i].code, code))
			return (int)i;
	return (int)r->nunits;
}

/* Whether unit i is `top` or below it. */
static bool below_or_at(const struct pt_rules *r, size_t i, const char *top)
{
	for (int depth = 0; depth <= (int)r->nunits && i < r->nunits; depth++) {
		if (!strcmp(r->units[i].code, top))
			return true;
		if (!r->units[i].parent)
			return false;
		i = (size_t)unit_index(r, r->units[i].parent);
	}
	return false;
}

static void counts_new(struct pt_report *rep)
{
	const struct pt_rules *r = rep->r;
	struct pt_report_counts *c = xcalloc(1, sizeof *c);
	const struct pt_period *p = &rep->o.period;
	int first_whole = month_no(p->from) + (pt_month_first(p->from) != p->from);
	int last_whole = month_no(p->to) - (pt_month_last(p->to) != p->to);

	rep->c = c;
	c->nunits = r->nunits + 1;
	c->unit = xcalloc(c->nunits, sizeof *c->unit);
	c->selected = xcalloc(c->nunits, sizeof *c->selected);
	for (size_t i = 0; i < r->nunits; i++)
		c->selected[i] = !rep->o.unit || below_or_at(r, i, rep->o.unit);
	c->selected[r->nunits] = !rep->o.unit;
	c->leader = xcalloc(r->nleaders, sizeof *c->leader);
	c->leader_selected = xcalloc(r->nleaders, sizeof *c->leader_selected);
	c->involved = xcalloc(r->nleaders, 1);
	c->units_by_code = xcalloc(r->nunits, sizeof *c->units_by_code);
	c->leaders_by_name = xcalloc(r->nleaders, sizeof *c->leaders_by_name);
	for (size_t i = 0; i < r->nunits; i++)
		c->units_by_code[i] = (struct named){ r->units[i].code, (int)i };
	for (size_t i = 0; i < r->nleaders; i++)
		c->leaders_by_name[i] = (struct named){ r->leaders[i].name, (int)i };
	qsort(c->units_by_code, r->nunits, sizeof *c->units_by_code, named_cmp);
	qsort(c->leaders_by_name, r->nleaders, sizeof *c->leaders_by_name, named_cmp);
	for (size_t i = 0; i < r->nleaders; i++)
		c->leader_selected[i] = c->selected[unit_index(r, r->leaders[i].unit)];
	c->cats_alloc = r->ncategories + 8;
	c->cat_names = xcalloc(c->cats_alloc, sizeof *c->cat_names);
	c->cat = xcalloc(c->cats_alloc, sizeof *c->cat);
	for (size_t i = 0; i < r->ncategories; i++)
		c->cat_names[c->ncats++] = pt_xstrdup(r->categories[i].name);
	c->month0 = month_no(p->from);
	c->nmonths = month_no(p->to) - c->month0 + 1;
	c->month = xcalloc((size_t)c->nmonths, sizeof *c->month);
	c->whole0 = first_whole;
	c->nwhole = last_whole >= first_whole ? last_whole - first_whole + 1 : 0;
	c->held_in_month = xcalloc(c->nunits * (size_t)(c->nwhole ? c->nwhole : 1), sizeof *c->held_in_month);
}

void pt_report_release(struct pt_report *rep)
{
	struct pt_report_counts *c = rep->c;

	if (!c)
		return;
	for (size_t i = 0; i < c->ncats; i++)
		free(c->cat_names[i]);
	free(c->cat_names);
	free(c->cat);
	free(c->unit);
	free(c->selected);
	free(c->leader);
	free(c->leader_selected);
	free(c->involved);
	free(c->units_by_code);
	free(c->leaders_by_name);
	free(c->month);
	free(c->held_in_month);
	for (size_t i = 0; i < c->ntypical; i++)
		for (int k = 0; k < NT; k++)
			free(c->typical[i][k]);
	free(c->typical);
	free(c);
	rep->c = NULL;
}

static size_t cat_index(struct pt_report_counts *c, const char *name)
{
	for (size_t i = 0; i < c->ncats; i++)
		if (!strcmp(c->cat_names[i], name))
			return i;
	if (c->ncats == c->cats_alloc) {
		c->cats_alloc *= 2;
		c->cat_names = realloc(c->cat_names, c->cats_alloc * sizeof *c->cat_names);
		c->cat = realloc(c->cat, c->cats_alloc * sizeof *c->cat);
		if (!c->cat_names || !c->cat)
			abort();
	}
	memset(c->cat[c->ncats], 0, sizeof *c->cat);
	c->cat_names[c->ncats] = pt_xstrdup(name);
	return c->ncats++;
}

/* The index of a leader in the rules, or -1. */
static int leader_index(const struct pt_report *rep, const char *name)
{
	return named_find(rep->c->leaders_by_name, rep->r->nleaders, name, -1);
}

/* The index of a case's (or a row's) unit in the rules, or the row of units not in them. */
static int case_unit(const struct pt_report *rep, const char *code)
{
	return named_find(rep->c->units_by_code, rep->r->nunits, code, (int)rep->r->nunits);
}

/* Bind two days as text, parameters i and i + 1. */
static void bind_days(sqlite3_stmt *q, int i, long from, long to)
{
	char a[PT_DATE_LEN], b[PT_DATE_LEN];

	pt_date_format(from, a);
	pt_date_format(to, b);
	sqlite3_bind_text(q, i, a, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(q, i + 1, b, -1, SQLITE_TRANSIENT);
}

/* ---- reception days and meetings ---- */

/* Where the coordination-group meetings are counted from: the start of the half-year the
 * period ends in, or the period's start when earlier. */
static long meetings_from(const struct pt_period *p)
{
	int y, m, d;

	pt_civil_from_days(p->to, &y, &m, &d);
	long half = pt_days_from_civil(y, m <= 6 ? 1 : 7, 1);

	return half < p->from ? half : p->from;
}

static int receptions_read(struct pt_db *db, struct pt_report *rep, struct pt_err *e)
{
	static const char sql[] =
		"SELECT unit, day, kind, leader, held_by, state, form FROM receptions WHERE day BETWEEN ?1 AND ?2";
	struct pt_report_counts *c = rep->c;
	const struct pt_period *p = &rep->o.period;
	sqlite3_stmt *q = NULL;
	int rc;

	if (pt_db_prepare(db, sql, &q, e))
		return -1;
	bind_days(q, 1, meetings_from(p), p->to);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		const char *kind = (const char *)sqlite3_column_text(q, 2);
		const char *state = (const char *)sqlite3_column_text(q, 5);
		const char *form = (const char *)sqlite3_column_text(q, 6);
		const char *leader = (const char *)sqlite3_column_text(q, 3);
		const char *held_by = (const char *)sqlite3_column_text(q, 4);
		int u = case_unit(rep, (const char *)sqlite3_column_text(q, 0));
		bool held = !strcmp(state, "held");
		long day;

		pt_date_parse((const char *)sqlite3_column_text(q, 1), &day);
		if (!strcmp(kind, "meeting")) {
			c->unit[u][A_MEETINGS] += held;
			continue;
		}
		if (day < p->from)
			continue;
		int planner = leader_index(rep, leader), receiver = leader_index(rep, held_by ? held_by : leader);
		int m = month_no(day) - c->whole0;

		if (strcmp(state, "cancelled")) {
			c->unit[u][A_DAYS_PLANNED]++;
			if (planner >= 0)
				c->leader[planner][B_DAYS_PLANNED]++;
		}
		if (!held)
			continue;
		c->unit[u][A_DAYS_HELD]++;
		if (m >= 0 && m < c->nwhole)
			c->held_in_month[(size_t)u * (size_t)c->nwhole + (size_t)m]++;
		if (receiver >= 0) {
			c->leader[receiver][B_DAYS_HELD]++;
			c->leader[receiver][B_DOWN_VISITS] += form && !strcmp(form, "带案下访");
		}
	}
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? 0 : pt_db_fail(db, rc, "cannot read the reception days", e);
}

/* Add to part A the counts of a query over the period (?1, ?2) whose rows are a unit's
 * code, the counter (an A_ index: ?3 or ?4), and the count. */
static int unit_counts(struct pt_db *db, struct pt_report *rep, const char *sql, int k3, int k4, const char *what,
		       struct pt_err *e)
{
	sqlite3_stmt *q = NULL;
	int rc;

	if (pt_db_prepare(db, sql, &q, e))
		return -1;
	bind_days(q, 1, rep->o.period.from, rep->o.period.to);
	sqlite3_bind_int(q, 3, k3);
	if (sqlite3_bind_parameter_count(q) >= 4)
		sqlite3_bind_int(q, 4, k4);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		int k = sqlite3_column_int(q, 1);

		if (k >= 0 && k < NA)
			rep->c->unit[case_unit(rep, (const char *)sqlite3_column_text(q, 0))][k] +=
				sqlite3_column_int64(q, 2);
	}
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? 0 : pt_db_fail(db, rc, what, e);
}

/* Leaders who received: distinct leaders of the unit's held reception days. */
static int receivers_read(struct pt_db *db, struct pt_report *rep, struct pt_err *e)
{
	static const char sql[] =
		"SELECT unit, ?3, count(DISTINCT coalesce(held_by, leader)) FROM receptions"
		" WHERE kind = 'reception' AND state = 'held' AND day BETWEEN ?1 AND ?2 GROUP BY unit";

	return unit_counts(db, rep, sql, A_LEADERS_RECEIVED, 0, "cannot read the reception days", e);
}

/* Reviews (复查) and re-reviews (复核) asked of a unit of this database in the period, by the
 * day of the request: the reviewing unit's work, whichever unit's case it is. */
static int reviews_read(struct pt_db *db, struct pt_report *rep, struct pt_err *e)
{
	static const char sql[] =
		"SELECT json_extract(data, '$.unit'), CASE kind WHEN 'rereview_requested' THEN ?4 ELSE ?3 END, count(*)"
		" FROM events WHERE kind IN ('review_requested', 'rereview_requested')"
		" AND json_extract(data, '$.unit') IS NOT NULL AND " PT_CASE_EVENT_DAY " BETWEEN ?1 AND ?2 GROUP BY 1, 2";

	return unit_counts(db, rep, sql, A_REVIEWS_HANDLED, A_REREVIEWS_HANDLED, "cannot read the review requests", e);
}

/* Days required and months below the minimum, from the rules and the held days by month. */
static void reception_minimum(struct pt_report *rep)
{
	const struct pt_rules *r = rep->r;
	struct pt_report_counts *c = rep->c;

	for (size_t u = 0; u < r->nunits; u++) {
		int min = r->reception.min_days[r->units[u].level];

		c->unit[u][A_DAYS_REQUIRED] = (long long)min * c->nwhole;
		for (int m = 0; m < c->nwhole && min > 0; m++) {
			int y = (c->whole0 + m) / 12, mon = (c->whole0 + m) % 12 + 1;
			bool ended = pt_month_last(pt_days_from_civil(y, mon, 1)) < rep->o.today;

			c->unit[u][A_MONTHS_BELOW] += ended && c->held_in_month[u * (size_t)c->nwhole + (size_t)m] < min;
		}
	}
}

/* ---- the cases ---- */

/* After PT_CASE_COLUMNS. */
enum { P_RECEIVED_BY = PT_CASE_NCOLS, P_OUTCOME, P_SATISFACTION };
/* What the case's own events give after PT_CASE_EVENT_COLUMNS, from column s->x on (the
 * number of those columns is casefile.h's: it is counted at run time, never assumed). */
enum { X_BY, X_FORCED, X_MODE, X_LEADERS, X_TO, X_REPEAT, X_ID, X_CASE, NX };
/* The columns of s->steps. */
enum { S_EVENT, S_HOLDER, S_CASE };

/* A routing batch's event as the deadlines see it, kept once read: one batch routes many
 * cases, and they come one after another. Direct-mapped by id. */
#define BATCH_CACHE 16
struct batch {
	long long id;            /* 0: empty */
	bool batch;              /* a batch (no case of its own), else another case's event */
	size_t n;
	struct pt_case_event ev[2];
};

/* A statement over the period's cases joined to their events or steps, read alongside
 * s->cases in the same order: one statement for all the cases, not one run per case. rc is
 * the last sqlite3_step's result, 0 when its row has been taken (or before the first). */
struct merged {
	sqlite3_stmt *q;
	int rc, case_col;
};

struct scan {
	sqlite3_stmt *cases, *event;
	struct merged events, steps;
	struct pt_case_events ev, one;
	long long *ids;          /* the id of each event in ev */
	long long *step_events;  /* the events that wrote the case's steps, each once */
	size_t ids_alloc, nsteps, steps_alloc;
	struct batch cache[BATCH_CACHE];
	int x;                   /* the first column after PT_CASE_EVENT_COLUMNS (s->events.q, s->event) */
};

/* The period's cases in the order of the petitions_period index (no sort); the joins read
 * each case's rows in that same order, so that the three statements go side by side. */
#define PERIOD_CASES " FROM petitions p INDEXED BY petitions_period"
#define PERIOD_WHERE " WHERE p.received_on BETWEEN ?1 AND ?2"
#define PERIOD_ORDER " ORDER BY p.received_on, p.unit, p.id"

static int scan_prepare(struct pt_db *db, struct pt_report *rep, struct scan *s, struct pt_err *e)
{
	/* the events and steps of a case an import is still writing (PT_SEEN) are none yet */
	if (pt_db_prepare(db, "SELECT " PT_CASE_COLUMNS ", received_by, outcome, satisfaction" PERIOD_CASES PERIOD_WHERE
			  " AND" PT_SEEN("p") PERIOD_ORDER, &s->cases, e) ||
	    pt_db_prepare(db, "SELECT " PT_CASE_EVENT_COLUMNS ", json_extract(data, '$.by'), json_extract(data, '$.forced'),"
			  " json_extract(data, '$.mode'), json_extract(data, '$.leaders'), json_extract(data, '$.to'),"
			  " json_extract(data, '$.repeat'), e.id, p.id" PERIOD_CASES
			  " CROSS JOIN events e ON e.petition_id = p.id" PERIOD_WHERE PERIOD_ORDER ", e.id",
			  &s->events.q, e) ||
	    pt_db_prepare(db, "SELECT s.event_id, s.holder, p.id" PERIOD_CASES " CROSS JOIN steps s ON s.petition_id = p.id"
			  PERIOD_WHERE PERIOD_ORDER ", s.seq", &s->steps.q, e) ||
	    pt_db_prepare(db, "SELECT " PT_CASE_EVENT_COLUMNS ", petition_id IS NULL FROM events WHERE id = ?1",
			  &s->event, e))
		return -1;
	bind_days(s->cases, 1, rep->o.period.from, rep->o.period.to);
	bind_days(s->events.q, 1, rep->o.period.from, rep->o.period.to);
	bind_days(s->steps.q, 1, rep->o.period.from, rep->o.period.to);
	s->x = sqlite3_column_count(s->events.q) - NX;
	s->events.case_col = s->x + X_CASE;
	s->steps.case_col = S_CASE;
	return 0;
}

/* Whether the merged statement's next row is one of case `id`'s (stepping to it when the
 * last was taken); the caller takes it by setting m->rc to 0. */
static int merged_row(struct pt_db *db, struct merged *m, long long id, bool *row, struct pt_err *e)
{
	if (m->rc == 0)
		m->rc = sqlite3_step(m->q);
	*row = m->rc == SQLITE_ROW && sqlite3_column_int64(m->q, m->case_col) == id;
	return m->rc == SQLITE_ROW || m->rc == SQLITE_DONE ? 0 : pt_db_fail(db, m->rc, "cannot read the cases' events", e);
}

/* Pass over the rows of a case left out of the report (--unit). */
static int merged_skip(struct pt_db *db, struct merged *m, long long id, struct pt_err *e)
{
	bool row;

	for (; !merged_row(db, m, id, &row, e) && row; m->rc = 0)
		;
	return m->rc == SQLITE_ROW || m->rc == SQLITE_DONE ? 0 : -1;
}

/* After the last case: a row left over would be one the cases did not meet in order. */
static int merged_end(struct pt_db *db, struct merged *m, struct pt_err *e)
{
	bool row;

	if (merged_row(db, m, -1, &row, e))
		return -1;
	return m->rc == SQLITE_DONE ? 0 : pt_err_set(e, PT_EINTERNAL, "the cases and their events were read out of order");
}

/* Where a case stands, for the results. */
enum result { R_RESOLVED, R_IN_PROGRESS, R_REJECTED, R_TRANSFERRED_OUT, R_RETURNED };

static enum result result_of(const char *state)
{
	static const char *const answered[] = { "resolved", "review_requested", "reviewed", "rereview_requested",
						"rereviewed", "closed", NULL };

	for (int i = 0; answered[i]; i++)
		if (!strcmp(state, answered[i]))
			return R_RESOLVED;
	return !strcmp(state, "rejected") ? R_REJECTED
	     : !strcmp(state, "transferred_out") ? R_TRANSFERRED_OUT
	     : !strcmp(state, "objected") ? R_RETURNED : R_IN_PROGRESS;
}

/* What a case's events say, for its counters. */
struct case_facts {
	bool instructed_named, instructed_other, handed_down, objected, extended, review, rereview, important;
	bool overdue_now, overdue_period;
	long ended;              /* the day it last went to a closed state, or -1 */
	int repeat;              /* the repeat flag as last corrected (repeat_marked), or -1 */
};

/* Whether a state is no longer the office's business (PT_CASE_CLOSED_STATES). */
static bool closed_state(const char *state)
{
	static const char *const closed[] = { "closed", "rejected", "transferred_out", "objected", NULL };

	for (int i = 0; state && closed[i]; i++)
		if (!strcmp(state, closed[i]))
			return true;
	return false;
}

static bool column_is(sqlite3_stmt *q, int col, const char *s)
{
	const unsigned char *v = sqlite3_column_text(q, col);

	return v && s && !strcmp((const char *)v, s);
}

/* Whether the leader's name is in a JSON list of names. */
static bool names_in(sqlite3_stmt *q, int col, const char *name)
{
	const char *v = (const char *)sqlite3_column_text(q, col);
	size_t n = strlen(name);

	for (const char *p = v; p && (p = strstr(p, name)); p += n)
		if (p > v && p[-1] == '"' && p[n] == '"')
			return true;
	return false;
}

/* What one of the case's own events says (the current row of s->events). */
static void own_event(struct pt_report *rep, struct scan *s, const struct pt_case *f, struct case_facts *x)
{
	const struct pt_rules *r = rep->r;
	struct pt_report_counts *c = rep->c;
	const char *kind = (const char *)sqlite3_column_text(s->events.q, 0);

	pt_case_events_add(&s->ev, s->events.q, 0);
	if (!strcmp(kind, "instructed")) {
		const char *by = (const char *)sqlite3_column_text(s->events.q, s->x + X_BY);
		int l = leader_index(rep, by);

		if (f->named_letter && f->addressed_to && by && !strcmp(by, f->addressed_to))
			x->instructed_named = true;
		else if (f->named_letter)
			x->instructed_other = true;
		if (l >= 0)
			c->involved[l] |= 2;
	} else if (!strcmp(kind, "transferred")) {
		x->handed_down |= column_is(s->events.q, s->x + X_MODE, "交办");
	} else if (!strcmp(kind, "marked_important") || !strcmp(kind, "unmarked_important")) {
		x->important = kind[0] == 'm';
	} else if (!strcmp(kind, "repeat_marked")) {
		x->repeat = sqlite3_column_int(s->events.q, s->x + X_REPEAT);
	} else if (!strcmp(kind, "down_visited")) {
		for (size_t l = 0; l < r->nleaders; l++)
			if (names_in(s->events.q, s->x + X_LEADERS, r->leaders[l].name))
				c->involved[l] |= 4;
	}
	if (closed_state((const char *)sqlite3_column_text(s->events.q, s->x + X_TO)))
		pt_date_parse((const char *)sqlite3_column_text(s->events.q, 1), &x->ended);
	x->objected |= !strcmp(kind, "objected");
	x->extended |= !strcmp(kind, "extended");
	x->review |= !strcmp(kind, "review_requested");
	x->rereview |= !strcmp(kind, "rereview_requested");
}

static void *grow(void *v, size_t *alloc, size_t need, size_t size)
{
	if (need <= *alloc)
		return v;
	*alloc = need * 2 + 8;
	v = realloc(v, *alloc * size);
	if (!v)
		abort();
	return v;
}

/* The holders of the case's steps, and the events that wrote them (each once). */
static int case_steps(struct pt_db *db, struct pt_report *rep, struct scan *s, long long id, struct pt_err *e)
{
	sqlite3_stmt *q = s->steps.q;
	bool row;

	s->nsteps = 0;
	for (; !merged_row(db, &s->steps, id, &row, e) && row; s->steps.rc = 0) {
		long long ev = sqlite3_column_int64(q, S_EVENT);
		int l = leader_index(rep, (const char *)sqlite3_column_text(q, S_HOLDER));
		size_t k = 0;

		if (l >= 0)
			rep->c->involved[l] |= 8;
		while (k < s->nsteps && s->step_events[k] != ev)
			k++;
		if (k == s->nsteps) {
			s->step_events = grow(s->step_events, &s->steps_alloc, s->nsteps + 1, sizeof *s->step_events);
			s->step_events[s->nsteps++] = ev;
		}
	}
	return s->steps.rc == SQLITE_ROW || s->steps.rc == SQLITE_DONE ? 0 : -1;
}

/* The event `id` as the deadlines see it, from the cache or read and kept. */
static int batch_event(struct pt_db *db, struct scan *s, long long id, const struct batch **out, struct pt_err *e)
{
	struct batch *b = &s->cache[(unsigned long long)id % BATCH_CACHE];
	int rc;

	*out = b;
	if (b->id == id)
		return 0;
	sqlite3_reset(s->event);
	sqlite3_bind_int64(s->event, 1, id);
	rc = sqlite3_step(s->event);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return pt_db_fail(db, rc, "cannot read an event", e);
	b->id = id;
	b->batch = rc == SQLITE_ROW && sqlite3_column_int(s->event, s->x);
	b->n = 0;
	if (b->batch) {
		s->one.n = 0;
		pt_case_events_add(&s->one, s->event, 0);
		for (b->n = 0; b->n < s->one.n && b->n < 2; b->n++)
			b->ev[b->n] = s->one.v[b->n];
	}
	return 0;
}

/* Put a batch's event in the case's events at its place by id. */
static void insert_batch(struct scan *s, const struct batch *b)
{
	struct pt_case_events *ev = &s->ev;
	size_t at = 0;

	while (at < ev->n && s->ids[at] < b->id)
		at++;
	ev->v = grow(ev->v, &ev->alloc, ev->n + b->n, sizeof *ev->v);
	s->ids = grow(s->ids, &s->ids_alloc, ev->n + b->n, sizeof *s->ids);
	memmove(ev->v + at + b->n, ev->v + at, (ev->n - at) * sizeof *ev->v);
	memmove(s->ids + at + b->n, s->ids + at, (ev->n - at) * sizeof *s->ids);
	for (size_t k = 0; k < b->n; k++) {
		ev->v[at + k] = b->ev[k];
		s->ids[at + k] = b->id;
	}
	ev->n += b->n;
}

/* The case's events in id order, as pt_case_events_load() reads them: its own, and the
 * routing batches that gave it steps (each once, read once for all the cases they routed);
 * and the holders of its steps. Their rows come from the statements that go beside the
 * cases (struct merged): no statement run, and no temporary table, per case. */
static int case_events(struct pt_db *db, struct pt_report *rep, struct scan *s, const struct pt_case *f,
		       struct case_facts *x, struct pt_err *e)
{
	bool row;

	s->ev.n = 0;
	if (case_steps(db, rep, s, f->id, e))
		return -1;
	for (; !merged_row(db, &s->events, f->id, &row, e) && row; s->events.rc = 0) {
		long long id = sqlite3_column_int64(s->events.q, s->x + X_ID);
		size_t n0 = s->ev.n;

		own_event(rep, s, f, x);
		s->ids = grow(s->ids, &s->ids_alloc, s->ev.n, sizeof *s->ids);
		for (size_t k = n0; k < s->ev.n; k++)
			s->ids[k] = id;
		for (size_t k = 0; k < s->nsteps; k++)
			if (s->step_events[k] == id)
				s->step_events[k] = 0; /* its own, not a batch */
	}
	if (s->events.rc != SQLITE_ROW && s->events.rc != SQLITE_DONE)
		return -1;
	for (size_t k = 0; k < s->nsteps; k++) {
		const struct batch *b;

		if (s->step_events[k] == 0)
			continue;
		if (batch_event(db, s, s->step_events[k], &b, e))
			return -1;
		if (b->batch)
			insert_batch(s, b);
	}
	return 0;
}

/* Overdue now: an open case with an office deadline started, not met and past its due day
 * today. Overdue in the period: a deadline whose due day passed before the period's last
 * day (or today, when earlier) and that was neither met nor ended by closing the case (or
 * rejecting it, sending it away, or its return on an objection) by its due day. */
static void case_overdue(const struct pt_report *rep, const struct scan *s, const struct pt_case *f,
			 struct case_facts *x)
{
	const struct pt_rules *r = rep->r;
	long until = rep->o.period.to < rep->o.today ? rep->o.period.to : rep->o.today;
	bool closed = closed_state(f->state);
	long ended = closed ? x->ended : -1;

	/* Until both figures are settled: a closed case is never overdue now. */
	for (size_t i = 0; i < r->ndeadlines && !(x->overdue_period && (x->overdue_now || closed)); i++) {
		const struct pt_deadline_rule *d = &r->deadlines[i];
		struct pt_case_deadline dl;

		if (d->window || !pt_case_deadline_applies(d, f))
			continue; /* a petitioner's window is not the office's to meet */
		pt_case_deadline_evaluate(r->calendar, f, &s->ev, d, &dl);
		if (!dl.started || dl.outside)
			continue;
		x->overdue_now |= !closed && dl.done < 0 && rep->o.today > dl.dl.due;
		x->overdue_period |= dl.dl.due < until && (dl.done >= 0 ? dl.done > dl.dl.due : ended < 0 || ended > dl.dl.due);
	}
}

/* The results, in the order resolved, its 4 outcomes, in progress, rejected, transferred
 * out, returned, from `base` (part A's and part C's runs alike); where each result is in it. */
static const int result_offset[] = { 0, 5, 6, 7, 8 };

static void count_result(long long *v, int base, enum result res, const char *outcome)
{
	static const char *const outcomes[] = { "支持", "部分支持", "解释", "不支持" };

	v[base + result_offset[res]]++;
	for (int k = 0; res == R_RESOLVED && outcome && k < 4; k++)
		v[base + 1 + k] += !strcmp(outcome, outcomes[k]);
}

static void count_case(struct pt_report *rep, struct scan *s, const struct pt_case *f, const struct case_facts *x)
{
	const struct pt_rules *r = rep->r;
	struct pt_report_counts *c = rep->c;
	sqlite3_stmt *q = s->cases;
	long long *a = c->unit[case_unit(rep, f->unit)], p = f->persons;
	const char *outcome = (const char *)sqlite3_column_text(q, P_OUTCOME);
	const char *sat = (const char *)sqlite3_column_text(q, P_SATISFACTION);
	const char *received_by = (const char *)sqlite3_column_text(q, P_RECEIVED_BY);
	enum result res = result_of(f->state);
	bool visit = !strcmp(f->channel, "visit");
	int ch = pt_vocab_index(PT_VOCAB_CHANNEL, f->channel), m = month_no(f->received) - c->month0;
	long long *cat = c->cat[cat_index(c, f->category)];

	a[A_CASES]++;
	a[A_PERSONS] += p;
	a[A_AT_RECEPTION] += visit && received_by;
	a[A_COLLECTIVE_CASES] += f->collective;
	a[A_COLLECTIVE_PERSONS] += f->collective ? p : 0;
	a[A_REPEAT] += x->repeat >= 0 ? x->repeat : f->repeat;
	a[A_SKIP_LEVEL] += sqlite3_column_int(q, PT_CASE_COL_SKIP_LEVEL);
	a[A_TRANSFERRED_IN] += !strcmp(f->channel, "transfer");
	a[A_NAMED_LETTERS] += f->named_letter;
	a[A_INSTRUCTED_NAMED] += x->instructed_named;
	a[A_INSTRUCTED_OTHER] += x->instructed_other;
	count_result(a, A_RESOLVED, res, outcome);
	a[A_HANDED_DOWN] += x->handed_down;
	a[A_OBJECTIONS] += x->objected;
	a[A_EXTENDED] += x->extended;
	a[A_OVERDUE_NOW] += x->overdue_now;
	a[A_OVERDUE_PERIOD] += x->overdue_period;
	a[A_REVIEW] += x->review;
	a[A_REREVIEW] += x->rereview;
	if (res == R_RESOLVED) {
		int k = sat ? pt_vocab_index(PT_VOCAB_SATISFACTION, sat) : -1;

		a[k >= 0 ? A_SATISFIED + k : A_NOT_ASKED]++;
	}
	a[A_IMPORTANT] += x->important;

	cat[C_CASES]++;
	cat[C_PERSONS] += p;
	count_result(cat, C_RESOLVED, res, outcome);
	if (ch >= 0) {
		c->chan[ch][D_CASES]++;
		c->chan[ch][D_PERSONS] += p;
	}
	if (m >= 0 && m < c->nmonths) {
		c->month[m][M_CASES]++;
		c->month[m][M_PERSONS] += p;
		c->month[m][M_RESOLVED] += res == R_RESOLVED;
		c->month[m][M_OVERDUE_PERIOD] += x->overdue_period;
		c->month[m][M_OVERDUE_NOW] += x->overdue_now;
	}
	int receiver = leader_index(rep, received_by);

	for (size_t l = 0; l < r->nleaders; l++) {
		long long *b = c->leader[l];
		char inv = c->involved[l];

		if ((int)l == receiver) {
			b[B_CASES]++;
			b[B_PERSONS] += p;
			inv |= 1;
		}
		b[B_INSTRUCTED] += (inv & 2) != 0;
		b[B_SUPERVISED] += (inv & 4) != 0;
		if (inv) {
			b[B_HANDLED]++;
			b[B_RESOLVED] += res == R_RESOLVED;
			b[B_OVERDUE_NOW] += x->overdue_now;
		}
	}
}

static int scan_cases(struct pt_db *db, struct pt_report *rep, struct scan *s, struct pt_err *e)
{
	struct pt_report_counts *c = rep->c;
	unsigned long long n = 0;
	int rc;

	while ((rc = sqlite3_step(s->cases)) == SQLITE_ROW) {
		struct case_facts x;
		struct pt_case f;

		pt_progress_report(&rep->o.progress, ++n, 0);
		pt_case_borrow(s->cases, &f);
		if (!c->selected[case_unit(rep, f.unit)]) {
			if (merged_skip(db, &s->events, f.id, e) || merged_skip(db, &s->steps, f.id, e))
				return -1;
			continue;
		}
		memset(&x, 0, sizeof x);
		x.ended = -1;
		x.repeat = -1;
		memset(c->involved, 0, rep->r->nleaders);
		if (case_events(db, rep, s, &f, &x, e))
			return -1;
		case_overdue(rep, s, &f, &x);
		count_case(rep, s, &f, &x);
	}
	if (rc != SQLITE_DONE)
		return pt_db_fail(db, rc, "cannot read the cases", e);
	return merged_end(db, &s->events, e) || merged_end(db, &s->steps, e) ? -1 : 0;
}

/* ---- the typical cases (典型案例) ---- */

/* A case is the period's typical case when its latest typical mark is marked_typical and
 * that mark's day is in the period (petition-report(1)). */
static const char typical_sql[] =
	"SELECT p.case_no, p.unit, p.received_on, p.channel, p.category, p.persons, p.summary,"
	" json_extract(e.data, '$.note'), p.state, p.outcome, p.petitioner, p.id_number, p.phone, p.id"
	" FROM events e JOIN petitions p ON p.id = e.petition_id"
	" WHERE e.kind = 'marked_typical' AND " PT_CASE_EVENT_DAY " BETWEEN ?1 AND ?2"
	" AND e.id = " PT_CASE_LAST_MARK_SQL("e.petition_id", "marked_typical", "unmarked_typical")
	" ORDER BY p.received_on, p.id";
/* Its columns up to persons and the note are those of t_cols; then these. */
enum { TQ_STATE = 8, TQ_OUTCOME, TQ_PETITIONER, TQ_ID_NUMBER, TQ_PHONE, TQ_ID };

/* What was done on a case, one piece for each leader's instruction, step done, down-visit,
 * report back and the reply, in order, each "DAY WHAT（WHO）：TEXT". */
static const char done_sql[] =
	"SELECT " PT_CASE_EVENT_DAY ", kind, CASE kind"
	" WHEN 'instructed' THEN json_extract(data, '$.by')"
	" WHEN 'step_done' THEN json_extract(data, '$.holder')"
	" WHEN 'down_visited' THEN (SELECT group_concat(value, '、') FROM json_each(data, '$.leaders'))"
	"  || '，' || json_extract(data, '$.place')"
	" WHEN 'reported_back' THEN json_extract(data, '$.unit') END,"
	" coalesce(json_extract(data, '$.text'), json_extract(data, '$.note')), json_extract(data, '$.action')"
	" FROM events WHERE petition_id = ?1"
	" AND kind IN ('instructed', 'step_done', 'down_visited', 'reported_back', 'resolved') ORDER BY id";

static int typical_done(struct pt_db *db, sqlite3_stmt *q, long long id, struct pt_buf *out, struct pt_err *e)
{
	int rc;

	sqlite3_reset(q);
	sqlite3_bind_int64(q, 1, id);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		const char *kind = (const char *)sqlite3_column_text(q, 1);
		const char *who = (const char *)sqlite3_column_text(q, 2);
		const char *text = (const char *)sqlite3_column_text(q, 3);
		const char *action = (const char *)sqlite3_column_text(q, 4);
		const char *what = !strcmp(kind, "step_done") && action ? pt_vocab_label(PT_VOCAB_ACTION, action)
								       : pt_vocab_label(PT_VOCAB_EVENT, kind);

		pt_buf_addf(out, "%s%s %s", out->len ? "；" : "", (const char *)sqlite3_column_text(q, 0), what);
		if (who)
			pt_buf_addf(out, "（%s）", who);
		if (!pt_text_blank(text))
			pt_buf_addf(out, "：%s", text);
	}
	return rc == SQLITE_DONE ? 0 : pt_db_fail(db, rc, "cannot read what was done on a typical case", e);
}

/* A text cell of a typical case, masked unless --no-redact. */
static char *typical_text(const struct pt_report *rep, sqlite3_stmt *q, const char *text)
{
	struct pt_buf b = PT_BUF_INIT;

	if (!text)
		return NULL;
	if (rep->o.no_redact)
		pt_buf_adds(&b, text);
	else
		pt_mask_text(text, (const char *)sqlite3_column_text(q, TQ_PETITIONER),
			     (const char *)sqlite3_column_text(q, TQ_ID_NUMBER), (const char *)sqlite3_column_text(q, TQ_PHONE),
			     &b);
	return pt_buf_detach(&b);
}

static char *column_dup_label(sqlite3_stmt *q, int col, enum pt_vocab_list l)
{
	const char *v = (const char *)sqlite3_column_text(q, col);
	const char *label = v ? pt_vocab_label(l, v) : NULL;

	return v ? pt_xstrdup(label ? label : v) : NULL;
}

static int typical_read(struct pt_db *db, struct pt_report *rep, struct pt_err *e)
{
	struct pt_report_counts *c = rep->c;
	sqlite3_stmt *q = NULL, *d = NULL;
	struct pt_buf done = PT_BUF_INIT;
	int rc;

	if (pt_db_prepare(db, typical_sql, &q, e) || pt_db_prepare(db, done_sql, &d, e)) {
		sqlite3_finalize(q);
		return -1;
	}
	bind_days(q, 1, rep->o.period.from, rep->o.period.to);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		char **t;

		if (!c->selected[case_unit(rep, (const char *)sqlite3_column_text(q, T_UNIT))])
			continue;
		pt_buf_reset(&done);
		if (typical_done(db, d, sqlite3_column_int64(q, TQ_ID), &done, e)) {
			rc = -1;
			break;
		}
		c->typical = grow(c->typical, &c->typical_alloc, c->ntypical + 1, sizeof *c->typical);
		t = c->typical[c->ntypical++];
		for (int k = T_CASE_NO; k <= T_PERSONS; k++)
			t[k] = k == T_CHANNEL ? column_dup_label(q, k, PT_VOCAB_CHANNEL) : pt_db_column_dup(q, k);
		t[T_SUMMARY] = typical_text(rep, q, (const char *)sqlite3_column_text(q, T_SUMMARY));
		t[T_NOTE] = typical_text(rep, q, (const char *)sqlite3_column_text(q, T_NOTE));
		t[T_DONE] = typical_text(rep, q, done.len ? done.buf : NULL);
		t[T_STATE] = column_dup_label(q, TQ_STATE, PT_VOCAB_STATE);
		t[T_OUTCOME] = pt_db_column_dup(q, TQ_OUTCOME);
	}
	sqlite3_finalize(q);
	sqlite3_finalize(d);
	pt_buf_release(&done);
	if (rc == -1)
		return -1;
	return rc == SQLITE_DONE ? 0 : pt_db_fail(db, rc, "cannot read the typical cases", e);
}

/* The typical cases, or one row saying 无 (none) in the first column. */
static int write_typical(const struct pt_report *rep, struct pt_fmt *f, struct pt_err *e)
{
	static const char *const none[NT] = { "无" };

	if (!rep->c->ntypical)
		return pt_fmt_row(f, none, e);
	for (size_t i = 0; i < rep->c->ntypical; i++)
		if (pt_fmt_row(f, (const char *const *)rep->c->typical[i], e))
			return -1;
	return 0;
}

int pt_report_compute(struct pt_db *db, const struct pt_rules *r, const struct pt_report_opts *o,
		      struct pt_report *rep, struct pt_err *e)
{
	struct scan s;
	int rc;

	memset(rep, 0, sizeof *rep);
	memset(&s, 0, sizeof s);
	rep->r = r;
	rep->o = *o;
	if (o->unit && unit_index(r, o->unit) == (int)r->nunits)
		return pt_rules_unknown(r, PT_RULES_UNITS, e, PT_EUSAGE, "unit", o->unit);
	counts_new(rep);
	/* One read transaction: the cases, their events and the reception days of one moment. */
	if (pt_db_exec(db, "BEGIN", e))
		return -1;
	rc = scan_prepare(db, rep, &s, e);
	if (rc == 0)
		rc = scan_cases(db, rep, &s, e);
	if (rc == 0)
		rc = receptions_read(db, rep, e);
	if (rc == 0)
		rc = receivers_read(db, rep, e);
	if (rc == 0)
		rc = reviews_read(db, rep, e);
	if (rc == 0)
		rc = typical_read(db, rep, e);
	sqlite3_finalize(s.cases);
	sqlite3_finalize(s.events.q);
	sqlite3_finalize(s.steps.q);
	sqlite3_finalize(s.event);
	pt_case_events_release(&s.one);
	free(s.ids);
	free(s.step_events);
	pt_case_events_release(&s.ev);
	sqlite3_exec(db->sql, "COMMIT", NULL, NULL, NULL);
	if (rc == 0)
		reception_minimum(rep);
	return rc;
}

/* ---- writing the parts ---- */

/* A row of text cells, then numbers (NULL where not recorded), then up to two rates. */
struct row {
	const char *v[64];
	char num[64][24];
	size_t n;
};

static void row_text(struct row *w, const char *s)
{
	w->v[w->n++] = s;
}

static void row_num(struct row *w, long long x)
{
	snprintf(w->num[w->n], sizeof w->num[w->n], "%lld", x);
	w->v[w->n] = w->num[w->n];
	w->n++;
}

/* A percentage with one decimal; empty when the denominator is 0. */
static void row_rate(struct row *w, long long num, long long den)
{
	snprintf(w->num[w->n], sizeof w->num[w->n], "%.1f", den ? 100.0 * (double)num / (double)den : 0.0);
	w->v[w->n] = den ? w->num[w->n] : NULL;
	w->n++;
}

static int a_row(const char *unit, const char *name, const char *level,
		 const long long *a, struct pt_fmt *f, struct pt_err *e)
{
	struct row w = { .n = 0 };

	row_text(&w, unit);
	row_text(&w, name);
	row_text(&w, level);
	for (int k = 0; k < NA; k++)
		row_num(&w, a[k]);
	row_rate(&w, a[A_RESOLVED], a[A_CASES]);
	row_rate(&w, a[A_SATISFIED] + a[A_BASICALLY], a[A_SATISFIED] + a[A_BASICALLY] + a[A_DISSATISFIED]);
	return pt_fmt_row(f, w.v, e);
}

/* Whether a unit has anything in the period, for the default report's rows. */
static bool unit_active(const long long *a)
{
	return a[A_CASES] || a[A_DAYS_PLANNED] || a[A_DAYS_HELD] || a[A_MEETINGS] || a[A_REVIEWS_HANDLED] ||
	       a[A_REREVIEWS_HANDLED];
}

static int write_a(const struct pt_report *rep, struct pt_fmt *f, struct pt_err *e)
{
	const struct pt_rules *r = rep->r;
	const struct pt_report_counts *c = rep->c;
	long long total[NA] = { 0 };

	for (size_t u = 0; u < c->nunits; u++) {
		const long long *a = c->unit[u];
		bool office = u < r->nunits && r->office && !strcmp(r->units[u].code, r->office);

		if (!c->selected[u] || (!rep->o.unit && !office && !unit_active(a)))
			continue;
		for (int k = 0; k < NA; k++)
			total[k] += a[k];
		if (u == r->nunits ? a_row("?", "(units not in the rules)", NULL, a, f, e)
				   : a_row(r->units[u].code, r->units[u].name,
					   pt_rules_level_label(&r->units[u]),
					   a, f, e))
			return -1;
	}
	return a_row("total", "合计", NULL, total, f, e);
}

static int write_b(const struct pt_report *rep, struct pt_fmt *f, struct pt_err *e)
{
	const struct pt_rules *r = rep->r;

	for (size_t l = 0; l < r->nleaders; l++) {
		const struct pt_leader *ld = &r->leaders[l];
		struct row w = { .n = 0 };

		if (!rep->c->leader_selected[l])
			continue;
		row_text(&w, ld->name);
		row_text(&w, ld->unit);
		row_text(&w, ld->post);
		for (int k = 0; k < NB; k++)
			row_num(&w, rep->c->leader[l][k]);
		if (pt_fmt_row(f, w.v, e))
			return -1;
	}
	return 0;
}

/* Rows of label + counters, and a total row. */
static int write_table(const char *const *labels, size_t nrows, const long long *v, size_t width, size_t nlabels,
		       const char *const *labels2, struct pt_fmt *f, struct pt_err *e)
{
	long long total[16] = { 0 };

	for (size_t i = 0; i <= nrows; i++) {
		struct row w = { .n = 0 };
		const long long *x = i < nrows ? v + i * width : total;

		row_text(&w, i < nrows ? labels[i] : "total");
		if (nlabels > 1)
			row_text(&w, i < nrows ? labels2[i] : "合计");
		for (size_t k = 0; k < width; k++) {
			row_num(&w, x[k]);
			if (i < nrows)
				total[k] += x[k];
		}
		if (pt_fmt_row(f, w.v, e))
			return -1;
	}
	return 0;
}

static int write_d(const struct pt_report *rep, struct pt_fmt *f, struct pt_err *e)
{
	const char *codes[PT_VOCAB_MAX], *labels[PT_VOCAB_MAX];
	size_t n = pt_vocab_count(PT_VOCAB_CHANNEL);

	for (size_t i = 0; i < n; i++) {
		codes[i] = pt_vocab_code_at(PT_VOCAB_CHANNEL, i);
		labels[i] = pt_vocab_at(PT_VOCAB_CHANNEL, i)->label;
	}
	return write_table(codes, n, &rep->c->chan[0][0], ND, 2, labels, f, e);
}

static int write_month(const struct pt_report *rep, struct pt_fmt *f, struct pt_err *e)
{
	const struct pt_report_counts *c = rep->c;
	char (*names)[16] = xcalloc((size_t)c->nmonths, sizeof *names);
	const char **labels = xcalloc((size_t)c->nmonths, sizeof *labels);
	int rc;

	for (int m = 0; m < c->nmonths; m++) {
		snprintf(names[m], sizeof names[m], "%04d-%02d", (c->month0 + m) / 12 % 10000, (c->month0 + m) % 12 + 1);
		labels[m] = names[m];
	}
	rc = write_table(labels, (size_t)c->nmonths, &c->month[0][0], NM, 1, NULL, f, e);
	free(labels);
	free(names);
	return rc;
}

int pt_report_write(const struct pt_report *rep, enum pt_report_part p, struct pt_fmt *f, struct pt_err *e)
{
	switch (p) {
	case PT_REPORT_A: return write_a(rep, f, e);
	case PT_REPORT_B: return write_b(rep, f, e);
	case PT_REPORT_C:
		return write_table((const char *const *)rep->c->cat_names, rep->c->ncats, &rep->c->cat[0][0], NC, 1, NULL,
				   f, e);
	case PT_REPORT_D: return write_d(rep, f, e);
	case PT_REPORT_TYPICAL: return write_typical(rep, f, e);
	default: return write_month(rep, f, e);
	}
}

/* ---- part A for the roll-up of lower units' submissions (submission.h) ---- */

size_t pt_report_a_ncounters(void)
{
	return NA;
}

const long long *pt_report_a_unit(const struct pt_report *rep, const char *unit)
{
	int u = unit_index(rep->r, unit);

	return u < (int)rep->r->nunits ? rep->c->unit[u] : NULL;
}

int pt_report_a_row(const char *unit, const char *name, const char *level, const long long *a, struct pt_fmt *f,
		    struct pt_err *e)
{
	return a_row(unit, name, level, a, f, e);
}
