#include "err.h"
#include "buf.h"

#include <stdlib.h>
#include <string.h>

int pt_err_vset(struct pt_err *e, int kind, const char *fmt, va_list ap)
{
	struct pt_buf b = PT_BUF_INIT;

	pt_buf_vaddf(&b, fmt, ap);
	pt_err_release(e);
	e->kind = kind;
	e->msg = pt_buf_detach(&b);
	return -1;
}

int pt_err_set(struct pt_err *e, int kind, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	pt_err_vset(e, kind, fmt, ap);
	va_end(ap);
	return -1;
}

static void set_place(struct pt_err *e, const char *file, long line, long col)
{
	e->file = file ? pt_xstrdup(file) : NULL;
	e->line = line;
	e->col = col;
}

int pt_err_at(struct pt_err *e, int kind, const char *file, long line, long col,
	      const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	pt_err_vset(e, kind, fmt, ap);
	va_end(ap);
	set_place(e, file, line, col);
	return -1;
}

void pt_err_prefix(struct pt_err *e, const char *fmt, ...)
{
	struct pt_buf b = PT_BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	pt_buf_vaddf(&b, fmt, ap);
	va_end(ap);
	pt_buf_adds(&b, ": ");
	pt_buf_adds(&b, e->msg ? e->msg : "");
	free(e->msg);
	e->msg = pt_buf_detach(&b);
}

char *pt_err_format(const struct pt_err *e)
{
	struct pt_buf b = PT_BUF_INIT;

	if (e->file) {
		pt_buf_adds(&b, e->file);
		if (e->line > 0)
			pt_buf_addf(&b, ":%ld", e->line);
		if (e->line > 0 && e->col > 0)
			pt_buf_addf(&b, ":%ld", e->col);
		pt_buf_adds(&b, ": ");
	}
	pt_buf_adds(&b, e->msg ? e->msg : "unknown error");
	return pt_buf_detach(&b);
}

void pt_err_release(struct pt_err *e)
{
	free(e->msg);
	free(e->file);
	e->msg = NULL;
	e->file = NULL;
	e->kind = 0;
	e->line = e->col = 0;
}

void pt_errlist_add(struct pt_errlist *l, int kind, const char *file, long line, long col,
		    const char *fmt, ...)
{
	struct pt_err *e;
	va_list ap;

	if (l->n == l->alloc) {
		l->alloc = l->alloc ? 2 * l->alloc : 8;
		l->v = pt_xrealloc(l->v, l->alloc * sizeof *l->v);
	}
	e = &l->v[l->n++];
	memset(e, 0, sizeof *e);
	va_start(ap, fmt);
	pt_err_vset(e, kind, fmt, ap);
	va_end(ap);
	set_place(e, file, line, col);
}

void pt_errlist_release(struct pt_errlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		pt_err_release(&l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = l->alloc = 0;
}
