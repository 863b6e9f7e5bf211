#include "intake.h"
#include "buf.h"
#include "cal.h"
#include "casefile.h"
#include "change.h"
#include "csv.h"
#include "event.h"
#include "hash.h"
#include "ident.h"
#include "outfile.h"
#include "vocab.h"

#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- fields and their headers ---- */

/* The one table of the fields and their names: intake reads a CSV header by it, and
 * petition case list writes its headers by it (case.h), so what one writes the other reads. */
static const struct {
	const char *name;
	const char *label;   /* the Chinese header, what petition case list --lang zh writes */
	const char *headers; /* other Chinese headers seen in offices' spreadsheets, '|'-separated */
} fields[PT_NFIELDS] = {
	[PT_F_RECEIVED_ON] = { "received_on", "收到日期", "日期|来访日期|来信日期|登记日期|受理日期" },
	[PT_F_CHANNEL] = { "channel", "渠道", "形式|信访形式|来源" },
	[PT_F_PETITIONER] = { "petitioner", "姓名", "信访人|来访人|来信人|反映人" },
	[PT_F_ID_NUMBER] = { "id_number", "身份证号", "身份证号码|身份证" },
	[PT_F_PHONE] = { "phone", "电话", "联系电话|手机|手机号" },
	[PT_F_EMPLOYER] = { "employer", "工作单位", "单位" },
	[PT_F_UNIT] = { "unit", "受理单位", "登记单位" },
	[PT_F_RECEIVED_BY] = { "received_by", "接待领导", "接访领导|接待人" },
	[PT_F_CATEGORY] = { "category", "类别", "问题类别|问题分类" },
	[PT_F_PERSONS] = { "persons", "人数", "来访人数" },
	[PT_F_ADDRESSED_TO] = { "addressed_to", "署名领导", "致信领导" },
	[PT_F_SUMMARY] = { "summary", "内容", "内容摘要|反映内容|反映问题|主要内容" },
	[PT_F_EXTERNAL_ID] = { "external_id", "编号", "原编号|登记编号" },
	[PT_F_SOURCE_REF] = { "source_ref", "来文号", "转办文号|交办文号" },
	[PT_F_COMPETENT_UNIT] = { "competent_unit", "属地工会", "主管单位|主管工会|属地单位" },
	[PT_F_REPEAT_OF] = { "repeat_of", "重复件", "原案号|前案号|重复案号" },
};

int pt_field_from_header(const char *h)
{
	for (int f = 0; f < PT_NFIELDS; f++)
		if (!strcasecmp(h, fields[f].name) || !strcmp(h, fields[f].label) ||
		    pt_vocab_in_list(h, fields[f].headers))
			return f;
	return -1;
}

const char *pt_field_name(enum pt_field f)
{
	return fields[f].name;
}

const char *pt_field_label(enum pt_field f)
{
	return fields[f].label;
}


/* ---- one row, validated ---- */

struct row {
	const char *v[PT_NFIELDS];      /* trimmed input, "" when absent */
	char received_on[PT_DATE_LEN];
	long received_days;
	const char *channel, *unit, *category;
	char id_number[PT_IDNUM_LEN];
	char phone[PT_PHONE_LEN];
	long persons;
	bool collective, repeat, named_letter;
	/* same person and matter (petition(7), INTAKE): the key, whether the person can be told,
	 * the earlier cases it links to (ids, 0 for none), and the flags they make */
	long long matter_key, old_key;
	bool has_matter;
	const char *competent_unit;
	long long repeat_of, final_of;
	bool by_hand;                   /* repeat_of named by the clerk */
	bool skip_level, addressed_unknown;
	bool recheck;                   /* staged: 越级 waits for the rows before it (write_staged) */
	bool deferred;                  /* staged: an earlier row may be of its person and matter
	                                 * (stage_deferred looks) */
	long long dup_key;              /* the duplicate check's key (make_dedup_key) */
};

struct seq {
	char *unit;
	int year;
	long long last;
	long long staged;               /* new rows of the unit and year staged by an import */
};

struct intake {
	struct pt_db *db;
	struct pt_change *ch;           /* the run's one write (change.h) */
	const struct pt_rules *rules;
	const struct pt_intake_opts *o;
	long today;
	sqlite3_stmt *insert, *repeat, *seq_get, *seq_put, *find, *reflag;
	sqlite3_stmt *repeat_old, *case_find;
	/* an import's staging table (staging, below) */
	sqlite3_stmt *stage_put, *stage_find, *stage_repeat, *stage_reflag;
	bool staging;                   /* reading and checking the rows, before the lock */
	bool attached;                  /* the staging database is attached (stage_open) */
	long long stage_n;              /* stage_deferred: the row looked at (0 while reading) */
	long long staged;               /* new rows staged so far */
	long long snap_event;           /* the last event when the rows were read */
	long long snap_last;            /* and the last petition */
	long long base;                 /* under the lock: the last petition id before the import's */
	long long self_id;              /* a staged row checked again under the lock: its id */
	bool old_keys;                  /* the database has rows from before matter_key */
	struct seq *seqs;
	size_t nseqs;
	bool started;                   /* start() ran: release() has something to free */
	bool digested;                  /* the rows' digest is made (write_sliced) */
	long long first_changed;        /* the least id of the petitions the checks under the
	                                 * lock changed (write_sliced), 0 when none */
	struct pt_buf trimmed[PT_NFIELDS];
	struct pt_buf errors;           /* this row's problems, for the rejects file */
	struct pt_buf case_no;
	/* case_no_sql()'s last number: its unit and year (an index of st->seqs) and the number
	 * (0, none, as start() leaves it: a number is 1 at least) */
	struct pt_buf staged_no;
	size_t staged_no_seq;
	long long staged_no_n;
	struct pt_buf masked;           /* the petitioner's name as on_row gets it under redact */
	struct pt_intake_result *res;
	long long event_id;
	unsigned long long rows;
	bool bad;                       /* some row was bad */
	bool utf8_checked;              /* the CSV reader checked every line already */
	long long *later;               /* rows of this import the current row makes repeats */
	size_t nlater, later_alloc;
	/* while staging, the matter keys of the petitions when it began (once the import has
	 * made PETITION_KEYS_AFTER look-ups without them: petitions_may_have) and of the rows
	 * staged so far (keyset_add) */
	unsigned char *petition_keys, *staged_keys;
	unsigned char *staged_dups;     /* the duplicate keys of the new rows staged so far */
	unsigned long direct_lookups;
};

static void problem(struct intake *st, const char *file, long line, const char *fmt, ...) PT_PRINTF(4, 5);

static void problem(struct intake *st, const char *file, long line, const char *fmt, ...)
{
	struct pt_err p = PT_ERR_INIT;
	va_list ap;

	va_start(ap, fmt);
	pt_err_vset(&p, PT_EDATA, fmt, ap);
	va_end(ap);
	p.file = file ? pt_xstrdup(file) : NULL;
	p.line = line;
	if (st->errors.len)
		pt_buf_adds(&st->errors, "; ");
	pt_buf_adds(&st->errors, p.msg);
	if (st->o->on_problem)
		st->o->on_problem(st->o->ctx, &p);
	pt_err_release(&p);
}

/* A value as shown in a message: at most 40 characters, cut on a character boundary, and
 * control characters shown as '?', so that input cannot drive the clerk's terminal. */
static const char *shown(const char *s, char *out, size_t outlen)
{
	size_t i = 0, o = 0, chars = 0;

	while (s[i] && chars < 40 && o + 8 < outlen) {
		unsigned char c = (unsigned char)s[i++];

		out[o++] = c < 0x20 || c == 0x7f ? '?' : (char)c;
		while (s[i] && ((unsigned char)s[i] & 0xc0) == 0x80 && o + 8 < outlen)
			out[o++] = s[i++];
		chars++;
	}
	if (s[i]) {
		memcpy(out + o, "…", 3);
		o += 3;
	}
	out[o] = '\0';
	return out;
}

/* Free text may hold line breaks and tabs; names, codes and numbers hold no control
 * characters at all. */
static bool free_text(int f)
{
	return f == PT_F_SUMMARY || f == PT_F_EMPLOYER || f == PT_F_SOURCE_REF;
}

static bool has_control(const char *s, bool allow_breaks)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if ((*p < 0x20 || *p == 0x7f) && !(allow_breaks && (*p == '\n' || *p == '\r' || *p == '\t')))
			return true;
	return false;
}

/* A field's value as a message shows it, masked under redact when it is the person's
 * (pt_mask_personal()). */
static const char *shown_field(const struct intake *st, const char *field, const char *s, char *out, size_t outlen)
{
	struct pt_buf m = PT_BUF_INIT;

	if (st->o->redact && pt_mask_personal(field, s, &m)) {
		shown(pt_buf_str(&m), out, outlen);
		pt_buf_release(&m);
		return out;
	}
	return shown(s, out, outlen);
}

#define BAD(st, file, line, f, why, ...)                                                     \
	do {                                                                                 \
		char cut_[200];                                                              \
		problem(st, file, line, "%s '%s': " why, fields[f].name,                     \
			shown_field(st, fields[f].name, row->v[f], cut_, sizeof cut_), __VA_ARGS__); \
	} while (0)

static bool parse_persons(const char *s, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (end == s || errno || v < 1 || v > 1000000 || (*end && strcmp(end, "人")))
		return false;
	if (s[0] == '+' || s[0] == ' ')
		return false;
	*out = v;
	return true;
}

static void check_dates(struct intake *st, struct row *row, const char *file, long line)
{
	const char *s = row->v[PT_F_RECEIVED_ON];

	if (!*s) {
		problem(st, file, line, "received_on: missing (the date the petition was received)");
		return;
	}
	if (!pt_date_parse(s, &row->received_days)) {
		BAD(st, file, line, PT_F_RECEIVED_ON, "%s", "not a date (YYYY-MM-DD, YYYY/M/D or YYYY年M月D日)");
		return;
	}
	if (row->received_days > st->today) {
		char today[PT_DATE_LEN];

		pt_date_format(st->today, today);
		BAD(st, file, line, PT_F_RECEIVED_ON, "is in the future (today is %s)", today);
		return;
	}
	pt_date_format(row->received_days, row->received_on);
}

/* An ID number or phone that failed its check: what Excel did to it, and how to export so
 * that it does not, before the check's own word (petition-intake(1), "From Excel"). */
static void bad_number(struct intake *st, struct row *row, const char *file, long line, int f, const char *why)
{
	const char *damage = pt_csv_excel_damage(row->v[f], f == PT_F_PHONE);

	BAD(st, file, line, f, "%s%s%s", damage ? damage : "",
	    damage ? " (export with --excel or --format xlsx, or make the column text in Excel and type the number"
		     " again); " : "",
	    why);
}

/* A name the rules do not hold, with the nearest they do (pt_rules_suggest). */
static void unknown_name(struct intake *st, struct row *row, const char *file, long line, int f,
			 enum pt_rules_names which, const char *what)
{
	struct pt_buf near = PT_BUF_INIT;

	pt_rules_suggest(st->rules, which, row->v[f], &near);
	BAD(st, file, line, f, "not a %s in the rules (petition rules show)%s", what, pt_buf_str(&near));
	pt_buf_release(&near);
}

static void check_people(struct intake *st, struct row *row, const char *file, long line)
{
	const struct pt_rules *r = st->rules;
	const char *why;

	if (*row->v[PT_F_ID_NUMBER] && !pt_idnum_check(row->v[PT_F_ID_NUMBER], st->today, row->id_number, &why))
		bad_number(st, row, file, line, PT_F_ID_NUMBER, why);
	if (*row->v[PT_F_PHONE] && !pt_phone_check(row->v[PT_F_PHONE], row->phone, &why))
		bad_number(st, row, file, line, PT_F_PHONE, why);
	if (*row->v[PT_F_RECEIVED_BY] && !pt_rules_leader(r, row->v[PT_F_RECEIVED_BY]))
		unknown_name(st, row, file, line, PT_F_RECEIVED_BY, PT_RULES_LEADERS, "leader");
	if (*row->v[PT_F_RECEIVED_BY] && row->channel && strcmp(row->channel, "visit"))
		BAD(st, file, line, PT_F_RECEIVED_BY, "a leader receives visits in person; this is a %s",
		    pt_vocab_label(PT_VOCAB_CHANNEL, row->channel));
}

static void unknown_channel(struct intake *st, struct row *row, const char *file, long line)
{
	struct pt_buf near = PT_BUF_INIT;

	pt_vocab_suggest(PT_VOCAB_CHANNEL, row->v[PT_F_CHANNEL], &near);
	BAD(st, file, line, PT_F_CHANNEL, "unknown channel (%s)%s", pt_vocab_help(PT_VOCAB_CHANNEL), pt_buf_str(&near));
	pt_buf_release(&near);
}

