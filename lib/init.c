#include "init.h"
#include "buf.h"
#include "event.h"

#include <string.h>

/* The rules stored in the database, or NULL when it has none (a new database). */
static struct pt_rules *stored_rules(struct pt_db *db)
{
	struct pt_err ignore = PT_ERR_INIT;
	struct pt_rules *cur = NULL;

	if (db->schema_version > 0)
		cur = pt_rules_from_db(db, &ignore);
	pt_err_release(&ignore);
	return cur;
}

/* Whether init would store r: given rules that are not in force, or the default into a
 * database without rules. */
static bool rules_would_change(struct pt_db *db, const struct pt_rules *r, bool explicit)
{
	struct pt_rules *cur = stored_rules(db);
	bool change = !cur || (explicit && strcmp(cur->sha256, r->sha256) != 0);

	pt_rules_free(cur);
	return change;
}

int pt_init(struct pt_db *db, const struct pt_rules *r, bool explicit, bool dry_run,
	    struct pt_init_result *res, struct pt_err *e)
{
	struct pt_buf data = PT_BUF_INIT;
	int applied = 0;
	bool store;

	memset(res, 0, sizeof *res);
	res->from_version = db->schema_version;
	res->to_version = pt_db_schema_version();
	store = rules_would_change(db, r, explicit);
	if (dry_run) {
		res->rules_changed = store;
		return 0;
	}
	if (pt_db_migrate(db, &applied, e) || pt_db_begin(db, e))
		return -1;
	if (applied) {
		pt_buf_addf(&data, "{\"from_version\":%d,\"to_version\":%d}", res->from_version,
			    res->to_version);
		if (pt_event_append(db, "init", 0, data.buf, e))
			goto fail;
	}
	if (store && pt_rules_store(db, r, &res->rules_changed, e))
		goto fail;
	pt_buf_release(&data);
	return pt_db_commit(db, e);
fail:
	pt_buf_release(&data);
	pt_db_rollback(db);
	return -1;
}
