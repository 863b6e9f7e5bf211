/* common: what every petition-<cmd> shares: the common options of petition(1), messages
 * on stderr as "petition-x: ...", opening the database and the rules, the output format,
 * and closing stdout with an error check. No SQL and no domain logic here. */
#ifndef PT_CMD_COMMON_H
#define PT_CMD_COMMON_H

#include <getopt.h>
#include <stdbool.h>

#include "../lib/petition.h"

/* Long-option values of the common options (short ones use their letter). */
enum {
	OPT_DB = 1000, OPT_RULES, OPT_FORMAT, OPT_BOM, OPT_ENCODING, OPT_DRY_RUN, OPT_CRLF, OPT_EXCEL,
	OPT_FIRST_PROGRAM_OPTION = 1100
};

/* ---- one table per program: its options, and each verb with those it takes and needs ----
 *
 * A program lists its own options in a table (struct cmd_opt) and refers to them by their
 * index there; a verb (struct cmd_verb) holds bits of the indexes: CMD_OPT(I_REASON). The
 * common options a verb takes beside --db, --rules, -q, -h and -V are bits too
 * (CMD_DRY_RUN, CMD_OUTPUT). cmd_parse() reads argv against the table: an unknown option,
 * an option the verb does not take, a missing option it needs and wrong operands are usage
 * errors (64), so a verb's function starts with what it was given. cmd_main() then runs it.
 *
 *	enum { I_REASON, I_REFER, NOPTS };
 *	static const struct cmd_opt opts[NOPTS] = {
 *		[I_REASON] = { "reason", required_argument, NULL, NULL },
 *		[I_REFER] = { "refer", required_argument, NULL, NULL },
 *	};
 *	static const struct cmd_verb verbs[] = {
 *		{ .name = "reject", .run = change, .min_args = 1, .max_args = 1,
 *		  .takes = CMD_DRY_RUN | CMD_OPT(I_REASON) | CMD_OPT(I_REFER),
 *		  .needs = CMD_OPT(I_REASON) | CMD_OPT(I_REFER) },
 *	};
 *
 * An error of the library about a field ("refer", err.h) is printed with the option that
 * gives it to the verb: --refer, or --note for the field "text" when the table says so. */
#define CMD_OPT(i)   (1ull << (i))
#define CMD_MAXOPTS  48
#define CMD_DRY_RUN  CMD_OPT(48)
#define CMD_FORMAT   CMD_OPT(49)
#define CMD_BOM      CMD_OPT(50)
#define CMD_ENCODING CMD_OPT(51)
#define CMD_ICS      CMD_OPT(52)  /* --format ics (iCalendar), where a verb takes it */
#define CMD_FILE     CMD_OPT(53)  /* -o FILE */
#define CMD_CRLF     CMD_OPT(54)
#define CMD_EXCEL    CMD_OPT(55)
#define CMD_OUTPUT   (CMD_FORMAT | CMD_BOM | CMD_ENCODING | CMD_FILE | CMD_CRLF | CMD_EXCEL)

struct cmd_opt {
	const char *name;       /* "reason": --reason */
	int has_arg;            /* no_argument or required_argument */
	const char *field;      /* the library's field it gives, when not its name ("text" for --note) */
	const char *goes_with;  /* for a refusal: "--default goes with show"; NULL: "VERB does not take --X" */
	bool verbatim;          /* a file name, taken as given; any other value is a text (petition(1),
	                         * TEXTS): its surrounding blanks go, and blanks only is no value */
};

struct cmd;
struct cmd_args;

/* ---- progress of a long run, on the standard error when it is a terminal ----
 *
 * One line, redrawn in place at most ten times a second: "petition-x: 12000 rows, 42%,
 * about 1:05 left" (the percent and the time left when the size of the work is known).
 * Nothing when stderr is not a terminal, or with -q. The library reports how far it got
 * through a callback (it never prints); cmd_progress_clear() before any other message. */
struct cmd_progress {
	const struct cmd *c;
	const char *what;        /* what the library's count counts ("cases"): cmd_progress_of */
	bool on;                 /* stderr is a terminal, and not -q */
	bool shown;              /* a progress line is on the screen */
	double start, last;      /* seconds, monotonic: the start, the last redraw */
};

