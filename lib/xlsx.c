#include "xlsx.h"
#include "buf.h"

#include <dlfcn.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

/* PT_XLSXWRITER_SONAME, of the library the build finds: generated in the build's gen/ */
#include <xlsx_soname.h>

#define MAX_WIDTH 40.0   /* a column is never wider than this many characters */

/* libxlsxwriter is loaded when the first workbook is made, not linked: it needs libcrypto,
 * whose 21,000 relocations were half of the start-up of a program that writes no workbook
 * (bench/README.md, "Single commands"). These are the functions this file calls, each
 * through lxw, typed by the library's own header. */
#define LXW_FUNCTIONS(F) \
	F(workbook_new_opt) F(workbook_add_format) F(workbook_set_properties) \
	F(workbook_add_worksheet) F(workbook_close) \
	F(format_set_bold) F(format_set_border) F(format_set_align) F(format_set_text_wrap) \
	F(format_set_bg_color) F(format_set_num_format) F(format_set_font_size) \
	F(worksheet_set_column) F(worksheet_write_string) F(worksheet_merge_range) \
	F(worksheet_freeze_panes) F(worksheet_repeat_rows) F(worksheet_set_paper) \
	F(worksheet_set_landscape) F(worksheet_fit_to_pages) F(worksheet_write_blank) \
	F(worksheet_write_number) F(lxw_strerror)

#define LXW_SLOT(fn) __typeof__(fn) *fn;
static struct {
	LXW_FUNCTIONS(LXW_SLOT)
} lxw;
#undef LXW_SLOT

static void *lxw_lib; /* open for the rest of the process once every function resolved */

struct pt_xlsx {
	char *path;              /* the temporary file */
	lxw_workbook *wb;
	lxw_worksheet *ws;
	lxw_format *head, *text, *number, *title;
	const struct pt_head *h;
	double *width;           /* each column's widest value, in characters */
	size_t ncols;            /* of the sheet being written (h may change before it ends) */
	lxw_row_t row;           /* the next row to write */
	unsigned sheets;
};

static int lxw_fail(lxw_error err, struct pt_err *e)
{
	if (err == LXW_ERROR_WORKSHEET_INDEX_OUT_OF_RANGE)
		return pt_err_set(e, PT_EIO, "cannot write the xlsx workbook: more rows than a sheet holds "
				  "(%u); use csv", (unsigned)LXW_ROW_MAX);
	return pt_err_set(e, PT_EIO, "cannot write the xlsx workbook: %s", lxw.lxw_strerror(err));
}

/* One function of the library into its slot of lxw. dlsym() returns an object pointer,
 * which ISO C does not convert to a function pointer: POSIX guarantees the
 * representations are the same, so the bytes are copied. */
static int resolve(void *lib, const char *name, void *slot, size_t size, struct pt_err *e)
{
	void *sym = dlsym(lib, name);

	_Static_assert(sizeof lxw.workbook_close == sizeof sym, "function and object pointers differ");
	if (!sym)
		return pt_err_set(e, PT_ECANTCREAT, "cannot write xlsx: the libxlsxwriter loaded has no %s "
				  "(another version than this build's %s?)", name, PT_XLSXWRITER_SONAME);
	memcpy(slot, &sym, size);
	return 0;
}

/* The library named by PETITION_XLSXWRITER (a packager's or a test's), else the soname
 * of the library the build found; loaded once. The failure is the output's (73): every other
 * format still works without the library. */
static int lxw_load(struct pt_err *e)
{
	const char *name = getenv("PETITION_XLSXWRITER");
	void *lib;
	int rc = 0;

	if (lxw_lib)
		return 0;
	if (!name || !*name)
		name = PT_XLSXWRITER_SONAME;
	if (!(lib = dlopen(name, RTLD_NOW | RTLD_LOCAL)))
		return pt_err_set(e, PT_ECANTCREAT, "cannot write xlsx without libxlsxwriter: %s "
				  "(install it, or use --format csv)", dlerror());
#define LXW_RESOLVE(fn) if (rc == 0) rc = resolve(lib, #fn, &lxw.fn, sizeof lxw.fn, e);
	LXW_FUNCTIONS(LXW_RESOLVE)
#undef LXW_RESOLVE
	if (rc == 0)
		lxw_lib = lib;
	else
		dlclose(lib);
	return rc;
}

static const char *temp_dir(void)
{
	const char *dir = getenv("TMPDIR");

	return dir && *dir ? dir : "/tmp";
}

