#include "submission.h"
#include "cal.h"
#include "change.h"
#include "deadline.h"
#include "event.h"
#include "outfile.h"
#include "hash.h"
#include "replay.h"
#include "vocab.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- the file ---- */

static const char *level_code(const struct pt_unit *u)
{
	return pt_vocab_code_at(PT_VOCAB_LEVEL, u->level);
}

/* Every part of the report as {"A": {"title": ..., "rows": [...]}, ...}: each part's rows
 * as the json formatter writes them, so that a part the report gains comes in too. */
static int parts_json(const struct pt_report *rep, struct pt_buf *out, struct pt_err *e)
{
	struct pt_fmt_opts fo = { .format = PT_FMT_JSON };

	pt_buf_addch(out, '{');
	for (int p = 0; p < PT_REPORT_NPARTS; p++) {
		char *text = NULL;
		size_t len = 0, ncols;
		const struct pt_col *cols = pt_report_cols((enum pt_report_part)p, &ncols);
		FILE *mem = open_memstream(&text, &len);
		struct pt_fmt *f;
		int rc;

		if (!mem)
			abort();
		if (!(f = pt_fmt_new(mem, &fo, cols, ncols, e))) {
			fclose(mem);
			free(text);
			return -1;
		}
		rc = pt_report_write(rep, (enum pt_report_part)p, f, e);
		rc = rc ? (pt_fmt_free(f), -1) : pt_fmt_finish(f, e);
		fclose(mem);
		if (rc == 0) {
			if (p)
				pt_buf_addch(out, ',');
			pt_json_quote(out, pt_report_part_name((enum pt_report_part)p));
			pt_buf_adds(out, ":{\"title\":");
			pt_json_quote(out, pt_report_part_title((enum pt_report_part)p));
			pt_buf_adds(out, ",\"rows\":");
			while (len && (text[len - 1] == '\n' || text[len - 1] == ' '))
				len--;
			pt_buf_add(out, text, len);
			pt_buf_addch(out, '}');
		}
		free(text);
		if (rc)
			return -1;
	}
	pt_buf_addch(out, '}');
	return 0;
}

struct head {
	long long id;
	char hash[PT_SHA256_HEX];
};

/* The file: every member but the digest, then the digest over those bytes. */
static void file_make(const struct pt_unit *u, const struct pt_report *rep, const struct pt_rules *r,
		      const struct head *h, const char *made_at, const char *made_by, const char *parts,
		      struct pt_buf *out)
{
	char day[PT_DATE_LEN], hex[PT_SHA256_HEX];

	pt_buf_reset(out);
	pt_buf_addf(out, "{\"format\":\"%s\",\"version\":%d,\"unit\":", PT_SUBMISSION_FORMAT, PT_SUBMISSION_VERSION);
	pt_json_quote(out, u->code);
	pt_buf_adds(out, ",\"name\":");
	pt_json_quote(out, u->name);
	pt_buf_addf(out, ",\"level\":\"%s\",\"period\":", level_code(u));
	pt_json_quote(out, rep->o.period.name);
	pt_date_format(rep->o.period.from, day);
	pt_buf_addf(out, ",\"from\":\"%s\"", day);
	pt_date_format(rep->o.period.to, day);
	pt_buf_addf(out, ",\"to\":\"%s\"", day);
	pt_date_format(rep->o.today, day);
	pt_buf_addf(out, ",\"submitted_on\":\"%s\",\"made_at\":\"%s\",\"made_by\":", day, made_at);
	pt_json_quote(out, made_by);
	pt_buf_addf(out, ",\"rules_sha256\":\"%s\",\"head\":{\"id\":%lld,\"hash\":\"%s\"},\"parts\":%s", r->sha256,
		    h->id, h->hash, parts);
	pt_sha256_hex(out->buf, out->len, hex);
	pt_buf_addf(out, ",\"sha256\":\"%s\"}\n", hex);
}

/* Write the file under its temporary name (outfile.h), on the disk before the submission
 * is recorded; the caller moves it into place once it is, or removes it. */
static int file_write_tmp(struct pt_outfile *w, const char *path, const struct pt_buf *b, struct pt_err *e)
{
	size_t done = 0;

	if (pt_outfile_open(w, path, e))
		return -1;
	while (done < b->len) {
		ssize_t n = write(w->fd, b->buf + done, b->len - done);

		if (n > 0)
			done += (size_t)n;
		else if (n == 0 ? (errno = EIO) : errno != EINTR)
			break;
	}
	if (done == b->len && fsync(w->fd) == 0)
		return 0;
	pt_err_set(e, PT_EIO, "cannot write %s: %s", path, strerror(errno));
	pt_outfile_abort(w);
	return -1;
}

