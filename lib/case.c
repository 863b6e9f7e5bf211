#include "case.h"
#include "buf.h"
#include "cal.h"
#include "casefile.h"
#include "change.h"
#include "csv.h"
#include "deadline.h"
#include "event.h"
#include "ident.h"
#include "vocab.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void pt_case_event_start(struct pt_buf *data, const char *from, long on)
{
	char d[PT_DATE_LEN];

	pt_date_format(on, d);
	pt_buf_addch(data, '{');
	pt_json_member(data, "from", from);
	pt_json_member(data, "on", d);
}

/* ---- transitions ---- */

/* One transition in the making: the case, the change asked for, and the event's data. */
struct change {
	struct pt_db *db;
	const struct pt_rules *r;
	const struct pt_case_change *ch;
	struct pt_case c;
	const struct pt_case_transition *t;
	const char *event;       /* the event's kind: the transition's, or deliver's of the decision */
	const char *to;          /* the state after */
	long on;
	struct pt_buf data;      /* the event's JSON, left open */
	struct pt_buf to_buf;    /* storage for a state worked out (reopen) */
};

/* A field the verb needs; a command names it as its option (and declares it required). */
static int need(const char *value, const char *field, const char *verb, struct pt_err *e)
{
	struct pt_buf before = PT_BUF_INIT;

	if (!pt_text_blank(value)) /* blanks only is no text (petition(1), TEXTS) */
		return 0;
	pt_buf_addf(&before, "%s needs ", verb);
	pt_err_field(e, PT_EUSAGE, before.buf, field, "%s", "");
	pt_buf_release(&before);
	return -1;
}

/* The code `value` names in list l (an alias gives its code); else an error of `kind` about
 * field `what`, listing them. */
static const char *one_of(const char *value, enum pt_vocab_list l, const char *what, int kind, struct pt_err *e)
{
	const char *code = pt_vocab_code(l, value);
	struct pt_buf list = PT_BUF_INIT;

	if (code)
		return code;
	pt_vocab_join(l, &list, " or ");
	pt_vocab_suggest(l, value, &list);
	pt_err_field(e, kind, "", what, " '%s' is not one of %s", value, list.buf);
	pt_buf_release(&list);
	return NULL;
}

/* A code the verb needs from list l, given in `field` (an alias gives its code); NULL with
 * the error when it is missing or not one. */
static const char *needed_code(struct change *x, const char *value, const char *field, enum pt_vocab_list l,
			       struct pt_err *e)
{
	return need(value, field, x->ch->verb, e) ? NULL : one_of(value, l, field, PT_EDATA, e);
}

/* Set one column of the case's row (sql's ?2) to value. */
static int set_column(struct change *x, const char *sql, const char *value, struct pt_err *e)
{
	return pt_case_update(x->db, sql, x->c.id, value, NULL, NULL, e);
}

/* The latest of the case's events of a kind (or of any of kinds, '|'-separated): its id,
 * and its data's `key` into out (when not NULL); id 0 when there is none. */
static int latest_event(struct change *x, const char *kinds, const char *key, long long *id, struct pt_buf *out,
			struct pt_err *e)
{
	sqlite3_stmt *q = NULL;
	int rc;

	*id = 0;
	if (pt_db_prepare(x->db, "SELECT id, kind, json_extract(data, '$.' || ?3) FROM events WHERE petition_id = ?1"
				 " AND instr('|' || ?2 || '|', '|' || kind || '|') > 0 ORDER BY id DESC LIMIT 1", &q, e))
		return -1;
	sqlite3_bind_int64(q, 1, x->c.id);
	sqlite3_bind_text(q, 2, kinds, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, key ? key : "kind", -1, SQLITE_STATIC);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(q, 0);
		if (out && sqlite3_column_type(q, key ? 2 : 1) != SQLITE_NULL)
			pt_buf_adds(out, (const char *)sqlite3_column_text(q, key ? 2 : 1));
	}
	sqlite3_finalize(q);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : pt_db_fail(x->db, rc, "cannot read the case's events", e);
}

/* ---- the law at intake: letters, finality, repeats (petition(7), INTAKE) ---- */

/* A named letter is the named leader's to instruct (阅批) before anything else is done with
 * it; a letter naming someone who is not a leader in the rules, the principal leader's. */
static int awaits_instruction(struct change *x, struct pt_err *e)
{
	const struct pt_leader *p = pt_rules_principal(x->r, x->c.unit);
	long day;

	if (!x->c.named_letter || !x->c.addressed_to)
		return 0;
	if (pt_case_event_day(x->db, x->c.id, "instructed", false, &day, e))
		return -1;
	if (day >= 0)
		return 0;
	if (x->c.addressed_unknown)
		return pt_err_set(e, PT_EDATA, "case %s is a letter to %s, who is not a leader in the rules: the principal "
				  "leader instructs it first (阅批, 临会办〔2014〕36号); record it first: petition case instruct "
				  "%s --by %s --text TEXT", x->c.case_no, x->c.addressed_to, x->c.case_no,
				  p ? p->name : "LEADER");
	return pt_err_set(e, PT_EDATA, "case %s is a letter to %s, who has not instructed it (临会办〔2014〕36号); "
			  "record it first: petition case instruct %s --by %s --text TEXT", x->c.case_no,
			  x->c.addressed_to, x->c.case_no, x->c.addressed_to);
}

/* A final matter (终结): the case was marked final at intake (an earlier case of the same
 * person and matter was decided on re-review), or was decided on re-review itself. *final
 * says whether; why gets how. */
static int final_matter(struct change *x, bool *final, struct pt_buf *why, struct pt_err *e)
{
	long day;

	*final = false;
	if (x->c.final_of) {
		*final = true;
		return pt_case_final_text(x->db, &x->c, why, e);
	}
	if (pt_case_event_day(x->db, x->c.id, "rereviewed", false, &day, e))
		return -1;
	if (day >= 0) {
		char d[PT_DATE_LEN];

		*final = true;
		pt_date_format(day, d);
		pt_buf_addf(why, "终结：已于 %s 复核", d);
	}
	return 0;
}

/* 同人同事 corrected by hand: the case repeats the one named (--of), or is no repeat
 * (--not), for a reason. The flag intake set stays as it was; the latest such event says
 * what holds (PT_CASE_REPEAT_SQL). */
static int do_repeat(struct change *x, struct pt_err *e)
{
	const struct pt_case_change *ch = x->ch;
	struct pt_case o;
	int rc;

	if (need(ch->reason, "reason", "repeat", e) || pt_text_check("of", ch->of, e))
		return -1;
	if (pt_text_blank(ch->of) != ch->not_repeat) {
		pt_err_field(e, PT_EUSAGE, "repeat needs ", "of", " CASE (a repeat of it) or ");
		pt_err_also(e, "not_repeat", " (no repeat), one of them");
		return -1;
	}
	if (ch->not_repeat) {
		if (!x->c.repeat)
			return pt_err_set(e, PT_EDATA, "case %s is not marked as a repeat; there is nothing to undo",
					  x->c.case_no);
		pt_buf_adds(&x->data, ",\"repeat\":false");
		pt_json_member(&x->data, "reason", ch->reason);
		return 0;
	}
	if (pt_case_load(x->db, x->r, ch->of, &o, e))
		return -1;
	if (o.id == x->c.id)
		rc = pt_err_set(e, PT_EDATA, "case %s cannot repeat itself", o.case_no);
	else if (o.received > x->c.received)
		rc = pt_err_field(e, PT_EDATA, "", "of", ": case %s was received after case %s; a repeat repeats an "
				  "earlier case", o.case_no, x->c.case_no);
	else {
		pt_buf_adds(&x->data, ",\"repeat\":true");
		pt_json_member(&x->data, "of", o.case_no);
		pt_json_member(&x->data, "reason", ch->reason);
		rc = 0;
	}
	pt_case_release(&o);
	return rc;
}

/* A second day of a transition (the petitioner told, in writing): on or after its day, not
 * in the future; the transition's day when not given. */
static int told_day(struct change *x, long given, const char *field, const char *member, struct pt_err *e)
{
	char d[PT_DATE_LEN];
	long day = given >= 0 ? given : x->on;

	pt_date_format(day, d);
	if (day > x->ch->today)
		return pt_err_field(e, PT_EDATA, "", field, " %s is in the future", d);
	if (day < x->on)
		return pt_err_field(e, PT_EDATA, "", field, " %s is before the decision's day", d);
	pt_json_member(&x->data, member, d);
	return 0;
}

/* 受理: the petitioner is told in writing (Art. 23), which is what meets the 15-day limit. */
static int do_accept(struct change *x, struct pt_err *e)
{
	if (awaits_instruction(x, e))
		return -1;
	pt_json_member(&x->data, "note", x->ch->text);
	return told_day(x, x->ch->notified_on, "notified-on", "notified_on", e);
}

/* The case leaves the office (rejected, or sent back after an objection): its pending steps
 * are cancelled. */
static int leave_steps(struct change *x, struct pt_err *e)
{
	long n = 0;

	if (pt_case_cancel_steps(x->db, x->c.id, NULL, NULL, &n, e))
		return -1;
	pt_buf_addf(&x->data, ",\"steps_cancelled\":%ld", n);
	return 0;
}

/* 不予受理: why, and where the worker should go instead; the petitioner told in writing. */
static int do_reject(struct change *x, struct pt_err *e)
{
	if (need(x->ch->reason, "reason", "reject", e) || need(x->ch->refer, "refer", "reject", e))
		return -1;
	pt_json_member(&x->data, "refer", x->ch->refer);
	pt_json_member(&x->data, "reason", x->ch->reason);
	if (told_day(x, x->ch->notified_on, "notified-on", "notified_on", e))
		return -1;
	return leave_steps(x, e);
}

/* A case transferred from above that is outside the office's remit, within the limit: it
 * waits for the transferring body to check and agree (核实同意, Art. 23) before it goes back. */
static int do_object(struct change *x, struct pt_err *e)
{
	if (need(x->ch->reason, "reason", "object", e))
		return -1;
	if (strcmp(x->c.channel, "transfer"))
		return pt_err_set(e, PT_EDATA, "case %s was not transferred from above (channel %s): object is for "
				  "transferred cases outside the office's remit; use reject", x->c.case_no, x->c.channel);
	if (pt_case_window_check(x->db, x->r, &x->c, x->ch->verb, "objected", x->on, e))
		return -1;
	pt_json_member(&x->data, "reason", x->ch->reason);
	return 0;
}

