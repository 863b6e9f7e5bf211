/* The session extension records the rows a change writes (change.h); it is compiled into
 * Debian's libsqlite3, and its declarations need these before sqlite3.h. */
#define SQLITE_ENABLE_SESSION 1
#define SQLITE_ENABLE_PREUPDATE_HOOK 1

#include "change.h"
#include "buf.h"
#include "cal.h"
#include "event.h"
#include "hash.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const struct pt_change_later petitions_later[] = {
	{ "state", "'registered'" }, { "holder", "NULL" }, { "outcome", "NULL" }, { "satisfaction", "NULL" },
	{ NULL, NULL }
};
/* A bulk step's seq is the next after the case's steps so far, in id order (the replay
 * works it out); a manual step may later renumber it. */
static const struct pt_change_later steps_later[] = {
	{ "seq", NULL }, { "state", "'pending'" }, { "done_on", "NULL" }, { "note", "NULL" }, { NULL, NULL }
};

/* What the bulk events of schema 1 digested, which did not name their columns. */
static const char *const petitions_first_digest[] = {
	"id", "case_no", "unit", "received_on", "channel", "petitioner", "id_number", "phone", "employer",
	"received_by", "category", "persons", "addressed_to", "summary", "external_id", "source_ref",
	"repeat_key", "collective", "repeat", "named_letter", "dedup_key", "event_id", NULL
};
static const char *const steps_first_digest[] = {
	"id", "petition_id", "holder", "action", "rule", "event_id", NULL
};

const struct pt_change_table pt_change_tables[] = {
	{ "rules", 0, NULL, NULL },
	{ "case_seq", 0, NULL, NULL },
	{ "petitions", PT_CHANGE_BULK_PETITIONS, petitions_later, petitions_first_digest },
	{ "steps", PT_CHANGE_BULK_STEPS, steps_later, steps_first_digest },
	{ "receptions", 0, NULL, NULL },
	{ "report_submissions", 0, NULL, NULL },
	{ NULL, 0, NULL, NULL }
};

const struct pt_change_table *pt_change_table(const char *name)
{
	for (const struct pt_change_table *t = pt_change_tables; t->name; t++)
		if (!strcmp(t->name, name))
			return t;
	return NULL;
}

const struct pt_change_later *pt_change_later_col(const struct pt_change_table *t, const char *col)
{
	for (const struct pt_change_later *l = t->later; l && l->col; l++)
		if (!strcmp(l->col, col))
			return l;
	return NULL;
}

/* Append a field to b as hash.h makes one: its length, ':', its bytes. */
static void add_field(struct pt_buf *b, const void *p, size_t n)
{
	char len[PT_FIELD_PREFIX];
	size_t k = pt_field_prefix(n, len);

	pt_buf_add(b, len + k, sizeof len - k);
	if (n)
		pt_buf_add(b, p, n);
}

void pt_change_digest_row(struct pt_sha256 *h, sqlite3_stmt *q, struct pt_buf *scratch)
{
	int n = sqlite3_column_count(q);

	/* One update of the digest per row: its fields built in scratch first, since a call
	 * into the hash per field would cost more than the hashing (a million rows). */
	pt_buf_reset(scratch);
	for (int i = 0; i < n; i++) {
		int type = sqlite3_column_type(q, i);

		if (type == SQLITE_NULL) {
			pt_buf_addch(scratch, 'n');
		} else if (type == SQLITE_BLOB) {
			pt_buf_addch(scratch, 'b');
			add_field(scratch, sqlite3_column_blob(q, i), (size_t)sqlite3_column_bytes(q, i));
		} else if (type == SQLITE_INTEGER) {
			/* its decimal text, as SQLite would give it, without SQLite converting it */
			char num[PT_INT_LEN];
			const char *t = pt_int_text(num, sqlite3_column_int64(q, i), 0);

			add_field(scratch, t, (size_t)(num + PT_INT_LEN - 1 - t));
		} else {
			const unsigned char *t = sqlite3_column_text(q, i);

			add_field(scratch, t, (size_t)sqlite3_column_bytes(q, i));
		}
	}
	pt_sha256_update(h, scratch->buf, scratch->len);
}

/* The running digest of one bulk table. */
struct bulk {
	const char *table;
	struct pt_change_columns cols;
	char **digested;         /* the columns digested, borrowed from cols */
	int ndigested;
	struct pt_sha256 *sha;
	unsigned long long rows;
	sqlite3_stmt *read;
	struct pt_buf row;       /* scratch for pt_change_digest_row() */
	/* a sliced change's digest as it was before each run of rows (pt_change_digest_from) */
	struct digest_mark {
		long long first;
		struct pt_sha256 *sha;
		unsigned long long rows;
	} *marks;
	size_t nmarks;
};

struct pt_change {
	struct pt_db *db;
	sqlite3_session *session;
	long long event_id;
	unsigned bulk_mask;
	struct bulk bulk[2];
	size_t nbulk;
	bool unchecked_keys;     /* foreign keys not checked for this change (pt_change_begin) */
	bool rollback_journal;   /* journaled so, not in WAL (PT_CHANGE_ROLLBACK_JOURNAL) */
	/* A sliced change (PT_CHANGE_SLICED): the petitions' ids it hides (pt_change_hide),
	 * the slices of them committed so far, and whether they are seen now (pt_change_show). */
	bool sliced, shown;
	long long slices;
	long long hidden_first, hidden_last;
};

