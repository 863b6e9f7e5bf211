/* interview: the interview list (约谈名单, petition-audit interview) of a period: the units
 * and the leaders to be interviewed (约谈) by the union above, each with the counts that put
 * them there, ranked, with the cases; and the petitioners to visit (重点约访).
 *
 * The counts of a unit (cases received in the period, petition-audit(1) says each):
 * skip_level (越级 petitions from its area: the competent unit's), dissatisfied (不满意),
 * reviews (requests for review and re-review), overdue (open and overdue today,
 * casefile.h), shuffled (推诿扯皮: transferred and objected to twice or more in all) and
 * findings (those of petition audit check for the unit, compliance.h, notices aside). A
 * leader has the counts of the cases of the categories in their charge (分管) in their own
 * unit, or as its principal leader those of no one's charge, and the findings that name
 * them. A unit or leader is listed when a count reaches its threshold in the rules
 * (rules.h, key interview), ranked by how many do, then by the sum of the counts.
 * A petitioner is listed (重点约访) when in the period they were dissatisfied, went 越级 or
 * came again on the same matter (a repeat, casefile.h); a person is the ID number, else
 * the name and phone.
 *
 * pt_interview_list() writes one row per unit, leader and petitioner in the columns of
 * pt_interview_cols; reads only. Memory grows with the units and leaders of the rules,
 * not with the cases (the petitioners are grouped by SQLite).
 *
 * Ownership: everything passed in is borrowed. */
#ifndef PT_INTERVIEW_H
#define PT_INTERVIEW_H

#include <stdbool.h>

#include "db.h"
#include "err.h"
#include "fmt.h"
#include "rules.h"

extern const struct pt_col pt_interview_cols[];
extern const size_t pt_interview_ncols;

struct pt_interview_query {
	long first, last;        /* the period */
	long today;
	const char *unit;        /* a unit's code, or NULL for all */
	bool redact;             /* mask the petitioners' names (pt_mask_personal) */
};

/* *listed: how many units, leaders and petitioners were listed. */
int pt_interview_list(struct pt_db *db, const struct pt_rules *r, const struct pt_interview_query *q,
		      struct pt_fmt *out, unsigned long long *listed, struct pt_err *e);

#endif
