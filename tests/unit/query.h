/* query(): one value of a database for the unit tests that look at what the library wrote. */
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

#endif
