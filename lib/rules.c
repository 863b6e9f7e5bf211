#include "rules.h"
#include "buf.h"
#include "cal.h"
#include "event.h"
#include "fmt.h"
#include "vocab.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

/* generated from examples/rules.yaml by scripts/embed */
extern const char *const pt_default_rules[];

static struct pt_rules *parse_rules(const char *text, size_t len, const char *source,
				    struct pt_errlist *problems, struct pt_rules *base, bool in_force);

const char *pt_rules_default_text(void)
{
	return pt_default_rules[0];
}

struct pt_rules *pt_rules_default(struct pt_err *e)
{
	struct pt_errlist problems = PT_ERRLIST_INIT;
	const char *text = pt_rules_default_text();
	struct pt_rules *r = parse_rules(text, strlen(text), "(default)", &problems, NULL, false);

	if (!r)
		pt_err_set(e, PT_EINTERNAL, "the embedded default rules are invalid: %s", problems.v[0].msg);
	pt_errlist_release(&problems);
	return r;
}

const char *pt_rules_reception_place(const struct pt_rules *r, const char *unit)
{
	for (size_t i = 0; i < r->reception.nplaces; i++)
		if (!strcmp(r->reception.places[i].unit, unit))
			return r->reception.places[i].place;
	return "";
}

const struct pt_cal_year *pt_rules_cal_year(const struct pt_rules *r, int year)
{
	for (size_t i = 0; i < r->ncal_years; i++)
		if (r->cal_years[i].year == year)
			return &r->cal_years[i];
	return NULL;
}

void pt_rules_cal_missing(const struct pt_rules *r, long today, int *this_year, int *next_year)
{
	int y, m, d;

	pt_civil_from_days(today, &y, &m, &d);
	*this_year = pt_rules_cal_year(r, y) ? 0 : y;
	*next_year = m >= 11 && !pt_rules_cal_year(r, y + 1) ? y + 1 : 0;
}

/* ---- walking the YAML document ---- */

struct mark {
	long line, col;
};

struct ctx {
	yaml_document_t *doc;
	const char *source;
	struct pt_errlist *problems;
	/* where top-level keys' values are, for problems found across sections */
	struct mark top, office, case_number, units, departments, categories, routing;
	/* The embedded default, whose statutory deadlines and left-out sections are in force
	 * (NULL while the default itself is read), and the top-level keys the text gives, a bit
	 * each by their place in top_keys[]. */
	const struct pt_rules *base;
	unsigned have;
	/* Reading the rules in force from the database: a text loaded under an earlier law is
	 * not refused; the law prevails over what it contradicts, said in `notes`. */
	bool in_force;
	struct pt_strv *notes;
};

static struct mark mark_of(const yaml_node_t *n)
{
	struct mark m = { (long)n->start_mark.line + 1, (long)n->start_mark.column + 1 };

	return m;
}

static void problem(struct ctx *c, const yaml_node_t *n, const char *fmt, ...) PT_PRINTF(3, 4);

static void problem(struct ctx *c, const yaml_node_t *n, const char *fmt, ...)
{
	struct pt_buf b = PT_BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	pt_buf_vaddf(&b, fmt, ap);
	va_end(ap);
	pt_errlist_add(c->problems, PT_ECONFIG, c->source, n ? (long)n->start_mark.line + 1 : 0,
		       n ? (long)n->start_mark.column + 1 : 0, "%s", b.buf);
	pt_buf_release(&b);
}

static yaml_node_t *node(struct ctx *c, int i)
{
	return yaml_document_get_node(c->doc, i);
}

static const char *node_kind(const yaml_node_t *n)
{
	switch (n->type) {
	case YAML_SCALAR_NODE: return "a value";
	case YAML_SEQUENCE_NODE: return "a list";
	case YAML_MAPPING_NODE: return "a mapping";
	default: return "nothing";
	}
}

/* The text of a scalar, or NULL (with a problem) for anything else or an empty value. */
static const char *scalar(struct ctx *c, yaml_node_t *n, const char *what)
{
	if (n->type != YAML_SCALAR_NODE) {
		problem(c, n, "%s must be a value, not %s", what, node_kind(n));
		return NULL;
	}
	if (n->data.scalar.length == 0) {
		problem(c, n, "%s must not be empty", what);
		return NULL;
	}
	if (strlen((const char *)n->data.scalar.value) != n->data.scalar.length) {
		problem(c, n, "%s contains a NUL character", what);
		return NULL;
	}
	return (const char *)n->data.scalar.value;
}

/* Set *dst to a copy of the scalar (NULL when it is not one); a key given twice is reported
 * by check_mapping(), and the last value wins without leaking the first. */
static void take_str(struct ctx *c, yaml_node_t *n, const char *what, char **dst)
{
	const char *s = scalar(c, n, what);

	free(*dst);
	*dst = s ? pt_xstrdup(s) : NULL;
}

static bool take_bool(struct ctx *c, yaml_node_t *n, const char *what)
{
	const char *s = scalar(c, n, what);

	if (!s)
		return false;
	if (!strcmp(s, "true") || !strcmp(s, "yes"))
		return true;
	if (strcmp(s, "false") && strcmp(s, "no"))
		problem(c, n, "%s must be true or false, not '%s'", what, s);
	return false;
}

static int take_int(struct ctx *c, yaml_node_t *n, const char *what, int min, int max)
{
	const char *s = scalar(c, n, what);
	char *end;
	long v;

	if (!s)
		return min;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || end == s || v < min || v > max) {
		problem(c, n, "%s must be a whole number from %d to %d, not '%s'", what, min, max, s);
		return min;
	}
	return (int)v;
}

/* Check that n is a mapping whose keys are all in `keys` and appear once each. */
static bool check_mapping(struct ctx *c, yaml_node_t *n, const char *what, const char *const *keys)
{
	size_t nkeys = 0;

	if (n->type != YAML_MAPPING_NODE) {
		problem(c, n, "%s must be a mapping (key: value), not %s", what, node_kind(n));
		return false;
	}
	while (keys[nkeys])
		nkeys++;
	for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
		yaml_node_t *k = node(c, p->key);
		const char *name = k->type == YAML_SCALAR_NODE ? (const char *)k->data.scalar.value : NULL;
		size_t i;

		if (!name) {
			problem(c, k, "keys in %s must be plain words", what);
			continue;
		}
		for (i = 0; i < nkeys && strcmp(keys[i], name); i++)
			;
		if (i == nkeys) {
			const char *near = pt_closest(name, keys, nkeys);

			if (near)
				problem(c, k, "unknown key '%s' in %s (did you mean '%s'?)", name, what, near);
			else
				problem(c, k, "unknown key '%s' in %s", name, what);
			continue;
		}
		for (yaml_node_pair_t *q = n->data.mapping.pairs.start; q < p; q++) {
			yaml_node_t *k2 = node(c, q->key);

			if (k2->type == YAML_SCALAR_NODE && !strcmp((const char *)k2->data.scalar.value, name)) {
				problem(c, k, "key '%s' given twice in %s", name, what);
				break; /* once per repeated key, not once per earlier copy */
			}
		}
	}
	return true;
}

static const char *key_name(struct ctx *c, yaml_node_pair_t *p)
{
	yaml_node_t *k = node(c, p->key);

	return k->type == YAML_SCALAR_NODE ? (const char *)k->data.scalar.value : "";
}

/* Whether the key of pair p appeared before it in map (reported by check_mapping). */
static bool repeated_key(struct ctx *c, yaml_node_t *map, yaml_node_pair_t *p)
{
	for (yaml_node_pair_t *q = map->data.mapping.pairs.start; q < p; q++)
		if (!strcmp(key_name(c, q), key_name(c, p)))
			return true;
	return false;
}

/* Step *p through a checked mapping's pairs (start with *p NULL), setting the key and value;
 * a key given again is skipped, so the first value is the one taken. */
static bool next_pair(struct ctx *c, yaml_node_t *map, yaml_node_pair_t **p, const char **k,
		      yaml_node_t **v)
{
	*p = *p ? *p + 1 : map->data.mapping.pairs.start;
	while (*p < map->data.mapping.pairs.top && repeated_key(c, map, *p))
		(*p)++;
	if (*p >= map->data.mapping.pairs.top)
		return false;
	*k = key_name(c, *p);
	*v = node(c, (*p)->value);
	return true;
}

static void set_place(const yaml_node_t *n, long *line, long *col)
{
	*line = (long)n->start_mark.line + 1;
	*col = (long)n->start_mark.column + 1;
}

static void require(struct ctx *c, yaml_node_t *n, const void *field, const char *key, const char *what)
{
	if (!field)
		problem(c, n, "%s needs '%s'", what, key);
}

static bool is_sequence(struct ctx *c, yaml_node_t *n, const char *what)
{
	if (n->type == YAML_SEQUENCE_NODE)
		return true;
	problem(c, n, "%s must be a list, not %s", what, node_kind(n));
	return false;
}

