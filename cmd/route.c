/* petition-route: apply the routing rules, add a manual step, transfer a case, or explain
 * the routing of a case; see petition-route(1). */
#include "common.h"

#include <stdio.h>
#include <string.h>

static const char usage[] =
	"usage: petition-route [-q] [--db PATH] [--rules FILE] [--dry-run] [--format FMT] [--bom]\n"
	"                      [--encoding ENC] [CASE]\n"
	"       petition-route [-q] [--db PATH] [--rules FILE] [--dry-run] [--format FMT] [--bom]\n"
	"                      [--encoding ENC] CASE --to WHO --action ACTION --note TEXT\n"
	"       petition-route [-q] [--db PATH] [--rules FILE] [--dry-run] [--format FMT] [--bom]\n"
	"                      [--encoding ENC] transfer CASE --unit UNIT | --body NAME [--note TEXT]\n"
	"       petition-route [--db PATH] [--rules FILE] [--format FMT] [--bom] [--encoding ENC]\n"
	"                      --explain CASE\n";

enum { OPT_TO = OPT_FIRST_PROGRAM_OPTION, OPT_ACTION, OPT_NOTE, OPT_UNIT, OPT_BODY, OPT_EXPLAIN };

struct args {
	const char *to, *action, *note, *unit, *body, *explain;
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

/* The work asked for, with the output open. */
static int run(struct cmd *c, const struct args *a, int argc, char **argv, struct pt_fmt *f)
{
	struct pt_route_opts o = { c->dry_run, pt_date_today(), unmatched, c };
	struct pt_err e = PT_ERR_INIT;
	int rc;

	if (a->explain)
		rc = pt_route_explain(c->db, c->rules, a->explain, f, &e);
	else if (argc == 0)
		return route_all(c, f, &o);
	else if (!strcmp(argv[0], "transfer"))
		rc = pt_route_transfer(c->db, c->rules, argv[1], a->unit, a->body, a->note, &o, f, &e);
	else if (a->to)
		rc = pt_route_manual(c->db, c->rules, argv[0], a->to, a->action, a->note, &o, f, &e);
	else
		rc = pt_route_one(c->db, c->rules, argv[0], &o, f, &e);
	rc = cmd_end_listing(c, f, rc, &e);
	if (rc == 0 && c->dry_run && !a->explain && !c->quiet)
		cmd_warn(c, "dry run: nothing was written");
	return rc;
}

/* Which form the arguments make, or a usage error. */
static int check_args(struct cmd *c, const struct args *a, int argc, char **argv)
{
	bool transfer = argc >= 1 && !strcmp(argv[0], "transfer");
	bool manual = a->to || a->action;

	if (a->explain)
		return argc || manual || a->note || a->unit || a->body || c->dry_run
			       ? cmd_usage(c, "--explain CASE goes alone")
			       : 0;
	if (transfer)
		return argc != 2 || manual ? cmd_usage(c, "transfer CASE --unit UNIT | --body NAME [--note TEXT]") : 0;
	if (a->unit || a->body)
		return cmd_usage(c, "--unit and --body go with transfer");
	if (argc > 1)
		return cmd_usage(c, "one case at a time");
	if (manual && (!a->to || !a->action || !a->note || argc != 1))
		return cmd_usage(c, "a manual step needs CASE --to WHO --action ACTION --note TEXT");
	if (!manual && a->note)
		return cmd_usage(c, "--note goes with --to or transfer");
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		COMMON_LONG_OPTIONS,
		OUTPUT_LONG_OPTIONS,
		{ "action", required_argument, NULL, OPT_ACTION },
		{ "body", required_argument, NULL, OPT_BODY },
		{ "dry-run", no_argument, NULL, OPT_DRY_RUN },
		{ "explain", required_argument, NULL, OPT_EXPLAIN },
		{ "note", required_argument, NULL, OPT_NOTE },
		{ "to", required_argument, NULL, OPT_TO },
		{ "unit", required_argument, NULL, OPT_UNIT },
		{ NULL, 0, NULL, 0 }
	};
	struct args a = { 0 };
	struct pt_fmt *f;
	struct cmd c;
	int opt, status;

	cmd_init(&c, "petition-route", usage);
	while ((opt = getopt_long(argc, argv, "hqV", longopts, NULL)) != -1) {
		if (cmd_option(&c, opt, optarg))
			continue;
		switch (opt) {
		case OPT_ACTION: a.action = optarg; break;
		case OPT_BODY: a.body = optarg; break;
		case OPT_EXPLAIN: a.explain = optarg; break;
		case OPT_NOTE: a.note = optarg; break;
		case OPT_TO: a.to = optarg; break;
		case OPT_UNIT: a.unit = optarg; break;
		default: return cmd_usage(&c, NULL);
		}
	}
	if ((status = check_args(&c, &a, argc - optind, argv + optind)) || (status = cmd_open(&c, 0, true)))
		return cmd_finish(&c, status);
	if (!(f = a.explain ? cmd_output(&c, pt_route_explain_cols, pt_route_explain_ncols, &status)
			    : cmd_output(&c, pt_route_cols, pt_route_ncols, &status)))
		return cmd_finish(&c, status);
	return cmd_finish(&c, run(&c, &a, argc - optind, argv + optind, f));
}
