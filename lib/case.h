/* case: one case's life (petition-case): its state machine, its transitions, show and list.
 *
 * A case's state is kept in petitions.state together with the event that changes it; the
 * events say what happened (petition(7)). What a case is, its states and what may happen
 * in each (the transition table) are casefile.h's; this module makes the transitions.
 *
 * Every transition is one transaction with one event whose data holds the state before and
 * after ("from", "to"), its day ("on", which the deadlines count from) and what was given.
 * A transition the state does not allow is PT_EDATA with the state and what it allows, and
 * nothing is written. Days may not lie in the future, before receipt, or before the day of
 * the case's last recorded transition or transfer, so that its history reads in order.
 * Routing does not count: it is dated the day it is done, and a clerk entering a backlog
 * from paper routes the case today and then records what its leaders did on their days.
 *
 * Ownership: see each struct. */
#ifndef PT_CASE_H
#define PT_CASE_H

#include <stdbool.h>

#include "casefile.h"
#include "db.h"
#include "err.h"
#include "fmt.h"
#include "intake.h"
#include "rules.h"

/* Start an event's data: {"from":..,"on":.. (left open; "to" is added last, when known). */
void pt_case_event_start(struct pt_buf *data, const char *from, long on);

/* What a transition command gives; unused fields are NULL or 0. */
struct pt_case_change {
	const char *verb;        /* accept reject object answer-objection instruct done extend resolve
	                          * deliver satisfaction request-review review request-rereview
	                          * hearing rereview close reopen important unimportant down-visit
	                          * report-back repeat typical untypical */
	long on;                 /* its day; -1 for today */
	long notified_on;        /* accept, reject: the day the petitioner was told in writing; -1: on */
	long told_on;            /* extend: the day the petitioner was told why; -1: on */
	long until;              /* hearing: its last day; -1 when not given */
	const char *how;         /* deliver: how (vocab.h, ways of delivery) */
	const char *unit;        /* request-review, request-rereview: the reviewing unit's code */
	const char *body;        /* request-review, request-rereview: the reviewing body's name */
	const char *text;        /* --text / --note: the instruction, reply, decision or note */
	const char *reason;      /* reject, extend, forced instruct, reopen */
	const char *refer;       /* reject: where the worker should go instead */
	const char *by;          /* instruct, important, unimportant: the leader; typical,
	                          * untypical: who decided (optional); down-visit: the
	                          * leaders, separated by commas (',', '，' or '、') */
	const char *approver;    /* extend: the leader who approved */
	const char *outcome;     /* resolve, report-back: an outcome; review/rereview: a decision;
	                          * satisfaction: a satisfaction value; answer-objection: agreed or
	                          * refused (vocab.h lists them) */
	const char *deadline;    /* extend: the deadline's name (default: the one that allows it) */
	int days;                /* extend: days (0: the rules' limit) */
	long step;               /* done: the step number (0: the current one) */
	bool force;              /* instruct by another than the named leader */
	bool dry_run;
	long today;
	const char *place;       /* down-visit: where the leaders went (下访) */
	const char *decided_by;  /* reopen of a final case: who decided it */
	const char *of;          /* repeat: the earlier case it repeats */
	bool not_repeat;         /* repeat --not: it is no repeat */
};

/* What the transition did, for the listing: owned by the caller, released with
 * pt_case_done_release(). */
struct pt_case_done {
	char *case_no, *event, *from, *to, *holder, *on;
};

extern const struct pt_col pt_case_change_cols[];
extern const size_t pt_case_change_ncols;
/* Write a transition's row in the columns of pt_case_change_cols. */
int pt_case_done_row(const struct pt_case_done *d, struct pt_fmt *out, struct pt_err *e);
void pt_case_done_release(struct pt_case_done *d);

int pt_case_change(struct pt_db *db, const struct pt_rules *r, const char *key,
		   const struct pt_case_change *ch, struct pt_case_done *done, struct pt_err *e);

/* show: every field, flag, step, deadline and event of the case, one row each, in the
 * columns of pt_case_show_cols (section, key, value, date, by). redact masks the
 * petitioner's name, ID number and phone. */
extern const struct pt_col pt_case_show_cols[];
extern const size_t pt_case_show_ncols;
int pt_case_show(struct pt_db *db, const struct pt_rules *r, const char *key, long today, bool redact,
		 struct pt_fmt *out, struct pt_err *e);
/* show for people at a terminal `width` columns wide (--format table): each field, step and
 * deadline a line, its value wrapped under itself; each event a line (time, number, kind,
 * who) with its data in words wrapped and indented below it; under a heading per section. */
int pt_case_show_text(struct pt_db *db, const struct pt_rules *r, const char *key, long today, bool redact,
		      size_t width, FILE *out, struct pt_err *e);

struct pt_case_filter {
	const char *state, *unit, *category, *channel, *holder;
	long from, to;           /* received in [from, to]; -1 for no bound */
	bool collective, repeat, named_letter, transferred;
	bool redact;
	bool final, skip_level;  /* final (终结) cases; 越级 cases */
};

/* list's columns (petition-case(1), "The register"): the fields intake takes, in intake's order
 * (enum pt_field), then what the case's life gives it. */
enum pt_list_column {
	PT_LIST_CASE_NO = PT_NFIELDS, PT_LIST_FLAGS, PT_LIST_STATE, PT_LIST_HOLDER, PT_LIST_OUTCOME,
	PT_LIST_SATISFACTION, PT_LIST_NCOLUMNS
};

/* The columns a listing writes, their headers for the formatter, and whether headers and
 * values are in Chinese (the names intake reads back). */
struct pt_case_columns {
	size_t n;
	int col[PT_LIST_NCOLUMNS]; /* an enum pt_field, or an enum pt_list_column after them */
	struct pt_col head[PT_LIST_NCOLUMNS];
	bool zh;
};

/* Choose the columns: `names` (separated by ',', '，' or '、'; English or Chinese, any header
 * intake reads), else with `all` every field intake takes, else list's usual columns.
 * An unknown name or one given twice is PT_EUSAGE, with the name it most likely meant. */
int pt_case_columns_choose(struct pt_case_columns *c, const char *names, bool all, bool zh, struct pt_err *e);

/* The cases that pass every filter given, by received date and id, streamed, in the
 * columns chosen. */
int pt_case_list(struct pt_db *db, const struct pt_rules *r, const struct pt_case_filter *f,
		 const struct pt_case_columns *cols, struct pt_fmt *out, unsigned long long *count,
		 struct pt_err *e);


#endif