static size_t seq_len(yaml_node_t *n)
{
	return (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
}

static void free_strv(struct pt_strv *v)
{
	for (size_t i = 0; i < v->n; i++)
		free(v->v[i]);
	free(v->v);
	v->v = NULL;
}

static void take_strv(struct ctx *c, yaml_node_t *n, const char *what, struct pt_strv *out)
{
	if (!is_sequence(c, n, what))
		return;
	free_strv(out);
	out->n = 0;
	out->v = pt_xcalloc(seq_len(n), sizeof *out->v);
	for (yaml_node_item_t *i = n->data.sequence.items.start; i < n->data.sequence.items.top; i++) {
		char *s = NULL;

		take_str(c, node(c, *i), what, &s);
		if (s)
			out->v[out->n++] = s;
	}
}


/* ---- sections ---- */

static void parse_unit(struct ctx *c, yaml_node_t *n, struct pt_unit *u)
{
	static const char *const keys[] = { "code", "name", "level", "parent", NULL };
	const char *k;
	yaml_node_t *v;
	bool have_level = false;

	u->level = PT_LEVEL_COUNTY;
	set_place(n, &u->line, &u->col);
	if (!check_mapping(c, n, "a unit", keys))
		return;
	for (yaml_node_pair_t *p = NULL; next_pair(c, n, &p, &k, &v);) {
		if (!strcmp(k, "code"))
			take_str(c, v, "a unit's code", &u->code);
		else if (!strcmp(k, "name"))
			take_str(c, v, "a unit's name", &u->name);
		else if (!strcmp(k, "parent"))
			take_str(c, v, "a unit's parent", &u->parent);
		else if (!strcmp(k, "level")) {
			const char *s = scalar(c, v, "a unit's level");
			int i = s ? pt_vocab_index(PT_VOCAB_LEVEL, s) : -1;

			if (s && i < 0) {
				struct pt_buf levels = PT_BUF_INIT;

				pt_vocab_join(PT_VOCAB_LEVEL, &levels, " or ");
				problem(c, v, "unknown level '%s' (%s)", s, levels.buf);
				pt_buf_release(&levels);
			}
			if (i >= 0)
				u->level = (enum pt_level)i;
			have_level = true;
		}
	}
	require(c, n, u->code, "code", "a unit");
	require(c, n, u->name, "name", "a unit");
	if (!have_level)
		problem(c, n, "a unit needs 'level' (province, city, county or township)");
	if (u->code && strpbrk(u->code, " \t/\\{}:"))
		problem(c, n, "unit code '%s' may not contain blanks, slashes, colons or braces", u->code);
}

static void parse_leader(struct ctx *c, yaml_node_t *n, struct pt_leader *l)
{
	static const char *const keys[] = { "name", "unit", "post", "principal", "approves", "charge", NULL };
	const char *k;
	yaml_node_t *v;

	set_place(n, &l->line, &l->col);
	if (!check_mapping(c, n, "a leader", keys))
		return;
	for (yaml_node_pair_t *p = NULL; next_pair(c, n, &p, &k, &v);) {
		if (!strcmp(k, "name"))
			take_str(c, v, "a leader's name", &l->name);
		else if (!strcmp(k, "unit"))
			take_str(c, v, "a leader's unit", &l->unit);
		else if (!strcmp(k, "post"))
			take_str(c, v, "a leader's post", &l->post);
		else if (!strcmp(k, "principal"))
			l->principal = take_bool(c, v, "principal");
		else if (!strcmp(k, "approves"))
			l->approves = take_bool(c, v, "approves");
		else if (!strcmp(k, "charge"))
			take_strv(c, v, "charge", &l->charge);
	}
	require(c, n, l->name, "name", "a leader");
}

static void parse_department(struct ctx *c, yaml_node_t *n, struct pt_department *d)
{
	static const char *const keys[] = { "name", "petition", "opens_letters", NULL };
	const char *k;
	yaml_node_t *v;

	set_place(n, &d->line, &d->col);
	if (!check_mapping(c, n, "a department", keys))
		return;
	for (yaml_node_pair_t *p = NULL; next_pair(c, n, &p, &k, &v);) {
		if (!strcmp(k, "name"))
			take_str(c, v, "a department's name", &d->name);
		else if (!strcmp(k, "petition"))
			d->petition = take_bool(c, v, "petition");
		else if (!strcmp(k, "opens_letters"))
			d->opens_letters = take_bool(c, v, "opens_letters");
	}
	require(c, n, d->name, "name", "a department");
}

static void parse_category(struct ctx *c, yaml_node_t *n, struct pt_category *cat)
{
	static const char *const keys[] = { "name", "aliases", NULL };
	const char *k;
	yaml_node_t *v;

	set_place(n, &cat->line, &cat->col);
	if (n->type == YAML_SCALAR_NODE) {
		take_str(c, n, "a category", &cat->name);
		return;
	}
	if (n->type != YAML_MAPPING_NODE) {
		problem(c, n, "a category must be a name or a mapping with 'name' (and 'aliases'), not %s",
			node_kind(n));
		return;
	}
	if (!check_mapping(c, n, "a category", keys))
		return;
	for (yaml_node_pair_t *p = NULL; next_pair(c, n, &p, &k, &v);) {
		if (!strcmp(k, "name"))
			take_str(c, v, "a category's name", &cat->name);
		else if (!strcmp(k, "aliases"))
			take_strv(c, v, "aliases", &cat->aliases);
	}
	require(c, n, cat->name, "name", "a category");
}

static void parse_intake(struct ctx *c, yaml_node_t *n, struct pt_rules *r)
{
	static const char *const keys[] = { "collective_persons", "repeat_window_days", NULL };
	const char *k;
	yaml_node_t *v;

	if (!check_mapping(c, n, "intake", keys))
		return;
	for (yaml_node_pair_t *p = NULL; next_pair(c, n, &p, &k, &v);) {
		if (!strcmp(k, "collective_persons"))
			r->collective_persons = take_int(c, v, "collective_persons", 2, 100000);
		else if (!strcmp(k, "repeat_window_days"))
			r->repeat_window_days = take_int(c, v, "repeat_window_days", 0, 36600);
	}
}

const char *const pt_interview_keys[] = { "skip_level", "dissatisfied", "reviews", "overdue", "shuffled",
					    "findings", NULL };

static void parse_interview(struct ctx *c, yaml_node_t *n, struct pt_rules *r)
{
	const char *k;
	yaml_node_t *v;

	if (!check_mapping(c, n, "interview", pt_interview_keys))
		return;
	for (yaml_node_pair_t *p = NULL; next_pair(c, n, &p, &k, &v);)
		for (int i = 0; i < PT_IV_NCOUNTS; i++)
			if (!strcmp(k, pt_interview_keys[i]))
				r->interview[i] = take_int(c, v, pt_interview_keys[i], 0, 100000);
}

/* A date value; false (with a problem) when it is not one. */
static bool take_date(struct ctx *c, yaml_node_t *n, const char *what, long *day)
{
	const char *s = scalar(c, n, what);

	if (!s)
		return false;
	if (!pt_date_parse(s, day)) {
		problem(c, n, "%s '%s' is not a date (YYYY-MM-DD)", what, s);
		return false;
	}
	return true;
}

static void check_in_year(struct ctx *c, yaml_node_t *n, const struct pt_cal_year *y, long day)
{
	char d[PT_DATE_LEN];

	if (y->year && pt_date_year(day) != y->year) {
		pt_date_format(day, d);
		problem(c, n, "%s is not in %d", d, y->year);
	}
}

static void parse_holiday(struct ctx *c, yaml_node_t *n, struct pt_holiday *h, const struct pt_cal_year *y)
{
	static const char *const keys[] = { "name", "from", "to", NULL };
	const char *k;
	yaml_node_t *v, *to_node = NULL;
	bool have_from = false, have_to = false;

	if (!check_mapping(c, n, "a holiday", keys))
		return;
	for (yaml_node_pair_t *p = NULL; next_pair(c, n, &p, &k, &v);) {
		if (!strcmp(k, "name"))
			take_str(c, v, "a holiday's name", &h->name);
		else if (!strcmp(k, "from") && (have_from = take_date(c, v, "from", &h->from)))
			check_in_year(c, v, y, h->from);
		else if (!strcmp(k, "to") && (have_to = take_date(c, v, "to", &h->to))) {
			check_in_year(c, v, y, h->to);
			to_node = v;
		}
	}
	require(c, n, h->name, "name", "a holiday");
	if (!have_from)
		problem(c, n, "a holiday needs 'from' (its first day; 'to' is its last, default the same day)");
	if (!have_to)
		h->to = h->from;
	if (have_from && have_to && h->to < h->from)
		problem(c, to_node, "holiday '%s' ends before it begins", h->name ? h->name : "?");
}

static void parse_cal_year(struct ctx *c, yaml_node_t *n, struct pt_cal_year *y)
{
	static const char *const keys[] = { "year", "source", "holidays", "workdays", "provisional", NULL };
	yaml_node_t *hol = NULL, *work = NULL;
	const char *k;
	yaml_node_t *v;

	set_place(n, &y->line, &y->col);
	if (!check_mapping(c, n, "a calendar year", keys))
		return;
	for (yaml_node_pair_t *p = NULL; next_pair(c, n, &p, &k, &v);) {
		if (!strcmp(k, "year"))
			y->year = take_int(c, v, "year", 2000, 2100);
		else if (!strcmp(k, "source"))
			take_str(c, v, "source", &y->source);
		else if (!strcmp(k, "holidays"))
			hol = v;
		else if (!strcmp(k, "workdays"))
			work = v;
		else if (!strcmp(k, "provisional"))
			y->provisional = take_bool(c, v, "provisional");
	}
	if (!y->year)
		problem(c, n, "a calendar year needs 'year'");
	if (hol && is_sequence(c, hol, "holidays")) {
		y->holidays = pt_xcalloc(seq_len(hol), sizeof *y->holidays);
		for (yaml_node_item_t *it = hol->data.sequence.items.start; it < hol->data.sequence.items.top; it++)
			parse_holiday(c, node(c, *it), &y->holidays[y->nholidays++], y);
	}
	if (work && is_sequence(c, work, "workdays")) {
		y->workdays = pt_xcalloc(seq_len(work), sizeof *y->workdays);
		for (yaml_node_item_t *it = work->data.sequence.items.start; it < work->data.sequence.items.top; it++) {
			yaml_node_t *w = node(c, *it);
			long day;

			if (!take_date(c, w, "a make-up working day", &day))
				continue;
			check_in_year(c, w, y, day);
			if (pt_weekday(day) < 5)
				problem(c, w, "make-up working day %s is a weekday; only a Saturday or Sunday can be one",
					(const char *)w->data.scalar.value);
			for (size_t h = 0; h < y->nholidays; h++)
				if (day >= y->holidays[h].from && day <= y->holidays[h].to)
					problem(c, w, "make-up working day %s falls in holiday '%s'",
						(const char *)w->data.scalar.value,
						y->holidays[h].name ? y->holidays[h].name : "?");
			y->workdays[y->nworkdays++] = day;
		}
	}
}

/* Parse each item of a list section with `fn` into a newly allocated array. */
#define PARSE_LIST(c, v, what, arr, count, fn)                                              \
	do {                                                                                \
		if (!is_sequence(c, v, what))                                               \
			break;                                                              \
		(arr) = pt_xcalloc(seq_len(v), sizeof *(arr));                              \
		for (yaml_node_item_t *it = (v)->data.sequence.items.start;                 \
		     it < (v)->data.sequence.items.top; it++)                               \
			fn(c, node(c, *it), &(arr)[(count)++]);                             \
	} while (0)

const char *const pt_deadline_conditions[] = {
	"any", "named_letter", "transferred", "collective", "letter", "visit", "handed_down", "unnamed_letter", NULL
};

static size_t count_names(const char *const *v)
{
	size_t n = 0;

	while (v[n])
		n++;
	return n;
}

/* A value that must be one of `names`; a problem (with a suggestion) otherwise. */
static void take_name(struct ctx *c, yaml_node_t *n, const char *what, const char *const *names, char **dst)
{
	size_t i, count = count_names(names);

	take_str(c, n, what, dst);
	if (!*dst)
		return;
	for (i = 0; i < count && strcmp(names[i], *dst); i++)
		;
	if (i == count) {
		const char *near = pt_closest(*dst, names, count);

		if (near)
			problem(c, n, "unknown %s '%s' (did you mean '%s'?)", what, *dst, near);
		else
			problem(c, n, "unknown %s '%s'", what, *dst);
	}
}

/* A value that must be a code of a vocabulary list. */
static void take_code(struct ctx *c, yaml_node_t *n, const char *what, enum pt_vocab_list l, char **dst)
{
	const char *codes[PT_VOCAB_MAX + 1];

	pt_vocab_codes(l, codes);
	take_name(c, n, what, codes, dst);
}

/* ---- the law: what an office's rules cannot switch off ---- */

/* Add a line to a list of notes (struct pt_rules' `notes`). */
static void note(struct pt_strv *notes, const char *fmt, ...) PT_PRINTF(2, 3);

static void note(struct pt_strv *notes, const char *fmt, ...)
{
	struct pt_buf b = PT_BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	pt_buf_vaddf(&b, fmt, ap);
	va_end(ap);
	notes->v = pt_xrealloc(notes->v, (notes->n + 1) * sizeof *notes->v);
	notes->v[notes->n++] = pt_buf_detach(&b);
}

/* The keys of a deadline that a statutory one must keep as the law has them. */
enum { PT_LAW_DAYS, PT_LAW_UNIT, PT_LAW_FROM, PT_LAW_WHEN, PT_LAW_DONE_BY, PT_LAW_EXTENSION, PT_LAW_WINDOW,
       PT_LAW_STATUTORY, PT_LAW_NKEYS };
static const char *const law_keys[PT_LAW_NKEYS] = { "days", "unit", "from", "when", "done_by", "extension",
						    "window", "statutory" };

static const struct pt_deadline_rule *statutory_named(const struct pt_rules *base, const char *name)
{
	for (size_t i = 0; name && i < base->ndeadlines; i++)
		if (base->deadlines[i].statutory && !strcmp(base->deadlines[i].name, name))
			return &base->deadlines[i];
	return NULL;
}

/* The statutory deadlines' names, for messages. */
static void statutory_names(const struct pt_rules *base, struct pt_buf *b)
{
	for (size_t i = 0; i < base->ndeadlines; i++)
		if (base->deadlines[i].statutory)
			pt_buf_addf(b, "%s%s", b->len ? ", " : "", base->deadlines[i].name);
}

/* A problem with key `key` of deadline d, at its value, or at the deadline when not given. */
static void law_problem(struct ctx *c, yaml_node_t *n, yaml_node_t *const *at, int key,
			const struct pt_deadline_rule *law, const char *fmt, ...) PT_PRINTF(6, 7);

static void law_problem(struct ctx *c, yaml_node_t *n, yaml_node_t *const *at, int key,
			const struct pt_deadline_rule *law, const char *fmt, ...)
{
	struct pt_buf b = PT_BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	pt_buf_vaddf(&b, fmt, ap);
	va_end(ap);
	if (c->in_force)
		note(c->notes, "deadline '%s' (line %ld) contradicts the law, so the law's is in force: %s; correct the rules "
		     "and load them again", law->name, (long)(at[key] ? at[key] : n)->start_mark.line + 1, b.buf);
	else
		problem(c, at[key] ? at[key] : n, "deadline '%s' is a limit of the law: %s", law->name, b.buf);
	pt_buf_release(&b);
}

/* An event's name that is one (a wrong one is a problem of its own). */
static bool known_event(const char *ev)
{
	return ev && pt_vocab_index(PT_VOCAB_EVENT, ev) >= 0;
}

static bool known_condition(const char *when)
{
	for (int i = 0; when && pt_deadline_conditions[i]; i++)
		if (!strcmp(pt_deadline_conditions[i], when))
			return true;
	return false;
}

/* The known events of `a` that `b` lacks, as "x, y", in out; false when none. */
static bool events_missing(const struct pt_strv *a, const struct pt_strv *b, struct pt_buf *out)
{
	for (size_t i = 0; i < a->n; i++)
		if (known_event(a->v[i]) && !pt_strv_has(b, a->v[i]))
			pt_buf_addf(out, "%s%s", out->len ? ", " : "", a->v[i]);
	return out->len > 0;
}

static void copy_strv(struct pt_strv *dst, const struct pt_strv *src)
{
	dst->v = pt_xcalloc(src->n ? src->n : 1, sizeof *dst->v);
	for (dst->n = 0; dst->n < src->n; dst->n++)
		dst->v[dst->n] = pt_xstrdup(src->v[dst->n]);
}

/* A statutory deadline an office lists says what it changes: a key it leaves out is the
 * law's (so `{ name: handle, days: 30 }` shortens the handling limit and keeps the rest). */
static void inherit_law(struct pt_deadline_rule *d, const struct pt_deadline_rule *law, yaml_node_t *const *at)
{
	if (!at[PT_LAW_DAYS])
		d->days = law->days;
	if (!at[PT_LAW_UNIT])
		d->working = law->working;
	if (!at[PT_LAW_FROM] && !d->from)
		d->from = pt_xstrdup(law->from);
	if (!at[PT_LAW_WHEN] && !d->when)
		d->when = pt_xstrdup(law->when);
	if (!at[PT_LAW_DONE_BY])
		copy_strv(&d->done_by, &law->done_by);
	if (!at[PT_LAW_EXTENSION])
		d->extension = law->extension;
	if (!at[PT_LAW_WINDOW])
		d->window = law->window;
	if (!d->title && law->title)
		d->title = pt_xstrdup(law->title);
	if (!d->basis && law->basis)
		d->basis = pt_xstrdup(law->basis);
}

/* A deadline of an office's rules against the law: one of the embedded default's statutory
 * deadlines by that name may be shortened, never lengthened, loosened or made the office's
 * own; and only those are statutory. */
static void check_statutory(struct ctx *c, yaml_node_t *n, struct pt_deadline_rule *d, yaml_node_t *const *at)
{
	const struct pt_deadline_rule *law = statutory_named(c->base, d->name);
	struct pt_buf names = PT_BUF_INIT, ev = PT_BUF_INIT;
	bool fewer, more;

	if (!law) {
		if (d->statutory && !c->in_force) {
			statutory_names(c->base, &names);
			problem(c, at[PT_LAW_STATUTORY], "deadline '%s' is not a limit of the law; the statutory ones are "
				"those of the embedded default (%s); leave 'statutory' out of the office's own",
				d->name ? d->name : "?", names.buf);
		}
		d->statutory = false;
		pt_buf_release(&names);
		return;
	}
	/* Each contradiction is a problem; read from the database, a note, and the law's value
	 * takes the place of the text's. */
	if (at[PT_LAW_STATUTORY] && !d->statutory)
		law_problem(c, n, at, PT_LAW_STATUTORY, law, "an office's rules cannot make it otherwise");
	d->statutory = true;
	if (law->window && d->days != law->days) {
		law_problem(c, n, at, PT_LAW_DAYS, law, "the petitioner has %d days, which an office may not change "
			    "(here %d)", law->days, d->days);
		d->days = law->days;
	} else if (d->days > law->days) {
		law_problem(c, n, at, PT_LAW_DAYS, law, "%d days is longer than the law's %d; an office may shorten "
			    "a statutory limit, never lengthen it", d->days, law->days);
		d->days = law->days;
	}
	if (d->extension > law->extension) {
		law_problem(c, n, at, PT_LAW_EXTENSION, law, "an extension of %d days is longer than the law's %d",
			    d->extension, law->extension);
		d->extension = law->extension;
	}
	if (d->working != law->working) {
		law_problem(c, n, at, PT_LAW_UNIT, law, "the law counts %s days, not %s days",
			    law->working ? "working" : "calendar", d->working ? "working" : "calendar");
		d->working = law->working;
	}
	if (known_event(d->from) && strcmp(d->from, law->from)) {
		law_problem(c, n, at, PT_LAW_FROM, law, "it counts from %s, not from %s", law->from, d->from);
		free(d->from);
		d->from = pt_xstrdup(law->from);
	}
	if (known_condition(d->when) && strcmp(d->when, law->when)) {
		law_problem(c, n, at, PT_LAW_WHEN, law, "it applies to %s, not to %s cases",
			    strcmp(law->when, "any") ? law->when : "every case", d->when);
		free(d->when);
		d->when = pt_xstrdup(law->when);
	}
	if (d->window != law->window) {
		law_problem(c, n, at, PT_LAW_WINDOW, law, law->window ? "it is the petitioner's time limit "
			    "(window: true)" : "it is the office's time limit, not the petitioner's (window: false)");
		d->window = law->window;
	}
	if ((fewer = events_missing(&law->done_by, &d->done_by, &ev)))
		law_problem(c, n, at, PT_LAW_DONE_BY, law, "done_by leaves out %s, which the law counts as meeting it",
			    ev.buf);
	pt_buf_reset(&ev);
	if ((more = events_missing(&d->done_by, &law->done_by, &ev)))
		law_problem(c, n, at, PT_LAW_DONE_BY, law, "done_by adds %s, which does not meet it in law", ev.buf);
	if (fewer || more) {
		free_strv(&d->done_by);
		copy_strv(&d->done_by, &law->done_by);
	}
	pt_buf_release(&ev);
	pt_buf_release(&names);
}

static void parse_deadline(struct ctx *c, yaml_node_t *n, struct pt_deadline_rule *d)
{
	static const char *const keys[] = { "name", "title", "days", "unit", "from", "when", "done_by",
					    "extension", "window", "basis", "statutory", NULL };
	const char *k;
	yaml_node_t *v, *ext = NULL, *at[PT_LAW_NKEYS] = { NULL };
	bool have_days = false;

	set_place(n, &d->line, &d->col);
	if (!check_mapping(c, n, "a deadline", keys))
		return;
	for (yaml_node_pair_t *p = NULL; next_pair(c, n, &p, &k, &v);) {
		for (int i = 0; i < PT_LAW_NKEYS; i++)
			if (!strcmp(k, law_keys[i]))
				at[i] = v;
		if (!strcmp(k, "name"))
			take_str(c, v, "a deadline's name", &d->name);
		else if (!strcmp(k, "statutory"))
			d->statutory = take_bool(c, v, "statutory");
		else if (!strcmp(k, "title"))
			take_str(c, v, "title", &d->title);
		else if (!strcmp(k, "days")) {
			d->days = take_int(c, v, "days", 1, 3650);
			have_days = true;
		} else if (!strcmp(k, "unit")) {
			const char *u = scalar(c, v, "unit");

			if (u && strcmp(u, "calendar") && strcmp(u, "working"))
				problem(c, v, "unit must be calendar or working, not '%s'", u);
			d->working = u && !strcmp(u, "working");
		} else if (!strcmp(k, "from"))
			take_code(c, v, "event", PT_VOCAB_EVENT, &d->from);
		else if (!strcmp(k, "when"))
			take_name(c, v, "condition", pt_deadline_conditions, &d->when);
		else if (!strcmp(k, "done_by") && is_sequence(c, v, "done_by")) {
			free_strv(&d->done_by);
			d->done_by.n = 0;
			d->done_by.v = pt_xcalloc(seq_len(v), sizeof *d->done_by.v);
			for (yaml_node_item_t *it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
				char *ev = NULL;

				take_code(c, node(c, *it), "event", PT_VOCAB_EVENT, &ev);
				if (ev)
					d->done_by.v[d->done_by.n++] = ev;
			}
		} else if (!strcmp(k, "extension")) {
			d->extension = take_int(c, v, "extension", 0, 3650);
			ext = v;
		} else if (!strcmp(k, "window"))
			d->window = take_bool(c, v, "window");
		else if (!strcmp(k, "basis"))
			take_str(c, v, "basis", &d->basis);
	}
	if (c->base && statutory_named(c->base, d->name)) {
		inherit_law(d, statutory_named(c->base, d->name), at);
		have_days = true;
	}
	require(c, n, d->name, "name", "a deadline");
	require(c, n, d->from, "from", "a deadline");
	if (!have_days)
		problem(c, n, "a deadline needs 'days'");
	if (!d->when)
		d->when = pt_xstrdup("any");
	if (ext && have_days && d->extension > d->days)
		problem(c, ext, "an extension of %d days is longer than the deadline's %d", d->extension, d->days);
	if (c->base)
		check_statutory(c, n, d, at);
	for (int i = 0; pt_deadline_conditions[i]; i++)
		if (!strcmp(pt_deadline_conditions[i], d->when))
			d->when_code = (enum pt_when)i;
	d->from_received = d->from && !strcmp(d->from, "received");
	d->of_unit = d->from && (!strcmp(d->from, "quarter_end") || !strcmp(d->from, "report_submitted"));
}

static const char *const weekday_keys[] = { "mon", "tue", "wed", "thu", "fri", "sat", "sun", NULL };

static void parse_min_days(struct ctx *c, yaml_node_t *n, struct pt_reception_rules *rr)
{
	const char *levels[PT_VOCAB_MAX + 1];
	const char *k;
	yaml_node_t *v;
	int l;

	pt_vocab_codes(PT_VOCAB_LEVEL, levels);
	if (!check_mapping(c, n, "min_days", levels))
		return;
	for (yaml_node_pair_t *p = NULL; next_pair(c, n, &p, &k, &v);)
		if ((l = pt_vocab_index(PT_VOCAB_LEVEL, k)) >= 0)
			rr->min_days[l] = take_int(c, v, "min_days", 0, 31);
}

static void parse_place(struct ctx *c, yaml_node_t *n, struct pt_reception_place *pl)
{
	static const char *const keys[] = { "unit", "place", NULL };
	const char *k;
	yaml_node_t *v;

	if (!check_mapping(c, n, "a place", keys))
		return;
	for (yaml_node_pair_t *p = NULL; next_pair(c, n, &p, &k, &v);) {
		if (!strcmp(k, "unit"))
			take_str(c, v, "a place's unit", &pl->unit);
		else if (!strcmp(k, "place"))
			take_str(c, v, "place", &pl->place);
	}
	require(c, n, pl->unit, "unit", "a place");
	require(c, n, pl->place, "place", "a place");
}

static void parse_reception(struct ctx *c, yaml_node_t *n, struct pt_rules *r)
{
	static const char *const keys[] = { "min_days", "weekdays", "notice_days", "form", "places", NULL };
	struct pt_reception_rules *rr = &r->reception;
	const char *k;
	yaml_node_t *v;

	if (!check_mapping(c, n, "reception", keys))
		return;
	for (yaml_node_pair_t *p = NULL; next_pair(c, n, &p, &k, &v);) {
		if (!strcmp(k, "min_days"))
			parse_min_days(c, v, rr);
		else if (!strcmp(k, "notice_days"))
			rr->notice_days = take_int(c, v, "notice_days", 0, 365);
		else if (!strcmp(k, "form")) {
			free(rr->form);
			rr->form = NULL;
			take_code(c, v, "form", PT_VOCAB_FORM, &rr->form);
		} else if (!strcmp(k, "weekdays") && is_sequence(c, v, "weekdays")) {
			memset(rr->weekday, 0, sizeof rr->weekday);
			for (yaml_node_item_t *it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
				char *day = NULL;

				take_name(c, node(c, *it), "weekday", weekday_keys, &day);
				for (int w = 0; day && w < 7; w++)
					if (!strcmp(day, weekday_keys[w]))
						rr->weekday[w] = true;
				free(day);
			}
		} else if (!strcmp(k, "places")) {
			PARSE_LIST(c, v, "places", rr->places, rr->nplaces, parse_place);
		}
	}
}


/* ---- routing ---- */

const char *const pt_route_targets[] = {
	"named_leader", "leader_in_charge", "principal", "letter_office", "petition_department", NULL
};

/* A value or a list of values. */
static void take_values(struct ctx *c, yaml_node_t *n, const char *what, struct pt_strv *out)
{
	if (n->type != YAML_SEQUENCE_NODE) {
		char *s = NULL;

		take_str(c, n, what, &s);
		free_strv(out);
		out->n = 0;
		if (!s)
			return;
		out->v = pt_xcalloc(1, sizeof *out->v);
		out->v[out->n++] = s;
		return;
	}
	take_strv(c, n, what, out);
}

static enum pt_cond take_cond(struct ctx *c, yaml_node_t *n, const char *what)
{
	const char *s = n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;

	if (s && (!strcmp(s, "any") || !strcmp(s, "~") || !strcmp(s, "null")))
		return PT_COND_ANY;
	return take_bool(c, n, what) ? PT_COND_YES : PT_COND_NO;
}

static void parse_when(struct ctx *c, yaml_node_t *n, struct pt_route_rule *rr)
{
	static const char *const keys[] = { "channel", "named", "category", "unit", "min_persons",
					    "collective", "transferred", "repeat", NULL };
	const char *k;
	yaml_node_t *v;

	if (!check_mapping(c, n, "a routing rule's 'when'", keys))
		return;
	for (yaml_node_pair_t *p = NULL; next_pair(c, n, &p, &k, &v);) {
		if (!strcmp(k, "channel")) {
			take_values(c, v, "channel", &rr->channels);
			for (size_t i = 0; i < rr->channels.n; i++) {
				const char *code = pt_vocab_code(PT_VOCAB_CHANNEL, rr->channels.v[i]);

				if (!code) {
					problem(c, v, "unknown channel '%s' (%s)", rr->channels.v[i],
						pt_vocab_help(PT_VOCAB_CHANNEL));
					continue;
				}
				free(rr->channels.v[i]);
				rr->channels.v[i] = pt_xstrdup(code);
			}
		} else if (!strcmp(k, "category"))
			take_values(c, v, "category", &rr->categories);
		else if (!strcmp(k, "unit"))
			take_values(c, v, "unit", &rr->units);
		else if (!strcmp(k, "min_persons"))
			rr->min_persons = take_int(c, v, "min_persons", 1, 1000000);
		else if (!strcmp(k, "named"))
			rr->named = take_cond(c, v, "named");
		else if (!strcmp(k, "collective"))
			rr->collective = take_cond(c, v, "collective");
		else if (!strcmp(k, "transferred"))
			rr->transferred = take_cond(c, v, "transferred");
		else if (!strcmp(k, "repeat"))
			rr->repeat = take_cond(c, v, "repeat");
	}
}

/* `to`: a target keyword, else the name of a leader or department (checked later, when
 * all sections are read). */
static void take_target(struct ctx *c, yaml_node_t *n, struct pt_route_step *st)
{
	const char *s = scalar(c, n, "to");

	set_place(n, &st->line, &st->col);
	if (!s)
		return;
	free(st->name);
	st->name = NULL;
	for (int i = 0; pt_route_targets[i]; i++)
		if (!strcmp(s, pt_route_targets[i])) {
			st->to = (enum pt_route_target)i;
			return;
		}
	st->to = PT_TO_NAME;
	st->name = pt_xstrdup(s);
}

static void take_action(struct ctx *c, yaml_node_t *n, struct pt_route_step *st)
{
	char *a = NULL;
	int i;

	take_code(c, n, "action", PT_VOCAB_ACTION, &a);
	if (a && (i = pt_vocab_index(PT_VOCAB_ACTION, a)) >= 0)
		st->action = (enum pt_route_action)i;
	free(a);
}

static void parse_then_step(struct ctx *c, yaml_node_t *n, struct pt_route_step *st)
{
	static const char *const keys[] = { "to", "action", NULL };
	const char *k;
	yaml_node_t *v;
	bool to = false, action = false;

	set_place(n, &st->line, &st->col);
	st->to = PT_TO_NAME; /* with no name: not given */
	if (!check_mapping(c, n, "a 'then' step", keys))
		return;
	for (yaml_node_pair_t *p = NULL; next_pair(c, n, &p, &k, &v);) {
		if (!strcmp(k, "to")) {
			take_target(c, v, st);
			to = true;
		} else if (!strcmp(k, "action")) {
			take_action(c, v, st);
			action = true;
		}
	}
	if (!to || !action)
		problem(c, n, "a 'then' step needs 'to' and 'action'");
}

static void parse_route_rule(struct ctx *c, yaml_node_t *n, struct pt_route_rule *rr)
{
	static const char *const keys[] = { "name", "title", "when", "to", "action", "then", NULL };
	const char *k;
	yaml_node_t *v, *then = NULL;
	bool to = false, action = false;

	set_place(n, &rr->line, &rr->col);
	if (!check_mapping(c, n, "a routing rule", keys))
		return;
	rr->steps = pt_xcalloc(1, sizeof *rr->steps);
	rr->nsteps = 1;
	rr->steps[0].to = PT_TO_NAME; /* with no name: not given (a problem said once, below) */
	set_place(n, &rr->steps[0].line, &rr->steps[0].col);
	for (yaml_node_pair_t *p = NULL; next_pair(c, n, &p, &k, &v);) {
		if (!strcmp(k, "name"))
			take_str(c, v, "a routing rule's name", &rr->name);
		else if (!strcmp(k, "title"))
			take_str(c, v, "title", &rr->title);
		else if (!strcmp(k, "when"))
			parse_when(c, v, rr);
		else if (!strcmp(k, "to")) {
			take_target(c, v, &rr->steps[0]);
			to = true;
		} else if (!strcmp(k, "action")) {
			take_action(c, v, &rr->steps[0]);
			action = true;
		} else if (!strcmp(k, "then"))
			then = v;
	}
	require(c, n, rr->name, "name", "a routing rule");
	if (!to)
		problem(c, n, "a routing rule needs 'to' (%s, or a leader or department)",
			"named_leader, leader_in_charge, principal, letter_office, petition_department");
	if (!action)
		problem(c, n, "a routing rule needs 'action' (open, instruct, handle or supervise)");
	if (then && then->type == YAML_MAPPING_NODE) {
		rr->steps = pt_xrealloc(rr->steps, 2 * sizeof *rr->steps);
		memset(&rr->steps[1], 0, sizeof rr->steps[1]);
		parse_then_step(c, then, &rr->steps[rr->nsteps++]);
	} else if (then && is_sequence(c, then, "then")) {
		rr->steps = pt_xrealloc(rr->steps, (1 + seq_len(then)) * sizeof *rr->steps);
		for (yaml_node_item_t *it = then->data.sequence.items.start; it < then->data.sequence.items.top; it++) {
			memset(&rr->steps[rr->nsteps], 0, sizeof rr->steps[rr->nsteps]);
			parse_then_step(c, node(c, *it), &rr->steps[rr->nsteps++]);
		}
	}
}

/* The top-level keys; the order is that of the bits of ctx.have. */
enum { TOP_VERSION, TOP_OFFICE, TOP_CASE_NUMBER, TOP_UNITS, TOP_LEADERS, TOP_DEPARTMENTS, TOP_CATEGORIES,
       TOP_INTAKE, TOP_CALENDAR, TOP_DEADLINES, TOP_RECEPTION, TOP_ROUTING, TOP_INTERVIEW, TOP_TIMEZONE };
static const char *const top_keys[] = { "version", "office", "case_number", "units", "leaders",
					"departments", "categories", "intake", "calendar", "deadlines", "reception",
					"routing", "interview", "timezone", NULL };

/* The zone times are shown in: China's one zone by name, UTC, or a fixed offset (+08:00);
 * no zone with daylight saving, whose offset would change with the date. */
static void parse_timezone(struct ctx *c, yaml_node_t *n, struct pt_rules *r)
{
	static const char *const china[] = { "Asia/Shanghai", "Asia/Chongqing", "Asia/Harbin", "PRC", NULL };
	const char *s = scalar(c, n, "timezone");

	if (!s)
		return;
	for (size_t i = 0; china[i]; i++)
		if (!strcmp(s, china[i])) {
			r->utc_offset = 8 * 60;
			return;
		}
	if (!strcmp(s, "UTC")) {
		r->utc_offset = 0;
	} else if ((*s == '+' || *s == '-') && strlen(s) == 6 && strspn(s + 1, "0123456789") == 2 && s[3] == ':' &&
		   strspn(s + 4, "0123456789") == 2 && atoi(s + 1) <= 14 && atoi(s + 4) < 60) {
		r->utc_offset = (*s == '-' ? -1 : 1) * (atoi(s + 1) * 60 + atoi(s + 4));
	} else {
		problem(c, n, "timezone '%s' is not known: give Asia/Shanghai, UTC or a fixed offset such as +08:00", s);
	}
}

static void parse_top(struct ctx *c, yaml_node_t *root, struct pt_rules *r)
{
	const char *k;
	yaml_node_t *v;
	yaml_node_t *nv = NULL, *no = NULL;

	c->top = c->office = c->case_number = c->units = c->departments = c->categories = c->routing = mark_of(root);
	if (!check_mapping(c, root, "the rules file", top_keys))
		return;
	for (yaml_node_pair_t *p = NULL; next_pair(c, root, &p, &k, &v);) {
		for (unsigned i = 0; top_keys[i]; i++)
			if (!strcmp(k, top_keys[i]))
				c->have |= 1u << i;
		if (!strcmp(k, "version")) {
			r->version = take_int(c, v, "version", 1, 1000);
			nv = v;
		} else if (!strcmp(k, "office")) {
			take_str(c, v, "office", &r->office);
			c->office = mark_of(v);
			no = v;
		} else if (!strcmp(k, "case_number")) {
			take_str(c, v, "case_number", &r->case_number);
			c->case_number = mark_of(v);
		} else if (!strcmp(k, "units")) {
			c->units = mark_of(v);
			PARSE_LIST(c, v, "units", r->units, r->nunits, parse_unit);
		} else if (!strcmp(k, "leaders")) {
			PARSE_LIST(c, v, "leaders", r->leaders, r->nleaders, parse_leader);
		} else if (!strcmp(k, "departments")) {
			c->departments = mark_of(v);
			PARSE_LIST(c, v, "departments", r->departments, r->ndepartments, parse_department);
		} else if (!strcmp(k, "categories")) {
			c->categories = mark_of(v);
			PARSE_LIST(c, v, "categories", r->categories, r->ncategories, parse_category);
		} else if (!strcmp(k, "reception")) {
			parse_reception(c, v, r);
		} else if (!strcmp(k, "deadlines")) {
			PARSE_LIST(c, v, "deadlines", r->deadlines, r->ndeadlines, parse_deadline);
		} else if (!strcmp(k, "calendar")) {
			PARSE_LIST(c, v, "calendar", r->cal_years, r->ncal_years, parse_cal_year);
		} else if (!strcmp(k, "routing")) {
			c->routing = mark_of(v);
			if (v->type == YAML_SEQUENCE_NODE && seq_len(v) == 0 && !c->in_force)
				problem(c, v, "'routing' is an empty list, which routes no case; leave it out to follow "
					"the embedded default's routing, or give at least one rule");
			PARSE_LIST(c, v, "routing", r->routing, r->nrouting, parse_route_rule);
		} else if (!strcmp(k, "intake"))
			parse_intake(c, v, r);
		else if (!strcmp(k, "interview"))
			parse_interview(c, v, r);
		else if (!strcmp(k, "timezone"))
			parse_timezone(c, v, r);
	}
	if (!nv)
		problem(c, root, "the rules file needs 'version: 1'");
	else if (r->version != 1)
		problem(c, nv, "version %d is not known to this program (it reads version 1)", r->version);
	if (!no)
		problem(c, root, "the rules file needs 'office' (the code of the unit keeping the database)");
}

/* ---- checks across sections ---- */

static void at(struct ctx *c, long line, long col, const char *fmt, ...) PT_PRINTF(4, 5);

static void at(struct ctx *c, long line, long col, const char *fmt, ...)
{
	struct pt_buf b = PT_BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	pt_buf_vaddf(&b, fmt, ap);
	va_end(ap);
	pt_errlist_add(c->problems, PT_ECONFIG, c->source, line, col, "%s", b.buf);
	pt_buf_release(&b);
}

static const struct pt_unit *unit_by_code(const struct pt_rules *r, const char *code)
{
	for (size_t i = 0; i < r->nunits; i++)
		if (r->units[i].code && !strcmp(r->units[i].code, code))
			return &r->units[i];
	return NULL;
}

static const struct pt_category *category_named(const struct pt_rules *r, const char *name)
{
	for (size_t i = 0; i < r->ncategories; i++)
		if (r->categories[i].name && !strcmp(r->categories[i].name, name))
			return &r->categories[i];
	return NULL;
}

static void check_units(struct ctx *c, struct pt_rules *r)
{
	for (size_t i = 0; i < r->nunits; i++) {
		struct pt_unit *u = &r->units[i];

		for (size_t j = 0; j < i && u->code; j++)
			if (r->units[j].code && !strcmp(r->units[j].code, u->code))
				at(c, u->line, u->col, "unit code '%s' is used twice (first at line %ld)",
				   u->code, r->units[j].line);
		for (size_t j = 0; j < i && u->name; j++)
			if (r->units[j].name && !strcmp(r->units[j].name, u->name))
				at(c, u->line, u->col, "unit name '%s' is used twice (first at line %ld)",
				   u->name, r->units[j].line);
		if (u->parent && !unit_by_code(r, u->parent))
			at(c, u->line, u->col, "unit '%s' has parent '%s', which is not a unit code",
			   u->code ? u->code : "?", u->parent);
	}
	if (r->nunits == 0)
		at(c, c->units.line, c->units.col, "the rules file needs at least one unit under 'units'");
	if (r->office && !unit_by_code(r, r->office))
		at(c, c->office.line, c->office.col, "office '%s' is not the code of a unit in 'units'", r->office);
}

static void check_leaders(struct ctx *c, struct pt_rules *r)
{
	for (size_t i = 0; i < r->nleaders; i++) {
		struct pt_leader *l = &r->leaders[i];

		for (size_t j = 0; j < i && l->name; j++)
			if (r->leaders[j].name && !strcmp(r->leaders[j].name, l->name))
				at(c, l->line, l->col, "leader '%s' is listed twice (first at line %ld)",
				   l->name, r->leaders[j].line);
		if (!l->unit && r->office) {
			/* The office's own leader; a bad office is reported once, above. */
			l->unit = pt_xstrdup(r->office);
		} else if (l->unit && !unit_by_code(r, l->unit))
			at(c, l->line, l->col, "leader '%s' has unit '%s', which is not a unit code",
			   l->name ? l->name : "?", l->unit);
		for (size_t k = 0; k < l->charge.n; k++)
			if (!category_named(r, l->charge.v[k]))
				at(c, l->line, l->col, "leader '%s' is in charge of '%s', which is not a category",
				   l->name ? l->name : "?", l->charge.v[k]);
	}
}

static void check_departments(struct ctx *c, struct pt_rules *r)
{
	size_t petition = 0, opener = 0;

	for (size_t i = 0; i < r->ndepartments; i++) {
		struct pt_department *d = &r->departments[i];

		petition += d->petition;
		opener += d->opens_letters;
		for (size_t j = 0; j < i && d->name; j++)
			if (r->departments[j].name && !strcmp(r->departments[j].name, d->name))
				at(c, d->line, d->col, "department '%s' is listed twice", d->name);
		for (size_t j = 0; j < r->nleaders && d->name; j++)
			if (r->leaders[j].name && !strcmp(r->leaders[j].name, d->name))
				at(c, d->line, d->col, "'%s' is both a leader and a department", d->name);
	}
	if (petition != 1)
		at(c, c->departments.line, c->departments.col,
		   "exactly one department needs 'petition: true' (the petition department); found %zu", petition);
	if (opener > 1)
		at(c, c->departments.line, c->departments.col,
		   "at most one department may have 'opens_letters: true'; found %zu", opener);
}

static void check_categories(struct ctx *c, struct pt_rules *r)
{
	if (r->ncategories == 0)
		at(c, c->categories.line, c->categories.col,
		   "the rules file needs at least one category under 'categories'");
	for (size_t i = 0; i < r->ncategories; i++) {
		struct pt_category *cat = &r->categories[i];

		for (size_t j = 0; j < i && cat->name; j++)
			if (r->categories[j].name && !strcmp(r->categories[j].name, cat->name))
				at(c, cat->line, cat->col, "category '%s' is listed twice (first at line %ld)",
				   cat->name, r->categories[j].line);
		for (size_t k = 0; k < cat->aliases.n; k++) {
			const char *alias = cat->aliases.v[k];
			const struct pt_category *o = category_named(r, alias);

			if (o)
				at(c, cat->line, cat->col, "alias '%s' of '%s' is the name of a category (line %ld)",
				   alias, cat->name ? cat->name : "?", o->line);
			for (size_t j = 0; j < i; j++)
				for (size_t m = 0; m < r->categories[j].aliases.n; m++)
					if (!strcmp(r->categories[j].aliases.v[m], alias))
						at(c, cat->line, cat->col,
						   "alias '%s' of '%s' is also an alias of '%s' (line %ld)", alias,
						   cat->name ? cat->name : "?",
						   r->categories[j].name ? r->categories[j].name : "?",
						   r->categories[j].line);
		}
	}
}

static void check_deadlines(struct ctx *c, struct pt_rules *r)
{
	for (size_t i = 0; i < r->ndeadlines; i++)
		for (size_t j = 0; j < i; j++)
			if (r->deadlines[i].name && r->deadlines[j].name &&
			    !strcmp(r->deadlines[i].name, r->deadlines[j].name))
				at(c, r->deadlines[i].line, r->deadlines[i].col,
				   "deadline '%s' is listed twice (first at line %ld)", r->deadlines[i].name,
				   r->deadlines[j].line);
}

/* Whether a routing rule sends cases to a target. */
static bool routing_uses(const struct pt_rules *r, enum pt_route_target to)
{
	for (size_t i = 0; i < r->nrouting; i++)
		for (size_t k = 0; k < r->routing[i].nsteps; k++)
			if (r->routing[i].steps[k].to == to)
				return true;
	return false;
}

/* Two leaders of one unit in charge of one category, or two principals, would make routing
 * to them depend on the order of the list: a problem only in rules that route so (rules
 * stored before routing existed stay valid). */
static void check_charges(struct ctx *c, struct pt_rules *r)
{
	bool by_charge = routing_uses(r, PT_TO_LEADER_IN_CHARGE), by_principal = routing_uses(r, PT_TO_PRINCIPAL);

	for (size_t i = 0; i < r->nleaders; i++) {
		const struct pt_leader *l = &r->leaders[i];

		for (size_t j = 0; j < i && l->name && l->unit; j++) {
			const struct pt_leader *o = &r->leaders[j];

			if (!o->unit || strcmp(o->unit, l->unit))
				continue;
			if (by_principal && l->principal && o->principal)
				at(c, l->line, l->col, "%s and %s (line %ld) are both the principal leader of %s",
				   l->name, o->name ? o->name : "?", o->line, l->unit);
			for (size_t a = 0; by_charge && a < l->charge.n; a++)
				for (size_t b = 0; b < o->charge.n; b++)
					if (!strcmp(l->charge.v[a], o->charge.v[b]))
						at(c, l->line, l->col, "%s and %s (line %ld) are both in charge of '%s'",
						   l->name, o->name ? o->name : "?", o->line, l->charge.v[a]);
		}
	}
}

/* A problem with a routing rule, at (line, col); one of the embedded default's, taken because
 * the text has no routing, is placed at the top of the text and said to be the default's. */
static void route_at(struct ctx *c, const struct pt_route_rule *rr, long line, long col, const char *fmt, ...)
	PT_PRINTF(5, 6);

static void route_at(struct ctx *c, const struct pt_route_rule *rr, long line, long col, const char *fmt, ...)
{
	struct pt_buf b = PT_BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	pt_buf_vaddf(&b, fmt, ap);
	va_end(ap);
	if (rr->from_default)
		at(c, c->top.line, c->top.col, "%s (a rule of the embedded default's routing, in force because the file "
		   "has no 'routing': write your own)", b.buf);
	else
		at(c, line, col, "%s", b.buf);
	pt_buf_release(&b);
}

static void check_route_step(struct ctx *c, const struct pt_rules *r, const struct pt_route_rule *rr,
			     const struct pt_route_step *st)
{
	const char *who = rr->name ? rr->name : "?";

	if (st->to == PT_TO_NAME && st->name && !pt_rules_leader(r, st->name) && !pt_rules_department(r, st->name)) {
		size_t n = r->nleaders + r->ndepartments, k = 0;
		const char **names = pt_xcalloc(n + 1, sizeof *names);
		const char *near;

		for (size_t i = 0; i < r->nleaders; i++)
			if (r->leaders[i].name)
				names[k++] = r->leaders[i].name;
		for (size_t i = 0; i < r->ndepartments; i++)
			if (r->departments[i].name)
				names[k++] = r->departments[i].name;
		near = pt_closest(st->name, names, k);
		route_at(c, rr, st->line, st->col, "routing rule '%s': '%s' is not a leader or department in the rules%s%s%s",
		   who, st->name, near ? " (did you mean '" : "", near ? near : "", near ? "'?)" : "");
		free(names);
	}
	if (st->to == PT_TO_LETTER_OFFICE && !pt_rules_letter_office(r) && !rr->from_default)
		route_at(c, rr, st->line, st->col, "routing rule '%s': letter_office, but no department has 'opens_letters: true'", who);
	if (st->to == PT_TO_NAMED_LEADER && rr->named != PT_COND_YES)
		route_at(c, rr, st->line, st->col, "routing rule '%s': named_leader needs 'named: true' under 'when'", who);
	if (st->action == PT_ACT_INSTRUCT &&
	    (st->to == PT_TO_LETTER_OFFICE || st->to == PT_TO_PETITION_DEPT ||
	     (st->to == PT_TO_NAME && st->name && pt_rules_department(r, st->name))))
		route_at(c, rr, st->line, st->col, "routing rule '%s': an instruction (阅批) is a leader's, not a department's", who);
}

/* Categories and units in conditions are names the rules know; a category alias is stored
 * as its category, a unit name as its code. */
static void check_route_values(struct ctx *c, const struct pt_rules *r, struct pt_route_rule *rr)
{
	for (size_t i = 0; i < rr->categories.n; i++) {
		const struct pt_category *cat = pt_rules_category(r, rr->categories.v[i]);

		if (!cat) {
			route_at(c, rr, rr->line, rr->col, "routing rule '%s': '%s' is not a category", rr->name ? rr->name : "?",
			   rr->categories.v[i]);
			continue;
		}
		free(rr->categories.v[i]);
		rr->categories.v[i] = pt_xstrdup(cat->name);
	}
	for (size_t i = 0; i < rr->units.n; i++) {
		const struct pt_unit *u = pt_rules_unit(r, rr->units.v[i]);

		if (!u) {
			route_at(c, rr, rr->line, rr->col, "routing rule '%s': '%s' is not a unit", rr->name ? rr->name : "?",
			   rr->units.v[i]);
			continue;
		}
		free(rr->units.v[i]);
		rr->units.v[i] = pt_xstrdup(u->code);
	}
}

bool pt_strv_has(const struct pt_strv *v, const char *s)
{
	for (size_t i = 0; i < v->n; i++)
		if (!strcmp(v->v[i], s))
			return true;
	return false;
}

static void free_route_rule(struct pt_route_rule *rr)
{
	free(rr->name);
	free(rr->title);
	free_strv(&rr->channels);
	free_strv(&rr->categories);
	free_strv(&rr->units);
	for (size_t k = 0; k < rr->nsteps; k++)
		free(rr->steps[k].name);
	free(rr->steps);
}

/* The rules in force with the default's routing and no department that opens letters (a
 * text loaded before routing existed): the default's rules that send letters there are left
 * out, so route never finds nobody to open a letter. */
static void drop_letter_office_rules(struct pt_rules *r)
{
	struct pt_buf names = PT_BUF_INIT;
	size_t kept = 0;

	for (size_t i = 0; i < r->nrouting; i++) {
		struct pt_route_rule *rr = &r->routing[i];
		bool uses = false;

		for (size_t k = 0; k < rr->nsteps; k++)
			uses |= rr->steps[k].to == PT_TO_LETTER_OFFICE;
		if (!uses) {
			r->routing[kept++] = *rr;
			continue;
		}
		pt_buf_addf(&names, "%s%s", names.len ? ", " : "", rr->name);
		free_route_rule(rr);
	}
	r->nrouting = kept;
	note(&r->notes, "routing: the embedded default's rules %s are left out: no department has 'opens_letters: "
	     "true'; load rules with one, or with a routing of their own", names.buf);
	pt_buf_release(&names);
}

static void check_routing(struct ctx *c, struct pt_rules *r)
{
	/* The default's routing sends unnamed letters to the department that opens them: an
	 * office that has none writes its own routing (route must never find nobody there). */
	if (r->nrouting && r->routing[0].from_default && routing_uses(r, PT_TO_LETTER_OFFICE) &&
	    !pt_rules_letter_office(r)) {
		if (c->in_force)
			drop_letter_office_rules(r);
		else
			at(c, c->departments.line, c->departments.col,
			   "the file has no 'routing', so the embedded default's is in force, and it sends unnamed "
			   "letters to letter_office, but no department has 'opens_letters: true': give the department "
			   "whose clerk opens letters 'opens_letters: true', or write your own 'routing'");
	}
	for (size_t i = 0; i < r->nrouting; i++) {
		struct pt_route_rule *rr = &r->routing[i];

		for (size_t j = 0; j < i && rr->name; j++)
			if (r->routing[j].name && !strcmp(r->routing[j].name, rr->name))
				route_at(c, rr, rr->line, rr->col, "routing rule '%s' is listed twice (first at line %ld)",
				   rr->name, r->routing[j].line);
		check_route_values(c, r, rr);
		if (rr->named == PT_COND_YES && rr->channels.n && !pt_strv_has(&rr->channels, "letter"))
			route_at(c, rr, rr->line, rr->col, "routing rule '%s': 'named: true' is about letters, and the rule takes no letters",
			   rr->name ? rr->name : "?");
		for (size_t k = 0; k < rr->nsteps; k++)
			check_route_step(c, r, rr, &rr->steps[k]);
	}
}

static void check_reception(struct ctx *c, struct pt_rules *r)
{
	for (size_t i = 0; i < r->reception.nplaces; i++) {
		const char *u = r->reception.places[i].unit;

		if (u && !unit_by_code(r, u))
			at(c, c->top.line, c->top.col, "reception place for '%s', which is not a unit code", u);
	}
}

static void check_calendar(struct ctx *c, struct pt_rules *r)
{
	for (size_t i = 0; i < r->ncal_years; i++)
		for (size_t j = 0; j < i; j++)
			if (r->cal_years[i].year && r->cal_years[i].year == r->cal_years[j].year)
				at(c, r->cal_years[i].line, r->cal_years[i].col,
				   "the calendar of %d is given twice (first at line %ld)", r->cal_years[i].year,
				   r->cal_years[j].line);
}

static void check_case_number(struct ctx *c, struct pt_rules *r)
{
	const char *p = r->case_number;

	if (!p)
		return;
	if (!strstr(p, "{unit}") || !strstr(p, "{year}") || !strstr(p, "{seq"))
		at(c, c->case_number.line, c->case_number.col, "case_number '%s' must contain {unit}, {year} and {seq} (or {seq:0N})", p);
	for (p = strchr(p, '{'); p; p = strchr(p + 1, '{')) {
		if (!strncmp(p, "{unit}", 6) || !strncmp(p, "{year}", 6) || !strncmp(p, "{seq}", 5))
			continue;
		if (!strncmp(p, "{seq:0", 6) && p[6] >= '1' && p[6] <= '9' && p[7] == '}')
			continue;
		at(c, c->case_number.line, c->case_number.col, "case_number '%s': unknown field at '%.10s' ({unit}, {year}, {seq}, {seq:0N})",
		   r->case_number, p);
	}
	/* Two units must never make the same number: the fields need text between them, and
	 * that text may not occur in a unit code (unit A-1 with seq 2 against unit A with 1-2). */
	if (strstr(r->case_number, "}{"))
		at(c, c->case_number.line, c->case_number.col,
		   "case_number '%s': put text between the fields (as in {unit}-{year}-{seq:06})", r->case_number);
	for (size_t i = 0; i < r->nunits; i++) {
		const char *code = r->units[i].code;
		bool in_field = false;

		for (p = r->case_number; code && *p;) {
			size_t len = 1;

			while (((unsigned char)p[len] & 0xc0) == 0x80)
				len++; /* one whole UTF-8 character */
			if (*p == '{' || *p == '}') {
				in_field = *p == '{';
			} else if (!in_field && memmem(code, strlen(code), p, len)) {
				at(c, r->units[i].line, r->units[i].col,
				   "unit code '%s' contains '%.*s', which separates the parts of case_number '%s'",
				   code, (int)len, p, r->case_number);
				break;
			}
			p += len;
		}
	}
}

/* ---- what the embedded default supplies ---- */

static bool gives(const struct ctx *c, int key)
{
	return c->have & (1u << key);
}

/* Move a whole list section from the default (which is freed afterwards) to r. */
#define TAKE_LIST(dst, ndst, src, nsrc)                                                             \
	do {                                                                                        \
		(dst) = (src);                                                                      \
		(ndst) = (nsrc);                                                                    \
		(src) = NULL;                                                                       \
		(nsrc) = 0;                                                                         \
	} while (0)

/* Move one item of a default's list to the end of r's, leaving a zeroed item behind. */
#define TAKE_ITEM(dst, ndst, item)                                                                  \
	do {                                                                                        \
		(dst) = pt_xrealloc((dst), ((ndst) + 1) * sizeof *(dst));                           \
		(dst)[(ndst)++] = *(item);                                                          \
		memset((item), 0, sizeof *(item));                                                  \
	} while (0)

static bool deadline_named(const struct pt_rules *r, const char *name)
{
	for (size_t i = 0; i < r->ndeadlines; i++)
		if (r->deadlines[i].name && !strcmp(r->deadlines[i].name, name))
			return true;
	return false;
}

static void take_deadlines(const struct ctx *c, struct pt_rules *r, struct pt_rules *base)
{
	struct pt_buf names = PT_BUF_INIT;

	if (!gives(c, TOP_DEADLINES)) {
		TAKE_LIST(r->deadlines, r->ndeadlines, base->deadlines, base->ndeadlines);
		for (size_t i = 0; i < r->ndeadlines; i++)
			pt_buf_addf(&names, "%s%s", i ? ", " : "", r->deadlines[i].name);
		note(&r->notes, "deadlines: not in the file; the embedded default's are in force (%s)", names.buf);
	} else {
		for (size_t i = 0; i < base->ndeadlines; i++) {
			struct pt_deadline_rule *d = &base->deadlines[i];

			if (!d->statutory || deadline_named(r, d->name))
				continue;
			pt_buf_addf(&names, "%s%s", names.len ? ", " : "", d->name);
			TAKE_ITEM(r->deadlines, r->ndeadlines, d);
		}
		if (names.len)
			note(&r->notes, "deadlines: the file does not list the statutory %s; the embedded default's are in force",
			     names.buf);
	}
	pt_buf_release(&names);
}

static void take_calendar(const struct ctx *c, struct pt_rules *r, struct pt_rules *base)
{
	struct pt_buf years = PT_BUF_INIT;

	for (size_t i = 0; i < base->ncal_years; i++) {
		struct pt_cal_year *y = &base->cal_years[i];

		if (pt_rules_cal_year(r, y->year))
			continue;
		pt_buf_addf(&years, "%s%d", years.len ? ", " : "", y->year);
		TAKE_ITEM(r->cal_years, r->ncal_years, y);
	}
	if (years.len)
		note(&r->notes, "calendar: %s; the embedded default's years %s are in force",
		     gives(c, TOP_CALENDAR) ? "the file does not give every year" : "not in the file", years.buf);
	pt_buf_release(&years);
}

/* The default's reception, but for the places of units the text does not list. */
static void take_reception(struct pt_rules *r, struct pt_rules *base)
{
	struct pt_reception_rules *rc = &r->reception;
	size_t kept = 0;

	free(rc->form);
	free(rc->places);
	*rc = base->reception;
	memset(&base->reception, 0, sizeof base->reception);
	for (size_t i = 0; i < rc->nplaces; i++) {
		if (unit_by_code(r, rc->places[i].unit)) {
			rc->places[kept++] = rc->places[i];
			continue;
		}
		free(rc->places[i].unit);
		free(rc->places[i].place);
	}
	note(&r->notes, "reception: not in the file; the embedded default's is in force%s",
	     kept < rc->nplaces ? " (but for its places of units the file does not list)" : "");
	rc->nplaces = kept;
}

/* What the text leaves out is the default's: a section it does not give, a statutory
 * deadline it does not list, a year of the calendar; each is noted. Office, units,
 * leaders and departments are the office's alone. */
static void take_default(const struct ctx *c, struct pt_rules *r, struct pt_rules *base)
{
	if (!gives(c, TOP_CASE_NUMBER)) {
		free(r->case_number);
		r->case_number = base->case_number;
		base->case_number = NULL;
		note(&r->notes, "case_number: not in the file; the embedded default's \"%s\" is in force", r->case_number);
	}
	if (!gives(c, TOP_CATEGORIES)) {
		TAKE_LIST(r->categories, r->ncategories, base->categories, base->ncategories);
		note(&r->notes, "categories: not in the file; the embedded default's %zu are in force", r->ncategories);
	}
	if (!gives(c, TOP_INTAKE)) {
		r->collective_persons = base->collective_persons;
		r->repeat_window_days = base->repeat_window_days;
		note(&r->notes, "intake: not in the file; the embedded default's is in force (collective_persons %d, "
		     "repeat_window_days %d)", r->collective_persons, r->repeat_window_days);
	}
	take_calendar(c, r, base);
	take_deadlines(c, r, base);
	if (!gives(c, TOP_RECEPTION))
		take_reception(r, base);
	if (!gives(c, TOP_ROUTING) || (c->in_force && !r->nrouting)) {
		free(r->routing);
		TAKE_LIST(r->routing, r->nrouting, base->routing, base->nrouting);
		for (size_t i = 0; i < r->nrouting; i++)
			r->routing[i].from_default = true;
		note(&r->notes, "routing: not in the file; the embedded default's %zu rules are in force", r->nrouting);
	}
	if (!gives(c, TOP_INTERVIEW)) {
		memcpy(r->interview, base->interview, sizeof r->interview);
		note(&r->notes, "interview: not in the file; the embedded default's thresholds are in force");
	}
}

/* ---- entry points ---- */

/* The line and column (in characters) of a byte offset of the text. */
static void place_of(const char *text, size_t offset, long *line, long *col)
{
	*line = 1;
	*col = 1;
	for (size_t i = 0; i < offset && text[i]; i++) {
		if (text[i] == '\n') {
			++*line;
			*col = 1;
		} else if (((unsigned char)text[i] & 0xc0) != 0x80) {
			++*col;
		}
	}
}

static void yaml_problem(struct ctx *c, yaml_parser_t *p, const char *text)
{
	struct pt_buf b = PT_BUF_INIT;
	long line = (long)p->problem_mark.line + 1, col = (long)p->problem_mark.column + 1;

	if (p->error == YAML_READER_ERROR) { /* bad UTF-8: libyaml gives a byte's offset only */
		size_t at = p->problem_offset;

		/* a bad or missing trailing byte: the place is where its character starts */
		for (int k = 0; k < 3 && at > 0 && p->problem && !strstr(p->problem, "leading") &&
				((unsigned char)text[at] & 0xc0) != 0xc0 && ((unsigned char)text[at - 1] & 0x80); k++)
			at--;
		place_of(text, at, &line, &col);
		pt_buf_addf(&b, "not UTF-8 (%s, byte 0x%02x); save the file as UTF-8", p->problem ? p->problem : "error",
			    (unsigned char)text[at]);
	} else {
		pt_buf_addf(&b, "YAML syntax: %s", p->problem ? p->problem : "error");
	}
	if (p->context)
		pt_buf_addf(&b, " %s that starts at %zu:%zu", p->context, p->context_mark.line + 1,
			    p->context_mark.column + 1);
	pt_errlist_add(c->problems, PT_ECONFIG, c->source, line, col, "%s", b.buf);
	pt_buf_release(&b);
}

/* Deeper than any rules file needs: the default nests 4 levels (a deadline's done_by, a
 * routing rule's conditions), an office's own may add a few. */
#define MAX_DEPTH 32
/* More values than any rules file needs: the default has under 1,000, a city office with
 * its every township union as a unit (some 1,000) about 10,000. */
#define MAX_VALUES 20000

/* Refuse nesting deeper than MAX_DEPTH, or more than MAX_VALUES values, before
 * yaml_parser_load() builds the document: libyaml spends time growing with the square of
 * the depth (each token looks at every open flow level: 5 s for 30,000 brackets), and a
 * document of millions of values takes seconds and a gigabyte, while this pass over its
 * events stops at either limit. So any file up to the size cap is judged in well under a
 * second (bench/rules.sh). A syntax error ends the pass; the load reports it. */
static bool too_big(struct ctx *c, const char *text, size_t len)
{
	yaml_parser_t parser;
	yaml_event_t ev;
	long depth = 0, values = 0;
	bool big = false, end = false;

	yaml_parser_initialize(&parser);
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	while (!big && !end && yaml_parser_parse(&parser, &ev)) {
		if (ev.type == YAML_SEQUENCE_START_EVENT || ev.type == YAML_MAPPING_START_EVENT)
			depth++;
		else if (ev.type == YAML_SEQUENCE_END_EVENT || ev.type == YAML_MAPPING_END_EVENT)
			depth--;
		values += ev.type == YAML_SCALAR_EVENT || ev.type == YAML_ALIAS_EVENT;
		end = ev.type == YAML_STREAM_END_EVENT;
		if ((big = depth > MAX_DEPTH || values > MAX_VALUES))
			pt_errlist_add(c->problems, PT_ECONFIG, c->source, (long)ev.start_mark.line + 1,
				       (long)ev.start_mark.column + 1, depth > MAX_DEPTH ? "nested deeper than %d levels; "
				       "no rules file needs that" : "more than %d values; no rules file needs that",
				       depth > MAX_DEPTH ? MAX_DEPTH : MAX_VALUES);
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&parser);
	return big;
}

/* One rules file is one YAML document; a second one ("---") would be silently ignored. */
static void reject_more_documents(struct ctx *c, yaml_parser_t *parser, const char *text)
{
	yaml_document_t more;
	yaml_node_t *root;

	if (!yaml_parser_load(parser, &more)) {
		yaml_problem(c, parser, text);
		return;
	}
	root = yaml_document_get_root_node(&more);
	if (root)
		pt_errlist_add(c->problems, PT_ECONFIG, c->source, (long)root->start_mark.line + 1,
			       (long)root->start_mark.column + 1,
			       "a second YAML document; a rules file is one document");
	yaml_document_delete(&more);
}

/* Parse a text; with `base` (the embedded default, parsed), what the law and the default
 * supply is taken from it (which leaves it in pieces, to be freed). */
static struct pt_rules *parse_rules(const char *text, size_t len, const char *source,
				    struct pt_errlist *problems, struct pt_rules *base, bool in_force)
{
	struct pt_rules *r = pt_xcalloc(1, sizeof *r);
	struct ctx c;

	memset(&c, 0, sizeof c);
	c.source = source;
	c.problems = problems;
	c.base = base;
	c.in_force = in_force;
	c.notes = &r->notes;
	size_t before = problems->n;
	yaml_parser_t parser;
	yaml_document_t doc;
	yaml_node_t *root = NULL;

	r->source = pt_xstrdup(source);
	r->text = pt_xstrndup(text, len);
	pt_sha256_hex(text, len, r->sha256);
	r->case_number = pt_xstrdup("{unit}-{year}-{seq:06}");
	r->collective_persons = 5;
	r->repeat_window_days = 365;
	r->utc_offset = 8 * 60; /* Beijing time, UTC+8 all year */
	/* 临会办〔2014〕36号: province 1 day a month, city and county 2, township any time. */
	r->reception.min_days[PT_LEVEL_PROVINCE] = 1;
	r->reception.min_days[PT_LEVEL_CITY] = 2;
	r->reception.min_days[PT_LEVEL_COUNTY] = 2;
	r->reception.notice_days = 2;
	r->reception.form = pt_xstrdup("定点接访");

	if (strlen(r->text) != len) {
		pt_errlist_add(problems, PT_ECONFIG, source, 0, 0, "contains a NUL byte");
		goto out;
	}
	if (too_big(&c, text, len))
		goto out;
	yaml_parser_initialize(&parser);
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	if (!yaml_parser_load(&parser, &doc)) {
		yaml_problem(&c, &parser, text);
		yaml_parser_delete(&parser);
		goto out;
	}
	c.doc = &doc;
	root = yaml_document_get_root_node(&doc);
	if (!root)
		pt_errlist_add(problems, PT_ECONFIG, source, 0, 0, "the rules file is empty");
	else
		parse_top(&c, root, r);
	yaml_document_delete(&doc);
	if (root)
		reject_more_documents(&c, &parser, text);
	yaml_parser_delete(&parser);
	/* The checks across sections run even after problems above, so that a check lists
	 * everything at once; they skip what is missing. */
	if (root) {
		if (base)
			take_default(&c, r, base);
		check_units(&c, r);
		check_leaders(&c, r);
		check_departments(&c, r);
		check_categories(&c, r);
		check_case_number(&c, r);
		check_calendar(&c, r);
		check_deadlines(&c, r);
		check_reception(&c, r);
		check_charges(&c, r);
		check_routing(&c, r);
	}
out:
	if (problems->n != before) {
		pt_rules_free(r);
		return NULL;
	}
	r->calendar = pt_calendar_new(r->cal_years, r->ncal_years);
	return r;
}

/* A text with what the law and the default supply; `in_force` for the rules in force. */
static struct pt_rules *parse_with_default(const char *text, size_t len, const char *source,
					   struct pt_errlist *problems, bool in_force)
{
	const char *def = pt_rules_default_text();
	struct pt_errlist none = PT_ERRLIST_INIT;
	struct pt_rules *base, *r;

	/* The default is complete and lawful by itself: merged with itself it is itself, and
	 * most offices run on it, so it is parsed once, not twice, on every command. */
	if (len == strlen(def) && !memcmp(text, def, len))
		return parse_rules(text, len, source, problems, NULL, in_force);
	base = parse_rules(def, strlen(def), "(default)", &none, NULL, false);
	if (!base) /* a bug: t0002 checks the default */
		pt_errlist_add(problems, PT_EINTERNAL, source, 0, 0, "the embedded default rules are invalid: %s",
			       none.v[0].msg);
	r = base ? parse_rules(text, len, source, problems, base, in_force) : NULL;
	pt_rules_free(base);
	pt_errlist_release(&none);
	return r;
}

struct pt_rules *pt_rules_parse(const char *text, size_t len, const char *source,
				struct pt_errlist *problems)
{
	return parse_with_default(text, len, source, problems, false);
}

static struct pt_rules *parse_or_fail(const char *text, size_t len, const char *source,
				      struct pt_errlist *problems, bool in_force, struct pt_err *e)
{
	struct pt_errlist local = PT_ERRLIST_INIT;
	struct pt_errlist *l = problems ? problems : &local;
	size_t before = l->n;
	struct pt_rules *r = parse_with_default(text, len, source, l, in_force);

	if (!r) {
		struct pt_err *first = &l->v[before];

		pt_err_at(e, PT_ECONFIG, first->file, first->line, first->col, "%s", first->msg);
		if (l->n - before > 1)
			pt_err_prefix(e, "%zu problems, the first", l->n - before);
	}
	pt_errlist_release(&local);
	return r;
}

static int read_file(const char *path, struct pt_buf *out, struct pt_err *e)
{
	FILE *f = fopen(path, "rb");
	char chunk[8192];
	size_t n;

	if (!f)
		return pt_err_set(e, errno == ENOENT ? PT_ENOINPUT : PT_EIO, "cannot read %s: %s", path,
				  strerror(errno));
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
		pt_buf_add(out, chunk, n);
		if (out->len > 16 * 1024 * 1024) {
			fclose(f);
			return pt_err_at(e, PT_ECONFIG, path, 0, 0, "larger than 16 MiB, which no rules file is");
		}
	}
	if (ferror(f)) {
		fclose(f);
		return pt_err_set(e, PT_EIO, "cannot read %s: %s", path, strerror(errno));
	}
	fclose(f);
	return 0;
}

