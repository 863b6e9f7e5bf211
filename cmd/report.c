/* petition-report: the quarterly statistics report (统计报告表), the submission of it to the
 * unit above, and at that unit the receipt, roll-up and check of its lower units'
 * submissions; see petition-report(1). Only submit and receive write. */
#include "common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
	"usage: petition-report [--db PATH] [--rules FILE] [--format FMT] [-o FILE] [--bom] [--crlf]\n"
	"                       [--excel] [--encoding ENC] quarter\n"
	"                       [--period P | --from DATE --to DATE] [--unit UNIT]\n"
	"                       [--part A|B|C|D|month|typical] [--no-redact]\n"
	"       petition-report [--db PATH] [--rules FILE] [--dry-run] submit --period P [--unit UNIT]\n"
	"                       [-o FILE] [--reason TEXT]\n"
	"       petition-report [--db PATH] [--rules FILE] [--dry-run] receive\n"
	"                       [--replace --reason TEXT] FILE ...\n"
	"       petition-report [--db PATH] [--rules FILE] [--format FMT] [-o FILE] [--bom] [--crlf]\n"
	"                       [--excel] [--encoding ENC] rollup --period P\n"
	"       petition-report [--format FMT] [-o FILE] [--bom] [--crlf] [--excel] [--encoding ENC]\n"
	"                       verify --db PATH SUBMISSION\n";

enum { I_PERIOD, I_FROM, I_TO, I_UNIT, I_PART, I_OUTPUT, I_REASON, I_REPLACE, I_NO_REDACT, NOPTS };
#define O(i) CMD_OPT(i)

static const struct cmd_opt opts[NOPTS] = {
	[I_PERIOD] = { "period", required_argument, NULL, NULL },
	[I_FROM] = { "from", required_argument, NULL, NULL },
	[I_TO] = { "to", required_argument, NULL, NULL },
	[I_UNIT] = { "unit", required_argument, NULL, NULL },
	[I_PART] = { "part", required_argument, NULL, NULL },
	[I_OUTPUT] = { "output", required_argument, NULL, NULL, true },
	[I_REASON] = { "reason", required_argument, NULL, NULL },
	[I_REPLACE] = { "replace", no_argument, NULL, NULL },
	[I_NO_REDACT] = { "no-redact", no_argument, NULL, NULL },
};

/* The period asked for: --period, --from with --to, else the quarter today is in. */
static int parse_period(struct cmd *c, const struct cmd_args *a, long today, struct pt_period *p)
{
	char q[16];
	int y, m, d;

	pt_civil_from_days(today, &y, &m, &d);
	snprintf(q, sizeof q, "%04dQ%d", y % 10000, (m - 1) / 3 % 4 + 1);
	return cmd_period(c, a->v[I_PERIOD], a->v[I_FROM], a->v[I_TO], q, today, p);
}

/* A section of the output: a part of the report, or of the roll-up. */
struct section {
	const char *name, *title;
	const struct pt_col *cols;
	size_t ncols;
	int (*write)(const void *what, int which, struct pt_fmt *f, struct pt_err *e);
	const void *what;
	int which;
};

/* One section as a table of the document: its title, and for html and xlsx the printed
 * form's Chinese heads, part A's columns grouped (petition-report(1), "The printed form"). */
static int section(struct pt_fmt *f, const struct section *s, const char *period, struct pt_err *e)
{
	const char **labels = pt_xcalloc(s->ncols + 1, sizeof *labels), **groups = pt_xcalloc(s->ncols + 1, sizeof *groups);
	bool part_a = !strcmp(s->name, pt_report_part_name(PT_REPORT_A));
	char title[160];
	int rc;

	for (size_t i = 0; i < s->ncols; i++) {
		labels[i] = pt_report_col_label(s->cols[i].name);
		groups[i] = part_a ? pt_report_col_group(PT_REPORT_A, s->cols[i].name) : NULL;
	}
	snprintf(title, sizeof title, "%s %s %s", s->name, s->title, period);
	rc = pt_fmt_section(f, &(struct pt_fmt_table){ .name = s->name, .title = title, .cols = s->cols,
		.ncols = s->ncols, .labels = labels, .groups = groups }, e);
	if (rc == 0)
		rc = s->write(s->what, s->which, f, e);
	free(labels);
	free(groups);
	return rc;
}

/* The sections as one document: under the form's title, the unit reporting (unit, else
 * the office) and the period, with lines to sign in html; in JSON one object. A section
 * alone (--part, but not in html or xlsx, which are always the form) is its table alone. */
