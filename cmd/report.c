/* petition-report: the quarterly statistics report (统计报告表); see petition-report(1).
 * It only reads. html and xlsx, and the county → city submission are to come (issue 10). */
#include "common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
	"usage: petition-report [--db PATH] [--rules FILE] [--format FMT] [-o FILE] [--bom] [--crlf]\n"
	"                       [--excel] [--encoding ENC] quarter\n"
	"                       [--period P | --from DATE --to DATE] [--unit UNIT]\n"
	"                       [--part A|B|C|D|month|typical] [--no-redact]\n";

enum { I_PERIOD, I_FROM, I_TO, I_UNIT, I_PART, I_NO_REDACT, NOPTS };
#define O(i) CMD_OPT(i)

static const struct cmd_opt opts[NOPTS] = {
	[I_PERIOD] = { "period", required_argument, NULL, NULL },
	[I_FROM] = { "from", required_argument, NULL, NULL },
	[I_TO] = { "to", required_argument, NULL, NULL },
	[I_UNIT] = { "unit", required_argument, NULL, NULL },
	[I_PART] = { "part", required_argument, NULL, NULL },
	[I_NO_REDACT] = { "no-redact", no_argument, NULL, NULL },
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

/* One part as a table of the document: its title, and for html and xlsx the printed
 * form's Chinese heads and part A's column groups (petition-report(1), FORMATS). */
static int part(struct pt_fmt *f, const struct pt_report *rep, enum pt_report_part p, struct pt_err *e)
{
	size_t ncols;
	const struct pt_col *cols = pt_report_cols(p, &ncols);
	const char **labels = pt_xcalloc(ncols + 1, sizeof *labels), **groups = pt_xcalloc(ncols + 1, sizeof *groups);
	char title[160];
	int rc;

	for (size_t i = 0; i < ncols; i++) {
		labels[i] = pt_report_col_label(cols[i].name);
		groups[i] = pt_report_col_group(p, cols[i].name);
	}
	snprintf(title, sizeof title, "%s %s %s", pt_report_part_name(p), pt_report_part_title(p), rep->o.period.name);
	rc = pt_fmt_section(f, &(struct pt_fmt_table){ .name = pt_report_part_name(p), .title = title, .cols = cols,
		.ncols = ncols, .labels = labels, .groups = groups }, e);
	if (rc == 0)
		rc = pt_report_write(rep, p, f, e);
	free(labels);
	free(groups);
	return rc;
}

/* The report as one document: every part (or the one asked for) under the form's title,
 * the unit and the period, with lines to sign in html. One part asked for in table, csv,
 * tsv or json is that part's table alone. */
static int print_report(struct cmd *c, const struct pt_report *rep, int only)
{
	static const char *const signatures[] = { "负责人", "填报人", "填报日期" };
	const char *unit = rep->o.unit ? rep->o.unit : c->rules->office;
	const struct pt_unit *u = unit ? pt_rules_unit(c->rules, unit) : NULL;
	char from[PT_DATE_LEN], to[PT_DATE_LEN], period[96];
	struct pt_fmt_field fields[] = {
		{ "unit", "填报单位", u ? u->name : unit ? unit : "" },
		{ "period", "统计期间", period },
	};
	struct pt_fmt_doc doc = { "工会领导干部接访工作统计报告表", fields, 2, signatures, 3 };
	bool alone = only >= 0 && c->fmt.format != PT_FMT_HTML && c->fmt.format != PT_FMT_XLSX;
	struct pt_err e = PT_ERR_INIT;
	struct pt_fmt *f;
	size_t ncols;
	int rc = 0;

	pt_date_format(rep->o.period.from, from);
	pt_date_format(rep->o.period.to, to);
	/* JSON keeps the period's name as scripts read it; the page says its days too. */
	snprintf(period, sizeof period, "%s", rep->o.period.name);
	if (c->fmt.format == PT_FMT_HTML || c->fmt.format == PT_FMT_XLSX)
		snprintf(period, sizeof period, "%s（%s 至 %s）", rep->o.period.name, from, to);
	if (alone) {
		const struct pt_col *cols = pt_report_cols((enum pt_report_part)only, &ncols);

		f = pt_fmt_new(stdout, &c->fmt, cols, ncols, &e);
	} else {
		f = pt_fmt_new_doc(stdout, &c->fmt, &doc, &e);
	}
	for (int p = 0; f && p < PT_REPORT_NPARTS && rc == 0; p++)
		if (only < 0 || p == only)
			rc = alone ? pt_report_write(rep, (enum pt_report_part)p, f, &e) : part(f, rep, (enum pt_report_part)p, &e);
	if (!f)
		rc = -1;
	return cmd_end_listing(c, f, rc, &e);
}

static int quarter(struct cmd *c, const struct cmd_args *a)
{
	struct pt_report_opts o = { .unit = a->v[I_UNIT], .today = pt_date_today(),
				    .no_redact = (a->given & O(I_NO_REDACT)) != 0 };
	struct pt_report rep;
	struct pt_err e = PT_ERR_INIT;
	int only = -1, status;

	if (a->v[I_PART] && (only = pt_report_part_parse(a->v[I_PART])) < 0)
		return cmd_usage(c, "--part is A, B, C, D, month or typical");
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
	status = print_report(c, &rep, only);
	pt_report_release(&rep);
	return status;
}

#define ARGS "wrong arguments or options for '%s'"
static const struct cmd_verb verbs[] = {
	{ .name = "quarter", .run = quarter, .args_msg = ARGS,
	  .takes = CMD_OUTPUT | O(I_PERIOD) | O(I_FROM) | O(I_TO) | O(I_UNIT) | O(I_PART) | O(I_NO_REDACT) },
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