struct pt_rules *pt_rules_load_file(const char *path, struct pt_errlist *problems, struct pt_err *e)
{
	struct pt_buf text = PT_BUF_INIT;
	struct pt_rules *r = NULL;

	if (read_file(path, &text, e) == 0)
		r = parse_or_fail(pt_buf_str(&text), text.len, path, problems, false, e);
	else if (e->kind == PT_ECONFIG && problems) /* too large: a problem of the file, as any other */
		pt_errlist_add(problems, e->kind, e->file, 0, 0, "%s", e->msg);
	pt_buf_release(&text);
	return r;
}

struct pt_rules *pt_rules_from_db(struct pt_db *db, struct pt_err *e)
{
	sqlite3_stmt *st = NULL;
	struct pt_rules *r = NULL;
	int rc;

	if (pt_db_prepare(db, "SELECT text FROM rules WHERE kind = 'load' ORDER BY id DESC LIMIT 1", &st, e))
		return NULL;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		const char *text = (const char *)sqlite3_column_text(st, 0);
		size_t len = (size_t)sqlite3_column_bytes(st, 0);

		r = parse_or_fail(text ? text : "", len, "(rules in the database)", NULL, true, e);
		if (r)
			r->from_db = true;
	} else if (rc == SQLITE_DONE) {
		pt_err_set(e, PT_ECONFIG, "database %s holds no rules; run 'petition init'", db->path);
	} else {
		pt_db_fail(db, rc, "cannot read the rules", e);
	}
	sqlite3_finalize(st);
	return r;
}

