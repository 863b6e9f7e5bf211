#include "buf.h"

#include <stdbool.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void die_oom(void)
{
	fputs("petition: out of memory\n", stderr);
	abort();
}

void *pt_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		die_oom();
	return p;
}

void *pt_xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		die_oom();
	return p;
}

void *pt_xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (!q)
		die_oom();
	return q;
}

char *pt_xstrdup(const char *s)
{
	return pt_xstrndup(s, strlen(s));
}

char *pt_xstrndup(const char *s, size_t n)
{
	char *p = pt_xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

void pt_buf_grow(struct pt_buf *b, size_t extra)
{
	size_t need = b->len + extra + 1;

	if (need < b->len)
		die_oom();
	if (need <= b->alloc)
		return;
	size_t n = b->alloc ? b->alloc : 64;
	while (n < need)
		n = n < ((size_t)-1) / 2 ? n * 2 : need;
	b->buf = pt_xrealloc(b->buf, n);
	b->alloc = n;
}

void pt_buf_add(struct pt_buf *b, const void *data, size_t len)
{
	/* no call while there is room for it and the NUL (alloc > len then): the digest of an
	 * import adds two pieces a column, for a million rows */
	if (len >= b->alloc - b->len)
		pt_buf_grow(b, len);
	if (len)
		memcpy(b->buf + b->len, data, len);
	b->len += len;
	b->buf[b->len] = '\0';
}

void pt_buf_adds(struct pt_buf *b, const char *s)
{
	pt_buf_add(b, s, strlen(s));
}

void pt_buf_addch(struct pt_buf *b, int c)
{
	char ch = (char)c;

	pt_buf_add(b, &ch, 1);
}

void pt_buf_vaddf(struct pt_buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	int n;

	pt_buf_grow(b, 64);
	va_copy(cp, ap);
	n = vsnprintf(b->buf + b->len, b->alloc - b->len, fmt, cp);
	va_end(cp);
	if (n < 0)
		die_oom();
	if ((size_t)n >= b->alloc - b->len) {
		pt_buf_grow(b, (size_t)n);
		va_copy(cp, ap);
		vsnprintf(b->buf + b->len, b->alloc - b->len, fmt, cp);
		va_end(cp);
	}
	b->len += (size_t)n;
}

const char *pt_int_text(char out[PT_INT_LEN], long long v, int width)
{
	char *end = out + PT_INT_LEN - 1, *p = end;
	unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;

	if (width > 40)
		width = 40;
	*p = '\0';
	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	/* the sign counts in the width, as in printf */
	while (end - p < width - (v < 0))
		*--p = '0';
	if (v < 0)
		*--p = '-';
	return p;
}

void pt_buf_add_int(struct pt_buf *b, long long v, int width)
{
	char d[PT_INT_LEN];
	const char *p = pt_int_text(d, v, width);

	pt_buf_add(b, p, (size_t)(d + PT_INT_LEN - 1 - p));
}

void pt_buf_addf(struct pt_buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	pt_buf_vaddf(b, fmt, ap);
	va_end(ap);
}

int pt_buf_add_iconv(struct pt_buf *b, iconv_t cd, const char *in, size_t len)
{
	char *src = (char *)in;

	iconv(cd, NULL, NULL, NULL, NULL);
	while (len > 0) {
		pt_buf_grow(b, len * 2 + 16);
		char *out = b->buf + b->len;
		size_t room = b->alloc - b->len - 1, before = room;
		size_t rc = iconv(cd, &src, &len, &out, &room);

		b->len += before - room;
		b->buf[b->len] = '\0';
		if (rc == (size_t)-1 && errno != E2BIG)
			return -1;
	}
	return 0;
}

int pt_buf_read_file(struct pt_buf *b, const char *path, size_t max)
{
	FILE *f = fopen(path, "rb");
	char chunk[8192];
	size_t n;
	int err = 0;

	if (!f)
		return -1;
	while (!err && (n = fread(chunk, 1, sizeof chunk, f)) > 0) {
		pt_buf_add(b, chunk, n);
		if (max && b->len > max)
			err = EFBIG;
	}
	if (!err && ferror(f))
		err = errno ? errno : EIO;
	fclose(f);
	errno = err;
	return err ? -1 : 0;
}

void pt_buf_reset(struct pt_buf *b)
{
	b->len = 0;
	if (b->buf)
		b->buf[0] = '\0';
}

const char *pt_buf_str(const struct pt_buf *b)
{
	return b->buf ? b->buf : "";
}

char *pt_buf_detach(struct pt_buf *b)
{
	char *s = b->buf ? b->buf : pt_xstrdup("");

	b->buf = NULL;
	b->len = b->alloc = 0;
	return s;
}

void pt_buf_release(struct pt_buf *b)
{
	free(b->buf);
	b->buf = NULL;
	b->len = b->alloc = 0;
}

unsigned pt_utf8_next(const char **s)
{
	const unsigned char *p = (const unsigned char *)*s;
	size_t k = *p >= 0xf0 ? 4 : *p >= 0xe0 ? 3 : *p >= 0xc0 ? 2 : 1, j = 1;
	unsigned v = k == 1 ? *p : *p & (0x3fu >> (k - 1));

	for (; j < k && (p[j] & 0xc0) == 0x80; j++)
		v = v << 6 | (p[j] & 0x3f);
	*s += j == k ? k : 1;
	return j == k ? v : *p;
}

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

size_t pt_display_width(const char *s)
{
	size_t w = 0;

	while (s && *s) {
		unsigned cp = pt_utf8_next(&s);

		w += is_zero_width(cp) ? 0 : is_wide(cp) ? 2 : 1;
	}
	return w;
}

/* The characters of UTF-8 text as code points, into a new array; their number in *n. */
static unsigned *code_points(const char *s, size_t *n)
{
	unsigned *cp = pt_xmalloc((strlen(s) + 1) * sizeof *cp);

	*n = 0;
	while (*s)
		cp[(*n)++] = pt_utf8_next(&s);
	return cp;
}

size_t pt_edit_distance(const char *a, const char *b)
{
	size_t la, lb, d;
	unsigned *ca = code_points(a, &la), *cb = code_points(b, &lb);
	size_t *row = pt_xmalloc((lb + 1) * sizeof *row);

	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];

		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t best = diag + (ca[i - 1] != cb[j - 1]);

			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	d = row[lb];
	free(row);
	free(ca);
	free(cb);
	return d;
}

const char *pt_closest(const char *word, const char *const *candidates, size_t n)
{
	const char *best = NULL;
	size_t best_d = 3, chars = 0;

	free(code_points(word, &chars));
	for (size_t i = 0; i < n; i++) {
		size_t d = pt_edit_distance(word, candidates[i]);

		if (d < best_d && d < chars) {
			best = candidates[i];
			best_d = d;
		}
	}
	return best;
}
