#include "csv.h"

#include <errno.h>
#include <iconv.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <csv.h>

#define READ_CHUNK 65536

/* A record's fields, NUL-terminated one after another in `text`, at offsets `off`. Records
 * swap buffers as they move from building to ready to current, so a long import allocates
 * nothing per record once the buffers have grown. */
struct record {
	struct pt_buf text;
	size_t *off;
	size_t n, alloc;
	long line;
};

struct pt_csv_reader {
	FILE *f;
	bool own_file;
	char *name;
	iconv_t cd;              /* (iconv_t)-1 when reading UTF-8 */
	struct csv_parser parser;
	bool parser_ready;       /* csv_init() ran */
	/* raw input */
	char chunk[READ_CHUNK];
	size_t chunk_len, chunk_pos;
	bool eof;
	struct pt_buf line;      /* one physical line, converted to UTF-8 */
	struct pt_buf conv;      /* iconv scratch */
	long lineno;             /* of the last line read */
	unsigned long long bytes;
	/* records: the one handed out, and those completed but not yet handed out */
	struct record cur;
	struct record *ready;    /* ready_alloc slots, each with buffers to reuse */
	size_t nready, ready_alloc, ready_pos;
	struct record building;
	long record_start;       /* line where the record being built starts */
	size_t record_bytes;
	bool finished;
	bool bom;                /* the input began with a UTF-8 BOM */
};

int pt_utf8_valid(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str, *end = s + len;

	while (s < end) {
		unsigned c = *s;
		size_t n;
		unsigned cp;

		/* ASCII runs 8 bytes at a time */
		while (end - s >= 8) {
			uint64_t w;

			memcpy(&w, s, 8);
			if (w & 0x8080808080808080ULL)
				break;
			s += 8;
		}
		if (s == end)
			break;
		c = *s;
		if (c < 0x80) {
			s++;
			continue;
		}
		/* Chinese text: three bytes whose lead allows no overlong form and no surrogate
		 * (only E0 and ED restrict the second byte), so only the continuations to check */
		if (c >= 0xe1 && c <= 0xef && c != 0xed) {
			if (end - s < 3 || (s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80)
				return 0;
			s += 3;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) {
			n = 1;
			cp = c & 0x1f;
		} else if (c >= 0xe0 && c <= 0xef) {
			n = 2;
			cp = c & 0x0f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			n = 3;
			cp = c & 0x07;
		} else {
			return 0;
		}
		if ((size_t)(end - s) <= n)
			return 0;
		for (size_t i = 1; i <= n; i++) {
			if ((s[i] & 0xc0) != 0x80)
				return 0;
			cp = (cp << 6) | (s[i] & 0x3f);
		}
		if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10ffff)) ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		s += n + 1;
	}
	return 1;
}

static void record_clear(struct record *r)
{
	pt_buf_reset(&r->text);
	r->n = 0;
}

static void record_free(struct record *r)
{
	pt_buf_release(&r->text);
	free(r->off);
	r->off = NULL;
	r->n = r->alloc = 0;
}

static void record_swap(struct record *a, struct record *b)
{
	struct record t = *a;

	*a = *b;
	*b = t;
}

/* What petition wrote for Excel to keep as text (--excel, petition(1) OUTPUT) is read back
 * as the text it is: ="0005" is 0005, '=SUM(A1) is =SUM(A1). */
static const char *excel_text(const char *data, size_t *len)
{
	size_t n = *len;

	if (n >= 3 && data[0] == '=' && data[1] == '"' && data[n - 1] == '"' && !memchr(data + 2, '"', n - 3)) {
		*len = n - 3;
		return data + 2;
	}
	if (n >= 2 && data[0] == '\'' && strchr("=+-@\t\r", data[1]) && data[1]) {
		*len = n - 1;
		return data + 1;
	}
	return data;
}

static void on_field(void *data, size_t len, void *arg)
{
	struct pt_csv_reader *r = arg;
	struct record *b = &r->building;

	if (b->n == b->alloc) {
		b->alloc = b->alloc ? 2 * b->alloc : 16;
		b->off = pt_xrealloc(b->off, b->alloc * sizeof *b->off);
	}
	b->off[b->n++] = b->text.len;
	if (data)
		data = (void *)excel_text(data, &len);
	pt_buf_add(&b->text, data ? data : "", data ? len : 0);
	pt_buf_addch(&b->text, '\0');
}