/* The state the case was in before the latest event that made it what it is now (reopen,
 * the answer to an objection): into x->to_buf. */
static int previous_state(struct change *x, struct pt_err *e)
{
	sqlite3_stmt *q = NULL;
	int rc;

	if (pt_db_prepare(x->db, "SELECT json_extract(data, '$.from') FROM events WHERE petition_id = ?1"
				 " AND json_extract(data, '$.to') = ?2 AND json_extract(data, '$.from') <> ?2"
				 " ORDER BY id DESC LIMIT 1", &q, e))
		return -1;
	sqlite3_bind_int64(q, 1, x->c.id);
	sqlite3_bind_text(q, 2, x->c.state, -1, SQLITE_STATIC);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW && sqlite3_column_text(q, 0))
		pt_buf_adds(&x->to_buf, (const char *)sqlite3_column_text(q, 0));
	sqlite3_finalize(q);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return pt_db_fail(x->db, rc, "cannot read the case's events", e);
	if (!x->to_buf.len)
		return pt_err_set(e, PT_EDATA, "no event of case %s says how it became %s", x->c.case_no, x->c.state);
	x->to = x->to_buf.buf;
	return 0;
}

/* The transferring body's answer: agreed, the case goes back (its pending steps cancelled);
 * refused, it is the office's again, in the state it was in before the objection. */
static int do_answer_objection(struct change *x, struct pt_err *e)
{
	const char *a;

	if (!(a = needed_code(x, x->ch->outcome, "outcome", PT_VOCAB_OBJECTION_ANSWER, e)))
		return -1;
	pt_json_member(&x->data, "outcome", a);
	pt_json_member(&x->data, "text", x->ch->text);
	if (!strcmp(a, "agreed")) {
		x->to = "objected";
		return leave_steps(x, e);
	}
	return previous_state(x, e);
}

/* The leader's instruction (阅批). A named letter is the named leader's to instruct; anyone
 * else only with --force and a reason, which the event keeps for the audit. */
static int do_instruct(struct change *x, struct pt_err *e)
{
	const struct pt_case_change *ch = x->ch;
	bool found = false, forced = false;
	struct pt_case_step st;

	if (need(ch->by, "by", "instruct", e) || need(ch->text, "text", "instruct", e))
		return -1;
	if (!pt_rules_leader(x->r, ch->by))
		return pt_rules_unknown(x->r, PT_RULES_LEADERS, e, PT_EDATA, "by", ch->by);
	if (x->c.named_letter && x->c.addressed_to && !x->c.addressed_unknown && strcmp(ch->by, x->c.addressed_to)) {
		if (!ch->force) {
			pt_err_set(e, PT_EDATA, "case %s is a letter to %s, who must instruct it personally "
				   "(临会办〔2014〕36号); another leader only with ", x->c.case_no, x->c.addressed_to);
			pt_err_also(e, "force", " ");
			pt_err_also(e, "reason", "%s", "");
			return -1;
		}
		if (!ch->reason || !*ch->reason) {
			pt_err_field(e, PT_EUSAGE, "instruct ", "force", " needs ");
			pt_err_also(e, "reason", " (why not the named leader)");
			return -1;
		}
		forced = true;
	} else if (ch->force) {
		return pt_err_field(e, PT_EUSAGE, "", "force", " is only for instructing a letter that names another leader");
	}
	/* The step done: this leader's own instruct step; else, on a named letter, the named
	 * leader's; else the first pending: whichever leader may instruct and does, the case
	 * is instructed (and routing counts it so too). */
	if (pt_case_pending_step(x->db, x->c.id, "instruct", ch->by, 0, &st, &found, e))
		return -1;
	if (!found && x->c.named_letter && x->c.addressed_to &&
	    pt_case_pending_step(x->db, x->c.id, "instruct", x->c.addressed_to, 0, &st, &found, e))
		return -1;
	if (!found && pt_case_pending_step(x->db, x->c.id, "instruct", NULL, 0, &st, &found, e))
		return -1;
	pt_json_member(&x->data, "by", ch->by);
	pt_json_member(&x->data, "text", ch->text);
	if (forced) {
		pt_buf_adds(&x->data, ",\"forced\":true");
		pt_json_member(&x->data, "reason", ch->reason);
	}
	if (found) {
		struct pt_buf note = PT_BUF_INIT;
		int rc;

		if (strcmp(st.holder, ch->by))
			pt_buf_addf(&note, "instructed by %s%s", ch->by, forced ? " (forced)" : "");
		pt_buf_addf(&x->data, ",\"step\":%ld", st.seq);
		rc = pt_case_step_done(x->db, x->c.id, st.seq, x->on, note.len ? note.buf : NULL, e);
		pt_buf_release(&note);
		pt_case_step_release(&st);
		return rc;
	}
	pt_case_step_release(&st);
	return 0;
}

static int do_done(struct change *x, struct pt_err *e)
{
	bool found = false;
	struct pt_case_step st;
	int rc = 0;

	if (pt_case_pending_step(x->db, x->c.id, NULL, NULL, x->ch->step, &st, &found, e))
		return -1;
	if (!found)
		return x->ch->step ? pt_err_set(e, PT_EDATA, "case %s has no pending step %ld (petition case show %s)",
						x->c.case_no, x->ch->step, x->c.case_no)
				   : pt_err_set(e, PT_EDATA, "case %s has no pending step", x->c.case_no);
	if (!strcmp(st.action, "instruct"))
		rc = pt_err_set(e, PT_EDATA, "step %ld is %s's instruction (阅批): record it with petition case instruct "
				"%s --by %s --text TEXT", st.seq, st.holder, x->c.case_no, st.holder);
	if (rc == 0) {
		pt_buf_addf(&x->data, ",\"step\":%ld", st.seq);
		pt_json_member(&x->data, "holder", st.holder);
		pt_json_member(&x->data, "action", st.action);
		pt_json_member(&x->data, "note", x->ch->text);
		rc = pt_case_step_done(x->db, x->c.id, st.seq, x->on, x->ch->text, e);
	}
	pt_case_step_release(&st);
	return rc;
}

/* The deadline an extension is for: the one named, else the first that allows one. */
static const struct pt_deadline_rule *extensible(const struct pt_rules *r, const char *name, struct pt_err *e)
{
	for (size_t i = 0; i < r->ndeadlines; i++) {
		const struct pt_deadline_rule *d = &r->deadlines[i];

		if (name ? !strcmp(d->name, name) : d->extension > 0) {
			if (d->extension > 0)
				return d;
			pt_err_set(e, PT_EDATA, "deadline '%s' cannot be extended (the rules give it no 'extension')", d->name);
			return NULL;
		}
	}
	if (name)
		pt_err_set(e, PT_EDATA, "no deadline '%s' in the rules (petition rules show)", name);
	else
		pt_err_set(e, PT_EDATA, "no deadline in the rules can be extended");
	return NULL;
}

/* The head of the body (本机关负责人) approves an extension: the principal leader of the case's
 * unit, or a leader the rules let approve (approves: true). */
static int check_approver(struct change *x, const char *name, struct pt_err *e)
{
	const struct pt_leader *l = pt_rules_leader(x->r, name);
	const struct pt_leader *p = pt_rules_principal(x->r, x->c.unit);

	if (!l)
		return pt_rules_unknown(x->r, PT_RULES_LEADERS, e, PT_EDATA, "approver", name);
	if (l->approves || l == p)
		return 0;
	return pt_err_field(e, PT_EDATA, "", "approver",
			    ": %s may not approve an extension; only the head of the body (本机关负责人) does: the "
			    "principal leader%s%s, or a leader the rules mark 'approves: true'", name, p ? " " : "",
			    p ? p->name : "");
}

/* By at most the rules' limit in all, over one extension or several, approved by the head of
 * the body, before the (extended) deadline has passed, the petitioner told why (告知延期理由). */
static int do_extend(struct change *x, struct pt_err *e)
{
	const struct pt_case_change *ch = x->ch;
	const struct pt_deadline_rule *d;
	struct pt_case_events ev = { NULL, 0, 0 };
	struct pt_case_deadline now;
	struct pt_deadline dl2;
	char due[PT_DATE_LEN], due2[PT_DATE_LEN];
	int days, left;

	if (need(ch->reason, "reason", "extend", e) || need(ch->approver, "approver", "extend", e) ||
	    check_approver(x, ch->approver, e) || !(d = extensible(x->r, ch->deadline, e)))
		return -1;
	if (pt_case_events_load(x->db, x->c.id, &ev, e))
		return -1;
	pt_case_deadline_evaluate(x->r->calendar, &x->c, &ev, d, &now);
	pt_case_events_release(&ev);
	if (!now.started)
		return pt_err_set(e, PT_EDATA, "the %s deadline has not started (it counts from %s)", d->name, d->from);
	left = d->extension - now.extension;
	if (left <= 0)
		return pt_err_set(e, PT_EDATA, "the %s deadline of case %s was already extended by %d days, the most the "
				  "rules allow in all", d->name, x->c.case_no, now.extension);
	days = ch->days ? ch->days : left;
	if (days > left)
		return pt_err_set(e, PT_EDATA, "the %s deadline may be extended by at most %d days in all; %d granted "
				  "already, so %d more at most, not %d", d->name, d->extension, now.extension, left, days);
	pt_deadline_compute(x->r->calendar, now.start, d->days + now.extension + now.paused + days, d->working, &dl2);
	pt_date_format(now.dl.due, due);
	pt_date_format(dl2.due, due2);
	if (x->on > now.dl.due)
		return pt_err_set(e, PT_EDATA, "the %s deadline ran out on %s; an extension is decided before it does",
				  d->name, due);
	pt_json_member(&x->data, "deadline", d->name);
	pt_buf_addf(&x->data, ",\"days\":%d", days);
	pt_json_member(&x->data, "reason", ch->reason);
	pt_json_member(&x->data, "approver", ch->approver);
	if (told_day(x, ch->told_on, "told-on", "told_on", e))
		return -1;
	pt_json_member(&x->data, "due_before", due);
	pt_json_member(&x->data, "due", due2);
	return 0;
}

/* The reply with its outcome; the pending steps are done with it, except a leader's
 * instruction, which must come first. */
