#include "replay.h"
#include "buf.h"
#include "change.h"
#include "event.h"
#include "hash.h"

#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The scratch database the log is replayed into. */
/* The scratch tables are the connection's temporary ones: in a temporary file (memory stays
 * flat), writable when the database itself is opened only to read, and gone with the
 * transaction the replay runs in. Every table name below is qualified. */
#define SCRATCH "temp"

/* A bulk event whose rows are not copied into the scratch table yet (defer_bulk). */
struct deferred {
	long long event;
	struct pt_strv cols;     /* the columns its digest covers */
	long long span[2];       /* the ids of its rows, first and last (bulk_span) */
};

struct table_info {
	const struct pt_change_table *t;
	struct pt_change_columns c;
	struct deferred *deferred;
	size_t ndeferred;
	/* the columns proven in every bulk copy of the table (pt_proven), which the comparison
	 * reads from the stored table only for a row where one is not proven */
	uint64_t narrow;
	bool copied;
};

/* ---- one event's data, read once ----
 *
 * An event's data (text that json_valid() accepted) is parsed once, here, into a flat list
 * of nodes in document order, each with the index just past its last descendant, so that a
 * node's children are walked by jumping from one to the next. The shape check, the rows and
 * the bulk digests all read that list; SQLite 3.40's JSON functions parse the text again for
 * every call, which was about ten parses an event. A value reads as json_each() gives it:
 * strings unescaped (SQLite's way: a \u0000 ends one), true and false as 1 and 0, integers
 * too large for 64 bits as reals, objects and arrays as their JSON text without spaces. */

enum jtype { J_NULL, J_TRUE, J_FALSE, J_INT, J_REAL, J_TEXT, J_ARRAY, J_OBJECT };

struct jnode {
	enum jtype type;
	int end;              /* the index just past its last descendant */
	long key;             /* a member's name (offset in text); -1 for an element or the root */
	long text;            /* a scalar's text (offset in text); -1 for null, an object or array */
	int len;              /* its bytes */
	sqlite3_int64 i;      /* J_INT, J_TRUE, J_FALSE */
	double r;             /* J_REAL */
	const char *src;      /* an object or array: where it begins and ends in the data */
	size_t srclen;
	char *json;           /* and its text without spaces, once asked for */
};

struct jdoc {
	struct jnode *n;
	int len, cap;
	struct pt_buf text;   /* names and scalar values, each ended by a NUL */
};


/* The shape of a row change: its operation, table and the columns of its members in their
 * order, which is all its statement's text depends on (apply_row). */
#define SHAPE_MAX 128

struct shape {
	unsigned char key[SHAPE_MAX];
	int len;
	int nv;                  /* the members of its values */
	uint32_t hash;
	sqlite3_stmt *q;         /* held by the statement cache */
};

struct replay {
	struct pt_db *db;
	void (*each)(void *ctx, const struct pt_replay_finding *f);
	void *ctx;
	const struct pt_progress *progress;
	struct pt_replay_result *res;
	struct table_info *tables;
	size_t ntables;
	long long event_id;      /* being replayed */
	struct cached {          /* statements prepared once (cprepare) */
		char *sql;
		uint32_t hash;   /* of sql, to pass over the others without comparing them */
		sqlite3_stmt *q;
		bool busy;
	} *cache;
	size_t ncache;
	struct shape *shapes;    /* the statements of row changes by their shape (row_shape) */
	size_t nshapes;
	long long since;         /* from a checkpoint: its event's id (pt_replay_check_since); else 0 */
	long long upto;          /* the last event to replay (pt_replay_as_of); else the log's end */
	char upto_hash[PT_SHA256_HEX]; /* the stored hash of the last event replayed */
	const char *since_hash;  /* and its hash */
	struct jdoc doc;         /* the data of the event being replayed */
	struct pt_buf sql, b;
	struct reader *reader;   /* reads the log beside the replay (a whole verify), or NULL */
	struct slot *slot;       /* and handed over the event being replayed */
	struct digester *digester; /* checks the bulk digests beside the replay, or NULL */
	struct pt_err digest_err;  /* the first digest it could not check */
	struct {                 /* pt_replay_seq(): the steps of a bulk copy numbered per case */
		long long petition, n;
		bool unordered;  /* a case's steps not in one run of ids: numbered by a window */
		bool window;
	} seq;
	struct {                 /* pt_replay_first(): a routing run folded in */
		sqlite3_stmt *q; /* its steps along their ids */
		long long asked, at; /* the case asked last; the case of the step read last */
		sqlite3_value *holder; /* the holder of that case's first step */
		bool saved;      /* the copy's savepoint is open */
	} first;
	long long last;          /* the id of the log's last event, for the progress */
};

static void report(struct replay *x, const struct pt_replay_finding *f)
{
	x->res->findings++;
	if (x->each)
		x->each(x->ctx, f);
}

static void digests_report(struct replay *x);

/* Report a finding, after those of the digests checked beside the replay of the events
 * before it (digest_queue). */
static void finding(struct replay *x, const struct pt_replay_finding *f)
{
	digests_report(x);
	report(x, f);
}

/* Statements prepared once and reused: the replay runs the same few statements for every
 * event and row. One in use (busy) is not handed out twice; crelease() resets it. */
#define CACHE_MAX 256

/* FNV-1a */
static uint32_t bytes_hash(const unsigned char *p, size_t n)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 16777619u;
	return h;
}

static uint32_t sql_hash(const char *sql)
{
	return bytes_hash((const unsigned char *)sql, strlen(sql));
}

static int cprepare(struct replay *x, const char *sql, sqlite3_stmt **q, struct pt_err *e)
{
	uint32_t h = sql_hash(sql);

	for (size_t i = 0; i < x->ncache; i++)
		if (!x->cache[i].busy && x->cache[i].hash == h && !strcmp(x->cache[i].sql, sql)) {
			x->cache[i].busy = true;
			*q = x->cache[i].q;
			return 0;
		}
	if (pt_db_prepare(x->db, sql, q, e))
		return -1;
	if (x->ncache < CACHE_MAX) {
		x->cache = pt_xrealloc(x->cache, (x->ncache + 1) * sizeof *x->cache);
		x->cache[x->ncache++] = (struct cached){ pt_xstrdup(sql), h, *q, true };
	}
	return 0;
}

static void cache_release(struct replay *x)
{
	for (size_t i = 0; i < x->ncache; i++) {
		sqlite3_finalize(x->cache[i].q);
		free(x->cache[i].sql);
	}
	free(x->cache);
	x->cache = NULL;
	x->ncache = 0;
	free(x->shapes);
	x->shapes = NULL;
	x->nshapes = 0;
}

/* Whether q is held by the statement cache (and outlives crelease). */
static bool is_cached(const struct replay *x, const sqlite3_stmt *q)
{
	for (size_t i = 0; i < x->ncache; i++)
		if (x->cache[i].q == q)
			return true;
	return false;
}

static void crelease(struct replay *x, sqlite3_stmt *q)
{
	for (size_t i = 0; q && i < x->ncache; i++)
		if (x->cache[i].q == q) {
			sqlite3_reset(q);
			sqlite3_clear_bindings(q);
			x->cache[i].busy = false;
			return;
		}
	sqlite3_finalize(q);
}

static const char *or_null(const unsigned char *s)
{
	return s ? (const char *)s : "NULL";
}

/* ---- the scratch tables ---- */

/* Whether two names are the same; the first bytes first: this runs for every member of
 * every row change, against each column in turn, and most differ there. */
static bool same_name(const char *a, const char *b)
{
	return a[0] == b[0] && !strcmp(a, b);
}

static bool is_column(const struct table_info *ti, const char *name)
{
	for (int i = 0; i < ti->c.n; i++)
		if (same_name(ti->c.name[i], name))
			return true;
	return false;
}

static bool is_key(const struct table_info *ti, const char *name)
{
	for (int i = 0; i < ti->c.nkey; i++)
		if (same_name(ti->c.key[i], name))
			return true;
	return false;
}

/* The position of a column in the table, or -1. */
static int col_index(const struct table_info *ti, const char *name)
{
	for (int i = 0; i < ti->c.n; i++)
		if (same_name(ti->c.name[i], name))
			return i;
	return -1;
}

static struct table_info *info_of(struct replay *x, const char *table)
{
	for (size_t i = 0; table && i < x->ntables; i++)
		if (!strcmp(x->tables[i].t->name, table))
			return &x->tables[i];
	return NULL;
}

/* A comma-separated list of the table's columns, each prefixed (e.g. "s."). */
static void col_list(struct pt_buf *b, char **cols, int n, const char *prefix)
{
	for (int i = 0; i < n; i++)
		pt_buf_addf(b, "%s%s\"%s\"", i ? ", " : "", prefix, cols[i]);
}

/* The scratch tables have the stored tables' columns, declared types and defaults, so that
 * a row an event inserts without a column a later migration added gets the value the
 * migration gave it. */
static int create_scratch(struct replay *x, struct pt_err *e)
{
	for (size_t i = 0; i < x->ntables; i++) {
		struct table_info *ti = &x->tables[i];

		pt_buf_reset(&x->sql);
		pt_buf_addf(&x->sql, "CREATE TABLE " SCRATCH ".\"%s\" (", ti->t->name);
		for (int k = 0; k < ti->c.n; k++) {
			pt_buf_addf(&x->sql, "\"%s\" %s", ti->c.name[k], ti->c.type[k] ? ti->c.type[k] : "");
			if (ti->c.dflt[k])
				pt_buf_addf(&x->sql, " DEFAULT (%s)", ti->c.dflt[k]);
			pt_buf_adds(&x->sql, ", ");
		}
		/* keyed as the stored table is, the rows kept in key order (WITHOUT ROWID): a
		 * row change finds its row, and the comparison reads the table, in one look-up
		 * instead of an index's and then the table's */
		pt_buf_adds(&x->sql, "pt_event INTEGER, pt_state TEXT, pt_proven INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (");
		col_list(&x->sql, ti->c.key, ti->c.nkey, "");
		pt_buf_adds(&x->sql, ")) WITHOUT ROWID;");
		if (!strcmp(ti->t->name, "steps"))
			pt_buf_adds(&x->sql, " CREATE INDEX " SCRATCH ".steps_case ON steps (petition_id, seq);");
		if (pt_db_exec(x->db, x->sql.buf, e))
			return -1;
	}
	return 0;
}

/* ---- the schema ---- */

static const char schema_sql[] =
	"SELECT type, name, sql FROM main.sqlite_master WHERE name NOT LIKE 'sqlite^_%' ESCAPE '^'"
	" ORDER BY type, name";

static void schema_finding(struct replay *x, sqlite3_stmt *have, sqlite3_stmt *want, const char *what)
{
	sqlite3_stmt *any = have ? have : want;
	struct pt_buf key = PT_BUF_INIT;
	struct pt_replay_finding f = { "schema", NULL, NULL, "sql", have ? or_null(sqlite3_column_text(have, 2)) : NULL,
				       want ? or_null(sqlite3_column_text(want, 2)) : NULL, 0, what };

	pt_buf_addf(&key, "%s %s", or_null(sqlite3_column_text(any, 0)), or_null(sqlite3_column_text(any, 1)));
	f.key = key.buf;
	finding(x, &f);
	pt_buf_release(&key);
}

/* The database's schema against the one the migrations make, in a database of its own in
 * memory: a table, column, index or trigger added, dropped or changed is a finding, and
 * *same false stops the replay, which would otherwise run SQL on names it never made. */
