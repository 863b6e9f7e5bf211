/* query(): one value of a database for the unit tests that look at what the library wrote;
 * add_case(): one petition registered through the library, for the tests that need cases. */
#ifndef PT_TEST_QUERY_H
#define PT_TEST_QUERY_H

#include "../../lib/petition.h"

/* The first column of the first row of sql (a copy the caller frees), or NULL. */
static char *query(struct pt_db *db, const char *sql)
{
	struct pt_err e = PT_ERR_INIT;
	sqlite3_stmt *q;
	char *v = NULL;

	if (pt_db_prepare(db, sql, &q, &e)) {
		pt_err_release(&e);
		return NULL;
	}
	if (sqlite3_step(q) == SQLITE_ROW && sqlite3_column_text(q, 0))
		v = pt_xstrdup((const char *)sqlite3_column_text(q, 0));
	sqlite3_finalize(q);
	return v;
}

/* Register one petition (pt_intake_one); a failure is printed as a TAP comment. */
static inline void add_case(struct pt_db *db, const struct pt_rules *r, const char *received, const char *channel,
			    const char *petitioner, const char *category, const char *addressed_to,
			    const char *summary)
{
	const char *v[PT_NFIELDS] = { 0 };
	struct pt_intake_opts o = { 0 };
	struct pt_intake_result res;
	struct pt_err e = PT_ERR_INIT;

	v[PT_F_RECEIVED_ON] = received;
	v[PT_F_CHANNEL] = channel;
	v[PT_F_PETITIONER] = petitioner;
	v[PT_F_CATEGORY] = category;
	v[PT_F_ADDRESSED_TO] = addressed_to;
	v[PT_F_SUMMARY] = summary;
	if (pt_intake_one(db, r, v, &o, &res, &e))
		printf("# intake: %s\n", e.msg);
	pt_intake_result_release(&res);
	pt_err_release(&e);
}

#endif
