/* petition-case: one case's life: show, list, and the transitions of petition-case(1). */
#include "common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
	"usage: petition-case [--db PATH] [--rules FILE] [--format FMT] [--bom] [--encoding ENC]\n"
	"                     show CASE [--redact]\n"
	"       petition-case [--db PATH] [--rules FILE] [--format FMT] [--bom] [--encoding ENC]\n"
	"                     list [--state STATE] [--unit UNIT] [--category CATEGORY]\n"
	"                     [--channel CHANNEL] [--holder WHO] [--from DATE] [--to DATE]\n"
	"                     [--collective] [--repeat] [--named] [--transferred] [--redact]\n"
	"       petition-case [-q] [--db PATH] [--rules FILE] [--dry-run] [--format FMT] [--bom]\n"
	"                     [--encoding ENC] VERB CASE [--on DATE] [OPTIONS]\n";

/* The program's own options by index; a verb's entry holds the bits of those it takes. */
enum {
	I_ON, I_NOTE, I_TEXT, I_REASON, I_REFER, I_BY, I_FORCE, I_STEP, I_DAYS, I_APPROVER, I_DEADLINE,
	I_OUTCOME, I_LEVEL, I_STATE, I_UNIT, I_CATEGORY, I_CHANNEL, I_HOLDER, I_FROM, I_TO, I_COLLECTIVE,
	I_REPEAT, I_NAMED, I_TRANSFERRED, I_REDACT, NOPTS
};
#define O(i) (1u << (i))

static const struct option longopts[] = {
	COMMON_LONG_OPTIONS,
	OUTPUT_LONG_OPTIONS,
	{ "dry-run", no_argument, NULL, OPT_DRY_RUN },
	{ "approver", required_argument, NULL, OPT_FIRST_PROGRAM_OPTION + I_APPROVER },
	{ "by", required_argument, NULL, OPT_FIRST_PROGRAM_OPTION + I_BY },
	{ "category", required_argument, NULL, OPT_FIRST_PROGRAM_OPTION + I_CATEGORY },
	{ "channel", required_argument, NULL, OPT_FIRST_PROGRAM_OPTION + I_CHANNEL },
	{ "collective", no_argument, NULL, OPT_FIRST_PROGRAM_OPTION + I_COLLECTIVE },
	{ "days", required_argument, NULL, OPT_FIRST_PROGRAM_OPTION + I_DAYS },
	{ "deadline", required_argument, NULL, OPT_FIRST_PROGRAM_OPTION + I_DEADLINE },
	{ "force", no_argument, NULL, OPT_FIRST_PROGRAM_OPTION + I_FORCE },
	{ "from", required_argument, NULL, OPT_FIRST_PROGRAM_OPTION + I_FROM },
	{ "holder", required_argument, NULL, OPT_FIRST_PROGRAM_OPTION + I_HOLDER },
	{ "level", required_argument, NULL, OPT_FIRST_PROGRAM_OPTION + I_LEVEL },
	{ "named", no_argument, NULL, OPT_FIRST_PROGRAM_OPTION + I_NAMED },
	{ "note", required_argument, NULL, OPT_FIRST_PROGRAM_OPTION + I_NOTE },
	{ "on", required_argument, NULL, OPT_FIRST_PROGRAM_OPTION + I_ON },
	{ "outcome", required_argument, NULL, OPT_FIRST_PROGRAM_OPTION + I_OUTCOME },
	{ "reason", required_argument, NULL, OPT_FIRST_PROGRAM_OPTION + I_REASON },
	{ "redact", no_argument, NULL, OPT_FIRST_PROGRAM_OPTION + I_REDACT },
	{ "refer", required_argument, NULL, OPT_FIRST_PROGRAM_OPTION + I_REFER },
	{ "repeat", no_argument, NULL, OPT_FIRST_PROGRAM_OPTION + I_REPEAT },
	{ "state", required_argument, NULL, OPT_FIRST_PROGRAM_OPTION + I_STATE },
	{ "step", required_argument, NULL, OPT_FIRST_PROGRAM_OPTION + I_STEP },
	{ "text", required_argument, NULL, OPT_FIRST_PROGRAM_OPTION + I_TEXT },
	{ "to", required_argument, NULL, OPT_FIRST_PROGRAM_OPTION + I_TO },
	{ "transferred", no_argument, NULL, OPT_FIRST_PROGRAM_OPTION + I_TRANSFERRED },
	{ "unit", required_argument, NULL, OPT_FIRST_PROGRAM_OPTION + I_UNIT },
	{ NULL, 0, NULL, 0 }
};

