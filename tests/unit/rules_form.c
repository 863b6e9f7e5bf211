/* Unit tests of the serialized form of the rules (lib/rules.c, pt_rules_serialize): the
 * rules in force load from it only when it is whole, of this build and of their text, and
 * then they are the rules that parsing the text gives, field by field. */
#include "../../lib/petition.h"
#include "tap.h"

#include <stdlib.h>

static char dir[] = "/tmp/petition-rules-form-XXXXXX";

/* Whether the form loads, as the rules of text with hash sha256. */
static bool loads(const void *form, size_t len, const char *text, const char *sha256)
{
	struct pt_rules *r = pt_rules_deserialize(form, len, text, strlen(text), sha256, "t");
	bool yes = r != NULL;

	pt_rules_free(r);
	return yes;
}

/* The form of r, in a new buffer. */
static void form_of(const struct pt_rules *r, struct pt_buf *out)
{
	pt_buf_reset(out);
	pt_rules_serialize(r, out);
}

int main(void)
{
	struct pt_err e = PT_ERR_INIT;
	struct pt_errlist l = PT_ERRLIST_INIT;
	struct pt_buf path = PT_BUF_INIT, form = PT_BUF_INIT, again = PT_BUF_INIT, bad = PT_BUF_INIT;
	struct pt_init_result ir;
	const char *text = pt_rules_default_text();
	struct pt_rules *r = pt_rules_parse(text, strlen(text), "(default)", &l), *back;
	struct pt_db *db;
	size_t flipped = 0, cut = 0, cuts = 0;
	enum pt_level level;
	enum pt_when when;

	ok(r != NULL, "the default parses");
	form_of(r, &form);
	back = pt_rules_deserialize(form.buf, form.len, text, strlen(text), r->sha256, "(default)");
	ok(back != NULL, "its form loads");
	form_of(back, &again);
	ok(again.len == form.len && !memcmp(again.buf, form.buf, form.len),
	   "and gives the same rules: its own form again, byte for byte");
	is_str(back->sha256, r->sha256, "with the text's hash");
	ok(back->text && !strcmp(back->text, text) && back->calendar, "the text, and the calendar made from the years");
	ok(back->nunits == 18 && back->ndeadlines == 14 && back->nrouting == r->nrouting &&
	   !strcmp(pt_rules_category(back, "欠薪")->name, "劳动报酬"), "units, deadlines, routing, aliases");
	pt_rules_free(back);

	/* The rules in force of a new database are the default: from the compiled-in form. */
	if (!mkdtemp(dir))
		return 1;
	pt_buf_addf(&path, "%s/t.db", dir);
	ok(pt_init_path(path.buf, "test", r, false, false, &ir, &e) == 0, "init");
	db = pt_db_open(path.buf, 0, "test", &e);
	back = db ? pt_rules_from_db(db, &e) : NULL;
	ok(back && back->from_db && !strcmp(back->source, "(rules in the database)"), "the rules in force");
	if (back)
		form_of(back, &again);
	ok(back && again.len == form.len && !memcmp(again.buf, form.buf, form.len),
	   "are the default's, field by field");
	pt_rules_free(back);
	pt_db_close(db);

	/* Not trusted: another text, a damaged or cut form, one with more after it. */
	ok(!loads(form.buf, form.len, text, "0000000000000000000000000000000000000000000000000000000000000000"),
	   "a form of another text (its hash not the rules table's)");
	for (size_t i = 0; i < form.len; i++) {
		pt_buf_reset(&bad);
		pt_buf_add(&bad, form.buf, form.len);
		bad.buf[i] ^= 0x20;
		flipped += !loads(bad.buf, bad.len, text, r->sha256);
	}
	ok(flipped == form.len, "a bit changed in any of its %zu bytes: refused each time (%zu)", form.len, flipped);
	for (size_t n = 0; n < form.len; n += n < 128 ? 1 : 61, cuts++)
		cut += !loads(form.buf, n, text, r->sha256);
	ok(cut == cuts, "cut short anywhere: refused (%zu of %zu)", cut, cuts);
	pt_buf_reset(&bad);
	pt_buf_add(&bad, form.buf, form.len);
	pt_buf_add(&bad, "", 1);
	ok(!loads(bad.buf, bad.len, text, r->sha256), "a byte more: refused");

	/* Whole (its checksum right) but with a value no build writes: refused, not trusted. */
	level = r->units[0].level;
	r->units[0].level = (enum pt_level)9;
	form_of(r, &bad);
	ok(!loads(bad.buf, bad.len, text, r->sha256), "a unit's level out of range: refused");
	r->units[0].level = level;
	when = r->deadlines[0].when_code;
	r->deadlines[0].when_code = (enum pt_when)-1;
	form_of(r, &bad);
	ok(!loads(bad.buf, bad.len, text, r->sha256), "a deadline's condition out of range: refused");
	r->deadlines[0].when_code = when;
	form_of(r, &bad);
	ok(loads(bad.buf, bad.len, text, r->sha256), "put back: loads again");

	pt_rules_free(r);
	pt_errlist_release(&l);
	pt_err_release(&e);
	pt_buf_reset(&path);
	pt_buf_addf(&path, "rm -rf %s", dir);
	if (system(path.buf) != 0)
		return 1;
	pt_buf_release(&path);
	pt_buf_release(&form);
	pt_buf_release(&again);
	pt_buf_release(&bad);
	return done_testing();
}