static void check_kind(struct intake *st, struct row *row, const char *file, long line)
{
	const struct pt_rules *r = st->rules;
	const struct pt_category *cat;
	const struct pt_unit *u;

	if (!*row->v[PT_F_CHANNEL])
		problem(st, file, line, "channel: missing (%s)", pt_vocab_help(PT_VOCAB_CHANNEL));
	else if (!(row->channel = pt_vocab_code(PT_VOCAB_CHANNEL, row->v[PT_F_CHANNEL])))
		unknown_channel(st, row, file, line);
	if (!*row->v[PT_F_CATEGORY])
		problem(st, file, line, "category: missing (one of the categories in the rules: petition rules show)");
	else if ((cat = pt_rules_category(r, row->v[PT_F_CATEGORY])))
		row->category = cat->name;
	else
		unknown_name(st, row, file, line, PT_F_CATEGORY, PT_RULES_CATEGORIES, "category");
	if (!*row->v[PT_F_UNIT])
		row->unit = r->office;
	else if ((u = pt_rules_unit(r, row->v[PT_F_UNIT])))
		row->unit = u->code;
	else
		unknown_name(st, row, file, line, PT_F_UNIT, PT_RULES_UNITS, "unit");
	if (*row->v[PT_F_COMPETENT_UNIT] && (u = pt_rules_unit(r, row->v[PT_F_COMPETENT_UNIT])))
		row->competent_unit = u->code;
	else if (*row->v[PT_F_COMPETENT_UNIT])
		unknown_name(st, row, file, line, PT_F_COMPETENT_UNIT, PT_RULES_UNITS, "unit");
	row->persons = 1;
	if (*row->v[PT_F_PERSONS] && !parse_persons(row->v[PT_F_PERSONS], &row->persons))
		BAD(st, file, line, PT_F_PERSONS, "%s", "must be a whole number of at least 1");
	if (!*row->v[PT_F_PETITIONER])
		problem(st, file, line, "petitioner: missing (the petitioner's name)");
	if (!*row->v[PT_F_SUMMARY])
		problem(st, file, line, "summary: missing (what the petition reports and asks)");
}

/* Text that is not UTF-8 (an option typed on a GBK terminal) or holds control characters
 * (an escape sequence) is refused before anything else looks at it. */
static bool check_text(struct intake *st, struct row *row, const char *file, long line)
{
	bool ok = true;

	for (int f = 0; f < PT_NFIELDS; f++) {
		if (!st->utf8_checked && !pt_utf8_valid(row->v[f], strlen(row->v[f]))) {
			problem(st, file, line, "%s: not valid UTF-8 text", fields[f].name);
			ok = false;
		} else if (has_control(row->v[f], free_text(f))) {
			BAD(st, file, line, f, "%s", "contains a control character");
			ok = false;
		}
	}
	return ok;
}

/* repeat_of: the earlier case the clerk names (pt_case_id()), received on or before this
 * petition; a database that cannot be read fails the run (it is not the row's fault). */
static int check_repeat_of(struct intake *st, struct row *row, const char *file, long line, struct pt_err *e)
{
	sqlite3_stmt *q = st->case_find;
	long long id;
	int rc;

	if (pt_case_id(st->db, st->rules, row->v[PT_F_REPEAT_OF], &id, e)) {
		if (e->kind != PT_ENOINPUT && e->kind != PT_EUSAGE)
			return -1;
		BAD(st, file, line, PT_F_REPEAT_OF, "%s", e->kind == PT_EUSAGE ? e->msg : "no such case (petition case list)");
		pt_err_release(e);
		return 0;
	}
	sqlite3_reset(q);
	sqlite3_bind_int64(q, 1, id);
	if ((rc = sqlite3_step(q)) != SQLITE_ROW) {
		sqlite3_reset(q);
		return pt_db_fail(st->db, rc, "cannot look up the case repeat_of names", e);
	}
	if (strcmp((const char *)sqlite3_column_text(q, 0), row->received_on) > 0)
		BAD(st, file, line, PT_F_REPEAT_OF, "was received on %s, after this petition (%s)",
		    (const char *)sqlite3_column_text(q, 0), row->received_on);
	else {
		row->repeat_of = id;
		row->by_hand = true;
	}
	sqlite3_reset(q);
	return 0;
}

/* Validate: *ok when the row has no problem (each problem is reported as found); -1 when
 * the database could not be read. */
static int validate(struct intake *st, struct row *row, const char *file, long line, bool *ok, struct pt_err *e)
{
	memset(row->received_on, 0, sizeof row->received_on);
	row->channel = row->unit = row->category = row->competent_unit = NULL;
	row->id_number[0] = row->phone[0] = '\0';
	row->persons = 1;
	row->repeat_of = row->final_of = 0;
	row->by_hand = false;
	pt_buf_reset(&st->errors);
	*ok = false;
	if (!check_text(st, row, file, line))
		return 0;
	check_dates(st, row, file, line);
	check_kind(st, row, file, line);
	check_people(st, row, file, line);
	if (st->errors.len == 0 && *row->v[PT_F_REPEAT_OF] && check_repeat_of(st, row, file, line, e))
		return -1;
	*ok = st->errors.len == 0;
	return 0;
}

/* ---- writing ---- */

/* The columns the matter look-ups read, and where each is. */
#define MATTER_COLUMNS                                                                       \
	"id, received_on, repeat, event_id, unit, state, (SELECT min(" PT_CASE_EVENT_DAY ") FROM events" \
	" WHERE petition_id = p.id AND kind = 'rereviewed')"
enum { MC_ID, MC_RECEIVED_ON, MC_REPEAT, MC_EVENT, MC_UNIT, MC_STATE, MC_REREVIEWED };

/* Whether the database has rows registered before matter_key (st->old_keys). */
static int has_old_keys(struct intake *st, struct pt_err *e)
{
	sqlite3_stmt *q = NULL;
	int rc;

	if (pt_db_prepare(st->db, "SELECT EXISTS (SELECT 1 FROM petitions WHERE repeat_key IS NOT NULL)", &q, e))
		return -1;
	rc = sqlite3_step(q);
	st->old_keys = rc == SQLITE_ROW && sqlite3_column_int(q, 0);
	sqlite3_finalize(q);
	return rc == SQLITE_ROW ? 0 : pt_db_fail(st->db, rc, "cannot read the petitions", e);
}

static int prepare_all(struct intake *st, struct pt_err *e)
{
	static const char insert[] =
		"INSERT INTO petitions (case_no, unit, received_on, channel, petitioner, id_number,"
		" phone, employer, received_by, category, persons, addressed_to, summary, external_id,"
		" source_ref, collective, repeat, named_letter, dup_key, event_id, matter_key, repeat_of,"
		" final_of, competent_unit, skip_level, addressed_unknown, case_key)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,"
		" ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27)";
	/* Earlier petitions of the same person and matter (MATTER_COLUMNS), by the key, confirmed
	 * on the columns: the same ID number, else no ID number and the same name and phone. */
	static const char repeat[] =
		"SELECT " MATTER_COLUMNS " FROM petitions p WHERE matter_key = ?1 AND category = ?2"
		" AND coalesce(employer, '') = ?3 AND CASE WHEN ?4 IS NOT NULL THEN id_number = ?4"
		" ELSE id_number IS NULL AND petitioner = ?5 AND phone = ?6 END AND" PT_SEEN("p");
	/* Rows from before matter_key: by their repeat_key (ID number and category). */
	static const char repeat_old[] =
		"SELECT " MATTER_COLUMNS " FROM petitions p WHERE repeat_key = ?1 AND matter_key IS NULL"
		" AND id_number = ?2 AND category = ?3 AND coalesce(employer, '') = ?4 AND" PT_SEEN("p");
	struct pt_db *db = st->db;

	return pt_db_prepare(db, insert, &st->insert, e) ||
	       pt_db_prepare(db, repeat, &st->repeat, e) ||
	       pt_db_prepare(db, repeat_old, &st->repeat_old, e) ||
	       pt_db_prepare(db, "SELECT received_on FROM petitions p WHERE id = ?1 AND" PT_SEEN("p"), &st->case_find,
			     e) ||
	       has_old_keys(st, e) ||
	       /* the last number given, or taken by an import being written (schema/008) */
	       pt_db_prepare(db, "SELECT max(last) FROM (SELECT last FROM case_seq WHERE unit = ?1 AND year = ?2"
			     " UNION ALL SELECT last FROM import_seqs WHERE unit = ?1 AND year = ?2)", &st->seq_get, e) ||
	       /* an import's numbers were taken before the counter's that came meanwhile */
	       pt_db_prepare(db, "INSERT OR REPLACE INTO case_seq (unit, year, last) VALUES (?1, ?2,"
			     " max(?3, coalesce((SELECT last FROM case_seq WHERE unit = ?1 AND year = ?2), 0)))",
			     &st->seq_put, e) ||
	       pt_db_prepare(db, "SELECT case_no, collective, repeat, named_letter, received_on, channel,"
			     " petitioner, coalesce(id_number, ''), category, summary, id FROM petitions p"
			     " WHERE dup_key = ?1 AND unit = ?2 AND CASE WHEN ?3 IS NOT NULL THEN external_id = ?3"
			     " ELSE external_id IS NULL AND received_on = ?4 AND channel = ?5 AND petitioner = ?6"
			     " AND coalesce(id_number, '') = ?7 AND category = ?8 AND summary = ?9 END AND" PT_SEEN("p"),
			     &st->find, e) ||
	       /* a row flagged so already is not written again (write_sliced counts the rows changed) */
	       pt_db_prepare(db, "UPDATE petitions SET repeat = 1, repeat_of = ?2 WHERE id = ?1"
			     " AND NOT (repeat = 1 AND repeat_of IS ?2)", &st->reflag, e)
		       ? -1 : 0;
}

/* The number after the unit's and year's last must be free. No UNIQUE index guards case
 * numbers since schema 6 (they are given here, under the write lock, from case_seq); only a
 * case_seq lowered behind the toolkit's back could make one given twice, so refuse that
 * rather than number a second case the same (audit verify then shows the edit). */
static int next_number_free(struct intake *st, const struct seq *s, struct pt_err *e)
{
	long long id = 0;

	pt_case_number(&st->case_no, st->rules->case_number, s->unit, s->year, s->last + 1);
	if (pt_case_by_number(st->db, st->case_no.buf, &id, e))
		return -1;
	if (id)
		return pt_err_set(e, PT_EINTERNAL, "case number %s is already given, but the database's last number"
				  " of %s in %d is %lld: it was changed outside petition (petition audit verify)",
				  st->case_no.buf, s->unit, s->year, s->last);
	return 0;
}

/* The last case number used in the unit and year, as the database has it now. */
static int read_seq(struct intake *st, struct seq *s, struct pt_err *e)
{
	int rc;

	s->last = 0;
	sqlite3_reset(st->seq_get);
	sqlite3_bind_text(st->seq_get, 1, s->unit, -1, SQLITE_STATIC);
	sqlite3_bind_int(st->seq_get, 2, s->year);
	rc = sqlite3_step(st->seq_get);
	if (rc == SQLITE_ROW)
		s->last = sqlite3_column_int64(st->seq_get, 0);
	sqlite3_reset(st->seq_get);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return pt_db_fail(st->db, rc, "cannot read case numbers", e);
	return next_number_free(st, s, e);
}

static struct seq *seq_for(struct intake *st, const char *unit, int year, struct pt_err *e)
{
	struct seq *s;

	for (size_t i = 0; i < st->nseqs; i++)
		if (st->seqs[i].year == year && !strcmp(st->seqs[i].unit, unit))
			return &st->seqs[i];
	st->seqs = pt_xrealloc(st->seqs, (st->nseqs + 1) * sizeof *st->seqs);
	s = &st->seqs[st->nseqs++];
	s->unit = pt_xstrdup(unit);
	s->year = year;
	s->staged = 0;
	return read_seq(st, s, e) ? NULL : s;
}

static int save_seqs(struct intake *st, struct pt_err *e)
{
	for (size_t i = 0; i < st->nseqs; i++) {
		int rc;

		sqlite3_reset(st->seq_put);
		sqlite3_bind_text(st->seq_put, 1, st->seqs[i].unit, -1, SQLITE_STATIC);
		sqlite3_bind_int(st->seq_put, 2, st->seqs[i].year);
		sqlite3_bind_int64(st->seq_put, 3, st->seqs[i].last);
		rc = sqlite3_step(st->seq_put);
		if (rc != SQLITE_DONE)
			return pt_db_fail(st->db, rc, "cannot save case numbers", e);
	}
	return 0;
}

/* ---- same person, same matter (petition(7), INTAKE) ---- */

/* The key of rows from before matter_key: the ID number, a NUL and the category (with no
 * NUL after it, unlike pt_key()). */
static long long repeat_key(const char *id_number, const char *category)
{
	return (long long)pt_fnv_bytes(pt_fnv_field(PT_FNV_OFFSET, id_number), category);
}

/* matter_key: the person ('i' and the ID number, else 'n', the name and the phone), then the
 * matter (the employer and the category); none when the person cannot be told. */
static void make_matter_key(struct row *row)
{
	const char *by_id[] = { "i", row->id_number, row->v[PT_F_EMPLOYER], row->category };
	const char *by_name[] = { "n", row->v[PT_F_PETITIONER], row->phone, row->v[PT_F_EMPLOYER], row->category };

	row->has_matter = row->id_number[0] || row->phone[0];
	if (row->has_matter)
		row->matter_key = row->id_number[0] ? pt_key(by_id, 4) : pt_key(by_name, 5);
}

/* A set of keys as a Bloom filter: 2^23 bits (1 MiB, whatever the size of the file or the
 * database) probed at two places the key (a hash already, mixed once more) gives. An
 * import keeps two of matter keys, of the petitions' when it began and of the rows it
 * staged: most people come with a matter once, and their look-ups are skipped when no
 * petition and no staged row can have the key; and one of the staged rows' duplicate keys,
 * whose look-up among them most rows skip. About 5% of the keys that are in none still
 * look, at a million keys, which costs only that look-up. */
#define KEYSET_BITS 23

