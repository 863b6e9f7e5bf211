#include "audit.h"
#include "buf.h"
#include "event.h"
#include "replay.h"

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

/* Does the log still hold the head kept outside it? */
static int check_head(struct pt_db *db, const struct pt_audit_head *kept, struct listing *l,
		      struct pt_audit_verify_result *res, struct pt_err *e)
{
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
		f.what = "the log no longer holds the head kept outside it: its last events were cut off, "
			 "or the database was replaced by an older copy";
	else if (strcmp(stored, kept->hash)) {
		f.column = "hash";
		f.stored = stored;
		f.what = "the event at the head kept outside the log is another: the log was rewritten";
	}
	if (f.what) {
		res->findings++;
		write_finding(l, &f);
	}
	free(stored);
	return 0;
}

int pt_audit_verify(struct pt_db *db, const struct pt_audit_head *kept, struct pt_fmt *out,
		    struct pt_audit_verify_result *res, struct pt_err *e)
{
	struct listing l = { out, PT_ERR_INIT };
	struct pt_replay_result rr;
	int rc;

	memset(res, 0, sizeof *res);
	rc = pt_replay_check(db, write_finding, &l, &rr, e);
	res->events = rr.events;
	res->findings = rr.findings;
	if (rc == 0 && kept)
		rc = check_head(db, kept, &l, res, e);
	if (rc == 0 && l.err.kind) {
		pt_err_set(e, l.err.kind, "%s", l.err.msg);
		rc = -1;
	}
	pt_err_release(&l.err);
	return rc;
}
