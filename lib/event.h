/* event: the append-only, hash-chained log that every change goes through.
 *
 * Each event row holds who (operator), when (UTC), which program, what kind of change, the
 * case it is about (0 for none) and its data as JSON. Its hash is the SHA-256 of the
 * previous event's hash and its own fields, each added as "<length>:<bytes>" in this order:
 * prev_hash, id, at, operator, program, kind, petition_id ("" for none), data. The first
 * event's prev_hash is 64 zeros. Editing, deleting or inserting a row breaks the chain,
 * which `petition audit verify` checks.
 *
 * Only the write path (change.h) appends, inside its transaction: the chain head is read
 * under the write lock, so two programs never fork the chain. */
#ifndef PT_EVENT_H
#define PT_EVENT_H

#include "buf.h"
#include "db.h"

/* The log's last event: its id and hash (0 and 64 zeros for an empty log). */
int pt_event_head(struct pt_db *db, long long *id, char hash[PT_SHA256_HEX], struct pt_err *e);
/* The id the next appended event will get, inside a transaction (so rows written before
 * it can point to it: the change defers foreign keys). */
int pt_event_next_id(struct pt_db *db, long long *id, struct pt_err *e);

int pt_event_append(struct pt_db *db, const char *kind, long long petition_id,
		    const char *data_json, struct pt_err *e);

/* Compute an event's hash from its fields, as described above. */
void pt_event_hash(const char *prev_hash, long long id, const char *at, const char *operator,
		   const char *program, const char *kind, long long petition_id,
		   const char *data, char out[PT_SHA256_HEX]);

/* JSON helpers for event data: a quoted, escaped string ("null" for NULL); a member
 * "key":"value" of the object being built in b (a comma first unless b ends in '{'). */
void pt_json_quote(struct pt_buf *b, const char *s);
void pt_json_member(struct pt_buf *b, const char *key, const char *value);

/* An event's data in words, for people (petition audit log, petition case show on a
 * terminal): "from → to; on DAY; key: value; ...", a bulk table as "TABLE: N rows added",
 * a list as how many it holds, a hash shortened; nulls left out. pt_event_describe() puts
 * it in w->what, valid until the next call; the statements are prepared once by
 * pt_event_words_init() and freed with the buffers by pt_event_words_release(). */
struct pt_event_words {
	struct pt_db *db;
	sqlite3_stmt *members, *bulk;
	struct pt_buf what, from, to;
};
#define PT_EVENT_WORDS_INIT { NULL, NULL, NULL, PT_BUF_INIT, PT_BUF_INIT, PT_BUF_INIT }
int pt_event_words_init(struct pt_event_words *w, struct pt_db *db, struct pt_err *e);
int pt_event_describe(struct pt_event_words *w, const char *data, struct pt_err *e);
void pt_event_words_release(struct pt_event_words *w);

#endif
