/* init: create or upgrade a database (petition-init).
 *
 * A missing database is built under a temporary name beside it (mode 0600, WAL, schema,
 * 'init' event, rules) and then linked into place, so that no other program ever sees a
 * half-made file and two inits racing for the same path cannot remove each other's work:
 * the one that links second finds the database there and upgrades it like any other.
 *
 * An existing database is upgraded in one transaction under the write lock: the migrations
 * it lacks, an 'init' event when the schema changed, and rules: the given ones (`explicit`,
 * from --rules) when they are not already in force; the default only into a database that
 * has no rules yet, so that upgrading never puts the default back over the office's own.
 * A database that is up to date with its rules is left as it is. */
#ifndef PT_INIT_H
#define PT_INIT_H

#include <stdbool.h>

#include "db.h"
#include "rules.h"

struct pt_init_result {
	int from_version, to_version;
	bool rules_changed;
};

int pt_init_path(const char *path, const char *program, const struct pt_rules *r, bool explicit,
		 bool dry_run, struct pt_init_result *res, struct pt_err *e);
/* The same on a database already open (upgrade only). */
int pt_init(struct pt_db *db, const struct pt_rules *r, bool explicit, bool dry_run,
	    struct pt_init_result *res, struct pt_err *e);

/* petition rules load: store r as the rules in force, logged (change.h); *changed is false
 * when they are in force already (nothing is written). */
int pt_init_load_rules(struct pt_db *db, const struct pt_rules *r, bool dry_run, bool *changed,
		       struct pt_err *e);

#endif
