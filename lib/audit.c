#include "audit.h"
#include "buf.h"
#include "cal.h"
#include "casefile.h"
#include "csv.h"
#include "event.h"
#include "replay.h"
#include "vocab.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct pt_col pt_audit_verify_cols[] = {
	{ "table", false }, { "row", false }, { "case", false }, { "column", false }, { "stored", false },
	{ "expected", false }, { "event", true }, { "what", false },
};
const size_t pt_audit_verify_ncols = sizeof pt_audit_verify_cols / sizeof *pt_audit_verify_cols;

bool pt_audit_head_parse(const char *s, struct pt_audit_head *h)
{
	const char *colon = s ? strchr(s, ':') : NULL;
	char *end;

	if (!colon || colon == s || strlen(colon + 1) != 64 || strspn(colon + 1, "0123456789abcdef") != 64)
		return false;
	h->id = strtoll(s, &end, 10);
	if (end != colon || h->id <= 0 || s[0] == '+' || s[0] == '-')
		return false;
	memcpy(h->hash, colon + 1, PT_SHA256_HEX);
	return true;
}

int pt_audit_head(struct pt_db *db, struct pt_audit_head *h, struct pt_err *e)
{
	return pt_event_head(db, &h->id, h->hash, e);
}

/* The listing of findings: rows written as the replay reports them. */
struct listing {
	struct pt_fmt *out;
	struct pt_err err;       /* the first write error, reported after the replay */
};

static void write_finding(void *ctx, const struct pt_replay_finding *f)
{
	struct listing *l = ctx;
	char ev[24];
	const char *v[8];

	snprintf(ev, sizeof ev, "%lld", f->event_id);
	v[0] = f->table;
	v[1] = f->key;
	v[2] = f->case_no;
	v[3] = f->column;
	v[4] = f->stored;
	v[5] = f->expected;
	v[6] = f->event_id ? ev : NULL;
	v[7] = f->what;
	if (!l->err.kind && l->out)
		pt_fmt_row(l->out, v, &l->err);
}

/* Does the log still hold the head kept outside it (where: "outside it", or in which
 * submission sent)? */
static int check_head(struct pt_db *db, const struct pt_audit_head *kept, const char *where, struct listing *l,
		      struct pt_audit_verify_result *res, struct pt_err *e)
{
	struct pt_buf what = PT_BUF_INIT;
	sqlite3_stmt *q = NULL;
	struct pt_replay_finding f = { "events", NULL, NULL, NULL, NULL, kept->hash, kept->id, NULL };
	char key[32], *stored = NULL;
	int rc;

	if (pt_db_prepare(db, "SELECT hash FROM events WHERE id = ?1", &q, e))
		return -1;
	sqlite3_bind_int64(q, 1, kept->id);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW)
		stored = pt_db_column_dup(q, 0);
	sqlite3_finalize(q);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return pt_db_fail(db, rc, "cannot read the event log", e);
	snprintf(key, sizeof key, "id=%lld", kept->id);
	f.key = key;
	if (!stored)
		pt_buf_addf(&what, "the log no longer holds the head kept %s: its last events were cut off, "
			    "or the database was replaced by an older copy", where);
	else if (strcmp(stored, kept->hash)) {
		f.column = "hash";
		f.stored = stored;
		pt_buf_addf(&what, "the event at the head kept %s is another: the log was rewritten", where);
	}
	if (what.len) {
		f.what = what.buf;
		res->findings++;
		write_finding(l, &f);
	}
	pt_buf_release(&what);
	free(stored);
	return 0;
}

/* The heads kept in the submissions sent up (report submit): each must still be in the log. */
static int check_sent_heads(struct pt_db *db, struct listing *l, struct pt_audit_verify_result *res,
			    struct pt_err *e)
{
	sqlite3_stmt *q = NULL;
	char where[96];
	int rc;

	if (pt_db_prepare(db, "SELECT head_id, head_hash, unit, period, id FROM report_submissions"
			  " WHERE direction = 'sent' ORDER BY id", &q, e))
		return -1;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		struct pt_audit_head h = { sqlite3_column_int64(q, 0), "" };

		snprintf(h.hash, sizeof h.hash, "%s", (const char *)sqlite3_column_text(q, 1));
		snprintf(where, sizeof where, "in the submission sent of %.16s %.16s (report_submissions id=%lld)",
			 (const char *)sqlite3_column_text(q, 2), (const char *)sqlite3_column_text(q, 3),
			 sqlite3_column_int64(q, 4));
		if (check_head(db, &h, where, l, res, e)) {
			sqlite3_finalize(q);
			return -1;
		}
	}
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? 0 : pt_db_fail(db, rc, "cannot read the submissions", e);
}

int pt_audit_verify(struct pt_db *db, const struct pt_audit_head *kept, const struct pt_audit_head *since,
		    const struct pt_progress *progress, struct pt_fmt *out, struct pt_audit_verify_result *res,
		    struct pt_err *e)
{
	struct listing l = { out, PT_ERR_INIT };
	struct pt_replay_result rr;
	int rc;

