/* petition-schedule: the working calendar and the deadlines of a case; see
 * petition-schedule(1). The list of due cases and reception days are to come (issue 3). */
#include "common.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
	"usage: petition-schedule [--db PATH] [--rules FILE] [--format FMT] [-o FILE] [--bom]\n"
	"                         [--crlf] [--excel] [--encoding ENC] calendar\n"
	"                         [--year YEAR | --month YYYY-MM | --from DATE --to DATE] [--count]\n"
	"       petition-schedule [--db PATH] [--rules FILE] [--format FMT] [-o FILE] [--bom]\n"
	"                         [--crlf] [--excel] [--encoding ENC] due [--within N] [--overdue]\n"
	"                         [--unit UNIT]\n"
	"       petition-schedule [--db PATH] [--rules FILE] [--format FMT] [-o FILE] [--bom]\n"
	"                         [--crlf] [--excel] [--encoding ENC] explain CASE\n"
	"       petition-schedule [-q] [--db PATH] [--rules FILE] [--dry-run] [--format FMT]\n"
	"                         [-o FILE] plan --unit UNIT [--month YYYY-MM]\n"
	"       petition-schedule [-q] [--db PATH] [--rules FILE] [--dry-run] add --unit UNIT\n"
	"                         --day DATE [--leader LEADER] [--place PLACE] [--form FORM]\n"
	"                         [--kind reception|meeting]\n"
	"       petition-schedule [-q] [--db PATH] [--dry-run] cancel ID [--reason TEXT]\n"
	"       petition-schedule [-q] [--db PATH] [--rules FILE] [--dry-run] held ID\n"
	"                         [--leader LEADER]\n"
	"       petition-schedule [--db PATH] [--format FMT|ics] [-o FILE] [--bom] [--crlf] [--excel]\n"
	"                         [--encoding ENC] list [--from DATE --to DATE] [--unit UNIT]\n"
	"       petition-schedule [-q] [--db PATH] [--rules FILE] workday [--first month|quarter]\n"
	"                         [DATE]\n";

enum {
	I_YEAR, I_MONTH, I_FROM, I_TO, I_COUNT, I_WITHIN, I_OVERDUE, I_UNIT, I_DAY, I_LEADER, I_PLACE, I_FORM,
	I_KIND, I_REASON, I_FIRST, NOPTS
};
#define O(i) CMD_OPT(i)

static const struct cmd_opt opts[NOPTS] = {
	[I_YEAR] = { "year", required_argument, NULL, NULL },
	[I_MONTH] = { "month", required_argument, NULL, NULL },
	[I_FROM] = { "from", required_argument, NULL, NULL },
	[I_TO] = { "to", required_argument, NULL, NULL },
	[I_COUNT] = { "count", no_argument, NULL, NULL },
	[I_WITHIN] = { "within", required_argument, NULL, NULL },
	[I_OVERDUE] = { "overdue", no_argument, NULL, NULL },
	[I_UNIT] = { "unit", required_argument, NULL, NULL },
	[I_DAY] = { "day", required_argument, NULL, NULL },
	[I_LEADER] = { "leader", required_argument, NULL, NULL },
	[I_PLACE] = { "place", required_argument, NULL, NULL },
	[I_FORM] = { "form", required_argument, NULL, NULL },
	[I_KIND] = { "kind", required_argument, NULL, NULL },
	[I_REASON] = { "reason", required_argument, NULL, NULL },
	[I_FIRST] = { "first", required_argument, NULL, NULL },
};

/* The days asked for, as given and as read. */
struct range {
	const char *year, *month, *from, *to;
	long first, last;
};

#define RANGE(a) { (a)->v[I_YEAR], (a)->v[I_MONTH], (a)->v[I_FROM], (a)->v[I_TO], 0, 0 }

/* The days asked for: --year, --month or --from/--to, else the current month. */
static int parse_range(struct cmd *c, struct range *rg)
{
	int y, m, status, n = (rg->year != NULL) + (rg->month != NULL) + (rg->from || rg->to);
	char extra;

	if (n > 1)
		return cmd_usage(c, "give one of --year, --month, or --from with --to");
	if (rg->year) {
		if (sscanf(rg->year, "%4d%c", &y, &extra) != 1 || y < 1900 || y > 9999)
			return cmd_usage(c, "--year '%s' is not a year", rg->year);
		rg->first = pt_days_from_civil(y, 1, 1);
		rg->last = pt_days_from_civil(y, 12, 31);
	} else if (rg->month || !(rg->from || rg->to)) {
		if (rg->month && (sscanf(rg->month, "%4d-%2d%c", &y, &m, &extra) != 2 || !pt_date_valid(y, m, 1)))
			return cmd_usage(c, "--month '%s' is not a month (YYYY-MM)", rg->month);
		rg->first = rg->month ? pt_days_from_civil(y, m, 1) : pt_month_first(pt_date_today());
		rg->last = pt_month_last(rg->first);
	} else {
		if (!rg->from || !rg->to)
			return cmd_usage(c, "--from and --to go together");
		if ((status = cmd_day(c, "--from", rg->from, &rg->first)) || (status = cmd_day(c, "--to", rg->to, &rg->last)))
			return status;
	}
	return 0;
}

