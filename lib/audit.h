/* audit: proving the database from its log (petition-audit verify, head).
 *
 * pt_audit_verify() runs the replay (replay.h) and writes each finding as a row in the
 * columns of pt_audit_verify_cols: table, row, case, column, stored, expected, event, what.
 * A chain cannot show that its last events were cut off, or that the whole file was
 * replaced by an older copy: the office keeps the head (pt_audit_head(): the last event's
 * id and hash, written "ID:HASH") outside the database, and verify checks that the log
 * still holds a head it is given. Reads only.
 *
 * Ownership: everything passed in is borrowed. */
#ifndef PT_AUDIT_H
#define PT_AUDIT_H

#include <stdbool.h>

#include "db.h"
#include "err.h"
#include "fmt.h"
#include "hash.h"
#include "progress.h"
#include "rules.h"

struct pt_audit_head {
	long long id;
	char hash[PT_SHA256_HEX];
};

/* "ID:HASH" (a positive id, 64 lower-case hex digits); false when s is not one. */
bool pt_audit_head_parse(const char *s, struct pt_audit_head *h);
/* The log's head now; id 0 for an empty log. */
int pt_audit_head(struct pt_db *db, struct pt_audit_head *h, struct pt_err *e);

extern const struct pt_col pt_audit_verify_cols[];
extern const size_t pt_audit_verify_ncols;

struct pt_audit_verify_result {
	unsigned long long events, findings;
};

/* Every finding of the replay, then whether the log holds `kept` (NULL: none given). With
 * `since` (a head verified earlier; NULL: from the first event), only what the events after
 * it wrote (pt_replay_check_since()): much less work on a large log with few new events. */
int pt_audit_verify(struct pt_db *db, const struct pt_audit_head *kept, const struct pt_audit_head *since,
		    const struct pt_progress *progress, struct pt_fmt *out, struct pt_audit_verify_result *res,
		    struct pt_err *e);

/* ---- the log, for people (petition-audit log) ----
 *
 * pt_audit_log() writes the events that pass the filter, oldest first, one a row: id, at
 * (Beijing time, "2026-11-28T09:30:00+08:00"), operator, program, kind, label (the Chinese
 * label of a case event's kind, empty for other kinds), case (the case number of the
 * event's case), then either what (the data in words: "from → to", the day, what was
 * given, the rows a bulk event added; pt_audit_log_cols) or data (the event's data as a
 * JSON object, without the rows it wrote; pt_audit_log_json_cols, for --format json). Any
 * kind is shown, those of the vocabulary and any other. Reads one event at a time: memory
 * does not grow with the log (but a table formatter keeps its rows). */
struct pt_audit_log_filter {
	const char *case_key;    /* a case (pt_case_id(): its events, its intake, the routing runs
	                          * that gave it steps); NULL: every event */
	const char *kinds;       /* comma-separated kinds, codes or a case event's label; NULL: all */
	const char *operator;    /* NULL: all */
	long from, to;           /* Beijing days, inclusive; -1: no bound */
};

extern const struct pt_col pt_audit_log_cols[], pt_audit_log_json_cols[];
extern const size_t pt_audit_log_ncols;
/* The column of pt_audit_log_json_cols that holds JSON (pt_fmt_json_column). */
#define PT_AUDIT_LOG_DATA_COL 7

/* PT_EUSAGE for a kind neither a case event's nor in the log (the message lists the kinds
 * the log holds) or a reversed range, PT_ENOINPUT for no such case. json: the data column
 * instead of what (out made with pt_audit_log_json_cols). *n: the events written. */
int pt_audit_log(struct pt_db *db, const struct pt_rules *r, const struct pt_audit_log_filter *f, bool json,
		 struct pt_fmt *out, unsigned long long *n, struct pt_err *e);

#endif