static int do_resolve(struct change *x, struct pt_err *e)
{
	const char *outcome;
	bool found = false;
	struct pt_case_step st;
	long n = 0;

	if (need(x->ch->outcome, "outcome", "resolve", e) || need(x->ch->text, "text", "resolve", e))
		return -1;
	if (!(outcome = one_of(x->ch->outcome, PT_VOCAB_OUTCOME, "outcome", PT_EDATA, e)) || awaits_instruction(x, e))
		return -1;
	if (pt_case_pending_step(x->db, x->c.id, "instruct", NULL, 0, &st, &found, e))
		return -1;
	if (found) {
		pt_err_set(e, PT_EDATA, "case %s awaits %s's instruction (阅批, step %ld); it cannot be answered before",
			   x->c.case_no, st.holder, st.seq);
		pt_case_step_release(&st);
		return -1;
	}
	pt_json_member(&x->data, "outcome", outcome);
	pt_json_member(&x->data, "text", x->ch->text);
	if (pt_case_steps_all_done(x->db, x->c.id, x->on, &n, e) ||
	    set_column(x, "UPDATE petitions SET outcome = ?2 WHERE id = ?1", outcome, e))
		return -1;
	pt_buf_addf(&x->data, ",\"steps_done\":%ld", n);
	return 0;
}

static int do_satisfaction(struct change *x, struct pt_err *e)
{
	const char *s;

	if (!(s = needed_code(x, x->ch->outcome, "outcome", PT_VOCAB_SATISFACTION, e)))
		return -1;
	pt_json_member(&x->data, "satisfaction", s);
	pt_json_member(&x->data, "note", x->ch->text);
	return set_column(x, "UPDATE petitions SET satisfaction = ?2 WHERE id = ?1", s, e);
}

/* The latest written decision (reply, review or re-review decision) and whether it was
 * delivered: *dv its delivery kind, *delivered the delivery's day or -1, *decided its day. */
static int latest_decision(struct change *x, const struct pt_case_delivery **dv, long *decided, long *delivered,
			   struct pt_err *e)
{
	struct pt_buf kind = PT_BUF_INIT, day = PT_BUF_INIT;
	long long id, did;
	int rc;

	*dv = NULL;
	*decided = *delivered = -1;
	rc = latest_event(x, "resolved|reviewed|rereviewed", NULL, &id, &kind, e);
	if (rc == 0 && id)
		rc = latest_event(x, kind.buf, "on", &id, &day, e);
	if (rc == 0 && id) {
		*dv = pt_case_delivery_of(kind.buf);
		pt_date_parse(day.buf, decided);
		pt_buf_reset(&day);
		rc = latest_event(x, (*dv)->delivered, "on", &did, &day, e);
		if (rc == 0 && did > id)
			pt_date_parse(day.buf, delivered);
	}
	pt_buf_release(&kind);
	pt_buf_release(&day);
	return rc;
}

/* 送达: the latest written decision reached the petitioner, this day, this way; the
 * petitioner's window for the next review counts from it. */
static int do_deliver(struct change *x, struct pt_err *e)
{
	const struct pt_case_delivery *dv;
	long decided, delivered;
	const char *how;

	if (!(how = needed_code(x, x->ch->how, "how", PT_VOCAB_DELIVERY, e)) ||
	    latest_decision(x, &dv, &decided, &delivered, e))
		return -1;
	if (!dv)
		return pt_err_set(e, PT_EDATA, "case %s has no written reply or decision to deliver", x->c.case_no);
	if (delivered >= 0) {
		char d[PT_DATE_LEN];

		pt_date_format(delivered, d);
		return pt_err_set(e, PT_EDATA, "the %s of case %s was delivered on %s already", dv->what, x->c.case_no, d);
	}
	x->event = dv->delivered;
	pt_json_member(&x->data, "how", how);
	pt_json_member(&x->data, "note", x->ch->text);
	return 0;
}

/* The unit one level up from the body that answered (the case's unit for a review, the
 * reviewing unit for a re-review), or NULL when it is not in this database. */
static int answering_unit(struct change *x, bool rereview, struct pt_buf *unit, struct pt_err *e)
{
	long long id;

	if (!rereview) {
		pt_buf_adds(unit, x->c.unit);
		return 0;
	}
	return latest_event(x, "review_requested", "unit", &id, unit, e);
}

/* Who decides a review: the body one level up from the one that answered (Art. 35, 36).
 * When that is a unit of the rules, it is handled here, as that unit's; otherwise the
 * request names the outside body, whose decision is recorded when it comes. */
static int reviewing_body(struct change *x, bool rereview, const struct pt_unit **chosen, struct pt_err *e)
{
	const struct pt_case_change *ch = x->ch;
	struct pt_buf answered = PT_BUF_INIT;
	const struct pt_unit *from = NULL, *up = NULL, *given = NULL;
	int rc = answering_unit(x, rereview, &answered, e);

	if (rc == 0 && answered.len && (from = pt_rules_unit(x->r, answered.buf)) && from->parent)
		up = pt_rules_unit(x->r, from->parent);
	if (rc == 0 && ch->unit && !(given = pt_rules_unit(x->r, ch->unit)))
		rc = pt_rules_unknown(x->r, PT_RULES_UNITS, e, PT_EDATA, "unit", ch->unit);
	if (rc == 0 && !given && up && ch->body && (!strcmp(ch->body, up->name) || !strcmp(ch->body, up->code)))
		given = up;
	if (rc == 0 && given && given != up)
		rc = pt_err_field(e, PT_EDATA, "", "unit", ": %s is not the body one level up from %s, which decides it%s%s",
				  given->code, answered.len ? answered.buf : "the body that answered", up ? ": " : "",
				  up ? up->code : "");
	else if (rc == 0 && up && ch->body && !given)
		rc = pt_err_field(e, PT_EDATA, "", "body", " '%s': the body one level up from %s is %s (%s), in this "
				  "database", ch->body, answered.buf, up->code, up->name);
	else if (rc == 0 && !up && !ch->body)
		rc = pt_err_field(e, PT_EUSAGE, "", "body", " is needed: the body one level up from %s is not in this "
				  "database; name it", answered.len ? answered.buf : "the reviewing body");
	*chosen = rc == 0 ? up : NULL;
	if (rc == 0 && up) {
		pt_json_member(&x->data, "unit", up->code);
		pt_json_member(&x->data, "body", up->name);
	} else if (rc == 0) {
		pt_json_member(&x->data, "body", ch->body);
	}
	pt_buf_release(&answered);
	return rc;
}

/* A review handled in this database is the reviewing unit's work: a pending step of that
 * unit's, after the case's steps, which its decision completes (do_decide). */
static int review_step(struct change *x, const struct pt_unit *u, const char *rule, struct pt_err *e)
{
	sqlite3_stmt *q = NULL;
	long long event_id;
	long seq;
	int rc = pt_event_next_id(x->db, &event_id, e) || pt_case_steps_last(x->db, x->c.id, &seq, e) ||
		 pt_db_prepare(x->db, pt_case_step_insert_sql, &q, e) ? -1 : 0;

	if (rc == 0)
		rc = pt_case_step_insert(x->db, q, x->c.id, seq + 1, u->name, "handle", rule, NULL, event_id, e);
	sqlite3_finalize(q);
	if (rc == 0)
		pt_buf_addf(&x->data, ",\"step\":%ld", seq + 1);
	return rc;
}

/* A request for review (复查) or re-review (复核) inside its window is accepted whatever the
 * case's state; closing never cut it off. Each is asked once. */
static int do_request(struct change *x, struct pt_err *e)
{
	bool rereview = !strcmp(x->ch->verb, "request-rereview");
	const struct pt_unit *up = NULL;
	long long asked, decided;

	if (latest_event(x, x->t->event, NULL, &asked, NULL, e) ||
	    latest_event(x, rereview ? "reviewed" : "reviewed|rereviewed", NULL, &decided, NULL, e))
		return -1;
	if (asked)
		return pt_err_set(e, PT_EDATA, "case %s: a %s was asked already (petition case show %s)", x->c.case_no,
				  rereview ? "re-review (复核)" : "review (复查)", x->c.case_no);
	if (!rereview && decided)
		return pt_err_set(e, PT_EDATA, "case %s was reviewed already; what follows is a re-review "
				  "(petition case request-rereview)", x->c.case_no);
	if (rereview && !decided)
		return pt_err_set(e, PT_EDATA, "case %s has no review decision to re-review", x->c.case_no);
	if (pt_case_window_check(x->db, x->r, &x->c, x->ch->verb, x->t->event, x->on, e) ||
	    reviewing_body(x, rereview, &up, e) || (up && review_step(x, up, rereview ? "rereview" : "review", e)))
		return -1;
	pt_json_member(&x->data, "text", x->ch->text);
	return 0;
}

/* A review's decision, by the body the request named (its decision received, when it is
 * outside this database). */
static int do_decide(struct change *x, struct pt_err *e)
{
	const char *d;
	struct pt_buf unit = PT_BUF_INIT, body = PT_BUF_INIT;
	const char *request = strcmp(x->ch->verb, "review") ? "rereview_requested" : "review_requested";
	long long id;
	int rc;

	if (need(x->ch->text, "text", x->ch->verb, e) ||
	    !(d = needed_code(x, x->ch->outcome, "outcome", PT_VOCAB_DECISION, e)))
		return -1;
	rc = latest_event(x, request, "unit", &id, &unit, e) || latest_event(x, request, "body", &id, &body, e) ? -1 : 0;
	if (rc == 0 && unit.len) {
		/* the reviewing unit's step, done with its decision */
		bool found = false;
		struct pt_case_step st;

		rc = pt_case_pending_step(x->db, x->c.id, "handle", body.buf, 0, &st, &found, e);
		if (rc == 0 && found) {
			pt_buf_addf(&x->data, ",\"step\":%ld", st.seq);
			rc = pt_case_step_done(x->db, x->c.id, st.seq, x->on, NULL, e);
		}
		pt_case_step_release(&st);
	}
	if (rc == 0) {
		if (unit.len)
			pt_json_member(&x->data, "unit", unit.buf);
		if (body.len)
			pt_json_member(&x->data, "body", body.buf);
		pt_json_member(&x->data, "outcome", d);
		pt_json_member(&x->data, "text", x->ch->text);
	}
	pt_buf_release(&unit);
	pt_buf_release(&body);
	return rc;
}