/* A temporary file of our own for libxlsxwriter to write to by name. */
static char *temp_path(struct pt_err *e)
{
	struct pt_buf b = PT_BUF_INIT;
	int fd;

	pt_buf_addf(&b, "%s/petition-XXXXXX", temp_dir());
	if ((fd = mkstemp(b.buf)) < 0) {
		pt_err_set(e, PT_ECANTCREAT, "cannot create a temporary file in %s: %s", temp_dir(), strerror(errno));
		pt_buf_release(&b);
		return NULL;
	}
	close(fd);
	return pt_buf_detach(&b);
}

static void add_formats(struct pt_xlsx *x)
{
	x->head = lxw.workbook_add_format(x->wb);
	lxw.format_set_bold(x->head);
	lxw.format_set_border(x->head, LXW_BORDER_THIN);
	lxw.format_set_align(x->head, LXW_ALIGN_CENTER);
	lxw.format_set_align(x->head, LXW_ALIGN_VERTICAL_CENTER);
	lxw.format_set_text_wrap(x->head);
	lxw.format_set_bg_color(x->head, 0xEEEEEE);
	lxw.format_set_num_format(x->head, "@");
	x->text = lxw.workbook_add_format(x->wb);
	lxw.format_set_border(x->text, LXW_BORDER_THIN);
	lxw.format_set_num_format(x->text, "@");
	x->number = lxw.workbook_add_format(x->wb);
	lxw.format_set_border(x->number, LXW_BORDER_THIN);
	x->title = lxw.workbook_add_format(x->wb);
	lxw.format_set_bold(x->title);
	lxw.format_set_font_size(x->title, 14);
}

struct pt_xlsx *pt_xlsx_new(const char *title, bool stream, struct pt_err *e)
{
	struct pt_xlsx *x = pt_xcalloc(1, sizeof *x);
	lxw_doc_properties props = { 0 };
	lxw_workbook_options opts = { .constant_memory = stream, .tmpdir = (char *)temp_dir() };

	if (lxw_load(e) || !(x->path = temp_path(e)))
		goto fail;
	if (!(x->wb = lxw.workbook_new_opt(x->path, &opts))) {
		pt_err_set(e, PT_ECANTCREAT, "cannot create the xlsx workbook in %s", x->path);
		goto fail;
	}
	add_formats(x);
	props.title = (char *)(title ? title : "");
	props.author = (char *)"petition";
	lxw.workbook_set_properties(x->wb, &props);
	return x;
fail:
	pt_xlsx_free(x);
	return NULL;
}

static void widen(struct pt_xlsx *x, size_t col, const char *s)
{
	double w = (double)pt_display_width(s) + 1;

	if (w > x->width[col])
		x->width[col] = w > MAX_WIDTH ? MAX_WIDTH : w;
}

/* The sheet before this one: its columns as wide as their values. */
static void end_sheet(struct pt_xlsx *x)
{
	for (size_t i = 0; x->ws && i < x->ncols; i++)
		lxw.worksheet_set_column(x->ws, (lxw_col_t)i, (lxw_col_t)i, x->width[i], NULL);
	free(x->width);
	x->width = NULL;
	x->ws = NULL;
}

/* A sheet name: no []:*?/\ and at most 31 characters (UTF-8 characters, not bytes). */
static void sheet_name(struct pt_buf *b, const char *name, unsigned n)
{
	size_t chars = 0;

	for (const char *p = name && *name ? name : "sheet"; *p; p++) {
		if ((*p & 0xc0) != 0x80 && ++chars > 31)
			break;
		pt_buf_addch(b, strchr("[]:*?/\\", *p) ? '_' : *p);
	}
	if (!name || !*name)
		pt_buf_addf(b, "%u", n);
}

/* One header cell, merged over rows r0..r1 and columns c0..c1 when that is more than one. */
static void head_cell(struct pt_xlsx *x, lxw_row_t r0, lxw_row_t r1, size_t c0, size_t c1, const char *label)
{
	if (r0 == r1 && c0 == c1)
		lxw.worksheet_write_string(x->ws, r0, (lxw_col_t)c0, label, x->head);
	else
		lxw.worksheet_merge_range(x->ws, r0, (lxw_col_t)c0, r1, (lxw_col_t)c1, label, x->head);
}

/* The header: with groups, a group's label over its columns in the first row and their
 * own labels in the second, an ungrouped column over both. */
