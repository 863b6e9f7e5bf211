/* interview: the interview list (约谈名单) of a period (interview.h, petition-audit(1)
 * "interview"). */
#include "interview.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "case.h"
#include "casefile.h"
#include "compliance.h"
#include "ident.h"
#include "schedule.h"

const struct pt_col pt_interview_cols[] = {
	{ "rank", true }, { "kind", false }, { "unit", false }, { "name", false },
	{ "skip_level", true }, { "dissatisfied", true }, { "reviews", true }, { "overdue", true },
	{ "shuffled", true }, { "findings", true }, { "repeat", true }, { "reasons", false }, { "cases", false },
};
const size_t pt_interview_ncols = sizeof pt_interview_cols / sizeof *pt_interview_cols;

/* The counts in words, by enum pt_interview_count, for the reasons. */
static const char *const count_words[PT_IV_NCOUNTS] = { "越级", "不满意", "复查复核", "逾期", "推诿扯皮", "检查问题" };

/* At most this many case numbers on a row, then "… N more". */
#define MAX_CASES 20

/* A unit or a leader, with its counts, its cases (each once) and the rules of its findings. */
struct entry {
	long long n[PT_IV_NCOUNTS];
	struct pt_buf cases, rules;
	unsigned long long ncases;
	long long last_case;     /* the last case added (cases come in id order) */
	size_t index;            /* in the rules, for a stable order */
	int score;               /* how many counts reach their threshold */
	long long total;
};

struct list {
	struct pt_db *db;
	const struct pt_rules *r;
	const struct pt_interview_query *q;
	struct entry *units, *leaders;
	struct pt_err *e;
};

