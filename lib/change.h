/* change: the one write path. Every row the toolkit writes goes through a change, and every
 * change ends in exactly one event of the hash-chained log (event.h) in the same transaction.
 *
 *   ch = pt_change_begin(db, rules, bulk, e)   write lock; a database with a trigger petition
 *                                               never made is refused (PT_EIO); rules given
 *                                               with --rules kept first (one 'rules.override'
 *                                               event, once per text)
 *   ... INSERT / UPDATE / DELETE with ordinary SQL, rows pointing to pt_change_event_id(ch)
 *   pt_change_commit(ch, kind, petition_id, data, dry_run, e)    one event, then COMMIT
 *   (or pt_change_abort(ch) on failure: roll back)
 *
 * What an event proves (petition(7), THE LOG): an SQLite session records every row the
 * change writes to the data tables (pt_change_tables), and the commit adds them to the
 * event's data as "rows": [{"t":table,"op":"insert","v":{every column}},
 * {"t":..,"op":"update","k":{key},"v":{changed columns, new values}}, {"t":..,"op":"delete",
 * "k":{key}}]. Replaying the rows of every event in order gives every table as stored
 * (replay.h checks it).
 *
 * A bulk change (an import, a routing run) names the tables it fills in bulk: their rows are
 * not listed but digested ("bulk": {table: {"rows": n, "cols": [...], "sha256": ...}}) by the
 * one digest method, pt_change_digest(): SHA-256 over the rows of the table that point to the
 * event, in id order, each column a field (hash.h) of those the table never changes after
 * creation (pt_change_table.later lists the others with their value at creation), which
 * "cols" names. A column a later migration adds is in no earlier digest: the replay gives
 * the earlier rows its default, as the migration did. Later
 * changes to such a row are rows of their own events, so they never break the digest.
 *
 * db.c refuses (rolls back) any commit that changed rows of the main database after the last
 * event, and any write outside a transaction: a write that bypasses this module is an
 * internal error, not a silent one. A change made of steps that each deserve their own
 * event (init: the schema, then its rules) appends them with pt_change_event().
 *
 * Ownership: pt_change_begin() returns a change that pt_change_commit() or pt_change_abort()
 * frees; everything passed in is borrowed. */
#ifndef PT_CHANGE_H
#define PT_CHANGE_H

#include <stdbool.h>

#include "buf.h"
#include "db.h"
#include "err.h"
#include "hash.h"
#include "rules.h"

/* A column a later event may change, and its value when a bulk change creates the row: an
 * SQL literal, or NULL where the replay works it out (a step's seq). */
struct pt_change_later {
	const char *col, *created;
};

/* A table the log covers: its name, the bit that makes it a bulk table of pt_change_begin()
 * (0: never filled in bulk), and for bulk tables the columns later events change
 * (terminated by a NULL col) and the columns digested by bulk events written before events
 * named their digest's columns (schema 1; NULL-terminated). */
struct pt_change_table {
	const char *name;
	unsigned bulk;
	const struct pt_change_later *later;
	const char *const *first_digest;
};

/* Bulk tables of pt_change_begin(), and for a change that writes most of what the database
 * will hold (a first import), PT_CHANGE_ROLLBACK_JOURNAL: a rollback journal for its
 * transaction when no other connection has the database open, WAL again after it
 * (pt_db_journal_rollback). */
struct pt_change;

enum {
	PT_CHANGE_BULK_PETITIONS = 1 << 0, PT_CHANGE_BULK_STEPS = 1 << 1, PT_CHANGE_ROLLBACK_JOURNAL = 1 << 8,
	PT_CHANGE_SLICED = 1 << 9
};

/* A sliced change (PT_CHANGE_SLICED, with PT_CHANGE_BULK_PETITIONS): an import of many rows
 * into a database in use, which must not keep the write lock from the counter for the whole
 * of its write. Its petitions go in over several short transactions, and nobody sees them
 * until the last commits them with the change's one event (schema/008-imports.sql):
 *
 *   ch = pt_change_begin(db, r, PT_CHANGE_BULK_PETITIONS | PT_CHANGE_SLICED, e)
 *       fails PT_EBUSY while another import is being written; removes the rows of one
 *       whose process is gone; its event number is PT_CHANGE_EVENT_GAP ahead of the next
 *   pt_change_hide(ch, first_id, last_id, e)     the ids its petitions take, hidden from
 *                                                 every reader (PT_SEEN, db.h) from now on
 *   pt_change_hide_seq(ch, unit, year, last, e)  case numbers taken, up to last
 *   ... INSERT petitions, pt_change_digest() them ...
 *   pt_change_slice(ch, e)   commit what is written (still hidden), take the lock again
 *   ...
 *   pt_change_show(ch, e)    its rows seen from here on in this transaction (checks that
 *                            must see them), and by everyone once committed
 *   pt_change_commit()       the event, with the number reserved; shows the rows first
 *   pt_change_abort()        also deletes the rows earlier slices committed
 *
 * Changes that are not imports take the event numbers before a running import's; after
 * PT_CHANGE_EVENT_GAP of them, they fail busy until it is done. */