static int sections(struct cmd *c, const struct section *s, size_t n, const struct pt_period *p, const char *unit,
		    bool alone)
{
	static const char *const signatures[] = { "负责人", "填报人", "填报日期" };
	const struct pt_unit *u = pt_rules_unit(c->rules, unit ? unit : c->rules->office);
	char from[PT_DATE_LEN], to[PT_DATE_LEN], period[96];
	struct pt_fmt_field fields[] = {
		{ "unit", "填报单位", u ? u->name : "" },
		{ "period", "统计期间", period },
	};
	struct pt_fmt_doc doc = { "工会领导干部接访工作统计报告表", fields, 2, signatures, 3 };
	bool form = c->fmt.format == PT_FMT_HTML || c->fmt.format == PT_FMT_XLSX;
	struct pt_err e = PT_ERR_INIT;
	struct pt_fmt *f;
	int rc = 0;

	pt_date_format(p->from, from);
	pt_date_format(p->to, to);
	/* JSON keeps the period's name as scripts read it; the form says its days too. */
	snprintf(period, sizeof period, form ? "%s（%s 至 %s）" : "%s", p->name, from, to);
	alone = alone && !form;
	f = alone ? pt_fmt_new(stdout, &c->fmt, s[0].cols, s[0].ncols, &e) : pt_fmt_new_doc(stdout, &c->fmt, &doc, &e);
	for (size_t i = 0; f && i < n && rc == 0; i++)
		rc = alone ? s[i].write(s[i].what, s[i].which, f, &e) : section(f, &s[i], p->name, &e);
	return cmd_end_listing(c, f, f ? rc : -1, &e);
}

static int write_part(const void *rep, int p, struct pt_fmt *f, struct pt_err *e)
{
	return pt_report_write(rep, (enum pt_report_part)p, f, e);
}

static struct section report_part(const struct pt_report *rep, enum pt_report_part p)
{
	struct section s = { pt_report_part_name(p), pt_report_part_title(p), NULL, 0, write_part, rep, (int)p };

	s.cols = pt_report_cols(p, &s.ncols);
	return s;
}

/* Report a library failure and return its status. */
static int failed(struct cmd *c, struct pt_err *e)
{
	int status = cmd_fail(c, e);

	pt_err_release(e);
	return status;
}

static int quarter(struct cmd *c, const struct cmd_args *a)
{
	struct pt_report_opts o = { .unit = a->v[I_UNIT], .today = pt_date_today(),
				    .no_redact = (a->given & O(I_NO_REDACT)) != 0,
				    .progress = cmd_progress_of(c, "cases") };
	const struct pt_unit *u;
	struct pt_report rep;
	struct pt_err e = PT_ERR_INIT;
	int only = -1, status;

	if (a->v[I_PART] && (only = pt_report_part_parse(a->v[I_PART])) < 0)
		return cmd_usage(c, "--part is A, B, C, D, month or typical");
	if ((status = cmd_check_env(c)) || (status = parse_period(c, a, o.today, &o.period)) ||
	    (status = cmd_open(c, 0, true)))
		return status;
	if (o.unit && (u = pt_rules_unit(c->rules, o.unit)))
		o.unit = u->code;
	if (pt_report_compute(c->db, c->rules, &o, &rep, &e)) {
		pt_report_release(&rep);
		return failed(c, &e);
	}
	if (only >= 0) {
		struct section one = report_part(&rep, (enum pt_report_part)only);

		status = sections(c, &one, 1, &rep.o.period, rep.o.unit, true);
	} else {
		struct section all[PT_REPORT_NPARTS];

		for (int p = 0; p < PT_REPORT_NPARTS; p++)
			all[p] = report_part(&rep, (enum pt_report_part)p);
		status = sections(c, all, PT_REPORT_NPARTS, &rep.o.period, rep.o.unit, false);
	}
	pt_report_release(&rep);
	return status;
}

static int submit(struct cmd *c, const struct cmd_args *a)
{
	struct pt_submission_opts o = { .unit = a->v[I_UNIT], .output = a->v[I_OUTPUT], .reason = a->v[I_REASON],
					 .dry_run = c->dry_run };
	struct pt_buf content = PT_BUF_INIT;
	struct pt_err e = PT_ERR_INIT;
	int status;

	if ((status = cmd_check_env(c)) || (status = parse_period(c, a, pt_date_today(), &o.period)) ||
	    (status = cmd_open(c, 0, true)))
		return status;
	if (pt_submission_submit(c->db, c->rules, &o, &content, &e))
		status = failed(c, &e);
	else if (!o.output || c->dry_run) /* a dry run shows what it would have written */
		fwrite(content.buf, 1, content.len, stdout);
	if (status == 0 && o.output && !c->quiet)
		fprintf(stderr, "%s: %s%s\n", c->prog, o.output, c->dry_run ? ": dry run, not written" : "");
	pt_buf_release(&content);
	return status;
}