static int check_schema(struct replay *x, bool *same, struct pt_err *e)
{
	const char *const *mig = pt_db_migrations();
	sqlite3 *ref = NULL;
	sqlite3_stmt *have = NULL, *want = NULL;
	int rc = sqlite3_open_v2(":memory:", &ref, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
	int h = SQLITE_DONE, w = SQLITE_DONE;

	*same = true;
	if (rc == SQLITE_OK)
		rc = pt_db_add_functions(ref);
	for (size_t i = 0; rc == SQLITE_OK && mig[i]; i++)
		rc = sqlite3_exec(ref, mig[i], NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(ref, schema_sql, -1, &want, NULL);
	if (rc != SQLITE_OK) {
		rc = pt_err_set(e, PT_EINTERNAL, "cannot make the schema to compare with: %s", sqlite3_errmsg(ref));
		goto out;
	}
	if ((rc = pt_db_prepare(x->db, schema_sql, &have, e)))
		goto out;
	h = sqlite3_step(have);
	w = sqlite3_step(want);
	while (h == SQLITE_ROW || w == SQLITE_ROW) {
		int cmp = h != SQLITE_ROW ? 1 : w != SQLITE_ROW ? -1 : 0;

		for (int i = 0; !cmp && i < 2; i++)
			cmp = strcmp((const char *)sqlite3_column_text(have, i), (const char *)sqlite3_column_text(want, i));
		if (cmp == 0 && !strcmp(or_null(sqlite3_column_text(have, 2)), or_null(sqlite3_column_text(want, 2))))
			;
		else if (cmp == 0)
			schema_finding(x, have, want, "the schema was changed behind the toolkit's back");
		else if (cmp < 0)
			schema_finding(x, have, NULL, "the schema has something the toolkit never made");
		else
			schema_finding(x, NULL, want, "the schema lacks something the toolkit made: dropped");
		if (cmp || x->res->findings)
			*same = false;
		if (cmp <= 0)
			h = sqlite3_step(have);
		if (cmp >= 0)
			w = sqlite3_step(want);
	}
	if (h != SQLITE_DONE)
		rc = pt_db_fail(x->db, h, "cannot read the schema", e);
out:
	sqlite3_finalize(have);
	sqlite3_finalize(want);
	sqlite3_close(ref);
	return rc ? -1 : 0;
}

/* ---- the chain ---- */

static void chain_finding(struct replay *x, long long id, const char *column, const char *stored,
			  const char *expected, const char *what)
{
	char key[32];
	struct pt_replay_finding f = { "events", key, NULL, column, stored, expected, id, what };

	snprintf(key, sizeof key, "id=%lld", id);
	finding(x, &f);
}

static void check_link(struct replay *x, sqlite3_stmt *q, char prev[PT_SHA256_HEX])
{
	long long id = sqlite3_column_int64(q, 0);
	const char *stored_prev = (const char *)sqlite3_column_text(q, 7);
	const char *stored = (const char *)sqlite3_column_text(q, 8);
	char hash[PT_SHA256_HEX];

	if (!stored_prev || strcmp(stored_prev, prev))
		chain_finding(x, id, "prev_hash", stored_prev, prev,
			      "the event does not follow the one before it: an event was deleted, inserted or edited");
	pt_event_hash(stored_prev ? stored_prev : "", id, (const char *)sqlite3_column_text(q, 1),
		      (const char *)sqlite3_column_text(q, 2), (const char *)sqlite3_column_text(q, 3),
		      (const char *)sqlite3_column_text(q, 4), sqlite3_column_int64(q, 5),
		      (const char *)sqlite3_column_text(q, 6), hash);
	if (!stored || strcmp(stored, hash))
		chain_finding(x, id, "hash", stored, hash, "the event was edited: its hash does not recompute");
	memcpy(prev, stored ? stored : hash, PT_SHA256_HEX);
	prev[PT_SHA256_HEX - 1] = '\0';
}

static void doc_clear(struct jdoc *d)
{
	for (int i = 0; i < d->len; i++)
		free(d->n[i].json);
	d->len = 0;
	pt_buf_reset(&d->text);
}

static void doc_release(struct jdoc *d)
{
	doc_clear(d);
	free(d->n);
	pt_buf_release(&d->text);
	memset(d, 0, sizeof *d);
}

static int new_node(struct jdoc *d, enum jtype type, long key)
{
	if (d->len == d->cap) {
		d->cap = d->cap ? 2 * d->cap : 64;
		d->n = pt_xrealloc(d->n, (size_t)d->cap * sizeof *d->n);
	}
	d->n[d->len] = (struct jnode){ type, d->len + 1, key, -1, 0, 0, 0, NULL, 0, NULL };
	return d->len++;
}

static unsigned hex4(const char *z)
{
	unsigned v = 0;

	for (int k = 0; k < 4; k++)
		v = v << 4 | (unsigned)(z[k] <= '9' ? z[k] - '0' : (z[k] | 0x20) - 'a' + 10);
	return v;
}

static void add_utf8(struct pt_buf *b, unsigned v)
{
	char u[4];
	size_t n;

	if (v <= 0x7f)
		u[0] = (char)v, n = 1;
	else if (v <= 0x7ff)
		u[0] = (char)(0xc0 | v >> 6), u[1] = (char)(0x80 | (v & 0x3f)), n = 2;
	else if (v <= 0xffff)
		u[0] = (char)(0xe0 | v >> 12), u[1] = (char)(0x80 | (v >> 6 & 0x3f)), u[2] = (char)(0x80 | (v & 0x3f)), n = 3;
	else
		u[0] = (char)(0xf0 | v >> 18), u[1] = (char)(0x80 | (v >> 12 & 0x3f)), u[2] = (char)(0x80 | (v >> 6 & 0x3f)),
		u[3] = (char)(0x80 | (v & 0x3f)), n = 4;
	pt_buf_add(b, u, n);
}

/* The string at *z (its opening quote), unescaped into d->text; its offset, *len its bytes. */
static long parse_string(struct jdoc *d, const char **z, int *len)
{
	const char *s = *z + 1;
	long off = (long)d->text.len;
	bool cut = false; /* after a \u0000, as SQLite does */

	for (;;) {
		size_t run = strcspn(s, "\"\\");

		if (!cut)
			pt_buf_add(&d->text, s, run);
		s += run;
		if (*s != '\\')
			break;
		char c = s[1];
		s += 2;
		if (c == 'u') {
			unsigned v = hex4(s), lo;

			s += 4;
			if (v == 0)
				cut = true;
			if ((v & 0xfc00) == 0xd800 && s[0] == '\\' && s[1] == 'u' && ((lo = hex4(s + 2)) & 0xfc00) == 0xdc00) {
				v = ((v & 0x3ff) << 10) + (lo & 0x3ff) + 0x10000;
				s += 6;
			}
			if (!cut)
				add_utf8(&d->text, v);
		} else if (!cut) {
			pt_buf_addch(&d->text, c == 'b' ? '\b' : c == 'f' ? '\f' : c == 'n' ? '\n' : c == 'r' ? '\r'
					       : c == 't' ? '\t' : c);
		}
	}
	*len = (int)(d->text.len - (size_t)off);
	pt_buf_addch(&d->text, '\0');
	*z = s + 1;
	return off;
}

static void skip_space(const char **z)
{
	while (**z == ' ' || **z == '\t' || **z == '\n' || **z == '\r')
		(*z)++;
}

/* A number's value as json_each() gives it: an integer, or a real when it has a fraction
 * or an exponent or does not fit in 64 bits; and its text as SQLite prints it. */
static void parse_number(struct jdoc *d, struct jnode *n, const char **z)
{
	const char *s = *z, *p = s + (*s == '-');
	bool real = false;
	sqlite3_uint64 u = 0;
	char num[40];

	while ((*p >= '0' && *p <= '9') || *p == '.' || *p == 'e' || *p == 'E' || *p == '+' || *p == '-') {
		if (*p < '0' || *p > '9')
			real = true;
		else if (u > (sqlite3_uint64)INT64_MAX / 10 + 1)
			real = true;
		else
			u = u * 10 + (sqlite3_uint64)(*p - '0');
		p++;
	}
	if (!real && (u <= (sqlite3_uint64)INT64_MAX || (*s == '-' && u == (sqlite3_uint64)INT64_MAX + 1))) {
		n->type = J_INT;
		n->i = *s == '-' ? (sqlite3_int64)(0 - u) : (sqlite3_int64)u;
		sqlite3_snprintf(sizeof num, num, "%lld", n->i);
	} else {
		n->type = J_REAL;
		n->r = strtod(s, NULL);
		sqlite3_snprintf(sizeof num, num, "%!.15g", n->r);
	}
	n->text = (long)d->text.len;
	n->len = (int)strlen(num);
	pt_buf_add(&d->text, num, strlen(num) + 1);
	*z = p;
}

/* The value at *z, a member named key (-1 for none), and all it holds. */
static void parse_value(struct jdoc *d, const char **z, long key)
{
	const char *s;
	int i;

	skip_space(z);
	s = *z;
	if (*s == '{' || *s == '[') {
		char close = *s == '{' ? '}' : ']';

		i = new_node(d, *s == '{' ? J_OBJECT : J_ARRAY, key);
		(*z)++;
		skip_space(z);
		while (**z && **z != close) {
			long name = -1;
			int len;

			if (close == '}') {
				name = parse_string(d, z, &len);
				skip_space(z);
				(*z)++; /* the colon */
			}
			parse_value(d, z, name);
			skip_space(z);
			if (**z == ',')
				(*z)++;
			skip_space(z);
		}
		if (**z)
			(*z)++;
		d->n[i].end = d->len;
		d->n[i].src = s;
		d->n[i].srclen = (size_t)(*z - s);
		return;
	}
	i = new_node(d, J_NULL, key);
	if (*s == '"') {
		d->n[i].type = J_TEXT;
		d->n[i].text = parse_string(d, z, &d->n[i].len);
	} else if (*s == 't' || *s == 'f') {
		d->n[i].type = *s == 't' ? J_TRUE : J_FALSE;
		d->n[i].i = *s == 't';
		d->n[i].text = (long)d->text.len;
		d->n[i].len = 1;
		pt_buf_add(&d->text, *s == 't' ? "1" : "0", 2);
		*z += *s == 't' ? 4 : 5;
	} else if (*s == 'n') {
		*z += 4;
	} else {
		parse_number(d, &d->n[i], z);
	}
}

/* Parse data, which json_valid() accepted, into d. */
static void read_doc(struct jdoc *d, const char *data)
{
	doc_clear(d);
	parse_value(d, &data, -1);
}

static const char *key_of(const struct jdoc *d, int i)
{
	return d->n[i].key < 0 ? NULL : d->text.buf + d->n[i].key;
}

/* The first member of object o named name (as a JSON path would find it), or -1. */
static int member(const struct jdoc *d, int o, const char *name)
{
	if (o < 0 || d->n[o].type != J_OBJECT)
		return -1;
	for (int c = o + 1; c < d->n[o].end; c = d->n[c].end)
		if (d->n[c].key >= 0 && !strcmp(d->text.buf + d->n[c].key, name))
			return c;
	return -1;
}

static enum jtype type_of(const struct jdoc *d, int i)
{
	return i < 0 ? J_NULL : d->n[i].type;
}

/* An object's or array's JSON text without the spaces outside strings. */
static const char *json_of(struct jnode *n)
{
	if (!n->json) {
		char *o = n->json = pt_xmalloc(n->srclen + 1);
		bool in_string = false;

		for (size_t k = 0; k < n->srclen; k++) {
			char c = n->src[k];

			if (in_string && c == '\\')
				*o++ = c, c = n->src[++k];
			else if (c == '"')
				in_string = !in_string;
			else if (!in_string && (c == ' ' || c == '\t' || c == '\n' || c == '\r'))
				continue;
			*o++ = c;
		}
		*o = '\0';
	}
	return n->json;
}

/* A value as text (sqlite3_value_text() of what json_each() gives), NULL for null or none. */
static const char *text_of(struct jdoc *d, int i)
{
	if (i < 0 || d->n[i].type == J_NULL)
		return NULL;
	if (d->n[i].type == J_OBJECT || d->n[i].type == J_ARRAY)
		return json_of(&d->n[i]);
	return d->text.buf + d->n[i].text;
}

/* Bind node i's value to parameter p of q. */
static void bind_node(sqlite3_stmt *q, int p, struct jdoc *d, int i)
{
	const struct jnode *n = &d->n[i];

	switch (n->type) {
	case J_NULL:
		sqlite3_bind_null(q, p);
		break;
	case J_TRUE:
	case J_FALSE:
	case J_INT:
		sqlite3_bind_int64(q, p, n->i);
		break;
	case J_REAL:
		sqlite3_bind_double(q, p, n->r);
		break;
	case J_TEXT:
		sqlite3_bind_text(q, p, d->text.buf + n->text, n->len, SQLITE_STATIC);
		break;
	default:
		sqlite3_bind_text(q, p, json_of(&d->n[i]), -1, SQLITE_STATIC);
	}
}

/* A value as sqlite3_value_int64() reads it: a bulk event's count of rows. */
static long long count_of(struct jdoc *d, int i)
{
	enum jtype t = type_of(d, i);

	if (t == J_REAL) /* clamped, as SQLite converts */
		return d->n[i].r <= (double)INT64_MIN ? INT64_MIN : d->n[i].r >= (double)INT64_MAX ? INT64_MAX
		       : (long long)d->n[i].r;
	return t == J_TEXT ? strtoll(text_of(d, i), NULL, 10) : t == J_INT || t == J_TRUE || t == J_FALSE ? d->n[i].i : 0;
}

/* ---- one event's rows ---- */

static void row_finding(struct replay *x, const char *table, const char *key, const char *what)
{
	struct pt_replay_finding f = { table, key, NULL, NULL, NULL, NULL, x->event_id, what };

	finding(x, &f);
}

/* Append the members of object o of the event's data, each a column of the table (of its
 * key, with key_only), to b as "col"suffix with sep between; *n gets how many. A member that
 * is no such column is PT_EDATA (a forged event). */
static int name_members(struct replay *x, const struct table_info *ti, int o, bool key_only, struct pt_buf *b,
			const char *sep, const char *suffix, int *n, struct pt_err *e)
{
	struct jdoc *d = &x->doc;

	*n = 0;
	for (int c = o + 1; c < d->n[o].end; c = d->n[c].end) {
		const char *col = key_of(d, c);

		if (!col || !(key_only ? is_key(ti, col) : is_column(ti, col)))
			return pt_err_set(e, PT_EDATA, "a row of %s names %s, not a %s of it", ti->t->name,
					  col ? col : "nothing", key_only ? "key column" : "column");
		/* without printf: this runs for every column of every row change */
		pt_buf_adds(b, (*n)++ ? sep : "");
		pt_buf_addch(b, '"');
		pt_buf_adds(b, col);
		pt_buf_addch(b, '"');
		pt_buf_adds(b, suffix);
	}
	return 0;
}

/* Bind the values of object o's members to q from parameter `from`. */
static void bind_values(struct replay *x, sqlite3_stmt *q, int from, int o)
{
	struct jdoc *d = &x->doc;

	for (int c = o + 1, i = from; c < d->n[o].end; c = d->n[c].end)
		bind_node(q, i++, d, c);
}

/* The key of a row change (object o) as "col=value ..." (for findings). */
static void key_text(struct replay *x, int o, struct pt_buf *out)
{
	struct jdoc *d = &x->doc;

	pt_buf_reset(out);
	for (int c = o + 1; c < d->n[o].end; c = d->n[c].end)
		pt_buf_addf(out, "%s%s=%s", out->len ? " " : "", key_of(d, c) ? key_of(d, c) : "", or_null((const unsigned char *)text_of(d, c)));
}

static int since_seed(struct replay *x, const struct table_info *ti, int k, struct pt_err *e);

/* The columns of a table the comparison can take as proven (pt_proven, a bit per column by
 * position) fit in 63 bits; a wider table is copied whole. */
#define PROVEN_MAX 63

/* The bits of the columns object o sets: a column an event writes is compared again. */
static uint64_t set_mask(struct replay *x, const struct table_info *ti, int o)
{
	struct jdoc *d = &x->doc;
	uint64_t m = 0;

	for (int c = o + 1; c < d->n[o].end; c = d->n[c].end) {
		int i = col_index(ti, key_of(d, c));

		if (i >= 0 && i < PROVEN_MAX)
			m |= (uint64_t)1 << i;
	}
	return m;
}
static int since_unbury(struct replay *x, const struct table_info *ti, int v, struct pt_err *e);
struct bulk_effect;
static int copy_deferred(struct replay *x, struct table_info *ti, const struct bulk_effect *fx, const char *data,
			 struct pt_err *e);

/* Append the positions of object o's members in the table (of its key, with key_only) to
 * the shape; false when one is no such column, or the shape is full. */
static bool shape_members(struct replay *x, const struct table_info *ti, int o, bool key_only, struct shape *sh)
{
	struct jdoc *d = &x->doc;

	for (int c = o + 1; c < d->n[o].end; c = d->n[c].end) {
		const char *col = key_of(d, c);
		int i = col ? col_index(ti, col) : -1;

		if (i < 0 || i >= UCHAR_MAX || sh->len == SHAPE_MAX || (key_only && !is_key(ti, col)))
			return false;
		sh->key[sh->len++] = (unsigned char)i;
	}
	return true;
}

/* The shape of a row change (op 0 insert, 1 update, 2 delete) into sh, and its statement
 * when one was prepared for that shape before, else NULL. False when the change is not one
 * the shape covers (a member that is no column, a key not whole): the text is then built
 * and its errors given as they always were. */
static bool row_shape(struct replay *x, const struct table_info *ti, int op, int k, int v, struct shape *sh)
{
	int nk;

	sh->len = 0;
	sh->q = NULL;
	if (ti - x->tables >= UCHAR_MAX)
		return false;
	sh->key[sh->len++] = (unsigned char)op;
	sh->key[sh->len++] = (unsigned char)(ti - x->tables);
	if (v >= 0 && op != 2 && !shape_members(x, ti, v, false, sh))
		return false;
	if (sh->len == SHAPE_MAX)
		return false;
	sh->nv = sh->len - 2;
	sh->key[sh->len++] = UCHAR_MAX; /* between the values and the key */
	nk = sh->len;
	if (op != 0 && (!shape_members(x, ti, k, true, sh) || sh->len - nk != ti->c.nkey))
		return false;
	sh->hash = bytes_hash(sh->key, (size_t)sh->len);
	for (size_t i = 0; i < x->nshapes; i++)
		if (x->shapes[i].hash == sh->hash && x->shapes[i].len == sh->len &&
		    !memcmp(x->shapes[i].key, sh->key, (size_t)sh->len)) {
			sh->q = x->shapes[i].q;
			break;
		}
	return true;
}

/* Keep q, prepared for the shape, for its next row change (while the cache holds it). */
static void shape_keep(struct replay *x, struct shape *sh, sqlite3_stmt *q)
{
	if (!is_cached(x, q))
		return;
	sh->q = q;
	x->shapes = pt_xrealloc(x->shapes, (x->nshapes + 1) * sizeof *x->shapes);
	x->shapes[x->nshapes++] = *sh;
}

/* The SQL of a row change into x->sql (see apply_row); *nv the number of its values. */
static int row_sql(struct replay *x, const struct table_info *ti, bool ins, bool upd, bool mark, int k, int v,
		   int *nv, struct pt_err *e)
{
	const char *table = ti->t->name;
	int n = 0;

	pt_buf_reset(&x->sql);
	if (ins) {
		pt_buf_addf(&x->sql, "INSERT INTO " SCRATCH ".\"%s\" (", table);
		if (name_members(x, ti, v, false, &x->sql, ", ", "", nv, e))
			return -1;
		pt_buf_adds(&x->sql, *nv ? ", pt_event) VALUES (" : "pt_event) VALUES (");
		for (int i = 0; i <= *nv; i++)
			pt_buf_adds(&x->sql, i ? ", ?" : "?");
		pt_buf_addch(&x->sql, ')');
	} else if (upd) {
		pt_buf_addf(&x->sql, "UPDATE " SCRATCH ".\"%s\" SET ", table);
		if (name_members(x, ti, v, false, &x->sql, ", ", " = ?", nv, e))
			return -1;
		pt_buf_addf(&x->sql, "%spt_event = ?, pt_proven = pt_proven & ~%llu WHERE %s", *nv ? ", " : "",
			    (unsigned long long)set_mask(x, ti, v), x->since ? "pt_state IS NOT 'deleted' AND " : "");
	} else if (mark) {
		pt_buf_addf(&x->sql, "UPDATE " SCRATCH ".\"%s\" SET pt_state = 'deleted', pt_event = ?"
			    " WHERE pt_state IS NOT 'deleted' AND ", table);
	} else {
		pt_buf_addf(&x->sql, "DELETE FROM " SCRATCH ".\"%s\" WHERE ", table);
	}
	if (!ins) {
		/* the key's members in the order the JSON has them, numbered after the values */
		if (name_members(x, ti, k, true, &x->sql, " AND ", " IS ?", &n, e))
			return -1;
		if (n != ti->c.nkey)
			return pt_err_set(e, PT_EDATA, "a row change of %s without its key", table);
	}
	return 0;
}

/* Apply one row change: insert (v: every column), update (k: key, v: the new values), delete
 * (k); k and v are objects of the event's data, -1 when absent. A change the scratch table
 * cannot take is a finding, not a failure. Its statement is found by the change's shape
 * (row_shape), its text built only for a shape not seen before: that text was built and
 * looked up for every row. */
static int apply_row(struct replay *x, const char *table, const char *op, int k, int v, struct pt_err *e)
{
	struct table_info *ti = info_of(x, table);
	sqlite3_stmt *q = NULL;
	struct shape sh;
	int nv = 0, rc = 0;
	bool ins = op && !strcmp(op, "insert"), upd = op && !strcmp(op, "update"), del = op && !strcmp(op, "delete");
	bool mark = del && x->since; /* from a checkpoint a deleted row stays, marked (since_seed) */
	bool shaped;

	if (!ti || !(ins || upd || del) || (ins ? v < 0 : k < 0) || (upd && v < 0))
		return pt_err_set(e, PT_EDATA, "a row change the log cannot hold (%s %s)", op ? op : "?",
				  table ? table : "?");
	if (x->since && (ins ? since_unbury(x, ti, v, e) : since_seed(x, ti, k, e)))
		return -1;
	if (copy_deferred(x, ti, NULL, NULL, e))
		return -1;
	if (mark)
		del = false;
	shaped = row_shape(x, ti, ins ? 0 : upd ? 1 : 2, k, v, &sh);
	if (shaped && sh.q) {
		q = sh.q;
		nv = sh.nv;
	} else {
		rc = row_sql(x, ti, ins, upd, mark, k, v, &nv, e) ? -1 : cprepare(x, x->sql.buf, &q, e);
		if (rc == 0 && shaped)
			shape_keep(x, &sh, q);
	}
	if (rc == 0 && !del && !mark)
		bind_values(x, q, 1, v);
	if (rc == 0 && !del)
		sqlite3_bind_int64(q, nv + 1, x->event_id);
	if (rc == 0 && !ins)
		bind_values(x, q, del ? 1 : nv + 2, k);
	if (rc == 0) {
		int s = sqlite3_step(q);

		if (s == SQLITE_CONSTRAINT || (s == SQLITE_DONE && !ins && sqlite3_changes(x->db->sql) != 1)) {
			key_text(x, ins ? v : k, &x->b);
			row_finding(x, table, x->b.buf,
				    !ins ? "the log changes a row that it never created"
				    : sqlite3_extended_errcode(x->db->sql) == SQLITE_CONSTRAINT_NOTNULL
					    ? "the log creates a row without its key"
					    : "the log creates a row that it created before");
		} else if (s != SQLITE_DONE) {
			rc = pt_db_fail(x->db, s, "cannot replay the log", e);
		}
	}
	crelease(x, q);
	return rc;
}

/* The row changes of the event's data ("rows", its shape checked). */
static int apply_rows(struct replay *x, struct pt_err *e)
{
	struct jdoc *d = &x->doc;
	int rows = member(d, 0, "rows");

	for (int r = rows + 1; rows >= 0 && r < d->n[rows].end; r = d->n[r].end)
		if (apply_row(x, text_of(d, member(d, r, "t")), text_of(d, member(d, r, "op")), member(d, r, "k"),
			      member(d, r, "v"), e))
			return -1;
	return 0;
}

/* ---- bulk rows ---- */

static void names_add(struct pt_strv *v, const char *s)
{
	v->v = pt_xrealloc(v->v, (v->n + 1) * sizeof *v->v);
	v->v[v->n++] = pt_xstrdup(s);
}

static void names_release(struct pt_strv *v)
{
	for (size_t i = 0; i < v->n; i++)
		free(v->v[i]);
	free(v->v);
}

/* The columns a bulk event digested: those its "cols" names (node cols, a JSON array), or
 * for an event of schema 1 that named none (-1, or null), the table's first_digest. Each must
 * be a column of the table that no later event changes; else a finding, and false. */
static bool digested_cols(struct replay *x, const struct table_info *ti, int cols, struct pt_strv *out)
{
	struct jdoc *d = &x->doc;
	bool ok = type_of(d, cols) == J_ARRAY || type_of(d, cols) == J_OBJECT;

	if (cols < 0 || d->n[cols].type == J_NULL) {
		for (const char *const *c = ti->t->first_digest; c && *c; c++)
			names_add(out, *c);
		return true;
	}
	for (int i = cols + 1; ok && i < d->n[cols].end; i = d->n[i].end) {
		const char *c = text_of(d, i);

		if (!c || !is_column(ti, c) || pt_change_later_col(ti->t, c))
			ok = false;
		else
			names_add(out, c);
	}
	if (!ok || !out->n) {
		struct pt_replay_finding f = { ti->t->name, NULL, NULL, NULL, NULL, text_of(d, cols), x->event_id, NULL };

		f.what = "a bulk event's digest names columns the table cannot have digested";
		finding(x, &f);
	}
	return ok && out->n;
}

/* The first and last id of the rows that point to bulk event `event` (1 and 0 when none): a
 * bulk event's rows are a run of ids, which the digest and the copy read along the table
 * instead of seeking each row from the index of event_id (as the writer's digest does). A
 * row edited to point elsewhere only widens the run; the rows read are the same. */
static int bulk_span(struct replay *x, const char *table, long long event, long long span[2], struct pt_err *e)
{
	for (int last = 0; last < 2; last++) {
		sqlite3_stmt *q = NULL;
		int rc;

		pt_buf_reset(&x->sql);
		pt_buf_addf(&x->sql, "SELECT id FROM main.\"%s\" WHERE event_id = ?1 ORDER BY id %s LIMIT 1", table,
			    last ? "DESC" : "ASC");
		if (cprepare(x, x->sql.buf, &q, e))
			return -1;
		sqlite3_bind_int64(q, 1, event);
		rc = sqlite3_step(q);
		span[last] = rc == SQLITE_ROW ? sqlite3_column_int64(q, 0) : 1 - last;
		crelease(x, q);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE)
			return pt_db_fail(x->db, rc, "cannot read the rows of a bulk event", e);
	}
	return 0;
}

static int check_digest(struct replay *x, const char *table, const struct pt_strv *cols, long long rows,
			const char *sha, const long long span[2], struct pt_err *e)
{
	struct pt_sha256 *h = NULL;
	sqlite3_stmt *q = NULL;
	long long n = 0;
	char hex[PT_SHA256_HEX];
	int rc;

	pt_change_digest_sql(table, true, cols->v, (int)cols->n, &x->sql);
	if (pt_db_prepare(x->db, x->sql.buf, &q, e))
		return -1;
	sqlite3_bind_int64(q, 1, x->event_id);
	/* every row that points to the event: all lie in its span */
	sqlite3_bind_int64(q, 2, span[0]);
	sqlite3_bind_int64(q, 3, span[1]);
	h = pt_sha256_new();
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		pt_change_digest_row(h, q, &x->b);
		n++;
	}
	sqlite3_finalize(q);
	pt_sha256_final_hex(h, hex);
	pt_sha256_free(h);
	if (rc != SQLITE_DONE)
		return pt_db_fail(x->db, rc, "cannot read the rows of a bulk event", e);
	if (n != rows || !sha || strcmp(sha, hex)) {
		struct pt_replay_finding f = { table, NULL, NULL, NULL, NULL, NULL, x->event_id, NULL };
		char stored[128], expected[128];

		snprintf(stored, sizeof stored, "%lld rows, sha256 %s", n, hex);
		snprintf(expected, sizeof expected, "%lld rows, sha256 %.64s", rows, sha ? sha : "");
		f.stored = stored;
		f.expected = expected;
		f.what = "the rows of a bulk event do not match its digest: one was inserted, deleted or edited";
		finding(x, &f);
	}
	return 0;
}

