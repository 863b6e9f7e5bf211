/* init: create or upgrade a database (petition-init).
 *
 * Applies the migrations it lacks, then, in one transaction, appends an 'init' event when
 * the schema changed and installs rules: the given ones (`explicit`, from --rules) when they
 * are not already in force; the default only into a database that has no rules yet, so that
 * upgrading never puts the default back over the office's own rules. A database that is up
 * to date with its rules is left untouched. */
#ifndef PT_INIT_H
#define PT_INIT_H

#include <stdbool.h>

#include "db.h"
#include "rules.h"

struct pt_init_result {
	int from_version, to_version;
	bool rules_changed;
};

int pt_init(struct pt_db *db, const struct pt_rules *r, bool explicit, bool dry_run,
	    struct pt_init_result *res, struct pt_err *e);

#endif
