#include "common.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

void cmd_init(struct cmd *c, const char *prog, const char *usage)
{
	const char *env;

	memset(c, 0, sizeof *c);
	c->prog = prog;
	c->usage = usage;
	c->progress.c = c;
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

/* The common options: --db, --rules, -q, -h and -V always, the others where a verb takes them. */
static const struct common_opt {
	struct option o;
	unsigned long long bit;
} common_opts[] = {
	{ { "db", required_argument, NULL, OPT_DB }, 0 },
	{ { "rules", required_argument, NULL, OPT_RULES }, 0 },
	{ { "quiet", no_argument, NULL, 'q' }, 0 },
	{ { "help", no_argument, NULL, 'h' }, 0 },
	{ { "version", no_argument, NULL, 'V' }, 0 },
	{ { "dry-run", no_argument, NULL, OPT_DRY_RUN }, CMD_DRY_RUN },
	{ { "format", required_argument, NULL, OPT_FORMAT }, CMD_FORMAT | CMD_ICS },
	{ { "bom", no_argument, NULL, OPT_BOM }, CMD_BOM },
	{ { "encoding", required_argument, NULL, OPT_ENCODING }, CMD_ENCODING },
	{ { "output", required_argument, NULL, 'o' }, CMD_FILE },
	{ { "crlf", no_argument, NULL, OPT_CRLF }, CMD_CRLF },
	{ { "excel", no_argument, NULL, OPT_EXCEL }, CMD_EXCEL },
};
#define NCOMMON (sizeof common_opts / sizeof *common_opts)

/* " (did you mean 'X'?)" for the candidate closest to word (X with lead before it), or ""
 * (in b). */
static const char *did_you_mean(struct pt_buf *b, const char *lead, const char *word, const char *const *candidates,
				size_t n)
{
	const char *near = pt_closest(word, candidates, n);

	pt_buf_reset(b);
	if (near)
		pt_buf_addf(b, " (did you mean '%s%s'?)", lead, near);
	return pt_buf_str(b);
}

/* A usage error about an unknown format, naming the closest known one. */
static int unknown_format(struct cmd *c, const char *arg)
{
	const char *const *names = pt_format_names;
	size_t n = pt_format_nnames;
	struct pt_buf list = PT_BUF_INIT, near = PT_BUF_INIT;
	int status;

	for (size_t i = 0; i < n; i++)
		pt_buf_addf(&list, "%s%s", i == 0 ? "" : i + 1 == n ? " or " : ", ", names[i]);
	status = cmd_usage(c, "unknown format '%s' (%s)%s", arg, list.buf, did_you_mean(&near, "", arg, names, n));
	pt_buf_release(&list);
	pt_buf_release(&near);
	return status;
}

/* Handle a common option; the bit it sets in the options given. */
static unsigned long long common_option(struct cmd *c, int opt, const char *arg)
{
	switch (opt) {
	case OPT_DB:
		c->db_path = arg;
		return 0;
	case OPT_RULES:
		c->rules_path = arg;
		return 0;
	case OPT_FORMAT:
		if (!strcmp(arg, "ics")) {
			c->ics = true;
			return CMD_ICS;
		}
		if (!pt_format_parse(arg, &c->fmt.format))
			exit(unknown_format(c, arg));
		c->ics = false; /* the last --format counts */
		c->format_given = true;
		return CMD_FORMAT;
	case OPT_BOM:
		c->fmt.bom = true;
		return CMD_BOM;
	case OPT_ENCODING:
		c->fmt.encoding = arg;
		return CMD_ENCODING;
	case OPT_CRLF:
		c->fmt.crlf = true;
		return CMD_CRLF;
	case OPT_EXCEL:
		c->fmt.excel = true;
		return CMD_EXCEL;
	case 'o':
		c->output = arg;
		return CMD_FILE;
	case OPT_DRY_RUN:
		c->dry_run = true;
		return CMD_DRY_RUN;
	case 'q':
		c->quiet = true;
		return 0;
	case 'h':
		fputs(c->usage, stdout);
		exit(cmd_finish(c, 0));
	default: /* 'V' */
		print_version(c);
		return 0;
	}
}

/* The options some verb of the program takes. */
static unsigned long long s_takes(const struct cmd_spec *s)
{
	unsigned long long takes = 0;

	for (size_t i = 0; i < s->nverbs; i++)
		takes |= s->verbs[i].takes;
	return takes;
}

/* The options getopt_long reads: the common ones some verb takes, then the program's. */
static const struct option *long_options(const struct cmd_spec *s)
{
	static struct option o[NCOMMON + CMD_MAXOPTS + 1];
	unsigned long long takes = s_takes(s);
	size_t n = 0;

	for (size_t i = 0; i < NCOMMON; i++)
		if (!common_opts[i].bit || (takes & common_opts[i].bit))
			o[n++] = common_opts[i].o;
	for (size_t i = 0; i < s->nopts; i++)
		o[n++] = (struct option){ s->opts[i].name, s->opts[i].has_arg, NULL, OPT_FIRST_PROGRAM_OPTION + (int)i };
	o[n] = (struct option){ NULL, 0, NULL, 0 };
	return o;
}

/* The verb the operands and options select: its word, else a form whose options were given,
 * else the default form. */
static const struct cmd_verb *find_verb(const struct cmd_spec *s, int argc, char **argv, unsigned long long given,
					bool *by_word)
{
	*by_word = false;
	for (size_t i = 0; argc > 0 && i < s->nverbs; i++) {
		if (s->verbs[i].name && !strcmp(s->verbs[i].name, argv[0])) {
			*by_word = true;
			return &s->verbs[i];
		}
	}
	for (size_t i = 0; i < s->nverbs; i++)
		if (!s->verbs[i].name && (s->verbs[i].key & given))
			return &s->verbs[i];
	for (size_t i = 0; i < s->nverbs; i++)
		if (!s->verbs[i].name && !s->verbs[i].key)
			return &s->verbs[i];
	return NULL;
}

/* The name of an option by its bit, for messages. */
static const char *bit_name(const struct cmd_spec *s, unsigned long long bit)
{
	if (bit == CMD_ICS)
		return "format ics";
	for (size_t i = 0; i < NCOMMON; i++)
		if (common_opts[i].bit & bit)
			return common_opts[i].o.name;
	for (size_t i = 0; i < s->nopts; i++)
		if (CMD_OPT(i) == bit)
			return s->opts[i].name;
	return "?";
}

/* The verb's name in messages. */
static const char *verb_name(const struct cmd_verb *v)
{
	return v->name ? v->name : v->as;
}

/* Check what was given against what the verb takes and needs; 0 or a usage error. */
static int check_verb(struct cmd *c, const struct cmd_spec *s, const struct cmd_args *a)
{
	const struct cmd_verb *v = a->verb;
	unsigned long long bit;

	for (int i = 0; i < 64; i++) {
		bit = 1ull << i;
		if (!(a->given & bit) || (v->takes & bit))
			continue;
		if (v->refuse_msg)
			return cmd_usage(c, v->refuse_msg, verb_name(v), bit_name(s, bit));
		if (i < CMD_MAXOPTS && (size_t)i < s->nopts && s->opts[i].goes_with)
			return cmd_usage(c, "--%s goes with %s", s->opts[i].name, s->opts[i].goes_with);
		return cmd_usage(c, "%s does not take --%s", verb_name(v), bit_name(s, bit));
	}
	if (a->argc < v->min_args || a->argc > v->max_args) {
		if (v->args_msg)
			return cmd_usage(c, v->args_msg, verb_name(v));
		if (a->argc > v->max_args)
			return cmd_usage(c, "unexpected argument '%s'", a->argv[v->max_args]);
		return cmd_usage(c, "%s needs more arguments", verb_name(v));
	}
	/* An empty value is no value: --reason '' gives no reason. */
	for (size_t i = 0; i < s->nopts; i++) {
		if (!(v->needs & CMD_OPT(i)) || ((a->given & CMD_OPT(i)) && (!a->v[i] || *a->v[i])))
			continue;
		if (v->needs_msg)
			return cmd_usage(c, "%s", v->needs_msg);
		return cmd_usage(c, "%s needs --%s%s", verb_name(v), s->opts[i].name,
				 v->needs_what && v->needs_what[i] ? v->needs_what[i] : "");
	}
	return 0;
}

/* An optional text given blank is not given (a required one was refused by check_verb). */
static void forget_blank_values(const struct cmd_spec *s, struct cmd_args *a)
{
	for (size_t i = 0; i < s->nopts; i++)
		if ((a->given & CMD_OPT(i)) && a->v[i] && !*a->v[i] && !s->opts[i].verbatim) {
			a->v[i] = NULL;
			a->given &= ~CMD_OPT(i);
		}
}

/* The index of the program's own option "output", or -1: report submit writes its file
 * itself, within its transaction, where other verbs take the common -o FILE. */
static int own_output(const struct cmd_spec *s)
{
	for (size_t i = 0; i < s->nopts; i++)
		if (!strcmp(s->opts[i].name, "output"))
			return (int)i;
	return -1;
}

/* -o FILE, read before the verb was known: the verb's own --output where it has one, else
 * the common output file. */
static void settle_output(struct cmd *c, const struct cmd_spec *s, struct cmd_args *a)
{
	int own = own_output(s);

	if (own < 0 || !(a->given & (CMD_FILE | CMD_OPT(own))))
		return;
	if (a->verb->takes & CMD_OPT(own)) {
		a->given &= ~CMD_FILE;
		c->output = NULL;
	} else {
		a->given &= ~CMD_OPT(own);
		a->v[own] = NULL;
	}
}

/* The format: --format, else the suffix of -o FILE, else csv for a file (a terminal's
 * table was the default); xlsx, a binary file, never to a terminal. */
static int choose_format(struct cmd *c)
{
	enum pt_format f;
	size_t n;

	if (c->output && !c->format_given) {
		if (pt_format_for_file(c->output, &f))
			c->fmt.format = f;
		else if (c->fmt.format == PT_FMT_TABLE)
			c->fmt.format = PT_FMT_CSV;
		n = strlen(c->output);
		if (c->verb && (c->verb->takes & CMD_ICS) && n > 4 && !strcasecmp(c->output + n - 4, ".ics"))
			c->ics = true;
	}
	if (c->fmt.format == PT_FMT_XLSX && !c->output && isatty(STDOUT_FILENO))
		return cmd_usage(c, "xlsx is a binary file: give -o FILE or send standard output to a file");
	return 0;
}

/* -o FILE: standard output goes to a temporary file beside FILE until cmd_finish. */
static int open_output(struct cmd *c, const struct cmd_args *a)
{
	struct pt_err e = PT_ERR_INIT;
	int status;

	if (a->given & CMD_FILE && !*c->output)
		return cmd_usage(c, "-o needs a file name");
	if ((status = choose_format(c)))
		return status;
	if (!(a->given & CMD_FILE))
		return 0;
	if (pt_outfile_open(&c->outfile, c->output, &e))
		goto fail;
	fflush(stdout);
	if (dup2(c->outfile.fd, STDOUT_FILENO) < 0) {
		pt_err_set(&e, PT_ECANTCREAT, "cannot write %s: %s", c->output, strerror(errno));
		close(c->outfile.fd);
		pt_outfile_abort(&c->outfile);
		goto fail;
	}
	close(c->outfile.fd);
	c->outfile.fd = STDOUT_FILENO;
	return 0;
fail:
	status = cmd_fail(c, &e);
	pt_err_release(&e);
	return status;
}

/* ---- `petition-x __complete ...`: what bash completion offers (completion/petition.bash) ----
 *
 *	__complete verbs             the verbs' words, a line each
 *	__complete options [VERB]    the options VERB takes (without one: the forms without a
 *	                             word); "--x=" when --x takes a value
 *	__complete values OPTION     the values of --OPTION: from the rules in force (units,
 *	                             leaders, categories), the code lists, the formats; "FILE"
 *	                             when it is a file name, "CASE" a case number; nothing
 *	                             when it is free text
 *
 * Hidden (not in the usage), so that the completion asks the program itself and never
 * keeps a copy of its options or reads the database on its own. */

/* The options a verb takes (or, verb NULL, the forms without a word take). */
static unsigned long long verb_takes(const struct cmd_spec *s, const char *verb)
{
	unsigned long long takes = 0;

	for (size_t i = 0; i < s->nverbs; i++)
		if (verb ? s->verbs[i].name && !strcmp(s->verbs[i].name, verb) : !s->verbs[i].name)
			takes |= s->verbs[i].takes;
	return takes;
}

static void complete_options(const struct cmd_spec *s, const char *verb)
{
	unsigned long long takes = verb_takes(s, verb);

	for (size_t i = 0; i < NCOMMON; i++)
		if (!common_opts[i].bit || (takes & common_opts[i].bit & ~CMD_ICS))
			printf("--%s%s\n", common_opts[i].o.name, common_opts[i].o.has_arg ? "=" : "");
	for (size_t i = 0; i < s->nopts; i++)
		if (takes & CMD_OPT(i))
			printf("--%s%s\n", s->opts[i].name, s->opts[i].has_arg ? "=" : "");
}

/* What an option's value is, by the option's name (the same name means the same thing in
 * every program, petition(1)); prog, when set, limits an entry to one program. */
enum value_kind { V_FILE, V_CASE, V_UNIT, V_LEADER, V_HOLDER, V_CATEGORY, V_VOCAB, V_FORMAT, V_ENCODING, V_LANG };
static const struct value_of {
	const char *option, *prog;
	enum value_kind kind;
	enum pt_vocab_list list;
} values_of[] = {
	{ "db", NULL, V_FILE, 0 }, { "rules", NULL, V_FILE, 0 }, { "csv", NULL, V_FILE, 0 },
	{ "rejects", NULL, V_FILE, 0 }, { "output", NULL, V_FILE, 0 }, { "explain", NULL, V_CASE, 0 }, { "repeat-of", NULL, V_CASE, 0 },
	{ "unit", NULL, V_UNIT, 0 }, { "competent-unit", NULL, V_UNIT, 0 },
	{ "received-by", NULL, V_LEADER, 0 }, { "addressed-to", NULL, V_LEADER, 0 },
	{ "leader", NULL, V_LEADER, 0 }, { "by", NULL, V_LEADER, 0 }, { "approver", NULL, V_LEADER, 0 },
	{ "holder", NULL, V_HOLDER, 0 }, { "to", "petition-route", V_HOLDER, 0 },
	{ "category", NULL, V_CATEGORY, 0 },
	{ "channel", NULL, V_VOCAB, PT_VOCAB_CHANNEL }, { "state", NULL, V_VOCAB, PT_VOCAB_STATE },
	{ "action", NULL, V_VOCAB, PT_VOCAB_ACTION }, { "outcome", NULL, V_VOCAB, PT_VOCAB_OUTCOME },
	{ "how", NULL, V_VOCAB, PT_VOCAB_DELIVERY }, { "form", NULL, V_VOCAB, PT_VOCAB_FORM },
	{ "kind", "petition-schedule", V_VOCAB, PT_VOCAB_RECEPTION_KIND },
	{ "kind", "petition-audit", V_VOCAB, PT_VOCAB_EVENT },
	{ "format", NULL, V_FORMAT, 0 }, { "encoding", NULL, V_ENCODING, 0 }, { "lang", NULL, V_LANG, 0 },
};

static const struct value_of *value_of(const struct cmd *c, const char *option)
{
	for (size_t i = 0; i < sizeof values_of / sizeof *values_of; i++)
		if (!strcmp(values_of[i].option, option) && (!values_of[i].prog || !strcmp(values_of[i].prog, c->prog)))
			return &values_of[i];
	return NULL;
}

/* The names pt_format_parse() takes. */
static void complete_formats(void)
{
	for (size_t i = 0; i < pt_format_nnames; i++)
		puts(pt_format_names[i]);
}

/* The values of one kind in the rules in force; nothing when the database cannot be read. */
static void complete_from_rules(struct cmd *c, enum value_kind kind)
{
	const struct pt_rules *r;

	if (cmd_open(c, PT_DB_READ_ONLY, true))
		return;
	r = c->rules;
	for (size_t i = 0; kind == V_UNIT && i < r->nunits; i++)
		puts(r->units[i].code);
	for (size_t i = 0; (kind == V_LEADER || kind == V_HOLDER) && i < r->nleaders; i++)
		puts(r->leaders[i].name);
	for (size_t i = 0; kind == V_HOLDER && i < r->ndepartments; i++)
		puts(r->departments[i].name);
	for (size_t i = 0; kind == V_CATEGORY && i < r->ncategories; i++)
		puts(r->categories[i].name);
}

static void complete_values(struct cmd *c, const char *option)
{
	const struct value_of *v = value_of(c, option);

	if (!v)
		return;
	switch (v->kind) {
	case V_FILE:
		puts("FILE");
		break;
	case V_CASE: /* case numbers come from petition-case list */
		puts("CASE");
		break;
	case V_VOCAB:
		for (size_t i = 0; i < pt_vocab_count(v->list); i++)
			puts(pt_vocab_code_at(v->list, i));
		break;
	case V_FORMAT:
		complete_formats();
		break;
	case V_ENCODING:
		puts("utf-8");
		puts("gb18030");
		break;
	case V_LANG: /* case list --lang */
		puts("en");
		puts("zh");
		break;
	default:
		complete_from_rules(c, v->kind);
	}
}

static int complete(struct cmd *c, const struct cmd_spec *s, int argc, char **argv)
{
	/* The messages of a failed look-up would land in the middle of the command line. */
	if (!freopen("/dev/null", "w", stderr))
		return PT_EIO;
	if (argc >= 1 && !strcmp(argv[0], "verbs")) {
		for (size_t i = 0; i < s->nverbs; i++)
			if (s->verbs[i].name)
				puts(s->verbs[i].name);
	} else if (argc >= 1 && !strcmp(argv[0], "options")) {
		complete_options(s, argc > 1 ? argv[1] : NULL);
	} else if (argc >= 2 && !strcmp(argv[0], "values")) {
		complete_values(c, argv[1]);
	} else {
		return PT_EUSAGE;
	}
	return 0;
}

/* "unrecognized option '--chanel'", with the closest option the program has. */
static int unknown_option(struct cmd *c, const struct option *longopts, const char *arg)
{
	const char *names[NCOMMON + CMD_MAXOPTS];
	struct pt_buf word = PT_BUF_INIT, near = PT_BUF_INIT;
	size_t n = 0;
	int status;

	for (; longopts[n].name; n++)
		names[n] = longopts[n].name;
	if (!strncmp(arg, "--", 2)) /* the name typed, without its dashes and value */
		pt_buf_add(&word, arg + 2, strcspn(arg + 2, "="));
	status = cmd_usage(c, "unrecognized option '%s'%s", arg,
			   word.len ? did_you_mean(&near, "--", word.buf, names, n) : "");
	pt_buf_release(&word);
	pt_buf_release(&near);
	return status;
}

/* "unknown subcommand 'acept'", with the closest of the program's verbs. */
static int unknown_verb(struct cmd *c, const struct cmd_spec *s, const char *word)
{
	const char *names[64];
	struct pt_buf near = PT_BUF_INIT;
	size_t n = 0;
	int status;

	for (size_t i = 0; i < s->nverbs && n < 64; i++)
		if (s->verbs[i].name)
			names[n++] = s->verbs[i].name;
	status = cmd_usage(c, "unknown subcommand '%s'%s", word, did_you_mean(&near, "", word, names, n));
	pt_buf_release(&near);
	return status;
}

int cmd_parse(struct cmd *c, const struct cmd_spec *s, int argc, char **argv, struct cmd_args *a)
{
	const struct option *longopts;
	bool by_word;
	int opt, status;

	memset(a, 0, sizeof *a);
	c->spec = s;
	if (argc > 1 && !strcmp(argv[1], "__complete"))
		exit(cmd_finish(c, complete(c, s, argc - 2, argv + 2)));
	if (s->nopts > CMD_MAXOPTS) { /* a bit for each: a program's table outgrew them */
		fprintf(stderr, "%s: %zu options, more than %d\n", c->prog, s->nopts, CMD_MAXOPTS);
		return PT_EINTERNAL;
	}
	longopts = long_options(s);
	/* Our own messages, so that each begins "petition-x:" however the program was started
	 * (getopt's own would name argv[0], a whole path when run by it). */
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":hqVo:", longopts, NULL)) != -1) {
		if (opt == 'o') { /* -o FILE: the common one, or the program's --output (settle_output) */
			int own = own_output(s);

			if (own < 0 && !(s_takes(s) & CMD_FILE))
				return cmd_usage(c, "invalid option -- 'o'");
			if (own >= 0) {
				a->given |= CMD_OPT(own);
				a->v[own] = optarg;
			}
			if (s_takes(s) & CMD_FILE)
				a->given |= common_option(c, opt, optarg);
			continue;
		}
		if (opt >= OPT_FIRST_PROGRAM_OPTION && opt < OPT_FIRST_PROGRAM_OPTION + (int)s->nopts) {
			size_t i = (size_t)(opt - OPT_FIRST_PROGRAM_OPTION);

			a->given |= CMD_OPT(i);
			/* a text without its surrounding blanks (in argv's own memory) */
			a->v[i] = optarg && !s->opts[i].verbatim ? pt_text_trim(optarg) : optarg;
		} else if (opt == ':') {
			return cmd_usage(c, "option '%s' needs a value", argv[optind - 1]);
		} else if (opt == '?' && optopt > 0 && optopt < 128) {
			return cmd_usage(c, "invalid option -- '%c'", optopt);
		} else if (opt == '?' && optopt) {
			return cmd_usage(c, "option '%s' takes no value", argv[optind - 1]);
		} else if (opt == '?') {
			return unknown_option(c, longopts, argv[optind - 1]);
		} else {
			if (opt == OPT_FORMAT) /* the last --format counts */
				a->given &= ~(unsigned long long)(CMD_ICS | CMD_FORMAT);
			a->given |= common_option(c, opt, optarg);
		}
	}
	argc -= optind;
	argv += optind;
	if (!(a->verb = find_verb(s, argc, argv, a->given, &by_word)))
		return argc ? unknown_verb(c, s, argv[0]) : cmd_usage(c, "%s", s->which);
	c->verb = a->verb;
	a->argc = argc - by_word;
	a->argv = argv + by_word;
	settle_output(c, s, a);
	if ((status = check_verb(c, s, a)))
		return status;
	forget_blank_values(s, a);
	return open_output(c, a);
}

