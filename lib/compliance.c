/* compliance: the duties of 临会办〔2014〕36号 checked against the database and the rules
 * (compliance.h, petition-audit(1) "check"). */
#include "compliance.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cal.h"
#include "casefile.h"
#include "schedule.h"
#include "submission.h"
#include "vocab.h"

const struct pt_col pt_compliance_cols[] = {
	{ "rule", false }, { "basis", false }, { "unit", false }, { "leader", false },
	{ "cases", PT_COL_LIST }, { "what", false }, { "correct_by", false },
};
const size_t pt_compliance_ncols = sizeof pt_compliance_cols / sizeof *pt_compliance_cols;

/* ---- the findings ---- */

struct check {
	struct pt_db *db;
	const struct pt_rules *r;
	const struct pt_compliance_query *q;
	int (*each)(void *ctx, const char *const *row, struct pt_err *e);
	void *ctx;
	unsigned long long findings;
	char correct_by[PT_DATE_LEN];
	char first[PT_DATE_LEN], last[PT_DATE_LEN], today[PT_DATE_LEN];
	struct pt_err *e;
	bool *kept;              /* by the rules' unit index: reception days kept here (kept_units) */
};

static int finding(struct check *k, const char *rule, const char *basis, const char *unit, const char *leader,
		   const char *cases, const char *what)
{
	/* a notice is no breach: nothing to correct */
	const char *v[] = { rule, basis, unit, leader, cases, what, strncmp(rule, "NOTICE", 6) ? k->correct_by : NULL };

	k->findings++;
	return k->each(k->ctx, v, k->e);
}

/* Whether the query covers the unit. */
static bool asked(const struct check *k, const char *unit)
{
	return !k->q->unit || (unit && !strcmp(k->q->unit, unit));
}

/* Which units' reception days are kept in this database: the office's always, a unit named
 * with --unit, and any unit with a reception day recorded here. A city database whose
 * counties keep their own databases does not list each county as receiving no one. */