	memset(res, 0, sizeof *res);
	rc = since ? pt_replay_check_since(db, since->id, since->hash, write_finding, &l, progress, &rr, e)
		   : pt_replay_check(db, write_finding, &l, progress, &rr, e);
	res->events = rr.events;
	res->findings = rr.findings;
	if (rc == 0 && kept)
		rc = check_head(db, kept, "outside the log", &l, res, e);
	if (rc == 0)
		rc = check_sent_heads(db, &l, res, e);
	if (rc == 0 && l.err.kind) {
		pt_err_set(e, l.err.kind, "%s", l.err.msg);
		rc = -1;
	}
	pt_err_release(&l.err);
	return rc;
}

/* ---- the log, for people ---- */

#define LOG_COLS { "id", true }, { "at", false }, { "operator", false }, { "program", false }, \
		 { "kind", false }, { "label", false }, { "case", false }
const struct pt_col pt_audit_log_cols[] = { LOG_COLS, { "what", false } };
const struct pt_col pt_audit_log_json_cols[] = { LOG_COLS, { "data", false } };
const size_t pt_audit_log_ncols = sizeof pt_audit_log_cols / sizeof *pt_audit_log_cols;

static const char *or_empty(const unsigned char *s)
{
	return s ? (const char *)s : "";
}

struct log {
	struct pt_db *db;
	struct pt_event_words words;
	struct pt_buf kinds, at;
};

/* f->kinds as a JSON array of codes (a case event's label taken for its code); a kind
 * neither a case event's nor in the log is a usage error listing those the log holds. */
static int log_kinds(struct log *l, const char *kinds, struct pt_err *e)
{
	struct pt_buf one = PT_BUF_INIT;
	sqlite3_stmt *q = NULL;
	int rc = 0, n = 0;

	pt_buf_adds(&l->kinds, "[");
	for (const char *p = kinds; rc == 0 && *p;) {
		size_t len = strcspn(p, ",");
		char *item = pt_xstrndup(p, len);
		const char *code;

		p += len + (p[len] == ',');
		pt_buf_reset(&one);
		pt_text_trim_into(&one, item);
		free(item);
		if (!one.len)
			continue;
		code = pt_vocab_code(PT_VOCAB_EVENT, one.buf);
		if (!code) {
			rc = pt_db_prepare(l->db, "SELECT EXISTS (SELECT 1 FROM events WHERE kind = ?1)", &q, e);
			if (rc == 0) {
				sqlite3_bind_text(q, 1, one.buf, -1, SQLITE_STATIC);
				rc = sqlite3_step(q) == SQLITE_ROW ? 0 : pt_db_fail(l->db, sqlite3_errcode(l->db->sql),
										 "cannot read the event log", e);
			}
			if (rc == 0 && !sqlite3_column_int(q, 0))
				rc = 1;
			sqlite3_finalize(q);
			q = NULL;
			code = one.buf;
		}
		if (rc == 0) {
			pt_buf_adds(&l->kinds, n++ ? "," : "");
			pt_json_quote(&l->kinds, code);
		}
	}
	pt_buf_adds(&l->kinds, "]");
	if (rc == 0 && n == 0)
		rc = pt_err_field(e, PT_EUSAGE, "", "kind", " names no kind");
	if (rc == 1) {
		struct pt_buf seen = PT_BUF_INIT;
		int s;

		if (pt_db_prepare(l->db, "SELECT kind FROM events GROUP BY kind ORDER BY min(id)", &q, e) == 0) {
			while ((s = sqlite3_step(q)) == SQLITE_ROW)
				pt_buf_addf(&seen, "%s%s", seen.len ? ", " : "", or_empty(sqlite3_column_text(q, 0)));
			sqlite3_finalize(q);
			pt_vocab_suggest(PT_VOCAB_EVENT, one.buf, &seen);
			rc = pt_err_field(e, PT_EUSAGE, "", "kind", " '%s' is no kind of event; the log holds %s", one.buf,
					  seen.len ? seen.buf : "none");
		}
		pt_buf_release(&seen);
	}
	pt_buf_release(&one);
	return rc ? -1 : 0;
}

/* The query for the filter, its parameters numbered: ?1 case, ?2 kinds, ?3 operator, ?4 ?5
 * the range of `at` (UTC). */