static bool same(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

static struct entry *unit_entry(struct list *l, const char *code)
{
	const struct pt_unit *u = code ? pt_rules_unit(l->r, code) : NULL;

	if (!u || (l->q->unit && strcmp(l->q->unit, u->code)))
		return NULL;
	return &l->units[u - l->r->units];
}

/* The leader answerable for a case of the unit and category: the one in charge of the
 * category (分管), else the principal, if a leader of that very unit. */
static struct entry *leader_entry(struct list *l, const char *unit, const char *category)
{
	const struct pt_leader *ld = pt_rules_leader_in_charge(l->r, unit, category);

	if (!ld)
		ld = pt_rules_principal(l->r, unit);
	if (!ld || !same(ld->unit ? ld->unit : l->r->office, unit) || !unit_entry(l, unit))
		return NULL;
	return &l->leaders[ld - l->r->leaders];
}

static void add_case(struct entry *x, enum pt_interview_count k, long long n, const struct pt_case *f)
{
	if (!x || n <= 0)
		return;
	x->n[k] += n;
	if (x->last_case == f->id)
		return;
	x->last_case = f->id;
	if (++x->ncases <= MAX_CASES)
		pt_buf_addf(&x->cases, "%s%s", x->ncases > 1 ? " " : "", f->case_no);
}

/* A count for the case's unit and its leader. */
static void count(struct list *l, const char *unit, const struct pt_case *f, enum pt_interview_count k, long long n)
{
	add_case(unit_entry(l, unit), k, n, f);
	add_case(leader_entry(l, unit, f->category), k, n, f);
}

static long long events_of(const struct pt_case_events *ev, const char *a, const char *b)
{
	long long n = 0;

	for (size_t i = 0; i < ev->n; i++)
		n += !strcmp(ev->v[i].kind, a) || !strcmp(ev->v[i].kind, b);
	return n;
}

/* After PT_CASE_COLUMNS in the scan. */
enum { S_SATISFACTION = PT_CASE_NCOLS, S_COMPETENT };

static void count_case(struct list *l, struct pt_schedule_scan *sc)
{
	struct pt_case f;
	const char *sat = (const char *)sqlite3_column_text(sc->cases, S_SATISFACTION);

	pt_case_borrow(sc->cases, &f);
	if (f.skip_level)
		count(l, (const char *)sqlite3_column_text(sc->cases, S_COMPETENT), &f, PT_IV_SKIP_LEVEL, 1);
	count(l, f.unit, &f, PT_IV_DISSATISFIED, sat && !strcmp(sat, "不满意"));
	count(l, f.unit, &f, PT_IV_REVIEWS, events_of(&sc->ev, "review_requested", "rereview_requested"));
	count(l, f.unit, &f, PT_IV_OVERDUE, pt_case_overdue(l->r, &f, &sc->ev, l->q->today));
	count(l, f.unit, &f, PT_IV_SHUFFLED, events_of(&sc->ev, "transferred", "objected") >= 2);
}

/* The counts of the period's cases, in one pass with their events. */
static int count_cases(struct list *l)
{
	struct pt_schedule_scan sc;
	char a[PT_DATE_LEN], b[PT_DATE_LEN];
	int rc;

	rc = pt_schedule_scan_open(l->db, &sc, "SELECT " PT_CASE_COLUMNS ", satisfaction, coalesce(competent_unit, unit)"
				   " FROM petitions WHERE received_on BETWEEN ?1 AND ?2"
				   " AND (?3 IS NULL OR unit = ?3 OR competent_unit = ?3) AND" PT_SEEN("petitions") "ORDER BY id",
				   l->e);
	if (rc == 0) {
		pt_date_format(l->q->first, a);
		pt_date_format(l->q->last, b);
		pt_db_bind_text(sc.cases, 1, a);
		pt_db_bind_text(sc.cases, 2, b);
		pt_db_bind_text(sc.cases, 3, l->q->unit);
		while ((rc = sqlite3_step(sc.cases)) == SQLITE_ROW) {
			if (pt_schedule_scan_events(l->db, &sc, sqlite3_column_int64(sc.cases, PT_CASE_COL_ID), l->e))
				break;
			count_case(l, &sc);
		}
		rc = rc == SQLITE_DONE ? 0 : rc == SQLITE_ROW ? -1 : pt_db_fail(l->db, rc, "cannot read the cases", l->e);
	}
	pt_schedule_scan_close(&sc);
	return rc;
}

/* Whether the space-separated list holds rule as a whole word: LAW-review is not listed by
 * LAW-review_request, which comes before it in the default rules. */
static bool listed(const struct pt_buf *list, const char *rule)
{
	size_t n = strlen(rule);

	for (const char *p = pt_buf_str(list); (p = strstr(p, rule)); p += n)
		if ((p == list->buf || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
			return true;
	return false;
}

static void add_rule(struct entry *x, const char *rule)
{
	if (!x)
		return;
	x->n[PT_IV_FINDINGS]++;
	if (!listed(&x->rules, rule))
		pt_buf_addf(&x->rules, "%s%s", x->rules.len ? " " : "", rule);
}

/* A finding of petition audit check: counted for its unit and the leader it names. */
static int count_finding(void *ctx, const char *const *row, struct pt_err *e)
{
	struct list *l = ctx;
	const char *rule = row[PT_COMPLIANCE_COL_RULE], *leader = row[PT_COMPLIANCE_COL_LEADER];
	const struct pt_leader *ld = leader ? pt_rules_leader(l->r, leader) : NULL;
	struct entry *unit;

	(void)e;
	if (!strncmp(rule, "NOTICE", 6))
		return 0; /* a notice is no breach */
	unit = unit_entry(l, row[PT_COMPLIANCE_COL_UNIT]);
	add_rule(unit, rule);
	if (ld && unit)
		add_rule(&l->leaders[ld - l->r->leaders], rule);
	return 0;
}

static void score(const struct pt_rules *r, struct entry *x)
{
	for (int k = 0; k < PT_IV_NCOUNTS; k++) {
		x->score += r->interview[k] > 0 && x->n[k] >= r->interview[k];
		x->total += x->n[k];
	}
}

static int by_rank(const void *a, const void *b)
{
	const struct entry *x = *(const struct entry *const *)a, *y = *(const struct entry *const *)b;

	if (x->score != y->score)
		return y->score - x->score;
	if (x->total != y->total)
		return y->total < x->total ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

/* "越级 2≥1；检查问题 3≥3（R2.1-reception-days LAW-route）" */
static void reasons(const struct pt_rules *r, const struct entry *x, struct pt_buf *out)
{
	for (int k = 0; k < PT_IV_NCOUNTS; k++) {
		if (r->interview[k] <= 0 || x->n[k] < r->interview[k])
			continue;
		pt_buf_addf(out, "%s%s %lld≥%d", out->len ? "；" : "", count_words[k], x->n[k], r->interview[k]);
		if (k == PT_IV_FINDINGS)
			pt_buf_addf(out, "（%s）", x->rules.buf);
	}
}

/* The listed units (or leaders), ranked, one row each. */
static int write_entries(struct list *l, struct entry *v, size_t n, bool unit, struct pt_fmt *out,
			 unsigned long long *listed)
{
	struct entry **rank = pt_xcalloc(n ? n : 1, sizeof *rank);
	struct pt_buf why = PT_BUF_INIT, cases = PT_BUF_INIT;
	size_t m = 0;
	int rc = 0;

	for (size_t i = 0; i < n; i++) {
		v[i].index = i;
		score(l->r, &v[i]);
		if (v[i].score)
			rank[m++] = &v[i];
	}
	qsort(rank, m, sizeof *rank, by_rank);
	for (size_t i = 0; i < m && rc == 0; i++) {
		const struct entry *x = rank[i];
		char num[PT_IV_NCOUNTS + 1][24];
		const char *row[13];
		const struct pt_leader *ld = unit ? NULL : &l->r->leaders[x->index];

		snprintf(num[PT_IV_NCOUNTS], sizeof num[0], "%zu", i + 1);
		for (int k = 0; k < PT_IV_NCOUNTS; k++)
			snprintf(num[k], sizeof num[k], "%lld", x->n[k]);
		pt_buf_reset(&why);
		reasons(l->r, x, &why);
		pt_buf_reset(&cases);
		pt_buf_adds(&cases, pt_buf_str(&x->cases));
		if (x->ncases > MAX_CASES)
			pt_buf_addf(&cases, " … %llu more", x->ncases - MAX_CASES);
		row[0] = num[PT_IV_NCOUNTS];
		row[1] = unit ? "unit" : "leader";
		row[2] = unit ? l->r->units[x->index].code : ld->unit ? ld->unit : l->r->office;
		row[3] = unit ? l->r->units[x->index].name : ld->name;
		for (int k = 0; k < PT_IV_NCOUNTS; k++)
			row[4 + k] = num[k];
		row[10] = NULL;
		row[11] = why.buf;
		row[12] = cases.len ? cases.buf : NULL;
		rc = pt_fmt_row(out, row, l->e);
		(*listed)++;
	}
	free(rank);
	pt_buf_release(&why);
	pt_buf_release(&cases);
	return rc;
}

/* The petitioners to visit (重点约访), grouped by person, ranked like the units. */
static const char petitioners_sql[] =
	"SELECT max(petitioner), max(unit), sum(dis), sum(skip), sum(rep), group_concat(case_no, ' ') FROM"
	" (SELECT p.id, p.case_no, p.unit, p.petitioner, p.satisfaction IS '不满意' AS dis, p.skip_level AS skip,"
	" " PT_CASE_REPEAT_SQL("p") " AS rep,"
	" coalesce(p.id_number, p.petitioner || '/' || coalesce(p.phone, '')) AS person"
	" FROM petitions p WHERE p.received_on BETWEEN ?1 AND ?2 AND (?3 IS NULL OR p.unit = ?3) AND" PT_SEEN("p")
	"ORDER BY p.id)"
	" GROUP BY person HAVING sum(dis) + sum(skip) + sum(rep) > 0"
	" ORDER BY (sum(dis) > 0) + (sum(skip) > 0) + (sum(rep) > 0) DESC, sum(dis) + sum(skip) + sum(rep) DESC, min(id)";

static int write_petitioners(struct list *l, struct pt_fmt *out, unsigned long long *listed)
{
	static const char *const words[] = { "不满意", "越级", "重复信访" };
	sqlite3_stmt *st = NULL;
	struct pt_buf name = PT_BUF_INIT, why = PT_BUF_INIT;
	char a[PT_DATE_LEN], b[PT_DATE_LEN], rank[24];
	unsigned long long n = 0;
	int rc;

	if (pt_db_prepare(l->db, petitioners_sql, &st, l->e))
		return -1;
	pt_date_format(l->q->first, a);
	pt_date_format(l->q->last, b);
	pt_db_bind_text(st, 1, a);
	pt_db_bind_text(st, 2, b);
	pt_db_bind_text(st, 3, l->q->unit);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *row[13] = { rank, "petitioner" };
		const char *who = (const char *)sqlite3_column_text(st, 0);

		snprintf(rank, sizeof rank, "%llu", ++n);
		pt_buf_reset(&name);
		if (l->q->redact)
			pt_mask_personal("petitioner", who, &name);
		else
			pt_buf_adds(&name, who);
		pt_buf_reset(&why);
		for (int k = 0; k < 3; k++)
			if (sqlite3_column_int64(st, 2 + k) > 0)
				pt_buf_addf(&why, "%s%s %lld", why.len ? "；" : "", words[k],
					    (long long)sqlite3_column_int64(st, 2 + k));
		row[2] = (const char *)sqlite3_column_text(st, 1);
		row[3] = name.buf;
		row[4] = (const char *)sqlite3_column_text(st, 3);
		row[5] = (const char *)sqlite3_column_text(st, 2);
		row[10] = (const char *)sqlite3_column_text(st, 4);
		row[11] = why.buf;
		row[12] = (const char *)sqlite3_column_text(st, 5);
		if (pt_fmt_row(out, row, l->e)) {
			rc = -1;
			break;
		}
	}
	sqlite3_finalize(st);
	pt_buf_release(&name);
	pt_buf_release(&why);
	*listed += n;
	if (rc == -1)
		return -1;
	return rc == SQLITE_DONE ? 0 : pt_db_fail(l->db, rc, "cannot read the petitioners", l->e);
}

static void entries_release(struct entry *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		pt_buf_release(&v[i].cases);
		pt_buf_release(&v[i].rules);
	}
	free(v);
}

int pt_interview_list(struct pt_db *db, const struct pt_rules *r, const struct pt_interview_query *q,
		      struct pt_fmt *out, unsigned long long *listed, struct pt_err *e)
{
	struct pt_compliance_query cq = { q->first, q->last, q->today, q->unit };
	struct list l = { db, r, q, NULL, NULL, e };
	unsigned long long findings = 0;
	int rc;

	*listed = 0;
	l.units = pt_xcalloc(r->nunits ? r->nunits : 1, sizeof *l.units);
	l.leaders = pt_xcalloc(r->nleaders ? r->nleaders : 1, sizeof *l.leaders);
	/* One read transaction: the cases and the findings of one moment. */
	rc = pt_db_exec(db, "BEGIN", e);
	if (rc == 0)
		rc = count_cases(&l);
	if (rc == 0)
		rc = pt_compliance_each(db, r, &cq, count_finding, &l, &findings, e);
	if (rc == 0)
		rc = write_entries(&l, l.units, r->nunits, true, out, listed);
	if (rc == 0)
		rc = write_entries(&l, l.leaders, r->nleaders, false, out, listed);
	if (rc == 0)
		rc = write_petitioners(&l, out, listed);
	sqlite3_exec(db->sql, "COMMIT", NULL, NULL, NULL);
	entries_release(l.units, r->nunits);
	entries_release(l.leaders, r->nleaders);
	return rc;
}
