/* Unit tests of lib/buf and lib/err. */
#include "../../lib/buf.h"
#include "../../lib/err.h"
#include "tap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(void)
{
	struct pt_buf b = PT_BUF_INIT;
	struct pt_err e = PT_ERR_INIT;
	struct pt_errlist l = PT_ERRLIST_INIT;
	char *s;

	is_str(pt_buf_str(&b), "", "a new buffer reads as empty");
	for (int i = 0; i < 1000; i++)
		pt_buf_addf(&b, "%d,", i);
	ok(b.len == 3890, "1000 numbers appended (%zu bytes)", b.len);
	ok(b.buf[b.len] == '\0', "NUL-terminated");
	pt_buf_reset(&b);
	pt_buf_adds(&b, "甲");
	pt_buf_addch(&b, 'x');
	is_str(b.buf, "甲x", "add string and char");
	s = pt_buf_detach(&b);
	is_str(s, "甲x", "detach hands the string over");
	ok(b.buf == NULL && b.len == 0, "and empties the buffer");
	free(s);

	{
		/* pt_buf_add_int against printf's "%0*lld", the case numbers' format */
		static const long long vs[] = { 0, 1, 7, 9, 10, 99, 100, 2026, 123456, 999999, 1000000, -1, -42,
						9223372036854775807LL, -9223372036854775807LL - 1 };
		int bad = 0;

		for (size_t i = 0; i < sizeof vs / sizeof *vs; i++)
			for (int w = 0; w <= 9; w++) {
				char want[64];

				snprintf(want, sizeof want, "%0*lld", w, vs[i]);
				pt_buf_reset(&b);
				pt_buf_add_int(&b, vs[i], w);
				if (strcmp(b.buf, want)) {
					printf("# %lld width %d: got %s, want %s\n", vs[i], w, b.buf, want);
					bad++;
				}
			}
		ok(bad == 0, "pt_buf_add_int writes what %%0*lld writes, widths 0-9, signs, the extremes");
		pt_buf_release(&b);
	}

	ok(pt_err_set(&e, PT_EDATA, "bad %s", "thing") == -1, "pt_err_set returns -1");
	ok(e.kind == 65, "kind is the exit status");
	pt_err_at(&e, PT_ECONFIG, "rules.yaml", 4, 3, "unknown key '%s'", "qeue");
	s = pt_err_format(&e);
	is_str(s, "rules.yaml:4:3: unknown key 'qeue'", "file:line:col: message");
	free(s);
	pt_err_prefix(&e, "loading");
	is_str(e.msg, "loading: unknown key 'qeue'", "prefix");
	pt_err_release(&e);
	ok(e.msg == NULL && e.kind == 0, "release clears");

	pt_errlist_add(&l, PT_EDATA, "a.csv", 2, 0, "one");
	pt_errlist_add(&l, PT_EDATA, "a.csv", 3, 0, "two");
	s = pt_err_format(&l.v[1]);
	is_str(s, "a.csv:3: two", "a list keeps every problem");
	free(s);
	pt_errlist_release(&l);

	ok(pt_edit_distance("intake", "intak") == 1, "distance 1");
	ok(pt_edit_distance("kitten", "sitting") == 3, "kitten/sitting is 3");
	/* in characters, not bytes: one Chinese character is three bytes of UTF-8 */
	ok(pt_edit_distance("劳动报醻", "劳动报酬") == 1, "one character apart in Chinese is 1");
	ok(pt_edit_distance("北京市总工会", "临沂市总工会") == 2, "two characters apart is 2");
	ok(pt_display_width("a张") == 3, "display width: ASCII 1, Chinese 2");
	{
		const char *cmds[] = { "init", "intake", "rules" };

		is_str(pt_closest("intak", cmds, 3), "intake", "closest to intak");
		is_str(pt_closest("rulse", cmds, 3), "rules", "closest to rulse");
		ok(pt_closest("report", cmds, 3) == NULL, "nothing close to report");
	}
	return done_testing();
}
