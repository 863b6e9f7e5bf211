#include "init.h"
#include "buf.h"
#include "change.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* How many rules rows the database holds, the newest loaded one's hash (or ""), and
 * whether that one is an embedded default (of this version or an earlier one). */
static int rules_state(struct pt_db *db, long long *count, char sha[PT_SHA256_HEX], bool *is_default,
		       struct pt_err *e)
{
	sqlite3_stmt *st = NULL;
	int rc;

	*count = 0;
	*is_default = false;
	sha[0] = '\0';
	if (db->schema_version == 0)
		return 0;
	/* one row, the newest loaded rules joined to the count (NULLs when none is loaded) */
	if (pt_db_prepare(db, "SELECT (SELECT count(*) FROM rules), l.sha256, l.source = '(default)' FROM (SELECT 1)"
			      " LEFT JOIN (SELECT sha256, source FROM rules WHERE kind = 'load' ORDER BY id DESC LIMIT 1) l",
			  &st, e))
		return -1;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		const char *h = (const char *)sqlite3_column_text(st, 1);

		*count = sqlite3_column_int64(st, 0);
		if (h && strlen(h) == 64)
			memcpy(sha, h, PT_SHA256_HEX);
		*is_default = sqlite3_column_int(st, 2);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : pt_db_fail(db, rc, "cannot read the rules", e);
}

/* 64 random bits (the kernel's; the time and pid should it fail, which still tells two
 * databases apart far better than the second they were made in). */
static unsigned long long random_mark(void)
{
	unsigned long long v = 0;

	if (getrandom(&v, sizeof v, 0) != (ssize_t)sizeof v)
		v = (unsigned long long)time(NULL) << 20 ^ (unsigned long long)getpid() ^ (unsigned long long)clock();
	return v;
}

/* Whether init stores r: given rules that are not in force, or the default into a database
 * that has never had rules or whose rules in force are an earlier version's default (an
 * upgrade brings the default up to date, as the program's law changed with it; an office's
 * own rules stay). */
static int should_store(struct pt_db *db, const struct pt_rules *r, bool explicit, bool *store,
			struct pt_err *e)
{
	char sha[PT_SHA256_HEX];
	long long count;
	bool is_default;

	if (rules_state(db, &count, sha, &is_default, e))
		return -1;
	*store = count == 0 || ((explicit || is_default) && strcmp(sha, r->sha256) != 0);
	return 0;
}

int pt_init(struct pt_db *db, const struct pt_rules *r, bool explicit, bool dry_run,
	    struct pt_init_result *res, struct pt_err *e)
{
	struct pt_buf data = PT_BUF_INIT, rules = PT_BUF_INIT;
	struct pt_change *ch = NULL;
	int applied = 0, rc = -1;
	bool store = false;

	memset(res, 0, sizeof *res);
	res->from_version = db->schema_version;
	res->to_version = pt_db_schema_version();
	if (dry_run)
		return should_store(db, r, explicit, &res->rules_changed, e);
	if (db->schema_version == 0 && pt_db_prepare_new(db, e))
		return -1;
	/* A migration may make a table again (schema/006-keys.sql), which SQLite's procedure
	 * does with foreign keys off; they can be turned off only outside a transaction. */
	if (db->schema_version < res->to_version && pt_db_exec(db, "PRAGMA foreign_keys = OFF", e))
		return -1;
	/* The rules are init's own to store, not an override of this run. */
	if (!(ch = pt_change_begin(db, NULL, 0, e)))
		goto fail;
	/* Under the lock: what another init may have done since we opened the file. */
	if (pt_db_migrate(db, &applied, e))
		goto fail;
	res->from_version = db->schema_version - applied;
	/* "log": 2 marks a log that the replay (replay.h) can follow from its first event;
	 * "database", a new database's own random mark (iCalendar UIDs unique across databases,
	 * even two made in the same second from the same rules). */
	pt_buf_addf(&data, "{\"from_version\":%d,\"to_version\":%d", res->from_version, res->to_version);
	if (res->from_version == 0)
		pt_buf_addf(&data, ",\"log\":2,\"database\":\"%016llx\"", random_mark());
	pt_buf_addch(&data, '}');
	if (should_store(db, r, explicit, &store, e))
		goto fail;
	if (!applied && !store) { /* up to date, with its rules: nothing to write */
		rc = 0;
		goto fail;
	}
	/* The schema's event first, then the rules' own event, each with its own rows. */
	if (applied && store && pt_change_event(ch, "init", 0, data.buf, e))
		goto fail;
	if (store && pt_change_store_rules(ch, r, &res->rules_changed, &rules, e))
		goto fail;
	rc = store ? pt_change_commit(ch, "rules.load", 0, rules.buf, false, e)
		   : pt_change_commit(ch, "init", 0, data.buf, false, e);
	ch = NULL;
fail:
	pt_change_abort(ch);
	pt_buf_release(&data);
	pt_buf_release(&rules);
	sqlite3_exec(db->sql, "PRAGMA foreign_keys = ON", NULL, NULL, NULL);
	return rc;
}