/* A hearing (听证) in a re-review: its days are not counted toward the re-review's limit. */
static int do_hearing(struct change *x, struct pt_err *e)
{
	const struct pt_deadline_rule *d = NULL;
	char until[PT_DATE_LEN];

	if (x->ch->until < 0)
		return need(NULL, "until", "hearing", e);
	pt_date_format(x->ch->until, until);
	if (x->ch->until < x->on)
		return pt_err_field(e, PT_EDATA, "", "until", " %s is before the hearing's first day", until);
	if (x->ch->until > x->ch->today)
		return pt_err_field(e, PT_EDATA, "", "until", " %s is in the future: record a hearing once held", until);
	for (size_t i = 0; i < x->r->ndeadlines && !d; i++)
		if (!strcmp(x->r->deadlines[i].from, "rereview_requested") && !x->r->deadlines[i].window)
			d = &x->r->deadlines[i];
	if (!d)
		return pt_err_set(e, PT_EDATA, "no deadline in the rules counts from rereview_requested; a hearing "
				  "pauses the re-review's");
	pt_json_member(&x->data, "until", until);
	pt_json_member(&x->data, "deadline", d->name);
	pt_buf_addf(&x->data, ",\"days\":%ld", x->ch->until - x->on + 1);
	pt_json_member(&x->data, "note", x->ch->text);
	return 0;
}

/* Closing comes after the written decision reached the petitioner; it never cuts off a
 * window still open (a request inside it takes the case up again). */
static int do_close(struct change *x, struct pt_err *e)
{
	const struct pt_case_delivery *dv;
	long decided, delivered;

	if (latest_decision(x, &dv, &decided, &delivered, e))
		return -1;
	if (dv && delivered < 0) {
		char d[PT_DATE_LEN];

		pt_date_format(decided, d);
		return pt_err_set(e, PT_EDATA, "the %s of case %s (%s) has not been delivered; record it first: "
				  "petition case deliver %s --how HOW", dv->what, x->c.case_no, d, x->c.case_no);
	}
	pt_json_member(&x->data, "note", x->ch->text);
	return 0;
}

/* Back to the state the case was in before the event that closed it, rejected it or sent
 * it away; to registered, to be routed again, when that was assigned and its steps were
 * cancelled on the way out. */
static int do_reopen(struct change *x, struct pt_err *e)
{
	struct pt_buf why = PT_BUF_INIT;
	bool final;

	if (need(x->ch->reason, "reason", "reopen", e) || pt_text_check("decided_by", x->ch->decided_by, e) ||
	    final_matter(x, &final, &why, e))
		goto fail;
	/* a final matter is reopened only on a decision, by whom the event says */
	if (final && pt_text_blank(x->ch->decided_by)) {
		pt_err_set(e, PT_EDATA, "case %s is final (%s): reopening it needs ", x->c.case_no, why.buf);
		pt_err_also(e, "decided_by", " (who decided to reopen it)");
		goto fail;
	}
	if (final)
		pt_json_member(&x->data, "final", why.buf);
	if (!pt_text_blank(x->ch->decided_by))
		pt_json_member(&x->data, "decided_by", x->ch->decided_by);
	pt_buf_release(&why);
	if (previous_state(x, e))
		return -1;
	if (!strcmp(x->to, "assigned")) {
		/* Its steps were cancelled when it left: it is routed again like a new case. */
		bool pending = false;
		struct pt_case_step st;

		if (pt_case_pending_step(x->db, x->c.id, NULL, NULL, 0, &st, &pending, e))
			return -1;
		pt_case_step_release(&st);
		if (!pending)
			x->to = "registered";
	}
	pt_json_member(&x->data, "reason", x->ch->reason);
	return 0;
fail:
	pt_buf_release(&why);
	return -1;
}

/* ---- important cases (重要信访事项), down-visits (带案下访), report-back (交办) ---- */

/* The rule a step gets when a leader marks the case important: where it came from, for the
 * audit, and which steps unimportant cancels. */
#define IMPORTANT_RULE "important"

/* A leader who may mark the case important: the one in charge (分管) of its category, or
 * the principal leader, among the leaders of the case's unit (rules.h). */
static int leader_of_case(const struct change *x, const char *name, struct pt_err *e)
{
	const struct pt_leader *l = pt_rules_leader(x->r, name);
	const struct pt_leader *principal = pt_rules_principal(x->r, x->c.unit);
	const struct pt_leader *charge = pt_rules_leader_in_charge(x->r, x->c.unit, x->c.category);

	if (!l)
		return pt_rules_unknown(x->r, PT_RULES_LEADERS, e, PT_EDATA, "by", name);
	if (l == principal || (charge && pt_strv_has(&l->charge, x->c.category) && l->unit && charge->unit &&
			       !strcmp(l->unit, charge->unit)))
		return 0;
	return pt_err_field(e, PT_EDATA, "", "by", ": %s is neither in charge (分管) of %s, case %s's category, nor the "
			    "principal leader (%s in charge, %s principal)", name, x->c.category, x->c.case_no,
			    charge ? charge->name : "nobody", principal ? principal->name : "nobody");
}

/* Whether the case is important now: its latest mark is marked_important. */
static int important_now(struct pt_db *db, long long id, bool *yes, struct pt_buf *by, struct pt_err *e)
{
	return pt_case_marked(db, id, "marked_important", "unmarked_important", yes, by, e);
}

/* The leader marks the case important: it gets a pending supervise step of that leader's
 * (before the pending steps), unless the leader has one already. */
static int do_important(struct change *x, struct pt_err *e)
{
	const char *by = x->ch->by;
	bool important, found = false;
	struct pt_case_step st;
	sqlite3_stmt *q = NULL;
	long long event_id;
	long seq;
	int rc;

	if (need(by, "by", "important", e) || leader_of_case(x, by, e) ||
	    important_now(x->db, x->c.id, &important, NULL, e) ||
	    pt_case_pending_step(x->db, x->c.id, "supervise", by, 0, &st, &found, e))
		return -1;
	seq = st.seq;
	pt_case_step_release(&st);
	if (important && found)
		return pt_err_set(e, PT_EDATA, "case %s is already important, and %s supervises it (step %ld)",
				  x->c.case_no, by, seq);
	if (!found) {
		rc = pt_event_next_id(x->db, &event_id, e) || pt_case_steps_make_room(x->db, x->c.id, 0, &seq, e) ||
		     pt_db_prepare(x->db, pt_case_step_insert_sql, &q, e) ? -1 : 0;
		if (rc == 0)
			rc = pt_case_step_insert(x->db, q, x->c.id, seq, by, "supervise", IMPORTANT_RULE, NULL, event_id, e);
		sqlite3_finalize(q);
		if (rc)
			return -1;
	}
	pt_json_member(&x->data, "by", by);
	pt_json_member(&x->data, "note", x->ch->text);
	pt_buf_addf(&x->data, ",\"step\":%ld,\"added\":%s", seq, found ? "false" : "true");
	return 0;
}

/* The mark taken back, with a reason: the supervise steps it added and still pending are
 * cancelled. */
static int do_unimportant(struct change *x, struct pt_err *e)
{
	bool important;
	long n = 0;

	if (need(x->ch->by, "by", "unimportant", e) || need(x->ch->reason, "reason", "unimportant", e) ||
	    leader_of_case(x, x->ch->by, e) || important_now(x->db, x->c.id, &important, NULL, e))
		return -1;
	if (!important)
		return pt_err_set(e, PT_EDATA, "case %s is not marked important", x->c.case_no);
	if (pt_case_cancel_steps(x->db, x->c.id, "supervise", IMPORTANT_RULE, &n, e))
		return -1;
	pt_json_member(&x->data, "by", x->ch->by);
	pt_json_member(&x->data, "reason", x->ch->reason);
	pt_buf_addf(&x->data, ",\"steps_cancelled\":%ld", n);
	return 0;
}

/* ---- typical cases (典型案例) ---- */

/* Whether the case is marked typical now: its latest mark is marked_typical. */
static int typical_now(struct pt_db *db, long long id, bool *yes, struct pt_buf *by, struct pt_err *e)
{
	return pt_case_marked(db, id, "marked_typical", "unmarked_typical", yes, by, e);
}

/* A case marked typical, for the quarterly report's attachment, with a note saying why; by
 * whom when given (a leader or a clerk: the event has the operator in any case). */
static int do_typical(struct change *x, struct pt_err *e)
{
	bool typical;

	if (need(x->ch->text, "text", "typical", e) || typical_now(x->db, x->c.id, &typical, NULL, e))
		return -1;
	if (typical)
		return pt_err_set(e, PT_EDATA, "case %s is already marked typical (petition case untypical %s --reason "
				  "TEXT takes the mark back)", x->c.case_no, x->c.case_no);
	pt_json_member(&x->data, "by", x->ch->by);
	pt_json_member(&x->data, "note", x->ch->text);
	return 0;
}

/* The mark taken back, with a reason. */
static int do_untypical(struct change *x, struct pt_err *e)
{
	bool typical;

	if (need(x->ch->reason, "reason", "untypical", e) || typical_now(x->db, x->c.id, &typical, NULL, e))
		return -1;
	if (!typical)
		return pt_err_set(e, PT_EDATA, "case %s is not marked typical", x->c.case_no);
	pt_json_member(&x->data, "by", x->ch->by);
	pt_json_member(&x->data, "reason", x->ch->reason);
	return 0;
}

/* The next name of a list separated by ',', '，' or '、', without its blanks, into name;
 * *p moves past it. False at the end. */
static bool next_name(const char **p, struct pt_buf *name)
{
	static const char *const seps[] = { ",", "，", "、" };
	const char *end = NULL;
	size_t skip = 0;

	if (!*p)
		return false;
	for (size_t i = 0; i < sizeof seps / sizeof *seps; i++) {
		const char *s = strstr(*p, seps[i]);

		if (s && (!end || s < end)) {
			end = s;
			skip = strlen(seps[i]);
		}
	}
	pt_buf_reset(name);
	if (end) {
		struct pt_buf piece = PT_BUF_INIT;

		pt_buf_add(&piece, *p, (size_t)(end - *p));
		pt_text_trim_into(name, pt_buf_str(&piece));
		pt_buf_release(&piece);
		*p = end + skip;
	} else {
		pt_text_trim_into(name, *p);
		*p = NULL;
	}
	return true;
}

/* A down-visit (下访): the day, the place, the leaders who went and what was done. Each
 * leader's pending supervise step is done with it. */