static int calendar(struct cmd *c, const struct cmd_args *a)
{
	struct range range = RANGE(a), *rg = &range;
	bool count = a->given & O(I_COUNT);
	struct pt_calendar_result res;
	struct pt_err e = PT_ERR_INIT;
	struct pt_fmt *f = NULL;
	int status;

	if ((status = parse_range(c, rg)) || (status = cmd_open(c, 0, true)))
		return status;
	if (!count && !(f = cmd_output(c, pt_schedule_calendar_cols, pt_schedule_calendar_ncols, &status)))
		return status;
	status = cmd_end_listing(c, f, pt_schedule_calendar(c->rules, rg->first, rg->last, f, &res, &e), &e);
	if (status == 0 && count)
		printf("%ld\n", res.working_days);
	if (status == 0 && res.provisional && !c->quiet)
		cmd_warn(c, "the rules have no calendar for %d: its days are counted by weekends alone "
			 "(provisional); add the year to 'calendar' when it is published", res.first_missing_year);
	return status;
}

static int explain(struct cmd *c, const struct cmd_args *a)
{
	const char *case_key = a->argv[0];
	struct pt_err e = PT_ERR_INIT;
	struct pt_fmt *f;
	int status;

	if ((status = cmd_open(c, 0, true)))
		return status;
	if (!(f = cmd_output(c, pt_schedule_explain_cols, pt_schedule_explain_ncols, &status)))
		return status;
	return cmd_end_listing(c, f, pt_schedule_explain(c->db, c->rules, case_key, pt_date_today(), f, &e), &e);
}

static int parse_id(struct cmd *c, const char *s, long long *id)
{
	char *end;

	errno = 0;
	*id = strtoll(s, &end, 10);
	if (*end || end == s || *id <= 0 || errno == ERANGE)
		return cmd_usage(c, "'%s' is not the id of a reception day (petition schedule list)", s);
	return 0;
}

static void warn_late(struct cmd *c, bool late, long day)
{
	char d[PT_DATE_LEN];

	pt_date_format(day, d);
	if (late && !c->quiet)
		cmd_warn(c, "warning: %s is less than %d days ahead; the public must be told of reception days in advance",
			 d, c->rules->reception.notice_days);
}

static void plan_report(struct cmd *c, const struct range *rg, const char *unit,
			const struct pt_plan_result *res, int status)
{
	if (res->provisional)
		cmd_warn(c, "warning: the rules have no calendar for %d: the plan avoids weekends only "
			 "(provisional); check it against the holidays when they are published",
			 pt_date_year(rg->first));
	if (res->township)
		cmd_warn(c, "%s is a township union: its leaders receive visitors any working day; nothing to plan", unit);
	else
		cmd_warn(c, "%d reception day%s a month required; %d already planned or held; %d %s",
			 res->required, res->required == 1 ? "" : "s", res->existing, res->added,
			 c->dry_run ? "would be added (dry run)" : "added");
	if (status == PT_NEGATIVE)
		cmd_warn(c, "not enough working days left in the month to meet the minimum");
}

static int plan(struct cmd *c, const struct cmd_args *a)
{
	struct range range = RANGE(a), *rg = &range;
	const char *unit = a->v[I_UNIT];
	struct pt_plan_result res;
	struct pt_err e = PT_ERR_INIT;
	struct pt_fmt *f;
	int status;

	if ((status = parse_range(c, rg)) || (status = cmd_open(c, 0, true)))
		return status;
	if (!(f = cmd_output(c, pt_reception_cols, pt_reception_ncols, &status)))
		return status;
	status = cmd_end_listing(c, f, pt_reception_plan(c->db, c->rules, unit, rg->first, pt_date_today(),
							  c->dry_run, f, &res, &e), &e);
	if (status)
		return status;
	status = pt_plan_met(&res) ? 0 : PT_NEGATIVE;
	if (!c->quiet)
		plan_report(c, rg, unit, &res, status);
	return status;
}