static int exec_event(struct replay *x, const char *sql, const char *data, struct pt_err *e);

/* Whether a column the digest of a bulk event covers need not be copied for the comparison:
 * in a whole verify (pt_replay_as_of's tables stand in for the stored ones and need every
 * value), not a key, nor what a finding locates the row by (its case, its event). The
 * digest, checked on the stored rows, proves it; the comparison skips it (pt_proven) until
 * an event writes it. */
static bool provable(const struct replay *x, const struct table_info *ti, int i)
{
	const char *c = ti->c.name[i];

	return !x->since && !x->upto && i < PROVEN_MAX && !is_key(ti, c) && strcmp(c, "event_id") &&
	       strcmp(c, "petition_id");
}

/* 1 when the scratch copy of the table holds no row (the first import or routing run: a
 * step's seq is then its place among its case's steps of the event, without a look-up of
 * the case's steps so far for every row), 0 when it does, -2 on failure. */
static int scratch_is_empty(struct replay *x, const struct table_info *ti, struct pt_err *e)
{
	struct pt_buf sql = PT_BUF_INIT;
	sqlite3_stmt *q = NULL;
	int rc;

	pt_buf_addf(&sql, "SELECT 1 FROM " SCRATCH ".\"%s\" LIMIT 1", ti->t->name);
	rc = pt_db_prepare(x->db, sql.buf, &q, e) ? -2 : sqlite3_step(q);
	if (rc == SQLITE_ROW || rc == SQLITE_DONE) {
		rc = rc == SQLITE_DONE;
	} else if (rc != -2) {
		pt_db_fail(x->db, rc, "cannot replay the log", e);
		rc = -2;
	}
	sqlite3_finalize(q);
	pt_buf_release(&sql);
	return rc;
}

/* What a bulk event does besides creating its rows, by kind: a routing run moves the cases
 * it gave steps (and those listed in "no_new_steps": every step of their rule was done
 * already) from registered to assigned, their holder the first of their new steps (route.h).
 * The steps are read where they are stored: the event's digest, checked just before, proves
 * them, and no later event deletes a bulk row or changes its holder or event. */
static const struct bulk_effect {
	const char *kind;
	const char *sql;
	const char *seed;        /* from a checkpoint: the stored rows it changes, copied first */
	/* the table it changes, and for rows whose copy was deferred until now (defer_bulk):
	 * what to join to the stored row s, when the effect applies to it, and the columns it
	 * sets, with their values then (?2 the event, ?3 its data); the last two also [1] as
	 * the merge along the run's steps gives them (pt_replay_first), without the join */
	const char *table, *fold_join, *fold_when[2];
	const char *fold_set[2][3];
} bulk_effects[] = {
	{ "routed",
	  "UPDATE " SCRATCH ".petitions SET state = 'assigned', pt_event = ?1, holder = f.holder"
	  " FROM (SELECT s.petition_id AS id, s.holder AS holder, min(s.id) FROM main.steps s WHERE s.event_id = ?1"
	  "  GROUP BY s.petition_id" /* the holder of the case's first step: SQLite's min() picks the row */
	  "  UNION ALL SELECT n.value, NULL, NULL FROM json_each(?2, '$.no_new_steps') n"
	  "  WHERE n.value NOT IN (SELECT petition_id FROM main.steps WHERE event_id = ?1)) f"
	  " WHERE petitions.id = f.id",
	  "INSERT OR IGNORE INTO " SCRATCH ".petitions SELECT *, 0, NULL, 0 FROM main.petitions"
	  " WHERE id IN (SELECT petition_id FROM " SCRATCH ".steps WHERE event_id = ?1"
	  " UNION SELECT value FROM json_each(?2, '$.no_new_steps'))",
	  "petitions",
	  "LEFT JOIN main.steps h ON h.id = (SELECT min(st.id) FROM main.steps st INDEXED BY sqlite_autoindex_steps_1"
	  " WHERE st.petition_id = s.id AND st.event_id = ?2)",
	  { "(h.id IS NOT NULL OR s.id IN (SELECT value FROM json_each(?3, '$.no_new_steps')))",
	    "(pt_replay_first(s.id, 0) OR s.id IN (SELECT value FROM json_each(?3, '$.no_new_steps')))" },
	  { { "state", "'assigned'", "'assigned'" }, { "holder", "h.holder", "pt_replay_first(s.id, 1)" } } },
};

