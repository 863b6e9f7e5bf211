/* petition-intake: register petitions, one from options or many from CSV; see
 * petition-intake(1). */
#include "common.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char usage[] =
	"usage: petition-intake [-q] [--db PATH] [--rules FILE] [--dry-run] --channel CHANNEL\n"
	"                       --petitioner NAME --category CATEGORY --summary TEXT\n"
	"                       [--received-on DATE] [--persons N] [--id-number ID] [--phone PHONE]\n"
	"                       [--employer TEXT] [--unit UNIT] [--received-by LEADER]\n"
	"                       [--addressed-to LEADER] [--external-id ID] [--source-ref REF]\n"
	"                       [--competent-unit UNIT] [--repeat-of CASE] [--redact]\n"
	"       petition-intake [-q] [--db PATH] [--rules FILE] [--dry-run] [--encoding ENC]\n"
	"                       [--ignore-unknown] [--rejects FILE]\n"
	"                       [--print [--format FMT] [-o FILE] [--bom] [--crlf] [--excel]]\n"
	"                       [--redact] --csv FILE\n";

/* The options of --csv, then the fields of one petition (FIELDS). */
enum {
	I_CSV, I_IGNORE_UNKNOWN, I_REJECTS, I_PRINT, I_REDACT, I_ADDRESSED_TO, I_CATEGORY, I_CHANNEL, I_EMPLOYER,
	I_EXTERNAL_ID, I_ID_NUMBER, I_PERSONS, I_PETITIONER, I_PHONE, I_RECEIVED_BY, I_RECEIVED_ON, I_SOURCE_REF,
	I_SUMMARY, I_UNIT, I_COMPETENT_UNIT, I_REPEAT_OF, NOPTS
};
#define O(i) CMD_OPT(i)
#define FIELDS (CMD_OPT(NOPTS) - CMD_OPT(I_ADDRESSED_TO))

static const struct cmd_opt opts[NOPTS] = {
	[I_CSV] = { "csv", required_argument, NULL, NULL, true },
	[I_IGNORE_UNKNOWN] = { "ignore-unknown", no_argument, NULL, NULL },
	[I_REJECTS] = { "rejects", required_argument, NULL, NULL, true },
	[I_PRINT] = { "print", no_argument, NULL, NULL },
	[I_REDACT] = { "redact", no_argument, NULL, NULL },
	[I_ADDRESSED_TO] = { "addressed-to", required_argument, NULL, NULL },
	[I_CATEGORY] = { "category", required_argument, NULL, NULL },
	[I_CHANNEL] = { "channel", required_argument, NULL, NULL },
	[I_EMPLOYER] = { "employer", required_argument, NULL, NULL },
	[I_EXTERNAL_ID] = { "external-id", required_argument, NULL, NULL },
	[I_ID_NUMBER] = { "id-number", required_argument, NULL, NULL },
	[I_PERSONS] = { "persons", required_argument, NULL, NULL },
	[I_PETITIONER] = { "petitioner", required_argument, NULL, NULL },
	[I_PHONE] = { "phone", required_argument, NULL, NULL },
	[I_RECEIVED_BY] = { "received-by", required_argument, NULL, NULL },
	[I_RECEIVED_ON] = { "received-on", required_argument, NULL, NULL },
	[I_SOURCE_REF] = { "source-ref", required_argument, NULL, NULL },
	[I_SUMMARY] = { "summary", required_argument, NULL, NULL },
	[I_UNIT] = { "unit", required_argument, NULL, NULL },
	[I_COMPETENT_UNIT] = { "competent-unit", required_argument, NULL, NULL },
	[I_REPEAT_OF] = { "repeat-of", required_argument, NULL, NULL },
};

/* At most this many bad-row messages on a terminal (a screenful); all of them in a file. */
#define SCREENFUL 20

struct run {
	struct cmd *c;
	unsigned long long csv_size; /* bytes, for the percent; 0: not known (a pipe) */
	bool cap;                /* stderr is a terminal: SCREENFUL messages at most */
	unsigned long long problems; /* messages of bad rows, shown or not */
	struct pt_fmt *out;      /* --print */
	struct pt_err out_err;   /* the first error writing it */
};

static const struct pt_col print_cols[] = {
	{ "line", true }, { "case_no", false }, { "result", false }, { "received_on", false },
	{ "unit", false }, { "channel", false }, { "petitioner", false }, { "category", false },
	{ "persons", true }, { "flags", PT_COL_LIST }, { "error", false },
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
	if (r->addressed_unknown)
		pt_buf_adds(&flags, "not_a_leader ");
	if (r->final)
		pt_buf_adds(&flags, "final ");
	if (r->skip_level)
		pt_buf_adds(&flags, "skip_level ");
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
	char *msg;

	if (run->cap && ++run->problems > SCREENFUL)
		return;
	msg = cmd_err_format(run->c, p);
	cmd_progress_clear(&run->c->progress);
	fprintf(stderr, "%s: %s\n", run->c->prog, msg);
	free(msg);
}

/* Say how many messages the screen was spared, and where to see them. */
static void problems_not_shown(struct run *run, const struct pt_intake_opts *o)
{
	if (run->problems <= SCREENFUL)
		return;
	cmd_warn(run->c, "%llu more problems not shown here; %s", run->problems - SCREENFUL,
		 o->rejects ? "the bad rows are in the rejects file, each with its problems"
			    : "--rejects FILE writes the bad rows, each with its problems, to a file to fix "
			      "(or send the messages to a file: 2>problems.txt)");
}

/* A signal that ends the program (Ctrl-C, a shutdown) during an import: the import stops
 * and takes back what it wrote (an import in slices has committed some: lib/change.h), then
 * the signal ends the program as it would have. One that comes once the import has
 * committed stops nothing: the program ends as the import did, with its summary and status,
 * so that a script is not told that registered rows failed. */
