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

/* Every finding in the period; *findings their count. */
int pt_compliance_check(struct pt_db *db, const struct pt_rules *r, const struct pt_compliance_query *q,
			struct pt_fmt *out, unsigned long long *findings, struct pt_err *e);

#endif