static int copy_run(struct replay *x, const char *sql, long long event, const long long span[2], const char *data,
		    struct pt_err *e);

/* With fx, the value of column c (created as l says) that the effect sets, appended to
 * values; false when it sets no such column. */
static bool folded(const struct bulk_effect *fx, bool merged, const char *c, const struct pt_change_later *l,
		   struct pt_buf *values)
{
	for (int k = 0; fx && k < 2; k++)
		if (!strcmp(fx->fold_set[k][0], c)) {
			pt_buf_addf(values, "CASE WHEN %s THEN %s ELSE %s END", fx->fold_when[merged], fx->fold_set[k][1 + merged],
				    l && l->created ? l->created : "NULL");
			return true;
		}
	return false;
}

/* The keys of a petition (schema/006-keys.sql), worked out again from the columns they are
 * the keys of, never taken from the row: a key that is not its columns' (edited, or
 * written wrong) differs in the comparison, whatever an event's digest covers. */
static const struct derived {
	const char *table, *col, *sql;   /* sql over the stored row s */
} derived_cols[] = {
	{ "petitions", "case_key", "pt_case_key(s.case_no)" },
	{ "petitions", "dup_key",
	  "CASE WHEN s.external_id IS NOT NULL THEN pt_key_ordered(s.external_id, 'x', s.unit, s.external_id)"
	  " ELSE pt_key_ordered(s.received_on, 'f', s.unit, s.received_on, s.channel, s.petitioner, s.id_number,"
	  " s.category, s.summary) END" },
};

static const char *derived_sql(const struct table_info *ti, const char *col)
{
	for (size_t i = 0; i < sizeof derived_cols / sizeof *derived_cols; i++)
		if (!strcmp(derived_cols[i].table, ti->t->name) && !strcmp(derived_cols[i].col, col))
			return derived_cols[i].sql;
	return NULL;
}

/* pt_replay_seq(petition_id): a step's seq among its case's steps of a bulk event, for rows
 * read in id order: the next after the row before when it is of the same case, else 1.
 * That is row_number() over the case's steps in id order, without the window's sort of
 * every step of the event (its memory grew with the log, up to the page cache's size), as
 * long as each case's steps are one run of ids, as a routing run writes them; a case id
 * lower than the one before, or not an integer, stops the copy (SQLite undoes it) and
 * copy_bulk numbers the steps by the window instead. */
static void seq_sql(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	struct replay *x = sqlite3_user_data(ctx);
	long long p = sqlite3_value_int64(argv[0]);

	(void)argc;
	if (sqlite3_value_type(argv[0]) != SQLITE_INTEGER || p < x->seq.petition) {
		x->seq.unordered = true;
		sqlite3_result_error(ctx, "steps not in runs of their cases", -1);
		return;
	}
	x->seq.n = p == x->seq.petition ? x->seq.n + 1 : 1;
	x->seq.petition = p;
	sqlite3_result_int64(ctx, x->seq.n);
}

/* pt_replay_first(id, 0), pt_replay_first(id, 1): whether case id has a step in the routing
 * run being folded into the copy of its petition, and the holder of its first one, for cases
 * asked in id order against the run's steps read along their ids (first_open): a merge,
 * instead of a look-up of the case's steps for every petition. The steps must come in runs
 * of their cases, by increasing case, as a routing run writes them; else (or a case asked
 * out of order) the copy stops, SQLite undoes it, and copy_bulk makes it again with the
 * look-up. */
static bool first_seek(struct replay *x, sqlite3_value *v)
{
	long long p = sqlite3_value_int64(v);

	if (sqlite3_value_type(v) != SQLITE_INTEGER || p < x->first.asked)
		return false;
	x->first.asked = p;
	while (x->first.at < p) {
		int rc = sqlite3_step(x->first.q);
		long long at = rc == SQLITE_ROW ? sqlite3_column_int64(x->first.q, 0) : LLONG_MAX;

		if ((rc != SQLITE_ROW && rc != SQLITE_DONE) ||
		    (rc == SQLITE_ROW && (sqlite3_column_type(x->first.q, 0) != SQLITE_INTEGER || at < x->first.at)))
			return false;
		if (rc == SQLITE_ROW && at != x->first.at) { /* the case's first step of the run */
			sqlite3_value_free(x->first.holder);
			x->first.holder = sqlite3_value_dup(sqlite3_column_value(x->first.q, 1));
		}
		x->first.at = at;
	}
	return true;
}

static void first_sql(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	struct replay *x = sqlite3_user_data(ctx);

	(void)argc;
	if (!first_seek(x, argv[0])) {
		x->seq.unordered = true;
		sqlite3_result_error(ctx, "steps not in runs of their cases", -1);
	} else if (sqlite3_value_int(argv[1]) == 0) {
		sqlite3_result_int(ctx, x->first.at == x->first.asked);
	} else if (x->first.at == x->first.asked) {
		sqlite3_result_value(ctx, x->first.holder);
	} else {
		sqlite3_result_null(ctx);
	}
}

/* The routing run's steps (the event being replayed), along their ids, for the merge. */
static int first_open(struct replay *x, struct pt_err *e)
{
	long long span[2];

	x->first.asked = x->first.at = LLONG_MIN;
	/* a savepoint: the copy is undone when the steps turn out not to be in order after it */
	if (bulk_span(x, "steps", x->event_id, span, e) || pt_db_exec(x->db, "SAVEPOINT pt_fold", e))
		return -1;
	x->first.saved = true;
	if (pt_db_prepare(x->db, "SELECT petition_id, holder FROM main.steps WHERE +event_id = ?1 AND id BETWEEN ?2 AND ?3"
			  " ORDER BY id", &x->first.q, e))
		return -1;
	sqlite3_bind_int64(x->first.q, 1, x->event_id);
	sqlite3_bind_int64(x->first.q, 2, span[0]);
	sqlite3_bind_int64(x->first.q, 3, span[1]);
	return 0;
}

/* After the copy: the run's steps not read yet must follow in order too (a step of an
 * earlier case after them would have been missed); false when they do not. */
static bool first_rest_ordered(struct replay *x)
{
	int rc;

	while ((rc = sqlite3_step(x->first.q)) == SQLITE_ROW) {
		long long at = sqlite3_column_int64(x->first.q, 0);

		if (sqlite3_column_type(x->first.q, 0) != SQLITE_INTEGER || at < x->first.at)
			return false;
		x->first.at = at;
	}
	return rc == SQLITE_DONE;
}

static void first_close(struct replay *x)
{
	if (x->first.saved)
		sqlite3_exec(x->db->sql, "RELEASE pt_fold", NULL, NULL, NULL);
	x->first.saved = false;
	sqlite3_finalize(x->first.q);
	x->first.q = NULL;
	sqlite3_value_free(x->first.holder);
	x->first.holder = NULL;
}

/* Copy the rows of bulk event `event` into the scratch table as they were created: the
 * columns it digested as stored (the digest proves them), those later events change as
 * pt_change_tables says, the keys worked out again (derived_cols), and a column added after
 * the event its default; with fx, as the bulk effect of the event being replayed (data its
 * data) left them (defer_bulk). */
static int copy_bulk(struct replay *x, struct table_info *ti, long long event, const long long span[2],
		     const struct pt_strv *cols, const struct bulk_effect *fx, const char *data, struct pt_err *e)
{
	struct pt_buf values = PT_BUF_INIT;
	int rc, k = 0, empty = -1; /* the scratch table: empty 1, not 0, not asked -1, failed -2 */
	uint64_t proven = 0;
	/* the routing run merged into the copy of one import's rows, not joined; with several
	 * imports waiting, each merge would read the run's steps to their end again (20 imports
	 * of 10,000 rows: 1.6 s merged, 0.9 s joined) */
	bool numbered = false, merged = fx && !x->seq.window && ti->ndeferred == 1;

	if (merged && first_open(x, e)) {
		first_close(x);
		return -1;
	}
	pt_buf_reset(&x->sql);
	pt_buf_addf(&x->sql, "INSERT INTO " SCRATCH ".\"%s\" (", ti->t->name);
	for (int i = 0; i < ti->c.n; i++) {
		const char *c = ti->c.name[i];
		const struct pt_change_later *l = pt_change_later_col(ti->t, c);
		const char *d = derived_sql(ti, c);

		if (d) {
			pt_buf_addf(&x->sql, "%s\"%s\"", k ? ", " : "", c);
			pt_buf_addf(&values, "%s%s", k++ ? ", " : "", d);
			continue;
		}
		if (!l && !pt_strv_has(cols, c))
			continue;
		if (!l && provable(x, ti, i)) {
			proven |= (uint64_t)1 << i;
			continue;
		}
		pt_buf_addf(&x->sql, "%s\"%s\"", k ? ", " : "", c);
		pt_buf_adds(&values, k++ ? ", " : "");
		if (folded(fx, merged, c, l, &values))
			;
		else if (!l)
			pt_buf_addf(&values, "s.\"%s\"", c);
		else if (l->created)
			pt_buf_adds(&values, l->created);
		else if (x->since) /* from a checkpoint the steps before it are not replayed: as stored */
			pt_buf_addf(&values, "s.\"%s\"", c);
		else { /* steps.seq: after the case's steps so far (none in an empty table), in id order */
			if (empty == -1)
				empty = scratch_is_empty(x, ti, e);
			if (empty == 0)
				pt_buf_adds(&values, "(SELECT coalesce(max(r.seq), 0) FROM " SCRATCH ".steps r"
					    " WHERE r.petition_id = s.petition_id) + ");
			pt_buf_adds(&values, x->seq.window ? "row_number() OVER (PARTITION BY s.petition_id ORDER BY s.id)"
				    : "pt_replay_seq(s.petition_id)");
			numbered = !x->seq.window;
		}
	}
	if (empty < -1) {
		pt_buf_release(&values);
		first_close(x);
		return -1;
	}
	pt_buf_addf(&x->sql, ", pt_event, pt_proven) SELECT %s, %s%s%s, %llu FROM main.\"%s\" s %s"
		    " WHERE +s.event_id = ?1 AND s.id BETWEEN ?4 AND ?5", /* along the table: bulk_span */
		    values.buf, fx ? "CASE WHEN " : "", fx ? fx->fold_when[merged] : "", fx ? " THEN ?2 ELSE ?1 END" : "?1",
		    (unsigned long long)proven, ti->t->name, fx && !merged ? fx->fold_join : "");
	if (numbered || merged) /* in id order, which the table's is: no sort */
		pt_buf_adds(&x->sql, " ORDER BY s.id");
	pt_buf_release(&values);
	x->seq.petition = LLONG_MIN;
	x->seq.n = 0;
	x->seq.unordered = false;
	rc = copy_run(x, x->sql.buf, event, span, data, e);
	if (merged && rc == 0 && !first_rest_ordered(x)) { /* undone here: again, joined */
		x->seq.unordered = true;
		rc = pt_db_exec(x->db, "ROLLBACK TO pt_fold", e) ? -2 : -1;
	}
	first_close(x);
	if (rc == 0) {
		ti->narrow = ti->copied ? ti->narrow & proven : proven;
		ti->copied = true;
	}
	if (rc == -1 && (numbered || merged) && x->seq.unordered) { /* undone: again, sorted or joined */
		pt_err_release(e);
		x->seq.window = true;
		rc = copy_bulk(x, ti, event, span, cols, fx, data, e);
		x->seq.window = false;
	}
	return rc ? -1 : 0;
}

/* Run a copy: ?1 the bulk event of the rows, ?2 the event being replayed, ?3 its data, ?4
 * and ?5 the first and last id of the rows. */
static int copy_run(struct replay *x, const char *sql, long long event, const long long span[2], const char *data,
		    struct pt_err *e)
{
	sqlite3_stmt *q = NULL;
	int rc;

	if (cprepare(x, sql, &q, e))
		return -1;
	sqlite3_bind_int64(q, 1, event);
	sqlite3_bind_int64(q, 2, x->event_id);
	sqlite3_bind_text(q, 3, data, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 4, span[0]);
	sqlite3_bind_int64(q, 5, span[1]);
	rc = sqlite3_step(q);
	crelease(x, q);
	return rc == SQLITE_DONE ? 0 : pt_db_fail(x->db, rc, "cannot replay the log", e);
}

/* Run sql with ?1 the event's id and ?2 its data. */
static int exec_event(struct replay *x, const char *sql, const char *data, struct pt_err *e)
{
	sqlite3_stmt *q = NULL;
	int rc;

	if (cprepare(x, sql, &q, e))
		return -1;
	sqlite3_bind_int64(q, 1, x->event_id);
	if (sqlite3_bind_parameter_count(q) >= 2)
		sqlite3_bind_text(q, 2, data, -1, SQLITE_STATIC);
	rc = sqlite3_step(q);
	crelease(x, q);
	return rc == SQLITE_DONE ? 0 : pt_db_fail(x->db, rc, "cannot replay the log", e);
}

/* ---- deferred bulk copies ----
 *
 * The rows of a bulk event into a table that a bulk effect changes (an import's petitions,
 * which a routing run then assigns) are copied into the scratch table only when it is next
 * needed: before a row change of the table, before the comparison, or by the bulk effect,
 * which copies them as it leaves them (copy_bulk with its effect) instead of copying them
 * and then rewriting every row a second time. Not from a checkpoint, whose seed reads the
 * scratch rows. */

static bool deferrable(const struct replay *x, const struct table_info *ti)
{
	for (size_t i = 0; !x->since && i < sizeof bulk_effects / sizeof *bulk_effects; i++)
		if (!strcmp(bulk_effects[i].table, ti->t->name))
			return true;
	return false;
}

/* Keep the event being replayed, whose digest covers cols (taken over), for later. */
static void defer_bulk(struct replay *x, struct table_info *ti, struct pt_strv *cols, const long long span[2])
{
	ti->deferred = pt_xrealloc(ti->deferred, (ti->ndeferred + 1) * sizeof *ti->deferred);
	ti->deferred[ti->ndeferred++] = (struct deferred){ x->event_id, *cols, { span[0], span[1] } };
	memset(cols, 0, sizeof *cols);
}