static int do_down_visit(struct change *x, struct pt_err *e)
{
	struct pt_buf name = PT_BUF_INIT, leaders = PT_BUF_INIT, steps = PT_BUF_INIT, note = PT_BUF_INIT;
	const char *p = x->ch->by;
	int rc = 0, n = 0;

	if (need(p, "by", "down-visit", e) || need(x->ch->place, "place", "down-visit", e) ||
	    need(x->ch->text, "note", "down-visit", e) || pt_text_check("place", x->ch->place, e))
		return -1;
	pt_buf_addf(&note, "下访 %s", x->ch->place);
	while (rc == 0 && next_name(&p, &name)) {
		struct pt_buf quoted = PT_BUF_INIT;
		bool found = false;
		struct pt_case_step st = { 0, NULL, NULL };

		pt_json_quote(&quoted, name.buf);
		if (!name.len)
			rc = pt_err_field(e, PT_EUSAGE, "", "by", " '%s' has an empty name", x->ch->by);
		else if (!pt_rules_leader(x->r, name.buf))
			rc = pt_rules_unknown(x->r, PT_RULES_LEADERS, e, PT_EDATA, "by", name.buf);
		else if (leaders.len && strstr(leaders.buf, quoted.buf))
			rc = pt_err_field(e, PT_EDATA, "", "by", " names %s twice", name.buf);
		else
			rc = pt_case_pending_step(x->db, x->c.id, "supervise", name.buf, 0, &st, &found, e);
		if (rc == 0 && found) {
			rc = pt_case_step_done(x->db, x->c.id, st.seq, x->on, note.buf, e);
			pt_buf_addf(&steps, "%s%ld", steps.len ? "," : "", st.seq);
		}
		if (rc == 0)
			pt_buf_addf(&leaders, "%s%s", n++ ? "," : "[", quoted.buf);
		pt_case_step_release(&st);
		pt_buf_release(&quoted);
	}
	if (rc == 0) {
		pt_json_member(&x->data, "place", x->ch->place);
		pt_buf_addf(&x->data, ",\"leaders\":%s]", leaders.buf);
		pt_json_member(&x->data, "note", x->ch->text);
		pt_buf_addf(&x->data, ",\"steps\":[%s]", pt_buf_str(&steps));
	}
	pt_buf_release(&name);
	pt_buf_release(&leaders);
	pt_buf_release(&steps);
	pt_buf_release(&note);
	return rc;
}

/* The lower unit's result of a case handed down to it (交办), reported back: it meets the
 * report_back deadline, and the unit's pending handle step is done with it. Once for each
 * time the case is handed down. */
static int do_report_back(struct change *x, struct pt_err *e)
{
	static const char sql[] =
		"SELECT json_extract(t.data, '$.unit'), (SELECT json_extract(r.data, '$.on') FROM events r"
		" WHERE r.petition_id = t.petition_id AND r.kind = 'reported_back' AND r.id > t.id)"
		" FROM events t WHERE t.petition_id = ?1 AND t.kind = 'transferred'"
		" AND json_extract(t.data, '$.mode') = '交办' ORDER BY t.id DESC LIMIT 1";
	struct pt_buf unit = PT_BUF_INIT, reported = PT_BUF_INIT;
	const struct pt_unit *u;
	const char *outcome;
	bool found = false;
	struct pt_case_step st;
	sqlite3_stmt *q = NULL;
	int rc;

	if (!(outcome = needed_code(x, x->ch->outcome, "outcome", PT_VOCAB_OUTCOME, e)) ||
	    need(x->ch->text, "text", "report-back", e) || pt_db_prepare(x->db, sql, &q, e))
		return -1;
	sqlite3_bind_int64(q, 1, x->c.id);
	if ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		pt_buf_adds(&unit, sqlite3_column_text(q, 0) ? (const char *)sqlite3_column_text(q, 0) : "");
		if (sqlite3_column_text(q, 1))
			pt_buf_adds(&reported, (const char *)sqlite3_column_text(q, 1));
	}
	sqlite3_finalize(q);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		rc = pt_db_fail(x->db, rc, "cannot read the case's events", e);
	else if (rc == SQLITE_DONE)
		rc = pt_err_set(e, PT_EDATA, "case %s was not handed down (交办) to a lower unit: nothing to report back "
				"(petition route transfer %s --unit UNIT)", x->c.case_no, x->c.case_no);
	else if (reported.len)
		rc = pt_err_set(e, PT_EDATA, "case %s was reported back by %s on %s already", x->c.case_no, unit.buf,
				reported.buf);
	else
		rc = 0;
	/* the unit's handle step, held in its name (petition route transfer) */
	u = rc == 0 ? pt_rules_unit(x->r, unit.buf) : NULL;
	if (rc == 0 && pt_case_pending_step(x->db, x->c.id, "handle", u ? u->name : unit.buf, 0, &st, &found, e))
		rc = -1;
	if (rc == 0) {
		pt_json_member(&x->data, "unit", unit.buf);
		pt_json_member(&x->data, "outcome", outcome);
		pt_json_member(&x->data, "text", x->ch->text);
		if (found) {
			pt_buf_addf(&x->data, ",\"step\":%ld", st.seq);
			rc = pt_case_step_done(x->db, x->c.id, st.seq, x->on, NULL, e);
		}
		pt_case_step_release(&st);
	}
	pt_buf_release(&unit);
	pt_buf_release(&reported);
	return rc;
}

/* Where show writes: rows to a formatter, or for a terminal (pt_case_show_text) lines of
 * text at most `width` columns wide, the events' data in words. */
struct show {
	struct pt_fmt *fmt;
	FILE *text;
	size_t width;
	const char *section;     /* of the last line written, static */
	struct pt_event_words words;
	struct pt_buf line;
};

static int show_row(struct show *out, const char *section, const char *key, const char *value,
		    const char *date, const char *by, struct pt_err *e);

/* A mark of the case for show (important, typical): yes (who, when) or no. */
static int show_mark(struct pt_db *db, long long id, const char *key, const char *on, const char *off,
		     struct show *out, struct pt_err *e)
{
	struct pt_buf v = PT_BUF_INIT;
	bool yes;
	int rc = pt_case_marked(db, id, on, off, &yes, &v, e);

	if (rc == 0) {
		struct pt_buf row = PT_BUF_INIT;

		if (yes)
			pt_buf_addf(&row, "yes (%s)", v.buf);
		else
			pt_buf_adds(&row, "no");
		rc = show_row(out, "case", key, row.buf, NULL, NULL, e);
		pt_buf_release(&row);
	}
	pt_buf_release(&v);
	return rc;
}

struct handler {
	const char *verb;
	int (*fn)(struct change *, struct pt_err *);
};

static const struct handler handlers[] = {
	{ "accept", do_accept }, { "reject", do_reject }, { "object", do_object },
	{ "answer-objection", do_answer_objection },
	{ "instruct", do_instruct }, { "done", do_done }, { "extend", do_extend },
	{ "resolve", do_resolve }, { "deliver", do_deliver }, { "satisfaction", do_satisfaction },
	{ "request-review", do_request }, { "review", do_decide },
	{ "request-rereview", do_request }, { "hearing", do_hearing }, { "rereview", do_decide },
	{ "close", do_close }, { "reopen", do_reopen },
	{ "important", do_important }, { "unimportant", do_unimportant }, { "down-visit", do_down_visit },
	{ "report-back", do_report_back }, { "repeat", do_repeat },
	{ "typical", do_typical }, { "untypical", do_untypical },
};

const struct pt_col pt_case_change_cols[] = {
	{ "case_no", false }, { "event", false }, { "from", false }, { "to", false }, { "on", false },
	{ "holder", false },
};
const size_t pt_case_change_ncols = sizeof pt_case_change_cols / sizeof *pt_case_change_cols;

int pt_case_done_row(const struct pt_case_done *d, struct pt_fmt *out, struct pt_err *e)
{
	const char *v[] = { d->case_no, d->event, d->from, d->to, d->on, d->holder };

	return pt_fmt_row(out, v, e);
}

void pt_case_done_release(struct pt_case_done *d)
{
	free(d->case_no);
	free(d->event);
	free(d->from);
	free(d->to);
	free(d->holder);
	free(d->on);
	memset(d, 0, sizeof *d);
}

/* Every text given is checked before anything is read. */
static int check_texts(const struct pt_case_change *ch, struct pt_err *e)
{
	return pt_text_check("text", ch->text, e) || pt_text_check("reason", ch->reason, e) ||
	       pt_text_check("refer", ch->refer, e) || pt_text_check("by", ch->by, e) ||
	       pt_text_check("approver", ch->approver, e) || pt_text_check("outcome", ch->outcome, e) ||
	       pt_text_check("how", ch->how, e) || pt_text_check("unit", ch->unit, e) ||
	       pt_text_check("body", ch->body, e) ? -1 : 0;
}

/* Write the new state and the holder; fill `done`. */
static int record(struct change *x, struct pt_case_done *done, struct pt_err *e)
{
	char on[PT_DATE_LEN];
	sqlite3_stmt *q = NULL;
	int rc;

	if (pt_case_set_state(x->db, x->c.id, x->to, e))
		return -1;
	pt_buf_addch(&x->data, '}');
	if (pt_db_prepare(x->db, "SELECT holder FROM petitions WHERE id = ?1", &q, e))
		return -1;
	sqlite3_bind_int64(q, 1, x->c.id);
	rc = sqlite3_step(q);
	pt_date_format(x->on, on);
	done->case_no = pt_xstrdup(x->c.case_no);
	done->event = pt_xstrdup(x->event);
	done->from = pt_xstrdup(x->c.state);
	done->to = pt_xstrdup(x->to);
	done->on = pt_xstrdup(on);
	done->holder = rc == SQLITE_ROW ? pt_db_column_dup(q, 0) : NULL;
	sqlite3_finalize(q);
	return rc == SQLITE_ROW ? 0 : pt_db_fail(x->db, rc, "cannot read the case back", e);
}

