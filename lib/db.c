#include "db.h"
#include "buf.h"

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <stdint.h>
#include <sys/stat.h>
#include <time.h>
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

int pt_db_cached(struct pt_db *db, const char *sql, sqlite3_stmt **st, struct pt_err *e)
{
	int rc;

	for (size_t i = 0; i < db->ncached; i++)
		if (db->cached[i].sql == sql) {
			*st = db->cached[i].st;
			sqlite3_reset(*st);
			sqlite3_clear_bindings(*st);
			return 0;
		}
	rc = sqlite3_prepare_v3(db->sql, sql, -1, SQLITE_PREPARE_PERSISTENT, st, NULL);
	if (rc != SQLITE_OK)
		return pt_db_fail(db, rc, "cannot read the database", e);
	db->cached = pt_xrealloc(db->cached, (db->ncached + 1) * sizeof *db->cached);
	db->cached[db->ncached].sql = sql;
	db->cached[db->ncached++].st = *st;
	return 0;
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

const char *pt_db_operator(struct pt_db *db)
{
	if (!db->operator)
		db->operator = operator_name();
	return db->operator;
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

/* Waiting for the lock: SQLite's own busy handler sleeps ever longer between tries, 100 ms
 * after the first few, and so would miss the moment an import lets the lock go between two
 * of its slices (change.h, sliced changes) for as long as the import runs. This one tries
 * again every BUSY_POLL_MS until the timeout (ctx: the timeout in milliseconds). */
#define BUSY_POLL_MS 2

static int busy_wait(void *ctx, int tries)
{
	const struct timespec poll = { 0, BUSY_POLL_MS * 1000000L };

	if ((long long)tries * BUSY_POLL_MS >= (intptr_t)ctx)
		return 0;
	nanosleep(&poll, NULL);
	return 1;
}

static void busy_handler(sqlite3 *sql)
{
	sqlite3_busy_handler(sql, busy_wait, (void *)(intptr_t)pt_db_busy_timeout());
}

int pt_db_busy_timeout(void)
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

/* The most fields pt_key_ordered() takes in SQL (SQLite refuses a call with more). */
#define KEY_FIELDS_MAX 16

/* pt_key_ordered(order, field, ...), hash.h: NULL as "". */
static void key_ordered_sql(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
	const char *f[KEY_FIELDS_MAX];

	for (int i = 1; i < argc; i++)
		f[i - 1] = (const char *)sqlite3_value_text(argv[i]);
	sqlite3_result_int64(cx, pt_key_ordered((const char *)sqlite3_value_text(argv[0]), f, argc - 1));
}

/* pt_case_key(case_no), hash.h */
static void case_key_sql(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
	(void)argc;
	sqlite3_result_int64(cx, pt_case_key((const char *)sqlite3_value_text(argv[0])));
}

int pt_db_add_functions(sqlite3 *sql)
{
	const int flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS;
	int rc = SQLITE_OK;

	for (int n = 2; rc == SQLITE_OK && n <= KEY_FIELDS_MAX + 1; n++)
		rc = sqlite3_create_function(sql, "pt_key_ordered", n, flags, NULL, key_ordered_sql, NULL, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_create_function(sql, "pt_case_key", 1, flags, NULL, case_key_sql, NULL, NULL);
	return rc;
}

static int configure(struct pt_db *db, struct pt_err *e)
{
	if (pt_db_add_functions(db->sql) != SQLITE_OK)
		return pt_db_fail(db, SQLITE_ERROR, "cannot add the toolkit's SQL functions", e);
	busy_handler(db->sql);
	db->changes_logged = sqlite3_total_changes64(db->sql);
	sqlite3_commit_hook(db->sql, commit_guard, db);
	/* 16 MiB of page cache: a bulk intake updates several indexes at once, and with
	 * SQLite's default 2 MiB it mostly waits for pages it just evicted. */
	if (pt_db_exec(db, "PRAGMA foreign_keys = ON; PRAGMA cache_size = " PT_DB_CACHE_SIZE, e))
		return -1;
	return read_version(db, e);
}

int pt_db_prepare_new(struct pt_db *db, struct pt_err *e)
{
	/* SQLite gives the -wal and -shm files the database file's permissions, so making
	 * the file private makes the whole set private (pt_db_open made it so, on the file it
	 * checked). journal_mode is persistent. */
	int rc;

	/* Not a row: the commit guard lets this one write of the file's header through. */
	db->header_write = true;
	rc = pt_db_exec(db, "PRAGMA journal_mode = WAL", e);
	db->header_write = false;
	return rc;
}

/* PRAGMA main.journal_mode = mode, the one write of the file's header the commit guard
 * lets through; whether the database is now in that mode. Leaving WAL fails at once while
 * another connection has the database open; coming back to it waits for the readers of the
 * rollback journal's time, as long as the busy timeout. */
static bool set_journal(struct pt_db *db, const char *mode)
{
	struct pt_buf sql = PT_BUF_INIT;
	sqlite3_stmt *q = NULL;
	bool done = false;

	pt_buf_addf(&sql, "PRAGMA main.journal_mode = %s", mode);
	db->header_write = true;
	if (sqlite3_prepare_v2(db->sql, sql.buf, -1, &q, NULL) == SQLITE_OK && sqlite3_step(q) == SQLITE_ROW)
		done = !strcasecmp((const char *)sqlite3_column_text(q, 0), mode);
	sqlite3_finalize(q);
	db->header_write = false;
	pt_buf_release(&sql);
	return done;
}

bool pt_db_journal_rollback(struct pt_db *db)
{
	return !db->in_tx && set_journal(db, "delete");
}

void pt_db_journal_wal(struct pt_db *db)
{
	if (!db->in_tx)
		set_journal(db, "wal");
}

/* Whether the database is in WAL mode. */
static bool in_wal(struct pt_db *db)
{
	sqlite3_stmt *q = NULL;
	bool wal = false;

	if (sqlite3_prepare_v2(db->sql, "PRAGMA main.journal_mode", -1, &q, NULL) == SQLITE_OK &&
	    sqlite3_step(q) == SQLITE_ROW)
		wal = !strcasecmp((const char *)sqlite3_column_text(q, 0), "wal");
	sqlite3_finalize(q);
	return wal;
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

/* ---- what a database file must be (petition(1), SECURITY) ---- */

/* Whether a file that will hold the petitions is ours alone: a regular file, owned by the
 * user we run as, with no permission for anyone else. `what` names it in messages. */
static int private_file(const char *file, const struct stat *sb, const char *what, struct pt_err *e)
{
	if (!S_ISREG(sb->st_mode))
		return pt_err_set(e, PT_ECANTCREAT, "%s %s is not a regular file; refused", what, file);
	if (sb->st_uid != geteuid())
		return pt_err_set(e, PT_ECANTCREAT, "%s %s belongs to another user (uid %ld); a petition database and "
				  "its files must be their owner's alone", what, file, (long)sb->st_uid);
	if (sb->st_mode & 077)
		return pt_err_set(e, PT_ECANTCREAT, "%s %s can be read or written by others (mode %03o); make it "
				  "private: chmod 600 %s", what, file, (unsigned)(sb->st_mode & 0777), file);
	return 0;
}

/* SQLite's files beside the database, which hold its pages too: ours alone when present. */
static int private_companions(const char *path, struct pt_err *e)
{
	static const char *const suffix[] = { "-wal", "-shm", "-journal" };
	struct pt_buf f = PT_BUF_INIT;
	struct stat sb;
	int rc = 0;

	for (size_t i = 0; rc == 0 && i < sizeof suffix / sizeof *suffix; i++) {
		pt_buf_reset(&f);
		pt_buf_addf(&f, "%s%s", path, suffix[i]);
		if (lstat(f.buf, &sb) == 0)
			rc = private_file(f.buf, &sb, "database file", e);
	}
	pt_buf_release(&f);
	return rc;
}

/* A directory others may write to without the sticky bit lets them replace the database
 * file under us: refused for writing. */
static int safe_directory(const char *path, struct pt_err *e)
{
	struct pt_buf dir = PT_BUF_INIT;
	const char *slash = strrchr(path, '/');
	struct stat sb;
	int rc = 0;

	pt_buf_add(&dir, path, slash ? (size_t)(slash - path) + 1 : 0);
	if (!dir.len)
		pt_buf_adds(&dir, "./");
	if (stat(dir.buf, &sb) == 0 && (sb.st_mode & S_IWOTH) && !(sb.st_mode & S_ISVTX))
		rc = pt_err_set(e, PT_ECANTCREAT, "directory %s can be written by anyone (mode %03o), who could replace "
				"the database file in it; keep the database in a directory of your own", dir.buf,
				(unsigned)(sb.st_mode & 0777));
	pt_buf_release(&dir);
	return rc;
}

/* Check the file at path without following a link, and (for writing) that it is ours
 * alone; *sb gets what was checked. An empty file of ours is made private here, on the
 * descriptor checked (init takes such a file over). */
static int check_file(const char *path, bool write, struct stat *sb, struct pt_err *e)
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC), rc = 0;

	if (fd < 0) {
		if (errno == ENOENT)
			return pt_err_set(e, PT_ENOINPUT, "no database at %s; run 'petition init' to create one", path);
		if (errno == ELOOP)
			return pt_err_set(e, PT_ECANTCREAT, "database %s is a symbolic link; give the file itself", path);
		return pt_err_set(e, PT_ECANTCREAT, "cannot open database %s: %s", path, strerror(errno));
	}
	if (fstat(fd, sb) != 0)
		rc = pt_err_set(e, PT_EIO, "cannot read database %s: %s", path, strerror(errno));
	else if (S_ISDIR(sb->st_mode))
		rc = pt_err_set(e, PT_ECANTCREAT, "database %s is a directory", path);
	else if (!S_ISREG(sb->st_mode))
		rc = pt_err_set(e, PT_ECANTCREAT, "database %s is not a regular file; refused", path);
	else if (write && sb->st_size == 0 && sb->st_uid == geteuid() && (sb->st_mode & 077) &&
		 (fchmod(fd, 0600) != 0 || fstat(fd, sb) != 0))
		rc = pt_err_set(e, PT_ECANTCREAT, "cannot make %s private: %s", path, strerror(errno));
	close(fd);          /* before SQLite takes its locks: closing a descriptor drops them */
	if (rc == 0 && write)
		rc = private_file(path, sb, "database", e) || private_companions(path, e) || safe_directory(path, e)
			? -1 : 0;
	return rc;
}

/* The path as an SQLite URI file name, read-only; immutable for a medium nobody writes. */
static void readonly_uri(const char *path, bool immutable, struct pt_buf *uri)
{
	pt_buf_adds(uri, "file:");
	for (const char *p = path; *p; p++)
		if (*p == '%' || *p == '?' || *p == '#')
			pt_buf_addf(uri, "%%%02X", (unsigned char)*p);
		else
			pt_buf_addch(uri, *p);
	pt_buf_adds(uri, immutable ? "?mode=ro&immutable=1" : "?mode=ro");
}

/* Open read-only: a reader needs no write access. Where SQLite cannot share the file with
 * writers (no -shm it may read or create: a read-only medium or directory), the file is
 * read as it is on disk. */
static int open_readonly(struct pt_db *db, bool immutable, struct pt_err *e)
{
	struct pt_buf uri = PT_BUF_INIT;
	int rc;

	readonly_uri(db->path, immutable, &uri);
	rc = sqlite3_open_v2(uri.buf, &db->sql, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX, NULL);
	pt_buf_release(&uri);
	if (rc != SQLITE_OK)
		return pt_db_fail(db, rc, "cannot open database", e);
	return configure(db, e);
}

/* A writer killed in its rollback journal (pt_db_journal_rollback) leaves a journal that
 * must be played back before anyone reads the file, which a read-only connection cannot do
 * (SQLite refuses it, and reading the file as it is on disk would read half a write). The
 * owner of the file plays it back through a connection that may write, as SQLite does for
 * any writer; anyone else is told to have the owner open it. */
static int play_back_journal(struct pt_db *db, struct pt_err *e)
{
	struct stat sb;
	sqlite3 *rw = NULL;
	int rc;

	pt_err_release(e);
	sqlite3_close_v2(db->sql);
	db->sql = NULL;
	if (check_file(db->path, true, &sb, e)) {
		pt_err_release(e);
		return pt_err_set(e, PT_EIO, "database %s holds a write that was cut off (its -journal): it is undone "
				  "when its owner next opens it with any petition command", db->path);
	}
	rc = sqlite3_open_v2(db->path, &rw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc == SQLITE_OK) {
		busy_handler(rw);
		rc = sqlite3_exec(rw, "PRAGMA main.user_version", NULL, NULL, NULL);
	}
	if (rc != SQLITE_OK)
		rc = pt_err_set(e, PT_EIO, "cannot undo the write that was cut off in database %s: %s", db->path,
				rw ? sqlite3_errmsg(rw) : sqlite3_errstr(rc));
	sqlite3_close_v2(rw);
	return rc ? -1 : open_readonly(db, false, e);
}

struct pt_db *pt_db_open(const char *path, int flags, const char *program, struct pt_err *e)
{
	struct pt_db *db = pt_xcalloc(1, sizeof *db);
	bool write = !(flags & PT_DB_READ_ONLY);
	struct stat sb, now;
	int rc;

	db->path = pt_xstrdup(path);
	db->program = pt_xstrdup(program);
	/* A writer's operator now, not under the write lock: the user database may be slow
	 * (LDAP, sssd), and the other writers would wait for it. */
	if (write)
		pt_db_operator(db);
	if (check_file(path, write, &sb, e))
		goto fail;
	if (!write) {
		rc = open_readonly(db, false, e);
		if (rc && db->sql && sqlite3_extended_errcode(db->sql) == SQLITE_READONLY_ROLLBACK)
			rc = play_back_journal(db, e);
		else if (rc && (e->kind == PT_ECANTCREAT || e->kind == PT_EIO)) {
			sqlite3_close_v2(db->sql);
			db->sql = NULL;
			pt_err_release(e);
			rc = open_readonly(db, true, e);
		}
		if (rc)
			goto fail;
	} else {
		/* One connection per process and thread: no need for SQLite's own locking of every call. */
		rc = sqlite3_open_v2(path, &db->sql, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
		if (rc != SQLITE_OK) {
			pt_db_fail(db, rc, "cannot open database", e);
			goto fail;
		}
		if (configure(db, e))
			goto fail;
		/* the file SQLite opened is the one checked, not one swapped in meanwhile */
		if (lstat(path, &now) != 0 || now.st_dev != sb.st_dev || now.st_ino != sb.st_ino) {
			pt_err_set(e, PT_ECANTCREAT, "database %s was replaced while it was being opened; refused", path);
			goto fail;
		}
	}
	if (check_version(db, flags, e))
		goto fail;
	/* an import killed in its rollback journal (pt_db_journal_rollback) left the database
	 * out of WAL: the first writer after it puts it back, when it can */
	if (write && db->schema_version > 0 && !in_wal(db))
		pt_db_journal_wal(db);
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
	for (size_t i = 0; i < db->ncached; i++)
		sqlite3_finalize(db->cached[i].st);
	free(db->cached);
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