/* Copy the deferred rows of the table: as created, or with fx as the bulk effect of the
 * event being replayed (data its data) leaves them. */
static int copy_deferred(struct replay *x, struct table_info *ti, const struct bulk_effect *fx, const char *data,
			 struct pt_err *e)
{
	int rc = 0;

	for (size_t i = 0; i < ti->ndeferred; i++) {
		if (rc == 0)
			rc = copy_bulk(x, ti, ti->deferred[i].event, ti->deferred[i].span, &ti->deferred[i].cols, fx, data, e);
		names_release(&ti->deferred[i].cols);
	}
	ti->ndeferred = 0;
	return rc;
}

static int copy_all_deferred(struct replay *x, struct pt_err *e)
{
	for (size_t i = 0; i < x->ntables; i++)
		if (copy_deferred(x, &x->tables[i], NULL, NULL, e))
			return -1;
	return 0;
}

/* A bulk effect of the event being replayed: on the rows in the scratch table (none to
 * change when it is empty), and on the deferred ones as they are copied. */
static int apply_effect(struct replay *x, const struct bulk_effect *fx, const char *data, struct pt_err *e)
{
	struct table_info *ti = info_of(x, fx->table);
	int empty = 0;

	if (x->since && exec_event(x, fx->seed, data, e))
		return -1;
	if (ti && (empty = scratch_is_empty(x, ti, e)) < 0)
		return -1;
	if (!empty && exec_event(x, fx->sql, data, e))
		return -1;
	return ti ? copy_deferred(x, ti, fx, data, e) : 0;
}

/* The bulk rows of an event, and what its kind does besides when it is a run over many
 * cases (no petition_id). */
static void digest_queue(struct replay *x, const char *table, const struct pt_strv *cols, long long rows,
			 const char *sha, const long long span[2]);

static int apply_bulk(struct replay *x, const char *kind, bool run, const char *data, struct pt_err *e)
{
	struct jdoc *d = &x->doc;
	int bulk = member(d, 0, "bulk");

	for (int b = bulk + 1; bulk >= 0 && b < d->n[bulk].end; b = d->n[b].end) {
		struct table_info *ti = info_of(x, key_of(d, b));
		struct pt_strv cols = { 0 };
		int rows = member(d, b, "rows"), rc = 0;
		long long span[2];

		if (!ti || !ti->t->bulk)
			return pt_err_set(e, PT_EDATA, "a bulk table the log cannot hold");
		if (digested_cols(x, ti, member(d, b, "cols"), &cols)) {
			rc = bulk_span(x, ti->t->name, x->event_id, span, e);
			if (rc == 0 && x->digester) /* checked beside the copy */
				digest_queue(x, ti->t->name, &cols, count_of(d, rows), text_of(d, member(d, b, "sha256")),
					     span);
			else if (rc == 0)
				rc = check_digest(x, ti->t->name, &cols, count_of(d, rows), text_of(d, member(d, b, "sha256")),
						  span, e);
			if (rc == 0 && deferrable(x, ti))
				defer_bulk(x, ti, &cols, span);
			else if (rc == 0)
				rc = copy_bulk(x, ti, x->event_id, span, &cols, NULL, NULL, e);
		}
		names_release(&cols);
		if (rc)
			return -1;
	}
	for (size_t i = 0; run && i < sizeof bulk_effects / sizeof *bulk_effects; i++)
		if (!strcmp(bulk_effects[i].kind, kind) && apply_effect(x, &bulk_effects[i], data, e))
			return -1;
	return 0;
}

/* ---- the comparison ---- */

/* Text of a column for a finding: its value, or "NULL". */
static void value_text(sqlite3_stmt *q, int i, struct pt_buf *out)
{
	const char *v = (const char *)sqlite3_column_text(q, i);

	pt_buf_reset(out);
	pt_buf_adds(out, v ? v : "NULL");
}

/* The case a row belongs to, for a finding. */
static void case_of(struct replay *x, const struct table_info *ti, sqlite3_stmt *row, struct pt_buf *out)
{
	sqlite3_stmt *q = NULL;
	const char *col = !strcmp(ti->t->name, "petitions") ? "id" : !strcmp(ti->t->name, "steps") ? "petition_id" : NULL;

	pt_buf_reset(out);
	for (int i = 0; col && i < ti->c.n; i++) {
		if (strcmp(ti->c.name[i], col))
			continue;
		if (sqlite3_prepare_v2(x->db->sql, "SELECT case_no FROM main.petitions WHERE id = ?1", -1, &q, NULL) == SQLITE_OK) {
			sqlite3_bind_value(q, 1, sqlite3_column_value(row, i));
			if (sqlite3_step(q) == SQLITE_ROW)
				pt_buf_adds(out, (const char *)sqlite3_column_text(q, 0));
		}
		sqlite3_finalize(q);
	}
}

/* Whether two values of one type hold the same bytes (a NUL inside included). */
static bool same_bytes(sqlite3_value *a, sqlite3_value *b)
{
	if (sqlite3_value_type(a) == SQLITE_INTEGER) /* one integer, one text: not made for every column */
		return sqlite3_value_int64(a) == sqlite3_value_int64(b);
	const void *pa = sqlite3_value_type(a) == SQLITE_BLOB ? sqlite3_value_blob(a) : sqlite3_value_text(a);
	const void *pb = sqlite3_value_type(b) == SQLITE_BLOB ? sqlite3_value_blob(b) : sqlite3_value_text(b);
	int n = sqlite3_value_bytes(a);

	return n == sqlite3_value_bytes(b) && (n == 0 || !memcmp(pa, pb, (size_t)n));
}

/* Compare one differing row, stored (s, may have no row) against replayed (r). */
static void compare_row(struct replay *x, const struct table_info *ti, sqlite3_stmt *s, bool has_s, sqlite3_stmt *r,
			bool has_r, uint64_t proven)
{
	struct pt_replay_finding f = { ti->t->name, NULL, NULL, NULL, NULL, NULL, 0, NULL };
	struct pt_buf key = PT_BUF_INIT, sv = PT_BUF_INIT, rv = PT_BUF_INIT, cs = PT_BUF_INIT;
	sqlite3_stmt *any = has_s ? s : r;

	for (int i = 0; i < ti->c.n; i++)
		for (int k = 0; k < ti->c.nkey; k++)
			if (!strcmp(ti->c.name[i], ti->c.key[k]))
				pt_buf_addf(&key, "%s%s=%s", key.len ? " " : "", ti->c.name[i], or_null(sqlite3_column_text(any, i)));
	f.key = key.buf;
	case_of(x, ti, any, &cs);
	f.case_no = cs.len ? cs.buf : NULL;
	f.event_id = has_r ? sqlite3_column_int64(r, ti->c.n) : 0;
	if (!has_r) {
		f.what = "a row that no event wrote: inserted behind the toolkit's back";
		f.stored = "(row)";
	} else if (!has_s) {
		f.what = "a row the log wrote is missing: deleted behind the toolkit's back";
		f.expected = "(row)";
	} else {
		for (int i = 0; i < ti->c.n; i++) {
			sqlite3_value *a = sqlite3_column_value(s, i), *b = sqlite3_column_value(r, i);
			bool same = (i < PROVEN_MAX && proven >> i & 1) ||
				    (sqlite3_value_type(a) == sqlite3_value_type(b) &&
				     (sqlite3_value_type(a) == SQLITE_NULL || same_bytes(a, b)));

			if (same)
				continue;
			value_text(s, i, &sv);
			value_text(r, i, &rv);
			f.column = ti->c.name[i];
			f.stored = sv.buf;
			f.expected = rv.buf;
			f.what = "a value differs from what the log says: changed behind the toolkit's back";
			break;
		}
	}
	if (f.what)
		finding(x, &f);
	pt_buf_release(&key);
	pt_buf_release(&sv);
	pt_buf_release(&rv);
	pt_buf_release(&cs);
}

/* The order of ORDER BY (BINARY collation): NULL, numbers, text, blobs; numbers by value,
 * text and blobs by their bytes, then their length. */
static int value_cmp(sqlite3_value *a, sqlite3_value *b)
{
	static const int rank[] = { [SQLITE_INTEGER] = 1, [SQLITE_FLOAT] = 1, [SQLITE_TEXT] = 2, [SQLITE_BLOB] = 3,
				    [SQLITE_NULL] = 0 };
	int ta = sqlite3_value_type(a), tb = sqlite3_value_type(b), na, nb, c;

	if (rank[ta] != rank[tb])
		return rank[ta] - rank[tb];
	if (rank[ta] == 0)
		return 0;
	if (rank[ta] == 1) {
		if (ta == SQLITE_INTEGER && tb == SQLITE_INTEGER) {
			sqlite3_int64 ia = sqlite3_value_int64(a), ib = sqlite3_value_int64(b);

			return (ia > ib) - (ia < ib);
		}
		double da = sqlite3_value_double(a), db = sqlite3_value_double(b);

		return (da > db) - (da < db);
	}
	const void *pa = ta == SQLITE_BLOB ? sqlite3_value_blob(a) : (const void *)sqlite3_value_text(a);
	const void *pb = tb == SQLITE_BLOB ? sqlite3_value_blob(b) : (const void *)sqlite3_value_text(b);

	na = sqlite3_value_bytes(a);
	nb = sqlite3_value_bytes(b);
	c = na && nb ? memcmp(pa, pb, (size_t)(na < nb ? na : nb)) : 0;
	return c ? c : (na > nb) - (na < nb);
}

/* Whether the current rows of s and r hold the same values, of the same types. */
static bool same_row(const struct table_info *ti, sqlite3_stmt *s, sqlite3_stmt *r, uint64_t proven)
{
	for (int i = 0; i < ti->c.n; i++) {
		if (i < PROVEN_MAX && proven >> i & 1)
			continue;
		sqlite3_value *a = sqlite3_column_value(s, i), *b = sqlite3_column_value(r, i);

		if (sqlite3_value_type(a) != sqlite3_value_type(b) ||
		    (sqlite3_value_type(a) != SQLITE_NULL && !same_bytes(a, b)))
			return false;
	}
	return true;
}

/* The stored row with the key of s's row, whole, into w (when the comparison reads the
 * table narrowed: see compare_table). */
static int whole_row(struct replay *x, sqlite3_stmt *w, sqlite3_stmt *s, const int *keypos, int nkey, struct pt_err *e)
{
	int rc;

	sqlite3_reset(w);
	for (int k = 0; k < nkey; k++)
		sqlite3_bind_value(w, k + 1, sqlite3_column_value(s, keypos[k]));
	rc = sqlite3_step(w);
	return rc == SQLITE_ROW ? 0 : pt_db_fail(x->db, rc == SQLITE_DONE ? SQLITE_CORRUPT : rc,
						 "cannot compare the tables with the log", e);
}

/* The petitions an import is still writing (schema/008-imports.sql) are in no event yet:
 * the stored rows in its ids that point to its reserved number are left out. Any other row
 * there is compared as every row is; a row of the log that the range hides is missing. */
static const char *not_hidden(const struct table_info *ti)
{
	return strcmp(ti->t->name, "petitions") ? "" :
	       " WHERE NOT (s.id BETWEEN (SELECT coalesce(min(first_id), 1) FROM main.imports) AND"
	       " (SELECT coalesce(max(last_id), 0) FROM main.imports) AND s.event_id IN (SELECT event_id FROM main.imports))";
}

/* Every row that differs between the stored and the replayed table, in key order: both read
 * along their key (the stored table's primary key, the scratch table's key index), merged,
 * so that the comparison reads each table once and sorts nothing. The stored table is read
 * without the columns every bulk copy of it takes as proven (ti->narrow: NULL in their
 * place), which are most of an import's; a row where one of them is not proven (written
 * by an event, or by a row change) is read again whole, by its key. */
static int compare_table(struct replay *x, const struct table_info *ti, struct pt_err *e)
{
	struct pt_buf cols = PT_BUF_INIT, keys = PT_BUF_INIT, narrowed = PT_BUF_INIT;
	sqlite3_stmt *s = NULL, *r = NULL, *w = NULL;
	int *keypos = pt_xcalloc((size_t)ti->c.nkey + 1, sizeof *keypos);
	int rc = 0, hs = SQLITE_DONE, hr = SQLITE_DONE;
	uint64_t narrow = ti->copied ? ti->narrow : 0;

	for (int k = 0; k < ti->c.nkey; k++)
		for (int i = 0; i < ti->c.n; i++)
			if (!strcmp(ti->c.name[i], ti->c.key[k]))
				keypos[k] = i;
	col_list(&cols, ti->c.name, ti->c.n, "");
	col_list(&keys, ti->c.key, ti->c.nkey, "");
	for (int i = 0; i < ti->c.n; i++)
		pt_buf_addf(&narrowed, i < PROVEN_MAX && narrow >> i & 1 ? "%sNULL" : "%s\"%s\"", i ? ", " : "",
			    ti->c.name[i]);
	for (int side = 0; rc == 0 && side < 2; side++) {
		pt_buf_reset(&x->sql);
		pt_buf_addf(&x->sql, "SELECT %s%s FROM %s.\"%s\" s%s ORDER BY %s", side ? cols.buf : narrowed.buf,
			    side ? ", pt_event, pt_proven" : "", side ? SCRATCH : "main", ti->t->name, side ? "" : not_hidden(ti),
			    keys.buf);
		rc = pt_db_prepare(x->db, x->sql.buf, side ? &r : &s, e);
	}
	if (rc == 0 && narrow) {
		pt_buf_reset(&x->sql);
		pt_buf_addf(&x->sql, "SELECT %s FROM main.\"%s\" WHERE ", cols.buf, ti->t->name);
		for (int k = 0; k < ti->c.nkey; k++)
			pt_buf_addf(&x->sql, "%s\"%s\" IS ?%d", k ? " AND " : "", ti->c.key[k], k + 1);
		rc = pt_db_prepare(x->db, x->sql.buf, &w, e);
	}
	if (rc == 0) {
		hs = sqlite3_step(s);
		hr = sqlite3_step(r);
	}
	while (rc == 0 && (hs == SQLITE_ROW || hr == SQLITE_ROW)) {
		int cmp = hs != SQLITE_ROW ? 1 : hr != SQLITE_ROW ? -1 : 0;
		sqlite3_stmt *row = s;

		for (int k = 0; !cmp && k < ti->c.nkey; k++)
			cmp = value_cmp(sqlite3_column_value(s, keypos[k]), sqlite3_column_value(r, keypos[k]));
		uint64_t proven = cmp >= 0 ? (uint64_t)sqlite3_column_int64(r, ti->c.n + 1) : 0;

		/* without a row of the log, a finding reads only the key and the case: never narrowed */
		if (cmp == 0 && (narrow & ~proven) && (rc = whole_row(x, w, s, keypos, ti->c.nkey, e)) == 0)
			row = w;
		if (rc == 0 && (cmp || !same_row(ti, row, r, proven)))
			compare_row(x, ti, row, cmp <= 0, r, cmp >= 0, proven);
		if (cmp <= 0)
			hs = sqlite3_step(s);
		if (cmp >= 0)
			hr = sqlite3_step(r);
	}
	if (rc == 0 && (hs != SQLITE_DONE || hr != SQLITE_DONE))
		rc = pt_db_fail(x->db, hs != SQLITE_DONE ? hs : hr, "cannot compare the tables with the log", e);
	sqlite3_finalize(s);
	sqlite3_finalize(r);
	sqlite3_finalize(w);
	free(keypos);
	pt_buf_release(&cols);
	pt_buf_release(&keys);
	pt_buf_release(&narrowed);
	return rc;
}