int pt_case_change(struct pt_db *db, const struct pt_rules *r, const char *key,
		   const struct pt_case_change *ch, struct pt_case_done *done, struct pt_err *e)
{
	struct change x;
	struct pt_change *w;
	const struct handler *h = NULL;
	int rc;

	memset(done, 0, sizeof *done);
	for (size_t i = 0; i < sizeof handlers / sizeof *handlers; i++)
		if (!strcmp(handlers[i].verb, ch->verb))
			h = &handlers[i];
	if (!h)
		return pt_err_set(e, PT_EINTERNAL, "no transition '%s'", ch->verb);
	if (check_texts(ch, e))
		return -1;
	memset(&x, 0, sizeof x);
	x.db = db;
	x.r = r;
	x.ch = ch;
	x.t = pt_case_transition(ch->verb);
	x.event = x.t ? x.t->event : NULL;
	x.on = ch->on >= 0 ? ch->on : ch->today;
	if (!(w = pt_change_begin(db, r, 0, e)))
		return -1;
	rc = pt_case_load(db, r, key, &x.c, e);
	if (rc == 0)
		rc = pt_case_allow(&x.c, ch->verb, e);
	if (rc == 0)
		rc = pt_case_check_day(&x.c, x.on, ch->today, e);
	if (rc == 0) {
		x.to = pt_case_next_state(ch->verb, x.c.state);
		pt_case_event_start(&x.data, x.c.state, x.on);
		rc = h->fn(&x, e);  /* adds its members; reopen sets x.to */
	}
	if (rc == 0) {
		pt_json_member(&x.data, "to", x.to);
		rc = record(&x, done, e);
	}
	if (rc == 0)
		rc = pt_change_commit(w, x.event, x.c.id, x.data.buf, ch->dry_run, e);
	else
		pt_change_abort(w);
	if (rc)
		pt_case_done_release(done);
	pt_case_release(&x.c);
	pt_buf_release(&x.data);
	pt_buf_release(&x.to_buf);
	return rc;
}

/* ---- show ---- */

const struct pt_col pt_case_show_cols[] = {
	{ "section", false }, { "key", false }, { "value", false }, { "date", false }, { "by", false },
};
const size_t pt_case_show_ncols = sizeof pt_case_show_cols / sizeof *pt_case_show_cols;

/* The display width of the UTF-8 character at s, and its length in bytes in *len. */
static size_t char_width(const char *s, size_t *len)
{
	char one[8];

	*len = 1;
	while (*len < 4 && ((unsigned char)s[*len] & 0xc0) == 0x80)
		(*len)++;
	memcpy(one, s, *len);
	one[*len] = '\0';
	return pt_display_width(one);
}

/* Text into out->line from column `col` on, wrapped at out->width: a line breaks at its last
 * blank when it has one in its second half, else (Chinese has none) between characters;
 * every line after the first starts `indent` blanks in. */
static void wrap(struct show *out, const char *text, size_t col, size_t indent)
{
	size_t width = out->width > indent + 20 ? out->width : indent + 20;
	size_t line_start = out->line.len, blank = 0, blank_col = 0;

	for (const char *p = text; *p;) {
		size_t len, w = char_width(p, &len);

		if (col + w > width) {
			size_t cut = blank && blank_col > (width + indent) / 2 ? blank : out->line.len;
			char *rest = pt_xstrdup(out->line.buf + cut + (cut == blank));

			out->line.len = cut;
			out->line.buf[cut] = '\0';
			pt_buf_addf(&out->line, "\n%*s", (int)indent, "");
			line_start = out->line.len;
			pt_buf_adds(&out->line, rest);
			col = indent + pt_display_width(rest);
			free(rest);
			blank = 0;
		}
		if (*p == ' ' && out->line.len > line_start) {
			blank = out->line.len;
			blank_col = col;
		}
		pt_buf_add(&out->line, p, len);
		col += w;
		p += len;
	}
	pt_buf_addch(&out->line, '\n');
}

/* A row as text: a heading for each section; an event as its time, number, kind and who,
 * with its data in words below; anything else as its key and value, date and by after it. */
static int show_text(struct show *out, const char *section, const char *key, const char *value,
		     const char *date, const char *by, struct pt_err *e)
{
	struct pt_buf v = PT_BUF_INIT;
	int rc = 0;

	pt_buf_reset(&out->line);
	if (!out->section || strcmp(out->section, section))
		pt_buf_addf(&out->line, "%s%s\n", out->section ? "\n" : "", section);
	out->section = section;
	if (!strcmp(section, "event")) {
		pt_buf_addf(&v, "  %s  %s  %s", date ? date : "", key, by ? by : "");
		wrap(out, v.buf, 0, 6);
		if (value && (rc = pt_event_describe(&out->words, value, e)) == 0 && out->words.what.len) {
			pt_buf_adds(&out->line, "      ");
			wrap(out, out->words.what.buf, 6, 6);
		}
	} else {
		pt_buf_addf(&v, "  %-18s %s", key, value ? value : "");
		if (date && *date)
			pt_buf_addf(&v, "; %s%s", !strcmp(section, "deadline") ? "due " : "", date);
		if (by && *by)
			pt_buf_addf(&v, " (%s)", by);
		while (v.len && v.buf[v.len - 1] == ' ')
			v.buf[--v.len] = '\0';
		wrap(out, v.buf, 0, 21);
	}
	pt_buf_release(&v);
	if (rc == 0 && fwrite(out->line.buf, 1, out->line.len, out->text) != out->line.len)
		rc = pt_err_set(e, PT_EIO, "cannot write output: %s", strerror(errno));
	return rc;
}

static int show_row(struct show *out, const char *section, const char *key, const char *value,
		    const char *date, const char *by, struct pt_err *e)
{
	struct pt_buf quoted = PT_BUF_INIT;
	const char *v[] = { section, key, value, date, by };
	int rc;

	if (out->text)
		return show_text(out, section, key, value, date, by, e);
	/* json: an event's data as the object it is, every other value as a string or null */
	if (pt_fmt_is_json(out->fmt) && strcmp(section, "event")) {
		if (value)
			pt_json_quote(&quoted, value);
		v[2] = value ? quoted.buf : "null";
	}
	rc = pt_fmt_row(out->fmt, v, e);
	pt_buf_release(&quoted);
	return rc;
}

static const char *yes_no(int v)
{
	return v ? "yes" : "no";
}

/* The petition's fields, one row each; personal data masked with redact. */
static int show_fields(struct pt_db *db, long long id, bool redact, struct show *out, struct pt_err *e)
{
	static const char *const names[] = {
		"case_no", "id", "state", "holder", "unit", "received_on", "channel", "petitioner", "id_number",
		"phone", "employer", "received_by", "category", "persons", "addressed_to", "summary",
		"external_id", "source_ref", "collective", "repeat", "named_letter", "outcome", "satisfaction", NULL
	};
	struct pt_buf sql = PT_BUF_INIT, v = PT_BUF_INIT;
	sqlite3_stmt *q = NULL;
	int rc, n;

	pt_buf_adds(&sql, "SELECT ");
	for (n = 0; names[n]; n++) /* repeat: as corrected (petition case repeat) */
		pt_buf_addf(&sql, "%s%s", n ? ", " : "", strcmp(names[n], "repeat") ? names[n] : PT_CASE_REPEAT_SQL("petitions"));
	pt_buf_adds(&sql, " FROM petitions WHERE id = ?1");
	rc = pt_db_prepare(db, sql.buf, &q, e);
	pt_buf_release(&sql);
	if (rc)
		return -1;
	sqlite3_bind_int64(q, 1, id);
	if ((rc = sqlite3_step(q)) != SQLITE_ROW) {
		sqlite3_finalize(q);
		return pt_db_fail(db, rc, "cannot read the case", e);
	}
	for (int i = 0; i < n && rc == SQLITE_ROW; i++) {
		const char *s = (const char *)sqlite3_column_text(q, i);

		pt_buf_reset(&v);
		if (s && redact && pt_mask_personal(names[i], s, &v))
			;
		else if (!strcmp(names[i], "collective") || !strcmp(names[i], "repeat") ||
			 !strcmp(names[i], "named_letter"))
			pt_buf_adds(&v, yes_no(sqlite3_column_int(q, i)));
		else if (!strcmp(names[i], "channel"))
			pt_buf_addf(&v, "%s (%s)", s, pt_vocab_label(PT_VOCAB_CHANNEL, s));
		else if (s)
			pt_buf_adds(&v, s);
		if (show_row(out, "case", names[i], v.len ? v.buf : NULL, NULL, NULL, e))
			rc = SQLITE_ERROR;
	}
	sqlite3_finalize(q);
	pt_buf_release(&v);
	return rc == SQLITE_ROW ? 0 : -1;
}

/* After a final case's text: whether a reopening on a decision overruled it, else what
 * routing proposes. */
static int overruled(struct pt_db *db, long long id, struct pt_buf *v, struct pt_err *e)
{
	sqlite3_stmt *q = NULL;
	int rc;

	if (pt_db_prepare(db, "SELECT json_extract(data, '$.on'), json_extract(data, '$.decided_by') FROM events"
			  " WHERE petition_id = ?1 AND kind = 'reopened' AND json_extract(data, '$.decided_by') IS NOT NULL"
			  " ORDER BY id DESC LIMIT 1", &q, e))
		return -1;
	sqlite3_bind_int64(q, 1, id);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW)
		pt_buf_addf(v, "; reopened on %s, decided by %s: routed by the rules", sqlite3_column_text(q, 0),
			    sqlite3_column_text(q, 1));
	else
		pt_buf_adds(v, "; 拟不予受理 (petition route --explain)");
	sqlite3_finalize(q);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : pt_db_fail(db, rc, "cannot read the case's events", e);
}

/* The law at intake: the case it repeats (and the latest correction), whether it is final,
 * the competent unit and 越级, and a letter naming someone who is not a leader. */
static int show_matter(struct pt_db *db, const struct pt_rules *r, const struct pt_case *c, struct show *out,
		       struct pt_err *e)
{
	static const char sql[] =
		"SELECT r.case_no, p.competent_unit, m.mark, json_extract(m.data, '$.of'), json_extract(m.data, '$.on'),"
		" json_extract(m.data, '$.reason') FROM petitions p LEFT JOIN petitions r ON r.id = p.repeat_of"
		" LEFT JOIN (SELECT data, json_extract(data, '$.repeat') AS mark FROM events WHERE petition_id = ?1"
		" AND kind = 'repeat_marked' ORDER BY id DESC LIMIT 1) m WHERE p.id = ?1";
	struct pt_buf v = PT_BUF_INIT;
	sqlite3_stmt *q = NULL;
	const struct pt_unit *u;
	const char *unit;
	int rc;