static unsigned long long keyset_bit(long long key, int probe)
{
	unsigned long long h = (unsigned long long)key * 0x9e3779b97f4a7c15ULL;

	return (h >> (64 - KEYSET_BITS * (probe + 1))) & ((1ULL << KEYSET_BITS) - 1);
}

static void keyset_add(unsigned char *set, long long key)
{
	for (int probe = 0; probe < 2; probe++) {
		unsigned long long b = keyset_bit(key, probe);

		set[b >> 3] |= (unsigned char)(1u << (b & 7));
	}
}

static bool keyset_maybe(const unsigned char *set, long long key)
{
	for (int probe = 0; probe < 2; probe++) {
		unsigned long long b = keyset_bit(key, probe);

		if (!(set[b >> 3] & (1u << (b & 7))))
			return false;
	}
	return true;
}

static int petition_keys(struct intake *st, struct pt_err *e);

/* Reading the petitions' matter keys into a filter costs one pass over their index, however
 * small the file: a staging import reads it only once it has looked up this many rows one
 * by one (an office's daily file of tens of rows never does; a migration soon does). */
#define PETITION_KEYS_AFTER 10000

/* Whether the petitions may hold the row's person and matter, so that it must look them up:
 * always when not staging (a single intake, a row checked again under the lock); while
 * staging, as the filter of their keys says, once it is read. */
static int petitions_may_have(struct intake *st, const struct row *row, bool *maybe, struct pt_err *e)
{
	*maybe = true;
	if (!st->staging || (!st->petition_keys && ++st->direct_lookups <= PETITION_KEYS_AFTER))
		return 0;
	if (!st->petition_keys && petition_keys(st, e))
		return -1;
	*maybe = keyset_maybe(st->petition_keys, row->matter_key);
	return 0;
}

/* What the earlier petitions of the person and matter make of a row. */
struct matter {
	char from[PT_DATE_LEN], to[PT_DATE_LEN];   /* the repeat window around the row */
	char repeat_on[PT_DATE_LEN], final_on[PT_DATE_LEN];
	bool competent_handled;  /* the competent unit answered it, or let its time limit pass */
	long long *open;         /* the competent unit's open cases, to ask their time limits */
	size_t nopen, open_alloc;
};

static void add_id(long long **v, size_t *n, size_t *alloc, long long id)
{
	if (*n == *alloc) {
		*alloc = *alloc ? 2 * *alloc : 8;
		*v = pt_xrealloc(*v, *alloc * sizeof **v);
	}
	(*v)[(*n)++] = id;
}

/* One earlier (or, in this import, later) petition of the person and matter, in q's row. */
static void consider(struct intake *st, struct row *row, struct matter *m, sqlite3_stmt *q)
{
	long long id = sqlite3_column_int64(q, MC_ID);
	const char *on = (const char *)sqlite3_column_text(q, MC_RECEIVED_ON);
	const char *rereviewed = (const char *)sqlite3_column_text(q, MC_REREVIEWED);
	const char *state = (const char *)sqlite3_column_text(q, MC_STATE);
	int later = strcmp(on, row->received_on);

	if (id == st->self_id)
		return;
	/* checked again once the whole import is in (write_staged): a row of the same day and a
	 * higher id came after it in the file */
	if (later > 0 || (later == 0 && st->self_id && id > st->self_id)) {
		/* a row of this import dated after this one: a repeat of it, once it is in */
		if (sqlite3_column_int64(q, MC_EVENT) == st->event_id && !sqlite3_column_int(q, MC_REPEAT) &&
		    strcmp(on, m->to) <= 0)
			add_id(&st->later, &st->nlater, &st->later_alloc, id);
		return;
	}
	/* the latest earlier one within the window is the one it repeats */
	if (!row->by_hand && strcmp(on, m->from) >= 0 && strcmp(on, m->repeat_on) >= 0) {
		row->repeat = true;
		row->repeat_of = id;
		memcpy(m->repeat_on, on, PT_DATE_LEN);
	}
	if (rereviewed && strcmp(rereviewed, row->received_on) <= 0 && strcmp(rereviewed, m->final_on) >= 0) {
		row->final_of = id;
		snprintf(m->final_on, sizeof m->final_on, "%.10s", rereviewed);
	}
	if (row->competent_unit && !strcmp((const char *)sqlite3_column_text(q, MC_UNIT), row->competent_unit)) {
		if (strcmp(state, "registered") && strcmp(state, "assigned") && strcmp(state, "accepted"))
			m->competent_handled = true;
		else
			add_id(&m->open, &m->nopen, &m->open_alloc, id);
	}
}

static int scan(struct intake *st, struct row *row, struct matter *m, sqlite3_stmt *q, struct pt_err *e)
{
	int rc;

	while ((rc = sqlite3_step(q)) == SQLITE_ROW)
		consider(st, row, m, q);
	sqlite3_reset(q);
	return rc == SQLITE_DONE ? 0 : pt_db_fail(st->db, rc, "cannot look for earlier petitions", e);
}