static int file_read(const char *path, struct pt_buf *out, struct pt_err *e)
{
	if (pt_buf_read_file(out, path, 0) == 0)
		return 0;
	return pt_err_set(e, errno == ENOENT ? PT_ENOINPUT : PT_EIO, "cannot read %s: %s", path, strerror(errno));
}

static bool is_hex64(const char *s)
{
	if (!s || strlen(s) != 64)
		return false;
	for (; *s; s++)
		if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f')))
			return false;
	return true;
}

/* A submission file as read and checked. */
struct file {
	const char *path;
	struct pt_buf text;
	char sha256[PT_SHA256_HEX];
	char *unit, *period, *submitted_on, *made_at, *rules_sha256, *head_hash, *parts;
	long long head_id;
	struct pt_period p;
	long day;                /* submitted_on */
};

static void file_release(struct file *f)
{
	pt_buf_release(&f->text);
	free(f->unit);
	free(f->period);
	free(f->submitted_on);
	free(f->made_at);
	free(f->rules_sha256);
	free(f->head_hash);
	free(f->parts);
	memset(f, 0, sizeof *f);
}

/* The file is bad: PT_EDATA with its name and what is wrong. */
static int bad(struct pt_err *e, const struct file *f, const char *msg)
{
	return pt_err_set(e, PT_EDATA, "%s: %s", f->path, msg);
}

/* The digest: the file ends in the digest member, whose value is the SHA-256 of every byte
 * before it. */
static int file_digest(struct file *f, struct pt_err *e)
{
	static const char head[] = ",\"sha256\":\"";
	const char *t = f->text.buf;
	size_t n = f->text.len;
	char hex[PT_SHA256_HEX];

	if (n < PT_SUBMISSION_TAIL + 2 || memcmp(t + n - PT_SUBMISSION_TAIL, head, sizeof head - 1) ||
	    memcmp(t + n - 3, "\"}\n", 3))
		return bad(e, f, "not a submission file: it does not end with its digest (,\"sha256\":\"...\"})");
	memcpy(f->sha256, t + n - PT_SUBMISSION_TAIL + sizeof head - 1, 64);
	f->sha256[64] = '\0';
	pt_sha256_hex(t, n - PT_SUBMISSION_TAIL, hex);
	if (strcmp(hex, f->sha256))
		return bad(e, f, "the digest does not match the content: the file was changed after it was made");
	return 0;
}

/* The members, through SQLite's JSON functions. */
static int file_members(struct pt_db *db, struct file *f, struct pt_err *e)
{
	static const char sql[] =
		"SELECT json_valid(?1), CASE WHEN json_valid(?1) THEN json_extract(?1, '$.format') END,"
		" CASE WHEN json_valid(?1) THEN json_extract(?1, '$.version') END,"
		" CASE WHEN json_valid(?1) THEN json_type(?1, '$.version') END,"
		" CASE WHEN json_valid(?1) THEN json_extract(?1, '$.unit') END,"
		" CASE WHEN json_valid(?1) THEN json_extract(?1, '$.period') END,"
		" CASE WHEN json_valid(?1) THEN json_extract(?1, '$.submitted_on') END,"
		" CASE WHEN json_valid(?1) THEN json_extract(?1, '$.made_at') END,"
		" CASE WHEN json_valid(?1) THEN json_extract(?1, '$.rules_sha256') END,"
		" CASE WHEN json_valid(?1) AND json_type(?1, '$.head.id') = 'integer' THEN json_extract(?1, '$.head.id') END,"
		" CASE WHEN json_valid(?1) THEN json_extract(?1, '$.head.hash') END,"
		" CASE WHEN json_valid(?1) AND json_type(?1, '$.parts.A.rows') = 'array' THEN json_extract(?1, '$.parts') END";
	sqlite3_stmt *q = NULL;
	int rc;

	if (pt_db_prepare(db, sql, &q, e))
		return -1;
	sqlite3_bind_text(q, 1, f->text.buf, (int)f->text.len, SQLITE_STATIC);
	if ((rc = sqlite3_step(q)) != SQLITE_ROW) {
		sqlite3_finalize(q);
		return pt_db_fail(db, rc, "cannot read a submission", e);
	}
	if (!sqlite3_column_int(q, 0))
		rc = bad(e, f, "not JSON");
	else if (!sqlite3_column_text(q, 1) || strcmp((const char *)sqlite3_column_text(q, 1), PT_SUBMISSION_FORMAT))
		rc = bad(e, f, "field 'format': not \"" PT_SUBMISSION_FORMAT "\"");
	else if (!sqlite3_column_text(q, 3) || strcmp((const char *)sqlite3_column_text(q, 3), "integer") ||
		 sqlite3_column_int64(q, 2) != PT_SUBMISSION_VERSION)
		rc = bad(e, f, "field 'version': not a version this program reads (1)");
	else {
		f->unit = pt_db_column_dup(q, 4);
		f->period = pt_db_column_dup(q, 5);
		f->submitted_on = pt_db_column_dup(q, 6);
		f->made_at = pt_db_column_dup(q, 7);
		f->rules_sha256 = pt_db_column_dup(q, 8);
		f->head_id = sqlite3_column_int64(q, 9);
		f->head_hash = pt_db_column_dup(q, 10);
		f->parts = pt_db_column_dup(q, 11);
		rc = 0;
	}
	sqlite3_finalize(q);
	return rc;
}