static void write_head(struct pt_xlsx *x)
{
	const struct pt_head *h = x->h;
	lxw_row_t top = x->row, last = top + (h->ngroups ? 1 : 0);
	size_t col = 0;

	for (size_t g = 0; g < h->ngroups && col < h->ncols; g++) {
		size_t n = h->gspan[g] ? h->gspan[g] : 1;

		if (col + n > h->ncols)
			n = h->ncols - col;
		if (h->glabel[g]) {
			head_cell(x, top, top, col, col + n - 1, h->glabel[g]);
			for (size_t i = col; i < col + n; i++)
				head_cell(x, last, last, i, i, h->labels[i]);
		} else {
			for (size_t i = col; i < col + n; i++)
				head_cell(x, top, last, i, i, h->labels[i]);
		}
		col += n;
	}
	for (; col < h->ncols; col++)
		head_cell(x, top, last, col, col, h->labels[col]);
	for (size_t i = 0; i < h->ncols; i++)
		widen(x, i, h->labels[i]);
	x->row = last + 1;
}

int pt_xlsx_sheet(struct pt_xlsx *x, const char *name, const char *title, const struct pt_head *h,
		  struct pt_err *e)
{
	struct pt_buf b = PT_BUF_INIT;
	int rc;

	end_sheet(x);
	sheet_name(&b, name, ++x->sheets);
	x->ws = lxw.workbook_add_worksheet(x->wb, b.buf);
	/* the name as made, not as given: that may be NULL, or not the name refused */
	rc = x->ws ? 0 : pt_err_set(e, PT_EINTERNAL, "cannot add the xlsx sheet '%s'", b.buf);
	pt_buf_release(&b);
	if (rc)
		return rc;
	x->h = h;
	x->ncols = h->ncols;
	x->width = pt_xcalloc(h->ncols ? h->ncols : 1, sizeof *x->width);
	x->row = 0;
	if (title && *title)
		lxw.worksheet_write_string(x->ws, x->row++, 0, title, x->title);
	write_head(x);
	lxw.worksheet_freeze_panes(x->ws, x->row, 0);
	lxw.worksheet_repeat_rows(x->ws, 0, x->row - 1);
	lxw.worksheet_set_paper(x->ws, 9); /* A4 */
	lxw.worksheet_set_landscape(x->ws);
	lxw.worksheet_fit_to_pages(x->ws, 1, 0);
	return 0;
}

/* A number as Excel keeps it: decimal, no sign but '-', no leading zero before a digit. */
static bool as_number(const char *s, double *d)
{
	char *end;

	if (!s || !*s || s[0] == '+' || (s[0] == '0' && s[1] >= '0' && s[1] <= '9') || strlen(s) > 15)
		return false;
	errno = 0;
	*d = strtod(s, &end);
	return !*end && !errno && strspn(s, "-0123456789.") == strlen(s);
}

int pt_xlsx_row(struct pt_xlsx *x, const char *const *v, struct pt_err *e)
{
	lxw_error err = LXW_NO_ERROR;
	double d;

	for (size_t i = 0; i < x->h->ncols && !err; i++) {
		if (!v[i] || !*v[i])
			err = lxw.worksheet_write_blank(x->ws, x->row, (lxw_col_t)i, x->h->numeric[i] ? x->number : x->text);
		else if (x->h->numeric[i] && as_number(v[i], &d))
			err = lxw.worksheet_write_number(x->ws, x->row, (lxw_col_t)i, d, x->number);
		else
			err = lxw.worksheet_write_string(x->ws, x->row, (lxw_col_t)i, v[i], x->text);
		if (v[i])
			widen(x, i, v[i]);
	}
	x->row++;
	return err ? lxw_fail(err, e) : 0;
}

static int copy_file(const char *path, FILE *out, struct pt_err *e)
{
	FILE *in = fopen(path, "rb");
	char chunk[65536];
	size_t n;
	int rc = 0;

	if (!in)
		return pt_err_set(e, PT_EIO, "cannot read back the xlsx workbook: %s", strerror(errno));
	while (rc == 0 && (n = fread(chunk, 1, sizeof chunk, in)) > 0)
		if (fwrite(chunk, 1, n, out) != n)
			rc = pt_err_set(e, PT_EIO, "cannot write output: %s", strerror(errno));
	if (rc == 0 && ferror(in))
		rc = pt_err_set(e, PT_EIO, "cannot read back the xlsx workbook: %s", strerror(errno));
	fclose(in);
	return rc;
}

int pt_xlsx_finish(struct pt_xlsx *x, FILE *out, struct pt_err *e)
{
	lxw_error err;
	int rc;

	end_sheet(x);
	err = lxw.workbook_close(x->wb);
	x->wb = NULL;
	rc = err ? lxw_fail(err, e) : copy_file(x->path, out, e);
	pt_xlsx_free(x);
	return rc;
}

void pt_xlsx_free(struct pt_xlsx *x)
{
	if (!x)
		return;
	if (x->wb) /* an error path: closing is how libxlsxwriter frees a workbook */
		lxw.workbook_close(x->wb);
	if (x->path)
		unlink(x->path);
	free(x->width);
	free(x->path);
	free(x);
}
