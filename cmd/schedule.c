/* petition-schedule: the working calendar and the deadlines of a case; see
 * petition-schedule(1). The list of due cases and reception days are to come (issue 3). */
#include "common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
	"usage: petition-schedule [--db PATH] [--rules FILE] [--format FMT] [--bom] [--encoding ENC]\n"
	"                         calendar [--year YEAR | --month YYYY-MM | --from DATE --to DATE]\n"
	"                         [--count]\n"
	"       petition-schedule [--db PATH] [--rules FILE] [--format FMT] [--bom] [--encoding ENC]\n"
	"                         due [--within N] [--overdue] [--unit UNIT]\n"
	"       petition-schedule [--db PATH] [--rules FILE] [--format FMT] [--bom] [--encoding ENC]\n"
	"                         explain CASE\n"
	"       petition-schedule [-q] [--db PATH] [--rules FILE] [--dry-run] [--format FMT]\n"
	"                         plan --unit UNIT [--month YYYY-MM]\n"
	"       petition-schedule [-q] [--db PATH] [--rules FILE] [--dry-run] add --unit UNIT\n"
	"                         --day DATE [--leader LEADER] [--place PLACE] [--form FORM]\n"
	"                         [--kind reception|meeting]\n"
	"       petition-schedule [-q] [--db PATH] [--dry-run] cancel ID [--reason TEXT]\n"
	"       petition-schedule [-q] [--db PATH] [--rules FILE] [--dry-run] held ID [--leader LEADER]\n"
	"       petition-schedule [--db PATH] [--format FMT|ics] [--bom] [--encoding ENC]\n"
	"                         list [--from DATE --to DATE] [--unit UNIT]\n";

enum { OPT_YEAR = OPT_FIRST_PROGRAM_OPTION, OPT_MONTH, OPT_FROM, OPT_TO, OPT_COUNT, OPT_WITHIN,
       OPT_OVERDUE, OPT_UNIT, OPT_DAY, OPT_LEADER, OPT_PLACE, OPT_FORM, OPT_KIND, OPT_REASON };

/* The options of plan, add, cancel, held and list. */
struct reception_args {
	const char *day, *leader, *place, *form, *kind, *reason;
	bool ics;
};

struct due_args {
	const char *within, *unit;
	bool overdue;
};

struct range {
	const char *year, *month, *from, *to;
	long first, last;
};

/* The days asked for: --year, --month or --from/--to, else the current month. */
static int parse_range(struct cmd *c, struct range *rg)
{
	int y, m, n = (rg->year != NULL) + (rg->month != NULL) + (rg->from || rg->to);
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
		if (!pt_date_parse(rg->from, &rg->first))
			return cmd_usage(c, "--from '%s' is not a date", rg->from);
		if (!pt_date_parse(rg->to, &rg->last))
			return cmd_usage(c, "--to '%s' is not a date", rg->to);
	}
	return 0;
}

