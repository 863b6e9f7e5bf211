/* Unit tests of lib/fmt: table widths with Chinese text, csv, tsv, json, BOM, GB18030,
 * --crlf and --excel, documents of several tables, html. */
#include "../../lib/fmt.h"
#include "tap.h"

#include <stdlib.h>
#include <string.h>

static char *render_opts(const struct pt_fmt_opts *o, const char *const *rows, size_t nrows)
{
	static const struct pt_col cols[] = { { "name", false }, { "n", true } };
	struct pt_err e = PT_ERR_INIT;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct pt_fmt *fm = pt_fmt_new(f, o, cols, 2, &e);

	for (size_t i = 0; i < nrows; i++)
		pt_fmt_row(fm, rows + 2 * i, &e);
	pt_fmt_finish(fm, &e);
	fclose(f);
	return buf;
}

static char *render(enum pt_format format, bool bom, const char *enc, const char *const *rows, size_t nrows)
{
	struct pt_fmt_opts o = { .format = format, .bom = bom, .encoding = enc };

	return render_opts(&o, rows, nrows);
}

/* A document of two tables, the second empty. */
static char *render_doc(enum pt_format format)
{
	static const struct pt_col cols[] = { { "code", false }, { "n", true }, { "m", true } };
	static const char *const groups[] = { NULL, "计数", "计数" };
	static const char *const labels[] = { "代码", NULL, "M" };
	static const struct pt_fmt_field fields[] = { { "unit", "填报单位", "A&B <县>" } };
	static const char *const sign[] = { "负责人" };
	static const struct pt_fmt_doc doc = { "表", fields, 1, sign, 1 };
	const char *row[] = { "0005", "3", "" };
	struct pt_fmt_opts o = { .format = format };
	struct pt_err e = PT_ERR_INIT;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct pt_fmt *fm = pt_fmt_new_doc(f, &o, &doc, &e);

	pt_fmt_section(fm, &(struct pt_fmt_table){ "A", "A 一", cols, 3, labels, groups }, &e);
	pt_fmt_row(fm, row, &e);
	pt_fmt_section(fm, &(struct pt_fmt_table){ "B", "B 二", cols, 3, NULL, NULL }, &e);
	pt_fmt_finish(fm, &e);
	fclose(f);
	return buf;
}

int main(void)
{
	const char *rows[] = { "张三", "5", "Li, \"Q\"", "12", "a\tb\nc", NULL };
	const char *excel[] = { "=HYPERLINK(\"x\")", "-3", "440524188001010014", "5", "0005", "12", "-x", "", "@a", "" };
	struct pt_fmt_opts bad = { .format = PT_FMT_CSV, .bom = true, .encoding = "gb18030" };
	struct pt_fmt_opts json_gb = { .format = PT_FMT_JSON, .encoding = "gb18030" };
	struct pt_fmt_opts o;
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
	is_str(s, "name,n\n张三,5\n\"Li, \"\"Q\"\"\",12\n\"a\tb\nc\",\n", "csv: RFC 4180, LF");
	free(s);
	s = render(PT_FMT_CSV, true, NULL, rows, 1);
	is_str(s, "\xef\xbb\xbfname,n\n张三,5\n", "csv with BOM");
	free(s);
	o = (struct pt_fmt_opts){ .format = PT_FMT_CSV, .crlf = true };
	s = render_opts(&o, rows, 1);
	is_str(s, "name,n\r\n张三,5\r\n", "csv --crlf");
	free(s);
	/* --excel: BOM, CRLF; a formula after an apostrophe; a number of a numeric column as it
	 * is (-3), an ID-like number (18 digits, or a leading zero) as ="..."; -x is a text
	 * Excel would read as a formula; 5 is a short number Excel keeps. */
	o = (struct pt_fmt_opts){ .format = PT_FMT_CSV, .excel = true };
	s = render_opts(&o, excel, 5);
	is_str(s, "\xef\xbb\xbfname,n\r\n\"'=HYPERLINK(\"\"x\"\")\",-3\r\n\"=\"\"440524188001010014\"\"\",5\r\n"
		  "\"=\"\"0005\"\"\",12\r\n'-x,\r\n'@a,\r\n", "csv --excel");
	free(s);
	s = render(PT_FMT_TSV, false, NULL, rows + 4, 1);
	is_str(s, "name\tn\na\\tb\\nc\t\n", "tsv escapes tab and newline");
	free(s);
	s = render(PT_FMT_JSON, false, NULL, rows, 3);
	is_str(s, "[\n  {\"name\": \"张三\", \"n\": 5},\n  {\"name\": \"Li, \\\"Q\\\"\", \"n\": 12},\n"
		  "  {\"name\": \"a\\tb\\nc\", \"n\": null}\n]\n", "json: numbers, escapes, null");
	free(s);
	s = render(PT_FMT_JSON, false, NULL, excel + 6, 2);
	is_str(s, "[\n  {\"name\": \"-x\", \"n\": null},\n  {\"name\": \"@a\", \"n\": null}\n]\n",
	       "json: an empty value is null, never \"\"");
	free(s);
	s = render_doc(PT_FMT_CSV);
	is_str(s, "A 一\ncode,n,m\n0005,3,\n\nB 二\ncode,n,m\n", "a document in csv: titles, a blank line between");
	free(s);
	s = render_doc(PT_FMT_JSON);
	is_str(s, "{\"unit\": \"A&B <县>\", \"A\": [\n  {\"code\": \"0005\", \"n\": 3, \"m\": null}\n], \"B\": []}\n",
	       "a document in json: one object, its fields and tables as members");
	free(s);
	s = render_doc(PT_FMT_HTML);
	ok(strstr(s, "<p class=\"fields\"><span>填报单位：A&amp;B &lt;县&gt;</span></p>") != NULL, "html: fields escaped");
	ok(strstr(s, "<tr><th rowspan=\"2\">代码</th><th colspan=\"2\">计数</th></tr>\n<tr><th>n</th><th>M</th></tr>") != NULL,
	   "html: a group over its columns, an ungrouped column over both rows, labels or names");
	ok(strstr(s, "<td class=\"none\" colspan=\"3\">无</td>") != NULL, "html: an empty table says 无");
	ok(strstr(s, "<span>负责人：</span>") != NULL && strstr(s, "@page { size: A4 landscape;") != NULL,
	   "html: signature lines, A4 landscape");
	free(s);
	s = render(PT_FMT_JSON, false, NULL, rows, 0);
	is_str(s, "[]\n", "json with no rows");
	free(s);
	s = render(PT_FMT_CSV, false, "gb18030", rows, 1);
	is_str(s, "name,n\n\xd5\xc5\xc8\xfd,5\n", "gb18030: 张三 is D5C5 C8FD");
	free(s);

	ok(pt_format_parse("json", &f) && f == PT_FMT_JSON, "format names");
	ok(!pt_format_parse("xml", &f), "unknown format");
	ok(pt_format_for_file("q3.XLSX", &f) && f == PT_FMT_XLSX && pt_format_for_file("a.b/r.htm", &f) &&
	   f == PT_FMT_HTML && !pt_format_for_file("a.csv/r", &f) && !pt_format_for_file("r.txt", &f),
	   "formats by a file's suffix");
	ok(pt_fmt_check_opts(&json_gb, &e) == -1 && e.kind == PT_EUSAGE, "json in gb18030 is a usage error");
	pt_err_release(&e);
	ok(pt_fmt_check_opts(&bad, &e) == -1 && e.kind == PT_EUSAGE, "--bom with gb18030 is a usage error");
	pt_err_release(&e);
	return done_testing();
}
