#include "fmt.h"
#include "csv.h"
#include "event.h"
#include "html.h"
#include "xlsx.h"

#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct pt_fmt {
	FILE *out;
	struct pt_fmt_opts o;
	const struct pt_fmt_doc *doc;   /* NULL: one table */
	iconv_t cd;
	struct pt_buf line;
	struct pt_buf conv;
	struct pt_buf cell;             /* a value made for Excel */
	bool started;                   /* the document begun (BOM, html head, json '{'): at the
					 * first row or at the end, so that a command failing
					 * before any row prints nothing */
	/* the table being written */
	char *name, *title;             /* its name and title, copied */
	struct pt_col *cols;
	size_t ncols;
	struct pt_head head;            /* for html and xlsx */
	const char **labels;
	bool *numeric;
	const char **glabel;
	size_t *gspan;
	unsigned sections;              /* tables begun so far */
	bool open;                      /* the current table begun (title, header) */
	unsigned long long rows;        /* its rows */
	unsigned long long json_cols;   /* bit i: json writes column i as JSON text (pt_fmt_json_column) */
	char **cells;                   /* table: every cell kept until the table ends */
	size_t ncells, cells_alloc;
	struct pt_xlsx *xlsx;
	bool nothing_when_empty;        /* pt_fmt_nothing_when_empty() */
};

const char *const pt_format_names[] = { "table", "csv", "tsv", "json", "xlsx", "html" };
const size_t pt_format_nnames = sizeof pt_format_names / sizeof *pt_format_names;

bool pt_format_parse(const char *s, enum pt_format *out)
{
	for (size_t i = 0; i < pt_format_nnames; i++)
		if (!strcmp(s, pt_format_names[i])) {
			*out = (enum pt_format)i;
			return true;
		}
	return false;
}

bool pt_format_for_file(const char *path, enum pt_format *out)
{
	const char *dot = strrchr(path, '.');

	if (!dot || strchr(dot, '/') || !strcmp(dot + 1, "table"))
		return false;
	if (!strcasecmp(dot + 1, "htm")) {
		*out = PT_FMT_HTML;
		return true;
	}
	for (size_t i = 0; i < pt_format_nnames; i++)
		if (!strcasecmp(dot + 1, pt_format_names[i])) {
			*out = (enum pt_format)i;
			return true;
		}
	return false;
}

static bool is_gb18030(const char *enc)
{
	return enc && (!strcasecmp(enc, "gb18030") || !strcasecmp(enc, "gbk"));
}

int pt_fmt_check_opts(const struct pt_fmt_opts *o, struct pt_err *e)
{
	const char *enc = o->encoding;

	if (enc && strcasecmp(enc, "utf-8") && strcasecmp(enc, "utf8") && !is_gb18030(enc))
		return pt_err_set(e, PT_EUSAGE, "unknown encoding '%s' (utf-8 or gb18030)", enc);
	if (o->bom && is_gb18030(enc)) {
		pt_err_field(e, PT_EUSAGE, "", "bom", " goes with UTF-8 output, not ");
		pt_err_also(e, "encoding", " %s", enc);
		return -1;
	}
	/* JSON, xlsx and html are UTF-8 by their own definitions. */
	if (is_gb18030(enc) && o->format >= PT_FMT_JSON) {
		pt_err_field(e, PT_EUSAGE, "", "encoding", " %s goes with table, csv and tsv, not --format %s",
			     enc, pt_format_names[o->format]);
		return -1;
	}
	return 0;
}
/* ---- output ---- */

static int emit(struct pt_fmt *f, struct pt_err *e)
{
	const char *data = f->line.buf;
	size_t len = f->line.len;

	if (len == 0)
		return 0;
	if (f->cd != (iconv_t)-1) {
		pt_buf_reset(&f->conv);
		if (pt_buf_add_iconv(&f->conv, f->cd, f->line.buf, f->line.len)) {
			pt_buf_reset(&f->line);
			return pt_err_set(e, PT_EINTERNAL, "cannot convert output to GB18030: %s",
					  strerror(errno));
		}
		data = f->conv.buf;
		len = f->conv.len;
	}
	if (fwrite(data, 1, len, f->out) != len) {
		pt_buf_reset(&f->line);
		return pt_err_set(e, PT_EIO, "cannot write output: %s", strerror(errno));
	}
	pt_buf_reset(&f->line);
	return 0;
}

