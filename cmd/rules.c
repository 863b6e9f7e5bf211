/* petition-rules: load, check, show and list the rules; see petition-rules(1). */
#include "common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
	"usage: petition-rules [-q] [--db PATH] load [--dry-run] FILE\n"
	"       petition-rules [-q] check FILE\n"
	"       petition-rules [--db PATH] [--rules FILE] show\n"
	"       petition-rules show --default\n"
	"       petition-rules [--db PATH] [--rules FILE] [--format FMT] [-o FILE] [--bom] [--crlf]\n"
	"                      [--excel] [--encoding ENC] history\n";

enum { I_DEFAULT };

static const struct cmd_opt opts[] = {
	[I_DEFAULT] = { "default", no_argument, NULL, "show" },
};

static void warn_calendar(struct cmd *c, const char *file, const struct pt_rules *r)
{
	int this_year, next_year;

	pt_rules_cal_missing(r, pt_date_today(), &this_year, &next_year);
	if (this_year)
		cmd_warn(c, "%s: warning: no calendar for %d, this year: working days are counted by weekends alone",
			 file, this_year);
	if (next_year)
		cmd_warn(c, "%s: warning: no calendar for %d yet; add it to 'calendar' once the State Council "
			 "publishes it (usually in November)", file, next_year);
}

/* What the embedded default supplies that the file does not give: a note each, not a problem. */
static void warn_notes(struct cmd *c, const char *file, const struct pt_rules *r)
{
	for (size_t i = 0; i < r->notes.n; i++)
		cmd_warn(c, "%s: note: %s", file, r->notes.v[i]);
}

static int check(struct cmd *c, const struct cmd_args *a)
{
	const char *file = a->argv[0];
	struct pt_errlist problems = PT_ERRLIST_INIT;
	struct pt_err e = PT_ERR_INIT;
	struct pt_rules *r = NULL;
	int status = cmd_check_env(c); /* the November reminder counts from today */

	if (status)
		return status;
	r = pt_rules_load_file(file, &problems, &e);
	if (!r && problems.n == 0) {
		status = cmd_fail(c, &e); /* not readable */
	} else if (!r) {
		for (size_t i = 0; i < problems.n; i++)
			cmd_fail(c, &problems.v[i]);
		if (!c->quiet)
			cmd_warn(c, "%s: %zu problem%s", file, problems.n, problems.n == 1 ? "" : "s");
		status = PT_NEGATIVE;
	} else if (!c->quiet) {
		cmd_warn(c, "%s: ok (%s)", file, r->sha256);
		warn_notes(c, file, r);
		warn_calendar(c, file, r);
	}
	pt_rules_free(r);
	pt_errlist_release(&problems);
	pt_err_release(&e);
	return status;
}

static int load(struct cmd *c, const struct cmd_args *a)
{
	const char *file = a->argv[0];
	struct pt_err e = PT_ERR_INIT;
	struct pt_rules *r = NULL;
	bool changed = false;
	int status = 0;

	if (!(r = cmd_rules_file(c, file, &status)))
		goto out;
	if ((status = cmd_open(c, 0, false)))
		goto out;
	if (pt_init_load_rules(c->db, r, c->dry_run, &changed, &e)) {
		status = cmd_fail(c, &e);
		goto out;
	}
	if (!c->quiet && !changed)
		cmd_warn(c, "%s: these rules are already in force; nothing to do", file);
	else if (!c->quiet)
		cmd_warn(c, "%s: rules %s (%s)", file, c->dry_run ? "checked; dry run, not loaded" : "loaded",
			 r->sha256);
	if (!c->quiet)
		warn_notes(c, file, r);
out:
	pt_rules_free(r);
	pt_err_release(&e);
	return status;
}

/* The rules in force, or with --default the embedded default (no database needed), which
 * an office whose database predates a change of the default copies, adapts and loads. */
static int show(struct cmd *c, const struct cmd_args *a)
{
	bool default_rules = a->given & CMD_OPT(I_DEFAULT);
	const char *text;
	int status;

	if (!default_rules && (status = cmd_open(c, 0, true)))
		return status;
	text = default_rules ? pt_rules_default_text() : c->rules->text;
	fputs(text, stdout);
	if (text[0] && text[strlen(text) - 1] != '\n')
		putchar('\n');
	/* Where the rules in force come from, as comments: the output stays the same rules. */
	if (!default_rules && c->rules->notes.n) {
		fputs("\n# ---- petition rules show: in force besides the text above, from the embedded default\n"
		      "# ---- (petition rules show --default; petition-rules(5), \"The law and the default\"):\n", stdout);
		for (size_t i = 0; i < c->rules->notes.n; i++)
			printf("#   %s\n", c->rules->notes.v[i]);
	}
	return 0;
}

static int history(struct cmd *c, const struct cmd_args *a)
{
	struct pt_err e = PT_ERR_INIT;
	struct pt_fmt *f;
	int status = cmd_open(c, 0, true);

	(void)a;
	if (status)
		return status;
	f = cmd_output(c, pt_rules_history_cols, pt_rules_history_ncols, &status);
	if (!f)
		return status;
	return cmd_end_listing(c, f, pt_rules_history(c->db, c->rules, f, &e), &e);
}

/* Each verb with the options it takes, as its SYNOPSIS shows them. */
#define ARGS "wrong number of arguments for '%s'"
static const struct cmd_verb verbs[] = {
	{ .name = "load", .run = load, .takes = CMD_DRY_RUN, .min_args = 1, .max_args = 1, .args_msg = ARGS },
	{ .name = "check", .run = check, .min_args = 1, .max_args = 1, .args_msg = ARGS },
	{ .name = "show", .run = show, .takes = CMD_OPT(I_DEFAULT), .args_msg = ARGS },
	{ .name = "history", .run = history, .takes = CMD_OUTPUT, .args_msg = ARGS },
};

static const struct cmd_spec spec = {
	opts, sizeof opts / sizeof *opts, verbs, sizeof verbs / sizeof *verbs,
	"which one: load, check, show or history?"
};

int main(int argc, char **argv)
{
	struct cmd c;

	cmd_init(&c, "petition-rules", usage);
	return cmd_main(&c, &spec, argc, argv);
}