int cmd_main(struct cmd *c, const struct cmd_spec *s, int argc, char **argv)
{
	struct cmd_args a;
	int status = cmd_parse(c, s, argc, argv, &a);

	return status ? status : cmd_finish(c, a.verb->run(c, &a));
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
		/* one line, not the whole usage, which hid the message above it */
		fprintf(stderr, "see '%s -h' for the usage\n", c->prog);
	} else {
		fputs(c->usage, stderr);
	}
	return PT_EUSAGE;
}

/* Whether an option of the table gives the library's field. */
static bool gives(const struct cmd_opt *o, const char *field)
{
	size_t i;

	if (o->field)
		return !strcmp(o->field, field);
	for (i = 0; o->name[i] && field[i] && (o->name[i] == field[i] || (o->name[i] == '-' && field[i] == '_')); i++)
		;
	return !o->name[i] && !field[i];
}

/* The option that gives a field of the library: the one the verb takes, else any in the
 * table, else --field with '-' for '_' (the common options: --encoding, --bom). */
static void flag_name(void *ctx, const char *field, struct pt_buf *b)
{
	const struct cmd *c = ctx;
	const char *name = NULL;

	for (size_t i = 0; c->spec && i < c->spec->nopts; i++)
		if (gives(&c->spec->opts[i], field) && (!name || (c->verb && (c->verb->takes & CMD_OPT(i)))))
			name = c->spec->opts[i].name;
	pt_buf_adds(b, "--");
	if (name)
		pt_buf_adds(b, name);
	for (const char *p = field; !name && *p; p++)
		pt_buf_addch(b, *p == '_' ? '-' : *p);
}