static void on_record(int term, void *arg)
{
	struct pt_csv_reader *r = arg;
	struct record *slot;

	(void)term;
	if (r->nready == r->ready_alloc) {
		size_t n = r->ready_alloc ? 2 * r->ready_alloc : 4;

		r->ready = pt_xrealloc(r->ready, n * sizeof *r->ready);
		memset(r->ready + r->ready_alloc, 0, (n - r->ready_alloc) * sizeof *r->ready);
		r->ready_alloc = n;
	}
	slot = &r->ready[r->nready++];
	record_swap(slot, &r->building);
	record_clear(&r->building);
	slot->line = r->record_start;
	r->record_bytes = 0;
}

struct pt_csv_reader *pt_csv_open(const char *path, const char *encoding, struct pt_err *e)
{
	struct pt_csv_reader *r = pt_xcalloc(1, sizeof *r);

	r->cd = (iconv_t)-1;
	if (!strcmp(path, "-")) {
		r->f = stdin;
		r->name = pt_xstrdup("(stdin)");
	} else {
		r->f = fopen(path, "rb");
		if (!r->f) {
			pt_err_set(e, errno == ENOENT ? PT_ENOINPUT : PT_EIO, "cannot read %s: %s", path,
				   strerror(errno));
			free(r);
			return NULL;
		}
		r->own_file = true;
		r->name = pt_xstrdup(path);
	}
	if (encoding && strcasecmp(encoding, "utf-8") && strcasecmp(encoding, "utf8")) {
		if (strcasecmp(encoding, "gb18030") && strcasecmp(encoding, "gbk") &&
		    strcasecmp(encoding, "gb2312")) {
			pt_err_set(e, PT_EUSAGE, "unknown encoding '%s' (utf-8 or gb18030)", encoding);
			pt_csv_close(r);
			return NULL;
		}
		/* GB18030 is a superset of GBK and GB2312: read all three as GB18030. */
		r->cd = iconv_open("UTF-8", "GB18030");
		if (r->cd == (iconv_t)-1) {
			pt_err_set(e, PT_EINTERNAL, "iconv cannot convert from GB18030: %s", strerror(errno));
			pt_csv_close(r);
			return NULL;
		}
	}
	if (csv_init(&r->parser, CSV_STRICT | CSV_STRICT_FINI) != 0) {
		pt_err_set(e, PT_EINTERNAL, "libcsv failed to start");
		free(r->name);
		if (r->own_file)
			fclose(r->f);
		free(r);
		return NULL;
	}
	r->parser_ready = true;
	return r;
}

/* Read one physical line into r->line, with its end: LF, CRLF, or a lone CR (old Excel
 * for Mac). 0 at the end of input. */
static int read_line(struct pt_csv_reader *r, struct pt_err *e)
{
	pt_buf_reset(&r->line);
	for (;;) {
		if (r->chunk_pos == r->chunk_len) {
			if (r->eof)
				return r->line.len > 0;
			r->chunk_len = fread(r->chunk, 1, sizeof r->chunk, r->f);
			r->chunk_pos = 0;
			if (r->chunk_len < sizeof r->chunk) {
				if (ferror(r->f))
					return pt_err_set(e, PT_EIO, "cannot read %s: %s", r->name, strerror(errno));
				r->eof = true;
			}
			r->bytes += r->chunk_len;
			continue;
		}
		char *start = r->chunk + r->chunk_pos;
		size_t avail = r->chunk_len - r->chunk_pos;

		/* A CR that ended the previous chunk: with an LF after it, or alone. */
		if (r->line.len && r->line.buf[r->line.len - 1] == '\r') {
			if (*start == '\n') {
				pt_buf_addch(&r->line, '\n');
				r->chunk_pos++;
			}
			return 1;
		}
		char *nl = memchr(start, '\n', avail);
		size_t scan = nl ? (size_t)(nl - start) : avail;
		char *cr = memchr(start, '\r', scan);
		size_t n = nl ? scan + 1 : avail;
		bool done = nl != NULL;

		if (cr && cr + 1 < start + scan) {
			n = (size_t)(cr - start) + 1; /* a lone CR ends the line */
			done = true;
		}
		if (r->line.len + n > PT_CSV_MAX_RECORD)
			return pt_err_at(e, PT_EDATA, r->name, r->lineno + 1, 0,
					 "line longer than %d bytes; is this a CSV file?", PT_CSV_MAX_RECORD);
		pt_buf_add(&r->line, start, n);
		r->chunk_pos += n;
		if (done)
			return 1;
	}
}