/* LF, or CRLF in csv and tsv for Windows programs (--crlf, --excel). */
static void end_line(struct pt_fmt *f)
{
	bool delimited = f->o.format == PT_FMT_CSV || f->o.format == PT_FMT_TSV;

	pt_buf_adds(&f->line, delimited && (f->o.crlf || f->o.excel) ? "\r\n" : "\n");
}

static void add_tsv(struct pt_buf *b, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '\t': pt_buf_adds(b, "\\t"); break;
		case '\n': pt_buf_adds(b, "\\n"); break;
		case '\r': pt_buf_adds(b, "\\r"); break;
		case '\\': pt_buf_adds(b, "\\\\"); break;
		default: pt_buf_addch(b, *s);
		}
	}
}

static bool looks_numeric(const char *s)
{
	char *end;

	if (!s || !*s)
		return false;
	errno = 0;
	(void)strtod(s, &end);
	return !*end && !errno && s[0] != '+' && !(s[0] == '0' && s[1] >= '0' && s[1] <= '9');
}

/* A number Excel would change: a run of digits with a leading zero (register number 0005)
 * or too long to be kept whole or shown as written (ID numbers, phones, 11 digits on). */
static bool id_like(const char *s)
{
	size_t n = strspn(s, "0123456789");

	return !s[n] && n > 1 && (s[0] == '0' || n >= 11);
}

/* The value as Excel must see it to keep it (petition(1), OUTPUT, --excel): an ID-like
 * number as the text formula ="0005"; a text Excel would take for a formula (it starts
 * with = + - @, a tab or CR) after an apostrophe; a number of a numeric column as it is. */
static const char *for_excel(struct pt_fmt *f, size_t col, const char *v)
{
	if (!v || !*v || (f->cols[col].kind == PT_COL_NUMBER && looks_numeric(v)))
		return v;
	pt_buf_reset(&f->cell);
	if (id_like(v))
		pt_buf_addf(&f->cell, "=\"%s\"", v);
	else if (strchr("=+-@\t\r", v[0]))
		pt_buf_addf(&f->cell, "'%s", v);
	else
		return v;
	return f->cell.buf;
}

static void add_delimited(struct pt_fmt *f, const char *const *v, bool header)
{
	for (size_t i = 0; i < f->ncols; i++) {
		const char *s = f->o.excel && !header ? for_excel(f, i, v[i]) : v[i];

		if (i)
			pt_buf_addch(&f->line, f->o.format == PT_FMT_CSV ? ',' : '\t');
		if (f->o.format == PT_FMT_CSV)
			pt_csv_quote(&f->line, s);
		else
			add_tsv(&f->line, s);
	}
	end_line(f);
}

static void add_json_list(struct pt_buf *b, const char *s)
{
	size_t n;

	pt_buf_addch(b, '[');
	for (bool first = true; s && *(s += strspn(s, " ")); s += n, first = false) {
		char *word = pt_xstrndup(s, n = strcspn(s, " "));

		pt_buf_adds(b, first ? "" : ", ");
		pt_json_quote(b, word);
		free(word);
	}
	pt_buf_addch(b, ']');
}

static void add_json_row(struct pt_fmt *f, const char *const *v)
{
	pt_buf_adds(&f->line, f->rows ? ",\n  {" : "\n  {");
	for (size_t i = 0; i < f->ncols; i++) {
		if (i)
			pt_buf_adds(&f->line, ", ");
		pt_json_quote(&f->line, f->cols[i].name);
		pt_buf_adds(&f->line, ": ");
		if (f->cols[i].kind == PT_COL_LIST)
			add_json_list(&f->line, v[i]);
		else if (!v[i] || !*v[i]) /* absent: null, never "" */
			pt_buf_adds(&f->line, "null");
		else if ((f->cols[i].kind == PT_COL_NUMBER && looks_numeric(v[i])) || (i < 64 && f->json_cols >> i & 1))
			pt_buf_adds(&f->line, v[i]);
		else
			pt_json_quote(&f->line, v[i]);
	}
	pt_buf_addch(&f->line, '}');
}