/* Bind s, or NULL when it is empty; s outlives the statement's step (the row's buffers). */
static void bind_static(sqlite3_stmt *q, int i, const char *s)
{
	if (s && *s)
		sqlite3_bind_text(q, i, s, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(q, i);
}

/* A row id, or NULL for none (0). */
static void bind_id(sqlite3_stmt *q, int i, long long id)
{
	if (id)
		sqlite3_bind_int64(q, i, id);
	else
		sqlite3_bind_null(q, i);
}

/* Whether unit `upper` is above unit `code` (its parent, or its parent's, ...). */
static bool unit_above(const struct pt_rules *r, const char *upper, const char *code)
{
	const struct pt_unit *u = pt_rules_unit(r, code);

	for (int depth = 0; u && u->parent && depth < 16; depth++, u = pt_rules_unit(r, u->parent))
		if (!strcmp(u->parent, upper))
			return true;
	return false;
}

static void lapsed(void *ctx, const struct pt_deadline_view *v)
{
	if (!strcmp(v->state, "overdue") || !strcmp(v->state, "long overdue"))
		*(bool *)ctx = true;
}

/* 越级: received above the competent unit, which has neither answered the matter nor let a
 * time limit of it pass on the day this petition came (an open case there whose limits are
 * still running, or none at all). */
static int check_skip_level(struct intake *st, struct row *row, struct matter *m, struct pt_err *e)
{
	row->skip_level = false;
	if (!row->competent_unit || !unit_above(st->rules, row->unit, row->competent_unit))
		return 0;
	for (size_t i = 0; i < m->nopen && !m->competent_handled; i++) {
		char key[24];

		/* a staged row (no case yet): decided under the lock, once it is one */
		if (m->open[i] < 0) {
			row->recheck = true;
			return 0;
		}

		snprintf(key, sizeof key, "id:%lld", m->open[i]);
		if (pt_case_deadlines(st->db, st->rules, key, row->received_days, lapsed, &m->competent_handled, e))
			return -1;
	}
	row->skip_level = !m->competent_handled;
	return 0;
}

/* The look-up of the person and matter (st->repeat, st->stage_repeat). */
static void bind_matter_query(sqlite3_stmt *q, const struct row *row)
{
	sqlite3_bind_int64(q, 1, row->matter_key);
	sqlite3_bind_text(q, 2, row->category, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, row->v[PT_F_EMPLOYER], -1, SQLITE_STATIC);
	bind_static(q, 4, row->id_number);
	sqlite3_bind_text(q, 5, row->v[PT_F_PETITIONER], -1, SQLITE_STATIC);
	bind_static(q, 6, row->phone);
}

/* Repeat (the latest earlier petition of the person and matter within the window before,
 * unless the clerk named one), final (an earlier one decided on re-review by the day this
 * one came) and 越级. Looks both ways for repeats: a row of this import dated after this
 * one and within the window becomes a repeat now that this earlier one is registered, so
 * the flags do not depend on the order of the file's rows. Petitions of earlier imports are
 * not changed. */
static int check_matter(struct intake *st, struct row *row, struct pt_err *e)
{
	struct matter m;
	bool maybe = false;
	int rc = 0;

	memset(&m, 0, sizeof m);
	row->repeat = row->by_hand;
	row->final_of = 0;
	st->nlater = 0;
	make_matter_key(row);
	/* An earlier row of the file may be of the same person and matter: the whole check
	 * waits until every row is read and their keys indexed (stage_deferred). */
	if (st->staging && !st->stage_n && row->has_matter && keyset_maybe(st->staged_keys, row->matter_key)) {
		row->deferred = true;
		return 0;
	}
	pt_date_format(row->received_days - st->rules->repeat_window_days, m.from);
	pt_date_format(row->received_days + st->rules->repeat_window_days, m.to);
	if (row->has_matter && (rc = petitions_may_have(st, row, &maybe, e)) == 0 && maybe) {
		bind_matter_query(st->repeat, row);
		rc = scan(st, row, &m, st->repeat, e);
	}
	/* a deferred row: the rows of this import read before it (stage_deferred) */
	if (rc == 0 && st->stage_n) {
		bind_matter_query(st->stage_repeat, row);
		sqlite3_bind_int64(st->stage_repeat, 7, st->stage_n);
		rc = scan(st, row, &m, st->stage_repeat, e);
	}
	if (rc == 0 && st->old_keys && row->id_number[0]) {
		sqlite3_stmt *q = st->repeat_old;

		sqlite3_bind_int64(q, 1, repeat_key(row->id_number, row->category));
		sqlite3_bind_text(q, 2, row->id_number, -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 3, row->category, -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 4, row->v[PT_F_EMPLOYER], -1, SQLITE_STATIC);
		rc = scan(st, row, &m, q, e);
	}
	if (rc == 0)
		rc = check_skip_level(st, row, &m, e);
	free(m.open);
	return rc;
}

/* A petition that a check under the lock changed (write_sliced makes its digest again). */
static void changed(struct intake *st, long long id)
{
	if (!st->first_changed || id < st->first_changed)
		st->first_changed = id;
}

/* Flag the later rows of this import that check_matter() found, once this row (id) is in:
 * in the petitions, or while staging in the staging table (ids there are -n). */
static int flag_later(struct intake *st, long long id, struct pt_err *e)
{
	sqlite3_stmt *q = st->staging ? st->stage_reflag : st->reflag;

	for (size_t i = 0; i < st->nlater; i++) {
		int rc;

		sqlite3_reset(q);
		sqlite3_bind_int64(q, 1, st->later[i]);
		sqlite3_bind_int64(q, 2, id);
		rc = sqlite3_step(q);
		if (rc != SQLITE_DONE)
			return pt_db_fail(st->db, rc, "cannot flag a repeat petition", e);
		if (!st->staging && sqlite3_changes(st->db->sql))
			changed(st, st->later[i]);
	}
	return 0;
}

/* The duplicate check's key (schema/006-keys.sql): the unit and the external_id when the row
 * has one, in the order of the external_id, else the row's content, in the order of the
 * received date; the replay works it out again from the same columns. */
static void make_dedup_key(struct row *row)
{
	const char *x[] = { "x", row->unit, row->v[PT_F_EXTERNAL_ID] };
	const char *f[] = { "f", row->unit, row->received_on, row->channel, row->v[PT_F_PETITIONER], row->id_number,
			    row->category, row->v[PT_F_SUMMARY] };

	row->dup_key = *row->v[PT_F_EXTERNAL_ID] ? pt_key_ordered(row->v[PT_F_EXTERNAL_ID], x, 3)
						 : pt_key_ordered(row->received_on, f, 8);
}

/* ?1 .. ?9 of the duplicate look-ups (st->find, st->stage_find): the key, then the columns it
 * is the key of, which confirm what it finds. */
static void bind_dup(sqlite3_stmt *q, const struct row *row)
{
	sqlite3_bind_int64(q, 1, row->dup_key);
	sqlite3_bind_text(q, 2, row->unit, -1, SQLITE_STATIC);
	bind_static(q, 3, row->v[PT_F_EXTERNAL_ID]);
	sqlite3_bind_text(q, 4, row->received_on, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 5, row->channel, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 6, row->v[PT_F_PETITIONER], -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 7, row->id_number, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 8, row->category, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 9, row->v[PT_F_SUMMARY], -1, SQLITE_STATIC);
}

static bool same_text(sqlite3_stmt *q, int col, const char *s)
{
	const char *t = (const char *)sqlite3_column_text(q, col);

	return !strcmp(t ? t : "", s ? s : "");
}

/* Whether the petition in q's row (the columns of st->find: who, ..., received_on, channel,
 * petitioner, id_number, category, summary) is a different petition under this row's
 * external_id (an office that restarted its 编号): a clash, not a duplicate, reported. */
static bool clashes(struct intake *st, const struct row *row, sqlite3_stmt *q, const char *file, long line)
{
	char cut[200], name[200];

	if (!*row->v[PT_F_EXTERNAL_ID] ||
	    (same_text(q, 4, row->received_on) && same_text(q, 5, row->channel) &&
	     same_text(q, 6, row->v[PT_F_PETITIONER]) && same_text(q, 7, row->id_number) &&
	     same_text(q, 8, row->category) && same_text(q, 9, row->v[PT_F_SUMMARY])))
		return false;
	problem(st, file, line, "external_id '%s': already the number of %s, a different petition "
		"(%s, %s); give this one its own external_id",
		shown(row->v[PT_F_EXTERNAL_ID], cut, sizeof cut), (const char *)sqlite3_column_text(q, 0),
		(const char *)sqlite3_column_text(q, 4),
		shown_field(st, "petitioner", (const char *)sqlite3_column_text(q, 6), name, sizeof name));
	return true;
}

/* The petition already registered under this row's duplicate key (*found); *clash when it is
 * a different one (clashes()). */
static int find_existing(struct intake *st, struct row *row, const char *file, long line,
			 bool *found, bool *clash, struct pt_err *e)
{
	sqlite3_stmt *q = st->find;
	int rc;

	sqlite3_reset(q);
	bind_dup(q, row);
	rc = sqlite3_step(q);
	*found = rc == SQLITE_ROW;
	if (rc == SQLITE_DONE)
		return 0;
	if (rc != SQLITE_ROW)
		return pt_db_fail(st->db, rc, "cannot find the earlier petition", e);
	pt_buf_reset(&st->case_no);
	pt_buf_adds(&st->case_no, (const char *)sqlite3_column_text(q, 0));
	/* What the stored row says, not what this row would have been. */
	row->collective = sqlite3_column_int(q, 1);
	row->repeat = sqlite3_column_int(q, 2);
	row->named_letter = sqlite3_column_int(q, 3);
	*clash = clashes(st, row, q, file, line);
	return 0;
}

/* ?21..?26: what check_matter() found, and the letter's leader. */
static void bind_matter(sqlite3_stmt *s, const struct row *row)
{
	if (row->has_matter)
		sqlite3_bind_int64(s, 21, row->matter_key);
	else
		sqlite3_bind_null(s, 21);
	bind_id(s, 22, row->repeat_of);
	bind_id(s, 23, row->final_of);
	bind_static(s, 24, row->competent_unit);
	sqlite3_bind_int(s, 25, row->skip_level);
	sqlite3_bind_int(s, 26, row->addressed_unknown);
}

/* The flags a row's own fields make. */
static void derive_flags(const struct intake *st, struct row *row)
{
	/* 集体访 is a visit by many; a letter signed by many is not one. */
	row->collective = !strcmp(row->channel, "visit") && row->persons >= st->rules->collective_persons;
	row->named_letter = !strcmp(row->channel, "letter") && *row->v[PT_F_ADDRESSED_TO];
	/* a letter naming someone who is no leader in the rules is still one (petition(7)) */
	row->addressed_unknown = row->named_letter && !pt_rules_leader(st->rules, row->v[PT_F_ADDRESSED_TO]);
}

/* Insert a validated row; adds to added or present, or sets *clash (see find_existing). */
static int insert_row(struct intake *st, struct row *row, const char *file, long line, bool *clash,
		      struct pt_err *e)
{
	sqlite3_stmt *s = st->insert;
	int year = pt_date_year(row->received_days);
	struct seq *seq = seq_for(st, row->unit, year, e);
	bool found;
	int rc;

	if (!seq)
		return -1;
	derive_flags(st, row);
	if (check_matter(st, row, e) || find_existing(st, row, file, line, &found, clash, e))
		return -1;
	if (found) {
		if (!*clash)
			st->res->present++;
		return 0;
	}
	pt_case_number(&st->case_no, st->rules->case_number, row->unit, year, seq->last + 1);
	sqlite3_reset(s);
	sqlite3_bind_text(s, 1, st->case_no.buf, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, row->unit, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, row->received_on, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, row->channel, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 5, row->v[PT_F_PETITIONER], -1, SQLITE_STATIC);
	bind_static(s, 6, row->id_number);
	bind_static(s, 7, row->phone);
	bind_static(s, 8, row->v[PT_F_EMPLOYER]);
	bind_static(s, 9, row->v[PT_F_RECEIVED_BY]);
	sqlite3_bind_text(s, 10, row->category, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 11, row->persons);
	bind_static(s, 12, row->v[PT_F_ADDRESSED_TO]);
	sqlite3_bind_text(s, 13, row->v[PT_F_SUMMARY], -1, SQLITE_STATIC);
	bind_static(s, 14, row->v[PT_F_EXTERNAL_ID]);
	bind_static(s, 15, row->v[PT_F_SOURCE_REF]);
	sqlite3_bind_int(s, 16, row->collective);
	sqlite3_bind_int(s, 17, row->repeat);
	sqlite3_bind_int(s, 18, row->named_letter);
	sqlite3_bind_int64(s, 19, row->dup_key);
	sqlite3_bind_int64(s, 20, st->event_id);
	bind_matter(s, row);
	sqlite3_bind_int64(s, 27, pt_case_key(st->case_no.buf));
	rc = sqlite3_step(s);
	if (rc != SQLITE_DONE)
		return pt_db_fail(st->db, rc, "cannot register the petition", e);
	long long id = sqlite3_last_insert_rowid(st->db->sql);

	if (flag_later(st, id, e))
		return -1;
	seq->last++;
	if (!st->res->first_id)
		st->res->first_id = id;
	st->res->last_id = id;
	st->res->added++;
	return 0;
}

/* ---- the transaction around the rows ---- */

/* The run's state and statements; no lock is taken yet. */
static int start(struct intake *st, struct pt_db *db, const struct pt_rules *r,
		 const struct pt_intake_opts *o, struct pt_intake_result *res, struct pt_err *e)
{
	memset(st, 0, sizeof *st);
	memset(res, 0, sizeof *res);
	st->db = db;
	st->rules = r;
	st->o = o;
	st->res = res;
	st->today = pt_date_today();
	st->started = true;
	return prepare_all(st, e);
}

/* The write lock, from here to the commit (change.h); journal: PT_CHANGE_ROLLBACK_JOURNAL or 0. */
static int lock(struct intake *st, unsigned journal, struct pt_err *e)
{
	/* The petitions are many: digested, not listed, in the event (change.h). */
	if (!(st->ch = pt_change_begin(st->db, st->rules, PT_CHANGE_BULK_PETITIONS | journal, e)))
		return -1;
	st->event_id = pt_change_event_id(st->ch);
	return 0;
}

/* Whether the caller asked the import to stop (pt_intake_opts.stop). */
static int stop_asked(const struct intake *st, struct pt_err *e)
{
	if (!st->o->stop || !*st->o->stop)
		return 0;
	return pt_err_set(e, PT_EIO, "interrupted; nothing was registered");
}

static int finish(struct intake *st, const char *source, struct pt_err *e)
{
	struct pt_buf data = PT_BUF_INIT;
	struct pt_change *ch = st->ch;
	int rc;

	if (st->bad && !st->o->rejects)
		return pt_err_set(e, PT_EDATA, "%llu bad row%s; nothing was registered",
				  st->res->rejected, st->res->rejected == 1 ? "" : "s");
	if (st->o->dry_run || st->res->added == 0)
		return 0;
	/* the last moment a signal stops the import: after the commit, it is done */
	if (stop_asked(st, e))
		return -1;
	/* The rows as stored, flags set after a row went in (a later line that was received
	 * earlier) included. */
	if (save_seqs(st, e) ||
	    (!st->digested && pt_change_digest(ch, "petitions", st->res->first_id, st->res->last_id, e)))
		return -1;
	pt_buf_addch(&data, '{');
	pt_json_member(&data, "source", source);
	pt_buf_addf(&data, ",\"added\":%llu,\"present\":%llu,\"rejected\":%llu,"
		    "\"first_id\":%lld,\"last_id\":%lld,\"rules_sha256\":\"%s\"}",
		    st->res->added, st->res->present, st->res->rejected, st->res->first_id,
		    st->res->last_id, st->rules->sha256);
	st->ch = NULL;
	rc = pt_change_commit(ch, "intake", st->res->added == 1 ? st->res->first_id : 0, data.buf, false, e);
	pt_buf_release(&data);
	return rc;
}

static void release(struct intake *st)
{
	sqlite3_finalize(st->insert);
	sqlite3_finalize(st->repeat);
	sqlite3_finalize(st->repeat_old);
	sqlite3_finalize(st->case_find);
	sqlite3_finalize(st->seq_get);
	sqlite3_finalize(st->seq_put);
	sqlite3_finalize(st->find);
	sqlite3_finalize(st->reflag);
	sqlite3_finalize(st->stage_find);
	sqlite3_finalize(st->stage_repeat);
	sqlite3_finalize(st->stage_reflag);
	for (size_t i = 0; i < st->nseqs; i++)
		free(st->seqs[i].unit);
	free(st->seqs);
	free(st->later);
	free(st->petition_keys);
	free(st->staged_keys);
	free(st->staged_dups);
	for (int f = 0; f < PT_NFIELDS; f++)
		pt_buf_release(&st->trimmed[f]);
	pt_buf_release(&st->errors);
	pt_buf_release(&st->masked);
	pt_buf_release(&st->case_no);
	pt_buf_release(&st->staged_no);
	pt_change_abort(st->ch);
	st->ch = NULL;
	/* an import's staging: its transaction when the import failed, then its database (its
	 * statements are all finalized by now, so that DETACH cannot find it in use) */
	if (st->attached) {
		sqlite3_finalize(st->stage_put);
		if (!sqlite3_get_autocommit(st->db->sql))
			sqlite3_exec(st->db->sql, "ROLLBACK", NULL, NULL, NULL);
		sqlite3_exec(st->db->sql, "DETACH staging", NULL, NULL, NULL);
		/* the case numbering function points to this run's state */
		sqlite3_create_function(st->db->sql, "pt_intake_case_no", 3, SQLITE_UTF8, NULL, NULL, NULL, NULL);
	}
}

static void tell_row(struct intake *st, const struct row *row, long line, const char *status)
{
	struct pt_intake_row out;
	bool rejected = !strcmp(status, "rejected");

	if (!st->o->on_row)
		return;
	memset(&out, 0, sizeof out);
	out.line = line;
	out.status = status;
	out.case_no = rejected ? NULL : st->case_no.buf;
	out.received_on = row->received_on[0] ? row->received_on : row->v[PT_F_RECEIVED_ON];
	out.unit = row->unit ? row->unit : row->v[PT_F_UNIT];
	out.channel = row->channel ? row->channel : row->v[PT_F_CHANNEL];
	out.petitioner = row->v[PT_F_PETITIONER];
	pt_buf_reset(&st->masked);
	if (st->o->redact && pt_mask_personal("petitioner", out.petitioner, &st->masked))
		out.petitioner = pt_buf_str(&st->masked);
	out.category = row->category ? row->category : row->v[PT_F_CATEGORY];
	out.persons = row->persons;
	out.collective = row->collective;
	out.repeat = row->repeat;
	out.named_letter = row->named_letter;
	out.final = row->final_of != 0;
	out.skip_level = row->skip_level;
	out.addressed_unknown = row->addressed_unknown;
	out.errors = rejected ? st->errors.buf : NULL;
	st->o->on_row(st->o->ctx, &out);
}

/* Validate and insert one row of raw values; false when it was bad. */
static int take_row(struct intake *st, const char *const raw[PT_NFIELDS], const char *file, long line,
		    bool *ok, struct pt_err *e)
{
	struct row row;
	unsigned long long present;
	bool clash = false;

	for (int f = 0; f < PT_NFIELDS; f++) {
		pt_text_trim_into(&st->trimmed[f], raw[f]);
		row.v[f] = pt_buf_str(&st->trimmed[f]);
	}
	st->rows++;
	if (validate(st, &row, file, line, ok, e))
		return -1;
	if (!*ok) {
		st->bad = true;
		st->res->rejected++;
		row.collective = row.repeat = row.named_letter = row.skip_level = row.addressed_unknown = false;
		row.final_of = 0;
		tell_row(st, &row, line, "rejected");
		return 0;
	}
	present = st->res->present;
	make_dedup_key(&row);
	if (insert_row(st, &row, file, line, &clash, e))
		return -1;
	if (clash) {
		*ok = false;
		st->bad = true;
		st->res->rejected++;
		row.collective = row.repeat = row.named_letter = row.skip_level = row.addressed_unknown = false;
		row.final_of = 0;
		tell_row(st, &row, line, "rejected");
		return 0;
	}
	tell_row(st, &row, line, st->res->present > present ? "present" : "new");
	return 0;
}

int pt_intake_one(struct pt_db *db, const struct pt_rules *r, const char *const values[PT_NFIELDS],
		  const struct pt_intake_opts *o, struct pt_intake_result *res, struct pt_err *e)
{
	struct intake st;
	const char *v[PT_NFIELDS];
	char today[PT_DATE_LEN];
	bool ok;
	int rc;

	memcpy(v, values, sizeof v);
	rc = start(&st, db, r, o, res, e);
	if (rc == 0)
		rc = lock(&st, 0, e);
	if (rc == 0 && (!v[PT_F_RECEIVED_ON] || !*v[PT_F_RECEIVED_ON])) {
		pt_date_format(st.today, today);
		v[PT_F_RECEIVED_ON] = today;
	}
	if (rc == 0)
		rc = take_row(&st, v, NULL, 0, &ok, e);
	if (rc == 0 && ok)
		res->case_no = pt_xstrdup(st.case_no.buf);
	if (rc == 0 && !ok)
		rc = pt_err_set(e, PT_EDATA, "bad petition; nothing was registered");
	if (rc == 0)
		rc = finish(&st, "(options)", e);
	release(&st);
	return rc;
}

/* ---- CSV ---- */

struct header {
	int *field;              /* per column: enum pt_field, or -1 (ignored) */
	size_t ncols;
	char **names;            /* the header cells as read, for the rejects file */
};

static void header_free(struct header *h)
{
	for (size_t i = 0; i < h->ncols; i++)
		free(h->names[i]);
	free(h->names);
	free(h->field);
}

static int read_header(struct pt_csv_reader *rd, const struct pt_intake_opts *o, struct header *h,
		       struct pt_err *e)
{
	static const enum pt_field required[] = { PT_F_RECEIVED_ON, PT_F_CHANNEL, PT_F_PETITIONER,
						  PT_F_CATEGORY, PT_F_SUMMARY };
	struct pt_buf cell = PT_BUF_INIT, unknown = PT_BUF_INIT;
	size_t nunknown = 0;
	int rc = pt_csv_next(rd, e);
	int seen[PT_NFIELDS];

	if (rc <= 0)
		return rc < 0 ? -1 : pt_err_at(e, PT_EDATA, pt_csv_name(rd), 1, 0, "empty file: no header row");
	memset(seen, 0, sizeof seen);
	h->ncols = pt_csv_nfields(rd);
	h->field = pt_xcalloc(h->ncols, sizeof *h->field);
	h->names = pt_xcalloc(h->ncols, sizeof *h->names);
	for (size_t i = 0; i < h->ncols; i++) {
		pt_text_trim_into(&cell, pt_csv_field(rd, i));
		h->names[i] = pt_xstrdup(pt_buf_str(&cell));
		h->field[i] = pt_field_from_header(pt_buf_str(&cell));
		if (h->field[i] < 0 && !o->ignore_unknown && cell.len) { /* named all at once, below */
			pt_buf_addf(&unknown, "%s%zu '%s'", nunknown ? ", " : "", i + 1, pt_buf_str(&cell));
			nunknown++;
			continue;
		}
		if (h->field[i] >= 0 && seen[h->field[i]]++) {
			pt_err_at(e, PT_EDATA, pt_csv_name(rd), pt_csv_line(rd), 0,
				  "column %zu '%s' gives %s again", i + 1, pt_buf_str(&cell),
				  fields[h->field[i]].name);
			goto fail;
		}
	}
	if (nunknown) {
		pt_err_at(e, PT_EDATA, pt_csv_name(rd), pt_csv_line(rd), 0, "column%s %s %s of a petition (use ",
			  nunknown > 1 ? "s" : "", unknown.buf, nunknown > 1 ? "are not fields" : "is not a field");
		pt_err_also(e, "ignore_unknown", " to skip %s)", nunknown > 1 ? "them" : "it");
		goto fail;
	}
	for (size_t i = 0; i < sizeof required / sizeof *required; i++)
		if (!seen[required[i]]) {
			pt_err_at(e, PT_EDATA, pt_csv_name(rd), pt_csv_line(rd), 0,
				  "no column for %s (a header named %s or %s)", fields[required[i]].name,
				  fields[required[i]].name, fields[required[i]].label);
			goto fail;
		}
	pt_buf_release(&cell);
	pt_buf_release(&unknown);
	return 0;
fail:
	pt_buf_release(&cell);
	pt_buf_release(&unknown);
	return -1;
}

/* The rejects file is written under a temporary name beside it (mode 0600, from mkstemp)
 * and renamed into place only when the import goes through: an existing file of that name
 * is replaced whole, never truncated in place nor followed through a symbolic link, and a
 * failed run leaves it as it was. */
struct rejects {
	FILE *f;
	struct pt_outfile out;
	iconv_t cd;              /* to the input's GB18030, (iconv_t)-1 for UTF-8: the rejects */
	struct pt_buf conv;      /* file follows the input, so that it is fixed and imported as is */
};

/* The input's encoding, and its BOM, for the rejects file (known once the header is read). */
static int rejects_follow(struct rejects *rj, const struct pt_csv_reader *rd, const char *encoding,
			  struct pt_err *e)
{
	if (encoding && strcasecmp(encoding, "utf-8") && strcasecmp(encoding, "utf8")) {
		rj->cd = iconv_open("GB18030", "UTF-8");
		if (rj->cd == (iconv_t)-1)
			return pt_err_set(e, PT_EINTERNAL, "iconv cannot convert to GB18030: %s", strerror(errno));
	} else if (pt_csv_bom(rd)) {
		fputs("\xef\xbb\xbf", rj->f);
	}
	return 0;
}

/* A line of the rejects file, in the input's encoding. */
static void rejects_put(struct rejects *rj, const struct pt_buf *b)
{
	if (rj->cd != (iconv_t)-1) {
		pt_buf_reset(&rj->conv);
		/* GB18030 encodes all of Unicode: a failure here is a bug, and the line is lost */
		if (pt_buf_add_iconv(&rj->conv, rj->cd, b->buf, b->len) == 0)
			fwrite(rj->conv.buf, 1, rj->conv.len, rj->f);
		return;
	}
	fwrite(b->buf, 1, b->len, rj->f);
}

static bool same_file(const char *a, const char *b)
{
	struct stat sa, sb;

	return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

static int rejects_open(struct rejects *rj, const char *path, const char *input, struct pt_err *e)
{
	if (strcmp(input, "-") && same_file(path, input))
		return pt_err_field(e, PT_EUSAGE, "", "rejects", " %s is the file being imported", path);
	if (pt_outfile_open(&rj->out, path, e))
		return -1;
	if (!(rj->f = fdopen(rj->out.fd, "w"))) {
		pt_err_set(e, PT_ECANTCREAT, "cannot create %s: %s", path, strerror(errno));
		close(rj->out.fd);
		pt_outfile_abort(&rj->out);
		return -1;
	}
	return 0;
}

/* Close and move into place; on failure (or when !keep) remove the temporary file. */
static int rejects_close(struct rejects *rj, bool keep, struct pt_err *e)
{
	const char *path = rj->out.path;
	int rc = 0;

	if (!rj->f)
		return 0;
	if (keep && (fflush(rj->f) != 0 || ferror(rj->f)))
		rc = pt_err_set(e, PT_EIO, "cannot write %s: %s", path, strerror(errno));
	if (rc == 0 && keep)
		rc = pt_outfile_commit(&rj->out, fileno(rj->f), e);
	else
		pt_outfile_abort(&rj->out);
	fclose(rj->f);
	if (rj->cd != (iconv_t)-1)
		iconv_close(rj->cd);
	rj->cd = (iconv_t)-1;
	pt_buf_release(&rj->conv);
	rj->f = NULL;
	return rc;
}

/* The record's fields under the header's columns (a short record padded with empty fields,
 * the extra fields of a long one kept in the error), then its line and errors. */
static void write_reject(struct rejects *rj, struct pt_csv_reader *rd, size_t ncols, long line, const char *errors)
{
	struct pt_buf b = PT_BUF_INIT, err = PT_BUF_INIT;
	char num[24];

	pt_buf_adds(&err, errors);
	for (size_t i = 0; i < ncols || i < pt_csv_nfields(rd); i++) {
		const char *v = i < pt_csv_nfields(rd) ? pt_csv_field(rd, i) : "";

		if (i >= ncols) {
			pt_buf_adds(&err, i == ncols ? "; extra fields: " : " | ");
			pt_buf_adds(&err, v);
			continue;
		}
		pt_csv_quote(&b, v);
		pt_buf_addch(&b, ',');
	}
	snprintf(num, sizeof num, "%ld", line);
	pt_buf_adds(&b, num);
	pt_buf_addch(&b, ',');
	pt_csv_quote(&b, err.buf);
	pt_buf_release(&err);
	pt_buf_adds(&b, "\r\n");
	rejects_put(rj, &b);
	pt_buf_release(&b);
}

static void write_reject_header(struct rejects *rj, const struct header *h)
{
	struct pt_buf b = PT_BUF_INIT;

	for (size_t i = 0; i < h->ncols; i++) {
		pt_csv_quote(&b, h->names[i]);
		pt_buf_addch(&b, ',');
	}
	pt_buf_adds(&b, "line,error\r\n");
	rejects_put(rj, &b);
	pt_buf_release(&b);
}

static bool record_blank(struct pt_csv_reader *rd)
{
	for (size_t i = 0; i < pt_csv_nfields(rd); i++)
		if (!pt_text_blank(pt_csv_field(rd, i)))
			return false;
	return true;
}

/* Where the staging's file is, for messages about it: SQLite's temporary directory, which a
 * full disk or a size limit may stop while the database itself is fine. */
#define STAGING_FILE "a temporary file in SQLITE_TMPDIR, TMPDIR or /var/tmp"

/* ---- staging: an import does its work before it takes the write lock ----
 *
 * Every record is read, validated, given its duplicate key, looked up among the petitions
 * registered and the rows before it (a duplicate is "present", a different petition under the
 * same external_id a clash), and checked for repeats and finality against both (check_matter
 * in the same way as a single intake, the rows staged before it standing for rows already
 * registered; their ids are -n there), then kept with its outcome in a table of a temporary
 * database (a file of SQLite's, deleted when the import ends), so that memory stays bounded.
 * A row that an earlier row of the file may share its person and matter with is looked up
 * among them once all are read (stage_deferred). All of it reads the database as it was when
 * the import began (one read transaction, which blocks no writer).
 *
 * Only then does the import take the write lock (write_staged): the staged rows get their ids
 * and case numbers and go into the petitions in one INSERT ... SELECT, in input order. What
 * was committed meanwhile (a petition registered at the counter while the file was read, a
 * case that moved on) is found by the events after the one the staging saw: the rows it
 * could change are looked at again under the lock, so that duplicates, repeats, finality and
 * 越级 still see every petition committed before the import's own commit. */

/* The staged columns, in stage_put's order (one-based: the column's index + 1). n is a new
 * row's place among the new rows (1, 2, ...: its id will be the last petition's id + n), and
 * minus the line for the others; seq_k its place among the new rows of its unit and year
 * (its case number's sequence: the last one used + seq_k). Rows that repeat a staged one
 * name it by -n. */
#define STAGE_COLUMNS                                                                          \
	"n INTEGER PRIMARY KEY, line, errors, status, v0, v1, v2, v3, v4, v5, v6, v7, v8, v9, v10, v11," \
	" v12, v13, v14, v15, received_on, received_days, year, seq_k, channel, unit, category, id_number," \
	" phone, persons, competent_unit, repeat_of, by_hand, dup_key, matter_key, collective," \
	" repeat, named_letter, final_of, skip_level, addressed_unknown, recheck, deferred, dup_id, dup_of"
enum {
	SC_N, SC_LINE, SC_ERRORS, SC_STATUS, SC_V, SC_RECEIVED_ON = SC_V + PT_NFIELDS, SC_RECEIVED_DAYS,
	SC_YEAR, SC_SEQ_K, SC_CHANNEL, SC_UNIT, SC_CATEGORY, SC_ID_NUMBER, SC_PHONE, SC_PERSONS,
	SC_COMPETENT_UNIT, SC_REPEAT_OF, SC_BY_HAND, SC_DUP_KEY, SC_MATTER_KEY, SC_COLLECTIVE, SC_REPEAT,
	SC_NAMED_LETTER, SC_FINAL_OF, SC_SKIP_LEVEL, SC_ADDRESSED_UNKNOWN, SC_RECHECK, SC_DEFERRED, SC_DUP_ID, SC_DUP_OF,
	SC_N_COLUMNS
};

/* pt_intake_case_no(unit, year, seq_k): a staged row's case number, after the last one the
 * unit and year had when the lock was taken (st->seqs, read again then). */
static void case_no_sql(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
	struct intake *st = sqlite3_user_data(cx);
	const char *unit = (const char *)sqlite3_value_text(argv[0]);
	int year = sqlite3_value_int(argv[1]);

	(void)argc;
	for (size_t i = 0; i < st->nseqs; i++)
		if (st->seqs[i].year == year && !strcmp(st->seqs[i].unit, unit)) {
			long long n = st->seqs[i].last + sqlite3_value_int64(argv[2]);

			/* The INSERT asks twice a row, for the number and for its key: made once. */
			if (st->staged_no_seq != i || st->staged_no_n != n) {
				pt_case_number(&st->staged_no, st->rules->case_number, unit, year, n);
				st->staged_no_seq = i;
				st->staged_no_n = n;
			}
			sqlite3_result_text(cx, st->staged_no.buf, (int)st->staged_no.len, SQLITE_TRANSIENT);
			return;
		}
	sqlite3_result_error(cx, "no case numbers for a staged row's unit and year", -1);
}

/* The matter keys of the petitions, as the staging's read transaction sees them (the same
 * snapshot, whenever petitions_may_have reads them): one pass along their index instead of
 * a look-up of every row's key in it (what was committed meanwhile is checked again under
 * the lock without them: staged_meanwhile). */
static int petition_keys(struct intake *st, struct pt_err *e)
{
	sqlite3_stmt *q = NULL;
	int rc;

	st->petition_keys = pt_xcalloc((size_t)1 << (KEYSET_BITS - 3), 1);
	if (pt_db_prepare(st->db, "SELECT matter_key FROM main.petitions WHERE matter_key IS NOT NULL", &q, e))
		return -1;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW)
		keyset_add(st->petition_keys, sqlite3_column_int64(q, 0));
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? 0 : pt_db_fail(st->db, rc, "cannot read the petitions", e);
}

static int stage_open(struct intake *st, struct pt_err *e)
{
	struct pt_buf put = PT_BUF_INIT;
	sqlite3_stmt *snap = NULL;
	int rc;

	pt_buf_adds(&put, "INSERT INTO staging.intake_stage VALUES (");
	for (int c = 0; c < SC_N_COLUMNS; c++)
		pt_buf_addf(&put, "?%d%s", c + 1, c + 1 < SC_N_COLUMNS ? ", " : ")");
	/* A database of its own, a temporary file (ATTACH of ''), whose DETACH throws it away
	 * whole: dropping a table of a million rows frees its pages one by one (1.4 s). No
	 * journal: it is never rolled back to be used again (a failed import discards it), and
	 * one would make SQLite commit every change under the lock across two databases. */
	if (pt_db_exec(st->db, "ATTACH '' AS staging", e))
		return -1;
	st->attached = true;
	rc = pt_db_exec(st->db, "PRAGMA staging.journal_mode = OFF;"
			" CREATE TABLE staging.intake_stage (" STAGE_COLUMNS ");"
			" CREATE INDEX staging.intake_stage_dup ON intake_stage (dup_key) WHERE dup_key IS NOT NULL;"
			/* the few rows to check again under the lock, and those whose look-up waits
			 * for the index of the staged keys, found without reading them all */
			" CREATE INDEX staging.intake_stage_recheck ON intake_stage (n) WHERE recheck;"
			" CREATE INDEX staging.intake_stage_deferred ON intake_stage (n) WHERE deferred;"
			" BEGIN", e) ||
	     pt_db_prepare(st->db, put.buf, &st->stage_put, e) ||
	     /* the columns of st->find, for clashes(), and the row's n, found as st->find finds them */
	     pt_db_prepare(st->db, "SELECT 'the petition on line ' || line, 0, 0, 0, received_on, channel, v2,"
			   " coalesce(id_number, ''), category, v11, n FROM staging.intake_stage"
			   " WHERE dup_key = ?1 AND n > 0 AND unit = ?2 AND CASE WHEN ?3 IS NOT NULL THEN v12 = ?3"
			   " ELSE v12 = '' AND received_on = ?4 AND channel = ?5 AND v2 = ?6"
			   " AND coalesce(id_number, '') = ?7 AND category = ?8 AND v11 = ?9 END", &st->stage_find, e) ||
	     /* MATTER_COLUMNS of a staged row before row ?7, looked up as st->repeat looks up the
	      * petitions (stage_deferred) */
	     pt_db_prepare(st->db, "SELECT -n, received_on, repeat, -1, unit, 'registered', NULL FROM staging.intake_stage"
			   " WHERE matter_key = ?1 AND category = ?2 AND v5 = ?3 AND CASE WHEN ?4 IS NOT NULL"
			   " THEN id_number = ?4 ELSE id_number IS NULL AND v2 = ?5 AND phone = ?6 END AND n < ?7",
			   &st->stage_repeat, e) ||
	     pt_db_prepare(st->db, "UPDATE staging.intake_stage SET repeat = 1, repeat_of = ?2 WHERE n = -?1",
			   &st->stage_reflag, e) ||
	     /* the read transaction's first read: what the staging sees */
	     pt_db_prepare(st->db, "SELECT coalesce(max(id), 0), (SELECT coalesce(max(id), 0) FROM petitions)"
			   " FROM events", &snap, e)
		     ? -1 : 0;
	pt_buf_release(&put);
	if (rc == 0 && (rc = sqlite3_step(snap)) == SQLITE_ROW) {
		st->snap_event = sqlite3_column_int64(snap, 0);
		st->snap_last = sqlite3_column_int64(snap, 1);
	}
	sqlite3_finalize(snap);
	if (rc != 0 && rc != SQLITE_ROW)
		return rc < 0 ? -1 : pt_db_fail(st->db, rc, "cannot read the event log", e);
	if (sqlite3_create_function(st->db->sql, "pt_intake_case_no", 3, SQLITE_UTF8, st, case_no_sql, NULL, NULL))
		return pt_db_fail(st->db, SQLITE_ERROR, "cannot number the cases", e);
	st->staged_keys = pt_xcalloc((size_t)1 << (KEYSET_BITS - 3), 1);
	st->staged_dups = pt_xcalloc((size_t)1 << (KEYSET_BITS - 3), 1);
	st->staging = true;
	st->event_id = -1;      /* the staged rows' (MC_EVENT of st->stage_repeat) */
	return 0;
}

/* Whether a field goes into the petitions as given (trimmed): the others are stored in
 * their checked form (the date, the codes, the numbers), and their text as given is staged
 * only for a rejected row, to be told. */
static bool stored_as_given(int f)
{
	return f == PT_F_PETITIONER || f == PT_F_EMPLOYER || f == PT_F_RECEIVED_BY || f == PT_F_ADDRESSED_TO ||
	       f == PT_F_SUMMARY || f == PT_F_EXTERNAL_ID || f == PT_F_SOURCE_REF;
}

/* Keep a row with its status (st->errors: a rejected row's problems; dup_id, dup_of: the
 * petition or staged row a present one duplicates): a new row to be registered, the others
 * only when the rows are told (on_row). */
static int stage_put(struct intake *st, const struct row *row, long line, const char *status, long long dup_id,
		     long long dup_of, struct pt_err *e)
{
	sqlite3_stmt *q = st->stage_put;
	bool is_new = !strcmp(status, "new"), rejected = !strcmp(status, "rejected");
	struct seq *seq = NULL;
	int rc;

	/* only a new row goes further; the others are kept only to be told */
	if (!is_new && !st->o->on_row)
		return 0;
	if (is_new && !(seq = seq_for(st, row->unit, pt_date_year(row->received_days), e)))
		return -1;
	sqlite3_reset(q);
	sqlite3_clear_bindings(q);
	sqlite3_bind_int64(q, SC_N + 1, is_new ? ++st->staged : -line);
	if (seq)
		sqlite3_bind_int64(q, SC_SEQ_K + 1, ++seq->staged);
	sqlite3_bind_int64(q, SC_LINE + 1, line);
	bind_static(q, SC_ERRORS + 1, rejected ? st->errors.buf : NULL);
	sqlite3_bind_text(q, SC_STATUS + 1, status, -1, SQLITE_STATIC);
	for (int f = 0; f < PT_NFIELDS; f++)
		if (rejected || stored_as_given(f))
			sqlite3_bind_text(q, SC_V + f + 1, row->v[f], -1, SQLITE_STATIC);
	sqlite3_bind_text(q, SC_RECEIVED_ON + 1, row->received_on, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, SC_RECEIVED_DAYS + 1, row->received_days);
	sqlite3_bind_int(q, SC_YEAR + 1, row->received_on[0] ? pt_date_year(row->received_days) : 0);
	bind_static(q, SC_CHANNEL + 1, row->channel);
	bind_static(q, SC_UNIT + 1, row->unit);
	bind_static(q, SC_CATEGORY + 1, row->category);
	bind_static(q, SC_ID_NUMBER + 1, row->id_number);
	bind_static(q, SC_PHONE + 1, row->phone);
	sqlite3_bind_int64(q, SC_PERSONS + 1, row->persons);
	bind_static(q, SC_COMPETENT_UNIT + 1, row->competent_unit);
	bind_id(q, SC_REPEAT_OF + 1, row->repeat_of);
	sqlite3_bind_int(q, SC_BY_HAND + 1, row->by_hand);
	if (!rejected)
		sqlite3_bind_int64(q, SC_DUP_KEY + 1, row->dup_key);
	if (is_new && row->has_matter) {
		sqlite3_bind_int64(q, SC_MATTER_KEY + 1, row->matter_key);
		keyset_add(st->staged_keys, row->matter_key);
	}
	if (is_new)
		keyset_add(st->staged_dups, row->dup_key);
	sqlite3_bind_int(q, SC_COLLECTIVE + 1, row->collective);
	sqlite3_bind_int(q, SC_REPEAT + 1, row->repeat);
	sqlite3_bind_int(q, SC_NAMED_LETTER + 1, row->named_letter);
	bind_id(q, SC_FINAL_OF + 1, row->final_of);
	sqlite3_bind_int(q, SC_SKIP_LEVEL + 1, row->skip_level);
	sqlite3_bind_int(q, SC_ADDRESSED_UNKNOWN + 1, row->addressed_unknown);
	sqlite3_bind_int(q, SC_RECHECK + 1, row->recheck);
	sqlite3_bind_int(q, SC_DEFERRED + 1, is_new && row->deferred);
	bind_id(q, SC_DUP_ID + 1, dup_id);
	bind_id(q, SC_DUP_OF + 1, dup_of);
	rc = sqlite3_step(q);
	sqlite3_reset(q);
	return rc == SQLITE_DONE ? 0 : pt_db_fail(st->db, rc, "cannot keep the rows read (" STAGING_FILE ")", e);
}

/* The text of column c, "" for NULL, into out (of size n). */
static void column_into(sqlite3_stmt *q, int c, char *out, size_t n)
{
	const char *s = (const char *)sqlite3_column_text(q, c);

	snprintf(out, n, "%s", s ? s : "");
}

static const char *column_or_empty(sqlite3_stmt *q, int c)
{
	const char *s = (const char *)sqlite3_column_text(q, c);

	return s ? s : "";
}

/* A staged row from a query of every staged column (STAGE_COLUMNS, in order); its texts are
 * the statement's until it steps. */
static void staged_row(sqlite3_stmt *q, struct row *row)
{
	memset(row, 0, sizeof *row);
	for (int f = 0; f < PT_NFIELDS; f++)
		row->v[f] = column_or_empty(q, SC_V + f);
	column_into(q, SC_RECEIVED_ON, row->received_on, sizeof row->received_on);
	row->received_days = (long)sqlite3_column_int64(q, SC_RECEIVED_DAYS);
	row->channel = (const char *)sqlite3_column_text(q, SC_CHANNEL);
	row->unit = (const char *)sqlite3_column_text(q, SC_UNIT);
	row->category = (const char *)sqlite3_column_text(q, SC_CATEGORY);
	column_into(q, SC_ID_NUMBER, row->id_number, sizeof row->id_number);
	column_into(q, SC_PHONE, row->phone, sizeof row->phone);
	row->persons = (long)sqlite3_column_int64(q, SC_PERSONS);
	row->competent_unit = (const char *)sqlite3_column_text(q, SC_COMPETENT_UNIT);
	row->repeat_of = sqlite3_column_int64(q, SC_REPEAT_OF);
	row->by_hand = sqlite3_column_int(q, SC_BY_HAND);
	row->dup_key = sqlite3_column_int64(q, SC_DUP_KEY);
	row->collective = sqlite3_column_int(q, SC_COLLECTIVE);
	row->repeat = sqlite3_column_int(q, SC_REPEAT);
	row->named_letter = sqlite3_column_int(q, SC_NAMED_LETTER);
	row->final_of = sqlite3_column_int64(q, SC_FINAL_OF);
	row->skip_level = sqlite3_column_int(q, SC_SKIP_LEVEL);
	row->addressed_unknown = sqlite3_column_int(q, SC_ADDRESSED_UNKNOWN);
}

/* The registered petition (*dup_id) or the staged row (*dup_of) under the row's duplicate
 * key, or a clash with it (clashes()). */
static int staged_duplicate(struct intake *st, const struct row *row, const char *file, long line,
			    long long *dup_id, long long *dup_of, bool *clash, struct pt_err *e)
{
	sqlite3_stmt *const qs[] = { st->find, st->stage_find };
	long long *const found[] = { dup_id, dup_of };
	int rc = SQLITE_DONE;

	*clash = false;
	*dup_id = *dup_of = 0;
	for (size_t i = 0; i < 2 && !*dup_id && !*dup_of && !*clash && rc == SQLITE_DONE; i++) {
		/* nothing to find: no petition when the staging began (a first import), no new
		 * row staged under the key (most rows of a file) */
		if (i == 0 ? st->snap_last == 0 : !keyset_maybe(st->staged_dups, row->dup_key))
			continue;
		sqlite3_reset(qs[i]);
		bind_dup(qs[i], row);
		rc = sqlite3_step(qs[i]);
		if (rc == SQLITE_ROW) {
			*clash = clashes(st, row, qs[i], file, line);
			*found[i] = *clash ? 0 : sqlite3_column_int64(qs[i], 10);
			rc = SQLITE_DONE;
		}
		sqlite3_reset(qs[i]);
	}
	return rc == SQLITE_DONE ? 0 : pt_db_fail(st->db, rc, "cannot look for the petition among those registered", e);
}

/* A valid row: present (a duplicate), rejected (a clash), or new with its flags. */
static int stage_valid(struct intake *st, struct row *row, const char *file, long line, struct pt_err *e)
{
	long long dup_id, dup_of;
	bool clash;

	make_dedup_key(row);
	if (staged_duplicate(st, row, file, line, &dup_id, &dup_of, &clash, e))
		return -1;
	if (clash)
		return 1;
	if (dup_id || dup_of) {
		st->res->present++;
		return stage_put(st, row, line, "present", dup_id, dup_of, e);
	}
	derive_flags(st, row);
	if (check_matter(st, row, e) || flag_later(st, -(st->staged + 1), e))
		return -1;
	return stage_put(st, row, line, "new", 0, 0, e);
}

/* One CSV record: map columns to fields, check the width, validate, and stage it (rejected
 * rows too, with their problems, so that rows are told in input order). */
static int csv_record(struct intake *st, struct pt_csv_reader *rd, const struct header *h,
		      struct rejects *rejects, struct pt_err *e)
{
	const char *v[PT_NFIELDS] = { 0 };
	const char *name = pt_csv_name(rd);
	long line = pt_csv_line(rd);
	struct row row;
	bool ok = false;
	int rc;

	memset(&row, 0, sizeof row);
	for (size_t i = 0; i < h->ncols && i < pt_csv_nfields(rd); i++)
		if (h->field[i] >= 0)
			v[h->field[i]] = pt_csv_field(rd, i);
	for (int f = 0; f < PT_NFIELDS; f++) {
		pt_text_trim_into(&st->trimmed[f], v[f]);
		row.v[f] = pt_buf_str(&st->trimmed[f]);
	}
	st->rows++;
	if (pt_csv_nfields(rd) != h->ncols) {
		row.persons = 1;
		pt_buf_reset(&st->errors);
		problem(st, name, line, "has %zu fields, the header has %zu", pt_csv_nfields(rd), h->ncols);
	} else if (validate(st, &row, name, line, &ok, e)) {
		return -1;
	}
	if (ok && (rc = stage_valid(st, &row, name, line, e)) <= 0)
		return rc;
	st->bad = true;
	st->res->rejected++;
	if (rejects)
		write_reject(rejects, rd, h->ncols, line, st->errors.buf);
	row.collective = row.repeat = row.named_letter = row.skip_level = row.addressed_unknown = false;
	row.final_of = 0;
	return stage_put(st, &row, line, "rejected", 0, 0, e);
}

/* Make indexes (sql: their CREATE INDEX statements). SQLite sorts each in runs as large as
 * the main database's page cache (db.c: 16 MiB), in memory on top of the caches' own, before
 * it merges them from a temporary file: runs of 2 MiB keep an import's peak memory about
 * where the inserts had it (+7 MB with 16 MiB runs at 200,000 rows, +1.3 MB so; 40.7 MB
 * against 25.6 MB for 500,000 rows into a database of 1,000,000, whose pages filled the
 * cache while the rows were staged; bench/README.md). */
static int make_indexes(struct intake *st, const char *sql, const char *what, struct pt_err *e)
{
	int rc = pt_db_exec(st->db, "PRAGMA main.cache_size = -2048", e);

	if (rc == 0 && (rc = sqlite3_exec(st->db->sql, sql, NULL, NULL, NULL)) != SQLITE_OK)
		rc = pt_db_fail(st->db, rc, what, e);
	sqlite3_exec(st->db->sql, "PRAGMA main.cache_size = " PT_DB_CACHE_SIZE, NULL, NULL, NULL);
	return rc;
}

/* The staged rows that `select` reads (every staged column, in input order) checked again
 * by check_matter(), their flags stored by `update` (?1 the row, ?2 .. ?5 repeat, repeat_of,
 * final_of and skip_level): while staging (stage_deferred), a row is -n among the rows before
 * it, and ?6 its recheck mark; under the lock (staged_recheck), the petition it is, among
 * all others. */
static int check_staged(struct intake *st, const char *select, const char *update, struct pt_err *e)
{
	sqlite3_stmt *q = NULL, *up = NULL;
	int rc;

	if (pt_db_prepare(st->db, select, &q, e) || pt_db_prepare(st->db, update, &up, e)) {
		sqlite3_finalize(q);
		return -1;
	}
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		long long n = sqlite3_column_int64(q, SC_N), id;
		struct row row;

		staged_row(q, &row);
		make_matter_key(&row);
		if (!row.by_hand)
			row.repeat_of = 0;
		if (st->staging) {
			st->stage_n = n;
			id = -n;
		} else {
			st->self_id = st->base + n;
			id = st->self_id;
		}
		if ((st->staging && stop_asked(st, e)) || check_matter(st, &row, e) || flag_later(st, id, e)) {
			rc = -1;
			break;
		}
		sqlite3_reset(up);
		sqlite3_bind_int64(up, 1, st->staging ? n : id);
		sqlite3_bind_int(up, 2, row.repeat);
		bind_id(up, 3, row.repeat_of);
		bind_id(up, 4, row.final_of);
		sqlite3_bind_int(up, 5, row.skip_level);
		if (st->staging)
			sqlite3_bind_int(up, 6, row.recheck);
		if ((rc = sqlite3_step(up)) != SQLITE_DONE) {
			pt_db_fail(st->db, rc, st->staging ? "cannot keep the rows read (" STAGING_FILE ")"
							   : "cannot flag a repeat petition", e);
			rc = -1;
			break;
		}
		if (!st->staging && sqlite3_changes(st->db->sql))
			changed(st, id);
	}
	st->stage_n = st->self_id = 0;
	sqlite3_finalize(q);
	sqlite3_finalize(up);
	if (rc == SQLITE_DONE)
		return 0;
	return rc < 0 ? -1 : pt_db_fail(st->db, rc, "cannot read the rows kept (" STAGING_FILE ")", e);
}