struct pt_rules *pt_rules_for_run(struct pt_db *db, const char *override, struct pt_err *e)
{
	if (override && *override)
		return pt_rules_load_file(override, NULL, e);
	return pt_rules_from_db(db, e);
}

/* Whether these rules are recorded already: for 'load', as the rules in force; for
 * 'override', as any row. */
void pt_rules_free(struct pt_rules *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->nunits; i++) {
		free(r->units[i].code);
		free(r->units[i].name);
		free(r->units[i].parent);
	}
	for (size_t i = 0; i < r->nleaders; i++) {
		free(r->leaders[i].name);
		free(r->leaders[i].unit);
		free(r->leaders[i].post);
		free_strv(&r->leaders[i].charge);
	}
	for (size_t i = 0; i < r->ndepartments; i++)
		free(r->departments[i].name);
	for (size_t i = 0; i < r->ncategories; i++) {
		free(r->categories[i].name);
		free_strv(&r->categories[i].aliases);
	}
	for (size_t i = 0; i < r->ncal_years; i++) {
		for (size_t h = 0; h < r->cal_years[i].nholidays; h++)
			free(r->cal_years[i].holidays[h].name);
		free(r->cal_years[i].holidays);
		free(r->cal_years[i].workdays);
		free(r->cal_years[i].source);
	}
	free(r->cal_years);
	pt_calendar_free(r->calendar);
	for (size_t i = 0; i < r->ndeadlines; i++) {
		struct pt_deadline_rule *d = &r->deadlines[i];

		free(d->name);
		free(d->title);
		free(d->from);
		free(d->when);
		free(d->basis);
		free_strv(&d->done_by);
	}
	free(r->deadlines);
	for (size_t i = 0; i < r->reception.nplaces; i++) {
		free(r->reception.places[i].unit);
		free(r->reception.places[i].place);
	}
	free(r->reception.places);
	free(r->reception.form);
	for (size_t i = 0; i < r->nrouting; i++)
		free_route_rule(&r->routing[i]);
	free(r->routing);
	free(r->units);
	free(r->leaders);
	free(r->departments);
	free(r->categories);
	free(r->source);
	free(r->text);
	free(r->office);
	free(r->case_number);
	free_strv(&r->notes);
	free(r);
}

