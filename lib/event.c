#include "event.h"
#include "cal.h"

#include <stdio.h>
#include <string.h>

int pt_event_head(struct pt_db *db, long long *id, char hash[PT_SHA256_HEX], struct pt_err *e)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (pt_db_prepare(db, "SELECT id, hash FROM events ORDER BY id DESC LIMIT 1", &st, e))
		return -1;
	rc = sqlite3_step(st);
	*id = 0;
	memset(hash, '0', 64);
	hash[64] = '\0';
	if (rc == SQLITE_ROW) {
		const unsigned char *h = sqlite3_column_text(st, 1);

		*id = sqlite3_column_int64(st, 0);
		if (h && strlen((const char *)h) == 64)
			memcpy(hash, h, 64);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : pt_db_fail(db, rc, "cannot read the event log", e);
}

/* The head the next event chains to, read once per transaction, under its write lock, so
 * that two programs never fork the chain. */
static int head(struct pt_db *db, struct pt_err *e)
{
	if (!db->in_tx)
		return pt_err_set(e, PT_EINTERNAL, "the event log used outside a transaction");
	if (db->head.valid)
		return 0;
	if (pt_event_head(db, &db->head.id, db->head.hash, e))
		return -1;
	db->head.valid = true;
	return 0;
}

int pt_event_next_id(struct pt_db *db, long long *id, struct pt_err *e)
{
	if (head(db, e))
		return -1;
	*id = db->head.id + 1;
	return 0;
}

void pt_event_hash(const char *prev_hash, long long id, const char *at, const char *operator,
		   const char *program, const char *kind, long long petition_id,
		   const char *data, char out[PT_SHA256_HEX])
{
	struct pt_sha256 *h = pt_sha256_new();
	char num[24];

	pt_sha256_field(h, prev_hash);
	snprintf(num, sizeof num, "%lld", id);
	pt_sha256_field(h, num);
	pt_sha256_field(h, at);
	pt_sha256_field(h, operator);
	pt_sha256_field(h, program);
	pt_sha256_field(h, kind);
	if (petition_id > 0)
		snprintf(num, sizeof num, "%lld", petition_id);
	else
		num[0] = '\0';
	pt_sha256_field(h, num);
	pt_sha256_field(h, data);
	pt_sha256_final_hex(h, out);
	pt_sha256_free(h);
}

int pt_event_append(struct pt_db *db, const char *kind, long long petition_id,
		    const char *data_json, struct pt_err *e)
{
	static const char sql[] =
		"INSERT INTO events (id, at, operator, program, kind, petition_id, data, prev_hash, hash)"
		" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
	sqlite3_stmt *st = NULL;
	long long id;
	char at[21], hash[PT_SHA256_HEX];
	int rc;

	if (pt_event_next_id(db, &id, e))
		return -1;
	pt_now_utc(at);
	pt_event_hash(db->head.hash, id, at, pt_db_operator(db), db->program, kind, petition_id,
		      data_json, hash);
	if (pt_db_prepare(db, sql, &st, e))
		return -1;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, at, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, pt_db_operator(db), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, db->program, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, kind, -1, SQLITE_STATIC);
	if (petition_id > 0)
		sqlite3_bind_int64(st, 6, petition_id);
	else
		sqlite3_bind_null(st, 6);
	sqlite3_bind_text(st, 7, data_json, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 8, db->head.hash, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 9, hash, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return pt_db_fail(db, rc, "cannot append to the event log", e);
	db->head.id = id;
	db->changes_logged = sqlite3_total_changes64(db->sql);
	memcpy(db->head.hash, hash, PT_SHA256_HEX);
	return 0;
}

void pt_json_member(struct pt_buf *b, const char *key, const char *value)
{
	if (b->len && b->buf[b->len - 1] != '{')
		pt_buf_addch(b, ',');
	pt_json_quote(b, key);
	pt_buf_addch(b, ':');
	pt_json_quote(b, value);
}

