#include "db.h"
#include "buf.h"

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* generated from the schema/ files by scripts/embed */
extern const char *const pt_schema_sql[];

#define BUSY_TIMEOUT_MS 10000

int pt_db_schema_version(void)
{
	int n = 0;

	while (pt_schema_sql[n])
		n++;
	return n;
}

const char *const *pt_db_migrations(void)
{
	return pt_schema_sql;
}

int pt_db_fail(struct pt_db *db, int rc, const char *what, struct pt_err *e)
{
	const char *msg = db && db->sql ? sqlite3_errmsg(db->sql) : sqlite3_errstr(rc);
	const char *path = db ? db->path : "";
	int kind;

	switch (rc & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return pt_err_set(e, PT_EBUSY, "%s: database %s is busy (locked by another program); try again later",
				  what, path);
	case SQLITE_READONLY:
		return pt_err_set(e, PT_ECANTCREAT, "%s: database %s is read-only (check the permissions of the file "
				  "and its directory)", what, path);
	case SQLITE_CANTOPEN:
	case SQLITE_PERM:
	case SQLITE_AUTH:
		kind = PT_ECANTCREAT;
		break;
	case SQLITE_IOERR:
	case SQLITE_FULL:
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
	case SQLITE_PROTOCOL:
		kind = PT_EIO;
		break;
	case SQLITE_CONSTRAINT:
		kind = PT_EDATA;
		break;
	default:
		kind = PT_EINTERNAL;
	}
	return pt_err_set(e, kind, "%s: %s: %s", what, path, msg);
}

int pt_db_exec(struct pt_db *db, const char *sql, struct pt_err *e)
{
	int rc = sqlite3_exec(db->sql, sql, NULL, NULL, NULL);

	return rc == SQLITE_OK ? 0 : pt_db_fail(db, rc, "cannot update the database", e);
}

int pt_db_prepare(struct pt_db *db, const char *sql, sqlite3_stmt **st, struct pt_err *e)
{
	int rc = sqlite3_prepare_v2(db->sql, sql, -1, st, NULL);

	return rc == SQLITE_OK ? 0 : pt_db_fail(db, rc, "cannot read the database", e);
}

char *pt_db_column_dup(sqlite3_stmt *st, int i)
{
	const char *s = (const char *)sqlite3_column_text(st, i);

	return s ? pt_xstrdup(s) : NULL;
}

int pt_db_bind_text(sqlite3_stmt *st, int i, const char *s)
{
	if (!s || !*s)
		return sqlite3_bind_null(st, i);
	return sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
}

static char *operator_name(void)
{
	const char *op = getenv("PETITION_OPERATOR");
	struct passwd *pw;

	if (op && *op)
		return pt_xstrdup(op);
	pw = getpwuid(geteuid());
	if (pw && pw->pw_name)
		return pt_xstrdup(pw->pw_name);
	op = getenv("LOGNAME");
	return pt_xstrdup(op && *op ? op : "unknown");
}

static int read_version(struct pt_db *db, struct pt_err *e)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (pt_db_prepare(db, "PRAGMA user_version", &st, e))
		return -1;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		db->schema_version = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		return pt_db_fail(db, rc, "cannot read the database", e);
	return 0;
}

/* How long to wait for another program's write lock: PETITION_BUSY_TIMEOUT (milliseconds)
 * or 10 seconds. */
static int busy_timeout(void)
{
	const char *s = getenv("PETITION_BUSY_TIMEOUT");
	char *end;
	long v;

	if (!s || !*s)
		return BUSY_TIMEOUT_MS;
	v = strtol(s, &end, 10);
	return *end || v < 0 || v > 3600000 ? BUSY_TIMEOUT_MS : (int)v;
}

/* The one write path (change.h) ends every change with an event. A commit that changed rows
 * of the main database without one is a write that went around it: refused, so that the
 * COMMIT turns into a ROLLBACK and pt_db_commit() reports an internal error. */
static int commit_guard(void *ctx)
{
	struct pt_db *db = ctx;

	if (sqlite3_txn_state(db->sql, "main") != SQLITE_TXN_WRITE || db->header_write)
		return 0;
	/* A statement outside a transaction is counted only after its commit: any write to
	 * the main database outside a change is refused. Inside one, every row changed must
	 * come before an event (which counts as one change itself). */
	return !db->in_tx || sqlite3_total_changes64(db->sql) != db->changes_logged;
}

static int configure(struct pt_db *db, struct pt_err *e)
{
	sqlite3_busy_timeout(db->sql, busy_timeout());
	db->changes_logged = sqlite3_total_changes64(db->sql);
	sqlite3_commit_hook(db->sql, commit_guard, db);
	/* 16 MiB of page cache: a bulk intake updates several indexes at once, and with
	 * SQLite's default 2 MiB it mostly waits for pages it just evicted. */
	if (pt_db_exec(db, "PRAGMA foreign_keys = ON; PRAGMA cache_size = -16384", e))
		return -1;
	return read_version(db, e);
}

int pt_db_prepare_new(struct pt_db *db, struct pt_err *e)
{
	/* SQLite gives the -wal and -shm files the database file's permissions, so making
	 * the file private makes the whole set private. journal_mode is persistent. */
	int rc;

	if (chmod(db->path, 0600) != 0)
		return pt_err_set(e, PT_ECANTCREAT, "cannot make %s private: %s", db->path, strerror(errno));
	/* Not a row: the commit guard lets this one write of the file's header through. */
	db->header_write = true;
	rc = pt_db_exec(db, "PRAGMA journal_mode = WAL", e);
	db->header_write = false;
	return rc;
}