const struct pt_unit *pt_rules_unit(const struct pt_rules *r, const char *code_or_name)
{
	const struct pt_unit *u = unit_by_code(r, code_or_name);

	for (size_t i = 0; !u && i < r->nunits; i++)
		if (!strcmp(r->units[i].name, code_or_name))
			u = &r->units[i];
	return u;
}

const struct pt_leader *pt_rules_leader(const struct pt_rules *r, const char *name)
{
	for (size_t i = 0; i < r->nleaders; i++)
		if (r->leaders[i].name && !strcmp(r->leaders[i].name, name))
			return &r->leaders[i];
	return NULL;
}

const struct pt_category *pt_rules_category(const struct pt_rules *r, const char *name_or_alias)
{
	const struct pt_category *c = category_named(r, name_or_alias);

	for (size_t i = 0; !c && i < r->ncategories; i++)
		for (size_t k = 0; k < r->categories[i].aliases.n; k++)
			if (!strcmp(r->categories[i].aliases.v[k], name_or_alias))
				return &r->categories[i];
	return c;
}

const char *pt_rules_level_label(const struct pt_unit *u)
{
	return pt_vocab_label(PT_VOCAB_LEVEL, pt_vocab_code_at(PT_VOCAB_LEVEL, u->level));
}

void pt_rules_suggest(const struct pt_rules *r, enum pt_rules_names which, const char *word, struct pt_buf *out)
{
	const char **names = NULL;
	const char *near;
	size_t n = 0, max = 2 * r->nunits + r->nleaders + r->ndepartments + r->ncategories;

	for (size_t i = 0; i < r->ncategories; i++)
		max += r->categories[i].aliases.n;
	names = pt_xmalloc((max + 1) * sizeof *names);
	for (size_t i = 0; which == PT_RULES_UNITS && i < r->nunits; i++) {
		names[n++] = r->units[i].code;
		names[n++] = r->units[i].name;
	}
	for (size_t i = 0; (which == PT_RULES_LEADERS || which == PT_RULES_HOLDERS) && i < r->nleaders; i++)
		names[n++] = r->leaders[i].name;
	for (size_t i = 0; which == PT_RULES_HOLDERS && i < r->ndepartments; i++)
		names[n++] = r->departments[i].name;
	for (size_t i = 0; which == PT_RULES_CATEGORIES && i < r->ncategories; i++) {
		names[n++] = r->categories[i].name;
		for (size_t k = 0; k < r->categories[i].aliases.n; k++)
			names[n++] = r->categories[i].aliases.v[k];
	}
	/* One character off only: two differ between 北京市总工会 and 临沂市总工会, which is
	 * another union, not a slip of the pen. */
	if (word && (near = pt_closest(word, names, n)) && pt_edit_distance(word, near) == 1)
		pt_buf_addf(out, " (did you mean '%s'?)", near);
	free(names);
}

