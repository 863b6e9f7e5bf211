/* route: who must do what on a case (petition-route).
 *
 * The routing rules (rules.h, petition-rules(5)) are tried in order; the first whose
 * conditions all hold and whose every target is somebody for the case decides its steps:
 * who (a leader or department), what (open, instruct, handle, supervise), in order. The
 * first pending step's holder is the case's holder.
 *
 * pt_route_all() routes every case still registered in one change with ONE 'routed' event
 * for the run (as intake writes one event per import, and for the same reason: a million
 * hash-chained events would cost more than the work): its data holds the rules' SHA-256,
 * the number of cases and steps, the cases routed with no new step, and the digest of the
 * steps as stored (change.h); each step row names its rule and points to the event. The
 * cases it moves to assigned are those it gave steps (and those it names), each held by its
 * first new step's holder: what the replay (replay.h) does for it. Routing one case, a manual step and a
 * transfer each write one event about the case. Routing never touches the events that
 * deadlines count from, so re-routing never resets a deadline.
 *
 * Ownership: everything passed in is borrowed. */
#ifndef PT_ROUTE_H
#define PT_ROUTE_H

#include <stdbool.h>

#include "case.h"
#include "db.h"
#include "progress.h"
#include "err.h"
#include "fmt.h"
#include "rules.h"

/* The columns of every routing listing: case, step, holder, action, rule. */
extern const struct pt_col pt_route_cols[];
extern const size_t pt_route_ncols;

struct pt_route_opts {
	bool dry_run;
	long today;
	/* Called for a case no rule matches (it stays registered); may be NULL. */
	void (*on_unmatched)(void *ctx, const char *case_no);
	void *ctx;
	/* pt_route_all: after each page, the cases read so far of those registered at the start. */
	struct pt_progress progress;
};

struct pt_route_result {
	unsigned long long routed, unmatched, steps;
};

/* Every registered case. */
int pt_route_all(struct pt_db *db, const struct pt_rules *r, const struct pt_route_opts *o,
		 struct pt_fmt *out, struct pt_route_result *res, struct pt_err *e);
/* One case (registered, assigned or accepted): its pending steps are replaced by the ones
 * the rules give now; steps done stay. No rule matching is PT_EDATA. */
int pt_route_one(struct pt_db *db, const struct pt_rules *r, const char *key, const struct pt_route_opts *o,
		 struct pt_fmt *out, struct pt_err *e);
/* A manual step: `to` (a leader or department) must do `action` now; a pending step of the
 * same action is cancelled (it is taken over), other pending steps follow it. */
int pt_route_manual(struct pt_db *db, const struct pt_rules *r, const char *key, const char *to,
		    const char *action, const char *note, const struct pt_route_opts *o, struct pt_fmt *out,
		    struct pt_err *e);
/* Hand a case down to a lower unit (交办: unit, a unit below the case's) or out to another
 * body (转送: body, its name; the case leaves the office as transferred_out). */
int pt_route_transfer(struct pt_db *db, const struct pt_rules *r, const char *key, const char *unit,
		      const char *body, const char *note, const struct pt_route_opts *o, struct pt_fmt *out,
		      struct pt_err *e);

/* An unnamed letter the clerk opened, sent by its content (临会办〔2014〕36号: "或") to a
 * leader for instruction (阅批) or straight to the petition department: the pending
 * instruct steps give way to the leader's (kept when it is the one pending), or are
 * cancelled and the petition department handles it. One 'sent' event, holding the choice. */
int pt_route_send(struct pt_db *db, const struct pt_rules *r, const char *key, const char *to, const char *note,
		  const struct pt_route_opts *o, struct pt_fmt *out, struct pt_err *e);

/* Every rule tried on the case, whether it matched and why not, and the resulting steps,
 * in the columns of pt_route_explain_cols; writes nothing. */
extern const struct pt_col pt_route_explain_cols[];
extern const size_t pt_route_explain_ncols;
int pt_route_explain(struct pt_db *db, const struct pt_rules *r, const char *key, struct pt_fmt *out,
		     struct pt_err *e);

/* The facts routing looks at, and the holders a rule gives for them. */
struct pt_route_facts {
	const char *unit, *channel, *category, *addressed_to;
	long persons;
	bool collective, repeat, named_letter;
	bool final;              /* a final matter (终结) not reopened on a decision: the rule "final" */
};

/* Whether the rule matches; holders[k] gets the holder of step k (borrowed from the rules
 * or the facts; at most rr->nsteps); when it does not match, why (when not NULL). */
bool pt_route_rule_matches(const struct pt_rules *r, const struct pt_route_rule *rr,
			   const struct pt_route_facts *f, const char **holders, struct pt_buf *why);
/* The first rule that matches, or NULL. */
const struct pt_route_rule *pt_route_match(const struct pt_rules *r, const struct pt_route_facts *f,
					   const char **holders);

#endif