/* The session records the data tables but those the change fills in bulk, each attached by
 * name (a filter would be asked again for every row of a bulk table). */
static int session_start(struct pt_change *ch, struct pt_err *e)
{
	int rc = sqlite3session_create(ch->db->sql, "main", &ch->session);

	for (const struct pt_change_table *t = pt_change_tables; rc == SQLITE_OK && t->name; t++)
		if (!(t->bulk & ch->bulk_mask))
			rc = sqlite3session_attach(ch->session, t->name);
	return rc == SQLITE_OK ? 0 : pt_db_fail(ch->db, rc, "cannot record the change", e);
}

static void session_stop(struct pt_change *ch)
{
	if (ch->session)
		sqlite3session_delete(ch->session);
	ch->session = NULL;
}

/* ---- rows as JSON ---- */

static void json_value(struct pt_buf *b, sqlite3_value *v)
{
	switch (v ? sqlite3_value_type(v) : SQLITE_NULL) {
	case SQLITE_INTEGER:
		pt_buf_addf(b, "%lld", (long long)sqlite3_value_int64(v));
		break;
	case SQLITE_FLOAT:
		pt_buf_addf(b, "%.17g", sqlite3_value_double(v));
		break;
	case SQLITE_TEXT:
	case SQLITE_BLOB: /* no column holds blobs; kept as text rather than lost */
		pt_json_quote(b, (const char *)sqlite3_value_text(v));
		break;
	default:
		pt_buf_adds(b, "null");
	}
}

int pt_change_columns(struct pt_db *db, const char *table, struct pt_change_columns *c, struct pt_err *e)
{
	sqlite3_stmt *q = NULL;
	int rc;

	memset(c, 0, sizeof *c);
	if (pt_db_prepare(db, "SELECT name, pk, type, dflt_value FROM main.pragma_table_info(?1) ORDER BY cid", &q, e))
		return -1;
	sqlite3_bind_text(q, 1, table, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		c->name = pt_xrealloc(c->name, (size_t)(c->n + 1) * sizeof *c->name);
		c->type = pt_xrealloc(c->type, (size_t)(c->n + 1) * sizeof *c->type);
		c->dflt = pt_xrealloc(c->dflt, (size_t)(c->n + 1) * sizeof *c->dflt);
		c->type[c->n] = pt_db_column_dup(q, 2);
		c->dflt[c->n] = pt_db_column_dup(q, 3);
		c->name[c->n++] = pt_db_column_dup(q, 0);
		if (sqlite3_column_int(q, 1)) {
			c->key = pt_xrealloc(c->key, (size_t)(c->nkey + 1) * sizeof *c->key);
			c->key[c->nkey++] = pt_db_column_dup(q, 0);
		}
	}
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE)
		return pt_db_fail(db, rc, "cannot read the schema", e);
	if (!c->n || !c->nkey)
		return pt_err_set(e, PT_EINTERNAL, "table %s has no columns or no primary key", table);
	/* The names go into SQL (the digest, the replay): only the toolkit's own kind of name. */
	for (int i = 0; i < c->n; i++)
		if (c->name[i][strspn(c->name[i], "abcdefghijklmnopqrstuvwxyz_0123456789")] || !c->name[i][0])
			return pt_err_set(e, PT_ECONFIG, "table %s has a column the toolkit never made; its schema was "
					  "changed behind the toolkit's back", table);
	return 0;
}

void pt_change_columns_release(struct pt_change_columns *c)
{
	for (int i = 0; i < c->n; i++) {
		free(c->name[i]);
		free(c->type[i]);
		free(c->dflt[i]);
	}
	for (int i = 0; i < c->nkey; i++)
		free(c->key[i]);
	free(c->name);
	free(c->type);
	free(c->dflt);
	free(c->key);
	memset(c, 0, sizeof *c);
}

/* Members "name":value of the columns of one side of a change: all (insert), the primary
 * key (pk set), or those changed (update: new values present). */
static void json_columns(struct pt_buf *b, sqlite3_changeset_iter *it, char **names, int ncol, bool use_new,
			 const unsigned char *pk, bool key_only)
{
	bool first = true;

	pt_buf_addch(b, '{');
	for (int i = 0; i < ncol; i++) {
		sqlite3_value *v = NULL;

		if (key_only && !pk[i])
			continue;
		if ((use_new ? sqlite3changeset_new(it, i, &v) : sqlite3changeset_old(it, i, &v)) != SQLITE_OK)
			continue;
		if (!v) /* an update leaves unchanged columns out */
			continue;
		if (!first)
			pt_buf_addch(b, ',');
		first = false;
		pt_json_quote(b, names[i]);
		pt_buf_addch(b, ':');
		json_value(b, v);
	}
	pt_buf_addch(b, '}');
}