/* The rows that check_matter() deferred while the file was read: those whose person and
 * matter an earlier row of the file may have (the filter of the staged keys said so, for
 * about one row in ten of a large file). Their look-up among the rows staged before them
 * waits until every row is staged and the staged keys are indexed by one sort: kept up row
 * by row, an index of hashed keys larger than SQLite's cache of the temporary table cost
 * half the reading of a million-row file (bench/README.md, "Deferred look-ups"). Looked
 * at now in input order, each among the rows before it (n < its n) as they stand after the
 * rows before it were looked at, a row gets the flags it would have got when it was read,
 * and flags the later rows it makes repeats as it would have then. */
static int stage_deferred(struct intake *st, struct pt_err *e)
{
	if (make_indexes(st, "CREATE INDEX staging.intake_stage_matter ON intake_stage (matter_key)"
			     " WHERE matter_key IS NOT NULL", "cannot index the rows read (" STAGING_FILE ")", e))
		return -1;
	return check_staged(st, "SELECT * FROM staging.intake_stage WHERE deferred ORDER BY n",
			    "UPDATE staging.intake_stage SET repeat = ?2, repeat_of = ?3, final_of = ?4,"
			    " skip_level = ?5, recheck = ?6 WHERE n = ?1", e);
}

/* ---- under the write lock ---- */