static int add(struct cmd *c, const struct cmd_args *a)
{
	struct pt_reception rc = { a->v[I_UNIT], 0, a->v[I_KIND] ? a->v[I_KIND] : "reception", a->v[I_LEADER],
				   a->v[I_PLACE], a->v[I_FORM] };
	struct pt_err e = PT_ERR_INIT;
	long long id;
	bool late;
	int status;

	if (pt_vocab_index(PT_VOCAB_RECEPTION_KIND, rc.kind) < 0) {
		struct pt_buf near = PT_BUF_INIT;

		pt_vocab_suggest(PT_VOCAB_RECEPTION_KIND, rc.kind, &near);
		status = cmd_usage(c, "--kind is reception or meeting%s", pt_buf_str(&near));
		pt_buf_release(&near);
		return status;
	}
	if ((status = cmd_day(c, "--day", a->v[I_DAY], &rc.day)) || (status = cmd_open(c, 0, true)))
		return status;
	if (pt_reception_add(c->db, c->rules, &rc, pt_date_today(), c->dry_run, &id, &late, &e)) {
		status = cmd_fail(c, &e);
	} else {
		printf("%lld\n", id);
		warn_late(c, late, rc.day);
		if (c->dry_run && !c->quiet)
			cmd_warn(c, "dry run: nothing was written");
	}
	pt_err_release(&e);
	return status;
}

/* cancel ID and held ID. */
static int change(struct cmd *c, const struct cmd_args *a)
{
	const char *verb = a->verb->name, *id_s = a->argv[0];
	struct pt_err e = PT_ERR_INIT;
	long long id;
	int status, rc;

	if ((status = parse_id(c, id_s, &id)) || (status = cmd_open(c, 0, !strcmp(verb, "held"))))
		return status;
	if (!strcmp(verb, "held"))
		rc = pt_reception_held(c->db, c->rules, id, a->v[I_LEADER], pt_date_today(), c->dry_run, &e);
	else
		rc = pt_reception_cancel(c->db, id, a->v[I_REASON], c->dry_run, &e);
	if (rc)
		status = cmd_fail(c, &e);
	else if (c->dry_run && !c->quiet)
		cmd_warn(c, "dry run: nothing was written");
	pt_err_release(&e);
	return status;
}

static int list(struct cmd *c, const struct cmd_args *a)
{
	struct range range = RANGE(a), *rg = &range;
	const char *unit = a->v[I_UNIT];
	struct pt_err e = PT_ERR_INIT;
	const struct pt_unit *u = NULL;
	struct pt_fmt *f;
	long from, to;
	int status;

	if ((rg->from != NULL) != (rg->to != NULL))
		return cmd_usage(c, "--from and --to go together");
	if (rg->from && ((status = cmd_day(c, "--from", rg->from, &from)) ||
			 (status = cmd_day(c, "--to", rg->to, &to))))
		return status;
	if (rg->from && to < from)
		return cmd_usage(c, "the range ends before it begins");
	if (!rg->from) {
		from = pt_days_from_civil(1900, 1, 1);
		to = pt_days_from_civil(9999, 12, 31);
	}
	if ((status = cmd_open(c, 0, true)))
		return status;
	if (unit && !(u = pt_rules_unit(c->rules, unit)))
		return cmd_usage(c, "unit '%s' is not in the rules", unit);
	if (c->ics) {
		if (pt_reception_ics(c->db, c->rules, u ? u->code : NULL, from, to, stdout, &e))
			status = cmd_fail(c, &e);
		pt_err_release(&e);
		return status;
	}
	if (!(f = cmd_output(c, pt_reception_cols, pt_reception_ncols, &status)))
		return status;
	return cmd_end_listing(c, f, pt_reception_list(c->db, u ? u->code : NULL, from, to, f, &e), &e);
}

/* Exit 1 when a case is overdue, so that a nightly cron job mails only then; with
 * --overdue and none, not a byte on either output, so that the job is silent. */