/* Whether the file already holds tables: at version 0 that is another program's database,
 * which init must not add its tables to. */
static bool has_tables(struct pt_db *db)
{
	sqlite3_stmt *st = NULL;
	bool any = false;

	if (sqlite3_prepare_v2(db->sql, "SELECT 1 FROM sqlite_master LIMIT 1", -1, &st, NULL) == SQLITE_OK)
		any = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return any;
}

static int check_version(struct pt_db *db, int flags, struct pt_err *e)
{
	int want = pt_db_schema_version();

	if (db->schema_version > want)
		return pt_err_set(e, PT_ECONFIG,
				  "database %s has schema version %d, newer than this program's %d; use a newer petition",
				  db->path, db->schema_version, want);
	if (db->schema_version == 0 && has_tables(db))
		return pt_err_set(e, PT_ECONFIG, "%s is an SQLite database of another program, not a petition database",
				  db->path);
	if (!(flags & PT_DB_ANY_VERSION) && db->schema_version == 0)
		return pt_err_set(e, PT_ENOINPUT, "%s is not a petition database; run 'petition init' first", db->path);
	if (!(flags & PT_DB_ANY_VERSION) && db->schema_version < want)
		return pt_err_set(e, PT_ECONFIG,
				  "database %s has schema version %d, older than this program's %d; run 'petition init' to upgrade it",
				  db->path, db->schema_version, want);
	return 0;
}

struct pt_db *pt_db_open(const char *path, int flags, const char *program, struct pt_err *e)
{
	struct pt_db *db = pt_xcalloc(1, sizeof *db);
	struct stat sb;
	int rc;

	db->path = pt_xstrdup(path);
	db->program = pt_xstrdup(program);
	db->operator = operator_name();
	if (stat(path, &sb) != 0) {
		pt_err_set(e, PT_ENOINPUT, "no database at %s; run 'petition init' to create one", path);
		goto fail;
	} else if (S_ISDIR(sb.st_mode)) {
		pt_err_set(e, PT_ECANTCREAT, "database %s is a directory", path);
		goto fail;
	}
	/* One connection per process and thread: no need for SQLite's own locking of every call. */
	rc = sqlite3_open_v2(path, &db->sql, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		pt_db_fail(db, rc, "cannot open database", e);
		goto fail;
	}
	if (configure(db, e) || check_version(db, flags, e))
		goto fail;
	return db;
fail:
	pt_db_close(db);
	return NULL;
}

void pt_db_close(struct pt_db *db)
{
	if (!db)
		return;
	pt_db_rollback(db);
	sqlite3_close_v2(db->sql);
	free(db->path);
	free(db->program);
	free(db->operator);
	free(db);
}


int pt_db_migrate(struct pt_db *db, int *applied, struct pt_err *e)
{
	int want = pt_db_schema_version();
	struct pt_buf sql = PT_BUF_INIT;

	*applied = 0;
	if (!db->in_tx)
		return pt_err_set(e, PT_EINTERNAL, "migration outside a transaction");
	if (read_version(db, e))
		return -1;
	while (db->schema_version < want) {
		int v = db->schema_version + 1;

		pt_buf_reset(&sql);
		pt_buf_addf(&sql, "%s\nPRAGMA user_version = %d;\n", pt_schema_sql[v - 1], v);
		if (pt_db_exec(db, sql.buf, e)) {
			pt_err_prefix(e, "cannot upgrade the database to schema version %d", v);
			pt_buf_release(&sql);
			return -1;
		}
		db->schema_version = v;
		(*applied)++;
	}
	pt_buf_release(&sql);
	db->head.valid = false; /* the events table may be new */
	return 0;
}

int pt_db_begin(struct pt_db *db, struct pt_err *e)
{
	int rc = sqlite3_exec(db->sql, "BEGIN IMMEDIATE", NULL, NULL, NULL);

	if (rc != SQLITE_OK)
		return pt_db_fail(db, rc, "cannot start a transaction", e);
	db->in_tx = true;
	db->head.valid = false;
	db->changes_logged = sqlite3_total_changes64(db->sql);
	if (read_version(db, e)) {
		pt_db_rollback(db);
		return -1;
	}
	return 0;
}

int pt_db_commit(struct pt_db *db, struct pt_err *e)
{
	int rc = sqlite3_exec(db->sql, "COMMIT", NULL, NULL, NULL);

	if (rc != SQLITE_OK && sqlite3_extended_errcode(db->sql) == SQLITE_CONSTRAINT_COMMITHOOK) {
		pt_err_set(e, PT_EINTERNAL, "rows of %s were written without an event; nothing was kept", db->path);
		pt_db_rollback(db);
		return -1;
	}
	if (rc != SQLITE_OK) {
		pt_db_fail(db, rc, "cannot commit", e);
		pt_db_rollback(db);
		return -1;
	}
	db->in_tx = false;
	db->changes_logged = sqlite3_total_changes64(db->sql);
	return 0;
}

int pt_db_finish(struct pt_db *db, bool dry_run, int rc, struct pt_err *e)
{
	if (rc || dry_run) {
		pt_db_rollback(db);
		return rc;
	}
	return pt_db_commit(db, e);
}

void pt_db_rollback(struct pt_db *db)
{
	if (db->in_tx && db->sql && !sqlite3_get_autocommit(db->sql))
		sqlite3_exec(db->sql, "ROLLBACK", NULL, NULL, NULL);
	db->in_tx = false;
	if (db->sql)
		db->changes_logged = sqlite3_total_changes64(db->sql);
}
