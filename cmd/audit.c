/* petition-audit: prove the database from its log; see petition-audit(1). */
#include "common.h"

#include <stdio.h>

static const char usage[] =
	"usage: petition-audit [--db PATH] [--format FMT] [-o FILE] [--bom] [--crlf] [--excel]\n"
	"                      [--encoding ENC] verify [--head ID:HASH] [--since ID:HASH]\n"
	"       petition-audit [--db PATH] head\n"
	"       petition-audit [--db PATH] [--rules FILE] [--format FMT] [-o FILE] [--bom] [--crlf]\n"
	"                      [--excel] [--encoding ENC] log [CASE] [--kind KIND[,KIND...]]\n"
	"                      [--operator WHO] [--from DATE] [--to DATE]\n"
	"       petition-audit [--db PATH] [--rules FILE] [--format FMT] [-o FILE] [--bom] [--crlf]\n"
	"                      [--excel] [--encoding ENC] check [--period P | --from DATE --to DATE]\n"
	"                      [--unit UNIT]\n"
	"       petition-audit [--db PATH] [--rules FILE] [--format FMT] [-o FILE] [--bom] [--crlf]\n"
	"                      [--excel] [--encoding ENC] interview\n"
	"                      [--period P | --from DATE --to DATE] [--unit UNIT] [--redact]\n";

enum { I_HEAD, I_KIND, I_OPERATOR, I_FROM, I_TO, I_SINCE, I_PERIOD, I_UNIT, I_REDACT, NOPTS };

static const struct cmd_opt opts[NOPTS] = {
	[I_HEAD] = { "head", required_argument, NULL, NULL, false },
	[I_KIND] = { "kind", required_argument, NULL, NULL, false },
	[I_OPERATOR] = { "operator", required_argument, NULL, NULL, false },
	[I_FROM] = { "from", required_argument, NULL, NULL, false },
	[I_TO] = { "to", required_argument, NULL, NULL, false },
	[I_SINCE] = { "since", required_argument, NULL, NULL, false },
	[I_PERIOD] = { "period", required_argument, NULL, NULL, false },
	[I_UNIT] = { "unit", required_argument, NULL, NULL, false },
	[I_REDACT] = { "redact", no_argument, NULL, NULL, false },
};

static int verify(struct cmd *c, const struct cmd_args *a)
{
	struct pt_audit_head kept, since;
	struct pt_audit_verify_result res;
	struct pt_progress progress = cmd_progress_of(c, "events");
	struct pt_err e = PT_ERR_INIT;
	struct pt_fmt *f;
	int status;

	if (a->v[I_HEAD] && !pt_audit_head_parse(a->v[I_HEAD], &kept))
		return cmd_usage(c, "--head '%s' is not ID:HASH (as petition audit head prints it)", a->v[I_HEAD]);
	if (a->v[I_SINCE] && !pt_audit_head_parse(a->v[I_SINCE], &since))
		return cmd_usage(c, "--since '%s' is not ID:HASH (as petition audit head prints it)", a->v[I_SINCE]);
	if ((status = cmd_open(c, 0, false)))
		return status;
	if (!(f = cmd_output(c, pt_audit_verify_cols, pt_audit_verify_ncols, &status)))
		return status;
	status = cmd_end_listing(c, f, pt_audit_verify(c->db, a->v[I_HEAD] ? &kept : NULL, a->v[I_SINCE] ? &since : NULL,
							&progress, f, &res, &e), &e);
	if (status == 0 && !c->quiet)
		cmd_warn(c, "%llu event%s replayed%s, %llu finding%s", res.events, res.events == 1 ? "" : "s",
			 a->v[I_SINCE] ? " since the checkpoint" : "", res.findings, res.findings == 1 ? "" : "s");
	/* findings are a negative answer, for cron to mail */
	return status == 0 && res.findings ? PT_NEGATIVE : status;
}

static int head(struct cmd *c, const struct cmd_args *a)
{
	struct pt_audit_head h;
	struct pt_err e = PT_ERR_INIT;
	int status;

	(void)a;
	if ((status = cmd_open(c, 0, false)))
		return status;
	if (pt_audit_head(c->db, &h, &e)) {
		status = cmd_fail(c, &e);
		pt_err_release(&e);
		return status;
	}
	printf("%lld:%s\n", h.id, h.hash);
	return 0;
}

static int log_(struct cmd *c, const struct cmd_args *a)
{
	struct pt_audit_log_filter flt = {
		.case_key = a->argc ? a->argv[0] : NULL, .kinds = a->v[I_KIND], .operator = a->v[I_OPERATOR],
	};
	bool json = c->fmt.format == PT_FMT_JSON;
	struct pt_err e = PT_ERR_INIT;
	unsigned long long n = 0;
	struct pt_fmt *f;
	int status;

	if ((status = cmd_day(c, "--from", a->v[I_FROM], &flt.from)) ||
	    (status = cmd_day(c, "--to", a->v[I_TO], &flt.to)))
		return status;
	if ((status = cmd_open(c, 0, true)))
		return status;
	if (!(f = cmd_output(c, json ? pt_audit_log_json_cols : pt_audit_log_cols, pt_audit_log_ncols, &status)))
		return status;
	if (json)
		pt_fmt_json_column(f, PT_AUDIT_LOG_DATA_COL);
	status = cmd_end_listing(c, f, pt_audit_log(c->db, c->rules, &flt, json, f, &n, &e), &e);
	if (status == 0 && !c->quiet)
		cmd_warn(c, "%llu event%s", n, n == 1 ? "" : "s");
	return status;
}

