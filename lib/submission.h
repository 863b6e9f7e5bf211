/* submission: the quarterly report sent up from a unit to the one above it, and what the
 * unit above does with it (petition-report(1): SUBMIT, RECEIVE, ROLLUP, VERIFY and THE
 * SUBMISSION FILE).
 *
 * A submission is one JSON file: the unit, its level, the period, every part of the report
 * (report.h) as its rows, the rules' hash, the log head the figures are of, the day and time
 * it was made, and last a SHA-256 over every byte before the digest member. Sent and
 * received submissions are rows of report_submissions (schema/004-submissions.sql), written
 * through the one write path with one event each ('report_submitted', 'report_received'); a
 * corrected one supersedes the one before and both stay.
 *
 * Ownership: everything passed in is borrowed; pt_submission_rollup() fills a struct the
 * caller releases with pt_submission_rollup_release(). */
#ifndef PT_SUBMISSION_H
#define PT_SUBMISSION_H

#include <stdbool.h>

#include "buf.h"
#include "db.h"
#include "err.h"
#include "fmt.h"
#include "report.h"
#include "rules.h"

/* The file's format name and the version this program writes and reads. */
#define PT_SUBMISSION_FORMAT "petition-submission"
#define PT_SUBMISSION_VERSION 1
/* The digest member that ends every file: ,"sha256":"<64 hex digits>"} and a newline; the
 * digest is over every byte before it, so the file's length minus this many bytes. */
#define PT_SUBMISSION_TAIL 78

struct pt_submission_opts {
	struct pt_period period;
	const char *unit;        /* the unit that submits: NULL for the office */
	const char *output;      /* the file to write (atomically, 0600); NULL: into content only */
	const char *reason;      /* why a resubmission was made; may be NULL */
	bool dry_run;
};

/* Make the unit's submission of the period, record it (superseding the unit's earlier one
 * for the period) and write it to o->output; content gets the file's bytes either way.
 * PT_EUSAGE for a unit not in the rules; PT_EBUSY when the log kept moving while the
 * figures were made; PT_ECANTCREAT/PT_EIO for the output file (nothing recorded then). */
int pt_submission_submit(struct pt_db *db, const struct pt_rules *r, const struct pt_submission_opts *o,
			 struct pt_buf *content, struct pt_err *e);

struct pt_submission_receive_opts {
	bool replace;            /* a different submission for a unit and period received before
	                          * supersedes it (with reason) */
	const char *reason;
	bool dry_run;
};

/* What receive did with one file, in order. */
enum pt_submission_outcome { PT_SUBMISSION_STORED, PT_SUBMISSION_REPLACED, PT_SUBMISSION_SAME };

/* Check each file (readable, the digest, the format and version, a unit one level below the
 * office in the rules, a finished period, the head and hashes) and store it, all in one
 * change: any bad file (PT_EDATA naming it, PT_ENOINPUT when missing) and nothing is stored.
 * A file the same as the unit's current submission for its period changes nothing; a
 * different one is refused (PT_EDATA) unless o->replace. outcomes[i] says what happened to
 * files[i]. */
int pt_submission_receive(struct pt_db *db, const struct pt_rules *r, char *const *files, int n,
			  const struct pt_submission_receive_opts *o, enum pt_submission_outcome *outcomes,
			  struct pt_err *e);

/* ---- the roll-up: the office's own row, one row per lower unit from its submission ---- */

struct pt_submission_rollup_unit;

struct pt_submission_rollup {
	const struct pt_rules *r;
	struct pt_period period;
	long today;
	long due;                /* the quarterly report's deadline for the period; 0: no rule */
	struct pt_report own;    /* the office's own cases */
	struct pt_submission_rollup_unit *units;
	size_t nunits;           /* the units whose parent is the office */
};

/* The status listing's columns: unit, name, due, submitted_on, received_on, revisions,
 * state (on_time, late, not_yet, overdue). */
extern const struct pt_col pt_submission_status_cols[];
extern const size_t pt_submission_status_ncols;

int pt_submission_rollup(struct pt_db *db, const struct pt_rules *r, const struct pt_period *p, long today,
			 struct pt_submission_rollup *out, struct pt_err *e);
/* Part A (the columns of pt_report_cols(PT_REPORT_A)): the office's own row, each lower
 * unit's submitted total, and the total of these. */
int pt_submission_rollup_write_a(const struct pt_submission_rollup *ru, struct pt_fmt *f, struct pt_err *e);
/* One row per lower unit: whether and when it submitted (pt_submission_status_cols). */
int pt_submission_rollup_write_status(const struct pt_submission_rollup *ru, struct pt_fmt *f, struct pt_err *e);
void pt_submission_rollup_release(struct pt_submission_rollup *ru);

/* ---- verify: the figures of a submission against the submitting unit's database ---- */

/* Columns: part, row, figure, stored, recomputed, result (match, differs). */
extern const struct pt_col pt_submission_verify_cols[];
extern const size_t pt_submission_verify_ncols;

/* Recompute the submission's figures from db_path as it stood at the submission's head
 * (replay.h: pt_replay_as_of) on the day it was made, and write every figure with whether
 * it matches; *differ counts those that do not. PT_EDATA for a bad file or a log that does
 * not replay cleanly up to the head; PT_ENOINPUT for a missing file or a head the log does
 * not hold. Opens db_path read-only. */
int pt_submission_verify(const char *file, const char *db_path, struct pt_fmt *out, unsigned long long *differ,
			 struct pt_err *e);

/* ---- for the audit ---- */

/* The deadline rule of the quarterly report (counting from quarter_end), or NULL. */
const struct pt_deadline_rule *pt_submission_deadline(const struct pt_rules *r);
/* Its due day for a period ending on `last`; 0 without the rule. */
long pt_submission_due(const struct pt_rules *r, long last);
/* The day of the current submission of a unit for a period, sent or received, as the
 * submitting unit made it; *found false when there is none. q: the look-up, prepared on the
 * first call (*q NULL) and reused by the next; the caller finalizes it. */
int pt_submission_day(struct pt_db *db, sqlite3_stmt **q, bool sent, const char *unit, const char *period, long *day,
		      bool *found, struct pt_err *e);

#endif
