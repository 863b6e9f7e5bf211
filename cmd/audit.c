/* petition-audit: prove the database from its log; see petition-audit(1). */
#include "common.h"

#include <stdio.h>

static const char usage[] =
	"usage: petition-audit [--db PATH] [--format FMT] [--bom] [--encoding ENC] verify\n"
	"                      [--head ID:HASH]\n"
	"       petition-audit [--db PATH] head\n";

enum { I_HEAD, NOPTS };

static const struct cmd_opt opts[NOPTS] = {
	[I_HEAD] = { "head", required_argument, NULL, NULL, false },
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

#define ARGS "wrong arguments for '%s'"
static const struct cmd_verb verbs[] = {
	{ .name = "verify", .run = verify, .takes = CMD_OUTPUT | CMD_OPT(I_HEAD), .args_msg = ARGS },
	{ .name = "head", .run = head, .args_msg = ARGS },
};

static const struct cmd_spec spec = {
	opts, NOPTS, verbs, sizeof verbs / sizeof *verbs, "which one: verify or head?"
};

int main(int argc, char **argv)
{
	struct cmd c;

	cmd_init(&c, "petition-audit", usage);
	return cmd_main(&c, &spec, argc, argv);
}
