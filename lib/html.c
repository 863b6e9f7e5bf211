#include "html.h"

#define WIDE 16          /* columns from which a table is as wide as the page */

void pt_html_escape(struct pt_buf *b, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '&': pt_buf_adds(b, "&amp;"); break;
		case '<': pt_buf_adds(b, "&lt;"); break;
		case '>': pt_buf_adds(b, "&gt;"); break;
		case '"': pt_buf_adds(b, "&quot;"); break;
		case '\'': pt_buf_adds(b, "&#39;"); break;
		default: pt_buf_addch(b, *s);
		}
	}
}

/* A4 landscape, the borders of a paper form, small type so that a wide table fits, its
 * figures on one line; a narrow table's texts (a typical case's summary) wrap. */
static const char style[] =
	"@page { size: A4 landscape; margin: 10mm; }\n"
	"body { font-family: \"Noto Sans CJK SC\", \"Source Han Sans SC\", \"WenQuanYi Micro Hei\", SimSun, sans-serif;"
	" font-size: 10pt; margin: 0; }\n"
	"h1 { text-align: center; font-size: 16pt; margin: 0 0 6pt; }\n"
	"h2 { font-size: 11pt; margin: 10pt 0 3pt; }\n"
	"p.fields { display: flex; justify-content: space-between; margin: 0 0 4pt; }\n"
	"table { border-collapse: collapse; font-size: 8pt; }\n"
	"table.wide { width: 100%; font-size: 7.5pt; }\n"
	"table.wide td { white-space: nowrap; }\n"
	"thead { display: table-header-group; }\n"
	"tr { page-break-inside: avoid; }\n"
	"th, td { border: 1px solid #000; padding: 1pt 3pt; }\n"
	"th { font-weight: normal; background: #eee; }\n"
	"td.n { text-align: right; }\n"
	"td.none { text-align: center; }\n"
	"p.signatures { display: flex; justify-content: space-between; margin-top: 18pt; }\n"
	"p.signatures span { min-width: 14em; }\n";

void pt_html_begin(struct pt_buf *b, const char *title)
{
	pt_buf_adds(b, "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<title>");
	pt_html_escape(b, title);
	pt_buf_addf(b, "</title>\n<style>\n%s</style>\n</head>\n<body>\n", style);
	if (title && *title) {
		pt_buf_adds(b, "<h1>");
		pt_html_escape(b, title);
		pt_buf_adds(b, "</h1>\n");
	}
}

void pt_html_fields(struct pt_buf *b, const char *const *labels, const char *const *values, size_t n)
{
	if (!n)
		return;
	pt_buf_adds(b, "<p class=\"fields\">");
	for (size_t i = 0; i < n; i++) {
		pt_buf_adds(b, "<span>");
		pt_html_escape(b, labels[i]);
		pt_buf_adds(b, "：");
		pt_html_escape(b, values[i]);
		pt_buf_adds(b, "</span>");
	}
	pt_buf_adds(b, "</p>\n");
}

static void th(struct pt_buf *b, const char *label, const char *span, size_t n)
{
	pt_buf_adds(b, "<th");
	if (span && n > 1)
		pt_buf_addf(b, " %s=\"%zu\"", span, n);
	pt_buf_addch(b, '>');
	pt_html_escape(b, label);
	pt_buf_adds(b, "</th>");
}

/* Two rows when there are groups: a group's label over its columns, an ungrouped column
 * over both rows; then the grouped columns' own labels. */
static void head(struct pt_buf *b, const struct pt_head *h)
{
	size_t col = 0;

	pt_buf_adds(b, "<thead>\n<tr>");
	if (!h->ngroups) {
		for (size_t i = 0; i < h->ncols; i++)
			th(b, h->labels[i], NULL, 1);
		pt_buf_adds(b, "</tr>\n</thead>\n");
		return;
	}
	for (size_t g = 0; g < h->ngroups; g++) {
		if (h->glabel[g]) {
			th(b, h->glabel[g], "colspan", h->gspan[g]);
			col += h->gspan[g];
			continue;
		}
		for (size_t i = 0; i < h->gspan[g] && col < h->ncols; i++, col++)
			th(b, h->labels[col], "rowspan", 2);
	}
	for (; col < h->ncols; col++)
		th(b, h->labels[col], "rowspan", 2);
	pt_buf_adds(b, "</tr>\n<tr>");
	col = 0;
	for (size_t g = 0; g < h->ngroups; g++)
		for (size_t i = 0; i < h->gspan[g] && col < h->ncols; i++, col++)
			if (h->glabel[g])
				th(b, h->labels[col], NULL, 1);
	pt_buf_adds(b, "</tr>\n</thead>\n");
}

void pt_html_table_begin(struct pt_buf *b, const char *caption, const struct pt_head *h)
{
	if (caption && *caption) {
		pt_buf_adds(b, "<h2>");
		pt_html_escape(b, caption);
		pt_buf_adds(b, "</h2>\n");
	}
	/* a wide table (part A) takes the page's width; a narrow one only what it needs */
	pt_buf_adds(b, h->ncols > WIDE ? "<table class=\"wide\">\n" : "<table>\n");
	head(b, h);
	pt_buf_adds(b, "<tbody>\n");
}

void pt_html_row(struct pt_buf *b, const struct pt_head *h, const char *const *v)
{
	pt_buf_adds(b, "<tr>");
	for (size_t i = 0; i < h->ncols; i++) {
		pt_buf_adds(b, h->numeric[i] ? "<td class=\"n\">" : "<td>");
		pt_html_escape(b, v[i]);
		pt_buf_adds(b, "</td>");
	}
	pt_buf_adds(b, "</tr>\n");
}

void pt_html_table_end(struct pt_buf *b, const struct pt_head *h, unsigned long long rows)
{
	if (rows == 0)
		pt_buf_addf(b, "<tr><td class=\"none\" colspan=\"%zu\">无</td></tr>\n", h->ncols ? h->ncols : 1);
	pt_buf_adds(b, "</tbody>\n</table>\n");
}

void pt_html_end(struct pt_buf *b, const char *const *signatures, size_t n)
{
	if (n) {
		pt_buf_adds(b, "<p class=\"signatures\">");
		for (size_t i = 0; i < n; i++) {
			pt_buf_adds(b, "<span>");
			pt_html_escape(b, signatures[i]);
			pt_buf_adds(b, "：</span>");
		}
		pt_buf_adds(b, "</p>\n");
	}
	pt_buf_adds(b, "</body>\n</html>\n");
}