struct cmd_verb {
	const char *name;       /* the word that selects it ("reject"); NULL for a form without one */
	int (*run)(struct cmd *c, const struct cmd_args *a); /* its exit status */
	unsigned long long key; /* a form without a word: the options that select it; 0 for the default */
	const char *as;         /* how messages name a form without a word ("a manual step") */
	unsigned long long takes; /* the options it allows */
	unsigned long long needs; /* the options it requires (also in takes) */
	/* After "VERB needs --X", what X holds, by option index: " (the written reply)". */
	const char *const *needs_what;
	int min_args, max_args; /* operands after the word */
	/* Usage errors, when not the general ones: wrong operands (NULL: "unexpected argument
	 * 'X'"), a missing option, an option it does not take; formats given the verb's name (and
	 * for a refusal the option's), which they may leave out. */
	const char *args_msg, *needs_msg, *refuse_msg;
};

struct cmd_spec {
	const struct cmd_opt *opts;
	size_t nopts;
	const struct cmd_verb *verbs;
	size_t nverbs;
	const char *which;      /* the usage error when no verb is given */
};

/* What cmd_parse() found: the verb, the options given (bits and values by index), the
 * operands after the verb's word. */
struct cmd_args {
	const struct cmd_verb *verb;
	unsigned long long given;
	const char *v[CMD_MAXOPTS];
	int argc;
	char **argv;
};

struct cmd {
	const char *prog;        /* "petition-intake" */
	const char *usage;       /* the man page SYNOPSIS */
	const char *db_path;
	const char *rules_path;
	bool quiet;
	bool dry_run;
	bool format_given;
	bool ics;                /* --format ics, where the spec allows it (cmd_parse) */
	struct pt_fmt_opts fmt;
	const char *output;      /* -o FILE: stdout goes to its temporary file until cmd_finish */
	struct pt_outfile outfile;
	const struct cmd_spec *spec; /* set by cmd_parse, to name fields as options */
	const struct cmd_verb *verb;
	struct pt_db *db;
	struct pt_rules *rules;
	struct cmd_progress progress; /* started by cmd_open; cmd_warn and cmd_fail clear it */
};

void cmd_init(struct cmd *c, const char *prog, const char *usage);
/* Read argv against the program's table (above): 0, or the usage error's status after its
 * message. -h and -V print and exit 0. */
int cmd_parse(struct cmd *c, const struct cmd_spec *s, int argc, char **argv, struct cmd_args *a);
/* main() of a program with a table: parse, run the verb, close; the exit status. */
int cmd_main(struct cmd *c, const struct cmd_spec *s, int argc, char **argv);
/* Print "prog: message" and "see 'prog -h' for the usage" (fmt NULL: the whole usage) and
 * return 64 (for `return cmd_usage(c, "...")`). */
int cmd_usage(struct cmd *c, const char *fmt, ...) PT_PRINTF(2, 3);
/* The error as "file:line: msg", a field it names given as the option for it (err.h). */
char *cmd_err_format(const struct cmd *c, const struct pt_err *e);
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
/* Close the database and stdout; returns status, or 74 when stdout could not be written.
 * With -o FILE, the output is renamed into place when status is 0 or 1 and removed
 * otherwise. */
int cmd_finish(struct cmd *c, int status);
/* A new formatter on stdout with the --format/--bom/--encoding options. */
struct pt_fmt *cmd_output(struct cmd *c, const struct pt_col *cols, size_t ncols, int *status);

/* Start counting the time (cmd_open does, once -q is known). */
void cmd_progress_start(struct cmd_progress *p);
/* count things (what: "rows", "cases", "events") done; done of total in any unit (bytes,
 * rows) gives the percent and the time left; total 0: not known. */
void cmd_progress_show(struct cmd_progress *p, const char *what, unsigned long long count, unsigned long long done,
		       unsigned long long total);
void cmd_progress_clear(struct cmd_progress *p);
/* For the library (progress.h): its done of total shown as "N what, P%, ..." on c's line. */
struct pt_progress cmd_progress_of(struct cmd *c, const char *what);

/* End a listing the library wrote into f (rc its return): on an error drop the listing and
 * report e, else finish it. Releases e; returns the exit status. */
int cmd_end_listing(struct cmd *c, struct pt_fmt *f, int rc, struct pt_err *e);

/* The day an option or operand gives (opt as the usage names it: "--from", "DATE"): 0, or
 * 64 after a message naming it. s NULL (not given): *day -1. */
int cmd_day(struct cmd *c, const char *opt, const char *s, long *day);
/* The period of --period, or of --from with --to, else of dflt (a period's name, e.g.
 * "last"): 0, or the exit status after a message. */
int cmd_period(struct cmd *c, const char *period, const char *from, const char *to, const char *dflt, long today,
	       struct pt_period *p);

#endif
