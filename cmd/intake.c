/* petition-intake: register petitions, one from options or many from CSV; see
 * petition-intake(1). */
#include "common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage[] =
	"usage: petition-intake [-q] [--db PATH] [--rules FILE] [--dry-run] --channel CHANNEL\n"
	"                       --petitioner NAME --category CATEGORY --summary TEXT\n"
	"                       [--received-on DATE] [--persons N] [--id-number ID] [--phone PHONE]\n"
	"                       [--employer TEXT] [--unit UNIT] [--received-by LEADER]\n"
	"                       [--addressed-to LEADER] [--external-id ID] [--source-ref REF]\n"
	"       petition-intake [-q] [--db PATH] [--rules FILE] [--dry-run] [--encoding ENC]\n"
	"                       [--ignore-unknown] [--rejects FILE] [--print [--format FMT] [--bom]]\n"
	"                       --csv FILE\n";

enum { OPT_CSV = OPT_FIRST_PROGRAM_OPTION, OPT_IGNORE_UNKNOWN, OPT_REJECTS, OPT_FIELD, OPT_PRINT };

struct run {
	struct cmd *c;
	bool progress;           /* stderr is a terminal */
	bool progress_shown;
	struct pt_fmt *out;      /* --print */
	struct pt_err out_err;   /* the first error writing it */
};

static const struct pt_col print_cols[] = {
	{ "line", true }, { "case_no", false }, { "result", false }, { "received_on", false },
	{ "unit", false }, { "channel", false }, { "petitioner", false }, { "category", false },
	{ "persons", true }, { "flags", false }, { "error", false },
};

static void on_row(void *ctx, const struct pt_intake_row *r)
{
	struct run *run = ctx;
	char line[24], persons[24];
	struct pt_buf flags = PT_BUF_INIT;

	if (run->out_err.kind)
		return;
	snprintf(line, sizeof line, "%ld", r->line);
	snprintf(persons, sizeof persons, "%ld", r->persons);
	if (r->collective)
		pt_buf_adds(&flags, "collective ");
	if (r->repeat)
		pt_buf_adds(&flags, "repeat ");
	if (r->named_letter)
		pt_buf_adds(&flags, "named_letter ");
	if (flags.len)
		flags.buf[--flags.len] = '\0';
	const char *v[] = { line, r->case_no, r->status, r->received_on, r->unit, r->channel,
			    r->petitioner, r->category, persons, pt_buf_str(&flags), r->errors };
	pt_fmt_row(run->out, v, &run->out_err);
	pt_buf_release(&flags);
}

static void on_problem(void *ctx, const struct pt_err *p)
{
	struct run *run = ctx;
	char *msg = cmd_err_format(run->c, p);

	if (run->progress_shown) {
		fputs("\r\033[K", stderr);
		run->progress_shown = false;
	}
	fprintf(stderr, "%s: %s\n", run->c->prog, msg);
	free(msg);
}

static void on_progress(void *ctx, unsigned long long rows, unsigned long long bytes)
{
	struct run *run = ctx;

	if (!run->progress)
		return;
	fprintf(stderr, "\r%s: %llu rows, %.1f MB read", run->c->prog, rows, (double)bytes / 1e6);
	run->progress_shown = true;
}

static void summary(struct run *run, const struct pt_intake_opts *o, const struct pt_intake_result *res)
{
	struct cmd *c = run->c;

	if (run->progress_shown)
		fputs("\r\033[K", stderr);
	if (c->quiet)
		return;
	cmd_warn(c, "%llu added, %llu already present, %llu rejected%s%s%s", res->added, res->present,
		 res->rejected, res->rejected && o->rejects ? " (written to " : "",
		 res->rejected && o->rejects ? o->rejects : "", res->rejected && o->rejects ? ")" : "");
	if (c->dry_run)
		cmd_warn(c, "dry run: nothing was written");
}