/* ---- the whole ---- */

/* Whether the event's data has the shape the write path gives it (change.h): "rows" a list
 * of objects with a text "t" and "op" and object "k" and "v", "bulk" an object of objects,
 * "no_new_steps" a list; each absent or, for a root that is no object, not looked for. */
static bool well_formed(const struct jdoc *d)
{
	int rows = member(d, 0, "rows"), bulk = member(d, 0, "bulk"), nns = member(d, 0, "no_new_steps");

	if ((rows >= 0 && d->n[rows].type != J_ARRAY) || (bulk >= 0 && d->n[bulk].type != J_OBJECT) ||
	    (nns >= 0 && d->n[nns].type != J_ARRAY))
		return false;
	for (int r = rows + 1; rows >= 0 && r < d->n[rows].end; r = d->n[r].end) {
		int k = member(d, r, "k"), v = member(d, r, "v");

		if (d->n[r].type != J_OBJECT || type_of(d, member(d, r, "t")) != J_TEXT ||
		    type_of(d, member(d, r, "op")) != J_TEXT || (k >= 0 && d->n[k].type != J_OBJECT) ||
		    (v >= 0 && d->n[v].type != J_OBJECT))
			return false;
	}
	for (int b = bulk + 1; bulk >= 0 && b < d->n[bulk].end; b = d->n[b].end)
		if (d->n[b].type != J_OBJECT)
			return false;
	return true;
}

/* The columns of an event hold what the write path writes: an integer id, text without NUL
 * bytes (the hash reads them as C strings), a positive case id or none. */
static void check_types(struct replay *x, sqlite3_stmt *q)
{
	static const char *const names[] = { "id", "at", "operator", "program", "kind", "petition_id", "data",
					     "prev_hash", "hash" };
	char key[32];

	for (int i = 0; i < 9; i++) {
		int type = sqlite3_column_type(q, i);
		bool ok;

		if (i == 0)
			ok = type == SQLITE_INTEGER;
		else if (i == 5)
			ok = type == SQLITE_NULL || (type == SQLITE_INTEGER && sqlite3_column_int64(q, i) > 0);
		else
			ok = type == SQLITE_TEXT &&
			     strlen((const char *)sqlite3_column_text(q, i)) == (size_t)sqlite3_column_bytes(q, i);
		if (!ok) {
			struct pt_replay_finding f = { "events", key, NULL, names[i], or_null(sqlite3_column_text(q, i)),
						       NULL, x->event_id,
						       "the event holds a value the toolkit never writes there: edited" };

			snprintf(key, sizeof key, "id=%lld", x->event_id); /* only then: it runs for every event */
			finding(x, &f);
		}
	}
}

/* Whether the event read by q (events_sql) is the 'init' of a log the replay can follow
 * (version 2). */
static bool is_init(sqlite3_stmt *q)
{
	const char *kind = (const char *)sqlite3_column_text(q, 4);

	return kind && !strcmp(kind, "init") && sqlite3_column_type(q, 10) == SQLITE_INTEGER &&
	       sqlite3_column_int(q, 10) == 2;
}

/* The log must begin with such an 'init'; else one finding, and nothing more is judged. */
static bool first_is_init(struct replay *x, bool init)
{
	if (init)
		return true;
	row_finding(x, "events", "id=1", "the log does not begin with the 'init' event of a log this petition can "
		    "replay: begun by an older petition, or edited; nothing else was checked");
	return false;
}

/* ---- from a checkpoint (pt_replay_check_since) ----
 *
 * The scratch tables start empty. A row that an event after the checkpoint updates or
 * deletes, and that no event after it created, is first copied from the stored table as it
 * is (what the later events did not write cannot be proven without the events before), or
 * when the table has no such row, made a placeholder marked 'missing' (pt_state); a row
 * deleted stays, marked 'deleted', so that the comparison knows the stored table must not
 * have it. At the end only the rows in the scratch tables are compared, and the stored rows
 * that point to a later event (event_id) must be among them. */

/* The row with the key k (JSON), copied from the stored table, else a placeholder. */
static int since_seed(struct replay *x, const struct table_info *ti, int k, struct pt_err *e)
{
	for (int pass = 0; pass < 2; pass++) {
		sqlite3_stmt *q = NULL;
		int n = 0, rc;

		pt_buf_reset(&x->sql);
		pt_buf_addf(&x->sql, "INSERT OR IGNORE INTO " SCRATCH ".\"%s\" (", ti->t->name);
		if (pass == 0) {
			col_list(&x->sql, ti->c.name, ti->c.n, "");
			pt_buf_adds(&x->sql, ", pt_event) SELECT ");
			col_list(&x->sql, ti->c.name, ti->c.n, "");
			pt_buf_addf(&x->sql, ", 0 FROM main.\"%s\" WHERE ", ti->t->name);
			rc = name_members(x, ti, k, true, &x->sql, " AND ", " IS ?", &n, e);
		} else {
			rc = name_members(x, ti, k, true, &x->sql, ", ", "", &n, e);
			pt_buf_adds(&x->sql, ", pt_event, pt_state) VALUES (");
			for (int i = 0; i < n; i++)
				pt_buf_adds(&x->sql, "?, ");
			pt_buf_adds(&x->sql, "0, 'missing')");
		}
		if (rc)
			return -1;
		if (n != ti->c.nkey)
			return pt_err_set(e, PT_EDATA, "a row change of %s without its key", ti->t->name);
		if (cprepare(x, x->sql.buf, &q, e))
			return -1;
		bind_values(x, q, 1, k);
		if ((rc = sqlite3_step(q)) != SQLITE_DONE)
			rc = pt_db_fail(x->db, rc, "cannot replay the log", e);
		else if (rc == SQLITE_DONE)
			rc = 0;
		crelease(x, q);
		if (rc)
			return -1;
	}
	return 0;
}

/* Before an insert: a row of that key deleted after the checkpoint makes room. */
static int since_unbury(struct replay *x, const struct table_info *ti, int v, struct pt_err *e)
{
	sqlite3_stmt *q = NULL;
	int rc;

	pt_buf_reset(&x->sql);
	pt_buf_addf(&x->sql, "DELETE FROM " SCRATCH ".\"%s\" WHERE pt_state = 'deleted'", ti->t->name);
	for (int k = 0; k < ti->c.nkey; k++)
		pt_buf_addf(&x->sql, " AND \"%s\" IS ?%d", ti->c.key[k], k + 1);
	if (cprepare(x, x->sql.buf, &q, e))
		return -1;
	for (int k = 0; k < ti->c.nkey; k++) {
		int m = member(&x->doc, v, ti->c.key[k]);

		if (m >= 0)
			bind_node(q, k + 1, &x->doc, m);
	}
	rc = sqlite3_step(q);
	crelease(x, q);
	return rc == SQLITE_DONE ? 0 : pt_db_fail(x->db, rc, "cannot replay the log", e);
}

static void since_lost(struct replay *x)
{
	chain_finding(x, x->since, NULL, NULL, x->since_hash,
		      "the log no longer holds the checkpoint: its events were cut off, or the database was "
		      "replaced by an older copy; run a full verify");
}

/* The checkpoint's event, the first read: it must be there with its hash, which must
 * recompute; the chain goes on from it. false when it is not (reported). */
static bool since_start(struct replay *x, sqlite3_stmt *q, char prev[PT_SHA256_HEX])
{
	const char *stored = (const char *)sqlite3_column_text(q, 8);
	const char *stored_prev = (const char *)sqlite3_column_text(q, 7);

	if (x->event_id != x->since) {
		since_lost(x);
		return false;
	}
	if (!stored || strcmp(stored, x->since_hash)) {
		chain_finding(x, x->since, "hash", stored, x->since_hash,
			      "the event at the checkpoint is another: the log was rewritten; run a full verify");
		return false;
	}
	check_types(x, q);
	snprintf(prev, PT_SHA256_HEX, "%s", stored_prev ? stored_prev : "");
	check_link(x, q, prev);
	return true;
}

/* The rows the events after the checkpoint wrote against the stored ones, and the stored
 * rows that point to a later event but that no later event wrote. */
static int since_compare_table(struct replay *x, const struct table_info *ti, struct pt_err *e)
{
	struct pt_buf cols = PT_BUF_INIT, keys = PT_BUF_INIT;
	sqlite3_stmt *r = NULL, *s = NULL;
	int rc;

	col_list(&cols, ti->c.name, ti->c.n, "");
	col_list(&keys, ti->c.key, ti->c.nkey, "");
	pt_buf_reset(&x->sql);
	pt_buf_addf(&x->sql, "SELECT %s, pt_event, pt_state FROM " SCRATCH ".\"%s\" ORDER BY %s", cols.buf,
		    ti->t->name, keys.buf);
	rc = pt_db_prepare(x->db, x->sql.buf, &r, e);
	pt_buf_reset(&x->sql);
	pt_buf_addf(&x->sql, "SELECT %s FROM main.\"%s\" WHERE ", cols.buf, ti->t->name);
	for (int k = 0; k < ti->c.nkey; k++)
		pt_buf_addf(&x->sql, "%s\"%s\" IS ?%d", k ? " AND " : "", ti->c.key[k], k + 1);
	if (rc == 0)
		rc = pt_db_prepare(x->db, x->sql.buf, &s, e);
	while (rc == 0 && (rc = sqlite3_step(r)) == SQLITE_ROW) {
		const char *state = (const char *)sqlite3_column_text(r, ti->c.n + 1);
		bool has_s;

		rc = 0;
		sqlite3_reset(s);
		for (int i = 0, k = 0; i < ti->c.n; i++)
			if (is_key(ti, ti->c.name[i]))
				sqlite3_bind_value(s, ++k, sqlite3_column_value(r, i));
		has_s = sqlite3_step(s) == SQLITE_ROW;
		if (state && !strcmp(state, "deleted")) {
			if (has_s)
				compare_row(x, ti, s, true, r, false, 0);
		} else {
			compare_row(x, ti, s, has_s && !(state && !strcmp(state, "missing")), r, true, 0);
		}
	}
	sqlite3_finalize(r);
	r = NULL;
	if (rc == SQLITE_DONE && is_column(ti, "event_id")) {
		pt_buf_reset(&x->sql);
		const char *hidden = not_hidden(ti);

		pt_buf_addf(&x->sql, "SELECT %s FROM main.\"%s\" s%s%s s.event_id > ?1 AND NOT EXISTS (SELECT 1 FROM "
			    SCRATCH ".\"%s\" r WHERE ", cols.buf, ti->t->name, hidden, *hidden ? " AND" : " WHERE",
			    ti->t->name);
		for (int k = 0; k < ti->c.nkey; k++)
			pt_buf_addf(&x->sql, "%sr.\"%s\" IS s.\"%s\"", k ? " AND " : "", ti->c.key[k], ti->c.key[k]);
		pt_buf_adds(&x->sql, ") ORDER BY s.event_id");
		rc = pt_db_prepare(x->db, x->sql.buf, &r, e);
		if (rc == 0)
			sqlite3_bind_int64(r, 1, x->since);
		while (rc == 0 && (rc = sqlite3_step(r)) == SQLITE_ROW) {
			compare_row(x, ti, r, true, NULL, false, 0);
			rc = 0;
		}
	}
	if (rc > 0 && rc != SQLITE_DONE)
		rc = pt_db_fail(x->db, rc, "cannot compare the tables with the log", e);
	else if (rc > 0)
		rc = 0;
	sqlite3_finalize(r);
	sqlite3_finalize(s);
	pt_buf_release(&cols);
	pt_buf_release(&keys);
	return rc;
}

/* The id of the last event, for the progress and the reader. */
static int last_event(struct replay *x, long long *id, struct pt_err *e)
{
	sqlite3_stmt *q = NULL;
	int rc;

	if (pt_db_prepare(x->db, "SELECT coalesce(max(id), 0) FROM main.events", &q, e))
		return -1;
	rc = sqlite3_step(q);
	*id = rc == SQLITE_ROW ? sqlite3_column_int64(q, 0) : 0;
	sqlite3_finalize(q);
	/* not a log of nothing: the reader would read no event and every row be a finding */
	return rc == SQLITE_ROW ? 0 : pt_db_fail(x->db, rc, "cannot read the event log", e);
}

/* The events from ?1 to ?2, with what check_types, check_link and is_init read. */
static const char events_sql[] =
	"SELECT id, at, operator, program, kind, petition_id, data, prev_hash, hash,"
	" json_valid(data), CASE WHEN kind = 'init' AND json_valid(data) THEN json_extract(data, '$.log') END"
	" FROM main.events WHERE id >= ?1 AND id <= ?2 ORDER BY id";

/* One event as the replay takes it: from the log (replay_events) or from the reader. */
struct ev {
	const char *kind, *data;
	bool run;                /* no petition_id: a run over many cases */
	bool init;               /* is_init */
	bool ok;                 /* its data is JSON of the write path's shape, in x->doc */
};

static void reader_report(struct replay *x);

/* Replay the event x->event_id: its columns and chain checked (by q and prev, or by the
 * reader), its rows applied. 0, or 1 when the log cannot be followed (reported), or -1. */
static int replay_event(struct replay *x, const struct ev *v, sqlite3_stmt *q, char prev[PT_SHA256_HEX],
			struct pt_err *e)
{
	x->res->events++;
	/* ids follow each other, so the last one gives the total; the caller decides how
	 * often to show it (every event costs a call) */
	pt_progress_report(x->progress, (unsigned long long)(x->event_id - x->since),
			   (unsigned long long)(x->last - x->since));
	if (!x->since && x->res->events == 1 && !first_is_init(x, v->init))
		return 1;
	if (q) {
		check_types(x, q);
		check_link(x, q, prev);
	} else {
		reader_report(x);
	}
	if (!v->ok) {
		row_finding(x, "events", NULL, "the event's data is not what the toolkit writes: edited");
		return 0;
	}
	if (apply_rows(x, e) || apply_bulk(x, v->kind ? v->kind : "", v->run, v->data, e)) {
		if (e->kind != PT_EDATA)
			return -1;
		/* a row change the scratch tables cannot hold: the event was forged */
		row_finding(x, "events", NULL, e->msg);
		pt_err_release(e);
	}
	return 0;
}

