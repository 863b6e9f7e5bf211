/* db: the SQLite database file.
 *
 * pt_db_open() opens an existing file, sets a busy timeout, foreign keys and the page cache,
 * and checks PRAGMA user_version against the migrations compiled in from the schema/ files:
 * a newer database is refused, and so is another program's SQLite file; an older one is
 * upgraded only by petition init (lib/init.c), which also creates new files (mode 0600, WAL).
 * Opening never writes to the file. A file opened for writing must be a regular file, not a
 * link, owned by the user we run as and private to them, as must its -wal, -shm and
 * -journal files, in a directory others cannot replace it in; a file opened only to read
 * needs read access alone (petition(1), SECURITY). The struct also carries who is acting and from which
 * program, for the event log. pt_db_close() frees it. */
#ifndef PT_DB_H
#define PT_DB_H

#include <stdbool.h>
#include <sqlite3.h>

#include "err.h"
#include "hash.h"

enum {
	PT_DB_ANY_VERSION = 1 << 1, /* do not require the current schema (for init) */
	PT_DB_READ_ONLY = 1 << 2    /* only read: no write access needed, none possible */
};

struct pt_db {
	sqlite3 *sql;
	char *path;
	char *program;         /* "petition-intake" */
	char *operator;        /* pt_db_operator()'s, once asked */
	int schema_version;    /* PRAGMA user_version when opened (re-read by migrate) */
	bool in_tx;
	/* Rows changed on this connection (sqlite3_total_changes64) when the transaction began
	 * or its last event was appended, with those change.c writes for an import in slices,
	 * which no event lists: db.c refuses a commit that changed rows of the main database
	 * beyond that, rows no event accounts for. */
	long long changes_logged;
	bool header_write;       /* the one write that is not a row: a new file's journal mode */
	/* Statements prepared once for the connection's life (pt_db_cached), by their SQL. */
	struct pt_db_stmt {
		const char *sql;
		sqlite3_stmt *st;
	} *cached;
	size_t ncached;
	/* The event chain's head, kept by event.c: read under the write lock when first needed
	 * in a transaction, forgotten when the transaction ends. */
	struct {
		bool valid;
		long long id;
		char hash[PT_SHA256_HEX];
	} head;
};

/* The petitions an import is still writing in slices are no one's until its last commit
 * (change.h): every query that reads the petitions (other than the replay, which reads the
 * table as stored) leaves their ids out with this condition on the alias a. One import
 * writes at a time, so the ids between the least and the greatest of main.imports are
 * exactly its own; with none, the range is empty. SQLite works out the two sub-queries
 * once a statement. */
#define PT_SEEN(a) " " a ".id NOT BETWEEN (SELECT coalesce(min(first_id), 1) FROM main.imports)" \
	" AND (SELECT coalesce(max(last_id), 0) FROM main.imports) "

/* Number of migrations compiled in: the schema version this program writes. */
int pt_db_schema_version(void);
/* The migrations compiled in (the schema/ files), NULL-terminated. */
const char *const *pt_db_migrations(void);
/* The toolkit's SQL functions, which the migrations, intake and the replay use:
 * pt_key_ordered() and pt_case_key() of hash.h. pt_db_open() adds them to its connection; this is for another
 * connection that runs the migrations (the replay's reference schema). SQLITE_OK or an error. */
int pt_db_add_functions(sqlite3 *sql);

struct pt_db *pt_db_open(const char *path, int flags, const char *program, struct pt_err *e);
/* Who acts, for the events: PETITION_OPERATOR, else the login name (the user database's
 * name of the effective user, else LOGNAME), else "unknown". Looked up when a database is
 * opened for writing, and by a reader only if it asks: the user database costs a reader's
 * start-up. */
const char *pt_db_operator(struct pt_db *db);
void pt_db_close(struct pt_db *db);

/* Inside the caller's transaction (so under the write lock): read the schema version again
 * and apply the migrations the database lacks. *applied gets how many were applied. */
int pt_db_migrate(struct pt_db *db, int *applied, struct pt_err *e);
/* Make a database that has no schema yet owner-only and WAL (outside a transaction). */
int pt_db_prepare_new(struct pt_db *db, struct pt_err *e);

/* The journal of a transaction that writes most of what the database will hold (a first
 * import): outside a transaction, a rollback journal instead of WAL, which writes every page
 * twice (to the -wal file, then to the database), when no other connection has the database
 * open (leaving WAL needs that); whether it switched. Until pt_db_journal_wal() the other
 * programs that open the database read and write it through the rollback journal, and a
 * reader waits, as long as the busy timeout, while the transaction writes to the file.
 * pt_db_journal_wal() goes back to WAL, when no reader is in the way (else the next program
 * that opens the database for writing does: pt_db_open). */
bool pt_db_journal_rollback(struct pt_db *db);
void pt_db_journal_wal(struct pt_db *db);

/* How long, in milliseconds, to wait for another program's write lock: PETITION_BUSY_TIMEOUT
 * or 10 seconds. */
int pt_db_busy_timeout(void);

/* The main database's page cache, as PRAGMA cache_size takes it (KiB when negative): 16 MiB,
 * set on every connection (an import makes it smaller for a while: lib/intake.c). */
#define PT_DB_CACHE_SIZE "-16384"

/* BEGIN IMMEDIATE (the write lock, so two writers queue instead of deadlocking). */
int pt_db_begin(struct pt_db *db, struct pt_err *e);
int pt_db_commit(struct pt_db *db, struct pt_err *e);
/* Roll back if a transaction is open; never fails (errors are ignored: the caller is
 * already reporting one). */
void pt_db_rollback(struct pt_db *db);
/* End a change's transaction: commit when rc is 0 and it is not a dry run, else roll back.
 * Returns rc, or -1 when the commit fails. */
int pt_db_finish(struct pt_db *db, bool dry_run, int rc, struct pt_err *e);

int pt_db_exec(struct pt_db *db, const char *sql, struct pt_err *e);
int pt_db_prepare(struct pt_db *db, const char *sql, sqlite3_stmt **st, struct pt_err *e);
/* A statement for `sql`, prepared once per connection and kept until pt_db_close(), for
 * the look-ups a command repeats for every case (casefile's loaders): preparing costs more
 * than running them. `sql` must outlive db (a string literal); it is known by its address.
 * The statement comes reset with its bindings cleared; the caller resets it when done with
 * it (sqlite3_reset, never sqlite3_finalize), so that it holds no read transaction open. */
int pt_db_cached(struct pt_db *db, const char *sql, sqlite3_stmt **st, struct pt_err *e);
/* Turn an SQLite result code into an error of the right kind (busy → 75, read-only or
 * cannot open → 73, I/O, full, corrupt → 74, constraint → 65, else 70) with `what`. */
int pt_db_fail(struct pt_db *db, int rc, const char *what, struct pt_err *e);

/* Bind text, or NULL when s is NULL or empty. */
int pt_db_bind_text(sqlite3_stmt *st, int i, const char *s);
/* A copy of column i of the current row (the caller frees it), NULL for SQL NULL. */
char *pt_db_column_dup(sqlite3_stmt *st, int i);

#endif
