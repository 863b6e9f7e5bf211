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
	"                         explain CASE\n";

enum { OPT_YEAR = OPT_FIRST_PROGRAM_OPTION, OPT_MONTH, OPT_FROM, OPT_TO, OPT_COUNT, OPT_WITHIN,
       OPT_OVERDUE, OPT_UNIT };

struct due_args {
	const char *within, *unit;
	bool overdue;
};

struct range {
	const char *year, *month, *from, *to;
	long first, last;
};

static int days_in(int y, int m)
{
	return (int)(pt_days_from_civil(m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1, 1) - pt_days_from_civil(y, m, 1));
}

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
		if (rg->month) {
			if (sscanf(rg->month, "%4d-%2d%c", &y, &m, &extra) != 2 || !pt_date_valid(y, m, 1))
				return cmd_usage(c, "--month '%s' is not a month (YYYY-MM)", rg->month);
		} else {
			int d;

			pt_civil_from_days(pt_date_today(), &y, &m, &d);
		}
		rg->first = pt_days_from_civil(y, m, 1);
		rg->last = rg->first + days_in(y, m) - 1;
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

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		COMMON_LONG_OPTIONS,
		OUTPUT_LONG_OPTIONS,
		{ "count", no_argument, NULL, OPT_COUNT },
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
	bool count = false;
	struct cmd c;
	int opt;

	cmd_init(&c, "petition-schedule", usage);
	while ((opt = getopt_long(argc, argv, "hqV", longopts, NULL)) != -1) {
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
		default: return cmd_usage(&c, NULL);
		}
	}
	if (optind >= argc)
		return cmd_usage(&c, "which one: calendar, due or explain?");
	if (strcmp(argv[optind], "due") && (da.within || da.overdue || da.unit))
		return cmd_usage(&c, "--within, --overdue and --unit go with due");
	if (!strcmp(argv[optind], "due")) {
		if (optind + 1 < argc)
			return cmd_usage(&c, "unexpected argument '%s'", argv[optind + 1]);
		if (rg.year || rg.month || rg.from || rg.to || count)
			return cmd_usage(&c, "--year, --month, --from, --to and --count go with calendar");
		return cmd_finish(&c, due(&c, &da));
	}
	if (!strcmp(argv[optind], "explain")) {
		if (optind + 2 != argc)
			return cmd_usage(&c, "explain takes one case number");
		if (rg.year || rg.month || rg.from || rg.to || count)
			return cmd_usage(&c, "--year, --month, --from, --to and --count go with calendar");
		return cmd_finish(&c, explain(&c, argv[optind + 1]));
	}
	if (strcmp(argv[optind], "calendar"))
		return cmd_usage(&c, "unknown subcommand '%s'", argv[optind]);
	if (optind + 1 < argc)
		return cmd_usage(&c, "unexpected argument '%s'", argv[optind + 1]);
	return cmd_finish(&c, calendar(&c, &rg, count));
}