static void keep_cells(struct pt_fmt *f, const char *const *v)
{
	if (f->ncells + f->ncols > f->cells_alloc) {
		f->cells_alloc = f->cells_alloc ? 2 * f->cells_alloc : 16 * f->ncols;
		while (f->cells_alloc < f->ncells + f->ncols)
			f->cells_alloc *= 2;
		f->cells = pt_xrealloc(f->cells, f->cells_alloc * sizeof *f->cells);
	}
	for (size_t i = 0; i < f->ncols; i++) {
		char *c = pt_xstrdup(v[i] ? v[i] : "");

		/* A table cell is one line: newlines and tabs become spaces. */
		for (char *p = c; *p; p++)
			if (*p == '\n' || *p == '\r' || *p == '\t')
				*p = ' ';
		f->cells[f->ncells++] = c;
	}
}

static void pad(struct pt_buf *b, size_t n)
{
	while (n--)
		pt_buf_addch(b, ' ');
}

static int write_table(struct pt_fmt *f, struct pt_err *e)
{
	size_t nrows = f->ncols ? f->ncells / f->ncols : 0;
	size_t *width = pt_xcalloc(f->ncols ? f->ncols : 1, sizeof *width);
	int rc = 0;

	for (size_t i = 0; i < f->ncells; i++) {
		size_t w = pt_display_width(f->cells[i]);

		if (w > width[i % f->ncols])
			width[i % f->ncols] = w;
	}
	for (size_t r = 0; r < nrows && rc == 0; r++) {
		for (size_t c = 0; c < f->ncols; c++) {
			const char *cell = f->cells[r * f->ncols + c];
			size_t fill = width[c] - pt_display_width(cell);
			bool right = f->cols[c].kind == PT_COL_NUMBER;
			bool last = c + 1 == f->ncols;

			if (c)
				pt_buf_adds(&f->line, "  ");
			if (right)
				pad(&f->line, fill);
			pt_buf_adds(&f->line, cell);
			if (!right && !last)
				pad(&f->line, fill);
		}
		pt_buf_addch(&f->line, '\n');
		rc = emit(f, e);
	}
	free(width);
	for (size_t i = 0; i < f->ncells; i++)
		free(f->cells[i]);
	f->ncells = 0;
	return rc;
}

/* ---- documents and their tables ---- */

static void add_doc_fields(struct pt_fmt *f)
{
	const struct pt_fmt_doc *d = f->doc;
	const char **labels = pt_xcalloc(d->nfields + 1, sizeof *labels);
	const char **values = pt_xcalloc(d->nfields + 1, sizeof *values);

	for (size_t i = 0; i < d->nfields; i++) {
		labels[i] = d->fields[i].label;
		values[i] = d->fields[i].value;
	}
	pt_html_fields(&f->line, labels, values, d->nfields);
	free(labels);
	free(values);
}

static int begin_doc(struct pt_fmt *f, struct pt_err *e)
{
	const struct pt_fmt_doc *d = f->doc;
	const char *title = d ? d->title : NULL;

	f->started = true;
	switch (f->o.format) {
	case PT_FMT_CSV:
	case PT_FMT_TSV:
		if ((f->o.bom || f->o.excel) && !is_gb18030(f->o.encoding))
			pt_buf_adds(&f->line, "\xef\xbb\xbf");
		break;
	case PT_FMT_JSON:
		if (!d)
			break;
		pt_buf_addch(&f->line, '{');
		for (size_t i = 0; i < d->nfields; i++) {
			pt_json_quote(&f->line, d->fields[i].key);
			pt_buf_adds(&f->line, ": ");
			pt_json_quote(&f->line, d->fields[i].value);
			pt_buf_adds(&f->line, ", ");
		}
		break;
	case PT_FMT_HTML:
		pt_html_begin(&f->line, title);
		if (d)
			add_doc_fields(f);
		break;
	case PT_FMT_XLSX:
		/* a listing streams; a document (the report) is small and has merged heads */
		if (!(f->xlsx = pt_xlsx_new(title, !d, e)))
			return -1;
		break;
	default:
		break;
	}
	return emit(f, e);
}

