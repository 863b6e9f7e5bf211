/* html: one self-contained HTML page of tables, printable on A4 landscape (@page), for
 * fmt's --format html: a title, lines of fields (label：value), each table with its caption
 * and its header cells grouped over two rows where groups are given, 无 in a table without
 * rows, and signature lines under the last table. Every text is escaped.
 *
 * The functions append to a buffer the caller writes out; they keep no state. */
#ifndef PT_HTML_H
#define PT_HTML_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

/* A table's header (also for xlsx.h): its columns' labels and whether each is a number (aligned right);
 * groups of consecutive columns under a label of their own (glabel[i] over gspan[i]
 * columns; a NULL label leaves its columns ungrouped), none when ngroups is 0. */
struct pt_head {
	const char *const *labels;
	const bool *numeric;
	size_t ncols;
	const char *const *glabel;
	const size_t *gspan;
	size_t ngroups;
};

void pt_html_escape(struct pt_buf *b, const char *s);
void pt_html_begin(struct pt_buf *b, const char *title);
/* One line of fields, spread over the width: label：value each. */
void pt_html_fields(struct pt_buf *b, const char *const *labels, const char *const *values, size_t n);
void pt_html_table_begin(struct pt_buf *b, const char *caption, const struct pt_head *h);
void pt_html_row(struct pt_buf *b, const struct pt_head *h, const char *const *values);
/* rows: how many the table had (none: one row that says 无). */
void pt_html_table_end(struct pt_buf *b, const struct pt_head *h, unsigned long long rows);
void pt_html_end(struct pt_buf *b, const char *const *signatures, size_t nsignatures);

#endif