/* The field an option like --id-number sets: its name with '-' for '_'. */
static int field_of_option(const char *name)
{
	char buf[32];
	size_t i;

	for (i = 0; name[i] && i + 1 < sizeof buf; i++)
		buf[i] = name[i] == '-' ? '_' : name[i];
	buf[i] = '\0';
	return pt_field_from_header(buf);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		COMMON_LONG_OPTIONS,
		{ "addressed-to", required_argument, NULL, OPT_FIELD },
		{ "category", required_argument, NULL, OPT_FIELD },
		{ "channel", required_argument, NULL, OPT_FIELD },
		{ "csv", required_argument, NULL, OPT_CSV },
		{ "dry-run", no_argument, NULL, OPT_DRY_RUN },
		{ "employer", required_argument, NULL, OPT_FIELD },
		{ "encoding", required_argument, NULL, OPT_ENCODING },
		{ "external-id", required_argument, NULL, OPT_FIELD },
		{ "id-number", required_argument, NULL, OPT_FIELD },
		{ "ignore-unknown", no_argument, NULL, OPT_IGNORE_UNKNOWN },
		{ "persons", required_argument, NULL, OPT_FIELD },
		{ "petitioner", required_argument, NULL, OPT_FIELD },
		{ "phone", required_argument, NULL, OPT_FIELD },
		{ "print", no_argument, NULL, OPT_PRINT },
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "bom", no_argument, NULL, OPT_BOM },
		{ "received-by", required_argument, NULL, OPT_FIELD },
		{ "received-on", required_argument, NULL, OPT_FIELD },
		{ "rejects", required_argument, NULL, OPT_REJECTS },
		{ "source-ref", required_argument, NULL, OPT_FIELD },
		{ "summary", required_argument, NULL, OPT_FIELD },
		{ "unit", required_argument, NULL, OPT_FIELD },
		{ NULL, 0, NULL, 0 }
	};
	const char *values[PT_NFIELDS] = { 0 };
	struct pt_intake_opts o = { 0 };
	struct pt_intake_result res = { 0 };
	struct pt_err e = PT_ERR_INIT;
	const char *csv = NULL;
	bool any_field = false, print = false;
	struct run run;
	struct cmd c;
	int opt, idx, status;

	cmd_init(&c, "petition-intake", usage);
	while ((opt = getopt_long(argc, argv, "hqV", longopts, &idx)) != -1) {
		if (cmd_option(&c, opt, optarg))
			continue;
		switch (opt) {
		case OPT_CSV:
			csv = optarg;
			break;
		case OPT_IGNORE_UNKNOWN:
			o.ignore_unknown = true;
			break;
		case OPT_REJECTS:
			o.rejects = optarg;
			break;
		case OPT_PRINT:
			print = true;
			break;
		case OPT_FIELD:
			values[field_of_option(longopts[idx].name)] = optarg;
			any_field = true;
			break;
		default:
			return cmd_usage(&c, NULL);
		}
	}
	if (optind < argc)
		return cmd_usage(&c, "unexpected argument '%s'", argv[optind]);
	if (csv && any_field)
		return cmd_usage(&c, "--csv reads the fields from the file; give no field options with it");
	if (!csv && (o.rejects || o.ignore_unknown || c.fmt.encoding || print))
		return cmd_usage(&c, "--rejects, --ignore-unknown, --encoding and --print go with --csv");
	if (!print && (c.format_given || c.fmt.bom))
		return cmd_usage(&c, "--format and --bom go with --print");
	if (!csv && !any_field)
		return cmd_usage(&c, "give the petition's fields as options, or --csv FILE");

	run.c = &c;
	run.progress = isatty(STDERR_FILENO);
	run.progress_shown = false;
	run.out = NULL;
	memset(&run.out_err, 0, sizeof run.out_err);
	o.dry_run = c.dry_run;
	/* --encoding names the input's encoding here; the printed list is UTF-8. */
	o.encoding = c.fmt.encoding;
	c.fmt.encoding = NULL;
	o.on_problem = on_problem;
	o.on_progress = on_progress;
	o.ctx = &run;
	if ((status = cmd_open(&c, 0, true)))
		return cmd_finish(&c, status);
	if (print) {
		if (!(run.out = cmd_output(&c, print_cols, sizeof print_cols / sizeof *print_cols, &status)))
			return cmd_finish(&c, status);
		o.on_row = on_row;
	}
	if (csv ? pt_intake_csv(c.db, c.rules, csv, &o, &res, &e)
		: pt_intake_one(c.db, c.rules, values, &o, &res, &e)) {
		status = cmd_fail(&c, &e);
	} else if (csv) {
		summary(&run, &o, &res);
		/* Rows were left out (in the rejects file): a negative answer, not an error. */
		if (res.rejected)
			status = PT_NEGATIVE;
	} else {
		puts(res.case_no);
		if (!c.quiet && res.present)
			cmd_warn(&c, "already registered as %s; nothing added", res.case_no);
		if (!c.quiet && c.dry_run)
			cmd_warn(&c, "dry run: nothing was written");
	}
	if (run.out && !run.out_err.kind)
		pt_fmt_finish(run.out, &run.out_err);
	else
		pt_fmt_free(run.out);
	if (run.out_err.kind && cmd_worse(status, run.out_err.kind) != status)
		status = cmd_fail(&c, &run.out_err);
	pt_err_release(&run.out_err);
	pt_intake_result_release(&res);
	pt_err_release(&e);
	return cmd_finish(&c, status);
}
