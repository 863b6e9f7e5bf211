/* Unit tests of lib/db and lib/event: creation mode, versions, transactions, the chain. */
#include "../../lib/petition.h"
#include "tap.h"

#include <stdlib.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[] = "/tmp/petition-db-XXXXXX";

int main(void)
{
	struct pt_err e = PT_ERR_INIT;
	struct pt_buf path = PT_BUF_INIT;
	struct pt_db *db;
	struct stat sb;
	int applied = -1;
	long long next = 0;
	sqlite3_stmt *st;

	if (!mkdtemp(dir))
		return 1;
	pt_buf_addf(&path, "%s/t.db", dir);
	setenv("PETITION_OPERATOR", "unit", 1);

	ok(pt_db_open(path.buf, 0, "test", &e) == NULL && e.kind == PT_ENOINPUT, "missing database: 66");
	pt_err_release(&e);
	/* An empty file is a database without a schema; init's steps make it one. */
	close(open(path.buf, O_WRONLY | O_CREAT, 0644));
	db = pt_db_open(path.buf, PT_DB_ANY_VERSION, "test", &e);
	ok(db != NULL && db->schema_version == 0, "an empty file opens at version 0");
	ok(pt_db_migrate(db, &applied, &e) == -1 && e.kind == PT_EINTERNAL, "no migration outside a transaction");
	pt_err_release(&e);
	ok(pt_db_prepare_new(db, &e) == 0, "prepared as new");
	ok(stat(path.buf, &sb) == 0 && (sb.st_mode & 0777) == 0600, "mode 0600");
	ok(pt_db_begin(db, &e) == 0 && pt_db_migrate(db, &applied, &e) == 0 &&
	   applied == pt_db_schema_version(), "migrated (%d)", applied);
	ok(pt_db_migrate(db, &applied, &e) == 0 && applied == 0, "migrating again applies nothing");
	ok(pt_db_commit(db, &e) == 0, "committed");

	ok(pt_event_append(db, "x", 0, "{}", &e) == -1 && e.kind == PT_EINTERNAL, "no event outside a transaction");
	pt_err_release(&e);
	ok(pt_db_begin(db, &e) == 0, "begin");
	ok(pt_event_next_id(db, &next, &e) == 0 && next == 1, "first event id is 1");
	ok(pt_event_append(db, "one", 0, "{\"a\":1}", &e) == 0, "append one");
	ok(pt_event_append(db, "two", 7, "{}", &e) == 0, "append two");
	ok(pt_db_commit(db, &e) == 0, "commit");

	/* The chain: two's prev_hash is one's hash, and each hash recomputes. */
	pt_db_prepare(db, "SELECT id, at, operator, program, kind, coalesce(petition_id, 0), data, prev_hash, hash"
			  " FROM events ORDER BY id", &st, &e);
	{
		char prev[PT_SHA256_HEX] = "0000000000000000000000000000000000000000000000000000000000000000";
		int n = 0, good = 0;

		while (sqlite3_step(st) == SQLITE_ROW) {
			char h[PT_SHA256_HEX];
			const char *c[9];

			for (int i = 0; i < 9; i++)
				c[i] = (const char *)sqlite3_column_text(st, i);
			pt_event_hash(prev, sqlite3_column_int64(st, 0), c[1], c[2], c[3], c[4],
				      sqlite3_column_int64(st, 5), c[6], h);
			good += !strcmp(c[7], prev) && !strcmp(c[8], h) && !strcmp(c[2], "unit") &&
				!strcmp(c[3], "test");
			memcpy(prev, c[8], sizeof prev);
			n++;
		}
		ok(n == 2 && good == 2, "events chain: each prev_hash is the previous hash, each hash recomputes");
	}
	sqlite3_finalize(st);

	ok(pt_db_begin(db, &e) == 0 && pt_event_append(db, "three", 0, "{}", &e) == 0, "append in a new transaction");
	pt_db_rollback(db);
	ok(pt_db_begin(db, &e) == 0 && pt_event_next_id(db, &next, &e) == 0 && next == 3,
	   "rollback leaves the chain at two events");
	pt_db_rollback(db);
	pt_db_close(db);

	db = pt_db_open(path.buf, 0, "test", &e);
	ok(db != NULL, "reopened at the current version");
	ok(pt_db_exec(db, "PRAGMA user_version = 99", &e) == -1, "a write outside a change is refused");
	pt_err_release(&e);
	pt_db_close(db);
	{
		/* a newer petition wrote the file: set behind the library's back */
		sqlite3 *raw;

		sqlite3_open(path.buf, &raw);
		sqlite3_exec(raw, "PRAGMA user_version = 99", NULL, NULL, NULL);
		sqlite3_close(raw);
	}
	ok(pt_db_open(path.buf, 0, "test", &e) == NULL && e.kind == PT_ECONFIG, "a newer database: 78");
	pt_err_release(&e);

	{
		struct pt_errlist l = PT_ERRLIST_INIT;
		const char *text = pt_rules_default_text();
		struct pt_rules *r = pt_rules_parse(text, strlen(text), "(default)", &l);
		struct pt_init_result res;

		pt_buf_reset(&path);
		pt_buf_addf(&path, "%s/nodir/t.db", dir);
		ok(pt_init_path(path.buf, "test", r, false, false, &res, &e) == -1 && e.kind == PT_ECANTCREAT,
		   "cannot create: 73");
		pt_err_release(&e);
		pt_buf_reset(&path);
		pt_buf_addf(&path, "%s/new.db", dir);
		ok(pt_init_path(path.buf, "test", r, false, false, &res, &e) == 0 && res.from_version == 0 &&
		   res.rules_changed, "init creates a database with the rules");
		ok(stat(path.buf, &sb) == 0 && (sb.st_mode & 0777) == 0600, "mode 0600");
		ok(pt_init_path(path.buf, "test", r, false, false, &res, &e) == 0 && res.from_version == pt_db_schema_version() &&
		   !res.rules_changed, "init again: nothing to do");
		pt_rules_free(r);
		pt_errlist_release(&l);
	}
	pt_buf_release(&path);
	return done_testing();
}