static int convert_line(struct pt_csv_reader *r, struct pt_err *e)
{
	pt_buf_reset(&r->conv);
	if (pt_buf_add_iconv(&r->conv, r->cd, r->line.buf, r->line.len)) {
		pt_err_field(e, PT_EDATA, "bytes that are not GB18030 text (is the file UTF-8? then leave out ",
			     "encoding", ")");
		pt_err_place(e, r->name, r->lineno, 0);
		return -1;
	}
	pt_buf_reset(&r->line);
	pt_buf_add(&r->line, r->conv.buf, r->conv.len);
	return 0;
}

static int check_line(struct pt_csv_reader *r, struct pt_err *e)
{
	if (r->lineno == 1 && r->line.len >= 3 && !memcmp(r->line.buf, "\xef\xbb\xbf", 3)) {
		r->bom = true;
		memmove(r->line.buf, r->line.buf + 3, r->line.len - 2);
		r->line.len -= 3;
	}
	if (memchr(r->line.buf, '\0', r->line.len))
		return pt_err_at(e, PT_EDATA, r->name, r->lineno, 0, "a NUL byte: this is not a text file");
	if (r->cd == (iconv_t)-1 && !pt_utf8_valid(r->line.buf, r->line.len)) {
		pt_err_field(e, PT_EDATA, "not valid UTF-8; if the file was saved by Excel or WPS as GBK, use ",
			     "encoding", " gb18030");
		pt_err_place(e, r->name, r->lineno, 0);
		return -1;
	}
	return 0;
}

static int parse_error(struct pt_csv_reader *r, struct pt_err *e)
{
	if (csv_error(&r->parser) != CSV_EPARSE)
		return pt_err_at(e, PT_EINTERNAL, r->name, r->lineno, 0, "libcsv: %s",
				 csv_strerror(csv_error(&r->parser)));
	return pt_err_at(e, PT_EDATA, r->name, r->lineno, 0,
			 "malformed CSV: a quote inside an unquoted field, or text after a closing quote "
			 "(quote the whole field and double the quotes inside it)");
}

/* Feed lines until at least one record is ready or the input ends. */
static int fill(struct pt_csv_reader *r, struct pt_err *e)
{
	while (r->ready_pos == r->nready && !r->finished) {
		r->nready = r->ready_pos = 0;
		int got = read_line(r, e);

		if (got < 0)
			return -1;
		if (got == 0) {
			r->finished = true;
			if (csv_fini(&r->parser, on_field, on_record, r) != 0)
				return pt_err_at(e, PT_EDATA, r->name, r->record_start, 0,
						 "a quoted field that starts here is never closed");
			break;
		}
		r->lineno++;
		if (r->cd != (iconv_t)-1 && convert_line(r, e))
			return -1;
		if (check_line(r, e))
			return -1;
		if (r->parser.pstate == 0) /* between records: a new one starts on this line */
			r->record_start = r->lineno;
		r->record_bytes += r->line.len;
		if (r->record_bytes > PT_CSV_MAX_RECORD)
			return pt_err_at(e, PT_EDATA, r->name, r->record_start, 0,
					 "record longer than %d bytes (an unclosed quote?)", PT_CSV_MAX_RECORD);
		if (csv_parse(&r->parser, r->line.buf, r->line.len, on_field, on_record, r) != r->line.len)
			return parse_error(r, e);
	}
	return 0;
}

int pt_csv_next(struct pt_csv_reader *r, struct pt_err *e)
{
	record_clear(&r->cur);
	if (fill(r, e))
		return -1;
	if (r->ready_pos == r->nready)
		return 0;
	record_swap(&r->cur, &r->ready[r->ready_pos++]);
	return 1;
}

size_t pt_csv_nfields(const struct pt_csv_reader *r)
{
	return r->cur.n;
}

const char *pt_csv_field(const struct pt_csv_reader *r, size_t i)
{
	return i < r->cur.n ? r->cur.text.buf + r->cur.off[i] : NULL;
}

long pt_csv_line(const struct pt_csv_reader *r)
{
	return r->cur.line;
}

const char *pt_csv_name(const struct pt_csv_reader *r)
{
	return r->name;
}

unsigned long long pt_csv_bytes(const struct pt_csv_reader *r)
{
	return r->bytes;
}

