/* Unit tests of lib/change: the one write path. A change ends in one event that lists the
 * rows it wrote; a commit that wrote rows without an event is refused and keeps nothing. */
#include "../../lib/petition.h"
#include "query.h"
#include "tap.h"

#include <stdlib.h>
#include <unistd.h>

static char dir[] = "/tmp/petition-change-XXXXXX";

int main(void)
{
	struct pt_err e = PT_ERR_INIT;
	struct pt_errlist l = PT_ERRLIST_INIT;
	struct pt_buf path = PT_BUF_INIT;
	struct pt_init_result ir;
	const char *text = pt_rules_default_text();
	struct pt_rules *r = pt_rules_parse(text, strlen(text), "(default)", &l);
	struct pt_change *ch;
	struct pt_db *db;
	char *s;

	if (!mkdtemp(dir))
		return 1;
	pt_buf_addf(&path, "%s/t.db", dir);
	ok(pt_init_path(path.buf, "test", r, false, false, &ir, &e) == 0, "init");
	db = pt_db_open(path.buf, 0, "test", &e);

	/* a write around the write path */
	ok(pt_db_begin(db, &e) == 0 && pt_db_exec(db, "INSERT INTO case_seq VALUES ('LYS', 2026, 7)", &e) == 0,
	   "a row written in a bare transaction");
	ok(pt_db_commit(db, &e) == -1 && e.kind == PT_EINTERNAL, "its commit is refused as an internal error");
	is_str(e.msg ? strstr(e.msg, "without an event") : NULL, "without an event; nothing was kept", "the message says why");
	pt_err_release(&e);
	s = query(db, "SELECT count(*) FROM case_seq");
	is_str(s, "0", "and nothing was kept");
	free(s);
	ok(pt_db_exec(db, "INSERT INTO case_seq VALUES ('LYS', 2026, 8)", &e) == -1, "an autocommit write is refused too");
	pt_err_release(&e);

	/* the same write through a change */
	ch = pt_change_begin(db, r, 0, &e);
	ok(ch != NULL, "change begun");
	ok(pt_db_exec(db, "INSERT INTO case_seq VALUES ('LYS', 2026, 7)", &e) == 0, "a row written in the change");
	ok(pt_change_commit(ch, "test", 0, "{\"why\":\"a test\"}", false, &e) == 0, "committed with its event");
	s = query(db, "SELECT kind || ' ' || data FROM events ORDER BY id DESC LIMIT 1");
	is_str(s, "test {\"why\":\"a test\",\"rows\":[{\"t\":\"case_seq\",\"op\":\"insert\",\"v\":{\"unit\":\"LYS\","
		  "\"year\":2026,\"last\":7}}]}", "the event lists the row with every column");
	free(s);
	ch = pt_change_begin(db, r, 0, &e);
	ok(ch && pt_db_exec(db, "UPDATE case_seq SET last = 9", &e) == 0 &&
	   pt_change_commit(ch, "test", 0, NULL, false, &e) == 0, "an update");
	s = query(db, "SELECT data FROM events ORDER BY id DESC LIMIT 1");
	is_str(s, "{\"rows\":[{\"t\":\"case_seq\",\"op\":\"update\",\"k\":{\"unit\":\"LYS\",\"year\":2026},"
		  "\"v\":{\"last\":9}}]}", "an update lists the key and the new values of what changed");
	free(s);
	ch = pt_change_begin(db, r, 0, &e);
	ok(ch && pt_db_exec(db, "DELETE FROM case_seq", &e) == 0 &&
	   pt_change_commit(ch, "test", 0, NULL, true, &e) == 0, "a dry run");
	s = query(db, "SELECT count(*) || ' ' || (SELECT count(*) FROM events WHERE kind = 'test') FROM case_seq");
	is_str(s, "1 2", "a dry run keeps neither the row change nor its event");
	free(s);

	pt_db_close(db);
	pt_rules_free(r);
	pt_errlist_release(&l);
	pt_buf_release(&path);
	pt_buf_addf(&path, "rm -rf %s", dir);
	if (system(path.buf) != 0)
		return 1;
	pt_buf_release(&path);
	return done_testing();
}