static int kept_units(struct check *k)
{
	sqlite3_stmt *st = NULL;
	int rc;

	k->kept = pt_xcalloc(k->r->nunits ? k->r->nunits : 1, sizeof *k->kept);
	if (pt_db_prepare(k->db, "SELECT DISTINCT unit FROM receptions", &st, k->e))
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		for (size_t i = 0; i < k->r->nunits; i++)
			k->kept[i] |= !strcmp(k->r->units[i].code, (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	for (size_t i = 0; i < k->r->nunits; i++)
		k->kept[i] |= !strcmp(k->r->units[i].code, k->r->office) ||
			      (k->q->unit && !strcmp(k->q->unit, k->r->units[i].code));
	return rc == SQLITE_DONE ? 0 : pt_db_fail(k->db, rc, "cannot read the reception days", k->e);
}

/* The city and county unions, whose leaders must hold reception days (二(一)) and whose
 * coordination groups must meet (三(一)). */
static bool city_or_county(const struct pt_unit *u)
{
	return u->level == PT_LEVEL_CITY || u->level == PT_LEVEL_COUNTY;
}

/* The principal leader among the unit's own leaders in the rules, or NULL: a unit the rules
 * list no leaders of has no one to name (pt_rules_principal() would give the office's). */
static const char *principal_name(const struct pt_rules *r, const char *unit)
{
	for (size_t i = 0; i < r->nleaders; i++)
		if (r->leaders[i].principal && r->leaders[i].unit && !strcmp(r->leaders[i].unit, unit))
			return r->leaders[i].name;
	return NULL;
}

static int prepare(struct check *k, const char *sql, sqlite3_stmt **st)
{
	return pt_db_prepare(k->db, sql, st, k->e);
}

/* The number a one-row count query gives, with the unit and the days bound; -1 on an error. */
static long long count_days(struct check *k, sqlite3_stmt *st, const char *unit, long from, long to)
{
	char a[PT_DATE_LEN], b[PT_DATE_LEN];
	long long n = -1;
	int rc;

	pt_date_format(from, a);
	pt_date_format(to, b);
	sqlite3_reset(st);
	pt_db_bind_text(st, 1, unit);
	pt_db_bind_text(st, 2, a);
	pt_db_bind_text(st, 3, b);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	else
		pt_db_fail(k->db, rc, "cannot count the reception days and meetings", k->e);
	sqlite3_reset(st);
	return n;
}

#define BASIS_DAYS "二(一) 市、县（区）工会领导每月接访不少于2天（省级1天）"
#define BASIS_FIXED "二(一) 接访的时间、地点、方式事先确定并公布"
#define BASIS_MEETING "三(一) 信访工作协调领导小组每半年至少召开一次会议"
#define BASIS_ORG "三(二) 机构、人员、制度不落实的，限期整改"
#define BASIS_NAMED "二(二) 署名信件由署名领导亲自阅批"
#define BASIS_WINDOW "信访工作条例第三十五条、第三十六条：收到书面答复、复查意见之日起30日内可请求复查、复核"
#define BASIS_OPEN "二(二) 未署名的来信由办公室专人拆阅，根据内容送有关领导阅批或交信访部门办理"
#define BASIS_DOWN "二(三) 带案下访，重点是上级转送交办和分管领域的重要信访案件"
#define BASIS_REPORT "三(三) 各县区、开发区工会每季度向市总工会信访工作协调领导小组办公室报送接访案次、人次及处理结果"

/* R2.1-reception-days: each month wholly in the period and over before today, the
 * reception days held by each city or county union against its level's minimum. */
static int reception_days(struct check *k)
{
	sqlite3_stmt *st = NULL;
	struct pt_buf what = PT_BUF_INIT;
	int rc = 0;

	if (prepare(k, "SELECT count(*) FROM receptions WHERE unit = ?1 AND kind = 'reception' "
		    "AND state = 'held' AND day BETWEEN ?2 AND ?3", &st))
		return -1;
	for (size_t i = 0; i < k->r->nunits && rc == 0; i++) {
		const struct pt_unit *u = &k->r->units[i];
		int min = k->r->reception.min_days[u->level];

		if (!city_or_county(u) || !asked(k, u->code) || min <= 0 || !k->kept[i])
			continue;
		for (long m = pt_month_first(k->q->first); m <= k->q->last && rc == 0; m = pt_month_last(m) + 1) {
			long end = pt_month_last(m);
			long long held;
			char month[PT_DATE_LEN];

			if (m < k->q->first || end > k->q->last || end >= k->q->today)
				continue;
			if ((held = count_days(k, st, u->code, m, end)) < 0) {
				rc = -1;
				break;
			}
			if (held >= min)
				continue;
			pt_date_format(m, month);
			pt_buf_reset(&what);
			pt_buf_addf(&what, "%.7s: %lld reception day%s held, %d required", month, held,
				    held == 1 ? "" : "s", min);
			rc = finding(k, "R2.1-reception-days", BASIS_DAYS, u->code, principal_name(k->r, u->code), NULL,
				     pt_buf_str(&what));
		}
	}
	pt_buf_release(&what);
	sqlite3_finalize(st);
	return rc;
}

/* Rows of receptions, one finding each: R2.1-reception-unmarked (a day planned in the past,
 * never marked held or cancelled) and R2.1-reception-fixed (a reception day without its
 * place or form). */
static int reception_rows(struct check *k, const char *rule, const char *basis, const char *where,
			  const char *say)
{
	sqlite3_stmt *st = NULL;
	struct pt_buf sql = PT_BUF_INIT, what = PT_BUF_INIT;
	int rc;

	pt_buf_addf(&sql, "SELECT id, unit, day, kind, leader FROM receptions WHERE day BETWEEN ?1 AND ?2 "
		    "AND (?3 IS NULL OR unit = ?3) AND %s ORDER BY unit, day, id", where);
	rc = prepare(k, pt_buf_str(&sql), &st);
	pt_buf_release(&sql);
	if (rc)
		return -1;
	pt_db_bind_text(st, 1, k->first);
	pt_db_bind_text(st, 2, k->last);
	pt_db_bind_text(st, 3, k->q->unit);
	pt_db_bind_text(st, 4, k->today); /* where `where` asks for it; binding an absent one is a no-op */
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *kind = (const char *)sqlite3_column_text(st, 3);

		pt_buf_reset(&what);
		pt_buf_addf(&what, "%s %s (id %lld) %s", kind && !strcmp(kind, "meeting") ? "meeting" : "reception day",
			    (const char *)sqlite3_column_text(st, 2), (long long)sqlite3_column_int64(st, 0), say);
		if (finding(k, rule, basis, (const char *)sqlite3_column_text(st, 1),
			    (const char *)sqlite3_column_text(st, 4), NULL, pt_buf_str(&what))) {
			rc = -1;
			break;
		}
	}
	sqlite3_finalize(st);
	pt_buf_release(&what);
	if (rc == -1)
		return -1;
	return rc == SQLITE_DONE ? 0 : pt_db_fail(k->db, rc, "cannot read the reception days", k->e);
}

/* R3.1-meeting: each half-year that ended in the period (and before today), a meeting held
 * by each city or county union. */
static int meetings(struct check *k)
{
	sqlite3_stmt *st = NULL;
	struct pt_buf what = PT_BUF_INIT;
	int rc = 0, y0, y1, m, d;

	if (prepare(k, "SELECT count(*) FROM receptions WHERE unit = ?1 AND kind = 'meeting' "
		    "AND state = 'held' AND day BETWEEN ?2 AND ?3", &st))
		return -1;
	pt_civil_from_days(k->q->first, &y0, &m, &d);
	pt_civil_from_days(k->q->last, &y1, &m, &d);
	for (int y = y0; y <= y1 && rc == 0; y++)
		for (int h = 0; h < 2 && rc == 0; h++) {
			long from = pt_days_from_civil(y, h ? 7 : 1, 1), to = pt_days_from_civil(y, h ? 12 : 6, h ? 31 : 30);

			if (to < k->q->first || to > k->q->last || to >= k->q->today)
				continue;
			for (size_t i = 0; i < k->r->nunits && rc == 0; i++) {
				const struct pt_unit *u = &k->r->units[i];
				long long held;

				if (!city_or_county(u) || !asked(k, u->code))
					continue;
				if ((held = count_days(k, st, u->code, from, to)) < 0) {
					rc = -1;
					break;
				}
				if (held)
					continue;
				pt_buf_reset(&what);
				pt_buf_addf(&what, "%d H%d: no coordination-group meeting held", y, h + 1);
				rc = finding(k, "R3.1-meeting", BASIS_MEETING, u->code, principal_name(k->r, u->code), NULL,
					     pt_buf_str(&what));
			}
		}
	pt_buf_release(&what);
	sqlite3_finalize(st);
	return rc;
}

/* R3.2-principal, R3.2-reception-plan: the petition work in place in the rules: a principal
 * among a unit's own leaders, reception days planned in the period by each city or county
 * union. (Rules without a petition department are refused when they are read.) */
static int organisation(struct check *k)
{
	sqlite3_stmt *st = NULL;
	struct pt_buf what = PT_BUF_INIT;
	int rc = 0;

	for (size_t i = 0; i < k->r->nunits && rc == 0; i++) {
		const struct pt_unit *u = &k->r->units[i];
		size_t own = 0;
		bool principal = false;

		if (!asked(k, u->code))
			continue;
		for (size_t j = 0; j < k->r->nleaders; j++)
			if (k->r->leaders[j].unit && !strcmp(k->r->leaders[j].unit, u->code)) {
				own++;
				principal |= k->r->leaders[j].principal;
			}
		if (own && !principal) {
			pt_buf_reset(&what);
			pt_buf_addf(&what, "%zu leader%s in the rules, none of them the principal leader (主要负责同志)", own,
				    own == 1 ? "" : "s");
			rc = finding(k, "R3.2-principal", BASIS_ORG, u->code, NULL, NULL, pt_buf_str(&what));
		}
	}
	if (rc == 0 && prepare(k, "SELECT count(*) FROM receptions WHERE unit = ?1 AND kind = 'reception' "
			       "AND state <> 'cancelled' AND day BETWEEN ?2 AND ?3", &st))
		rc = -1;
	for (size_t i = 0; i < k->r->nunits && rc == 0; i++) {
		const struct pt_unit *u = &k->r->units[i];
		long long n;

		if (!city_or_county(u) || !asked(k, u->code) || k->r->reception.min_days[u->level] <= 0 ||
		    !k->kept[i])
			continue;
		if ((n = count_days(k, st, u->code, k->q->first, k->q->last)) < 0) {
			rc = -1;
			break;
		}
		if (n)
			continue;
		pt_buf_reset(&what);
		pt_buf_addf(&what, "no reception day planned from %s to %s", k->first, k->last);
		rc = finding(k, "R3.2-reception-plan", BASIS_ORG, u->code, principal_name(k->r, u->code), NULL,
			     pt_buf_str(&what));
	}
	pt_buf_release(&what);
	sqlite3_finalize(st);
	return rc;
}

/* At most this many case numbers in a finding, then "… N more". */
#define MAX_CASES 20

struct group {
	char *unit, *leader;
	struct pt_buf cases;
	unsigned long long n;
};

static bool same(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

static int group_flush(struct check *k, struct group *g, const char *rule, const char *basis, const char *say)
{
	struct pt_buf what = PT_BUF_INIT;
	int rc = 0;

	if (g->n) {
		if (g->n > MAX_CASES)
			pt_buf_addf(&g->cases, " … %llu more", g->n - MAX_CASES);
		pt_buf_addf(&what, "%llu %s from %s to %s", g->n, say, k->first, k->last);
		rc = finding(k, rule, basis, g->unit, g->leader, pt_buf_str(&g->cases), pt_buf_str(&what));
		pt_buf_release(&what);
	}
	free(g->unit);
	free(g->leader);
	g->unit = g->leader = NULL;
	pt_buf_reset(&g->cases);
	g->n = 0;
	return rc;
}

/* Cases, one finding for each unit and leader: the query's rows are unit, leader, case
 * number, in that order, with ?1 and ?2 the period and ?3 the unit asked for (NULL: all). */
static int case_groups(struct check *k, const char *rule, const char *basis, const char *sql, const char *say,
		       int (*keep)(struct check *, sqlite3_stmt *))
{
	struct group g = { NULL, NULL, PT_BUF_INIT, 0 };
	sqlite3_stmt *st = NULL;
	int rc;

	if (prepare(k, sql, &st))
		return -1;
	pt_db_bind_text(st, 1, k->first);
	pt_db_bind_text(st, 2, k->last);
	pt_db_bind_text(st, 3, k->q->unit);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *unit = (const char *)sqlite3_column_text(st, 0);
		const char *leader = (const char *)sqlite3_column_text(st, 1);
		int kept = keep ? keep(k, st) : 1;

		if (kept < 0) {
			rc = -1;
			break;
		}
		if (!kept)
			continue;
		if ((g.n && !(same(g.unit, unit) && same(g.leader, leader))) && group_flush(k, &g, rule, basis, say)) {
			rc = -1;
			break;
		}
		if (!g.n) {
			g.unit = unit ? strdup(unit) : NULL;
			g.leader = leader ? strdup(leader) : NULL;
		}
		if (++g.n <= MAX_CASES)
			pt_buf_addf(&g.cases, "%s%s", g.n > 1 ? " " : "", (const char *)sqlite3_column_text(st, 2));
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE)
		rc = group_flush(k, &g, rule, basis, say);
	else if (rc != -1)
		rc = pt_db_fail(k->db, rc, "cannot read the cases", k->e);
	free(g.unit);
	free(g.leader);
	pt_buf_release(&g.cases);
	return rc ? -1 : 0;
}

/* A case still being handled (column 4 is 0) counts only once its handling limit has
 * passed, extensions included, as the deadlines work it out (pt_case_deadline_evaluate). */
static int past_handling(struct check *k, sqlite3_stmt *st)
{
	const struct pt_deadline_rule *h = NULL;
	struct pt_case_events ev = { NULL, 0, 0 };
	struct pt_case_deadline x;
	struct pt_case c;
	char id[24];
	int rc;

	if (sqlite3_column_int(st, 4))
		return 1;
	for (size_t i = 0; i < k->r->ndeadlines && !h; i++)
		if (!strcmp(k->r->deadlines[i].name, "handle"))
			h = &k->r->deadlines[i];
	if (!h)
		return 0;
	snprintf(id, sizeof id, "id:%lld", (long long)sqlite3_column_int64(st, 3));
	if (pt_case_load(k->db, k->r, id, &c, k->e))
		return -1;
	rc = pt_case_events_load(k->db, c.id, &ev, k->e);
	if (rc == 0) {
		pt_case_deadline_evaluate(k->r->calendar, &c, &ev, h, &x);
		rc = x.started && x.done < 0 && x.dl.due < k->q->today;
	}
	pt_case_events_release(&ev);
	pt_case_release(&c);
	return rc;
}

/* R2.3-down-visit: cases received in the period that were transferred from above, or are
 * important now (their last mark is marked_important), with no supervise step done by its
 * leader (a step_done event: resolving a case marks its open steps done, which is no
 * supervision) and no down-visit recorded, once answered (resolved or further) or, still
 * being handled, past their handling limit (past_handling); one finding for each unit and
 * supervising leader (the holder of the case's first supervise step). */
static int down_visits(struct check *k)
{
	return case_groups(k, "R2.3-down-visit", BASIS_DOWN,
		"SELECT p.unit, (SELECT holder FROM steps s WHERE s.petition_id = p.id AND s.action = 'supervise' "
		"ORDER BY s.seq LIMIT 1) AS leader, p.case_no, p.id, "
		"p.state IN ('resolved', 'review_requested', 'reviewed', 'rereview_requested', 'rereviewed', 'closed') "
		"FROM petitions p WHERE p.received_on BETWEEN ?1 AND ?2 AND (?3 IS NULL OR p.unit = ?3) AND" PT_SEEN("p")
		"AND p.state IN ('registered', 'assigned', 'accepted', 'objecting', 'resolved', 'review_requested', "
		"'reviewed', 'rereview_requested', 'rereviewed', 'closed') "
		"AND (p.channel = 'transfer' OR " PT_CASE_MARKED_SQL("p", "marked_important", "unmarked_important") ") "
		"AND NOT EXISTS (SELECT 1 FROM events e WHERE e.petition_id = p.id AND e.kind = 'step_done' "
		"AND json_extract(e.data, '$.action') = 'supervise') "
		"AND NOT EXISTS (SELECT 1 FROM events e WHERE e.petition_id = p.id AND e.kind = 'down_visited') "
		"ORDER BY p.unit, leader, p.case_no",
		"case(s) transferred from above or important, not supervised nor taken down, received", past_handling);
}

/* The limits of the law the office must meet (not the petitioner's windows, not a unit's
 * report), the delivery of its written replies (the deadlines named deliver...), and the
 * opening of unnamed letters (a deadline `when: unnamed_letter`, R2.2-open-letter). */
static bool office_limit(const struct pt_deadline_rule *d)
{
	return !d->window && !d->of_unit &&
	       (d->statutory || !strncmp(d->name, "deliver", 7) || d->when_code == PT_WHEN_UNNAMED_LETTER);
}

struct missed {
	unsigned long long n, late;
	struct pt_buf cases;
};

static void missed_add(struct missed *m, const char *case_no, bool late)
{
	m->late += late;
	if (++m->n <= MAX_CASES)
		pt_buf_addf(&m->cases, "%s%s", m->n > 1 ? " " : "", case_no);
}

/* The day a closed case was closed on, else -1. */
static long closed_on(const struct pt_case *f, const struct pt_case_events *ev)
{
	long day = -1;

	if (!f->state || strcmp(f->state, "closed"))
		return -1;
	for (size_t i = 0; i < ev->n; i++)
		if (!strcmp(ev->v[i].kind, "closed"))
			day = ev->v[i].day;
	return day;
}

/* Whether the case was closed in the period while a window of the petitioner's was open:
 * started, not used, and not over on the day of closing. */
static bool closed_in_window(const struct check *k, const struct pt_case *f, const struct pt_case_events *ev)
{
	long day = closed_on(f, ev);

	if (day < k->q->first || day > k->q->last)
		return false;
	for (size_t i = 0; i < k->r->ndeadlines; i++) {
		const struct pt_deadline_rule *d = &k->r->deadlines[i];
		struct pt_case_deadline x;

		if (!d->window || !pt_case_deadline_applies(d, f))
			continue;
		pt_case_deadline_evaluate(k->r->calendar, f, ev, d, &x);
		if (x.started && !x.outside && x.done < 0 && day <= x.dl.due)
			return true;
	}
	return false;
}

/* One case of the scan: each limit it missed whose due day is in the period, and whether
 * it was closed inside a window (the last group of its unit). */
static void limits_of(struct check *k, struct pt_schedule_scan *sc, struct missed *m)
{
	const struct pt_rules *r = k->r;
	struct pt_case f;
	const struct pt_unit *u;

	pt_case_borrow(sc->cases, &f);
	if (!(u = pt_rules_unit(r, f.unit)))
		return;
	m += (size_t)(u - r->units) * (r->ndeadlines + 1);
	if (closed_in_window(k, &f, &sc->ev))
		missed_add(&m[r->ndeadlines], f.case_no, false);
	for (size_t i = 0; i < r->ndeadlines; i++) {
		const struct pt_deadline_rule *d = &r->deadlines[i];
		struct pt_case_deadline x;
		long due;

		if (!office_limit(d) || !pt_case_deadline_applies(d, &f))
			continue;
		pt_case_deadline_evaluate(r->calendar, &f, &sc->ev, d, &x);
		due = x.dl.due;
		if (!x.started || x.outside || due < k->q->first || due > k->q->last || due >= k->q->today)
			continue;
		if (x.done < 0 || x.done > due)
			missed_add(&m[i], f.case_no, x.done >= 0);
	}
}

/* LAW-NAME: for each unit and limit of the law (the rules' statutory deadlines, and the
 * delivery of replies), the cases whose limit fell due in the period, before today, and
 * was met late or not at all. One pass over the cases with their events. */
static int limits(struct check *k)
{
	const struct pt_rules *r = k->r;
	size_t per = r->ndeadlines + 1, ng = r->nunits * per;
	struct missed *m = calloc(ng ? ng : 1, sizeof *m);
	struct pt_schedule_scan sc;
	struct pt_buf what = PT_BUF_INIT, id = PT_BUF_INIT, basis = PT_BUF_INIT;
	int rc;

	if (!m)
		abort();
	rc = pt_schedule_scan_open(k->db, &sc, "SELECT " PT_CASE_COLUMNS " FROM petitions "
				   "WHERE received_on <= ?1 AND (?2 IS NULL OR unit = ?2) AND" PT_SEEN("petitions")
				   "ORDER BY id", k->e);
	if (rc == 0) {
		pt_db_bind_text(sc.cases, 1, k->last);
		pt_db_bind_text(sc.cases, 2, k->q->unit);
		while ((rc = sqlite3_step(sc.cases)) == SQLITE_ROW) {
			if (pt_schedule_scan_events(k->db, &sc, sqlite3_column_int64(sc.cases, PT_CASE_COL_ID), k->e))
				break;
			limits_of(k, &sc, m);
		}
		rc = rc == SQLITE_DONE ? 0 : rc == SQLITE_ROW ? -1 : pt_db_fail(k->db, rc, "cannot read the cases", k->e);
	}
	pt_schedule_scan_close(&sc);
	for (size_t g = 0; g < ng; g++) {
		const struct pt_unit *u = &r->units[g / per];
		const struct pt_deadline_rule *d = g % per < r->ndeadlines ? &r->deadlines[g % per] : NULL;
		const char *colon = d && d->basis ? strstr(d->basis, "：") : NULL;

		if (rc == 0 && m[g].n && m[g].n > MAX_CASES)
			pt_buf_addf(&m[g].cases, " … %llu more", m[g].n - MAX_CASES);
		if (rc == 0 && m[g].n && !d) {
			pt_buf_reset(&what);
			pt_buf_addf(&what, "%llu case(s) closed from %s to %s while the petitioner could still ask "
				    "for a review: not a breach, a notice", m[g].n, k->first, k->last);
			rc = finding(k, "NOTICE-closed-in-window", BASIS_WINDOW, u->code, NULL, pt_buf_str(&m[g].cases),
				     pt_buf_str(&what));
		} else if (rc == 0 && m[g].n) {
			pt_buf_reset(&id);
			pt_buf_reset(&basis);
			pt_buf_reset(&what);
			if (d->when_code == PT_WHEN_UNNAMED_LETTER)
				pt_buf_adds(&id, "R2.2-open-letter");
			else
				pt_buf_addf(&id, "LAW-%s", d->name);
			if (d->when_code == PT_WHEN_UNNAMED_LETTER)
				pt_buf_adds(&basis, BASIS_OPEN);
			else if (d->basis)
				pt_buf_add(&basis, d->basis, colon ? (size_t)(colon - d->basis) : strlen(d->basis));
			pt_buf_addf(&what, "%llu case(s) whose limit %s (%d %s days) fell due from %s to %s: "
				    "%llu met late, %llu not met", m[g].n, d->title ? d->title : d->name, d->days,
				    d->working ? "working" : "calendar", k->first, k->last, m[g].late, m[g].n - m[g].late);
			rc = finding(k, pt_buf_str(&id), pt_buf_str(&basis), u->code, principal_name(r, u->code),
				     pt_buf_str(&m[g].cases), pt_buf_str(&what));
		}
		pt_buf_release(&m[g].cases);
	}
	free(m);
	pt_buf_release(&what);
	pt_buf_release(&id);
	pt_buf_release(&basis);
	return rc;
}

/* One unit's quarterly report of one quarter: a finding when it was not submitted by its
 * due day (judged once the day has passed) or was made after it. sent: this office's own
 * report to the unit above; else a lower unit's, received here. */
static int report_of(struct check *k, sqlite3_stmt **q, const struct pt_unit *u, bool sent, const char *quarter,
		     long due)
{
	struct pt_buf what = PT_BUF_INIT;
	char d[PT_DATE_LEN], made[PT_DATE_LEN];
	bool found;
	long day;
	int rc;

	if (pt_submission_day(k->db, q, sent, u->code, quarter, &day, &found, k->e))
		return -1;
	if ((found && day <= due) || (!found && due >= k->q->today))
		return 0;
	pt_date_format(due, d);
	if (found)
		pt_date_format(day, made);
	if (sent)
		pt_buf_addf(&what, "%s: the quarterly report to %s due %s ", quarter, u->parent, d);
	else
		pt_buf_addf(&what, "%s: the quarterly report of this lower unit due %s ", quarter, d);
	if (found)
		pt_buf_addf(&what, "was made on %s, after its deadline", made);
	else
		pt_buf_adds(&what, sent ? "was not submitted" : "was not received");
	rc = finding(k, sent ? "R3.3-quarterly-report" : "R3.3-lower-report", BASIS_REPORT, u->code,
		     principal_name(k->r, u->code), NULL, pt_buf_str(&what));
	pt_buf_release(&what);
	return rc;
}

/* R3.3-quarterly-report, R3.3-lower-report: each quarter that ended in the period, the
 * office's own report to the unit above (when the rules give it one), and the reports of
 * the city and county unions one level below it, by the rules' quarterly_report deadline.
 * A township union reports to no one by the document (its leaders receive any day). */
static int quarterly_reports(struct check *k)
{
	const struct pt_unit *office = k->r->office ? pt_rules_unit(k->r, k->r->office) : NULL;
	sqlite3_stmt *q = NULL;
	int rc = 0, y0, y1, m, d;

	if (!office || !pt_submission_deadline(k->r))
		return 0;
	pt_civil_from_days(k->q->first, &y0, &m, &d);
	pt_civil_from_days(k->q->last, &y1, &m, &d);
	for (int y = y0; y <= y1 && rc == 0; y++)
		for (int n = 1; n <= 4 && rc == 0; n++) {
			long end = pt_month_last(pt_days_from_civil(y, 3 * n, 1)), due = pt_submission_due(k->r, end);
			char quarter[24];

			if (end < k->q->first || end > k->q->last)
				continue;
			snprintf(quarter, sizeof quarter, "%04dQ%d", y % 10000, n);
			if (office->parent && city_or_county(office) && asked(k, office->code))
				rc = report_of(k, &q, office, true, quarter, due);
			for (size_t i = 0; i < k->r->nunits && rc == 0; i++) {
				const struct pt_unit *u = &k->r->units[i];

				if (u->parent && !strcmp(u->parent, office->code) && city_or_county(u) && asked(k, u->code))
					rc = report_of(k, &q, u, false, quarter, due);
			}
		}
	sqlite3_finalize(q);
	return rc;
}

int pt_compliance_each(struct pt_db *db, const struct pt_rules *r, const struct pt_compliance_query *q,
		       int (*each)(void *ctx, const char *const *row, struct pt_err *e), void *ctx,
		       unsigned long long *findings, struct pt_err *e)
{
	struct check k = { db, r, q, each, ctx, 0, "", "", "", "", e, NULL };
	int rc;
	pt_date_format(q->today + PT_COMPLIANCE_CORRECT_DAYS, k.correct_by);
	pt_date_format(q->first, k.first);
	pt_date_format(q->last, k.last);
	pt_date_format(q->today, k.today);
	rc = kept_units(&k);
	if (rc == 0)
		rc = reception_days(&k);
	if (rc == 0)
		rc = reception_rows(&k, "R2.1-reception-unmarked", BASIS_FIXED, "state = 'planned' AND day < ?4",
				    "planned, never marked held or cancelled");
	if (rc == 0)
		rc = reception_rows(&k, "R2.1-reception-fixed", BASIS_FIXED,
				    "kind = 'reception' AND state <> 'cancelled' AND "
				    "(coalesce(trim(place), '') = '' OR coalesce(trim(form), '') = '')",
				    "without its place or form");
	/* R2.2-forced: a named letter instructed by another leader under --force, in the period;
	 * one finding for the named leader, who did not read it. */
	if (rc == 0)
		rc = case_groups(&k, "R2.2-forced", BASIS_NAMED,
				 "SELECT p.unit, p.addressed_to, p.case_no FROM events e JOIN petitions p ON p.id = e.petition_id "
				 "WHERE e.kind = 'instructed' AND json_extract(e.data, '$.forced') = 1 "
				 "AND json_extract(e.data, '$.on') BETWEEN ?1 AND ?2 AND (?3 IS NULL OR p.unit = ?3) "
				 "ORDER BY p.unit, p.addressed_to, p.case_no",
				 "named letter(s) instructed by another leader under --force", NULL);
	if (rc == 0)
		rc = down_visits(&k);
	if (rc == 0)
		rc = limits(&k);
	if (rc == 0)
		rc = meetings(&k);
	if (rc == 0)
		rc = organisation(&k);
	if (rc == 0)
		rc = quarterly_reports(&k);
	free(k.kept);
	*findings = k.findings;
	return rc;
}

static int write_row(void *out, const char *const *row, struct pt_err *e)
{
	return pt_fmt_row(out, row, e);
}

int pt_compliance_check(struct pt_db *db, const struct pt_rules *r, const struct pt_compliance_query *q,
			struct pt_fmt *out, unsigned long long *findings, struct pt_err *e)
{
	return pt_compliance_each(db, r, q, write_row, out, findings, e);
}
