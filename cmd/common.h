/* common: what every petition-<cmd> shares: the common options of DESIGN.md §2, messages
 * on stderr as "petition-x: ...", opening the database and the rules, the output format,
 * and closing stdout with an error check. No SQL and no domain logic here. */
#ifndef PT_CMD_COMMON_H
#define PT_CMD_COMMON_H

#include <getopt.h>
#include <stdbool.h>

#include "../lib/petition.h"

/* Long-option values of the common options (short ones use their letter). */
enum {
	OPT_DB = 1000, OPT_RULES, OPT_FORMAT, OPT_BOM, OPT_ENCODING, OPT_DRY_RUN,
	OPT_FIRST_PROGRAM_OPTION = 1100
};

#define COMMON_LONG_OPTIONS                                        \
	{ "db", required_argument, NULL, OPT_DB },                 \
	{ "rules", required_argument, NULL, OPT_RULES },           \
	{ "quiet", no_argument, NULL, 'q' },                       \
	{ "help", no_argument, NULL, 'h' },                        \
	{ "version", no_argument, NULL, 'V' }

#define OUTPUT_LONG_OPTIONS                                        \
	{ "format", required_argument, NULL, OPT_FORMAT },         \
	{ "bom", no_argument, NULL, OPT_BOM },                     \
	{ "encoding", required_argument, NULL, OPT_ENCODING }

struct cmd {
	const char *prog;        /* "petition-intake" */
	const char *usage;       /* the man page SYNOPSIS */
	const char *db_path;
	const char *rules_path;
	bool quiet;
	bool dry_run;
	bool format_given;
	struct pt_fmt_opts fmt;
	struct pt_db *db;
	struct pt_rules *rules;
};

void cmd_init(struct cmd *c, const char *prog, const char *usage);
/* Handle a common option; true when it was one. -h and -V print and exit 0. */
bool cmd_option(struct cmd *c, int opt, const char *arg);
/* Print "usage: ..." and return 64 (for `return cmd_usage(c, "...")`). */
int cmd_usage(struct cmd *c, const char *fmt, ...) PT_PRINTF(2, 3);
/* The error as "file:line: msg", a field it names given as the option for it (err.h). */
char *cmd_err_format(struct cmd *c, const struct pt_err *e);
/* Print the error as "prog: file:line: msg" and return its exit status. */
int cmd_fail(struct cmd *c, const struct pt_err *e);
void cmd_warn(struct cmd *c, const char *fmt, ...) PT_PRINTF(2, 3);
/* Check the environment a run depends on (PETITION_TODAY): 0 or 64, after a message. */
int cmd_check_env(struct cmd *c);
/* Open the database (and, with rules, the rules in force or --rules). 0 or an exit status. */
int cmd_open(struct cmd *c, int db_flags, bool with_rules);
/* Read and check a rules file; on problems, print every one ("prog: file:line:col: msg")
 * and set *status (78, or 66 for a missing file). */
struct pt_rules *cmd_rules_file(struct cmd *c, const char *path, int *status);
/* Of two exit statuses, the one to report: an error outranks a negative answer (1), which
 * outranks success; of two errors, the first. */
int cmd_worse(int status, int other);
/* Close the database and stdout; returns status, or 74 when stdout could not be written. */
int cmd_finish(struct cmd *c, int status);
/* A new formatter on stdout with the --format/--bom/--encoding options. */
struct pt_fmt *cmd_output(struct cmd *c, const struct pt_col *cols, size_t ncols, int *status);

/* End a listing the library wrote into f (rc its return): on an error drop the listing and
 * report e, else finish it. Releases e; returns the exit status. */
int cmd_end_listing(struct cmd *c, struct pt_fmt *f, int rc, struct pt_err *e);

#endif
