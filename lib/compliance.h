/* compliance: the duties of the source document (临会办〔2014〕36号) checked against the
 * database and the rules, for petition-audit check.
 *
 * pt_compliance_check() writes one row per finding in the columns of pt_compliance_cols:
 * rule (its id, "R2.1-reception-days"), basis (the sentence it enforces, short), unit,
 * leader (the one responsible, where there is one), cases, what (a sentence with the counts
 * and dates) and correct_by (限期整改: today + PT_COMPLIANCE_CORRECT_DAYS). The rules and
 * what counts are in petition-audit(1). Reads only.
 *
 * Ownership: everything passed in is borrowed. */
#ifndef PT_COMPLIANCE_H
#define PT_COMPLIANCE_H

#include <stdbool.h>

#include "db.h"
#include "err.h"
#include "fmt.h"
#include "rules.h"

/* Days given to correct a finding (限期整改); fixed in this version. */
#define PT_COMPLIANCE_CORRECT_DAYS 30

extern const struct pt_col pt_compliance_cols[];
extern const size_t pt_compliance_ncols;

struct pt_compliance_query {
	long first, last;        /* the period (report.h reads one: pt_report_period) */
	long today;
	const char *unit;        /* a unit's code, or NULL for all */
};

/* Where a finding's rule, unit, leader and cases are in its row. */
enum { PT_COMPLIANCE_COL_RULE = 0, PT_COMPLIANCE_COL_UNIT = 2, PT_COMPLIANCE_COL_LEADER = 3,
       PT_COMPLIANCE_COL_CASES = 4 };

/* Every finding in the period, written to out; *findings their count. */
int pt_compliance_check(struct pt_db *db, const struct pt_rules *r, const struct pt_compliance_query *q,
			struct pt_fmt *out, unsigned long long *findings, struct pt_err *e);
/* The same findings, each handed to `each` as a row in the columns of pt_compliance_cols
 * (valid during the call), for a caller that counts them (interview.h); a non-zero return
 * of `each` stops the check and is returned. */
int pt_compliance_each(struct pt_db *db, const struct pt_rules *r, const struct pt_compliance_query *q,
		       int (*each)(void *ctx, const char *const *row, struct pt_err *e), void *ctx,
		       unsigned long long *findings, struct pt_err *e);

#endif