static volatile sig_atomic_t caught;

static void on_signal(int sig)
{
	caught = sig;
}

static void catch_signals(void)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++)
		sigaction(sigs[i], &sa, NULL);
}

static void end_by_signal(void)
{
	int sig = caught;

	if (!sig)
		return;
	fflush(NULL);
	signal(sig, SIG_DFL);
	raise(sig);
}

static void on_progress(void *ctx, unsigned long long rows, unsigned long long bytes)
{
	struct run *run = ctx;

	cmd_progress_show(&run->c->progress, "rows", rows, bytes, run->csv_size);
}

static void summary(struct run *run, const struct pt_intake_opts *o, const struct pt_intake_result *res)
{
	struct cmd *c = run->c;

	cmd_progress_clear(&c->progress);
	if (c->quiet)
		return;
	cmd_warn(c, "%llu added, %llu already present, %llu rejected%s%s%s", res->added, res->present,
		 res->rejected, res->rejected && o->rejects ? " (written to " : "",
		 res->rejected && o->rejects ? o->rejects : "", res->rejected && o->rejects ? ")" : "");
	if (c->dry_run)
		cmd_warn(c, "dry run: nothing was written");
}

/* The size of a regular file, for the percent done; 0 when not known. */
static unsigned long long file_size(const char *path)
{
	struct stat sb;

	return stat(path, &sb) == 0 && S_ISREG(sb.st_mode) ? (unsigned long long)sb.st_size : 0;
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

static int intake(struct cmd *c, const struct cmd_args *a)
{
	const char *values[PT_NFIELDS] = { 0 };
	struct pt_intake_opts o = { 0 };
	struct pt_intake_result res = { 0 };
	struct pt_err e = PT_ERR_INIT;
	const char *csv = a->v[I_CSV];
	bool print = a->given & O(I_PRINT), failed = false;
	struct run run;
	int status;

	if (!print && (c->format_given || c->fmt.bom))
		return cmd_usage(c, "--format and --bom go with --print");
	if (!csv && !(a->given & FIELDS))
		return cmd_usage(c, "give the petition's fields as options, or --csv FILE");
	for (int i = I_ADDRESSED_TO; i < NOPTS; i++)
		if (a->v[i])
			values[field_of_option(opts[i].name)] = a->v[i];
	o.ignore_unknown = a->given & O(I_IGNORE_UNKNOWN);
	o.redact = a->given & O(I_REDACT);
	o.rejects = a->v[I_REJECTS];
	run.c = c;
	run.csv_size = csv ? file_size(csv) : 0;
	run.cap = isatty(STDERR_FILENO);
	run.problems = 0;
	run.out = NULL;
	memset(&run.out_err, 0, sizeof run.out_err);
	o.dry_run = c->dry_run;
	/* --encoding names the input's encoding here; the printed list is UTF-8. */
	o.encoding = c->fmt.encoding;
	c->fmt.encoding = NULL;
	o.on_problem = on_problem;
	o.on_progress = on_progress;
	o.ctx = &run;
	if ((status = cmd_open(c, 0, true)))
		return status;
	if (print) {
		if (!(run.out = cmd_output(c, print_cols, sizeof print_cols / sizeof *print_cols, &status)))
			return status;
		o.on_row = on_row;
	}
	if (csv) {
		catch_signals();
		o.stop = &caught;
	}
	if (csv ? pt_intake_csv(c->db, c->rules, csv, &o, &res, &e)
		: pt_intake_one(c->db, c->rules, values, &o, &res, &e)) {
		problems_not_shown(&run, &o);
		status = cmd_fail(c, &e);
		failed = true;
	} else if (csv) {
		problems_not_shown(&run, &o);
		summary(&run, &o, &res);
		/* Rows were left out (in the rejects file): a negative answer, not an error. */
		if (res.rejected)
			status = PT_NEGATIVE;
	} else {
		puts(res.case_no);
		if (!c->quiet && res.present)
			cmd_warn(c, "already registered as %s; nothing added", res.case_no);
		if (!c->quiet && c->dry_run)
			cmd_warn(c, "dry run: nothing was written");
	}
	if (run.out && !run.out_err.kind)
		pt_fmt_finish(run.out, &run.out_err);
	else
		pt_fmt_free(run.out);
	if (run.out_err.kind && cmd_worse(status, run.out_err.kind) != status)
		status = cmd_fail(c, &run.out_err);
	pt_err_release(&run.out_err);
	pt_intake_result_release(&res);
	pt_err_release(&e);
	if (failed)
		end_by_signal();
	return status;
}

/* Two forms, told apart by --csv; each refuses the other's options. */
static const struct cmd_verb forms[] = {
	{ .key = O(I_CSV), .as = "--csv", .run = intake,
	  .takes = CMD_DRY_RUN | CMD_OUTPUT | O(I_CSV) | O(I_IGNORE_UNKNOWN) | O(I_REJECTS) | O(I_PRINT) | O(I_REDACT),
	  .refuse_msg = "--csv reads the fields from the file; give no field options with it" },
	{ .as = "one petition", .run = intake, .takes = CMD_DRY_RUN | CMD_FORMAT | CMD_BOM | FIELDS | O(I_REDACT),
	  .refuse_msg = "--rejects, --ignore-unknown, --encoding and --print go with --csv" },
};

static const struct cmd_spec spec = { opts, NOPTS, forms, 2, NULL };

int main(int argc, char **argv)
{
	struct cmd c;

	cmd_init(&c, "petition-intake", usage);
	return cmd_main(&c, &spec, argc, argv);
}