/* The period of check: --period (default last), or --from with --to (report.h reads them). */
static int check_period(struct cmd *c, const struct cmd_args *a, struct pt_compliance_query *q)
{
	struct pt_period per;
	int status = cmd_period(c, a->v[I_PERIOD], a->v[I_FROM], a->v[I_TO], "last", q->today, &per);

	if (status == 0) {
		q->first = per.from;
		q->last = per.to;
	}
	return status;
}

/* What check and interview share: the environment, the period, the database and rules
 * and --unit; 0 or an exit status. */
static int check_open(struct cmd *c, const struct cmd_args *a, struct pt_compliance_query *q)
{
	int status;

	if ((status = cmd_check_env(c)))
		return status;
	q->today = pt_date_today();
	if ((status = check_period(c, a, q)) || (status = cmd_open(c, 0, true)))
		return status;
	if (a->v[I_UNIT]) {
		const struct pt_unit *u = pt_rules_unit(c->rules, a->v[I_UNIT]);
		struct pt_err e = PT_ERR_INIT;

		if (!u) {
			pt_rules_unknown(c->rules, PT_RULES_UNITS, &e, PT_EUSAGE, "unit", a->v[I_UNIT]);
			status = cmd_fail(c, &e);
			pt_err_release(&e);
			return status;
		}
		q->unit = u->code;
	}
	return 0;
}

static int check(struct cmd *c, const struct cmd_args *a)
{
	struct pt_compliance_query q = { 0, 0, 0, NULL };
	struct pt_err e = PT_ERR_INIT;
	unsigned long long n = 0;
	struct pt_fmt *f;
	int status;

	if ((status = check_open(c, a, &q)))
		return status;
	if (!(f = cmd_output(c, pt_compliance_cols, pt_compliance_ncols, &status)))
		return status;
	status = cmd_end_listing(c, f, pt_compliance_check(c->db, c->rules, &q, f, &n, &e), &e);
	if (status == 0 && !c->quiet)
		cmd_warn(c, "%llu finding%s", n, n == 1 ? "" : "s");
	/* findings are a negative answer, for cron to mail */
	return status == 0 && n ? PT_NEGATIVE : status;
}

static int interview(struct cmd *c, const struct cmd_args *a)
{
	struct pt_compliance_query q = { 0, 0, 0, NULL };
	struct pt_interview_query iq;
	struct pt_err e = PT_ERR_INIT;
	unsigned long long n = 0;
	struct pt_fmt *f;
	int status;

	if ((status = check_open(c, a, &q)))
		return status;
	iq = (struct pt_interview_query){ q.first, q.last, q.today, q.unit, (a->given & CMD_OPT(I_REDACT)) != 0 };
	if (!(f = cmd_output(c, pt_interview_cols, pt_interview_ncols, &status)))
		return status;
	status = cmd_end_listing(c, f, pt_interview_list(c->db, c->rules, &iq, f, &n, &e), &e);
	if (status == 0 && !c->quiet)
		cmd_warn(c, "%llu listed", n);
	/* a list that is not empty is a negative answer, like check's findings */
	return status == 0 && n ? PT_NEGATIVE : status;
}

#define ARGS "wrong arguments for '%s'"
static const struct cmd_verb verbs[] = {
	{ .name = "verify", .run = verify, .takes = CMD_OUTPUT | CMD_OPT(I_HEAD) | CMD_OPT(I_SINCE), .args_msg = ARGS },
	{ .name = "head", .run = head, .args_msg = ARGS },
	{ .name = "log", .run = log_, .max_args = 1,
	  .takes = CMD_OUTPUT | CMD_OPT(I_KIND) | CMD_OPT(I_OPERATOR) | CMD_OPT(I_FROM) | CMD_OPT(I_TO),
	  .args_msg = "log takes one case at most" },
	{ .name = "check", .run = check,
	  .takes = CMD_OUTPUT | CMD_OPT(I_PERIOD) | CMD_OPT(I_FROM) | CMD_OPT(I_TO) | CMD_OPT(I_UNIT), .args_msg = ARGS },
	{ .name = "interview", .run = interview,
	  .takes = CMD_OUTPUT | CMD_OPT(I_PERIOD) | CMD_OPT(I_FROM) | CMD_OPT(I_TO) | CMD_OPT(I_UNIT) | CMD_OPT(I_REDACT),
	  .args_msg = ARGS },
};

static const struct cmd_spec spec = {
	opts, NOPTS, verbs, sizeof verbs / sizeof *verbs, "which one: verify, head, log, check or interview?"
};

int main(int argc, char **argv)
{
	struct cmd c;

	cmd_init(&c, "petition-audit", usage);
	return cmd_main(&c, &spec, argc, argv);
}