/* The session's changes as the "rows" array; the rows in a stable order (SQLite's). */
static int rows_json(struct pt_change *ch, struct pt_buf *b, struct pt_err *e)
{
	sqlite3_changeset_iter *it = NULL;
	struct pt_change_columns cols = { 0 };
	void *set = NULL;
	int nset = 0, rc, n = 0;
	char *names_of = NULL;

	rc = sqlite3session_changeset(ch->session, &nset, &set);
	if (rc != SQLITE_OK)
		return pt_db_fail(ch->db, rc, "cannot record the change", e);
	rc = sqlite3changeset_start(&it, nset, set);
	while (rc == SQLITE_OK && (rc = sqlite3changeset_next(it)) == SQLITE_ROW) {
		const char *table;
		int ncol, op, indirect, npk;
		unsigned char *pk;

		rc = SQLITE_OK;
		sqlite3changeset_op(it, &table, &ncol, &op, &indirect);
		sqlite3changeset_pk(it, &pk, &npk);
		if (indirect) {
			/* the toolkit has no triggers: one was planted in the database */
			rc = pt_err_set(e, PT_EINTERNAL, "a trigger wrote rows of %s; the database's schema was "
					"changed behind the toolkit's back (nothing was kept)", table);
			break;
		}
		if (!names_of || strcmp(names_of, table)) {
			pt_change_columns_release(&cols);
			free(names_of);
			names_of = pt_xstrdup(table);
			if (pt_change_columns(ch->db, table, &cols, e)) {
				rc = -1;
				break;
			}
		}
		if (cols.n != ncol) {
			rc = pt_err_set(e, PT_EINTERNAL, "table %s has %d columns, the change %d", table, cols.n, ncol);
			break;
		}
		pt_buf_adds(b, n++ ? ",{" : "{");
		pt_json_member(b, "t", table);
		pt_json_member(b, "op", op == SQLITE_INSERT ? "insert" : op == SQLITE_UPDATE ? "update" : "delete");
		if (op != SQLITE_INSERT) {
			pt_buf_adds(b, ",\"k\":");
			json_columns(b, it, cols.name, ncol, false, pk, true);
		}
		if (op != SQLITE_DELETE) {
			pt_buf_adds(b, ",\"v\":");
			json_columns(b, it, cols.name, ncol, true, pk, false);
		}
		pt_buf_addch(b, '}');
	}
	if (it)
		sqlite3changeset_finalize(it);
	sqlite3_free(set);
	pt_change_columns_release(&cols);
	free(names_of);
	if (rc > 0 && rc != SQLITE_DONE)
		return pt_db_fail(ch->db, rc, "cannot record the change", e);
	return rc < 0 ? -1 : 0;
}

/* ---- events ---- */

/* Append one event: the caller's members, then "rows" and "bulk". With `again` the session
 * starts over, so that the next event of the same transaction lists only its own rows. */
static int append_event(struct pt_change *ch, const char *kind, long long petition_id, const char *data,
			bool again, struct pt_err *e)
{
	struct pt_buf b = PT_BUF_INIT;
	size_t len = data ? strlen(data) : 0;
	int rc;

	if (len >= 2 && data[0] == '{' && data[len - 1] == '}') {
		pt_buf_add(&b, data, len - 1);
		if (len > 2)
			pt_buf_addch(&b, ',');
	} else if (len) {
		return pt_err_set(e, PT_EINTERNAL, "event data is not a JSON object: %s", data);
	} else {
		pt_buf_addch(&b, '{');
	}
	pt_buf_adds(&b, "\"rows\":[");
	rc = rows_json(ch, &b, e);
	pt_buf_addch(&b, ']');
	for (size_t i = 0; rc == 0 && i < ch->nbulk; i++) {
		char hex[PT_SHA256_HEX];

		pt_sha256_final_hex(ch->bulk[i].sha, hex);
		pt_buf_adds(&b, i ? "," : ",\"bulk\":{");
		pt_json_quote(&b, ch->bulk[i].table);
		pt_buf_addf(&b, ":{\"rows\":%llu,\"cols\":[", ch->bulk[i].rows);
		for (int k = 0; k < ch->bulk[i].ndigested; k++)
			pt_buf_addf(&b, "%s\"%s\"", k ? "," : "", ch->bulk[i].digested[k]);
		pt_buf_addf(&b, "],\"sha256\":\"%s\"}", hex);
		if (i + 1 == ch->nbulk)
			pt_buf_addch(&b, '}');
	}
	pt_buf_addch(&b, '}');
	if (rc == 0)
		rc = pt_event_append(ch->db, kind, petition_id, b.buf, e);
	pt_buf_release(&b);
	if (rc == 0 && again) {
		session_stop(ch);
		rc = session_start(ch, e);
	}
	return rc;
}

/* ---- rules rows ---- */

