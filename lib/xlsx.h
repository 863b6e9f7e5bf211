/* xlsx: a workbook of sheets through libxlsxwriter, for fmt's --format xlsx: one sheet per
 * table, its header frozen (two rows with groups, a group's label merged over its
 * columns), A4 landscape fitted to the page width. A value of a numeric column that is a
 * number is a number cell; every other value is a text cell (format "@"), never a formula,
 * so that codes, case numbers, ID numbers and phones keep every digit and a text that
 * starts with "=" stays text.
 *
 * libxlsxwriter writes a file by name, so the workbook is built in a private temporary
 * file (mode 0600, in TMPDIR or /tmp) that pt_xlsx_finish() copies to the output and
 * removes.
 *
 * Ownership: pt_xlsx_new() returns a workbook that pt_xlsx_finish() or pt_xlsx_free()
 * frees; the FILE given to pt_xlsx_finish() is borrowed. */
#ifndef PT_XLSX_H
#define PT_XLSX_H

#include <stdbool.h>
#include <stdio.h>

#include "err.h"
#include "html.h"

struct pt_xlsx;

/* stream: rows go to a temporary file as they come, so that memory does not grow with
 * them (a long listing); a workbook that merges header cells (groups) cannot stream. */
struct pt_xlsx *pt_xlsx_new(const char *title, bool stream, struct pt_err *e);
/* A new sheet named name (cut to the 31 characters a sheet name may have) with the header h
 * (borrowed until the next sheet or finish); a title line above it when title is given. */
int pt_xlsx_sheet(struct pt_xlsx *x, const char *name, const char *title, const struct pt_head *h,
		  struct pt_err *e);
int pt_xlsx_row(struct pt_xlsx *x, const char *const *values, struct pt_err *e);
/* Write the workbook to out. */
int pt_xlsx_finish(struct pt_xlsx *x, FILE *out, struct pt_err *e);
void pt_xlsx_free(struct pt_xlsx *x);

#endif
