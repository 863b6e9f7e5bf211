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

/* Every finding of the replay, then whether the log holds `kept` (NULL: none given). */
int pt_audit_verify(struct pt_db *db, const struct pt_audit_head *kept, struct pt_fmt *out,
		    struct pt_audit_verify_result *res, struct pt_err *e);

#endif
