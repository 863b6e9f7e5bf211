/* petition-case: one case's life: show, list, and the transitions of petition-case(1). */
#include "common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

static const char usage[] =
	"usage: petition-case [--db PATH] [--rules FILE] [--format FMT] [-o FILE] [--bom] [--crlf]\n"
	"                     [--excel] [--encoding ENC] show CASE [--redact]\n"
	"       petition-case [--db PATH] [--rules FILE] [--format FMT] [-o FILE] [--bom] [--crlf]\n"
	"                     [--excel] [--encoding ENC] list [--state STATE] [--unit UNIT]\n"
	"                     [--category CATEGORY] [--channel CHANNEL] [--holder WHO] [--from DATE]\n"
	"                     [--to DATE] [--collective] [--repeat] [--named] [--transferred]\n"
	"                     [--redact] [--final] [--skip-level] [--columns NAMES | --all-columns]\n"
	"                     [--lang LANG]\n"
	"       petition-case [-q] [--db PATH] [--rules FILE] [--dry-run] [--format FMT] [-o FILE]\n"
	"                     [--bom] [--crlf] [--excel] [--encoding ENC] VERB CASE [--on DATE]\n"
	"                     [OPTIONS]\n";

/* The program's own options by index. */
enum {
	I_ON, I_NOTE, I_TEXT, I_REASON, I_REFER, I_BY, I_FORCE, I_STEP, I_DAYS, I_APPROVER, I_DEADLINE,
	I_OUTCOME, I_LEVEL, I_STATE, I_UNIT, I_CATEGORY, I_CHANNEL, I_HOLDER, I_FROM, I_TO, I_COLLECTIVE,
	I_REPEAT, I_NAMED, I_TRANSFERRED, I_REDACT, I_NOTIFIED_ON, I_TOLD_ON, I_UNTIL, I_HOW, I_BODY, I_PLACE,
	I_DECIDED_BY, I_OF, I_NOT, I_FINAL, I_SKIP_LEVEL, I_COLUMNS, I_ALL_COLUMNS, I_LANG, NOPTS
};
#define O(i) CMD_OPT(i)

/* --note and --text give the same field: a note on a step, the text of a decision; --level
 * is satisfaction's outcome. Each verb takes only its own (the table below). */
static const struct cmd_opt opts[NOPTS] = {
	[I_ON] = { "on", required_argument, NULL, NULL },
	[I_NOTE] = { "note", required_argument, "text", NULL },
	[I_TEXT] = { "text", required_argument, NULL, NULL },
	[I_REASON] = { "reason", required_argument, NULL, NULL },
	[I_REFER] = { "refer", required_argument, NULL, NULL },
	[I_BY] = { "by", required_argument, NULL, NULL },
	[I_FORCE] = { "force", no_argument, NULL, NULL },
	[I_STEP] = { "step", required_argument, NULL, NULL },
	[I_DAYS] = { "days", required_argument, NULL, NULL },
	[I_APPROVER] = { "approver", required_argument, NULL, NULL },
	[I_DEADLINE] = { "deadline", required_argument, NULL, NULL },
	[I_OUTCOME] = { "outcome", required_argument, NULL, NULL },
	[I_LEVEL] = { "level", required_argument, "outcome", NULL },
	[I_STATE] = { "state", required_argument, NULL, NULL },
	[I_UNIT] = { "unit", required_argument, NULL, NULL },
	[I_CATEGORY] = { "category", required_argument, NULL, NULL },
	[I_CHANNEL] = { "channel", required_argument, NULL, NULL },
	[I_HOLDER] = { "holder", required_argument, NULL, NULL },
	[I_FROM] = { "from", required_argument, NULL, NULL },
	[I_TO] = { "to", required_argument, NULL, NULL },
	[I_COLLECTIVE] = { "collective", no_argument, NULL, NULL },
	[I_REPEAT] = { "repeat", no_argument, NULL, NULL },
	[I_NAMED] = { "named", no_argument, NULL, NULL },
	[I_TRANSFERRED] = { "transferred", no_argument, NULL, NULL },
	[I_REDACT] = { "redact", no_argument, NULL, NULL },
	[I_NOTIFIED_ON] = { "notified-on", required_argument, NULL, NULL },
	[I_TOLD_ON] = { "told-on", required_argument, NULL, NULL },
	[I_UNTIL] = { "until", required_argument, NULL, NULL },
	[I_HOW] = { "how", required_argument, NULL, NULL },
	[I_BODY] = { "body", required_argument, NULL, NULL },
	[I_PLACE] = { "place", required_argument, NULL, NULL },
	[I_DECIDED_BY] = { "decided-by", required_argument, NULL, NULL },
	[I_OF] = { "of", required_argument, NULL, NULL },
	[I_NOT] = { "not", no_argument, "not_repeat", NULL },
	[I_FINAL] = { "final", no_argument, NULL, NULL },
	[I_SKIP_LEVEL] = { "skip-level", no_argument, NULL, NULL },
	[I_COLUMNS] = { "columns", required_argument, NULL, NULL },
	[I_ALL_COLUMNS] = { "all-columns", no_argument, NULL, NULL },
	[I_LANG] = { "lang", required_argument, NULL, NULL },
};