static int receive(struct cmd *c, const struct cmd_args *a)
{
	static const char *const said[] = {
		[PT_SUBMISSION_STORED] = "received", [PT_SUBMISSION_REPLACED] = "received, replacing the one before",
		[PT_SUBMISSION_SAME] = "received before, the same: nothing to do",
	};
	struct pt_submission_receive_opts o = { .replace = a->given & O(I_REPLACE), .reason = a->v[I_REASON],
						 .dry_run = c->dry_run };
	enum pt_submission_outcome *out;
	struct pt_err e = PT_ERR_INIT;
	int status;

	if (a->v[I_REASON] && !o.replace)
		return cmd_usage(c, "--reason goes with --replace");
	if ((status = cmd_open(c, 0, true)))
		return status;
	out = pt_xcalloc((size_t)a->argc, sizeof *out);
	if (pt_submission_receive(c->db, c->rules, a->argv, a->argc, &o, out, &e))
		status = failed(c, &e);
	for (int i = 0; status == 0 && !c->quiet && i < a->argc; i++)
		fprintf(stderr, "%s: %s: %s%s\n", c->prog, a->argv[i], said[out[i]], c->dry_run ? " (dry run)" : "");
	free(out);
	return status;
}

static int write_rollup(const void *ru, int which, struct pt_fmt *f, struct pt_err *e)
{
	return which ? pt_submission_rollup_write_status(ru, f, e) : pt_submission_rollup_write_a(ru, f, e);
}

static int rollup(struct cmd *c, const struct cmd_args *a)
{
	struct pt_submission_rollup ru;
	struct pt_period p;
	struct pt_err e = PT_ERR_INIT;
	long today = pt_date_today();
	int status;

	if ((status = cmd_check_env(c)) || (status = parse_period(c, a, today, &p)) || (status = cmd_open(c, 0, true)))
		return status;
	if (pt_submission_rollup(c->db, c->rules, &p, today, &ru, &e)) {
		status = failed(c, &e);
	} else {
		struct section s[2] = {
			{ "A", pt_report_part_title(PT_REPORT_A), NULL, 0, write_rollup, &ru, 0 },
			{ "status", "报送情况", pt_submission_status_cols, pt_submission_status_ncols, write_rollup, &ru, 1 },
		};

		s[0].cols = pt_report_cols(PT_REPORT_A, &s[0].ncols);
		status = sections(c, s, 2, &p, NULL, false);
	}
	pt_submission_rollup_release(&ru);
	return status;
}

static int verify(struct cmd *c, const struct cmd_args *a)
{
	struct pt_err e = PT_ERR_INIT;
	unsigned long long differ = 0;
	struct pt_fmt *f;
	int status;

	if ((status = cmd_check_env(c)) ||
	    !(f = cmd_output(c, pt_submission_verify_cols, pt_submission_verify_ncols, &status)))
		return status;
	status = cmd_end_listing(c, f, pt_submission_verify(a->argv[0], c->db_path, f, &differ, &e), &e);
	if (status == 0 && differ) {
		if (!c->quiet)
			fprintf(stderr, "%s: %llu figures differ from the database as it stood at the submission's head\n",
				c->prog, differ);
		status = 1;
	}
	return status;
}

#define ARGS "wrong arguments or options for '%s'"
static const struct cmd_verb verbs[] = {
	{ .name = "quarter", .run = quarter, .args_msg = ARGS,
	  .takes = CMD_OUTPUT | O(I_PERIOD) | O(I_FROM) | O(I_TO) | O(I_UNIT) | O(I_PART) | O(I_NO_REDACT) },
	{ .name = "submit", .run = submit, .args_msg = ARGS,
	  .takes = CMD_DRY_RUN | O(I_PERIOD) | O(I_UNIT) | O(I_OUTPUT) | O(I_REASON), .needs = O(I_PERIOD) },
	{ .name = "receive", .run = receive, .min_args = 1, .max_args = 1 << 20,
	  .args_msg = "receive needs the submission files",
	  .takes = CMD_DRY_RUN | O(I_REPLACE) | O(I_REASON) },
	{ .name = "rollup", .run = rollup, .args_msg = ARGS, .takes = CMD_OUTPUT | O(I_PERIOD), .needs = O(I_PERIOD) },
	{ .name = "verify", .run = verify, .min_args = 1, .max_args = 1,
	  .args_msg = "verify needs one submission file", .takes = CMD_OUTPUT },
};

static const struct cmd_spec spec = {
	opts, NOPTS, verbs, sizeof verbs / sizeof *verbs,
	"which one: quarter, submit, receive, rollup or verify?"
};

int main(int argc, char **argv)
{
	struct cmd c;

	cmd_init(&c, "petition-report", usage);
	return cmd_main(&c, &spec, argc, argv);
}
