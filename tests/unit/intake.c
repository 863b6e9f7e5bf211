/* Unit tests of lib/intake through the library API: one petition, the problems callback,
 * and the digest the intake event carries, recomputed from the stored rows. */
#include "../../lib/petition.h"
#include "query.h"
#include "tap.h"

#include <stdlib.h>
#include <unistd.h>

static char dir[] = "/tmp/petition-intake-XXXXXX";
static int nproblems;

static void count_problem(void *ctx, const struct pt_err *p)
{
	(void)ctx;
	(void)p;
	nproblems++;
}

/* A column as the digest takes it (petition(7)): NULL as "n", else its text as a field. */
static void digest_column(struct pt_sha256 *h, sqlite3_stmt *q, int i)
{
	if (sqlite3_column_type(q, i) == SQLITE_NULL)
		pt_sha256_update(h, "n", 1);
	else
		pt_sha256_field(h, (const char *)sqlite3_column_text(q, i));
}

/* The digest of the stored rows that match `where`, in id order, as the audit computes it:
 * each column a field (hash.h), written out here rather than through the library. */
static void stored_digest(struct pt_db *db, const char *where, char out[PT_SHA256_HEX])
{
	struct pt_err e = PT_ERR_INIT;
	struct pt_buf sql = PT_BUF_INIT;
	struct pt_sha256 *h = pt_sha256_new();
	sqlite3_stmt *q;
	int n = 30;

	/* every column but those later events change (state, holder, outcome, satisfaction) */
	pt_buf_addf(&sql, "SELECT id, case_no, unit, received_on, channel, petitioner, id_number, phone,"
		    " employer, received_by, category, persons, addressed_to, summary, external_id, source_ref,"
		    " repeat_key, collective, repeat, named_letter, dedup_key, event_id, matter_key, repeat_of,"
		    " final_of, competent_unit, skip_level, addressed_unknown, case_key, dup_key"
		    " FROM petitions WHERE %s ORDER BY id", where);
	pt_db_prepare(db, sql.buf, &q, &e);
	while (sqlite3_step(q) == SQLITE_ROW)
		for (int i = 0; i < n; i++)
			digest_column(h, q, i);
	sqlite3_finalize(q);
	pt_sha256_final_hex(h, out);
	pt_sha256_free(h);
	pt_buf_release(&sql);
}

static const char last_digest[] =
	"SELECT json_extract(data, '$.bulk.petitions.sha256') FROM events WHERE kind = 'intake' ORDER BY id DESC LIMIT 1";

int main(void)
{
	struct pt_err e = PT_ERR_INIT;
	struct pt_errlist l = PT_ERRLIST_INIT;
	struct pt_buf path = PT_BUF_INIT;
	struct pt_intake_opts o = { 0 };
	struct pt_intake_result res;
	struct pt_init_result ir;
	const char *v[PT_NFIELDS] = { 0 };
	const char *text = pt_rules_default_text();
	struct pt_rules *r = pt_rules_parse(text, strlen(text), "(default)", &l);
	char got[PT_SHA256_HEX], *s;
	struct pt_db *db;

	if (!mkdtemp(dir))
		return 1;
	setenv("PETITION_TODAY", "2026-11-28", 1);
	pt_buf_addf(&path, "%s/t.db", dir);
	ok(pt_init_path(path.buf, "test", r, false, false, &ir, &e) == 0, "init");
	db = pt_db_open(path.buf, 0, "test", &e);

	ok(pt_field_from_header("身份证号码") == PT_F_ID_NUMBER, "Chinese header 身份证号码");
	ok(pt_field_from_header("Received_On") == PT_F_RECEIVED_ON, "English header, any case");
	ok(pt_field_from_header("备注") == -1, "unknown header");
	is_str(pt_vocab_code(PT_VOCAB_CHANNEL, "走访"), "visit", "走访 is a visit");
	is_str(pt_vocab_code(PT_VOCAB_CHANNEL, "12351"), "hotline", "12351 hotline");
	is_str(pt_vocab_code(PT_VOCAB_CHANNEL, "12345"), "hotline", "cases passed on from the 12345 hotline");
	is_str(pt_vocab_code(PT_VOCAB_CHANNEL, "转送交办"), "transfer", "转送交办 is a transfer");
	ok(pt_vocab_code(PT_VOCAB_CHANNEL, "上门") == NULL, "unknown channel");
	is_str(pt_vocab_code(PT_VOCAB_CHANNEL, "Call"), "phone", "English names in any case");

	o.on_problem = count_problem;
	v[PT_F_CHANNEL] = "来信";
	v[PT_F_PETITIONER] = "钱秀英";
	v[PT_F_CATEGORY] = "社保";
	v[PT_F_SUMMARY] = "补缴社保，\n说明情况";
	v[PT_F_ADDRESSED_TO] = "张海燕";
	v[PT_F_PERSONS] = "2";
	v[PT_F_RECEIVED_ON] = "2026-07-03";
	ok(pt_intake_one(db, r, v, &o, &res, &e) == 0 && res.added == 1, "one petition added");
	is_str(res.case_no, "LYS-2026-000001", "first case number");
	pt_intake_result_release(&res);
	s = query(db, "SELECT named_letter || collective FROM petitions");
	is_str(s, "10", "a named letter; two persons writing is no collective visit");
	free(s);

	/* The event's digest recomputes from the stored row, as the audit will. */
	stored_digest(db, "1", got);
	s = query(db, last_digest);
	is_str(s, got, "the event's digest is the digest of the stored row");
	free(s);

	v[PT_F_RECEIVED_ON] = "2026-12-01";
	v[PT_F_ID_NUMBER] = "123";
	nproblems = 0;
	ok(pt_intake_one(db, r, v, &o, &res, &e) == -1 && e.kind == PT_EDATA, "a bad petition: 65");
	ok(nproblems == 2, "both problems reported (future date, ID number)");
	pt_err_release(&e);
	pt_intake_result_release(&res);

	/* Rows whose repeat flags are set after they were read (a newest-first file): the
	 * event's digest must still be that of the rows as stored. */
	{
		struct pt_buf csv = PT_BUF_INIT;
		FILE *f;

		pt_buf_addf(&csv, "%s/order.csv", dir);
		f = fopen(csv.buf, "w");
		fputs("received_on,channel,petitioner,id_number,category,summary\n"
		      "2026-09-01,来访,甲,371302197203151235,工伤,三\n"
		      "2026-06-01,来访,甲,371302197203151235,工伤,二\n"
		      "2026-03-01,来访,甲,371302197203151235,工伤,一\n", f);
		fclose(f);
		memset(&o, 0, sizeof o);
		ok(pt_intake_csv(db, r, csv.buf, &o, &res, &e) == 0 && res.added == 3, "three rows, newest first");
		s = query(db, "SELECT group_concat(repeat) FROM (SELECT repeat FROM petitions"
			      " WHERE petitioner = '甲' ORDER BY received_on)");
		is_str(s, "0,1,1", "the two later ones are repeats");
		free(s);
		stored_digest(db, "petitioner = '甲'", got);
		s = query(db, last_digest);
		is_str(s, got, "the digest is of the rows as stored, flags included");
		free(s);
		pt_buf_release(&csv);
	}

	pt_db_close(db);
	pt_rules_free(r);
	pt_errlist_release(&l);
	pt_buf_release(&path);
	return done_testing();
}