int pt_rules_unknown(const struct pt_rules *r, enum pt_rules_names which, struct pt_err *e, int kind,
		     const char *field, const char *value)
{
	static const char *const what[] = { "unit", "leader", "leader or department", "category" };
	struct pt_buf near = PT_BUF_INIT;

	pt_rules_suggest(r, which, value, &near);
	pt_err_field(e, kind, "", field, ": '%s' is not a %s in the rules (petition rules show)%s", value, what[which],
		     pt_buf_str(&near));
	pt_buf_release(&near);
	return -1;
}

/* Does the unit have leaders of its own in the rules? */
static bool unit_has_leaders(const struct pt_rules *r, const char *unit)
{
	for (size_t i = 0; i < r->nleaders; i++)
		if (r->leaders[i].unit && !strcmp(r->leaders[i].unit, unit))
			return true;
	return false;
}

static const char *leaders_unit(const struct pt_rules *r, const char *unit)
{
	return unit && unit_has_leaders(r, unit) ? unit : r->office;
}

const struct pt_leader *pt_rules_leader_in_charge(const struct pt_rules *r, const char *unit,
						  const char *category)
{
	const char *u = leaders_unit(r, unit);

	for (size_t i = 0; i < r->nleaders; i++)
		if (r->leaders[i].unit && !strcmp(r->leaders[i].unit, u) && pt_strv_has(&r->leaders[i].charge, category))
			return &r->leaders[i];
	return NULL;
}