/* Read a file and check everything that does not depend on the rules. */
static int file_load(struct pt_db *db, const char *path, struct file *f, struct pt_err *e)
{
	struct pt_err pe = PT_ERR_INIT;

	memset(f, 0, sizeof *f);
	f->path = path;
	if (file_read(path, &f->text, e) || file_digest(f, e) || file_members(db, f, e))
		return -1;
	if (!f->unit || !*f->unit)
		return bad(e, f, "field 'unit': missing");
	if (!f->submitted_on || !pt_date_parse(f->submitted_on, &f->day))
		return bad(e, f, "field 'submitted_on': not a date");
	if (!f->period || pt_report_period(f->period, f->day, &f->p, &pe) || strcmp(f->p.name, f->period)) {
		pt_err_release(&pe);
		return bad(e, f, "field 'period': not a period (2026Q3, 2026H1, 2026, 2026-07)");
	}
	if (f->p.to >= f->day)
		return bad(e, f, "field 'period': it had not ended when the submission was made");
	if (!f->made_at || strlen(f->made_at) != 20 || f->made_at[19] != 'Z')
		return bad(e, f, "field 'made_at': not a UTC time (2026-10-09T01:02:03Z)");
	if (!is_hex64(f->rules_sha256))
		return bad(e, f, "field 'rules_sha256': not a SHA-256 in hex");
	if (f->head_id <= 0 || !is_hex64(f->head_hash))
		return bad(e, f, "field 'head': not an event id and a SHA-256 in hex");
	if (!f->parts)
		return bad(e, f, "field 'parts': no part A rows");
	return 0;
}

/* ---- the rows ---- */

/* The current submission (none supersedes it) of a unit and period, sent or received: its
 * id (0 for none) and, when wanted, its digest. */
static int current(struct pt_db *db, sqlite3_stmt **st, bool sent, const char *unit, const char *period,
		   long long *id, char sha256[PT_SHA256_HEX], char day[PT_DATE_LEN], struct pt_err *e)
{
	static const char sql[] =
		"SELECT s.id, s.sha256, s.submitted_on FROM report_submissions s WHERE s.direction = ?1 AND s.unit = ?2"
		" AND s.period = ?3 AND NOT EXISTS (SELECT 1 FROM report_submissions n WHERE n.supersedes = s.id)";
	sqlite3_stmt *q;
	int rc;

	if (!*st && pt_db_prepare(db, sql, st, e))
		return -1;
	q = *st;
	sqlite3_reset(q);
	sqlite3_bind_text(q, 1, sent ? "sent" : "received", -1, SQLITE_STATIC);
	pt_db_bind_text(q, 2, unit);
	pt_db_bind_text(q, 3, period);
	*id = 0;
	if ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		*id = sqlite3_column_int64(q, 0);
		if (sha256)
			snprintf(sha256, PT_SHA256_HEX, "%s", (const char *)sqlite3_column_text(q, 1));
		if (day)
			snprintf(day, PT_DATE_LEN, "%s", (const char *)sqlite3_column_text(q, 2));
	}
	sqlite3_reset(q);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : pt_db_fail(db, rc, "cannot read the submissions", e);
}

int pt_submission_day(struct pt_db *db, sqlite3_stmt **q, bool sent, const char *unit, const char *period, long *day,
		      bool *found, struct pt_err *e)
{
	long long id;
	char d[PT_DATE_LEN] = "";

	if (current(db, q, sent, unit, period, &id, NULL, d, e))
		return -1;
	*found = id && pt_date_parse(d, day);
	return 0;
}

/* One row of report_submissions, and the event data that says what it is. */
struct row {
	bool sent;
	const struct file *f;    /* its members */
	const char *received_on;
	long long supersedes;
	const char *reason;
};

static int row_insert(struct pt_change *ch, sqlite3_stmt **st, const struct row *w, struct pt_buf *data,
		      struct pt_err *e)
{
	static const char sql[] =
		"INSERT INTO report_submissions (direction, unit, period, submitted_on, received_on, made_at, head_id,"
		" head_hash, rules_sha256, sha256, content, supersedes, reason, event_id)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)";
	struct pt_db *db = pt_change_db(ch);
	const struct file *f = w->f;
	sqlite3_stmt *q;
	int rc;

