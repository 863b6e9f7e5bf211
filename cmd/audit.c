/* petition-audit: prove the database from its log; see petition-audit(1). */
#include "common.h"

#include <stdio.h>

static const char usage[] =
	"usage: petition-audit [--db PATH] [--format FMT] [--bom] [--encoding ENC] verify\n"
	"                      [--head ID:HASH]\n"
	"       petition-audit [--db PATH] head\n"
	"       petition-audit [--db PATH] [--rules FILE] [--format FMT] [--bom] [--encoding ENC]\n"
	"                      check [--period P | --from DATE --to DATE] [--unit UNIT]\n";

enum { I_HEAD, I_PERIOD, I_FROM, I_TO, I_UNIT, NOPTS };

static const struct cmd_opt opts[NOPTS] = {
	[I_HEAD] = { "head", required_argument, NULL, NULL, false },
	[I_PERIOD] = { "period", required_argument, NULL, NULL, false },
	[I_FROM] = { "from", required_argument, NULL, NULL, false },
	[I_TO] = { "to", required_argument, NULL, NULL, false },
	[I_UNIT] = { "unit", required_argument, NULL, NULL, false },
};

static int verify(struct cmd *c, const struct cmd_args *a)
{
	struct pt_audit_head kept;
	struct pt_audit_verify_result res;
	struct pt_err e = PT_ERR_INIT;
	struct pt_fmt *f;
	int status;

	if (a->v[I_HEAD] && !pt_audit_head_parse(a->v[I_HEAD], &kept))
		return cmd_usage(c, "--head '%s' is not ID:HASH (as petition audit head prints it)", a->v[I_HEAD]);
	if ((status = cmd_open(c, 0, false)))
		return status;
	if (!(f = cmd_output(c, pt_audit_verify_cols, pt_audit_verify_ncols, &status)))
		return status;
	status = cmd_end_listing(c, f, pt_audit_verify(c->db, a->v[I_HEAD] ? &kept : NULL, f, &res, &e), &e);
	if (status == 0 && !c->quiet)
		cmd_warn(c, "%llu event%s replayed, %llu finding%s", res.events, res.events == 1 ? "" : "s",
			 res.findings, res.findings == 1 ? "" : "s");
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

/* The period of check: --period (default last), or --from with --to. */
static int check_period(struct cmd *c, const struct cmd_args *a, struct pt_compliance_query *q)
{
	const char *p = a->v[I_PERIOD], *from = a->v[I_FROM], *to = a->v[I_TO];

	if (p && (from || to))
		return cmd_usage(c, "give --period, or --from with --to, not both");
	if ((from != NULL) != (to != NULL))
		return cmd_usage(c, "--from and --to go together");
	if (from) {
		if (!pt_date_parse(from, &q->first))
			return cmd_usage(c, "--from '%s' is not a date", from);
		if (!pt_date_parse(to, &q->last))
			return cmd_usage(c, "--to '%s' is not a date", to);
		if (q->last < q->first)
			return cmd_usage(c, "--to %s is before --from %s", to, from);
		return 0;
	}
	if (!pt_compliance_period_parse(p ? p : "last", q->today, &q->first, &q->last))
		return cmd_usage(c, "--period '%s' is not a year, a quarter (2026Q3), a month (2026-07) or 'last'", p);
	return 0;
}

static int check(struct cmd *c, const struct cmd_args *a)
{
	struct pt_compliance_query q = { 0, 0, 0, NULL };
	struct pt_err e = PT_ERR_INIT;
	unsigned long long n = 0;
	struct pt_fmt *f;
	int status;

	if ((status = cmd_check_env(c)))
		return status;
	q.today = pt_date_today();
	if ((status = check_period(c, a, &q)) || (status = cmd_open(c, 0, true)))
		return status;
	if (a->v[I_UNIT]) {
		const struct pt_unit *u = pt_rules_unit(c->rules, a->v[I_UNIT]);

		if (!u)
			return cmd_usage(c, "--unit '%s' is not a unit in the rules (petition rules show)", a->v[I_UNIT]);
		q.unit = u->code;
	}
	if (!(f = cmd_output(c, pt_compliance_cols, pt_compliance_ncols, &status)))
		return status;
	status = cmd_end_listing(c, f, pt_compliance_check(c->db, c->rules, &q, f, &n, &e), &e);
	if (status == 0 && !c->quiet)
		cmd_warn(c, "%llu finding%s", n, n == 1 ? "" : "s");
	/* findings are a negative answer, for cron to mail */
	return status == 0 && n ? PT_NEGATIVE : status;
}

#define ARGS "wrong arguments for '%s'"
static const struct cmd_verb verbs[] = {
	{ .name = "verify", .run = verify, .takes = CMD_OUTPUT | CMD_OPT(I_HEAD), .args_msg = ARGS },
	{ .name = "head", .run = head, .args_msg = ARGS },
	{ .name = "check", .run = check,
	  .takes = CMD_OUTPUT | CMD_OPT(I_PERIOD) | CMD_OPT(I_FROM) | CMD_OPT(I_TO) | CMD_OPT(I_UNIT), .args_msg = ARGS },
};

static const struct cmd_spec spec = {
	opts, NOPTS, verbs, sizeof verbs / sizeof *verbs, "which one: verify, head or check?"
};

int main(int argc, char **argv)
{
	struct cmd c;

	cmd_init(&c, "petition-audit", usage);
	return cmd_main(&c, &spec, argc, argv);
}