/* Each verb with the options it takes. */
static const struct verb {
	const char *name;
	unsigned opts;
} verbs[] = {
	{ "show", O(I_REDACT) },
	{ "list", O(I_STATE) | O(I_UNIT) | O(I_CATEGORY) | O(I_CHANNEL) | O(I_HOLDER) | O(I_FROM) | O(I_TO) | O(I_COLLECTIVE) | O(I_REPEAT) |
		  O(I_NAMED) | O(I_TRANSFERRED) | O(I_REDACT) },
	{ "accept", O(I_ON) | O(I_NOTE) },
	{ "reject", O(I_ON) | O(I_REASON) | O(I_REFER) },
	{ "object", O(I_ON) | O(I_REASON) },
	{ "instruct", O(I_ON) | O(I_BY) | O(I_TEXT) | O(I_FORCE) | O(I_REASON) },
	{ "done", O(I_ON) | O(I_STEP) | O(I_NOTE) },
	{ "extend", O(I_ON) | O(I_REASON) | O(I_APPROVER) | O(I_DAYS) | O(I_DEADLINE) },
	{ "resolve", O(I_ON) | O(I_OUTCOME) | O(I_TEXT) },
	{ "satisfaction", O(I_ON) | O(I_LEVEL) | O(I_NOTE) },
	{ "request-review", O(I_ON) | O(I_TEXT) },
	{ "review", O(I_ON) | O(I_OUTCOME) | O(I_TEXT) },
	{ "request-rereview", O(I_ON) | O(I_TEXT) },
	{ "rereview", O(I_ON) | O(I_OUTCOME) | O(I_TEXT) },
	{ "close", O(I_ON) | O(I_NOTE) },
	{ "reopen", O(I_ON) | O(I_REASON) },
};

/* The values given, by option bit. */
struct args {
	unsigned given;
	const char *v[NOPTS];
};

static const char *opt_name(int bit)
{
	for (const struct option *o = longopts; o->name; o++)
		if (o->val == OPT_FIRST_PROGRAM_OPTION + bit)
			return o->name;
	return "?";
}

static int parse_day(struct cmd *c, const char *opt, const char *s, long *day)
{
	if (!pt_date_parse(s, day))
		return cmd_usage(c, "--%s '%s' is not a date", opt, s);
	return 0;
}

static int parse_number(struct cmd *c, const char *opt, const char *s, long max, long *n)
{
	char *end;

	*n = s ? strtol(s, &end, 10) : 0;
	if (s && (*end || end == s || *n < 1 || *n > max))
		return cmd_usage(c, "--%s '%s' is not a number from 1 to %ld", opt, s, max);
	return 0;
}

static int show(struct cmd *c, const char *key, const struct args *a)
{
	struct pt_err e = PT_ERR_INIT;
	struct pt_fmt *f;
	int status;

	if ((status = cmd_open(c, 0, true)))
		return status;
	if (!(f = cmd_output(c, pt_case_show_cols, pt_case_show_ncols, &status)))
		return status;
	return cmd_end_listing(c, f, pt_case_show(c->db, c->rules, key, pt_date_today(), a->given & O(I_REDACT), f, &e),
			       &e);
}

static int list(struct cmd *c, const struct args *a)
{
	struct pt_case_filter flt = {
		.state = a->v[I_STATE], .unit = a->v[I_UNIT], .category = a->v[I_CATEGORY],
		.channel = a->v[I_CHANNEL], .holder = a->v[I_HOLDER], .from = -1, .to = -1,
		.collective = a->given & O(I_COLLECTIVE), .repeat = a->given & O(I_REPEAT),
		.named_letter = a->given & O(I_NAMED), .transferred = a->given & O(I_TRANSFERRED),
		.redact = a->given & O(I_REDACT),
	};
	struct pt_err e = PT_ERR_INIT;
	unsigned long long n = 0;
	struct pt_fmt *f;
	int status;

	if ((a->v[I_FROM] && (status = parse_day(c, "from", a->v[I_FROM], &flt.from))) ||
	    (a->v[I_TO] && (status = parse_day(c, "to", a->v[I_TO], &flt.to))))
		return status;
	if ((status = cmd_open(c, 0, true)))
		return status;
	if (!(f = cmd_output(c, pt_case_list_cols, pt_case_list_ncols, &status)))
		return status;
	status = cmd_end_listing(c, f, pt_case_list(c->db, c->rules, &flt, f, &n, &e), &e);
	if (status == 0 && !c->quiet)
		cmd_warn(c, "%llu case%s", n, n == 1 ? "" : "s");
	return status;
}