const struct pt_leader *pt_rules_principal(const struct pt_rules *r, const char *unit)
{
	const char *u = leaders_unit(r, unit);

	for (size_t i = 0; i < r->nleaders; i++)
		if (r->leaders[i].principal && r->leaders[i].unit && !strcmp(r->leaders[i].unit, u))
			return &r->leaders[i];
	return NULL;
}

const struct pt_department *pt_rules_department(const struct pt_rules *r, const char *name)
{
	for (size_t i = 0; i < r->ndepartments; i++)
		if (r->departments[i].name && !strcmp(r->departments[i].name, name))
			return &r->departments[i];
	return NULL;
}

const struct pt_department *pt_rules_petition_department(const struct pt_rules *r)
{
	for (size_t i = 0; i < r->ndepartments; i++)
		if (r->departments[i].petition)
			return &r->departments[i];
	return NULL;
}

const struct pt_department *pt_rules_letter_office(const struct pt_rules *r)
{
	for (size_t i = 0; i < r->ndepartments; i++)
		if (r->departments[i].opens_letters)
			return &r->departments[i];
	return NULL;
}

const struct pt_col pt_rules_history_cols[] = {
	{ "id", true }, { "loaded_at", false }, { "operator", false }, { "source", false },
	{ "sha256", false }, { "kind", false }, { "in_force", false },
};
const size_t pt_rules_history_ncols = sizeof pt_rules_history_cols / sizeof *pt_rules_history_cols;

