/* replay: prove the database from its log (what petition audit verify runs).
 *
 * pt_replay_check() first compares the database's schema with the one the migrations make
 * (a table, column, index or trigger added, dropped or changed is a finding, and the replay
 * stops there: it would run SQL on names it never made), then reads the events in order and
 *   - checks each event's columns hold what the write path writes (types, no NUL bytes)
 *     and the hash chain: each prev_hash is the hash before it, each hash recomputes
 *     (event.h), so an event edited, inserted or deleted in the middle is found, unless
 *     every hash after it was recomputed too: only a head kept outside the database (the
 *     audit's) proves that, as it proves that no events were cut off the end;
 *   - replays what each event says it wrote (change.h: its "rows", and for a bulk event the
 *     rows that point to it, checked against its digest) into a scratch copy of every data
 *     table, in a temporary database (memory does not grow with the log); each event's
 *     data is parsed once; a bulk row's columns that its digest proves and no event has
 *     written since are not copied, and the comparison takes them as proven;
 *   - compares the scratch tables with the stored ones and reports, per row that differs,
 *     the first column that differs (or the row missing on one side), with the event that
 *     last wrote it according to the log.
 * Documented use never produces a finding; a row inserted, deleted or changed behind the
 * toolkit's back always does (a bulk row, as its event's digest no longer matching).
 * pt_replay_check() reads the log and checks the digests in two more threads, each on a
 * read connection of its own (db->path opened again; without one it does the work
 * itself); `each` is called from the caller's thread only, in the same order either way.
 *
 * Reads only: works on a read-only database. The log must have been written by this
 * version's write path from its first event (the 'init' event says "log": 2); a log that
 * does not begin so is one finding and nothing more is judged. Everything passed to `each`
 * is borrowed for the call. */
#ifndef PT_REPLAY_H
#define PT_REPLAY_H

#include "db.h"
#include "err.h"
#include "progress.h"

struct pt_replay_finding {
	const char *table;       /* a data table, or "events" for the chain */
	const char *key;         /* the row: "id=12", "unit=LYS year=2026"; NULL for a bulk digest */
	const char *case_no;     /* the case the row belongs to, when there is one, else NULL */
	const char *column;      /* the first column that differs; NULL when a whole row is missing */
	const char *stored;      /* what the table holds ("NULL" for SQL NULL); NULL: no such row */
	const char *expected;    /* what the log says; NULL: the log has no such row */
	long long event_id;      /* the event that should explain the row; 0 when none */
	const char *what;        /* what is wrong, in words */
};

struct pt_replay_result {
	unsigned long long events, findings;
};

/* progress (may be NULL): now and then, the events replayed of those in the log. */
int pt_replay_check(struct pt_db *db, void (*each)(void *ctx, const struct pt_replay_finding *f), void *ctx,
		    const struct pt_progress *progress, struct pt_replay_result *res, struct pt_err *e);

/* From a checkpoint: event `id` with `hash` (a head verified earlier), for a nightly run on a
 * large log. The log must hold that event with that hash, which must recompute (else one
 * finding and nothing more); then only the events after it are read and replayed, with the
 * checks above: the chain from it, their columns and data, their rows and digests. A row
 * they update or delete is replayed onto the stored row as it is (the events before are not
 * read); only the rows they wrote are compared, and every stored row that points to one of
 * them (event_id) must be one of those. What no later event wrote is not proven: a row or
 * a column edited behind the toolkit's back and not written since is found by
 * pt_replay_check() only. res->events counts the events after the checkpoint. */
int pt_replay_check_since(struct pt_db *db, long long id, const char *hash,
			  void (*each)(void *ctx, const struct pt_replay_finding *f), void *ctx,
			  const struct pt_progress *progress, struct pt_replay_result *res, struct pt_err *e);

/* The database as it stood at event `id` with `hash` (a head a quarterly submission keeps):
 * the events up to it replayed, with the checks above (each finding reported), into
 * temporary tables of the connection that stand in for the stored ones (SQLite reads an
 * unqualified name from the temporary schema first), with the log itself up to that event;
 * so that every later read on db, until it is closed, sees the database as it was then.
 * PT_ENOINPUT when the log does not hold that event with that hash, PT_EDATA when the
 * schema or the log is not the toolkit's. For petition report verify. */
int pt_replay_as_of(struct pt_db *db, long long id, const char *hash,
		    void (*each)(void *ctx, const struct pt_replay_finding *f), void *ctx,
		    struct pt_replay_result *res, struct pt_err *e);

#endif