static int parse_number(struct cmd *c, const char *opt, const char *s, long max, long *n)
{
	char *end;

	*n = s ? strtol(s, &end, 10) : 0;
	if (s && (*end || end == s || *n < 1 || *n > max))
		return cmd_usage(c, "--%s '%s' is not a number from 1 to %ld", opt, s, max);
	return 0;
}

/* The columns of the terminal on stdout; $COLUMNS, else 80, when it is none. */
static size_t terminal_width(void)
{
	struct winsize ws;
	const char *env = getenv("COLUMNS");

	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	if (env && atoi(env) > 0)
		return (size_t)atoi(env);
	return 80;
}

static int show(struct cmd *c, const struct cmd_args *a)
{
	const char *key = a->argv[0];
	struct pt_err e = PT_ERR_INIT;
	struct pt_fmt *f;
	int status;

	if ((status = cmd_open(c, 0, true)))
		return status;
	if (c->fmt.format == PT_FMT_TABLE && !c->fmt.encoding) /* for people: fits the terminal */
		return cmd_end_listing(c, NULL, pt_case_show_text(c->db, c->rules, key, pt_date_today(),
								  a->given & O(I_REDACT), terminal_width(), stdout, &e), &e);
	if (!(f = cmd_output(c, pt_case_show_cols, pt_case_show_ncols, &status)))
		return status;
	return cmd_end_listing(c, f, pt_case_show(c->db, c->rules, key, pt_date_today(), a->given & O(I_REDACT), f, &e),
			       &e);
}

/* --columns, --all-columns and --lang; JSON, for scripts, keeps the codes. */
static int list_columns(struct cmd *c, const struct cmd_args *a, struct pt_case_columns *cols)
{
	const char *lang = a->v[I_LANG];
	struct pt_err e = PT_ERR_INIT;
	int status = 0;

	if (lang && strcmp(lang, "zh") && strcmp(lang, "en"))
		return cmd_usage(c, "--lang '%s' is not zh or en", lang);
	if (a->v[I_COLUMNS] && (a->given & O(I_ALL_COLUMNS)))
		return cmd_usage(c, "--columns and --all-columns do not go together");
	if (pt_case_columns_choose(cols, a->v[I_COLUMNS], a->given & O(I_ALL_COLUMNS),
				   lang && !strcmp(lang, "zh") && c->fmt.format != PT_FMT_JSON, &e))
		status = cmd_fail(c, &e);
	pt_err_release(&e);
	return status;
}

static int list(struct cmd *c, const struct cmd_args *a)
{
	struct pt_case_columns cols;
	struct pt_case_filter flt = {
		.state = a->v[I_STATE], .unit = a->v[I_UNIT], .category = a->v[I_CATEGORY],
		.channel = a->v[I_CHANNEL], .holder = a->v[I_HOLDER], .from = -1, .to = -1,
		.collective = a->given & O(I_COLLECTIVE), .repeat = a->given & O(I_REPEAT),
		.named_letter = a->given & O(I_NAMED), .transferred = a->given & O(I_TRANSFERRED),
		.redact = a->given & O(I_REDACT), .final = a->given & O(I_FINAL),
		.skip_level = a->given & O(I_SKIP_LEVEL),
	};
	struct pt_err e = PT_ERR_INIT;
	unsigned long long n = 0;
	struct pt_fmt *f;
	int status;

	if ((a->v[I_FROM] && (status = cmd_day(c, "--from", a->v[I_FROM], &flt.from))) ||
	    (a->v[I_TO] && (status = cmd_day(c, "--to", a->v[I_TO], &flt.to))))
		return status;
	if ((status = list_columns(c, a, &cols)) || (status = cmd_open(c, 0, true)))
		return status;
	if (!(f = cmd_output(c, cols.head, cols.n, &status)))
		return status;
	status = cmd_end_listing(c, f, pt_case_list(c->db, c->rules, &flt, &cols, f, &n, &e), &e);
	if (status == 0 && !c->quiet)
		cmd_warn(c, "%llu case%s", n, n == 1 ? "" : "s");
	return status;
}

