/* Unit tests of lib/fmt: table widths with Chinese text, csv, tsv, json, BOM, GB18030. */
#include "../../lib/fmt.h"
#include "tap.h"

#include <stdlib.h>

static char *render(enum pt_format format, bool bom, const char *enc, const char *const *rows, size_t nrows)
{
	static const struct pt_col cols[] = { { "name", false }, { "n", true } };
	struct pt_fmt_opts o = { format, bom, enc, false };
	struct pt_err e = PT_ERR_INIT;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct pt_fmt *fm = pt_fmt_new(f, &o, cols, 2, &e);

	for (size_t i = 0; i < nrows; i++)
		pt_fmt_row(fm, rows + 2 * i, &e);
	pt_fmt_finish(fm, &e);
	fclose(f);
	return buf;
}

int main(void)
{
	const char *rows[] = { "张三", "5", "Li, \"Q\"", "12", "a\tb\nc", NULL };
	struct pt_fmt_opts bad = { PT_FMT_CSV, true, "gb18030", false };
	struct pt_err e = PT_ERR_INIT;
	enum pt_format f;
	char *s;

	ok(pt_display_width("abc") == 3, "ASCII width");
	ok(pt_display_width("张三") == 4, "two Chinese characters are 4 columns");
	ok(pt_display_width("（全角）") == 8, "fullwidth punctuation is wide");
	ok(pt_display_width("e\xcc\x81") == 1, "combining accent has no width");

	s = render(PT_FMT_TABLE, false, NULL, rows, 2);
	is_str(s, "name      n\n张三      5\nLi, \"Q\"  12\n", "table aligns Chinese by display width, numbers right");
	free(s);
	s = render(PT_FMT_CSV, false, NULL, rows, 3);
	is_str(s, "name,n\r\n张三,5\r\n\"Li, \"\"Q\"\"\",12\r\n\"a\tb\nc\",\r\n", "csv: RFC 4180, CRLF");
	free(s);
	s = render(PT_FMT_CSV, true, NULL, rows, 1);
	is_str(s, "\xef\xbb\xbfname,n\r\n张三,5\r\n", "csv with BOM");
	free(s);
	s = render(PT_FMT_TSV, false, NULL, rows + 4, 1);
	is_str(s, "name\tn\na\\tb\\nc\t\n", "tsv escapes tab and newline");
	free(s);
	s = render(PT_FMT_JSON, false, NULL, rows, 3);
	is_str(s, "[\n  {\"name\": \"张三\", \"n\": 5},\n  {\"name\": \"Li, \\\"Q\\\"\", \"n\": 12},\n"
		  "  {\"name\": \"a\\tb\\nc\", \"n\": null}\n]\n", "json: numbers, escapes, null");
	free(s);
	s = render(PT_FMT_JSON, false, NULL, rows, 0);
	is_str(s, "[]\n", "json with no rows");
	free(s);
	s = render(PT_FMT_CSV, false, "gb18030", rows, 1);
	is_str(s, "name,n\r\n\xd5\xc5\xc8\xfd,5\r\n", "gb18030: 张三 is D5C5 C8FD");
	free(s);

	ok(pt_format_parse("json", &f) && f == PT_FMT_JSON, "format names");
	ok(!pt_format_parse("xml", &f), "unknown format");
	ok(pt_fmt_check_opts(&bad, &e) == -1 && e.kind == PT_EUSAGE, "--bom with gb18030 is a usage error");
	pt_err_release(&e);
	return done_testing();
}
