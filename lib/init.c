#include "init.h"
#include "buf.h"
#include "event.h"

#include <string.h>

/* The rules of a database opened at version 0 are absent, so any rules count as new. */
static bool rules_would_change(struct pt_db *db, const struct pt_rules *r)
{
	struct pt_err ignore = PT_ERR_INIT;
	struct pt_rules *cur;
	bool change;

	if (db->schema_version == 0)
		return true;
	cur = pt_rules_from_db(db, &ignore);
	change = !cur || strcmp(cur->sha256, r->sha256) != 0;
	pt_rules_free(cur);
	pt_err_release(&ignore);
	return change;
}

int pt_init(struct pt_db *db, const struct pt_rules *r, bool dry_run, struct pt_init_result *res,
	    struct pt_err *e)
{
	struct pt_buf data = PT_BUF_INIT;
	int applied = 0;

	memset(res, 0, sizeof *res);
	res->from_version = db->schema_version;
	res->to_version = pt_db_schema_version();
	if (dry_run) {
		res->rules_changed = rules_would_change(db, r);
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
	if (pt_rules_store(db, r, &res->rules_changed, e))
		goto fail;
	pt_buf_release(&data);
	return pt_db_commit(db, e);
fail:
	pt_buf_release(&data);
	pt_db_rollback(db);
	return -1;
}