	if (pt_db_prepare(db, sql, &q, e))
		return -1;
	sqlite3_bind_int64(q, 1, c->id);
	if ((rc = sqlite3_step(q)) != SQLITE_ROW) {
		sqlite3_finalize(q);
		return pt_db_fail(db, rc, "cannot read the case", e);
	}
	if (sqlite3_column_type(q, 2) != SQLITE_NULL)
		pt_buf_addf(&v, "%s (corrected on %s: %s)", sqlite3_column_int(q, 2) ? (const char *)sqlite3_column_text(q, 3)
										: "none", sqlite3_column_text(q, 4), sqlite3_column_text(q, 5));
	else if (sqlite3_column_text(q, 0))
		pt_buf_adds(&v, (const char *)sqlite3_column_text(q, 0));
	rc = show_row(out, "case", "repeat_of", v.len ? v.buf : NULL, NULL, NULL, e);
	pt_buf_reset(&v);
	if (rc == 0 && c->final_of) {
		pt_buf_adds(&v, "yes: ");
		rc = pt_case_final_text(db, c, &v, e) || overruled(db, c->id, &v, e) ? -1 : 0;
	}
	if (rc == 0)
		rc = show_row(out, "case", "final", c->final_of ? v.buf : "no", NULL, NULL, e);
	pt_buf_reset(&v);
	if ((unit = (const char *)sqlite3_column_text(q, 1)))
		pt_buf_addf(&v, "%s (%s)", unit, (u = pt_rules_unit(r, unit)) ? u->name : "not a unit in the rules now");
	if (rc == 0)
		rc = show_row(out, "case", "competent_unit", unit ? v.buf : NULL, NULL, NULL, e);
	if (rc == 0)
		rc = show_row(out, "case", "skip_level", c->skip_level ? "yes (越级)" : "no", NULL, NULL, e);
	pt_buf_reset(&v);
	if (c->addressed_unknown)
		pt_buf_addf(&v, "yes: %s is not a leader in the rules; the principal leader instructs", c->addressed_to);
	if (rc == 0)
		rc = show_row(out, "case", "addressed_unknown", c->addressed_unknown ? v.buf : "no", NULL, NULL, e);
	sqlite3_finalize(q);
	pt_buf_release(&v);
	return rc;
}

static int show_steps(struct pt_db *db, long long id, struct show *out, struct pt_err *e)
{
	sqlite3_stmt *q = NULL;
	struct pt_buf v = PT_BUF_INIT;
	int rc;

	if (pt_db_prepare(db, "SELECT seq, holder, action, state, done_on, note, coalesce(rule, 'manual')"
			      " FROM steps WHERE petition_id = ?1 ORDER BY seq", &q, e))
		return -1;
	sqlite3_bind_int64(q, 1, id);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		const char *action = (const char *)sqlite3_column_text(q, 2);
		const char *note = (const char *)sqlite3_column_text(q, 5);

		pt_buf_reset(&v);
		pt_buf_addf(&v, "%s %s (%s): %s", sqlite3_column_text(q, 1), action, pt_vocab_label(PT_VOCAB_ACTION, action),
			    sqlite3_column_text(q, 3));
		if (note)
			pt_buf_addf(&v, "; %s", note);
		if (show_row(out, "step", (const char *)sqlite3_column_text(q, 0), v.buf,
			     (const char *)sqlite3_column_text(q, 4), (const char *)sqlite3_column_text(q, 6), e))
			break;
	}
	sqlite3_finalize(q);
	pt_buf_release(&v);
	if (e->kind)
		return -1;
	return rc == SQLITE_DONE ? 0 : pt_db_fail(db, rc, "cannot read the case's steps", e);
}

struct deadline_ctx {
	struct show *out;
	struct pt_err *e;
	int rc;
};

static void show_deadline(void *ctx, const struct pt_deadline_view *d)
{
	struct deadline_ctx *x = ctx;
	struct pt_buf v = PT_BUF_INIT;

	pt_buf_addf(&v, "%s: %s; %s from %s %s", d->title ? d->title : d->name, d->state, d->rule, d->counts_from,
		    d->from_date);
	if (d->working_days_left && *d->working_days_left)
		pt_buf_addf(&v, "; %s working days left", d->working_days_left);
	if (x->rc == 0)
		x->rc = show_row(x->out, "deadline", d->name, v.buf, d->due, NULL, x->e);
	pt_buf_release(&v);
}

/* The case's history: its intake, the routing batches that took it, and its own events. */
static int show_events(struct pt_db *db, long long id, int utc_offset, struct show *out, struct pt_err *e)
{
	/* The rows an event wrote are for the replay (change.h); a person reads what happened. */
	static const char sql[] =
		"SELECT id, kind, CASE WHEN json_valid(data) THEN json_remove(data, '$.rows') ELSE data END,"
		" at, operator || ' (' || program || ')' FROM events"
		" WHERE petition_id = ?1 OR id = (SELECT event_id FROM petitions WHERE id = ?1)"
		" OR id IN (SELECT event_id FROM steps WHERE petition_id = ?1) ORDER BY id";
	sqlite3_stmt *q = NULL;
	struct pt_buf key = PT_BUF_INIT, at = PT_BUF_INIT;
	int rc;

	if (pt_db_prepare(db, sql, &q, e))
		return -1;
	sqlite3_bind_int64(q, 1, id);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		pt_buf_reset(&key);
		pt_buf_addf(&key, "%s %s", sqlite3_column_text(q, 0), sqlite3_column_text(q, 1));
		pt_buf_reset(&at);
		pt_time_show((const char *)sqlite3_column_text(q, 3), utc_offset, &at);
		if (show_row(out, "event", key.buf, (const char *)sqlite3_column_text(q, 2), at.buf,
			     (const char *)sqlite3_column_text(q, 4), e))
			break;
	}
	sqlite3_finalize(q);
	pt_buf_release(&key);
	pt_buf_release(&at);
	if (e->kind)
		return -1;
	return rc == SQLITE_DONE ? 0 : pt_db_fail(db, rc, "cannot read the case's events", e);
}

static int show(struct pt_db *db, const struct pt_rules *r, const char *key, long today, bool redact,
		struct show *out, struct pt_err *e)
{
	struct deadline_ctx dx = { out, e, 0 };
	struct pt_case c;
	int rc;

	/* One read transaction: every part as of one moment. */
	if (pt_db_exec(db, "BEGIN", e))
		return -1;
	rc = pt_case_load(db, r, key, &c, e);
	if (rc == 0)
		rc = show_fields(db, c.id, redact, out, e);
	if (rc == 0)
		rc = show_mark(db, c.id, "important", "marked_important", "unmarked_important", out, e);
	if (rc == 0)
		rc = show_mark(db, c.id, "typical", "marked_typical", "unmarked_typical", out, e);
	if (rc == 0)
		rc = show_matter(db, r, &c, out, e);
	if (rc == 0)
		rc = show_steps(db, c.id, out, e);
	if (rc == 0)
		rc = pt_case_deadlines(db, r, c.case_no, today, show_deadline, &dx, e) || dx.rc ? -1 : 0;
	if (rc == 0)
		rc = show_events(db, c.id, r->utc_offset, out, e);
	sqlite3_exec(db->sql, "COMMIT", NULL, NULL, NULL);
	pt_case_release(&c);
	return rc;
}

int pt_case_show(struct pt_db *db, const struct pt_rules *r, const char *key, long today, bool redact,
		 struct pt_fmt *out, struct pt_err *e)
{
	struct show to = { out, NULL, 0, NULL, PT_EVENT_WORDS_INIT, PT_BUF_INIT };

	pt_fmt_json_column(out, 2); /* value: show_row() makes each one JSON */
	return show(db, r, key, today, redact, &to, e);
}

int pt_case_show_text(struct pt_db *db, const struct pt_rules *r, const char *key, long today, bool redact,
		      size_t width, FILE *out, struct pt_err *e)
{
	struct show to = { NULL, out, width, NULL, PT_EVENT_WORDS_INIT, PT_BUF_INIT };
	int rc = pt_event_words_init(&to.words, db, e);

	if (rc == 0)
		rc = show(db, r, key, today, redact, &to, e);
	pt_event_words_release(&to.words);
	pt_buf_release(&to.line);
	return rc;
}

/* ---- list ---- */

/* The columns the case's life gives, after intake's fields (enum pt_list_column). */
static const struct {
	const char *name, *label;
} life_columns[PT_LIST_NCOLUMNS - PT_NFIELDS] = {
	[PT_LIST_CASE_NO - PT_NFIELDS] = { "case_no", "案号" },
	[PT_LIST_FLAGS - PT_NFIELDS] = { "flags", "标记" },
	[PT_LIST_STATE - PT_NFIELDS] = { "state", "状态" },
	[PT_LIST_HOLDER - PT_NFIELDS] = { "holder", "当前承办" },
	[PT_LIST_OUTCOME - PT_NFIELDS] = { "outcome", "办理结果" },
	[PT_LIST_SATISFACTION - PT_NFIELDS] = { "satisfaction", "满意度" },
};

static const char *column_name(int c, bool zh)
{
	if (c < PT_NFIELDS)
		return zh ? pt_field_label((enum pt_field)c) : pt_field_name((enum pt_field)c);
	return zh ? life_columns[c - PT_NFIELDS].label : life_columns[c - PT_NFIELDS].name;
}

/* The column a name means (English, or a Chinese header intake reads), or -1. */
static int column_named(const char *name)
{
	int f = pt_field_from_header(name);

	if (f >= 0)
		return f;
	for (int c = PT_NFIELDS; c < PT_LIST_NCOLUMNS; c++)
		if (!strcmp(name, life_columns[c - PT_NFIELDS].name) || !strcmp(name, life_columns[c - PT_NFIELDS].label))
			return c;
	return -1;
}

static int unknown_column(const char *name, struct pt_err *e)
{
	const char *names[PT_LIST_NCOLUMNS];
	struct pt_buf all = PT_BUF_INIT;
	const char *near;

	for (int c = 0; c < PT_LIST_NCOLUMNS; c++) {
		names[c] = column_name(c, false);
		pt_buf_addf(&all, "%s%s", c ? ", " : "", names[c]);
	}
	near = pt_closest(name, names, PT_LIST_NCOLUMNS);
	if (near)
		pt_err_field(e, PT_EUSAGE, "", "columns", ": '%s' is not a column (did you mean '%s'?)", name, near);
	else
		pt_err_field(e, PT_EUSAGE, "", "columns", ": '%s' is not a column (%s)", name, all.buf);
	pt_buf_release(&all);
	return -1;
}