static int rules_recorded(struct pt_db *db, const char *kind, const char *sha256, bool *yes, struct pt_err *e)
{
	static const char in_force[] = "SELECT sha256 = ?1 FROM rules WHERE kind = 'load' ORDER BY id DESC LIMIT 1";
	static const char any[] = "SELECT 1 FROM rules WHERE sha256 = ?1 LIMIT 1";
	sqlite3_stmt *st = NULL;
	int rc;

	*yes = false;
	if (pt_db_prepare(db, strcmp(kind, "load") ? any : in_force, &st, e))
		return -1;
	sqlite3_bind_text(st, 1, sha256, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	*yes = rc == SQLITE_ROW && sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : pt_db_fail(db, rc, "cannot read the rules", e);
}

/* Insert the rules row; *id gets its id. */
static int insert_rules(struct pt_db *db, const struct pt_rules *r, const char *kind, long long *id,
			struct pt_err *e)
{
	static const char sql[] =
		"INSERT INTO rules (loaded_at, source, sha256, text, kind) VALUES (?, ?, ?, ?, ?)";
	sqlite3_stmt *st = NULL;
	char now[21];
	int rc;

	if (pt_db_prepare(db, sql, &st, e))
		return -1;
	pt_now_utc(now);
	sqlite3_bind_text(st, 1, now, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, r->source, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, r->sha256, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, r->text, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, kind, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	*id = sqlite3_last_insert_rowid(db->sql);
	return rc == SQLITE_DONE ? 0 : pt_db_fail(db, rc, "cannot store the rules", e);
}

static void rules_data(struct pt_buf *b, const struct pt_rules *r, long long id)
{
	pt_buf_reset(b);
	pt_buf_addf(b, "{\"rules_id\":%lld", id);
	pt_json_member(b, "sha256", r->sha256);
	pt_json_member(b, "source", r->source);
	pt_buf_addch(b, '}');
}

/* A rules row of `kind` ('load' or 'override') unless one is there already (for 'load': in
 * force; for 'override': any row of the same text); *stored says whether it was written, and
 * data gets its event's members. */
static int store_rules(struct pt_change *ch, const struct pt_rules *r, const char *kind, bool *stored,
		       struct pt_buf *data, struct pt_err *e)
{
	bool recorded;
	long long id;

	*stored = false;
	if (rules_recorded(ch->db, kind, r->sha256, &recorded, e))
		return -1;
	if (recorded)
		return 0;
	if (insert_rules(ch->db, r, kind, &id, e))
		return -1;
	*stored = true;
	rules_data(data, r, id);
	return 0;
}

/* Rules given with --rules for this run are kept (an 'override' row with its own event, once
 * per text), so that the database alone shows the rules behind every decision. */
static int record_override(struct pt_change *ch, const struct pt_rules *r, struct pt_err *e)
{
	struct pt_buf data = PT_BUF_INIT;
	bool stored;
	int rc;

	if (!r || r->from_db)
		return 0;
	rc = store_rules(ch, r, "override", &stored, &data, e);
	if (rc == 0 && stored)
		rc = pt_change_event(ch, "rules.override", 0, data.buf, e);
	pt_buf_release(&data);
	return rc;
}

static int imports_before(struct pt_change *ch, bool sliced, bool *running, struct pt_err *e);

int pt_change_event(struct pt_change *ch, const char *kind, long long petition_id, const char *data,
		    struct pt_err *e)
{
	if (append_event(ch, kind, petition_id, data, true, e) || pt_event_next_id(ch->db, &ch->event_id, e))
		return -1;
	/* a change of several events (report receive of several files) may reach the number an
	 * import reserved after pt_change_begin() checked it: the import's rows would point to
	 * this change's event, and the import fail at its end */
	return ch->sliced ? 0 : imports_before(ch, false, NULL, e);
}

int pt_change_store_rules(struct pt_change *ch, const struct pt_rules *r, bool *changed, struct pt_buf *data,
			  struct pt_err *e)
{
	return store_rules(ch, r, "load", changed, data, e);
}

static int refuse_triggers(struct pt_db *db, struct pt_err *e);

/* ---- imports written in slices (change.h, schema/008-imports.sql) ---- */

/* The start time of a process (clock ticks since boot: field 22 of /proc/PID/stat), 0 when
 * it cannot be read. The fields after the command's name, which is in parentheses and may
 * hold anything, are counted from the last ')': the state is field 3. */
static unsigned long long process_start(const char *stat_path)
{
	char stat[1024];
	unsigned long long start = 0;
	FILE *f = fopen(stat_path, "r");
	size_t len;
	char *p;

	if (!f)
		return 0;
	len = fread(stat, 1, sizeof stat - 1, f);
	fclose(f);
	stat[len] = '\0';
	p = strrchr(stat, ')');
	for (int field = 3; p && field <= 22; field++)
		p = strchr(p + 1, ' ');
	if (p)
		start = strtoull(p + 1, NULL, 10);
	return start;
}

static void host_name(char host[256])
{
	memset(host, 0, 256);
	if (gethostname(host, 255) != 0)
		host[0] = '\0';
}

/* This process as the owner of an import: host, process id and start time, so that a
 * process id used again by another program is not taken for the import's. */
static void owner_self(char *out, size_t n)
{
	char host[256];

	host_name(host);
	snprintf(out, n, "%s:%ld:%llu", host, (long)getpid(), process_start("/proc/self/stat"));
}

/* Whether an import's entry (its start as pt_now_utc() writes it) is older than any import
 * runs: the texts compare as the moments do. */
static bool import_too_old(const char *started)
{
	char cut[21];

	pt_utc_at(time(NULL) - PT_CHANGE_IMPORT_HOURS * 3600, cut);
	return started && strlen(started) == 20 && strcmp(started, cut) < 0;
}

/* The ':' before the process id of an owner, host:pid:start, found from the right since the
 * host may hold ':' itself; NULL when the owner is not of that form. */
static const char *owner_pid(const char *owner)
{
	const char *start_at = strrchr(owner, ':'), *p;

	if (!start_at || start_at == owner)
		return NULL;
	for (p = start_at - 1; p > owner && *p != ':'; p--)
		;
	return *p == ':' ? p : NULL;
}

bool pt_change_import_running(const char *owner, const char *started)
{
	char host[256], path[64];
	const char *pid_at = owner_pid(owner);
	long pid;

	if (!pid_at)
		return false;
	/* one of another host may still run there, unless older than any import runs; one of
	 * this host runs while its process does, however long */
	host_name(host);
	if ((size_t)(pid_at - owner) != strlen(host) || strncmp(owner, host, strlen(host)) != 0)
		return !import_too_old(started);
	pid = strtol(pid_at + 1, NULL, 10);
	if (pid <= 0 || (kill((pid_t)pid, 0) != 0 && errno == ESRCH))
		return false;
	snprintf(path, sizeof path, "/proc/%ld/stat", pid);
	return process_start(path) == strtoull(strrchr(owner, ':') + 1, NULL, 10);
}

/* One statement about an import: ?1 its event, ?2 and ?3 its first and last petition. */
static int import_sql(struct pt_db *db, const char *sql, long long event_id, long long first, long long last,
		      struct pt_err *e)
{
	sqlite3_stmt *q = NULL;
	int rc;

	if (pt_db_prepare(db, sql, &q, e))
		return -1;
	sqlite3_bind_int64(q, 1, event_id);
	if (sqlite3_bind_parameter_count(q) >= 3) {
		sqlite3_bind_int64(q, 2, first);
		sqlite3_bind_int64(q, 3, last);
	}
	rc = sqlite3_step(q);
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE)
		return pt_db_fail(db, rc, "cannot update the imports", e);
	/* An import's entries and hidden rows are in no event: what this wrote is accounted for
	 * here, so that the commit guard (db.c) still sees any other row written without one. */
	db->changes_logged += sqlite3_changes64(db->sql);
	return 0;
}

/* The import's entries gone: from now on, its rows are seen (or, deleted, gone). */
static int forget_import(struct pt_db *db, long long event_id, struct pt_err *e)
{
	return import_sql(db, "DELETE FROM main.import_seqs WHERE event_id = ?1", event_id, 0, 0, e) ||
	       import_sql(db, "DELETE FROM main.imports WHERE event_id = ?1", event_id, 0, 0, e) ? -1 : 0;
}

/* The rows an import left hidden, gone (they were never anyone's), and its entries. Rows
 * whose event the log has are the log's, whatever an edited entry says: they stay. */
static int drop_import(struct pt_db *db, long long event_id, long long first, long long last, struct pt_err *e)
{
	return import_sql(db, "DELETE FROM main.petitions WHERE id BETWEEN ?2 AND ?3 AND event_id = ?1"
			  " AND NOT EXISTS (SELECT 1 FROM main.events WHERE id = ?1)", event_id, first, last, e) ||
	       forget_import(db, event_id, e) ? -1 : 0;
}

/* An import in the database when a change begins: one still running keeps its rows (a
 * sliced change waits for no other: it fails busy), one whose process is gone loses them
 * here (they were never anyone's), in this change's transaction. A change that is not an
 * import needs the import's reserved event number to be still ahead (PT_CHANGE_EVENT_GAP
 * events may come before it), or the import to be gone. *running (unless NULL) tells the
 * caller that it failed for one still running, to wait for. */
static int imports_before(struct pt_change *ch, bool sliced, bool *running, struct pt_err *e)
{
	sqlite3_stmt *q = NULL;
	int rc;

	if (ch->db->schema_version < 8)
		return 0;
	if (pt_db_prepare(ch->db, "SELECT event_id, first_id, last_id, owner, started FROM main.imports"
			  " ORDER BY event_id", &q, e))
		return -1;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		long long event = sqlite3_column_int64(q, 0);
		const char *owner = (const char *)sqlite3_column_text(q, 3);

		if (!sliced && ch->event_id < event)
			continue;
		if (owner && pt_change_import_running(owner, (const char *)sqlite3_column_text(q, 4))) {
			const char *pid = owner_pid(owner);

			if (running)
				*running = true;
			rc = pt_err_set(e, PT_EBUSY, "%s: an import started %s by process %s (host %.*s) is being written%s; "
					"run again when it is done", ch->db->path, sqlite3_column_text(q, 4),
					pid + 1, (int)(pid - owner), owner,
					sliced ? "" : " and has used up the event numbers before its own");
			break;
		}
		/* its rows were hidden, written without an event: so is their removal, which this
		 * change's session must not record either (a change that is not an import records
		 * the petitions, and its event would delete rows that the log never created) */
		if (ch->session)
			sqlite3session_enable(ch->session, 0);
		rc = drop_import(ch->db, event, sqlite3_column_int64(q, 1), sqlite3_column_int64(q, 2), e);
		if (ch->session)
			sqlite3session_enable(ch->session, 1);
		if (rc) {
			rc = -1;
			break;
		}
	}
	sqlite3_finalize(q);
	if (rc == SQLITE_DONE)
		return 0;
	return rc < 0 ? -1 : pt_db_fail(ch->db, rc, "cannot read the imports", e);
}