	if (!*st && pt_db_prepare(db, sql, st, e))
		return -1;
	q = *st;
	sqlite3_reset(q);
	sqlite3_clear_bindings(q);
	sqlite3_bind_text(q, 1, w->sent ? "sent" : "received", -1, SQLITE_STATIC);
	pt_db_bind_text(q, 2, f->unit);
	pt_db_bind_text(q, 3, f->period);
	pt_db_bind_text(q, 4, f->submitted_on);
	pt_db_bind_text(q, 5, w->received_on);
	pt_db_bind_text(q, 6, f->made_at);
	sqlite3_bind_int64(q, 7, f->head_id);
	pt_db_bind_text(q, 8, f->head_hash);
	pt_db_bind_text(q, 9, f->rules_sha256);
	pt_db_bind_text(q, 10, f->sha256);
	sqlite3_bind_text(q, 11, f->text.buf, (int)f->text.len, SQLITE_STATIC);
	if (w->supersedes)
		sqlite3_bind_int64(q, 12, w->supersedes);
	pt_db_bind_text(q, 13, w->reason);
	sqlite3_bind_int64(q, 14, pt_change_event_id(ch));
	rc = sqlite3_step(q);
	sqlite3_reset(q);
	if (rc != SQLITE_DONE)
		return pt_db_fail(db, rc, "cannot record the submission", e);
	pt_buf_reset(data);
	pt_buf_addch(data, '{');
	pt_json_member(data, "unit", f->unit);
	pt_json_member(data, "period", f->period);
	pt_json_member(data, "sha256", f->sha256);
	if (w->supersedes)
		pt_buf_addf(data, ",\"supersedes\":%lld", w->supersedes);
	if (w->reason)
		pt_json_member(data, "reason", w->reason);
	pt_buf_addch(data, '}');
	return 0;
}

/* ---- submit ---- */

/* Whether the log holds an event after `id` that may change the figures: any but the
 * 'rules.override' that a run with --rules adds (rules rows only, which no figure counts). */
static int moved_since(struct pt_db *db, long long id, bool *moved, struct pt_err *e)
{
	sqlite3_stmt *q = NULL;
	int rc;

	if (pt_db_prepare(db, "SELECT EXISTS (SELECT 1 FROM events WHERE id > ?1 AND kind <> 'rules.override')", &q, e))
		return -1;
	sqlite3_bind_int64(q, 1, id);
	if ((rc = sqlite3_step(q)) == SQLITE_ROW)
		*moved = sqlite3_column_int(q, 0);
	sqlite3_finalize(q);
	return rc == SQLITE_ROW ? 0 : pt_db_fail(db, rc, "cannot read the event log", e);
}

/* The figures, made outside the change (the report reads in a transaction of its own), and
 * the head they are of, read before them; under the change's write lock, when an event came
 * after that head, the figures may be of a later state, and they are made again. */
static int submit_once(struct pt_db *db, const struct pt_rules *r, const struct pt_submission_opts *o,
		       const struct pt_unit *u, struct pt_buf *content, bool *moved, struct pt_err *e)
{
	struct pt_report_opts ro = { .period = o->period, .unit = u->code, .today = pt_date_today() };
	struct pt_report rep;
	struct pt_buf parts = PT_BUF_INIT, data = PT_BUF_INIT;
	struct pt_change *ch = NULL;
	struct head before;
	struct file f;
	struct row w = { .sent = true, .reason = o->reason };
	struct pt_outfile out = { NULL, NULL, -1 };
	char made_at[21];
	sqlite3_stmt *find = NULL, *insert = NULL;
	int rc;

	memset(&f, 0, sizeof f);
	memset(&rep, 0, sizeof rep);
	*moved = false;
	rc = pt_event_head(db, &before.id, before.hash, e);
	if (rc == 0)
		rc = pt_report_compute(db, r, &ro, &rep, e);
	if (rc == 0)
		rc = parts_json(&rep, &parts, e);
	if (rc == 0 && !(ch = pt_change_begin(db, r, 0, e)))
		rc = -1;
	if (rc == 0)
		rc = moved_since(db, before.id, moved, e);
	if (rc == 0 && *moved)
		goto out;
	if (rc == 0) {
		pt_now_utc(made_at);
		file_make(u, &rep, r, &before, made_at, pt_db_operator(db), parts.buf, content);
		f.path = o->output ? o->output : "(submission)";
		pt_buf_add(&f.text, content->buf, content->len);
		rc = file_digest(&f, e) || file_members(db, &f, e) ? -1 : 0;
	}
	if (rc == 0)
		rc = current(db, &find, true, u->code, rep.o.period.name, &w.supersedes, NULL, NULL, e);
	w.f = &f;
	if (rc == 0)
		rc = row_insert(ch, &insert, &w, &data, e);
	if (rc == 0 && o->output && !o->dry_run)
		rc = file_write_tmp(&out, o->output, content, e);
	if (rc == 0) {
		rc = pt_change_commit(ch, "report_submitted", 0, data.buf, o->dry_run, e);
		ch = NULL;
	}
	if (rc == 0 && out.tmp && pt_outfile_commit(&out, out.fd, e)) {
		pt_err_also(e, NULL, " (the submission is recorded: submit again to make the file)");
		rc = -1;
	}
out:
	sqlite3_finalize(find);
	sqlite3_finalize(insert);
	pt_outfile_abort(&out);
	if (out.fd >= 0)
		close(out.fd);
	pt_change_abort(ch);
	file_release(&f);
	pt_buf_release(&parts);
	pt_buf_release(&data);
	pt_report_release(&rep);
	return rc;
}