/* ---- two helpers: the log read, the digests checked, beside the replay ----
 *
 * A whole verify uses two CPUs. A reader thread, on a read connection of its own, reads
 * the events in order, checks each one's columns and its link in the chain and parses its
 * data, while the replay applies the events before it; it hands each event over in a slot
 * of a ring with the findings it made. A digester thread, on a third connection, checks the
 * digest of each bulk event's rows while the replay copies them (or, for an import, goes
 * on to the routing run). The replay reports the helpers' findings where it made them
 * itself: a slot's when it takes the event, a digest's before any later finding (finding())
 * and at the end of the log; so the findings and their order are the same as without them.
 * The replay's snapshot fixes the last event N; the helpers' snapshots, taken after it, hold
 * the same events 1..N (the log is only appended to) and the same digested columns of their
 * bulk rows (no event writes them, nor adds or deletes a bulk row). Nothing is shared but
 * the slots and the digests, under their mutex, and the tables' columns, which no thread
 * changes while they run. */

#define READER_SLOTS 256
#define DIGESTS_MAX 16           /* digests the replay runs ahead of, at most */

struct held {                    /* a helper's findings, their texts owned, to be reported */
	struct pt_replay_finding *f;
	size_t n;
};

struct slot {
	long long id;
	char *kind, *data;
	bool run, init, ok;
	struct jdoc doc;         /* the data parsed, when ok */
	struct held held;        /* of its columns and its chain */
};

/* What each helper has: its own replay (connection, statements, buffers; the tables
 * borrowed), its thread, and the mutex and condition its state is under. */
struct helper {
	struct replay x;
	struct pt_replay_result res;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t moved;    /* its state changed, or stop */
	bool stop;
	struct held *cur;        /* where its findings go: the slot or the digest it works on */
};

struct reader {
	struct helper h;
	long long upto;          /* N */
	unsigned long long filled, taken;
	bool done;
	bool waiting, hungry;    /* the reader waits for free slots, the replay for filled ones */
	struct pt_err err;       /* the log could not be read */
	struct slot slot[READER_SLOTS];
};

struct digest {                  /* one bulk table of one event */
	long long event, rows, span[2];
	char *table, *sha;
	struct pt_strv cols;
	struct held held;
	struct pt_err err;
	bool done;
	struct digest *next;
};

struct digester {
	struct helper h;
	struct digest *head, *tail, *todo; /* queued in the log's order; the next to check */
	size_t n;
};

static char *dup_or_null(const char *s)
{
	return s ? pt_xstrdup(s) : NULL;
}

static void held_add(struct held *h, const struct pt_replay_finding *f)
{
	h->f = pt_xrealloc(h->f, (h->n + 1) * sizeof *h->f);
	h->f[h->n++] = (struct pt_replay_finding){ dup_or_null(f->table), dup_or_null(f->key), dup_or_null(f->case_no),
						   dup_or_null(f->column), dup_or_null(f->stored),
						   dup_or_null(f->expected), f->event_id, dup_or_null(f->what) };
}

static void held_clear(struct held *h)
{
	for (size_t i = 0; i < h->n; i++) {
		struct pt_replay_finding *f = &h->f[i];

		free((char *)f->table), free((char *)f->key), free((char *)f->case_no), free((char *)f->column);
		free((char *)f->stored), free((char *)f->expected), free((char *)f->what);
	}
	h->n = 0;
}

static void held_release(struct held *h)
{
	held_clear(h);
	free(h->f);
	h->f = NULL;
}

static void held_report(struct replay *x, struct held *h,
			void (*out)(struct replay *x, const struct pt_replay_finding *f))
{
	for (size_t i = 0; i < h->n; i++)
		out(x, &h->f[i]);
}

/* A second read connection of the database, for a helper (NULL when it cannot be had: the
 * replay then does the work itself), its read transaction begun; SQLite's 2 MiB of cache
 * do for reading along the log or a run of rows. */
static struct pt_db *helper_db(struct replay *x)
{
	struct pt_err e = PT_ERR_INIT;
	struct pt_db *db = pt_db_open(x->db->path, PT_DB_READ_ONLY, x->db->program, &e);

	if (db && (pt_db_exec(db, "PRAGMA cache_size = -2048; BEGIN", &e) ||
		   pt_db_exec(db, "SELECT max(id) FROM main.events", &e))) {
		pt_db_close(db);
		db = NULL;
	}
	pt_err_release(&e);
	return db;
}

static void helper_release(struct replay *h)
{
	cache_release(h);
	doc_release(&h->doc);
	pt_buf_release(&h->sql);
	pt_buf_release(&h->b);
	pt_db_close(h->db);
}

/* A helper's `each`: its findings, held in h->cur (the reader's slot being filled, the
 * digest being checked) for the replay to report in the log's order. */
static void helper_hold(void *ctx, const struct pt_replay_finding *f)
{
	struct helper *h = ctx;

	held_add(h->cur, f);
}

/* Start helper h of replay x, running run(h); 0, or -1 when it cannot be (nothing left to
 * release: the replay then does the work itself). */
static int helper_open(struct helper *h, struct replay *x, void *(*run)(void *))
{
	h->x.db = helper_db(x);
	h->x.each = helper_hold;
	h->x.ctx = h;
	h->x.res = &h->res;
	h->x.tables = x->tables;
	h->x.ntables = x->ntables;
	if (h->x.db && pthread_mutex_init(&h->mu, NULL) == 0) {
		if (pthread_cond_init(&h->moved, NULL) == 0) {
			if (pthread_create(&h->thread, NULL, run, h) == 0)
				return 0;
			pthread_cond_destroy(&h->moved);
		}
		pthread_mutex_destroy(&h->mu);
	}
	helper_release(&h->x);
	return -1;
}

/* Stop it, wherever it is, and release what it has. */
static void helper_close(struct helper *h)
{
	pthread_mutex_lock(&h->mu);
	h->stop = true;
	pthread_cond_broadcast(&h->moved);
	pthread_mutex_unlock(&h->mu);
	pthread_join(h->thread, NULL);
	pthread_cond_destroy(&h->moved);
	pthread_mutex_destroy(&h->mu);
	helper_release(&h->x);
}

/* ---- the reader ---- */

/* Fill slot s with the event q read. */
static void reader_fill(struct reader *rd, struct slot *s, sqlite3_stmt *q, char prev[PT_SHA256_HEX])
{
	struct replay *x = &rd->h.x;

	x->event_id = s->id = sqlite3_column_int64(q, 0);
	free(s->kind);
	free(s->data);
	s->kind = dup_or_null((const char *)sqlite3_column_text(q, 4));
	s->data = dup_or_null((const char *)sqlite3_column_text(q, 6));
	s->run = sqlite3_column_type(q, 5) == SQLITE_NULL;
	s->init = is_init(q);
	s->ok = false;
	held_clear(&s->held);
	rd->h.cur = &s->held;
	check_types(x, q);
	check_link(x, q, prev);
	if (sqlite3_column_int(q, 9)) { /* parsed where the replay takes it */
		read_doc(&s->doc, s->data);
		s->ok = well_formed(&s->doc);
	}
}

/* The next free slot, waiting while the ring is full; NULL when told to stop. The replay
 * wakes the reader only when half the ring is free again: not at every event. */
static struct slot *reader_next(struct reader *rd)
{
	struct slot *s = NULL;

	pthread_mutex_lock(&rd->h.mu);
	if (rd->filled - rd->taken == READER_SLOTS) {
		rd->waiting = true;
		while (!rd->h.stop && rd->filled - rd->taken > READER_SLOTS / 2)
			pthread_cond_wait(&rd->h.moved, &rd->h.mu);
		rd->waiting = false;
	}
	if (!rd->h.stop)
		s = &rd->slot[rd->filled % READER_SLOTS];
	pthread_mutex_unlock(&rd->h.mu);
	return s;
}

static void reader_mark(struct reader *rd, bool filled, bool done)
{
	pthread_mutex_lock(&rd->h.mu);
	rd->filled += filled;
	rd->done = done;
	if (done || (rd->hungry && rd->filled - rd->taken >= READER_SLOTS / 4))
		pthread_cond_broadcast(&rd->h.moved);
	pthread_mutex_unlock(&rd->h.mu);
}

static void *reader_run(void *arg)
{
	struct reader *rd = arg;
	sqlite3_stmt *q = NULL;
	char prev[PT_SHA256_HEX];
	int rc = SQLITE_DONE;
	struct slot *s;

	memset(prev, '0', 64);
	prev[64] = '\0';
	if (pt_db_prepare(rd->h.x.db, events_sql, &q, &rd->err) == 0) {
		sqlite3_bind_int64(q, 1, 0);
		sqlite3_bind_int64(q, 2, rd->upto);
		while ((rc = sqlite3_step(q)) == SQLITE_ROW && (s = reader_next(rd))) {
			reader_fill(rd, s, q, prev);
			reader_mark(rd, true, false);
		}
		if (rc != SQLITE_DONE && rc != SQLITE_ROW)
			pt_db_fail(rd->h.x.db, rc, "cannot read the event log", &rd->err);
	}
	sqlite3_finalize(q);
	reader_mark(rd, false, true);
	return NULL;
}

/* Start the reader on the replay's events 1..N; without it the replay reads them itself. */
static void reader_start(struct replay *x)
{
	struct reader *rd = pt_xcalloc(1, sizeof *rd);

	rd->upto = x->last;
	if (helper_open(&rd->h, x, reader_run) == 0)
		x->reader = rd;
	else
		free(rd);
}

/* Stop the reader, wherever it is, and free it. */
static void reader_stop(struct replay *x)
{
	struct reader *rd = x->reader;

	if (!rd)
		return;
	helper_close(&rd->h);
	for (size_t i = 0; i < READER_SLOTS; i++) {
		held_release(&rd->slot[i].held);
		free(rd->slot[i].kind);
		free(rd->slot[i].data);
		doc_release(&rd->slot[i].doc);
	}
	pt_err_release(&rd->err);
	free(rd);
	x->reader = NULL;
}

/* The slot of the next event, waiting for the reader; NULL after the last. */
static struct slot *reader_take(struct reader *rd)
{
	struct slot *s = NULL;

	pthread_mutex_lock(&rd->h.mu);
	if (rd->taken == rd->filled && !rd->done) { /* woken with a quarter of the ring, not each event */
		rd->hungry = true;
		while (rd->filled - rd->taken < READER_SLOTS / 4 && !rd->done)
			pthread_cond_wait(&rd->h.moved, &rd->h.mu);
		rd->hungry = false;
	}
	if (rd->taken < rd->filled)
		s = &rd->slot[rd->taken % READER_SLOTS];
	pthread_mutex_unlock(&rd->h.mu);
	return s;
}

static void reader_give(struct reader *rd)
{
	pthread_mutex_lock(&rd->h.mu);
	rd->taken++;
	if (rd->waiting && rd->filled - rd->taken <= READER_SLOTS / 2)
		pthread_cond_broadcast(&rd->h.moved);
	pthread_mutex_unlock(&rd->h.mu);
}

/* Report the reader's findings about the event being replayed. */
static void reader_report(struct replay *x)
{
	held_report(x, &x->slot->held, finding);
}

/* The events as the reader hands them over. */
static int replay_handed(struct replay *x, struct pt_err *e)
{
	struct reader *rd = x->reader;
	struct slot *s;
	int rc = 0;

	while (rc == 0 && (s = reader_take(rd))) {
		struct ev v = { s->kind, s->data, s->run, s->init, s->ok };
		struct jdoc d = x->doc;

		x->event_id = s->id;
		x->doc = s->doc;
		x->slot = s;
		rc = replay_event(x, &v, NULL, NULL, e);
		s->doc = x->doc;
		x->doc = d;
		reader_give(rd);
	}
	if (rc == 0 && rd->err.kind) {
		*e = rd->err;
		memset(&rd->err, 0, sizeof rd->err);
		rc = -1;
	}
	return rc;
}

/* ---- the digester ---- */

static void *digester_run(void *arg)
{
	struct digester *dg = arg;

	pthread_mutex_lock(&dg->h.mu);
	for (;;) {
		struct digest *g;

		while (!dg->h.stop && !dg->todo)
			pthread_cond_wait(&dg->h.moved, &dg->h.mu);
		if (dg->h.stop)
			break;
		g = dg->todo;
		dg->h.cur = &g->held;
		pthread_mutex_unlock(&dg->h.mu);
		dg->h.x.event_id = g->event;
		check_digest(&dg->h.x, g->table, &g->cols, g->rows, g->sha, g->span, &g->err);
		pthread_mutex_lock(&dg->h.mu);
		g->done = true;
		dg->todo = g->next;
		pthread_cond_broadcast(&dg->h.moved);
	}
	pthread_mutex_unlock(&dg->h.mu);
	return NULL;
}

static void digester_start(struct replay *x)
{
	struct digester *dg = pt_xcalloc(1, sizeof *dg);

	if (helper_open(&dg->h, x, digester_run) == 0)
		x->digester = dg;
	else
		free(dg);
}

static void digest_free(struct digest *g)
{
	free(g->table);
	free(g->sha);
	names_release(&g->cols);
	held_release(&g->held);
	pt_err_release(&g->err);
	free(g);
}

/* Queue the digest of the event being replayed over a bulk table's rows (see check_digest). */
static void digest_queue(struct replay *x, const char *table, const struct pt_strv *cols, long long rows,
			 const char *sha, const long long span[2])
{
	struct digester *dg = x->digester;
	struct digest *g = pt_xcalloc(1, sizeof *g);

	if (dg->n == DIGESTS_MAX) /* their memory does not grow with the log */
		digests_report(x);
	g->event = x->event_id;
	g->rows = rows;
	g->span[0] = span[0];
	g->span[1] = span[1];
	g->table = pt_xstrdup(table);
	g->sha = dup_or_null(sha);
	for (size_t i = 0; i < cols->n; i++)
		names_add(&g->cols, cols->v[i]);
	pthread_mutex_lock(&dg->h.mu);
	if (dg->tail)
		dg->tail->next = g;
	else
		dg->head = g;
	dg->tail = g;
	if (!dg->todo)
		dg->todo = g;
	dg->n++;
	pthread_cond_broadcast(&dg->h.moved);
	pthread_mutex_unlock(&dg->h.mu);
}

