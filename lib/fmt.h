/* fmt: the one formatter for result sets: table (aligned by display width, so Chinese
 * text lines up), csv (RFC 4180), tsv (tab-separated, \t \n \r \\ escaped), both with LF
 * line ends or CRLF with crlf, json (an array of objects: numbers as numbers, null for an
 * absent value, lists as arrays), xlsx (a workbook, lib/xlsx.h) and html (a printable
 * page, lib/html.h). Optional UTF-8 BOM (--bom) for Excel, or GB18030 output (--encoding
 * gb18030) for WPS and older Excel; excel (--excel) makes CSV for Excel: BOM, CRLF, ID-like
 * numbers as text, formulas neutralised (petition(1), OUTPUT).
 *
 * A formatter holds one table (pt_fmt_new), or a document of several (pt_fmt_new_doc, then
 * pt_fmt_section for each): the report's parts, one after another with their titles in
 * table, csv and tsv, members of one object in json, sheets in xlsx, tables of one page
 * in html.
 *
 * csv, tsv and json stream row by row; table must see every row of a table to size its
 * columns, html and xlsx build their document whole; nothing is written before the first
 * row or the end, so that a command failing before any row prints nothing.
 *
 * Ownership: pt_fmt_new() returns a formatter that pt_fmt_finish() (or pt_fmt_free() on an
 * error path) frees; the FILE is borrowed and not closed, and so are a document's texts,
 * which must outlive the formatter. */
#ifndef PT_FMT_H
#define PT_FMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "buf.h"
#include "err.h"

enum pt_format { PT_FMT_TABLE, PT_FMT_CSV, PT_FMT_TSV, PT_FMT_JSON, PT_FMT_XLSX, PT_FMT_HTML };

struct pt_fmt_opts {
	enum pt_format format;
	bool bom;                /* UTF-8 byte order mark first (csv, tsv) */
	const char *encoding;    /* NULL or "utf-8"; "gb18030" converts */
	bool no_header;          /* csv, tsv, table: leave out the header line */
	bool crlf;               /* csv, tsv: CRLF line ends (LF without) */
	bool excel;              /* csv, tsv: for Excel (BOM, CRLF, ID-like numbers and formulas as text) */
};

/* What a column holds: text; a number (json writes it as a number, table aligns it right,
 * xlsx makes it a number cell; true in an initializer); a list of words separated by blanks
 * ("collective repeat": an array of strings in json). */
enum pt_col_kind { PT_COL_TEXT, PT_COL_NUMBER, PT_COL_LIST };

struct pt_col {
	const char *name;
	enum pt_col_kind kind;
};

/* A table of a document. name: its member in json; title: its caption, a line above it
 * in table, csv and tsv, its sheet's name in xlsx. labels: what html and xlsx head the
 * columns with (NULL, or a NULL label: the column's name); groups: the label of the group
 * each column is in (NULL: none), which html and xlsx write over the columns of a run of
 * the same label (part A's "results"). */
struct pt_fmt_table {
	const char *name, *title;
	const struct pt_col *cols;
	size_t ncols;
	const char *const *labels;
	const char *const *groups;
};

/* A field of a document: in json a member "key": value, in html label：value under the
 * title. */
struct pt_fmt_field {
	const char *key, *label, *value;
};

/* A document: its title (html, xlsx), fields, and the lines html leaves to be signed. */
struct pt_fmt_doc {
	const char *title;
	const struct pt_fmt_field *fields;
	size_t nfields;
	const char *const *signatures;
	size_t nsignatures;
};

struct pt_fmt;

/* The name of each format, indexed by enum pt_format: what --format takes. */
extern const char *const pt_format_names[];
extern const size_t pt_format_nnames;
/* "table", "csv", "tsv", "json", "xlsx", "html" → format; false for anything else. */
bool pt_format_parse(const char *s, enum pt_format *out);
/* The format a file name's suffix names (.csv .tsv .json .xlsx .html .htm); false for
 * another. */
bool pt_format_for_file(const char *path, enum pt_format *out);
/* Check option combinations (--bom with gb18030, gb18030 with json, xlsx or html, unknown
 * encodings): PT_EUSAGE. */
int pt_fmt_check_opts(const struct pt_fmt_opts *o, struct pt_err *e);

struct pt_fmt *pt_fmt_new(FILE *out, const struct pt_fmt_opts *o, const struct pt_col *cols,
			  size_t ncols, struct pt_err *e);
/* A document of tables, each begun with pt_fmt_section(). */
struct pt_fmt *pt_fmt_new_doc(FILE *out, const struct pt_fmt_opts *o, const struct pt_fmt_doc *doc,
			      struct pt_err *e);
/* End the table before (if any) and begin t; its name, title and arrays are copied, the
 * texts of its columns, labels and groups borrowed until the formatter is finished. */
int pt_fmt_section(struct pt_fmt *f, const struct pt_fmt_table *t, struct pt_err *e);
/* One row of ncols values; NULL is an empty/NULL value. */
int pt_fmt_row(struct pt_fmt *f, const char *const *values, struct pt_err *e);
/* json writes the values of column col as they are: JSON text (an object, say) that the
 * caller made, never NULL; the other formats write it as text. */
void pt_fmt_json_column(struct pt_fmt *f, size_t col);
/* Whether f writes json (a caller with a column of mixed JSON and text quotes the text). */
bool pt_fmt_is_json(const struct pt_fmt *f);
/* With no row, write nothing at all (no header, no BOM, no []): a cron job stays silent
 * when there is nothing to say. */
void pt_fmt_nothing_when_empty(struct pt_fmt *f);
int pt_fmt_finish(struct pt_fmt *f, struct pt_err *e);
void pt_fmt_free(struct pt_fmt *f);


#endif
