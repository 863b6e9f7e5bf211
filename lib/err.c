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

void pt_err_place(struct pt_err *e, const char *file, long line, long col)
{
	free(e->file);
	e->file = file ? pt_xstrdup(file) : NULL;
	e->line = line;
	e->col = col;
}

int pt_err_field(struct pt_err *e, int kind, const char *before, const char *field, const char *fmt, ...)
{
	struct pt_buf b = PT_BUF_INIT;
	va_list ap;

	pt_buf_adds(&b, before);
	va_start(ap, fmt);
	pt_buf_vaddf(&b, fmt, ap);
	va_end(ap);
	pt_err_release(e);
	e->kind = kind;
	e->msg = pt_buf_detach(&b);
	e->field[0].name = field;
	e->field[0].at = strlen(before);
	return -1;
}

void pt_err_also(struct pt_err *e, const char *field, const char *fmt, ...)
{
	struct pt_err_field *f = &e->field[e->field[0].name != NULL];
	struct pt_buf b = PT_BUF_INIT;
	va_list ap;

	pt_buf_adds(&b, e->msg ? e->msg : "");
	f->name = field;
	f->at = b.len;
	va_start(ap, fmt);
	pt_buf_vaddf(&b, fmt, ap);
	va_end(ap);
	free(e->msg);
	e->msg = pt_buf_detach(&b);
}

int pt_err_at(struct pt_err *e, int kind, const char *file, long line, long col,
	      const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	pt_err_vset(e, kind, fmt, ap);
	va_end(ap);
	pt_err_place(e, file, line, col);
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
	for (size_t i = 0; i < sizeof e->field / sizeof *e->field; i++)
		e->field[i].at += b.len;
	pt_buf_adds(&b, e->msg ? e->msg : "");
	free(e->msg);
	e->msg = pt_buf_detach(&b);
}

static void own_name(void *ctx, const char *field, struct pt_buf *b)
{
	(void)ctx;
	pt_buf_adds(b, field);
}

char *pt_err_format(const struct pt_err *e)
{
	return pt_err_format_named(e, own_name, NULL);
}

char *pt_err_format_named(const struct pt_err *e, void (*name)(void *ctx, const char *field, struct pt_buf *b),
			  void *ctx)
{
	const char *msg = e->msg ? e->msg : "unknown error";
	struct pt_buf b = PT_BUF_INIT;
	size_t from = 0;

	if (e->file) {
		pt_buf_adds(&b, e->file);
		if (e->line > 0)
			pt_buf_addf(&b, ":%ld", e->line);
		if (e->line > 0 && e->col > 0)
			pt_buf_addf(&b, ":%ld", e->col);
		pt_buf_adds(&b, ": ");
	}
	for (size_t i = 0; e->msg && i < sizeof e->field / sizeof *e->field && e->field[i].name; i++) {
		pt_buf_add(&b, msg + from, e->field[i].at - from);
		name(ctx, e->field[i].name, &b);
		from = e->field[i].at;
	}
	pt_buf_adds(&b, msg + from);
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
	memset(e->field, 0, sizeof e->field);
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
	pt_err_place(e, file, line, col);
}

void pt_errlist_release(struct pt_errlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		pt_err_release(&l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = l->alloc = 0;
}