int pt_submission_submit(struct pt_db *db, const struct pt_rules *r, const struct pt_submission_opts *o,
			 struct pt_buf *content, struct pt_err *e)
{
	const char *code = o->unit ? o->unit : r->office;
	const struct pt_unit *u = code ? pt_rules_unit(r, code) : NULL;
	bool moved = true;

	if (!u)
		return pt_rules_unknown(r, PT_RULES_UNITS, e, PT_EUSAGE, "unit", code ? code : "");
	for (int tries = 0; moved && tries < 3; tries++)
		if (submit_once(db, r, o, u, content, &moved, e))
			return -1;
	if (moved)
		return pt_err_set(e, PT_EBUSY, "the database kept changing while the figures were made: try again");
	return 0;
}

/* ---- receive ---- */

/* The rules' checks: a unit one level below the office. */
static int file_check_unit(const struct pt_rules *r, const struct file *f, struct pt_err *e)
{
	const struct pt_unit *u = pt_rules_unit(r, f->unit);

	if (!u || strcmp(u->code, f->unit) || !u->parent || !r->office || strcmp(u->parent, r->office)) {
		pt_err_set(e, PT_EDATA, "%s: field 'unit': '%s' is not a unit below %s in the rules (petition rules show)",
			   f->path, f->unit, r->office ? r->office : "the office");
		return -1;
	}
	return 0;
}

/* A receiving run: its change and the statements it reuses for each file. */
struct receiving {
	struct pt_change *ch;
	sqlite3_stmt *find, *insert;
};

/* Check and store one file; *out what became of it (data: the event's, when stored). */
static int receive_one(struct receiving *rv, const struct pt_rules *r, const char *path,
		       const struct pt_submission_receive_opts *o, enum pt_submission_outcome *out, struct pt_buf *data,
		       struct pt_err *e)
{
	struct pt_db *db = pt_change_db(rv->ch);
	struct file f;
	char have[PT_SHA256_HEX], today[PT_DATE_LEN];
	struct row w = { .sent = false, .received_on = today };
	int rc;

	pt_date_format(pt_date_today(), today);
	rc = file_load(db, path, &f, e);
	if (rc == 0)
		rc = file_check_unit(r, &f, e);
	if (rc == 0)
		rc = current(db, &rv->find, false, f.unit, f.period, &w.supersedes, have, NULL, e);
	if (rc == 0 && w.supersedes && !strcmp(have, f.sha256)) {
		*out = PT_SUBMISSION_SAME;
		goto done;
	}
	if (rc == 0 && w.supersedes && !o->replace)
		rc = pt_err_set(e, PT_EDATA,
				"%s: %s %s was received before (sha256 %.12s...) and this one differs: it replaces it only"
				" with --replace --reason TEXT", path, f.unit, f.period, have);
	if (rc == 0 && w.supersedes)
		w.reason = o->reason;
	w.f = &f;
	if (rc == 0)
		rc = row_insert(rv->ch, &rv->insert, &w, data, e);
	if (rc == 0)
		*out = w.supersedes ? PT_SUBMISSION_REPLACED : PT_SUBMISSION_STORED;
done:
	file_release(&f);
	return rc;
}

int pt_submission_receive(struct pt_db *db, const struct pt_rules *r, char *const *files, int n,
			  const struct pt_submission_receive_opts *o, enum pt_submission_outcome *outcomes,
			  struct pt_err *e)
{
	struct receiving rv = { NULL, NULL, NULL };
	struct pt_buf data = PT_BUF_INIT, pending = PT_BUF_INIT;
	bool have_pending = false;
	int rc = 0;

