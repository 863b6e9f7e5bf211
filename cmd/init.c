/* petition-init: create or upgrade a database; see petition-init(1). */
#include "common.h"

#include <stdio.h>

static const char usage[] =
	"usage: petition-init [-q] [--db PATH] [--rules FILE] [--dry-run]\n";


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

static int init(struct cmd *c, const struct cmd_args *a)
{
	struct pt_err e = PT_ERR_INIT;
	struct pt_init_result res;
	int status;

	(void)a;
	if ((status = cmd_check_env(c)))
		return status;
	/* Check the rules before touching the database, so a bad file creates nothing. */
	if (c->rules_path && !(c->rules = cmd_rules_file(c, c->rules_path, &status)))
		return status;
	if (!c->rules && !(c->rules = pt_rules_default(&e)))
		goto fail;
	if (pt_init_path(c->db_path, c->prog, c->rules, c->rules_path != NULL, c->dry_run, &res, &e))
		goto fail;
	report(c, &res);
	return 0;
fail:
	status = cmd_fail(c, &e);
	pt_err_release(&e);
	return status;
}

/* No options of its own, no verb: one form. */
static const struct cmd_verb forms[] = {
	{ .run = init, .takes = CMD_DRY_RUN },
};
static const struct cmd_spec spec = { NULL, 0, forms, 1, NULL };

int main(int argc, char **argv)
{
	struct cmd c;

	cmd_init(&c, "petition-init", usage);
	return cmd_main(&c, &spec, argc, argv);
}
