/* csv: the one CSV reader (over libcsv) and writer (RFC 4180) of the toolkit.
 *
 * The reader streams: it holds one record at a time, however long the file. It takes
 * UTF-8 with or without a BOM, or GB18030 converted with iconv; CRLF or LF line ends;
 * quoted fields with commas, quotes and newlines. libcsv runs in strict mode without
 * trimming; the reader counts lines itself, so every record and every error has the
 * 1-based line where its record starts. A record longer than PT_CSV_MAX_RECORD bytes is
 * an error, so a broken file cannot make it allocate without bound.
 *
 * Ownership: pt_csv_open() returns a reader the caller frees with pt_csv_close(); the
 * fields of a record are borrowed until the next pt_csv_next(). */
#ifndef PT_CSV_H
#define PT_CSV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "buf.h"
#include "err.h"

#define PT_CSV_MAX_RECORD (1024 * 1024)

struct pt_csv_reader;

/* path "-" reads standard input. encoding NULL or "utf-8" reads UTF-8 (invalid bytes are
 * an error that suggests --encoding gb18030); "gb18030" (or "gbk") converts. */
struct pt_csv_reader *pt_csv_open(const char *path, const char *encoding, struct pt_err *e);
/* 1: a record is ready; 0: end of file; -1: error (e names file and line). */
int pt_csv_next(struct pt_csv_reader *r, struct pt_err *e);
size_t pt_csv_nfields(const struct pt_csv_reader *r);
const char *pt_csv_field(const struct pt_csv_reader *r, size_t i);
/* Line where the current record starts. */
long pt_csv_line(const struct pt_csv_reader *r);
/* The name to use in messages: the path, or "(stdin)". */
const char *pt_csv_name(const struct pt_csv_reader *r);
/* Bytes read so far (for progress). */
unsigned long long pt_csv_bytes(const struct pt_csv_reader *r);
/* Whether the input began with a UTF-8 BOM (known once the first record is read). */
bool pt_csv_bom(const struct pt_csv_reader *r);
void pt_csv_close(struct pt_csv_reader *r);

/* A number Excel damaged (3.71302E+17, 18 digits ending in the 000 that its 15 digits
 * leave, or, where zero_first says the field's numbers begin with 0 or 1 as phones do, 9
 * to 11 digits that lost their leading 0): what happened, for a message; NULL when s does
 * not look so. The reader itself reads back what --excel wrote for Excel to keep as text:
 * ="0005" as 0005, '=X as =X. */
const char *pt_csv_excel_damage(const char *s, bool zero_first);

/* Append s as one CSV field: quoted (with doubled quotes) when it holds a comma, quote,
 * CR or LF, or starts or ends with a blank. NULL is an empty field. */
void pt_csv_quote(struct pt_buf *b, const char *s);

/* Whether s is valid UTF-8 (no overlongs, no surrogates). */
int pt_utf8_valid(const char *s, size_t len);
/* Text a command gives (a place, a reason, an instruction) is UTF-8 without control
 * characters, as intake's fields are: it ends up in iCalendar files, JSON and CSV. NULL is
 * fine; otherwise PT_EDATA about the field (err.h). */
int pt_text_check(const char *field, const char *s, struct pt_err *e);

/* Texts, from options and from CSV alike (petition(1), TEXTS): the blanks around a text,
 * ASCII white space and the full-width space U+3000, are not part of it, and a text of
 * blanks only is no text. pt_text_blank(): NULL, empty or blanks only. pt_text_trim_into():
 * s without its surrounding blanks, into b. pt_text_trim(): the same in place (s is
 * changed; the result points into it). */
bool pt_text_blank(const char *s);
void pt_text_trim_into(struct pt_buf *b, const char *s);
char *pt_text_trim(char *s);

#endif