	if (o->replace && (!o->reason || !*o->reason))
		return pt_err_field(e, PT_EUSAGE, "", "reason", " is needed with --replace: why the submission is replaced");
	if (!(rv.ch = pt_change_begin(db, r, 0, e)))
		return -1;
	/* One event per file stored: each one's is appended when the next one is stored, the
	 * last one's with the commit. */
	for (int i = 0; rc == 0 && i < n; i++) {
		pt_buf_reset(&data);
		if (have_pending && (rc = pt_change_event(rv.ch, "report_received", 0, pending.buf, e)))
			break;
		have_pending = false;
		rc = receive_one(&rv, r, files[i], o, &outcomes[i], &data, e);
		if (rc == 0 && outcomes[i] != PT_SUBMISSION_SAME) {
			pt_buf_reset(&pending);
			pt_buf_add(&pending, data.buf, data.len);
			have_pending = true;
		}
	}
	sqlite3_finalize(rv.find);
	sqlite3_finalize(rv.insert);
	if (rc == 0 && have_pending)
		rc = pt_change_commit(rv.ch, "report_received", 0, pending.buf, o->dry_run, e);
	else
		pt_change_abort(rv.ch);
	pt_buf_release(&data);
	pt_buf_release(&pending);
	return rc;
}

/* ---- the roll-up ---- */

struct pt_submission_rollup_unit {
	const struct pt_unit *u;
	bool submitted;
	long long *a;            /* the total row of its current submission */
	char submitted_on[PT_DATE_LEN], received_on[PT_DATE_LEN];
	long long revisions;
};

const struct pt_col pt_submission_status_cols[] = {
	{ "unit", false }, { "name", false }, { "due", false }, { "submitted_on", false }, { "received_on", false },
	{ "revisions", true }, { "state", false },
};
const size_t pt_submission_status_ncols = sizeof pt_submission_status_cols / sizeof *pt_submission_status_cols;

const struct pt_deadline_rule *pt_submission_deadline(const struct pt_rules *r)
{
	for (size_t i = 0; i < r->ndeadlines; i++)
		if (r->deadlines[i].of_unit && r->deadlines[i].from && !strcmp(r->deadlines[i].from, "quarter_end"))
			return &r->deadlines[i];
	return NULL;
}

long pt_submission_due(const struct pt_rules *r, long last)
{
	const struct pt_deadline_rule *d = pt_submission_deadline(r);
	struct pt_deadline dl;

	if (!d)
		return 0;
	pt_deadline_compute(r->calendar, last, d->days, d->working, &dl);
	return dl.due;
}

/* The counters of part A's total row of the unit's current received submission. */
static int rollup_unit(struct pt_db *db, sqlite3_stmt *q, struct pt_submission_rollup_unit *ru, struct pt_err *e)
{
	size_t ncols, na = pt_report_a_ncounters();
	const struct pt_col *cols = pt_report_cols(PT_REPORT_A, &ncols);
	int rc;

	sqlite3_reset(q);
	pt_db_bind_text(q, 1, ru->u->code);
	ru->a = pt_xcalloc(na, sizeof *ru->a);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		const char *key = (const char *)sqlite3_column_text(q, 0);

		ru->submitted = true;
		snprintf(ru->submitted_on, sizeof ru->submitted_on, "%s", (const char *)sqlite3_column_text(q, 2));
		snprintf(ru->received_on, sizeof ru->received_on, "%s", (const char *)sqlite3_column_text(q, 3));
		ru->revisions = sqlite3_column_int64(q, 4);
		for (size_t k = 0; key && k < na; k++)
			if (!strcmp(cols[3 + k].name, key))
				ru->a[k] = sqlite3_column_int64(q, 1);
	}
	return rc == SQLITE_DONE ? 0 : pt_db_fail(db, rc, "cannot read the submissions", e);
}

int pt_submission_rollup(struct pt_db *db, const struct pt_rules *r, const struct pt_period *p, long today,
			 struct pt_submission_rollup *ru, struct pt_err *e)
{
	static const char sql[] =
		"SELECT c.key, c.value, s.submitted_on, s.received_on,"
		" (SELECT count(*) FROM report_submissions o WHERE o.direction = 'received' AND o.unit = s.unit"
		"  AND o.period = s.period)"
		" FROM report_submissions s, json_each(s.content, '$.parts.A.rows') t, json_each(t.value) c"
		" WHERE s.direction = 'received' AND s.unit = ?1 AND s.period = ?2"
		" AND NOT EXISTS (SELECT 1 FROM report_submissions n WHERE n.supersedes = s.id)"
		" AND json_extract(t.value, '$.unit') = 'total'";
	struct pt_report_opts ro = { .period = *p, .unit = r->office, .today = today };
	sqlite3_stmt *q = NULL;
	int rc;