static int change(struct cmd *c, const char *verb, const char *key, const struct args *a)
{
	/* --note and --text are the same field: a note on a step, the text of a decision;
	 * --level is satisfaction's outcome. Each verb takes only its own (the table above). */
	struct pt_case_change ch = {
		.verb = verb, .on = -1,
		.text = a->v[I_NOTE] ? a->v[I_NOTE] : a->v[I_TEXT],
		.reason = a->v[I_REASON], .refer = a->v[I_REFER], .by = a->v[I_BY], .approver = a->v[I_APPROVER],
		.outcome = a->v[I_OUTCOME] ? a->v[I_OUTCOME] : a->v[I_LEVEL], .deadline = a->v[I_DEADLINE],
		.force = a->given & O(I_FORCE), .dry_run = c->dry_run, .today = pt_date_today(),
	};
	struct pt_case_done done;
	struct pt_err e = PT_ERR_INIT;
	struct pt_fmt *f;
	long days = 0;
	int status;

	if ((a->v[I_ON] && (status = parse_day(c, "on", a->v[I_ON], &ch.on))) ||
	    (status = parse_number(c, "days", a->v[I_DAYS], 3650, &days)) ||
	    (status = parse_number(c, "step", a->v[I_STEP], 100000, &ch.step)))
		return status;
	ch.days = (int)days;
	if ((status = cmd_open(c, 0, true)))
		return status;
	if (!(f = cmd_output(c, pt_case_change_cols, pt_case_change_ncols, &status)))
		return status;
	status = pt_case_change(c->db, c->rules, key, &ch, &done, &e);
	if (status == 0)
		status = pt_case_done_row(&done, f, &e);
	pt_case_done_release(&done);
	status = cmd_end_listing(c, f, status, &e);
	if (status == 0 && c->dry_run && !c->quiet)
		cmd_warn(c, "dry run: nothing was written");
	return status;
}

static int dispatch(struct cmd *c, int argc, char **argv, const struct args *a)
{
	const struct verb *v = NULL;

	for (size_t i = 0; i < sizeof verbs / sizeof *verbs; i++)
		if (!strcmp(verbs[i].name, argv[0]))
			v = &verbs[i];
	if (!v)
		return cmd_usage(c, "unknown subcommand '%s'", argv[0]);
	for (int bit = 0; bit < NOPTS; bit++)
		if ((a->given & (1u << bit)) && !(v->opts & (1u << bit)))
			return cmd_usage(c, "%s does not take --%s", v->name, opt_name(bit));
	if (!strcmp(v->name, "list"))
		return argc == 1 ? list(c, a) : cmd_usage(c, "list takes no arguments");
	if (argc != 2)
		return cmd_usage(c, "%s takes one CASE (a case number or id)", v->name);
	if (!strcmp(v->name, "show"))
		return show(c, argv[1], a);
	return change(c, v->name, argv[1], a);
}

int main(int argc, char **argv)
{
	struct args a = { 0, { NULL } };
	struct cmd c;
	int opt;

	cmd_init(&c, "petition-case", usage);
	while ((opt = getopt_long(argc, argv, "hqV", longopts, NULL)) != -1) {
		if (cmd_option(&c, opt, optarg))
			continue;
		if (opt < OPT_FIRST_PROGRAM_OPTION || opt >= OPT_FIRST_PROGRAM_OPTION + NOPTS)
			return cmd_usage(&c, NULL);
		a.given |= 1u << (opt - OPT_FIRST_PROGRAM_OPTION);
		a.v[opt - OPT_FIRST_PROGRAM_OPTION] = optarg;
	}
	if (optind >= argc)
		return cmd_usage(&c, "which one: show, list, or a transition (petition-case(1))?");
	if (c.dry_run && (!strcmp(argv[optind], "show") || !strcmp(argv[optind], "list")))
		return cmd_usage(&c, "--dry-run goes with a transition");
	return cmd_finish(&c, dispatch(&c, argc - optind, argv + optind, &a));
}