int pt_rules_history(struct pt_db *db, const struct pt_rules *r, struct pt_fmt *out, struct pt_err *e)
{
	/* The operator is the one of the rules.load event that stored the row. */
	static const char sql[] =
		"SELECT r.id, r.loaded_at, coalesce(ev.operator, ''), r.source, r.sha256, r.kind,"
		" CASE WHEN r.id = (SELECT max(id) FROM rules WHERE kind = 'load') THEN 'yes' ELSE '' END"
		" FROM rules r LEFT JOIN events ev ON ev.kind IN ('rules.load', 'rules.override')"
		" AND json_extract(ev.data, '$.rules_id') = r.id ORDER BY r.id";
	struct pt_buf at = PT_BUF_INIT;
	sqlite3_stmt *st = NULL;
	const char *v[7];
	int rc;

	if (pt_db_prepare(db, sql, &st, e))
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		for (int i = 0; i < 7; i++)
			v[i] = (const char *)sqlite3_column_text(st, i);
		pt_buf_reset(&at);
		pt_time_show(v[1], r->utc_offset, &at);
		v[1] = at.buf;
		if (pt_fmt_row(out, v, e)) {
			rc = SQLITE_ERROR;
			break;
		}
	}
	sqlite3_finalize(st);
	pt_buf_release(&at);
	if (e->kind)
		return -1;
	if (rc != SQLITE_DONE)
		return pt_db_fail(db, rc, "cannot read the rules history", e);
	return 0;
}