/* Run one statement of write_staged with ?1 .. ?n bound to the integers given. */
static int staged_sql(struct intake *st, const char *sql, const long long *args, int nargs, struct pt_err *e)
{
	sqlite3_stmt *q = NULL;
	int rc;

	if (pt_db_prepare(st->db, sql, &q, e))
		return -1;
	for (int i = 0; i < nargs; i++)
		sqlite3_bind_int64(q, i + 1, args[i]);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW)
		;
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? 0 : pt_db_fail(st->db, rc, "cannot register the petitions read", e);
}

/* One integer from sql (?1 .. bound to args). */
static int staged_int(struct intake *st, const char *sql, const long long *args, int nargs, long long *out,
		      struct pt_err *e)
{
	sqlite3_stmt *q = NULL;
	int rc;

	if (pt_db_prepare(st->db, sql, &q, e))
		return -1;
	for (int i = 0; i < nargs; i++)
		sqlite3_bind_int64(q, i + 1, args[i]);
	rc = sqlite3_step(q);
	*out = rc == SQLITE_ROW ? sqlite3_column_int64(q, 0) : 0;
	sqlite3_finalize(q);
	return rc == SQLITE_ROW ? 0 : pt_db_fail(st->db, rc, "cannot register the petitions read", e);
}

/* The petitions changed since the staging read the database: those added, and those an
 * event is about. */
