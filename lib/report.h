/* report: the quarterly statistics report (统计报告表, petition-report(1)): parts A (by
 * unit), B (by leader), C (category x result), D (channel) and the month-by-month line,
 * for a period.
 *
 * pt_report_compute() reads the period's cases once, in received_on order through the
 * petitions_period index, with each case's events and steps looked up by prepared
 * statements, and adds them to counters whose number depends on the rules (units,
 * leaders, categories) and the period (months), never on the number of cases. What every
 * figure counts is defined in petition-report(1); this module is where it is counted.
 * The typical cases are the period's cases marked typical (petition case typical), read
 * once into the report: they are few, picked by hand.
 *
 * Ownership: pt_report_compute() fills a struct pt_report the caller releases with
 * pt_report_release(); it borrows the rules, which must outlive it. */
#ifndef PT_REPORT_H
#define PT_REPORT_H

#include <stdbool.h>

#include "db.h"
#include "err.h"
#include "fmt.h"
#include "progress.h"
#include "rules.h"

/* A period: first and last day, inclusive, and its name ("2026Q3", "2026-07-01..2026-08-15"). */
struct pt_period {
	long from, to;
	char name[32];
};

/* Read a period: 2026Q3, 2026H1, 2026, 2026-07, or `last` (the last quarter finished
 * before `today`). PT_EUSAGE naming the field "period" for anything else. */
int pt_report_period(const char *spec, long today, struct pt_period *p, struct pt_err *e);
/* A period from two days; PT_EUSAGE (fields "from", "to") when not dates or reversed. */
int pt_report_period_range(const char *from, const char *to, struct pt_period *p, struct pt_err *e);

/* The parts, as --part names them; typical: the typical cases (典型案例) attached. */
enum pt_report_part {
	PT_REPORT_A, PT_REPORT_B, PT_REPORT_C, PT_REPORT_D, PT_REPORT_MONTH, PT_REPORT_TYPICAL, PT_REPORT_NPARTS
};
/* "A", "B", "C", "D", "month", "typical" → part; -1 for anything else. */
int pt_report_part_parse(const char *s);
/* The part's name and title: "A", "单位汇总". */
const char *pt_report_part_name(enum pt_report_part p);
const char *pt_report_part_title(enum pt_report_part p);
/* The part's columns, for a formatter. */
const struct pt_col *pt_report_cols(enum pt_report_part p, size_t *ncols);
/* How the printed form (html, xlsx) heads a column of a part: its Chinese label (NULL:
 * none, the name serves) and the group it is in (part A's 接访日, 受理, 办理结果...; NULL:
 * none). A column added later simply has neither. */
const char *pt_report_col_label(const char *name);
const char *pt_report_col_group(enum pt_report_part p, const char *name);

struct pt_report_opts {
	struct pt_period period;
	const char *unit;        /* a unit code: it and the units below it; NULL: every unit */
	long today;
	bool no_redact;          /* typical cases: the petitioner's name, ID number and phone as
	                          * stored, not masked (pt_mask_text) */
	struct pt_progress progress; /* the cases read so far (their number is not counted first) */
};

struct pt_report_counts;

struct pt_report {
	const struct pt_rules *r;
	struct pt_report_opts o;
	struct pt_report_counts *c;
};

int pt_report_compute(struct pt_db *db, const struct pt_rules *r, const struct pt_report_opts *o,
		      struct pt_report *out, struct pt_err *e);
/* Write one part's rows to f (made with pt_report_cols of the same part). */
int pt_report_write(const struct pt_report *rep, enum pt_report_part p, struct pt_fmt *f, struct pt_err *e);
void pt_report_release(struct pt_report *rep);

/* Part A for the roll-up of lower units' submissions (submission.h): its counters are the
 * columns of pt_report_cols(PT_REPORT_A) after unit, name and level and before the two
 * rates, which pt_report_a_row() works out from them. */
size_t pt_report_a_ncounters(void);
/* The counters of a unit's own row (not the units below it); NULL for a unit not in the rules. */
const long long *pt_report_a_unit(const struct pt_report *rep, const char *unit);
int pt_report_a_row(const char *unit, const char *name, const char *level, const long long *a, struct pt_fmt *f,
		    struct pt_err *e);

#endif
