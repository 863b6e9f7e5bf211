/* fmt: the one formatter for result sets: table (aligned by display width, so Chinese
 * text lines up), csv (RFC 4180, CRLF), tsv (tab-separated, \t \n \r \\ escaped) and json
 * (an array of objects). Optional UTF-8 BOM (--bom) for Excel, or GB18030 output
 * (--encoding gb18030) for WPS and older Excel.
 *
 * csv, tsv and json stream row by row; table must see every row to size its columns, so
 * it keeps them until pt_fmt_finish().
 *
 * Ownership: pt_fmt_new() returns a formatter that pt_fmt_finish() (or pt_fmt_free() on an
 * error path) frees; the FILE is borrowed and not closed. */
#ifndef PT_FMT_H
#define PT_FMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "buf.h"
#include "err.h"

enum pt_format { PT_FMT_TABLE, PT_FMT_CSV, PT_FMT_TSV, PT_FMT_JSON };

struct pt_fmt_opts {
	enum pt_format format;
	bool bom;                /* UTF-8 byte order mark first (csv, tsv) */
	const char *encoding;    /* NULL or "utf-8"; "gb18030" converts */
	bool no_header;          /* csv, tsv, table: leave out the header line */
};

struct pt_col {
	const char *name;
	bool numeric;            /* json writes it as a number; table aligns it right */
};

struct pt_fmt;

/* "table", "csv", "tsv", "json" → format; false for anything else. */
bool pt_format_parse(const char *s, enum pt_format *out);
/* Check option combinations (--bom with gb18030, unknown encodings): PT_EUSAGE. */
int pt_fmt_check_opts(const struct pt_fmt_opts *o, struct pt_err *e);

struct pt_fmt *pt_fmt_new(FILE *out, const struct pt_fmt_opts *o, const struct pt_col *cols,
			  size_t ncols, struct pt_err *e);
/* One row of ncols values; NULL is an empty/NULL value. */
int pt_fmt_row(struct pt_fmt *f, const char *const *values, struct pt_err *e);
/* json writes the values of column col as they are: JSON text (an object, say) that the
 * caller made, never NULL; the other formats write it as text. */
void pt_fmt_json_column(struct pt_fmt *f, size_t col);
/* With no row, write nothing at all (no header, no BOM, no []): a cron job stays silent
 * when there is nothing to say. */
void pt_fmt_nothing_when_empty(struct pt_fmt *f);
int pt_fmt_finish(struct pt_fmt *f, struct pt_err *e);
void pt_fmt_free(struct pt_fmt *f);

/* Display width of UTF-8 text on a terminal: East Asian wide and fullwidth characters
 * count 2, combining marks 0, others 1. */
size_t pt_display_width(const char *s);

#endif
