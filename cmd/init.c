/* petition-init: create or upgrade a database; see petition-init(1). */
#include "common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
	"usage: petition-init [-q] [--db PATH] [--rules FILE] [--dry-run]\n";

static struct pt_rules *default_rules(struct pt_err *e)
{
	struct pt_errlist problems = PT_ERRLIST_INIT;
	const char *text = pt_rules_default_text();
	struct pt_rules *r;

	r = pt_rules_parse(text, strlen(text), "(default)", &problems);
	if (!r)
		pt_err_set(e, PT_EINTERNAL, "the embedded default rules are invalid: %s", problems.v[0].msg);
	pt_errlist_release(&problems);
	return r;
}

static void report(struct cmd *c, const struct pt_init_result *res)
{
	const char *would = c->dry_run ? "would be " : "";

	if (c->quiet)
		return;
	if (res->from_version == 0)
		cmd_warn(c, "%s %screated (schema version %d)", c->db_path, would, res->to_version);
	else if (res->from_version < res->to_version)
		cmd_warn(c, "%s %supgraded from schema version %d to %d", c->db_path, would,
			 res->from_version, res->to_version);
	else
		cmd_warn(c, "%s is up to date (schema version %d)", c->db_path, res->to_version);
	if (res->rules_changed)
		cmd_warn(c, "rules %sinstalled: %s (%s)", would, c->rules->source, c->rules->sha256);
	if (c->dry_run)
		cmd_warn(c, "dry run: nothing was written");
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		COMMON_LONG_OPTIONS,
		{ "dry-run", no_argument, NULL, OPT_DRY_RUN },
		{ NULL, 0, NULL, 0 }
	};
	struct pt_err e = PT_ERR_INIT;
	struct pt_init_result res;
	struct cmd c;
	int opt, status = 0;

	cmd_init(&c, "petition-init", usage);
	while ((opt = getopt_long(argc, argv, "hqV", longopts, NULL)) != -1)
		if (!cmd_option(&c, opt, optarg))
			return cmd_usage(&c, NULL);
	if (optind < argc)
		return cmd_usage(&c, "unexpected argument '%s'", argv[optind]);

	if ((status = cmd_check_env(&c)))
		return cmd_finish(&c, status);
	/* Check the rules before touching the database, so a bad file creates nothing. */
	if (c.rules_path && !(c.rules = cmd_rules_file(&c, c.rules_path, &status)))
		return cmd_finish(&c, status);
	if (!c.rules && !(c.rules = default_rules(&e)))
		goto fail;
	if (pt_init_path(c.db_path, c.prog, c.rules, c.rules_path != NULL, c.dry_run, &res, &e))
		goto fail;
	report(&c, &res);
	return cmd_finish(&c, 0);
fail:
	status = cmd_fail(&c, &e);
	pt_err_release(&e);
	return cmd_finish(&c, status);
}