char *cmd_err_format(const struct cmd *c, const struct pt_err *e)
{
	return pt_err_format_named(e, flag_name, (void *)c);
}

int cmd_fail(struct cmd *c, const struct pt_err *e)
{
	char *msg = cmd_err_format(c, e);

	cmd_progress_clear(&c->progress);
	fprintf(stderr, "%s: %s\n", c->prog, msg);
	free(msg);
	return e->kind ? e->kind : PT_EINTERNAL;
}

void cmd_warn(struct cmd *c, const char *fmt, ...)
{
	va_list ap;

	cmd_progress_clear(&c->progress);
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
	cmd_progress_start(&c->progress);
	/* A verb that writes takes --dry-run; any other only reads, and needs no write access. */
	if (c->verb && !(c->verb->takes & CMD_DRY_RUN))
		db_flags |= PT_DB_READ_ONLY;
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

/* -o FILE: into place after a run that printed what it had to say (0, or a negative
 * answer: findings, overdue cases), removed after an error. */
static int commit_output(struct cmd *c, int status)
{
	struct pt_err e = PT_ERR_INIT;

	if (!c->outfile.tmp)
		return status;
	if (status > PT_NEGATIVE) {
		pt_outfile_abort(&c->outfile);
		return status;
	}
	if (pt_outfile_commit(&c->outfile, STDOUT_FILENO, &e))
		status = cmd_worse(status, cmd_fail(c, &e));
	pt_err_release(&e);
	return status;
}

int cmd_finish(struct cmd *c, int status)
{
	pt_rules_free(c->rules);
	c->rules = NULL;
	pt_db_close(c->db);
	c->db = NULL;
	if (fflush(stdout) != 0 || ferror(stdout)) {
		if (errno != EPIPE && status <= PT_NEGATIVE) /* else said already */
			fprintf(stderr, "%s: cannot write %s: %s\n", c->prog, c->output ? c->output : "standard output",
				strerror(errno));
		status = cmd_worse(status, PT_EIO);
	}
	status = commit_output(c, status);
	if (fclose(stdout) != 0 && status <= PT_NEGATIVE) {
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

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void cmd_progress_start(struct cmd_progress *p)
{
	p->on = !p->c->quiet && isatty(STDERR_FILENO);
	p->start = p->on ? now() : 0;
	p->last = 0;
}

static void show_progress(void *ctx, unsigned long long done, unsigned long long total)
{
	struct cmd_progress *p = ctx;

	cmd_progress_show(p, p->what, done, done, total);
}

struct pt_progress cmd_progress_of(struct cmd *c, const char *what)
{
	c->progress.what = what;
	return (struct pt_progress){ show_progress, &c->progress };
}

void cmd_progress_show(struct cmd_progress *p, const char *what, unsigned long long count, unsigned long long done,
		       unsigned long long total)
{
	double t, left;

	if (!p->on || (t = now()) - p->last < 0.1)
		return;
	p->last = t;
	fprintf(stderr, "\r%s: %llu %s", p->c->prog, count, what);
	if (total && done <= total) {
		fprintf(stderr, ", %llu%%", done * 100 / total);
		/* the rate so far, once there is a second of it to go by */
		if (done && t - p->start >= 1) {
			left = (t - p->start) * (double)(total - done) / (double)done;
			fprintf(stderr, ", about %lu:%02lu left", (unsigned long)left / 60, (unsigned long)left % 60);
		}
	}
	fputs("\033[K", stderr); /* the rest of an earlier, longer line */
	fflush(stderr);
	p->shown = true;
}

void cmd_progress_clear(struct cmd_progress *p)
{
	if (!p->shown)
		return;
	fputs("\r\033[K", stderr);
	fflush(stderr);
	p->shown = false;
}

int cmd_day(struct cmd *c, const char *opt, const char *s, long *day)
{
	*day = -1;
	if (s && !pt_date_parse(s, day))
		return cmd_usage(c, "%s '%s' is not a date", opt, s);
	return 0;
}

int cmd_period(struct cmd *c, const char *period, const char *from, const char *to, const char *dflt, long today,
	       struct pt_period *p)
{
	struct pt_err e = PT_ERR_INIT;
	int status = 0;

	if (period && (from || to))
		return cmd_usage(c, "give --period, or --from with --to, not both");
	if ((from != NULL) != (to != NULL))
		return cmd_usage(c, "--from and --to go together");
	if (from ? pt_report_period_range(from, to, p, &e) : pt_report_period(period ? period : dflt, today, p, &e))
		status = cmd_fail(c, &e);
	pt_err_release(&e);
	return status;
}