#define PT_CHANGE_EVENT_GAP 1000
/* Whether the process an import names as its owner (imports.owner) still runs, given
 * when the import started (imports.started): one on another host counts as running, unless
 * it started more than PT_CHANGE_IMPORT_HOURS ago, longer than any import runs (a database
 * copied to another machine, a host renamed). */
#define PT_CHANGE_IMPORT_HOURS 24
bool pt_change_import_running(const char *owner, const char *started);
int pt_change_hide(struct pt_change *ch, long long first_id, long long last_id, struct pt_err *e);
int pt_change_hide_seq(struct pt_change *ch, const char *unit, int year, long long last, struct pt_err *e);
int pt_change_slice(struct pt_change *ch, struct pt_err *e);
int pt_change_show(struct pt_change *ch, struct pt_err *e);

/* The data tables, in the order the replay compares them; NULL-terminated by name. */
extern const struct pt_change_table pt_change_tables[];
const struct pt_change_table *pt_change_table(const char *name);
/* The column of a bulk table that later events may change, or NULL. */
const struct pt_change_later *pt_change_later_col(const struct pt_change_table *t, const char *col);
/* Add the current row of q to a digest: each column as a field (hash.h: its length, ':',
 * its bytes), NULL as "n" and a blob as "b" and a field, so that NULL, '' and a blob of the
 * same bytes all differ (a column's affinity keeps integers and text apart). */
void pt_change_digest_row(struct pt_sha256 *h, sqlite3_stmt *q, struct pt_buf *scratch);

/* A table's columns in order, with their declared type and default (an SQL expression,
 * NULL for none), and those of its primary key (PRAGMA table_info): what the event's rows
 * name; released with pt_change_columns_release(). */
struct pt_change_columns {
	char **name, **type, **dflt, **key;
	int n, nkey;
};
int pt_change_columns(struct pt_db *db, const char *table, struct pt_change_columns *c, struct pt_err *e);
void pt_change_columns_release(struct pt_change_columns *c);


struct pt_change;

/* r may be NULL (no rules involved: init of an empty database). */
struct pt_change *pt_change_begin(struct pt_db *db, const struct pt_rules *r, unsigned bulk,
				  struct pt_err *e);
/* The database the change writes. */
struct pt_db *pt_change_db(const struct pt_change *ch);
/* The id the change's event will get: rows written by the change point to it. */
long long pt_change_event_id(const struct pt_change *ch);
/* The digest's query of a bulk table, into sql: the columns named (cols, n of them), of the
 * rows with event_id ?1 and id in [?2, ?3], in id order (what the replay recomputes); with
 * range, made for a short run of ids (the writer's), else for all of them (the replay's).
 * A writer digests every column no later event changes, and its event names them
 * ("cols"), so that a column a later migration adds never changes an earlier digest. */
int pt_change_digest_sql(const char *table, bool range, char *const *cols, int n, struct pt_buf *sql);
/* The columns a writer digests now (names borrowed from cols, n set): every column of the
 * table but the later ones. out has room for cols->n. */
void pt_change_digest_cols(const struct pt_change_table *t, const struct pt_change_columns *cols, char **out, int *n);
/* Add to the digest of a bulk table the rows with ids in [first, last] that point to the
 * change's event; calls cover increasing, disjoint ranges. */
int pt_change_digest(struct pt_change *ch, const char *table, long long first, long long last,
		     struct pt_err *e);
/* A sliced change whose rows changed after a slice digested them: its digest of table made
 * again from the last run of rows (a pt_change_digest() call) that began at or before id,
 * up to last. */
int pt_change_digest_from(struct pt_change *ch, const char *table, long long id, long long last, struct pt_err *e);
/* Append the event (kind, the case it is about or 0, data: a JSON object of the caller's
 * own members, or NULL) with the rows and digests, then commit; with dry_run, roll back
 * after all the work. Frees ch. */
int pt_change_commit(struct pt_change *ch, const char *kind, long long petition_id, const char *data,
		     bool dry_run, struct pt_err *e);
/* An event in the middle of a change, for a change made of steps that each deserve their
 * own (init: the schema, then the rules it stores): the rows written so far go into it, and
 * the change's event id moves on. */
int pt_change_event(struct pt_change *ch, const char *kind, long long petition_id, const char *data,
		    struct pt_err *e);
/* Roll back and free; ch may be NULL. */
void pt_change_abort(struct pt_change *ch);

/* Store r as the rules in force: a 'load' row, and in data (reset first) the members of the
 * 'rules.load' event that the caller ends the change with. *changed is false, and nothing is
 * written, when they are in force already. */
int pt_change_store_rules(struct pt_change *ch, const struct pt_rules *r, bool *changed, struct pt_buf *data,
			  struct pt_err *e);

#endif
