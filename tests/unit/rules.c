/* Unit tests of lib/rules: the embedded default, lookups, validation. */
#include "../../lib/rules.h"
#include "tap.h"

#include <stdio.h>
#include <string.h>

static size_t problems_of(const char *text, struct pt_errlist *l)
{
	struct pt_rules *r;

	pt_errlist_release(l);
	r = pt_rules_parse(text, strlen(text), "t.yaml", l);
	pt_rules_free(r);
	return l->n;
}

int main(void)
{
	struct pt_errlist l = PT_ERRLIST_INIT;
	const char *text = pt_rules_default_text();
	struct pt_rules *r = pt_rules_parse(text, strlen(text), "(default)", &l);

	ok(r != NULL && l.n == 0, "the embedded default rules are valid");
	is_str(r->office, "LYS", "office LYS");
	ok(r->nunits == 18, "18 units: the city union and the 17 unions the document addresses");
	ok(r->nleaders == 4 && r->leaders[0].principal, "4 leaders, the first the principal");
	is_str(r->leaders[1].unit, "LYS", "a leader's unit defaults to the office");
	ok(r->ncategories == 14, "14 categories");
	ok(r->collective_persons == 5 && r->repeat_window_days == 365, "intake settings");
	is_str(r->case_number, "{unit}-{year}-{seq:06}", "case number pattern");
	ok(r->ndeadlines == 14, "14 deadlines: the statutory ones, the deliveries, the quarterly report, the report back, "
	   "the opening of unnamed letters");
	ok(!strcmp(r->deadlines[13].name, "open_letter") && r->deadlines[13].when_code == PT_WHEN_UNNAMED_LETTER &&
	   r->deadlines[13].working && r->deadlines[13].days == 2 && pt_strv_has(&r->deadlines[13].done_by, "opened"),
	   "open_letter: 2 working days, unnamed letters, met when opened");
	ok(r->interview[PT_IV_SKIP_LEVEL] == 1 && r->interview[PT_IV_DISSATISFIED] == 3 && r->interview[PT_IV_REVIEWS] == 2 &&
	   r->interview[PT_IV_OVERDUE] == 3 && r->interview[PT_IV_SHUFFLED] == 1 && r->interview[PT_IV_FINDINGS] == 3,
	   "interview thresholds");
	ok(!strcmp(r->deadlines[0].name, "route") && r->deadlines[0].days == 15 && !r->deadlines[0].working &&
	   !strcmp(r->deadlines[0].from, "received") && !strcmp(r->deadlines[0].when, "any"),
	   "route: 15 calendar days from receipt, any case");
	ok(!strcmp(r->deadlines[1].when, "named_letter") && r->deadlines[1].working && r->deadlines[1].days == 5,
	   "instruct: 5 working days, named letters");
	ok(r->deadlines[3].days == 60 && r->deadlines[3].extension == 30 && !strcmp(r->deadlines[3].from, "accepted"),
	   "handle: 60 days from acceptance, extendable by 30");
	ok(pt_rules_cal_year(r, 2026) && pt_rules_cal_year(r, 2026)->nworkdays == 6, "2026: 6 make-up days");
	is_str(pt_rules_category(r, "欠薪")->name, "劳动报酬", "alias 欠薪 is 劳动报酬");
	ok(pt_rules_category(r, "房产") == NULL, "unknown category");
	is_str(pt_rules_unit(r, "兰山区总工会")->code, "LSQ", "unit by name");
	is_str(pt_rules_unit(r, "FX")->name, "费县总工会", "unit by code");
	ok(pt_rules_unit(r, "LSQ")->level == PT_LEVEL_COUNTY, "county level");
	ok(pt_rules_leader(r, "张海燕") != NULL && pt_rules_leader(r, "张三") == NULL, "leaders by name");
	ok(r->ndepartments == 2 && r->departments[0].petition && r->departments[1].opens_letters,
	   "法律工作部 the petition department, 办公室 opens letters");
	ok(strlen(r->sha256) == 64, "hash of the text");
	{
		static const char law[] = " route objection handle review_request review rereview_request rereview ";
		size_t n = 0, right = 0;

		for (size_t i = 0; i < r->ndeadlines; i++) {
			char key[64];

			snprintf(key, sizeof key, " %s ", r->deadlines[i].name);
			n += r->deadlines[i].statutory;
			right += r->deadlines[i].statutory == (strstr(law, key) != NULL);
		}
		ok(n == 7 && right == r->ndeadlines,
		   "the 7 limits of the law are statutory; instruct, the deliveries and quarterly_report are not");
	}
	ok(r->notes.n == 0, "the default takes nothing from itself");
	pt_rules_free(r);

	/* An office's text that gives only what is its own: the rest is the default's, noted. */
	text = "version: 1\noffice: A\nunits: [{ code: A, name: 甲, level: county }]\n"
	       "departments: [{ name: 科, petition: true, opens_letters: true }]\n"
	       "deadlines: [{ name: handle, days: 30 }]\n";
	r = pt_rules_parse(text, strlen(text), "t.yaml", &l);
	ok(r != NULL && l.n == 0, "a text of the office's own is good");
	ok(r && r->nrouting == 7 && r->routing[0].from_default, "its routing is the default's");
	ok(r && r->ncategories == 14 && pt_rules_cal_year(r, 2026), "its categories and calendar are the default's");
	ok(r && r->ndeadlines == 7 && r->deadlines[0].days == 30 && r->deadlines[0].extension == 30 &&
	   !strcmp(r->deadlines[0].from, "accepted") && r->deadlines[0].statutory,
	   "handle shortened to 30 days, the rest of it the law's; the other 6 statutory ones added");
	ok(r && r->notes.n == 8, "8 notes: case_number, categories, intake, calendar, deadlines, routing, reception "
	   "and interview");
	ok(r && r->interview[PT_IV_FINDINGS] == 3, "its interview thresholds are the default's");
	is_str(r ? r->case_number : "", "{unit}-{year}-{seq:06}", "its case number pattern is the default's");
	pt_rules_free(r);

	ok(problems_of("version: 1\nofice: A\n", &l) >= 1 && l.v[0].line == 2 && l.v[0].col == 1 &&
	   strstr(l.v[0].msg, "did you mean 'office'"), "unknown key at its line and column, with a suggestion");
	ok(problems_of("version: 1\n  bad: [\n", &l) == 1 && strstr(l.v[0].msg, "YAML syntax"), "syntax error");
	ok(problems_of("", &l) == 1, "empty file");
	ok(problems_of("version: 1\nversion: 1\nversion: 1\nversion: 1\noffice: A\nunits: [{code: A, name: a, level: city}]\n"
		       "departments: [{name: d, petition: true, opens_letters: true}]\ncategories: [c]\n", &l) == 3,
	   "a key given four times: three problems, not one per earlier copy");
	ok(problems_of("[1, 2]", &l) >= 1 && strstr(l.v[0].msg, "must be a mapping"), "top level must be a mapping");
	ok(problems_of("version: 1\noffice: 兰山\ncase_number: \"{unit}信访〔{year}〕{seq:04}号\"\n"
		       "units: [{ code: 兰山, name: 兰山区总工会, level: county }]\n"
		       "departments: [{ name: 信访科, petition: true, opens_letters: true }]\ncategories: [咨询]\n", &l) == 0,
	   "Chinese unit codes with a Chinese case number pattern (characters, not bytes, compared)");
	ok(problems_of("version: 1\noffice: 信访\ncase_number: \"{unit}信访〔{year}〕{seq:04}号\"\n"
		       "units: [{ code: 信访, name: 甲, level: county }]\n"
		       "departments: [{ name: 信访科, petition: true, opens_letters: true }]\ncategories: [咨询]\n", &l) == 1 &&
	   strstr(l.v[0].msg, "contains '信'"), "a unit code holding the pattern's text is refused");
	pt_errlist_release(&l);
	return done_testing();
}
