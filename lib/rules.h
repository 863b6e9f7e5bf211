/* rules: the office's configuration, authored as YAML (petition-rules(5)).
 *
 * pt_rules_parse() reads and validates a rules text with libyaml: every key is checked
 * against the table of its section, and every problem is added to the caller's list with
 * its file:line:col. The rules in force are the newest row of the database's `rules` table
 * (written through the write path, change.h, with an event), unless --rules / PETITION_RULES names a file
 * for one run. A new database gets the default rules, examples/rules.yaml compiled in.
 *
 * Ownership: _parse/_load/_from_db return a struct the caller frees with pt_rules_free();
 * lookups return pointers into it (borrowed). */
#ifndef PT_RULES_H
#define PT_RULES_H

#include <stdbool.h>
#include <stddef.h>

#include "cal.h"
#include "db.h"
#include "err.h"
#include "fmt.h"
#include "hash.h"
#include "vocab.h"

struct pt_strv {
	char **v;
	size_t n;
};

/* Whether the list holds s. */
bool pt_strv_has(const struct pt_strv *v, const char *s);

struct pt_unit {
	char *code, *name, *parent;
	enum pt_level level;
	long line, col;
};

struct pt_leader {
	char *name, *unit, *post;
	bool principal;
	bool approves;           /* may approve extensions (本机关负责人), besides the principal */
	struct pt_strv charge;   /* categories in the leader's remit (分管) */
	long line, col;
};

struct pt_department {
	char *name;
	bool petition;           /* the petition department (信访部门) */
	bool opens_letters;      /* the office that opens unnamed letters (办公室专人拆阅) */
	long line, col;
};

struct pt_category {
	char *name;
	struct pt_strv aliases;
	long line, col;
};

/* The cases a deadline applies to, in the order of pt_deadline_conditions. */
enum pt_when {
	PT_WHEN_ANY, PT_WHEN_NAMED_LETTER, PT_WHEN_TRANSFERRED, PT_WHEN_COLLECTIVE, PT_WHEN_LETTER,
	PT_WHEN_VISIT,
	PT_WHEN_HANDED_DOWN,     /* handed down (交办, route transfer --unit): counts from that transfer */
	PT_WHEN_UNNAMED_LETTER   /* a letter naming no leader (opened by the office's clerk) */
};

/* A time limit, the law's or the office's own (petition-rules(5), key deadlines). `from` and
 * `done_by` name case events; `when` limits it to some cases. */
struct pt_deadline_rule {
	char *name;              /* short key: "route", "handle" */
	char *title;             /* what it is, in Chinese */
	int days;
	bool working;            /* working days, else calendar days */
	char *from;              /* the event it counts from */
	char *when;              /* one of pt_deadline_conditions */
	struct pt_strv done_by;  /* events that meet it */
	int extension;           /* most days it may be extended by, once; 0 for none */
	bool window;             /* the petitioner's time limit (to ask for a review), not the
	                          * office's: it lapses, it is never overdue */
	char *basis;             /* the rule it comes from, for explanations */
	long line, col;
	/* Worked out from the above once, for code that checks millions of cases: */
	enum pt_when when_code;  /* `when` as a code */
	bool from_received;      /* counts from receipt */
	bool of_unit;            /* counts from quarter_end: a unit's deadline, not a case's */
	bool statutory;          /* a limit of the law (the embedded default's `statutory: true`):
	                          * in force whatever an office's rules say */
};

/* Conditions a deadline can have. */
extern const char *const pt_deadline_conditions[];

/* Routing (petition-rules(5), key routing): an ordered list of rules, the first whose
 * conditions all hold decides who must do what on a case. */
enum pt_route_target {
	PT_TO_NAMED_LEADER,      /* the leader a letter names */
	PT_TO_LEADER_IN_CHARGE,  /* the leader in charge (分管) of the case's category */
	PT_TO_PRINCIPAL,         /* the principal leader (主要负责同志) */
	PT_TO_LETTER_OFFICE,     /* the department whose clerk opens letters (opens_letters) */
	PT_TO_PETITION_DEPT,     /* the petition department (petition: true) */
	PT_TO_NAME               /* a leader or department named in the rule */
};

/* Target keywords in enum pt_route_target order (without PT_TO_NAME), NULL-terminated. The
 * actions (enum pt_route_action) are a vocabulary list (vocab.h). */