/* Report the queued digests' findings, in their order, waiting for each to be checked; the
 * first that could not be read is kept for digests_end. Runs before any later finding. */
static void digests_report(struct replay *x)
{
	struct digester *dg = x->digester;

	while (dg && dg->head) {
		struct digest *g = dg->head;

		pthread_mutex_lock(&dg->h.mu);
		while (!g->done)
			pthread_cond_wait(&dg->h.moved, &dg->h.mu);
		dg->head = g->next;
		if (!dg->head)
			dg->tail = NULL;
		dg->n--;
		pthread_mutex_unlock(&dg->h.mu);
		held_report(x, &g->held, report);
		if (g->err.kind && !x->digest_err.kind) {
			x->digest_err = g->err;
			memset(&g->err, 0, sizeof g->err);
		}
		digest_free(g);
	}
}

/* At the end of the log: every digest reported; -1 when one could not be read. */
static int digests_end(struct replay *x, struct pt_err *e)
{
	digests_report(x);
	if (!x->digest_err.kind)
		return 0;
	pt_err_release(e);
	*e = x->digest_err;
	memset(&x->digest_err, 0, sizeof x->digest_err);
	return -1;
}

static void digester_stop(struct replay *x)
{
	struct digester *dg = x->digester;

	if (!dg)
		return;
	helper_close(&dg->h);
	while (dg->head) {
		struct digest *g = dg->head;

		dg->head = g->next;
		digest_free(g);
	}
	free(dg);
	x->digester = NULL;
	pt_err_release(&x->digest_err);
}

/* 0, or 1 when the log cannot be followed (reported), or -1. */
static int replay_events(struct replay *x, struct pt_err *e)
{
	sqlite3_stmt *q = NULL;
	char prev[PT_SHA256_HEX];
	int rc = SQLITE_DONE, r = 0;

	if (x->reader)
		return replay_handed(x, e);
	memset(prev, '0', 64);
	prev[64] = '\0';
	if (pt_db_prepare(x->db, events_sql, &q, e))
		return -1;
	sqlite3_bind_int64(q, 1, x->since);
	sqlite3_bind_int64(q, 2, x->upto ? x->upto : INT64_MAX);
	while (r == 0 && (rc = sqlite3_step(q)) == SQLITE_ROW) {
		struct ev v = { (const char *)sqlite3_column_text(q, 4), (const char *)sqlite3_column_text(q, 6),
				sqlite3_column_type(q, 5) == SQLITE_NULL, is_init(q), false };

		x->event_id = sqlite3_column_int64(q, 0);
		if (x->upto) /* pt_replay_as_of checks the last one's */
			snprintf(x->upto_hash, sizeof x->upto_hash, "%s", or_null(sqlite3_column_text(q, 8)));
		if (x->since_hash) { /* from a checkpoint: the first event read must be it */
			if (!since_start(x, q, prev))
				break;
			x->since_hash = NULL;
			continue;
		}
		if (sqlite3_column_int(q, 9)) {
			read_doc(&x->doc, v.data);
			v.ok = well_formed(&x->doc);
		}
		r = replay_event(x, &v, q, prev, e);
	}
	sqlite3_finalize(q);
	if (r)
		return r;
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return pt_db_fail(x->db, rc, "cannot read the event log", e);
	if (x->since_hash) { /* the checkpoint is not in the log, or is another: reported */
		if (rc == SQLITE_DONE)
			since_lost(x);
		return 1;
	}
	return 0;
}

static void replay_release(struct replay *x)
{
	if (x->db) { /* x goes with this call */
		sqlite3_create_function(x->db->sql, "pt_replay_seq", 1, SQLITE_UTF8, NULL, NULL, NULL, NULL);
		sqlite3_create_function(x->db->sql, "pt_replay_first", 2, SQLITE_UTF8, NULL, NULL, NULL, NULL);
	}
	for (size_t i = 0; i < x->ntables; i++) {
		struct table_info *ti = &x->tables[i];

		pt_change_columns_release(&ti->c);
		for (size_t k = 0; k < ti->ndeferred; k++)
			names_release(&ti->deferred[k].cols);
		free(ti->deferred);
	}
	free(x->tables);
	doc_release(&x->doc);
	pt_buf_release(&x->sql);
	pt_buf_release(&x->b);
}

static void replay_init(struct replay *x, void (*each)(void *ctx, const struct pt_replay_finding *f), void *ctx,
			struct pt_replay_result *res)
{
	memset(x, 0, sizeof *x);
	memset(res, 0, sizeof *res);
	x->each = each;
	x->ctx = ctx;
	x->res = res;
}

/* Start a replay: the tables the log covers, the schema checked, the scratch tables made,
 * in one read transaction of the main database. *same false: the schema is not the
 * toolkit's (reported), and nothing more can be judged. */
static int replay_begin(struct replay *x, struct pt_db *db, bool *same, struct pt_err *e)
{
	int rc;

	x->db = db;
	for (const struct pt_change_table *t = pt_change_tables; t->name; t++) {
		x->tables = pt_xrealloc(x->tables, (x->ntables + 1) * sizeof *x->tables);
		memset(&x->tables[x->ntables], 0, sizeof *x->tables);
		x->tables[x->ntables++].t = t;
	}
	if (sqlite3_create_function(db->sql, "pt_replay_seq", 1, SQLITE_UTF8, x, seq_sql, NULL, NULL) != SQLITE_OK ||
	    sqlite3_create_function(db->sql, "pt_replay_first", 2, SQLITE_UTF8, x, first_sql, NULL, NULL) != SQLITE_OK)
		return pt_db_fail(db, SQLITE_ERROR, "cannot replay the log", e);
	/* The main database is only read, in one snapshot; the scratch tables go with it. */
	rc = pt_db_exec(db, "BEGIN", e);
	if (rc == 0)
		rc = check_schema(x, same, e);
	if (rc == 0 && !*same) /* reported; the names of the tables cannot be trusted in SQL */
		return 0;
	for (size_t i = 0; rc == 0 && i < x->ntables; i++)
		rc = pt_change_columns(db, x->tables[i].t->name, &x->tables[i].c, e);
	if (rc == 0)
		rc = create_scratch(x, e);
	return rc;
}

/* The case numbers an import took (import_seqs) without the import that took them: the
 * table was edited, and every petition numbered now skips to after them. */
static int check_import_seqs(struct replay *x, struct pt_err *e)
{
	sqlite3_stmt *q = NULL;
	int rc;

	if (pt_db_prepare(x->db, "SELECT event_id, unit, year, last FROM main.import_seqs WHERE event_id NOT IN"
			  " (SELECT event_id FROM main.imports) ORDER BY event_id, unit, year", &q, e))
		return -1;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		char key[160], stored[32];
		struct pt_replay_finding f = { "import_seqs", key, NULL, "last", stored, NULL, 0,
					       "case numbers taken by an import that is not in the imports table: the table "
					       "was edited, and the next petitions of the unit and year are numbered after them" };

		snprintf(key, sizeof key, "event_id=%lld unit=%s year=%d", sqlite3_column_int64(q, 0),
			 (const char *)sqlite3_column_text(q, 1), sqlite3_column_int(q, 2));
		snprintf(stored, sizeof stored, "%lld", sqlite3_column_int64(q, 3));
		finding(x, &f);
	}
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? 0 : pt_db_fail(x->db, rc, "cannot read the imports' case numbers", e);
}

/* The imports being written (schema/008): one still running is no finding; one whose
 * process is gone left its rows hidden, and an entry whose number an event has was never
 * the toolkit's (an import's number is reserved after the last event, and its entry goes
 * when its event comes). */
static int check_imports(struct replay *x, struct pt_err *e)
{
	sqlite3_stmt *q = NULL;
	int rc;

	if (pt_db_prepare(x->db, "SELECT i.event_id, i.first_id, i.last_id, i.owner, i.started,"
			  " (SELECT count(*) FROM main.petitions p WHERE p.id BETWEEN i.first_id AND i.last_id"
			  " AND p.event_id = i.event_id), EXISTS (SELECT 1 FROM main.events WHERE id >= i.event_id),"
			  " (SELECT count(*) FROM main.petitions p WHERE p.id BETWEEN i.first_id AND i.last_id"
			  " AND p.event_id IS NOT i.event_id)"
			  " FROM main.imports i ORDER BY i.event_id", &q, e))
		return -1;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		char key[40], stored[64];
		const char *owner = (const char *)sqlite3_column_text(q, 3);
		struct pt_replay_finding f = { "imports", key, NULL, "event_id", stored, NULL, 0, NULL };

		snprintf(key, sizeof key, "event_id=%lld", sqlite3_column_int64(q, 0));
		snprintf(stored, sizeof stored, "%lld rows, ids %lld-%lld", sqlite3_column_int64(q, 5),
			 sqlite3_column_int64(q, 1), sqlite3_column_int64(q, 2));
		if (sqlite3_column_int(q, 6))
			f.what = "an import's entry whose number the log has already given: the table was edited, and the "
				 "petitions of those ids are hidden from every command";
		/* an import's ids are taken after the last petition: none of them is another's,
		 * whether its process runs or not */
		else if (sqlite3_column_int64(q, 7))
			f.what = "an import's entry whose ids hold petitions of other events: the table was edited, and "
				 "those petitions are hidden from every command";
		else if (!owner || !pt_change_import_running(owner, (const char *)sqlite3_column_text(q, 4)))
			f.what = "an import that did not finish (its process is gone) left these rows hidden; the next import "
				 "removes them: run it again";
		else
			continue;
		finding(x, &f);
	}
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE)
		return pt_db_fail(x->db, rc, "cannot read the imports", e);
	return check_import_seqs(x, e);
}

static int check(struct pt_db *db, long long since, const char *since_hash,
		 void (*each)(void *ctx, const struct pt_replay_finding *f), void *ctx,
		 const struct pt_progress *progress, struct pt_replay_result *res, struct pt_err *e)
{
	struct replay x;
	bool same = true;
	int rc;

	replay_init(&x, each, ctx, res);
	x.since = since;
	x.since_hash = since_hash;
	x.progress = progress;
	rc = replay_begin(&x, db, &same, e);
	if (rc == 0 && same && (progress || !since)) /* in the snapshot replay_begin began */
		rc = last_event(&x, &x.last, e);
	if (rc == 0 && same && !since) {
		reader_start(&x);
		digester_start(&x);
	}
	if (rc == 0 && same)
		rc = replay_events(&x, e);
	if (rc == 0)
		rc = digests_end(&x, e);
	reader_stop(&x);
	digester_stop(&x);
	if (rc == 1) /* reported: a log it cannot follow */
		rc = 0, same = false;
	if (rc == 0 && same)
		rc = copy_all_deferred(&x, e);
	for (size_t i = 0; rc == 0 && same && i < x.ntables; i++)
		rc = since ? since_compare_table(&x, &x.tables[i], e) : compare_table(&x, &x.tables[i], e);
	if (rc == 0 && same)
		rc = check_imports(&x, e);
	cache_release(&x);
	sqlite3_exec(db->sql, "ROLLBACK", NULL, NULL, NULL);
	replay_release(&x);
	return rc;
}

int pt_replay_check(struct pt_db *db, void (*each)(void *ctx, const struct pt_replay_finding *f), void *ctx,
		    const struct pt_progress *progress, struct pt_replay_result *res, struct pt_err *e)
{
	return check(db, 0, NULL, each, ctx, progress, res, e);
}

int pt_replay_check_since(struct pt_db *db, long long id, const char *hash,
			  void (*each)(void *ctx, const struct pt_replay_finding *f), void *ctx,
			  const struct pt_progress *progress, struct pt_replay_result *res, struct pt_err *e)
{
	return check(db, id, hash, each, ctx, progress, res, e);
}

/* What the scratch tables need to stand in for the stored ones: no rows the log deleted,
 * the log itself up to the head, and the indexes the readers name (INDEXED BY) or need. */
static int as_of_finish(struct replay *x, struct pt_err *e)
{
	sqlite3_stmt *q = NULL;
	int rc = 0;

	for (size_t i = 0; rc == 0 && i < x->ntables; i++) {
		pt_buf_reset(&x->sql);
		pt_buf_addf(&x->sql, "DELETE FROM " SCRATCH ".\"%s\" WHERE pt_state = 'deleted'", x->tables[i].t->name);
		rc = pt_db_exec(x->db, x->sql.buf, e);
	}
	if (rc == 0)
		rc = pt_db_prepare(x->db, "CREATE TABLE " SCRATCH ".events AS SELECT * FROM main.events WHERE id <= ?1",
				   &q, e);
	if (rc == 0) {
		sqlite3_bind_int64(q, 1, x->upto);
		if (sqlite3_step(q) != SQLITE_DONE)
			rc = pt_db_fail(x->db, sqlite3_errcode(x->db->sql), "cannot copy the event log", e);
	}
	sqlite3_finalize(q);
	if (rc == 0)
		rc = pt_db_exec(x->db,
				"CREATE INDEX " SCRATCH ".events_petition ON events(petition_id);"
				" CREATE INDEX " SCRATCH ".events_kind ON events(kind, petition_id);"
				" CREATE INDEX " SCRATCH ".petitions_period ON petitions(received_on, unit);"
				" CREATE INDEX " SCRATCH ".receptions_unit_day ON receptions(unit, day)", e);
	return rc;
}

int pt_replay_as_of(struct pt_db *db, long long id, const char *hash,
		    void (*each)(void *ctx, const struct pt_replay_finding *f), void *ctx,
		    struct pt_replay_result *res, struct pt_err *e)
{
	struct replay x;
	bool same = true;
	int rc;

	replay_init(&x, each, ctx, res);
	x.upto = id;
	rc = replay_begin(&x, db, &same, e);
	if (rc == 0 && same)
		rc = replay_events(&x, e);
	if (rc == 1)
		rc = 0, same = false;
	if (rc == 0 && same && (x.event_id != id || strcmp(x.upto_hash, hash)))
		rc = pt_err_set(e, PT_ENOINPUT, "%s: the log does not hold event %lld with hash %s", db->path, id, hash);
	else if (rc == 0 && same && (rc = copy_all_deferred(&x, e)) == 0)
		rc = as_of_finish(&x, e);
	cache_release(&x);
	if (rc == 0 && same)
		rc = pt_db_exec(db, "COMMIT", e);
	else
		sqlite3_exec(db->sql, "ROLLBACK", NULL, NULL, NULL);
	replay_release(&x);
	if (rc == 0 && !same)
		rc = pt_err_set(e, PT_EDATA, "%s: its schema or log is not the toolkit's (petition audit verify)", db->path);
	return rc;
}