static int begin_table(struct pt_fmt *f, struct pt_err *e)
{
	const char *title = f->title;

	if (!f->started && begin_doc(f, e))
		return -1;
	f->open = true;
	switch (f->o.format) {
	case PT_FMT_JSON:
		if (f->doc) {
			pt_buf_adds(&f->line, f->sections > 1 ? ", " : "");
			pt_json_quote(&f->line, f->name);
			pt_buf_adds(&f->line, ": ");
		}
		pt_buf_addch(&f->line, '[');
		break;
	case PT_FMT_HTML:
		pt_html_table_begin(&f->line, title, &f->head);
		break;
	case PT_FMT_XLSX:
		return pt_xlsx_sheet(f->xlsx, title ? title : f->name, title, &f->head, e);
	default: /* table, csv, tsv: a blank line between tables, the title, the header */
		if (f->doc && f->sections > 1)
			end_line(f);
		if (f->doc && title) {
			if (f->o.format == PT_FMT_CSV)
				pt_csv_quote(&f->line, title);
			else
				pt_buf_adds(&f->line, title);
			end_line(f);
		}
		if (f->o.format == PT_FMT_TABLE) {
			if (emit(f, e))
				return -1;
			if (!f->o.no_header)
				keep_cells(f, f->labels);
			return 0;
		}
		if (!f->o.no_header)
			add_delimited(f, f->labels, true);
	}
	return emit(f, e);
}

static int end_table(struct pt_fmt *f, struct pt_err *e)
{
	if (!f->open && begin_table(f, e))
		return -1;
	f->open = false;
	switch (f->o.format) {
	case PT_FMT_TABLE:
		return write_table(f, e);
	case PT_FMT_JSON:
		pt_buf_adds(&f->line, f->rows ? "\n]" : "]");
		if (!f->doc)
			pt_buf_addch(&f->line, '\n');
		break;
	case PT_FMT_HTML:
		pt_html_table_end(&f->line, &f->head, f->rows);
		break;
	default:
		break;
	}
	return emit(f, e);
}

static int end_doc(struct pt_fmt *f, struct pt_err *e)
{
	const struct pt_fmt_doc *d = f->doc;
	struct pt_xlsx *x = f->xlsx;

	if (!f->started && begin_doc(f, e))
		return -1;
	switch (f->o.format) {
	case PT_FMT_JSON:
		if (d)
			pt_buf_adds(&f->line, "}\n");
		break;
	case PT_FMT_HTML:
		pt_html_end(&f->line, d ? d->signatures : NULL, d ? d->nsignatures : 0);
		break;
	case PT_FMT_XLSX:
		f->xlsx = NULL;
		return pt_xlsx_finish(x, f->out, e);
	default:
		break;
	}
	return emit(f, e);
}

/* The groups of the header: runs of columns with the same group label (a column without
 * one is a run of its own, and no group at all leaves a header of one row). */
static void groups(struct pt_fmt *f, const struct pt_fmt_table *t)
{
	size_t n = 0;
	bool any = false;

	f->glabel = pt_xrealloc(f->glabel, (t->ncols ? t->ncols : 1) * sizeof *f->glabel);
	f->gspan = pt_xrealloc(f->gspan, (t->ncols ? t->ncols : 1) * sizeof *f->gspan);
	for (size_t i = 0; t->groups && i < t->ncols; i++) {
		const char *g = t->groups[i];

		any |= g != NULL;
		if (n && g && f->glabel[n - 1] && !strcmp(g, f->glabel[n - 1])) {
			f->gspan[n - 1]++;
			continue;
		}
		f->glabel[n] = g;
		f->gspan[n++] = 1;
	}
	f->head.glabel = f->glabel;
	f->head.gspan = f->gspan;
	f->head.ngroups = any ? n : 0;
}

/* The table's columns, with the header html and xlsx write. */
static void set_table(struct pt_fmt *f, const struct pt_fmt_table *t)
{
	size_t n = t->ncols;
	bool printed = f->o.format == PT_FMT_HTML || f->o.format == PT_FMT_XLSX; /* else names for machines */

	free(f->name);
	free(f->title);
	/* the table may begin after the caller's texts are gone (at the next table, or at the
	 * end): its own copies */
	f->name = t->name ? pt_xstrdup(t->name) : NULL;
	f->title = t->title ? pt_xstrdup(t->title) : NULL;
	f->ncols = n;
	f->cols = pt_xrealloc(f->cols, (n ? n : 1) * sizeof *f->cols);
	memcpy(f->cols, t->cols, n * sizeof *t->cols);
	f->labels = pt_xrealloc(f->labels, (n ? n : 1) * sizeof *f->labels);
	f->numeric = pt_xrealloc(f->numeric, (n ? n : 1) * sizeof *f->numeric);
	for (size_t i = 0; i < n; i++) {
		f->labels[i] = t->labels && t->labels[i] && printed ? t->labels[i] : t->cols[i].name;
		f->numeric[i] = t->cols[i].kind == PT_COL_NUMBER;
	}
	groups(f, t);
	f->head.labels = f->labels;
	f->head.numeric = f->numeric;
	f->head.ncols = n;
	f->rows = 0;
	f->json_cols = 0;
	f->sections++;
}