extern const char *const pt_route_targets[];

struct pt_route_step {
	enum pt_route_target to;
	char *name;              /* PT_TO_NAME: the leader or department */
	enum pt_route_action action;
	long line, col;
};

/* A condition on a yes/no fact of the case: not asked, must be true, must be false. */
enum pt_cond { PT_COND_ANY, PT_COND_YES, PT_COND_NO };

struct pt_route_rule {
	char *name;
	char *title;             /* what it does, for people */
	struct pt_strv channels; /* channel codes; empty for any */
	struct pt_strv categories;   /* category names; empty for any */
	struct pt_strv units;    /* unit codes; empty for any */
	enum pt_cond named, collective, transferred, repeat;
	int min_persons;         /* 0 for any */
	struct pt_route_step *steps;     /* `to`/`action` first, then the `then` steps */
	size_t nsteps;
	long line, col;
	bool from_default;       /* the embedded default's, the rules text having no `routing` */
};

/* Leaders' reception days (接访): the minimum per month by level, preferred weekdays, how
 * far ahead they must be published, and where. */
struct pt_reception_place {
	char *unit;
	char *place;
};

struct pt_reception_rules {
	int min_days[4];         /* per month, by enum pt_level */
	bool weekday[7];         /* preferred weekdays, Monday first; none means any */
	int notice_days;         /* published at least this many days ahead */
	char *form;              /* the default form */
	struct pt_reception_place *places;
	size_t nplaces;
};

/* The interview list (约谈名单, petition-audit interview; petition-rules(5), key interview):
 * the counts a unit or leader is listed by, in the order of pt_interview_keys; a threshold
 * of 0 shows the count without listing anyone by it. */
enum pt_interview_count {
	PT_IV_SKIP_LEVEL, PT_IV_DISSATISFIED, PT_IV_REVIEWS, PT_IV_OVERDUE, PT_IV_SHUFFLED, PT_IV_FINDINGS,
	PT_IV_NCOUNTS
};
/* "skip_level", "dissatisfied", "reviews", "overdue", "shuffled", "findings", NULL. */
extern const char *const pt_interview_keys[];

struct pt_rules {
	char *source;            /* file name, "(default)" or "(rules in the database)" */
	bool from_db;            /* the rules in force, read from the database */
	char *text;              /* the YAML */
	char sha256[PT_SHA256_HEX];
	int version;
	char *office;            /* unit code */
	char *case_number;       /* pattern */
	int utc_offset;          /* minutes east of UTC of the zone times are shown in (timezone) */
	struct pt_unit *units;
	size_t nunits;
	struct pt_leader *leaders;
	size_t nleaders;
	struct pt_department *departments;
	size_t ndepartments;
	struct pt_category *categories;
	size_t ncategories;
	int collective_persons;
	int repeat_window_days;
	struct pt_cal_year *cal_years;   /* the working calendar, by year */
	size_t ncal_years;
	struct pt_calendar *calendar;    /* made from cal_years once the rules are valid */
	struct pt_deadline_rule *deadlines;
	size_t ndeadlines;
	struct pt_reception_rules reception;
	struct pt_route_rule *routing;
	size_t nrouting;
	int interview[PT_IV_NCOUNTS];    /* thresholds, by enum pt_interview_count */
	/* What the embedded default supplies that the text does not give (a section it leaves
	 * out, a statutory deadline it does not list, a year of the calendar), one line each,
	 * for `petition rules check` and `show`; empty when the text gives everything. */
	struct pt_strv notes;
};

/* The embedded default (examples/rules.yaml). Borrowed, static. */
const char *pt_rules_default_text(void);

/* The embedded default, parsed; invalid is a bug (PT_EINTERNAL). */
struct pt_rules *pt_rules_default(struct pt_err *e);

/* Parse and validate. Returns NULL when the list got a problem. The law cannot be switched
 * off (petition-rules(5), "The law and the default"): the statutory deadlines of the
 * embedded default are in force whatever the text says (a text may shorten one, never
 * lengthen or remove it: a problem), and a section the text leaves out is the default's,
 * noted in `notes`. So the same text always gives the same rules. */
struct pt_rules *pt_rules_parse(const char *text, size_t len, const char *source,
				struct pt_errlist *problems);