int pt_init_load_rules(struct pt_db *db, const struct pt_rules *r, bool dry_run, bool *changed, struct pt_err *e)
{
	struct pt_buf data = PT_BUF_INIT;
	struct pt_change *ch = pt_change_begin(db, NULL, 0, e);
	int rc = ch ? pt_change_store_rules(ch, r, changed, &data, e) : -1;

	if (rc == 0 && *changed)
		rc = pt_change_commit(ch, "rules.load", 0, data.buf, dry_run, e);
	else
		pt_change_abort(ch);
	pt_buf_release(&data);
	return rc;
}

/* Build a new database at a temporary name and link it to `path`. 1 when `path` appeared
 * meanwhile (another init won), 0 when ours is in place. */
static int create_new(const char *path, const char *program, const struct pt_rules *r,
		      struct pt_init_result *res, struct pt_err *e)
{
	struct pt_buf tmp = PT_BUF_INIT;
	struct pt_db *db = NULL;
	int fd, rc = -1;

	pt_buf_addf(&tmp, "%s.init-XXXXXX", path);
	fd = mkstemp(tmp.buf);     /* mode 0600 */
	if (fd < 0) {
		pt_err_set(e, PT_ECANTCREAT, "cannot create database %s: %s", path, strerror(errno));
		goto out;
	}
	close(fd);
	db = pt_db_open(tmp.buf, PT_DB_ANY_VERSION, program, e);
	if (!db || pt_init(db, r, true, false, res, e))
		goto out;
	pt_db_close(db);       /* checkpoints the WAL into the file and removes it */
	db = NULL;
	if (link(tmp.buf, path) == 0)
		rc = 0;
	else if (errno == EEXIST)
		rc = 1;
	else
		pt_err_set(e, PT_ECANTCREAT, "cannot create database %s: %s", path, strerror(errno));
out:
	pt_db_close(db);
	if (fd >= 0)
		unlink(tmp.buf);
	pt_buf_release(&tmp);
	return rc;
}

int pt_init_path(const char *path, const char *program, const struct pt_rules *r, bool explicit,
		 bool dry_run, struct pt_init_result *res, struct pt_err *e)
{
	struct pt_db *db;
	struct stat sb;
	int rc;

	if (stat(path, &sb) != 0 && errno == ENOENT) {
		if (lstat(path, &sb) == 0)
			return pt_err_set(e, PT_ECANTCREAT, "%s is a symbolic link to a file that does not exist", path);
		if (dry_run) {
			memset(res, 0, sizeof *res);
			res->to_version = pt_db_schema_version();
			res->rules_changed = true;
			return 0;
		}
		rc = create_new(path, program, r, res, e);
		if (rc <= 0)
			return rc;
	}
	db = pt_db_open(path, PT_DB_ANY_VERSION, program, e);
	if (!db)
		return -1;
	rc = pt_init(db, r, explicit, dry_run, res, e);
	pt_db_close(db);
	return rc;
}