	memset(ru, 0, sizeof *ru);
	ru->r = r;
	ru->period = *p;
	ru->today = today;
	ru->due = pt_submission_due(r, p->to);
	if (!r->office)
		return pt_err_set(e, PT_ECONFIG, "the rules name no office: whose roll-up is it?");
	if (pt_report_compute(db, r, &ro, &ru->own, e))
		return -1;
	for (size_t i = 0; i < r->nunits; i++)
		if (r->units[i].parent && !strcmp(r->units[i].parent, r->office)) {
			ru->units = pt_xrealloc(ru->units, (ru->nunits + 1) * sizeof *ru->units);
			memset(&ru->units[ru->nunits], 0, sizeof *ru->units);
			ru->units[ru->nunits++].u = &r->units[i];
		}
	if (pt_db_prepare(db, sql, &q, e))
		return -1;
	pt_db_bind_text(q, 2, p->name);
	rc = 0;
	for (size_t i = 0; rc == 0 && i < ru->nunits; i++)
		rc = rollup_unit(db, q, &ru->units[i], e);
	sqlite3_finalize(q);
	return rc;
}

void pt_submission_rollup_release(struct pt_submission_rollup *ru)
{
	for (size_t i = 0; i < ru->nunits; i++)
		free(ru->units[i].a);
	free(ru->units);
	pt_report_release(&ru->own);
	memset(ru, 0, sizeof *ru);
}

int pt_submission_rollup_write_a(const struct pt_submission_rollup *ru, struct pt_fmt *f, struct pt_err *e)
{
	size_t na = pt_report_a_ncounters();
	const struct pt_unit *office = pt_rules_unit(ru->r, ru->r->office);
	const long long *own = pt_report_a_unit(&ru->own, ru->r->office);
	long long *total;
	int rc = 0;

	if (!office || !own)
		return pt_err_set(e, PT_ECONFIG, "the office %s is not a unit of the rules", ru->r->office);
	total = pt_xcalloc(na, sizeof *total);
	for (size_t k = 0; k < na; k++)
		total[k] = own[k];
	rc = pt_report_a_row(office->code, office->name, pt_rules_level_label(office), own, f, e);
	for (size_t i = 0; rc == 0 && i < ru->nunits; i++) {
		const struct pt_submission_rollup_unit *u = &ru->units[i];

		if (!u->submitted)
			continue;
		for (size_t k = 0; k < na; k++)
			total[k] += u->a[k];
		rc = pt_report_a_row(u->u->code, u->u->name, pt_rules_level_label(u->u), u->a, f, e);
	}
	if (rc == 0)
		rc = pt_report_a_row("total", "合计", NULL, total, f, e);
	free(total);
	return rc;
}

static const char *rollup_state(const struct pt_submission_rollup *ru, const struct pt_submission_rollup_unit *u)
{
	long day;

	if (u->submitted)
		return ru->due && pt_date_parse(u->submitted_on, &day) && day > ru->due ? "late" : "on_time";
	return ru->due && ru->today > ru->due ? "overdue" : "not_yet";
}

int pt_submission_rollup_write_status(const struct pt_submission_rollup *ru, struct pt_fmt *f, struct pt_err *e)
{
	char due[PT_DATE_LEN], revisions[24];

	if (ru->due)
		pt_date_format(ru->due, due);
	for (size_t i = 0; i < ru->nunits; i++) {
		const struct pt_submission_rollup_unit *u = &ru->units[i];
		const char *v[7];

		if (u->u->level == PT_LEVEL_TOWNSHIP && !u->submitted) /* owes no report */
			continue;
		snprintf(revisions, sizeof revisions, "%lld", u->revisions);
		v[0] = u->u->code;
		v[1] = u->u->name;
		v[2] = ru->due ? due : NULL;
		v[3] = u->submitted ? u->submitted_on : NULL;
		v[4] = u->submitted ? u->received_on : NULL;
		v[5] = revisions;
		v[6] = rollup_state(ru, u);
		if (pt_fmt_row(f, v, e))
			return -1;
	}
	return 0;
}

/* ---- verify ---- */

const struct pt_col pt_submission_verify_cols[] = {
	{ "part", false }, { "row", false }, { "figure", false }, { "stored", false }, { "recomputed", false },
	{ "result", false },
};
const size_t pt_submission_verify_ncols = sizeof pt_submission_verify_cols / sizeof *pt_submission_verify_cols;

static void count_finding(void *ctx, const struct pt_replay_finding *f)
{
	(void)f;
	++*(unsigned long long *)ctx;
}

