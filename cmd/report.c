/* petition-report: the quarterly statistics report (统计报告表); see petition-report(1).
 * It only reads. Typical cases, html and xlsx, and the county → city submission are to
 * come (issue 10). */
#include "common.h"

#include <stdio.h>
#include <string.h>

static const char usage[] =
	"usage: petition-report [--db PATH] [--rules FILE] [--format FMT] [--bom] [--encoding ENC]\n"
	"                       quarter [--period P | --from DATE --to DATE] [--unit UNIT]\n"
	"                       [--part A|B|C|D|month]\n";

enum { I_PERIOD, I_FROM, I_TO, I_UNIT, I_PART, NOPTS };
#define O(i) CMD_OPT(i)

static const struct cmd_opt opts[NOPTS] = {
	[I_PERIOD] = { "period", required_argument, NULL, NULL },
	[I_FROM] = { "from", required_argument, NULL, NULL },
	[I_TO] = { "to", required_argument, NULL, NULL },
	[I_UNIT] = { "unit", required_argument, NULL, NULL },
	[I_PART] = { "part", required_argument, NULL, NULL },
};

/* The period asked for: --period, --from with --to, else the quarter today is in. */
static int parse_period(struct cmd *c, const struct cmd_args *a, long today, struct pt_period *p)
{
	const char *period = a->v[I_PERIOD], *from = a->v[I_FROM], *to = a->v[I_TO];
	struct pt_err e = PT_ERR_INIT;
	char q[16];
	int status = 0;

	if (period && (from || to))
		return cmd_usage(c, "give --period, or --from with --to, not both");
	if ((from != NULL) != (to != NULL))
		return cmd_usage(c, "--from and --to go together");
	if (!period && !from) {
		int y, m, d;

		pt_civil_from_days(today, &y, &m, &d);
		snprintf(q, sizeof q, "%04dQ%d", y % 10000, (m - 1) / 3 % 4 + 1);
		period = q;
	}
	if (from ? pt_report_period_range(from, to, p, &e) : pt_report_period(period, today, p, &e))
		status = cmd_fail(c, &e);
	pt_err_release(&e);
	return status;
}

/* A part's title, as a row of its own (so that it is encoded and quoted like the rest). */
static int title(struct cmd *c, enum pt_report_part p, const struct pt_period *period, bool bom)
{
	static const struct pt_col col = { "part", false };
	struct pt_fmt_opts o = c->fmt;
	struct pt_err e = PT_ERR_INIT;
	char text[160];
	const char *v[] = { text };
	struct pt_fmt *f;
	int status;

	o.no_header = true;
	o.bom = bom;
	snprintf(text, sizeof text, "%s %s %s", pt_report_part_name(p), pt_report_part_title(p), period->name);
	if (!(f = pt_fmt_new(stdout, &o, &col, 1, &e))) {
		status = cmd_fail(c, &e);
		pt_err_release(&e);
		return status;
	}
	return cmd_end_listing(c, f, pt_fmt_row(f, v, &e), &e);
}

/* One part: a formatter of its own. In JSON, every part is a member of one object. */
static int part(struct cmd *c, const struct pt_report *rep, enum pt_report_part p, bool alone, bool first)
{
	struct pt_err e = PT_ERR_INIT;
	struct pt_fmt_opts keep = c->fmt;
	size_t ncols;
	const struct pt_col *cols = pt_report_cols(p, &ncols);
	bool json = c->fmt.format == PT_FMT_JSON;
	struct pt_fmt *f;
	int status = 0;

	if (!alone && json)
		printf("%s\"%s\": ", first ? "" : ", ", pt_report_part_name(p));
	else if (!alone) {
		if (!first)
			putchar('\n');
		if ((status = title(c, p, &rep->o.period, first && c->fmt.bom)))
			return status;
		c->fmt.bom = false;
	}
	f = cmd_output(c, cols, ncols, &status);
	c->fmt = keep;
	if (!f)
		return status;
	return cmd_end_listing(c, f, pt_report_write(rep, p, f, &e), &e);
}

static int quarter(struct cmd *c, const struct cmd_args *a)
{
	struct pt_report_opts o = { .unit = a->v[I_UNIT], .today = pt_date_today(),
				    .progress = cmd_progress_of(c, "cases") };
	struct pt_report rep;
	struct pt_err e = PT_ERR_INIT;
	int only = -1, status;

	if (a->v[I_PART] && (only = pt_report_part_parse(a->v[I_PART])) < 0)
		return cmd_usage(c, "--part is A, B, C, D or month");
	if ((status = cmd_check_env(c)) || (status = parse_period(c, a, o.today, &o.period)) ||
	    (status = cmd_open(c, 0, true)))
		return status;
	if (o.unit && pt_rules_unit(c->rules, o.unit))
		o.unit = pt_rules_unit(c->rules, o.unit)->code;
	if (pt_report_compute(c->db, c->rules, &o, &rep, &e)) {
		status = cmd_fail(c, &e);
		pt_err_release(&e);
		pt_report_release(&rep);
		return status;
	}
	if (only >= 0) {
		status = part(c, &rep, (enum pt_report_part)only, true, true);
	} else {
		if (c->fmt.format == PT_FMT_JSON)
			printf("{\"period\": \"%s\", ", rep.o.period.name);
		for (int p = 0; p < PT_REPORT_NPARTS && status == 0; p++)
			status = part(c, &rep, (enum pt_report_part)p, false, p == 0);
		if (status == 0 && c->fmt.format == PT_FMT_JSON)
			puts("}");
	}
	pt_report_release(&rep);
	return status;
}

#define ARGS "wrong arguments or options for '%s'"
static const struct cmd_verb verbs[] = {
	{ .name = "quarter", .run = quarter, .args_msg = ARGS,
	  .takes = CMD_OUTPUT | O(I_PERIOD) | O(I_FROM) | O(I_TO) | O(I_UNIT) | O(I_PART) },
};

static const struct cmd_spec spec = {
	opts, NOPTS, verbs, sizeof verbs / sizeof *verbs,
	"which one: quarter?"
};

int main(int argc, char **argv)
{
	struct cmd c;

	cmd_init(&c, "petition-report", usage);
	return cmd_main(&c, &spec, argc, argv);
}
