/* Unit tests of lib/err: errors about a field leave its name to the caller, who names it
 * its own way (a command its option); a prefix and a place keep the name where it was. */
#include "../../lib/err.h"
#include "../../lib/buf.h"
#include "tap.h"

#include <stdlib.h>

static void as_option(void *ctx, const char *field, struct pt_buf *b)
{
	(void)ctx;
	pt_buf_addf(b, "--%s", field);
}

static void check(const struct pt_err *e, const char *own, const char *named, const char *what)
{
	char *got = pt_err_format(e);

	is_str(got, own, "%s: named by the field", what);
	free(got);
	got = pt_err_format_named(e, as_option, NULL);
	is_str(got, named, "%s: named by the caller", what);
	free(got);
}

int main(void)
{
	struct pt_err e = PT_ERR_INIT;

	ok(pt_err_field(&e, PT_EUSAGE, "reject needs ", "refer", "%s", "") == -1 && e.kind == PT_EUSAGE &&
	   !strcmp(e.field[0].name, "refer"), "pt_err_field sets the kind and the field, returns -1");
	check(&e, "reject needs refer", "reject needs --refer", "a field at the end");
	pt_err_field(&e, PT_EDATA, "", "by", ": '%s' is not a leader", "王五");
	check(&e, "by: '王五' is not a leader", "--by: '王五' is not a leader", "a field first");
	pt_err_field(&e, PT_EUSAGE, "instruct ", "force", " needs ");
	pt_err_also(&e, "reason", " (why%s)", " not");
	check(&e, "instruct force needs reason (why not)", "instruct --force needs --reason (why not)", "two fields");
	pt_err_prefix(&e, "case %d", 7);
	check(&e, "case 7: instruct force needs reason (why not)", "case 7: instruct --force needs --reason (why not)",
	      "a prefix moves the fields");
	pt_err_place(&e, "in.csv", 3, 0);
	check(&e, "in.csv:3: case 7: instruct force needs reason (why not)",
	      "in.csv:3: case 7: instruct --force needs --reason (why not)", "a place");
	pt_err_set(&e, PT_EDATA, "plain");
	ok(!e.field[0].name && !e.field[1].name && !e.file, "setting an error again forgets the fields and the place");
	check(&e, "plain", "plain", "no field");
	pt_err_release(&e);
	return done_testing();
}
