/* intake: registering petitions, one from options or many from a CSV file.
 *
 * Every row is validated against the law and the rules in force; flags (collective visit,
 * repeat petition, named letter, final matter, 越级) are computed (petition-intake(1), FLAGS); a case number is drawn from the rules'
 * pattern per unit and year. All rows of one call are written in one change (change.h) with
 * one 'intake' event whose data holds the number of rows, the id range and the digest of the
 * petitions as stored (its "bulk"), so the audit can prove they were not edited.
 *
 * All-or-nothing: when any row is bad, nothing is written (unless opts.rejects names a
 * file, which then receives the bad rows with their line and errors). A row already in the
 * database (same unit and external_id, else the same content) is counted, not added. */
#ifndef PT_INTAKE_H
#define PT_INTAKE_H

#include <signal.h>
#include <stdbool.h>
#include <stdio.h>

#include "db.h"
#include "err.h"
#include "hash.h"
#include "rules.h"

enum pt_field {
	PT_F_RECEIVED_ON, PT_F_CHANNEL, PT_F_PETITIONER, PT_F_ID_NUMBER, PT_F_PHONE,
	PT_F_EMPLOYER, PT_F_UNIT, PT_F_RECEIVED_BY, PT_F_CATEGORY, PT_F_PERSONS,
	PT_F_ADDRESSED_TO, PT_F_SUMMARY, PT_F_EXTERNAL_ID, PT_F_SOURCE_REF,
	PT_F_COMPETENT_UNIT, PT_F_REPEAT_OF,
	PT_NFIELDS
};

/* A CSV header cell (English, or a Chinese header offices use) → field, or -1. */
int pt_field_from_header(const char *header);
/* A field's name, as the petitions table and an English header write it ("received_on"),
 * and its Chinese header ("收到日期"); both static. */
const char *pt_field_name(enum pt_field f);
const char *pt_field_label(enum pt_field f);

/* What became of one input row, for callers that list them (petition-intake --print). */
struct pt_intake_row {
	long line;               /* CSV line where the record starts; 0 for options */
	/* "new" (registered when the run commits: not with --dry-run, nor when bad rows
	 * refuse an all-or-nothing import), "present" (registered before) or "rejected" */
	const char *status;
	const char *case_no;     /* NULL when rejected */
	const char *received_on, *unit, *channel, *petitioner, *category;
	long persons;
	bool collective, repeat, named_letter;
	bool final, skip_level, addressed_unknown;
	const char *errors;      /* when rejected: the problems, '; '-separated */
};

struct pt_intake_opts {
	bool dry_run;
	bool ignore_unknown;     /* CSV: ignore columns that name no field */
	const char *encoding;    /* CSV: NULL (UTF-8) or "gb18030" */
	const char *rejects;     /* CSV: import good rows, write bad ones here */
	bool redact;             /* mask the person's name, ID number and phone in the rows given
	                          * to on_row and in the problems (pt_mask_personal()); the rejects
	                          * file keeps them, to be corrected */
	/* Called for every problem of every bad row (file/line set), in input order. */
	void (*on_problem)(void *ctx, const struct pt_err *problem);
	/* Called every few thousand rows during a CSV import. */
	void (*on_progress)(void *ctx, unsigned long long rows, unsigned long long bytes);
	/* Called for every row once its fate is known; NULL when not wanted. */
	void (*on_row)(void *ctx, const struct pt_intake_row *row);
	void *ctx;
	/* CSV: when it points to a value that becomes non-zero (a signal handler's), the import
	 * stops between two rows or two slices and registers nothing (PT_EIO); NULL: never. */
	const volatile sig_atomic_t *stop;
};

struct pt_intake_result {
	unsigned long long added, present, rejected;
	char *case_no;           /* one petition: its case number (new or already present) */
	long long first_id, last_id;
};

/* One petition; values[PT_F_...] as given (NULL or "" when not given). A missing received
 * date is today. */
int pt_intake_one(struct pt_db *db, const struct pt_rules *r, const char *const values[PT_NFIELDS],
		  const struct pt_intake_opts *o, struct pt_intake_result *res, struct pt_err *e);
/* Many from CSV ("-" for standard input). With bad rows and no rejects file: PT_EDATA and
 * nothing written. */
int pt_intake_csv(struct pt_db *db, const struct pt_rules *r, const char *path,
		  const struct pt_intake_opts *o, struct pt_intake_result *res, struct pt_err *e);
void pt_intake_result_release(struct pt_intake_result *res);


#endif