#define TOUCHED "(SELECT id FROM main.petitions WHERE event_id > ?1 AND event_id < ?2 UNION" \
	" SELECT petition_id FROM main.events WHERE id > ?1 AND petition_id IS NOT NULL)"

/* The least line of a staged row that a petition registered meanwhile duplicates (0: none).
 * SQLite, with no statistics of the staging table, would join the other way round and index
 * the staging table first; each petition of others is looked up as a staged row is. */
static int meanwhile_line(struct intake *st, long long *line, struct pt_err *e)
{
	sqlite3_stmt *q = NULL;
	int rc;

	*line = 0;
	if (pt_db_prepare(st->db, "SELECT dup_key, unit, external_id, received_on, channel, petitioner,"
			  " coalesce(id_number, ''), category, summary FROM main.petitions"
			  " WHERE event_id > ?1 AND event_id < ?2 AND dup_key IS NOT NULL", &q, e))
		return -1;
	sqlite3_bind_int64(q, 1, st->snap_event);
	sqlite3_bind_int64(q, 2, st->event_id);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		sqlite3_reset(st->stage_find);
		for (int c = 0; c < 9; c++)
			sqlite3_bind_value(st->stage_find, c + 1, sqlite3_column_value(q, c));
		if (sqlite3_step(st->stage_find) == SQLITE_ROW) {
			long long n = sqlite3_column_int64(st->stage_find, 10), l = 0;

			if (staged_int(st, "SELECT line FROM staging.intake_stage WHERE n = ?1", &n, 1, &l, e)) {
				rc = -1;
				break;
			}
			if (!*line || l < *line)
				*line = l;
		}
	}
	sqlite3_reset(st->stage_find);
	sqlite3_finalize(q);
	if (rc == SQLITE_DONE)
		return 0;
	return rc < 0 ? -1 : pt_db_fail(st->db, rc, "cannot read the petitions registered meanwhile", e);
}

/* The staged rows of the matters that petitions changed meanwhile touch, marked to be
 * checked again: by the staging's index of the matter key, a key at a time. */
static int meanwhile_matters(struct intake *st, struct pt_err *e)
{
	sqlite3_stmt *q = NULL, *mark = NULL;
	int rc;

	if (pt_db_prepare(st->db, "SELECT DISTINCT matter_key FROM main.petitions WHERE matter_key IS NOT NULL AND id IN "
			  TOUCHED, &q, e) ||
	    pt_db_prepare(st->db, "UPDATE staging.intake_stage SET recheck = 1 WHERE matter_key = ?1 AND +n > 0", &mark, e)) {
		sqlite3_finalize(q);
		return -1;
	}
	sqlite3_bind_int64(q, 1, st->snap_event);
	sqlite3_bind_int64(q, 2, st->event_id);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		sqlite3_reset(mark);
		sqlite3_bind_int64(mark, 1, sqlite3_column_int64(q, 0));
		if ((rc = sqlite3_step(mark)) != SQLITE_DONE)
			break;
	}
	sqlite3_finalize(q);
	sqlite3_finalize(mark);
	return rc == SQLITE_DONE ? 0 : pt_db_fail(st->db, rc, "cannot mark the rows to check again", e);
}

/* What was committed while the rows were read. The rows that petitions changed meanwhile
 * may repeat, or whose finality or 越级 they may decide, are checked again once the import is
 * in; after a change of many cases at once (a routing run, another import) every row is. A
 * staged row that a petition registered meanwhile duplicates would leave a gap in the case
 * numbers: the run stops, to be run again (it then finds the row present). */
static int staged_meanwhile(struct intake *st, const char *file, struct pt_err *e)
{
	/* Others' events come before the import's own (a sliced import's is reserved ahead, and
	 * its rows are in already): the petitions written meanwhile are few, and each is looked
	 * up among the staged rows, not every staged row among the petitions. */
	const long long snap[] = { st->snap_event, st->event_id };
	long long bulk, line;

	if (meanwhile_line(st, &line, e))
		return -1;
	if (line)
		return pt_err_set(e, PT_EBUSY, "%s:%lld: the petition was registered by another program while the "
				  "file was being read; nothing was registered: run the import again", file, line);
	/* an override of the rules for this run is this change's own event, and changes no case */
	if (staged_int(st, "SELECT count(*) FROM main.events WHERE id > ?1 AND petition_id IS NULL"
		       " AND kind <> 'rules.override'", snap, 1, &bulk, e))
		return -1;
	if (bulk)
		return staged_sql(st, "UPDATE staging.intake_stage SET recheck = 1 WHERE n > 0", NULL, 0, e);
	/* by the staging's index of the matter key; the rows from before it by a scan, when
	 * the database has any */
	if (meanwhile_matters(st, e))
		return -1;
	return !st->old_keys ? 0 :
	       staged_sql(st, "UPDATE staging.intake_stage SET recheck = 1 WHERE n > 0 AND (id_number, category) IN"
			  " (SELECT id_number, category FROM main.petitions WHERE repeat_key IS NOT NULL AND id IN "
			  TOUCHED ")", snap, 2, e);
}

/* How an import writes (petition(7), "Imports"; bench/README.md):
 * - into a database that holds no petition yet (a first import, a migration): in one
 *   transaction, the indexes made after the rows (staged_insert), with a rollback journal,
 *   which writes once what WAL writes twice (bench/README.md, "The journal of a first
 *   import");
 * - into a database in use, more rows than a slice: in slices (write_sliced), so that a
 *   petition registered at the counter meanwhile waits for one slice at most;
 * - else, and with --dry-run: in one transaction. */
#define SLICE_ROWS 10000

/* The rows of a slice: PETITION_TEST_SLICE_ROWS sets fewer, for the tests (HACKING.md). */
static long long slice_rows(void)
{
	const char *s = getenv("PETITION_TEST_SLICE_ROWS");
	long long n = s ? strtoll(s, NULL, 10) : 0;

	return n > 0 ? n : SLICE_ROWS;
}