static int change(struct cmd *c, const struct cmd_args *a)
{
	const char *key = a->argv[0];
	struct pt_case_change ch = {
		.verb = a->verb->name, .on = -1,
		.text = a->v[I_NOTE] ? a->v[I_NOTE] : a->v[I_TEXT],
		.reason = a->v[I_REASON], .refer = a->v[I_REFER], .by = a->v[I_BY], .approver = a->v[I_APPROVER],
		.outcome = a->v[I_OUTCOME] ? a->v[I_OUTCOME] : a->v[I_LEVEL], .deadline = a->v[I_DEADLINE],
		.notified_on = -1, .told_on = -1, .until = -1, .how = a->v[I_HOW], .unit = a->v[I_UNIT],
		.body = a->v[I_BODY], .force = a->given & O(I_FORCE), .dry_run = c->dry_run, .today = pt_date_today(),
		.place = a->v[I_PLACE],
		.decided_by = a->v[I_DECIDED_BY], .of = a->v[I_OF], .not_repeat = a->given & O(I_NOT),
	};
	struct pt_case_done done;
	struct pt_err e = PT_ERR_INIT;
	struct pt_fmt *f;
	long days = 0;
	int status;

	if ((a->v[I_ON] && (status = cmd_day(c, "--on", a->v[I_ON], &ch.on))) ||
	    (a->v[I_NOTIFIED_ON] && (status = cmd_day(c, "--notified-on", a->v[I_NOTIFIED_ON], &ch.notified_on))) ||
	    (a->v[I_TOLD_ON] && (status = cmd_day(c, "--told-on", a->v[I_TOLD_ON], &ch.told_on))) ||
	    (a->v[I_UNTIL] && (status = cmd_day(c, "--until", a->v[I_UNTIL], &ch.until))) ||
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

/* Each verb with the options it takes and those it needs, and what they hold. */
static const char *const decision[NOPTS] = {
	[I_OUTCOME] = " (维持, 变更 or 撤销)", [I_TEXT] = " (the written decision)"
};
#define SHOW CMD_OUTPUT
#define CHANGE (CMD_OUTPUT | CMD_DRY_RUN | O(I_ON))
#define ONE_CASE .min_args = 1, .max_args = 1, .args_msg = "%s takes one CASE (a case number or id)"
static const struct cmd_verb verbs[] = {
	{ .name = "show", .run = show, .takes = SHOW | O(I_REDACT), ONE_CASE },
	{ .name = "list", .run = list, .args_msg = "list takes no arguments",
	  .takes = SHOW | O(I_STATE) | O(I_UNIT) | O(I_CATEGORY) | O(I_CHANNEL) | O(I_HOLDER) | O(I_FROM) | O(I_TO) |
		   O(I_COLLECTIVE) | O(I_REPEAT) | O(I_NAMED) | O(I_TRANSFERRED) | O(I_REDACT) | O(I_FINAL) |
		   O(I_SKIP_LEVEL) | O(I_COLUMNS) | O(I_ALL_COLUMNS) | O(I_LANG) },
	{ .name = "accept", .run = change, .takes = CHANGE | O(I_NOTE) | O(I_NOTIFIED_ON), ONE_CASE },
	{ .name = "reject", .run = change, .takes = CHANGE | O(I_REASON) | O(I_REFER) | O(I_NOTIFIED_ON),
	  .needs = O(I_REASON) | O(I_REFER),
	  .needs_what = (const char *const[NOPTS]){ [I_REFER] = " (where the worker should go instead)" }, ONE_CASE },
	{ .name = "object", .run = change, .takes = CHANGE | O(I_REASON), .needs = O(I_REASON), ONE_CASE },
	{ .name = "answer-objection", .run = change, .takes = CHANGE | O(I_OUTCOME) | O(I_TEXT), .needs = O(I_OUTCOME),
	  .needs_what = (const char *const[NOPTS]){ [I_OUTCOME] = " (agreed or refused: 同意退回 or 不同意退回)" },
	  ONE_CASE },
	{ .name = "instruct", .run = change, .takes = CHANGE | O(I_BY) | O(I_TEXT) | O(I_FORCE) | O(I_REASON),
	  .needs = O(I_BY) | O(I_TEXT),
	  .needs_what = (const char *const[NOPTS]){ [I_BY] = " LEADER", [I_TEXT] = " (the instruction)" }, ONE_CASE },
	{ .name = "done", .run = change, .takes = CHANGE | O(I_STEP) | O(I_NOTE), ONE_CASE },
	{ .name = "extend", .run = change,
	  .takes = CHANGE | O(I_REASON) | O(I_APPROVER) | O(I_DAYS) | O(I_DEADLINE) | O(I_TOLD_ON),
	  .needs = O(I_REASON) | O(I_APPROVER), .needs_what = (const char *const[NOPTS]){ [I_APPROVER] = " LEADER" },
	  ONE_CASE },
	{ .name = "resolve", .run = change, .takes = CHANGE | O(I_OUTCOME) | O(I_TEXT), .needs = O(I_OUTCOME) | O(I_TEXT),
	  .needs_what = (const char *const[NOPTS]){ [I_OUTCOME] = " (支持, 部分支持, 解释 or 不支持)",
						    [I_TEXT] = " (the written reply)" }, ONE_CASE },
	{ .name = "deliver", .run = change, .takes = CHANGE | O(I_HOW) | O(I_NOTE), .needs = O(I_HOW),
	  .needs_what = (const char *const[NOPTS]){ [I_HOW] = " (in-person, post, sms, online or notice)" }, ONE_CASE },
	{ .name = "satisfaction", .run = change, .takes = CHANGE | O(I_LEVEL) | O(I_NOTE), .needs = O(I_LEVEL),
	  .needs_what = (const char *const[NOPTS]){ [I_LEVEL] = " (满意, 基本满意 or 不满意)" }, ONE_CASE },
	{ .name = "request-review", .run = change, .takes = CHANGE | O(I_TEXT) | O(I_UNIT) | O(I_BODY), ONE_CASE },
	{ .name = "review", .run = change, .takes = CHANGE | O(I_OUTCOME) | O(I_TEXT), .needs = O(I_OUTCOME) | O(I_TEXT),
	  .needs_what = decision, ONE_CASE },
	{ .name = "request-rereview", .run = change, .takes = CHANGE | O(I_TEXT) | O(I_UNIT) | O(I_BODY), ONE_CASE },
	{ .name = "hearing", .run = change, .takes = CHANGE | O(I_UNTIL) | O(I_NOTE), .needs = O(I_UNTIL),
	  .needs_what = (const char *const[NOPTS]){ [I_UNTIL] = " DATE (the hearing's last day)" }, ONE_CASE },
	{ .name = "rereview", .run = change, .takes = CHANGE | O(I_OUTCOME) | O(I_TEXT), .needs = O(I_OUTCOME) | O(I_TEXT),
	  .needs_what = decision, ONE_CASE },
	{ .name = "close", .run = change, .takes = CHANGE | O(I_NOTE), ONE_CASE },
	{ .name = "reopen", .run = change, .takes = CHANGE | O(I_REASON) | O(I_DECIDED_BY), .needs = O(I_REASON), ONE_CASE },
	{ .name = "important", .run = change, .takes = CHANGE | O(I_BY) | O(I_NOTE), .needs = O(I_BY),
	  .needs_what = (const char *const[NOPTS]){ [I_BY] = " LEADER (in charge of the category, or the principal)" },
	  ONE_CASE },
	{ .name = "unimportant", .run = change, .takes = CHANGE | O(I_BY) | O(I_REASON), .needs = O(I_BY) | O(I_REASON),
	  .needs_what = (const char *const[NOPTS]){ [I_BY] = " LEADER" }, ONE_CASE },
	{ .name = "down-visit", .run = change, .takes = CHANGE | O(I_PLACE) | O(I_BY) | O(I_NOTE),
	  .needs = O(I_ON) | O(I_PLACE) | O(I_BY) | O(I_NOTE),
	  .needs_what = (const char *const[NOPTS]){ [I_ON] = " DATE (the day of the visit)", [I_BY] = " LEADER[,LEADER...]",
						    [I_NOTE] = " (what was done)" }, ONE_CASE },
	{ .name = "report-back", .run = change, .takes = CHANGE | O(I_OUTCOME) | O(I_TEXT), .needs = O(I_OUTCOME) | O(I_TEXT),
	  .needs_what = (const char *const[NOPTS]){ [I_OUTCOME] = " (支持, 部分支持, 解释 or 不支持)",
						    [I_TEXT] = " (the lower unit's result)" }, ONE_CASE },
	{ .name = "repeat", .run = change, .takes = CHANGE | O(I_OF) | O(I_NOT) | O(I_REASON), .needs = O(I_REASON),
	  ONE_CASE },
	{ .name = "typical", .run = change, .takes = CHANGE | O(I_NOTE) | O(I_BY), .needs = O(I_NOTE),
	  .needs_what = (const char *const[NOPTS]){ [I_NOTE] = " (why it is typical)" }, ONE_CASE },
	{ .name = "untypical", .run = change, .takes = CHANGE | O(I_REASON) | O(I_BY), .needs = O(I_REASON), ONE_CASE },
};

static const struct cmd_spec spec = {
	opts, NOPTS, verbs, sizeof verbs / sizeof *verbs,
	"which one: show, list, or a transition (petition-case(1))?"
};

int main(int argc, char **argv)
{
	struct cmd c;

	cmd_init(&c, "petition-case", usage);
	return cmd_main(&c, &spec, argc, argv);
}
