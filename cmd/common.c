#include "common.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void cmd_init(struct cmd *c, const char *prog, const char *usage)
{
	const char *env;

	memset(c, 0, sizeof *c);
	c->prog = prog;
	c->usage = usage;
	env = getenv("PETITION_DB");
	c->db_path = env && *env ? env : "petition.db";
	env = getenv("PETITION_RULES");
	c->rules_path = env && *env ? env : NULL;
	c->fmt.format = isatty(STDOUT_FILENO) ? PT_FMT_TABLE : PT_FMT_CSV;
}

int cmd_check_env(struct cmd *c)
{
	const char *env = getenv("PETITION_TODAY");
	long day;

	if (!env || !*env)
		return 0;
	if (!pt_date_parse(env, &day))
		return cmd_usage(c, "PETITION_TODAY '%s' is not a date (YYYY-MM-DD)", env);
	/* It may put today back (a backlog, tests), never forward past the clock. */
	if (day > pt_date_clock_today())
		return cmd_usage(c, "PETITION_TODAY '%s' is later than today", env);
	return 0;
}

static void print_version(struct cmd *c)
{
	printf("%s (petition) %s\n", c->prog, PETITION_VERSION);
	exit(cmd_finish(c, 0));
}

bool cmd_option(struct cmd *c, int opt, const char *arg)
{
	switch (opt) {
	case OPT_DB:
		c->db_path = arg;
		return true;
	case OPT_RULES:
		c->rules_path = arg;
		return true;
	case OPT_FORMAT:
		if (!pt_format_parse(arg, &c->fmt.format))
			exit(cmd_usage(c, "unknown format '%s' (table, csv, tsv or json)", arg));
		c->format_given = true;
		return true;
	case OPT_BOM:
		c->fmt.bom = true;
		return true;
	case OPT_ENCODING:
		c->fmt.encoding = arg;
		return true;
	case OPT_DRY_RUN:
		c->dry_run = true;
		return true;
	case 'q':
		c->quiet = true;
		return true;
	case 'h':
		fputs(c->usage, stdout);
		exit(cmd_finish(c, 0));
	case 'V':
		print_version(c);
		return true;
	default:
		return false;
	}
}

int cmd_usage(struct cmd *c, const char *fmt, ...)
{
	va_list ap;

	if (fmt) {
		fprintf(stderr, "%s: ", c->prog);
		va_start(ap, fmt);
		vfprintf(stderr, fmt, ap);
		va_end(ap);
		fputc('\n', stderr);
	}
	fputs(c->usage, stderr);
	return PT_EUSAGE;
}

/* The option that gives a field of the library: --field, with '-' for '_'. */
static void flag_name(void *ctx, const char *field, struct pt_buf *b)
{
	(void)ctx;
	pt_buf_adds(b, "--");
	for (const char *p = field; *p; p++)
		pt_buf_addch(b, *p == '_' ? '-' : *p);
}

char *cmd_err_format(struct cmd *c, const struct pt_err *e)
{
	return pt_err_format_named(e, flag_name, c);
}

int cmd_fail(struct cmd *c, const struct pt_err *e)
{
	char *msg = cmd_err_format(c, e);

	fprintf(stderr, "%s: %s\n", c->prog, msg);
	free(msg);
	return e->kind ? e->kind : PT_EINTERNAL;
}

void cmd_warn(struct cmd *c, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", c->prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int cmd_open(struct cmd *c, int db_flags, bool with_rules)
{
	struct pt_err e = PT_ERR_INIT;
	int status = cmd_check_env(c);

	if (status)
		return status;
	c->db = pt_db_open(c->db_path, db_flags, c->prog, &e);
	if (!c->db)
		goto fail;
	if (with_rules && !(c->rules = pt_rules_for_run(c->db, c->rules_path, &e)))
		goto fail;
	return 0;
fail:
	status = cmd_fail(c, &e);
	pt_err_release(&e);
	return status;
}

struct pt_rules *cmd_rules_file(struct cmd *c, const char *path, int *status)
{
	struct pt_errlist problems = PT_ERRLIST_INIT;
	struct pt_err e = PT_ERR_INIT;
	struct pt_rules *r = pt_rules_load_file(path, &problems, &e);

	if (!r && problems.n == 0)
		*status = cmd_fail(c, &e);
	for (size_t i = 0; !r && i < problems.n; i++)
		*status = cmd_fail(c, &problems.v[i]);
	if (!r && problems.n > 1)
		cmd_warn(c, "%s: %zu problems", path, problems.n);
	pt_errlist_release(&problems);
	pt_err_release(&e);
	return r;
}

int cmd_worse(int status, int other)
{
	return status > PT_NEGATIVE || other == PT_OK ? status : other > status ? other : status;
}

int cmd_finish(struct cmd *c, int status)
{
	pt_rules_free(c->rules);
	c->rules = NULL;
	pt_db_close(c->db);
	c->db = NULL;
	if (fflush(stdout) != 0 || ferror(stdout) || fclose(stdout) != 0) {
		if (errno != EPIPE)
			fprintf(stderr, "%s: cannot write standard output: %s\n", c->prog, strerror(errno));
		return cmd_worse(status, PT_EIO);
	}
	return status;
}

struct pt_fmt *cmd_output(struct cmd *c, const struct pt_col *cols, size_t ncols, int *status)
{
	struct pt_err e = PT_ERR_INIT;
	struct pt_fmt *f = pt_fmt_new(stdout, &c->fmt, cols, ncols, &e);

	if (!f) {
		*status = cmd_fail(c, &e);
		pt_err_release(&e);
	}
	return f;
}

int cmd_end_listing(struct cmd *c, struct pt_fmt *f, int rc, struct pt_err *e)
{
	int status = 0;

	if (rc) {
		pt_fmt_free(f);
		status = cmd_fail(c, e);
	} else if (f && pt_fmt_finish(f, e)) {
		status = cmd_fail(c, e);
	}
	pt_err_release(e);
	return status;
}