int pt_change_hide(struct pt_change *ch, long long first_id, long long last_id, struct pt_err *e)
{
	sqlite3_stmt *q = NULL;
	char owner[512], at[21];
	int rc;

	if (!ch->sliced)
		return pt_err_set(e, PT_EINTERNAL, "rows hidden by a change that is not sliced");
	owner_self(owner, sizeof owner);
	pt_now_utc(at);
	if (pt_db_prepare(ch->db, "INSERT INTO main.imports (event_id, first_id, last_id, owner, started)"
			  " VALUES (?1, ?2, ?3, ?4, ?5)", &q, e))
		return -1;
	sqlite3_bind_int64(q, 1, ch->event_id);
	sqlite3_bind_int64(q, 2, first_id);
	sqlite3_bind_int64(q, 3, last_id);
	sqlite3_bind_text(q, 4, owner, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(q, 5, at, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(q);
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE)
		return pt_db_fail(ch->db, rc, "cannot record the import", e);
	ch->hidden_first = first_id;
	ch->hidden_last = last_id;
	return 0;
}

int pt_change_hide_seq(struct pt_change *ch, const char *unit, int year, long long last, struct pt_err *e)
{
	sqlite3_stmt *q = NULL;
	int rc;

	if (pt_db_prepare(ch->db, "INSERT OR REPLACE INTO main.import_seqs (event_id, unit, year, last)"
			  " VALUES (?1, ?2, ?3, ?4)", &q, e))
		return -1;
	sqlite3_bind_int64(q, 1, ch->event_id);
	sqlite3_bind_text(q, 2, unit, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(q, 3, year);
	sqlite3_bind_int64(q, 4, last);
	rc = sqlite3_step(q);
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? 0 : pt_db_fail(ch->db, rc, "cannot record the import's case numbers", e);
}

/* Between two slices the lock is free for SLICE_PAUSE_MS, long enough for a program that
 * waits for it (db.c polls every 2 ms) to take it first. PETITION_TEST_SLICE_STOP=N stops
 * the process (SIGSTOP) there once N slices are committed, for the tests to look at the
 * database while an import is being written (HACKING.md). */
#define SLICE_PAUSE_MS 10

static void slice_pause(long long committed)
{
	const struct timespec pause = { 0, SLICE_PAUSE_MS * 1000000L };
	const char *stop = getenv("PETITION_TEST_SLICE_STOP");

	if (stop && strtoll(stop, NULL, 10) == committed)
		raise(SIGSTOP);
	nanosleep(&pause, NULL);
}

int pt_change_slice(struct pt_change *ch, struct pt_err *e)
{
	struct pt_db *db = ch->db;

	if (!ch->sliced || ch->shown)
		return pt_err_set(e, PT_EINTERNAL, "a slice of a change that is not sliced, or already seen");
	/* the rows are hidden (pt_change_hide): their commit has no event, which the last has;
	 * the commit guard (db.c) takes them as accounted for */
	session_stop(ch);
	db->changes_logged = sqlite3_total_changes64(db->sql);
	if (pt_db_commit(db, e))
		return -1;
	slice_pause(++ch->slices);
	/* others' changes get the lock in between; the head is read again (pt_db_begin) */
	if (pt_db_begin(db, e) || refuse_triggers(db, e) || pt_db_exec(db, "PRAGMA defer_foreign_keys = ON", e))
		return -1;
	return session_start(ch, e);
}

int pt_change_show(struct pt_change *ch, struct pt_err *e)
{
	if (!ch->sliced || ch->shown)
		return 0;
	if (forget_import(ch->db, ch->event_id, e))
		return -1;
	ch->shown = true;
	return 0;
}

/* A sliced change that ends without its event: the rows its slices committed go too. A
 * failure here leaves them hidden, for the next change to remove (imports_before). */
static void unhide(struct pt_change *ch)
{
	struct pt_db *db = ch->db;
	struct pt_err ignored = PT_ERR_INIT;

	if (ch->slices && pt_db_begin(db, &ignored) == 0) {
		if (drop_import(db, ch->event_id, ch->hidden_first, ch->hidden_last, &ignored) == 0)
			pt_db_commit(db, &ignored);
		else
			pt_db_rollback(db);
	}
	pt_err_release(&ignored);
}

/* ---- the change ---- */

/* The toolkit makes no triggers: one in the database would write rows that its event lists
 * as the toolkit's own (the session cannot tell them apart when they touch the same row). */
static int refuse_triggers(struct pt_db *db, struct pt_err *e)
{
	sqlite3_stmt *q = NULL;
	int rc;

	if (pt_db_prepare(db, "SELECT name FROM main.sqlite_master WHERE type = 'trigger' LIMIT 1", &q, e))
		return -1;
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW)
		pt_err_set(e, PT_EIO, "database %s has a trigger petition never made (%s): its schema was changed "
			   "behind the toolkit's back; nothing was written", db->path, sqlite3_column_text(q, 0));
	else if (rc != SQLITE_DONE)
		pt_db_fail(db, rc, "cannot read the schema", e);
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* The numbers left before a sliced change's event: PETITION_TEST_EVENT_GAP sets fewer, for
 * the tests (HACKING.md). */
static long long event_gap(void)
{
	const char *s = getenv("PETITION_TEST_EVENT_GAP");
	long long n = s ? strtoll(s, NULL, 10) : 0;

	return n > 0 && n < PT_CHANGE_EVENT_GAP ? n : PT_CHANGE_EVENT_GAP;
}

static struct pt_change *begin_once(struct pt_db *db, const struct pt_rules *r, unsigned bulk, bool *running,
				     struct pt_err *e)
{
	struct pt_change *ch = pt_xcalloc(1, sizeof *ch);

	ch->db = db;
	ch->bulk_mask = bulk;
	/* A bulk change's petitions point to its own event, which the commit appends and checks
	 * (pt_change_commit: the next id is the change's), and the replay proves it; SQLite's
	 * check of that foreign key on every row cost about a tenth of an import's INSERT
	 * (bench/README.md). It can only be switched outside a transaction. */
	if ((bulk & PT_CHANGE_BULK_PETITIONS) && !db->in_tx) {
		if (pt_db_exec(db, "PRAGMA foreign_keys = OFF", e))
			goto fail;
		ch->unchecked_keys = true;
	}
	if (bulk & PT_CHANGE_ROLLBACK_JOURNAL)
		ch->rollback_journal = pt_db_journal_rollback(db);
	if (pt_db_begin(db, e) || refuse_triggers(db, e))
		goto fail;
	/* Rows are written before the event they point to, which the commit appends. */
	if (pt_db_exec(db, "PRAGMA defer_foreign_keys = ON", e) || session_start(ch, e))
		goto fail;
	/* A database without a schema yet (init) has no log: its event id is known once
	 * pt_db_migrate() made the tables. */
	if (db->schema_version > 0 && (pt_event_next_id(db, &ch->event_id, e) || record_override(ch, r, e)))
		goto fail;
	if (db->schema_version > 0 && imports_before(ch, bulk & PT_CHANGE_SLICED, running, e))
		goto fail;
	/* A sliced change's event comes after the events others append while it writes: it
	 * takes a number that many ahead, and its rows point to it from the start. */
	if (bulk & PT_CHANGE_SLICED) {
		ch->sliced = true;
		ch->event_id += event_gap();
	}
	return ch;
fail:
	pt_change_abort(ch);
	return NULL;
}

/* An import being written keeps another import out (and, once it used up the event numbers
 * before its own, every change): waited for as for the write lock, up to the busy timeout,
 * trying again every IMPORT_POLL_MS. */
#define IMPORT_POLL_MS 50

struct pt_change *pt_change_begin(struct pt_db *db, const struct pt_rules *r, unsigned bulk,
				  struct pt_err *e)
{
	const struct timespec poll = { 0, IMPORT_POLL_MS * 1000000L };

	for (long waited = 0;; waited += IMPORT_POLL_MS) {
		bool running = false;
		struct pt_change *ch = begin_once(db, r, bulk, &running, e);

		if (ch || !running || waited >= pt_db_busy_timeout())
			return ch;
		nanosleep(&poll, NULL);
	}
}

struct pt_db *pt_change_db(const struct pt_change *ch)
{
	return ch->db;
}

long long pt_change_event_id(const struct pt_change *ch)
{
	return ch->event_id;
}

void pt_change_digest_cols(const struct pt_change_table *t, const struct pt_change_columns *cols, char **out, int *n)
{
	*n = 0;
	for (int i = 0; i < cols->n; i++)
		if (!pt_change_later_col(t, cols->name[i]))
			out[(*n)++] = cols->name[i];
}

int pt_change_digest_sql(const char *table, bool range, char *const *cols, int n, struct pt_buf *sql)
{
	pt_buf_reset(sql);
	pt_buf_adds(sql, "SELECT ");
	for (int i = 0; i < n; i++)
		pt_buf_addf(sql, "%s\"%s\"", i ? ", " : "", cols[i]);
	/* A writer's range is its own rows, in a run of ids: read along the table ("+" keeps SQLite
	 * off the index of event_id, which would seek the table for every row). The replay asks
	 * for every id, which the index finds. Either way the same rows in the same order. */
	pt_buf_addf(sql, " FROM main.\"%s\" WHERE %sevent_id = ?1 AND id BETWEEN ?2 AND ?3 ORDER BY id", table,
		    range ? "+" : "");
	return 0;
}

int pt_change_digest(struct pt_change *ch, const char *table, long long first, long long last,
		     struct pt_err *e)
{
	struct bulk *b = NULL;
	int rc;

	for (size_t i = 0; i < ch->nbulk; i++)
		if (!strcmp(ch->bulk[i].table, table))
			b = &ch->bulk[i];
	if (!b) {
		struct pt_buf sql = PT_BUF_INIT;

		if (ch->nbulk == sizeof ch->bulk / sizeof *ch->bulk)
			return pt_err_set(e, PT_EINTERNAL, "too many bulk tables");
		const struct pt_change_table *t = pt_change_table(table);

		if (!t || !t->bulk)
			return pt_err_set(e, PT_EINTERNAL, "no bulk digest for table %s", table);
		b = &ch->bulk[ch->nbulk++];
		b->table = table;
		b->sha = pt_sha256_new();
		if (pt_change_columns(ch->db, table, &b->cols, e))
			return -1;
		b->digested = pt_xmalloc((size_t)b->cols.n * sizeof *b->digested);
		pt_change_digest_cols(t, &b->cols, b->digested, &b->ndigested);
		pt_change_digest_sql(table, true, b->digested, b->ndigested, &sql);
		rc = pt_db_prepare(ch->db, sql.buf, &b->read, e);
		pt_buf_release(&sql);
		if (rc)
			return -1;
	}
	if (ch->sliced) {
		b->marks = pt_xrealloc(b->marks, (b->nmarks + 1) * sizeof *b->marks);
		b->marks[b->nmarks++] = (struct digest_mark){ first, pt_sha256_dup(b->sha), b->rows };
	}
	sqlite3_reset(b->read);
	sqlite3_bind_int64(b->read, 1, ch->event_id);
	sqlite3_bind_int64(b->read, 2, first);
	sqlite3_bind_int64(b->read, 3, last);
	while ((rc = sqlite3_step(b->read)) == SQLITE_ROW) {
		pt_change_digest_row(b->sha, b->read, &b->row);
		b->rows++;
	}
	sqlite3_reset(b->read);
	return rc == SQLITE_DONE ? 0 : pt_db_fail(ch->db, rc, "cannot read the rows back for their digest", e);
}

int pt_change_digest_from(struct pt_change *ch, const char *table, long long id, long long last, struct pt_err *e)
{
	for (size_t i = 0; i < ch->nbulk; i++) {
		struct bulk *b = &ch->bulk[i];
		size_t k = b->nmarks;

		if (strcmp(b->table, table))
			continue;
		while (k > 0 && b->marks[k - 1].first > id)
			k--;
		if (k == 0)
			return pt_err_set(e, PT_EINTERNAL, "no digest of %s's rows before id %lld", table, id);
		/* back to the mark, which the digest below records again */
		pt_sha256_free(b->sha);
		b->sha = b->marks[k - 1].sha;
		b->rows = b->marks[k - 1].rows;
		id = b->marks[k - 1].first;
		for (size_t m = k; m < b->nmarks; m++)
			pt_sha256_free(b->marks[m].sha);
		b->nmarks = k - 1;
		return pt_change_digest(ch, table, id, last, e);
	}
	return pt_err_set(e, PT_EINTERNAL, "no digest of %s", table);
}

static void change_free(struct pt_change *ch)
{
	session_stop(ch);
	for (size_t i = 0; i < ch->nbulk; i++) {
		pt_sha256_free(ch->bulk[i].sha);
		pt_change_columns_release(&ch->bulk[i].cols);
		free(ch->bulk[i].digested);
		sqlite3_finalize(ch->bulk[i].read);
		pt_buf_release(&ch->bulk[i].row);
		for (size_t m = 0; m < ch->bulk[i].nmarks; m++)
			pt_sha256_free(ch->bulk[i].marks[m].sha);
		free(ch->bulk[i].marks);
	}
	free(ch);
}

/* Once the transaction is over (only then can they be): foreign keys checked again, and
 * WAL again after a rollback journal. */
static void settings_back(struct pt_db *db, bool unchecked, bool rollback_journal)
{
	if (unchecked)
		sqlite3_exec(db->sql, "PRAGMA foreign_keys = ON", NULL, NULL, NULL);
	if (rollback_journal)
		pt_db_journal_wal(db);
}

int pt_change_commit(struct pt_change *ch, const char *kind, long long petition_id, const char *data,
		     bool dry_run, struct pt_err *e)
{
	struct pt_db *db = ch->db;
	bool unchecked = ch->unchecked_keys, rollback_journal = ch->rollback_journal;
	long long next = 0;
	int rc = pt_event_next_id(db, &next, e);

	if (rc == 0 && ch->event_id && (ch->sliced ? next > ch->event_id : next != ch->event_id))
		rc = pt_err_set(e, PT_EINTERNAL, "an event was appended outside the change");
	/* the number a sliced change reserved: the chain goes on from the last event there */
	if (rc == 0 && ch->sliced) {
		rc = pt_change_show(ch, e);
		db->head.id = ch->event_id - 1;
	}
	if (rc == 0)
		rc = append_event(ch, kind, petition_id, data, false, e);
	if (rc && ch->sliced) {
		pt_change_abort(ch);
		return -1;
	}
	change_free(ch);
	rc = pt_db_finish(db, dry_run, rc, e);
	settings_back(db, unchecked, rollback_journal);
	return rc;
}

void pt_change_abort(struct pt_change *ch)
{
	if (!ch)
		return;
	pt_db_rollback(ch->db);
	if (ch->sliced)
		unhide(ch);
	settings_back(ch->db, ch->unchecked_keys, ch->rollback_journal);
	change_free(ch);
}
