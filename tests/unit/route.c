/* Unit tests of lib/route through the library API: the reasons a rule does not match, and
 * the digest a routing run's event carries, recomputed here from the stored steps. */
#include "../../lib/petition.h"
#include "query.h"
#include "tap.h"

#include <stdlib.h>
#include <unistd.h>

static char dir[] = "/tmp/petition-route-XXXXXX";

/* A column as the digest takes it (petition(7)): NULL as "n", else its text as a field. */
static void digest_column(struct pt_sha256 *h, sqlite3_stmt *q, int i)
{
	if (sqlite3_column_type(q, i) == SQLITE_NULL)
		pt_sha256_update(h, "n", 1);
	else
		pt_sha256_field(h, (const char *)sqlite3_column_text(q, i));
}

/* SHA-256 over the stored steps of the newest routing event, in id order, each column a
 * field (hash.h), as the audit computes it: written out here, not through the library. */
static void stored_digest(struct pt_db *db, char out[PT_SHA256_HEX])
{
	struct pt_err e = PT_ERR_INIT;
	struct pt_sha256 *h = pt_sha256_new();
	sqlite3_stmt *q;

	/* every column but those later events change (seq, state, done_on, note) */
	pt_db_prepare(db, "SELECT id, petition_id, holder, action, rule, event_id FROM steps WHERE event_id ="
			  " (SELECT max(id) FROM events WHERE kind = 'routed') ORDER BY id", &q, &e);
	while (sqlite3_step(q) == SQLITE_ROW)
		for (int i = 0; i < 6; i++)
			digest_column(h, q, i);
	sqlite3_finalize(q);
	pt_sha256_final_hex(h, out);
	pt_sha256_free(h);
}

static const char last_digest[] =
	"SELECT json_extract(data, '$.bulk.steps.sha256') FROM events WHERE kind = 'routed' ORDER BY id DESC LIMIT 1";

static void add_petition(struct pt_db *db, const struct pt_rules *r, const char *channel, const char *category,
			 const char *addressed_to, const char *summary)
{
	add_case(db, r, "2026-11-02", channel, "某", category, addressed_to, summary);
}

static void check_digest(struct pt_db *db, const char *what)
{
	char got[PT_SHA256_HEX];
	char *s;

	stored_digest(db, got);
	s = query(db, last_digest);
	is_str(s, got, "%s: the event's digest is the digest of the stored steps", what);
	free(s);
}

int main(void)
{
	struct pt_err e = PT_ERR_INIT;
	struct pt_errlist l = PT_ERRLIST_INIT;
	struct pt_buf path = PT_BUF_INIT, why = PT_BUF_INIT;
	struct pt_route_opts o = { false, 0, NULL, NULL, { NULL, NULL } };
	struct pt_route_result res;
	struct pt_init_result ir;
	const char *text = pt_rules_default_text();
	struct pt_rules *r = pt_rules_parse(text, strlen(text), "(default)", &l);
	const char *holders[8];
	struct pt_route_facts f = { "LYS", "phone", "咨询", NULL, 1, false, false, false, false };
	const struct pt_route_rule *rr;
	struct pt_db *db;
	char *s;

	if (!r || !mkdtemp(dir))
		return 1;
	setenv("PETITION_TODAY", "2026-11-28", 1);
	o.today = pt_date_today();

	/* Matching, without a database. */
	ok(!pt_route_rule_matches(r, &r->routing[0], &f, holders, &why), "a call is no named letter");
	is_str(why.buf, "channel is phone, not letter; no leader is named", "every failed condition, in order");
	rr = pt_route_match(r, &f, holders);
	is_str(rr ? rr->name : NULL, "default", "a call about 咨询 goes by the default rule");
	is_str(holders[0], "法律工作部", "to the petition department");
	f.channel = "transfer";
	rr = pt_route_match(r, &f, holders);
	is_str(rr ? rr->name : NULL, "transferred_principal", "a transferred 咨询 case: no leader in charge, the principal");
	is_str(holders[0], "王建国", "王建国 supervises");
	f.category = "企业改制";
	rr = pt_route_match(r, &f, holders);
	is_str(holders[0], "李文华", "a transferred 企业改制 case: 李文华, in charge of it");
	f.unit = "LSQ";
	rr = pt_route_match(r, &f, holders);
	is_str(holders[0], "李文华", "a county union with no leaders of its own is served by the office's");

	/* Runs, with the digest recomputed from the stored steps. */
	pt_buf_addf(&path, "%s/t.db", dir);
	ok(pt_init_path(path.buf, "test", r, false, false, &ir, &e) == 0, "init");
	db = pt_db_open(path.buf, 0, "test", &e);
	add_petition(db, r, "来信", "社会保险", "张海燕", "一");
	add_petition(db, r, "来信", "欠薪", NULL, "二");
	add_petition(db, r, "来电", "咨询", NULL, "三");
	ok(pt_route_all(db, r, &o, NULL, &res, &e) == 0, "route three cases");
	ok(res.routed == 3 && res.steps == 6 && res.unmatched == 0, "3 cases, 2 + 3 + 1 steps");
	check_digest(db, "first run");

	add_petition(db, r, "上级转送", "企业改制", NULL, "四");
	ok(pt_route_all(db, r, &o, NULL, &res, &e) == 0 && res.routed == 1, "a second run routes the new case");
	check_digest(db, "second run, steps numbered on");
	s = query(db, "SELECT group_concat(id) FROM steps WHERE petition_id = 4");
	is_str(s, "7,8", "its steps follow the first run's");
	free(s);

	o.dry_run = true;
	add_petition(db, r, "来访", "咨询", NULL, "五");
	ok(pt_route_all(db, r, &o, NULL, &res, &e) == 0 && res.routed == 1, "a dry run routes");
	s = query(db, "SELECT count(*) || ' ' || (SELECT state FROM petitions WHERE id = 5) FROM steps");
	is_str(s, "8 registered", "and writes nothing");
	free(s);

	pt_buf_release(&why);
	pt_db_close(db);
	pt_rules_free(r);
	pt_errlist_release(&l);
	unlink(path.buf);
	pt_buf_release(&path);
	rmdir(dir);
	return done_testing();
}