static int due(struct cmd *c, const struct cmd_args *a)
{
	const char *within = a->v[I_WITHIN], *unit = a->v[I_UNIT];
	struct pt_due_opts o = { .overdue_only = a->given & O(I_OVERDUE), .within = -1 };
	struct pt_due_result res;
	struct pt_err e = PT_ERR_INIT;
	const struct pt_unit *u;
	struct pt_fmt *f;
	char *end;
	int status;

	if (within) {
		o.within = strtol(within, &end, 10);
		if (*end || end == within || o.within < 0 || o.within > 100000)
			return cmd_usage(c, "--within '%s' is not a number of working days", within);
	}
	if ((status = cmd_open(c, 0, true)))
		return status;
	if (unit && !(u = pt_rules_unit(c->rules, unit))) {
		cmd_warn(c, "unit '%s' is not in the rules (petition rules show)", unit);
		return PT_EUSAGE;
	}
	o.unit = unit ? u->code : NULL;
	o.today = pt_date_today();
	if (!(f = cmd_output(c, pt_schedule_due_cols, pt_schedule_due_ncols, &status)))
		return status;
	if (o.overdue_only)
		pt_fmt_nothing_when_empty(f);
	status = cmd_end_listing(c, f, pt_schedule_due(c->db, c->rules, &o, f, &res, &e), &e);
	if (status == 0 && res.provisional && !c->quiet)
		cmd_warn(c, "some due dates fall in a year the rules have no calendar for: they are provisional");
	if (status == 0 && !c->quiet && (res.listed || !o.overdue_only))
		cmd_warn(c, "%llu case%s listed, %llu overdue", res.listed, res.listed == 1 ? "" : "s", res.overdue);
	return status == 0 && res.overdue ? PT_NEGATIVE : status;
}

/* Exit 0 when the day (today unless given) is a working day, with --first the first of its
 * month or quarter; 1 when not. Silent, for cron: `petition schedule workday --first quarter
 * && petition report quarter --period last ...`. */
static int workday(struct cmd *c, const struct cmd_args *a)
{
	const char *first = a->v[I_FIRST];
	long day = pt_date_today();
	bool provisional = false, yes;
	int status;

	if (first && strcmp(first, "month") && strcmp(first, "quarter"))
		return cmd_usage(c, "--first '%s': give month or quarter", first);
	if (a->argc && (status = cmd_day(c, "DATE", a->argv[0], &day)))
		return status;
	if ((status = cmd_open(c, 0, true)))
		return status;
	yes = pt_schedule_workday(c->rules, day, first ? first[0] : '\0', &provisional);
	if (provisional && !c->quiet)
		cmd_warn(c, "the rules have no calendar for %d: its days are counted by weekends alone "
			 "(provisional); add the year to 'calendar' when it is published", pt_date_year(day));
	return yes ? 0 : PT_NEGATIVE;
}

/* Each verb with the options it takes, as its SYNOPSIS shows them: the output options on
 * what prints records, --dry-run on what writes. */
#define ARGS "wrong arguments or options for '%s'"
static const struct cmd_verb verbs[] = {
	{ .name = "calendar", .run = calendar, .args_msg = ARGS,
	  .takes = CMD_OUTPUT | O(I_YEAR) | O(I_MONTH) | O(I_FROM) | O(I_TO) | O(I_COUNT) },
	{ .name = "due", .run = due, .args_msg = ARGS, .takes = CMD_OUTPUT | O(I_WITHIN) | O(I_OVERDUE) | O(I_UNIT) },
	{ .name = "explain", .run = explain, .min_args = 1, .max_args = 1, .args_msg = ARGS, .takes = CMD_OUTPUT },
	{ .name = "plan", .run = plan, .args_msg = ARGS, .takes = CMD_DRY_RUN | CMD_OUTPUT | O(I_UNIT) | O(I_MONTH),
	  .needs = O(I_UNIT) },
	{ .name = "add", .run = add, .args_msg = ARGS, .needs = O(I_UNIT) | O(I_DAY),
	  .takes = CMD_DRY_RUN | O(I_UNIT) | O(I_DAY) | O(I_LEADER) | O(I_PLACE) | O(I_FORM) | O(I_KIND) },
	{ .name = "cancel", .run = change, .min_args = 1, .max_args = 1, .args_msg = ARGS,
	  .takes = CMD_DRY_RUN | O(I_REASON) },
	{ .name = "held", .run = change, .min_args = 1, .max_args = 1, .args_msg = ARGS,
	  .takes = CMD_DRY_RUN | O(I_LEADER) },
	{ .name = "workday", .run = workday, .max_args = 1, .args_msg = ARGS, .takes = O(I_FIRST) },
	{ .name = "list", .run = list, .args_msg = ARGS, .takes = CMD_OUTPUT | CMD_ICS | O(I_FROM) | O(I_TO) | O(I_UNIT) },
};

static const struct cmd_spec spec = {
	opts, NOPTS, verbs, sizeof verbs / sizeof *verbs,
	"which one: calendar, due, explain, plan, add, cancel, held, list or workday?"
};

int main(int argc, char **argv)
{
	struct cmd c;

	cmd_init(&c, "petition-schedule", usage);
	return cmd_main(&c, &spec, argc, argv);
}