static void log_sql(struct pt_buf *sql, const struct pt_audit_log_filter *f)
{
	pt_buf_adds(sql, "SELECT e.id, e.at,"
		    " e.operator, e.program, e.kind, p.case_no,"
		    " CASE WHEN json_valid(e.data) THEN json_remove(e.data, '$.rows') ELSE json_quote(e.data) END,"
		    " json_valid(e.data)"
		    " FROM events e LEFT JOIN petitions p ON p.id = e.petition_id WHERE 1");
	if (f->case_key) /* its events, its intake and the routing runs that gave it steps */
		pt_buf_adds(sql, " AND e.id IN (SELECT id FROM events WHERE petition_id = ?1"
			    " UNION SELECT event_id FROM petitions WHERE id = ?1"
			    " UNION SELECT event_id FROM steps WHERE petition_id = ?1)");
	if (f->kinds)
		pt_buf_adds(sql, " AND e.kind IN (SELECT value FROM json_each(?2))");
	if (f->operator)
		pt_buf_adds(sql, " AND e.operator = ?3");
	if (f->from >= 0)
		pt_buf_adds(sql, " AND e.at >= ?4");
	if (f->to >= 0)
		pt_buf_adds(sql, " AND e.at < ?5");
	pt_buf_adds(sql, " ORDER BY e.id");
}

/* A day's start in UTC, as `at` is written, for a zone `offset` minutes east of UTC (in
 * Beijing: the day before at 16:00). */
static void day_start_utc(long day, int offset, char out[32])
{
	long minutes = day * 1440L - offset;
	char d[PT_DATE_LEN];

	pt_date_format(minutes / 1440 - (minutes % 1440 < 0), d);
	minutes = (minutes % 1440 + 1440) % 1440;
	snprintf(out, 32, "%sT%02ld:%02ld:00Z", d, minutes / 60, minutes % 60);
}

int pt_audit_log(struct pt_db *db, const struct pt_rules *r, const struct pt_audit_log_filter *f, bool json,
		 struct pt_fmt *out, unsigned long long *n, struct pt_err *e)
{
	struct log l = { db, PT_EVENT_WORDS_INIT, PT_BUF_INIT, PT_BUF_INIT };
	struct pt_buf sql = PT_BUF_INIT;
	sqlite3_stmt *q = NULL;
	long long case_id = 0;
	char from[32], to[32];
	int rc;

	*n = 0;
	if (f->from >= 0 && f->to >= 0 && f->from > f->to) {
		pt_date_format(f->from, from);
		pt_date_format(f->to, to);
		pt_err_field(e, PT_EUSAGE, "", "from", " %s is after ", from);
		pt_err_also(e, "to", " %s", to);
		return -1;
	}
	/* one read transaction: the log as of one moment */
	if (pt_db_exec(db, "BEGIN", e))
		return -1;
	rc = f->case_key ? pt_case_id(db, r, f->case_key, &case_id, e) : 0;
	if (rc == 0 && f->kinds)
		rc = log_kinds(&l, f->kinds, e);
	log_sql(&sql, f);
	if (rc == 0)
		rc = pt_db_prepare(db, sql.buf, &q, e);
	if (rc == 0 && !json)
		rc = pt_event_words_init(&l.words, db, e);
	if (rc == 0) {
		sqlite3_bind_int64(q, 1, case_id);
		sqlite3_bind_text(q, 2, l.kinds.buf, -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 3, f->operator, -1, SQLITE_STATIC);
		day_start_utc(f->from, r->utc_offset, from);
		day_start_utc(f->to + 1, r->utc_offset, to);
		sqlite3_bind_text(q, 4, from, -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 5, to, -1, SQLITE_STATIC);
	}
	while (rc == 0 && (rc = sqlite3_step(q)) == SQLITE_ROW) {
		const char *kind = (const char *)sqlite3_column_text(q, 4);
		const char *data = (const char *)sqlite3_column_text(q, 6);
		const char *v[8];

		rc = 0;
		if (!json && !sqlite3_column_int(q, 7)) {
			pt_buf_reset(&l.words.what);
			pt_buf_adds(&l.words.what, "(data that is not JSON: edited; petition audit verify)");
		} else if (!json) {
			rc = pt_event_describe(&l.words, data, e);
		}
		for (int i = 0; i < 4; i++)
			v[i] = (const char *)sqlite3_column_text(q, i);
		pt_buf_reset(&l.at);
		pt_time_show(v[1], r->utc_offset, &l.at);
		v[1] = l.at.buf;
		v[4] = kind;
		v[5] = kind && pt_vocab_index(PT_VOCAB_EVENT, kind) >= 0 ? pt_vocab_label(PT_VOCAB_EVENT, kind) : NULL;
		v[6] = (const char *)sqlite3_column_text(q, 5);
		v[7] = json ? data : l.words.what.buf;
		if (rc == 0)
			rc = pt_fmt_row(out, v, e);
		if (rc == 0)
			(*n)++;
	}
	if (rc == SQLITE_DONE)
		rc = 0;
	else if (rc > 0)
		rc = pt_db_fail(db, rc, "cannot read the event log", e);
	sqlite3_finalize(q);
	pt_event_words_release(&l.words);
	sqlite3_exec(db->sql, "COMMIT", NULL, NULL, NULL);
	pt_buf_release(&sql);
	pt_buf_release(&l.at);
	pt_buf_release(&l.kinds);
	return rc;
}