/* Into an empty or nearly empty table (a first import) the rows go in first
 * and the secondary indexes are made after, in the same transaction: a sort of each instead
 * of a random insert of every row into every B-tree. Their definitions are read from the
 * schema itself into *made, to make them again as they were (the replay compares the schema
 * by its text); the UNIQUE constraints of the table stay, and check every row as before.
 * Nobody sees the table without them: the write lock is held, and readers see the
 * transaction only once committed.
 *
 * The indexes whose new entries an import appends in the order it inserts stay: the
 * registered ids (every new row is one, its id the next), the intake event's (one event
 * for all) and the repeat check of rows from before schema 2 (none of the new rows is in
 * it). Kept up as the rows go in they cost the insert nothing measurable, while making
 * one again reads the whole table (0.9 s of a million-row import; bench/README.md). */
static int indexes_aside(struct intake *st, struct pt_buf *made, struct pt_err *e)
{
	struct pt_buf drop = PT_BUF_INIT;
	sqlite3_stmt *q = NULL;
	int rc;

	if (pt_db_prepare(st->db, "SELECT name, sql FROM main.sqlite_master WHERE type = 'index'"
			  " AND tbl_name = 'petitions' AND sql IS NOT NULL AND name NOT IN"
			  " ('petitions_registered', 'petitions_event', 'petitions_repeat') ORDER BY name", &q, e))
		return -1;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		/* %w: a name is quoted as SQL quotes it, whatever the schema holds */
		char *sql = sqlite3_mprintf("DROP INDEX main.\"%w\";", (const char *)sqlite3_column_text(q, 0));

		pt_buf_adds(&drop, sql);
		sqlite3_free(sql);
		pt_buf_addf(made, "%s;", (const char *)sqlite3_column_text(q, 1));
	}
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE)
		rc = pt_db_fail(st->db, rc, "cannot read the indexes of the petitions", e);
	else
		rc = drop.len ? pt_db_exec(st->db, drop.buf, e) : 0;
	pt_buf_release(&drop);
	return rc;
}

/* The staged rows numbered from..to into the petitions, in input order: ids after st->base,
 * case numbers after each unit's and year's last (st->seqs). */
static int insert_staged(struct intake *st, long long from, long long to, struct pt_err *e)
{
	const long long args[] = { st->base, st->event_id, from, to };

	return staged_sql(st, "INSERT INTO main.petitions (id, case_no, unit, received_on, channel, petitioner,"
		       " id_number, phone, employer, received_by, category, persons, addressed_to, summary, external_id,"
		       " source_ref, collective, repeat, named_letter, dup_key, event_id, matter_key, repeat_of,"
		       " final_of, competent_unit, skip_level, addressed_unknown, case_key)"
		       " SELECT ?1 + n, pt_intake_case_no(unit, year, seq_k), unit, received_on, channel, v2, id_number,"
		       " phone, nullif(v5, ''), nullif(v7, ''), category, persons, nullif(v10, ''), v11, nullif(v12, ''),"
		       " nullif(v13, ''), collective, repeat, named_letter, dup_key, ?2, matter_key,"
		       " CASE WHEN repeat_of < 0 THEN ?1 - repeat_of ELSE repeat_of END, final_of, competent_unit,"
		       " skip_level, addressed_unknown, pt_case_key(pt_intake_case_no(unit, year, seq_k))"
		       " FROM staging.intake_stage WHERE n BETWEEN ?3 AND ?4 ORDER BY n", args, 4, e);
}

/* The last petition id (ids only grow: it counts the rows there, hidden ones included). */
static int last_petition(struct intake *st, long long *id, struct pt_err *e)
{
	return staged_int(st, "SELECT coalesce(max(id), 0) FROM main.petitions", NULL, 0, id, e);
}

/* The last petition id and each unit's and year's last case number, as they are now. */
static int read_base(struct intake *st, struct pt_err *e)
{
	if (last_petition(st, &st->base, e))
		return -1;
	for (size_t i = 0; i < st->nseqs; i++)
		if (read_seq(st, &st->seqs[i], e))
			return -1;
	return 0;
}

/* The case numbers the import gave, counted into st->seqs (save_seqs writes them). */
static void seqs_used(struct intake *st)
{
	for (size_t i = 0; i < st->nseqs; i++)
		st->seqs[i].last += st->seqs[i].staged;
}

/* The staged rows into the petitions, in one transaction. */
static int staged_insert(struct intake *st, struct pt_err *e)
{
	struct pt_buf indexes = PT_BUF_INIT;
	int rc;

	if (read_base(st, e))
		return -1;
	/* a first import, or rows that outnumber what is there */
	if (st->base <= st->staged && indexes_aside(st, &indexes, e)) {
		pt_buf_release(&indexes);
		return -1;
	}
	rc = insert_staged(st, 1, st->staged, e);
	if (rc == 0 && indexes.len)
		rc = make_indexes(st, indexes.buf, "cannot make the indexes of the petitions again", e);
	pt_buf_release(&indexes);
	if (rc)
		return -1;
	seqs_used(st);
	return 0;
}

/* The rows marked to be checked again (repeat, finality, 越级), now that every row of the
 * import is a petition: as a single intake checks one, each row's own id left out. */
static int staged_recheck(struct intake *st, struct pt_err *e)
{
	return check_staged(st, "SELECT * FROM staging.intake_stage WHERE recheck AND n > 0 ORDER BY n",
			    "UPDATE main.petitions SET repeat = ?2, repeat_of = ?3, final_of = ?4, skip_level = ?5"
			    " WHERE id = ?1 AND NOT (repeat IS ?2 AND repeat_of IS ?3 AND final_of IS ?4"
			    " AND skip_level IS ?5)", e);
}

/* Every row, in input order, as registered (the petition it is or duplicates). */
static int staged_tell(struct intake *st, struct pt_err *e)
{
	sqlite3_stmt *q = NULL;
	int rc;

	if (pt_db_prepare(st->db, "SELECT s.*, p.case_no, p.collective, p.repeat, p.named_letter, p.final_of,"
			  " p.skip_level, p.addressed_unknown FROM staging.intake_stage s LEFT JOIN main.petitions p"
			  " ON p.id = coalesce(s.dup_id, ?1 + CASE WHEN s.n > 0 THEN s.n ELSE s.dup_of END)"
			  " ORDER BY s.line", &q, e))
		return -1;
	sqlite3_bind_int64(q, 1, st->base);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		struct row row;
		const char *status = (const char *)sqlite3_column_text(q, SC_STATUS);
		int c = SC_N_COLUMNS;

		staged_row(q, &row);
		pt_buf_reset(&st->errors);
		pt_buf_reset(&st->case_no);
		pt_buf_adds(&st->errors, column_or_empty(q, SC_ERRORS));
		pt_buf_adds(&st->case_no, column_or_empty(q, c));
		row.collective = sqlite3_column_int(q, c + 1);
		row.repeat = sqlite3_column_int(q, c + 2);
		row.named_letter = sqlite3_column_int(q, c + 3);
		row.final_of = sqlite3_column_int64(q, c + 4);
		row.skip_level = sqlite3_column_int(q, c + 5);
		row.addressed_unknown = sqlite3_column_int(q, c + 6);
		tell_row(st, &row, (long)sqlite3_column_int64(q, SC_LINE), status);
	}
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? 0 : pt_db_fail(st->db, rc, "cannot read the rows kept (" STAGING_FILE ")", e);
}

/* Under the write lock: register the staged rows (see staging, above). */
static int write_staged(struct intake *st, const char *file, struct pt_err *e)
{
	st->staging = false;
	/* the change's event is the next after the last the staging saw, unless something was
	 * committed meanwhile (or this run's rules override came first) */
	if (st->event_id - 1 != st->snap_event && staged_meanwhile(st, file, e))
		return -1;
	if (st->staged && (staged_insert(st, e) || staged_recheck(st, e)))
		return -1;
	st->res->added = (unsigned long long)st->staged;
	st->res->first_id = st->staged ? st->base + 1 : 0;
	st->res->last_id = st->staged ? st->base + st->staged : 0;
	return st->o->on_row ? staged_tell(st, e) : 0;
}

/* Under the write lock, in slices (SLICE_ROWS; change.h, sliced changes): the ids and the
 * case numbers the rows take, and the last row, so that a petition registered meanwhile
 * comes after them; then the rows, a slice a transaction, hidden until the last, which
 * checks again what was committed meanwhile and appends the event (finish). */
static int write_sliced(struct intake *st, const char *file, struct pt_err *e)
{
	const long long slice = slice_rows();

	st->staging = false;
	if (lock(st, PT_CHANGE_SLICED, e) || staged_meanwhile(st, file, e) || read_base(st, e) ||
	    pt_change_hide(st->ch, st->base + 1, st->base + st->staged, e))
		return -1;
	for (size_t i = 0; i < st->nseqs; i++)
		if (pt_change_hide_seq(st->ch, st->seqs[i].unit, st->seqs[i].year,
				       st->seqs[i].last + st->seqs[i].staged, e))
			return -1;
	if (insert_staged(st, st->staged, st->staged, e))
		return -1;
	for (long long n = 1; n < st->staged; n += slice) {
		long long to = n + slice - 1 < st->staged - 1 ? n + slice - 1 : st->staged - 1;

		if (stop_asked(st, e) || pt_change_slice(st->ch, e) || insert_staged(st, n, to, e) ||
		    pt_change_digest(st->ch, "petitions", st->base + n, st->base + to, e))
			return -1;
	}
	/* the last transaction: every row seen, what came meanwhile checked against them */
	if (stop_asked(st, e) || pt_change_slice(st->ch, e) || pt_change_show(st->ch, e) ||
	    staged_meanwhile(st, file, e))
		return -1;
	seqs_used(st);
	/* a row checked again may change, and so may the earlier ones it makes repeats: then
	 * the digest is read again from the rows as they are */
	if (staged_recheck(st, e))
		return -1;
	if (st->first_changed) {
		if (pt_change_digest_from(st->ch, "petitions", st->first_changed, st->base + st->staged, e))
			return -1;
	} else if (pt_change_digest(st->ch, "petitions", st->base + st->staged, st->base + st->staged, e)) {
		return -1;
	}
	st->digested = true;
	st->res->added = (unsigned long long)st->staged;
	st->res->first_id = st->base + 1;
	st->res->last_id = st->base + st->staged;
	return st->o->on_row ? staged_tell(st, e) : 0;
}

/* Under the write lock: the staged rows registered, as the database and the options ask. */
static int write_import(struct intake *st, const char *file, struct pt_err *e)
{
	long long last;

	if (last_petition(st, &last, e))
		return -1;
	if (st->staged > 0 && last == 0)
		return lock(st, PT_CHANGE_ROLLBACK_JOURNAL, e) || write_staged(st, file, e) ? -1 : 0;
	if (st->staged > slice_rows() && !st->o->dry_run)
		return write_sliced(st, file, e);
	return lock(st, 0, e) || write_staged(st, file, e) ? -1 : 0;
}

int pt_intake_csv(struct pt_db *db, const struct pt_rules *r, const char *path,
		  const struct pt_intake_opts *o, struct pt_intake_result *res, struct pt_err *e)
{
	struct pt_csv_reader *rd = NULL;
	struct header h = { 0 };
	struct rejects rj = { .cd = (iconv_t)-1, .conv = PT_BUF_INIT };
	struct intake st;
	struct rejects *rejects = NULL;
	bool refused;
	int rc = -1, got;

	memset(&st, 0, sizeof st);
	memset(res, 0, sizeof *res);
	st.db = db;
	if (o->rejects && rejects_open(&rj, o->rejects, path, e))
		goto out;
	rejects = rj.f ? &rj : NULL;
	rd = pt_csv_open(path, o->encoding, e);
	if (!rd || read_header(rd, o, &h, e))
		goto out;
	if (rejects && rejects_follow(rejects, rd, o->encoding, e))
		goto out;
	if (rejects)
		write_reject_header(rejects, &h);
	if (start(&st, db, r, o, res, e) || stage_open(&st, e))
		goto out;
	st.utf8_checked = true;
	while ((got = pt_csv_next(rd, e)) > 0) {
		if (record_blank(rd))
			continue;
		if (csv_record(&st, rd, &h, rejects, e) || stop_asked(&st, e))
			goto out;
		if (o->on_progress && st.rows % 10000 == 0)
			o->on_progress(o->ctx, st.rows, pt_csv_bytes(rd));
	}
	/* An import that bad rows refuse needs no more work, nor the lock, unless its rows are
	 * listed. */
	refused = st.bad && !o->rejects && !o->on_row;
	/* the end of the staging's read transaction (the petitions were only read) */
	if (got < 0 || (!refused && stage_deferred(&st, e)) || pt_db_exec(db, "COMMIT", e))
		goto out;
	/* The rejects file is written out before the commit, so that a failure to write it
	 * registers nothing, and put in place after it, so that a failed commit leaves a file
	 * of that name as it was (the rename cannot fail on a directory: outfile.h refused one). */
	if (rejects && (fflush(rj.f) != 0 || ferror(rj.f) || fsync(fileno(rj.f)) != 0)) {
		pt_err_set(e, PT_EIO, "cannot write %s: %s", o->rejects, strerror(errno));
		goto out;
	}
	if (!refused && write_import(&st, pt_csv_name(rd), e))
		rc = -1;
	else
		rc = finish(&st, pt_csv_name(rd), e);
	if (rc == 0 && rejects_close(&rj, true, e)) {
		pt_err_also(e, NULL, " (the petitions are registered; the rejects file is not)");
		rc = -1;
	}
out:
	if (st.started)
		release(&st);
	rejects_close(&rj, false, e);
	header_free(&h);
	pt_csv_close(rd);
	return rc;
}

void pt_intake_result_release(struct pt_intake_result *res)
{
	free(res->case_no);
	res->case_no = NULL;
}