/* Read a file and parse it; a missing file is PT_ENOINPUT, bad rules PT_ECONFIG (with the
 * first problem; the others are in `problems` when it is not NULL). */
struct pt_rules *pt_rules_load_file(const char *path, struct pt_errlist *problems, struct pt_err *e);
/* The rules in force in the database. A text loaded under an earlier version that this
 * version's law contradicts is not refused: the law's values prevail, each said in `notes`. */
struct pt_rules *pt_rules_from_db(struct pt_db *db, struct pt_err *e);
/* The serialized form of parsed rules, which loads without parsing (lib/rules.c says what
 * it holds and when it is trusted), appended to out. */
void pt_rules_serialize(const struct pt_rules *r, struct pt_buf *out);
/* Rules from a serialized form made from `text`, whose SHA-256 is `sha256` (the rules
 * table's); `source` names them. NULL when the form is damaged, from a build with other
 * structs, or of another text (another hash): parse the text then. */
struct pt_rules *pt_rules_deserialize(const void *form, size_t len, const char *text, size_t text_len,
				      const char *sha256, const char *source);
/* The rules for this run: the file `override` when not NULL, else the database's. */
struct pt_rules *pt_rules_for_run(struct pt_db *db, const char *override, struct pt_err *e);
void pt_rules_free(struct pt_rules *r);

/* Lookups by code or name (units), name (leaders), name or alias (categories). */
const struct pt_unit *pt_rules_unit(const struct pt_rules *r, const char *code_or_name);
const struct pt_leader *pt_rules_leader(const struct pt_rules *r, const char *name);
const struct pt_category *pt_rules_category(const struct pt_rules *r, const char *name_or_alias);
/* A unit's level as the report and the submission show it: 市级, 县级, ... */
const char *pt_rules_level_label(const struct pt_unit *u);
/* What the rules name nearest to `word`, for a message about a name they do not hold:
 * " (did you mean 'X'?)" appended to out, or nothing when none is one character off. Units
 * by code and name, leaders, leaders and departments (the holders of steps), categories
 * with their aliases. */
enum pt_rules_names { PT_RULES_UNITS, PT_RULES_LEADERS, PT_RULES_HOLDERS, PT_RULES_CATEGORIES };
void pt_rules_suggest(const struct pt_rules *r, enum pt_rules_names which, const char *word, struct pt_buf *out);
/* The error for a name the rules do not hold, given for `field`: "FIELD: 'VALUE' is not a
 * unit in the rules (petition rules show)" and the suggestion; `kind` its status. -1. */
int pt_rules_unknown(const struct pt_rules *r, enum pt_rules_names which, struct pt_err *e, int kind,
		     const char *field, const char *value);
/* A unit's leaders, for a case of that unit: its own when the rules list any, else the
 * office's (the office keeping the database acts for a unit it lists no leaders of). The
 * leader in charge of a category, or the principal leader; NULL when there is none. */
const struct pt_leader *pt_rules_leader_in_charge(const struct pt_rules *r, const char *unit,
						  const char *category);
const struct pt_leader *pt_rules_principal(const struct pt_rules *r, const char *unit);
/* The petition department, and the department that opens letters (NULL when none). */
const struct pt_department *pt_rules_petition_department(const struct pt_rules *r);
const struct pt_department *pt_rules_letter_office(const struct pt_rules *r);
/* A department by name, or NULL. */
const struct pt_department *pt_rules_department(const struct pt_rules *r, const char *name);
/* Where a unit receives visitors: its place in the rules, or "" when none is given. */
const char *pt_rules_reception_place(const struct pt_rules *r, const char *unit);
/* The calendar of a year, or NULL when the rules have none for it. */
const struct pt_cal_year *pt_rules_cal_year(const struct pt_rules *r, int year);
/* The calendars the office should add by `today`, 0 for those it has: this year's, and from
 * November next year's (the State Council publishes it then). A reminder, not a problem. */
void pt_rules_cal_missing(const struct pt_rules *r, long today, int *this_year, int *next_year);

/* The rules loaded over time, oldest first, written to `out` with these columns. */
extern const struct pt_col pt_rules_history_cols[];
extern const size_t pt_rules_history_ncols;
/* Every rules text stored, oldest first; loaded_at shown in the zone of r (timezone). */
int pt_rules_history(struct pt_db *db, const struct pt_rules *r, struct pt_fmt *out, struct pt_err *e);

#endif
