/* petition-route: apply the routing rules, add a manual step, transfer a case, or explain
 * the routing of a case; see petition-route(1). */
#include "common.h"

#include <stdio.h>
#include <string.h>

static const char usage[] =
	"usage: petition-route [-q] [--db PATH] [--rules FILE] [--dry-run] [--format FMT] [-o FILE]\n"
	"                      [--bom] [--crlf] [--excel] [--encoding ENC] [CASE]\n"
	"       petition-route [-q] [--db PATH] [--rules FILE] [--dry-run] [--format FMT] [-o FILE]\n"
	"                      [--bom] [--crlf] [--excel] [--encoding ENC] CASE --to WHO\n"
	"                      --action ACTION --note TEXT\n"
	"       petition-route [-q] [--db PATH] [--rules FILE] [--dry-run] [--format FMT] [-o FILE]\n"
	"                      [--bom] [--crlf] [--excel] [--encoding ENC] transfer CASE --unit UNIT\n"
	"                      | --body NAME [--note TEXT]\n"
	"       petition-route [--db PATH] [--rules FILE] [--format FMT] [-o FILE] [--bom] [--crlf]\n"
	"                      [--excel] [--encoding ENC] --explain CASE\n"
	"       petition-route [-q] [--db PATH] [--rules FILE] [--dry-run] [--format FMT] [-o FILE]\n"
	"                      [--bom] [--crlf] [--excel] [--encoding ENC] send CASE --to WHO\n"
	"                      [--note TEXT]\n";

enum { I_TO, I_ACTION, I_NOTE, I_UNIT, I_BODY, I_EXPLAIN };
#define O(i) CMD_OPT(i)

static const struct cmd_opt opts[] = {
	[I_TO] = { "to", required_argument, NULL, NULL },
	[I_ACTION] = { "action", required_argument, NULL, NULL },
	[I_NOTE] = { "note", required_argument, NULL, "--to, transfer or send" },
	[I_UNIT] = { "unit", required_argument, NULL, "transfer" },
	[I_BODY] = { "body", required_argument, NULL, "transfer" },
	[I_EXPLAIN] = { "explain", required_argument, NULL, NULL },
};

static void unmatched(void *ctx, const char *case_no)
{
	struct cmd *c = ctx;

	if (!c->quiet)
		cmd_warn(c, "no routing rule matches case %s; it stays registered (petition route --explain %s)",
			 case_no, case_no);
}

static int route_all(struct cmd *c, struct pt_fmt *f, struct pt_route_opts *o)
{
	struct pt_route_result res;
	struct pt_err e = PT_ERR_INIT;
	int status = cmd_end_listing(c, f, pt_route_all(c->db, c->rules, o, f, &res, &e), &e);

	if (status == 0 && !c->quiet)
		cmd_warn(c, "%llu case%s routed (%llu steps)%s%s", res.routed, res.routed == 1 ? "" : "s", res.steps,
			 res.unmatched ? "; no rule matched some: see above" : "",
			 c->dry_run ? "; dry run: nothing was written" : "");
	return status == 0 && res.unmatched ? PT_NEGATIVE : status;
}

/* Open the database and the output in the columns of a form; 0 or an exit status. */
static int open_output(struct cmd *c, bool explain, struct pt_fmt **f)
{
	int status = cmd_open(c, 0, true);

	if (status)
		return status;
	*f = explain ? cmd_output(c, pt_route_explain_cols, pt_route_explain_ncols, &status)
		     : cmd_output(c, pt_route_cols, pt_route_ncols, &status);
	return *f ? 0 : status;
}

/* [CASE], CASE --to WHO --action ACTION --note TEXT, transfer CASE: a change, printed as
 * the steps it made. */
static int change(struct cmd *c, const struct cmd_args *a)
{
	struct pt_route_opts o = { c->dry_run, pt_date_today(), unmatched, c, cmd_progress_of(c, "cases") };
	struct pt_err e = PT_ERR_INIT;
	struct pt_fmt *f;
	int rc = open_output(c, false, &f);

	if (rc)
		return rc;
	if (a->verb->name && !strcmp(a->verb->name, "send"))
		rc = pt_route_send(c->db, c->rules, a->argv[0], a->v[I_TO], a->v[I_NOTE], &o, f, &e);
	else if (a->verb->name) /* transfer */
		rc = pt_route_transfer(c->db, c->rules, a->argv[0], a->v[I_UNIT], a->v[I_BODY], a->v[I_NOTE], &o, f, &e);
	else if (a->given & O(I_TO))
		rc = pt_route_manual(c->db, c->rules, a->argv[0], a->v[I_TO], a->v[I_ACTION], a->v[I_NOTE], &o, f, &e);
	else if (a->argc == 0)
		return route_all(c, f, &o);
	else
		rc = pt_route_one(c->db, c->rules, a->argv[0], &o, f, &e);
	rc = cmd_end_listing(c, f, rc, &e);
	if (rc == 0 && c->dry_run && !c->quiet)
		cmd_warn(c, "dry run: nothing was written");
	return rc;
}

static int explain(struct cmd *c, const struct cmd_args *a)
{
	struct pt_err e = PT_ERR_INIT;
	struct pt_fmt *f;
	int status = open_output(c, true, &f);

	if (status)
		return status;
	return cmd_end_listing(c, f, pt_route_explain(c->db, c->rules, a->v[I_EXPLAIN], f, &e), &e);
}

#define MANUAL "a manual step needs CASE --to WHO --action ACTION --note TEXT"

/* transfer is a word; the other forms are told apart by their options, the last by none. */
#define CHANGE (CMD_DRY_RUN | CMD_OUTPUT)
static const struct cmd_verb verbs[] = {
	{ .name = "transfer", .run = change, .takes = CHANGE | O(I_UNIT) | O(I_BODY) | O(I_NOTE),
	  .min_args = 1, .max_args = 1, .args_msg = "transfer CASE --unit UNIT | --body NAME [--note TEXT]",
	  .refuse_msg = "transfer CASE --unit UNIT | --body NAME [--note TEXT]" },
	{ .key = O(I_EXPLAIN), .as = "--explain", .run = explain, .takes = CMD_OUTPUT | O(I_EXPLAIN),
	  .args_msg = "--explain CASE goes alone", .refuse_msg = "--explain CASE goes alone" },
	{ .key = O(I_TO) | O(I_ACTION), .as = "a manual step", .run = change,
	  .takes = CHANGE | O(I_TO) | O(I_ACTION) | O(I_NOTE), .needs = O(I_TO) | O(I_ACTION) | O(I_NOTE),
	  .min_args = 1, .max_args = 1, .args_msg = MANUAL, .needs_msg = MANUAL },
	{ .as = "routing", .run = change, .takes = CHANGE, .max_args = 1, .args_msg = "one case at a time" },
	{ .name = "send", .run = change, .takes = CHANGE | O(I_TO) | O(I_NOTE), .needs = O(I_TO),
	  .min_args = 1, .max_args = 1, .args_msg = "send CASE --to WHO [--note TEXT]",
	  .refuse_msg = "send CASE --to WHO [--note TEXT]",
	  .needs_what = (const char *const[6]){ [I_TO] = " WHO (a leader, or the petition department)" } },
};

static const struct cmd_spec spec = { opts, sizeof opts / sizeof *opts, verbs, sizeof verbs / sizeof *verbs, NULL };

int main(int argc, char **argv)
{
	struct cmd c;

	cmd_init(&c, "petition-route", usage);
	return cmd_main(&c, &spec, argc, argv);
}