bool pt_csv_bom(const struct pt_csv_reader *r)
{
	return r->bom;
}

/* 3.71302E+17: a digit, maybe a fraction, E and a positive exponent. */
static bool scientific(const char *p)
{
	if (*p < '1' || *p > '9')
		return false;
	p++;
	if (*p == '.' && p[1] >= '0' && p[1] <= '9')
		p += 1 + strspn(p + 1, "0123456789");
	if (*p != 'E' && *p != 'e')
		return false;
	p += p[1] == '+' ? 2 : 1;
	return *p && strspn(p, "0123456789") == strlen(p);
}

const char *pt_csv_excel_damage(const char *s, bool zero_first)
{
	size_t n = strlen(s);

	/* 539 8123456: Excel read 0539 8123456 as a number and dropped its 0 */
	if (zero_first && n >= 9 && n <= 11 && strspn(s, "0123456789") == n && s[0] >= '2')
		return "Excel dropped the leading 0 of the number (an area code's)";
	/* a long number Excel showed in scientific notation, and saved so */
	if (scientific(s))
		return "Excel wrote the number in scientific notation and its digits are lost";
	/* Excel keeps 15 significant digits of a number and makes the rest zeros */
	if (n == 18 && strspn(s, "0123456789") == 18 && !strcmp(s + 15, "000"))
		return "Excel keeps 15 digits of a number and made the last 3 zeros";
	return NULL;
}

void pt_csv_close(struct pt_csv_reader *r)
{
	if (!r)
		return;
	if (r->own_file && r->f)
		fclose(r->f);
	if (r->cd != (iconv_t)-1)
		iconv_close(r->cd);
	if (r->parser_ready)
		csv_free(&r->parser);
	record_free(&r->cur);
	record_free(&r->building);
	for (size_t i = 0; i < r->ready_alloc; i++)
		record_free(&r->ready[i]);
	free(r->ready);
	pt_buf_release(&r->line);
	pt_buf_release(&r->conv);
	free(r->name);
	free(r);
}

void pt_csv_quote(struct pt_buf *b, const char *s)
{
	size_t n = s ? strlen(s) : 0;

	if (n == 0)
		return;
	if (!strpbrk(s, ",\"\r\n") && s[0] != ' ' && s[n - 1] != ' ') {
		pt_buf_add(b, s, n);
		return;
	}
	pt_buf_addch(b, '"');
	for (const char *p = s; *p; p++) {
		if (*p == '"')
			pt_buf_addch(b, '"');
		pt_buf_addch(b, *p);
	}
	pt_buf_addch(b, '"');
}

#define IDEOGRAPHIC_SPACE "\xe3\x80\x80" /* U+3000, the blank of Chinese input methods */

static bool blank_at(const char *p)
{
	return *p == ' ' || *p == '\t' || *p == '\r' || *p == '\n' || *p == '\v' || *p == '\f';
}

/* s past its leading blanks. */
static const char *skip_blanks(const char *s)
{
	for (;;) {
		if (blank_at(s))
			s++;
		else if (!strncmp(s, IDEOGRAPHIC_SPACE, 3))
			s += 3;
		else
			return s;
	}
}

/* The end of s without its trailing blanks, s at its first non-blank. */
static const char *end_of_text(const char *s)
{
	const char *end = s + strlen(s);

	for (;;) {
		if (end > s && blank_at(end - 1))
			end--;
		else if (end - s >= 3 && !strncmp(end - 3, IDEOGRAPHIC_SPACE, 3))
			end -= 3;
		else
			return end;
	}
}

bool pt_text_blank(const char *s)
{
	return !s || !*skip_blanks(s);
}

void pt_text_trim_into(struct pt_buf *b, const char *s)
{
	pt_buf_reset(b);
	if (!s)
		return;
	s = skip_blanks(s);
	pt_buf_add(b, s, (size_t)(end_of_text(s) - s));
}

char *pt_text_trim(char *s)
{
	if (!s)
		return NULL;
	s = (char *)skip_blanks(s);
	*(char *)end_of_text(s) = '\0';
	return s;
}

int pt_text_check(const char *field, const char *s, struct pt_err *e)
{
	if (!s)
		return 0;
	if (!pt_utf8_valid(s, strlen(s)))
		return pt_err_field(e, PT_EDATA, "", field, ": not valid UTF-8 text");
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return pt_err_field(e, PT_EDATA, "", field, ": contains a control character");
	return 0;
}