static int add_column(struct pt_case_columns *c, const char *name, struct pt_err *e)
{
	int col = column_named(name);

	if (!*name)
		return pt_err_field(e, PT_EUSAGE, "", "columns", ": an empty column name");
	if (col < 0)
		return unknown_column(name, e);
	for (size_t i = 0; i < c->n; i++)
		if (c->col[i] == col)
			return pt_err_field(e, PT_EUSAGE, "", "columns", ": '%s' is given twice", name);
	c->col[c->n++] = col;
	return 0;
}

int pt_case_columns_choose(struct pt_case_columns *c, const char *names, bool all, bool zh, struct pt_err *e)
{
	static const int usual[] = {
		PT_LIST_CASE_NO, PT_F_RECEIVED_ON, PT_F_UNIT, PT_F_CHANNEL, PT_F_CATEGORY, PT_F_PETITIONER,
		PT_F_PERSONS, PT_LIST_FLAGS, PT_LIST_STATE, PT_LIST_HOLDER, PT_LIST_OUTCOME, PT_LIST_SATISFACTION,
	};
	struct pt_buf name = PT_BUF_INIT;
	int rc = 0;

	c->n = 0;
	c->zh = zh;
	if (names) {
		const char *p = names;

		while (rc == 0 && next_name(&p, &name))
			rc = add_column(c, pt_buf_str(&name), e);
	} else if (all) {
		for (int f = 0; f < PT_NFIELDS; f++)
			c->col[c->n++] = f;
	} else {
		for (size_t i = 0; i < sizeof usual / sizeof *usual; i++)
			c->col[c->n++] = usual[i];
	}
	pt_buf_release(&name);
	for (size_t i = 0; i < c->n; i++) {
		c->head[i].name = column_name(c->col[i], zh);
		c->head[i].kind = c->col[i] == PT_F_PERSONS ? PT_COL_NUMBER
				: c->col[i] == PT_LIST_FLAGS ? PT_COL_LIST : PT_COL_TEXT;
	}
	return rc;
}

/* Check the filters against the rules and put them in canonical form. */
static int list_filters(const struct pt_rules *r, const struct pt_case_filter *f, const char **unit,
			const char **category, const char **channel, struct pt_err *e)
{
	const struct pt_unit *u = NULL;
	const struct pt_category *cat = NULL;

	*unit = *category = *channel = NULL;
	if (f->state && strcmp(f->state, "open") && pt_vocab_index(PT_VOCAB_STATE, f->state) < 0) {
		struct pt_buf list = PT_BUF_INIT;

		/* "open": every state still the office's business (not PT_CASE_CLOSED_STATES) */
		pt_vocab_join(PT_VOCAB_STATE, &list, ", ");
		pt_buf_adds(&list, " or open");
		pt_vocab_suggest(PT_VOCAB_STATE, f->state, &list);
		pt_err_field(e, PT_EUSAGE, "", "state", " '%s' is not one of %s", f->state, list.buf);
		pt_buf_release(&list);
		return -1;
	}
	if (f->unit && !(u = pt_rules_unit(r, f->unit)))
		return pt_rules_unknown(r, PT_RULES_UNITS, e, PT_EUSAGE, "unit", f->unit);
	if (f->unit)
		*unit = u->code;
	if (f->category && !(cat = pt_rules_category(r, f->category)))
		return pt_rules_unknown(r, PT_RULES_CATEGORIES, e, PT_EUSAGE, "category", f->category);
	if (f->category)
		*category = cat->name;
	if (f->channel && !(*channel = pt_vocab_code(PT_VOCAB_CHANNEL, f->channel))) {
		struct pt_buf near = PT_BUF_INIT;

		pt_vocab_suggest(PT_VOCAB_CHANNEL, f->channel, &near);
		pt_err_field(e, PT_EUSAGE, "", "channel", ": '%s' is not a channel (%s)%s", f->channel,
			     pt_vocab_help(PT_VOCAB_CHANNEL), pt_buf_str(&near));
		pt_buf_release(&near);
		return -1;
	}
	return 0;
}

/* The SELECT of list: the columns in enum pt_list_column order (flags left NULL), then the
 * flags' columns from LIST_FLAGS on. repeat_of is the case it repeats as of now: the latest
 * correction's (repeat_marked), else the one found or named at intake. */
#define LIST_FLAGS PT_LIST_NCOLUMNS
static const char list_sql[] =
	"SELECT received_on, channel, petitioner, id_number, phone, employer, unit, received_by, category,"
	" persons, addressed_to, summary, external_id, source_ref, competent_unit,"
	" coalesce((SELECT CASE WHEN json_extract(data, '$.repeat') THEN json_extract(data, '$.of') END FROM events"
	"   WHERE petition_id = petitions.id AND kind = 'repeat_marked' ORDER BY id DESC LIMIT 1),"
	"  (SELECT r.case_no FROM petitions r WHERE r.id = petitions.repeat_of"
	"   AND NOT EXISTS (SELECT 1 FROM events WHERE petition_id = petitions.id AND kind = 'repeat_marked'))),"
	" case_no, NULL, state, holder, outcome, satisfaction,"
	" collective, " PT_CASE_REPEAT_SQL("petitions") ", named_letter, " PT_CASE_FINAL_SQL("petitions") ", skip_level"
	" FROM petitions"
	" WHERE received_on BETWEEN ?1 AND ?2 AND" PT_SEEN("petitions")
	" AND (?3 IS NULL OR state = ?3 OR (?3 = 'open' AND state NOT IN (" PT_CASE_CLOSED_STATES ")))"
	" AND (?4 IS NULL OR unit = ?4) AND (?5 IS NULL OR category = ?5)"
	" AND (?6 IS NULL OR channel = ?6) AND (?7 IS NULL OR holder = ?7)"
	" AND (?8 = 0 OR collective) AND (?9 = 0 OR " PT_CASE_REPEAT_SQL("petitions") ") AND (?10 = 0 OR named_letter)"
	" AND (?11 = 0 OR channel = 'transfer')"
	" AND (?12 = 0 OR " PT_CASE_FINAL_SQL("petitions") ") AND (?13 = 0 OR skip_level)"
	" ORDER BY received_on, id";

static void flags_text(sqlite3_stmt *q, bool zh, struct pt_buf *b)
{
	static const char *const names[][2] = {
		{ "collective", "集体访" }, { "repeat", "重复信访" }, { "named_letter", "署名信" },
		{ "final", "终结" }, { "skip_level", "越级" },
	};

	for (int i = 0; i < 5; i++)
		if (sqlite3_column_int(q, LIST_FLAGS + i))
			pt_buf_addf(b, "%s%s", b->len ? " " : "", names[i][zh]);
}

/* The value of column c of q's row as written: in Chinese, with personal data masked. */
static const char *list_value(const struct pt_rules *r, sqlite3_stmt *q, int c, bool zh,
			      bool redact, struct pt_buf *b)
{
	const char *v = (const char *)sqlite3_column_text(q, c);
	const struct pt_unit *u;

	pt_buf_reset(b);
	switch (c) {
	case PT_LIST_FLAGS:
		flags_text(q, zh, b);
		return b->len ? b->buf : NULL;
	case PT_F_PETITIONER:
	case PT_F_ID_NUMBER:
	case PT_F_PHONE:
		return redact && v && pt_mask_personal(pt_field_name((enum pt_field)c), v, b) ? pt_buf_str(b) : v;
	case PT_F_SUMMARY:
		if (!redact)
			return v;
		pt_mask_text(v, (const char *)sqlite3_column_text(q, PT_F_PETITIONER),
			     (const char *)sqlite3_column_text(q, PT_F_ID_NUMBER),
			     (const char *)sqlite3_column_text(q, PT_F_PHONE), b);
		return pt_buf_str(b);
	case PT_F_CHANNEL:
		return zh ? pt_vocab_label(PT_VOCAB_CHANNEL, v) : v;
	case PT_LIST_STATE:
		return zh ? pt_vocab_label(PT_VOCAB_STATE, v) : v;
	case PT_F_UNIT:
	case PT_F_COMPETENT_UNIT:
		return zh && v && (u = pt_rules_unit(r, v)) ? u->name : v;
	default:
		return v;
	}
}

int pt_case_list(struct pt_db *db, const struct pt_rules *r, const struct pt_case_filter *f,
		 const struct pt_case_columns *cols, struct pt_fmt *out, unsigned long long *count,
		 struct pt_err *e)
{
	const char *unit, *category, *channel;
	char from[PT_DATE_LEN], to[PT_DATE_LEN];
	struct pt_buf cell[PT_LIST_NCOLUMNS];
	sqlite3_stmt *q = NULL;
	int rc;

	*count = 0;
	if (list_filters(r, f, &unit, &category, &channel, e) || pt_db_prepare(db, list_sql, &q, e))
		return -1;
	pt_date_format(f->from >= 0 ? f->from : pt_days_from_civil(1900, 1, 1), from);
	pt_date_format(f->to >= 0 ? f->to : pt_days_from_civil(9999, 12, 31), to);
	sqlite3_bind_text(q, 1, from, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, to, -1, SQLITE_STATIC);
	pt_db_bind_text(q, 3, f->state);
	pt_db_bind_text(q, 4, unit);
	pt_db_bind_text(q, 5, category);
	pt_db_bind_text(q, 6, channel);
	pt_db_bind_text(q, 7, f->holder);
	sqlite3_bind_int(q, 8, f->collective);
	sqlite3_bind_int(q, 9, f->repeat);
	sqlite3_bind_int(q, 10, f->named_letter);
	sqlite3_bind_int(q, 11, f->transferred);
	sqlite3_bind_int(q, 12, f->final);
	sqlite3_bind_int(q, 13, f->skip_level);
	for (size_t i = 0; i < cols->n; i++)
		cell[i] = (struct pt_buf)PT_BUF_INIT;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		const char *row[PT_LIST_NCOLUMNS];

		for (size_t i = 0; i < cols->n; i++)
			row[i] = list_value(r, q, cols->col[i], cols->zh, f->redact, &cell[i]);
		if (pt_fmt_row(out, row, e))
			break;
		(*count)++;
	}
	sqlite3_finalize(q);
	for (size_t i = 0; i < cols->n; i++)
		pt_buf_release(&cell[i]);
	if (e->kind)
		return -1;
	return rc == SQLITE_DONE ? 0 : pt_db_fail(db, rc, "cannot read the cases", e);
}