static int calendar(struct cmd *c, struct range *rg, bool count)
{
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

static int explain(struct cmd *c, const char *case_key)
{
	struct pt_err e = PT_ERR_INIT;
	struct pt_fmt *f;
	int status;

	if ((status = cmd_open(c, 0, true)))
		return status;
	if (!(f = cmd_output(c, pt_schedule_explain_cols, pt_schedule_explain_ncols, &status)))
		return status;
	return cmd_end_listing(c, f, pt_schedule_explain(c->db, c->rules, case_key, pt_date_today(), f, &e), &e);
}

static int day_option(struct cmd *c, const char *opt, const char *s, long *day)
{
	if (!pt_date_parse(s, day))
		return cmd_usage(c, "%s '%s' is not a date", opt, s);
	return 0;
}

static int parse_id(struct cmd *c, const char *s, long long *id)
{
	char *end;

	*id = strtoll(s, &end, 10);
	if (*end || end == s || *id <= 0)
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

static int plan(struct cmd *c, struct range *rg, const char *unit)
{
	struct pt_plan_result res;
	struct pt_err e = PT_ERR_INIT;
	struct pt_fmt *f;
	int status;

	if (!unit)
		return cmd_usage(c, "plan needs --unit");
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

static int add(struct cmd *c, const struct reception_args *a, const char *unit)
{
	struct pt_reception rc = { unit, 0, a->kind ? a->kind : "reception", a->leader, a->place, a->form };
	struct pt_err e = PT_ERR_INIT;
	long long id;
	bool late;
	int status;

	if (!unit || !a->day)
		return cmd_usage(c, "add needs --unit and --day");
	if (strcmp(rc.kind, "reception") && strcmp(rc.kind, "meeting"))
		return cmd_usage(c, "--kind is reception or meeting");
	if ((status = day_option(c, "--day", a->day, &rc.day)) || (status = cmd_open(c, 0, true)))
		return status;
	if (pt_reception_add(c->db, c->rules, &rc, pt_date_today(), c->dry_run, &id, &late, &e)) {
		status = cmd_fail(c, &e);
	} else {
		printf("%lld\n", id);
		if (!strcmp(rc.kind, "reception"))
			warn_late(c, late, rc.day);
		if (c->dry_run && !c->quiet)
			cmd_warn(c, "dry run: nothing was written");
	}
	pt_err_release(&e);
	return status;
}

static int change(struct cmd *c, const char *verb, const char *id_s, const struct reception_args *a)
{
	struct pt_err e = PT_ERR_INIT;
	long long id;
	int status, rc;

	if ((status = parse_id(c, id_s, &id)) || (status = cmd_open(c, 0, !strcmp(verb, "held"))))
		return status;
	if (!strcmp(verb, "held"))
		rc = pt_reception_held(c->db, c->rules, id, a->leader, pt_date_today(), c->dry_run, &e);
	else
		rc = pt_reception_cancel(c->db, id, a->reason, c->dry_run, &e);
	if (rc)
		status = cmd_fail(c, &e);
	else if (c->dry_run && !c->quiet)
		cmd_warn(c, "dry run: nothing was written");
	pt_err_release(&e);
	return status;
}

static int list(struct cmd *c, const struct reception_args *a, const char *unit, struct range *rg)
{
	struct pt_err e = PT_ERR_INIT;
	const struct pt_unit *u = NULL;
	struct pt_fmt *f;
	long from, to;
	int status;

	if ((rg->from != NULL) != (rg->to != NULL))
		return cmd_usage(c, "--from and --to go together");
	if (rg->from && ((status = day_option(c, "--from", rg->from, &from)) ||
			 (status = day_option(c, "--to", rg->to, &to))))
		return status;
	if (!rg->from) {
		from = pt_days_from_civil(1900, 1, 1);
		to = pt_days_from_civil(9999, 12, 31);
	}
	if ((status = cmd_open(c, 0, true)))
		return status;
	if (unit && !(u = pt_rules_unit(c->rules, unit)))
		return cmd_usage(c, "unit '%s' is not in the rules", unit);
	if (a->ics) {
		if (pt_reception_ics(c->db, u ? u->code : NULL, from, to, stdout, &e))
			status = cmd_fail(c, &e);
		pt_err_release(&e);
		return status;
	}
	if (!(f = cmd_output(c, pt_reception_cols, pt_reception_ncols, &status)))
		return status;
	return cmd_end_listing(c, f, pt_reception_list(c->db, u ? u->code : NULL, from, to, f, &e), &e);
}

/* Exit 1 when a case is overdue, so that a nightly cron job mails only then. */
static int due(struct cmd *c, const struct due_args *a)
{
	struct pt_due_opts o = { 0, a->overdue, -1, NULL };
	struct pt_due_result res;
	struct pt_err e = PT_ERR_INIT;
	const struct pt_unit *u;
	struct pt_fmt *f;
	char *end;
	int status;

	if (a->within) {
		o.within = strtol(a->within, &end, 10);
		if (*end || end == a->within || o.within < 0 || o.within > 100000)
			return cmd_usage(c, "--within '%s' is not a number of working days", a->within);
	}
	if ((status = cmd_open(c, 0, true)))
		return status;
	if (a->unit && !(u = pt_rules_unit(c->rules, a->unit))) {
		cmd_warn(c, "unit '%s' is not in the rules (petition rules show)", a->unit);
		return PT_EUSAGE;
	}
	o.unit = a->unit ? u->code : NULL;
	o.today = pt_date_today();
	if (!(f = cmd_output(c, pt_schedule_due_cols, pt_schedule_due_ncols, &status)))
		return status;
	status = cmd_end_listing(c, f, pt_schedule_due(c->db, c->rules, &o, f, &res, &e), &e);
	if (status == 0 && res.provisional && !c->quiet)
		cmd_warn(c, "some due dates fall in a year the rules have no calendar for: they are provisional");
	if (status == 0 && !c->quiet)
		cmd_warn(c, "%llu case%s listed, %llu overdue", res.listed, res.listed == 1 ? "" : "s", res.overdue);
	return status == 0 && res.overdue ? PT_NEGATIVE : status;
}

static const char *const verbs[] = { "calendar", "due", "explain", "plan", "add", "cancel", "held", "list" };

/* The subcommand with its arguments; each takes only its own options. */
static int dispatch(struct cmd *c, int argc, char **argv, struct range *rg, bool count,
		    const struct due_args *da, const struct reception_args *ra)
{
	const char *verb = argv[0];
	bool reception_opts = ra->day || ra->leader || ra->place || ra->form || ra->kind || ra->reason;
	bool range_opts = rg->year || rg->month || rg->from || rg->to;
	bool due_opts = da->within || da->overdue;

	if (ra->ics && strcmp(verb, "list"))
		return cmd_usage(c, "--format ics goes with list");
	if (!strcmp(verb, "calendar") && argc == 1 && !reception_opts && !due_opts && !da->unit)
		return calendar(c, rg, count);
	if (!strcmp(verb, "due") && argc == 1 && !reception_opts && !range_opts && !count)
		return due(c, da);
	if (!strcmp(verb, "explain") && argc == 2 && !reception_opts && !range_opts && !count && !due_opts && !da->unit)
		return explain(c, argv[1]);
	if (!strcmp(verb, "plan") && argc == 1 && !reception_opts && !count && !due_opts && !rg->year &&
	    !rg->from && !rg->to)
		return plan(c, rg, da->unit);
	if (!strcmp(verb, "add") && argc == 1 && !range_opts && !count && !due_opts && !ra->reason)
		return add(c, ra, da->unit);
	if (!strcmp(verb, "cancel") && argc == 2 && !range_opts && !count && !due_opts && !da->unit &&
	    !ra->day && !ra->place && !ra->form && !ra->kind && !ra->leader)
		return change(c, verb, argv[1], ra);
	if (!strcmp(verb, "held") && argc == 2 && !range_opts && !count && !due_opts && !da->unit &&
	    !ra->day && !ra->place && !ra->form && !ra->kind && !ra->reason)
		return change(c, verb, argv[1], ra);
	if (!strcmp(verb, "list") && argc == 1 && !reception_opts && !rg->year && !rg->month && !count && !due_opts)
		return list(c, ra, da->unit, rg);
	for (size_t i = 0; i < sizeof verbs / sizeof *verbs; i++)
		if (!strcmp(verb, verbs[i]))
			return cmd_usage(c, "wrong arguments or options for '%s'", verb);
	return cmd_usage(c, "unknown subcommand '%s'", verb);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		COMMON_LONG_OPTIONS,
		OUTPUT_LONG_OPTIONS,
		{ "count", no_argument, NULL, OPT_COUNT },
		{ "day", required_argument, NULL, OPT_DAY },
		{ "dry-run", no_argument, NULL, OPT_DRY_RUN },
		{ "form", required_argument, NULL, OPT_FORM },
		{ "kind", required_argument, NULL, OPT_KIND },
		{ "leader", required_argument, NULL, OPT_LEADER },
		{ "place", required_argument, NULL, OPT_PLACE },
		{ "reason", required_argument, NULL, OPT_REASON },
		{ "from", required_argument, NULL, OPT_FROM },
		{ "month", required_argument, NULL, OPT_MONTH },
		{ "overdue", no_argument, NULL, OPT_OVERDUE },
		{ "to", required_argument, NULL, OPT_TO },
		{ "unit", required_argument, NULL, OPT_UNIT },
		{ "within", required_argument, NULL, OPT_WITHIN },
		{ "year", required_argument, NULL, OPT_YEAR },
		{ NULL, 0, NULL, 0 }
	};
	struct range rg = { 0 };
	struct due_args da = { NULL, NULL, false };
	struct reception_args ra = { 0 };
	bool count = false;
	struct cmd c;
	int opt;

	cmd_init(&c, "petition-schedule", usage);
	while ((opt = getopt_long(argc, argv, "hqV", longopts, NULL)) != -1) {
		if (opt == OPT_FORMAT && !strcmp(optarg, "ics")) {
			ra.ics = true; /* iCalendar, for list only */
			continue;
		}
		if (cmd_option(&c, opt, optarg))
			continue;
		switch (opt) {
		case OPT_YEAR: rg.year = optarg; break;
		case OPT_MONTH: rg.month = optarg; break;
		case OPT_FROM: rg.from = optarg; break;
		case OPT_TO: rg.to = optarg; break;
		case OPT_COUNT: count = true; break;
		case OPT_WITHIN: da.within = optarg; break;
		case OPT_OVERDUE: da.overdue = true; break;
		case OPT_UNIT: da.unit = optarg; break;
		case OPT_DAY: ra.day = optarg; break;
		case OPT_LEADER: ra.leader = optarg; break;
		case OPT_PLACE: ra.place = optarg; break;
		case OPT_FORM: ra.form = optarg; break;
		case OPT_KIND: ra.kind = optarg; break;
		case OPT_REASON: ra.reason = optarg; break;
		default: return cmd_usage(&c, NULL);
		}
	}
	if (optind >= argc)
		return cmd_usage(&c, "which one: calendar, due, explain, plan, add, cancel, held or list?");
	return cmd_finish(&c, dispatch(&c, argc - optind, argv + optind, &rg, count, &da, &ra));
}
