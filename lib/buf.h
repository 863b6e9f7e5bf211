/* buf: a growable string buffer, the only way the library builds text (after git's strbuf).
 *
 * `buf` is always NUL-terminated and never NULL once anything was added; an initialised,
 * empty buffer reads as "". pt_buf_detach() hands the string to the caller (free() it) and
 * leaves the buffer empty; pt_buf_release() frees it. Allocation failure aborts the
 * process (the one exit the library allows). */
#ifndef PT_BUF_H
#define PT_BUF_H

#include <iconv.h>
#include <stdarg.h>
#include <stddef.h>

/* err builds its messages here, so buf stands below it and includes nothing of ours. */
#if defined(__GNUC__)
#define PT_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define PT_PRINTF(a, b)
#endif

struct pt_buf {
	char *buf;
	size_t len;
	size_t alloc;
};

#define PT_BUF_INIT { NULL, 0, 0 }

void pt_buf_grow(struct pt_buf *b, size_t extra);
void pt_buf_add(struct pt_buf *b, const void *data, size_t len);
void pt_buf_adds(struct pt_buf *b, const char *s);
void pt_buf_addch(struct pt_buf *b, int c);
/* v in decimal, zero-padded to width (at most 40) as printf's "%0*lld" pads it, without
 * printf, which a bulk path would call a million times: pt_int_text() writes it at the end
 * of out, NUL-terminated, and returns where it starts; pt_buf_add_int() appends it. */
#define PT_INT_LEN 48
const char *pt_int_text(char out[PT_INT_LEN], long long v, int width);
void pt_buf_add_int(struct pt_buf *b, long long v, int width);
void pt_buf_addf(struct pt_buf *b, const char *fmt, ...) PT_PRINTF(2, 3);
void pt_buf_vaddf(struct pt_buf *b, const char *fmt, va_list ap);
/* Convert len bytes at `in` with cd (iconv_open) and append them; -1 with errno set when
 * the input holds a sequence that is not in the source encoding. */
int pt_buf_add_iconv(struct pt_buf *b, iconv_t cd, const char *in, size_t len);
/* Append the whole file at path; -1 with errno set when it cannot be opened or read, and
 * with errno EFBIG as soon as more than max bytes were read (max 0: no bound). */
int pt_buf_read_file(struct pt_buf *b, const char *path, size_t max);
void pt_buf_reset(struct pt_buf *b);
/* The contents, "" for a buffer never written. Borrowed. */
const char *pt_buf_str(const struct pt_buf *b);
char *pt_buf_detach(struct pt_buf *b);
void pt_buf_release(struct pt_buf *b);

/* Allocation that aborts on failure. */
void *pt_xmalloc(size_t n);
void *pt_xcalloc(size_t n, size_t size);
void *pt_xrealloc(void *p, size_t n);
char *pt_xstrdup(const char *s);
char *pt_xstrndup(const char *s, size_t n);



/* The code point of the UTF-8 character at *s, and *s moved past it; a byte that starts
 * no well-formed character is one of its own. *s must not be at the end. */
unsigned pt_utf8_next(const char **s);
/* Display width of UTF-8 text on a terminal: East Asian wide and fullwidth characters
 * count 2, combining marks 0, others 1. */
size_t pt_display_width(const char *s);
/* Levenshtein distance between two UTF-8 strings, in characters (劳动报醻 is one from
 * 劳动报酬), for "did you mean" suggestions. */
size_t pt_edit_distance(const char *a, const char *b);
/* The candidate closest to `word` (distance at most 2 and less than the word's length in
 * characters),
 * or NULL. */
const char *pt_closest(const char *word, const char *const *candidates, size_t n);
#endif