static struct pt_fmt *fmt_new(FILE *out, const struct pt_fmt_opts *o, struct pt_err *e)
{
	struct pt_fmt *f;

	if (pt_fmt_check_opts(o, e))
		return NULL;
	f = pt_xcalloc(1, sizeof *f);
	f->out = out;
	f->o = *o;
	f->cd = (iconv_t)-1;
	if (is_gb18030(o->encoding)) {
		f->cd = iconv_open("GB18030", "UTF-8");
		if (f->cd == (iconv_t)-1) {
			pt_err_set(e, PT_EINTERNAL, "iconv cannot convert to GB18030: %s", strerror(errno));
			pt_fmt_free(f);
			return NULL;
		}
	}
	return f;
}

struct pt_fmt *pt_fmt_new(FILE *out, const struct pt_fmt_opts *o, const struct pt_col *cols,
			  size_t ncols, struct pt_err *e)
{
	struct pt_fmt *f = fmt_new(out, o, e);

	if (f)
		set_table(f, &(struct pt_fmt_table){ .cols = cols, .ncols = ncols });
	return f;
}

struct pt_fmt *pt_fmt_new_doc(FILE *out, const struct pt_fmt_opts *o, const struct pt_fmt_doc *doc,
			      struct pt_err *e)
{
	struct pt_fmt *f = fmt_new(out, o, e);

	if (f)
		f->doc = doc;
	return f;
}

int pt_fmt_section(struct pt_fmt *f, const struct pt_fmt_table *t, struct pt_err *e)
{
	if (f->sections && end_table(f, e))
		return -1;
	set_table(f, t);
	return 0;
}

int pt_fmt_row(struct pt_fmt *f, const char *const *v, struct pt_err *e)
{
	if (!f->open && begin_table(f, e))
		return -1;
	switch (f->o.format) {
	case PT_FMT_TABLE:
		keep_cells(f, v);
		break;
	case PT_FMT_JSON:
		add_json_row(f, v);
		break;
	case PT_FMT_HTML:
		pt_html_row(&f->line, &f->head, v);
		break;
	case PT_FMT_XLSX:
		f->rows++;
		return pt_xlsx_row(f->xlsx, v, e);
	default:
		add_delimited(f, v, false);
	}
	f->rows++;
	return emit(f, e);
}

void pt_fmt_json_column(struct pt_fmt *f, size_t col)
{
	if (col < f->ncols && col < 64)
		f->json_cols |= 1ull << col;
}

bool pt_fmt_is_json(const struct pt_fmt *f)
{
	return f->o.format == PT_FMT_JSON;
}

void pt_fmt_nothing_when_empty(struct pt_fmt *f)
{
	f->nothing_when_empty = true;
}

int pt_fmt_finish(struct pt_fmt *f, struct pt_err *e)
{
	bool silent = !f->started && f->nothing_when_empty; /* not a row was written */
	int rc = 0;

	if (!silent && f->sections)
		rc = end_table(f, e);
	if (!silent && rc == 0)
		rc = end_doc(f, e);
	if (rc == 0 && fflush(f->out) != 0)
		rc = pt_err_set(e, PT_EIO, "cannot write output: %s", strerror(errno));
	pt_fmt_free(f);
	return rc;
}

void pt_fmt_free(struct pt_fmt *f)
{
	if (!f)
		return;
	for (size_t i = 0; i < f->ncells; i++)
		free(f->cells[i]);
	free(f->cells);
	free(f->cols);
	free(f->name);
	free(f->title);
	free(f->labels);
	free(f->numeric);
	free(f->glabel);
	free(f->gspan);
	pt_xlsx_free(f->xlsx);
	if (f->cd != (iconv_t)-1)
		iconv_close(f->cd);
	pt_buf_release(&f->line);
	pt_buf_release(&f->conv);
	pt_buf_release(&f->cell);
	free(f);
}