void pt_json_quote(struct pt_buf *b, const char *s)
{
	if (!s) {
		pt_buf_adds(b, "null");
		return;
	}
	pt_buf_addch(b, '"');
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"': pt_buf_adds(b, "\\\""); break;
		case '\\': pt_buf_adds(b, "\\\\"); break;
		case '\n': pt_buf_adds(b, "\\n"); break;
		case '\r': pt_buf_adds(b, "\\r"); break;
		case '\t': pt_buf_adds(b, "\\t"); break;
		default:
			if (*p < 0x20)
				pt_buf_addf(b, "\\u%04x", *p);
			else
				pt_buf_addch(b, *p);
		}
	}
	pt_buf_addch(b, '"');
}

/* ---- an event's data in words ---- */

int pt_event_words_init(struct pt_event_words *w, struct pt_db *db, struct pt_err *e)
{
	w->db = db;
	return pt_db_prepare(db, "SELECT key, type, CASE WHEN type IN ('object', 'array') THEN value ELSE atom END,"
			     " CASE type WHEN 'array' THEN json_array_length(value) END FROM json_each(?1)",
			     &w->members, e) ||
	       pt_db_prepare(db, "SELECT key, json_extract(value, '$.rows') FROM json_each(?1)", &w->bulk, e)
		       ? -1 : 0;
}

int pt_event_describe(struct pt_event_words *l, const char *data, struct pt_err *e)
{
	int rc;

	pt_buf_reset(&l->what);
	pt_buf_reset(&l->from);
	pt_buf_reset(&l->to);
	sqlite3_reset(l->members);
	sqlite3_bind_text(l->members, 1, data, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(l->members)) == SQLITE_ROW) {
		const char *key = (const char *)sqlite3_column_text(l->members, 0);
		const char *type = (const char *)sqlite3_column_text(l->members, 1);
		const char *v = (const char *)sqlite3_column_text(l->members, 2);
		size_t klen = key ? strlen(key) : 0;

		if (!key || !type || !strcmp(type, "null"))
			continue;
		if (!strcmp(key, "from") || !strcmp(key, "to")) {
			pt_buf_adds(key[0] == 'f' ? &l->from : &l->to, v ? v : "");
			continue;
		}
		pt_buf_adds(&l->what, l->what.len ? "; " : "");
		if (!strcmp(key, "bulk") && !strcmp(type, "object")) {
			size_t mark = l->what.len;

			sqlite3_reset(l->bulk);
			sqlite3_bind_text(l->bulk, 1, v, -1, SQLITE_STATIC);
			while ((rc = sqlite3_step(l->bulk)) == SQLITE_ROW)
				pt_buf_addf(&l->what, "%s%s: %s rows added", l->what.len > mark ? "; " : "",
					    sqlite3_column_text(l->bulk, 0), sqlite3_column_text(l->bulk, 1) ? (const char *)sqlite3_column_text(l->bulk, 1) : "");
			if (rc != SQLITE_DONE)
				return pt_db_fail(l->db, rc, "cannot read the event log", e);
		} else if (!strcmp(key, "on")) {
			pt_buf_addf(&l->what, "on %s", v ? v : "");
		} else if (!strcmp(type, "array")) {
			pt_buf_addf(&l->what, "%s: %lld", key, sqlite3_column_int64(l->members, 3));
		} else if (klen >= 6 && !strcmp(key + klen - 6, "sha256") && v && strlen(v) > 12) {
			pt_buf_addf(&l->what, "%s: %.12s…", key, v);
		} else {
			pt_buf_addf(&l->what, "%s: %s", key, v ? v : "");
		}
	}
	if (rc != SQLITE_DONE)
		return pt_db_fail(l->db, rc, "cannot read the event log", e);
	if (l->from.len || l->to.len) {
		struct pt_buf moved = PT_BUF_INIT;

		pt_buf_addf(&moved, "%s → %s%s%s", l->from.len ? l->from.buf : "?", l->to.len ? l->to.buf : "?",
			    l->what.len ? "; " : "", l->what.len ? l->what.buf : "");
		pt_buf_release(&l->what);
		l->what = moved;
	}
	return 0;
}

void pt_event_words_release(struct pt_event_words *w)
{
	sqlite3_finalize(w->members);
	sqlite3_finalize(w->bulk);
	pt_buf_release(&w->what);
	pt_buf_release(&w->from);
	pt_buf_release(&w->to);
	w->members = w->bulk = NULL;
}