static int verify_row(struct pt_fmt *out, const char *part, const char *row, const char *fig, const char *stored,
		      const char *recomputed, bool same, unsigned long long *differ, struct pt_err *e)
{
	const char *v[6] = { part, row, fig, stored, recomputed, same ? "match" : "differs" };

	*differ += !same;
	return pt_fmt_row(out, v, e);
}

/* Every figure of both, matched by part, row (its first column's value) and figure. */
static int verify_parts(struct pt_db *db, const char *stored, const char *recomputed, struct pt_fmt *out,
			unsigned long long *differ, struct pt_err *e)
{
#define FIGURES(n) \
	"SELECT p.key AS part, (SELECT c0.atom FROM json_each(r.value) c0 LIMIT 1) AS row, c.key AS fig," \
	" CASE WHEN c.type IN ('object', 'array') THEN c.value ELSE c.atom END AS v, c.type AS t," \
	" p.id AS pi, r.id AS ri, c.id AS ci FROM json_each(?" n ") p, json_each(p.value, '$.rows') r, json_each(r.value) c"
	static const char sql[] =
		"WITH s AS (" FIGURES("1") "), n AS (" FIGURES("2") ")"
		" SELECT coalesce(s.part, n.part), coalesce(s.row, n.row), coalesce(s.fig, n.fig), s.v, n.v,"
		"  s.t IS n.t AND s.v IS n.v, s.t IS NOT NULL, n.t IS NOT NULL"
		" FROM s FULL JOIN n ON s.part = n.part AND s.row IS n.row AND s.fig = n.fig"
		" ORDER BY coalesce(n.pi, s.pi), coalesce(n.ri, s.ri), coalesce(n.ci, s.ci)";
#undef FIGURES
	sqlite3_stmt *q = NULL;
	int rc;

	if (pt_db_prepare(db, sql, &q, e))
		return -1;
	pt_db_bind_text(q, 1, stored);
	pt_db_bind_text(q, 2, recomputed);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		const char *s = sqlite3_column_int(q, 6) ? (const char *)sqlite3_column_text(q, 3) : "(none)";
		const char *n = sqlite3_column_int(q, 7) ? (const char *)sqlite3_column_text(q, 4) : "(none)";

		if (verify_row(out, (const char *)sqlite3_column_text(q, 0), (const char *)sqlite3_column_text(q, 1),
			       (const char *)sqlite3_column_text(q, 2), s ? s : "null", n ? n : "null",
			       sqlite3_column_int(q, 5), differ, e)) {
			sqlite3_finalize(q);
			return -1;
		}
	}
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? 0 : pt_db_fail(db, rc, "cannot compare the figures", e);
}

static int verify_at_head(struct pt_db *db, const struct file *f, struct pt_fmt *out, unsigned long long *differ,
			  struct pt_err *e)
{
	struct pt_replay_result res;
	unsigned long long findings = 0;
	struct pt_rules *r = NULL;
	struct pt_report rep;
	struct pt_buf parts = PT_BUF_INIT;
	int rc;

	memset(&rep, 0, sizeof rep);
	rc = pt_replay_as_of(db, f->head_id, f->head_hash, count_finding, &findings, &res, e);
	if (rc == 0 && findings)
		rc = pt_err_set(e, PT_EDATA, "%s: its log up to event %lld has %llu findings (petition audit verify): the"
				" figures cannot be recomputed from it", db->path, f->head_id, findings);
	if (rc == 0 && !(r = pt_rules_from_db(db, e)))
		rc = -1;
	if (rc == 0) {
		struct pt_report_opts ro = { .period = f->p, .unit = f->unit, .today = f->day };

		rc = pt_report_compute(db, r, &ro, &rep, e);
	}
	if (rc == 0)
		rc = parts_json(&rep, &parts, e);
	if (rc == 0)
		rc = verify_row(out, "", "", "rules_sha256", f->rules_sha256, r->sha256, !strcmp(f->rules_sha256, r->sha256),
				differ, e);
	if (rc == 0)
		rc = verify_parts(db, f->parts, parts.buf, out, differ, e);
	pt_buf_release(&parts);
	pt_report_release(&rep);
	pt_rules_free(r);
	return rc;
}

int pt_submission_verify(const char *file, const char *db_path, struct pt_fmt *out, unsigned long long *differ,
			 struct pt_err *e)
{
	struct pt_db *db;
	struct file f;
	int rc;

	*differ = 0;
	memset(&f, 0, sizeof f);
	if (!(db = pt_db_open(db_path, PT_DB_READ_ONLY, "petition-report", e)))
		return -1;
	rc = file_load(db, file, &f, e);
	if (rc == 0)
		rc = verify_at_head(db, &f, out, differ, e);
	file_release(&f);
	pt_db_close(db);
	return rc;
}
