#include "fmt.h"
#include "csv.h"
#include "event.h"

#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct pt_fmt {
	FILE *out;
	struct pt_fmt_opts o;
	struct pt_col *cols;
	size_t ncols;
	iconv_t cd;
	struct pt_buf line;
	struct pt_buf conv;
	unsigned long long rows;
	bool started;            /* BOM and header written: at the first row or at finish, so
				  * that a command failing before any row prints nothing */
	/* table: every cell kept until finish */
	char **cells;
	size_t ncells, cells_alloc;
	unsigned long long json_cols; /* bit i: json writes column i as JSON text (pt_fmt_json_column) */
	bool nothing_when_empty;      /* pt_fmt_nothing_when_empty() */
};

bool pt_format_parse(const char *s, enum pt_format *out)
{
	static const char *const names[] = { "table", "csv", "tsv", "json" };

	for (size_t i = 0; i < 4; i++)
		if (!strcmp(s, names[i])) {
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
	return 0;
}

/* ---- display width ---- */

static bool is_wide(unsigned cp)
{
	return (cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0x303e) ||
	       (cp >= 0x3041 && cp <= 0x33ff) || (cp >= 0x3400 && cp <= 0x4dbf) ||
	       (cp >= 0x4e00 && cp <= 0x9fff) || (cp >= 0xa000 && cp <= 0xa4cf) ||
	       (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff) ||
	       (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60) ||
	       (cp >= 0xffe0 && cp <= 0xffe6) || (cp >= 0x1f300 && cp <= 0x1f64f) ||
	       (cp >= 0x1f900 && cp <= 0x1f9ff) || (cp >= 0x20000 && cp <= 0x3fffd);
}

static bool is_zero_width(unsigned cp)
{
	return (cp >= 0x0300 && cp <= 0x036f) || (cp >= 0x200b && cp <= 0x200f) ||
	       (cp >= 0xfe00 && cp <= 0xfe0f) || cp == 0xfeff;
}

size_t pt_display_width(const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t w = 0;

	while (*s) {
		unsigned cp = *s;
		int n = 0;

		if (cp >= 0xf0) {
			cp &= 0x07;
			n = 3;
		} else if (cp >= 0xe0) {
			cp &= 0x0f;
			n = 2;
		} else if (cp >= 0xc0) {
			cp &= 0x1f;
			n = 1;
		}
		s++;
		while (n-- > 0 && (*s & 0xc0) == 0x80)
			cp = (cp << 6) | (*s++ & 0x3f);
		if (is_zero_width(cp))
			continue;
		w += is_wide(cp) ? 2 : 1;
	}
	return w;
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

static void add_delimited(struct pt_fmt *f, const char *const *v)
{
	for (size_t i = 0; i < f->ncols; i++) {
		if (i)
			pt_buf_addch(&f->line, f->o.format == PT_FMT_CSV ? ',' : '\t');
		if (f->o.format == PT_FMT_CSV)
			pt_csv_quote(&f->line, v[i]);
		else
			add_tsv(&f->line, v[i]);
	}
	pt_buf_adds(&f->line, f->o.format == PT_FMT_CSV ? "\r\n" : "\n");
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

static void add_json_row(struct pt_fmt *f, const char *const *v)
{
	pt_buf_adds(&f->line, f->rows ? ",\n  {" : "\n  {");
	for (size_t i = 0; i < f->ncols; i++) {
		if (i)
			pt_buf_adds(&f->line, ", ");
		pt_json_quote(&f->line, f->cols[i].name);
		pt_buf_adds(&f->line, ": ");
		if (v[i] && ((f->cols[i].numeric && looks_numeric(v[i])) || (i < 64 && f->json_cols >> i & 1)))
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

struct pt_fmt *pt_fmt_new(FILE *out, const struct pt_fmt_opts *o, const struct pt_col *cols,
			  size_t ncols, struct pt_err *e)
{
	struct pt_fmt *f;

	if (pt_fmt_check_opts(o, e))
		return NULL;
	f = pt_xcalloc(1, sizeof *f);
	f->out = out;
	f->o = *o;
	f->ncols = ncols;
	f->cols = pt_xcalloc(ncols, sizeof *f->cols);
	memcpy(f->cols, cols, ncols * sizeof *cols);
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

static int start_output(struct pt_fmt *f, struct pt_err *e)
{
	const struct pt_fmt_opts *o = &f->o;

	if (f->started)
		return 0;
	f->started = true;
	if (o->bom && (o->format == PT_FMT_CSV || o->format == PT_FMT_TSV))
		pt_buf_adds(&f->line, "\xef\xbb\xbf");
	if (o->format == PT_FMT_JSON) {
		pt_buf_addch(&f->line, '[');
	} else if (!o->no_header) {
		const char **names = pt_xcalloc(f->ncols, sizeof *names);

		for (size_t i = 0; i < f->ncols; i++)
			names[i] = f->cols[i].name;
		if (o->format == PT_FMT_TABLE)
			keep_cells(f, names);
		else
			add_delimited(f, names);
		free(names);
	}
	return emit(f, e);
}

int pt_fmt_row(struct pt_fmt *f, const char *const *v, struct pt_err *e)
{
	if (start_output(f, e))
		return -1;
	switch (f->o.format) {
	case PT_FMT_TABLE:
		keep_cells(f, v);
		break;
	case PT_FMT_JSON:
		add_json_row(f, v);
		break;
	default:
		add_delimited(f, v);
	}
	f->rows++;
	return emit(f, e);
}

static void pad(struct pt_buf *b, size_t n)
{
	while (n--)
		pt_buf_addch(b, ' ');
}

static int finish_table(struct pt_fmt *f, struct pt_err *e)
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
			bool right = f->cols[c].numeric;
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
	return rc;
}

void pt_fmt_json_column(struct pt_fmt *f, size_t col)
{
	if (col < f->ncols && col < 64)
		f->json_cols |= 1ull << col;
}

void pt_fmt_nothing_when_empty(struct pt_fmt *f)
{
	f->nothing_when_empty = true;
}

int pt_fmt_finish(struct pt_fmt *f, struct pt_err *e)
{
	bool silent = !f->rows && f->nothing_when_empty;
	int rc = silent ? 0 : start_output(f, e);

	if (rc == 0 && silent) {
		; /* not a byte */
	} else if (rc == 0 && f->o.format == PT_FMT_TABLE) {
		rc = finish_table(f, e);
	} else if (rc == 0 && f->o.format == PT_FMT_JSON) {
		pt_buf_adds(&f->line, f->rows ? "\n]\n" : "]\n");
		rc = emit(f, e);
	}
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
	if (f->cd != (iconv_t)-1)
		iconv_close(f->cd);
	pt_buf_release(&f->line);
	pt_buf_release(&f->conv);
	free(f);
}
